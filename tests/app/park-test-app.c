/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-test-app.c: waiting on the real widgets, finding them, and what the app's tests share.
 */
#include "config.h"

#include "park-test-app.h"
#include "park-test-backend.h"
#include "park-test-utils.h"
#include "park-window-private.h"

#include <stdlib.h>

char *
park_test_app_init (int    *argc,
                    char ***argv)
{
  char *cache = g_dir_make_tmp ("park-app-test-cache-XXXXXX", NULL);

  g_assert_nonnull (cache);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_init (argc, argv, NULL);
  gtk_init ();
  adw_init ();
  return cache;
}

void
park_test_app_wait_longer (ParkTestAppCondition  condition,
                           gpointer              fixture,
                           gpointer              data,
                           guint                 seconds,
                           const char           *what)
{
  guint wait_s = (seconds + PARK_TEST_APP_WAIT_S) * park_test_timeout_multiplier ();
  gint64 deadline = g_get_monotonic_time () + (gint64) wait_s * G_USEC_PER_SEC;

  while (!condition (fixture, data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Waited %u s in vain for %s", wait_s, what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

void
park_test_app_wait_until (ParkTestAppCondition  condition,
                          gpointer              fixture,
                          gpointer              data,
                          const char           *what)
{
  park_test_app_wait_longer (condition, fixture, data, 0, what);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
park_test_app_settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

void
park_test_app_screenshot (const char *name)
{
  const char *dir = g_getenv ("PARK_TEST_SCREENSHOTS");
  g_autofree char *path = NULL;
  g_autofree char *cmd = NULL;

  if (dir == NULL)
    return;
  park_test_app_settle (1500);
  path = g_build_filename (dir, name, NULL);
  cmd = g_strdup_printf ("import -window root %s", path);
  if (system (cmd) != 0)
    g_test_message ("Could not save %s", path);
}

GtkWidget *
park_test_app_find_action_button (GtkWidget  *widget,
                                  const char *action_name)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = park_test_app_find_action_button (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
park_test_app_find_by_class (GtkWidget  *widget,
                             const char *name)
{
  if (gtk_widget_has_css_class (widget, name))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = park_test_app_find_by_class (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

gpointer
park_test_app_find_named (GListModel *model,
                          const char *property,
                          const char *value)
{
  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_autofree char *text = NULL;

      g_object_get (item, property, &text, NULL);
      if (g_strcmp0 (text, value) == 0)
        return item;
    }
  return NULL;
}

AdwMessageDialog *
park_test_app_message_dialog (void)
{
  GList *toplevels = gtk_window_list_toplevels ();
  AdwMessageDialog *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (toplevels);
  return found;
}

void
park_test_app_respond (const char *response)
{
  AdwMessageDialog *dialog = park_test_app_message_dialog ();

  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* @label, as laid out in the window, draws @key and nothing more: it wraps (a key is longer
 * than a dialog is wide) and draws no hyphen where it breaks, since a key may hold "-" itself
 * and whoever types it off the screen would type a drawn one too. */
static void
assert_drawn_verbatim (GtkLabel   *label,
                       const char *key)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  PangoLayoutIter *iter;
  PangoLayout *layout;
  int glyphs = 0;

  while (gtk_widget_get_width (GTK_WIDGET (label)) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (label)), >, 0);
  layout = gtk_label_get_layout (label);
  g_assert_cmpint (pango_layout_get_line_count (layout), >, 1);
  iter = pango_layout_get_iter (layout);
  do
    {
      PangoLayoutRun *run = pango_layout_iter_get_run_readonly (iter);

      if (run != NULL)
        glyphs += run->glyphs->num_glyphs;
    }
  while (pango_layout_iter_next_run (iter));
  pango_layout_iter_free (iter);
  g_assert_cmpint (glyphs, ==, g_utf8_strlen (key, -1));
}

void
park_test_app_assert_key_dialog (const char *key)
{
  AdwMessageDialog *dialog = park_test_app_message_dialog ();
  GtkWidget *extra, *copy;

  g_assert_nonnull (dialog);
  extra = adw_message_dialog_get_extra_child (dialog);
  copy = gtk_widget_get_last_child (extra);
  g_assert_true (GTK_IS_BUTTON (copy));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (extra))), ==, key);
  assert_drawn_verbatim (GTK_LABEL (gtk_widget_get_first_child (extra)), key);
  g_signal_emit_by_name (copy, "clicked");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (copy)), ==, "Copied");
}

GSettings *
park_test_app_settings_new (ParkTestTileServer *tiles)
{
  GSettings *settings = g_settings_new (APP_ID);

  g_settings_reset (settings, "has-saved-view");
  g_settings_set_string (settings, "tile-url-template",
                         park_test_tile_server_get_template (tiles));
  g_settings_set_string (settings, "tile-mbtiles", "");
  return settings;
}

char *
park_test_app_altmarkt_id (ParkClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) lots = NULL;
  g_autoptr(ParkLot) lot = NULL;

  park_client_search_lots_near_async (client, 51.0497, 13.7388, 50, PARK_SPOT_TYPE_ANY, 0, 1,
                                      NULL, park_test_result_cb, &result);
  lots = park_client_search_lots_finish (client, park_test_await (&result, PARK_TEST_APP_WAIT_S),
                                         &error);
  g_assert_no_error (error);
  lot = g_list_model_get_item (lots, 0);
  g_assert_cmpstr (park_lot_get_name (lot), ==, "Tiefgarage Altmarkt");
  return g_strdup (park_lot_get_id (lot));
}

ParkReservation *
park_test_app_fetch_reservation (ParkClient *client,
                                 const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ParkReservation *res;

  park_client_get_reservation_async (client, id, NULL, park_test_result_cb, &result);
  res = park_client_get_reservation_finish (client,
                                            park_test_await (&result, PARK_TEST_APP_WAIT_S),
                                            &error);
  g_assert_no_error (error);
  return res;
}

void
park_test_app_register (ParkClient *client,
                        const char *email,
                        const char *password)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  park_client_register_async (client, email, password, "Dora", "Driver", NULL, NULL,
                              park_test_result_cb, &result);
  park_client_register_finish (client, park_test_await (&result, PARK_TEST_APP_WAIT_S), &error);
  g_assert_no_error (error);
}

char *
park_test_app_operator_token (ParkTestBackend *backend,
                              const char      *email,
                              const char      *password)
{
  const char * const args[] = {
    "--email", email, "--role", "operator", "--operator", "dresden-parking", NULL
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autoptr(ParkTestResponse) login = NULL;

  g_assert_cmpint (park_test_user_add (backend, args, password), ==, 0);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  login = park_test_call (backend, NULL, "POST", "api/v1/auth/login", body);
  g_assert_cmpuint (login->status, ==, 200);
  return g_strdup (json_object_get_string_member (park_test_response_object (login),
                                                  "access_token"));
}

static ParkBookingPage *
booking_page (gpointer window)
{
  return _park_window_get_booking_page (PARK_WINDOW (window));
}

gboolean
park_test_app_has_quote (gpointer window,
                         gpointer data)
{
  return park_booking_page_get_quote (booking_page (window)) != NULL;
}

gboolean
park_test_app_booking_in_view (gpointer window,
                               gpointer view)
{
  return g_strcmp0 (park_booking_page_get_view (booking_page (window)), view) == 0;
}

gboolean
park_test_app_waiting_for_card (gpointer window,
                                gpointer data)
{
  g_assert_null (park_booking_page_get_error (booking_page (window)));
  return park_test_app_booking_in_view (window, (gpointer) "card") &&
         park_booking_page_get_checkout_url (booking_page (window)) != NULL;
}

gboolean
park_test_app_on_start_screen (gpointer window,
                               gpointer data)
{
  ParkLotPage *page = _park_window_get_lot_page (PARK_WINDOW (window));

  return g_strcmp0 (_park_window_get_page_name (window), "lot") == 0 &&
         park_lot_page_get_lot (page) != NULL && park_lot_page_get_n_spots (page) > 0;
}

gboolean
park_test_app_sign_in_shown (gpointer window,
                             gpointer data)
{
  GList *toplevels = gtk_window_list_toplevels ();
  gboolean found = FALSE;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (PARK_IS_SIGN_IN_DIALOG (l->data) &&
        gtk_window_get_transient_for (l->data) == GTK_WINDOW (window) &&
        gtk_widget_get_visible (l->data))
      found = TRUE;
  g_list_free (toplevels);
  return found;
}
