/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd's command line and configuration: --version and --help, the ready line, stopping on
 * SIGINT and SIGTERM, the default database location, the precedence of key file, environment
 * and command line (each seen through what the running server does), refusal of bad
 * settings before listening, --demo seeding once, and "parkd routes".
 *
 * The fixture in park-test-backend.c always passes --listen and --database, so parkd is
 * spawned here, with the argv and the whole environment under the test's control. Every
 * child gets a temporary directory for its database, dies with the test (PR_SET_PDEATHSIG)
 * and, when it was started as a server, must stop with exit status 0.
 */
#include "park-test-backend.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#define READY_TIMEOUT_MS (20 * 1000)
#define EXIT_TIMEOUT_MS  (10 * 1000)
/* A signalled parkd lets an idle keep-alive client go after a second; this is generous. */
#define STOP_PROMPT_MS   (5 * 1000)

#define NIL_LOT_ID "00000000-0000-4000-8000-000000000000"
#define SMALL_AVAILABILITY "{\"lot_ids\":[\"" NIL_LOT_ID "\"]}"

typedef struct
{
  char  *tmpdir;
  guint  n_spawned;
} Fixture;

/* One parkd started as a server. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  char             *err_path;
  char             *url;      /* "http://127.0.0.1:PORT/" */
  guint             port;
  SoupSession      *session;
  gboolean          exited;
} Parkd;

typedef struct
{
  guint  status;
  char  *body;
  char  *request_id;   /* the X-Request-Id answered */
} Answer;

static void
answer_free (Answer *answer)
{
  if (answer == NULL)
    return;
  g_free (answer->body);
  g_free (answer->request_id);
  g_free (answer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, answer_free)

/* ---------------------------------------------------------------------------------------- */
/* Files                                                                                     */

static char *
tmp_path (Fixture    *f,
          const char *name)
{
  return g_build_filename (f->tmpdir, name, NULL);
}

static char *
write_tmp_file (Fixture    *f,
                const char *name,
                const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = tmp_path (f, name);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmpdir = g_dir_make_tmp ("parkd-cli-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  park_test_remove_tree (f->tmpdir);
  g_free (f->tmpdir);
}

/* ---------------------------------------------------------------------------------------- */
/* Spawning                                                                                  */

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the default main context until *@done or @timeout_ms pass; TRUE when done. */
static gboolean
iterate_until (const gboolean *done,
               guint           timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return *done;
}

/* The test's own environment without any PARKD_* setting, with the isolated XDG_DATA_HOME
 * and HOME given explicitly, then @extra ("NAME=VALUE", NULL-terminated) on top. */
static char **
child_environment (const char * const *extra)
{
  char **env = g_get_environ ();
  g_autoptr(GPtrArray) drop = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; env[i] != NULL; i++)
    if (g_str_has_prefix (env[i], "PARKD_"))
      g_ptr_array_add (drop, g_strndup (env[i], strcspn (env[i], "=")));
  for (guint i = 0; i < drop->len; i++)
    env = g_environ_unsetenv (env, g_ptr_array_index (drop, i));

  env = g_environ_setenv (env, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  env = g_environ_setenv (env, "HOME", g_get_home_dir (), TRUE);

  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (extra[i], "=", 2);

      g_assert_nonnull (pair[1]);
      env = g_environ_setenv (env, pair[0], pair[1], TRUE);
    }
  return env;
}

static GSubprocess *
spawn_parkd (Fixture            *f,
             const char * const *args,
             const char * const *env_extra,
             GSubprocessFlags    flags,
             const char         *stderr_path)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = child_environment (env_extra);
  g_autoptr(GString) shown = g_string_new ("parkd");
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, (gpointer) park_test_parkd_path ());
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (gpointer) args[i]);
      g_string_append_printf (shown, " %s", args[i]);
    }
  g_ptr_array_add (argv, NULL);
  for (guint i = 0; env_extra != NULL && env_extra[i] != NULL; i++)
    g_string_prepend (g_string_prepend_c (shown, ' '), env_extra[i]);
  g_test_message ("spawning %s", shown->str);

  g_subprocess_launcher_set_environ (launcher, env);
  g_subprocess_launcher_set_cwd (launcher, f->tmpdir);
  g_subprocess_launcher_set_child_setup (launcher, park_test_die_with_parent, NULL, NULL);
  if (stderr_path != NULL)
    g_subprocess_launcher_set_stderr_file_path (launcher, stderr_path);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
} Communicated;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  Communicated *c = data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, &c->err,
                                        &c->error);
  c->done = TRUE;
}

/* Runs parkd with @args to its end (a command, or a start that must fail); returns its exit
 * status. A parkd still running after EXIT_TIMEOUT_MS fails the test. */
static int
run_parkd (Fixture            *f,
           const char * const *args,
           const char * const *env_extra,
           char              **out,
           char              **err)
{
  g_autoptr(GSubprocess) process = NULL;
  Communicated c = { FALSE, NULL, NULL, NULL };

  process = spawn_parkd (f, args, env_extra,
                         G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, NULL);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &c);
  if (!iterate_until (&c.done, EXIT_TIMEOUT_MS))
    {
      g_subprocess_force_exit (process);
      c.done = FALSE;
      iterate_until (&c.done, EXIT_TIMEOUT_MS);
      g_error ("parkd was still running after %d ms (it should have exited):\n%s\n%s",
               EXIT_TIMEOUT_MS, c.out != NULL ? c.out : "", c.err != NULL ? c.err : "");
    }
  g_assert_no_error (c.error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_test_message ("exit status %d; stdout: %s; stderr: %s", g_subprocess_get_exit_status (process),
                  c.out, c.err);
  if (out != NULL)
    *out = g_steal_pointer (&c.out);
  if (err != NULL)
    *err = g_steal_pointer (&c.err);
  g_free (c.out);
  g_free (c.err);
  return g_subprocess_get_exit_status (process);
}

typedef struct
{
  gboolean  done;
  char     *line;
} LineRead;

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  LineRead *lr = data;

  lr->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                        NULL, NULL);
  lr->done = TRUE;
}

/* Starts parkd as a server and waits for its ready line, which must be the first thing on
 * standard output: "listening on http://127.0.0.1:PORT/" with a real port. */
static Parkd *
parkd_start (Fixture            *f,
             const char * const *args,
             const char * const *env_extra)
{
  g_autoptr(GRegex) ready = g_regex_new ("^listening on http://127\\.0\\.0\\.1:([0-9]{1,5})/$",
                                         0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *port = NULL;
  LineRead lr = { FALSE, NULL };
  Parkd *p = g_new0 (Parkd, 1);
  guint64 port_num = 0;

  p->err_path = g_strdup_printf ("%s/parkd-%u.stderr", f->tmpdir, ++f->n_spawned);
  p->process = spawn_parkd (f, args, env_extra, G_SUBPROCESS_FLAGS_STDOUT_PIPE, p->err_path);
  p->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p->process));
  g_data_input_stream_read_line_async (p->out, G_PRIORITY_DEFAULT, NULL, read_line_cb, &lr);
  iterate_until (&lr.done, READY_TIMEOUT_MS * park_test_timeout_multiplier ());

  if (lr.line == NULL || !g_regex_match (ready, lr.line, 0, &match))
    {
      g_autofree char *log = NULL;

      g_subprocess_force_exit (p->process);
      g_subprocess_wait (p->process, NULL, NULL);
      g_file_get_contents (p->err_path, &log, NULL, NULL);
      g_error ("parkd did not print its ready line first (%s): %s\nstderr:\n%s",
               lr.done ? "got" : "timed out", lr.line != NULL ? lr.line : "(nothing)",
               log != NULL ? log : "");
    }
  port = g_match_info_fetch (match, 1);
  g_assert_true (g_ascii_string_to_unsigned (port, 10, 1, 65535, &port_num, NULL));
  p->port = (guint) port_num;
  p->url = g_strdup (lr.line + strlen ("listening on "));
  p->session = soup_session_new_with_options ("timeout", 30, "proxy-resolver", NULL, NULL);
  g_free (lr.line);
  return p;
}

typedef struct
{
  gboolean  done;
  GError   *error;
} Waited;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Waited *w = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, &w->error);
  w->done = TRUE;
}

/* Sends @signum and waits up to @timeout_ms for parkd to exit; it must exit with status 0
 * and without writing anything more to standard output (the ready line was the only line).
 * Returns the time it took in milliseconds. */
static gint64
parkd_signal_and_wait (Parkd *p,
                       int    signum,
                       guint  timeout_ms)
{
  Waited w = { FALSE, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) rest = g_byte_array_new ();
  gint64 start;
  gint64 elapsed_ms;
  guint8 buf[4096];
  gssize n;

  g_assert_false (p->exited);
  start = g_get_monotonic_time ();
  g_subprocess_send_signal (p->process, signum);
  g_subprocess_wait_async (p->process, NULL, wait_cb, &w);
  if (!iterate_until (&w.done, timeout_ms))
    {
      g_autofree char *log = read_file (p->err_path);

      g_subprocess_force_exit (p->process);
      g_error ("parkd did not exit within %u ms of signal %d:\n%s", timeout_ms, signum, log);
    }
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  p->exited = TRUE;
  g_assert_no_error (w.error);
  g_test_message ("parkd exited %" G_GINT64_FORMAT " ms after signal %d", elapsed_ms, signum);

  if (!g_subprocess_get_if_exited (p->process))
    g_error ("parkd did not exit normally on signal %d (killed by signal %d)", signum,
             g_subprocess_get_if_signaled (p->process) ? g_subprocess_get_term_sig (p->process)
                                                       : -1);
  if (g_subprocess_get_exit_status (p->process) != 0)
    {
      g_autofree char *log = read_file (p->err_path);

      g_error ("parkd exited with status %d on signal %d:\n%s",
               g_subprocess_get_exit_status (p->process), signum, log);
    }

  while ((n = g_input_stream_read (G_INPUT_STREAM (p->out), buf, sizeof buf, NULL, &error)) > 0)
    g_byte_array_append (rest, buf, n);
  g_assert_no_error (error);
  g_byte_array_append (rest, (const guint8 *) "", 1);
  g_assert_cmpstr ((const char *) rest->data, ==, "");
  return elapsed_ms;
}

/* Hangs up as a client that is done would, then SIGTERM. */
static void
parkd_stop (Parkd *p)
{
  soup_session_abort (p->session);
  parkd_signal_and_wait (p, SIGTERM, EXIT_TIMEOUT_MS);
}

static void
parkd_free (Parkd *p)
{
  if (p == NULL)
    return;
  if (!p->exited)
    {
      g_subprocess_force_exit (p->process);
      g_subprocess_wait (p->process, NULL, NULL);
    }
  g_clear_object (&p->session);
  g_clear_object (&p->out);
  g_clear_object (&p->process);
  g_free (p->err_path);
  g_free (p->url);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Parkd, parkd_free)

static char *
parkd_stderr (Parkd *p)
{
  return read_file (p->err_path);
}

/* ---------------------------------------------------------------------------------------- */
/* HTTP                                                                                      */

static Answer *
http (Parkd      *p,
      const char *method,
      const char *path,
      const char *request_id,
      const char *body,
      gssize      body_len)
{
  g_autofree char *uri = g_strconcat (p->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  Answer *answer;
  gsize len;
  const char *text;

  g_assert_nonnull (msg);
  if (request_id != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Request-Id",
                                  request_id);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_len < 0 ? strlen (body)
                                                                 : (gsize) body_len);

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  data = soup_session_send_and_read (p->session, msg, NULL, &error);
  g_assert_no_error (error);

  answer = g_new0 (Answer, 1);
  answer->status = soup_message_get_status (msg);
  text = g_bytes_get_data (data, &len);
  answer->body = g_strndup (text != NULL ? text : "", len);
  answer->request_id = g_strdup (soup_message_headers_get_one (
                                   soup_message_get_response_headers (msg), "X-Request-Id"));
  g_test_message ("%s %s -> %u", method, path, answer->status);
  return answer;
}

static JsonObject *
parse_object (const char *text,
              JsonNode  **node_out)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  *node_out = node;
  return json_node_get_object (node);
}

typedef struct
{
  gint64 operators;
  gint64 lots;
  gint64 spots;
} Counts;

/* The counts GET /api/v1/info reports. */
static Counts
get_counts (Parkd *p)
{
  g_autoptr(Answer) info = http (p, "GET", "api/v1/info", NULL, NULL, 0);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *counts;
  Counts c;

  g_assert_cmpuint (info->status, ==, 200);
  counts = json_object_get_object_member (parse_object (info->body, &node), "counts");
  g_assert_nonnull (counts);
  c.operators = json_object_get_int_member (counts, "operators");
  c.lots = json_object_get_int_member (counts, "lots");
  c.spots = json_object_get_int_member (counts, "spots");
  return c;
}

/* Starts parkd with @args and @env_extra, asks how many lots it serves, stops it. */
static gint64
lots_served (Fixture            *f,
             const char * const *args,
             const char * const *env_extra)
{
  g_autoptr(Parkd) p = parkd_start (f, args, env_extra);
  gint64 lots = get_counts (p).lots;

  parkd_stop (p);
  return lots;
}

/* Fills a database with @n_lots synthetic lots through "parkd generate". */
static void
generate_lots (Fixture    *f,
               const char *db,
               guint       n_lots)
{
  g_autofree char *n = g_strdup_printf ("%u", n_lots);
  const char *args[] = { "generate", "--lots", n, "--spots-per-lot", "2", "--database", db,
                         NULL };

  g_assert_cmpint (run_parkd (f, args, NULL, NULL, NULL), ==, 0);
}

/* {"lot_ids":[NIL_LOT_ID]} padded with white space to exactly @size bytes: valid JSON that
 * parkd answers with 200 when the size is allowed. */
static char *
padded_availability (gsize size)
{
  const char *head = "{\"lot_ids\":[\"" NIL_LOT_ID "\"]";
  GString *body = g_string_new (head);

  g_assert_cmpuint (size, >, strlen (head) + 1);
  while (body->len < size - 1)
    g_string_append_c (body, ' ');
  g_string_append_c (body, '}');
  g_assert_cmpuint (body->len, ==, size);
  return g_string_free (body, FALSE);
}

/* The request lines of an access log; every line parkd writes to stderr must be a JSON
 * object. */
static GPtrArray *
request_log_lines (const char *log)
{
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
  GPtrArray *requests = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *obj;

      if (*lines[i] == '\0')
        continue;
      obj = parse_object (lines[i], &node);
      g_assert_true (json_object_has_member (obj, "ts"));
      g_assert_true (json_object_has_member (obj, "level"));
      if (g_strcmp0 (json_object_get_string_member_with_default (obj, "event", NULL),
                     "request") == 0)
        g_ptr_array_add (requests, g_steal_pointer (&node));
    }
  return requests;
}

/* ---------------------------------------------------------------------------------------- */
/* Tests                                                                                     */

static void
test_version (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *db = tmp_path (f, "park.db");
  const char *long_args[] = { "--version", "--database", db, NULL };
  const char *short_args[] = { "-V", NULL };
  const char *server_args[] = { "--listen", "127.0.0.1:0", "--database", db, "--threads", "1",
                                NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *short_out = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(Parkd) p = NULL;
  g_autoptr(Answer) info = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (run_parkd (f, long_args, NULL, &out, &err), ==, 0);
  g_assert_true (g_regex_match_simple ("^parkd [0-9]+\\.[0-9]+\\.[0-9]+\\S*\n$", out, 0, 0));
  g_assert_cmpstr (err, ==, "");
  /* Printing the version touches no database. */
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));

  g_assert_cmpint (run_parkd (f, short_args, NULL, &short_out, NULL), ==, 0);
  g_assert_cmpstr (short_out, ==, out);

  /* The same version the server reports. */
  p = parkd_start (f, server_args, NULL);
  info = http (p, "GET", "api/v1/info", NULL, NULL, 0);
  g_assert_cmpuint (info->status, ==, 200);
  expected = g_strdup_printf ("parkd %s\n",
                              json_object_get_string_member (parse_object (info->body, &node),
                                                             "version"));
  g_assert_cmpstr (out, ==, expected);
  parkd_stop (p);
}

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *db = tmp_path (f, "park.db");
  const char *args[] = { "--help", "--database", db, NULL };
  /* key, default as --help shows it */
  const char *settings[][2] = {
    { "listen", "127.0.0.1:8080" },
    { "database", "see above" },
    { "demo", "false" },
    { "threads", "0" },
    { "body-limit", "1048576" },
    { "max-connections", "20000" },
    { "max-client-connections", "1024" },
    { "request-timeout", "10" },
    { "access-log", "true" },
  };
  const char *options[] = { "--listen", "--database", "--demo", "--config", "--threads",
                            "--body-limit", "--access-log", "--version" };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_parkd (f, args, NULL, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  g_assert_true (g_str_has_prefix (out, "Usage:"));

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      g_autofree char *pattern = g_strdup_printf ("^\\s+(-\\w, )?%s[= ]", options[i]);

      if (!g_regex_match_simple (pattern, out, G_REGEX_MULTILINE, 0))
        g_error ("--help does not list %s:\n%s", options[i], out);
    }

  /* Each setting with its environment variable and its default. */
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      g_autofree char *upper = g_ascii_strup (settings[i][0], -1);
      g_autofree char *env = NULL;
      g_autofree char *pattern = NULL;

      g_strdelimit (upper, "-", '_');
      env = g_strconcat ("PARKD_", upper, NULL);
      pattern = g_strdup_printf ("^\\s+%s\\s+%s\\s+default %s$", settings[i][0], env,
                                 settings[i][1]);
      if (!g_regex_match_simple (pattern, out, G_REGEX_MULTILINE, 0))
        g_error ("--help does not give %s as %s with default %s:\n%s", settings[i][0], env,
                 settings[i][1], out);
    }
  g_assert_nonnull (strstr (out, "$XDG_DATA_HOME/parkade/parkd.db"));
  g_assert_nonnull (strstr (out, "PARKD_CONFIG"));
}

static void
test_ready_line (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *db = tmp_path (f, "park.db");
  const char *args[] = { "--listen", "127.0.0.1:0", "--database", db, "--threads", "2", NULL };
  g_autoptr(Parkd) p = parkd_start (f, args, NULL);
  g_autoptr(Answer) health = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *expected_url = g_strdup_printf ("http://127.0.0.1:%u/", p->port);

  /* Port 0 was asked for; the line names the port really bound, and it answers. */
  g_assert_cmpuint (p->port, !=, 0);
  g_assert_cmpstr (p->url, ==, expected_url);
  health = http (p, "GET", "health", NULL, NULL, 0);
  g_assert_cmpuint (health->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (parse_object (health->body, &node), "status"),
                   ==, "ok");
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));

  /* parkd_stop() checks that nothing followed the ready line on stdout. */
  parkd_stop (p);
}

static void
test_stop_signal (Fixture       *f,
                  gconstpointer  data)
{
  int signum = GPOINTER_TO_INT (data);
  g_autofree char *db = tmp_path (f, "park.db");
  const char *args[] = { "--listen", "127.0.0.1:0", "--database", db, "--threads", "2", NULL };
  g_autoptr(Parkd) p = parkd_start (f, args, NULL);
  g_autoptr(Answer) health = http (p, "GET", "health", NULL, NULL, 0);
  g_autofree char *log = NULL;

  g_assert_cmpuint (health->status, ==, 200);
  /* The client keeps its idle keep-alive connection open: parkd must still stop promptly,
   * with status 0. */
  parkd_signal_and_wait (p, signum, STOP_PROMPT_MS);
  log = parkd_stderr (p);
  g_assert_nonnull (strstr (log, "\"message\":\"stopping\""));
}

static void
test_default_database (Fixture       *f,
                       gconstpointer  data)
{
  const char *args[] = { "--listen", "127.0.0.1:0", "--threads", "2", NULL };
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "parkade", "parkd.db",
                                                NULL);
  g_autofree char *other_xdg = tmp_path (f, "xdg-data");
  g_autofree char *other_env = g_strconcat ("XDG_DATA_HOME=", other_xdg, NULL);
  g_autofree char *other_expected = g_build_filename (other_xdg, "parkade", "parkd.db", NULL);
  const char *other[] = { other_env, NULL };

  /* The test framework isolated XDG_DATA_HOME; nothing is there yet, not even parkade/. */
  g_test_message ("XDG_DATA_HOME is %s", g_get_user_data_dir ());
  g_assert_false (g_file_test (expected, G_FILE_TEST_EXISTS));

  g_assert_cmpint (lots_served (f, args, NULL), ==, 0);
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));

  /* Another XDG_DATA_HOME moves it. */
  g_assert_cmpint (lots_served (f, args, other), ==, 0);
  g_assert_true (g_file_test (other_expected, G_FILE_TEST_IS_REGULAR));
}

static void
test_config_file (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *file_db = tmp_path (f, "from-file.db");
  g_autofree char *contents = g_strdup_printf ("[parkd]\nlisten=127.0.0.1:0\n"
                                               "database=%s\nthreads=2\n", file_db);
  g_autofree char *conf = write_tmp_file (f, "parkd.conf", contents);
  g_autofree char *default_db = g_build_filename (g_get_user_data_dir (), "parkade", "parkd.db",
                                                  NULL);
  const char *args[] = { "--config", conf, NULL };
  const char *short_args[] = { "-c", conf, NULL };
  g_autoptr(Parkd) p = NULL;

  /* The file's listen address (port 0, not the default 8080) and database are used. */
  g_assert_false (g_file_test (file_db, G_FILE_TEST_EXISTS));
  p = parkd_start (f, args, NULL);
  g_assert_cmpuint (p->port, !=, 8080);
  g_assert_true (g_file_test (file_db, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (default_db, G_FILE_TEST_EXISTS));
  g_assert_cmpint (get_counts (p).lots, ==, 0);
  parkd_stop (p);

  /* What is in that database is what the server serves. */
  generate_lots (f, file_db, 3);
  g_assert_cmpint (lots_served (f, short_args, NULL), ==, 3);
  g_assert_false (g_file_test (default_db, G_FILE_TEST_EXISTS));
}

static void
test_config_precedence (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *file_db = tmp_path (f, "from-file.db");
  g_autofree char *env_db = tmp_path (f, "from-env.db");
  g_autofree char *cli_db = tmp_path (f, "from-cli.db");
  g_autofree char *contents = g_strdup_printf ("[parkd]\nlisten=127.0.0.1:0\n"
                                               "database=%s\nthreads=2\n", file_db);
  g_autofree char *conf = write_tmp_file (f, "parkd.conf", contents);
  g_autofree char *missing = tmp_path (f, "missing.conf");
  g_autofree char *env_database = g_strconcat ("PARKD_DATABASE=", env_db, NULL);
  g_autofree char *env_config = g_strconcat ("PARKD_CONFIG=", conf, NULL);
  g_autofree char *env_config_missing = g_strconcat ("PARKD_CONFIG=", missing, NULL);
  const char *with_config[] = { "--config", conf, NULL };
  const char *with_config_and_db[] = { "--config", conf, "--database", cli_db, NULL };
  const char *only_threads[] = { "--threads", "2", NULL };
  const char *env_db_only[] = { env_database, NULL };
  const char *env_listen_db[] = { "PARKD_LISTEN=127.0.0.1:0", env_database, NULL };
  const char *env_conf_only[] = { env_config, NULL };
  const char *env_conf_missing[] = { env_config_missing, NULL };

  /* Three databases that tell themselves apart by how many lots they hold. */
  generate_lots (f, file_db, 1);
  generate_lots (f, env_db, 2);
  generate_lots (f, cli_db, 3);

  /* The file alone. */
  g_assert_cmpint (lots_served (f, with_config, NULL), ==, 1);
  /* PARKD_DATABASE overrides the file. */
  g_assert_cmpint (lots_served (f, with_config, env_db_only), ==, 2);
  /* --database overrides both. */
  g_assert_cmpint (lots_served (f, with_config_and_db, env_db_only), ==, 3);
  /* PARKD_CONFIG names the file when --config is absent. */
  g_assert_cmpint (lots_served (f, only_threads, env_conf_only), ==, 1);
  /* --config wins over PARKD_CONFIG, which is then not even read. */
  g_assert_cmpint (lots_served (f, with_config, env_conf_missing), ==, 1);
  /* The environment alone, no file at all. */
  g_assert_cmpint (lots_served (f, only_threads, env_listen_db), ==, 2);
}

static void
test_body_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *db = tmp_path (f, "park.db");
  g_autofree char *contents = g_strdup_printf ("[parkd]\nlisten=127.0.0.1:0\ndatabase=%s\n"
                                               "threads=2\nbody-limit=2048\n", db);
  g_autofree char *conf = write_tmp_file (f, "parkd.conf", contents);
  const char *with_config[] = { "--config", conf, NULL };
  const char *defaults[] = { "--listen", "127.0.0.1:0", "--database", db, "--threads", "2",
                             NULL };
  const char *env_limit[] = { "PARKD_BODY_LIMIT=8192", NULL };
  g_autofree char *at_limit = padded_availability (2048);
  g_autofree char *over_limit = padded_availability (2049);
  g_autofree char *four_kib = padded_availability (4096);
  const char *path = "api/v1/parking-lots/availability";

  /* body-limit=2048 from the file. */
  {
    g_autoptr(Parkd) p = parkd_start (f, with_config, NULL);
    g_autoptr(Answer) small = http (p, "POST", path, NULL, SMALL_AVAILABILITY, -1);
    g_autoptr(Answer) big = http (p, "POST", path, NULL, four_kib, -1);
    g_autoptr(Answer) at = http (p, "POST", path, NULL, at_limit, -1);
    g_autoptr(Answer) over = http (p, "POST", path, NULL, over_limit, -1);

    g_assert_cmpuint (small->status, ==, 200);
    g_assert_cmpuint (big->status, ==, 413);
    g_assert_cmpuint (at->status, ==, 200);
    g_assert_cmpuint (over->status, ==, 413);
    parkd_stop (p);
  }

  /* The same 4 KiB body is fine under the default limit: the 413 came from the setting. */
  {
    g_autoptr(Parkd) p = parkd_start (f, defaults, NULL);
    g_autoptr(Answer) big = http (p, "POST", path, NULL, four_kib, -1);

    g_assert_cmpuint (big->status, ==, 200);
    parkd_stop (p);
  }

  /* PARKD_BODY_LIMIT overrides the file. */
  {
    g_autoptr(Parkd) p = parkd_start (f, with_config, env_limit);
    g_autoptr(Answer) big = http (p, "POST", path, NULL, four_kib, -1);

    g_assert_cmpuint (big->status, ==, 200);
    parkd_stop (p);
  }
}

static void
test_access_log_default (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *db = tmp_path (f, "park.db");
  const char *args[] = { "--listen", "127.0.0.1:0", "--database", db, "--threads", "2", NULL };
  g_autoptr(Parkd) p = parkd_start (f, args, NULL);
  g_autoptr(Answer) health = http (p, "GET", "health", "cli-test-42", NULL, 0);
  g_autoptr(Answer) missing = http (p, "GET", "api/v1/parking-lots/" NIL_LOT_ID, NULL, NULL, 0);
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *log = NULL;
  /* request id, method, route, status */
  const char *expected[][4] = {
    { "cli-test-42", "GET", "/health", "200" },
    { missing->request_id, "GET", "/api/v1/parking-lots/{id}", "404" },
  };

  g_assert_cmpuint (health->status, ==, 200);
  g_assert_cmpstr (health->request_id, ==, "cli-test-42");
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_nonnull (missing->request_id);

  /* Stopping flushes the log: no guessing how long to wait for a line. */
  parkd_stop (p);
  log = parkd_stderr (p);
  requests = request_log_lines (log);
  g_assert_cmpuint (requests->len, ==, 2);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *line = NULL;

      for (guint k = 0; k < requests->len && line == NULL; k++)
        {
          JsonObject *obj = json_node_get_object (g_ptr_array_index (requests, k));

          if (g_strcmp0 (json_object_get_string_member_with_default (obj, "request_id", NULL),
                         expected[i][0]) == 0)
            line = obj;
        }
      if (line == NULL)
        g_error ("no access-log line for request %s:\n%s", expected[i][0], log);
      g_assert_cmpstr (json_object_get_string_member (line, "method"), ==, expected[i][1]);
      g_assert_cmpstr (json_object_get_string_member (line, "route"), ==, expected[i][2]);
      g_assert_cmpint (json_object_get_int_member (line, "status"), ==,
                       g_ascii_strtoll (expected[i][3], NULL, 10));
      g_assert_true (json_object_has_member (line, "duration_ms"));
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (line, "duration_ms")),
                       ==, G_TYPE_DOUBLE);
      g_assert_cmpfloat (json_object_get_double_member (line, "duration_ms"), >=, 0.0);
    }
}

/* access-log=false from the file or from the environment; later layers can turn it back on. */
static void
test_access_log_off (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *db = tmp_path (f, "park.db");
  g_autofree char *contents = g_strdup_printf ("[parkd]\nlisten=127.0.0.1:0\ndatabase=%s\n"
                                               "threads=2\naccess-log=false\n", db);
  g_autofree char *conf = write_tmp_file (f, "parkd.conf", contents);
  const char *with_config[] = { "--config", conf, NULL };
  const char *with_config_on[] = { "--config", conf, "--access-log", NULL };
  const char *plain[] = { "--listen", "127.0.0.1:0", "--database", db, "--threads", "2", NULL };
  const char *env_off[] = { "PARKD_ACCESS_LOG=false", NULL };
  const char *env_on[] = { "PARKD_ACCESS_LOG=true", NULL };
  struct
  {
    const char * const *args;
    const char * const *env;
    guint               n_lines;
  } cases[] = {
    { with_config, NULL, 0 },        /* the file turns it off */
    { plain, env_off, 0 },           /* the environment turns it off */
    { with_config, env_on, 2 },      /* the environment overrides the file */
    { with_config_on, NULL, 2 },     /* the command line overrides the file */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Parkd) p = parkd_start (f, cases[i].args, cases[i].env);
      g_autoptr(Answer) health = http (p, "GET", "health", NULL, NULL, 0);
      g_autoptr(Answer) info = http (p, "GET", "api/v1/info", NULL, NULL, 0);
      g_autoptr(GPtrArray) requests = NULL;
      g_autofree char *log = NULL;

      g_assert_cmpuint (health->status, ==, 200);
      g_assert_cmpuint (info->status, ==, 200);
      parkd_stop (p);
      log = parkd_stderr (p);
      /* stderr was captured: the start-up message is there either way. */
      g_assert_nonnull (strstr (log, "\"message\":\"serving "));
      requests = request_log_lines (log);
      g_assert_cmpuint (requests->len, ==, cases[i].n_lines);
      if (cases[i].n_lines == 0)
        g_assert_null (strstr (log, "\"event\":\"request\""));
    }
}

typedef struct
{
  const char *name;
  const char *args[6];          /* "@DB" is the database path, "@CONF" the key file */
  const char *env[3];           /* likewise */
  const char *key_file;         /* written to @CONF when not NULL */
  int         exit_status;      /* -1: any non-zero */
  const char *needles[3];       /* the message names these */
} BadConfig;

static const BadConfig bad_configs[] = {
  { "unknown-option", { "--lisen", "127.0.0.1:0", "--database", "@DB" }, { NULL },
    NULL, 2, { "--lisen" } },
  { "threads-not-a-number", { "--listen", "127.0.0.1:0", "--database", "@DB", "--threads", "abc" },
    { NULL }, NULL, 2, { "--threads", "threads", "\"abc\"" } },
  { "body-limit-below-minimum",
    { "--listen", "127.0.0.1:0", "--database", "@DB", "--body-limit", "5" }, { NULL },
    NULL, 2, { "--body-limit", "1024", "\"5\"" } },
  { "env-threads-negative", { "--listen", "127.0.0.1:0", "--database", "@DB" },
    { "PARKD_THREADS=-1" }, NULL, 2, { "PARKD_THREADS", "\"-1\"" } },
  { "env-demo-not-a-boolean", { "--listen", "127.0.0.1:0", "--database", "@DB" },
    { "PARKD_DEMO=maybe" }, NULL, 2, { "PARKD_DEMO", "\"maybe\"" } },
  { "file-unknown-key", { "--config", "@CONF", "--database", "@DB" }, { NULL },
    "[parkd]\nlisten=127.0.0.1:0\nthreadz=2\n", 2, { "@CONF", "threadz" } },
  { "file-bad-value", { "--config", "@CONF", "--database", "@DB" }, { NULL },
    "[parkd]\nlisten=127.0.0.1:0\nbody-limit=lots\n", 2, { "@CONF", "body-limit", "\"lots\"" } },
  { "file-missing", { "--config", "@CONF", "--listen", "127.0.0.1:0", "--database", "@DB" },
    { NULL }, NULL, 2, { "@CONF" } },
  { "env-config-missing", { "--listen", "127.0.0.1:0", "--database", "@DB" },
    { "PARKD_CONFIG=@CONF" }, NULL, 2, { "@CONF" } },
  { "listen-nonsense", { "--listen", "nonsense", "--database", "@DB" }, { NULL },
    NULL, 2, { "nonsense" } },
  { "switch-with-value", { "--listen", "127.0.0.1:0", "--database", "@DB", "--demo=false" },
    { NULL }, NULL, 2, { "--demo", "--no-demo" } },
  { "switch-both-ways", { "--listen", "127.0.0.1:0", "--database", "@DB", "--access-log",
                          "--no-access-log" },
    { NULL }, NULL, 2, { "--access-log", "--no-access-log" } },
  { "file-without-parkd-group", { "--config", "@CONF", "--database", "@DB" }, { NULL },
    "[server]\nlisten=127.0.0.1:0\n", 2, { "@CONF", "[server]" } },
  { "routes-with-arguments", { "routes", "extra" }, { NULL }, NULL, 2, { "routes" } },
  { "trusted-proxies-not-addresses", { "--listen", "127.0.0.1:0", "--database", "@DB",
                                       "--trusted-proxies", "127.0.0.1,nginx.local" },
    { NULL }, NULL, 2, { "--trusted-proxies", "\"nginx.local\"" } },
  { "trusted-proxies-bad-network", { "--listen", "127.0.0.1:0", "--database", "@DB",
                                     "--trusted-proxies", "10.0.0.0/33" },
    { NULL }, NULL, 2, { "--trusted-proxies", "\"10.0.0.0/33\"" } },
  { "redis-not-a-redis-url", { "--listen", "127.0.0.1:0", "--database", "@DB",
                               "--redis", "http://127.0.0.1:6379" },
    { NULL }, NULL, 2, { "--redis", "redis://" } },
};

static const char *
substitute (const char *text,
            const char *db,
            const char *conf,
            GPtrArray  *keep)
{
  char *s = g_strdup (text);
  char *at;

  while ((at = strstr (s, "@DB")) != NULL || (at = strstr (s, "@CONF")) != NULL)
    {
      gboolean is_db = g_str_has_prefix (at, "@DB");
      char *next = g_strdup_printf ("%.*s%s%s", (int) (at - s), s, is_db ? db : conf,
                                    at + (is_db ? 3 : 5));

      g_free (s);
      s = next;
    }
  g_ptr_array_add (keep, s);
  return s;
}

static void
test_bad_config (Fixture       *f,
                 gconstpointer  data)
{
  const BadConfig *bad = data;
  g_autofree char *db = tmp_path (f, "park.db");
  g_autofree char *conf = tmp_path (f, "parkd.conf");
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GPtrArray) env = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  for (guint i = 0; i < G_N_ELEMENTS (bad->args) && bad->args[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) substitute (bad->args[i], db, conf, keep));
  g_ptr_array_add (args, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (bad->env) && bad->env[i] != NULL; i++)
    g_ptr_array_add (env, (gpointer) substitute (bad->env[i], db, conf, keep));
  g_ptr_array_add (env, NULL);
  if (bad->key_file != NULL)
    g_free (write_tmp_file (f, "parkd.conf", bad->key_file));

  status = run_parkd (f, (const char * const *) args->pdata, (const char * const *) env->pdata,
                      &out, &err);

  /* Refused before listening: no ready line, nothing on stdout at all. */
  g_assert_cmpstr (out, ==, "");
  if (bad->exit_status >= 0)
    g_assert_cmpint (status, ==, bad->exit_status);
  else
    g_assert_cmpint (status, !=, 0);
  g_assert_true (g_str_has_prefix (err, "parkd: "));
  for (guint i = 0; i < G_N_ELEMENTS (bad->needles) && bad->needles[i] != NULL; i++)
    {
      const char *needle = substitute (bad->needles[i], db, conf, keep);

      if (strstr (err, needle) == NULL)
        g_error ("the message does not name %s: %s", needle, err);
    }
  if (status == 2)
    {
      /* A usage error points to --help, and comes before the database is touched. */
      g_assert_nonnull (strstr (err, "Try \"parkd --help\"."));
      g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
    }
}

static void
test_port_in_use (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *db = tmp_path (f, "park.db");
  g_autoptr(GSocket) holder = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listen_addr = NULL;
  g_autofree char *needle = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { "--listen", NULL, "--database", db, "--threads", "2", NULL };
  guint16 port;

  /* Another program holds the port (a plain listener, without SO_REUSEPORT). */
  holder = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (holder, any_port, FALSE, &error);
  g_assert_no_error (error);
  g_socket_listen (holder, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (holder, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  listen_addr = g_strdup_printf ("127.0.0.1:%u", port);
  args[1] = listen_addr;

  /* parkd says so and exits (1: the setting is well formed, the address is not usable). */
  g_assert_cmpint (run_parkd (f, args, NULL, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  needle = g_strdup_printf ("parkd: Cannot listen on 127.0.0.1 port %u: ", port);
  if (!g_str_has_prefix (err, needle))
    g_error ("expected \"%s…\", got: %s", needle, err);

  g_socket_close (holder, NULL);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Another parkd holds it: parkd's own listeners share their port with SO_REUSEPORT, which
   * must not let a second server join in and take half the connections. */
  {
    g_autofree char *other_db = tmp_path (f, "other.db");
    const char *first_args[] = { "--listen", listen_addr, "--database", other_db, NULL };
    Parkd *first = parkd_start (f, first_args, NULL);

    g_assert_cmpint (run_parkd (f, args, NULL, &out, &err), ==, 1);
    g_assert_cmpstr (out, ==, "");
    if (!g_str_has_prefix (err, needle))
      g_error ("expected \"%s…\", got: %s", needle, err);
    g_assert_nonnull (strstr (err, "another program"));
    /* Nothing was created for the server that did not start. */
    g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
    parkd_stop (first);
    parkd_free (first);
  }
}

static void
test_demo_once (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *db = tmp_path (f, "park.db");
  const char *args[] = { "--listen", "127.0.0.1:0", "--database", db, "--threads", "2", "--demo",
                         NULL };
  const char *no_demo[] = { "--listen", "127.0.0.1:0", "--database", db, "--threads", "2", NULL };
  const char *env_demo[] = { "PARKD_DEMO=true", NULL };
  Counts first, again;

  {
    g_autoptr(Parkd) p = parkd_start (f, args, NULL);
    g_autofree char *log = NULL;

    first = get_counts (p);
    parkd_stop (p);
    log = parkd_stderr (p);
    g_assert_nonnull (strstr (log, "seeded the demo city"));
  }
  g_assert_cmpint (first.operators, >, 0);
  g_assert_cmpint (first.lots, >, 0);
  g_assert_cmpint (first.spots, >=, first.lots);

  /* Again with --demo, then with PARKD_DEMO=true, then without: the same city, not doubled. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Parkd) p = parkd_start (f, i == 0 ? args : no_demo, i == 1 ? env_demo : NULL);
      g_autofree char *log = NULL;

      again = get_counts (p);
      parkd_stop (p);
      log = parkd_stderr (p);
      g_assert_null (strstr (log, "seeded the demo city"));
      g_assert_cmpint (again.operators, ==, first.operators);
      g_assert_cmpint (again.lots, ==, first.lots);
      g_assert_cmpint (again.spots, ==, first.spots);
    }
}

static void
test_routes (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *db = tmp_path (f, "park.db");
  const char *args[] = { "routes", "--database", db, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n;

  g_assert_cmpint (run_parkd (f, args, NULL, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_str_has_suffix (out, "\n"));
  /* Listing routes opens no database. */
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));

  lines = g_strsplit (out, "\n", -1);
  n = g_strv_length (lines) - 1;   /* after the last newline */
  g_assert_cmpstr (lines[n], ==, "");
  g_assert_cmpuint (n, >=, 9);
  for (guint i = 0; i < n; i++)
    {
      if (!g_regex_match_simple ("^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) /[^ ]*$", lines[i],
                                 0, 0))
        g_error ("not \"METHOD /path\": \"%s\"", lines[i]);
      g_assert_false (g_hash_table_contains (seen, lines[i]));
      g_hash_table_add (seen, lines[i]);
    }
  g_assert_true (g_hash_table_contains (seen, "GET /api/v1/parking-lots"));
  g_assert_true (g_hash_table_contains (seen, "GET /health"));
  g_assert_true (g_hash_table_contains (seen, "POST /api/v1/parking-lots/availability"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func, data) \
  g_test_add ("/backend/cli/" path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("version", test_version, NULL);
  ADD ("help", test_help, NULL);
  ADD ("ready-line", test_ready_line, NULL);
  ADD ("stop/sigint", test_stop_signal, GINT_TO_POINTER (SIGINT));
  ADD ("stop/sigterm", test_stop_signal, GINT_TO_POINTER (SIGTERM));
  ADD ("default-database", test_default_database, NULL);
  ADD ("config/file", test_config_file, NULL);
  ADD ("config/precedence", test_config_precedence, NULL);
  ADD ("config/body-limit", test_body_limit, NULL);
  ADD ("config/access-log", test_access_log_default, NULL);
  ADD ("config/access-log-off", test_access_log_off, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (bad_configs); i++)
    {
      g_autofree char *path = g_strconcat ("/backend/cli/bad-config/", bad_configs[i].name, NULL);

      g_test_add (path, Fixture, &bad_configs[i], fixture_setup, test_bad_config,
                  fixture_teardown);
    }
  ADD ("bad-config/port-in-use", test_port_in_use, NULL);
  ADD ("demo-once", test_demo_once, NULL);
  ADD ("routes", test_routes, NULL);

#undef ADD

  return g_test_run ();
}
