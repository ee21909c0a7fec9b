/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-app-i18n.c: the app in German (issue 9). In a German locale (de_DE.UTF-8, compiled
 * for the test) with the build's translations, the real window against the real parkd shows
 * German: the words on its widgets are the German catalogue's, the English ones are gone,
 * and prices are written as Germans write them (2,50 €, not 2.50 €).
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "park-core.h"
#include "park-test-backend.h"
#include "park-test-utils.h"
#include "park-window.h"

/* Every label, button label, title and placeholder of @widget and what it holds. */
static void
collect_texts (GtkWidget  *widget,
               GPtrArray  *texts)
{
  static const char * const properties[] = {
    "label", "placeholder-text", "title", "subtitle", "tooltip-text", NULL
  };

  for (guint i = 0; properties[i] != NULL; i++)
    {
      GParamSpec *spec = g_object_class_find_property (G_OBJECT_GET_CLASS (widget),
                                                       properties[i]);
      g_autofree char *text = NULL;

      if (spec == NULL || spec->value_type != G_TYPE_STRING)
        continue;
      g_object_get (widget, properties[i], &text, NULL);
      if (text != NULL && *text != '\0')
        g_ptr_array_add (texts, g_steal_pointer (&text));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

/* How many labels of the lots' list are drawn, and how many of those are cut off ("…"). */
static void
count_list_labels (GtkWidget *widget,
                   guint     *drawn,
                   guint     *cut)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_VIEW) != NULL)
    {
      (*drawn)++;
      if (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
        {
          g_test_message ("Cut off: %s", gtk_label_get_label (GTK_LABEL (widget)));
          (*cut)++;
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count_list_labels (child, drawn, cut);
}

static gboolean
shows (GPtrArray  *texts,
       const char *text)
{
  for (guint i = 0; i < texts->len; i++)
    if (strstr (g_ptr_array_index (texts, i), text) != NULL)
      return TRUE;
  return FALSE;
}

/* The first text that matches @pattern, or NULL. */
static const char *
shows_match (GPtrArray  *texts,
             const char *pattern)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, NULL);

  g_assert_nonnull (regex);
  for (guint i = 0; i < texts->len; i++)
    if (g_regex_match (regex, g_ptr_array_index (texts, i), 0, NULL))
      return g_ptr_array_index (texts, i);
  return NULL;
}

static void
test_window_in_german (void)
{
  static const char * const args[] = { "--demo", NULL };
  static const char * const english[] = {
    "Search by name or address", "My Reservations", "Open now", NULL
  };
  g_autoptr(ParkTestBackend) backend = park_test_backend_new ();
  g_autoptr(ParkCredentials) credentials = park_memory_credentials_new ();
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(ParkClient) client = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  ParkWindow *window;
  gint64 deadline;

  park_test_backend_start (backend, args);
  settings = g_settings_new (APP_ID);
  /* No tiles from the internet: the map's own banner says so, in German too. */
  g_settings_set_string (settings, "tile-url-template", "http://127.0.0.1:9/{z}/{x}/{y}.png");
  client = park_client_new (backend->url, credentials);
  window = park_window_new (NULL, client, settings);
  gtk_window_present (GTK_WINDOW (window));

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC * park_test_timeout_multiplier ();
  while (g_list_model_get_n_items (park_window_get_lots (window)) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  collect_texts (GTK_WIDGET (window), texts);
  for (guint i = 0; english[i] != NULL; i++)
    {
      const char *german = _(english[i]);

      g_test_message ("%s → %s", english[i], german);
      /* The catalogue is there, and has this one in German. */
      g_assert_cmpstr (german, !=, english[i]);
      g_assert_true (shows (texts, german));
      g_assert_false (shows (texts, english[i]));
    }
  /* The lots' prices: a decimal comma before the euro sign, never a point. */
  g_test_message ("a price: %s", shows_match (texts, "[0-9],[0-9][0-9]"));
  g_assert_nonnull (shows_match (texts, "[0-9],[0-9][0-9]\\s?€"));
  g_assert_null (shows_match (texts, "[0-9]\\.[0-9][0-9]\\s?€"));

  /* German's longer words wrap in the lots' rows at the default size; nothing is cut off. */
  {
    guint drawn = 0, cut = 0;

    gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
    for (guint i = 0; i < 20; i++)
      g_main_context_iteration (NULL, FALSE);
    count_list_labels (GTK_WIDGET (window), &drawn, &cut);
    g_assert_cmpuint (drawn, >, 0);
    g_assert_cmpuint (cut, ==, 0);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  static const char * const locales[] = { "de_DE.UTF-8", NULL };
  g_autofree char *locale_dir = NULL;
  int status;

  /* As a German desktop starts it: a German locale, German messages. */
  locale_dir = park_test_compile_locale (locales);
  g_setenv ("LC_ALL", "de_DE.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "de", TRUE);
  g_assert_nonnull (setlocale (LC_ALL, ""));
  g_assert_nonnull (g_getenv ("PARKADE_LOCALEDIR"));
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PARKADE_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  g_test_add_func ("/app/i18n/window-in-german", test_window_in_german);
  status = g_test_run ();
  park_test_remove_tree (locale_dir);
  return status;
}
