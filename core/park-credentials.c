/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-credentials.c: the ParkCredentials interface. */
#include "config.h"

#include "park-credentials.h"

/**
 * park_credentials_error_quark:
 *
 * The quark of %PARK_CREDENTIALS_ERROR.
 *
 * Returns: the error domain's quark
 */
G_DEFINE_QUARK (park-credentials-error-quark, park_credentials_error)

G_DEFINE_INTERFACE (ParkCredentials, park_credentials, G_TYPE_OBJECT)

static void
park_credentials_default_init (ParkCredentialsInterface *iface)
{
}

/**
 * park_credentials_store_async:
 * @self: a #ParkCredentials
 * @backend_url: the parkd the token is for
 * @account: the account (its e-mail address)
 * @token: the refresh token
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Keeps @token for @backend_url and @account, replacing the one kept before.
 */
void
park_credentials_store_async (ParkCredentials     *self,
                              const char          *backend_url,
                              const char          *account,
                              const char          *token,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (PARK_IS_CREDENTIALS (self));
  g_return_if_fail (backend_url != NULL);
  g_return_if_fail (account != NULL);
  g_return_if_fail (token != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  PARK_CREDENTIALS_GET_IFACE (self)->store_async (self, backend_url, account, token, cancellable,
                                                  callback, user_data);
}

/**
 * park_credentials_store_finish:
 * @self: a #ParkCredentials
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the token is kept
 */
gboolean
park_credentials_store_finish (ParkCredentials  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (PARK_IS_CREDENTIALS (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return PARK_CREDENTIALS_GET_IFACE (self)->store_finish (self, result, error);
}

/**
 * park_credentials_lookup_async:
 * @self: a #ParkCredentials
 * @backend_url: the parkd the token is for
 * @account: the account (its e-mail address)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Finds the token kept for @backend_url and @account.
 */
void
park_credentials_lookup_async (ParkCredentials     *self,
                               const char          *backend_url,
                               const char          *account,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (PARK_IS_CREDENTIALS (self));
  g_return_if_fail (backend_url != NULL);
  g_return_if_fail (account != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  PARK_CREDENTIALS_GET_IFACE (self)->lookup_async (self, backend_url, account, cancellable,
                                                   callback, user_data);
}

/**
 * park_credentials_lookup_finish:
 * @self: a #ParkCredentials
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the token, or %NULL (without an error when none is
 *   kept)
 */
char *
park_credentials_lookup_finish (ParkCredentials  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (PARK_IS_CREDENTIALS (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return PARK_CREDENTIALS_GET_IFACE (self)->lookup_finish (self, result, error);
}

/**
 * park_credentials_clear_async:
 * @self: a #ParkCredentials
 * @backend_url: the parkd the token is for
 * @account: the account (its e-mail address)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Forgets the token kept for @backend_url and @account, if any.
 */
void
park_credentials_clear_async (ParkCredentials     *self,
                              const char          *backend_url,
                              const char          *account,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (PARK_IS_CREDENTIALS (self));
  g_return_if_fail (backend_url != NULL);
  g_return_if_fail (account != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  PARK_CREDENTIALS_GET_IFACE (self)->clear_async (self, backend_url, account, cancellable,
                                                  callback, user_data);
}

/**
 * park_credentials_clear_finish:
 * @self: a #ParkCredentials
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when no token is kept any more
 */
gboolean
park_credentials_clear_finish (ParkCredentials  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (PARK_IS_CREDENTIALS (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return PARK_CREDENTIALS_GET_IFACE (self)->clear_finish (self, result, error);
}
