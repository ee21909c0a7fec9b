/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-admin-models-private.h: the parsers of the models of operator administration and its
 * reports, with the path of the object in the answer (as park-models-private.h does for the
 * drivers' models).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "park-audit-entry.h"
#include "park-cash-line.h"
#include "park-cash-report.h"
#include "park-discount.h"
#include "park-import-report.h"
#include "park-kiosk.h"
#include "park-occupancy-report.h"
#include "park-occupancy-step.h"
#include "park-operator.h"
#include "park-pricing.h"
#include "park-revenue-row.h"
#include "park-revenue-series.h"
#include "park-sensor.h"
#include "park-stays-report.h"

G_BEGIN_DECLS

ParkAuditEntry      *_park_audit_entry_new_from_json_at      (JsonObject  *object,
                                                              const char  *path,
                                                              GError     **error);
ParkCashLine        *_park_cash_line_new_from_json_at        (JsonObject  *object,
                                                              const char  *path,
                                                              GError     **error);
ParkCashReport      *_park_cash_report_new_from_json_at      (JsonObject  *object,
                                                              const char  *path,
                                                              GError     **error);
ParkDiscount        *_park_discount_new_from_json_at         (JsonObject  *object,
                                                              const char  *path,
                                                              GError     **error);
ParkImportReport    *_park_import_report_new_from_json_at    (JsonObject  *object,
                                                              const char  *path,
                                                              GError     **error);
ParkOccupancyReport *_park_occupancy_report_new_from_json_at (JsonObject  *object,
                                                              const char  *path,
                                                              GError     **error);
ParkOccupancyStep   *_park_occupancy_step_new_from_json_at   (JsonObject  *object,
                                                              const char  *path,
                                                              GError     **error);
ParkOperator        *_park_operator_new_from_json_at         (JsonObject  *object,
                                                              const char  *path,
                                                              GError     **error);
ParkPricing         *_park_pricing_new_from_json_at          (JsonObject  *object,
                                                              const char  *path,
                                                              GError     **error);
JsonNode            *_park_pricing_dup_policy_node           (ParkPricing *self);
ParkRevenueRow      *_park_revenue_row_new_from_json_at      (JsonObject  *object,
                                                              const char  *path,
                                                              GError     **error);
ParkRevenueSeries   *_park_revenue_series_new_from_json_at   (JsonObject  *object,
                                                              const char  *path,
                                                              GError     **error);
ParkSensor          *_park_sensor_new_from_json_at           (JsonObject  *object,
                                                              const char  *path,
                                                              GError     **error);
ParkKiosk           *_park_kiosk_new_from_json_at            (JsonObject  *object,
                                                              const char  *path,
                                                              GError     **error);
ParkStaysReport     *_park_stays_report_new_from_json_at     (JsonObject  *object,
                                                              const char  *path,
                                                              GError     **error);

G_END_DECLS
