/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-client-reservations.c: ParkClient's calls about bookings, payments and receipts. */
#include "config.h"

#include "park-client-private.h"
#include "park-enums.h"
#include "park-error-private.h"
#include "park-json-private.h"
#include "park-models-private.h"

/* Both kinds of booking; @plate NULL for none. */
static void
book (ParkClient          *self,
      const char          *lot_id,
      const char          *spot_id,
      ParkSpotType         spot_type,
      GDateTime           *start_time,
      GDateTime           *end_time,
      const char          *quote_id,
      const char          *discount_code,
      const char          *plate,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (spot_type > PARK_SPOT_TYPE_ANY && spot_type < PARK_N_SPOT_TYPES);
  g_return_if_fail (start_time != NULL);
  g_return_if_fail (end_time != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  from = _park_client_format_time (start_time);
  to = _park_client_format_time (end_time);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "parking_lot_id");
  json_builder_add_string_value (builder, lot_id);
  if (spot_id != NULL)
    {
      json_builder_set_member_name (builder, "parking_spot_id");
      json_builder_add_string_value (builder, spot_id);
    }
  json_builder_set_member_name (builder, "spot_type");
  json_builder_add_string_value (builder, _park_client_nick_of (PARK_TYPE_SPOT_TYPE, spot_type));
  json_builder_set_member_name (builder, "start_time");
  json_builder_add_string_value (builder, from);
  json_builder_set_member_name (builder, "end_time");
  json_builder_add_string_value (builder, to);
  if (quote_id != NULL)
    {
      json_builder_set_member_name (builder, "quote_id");
      json_builder_add_string_value (builder, quote_id);
    }
  if (discount_code != NULL)
    {
      json_builder_set_member_name (builder, "discount_code");
      json_builder_add_string_value (builder, discount_code);
    }
  if (plate != NULL)
    {
      json_builder_set_member_name (builder, "plate");
      json_builder_add_string_value (builder, plate);
    }
  json_builder_end_object (builder);

  call = _park_client_model_call ("POST", g_strdup ("api/v1/reservations"),
                                  (ParkModelParser) _park_reservation_new_from_json_at);
  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  call->kiosk = TRUE;
  call->idempotency_key = g_uuid_string_random ();
  _park_client_start (self, call, cancellable, callback, user_data, park_client_book_async);
}

/**
 * park_client_book_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @spot_id: (nullable): the spot to book, or %NULL to let the server pick a free spot of
 *   @spot_type
 * @spot_type: the spot type (checked against the spot when @spot_id is given)
 * @start_time: the start of the stay
 * @end_time: the end of the stay
 * @quote_id: (nullable): a quote of this very stay, given less than ten minutes ago, whose
 *   price to pay, or %NULL
 * @discount_code: (nullable): a discount code of the lot's operator, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Books a spot for the signed-in account. The booking holds the spot until it is paid
 * (#ParkReservation:hold-until), or is confirmed at once when nothing is due. A spot taken
 * for part of the time fails with %PARK_CLIENT_ERROR_CONFLICT (`spot-taken`).
 *
 * The request carries an idempotency key, kept when it is sent again after a refresh of the
 * sign-in, so a booking is never made twice.
 */
void
park_client_book_async (ParkClient          *self,
                        const char          *lot_id,
                        const char          *spot_id,
                        ParkSpotType         spot_type,
                        GDateTime           *start_time,
                        GDateTime           *end_time,
                        const char          *quote_id,
                        const char          *discount_code,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  book (self, lot_id, spot_id, spot_type, start_time, end_time, quote_id, discount_code, NULL,
        cancellable, callback, user_data);
}

/**
 * park_client_book_with_plate_async:
 * @self: a #ParkClient
 * @lot_id: the lot
 * @spot_id: (nullable): a spot of the lot, or %NULL for the lot to choose one
 * @spot_type: the type of spot
 * @start_time: when the stay starts
 * @end_time: when it ends
 * @quote_id: (nullable): the quote whose price the booking keeps
 * @plate: the car's number plate, as the driver types it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * As park_client_book_async(), for the car with @plate. At a kiosk with nobody signed in
 * (see park_client_set_kiosk_key()) this books for a guest without an account, which needs
 * the plate: the booking is held for payment for a few minutes, and the kiosk then pays for
 * it (park_client_create_checkout_async()), reads it or cancels it. Finish with
 * park_client_book_finish().
 */
void
park_client_book_with_plate_async (ParkClient          *self,
                                   const char          *lot_id,
                                   const char          *spot_id,
                                   ParkSpotType         spot_type,
                                   GDateTime           *start_time,
                                   GDateTime           *end_time,
                                   const char          *quote_id,
                                   const char          *plate,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (plate != NULL);
  book (self, lot_id, spot_id, spot_type, start_time, end_time, quote_id, NULL, plate,
        cancellable, callback, user_data);
}

/**
 * park_client_book_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the booking, or %NULL with @error set
 */
ParkReservation *
park_client_book_finish (ParkClient    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_book_async, error);
}

static void
reservation_call (ParkClient          *self,
                  const char          *method,
                  const char          *reservation_id,
                  GBytes              *body,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data,
                  gpointer             source_tag)
{
  g_autofree char *id = _park_client_segment (reservation_id);
  Call *call = _park_client_model_call (method, g_strconcat ("api/v1/reservations/", id, NULL),
                                        (ParkModelParser) _park_reservation_new_from_json_at);

  call->body = body;
  call->authenticated = TRUE;
  /* A guest's booking at a kiosk is read and cancelled with the kiosk's key. */
  call->kiosk = TRUE;
  /* A booking as last seen is worth showing offline; a change of one is not made offline. */
  call->cache = g_str_equal (method, "GET");
  _park_client_start (self, call, cancellable, callback, user_data, source_tag);
}

/**
 * park_client_get_reservation_async:
 * @self: a #ParkClient
 * @reservation_id: the booking's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches one of the account's bookings (or, for staff, one at their lots).
 */
void
park_client_get_reservation_async (ParkClient          *self,
                                   const char          *reservation_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (reservation_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  reservation_call (self, "GET", reservation_id, NULL, cancellable, callback, user_data,
                    park_client_get_reservation_async);
}

/**
 * park_client_get_reservation_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the booking, or %NULL with @error set
 */
ParkReservation *
park_client_get_reservation_finish (ParkClient    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_get_reservation_async, error);
}

/**
 * park_client_list_reservations_async:
 * @self: a #ParkClient
 * @max_results: the most bookings wanted, or 0 for all
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches the signed-in account's own bookings, latest start first.
 */
void
park_client_list_reservations_async (ParkClient          *self,
                                     guint                max_results,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = _park_client_list_call (g_strdup_printf ("api/v1/reservations?per_page=%u",
                                     max_results > 0 ? MIN (max_results, 100) : 100),
                                 (ParkModelParser) _park_reservation_new_from_json_at,
                                 PARK_TYPE_RESERVATION, max_results);
  call->authenticated = TRUE;
  call->cache = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_list_reservations_async);
}

/**
 * park_client_list_reservations_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a #GListModel of #ParkReservation, or %NULL with @error set
 */
GListModel *
park_client_list_reservations_finish (ParkClient    *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_list_reservations_async, error);
}

/**
 * park_client_extend_reservation_async:
 * @self: a #ParkClient
 * @reservation_id: the booking's id
 * @end_time: the new end, later than the current one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Moves a booking's end later. The whole stay is priced again and what is added is due
 * (#ParkReservation:balance-due). A spot booked by someone else for part of the added time
 * fails with %PARK_CLIENT_ERROR_CONFLICT.
 */
void
park_client_extend_reservation_async (ParkClient          *self,
                                      const char          *reservation_id,
                                      GDateTime           *end_time,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *to = NULL;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (reservation_id != NULL);
  g_return_if_fail (end_time != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  to = _park_client_format_time (end_time);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "end_time");
  json_builder_add_string_value (builder, to);
  json_builder_end_object (builder);
  reservation_call (self, "PUT", reservation_id, _park_client_body_from_builder (builder),
                    cancellable,
                    callback, user_data, park_client_extend_reservation_async);
}

/**
 * park_client_extend_reservation_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the booking as extended, or %NULL with @error set
 */
ParkReservation *
park_client_extend_reservation_finish (ParkClient    *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_extend_reservation_async, error);
}

/**
 * park_client_cancel_reservation_async:
 * @self: a #ParkClient
 * @reservation_id: the booking's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Cancels a booking that is pending payment or confirmed, and frees its spot. What was paid
 * is refunded by the lot's policy; #ParkReservation:paid of the answer is what is kept.
 */
void
park_client_cancel_reservation_async (ParkClient          *self,
                                      const char          *reservation_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (reservation_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  reservation_call (self, "DELETE", reservation_id, NULL, cancellable, callback, user_data,
                    park_client_cancel_reservation_async);
}

/**
 * park_client_cancel_reservation_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the booking, cancelled, or %NULL with @error set
 */
ParkReservation *
park_client_cancel_reservation_finish (ParkClient    *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_cancel_reservation_async, error);
}

typedef struct
{
  ParkPayment     *payment;
  ParkReservation *reservation;
  char            *client_secret;
} PayResult;

static void
pay_result_free (PayResult *result)
{
  g_clear_object (&result->payment);
  g_clear_object (&result->reservation);
  g_free (result->client_secret);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayResult, pay_result_free)

static void
handle_payment (ParkClient *self,
                GTask      *task,
                Call       *call,
                guint       status,
                JsonObject *root,
                GBytes     *body)
{
  g_autoptr(GTask) owned = task;
  g_autoptr(PayResult) pay = g_new0 (PayResult, 1);
  g_autoptr(GError) error = NULL;
  ParkJsonReader reader;

  if (root == NULL)
    {
      g_task_return_error (owned, _park_client_error_new_invalid_response (NULL, "no body"));
      return;
    }
  _park_json_reader_init (&reader, root, NULL);
  pay->payment = _park_json_read_model (&reader, "payment", 0,
                                        (ParkModelParser) _park_payment_new_from_json_at);
  pay->reservation = _park_json_read_model (&reader, "reservation", 0,
                                            (ParkModelParser) _park_reservation_new_from_json_at);
  pay->client_secret = _park_json_dup_string (&reader, "client_secret", PARK_JSON_OPTIONAL);
  if (!_park_json_reader_finish (&reader, &error))
    g_task_return_error (owned, g_steal_pointer (&error));
  else
    g_task_return_pointer (owned, g_steal_pointer (&pay), (GDestroyNotify) pay_result_free);
}

/**
 * park_client_pay_reservation_async:
 * @self: a #ParkClient
 * @reservation_id: the booking's id
 * @provider: %PARK_PAYMENT_PROVIDER_STRIPE (the booking's driver, with a card) or
 *   %PARK_PAYMENT_PROVIDER_CASH (staff of the lot's operator, at the booth)
 * @payment_method: (nullable): for a card, Stripe's payment method token (never a card
 *   number); %NULL for cash
 * @tendered: for cash, what the driver handed over in minor units (at least what is due);
 *   -1 for a card
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Pays what a booking owes (#ParkReservation:balance-due). The booking is confirmed once
 * paid in full. A card payment carries an idempotency key, so sending it again after a lost
 * answer never charges twice.
 */
void
park_client_pay_reservation_async (ParkClient          *self,
                                   const char          *reservation_id,
                                   ParkPaymentProvider  provider,
                                   const char          *payment_method,
                                   gint64               tendered,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *id = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (reservation_id != NULL);
  g_return_if_fail (provider != PARK_PAYMENT_PROVIDER_STRIPE || payment_method != NULL);
  g_return_if_fail (provider != PARK_PAYMENT_PROVIDER_CASH || tendered >= 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "provider");
  json_builder_add_string_value (builder, _park_client_nick_of (PARK_TYPE_PAYMENT_PROVIDER,
                                                                provider));
  if (provider == PARK_PAYMENT_PROVIDER_STRIPE)
    {
      json_builder_set_member_name (builder, "payment_method");
      json_builder_add_string_value (builder, payment_method);
    }
  else
    {
      json_builder_set_member_name (builder, "tendered");
      json_builder_add_int_value (builder, tendered);
    }
  json_builder_end_object (builder);

  id = _park_client_segment (reservation_id);
  call = _park_client_call_new ("POST", g_strdup_printf ("api/v1/reservations/%s/payments", id),
                                handle_payment);
  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  call->idempotency_key = g_uuid_string_random ();
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_pay_reservation_async);
}

/**
 * park_client_pay_reservation_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @reservation: (out) (optional) (transfer full): the booking as it is after the payment
 * @client_secret: (out) (optional) (transfer full) (nullable): for a card payment its holder
 *   must still confirm (3-D Secure; #ParkPayment:status pending): the secret to hand to
 *   Stripe on the payer's device; %NULL otherwise
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the payment, or %NULL with @error set
 */
ParkPayment *
park_client_pay_reservation_finish (ParkClient       *self,
                                    GAsyncResult     *result,
                                    ParkReservation **reservation,
                                    char            **client_secret,
                                    GError          **error)
{
  g_autoptr(PayResult) pay = _park_client_finish_pointer (self, result,
                                                          park_client_pay_reservation_async,
                                                          error);

  if (pay == NULL)
    return NULL;
  if (reservation != NULL)
    *reservation = g_steal_pointer (&pay->reservation);
  if (client_secret != NULL)
    *client_secret = g_steal_pointer (&pay->client_secret);
  return g_steal_pointer (&pay->payment);
}

typedef struct
{
  char            *url;
  GDateTime       *expires_at;
  ParkReservation *reservation;
} CheckoutResult;

static void
checkout_result_free (CheckoutResult *result)
{
  g_free (result->url);
  g_clear_pointer (&result->expires_at, g_date_time_unref);
  g_clear_object (&result->reservation);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CheckoutResult, checkout_result_free)

static void
handle_checkout (ParkClient *self,
                 GTask      *task,
                 Call       *call,
                 guint       status,
                 JsonObject *root,
                 GBytes     *body)
{
  g_autoptr(GTask) owned = task;
  g_autoptr(CheckoutResult) out = g_new0 (CheckoutResult, 1);
  g_autoptr(GError) error = NULL;
  ParkJsonReader reader, page;

  if (root == NULL)
    {
      g_task_return_error (owned, _park_client_error_new_invalid_response (NULL, "no body"));
      return;
    }
  _park_json_reader_init (&reader, root, NULL);
  if (_park_json_reader_enter (&reader, "checkout", 0, &page))
    {
      out->url = _park_json_dup_string (&page, "url", PARK_JSON_NONEMPTY);
      out->expires_at = _park_json_dup_date_time (&page, "expires_at", 0);
    }
  out->reservation = _park_json_read_model (&reader, "reservation", 0,
                                            (ParkModelParser) _park_reservation_new_from_json_at);
  if (!_park_json_reader_finish (&reader, &error))
    g_task_return_error (owned, g_steal_pointer (&error));
  else
    g_task_return_pointer (owned, g_steal_pointer (&out), (GDestroyNotify) checkout_result_free);
}

/**
 * park_client_create_checkout_async:
 * @self: a #ParkClient
 * @reservation_id: the booking's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Asks for Stripe's payment page for what a booking owes, for its driver to pay on a
 * phone (a kiosk shows its address as a QR code). Asked again while the page is open, the
 * same page comes back. The booking is confirmed once Stripe reports the payment: watch it
 * with park_client_get_reservation_async() or the live feed; cancelling the booking closes
 * the page.
 */
void
park_client_create_checkout_async (ParkClient          *self,
                                   const char          *reservation_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *id = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (reservation_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  id = _park_client_segment (reservation_id);
  call = _park_client_call_new ("POST", g_strdup_printf ("api/v1/reservations/%s/checkout", id),
                                handle_checkout);
  call->authenticated = TRUE;
  call->kiosk = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_create_checkout_async);
}

/**
 * park_client_create_checkout_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @expires_at: (out) (optional) (transfer full): when Stripe closes the page
 * @reservation: (out) (optional) (transfer full): the booking as it is now
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the payment page's URL, or %NULL with @error set
 */
char *
park_client_create_checkout_finish (ParkClient       *self,
                                    GAsyncResult     *result,
                                    GDateTime       **expires_at,
                                    ParkReservation **reservation,
                                    GError          **error)
{
  g_autoptr(CheckoutResult) out = _park_client_finish_pointer (self, result,
                                                               park_client_create_checkout_async,
                                                               error);

  if (out == NULL)
    return NULL;
  if (expires_at != NULL)
    *expires_at = g_steal_pointer (&out->expires_at);
  if (reservation != NULL)
    *reservation = g_steal_pointer (&out->reservation);
  return g_steal_pointer (&out->url);
}

/**
 * park_client_get_receipt_async:
 * @self: a #ParkClient
 * @payment_id: the payment's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches what a payment paid for, for the driver who paid or staff of the lot.
 */
void
park_client_get_receipt_async (ParkClient          *self,
                               const char          *payment_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *id = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (payment_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  id = _park_client_segment (payment_id);
  call = _park_client_model_call ("GET", g_strdup_printf ("api/v1/payments/%s/receipt", id),
                                  (ParkModelParser) _park_receipt_new_from_json_at);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_get_receipt_async);
}

/**
 * park_client_get_receipt_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the receipt, or %NULL with @error set
 */
ParkReceipt *
park_client_get_receipt_finish (ParkClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_get_receipt_async, error);
}

static void
handle_text (ParkClient *self,
             GTask      *task,
             Call       *call,
             guint       status,
             JsonObject *root,
             GBytes     *body)
{
  g_autoptr(GTask) owned = task;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  if (data == NULL || len == 0 || !g_utf8_validate_len (data, len, NULL))
    g_task_return_error (owned, _park_client_error_new_invalid_response (NULL, "a receipt that "
                                                                         "is not UTF-8 text"));
  else
    g_task_return_pointer (owned, g_strndup (data, len), g_free);
}

/**
 * park_client_get_receipt_text_async:
 * @self: a #ParkClient
 * @payment_id: the payment's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches a payment's receipt as 42-column plain text for a booth printer.
 */
void
park_client_get_receipt_text_async (ParkClient          *self,
                                    const char          *payment_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *id = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (payment_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  id = _park_client_segment (payment_id);
  call = _park_client_call_new ("GET", g_strdup_printf ("api/v1/payments/%s/receipt?format=text",
                                                        id),
                                handle_text);
  call->accept = "text/plain";
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_get_receipt_text_async);
}

/**
 * park_client_get_receipt_text_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the receipt's text, or %NULL with @error set
 */
char *
park_client_get_receipt_text_finish (ParkClient    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_get_receipt_text_async, error);
}

/**
 * park_client_list_reservation_payments_async:
 * @self: a #ParkClient
 * @reservation_id: the booking's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads a booking's payments, oldest first (its driver, or staff of its operator): each with
 * the id of its receipt, also for payments made at the booth or on another device.
 */
void
park_client_list_reservation_payments_async (ParkClient          *self,
                                             const char          *reservation_id,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autofree char *id = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (reservation_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  id = _park_client_segment (reservation_id);
  call = _park_client_list_call (g_strconcat ("api/v1/reservations/", id, "/payments", NULL),
                                 (ParkModelParser) _park_payment_new_from_json_at,
                                 PARK_TYPE_PAYMENT, 0);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_list_reservation_payments_async);
}

/**
 * park_client_list_reservation_payments_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a #GListModel of #ParkPayment, oldest first, or %NULL with
 *   @error set
 */
GListModel *
park_client_list_reservation_payments_finish (ParkClient    *self,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_list_reservation_payments_async,
                                      error);
}
