/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-credentials.h: where a client keeps the refresh token of a sign-in between runs. An
 * interface, so a desktop keeps it in the keyring (ParkSecretCredentials) and a kiosk or a
 * test only in memory (ParkMemoryCredentials).
 */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * PARK_CREDENTIALS_ERROR:
 *
 * Error domain of credential stores. Stores may also report the errors of what they use (a
 * D-Bus error of the Secret Service, %G_IO_ERROR_TIMED_OUT, %G_IO_ERROR_CANCELLED).
 */
#define PARK_CREDENTIALS_ERROR (park_credentials_error_quark ())

/**
 * ParkCredentialsError:
 * @PARK_CREDENTIALS_ERROR_UNAVAILABLE: there is nowhere to keep secrets: no session bus, or
 *   no Secret Service on it
 * @PARK_CREDENTIALS_ERROR_LOCKED: the keyring is locked, and unlocking it would need a
 *   prompt, which a store never shows
 *
 * The errors of %PARK_CREDENTIALS_ERROR.
 */
typedef enum
{
  PARK_CREDENTIALS_ERROR_UNAVAILABLE,
  PARK_CREDENTIALS_ERROR_LOCKED,
} ParkCredentialsError;

GQuark park_credentials_error_quark (void);

#define PARK_TYPE_CREDENTIALS (park_credentials_get_type ())

G_DECLARE_INTERFACE (ParkCredentials, park_credentials, PARK, CREDENTIALS, GObject)

/**
 * ParkCredentialsInterface:
 * @store_async: keeps @token for @backend_url and @account, replacing an older one
 * @store_finish: finishes @store_async
 * @lookup_async: finds the token kept for @backend_url and @account
 * @lookup_finish: finishes @lookup_async; %NULL without an error when none is kept
 * @clear_async: forgets the token kept for @backend_url and @account
 * @clear_finish: finishes @clear_async
 *
 * The virtual methods of #ParkCredentials. Every method is asynchronous and must not block
 * or show anything: a store that cannot work fails, and the client goes on without it.
 */
struct _ParkCredentialsInterface
{
  GTypeInterface parent_iface;

  void      (*store_async)   (ParkCredentials      *self,
                              const char           *backend_url,
                              const char           *account,
                              const char           *token,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  gboolean  (*store_finish)  (ParkCredentials      *self,
                              GAsyncResult         *result,
                              GError              **error);
  void      (*lookup_async)  (ParkCredentials      *self,
                              const char           *backend_url,
                              const char           *account,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  char     *(*lookup_finish) (ParkCredentials      *self,
                              GAsyncResult         *result,
                              GError              **error);
  void      (*clear_async)   (ParkCredentials      *self,
                              const char           *backend_url,
                              const char           *account,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  gboolean  (*clear_finish)  (ParkCredentials      *self,
                              GAsyncResult         *result,
                              GError              **error);
};

void      park_credentials_store_async   (ParkCredentials      *self,
                                          const char           *backend_url,
                                          const char           *account,
                                          const char           *token,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean  park_credentials_store_finish  (ParkCredentials      *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void      park_credentials_lookup_async  (ParkCredentials      *self,
                                          const char           *backend_url,
                                          const char           *account,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
char     *park_credentials_lookup_finish (ParkCredentials      *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void      park_credentials_clear_async   (ParkCredentials      *self,
                                          const char           *backend_url,
                                          const char           *account,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean  park_credentials_clear_finish  (ParkCredentials      *self,
                                          GAsyncResult         *result,
                                          GError              **error);

#define PARK_TYPE_MEMORY_CREDENTIALS (park_memory_credentials_get_type ())

G_DECLARE_FINAL_TYPE (ParkMemoryCredentials, park_memory_credentials, PARK, MEMORY_CREDENTIALS,
                      GObject)

ParkCredentials *park_memory_credentials_new (void);

G_END_DECLS
