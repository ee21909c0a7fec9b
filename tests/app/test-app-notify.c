/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-app-notify.c: the notice a quarter of an hour before a booking ends (issue 7), from the
 * real parkd's live feed to the desktop's notification server, and back to the app when the
 * driver clicks it.
 *
 * The app is the one `parkade` runs (ParkApplication), registered on a private session bus
 * (GTestDBus). On that bus the test is the notification server: it owns
 * org.freedesktop.Notifications and answers the Desktop Notifications Specification's calls
 * as a real server does, so what it records is exactly what GLib's freedesktop backend sends
 * to GNOME Shell or any other. Clicking is the server's ActionInvoked signal.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "park-application.h"
#include "park-core.h"
#include "park-test-app.h"
#include "park-test-backend.h"
#include "park-test-tiles.h"
#include "park-test-utils.h"
#include "park-window.h"
#include "park-window-private.h"

#define PASSWORD  "correct horse battery staple"
#define LOT_NAME  "Tiefgarage Altmarkt"

/* ---- the notification server ---------------------------------------------------------- */

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' name='app_name' direction='in'/>"
  "      <arg type='u' name='replaces_id' direction='in'/>"
  "      <arg type='s' name='app_icon' direction='in'/>"
  "      <arg type='s' name='summary' direction='in'/>"
  "      <arg type='s' name='body' direction='in'/>"
  "      <arg type='as' name='actions' direction='in'/>"
  "      <arg type='a{sv}' name='hints' direction='in'/>"
  "      <arg type='i' name='expire_timeout' direction='in'/>"
  "      <arg type='u' name='id' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'>"
  "      <arg type='u' name='id' direction='in'/>"
  "    </method>"
  "    <method name='GetCapabilities'>"
  "      <arg type='as' name='capabilities' direction='out'/>"
  "    </method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' name='name' direction='out'/>"
  "      <arg type='s' name='vendor' direction='out'/>"
  "      <arg type='s' name='version' direction='out'/>"
  "      <arg type='s' name='spec_version' direction='out'/>"
  "    </method>"
  "    <signal name='ActionInvoked'>"
  "      <arg type='u' name='id'/>"
  "      <arg type='s' name='action_key'/>"
  "    </signal>"
  "    <signal name='NotificationClosed'>"
  "      <arg type='u' name='id'/>"
  "      <arg type='u' name='reason'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

typedef struct
{
  GDBusConnection *bus;
  guint            registration;
  guint            name_id;
  gboolean         owned;
  GPtrArray       *notes;   /* GVariant: the (susssasa{sv}i) of each Notify */
  guint            next_id;
} NoteServer;

static void
note_method_call (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *path,
                  const char            *interface,
                  const char            *method,
                  GVariant              *params,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  NoteServer *server = user_data;

  if (g_str_equal (method, "Notify"))
    {
      g_ptr_array_add (server->notes, g_variant_ref (params));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", ++server->next_id));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", "persistence", NULL };

      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "test-notify", "Parkade",
                                                          "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
name_acquired (GDBusConnection *connection,
               const char      *name,
               gpointer         user_data)
{
  ((NoteServer *) user_data)->owned = TRUE;
}

static void
note_server_start (NoteServer *server)
{
  static const GDBusInterfaceVTable vtable = { note_method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  server->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  server->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  server->registration =
    g_dbus_connection_register_object (server->bus, "/org/freedesktop/Notifications",
                                       info->interfaces[0], &vtable, server, NULL, &error);
  g_assert_no_error (error);
  server->name_id = g_bus_own_name_on_connection (server->bus, "org.freedesktop.Notifications",
                                                  G_BUS_NAME_OWNER_FLAGS_NONE, name_acquired,
                                                  NULL, server, NULL);
  while (!server->owned)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
note_server_stop (NoteServer *server)
{
  g_bus_unown_name (server->name_id);
  g_dbus_connection_unregister_object (server->bus, server->registration);
  g_clear_object (&server->bus);
  g_clear_pointer (&server->notes, g_ptr_array_unref);
}

/* ---- the test ---------------------------------------------------------------------------- */

typedef struct
{
  ParkTestBackend    *backend;
  ParkTestTileServer *tiles;
  NoteServer          server;
  ParkApplication    *app;
  ParkWindow         *window;
} Fixture;

static gboolean
has_lots (gpointer fixture,
          gpointer data)
{
  Fixture *f = fixture;

  return g_list_model_get_n_items (park_window_get_lots (f->window)) > 0;
}

static gboolean
feed_signed_in (gpointer fixture,
                gpointer data)
{
  Fixture *f = fixture;
  ParkClient *client = park_window_get_client (f->window);

  return park_client_get_signed_in (client) &&
         park_live_feed_get_state (park_window_get_live_feed (f->window)) == PARK_LIVE_FEED_STATE_ONLINE;
}

static gboolean
notified (gpointer fixture,
          gpointer data)
{
  Fixture *f = fixture;

  return f->server.notes->len > 0;
}

static gboolean
on_page (gpointer fixture,
         gpointer data)
{
  Fixture *f = fixture;

  return g_strcmp0 (_park_window_get_page_name (f->window), data) == 0;
}

static char *
lot_id_named (Fixture    *f,
              const char *name)
{
  ParkLot *lot = park_test_app_find_named (park_window_get_lots (f->window), "name", name);

  g_assert_nonnull (lot);
  return g_strdup (park_lot_get_id (lot));
}

/* Books the lot's first free regular spot for two hours from now, as the driver; its id. */
static char *
book_now (Fixture    *f,
          const char *email,
          const char *lot_id)
{
  g_autofree char *login_body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"" PASSWORD "\"}",
                                                  email);
  g_autoptr(ParkTestResponse) login = park_test_call (f->backend, NULL, "POST",
                                                      "api/v1/auth/login", login_body);
  g_autoptr(ParkTestResponse) spots = NULL, made = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) end = g_date_time_add_hours (now, 2);
  g_autofree char *start_text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *end_text = g_date_time_format (end, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *path = NULL, *body = NULL;
  JsonArray *items;

  g_assert_cmpuint (login->status, ==, 200);
  spots = park_test_get (f->backend, "api/v1/parking-lots/%s/spots?type=regular&state=available"
                         "&per_page=1", lot_id);
  g_assert_cmpuint (spots->status, ==, 200);
  items = json_object_get_array_member (park_test_response_object (spots), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  path = g_strdup_printf ("api/v1/parking-lots/%s/spots/%s/reserve", lot_id,
                          json_object_get_string_member (json_array_get_object_element (items, 0), "id"));
  body = g_strdup_printf ("{\"start_time\":\"%s\",\"end_time\":\"%s\"}", start_text, end_text);
  made = park_test_call (f->backend,
                         json_object_get_string_member (park_test_response_object (login),
                                                        "access_token"),
                         "POST", path, body);
  g_assert_cmpuint (made->status, ==, 201);
  return g_strdup (json_object_get_string_member (park_test_response_object (made), "id"));
}

static void
test_ending_soon_notifies (void)
{
  static const char * const args[] = { "--demo", "--auth-rate-limit", "0", NULL };
  static const char email[] = "nora@example.org";
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lot_id = NULL, *id = NULL, *sql = NULL;
  g_autofree char *app_name = NULL, *icon = NULL, *summary = NULL, *body = NULL;
  g_autofree const char **actions = NULL;
  g_autoptr(GVariant) hints = NULL;
  guint32 replaces = 0;
  gint32 expires = 0;
  gboolean has_default = FALSE;

  note_server_start (&f->server);
  f->backend = park_test_backend_new ();
  park_test_backend_start (f->backend, args);
  f->tiles = park_test_tile_server_new (0);
  g_settings_set_string (settings, "backend-url", f->backend->url);
  g_settings_set_string (settings, "tile-url-template",
                         park_test_tile_server_get_template (f->tiles));
  g_settings_set_string (settings, "tile-mbtiles", "");

  /* The app as `parkade` starts it: registered on the (private) session bus, activated. */
  f->app = park_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (f->app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (f->app));
  f->window = PARK_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (f->app)));
  g_assert_nonnull (f->window);
  park_test_app_wait_until (has_lots, f, NULL, "the first lots");
  lot_id = lot_id_named (f, LOT_NAME);

  /* The driver signs up in the app; its live feed then carries the driver's own events. */
  park_client_register_async (park_window_get_client (f->window), email, PASSWORD, "Nora",
                              "Driver", NULL, NULL, park_test_result_cb, &result);
  park_client_register_finish (park_window_get_client (f->window),
                               park_test_await (&result, 30), &error);
  g_assert_no_error (error);
  park_test_app_wait_until (feed_signed_in, f, NULL, "the feed signed in");

  /* A booking, paid (as the payment tests do it for real), ending in ten minutes. */
  id = book_now (f, email, lot_id);
  sql = g_strdup_printf ("UPDATE reservations SET status = 'confirmed', hold_until = NULL, "
                         "end_time = strftime ('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now', '+10 minutes') "
                         "WHERE id = '%s'", id);
  park_test_backend_sql (f->backend, sql);
  g_assert_cmpuint (f->server.notes->len, ==, 0);

  /* parkd looks every 15 seconds; the notice reaches the desktop's server. */
  park_test_app_wait_until (notified, f, NULL, "the notification");
  g_assert_cmpuint (f->server.notes->len, ==, 1);
  g_variant_get (g_ptr_array_index (f->server.notes, 0), "(susss^a&s@a{sv}i)", &app_name,
                 &replaces, &icon, &summary, &body, &actions, &hints, &expires);
  g_test_message ("notified: %s: %s (actions %u)", summary, body, g_strv_length ((char **) actions));
  g_assert_cmpstr (summary, ==, _("Your Parking Ends in 15 Minutes"));
  g_assert_cmpstr (body, ==, _("Extend your booking in My Reservations to stay longer."));
  /* Actions come in pairs, key and label; clicking the notice is the "default" key. */
  for (guint i = 0; actions[i] != NULL && actions[i + 1] != NULL; i += 2)
    has_default |= g_str_equal (actions[i], "default");
  g_assert_true (has_default);
  park_test_app_screenshot ("notify-before.png");

  /* The driver clicks it: the app shows My Reservations, with the booking on it. */
  g_assert_cmpstr (_park_window_get_page_name (f->window), !=, "reservations");
  g_dbus_connection_emit_signal (f->server.bus, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", f->server.next_id, "default"), &error);
  g_assert_no_error (error);
  park_test_app_wait_until (on_page, f, (gpointer) "reservations", "My Reservations");

  gtk_window_destroy (GTK_WINDOW (f->window));
  park_test_app_settle (50);
  g_clear_object (&f->app);
  g_clear_pointer (&f->tiles, park_test_tile_server_free);
  g_clear_pointer (&f->backend, park_test_backend_free);
  note_server_stop (&f->server);
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;
  g_autofree char *home = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  /* Nothing of the user's: a private session bus (no keyring on it, so the sign-in stays in
   * memory, as the client does when no Secret Service runs), a cache of its own, and the
   * notification server of the spec, whatever desktop runs the tests. */
  home = g_dir_make_tmp ("park-notify-XXXXXX", NULL);
  g_assert_nonnull (home);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  g_setenv ("GNOTIFICATION_BACKEND", "freedesktop", TRUE);
  /* The display first: GTestDBus unsets DISPLAY (against X11 autolaunch of a bus). */
  gtk_init ();
  adw_init ();
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  g_test_add_func ("/app/notify/ending-soon", test_ending_soon_notifies);
  status = g_test_run ();

  /* Stopped, not torn down, and not unreffed (its dispose tears down): GTK and the app's
   * GNotification backend keep the bus connection until the process ends, which
   * g_test_dbus_down() would wait for in vain. */
  g_test_dbus_stop (bus);
  park_test_remove_tree (home);
  return status;
}
