/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-payment.h: a payment for a booking, by card or in cash. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_PAYMENT (park_payment_get_type ())

G_DECLARE_FINAL_TYPE (ParkPayment, park_payment, PARK, PAYMENT, GObject)

ParkPayment         *park_payment_new_from_json      (JsonObject    *object,
                                                      GError       **error);
const char          *park_payment_get_id             (ParkPayment   *self);
const char          *park_payment_get_reservation_id (ParkPayment   *self);
const char          *park_payment_get_session_id     (ParkPayment   *self);
ParkPaymentProvider  park_payment_get_provider       (ParkPayment   *self);
const char          *park_payment_get_provider_ref   (ParkPayment   *self);
ParkPaymentStatus    park_payment_get_status         (ParkPayment   *self);
gint64               park_payment_get_amount         (ParkPayment   *self);
gint64               park_payment_get_refunded       (ParkPayment   *self);
const char          *park_payment_get_currency       (ParkPayment   *self);
gint64               park_payment_get_tendered       (ParkPayment   *self);
gint64               park_payment_get_change         (ParkPayment   *self);
GDateTime           *park_payment_get_created_at     (ParkPayment   *self);

G_END_DECLS
