/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-replicas.c: two parkd replicas sharing one database and one Redis (issue 10), as
 * real processes: a private redis-server on a free loopback port with no persistence, and
 * two parkd on port 0 on one database: an SQLite file (WAL) in the backend suite, and with
 * PARK_TEST_STORE=postgresql (the postgresql suite) one database of a private PostgreSQL +
 * PostGIS cluster, the deployment the issue describes, with the key file copied to the
 * second replica as an operator would.
 *
 * A driver books through replica B while a map is connected to replica A; the outbox goes
 * on to the parkade:events stream once; the sign-in limit holds across both; and with Redis
 * killed, searching and booking go on, signing in answers 503, and once Redis is back the
 * map on A sees B's bookings again and a client that was away resumes without a gap.
 * Behind nginx (the sample site, made runnable by tests/support/park-nginx-local.sh:
 * least_conn, WebSockets passed through, TLS), requests reach both replicas, a map on one
 * replica sees the bookings made on the other with the right counts, and 64 drivers racing
 * for one spot through nginx, round after round, leave exactly one booking of it.
 */
#include "park-test-backend.h"
#include "park-test-live.h"
#include "park-test-postgresql.h"
#include "park-test-utils.h"

#include <glib/gstdio.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PASSWORD     "correct horse battery staple 42"
#define WAIT_S       15
#define LOT_NAME     "Tiefgarage Altmarkt"

/* ---- a live-feed client, as the front ends connect ----------------------------------- */

/* libsoup's WebSocket client (tests/support/park-test-live.c). */
typedef ParkTestLiveClient Client;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, park_test_live_client_free)
#define client_free  park_test_live_client_free
#define run_until    park_test_run_until
#define has_message  park_test_live_has_message

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the main context run for a moment (clients go on reading while a test polls). */
static void
pause_a_little (void)
{
  gboolean done = FALSE;

  g_timeout_add (50, timed_out_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* As run_until(), for a condition that is polled (a server's metrics, redis-cli) rather
 * than waited for: the main context runs between two looks. */
static gboolean
poll_until (gboolean (*done) (gpointer),
            gpointer   data,
            guint      seconds)
{
  gint64 deadline = g_get_monotonic_time () +
                    (gint64) seconds * park_test_timeout_multiplier () * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      pause_a_little ();
    }
  return TRUE;
}

static JsonObject *
client_next (Client *c)
{
  return park_test_live_next (c, WAIT_S);
}

/* Connects to @backend's feed and subscribes with @subscribe; the snapshot in @snapshot. */
static Client *
client_subscribe (ParkTestBackend  *backend,
                  const char       *subscribe,
                  JsonObject      **snapshot)
{
  Client *c = park_test_live_connect (backend, WAIT_S);
  g_autoptr(JsonObject) hello = NULL;

  hello = client_next (c);
  g_assert_cmpstr (json_object_get_string_member (hello, "type"), ==, "hello");
  soup_websocket_connection_send_text (c->ws, subscribe);
  *snapshot = client_next (c);
  g_assert_cmpstr (json_object_get_string_member (*snapshot, "type"), ==, "snapshot");
  return c;
}

/* The next availability update of @c: the lot's number and the spot that changed. */
static gint64
client_next_update (Client      *c,
                    const char **spot_id_out,
                    gboolean    *replayed)
{
  g_autoptr(JsonObject) m = client_next (c);
  static char spot_id[64];

  g_assert_cmpstr (json_object_get_string_member (m, "type"), ==, "availability_update");
  g_strlcpy (spot_id, json_object_get_string_member (json_object_get_object_member (m, "spot"),
                                                     "id"), sizeof spot_id);
  if (spot_id_out != NULL)
    *spot_id_out = spot_id;
  if (replayed != NULL)
    *replayed = json_object_get_boolean_member_with_default (m, "replayed", FALSE);
  return json_object_get_int_member (m, "seq");
}

/* ---- Redis -------------------------------------------------------------------------------- */

typedef struct
{
  char             *tmpdir;
  GSubprocess      *redis;
  guint16           redis_port;
  char             *redis_url;
  const char       *redis_acl;   /* "USER PASSWORD" of a Redis locked down with ACLs, or NULL */
  ParkTestBackend  *a;
  ParkTestBackend  *b;
  char             *lot_id;
} Fixture;

static guint16
free_port (void)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof sa;
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &sa, sizeof sa), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &sa, &len), ==, 0);
  close (fd);
  return ntohs (sa.sin_port);
}

/* redis-cli's answer as JSON (--json), or NULL when the server cannot be reached. */
static JsonNode *
redis_cli (Fixture    *f,
           const char *first,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL, *err = NULL, *wrapped = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  int status;
  va_list args;

  g_ptr_array_add (argv, g_strdup ("redis-cli"));
  g_ptr_array_add (argv, g_strdup ("-p"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", f->redis_port));
  g_ptr_array_add (argv, g_strdup ("--json"));
  if (f->redis_acl != NULL)
    {
      g_auto(GStrv) acl = g_strsplit (f->redis_acl, " ", 2);

      g_ptr_array_add (argv, g_strdup ("--no-auth-warning"));
      g_ptr_array_add (argv, g_strdup ("--user"));
      g_ptr_array_add (argv, g_strdup (acl[0]));
      g_ptr_array_add (argv, g_strdup ("--pass"));
      g_ptr_array_add (argv, g_strdup (acl[1]));
    }
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL,
                               NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL) || g_str_has_prefix (out, "Could not connect"))
    return NULL;
  /* Wrapped: json-glib wants an array or an object at the top. */
  wrapped = g_strconcat ("[", out, "]", NULL);
  if (!json_parser_load_from_data (parser, wrapped, -1, NULL))
    return NULL;
  return json_array_dup_element (json_node_get_array (json_parser_get_root (parser)), 0);
}

static gboolean
redis_answers (gpointer data)
{
  g_autoptr(JsonNode) pong = redis_cli (data, "PING", NULL);

  return pong != NULL && g_strcmp0 (json_node_get_string (pong), "PONG") == 0;
}

static void
redis_start (Fixture *f)
{
  g_autofree char *redis_server = g_find_program_in_path ("redis-server");
  g_autofree char *redis_cli_path = g_find_program_in_path ("redis-cli");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *port = g_strdup_printf ("%u", f->redis_port);
  g_autofree char *log = g_build_filename (f->tmpdir, "redis.log", NULL);
  g_autoptr(GError) error = NULL;

  if (redis_server == NULL || redis_cli_path == NULL)
    g_error ("redis-server and redis-cli are needed (apt-get install redis-server)");
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, park_test_die_with_parent, NULL, NULL);
  /* No persistence: a restart is a Redis that lost everything, the hard case. */
  if (f->redis_acl != NULL)
    {
      g_auto(GStrv) acl = g_strsplit (f->redis_acl, " ", 2);
      g_autofree char *password = g_strconcat (">", acl[1], NULL);

      /* Locked down as a shared Redis is: no default user; parkd's own user may use the
       * parkade: keys and channels and nothing else. */
      f->redis = g_subprocess_launcher_spawn (launcher, &error, redis_server,
                                              "--port", port, "--bind", "127.0.0.1",
                                              "--save", "", "--appendonly", "no",
                                              "--dir", f->tmpdir, "--logfile", log,
                                              "--daemonize", "no", "--user", "default", "off",
                                              "--user", acl[0], "on", password, "~parkade:*",
                                              "&parkade:*", "+@all", NULL);
    }
  else
    f->redis = g_subprocess_launcher_spawn (launcher, &error, redis_server,
                                            "--port", port, "--bind", "127.0.0.1",
                                            "--save", "", "--appendonly", "no",
                                            "--dir", f->tmpdir, "--logfile", log,
                                            "--daemonize", "no", NULL);
  g_assert_no_error (error);
  g_assert_true (poll_until (redis_answers, f, WAIT_S));
}

static void
redis_kill (Fixture *f)
{
  g_subprocess_send_signal (f->redis, SIGKILL);
  g_subprocess_wait (f->redis, NULL, NULL);
  g_clear_object (&f->redis);
}

/* ---- parkd ---------------------------------------------------------------------------------- */

typedef struct
{
  ParkTestBackend *backend;
  const char      *name;
  gint64           value;
} MetricWait;

static gboolean
metric_is (gpointer data)
{
  MetricWait *w = data;

  return park_test_backend_metric (w->backend, w->name) == w->value;
}

static void
wait_metric (ParkTestBackend *backend,
             const char      *name,
             gint64           value)
{
  MetricWait w = { backend, name, value };

  g_assert_true (poll_until (metric_is, &w, WAIT_S));
}

/* Replicas sign with the same keys. Beside an SQLite file both find the one key file; with
 * PostgreSQL each has --keys-file in its own directory, and @b gets a copy of @a's, as each
 * replica of a deployment gets the same file (a Secret, a file copied to each host). */
static void
share_keys (ParkTestBackend *a,
            ParkTestBackend *b)
{
  g_autofree char *from = park_test_backend_keys_path (a);
  g_autofree char *to = park_test_backend_keys_path (b);
  g_autofree char *keys = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;

  if (g_str_equal (from, to))
    return;
  g_assert_true (g_file_get_contents (from, &keys, &len, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents_full (to, keys, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                           &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char * const *extra = data;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(ParkTestResponse) lots = NULL;
  JsonArray *items;

  f->tmpdir = g_dir_make_tmp ("parkade-redis-XXXXXX", NULL);
  g_assert_nonnull (f->tmpdir);
  f->redis_port = free_port ();
  f->redis_url = g_strdup_printf ("redis://127.0.0.1:%u/0", f->redis_port);
  redis_start (f);

  g_ptr_array_add (args, (gpointer) "--redis");
  g_ptr_array_add (args, f->redis_url);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) extra[i]);
  g_ptr_array_add (args, NULL);

  /* A seeds the demo city and migrates; B opens the same database file (and so the same
   * signing keys beside it) as another replica would. */
  f->a = park_test_backend_new ();
  {
    g_autoptr(GPtrArray) with_demo = g_ptr_array_new ();

    g_ptr_array_add (with_demo, (gpointer) "--demo");
    for (guint i = 0; i < args->len; i++)
      g_ptr_array_add (with_demo, g_ptr_array_index (args, i));
    park_test_backend_start (f->a, (const char * const *) with_demo->pdata);
  }
  f->b = park_test_backend_new ();
  g_free (f->b->db_path);
  f->b->db_path = g_strdup (f->a->db_path);
  share_keys (f->a, f->b);
  park_test_backend_start (f->b, (const char * const *) args->pdata);
  wait_metric (f->a, "parkd_redis_up", 1);
  wait_metric (f->b, "parkd_redis_up", 1);

  lots = park_test_get (f->a, "api/v1/parking-lots?lat=51.05&lng=13.74&radius=5000"
                        "&per_page=100");
  g_assert_cmpuint (lots->status, ==, 200);
  items = json_object_get_array_member (park_test_response_object (lots), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *lot = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (lot, "name"), LOT_NAME))
        f->lot_id = g_strdup (json_object_get_string_member (lot, "id"));
    }
  g_assert_nonnull (f->lot_id);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->b, park_test_backend_free);
  g_clear_pointer (&f->a, park_test_backend_free);
  if (f->redis != NULL)
    redis_kill (f);
  park_test_remove_tree (f->tmpdir);
  g_free (f->tmpdir);
  g_free (f->redis_url);
  g_free (f->lot_id);
}

static char *
register_driver (ParkTestBackend *backend,
                 const char      *email)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"" PASSWORD "\","
                                           "\"first_name\":\"Dana\",\"last_name\":\"Driver\"}",
                                           email);
  g_autoptr(ParkTestResponse) r = park_test_call (backend, NULL, "POST", "api/v1/auth/register",
                                                  body);

  g_assert_cmpuint (r->status, ==, 201);
  return g_strdup (json_object_get_string_member (park_test_response_object (r),
                                                  "access_token"));
}

static ParkTestResponse *
sign_in (ParkTestBackend *backend,
         const char      *email,
         const char      *password)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}", email,
                                           password);

  return park_test_call (backend, NULL, "POST", "api/v1/auth/login", body);
}

/* The ids of the lot's available regular spots. */
static GPtrArray *
free_spots (Fixture *f,
            guint    n)
{
  g_autoptr(ParkTestResponse) r =
    park_test_get (f->a, "api/v1/parking-lots/%s/spots?type=regular&state=available"
                   "&per_page=100", f->lot_id);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  JsonArray *items;

  g_assert_cmpuint (r->status, ==, 200);
  items = json_object_get_array_member (park_test_response_object (r), "items");
  for (guint i = 0; i < json_array_get_length (items) && ids->len < n; i++)
    g_ptr_array_add (ids, g_strdup (json_object_get_string_member (
                                      json_array_get_object_element (items, i), "id")));
  g_assert_cmpuint (ids->len, ==, n);
  return ids;
}

/* Books @spot_id through @backend from now for two hours: the spot turns "reserved". */
static void
book_now (Fixture         *f,
          ParkTestBackend *backend,
          const char      *token,
          const char      *spot_id)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) end = g_date_time_add_hours (now, 2);
  g_autofree char *start_text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *end_text = g_date_time_format (end, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *path = g_strdup_printf ("api/v1/parking-lots/%s/spots/%s/reserve",
                                           f->lot_id, spot_id);
  g_autofree char *body = g_strdup_printf ("{\"start_time\":\"%s\",\"end_time\":\"%s\"}",
                                           start_text, end_text);
  g_autoptr(ParkTestResponse) r = park_test_call (backend, token, "POST", path, body);

  g_assert_cmpuint (r->status, ==, 201);
}

/* The outbox's seqs after @after, from the database itself. */
static GArray *
outbox_seqs (Fixture *f,
             gint64   after)
{
  g_autofree char *sql = g_strdup_printf ("SELECT seq FROM events WHERE seq > %" G_GINT64_FORMAT
                                          " ORDER BY seq", after);
  g_autofree char *out = park_test_database_rows (f->a->db_path, sql);
  GArray *seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      {
        gint64 seq = g_ascii_strtoll (lines[i], NULL, 10);

        g_array_append_val (seqs, seq);
      }
  return seqs;
}

static gint64
outbox_head (Fixture *f)
{
  g_autoptr(GArray) all = outbox_seqs (f, 0);

  return all->len > 0 ? g_array_index (all, gint64, all->len - 1) : 0;
}

/* The stream's entries after @after: each an array [id, [field, value, ...]]. */
static JsonArray *
stream_entries (Fixture *f,
                gint64   after)
{
  g_autofree char *from = g_strdup_printf ("(%" G_GINT64_FORMAT "-0", after);
  g_autoptr(JsonNode) node = redis_cli (f, "XRANGE", "parkade:events", from, "+", NULL);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_ref (json_node_get_array (node));
}

static const char *
entry_field (JsonArray  *entry,
             const char *name)
{
  JsonArray *fields = json_array_get_array_element (entry, 1);

  for (guint i = 0; i + 1 < json_array_get_length (fields); i += 2)
    if (g_str_equal (json_array_get_string_element (fields, i), name))
      return json_array_get_string_element (fields, i + 1);
  return NULL;
}

typedef struct
{
  Fixture *f;
  gint64   after;
  gint64   head;
} StreamWait;

static gboolean
stream_reaches (gpointer data)
{
  StreamWait *w = data;
  g_autoptr(JsonArray) entries = stream_entries (w->f, w->after);
  guint n = json_array_get_length (entries);

  return n > 0 && g_ascii_strtoll (entry_field (json_array_get_array_element (entries, n - 1),
                                                "seq"), NULL, 10) >= w->head;
}

/* Every outbox event after @after is in the stream once, in order, under "<seq>-0", with
 * what the outbox holds. */
static void
assert_stream_has_outbox (Fixture *f,
                          gint64   after)
{
  g_autoptr(GArray) seqs = outbox_seqs (f, after);
  g_autoptr(JsonArray) entries = NULL;
  StreamWait w = { f, after, 0 };

  g_assert_cmpuint (seqs->len, >, 0);
  w.head = g_array_index (seqs, gint64, seqs->len - 1);
  g_assert_true (poll_until (stream_reaches, &w, WAIT_S));
  entries = stream_entries (f, after);
  g_assert_cmpuint (json_array_get_length (entries), ==, seqs->len);
  for (guint i = 0; i < seqs->len; i++)
    {
      JsonArray *entry = json_array_get_array_element (entries, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT "-0",
                                             g_array_index (seqs, gint64, i));

      g_assert_cmpstr (json_array_get_string_element (entry, 0), ==, id);
      g_assert_cmpint (g_ascii_strtoll (entry_field (entry, "seq"), NULL, 10), ==,
                       g_array_index (seqs, gint64, i));
      g_assert_nonnull (entry_field (entry, "type"));
      g_assert_nonnull (entry_field (entry, "id"));
      g_assert_nonnull (entry_field (entry, "created_at"));
      g_assert_true (g_str_has_prefix (entry_field (entry, "payload"), "{"));
    }
}

/* ---- the tests ---------------------------------------------------------------------------- */

/* A map on replica A sees a booking made through replica B, once, told through Redis; the
 * outbox goes on to the stream once although both replicas read it. */
static void
test_feed_across (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *subscribe = g_strdup_printf ("{\"type\":\"subscribe\",\"lot_ids\":[\"%s\"]}",
                                                f->lot_id);
  g_autoptr(JsonObject) snapshot = NULL;
  g_autoptr(Client) map = client_subscribe (f->a, subscribe, &snapshot);
  g_autoptr(GPtrArray) spots = free_spots (f, 2);
  g_autofree char *token = register_driver (f->b, "across@example.org");
  JsonObject *lot = json_array_get_object_element (json_object_get_array_member (snapshot,
                                                                                  "lots"), 0);
  gint64 seq = json_object_get_int_member (lot, "seq");
  gint64 head = outbox_head (f);
  gint64 told = park_test_backend_metric (f->a, "parkd_live_redis_messages_total");
  const char *spot_id;
  g_autoptr(JsonArray) entries = NULL;
  gboolean booked = FALSE;

  book_now (f, f->b, token, g_ptr_array_index (spots, 0));
  g_assert_cmpint (client_next_update (map, &spot_id, NULL), ==, seq + 1);
  g_assert_cmpstr (spot_id, ==, g_ptr_array_index (spots, 0));
  /* B told A on the channel. */
  g_assert_cmpint (park_test_backend_metric (f->a, "parkd_live_redis_messages_total"), >, told);

  /* The next change, through A this time, is the next number: nothing came twice. */
  book_now (f, f->a, token, g_ptr_array_index (spots, 1));
  g_assert_cmpint (client_next_update (map, &spot_id, NULL), ==, seq + 2);
  g_assert_cmpstr (spot_id, ==, g_ptr_array_index (spots, 1));

  assert_stream_has_outbox (f, head);
  entries = stream_entries (f, head);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonArray *entry = json_array_get_array_element (entries, i);

      if (g_strcmp0 (entry_field (entry, "type"), "ParkingSpotBooked") == 0)
        {
          g_assert_nonnull (entry_field (entry, "user_id"));
          g_assert_nonnull (entry_field (entry, "operator_id"));
          booked = TRUE;
        }
    }
  g_assert_true (booked);
  /* A consumer group reads the stream from its start. */
  {
    g_autoptr(JsonNode) created = redis_cli (f, "XGROUP", "CREATE", "parkade:events", "test",
                                             "0", NULL);
    g_autoptr(JsonNode) read = redis_cli (f, "XREADGROUP", "GROUP", "test", "c1", "COUNT",
                                          "1000", "STREAMS", "parkade:events", ">", NULL);

    g_assert_nonnull (read);
    g_assert_true (JSON_NODE_HOLDS_OBJECT (read) || JSON_NODE_HOLDS_ARRAY (read));
  }
}

/* The sign-in limit is one for both replicas: alternating between them gets no more tries
 * than one replica alone would give. */
static void
test_shared_limit (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *token = register_driver (f->a, "limit@example.org");
  guint allowed = 0, limited = 0;

  /* --auth-rate-limit 2: the registration took one of two; one sign-in is left. */
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(ParkTestResponse) r = sign_in (i % 2 == 0 ? f->b : f->a, "limit@example.org",
                                               PASSWORD);

      if (r->status == 429)
        {
          park_test_assert_problem (r, 429, "rate-limited", NULL);
          g_assert_nonnull (soup_message_headers_get_one (r->headers, "Retry-After"));
          limited++;
        }
      else
        {
          g_assert_cmpuint (r->status, ==, 200);
          allowed++;
        }
    }
  g_assert_cmpuint (allowed, ==, 1);
  g_assert_cmpuint (limited, ==, 5);
}

/* The per-address limit across replicas, with each replica leasing tokens a few at a time:
 * a client at another address (127.0.0.2) alternating between the two gets the burst and
 * what refills meanwhile, not twice that. */
static void
test_shared_address_limit (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GInetAddress) loopback2 = g_inet_address_new_from_string ("127.0.0.2");
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new (loopback2, 0);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("local-address", local,
                                                                  "proxy-resolver", NULL,
                                                                  NULL);
  gint64 start = g_get_monotonic_time ();
  guint allowed = 0, limited = 0;
  double elapsed_s;

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *url = g_strconcat ((i % 2 == 0 ? f->a : f->b)->url, "api/v1/info", NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;

      body = soup_session_send_and_read (session, msg, NULL, &error);
      g_assert_no_error (error);
      if (soup_message_get_status (msg) == 429)
        limited++;
      else
        {
          g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
          allowed++;
        }
    }
  elapsed_s = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("%u allowed, %u limited in %.2f s", allowed, limited, elapsed_s);
  /* --rate-burst 40, --rate-limit 2: never more than the burst and the refill. */
  g_assert_cmpuint (allowed, <=, 40 + (guint) (2 * elapsed_s) + 1);
  /* Leases lost when unused cost a few tokens, not the limit. */
  g_assert_cmpuint (allowed, >=, 30);
  g_assert_cmpuint (limited, >, 0);
}

/* Redis killed: searching and booking go on, the map on A still gets B's bookings (from the
 * database), signing in is refused with 503. Redis back (empty): the map goes on with no
 * gap, a client that was away resumes, and the stream gets what was written meanwhile. */
static void
test_redis_away (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *subscribe = g_strdup_printf ("{\"type\":\"subscribe\",\"lot_ids\":[\"%s\"]}",
                                                f->lot_id);
  g_autoptr(JsonObject) snapshot = NULL, snapshot2 = NULL, again = NULL;
  g_autoptr(Client) map = client_subscribe (f->a, subscribe, &snapshot);
  g_autoptr(Client) away = NULL;
  g_autoptr(Client) back = NULL;
  g_autoptr(GPtrArray) spots = free_spots (f, 3);
  g_autofree char *token = register_driver (f->b, "away@example.org");
  g_autofree char *resume = NULL;
  gint64 seq = json_object_get_int_member (json_array_get_object_element (
                 json_object_get_array_member (snapshot, "lots"), 0), "seq");
  gint64 head;
  const char *spot_id;
  gboolean replayed;

  away = client_subscribe (f->a, subscribe, &snapshot2);
  redis_kill (f);
  wait_metric (f->a, "parkd_redis_up", 0);
  wait_metric (f->b, "parkd_redis_up", 0);
  head = outbox_head (f);

  /* Searching and booking go on. */
  {
    g_autoptr(ParkTestResponse) r = park_test_get (f->a, "api/v1/parking-lots?lat=51.05"
                                                   "&lng=13.74&radius=2000");

    g_assert_cmpuint (r->status, ==, 200);
  }
  book_now (f, f->b, token, g_ptr_array_index (spots, 0));
  g_assert_cmpint (client_next_update (map, &spot_id, NULL), ==, seq + 1);
  g_assert_cmpstr (spot_id, ==, g_ptr_array_index (spots, 0));

  /* Signing in is refused on either replica, not let through unlimited. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(ParkTestResponse) r = sign_in (i == 0 ? f->a : f->b, "away@example.org",
                                               PASSWORD);

      park_test_assert_problem (r, 503, "rate-limit-unavailable", NULL);
      g_assert_cmpstr (r->content_type, ==, "application/problem+json");
      g_assert_nonnull (soup_message_headers_get_one (r->headers, "Retry-After"));
    }

  /* A client leaves at seq + 1; B books again while Redis is still away. */
  g_assert_cmpint (client_next_update (away, NULL, NULL), ==, seq + 1);
  g_clear_pointer (&away, client_free);
  book_now (f, f->b, token, g_ptr_array_index (spots, 1));
  g_assert_cmpint (client_next_update (map, NULL, NULL), ==, seq + 2);

  /* Redis comes back with nothing in it. */
  redis_start (f);
  wait_metric (f->a, "parkd_redis_up", 1);
  wait_metric (f->b, "parkd_redis_up", 1);
  book_now (f, f->b, token, g_ptr_array_index (spots, 2));
  g_assert_cmpint (client_next_update (map, &spot_id, NULL), ==, seq + 3);
  g_assert_cmpstr (spot_id, ==, g_ptr_array_index (spots, 2));

  /* The client that left resumes from what it had: both missed updates, in order. */
  resume = g_strdup_printf ("{\"type\":\"subscribe\",\"lot_ids\":[\"%s\"],"
                            "\"resume\":{\"%s\":%" G_GINT64_FORMAT "}}", f->lot_id, f->lot_id,
                            seq + 1);
  back = client_subscribe (f->a, resume, &again);
  g_assert_cmpint (json_object_get_int_member (again, "resumed"), ==, 1);
  g_assert_cmpint (client_next_update (back, &spot_id, &replayed), ==, seq + 2);
  g_assert_cmpstr (spot_id, ==, g_ptr_array_index (spots, 1));
  g_assert_true (replayed);
  g_assert_cmpint (client_next_update (back, &spot_id, &replayed), ==, seq + 3);
  g_assert_cmpstr (spot_id, ==, g_ptr_array_index (spots, 2));

  /* Signing in works again, and the stream has what was written while Redis was away. */
  {
    g_autoptr(ParkTestResponse) r = sign_in (f->a, "away@example.org", PASSWORD);

    g_assert_cmpuint (r->status, ==, 200);
  }
  assert_stream_has_outbox (f, head);
}

/* Redis stops answering without closing its connections (a hung host, a full network
 * path): nothing waits on it for long. Requests held for a rate limit get their answer once
 * parkd gives up on Redis (2 s), searches go on, sign-in is refused; when Redis answers
 * again, sign-in works again. */
static void
test_redis_hangs (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *token = register_driver (f->a, "hang@example.org");

  g_subprocess_send_signal (f->redis, SIGSTOP);
  {
    g_autoptr(ParkTestResponse) r = park_test_get (f->a, "api/v1/parking-lots?lat=51.05"
                                                   "&lng=13.74&radius=2000");

    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    g_autoptr(ParkTestResponse) r = sign_in (f->b, "hang@example.org", PASSWORD);

    park_test_assert_problem (r, 503, "rate-limit-unavailable", NULL);
  }
  wait_metric (f->a, "parkd_redis_up", 0);
  g_subprocess_send_signal (f->redis, SIGCONT);
  wait_metric (f->a, "parkd_redis_up", 1);
  wait_metric (f->b, "parkd_redis_up", 1);
  {
    g_autoptr(ParkTestResponse) r = sign_in (f->b, "hang@example.org", PASSWORD);

    g_assert_cmpuint (r->status, ==, 200);
  }
}

/* Failed sign-ins to one account count on every replica: after two wrong passwords on A,
 * B makes the right one wait too. */
static void
test_login_throttle_across (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *token = register_driver (f->a, "throttle@example.org");

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(ParkTestResponse) r = sign_in (f->a, "throttle@example.org", "wrong password 1");

      park_test_assert_problem (r, 401, "invalid-credentials", NULL);
    }
  {
    g_autoptr(ParkTestResponse) r = sign_in (f->b, "throttle@example.org", PASSWORD);

    park_test_assert_problem (r, 429, "login-throttled", NULL);
    g_assert_nonnull (soup_message_headers_get_one (r->headers, "Retry-After"));
  }
}

/* Both replicas run the timer that tells drivers their time runs out (every 15 s): the
 * driver hears it once, and the outbox holds it once. */
static void
test_ending_soon_once (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *token = register_driver (f->b, "soon@example.org");
  g_autofree char *auth = g_strdup_printf ("{\"type\":\"auth\",\"token\":\"%s\"}", token);
  g_autofree char *subscribe = g_strdup_printf ("{\"type\":\"subscribe\",\"lot_ids\":[\"%s\"]}",
                                                f->lot_id);
  g_autoptr(JsonObject) snapshot = NULL;
  g_autoptr(Client) app = client_subscribe (f->a, subscribe, &snapshot);
  g_autoptr(GPtrArray) spots = free_spots (f, 1);
  g_autofree char *id = NULL, *sql = NULL, *count_sql = NULL, *out = NULL;
  guint heard = 0;
  gboolean done = FALSE;

  soup_websocket_connection_send_text (app->ws, auth);
  book_now (f, f->b, token, g_ptr_array_index (spots, 0));
  {
    g_autoptr(ParkTestResponse) r = park_test_call (f->b, token, "GET", "api/v1/reservations",
                                                    NULL);

    g_assert_cmpuint (r->status, ==, 200);
    id = g_strdup (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (park_test_response_object (r), "items"), 0),
                     "id"));
  }
  /* Ending in ten minutes, in the store's own SQL. */
  if (park_test_postgresql_wanted ())
    sql = g_strdup_printf ("UPDATE reservations SET status = 'confirmed', hold_until = NULL, "
                           "end_time = to_char (now () AT TIME ZONE 'UTC' + interval "
                           "'10 minutes', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') WHERE id = '%s'", id);
  else
    sql = g_strdup_printf ("UPDATE reservations SET status = 'confirmed', hold_until = NULL, "
                           "end_time = strftime ('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now', "
                           "'+10 minutes') WHERE id = '%s'", id);
  park_test_backend_sql (f->a, sql);
  /* The first replica to look tells; a look later (15 s), the other has looked too. */
  while (!done)
    {
      g_autoptr(JsonObject) m = NULL;

      /* parkd looks every 15 seconds. */
      g_assert_true (run_until (has_message, app, 40));
      m = g_queue_pop_head (&app->messages);
      g_assert_nonnull (m);

      if (g_strcmp0 (json_object_get_string_member_with_default (m, "type", ""),
                     "reservation_event") == 0 &&
          g_strcmp0 (json_object_get_string_member (m, "event"), "ReservationEndingSoon") == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (m, "reservation_id"), ==, id);
          heard++;
          done = TRUE;
        }
    }
  {
    gint64 until = g_get_monotonic_time () + 17 * G_USEC_PER_SEC;

    while (g_get_monotonic_time () < until)
      pause_a_little ();
  }
  while (!g_queue_is_empty (&app->messages))
    {
      g_autoptr(JsonObject) m = g_queue_pop_head (&app->messages);

      if (g_strcmp0 (json_object_get_string_member_with_default (m, "event", ""),
                     "ReservationEndingSoon") == 0)
        heard++;
    }
  g_assert_cmpuint (heard, ==, 1);
  count_sql = g_strdup_printf ("SELECT count(*) FROM events WHERE type = "
                               "'ReservationEndingSoon' AND aggregate = 'reservation:%s'", id);
  out = park_test_database_rows (f->a->db_path, count_sql);
  g_assert_cmpstr (out, ==, "1");
}

/* ---- nginx in front ------------------------------------------------------------------------ */

#define RACERS         64
#define RACE_ROUNDS    3
#define DRIVERS        8
#define RESERVE_ROUTE  "/api/v1/parking-lots/{id}/spots/{spot_id}/reserve"

/* nginx with the sample site in front of both replicas, and a "backend" that is that site:
 * park_test_call() on it goes through nginx, over TLS, and checks answers as on a replica. */
typedef struct
{
  GSubprocess     *process;
  ParkTestBackend *front;
} Nginx;

static void
nginx_free (Nginx *n)
{
  park_test_backend_free (n->front);
  if (n->process != NULL)
    {
      g_subprocess_send_signal (n->process, SIGTERM);
      g_subprocess_wait (n->process, NULL, NULL);
      g_clear_object (&n->process);
    }
  g_free (n);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Nginx, nginx_free)

/* "127.0.0.1:PORT" of a replica's "http://127.0.0.1:PORT/". */
static char *
host_port (ParkTestBackend *backend)
{
  const char *start = backend->url + strlen ("http://");

  return g_strndup (start, strlen (start) - 1);
}

static gboolean
front_answers (gpointer data)
{
  ParkTestBackend *front = data;
  g_autofree char *url = g_strconcat (front->url, "health", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (front->session, msg, NULL, NULL);

  return body != NULL && soup_message_get_status (msg) == 200;
}

/* The site made runnable by the generator the deploy tests and the benchmark share
 * (tests/support/park-nginx-local.sh), with both replicas upstream, then nginx started. */
static Nginx *
nginx_start (Fixture *f)
{
  const char *generator = g_getenv ("PARK_NGINX_LOCAL");
  const char *site = g_getenv ("NGINX_SITE");
  g_autofree char *dir = g_build_filename (f->tmpdir, "nginx", NULL);
  g_autofree char *a = host_port (f->a), *b = host_port (f->b);
  g_autofree char *out = NULL, *err = NULL, *nginx = NULL;
  g_autofree char *log = g_build_filename (dir, "nginx-error.log", NULL);
  g_autofree char *conf = g_build_filename (dir, "nginx.conf", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autoptr(GSubprocess) gen = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GTlsDatabase) ca = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  guint port = 0;
  Nginx *n = g_new0 (Nginx, 1);

  if (generator == NULL || site == NULL)
    g_error ("PARK_NGINX_LOCAL and NGINX_SITE must name the generator and the site "
             "(meson test sets them)");
  gen = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                          &error, "bash", generator, site, dir, a, b, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (gen, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (gen) || g_subprocess_get_exit_status (gen) != 0)
    g_error ("park-nginx-local.sh failed:\n%s", err);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "https_port="))
        port = (guint) g_ascii_strtoull (lines[i] + strlen ("https_port="), NULL, 10);
      else if (g_str_has_prefix (lines[i], "nginx="))
        nginx = g_strdup (lines[i] + strlen ("nginx="));
    }
  g_assert_cmpuint (port, >, 0);
  g_assert_nonnull (nginx);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, park_test_die_with_parent, NULL, NULL);
  n->process = g_subprocess_launcher_spawn (launcher, &error, nginx, "-p", dir, "-e", log,
                                            "-c", conf, NULL);
  g_assert_no_error (error);

  ca = g_tls_file_database_new (cert, &error);
  g_assert_no_error (error);
  n->front = g_new0 (ParkTestBackend, 1);
  n->front->url = g_strdup_printf ("https://127.0.0.1:%u/", port);
  n->front->db_path = g_strdup (f->a->db_path);
  n->front->session = soup_session_new_with_options ("timeout", 30, "proxy-resolver", NULL,
                                                     "tls-database", ca, NULL);
  n->front->openapi = json_node_ref (f->a->openapi);
  if (!poll_until (front_answers, n->front, WAIT_S))
    {
      g_autofree char *text = NULL;

      g_file_get_contents (log, &text, NULL, NULL);
      g_error ("nginx did not answer on port %u:\n%s", port, text != NULL ? text : "");
    }
  return n;
}

/* How many requests of @route @backend has answered, whatever their method and status. */
static guint64
route_requests (ParkTestBackend *backend,
                const char      *route)
{
  g_autoptr(ParkTestResponse) r = park_test_get (backend, "metrics");
  g_autofree char *text = g_strndup (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));
  g_autofree char *label = g_strdup_printf (",route=\"%s\",", route);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint64 n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "parkd_http_requests_total{") &&
        strstr (lines[i], label) != NULL)
      n += g_ascii_strtoull (strrchr (lines[i], ' ') + 1, NULL, 10);
  return n;
}

/* The next update of @c: the booking of @spot_id, numbered @seq, the lot with one regular
 * spot fewer available than @regular. */
static void
expect_booked (Client     *c,
               gint64      seq,
               const char *spot_id,
               gint64      regular)
{
  g_autoptr(JsonObject) m = client_next (c);
  JsonObject *spot;

  g_assert_cmpstr (json_object_get_string_member (m, "type"), ==, "availability_update");
  g_assert_cmpint (json_object_get_int_member (m, "seq"), ==, seq);
  spot = json_object_get_object_member (m, "spot");
  g_assert_cmpstr (json_object_get_string_member (spot, "id"), ==, spot_id);
  g_assert_cmpstr (json_object_get_string_member (spot, "previous_state"), ==, "available");
  g_assert_cmpstr (json_object_get_string_member (spot, "state"), ==, "reserved");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (m, "available"),
                                               "regular"), ==, regular - 1);
}

/* What the operator would look for in the database: the spot's bookings that hold it. */
static char *
active_bookings (Fixture    *f,
                 const char *spot_id)
{
  g_autofree char *sql =
    g_strdup_printf ("SELECT count(*) FROM reservations r JOIN parking_spots s "
                     "ON s.pk = r.spot_pk WHERE s.id = '%s' AND r.status IN "
                     "('pending_payment', 'confirmed', 'checked_in')", spot_id);

  return park_test_database_rows (f->a->db_path, sql);
}

typedef struct
{
  guint    pending;
  guint    created;
  guint    taken;    /* 409, application/problem+json, code "spot-taken" */
  GString *other;    /* every other answer, described */
} Race;

static gboolean
race_over (gpointer data)
{
  return ((Race *) data)->pending == 0;
}

static gboolean
is_spot_taken (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *text = g_bytes_get_data (body, &len);
  JsonObject *problem;

  if (!json_parser_load_from_data (parser, text != NULL ? text : "", len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  problem = json_node_get_object (json_parser_get_root (parser));
  return json_object_get_int_member_with_default (problem, "status", 0) == 409 &&
         g_strcmp0 (json_object_get_string_member_with_default (problem, "code", NULL),
                    "spot-taken") == 0;
}

static void
racer_answered_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  Race *race = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);
  const char *type;
  guint status;

  race->pending--;
  if (body == NULL)
    {
      g_string_append_printf (race->other, " [no answer: %s]", error->message);
      return;
    }
  status = soup_message_get_status (msg);
  type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  if (status == 201)
    race->created++;
  else if (status == 409 && g_strcmp0 (type, "application/problem+json") == 0 &&
           is_spot_taken (body))
    race->taken++;
  else
    g_string_append_printf (race->other, " [%u %s %.*s]", status, type != NULL ? type : "-",
                            (int) MIN (g_bytes_get_size (body), 200),
                            (const char *) g_bytes_get_data (body, NULL));
}

/* RACERS drivers at once, each on a connection of its own through nginx (HTTP/1.1: see
 * main()), book @spot_id for the same two hours. */
static void
race_round (Fixture         *f,
            ParkTestBackend *front,
            SoupSession     *session,
            GPtrArray       *tokens,
            const char      *spot_id,
            Race            *race)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) end = g_date_time_add_hours (now, 2);
  g_autofree char *start_text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *end_text = g_date_time_format (end, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *url = g_strdup_printf ("%sapi/v1/parking-lots/%s/spots/%s/reserve",
                                          front->url, f->lot_id, spot_id);
  g_autofree char *text = g_strdup_printf ("{\"start_time\":\"%s\",\"end_time\":\"%s\"}",
                                           start_text, end_text);
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < RACERS; i++)
    {
      SoupMessage *msg = soup_message_new ("POST", url);
      g_autofree char *auth = g_strconcat ("Bearer ", g_ptr_array_index (tokens, i % tokens->len),
                                           NULL);

      soup_message_set_request_body_from_bytes (msg, "application/json", body);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
      g_ptr_array_add (messages, msg);
      race->pending++;
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                        racer_answered_cb, race);
    }
  g_assert_true (run_until (race_over, race, 60));
}

/* Through nginx: requests reach both replicas; a map on B and one through nginx see the
 * bookings made on A and on B, with the lot's counts; then 64 drivers race for one spot
 * through nginx, RACE_ROUNDS times: each round one 201, 63 409 problems, one booking of the
 * spot in the database, one update on each map, and nothing else. */
static void
test_behind_nginx (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Nginx) nginx = nginx_start (f);
  ParkTestBackend *front = nginx->front;
  g_autofree char *subscribe = g_strdup_printf ("{\"type\":\"subscribe\",\"lot_ids\":[\"%s\"]}",
                                                f->lot_id);
  g_autoptr(JsonObject) snapshot_b = NULL, snapshot_front = NULL;
  g_autoptr(Client) map_b = client_subscribe (f->b, subscribe, &snapshot_b);
  g_autoptr(Client) map_front = NULL;
  g_autoptr(GPtrArray) spots = free_spots (f, 3 + RACE_ROUNDS);
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GTlsDatabase) ca = NULL;
  g_autoptr(SoupSession) racers = NULL;
  JsonObject *lot = json_array_get_object_element (json_object_get_array_member (snapshot_b,
                                                                                  "lots"), 0);
  gint64 seq = json_object_get_int_member (lot, "seq");
  gint64 regular = json_object_get_int_member (json_object_get_object_member (lot, "available"),
                                               "regular");
  guint64 info[2], reserve[2];

  /* Requests through nginx are served by both replicas (before a WebSocket holds one of
   * them busy: least_conn then sends everything short to the other). */
  info[0] = route_requests (f->a, "/api/v1/info");
  info[1] = route_requests (f->b, "/api/v1/info");
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(ParkTestResponse) r = park_test_get (front, "api/v1/info");

      g_assert_cmpuint (r->status, ==, 200);
    }
  info[0] = route_requests (f->a, "/api/v1/info") - info[0];
  info[1] = route_requests (f->b, "/api/v1/info") - info[1];
  g_test_message ("40 requests through nginx: %" G_GUINT64_FORMAT " on A, %" G_GUINT64_FORMAT
                  " on B", info[0], info[1]);
  g_assert_cmpuint (info[0] + info[1], ==, 40);
  g_assert_cmpuint (info[0], >, 0);
  g_assert_cmpuint (info[1], >, 0);

  /* Both maps start from the same state, whichever replica nginx chose for the second. */
  map_front = client_subscribe (front, subscribe, &snapshot_front);
  lot = json_array_get_object_element (json_object_get_array_member (snapshot_front, "lots"), 0);
  g_assert_cmpint (json_object_get_int_member (lot, "seq"), ==, seq);

  for (guint i = 0; i < DRIVERS; i++)
    {
      g_autofree char *email = g_strdup_printf ("racer%u@example.org", i);

      g_ptr_array_add (tokens, register_driver (front, email));
    }

  /* Booked on A: the map on B sees it, as does the one through nginx; then the other way. */
  book_now (f, f->a, g_ptr_array_index (tokens, 0), g_ptr_array_index (spots, 0));
  expect_booked (map_b, ++seq, g_ptr_array_index (spots, 0), regular);
  expect_booked (map_front, seq, g_ptr_array_index (spots, 0), regular--);
  book_now (f, f->b, g_ptr_array_index (tokens, 1), g_ptr_array_index (spots, 1));
  expect_booked (map_b, ++seq, g_ptr_array_index (spots, 1), regular);
  expect_booked (map_front, seq, g_ptr_array_index (spots, 1), regular--);

  g_object_get (front->session, "tls-database", &ca, NULL);
  racers = soup_session_new_with_options ("max-conns", 2 * RACERS, "max-conns-per-host", RACERS,
                                          "timeout", 60, "proxy-resolver", NULL,
                                          "tls-database", ca, NULL);
  reserve[0] = route_requests (f->a, RESERVE_ROUTE);
  reserve[1] = route_requests (f->b, RESERVE_ROUTE);
  for (guint round = 0; round < RACE_ROUNDS; round++)
    {
      const char *spot_id = g_ptr_array_index (spots, 2 + round);
      Race answers = { 0, 0, 0, g_string_new (NULL) };
      g_autofree char *held = NULL;

      race_round (f, front, racers, tokens, spot_id, &answers);
      g_test_message ("round %u: %u booked, %u told the spot is taken, others:%s", round + 1,
                      answers.created, answers.taken, answers.other->str);
      g_assert_cmpstr (answers.other->str, ==, "");
      g_string_free (answers.other, TRUE);
      g_assert_cmpuint (answers.created, ==, 1);
      g_assert_cmpuint (answers.taken, ==, RACERS - 1);
      held = active_bookings (f, spot_id);
      g_assert_cmpstr (held, ==, "1");
      expect_booked (map_b, ++seq, spot_id, regular);
      expect_booked (map_front, seq, spot_id, regular--);
    }
  reserve[0] = route_requests (f->a, RESERVE_ROUTE) - reserve[0];
  reserve[1] = route_requests (f->b, RESERVE_ROUTE) - reserve[1];
  g_test_message ("%u racers a round through nginx: %" G_GUINT64_FORMAT " on A, %"
                  G_GUINT64_FORMAT " on B", RACERS, reserve[0], reserve[1]);
  g_assert_cmpuint (reserve[0] + reserve[1], ==, RACE_ROUNDS * RACERS);
  g_assert_cmpuint (reserve[0], >, 0);
  g_assert_cmpuint (reserve[1], >, 0);

  /* The losers wrote nothing: the next change is the very next number on both maps. */
  book_now (f, f->b, g_ptr_array_index (tokens, 2), g_ptr_array_index (spots, 2 + RACE_ROUNDS));
  expect_booked (map_b, ++seq, g_ptr_array_index (spots, 2 + RACE_ROUNDS), regular);
  expect_booked (map_front, seq, g_ptr_array_index (spots, 2 + RACE_ROUNDS), regular);
}

/* Logging out on one replica ends the access token on the other at once. */
static void
test_logout_across (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *token = register_driver (f->a, "logout@example.org");
  g_autoptr(ParkTestResponse) me = park_test_call (f->b, token, "GET", "api/v1/users/me", NULL);
  g_autoptr(ParkTestResponse) out = park_test_call (f->a, token, "POST", "api/v1/auth/logout",
                                                    NULL);
  gboolean refused = FALSE;

  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpuint (out->status, ==, 204);
  /* Told through Redis: no reload of the database is waited for (that is every 10 s). */
  for (guint i = 0; i < 40 && !refused; i++)
    {
      g_autoptr(ParkTestResponse) r = park_test_call (f->b, token, "GET", "api/v1/users/me",
                                                      NULL);

      refused = r->status == 401;
      if (!refused)
        pause_a_little ();
    }
  g_assert_true (refused);
}

/* Two replicas started at the same moment on a new database: both come up, each migration
 * is applied once, and both use the one key file made (not one each): beside the SQLite
 * file, or the --keys-file both are given with PostgreSQL. */
static void
test_start_together (void)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("parkade-replicas-XXXXXX", NULL);
  g_autofree char *keys = g_build_filename (tmpdir, "park.keys", NULL);
  g_autofree char *db = park_test_postgresql_wanted () ? park_test_postgresql_new_database ()
                                                       : g_build_filename (tmpdir, "park.db",
                                                                           NULL);
  g_autofree char *migrated = NULL;
  GSubprocess *replicas[2];
  g_autoptr(SoupSession) session = soup_session_new ();
  char *jwks[2] = { NULL, NULL };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                   G_SUBPROCESS_FLAGS_STDERR_SILENCE);

      g_subprocess_launcher_set_child_setup (launcher, park_test_die_with_parent, NULL, NULL);
      replicas[i] = g_subprocess_launcher_spawn (launcher, &error, park_test_parkd_path (),
                                                 "--listen", "127.0.0.1:0", "--database", db,
                                                 "--threads", "1",
                                                 park_test_postgresql_wanted () ? "--keys-file"
                                                                                : NULL,
                                                 keys, NULL);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GDataInputStream) out =
        g_data_input_stream_new (g_subprocess_get_stdout_pipe (replicas[i]));
      g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);
      g_autofree char *url = NULL;
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) body = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
      /* Both sign with the same keys: a token from one is good on the other. */
      url = g_strconcat (line + strlen ("listening on "), ".well-known/jwks.json", NULL);
      msg = soup_message_new ("GET", url);
      body = soup_session_send_and_read (session, msg, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
      jwks[i] = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    }
  g_assert_cmpstr (jwks[0], ==, jwks[1]);
  g_free (jwks[0]);
  g_free (jwks[1]);
  migrated = park_test_database_rows (db, "SELECT CASE WHEN count(*) = count(DISTINCT version) "
                                      "AND count(*) >= 7 THEN 1 ELSE 0 END "
                                      "FROM schema_migrations");
  g_assert_cmpstr (migrated, ==, "1");
  for (guint i = 0; i < 2; i++)
    {
      g_subprocess_send_signal (replicas[i], SIGTERM);
      g_assert_true (g_subprocess_wait_check (replicas[i], NULL, &error));
      g_assert_no_error (error);
      g_object_unref (replicas[i]);
    }
  park_test_remove_tree (tmpdir);
}

/* "parkd keys rotate" makes the key file replicas are to share when there is none yet, and
 * adds a key to it when there is. */
static void
test_keys_for_replicas (void)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("parkade-keys-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmpdir, "parkd.keys", NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GSubprocess) p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                   G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                                   park_test_parkd_path (), "keys", "rotate",
                                                   "--keys-file", path, NULL);
      g_autofree char *out = NULL;

      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (p, NULL, NULL, &out, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 0);
      g_assert_true (g_str_has_prefix (out, i == 0 ? "Created " : "Added signing key "));
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    }
  g_assert_true (g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  g_assert_true (g_key_file_has_key (kf, "keys", "seal", NULL));
  park_test_remove_tree (tmpdir);
}

/* A --redis that is not a Redis URL is a usage error; an unreachable Redis is not. */
static void
test_bad_url (void)
{
  static const char * const bad[] = {
    "http://127.0.0.1:6379", "redis://", "redis://127.0.0.1:6379/16", "redis://h:1/x",
    "redis://user-without-password@127.0.0.1:6379/0",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                   G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                                   park_test_parkd_path (), "--listen",
                                                   "127.0.0.1:0", "--database", "/nonexistent/x.db",
                                                   "--redis", bad[i], NULL);
      g_autofree char *err = NULL;

      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (p, NULL, NULL, NULL, &err, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 2);
      g_assert_nonnull (strstr (err, "--redis"));
    }
}

/* The publisher has appended something to parkade:events (after its commit, a moment later). */
static gboolean
stream_has_entries (gpointer data)
{
  g_autoptr(JsonNode) n = redis_cli (data, "XLEN", "parkade:events", NULL);

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_int (n) > 0;
}

/* A Redis shared by replicas is locked down with ACL users: parkd signs in as its own user
 * from the URL, and everything it keeps there is under parkade: (the user may touch nothing
 * else). With a wrong password Redis refuses it: sign-in fails closed, the refusal is logged
 * once rather than at every retry, and the rest goes on. */
static void
test_redis_acl_user (void)
{
  Fixture f = { NULL, };
  g_autoptr(ParkTestBackend) right = park_test_backend_new ();
  g_autoptr(ParkTestBackend) wrong = park_test_backend_new ();
  g_autofree char *good_url = NULL, *bad_url = NULL, *log = NULL, *token = NULL;
  g_autoptr(ParkTestResponse) refused = NULL, lots = NULL;
  const char *body = "{\"email\":\"nobody@example.org\",\"password\":\"" PASSWORD "\"}";
  const char *at;
  guint refusals = 0;

  f.tmpdir = g_dir_make_tmp ("parkade-redis-XXXXXX", NULL);
  f.redis_port = free_port ();
  f.redis_acl = "parkd-replica s3cret-Redis-pass";
  redis_start (&f);
  good_url = g_strdup_printf ("redis://parkd-replica:s3cret-Redis-pass@127.0.0.1:%u/0",
                              f.redis_port);
  bad_url = g_strdup_printf ("redis://parkd-replica:not-the-pass@127.0.0.1:%u/0", f.redis_port);

  {
    const char *args[] = { "--demo", "--redis", good_url, NULL };

    park_test_backend_start (right, args);
  }
  wait_metric (right, "parkd_redis_up", 1);
  /* Signed in as its user: the rate limits count in Redis and the events go to the stream. */
  token = register_driver (right, "acl@example.org");
  g_assert_nonnull (token);
  g_assert_true (poll_until (stream_has_entries, &f, WAIT_S));

  {
    const char *args[] = { "--redis", bad_url, NULL };

    g_free (wrong->db_path);
    wrong->db_path = g_strdup (right->db_path);
    share_keys (right, wrong);
    park_test_backend_start (wrong, args);
  }
  /* Sign-in is refused until Redis takes parkd; the lots are still there. */
  for (guint i = 0; i < 3; i++)
    {
      g_clear_pointer (&refused, park_test_response_free);
      refused = park_test_call (wrong, NULL, "POST", "api/v1/auth/login", body);
      g_assert_cmpuint (refused->status, ==, 503);
      g_usleep (700 * 1000);   /* parkd tries Redis again meanwhile */
    }
  g_assert_cmpint (park_test_backend_metric (wrong, "parkd_redis_up"), ==, 0);
  lots = park_test_get (wrong, "api/v1/parking-lots?lat=51.05&lng=13.74&radius=5000");
  g_assert_cmpuint (lots->status, ==, 200);
  g_assert_true (g_file_get_contents (wrong->log_path, &log, NULL, NULL));
  for (at = strstr (log, "refuses parkd"); at != NULL; at = strstr (at + 1, "refuses parkd"))
    refusals++;
  g_assert_cmpuint (refusals, ==, 1);
  g_assert_nonnull (strstr (log, "WRONGPASS"));

  park_test_backend_stop (wrong);
  park_test_backend_stop (right);
  redis_kill (&f);
  park_test_remove_tree (f.tmpdir);
  g_free (f.tmpdir);
}

/* A kiosk's requests are counted once for all replicas, as an account's are
 * (--account-rate-limit 2, burst 4): a kiosk alternating between A and B gets the burst and
 * what refills meanwhile, not each replica's burst. */
static void
test_kiosk_limit_across (Fixture       *f,
                         gconstpointer  data)
{
  const char *admin_args[] = { "--email", "kiosk-admin@example.org", "--role", "admin", NULL };
  g_autofree char *login = g_strdup_printf ("{\"email\":\"kiosk-admin@example.org\","
                                            "\"password\":\"%s\"}", PASSWORD);
  g_autoptr(ParkTestResponse) lot = park_test_get (f->a, "api/v1/parking-lots/%s", f->lot_id);
  g_autofree char *create = NULL;
  g_autoptr(ParkTestResponse) signed_in = NULL, kiosk = NULL;
  g_autofree char *auth = NULL;
  gint64 start = g_get_monotonic_time ();
  guint allowed = 0, limited = 0;
  double elapsed_s;

  g_assert_cmpuint (lot->status, ==, 200);
  /* An admin names the lot's operator. */
  create = g_strdup_printf ("{\"name\":\"Entrance\",\"parking_lot_id\":\"%s\",\"operator\":\"%s\"}",
                            f->lot_id,
                            json_object_get_string_member (json_object_get_object_member (
                              park_test_response_object (lot), "operator"), "slug"));
  g_assert_cmpint (park_test_user_add (f->a, admin_args, PASSWORD), ==, 0);
  signed_in = park_test_call (f->a, NULL, "POST", "api/v1/auth/login", login);
  g_assert_cmpuint (signed_in->status, ==, 200);
  kiosk = park_test_call (f->a, json_object_get_string_member (
                            park_test_response_object (signed_in), "access_token"),
                          "POST", "api/v1/admin/kiosks", create);
  g_assert_cmpuint (kiosk->status, ==, 201);
  auth = g_strconcat ("Kiosk ", json_object_get_string_member (
                        park_test_response_object (kiosk), "key"), NULL);

  for (guint i = 0; i < 12; i++)
    {
      /* A booking no kiosk made: 404 once the kiosk is let in, 429 when it is not. */
      g_autoptr(ParkTestResponse) r = park_test_call (i % 2 == 0 ? f->a : f->b, auth, "GET",
                                                      "api/v1/reservations/"
                                                      "00000000-0000-4000-8000-000000000000",
                                                      NULL);

      if (r->status == 429)
        limited++;
      else
        {
          g_assert_cmpuint (r->status, ==, 404);
          allowed++;
        }
    }
  elapsed_s = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("kiosk: %u allowed, %u limited in %.2f s", allowed, limited, elapsed_s);
  /* Each replica alone would let 4 through, 8 in all. */
  g_assert_cmpuint (allowed, <=, 4 + (guint) (2 * elapsed_s) + 1);
  g_assert_cmpuint (limited, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const no_limits[] = { "--auth-rate-limit", "0", "--account-rate-limit",
                                            "0", NULL };
  static const char * const free_2[] = { "--auth-rate-limit", "0", "--account-rate-limit",
                                         "0", "--login-free-failures", "2", NULL };
  static const char * const address_2[] = { "--rate-limit", "2", "--rate-burst", "40",
                                            "--auth-rate-limit", "0", "--account-rate-limit",
                                            "0", NULL };
  static const char * const auth_2[] = { "--auth-rate-limit", "2", NULL };
  static const char * const account_2[] = { "--auth-rate-limit", "0", "--account-rate-limit",
                                            "2", NULL };
  static const char * const auth_100[] = { "--auth-rate-limit", "100", NULL };
  /* As a deployment behind nginx runs, without limits for one address racing. */
  static const char * const proxied[] = { "--auth-rate-limit", "0", "--account-rate-limit",
                                          "0", "--trusted-proxies", "127.0.0.1", NULL };

  g_test_init (&argc, &argv, NULL);
  /* HTTP/1.1 to nginx too, as wrk and most phones speak it: each racer is a connection of its
   * own, not a stream of one. libsoup 3.2 has no switch per message (that came in 3.4). */
  g_setenv ("SOUP_FORCE_HTTP1", "1", TRUE);

  g_test_add_func ("/replicas/bad-url", test_bad_url);
  g_test_add_func ("/replicas/redis-acl-user", test_redis_acl_user);
  g_test_add ("/replicas/kiosk-limit-across", Fixture, account_2, fixture_setup,
              test_kiosk_limit_across, fixture_teardown);
  g_test_add_func ("/replicas/start-together", test_start_together);
  g_test_add_func ("/replicas/keys-for-replicas", test_keys_for_replicas);
  g_test_add ("/replicas/feed-across", Fixture, no_limits, fixture_setup, test_feed_across,
              fixture_teardown);
  g_test_add ("/replicas/shared-limit", Fixture, auth_2, fixture_setup, test_shared_limit,
              fixture_teardown);
  g_test_add ("/replicas/shared-address-limit", Fixture, address_2, fixture_setup,
              test_shared_address_limit, fixture_teardown);
  g_test_add ("/replicas/redis-away", Fixture, auth_100, fixture_setup, test_redis_away,
              fixture_teardown);
  g_test_add ("/replicas/redis-hangs", Fixture, auth_100, fixture_setup, test_redis_hangs,
              fixture_teardown);
  g_test_add ("/replicas/login-throttle-across", Fixture, free_2, fixture_setup,
              test_login_throttle_across, fixture_teardown);
  g_test_add ("/replicas/ending-soon-once", Fixture, no_limits, fixture_setup,
              test_ending_soon_once, fixture_teardown);
  g_test_add ("/replicas/logout-across", Fixture, no_limits, fixture_setup, test_logout_across,
              fixture_teardown);
  g_test_add ("/replicas/behind-nginx", Fixture, proxied, fixture_setup, test_behind_nginx,
              fixture_teardown);
  return g_test_run ();
}
