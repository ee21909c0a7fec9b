/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-test-utils.c: see park-test-utils.h. */
#include "park-test-utils.h"

#include <glib/gstdio.h>
#include <string.h>

void
park_test_result_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

GAsyncResult *
park_test_await (GAsyncResult **slot,
                 guint          timeout_s)
{
  gboolean timed_out = FALSE;
  guint id;

  timeout_s *= park_test_timeout_multiplier ();
  id = g_timeout_add_seconds (timeout_s, timed_out_cb, &timed_out);
  while (*slot == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("An async call did not finish within %u s", timeout_s);
  g_source_remove (id);
  return *slot;
}

void
park_test_await_flag (gboolean *flag,
                      guint     timeout_s)
{
  gboolean timed_out = FALSE;
  guint id;

  timeout_s *= park_test_timeout_multiplier ();
  id = g_timeout_add_seconds (timeout_s, timed_out_cb, &timed_out);
  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Waited %u s in vain", timeout_s);
  g_source_remove (id);
}

int
park_test_user_add (ParkTestBackend    *backend,
                    const char * const *args,
                    const char         *password)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_buf = NULL, *stderr_buf = NULL, *input_path = NULL;
  g_autofree char *input = g_strconcat (password, "\n", NULL);

  g_ptr_array_add (argv, (gpointer) park_test_parkd_path ());
  g_ptr_array_add (argv, (gpointer) "user");
  g_ptr_array_add (argv, (gpointer) "add");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, backend->db_path);
  g_ptr_array_add (argv, NULL);

  /* From a file, not a pipe: parkd may exit before it reads, and a pipe would then fail. */
  input_path = g_build_filename (backend->tmpdir, "user-add-stdin", NULL);
  g_file_set_contents (input_path, input, -1, &error);
  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_stdin_file_path (launcher, input_path);
  g_subprocess_launcher_unsetenv (launcher, "PARKD_CONFIG");
  g_subprocess_launcher_set_child_setup (launcher, park_test_die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_buf, &stderr_buf, &error);
  g_unlink (input_path);
  g_assert_no_error (error);
  g_test_message ("parkd user add: %s%s", stdout_buf, stderr_buf);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

char *
park_test_compile_locale (const char * const *names)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("park-locale-XXXXXX", &error);

  g_assert_no_error (error);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *input = g_strndup (names[i], strcspn (names[i], "."));
      const char *charmap = strchr (names[i], '.') != NULL ? strchr (names[i], '.') + 1 : "UTF-8";
      g_autofree char *out = g_build_filename (dir, names[i], NULL);
      g_autofree char *err = NULL;
      const char *argv[] = { "localedef", "-i", input, "-f", charmap, out, NULL };
      int status = 0;

      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                         &err, &status, &error))
        g_error ("localedef: %s", error->message);
      if (!g_file_test (out, G_FILE_TEST_IS_DIR))
        g_error ("localedef made no %s (is Debian's locales package installed?): %s",
                 names[i], err);
    }
  /* glibc looks here first on every setlocale(). */
  g_setenv ("LOCPATH", dir, TRUE);
  return dir;
}
