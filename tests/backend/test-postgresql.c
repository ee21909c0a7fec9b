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

/* ---- The live feed when transactions commit out of the order of their numbers ---------- */

#define WAIT_S 30

/* A change to @spot_id whose transaction then waits, open, for the row @go in test_go, and
 * ends with @end (COMMIT or ROLLBACK); at most a minute. */
typedef struct
{
  const char *uri;
  char       *sql;
} Holder;

static gpointer
holder_thread (gpointer data)
{
  Holder *h = data;

  park_test_postgresql_sql (h->uri, h->sql);
  g_free (h->sql);
  g_free (h);
  return NULL;
}

static GThread *
hold_spot_change (const char *uri,
                  const char *spot_id,
                  int         go,
                  const char *end)
{
  Holder *h = g_new0 (Holder, 1);
  g_autofree char *where = g_strdup_printf ("query LIKE '%%test_go WHERE x = %d)%%' AND "
                                            "backend_xid IS NOT NULL AND wait_event = 'PgSleep'",
                                            go);
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  GThread *thread;

  h->uri = uri;
  h->sql = g_strdup_printf ("BEGIN; UPDATE parking_spots SET state = 'occupied' WHERE id = '%s'; "
                            "DO $$ BEGIN FOR i IN 1..1200 LOOP "
                            "EXIT WHEN EXISTS (SELECT 1 FROM test_go WHERE x = %d); "
                            "PERFORM pg_sleep (0.05); END LOOP; END $$; %s",
                            spot_id, go, end);
  thread = g_thread_new ("holder", holder_thread, h);
  /* Sleeping in the loop, with a transaction id: the change and its event are written. */
  while (count_activity (uri, where) != 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }
  return thread;
}

/* Lets the change waiting for @go end, and waits for it. */
static void
release_holder (const char *uri,
                int         go,
                GThread    *holder)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO test_go VALUES (%d)", go);

  park_test_postgresql_sql (uri, sql);
  g_thread_join (holder);
}

static gboolean
holder_open (const char *uri,
             int         go)
{
  g_autofree char *where = g_strdup_printf ("query LIKE '%%test_go WHERE x = %d)%%'", go);

  return count_activity (uri, where) == 1;
}

/* parkd's log says @text; the wait for it is longer than parkd's own ten seconds. */
static void
wait_log (ParkTestBackend *backend,
          const char      *text)
{
  gint64 deadline = g_get_monotonic_time () + 3 * WAIT_S * G_USEC_PER_SEC;

  while (TRUE)
    {
      g_autofree char *log = NULL;

      g_assert_true (g_file_get_contents (backend->log_path, &log, NULL, NULL));
      if (strstr (log, text) != NULL)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("parkd's log does not say \"%s\":\n%s", text, log);
      g_usleep (100 * 1000);
    }
}

/* The feed has read the events after the open transaction's and holds them back. */
static void
wait_outbox_waiting (ParkTestBackend *backend)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

  while (park_test_backend_metric (backend, "parkd_live_outbox_waiting") != 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }
}

static void
change_spot (const char *uri,
             const char *spot_id)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE parking_spots SET state = 'occupied' "
                                          "WHERE id = '%s'", spot_id);

  g_assert_cmpint (park_test_postgresql_changes (uri, sql), ==, 1);
}

/* A demo database's first two lots, A and B, with free spots of each, and test_go. */
typedef struct
{
  char *a, *b;
  char *a_spot[4];
  char *b_spot[2];
} TwoLots;

static char *
free_spot (const char *uri,
           const char *lot,
           guint       nth)
{
  g_autofree char *sql = g_strdup_printf ("SELECT s.id FROM parking_spots s JOIN parking_lots l "
                                          "ON l.pk = s.lot_pk WHERE l.id = '%s' AND "
                                          "s.state = 'available' ORDER BY s.pk OFFSET %u LIMIT 1",
                                          lot, nth);

  return park_test_postgresql_value (uri, sql);
}

static void
two_lots_init (TwoLots    *t,
               const char *uri)
{
  park_test_postgresql_sql (uri, "CREATE TABLE test_go (x int)");
  t->a = park_test_postgresql_value (uri, "SELECT id FROM parking_lots ORDER BY pk LIMIT 1");
  t->b = park_test_postgresql_value (uri, "SELECT id FROM parking_lots ORDER BY pk OFFSET 1 "
                                          "LIMIT 1");
  for (guint i = 0; i < G_N_ELEMENTS (t->a_spot); i++)
    t->a_spot[i] = free_spot (uri, t->a, i);
  for (guint i = 0; i < G_N_ELEMENTS (t->b_spot); i++)
    t->b_spot[i] = free_spot (uri, t->b, i);
}

static void
two_lots_clear (TwoLots *t)
{
  g_free (t->a);
  g_free (t->b);
  for (guint i = 0; i < G_N_ELEMENTS (t->a_spot); i++)
    g_free (t->a_spot[i]);
  for (guint i = 0; i < G_N_ELEMENTS (t->b_spot); i++)
    g_free (t->b_spot[i]);
}

/* Subscribes to lots @a and @b; their feed numbers in the snapshot. */
static ParkTestLiveClient *
subscribe_two (ParkTestBackend *backend,
               const char      *a,
               const char      *b,
               gint64          *seq_a,
               gint64          *seq_b)
{
  ParkTestLiveClient *c = park_test_live_connect (backend, WAIT_S);
  g_autoptr(JsonObject) hello = park_test_live_next (c, WAIT_S);
  g_autoptr(JsonObject) snapshot = NULL;
  g_autofree char *subscribe = g_strdup_printf ("{\"type\":\"subscribe\","
                                                "\"lot_ids\":[\"%s\",\"%s\"]}", a, b);
  JsonArray *lots;

  g_assert_cmpstr (json_object_get_string_member (hello, "type"), ==, "hello");
  soup_websocket_connection_send_text (c->ws, subscribe);
  snapshot = park_test_live_next (c, WAIT_S);
  g_assert_cmpstr (json_object_get_string_member (snapshot, "type"), ==, "snapshot");
  lots = json_object_get_array_member (snapshot, "lots");
  g_assert_cmpuint (json_array_get_length (lots), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *lot = json_array_get_object_element (lots, i);
      const char *id = json_object_get_string_member (lot, "lot_id");

      *(g_str_equal (id, a) ? seq_a : seq_b) = json_object_get_int_member (lot, "seq");
    }
  return c;
}

/* The next message is the update of @lot with feed number @seq. */
static void
assert_update (ParkTestLiveClient *c,
               const char         *lot,
               gint64              seq)
{
  g_autoptr(JsonObject) m = park_test_live_next (c, WAIT_S);

  g_assert_cmpstr (json_object_get_string_member (m, "type"), ==, "availability_update");
  g_assert_cmpstr (json_object_get_string_member (m, "lot_id"), ==, lot);
  g_assert_cmpint (json_object_get_int_member (m, "seq"), ==, seq);
}

/* Two changes to two lots, the one numbered first committing last; then one whose
 * transaction rolls back, with a change after it. Each writer goes on while the other is
 * open (the events lock of sql-pg/007 made the second wait for the first's commit), and the
 * feed brings every committed change once, each lot's in order, and passes the rolled-back
 * number without waiting for it. */
static void
test_live_out_of_commit_order (void)
{
  g_autoptr(ParkTestBackend) backend = park_test_backend_new ();
  const char *args[] = { "--demo", NULL };
  ParkTestLiveClient *c;
  gint64 seq_a = -1, seq_b = -1;
  GThread *holder;
  TwoLots t;

  park_test_backend_start (backend, args);
  two_lots_init (&t, backend->db_path);
  c = subscribe_two (backend, t.a, t.b, &seq_a, &seq_b);

  /* A's change takes its number and waits; B's, numbered after it, commits first. */
  holder = hold_spot_change (backend->db_path, t.a_spot[0], 1, "COMMIT");
  change_spot (backend->db_path, t.b_spot[0]);
  g_assert_true (holder_open (backend->db_path, 1));
  /* The feed has seen B's change and holds it back, as it says in the metrics. */
  wait_outbox_waiting (backend);
  release_holder (backend->db_path, 1, holder);
  /* In the order of their numbers, once each: A's, then B's. */
  assert_update (c, t.a, seq_a + 1);
  assert_update (c, t.b, seq_b + 1);

  /* A change that rolls back after B's next one is numbered and committed. */
  holder = hold_spot_change (backend->db_path, t.a_spot[1], 2, "ROLLBACK");
  change_spot (backend->db_path, t.b_spot[1]);
  g_assert_true (holder_open (backend->db_path, 2));
  wait_outbox_waiting (backend);
  release_holder (backend->db_path, 2, holder);
  assert_update (c, t.b, seq_b + 2);

  /* A's next change follows on from its last committed one: nothing of the rolled-back one
   * was sent, and nothing came twice. */
  change_spot (backend->db_path, t.a_spot[2]);
  assert_update (c, t.a, seq_a + 2);
  change_spot (backend->db_path, t.a_spot[3]);
  assert_update (c, t.a, seq_a + 3);
  g_assert_true (g_queue_is_empty (&c->messages));
  park_test_live_client_free (c);
  two_lots_clear (&t);
}

/* parkd starts while a change numbered before the last one is still open: the feed starts
 * before it, so the change reaches subscribers when it commits, and what it reads again of
 * the lots it has (B's change) it does not send twice. The change stays open for over ten
 * seconds, which parkd logs. */
static void
test_live_start_with_open_writer (void)
{
  g_autoptr(ParkTestBackend) backend = park_test_backend_new ();
  const char *args[] = { "--demo", NULL };
  g_autofree char *holder_pid = NULL, *named = NULL;
  ParkTestLiveClient *c;
  gint64 seq_a = -1, seq_b = -1;
  GThread *holder;
  TwoLots t;

  park_test_backend_start (backend, args);
  two_lots_init (&t, backend->db_path);
  park_test_backend_stop (backend);

  holder = hold_spot_change (backend->db_path, t.a_spot[0], 1, "COMMIT");
  change_spot (backend->db_path, t.b_spot[0]);
  park_test_backend_start (backend, NULL);
  c = subscribe_two (backend, t.a, t.b, &seq_a, &seq_b);
  g_assert_true (holder_open (backend->db_path, 1));
  wait_outbox_waiting (backend);
  /* Held up for long, parkd names the transaction's server process in its log, so that an
   * operator can find the session; and says when it ended. */
  holder_pid = park_test_postgresql_value (backend->db_path,
    "SELECT pid FROM pg_stat_activity WHERE query LIKE '%test_go WHERE x = 1)%' "
    "AND pid <> pg_backend_pid ()");
  named = g_strdup_printf ("(PostgreSQL server process %s)", holder_pid);
  wait_log (backend, named);

  release_holder (backend->db_path, 1, holder);
  wait_log (backend, "the transaction it waited for has ended");
  assert_update (c, t.a, seq_a + 1);
  change_spot (backend->db_path, t.b_spot[1]);
  assert_update (c, t.b, seq_b + 1);
  g_assert_true (g_queue_is_empty (&c->messages));
  park_test_live_client_free (c);
  two_lots_clear (&t);
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
  g_test_add_func ("/postgresql/live/out-of-commit-order", test_live_out_of_commit_order);
  g_test_add_func ("/postgresql/live/start-with-open-writer", test_live_start_with_open_writer);
  g_test_add_func ("/postgresql/slow-store-keeps-loops-free", test_slow_store_keeps_loops_free);
  return g_test_run ();
}
