/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-credentials.c: the in-memory store keeps one token per server and account; the
 * libsecret store, on a machine without a session bus and on a bus without a Secret Service,
 * says so once, fails fast after that, and a client using it still signs in and works for
 * the session. Each libsecret case runs in its own subprocess (g_test_trap_subprocess), as
 * GDBus keeps one session bus per process. No test touches a real keyring: the bus here is
 * a private dbus-daemon without any service to start, and the round trip runs a throwaway
 * gnome-keyring on it, in the test's own home.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <park-core.h>

#include "park-test-backend.h"
#include "park-test-utils.h"

#define WAIT_S 30
#define TRAP_US ((guint64) 120 * park_test_timeout_multiplier () * G_USEC_PER_SEC)

static char *
lookup (ParkCredentials *credentials,
        const char      *url,
        const char      *account,
        GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  park_credentials_lookup_async (credentials, url, account, NULL, park_test_result_cb, &result);
  return park_credentials_lookup_finish (credentials, park_test_await (&result, WAIT_S), error);
}

static gboolean
store (ParkCredentials *credentials,
       const char      *url,
       const char      *account,
       const char      *token,
       GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  park_credentials_store_async (credentials, url, account, token, NULL, park_test_result_cb,
                                &result);
  return park_credentials_store_finish (credentials, park_test_await (&result, WAIT_S), error);
}

static gboolean
clear (ParkCredentials *credentials,
       const char      *url,
       const char      *account,
       GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  park_credentials_clear_async (credentials, url, account, NULL, park_test_result_cb, &result);
  return park_credentials_clear_finish (credentials, park_test_await (&result, WAIT_S), error);
}

static void
test_memory (void)
{
  g_autoptr(ParkCredentials) credentials = park_memory_credentials_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *none = NULL, *replaced = NULL, *gone = NULL;

  g_assert_true (store (credentials, "http://a/", "x@example.org", "token-a", &error));
  g_assert_true (store (credentials, "http://b/", "x@example.org", "token-b", &error));
  g_assert_no_error (error);
  a = lookup (credentials, "http://a/", "x@example.org", &error);
  b = lookup (credentials, "http://b/", "x@example.org", &error);
  none = lookup (credentials, "http://a/", "y@example.org", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, "token-a");
  g_assert_cmpstr (b, ==, "token-b");
  g_assert_null (none);

  g_assert_true (store (credentials, "http://a/", "x@example.org", "token-a2", &error));
  replaced = lookup (credentials, "http://a/", "x@example.org", &error);
  g_assert_cmpstr (replaced, ==, "token-a2");
  g_assert_true (clear (credentials, "http://a/", "x@example.org", &error));
  gone = lookup (credentials, "http://a/", "x@example.org", &error);
  g_assert_no_error (error);
  g_assert_null (gone);
}

static void
unavailable_cb (ParkSecretCredentials *credentials,
                const GError          *reason,
                guint                 *count)
{
  g_assert_nonnull (reason);
  (*count)++;
}

static void
remembers_cb (GObject    *client,
              GParamSpec *pspec,
              gboolean   *changed)
{
  *changed = TRUE;
}

/* The store fails, says so once, then fails at once; a client with it works all the same. */
static void
check_degrades (void)
{
  static const char * const demo[] = { "--demo", "--auth-rate-limit", "0", NULL };
  g_autoptr(ParkCredentials) credentials = park_secret_credentials_new ();
  g_autoptr(ParkTestBackend) backend = NULL;
  g_autoptr(ParkClient) client = NULL;
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkUser) me = NULL;
  g_autofree char *token = NULL;
  guint unavailable = 0;
  gboolean changed = FALSE;

  g_signal_connect (credentials, "unavailable", G_CALLBACK (unavailable_cb), &unavailable);
  g_assert_true (park_secret_credentials_get_available (PARK_SECRET_CREDENTIALS (credentials)));

  g_assert_false (store (credentials, "http://a/", "x@example.org", "token", &error));
  g_assert_error (error, PARK_CREDENTIALS_ERROR, PARK_CREDENTIALS_ERROR_UNAVAILABLE);
  g_assert_false (park_secret_credentials_get_available (PARK_SECRET_CREDENTIALS (credentials)));
  g_assert_cmpuint (unavailable, ==, 1);
  g_clear_error (&error);

  /* After that, no asking D-Bus again (whose answer would be in the message) and no second
   * signal. */
  token = lookup (credentials, "http://a/", "x@example.org", &error);
  g_assert_null (token);
  g_assert_error (error, PARK_CREDENTIALS_ERROR, PARK_CREDENTIALS_ERROR_UNAVAILABLE);
  g_assert_cmpstr (error->message, ==, "No keyring is available.");
  g_assert_cmpuint (unavailable, ==, 1);
  g_clear_error (&error);

  /* A client with this store signs in and goes on working, and says it will not remember. */
  backend = park_test_backend_new ();
  park_test_backend_start (backend, demo);
  client = park_client_new (backend->url, credentials);
  g_assert_true (park_client_get_remembers_sign_in (client));
  g_signal_connect (client, "notify::remembers-sign-in", G_CALLBACK (remembers_cb), &changed);
  park_client_register_async (client, "kiosk@example.org", "correct horse battery", NULL, NULL,
                              NULL, NULL, park_test_result_cb, &r1);
  g_assert_true (park_client_register_finish (client, park_test_await (&r1, WAIT_S), &error));
  g_assert_no_error (error);
  park_test_await_flag (&changed, WAIT_S);
  g_assert_false (park_client_get_remembers_sign_in (client));
  g_assert_true (park_client_get_signed_in (client));

  park_client_get_me_async (client, NULL, park_test_result_cb, &r2);
  me = park_client_get_me_finish (client, park_test_await (&r2, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_user_get_email (me), ==, "kiosk@example.org");
  g_assert_cmpuint (unavailable, ==, 1);
}

static void
test_secret_no_bus (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *bus = g_build_filename (g_get_user_runtime_dir (), "bus", NULL);

      /* Nowhere to find a session bus: no address, no $XDG_RUNTIME_DIR/bus (the isolated
       * runtime dir is empty), no display to autolaunch one for. */
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      g_unsetenv ("DISPLAY");
      g_unsetenv ("WAYLAND_DISPLAY");
      g_assert_false (g_file_test (bus, G_FILE_TEST_EXISTS));
      check_degrades ();
      return;
    }
  g_test_trap_subprocess (NULL, TRAP_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A private bus that can start nothing: whatever is installed, no keyring answers. */
/* The private bus's directory, removed when the test's process exits. */
static char *bus_dir;

static void
remove_bus_dir (void)
{
  if (bus_dir != NULL)
    park_test_remove_tree (bus_dir);
}

static GSubprocess *
private_bus (char **address)
{
  g_autofree char *dir = g_dir_make_tmp ("park-bus-XXXXXX", NULL);
  g_autofree char *config = g_build_filename (dir, "session.conf", NULL);
  g_autofree char *contents = g_strdup_printf (
    "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
    " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
    "<busconfig><type>session</type><listen>unix:dir=%s</listen>\n"
    "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
    "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n", dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  GSubprocess *bus;

  g_file_set_contents (config, contents, -1, &error);
  g_assert_no_error (error);
  /* It dies with this process: left behind by a failed assertion, it would hold the test's
   * standard error open, and meson would wait on it until the test's time-out. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, park_test_die_with_parent, NULL, NULL);
  bus = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", "--nofork",
                                     "--print-address=1", "--config-file", config, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bus));
  *address = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*address);
  bus_dir = g_strdup (dir);
  atexit (remove_bus_dir);
  return bus;
}

static void
test_secret_no_service (void)
{
  g_autofree char *daemon = g_find_program_in_path ("dbus-daemon");

  /* build-aux/dev installs it: without it this test must not pass silently. */
  if (daemon == NULL)
    g_error ("dbus-daemon is needed (apt-get install dbus-daemon)");
  if (g_test_subprocess ())
    {
      g_autofree char *address = NULL;
      g_autoptr(GSubprocess) bus = private_bus (&address);

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
      check_degrades ();
      g_subprocess_force_exit (bus);
      return;
    }
  g_test_trap_subprocess (NULL, TRAP_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         data)
{
  *(gboolean *) data = TRUE;
}

/* A throwaway gnome-keyring on the private bus, its login keyring made and unlocked with a
 * password on standard input (QUIRKS.md), in this test's own home. */
static GSubprocess *
throwaway_keyring (char **home_out)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  GSubprocess *keyring;
  gboolean appeared = FALSE;
  guint watch;

  /* Not on the standard output of the test's subprocess, which the parent reads to its end. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  /* Its keyrings and control socket go into directories of its own. */
  home = g_dir_make_tmp ("park-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", home, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, park_test_die_with_parent, NULL, NULL);
  keyring = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon", "--foreground",
                                         "--unlock", "--components=secrets", NULL);
  g_assert_no_error (error);
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (keyring), "throwaway", 9, NULL, NULL,
                             &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (keyring), NULL, &error);
  g_assert_no_error (error);

  watch = g_bus_watch_name (G_BUS_TYPE_SESSION, "org.freedesktop.secrets",
                            G_BUS_NAME_WATCHER_FLAGS_NONE, name_appeared_cb, NULL, &appeared,
                            NULL);
  park_test_await_flag (&appeared, WAIT_S);
  g_bus_unwatch_name (watch);
  *home_out = g_steal_pointer (&home);
  return keyring;
}

static void
test_secret_round_trip (void)
{
  g_autofree char *daemon = g_find_program_in_path ("dbus-daemon");
  g_autofree char *keyring_daemon = g_find_program_in_path ("gnome-keyring-daemon");

  /* build-aux/dev installs both: without them this test must not pass silently. */
  if (daemon == NULL || keyring_daemon == NULL)
    g_error ("dbus-daemon and gnome-keyring-daemon are needed "
             "(apt-get install dbus-daemon gnome-keyring)");
  if (g_test_subprocess ())
    {
      g_autofree char *address = NULL;
      g_autoptr(GSubprocess) bus = private_bus (&address);
      g_autoptr(GSubprocess) keyring = NULL;
      g_autoptr(ParkCredentials) credentials = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *none = NULL, *token = NULL, *other = NULL, *replaced = NULL;
      g_autofree char *gone = NULL;
      g_autofree char *home = NULL;

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
      keyring = throwaway_keyring (&home);
      credentials = park_secret_credentials_new ();

      none = lookup (credentials, "http://a/", "x@example.org", &error);
      g_assert_no_error (error);
      g_assert_null (none);
      g_assert_true (store (credentials, "http://a/", "x@example.org", "token-1", &error));
      g_assert_no_error (error);
      g_assert_true (store (credentials, "http://b/", "x@example.org", "token-b", &error));
      token = lookup (credentials, "http://a/", "x@example.org", &error);
      g_assert_cmpstr (token, ==, "token-1");
      other = lookup (credentials, "http://b/", "x@example.org", &error);
      g_assert_cmpstr (other, ==, "token-b");

      /* A new token replaces the old one rather than joining it. */
      g_assert_true (store (credentials, "http://a/", "x@example.org", "token-2", &error));
      replaced = lookup (credentials, "http://a/", "x@example.org", &error);
      g_assert_cmpstr (replaced, ==, "token-2");

      g_assert_true (clear (credentials, "http://a/", "x@example.org", &error));
      gone = lookup (credentials, "http://a/", "x@example.org", &error);
      g_assert_no_error (error);
      g_assert_null (gone);
      g_assert_true (park_secret_credentials_get_available (PARK_SECRET_CREDENTIALS (credentials)));

      g_subprocess_force_exit (keyring);
      g_subprocess_wait (keyring, NULL, NULL);
      park_test_remove_tree (home);
      g_subprocess_force_exit (bus);
      return;
    }
  g_test_trap_subprocess (NULL, TRAP_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core/credentials/memory", test_memory);
  g_test_add_func ("/core/credentials/secret/no-bus", test_secret_no_bus);
  g_test_add_func ("/core/credentials/secret/no-service", test_secret_no_service);
  g_test_add_func ("/core/credentials/secret/round-trip", test_secret_round_trip);

  return g_test_run ();
}
