/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-reply.c: query parameters in, JSON and problem documents out. Every answer of parkd
 * leaves through parkd_reply_json() or parkd_reply_text(), which also log it and count it.
 */
#include "config.h"

#include "parkd-reply.h"
#include "parkd-server.h"

#include <math.h>
#include <sodium.h>
#include <string.h>

static const char *
status_title (int status)
{
  switch (status)
    {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default:  return status < 400 ? "OK" : "Error";
    }
}

const char *
parkd_request_param (ParkdRequest *r,
                     const char   *name)
{
  if (r->query == NULL)
    return NULL;
  for (guint i = 0; i + 1 < r->query->len; i += 2)
    if (strcmp (g_ptr_array_index (r->query, i), name) == 0)
      return g_ptr_array_index (r->query, i + 1);
  return NULL;
}

/* Refuses parameters the route does not know (a typo such as "radus" would otherwise be
 * silently ignored) and parameters given twice. */
gboolean
parkd_request_allow_params (ParkdRequest       *r,
                            const char * const *names)
{
  if (r->query == NULL)
    return TRUE;

  for (guint i = 0; i + 1 < r->query->len; i += 2)
    {
      const char *name = g_ptr_array_index (r->query, i);

      if (names == NULL || !g_strv_contains (names, name))
        {
          parkd_reply_problem (r, 400, "unknown-parameter", name,
                               "This route takes no parameter \"%s\"", name);
          return FALSE;
        }
      for (guint j = i + 2; j + 1 < r->query->len; j += 2)
        if (strcmp (g_ptr_array_index (r->query, j), name) == 0)
          {
            parkd_reply_problem (r, 400, "invalid-parameter", name,
                                 "The parameter \"%s\" is given more than once", name);
            return FALSE;
          }
    }
  return TRUE;
}

/* A plain decimal number: no hex, no "inf" or "nan", no trailing text. */
gboolean
parkd_parse_decimal (const char *text,
               double     *value)
{
  char *end = NULL;

  if (text == NULL || *text == '\0' || strlen (text) > 32)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '.' && *p != '-' && *p != '+' && *p != 'e' && *p != 'E')
      return FALSE;
  *value = g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0' && isfinite (*value);
}

gboolean
parkd_request_double (ParkdRequest *r,
                      const char   *name,
                      double        min,
                      double        max,
                      double       *value)
{
  const char *text = parkd_request_param (r, name);
  double v;

  if (text == NULL)
    return TRUE;
  if (!parkd_parse_decimal (text, &v))
    {
      parkd_reply_problem (r, 400, "invalid-parameter", name,
                           "\"%s\" must be a decimal number", name);
      return FALSE;
    }
  if (v < min || v > max)
    {
      parkd_reply_problem (r, 400, "out-of-range", name,
                           "\"%s\" must be between %g and %g", name, min, max);
      return FALSE;
    }
  *value = v;
  return TRUE;
}

gboolean
parkd_request_int (ParkdRequest *r,
                   const char   *name,
                   int           min,
                   int           max,
                   int          *value)
{
  const char *text = parkd_request_param (r, name);
  gint64 v;

  if (text == NULL)
    return TRUE;
  if (strlen (text) > 20 || !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &v, NULL))
    {
      parkd_reply_problem (r, 400, "invalid-parameter", name,
                           "\"%s\" must be a whole number", name);
      return FALSE;
    }
  if (v < min || v > max)
    {
      parkd_reply_problem (r, 400, "out-of-range", name,
                           "\"%s\" must be between %d and %d", name, min, max);
      return FALSE;
    }
  *value = (int) v;
  return TRUE;
}

gboolean
parkd_request_uint (ParkdRequest *r,
                    const char   *name,
                    guint         min,
                    guint         max,
                    guint        *value)
{
  int v = 0;

  g_assert (max <= G_MAXINT);
  if (parkd_request_param (r, name) == NULL)
    return TRUE;
  if (!parkd_request_int (r, name, (int) min, (int) max, &v))
    return FALSE;
  *value = (guint) v;
  return TRUE;
}

gboolean
parkd_request_bool (ParkdRequest *r,
                    const char   *name,
                    gboolean     *value)
{
  const char *text = parkd_request_param (r, name);

  if (text == NULL)
    return TRUE;
  if (g_str_equal (text, "true") || g_str_equal (text, "1"))
    *value = TRUE;
  else if (g_str_equal (text, "false") || g_str_equal (text, "0"))
    *value = FALSE;
  else
    {
      parkd_reply_problem (r, 400, "invalid-parameter", name,
                           "\"%s\" must be true or false", name);
      return FALSE;
    }
  return TRUE;
}

GDateTime *
parkd_parse_time_utc (const char *text)
{
  g_autoptr(GDateTime) dt = NULL;
  gsize len = text != NULL ? strlen (text) : 0;

  if (len < 20 || (text[len - 1] != 'Z' && text[len - 1] != 'z' && text[len - 6] != '+' &&
                   text[len - 6] != '-'))
    return NULL;
  dt = g_date_time_new_from_iso8601 (text, NULL);
  return dt != NULL ? g_date_time_to_utc (dt) : NULL;
}

gboolean
parkd_request_is_uuid (const char *str)
{
  static const int dashes[] = { 8, 13, 18, 23 };

  if (str == NULL || strlen (str) != 36)
    return FALSE;
  for (int i = 0; i < 36; i++)
    {
      gboolean dash = i == dashes[0] || i == dashes[1] || i == dashes[2] || i == dashes[3];

      if (dash ? str[i] != '-' : !g_ascii_isxdigit (str[i]))
        return FALSE;
    }
  return TRUE;
}

gboolean
parkd_body_allow (ParkdRequest       *r,
                  const char * const *allowed,
                  const char * const *read_only)
{
  g_autoptr(GList) members = json_object_get_members (json_node_get_object (r->body));

  for (GList *m = members; m != NULL; m = m->next)
    {
      const char *name = m->data;

      if (read_only != NULL && g_strv_contains (read_only, name))
        {
          parkd_reply_problem (r, 400, "read-only-field", name,
                               "\"%s\" cannot be set by this request", name);
          return FALSE;
        }
      if (!g_strv_contains (allowed, name))
        {
          parkd_reply_problem (r, 400, "unknown-field", name, "Unknown field \"%s\"", name);
          return FALSE;
        }
    }
  return TRUE;
}

/* The member, or NULL (and a 400 answered when @required). */
static JsonNode *
body_member (ParkdRequest *r,
             const char   *name,
             gboolean      required,
             gboolean     *present,
             gboolean     *ok)
{
  JsonNode *node = json_object_get_member (json_node_get_object (r->body), name);

  *ok = TRUE;
  if (present != NULL)
    *present = node != NULL;
  if (node == NULL && required)
    {
      parkd_reply_problem (r, 400, "missing-field", name, "\"%s\" is required", name);
      *ok = FALSE;
    }
  return node;
}

gboolean
parkd_body_string (ParkdRequest *r,
                   const char   *name,
                   gboolean      required,
                   guint         max_chars,
                   const char  **value,
                   gboolean     *present)
{
  gboolean ok;
  JsonNode *node = body_member (r, name, required, present, &ok);
  const char *text;

  if (node == NULL)
    return ok;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      parkd_reply_problem (r, 400, "invalid-field", name, "\"%s\" must be a string", name);
      return FALSE;
    }
  text = json_node_get_string (node);
  if (g_utf8_strlen (text, -1) > (glong) max_chars)
    {
      parkd_reply_problem (r, 400, "invalid-field", name,
                           "\"%s\" must be at most %u characters", name, max_chars);
      return FALSE;
    }
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20)
      {
        parkd_reply_problem (r, 400, "invalid-field", name,
                             "\"%s\" must not contain control characters", name);
        return FALSE;
      }
  *value = text;
  return TRUE;
}

gboolean
parkd_body_string_or_null (ParkdRequest *r,
                           const char   *name,
                           guint         max_chars,
                           const char  **value,
                           gboolean     *present)
{
  JsonNode *node = json_object_get_member (json_node_get_object (r->body), name);

  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    {
      *present = TRUE;
      *value = NULL;
      return TRUE;
    }
  return parkd_body_string (r, name, FALSE, max_chars, value, present);
}

gboolean
parkd_body_int (ParkdRequest *r,
                const char   *name,
                gboolean      required,
                gint64        min,
                gint64        max,
                gint64       *value,
                gboolean     *present)
{
  gboolean ok;
  JsonNode *node = body_member (r, name, required, present, &ok);

  if (node == NULL)
    return ok;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < min || json_node_get_int (node) > max)
    {
      parkd_reply_problem (r, 400, "invalid-field", name,
                           "\"%s\" must be a whole number from %" G_GINT64_FORMAT " to %"
                           G_GINT64_FORMAT, name, min, max);
      return FALSE;
    }
  *value = json_node_get_int (node);
  return TRUE;
}

gboolean
parkd_body_double (ParkdRequest *r,
                   const char   *name,
                   gboolean      required,
                   double        min,
                   double        max,
                   double       *value,
                   gboolean     *present)
{
  gboolean ok;
  JsonNode *node = body_member (r, name, required, present, &ok);
  double v;

  if (node == NULL)
    return ok;
  if (!JSON_NODE_HOLDS_VALUE (node) || (json_node_get_value_type (node) != G_TYPE_INT64 &&
                                        json_node_get_value_type (node) != G_TYPE_DOUBLE))
    {
      parkd_reply_problem (r, 400, "invalid-field", name, "\"%s\" must be a number", name);
      return FALSE;
    }
  v = json_node_get_value_type (node) == G_TYPE_INT64 ? (double) json_node_get_int (node)
                                                      : json_node_get_double (node);
  if (!isfinite (v) || v < min || v > max)
    {
      parkd_reply_problem (r, 400, "invalid-field", name,
                           "\"%s\" must be a number from %g to %g", name, min, max);
      return FALSE;
    }
  *value = v;
  return TRUE;
}

gboolean
parkd_body_bool (ParkdRequest *r,
                 const char   *name,
                 gboolean     *value,
                 gboolean     *present)
{
  gboolean ok;
  JsonNode *node = body_member (r, name, FALSE, present, &ok);

  if (node == NULL)
    return ok;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      parkd_reply_problem (r, 400, "invalid-field", name, "\"%s\" must be true or false",
                           name);
      return FALSE;
    }
  *value = json_node_get_boolean (node);
  return TRUE;
}

void
parkd_reply_add_header (ParkdRequest *r,
                        const char   *name,
                        const char   *value)
{
  h2o_req_t *req = r->req;
  h2o_iovec_t n, v;

  if (r->off_loop)
    {
      if (r->pending_headers == NULL)
        r->pending_headers = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (r->pending_headers, g_strdup (name));
      g_ptr_array_add (r->pending_headers, g_strdup (value));
      return;
    }
  /* h2o keeps pointers to both: they live in the request's pool. */
  n = h2o_strdup (&req->pool, name, SIZE_MAX);
  v = h2o_strdup (&req->pool, value, SIZE_MAX);
  h2o_add_header_by_str (&req->pool, &req->res.headers, n.base, n.len, 1, NULL, v.base, v.len);
}

static h2o_generator_t static_generator = { NULL, NULL };

static void
free_body (void *data)
{
  g_string_free (*(GString **) data, TRUE);
}

void
parkd_reply_text (ParkdRequest *r,
                  int           status,
                  const char   *content_type,
                  GString      *body)
{
  h2o_req_t *req = r->req;
  gsize len = body->len;

  /* On the blocking pool nothing of h2o may be touched: the loop sends it later. */
  if (r->off_loop)
    {
      g_assert (r->pending_body == NULL);
      r->pending_status = status;
      r->pending_type = content_type;
      r->pending_body = body;
      return;
    }

  g_assert (r->status == 0);
  r->status = status;
  req->res.status = status;
  req->res.reason = status_title (status);
  req->res.content_length = len;
  if (status != 204)
    h2o_add_header (&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                    content_type, strlen (content_type));
  h2o_add_header_by_str (&req->pool, &req->res.headers, H2O_STRLIT ("x-request-id"), 0,
                         NULL, r->id, strlen (r->id));
  /* Availability changes by the second: no cache may keep an answer. */
  h2o_add_header (&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL,
                  H2O_STRLIT ("no-store"));

  /* The body is handed to h2o as it is: the pool frees it with the request, after the
   * last byte was written. */
  *(GString **) h2o_mem_alloc_shared (&req->pool, sizeof (GString *), free_body) = body;
  /* Counted before it goes: a client that has the answer finds it in the metrics (the write
   * may reach it before this thread goes on). */
  _parkd_server_request_done (r, len);
  h2o_start_response (req, &static_generator);
  if (h2o_memis (req->method.base, req->method.len, H2O_STRLIT ("HEAD")))
    h2o_send (req, NULL, 0, H2O_SEND_STATE_FINAL);
  else
    {
      h2o_iovec_t buf = h2o_iovec_init (body->str, len);

      h2o_send (req, &buf, 1, H2O_SEND_STATE_FINAL);
    }
}

void
parkd_reply_json (ParkdRequest *r,
                  int           status,
                  GString      *body)
{
  parkd_reply_text (r, status, "application/json", body);
}

void
parkd_reply_problem (ParkdRequest *r,
                     int           status,
                     const char   *code,
                     const char   *field,
                     const char   *format,
                     ...)
{
  GString *out = g_string_sized_new (256);
  g_autofree char *detail = NULL;
  g_autofree char *type = g_strconcat ("urn:parkade:problem:", code, NULL);
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_string_append_c (out, '{');
  parkd_json_append_member (out, "type");
  parkd_json_append_string (out, type);
  parkd_json_append_member (out, "title");
  parkd_json_append_string (out, status_title (status));
  parkd_json_append_member (out, "status");
  g_string_append_printf (out, "%d", status);
  parkd_json_append_member (out, "detail");
  parkd_json_append_string (out, detail);
  parkd_json_append_member (out, "code");
  parkd_json_append_string (out, code);
  if (field != NULL)
    {
      parkd_json_append_member (out, "field");
      parkd_json_append_string (out, field);
    }
  parkd_json_append_member (out, "request_id");
  parkd_json_append_string (out, r->id);
  g_string_append_c (out, '}');

  parkd_reply_text (r, status, "application/problem+json", out);
}

gboolean
parkd_request_read_idempotency (ParkdRequest     *r,
                                ParkdIdempotency *idem)
{
  ssize_t h = h2o_find_header_by_str (&r->req->headers, H2O_STRLIT ("idempotency-key"), -1);
  h2o_iovec_t v;
  guint8 hash[crypto_generichash_BYTES];

  memset (idem, 0, sizeof *idem);
  if (h == -1)
    return TRUE;
  v = r->req->headers.entries[h].value;
  if (v.len == 0 || v.len > 255)
    {
      parkd_reply_problem (r, 400, "invalid-parameter", "Idempotency-Key",
                           "The Idempotency-Key must be 1 to 255 characters");
      return FALSE;
    }
  if (r->principal != NULL)
    idem->scope = g_strdup (r->principal->user_id);
  else if (r->kiosk != NULL)
    idem->scope = g_strconcat ("kiosk:", r->kiosk->id, NULL);
  else
    idem->scope = g_strdup (parkd_request_get_client (r));
  idem->key = g_strndup (v.base, v.len);
  crypto_generichash (hash, sizeof hash, (const guint8 *) r->req->entity.base,
                      r->req->entity.len, NULL, 0);
  idem->body_hash = g_bytes_new (hash, sizeof hash);
  /* The address is part of what the key stands for: .../S1/reserve is not .../S2/reserve. */
  idem->route = g_strdup_printf ("POST %.*s", (int) r->req->path_normalized.len,
                                 r->req->path_normalized.base);
  return TRUE;
}

void
parkd_idempotency_clear (ParkdIdempotency *idem)
{
  g_clear_pointer (&idem->scope, g_free);
  g_clear_pointer (&idem->key, g_free);
  g_clear_pointer (&idem->route, g_free);
  g_clear_pointer (&idem->body_hash, g_bytes_unref);
}

gboolean
parkd_request_idempotency_seen (ParkdRequest           *r,
                                const ParkdIdempotency *idem,
                                int                    *status,
                                char                  **resource_id)
{
  g_autofree char *seen_route = NULL;
  g_autoptr(GBytes) seen_hash = NULL;
  g_autoptr(GError) error = NULL;

  *resource_id = NULL;
  if (idem->key == NULL)
    return TRUE;
  if (!parkd_store_get_idempotency (r->store, idem->scope, idem->key, &seen_route, &seen_hash,
                                    status, resource_id, &error))
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        return TRUE;
      parkd_reply_error (r, error);
      return FALSE;
    }
  if (!g_str_equal (seen_route, idem->route) || !g_bytes_equal (seen_hash, idem->body_hash))
    {
      g_clear_pointer (resource_id, g_free);
      parkd_reply_problem (r, 422, "idempotency-key-reused", NULL,
                           "This Idempotency-Key was used for another request");
      return FALSE;
    }
  return TRUE;
}

gboolean
parkd_request_sees_operator (ParkdRequest *r,
                             const char   *operator_id)
{
  if (r->principal == NULL)
    return FALSE;
  if (r->principal->role == PARKD_ROLE_ADMIN)
    return TRUE;
  return operator_id != NULL && *r->principal->operator_id != '\0' &&
         g_str_equal (operator_id, r->principal->operator_id);
}

void
parkd_request_audit_init (ParkdRequest *r,
                          ParkdAudit   *audit,
                          const char   *action,
                          const char   *object_type,
                          const char   *object_id,
                          const char   *operator_id)
{
  memset (audit, 0, sizeof *audit);
  audit->actor_id = r->principal != NULL ? r->principal->user_id : NULL;
  audit->action = (char *) action;
  audit->object_type = (char *) object_type;
  audit->object_id = (char *) object_id;
  audit->operator_id = (char *) operator_id;
  audit->client = (char *) parkd_request_get_client (r);
}

/* The one mapping from our error domains to HTTP. Store failures are logged in full and
 * answered without internals. */
void
parkd_reply_error (ParkdRequest *r,
                   const GError *error)
{
  if (error->domain == PARKD_STORE_ERROR)
    {
      switch ((ParkdStoreError) error->code)
        {
        case PARKD_STORE_ERROR_NOT_FOUND:
          parkd_reply_problem (r, 404, "not-found", NULL, "%s", error->message);
          return;
        case PARKD_STORE_ERROR_CONFLICT:
          parkd_reply_problem (r, 409, "conflict", NULL, "%s", error->message);
          return;
        case PARKD_STORE_ERROR_CONSTRAINT:
          parkd_reply_problem (r, 409, "constraint", NULL, "%s", error->message);
          return;
        case PARKD_STORE_ERROR_BACKEND:
        default:
          break;
        }
    }
  else if (error->domain == PARKD_REQUEST_ERROR)
    {
      switch ((ParkdRequestError) error->code)
        {
        case PARKD_REQUEST_ERROR_TOO_LARGE:
          parkd_reply_problem (r, 413, "body-too-large", NULL, "%s", error->message);
          return;
        case PARKD_REQUEST_ERROR_UNSUPPORTED_MEDIA_TYPE:
          parkd_reply_problem (r, 415, "unsupported-media-type", NULL, "%s", error->message);
          return;
        case PARKD_REQUEST_ERROR_TOO_DEEP:
          parkd_reply_problem (r, 400, "json-too-deep", NULL, "%s", error->message);
          return;
        case PARKD_REQUEST_ERROR_DUPLICATE_KEY:
          parkd_reply_problem (r, 400, "json-duplicate-member", NULL, "%s", error->message);
          return;
        case PARKD_REQUEST_ERROR_NOT_OBJECT:
          parkd_reply_problem (r, 400, "json-not-object", NULL, "%s", error->message);
          return;
        case PARKD_REQUEST_ERROR_MISSING_FIELD:
          parkd_reply_problem (r, 400, "missing-field", NULL, "%s", error->message);
          return;
        case PARKD_REQUEST_ERROR_INVALID_FIELD:
          parkd_reply_problem (r, 400, "invalid-field", NULL, "%s", error->message);
          return;
        case PARKD_REQUEST_ERROR_BAD_JSON:
        default:
          parkd_reply_problem (r, 400, "malformed-json", NULL, "%s", error->message);
          return;
        }
    }

  g_warning ("request %s: %s", r->id, error->message);
  parkd_reply_problem (r, 503, "unavailable", NULL,
                       "The service cannot answer right now; try again shortly");
}
