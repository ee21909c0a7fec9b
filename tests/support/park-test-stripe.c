/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-test-stripe.c: the fake Stripe. A SoupServer on a thread of its own (its own
 * GMainContext, pushed as the thread default before the server is made, so every source of
 * the server lives there), and the state of the "account" behind one mutex, since the tests
 * read it from their own thread.
 *
 * What it imitates, from Stripe's API reference: "Authorization: Bearer sk_…" or 401; request
 * bodies in application/x-www-form-urlencoded with nested names in brackets; JSON objects out;
 * errors as {"error": {"type", "code", "decline_code", "message", "param", …}} with 400, 401,
 * 402 and 404; and idempotency: a POST with an Idempotency-Key that Stripe started to carry
 * out (a success or a card decline, not a request refused by validation) is remembered, the
 * same key with the same parameters answers the first answer again with
 * "Idempotent-Replayed: true", and with other parameters a 400 idempotency_error.
 */
#include "park-test-stripe.h"

#include <libsoup/soup.h>
#include <string.h>

#define API_VERSION "2024-06-20"
#define FORM_TYPE "application/x-www-form-urlencoded"

struct _ParkTestStripe
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;          /* created, used and destroyed on @thread only */
  GList        *delayed;         /* Delayed, on @thread only */
  char         *url;
  char         *secret_key;
  char         *webhook_secret;

  GMutex        lock;            /* guards everything below, and @ready */
  GCond         cond;
  gboolean      ready;
  guint         delay_ms;
  char         *failing;         /* POSTs to this path answer Stripe's 500 api_error */
  char         *last_intent;     /* id of the intent created last */
  guint         n_charges;
  GPtrArray    *requests;        /* paths, in order */
  GHashTable   *intents;         /* id → sealed JsonObject */
  GHashTable   *checkouts;       /* id → sealed JsonObject (a checkout.session) */
  GHashTable   *checkout_intent_metadata; /* checkout id → JsonObject, for its intent */
  char         *last_checkout;   /* id of the checkout session created last */
  char         *webhook_url;     /* where events go (Stripe's dashboard setting), or NULL */
  SoupSession  *webhook_session; /* on @thread only */
  GHashTable   *refunded;        /* intent id → gint64 * */
  GHashTable   *replays;         /* Idempotency-Key → Replay */
  GHashTable   *last_headers;    /* lower-case name → value */
  GHashTable   *last_params;     /* name → value */
};

typedef struct
{
  guint  status;
  char  *body;
} Answer;

typedef struct
{
  char  *fingerprint;            /* method, path and the sorted parameters */
  guint  status;
  char  *body;
} Replay;

typedef struct
{
  ParkTestStripe    *stripe;
  SoupServerMessage *msg;
  GSource           *source;
  gulong             finished_id;
} Delayed;

static void
replay_free (gpointer data)
{
  Replay *replay = data;

  g_free (replay->fingerprint);
  g_free (replay->body);
  g_free (replay);
}

static char *
random_token (const char *prefix,
              guint       n)
{
  static const char alphabet[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  GString *out = g_string_new (prefix);

  for (guint i = 0; i < n; i++)
    g_string_append_c (out, alphabet[g_random_int_range (0, sizeof alphabet - 1)]);
  return g_string_free (out, FALSE);
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, TRUE);
}

static Answer
answer_object (guint       status,
               JsonObject *object)
{
  Answer answer = { status, object_to_string (object) };

  return answer;
}

/* Stripe's error body. @extra's members (payment_intent, charge, …) are added to it. */
static Answer
answer_error (guint       status,
              const char *type,
              const char *code,
              const char *decline_code,
              const char *param,
              const char *message,
              JsonObject *extra)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonObject) error = json_object_new ();

  json_object_set_string_member (error, "type", type);
  if (code != NULL)
    {
      g_autofree char *doc = g_strconcat ("https://stripe.com/docs/error-codes/", code, NULL);

      json_object_set_string_member (error, "code", code);
      json_object_set_string_member (error, "doc_url", doc);
    }
  if (decline_code != NULL)
    json_object_set_string_member (error, "decline_code", decline_code);
  if (param != NULL)
    json_object_set_string_member (error, "param", param);
  json_object_set_string_member (error, "message", message);
  if (extra != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init (&iter, extra);
      while (json_object_iter_next (&iter, &name, &node))
        json_object_set_member (error, name, json_node_copy (node));
    }
  json_object_set_object_member (root, "error", g_steal_pointer (&error));
  return answer_object (status, root);
}

static Answer
answer_missing (const char *param)
{
  g_autofree char *message = g_strdup_printf ("Missing required param: %s.", param);

  return answer_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "parameter_missing",
                       NULL, param, message, NULL);
}

static Answer
answer_no_such (const char *what,
                const char *id,
                const char *param,
                guint       status)
{
  g_autofree char *message = g_strdup_printf ("No such %s: '%s'", what, id);

  return answer_error (status, "invalid_request_error", "resource_missing", NULL, param,
                       message, NULL);
}

/* A positive integer parameter, as Stripe reads amounts (in the smallest currency unit). */
static gboolean
param_amount (GHashTable *params,
              const char *name,
              gint64     *out,
              Answer     *error)
{
  const char *text = g_hash_table_lookup (params, name);

  if (!g_ascii_string_to_signed (text, 10, 1, 99999999, out, NULL))
    {
      g_autofree char *message = g_strdup_printf ("Invalid integer: %s", text);

      *error = answer_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error",
                             "parameter_invalid_integer", NULL, name, message, NULL);
      return FALSE;
    }
  return TRUE;
}

static JsonObject *
copy_object (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (copy, name, json_node_copy (node));
  return copy;
}

static void
store_intent (ParkTestStripe *self,
              JsonObject     *intent)
{
  json_object_seal (intent);
  g_hash_table_replace (self->intents,
                        g_strdup (json_object_get_string_member (intent, "id")),
                        json_object_ref (intent));
}

/* The card's answer for Stripe's test payment methods; FALSE for one it does not know. */
static gboolean
card_outcome (const char  *payment_method,
              const char **status,
              const char **decline_code,
              const char **message)
{
  *decline_code = NULL;
  *message = NULL;
  if (g_str_equal (payment_method, "pm_card_visa")
      || g_str_equal (payment_method, "pm_card_mastercard"))
    *status = "succeeded";
  else if (g_str_equal (payment_method, "pm_card_authenticationRequired"))
    *status = "requires_action";
  else if (g_str_equal (payment_method, "pm_card_chargeDeclined"))
    {
      *status = "requires_payment_method";
      *decline_code = "generic_decline";
      *message = "Your card was declined.";
    }
  else if (g_str_equal (payment_method, "pm_card_chargeDeclinedInsufficientFunds"))
    {
      *status = "requires_payment_method";
      *decline_code = "insufficient_funds";
      *message = "Your card has insufficient funds.";
    }
  else
    return FALSE;
  return TRUE;
}

/* POST /v1/payment_intents */
static Answer
create_intent (ParkTestStripe *self,
               GHashTable     *params)
{
  g_autoptr(JsonObject) intent = json_object_new ();
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autoptr(JsonObject) automatic = json_object_new ();
  g_autofree char *id = random_token ("pi_", 24);
  g_autofree char *suffix = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *charge = NULL;
  const char *currency = g_hash_table_lookup (params, "currency");
  const char *payment_method = g_hash_table_lookup (params, "payment_method");
  gboolean confirm = g_strcmp0 (g_hash_table_lookup (params, "confirm"), "true") == 0;
  gboolean automatic_enabled =
    g_strcmp0 (g_hash_table_lookup (params, "automatic_payment_methods[enabled]"), "true") == 0;
  const char *allow_redirects =
    g_hash_table_lookup (params, "automatic_payment_methods[allow_redirects]");
  const char *status = "requires_confirmation";
  const char *decline_code = NULL;
  const char *decline_message = NULL;
  GHashTableIter iter;
  gpointer name, value;
  gint64 amount;
  Answer answer;

  if (!g_hash_table_contains (params, "amount"))
    return answer_missing ("amount");
  if (!param_amount (params, "amount", &amount, &answer))
    return answer;
  if (currency == NULL)
    return answer_missing ("currency");
  if (confirm && payment_method == NULL)
    return answer_missing ("payment_method");
  if (confirm && automatic_enabled && g_strcmp0 (allow_redirects, "never") != 0
      && !g_hash_table_contains (params, "return_url"))
    return answer_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", NULL, NULL,
                         "return_url",
                         "This PaymentIntent is configured to accept payment methods enabled "
                         "in your Dashboard, because automatic_payment_methods[enabled] is set "
                         "to true. Some of these payment methods may redirect your customer off "
                         "of your page, so you must provide a `return_url`. If you don't want to "
                         "accept redirect-based payment methods, set "
                         "`automatic_payment_methods[allow_redirects]` to `never`.", NULL);
  if (payment_method != NULL
      && !card_outcome (payment_method, &status, &decline_code, &decline_message))
    return answer_no_such ("PaymentMethod", payment_method, "payment_method",
                           SOUP_STATUS_BAD_REQUEST);
  if (!confirm)
    status = payment_method != NULL ? "requires_confirmation" : "requires_payment_method";

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &name, &value))
    if (g_str_has_prefix (name, "metadata[") && g_str_has_suffix (name, "]"))
      {
        g_autofree char *key = g_strndup ((char *) name + strlen ("metadata["),
                                          strlen (name) - strlen ("metadata[]"));

        json_object_set_string_member (metadata, key, value);
      }

  suffix = random_token ("_secret_", 24);
  secret = g_strconcat (id, suffix, NULL);
  json_object_set_string_member (intent, "id", id);
  json_object_set_string_member (intent, "object", "payment_intent");
  json_object_set_int_member (intent, "amount", amount);
  json_object_set_int_member (intent, "amount_capturable", 0);
  json_object_set_int_member (intent, "amount_received", 0);
  json_object_set_boolean_member (automatic, "enabled", automatic_enabled);
  if (allow_redirects != NULL)
    json_object_set_string_member (automatic, "allow_redirects", allow_redirects);
  json_object_set_object_member (intent, "automatic_payment_methods",
                                 g_steal_pointer (&automatic));
  json_object_set_string_member (intent, "capture_method", "automatic");
  json_object_set_string_member (intent, "client_secret", secret);
  json_object_set_string_member (intent, "confirmation_method", "automatic");
  json_object_set_int_member (intent, "created", g_get_real_time () / G_USEC_PER_SEC);
  json_object_set_string_member (intent, "currency", currency);
  if (g_hash_table_contains (params, "description"))
    json_object_set_string_member (intent, "description",
                                   g_hash_table_lookup (params, "description"));
  else
    json_object_set_null_member (intent, "description");
  json_object_set_null_member (intent, "last_payment_error");
  json_object_set_null_member (intent, "latest_charge");
  json_object_set_boolean_member (intent, "livemode", FALSE);
  json_object_set_object_member (intent, "metadata", g_steal_pointer (&metadata));
  json_object_set_null_member (intent, "next_action");
  if (payment_method != NULL)
    json_object_set_string_member (intent, "payment_method", payment_method);
  else
    json_object_set_null_member (intent, "payment_method");
  json_object_set_string_member (intent, "status", status);
  g_free (self->last_intent);
  self->last_intent = g_strdup (json_object_get_string_member (intent, "id"));

  if (confirm && g_str_equal (status, "succeeded"))
    {
      charge = random_token ("ch_", 24);
      self->n_charges++;
      json_object_set_string_member (intent, "latest_charge", charge);
      json_object_set_int_member (intent, "amount_received", amount);
    }
  else if (confirm && g_str_equal (status, "requires_action"))
    {
      g_autoptr(JsonObject) next_action = json_object_new ();

      json_object_set_string_member (next_action, "type", "use_stripe_sdk");
      json_object_set_object_member (intent, "next_action", g_steal_pointer (&next_action));
    }
  else if (confirm && decline_code != NULL)
    {
      g_autoptr(JsonObject) last_error = json_object_new ();
      g_autoptr(JsonObject) extra = json_object_new ();

      charge = random_token ("ch_", 24);
      self->n_charges++;
      json_object_set_string_member (intent, "latest_charge", charge);
      json_object_set_string_member (last_error, "type", "card_error");
      json_object_set_string_member (last_error, "code", "card_declined");
      json_object_set_string_member (last_error, "decline_code", decline_code);
      json_object_set_string_member (last_error, "message", decline_message);
      json_object_set_object_member (intent, "last_payment_error", g_steal_pointer (&last_error));
      store_intent (self, intent);

      json_object_set_string_member (extra, "charge", charge);
      json_object_set_object_member (extra, "payment_intent", json_object_ref (intent));
      return answer_error (SOUP_STATUS_PAYMENT_REQUIRED, "card_error", "card_declined",
                           decline_code, NULL, decline_message, extra);
    }

  store_intent (self, intent);
  return answer_object (SOUP_STATUS_OK, intent);
}

/* GET /v1/payment_intents/{id} */
static Answer
retrieve_intent (ParkTestStripe *self,
                 const char     *id)
{
  JsonObject *intent = g_hash_table_lookup (self->intents, id);

  if (intent == NULL)
    return answer_no_such ("payment_intent", id, "intent", SOUP_STATUS_NOT_FOUND);
  return answer_object (SOUP_STATUS_OK, intent);
}

/* POST /v1/refunds */
static Answer
create_refund (ParkTestStripe *self,
               GHashTable     *params)
{
  g_autoptr(JsonObject) refund = json_object_new ();
  g_autofree char *id = random_token ("re_", 24);
  const char *intent_id = g_hash_table_lookup (params, "payment_intent");
  JsonObject *intent;
  gint64 *refunded;
  gint64 charged;
  gint64 amount;
  Answer answer;

  if (intent_id == NULL)
    return answer_missing ("payment_intent");
  intent = g_hash_table_lookup (self->intents, intent_id);
  if (intent == NULL)
    return answer_no_such ("payment_intent", intent_id, "payment_intent",
                           SOUP_STATUS_BAD_REQUEST);
  if (g_strcmp0 (json_object_get_string_member (intent, "status"), "succeeded") != 0)
    {
      g_autofree char *message =
        g_strdup_printf ("This PaymentIntent (%s) does not have a successful charge to refund.",
                         intent_id);

      return answer_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error",
                           "charge_not_refundable", NULL, "payment_intent", message, NULL);
    }

  refunded = g_hash_table_lookup (self->refunded, intent_id);
  if (refunded == NULL)
    {
      refunded = g_new0 (gint64, 1);
      g_hash_table_insert (self->refunded, g_strdup (intent_id), refunded);
    }
  charged = json_object_get_int_member (intent, "amount_received");
  if (*refunded >= charged)
    {
      g_autofree char *message =
        g_strdup_printf ("Charge %s has already been refunded.",
                         json_object_get_string_member (intent, "latest_charge"));

      return answer_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error",
                           "charge_already_refunded", NULL, NULL, message, NULL);
    }
  if (g_hash_table_contains (params, "amount"))
    {
      if (!param_amount (params, "amount", &amount, &answer))
        return answer;
    }
  else
    amount = charged - *refunded;
  if (amount > charged - *refunded)
    {
      g_autofree char *message =
        g_strdup_printf ("Refund amount (%" G_GINT64_FORMAT ") is greater than unrefunded "
                         "amount on charge (%" G_GINT64_FORMAT ")", amount, charged - *refunded);

      return answer_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "amount_too_large",
                           NULL, "amount", message, NULL);
    }
  *refunded += amount;

  json_object_set_string_member (refund, "id", id);
  json_object_set_string_member (refund, "object", "refund");
  json_object_set_int_member (refund, "amount", amount);
  json_object_set_string_member (refund, "charge",
                                 json_object_get_string_member (intent, "latest_charge"));
  json_object_set_int_member (refund, "created", g_get_real_time () / G_USEC_PER_SEC);
  json_object_set_string_member (refund, "currency",
                                 json_object_get_string_member (intent, "currency"));
  json_object_set_string_member (refund, "payment_intent", intent_id);
  json_object_set_string_member (refund, "status", "succeeded");
  return answer_object (SOUP_STATUS_OK, refund);
}

/* ---- Checkout Sessions ------------------------------------------------------------------ */

static void
store_checkout (ParkTestStripe *self,
                JsonObject     *checkout)
{
  json_object_seal (checkout);
  g_hash_table_replace (self->checkouts,
                        g_strdup (json_object_get_string_member (checkout, "id")),
                        json_object_ref (checkout));
}

/* The members of @params named "@prefix[NAME]", as a JSON object of strings. */
static JsonObject *
params_object (GHashTable *params,
               const char *prefix)
{
  JsonObject *object = json_object_new ();
  GHashTableIter iter;
  gpointer name, value;
  gsize len = strlen (prefix);

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &name, &value))
    if (g_str_has_prefix (name, prefix) && ((char *) name)[len] == '[' &&
        g_str_has_suffix (name, "]") && strchr ((char *) name + len + 1, '[') == NULL)
      {
        g_autofree char *key = g_strndup ((char *) name + len + 1, strlen (name) - len - 2);

        json_object_set_string_member (object, key, value);
      }
  return object;
}

/* POST /v1/checkout/sessions: mode=payment with line_items[N][price_data][…] and
 * [quantity], success_url, cancel_url, metadata[…], payment_intent_data[metadata][…],
 * client_reference_id, expires_at (30 minutes to 24 hours ahead). */
static Answer
create_checkout (ParkTestStripe *self,
                 GHashTable     *params)
{
  g_autoptr(JsonObject) checkout = json_object_new ();
  g_autoptr(JsonArray) methods = json_array_new ();
  g_autofree char *id = random_token ("cs_test_", 40);
  g_autofree char *url = NULL;
  const char *mode = g_hash_table_lookup (params, "mode");
  const char *currency = g_hash_table_lookup (params, "line_items[0][price_data][currency]");
  const char *name = g_hash_table_lookup (params,
                                          "line_items[0][price_data][product_data][name]");
  const char *quantity = g_hash_table_lookup (params, "line_items[0][quantity]");
  const char *expires = g_hash_table_lookup (params, "expires_at");
  gint64 now = g_get_real_time () / G_USEC_PER_SEC, unit, expires_at = now + 24 * 3600;
  Answer answer;

  if (mode == NULL)
    return answer_missing ("mode");
  if (!g_str_equal (mode, "payment"))
    return answer_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "parameter_invalid",
                         NULL, "mode", "This fake takes mode=payment only.", NULL);
  if (!g_hash_table_contains (params, "success_url"))
    return answer_missing ("success_url");
  if (currency == NULL)
    return answer_missing ("line_items[0][price_data][currency]");
  if (name == NULL)
    return answer_missing ("line_items[0][price_data][product_data][name]");
  if (quantity == NULL)
    return answer_missing ("line_items[0][quantity]");
  if (!g_hash_table_contains (params, "line_items[0][price_data][unit_amount]"))
    return answer_missing ("line_items[0][price_data][unit_amount]");
  if (!param_amount (params, "line_items[0][price_data][unit_amount]", &unit, &answer))
    return answer;
  if (g_hash_table_contains (params, "line_items[1][quantity]"))
    return answer_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "parameter_invalid",
                         NULL, "line_items", "This fake takes one line item.", NULL);
  if (expires != NULL &&
      (!g_ascii_string_to_signed (expires, 10, 0, G_MAXINT64, &expires_at, NULL) ||
       expires_at < now + 1800 || expires_at > now + 24 * 3600))
    return answer_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "parameter_invalid",
                         NULL, "expires_at",
                         "The `expires_at` timestamp must be at least 30 minutes and less than "
                         "24 hours from Checkout Session creation.", NULL);

  url = g_strdup_printf ("%s/c/pay/%s", self->url, id);
  json_object_set_string_member (checkout, "id", id);
  json_object_set_string_member (checkout, "object", "checkout.session");
  json_object_set_int_member (checkout, "amount_subtotal", unit * atoi (quantity));
  json_object_set_int_member (checkout, "amount_total", unit * atoi (quantity));
  json_object_set_string_member (checkout, "cancel_url",
                                 g_hash_table_lookup (params, "cancel_url"));
  if (g_hash_table_contains (params, "client_reference_id"))
    json_object_set_string_member (checkout, "client_reference_id",
                                   g_hash_table_lookup (params, "client_reference_id"));
  else
    json_object_set_null_member (checkout, "client_reference_id");
  json_object_set_int_member (checkout, "created", now);
  json_object_set_string_member (checkout, "currency", currency);
  json_object_set_int_member (checkout, "expires_at", expires_at);
  json_object_set_boolean_member (checkout, "livemode", FALSE);
  json_object_set_object_member (checkout, "metadata", params_object (params, "metadata"));
  json_object_set_string_member (checkout, "mode", "payment");
  json_object_set_null_member (checkout, "payment_intent");
  json_array_add_string_element (methods, "card");
  json_object_set_array_member (checkout, "payment_method_types", g_steal_pointer (&methods));
  json_object_set_string_member (checkout, "payment_status", "unpaid");
  json_object_set_string_member (checkout, "status", "open");
  json_object_set_string_member (checkout, "success_url",
                                 g_hash_table_lookup (params, "success_url"));
  json_object_set_string_member (checkout, "url", url);
  store_checkout (self, checkout);
  g_hash_table_replace (self->checkout_intent_metadata, g_strdup (id),
                        params_object (params, "payment_intent_data[metadata]"));
  g_free (self->last_checkout);
  self->last_checkout = g_strdup (id);
  return answer_object (SOUP_STATUS_OK, checkout);
}

/* GET /v1/checkout/sessions/{id} */
static Answer
retrieve_checkout (ParkTestStripe *self,
                   const char     *id)
{
  JsonObject *checkout = g_hash_table_lookup (self->checkouts, id);

  if (checkout == NULL)
    return answer_no_such ("checkout.session", id, "session", SOUP_STATUS_NOT_FOUND);
  return answer_object (SOUP_STATUS_OK, checkout);
}

/* POST /v1/checkout/sessions/{id}/expire: an open session only. */
static Answer
expire_checkout (ParkTestStripe *self,
                 const char     *id)
{
  JsonObject *stored = g_hash_table_lookup (self->checkouts, id);
  g_autoptr(JsonObject) checkout = NULL;

  if (stored == NULL)
    return answer_no_such ("checkout.session", id, "session", SOUP_STATUS_NOT_FOUND);
  if (!g_str_equal (json_object_get_string_member (stored, "status"), "open"))
    {
      g_autofree char *message =
        g_strdup_printf ("Only Checkout Sessions with a status in [\"open\"] can be expired. "
                         "This Checkout Session has a status of \"%s\".",
                         json_object_get_string_member (stored, "status"));

      return answer_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", NULL, NULL, NULL,
                           message, NULL);
    }
  checkout = copy_object (stored);
  json_object_set_string_member (checkout, "status", "expired");
  json_object_set_null_member (checkout, "url");
  store_checkout (self, checkout);
  return answer_object (SOUP_STATUS_OK, checkout);
}

/* The driver pays on the page with @payment_method (one of Stripe's test cards): a
 * succeeded intent with a charge and the intent's metadata, and the session complete and
 * paid. FALSE (and @message) when the card is declined or the page is not open. */
static gboolean
pay_checkout_locked (ParkTestStripe *self,
                     const char     *id,
                     const char     *payment_method,
                     char          **message)
{
  JsonObject *stored = g_hash_table_lookup (self->checkouts, id);
  JsonObject *metadata = g_hash_table_lookup (self->checkout_intent_metadata, id);
  g_autoptr(JsonObject) checkout = NULL;
  g_autoptr(JsonObject) intent = json_object_new ();
  g_autofree char *intent_id = random_token ("pi_", 24);
  g_autofree char *charge = random_token ("ch_", 24);
  const char *status, *decline_code, *decline_message;
  gint64 amount;

  if (stored == NULL || !g_str_equal (json_object_get_string_member (stored, "status"), "open"))
    {
      *message = g_strdup ("This page is no longer open.");
      return FALSE;
    }
  if (!card_outcome (payment_method, &status, &decline_code, &decline_message) ||
      !g_str_equal (status, "succeeded"))
    {
      self->n_charges += decline_code != NULL;
      *message = g_strdup (decline_message != NULL ? decline_message : "Your card was declined.");
      return FALSE;
    }
  amount = json_object_get_int_member (stored, "amount_total");
  self->n_charges++;
  json_object_set_string_member (intent, "id", intent_id);
  json_object_set_string_member (intent, "object", "payment_intent");
  json_object_set_int_member (intent, "amount", amount);
  json_object_set_int_member (intent, "amount_capturable", 0);
  json_object_set_int_member (intent, "amount_received", amount);
  json_object_set_string_member (intent, "capture_method", "automatic");
  json_object_set_int_member (intent, "created", g_get_real_time () / G_USEC_PER_SEC);
  json_object_set_string_member (intent, "currency",
                                 json_object_get_string_member (stored, "currency"));
  json_object_set_null_member (intent, "last_payment_error");
  json_object_set_string_member (intent, "latest_charge", charge);
  json_object_set_boolean_member (intent, "livemode", FALSE);
  json_object_set_object_member (intent, "metadata", metadata != NULL ? copy_object (metadata)
                                                                      : json_object_new ());
  json_object_set_string_member (intent, "payment_method", payment_method);
  json_object_set_string_member (intent, "status", "succeeded");
  store_intent (self, intent);
  g_free (self->last_intent);
  self->last_intent = g_strdup (intent_id);

  checkout = copy_object (stored);
  json_object_set_string_member (checkout, "payment_intent", intent_id);
  json_object_set_string_member (checkout, "payment_status", "paid");
  json_object_set_string_member (checkout, "status", "complete");
  json_object_set_null_member (checkout, "url");
  store_checkout (self, checkout);
  return TRUE;
}

static char *
event_json (const char *type,
            JsonObject *object)
{
  g_autoptr(JsonObject) event = json_object_new ();
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(JsonObject) request = json_object_new ();
  g_autofree char *id = random_token ("evt_", 24);

  json_object_set_string_member (event, "id", id);
  json_object_set_string_member (event, "object", "event");
  json_object_set_string_member (event, "api_version", API_VERSION);
  json_object_set_int_member (event, "created", g_get_real_time () / G_USEC_PER_SEC);
  json_object_set_object_member (data, "object", json_object_ref (object));
  json_object_set_object_member (event, "data", g_steal_pointer (&data));
  json_object_set_boolean_member (event, "livemode", FALSE);
  json_object_set_int_member (event, "pending_webhooks", 1);
  json_object_set_null_member (request, "id");
  json_object_set_null_member (request, "idempotency_key");
  json_object_set_object_member (event, "request", g_steal_pointer (&request));
  json_object_set_string_member (event, "type", type);
  return object_to_string (event);
}

static char *
sign_payload (const char *secret,
              const char *payload,
              gint64      t)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret,
                                      strlen (secret));
  g_autofree char *signed_text = g_strdup_printf ("%" G_GINT64_FORMAT ".%s", t, payload);

  g_hmac_update (hmac, (const guchar *) signed_text, -1);
  return g_strdup_printf ("t=%" G_GINT64_FORMAT ",v1=%s", t, g_hmac_get_string (hmac));
}

typedef struct
{
  SoupServerMessage *msg;
  char              *success_url;
} PageVisit;

static void
webhook_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  PageVisit *visit = data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  SoupMessage *sent = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autofree char *text = g_strdup_printf ("Paid. The webhook answered %u.\n%s\n",
                                           soup_message_get_status (sent),
                                           visit->success_url != NULL ? visit->success_url : "");

  soup_server_message_set_status (visit->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (visit->msg, "text/plain", SOUP_MEMORY_COPY, text,
                                    strlen (text));
  soup_server_message_unpause (visit->msg);
  g_object_unref (visit->msg);
  g_free (visit->success_url);
  g_free (visit);
}

/* The payment page a Checkout Session's url leads to, as a phone would use it:
 *   GET  /c/pay/{id}                         what is to pay (text), 404 when not open;
 *   POST /c/pay/{id}  card=pm_card_visa      pays; the webhook checkout.session.completed
 *                                            goes to the webhook URL, signed, and the page
 *                                            answers with its status once parkd answered. */
static void
checkout_page (ParkTestStripe    *self,
               SoupServerMessage *msg,
               const char        *method,
               const char        *id,
               GHashTable        *params)
{
  g_autofree char *text = NULL, *message = NULL, *payload = NULL, *signature = NULL;
  g_autofree char *webhook_url = NULL, *success_url = NULL;
  JsonObject *checkout;
  gboolean paid = FALSE;
  guint status = SOUP_STATUS_OK;

  g_mutex_lock (&self->lock);
  checkout = g_hash_table_lookup (self->checkouts, id);
  if (checkout == NULL || !g_str_equal (json_object_get_string_member (checkout, "status"),
                                        "open"))
    {
      status = SOUP_STATUS_NOT_FOUND;
      text = g_strdup ("This payment page is not open.\n");
    }
  else if (g_str_equal (method, "GET"))
    text = g_strdup_printf ("Pay %" G_GINT64_FORMAT " %s\n",
                            json_object_get_int_member (checkout, "amount_total"),
                            json_object_get_string_member (checkout, "currency"));
  else if (pay_checkout_locked (self, id, g_hash_table_lookup (params, "card") != NULL
                                          ? g_hash_table_lookup (params, "card") : "",
                                &message))
    {
      paid = TRUE;
      checkout = g_hash_table_lookup (self->checkouts, id);
      payload = event_json ("checkout.session.completed", checkout);
      signature = sign_payload (self->webhook_secret, payload,
                                g_get_real_time () / G_USEC_PER_SEC);
      webhook_url = g_strdup (self->webhook_url);
      success_url = g_strdup (json_object_get_string_member (checkout, "success_url"));
    }
  else
    {
      status = SOUP_STATUS_PAYMENT_REQUIRED;
      text = g_strdup_printf ("%s\n", message);
    }
  g_mutex_unlock (&self->lock);

  if (paid && webhook_url != NULL)
    {
      g_autoptr(SoupMessage) event = soup_message_new ("POST", webhook_url);
      g_autoptr(GBytes) body = g_bytes_new (payload, strlen (payload));
      PageVisit *visit = g_new0 (PageVisit, 1);

      soup_message_headers_replace (soup_message_get_request_headers (event), "Stripe-Signature",
                                    signature);
      soup_message_set_request_body_from_bytes (event, "application/json; charset=utf-8", body);
      visit->msg = g_object_ref (msg);
      visit->success_url = g_steal_pointer (&success_url);
      soup_server_message_pause (msg);
      /* Asynchronously: parkd may call this fake back while it handles the event. */
      soup_session_send_and_read_async (self->webhook_session, event, G_PRIORITY_DEFAULT, NULL,
                                        webhook_sent_cb, visit);
      return;
    }
  if (paid)
    text = g_strdup ("Paid. No webhook endpoint is set.\n");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
}

static Answer
route (ParkTestStripe *self,
       const char     *method,
       const char     *path,
       GHashTable     *params)
{
  const char *prefix = "/v1/payment_intents/";
  g_autofree char *message = NULL;

  if (g_str_equal (method, "POST") && g_str_equal (path, "/v1/payment_intents"))
    return create_intent (self, params);
  if (g_str_equal (method, "GET") && g_str_has_prefix (path, prefix)
      && path[strlen (prefix)] != '\0' && strchr (path + strlen (prefix), '/') == NULL)
    return retrieve_intent (self, path + strlen (prefix));
  if (g_str_equal (method, "POST") && g_str_equal (path, "/v1/refunds"))
    return create_refund (self, params);
  if (g_str_equal (method, "POST") && g_str_equal (path, "/v1/checkout/sessions"))
    return create_checkout (self, params);
  if (g_str_has_prefix (path, "/v1/checkout/sessions/"))
    {
      const char *rest = path + strlen ("/v1/checkout/sessions/");
      const char *slash = strchr (rest, '/');

      if (g_str_equal (method, "GET") && slash == NULL && *rest != '\0')
        return retrieve_checkout (self, rest);
      if (g_str_equal (method, "POST") && slash != NULL && g_str_equal (slash, "/expire"))
        {
          g_autofree char *id = g_strndup (rest, slash - rest);

          return expire_checkout (self, id);
        }
    }

  message = g_strdup_printf ("Unrecognized request URL (%s: %s).", method, path);
  return answer_error (SOUP_STATUS_NOT_FOUND, "invalid_request_error", NULL, NULL, NULL, message,
                       NULL);
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static char *
fingerprint (const char *method,
             const char *path,
             GHashTable *params)
{
  g_autofree gpointer *names = (gpointer *) g_hash_table_get_keys_as_array (params, NULL);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%s %s\n", method, path);
  g_qsort_with_data (names, g_hash_table_size (params), sizeof (gpointer),
                     compare_names, NULL);
  for (guint i = 0; names[i] != NULL; i++)
    g_string_append_printf (out, "%s=%s\n", (char *) names[i],
                            (char *) g_hash_table_lookup (params, names[i]));
  return g_string_free (out, FALSE);
}

/* Everything between the request and the answer, with the lock held. */
static Answer
handle_locked (ParkTestStripe     *self,
               const char         *method,
               const char         *path,
               SoupMessageHeaders *headers,
               gsize               body_len,
               GHashTable         *params,
               gboolean           *replayed)
{
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autofree char *expected = g_strconcat ("Bearer ", self->secret_key, NULL);
  g_autofree char *print = NULL;
  Replay *replay;
  Answer answer;

  if (authorization == NULL || !g_str_has_prefix (authorization, "Bearer "))
    return answer_error (SOUP_STATUS_UNAUTHORIZED, "invalid_request_error", NULL, NULL, NULL,
                         "You did not provide an API key. You need to provide your API key in "
                         "the Authorization header, using Bearer auth (e.g. 'Authorization: "
                         "Bearer YOUR_SECRET_KEY').", NULL);
  if (!g_str_equal (authorization, expected))
    {
      const char *given = authorization + strlen ("Bearer ");
      gsize len = strlen (given);
      g_autofree char *message =
        g_strdup_printf ("Invalid API Key provided: %.*s****%s", len > 12 ? 8 : 0, given,
                         len > 12 ? given + len - 4 : "");

      return answer_error (SOUP_STATUS_UNAUTHORIZED, "invalid_request_error", "api_key_invalid",
                           NULL, NULL, message, NULL);
    }
  if (body_len > 0 && g_strcmp0 (content_type, FORM_TYPE) != 0)
    return answer_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", NULL, NULL, NULL,
                         "Invalid request: request parameters should be form-encoded "
                         "(application/x-www-form-urlencoded).", NULL);

  /* An outage on Stripe's side: nothing is done and nothing kept under the key. */
  if (self->failing != NULL && g_str_equal (method, "POST") && g_str_equal (path, self->failing))
    return answer_error (SOUP_STATUS_INTERNAL_SERVER_ERROR, "api_error", NULL, NULL, NULL,
                         "An unknown error occurred", NULL);
  if (!g_str_equal (method, "POST") || key == NULL)
    return route (self, method, path, params);

  print = fingerprint (method, path, params);
  replay = g_hash_table_lookup (self->replays, key);
  if (replay != NULL && g_str_equal (replay->fingerprint, print))
    {
      Answer again = { replay->status, g_strdup (replay->body) };

      *replayed = TRUE;
      return again;
    }
  if (replay != NULL)
    {
      g_autofree char *message =
        g_strdup_printf ("Keys for idempotent requests can only be used with the same "
                         "parameters they were first used with. Try using a key other than "
                         "'%s' if you meant to execute a different request.", key);

      return answer_error (SOUP_STATUS_BAD_REQUEST, "idempotency_error", NULL, NULL, NULL,
                           message, NULL);
    }

  answer = route (self, method, path, params);
  /* Stripe keeps the result once the endpoint started executing: successes and declines,
   * not requests refused by validation. */
  if (SOUP_STATUS_IS_SUCCESSFUL (answer.status) || answer.status == SOUP_STATUS_PAYMENT_REQUIRED)
    {
      replay = g_new0 (Replay, 1);
      replay->fingerprint = g_steal_pointer (&print);
      replay->status = answer.status;
      replay->body = g_strdup (answer.body);
      g_hash_table_insert (self->replays, g_strdup (key), replay);
    }
  return answer;
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    data)
{
  g_hash_table_replace (data, g_ascii_strdown (name, -1), g_strdup (value));
}

static void
delayed_free (Delayed *delayed)
{
  ParkTestStripe *self = delayed->stripe;

  self->delayed = g_list_remove (self->delayed, delayed);
  if (delayed->source != NULL)
    {
      g_source_destroy (delayed->source);
      g_source_unref (delayed->source);
    }
  g_signal_handler_disconnect (delayed->msg, delayed->finished_id);
  g_object_unref (delayed->msg);
  g_free (delayed);
}

static gboolean
delayed_cb (gpointer data)
{
  Delayed *delayed = data;

  g_clear_pointer (&delayed->source, g_source_unref);
  soup_server_message_unpause (delayed->msg);
  return G_SOURCE_REMOVE;
}

/* The answer was written, or the client went away first. */
static void
delayed_finished_cb (SoupServerMessage *msg,
                     Delayed           *delayed)
{
  delayed_free (delayed);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  ParkTestStripe *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  const char *key = soup_message_headers_get_one (request_headers, "Idempotency-Key");
  const char *version = soup_message_headers_get_one (request_headers, "Stripe-Version");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *body = NULL;
  g_autofree char *request_id = random_token ("req_", 14);
  gboolean replayed = FALSE;
  Answer answer;
  gsize len;
  guint delay;

  bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  len = g_bytes_get_size (bytes);
  body = g_strndup (g_bytes_get_data (bytes, NULL), len);
  if (body[0] != '\0')
    params = soup_form_decode (body);
  else
    params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* The page a phone opens: no secret key, and not Stripe's API. */
  if (g_str_has_prefix (path, "/c/pay/"))
    {
      checkout_page (self, msg, method, path + strlen ("/c/pay/"), params);
      return;
    }

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->requests, g_strdup (path));
  g_hash_table_remove_all (self->last_headers);
  soup_message_headers_foreach (request_headers, copy_header, self->last_headers);
  g_clear_pointer (&self->last_params, g_hash_table_unref);
  self->last_params = g_hash_table_ref (params);
  delay = self->delay_ms;
  answer = handle_locked (self, method, path, request_headers, len, params, &replayed);
  g_mutex_unlock (&self->lock);

  soup_message_headers_replace (response_headers, "Request-Id", request_id);
  soup_message_headers_replace (response_headers, "Stripe-Version",
                                version != NULL ? version : API_VERSION);
  if (key != NULL && g_str_equal (method, "POST"))
    soup_message_headers_replace (response_headers, "Idempotency-Key", key);
  if (replayed)
    soup_message_headers_replace (response_headers, "Idempotent-Replayed", "true");
  soup_server_message_set_status (msg, answer.status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, answer.body,
                                    strlen (answer.body));

  if (delay > 0)
    {
      Delayed *delayed = g_new0 (Delayed, 1);

      delayed->stripe = self;
      delayed->msg = g_object_ref (msg);
      delayed->source = g_timeout_source_new (delay);
      g_source_set_callback (delayed->source, delayed_cb, delayed, NULL);
      g_source_attach (delayed->source, self->context);
      delayed->finished_id = g_signal_connect (msg, "finished",
                                               G_CALLBACK (delayed_finished_cb), delayed);
      self->delayed = g_list_prepend (self->delayed, delayed);
      soup_server_message_pause (msg);
    }
}

static gboolean
quit_cb (gpointer data)
{
  ParkTestStripe *self = data;

  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
server_thread (gpointer data)
{
  ParkTestStripe *self = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (self->context);
  self->server = soup_server_new ("server-header", "stripe-fake", NULL);
  self->webhook_session = soup_session_new ();
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);
  soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&self->lock);
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);

  g_main_loop_run (self->loop);

  while (self->delayed != NULL)
    delayed_free (self->delayed->data);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  soup_session_abort (self->webhook_session);
  g_clear_object (&self->webhook_session);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

ParkTestStripe *
park_test_stripe_new (void)
{
  ParkTestStripe *self = g_new0 (ParkTestStripe, 1);

  self->secret_key = random_token ("sk_test_", 32);
  self->webhook_secret = random_token ("whsec_", 32);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->requests = g_ptr_array_new_with_free_func (g_free);
  self->intents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) json_object_unref);
  self->refunded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->checkouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) json_object_unref);
  self->checkout_intent_metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) json_object_unref);
  self->replays = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, replay_free);
  self->last_headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("fake-stripe", server_thread, self);

  g_mutex_lock (&self->lock);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
  return self;
}

void
park_test_stripe_free (ParkTestStripe *self)
{
  if (self == NULL)
    return;
  /* Through the context rather than g_main_loop_quit(), which is lost if it comes before
   * the thread has entered g_main_loop_run(). */
  g_main_context_invoke (self->context, quit_cb, self);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_ptr_array_unref (self->requests);
  g_hash_table_unref (self->intents);
  g_hash_table_unref (self->refunded);
  g_hash_table_unref (self->checkouts);
  g_hash_table_unref (self->checkout_intent_metadata);
  g_hash_table_unref (self->replays);
  g_hash_table_unref (self->last_headers);
  g_clear_pointer (&self->last_params, g_hash_table_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self->url);
  g_free (self->secret_key);
  g_free (self->webhook_secret);
  g_free (self->failing);
  g_free (self->last_intent);
  g_free (self->last_checkout);
  g_free (self->webhook_url);
  g_free (self);
}

const char *
park_test_stripe_get_url (ParkTestStripe *self)
{
  return self->url;
}

const char *
park_test_stripe_get_secret_key (ParkTestStripe *self)
{
  return self->secret_key;
}

const char *
park_test_stripe_get_webhook_secret (ParkTestStripe *self)
{
  return self->webhook_secret;
}

guint
park_test_stripe_count (ParkTestStripe *self,
                        const char     *path_prefix)
{
  guint n = 0;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->requests->len; i++)
    if (path_prefix == NULL || g_str_has_prefix (g_ptr_array_index (self->requests, i),
                                                 path_prefix))
      n++;
  g_mutex_unlock (&self->lock);
  return n;
}

guint
park_test_stripe_count_charges (ParkTestStripe *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->n_charges;
  g_mutex_unlock (&self->lock);
  return n;
}

JsonObject *
park_test_stripe_get_intent (ParkTestStripe *self,
                             const char     *id)
{
  JsonObject *intent;

  g_mutex_lock (&self->lock);
  intent = g_hash_table_lookup (self->intents, id);
  if (intent != NULL)
    json_object_ref (intent);
  g_mutex_unlock (&self->lock);
  return intent;
}

char *
park_test_stripe_dup_last_header (ParkTestStripe *self,
                                  const char     *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  char *value;

  g_mutex_lock (&self->lock);
  value = g_strdup (g_hash_table_lookup (self->last_headers, lower));
  g_mutex_unlock (&self->lock);
  return value;
}

char *
park_test_stripe_dup_last_param (ParkTestStripe *self,
                                 const char     *name)
{
  char *value = NULL;

  g_mutex_lock (&self->lock);
  if (self->last_params != NULL)
    value = g_strdup (g_hash_table_lookup (self->last_params, name));
  g_mutex_unlock (&self->lock);
  return value;
}

void
park_test_stripe_set_delay (ParkTestStripe *self,
                            guint           ms)
{
  g_mutex_lock (&self->lock);
  self->delay_ms = ms;
  g_mutex_unlock (&self->lock);
}

void
park_test_stripe_set_failing (ParkTestStripe *self,
                              const char     *path)
{
  g_mutex_lock (&self->lock);
  g_free (self->failing);
  self->failing = g_strdup (path);
  g_mutex_unlock (&self->lock);
}

char *
park_test_stripe_dup_last_intent (ParkTestStripe *self)
{
  char *id;

  g_mutex_lock (&self->lock);
  id = g_strdup (self->last_intent);
  g_mutex_unlock (&self->lock);
  return id;
}

gint64
park_test_stripe_get_refunded (ParkTestStripe *self,
                               const char     *intent_id)
{
  gint64 *refunded;
  gint64 amount;

  g_mutex_lock (&self->lock);
  refunded = g_hash_table_lookup (self->refunded, intent_id);
  amount = refunded != NULL ? *refunded : 0;
  g_mutex_unlock (&self->lock);
  return amount;
}

gboolean
park_test_stripe_complete_action (ParkTestStripe *self,
                                  const char     *id,
                                  gboolean        succeed)
{
  g_autoptr(JsonObject) intent = NULL;
  JsonObject *stored;

  g_mutex_lock (&self->lock);
  stored = g_hash_table_lookup (self->intents, id);
  if (stored == NULL
      || g_strcmp0 (json_object_get_string_member (stored, "status"), "requires_action") != 0)
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  intent = copy_object (stored);
  json_object_set_null_member (intent, "next_action");
  if (succeed)
    {
      g_autofree char *charge = random_token ("ch_", 24);

      self->n_charges++;
      json_object_set_string_member (intent, "status", "succeeded");
      json_object_set_string_member (intent, "latest_charge", charge);
      json_object_set_int_member (intent, "amount_received",
                                  json_object_get_int_member (intent, "amount"));
    }
  else
    {
      g_autoptr(JsonObject) last_error = json_object_new ();

      json_object_set_string_member (last_error, "type", "card_error");
      json_object_set_string_member (last_error, "code", "payment_intent_authentication_failure");
      json_object_set_string_member (last_error, "message",
                                     "The provided PaymentMethod has failed authentication.");
      json_object_set_object_member (intent, "last_payment_error", g_steal_pointer (&last_error));
      json_object_set_string_member (intent, "status", "requires_payment_method");
    }
  store_intent (self, intent);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

char *
park_test_stripe_sign (ParkTestStripe *self,
                       const char     *payload,
                       gint64          t)
{
  return sign_payload (self->webhook_secret, payload, t);
}

char *
park_test_stripe_event_json (ParkTestStripe *self,
                             const char     *type,
                             const char     *intent_id)
{
  g_autoptr(JsonObject) intent = park_test_stripe_get_intent (self, intent_id);

  g_assert_nonnull (intent);
  return event_json (type, intent);
}

void
park_test_stripe_set_webhook_url (ParkTestStripe *self,
                                  const char     *url)
{
  g_mutex_lock (&self->lock);
  g_free (self->webhook_url);
  self->webhook_url = g_strdup (url);
  g_mutex_unlock (&self->lock);
}

char *
park_test_stripe_dup_last_checkout (ParkTestStripe *self)
{
  char *id;

  g_mutex_lock (&self->lock);
  id = g_strdup (self->last_checkout);
  g_mutex_unlock (&self->lock);
  return id;
}

JsonObject *
park_test_stripe_get_checkout (ParkTestStripe *self,
                               const char     *id)
{
  JsonObject *checkout;

  g_mutex_lock (&self->lock);
  checkout = g_hash_table_lookup (self->checkouts, id);
  if (checkout != NULL)
    json_object_ref (checkout);
  g_mutex_unlock (&self->lock);
  return checkout;
}

gboolean
park_test_stripe_expire_checkout (ParkTestStripe *self,
                                  const char     *id)
{
  Answer answer;

  g_mutex_lock (&self->lock);
  answer = expire_checkout (self, id);
  g_mutex_unlock (&self->lock);
  g_free (answer.body);
  return answer.status == SOUP_STATUS_OK;
}

char *
park_test_stripe_checkout_event_json (ParkTestStripe *self,
                                      const char     *type,
                                      const char     *checkout_id)
{
  g_autoptr(JsonObject) checkout = park_test_stripe_get_checkout (self, checkout_id);

  g_assert_nonnull (checkout);
  return event_json (type, checkout);
}

guint
park_test_stripe_visit_checkout (const char  *url,
                                 const char  *payment_method,
                                 char       **page)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  if (payment_method != NULL)
    {
      char *form = soup_form_encode ("card", payment_method, NULL);
      gsize len = strlen (form);
      g_autoptr(GBytes) request = g_bytes_new_take (form, len);

      msg = soup_message_new ("POST", url);
      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded",
                                                request);
    }
  else
    msg = soup_message_new ("GET", url);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (page != NULL)
    *page = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return soup_message_get_status (msg);
}

void
park_test_stripe_start_parkd (ParkTestStripe     *self,
                              ParkTestBackend    *backend,
                              const char * const *extra)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *hook = NULL;

  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) extra[i]);
  g_ptr_array_add (args, (gpointer) "--stripe-api");
  g_ptr_array_add (args, (gpointer) park_test_stripe_get_url (self));
  g_ptr_array_add (args, (gpointer) "--stripe-secret-key");
  g_ptr_array_add (args, (gpointer) park_test_stripe_get_secret_key (self));
  g_ptr_array_add (args, (gpointer) "--stripe-webhook-secret");
  g_ptr_array_add (args, (gpointer) park_test_stripe_get_webhook_secret (self));
  g_ptr_array_add (args, (gpointer) "--checkout-success-url");
  g_ptr_array_add (args, (gpointer) "https://kiosk.example.org/paid");
  g_ptr_array_add (args, NULL);
  park_test_backend_start (backend, (const char * const *) args->pdata);
  hook = g_strconcat (backend->url, "api/v1/payments/webhooks/stripe", NULL);
  park_test_stripe_set_webhook_url (self, hook);
}
