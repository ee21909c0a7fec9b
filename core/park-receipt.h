/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-receipt.h: what a payment paid for, for the driver or a booth printer. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"
#include "park-payment.h"
#include "park-price-breakdown.h"

G_BEGIN_DECLS

#define PARK_TYPE_RECEIPT (park_receipt_get_type ())

G_DECLARE_FINAL_TYPE (ParkReceipt, park_receipt, PARK, RECEIPT, GObject)

ParkReceipt        *park_receipt_new_from_json        (JsonObject    *object,
                                                       GError       **error);
ParkPayment        *park_receipt_get_payment          (ParkReceipt   *self);
const char         *park_receipt_get_operator_name    (ParkReceipt   *self);
const char         *park_receipt_get_operator_city    (ParkReceipt   *self);
const char         *park_receipt_get_lot_name         (ParkReceipt   *self);
const char         *park_receipt_get_lot_address      (ParkReceipt   *self);
const char         *park_receipt_get_time_zone        (ParkReceipt   *self);
const char         *park_receipt_get_reservation_code (ParkReceipt   *self);
const char         *park_receipt_get_ticket           (ParkReceipt   *self);
const char         *park_receipt_get_plate            (ParkReceipt   *self);
ParkPriceBreakdown *park_receipt_get_breakdown        (ParkReceipt   *self);

G_END_DECLS
