/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-session.h: a stay at a lot from check-in at the booth to check-out: a walk-in, or a booking
 * checked in by its code. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"
#include "park-price-breakdown.h"

G_BEGIN_DECLS

#define PARK_TYPE_SESSION (park_session_get_type ())

G_DECLARE_FINAL_TYPE (ParkSession, park_session, PARK, SESSION, GObject)

ParkSession        *park_session_new_from_json      (JsonObject    *object,
                                                     GError       **error);
const char         *park_session_get_id             (ParkSession   *self);
const char         *park_session_get_ticket         (ParkSession   *self);
const char         *park_session_get_lot_id         (ParkSession   *self);
const char         *park_session_get_spot_id        (ParkSession   *self);
const char         *park_session_get_spot_number    (ParkSession   *self);
const char         *park_session_get_reservation_id (ParkSession   *self);
const char         *park_session_get_plate          (ParkSession   *self);
ParkSessionStatus   park_session_get_status         (ParkSession   *self);
GDateTime          *park_session_get_checked_in_at  (ParkSession   *self);
GDateTime          *park_session_get_checked_out_at (ParkSession   *self);
gint64              park_session_get_fee            (ParkSession   *self);
const char         *park_session_get_currency       (ParkSession   *self);
ParkPriceBreakdown *park_session_get_breakdown      (ParkSession   *self);
const char         *park_session_get_time_zone      (ParkSession   *self);

G_END_DECLS
