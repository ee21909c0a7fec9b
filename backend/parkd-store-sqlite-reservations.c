/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-sqlite-reservations.c: bookings without double booking, in the embedded store.
 *
 * A booking is "is any active reservation or occupied stay of this spot overlapping? if not,
 * insert" inside one write transaction. SQLite lets one writer in at a time, so two bookings
 * of one spot cannot both see it free, whatever the concurrency.
 *
 * Bookings are durable (synchronous=FULL): each commit waits for the disk. To get past one
 * fsync per booking, bookings go to a batcher thread that takes every booking waiting,
 * runs each in its own SAVEPOINT (a refused booking rolls back alone) and commits them
 * together: the group commit of databases, one fsync for the lot. Under no load a batch is
 * one booking and nothing waits for company.
 */
#include "config.h"

#include "parkd-store-sqlite-private.h"

#include <sodium.h>
#include <string.h>

#define MAX_BATCH  256
#define MAX_QUEUED 4096

/* A reservation holds its spot while it is one of these (a pending one until hold_until). */
#define ACTIVE_STATUSES "('pending_payment', 'confirmed', 'checked_in')"

#define RESERVATION_SELECT \
  "SELECT r.id, r.code, r.user_id, l.operator_id, l.id, l.name, l.time_zone, s.id, s.number, " \
  "s.spot_type, s.level, r.start_time, r.end_time, r.status, r.hold_until, r.total, " \
  "r.currency, r.breakdown, r.quote_id, r.created_at, r.updated_at, r.checked_in_at, " \
  "r.checked_out_at, r.cancelled_at, r.kiosk_id, " \
  "(SELECT coalesce (sum (p.amount - p.refunded), 0) FROM payments p " \
  "  WHERE p.reservation_pk = r.pk AND p.status IN ('succeeded', 'partially_refunded')) " \
  "FROM reservations r JOIN parking_lots l ON l.pk = r.lot_pk " \
  "JOIN parking_spots s ON s.pk = r.spot_pk "

static const char SQL_RESERVATION_BY_ID[] = RESERVATION_SELECT "WHERE r.id = ?1";
static const char SQL_RESERVATION_BY_CODE[] = RESERVATION_SELECT "WHERE r.code = ?1";
static const char SQL_RESERVATIONS_PAGE[] =
  RESERVATION_SELECT "WHERE r.user_id = ?1 AND (?4 IS NULL OR r.status = ?4) "
  "ORDER BY r.start_time DESC, r.id LIMIT ?2 OFFSET ?3";
static const char SQL_RESERVATIONS_COUNT[] =
  "SELECT count(*) FROM reservations WHERE user_id = ?1 AND (?4 IS NULL OR status = ?4)";

static const char SQL_LOT_FOR_BOOKING[] =
  "SELECT pk, operator_id FROM parking_lots WHERE id = ?1";
static const char SQL_SPOT_FOR_BOOKING[] =
  "SELECT pk, lot_pk, state FROM parking_spots WHERE id = ?1";
/* Whatever holds the spot at some moment of [?2, ?3): an active reservation (a pending one
 * only until its hold runs out, ?4 is now) or a stay checked in and not yet gone. */
static const char SQL_SPOT_TAKEN[] =
  "SELECT start_time, end_time FROM reservations "
  " WHERE spot_pk = ?1 AND end_time > ?2 AND start_time < ?3 AND status IN " ACTIVE_STATUSES
  "   AND (status <> 'pending_payment' OR hold_until > ?4) "
  "UNION ALL "
  "SELECT checked_in_at, coalesce (leave_by, '9999-12-31T23:59:59Z') FROM parking_sessions "
  " WHERE spot_pk = ?1 AND status IN ('active', 'paid') AND reservation_pk IS NULL "
  "   AND coalesce (leave_by, '9999-12-31T23:59:59Z') > ?2 "
  "LIMIT 1";
/* The first spot of a type that nothing holds in [?3, ?4). */
static const char SQL_PICK_SPOT[] =
  "SELECT s.pk FROM parking_spots s "
  " WHERE s.lot_pk = ?1 AND s.spot_type = ?2 AND s.state <> 'out_of_service' "
  /* A car standing there now (seen by an attendant or a sensor) is not gone in a minute. */
  "   AND NOT (s.state = 'occupied' AND ?3 < strftime ('%Y-%m-%dT%H:%M:%SZ', ?5, '+1 hour')) "
  "   AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.spot_pk = s.pk "
  "                    AND r.end_time > ?3 AND r.start_time < ?4 AND r.status IN " ACTIVE_STATUSES
  "                    AND (r.status <> 'pending_payment' OR r.hold_until > ?5)) "
  "   AND NOT EXISTS (SELECT 1 FROM parking_sessions p WHERE p.spot_pk = s.pk "
  "                    AND p.status IN ('active', 'paid') AND p.reservation_pk IS NULL) "
  " ORDER BY s.level, s.number LIMIT 1";
static const char SQL_INSERT_RESERVATION[] =
  "INSERT INTO reservations (id, code, user_id, lot_pk, spot_pk, start_time, end_time, status, "
  "hold_until, total, currency, breakdown, quote_id, plate_sealed, created_at, updated_at, "
  "kiosk_id) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?16)";
static const char SQL_CODE_TAKEN[] = "SELECT 1 FROM reservations WHERE code = ?1";
static const char SQL_INSERT_EVENT[] =
  "INSERT INTO events (id, type, aggregate, operator_id, payload, created_at) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_IDEM_FIND[] =
  "SELECT body_hash, status, resource_id, route FROM idempotency_keys "
  " WHERE scope = ?1 AND key = ?2";
static const char SQL_IDEM_INSERT[] =
  "INSERT INTO idempotency_keys (scope, key, route, body_hash, status, resource_id, created_at) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_USE_DISCOUNT[] =
  "UPDATE discount_codes SET uses = uses + 1 WHERE id = ?1 "
  "   AND (max_uses IS NULL OR uses < max_uses) AND (expires_at IS NULL OR expires_at > ?2)";
static const char SQL_SPOT_RESERVE_NOW[] =
  "UPDATE parking_spots SET state = 'reserved', updated_at = ?2 "
  " WHERE pk = ?1 AND state = 'available'";

static const char SQL_SET_STATUS[] =
  "UPDATE reservations SET status = ?2, updated_at = ?3, "
  "  hold_until = CASE WHEN ?2 = 'pending_payment' THEN hold_until ELSE NULL END, "
  "  checked_in_at = CASE WHEN ?2 = 'checked_in' THEN ?3 ELSE checked_in_at END, "
  "  checked_out_at = CASE WHEN ?2 = 'completed' THEN ?3 ELSE checked_out_at END, "
  "  cancelled_at = CASE WHEN ?2 = 'cancelled' THEN ?3 ELSE cancelled_at END "
  "WHERE id = ?1";
static const char SQL_RESERVATION_KEYS[] =
  "SELECT r.pk, r.spot_pk, r.status, l.operator_id, s.id FROM reservations r "
  "JOIN parking_lots l ON l.pk = r.lot_pk JOIN parking_spots s ON s.pk = r.spot_pk "
  "WHERE r.id = ?1";
static const char SQL_SPOT_OCCUPY[] =
  "UPDATE parking_spots SET state = 'occupied', updated_at = ?2 WHERE id = ?1";
static const char SQL_SPOT_FREE[] =
  "UPDATE parking_spots SET state = 'available', updated_at = ?2 "
  " WHERE id = ?1 AND state <> 'out_of_service'";
static const char SQL_EXTENSION_TAKEN[] =
  "SELECT start_time, end_time FROM reservations r JOIN parking_spots s ON s.pk = r.spot_pk "
  " WHERE s.id = ?1 AND r.id <> ?5 AND r.end_time > ?2 AND r.start_time < ?3 "
  "   AND r.status IN " ACTIVE_STATUSES
  "   AND (r.status <> 'pending_payment' OR r.hold_until > ?4) "
  "UNION ALL "
  "SELECT p.checked_in_at, coalesce (p.leave_by, '9999-12-31T23:59:59Z') "
  "  FROM parking_sessions p JOIN parking_spots s ON s.pk = p.spot_pk "
  " WHERE s.id = ?1 AND p.status IN ('active', 'paid') AND p.reservation_pk IS NULL "
  "   AND coalesce (p.leave_by, '9999-12-31T23:59:59Z') > ?2 "
  "LIMIT 1";
static const char SQL_EXTEND[] =
  "UPDATE reservations SET end_time = ?2, total = ?3, breakdown = ?4, updated_at = ?5 "
  "WHERE id = ?1";
/* Spot states follow the reservations that hold them now. */
static const char SQL_SPOTS_NOW_RESERVED[] =
  "UPDATE parking_spots SET state = 'reserved', updated_at = ?1 "
  " WHERE state = 'available' AND pk IN (SELECT spot_pk FROM reservations "
  "   WHERE status IN ('pending_payment', 'confirmed') AND start_time <= ?1 AND end_time > ?1 "
  "     AND (status <> 'pending_payment' OR hold_until > ?1))";
static const char SQL_SPOTS_NOW_FREE[] =
  "UPDATE parking_spots SET state = 'available', updated_at = ?1 "
  " WHERE state = 'reserved' AND pk NOT IN (SELECT spot_pk FROM reservations "
  "   WHERE status IN ('pending_payment', 'confirmed') AND start_time <= ?1 AND end_time > ?1 "
  "     AND (status <> 'pending_payment' OR hold_until > ?1))";
static const char SQL_DUE_EXPIRED[] =
  "SELECT r.id, l.operator_id, s.id FROM reservations r JOIN parking_lots l ON l.pk = r.lot_pk "
  "JOIN parking_spots s ON s.pk = r.spot_pk "
  "WHERE r.status = 'pending_payment' AND r.hold_until <= ?1";
static const char SQL_DUE_NO_SHOW[] =
  "SELECT r.id, l.operator_id, s.id FROM reservations r JOIN parking_lots l ON l.pk = r.lot_pk "
  "JOIN parking_spots s ON s.pk = r.spot_pk "
  "WHERE r.status = 'confirmed' AND r.start_time <= ?1";
static const char SQL_BOOKED_SHARE[] =
  "SELECT (SELECT count(DISTINCT r.spot_pk) FROM reservations r "
  "         INDEXED BY reservations_lot_end JOIN parking_spots s ON s.pk = r.spot_pk "
  "        WHERE r.lot_pk = l.pk AND r.end_time > ?3 AND r.start_time < ?4 "
  "          AND s.spot_type = ?2 AND r.status IN " ACTIVE_STATUSES
  "          AND (r.status <> 'pending_payment' OR r.hold_until > ?5)), "
  "       (SELECT count(*) FROM parking_spots s WHERE s.lot_pk = l.pk AND s.spot_type = ?2 "
  "          AND s.state <> 'out_of_service') "
  "FROM parking_lots l WHERE l.id = ?1";
static const char SQL_GET_PRICING[] =
  "SELECT pricing FROM parking_lots WHERE id = ?1";
static const char SQL_SET_PRICING[] =
  "UPDATE parking_lots SET pricing = ?2, updated_at = ?3 WHERE id = ?1";

/* ---- Rows --------------------------------------------------------------------------- */

#define RESERVATION_MISSING "There is no reservation with this id"
#define LOT_MISSING "There is no lot with this id"

static ParkdReservation *
reservation_from_row (sqlite3_stmt *stmt)
{
  ParkdReservation *r = g_new0 (ParkdReservation, 1);
  int c = 0;

  r->id = _parkd_sqlite_column_dup (stmt, c++);
  r->code = _parkd_sqlite_column_dup (stmt, c++);
  r->user_id = _parkd_sqlite_column_dup (stmt, c++);
  r->operator_id = _parkd_sqlite_column_dup (stmt, c++);
  r->lot_id = _parkd_sqlite_column_dup (stmt, c++);
  r->lot_name = _parkd_sqlite_column_dup (stmt, c++);
  r->time_zone = _parkd_sqlite_column_dup (stmt, c++);
  r->spot_id = _parkd_sqlite_column_dup (stmt, c++);
  r->spot_number = _parkd_sqlite_column_dup (stmt, c++);
  parkd_spot_type_from_string ((const char *) sqlite3_column_text (stmt, c++), &r->spot_type);
  r->level = sqlite3_column_int (stmt, c++);
  r->start_time = _parkd_sqlite_column_dup (stmt, c++);
  r->end_time = _parkd_sqlite_column_dup (stmt, c++);
  parkd_reservation_status_from_string ((const char *) sqlite3_column_text (stmt, c++),
                                        &r->status);
  r->hold_until = _parkd_sqlite_column_dup (stmt, c++);
  r->total = sqlite3_column_int64 (stmt, c++);
  r->currency = _parkd_sqlite_column_dup (stmt, c++);
  r->breakdown = _parkd_sqlite_column_dup (stmt, c++);
  r->quote_id = _parkd_sqlite_column_dup (stmt, c++);
  r->created_at = _parkd_sqlite_column_dup (stmt, c++);
  r->updated_at = _parkd_sqlite_column_dup (stmt, c++);
  r->checked_in_at = _parkd_sqlite_column_dup (stmt, c++);
  r->checked_out_at = _parkd_sqlite_column_dup (stmt, c++);
  r->cancelled_at = _parkd_sqlite_column_dup (stmt, c++);
  r->kiosk_id = _parkd_sqlite_column_dup (stmt, c++);
  r->paid = sqlite3_column_int64 (stmt, c++);
  return r;
}

void
parkd_reservation_free (ParkdReservation *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->code);
  g_free (r->user_id);
  g_free (r->operator_id);
  g_free (r->lot_id);
  g_free (r->lot_name);
  g_free (r->time_zone);
  g_free (r->spot_id);
  g_free (r->spot_number);
  g_free (r->start_time);
  g_free (r->end_time);
  g_free (r->hold_until);
  g_free (r->currency);
  g_free (r->breakdown);
  g_free (r->quote_id);
  g_free (r->created_at);
  g_free (r->updated_at);
  g_free (r->checked_in_at);
  g_free (r->checked_out_at);
  g_free (r->cancelled_at);
  g_free (r->kiosk_id);
  g_free (r);
}

void
parkd_booking_result_free (ParkdBookingResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->reservation, parkd_reservation_free);
  g_clear_error (&result->error);
  g_free (result->conflict_start);
  g_free (result->conflict_end);
  g_free (result);
}

/* The one row @sql finds for @key1 (and @key2), made by @from_row; NULL with NOT_FOUND
 * (@missing) when there is none. */

gpointer
_parkd_sqlite_load_row (Conn        *conn,
                        const char  *sql,
                        const char  *key1,
                        const char  *key2,
                        RowFunc      from_row,
                        const char  *missing,
                        GError     **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, sql, error);
  gpointer row = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key1, -1, SQLITE_STATIC);
  if (key2 != NULL)
    sqlite3_bind_text (stmt, 2, key2, -1, SQLITE_STATIC);
  if (_parkd_sqlite_step_row (conn, stmt, "read", missing, error))
    row = from_row (stmt);
  sqlite3_reset (stmt);
  return row;
}

/* The same on a reader of its own, for the reads of one row. */
gpointer
_parkd_sqlite_reader_load_row (ParkdStoreSqlite  *self,
                               const char        *sql,
                               const char        *key1,
                               const char        *key2,
                               RowFunc            from_row,
                               const char        *missing,
                               GError           **error)
{
  Conn *conn = _parkd_sqlite_take_reader (self, error);
  gpointer row;

  if (conn == NULL)
    return NULL;
  row = _parkd_sqlite_load_row (conn, sql, key1, key2, from_row, missing, error);
  _parkd_sqlite_give_reader (self, conn);
  return row;
}

static ParkdReservation *
load_reservation (Conn        *conn,
                  const char  *sql,
                  const char  *key,
                  GError     **error)
{
  return _parkd_sqlite_load_row (conn, sql, key, NULL, (RowFunc) reservation_from_row,
                                 RESERVATION_MISSING, error);
}

/* ---- Events ------------------------------------------------------------------------- */

/* One event of the outbox, in the caller's transaction. @payload is a JSON object. */
gboolean
_parkd_sqlite_insert_event (Conn        *conn,
                            const char  *type,
                            const char  *aggregate,
                            const char  *operator_id,
                            const char  *payload,
                            const char  *now,
                            GError     **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_EVENT, error);
  g_autofree char *id = g_uuid_string_random ();

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, aggregate, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, operator_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, payload, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);
  return _parkd_sqlite_run (conn, stmt, "event", error);
}

static gboolean
reservation_event (Conn        *conn,
                   const char  *type,
                   const char  *reservation_id,
                   const char  *operator_id,
                   const char  *spot_id,
                   const char  *status,
                   const char  *now,
                   GError     **error)
{
  g_autofree char *aggregate = g_strconcat ("reservation:", reservation_id, NULL);
  g_autofree char *payload = parkd_reservation_event_payload (reservation_id, spot_id, status);

  return _parkd_sqlite_insert_event (conn, type, aggregate, operator_id, payload, now, error);
}

/* ---- Idempotency-Key ---------------------------------------------------------------- */

/* In the writer's transaction: has @idem's key been used before by its scope? *@found with
 * the first answer's status and resource when it was, for this very route and body; a
 * MISMATCH error when it was used for another request. */
static gboolean
idem_find_locked (Conn                    *conn,
                  const ParkdIdempotency  *idem,
                  gboolean                *found,
                  int                     *status,
                  char                   **resource_id,
                  GError                 **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, SQL_IDEM_FIND, error);
  int rc;

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, idem->scope, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, idem->key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      gsize len;
      const void *hash = g_bytes_get_data (idem->body_hash, &len);
      gboolean same = sqlite3_column_bytes (stmt, 0) == (int) len &&
                      memcmp (sqlite3_column_blob (stmt, 0), hash, len) == 0 &&
                      g_strcmp0 ((const char *) sqlite3_column_text (stmt, 3), idem->route) == 0;

      *found = TRUE;
      *status = sqlite3_column_int (stmt, 1);
      *resource_id = _parkd_sqlite_column_dup (stmt, 2);
      sqlite3_reset (stmt);
      if (!same)
        {
          g_clear_pointer (resource_id, g_free);
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_MISMATCH,
                               "This Idempotency-Key was used for another request");
          return FALSE;
        }
      return TRUE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _parkd_sqlite_set_error (error, conn->db, rc, "idempotency");
  return TRUE;
}

/* In the writer's transaction, with what it wrote: the first answer to @idem's key. */
static gboolean
idem_insert_locked (Conn                    *conn,
                    const ParkdIdempotency  *idem,
                    int                      status,
                    const char              *resource_id,
                    const char              *now,
                    GError                 **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, SQL_IDEM_INSERT, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, idem->scope, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, idem->key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, idem->route, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 4, g_bytes_get_data (idem->body_hash, NULL),
                     g_bytes_get_size (idem->body_hash), SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, status);
  sqlite3_bind_text (stmt, 6, resource_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, now, -1, SQLITE_STATIC);
  return _parkd_sqlite_run (conn, stmt, "idempotency", error);
}

/* ---- Booking ------------------------------------------------------------------------ */

/* Unambiguous when read aloud or typed: no 0/O, 1/I/L, 2/Z, 5/S, 8/B. */
static void
new_code (char  *out,
          gsize  len)
{
  static const char alphabet[] = "ACDEFGHJKMNPQRTUVWXY34679";

  for (gsize i = 0; i < len; i++)
    out[i] = alphabet[randombytes_uniform (sizeof alphabet - 1)];
  out[len] = '\0';
}

static gboolean step_exists (Conn *conn, sqlite3_stmt *stmt, gboolean *exists, GError **error);

/* A fresh code of @len characters (@out holds @len + 1) that @taken_sql (?1: the code) does
 * not find yet; a clash is rare and simply drawn again. */
static gboolean
new_unique_code (Conn        *conn,
                 const char  *taken_sql,
                 char        *out,
                 gsize        len,
                 const char  *what,
                 GError     **error)
{
  for (int attempt = 0; attempt <= 20; attempt++)
    {
      sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, taken_sql, error);
      gboolean found;

      if (stmt == NULL)
        return FALSE;
      new_code (out, len);
      sqlite3_bind_text (stmt, 1, out, -1, SQLITE_STATIC);
      if (!step_exists (conn, stmt, &found, error))
        return FALSE;
      sqlite3_reset (stmt);
      if (!found)
        return TRUE;
    }
  g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_BACKEND, "No free %s", what);
  return FALSE;
}

static gboolean
step_exists (Conn         *conn,
             sqlite3_stmt *stmt,
             gboolean     *exists,
             GError      **error)
{
  int rc = sqlite3_step (stmt);

  *exists = rc == SQLITE_ROW;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return _parkd_sqlite_set_error (error, conn->db, rc, "booking");
    }
  return TRUE;
}

/* Steps @stmt, which finds what holds a spot (its start and end): FALSE when it finds
 * something, with CONFLICT (@message) and the times in @result, or when it fails. */
static gboolean
spot_free (Conn                *conn,
           sqlite3_stmt        *stmt,
           ParkdBookingResult  *result,
           const char          *message,
           GError             **error)
{
  gboolean found;

  if (!step_exists (conn, stmt, &found, error))
    return FALSE;
  if (found)
    {
      result->conflict_start = _parkd_sqlite_column_dup (stmt, 0);
      result->conflict_end = _parkd_sqlite_column_dup (stmt, 1);
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT, message);
    }
  sqlite3_reset (stmt);
  return !found;
}

/* Counts one use of a discount or validation code, never past its limit or expiry. */
static gboolean
use_discount_locked (Conn        *conn,
                     const char  *discount_id,
                     const char  *now,
                     GError     **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, SQL_USE_DISCOUNT, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, discount_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run (conn, stmt, "discount", error))
    return FALSE;
  if (sqlite3_changes (conn->db) == 0)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                           "This discount code is used up or has expired");
      return FALSE;
    }
  return TRUE;
}

/* The body of one booking, inside the batch's transaction and its own savepoint. FALSE
 * with result->error set when refused; the caller rolls the savepoint back. */
static gboolean
book_locked (Conn                      *conn,
             const ParkdNewReservation *req,
             const char                *now,
             ParkdBookingResult        *result)
{
  GError **error = &result->error;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *operator_id = NULL;
  const ParkdIdempotency idem = {
    req->idem_scope, req->idem_key, req->idem_route, req->idem_hash
  };
  sqlite3_stmt *stmt;
  gint64 lot_pk, spot_pk = 0;
  gboolean found, confirmed = req->hold_until == NULL;
  char code[7];

  /* An Idempotency-Key seen before: the same request is answered as the first time, another
   * request under that key is refused. */
  if (req->idem_key != NULL)
    {
      g_autofree char *resource = NULL;

      if (!idem_find_locked (conn, &idem, &found, &result->replayed_status, &resource, error))
        return FALSE;
      if (found)
        {
          result->replayed = TRUE;
          result->reservation = load_reservation (conn, SQL_RESERVATION_BY_ID, resource, error);
          /* Nothing new is written: the savepoint is released, not rolled back. */
          return result->reservation != NULL;
        }
    }

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_LOT_FOR_BOOKING, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, req->lot_id, -1, SQLITE_STATIC);
  if (!step_exists (conn, stmt, &found, error))
    return FALSE;
  if (!found)
    {
      sqlite3_reset (stmt);
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                           "There is no lot with this id");
      return FALSE;
    }
  lot_pk = sqlite3_column_int64 (stmt, 0);
  operator_id = _parkd_sqlite_column_dup (stmt, 1);
  sqlite3_reset (stmt);

  if (req->spot_id != NULL)
    {
      gint64 spot_lot;
      gboolean out_of_service;

      stmt = _parkd_sqlite_conn_prepare (conn, SQL_SPOT_FOR_BOOKING, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, req->spot_id, -1, SQLITE_STATIC);
      if (!step_exists (conn, stmt, &found, error))
        return FALSE;
      spot_pk = found ? sqlite3_column_int64 (stmt, 0) : 0;
      spot_lot = found ? sqlite3_column_int64 (stmt, 1) : 0;
      out_of_service = found && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2),
                                           "out_of_service") == 0;
      sqlite3_reset (stmt);
      if (!found || spot_lot != lot_pk)
        {
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                               "This lot has no spot with this id");
          return FALSE;
        }
      if (out_of_service)
        {
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                               "This spot is out of service");
          return FALSE;
        }

      stmt = _parkd_sqlite_conn_prepare (conn, SQL_SPOT_TAKEN, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, spot_pk);
      sqlite3_bind_text (stmt, 2, req->start_time, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, req->end_time, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
      if (!spot_free (conn, stmt, result, "The spot is taken for part of this time", error))
        return FALSE;
    }
  else
    {
      stmt = _parkd_sqlite_conn_prepare (conn, SQL_PICK_SPOT, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, lot_pk);
      sqlite3_bind_text (stmt, 2, parkd_spot_type_to_string (req->spot_type), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, req->start_time, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, req->end_time, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, now, -1, SQLITE_STATIC);
      if (!step_exists (conn, stmt, &found, error))
        return FALSE;
      spot_pk = found ? sqlite3_column_int64 (stmt, 0) : 0;
      sqlite3_reset (stmt);
      if (!found)
        {
          result->conflict_start = g_strdup (req->start_time);
          result->conflict_end = g_strdup (req->end_time);
          g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT,
                       "No %s spot of this lot is free for all of this time",
                       parkd_spot_type_to_string (req->spot_type));
          return FALSE;
        }
    }

  if (!new_unique_code (conn, SQL_CODE_TAKEN, code, sizeof code - 1, "reservation code", error))
    return FALSE;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_RESERVATION, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, req->user_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, lot_pk);
  sqlite3_bind_int64 (stmt, 5, spot_pk);
  sqlite3_bind_text (stmt, 6, req->start_time, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, req->end_time, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, confirmed ? "confirmed" : "pending_payment", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, req->hold_until, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 10, req->total);
  sqlite3_bind_text (stmt, 11, req->currency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, req->breakdown, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, req->quote_id, -1, SQLITE_STATIC);
  _parkd_sqlite_bind_bytes (stmt, 14, req->plate_sealed);
  sqlite3_bind_text (stmt, 15, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 16, req->kiosk_id, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run_checked (conn, stmt, "booking", NULL, "Invalid reservation",
                                  "No such user", error))
    return FALSE;

  /* A reservation that starts now holds its spot now: the live count shows it at once. */
  if (strcmp (req->start_time, now) <= 0)
    {
      stmt = _parkd_sqlite_conn_prepare (conn, SQL_SPOT_RESERVE_NOW, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, spot_pk);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      if (!_parkd_sqlite_run (conn, stmt, "booking", error))
        return FALSE;
    }

  /* The code's use counts only with the booking it discounted, and never past its limit:
   * two drivers racing for the last use cannot both have it. */
  if (req->discount_id != NULL && !use_discount_locked (conn, req->discount_id, now, error))
    return FALSE;

  result->reservation = load_reservation (conn, SQL_RESERVATION_BY_ID, id, error);
  if (result->reservation == NULL ||
      !reservation_event (conn, "ParkingSpotBooked", id, operator_id,
                          result->reservation->spot_id,
                          confirmed ? "confirmed" : "pending_payment", now, error))
    return FALSE;

  return req->idem_key == NULL || idem_insert_locked (conn, &idem, 201, id, now, error);
}

/* ---- The batcher -------------------------------------------------------------------- */

typedef struct
{
  ParkdNewReservation  request;     /* deep copy */
  ParkdBookingDone     done;
  gpointer             user_data;
  ParkdBookingResult  *result;
  GMutex               lock;        /* for the synchronous form */
  GCond                cond;
  gboolean             finished;
} BookingJob;

static BookingJob *
booking_job_new (const ParkdNewReservation *req)
{
  BookingJob *job = g_new0 (BookingJob, 1);

  parkd_new_reservation_copy (&job->request, req);
  job->result = g_new0 (ParkdBookingResult, 1);
  g_mutex_init (&job->lock);
  g_cond_init (&job->cond);
  return job;
}

static void
booking_job_free (BookingJob *job)
{
  parkd_new_reservation_clear (&job->request);
  parkd_booking_result_free (job->result);
  g_mutex_clear (&job->lock);
  g_cond_clear (&job->cond);
  g_free (job);
}

static BookingJob stop_job;   /* pushed once to end the batcher */

static void
run_batch (ParkdStoreSqlite *self,
           GPtrArray        *jobs)
{
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autoptr(GError) error = NULL;
  Conn *conn = _parkd_sqlite_write_begin (self, &error);
  gboolean committed = FALSE;

  if (conn != NULL)
    {
      for (guint i = 0; i < jobs->len; i++)
        {
          BookingJob *job = g_ptr_array_index (jobs, i);

          if (!_parkd_sqlite_conn_exec (conn, "SAVEPOINT booking", &job->result->error))
            continue;
          if (!book_locked (conn, &job->request, now, job->result))
            {
              g_clear_pointer (&job->result->reservation, parkd_reservation_free);
              _parkd_sqlite_conn_exec (conn, "ROLLBACK TO booking", NULL);
            }
          _parkd_sqlite_conn_exec (conn, "RELEASE booking", NULL);
        }
      committed = _parkd_sqlite_write_end (self, TRUE, &error);
    }

  for (guint i = 0; i < jobs->len; i++)
    {
      BookingJob *job = g_ptr_array_index (jobs, i);
      ParkdBookingResult *result = g_steal_pointer (&job->result);

      /* Nothing of the batch is on disk: nobody may be told otherwise. */
      if (!committed)
        {
          g_clear_pointer (&result->reservation, parkd_reservation_free);
          result->replayed = FALSE;
          if (result->error == NULL ||
              !g_error_matches (result->error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT))
            {
              g_clear_error (&result->error);
              result->error = g_error_copy (error);
            }
        }
      if (job->done != NULL)
        {
          job->done (result, job->user_data);
          booking_job_free (job);
        }
      else
        {
          g_mutex_lock (&job->lock);
          job->result = result;
          job->finished = TRUE;
          g_cond_signal (&job->cond);
          g_mutex_unlock (&job->lock);
        }
    }
}

static gpointer
batcher_main (gpointer data)
{
  ParkdStoreSqlite *self = data;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new ();
  gboolean stopping = FALSE;

  while (!stopping)
    {
      BookingJob *job = g_async_queue_pop (self->bookings);

      g_ptr_array_set_size (jobs, 0);
      do
        {
          if (job == &stop_job)
            stopping = TRUE;
          else
            g_ptr_array_add (jobs, job);
        }
      while (jobs->len < MAX_BATCH && (job = g_async_queue_try_pop (self->bookings)) != NULL);
      if (jobs->len > 0)
        run_batch (self, jobs);
    }
  return NULL;
}

void
_parkd_sqlite_bookings_start (ParkdStoreSqlite *self)
{
  self->bookings = g_async_queue_new ();
  self->batcher = g_thread_new ("parkd-bookings", batcher_main, self);
}

void
_parkd_sqlite_bookings_stop (ParkdStoreSqlite *self)
{
  if (self->batcher == NULL)
    return;
  /* Bookings queued before this are still written and answered. */
  g_async_queue_push (self->bookings, &stop_job);
  g_clear_pointer (&self->batcher, g_thread_join);
  g_clear_pointer (&self->bookings, g_async_queue_unref);
}

void
_parkd_sqlite_book_async (ParkdStore                *store,
                          const ParkdNewReservation *request,
                          ParkdBookingDone           done,
                          gpointer                   user_data)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  BookingJob *job;

  /* A disk that cannot keep up must not turn into unbounded memory: refuse at once. */
  if (g_async_queue_length (self->bookings) >= MAX_QUEUED)
    {
      ParkdBookingResult *busy = g_new0 (ParkdBookingResult, 1);

      g_set_error_literal (&busy->error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_BACKEND,
                           "Too many bookings are waiting to be written");
      done (busy, user_data);
      return;
    }
  job = booking_job_new (request);
  job->done = done;
  job->user_data = user_data;
  g_async_queue_push (self->bookings, job);
}

ParkdBookingResult *
_parkd_sqlite_book (ParkdStore                *store,
                    const ParkdNewReservation *request)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  BookingJob *job = booking_job_new (request);
  ParkdBookingResult *result;

  g_async_queue_push (self->bookings, job);
  g_mutex_lock (&job->lock);
  while (!job->finished)
    g_cond_wait (&job->cond, &job->lock);
  g_mutex_unlock (&job->lock);
  result = g_steal_pointer (&job->result);
  booking_job_free (job);
  return result;
}

/* ---- Reads -------------------------------------------------------------------------- */

gboolean
_parkd_sqlite_get_idempotency (ParkdStore  *store,
                               const char  *scope,
                               const char  *key,
                               char       **route,
                               GBytes     **body_hash,
                               int         *status,
                               char       **resource_id,
                               GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  Conn *conn;
  sqlite3_stmt *stmt = _parkd_sqlite_reader_prepare (self, SQL_IDEM_FIND, &conn, error);
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, scope, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  ok = _parkd_sqlite_step_row (conn, stmt, "idempotency", "This Idempotency-Key is new", error);
  if (ok)
    {
      *body_hash = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
      *status = sqlite3_column_int (stmt, 1);
      *resource_id = _parkd_sqlite_column_dup (stmt, 2);
      *route = _parkd_sqlite_column_dup (stmt, 3);
    }
  sqlite3_reset (stmt);
  _parkd_sqlite_give_reader (self, conn);
  return ok;
}

ParkdReservation *
_parkd_sqlite_get_reservation (ParkdStore  *store,
                               const char  *key,
                               gboolean     by_code,
                               GError     **error)
{
  return _parkd_sqlite_reader_load_row ((ParkdStoreSqlite *) store,
                                        by_code ? SQL_RESERVATION_BY_CODE : SQL_RESERVATION_BY_ID,
                                        key, NULL, (RowFunc) reservation_from_row,
                                        RESERVATION_MISSING, error);
}

ParkdPage *
_parkd_sqlite_list_reservations (ParkdStore  *store,
                                 const char  *user_id,
                                 const char  *status,
                                 guint        page,
                                 guint        per_page,
                                 GError     **error)
{
  return _parkd_sqlite_read_page ((ParkdStoreSqlite *) store, SQL_RESERVATIONS_COUNT,
                                  SQL_RESERVATIONS_PAGE, user_id, status, page, per_page,
                                  (RowFunc) reservation_from_row,
                                  (GDestroyNotify) parkd_reservation_free, error);
}

/* ---- Changes ------------------------------------------------------------------------ */

/* In the writer's transaction: the move, its event(s) and the spot state that follows. */
static gboolean
set_status_locked (Conn                    *conn,
                   const char              *id,
                   ParkdReservationStatus   to,
                   const char              *now,
                   GError                 **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, SQL_RESERVATION_KEYS, error);
  ParkdReservationStatus from = PARKD_RESERVATION_PENDING_PAYMENT;
  g_autofree char *operator_id = NULL, *spot_id = NULL;
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (!step_exists (conn, stmt, &found, error))
    return FALSE;
  if (found)
    {
      parkd_reservation_status_from_string ((const char *) sqlite3_column_text (stmt, 2), &from);
      operator_id = _parkd_sqlite_column_dup (stmt, 3);
      spot_id = _parkd_sqlite_column_dup (stmt, 4);
    }
  sqlite3_reset (stmt);
  if (!found)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                           "There is no reservation with this id");
      return FALSE;
    }
  if (!parkd_reservation_move_allowed (from, to))
    {
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                   "A %s reservation cannot become %s", parkd_reservation_status_to_string (from),
                   parkd_reservation_status_to_string (to));
      return FALSE;
    }

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_SET_STATUS, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, parkd_reservation_status_to_string (to), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run (conn, stmt, "reservation", error))
    return FALSE;

  if (!reservation_event (conn, parkd_reservation_event_for (to), id, operator_id, spot_id,
                          parkd_reservation_status_to_string (to), now, error))
    return FALSE;
  if ((to == PARKD_RESERVATION_CANCELLED || to == PARKD_RESERVATION_EXPIRED ||
       to == PARKD_RESERVATION_NO_SHOW) &&
      !reservation_event (conn, "ParkingSpotReleased", id, operator_id, spot_id,
                          parkd_reservation_status_to_string (to), now, error))
    return FALSE;

  /* The spot's state now: reserved while a reservation holds it, occupied once checked in. */
  if (to == PARKD_RESERVATION_CHECKED_IN || to == PARKD_RESERVATION_COMPLETED)
    {
      stmt = _parkd_sqlite_conn_prepare (conn, to == PARKD_RESERVATION_CHECKED_IN
                                               ? SQL_SPOT_OCCUPY : SQL_SPOT_FREE, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, spot_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      if (!_parkd_sqlite_run (conn, stmt, "spot", error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
exec_now (Conn        *conn,
          const char  *sql,
          const char  *now,
          GError     **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  return _parkd_sqlite_run (conn, stmt, "spot states", error);
}

ParkdReservation *
_parkd_sqlite_set_reservation_status (ParkdStore              *store,
                                      const char              *id,
                                      ParkdReservationStatus   status,
                                      const ParkdAudit        *audit,
                                      GError                 **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  ParkdReservation *r = NULL;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok;

  if (conn == NULL)
    return NULL;
  ok = set_status_locked (conn, id, status, now, error) &&
       exec_now (conn, SQL_SPOTS_NOW_RESERVED, now, error) &&
       exec_now (conn, SQL_SPOTS_NOW_FREE, now, error) &&
       (audit == NULL || _parkd_sqlite_audit_locked (conn, audit, now, id, error)) &&
       (r = load_reservation (conn, SQL_RESERVATION_BY_ID, id, error)) != NULL;
  if (!_parkd_sqlite_write_end (self, ok, error))
    g_clear_pointer (&r, parkd_reservation_free);
  return r;
}

ParkdBookingResult *
_parkd_sqlite_extend_reservation (ParkdStore  *store,
                                  const char  *id,
                                  const char  *new_end,
                                  gint64       new_total,
                                  const char  *breakdown)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autoptr(ParkdReservation) current = NULL;
  ParkdBookingResult *result = g_new0 (ParkdBookingResult, 1);
  GError **error = &result->error;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  if (conn == NULL)
    return result;
  current = load_reservation (conn, SQL_RESERVATION_BY_ID, id, error);
  if (current == NULL)
    goto out;
  if (current->status != PARKD_RESERVATION_CONFIRMED &&
      current->status != PARKD_RESERVATION_CHECKED_IN &&
      current->status != PARKD_RESERVATION_PENDING_PAYMENT)
    {
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                   "A %s reservation cannot be extended",
                   parkd_reservation_status_to_string (current->status));
      goto out;
    }
  if (strcmp (new_end, current->end_time) <= 0)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                           "The new end must be later than the current one");
      goto out;
    }

  /* Only the added time can clash: someone may hold the spot right after this stay. */
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_EXTENSION_TAKEN, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, current->spot_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, current->end_time, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, new_end, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, id, -1, SQLITE_STATIC);
  if (!spot_free (conn, stmt, result, "The spot is taken for part of the extra time", error))
    goto out;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_EXTEND, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, new_end, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, new_total);
  sqlite3_bind_text (stmt, 4, breakdown, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run (conn, stmt, "extend", error))
    goto out;
  ok = reservation_event (conn, "ReservationExtended", id, current->operator_id,
                          current->spot_id, parkd_reservation_status_to_string (current->status),
                          now, error) &&
       (result->reservation = load_reservation (conn, SQL_RESERVATION_BY_ID, id, error)) != NULL;

out:
  if (!_parkd_sqlite_write_end (self, ok, ok ? error : NULL))
    g_clear_pointer (&result->reservation, parkd_reservation_free);
  return result;
}

/* Collects the ids (and operators, spots) a due-query finds. */
static GPtrArray *
collect_due (Conn        *conn,
             const char  *sql,
             const char  *when,
             GError     **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, sql, error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, when, -1, SQLITE_STATIC);
  return _parkd_sqlite_read_rows (conn, stmt, _parkd_sqlite_text_row, g_free,
                                  "due reservations", error);
}

guint
_parkd_sqlite_release_due (ParkdStore  *store,
                           gint64       no_show_grace_s,
                           GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autoptr(GDateTime) now_dt = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) grace_dt = g_date_time_add_seconds (now_dt, (double) -no_show_grace_s);
  g_autofree char *now = g_date_time_format (now_dt, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *grace = g_date_time_format (grace_dt, "%Y-%m-%dT%H:%M:%SZ");
  g_autoptr(GPtrArray) expired = NULL, no_show = NULL;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok;
  guint moved = 0;

  if (conn == NULL)
    return 0;
  expired = collect_due (conn, SQL_DUE_EXPIRED, now, error);
  no_show = expired != NULL ? collect_due (conn, SQL_DUE_NO_SHOW, grace, error) : NULL;
  ok = no_show != NULL;
  for (guint i = 0; ok && i < expired->len; i++, moved++)
    ok = set_status_locked (conn, g_ptr_array_index (expired, i), PARKD_RESERVATION_EXPIRED,
                            now, error);
  for (guint i = 0; ok && i < no_show->len; i++, moved++)
    ok = set_status_locked (conn, g_ptr_array_index (no_show, i), PARKD_RESERVATION_NO_SHOW,
                            now, error);
  ok = ok && exec_now (conn, SQL_SPOTS_NOW_RESERVED, now, error) &&
       exec_now (conn, SQL_SPOTS_NOW_FREE, now, error);
  if (!_parkd_sqlite_write_end (self, ok, error))
    return 0;
  return moved;
}

double
_parkd_sqlite_booked_share (ParkdStore     *store,
                            const char     *lot_id,
                            ParkdSpotType   spot_type,
                            const char     *start_time,
                            const char     *end_time,
                            GError        **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  Conn *conn;
  sqlite3_stmt *stmt = _parkd_sqlite_reader_prepare (self, SQL_BOOKED_SHARE, &conn, error);
  double share = -1;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, lot_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, parkd_spot_type_to_string (spot_type), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, start_time, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, end_time, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_STATIC);
  if (_parkd_sqlite_step_row (conn, stmt, "booked share", LOT_MISSING, error))
    {
      gint64 booked = sqlite3_column_int64 (stmt, 0), total = sqlite3_column_int64 (stmt, 1);

      share = total > 0 ? MIN (1.0, (double) booked / total) : 1.0;
    }
  sqlite3_reset (stmt);
  _parkd_sqlite_give_reader (self, conn);
  return share;
}

char *
_parkd_sqlite_get_pricing (ParkdStore  *store,
                           const char  *lot_id,
                           GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  Conn *conn;
  sqlite3_stmt *stmt = _parkd_sqlite_reader_prepare (self, SQL_GET_PRICING, &conn, error);
  char *pricing = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, lot_id, -1, SQLITE_STATIC);
  if (_parkd_sqlite_step_row (conn, stmt, "pricing", LOT_MISSING, error))
    pricing = _parkd_sqlite_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  _parkd_sqlite_give_reader (self, conn);
  return pricing;
}

gboolean
_parkd_sqlite_set_pricing (ParkdStore        *store,
                           const char        *lot_id,
                           const char        *pricing,
                           const ParkdAudit  *audit,
                           GError           **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  if (conn == NULL)
    return FALSE;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_SET_PRICING, error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, lot_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, pricing, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
      ok = _parkd_sqlite_run (conn, stmt, "pricing", error) &&
           _parkd_sqlite_require_change (conn, LOT_MISSING, error) &&
           (audit == NULL || _parkd_sqlite_audit_locked (conn, audit, now, lot_id, error));
    }
  return _parkd_sqlite_write_end (self, ok, error);
}

/* ---- Quotes ------------------------------------------------------------------------- */

static const char SQL_SAVE_QUOTE[] =
  "INSERT INTO quotes (id, lot_pk, spot_type, start_time, end_time, total, currency, breakdown, "
  "created_at, expires_at) SELECT ?1, pk, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 FROM parking_lots "
  "WHERE id = ?2";
static const char SQL_PURGE_QUOTES[] = "DELETE FROM quotes WHERE expires_at < ?1";
static const char SQL_GET_QUOTE[] =
  "SELECT q.id, l.id, q.spot_type, q.start_time, q.end_time, q.total, q.currency, q.breakdown, "
  "q.created_at, q.expires_at FROM quotes q JOIN parking_lots l ON l.pk = q.lot_pk "
  "WHERE q.id = ?1";

gboolean
_parkd_sqlite_save_quote (ParkdStore        *store,
                          ParkdStoredQuote  *quote,
                          GError           **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *id = g_uuid_string_random ();
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  if (conn == NULL)
    return FALSE;
  /* Quotes a day past their expiry are of no use to anyone. */
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_PURGE_QUOTES, error);
  if (stmt == NULL)
    goto out;
  {
    g_autoptr(GDateTime) dt = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) old = g_date_time_add_days (dt, -1);
    g_autofree char *cutoff = g_date_time_format (old, "%Y-%m-%dT%H:%M:%SZ");

    sqlite3_bind_text (stmt, 1, cutoff, -1, SQLITE_TRANSIENT);
    if (!_parkd_sqlite_run (conn, stmt, "quotes", error))
      goto out;
  }
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_SAVE_QUOTE, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, quote->lot_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, parkd_spot_type_to_string (quote->spot_type), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, quote->start_time, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, quote->end_time, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, quote->total);
  sqlite3_bind_text (stmt, 7, quote->currency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, quote->breakdown, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, quote->expires_at, -1, SQLITE_STATIC);
  ok = _parkd_sqlite_run (conn, stmt, "quote", error) &&
       _parkd_sqlite_require_change (conn, LOT_MISSING, error);

out:
  if (!_parkd_sqlite_write_end (self, ok, error))
    return FALSE;
  g_free (quote->id);
  quote->id = g_steal_pointer (&id);
  g_free (quote->created_at);
  quote->created_at = g_steal_pointer (&now);
  return TRUE;
}

ParkdStoredQuote *
_parkd_sqlite_get_quote (ParkdStore  *store,
                         const char  *id,
                         GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  Conn *conn;
  sqlite3_stmt *stmt = _parkd_sqlite_reader_prepare (self, SQL_GET_QUOTE, &conn, error);
  ParkdStoredQuote *q = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (_parkd_sqlite_step_row (conn, stmt, "quote", "There is no quote with this id", error))
    {
      q = g_new0 (ParkdStoredQuote, 1);
      q->id = _parkd_sqlite_column_dup (stmt, 0);
      q->lot_id = _parkd_sqlite_column_dup (stmt, 1);
      parkd_spot_type_from_string ((const char *) sqlite3_column_text (stmt, 2), &q->spot_type);
      q->start_time = _parkd_sqlite_column_dup (stmt, 3);
      q->end_time = _parkd_sqlite_column_dup (stmt, 4);
      q->total = sqlite3_column_int64 (stmt, 5);
      q->currency = _parkd_sqlite_column_dup (stmt, 6);
      q->breakdown = _parkd_sqlite_column_dup (stmt, 7);
      q->created_at = _parkd_sqlite_column_dup (stmt, 8);
      q->expires_at = _parkd_sqlite_column_dup (stmt, 9);
    }
  sqlite3_reset (stmt);
  _parkd_sqlite_give_reader (self, conn);
  return q;
}

/* ---- Payments ----------------------------------------------------------------------- */

/* A payment is a reservation's or a walk-in stay's: the lot is the one or the other's. */
#define PAYMENT_SELECT \
  "SELECT p.id, r.id, p.user_id, p.operator_id, p.provider, p.provider_ref, p.amount, " \
  "p.refunded, p.currency, p.status, p.tendered, p.change_given, p.attendant_id, p.breakdown, " \
  "p.created_at, p.updated_at, r.code, l.name, l.address, l.time_zone, o.name, o.city, s.id " \
  "FROM payments p LEFT JOIN reservations r ON r.pk = p.reservation_pk " \
  "LEFT JOIN parking_sessions s ON s.pk = p.session_pk " \
  "JOIN parking_lots l ON l.pk = coalesce (r.lot_pk, s.lot_pk) " \
  "JOIN operators o ON o.id = l.operator_id "

static const char SQL_PAYMENT_BY_ID[] = PAYMENT_SELECT "WHERE p.id = ?1";
static const char SQL_PAYMENT_BY_REF[] =
  PAYMENT_SELECT "WHERE p.provider = ?1 AND p.provider_ref = ?2";
static const char SQL_PAYMENT_BY_KEY[] =
  PAYMENT_SELECT "WHERE p.idem_scope = ?1 AND p.idem_key = ?2";
static const char SQL_PAYMENTS_OF[] =
  PAYMENT_SELECT "WHERE r.id = ?1 ORDER BY p.created_at, p.rowid";
static const char SQL_STAY_PAYMENTS_OF[] =
  PAYMENT_SELECT "WHERE s.id = ?1 ORDER BY p.created_at, p.rowid";
static const char SQL_PAYABLE[] =
  "SELECT r.pk, r.status, r.total, l.operator_id, "
  "(SELECT coalesce (sum (amount - refunded), 0) FROM payments "
  "  WHERE reservation_pk = r.pk AND status IN ('succeeded', 'partially_refunded')) "
  "FROM reservations r JOIN parking_lots l ON l.pk = r.lot_pk WHERE r.id = ?1";
static const char SQL_INSERT_PAYMENT[] =
  "INSERT INTO payments (id, reservation_pk, user_id, operator_id, provider, provider_ref, "
  "amount, currency, status, tendered, change_given, attendant_id, breakdown, created_at, "
  "updated_at, idem_scope, idem_key) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15, ?16)";
static const char SQL_PAYMENT_STATUS[] =
  "UPDATE payments SET status = ?2, updated_at = ?3 WHERE id = ?1 AND status = 'pending'";
static const char SQL_CHECKOUT_PAID[] =
  "UPDATE payments SET status = 'succeeded', provider_ref = ?2, updated_at = ?3 "
  "WHERE id = ?1 AND status = 'pending'";
static const char SQL_PAYMENT_REFUND[] =
  "UPDATE payments SET refunded = refunded + ?2, updated_at = ?3, "
  "  status = CASE WHEN refunded + ?2 >= amount THEN 'refunded' ELSE 'partially_refunded' END "
  "WHERE id = ?1 AND status IN ('succeeded', 'partially_refunded') AND refunded + ?2 <= amount";
static const char SQL_INSERT_REFUND[] =
  "INSERT INTO refunds (id, payment_id, amount, provider_ref, reason, created_at) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/* An amount that may be missing (-1): NULL then. */
static void
bind_amount (sqlite3_stmt *stmt,
             int           col,
             gint64        amount)
{
  if (amount >= 0)
    sqlite3_bind_int64 (stmt, col, amount);
  else
    sqlite3_bind_null (stmt, col);
}

static ParkdPayment *
payment_from_row (sqlite3_stmt *stmt)
{
  ParkdPayment *p = g_new0 (ParkdPayment, 1);
  int c = 0;

  p->id = _parkd_sqlite_column_dup (stmt, c++);
  p->reservation_id = _parkd_sqlite_column_dup (stmt, c++);
  p->user_id = _parkd_sqlite_column_dup (stmt, c++);
  p->operator_id = _parkd_sqlite_column_dup (stmt, c++);
  p->provider = _parkd_sqlite_column_dup (stmt, c++);
  p->provider_ref = _parkd_sqlite_column_dup (stmt, c++);
  p->amount = sqlite3_column_int64 (stmt, c++);
  p->refunded = sqlite3_column_int64 (stmt, c++);
  p->currency = _parkd_sqlite_column_dup (stmt, c++);
  p->status = _parkd_sqlite_column_dup (stmt, c++);
  p->tendered = _parkd_sqlite_column_amount (stmt, c++);
  p->change_given = _parkd_sqlite_column_amount (stmt, c++);
  p->attendant_id = _parkd_sqlite_column_dup (stmt, c++);
  p->breakdown = _parkd_sqlite_column_dup (stmt, c++);
  p->created_at = _parkd_sqlite_column_dup (stmt, c++);
  p->updated_at = _parkd_sqlite_column_dup (stmt, c++);
  p->reservation_code = _parkd_sqlite_column_dup (stmt, c++);
  p->lot_name = _parkd_sqlite_column_dup (stmt, c++);
  p->lot_address = _parkd_sqlite_column_dup (stmt, c++);
  p->time_zone = _parkd_sqlite_column_dup (stmt, c++);
  p->operator_name = _parkd_sqlite_column_dup (stmt, c++);
  p->operator_city = _parkd_sqlite_column_dup (stmt, c++);
  p->session_id = _parkd_sqlite_column_dup (stmt, c++);
  return p;
}

#define PAYMENT_REF_TAKEN "This provider reference is recorded already"
#define PAYMENT_MISSING "There is no payment with this id"

static ParkdPayment *
load_payment (Conn        *conn,
              const char  *sql,
              const char  *key1,
              const char  *key2,
              GError     **error)
{
  return _parkd_sqlite_load_row (conn, sql, key1, key2, (RowFunc) payment_from_row,
                                 PAYMENT_MISSING, error);
}

static gboolean
payment_event (Conn               *conn,
               const char         *type,
               const ParkdPayment *p,
               gint64              amount,
               const char         *now,
               GError            **error)
{
  g_autofree char *aggregate = g_strconcat ("payment:", p->id, NULL);
  g_autofree char *payload = parkd_payment_event_payload (p, amount);

  return _parkd_sqlite_insert_event (conn, type, aggregate, p->operator_id, payload, now, error);
}

/* In the writer's transaction: confirm @reservation_id once its payments cover its total. */
static gboolean
confirm_if_paid_locked (Conn        *conn,
                        const char  *reservation_id,
                        const char  *now,
                        GError     **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, SQL_PAYABLE, error);
  gboolean found, paid_up = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, reservation_id, -1, SQLITE_STATIC);
  if (!step_exists (conn, stmt, &found, error))
    return FALSE;
  if (found)
    paid_up = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "pending_payment") == 0 &&
              sqlite3_column_int64 (stmt, 4) >= sqlite3_column_int64 (stmt, 2);
  sqlite3_reset (stmt);
  if (!paid_up)
    return TRUE;
  return set_status_locked (conn, reservation_id, PARKD_RESERVATION_CONFIRMED, now, error) &&
         exec_now (conn, SQL_SPOTS_NOW_RESERVED, now, error);
}

ParkdPayment *
_parkd_sqlite_record_payment (ParkdStore          *store,
                              const ParkdPayment  *want,
                              const ParkdAudit    *audit,
                              GError             **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *operator_id = NULL;
  g_autofree char *status = NULL;
  ParkdPayment *p = NULL;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE, found;
  gint64 pk = 0;

  if (conn == NULL)
    return NULL;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_PAYABLE, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, want->reservation_id, -1, SQLITE_STATIC);
  if (!step_exists (conn, stmt, &found, error))
    goto out;
  if (found)
    {
      pk = sqlite3_column_int64 (stmt, 0);
      status = _parkd_sqlite_column_dup (stmt, 1);
      operator_id = _parkd_sqlite_column_dup (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (!found)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                           "There is no reservation with this id");
      goto out;
    }
  /* Money is taken for a booking that still holds its spot, and for an overstay. */
  if (!g_str_equal (status, "pending_payment") && !g_str_equal (status, "confirmed") &&
      !g_str_equal (status, "checked_in"))
    {
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                   "A %s reservation takes no payment", status);
      goto out;
    }

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_PAYMENT, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, pk);
  sqlite3_bind_text (stmt, 3, want->user_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, operator_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, want->provider, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, want->provider_ref, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, want->amount);
  sqlite3_bind_text (stmt, 8, want->currency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, want->status, -1, SQLITE_STATIC);
  bind_amount (stmt, 10, want->tendered);
  bind_amount (stmt, 11, want->change_given);
  sqlite3_bind_text (stmt, 12, want->attendant_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, want->breakdown != NULL ? want->breakdown : "{}", -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 15, want->idem_scope, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 16, want->idem_key, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run_checked (conn, stmt, "payment", PAYMENT_REF_TAKEN, "Invalid payment",
                                  NULL, error))
    goto out;
  p = load_payment (conn, SQL_PAYMENT_BY_ID, id, NULL, error);
  ok = p != NULL &&
       (!g_str_equal (want->status, "succeeded") ||
        (payment_event (conn, "PaymentProcessed", p, p->amount, now, error) &&
         confirm_if_paid_locked (conn, want->reservation_id, now, error))) &&
       (audit == NULL || _parkd_sqlite_audit_locked (conn, audit, now, id, error));

out:
  if (!_parkd_sqlite_write_end (self, ok, error))
    g_clear_pointer (&p, parkd_payment_free);
  return p;
}

ParkdPayment *
_parkd_sqlite_get_payment (ParkdStore          *store,
                           ParkdPaymentLookup   by,
                           const char          *key1,
                           const char          *key2,
                           GError             **error)
{
  return _parkd_sqlite_reader_load_row ((ParkdStoreSqlite *) store,
                                        by == PARKD_PAYMENT_BY_ID ? SQL_PAYMENT_BY_ID
                                        : by == PARKD_PAYMENT_BY_REF ? SQL_PAYMENT_BY_REF
                                        : SQL_PAYMENT_BY_KEY,
                                        key1, key2, (RowFunc) payment_from_row, PAYMENT_MISSING,
                                        error);
}

static GPtrArray *
list_payments_of (ParkdStore  *store,
                  const char  *sql,
                  const char  *id,
                  GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  Conn *conn;
  sqlite3_stmt *stmt = _parkd_sqlite_reader_prepare (self, sql, &conn, error);
  GPtrArray *list;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  list = _parkd_sqlite_read_rows (conn, stmt, (RowFunc) payment_from_row,
                                  (GDestroyNotify) parkd_payment_free, "payments", error);
  _parkd_sqlite_give_reader (self, conn);
  return list;
}

GPtrArray *
_parkd_sqlite_list_payments (ParkdStore  *store,
                             const char  *reservation_id,
                             GError     **error)
{
  return list_payments_of (store, SQL_PAYMENTS_OF, reservation_id, error);
}

GPtrArray *
_parkd_sqlite_list_stay_payments (ParkdStore  *store,
                                  const char  *session_id,
                                  GError     **error)
{
  return list_payments_of (store, SQL_STAY_PAYMENTS_OF, session_id, error);
}

ParkdPayment *
_parkd_sqlite_set_payment_status (ParkdStore  *store,
                                  const char  *id,
                                  const char  *status,
                                  GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  ParkdPayment *p = NULL;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  if (conn == NULL)
    return NULL;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_PAYMENT_STATUS, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run (conn, stmt, "payment", error))
    goto out;
  /* Already settled (a webhook delivered twice): answered as it is, nothing written. */
  p = load_payment (conn, SQL_PAYMENT_BY_ID, id, NULL, error);
  if (p == NULL)
    goto out;
  ok = sqlite3_changes (conn->db) == 0 || !g_str_equal (status, "succeeded") ||
       (payment_event (conn, "PaymentProcessed", p, p->amount, now, error) &&
        confirm_if_paid_locked (conn, p->reservation_id, now, error));

out:
  if (!_parkd_sqlite_write_end (self, ok, error))
    g_clear_pointer (&p, parkd_payment_free);
  return p;
}

ParkdPayment *
_parkd_sqlite_complete_checkout (ParkdStore  *store,
                                 const char  *id,
                                 const char  *provider_ref,
                                 GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autoptr(ParkdPayment) before = NULL;
  ParkdPayment *p = NULL;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE, found, payable = FALSE;

  if (conn == NULL)
    return NULL;
  before = load_payment (conn, SQL_PAYMENT_BY_ID, id, NULL, error);
  if (before == NULL)
    goto out;
  /* Settled already (a webhook delivered twice): answered as it is, nothing written. */
  if (!g_str_equal (before->status, "pending") || before->reservation_id == NULL)
    {
      p = g_steal_pointer (&before);
      ok = TRUE;
      goto out;
    }
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_PAYABLE, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, before->reservation_id, -1, SQLITE_STATIC);
  if (!step_exists (conn, stmt, &found, error))
    goto out;
  if (found)
    {
      const char *status = (const char *) sqlite3_column_text (stmt, 1);

      payable = (g_strcmp0 (status, "pending_payment") == 0 ||
                 g_strcmp0 (status, "confirmed") == 0 || g_strcmp0 (status, "checked_in") == 0) &&
                sqlite3_column_int64 (stmt, 2) - sqlite3_column_int64 (stmt, 4) >= before->amount;
    }
  sqlite3_reset (stmt);
  stmt = _parkd_sqlite_conn_prepare (conn, payable ? SQL_CHECKOUT_PAID : SQL_PAYMENT_STATUS,
                                     error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (payable)
    sqlite3_bind_text (stmt, 2, provider_ref, -1, SQLITE_STATIC);
  else
    sqlite3_bind_text (stmt, 2, "failed", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run (conn, stmt, "payment", error))
    goto out;
  p = load_payment (conn, SQL_PAYMENT_BY_ID, id, NULL, error);
  ok = p != NULL && (!payable ||
                     (payment_event (conn, "PaymentProcessed", p, p->amount, now, error) &&
                      confirm_if_paid_locked (conn, p->reservation_id, now, error)));

out:
  if (!_parkd_sqlite_write_end (self, ok, error))
    g_clear_pointer (&p, parkd_payment_free);
  /* The failure is written; the money is the caller's to give back. */
  if (p != NULL && !payable && g_str_equal (p->status, "failed") && before != NULL)
    {
      g_clear_pointer (&p, parkd_payment_free);
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                           "This booking no longer takes this payment");
    }
  return p;
}

/* Inside the writer's transaction: @amount of the payment given back (its refunded amount,
 * a refund row, the PaymentRefunded event). STATE when it cannot be refunded by that much. */
ParkdPayment *
_parkd_sqlite_apply_refund_locked (Conn        *conn,
                                   const char  *payment_id,
                                   gint64       amount,
                                   const char  *provider_ref,
                                   const char  *reason,
                                   const char  *now,
                                   GError     **error)
{
  g_autofree char *id = g_uuid_string_random ();
  ParkdPayment *p;
  sqlite3_stmt *stmt;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_PAYMENT_REFUND, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, payment_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, amount);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run (conn, stmt, "refund", error))
    return NULL;
  if (sqlite3_changes (conn->db) == 0)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                           "This payment cannot be refunded by that much");
      return NULL;
    }
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_REFUND, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, payment_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, amount);
  sqlite3_bind_text (stmt, 4, provider_ref, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run (conn, stmt, "refund", error))
    return NULL;
  p = load_payment (conn, SQL_PAYMENT_BY_ID, payment_id, NULL, error);
  if (p != NULL && !payment_event (conn, "PaymentRefunded", p, amount, now, error))
    g_clear_pointer (&p, parkd_payment_free);
  return p;
}

ParkdPayment *
_parkd_sqlite_record_refund (ParkdStore  *store,
                             const char  *payment_id,
                             gint64       amount,
                             const char  *provider_ref,
                             const char  *reason,
                             GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  ParkdPayment *p;
  Conn *conn = _parkd_sqlite_write_begin (self, error);

  if (conn == NULL)
    return NULL;
  p = _parkd_sqlite_apply_refund_locked (conn, payment_id, amount, provider_ref, reason, now,
                                         error);
  if (!_parkd_sqlite_write_end (self, p != NULL, error))
    g_clear_pointer (&p, parkd_payment_free);
  return p;
}

/* ---- Walk-in stays ------------------------------------------------------------------ */

#define SESSION_SELECT \
  "SELECT p.id, p.ticket, l.id, l.operator_id, l.time_zone, s.id, s.number, r.id, r.end_time, " \
  "p.plate_sealed, p.plate_hash, p.status, p.checked_in_at, p.checked_out_at, p.fee, " \
  "p.currency, p.breakdown, p.attendant_id, p.paid_at, p.leave_by " \
  "FROM parking_sessions p JOIN parking_lots l ON l.pk = p.lot_pk " \
  "LEFT JOIN parking_spots s ON s.pk = p.spot_pk " \
  "LEFT JOIN reservations r ON r.pk = p.reservation_pk "

static const char SQL_SESSION_BY_KEY[] = SESSION_SELECT "WHERE p.id = ?1 OR p.ticket = ?1";
static const char SQL_SESSIONS_BY_PLATE[] =
  SESSION_SELECT "WHERE l.id = ?1 AND p.plate_hash = ?2 AND p.status IN ('active', 'paid') "
  "ORDER BY p.checked_in_at";
static const char SQL_LOT_FOR_SESSION[] =
  "SELECT pk, currency FROM parking_lots WHERE id = ?1";
static const char SQL_RESERVATION_FOR_CHECK_IN[] =
  "SELECT r.id, r.pk, r.spot_pk, "
  "       strftime ('%Y-%m-%dT%H:%M:%SZ', r.start_time, '-30 minutes') <= ?3 AND r.end_time > ?3 "
  "FROM reservations r WHERE r.code = ?1 AND r.lot_pk = ?2";
static const char SQL_SPOT_HELD_NOW[] =
  "SELECT 1 FROM parking_spots s WHERE s.pk = ?1 AND (s.state IN ('occupied', 'out_of_service') "
  "  OR EXISTS (SELECT 1 FROM reservations r WHERE r.spot_pk = s.pk AND r.start_time <= ?2 "
  "             AND r.end_time > ?2 AND r.status IN " ACTIVE_STATUSES
  "             AND (r.status <> 'pending_payment' OR r.hold_until > ?2)) "
  "  OR EXISTS (SELECT 1 FROM parking_sessions p WHERE p.spot_pk = s.pk "
  "             AND p.status IN ('active', 'paid')))";
/* A regular spot free now and for the next hour (a booking about to start keeps its spot). */
static const char SQL_PICK_FREE_NOW[] =
  "SELECT s.pk FROM parking_spots s WHERE s.lot_pk = ?1 AND s.spot_type = 'regular' "
  "   AND s.state = 'available' "
  "   AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.spot_pk = s.pk "
  "                    AND r.end_time > ?2 AND r.start_time < strftime ('%Y-%m-%dT%H:%M:%SZ', ?2, '+1 hour') "
  "                    AND r.status IN " ACTIVE_STATUSES
  "                    AND (r.status <> 'pending_payment' OR r.hold_until > ?2)) "
  "   AND NOT EXISTS (SELECT 1 FROM parking_sessions p WHERE p.spot_pk = s.pk "
  "                    AND p.status IN ('active', 'paid')) "
  " ORDER BY abs (s.level), s.number LIMIT 1";
static const char SQL_INSERT_SESSION[] =
  "INSERT INTO parking_sessions (id, ticket, lot_pk, spot_pk, reservation_pk, plate_sealed, "
  "plate_hash, status, checked_in_at, currency, attendant_id, created_at, updated_at) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'active', ?8, ?9, ?10, ?8, ?8)";
static const char SQL_TICKET_TAKEN[] = "SELECT 1 FROM parking_sessions WHERE ticket = ?1";
static const char SQL_SPOT_OCCUPY_PK[] =
  "UPDATE parking_spots SET state = 'occupied', updated_at = ?2 WHERE pk = ?1";
/* Paid: the car has ?3 (e.g. "+15 minutes") to leave. */
static const char SQL_SESSION_PAY[] =
  "UPDATE parking_sessions SET status = 'paid', paid_at = ?2, "
  "leave_by = strftime ('%Y-%m-%dT%H:%M:%SZ', ?2, ?3), fee = ?4, breakdown = ?5, "
  "updated_at = ?2 WHERE pk = ?1 AND status = 'active'";
/* Gone, maybe after paying ?3 more for the time past its leave_by. */
static const char SQL_SESSION_LEAVE[] =
  "UPDATE parking_sessions SET status = 'completed', checked_out_at = ?2, "
  "fee = coalesce (fee, 0) + ?3, paid_at = CASE WHEN ?4 THEN ?2 ELSE paid_at END, "
  "updated_at = ?2 WHERE pk = ?1 AND status = 'paid'";
static const char SQL_SESSION_KEYS[] =
  "SELECT p.pk, p.spot_pk, r.id, l.operator_id, p.currency, p.status FROM parking_sessions p "
  "JOIN parking_lots l ON l.pk = p.lot_pk LEFT JOIN reservations r ON r.pk = p.reservation_pk "
  "WHERE p.id = ?1";
static const char SQL_SPOT_FREE_PK[] =
  "UPDATE parking_spots SET state = 'available', updated_at = ?2 "
  " WHERE pk = ?1 AND state = 'occupied'";
static const char SQL_INSERT_SESSION_PAYMENT[] =
  "INSERT INTO payments (id, session_pk, operator_id, provider, provider_ref, amount, currency, "
  "status, tendered, change_given, attendant_id, breakdown, created_at, updated_at) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)";

static ParkdParkingSession *
parking_session_from_row (sqlite3_stmt *stmt)
{
  ParkdParkingSession *s = g_new0 (ParkdParkingSession, 1);
  const void *blob;

  s->id = _parkd_sqlite_column_dup (stmt, 0);
  s->ticket = _parkd_sqlite_column_dup (stmt, 1);
  s->lot_id = _parkd_sqlite_column_dup (stmt, 2);
  s->operator_id = _parkd_sqlite_column_dup (stmt, 3);
  s->time_zone = _parkd_sqlite_column_dup (stmt, 4);
  s->spot_id = _parkd_sqlite_column_dup (stmt, 5);
  s->spot_number = _parkd_sqlite_column_dup (stmt, 6);
  s->reservation_id = _parkd_sqlite_column_dup (stmt, 7);
  s->reservation_end = _parkd_sqlite_column_dup (stmt, 8);
  blob = sqlite3_column_blob (stmt, 9);
  s->plate_sealed = g_bytes_new (blob, sqlite3_column_bytes (stmt, 9));
  blob = sqlite3_column_blob (stmt, 10);
  s->plate_hash = g_bytes_new (blob, sqlite3_column_bytes (stmt, 10));
  s->status = _parkd_sqlite_column_dup (stmt, 11);
  s->checked_in_at = _parkd_sqlite_column_dup (stmt, 12);
  s->checked_out_at = _parkd_sqlite_column_dup (stmt, 13);
  s->fee = _parkd_sqlite_column_amount (stmt, 14);
  s->currency = _parkd_sqlite_column_dup (stmt, 15);
  s->breakdown = _parkd_sqlite_column_dup (stmt, 16);
  s->attendant_id = _parkd_sqlite_column_dup (stmt, 17);
  s->paid_at = _parkd_sqlite_column_dup (stmt, 18);
  s->leave_by = _parkd_sqlite_column_dup (stmt, 19);
  return s;
}

#define SESSION_MISSING "There is no stay with this id or ticket"

static ParkdParkingSession *
load_parking_session (Conn        *conn,
                      const char  *key,
                      GError     **error)
{
  return _parkd_sqlite_load_row (conn, SQL_SESSION_BY_KEY, key, NULL,
                                 (RowFunc) parking_session_from_row, SESSION_MISSING, error);
}

/* A spot's state set by @sql (?1 its pk, ?2 now), in the writer's transaction. */
static gboolean
spot_by_pk_locked (Conn        *conn,
                   const char  *sql,
                   gint64       spot_pk,
                   const char  *now,
                   GError     **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, spot_pk);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  return _parkd_sqlite_run (conn, stmt, "spot", error);
}

static gboolean
session_event (Conn        *conn,
               const char  *type,
               const char  *id,
               const char  *operator_id,
               const char  *spot_id,
               const char  *now,
               GError     **error)
{
  g_autofree char *aggregate = g_strconcat ("session:", id, NULL);
  g_autofree char *payload = parkd_session_event_payload (id, spot_id);

  return _parkd_sqlite_insert_event (conn, type, aggregate, operator_id, payload, now, error);
}

ParkdParkingSession *
_parkd_sqlite_check_in (ParkdStore                 *store,
                        const ParkdParkingSession  *want,
                        const char                 *reservation_code,
                        const ParkdIdempotency     *idem,
                        gboolean                   *replayed,
                        GError                    **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *currency = NULL, *reservation_id = NULL;
  ParkdParkingSession *session = NULL;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  sqlite3_stmt *stmt;
  gint64 lot_pk, spot_pk = 0, reservation_pk = 0;
  gboolean ok = FALSE, found;
  char ticket[9];

  *replayed = FALSE;
  if (conn == NULL)
    return NULL;
  /* The same check-in sent again (its answer was lost): the stay it made, nothing new. */
  if (idem != NULL && idem->key != NULL)
    {
      g_autofree char *resource = NULL;
      int status;

      if (!idem_find_locked (conn, idem, &found, &status, &resource, error))
        goto out;
      if (found)
        {
          session = load_parking_session (conn, resource, error);
          *replayed = ok = session != NULL;
          goto out;
        }
    }

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_LOT_FOR_SESSION, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, want->lot_id, -1, SQLITE_STATIC);
  if (!step_exists (conn, stmt, &found, error))
    goto out;
  lot_pk = found ? sqlite3_column_int64 (stmt, 0) : 0;
  currency = found ? _parkd_sqlite_column_dup (stmt, 1) : NULL;
  sqlite3_reset (stmt);
  if (!found)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                           "There is no lot with this id");
      goto out;
    }

  if (reservation_code != NULL)
    {
      gboolean in_time = FALSE;

      stmt = _parkd_sqlite_conn_prepare (conn, SQL_RESERVATION_FOR_CHECK_IN, error);
      if (stmt == NULL)
        goto out;

      sqlite3_bind_text (stmt, 1, reservation_code, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, lot_pk);
      sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
      if (!step_exists (conn, stmt, &found, error))
        goto out;
      if (found)
        {
          reservation_id = _parkd_sqlite_column_dup (stmt, 0);
          reservation_pk = sqlite3_column_int64 (stmt, 1);
          spot_pk = sqlite3_column_int64 (stmt, 2);
          in_time = sqlite3_column_int (stmt, 3);
        }
      sqlite3_reset (stmt);
      if (!found)
        {
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                               "No booking of this lot has this code");
          goto out;
        }
      /* From half an hour before its start until its end. */
      if (!in_time)
        {
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                               "This booking is for another time");
          goto out;
        }
      /* Confirmed bookings only: a pending one is not paid, an old one is over. */
      if (!set_status_locked (conn, reservation_id, PARKD_RESERVATION_CHECKED_IN, now, error))
        goto out;
    }
  else if (want->spot_id == NULL)
    {
      /* No spot named: the car takes the first free regular one, so the lot's live count
       * drops by one as the driver would see at the gate. A full lot still lets it in. */
      stmt = _parkd_sqlite_conn_prepare (conn, SQL_PICK_FREE_NOW, error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_int64 (stmt, 1, lot_pk);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      if (!step_exists (conn, stmt, &found, error))
        goto out;
      spot_pk = found ? sqlite3_column_int64 (stmt, 0) : 0;
      sqlite3_reset (stmt);
      if (spot_pk != 0 && !spot_by_pk_locked (conn, SQL_SPOT_OCCUPY_PK, spot_pk, now, error))
        goto out;
    }
  else
    {
      stmt = _parkd_sqlite_conn_prepare (conn, SQL_SPOT_FOR_BOOKING, error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_text (stmt, 1, want->spot_id, -1, SQLITE_STATIC);
      if (!step_exists (conn, stmt, &found, error))
        goto out;
      found = found && sqlite3_column_int64 (stmt, 1) == lot_pk;
      spot_pk = found ? sqlite3_column_int64 (stmt, 0) : 0;
      sqlite3_reset (stmt);
      if (!found)
        {
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                               "This lot has no spot with this id");
          goto out;
        }
      stmt = _parkd_sqlite_conn_prepare (conn, SQL_SPOT_HELD_NOW, error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_int64 (stmt, 1, spot_pk);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      if (!step_exists (conn, stmt, &found, error))
        goto out;
      sqlite3_reset (stmt);
      if (found)
        {
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT,
                               "This spot is occupied, booked or out of service now");
          goto out;
        }
      if (!spot_by_pk_locked (conn, SQL_SPOT_OCCUPY_PK, spot_pk, now, error))
        goto out;
    }

  if (!new_unique_code (conn, SQL_TICKET_TAKEN, ticket, sizeof ticket - 1, "ticket code", error))
    goto out;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_SESSION, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, ticket, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, lot_pk);
  if (spot_pk != 0)
    sqlite3_bind_int64 (stmt, 4, spot_pk);
  else
    sqlite3_bind_null (stmt, 4);
  if (reservation_pk != 0)
    sqlite3_bind_int64 (stmt, 5, reservation_pk);
  else
    sqlite3_bind_null (stmt, 5);
  _parkd_sqlite_bind_bytes (stmt, 6, want->plate_sealed);
  _parkd_sqlite_bind_bytes (stmt, 7, want->plate_hash);
  sqlite3_bind_text (stmt, 8, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, currency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, want->attendant_id, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run (conn, stmt, "check-in", error))
    goto out;
  session = load_parking_session (conn, id, error);
  ok = session != NULL &&
       session_event (conn, "VehicleCheckedIn", id, session->operator_id, session->spot_id, now,
                      error) &&
       (idem == NULL || idem->key == NULL || idem_insert_locked (conn, idem, 201, id, now, error));

out:
  if (!_parkd_sqlite_write_end (self, ok, error))
    g_clear_pointer (&session, parkd_parking_session_free);
  return session;
}

ParkdParkingSession *
_parkd_sqlite_get_parking_session (ParkdStore  *store,
                                   const char  *key,
                                   GError     **error)
{
  return _parkd_sqlite_reader_load_row ((ParkdStoreSqlite *) store, SQL_SESSION_BY_KEY, key,
                                        NULL, (RowFunc) parking_session_from_row,
                                        SESSION_MISSING, error);
}

GPtrArray *
_parkd_sqlite_find_parking_sessions (ParkdStore  *store,
                                     const char  *lot_id,
                                     GBytes      *plate_hash,
                                     GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  Conn *conn;
  sqlite3_stmt *stmt = _parkd_sqlite_reader_prepare (self, SQL_SESSIONS_BY_PLATE, &conn, error);
  GPtrArray *list;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, lot_id, -1, SQLITE_STATIC);
  _parkd_sqlite_bind_bytes (stmt, 2, plate_hash);
  list = _parkd_sqlite_read_rows (conn, stmt, (RowFunc) parking_session_from_row,
                                  (GDestroyNotify) parkd_parking_session_free, "stays", error);
  _parkd_sqlite_give_reader (self, conn);
  return list;
}

/* What an Idempotency-Key of a check-out stands for: the payment it took, or the stay when
 * it took none (it left within its exit grace). */
static char *
check_out_resource (const ParkdCheckOutResult *result)
{
  return result->payment != NULL ? g_strconcat ("payment:", result->payment->id, NULL)
                                 : g_strconcat ("session:", result->session->id, NULL);
}

static gboolean
load_check_out_resource (Conn                 *conn,
                         const char           *resource,
                         ParkdCheckOutResult  *result,
                         GError              **error)
{
  if (g_str_has_prefix (resource, "payment:"))
    {
      result->payment = load_payment (conn, SQL_PAYMENT_BY_ID, resource + strlen ("payment:"),
                                      NULL, error);
      if (result->payment == NULL)
        return FALSE;
      result->session = load_parking_session (conn, result->payment->session_id, error);
    }
  else if (g_str_has_prefix (resource, "session:"))
    result->session = load_parking_session (conn, resource + strlen ("session:"), error);
  else
    g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_MISMATCH,
                 "This Idempotency-Key was used for another request");
  return result->session != NULL;
}

/* In the writer's transaction: a payment of stay @session_pk, and its PaymentProcessed. */
static ParkdPayment *
insert_session_payment_locked (Conn               *conn,
                               gint64              session_pk,
                               const char         *operator_id,
                               const char         *currency,
                               const ParkdPayment *want,
                               const char         *now,
                               GError            **error)
{
  g_autofree char *id = g_uuid_string_random ();
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_SESSION_PAYMENT, error);
  ParkdPayment *p;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, session_pk);
  sqlite3_bind_text (stmt, 3, operator_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, want->provider, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, want->provider_ref, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, want->amount);
  sqlite3_bind_text (stmt, 7, currency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, want->status, -1, SQLITE_STATIC);
  bind_amount (stmt, 9, want->tendered);
  bind_amount (stmt, 10, want->change_given);
  sqlite3_bind_text (stmt, 11, want->attendant_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, want->breakdown != NULL ? want->breakdown : "{}", -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, now, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run_checked (conn, stmt, "payment", PAYMENT_REF_TAKEN, "Invalid payment",
                                  NULL, error))
    return NULL;
  p = load_payment (conn, SQL_PAYMENT_BY_ID, id, NULL, error);
  if (p != NULL && g_str_equal (p->status, "succeeded") &&
      !payment_event (conn, "PaymentProcessed", p, p->amount, now, error))
    g_clear_pointer (&p, parkd_payment_free);
  return p;
}

ParkdCheckOutResult *
_parkd_sqlite_check_out (ParkdStore           *store,
                         const ParkdCheckOut  *req,
                         GError              **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *reservation_id = NULL, *operator_id = NULL, *currency = NULL;
  g_autofree char *status = NULL, *grace = NULL, *resource = NULL;
  g_autoptr(ParkdCheckOutResult) result = g_new0 (ParkdCheckOutResult, 1);
  gboolean leaves = g_str_equal (req->from_status, "paid");
  gboolean has_idem = req->idem != NULL && req->idem->key != NULL;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  sqlite3_stmt *stmt;
  gint64 session_pk = 0, spot_pk = 0;
  gboolean ok = FALSE, found;

  if (conn == NULL)
    return NULL;

  /* The same check-out sent again (its answer was lost): answered as the first time, before
   * the stay's new state would refuse it. */
  if (has_idem)
    {
      if (!idem_find_locked (conn, req->idem, &found, &result->replayed_status, &resource,
                             error))
        goto out;
      if (found)
        {
          result->replayed = ok = load_check_out_resource (conn, resource, result, error);
          goto out;
        }
    }

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_SESSION_KEYS, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, req->session_id, -1, SQLITE_STATIC);
  if (!step_exists (conn, stmt, &found, error))
    goto out;
  if (found)
    {
      session_pk = sqlite3_column_int64 (stmt, 0);
      spot_pk = sqlite3_column_int64 (stmt, 1);
      reservation_id = _parkd_sqlite_column_dup (stmt, 2);
      operator_id = _parkd_sqlite_column_dup (stmt, 3);
      currency = _parkd_sqlite_column_dup (stmt, 4);
      status = _parkd_sqlite_column_dup (stmt, 5);
    }
  sqlite3_reset (stmt);
  if (!found)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                           SESSION_MISSING);
      goto out;
    }
  /* Priced for another state than it has now: paid or gone meanwhile. */
  if (g_str_equal (status, "completed"))
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                           "This car has checked out already");
      goto out;
    }
  if (!g_str_equal (status, req->from_status))
    {
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                   "This stay is %s now; check it out again", status);
      goto out;
    }

  if (req->discount_id != NULL && !use_discount_locked (conn, req->discount_id, now, error))
    goto out;
  if (req->payment != NULL &&
      (result->payment = insert_session_payment_locked (conn, session_pk, operator_id, currency,
                                                        req->payment, now, error)) == NULL)
    goto out;

  stmt = _parkd_sqlite_conn_prepare (conn, leaves ? SQL_SESSION_LEAVE : SQL_SESSION_PAY, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, session_pk);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  if (leaves)
    {
      sqlite3_bind_int64 (stmt, 3, result->payment != NULL ? result->payment->amount : 0);
      sqlite3_bind_int (stmt, 4, result->payment != NULL);
    }
  else
    {
      grace = g_strdup_printf ("+%u minutes", req->exit_grace_minutes);
      sqlite3_bind_text (stmt, 3, grace, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, result->payment->amount);
      sqlite3_bind_text (stmt, 5, result->payment->breakdown, -1, SQLITE_STATIC);
    }
  if (!_parkd_sqlite_run (conn, stmt, "check-out", error))
    goto out;

  /* The car is gone: its spot is free, its booking over. */
  if (leaves && spot_pk != 0 &&
      !spot_by_pk_locked (conn, SQL_SPOT_FREE_PK, spot_pk, now, error))
    goto out;
  if (leaves && reservation_id != NULL &&
      !set_status_locked (conn, reservation_id, PARKD_RESERVATION_COMPLETED, now, error))
    goto out;
  result->session = load_parking_session (conn, req->session_id, error);
  if (result->session == NULL)
    goto out;
  if (leaves &&
      (!session_event (conn, "VehicleCheckedOut", req->session_id, operator_id,
                       result->session->spot_id, now, error) ||
       (result->session->spot_id != NULL &&
        !session_event (conn, "ParkingSpotReleased", req->session_id, operator_id,
                        result->session->spot_id, now, error))))
    goto out;
  if (has_idem)
    {
      g_free (resource);
      resource = check_out_resource (result);
      if (!idem_insert_locked (conn, req->idem, 200, resource, now, error))
        goto out;
    }
  ok = TRUE;

out:
  if (!_parkd_sqlite_write_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&result);
}

/* ---- Discount codes and the cash report --------------------------------------------- */

#define DISCOUNT_COLUMNS \
  "id, operator_id, code, percent_off, amount_off, max_uses, uses, expires_at, created_at"
static const char SQL_INSERT_DISCOUNT[] =
  "INSERT INTO discount_codes (id, operator_id, code, percent_off, amount_off, max_uses, "
  "expires_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_DISCOUNT_BY_ID[] =
  "SELECT " DISCOUNT_COLUMNS " FROM discount_codes WHERE id = ?1";
static const char SQL_DISCOUNT_BY_CODE[] =
  "SELECT " DISCOUNT_COLUMNS " FROM discount_codes WHERE operator_id = ?1 AND code = upper (?2)";
static const char SQL_DISCOUNTS_PAGE[] =
  "SELECT " DISCOUNT_COLUMNS " FROM discount_codes WHERE (?1 IS NULL OR operator_id = ?1) "
  "ORDER BY created_at DESC, id LIMIT ?2 OFFSET ?3";
static const char SQL_DISCOUNTS_COUNT[] =
  "SELECT count(*) FROM discount_codes WHERE (?1 IS NULL OR operator_id = ?1)";
static const char SQL_DELETE_DISCOUNT[] =
  "DELETE FROM discount_codes WHERE id = ?1 AND (?2 IS NULL OR operator_id = ?2)";
/* Cash received (fees of bookings and walk-in stays) and cash given back, per attendant. A
 * check-out with nothing to pay leaves a payment of 0 (its receipt): no cash, not counted. */
static const char SQL_CASH_REPORT[] =
  "SELECT p.attendant_id, u.email, count(*), sum (p.amount), "
  "       coalesce (sum ((SELECT sum (f.amount) FROM refunds f WHERE f.payment_id = p.id "
  "                        AND f.created_at >= ?3 AND f.created_at < ?4)), 0), "
  "       min (p.currency) "
  "  FROM payments p LEFT JOIN users u ON u.id = p.attendant_id "
  " WHERE p.provider = 'cash' AND p.amount > 0 AND p.operator_id = ?1 "
  "   AND (?2 IS NULL OR p.attendant_id = ?2) "
  "   AND p.created_at >= ?3 AND p.created_at < ?4 "
  " GROUP BY p.attendant_id ORDER BY u.email";

static ParkdDiscount *
discount_from_row (sqlite3_stmt *stmt)
{
  ParkdDiscount *d = g_new0 (ParkdDiscount, 1);

  d->id = _parkd_sqlite_column_dup (stmt, 0);
  d->operator_id = _parkd_sqlite_column_dup (stmt, 1);
  d->code = _parkd_sqlite_column_dup (stmt, 2);
  d->percent_off = sqlite3_column_int (stmt, 3);
  d->amount_off = sqlite3_column_int64 (stmt, 4);
  d->max_uses = sqlite3_column_int (stmt, 5);
  d->uses = sqlite3_column_int (stmt, 6);
  d->expires_at = _parkd_sqlite_column_dup (stmt, 7);
  d->created_at = _parkd_sqlite_column_dup (stmt, 8);
  return d;
}

#define DISCOUNT_MISSING "There is no such discount code"

static ParkdDiscount *
load_discount (Conn        *conn,
               const char  *sql,
               const char  *key1,
               const char  *key2,
               GError     **error)
{
  return _parkd_sqlite_load_row (conn, sql, key1, key2, (RowFunc) discount_from_row,
                                 DISCOUNT_MISSING, error);
}

ParkdDiscount *
_parkd_sqlite_create_discount (ParkdStore           *store,
                               const ParkdDiscount  *want,
                               const ParkdAudit     *audit,
                               GError              **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *code = g_ascii_strup (want->code, -1);
  ParkdDiscount *d = NULL;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  if (conn == NULL)
    return NULL;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_DISCOUNT, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, want->operator_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, code, -1, SQLITE_STATIC);
  if (want->percent_off > 0)
    sqlite3_bind_int (stmt, 4, want->percent_off);
  else
    sqlite3_bind_null (stmt, 4);
  if (want->amount_off > 0)
    sqlite3_bind_int64 (stmt, 5, want->amount_off);
  else
    sqlite3_bind_null (stmt, 5);
  if (want->max_uses > 0)
    sqlite3_bind_int (stmt, 6, want->max_uses);
  else
    sqlite3_bind_null (stmt, 6);
  sqlite3_bind_text (stmt, 7, want->expires_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, now, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run_checked (conn, stmt, "discount",
                                  "This operator has this discount code already",
                                  "Invalid discount code", "No such operator", error))
    goto out;
  d = load_discount (conn, SQL_DISCOUNT_BY_ID, id, NULL, error);
  ok = d != NULL && (audit == NULL || _parkd_sqlite_audit_locked (conn, audit, now, id, error));

out:
  if (!_parkd_sqlite_write_end (self, ok, error))
    g_clear_pointer (&d, parkd_discount_free);
  return d;
}

ParkdDiscount *
_parkd_sqlite_find_discount (ParkdStore  *store,
                             const char  *operator_id,
                             const char  *code,
                             GError     **error)
{
  return _parkd_sqlite_reader_load_row ((ParkdStoreSqlite *) store, SQL_DISCOUNT_BY_CODE,
                                        operator_id, code, (RowFunc) discount_from_row,
                                        DISCOUNT_MISSING, error);
}

ParkdPage *
_parkd_sqlite_list_discounts (ParkdStore  *store,
                              const char  *operator_id,
                              guint        page,
                              guint        per_page,
                              GError     **error)
{
  return _parkd_sqlite_read_page ((ParkdStoreSqlite *) store, SQL_DISCOUNTS_COUNT,
                                  SQL_DISCOUNTS_PAGE, operator_id, NULL, page, per_page,
                                  (RowFunc) discount_from_row,
                                  (GDestroyNotify) parkd_discount_free, error);
}

gboolean
_parkd_sqlite_delete_discount (ParkdStore        *store,
                               const char        *operator_id,
                               const char        *id,
                               const ParkdAudit  *audit,
                               GError           **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  if (conn == NULL)
    return FALSE;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_DELETE_DISCOUNT, error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, operator_id, -1, SQLITE_STATIC);
      ok = _parkd_sqlite_run (conn, stmt, "discount", error) &&
           _parkd_sqlite_require_change (conn, DISCOUNT_MISSING, error) &&
           (audit == NULL || _parkd_sqlite_audit_locked (conn, audit, now, id, error));
    }
  return _parkd_sqlite_write_end (self, ok, error);
}

static ParkdCashLine *
cash_line_from_row (sqlite3_stmt *stmt)
{
  ParkdCashLine *line = g_new0 (ParkdCashLine, 1);

  line->attendant_id = _parkd_sqlite_column_dup (stmt, 0);
  line->attendant_email = _parkd_sqlite_column_dup (stmt, 1);
  line->payments = sqlite3_column_int (stmt, 2);
  line->taken = sqlite3_column_int64 (stmt, 3);
  line->refunded = sqlite3_column_int64 (stmt, 4);
  line->currency = _parkd_sqlite_column_dup (stmt, 5);
  return line;
}

GPtrArray *
_parkd_sqlite_cash_report (ParkdStore  *store,
                           const char  *operator_id,
                           const char  *attendant_id,
                           const char  *from,
                           const char  *to,
                           GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  Conn *conn;
  sqlite3_stmt *stmt = _parkd_sqlite_reader_prepare (self, SQL_CASH_REPORT, &conn, error);
  GPtrArray *lines;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, operator_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, attendant_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, from, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, to, -1, SQLITE_STATIC);
  lines = _parkd_sqlite_read_rows (conn, stmt, (RowFunc) cash_line_from_row,
                                  (GDestroyNotify) parkd_cash_line_free, "cash report", error);
  _parkd_sqlite_give_reader (self, conn);
  return lines;
}
