/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-test-utils.h: waiting for async calls in tests (libshumate's "run the loop until
 * done", with a time-out that fails the test), accounts made with parkd's own CLI, and
 * locales compiled for a test.
 */
#pragma once

#include <gio/gio.h>

#include "park-test-backend.h"

G_BEGIN_DECLS

/* A GAsyncReadyCallback that keeps the result in *(GAsyncResult **) user_data. */
void          park_test_result_cb   (GObject          *source,
                                     GAsyncResult     *result,
                                     gpointer          user_data);
/* Iterates the main context until *slot is set; fails the test after @timeout_s seconds
 * (times park_test_timeout_multiplier()). */
GAsyncResult *park_test_await       (GAsyncResult    **slot,
                                     guint             timeout_s);
/* Iterates the main context until *flag is TRUE, or fails after @timeout_s seconds. */
void          park_test_await_flag  (gboolean         *flag,
                                     guint             timeout_s);
/* "parkd user add ARGS… --database DB" with @password on standard input; 0 on success. */
int           park_test_user_add    (ParkTestBackend  *backend,
                                     const char * const *args,
                                     const char       *password);
/* Compiles the glibc locale @name ("de_DE.UTF-8") from Debian's locale sources (the locales
 * package) with localedef into a new temporary directory and points LOCPATH at it, so that
 * setlocale (LC_ALL, @name) works on a machine with only C.UTF-8 set up. Returns the
 * directory, for park_test_remove_tree() at the end. Fails the test if it cannot. */
char         *park_test_compile_locale (const char * const *names);

G_END_DECLS
