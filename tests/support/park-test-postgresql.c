/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-test-postgresql.c: one PostgreSQL cluster per test process, started on first use.
 *
 * The server runs as a child of the test (not daemonised by pg_ctl), so the kernel kills it
 * with the test if the test aborts; databases are cloned from a template that already has
 * the extensions, which takes a fraction of creating them each time.
 */
#include "park-test-postgresql.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#define READY_TIMEOUT_S 60

typedef struct
{
  char        *dir;      /* data in dir/data, the socket in dir */
  guint        port;
  GSubprocess *server;
  guint        n_databases;
  uid_t        uid;      /* whom initdb and postgres run as; our own uid unless root */
  gid_t        gid;
  GSubprocess *reaper;   /* removes dir once this process is gone */
} Cluster;

static Cluster *cluster;

gboolean
park_test_postgresql_wanted (void)
{
  return g_strcmp0 (g_getenv ("PARK_TEST_STORE"), "postgresql") == 0;
}

/* PostgreSQL's programs: PARK_TEST_PG_BINDIR (meson sets it from pg_config), else Debian's. */
static char *
pg_program (const char *name)
{
  const char *dir = g_getenv ("PARK_TEST_PG_BINDIR");

  return g_build_filename (dir != NULL && *dir != '\0' ? dir : "/usr/lib/postgresql/15/bin",
                          name, NULL);
}

/* In the child, before exec: become the cluster's user, then die with the test. The death
 * signal is set after setuid(), which clears it. */
static void
child_setup (gpointer data)
{
  Cluster *c = data;

  if (geteuid () == 0 && c->uid != 0)
    {
      if (setgroups (0, NULL) != 0 || setgid (c->gid) != 0 || setuid (c->uid) != 0)
        _exit (127);
    }
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocessLauncher *
launcher_new (Cluster *c)
{
  GSubprocessLauncher *launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);

  g_subprocess_launcher_set_child_setup (launcher, child_setup, c, NULL);
  /* The server and its tools speak C to us, whatever the test's locale. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "PGDATABASE");
  g_subprocess_launcher_unsetenv (launcher, "PGHOST");
  g_subprocess_launcher_unsetenv (launcher, "PGPORT");
  return launcher;
}

/* Runs a PostgreSQL tool as the cluster's user; returns its exit status and output. */
static int
run_tool (Cluster             *c,
          const char * const  *argv,
          char               **output)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (c);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_subprocess_launcher_set_cwd (launcher, c->dir);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (output != NULL)
    *output = g_steal_pointer (&out);
  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

static char *
database_uri (Cluster    *c,
              const char *name)
{
  return g_strdup_printf ("postgresql:///%s?host=%s&port=%u&user=postgres", name, c->dir,
                          c->port);
}

static int
psql (Cluster     *c,
      const char  *uri,
      const char  *sql,
      char       **output)
{
  g_autofree char *program = pg_program ("psql");
  /* Not quiet: the command tag ("UPDATE 1") says how many rows a change touched. */
  const char *argv[] = { program, "-X", "-v", "ON_ERROR_STOP=1", "-d", uri, "-c", sql, NULL };

  return run_tool (c, argv, output);
}

/* A loopback port nobody listens on right now. */
static guint
free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

/* In the reaper, before sh: a session of its own, out of the test's process group, which
 * meson kills whole (SIGTERM, then SIGKILL) when a test times out or is interrupted. */
static void
reaper_setup (gpointer data)
{
  setsid ();
}

/* Removes the cluster's directory once this process has ended, however it ended: a test
 * that aborts runs no atexit(), a test meson kills takes its process group with it, and a
 * cluster is a hundred megabytes and more. The reaper reads its standard input, a pipe only
 * this process holds (close-on-exec), to its end; postgres dies with the test, and its
 * backends follow it within a moment. It writes nowhere the test's reader (meson) waits on. */
static void
start_reaper (Cluster *c)
{
  static const char script[] =
    "cat > /dev/null\n"
    "pid=$(head -n 1 \"$1/data/postmaster.pid\" 2>/dev/null)\n"
    "for i in $(seq 50); do\n"
    "  if [ -z \"$pid\" ] || ! kill -0 \"$pid\" 2>/dev/null; then break; fi\n"
    "  sleep 0.1\n"
    "done\n"
    "for i in 1 2 3 4 5; do rm -rf \"$1\" 2>/dev/null && break; sleep 0.2; done\n";
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_set_child_setup (launcher, reaper_setup, NULL, NULL);
  c->reaper = g_subprocess_launcher_spawn (launcher, &error, "sh", "-c", script,
                                           "park-test-pg-reaper", c->dir, NULL);
  g_assert_no_error (error);
}

static void
cluster_stop (void)
{
  if (cluster == NULL)
    return;
  if (cluster->server != NULL)
    {
      /* Immediate shutdown: nothing in a test cluster needs keeping. */
      g_subprocess_send_signal (cluster->server, SIGQUIT);
      g_subprocess_wait (cluster->server, NULL, NULL);
      g_clear_object (&cluster->server);
    }
  remove_tree (cluster->dir);
  g_free (cluster->dir);
  /* Nothing left for it: its standard input ends, and it exits. */
  g_clear_object (&cluster->reaper);
  g_clear_pointer (&cluster, g_free);
}

/* postgres on the cluster's port as a child of the test, and waits until it answers. */
static void
server_start (Cluster *c)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *postgres = pg_program ("postgres");
  g_autofree char *data = g_build_filename (c->dir, "data", NULL);
  g_autofree char *log = g_build_filename (c->dir, "postgres.log", NULL);
  g_autofree char *port = g_strdup_printf ("%u", c->port);
  g_autofree char *socket_dir = g_strdup_printf ("unix_socket_directories=%s", c->dir);
  g_autofree char *admin = database_uri (c, "postgres");
  g_autofree char *out = NULL;
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (c);
  const char *argv[] = {
    postgres, "-D", data, "-p", port,
    "-c", "listen_addresses=127.0.0.1", "-c", socket_dir,
    /* A test cluster keeps nothing after the test: no waiting for the disk. */
    "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
    "-c", "max_connections=200", "-c", "shared_buffers=32MB",
    NULL
  };
  gint64 deadline;

  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  c->server = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  /* Ready once psql gets in. */
  deadline = g_get_monotonic_time () + READY_TIMEOUT_S * G_TIME_SPAN_SECOND;
  while (psql (c, admin, "SELECT 1", &out) != 0)
    {
      g_autofree char *server_log = NULL;

      g_clear_pointer (&out, g_free);
      if (g_get_monotonic_time () > deadline || g_subprocess_get_identifier (c->server) == NULL)
        {
          g_file_get_contents (log, &server_log, NULL, NULL);
          g_error ("PostgreSQL did not start:\n%s", server_log != NULL ? server_log : "");
        }
      g_usleep (50 * 1000);
    }
}

void
park_test_postgresql_restart (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (cluster);
  /* Fast shutdown: the server ends every client's connection, as in a failover, but writes
   * out what the test cluster, not durable (synchronous_commit off), had not yet. */
  g_subprocess_send_signal (cluster->server, SIGINT);
  g_subprocess_wait (cluster->server, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&cluster->server);
  server_start (cluster);
}

static void
cluster_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *initdb = pg_program ("initdb");
  g_autofree char *data = NULL, *out = NULL, *admin = NULL, *template = NULL;
  Cluster *c;

  c = cluster = g_new0 (Cluster, 1);
  c->uid = geteuid ();
  c->gid = getegid ();
  if (c->uid == 0)
    {
      /* PostgreSQL refuses to run as root. */
      const char *user = g_getenv ("PARK_TEST_PG_USER");
      struct passwd *pw = getpwnam (user != NULL ? user : "postgres");

      if (pw == NULL)
        g_error ("running as root, the cluster needs the unprivileged user \"%s\" "
                 "(apt-get install postgresql creates \"postgres\")",
                 user != NULL ? user : "postgres");
      c->uid = pw->pw_uid;
      c->gid = pw->pw_gid;
    }

  c->dir = g_dir_make_tmp ("parkd-pg-XXXXXX", &error);
  g_assert_no_error (error);
  start_reaper (c);
  /* The test (root, or the cluster's own user) reaches the socket; nobody else writes. */
  g_assert_cmpint (g_chmod (c->dir, 0755), ==, 0);
  if (geteuid () == 0)
    g_assert_cmpint (chown (c->dir, c->uid, c->gid), ==, 0);
  data = g_build_filename (c->dir, "data", NULL);

  {
    const char *argv[] = { initdb, "--no-sync", "--auth=trust", "--username=postgres",
                           "--encoding=UTF8", "--locale=C", "-D", data, NULL };

    if (run_tool (c, argv, &out) != 0)
      g_error ("initdb failed:\n%s", out);
    g_clear_pointer (&out, g_free);
  }

  c->port = free_port ();
  server_start (c);
  atexit (cluster_stop);
  admin = database_uri (c, "postgres");

  if (psql (c, admin, "CREATE DATABASE parkd_template", &out) != 0)
    g_error ("CREATE DATABASE: %s", out);
  g_clear_pointer (&out, g_free);
  template = database_uri (c, "parkd_template");
  if (psql (c, template, "CREATE EXTENSION postgis; CREATE EXTENSION btree_gist", &out) != 0)
    g_error ("the PostGIS and btree_gist extensions are needed "
             "(apt-get install postgresql-15-postgis-3):\n%s", out);
  g_test_message ("PostgreSQL cluster in %s on port %u", c->dir, c->port);
}

char *
park_test_postgresql_new_database (void)
{
  g_autofree char *name = NULL, *sql = NULL, *admin = NULL, *out = NULL;

  if (cluster == NULL)
    cluster_start ();
  name = g_strdup_printf ("parkd_test_%u", ++cluster->n_databases);
  sql = g_strdup_printf ("CREATE DATABASE %s TEMPLATE parkd_template", name);
  admin = database_uri (cluster, "postgres");
  if (psql (cluster, admin, sql, &out) != 0)
    g_error ("%s: %s", sql, out);
  return database_uri (cluster, name);
}

void
park_test_postgresql_sql (const char *uri,
                          const char *sql)
{
  park_test_postgresql_changes (uri, sql);
}

gint64
park_test_postgresql_changes (const char *uri,
                              const char *sql)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) words = NULL;
  guint n;

  g_assert_nonnull (cluster);
  g_test_message ("psql: %s", sql);
  if (psql (cluster, uri, sql, &out) != 0)
    g_error ("psql: %s\n%s", sql, out);
  /* The last word of the command tag: "UPDATE 1", "DELETE 0", "INSERT 0 1". */
  words = g_strsplit_set (g_strstrip (out), " \n", -1);
  n = g_strv_length (words);
  return n > 0 ? g_ascii_strtoll (words[n - 1], NULL, 10) : -1;
}

void
park_test_postgresql_dump (const char *uri,
                           const char *path)
{
  g_autofree char *program = pg_program ("pg_dump");
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { program, "--no-owner", "-d", uri, NULL };

  g_assert_nonnull (cluster);
  if (run_tool (cluster, argv, &out) != 0)
    g_error ("pg_dump: %s", out);
  g_file_set_contents (path, out, -1, &error);
  g_assert_no_error (error);
}

char *
park_test_postgresql_value (const char *uri,
                            const char *sql)
{
  return park_test_postgresql_rows (uri, sql);
}

char *
park_test_postgresql_rows (const char *uri,
                           const char *sql)
{
  g_autofree char *program = pg_program ("psql");
  g_autofree char *out = NULL;
  const char *argv[] = { program, "-X", "-q", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1",
                         "-d", uri, "-c", sql, NULL };

  g_assert_nonnull (cluster);
  g_test_message ("psql: %s", sql);
  if (run_tool (cluster, argv, &out) != 0)
    g_error ("psql: %s\n%s", sql, out);
  return g_strdup (g_strstrip (out));
}
