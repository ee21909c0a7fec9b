/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-sensor.h: a sensor device that reports spots taken and freed. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_SENSOR (park_sensor_get_type ())

G_DECLARE_FINAL_TYPE (ParkSensor, park_sensor, PARK, SENSOR, GObject)

ParkSensor *park_sensor_new_from_json     (JsonObject  *object,
                                           GError     **error);
const char *park_sensor_get_id            (ParkSensor  *self);
const char *park_sensor_get_operator_id   (ParkSensor  *self);
const char *park_sensor_get_lot_id        (ParkSensor  *self);
const char *park_sensor_get_name          (ParkSensor  *self);
GDateTime  *park_sensor_get_created_at    (ParkSensor  *self);
GDateTime  *park_sensor_get_last_seen_at  (ParkSensor  *self);
GDateTime  *park_sensor_get_revoked_at    (ParkSensor  *self);
const char *park_sensor_get_key           (ParkSensor  *self);

G_END_DECLS
