/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-credentials-secret.h: refresh tokens in the desktop's keyring (Secret Service). */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include "park-credentials.h"

G_BEGIN_DECLS

#define PARK_TYPE_SECRET_CREDENTIALS (park_secret_credentials_get_type ())

G_DECLARE_FINAL_TYPE (ParkSecretCredentials, park_secret_credentials, PARK, SECRET_CREDENTIALS,
                      GObject)

ParkCredentials *park_secret_credentials_new           (void);
gboolean         park_secret_credentials_get_available (ParkSecretCredentials *self);
guint            park_secret_credentials_get_timeout   (ParkSecretCredentials *self);
void             park_secret_credentials_set_timeout   (ParkSecretCredentials *self,
                                                        guint                  timeout_s);

G_END_DECLS
