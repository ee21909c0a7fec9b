/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "park-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ParkApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* Uninstalled (build-aux/dev run, the tests), the translations are in the build's po/. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PARKADE_LOCALEDIR") != NULL
                                   ? g_getenv ("PARKADE_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = park_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
