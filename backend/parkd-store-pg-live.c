/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-pg-live.c: the events outbox as the live feed reads it, on PostgreSQL. The feed
 * messages are written by the trigger on parking_spots (sql-pg/001-lots-and-spots.sql) in
 * the transaction of the change; this file reads them back in order, as
 * parkd-store-sqlite-live.c does.
 *
 * Events take their numbers as they are written (sql-pg/009), and transactions commit in
 * their own time: number 11 can be visible while 10 is not, because 10's transaction is still
 * running, or because it rolled back and 10 never comes. The publisher must not pass 10 in
 * the first case (its clients would never hear of that change) and must not wait for ever in
 * the second. The rule: whoever took 10 took it before 11 was taken, so before a snapshot that
 * shows 11, and had its transaction id by then (the numbering trigger sees to that). So once
 * every transaction that snapshot lists as running and that writes events has ended, every
 * number below 11 that is still missing is missing for good.
 */
#include "config.h"

#include "parkd-json.h"
#include "parkd-store-pg-private.h"

/* The events after $1, each with the snapshot they were read in. */
static const char SQL_EVENTS_AFTER[] =
  "WITH s AS (SELECT pg_current_snapshot ()::text AS snapshot) "
  "SELECT e.seq, e.id, e.type, e.aggregate, e.operator_id, e.payload, e.created_at, "
  "  CASE WHEN e.aggregate LIKE 'reservation:%' THEN "
  "         (SELECT r.user_id FROM reservations r WHERE r.id = substr (e.aggregate, 13) LIMIT 1) "
  "       WHEN e.aggregate LIKE 'payment:%' THEN "
  "         (SELECT coalesce (p.user_id, r.user_id) FROM payments p "
  "            LEFT JOIN reservations r ON r.pk = p.reservation_pk "
  "           WHERE p.id = substr (e.aggregate, 9) LIMIT 1) "
  "       WHEN e.aggregate LIKE 'user:%' THEN substr (e.aggregate, 6) END, "
  "  s.snapshot "
  "  FROM events e CROSS JOIN s WHERE e.seq > $1 ORDER BY e.seq LIMIT $2";
/* How many of the transactions running in snapshot $1 still hold the events table: one
 * that wrote an event holds it to its end, and only those can fill a hole. Transactions of
 * other tables and other databases (a long import elsewhere on the server) do not count.
 * pg_locks has 32-bit ids, the snapshot 64-bit ones. The answer is their server processes'
 * ids, for the log; '' when there are none.
 *
 * Reading pg_locks holds up every session taking a lock for a moment, so it is asked only
 * when $2 is true (a hole older than a second: something is running long). Before that, the
 * cheap answer alone: everything that ran in $1 has ended; or 'running'. */
static const char SQL_SNAPSHOT_RUNNING[] =
  "SELECT CASE WHEN pg_snapshot_xmin (pg_current_snapshot ()) >= "
  "                 pg_snapshot_xmax ($1::pg_snapshot) THEN '' "
  "            WHEN NOT $2::boolean THEN 'running' ELSE ("
  "SELECT coalesce (string_agg (DISTINCT t.pid::text, ', '), '') FROM pg_locks t "
  " WHERE t.locktype = 'transactionid' AND t.granted "
  "   AND t.virtualtransaction IN ("
  "     SELECT l.virtualtransaction FROM pg_locks l "
  "      WHERE l.locktype = 'relation' AND l.relation = 'events'::regclass "
  "        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database ())) "
  "   AND t.transactionid::text::bigint IN ("
  "     SELECT x::text::bigint % 4294967296 FROM pg_snapshot_xip ($1::pg_snapshot) x)) END";
/* Where the feed starts: the last numbers, and whether anything was running. */
#define FEED_START_WINDOW 4096
static const char SQL_EVENTS_RECENT[] =
  "SELECT seq FROM events "
  " WHERE seq > (SELECT coalesce (max (seq), 0) FROM events) - " G_STRINGIFY (FEED_START_WINDOW)
  " ORDER BY seq";
static const char SQL_SNAPSHOT[] = "SELECT pg_current_snapshot ()::text";
#define FEED_COLUMNS \
  "l.id, l.status, c.feed_seq, c.regular_total, c.regular_available, c.disabled_total, " \
  "c.disabled_available, c.ev_total, c.ev_available, c.compact_total, c.compact_available, " \
  "c.motorcycle_total, c.motorcycle_available"
static const char SQL_FEED_ALL[] =
  "SELECT " FEED_COLUMNS " FROM parking_lots l JOIN lot_counts c ON c.lot_pk = l.pk";
static const char SQL_FEED_ONE[] =
  "SELECT " FEED_COLUMNS " FROM parking_lots l JOIN lot_counts c ON c.lot_pk = l.pk "
  " WHERE l.id = $1";
static const char SQL_LOT_MESSAGES[] =
  "SELECT seq, id, type, aggregate, operator_id, payload, created_at, "
  "       (payload::json ->> 'seq')::bigint FROM events "
  " WHERE aggregate = 'lot:' || $1 AND type IN ('SpotStateChanged', 'LotStatusChanged') "
  " ORDER BY seq DESC LIMIT $2";
static const char SQL_MARK_PUBLISHED[] =
  "UPDATE events SET published_at = $2 WHERE published_at IS NULL AND seq <= $1";
static const char SQL_ENDING_SOON[] =
  "SELECT r.id, r.user_id, l.operator_id, s.id, r.status, r.end_time "
  "  FROM reservations r "
  "  JOIN parking_lots l ON l.pk = r.lot_pk JOIN parking_spots s ON s.pk = r.spot_pk "
  " WHERE r.status IN ('confirmed', 'checked_in') AND r.end_time > $1 AND r.end_time <= $2 "
  "   AND r.ending_notice_for IS DISTINCT FROM r.end_time "
  /* A guest at a kiosk left no account to tell. */
  "   AND r.user_id IS NOT NULL";
static const char SQL_ENDING_NOTICED[] =
  "UPDATE reservations SET ending_notice_for = end_time WHERE id = $1";

static ParkdStorePg *
pg (ParkdStore *store)
{
  return (ParkdStorePg *) store;
}

static ParkdEvent *
event_from_row (const PGresult *res,
                int             row)
{
  ParkdEvent *event = g_new0 (ParkdEvent, 1);

  event->seq = _parkd_pg_int (res, row, 0);
  event->id = _parkd_pg_dup (res, row, 1);
  event->type = _parkd_pg_dup (res, row, 2);
  event->aggregate = _parkd_pg_dup (res, row, 3);
  event->operator_id = _parkd_pg_dup (res, row, 4);
  event->payload = _parkd_pg_dup (res, row, 5);
  event->created_at = _parkd_pg_dup (res, row, 6);
  return event;
}

typedef struct
{
  gint64     after_seq;
  guint      limit;
  GPtrArray *out;
  char      *snapshot;
} EventsRead;

static gboolean
list_events_tx (PgConn   *conn,
                gpointer  data,
                GError  **error)
{
  EventsRead *r = data;
  g_autofree char *after = _parkd_pg_int_param (r->after_seq);
  g_autofree char *limit = _parkd_pg_int_param (r->limit);
  const char *params[] = { after, limit };
  g_autoptr(PGresult) res = _parkd_pg_query_v (conn, SQL_EVENTS_AFTER, params, error);

  g_ptr_array_set_size (r->out, 0);
  g_clear_pointer (&r->snapshot, g_free);
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      ParkdEvent *event = event_from_row (res, i);

      event->user_id = _parkd_pg_dup (res, i, 7);
      g_ptr_array_add (r->out, event);
    }
  if (PQntuples (res) > 0)
    r->snapshot = _parkd_pg_dup (res, 0, 8);
  return TRUE;
}

typedef struct
{
  const char *snapshot;
  gboolean    look_at_locks;
  char       *pids;
} RunningRead;

static gboolean
running_tx (PgConn   *conn,
            gpointer  data,
            GError  **error)
{
  RunningRead *r = data;
  const char *params[] = { r->snapshot, r->look_at_locks ? "true" : "false" };
  g_autoptr(PGresult) res = _parkd_pg_query_v (conn, SQL_SNAPSHOT_RUNNING, params, error);

  g_clear_pointer (&r->pids, g_free);
  if (res == NULL)
    return FALSE;
  r->pids = _parkd_pg_dup (res, 0, 0);
  return TRUE;
}

/* Whether every transaction running in the pending snapshot that wrote events has ended;
 * the primary knows. One that keeps the feed waiting for long (a session left open in psql)
 * is named in the log, by its server process, once. */
#define WAIT_WARN_S 10
/* A hole younger than this is most likely a transaction about to commit: not asked about. */
#define CHECK_AFTER_US (20 * G_TIME_SPAN_MILLISECOND)
#define LOCKS_AFTER_US G_TIME_SPAN_SECOND

static void
wait_over (ParkdStorePg *self)
{
  if (self->pending_warned)
    g_message ("live feed: the transaction it waited for has ended; the held updates go out");
  self->pending_warned = FALSE;
}

static gboolean
pending_ended (ParkdStorePg  *self,
               gboolean      *ended,
               GError       **error)
{
  gint64 age = g_get_monotonic_time () - self->pending_since;
  RunningRead r = { self->pending_snapshot, age > LOCKS_AFTER_US, NULL };
  g_autofree char *pids = NULL;

  *ended = FALSE;
  if (age < CHECK_AFTER_US)
    return TRUE;
  if (!_parkd_pg_transact_full (self, PG_TX_ONE_READ_PRIMARY, running_tx, &r, error))
    {
      g_free (r.pids);
      return FALSE;
    }
  pids = r.pids;
  *ended = pids == NULL || *pids == '\0';
  if (*ended)
    wait_over (self);
  else if (!self->pending_warned && r.look_at_locks && age > WAIT_WARN_S * G_USEC_PER_SEC)
    {
      g_warning ("live feed: updates wait for a transaction open for over %d s that wrote "
                 "events (PostgreSQL server process %s); they go out when it ends",
                 WAIT_WARN_S, pids);
      self->pending_warned = TRUE;
    }
  return TRUE;
}

/* The publisher reads the primary: a replica may not have the newest events yet. Only the
 * publisher's thread reads here; the lock keeps the holes' bookkeeping whole all the same. */
static GPtrArray *
pg_list_events (ParkdStore  *store,
                gint64       after_seq,
                guint        limit,
                GError     **error)
{
  ParkdStorePg *self = pg (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->outbox_lock);

  for (guint attempt = 0;; attempt++)
    {
      EventsRead r = { after_seq, limit, NULL, NULL };
      g_autofree char *snapshot = NULL;
      gint64 expected = after_seq + 1, last;
      gboolean ended = FALSE;
      guint keep;

      r.out = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_event_free);
      if (!_parkd_pg_transact_full (self, PG_TX_ONE_READ_PRIMARY, list_events_tx, &r, error))
        {
          g_ptr_array_unref (r.out);
          g_free (r.snapshot);
          return NULL;
        }
      snapshot = r.snapshot;

      /* The numbers run on from @after_seq, over holes known to stay holes. */
      for (keep = 0; keep < r.out->len; keep++)
        {
          gint64 seq = ((ParkdEvent *) g_ptr_array_index (r.out, keep))->seq;

          if (seq != expected && seq - 1 > self->settled_seq)
            break;
          expected = seq + 1;
        }
      g_atomic_int_set (&self->outbox_waiting, keep < r.out->len);
      if (keep == r.out->len)
        {
          gint64 reached = keep > 0 ? ((ParkdEvent *) g_ptr_array_index (r.out, keep - 1))->seq
                                    : after_seq;

          /* The holes it waited on have filled: a later one starts its own wait. */
          if (self->pending_snapshot != NULL && reached >= self->pending_seq)
            g_clear_pointer (&self->pending_snapshot, g_free);
          wait_over (self);
        }
      if (keep == r.out->len || attempt == 2)
        {
          g_ptr_array_set_size (r.out, keep);
          return r.out;
        }

      /* A hole with events after it. Every number up to the last one read is settled once
       * the transactions running in this read's snapshot have ended (or those of an earlier
       * read, which saw a hole further down). */
      last = ((ParkdEvent *) g_ptr_array_index (r.out, r.out->len - 1))->seq;
      if (self->pending_snapshot == NULL)
        {
          self->pending_snapshot = g_steal_pointer (&snapshot);
          self->pending_seq = last;
          self->pending_since = g_get_monotonic_time ();
          self->pending_warned = FALSE;
        }
      if (!pending_ended (self, &ended, error))
        {
          g_ptr_array_unref (r.out);
          return NULL;
        }
      if (!ended)
        {
          g_ptr_array_set_size (r.out, keep);
          return r.out;
        }
      self->settled_seq = MAX (self->settled_seq, self->pending_seq);
      g_clear_pointer (&self->pending_snapshot, g_free);
      g_ptr_array_unref (r.out);
      /* Read again: what those transactions committed is there now. */
    }
}

static gboolean
pg_outbox_waiting (ParkdStore *store)
{
  return g_atomic_int_get (&pg (store)->outbox_waiting);
}

static ParkdLotFeed *
feed_from_row (const PGresult *res,
               int             row)
{
  ParkdLotFeed *feed = g_new0 (ParkdLotFeed, 1);

  feed->lot_id = _parkd_pg_dup (res, row, 0);
  feed->status = _parkd_pg_dup (res, row, 1);
  feed->seq = _parkd_pg_int (res, row, 2);
  for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
    {
      feed->availability[t].total = _parkd_pg_int (res, row, 3 + 2 * t);
      feed->availability[t].available = _parkd_pg_int (res, row, 4 + 2 * t);
    }
  return feed;
}

typedef struct
{
  gint64     head;
  gint64     last;
  char      *snapshot;
  GPtrArray *lots;
} FeedStart;

/* In one snapshot: the lots' feed states, the last number written, and where the publisher
 * starts so that it misses nothing those states do not hold. */
static gboolean
feed_start_tx (PgConn   *conn,
               gpointer  data,
               GError  **error)
{
  FeedStart *r = data;
  g_autoptr(PGresult) snapshot = _parkd_pg_query (conn, SQL_SNAPSHOT, 0, NULL, error);
  g_autoptr(PGresult) recent = NULL;
  g_autoptr(PGresult) lots = NULL;
  gboolean running;

  g_ptr_array_set_size (r->lots, 0);
  g_clear_pointer (&r->snapshot, g_free);
  if (snapshot == NULL)
    return FALSE;
  r->snapshot = _parkd_pg_dup (snapshot, 0, 0);
  recent = _parkd_pg_query (conn, SQL_EVENTS_RECENT, 0, NULL, error);
  if (recent == NULL)
    return FALSE;
  r->last = PQntuples (recent) > 0 ? _parkd_pg_int (recent, PQntuples (recent) - 1, 0) : 0;
  r->head = r->last;
  /* "xmin:xmax:" lists no transaction as running: every hole is a rollback's. Otherwise the
   * first hole in the window (events are never deleted) may be a change these states do not
   * hold yet: the publisher starts before it, and what it reads again of the lots it
   * already has, it drops by their feed numbers. */
  running = r->snapshot[strlen (r->snapshot) - 1] != ':';
  if (running)
    {
      gint64 expected = MAX (r->last - FEED_START_WINDOW, 0) + 1;

      for (int i = 0; i < PQntuples (recent); i++, expected++)
        if (_parkd_pg_int (recent, i, 0) != expected)
          {
            r->head = expected - 1;
            break;
          }
    }
  else
    g_clear_pointer (&r->snapshot, g_free);

  lots = _parkd_pg_query (conn, SQL_FEED_ALL, 0, NULL, error);
  if (lots == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (lots); i++)
    g_ptr_array_add (r->lots, feed_from_row (lots, i));
  return TRUE;
}

static GPtrArray *
pg_feed_start (ParkdStore  *store,
               gint64      *head,
               GError     **error)
{
  ParkdStorePg *self = pg (store);
  FeedStart r = { 0, 0, NULL, NULL };

  r.lots = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_lot_feed_free);
  /* One transaction (a snapshot): the head and the lots' states are of the same moment. */
  if (!_parkd_pg_transact (self, FALSE, feed_start_tx, &r, error))
    {
      g_ptr_array_unref (r.lots);
      g_free (r.snapshot);
      return NULL;
    }
  *head = r.head;

  g_mutex_lock (&self->outbox_lock);
  self->settled_seq = r.head;
  g_free (self->pending_snapshot);
  self->pending_snapshot = r.snapshot;
  self->pending_seq = r.last;
  self->pending_since = g_get_monotonic_time ();
  self->pending_warned = FALSE;
  g_atomic_int_set (&self->outbox_waiting, FALSE);
  g_mutex_unlock (&self->outbox_lock);
  return r.lots;
}

static gpointer
feed_row (const PGresult *res,
          int             row)
{
  return feed_from_row (res, row);
}

static ParkdLotFeed *
pg_get_lot_feed (ParkdStore  *store,
                 const char  *lot_id,
                 GError     **error)
{
  return _parkd_pg_load_row (pg (store), SQL_FEED_ONE, lot_id, NULL, feed_row,
                             "There is no lot with this id", error);
}

typedef struct
{
  const char *lot_id;
  gint64      after_seq;
  guint       limit;
  GPtrArray  *out;          /* NULL: the client needs a snapshot */
} FeedSince;

static gboolean
lot_feed_since_tx (PgConn   *conn,
                   gpointer  data,
                   GError  **error)
{
  FeedSince *r = data;
  const char *params[] = { r->lot_id, NULL };
  g_autoptr(PGresult) feed = NULL;
  g_autoptr(PGresult) rows = NULL;
  g_autofree char *want_text = NULL;
  gint64 head, want;
  int n;

  g_clear_pointer (&r->out, g_ptr_array_unref);
  feed = _parkd_pg_query (conn, SQL_FEED_ONE, 1, params, error);
  if (feed == NULL)
    return FALSE;
  if (PQntuples (feed) == 0)
    {
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                   "There is no lot with this id");
      return FALSE;
    }
  head = _parkd_pg_int (feed, 0, 2);
  /* A client ahead of the lot has numbers from another database: it needs a snapshot. */
  if (r->after_seq > head || head - r->after_seq > (gint64) r->limit)
    return TRUE;
  r->out = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_event_free);
  want = head - r->after_seq;
  if (want == 0)
    return TRUE;

  want_text = _parkd_pg_int_param (want);
  params[1] = want_text;
  rows = _parkd_pg_query (conn, SQL_LOT_MESSAGES, 2, params, error);
  if (rows == NULL)
    return FALSE;
  n = PQntuples (rows);
  for (int i = 0; i < n; i++)
    {
      /* Newest first here; the caller wants them in order. */
      g_ptr_array_insert (r->out, 0, event_from_row (rows, i));
      /* The numbers must run on from @after_seq without a hole. */
      if (_parkd_pg_int (rows, i, 7) != r->after_seq + want - (gint64) r->out->len + 1)
        {
          g_clear_pointer (&r->out, g_ptr_array_unref);
          return TRUE;
        }
    }
  if ((gint64) r->out->len != want)
    g_clear_pointer (&r->out, g_ptr_array_unref);
  return TRUE;
}

static GPtrArray *
pg_lot_feed_since (ParkdStore  *store,
                   const char  *lot_id,
                   gint64       after_seq,
                   guint        limit,
                   GError     **error)
{
  FeedSince r = { lot_id, after_seq, limit, NULL };

  if (!_parkd_pg_transact (pg (store), FALSE, lot_feed_since_tx, &r, error))
    {
      g_clear_pointer (&r.out, g_ptr_array_unref);
      return NULL;
    }
  return r.out;
}

typedef struct
{
  gint64 seq;
} PublishedWrite;

static gboolean
mark_published_tx (PgConn   *conn,
                   gpointer  data,
                   GError  **error)
{
  g_autofree char *seq = _parkd_pg_int_param (((PublishedWrite *) data)->seq);
  g_autofree char *now = parkd_now_rfc3339 ();
  const char *params[] = { seq, now };
  g_autoptr(PGresult) res = NULL;

  /* A mark lost to a crash only publishes its events again, which subscribers tell by
   * their sequence numbers: this commit need not wait for the disk. */
  if (!_parkd_pg_exec_simple (conn, "SET LOCAL synchronous_commit = off", error))
    return FALSE;
  res = _parkd_pg_query_v (conn, SQL_MARK_PUBLISHED, params, error);
  return res != NULL;
}

static gboolean
pg_mark_published (ParkdStore  *store,
                   gint64       seq,
                   GError     **error)
{
  PublishedWrite w = { seq };

  return _parkd_pg_transact (pg (store), FALSE, mark_published_tx, &w, error);
}

typedef struct
{
  gint64 lead_s;
  guint  noticed;
} EndingWrite;

static gboolean
notice_ending_tx (PgConn   *conn,
                  gpointer  data,
                  GError  **error)
{
  EndingWrite *w = data;
  g_autoptr(GDateTime) now_dt = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) until_dt = g_date_time_add_seconds (now_dt, w->lead_s);
  g_autofree char *now = g_date_time_format (now_dt, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *until = g_date_time_format (until_dt, "%Y-%m-%dT%H:%M:%SZ");
  const char *params[] = { now, until };
  g_autoptr(PGresult) res = _parkd_pg_query_v (conn, SQL_ENDING_SOON, params, error);

  w->noticed = 0;
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      g_autoptr(GString) payload = g_string_new ("{");
      g_autofree char *aggregate = g_strconcat ("reservation:", PQgetvalue (res, i, 0), NULL);
      const char *id_params[] = { PQgetvalue (res, i, 0) };
      g_autoptr(PGresult) done = NULL;

      parkd_json_append_member (payload, "reservation_id");
      parkd_json_append_string (payload, PQgetvalue (res, i, 0));
      parkd_json_append_member (payload, "user_id");
      parkd_json_append_string (payload, PQgetvalue (res, i, 1));
      parkd_json_append_member (payload, "spot_id");
      parkd_json_append_string (payload, PQgetvalue (res, i, 3));
      parkd_json_append_member (payload, "status");
      parkd_json_append_string (payload, PQgetvalue (res, i, 4));
      parkd_json_append_member (payload, "end_time");
      parkd_json_append_string (payload, PQgetvalue (res, i, 5));
      g_string_append_c (payload, '}');
      if (!_parkd_pg_insert_event (conn, "ReservationEndingSoon", aggregate,
                                   PQgetvalue (res, i, 2), payload->str, now, error))
        return FALSE;
      done = _parkd_pg_query_v (conn, SQL_ENDING_NOTICED, id_params, error);
      if (done == NULL)
        return FALSE;
      w->noticed++;
    }
  return TRUE;
}

static guint
pg_notice_ending (ParkdStore  *store,
                  gint64       lead_s,
                  GError     **error)
{
  EndingWrite w = { lead_s, 0 };

  if (!_parkd_pg_transact (pg (store), FALSE, notice_ending_tx, &w, error))
    return 0;
  return w.noticed;
}

void
_parkd_pg_live_vtable (ParkdStoreVTable *vtable)
{
  vtable->list_events = pg_list_events;
  vtable->feed_start = pg_feed_start;
  vtable->outbox_waiting = pg_outbox_waiting;
  vtable->get_lot_feed = pg_get_lot_feed;
  vtable->lot_feed_since = pg_lot_feed_since;
  vtable->mark_published = pg_mark_published;
  vtable->notice_ending = pg_notice_ending;
}
