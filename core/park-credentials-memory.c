/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-credentials-memory.c: tokens kept in this process only: for kiosks, which must not
 * remember a driver's sign-in, and for tests, which must never touch a real keyring.
 */
#include "config.h"

#include "park-credentials.h"

#include <string.h>

struct _ParkMemoryCredentials
{
  GObject     parent_instance;

  GHashTable *tokens;           /* "URL\nACCOUNT" → token */
};

static void credentials_iface_init (ParkCredentialsInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ParkMemoryCredentials, park_memory_credentials, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PARK_TYPE_CREDENTIALS,
                                                      credentials_iface_init))

static char *
make_key (const char *backend_url,
          const char *account)
{
  return g_strconcat (backend_url, "\n", account, NULL);
}

static void
park_memory_credentials_store_async (ParkCredentials     *credentials,
                                     const char          *backend_url,
                                     const char          *account,
                                     const char          *token,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  ParkMemoryCredentials *self = PARK_MEMORY_CREDENTIALS (credentials);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, park_memory_credentials_store_async);
  g_hash_table_replace (self->tokens, make_key (backend_url, account), g_strdup (token));
  g_task_return_boolean (task, TRUE);
}

static gboolean
park_memory_credentials_store_finish (ParkCredentials  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
park_memory_credentials_lookup_async (ParkCredentials     *credentials,
                                      const char          *backend_url,
                                      const char          *account,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  ParkMemoryCredentials *self = PARK_MEMORY_CREDENTIALS (credentials);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *key = make_key (backend_url, account);

  g_task_set_source_tag (task, park_memory_credentials_lookup_async);
  g_task_return_pointer (task, g_strdup (g_hash_table_lookup (self->tokens, key)), g_free);
}

static char *
park_memory_credentials_lookup_finish (ParkCredentials  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
park_memory_credentials_clear_async (ParkCredentials     *credentials,
                                     const char          *backend_url,
                                     const char          *account,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  ParkMemoryCredentials *self = PARK_MEMORY_CREDENTIALS (credentials);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *key = make_key (backend_url, account);

  g_task_set_source_tag (task, park_memory_credentials_clear_async);
  g_hash_table_remove (self->tokens, key);
  g_task_return_boolean (task, TRUE);
}

static gboolean
park_memory_credentials_clear_finish (ParkCredentials  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
credentials_iface_init (ParkCredentialsInterface *iface)
{
  iface->store_async = park_memory_credentials_store_async;
  iface->store_finish = park_memory_credentials_store_finish;
  iface->lookup_async = park_memory_credentials_lookup_async;
  iface->lookup_finish = park_memory_credentials_lookup_finish;
  iface->clear_async = park_memory_credentials_clear_async;
  iface->clear_finish = park_memory_credentials_clear_finish;
}

static void
park_memory_credentials_finalize (GObject *object)
{
  ParkMemoryCredentials *self = (ParkMemoryCredentials *) object;

  /* Tokens are secrets: do not leave them in freed memory either. */
  if (self->tokens != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->tokens);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        memset (value, 0, strlen (value));
    }
  g_clear_pointer (&self->tokens, g_hash_table_unref);

  G_OBJECT_CLASS (park_memory_credentials_parent_class)->finalize (object);
}

static void
park_memory_credentials_class_init (ParkMemoryCredentialsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = park_memory_credentials_finalize;
}

static void
park_memory_credentials_init (ParkMemoryCredentials *self)
{
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * park_memory_credentials_new:
 *
 * Makes a store that keeps tokens in this process only, for as long as it lives: a kiosk
 * forgets every sign-in when it restarts, and tests never touch a real keyring.
 *
 * Returns: (transfer full): a new #ParkMemoryCredentials
 */
ParkCredentials *
park_memory_credentials_new (void)
{
  return g_object_new (PARK_TYPE_MEMORY_CREDENTIALS, NULL);
}
