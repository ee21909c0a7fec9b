/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-stays-report.h: the stays that ended in a period: how many, how long, turnover. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_STAYS_REPORT (park_stays_report_get_type ())

G_DECLARE_FINAL_TYPE (ParkStaysReport, park_stays_report, PARK, STAYS_REPORT, GObject)

ParkStaysReport *park_stays_report_new_from_json          (JsonObject       *object,
                                                           GError          **error);
GDateTime       *park_stays_report_get_from               (ParkStaysReport  *self);
GDateTime       *park_stays_report_get_to                 (ParkStaysReport  *self);
const char      *park_stays_report_get_operator_id        (ParkStaysReport  *self);
const char      *park_stays_report_get_operator_slug      (ParkStaysReport  *self);
const char      *park_stays_report_get_lot_id             (ParkStaysReport  *self);
gint64           park_stays_report_get_stays              (ParkStaysReport  *self);
gint64           park_stays_report_get_walk_ins           (ParkStaysReport  *self);
gint64           park_stays_report_get_reservations       (ParkStaysReport  *self);
double           park_stays_report_get_average_minutes    (ParkStaysReport  *self);
double           park_stays_report_get_median_minutes     (ParkStaysReport  *self);
gint64           park_stays_report_get_spots              (ParkStaysReport  *self);
double           park_stays_report_get_turnover_per_spot  (ParkStaysReport  *self);

G_END_DECLS
