/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-vehicle.h: a vehicle on the signed-in driver's account. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_VEHICLE (park_vehicle_get_type ())

G_DECLARE_FINAL_TYPE (ParkVehicle, park_vehicle, PARK, VEHICLE, GObject)

ParkVehicle *park_vehicle_new_from_json        (JsonObject    *object,
                                                GError       **error);
const char  *park_vehicle_get_id               (ParkVehicle   *self);
const char  *park_vehicle_get_plate            (ParkVehicle   *self);
const char  *park_vehicle_get_plate_normalized (ParkVehicle   *self);
const char  *park_vehicle_get_country          (ParkVehicle   *self);
const char  *park_vehicle_get_nickname         (ParkVehicle   *self);
GDateTime   *park_vehicle_get_created_at       (ParkVehicle   *self);

G_END_DECLS
