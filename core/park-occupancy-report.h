/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-occupancy-report.h: how full a lot was over a period, step by step. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_OCCUPANCY_REPORT (park_occupancy_report_get_type ())

G_DECLARE_FINAL_TYPE (ParkOccupancyReport, park_occupancy_report, PARK, OCCUPANCY_REPORT, GObject)

ParkOccupancyReport *park_occupancy_report_new_from_json      (JsonObject           *object,
                                                               GError              **error);
const char          *park_occupancy_report_get_lot_id         (ParkOccupancyReport  *self);
const char          *park_occupancy_report_get_lot_name       (ParkOccupancyReport  *self);
const char          *park_occupancy_report_get_operator_id    (ParkOccupancyReport  *self);
const char          *park_occupancy_report_get_operator_slug  (ParkOccupancyReport  *self);
const char          *park_occupancy_report_get_time_zone      (ParkOccupancyReport  *self);
GDateTime           *park_occupancy_report_get_from           (ParkOccupancyReport  *self);
GDateTime           *park_occupancy_report_get_to             (ParkOccupancyReport  *self);
const char          *park_occupancy_report_get_step           (ParkOccupancyReport  *self);
gint64               park_occupancy_report_get_step_seconds   (ParkOccupancyReport  *self);
GListModel          *park_occupancy_report_get_steps          (ParkOccupancyReport  *self);

G_END_DECLS
