/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-password.h: argon2id password hashes (libsodium) and the password policy.
 *
 * A hash takes about 60 ms and 19 MiB: call these only from the blocking pool, never from an
 * event loop.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PARKD_PASSWORD_MIN_CHARS 10
#define PARKD_PASSWORD_MAX_BYTES 256

char     *parkd_password_hash          (const char  *password,
                                        GError     **error);
/* TRUE when @password matches @hash. */
gboolean  parkd_password_verify        (const char  *hash,
                                        const char  *password);
/* Burns the same time as a real check, so an unknown account answers as slowly as a
 * wrong password. */
void      parkd_password_verify_dummy  (const char  *password);
gboolean  parkd_password_needs_rehash  (const char  *hash);

/* NULL when @password may be used, else a sentence saying why not. */
char     *parkd_password_check_policy  (const char  *password,
                                        const char  *email);

G_END_DECLS
