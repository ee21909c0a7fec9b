/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-revenue-row.h: one day's or one lot's money in a revenue report. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_REVENUE_ROW (park_revenue_row_get_type ())

G_DECLARE_FINAL_TYPE (ParkRevenueRow, park_revenue_row, PARK, REVENUE_ROW, GObject)

ParkRevenueRow *park_revenue_row_new_from_json  (JsonObject      *object,
                                                 GError         **error);
const char     *park_revenue_row_get_date       (ParkRevenueRow  *self);
GDateTime      *park_revenue_row_get_start      (ParkRevenueRow  *self);
GDateTime      *park_revenue_row_get_end        (ParkRevenueRow  *self);
const char     *park_revenue_row_get_lot_id     (ParkRevenueRow  *self);
const char     *park_revenue_row_get_lot_name   (ParkRevenueRow  *self);
gint64          park_revenue_row_get_payments   (ParkRevenueRow  *self);
gint64          park_revenue_row_get_gross      (ParkRevenueRow  *self);
gint64          park_revenue_row_get_refunds    (ParkRevenueRow  *self);
gint64          park_revenue_row_get_refunded   (ParkRevenueRow  *self);
gint64          park_revenue_row_get_net        (ParkRevenueRow  *self);

G_END_DECLS
