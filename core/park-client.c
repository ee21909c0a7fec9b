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

#include "park-client.h"
#include "park-enums.h"
#include "park-error-private.h"
#include "park-json-private.h"
#include "park-models-private.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#define TIMEOUT_S 30

struct _ParkClient
{
  GObject          parent_instance;

  char            *base_url;        /* ends in "/" */
  SoupSession     *session;
  ParkCredentials *credentials;
  GCancellable    *cancellable;     /* the client's own work: refreshes, credentials */

  char            *account;
  char            *access_token;
  char            *refresh_token;

  gboolean         refreshing;
  GPtrArray       *waiting;         /* GTasks of Calls waiting for the refresh */

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
  N_PROPS
};

enum {
  SIGNED_OUT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct _Call Call;

/* Turns a successful answer into the task's result (and returns it), or fails. @root is NULL
 * for an answer without a JSON body. */
typedef void (*CallHandler) (ParkClient *self,
                             GTask      *task,
                             Call       *call,
                             guint       status,
                             JsonObject *root,
                             GBytes     *body);

struct _Call
{
  char            *method;
  char            *path;            /* below the base URL, with its query */
  GBytes          *body;            /* JSON, or NULL */
  char            *idempotency_key;
  gboolean         authenticated;   /* send the access token, refresh on 401 */
  gboolean         retried;         /* sent again after a refresh already */
  char            *sent_token;      /* the access token the last try carried */
  const char      *accept;

  CallHandler      handler;
  ParkModelParser  parser;          /* for handle_model and handle_list */

  /* Lists: the pages read so far, and how many items are wanted (0: all). */
  GListStore      *store;
  guint            page;
  guint            max_results;

  gpointer         extra;           /* a handler's own data */
  GDestroyNotify   extra_free;
};

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
  if (call->extra_free != NULL)
    g_clear_pointer (&call->extra, call->extra_free);
  g_free (call);
}

static Call *
call_new (const char  *method,
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

static GBytes *
body_from_builder (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize len;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static const char *
nick_of (GType type,
         int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);

  return v != NULL ? v->value_nick : NULL;
}

static void
add_param (GString    *path,
           const char *name,
           const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (path, strchr (path->str, '?') != NULL ? '&' : '?');
  g_string_append_printf (path, "%s=%s", name, escaped);
}

static void
add_param_double (GString    *path,
                  const char *name,
                  double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  add_param (path, name, g_ascii_dtostr (buf, sizeof buf, value));
}

/* A path segment from a caller's string (a ticket someone typed, say). */
static char *
segment (const char *value)
{
  return g_uri_escape_string (value, NULL, FALSE);
}

/* Tokens and the credentials store */

static void store_token (ParkClient *self);

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
      /* Refused, reset, timed out, cancelled: libsoup's error, unchanged. */
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (msg);
  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                        NULL);
  g_debug ("%s %s: %u", call->method, call->path, status);

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
      g_task_return_error (task, _park_client_error_new_from_body (status, content_type, body,
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
    }
  else if (g_strcmp0 (call->accept, "application/json") == 0 && status != SOUP_STATUS_NO_CONTENT)
    {
      g_task_return_error (task,
                           _park_client_error_new_invalid_response (NULL,
                                                                    "a %u answer of type %s",
                                                                    status,
                                                                    content_type != NULL ? content_type : "(none)"));
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
                               "Cannot make a request to %s", uri);
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

  call = call_new ("POST", g_strdup ("api/v1/auth/refresh"), handle_refresh);
  call->body = body_from_builder (builder);
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
    g_task_return_error (owned, g_steal_pointer (&error));
  else
    g_task_return_pointer (owned, g_steal_pointer (&model), g_object_unref);
}

static void
handle_nothing (ParkClient *self,
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
  call_send (self, g_steal_pointer (&owned));
}

static Call *
list_call (char            *path,
           ParkModelParser  parser,
           GType            item_type,
           guint            max_results)
{
  Call *call = call_new ("GET", path, handle_list);

  call->parser = parser;
  call->store = g_list_store_new (item_type);
  call->page = 1;
  call->max_results = max_results;
  return call;
}

static gpointer
finish_pointer (ParkClient    *self,
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

static gboolean
finish_boolean (ParkClient    *self,
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
  g_free (self->account);
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
   * Whether a sign-in will outlast this run: %FALSE without a credentials store, and from the
   * first time the store failed (no Secret Service, a locked keyring). The sign-in itself
   * goes on working for this run either way; a UI can say that it will be asked again.
   */
  properties[PROP_REMEMBERS_SIGN_IN] =
    g_param_spec_boolean ("remembers-sign-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

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
 * Returns: whether a sign-in will outlast this run (see #ParkClient:remembers-sign-in)
 */
gboolean
park_client_get_remembers_sign_in (ParkClient *self)
{
  g_return_val_if_fail (PARK_IS_CLIENT (self), FALSE);
  return self->remembers_sign_in;
}

/* Starts @call for @self, owning it. */
static void
start (ParkClient          *self,
       Call                *call,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data,
       gpointer             source_tag)
{
  call_send (self, task_new (self, call, cancellable, callback, user_data, source_tag));
}

static Call *
model_call (const char      *method,
            char            *path,
            ParkModelParser  parser)
{
  Call *call = call_new (method, path, handle_model);

  call->parser = parser;
  return call;
}

/**
 * park_client_get_info_async:
 * @self: a #ParkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Asks what the server serves: its version, counts, and the box around its lots to fit a map
 * at once (`GET /api/v1/info`).
 */
void
park_client_get_info_async (ParkClient          *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start (self,
         model_call ("GET", g_strdup ("api/v1/info"),
                     (ParkModelParser) _park_server_info_new_from_json_at),
         cancellable, callback, user_data, park_client_get_info_async);
}

/**
 * park_client_get_info_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the server's description, or %NULL with @error set
 */
ParkServerInfo *
park_client_get_info_finish (ParkClient    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_pointer (self, result, park_client_get_info_async, error);
}

static void
search_lots (ParkClient          *self,
             GString             *path,
             ParkSpotType         spot_type,
             ParkSearchFlags      flags,
             guint                max_results,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  char per_page[16];

  if (spot_type != PARK_SPOT_TYPE_ANY)
    add_param (path, "spot_type", nick_of (PARK_TYPE_SPOT_TYPE, spot_type));
  if (flags & PARK_SEARCH_FLAGS_AVAILABLE_ONLY)
    add_param (path, "available_only", "true");
  g_snprintf (per_page, sizeof per_page, "%u", max_results > 0 ? MIN (max_results, 100) : 100);
  add_param (path, "per_page", per_page);

  start (self,
         list_call (g_string_free (path, FALSE), (ParkModelParser) _park_lot_new_from_json_at,
                    PARK_TYPE_LOT, max_results),
         cancellable, callback, user_data, source_tag);
}

/**
 * park_client_search_lots_near_async:
 * @self: a #ParkClient
 * @latitude: latitude of the point to search around (WGS 84)
 * @longitude: longitude of that point
 * @radius_m: how far to look, in metres (1 to 100,000)
 * @spot_type: only lots with spots of this type, or %PARK_SPOT_TYPE_ANY
 * @flags: #ParkSearchFlags
 * @max_results: the most lots wanted, or 0 for all (fetched page by page)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Finds lots around a point, nearest first, each with its distance
 * (#ParkLot:distance) and live availability. Finish with park_client_search_lots_finish().
 */
void
park_client_search_lots_near_async (ParkClient          *self,
                                    double               latitude,
                                    double               longitude,
                                    double               radius_m,
                                    ParkSpotType         spot_type,
                                    ParkSearchFlags      flags,
                                    guint                max_results,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GString *path;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (latitude >= -90 && latitude <= 90);
  g_return_if_fail (longitude >= -180 && longitude <= 180);
  g_return_if_fail (radius_m >= 1 && radius_m <= 100000);
  g_return_if_fail (spot_type >= PARK_SPOT_TYPE_ANY && spot_type < PARK_N_SPOT_TYPES);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = g_string_new ("api/v1/parking-lots");
  add_param_double (path, "lat", latitude);
  add_param_double (path, "lng", longitude);
  add_param_double (path, "radius", radius_m);
  search_lots (self, path, spot_type, flags, max_results, cancellable, callback, user_data,
               park_client_search_lots_near_async);
}

/**
 * park_client_search_lots_in_box_async:
 * @self: a #ParkClient
 * @min_longitude: the west edge of the box
 * @min_latitude: the south edge
 * @max_longitude: the east edge
 * @max_latitude: the north edge
 * @spot_type: only lots with spots of this type, or %PARK_SPOT_TYPE_ANY
 * @flags: #ParkSearchFlags
 * @max_results: the most lots wanted, or 0 for all (fetched page by page)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Finds the lots in a box, such as the part of the map on screen, nearest to its centre
 * first. Finish with park_client_search_lots_finish().
 */
void
park_client_search_lots_in_box_async (ParkClient          *self,
                                      double               min_longitude,
                                      double               min_latitude,
                                      double               max_longitude,
                                      double               max_latitude,
                                      ParkSpotType         spot_type,
                                      ParkSearchFlags      flags,
                                      guint                max_results,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GString *path;
  char buf[4][G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *bbox = NULL;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (min_latitude >= -90 && max_latitude <= 90 && min_latitude <= max_latitude);
  g_return_if_fail (min_longitude >= -180 && max_longitude <= 180);
  g_return_if_fail (spot_type >= PARK_SPOT_TYPE_ANY && spot_type < PARK_N_SPOT_TYPES);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  bbox = g_strjoin (",",
                    g_ascii_dtostr (buf[0], sizeof buf[0], min_longitude),
                    g_ascii_dtostr (buf[1], sizeof buf[1], min_latitude),
                    g_ascii_dtostr (buf[2], sizeof buf[2], max_longitude),
                    g_ascii_dtostr (buf[3], sizeof buf[3], max_latitude),
                    NULL);
  path = g_string_new ("api/v1/parking-lots");
  add_param (path, "bbox", bbox);
  search_lots (self, path, spot_type, flags, max_results, cancellable, callback, user_data,
               park_client_search_lots_in_box_async);
}

/**
 * park_client_search_lots_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes park_client_search_lots_near_async() or park_client_search_lots_in_box_async().
 *
 * Returns: (transfer full): a #GListModel of #ParkLot, nearest first, or %NULL with @error
 *   set
 */
GListModel *
park_client_search_lots_finish (ParkClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  if (g_task_get_source_tag (G_TASK (result)) == park_client_search_lots_in_box_async)
    return finish_pointer (self, result, park_client_search_lots_in_box_async, error);
  return finish_pointer (self, result, park_client_search_lots_near_async, error);
}

/**
 * park_client_get_lot_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches one lot with its live availability.
 */
void
park_client_get_lot_async (ParkClient          *self,
                           const char          *lot_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autofree char *id = NULL;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  id = segment (lot_id);
  start (self,
         model_call ("GET", g_strconcat ("api/v1/parking-lots/", id, NULL),
                     (ParkModelParser) _park_lot_new_from_json_at),
         cancellable, callback, user_data, park_client_get_lot_async);
}

/**
 * park_client_get_lot_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the lot, or %NULL with @error set
 */
ParkLot *
park_client_get_lot_finish (ParkClient    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return finish_pointer (self, result, park_client_get_lot_async, error);
}

/**
 * park_client_list_spots_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @spot_type: only spots of this type, or %PARK_SPOT_TYPE_ANY
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches every spot of a lot (page by page), by level and number, with its state now.
 */
void
park_client_list_spots_async (ParkClient          *self,
                              const char          *lot_id,
                              ParkSpotType         spot_type,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *id = NULL;
  GString *path;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (spot_type >= PARK_SPOT_TYPE_ANY && spot_type < PARK_N_SPOT_TYPES);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  id = segment (lot_id);
  path = g_string_new ("api/v1/parking-lots/");
  g_string_append_printf (path, "%s/spots", id);
  if (spot_type != PARK_SPOT_TYPE_ANY)
    add_param (path, "type", nick_of (PARK_TYPE_SPOT_TYPE, spot_type));
  /* The server's own page size: a big lot comes in several pages. */
  add_param (path, "per_page", "100");
  start (self,
         list_call (g_string_free (path, FALSE), (ParkModelParser) _park_spot_new_from_json_at,
                    PARK_TYPE_SPOT, 0),
         cancellable, callback, user_data, park_client_list_spots_async);
}

/**
 * park_client_list_spots_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a #GListModel of #ParkSpot, or %NULL with @error set
 */
GListModel *
park_client_list_spots_finish (ParkClient    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_pointer (self, result, park_client_list_spots_async, error);
}

/* POST …/availability: each item applied to the lot of its id. */
static void
handle_availability (ParkClient *self,
                     GTask      *task,
                     Call       *call,
                     guint       status,
                     JsonObject *root,
                     GBytes     *body)
{
  g_autoptr(GTask) owned = task;
  GListModel *lots = call->extra;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  ParkJsonReader reader;
  JsonArray *items;

  if (root == NULL)
    {
      g_task_return_error (owned, _park_client_error_new_invalid_response (NULL, "no body"));
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (lots); i++)
    {
      ParkLot *lot = g_list_model_get_item (lots, i);

      g_ptr_array_add (keep, lot);
      g_hash_table_insert (by_id, (gpointer) park_lot_get_id (lot), lot);
    }
  _park_json_reader_init (&reader, root, NULL);
  items = _park_json_get_array (&reader, "items", 0);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      g_autofree char *path = NULL;
      JsonObject *item = _park_json_array_get_object (&reader, "items", items, i, &path);
      ParkJsonReader item_reader;
      g_autofree char *lot_id = NULL;
      ParkLot *lot;

      if (item == NULL)
        break;
      _park_json_reader_init (&item_reader, item, path);
      item_reader.error = reader.error;
      lot_id = _park_json_dup_string (&item_reader, "lot_id", PARK_JSON_NONEMPTY);
      if (lot_id == NULL)
        break;
      lot = g_hash_table_lookup (by_id, lot_id);
      if (lot != NULL && !_park_lot_apply_availability_json (lot, item, path, reader.error))
        break;
    }
  if (!_park_json_reader_finish (&reader, &error))
    g_task_return_error (owned, g_steal_pointer (&error));
  else
    g_task_return_boolean (owned, TRUE);
}

/**
 * park_client_refresh_availability_async:
 * @self: a #ParkClient
 * @lots: a #GListModel of #ParkLot, at most 100
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Asks for the live availability of @lots at once and applies it to each in place
 * (park_lot_apply_availability()), so widgets bound to them update by themselves. Lots the
 * server no longer has are left as they are.
 */
void
park_client_refresh_availability_async (ParkClient          *self,
                                        GListModel          *lots,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Call *call;
  guint n;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (G_IS_LIST_MODEL (lots));
  g_return_if_fail (g_type_is_a (g_list_model_get_item_type (lots), PARK_TYPE_LOT));
  g_return_if_fail (g_list_model_get_n_items (lots) <= 100);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  n = g_list_model_get_n_items (lots);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "lot_ids");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);

      json_builder_add_string_value (builder, park_lot_get_id (lot));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  call = call_new ("POST", g_strdup ("api/v1/parking-lots/availability"), handle_availability);
  call->body = body_from_builder (builder);
  call->extra = g_object_ref (lots);
  call->extra_free = g_object_unref;
  start (self, call, cancellable, callback, user_data, park_client_refresh_availability_async);
}

/**
 * park_client_refresh_availability_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the lots were brought up to date
 */
gboolean
park_client_refresh_availability_finish (ParkClient    *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return finish_boolean (self, result, park_client_refresh_availability_async, error);
}

/**
 * park_client_quote_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @spot_type: the spot type to price (not %PARK_SPOT_TYPE_ANY)
 * @start_time: the start of the stay
 * @end_time: the end of the stay
 * @discount_code: (nullable): a discount code of the lot's operator, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Prices a stay. The quote is honoured for ten minutes: book with its id
 * (park_quote_get_id()) to pay this price. No sign-in needed.
 */
void
park_client_quote_async (ParkClient          *self,
                         const char          *lot_id,
                         ParkSpotType         spot_type,
                         GDateTime           *start_time,
                         GDateTime           *end_time,
                         const char          *discount_code,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *id = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  GString *path;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (spot_type > PARK_SPOT_TYPE_ANY && spot_type < PARK_N_SPOT_TYPES);
  g_return_if_fail (start_time != NULL);
  g_return_if_fail (end_time != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  id = segment (lot_id);
  from = format_time (start_time);
  to = format_time (end_time);
  path = g_string_new ("api/v1/parking-lots/");
  g_string_append_printf (path, "%s/quote", id);
  add_param (path, "start", from);
  add_param (path, "end", to);
  add_param (path, "spot_type", nick_of (PARK_TYPE_SPOT_TYPE, spot_type));
  if (discount_code != NULL)
    add_param (path, "discount_code", discount_code);
  start (self,
         model_call ("GET", g_string_free (path, FALSE),
                     (ParkModelParser) _park_quote_new_from_json_at),
         cancellable, callback, user_data, park_client_quote_async);
}

/**
 * park_client_quote_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the quote with its breakdown, or %NULL with @error set
 */
ParkQuote *
park_client_quote_finish (ParkClient    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return finish_pointer (self, result, park_client_quote_async, error);
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

  from = format_time (start_time);
  to = format_time (end_time);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "parking_lot_id");
  json_builder_add_string_value (builder, lot_id);
  if (spot_id != NULL)
    {
      json_builder_set_member_name (builder, "parking_spot_id");
      json_builder_add_string_value (builder, spot_id);
    }
  json_builder_set_member_name (builder, "spot_type");
  json_builder_add_string_value (builder, nick_of (PARK_TYPE_SPOT_TYPE, spot_type));
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
  json_builder_end_object (builder);

  call = model_call ("POST", g_strdup ("api/v1/reservations"),
                     (ParkModelParser) _park_reservation_new_from_json_at);
  call->body = body_from_builder (builder);
  call->authenticated = TRUE;
  call->idempotency_key = g_uuid_string_random ();
  start (self, call, cancellable, callback, user_data, park_client_book_async);
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
  return finish_pointer (self, result, park_client_book_async, error);
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
  g_autofree char *id = segment (reservation_id);
  Call *call = model_call (method, g_strconcat ("api/v1/reservations/", id, NULL),
                           (ParkModelParser) _park_reservation_new_from_json_at);

  call->body = body;
  call->authenticated = TRUE;
  start (self, call, cancellable, callback, user_data, source_tag);
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
  return finish_pointer (self, result, park_client_get_reservation_async, error);
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

  call = list_call (g_strdup_printf ("api/v1/reservations?per_page=%u",
                                     max_results > 0 ? MIN (max_results, 100) : 100),
                    (ParkModelParser) _park_reservation_new_from_json_at,
                    PARK_TYPE_RESERVATION, max_results);
  call->authenticated = TRUE;
  start (self, call, cancellable, callback, user_data, park_client_list_reservations_async);
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
  return finish_pointer (self, result, park_client_list_reservations_async, error);
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

  to = format_time (end_time);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "end_time");
  json_builder_add_string_value (builder, to);
  json_builder_end_object (builder);
  reservation_call (self, "PUT", reservation_id, body_from_builder (builder), cancellable,
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
  return finish_pointer (self, result, park_client_extend_reservation_async, error);
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
  return finish_pointer (self, result, park_client_cancel_reservation_async, error);
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
  json_builder_add_string_value (builder, nick_of (PARK_TYPE_PAYMENT_PROVIDER, provider));
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

  id = segment (reservation_id);
  call = call_new ("POST", g_strdup_printf ("api/v1/reservations/%s/payments", id),
                   handle_payment);
  call->body = body_from_builder (builder);
  call->authenticated = TRUE;
  call->idempotency_key = g_uuid_string_random ();
  start (self, call, cancellable, callback, user_data, park_client_pay_reservation_async);
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
  g_autoptr(PayResult) pay = finish_pointer (self, result, park_client_pay_reservation_async,
                                             error);

  if (pay == NULL)
    return NULL;
  if (reservation != NULL)
    *reservation = g_steal_pointer (&pay->reservation);
  if (client_secret != NULL)
    *client_secret = g_steal_pointer (&pay->client_secret);
  return g_steal_pointer (&pay->payment);
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

  id = segment (payment_id);
  call = model_call ("GET", g_strdup_printf ("api/v1/payments/%s/receipt", id),
                     (ParkModelParser) _park_receipt_new_from_json_at);
  call->authenticated = TRUE;
  start (self, call, cancellable, callback, user_data, park_client_get_receipt_async);
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
  return finish_pointer (self, result, park_client_get_receipt_async, error);
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
    g_task_return_error (owned, _park_client_error_new_invalid_response (NULL,
                                                                         "a receipt that is not UTF-8 text"));
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

  id = segment (payment_id);
  call = call_new ("GET", g_strdup_printf ("api/v1/payments/%s/receipt?format=text", id),
                   handle_text);
  call->accept = "text/plain";
  call->authenticated = TRUE;
  start (self, call, cancellable, callback, user_data, park_client_get_receipt_text_async);
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
  return finish_pointer (self, result, park_client_get_receipt_text_async, error);
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

static void
add_string_member (JsonBuilder *builder,
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
  add_string_member (builder, "email", email);
  add_string_member (builder, "password", password);
  add_string_member (builder, "first_name", first_name);
  add_string_member (builder, "last_name", last_name);
  add_string_member (builder, "phone", phone);
  json_builder_end_object (builder);

  call = call_new ("POST", g_strdup ("api/v1/auth/register"), handle_signed_in);
  call->body = body_from_builder (builder);
  call->extra = account_of (email);
  call->extra_free = g_free;
  start (self, call, cancellable, callback, user_data, park_client_register_async);
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
  return finish_boolean (self, result, park_client_register_async, error);
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
  add_string_member (builder, "email", email);
  add_string_member (builder, "password", password);
  json_builder_end_object (builder);

  call = call_new ("POST", g_strdup ("api/v1/auth/login"), handle_signed_in);
  call->body = body_from_builder (builder);
  call->extra = account_of (email);
  call->extra_free = g_free;
  start (self, call, cancellable, callback, user_data, park_client_sign_in_async);
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
  return finish_boolean (self, result, park_client_sign_in_async, error);
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
  return finish_boolean (self, result, park_client_restore_sign_in_async, error);
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

  task = task_new (self, call_new ("POST", NULL, handle_refreshed), cancellable, callback,
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
  return finish_boolean (self, result, park_client_refresh_async, error);
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
  call = call_new ("POST", g_strdup ("api/v1/auth/logout"), handle_nothing);
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
  return finish_boolean (self, result, park_client_sign_out_async, error);
}

/* The account */

/**
 * park_client_get_me_async:
 * @self: a #ParkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches the signed-in account.
 */
void
park_client_get_me_async (ParkClient          *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = model_call ("GET", g_strdup ("api/v1/users/me"),
                     (ParkModelParser) _park_user_new_from_json_at);
  call->authenticated = TRUE;
  start (self, call, cancellable, callback, user_data, park_client_get_me_async);
}

/**
 * park_client_get_me_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the account, or %NULL with @error set
 */
ParkUser *
park_client_get_me_finish (ParkClient    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return finish_pointer (self, result, park_client_get_me_async, error);
}

/**
 * park_client_list_vehicles_async:
 * @self: a #ParkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches the signed-in account's vehicles, oldest first.
 */
void
park_client_list_vehicles_async (ParkClient          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = list_call (g_strdup ("api/v1/users/me/vehicles"),
                    (ParkModelParser) _park_vehicle_new_from_json_at, PARK_TYPE_VEHICLE, 0);
  call->authenticated = TRUE;
  start (self, call, cancellable, callback, user_data, park_client_list_vehicles_async);
}

/**
 * park_client_list_vehicles_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a #GListModel of #ParkVehicle, or %NULL with @error set
 */
GListModel *
park_client_list_vehicles_finish (ParkClient    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_pointer (self, result, park_client_list_vehicles_async, error);
}

/**
 * park_client_add_vehicle_async:
 * @self: a #ParkClient
 * @plate: the number plate, e.g. `B-MW 1234`
 * @country: (nullable): its ISO 3166-1 alpha-2 country code, or %NULL
 * @nickname: (nullable): a name for it, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Adds a vehicle to the signed-in account. A plate it has already fails with
 * %PARK_CLIENT_ERROR_CONFLICT (`duplicate-plate`).
 */
void
park_client_add_vehicle_async (ParkClient          *self,
                               const char          *plate,
                               const char          *country,
                               const char          *nickname,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (plate != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  add_string_member (builder, "plate", plate);
  add_string_member (builder, "country", country);
  add_string_member (builder, "nickname", nickname);
  json_builder_end_object (builder);

  call = model_call ("POST", g_strdup ("api/v1/users/me/vehicles"),
                     (ParkModelParser) _park_vehicle_new_from_json_at);
  call->body = body_from_builder (builder);
  call->authenticated = TRUE;
  start (self, call, cancellable, callback, user_data, park_client_add_vehicle_async);
}

/**
 * park_client_add_vehicle_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the vehicle, or %NULL with @error set
 */
ParkVehicle *
park_client_add_vehicle_finish (ParkClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_pointer (self, result, park_client_add_vehicle_async, error);
}

/**
 * park_client_remove_vehicle_async:
 * @self: a #ParkClient
 * @vehicle_id: the vehicle's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Removes a vehicle from the signed-in account.
 */
void
park_client_remove_vehicle_async (ParkClient          *self,
                                  const char          *vehicle_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *id = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (vehicle_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  id = segment (vehicle_id);
  call = call_new ("DELETE", g_strconcat ("api/v1/users/me/vehicles/", id, NULL),
                   handle_nothing);
  call->authenticated = TRUE;
  start (self, call, cancellable, callback, user_data, park_client_remove_vehicle_async);
}

/**
 * park_client_remove_vehicle_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the vehicle is gone
 */
gboolean
park_client_remove_vehicle_finish (ParkClient    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_boolean (self, result, park_client_remove_vehicle_async, error);
}

/* The booth */

/**
 * park_client_check_in_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @plate: the car's number plate
 * @spot_id: (nullable): the spot to give, or %NULL for the first free regular one
 * @reservation_code: (nullable): the code of the car's booking (its spot is used), or %NULL
 *   for a walk-in
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Checks a car in at the booth (staff only): a walk-in sale, or a confirmed booking by its
 * code. Print the stay's ticket (#ParkSession:ticket).
 */
void
park_client_check_in_async (ParkClient          *self,
                            const char          *lot_id,
                            const char          *plate,
                            const char          *spot_id,
                            const char          *reservation_code,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (plate != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  add_string_member (builder, "parking_lot_id", lot_id);
  add_string_member (builder, "plate", plate);
  add_string_member (builder, "parking_spot_id", spot_id);
  add_string_member (builder, "reservation_code", reservation_code);
  json_builder_end_object (builder);

  call = model_call ("POST", g_strdup ("api/v1/sessions"),
                     (ParkModelParser) _park_session_new_from_json_at);
  call->body = body_from_builder (builder);
  call->authenticated = TRUE;
  start (self, call, cancellable, callback, user_data, park_client_check_in_async);
}

/**
 * park_client_check_in_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the stay, or %NULL with @error set
 */
ParkSession *
park_client_check_in_finish (ParkClient    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_pointer (self, result, park_client_check_in_async, error);
}

/**
 * park_client_get_session_async:
 * @self: a #ParkClient
 * @session_id: the stay's id or its ticket (any case)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches one stay (staff only).
 */
void
park_client_get_session_async (ParkClient          *self,
                               const char          *session_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *id = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  id = segment (session_id);
  call = model_call ("GET", g_strconcat ("api/v1/sessions/", id, NULL),
                     (ParkModelParser) _park_session_new_from_json_at);
  call->authenticated = TRUE;
  start (self, call, cancellable, callback, user_data, park_client_get_session_async);
}

/**
 * park_client_get_session_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the stay, or %NULL with @error set
 */
ParkSession *
park_client_get_session_finish (ParkClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_pointer (self, result, park_client_get_session_async, error);
}

/**
 * park_client_find_sessions_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @plate: the number plate (only its letters and digits count)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Finds the active stays of a car at a lot by its plate, for a lost ticket (staff only).
 */
void
park_client_find_sessions_async (ParkClient          *self,
                                 const char          *lot_id,
                                 const char          *plate,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GString *path;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (plate != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = g_string_new ("api/v1/sessions");
  add_param (path, "parking_lot_id", lot_id);
  add_param (path, "plate", plate);
  call = list_call (g_string_free (path, FALSE), (ParkModelParser) _park_session_new_from_json_at,
                    PARK_TYPE_SESSION, 0);
  call->authenticated = TRUE;
  start (self, call, cancellable, callback, user_data, park_client_find_sessions_async);
}

/**
 * park_client_find_sessions_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a #GListModel of #ParkSession, or %NULL with @error set
 */
GListModel *
park_client_find_sessions_finish (ParkClient    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_pointer (self, result, park_client_find_sessions_async, error);
}

typedef struct
{
  ParkSession *session;
  gint64       change;
} CheckOutResult;

static void
check_out_result_free (CheckOutResult *result)
{
  g_clear_object (&result->session);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CheckOutResult, check_out_result_free)

static void
handle_check_out (ParkClient *self,
                  GTask      *task,
                  Call       *call,
                  guint       status,
                  JsonObject *root,
                  GBytes     *body)
{
  g_autoptr(GTask) owned = task;
  g_autoptr(CheckOutResult) out = g_new0 (CheckOutResult, 1);
  g_autoptr(GError) error = NULL;
  ParkJsonReader reader;

  if (root == NULL)
    {
      g_task_return_error (owned, _park_client_error_new_invalid_response (NULL, "no body"));
      return;
    }
  _park_json_reader_init (&reader, root, NULL);
  out->session = _park_json_read_model (&reader, "session", 0,
                                        (ParkModelParser) _park_session_new_from_json_at);
  _park_json_get_int (&reader, "fee", 0, G_MAXINT64, 0, 0);
  _park_json_get_int (&reader, "tendered", 0, G_MAXINT64, PARK_JSON_NULLABLE, -1);
  out->change = _park_json_get_int (&reader, "change", 0, G_MAXINT64, 0, 0);
  if (!_park_json_reader_finish (&reader, &error))
    g_task_return_error (owned, g_steal_pointer (&error));
  else
    g_task_return_pointer (owned, g_steal_pointer (&out), (GDestroyNotify) check_out_result_free);
}

/**
 * park_client_check_out_async:
 * @self: a #ParkClient
 * @session_id: the stay's id or its ticket
 * @tendered: cash handed over in minor units, or -1 when nothing is due
 * @lost_ticket: whether the ticket is lost (at least the lot's lost-ticket fee is due)
 * @validation_code: (nullable): a shop's validation or a discount code, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Checks a car out at the booth, taking its fee in cash (staff only). When a fee is due and
 * @tendered is missing or too little, this fails with %PARK_CLIENT_ERROR_VALIDATION (field
 * `tendered`).
 */
void
park_client_check_out_async (ParkClient          *self,
                             const char          *session_id,
                             gint64               tendered,
                             gboolean             lost_ticket,
                             const char          *validation_code,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *id = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);
  g_return_if_fail (tendered >= -1);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  if (tendered >= 0)
    {
      json_builder_set_member_name (builder, "tendered");
      json_builder_add_int_value (builder, tendered);
    }
  if (lost_ticket)
    {
      json_builder_set_member_name (builder, "lost_ticket");
      json_builder_add_boolean_value (builder, TRUE);
    }
  add_string_member (builder, "validation_code", validation_code);
  json_builder_end_object (builder);

  id = segment (session_id);
  call = call_new ("POST", g_strdup_printf ("api/v1/sessions/%s/check-out", id),
                   handle_check_out);
  call->body = body_from_builder (builder);
  call->authenticated = TRUE;
  start (self, call, cancellable, callback, user_data, park_client_check_out_async);
}

/**
 * park_client_check_out_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @change: (out) (optional): the change to hand back, in minor units
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the stay, completed, with its fee and breakdown, or %NULL with
 *   @error set
 */
ParkSession *
park_client_check_out_finish (ParkClient    *self,
                              GAsyncResult  *result,
                              gint64        *change,
                              GError       **error)
{
  g_autoptr(CheckOutResult) out = finish_pointer (self, result, park_client_check_out_async,
                                                  error);

  if (out == NULL)
    return NULL;
  if (change != NULL)
    *change = out->change;
  return g_steal_pointer (&out->session);
}
