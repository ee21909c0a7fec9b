/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-test-app.c: waiting on the real widgets, shared by the app's tests.
 */
#include "config.h"

#include "park-test-app.h"
#include "park-test-backend.h"

#include <stdlib.h>

void
park_test_app_wait_until (ParkTestAppCondition  condition,
                          gpointer              fixture,
                          gpointer              data,
                          const char           *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) PARK_TEST_APP_WAIT_S *
                    park_test_timeout_multiplier () * G_USEC_PER_SEC;

  while (!condition (fixture, data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Waited %d s in vain for %s", PARK_TEST_APP_WAIT_S, what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
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
