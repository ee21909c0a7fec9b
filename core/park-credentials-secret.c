/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-credentials-secret.c: the refresh token in the Secret Service (GNOME Keyring, KWallet)
 * through libsecret's async API, under a static SecretSchema.
 *
 * Never a prompt: a kiosk has nobody to answer one, and an unlock prompt on a desktop that
 * pops up because a token was refreshed in the background is no better. So items are
 * created only in an unlocked default collection (a locked one fails with
 * PARK_CREDENTIALS_ERROR_LOCKED) and searched without SECRET_SEARCH_UNLOCK; every operation
 * also gives up after #ParkSecretCredentials:timeout seconds (QUIRKS.md: storing can hang).
 *
 * No session bus, or no Secret Service on it, is found out once: #ParkSecretCredentials:available
 * turns FALSE, ::unavailable is emitted with the reason, and from then on every operation
 * fails at once with PARK_CREDENTIALS_ERROR_UNAVAILABLE, so the client keeps its sign-in for
 * the session only.
 */
#include "config.h"

#include "park-credentials-secret.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#define DEFAULT_TIMEOUT_S 5

struct _ParkSecretCredentials
{
  GObject   parent_instance;

  gboolean  available;
  guint     timeout_s;
};

static void credentials_iface_init (ParkCredentialsInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ParkSecretCredentials, park_secret_credentials, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PARK_TYPE_CREDENTIALS,
                                                      credentials_iface_init))

enum {
  PROP_0,
  PROP_AVAILABLE,
  PROP_TIMEOUT,
  N_PROPS
};

enum {
  UNAVAILABLE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const SecretSchema token_schema = {
  "org.parkade.Parkade.RefreshToken", SECRET_SCHEMA_NONE,
  {
    { "backend", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  /* reserved */
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

typedef enum
{
  OP_STORE,
  OP_LOOKUP,
  OP_CLEAR,
} OpKind;

typedef struct
{
  OpKind        kind;
  GHashTable   *attributes;
  char         *label;
  char         *token;
  GCancellable *cancellable;     /* cancelled by the caller's or by the time-out */
  GCancellable *caller;
  gulong        caller_handler;
  guint         timeout_id;
  gboolean      timed_out;
} Op;

static void
op_free (Op *op)
{
  g_clear_pointer (&op->attributes, g_hash_table_unref);
  g_free (op->label);
  if (op->token != NULL)
    {
      memset (op->token, 0, strlen (op->token));
      g_free (op->token);
    }
  if (op->caller != NULL)
    g_cancellable_disconnect (op->caller, op->caller_handler);
  g_clear_object (&op->caller);
  g_clear_handle_id (&op->timeout_id, g_source_remove);
  g_clear_object (&op->cancellable);
  g_free (op);
}

/* Is this the answer of a machine where secrets have no home? */
static gboolean
means_unavailable (const GError *error)
{
  if (error->domain == G_DBUS_ERROR)
    return error->code == G_DBUS_ERROR_SERVICE_UNKNOWN ||
           error->code == G_DBUS_ERROR_NAME_HAS_NO_OWNER ||
           error->code == G_DBUS_ERROR_SPAWN_EXEC_FAILED ||
           error->code == G_DBUS_ERROR_SPAWN_FAILED ||
           error->code == G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND ||
           error->code == G_DBUS_ERROR_FILE_NOT_FOUND ||
           error->code == G_DBUS_ERROR_NO_SERVER ||
           error->code == G_DBUS_ERROR_NO_NETWORK;
  return FALSE;
}

static void
mark_unavailable (ParkSecretCredentials *self,
                  const GError          *reason)
{
  if (!self->available)
    return;
  g_debug ("No Secret Service: %s", reason->message);
  self->available = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
  g_signal_emit (self, signals[UNAVAILABLE], 0, reason);
}

static void
op_fail (GTask  *task,
         GError *error)
{
  ParkSecretCredentials *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  if (op->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("The keyring did not answer in time."));
      g_object_unref (task);
      return;
    }
  if (means_unavailable (error))
    {
      mark_unavailable (self, error);
      g_task_return_new_error (task, PARK_CREDENTIALS_ERROR, PARK_CREDENTIALS_ERROR_UNAVAILABLE,
                               _("No keyring is available: %s"), error->message);
      g_error_free (error);
      g_object_unref (task);
      return;
    }
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
item_created_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  g_autoptr(SecretItem) item = secret_item_create_finish (result, &error);

  if (item == NULL)
    {
      op_fail (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
collection_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(SecretCollection) collection = secret_collection_for_alias_finish (result, &error);
  g_autoptr(SecretValue) value = NULL;

  if (error != NULL)
    {
      op_fail (task, error);
      return;
    }
  if (collection == NULL)
    {
      /* Making the default keyring would ask for its password. */
      g_task_return_new_error (task, PARK_CREDENTIALS_ERROR, PARK_CREDENTIALS_ERROR_LOCKED,
                               _("There is no default keyring to keep the sign-in in."));
      g_object_unref (task);
      return;
    }
  if (secret_collection_get_locked (collection))
    {
      g_task_return_new_error (task, PARK_CREDENTIALS_ERROR, PARK_CREDENTIALS_ERROR_LOCKED,
                               _("The keyring is locked."));
      g_object_unref (task);
      return;
    }
  value = secret_value_new (op->token, -1, "text/plain");
  secret_item_create (collection, &token_schema, op->attributes, op->label, value,
                      SECRET_ITEM_CREATE_REPLACE, op->cancellable, item_created_cb, task);
}

static void
search_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  GList *items = secret_service_search_finish (SECRET_SERVICE (source), result, &error);
  char *token = NULL;

  if (error != NULL)
    {
      op_fail (task, error);
      return;
    }
  /* Locked items come without their secret: they count as none, and unlocking would
   * prompt. */
  for (GList *l = items; l != NULL && token == NULL; l = l->next)
    {
      g_autoptr(SecretValue) value = secret_item_get_secret (l->data);

      if (value != NULL && secret_value_get_text (value) != NULL)
        token = g_strdup (secret_value_get_text (value));
    }
  g_list_free_full (items, g_object_unref);
  g_task_return_pointer (task, token, g_free);
  g_object_unref (task);
}

static void
cleared_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  /* FALSE without an error: there was nothing to clear. */
  if (!secret_service_clear_finish (SECRET_SERVICE (source), result, &error) && error != NULL)
    {
      op_fail (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
service_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(SecretService) service = secret_service_get_finish (result, &error);

  if (service == NULL)
    {
      /* No session bus at all (no address, and nothing to autolaunch): as unavailable as no
       * service on it. */
      if (!op->timed_out && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          GError *reason = g_error_new_literal (G_DBUS_ERROR, G_DBUS_ERROR_NO_SERVER,
                                                error->message);

          g_error_free (error);
          error = reason;
        }
      op_fail (task, error);
      return;
    }

  switch (op->kind)
    {
    case OP_STORE:
      secret_collection_for_alias (service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                                   op->cancellable, collection_cb, task);
      break;
    case OP_LOOKUP:
      secret_service_search (service, &token_schema, op->attributes,
                             SECRET_SEARCH_LOAD_SECRETS, op->cancellable, search_cb, task);
      break;
    case OP_CLEAR:
      secret_service_clear (service, &token_schema, op->attributes, op->cancellable,
                            cleared_cb, task);
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
timeout_cb (gpointer data)
{
  Op *op = data;

  op->timeout_id = 0;
  op->timed_out = TRUE;
  g_cancellable_cancel (op->cancellable);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *caller,
                     GCancellable *own)
{
  g_cancellable_cancel (own);
}

static void
start_op (ParkSecretCredentials *self,
          OpKind                 kind,
          const char            *backend_url,
          const char            *account,
          const char            *token,
          GCancellable          *cancellable,
          GAsyncReadyCallback    callback,
          gpointer               user_data,
          gpointer               source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  if (!self->available)
    {
      g_task_return_new_error (task, PARK_CREDENTIALS_ERROR, PARK_CREDENTIALS_ERROR_UNAVAILABLE,
                               _("No keyring is available."));
      g_object_unref (task);
      return;
    }

  op->kind = kind;
  op->attributes = secret_attributes_build (&token_schema,
                                            "backend", backend_url,
                                            "account", account,
                                            NULL);
  /* Translators: the name of the keyring item; %s is an e-mail address. */
  op->label = g_strdup_printf (_("Parkade sign-in of %s"), account);
  op->token = g_strdup (token);
  op->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      op->caller = g_object_ref (cancellable);
      op->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                  op->cancellable, NULL);
    }
  op->timeout_id = g_timeout_add_seconds (self->timeout_s, timeout_cb, op);

  secret_service_get (SECRET_SERVICE_NONE, op->cancellable, service_cb, task);
}

static void
park_secret_credentials_store_async (ParkCredentials     *credentials,
                                     const char          *backend_url,
                                     const char          *account,
                                     const char          *token,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  start_op (PARK_SECRET_CREDENTIALS (credentials), OP_STORE, backend_url, account, token,
            cancellable, callback, user_data, park_secret_credentials_store_async);
}

static gboolean
park_secret_credentials_store_finish (ParkCredentials  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
park_secret_credentials_lookup_async (ParkCredentials     *credentials,
                                      const char          *backend_url,
                                      const char          *account,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  start_op (PARK_SECRET_CREDENTIALS (credentials), OP_LOOKUP, backend_url, account, NULL,
            cancellable, callback, user_data, park_secret_credentials_lookup_async);
}

static char *
park_secret_credentials_lookup_finish (ParkCredentials  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
park_secret_credentials_clear_async (ParkCredentials     *credentials,
                                     const char          *backend_url,
                                     const char          *account,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  start_op (PARK_SECRET_CREDENTIALS (credentials), OP_CLEAR, backend_url, account, NULL,
            cancellable, callback, user_data, park_secret_credentials_clear_async);
}

static gboolean
park_secret_credentials_clear_finish (ParkCredentials  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
credentials_iface_init (ParkCredentialsInterface *iface)
{
  iface->store_async = park_secret_credentials_store_async;
  iface->store_finish = park_secret_credentials_store_finish;
  iface->lookup_async = park_secret_credentials_lookup_async;
  iface->lookup_finish = park_secret_credentials_lookup_finish;
  iface->clear_async = park_secret_credentials_clear_async;
  iface->clear_finish = park_secret_credentials_clear_finish;
}

static void
park_secret_credentials_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  ParkSecretCredentials *self = PARK_SECRET_CREDENTIALS (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_s);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
park_secret_credentials_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  ParkSecretCredentials *self = PARK_SECRET_CREDENTIALS (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      park_secret_credentials_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
park_secret_credentials_class_init (ParkSecretCredentialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = park_secret_credentials_get_property;
  object_class->set_property = park_secret_credentials_set_property;

  /**
   * ParkSecretCredentials:available:
   *
   * %TRUE until an operation found no session bus or no Secret Service on it; from then on
   * every operation fails at once with %PARK_CREDENTIALS_ERROR_UNAVAILABLE.
   */
  properties[PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ParkSecretCredentials:timeout:
   *
   * Seconds an operation may take before it fails with %G_IO_ERROR_TIMED_OUT.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 600, DEFAULT_TIMEOUT_S,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ParkSecretCredentials::unavailable:
   * @self: the #ParkSecretCredentials
   * @reason: the #GError that showed it
   *
   * Emitted once, the first time an operation finds no session bus or no Secret Service.
   */
  signals[UNAVAILABLE] = g_signal_new ("unavailable", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
park_secret_credentials_init (ParkSecretCredentials *self)
{
  self->available = TRUE;
  self->timeout_s = DEFAULT_TIMEOUT_S;
}

/**
 * park_secret_credentials_new:
 *
 * Makes a store that keeps refresh tokens in the Secret Service, never prompting.
 *
 * Returns: (transfer full): a new #ParkSecretCredentials
 */
ParkCredentials *
park_secret_credentials_new (void)
{
  return g_object_new (PARK_TYPE_SECRET_CREDENTIALS, NULL);
}

/**
 * park_secret_credentials_get_available:
 * @self: a #ParkSecretCredentials
 *
 * Returns: %FALSE once an operation found no Secret Service
 */
gboolean
park_secret_credentials_get_available (ParkSecretCredentials *self)
{
  g_return_val_if_fail (PARK_IS_SECRET_CREDENTIALS (self), FALSE);
  return self->available;
}

/**
 * park_secret_credentials_get_timeout:
 * @self: a #ParkSecretCredentials
 *
 * Returns: the seconds an operation may take
 */
guint
park_secret_credentials_get_timeout (ParkSecretCredentials *self)
{
  g_return_val_if_fail (PARK_IS_SECRET_CREDENTIALS (self), 0);
  return self->timeout_s;
}

/**
 * park_secret_credentials_set_timeout:
 * @self: a #ParkSecretCredentials
 * @timeout_s: seconds, 1 to 600
 *
 * Sets how long an operation may take before it fails with %G_IO_ERROR_TIMED_OUT.
 */
void
park_secret_credentials_set_timeout (ParkSecretCredentials *self,
                                     guint                  timeout_s)
{
  g_return_if_fail (PARK_IS_SECRET_CREDENTIALS (self));
  g_return_if_fail (timeout_s >= 1 && timeout_s <= 600);

  if (self->timeout_s == timeout_s)
    return;
  self->timeout_s = timeout_s;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}
