/* SPDX-License-Identifier: GPL-3.0-or-later */
/* parkd-handler-accounts.h: what the account handlers share with the admin handlers. */
#pragma once

#include "parkd-reply.h"

G_BEGIN_DECLS

char     *parkd_accounts_read_email      (ParkdRequest    *r,
                                          const char      *field);
gboolean  parkd_accounts_normalise_plate (ParkdRequest    *r,
                                          const char      *text,
                                          char           **display,
                                          char           **normalised);
/* The argon2id hash of a new @password for @email, or NULL with a 400 weak-password (or a
 * 503) answered. Slow: blocking pool only. */
char     *parkd_accounts_hash_new_password (ParkdRequest  *r,
                                          const char      *password,
                                          const char      *email);
void      parkd_json_append_user         (GString         *out,
                                          ParkdKeys       *keys,
                                          const ParkdUser *user);

G_END_DECLS
