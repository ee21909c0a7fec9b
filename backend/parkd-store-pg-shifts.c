/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-pg-shifts.c: attendants' shifts and the booth's board on PostgreSQL, as
 * parkd-store-sqlite-shifts.c has them: a shift's money is summed from the payments and
 * refunds the triggers of sql-pg/004 marked with it, on every read.
 */
#include "config.h"

#include "parkd-store-pg-private.h"

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

static const char SQL_SHIFT_BY_ID[] = SHIFT_SELECT "WHERE s.id = $1";
static const char SQL_SHIFT_OPEN_OF[] = SHIFT_SELECT
  "WHERE s.attendant_id = $1 AND s.closed_at IS NULL";
static const char SQL_INSERT_SHIFT[] =
  "INSERT INTO shifts (id, attendant_id, operator_id, lot_id, currency, float_amount, "
  "opened_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
static const char SQL_CLOSE_SHIFT[] =
  "UPDATE shifts SET closed_at = $2, counted = $3, expected = $4, note = $5 "
  " WHERE id = $1 AND closed_at IS NULL";
static const char SQL_SHIFT_ENTRIES[] =
  "SELECT 'payment', p.id, p.id, p.amount, p.tendered, p.change_given, ps.ticket, r.code, "
  "       NULL, p.created_at "
  "  FROM payments p JOIN shifts s ON s.pk = p.shift_pk "
  "  LEFT JOIN parking_sessions ps ON ps.pk = p.session_pk "
  "  LEFT JOIN reservations r ON r.pk = p.reservation_pk "
  " WHERE s.id = $1 "
  "UNION ALL "
  "SELECT 'refund', f.id, f.payment_id, f.amount, NULL, NULL, ps.ticket, r.code, f.reason, "
  "       f.created_at "
  "  FROM refunds f JOIN shifts s ON s.pk = f.shift_pk JOIN payments p ON p.id = f.payment_id "
  "  LEFT JOIN parking_sessions ps ON ps.pk = p.session_pk "
  "  LEFT JOIN reservations r ON r.pk = p.reservation_pk "
  " WHERE s.id = $1 "
  "ORDER BY 10, 1, 2";

/* Bookings as board lines: $1 lot id, $2 now, $3 until. */
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
  " WHERE l.id = $1 AND r.start_time < $3 AND r.end_time > $2 "
  "   AND (r.status = 'confirmed' OR (r.status = 'pending_payment' AND r.hold_until > $2)) "
  " ORDER BY r.start_time, r.code LIMIT 200";
static const char SQL_BOARD_OVERSTAYS[] =
  STAY_SELECT
  " WHERE l.id = $1 AND ((ps.status = 'paid' AND ps.leave_by < $2) OR "
  "                      (ps.status = 'active' AND r.end_time IS NOT NULL AND r.end_time < $2)) "
  " ORDER BY 11, ps.ticket LIMIT 200";
/* Everything a search at the booth may be about: bookings not over (or ended within a day,
 * a late driver), and every stay still in the lot. */
static const char SQL_BOARD_CURRENT[] =
  BOOKING_SELECT
  " WHERE l.id = $1 AND r.status IN ('pending_payment', 'confirmed', 'checked_in') "
  "   AND r.end_time > $2 "
  "UNION ALL "
  STAY_SELECT
  " WHERE l.id = $1 AND ps.status IN ('active', 'paid') "
  "ORDER BY 10 DESC LIMIT 5000";

static ParkdStorePg *
pg (ParkdStore *store)
{
  return (ParkdStorePg *) store;
}

static gpointer
shift_row (const PGresult *res,
           int             row)
{
  ParkdShift *s = g_new0 (ParkdShift, 1);

  s->id = _parkd_pg_dup (res, row, 0);
  s->attendant_id = _parkd_pg_dup (res, row, 1);
  s->attendant_email = _parkd_pg_dup (res, row, 2);
  s->operator_id = _parkd_pg_dup (res, row, 3);
  s->lot_id = _parkd_pg_dup (res, row, 4);
  s->currency = _parkd_pg_dup (res, row, 5);
  s->float_amount = _parkd_pg_int (res, row, 6);
  s->opened_at = _parkd_pg_dup (res, row, 7);
  s->closed_at = _parkd_pg_dup (res, row, 8);
  s->counted = _parkd_pg_amount (res, row, 9);
  s->note = _parkd_pg_dup (res, row, 10);
  s->n_payments = _parkd_pg_int (res, row, 11);
  s->taken = _parkd_pg_int (res, row, 12);
  s->change_given = _parkd_pg_int (res, row, 13);
  s->n_refunds = _parkd_pg_int (res, row, 14);
  s->refunded = _parkd_pg_int (res, row, 15);
  s->expected = s->float_amount + s->taken - s->change_given - s->refunded;
  return s;
}

static gpointer
entry_row (const PGresult *res,
           int             row)
{
  ParkdShiftEntry *e = g_new0 (ParkdShiftEntry, 1);

  e->kind = _parkd_pg_dup (res, row, 0);
  e->id = _parkd_pg_dup (res, row, 1);
  e->payment_id = _parkd_pg_dup (res, row, 2);
  e->amount = _parkd_pg_int (res, row, 3);
  e->tendered = _parkd_pg_amount (res, row, 4);
  e->change_given = _parkd_pg_amount (res, row, 5);
  e->ticket = _parkd_pg_dup (res, row, 6);
  e->reservation_code = _parkd_pg_dup (res, row, 7);
  e->reason = _parkd_pg_dup (res, row, 8);
  e->created_at = _parkd_pg_dup (res, row, 9);
  return e;
}

static gpointer
board_item_row (const PGresult *res,
                int             row)
{
  ParkdBoardItem *item = g_new0 (ParkdBoardItem, 1);

  item->kind = _parkd_pg_dup (res, row, 0);
  item->id = _parkd_pg_dup (res, row, 1);
  item->reference = _parkd_pg_dup (res, row, 2);
  item->status = _parkd_pg_dup (res, row, 3);
  item->plate_sealed = _parkd_pg_bytes (res, row, 4);
  item->first_name = _parkd_pg_dup (res, row, 5);
  item->last_name = _parkd_pg_dup (res, row, 6);
  item->email = _parkd_pg_dup (res, row, 7);
  item->spot_number = _parkd_pg_dup (res, row, 8);
  item->start_time = _parkd_pg_dup (res, row, 9);
  item->end_time = _parkd_pg_dup (res, row, 10);
  return item;
}

static ParkdShift *
pg_get_shift (ParkdStore  *store,
              const char  *id,
              const char  *attendant_id,
              GError     **error)
{
  return _parkd_pg_load_row (pg (store), id != NULL ? SQL_SHIFT_BY_ID : SQL_SHIFT_OPEN_OF,
                             id != NULL ? id : attendant_id, NULL, shift_row,
                             id != NULL ? "There is no shift with this id" : "No shift is open",
                             error);
}

typedef struct
{
  const ParkdShift *want;
  const char       *id;
  gint64            counted;
  const char       *note;
  ParkdShift       *out;
} ShiftWrite;

static gboolean
open_shift_tx (PgConn   *conn,
               gpointer  data,
               GError  **error)
{
  ShiftWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *amount = _parkd_pg_int_param (w->want->float_amount);
  const char *params[] = { w->id, w->want->attendant_id, w->want->operator_id, w->want->lot_id,
                           w->want->currency, amount, now };
  g_autoptr(PGresult) res = NULL;

  g_clear_pointer (&w->out, parkd_shift_free);
  res = _parkd_pg_query_v (conn, SQL_INSERT_SHIFT, params, NULL);
  if (res == NULL)
    {
      if (strcmp (conn->sqlstate, "23505") == 0)
        {
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT,
                               "A shift is open already: close it first");
          return FALSE;
        }
      return _parkd_pg_set_error (error, conn, NULL, "open shift");
    }
  w->out = _parkd_pg_load_row_on (conn, SQL_SHIFT_BY_ID, w->id, NULL, shift_row,
                                  "The shift vanished", error);
  return w->out != NULL;
}

static ParkdShift *
pg_open_shift (ParkdStore        *store,
               const ParkdShift  *want,
               GError           **error)
{
  g_autofree char *id = g_uuid_string_random ();
  ShiftWrite w = { want, id, 0, NULL, NULL };

  if (!_parkd_pg_transact (pg (store), FALSE, open_shift_tx, &w, error))
    g_clear_pointer (&w.out, parkd_shift_free);
  return w.out;
}

static gboolean
close_shift_tx (PgConn   *conn,
                gpointer  data,
                GError  **error)
{
  ShiftWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *counted = _parkd_pg_int_param (w->counted);
  g_autofree char *expected = NULL;
  g_autoptr(ParkdShift) before = NULL;

  g_clear_pointer (&w->out, parkd_shift_free);
  /* The expected total is read in the closing transaction: no payment slips in between. */
  before = _parkd_pg_load_row_on (conn, SQL_SHIFT_BY_ID, w->id, NULL, shift_row,
                                  "There is no shift with this id", error);
  if (before == NULL)
    return FALSE;
  if (before->closed_at != NULL)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                           "This shift is closed already");
      return FALSE;
    }
  expected = _parkd_pg_int_param (before->expected);
  {
    const char *params[] = { w->id, now, counted, expected, w->note != NULL ? w->note : "" };
    g_autoptr(PGresult) res = _parkd_pg_query_v (conn, SQL_CLOSE_SHIFT, params, error);

    if (res == NULL)
      return FALSE;
  }
  w->out = _parkd_pg_load_row_on (conn, SQL_SHIFT_BY_ID, w->id, NULL, shift_row,
                                  "The shift vanished", error);
  return w->out != NULL;
}

static ParkdShift *
pg_close_shift (ParkdStore  *store,
                const char  *id,
                gint64       counted,
                const char  *note,
                GError     **error)
{
  ShiftWrite w = { NULL, id, counted, note, NULL };

  if (!_parkd_pg_transact (pg (store), FALSE, close_shift_tx, &w, error))
    g_clear_pointer (&w.out, parkd_shift_free);
  return w.out;
}

static GPtrArray *
pg_shift_entries (ParkdStore  *store,
                  const char  *id,
                  GError     **error)
{
  const char *params[] = { id };

  return _parkd_pg_read_list_v (pg (store), SQL_SHIFT_ENTRIES, params, entry_row,
                                (GDestroyNotify) parkd_shift_entry_free, error);
}

static GPtrArray *
pg_board (ParkdStore      *store,
          const char      *lot_id,
          ParkdBoardList   list,
          const char      *now,
          const char      *until,
          GError         **error)
{
  const char *params[] = { lot_id, now, until != NULL ? until : now };
  const char *sql;

  if (list == PARKD_BOARD_ARRIVALS)
    sql = SQL_BOARD_ARRIVALS;
  else if (list == PARKD_BOARD_OVERSTAYS)
    sql = SQL_BOARD_OVERSTAYS;
  else
    {
      /* The current list asks only for the lot and the time bookings must end after. */
      sql = SQL_BOARD_CURRENT;
      params[1] = params[2];
    }
  return _parkd_pg_read_list_v (pg (store), sql, params, board_item_row,
                                (GDestroyNotify) parkd_board_item_free, error);
}

void
_parkd_pg_shifts_vtable (ParkdStoreVTable *vtable)
{
  vtable->open_shift = pg_open_shift;
  vtable->get_shift = pg_get_shift;
  vtable->close_shift = pg_close_shift;
  vtable->shift_entries = pg_shift_entries;
  vtable->board = pg_board;
}
