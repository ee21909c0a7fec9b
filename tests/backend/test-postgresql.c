/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What only the PostgreSQL store has (issue 10): a read replica for the reads of the lots
 * (--database-replica), and the database itself refusing an overlapping booking. Runs with
 * PARK_TEST_STORE=postgresql only (the suite 'postgresql').
 */
#include "park-test-backend.h"
#include "park-test-live.h"
#include "park-test-postgresql.h"

#include <string.h>

#define WORLD "api/v1/parking-lots?bbox=-180,-90,180,90&per_page=100"

static gint64
total_of (ParkTestResponse *r)
{
  g_assert_cmpuint (r->status, ==, 200);
  return json_object_get_int_member (park_test_response_object (r), "total");
}

/* A database of @lots generated lots, its schema made by parkd itself. */
static char *
generated_database (ParkTestBackend *backend,
                    const char      *lots)
{
  g_autofree char *uri = park_test_postgresql_new_database ();
  g_autofree char *keys = park_test_backend_keys_path (backend);
  g_autofree char *out = NULL, *err = NULL;
  const char *argv[] = { park_test_parkd_path (), "generate", "--database", uri,
                         "--keys-file", keys, "--lots", lots, "--spots-per-lot", "5",
                         "--seed", "7", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("parkd generate: %s%s", out, err);
  return g_steal_pointer (&uri);
}

/* The searches read the replica, the writes and the staff's lists the primary: with a
 * "replica" that holds other lots than the primary, each answer shows where it came from. */
static void
test_replica_serves_searches (void)
{
  g_autoptr(ParkTestBackend) backend = park_test_backend_new ();
  g_autofree char *replica = generated_database (backend, "3");
  const char *args[] = { "--demo", "--database-replica", replica, NULL };
  g_autoptr(ParkTestResponse) world = NULL, on_primary = NULL, ready = NULL;
  g_autofree char *primary_lots = NULL;

  park_test_backend_start (backend, args);

  /* The primary has the demo city (36 lots); the replica its 3 generated ones. */
  world = park_test_get (backend, WORLD);
  g_assert_cmpint (total_of (world), ==, 3);
  primary_lots = park_test_postgresql_value (backend->db_path,
                                             "SELECT count(*) FROM parking_lots");
  g_assert_cmpstr (primary_lots, ==, "36");

  /* Readiness is the primary's: it must be able to write. */
  ready = park_test_get (backend, "ready");
  g_assert_cmpuint (ready->status, ==, 200);

  /* A lot only the primary has is not found where the replica answers. */
  {
    g_autofree char *id = park_test_postgresql_value (backend->db_path,
                                                      "SELECT id FROM parking_lots LIMIT 1");
    on_primary = park_test_get (backend, "api/v1/parking-lots/%s", id);
    g_assert_cmpuint (on_primary->status, ==, 404);
  }
}

static void
test_replica_needs_postgresql (void)
{
  g_autoptr(ParkTestBackend) backend = park_test_backend_new ();
  g_autofree char *file = g_build_filename (backend->tmpdir, "park.db", NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char *argv[] = { park_test_parkd_path (), "--listen", "127.0.0.1:0",
                         "--database", file, "--database-replica", backend->db_path, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), !=, 0);
  g_assert_nonnull (strstr (err, "read replica needs a PostgreSQL database"));
}

/* The seed's constraint, straight in SQL: two active holds of one spot that overlap are
 * refused with SQLSTATE 23P01 (exclusion_violation), whatever wrote them. */
static void
test_exclude_constraint (void)
{
  g_autoptr(ParkTestBackend) backend = park_test_backend_new ();
  const char *args[] = { "--demo", NULL };
  g_autofree char *spot = NULL, *first = NULL, *sql = NULL, *state = NULL;

  park_test_backend_start (backend, args);
  spot = park_test_postgresql_value (backend->db_path, "SELECT pk FROM parking_spots LIMIT 1");
  sql = g_strdup_printf ("INSERT INTO reservation_holds (id, code, spot_pk, start_time, "
                         "end_time, active) VALUES ('a', 'AAAAAA', %s, "
                         "'2031-01-01T10:00:00Z', '2031-01-01T12:00:00Z', true)", spot);
  g_assert_cmpint (park_test_postgresql_changes (backend->db_path, sql), ==, 1);
  g_free (sql);
  /* Adjacent is no overlap; an inactive (cancelled) hold holds nothing. */
  sql = g_strdup_printf ("INSERT INTO reservation_holds (id, code, spot_pk, start_time, "
                         "end_time, active) VALUES ('b', 'BBBBBB', %s, "
                         "'2031-01-01T12:00:00Z', '2031-01-01T13:00:00Z', true), "
                         "('c', 'CCCCCC', %s, '2031-01-01T11:00:00Z', '2031-01-01T14:00:00Z', "
                         "false)", spot, spot);
  g_assert_cmpint (park_test_postgresql_changes (backend->db_path, sql), ==, 2);
  g_free (sql);
  /* An overlap, in a DO block that reports the SQLSTATE it met. */
  sql = g_strdup_printf ("DO $$ BEGIN "
                         "INSERT INTO reservation_holds (id, code, spot_pk, start_time, "
                         "end_time, active) VALUES ('d', 'DDDDDD', %s, "
                         "'2031-01-01T11:30:00Z', '2031-01-01T11:45:00Z', true); "
                         "RAISE EXCEPTION 'no error'; "
                         "EXCEPTION WHEN OTHERS THEN "
                         "CREATE TEMP TABLE seen AS SELECT SQLSTATE AS state; END $$; "
                         "SELECT state FROM seen", spot);
  state = park_test_postgresql_value (backend->db_path, sql);
  g_assert_cmpstr (state, ==, "23P01");
}

/* The server restarts (a crash, a failover): every pooled connection is dead, and the next
 * requests still get their answers, reads and writes, on new ones. */
#define SLOW_EVENT \
  "BEGIN; INSERT INTO events (id, type, aggregate, payload, created_at) " \
  "VALUES ('slow-1', 'Test', 'test:slow', '{}', '2031-01-01T00:00:00Z'); " \
  "SELECT pg_sleep (3); COMMIT"

static gpointer
slow_event_thread (gpointer uri)
{
  park_test_postgresql_sql (uri, SLOW_EVENT);
  return NULL;
}

static gboolean
slow_event_open (const char *uri)
{
  g_autofree char *n = park_test_postgresql_value (uri,
    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE "
    "'%pg_sleep (3)%' AND pid <> pg_backend_pid ()");

  return g_strcmp0 (n, "1") == 0;
}

/* Events are numbered in the order their transactions commit (sql-pg/007): one written while
 * an earlier writer is still open waits for it. Otherwise the live publisher, which reads
 * after the last number it published, could see 11, move on, and never publish 10 when it
 * commits a moment later. */
static void
test_events_commit_order (void)
{
  g_autoptr(ParkTestBackend) backend = park_test_backend_new ();
  const char *args[] = { "--demo", NULL };
  g_autofree char *fast = NULL, *slow = NULL;
  gint64 deadline;
  GThread *thread;

  park_test_backend_start (backend, args);
  thread = g_thread_new ("slow-event", slow_event_thread, backend->db_path);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!slow_event_open (backend->db_path))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }
  fast = park_test_postgresql_value (backend->db_path,
    "INSERT INTO events (id, type, aggregate, payload, created_at) "
    "VALUES ('fast-1', 'Test', 'test:fast', '{}', '2031-01-01T00:00:01Z') RETURNING seq");
  /* When the second has its number, the first has committed, with a lower one. */
  slow = park_test_postgresql_value (backend->db_path, "SELECT seq FROM events WHERE id = 'slow-1'");
  g_test_message ("slow event %s, fast event %s", slow, fast);
  g_assert_nonnull (slow);
  g_assert_cmpstr (slow, !=, "");
  g_assert_cmpint (g_ascii_strtoll (slow, NULL, 10), <, g_ascii_strtoll (fast, NULL, 10));
  g_thread_join (thread);
}

static void
test_connection_lost (void)
{
  g_autoptr(ParkTestBackend) backend = park_test_backend_new ();
  const char *args[] = { "--demo", NULL };
  g_autoptr(ParkTestResponse) before = NULL, after = NULL, ready = NULL, registered = NULL;
  const char *body = "{\"email\":\"after-restart@example.org\","
                     "\"password\":\"Kestrel-Harbour-42\",\"first_name\":\"A\","
                     "\"last_name\":\"B\"}";

  park_test_backend_start (backend, args);
  before = park_test_get (backend, WORLD);
  g_assert_cmpint (total_of (before), ==, 36);

  park_test_postgresql_restart ();

  after = park_test_get (backend, WORLD);
  g_assert_cmpint (total_of (after), ==, 36);
  ready = park_test_get (backend, "ready");
  g_assert_cmpuint (ready->status, ==, 200);
  registered = park_test_request (backend, "POST", "api/v1/auth/register", "application/json",
                                  body, -1);
  g_assert_cmpuint (registered->status, ==, 201);
}

/* A store across the network makes every request wait on a round trip, or longer on a lock:
 * those waits happen on the store's own threads, never on an event loop. With one loop and
 * the lots table locked by someone else, several searches and a live-feed subscription wait
 * for the lock at once while /health and the OpenAPI document are still answered; the
 * searches and the subscription get their answers when the lock goes. (With the searches or
 * the subscription on the loop, the first would hold it and the others would not even be
 * read.) The lock holder waits for a row in test_release. */
#define LOCKED_LOTS \
  "BEGIN; LOCK TABLE parking_lots IN ACCESS EXCLUSIVE MODE; " \
  "DO $$ BEGIN FOR i IN 1..1200 LOOP EXIT WHEN EXISTS (SELECT 1 FROM test_release); " \
  "PERFORM pg_sleep (0.05); END LOOP; END $$; COMMIT"
#define N_WAITING 4
#define SUBSCRIBE_WORLD "{\"type\":\"subscribe\",\"bbox\":[-180,-90,180,90]}"

typedef struct
{
  const char *url;
  guint       status;
} WaitingSearch;

static gpointer
locked_lots_thread (gpointer uri)
{
  park_test_postgresql_sql (uri, LOCKED_LOTS);
  return NULL;
}

static gpointer
waiting_search_thread (gpointer data)
{
  WaitingSearch *search = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 120, NULL);
  g_autofree char *uri = g_strconcat (search->url, WORLD, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);

  search->status = soup_message_get_status (msg);
  return NULL;
}

static gint64
count_activity (const char *uri,
                const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM pg_stat_activity WHERE %s AND "
                                          "pid <> pg_backend_pid ()", where);
  g_autofree char *n = park_test_postgresql_value (uri, sql);

  return g_ascii_strtoll (n, NULL, 10);
}

static void
test_slow_store_keeps_loops_free (void)
{
  g_autoptr(ParkTestBackend) backend = park_test_backend_new ();
  const char *args[] = { "--demo", "--threads", "1", NULL };
  g_autoptr(ParkTestResponse) health = NULL, openapi = NULL, after = NULL;
  g_autoptr(JsonObject) hello = NULL, snapshot = NULL;
  ParkTestLiveClient *live;
  WaitingSearch searches[N_WAITING];
  GThread *threads[N_WAITING];
  GThread *locker;
  gint64 deadline;

  park_test_backend_start (backend, args);
  park_test_postgresql_sql (backend->db_path, "CREATE TABLE test_release (x int)");
  locker = g_thread_new ("locked-lots", locked_lots_thread, backend->db_path);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (count_activity (backend->db_path, "query LIKE '%test_release%'") != 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }

  for (guint i = 0; i < N_WAITING; i++)
    {
      searches[i].url = backend->url;
      searches[i].status = 0;
      threads[i] = g_thread_new ("search", waiting_search_thread, &searches[i]);
    }
  /* And a map subscribing to the live feed's lots in a box, on the same loop. */
  live = park_test_live_connect (backend, 30);
  hello = park_test_live_next (live, 30);
  g_assert_cmpstr (json_object_get_string_member (hello, "type"), ==, "hello");
  soup_websocket_connection_send_text (live->ws, SUBSCRIBE_WORLD);
  /* Every search and the subscription are in the database at once, waiting for the lock. */
  while (count_activity (backend->db_path, "wait_event_type = 'Lock'") < N_WAITING + 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (50 * 1000);
    }

  health = park_test_get (backend, "health");
  g_assert_cmpuint (health->status, ==, 200);
  openapi = park_test_get (backend, "api/v1/openapi.json");
  g_assert_cmpuint (openapi->status, ==, 200);
  /* Those answers came while the lock was still held. */
  g_assert_cmpint (count_activity (backend->db_path, "query LIKE '%test_release%'"), ==, 1);

  park_test_postgresql_sql (backend->db_path, "INSERT INTO test_release VALUES (1)");
  g_thread_join (locker);
  /* Each waiting search got an answer: its lots, or (past the store's lock time-out of 5 s,
   * on a slow machine) a 503 saying the store was busy. */
  for (guint i = 0; i < N_WAITING; i++)
    {
      g_thread_join (threads[i]);
      g_test_message ("search %u answered %u", i, searches[i].status);
      g_assert_true (searches[i].status == 200 || searches[i].status == 503);
    }
  after = park_test_get (backend, WORLD);
  g_assert_cmpint (total_of (after), ==, 36);

  /* The map got the lots too: or, past the lock time-out, was told to try again, and then
   * got them. */
  snapshot = park_test_live_next (live, 30);
  g_test_message ("the subscription answered %s",
                  json_object_get_string_member (snapshot, "type"));
  if (g_str_equal (json_object_get_string_member (snapshot, "type"), "error"))
    {
      g_assert_cmpstr (json_object_get_string_member (snapshot, "code"), ==, "unavailable");
      g_clear_pointer (&snapshot, json_object_unref);
      soup_websocket_connection_send_text (live->ws, SUBSCRIBE_WORLD);
      snapshot = park_test_live_next (live, 30);
    }
  g_assert_cmpstr (json_object_get_string_member (snapshot, "type"), ==, "snapshot");
  g_assert_cmpint (json_object_get_int_member (snapshot, "subscribed"), ==, 36);
  park_test_live_client_free (live);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* Meson runs this in the suite 'postgresql' only, with PARK_TEST_STORE=postgresql. */
  if (!park_test_postgresql_wanted ())
    g_error ("run with PARK_TEST_STORE=postgresql (meson test --suite postgresql)");
  g_test_add_func ("/postgresql/replica/serves-searches", test_replica_serves_searches);
  g_test_add_func ("/postgresql/replica/needs-postgresql", test_replica_needs_postgresql);
  g_test_add_func ("/postgresql/exclude-constraint", test_exclude_constraint);
  g_test_add_func ("/postgresql/connection-lost", test_connection_lost);
  g_test_add_func ("/postgresql/events-commit-order", test_events_commit_order);
  g_test_add_func ("/postgresql/slow-store-keeps-loops-free", test_slow_store_keeps_loops_free);
  return g_test_run ();
}
