/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * main.c: parkade-tui, the attendant's console at the booth.
 *
 *   parkade-tui [--backend URL] [--lot LOT] [--user EMAIL] [--config FILE]
 *
 * Logs go to a file under the user state directory while curses owns the terminal, never
 * onto the screen (htop redirects stderr in CRT_init; tig has a trace file).
 */
#include "config.h"

#include "tui-screen.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

static FILE *log_file;

static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         data)
{
  g_autofree char *line = NULL;

  if (log_file == NULL)
    return G_LOG_WRITER_UNHANDLED;
  /* Debug messages only when asked for, as GLib's default writer does. */
  if ((level & G_LOG_LEVEL_DEBUG) && g_getenv ("G_MESSAGES_DEBUG") == NULL)
    return G_LOG_WRITER_HANDLED;
  line = g_log_writer_format_fields (level, fields, n_fields, FALSE);
  fprintf (log_file, "%s\n", line);
  fflush (log_file);
  return G_LOG_WRITER_HANDLED;
}

/* Opens the log and points stderr at it, so that nothing a library prints lands on the
 * screen. Returns the path, or NULL when it cannot be opened (then logs are dropped). */
static char *
open_log (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_state_dir (), "parkade", NULL);
  char *path = g_build_filename (dir, "parkade-tui.log", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0 || (log_file = g_fopen (path, "ae")) == NULL)
    {
      g_free (path);
      return NULL;
    }
  if (isatty (STDERR_FILENO))
    dup2 (fileno (log_file), STDERR_FILENO);
  return path;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *backend = NULL, *lot = NULL, *user = NULL, *config_path = NULL;
  g_autofree char *log_path = NULL;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "backend", 'b', 0, G_OPTION_ARG_STRING, &backend,
      N_("The parkd server, e.g. https://parkd.example.org/"), N_("URL") },
    { "lot", 'l', 0, G_OPTION_ARG_STRING, &lot,
      N_("The booth's lot: its id, or a part of its name"), N_("LOT") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user, N_("The attendant's e-mail address"),
      N_("EMAIL") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      N_("Settings file (default: parkade/parkade-tui.conf in the config directory)"),
      N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Show the version"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TuiConfig) config = NULL;
  TuiScreen *screen;
  int status;

  setlocale (LC_ALL, "");
  /* Uninstalled (build-aux/dev run, the tests), the translations are in the build's po/. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PARKADE_LOCALEDIR") != NULL
                                   ? g_getenv ("PARKADE_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("— the attendant's console at the booth"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("parkade-tui: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("parkade-tui %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (!isatty (STDIN_FILENO) || !isatty (STDOUT_FILENO))
    {
      g_printerr (_("parkade-tui: this console needs a terminal\n"));
      return 2;
    }
  config = tui_config_load (config_path, &error);
  if (config == NULL)
    {
      g_printerr ("parkade-tui: %s\n", error->message);
      return 2;
    }

  /* The command line, then the environment, then the booth's settings, then this machine. */
  if (backend == NULL)
    backend = g_strdup (g_getenv ("PARKADE_BACKEND"));
  if (backend == NULL)
    backend = g_strdup (config->backend);
  if (backend == NULL)
    backend = g_strdup ("http://127.0.0.1:8080/");
  if (lot == NULL)
    lot = g_strdup (config->lot);
  if (user == NULL)
    user = g_strdup (config->user);
  if (!g_str_has_suffix (backend, "/"))
    {
      char *with_slash = g_strconcat (backend, "/", NULL);

      g_free (backend);
      backend = with_slash;
    }
  log_path = open_log ();
  g_log_set_writer_func (log_writer, NULL, NULL);
  g_message ("parkade-tui %s starting: server %s, lot %s", PACKAGE_VERSION, backend,
             lot != NULL ? lot : "(to choose)");

  screen = tui_screen_new (backend, lot, user, config);
  status = tui_screen_run (screen);
  tui_screen_free (screen);
  g_message ("parkade-tui stopped");
  if (log_file != NULL)
    fclose (log_file);
  return status;
}
