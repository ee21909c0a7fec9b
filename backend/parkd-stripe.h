/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-stripe.h: the Stripe client parkd's payment provider uses: PaymentIntents created and
 * confirmed in one call, refunds, and the verification of Stripe's signed webhooks.
 *
 * The calls are synchronous and meant for parkd's blocking worker pool, never for an event
 * loop. They may be made from several threads at once on one ParkdStripe. Every POST carries
 * the caller's Idempotency-Key: after a PARKD_STRIPE_ERROR_NETWORK (or RATE_LIMITED, or API)
 * failure the caller retries with the same key, and Stripe charges at most once.
 *
 * Nothing here keeps or logs a card number, the secret key or a request body: payment methods
 * are Stripe tokens ("pm_…"), and only Stripe's ids come back.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PARKD_STRIPE_API_BASE    "https://api.stripe.com"
#define PARKD_STRIPE_API_VERSION "2024-06-20"
/* Stripe's own libraries default to five minutes. */
#define PARKD_STRIPE_WEBHOOK_TOLERANCE 300

#define PARKD_STRIPE_ERROR (parkd_stripe_error_quark ())

typedef enum
{
  PARKD_STRIPE_ERROR_CARD_DECLINED,   /* 402 card_error; the decline code is in the message and
                                       * in parkd_stripe_error_get_decline_code() */
  PARKD_STRIPE_ERROR_INVALID_REQUEST, /* 400/404 invalid_request_error: a bug or bad input, do
                                       * not retry as is */
  PARKD_STRIPE_ERROR_AUTHENTICATION,  /* 401/403: the secret key is wrong or lacks a permission */
  PARKD_STRIPE_ERROR_RATE_LIMITED,    /* 429, or 409 while a request with the same key is still
                                       * running at Stripe: retry later with the same key */
  PARKD_STRIPE_ERROR_API,             /* 5xx or an answer that is not Stripe's JSON: the charge
                                       * may or may not exist; retry with the same key */
  PARKD_STRIPE_ERROR_NETWORK,         /* connection refused, reset, DNS, TLS, time-out: the
                                       * charge may or may not exist; retry with the same key */
  PARKD_STRIPE_ERROR_SIGNATURE,       /* a webhook whose Stripe-Signature does not verify */
  PARKD_STRIPE_ERROR_IDEMPOTENCY,     /* 400 idempotency_error: the key was used before with other
                                       * parameters (a bug in the caller, never retried) */
} ParkdStripeError;

GQuark       parkd_stripe_error_quark              (void);

/* Details from Stripe's error body, or NULL when @error is not a PARKD_STRIPE_ERROR or the body
 * did not carry them. The code is Stripe's "code" ("card_declined", "parameter_missing", …),
 * falling back to its "type"; the payment intent is the id of the intent a decline left behind;
 * the request id ("req_…", from the Request-Id header) is what Stripe's support asks for. */
const char  *parkd_stripe_error_get_code           (const GError *error);
const char  *parkd_stripe_error_get_decline_code   (const GError *error);
const char  *parkd_stripe_error_get_payment_intent (const GError *error);
const char  *parkd_stripe_error_get_request_id     (const GError *error);

typedef struct _ParkdStripe ParkdStripe;

typedef struct
{
  char   *id;              /* "pi_…" */
  char   *status;          /* requires_action, succeeded, requires_payment_method, canceled,
                            * processing (and Stripe's other states, passed through) */
  gint64  amount;          /* in the currency's smallest unit */
  char   *currency;        /* lower case, "eur" */
  char   *latest_charge;   /* "ch_…" or NULL */
  char   *client_secret;   /* for requires_action only: hand it to the payer's device for the
                            * next action; never store or log it */
} ParkdStripeIntent;

void         parkd_stripe_intent_free              (ParkdStripeIntent *intent);

/* A Checkout Session: Stripe's own payment page, for a driver with a phone and no card
 * reader (issue 7). */
typedef struct
{
  char   *id;              /* "cs_…" */
  char   *url;             /* the payment page, while it is open; else NULL */
  char   *status;          /* open, complete, expired */
  char   *payment_status;  /* unpaid, paid, no_payment_required */
  char   *payment_intent;  /* "pi_…" once paid, else NULL */
  gint64  amount_total;    /* in the currency's smallest unit */
  char   *currency;        /* lower case */
  gint64  expires_at;      /* Unix time */
} ParkdStripeCheckout;

void         parkd_stripe_checkout_free            (ParkdStripeCheckout *checkout);
/* A checkout.session object (an answer, or the data.object of a webhook's event), or NULL
 * with PARKD_STRIPE_ERROR_API when it is not one. */
ParkdStripeCheckout *
             parkd_stripe_checkout_from_object     (JsonObject         *object,
                                                    GError            **error);

/* @api_base is PARKD_STRIPE_API_BASE or a test server's URL. The client is configured here
 * once; parkd_stripe_free() must run on the thread that called parkd_stripe_new(), after the
 * last call on any thread has returned. */
ParkdStripe *parkd_stripe_new                      (const char         *api_base,
                                                    const char         *secret_key,
                                                    const char         *webhook_secret,
                                                    guint               timeout_s);
void         parkd_stripe_free                     (ParkdStripe        *self);

/* POST /v1/payment_intents, confirmed at once with the saved payment method @payment_method
 * (a token such as "pm_card_visa"; anything that does not look like one is refused before it
 * leaves parkd) and without redirects. @metadata is name, value, …, NULL (or NULL). A decline
 * is PARKD_STRIPE_ERROR_CARD_DECLINED; "requires_action" comes back as an intent. */
ParkdStripeIntent *
             parkd_stripe_create_payment           (ParkdStripe        *self,
                                                    gint64              amount,
                                                    const char         *currency,
                                                    const char         *payment_method,
                                                    const char         *description,
                                                    const char * const *metadata,
                                                    const char         *idempotency_key,
                                                    GError            **error);
/* GET /v1/payment_intents/{id}: where an intent stands, e.g. after a webhook. */
ParkdStripeIntent *
             parkd_stripe_get_payment              (ParkdStripe        *self,
                                                    const char         *payment_intent,
                                                    GError            **error);
/* POST /v1/refunds of @amount (0: all that is left) of @payment_intent; returns "re_…". */
char        *parkd_stripe_refund                   (ParkdStripe        *self,
                                                    const char         *payment_intent,
                                                    gint64              amount,
                                                    const char         *idempotency_key,
                                                    GError            **error);

/* POST /v1/checkout/sessions in payment mode for cards: one line of @amount of @currency
 * named @name, @success_url and @cancel_url to come back to, @metadata (name, value, …, NULL)
 * on the session and on its PaymentIntent, @client_reference_id, and @expires_at (Unix time;
 * Stripe takes 30 minutes to 24 hours ahead). */
ParkdStripeCheckout *
             parkd_stripe_create_checkout          (ParkdStripe        *self,
                                                    gint64              amount,
                                                    const char         *currency,
                                                    const char         *name,
                                                    const char         *success_url,
                                                    const char         *cancel_url,
                                                    const char         *client_reference_id,
                                                    const char * const *metadata,
                                                    gint64              expires_at,
                                                    const char         *idempotency_key,
                                                    GError            **error);
/* GET /v1/checkout/sessions/{id} */
ParkdStripeCheckout *
             parkd_stripe_get_checkout             (ParkdStripe        *self,
                                                    const char         *id,
                                                    GError            **error);
/* POST /v1/checkout/sessions/{id}/expire: nobody can pay on its page any more. Stripe
 * refuses (PARKD_STRIPE_ERROR_INVALID_REQUEST) a session that is not open. */
ParkdStripeCheckout *
             parkd_stripe_expire_checkout          (ParkdStripe        *self,
                                                    const char         *id,
                                                    GError            **error);
/* Checks a webhook as Stripe documents: the Stripe-Signature header "t=…,v1=…[,v1=…]" must
 * carry a v1 that is the hex HMAC-SHA256 of "t.payload" under the webhook secret (compared in
 * constant time; any one of several may match, other schemes are ignored), and t must lie
 * within @tolerance_s of @now_unix. Returns the event ({"id", "type", "data": {"object"}}) or
 * NULL with a PARKD_STRIPE_ERROR_SIGNATURE saying which check failed (PARKD_STRIPE_ERROR_API
 * for a correctly signed payload that is not an event). */
JsonNode    *parkd_stripe_verify_webhook           (ParkdStripe        *self,
                                                    const char         *payload,
                                                    gsize               len,
                                                    const char         *signature_header,
                                                    gint64              now_unix,
                                                    gint64              tolerance_s,
                                                    GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdStripe, parkd_stripe_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdStripeIntent, parkd_stripe_intent_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdStripeCheckout, parkd_stripe_checkout_free)

G_END_DECLS
