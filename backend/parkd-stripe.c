/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-stripe.c: Stripe's REST API over libsoup's synchronous client, and webhook signatures.
 *
 * Threads. parkd calls this from its blocking worker pool, several calls at once. libsoup's
 * client-thread-safety notes (docs/reference/client-thread-safety.md) say that since 3.2 the
 * methods that send a message may be called concurrently from any thread, provided the session
 * is configured on the thread that created it before the first request, and that every other
 * session API stays on that thread. So there is one SoupSession for all workers: it is
 * configured entirely in parkd_stripe_new() (construct-time properties only), the workers call
 * nothing on it but soup_session_send_and_read(), and parkd_stripe_free() runs on the creating
 * thread once the workers are done. A mutex around the calls would be correct too, but one slow
 * or timed-out call to Stripe would then hold up every other payment for up to timeout_s; a
 * session per thread (GPrivate) would also be correct, but a GPrivate is static, so the sessions
 * would outlive the ParkdStripe, be torn down on whichever thread exits, and share no
 * connections. meson asks for libsoup >= 3.2, and the #if below makes that explicit.
 *
 * Errors. Transport failures (refused, reset, time-out, TLS, DNS) are NETWORK, and the caller
 * may repeat the call with the same Idempotency-Key; Stripe then answers the first request's
 * result again instead of charging twice. HTTP errors are mapped from status and Stripe's
 * error body; the body's details travel in the GError's private data (an extended error
 * domain) so the caller never has to parse a message.
 */
#include "config.h"

#include "parkd-stripe.h"
#include "parkd-json.h"

#include <libsoup/soup.h>
#include <sodium.h>
#include <string.h>

#if !SOUP_CHECK_VERSION (3, 2, 0)
#error "parkd-stripe.c shares one SoupSession between threads, which needs libsoup 3.2"
#endif

/* Stripe's limits: idempotency keys of at most 255 characters, metadata names of at most 40. */
#define MAX_IDEMPOTENCY_KEY 255
#define MAX_METADATA_NAME 40
#define MAX_SIGNATURE_HEADER 4096
/* parkd's worker pool is smaller than this; a request queued behind the per-host limit would
 * wait outside the session's time-out. */
#define MAX_CONNS 64

struct _ParkdStripe
{
  SoupSession *session;
  char        *api_base;        /* without a trailing '/' */
  char        *authorization;   /* "Bearer sk_…" */
  char        *webhook_secret;
  guint        timeout_s;
};

typedef struct
{
  char  *code;
  char  *decline_code;
  char  *payment_intent;
  char  *request_id;
} ParkdStripeErrorPrivate;

static void
parkd_stripe_error_private_init (ParkdStripeErrorPrivate *priv)
{
}

static void
parkd_stripe_error_private_copy (const ParkdStripeErrorPrivate *src,
                                 ParkdStripeErrorPrivate       *dest)
{
  dest->code = g_strdup (src->code);
  dest->decline_code = g_strdup (src->decline_code);
  dest->payment_intent = g_strdup (src->payment_intent);
  dest->request_id = g_strdup (src->request_id);
}

static void
parkd_stripe_error_private_clear (ParkdStripeErrorPrivate *priv)
{
  g_clear_pointer (&priv->code, g_free);
  g_clear_pointer (&priv->decline_code, g_free);
  g_clear_pointer (&priv->payment_intent, g_free);
  g_clear_pointer (&priv->request_id, g_free);
}

G_DEFINE_EXTENDED_ERROR (ParkdStripeError, parkd_stripe_error)

static ParkdStripeErrorPrivate *
error_private (const GError *error)
{
  if (error == NULL || error->domain != PARKD_STRIPE_ERROR)
    return NULL;
  return parkd_stripe_error_get_private (error);
}

/* A string member, or NULL when it is missing, null or not a string. */
static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

/* A member that is either an id or the expanded object with that id. */
static const char *
member_id (JsonObject *object,
           const char *name)
{
  const char *id = member_string (object, name);

  if (id != NULL)
    return id;
  return member_string (member_object (object, name), "id");
}

/* Stripe's ids are a lower-case prefix, '_' and letters, digits or '_' ("pm_card_visa",
 * "pm_1PQ…"); a card number or anything else a client might send by mistake is not. */
static gboolean
is_stripe_token (const char *text)
{
  const char *p = text;

  while (g_ascii_islower (*p))
    p++;
  if (p == text || *p != '_' || p[1] == '\0')
    return FALSE;
  for (p++; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return p - text <= 255;
}

static void
form_add (GString    *form,
          const char *name,
          const char *value)
{
  /* Brackets stay literal in names, as Stripe's own libraries send them. */
  g_autofree char *escaped_name = g_uri_escape_string (name, "[]", FALSE);
  g_autofree char *escaped_value = g_uri_escape_string (value, NULL, FALSE);

  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append (form, escaped_name);
  g_string_append_c (form, '=');
  g_string_append (form, escaped_value);
}

static void
form_add_int (GString    *form,
              const char *name,
              gint64      value)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  form_add (form, name, text);
}

static ParkdStripeError
error_code_for (guint       status,
                const char *type)
{
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    return PARKD_STRIPE_ERROR_AUTHENTICATION;
  /* 429 Too Many Requests has no SoupStatus name in libsoup 3.2. */
  if (status == 429 || status == SOUP_STATUS_CONFLICT)
    return PARKD_STRIPE_ERROR_RATE_LIMITED;
  if (status >= 500)
    return PARKD_STRIPE_ERROR_API;
  if (status == SOUP_STATUS_PAYMENT_REQUIRED || g_strcmp0 (type, "card_error") == 0)
    return PARKD_STRIPE_ERROR_CARD_DECLINED;
  if (g_strcmp0 (type, "idempotency_error") == 0)
    return PARKD_STRIPE_ERROR_IDEMPOTENCY;
  if (status >= 400)
    return PARKD_STRIPE_ERROR_INVALID_REQUEST;
  return PARKD_STRIPE_ERROR_API;
}

static void
set_error_from_response (GError     **error,
                         guint        status,
                         JsonNode    *body,
                         const char  *request_id)
{
  JsonObject *root = body != NULL ? json_node_get_object (body) : NULL;
  JsonObject *err = member_object (root, "error");
  const char *type = member_string (err, "type");
  const char *code = member_string (err, "code");
  const char *decline_code = member_string (err, "decline_code");
  const char *message = member_string (err, "message");
  const char *param = member_string (err, "param");
  g_autoptr(GString) text = g_string_new ("Stripe: ");
  ParkdStripeErrorPrivate *priv;

  if (message != NULL)
    g_string_append (text, message);
  else
    g_string_append_printf (text, "HTTP %u %s", status, soup_status_get_phrase (status));
  if (code != NULL || type != NULL)
    {
      g_string_append_printf (text, " (%s", code != NULL ? code : type);
      if (decline_code != NULL)
        g_string_append_printf (text, ", %s", decline_code);
      if (param != NULL)
        g_string_append_printf (text, ", param %s", param);
      g_string_append_c (text, ')');
    }

  g_set_error_literal (error, PARKD_STRIPE_ERROR, error_code_for (status, type), text->str);
  if (error == NULL)
    return;
  priv = parkd_stripe_error_get_private (*error);
  priv->code = g_strdup (code != NULL ? code : type);
  priv->decline_code = g_strdup (decline_code);
  priv->payment_intent = g_strdup (member_id (err, "payment_intent"));
  priv->request_id = g_strdup (request_id);
}

/*
 * One request to Stripe. @form is the urlencoded body of a POST (NULL for a GET). Returns the
 * answer's JSON object on 2xx, otherwise sets @error. Logs method, path, status, time and
 * Stripe's request id; never a header or a body.
 */
static JsonNode *
stripe_call (ParkdStripe  *self,
             const char   *method,
             const char   *path,
             GString      *form,
             const char   *idempotency_key,
             GError      **error)
{
  g_autofree char *uri = g_strconcat (self->api_base, path, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) json = NULL;
  SoupMessageHeaders *headers;
  const char *request_id;
  gboolean replayed;
  gint64 started;
  guint status;
  gconstpointer data;
  gsize len;

  msg = soup_message_new (method, uri);
  if (msg == NULL)
    {
      g_set_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_INVALID_REQUEST,
                   "Not a valid Stripe API URL: %s", uri);
      return NULL;
    }
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Authorization", self->authorization);
  soup_message_headers_replace (headers, "Stripe-Version", PARKD_STRIPE_API_VERSION);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  if (form != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (form->str, form->len);

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded",
                                                request);
    }

  started = g_get_monotonic_time ();
  body = soup_session_send_and_read (self->session, msg, NULL, &local_error);
  if (body == NULL)
    {
      g_debug ("stripe: %s %s failed after %" G_GINT64_FORMAT " ms: %s", method, path,
               (g_get_monotonic_time () - started) / 1000, local_error->message);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_set_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_NETWORK,
                     "Stripe did not answer within %u s", self->timeout_s);
      else
        g_set_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_NETWORK,
                     "Could not reach Stripe: %s", local_error->message);
      return NULL;
    }

  status = soup_message_get_status (msg);
  headers = soup_message_get_response_headers (msg);
  request_id = soup_message_headers_get_one (headers, "Request-Id");
  replayed = g_strcmp0 (soup_message_headers_get_one (headers, "Idempotent-Replayed"),
                        "true") == 0;
  g_debug ("stripe: %s %s -> %u in %" G_GINT64_FORMAT " ms (%s%s)", method, path, status,
           (g_get_monotonic_time () - started) / 1000,
           request_id != NULL ? request_id : "no request id", replayed ? ", replayed" : "");

  data = g_bytes_get_data (body, &len);
  if (len > 0)
    json = parkd_json_parse_object (data, len, NULL);

  if (SOUP_STATUS_IS_SUCCESSFUL (status) && json != NULL)
    return g_steal_pointer (&json);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_set_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_API,
                   "Stripe answered %s %s with HTTP %u and no JSON object", method, path,
                   status);
      return NULL;
    }
  set_error_from_response (error, status, json, request_id);
  return NULL;
}

void
parkd_stripe_intent_free (ParkdStripeIntent *intent)
{
  if (intent == NULL)
    return;
  g_free (intent->id);
  g_free (intent->status);
  g_free (intent->currency);
  g_free (intent->latest_charge);
  if (intent->client_secret != NULL)
    sodium_memzero (intent->client_secret, strlen (intent->client_secret));
  g_free (intent->client_secret);
  g_free (intent);
}

static ParkdStripeIntent *
intent_from_json (JsonNode  *node,
                  GError   **error)
{
  JsonObject *object = json_node_get_object (node);
  JsonNode *amount = json_object_get_member (object, "amount");
  const char *id = member_string (object, "id");
  const char *status = member_string (object, "status");
  const char *currency = member_string (object, "currency");
  g_autoptr(ParkdStripeIntent) intent = NULL;

  if (id == NULL || status == NULL || currency == NULL || amount == NULL
      || !JSON_NODE_HOLDS_VALUE (amount) || json_node_get_value_type (amount) != G_TYPE_INT64)
    {
      g_set_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_API,
                   "Stripe's answer is not a PaymentIntent");
      return NULL;
    }

  intent = g_new0 (ParkdStripeIntent, 1);
  intent->id = g_strdup (id);
  intent->status = g_strdup (status);
  intent->amount = json_node_get_int (amount);
  intent->currency = g_strdup (currency);
  intent->latest_charge = g_strdup (member_id (object, "latest_charge"));
  if (g_str_equal (status, "requires_action"))
    intent->client_secret = g_strdup (member_string (object, "client_secret"));
  return g_steal_pointer (&intent);
}

const char *
parkd_stripe_error_get_code (const GError *error)
{
  ParkdStripeErrorPrivate *priv = error_private (error);

  return priv != NULL ? priv->code : NULL;
}

const char *
parkd_stripe_error_get_decline_code (const GError *error)
{
  ParkdStripeErrorPrivate *priv = error_private (error);

  return priv != NULL ? priv->decline_code : NULL;
}

const char *
parkd_stripe_error_get_payment_intent (const GError *error)
{
  ParkdStripeErrorPrivate *priv = error_private (error);

  return priv != NULL ? priv->payment_intent : NULL;
}

const char *
parkd_stripe_error_get_request_id (const GError *error)
{
  ParkdStripeErrorPrivate *priv = error_private (error);

  return priv != NULL ? priv->request_id : NULL;
}

ParkdStripe *
parkd_stripe_new (const char *api_base,
                  const char *secret_key,
                  const char *webhook_secret,
                  guint       timeout_s)
{
  ParkdStripe *self;
  gsize len;

  g_return_val_if_fail (api_base != NULL, NULL);
  g_return_val_if_fail (secret_key != NULL, NULL);
  g_return_val_if_fail (webhook_secret != NULL, NULL);
  g_return_val_if_fail (timeout_s > 0, NULL);

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");

  self = g_new0 (ParkdStripe, 1);
  len = strlen (api_base);
  while (len > 0 && api_base[len - 1] == '/')
    len--;
  self->api_base = g_strndup (api_base, len);
  self->authorization = g_strconcat ("Bearer ", secret_key, NULL);
  self->webhook_secret = g_strdup (webhook_secret);
  self->timeout_s = timeout_s;
  /* Everything the session needs is set here, at construction, on the creating thread: after
   * this the workers only send (see the comment at the top). "timeout" covers connecting as
   * well as waiting for the answer. */
  /* A server has no desktop proxy settings: GIO's default resolver would look for GNOME's
   * GSettings schemas (and abort where they are not installed). The proxy, if any, comes
   * from the environment as for any daemon: https_proxy (or HTTPS_PROXY) and no_proxy. */
  {
    const char *proxy = g_getenv ("https_proxy") != NULL ? g_getenv ("https_proxy")
                                                         : g_getenv ("HTTPS_PROXY");
    const char *no_proxy = g_getenv ("no_proxy") != NULL ? g_getenv ("no_proxy")
                                                         : g_getenv ("NO_PROXY");
    g_auto(GStrv) ignore = no_proxy != NULL ? g_strsplit (no_proxy, ",", -1) : NULL;
    g_autoptr(GProxyResolver) resolver =
      g_simple_proxy_resolver_new (proxy != NULL && *proxy != '\0' ? proxy : NULL, ignore);

    self->session = soup_session_new_with_options ("timeout", timeout_s,
                                                   "idle-timeout", 60,
                                                   "max-conns", MAX_CONNS,
                                                   "max-conns-per-host", MAX_CONNS,
                                                   "user-agent", "parkd/" PACKAGE_VERSION,
                                                   "proxy-resolver", resolver,
                                                   NULL);
  }
  return self;
}

void
parkd_stripe_free (ParkdStripe *self)
{
  if (self == NULL)
    return;
  soup_session_abort (self->session);
  g_clear_object (&self->session);
  sodium_memzero (self->authorization, strlen (self->authorization));
  sodium_memzero (self->webhook_secret, strlen (self->webhook_secret));
  g_free (self->authorization);
  g_free (self->webhook_secret);
  g_free (self->api_base);
  g_free (self);
}

ParkdStripeIntent *
parkd_stripe_create_payment (ParkdStripe        *self,
                             gint64              amount,
                             const char         *currency,
                             const char         *payment_method,
                             const char         *description,
                             const char * const *metadata,
                             const char         *idempotency_key,
                             GError            **error)
{
  g_autoptr(GString) form = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *lower_currency = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (amount > 0, NULL);
  g_return_val_if_fail (currency != NULL, NULL);
  g_return_val_if_fail (payment_method != NULL, NULL);
  g_return_val_if_fail (idempotency_key != NULL && *idempotency_key != '\0', NULL);
  g_return_val_if_fail (strlen (idempotency_key) <= MAX_IDEMPOTENCY_KEY, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The value is not repeated in the message: a mistaken card number must not reach a log. */
  if (!is_stripe_token (payment_method))
    {
      g_set_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_INVALID_REQUEST,
                   "The payment method is not a Stripe token (pm_…)");
      return NULL;
    }

  lower_currency = g_ascii_strdown (currency, -1);
  form = g_string_new (NULL);
  form_add_int (form, "amount", amount);
  form_add (form, "currency", lower_currency);
  form_add (form, "payment_method", payment_method);
  form_add (form, "confirm", "true");
  /* Confirmed on the server without a return_url: a method that needs a redirect fails
   * instead of leaving the intent waiting for a browser that is not there. */
  form_add (form, "automatic_payment_methods[enabled]", "true");
  form_add (form, "automatic_payment_methods[allow_redirects]", "never");
  if (description != NULL)
    form_add (form, "description", description);
  for (guint i = 0; metadata != NULL && metadata[i] != NULL; i += 2)
    {
      g_autofree char *name = NULL;

      g_return_val_if_fail (metadata[i + 1] != NULL, NULL);
      if (strlen (metadata[i]) > MAX_METADATA_NAME || strpbrk (metadata[i], "[]") != NULL)
        {
          g_set_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_INVALID_REQUEST,
                       "Invalid metadata name “%s”", metadata[i]);
          return NULL;
        }
      name = g_strdup_printf ("metadata[%s]", metadata[i]);
      form_add (form, name, metadata[i + 1]);
    }

  json = stripe_call (self, "POST", "/v1/payment_intents", form, idempotency_key, error);
  if (json == NULL)
    return NULL;
  return intent_from_json (json, error);
}

ParkdStripeIntent *
parkd_stripe_get_payment (ParkdStripe  *self,
                          const char   *payment_intent,
                          GError      **error)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) json = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (payment_intent != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  escaped = g_uri_escape_string (payment_intent, NULL, FALSE);
  path = g_strconcat ("/v1/payment_intents/", escaped, NULL);
  json = stripe_call (self, "GET", path, NULL, NULL, error);
  if (json == NULL)
    return NULL;
  return intent_from_json (json, error);
}

char *
parkd_stripe_refund (ParkdStripe  *self,
                     const char   *payment_intent,
                     gint64        amount,
                     const char   *idempotency_key,
                     GError      **error)
{
  g_autoptr(GString) form = NULL;
  g_autoptr(JsonNode) json = NULL;
  const char *id;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (payment_intent != NULL, NULL);
  g_return_val_if_fail (amount >= 0, NULL);
  g_return_val_if_fail (idempotency_key != NULL && *idempotency_key != '\0', NULL);
  g_return_val_if_fail (strlen (idempotency_key) <= MAX_IDEMPOTENCY_KEY, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  form = g_string_new (NULL);
  form_add (form, "payment_intent", payment_intent);
  if (amount > 0)
    form_add_int (form, "amount", amount);

  json = stripe_call (self, "POST", "/v1/refunds", form, idempotency_key, error);
  if (json == NULL)
    return NULL;
  id = member_string (json_node_get_object (json), "id");
  if (id == NULL)
    {
      g_set_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_API,
                   "Stripe's answer is not a Refund");
      return NULL;
    }
  return g_strdup (id);
}

void
parkd_stripe_checkout_free (ParkdStripeCheckout *checkout)
{
  if (checkout == NULL)
    return;
  g_free (checkout->id);
  g_free (checkout->url);
  g_free (checkout->status);
  g_free (checkout->payment_status);
  g_free (checkout->payment_intent);
  g_free (checkout->currency);
  g_free (checkout);
}

ParkdStripeCheckout *
parkd_stripe_checkout_from_object (JsonObject  *object,
                                   GError     **error)
{
  const char *id = member_string (object, "id");
  const char *status = member_string (object, "status");
  JsonNode *amount = object != NULL ? json_object_get_member (object, "amount_total") : NULL;
  JsonNode *expires = object != NULL ? json_object_get_member (object, "expires_at") : NULL;
  ParkdStripeCheckout *checkout;

  if (id == NULL || !g_str_has_prefix (id, "cs_") || status == NULL ||
      g_strcmp0 (member_string (object, "object"), "checkout.session") != 0)
    {
      g_set_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_API,
                   "Stripe's answer is not a Checkout Session");
      return NULL;
    }
  checkout = g_new0 (ParkdStripeCheckout, 1);
  checkout->id = g_strdup (id);
  checkout->status = g_strdup (status);
  checkout->url = g_strdup (member_string (object, "url"));
  checkout->payment_status = g_strdup (member_string (object, "payment_status"));
  checkout->payment_intent = g_strdup (member_id (object, "payment_intent"));
  checkout->currency = g_strdup (member_string (object, "currency"));
  if (amount != NULL && JSON_NODE_HOLDS_VALUE (amount) &&
      json_node_get_value_type (amount) == G_TYPE_INT64)
    checkout->amount_total = json_node_get_int (amount);
  if (expires != NULL && JSON_NODE_HOLDS_VALUE (expires) &&
      json_node_get_value_type (expires) == G_TYPE_INT64)
    checkout->expires_at = json_node_get_int (expires);
  return checkout;
}

static ParkdStripeCheckout *
checkout_from_json (JsonNode  *node,
                    GError   **error)
{
  return parkd_stripe_checkout_from_object (JSON_NODE_HOLDS_OBJECT (node)
                                            ? json_node_get_object (node) : NULL, error);
}

ParkdStripeCheckout *
parkd_stripe_create_checkout (ParkdStripe        *self,
                              gint64              amount,
                              const char         *currency,
                              const char         *name,
                              const char         *success_url,
                              const char         *cancel_url,
                              const char         *client_reference_id,
                              const char * const *metadata,
                              gint64              expires_at,
                              const char         *idempotency_key,
                              GError            **error)
{
  g_autoptr(GString) form = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *lower_currency = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (amount > 0, NULL);
  g_return_val_if_fail (currency != NULL && name != NULL, NULL);
  g_return_val_if_fail (success_url != NULL && cancel_url != NULL, NULL);
  g_return_val_if_fail (idempotency_key != NULL && *idempotency_key != '\0', NULL);
  g_return_val_if_fail (strlen (idempotency_key) <= MAX_IDEMPOTENCY_KEY, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  lower_currency = g_ascii_strdown (currency, -1);
  form = g_string_new (NULL);
  form_add (form, "mode", "payment");
  /* Cards only: a method that settles days later (a bank debit) would leave the booking
   * unpaid at the barrier. */
  form_add (form, "payment_method_types[0]", "card");
  form_add (form, "line_items[0][price_data][currency]", lower_currency);
  form_add_int (form, "line_items[0][price_data][unit_amount]", amount);
  form_add (form, "line_items[0][price_data][product_data][name]", name);
  form_add (form, "line_items[0][quantity]", "1");
  form_add (form, "success_url", success_url);
  form_add (form, "cancel_url", cancel_url);
  if (client_reference_id != NULL)
    form_add (form, "client_reference_id", client_reference_id);
  if (expires_at > 0)
    form_add_int (form, "expires_at", expires_at);
  form_add (form, "payment_intent_data[description]", name);
  for (guint i = 0; metadata != NULL && metadata[i] != NULL; i += 2)
    {
      g_autofree char *on_session = NULL, *on_intent = NULL;

      g_return_val_if_fail (metadata[i + 1] != NULL, NULL);
      if (strlen (metadata[i]) > MAX_METADATA_NAME || strpbrk (metadata[i], "[]") != NULL)
        {
          g_set_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_INVALID_REQUEST,
                       "Invalid metadata name “%s”", metadata[i]);
          return NULL;
        }
      /* On the intent too: its own webhooks name what it paid for. */
      on_session = g_strdup_printf ("metadata[%s]", metadata[i]);
      on_intent = g_strdup_printf ("payment_intent_data[metadata][%s]", metadata[i]);
      form_add (form, on_session, metadata[i + 1]);
      form_add (form, on_intent, metadata[i + 1]);
    }

  json = stripe_call (self, "POST", "/v1/checkout/sessions", form, idempotency_key, error);
  if (json == NULL)
    return NULL;
  return checkout_from_json (json, error);
}

ParkdStripeCheckout *
parkd_stripe_get_checkout (ParkdStripe  *self,
                           const char   *id,
                           GError      **error)
{
  g_autofree char *escaped = NULL, *path = NULL;
  g_autoptr(JsonNode) json = NULL;

  g_return_val_if_fail (self != NULL && id != NULL, NULL);
  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("/v1/checkout/sessions/", escaped, NULL);
  json = stripe_call (self, "GET", path, NULL, NULL, error);
  if (json == NULL)
    return NULL;
  return checkout_from_json (json, error);
}

ParkdStripeCheckout *
parkd_stripe_expire_checkout (ParkdStripe  *self,
                              const char   *id,
                              GError      **error)
{
  g_autofree char *escaped = NULL, *path = NULL, *key = NULL;
  g_autoptr(GString) none = g_string_new (NULL);
  g_autoptr(JsonNode) json = NULL;

  g_return_val_if_fail (self != NULL && id != NULL, NULL);
  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("/v1/checkout/sessions/", escaped, "/expire", NULL);
  key = g_strconcat ("parkade-expire-", id, NULL);
  json = stripe_call (self, "POST", path, none, key, error);
  if (json == NULL)
    return NULL;
  return checkout_from_json (json, error);
}

JsonNode *
parkd_stripe_verify_webhook (ParkdStripe  *self,
                             const char   *payload,
                             gsize         len,
                             const char   *signature_header,
                             gint64        now_unix,
                             gint64        tolerance_s,
                             GError      **error)
{
  g_auto(GStrv) items = NULL;
  g_autoptr(GPtrArray) signatures = NULL;
  g_autoptr(GHmac) hmac = NULL;
  g_autoptr(JsonNode) event = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *expected;
  const char *t_text = NULL;
  char t_decimal[32];
  gint64 t = 0;
  gboolean matched = FALSE;
  JsonObject *object;
  JsonObject *data;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (payload != NULL || len == 0, NULL);
  g_return_val_if_fail (now_unix >= 0, NULL);
  g_return_val_if_fail (tolerance_s > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (signature_header == NULL || strlen (signature_header) > MAX_SIGNATURE_HEADER)
    {
      g_set_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_SIGNATURE,
                   "No usable Stripe-Signature header");
      return NULL;
    }

  /* "t=1718000000,v1=hex,v1=hex,v0=hex": schemes other than v1 are ignored, as Stripe says. */
  signatures = g_ptr_array_new ();
  items = g_strsplit (signature_header, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      char *eq = strchr (item, '=');

      if (eq == NULL)
        continue;
      *eq = '\0';
      if (g_str_equal (item, "t"))
        {
          if (t_text != NULL)
            {
              g_set_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_SIGNATURE,
                           "Malformed Stripe-Signature header: more than one timestamp");
              return NULL;
            }
          t_text = eq + 1;
        }
      else if (g_str_equal (item, "v1"))
        g_ptr_array_add (signatures, eq + 1);
    }
  if (t_text == NULL
      || !g_ascii_string_to_signed (t_text, 10, 0, G_MAXINT64, &t, NULL))
    {
      g_set_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_SIGNATURE,
                   "Malformed Stripe-Signature header: no valid timestamp");
      return NULL;
    }
  if (signatures->len == 0)
    {
      g_set_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_SIGNATURE,
                   "Malformed Stripe-Signature header: no v1 signature");
      return NULL;
    }

  /* The signed text is the timestamp in decimal, '.', and the raw body; Stripe's libraries
   * print the parsed number rather than copy the header's text, and so does this. */
  g_snprintf (t_decimal, sizeof t_decimal, "%" G_GINT64_FORMAT, t);
  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) self->webhook_secret,
                     strlen (self->webhook_secret));
  g_hmac_update (hmac, (const guchar *) t_decimal, -1);
  g_hmac_update (hmac, (const guchar *) ".", 1);
  g_hmac_update (hmac, (const guchar *) payload, len);
  expected = g_hmac_get_string (hmac);
  g_assert (strlen (expected) == 64);
  for (guint i = 0; i < signatures->len; i++)
    {
      const char *candidate = g_ptr_array_index (signatures, i);

      /* The length is not secret; the contents are compared in constant time. */
      if (strlen (candidate) == 64 && sodium_memcmp (candidate, expected, 64) == 0)
        matched = TRUE;
    }
  if (!matched)
    {
      g_set_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_SIGNATURE,
                   "No v1 signature in Stripe-Signature matches the payload");
      return NULL;
    }

  /* Checked after the signature, so that a forged header learns nothing from it. */
  if ((t > now_unix && t - now_unix > tolerance_s) || (t <= now_unix && now_unix - t > tolerance_s))
    {
      g_set_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_SIGNATURE,
                   "The Stripe-Signature timestamp is %" G_GINT64_FORMAT " s away from now, "
                   "more than the tolerance of %" G_GINT64_FORMAT " s",
                   t > now_unix ? t - now_unix : now_unix - t, tolerance_s);
      return NULL;
    }

  event = parkd_json_parse_object (payload, len, &local_error);
  object = event != NULL ? json_node_get_object (event) : NULL;
  data = member_object (object, "data");
  if (event == NULL || member_string (object, "id") == NULL
      || member_string (object, "type") == NULL || member_object (data, "object") == NULL)
    {
      g_set_error (error, PARKD_STRIPE_ERROR, PARKD_STRIPE_ERROR_API,
                   "The webhook is signed but is not a Stripe event%s%s",
                   local_error != NULL ? ": " : "",
                   local_error != NULL ? local_error->message : "");
      return NULL;
    }
  return g_steal_pointer (&event);
}
