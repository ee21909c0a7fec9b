/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-test-app.h: waiting on the real widgets, shared by the app's tests.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* How long a widget test waits for something at most, before scaling for slow builds. */
#define PARK_TEST_APP_WAIT_S 30

/* A condition on a test's fixture and a datum. */
typedef gboolean (*ParkTestAppCondition) (gpointer fixture,
                                          gpointer data);

/* Runs the main context until @condition holds, failing the test (naming @what) after
 * PARK_TEST_APP_WAIT_S seconds, scaled by PARK_TEST_TIMEOUT_MULTIPLIER. */
void park_test_app_wait_until (ParkTestAppCondition  condition,
                               gpointer              fixture,
                               gpointer              data,
                               const char           *what);
/* Lets the window draw and settle for @ms (for screenshots; no assertion depends on it). */
void park_test_app_settle     (guint                 ms);
/* With PARK_TEST_SCREENSHOTS=DIR, the screen saved as DIR/@name (ImageMagick's import). */
void park_test_app_screenshot (const char           *name);
/* The button that does @action_name inside @widget (a depth-first walk), or NULL. */
GtkWidget *park_test_app_find_action_button (GtkWidget  *widget,
                                             const char *action_name);

G_END_DECLS
