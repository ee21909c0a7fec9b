/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-application.c: one ParkClient for the app's life. A desktop keeps an offline cache and
 * the sign-in in the keyring; a kiosk keeps neither, as the next driver must find nothing of
 * the last one.
 */
#include "config.h"

#include "park-application.h"
#include "park-window.h"

#include <glib/gi18n.h>
#include <park-core.h>
#include <string.h>

struct _ParkApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  ParkClient     *client;
  char           *backend_url;
  char           *lot_id;
  char           *kiosk_key_file;
  gboolean        kiosk;
};

G_DEFINE_FINAL_TYPE (ParkApplication, park_application, ADW_TYPE_APPLICATION)

static const GOptionEntry options[] = {
  { "backend", 'b', 0, G_OPTION_ARG_STRING, NULL, N_("The parkd server to use"), N_("URL") },
  { "kiosk", 'k', 0, G_OPTION_ARG_NONE, NULL, N_("Run as a kiosk for drivers at a touch screen"), NULL },
  { "lot", 'l', 0, G_OPTION_ARG_STRING, NULL, N_("Open this lot first"), N_("ID") },
  { "kiosk-key-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("The file holding the kiosk's own key, for drivers without an account"), N_("FILE") },
  { NULL }
};

static int
park_application_handle_local_options (GApplication *app,
                                       GVariantDict *dict)
{
  ParkApplication *self = PARK_APPLICATION (app);
  const char *url = NULL;

  if (g_variant_dict_lookup (dict, "backend", "&s", &url))
    {
      g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                          g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
        {
          g_printerr (_("“%s” is not an http:// or https:// address\n"), url);
          return 1;
        }
      self->backend_url = g_strdup (url);
    }
  g_variant_dict_lookup (dict, "lot", "s", &self->lot_id);
  g_variant_dict_lookup (dict, "kiosk-key-file", "^ay", &self->kiosk_key_file);
  self->kiosk = g_variant_dict_contains (dict, "kiosk");
  return -1;
}

static void
restore_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!park_client_restore_sign_in_finish (PARK_CLIENT (source), result, &error))
    g_debug ("No sign-in restored: %s", error->message);
}

static void
signed_in_cb (ParkClient      *client,
              GParamSpec      *pspec,
              ParkApplication *self)
{
  /* Only the account's name: the tokens stay in the keyring (ParkCredentials). */
  g_settings_set_string (self->settings, "account",
                         park_client_get_signed_in (client) ? park_client_get_account (client) : "");
}

/* The kiosk's own key (issue 7), from the file its operator's key was saved in: with it,
 * drivers without an account book here. It is the device's, so it is read from a file the
 * kiosk's user owns and never put in the keyring. */
static void
load_kiosk_key (ParkApplication *self)
{
  g_autofree char *path = self->kiosk_key_file != NULL
                          ? g_strdup (self->kiosk_key_file)
                          : g_settings_get_string (self->settings, "kiosk-key-file");
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  gsize len = 0;

  if (*path == '\0')
    return;
  if (!g_file_get_contents (path, &key, &len, &error))
    {
      g_printerr (_("The kiosk's key cannot be read, so drivers must sign in to book: %s\n"),
                  error->message);
      return;
    }
  /* An empty file would leave the kiosk without a key as silently as no file at all. */
  if (*g_strstrip (key) == '\0')
    {
      /* Translators: why the kiosk's key cannot be read; %s is the file's path */
      g_autofree char *why = g_strdup_printf (_("The file “%s” is empty"), path);

      g_printerr (_("The kiosk's key cannot be read, so drivers must sign in to book: %s\n"),
                  why);
      return;
    }
  park_client_set_kiosk_key (self->client, key);
  memset (key, 0, len);
}

static void
park_application_activate (GApplication *app)
{
  ParkApplication *self = PARK_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      g_autofree char *url = self->backend_url != NULL
                             ? g_strdup (self->backend_url)
                             : g_settings_get_string (self->settings, "backend-url");
      gboolean kiosk = self->kiosk || g_settings_get_boolean (self->settings, "kiosk");
      g_autoptr(ParkCredentials) credentials = NULL;

      credentials = kiosk ? park_memory_credentials_new () : park_secret_credentials_new ();
      self->client = park_client_new (url, credentials);
      if (!kiosk)
        {
          g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "parkade", NULL);
          g_autofree char *account = g_settings_get_string (self->settings, "account");

          park_client_set_cache_dir (self->client, cache);
          if (*account != '\0')
            park_client_restore_sign_in_async (self->client, account, NULL, restore_cb, NULL);
          g_signal_connect (self->client, "notify::signed-in", G_CALLBACK (signed_in_cb), self);
        }
      if (kiosk)
        load_kiosk_key (self);
      if (kiosk)
        window = GTK_WINDOW (park_window_new_kiosk (GTK_APPLICATION (app), self->client,
                                                    self->settings, self->lot_id));
      else
        {
          window = GTK_WINDOW (park_window_new (GTK_APPLICATION (app), self->client, self->settings));
          if (self->lot_id != NULL)
            park_window_open_lot (PARK_WINDOW (window), self->lot_id);
        }
    }
  gtk_window_present (window);
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { _("The Parkade developers"), NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Parkade"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *window = gtk_application_get_active_window (app);

  if (window != NULL)
    gtk_window_close (window);
  g_application_quit (G_APPLICATION (app));
}

static void
show_reservations_action (GSimpleAction *action,
                          GVariant      *param,
                          gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (user_data);

  if (window != NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-reservations", NULL);
      gtk_window_present (window);
    }
}

static void
park_application_startup (GApplication *app)
{
  static const GActionEntry entries[] = {
    { "about", about_action },
    { "quit", quit_action },
    { "show-reservations", show_reservations_action },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (park_application_parent_class)->startup (app);
  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
park_application_finalize (GObject *object)
{
  ParkApplication *self = PARK_APPLICATION (object);

  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_free (self->backend_url);
  g_free (self->lot_id);
  g_free (self->kiosk_key_file);
  G_OBJECT_CLASS (park_application_parent_class)->finalize (object);
}

static void
park_application_class_init (ParkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = park_application_finalize;
  app_class->handle_local_options = park_application_handle_local_options;
  app_class->activate = park_application_activate;
  app_class->startup = park_application_startup;
}

static void
park_application_init (ParkApplication *self)
{
  self->settings = g_settings_new (APP_ID);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

ParkApplication *
park_application_new (void)
{
  return g_object_new (PARK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/org/parkade/Parkade",
                       NULL);
}
