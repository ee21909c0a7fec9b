/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-test-app.h: waiting on the real widgets, finding them, and what the app's tests share
 * about the demo city (its operator, the Altmarkt) and the booking page.
 */
#pragma once

#include <adwaita.h>
#include <park-core.h>

#include "park-test-backend.h"
#include "park-test-tiles.h"

G_BEGIN_DECLS

/* g_test_init(), then GTK and libadwaita, with libshumate's tile cache in a new directory
 * (XDG_CACHE_HOME): returned, for park_test_remove_tree() at the end. */
char *park_test_app_init (int    *argc,
                          char ***argv);

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
/* The same, for what takes longer by design (a hold of a minute running out): fails after
 * @seconds plus PARK_TEST_APP_WAIT_S, scaled as above. */
void park_test_app_wait_longer (ParkTestAppCondition  condition,
                                gpointer              fixture,
                                gpointer              data,
                                guint                 seconds,
                                const char           *what);
/* Lets the window draw and settle for @ms (for screenshots; no assertion depends on it). */
void park_test_app_settle     (guint                 ms);
/* With PARK_TEST_SCREENSHOTS=DIR, the screen saved as DIR/@name (ImageMagick's import). */
void park_test_app_screenshot (const char           *name);
/* The button that does @action_name inside @widget (a depth-first walk), or NULL. */
GtkWidget *park_test_app_find_action_button (GtkWidget  *widget,
                                             const char *action_name);

/* The widget inside @widget with CSS class @name, or NULL. */
GtkWidget *park_test_app_find_by_class      (GtkWidget  *widget,
                                             const char *name);
/* The item of @model whose string property @property is @value (a lot's "name", a
 * reservation's "code"), borrowed from the model, or NULL. */
gpointer   park_test_app_find_named         (GListModel *model,
                                             const char *property,
                                             const char *value);

/* The message dialog shown now, or NULL. */
AdwMessageDialog *park_test_app_message_dialog (void);
/* Answers the dialog shown as its button @response does: the response, then it closes. */
void       park_test_app_respond            (const char *response);
/* The dialog that shows a new key once (a sensor's, a kiosk's) shows @key, and its button
 * copies it: the button is clicked and says so. */
void       park_test_app_assert_key_dialog  (const char *key);

/* The app's settings (in memory) for a test: no saved map view, tiles from @tiles. */
GSettings *park_test_app_settings_new       (ParkTestTileServer *tiles);
/* The id of the demo's Tiefgarage Altmarkt, found as a driver finds it (near its place). */
char      *park_test_app_altmarkt_id        (ParkClient *client);
/* The booking @id as @client reads it from parkd now. */
ParkReservation *park_test_app_fetch_reservation (ParkClient *client,
                                                  const char *id);
/* Registers a driver's account through @client, which is then signed in. */
void       park_test_app_register           (ParkClient *client,
                                             const char *email,
                                             const char *password);
/* An operator of the demo's dresden-parking made with `parkd user add`, signed in through the
 * API: the access token. */
char      *park_test_app_operator_token     (ParkTestBackend *backend,
                                             const char      *email,
                                             const char      *password);

/* Conditions for park_test_app_wait_until() on a ParkWindow (passed as the fixture). */
/* The booking page has a quote. */
gboolean   park_test_app_has_quote          (gpointer window,
                                             gpointer data);
/* The booking page shows the view named @view ("form", "guest", "card", …). */
gboolean   park_test_app_booking_in_view    (gpointer window,
                                             gpointer view);
/* The booking page shows Stripe's page as a QR code; asserts it shows no error meanwhile. */
gboolean   park_test_app_waiting_for_card   (gpointer window,
                                             gpointer data);
/* A kiosk's start screen: its lot's page, with the lot's spots. */
gboolean   park_test_app_on_start_screen    (gpointer window,
                                             gpointer data);
/* The sign-in dialog is shown over @window. */
gboolean   park_test_app_sign_in_shown      (gpointer window,
                                             gpointer data);

G_END_DECLS
