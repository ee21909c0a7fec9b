/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-revenue-series.h: one operator's money in one currency, by day or by lot. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_REVENUE_SERIES (park_revenue_series_get_type ())

G_DECLARE_FINAL_TYPE (ParkRevenueSeries, park_revenue_series, PARK, REVENUE_SERIES, GObject)

ParkRevenueSeries *park_revenue_series_new_from_json      (JsonObject         *object,
                                                           GError            **error);
const char        *park_revenue_series_get_operator_id    (ParkRevenueSeries  *self);
const char        *park_revenue_series_get_operator_slug  (ParkRevenueSeries  *self);
const char        *park_revenue_series_get_operator_name  (ParkRevenueSeries  *self);
const char        *park_revenue_series_get_time_zone      (ParkRevenueSeries  *self);
const char        *park_revenue_series_get_currency       (ParkRevenueSeries  *self);
GListModel        *park_revenue_series_get_rows           (ParkRevenueSeries  *self);
gint64             park_revenue_series_get_payments       (ParkRevenueSeries  *self);
gint64             park_revenue_series_get_gross          (ParkRevenueSeries  *self);
gint64             park_revenue_series_get_refunds        (ParkRevenueSeries  *self);
gint64             park_revenue_series_get_refunded       (ParkRevenueSeries  *self);
gint64             park_revenue_series_get_net            (ParkRevenueSeries  *self);

G_END_DECLS
