/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-discount.h: a discount code of an operator. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_DISCOUNT (park_discount_get_type ())

G_DECLARE_FINAL_TYPE (ParkDiscount, park_discount, PARK, DISCOUNT, GObject)

ParkDiscount *park_discount_new_from_json    (JsonObject    *object,
                                              GError       **error);
const char   *park_discount_get_id           (ParkDiscount  *self);
const char   *park_discount_get_operator_id  (ParkDiscount  *self);
const char   *park_discount_get_code         (ParkDiscount  *self);
gint64        park_discount_get_percent_off  (ParkDiscount  *self);
gint64        park_discount_get_amount_off   (ParkDiscount  *self);
gint64        park_discount_get_max_uses     (ParkDiscount  *self);
gint64        park_discount_get_uses         (ParkDiscount  *self);
GDateTime    *park_discount_get_expires_at   (ParkDiscount  *self);
GDateTime    *park_discount_get_created_at   (ParkDiscount  *self);

G_END_DECLS
