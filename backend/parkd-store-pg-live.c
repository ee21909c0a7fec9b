/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-pg-live.c: the events outbox as the live feed reads it, on PostgreSQL. The feed
 * messages are written by the trigger on parking_spots (sql-pg/001-lots-and-spots.sql) in
 * the transaction of the change; this file reads them back in order, as
 * parkd-store-sqlite-live.c does.
 */
#include "config.h"

#include "parkd-json.h"
#include "parkd-store-pg-private.h"

static const char SQL_EVENTS_AFTER[] =
  "SELECT e.seq, e.id, e.type, e.aggregate, e.operator_id, e.payload, e.created_at, "
  "  CASE WHEN e.aggregate LIKE 'reservation:%' THEN "
  "         (SELECT r.user_id FROM reservations r WHERE r.id = substr (e.aggregate, 13) LIMIT 1) "
  "       WHEN e.aggregate LIKE 'payment:%' THEN "
  "         (SELECT coalesce (p.user_id, r.user_id) FROM payments p "
  "            LEFT JOIN reservations r ON r.pk = p.reservation_pk "
  "           WHERE p.id = substr (e.aggregate, 9) LIMIT 1) "
  "       WHEN e.aggregate LIKE 'user:%' THEN substr (e.aggregate, 6) END "
  "  FROM events e WHERE e.seq > $1 ORDER BY e.seq LIMIT $2";
static const char SQL_EVENTS_HEAD[] = "SELECT coalesce (max (seq), 0) FROM events";
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
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      ParkdEvent *event = event_from_row (res, i);

      event->user_id = _parkd_pg_dup (res, i, 7);
      g_ptr_array_add (r->out, event);
    }
  return TRUE;
}

/* The publisher reads the primary: a replica may not have the newest events yet. */
static GPtrArray *
pg_list_events (ParkdStore  *store,
                gint64       after_seq,
                guint        limit,
                GError     **error)
{
  EventsRead r = { after_seq, limit, NULL };

  r.out = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_event_free);
  if (!_parkd_pg_transact_full (pg (store), PG_TX_ONE_READ_PRIMARY, list_events_tx, &r, error))
    g_clear_pointer (&r.out, g_ptr_array_unref);
  return r.out;
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
  GPtrArray *lots;
} FeedStart;

static gboolean
feed_start_tx (PgConn   *conn,
               gpointer  data,
               GError  **error)
{
  FeedStart *r = data;
  g_autoptr(PGresult) head = _parkd_pg_query (conn, SQL_EVENTS_HEAD, 0, NULL, error);
  g_autoptr(PGresult) lots = NULL;

  g_ptr_array_set_size (r->lots, 0);
  if (head == NULL)
    return FALSE;
  r->head = _parkd_pg_int (head, 0, 0);
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
  FeedStart r = { 0, NULL };

  r.lots = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_lot_feed_free);
  /* One transaction (a snapshot): the head and the lots' states are of the same moment. */
  if (!_parkd_pg_transact (pg (store), FALSE, feed_start_tx, &r, error))
    {
      g_ptr_array_unref (r.lots);
      return NULL;
    }
  *head = r.head;
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
  vtable->get_lot_feed = pg_get_lot_feed;
  vtable->lot_feed_since = pg_lot_feed_since;
  vtable->mark_published = pg_mark_published;
  vtable->notice_ending = pg_notice_ending;
}
