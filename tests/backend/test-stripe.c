/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd's Stripe client against the fake Stripe of the test support library, both in this
 * process: payments that succeed, are declined or need the customer's action; idempotent
 * retries, after a lost answer too; refunds; the error classes the payment code acts on; calls
 * from several threads on one client; and webhook signatures, accepted and refused as Stripe
 * documents them.
 */
#include "park-test-stripe.h"

#include "parkd-stripe.h"

#include <libsoup/soup.h>
#include <string.h>

#define NOW 1718000000
#define TOLERANCE PARKD_STRIPE_WEBHOOK_TOLERANCE
#define N_THREADS 8
#define PAYMENTS_PER_THREAD 4

typedef struct
{
  ParkTestStripe *fake;
  ParkdStripe    *stripe;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->fake = park_test_stripe_new ();
  f->stripe = parkd_stripe_new (park_test_stripe_get_url (f->fake),
                                park_test_stripe_get_secret_key (f->fake),
                                park_test_stripe_get_webhook_secret (f->fake), 5);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->stripe, parkd_stripe_free);
  g_clear_pointer (&f->fake, park_test_stripe_free);
}

static ParkdStripeIntent *
pay (Fixture    *f,
     gint64      amount,
     const char *payment_method,
     const char *key,
     GError    **error)
{
  const char * const metadata[] = { "reservation_id", "res-42", "lot", "Hauptbahnhof", NULL };

  return parkd_stripe_create_payment (f->stripe, amount, "EUR", payment_method,
                                      "Reservation res-42", metadata, key, error);
}

static void
assert_last_header (Fixture    *f,
                    const char *name,
                    const char *expected)
{
  g_autofree char *value = park_test_stripe_dup_last_header (f->fake, name);

  g_assert_cmpstr (value, ==, expected);
}

static void
assert_last_param (Fixture    *f,
                   const char *name,
                   const char *expected)
{
  g_autofree char *value = park_test_stripe_dup_last_param (f->fake, name);

  g_assert_cmpstr (value, ==, expected);
}

static void
test_payment_succeeded (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdStripeIntent) intent = NULL;
  g_autoptr(ParkdStripeIntent) again = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autofree char *bearer = NULL;

  intent = pay (f, 1250, "pm_card_visa", "key-succeeded", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (intent->id, "pi_"));
  g_assert_cmpstr (intent->status, ==, "succeeded");
  g_assert_cmpint (intent->amount, ==, 1250);
  g_assert_cmpstr (intent->currency, ==, "eur");
  g_assert_nonnull (intent->latest_charge);
  g_assert_true (g_str_has_prefix (intent->latest_charge, "ch_"));
  g_assert_null (intent->client_secret);
  g_assert_cmpuint (park_test_stripe_count_charges (f->fake), ==, 1);

  /* The request as Stripe wants it. */
  bearer = g_strconcat ("Bearer ", park_test_stripe_get_secret_key (f->fake), NULL);
  assert_last_header (f, "Authorization", bearer);
  assert_last_header (f, "Stripe-Version", "2024-06-20");
  assert_last_header (f, "Idempotency-Key", "key-succeeded");
  assert_last_header (f, "Content-Type", "application/x-www-form-urlencoded");
  assert_last_param (f, "amount", "1250");
  assert_last_param (f, "currency", "eur");
  assert_last_param (f, "payment_method", "pm_card_visa");
  assert_last_param (f, "confirm", "true");
  assert_last_param (f, "automatic_payment_methods[enabled]", "true");
  assert_last_param (f, "automatic_payment_methods[allow_redirects]", "never");
  assert_last_param (f, "description", "Reservation res-42");
  assert_last_param (f, "metadata[reservation_id]", "res-42");
  assert_last_param (f, "metadata[lot]", "Hauptbahnhof");

  stored = park_test_stripe_get_intent (f->fake, intent->id);
  g_assert_nonnull (stored);
  g_assert_cmpstr (json_object_get_string_member (stored, "status"), ==, "succeeded");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (stored,
                                                                                 "metadata"),
                                                  "reservation_id"), ==, "res-42");

  again = parkd_stripe_get_payment (f->stripe, intent->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->id, ==, intent->id);
  g_assert_cmpstr (again->status, ==, "succeeded");
  g_assert_cmpstr (again->latest_charge, ==, intent->latest_charge);
  assert_last_header (f, "Idempotency-Key", NULL);
}

static void
test_payment_unknown (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdStripeIntent) intent = NULL;

  intent = parkd_stripe_get_payment (f->stripe, "pi_doesnotexist", &error);
  g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_INVALID_REQUEST);
  g_assert_cmpstr (parkd_stripe_error_get_code (error), ==, "resource_missing");
  g_assert_null (intent);
}

static void
test_payment_declined (Fixture       *f,
                       gconstpointer  data)
{
  static const struct
  {
    const char *payment_method;
    const char *decline_code;
  } cases[] = {
    { "pm_card_chargeDeclined", "generic_decline" },
    { "pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ParkdStripeIntent) intent = NULL;
      g_autoptr(JsonObject) stored = NULL;
      g_autofree char *key = g_strdup_printf ("key-declined-%u", i);
      const char *intent_id;

      intent = pay (f, 900, cases[i].payment_method, key, &error);
      g_assert_null (intent);
      g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_CARD_DECLINED);
      g_assert_nonnull (strstr (error->message, cases[i].decline_code));
      g_assert_cmpstr (parkd_stripe_error_get_code (error), ==, "card_declined");
      g_assert_cmpstr (parkd_stripe_error_get_decline_code (error), ==, cases[i].decline_code);
      g_assert_true (g_str_has_prefix (parkd_stripe_error_get_request_id (error), "req_"));

      /* The declined intent stays at Stripe, waiting for another payment method. */
      intent_id = parkd_stripe_error_get_payment_intent (error);
      g_assert_nonnull (intent_id);
      stored = park_test_stripe_get_intent (f->fake, intent_id);
      g_assert_nonnull (stored);
      g_assert_cmpstr (json_object_get_string_member (stored, "status"), ==,
                       "requires_payment_method");
    }
}

/* GError copies keep the details (the extended error domain's copy function). */
static void
test_error_copy (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(ParkdStripeIntent) intent = NULL;

  intent = pay (f, 900, "pm_card_chargeDeclinedInsufficientFunds", "key-copy", &error);
  g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_CARD_DECLINED);
  copy = g_error_copy (error);
  g_assert_cmpstr (parkd_stripe_error_get_decline_code (copy), ==, "insufficient_funds");
  g_assert_cmpstr (parkd_stripe_error_get_payment_intent (copy), ==,
                   parkd_stripe_error_get_payment_intent (error));
  g_assert_null (parkd_stripe_error_get_decline_code (NULL));
}

static void
test_payment_requires_action (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdStripeIntent) intent = NULL;
  g_autoptr(ParkdStripeIntent) after = NULL;

  intent = pay (f, 2000, "pm_card_authenticationRequired", "key-3ds", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (intent->status, ==, "requires_action");
  g_assert_null (intent->latest_charge);
  g_assert_nonnull (intent->client_secret);
  g_assert_true (g_str_has_prefix (intent->client_secret, intent->id));
  g_assert_cmpuint (park_test_stripe_count_charges (f->fake), ==, 0);

  /* The customer passes 3-D Secure; the intent is then charged. */
  g_assert_true (park_test_stripe_complete_action (f->fake, intent->id, TRUE));
  after = parkd_stripe_get_payment (f->stripe, intent->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after->status, ==, "succeeded");
  g_assert_nonnull (after->latest_charge);
  g_assert_null (after->client_secret);
}

/* A card number never leaves parkd, and is not repeated in the error. */
static void
test_payment_not_a_token (Fixture       *f,
                          gconstpointer  data)
{
  static const char * const not_tokens[] = {
    "4242424242424242", "4242 4242 4242 4242", "pm_", "_card", "PM_card_visa", "pm_card visa",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (not_tokens); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ParkdStripeIntent) intent = NULL;

      intent = pay (f, 500, not_tokens[i], "key-not-a-token", &error);
      g_assert_null (intent);
      g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_INVALID_REQUEST);
      g_assert_null (strstr (error->message, "4242"));
    }
  g_assert_cmpuint (park_test_stripe_count (f->fake, NULL), ==, 0);
}

static void
test_idempotent_replay (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdStripeIntent) first = NULL;
  g_autoptr(ParkdStripeIntent) second = NULL;
  g_autoptr(ParkdStripeIntent) declined = NULL;
  g_autofree char *first_decline = NULL;

  first = pay (f, 1500, "pm_card_visa", "key-replay", &error);
  g_assert_no_error (error);
  second = pay (f, 1500, "pm_card_visa", "key-replay", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second->id, ==, first->id);
  g_assert_cmpstr (second->latest_charge, ==, first->latest_charge);
  g_assert_cmpuint (park_test_stripe_count (f->fake, "/v1/payment_intents"), ==, 2);
  g_assert_cmpuint (park_test_stripe_count_charges (f->fake), ==, 1);

  /* A decline is a result too: retrying it with the same key does not charge again. */
  declined = pay (f, 700, "pm_card_chargeDeclined", "key-replay-declined", &error);
  g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_CARD_DECLINED);
  first_decline = g_strdup (parkd_stripe_error_get_payment_intent (error));
  g_clear_error (&error);
  declined = pay (f, 700, "pm_card_chargeDeclined", "key-replay-declined", &error);
  g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_CARD_DECLINED);
  g_assert_cmpstr (parkd_stripe_error_get_payment_intent (error), ==, first_decline);
  g_assert_cmpuint (park_test_stripe_count_charges (f->fake), ==, 2);
}

static void
test_idempotent_conflict (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdStripeIntent) first = NULL;
  g_autoptr(ParkdStripeIntent) second = NULL;

  first = pay (f, 1500, "pm_card_visa", "key-conflict", &error);
  g_assert_no_error (error);
  second = pay (f, 1600, "pm_card_visa", "key-conflict", &error);
  g_assert_null (second);
  g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_IDEMPOTENCY);
  g_assert_cmpstr (parkd_stripe_error_get_code (error), ==, "idempotency_error");
  g_assert_nonnull (strstr (error->message, "key-conflict"));
  g_assert_cmpuint (park_test_stripe_count_charges (f->fake), ==, 1);
}

static void
test_refund (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdStripeIntent) intent = NULL;
  g_autoptr(ParkdStripeIntent) declined = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *partial_again = NULL;
  g_autofree char *too_much = NULL;
  g_autofree char *rest = NULL;
  g_autofree char *nothing_left = NULL;
  g_autofree char *unpaid = NULL;

  intent = pay (f, 1000, "pm_card_visa", "key-refund-pay", &error);
  g_assert_no_error (error);

  partial = parkd_stripe_refund (f->stripe, intent->id, 300, "key-refund-1", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (partial, "re_"));
  assert_last_param (f, "payment_intent", intent->id);
  assert_last_param (f, "amount", "300");
  assert_last_header (f, "Idempotency-Key", "key-refund-1");

  /* A retried refund is the same refund. */
  partial_again = parkd_stripe_refund (f->stripe, intent->id, 300, "key-refund-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (partial_again, ==, partial);

  too_much = parkd_stripe_refund (f->stripe, intent->id, 800, "key-refund-2", &error);
  g_assert_null (too_much);
  g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_INVALID_REQUEST);
  g_clear_error (&error);

  /* 0 refunds what is left: 700. */
  rest = parkd_stripe_refund (f->stripe, intent->id, 0, "key-refund-3", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (rest, "re_"));
  g_assert_cmpstr (rest, !=, partial);
  assert_last_param (f, "amount", NULL);

  nothing_left = parkd_stripe_refund (f->stripe, intent->id, 1, "key-refund-4", &error);
  g_assert_null (nothing_left);
  g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_INVALID_REQUEST);
  g_assert_cmpstr (parkd_stripe_error_get_code (error), ==, "charge_already_refunded");
  g_clear_error (&error);

  /* Nothing was charged on a declined card, so nothing can be refunded. */
  declined = pay (f, 1000, "pm_card_chargeDeclined", "key-refund-declined", &error);
  g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_CARD_DECLINED);
  unpaid = parkd_stripe_refund (f->stripe, parkd_stripe_error_get_payment_intent (error), 0,
                                "key-refund-5", NULL);
  g_assert_null (unpaid);
}

static void
test_wrong_key (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(ParkdStripe) stripe = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdStripeIntent) intent = NULL;
  const char *wrong = "sk_test_thisisnotthekeyofthisaccount";

  stripe = parkd_stripe_new (park_test_stripe_get_url (f->fake), wrong,
                             park_test_stripe_get_webhook_secret (f->fake), 5);
  intent = parkd_stripe_create_payment (stripe, 1000, "eur", "pm_card_visa", NULL, NULL,
                                        "key-wrong", &error);
  g_assert_null (intent);
  g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_AUTHENTICATION);
  /* Stripe masks the key in its message; nothing of ours adds it back. */
  g_assert_null (strstr (error->message, wrong));
  g_assert_cmpuint (park_test_stripe_count_charges (f->fake), ==, 0);
}

/* The fake itself, spoken to without the client: what the client never sends. */
static void
test_fake_wire_format (Fixture       *f,
                       gconstpointer  data)
{
  static const struct
  {
    gboolean    authorized;
    const char *body;
    guint       status;
    const char *type;
    const char *code;
    const char *param;
  } cases[] = {
    { FALSE, "amount=100&currency=eur", 401, "invalid_request_error", NULL, NULL },
    { TRUE, "currency=eur&payment_method=pm_card_visa&confirm=true", 400,
      "invalid_request_error", "parameter_missing", "amount" },
    { TRUE, "amount=-5&currency=eur", 400, "invalid_request_error",
      "parameter_invalid_integer", "amount" },
    { TRUE, "amount=100&currency=eur&payment_method=pm_card_visa&confirm=true"
      "&automatic_payment_methods%5Benabled%5D=true", 400, "invalid_request_error", NULL,
      "return_url" },
    { TRUE, "amount=100&currency=eur&payment_method=pm_nope&confirm=true", 400,
      "invalid_request_error", "resource_missing", "payment_method" },
  };
  g_autoptr(SoupSession) session = soup_session_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *uri = g_strconcat (park_test_stripe_get_url (f->fake),
                                          "/v1/payment_intents", NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
      g_autoptr(GBytes) request = g_bytes_new_static (cases[i].body, strlen (cases[i].body));
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *err;

      if (cases[i].authorized)
        {
          g_autofree char *bearer = g_strconcat ("Bearer ",
                                                 park_test_stripe_get_secret_key (f->fake), NULL);

          soup_message_headers_replace (soup_message_get_request_headers (msg),
                                        "Authorization", bearer);
        }
      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded",
                                                request);
      body = soup_session_send_and_read (session, msg, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, cases[i].status);
      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                                 g_bytes_get_size (body), &error));
      err = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                           "error");
      g_assert_cmpstr (json_object_get_string_member (err, "type"), ==, cases[i].type);
      g_assert_cmpstr (json_object_get_string_member_with_default (err, "code", NULL), ==,
                       cases[i].code);
      g_assert_cmpstr (json_object_get_string_member_with_default (err, "param", NULL), ==,
                       cases[i].param);
      g_assert_nonnull (json_object_get_string_member (err, "message"));
    }
  g_assert_cmpuint (park_test_stripe_count_charges (f->fake), ==, 0);
}

/* The answer is lost (it comes after the client's time-out), but the charge was made: the
 * retry with the same key gets that charge, not a second one. */
static void
test_timeout_then_retry (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(ParkdStripe) stripe = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdStripeIntent) lost = NULL;
  g_autoptr(ParkdStripeIntent) retried = NULL;
  g_autoptr(JsonObject) stored = NULL;
  gint64 started, elapsed;

  stripe = parkd_stripe_new (park_test_stripe_get_url (f->fake),
                             park_test_stripe_get_secret_key (f->fake),
                             park_test_stripe_get_webhook_secret (f->fake), 1);
  park_test_stripe_set_delay (f->fake, 3000);
  started = g_get_monotonic_time ();
  lost = parkd_stripe_create_payment (stripe, 4200, "eur", "pm_card_visa", NULL, NULL,
                                      "key-timeout", &error);
  elapsed = g_get_monotonic_time () - started;
  g_assert_null (lost);
  g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "did not answer within 1 s"));
  /* It waited for its time-out (a loaded machine only makes that longer); that it gave up
   * before the fake's three seconds, the message says. */
  g_assert_cmpint (elapsed, >=, 900 * 1000);
  g_clear_error (&error);

  park_test_stripe_set_delay (f->fake, 0);
  retried = parkd_stripe_create_payment (stripe, 4200, "eur", "pm_card_visa", NULL, NULL,
                                         "key-timeout", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (retried->status, ==, "succeeded");
  g_assert_cmpuint (park_test_stripe_count (f->fake, "/v1/payment_intents"), ==, 2);
  g_assert_cmpuint (park_test_stripe_count_charges (f->fake), ==, 1);
  stored = park_test_stripe_get_intent (f->fake, retried->id);
  g_assert_nonnull (stored);
  g_assert_cmpstr (json_object_get_string_member (stored, "latest_charge"), ==,
                   retried->latest_charge);
}

static guint16
closed_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_assert_true (g_socket_close (socket, &error));
  return port;
}

static void
test_connection_refused (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  g_autoptr(ParkdStripe) stripe = parkd_stripe_new (url, "sk_test_x", "whsec_x", 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdStripeIntent) intent = NULL;
  g_autofree char *refund = NULL;

  intent = parkd_stripe_create_payment (stripe, 1000, "eur", "pm_card_visa", NULL, NULL,
                                        "key-refused", &error);
  g_assert_null (intent);
  g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_NETWORK);
  g_clear_error (&error);

  refund = parkd_stripe_refund (stripe, "pi_x", 0, "key-refused-refund", &error);
  g_assert_null (refund);
  g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_NETWORK);
}

typedef struct
{
  ParkdStripe *stripe;
  guint        index;
  guint        succeeded;
  char        *ids[PAYMENTS_PER_THREAD];
} Worker;

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;

  for (guint i = 0; i < PAYMENTS_PER_THREAD; i++)
    {
      g_autofree char *key = g_strdup_printf ("key-thread-%u-%u", worker->index, i);
      g_autoptr(ParkdStripeIntent) intent = NULL;

      intent = parkd_stripe_create_payment (worker->stripe, 100 + worker->index, "eur",
                                            "pm_card_visa", NULL, NULL, key, NULL);
      if (intent != NULL && g_str_equal (intent->status, "succeeded"))
        {
          worker->ids[i] = g_strdup (intent->id);
          worker->succeeded++;
        }
    }
  return NULL;
}

/* One ParkdStripe, one SoupSession, used by several worker threads at once. */
static void
test_threads (Fixture       *f,
              gconstpointer  data)
{
  Worker workers[N_THREADS] = { 0 };
  GThread *threads[N_THREADS];
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < N_THREADS; i++)
    {
      workers[i].stripe = f->stripe;
      workers[i].index = i;
      threads[i] = g_thread_new ("stripe-worker", worker_thread, &workers[i]);
    }
  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);

  for (guint i = 0; i < N_THREADS; i++)
    {
      g_assert_cmpuint (workers[i].succeeded, ==, PAYMENTS_PER_THREAD);
      for (guint j = 0; j < PAYMENTS_PER_THREAD; j++)
        g_hash_table_add (ids, workers[i].ids[j]);
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, N_THREADS * PAYMENTS_PER_THREAD);
  g_assert_cmpuint (park_test_stripe_count_charges (f->fake), ==,
                    N_THREADS * PAYMENTS_PER_THREAD);
  for (guint i = 0; i < N_THREADS; i++)
    for (guint j = 0; j < PAYMENTS_PER_THREAD; j++)
      g_free (workers[i].ids[j]);
}

/* A signed event for a paid intent. */
static char *
make_event (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdStripeIntent) intent = pay (f, 1000, "pm_card_visa", "key-event", &error);

  g_assert_no_error (error);
  return park_test_stripe_event_json (f->fake, "payment_intent.succeeded", intent->id);
}

static JsonNode *
verify (Fixture    *f,
        const char *payload,
        const char *header,
        GError    **error)
{
  return parkd_stripe_verify_webhook (f->stripe, payload, strlen (payload), header, NOW,
                                      TOLERANCE, error);
}

static void
test_webhook_valid (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *payload = make_event (f);
  g_autofree char *header = park_test_stripe_sign (f->fake, payload, NOW);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) event = NULL;
  JsonObject *object;

  event = verify (f, payload, header, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (event), "type"), ==,
                   "payment_intent.succeeded");
  object = json_object_get_object_member (json_object_get_object_member (
                                            json_node_get_object (event), "data"), "object");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "id"), "pi_"));
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "succeeded");
}

static void
test_webhook_wrong_secret (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *payload = make_event (f);
  g_autofree char *header = park_test_stripe_sign (f->fake, payload, NOW);
  g_autoptr(ParkdStripe) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) event = NULL;

  other = parkd_stripe_new (park_test_stripe_get_url (f->fake),
                            park_test_stripe_get_secret_key (f->fake),
                            "whsec_of_another_endpoint", 5);
  event = parkd_stripe_verify_webhook (other, payload, strlen (payload), header, NOW, TOLERANCE,
                                       &error);
  g_assert_null (event);
  g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_SIGNATURE);
  g_assert_nonnull (strstr (error->message, "match"));
}

static void
test_webhook_tampered (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *payload = make_event (f);
  g_autofree char *header = park_test_stripe_sign (f->fake, payload, NOW);
  g_autofree char *tampered = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) event = NULL;
  char *status;

  tampered = g_strdup (payload);
  status = strstr (tampered, "\"succeeded\"");
  g_assert_nonnull (status);
  memcpy (status, "\"canceled\" ", strlen ("\"canceled\" "));
  event = verify (f, tampered, header, &error);
  g_assert_null (event);
  g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_SIGNATURE);
  g_clear_error (&error);

  /* The signature over the body with a byte less, or a byte more, does not do either. */
  event = parkd_stripe_verify_webhook (f->stripe, payload, strlen (payload) - 1, header, NOW,
                                       TOLERANCE, &error);
  g_assert_null (event);
  g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_SIGNATURE);
}

static void
test_webhook_timestamp (Fixture       *f,
                        gconstpointer  data)
{
  static const struct
  {
    gint64   offset;
    gboolean accepted;
  } cases[] = {
    { 0, TRUE },
    { -TOLERANCE, TRUE },
    { TOLERANCE, TRUE },
    { -TOLERANCE - 1, FALSE },
    { TOLERANCE + 1, FALSE },
    { -86400, FALSE },
    { -NOW, FALSE },
  };
  g_autofree char *payload = make_event (f);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *header = park_test_stripe_sign (f->fake, payload, NOW + cases[i].offset);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) event = verify (f, payload, header, &error);

      if (cases[i].accepted)
        {
          g_assert_no_error (error);
          g_assert_nonnull (event);
        }
      else
        {
          g_assert_null (event);
          g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_SIGNATURE);
          g_assert_nonnull (strstr (error->message, "tolerance"));
        }
    }
}

static void
test_webhook_several_signatures (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *payload = make_event (f);
  g_autofree char *signed_header = park_test_stripe_sign (f->fake, payload, NOW);
  const char *good = strstr (signed_header, "v1=") + 3;
  const char *bad = "5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd";
  g_autofree char *bad_first = g_strdup_printf ("t=%d,v1=%s,v1=%s", NOW, bad, good);
  g_autofree char *good_first = g_strdup_printf ("t=%d,v1=%s,v1=%s", NOW, good, bad);
  g_autofree char *with_v0 = g_strdup_printf ("t=%d,v0=%s,v1=%s", NOW, bad, good);
  g_autofree char *spaced = g_strdup_printf (" t=%d , v1=%s ", NOW, good);
  g_autofree char *all_bad = g_strdup_printf ("t=%d,v1=%s,v1=%s", NOW, bad, bad);
  g_autofree char *only_v0 = g_strdup_printf ("t=%d,v0=%s", NOW, good);
  const char *accepted[] = { bad_first, good_first, with_v0, spaced };

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) event = verify (f, payload, accepted[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (event);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) event = verify (f, payload, all_bad, &error);

    g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_SIGNATURE);
    g_assert_null (event);
  }
  {
    /* Only v1 counts: a right signature under another scheme is no signature. */
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) event = verify (f, payload, only_v0, &error);

    g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_SIGNATURE);
    g_assert_null (event);
  }
}

static void
test_webhook_malformed (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *payload = make_event (f);
  g_autofree char *signed_header = park_test_stripe_sign (f->fake, payload, NOW);
  const char *good = strstr (signed_header, "v1=") + 3;
  g_autofree char *no_t = g_strdup_printf ("v1=%s", good);
  g_autofree char *bad_t = g_strdup_printf ("t=abc,v1=%s", good);
  g_autofree char *negative_t = g_strdup_printf ("t=-%d,v1=%s", NOW, good);
  g_autofree char *two_t = g_strdup_printf ("t=%d,t=%d,v1=%s", NOW, NOW, good);
  g_autofree char *empty_v1 = g_strdup_printf ("t=%d,v1=", NOW);
  g_autofree char *short_v1 = g_strdup_printf ("t=%d,v1=%.32s", NOW, good);
  g_autofree char *upper = g_ascii_strup (signed_header, -1);
  g_autofree char *huge = g_strnfill (8192, 'x');
  const char *refused[] = {
    NULL, "", "garbage", ",,,", "t=", no_t, bad_t, negative_t, two_t, empty_v1, short_v1,
    upper, huge, "t=1718000000", "t=1718000000,v1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) event = verify (f, payload, refused[i], &error);

      g_assert_null (event);
      g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_SIGNATURE);
    }
}

/* A correct signature over something that is not an event is still refused. */
static void
test_webhook_not_an_event (Fixture       *f,
                           gconstpointer  data)
{
  const char *payloads[] = { "{}", "[1,2]", "not json", "{\"id\":\"evt_1\",\"type\":\"x\"}",
                             "{\"id\":\"evt_1\",\"type\":\"x\",\"data\":{\"object\":1}}" };

  for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
    {
      g_autofree char *header = park_test_stripe_sign (f->fake, payloads[i], NOW);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) event = verify (f, payloads[i], header, &error);

      g_assert_null (event);
      g_assert_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_API);
    }
}

#define ADD(path, func) \
  g_test_add ("/backend/stripe/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  ADD ("payment/succeeded", test_payment_succeeded);
  ADD ("payment/unknown", test_payment_unknown);
  ADD ("payment/declined", test_payment_declined);
  ADD ("payment/requires-action", test_payment_requires_action);
  ADD ("payment/not-a-token", test_payment_not_a_token);
  ADD ("errors/copy", test_error_copy);
  ADD ("errors/wrong-key", test_wrong_key);
  ADD ("errors/fake-wire-format", test_fake_wire_format);
  ADD ("idempotency/replay", test_idempotent_replay);
  ADD ("idempotency/conflict", test_idempotent_conflict);
  ADD ("refund", test_refund);
  ADD ("network/timeout-then-retry", test_timeout_then_retry);
  ADD ("network/connection-refused", test_connection_refused);
  ADD ("threads", test_threads);
  ADD ("webhook/valid", test_webhook_valid);
  ADD ("webhook/wrong-secret", test_webhook_wrong_secret);
  ADD ("webhook/tampered", test_webhook_tampered);
  ADD ("webhook/timestamp", test_webhook_timestamp);
  ADD ("webhook/several-signatures", test_webhook_several_signatures);
  ADD ("webhook/malformed", test_webhook_malformed);
  ADD ("webhook/not-an-event", test_webhook_not_an_event);

  return g_test_run ();
}
