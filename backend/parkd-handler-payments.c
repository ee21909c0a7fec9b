/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-handler-payments.c: paying for a booking (card through Stripe, cash at the booth),
 * receipts, refunds on cancellation and Stripe's webhooks.
 *
 * Everything here runs on the blocking pool: Stripe is a network call. parkd keeps only
 * Stripe's ids; a card number never reaches it (clients send a payment method token).
 */
#include "config.h"

#include "parkd-pricing.h"
#include "parkd-reply.h"
#include "parkd-server.h"
#include "parkd-stripe.h"

#include <sodium.h>
#include <string.h>

static gboolean
is_staff_of (ParkdRequest *r,
             const char   *operator_id)
{
  return r->principal != NULL && r->principal->role != PARKD_ROLE_DRIVER &&
         parkd_request_sees_operator (r, operator_id);
}

void
parkd_json_append_payment (GString            *out,
                           const ParkdPayment *p)
{
  g_string_append_c (out, '{');
  parkd_json_append_member (out, "id");
  parkd_json_append_string (out, p->id);
  parkd_json_append_member (out, "reservation_id");
  if (p->reservation_id != NULL)
    parkd_json_append_string (out, p->reservation_id);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "session_id");
  if (p->session_id != NULL)
    parkd_json_append_string (out, p->session_id);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "provider");
  parkd_json_append_string (out, p->provider);
  parkd_json_append_member (out, "provider_ref");
  if (p->provider_ref != NULL)
    parkd_json_append_string (out, p->provider_ref);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "status");
  parkd_json_append_string (out, p->status);
  parkd_json_append_member (out, "amount");
  parkd_json_append_int (out, p->amount);
  parkd_json_append_member (out, "refunded");
  parkd_json_append_int (out, p->refunded);
  parkd_json_append_member (out, "currency");
  parkd_json_append_string (out, p->currency);
  parkd_json_append_member (out, "tendered");
  if (p->tendered >= 0)
    parkd_json_append_int (out, p->tendered);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "change");
  if (p->change_given >= 0)
    parkd_json_append_int (out, p->change_given);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "created_at");
  parkd_json_append_string (out, p->created_at);
  g_string_append_c (out, '}');
}

/* The Stripe idempotency key of a charge: the same @subject (what is paid for), card and
 * client key always give the same key, so a retry after a lost answer never charges twice. */
static char *
charge_key (ParkdRequest     *r,
            const char       *subject,
            const char       *payment_method)
{
  ssize_t h = h2o_find_header_by_str (&r->req->headers, H2O_STRLIT ("idempotency-key"), -1);
  g_autofree char *text = g_strdup_printf ("%s|%s|%.*s", subject, payment_method, h != -1
                                           ? (int) MIN (r->req->headers.entries[h].value.len, 255)
                                           : 0,
                                           h != -1 ? r->req->headers.entries[h].value.base : "");
  guint8 hash[16];
  char hex[33];

  crypto_generichash (hash, sizeof hash, (const guint8 *) text, strlen (text), NULL, 0);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strconcat ("parkade-charge-", hex, NULL);
}

static ParkdReservation *
get_payable_reservation (ParkdRequest *r)
{
  g_autoptr(GError) error = NULL;
  ParkdReservation *res;

  if (!parkd_request_read_id (r, "reservation"))
    return NULL;
  res = parkd_store_get_reservation (r->store, r->params[0], &error);
  if (res != NULL && !parkd_request_owns_reservation (r, res) &&
      !is_staff_of (r, res->operator_id))
    g_clear_pointer (&res, parkd_reservation_free);
  if (res == NULL)
    {
      if (error != NULL &&
          !g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        parkd_reply_error (r, error);
      else
        parkd_reply_problem (r, 404, "not-found", NULL, "There is no reservation with this id");
    }
  return res;
}

/* 200 with @payments as one page (all of them), oldest first. */
void
parkd_reply_payment_list (ParkdRequest *r,
                          GPtrArray    *payments)
{
  GString *out = g_string_sized_new (256 + 512 * payments->len);

  g_string_append (out, "{\"items\":[");
  for (guint i = 0; i < payments->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      parkd_json_append_payment (out, g_ptr_array_index (payments, i));
    }
  g_string_append_printf (out, "],\"total\":%u,\"page\":1,\"per_page\":%u,"
                          "\"has_next\":false,\"has_prev\":false}", payments->len,
                          MAX (payments->len, 1));
  parkd_reply_json (r, 200, out);
}

/*
 * GET /api/v1/reservations/{id}/payments
 *
 * A booking's payments, oldest first (and refunds as they changed them), each with the id of
 * its receipt, so the driver finds every receipt of a booking, also those paid at the booth or
 * on another device. Its driver, or staff of its operator. 200 a page of payments (all of
 * them); 404 no such booking the caller may see.
 */
void
parkd_handle_reservation_payments (ParkdRequest *r)
{
  g_autoptr(ParkdReservation) res = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;

  if (!parkd_request_allow_params (r, NULL) || (res = get_payable_reservation (r)) == NULL)
    return;
  payments = parkd_store_list_payments (r->store, res->id, &error);
  if (payments == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  parkd_reply_payment_list (r, payments);
}

static void
reply_paid (ParkdRequest       *r,
            int                 status,
            const ParkdPayment *payment,
            const char         *client_secret)
{
  g_autoptr(ParkdReservation) res = parkd_store_get_reservation (r->store,
                                                                 payment->reservation_id, NULL);
  GString *out = g_string_sized_new (2048);

  g_string_append (out, "{\"payment\":");
  parkd_json_append_payment (out, payment);
  if (res != NULL)
    {
      g_string_append (out, ",\"reservation\":");
      parkd_json_append_reservation (out, res);
    }
  /* Only for a card that must still be confirmed by its holder (3-D Secure). */
  if (client_secret != NULL)
    {
      parkd_json_append_member (out, "client_secret");
      parkd_json_append_string (out, client_secret);
    }
  g_string_append_c (out, '}');
  parkd_reply_json (r, status, out);
}

/* The request's Idempotency-Key, or NULL; "" (answered) when it is unusable. */
static char *
idempotency_key (ParkdRequest *r)
{
  ssize_t h = h2o_find_header_by_str (&r->req->headers, H2O_STRLIT ("idempotency-key"), -1);
  h2o_iovec_t v;

  if (h == -1)
    return NULL;
  v = r->req->headers.entries[h].value;
  if (v.len == 0 || v.len > 255)
    {
      parkd_reply_problem (r, 400, "invalid-parameter", "Idempotency-Key",
                           "The Idempotency-Key must be 1 to 255 characters");
      return g_strdup ("");
    }
  return g_strndup (v.base, v.len);
}

/* A payment made before with this key answers as it did then (a client whose answer was
 * lost learns its payment id); the key on another booking is refused. */
static void
replay_payment (ParkdRequest *r,
                ParkdPayment *known)
{
  g_autoptr(ParkdStripeIntent) intent = NULL;

  if (g_strcmp0 (known->reservation_id, r->params[0]) != 0)
    {
      parkd_reply_problem (r, 422, "idempotency-key-reused", NULL,
                           "This Idempotency-Key was used to pay another booking");
      return;
    }
  parkd_reply_add_header (r, "idempotent-replayed", "true");
  if (g_str_equal (known->status, "failed"))
    {
      parkd_reply_problem (r, 402, "payment-failed", "payment_method",
                           "The card payment did not go through; try another card");
      return;
    }
  /* A card still waiting for its holder needs its client_secret again. */
  if (g_str_equal (known->status, "pending") && r->stripe != NULL && known->provider_ref != NULL)
    intent = parkd_stripe_get_payment (r->stripe, known->provider_ref, NULL);
  reply_paid (r, g_str_equal (known->status, "pending") ? 202 : 201, known,
              intent != NULL && g_strcmp0 (intent->status, "requires_action") == 0
              ? intent->client_secret : NULL);
}

static void
record (ParkdRequest      *r,
        ParkdPayment      *payment,
        const char        *client_secret)
{
  g_autoptr(ParkdPayment) recorded = NULL;
  g_autoptr(GError) error = NULL;
  ParkdAudit audit;

  parkd_request_audit_init (r, &audit, "payment.create", "payment", NULL, NULL);
  payment->idem_scope = payment->idem_key != NULL ? r->principal->user_id : NULL;
  recorded = parkd_store_record_payment (r->store, payment, &audit, &error);
  if (recorded == NULL)
    {
      /* Money taken for a booking that meanwhile stopped waiting for it (its hold ran out)
       * or that could not be written goes back to the card. */
      if (payment->provider_ref != NULL && g_str_equal (payment->status, "succeeded"))
        {
          gboolean refunded = parkd_payments_void_charge (r, payment->provider_ref,
                                                          payment->amount, payment->currency,
                                                          payment->operator_id,
                                                          error->message);

          parkd_reply_problem (r, g_error_matches (error, PARKD_STORE_ERROR,
                                                   PARKD_STORE_ERROR_STATE) ? 409 : 503,
                               g_error_matches (error, PARKD_STORE_ERROR,
                                                PARKD_STORE_ERROR_STATE)
                               ? "invalid-state" : "payment-not-recorded", NULL,
                               "%s; the card payment %s", error->message,
                               refunded ? "was refunded" : "will be refunded");
          return;
        }
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE))
        parkd_reply_problem (r, 409, "invalid-state", NULL, "%s", error->message);
      else
        parkd_reply_error (r, error);
      return;
    }
  if (g_str_equal (recorded->status, "failed"))
    parkd_reply_problem (r, 402, "payment-failed", "payment_method",
                         "The card payment did not go through; try another card");
  else
    reply_paid (r, g_str_equal (recorded->status, "succeeded") ? 201 : 202, recorded,
                client_secret);
}

ParkdStripeIntent *
parkd_payments_charge_card (ParkdRequest       *r,
                            const char         *subject,
                            gint64              amount,
                            const char         *currency,
                            const char         *payment_method,
                            const char         *description,
                            const char * const *metadata)
{
  g_autofree char *key = charge_key (r, subject, payment_method);
  g_autofree char *lower = g_ascii_strdown (currency, -1);
  g_autoptr(GError) error = NULL;
  ParkdStripeIntent *intent;

  g_return_val_if_fail (r->stripe != NULL, NULL);
  intent = parkd_stripe_create_payment (r->stripe, amount, lower, payment_method, description,
                                        metadata, key, &error);
  /* Stripe answers a key it saw with the charge it made then. When parkd could not record
   * that one and gave it back, this retry is a new charge, under a key made from the voided
   * one: retrying once more finds the same. */
  for (guint i = 0; intent != NULL && i < 3; i++)
    {
      g_autoptr(ParkdRefundDue) voided = parkd_store_get_void (r->store, intent->id, NULL);
      g_autofree char *next = NULL;

      if (voided == NULL)
        return intent;
      next = g_strconcat (key, "-", intent->id, NULL);
      g_clear_pointer (&intent, parkd_stripe_intent_free);
      g_free (key);
      key = g_steal_pointer (&next);
      intent = parkd_stripe_create_payment (r->stripe, amount, lower, payment_method,
                                            description, metadata, key, &error);
    }
  if (intent != NULL)
    {
      parkd_stripe_intent_free (intent);
      parkd_reply_problem (r, 409, "card-payment-voided", "payment_method",
                           "This card was charged and refunded several times without a "
                           "record; take cash or try again later");
      return NULL;
    }
  if (g_error_matches (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_CARD_DECLINED))
    parkd_reply_problem (r, 402, "card-declined", "payment_method",
                         "The card was declined (%s); try another card",
                         parkd_stripe_error_get_decline_code (error) != NULL
                         ? parkd_stripe_error_get_decline_code (error) : "declined");
  else if (g_error_matches (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_INVALID_REQUEST) ||
           g_error_matches (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_IDEMPOTENCY))
    parkd_reply_problem (r, 400, "invalid-field", "payment_method",
                         "The payment method was refused: %s", error->message);
  else
    {
      g_warning ("stripe: %s", error->message);
      parkd_reply_add_header (r, "retry-after", "5");
      parkd_reply_problem (r, 502, "payment-provider-unavailable", NULL,
                           "The card payment service did not answer; try again (nothing "
                           "is charged twice)");
    }
  return NULL;
}

static void
pay_by_card (ParkdRequest     *r,
             ParkdReservation *res,
             gint64            amount,
             char             *idem_key)
{
  const char *payment_method = NULL;
  g_autoptr(ParkdStripeIntent) intent = NULL;
  g_autofree char *subject = NULL, *description = NULL;
  const char *metadata[] = { "reservation_id", res->id, "reservation_code", res->code, NULL };
  ParkdPayment payment = { 0, };

  if (!parkd_body_string (r, "payment_method", TRUE, 255, &payment_method, NULL))
    return;
  if (r->stripe == NULL)
    {
      parkd_reply_problem (r, 503, "card-payments-off", "provider",
                           "Card payments are not set up here; pay at the booth");
      return;
    }
  if (!parkd_request_owns_reservation (r, res))
    {
      parkd_reply_problem (r, 403, "forbidden", "provider",
                           "Only the driver pays a booking by card");
      return;
    }
  /* The amount is part of what the key stands for: a booking extended meanwhile is another
   * charge. */
  subject = g_strdup_printf ("%s|%" G_GINT64_FORMAT, res->id, amount);
  description = g_strdup_printf ("Parking %s, %s", res->lot_name, res->code);
  intent = parkd_payments_charge_card (r, subject, amount, res->currency, payment_method,
                                       description, metadata);
  if (intent == NULL)
    return;

  payment.reservation_id = res->id;
  payment.user_id = r->principal->user_id;
  payment.operator_id = res->operator_id;
  payment.provider = (char *) "stripe";
  payment.provider_ref = intent->id;
  payment.amount = amount;
  payment.currency = res->currency;
  payment.status = (char *) (g_strcmp0 (intent->status, "succeeded") == 0 ? "succeeded"
                             : g_strcmp0 (intent->status, "canceled") == 0 ? "failed"
                             : "pending");
  payment.tendered = payment.change_given = -1;
  payment.breakdown = res->breakdown;
  payment.idem_key = idem_key;

  /* A replayed charge (the same key again) is already recorded: answer with that. */
  {
    g_autoptr(ParkdPayment) known = parkd_store_get_payment_by_ref (r->store, "stripe",
                                                                     intent->id, NULL);

    if (known != NULL)
      {
        parkd_reply_add_header (r, "idempotent-replayed", "true");
        if (g_str_equal (known->status, "failed"))
          parkd_reply_problem (r, 402, "payment-failed", "payment_method",
                               "The card payment did not go through; try another card");
        else
          reply_paid (r, g_str_equal (known->status, "succeeded") ? 201 : 202, known,
                      g_strcmp0 (intent->status, "requires_action") == 0
                      ? intent->client_secret : NULL);
        return;
      }
  }
  record (r, &payment, g_strcmp0 (intent->status, "requires_action") == 0
                       ? intent->client_secret : NULL);
}

static void
pay_cash (ParkdRequest     *r,
          ParkdReservation *res,
          gint64            amount,
          char             *idem_key)
{
  gint64 tendered = 0;
  ParkdPayment payment = { 0, };

  if (!parkd_body_int (r, "tendered", TRUE, 0, 100000000, &tendered, NULL))
    return;
  if (!is_staff_of (r, res->operator_id))
    {
      parkd_reply_problem (r, 403, "forbidden", "provider",
                           "Cash is taken by the lot's attendants");
      return;
    }
  if (tendered < amount)
    {
      parkd_reply_problem (r, 400, "invalid-field", "tendered",
                           "%" G_GINT64_FORMAT " is less than the %" G_GINT64_FORMAT " due",
                           tendered, amount);
      return;
    }
  payment.reservation_id = res->id;
  payment.user_id = res->user_id;
  payment.provider = (char *) "cash";
  payment.amount = amount;
  payment.currency = res->currency;
  payment.status = (char *) "succeeded";
  payment.tendered = tendered;
  payment.change_given = tendered - amount;
  payment.attendant_id = r->principal->user_id;
  payment.breakdown = res->breakdown;
  payment.idem_key = idem_key;
  record (r, &payment, NULL);
}

/*
 * POST /api/v1/reservations/{id}/payments {"provider": "stripe", "payment_method": "pm_..."}
 *                                        | {"provider": "cash", "tendered": 2000}
 *
 * Pays what is due. 201 paid (the booking is confirmed), 202 a card that its holder must still
 * confirm (client_secret), 402 card declined, 409 nothing to pay or no longer payable.
 */
void
parkd_handle_reservation_pay (ParkdRequest *r)
{
  static const char * const allowed[] = { "provider", "payment_method", "tendered", NULL };
  static const char * const read_only[] = { "amount", "status", "currency", "id", NULL };
  g_autoptr(ParkdReservation) res = NULL;
  g_autoptr(ParkdPayment) known = NULL;
  g_autofree char *idem_key = NULL;
  const char *provider = NULL;
  gint64 due;

  if (!parkd_request_allow_params (r, NULL) || !parkd_body_allow (r, allowed, read_only) ||
      !parkd_body_string (r, "provider", TRUE, 16, &provider, NULL) ||
      (res = get_payable_reservation (r)) == NULL)
    return;
  idem_key = idempotency_key (r);
  if (idem_key != NULL && *idem_key == '\0')
    return;
  if (idem_key != NULL &&
      (known = parkd_store_get_payment_by_key (r->store, r->principal->user_id, idem_key,
                                               NULL)) != NULL)
    {
      replay_payment (r, known);
      return;
    }
  due = res->total - res->paid;
  if (due <= 0)
    {
      parkd_reply_problem (r, 409, "nothing-to-pay", NULL, "This booking is paid");
      return;
    }
  if (res->status != PARKD_RESERVATION_PENDING_PAYMENT &&
      res->status != PARKD_RESERVATION_CONFIRMED && res->status != PARKD_RESERVATION_CHECKED_IN)
    {
      parkd_reply_problem (r, 409, "invalid-state", NULL, "A %s booking takes no payment",
                           parkd_reservation_status_to_string (res->status));
      return;
    }
  if (g_str_equal (provider, "stripe"))
    pay_by_card (r, res, due, idem_key);
  else if (g_str_equal (provider, "cash"))
    pay_cash (r, res, due, idem_key);
  else
    parkd_reply_problem (r, 400, "invalid-field", "provider",
                         "\"provider\" must be stripe or cash");
}

/* ---- Stripe Checkout: the driver pays on Stripe's own page, from a phone (issue 7) ---- */

static gboolean
is_checkout_payment (const ParkdPayment *p)
{
  return g_str_equal (p->provider, "stripe") && p->provider_ref != NULL &&
         g_str_has_prefix (p->provider_ref, "cs_");
}

/* Brings a checkout payment in line with its session at Stripe: paid → the payment succeeds
 * (or, for a booking that stopped waiting for it, the charge goes back); expired → the
 * payment fails; open → nothing. FALSE only when the store failed (@error set), so that
 * Stripe sends its webhook again. */
static gboolean
settle_checkout (ParkdRequest              *r,
                 const ParkdPayment        *payment,
                 const ParkdStripeCheckout *checkout,
                 GError                   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(ParkdPayment) settled = NULL;

  if (g_str_equal (checkout->status, "complete") &&
      g_strcmp0 (checkout->payment_status, "paid") == 0 && checkout->payment_intent != NULL)
    {
      g_autofree char *currency = g_ascii_strup (checkout->currency != NULL
                                                 ? checkout->currency : payment->currency, -1);

      if (g_str_equal (payment->status, "pending"))
        settled = parkd_store_complete_checkout (r->store, payment->id, checkout->payment_intent,
                                                 &local_error);
      else if (g_str_equal (payment->status, "failed"))
        /* Expired here first (cancelled, timed out) while the driver was paying. */
        g_set_error_literal (&local_error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                             "the booking's payment page was closed");
      else
        return TRUE;
      if (settled != NULL)
        {
          g_message ("checkout %s paid booking %s: %s", checkout->id, payment->reservation_id,
                     checkout->payment_intent);
          return TRUE;
        }
      if (!g_error_matches (local_error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      parkd_payments_void_charge (r, checkout->payment_intent,
                                  checkout->amount_total > 0 ? checkout->amount_total
                                                             : payment->amount,
                                  currency, payment->operator_id, local_error->message);
      return TRUE;
    }
  if (g_str_equal (checkout->status, "expired") && g_str_equal (payment->status, "pending"))
    {
      settled = parkd_store_set_payment_status (r->store, payment->id, "failed", error);
      return settled != NULL;
    }
  return TRUE;
}

/* Closes the open payment pages of a booking (before it is cancelled), so nobody pays for a
 * spot that is no longer held; a page paid meanwhile is settled as the webhook would. */
void
parkd_payments_end_checkouts (ParkdRequest *r,
                              const char   *reservation_id)
{
  g_autoptr(GPtrArray) payments = NULL;

  if (r->stripe == NULL)
    return;
  payments = parkd_store_list_payments (r->store, reservation_id, NULL);
  for (guint i = 0; payments != NULL && i < payments->len; i++)
    {
      ParkdPayment *p = g_ptr_array_index (payments, i);
      g_autoptr(ParkdStripeCheckout) checkout = NULL;
      g_autoptr(GError) error = NULL;

      if (!is_checkout_payment (p) || !g_str_equal (p->status, "pending"))
        continue;
      checkout = parkd_stripe_expire_checkout (r->stripe, p->provider_ref, &error);
      /* Not open any more: paid or expired already; see which. */
      if (checkout == NULL && g_error_matches (error, PARKD_STRIPE_ERROR,
                                               PARKD_STRIPE_ERROR_INVALID_REQUEST))
        {
          g_clear_error (&error);
          checkout = parkd_stripe_get_checkout (r->stripe, p->provider_ref, &error);
        }
      if (checkout == NULL)
        {
          g_warning ("checkout %s of booking %s could not be closed: %s", p->provider_ref,
                     reservation_id, error->message);
          continue;
        }
      if (!settle_checkout (r, p, checkout, &error))
        g_warning ("checkout %s: %s", p->provider_ref, error->message);
    }
}

static void
reply_checkout (ParkdRequest              *r,
                int                        status,
                const ParkdPayment        *payment,
                const ParkdStripeCheckout *checkout)
{
  g_autoptr(ParkdReservation) res = parkd_store_get_reservation (r->store,
                                                                 payment->reservation_id, NULL);
  g_autoptr(GDateTime) expires = g_date_time_new_from_unix_utc (checkout->expires_at);
  g_autofree char *expires_text = g_date_time_format (expires, "%Y-%m-%dT%H:%M:%SZ");
  GString *out = g_string_sized_new (2048);

  g_string_append (out, "{\"checkout\":{");
  parkd_json_append_member (out, "id");
  parkd_json_append_string (out, checkout->id);
  parkd_json_append_member (out, "url");
  parkd_json_append_string (out, checkout->url);
  parkd_json_append_member (out, "expires_at");
  parkd_json_append_string (out, expires_text);
  g_string_append (out, "},\"payment\":");
  parkd_json_append_payment (out, payment);
  if (res != NULL)
    {
      g_string_append (out, ",\"reservation\":");
      parkd_json_append_reservation (out, res);
    }
  g_string_append_c (out, '}');
  parkd_reply_json (r, status, out);
}

/* A checkout's page stays open at least this long (Stripe's minimum is 30 minutes). */
#define CHECKOUT_OPEN_S (31 * 60)

/*
 * POST /api/v1/reservations/{id}/checkout
 *
 * A payment page at Stripe (a Checkout Session) for what the booking owes, for a driver who
 * pays with a phone: the kiosk shows its URL as a QR code. No body. The payment is recorded
 * as pending under the session's id; Stripe's checkout.session.completed webhook completes it
 * and confirms the booking (checkout.session.expired ends it). Asked again while that page
 * is open, the same page answers (200); else a new one (201). Only the booking's driver, or
 * for a guest's booking the kiosk it was made at (Authorization: Kiosk KEY), while recent.
 * 401; 403 not the driver; 404; 409 nothing-to-pay, invalid-state; 502 Stripe did not
 * answer; 503 card-payments-off (no secret key or no checkout-success-url).
 */
void
parkd_handle_reservation_checkout (ParkdRequest *r)
{
  g_autoptr(ParkdReservation) res = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(ParkdStripeCheckout) checkout = NULL;
  g_autoptr(ParkdPayment) recorded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL, *name = NULL;
  const ParkdConfig *config = parkd_server_get_config (r->server);
  const char *cancel_url;
  const char *metadata[] = { "reservation_id", NULL, "reservation_code", NULL, NULL };
  ParkdPayment payment = { 0, };
  ParkdAudit audit;
  gboolean settled = FALSE;
  gint64 due;

  if (!parkd_request_allow_params (r, NULL) || (res = get_payable_reservation (r)) == NULL)
    return;
  if (r->stripe == NULL || config->checkout_success_url == NULL ||
      *config->checkout_success_url == '\0')
    {
      parkd_reply_problem (r, 503, "card-payments-off", "provider",
                           "Card payments are not set up here; pay at the booth");
      return;
    }
  if (!parkd_request_owns_reservation (r, res))
    {
      parkd_reply_problem (r, 403, "forbidden", NULL, "Only the driver pays a booking by card");
      return;
    }
  due = res->total - res->paid;
  if (due <= 0)
    {
      parkd_reply_problem (r, 409, "nothing-to-pay", NULL, "This booking is paid");
      return;
    }
  if (res->status != PARKD_RESERVATION_PENDING_PAYMENT &&
      res->status != PARKD_RESERVATION_CONFIRMED && res->status != PARKD_RESERVATION_CHECKED_IN)
    {
      parkd_reply_problem (r, 409, "invalid-state", NULL, "A %s booking takes no payment",
                           parkd_reservation_status_to_string (res->status));
      return;
    }

  /* A page asked for before and still open answers again: a kiosk that lost the answer, or
   * a second tap, shows the same QR code. */
  payments = parkd_store_list_payments (r->store, res->id, NULL);
  for (guint i = 0; payments != NULL && i < payments->len; i++)
    {
      ParkdPayment *p = g_ptr_array_index (payments, i);
      g_autoptr(ParkdStripeCheckout) known = NULL;

      if (!is_checkout_payment (p))
        continue;
      if (!g_str_equal (p->status, "pending") ||
          (known = parkd_stripe_get_checkout (r->stripe, p->provider_ref, NULL)) == NULL)
        continue;
      if (g_str_equal (known->status, "open") && p->amount == due && known->url != NULL)
        {
          reply_checkout (r, 200, p, known);
          return;
        }
      /* A page for another amount (the booking changed since): closed, so that only the
       * new one can be paid. */
      if (g_str_equal (known->status, "open"))
        {
          ParkdStripeCheckout *closed = parkd_stripe_expire_checkout (r->stripe, known->id, NULL);

          if (closed != NULL)
            {
              parkd_stripe_checkout_free (known);
              known = closed;
            }
        }
      if (!settle_checkout (r, p, known, &error))
        {
          parkd_reply_error (r, error);
          return;
        }
      settled = TRUE;
    }
  /* A page paid meanwhile (its webhook still on the way) may have paid it all. */
  if (settled)
    {
      g_autoptr(ParkdReservation) now = parkd_store_get_reservation (r->store, res->id, &error);

      if (now == NULL)
        {
          parkd_reply_error (r, error);
          return;
        }
      g_clear_pointer (&res, parkd_reservation_free);
      res = g_steal_pointer (&now);
      due = res->total - res->paid;
      if (due <= 0)
        {
          parkd_reply_problem (r, 409, "nothing-to-pay", NULL, "This booking is paid");
          return;
        }
    }

  metadata[1] = res->id;
  metadata[3] = res->code;
  cancel_url = config->checkout_cancel_url != NULL && *config->checkout_cancel_url != '\0'
               ? config->checkout_cancel_url : config->checkout_success_url;
  /* The same booking, amount and number of payments before always make the same key: a
   * retry after a lost answer finds the page Stripe made, never a second one, and a page
   * after another (expired, paid) is a new one. */
  key = g_strdup_printf ("parkade-checkout-%s-%" G_GINT64_FORMAT "-%u", res->id, due,
                         payments != NULL ? payments->len : 0);
  name = g_strdup_printf ("Parking %s, %s", res->lot_name, res->code);
  checkout = parkd_stripe_create_checkout (r->stripe, due, res->currency, name,
                                           config->checkout_success_url, cancel_url, res->id,
                                           metadata, g_get_real_time () / G_USEC_PER_SEC +
                                           CHECKOUT_OPEN_S, key, &error);
  if (checkout == NULL || checkout->url == NULL)
    {
      g_warning ("stripe: checkout for booking %s: %s", res->id,
                 error != NULL ? error->message : "no url");
      parkd_reply_add_header (r, "retry-after", "5");
      parkd_reply_problem (r, 502, "payment-provider-unavailable", NULL,
                           "The card payment service did not answer; try again");
      return;
    }

  payment.reservation_id = res->id;
  payment.user_id = r->principal != NULL ? r->principal->user_id : NULL;
  payment.operator_id = res->operator_id;
  payment.provider = (char *) "stripe";
  payment.provider_ref = checkout->id;
  payment.amount = due;
  payment.currency = res->currency;
  payment.status = (char *) "pending";
  payment.tendered = payment.change_given = -1;
  payment.breakdown = res->breakdown;
  parkd_request_audit_init (r, &audit, "payment.checkout", "payment", NULL, res->operator_id);
  recorded = parkd_store_record_payment (r->store, &payment, &audit, &error);
  if (recorded == NULL)
    {
      /* A page nobody can pay on: closed at once. */
      g_autoptr(ParkdStripeCheckout) closed = parkd_stripe_expire_checkout (r->stripe,
                                                                            checkout->id, NULL);

      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE))
        parkd_reply_problem (r, 409, "invalid-state", NULL, "%s", error->message);
      else
        parkd_reply_error (r, error);
      return;
    }
  reply_checkout (r, 201, recorded, checkout);
}

/* @utc in @time_zone, as @format has it; @utc itself when either cannot be read. */
static char *
local_time (const char *utc,
            const char *time_zone,
            const char *format)
{
  g_autoptr(GDateTime) dt = utc != NULL ? g_date_time_new_from_iso8601 (utc, NULL) : NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (time_zone);
  g_autoptr(GDateTime) local = NULL;

  if (dt == NULL || tz == NULL)
    return g_strdup (utc);
  local = g_date_time_to_timezone (dt, tz);
  return g_date_time_format (local, format);
}

#define RECEIPT_TIME "%Y-%m-%d %H:%M %Z"
#define RECEIPT_RULE "------------------------------------------\n"

static void
append_receipt_line (GString    *out,
                     const char *label,
                     const char *value)
{
  g_string_append_printf (out, "%-9s%s\n", label, value);
}

static void
append_receipt_time (GString    *out,
                     const char *label,
                     const char *utc,
                     const char *time_zone)
{
  g_autofree char *local = local_time (utc, time_zone, RECEIPT_TIME);

  append_receipt_line (out, label, local);
}

/* A receipt a booth printer can print: 42 columns, plain text. A booking's names the booking
 * and its time; a walk-in stay's its ticket, plate and times in and out (or the time to leave
 * by, when the car is still in), in the lot's local time. */
static GString *
text_receipt (const ParkdPayment        *p,
              const ParkdReservation    *res,
              const ParkdParkingSession *stay,
              const char                *plate)
{
  GString *out = g_string_sized_new (1024);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_string_append_printf (out, "%s\n%s\n%s\n", p->operator_name, p->lot_name, p->lot_address);
  g_string_append (out, RECEIPT_RULE);
  append_receipt_line (out, "Receipt", p->id);
  if (p->reservation_code != NULL)
    append_receipt_line (out, "Booking", p->reservation_code);
  if (stay != NULL)
    {
      append_receipt_line (out, "Ticket", stay->ticket);
      append_receipt_line (out, "Plate", plate != NULL ? plate : "");
    }
  append_receipt_time (out, "Paid", p->created_at, p->time_zone);
  if (res != NULL)
    {
      g_string_append_printf (out, "%-9s%s (%s)\n", "Spot", res->spot_number,
                              parkd_spot_type_to_string (res->spot_type));
      append_receipt_time (out, "From", res->start_time, res->time_zone);
      append_receipt_time (out, "To", res->end_time, res->time_zone);
    }
  if (stay != NULL)
    {
      if (stay->spot_number != NULL)
        append_receipt_line (out, "Spot", stay->spot_number);
      append_receipt_time (out, "In", stay->checked_in_at, p->time_zone);
      if (stay->checked_out_at != NULL)
        append_receipt_time (out, "Out", stay->checked_out_at, p->time_zone);
      else if (stay->leave_by != NULL)
        append_receipt_time (out, "Leave by", stay->leave_by, p->time_zone);
    }
  g_string_append (out, RECEIPT_RULE);
  if (p->breakdown != NULL && json_parser_load_from_data (parser, p->breakdown, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonObject *b = json_node_get_object (json_parser_get_root (parser));
      JsonArray *lines = json_object_has_member (b, "lines")
                         ? json_object_get_array_member (b, "lines") : NULL;
      JsonObject *validation = json_object_has_member (b, "validation")
                               ? json_object_get_object_member (b, "validation") : NULL;

      for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
        {
          JsonObject *l = json_array_get_object_element (lines, i);

          /* A lost ticket's fee is a line without minutes. */
          if (json_object_has_member (l, "billed_minutes"))
            g_string_append_printf (out, "%-26.26s %3" G_GINT64_FORMAT " min ",
                                    json_object_get_string_member_with_default (l, "label", ""),
                                    json_object_get_int_member (l, "billed_minutes"));
          else
            g_string_append_printf (out, "%-35.35s",
                                    json_object_get_string_member_with_default (l, "label", ""));
          parkd_money_append (out, json_object_get_int_member_with_default (l, "amount", 0),
                              p->currency);
          g_string_append_c (out, '\n');
        }
      if (json_object_get_int_member_with_default (b, "cap_discount", 0) > 0)
        {
          g_string_append (out, "Daily maximum              -");
          parkd_money_append (out, json_object_get_int_member (b, "cap_discount"), p->currency);
          g_string_append_c (out, '\n');
        }
      if (validation != NULL)
        {
          g_string_append_printf (out, "Validation %-15.15s -",
                                  json_object_get_string_member_with_default (validation, "code",
                                                                              ""));
          parkd_money_append (out,
                              json_object_get_int_member_with_default (validation, "amount_off",
                                                                       0),
                              p->currency);
          g_string_append_c (out, '\n');
        }
      if (json_object_get_int_member_with_default (b, "tax", 0) > 0)
        {
          g_string_append_printf (out, "incl. tax %.2f %%            ",
                                  json_object_get_int_member (b, "tax_rate") / 100.0);
          parkd_money_append (out, json_object_get_int_member (b, "tax"), p->currency);
          g_string_append_c (out, '\n');
        }
    }
  g_string_append (out, RECEIPT_RULE "Total paid       ");
  parkd_money_append (out, p->amount, p->currency);
  g_string_append_printf (out, "\nBy               %s\n",
                          g_str_equal (p->provider, "cash") ? "cash" : "card");
  if (p->tendered >= 0)
    {
      g_string_append (out, "Tendered         ");
      parkd_money_append (out, p->tendered, p->currency);
      g_string_append (out, "\nChange           ");
      parkd_money_append (out, p->change_given, p->currency);
      g_string_append_c (out, '\n');
    }
  if (p->refunded > 0)
    {
      g_string_append (out, "Refunded         ");
      parkd_money_append (out, p->refunded, p->currency);
      g_string_append_c (out, '\n');
    }
  g_string_append_printf (out, RECEIPT_RULE "%s, %s\n", p->operator_name, p->operator_city);
  return out;
}

static void
append_nullable_local (GString    *out,
                       const char *name,
                       const char *utc,
                       const char *time_zone)
{
  parkd_json_append_member (out, name);
  if (utc != NULL)
    {
      g_autofree char *local = local_time (utc, time_zone, "%Y-%m-%dT%H:%M:%S%:z");

      parkd_json_append_string (out, local);
    }
  else
    g_string_append (out, "null");
}

/*
 * GET /api/v1/payments/{id}/receipt[?format=text]
 *
 * The receipt of a payment for its driver and the operator's staff: JSON, or plain text for a
 * receipt printer. A walk-in stay's payment (check-out) has no driver: staff only.
 */
void
parkd_handle_payment_receipt (ParkdRequest *r)
{
  static const char * const params[] = { "format", NULL };
  g_autoptr(ParkdPayment) p = NULL;
  g_autoptr(ParkdReservation) res = NULL;
  g_autoptr(ParkdParkingSession) stay = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *plate = NULL;
  const char *format = parkd_request_param (r, "format");
  GString *out;

  if (!parkd_request_allow_params (r, params) || !parkd_request_read_id (r, "payment"))
    return;
  if (format != NULL && !g_str_equal (format, "json") && !g_str_equal (format, "text"))
    {
      parkd_reply_problem (r, 400, "invalid-parameter", "format",
                           "\"format\" must be json or text");
      return;
    }
  p = parkd_store_get_payment (r->store, r->params[0], &error);
  if (p != NULL && (p->user_id == NULL || !g_str_equal (p->user_id, r->principal->user_id)) &&
      !is_staff_of (r, p->operator_id))
    g_clear_pointer (&p, parkd_payment_free);
  if (p == NULL)
    {
      if (error != NULL &&
          !g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        parkd_reply_error (r, error);
      else
        parkd_reply_problem (r, 404, "not-found", NULL, "There is no payment with this id");
      return;
    }
  if (p->reservation_id != NULL)
    res = parkd_store_get_reservation (r->store, p->reservation_id, NULL);
  if (p->session_id != NULL &&
      (stay = parkd_store_get_parking_session (r->store, p->session_id, &error)) == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  if (stay != NULL)
    plate = parkd_keys_open (parkd_auth_get_keys (r->auth), stay->plate_sealed, NULL);

  if (g_strcmp0 (format, "text") == 0)
    {
      parkd_reply_text (r, 200, "text/plain; charset=utf-8", text_receipt (p, res, stay, plate));
      return;
    }

  out = g_string_sized_new (2048);
  g_string_append (out, "{\"payment\":");
  parkd_json_append_payment (out, p);
  g_string_append (out, ",\"operator\":{");
  parkd_json_append_member (out, "name");
  parkd_json_append_string (out, p->operator_name);
  parkd_json_append_member (out, "city");
  parkd_json_append_string (out, p->operator_city);
  g_string_append (out, "},\"lot\":{");
  parkd_json_append_member (out, "name");
  parkd_json_append_string (out, p->lot_name);
  parkd_json_append_member (out, "address");
  parkd_json_append_string (out, p->lot_address);
  parkd_json_append_member (out, "time_zone");
  parkd_json_append_string (out, p->time_zone);
  g_string_append (out, "},\"reservation_code\":");
  if (p->reservation_code != NULL)
    parkd_json_append_string (out, p->reservation_code);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "session");
  if (stay != NULL)
    {
      g_string_append_c (out, '{');
      parkd_json_append_member (out, "id");
      parkd_json_append_string (out, stay->id);
      parkd_json_append_member (out, "ticket");
      parkd_json_append_string (out, stay->ticket);
      parkd_json_append_member (out, "plate");
      parkd_json_append_string (out, plate != NULL ? plate : "");
      parkd_json_append_member (out, "spot_number");
      if (stay->spot_number != NULL)
        parkd_json_append_string (out, stay->spot_number);
      else
        g_string_append (out, "null");
      append_nullable_local (out, "checked_in_at", stay->checked_in_at, p->time_zone);
      append_nullable_local (out, "checked_out_at", stay->checked_out_at, p->time_zone);
      append_nullable_local (out, "leave_by", stay->leave_by, p->time_zone);
      g_string_append_c (out, '}');
    }
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "breakdown");
  g_string_append (out, p->breakdown != NULL && *p->breakdown == '{' ? p->breakdown : "{}");
  g_string_append_c (out, '}');
  parkd_reply_json (r, 200, out);
}

/* Gives back @amount of a booking's payments, newest first: through Stripe for cards, as a
 * refund owed at the booth for cash. Returns what was refunded. */
gint64
parkd_payments_refund (ParkdRequest *r,
                       const char   *reservation_id,
                       gint64        amount,
                       const char   *reason)
{
  g_autoptr(GPtrArray) payments = parkd_store_list_payments (r->store, reservation_id, NULL);
  gint64 done = 0;

  for (guint i = payments != NULL ? payments->len : 0; i > 0 && done < amount; i--)
    {
      ParkdPayment *p = g_ptr_array_index (payments, i - 1);
      gint64 part = MIN (amount - done, p->amount - p->refunded);
      g_autofree char *provider_ref = NULL;
      g_autoptr(ParkdPayment) refunded = NULL;
      g_autoptr(GError) error = NULL;

      if (part <= 0 || (!g_str_equal (p->status, "succeeded") &&
                        !g_str_equal (p->status, "partially_refunded")))
        continue;
      /* A card refund is owed first (written down), then asked for: one Stripe did not
       * take now is made by the worker later, and shows on the payment when it is. */
      if (g_str_equal (p->provider, "stripe"))
        {
          g_autofree char *key = g_strdup_printf ("parkade-refund-%s-%" G_GINT64_FORMAT "-%"
                                                  G_GINT64_FORMAT, p->id, p->refunded, part);
          g_autoptr(ParkdRefundDue) due = NULL;
          ParkdRefundDue want = { 0, };
          ParkdAudit audit;

          if (r->stripe == NULL)
            continue;
          want.provider_ref = p->provider_ref;
          want.payment_id = p->id;
          want.amount = part;
          want.currency = p->currency;
          want.operator_id = p->operator_id;
          want.reason = (char *) reason;
          want.idem_key = key;
          parkd_request_audit_init (r, &audit, "payment.refund", "refund", NULL, p->operator_id);
          due = parkd_store_add_refund_due (r->store, &want, &audit, &error);
          if (due == NULL)
            g_warning ("refund of payment %s could not be written down: %s", p->id,
                       error->message);
          else if (parkd_payments_settle_refund (r->store, r->stripe, due))
            done += part;
          continue;
        }
      refunded = parkd_store_record_refund (r->store, p->id, part, provider_ref, reason, &error);
      if (refunded == NULL)
        {
          g_warning ("cash refund of payment %s was not recorded: %s", p->id, error->message);
          continue;
        }
      done += part;
    }
  return done;
}

gboolean
parkd_payments_settle_refund (ParkdStore     *store,
                              ParkdStripe    *stripe,
                              ParkdRefundDue *due)
{
  g_autofree char *refund_ref = NULL;
  g_autoptr(GError) error = NULL;

  refund_ref = parkd_stripe_refund (stripe, due->provider_ref, due->amount, due->idem_key,
                                    &error);
  /* Given back already (from Stripe's dashboard, say): nothing more is owed. */
  if (refund_ref == NULL &&
      g_strcmp0 (parkd_stripe_error_get_code (error), "charge_already_refunded") == 0)
    refund_ref = g_strdup ("charge_already_refunded");
  if (refund_ref == NULL)
    {
      g_autoptr(GError) store_error = NULL;

      g_warning ("refund of %s %" G_GINT64_FORMAT " on %s (%s) failed, attempt %d: %s",
                 due->currency, due->amount, due->provider_ref, due->reason, due->attempts + 1,
                 error->message);
      if (!parkd_store_fail_refund_due (store, due->id, error->message, &store_error))
        g_warning ("refund owed %" G_GINT64_FORMAT ": %s", due->id, store_error->message);
      return FALSE;
    }
  if (!parkd_store_finish_refund_due (store, due->id, refund_ref, &error))
    {
      /* Stripe keeps the refund under its key: the next try finds it and records it. */
      g_warning ("refund %s of %s was made but not recorded yet: %s", refund_ref,
                 due->provider_ref, error->message);
      return FALSE;
    }
  g_message ("refunded %s %" G_GINT64_FORMAT " on %s (%s): %s", due->currency, due->amount,
             due->provider_ref, due->payment_id != NULL ? "refund" : "unrecorded charge",
             refund_ref);
  return TRUE;
}

guint
parkd_payments_settle_refunds (ParkdStore  *store,
                               ParkdStripe *stripe)
{
  g_autoptr(GPtrArray) owed = NULL;
  g_autoptr(GError) error = NULL;
  guint done = 0;

  owed = parkd_store_list_refunds_due (store, 100, &error);
  if (owed == NULL)
    {
      g_warning ("refunds owed: %s", error->message);
      return 0;
    }
  for (guint i = 0; i < owed->len; i++)
    done += parkd_payments_settle_refund (store, stripe, g_ptr_array_index (owed, i));
  return done;
}

gboolean
parkd_payments_void_charge (ParkdRequest *r,
                            const char   *provider_ref,
                            gint64        amount,
                            const char   *currency,
                            const char   *operator_id,
                            const char   *why)
{
  g_autofree char *key = g_strconcat ("parkade-void-", provider_ref, NULL);
  g_autoptr(ParkdRefundDue) due = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) json = g_string_new ("{");
  ParkdRefundDue want = { 0, };
  ParkdAudit audit;

  g_return_val_if_fail (r->stripe != NULL, FALSE);
  parkd_json_append_member (json, "provider_ref");
  parkd_json_append_string (json, provider_ref);
  parkd_json_append_member (json, "amount");
  parkd_json_append_int (json, amount);
  parkd_json_append_member (json, "currency");
  parkd_json_append_string (json, currency);
  parkd_json_append_member (json, "reason");
  parkd_json_append_string (json, why);
  g_string_append_c (json, '}');
  want.provider_ref = (char *) provider_ref;
  want.amount = amount;
  want.currency = (char *) currency;
  want.operator_id = (char *) operator_id;
  want.reason = (char *) why;
  want.idem_key = key;
  parkd_request_audit_init (r, &audit, "payment.void", "refund", NULL, operator_id);
  audit.detail = json->str;
  due = parkd_store_add_refund_due (r->store, &want, &audit, &error);
  if (due == NULL && g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE))
    return FALSE;       /* recorded meanwhile, by a copy of the request: accounted for */
  if (due == NULL)
    {
      /* Nothing written: say so loudly, with all an operator needs to give it back. */
      g_warning ("card payment %s of %s %" G_GINT64_FORMAT " is neither recorded nor owed "
                  "back (%s): %s; refund it from Stripe's dashboard", provider_ref, currency,
                  amount, why, error->message);
      return FALSE;
    }
  g_warning ("card payment %s of %s %" G_GINT64_FORMAT " could not be recorded (%s): "
             "refunding it", provider_ref, currency, amount, why);
  return due->done_at != NULL || parkd_payments_settle_refund (r->store, r->stripe, due);
}

/* Stripe says a charge of ours succeeded that no payment records: parkd took the money and
 * then failed to write it down, or died in between. Within --stripe-unrecorded-after of the
 * charge the request may still be on its way: 503, and Stripe sends the event again later.
 * After that it is given back. FALSE when answered. */
static gboolean
settle_unrecorded (ParkdRequest *r,
                   JsonObject   *object,
                   const char   *intent)
{
  JsonObject *metadata = json_object_get_object_member (object, "metadata");
  const char *session_id = NULL, *reservation_id = NULL;
  g_autoptr(ParkdRefundDue) voided = NULL;
  g_autoptr(ParkdParkingSession) stay = NULL;
  g_autoptr(ParkdReservation) booking = NULL;
  g_autofree char *currency = NULL;
  gint64 created, amount, now = g_get_real_time () / G_USEC_PER_SEC;
  const char *why = "no payment recorded it";

  if (metadata != NULL)
    {
      session_id = json_object_get_string_member_with_default (metadata, "session_id", NULL);
      reservation_id = json_object_get_string_member_with_default (metadata, "reservation_id",
                                                                   NULL);
    }
  /* Another program's charge on the same Stripe account is none of parkd's business. */
  if (session_id == NULL && reservation_id == NULL)
    return TRUE;
  voided = parkd_store_get_void (r->store, intent, NULL);
  if (voided != NULL)
    {
      if (voided->done_at == NULL)
        parkd_payments_settle_refund (r->store, r->stripe, voided);
      return TRUE;
    }
  created = json_object_get_int_member_with_default (object, "created", 0);
  if (now - created < parkd_server_get_config (r->server)->stripe_unrecorded_after)
    {
      parkd_reply_add_header (r, "retry-after", "60");
      parkd_reply_problem (r, 503, "payment-not-recorded-yet", NULL,
                           "This charge is not recorded yet; send the event again later");
      return FALSE;
    }
  amount = json_object_get_int_member_with_default (object, "amount_received", 0);
  if (amount <= 0)
    amount = json_object_get_int_member_with_default (object, "amount", 0);
  currency = g_ascii_strup (json_object_get_string_member_with_default (object, "currency",
                                                                        "xxx"), -1);
  if (amount <= 0)
    return TRUE;
  if (session_id != NULL)
    stay = parkd_store_get_parking_session (r->store, session_id, NULL);
  else
    booking = parkd_store_get_reservation (r->store, reservation_id, NULL);
  parkd_payments_void_charge (r, intent, amount, currency,
                              stay != NULL ? stay->operator_id
                              : booking != NULL ? booking->operator_id : NULL, why);
  return TRUE;
}

/* A Checkout Session paid or expired: its payment completes (confirming the booking) or
 * fails, once however often Stripe sends the event. A paid session parkd has no payment for
 * that names a booking of ours is given back. FALSE when answered (an error: Stripe retries). */
static gboolean
checkout_event (ParkdRequest *r,
                JsonObject   *object)
{
  g_autoptr(ParkdStripeCheckout) checkout = NULL;
  g_autoptr(ParkdPayment) payment = NULL;
  g_autoptr(GError) error = NULL;

  checkout = parkd_stripe_checkout_from_object (object, &error);
  if (checkout == NULL)
    {
      parkd_reply_problem (r, 400, "invalid-field", "data", "%s", error->message);
      return FALSE;
    }
  payment = parkd_store_get_payment_by_ref (r->store, "stripe", checkout->id, NULL);
  if (payment == NULL && checkout->payment_intent != NULL)
    payment = parkd_store_get_payment_by_ref (r->store, "stripe", checkout->payment_intent, NULL);
  if (payment == NULL)
    {
      JsonObject *metadata = json_object_get_object_member (object, "metadata");

      /* Not one of parkd's pages (another program on the account), or one paid that parkd
       * lost: the money goes back. */
      if (metadata != NULL && json_object_has_member (metadata, "reservation_id") &&
          g_strcmp0 (checkout->payment_status, "paid") == 0 && checkout->payment_intent != NULL)
        {
          g_autofree char *currency = g_ascii_strup (checkout->currency != NULL
                                                     ? checkout->currency : "xxx", -1);

          parkd_payments_void_charge (r, checkout->payment_intent, checkout->amount_total,
                                      currency, NULL, "no payment recorded its checkout");
        }
      return TRUE;
    }
  if (!settle_checkout (r, payment, checkout, &error))
    {
      parkd_reply_error (r, error);
      return FALSE;
    }
  return TRUE;
}

/*
 * POST /api/v1/payments/webhooks/stripe
 *
 * Stripe tells how a card payment ended (after 3-D Secure, say: payment_intent.*) or how a
 * driver's payment page did (checkout.session.completed, .async_payment_succeeded,
 * .expired). Only a correctly signed, fresh event is believed.
 */
void
parkd_handle_stripe_webhook (ParkdRequest *r)
{
  g_autoptr(JsonNode) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdPayment) payment = NULL;
  ssize_t h = h2o_find_header_by_str (&r->req->headers, H2O_STRLIT ("stripe-signature"), -1);
  g_autofree char *signature = NULL;
  JsonObject *object;
  const char *type, *intent;

  if (!parkd_request_allow_params (r, NULL))
    return;
  /* Without a signing secret nothing could tell Stripe's webhooks from forgeries. */
  if (r->stripe == NULL || parkd_server_get_config (r->server)->stripe_webhook_secret == NULL ||
      *parkd_server_get_config (r->server)->stripe_webhook_secret == '\0')
    {
      parkd_reply_problem (r, 404, "not-found", NULL, "Card payment webhooks are not set up here");
      return;
    }
  if (h == -1)
    {
      parkd_reply_problem (r, 400, "invalid-signature", "Stripe-Signature",
                           "The Stripe-Signature header is missing");
      return;
    }
  signature = g_strndup (r->req->headers.entries[h].value.base,
                         r->req->headers.entries[h].value.len);
  event = parkd_stripe_verify_webhook (r->stripe, r->req->entity.base, r->req->entity.len,
                                       signature, g_get_real_time () / G_USEC_PER_SEC,
                                       PARKD_STRIPE_WEBHOOK_TOLERANCE, &error);
  if (event == NULL)
    {
      g_warning ("security: refused a Stripe webhook from %s: %s", parkd_request_get_client (r),
                 error->message);
      parkd_reply_problem (r, 400, "invalid-signature", "Stripe-Signature", "%s",
                           error->message);
      return;
    }

  type = json_object_get_string_member_with_default (json_node_get_object (event), "type", "");
  object = json_object_get_object_member (
    json_object_get_object_member (json_node_get_object (event), "data"), "object");
  intent = object != NULL ? json_object_get_string_member_with_default (object, "id", NULL) : NULL;
  if (g_str_equal (type, "checkout.session.completed") ||
      g_str_equal (type, "checkout.session.async_payment_succeeded") ||
      g_str_equal (type, "checkout.session.expired"))
    {
      if (!checkout_event (r, object))
        return;
    }
  else if (intent != NULL && (g_str_equal (type, "payment_intent.succeeded") ||
                         g_str_equal (type, "payment_intent.payment_failed") ||
                         g_str_equal (type, "payment_intent.canceled")))
    {
      payment = parkd_store_get_payment_by_ref (r->store, "stripe", intent, NULL);
      if (payment == NULL && g_str_equal (type, "payment_intent.succeeded") &&
          !settle_unrecorded (r, object, intent))
        return;
      if (payment != NULL && g_str_equal (payment->status, "pending"))
        {
          g_autoptr(ParkdPayment) updated =
            parkd_store_set_payment_status (r->store, payment->id,
                                            g_str_equal (type, "payment_intent.succeeded")
                                            ? "succeeded" : "failed", &error);

          if (updated == NULL)
            {
              /* Stripe retries a webhook that is not answered 2xx. */
              parkd_reply_error (r, error);
              return;
            }
        }
    }
  parkd_reply_json (r, 200, g_string_new ("{\"received\":true}"));
}
