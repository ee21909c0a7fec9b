/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-test-backend.c: spawn the real parkd (libsoup's server_setup combined with Redis's
 * start_server), read its "listening on" line, talk to it with libsoup, and check each answer
 * against the OpenAPI document the server publishes.
 */
#include "park-test-backend.h"
#include "park-test-csv.h"
#include "park-test-postgresql.h"
#include "park-test-schema.h"

#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#define START_TIMEOUT_S 20

const char *
park_test_parkd_path (void)
{
  const char *path = g_getenv ("PARKD");

  if (path == NULL || *path == '\0')
    g_error ("PARKD must name the parkd binary (meson test sets it)");
  return path;
}

/* ../shared/data beside the checkout (PARK_SHARED_DATA), or NULL when it is not there. */
const char *
park_test_shared_data_dir (void)
{
  const char *dir = g_getenv ("PARK_SHARED_DATA");

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    return NULL;
  return dir;
}

/* Sanitizer builds run everything several times slower (meson's "sanitize" setup sets
 * PARK_TEST_TIMEOUT_MULTIPLIER, as it multiplies the tests' own time-outs). */
guint
park_test_timeout_multiplier (void)
{
  const char *value = g_getenv ("PARK_TEST_TIMEOUT_MULTIPLIER");
  guint64 n = value != NULL ? g_ascii_strtoull (value, NULL, 10) : 0;

  return n >= 1 && n <= 100 ? (guint) n : 1;
}

double
park_test_haversine_m (double lat1,
                       double lng1,
                       double lat2,
                       double lng2)
{
  /* Same mean radius as parkd (IUGG), written out separately from the server's code. */
  const double earth_radius = 6371008.8;
  const double rad = M_PI / 180.0;
  double s1 = sin ((lat2 - lat1) * rad / 2.0);
  double s2 = sin ((lng2 - lng1) * rad / 2.0);
  double h = s1 * s1 + cos (lat1 * rad) * cos (lat2 * rad) * s2 * s2;

  return 2.0 * earth_radius * atan2 (sqrt (h), sqrt (1.0 - h));
}

ParkTestBackend *
park_test_backend_new (void)
{
  g_autoptr(GError) error = NULL;
  ParkTestBackend *self = g_new0 (ParkTestBackend, 1);

  self->tmpdir = g_dir_make_tmp ("parkd-test-XXXXXX", &error);
  g_assert_no_error (error);
  /* PARK_TEST_STORE=postgresql runs the same tests on the PostgreSQL store. */
  if (park_test_postgresql_wanted ())
    self->db_path = park_test_postgresql_new_database ();
  else
    self->db_path = g_build_filename (self->tmpdir, "park.db", NULL);
  self->log_path = g_build_filename (self->tmpdir, "parkd.log", NULL);
  self->session = soup_session_new_with_options ("timeout", 30, "proxy-resolver", NULL, NULL);
  return self;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  char **line = data;
  g_autoptr(GError) error = NULL;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                     &error);
  if (*line == NULL)
    *line = g_strdup (error != NULL ? error->message : "(end of output)");
}

/* A test that aborts must not leave its parkd running: a GSpawnChildSetupFunc. */
void
park_test_die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* A database server's URI is no place for the key file (parkd would put it in the user's
 * data directory): the test's own directory is. */
static char *
add_keys_file (ParkTestBackend *self,
               GPtrArray       *argv)
{
  char *path;

  if (!g_str_has_prefix (self->db_path, "postgresql://"))
    return NULL;
  path = park_test_backend_keys_path (self);
  g_ptr_array_add (argv, (gpointer) "--keys-file");
  g_ptr_array_add (argv, path);
  return path;
}

char *
park_test_backend_keys_path (ParkTestBackend *self)
{
  if (g_str_has_prefix (self->db_path, "postgresql://"))
    return g_build_filename (self->tmpdir, "park.keys", NULL);
  return g_strconcat (self->db_path, ".keys", NULL);
}

char *
park_test_backend_dump (ParkTestBackend *self)
{
  char *path;

  if (!g_str_has_prefix (self->db_path, "postgresql://"))
    return g_strdup (self->db_path);
  path = g_build_filename (self->tmpdir, "dump.sql", NULL);
  park_test_postgresql_dump (self->db_path, path);
  return path;
}

void
park_test_backend_start (ParkTestBackend    *self,
                         const char * const *extra_args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(ParkTestResponse) doc = NULL;
  g_autofree char *keys_path = NULL;
  gboolean timed_out = FALSE;
  guint timeout_id;

  g_assert_null (self->process);

  g_ptr_array_add (argv, (gpointer) park_test_parkd_path ());
  g_ptr_array_add (argv, (gpointer) "--listen");
  g_ptr_array_add (argv, (gpointer) "127.0.0.1:0");
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, self->db_path);
  g_ptr_array_add (argv, (gpointer) "--threads");
  g_ptr_array_add (argv, (gpointer) "2");
  keys_path = add_keys_file (self, argv);
  /* Tests fire requests as fast as one client can, which the per-address limit is there to
   * stop; tests of that limit set it themselves. */
  if (extra_args == NULL || !g_strv_contains (extra_args, "--rate-limit"))
    {
      g_ptr_array_add (argv, (gpointer) "--rate-limit");
      g_ptr_array_add (argv, (gpointer) "0");
    }
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, self->log_path);
  g_subprocess_launcher_unsetenv (launcher, "PARKD_CONFIG");
  g_subprocess_launcher_set_child_setup (launcher, park_test_die_with_parent, NULL, NULL);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                &error);
  g_assert_no_error (error);

  /* The first stdout line names the port really bound. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, read_line_cb, &line);
  timeout_id = g_timeout_add_seconds (START_TIMEOUT_S * park_test_timeout_multiplier (),
                                      timeout_cb, &timed_out);
  while (line == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  if (line == NULL || !g_str_has_prefix (line, "listening on http://127.0.0.1:"))
    {
      g_autofree char *log = NULL;

      g_file_get_contents (self->log_path, &log, NULL, NULL);
      g_error ("parkd did not start: %s\n%s", line != NULL ? line : "timed out",
               log != NULL ? log : "");
    }
  g_free (self->url);
  self->url = g_strdup (line + strlen ("listening on "));
  g_assert_true (g_str_has_suffix (self->url, "/"));

  if (self->openapi == NULL)
    {
      /* The document the answers are checked against comes from the server itself. */
      doc = park_test_request (self, "GET", "api/v1/openapi.json", NULL, NULL, 0);
      g_assert_cmpuint (doc->status, ==, 200);
      g_assert_nonnull (doc->json);
      self->openapi = json_node_ref (doc->json);
    }
}

gint64
park_test_backend_metric (ParkTestBackend *self,
                          const char      *name)
{
  g_autoptr(ParkTestResponse) r = park_test_get (self, "metrics");
  g_autofree char *text = g_strndup (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));
  g_autofree char *needle = g_strconcat ("\n", name, " ", NULL);
  const char *at = strstr (text, needle);

  g_assert_cmpuint (r->status, ==, 200);
  if (at == NULL)
    g_error ("/metrics has no %s:\n%s", name, text);
  return g_ascii_strtoll (at + strlen (needle), NULL, 10);
}

void
park_test_backend_sql (ParkTestBackend *self,
                       const char      *sql)
{
  g_autofree char *shell = g_find_program_in_path ("sqlite3");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  if (g_str_has_prefix (self->db_path, "postgresql://"))
    {
      park_test_postgresql_sql (self->db_path, sql);
      return;
    }
  if (shell == NULL)
    g_error ("the sqlite3 shell is needed (apt-get install sqlite3)");
  g_test_message ("sqlite3: %s", sql);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, shell, "-batch", "-cmd", ".timeout 10000",
                              self->db_path, sql, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("sqlite3: %s", err);
}

char *
park_test_database_rows (const char *database,
                         const char *sql)
{
  g_autofree char *shell = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  if (g_str_has_prefix (database, "postgresql://"))
    return park_test_postgresql_rows (database, sql);
  shell = g_find_program_in_path ("sqlite3");
  if (shell == NULL)
    g_error ("the sqlite3 shell is needed (apt-get install sqlite3)");
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, shell, "-batch", "-cmd", ".timeout 10000",
                              database, sql, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("sqlite3: %s\n%s", sql, err);
  return g_strdup (g_strstrip (out));
}

void
park_test_backend_stop (ParkTestBackend *self)
{
  g_autoptr(GError) error = NULL;

  if (self->process == NULL)
    return;
  /* Hang up first, as a client that is done would, so parkd stops at once. */
  soup_session_abort (self->session);
  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait (self->process, NULL, &error);
  g_assert_no_error (error);
  /* A clean stop on SIGTERM is part of the contract. */
  g_assert_true (g_subprocess_get_if_exited (self->process));
  g_assert_cmpint (g_subprocess_get_exit_status (self->process), ==, 0);
  g_clear_object (&self->process);
}

/* Removes @path and everything below it, never following a symbolic link. */
void
park_test_remove_tree (const char *path)
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
        park_test_remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

void
park_test_backend_free (ParkTestBackend *self)
{
  if (self == NULL)
    return;
  park_test_backend_stop (self);
  if (self->tmpdir != NULL)
    park_test_remove_tree (self->tmpdir);
  g_clear_object (&self->session);
  g_clear_pointer (&self->openapi, json_node_unref);
  g_free (self->tmpdir);
  g_free (self->db_path);
  g_free (self->log_path);
  g_free (self->url);
  g_free (self);
}

int
park_test_backend_run_cli (ParkTestBackend    *self,
                           const char * const *args,
                           char              **out,
                           char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_buf = NULL;
  g_autofree char *stderr_buf = NULL;
  g_autofree char *keys_path = NULL;

  g_ptr_array_add (argv, (gpointer) park_test_parkd_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, self->db_path);
  keys_path = add_keys_file (self, argv);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_buf, &stderr_buf, &error);
  g_assert_no_error (error);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_buf);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_buf);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

/* Does "/api/v1/parking-lots/{id}" describe "/api/v1/parking-lots/5e0…"? */
static gboolean
template_matches (const char *template,
                  const char *path)
{
  g_auto(GStrv) t = g_strsplit (template, "/", -1);
  g_auto(GStrv) p = g_strsplit (path, "/", -1);

  if (g_strv_length (t) != g_strv_length (p))
    return FALSE;
  for (guint i = 0; t[i] != NULL; i++)
    if (t[i][0] == '{' ? p[i][0] == '\0' : !g_str_equal (t[i], p[i]))
      return FALSE;
  return TRUE;
}

/* A body that is not JSON, when it is text: UTF-8, as parkd's text answers all are; for CSV,
 * said so in the Content-Type (charset=utf-8) and RFC 4180 with at least its header row;
 * and the whole body, as a string, must validate against the schema given (a pattern for
 * the header row, say). */
static void
check_text_body (ParkTestBackend  *self,
                 const char       *method,
                 const char       *bare,
                 const char       *status,
                 ParkTestResponse *response,
                 JsonNode         *schema)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (response->body, &len);

  if (len == 0 || !g_str_has_prefix (response->content_type, "text/"))
    return;
  if (!g_utf8_validate_len (data, len, NULL))
    g_error ("%s %s (%s): the %s body is not UTF-8", method, bare, status,
             response->content_type);
  text = g_strndup (data, len);

  if (g_str_equal (response->content_type, "text/csv"))
    {
      GHashTable *params = NULL;
      const char *charset = NULL;
      g_autoptr(GPtrArray) records = NULL;

      soup_message_headers_get_content_type (response->headers, &params);
      if (params != NULL)
        charset = g_hash_table_lookup (params, "charset");
      if (charset == NULL || g_ascii_strcasecmp (charset, "utf-8") != 0)
        g_error ("%s %s (%s): CSV must be sent as text/csv; charset=utf-8", method, bare,
                 status);
      g_clear_pointer (&params, g_hash_table_destroy);
      records = park_test_csv_parse (text, len, &error);
      if (records == NULL)
        g_error ("%s %s (%s): not RFC 4180 CSV: %s", method, bare, status, error->message);
      if (records->len == 0)
        g_error ("%s %s (%s): CSV without a header row", method, bare, status);
    }

  if (schema != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);

      if (!park_test_schema_validate (self->openapi, schema, node, &error))
        g_error ("%s %s (%s): the %s answer does not match the OpenAPI schema: %s", method,
                 bare, status, response->content_type, error->message);
    }
}

/* Every answer a test receives must be described by the OpenAPI document: its path, method,
 * status and media type, and a JSON body must validate against the schema given there. */
static void
check_against_openapi (ParkTestBackend  *self,
                       const char       *method,
                       const char       *path,
                       ParkTestResponse *response)
{
  g_autofree char *bare = g_strdup_printf ("%s%.*s", path[0] == '/' ? "" : "/",
                                           (int) strcspn (path, "?"), path);
  g_autofree char *key = g_ascii_strdown (method, -1);
  g_autofree char *status = g_strdup_printf ("%u", response->status);
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) names = NULL;
  JsonObject *paths, *item = NULL, *operation = NULL, *described, *content, *media;
  JsonNode *node, *schema;

  /* The document itself is fetched before there is one to check against. */
  if (self->openapi == NULL)
    return;

  /* The path as documented, else the first template that describes it. */
  paths = json_object_get_object_member (json_node_get_object (self->openapi), "paths");
  if (json_object_has_member (paths, bare))
    item = json_object_get_object_member (paths, bare);
  names = json_object_get_members (paths);
  for (GList *l = names; l != NULL && item == NULL; l = l->next)
    if (template_matches (l->data, bare))
      item = json_object_get_object_member (paths, l->data);
  if (item != NULL && g_str_equal (key, "head") && !json_object_has_member (item, "head"))
    {
      g_free (key);
      key = g_strdup ("get");
    }
  if (item != NULL && json_object_has_member (item, key))
    operation = json_object_get_object_member (item, key);

  if (operation == NULL)
    {
      /* A path no route has, or a method it does not take, is answered before any operation
       * applies: with a 404 or 405 Problem. */
      if (response->status != 404 && response->status != 405)
        g_error ("%s %s: %u for an operation the OpenAPI document does not have", method, bare,
                 response->status);
      g_assert_cmpstr (response->content_type, ==, "application/problem+json");
      if (!park_test_schema_validate_named (self->openapi, "Problem", response->json, &error))
        g_error ("%s %s: not a Problem: %s", method, path, error->message);
      return;
    }

  node = json_object_get_member (json_object_get_object_member (operation, "responses"), status);
  if (node == NULL)
    g_error ("%s %s answered %s, which the OpenAPI document does not list", method, bare,
             status);
  described = json_node_get_object (node);
  if (json_object_has_member (described, "$ref"))
    described = json_node_get_object (
      park_test_schema_resolve_pointer (self->openapi,
                                        json_object_get_string_member (described, "$ref")));
  if (!json_object_has_member (described, "content"))
    {
      g_assert_cmpuint (g_bytes_get_size (response->body), ==, 0);
      return;
    }
  content = json_object_get_object_member (described, "content");
  if (response->content_type == NULL || !json_object_has_member (content, response->content_type))
    g_error ("%s %s answered %s with %s, which the OpenAPI document does not list", method,
             bare, status, response->content_type);
  media = json_object_get_object_member (content, response->content_type);
  schema = json_object_get_member (media, "schema");
  if (response->json == NULL)
    {
      check_text_body (self, method, bare, status, response, schema);
      return;
    }
  if (schema == NULL)
    return;
  if (!park_test_schema_validate (self->openapi, schema, response->json, &error))
    g_error ("%s %s (%s): answer does not match the OpenAPI schema: %s", method, bare, status,
             error->message);
}

/* soup_message_new() parses the URI, and GUri refuses a query such as "lat=%ZZ"; built from
 * its parts, the URI is sent as it is given. */
static SoupMessage *
message_from_parts (ParkTestBackend *self,
                    const char      *method,
                    const char      *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) base = g_uri_parse (self->url, G_URI_FLAGS_NONE, &error);
  g_auto(GStrv) parts = g_strsplit (path, "?", 2);
  g_autofree char *abs_path = g_strconcat (path[0] == '/' ? "" : "/", parts[0], NULL);
  g_autoptr(GUri) built = NULL;

  g_assert_no_error (error);
  built = g_uri_build (SOUP_HTTP_URI_FLAGS, "http", NULL, g_uri_get_host (base),
                       g_uri_get_port (base), abs_path, parts[1], NULL);
  return soup_message_new_from_uri (method, built);
}

/* Sends one request. A transport failure (such as a connection the server closed) is handed
 * back in @error; everything else about the answer is checked here: it carries a request id,
 * a JSON body parses, and the OpenAPI document describes it. */
ParkTestResponse *
park_test_request_full (ParkTestBackend *self,
                        const char      *method,
                        const char      *path,
                        const char      *content_type,
                        GBytes          *body,
                        gboolean         expect_continue,
                        GError         **error)
{
  return park_test_request_token (self, NULL, method, path, content_type, body,
                                  expect_continue, error);
}

ParkTestResponse *
park_test_call (ParkTestBackend *self,
                const char      *token,
                const char      *method,
                const char      *path,
                const char      *json_body)
{
  g_autoptr(GBytes) body = json_body != NULL ? g_bytes_new (json_body, strlen (json_body)) : NULL;
  g_autoptr(GError) error = NULL;
  ParkTestResponse *response;

  response = park_test_request_token (self, token, method, path,
                                      json_body != NULL ? "application/json" : NULL, body,
                                      FALSE, &error);
  g_assert_no_error (error);
  return response;
}

ParkTestResponse *
park_test_request_token (ParkTestBackend *self,
                         const char      *token,
                         const char      *method,
                         const char      *path,
                         const char      *content_type,
                         GBytes          *body,
                         gboolean         expect_continue,
                         GError         **error)
{
  g_autofree char *uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  ParkTestResponse *response;
  GBytes *data;
  const char *type;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_assert_nonnull (self->url);
  uri = g_strconcat (self->url, path, NULL);
  msg = soup_message_new (method, uri);
  if (msg == NULL)
    msg = message_from_parts (self, method, path);
  g_assert_nonnull (msg);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  if (token != NULL)
    {
      /* "Kiosk KEY" (a kiosk's own key, issue 7) goes as it is; anything else is a token. */
      g_autofree char *value = g_str_has_prefix (token, "Kiosk ")
                               ? g_strdup (token) : g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    value);
    }
  if (expect_continue)
    soup_message_headers_set_expectations (soup_message_get_request_headers (msg),
                                           SOUP_EXPECTATION_CONTINUE);

  data = soup_session_send_and_read (self->session, msg, NULL, error);
  if (data == NULL)
    return NULL;

  response = g_new0 (ParkTestResponse, 1);
  response->body = data;
  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  type = soup_message_headers_get_content_type (response->headers, NULL);
  response->content_type = g_strdup (type);

  /* A HEAD answer has no body to parse; any other JSON answer must have one. */
  if (type != NULL && (g_str_equal (type, "application/json") ||
                       g_str_equal (type, "application/problem+json")) &&
      (g_bytes_get_size (data) > 0 || g_ascii_strcasecmp (method, "HEAD") != 0))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) parse_error = NULL;
      gsize len;
      const char *text = g_bytes_get_data (data, &len);

      if (!json_parser_load_from_data (parser, text != NULL ? text : "", len, &parse_error))
        g_error ("%s %s: the body is not JSON: %s", method, path, parse_error->message);
      if (json_parser_get_root (parser) == NULL)
        g_error ("%s %s: %s answer with an empty body", method, path, type);
      response->json = json_node_ref (json_parser_get_root (parser));
    }

  /* Each answer carries the request id the log line has. The one exception is h2o's own 413
   * for a body over the limit (text/plain, as documented), sent before parkd sees the
   * request; parkd's own 413 is a problem and carries it. */
  if (!(response->status == 413 && g_strcmp0 (type, "text/plain") == 0))
    g_assert_nonnull (soup_message_headers_get_one (response->headers, "X-Request-Id"));

  check_against_openapi (self, method, path, response);
  return response;
}

ParkTestResponse *
park_test_request (ParkTestBackend *self,
                   const char      *method,
                   const char      *path,
                   const char      *content_type,
                   const char      *body,
                   gssize           body_len)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  ParkTestResponse *response;

  if (body != NULL)
    bytes = g_bytes_new (body, body_len < 0 ? strlen (body) : (gsize) body_len);
  response = park_test_request_full (self, method, path, content_type, bytes, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response);
  return response;
}

ParkTestResponse *
park_test_get (ParkTestBackend *self,
               const char      *format,
               ...)
{
  g_autofree char *path = NULL;
  va_list args;

  va_start (args, format);
  path = g_strdup_vprintf (format, args);
  va_end (args);
  return park_test_request (self, "GET", path, NULL, NULL, 0);
}

void
park_test_response_free (ParkTestResponse *response)
{
  if (response == NULL)
    return;
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_free (response->content_type);
  g_free (response);
}

JsonObject *
park_test_response_object (ParkTestResponse *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  return json_node_get_object (response->json);
}

void
park_test_assert_problem (ParkTestResponse *response,
                          guint             status,
                          const char       *code,
                          const char       *field)
{
  JsonObject *problem;

  g_assert_cmpuint (response->status, ==, status);
  g_assert_cmpstr (response->content_type, ==, "application/problem+json");
  problem = park_test_response_object (response);
  g_assert_cmpint (json_object_get_int_member (problem, "status"), ==, status);
  g_assert_cmpstr (json_object_get_string_member (problem, "code"), ==, code);
  g_assert_true (json_object_has_member (problem, "title"));
  g_assert_true (json_object_has_member (problem, "detail"));
  g_assert_true (json_object_has_member (problem, "type"));
  if (field != NULL)
    g_assert_cmpstr (json_object_get_string_member_with_default (problem, "field", NULL), ==,
                     field);
  else
    g_assert_false (json_object_has_member (problem, "field"));
}
