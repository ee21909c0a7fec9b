/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-price-line.h: one line of a price breakdown: a stretch of the stay at one rate. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_PRICE_LINE (park_price_line_get_type ())

G_DECLARE_FINAL_TYPE (ParkPriceLine, park_price_line, PARK, PRICE_LINE, GObject)

ParkPriceLine *park_price_line_new_from_json      (JsonObject      *object,
                                                   GError         **error);
GDateTime     *park_price_line_get_start          (ParkPriceLine   *self);
GDateTime     *park_price_line_get_end            (ParkPriceLine   *self);
gint64         park_price_line_get_minutes        (ParkPriceLine   *self);
gint64         park_price_line_get_billed_minutes (ParkPriceLine   *self);
gint64         park_price_line_get_rate           (ParkPriceLine   *self);
double         park_price_line_get_multiplier     (ParkPriceLine   *self);
gint64         park_price_line_get_amount         (ParkPriceLine   *self);
const char    *park_price_line_get_label          (ParkPriceLine   *self);

G_END_DECLS
