/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-spot.h: one parking spot of a lot and its state. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_SPOT (park_spot_get_type ())

G_DECLARE_FINAL_TYPE (ParkSpot, park_spot, PARK, SPOT, GObject)

ParkSpot      *park_spot_new_from_json  (JsonObject   *object,
                                         GError      **error);
const char    *park_spot_get_id         (ParkSpot     *self);
const char    *park_spot_get_lot_id     (ParkSpot     *self);
const char    *park_spot_get_number     (ParkSpot     *self);
ParkSpotType   park_spot_get_spot_type  (ParkSpot     *self);
int            park_spot_get_level      (ParkSpot     *self);
ParkSpotState  park_spot_get_state      (ParkSpot     *self);
GDateTime     *park_spot_get_updated_at (ParkSpot     *self);
gboolean       park_spot_get_stale      (ParkSpot     *self);

G_END_DECLS
