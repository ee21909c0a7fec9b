/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-price-breakdown.h: how a price is made up: its lines, caps, discounts and tax. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"
#include "park-price-line.h"

G_BEGIN_DECLS

#define PARK_TYPE_PRICE_BREAKDOWN (park_price_breakdown_get_type ())

G_DECLARE_FINAL_TYPE (ParkPriceBreakdown, park_price_breakdown, PARK, PRICE_BREAKDOWN, GObject)

ParkPriceBreakdown *park_price_breakdown_new_from_json             (JsonObject           *object,
                                                                    GError              **error);
GListModel         *park_price_breakdown_get_lines                 (ParkPriceBreakdown   *self);
gint64              park_price_breakdown_get_subtotal              (ParkPriceBreakdown   *self);
gint64              park_price_breakdown_get_cap_discount          (ParkPriceBreakdown   *self);
double              park_price_breakdown_get_demand_multiplier     (ParkPriceBreakdown   *self);
gint64              park_price_breakdown_get_discount              (ParkPriceBreakdown   *self);
gint64              park_price_breakdown_get_total                 (ParkPriceBreakdown   *self);
gint64              park_price_breakdown_get_tax                   (ParkPriceBreakdown   *self);
int                 park_price_breakdown_get_tax_rate              (ParkPriceBreakdown   *self);
const char         *park_price_breakdown_get_currency              (ParkPriceBreakdown   *self);
const char         *park_price_breakdown_get_validation_code       (ParkPriceBreakdown   *self);
gint64              park_price_breakdown_get_validation_amount_off (ParkPriceBreakdown   *self);
gint64              park_price_breakdown_get_due                   (ParkPriceBreakdown   *self);

G_END_DECLS
