/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-error.c: HTTP status + problem `code` → PARK_CLIENT_ERROR, with a message a person
 * understands. The server's own `title` and `detail` are English for developers and logs;
 * what people read is chosen here by `code` and translated.
 */
#include "config.h"

#include "park-error-private.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>

/* What travels with an error: G_DEFINE_EXTENDED_ERROR (GLib 2.68) keeps it with the GError,
 * so it survives g_error_copy(), g_propagate_error() and GTask, unlike a side table keyed
 * by pointer, and it is never parsed back out of a translated message. */
typedef struct
{
  char  *problem_code;
  char  *field;
  guint  retry_after;
  guint  http_status;
} ParkClientErrorPrivate;

static void
park_client_error_private_init (ParkClientErrorPrivate *priv)
{
}

static void
park_client_error_private_copy (const ParkClientErrorPrivate *src,
                                ParkClientErrorPrivate       *dest)
{
  dest->problem_code = g_strdup (src->problem_code);
  dest->field = g_strdup (src->field);
  dest->retry_after = src->retry_after;
  dest->http_status = src->http_status;
}

static void
park_client_error_private_clear (ParkClientErrorPrivate *priv)
{
  g_clear_pointer (&priv->problem_code, g_free);
  g_clear_pointer (&priv->field, g_free);
}

/**
 * park_client_error_quark:
 *
 * The quark of %PARK_CLIENT_ERROR.
 *
 * Returns: the error domain's quark
 */
G_DEFINE_EXTENDED_ERROR (ParkClientError, park_client_error)

static const ParkClientErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != PARK_CLIENT_ERROR)
    return NULL;
  return park_client_error_get_private (error);
}

/**
 * park_client_error_get_field:
 * @error: a #GError
 *
 * The field at fault: for %PARK_CLIENT_ERROR_VALIDATION (and some conflicts) the parameter
 * or body member the server named in the problem's `field`, e.g. `end_time`; for
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE the member of the answer that was missing or
 * malformed, as a dotted path such as `items.0.availability.ev.total`.
 *
 * Returns: (nullable) (transfer none): the field, or %NULL when none was named or @error is
 *   not a %PARK_CLIENT_ERROR
 */
const char *
park_client_error_get_field (const GError *error)
{
  const ParkClientErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->field : NULL;
}

/**
 * park_client_error_get_problem_code:
 * @error: a #GError
 *
 * The server's stable machine code for the problem, e.g. `spot-taken`, `lot-closed`,
 * `weak-password`, to tell apart errors that share a #ParkClientError.
 *
 * Returns: (nullable) (transfer none): the code, or %NULL when the server sent none or
 *   @error is not a %PARK_CLIENT_ERROR
 */
const char *
park_client_error_get_problem_code (const GError *error)
{
  const ParkClientErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->problem_code : NULL;
}

/**
 * park_client_error_get_retry_after:
 * @error: a #GError
 *
 * For %PARK_CLIENT_ERROR_RATE_LIMITED and %PARK_CLIENT_ERROR_UNAVAILABLE: the seconds the
 * server asked to wait (its `Retry-After`).
 *
 * Returns: seconds to wait, or 0 when the server did not say
 */
guint
park_client_error_get_retry_after (const GError *error)
{
  const ParkClientErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->retry_after : 0;
}

/**
 * park_client_error_get_http_status:
 * @error: a #GError
 *
 * The HTTP status of the answer the error was made from.
 *
 * Returns: the status, or 0 when there was none (a malformed answer body, or @error is not a
 *   %PARK_CLIENT_ERROR)
 */
guint
park_client_error_get_http_status (const GError *error)
{
  const ParkClientErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->http_status : 0;
}

static ParkClientError
code_for_status (guint status)
{
  switch (status)
    {
    case 400:
    case 402:
    case 413:
    case 415:
    case 422:
      return PARK_CLIENT_ERROR_VALIDATION;
    case 401:
      return PARK_CLIENT_ERROR_UNAUTHORIZED;
    case 403:
      return PARK_CLIENT_ERROR_FORBIDDEN;
    case 404:
    case 405:
    case 410:
      return PARK_CLIENT_ERROR_NOT_FOUND;
    case 409:
      return PARK_CLIENT_ERROR_CONFLICT;
    case 429:
      return PARK_CLIENT_ERROR_RATE_LIMITED;
    case 408:
    case 502:
    case 503:
    case 504:
      return PARK_CLIENT_ERROR_UNAVAILABLE;
    default:
      if (status >= 400 && status < 500)
        return PARK_CLIENT_ERROR_VALIDATION;
      if (status >= 500 && status < 600)
        return PARK_CLIENT_ERROR_SERVER;
      return PARK_CLIENT_ERROR_INVALID_RESPONSE;
    }
}

/* Messages for the codes parkd documents in openapi.json, then one per error. */
static char *
message_for (ParkClientError  code,
             const char      *problem,
             guint            retry_after)
{
  static const struct
  {
    const char *problem;
    const char *message;
  } specific[] = {
    { "spot-taken",
      N_("This spot is already booked for part of that time. Choose another time or spot.") },
    { "spot-out-of-service", N_("This spot is out of service.") },
    { "spot-occupied", N_("This spot is taken at the moment.") },
    { "lot-closed", N_("This car park is closed.") },
    { "quote-expired", N_("The price offered has expired. Please ask for a new price.") },
    { "invalid-state", N_("This can no longer be done for this booking or stay.") },
    { "nothing-to-pay", N_("There is nothing left to pay.") },
    { "discount-used-up", N_("This discount code is used up or has expired.") },
    { "email-taken",
      N_("An account with this e-mail address exists already. Please sign in instead.") },
    { "duplicate-plate", N_("This number plate is on your account already.") },
    { "too-many-vehicles", N_("No more vehicles can be added to this account.") },
    { "weak-password",
      N_("This password is too easy to guess. Please choose a longer, less common one.") },
    { "card-declined", N_("The card was declined. Please try another card.") },
    { "missing-field", N_("Some required details are missing.") },
    { "invalid-credentials", N_("The e-mail address or the password is wrong.") },
    { "unauthorized", N_("Please sign in first.") },
    { "card-payments-off",
      N_("Card payments are not available here. Please pay in cash at the booth.") },
    { "payment-provider-unavailable",
      N_("The card payment service does not answer. Please try again.") },
    { "card-not-completed",
      N_("The card asks its holder for a confirmation the booth cannot give. "
         "Please try another card or pay in cash.") },
    { "wrong-password", N_("The current password is wrong.") },
    { "cannot-change-self", N_("You cannot change or remove your own account here.") },
    { "code-taken", N_("This discount code exists already. Please choose another one.") },
    { "duplicate-spot", N_("This car park has a spot with this number already.") },
    { "slug-taken", N_("An operator with this short name exists already.") },
    { "invalid-geojson",
      N_("The file is not GeoJSON of car parks (a FeatureCollection) that can be imported.") },
    { "offline",
      N_("No price can be given while the parking service cannot be reached. "
         "Please try again when the connection is back.") },
  };

  for (guint i = 0; problem != NULL && i < G_N_ELEMENTS (specific); i++)
    if (g_str_equal (problem, specific[i].problem))
      return g_strdup (_(specific[i].message));

  switch (code)
    {
    case PARK_CLIENT_ERROR_INVALID_RESPONSE:
      return g_strdup (_("The parking service sent an answer this program does not understand."));
    case PARK_CLIENT_ERROR_UNAUTHORIZED:
      return g_strdup (_("You have been signed out. Please sign in again."));
    case PARK_CLIENT_ERROR_FORBIDDEN:
      return g_strdup (_("Your account may not do this."));
    case PARK_CLIENT_ERROR_NOT_FOUND:
      return g_strdup (_("This could not be found. It may have been removed."));
    case PARK_CLIENT_ERROR_CONFLICT:
      return g_strdup (_("This clashes with a change made in the meantime. "
                         "Please look again and retry."));
    case PARK_CLIENT_ERROR_VALIDATION:
      return g_strdup (_("Some of the details given are not valid."));
    case PARK_CLIENT_ERROR_RATE_LIMITED:
      if (retry_after == 0)
        return g_strdup (_("Too many requests. Please wait a moment and try again."));
      if (g_strcmp0 (problem, "login-throttled") == 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Too many failed sign-ins. "
                                             "Please wait %u second before trying again.",
                                             "Too many failed sign-ins. "
                                             "Please wait %u seconds before trying again.",
                                             retry_after),
                                retry_after);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Too many requests. "
                                           "Please wait %u second and try again.",
                                           "Too many requests. "
                                           "Please wait %u seconds and try again.",
                                           retry_after),
                              retry_after);
    case PARK_CLIENT_ERROR_SERVER:
      return g_strdup (_("The parking service ran into an internal error. "
                         "Please try again later."));
    case PARK_CLIENT_ERROR_UNAVAILABLE:
      return g_strdup (_("The parking service is busy or unavailable. Please try again shortly."));
    default:
      g_assert_not_reached ();
    }
}

/**
 * park_client_error_new_from_problem:
 * @http_status: the HTTP status of the answer, 400 to 599
 * @problem_code: (nullable): the problem's `code`, e.g. `spot-taken`
 * @field: (nullable): the problem's `field`
 * @retry_after: the seconds of `Retry-After`, or 0
 *
 * Makes the #GError an answer with this status and problem stands for, with its translated
 * message. The client does this for every error answer; the live feed's `error` messages can
 * use it too.
 *
 * Returns: (transfer full): a new %PARK_CLIENT_ERROR
 */
GError *
park_client_error_new_from_problem (guint       http_status,
                                    const char *problem_code,
                                    const char *field,
                                    guint       retry_after)
{
  ParkClientError code = code_for_status (http_status);
  g_autofree char *message = message_for (code, problem_code, retry_after);
  GError *error = g_error_new_literal (PARK_CLIENT_ERROR, code, message);
  ParkClientErrorPrivate *priv = park_client_error_get_private (error);

  priv->problem_code = g_strdup (problem_code);
  priv->field = g_strdup (field);
  priv->retry_after = retry_after;
  priv->http_status = http_status;
  return error;
}

/* The answer to a failed request: its problem body when it has one (a proxy's HTML 502 has
 * none, and an error answer is an error whatever its body). */
GError *
_park_client_error_new_from_body (guint       http_status,
                                  const char *content_type,
                                  GBytes     *body,
                                  guint       retry_after)
{
  g_autoptr(JsonParser) parser = NULL;
  const char *problem_code = NULL;
  const char *field = NULL;
  JsonNode *root;
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  if (data != NULL && len > 0 &&
      (g_strcmp0 (content_type, "application/problem+json") == 0 ||
       g_strcmp0 (content_type, "application/json") == 0))
    {
      parser = json_parser_new_immutable ();
      if (json_parser_load_from_data (parser, data, len, NULL) &&
          (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
        {
          JsonObject *problem = json_node_get_object (root);
          JsonNode *node;

          node = json_object_get_member (problem, "code");
          if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
              json_node_get_value_type (node) == G_TYPE_STRING)
            problem_code = json_node_get_string (node);
          node = json_object_get_member (problem, "field");
          if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
              json_node_get_value_type (node) == G_TYPE_STRING)
            field = json_node_get_string (node);
        }
    }

  return park_client_error_new_from_problem (http_status, problem_code, field, retry_after);
}

GError *
_park_client_error_new_invalid_response (const char *field,
                                         const char *format,
                                         ...)
{
  g_autofree char *detail = NULL;
  g_autofree char *message = NULL;
  ParkClientErrorPrivate *priv;
  GError *error;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  /* The person reads the first sentence; the second helps whoever reads the log. */
  message = g_strdup_printf ("%s (%s)",
                             _("The parking service sent an answer "
                               "this program does not understand."),
                             detail);
  error = g_error_new_literal (PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_INVALID_RESPONSE, message);
  priv = park_client_error_get_private (error);
  priv->field = g_strdup (field);
  return error;
}

/* Retry-After in seconds; parkd sends only those (an HTTP date gives 0: "not said"). */
guint
_park_client_error_parse_retry_after (const char *header)
{
  guint64 value;
  char *end = NULL;

  if (header == NULL)
    return 0;
  while (g_ascii_isspace (*header))
    header++;
  if (!g_ascii_isdigit (*header))
    return 0;
  value = g_ascii_strtoull (header, &end, 10);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  if (end == NULL || *end != '\0')
    return 0;
  return (guint) MIN (value, G_MAXUINT);
}

/* A call whose answer must be fresh, made while no server can be reached: UNAVAILABLE with the
 * problem code `offline` and no HTTP status, as no server answered. */
GError *
_park_client_error_new_offline (void)
{
  GError *error = park_client_error_new_from_problem (503, "offline", NULL, 0);

  park_client_error_get_private (error)->http_status = 0;
  return error;
}

/* A value refused before it is sent: VALIDATION naming @field, with a message for people
 * (translated by the caller) that says what is accepted. No HTTP status: nothing was sent. */
GError *
_park_client_error_new_invalid_field (const char *field,
                                      const char *format,
                                      ...)
{
  g_autofree char *message = NULL;
  ParkClientErrorPrivate *priv;
  GError *error;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  error = g_error_new_literal (PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION, message);
  priv = park_client_error_get_private (error);
  priv->problem_code = g_strdup ("invalid-field");
  priv->field = g_strdup (field);
  return error;
}
