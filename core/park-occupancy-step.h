/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-occupancy-step.h: one step of an occupancy report: how full a lot was. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_OCCUPANCY_STEP (park_occupancy_step_get_type ())

G_DECLARE_FINAL_TYPE (ParkOccupancyStep, park_occupancy_step, PARK, OCCUPANCY_STEP, GObject)

ParkOccupancyStep *park_occupancy_step_new_from_json         (JsonObject         *object,
                                                              GError            **error);
GDateTime         *park_occupancy_step_get_start             (ParkOccupancyStep  *self);
GDateTime         *park_occupancy_step_get_end               (ParkOccupancyStep  *self);
gint64             park_occupancy_step_get_measured_seconds  (ParkOccupancyStep  *self);
double             park_occupancy_step_get_occupancy         (ParkOccupancyStep  *self);
double             park_occupancy_step_get_regular           (ParkOccupancyStep  *self);
double             park_occupancy_step_get_disabled          (ParkOccupancyStep  *self);
double             park_occupancy_step_get_ev                (ParkOccupancyStep  *self);
double             park_occupancy_step_get_compact           (ParkOccupancyStep  *self);
double             park_occupancy_step_get_motorcycle        (ParkOccupancyStep  *self);

G_END_DECLS
