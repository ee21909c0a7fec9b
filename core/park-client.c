/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-client.c: every REST call to one parkd. Each public _async builds a Call (method, path,
 * body, whether to send the access token) and hands it with its GTask to call_send(); the
 * answer comes back in send_cb(), which maps errors, refreshes the sign-in once on a 401,
 * follows pages, and parses the body into models.
 *
 * Tokens: the access token lives 15 minutes, the refresh token works once and is replaced
 * on every use; using a spent one ends the whole sign-in. So only one refresh is ever in
 * flight: calls that meet a 401 while it runs wait for it and are sent again with the new
 * token, and the new refresh token is written to the credentials store after each refresh.
 */
#include "config.h"

#include "park-client-private.h"
#include "park-enums.h"
#include "park-error-private.h"
#include "park-json-private.h"
#include "park-models-private.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#define TIMEOUT_S 30

struct _ParkClient
{
  GObject          parent_instance;

  char            *base_url;        /* ends in "/" */
  SoupSession     *session;
  ParkCredentials *credentials;
  char            *cache_dir;       /* NULL: no offline cache */
  GCancellable    *cancellable;     /* the client's own work: refreshes, credentials */

  char            *account;
  char            *access_token;
  char            *refresh_token;

  gboolean         refreshing;
  GPtrArray       *waiting;         /* GTasks of Calls waiting for the refresh */

  char            *kiosk_key;       /* the kiosk's own key, for guests (issue 7), or NULL */

  gboolean         remembers_sign_in;
  gboolean         storing;         /* a credentials write is in flight */
  gboolean         store_again;     /* and the token changed meanwhile */
};

G_DEFINE_FINAL_TYPE (ParkClient, park_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_CREDENTIALS,
  PROP_SIGNED_IN,
  PROP_ACCOUNT,
  PROP_REMEMBERS_SIGN_IN,
  PROP_CACHE_DIR,
  N_PROPS
};

enum {
  SIGNED_OUT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void call_send      (ParkClient *self,
                            GTask      *task);
static void begin_refresh  (ParkClient *self);

static void
call_free (Call *call)
{
  g_free (call->method);
  g_free (call->path);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_free (call->idempotency_key);
  g_free (call->sent_token);
  g_clear_object (&call->store);
  g_clear_error (&call->unreachable);
  if (call->extra_free != NULL)
    g_clear_pointer (&call->extra, call->extra_free);
  g_free (call);
}

Call *
_park_client_call_new (const char  *method,
                       char        *path,
                       CallHandler  handler)
{
  Call *call = g_new0 (Call, 1);

  call->method = g_strdup (method);
  call->path = path;
  call->handler = handler;
  call->accept = "application/json";
  return call;
}

static GTask *
task_new (ParkClient          *self,
          Call                *call,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  return task;
}

/* JSON bodies */

GBytes *
_park_client_body_from_builder (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize len;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

char *
_park_client_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

const char *
_park_client_nick_of (GType type,
                      int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);

  return v != NULL ? v->value_nick : NULL;
}

void
_park_client_add_param (GString    *path,
                        const char *name,
                        const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (path, strchr (path->str, '?') != NULL ? '&' : '?');
  g_string_append_printf (path, "%s=%s", name, escaped);
}

void
_park_client_add_param_double (GString    *path,
                               const char *name,
                               double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  _park_client_add_param (path, name, g_ascii_dtostr (buf, sizeof buf, value));
}

/* A path segment from a caller's string (a ticket someone typed, say). */
char *
_park_client_segment (const char *value)
{
  return g_uri_escape_string (value, NULL, FALSE);
}

/* Tokens and the credentials store */

static void store_token          (ParkClient *self);
static void cache_forget_account (ParkClient *self);

static void
set_remembers_sign_in (ParkClient *self,
                       gboolean    remembers)
{
  if (self->remembers_sign_in == remembers)
    return;
  self->remembers_sign_in = remembers;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMEMBERS_SIGN_IN]);
}

static void
store_token_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ParkClient) self = user_data;
  g_autoptr(GError) error = NULL;

  self->storing = FALSE;
  if (!park_credentials_store_finish (PARK_CREDENTIALS (source), result, &error))
    {
      /* The sign-in goes on for this run; the next start asks for the password again. Said
       * once, through the property, and in the log at its first failure. */
      if (self->remembers_sign_in && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("The sign-in cannot be remembered: %s", error->message);
      set_remembers_sign_in (self, FALSE);
    }
  else
    set_remembers_sign_in (self, TRUE);

  if (self->store_again)
    {
      self->store_again = FALSE;
      store_token (self);
    }
}

/* Writes the current refresh token, one write at a time and the newest last: the token in
 * the store must be the one that still works. */
static void
store_token (ParkClient *self)
{
  if (self->credentials == NULL || self->account == NULL || self->refresh_token == NULL)
    return;
  if (self->storing)
    {
      self->store_again = TRUE;
      return;
    }
  self->storing = TRUE;
  park_credentials_store_async (self->credentials, self->base_url, self->account,
                                self->refresh_token, self->cancellable, store_token_cb,
                                g_object_ref (self));
}

static void
clear_token_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!park_credentials_clear_finish (PARK_CREDENTIALS (source), result, &error))
    g_debug ("Could not forget the stored sign-in: %s", error->message);
}

static void
take_tokens (ParkClient *self,
             const char *account,
             char       *access_token,
             char       *refresh_token)
{
  gboolean was_signed_in = self->access_token != NULL;

  g_free (self->access_token);
  self->access_token = access_token;
  g_free (self->refresh_token);
  self->refresh_token = refresh_token;
  if (account != NULL && g_strcmp0 (account, self->account) != 0)
    {
      g_free (self->account);
      self->account = g_strdup (account);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
    }
  if (!was_signed_in)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
  store_token (self);
}

/* Ends the sign-in here: the tokens are dropped and the stored one forgotten. */
static void
forget_sign_in (ParkClient *self)
{
  gboolean was_signed_in = self->access_token != NULL || self->refresh_token != NULL;

  g_clear_pointer (&self->access_token, g_free);
  g_clear_pointer (&self->refresh_token, g_free);
  cache_forget_account (self);
  if (self->credentials != NULL && self->account != NULL)
    park_credentials_clear_async (self->credentials, self->base_url, self->account, NULL,
                                  clear_token_cb, NULL);
  if (self->account != NULL)
    {
      g_clear_pointer (&self->account, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
    }
  if (was_signed_in)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}

/* A TokenPair answer: the tokens, or FALSE with INVALID_RESPONSE. */
static gboolean
read_token_pair (JsonObject  *root,
                 char       **access_token,
                 char       **refresh_token,
                 GError     **error)
{
  ParkJsonReader reader;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;

  if (root == NULL)
    {
      g_propagate_error (error, _park_client_error_new_invalid_response (NULL, "no body"));
      return FALSE;
    }
  _park_json_reader_init (&reader, root, NULL);
  access = _park_json_dup_string (&reader, "access_token", PARK_JSON_NONEMPTY);
  refresh = _park_json_dup_string (&reader, "refresh_token", PARK_JSON_NONEMPTY);
  _park_json_get_int (&reader, "expires_in", 1, G_MAXINT64, 0, 0);
  if (!_park_json_reader_finish (&reader, error))
    return FALSE;
  *access_token = g_steal_pointer (&access);
  *refresh_token = g_steal_pointer (&refresh);
  return TRUE;
}

/* The offline cache */

/* A directory per server and account (or none, for public answers), so that signing out
 * can forget an account's answers; a file per method, path and page. */
static char *
cache_dir_for (ParkClient *self,
               const char *account)
{
  g_autofree char *key = g_strdup_printf ("%s\n%s", self->base_url,
                                          account != NULL ? account : "");
  g_autofree char *name = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  return g_build_filename (self->cache_dir, name, NULL);
}

static GFile *
cache_file (ParkClient *self,
            Call       *call)
{
  g_autofree char *dir = cache_dir_for (self, call->authenticated ? self->account : NULL);
  g_autofree char *key = g_strdup_printf ("%s %s page %u", call->method, call->path,
                                          call->page);
  g_autofree char *name = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_autofree char *file_name = g_strconcat (name, ".json", NULL);
  g_autofree char *path = g_build_filename (dir, file_name, NULL);

  return g_file_new_for_path (path);
}

/* A signed-out account's bookings do not stay on the disk. */
static void
cache_forget_account (ParkClient *self)
{
  g_autofree char *dir = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;

  if (self->cache_dir == NULL || self->account == NULL)
    return;
  dir = cache_dir_for (self, self->account);
  listing = g_dir_open (dir, 0, NULL);
  if (listing == NULL)
    return;
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

static void
cache_stored_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_debug ("Could not cache an answer: %s", error->message);
}

static void
cache_store (ParkClient *self,
             Call       *call,
             GBytes     *body)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autofree char *path = NULL;

  /* Signed-in answers are cached only with the account they belong to. */
  if (self->cache_dir == NULL || (call->authenticated && self->account == NULL))
    return;
  file = cache_file (self, call);
  dir = g_file_get_parent (file);
  path = g_file_get_path (dir);
  /* It holds a driver's bookings: for their eyes only. */
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      g_debug ("Could not make the cache directory %s", path);
      return;
    }
  g_file_replace_contents_bytes_async (file, body, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, cache_stored_cb, NULL);
}

/* The server is out of reach (not: it refused the request). */
static gboolean
unreachable (const GError *error)
{
  if (error->domain == G_IO_ERROR)
    return error->code != G_IO_ERROR_CANCELLED;
  if (error->domain == G_RESOLVER_ERROR)
    return TRUE;
  return g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAVAILABLE);
}

static void
cache_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ParkClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  char *contents = NULL;
  gsize len = 0;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &len, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&call->unreachable));
      return;
    }
  body = g_bytes_new_take (contents, len);
  root = _park_json_parse_object (body, &error);
  if (root == NULL)
    {
      g_debug ("A broken cache file: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&call->unreachable));
      return;
    }
  g_debug ("%s %s: served from the cache (%s)", call->method, call->path,
           call->unreachable->message);
  call->stale = TRUE;
  call->handler (self, g_steal_pointer (&task), call, SOUP_STATUS_OK,
                 json_node_get_object (root), body);
}

static void
fail_or_serve_cache (ParkClient *self,
                     GTask      *task,
                     GError     *error)
{
  Call *call = g_task_get_task_data (task);
  g_autoptr(GFile) file = NULL;

  if (call->never_stale && error->domain != PARK_CLIENT_ERROR && unreachable (error))
    {
      /* An old price is no price: say that it cannot be had offline. */
      g_debug ("%s %.*s: offline (%s)", call->method, (int) strcspn (call->path, "?"), call->path,
               error->message);
      g_task_return_error (task, _park_client_error_new_offline ());
      g_error_free (error);
      g_object_unref (task);
      return;
    }
  if (!call->cache || self->cache_dir == NULL || !unreachable (error) ||
      (call->authenticated && self->account == NULL))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_clear_error (&call->unreachable);
  call->unreachable = error;
  file = cache_file (self, call);
  g_file_load_contents_async (file, g_task_get_cancellable (task), cache_loaded_cb, task);
}

static void
mark_stale (GObject *model)
{
  if (PARK_IS_LOT (model))
    _park_lot_set_stale (PARK_LOT (model));
  else if (PARK_IS_RESERVATION (model))
    _park_reservation_set_stale (PARK_RESERVATION (model));
  else if (PARK_IS_SPOT (model))
    _park_spot_set_stale (PARK_SPOT (model));
}

/* Sending and answering */

static guint
retry_after_of (SoupMessage *msg)
{
  return _park_client_error_parse_retry_after (
    soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"));
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ParkClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *content_type;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      /* Refused, reset, timed out, cancelled: libsoup's error, unchanged (or, for a call the
       * cache keeps, the last answer). */
      fail_or_serve_cache (self, g_steal_pointer (&task), g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (msg);
  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                        NULL);
  /* Not the query: it can hold a plate. */
  g_debug ("%s %.*s: %u", call->method, (int) strcspn (call->path, "?"), call->path, status);

  if (status == SOUP_STATUS_UNAUTHORIZED && call->sent_token != NULL && !call->retried)
    {
      call->retried = TRUE;
      /* Another call refreshed while this one was on its way: just send it again. */
      if (self->access_token != NULL && g_strcmp0 (self->access_token, call->sent_token) != 0)
        {
          call_send (self, g_steal_pointer (&task));
          return;
        }
      if (self->refresh_token != NULL)
        {
          g_ptr_array_add (self->waiting, g_steal_pointer (&task));
          begin_refresh (self);
          return;
        }
    }

  if (status < 200 || status >= 300)
    {
      fail_or_serve_cache (self, g_steal_pointer (&task),
                           _park_client_error_new_from_body (status, content_type, body,
                                                             retry_after_of (msg)));
      return;
    }

  if (g_bytes_get_size (body) > 0 && g_strcmp0 (content_type, "application/json") == 0)
    {
      root = _park_json_parse_object (body, &error);
      if (root == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (call->cache)
        cache_store (self, call, body);
    }
  else if (g_strcmp0 (call->accept, "application/json") == 0 && status != SOUP_STATUS_NO_CONTENT)
    {
      if (content_type == NULL)
        content_type = "(none)";
      g_task_return_error (task,
                           _park_client_error_new_invalid_response (NULL,
                                                                    "a %u answer of type %s",
                                                                    status, content_type));
      return;
    }

  call->handler (self, g_steal_pointer (&task), call, status,
                 root != NULL ? json_node_get_object (root) : NULL, body);
}

static void
call_send (ParkClient *self,
           GTask      *task)
{
  Call *call = g_task_get_task_data (task);
  g_autofree char *uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  SoupMessageHeaders *headers;

  /* Restored from the credentials store: only a refresh token, so get an access token
   * first. */
  if (call->authenticated && self->access_token == NULL && self->refresh_token != NULL &&
      !call->retried)
    {
      call->retried = TRUE;
      g_ptr_array_add (self->waiting, task);
      begin_refresh (self);
      return;
    }

  if (call->page > 1)
    uri = g_strdup_printf ("%s%s%cpage=%u", self->base_url, call->path,
                           strchr (call->path, '?') != NULL ? '&' : '?', call->page);
  else
    uri = g_strconcat (self->base_url, call->path, NULL);
  msg = soup_message_new (call->method, uri);
  if (msg == NULL)
    {
      /* Only a caller's string can make the URI unparsable; it is escaped, so this is a
       * server address the constructor should have refused. */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The address of the parking service is not valid: %s"), uri);
      g_object_unref (task);
      return;
    }
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", call->accept);
  if (call->body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", call->body);
  if (call->idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", call->idempotency_key);

  g_clear_pointer (&call->sent_token, g_free);
  if (call->authenticated && self->access_token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->access_token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
      call->sent_token = g_strdup (self->access_token);
    }
  else if (call->kiosk && self->kiosk_key != NULL && self->access_token == NULL)
    {
      /* Nobody signed in at a kiosk: the kiosk books, pays and reads for its guest. */
      g_autofree char *value = g_strconcat ("Kiosk ", self->kiosk_key, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
    }

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                     g_task_get_cancellable (task), send_cb, task);
}

/* The refresh */

static void handle_refreshed (ParkClient *self,
                              GTask      *task,
                              Call       *call,
                              guint       status,
                              JsonObject *root,
                              GBytes     *body);

static void
finish_waiting (ParkClient   *self,
                const GError *error)
{
  gsize n = 0;
  g_autofree gpointer *waiting = g_ptr_array_steal (self->waiting, &n);

  for (gsize i = 0; i < n; i++)
    {
      GTask *task = waiting[i];
      Call *call = g_task_get_task_data (task);

      if (g_task_return_error_if_cancelled (task))
        g_object_unref (task);
      else if (error != NULL)
        {
          g_task_return_error (task, g_error_copy (error));
          g_object_unref (task);
        }
      else if (call->handler == handle_refreshed)
        {
          /* park_client_refresh_async() waits for the refresh itself. */
          g_task_return_boolean (task, TRUE);
          g_object_unref (task);
        }
      else
        call_send (self, task);
    }
}

static void
refresh_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ParkClient *self = PARK_CLIENT (source);
  g_autoptr(GError) error = NULL;

  self->refreshing = FALSE;
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      finish_waiting (self, NULL);
      return;
    }

  g_debug ("Refreshing the sign-in failed: %s", error->message);
  if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAUTHORIZED))
    {
      /* The sign-in is over (signed out elsewhere, expired, or revoked because a spent
       * token came back). Every call waiting for it fails as signed out. */
      g_autoptr(GError) signed_out = park_client_error_new_from_problem (401, "invalid-token",
                                                                         NULL, 0);

      forget_sign_in (self);
      finish_waiting (self, signed_out);
      g_signal_emit (self, signals[SIGNED_OUT], 0);
      return;
    }
  /* Unreachable or busy: the sign-in may still be good; let the calls fail for now. */
  finish_waiting (self, error);
}

static void
handle_refresh (ParkClient *self,
                GTask      *task,
                Call       *call,
                guint       status,
                JsonObject *root,
                GBytes     *body)
{
  g_autoptr(GTask) owned = task;
  g_autoptr(GError) error = NULL;
  char *access_token, *refresh_token;

  if (!read_token_pair (root, &access_token, &refresh_token, &error))
    {
      g_task_return_error (owned, g_steal_pointer (&error));
      return;
    }
  take_tokens (self, NULL, access_token, refresh_token);
  g_task_return_boolean (owned, TRUE);
}

static void
begin_refresh (ParkClient *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Call *call;
  GTask *task;

  if (self->refreshing)
    return;
  self->refreshing = TRUE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, self->refresh_token);
  json_builder_end_object (builder);

  call = _park_client_call_new ("POST", g_strdup ("api/v1/auth/refresh"), handle_refresh);
  call->body = _park_client_body_from_builder (builder);
  /* Not a caller's: no one caller's cancellable may stop the refresh others wait for. */
  task = g_task_new (self, self->cancellable, refresh_cb, NULL);
  g_task_set_source_tag (task, begin_refresh);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  call_send (self, task);
}

/* Handlers */

static void
handle_model (ParkClient *self,
              GTask      *task,
              Call       *call,
              guint       status,
              JsonObject *root,
              GBytes     *body)
{
  g_autoptr(GTask) owned = task;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) model = NULL;

  if (root == NULL)
    {
      g_task_return_error (owned, _park_client_error_new_invalid_response (NULL, "no body"));
      return;
    }
  model = call->parser (root, NULL, &error);
  if (model == NULL)
    {
      g_task_return_error (owned, g_steal_pointer (&error));
      return;
    }
  if (call->stale)
    mark_stale (model);
  g_task_return_pointer (owned, g_steal_pointer (&model), g_object_unref);
}

void
_park_client_handle_nothing (ParkClient *self,
                             GTask      *task,
                             Call       *call,
                             guint       status,
                             JsonObject *root,
                             GBytes     *body)
{
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* A page (`items`, `has_next`, …): its items join the store; the next page is asked for
 * while there is one and more are wanted. */
static void
handle_list (ParkClient *self,
             GTask      *task,
             Call       *call,
             guint       status,
             JsonObject *root,
             GBytes     *body)
{
  g_autoptr(GTask) owned = task;
  ParkJsonReader reader;
  JsonArray *items;
  gboolean has_next;
  g_autoptr(GError) error = NULL;

  if (root == NULL)
    {
      g_task_return_error (owned, _park_client_error_new_invalid_response (NULL, "no body"));
      return;
    }
  _park_json_reader_init (&reader, root, NULL);
  items = _park_json_get_array (&reader, "items", 0);
  has_next = _park_json_get_boolean (&reader, "has_next", 0, FALSE);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      g_autofree char *path = NULL;
      JsonObject *item = _park_json_array_get_object (&reader, "items", items, i, &path);
      g_autoptr(GObject) model = NULL;

      if (item == NULL)
        break;
      model = call->parser (item, path, reader.error);
      if (model == NULL)
        break;
      if (call->stale)
        mark_stale (model);
      if (call->max_results == 0 ||
          g_list_model_get_n_items (G_LIST_MODEL (call->store)) < call->max_results)
        g_list_store_append (call->store, model);
    }
  if (!_park_json_reader_finish (&reader, &error))
    {
      g_task_return_error (owned, g_steal_pointer (&error));
      return;
    }

  if (!has_next || (call->max_results > 0 &&
                    g_list_model_get_n_items (G_LIST_MODEL (call->store)) >= call->max_results))
    {
      g_task_return_pointer (owned, g_object_ref (call->store), g_object_unref);
      return;
    }

  /* The same request for the next page. */
  call->page++;
  call->retried = FALSE;
  call->stale = FALSE;
  call_send (self, g_steal_pointer (&owned));
}

Call *
_park_client_list_call (char            *path,
                        ParkModelParser  parser,
                        GType            item_type,
                        guint            max_results)
{
  Call *call = _park_client_call_new ("GET", path, handle_list);

  call->parser = parser;
  call->store = g_list_store_new (item_type);
  call->page = 1;
  call->max_results = max_results;
  return call;
}

gpointer
_park_client_finish_pointer (ParkClient    *self,
                             GAsyncResult  *result,
                             gpointer       source_tag,
                             GError       **error)
{
  g_return_val_if_fail (PARK_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
_park_client_finish_boolean (ParkClient    *self,
                             GAsyncResult  *result,
                             gpointer       source_tag,
                             GError       **error)
{
  g_return_val_if_fail (PARK_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* GObject */

static void
park_client_dispose (GObject *object)
{
  ParkClient *self = (ParkClient *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->credentials);

  G_OBJECT_CLASS (park_client_parent_class)->dispose (object);
}

static void
park_client_finalize (GObject *object)
{
  ParkClient *self = (ParkClient *) object;

  g_free (self->base_url);
  g_free (self->cache_dir);
  g_free (self->account);
  if (self->kiosk_key != NULL)
    memset (self->kiosk_key, 0, strlen (self->kiosk_key));
  g_free (self->kiosk_key);
  g_free (self->access_token);
  g_free (self->refresh_token);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (park_client_parent_class)->finalize (object);
}

static void
park_client_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ParkClient *self = PARK_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_CREDENTIALS:
      g_value_set_object (value, self->credentials);
      break;
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, park_client_get_signed_in (self));
      break;
    case PROP_ACCOUNT:
      g_value_set_string (value, self->account);
      break;
    case PROP_REMEMBERS_SIGN_IN:
      g_value_set_boolean (value, self->remembers_sign_in);
      break;
    case PROP_CACHE_DIR:
      g_value_set_string (value, self->cache_dir);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
park_client_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  ParkClient *self = PARK_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      {
        const char *url = g_value_get_string (value);

        g_assert (self->base_url == NULL);
        self->base_url = g_str_has_suffix (url, "/") ? g_strdup (url)
                                                     : g_strconcat (url, "/", NULL);
      }
      break;
    case PROP_CREDENTIALS:
      self->credentials = g_value_dup_object (value);
      self->remembers_sign_in = self->credentials != NULL;
      break;
    case PROP_CACHE_DIR:
      park_client_set_cache_dir (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
park_client_class_init (ParkClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = park_client_dispose;
  object_class->finalize = park_client_finalize;
  object_class->get_property = park_client_get_property;
  object_class->set_property = park_client_set_property;

  /**
   * ParkClient:base-url:
   *
   * The parkd this client talks to, e.g. `http://127.0.0.1:8080/`.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * ParkClient:credentials:
   *
   * Where the sign-in's refresh token is kept between runs, or %NULL to keep it nowhere.
   */
  properties[PROP_CREDENTIALS] =
    g_param_spec_object ("credentials", NULL, NULL, PARK_TYPE_CREDENTIALS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * ParkClient:signed-in:
   *
   * Whether the client holds a sign-in.
   */
  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ParkClient:account:
   *
   * The e-mail address of the account signed in, or %NULL.
   */
  properties[PROP_ACCOUNT] =
    g_param_spec_string ("account", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ParkClient:remembers-sign-in:
   *
   * Whether the sign-in is kept in #ParkClient:credentials, for
   * park_client_restore_sign_in_async() to find again: %FALSE without a credentials store,
   * and from the first time the store failed (no Secret Service, a locked keyring). The
   * sign-in itself goes on working for this run either way; a UI can say that it will be
   * asked for again.
   */
  properties[PROP_REMEMBERS_SIGN_IN] =
    g_param_spec_boolean ("remembers-sign-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * ParkClient:cache-dir:
   *
   * Where the last answers to lot searches, lots, a lot's spots and the signed-in account's
   * bookings are kept, to be served (their models marked #ParkLot:stale, #ParkSpot:stale,
   * #ParkReservation:stale) when the server cannot be reached (prices never are: see
   * park_client_quote_async()); %NULL (the default) keeps nothing. An app would use
   * `g_build_filename (g_get_user_cache_dir (), "parkade", NULL)`; a kiosk, which must not
   * keep a driver's bookings, may leave it unset. Only what was asked for before is served,
   * by the same call with the same arguments.
   */
  properties[PROP_CACHE_DIR] =
    g_param_spec_string ("cache-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ParkClient::signed-out:
   * @self: the #ParkClient
   *
   * The sign-in ended without being asked to: refreshing it was refused (it expired, was
   * signed out elsewhere or revoked). Calls that needed it failed with
   * %PARK_CLIENT_ERROR_UNAUTHORIZED; the UI should ask to sign in again. Not emitted by
   * park_client_sign_out_async().
   */
  signals[SIGNED_OUT] = g_signal_new ("signed-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
park_client_init (ParkClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("parkade/%s ", PACKAGE_VERSION);

  self->cancellable = g_cancellable_new ();
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  /* The trailing space makes libsoup append its own name and version. */
  self->session = soup_session_new_with_options ("timeout", TIMEOUT_S,
                                                 "user-agent", user_agent,
                                                 NULL);
}

/* Public API */

/**
 * park_client_new:
 * @base_url: the parkd to talk to, `http://` or `https://`, e.g. `http://127.0.0.1:8080/`
 * @credentials: (nullable): where to keep the sign-in between runs, or %NULL
 *
 * Makes a client for one parkd. It owns one #SoupSession and is used from the main thread
 * only.
 *
 * Returns: (transfer full): a new #ParkClient
 */
ParkClient *
park_client_new (const char      *base_url,
                 ParkCredentials *credentials)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (credentials == NULL || PARK_IS_CREDENTIALS (credentials), NULL);
  uri = g_uri_parse (base_url, SOUP_HTTP_URI_FLAGS, NULL);
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 ||
                        g_strcmp0 (g_uri_get_scheme (uri), "https") == 0, NULL);
  g_return_val_if_fail (g_uri_get_query (uri) == NULL, NULL);

  return g_object_new (PARK_TYPE_CLIENT,
                       "base-url", base_url,
                       "credentials", credentials,
                       NULL);
}

/**
 * park_client_get_base_url:
 * @self: a #ParkClient
 *
 * Returns: (transfer none): the parkd this client talks to, ending in `/`
 */
const char *
park_client_get_base_url (ParkClient *self)
{
  g_return_val_if_fail (PARK_IS_CLIENT (self), NULL);
  return self->base_url;
}

/**
 * park_client_get_credentials:
 * @self: a #ParkClient
 *
 * Returns: (transfer none) (nullable): where the sign-in is kept between runs
 */
ParkCredentials *
park_client_get_credentials (ParkClient *self)
{
  g_return_val_if_fail (PARK_IS_CLIENT (self), NULL);
  return self->credentials;
}

/**
 * park_client_get_signed_in:
 * @self: a #ParkClient
 *
 * Returns: whether the client holds a sign-in
 */
gboolean
park_client_get_signed_in (ParkClient *self)
{
  g_return_val_if_fail (PARK_IS_CLIENT (self), FALSE);
  return self->access_token != NULL;
}

/**
 * park_client_set_kiosk_key:
 * @self: a #ParkClient
 * @key: (nullable): the kiosk's key ("pkk_…"), made by its operator, or %NULL
 *
 * Makes this client a kiosk's: while nobody is signed in, booking, reading, paying for and
 * cancelling a booking send the kiosk's key instead of a driver's token, and parkd books for
 * a guest without an account (who must give the car's plate, see
 * park_client_book_with_plate_async()). The key is the device's, never a driver's: it is
 * not kept in the credentials store.
 */
void
park_client_set_kiosk_key (ParkClient *self,
                           const char *key)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (PARK_IS_CLIENT (self));
  stripped = key != NULL ? g_strstrip (g_strdup (key)) : NULL;
  if (self->kiosk_key != NULL)
    memset (self->kiosk_key, 0, strlen (self->kiosk_key));
  g_free (self->kiosk_key);
  self->kiosk_key = stripped != NULL && *stripped != '\0' ? g_steal_pointer (&stripped) : NULL;
}

/**
 * park_client_get_has_kiosk_key:
 * @self: a #ParkClient
 *
 * Returns: whether the client holds a kiosk's key (see park_client_set_kiosk_key())
 */
gboolean
park_client_get_has_kiosk_key (ParkClient *self)
{
  g_return_val_if_fail (PARK_IS_CLIENT (self), FALSE);
  return self->kiosk_key != NULL;
}

/**
 * park_client_get_account:
 * @self: a #ParkClient
 *
 * Returns: (transfer none) (nullable): the e-mail address signed in, or %NULL
 */
const char *
park_client_get_account (ParkClient *self)
{
  g_return_val_if_fail (PARK_IS_CLIENT (self), NULL);
  return self->account;
}

/**
 * park_client_get_remembers_sign_in:
 * @self: a #ParkClient
 *
 * Returns: whether the sign-in is kept in the credentials store (see
 *   #ParkClient:remembers-sign-in)
 */
gboolean
park_client_get_remembers_sign_in (ParkClient *self)
{
  g_return_val_if_fail (PARK_IS_CLIENT (self), FALSE);
  return self->remembers_sign_in;
}

/**
 * park_client_get_cache_dir:
 * @self: a #ParkClient
 *
 * Returns: (transfer none) (nullable): the directory of the offline cache, or %NULL
 */
const char *
park_client_get_cache_dir (ParkClient *self)
{
  g_return_val_if_fail (PARK_IS_CLIENT (self), NULL);
  return self->cache_dir;
}

/**
 * park_client_set_cache_dir:
 * @self: a #ParkClient
 * @cache_dir: (nullable): a directory (made when first needed, readable by its owner only),
 *   or %NULL to keep nothing
 *
 * Sets #ParkClient:cache-dir.
 */
void
park_client_set_cache_dir (ParkClient *self,
                           const char *cache_dir)
{
  g_return_if_fail (PARK_IS_CLIENT (self));

  if (g_strcmp0 (self->cache_dir, cache_dir) == 0)
    return;
  g_free (self->cache_dir);
  self->cache_dir = g_strdup (cache_dir);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHE_DIR]);
}

/* Starts @call for @self, owning it. */
void
_park_client_start (ParkClient          *self,
                    Call                *call,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             source_tag)
{
  call_send (self, task_new (self, call, cancellable, callback, user_data, source_tag));
}

Call *
_park_client_model_call (const char      *method,
                         char            *path,
                         ParkModelParser  parser)
{
  Call *call = _park_client_call_new (method, path, handle_model);

  call->parser = parser;
  return call;
}


/* Sign-in */

static void
handle_signed_in (ParkClient *self,
                  GTask      *task,
                  Call       *call,
                  guint       status,
                  JsonObject *root,
                  GBytes     *body)
{
  g_autoptr(GTask) owned = task;
  g_autoptr(GError) error = NULL;
  char *access_token, *refresh_token;

  if (!read_token_pair (root, &access_token, &refresh_token, &error))
    {
      g_task_return_error (owned, g_steal_pointer (&error));
      return;
    }
  /* Whoever was signed in before is not any more. */
  if (self->account != NULL && g_strcmp0 (self->account, call->extra) != 0)
    forget_sign_in (self);
  take_tokens (self, call->extra, access_token, refresh_token);
  g_task_return_boolean (owned, TRUE);
}

/* Accounts are e-mail addresses, compared in lower case with spaces around trimmed, as
 * parkd compares them. */
static char *
account_of (const char *email)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (email));

  return g_utf8_strdown (trimmed, -1);
}

void
_park_client_add_string_member (JsonBuilder *builder,
                                const char  *name,
                                const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/**
 * park_client_register_async:
 * @self: a #ParkClient
 * @email: the e-mail address
 * @password: the password: at least 10 characters, and not a common one
 * @first_name: (nullable): the first name, or %NULL
 * @last_name: (nullable): the last name, or %NULL
 * @phone: (nullable): a phone number, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Creates a driver account and signs it in. A weak password fails with
 * %PARK_CLIENT_ERROR_VALIDATION (`weak-password`, field `password`); an address in use with
 * %PARK_CLIENT_ERROR_CONFLICT (`email-taken`).
 */
void
park_client_register_async (ParkClient          *self,
                            const char          *email,
                            const char          *password,
                            const char          *first_name,
                            const char          *last_name,
                            const char          *phone,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  _park_client_add_string_member (builder, "email", email);
  _park_client_add_string_member (builder, "password", password);
  _park_client_add_string_member (builder, "first_name", first_name);
  _park_client_add_string_member (builder, "last_name", last_name);
  _park_client_add_string_member (builder, "phone", phone);
  json_builder_end_object (builder);

  call = _park_client_call_new ("POST", g_strdup ("api/v1/auth/register"), handle_signed_in);
  call->body = _park_client_body_from_builder (builder);
  call->extra = account_of (email);
  call->extra_free = g_free;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_register_async);
}

/**
 * park_client_register_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the account exists and is signed in
 */
gboolean
park_client_register_finish (ParkClient    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _park_client_finish_boolean (self, result, park_client_register_async, error);
}

/**
 * park_client_sign_in_async:
 * @self: a #ParkClient
 * @email: the e-mail address
 * @password: the password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Signs in. A wrong address or password fails with %PARK_CLIENT_ERROR_UNAUTHORIZED
 * (`invalid-credentials`); too many failures with %PARK_CLIENT_ERROR_RATE_LIMITED. The
 * refresh token is written to #ParkClient:credentials, for park_client_restore_sign_in_async()
 * in a later run.
 */
void
park_client_sign_in_async (ParkClient          *self,
                           const char          *email,
                           const char          *password,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  _park_client_add_string_member (builder, "email", email);
  _park_client_add_string_member (builder, "password", password);
  json_builder_end_object (builder);

  call = _park_client_call_new ("POST", g_strdup ("api/v1/auth/login"), handle_signed_in);
  call->body = _park_client_body_from_builder (builder);
  call->extra = account_of (email);
  call->extra_free = g_free;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_sign_in_async);
}

/**
 * park_client_sign_in_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when signed in
 */
gboolean
park_client_sign_in_finish (ParkClient    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return _park_client_finish_boolean (self, result, park_client_sign_in_async, error);
}

static void
restore_refresh_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!park_client_refresh_finish (PARK_CLIENT (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
restore_lookup_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ParkClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = park_credentials_lookup_finish (PARK_CREDENTIALS (source), result, &error);
  if (token == NULL)
    {
      if (error == NULL)
        error = park_client_error_new_from_problem (401, "unauthorized", NULL, 0);
      else
        g_debug ("No stored sign-in: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_free (self->account);
  self->account = g_strdup (g_task_get_task_data (task));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
  g_clear_pointer (&self->access_token, g_free);
  g_free (self->refresh_token);
  self->refresh_token = g_steal_pointer (&token);
  park_client_refresh_async (self, g_task_get_cancellable (task), restore_refresh_cb,
                             g_object_ref (task));
}

/**
 * park_client_restore_sign_in_async:
 * @self: a #ParkClient
 * @account: the e-mail address signed in in an earlier run
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Signs @account in again with the refresh token #ParkClient:credentials kept for it. Fails
 * with %PARK_CLIENT_ERROR_UNAUTHORIZED when none is kept or the server no longer takes it,
 * and with the store's own error when it cannot be read: then ask for the password.
 */
void
park_client_restore_sign_in_async (ParkClient          *self,
                                   const char          *account,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (account != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, park_client_restore_sign_in_async);
  g_task_set_task_data (task, account_of (account), g_free);
  if (self->credentials == NULL)
    {
      g_task_return_error (task, park_client_error_new_from_problem (401, "unauthorized", NULL,
                                                                     0));
      return;
    }
  park_credentials_lookup_async (self->credentials, self->base_url, g_task_get_task_data (task),
                                 cancellable, restore_lookup_cb, g_object_ref (task));
}

/**
 * park_client_restore_sign_in_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when signed in again
 */
gboolean
park_client_restore_sign_in_finish (ParkClient    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _park_client_finish_boolean (self, result, park_client_restore_sign_in_async, error);
}

/* park_client_refresh_async() waits in the queue of calls for the refresh, and
 * finish_waiting() answers it instead of sending anything. */
static void
handle_refreshed (ParkClient *self,
                  GTask      *task,
                  Call       *call,
                  guint       status,
                  JsonObject *root,
                  GBytes     *body)
{
  g_assert_not_reached ();
}

/**
 * park_client_refresh_async:
 * @self: a #ParkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Exchanges the refresh token for a new pair now. Calls do this by themselves when the access
 * token has expired; this is for keeping a sign-in fresh ahead of time. A refused refresh
 * ends the sign-in and emits #ParkClient::signed-out.
 */
void
park_client_refresh_async (ParkClient          *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = task_new (self, _park_client_call_new ("POST", NULL, handle_refreshed), cancellable,
                   callback,
                   user_data, park_client_refresh_async);
  if (self->refresh_token == NULL)
    {
      g_task_return_error (task, park_client_error_new_from_problem (401, "unauthorized", NULL,
                                                                     0));
      return;
    }
  g_ptr_array_add (self->waiting, g_steal_pointer (&task));
  begin_refresh (self);
}

/**
 * park_client_refresh_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the client holds a fresh pair of tokens
 */
gboolean
park_client_refresh_finish (ParkClient    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return _park_client_finish_boolean (self, result, park_client_refresh_async, error);
}

static void
sign_out_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ParkClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  /* Signed out here whatever the server said; a sign-in it still holds ends by itself. */
  forget_sign_in (self);
  if (error != NULL && !g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAUTHORIZED))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * park_client_sign_out_async:
 * @self: a #ParkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Ends the sign-in on the server (every token of it) and here, and forgets the stored
 * token. The client is signed out here even when the server cannot be reached; the error
 * then says so (the tokens it still holds stop working when they expire).
 */
void
park_client_sign_out_async (ParkClient          *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, park_client_sign_out_async);
  if (self->access_token == NULL && self->refresh_token == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  call = _park_client_call_new ("POST", g_strdup ("api/v1/auth/logout"),
                                _park_client_handle_nothing);
  call->authenticated = TRUE;
  call->accept = "application/problem+json";
  call_send (self, task_new (self, call, cancellable, sign_out_cb, g_object_ref (task),
                             sign_out_cb));
}

/**
 * park_client_sign_out_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the server ended the sign-in too
 */
gboolean
park_client_sign_out_finish (ParkClient    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _park_client_finish_boolean (self, result, park_client_sign_out_async, error);
}

SoupSession *
_park_client_get_session (ParkClient *self)
{
  return self->session;
}

const char *
_park_client_get_access_token (ParkClient *self)
{
  return self->access_token;
}

void
_park_client_end_sign_in (ParkClient *self)
{
  forget_sign_in (self);
}

void
_park_client_set_access_token (ParkClient *self,
                               const char *token)
{
  g_return_if_fail (self->access_token != NULL);

  g_free (self->access_token);
  self->access_token = g_strdup (token);
}
