/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-quote.h: the price of a stay, with its breakdown, honoured for ten minutes. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"
#include "park-price-breakdown.h"

G_BEGIN_DECLS

#define PARK_TYPE_QUOTE (park_quote_get_type ())

G_DECLARE_FINAL_TYPE (ParkQuote, park_quote, PARK, QUOTE, GObject)

ParkQuote          *park_quote_new_from_json  (JsonObject   *object,
                                               GError      **error);
const char         *park_quote_get_id         (ParkQuote    *self);
const char         *park_quote_get_lot_id     (ParkQuote    *self);
ParkSpotType        park_quote_get_spot_type  (ParkQuote    *self);
GDateTime          *park_quote_get_start_time (ParkQuote    *self);
GDateTime          *park_quote_get_end_time   (ParkQuote    *self);
gint64              park_quote_get_total_cost (ParkQuote    *self);
const char         *park_quote_get_currency   (ParkQuote    *self);
const char         *park_quote_get_time_zone  (ParkQuote    *self);
GDateTime          *park_quote_get_expires_at (ParkQuote    *self);
ParkPriceBreakdown *park_quote_get_breakdown  (ParkQuote    *self);

G_END_DECLS
