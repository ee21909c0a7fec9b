/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-test-stripe.h: a fake Stripe API for tests, a real HTTP server on 127.0.0.1 that
 * speaks Stripe's wire format: bearer keys, form-encoded requests, JSON objects, Stripe's
 * error bodies and its idempotency rules.
 *
 * It runs on its own thread with its own GMainContext, so code under test may call it
 * synchronously from the test's thread (or from any other). Stripe's test payment methods
 * choose the outcome of a payment:
 *
 *   pm_card_visa, pm_card_mastercard          succeeded, with a latest_charge "ch_…"
 *   pm_card_chargeDeclined                    402 card_error card_declined generic_decline
 *   pm_card_chargeDeclinedInsufficientFunds   402 card_error card_declined insufficient_funds
 *   pm_card_authenticationRequired            requires_action (3-D Secure); finish it with
 *                                             park_test_stripe_complete_action()
 *
 * Routes: POST /v1/payment_intents, GET /v1/payment_intents/{id}, POST /v1/refunds,
 * POST /v1/checkout/sessions, GET /v1/checkout/sessions/{id}, POST …/{id}/expire; and the
 * payment page a session's url leads to (GET and POST /c/pay/{id}, see
 * park_test_stripe_visit_checkout()), which sends the signed checkout.session.completed
 * webhook to the webhook URL once paid, as Stripe does.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "park-test-backend.h"

G_BEGIN_DECLS

typedef struct _ParkTestStripe ParkTestStripe;

/* Starts the server on 127.0.0.1, port 0, with a fresh secret key and webhook secret. */
ParkTestStripe *park_test_stripe_new                (void);
void            park_test_stripe_free               (ParkTestStripe *self);

/* "http://127.0.0.1:PORT", the api_base for parkd_stripe_new(). */
const char     *park_test_stripe_get_url            (ParkTestStripe *self);
const char     *park_test_stripe_get_secret_key     (ParkTestStripe *self);
const char     *park_test_stripe_get_webhook_secret (ParkTestStripe *self);

/* Requests seen whose path starts with @path_prefix (NULL: all), refused ones and idempotent
 * replays included. */
guint           park_test_stripe_count              (ParkTestStripe *self,
                                                     const char     *path_prefix);
/* Charges attempted on a card (a decline is a failed charge); replays do not charge. */
guint           park_test_stripe_count_charges      (ParkTestStripe *self);
/* The intent as stored (sealed), or NULL. */
JsonObject     *park_test_stripe_get_intent         (ParkTestStripe *self,
                                                     const char     *id);
/* A header or a form parameter of the last request ("metadata[reservation_id]"), or NULL. */
char           *park_test_stripe_dup_last_header    (ParkTestStripe *self,
                                                     const char     *name);
char           *park_test_stripe_dup_last_param     (ParkTestStripe *self,
                                                     const char     *name);

/* Answers every request @ms late. The request is carried out at once and only the answer
 * waits, as when an answer from Stripe is lost on the way; 0 turns the delay off. */
void            park_test_stripe_set_delay          (ParkTestStripe *self,
                                                     guint           ms);

/* POST requests to @path ("/v1/refunds") answer Stripe's 500 api_error, as in an outage on
 * Stripe's side, until called again with NULL. */
void            park_test_stripe_set_failing        (ParkTestStripe *self,
                                                     const char     *path);
/* The id of the PaymentIntent created last, or NULL. */
char           *park_test_stripe_dup_last_intent    (ParkTestStripe *self);
/* How much of the intent's charge was refunded, in its smallest unit. */
gint64          park_test_stripe_get_refunded       (ParkTestStripe *self,
                                                     const char     *intent_id);

/* Ends the customer's action on a requires_action intent: succeeded (with a charge) or, when
 * @succeed is FALSE, requires_payment_method. FALSE when there is no such intent waiting. */
gboolean        park_test_stripe_complete_action    (ParkTestStripe *self,
                                                     const char     *id,
                                                     gboolean        succeed);

/* A Stripe-Signature header value for @payload sent at @t (Unix time). */
char           *park_test_stripe_sign               (ParkTestStripe *self,
                                                     const char     *payload,
                                                     gint64          t);
/* The JSON of an event of @type ("payment_intent.succeeded", …) whose data.object is the
 * stored intent @intent_id, as Stripe would send it to a webhook endpoint. */
char           *park_test_stripe_event_json         (ParkTestStripe *self,
                                                     const char     *type,
                                                     const char     *intent_id);

/* Where the fake sends its events (Stripe's webhook endpoint setting); NULL: nowhere. */
void            park_test_stripe_set_webhook_url    (ParkTestStripe *self,
                                                     const char     *url);
/* The id of the Checkout Session created last, or NULL; a session as stored (sealed). */
char           *park_test_stripe_dup_last_checkout  (ParkTestStripe *self);
/* Starts @backend with @extra (NULL-terminated, or NULL) and this fake as its Stripe (API,
 * keys, a Checkout success page), and sends the fake's webhooks to it, as Stripe's dashboard
 * setting would. */
void            park_test_stripe_start_parkd        (ParkTestStripe     *self,
                                                     ParkTestBackend    *backend,
                                                     const char * const *extra);
JsonObject     *park_test_stripe_get_checkout       (ParkTestStripe *self,
                                                     const char     *id);
/* Expires an open session (Stripe does so at its expires_at); FALSE when it is not open. */
gboolean        park_test_stripe_expire_checkout    (ParkTestStripe *self,
                                                     const char     *id);
/* An event of @type ("checkout.session.expired", …) about the stored session. */
char           *park_test_stripe_checkout_event_json (ParkTestStripe *self,
                                                     const char     *type,
                                                     const char     *checkout_id);
/* What a phone does with a session's @url: GET it (@payment_method NULL) or pay on it with
 * one of Stripe's test cards. Returns the HTTP status (200 paid, 402 declined, 404 not
 * open) and, in @page, the page's text ("Paid. The webhook answered 200." once the webhook
 * was delivered). From any thread but the fake's. */
guint           park_test_stripe_visit_checkout     (const char     *url,
                                                     const char     *payment_method,
                                                     char          **page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkTestStripe, park_test_stripe_free)

G_END_DECLS
