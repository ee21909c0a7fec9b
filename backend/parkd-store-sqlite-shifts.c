/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-sqlite-shifts.c: attendants' shifts and the booth's board in the embedded
 * store (schema: sql/007-shifts.sql).
 *
 * A shift's money is not copied anywhere: the triggers of 007 mark each cash payment and
 * refund with the shift open when it was recorded, and the totals are summed from them on
 * every read, so a report can never disagree with the payments it lists.
 */
#include "config.h"

#include "parkd-store-sqlite-private.h"

#include <string.h>

/* taken: what was handed over; change: what went back out of the drawer. */
#define SHIFT_SELECT \
  "SELECT s.id, s.attendant_id, u.email, s.operator_id, s.lot_id, s.currency, " \
  "       s.float_amount, s.opened_at, s.closed_at, s.counted, s.note, " \
  "       (SELECT count(*) FROM payments p WHERE p.shift_pk = s.pk), " \
  "       (SELECT coalesce (sum (coalesce (p.tendered, p.amount)), 0) FROM payments p " \
  "         WHERE p.shift_pk = s.pk), " \
  "       (SELECT coalesce (sum (coalesce (p.change_given, 0)), 0) FROM payments p " \
  "         WHERE p.shift_pk = s.pk), " \
  "       (SELECT count(*) FROM refunds f WHERE f.shift_pk = s.pk), " \
  "       (SELECT coalesce (sum (f.amount), 0) FROM refunds f WHERE f.shift_pk = s.pk) " \
  "  FROM shifts s LEFT JOIN users u ON u.id = s.attendant_id "

static const char SQL_SHIFT_BY_ID[] = SHIFT_SELECT "WHERE s.id = ?1";
static const char SQL_SHIFT_OPEN_OF[] = SHIFT_SELECT
  "WHERE s.attendant_id = ?1 AND s.closed_at IS NULL";
static const char SQL_INSERT_SHIFT[] =
  "INSERT INTO shifts (id, attendant_id, operator_id, lot_id, currency, float_amount, "
  "opened_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_CLOSE_SHIFT[] =
  "UPDATE shifts SET closed_at = ?2, counted = ?3, expected = ?4, note = ?5 "
  " WHERE id = ?1 AND closed_at IS NULL";
static const char SQL_SHIFT_ENTRIES[] =
  "SELECT 'payment', p.id, p.id, p.amount, p.tendered, p.change_given, ps.ticket, r.code, "
  "       NULL, p.created_at "
  "  FROM payments p JOIN shifts s ON s.pk = p.shift_pk "
  "  LEFT JOIN parking_sessions ps ON ps.pk = p.session_pk "
  "  LEFT JOIN reservations r ON r.pk = p.reservation_pk "
  " WHERE s.id = ?1 "
  "UNION ALL "
  "SELECT 'refund', f.id, f.payment_id, f.amount, NULL, NULL, ps.ticket, r.code, f.reason, "
  "       f.created_at "
  "  FROM refunds f JOIN shifts s ON s.pk = f.shift_pk JOIN payments p ON p.id = f.payment_id "
  "  LEFT JOIN parking_sessions ps ON ps.pk = p.session_pk "
  "  LEFT JOIN reservations r ON r.pk = p.reservation_pk "
  " WHERE s.id = ?1 "
  "ORDER BY 10, 1, 2";

/* Bookings as board lines: ?1 lot id, ?2 now, ?3 until. */
#define BOOKING_SELECT \
  "SELECT 'reservation', r.id, r.code, r.status, r.plate_sealed, u.first_name, u.last_name, " \
  "       u.email, sp.number, r.start_time, r.end_time " \
  "  FROM reservations r JOIN parking_lots l ON l.pk = r.lot_pk " \
  "  LEFT JOIN users u ON u.id = r.user_id JOIN parking_spots sp ON sp.pk = r.spot_pk "
/* Stays as board lines; a booked stay carries its driver's name and its booking's end. */
#define STAY_SELECT \
  "SELECT 'stay', ps.id, ps.ticket, ps.status, ps.plate_sealed, u.first_name, u.last_name, " \
  "       u.email, sp.number, ps.checked_in_at, coalesce (ps.leave_by, r.end_time) " \
  "  FROM parking_sessions ps JOIN parking_lots l ON l.pk = ps.lot_pk " \
  "  LEFT JOIN parking_spots sp ON sp.pk = ps.spot_pk " \
  "  LEFT JOIN reservations r ON r.pk = ps.reservation_pk " \
  "  LEFT JOIN users u ON u.id = r.user_id "

static const char SQL_BOARD_ARRIVALS[] =
  BOOKING_SELECT
  " WHERE l.id = ?1 AND r.start_time < ?3 AND r.end_time > ?2 "
  "   AND (r.status = 'confirmed' OR (r.status = 'pending_payment' AND r.hold_until > ?2)) "
  " ORDER BY r.start_time, r.code LIMIT 200";
static const char SQL_BOARD_OVERSTAYS[] =
  STAY_SELECT
  " WHERE l.id = ?1 AND ((ps.status = 'paid' AND ps.leave_by < ?2) OR "
  "                      (ps.status = 'active' AND r.end_time IS NOT NULL AND r.end_time < ?2)) "
  " ORDER BY 11, ps.ticket LIMIT 200";
/* Everything a search at the booth may be about: bookings not over (or ended within a day,
 * a late driver), and every stay still in the lot. */
static const char SQL_BOARD_CURRENT[] =
  BOOKING_SELECT
  " WHERE l.id = ?1 AND r.status IN ('pending_payment', 'confirmed', 'checked_in') "
  "   AND r.end_time > ?3 "
  "UNION ALL "
  STAY_SELECT
  " WHERE l.id = ?1 AND ps.status IN ('active', 'paid') "
  "ORDER BY 10 DESC LIMIT 5000";

#define SHIFT_MISSING "There is no shift with this id"

static ParkdShift *
shift_from_row (sqlite3_stmt *stmt)
{
  ParkdShift *s = g_new0 (ParkdShift, 1);

  s->id = _parkd_sqlite_column_dup (stmt, 0);
  s->attendant_id = _parkd_sqlite_column_dup (stmt, 1);
  s->attendant_email = _parkd_sqlite_column_dup (stmt, 2);
  s->operator_id = _parkd_sqlite_column_dup (stmt, 3);
  s->lot_id = _parkd_sqlite_column_dup (stmt, 4);
  s->currency = _parkd_sqlite_column_dup (stmt, 5);
  s->float_amount = sqlite3_column_int64 (stmt, 6);
  s->opened_at = _parkd_sqlite_column_dup (stmt, 7);
  s->closed_at = _parkd_sqlite_column_dup (stmt, 8);
  s->counted = _parkd_sqlite_column_amount (stmt, 9);
  s->note = _parkd_sqlite_column_dup (stmt, 10);
  s->n_payments = sqlite3_column_int (stmt, 11);
  s->taken = sqlite3_column_int64 (stmt, 12);
  s->change_given = sqlite3_column_int64 (stmt, 13);
  s->n_refunds = sqlite3_column_int (stmt, 14);
  s->refunded = sqlite3_column_int64 (stmt, 15);
  s->expected = s->float_amount + s->taken - s->change_given - s->refunded;
  return s;
}

static ParkdShiftEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  ParkdShiftEntry *e = g_new0 (ParkdShiftEntry, 1);

  e->kind = _parkd_sqlite_column_dup (stmt, 0);
  e->id = _parkd_sqlite_column_dup (stmt, 1);
  e->payment_id = _parkd_sqlite_column_dup (stmt, 2);
  e->amount = sqlite3_column_int64 (stmt, 3);
  e->tendered = _parkd_sqlite_column_amount (stmt, 4);
  e->change_given = _parkd_sqlite_column_amount (stmt, 5);
  e->ticket = _parkd_sqlite_column_dup (stmt, 6);
  e->reservation_code = _parkd_sqlite_column_dup (stmt, 7);
  e->reason = _parkd_sqlite_column_dup (stmt, 8);
  e->created_at = _parkd_sqlite_column_dup (stmt, 9);
  return e;
}

static ParkdBoardItem *
board_item_from_row (sqlite3_stmt *stmt)
{
  ParkdBoardItem *item = g_new0 (ParkdBoardItem, 1);

  item->kind = _parkd_sqlite_column_dup (stmt, 0);
  item->id = _parkd_sqlite_column_dup (stmt, 1);
  item->reference = _parkd_sqlite_column_dup (stmt, 2);
  item->status = _parkd_sqlite_column_dup (stmt, 3);
  if (sqlite3_column_type (stmt, 4) == SQLITE_BLOB)
    item->plate_sealed = g_bytes_new (sqlite3_column_blob (stmt, 4),
                                      sqlite3_column_bytes (stmt, 4));
  item->first_name = _parkd_sqlite_column_dup (stmt, 5);
  item->last_name = _parkd_sqlite_column_dup (stmt, 6);
  item->email = _parkd_sqlite_column_dup (stmt, 7);
  item->spot_number = _parkd_sqlite_column_dup (stmt, 8);
  item->start_time = _parkd_sqlite_column_dup (stmt, 9);
  item->end_time = _parkd_sqlite_column_dup (stmt, 10);
  return item;
}

static ParkdShift *
load_shift (Conn        *conn,
            const char  *id,
            const char  *missing,
            GError     **error)
{
  return _parkd_sqlite_load_row (conn, SQL_SHIFT_BY_ID, id, NULL, (RowFunc) shift_from_row,
                                 missing, error);
}

/* The rows of @sql with ?1..?3 bound (each only when not NULL), made by @from_row. */
static GPtrArray *
read_rows (ParkdStoreSqlite *self,
           const char       *sql,
           const char       *a,
           const char       *b,
           const char       *c,
           RowFunc           from_row,
           GDestroyNotify    free_func,
           GError          **error)
{
  Conn *conn;
  sqlite3_stmt *stmt = _parkd_sqlite_reader_prepare (self, sql, &conn, error);
  GPtrArray *rows;

  if (stmt == NULL)
    return NULL;
  if (a != NULL)
    sqlite3_bind_text (stmt, 1, a, -1, SQLITE_STATIC);
  if (b != NULL)
    sqlite3_bind_text (stmt, 2, b, -1, SQLITE_STATIC);
  if (c != NULL)
    sqlite3_bind_text (stmt, 3, c, -1, SQLITE_STATIC);
  rows = _parkd_sqlite_read_rows (conn, stmt, from_row, free_func, "read", error);
  sqlite3_clear_bindings (stmt);
  _parkd_sqlite_give_reader (self, conn);
  return rows;
}

ParkdShift *
_parkd_sqlite_get_shift (ParkdStore  *store,
                         const char  *id,
                         const char  *attendant_id,
                         GError     **error)
{
  return _parkd_sqlite_reader_load_row ((ParkdStoreSqlite *) store,
                                        id != NULL ? SQL_SHIFT_BY_ID : SQL_SHIFT_OPEN_OF,
                                        id != NULL ? id : attendant_id, NULL,
                                        (RowFunc) shift_from_row,
                                        id != NULL ? SHIFT_MISSING : "No shift is open", error);
}

ParkdShift *
_parkd_sqlite_open_shift (ParkdStore        *store,
                          const ParkdShift  *want,
                          GError           **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *now = parkd_now_rfc3339 ();
  ParkdShift *shift = NULL;
  sqlite3_stmt *stmt;
  Conn *conn;
  int rc;

  conn = _parkd_sqlite_write_begin (self, error);
  if (conn == NULL)
    return NULL;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_SHIFT, error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, want->attendant_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, want->operator_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, want->lot_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, want->currency, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, want->float_amount);
      sqlite3_bind_text (stmt, 7, now, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT)
        g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT,
                             "A shift is open already: close it first");
      else if (rc != SQLITE_DONE)
        _parkd_sqlite_set_error (error, conn->db, rc, "open shift");
      else
        shift = load_shift (conn, id, "The shift vanished", error);
    }
  if (!_parkd_sqlite_write_end (self, shift != NULL, shift != NULL ? error : NULL))
    g_clear_pointer (&shift, parkd_shift_free);
  return shift;
}

ParkdShift *
_parkd_sqlite_close_shift (ParkdStore  *store,
                           const char  *id,
                           gint64       counted,
                           const char  *note,
                           GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autoptr(ParkdShift) before = NULL;
  ParkdShift *shift = NULL;
  sqlite3_stmt *stmt;
  Conn *conn;

  conn = _parkd_sqlite_write_begin (self, error);
  if (conn == NULL)
    return NULL;
  /* The expected total is read in the closing transaction: no payment slips in between. */
  before = load_shift (conn, id, SHIFT_MISSING, error);
  if (before != NULL && before->closed_at != NULL)
    g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                         "This shift is closed already");
  else if (before != NULL && (stmt = _parkd_sqlite_conn_prepare (conn, SQL_CLOSE_SHIFT,
                                                                 error)) != NULL)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, counted);
      sqlite3_bind_int64 (stmt, 4, before->expected);
      sqlite3_bind_text (stmt, 5, note != NULL ? note : "", -1, SQLITE_STATIC);
      if (_parkd_sqlite_run (conn, stmt, "close shift", error))
        shift = load_shift (conn, id, "The shift vanished", error);
      sqlite3_clear_bindings (stmt);
    }
  if (!_parkd_sqlite_write_end (self, shift != NULL, shift != NULL ? error : NULL))
    g_clear_pointer (&shift, parkd_shift_free);
  return shift;
}

GPtrArray *
_parkd_sqlite_shift_entries (ParkdStore  *store,
                             const char  *id,
                             GError     **error)
{
  return read_rows ((ParkdStoreSqlite *) store, SQL_SHIFT_ENTRIES, id, NULL, NULL,
                    (RowFunc) entry_from_row, (GDestroyNotify) parkd_shift_entry_free, error);
}

GPtrArray *
_parkd_sqlite_board (ParkdStore      *store,
                     const char      *lot_id,
                     ParkdBoardList   list,
                     const char      *now,
                     const char      *until,
                     GError         **error)
{
  const char *sql = list == PARKD_BOARD_ARRIVALS ? SQL_BOARD_ARRIVALS
                    : list == PARKD_BOARD_OVERSTAYS ? SQL_BOARD_OVERSTAYS : SQL_BOARD_CURRENT;

  return read_rows ((ParkdStoreSqlite *) store, sql, lot_id, now, until != NULL ? until : now,
                    (RowFunc) board_item_from_row, (GDestroyNotify) parkd_board_item_free, error);
}
