/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-replicas.c: two parkd replicas sharing one database and one Redis (issue 10), as
 * real processes: a private redis-server on a free loopback port with no persistence, and
 * two parkd on port 0 on one SQLite file (WAL), which stands in for a shared PostgreSQL here.
 *
 * A driver books through replica B while a map is connected to replica A; the outbox goes
 * on to the parkade:events stream once; the sign-in limit holds across both; and with Redis
 * killed, searching and booking go on, signing in answers 503, and once Redis is back the
 * map on A sees B's bookings again and a client that was away resumes without a gap.
 */
#include "park-test-backend.h"
#include "park-test-live.h"

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

static gint64
metric (ParkTestBackend *backend,
        const char      *name)
{
  g_autoptr(ParkTestResponse) r = park_test_get (backend, "metrics");
  g_autofree char *text = g_strndup (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));
  g_autofree char *needle = g_strconcat ("\n", name, " ", NULL);
  const char *at = strstr (text, needle);

  g_assert_nonnull (at);
  return g_ascii_strtoll (at + strlen (needle), NULL, 10);
}

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

  return metric (w->backend, w->name) == w->value;
}

static void
wait_metric (ParkTestBackend *backend,
             const char      *name,
             gint64           value)
{
  MetricWait w = { backend, name, value };

  g_assert_true (poll_until (metric_is, &w, WAIT_S));
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

/* The outbox's seqs after @after, from the database file itself. */
static GArray *
outbox_seqs (Fixture *f,
             gint64   after)
{
  g_autofree char *sql = g_strdup_printf ("SELECT seq FROM events WHERE seq > %" G_GINT64_FORMAT
                                          " ORDER BY seq", after);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "sqlite3", "-batch", "-cmd", ".timeout 10000", f->a->db_path, sql,
                         NULL };
  GArray *seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) lines = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  lines = g_strsplit (g_strstrip (out), "\n", -1);
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
  gint64 told = metric (f->a, "parkd_live_redis_messages_total");
  const char *spot_id;
  g_autoptr(JsonArray) entries = NULL;
  gboolean booked = FALSE;

  book_now (f, f->b, token, g_ptr_array_index (spots, 0));
  g_assert_cmpint (client_next_update (map, &spot_id, NULL), ==, seq + 1);
  g_assert_cmpstr (spot_id, ==, g_ptr_array_index (spots, 0));
  /* B told A on the channel. */
  g_assert_cmpint (metric (f->a, "parkd_live_redis_messages_total"), >, told);

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
  sql = g_strdup_printf ("UPDATE reservations SET status = 'confirmed', hold_until = NULL, "
                         "end_time = strftime ('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now', '+10 minutes') "
                         "WHERE id = '%s'", id);
  {
    const char *argv[] = { "sqlite3", "-batch", "-cmd", ".timeout 10000", f->a->db_path, sql,
                           NULL };
    g_autoptr(GError) error = NULL;
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
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
  {
    const char *argv[] = { "sqlite3", "-batch", "-cmd", ".timeout 10000", f->a->db_path,
                           count_sql, NULL };
    g_autoptr(GError) error = NULL;
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 &out, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (g_strstrip (out), ==, "1");
  }
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
 * is applied once, and both use the one key file made (not one each). */
static void
test_start_together (void)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("parkade-replicas-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (tmpdir, "park.db", NULL);
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
                                                 "--threads", "1", NULL);
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
  {
    const char *argv[] = { "sqlite3", "-batch", db,
                           "SELECT count(*) = count(DISTINCT version) AND count(*) >= 7 "
                           "FROM schema_migrations", NULL };
    g_autofree char *out = NULL;
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 &out, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (g_strstrip (out), ==, "1");
  }
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
  static const char * const auth_100[] = { "--auth-rate-limit", "100", NULL };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/replicas/bad-url", test_bad_url);
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
  return g_test_run ();
}
