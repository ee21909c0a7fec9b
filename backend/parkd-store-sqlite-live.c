/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-sqlite-live.c: the events outbox as the live feed reads it (schema:
 * sql/004-live.sql). The feed messages themselves are written by the trigger that keeps the
 * lots' counts, in the transaction of the change; this file reads them back, in order, and
 * tells the feed when a write committed.
 */
#include "config.h"

#include "parkd-json.h"
#include "parkd-store-sqlite-private.h"

static const char SQL_EVENTS_AFTER[] =
  "SELECT e.seq, e.id, e.type, e.aggregate, e.operator_id, e.payload, e.created_at, "
  "  CASE WHEN e.aggregate GLOB 'reservation:*' THEN "
  "         (SELECT r.user_id FROM reservations r WHERE r.id = substr (e.aggregate, 13)) "
  "       WHEN e.aggregate GLOB 'payment:*' THEN "
  "         (SELECT coalesce (p.user_id, r.user_id) FROM payments p "
  "            LEFT JOIN reservations r ON r.pk = p.reservation_pk "
  "           WHERE p.id = substr (e.aggregate, 9)) "
  "       WHEN e.aggregate GLOB 'user:*' THEN substr (e.aggregate, 6) END "
  "  FROM events e WHERE e.seq > ?1 ORDER BY e.seq LIMIT ?2";
static const char SQL_EVENTS_HEAD[] = "SELECT coalesce (max (seq), 0) FROM events";
#define FEED_COLUMNS \
  "l.id, l.status, c.feed_seq, c.regular_total, c.regular_available, c.disabled_total, " \
  "c.disabled_available, c.ev_total, c.ev_available, c.compact_total, c.compact_available, " \
  "c.motorcycle_total, c.motorcycle_available"
static const char SQL_FEED_ALL[] =
  "SELECT " FEED_COLUMNS " FROM parking_lots l JOIN lot_counts c ON c.lot_pk = l.pk";
static const char SQL_FEED_ONE[] =
  "SELECT " FEED_COLUMNS " FROM parking_lots l JOIN lot_counts c ON c.lot_pk = l.pk "
  " WHERE l.id = ?1";
static const char SQL_LOT_MESSAGES[] =
  "SELECT seq, id, type, aggregate, operator_id, payload, created_at, "
  "       json_extract (payload, '$.seq') FROM events "
  " WHERE aggregate = 'lot:' || ?1 AND type IN ('SpotStateChanged', 'LotStatusChanged') "
  " ORDER BY seq DESC LIMIT ?2";
static const char SQL_MARK_PUBLISHED[] =
  "UPDATE events SET published_at = ?2 WHERE published_at IS NULL AND seq <= ?1";
static const char SQL_ENDING_SOON[] =
  "SELECT r.id, r.user_id, l.operator_id, s.id, r.status, r.end_time FROM reservations r "
  "  JOIN parking_lots l ON l.pk = r.lot_pk JOIN parking_spots s ON s.pk = r.spot_pk "
  " WHERE r.status IN ('confirmed', 'checked_in') AND r.end_time > ?1 AND r.end_time <= ?2 "
  "   AND r.ending_notice_for IS NOT r.end_time "
  /* A guest at a kiosk left no account to tell. */
  "   AND r.user_id IS NOT NULL";
static const char SQL_ENDING_NOTICED[] =
  "UPDATE reservations SET ending_notice_for = end_time WHERE id = ?1";

/* ---- Commits ------------------------------------------------------------------------ */

/* SQLite calls this on the writer after each commit, on the committing thread. Installing it
 * displaces SQLite's own automatic checkpoint (a WAL hook too), so it does that job as well,
 * at the same threshold. */
static int
writer_wal_hook (void       *data,
                 sqlite3    *db,
                 const char *name,
                 int         n_pages)
{
  ParkdStoreSqlite *self = data;

  if (n_pages >= 1000)
    sqlite3_wal_checkpoint_v2 (db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  _parkd_store_changed (&self->parent);
  return SQLITE_OK;
}

void
_parkd_sqlite_watch_commits (ParkdStoreSqlite *self)
{
  sqlite3_wal_hook (self->writer->db, writer_wal_hook, self);
}

/* ---- Reading the outbox ------------------------------------------------------------- */

static ParkdEvent *
event_from_row (sqlite3_stmt *stmt)
{
  ParkdEvent *event = g_new0 (ParkdEvent, 1);

  event->seq = sqlite3_column_int64 (stmt, 0);
  event->id = _parkd_sqlite_column_dup (stmt, 1);
  event->type = _parkd_sqlite_column_dup (stmt, 2);
  event->aggregate = _parkd_sqlite_column_dup (stmt, 3);
  event->operator_id = _parkd_sqlite_column_dup (stmt, 4);
  event->payload = _parkd_sqlite_column_dup (stmt, 5);
  event->created_at = _parkd_sqlite_column_dup (stmt, 6);
  return event;
}

GPtrArray *
_parkd_sqlite_list_events (ParkdStore  *store,
                           gint64       after_seq,
                           guint        limit,
                           GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  Conn *conn = _parkd_sqlite_take_reader (self, error);
  GPtrArray *events = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (conn == NULL)
    return NULL;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_EVENTS_AFTER, error);
  if (stmt != NULL)
    {
      events = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_event_free);
      sqlite3_bind_int64 (stmt, 1, after_seq);
      sqlite3_bind_int64 (stmt, 2, limit);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          ParkdEvent *event = event_from_row (stmt);

          event->user_id = _parkd_sqlite_column_dup (stmt, 7);
          g_ptr_array_add (events, event);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          g_clear_pointer (&events, g_ptr_array_unref);
          _parkd_sqlite_set_error (error, conn->db, rc, "events");
        }
    }
  _parkd_sqlite_give_reader (self, conn);
  return events;
}

static ParkdLotFeed *
feed_from_row (sqlite3_stmt *stmt)
{
  ParkdLotFeed *feed = g_new0 (ParkdLotFeed, 1);

  feed->lot_id = _parkd_sqlite_column_dup (stmt, 0);
  feed->status = _parkd_sqlite_column_dup (stmt, 1);
  feed->seq = sqlite3_column_int64 (stmt, 2);
  for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
    {
      feed->availability[t].total = sqlite3_column_int (stmt, 3 + 2 * t);
      feed->availability[t].available = sqlite3_column_int (stmt, 4 + 2 * t);
    }
  return feed;
}

GPtrArray *
_parkd_sqlite_feed_start (ParkdStore  *store,
                          gint64      *head,
                          GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  Conn *conn = _parkd_sqlite_read_begin (self, error);
  g_autoptr(GPtrArray) lots = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (conn == NULL)
    return NULL;
  /* One read transaction: the head and the lots' states are of the same moment. */
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_EVENTS_HEAD, error);
  if (stmt == NULL)
    goto out;
  rc = sqlite3_step (stmt);
  *head = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _parkd_sqlite_set_error (error, conn->db, rc, "events");
      goto out;
    }

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_FEED_ALL, error);
  if (stmt == NULL)
    goto out;
  lots = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_lot_feed_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (lots, feed_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_clear_pointer (&lots, g_ptr_array_unref);
      _parkd_sqlite_set_error (error, conn->db, rc, "lot feeds");
    }

out:
  _parkd_sqlite_read_end (self, conn);
  return g_steal_pointer (&lots);
}

ParkdLotFeed *
_parkd_sqlite_get_lot_feed (ParkdStore  *store,
                            const char  *lot_id,
                            GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  Conn *conn = _parkd_sqlite_take_reader (self, error);
  ParkdLotFeed *feed;

  if (conn == NULL)
    return NULL;
  feed = _parkd_sqlite_load_row (conn, SQL_FEED_ONE, lot_id, NULL, (RowFunc) feed_from_row,
                                 "There is no lot with this id", error);
  _parkd_sqlite_give_reader (self, conn);
  return feed;
}

GPtrArray *
_parkd_sqlite_lot_feed_since (ParkdStore  *store,
                              const char  *lot_id,
                              gint64       after_seq,
                              guint        limit,
                              GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  Conn *conn = _parkd_sqlite_read_begin (self, error);
  g_autoptr(GPtrArray) messages = NULL;
  sqlite3_stmt *stmt;
  gint64 head, want;
  int rc;

  if (conn == NULL)
    return NULL;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_FEED_ONE, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, lot_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  head = sqlite3_column_int64 (stmt, 2);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                   "There is no lot with this id");
      goto out;
    }
  if (rc != SQLITE_ROW)
    {
      _parkd_sqlite_set_error (error, conn->db, rc, "lot feed");
      goto out;
    }

  messages = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_event_free);
  /* A client ahead of the lot has numbers from another database: it needs a snapshot. */
  if (after_seq > head || head - after_seq > (gint64) limit)
    {
      g_clear_pointer (&messages, g_ptr_array_unref);
      goto out;
    }
  want = head - after_seq;
  if (want == 0)
    goto out;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_LOT_MESSAGES, error);
  if (stmt == NULL)
    {
      g_clear_pointer (&messages, g_ptr_array_unref);
      goto out;
    }
  sqlite3_bind_text (stmt, 1, lot_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, want);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ParkdEvent *event = event_from_row (stmt);

      /* Newest first here; the caller wants them in order. */
      g_ptr_array_insert (messages, 0, event);
      /* The numbers must run on from @after_seq without a hole. */
      if (sqlite3_column_int64 (stmt, 7) != after_seq + want - (gint64) messages->len + 1)
        break;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      g_clear_pointer (&messages, g_ptr_array_unref);
      _parkd_sqlite_set_error (error, conn->db, rc, "lot feed");
      goto out;
    }
  if ((gint64) messages->len != want || rc == SQLITE_ROW)
    g_clear_pointer (&messages, g_ptr_array_unref);

out:
  _parkd_sqlite_read_end (self, conn);
  return g_steal_pointer (&messages);
}

gboolean
_parkd_sqlite_mark_published (ParkdStore  *store,
                              gint64       seq,
                              GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  int rc;

  if (conn == NULL)
    return FALSE;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_MARK_PUBLISHED, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, seq);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      ok = rc == SQLITE_DONE || _parkd_sqlite_set_error (error, conn->db, rc, "events");
    }
  return _parkd_sqlite_write_end (self, ok, error);
}

/* ---- Reservations about to end ------------------------------------------------------- */

guint
_parkd_sqlite_notice_ending (ParkdStore  *store,
                             gint64       lead_s,
                             GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autoptr(GDateTime) now_dt = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) until_dt = g_date_time_add_seconds (now_dt, lead_s);
  g_autofree char *now = g_date_time_format (now_dt, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *until = g_date_time_format (until_dt, "%Y-%m-%dT%H:%M:%SZ");
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func (g_free);
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  int rc;

  if (conn == NULL)
    return 0;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_ENDING_SOON, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, until, -1, SQLITE_STATIC);
  /* Collected first: the updates below must not run under the open SELECT. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GString) payload = g_string_new ("{");

      parkd_json_append_member (payload, "reservation_id");
      parkd_json_append_string (payload, (const char *) sqlite3_column_text (stmt, 0));
      parkd_json_append_member (payload, "user_id");
      parkd_json_append_string (payload, (const char *) sqlite3_column_text (stmt, 1));
      parkd_json_append_member (payload, "spot_id");
      parkd_json_append_string (payload, (const char *) sqlite3_column_text (stmt, 3));
      parkd_json_append_member (payload, "status");
      parkd_json_append_string (payload, (const char *) sqlite3_column_text (stmt, 4));
      parkd_json_append_member (payload, "end_time");
      parkd_json_append_string (payload, (const char *) sqlite3_column_text (stmt, 5));
      g_string_append_c (payload, '}');
      g_ptr_array_add (due, _parkd_sqlite_column_dup (stmt, 0));
      g_ptr_array_add (due, _parkd_sqlite_column_dup (stmt, 2));
      g_ptr_array_add (due, g_string_free (g_steal_pointer (&payload), FALSE));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _parkd_sqlite_set_error (error, conn->db, rc, "reservations");
      goto out;
    }

  ok = TRUE;
  for (guint i = 0; ok && i + 2 < due->len; i += 3)
    {
      const char *id = g_ptr_array_index (due, i);
      g_autofree char *aggregate = g_strconcat ("reservation:", id, NULL);

      ok = _parkd_sqlite_insert_event (conn, "ReservationEndingSoon", aggregate,
                                       g_ptr_array_index (due, i + 1),
                                       g_ptr_array_index (due, i + 2), now, error);
      if (ok)
        {
          stmt = _parkd_sqlite_conn_prepare (conn, SQL_ENDING_NOTICED, error);
          ok = stmt != NULL;
          if (ok)
            {
              sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
              rc = sqlite3_step (stmt);
              sqlite3_reset (stmt);
              ok = rc == SQLITE_DONE || _parkd_sqlite_set_error (error, conn->db, rc,
                                                                  "reservations");
            }
        }
    }

out:
  if (!_parkd_sqlite_write_end (self, ok, error))
    return 0;
  return due->len / 3;
}
