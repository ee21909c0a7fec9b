/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-pg-reservations.c: bookings without double booking, on PostgreSQL.
 *
 * A booking is the SQLite store's "is anything holding this spot for part of the time? if
 * not, insert" in a serializable transaction, so two bookings of one spot cannot both see it
 * free (one of them fails to serialize and runs again, and then sees the other). Beneath
 * that, the database refuses an overlap by itself: every reservation holds its spot through
 * a row of reservation_holds, under the seed's EXCLUDE constraint (sql-pg/003-reservations.sql),
 * and a violation (23P01) is answered as the conflict it is.
 *
 * Reservations are partitioned by month; the partitions of the months a booking needs are
 * created before its transaction (parkd_reservations_month), and at start for the year ahead.
 */
#include "config.h"

#include "parkd-store-pg-private.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* Bookings waiting for a connection at most, before parkd answers that it is busy. */
#define MAX_QUEUED 4096

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

static const char SQL_RESERVATION_BY_ID[] = RESERVATION_SELECT "WHERE r.id = $1";
static const char SQL_RESERVATION_BY_CODE[] = RESERVATION_SELECT "WHERE r.code = $1";
static const char SQL_RESERVATIONS_PAGE[] =
  RESERVATION_SELECT "WHERE r.user_id = $3 AND ($4::text IS NULL OR r.status = $4::text) "
  "ORDER BY r.start_time DESC, r.id LIMIT $1 OFFSET $2";
static const char SQL_RESERVATIONS_COUNT[] =
  "SELECT count(*) FROM reservations WHERE user_id = $1 "
  "AND ($2::text IS NULL OR status = $2::text)";

static const char SQL_LOT_FOR_BOOKING[] =
  "SELECT pk, operator_id FROM parking_lots WHERE id = $1";
/* Bookings of one spot one at a time (of one type in a lot, when the store picks the spot),
 * as under SQLite's single writer: the lock is held to the end of the transaction, and every
 * statement after it sees what the previous holder committed. Other spots book in parallel;
 * a booking that picks a spot and one that names it can still meet, and the EXCLUDE
 * constraint then refuses the second (it runs again and sees the first). */
static const char SQL_LOCK_SPOT[] =
  "SELECT pg_advisory_xact_lock ((2::bigint << 40) | $1::bigint)";
static const char SQL_LOCK_TYPE[] =
  "SELECT pg_advisory_xact_lock ((3::bigint << 40) | ($1::bigint << 3) | $2::bigint)";
static const char SQL_LOCK_SPOT_OF[] =
  "SELECT pg_advisory_xact_lock ((2::bigint << 40) | r.spot_pk) FROM reservations r "
  " WHERE r.id = $1";
static const char SQL_SPOT_FOR_BOOKING[] =
  "SELECT pk, lot_pk, state FROM parking_spots WHERE id = $1";
/* Whatever holds the spot at some moment of [$2, $3): an active reservation (a pending one
 * only until its hold runs out, $4 is now) or a stay checked in and not yet gone. */
static const char SQL_SPOT_TAKEN[] =
  "SELECT start_time, end_time FROM reservations "
  " WHERE spot_pk = $1 AND end_time > $2 AND start_time < $3 AND status IN " ACTIVE_STATUSES
  "   AND (status <> 'pending_payment' OR hold_until > $4) "
  "UNION ALL "
  "SELECT checked_in_at, coalesce (leave_by, '9999-12-31T23:59:59Z') FROM parking_sessions "
  " WHERE spot_pk = $1 AND status IN ('active', 'paid') AND reservation_pk IS NULL "
  "   AND coalesce (leave_by, '9999-12-31T23:59:59Z') > $2 "
  "LIMIT 1";
/* The first spot of a type that nothing holds in [$3, $4); $5 is now, $6 an hour on. */
static const char SQL_PICK_SPOT[] =
  "SELECT s.pk FROM parking_spots s "
  " WHERE s.lot_pk = $1 AND s.spot_type = $2 AND s.state <> 'out_of_service' "
  /* A car standing there now (seen by an attendant or a sensor) is not gone in a minute. */
  "   AND NOT (s.state = 'occupied' AND $3 < $6) "
  "   AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.spot_pk = s.pk "
  "                    AND r.end_time > $3 AND r.start_time < $4 AND r.status IN " ACTIVE_STATUSES
  "                    AND (r.status <> 'pending_payment' OR r.hold_until > $5)) "
  "   AND NOT EXISTS (SELECT 1 FROM parking_sessions p WHERE p.spot_pk = s.pk "
  "                    AND p.status IN ('active', 'paid') AND p.reservation_pk IS NULL) "
  " ORDER BY s.level, s.number LIMIT 1";
/* A pending booking whose hold ran out holds nothing, though release_due has not expired it
 * yet: its row stops counting for the constraint before a booking of its spot is written. */
static const char SQL_RELEASE_STALE_HOLDS[] =
  "UPDATE reservation_holds h SET active = false FROM reservations r "
  " WHERE h.spot_pk = $1 AND h.active AND r.pk = h.pk AND r.status = 'pending_payment' "
  "   AND r.hold_until <= $2";
/* The hold (which the constraint judges) and the reservation, in one statement. */
static const char SQL_INSERT_RESERVATION[] =
  "WITH h AS (INSERT INTO reservation_holds (id, code, spot_pk, start_time, end_time, active) "
  "           VALUES ($1, $2, $5, $6::text::timestamptz, $7::text::timestamptz, true) "
  "           RETURNING pk) "
  "INSERT INTO reservations (pk, id, code, user_id, lot_pk, spot_pk, start_time, end_time, "
  "status, hold_until, total, currency, breakdown, quote_id, plate_sealed, created_at, "
  "updated_at, kiosk_id) "
  "SELECT h.pk, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16 "
  "FROM h";
static const char SQL_CODE_TAKEN[] = "SELECT 1 FROM reservation_holds WHERE code = $1";
static const char SQL_IDEM_FIND[] =
  "SELECT body_hash, status, resource_id, route FROM idempotency_keys "
  " WHERE scope = $1 AND key = $2";
static const char SQL_IDEM_INSERT[] =
  "INSERT INTO idempotency_keys (scope, key, route, body_hash, status, resource_id, created_at) "
  "VALUES ($1, $2, $3, $4, $5, $6, $7)";
static const char SQL_USE_DISCOUNT[] =
  "UPDATE discount_codes SET uses = uses + 1 WHERE id = $1 "
  "   AND (max_uses IS NULL OR uses < max_uses) AND (expires_at IS NULL OR expires_at > $2)";
static const char SQL_SPOT_RESERVE_NOW[] =
  "UPDATE parking_spots SET state = 'reserved', updated_at = $2 "
  " WHERE pk = $1 AND state = 'available'";

static const char SQL_SET_STATUS[] =
  "UPDATE reservations SET status = $2, updated_at = $3, "
  "  hold_until = CASE WHEN $2 = 'pending_payment' THEN hold_until ELSE NULL END, "
  "  checked_in_at = CASE WHEN $2 = 'checked_in' THEN $3 ELSE checked_in_at END, "
  "  checked_out_at = CASE WHEN $2 = 'completed' THEN $3 ELSE checked_out_at END, "
  "  cancelled_at = CASE WHEN $2 = 'cancelled' THEN $3 ELSE cancelled_at END "
  "WHERE id = $1";
static const char SQL_RESERVATION_KEYS[] =
  "SELECT r.pk, r.spot_pk, r.status, l.operator_id, s.id FROM reservations r "
  "JOIN parking_lots l ON l.pk = r.lot_pk JOIN parking_spots s ON s.pk = r.spot_pk "
  "WHERE r.id = $1";
static const char SQL_SPOT_OCCUPY[] =
  "UPDATE parking_spots SET state = 'occupied', updated_at = $2 WHERE id = $1";
static const char SQL_SPOT_FREE[] =
  "UPDATE parking_spots SET state = 'available', updated_at = $2 "
  " WHERE id = $1 AND state <> 'out_of_service'";
static const char SQL_EXTENSION_TAKEN[] =
  "SELECT start_time, end_time FROM reservations r JOIN parking_spots s ON s.pk = r.spot_pk "
  " WHERE s.id = $1 AND r.id <> $5 AND r.end_time > $2 AND r.start_time < $3 "
  "   AND r.status IN " ACTIVE_STATUSES
  "   AND (r.status <> 'pending_payment' OR r.hold_until > $4) "
  "UNION ALL "
  "SELECT p.checked_in_at, coalesce (p.leave_by, '9999-12-31T23:59:59Z') "
  "  FROM parking_sessions p JOIN parking_spots s ON s.pk = p.spot_pk "
  " WHERE s.id = $1 AND p.status IN ('active', 'paid') AND p.reservation_pk IS NULL "
  "   AND coalesce (p.leave_by, '9999-12-31T23:59:59Z') > $2 "
  "LIMIT 1";
static const char SQL_EXTEND[] =
  "UPDATE reservations SET end_time = $2, total = $3, breakdown = $4, updated_at = $5 "
  "WHERE id = $1";
static const char SQL_SPOTS_NOW_RESERVED[] =
  "UPDATE parking_spots SET state = 'reserved', updated_at = $1 "
  " WHERE state = 'available' AND pk IN (SELECT spot_pk FROM reservations "
  "   WHERE status IN ('pending_payment', 'confirmed') AND start_time <= $1 AND end_time > $1 "
  "     AND (status <> 'pending_payment' OR hold_until > $1))";
static const char SQL_SPOTS_NOW_FREE[] =
  "UPDATE parking_spots SET state = 'available', updated_at = $1 "
  " WHERE state = 'reserved' AND pk NOT IN (SELECT spot_pk FROM reservations "
  "   WHERE status IN ('pending_payment', 'confirmed') AND start_time <= $1 AND end_time > $1 "
  "     AND (status <> 'pending_payment' OR hold_until > $1))";
static const char SQL_DUE_EXPIRED[] =
  "SELECT r.id FROM reservations r WHERE r.status = 'pending_payment' AND r.hold_until <= $1";
static const char SQL_DUE_NO_SHOW[] =
  "SELECT r.id FROM reservations r WHERE r.status = 'confirmed' AND r.start_time <= $1";
static const char SQL_BOOKED_SHARE[] =
  "SELECT (SELECT count(DISTINCT r.spot_pk) FROM reservations r "
  "         JOIN parking_spots s ON s.pk = r.spot_pk "
  "        WHERE r.lot_pk = l.pk AND r.end_time > $3 AND r.start_time < $4 "
  "          AND s.spot_type = $2 AND r.status IN " ACTIVE_STATUSES
  "          AND (r.status <> 'pending_payment' OR r.hold_until > $5)), "
  "       (SELECT count(*) FROM parking_spots s WHERE s.lot_pk = l.pk AND s.spot_type = $2 "
  "          AND s.state <> 'out_of_service') "
  "FROM parking_lots l WHERE l.id = $1";
static const char SQL_GET_PRICING[] = "SELECT pricing FROM parking_lots WHERE id = $1";
static const char SQL_SET_PRICING[] =
  "UPDATE parking_lots SET pricing = $2, updated_at = $3 WHERE id = $1";
static const char SQL_MONTH[] = "SELECT parkd_reservations_month ($1)";

static const char SQL_SAVE_QUOTE[] =
  "INSERT INTO quotes (id, lot_pk, spot_type, start_time, end_time, total, currency, breakdown, "
  "created_at, expires_at) SELECT $1, pk, $3, $4, $5, $6, $7, $8, $9, $10 FROM parking_lots "
  "WHERE id = $2";
static const char SQL_PURGE_QUOTES[] = "DELETE FROM quotes WHERE expires_at < $1";
static const char SQL_GET_QUOTE[] =
  "SELECT q.id, l.id, q.spot_type, q.start_time, q.end_time, q.total, q.currency, q.breakdown, "
  "q.created_at, q.expires_at FROM quotes q JOIN parking_lots l ON l.pk = q.lot_pk "
  "WHERE q.id = $1";

static ParkdStorePg *
pg (ParkdStore *store)
{
  return (ParkdStorePg *) store;
}

static char *
time_after (gint64 seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, (double) seconds);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

/* ---- Rows --------------------------------------------------------------------------- */

static gpointer
reservation_row (const PGresult *res,
                 int             row)
{
  ParkdReservation *r = g_new0 (ParkdReservation, 1);
  int c = 0;

  r->id = _parkd_pg_dup (res, row, c++);
  r->code = _parkd_pg_dup (res, row, c++);
  r->user_id = _parkd_pg_dup (res, row, c++);
  r->operator_id = _parkd_pg_dup (res, row, c++);
  r->lot_id = _parkd_pg_dup (res, row, c++);
  r->lot_name = _parkd_pg_dup (res, row, c++);
  r->time_zone = _parkd_pg_dup (res, row, c++);
  r->spot_id = _parkd_pg_dup (res, row, c++);
  r->spot_number = _parkd_pg_dup (res, row, c++);
  parkd_spot_type_from_string (PQgetvalue (res, row, c++), &r->spot_type);
  r->level = _parkd_pg_int (res, row, c++);
  r->start_time = _parkd_pg_dup (res, row, c++);
  r->end_time = _parkd_pg_dup (res, row, c++);
  parkd_reservation_status_from_string (PQgetvalue (res, row, c++), &r->status);
  r->hold_until = _parkd_pg_dup (res, row, c++);
  r->total = _parkd_pg_int (res, row, c++);
  r->currency = _parkd_pg_dup (res, row, c++);
  r->breakdown = _parkd_pg_dup (res, row, c++);
  r->quote_id = _parkd_pg_dup (res, row, c++);
  r->created_at = _parkd_pg_dup (res, row, c++);
  r->updated_at = _parkd_pg_dup (res, row, c++);
  r->checked_in_at = _parkd_pg_dup (res, row, c++);
  r->checked_out_at = _parkd_pg_dup (res, row, c++);
  r->cancelled_at = _parkd_pg_dup (res, row, c++);
  r->kiosk_id = _parkd_pg_dup (res, row, c++);
  r->paid = _parkd_pg_int (res, row, c++);
  return r;
}

static ParkdReservation *
load_reservation (PgConn      *conn,
                  const char  *sql,
                  const char  *key,
                  GError     **error)
{
  return _parkd_pg_load_row_on (conn, sql, key, NULL, reservation_row,
                                "There is no reservation with this id", error);
}

static gboolean
reservation_event (PgConn      *conn,
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

  return _parkd_pg_insert_event (conn, type, aggregate, operator_id, payload, now, error);
}

/* ---- Idempotency-Key ---------------------------------------------------------------- */

gboolean
_parkd_pg_idem_find_locked (PgConn                  *conn,
                  const ParkdIdempotency  *idem,
                  gboolean                *found,
                  int                     *status,
                  char                   **resource_id,
                  GError                 **error)
{
  const char *params[] = { idem->scope, idem->key };
  g_autoptr(PGresult) res = _parkd_pg_query_v (conn, SQL_IDEM_FIND, params, error);
  g_autoptr(GBytes) stored = NULL;

  *found = FALSE;
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    return TRUE;
  stored = _parkd_pg_bytes (res, 0, 0);
  *found = TRUE;
  *status = _parkd_pg_int (res, 0, 1);
  if (stored == NULL || !g_bytes_equal (stored, idem->body_hash) ||
      g_strcmp0 (PQgetvalue (res, 0, 3), idem->route) != 0)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_MISMATCH,
                           "This Idempotency-Key was used for another request");
      return FALSE;
    }
  *resource_id = _parkd_pg_dup (res, 0, 2);
  return TRUE;
}

gboolean
_parkd_pg_idem_insert_locked (PgConn                  *conn,
                    const ParkdIdempotency  *idem,
                    int                      status,
                    const char              *resource_id,
                    const char              *now,
                    GError                 **error)
{
  g_autofree char *hash = _parkd_pg_bytes_param (idem->body_hash);
  g_autofree char *status_text = _parkd_pg_int_param (status);
  const char *params[] = { idem->scope, idem->key, idem->route, hash, status_text, resource_id,
                           now };

  return _parkd_pg_run_v (conn, SQL_IDEM_INSERT, params, NULL, error);
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

gboolean
_parkd_pg_new_unique_code (PgConn      *conn,
                           const char  *taken_sql,
                           char        *out,
                           gsize        len,
                           GError     **error)
{
  for (int attempt = 0; attempt <= 20; attempt++)
    {
      const char *params[] = { out };
      g_autoptr(PGresult) res = NULL;

      new_code (out, len);
      res = _parkd_pg_query_v (conn, taken_sql, params, error);
      if (res == NULL)
        return FALSE;
      if (PQntuples (res) == 0)
        return TRUE;
    }
  g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_BACKEND, "No free code");
  return FALSE;
}

/* What holds a spot (@res: its start and end) refuses the booking: FALSE with CONFLICT
 * (@message) and the times in @result when @res has a row. */
static gboolean
spot_free (const PGresult      *res,
           ParkdBookingResult  *result,
           const char          *message,
           GError             **error)
{
  if (PQntuples (res) == 0)
    return TRUE;
  result->conflict_start = _parkd_pg_dup (res, 0, 0);
  result->conflict_end = _parkd_pg_dup (res, 0, 1);
  g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT, message);
  return FALSE;
}

gboolean
_parkd_pg_use_discount_locked (PgConn      *conn,
                     const char  *discount_id,
                     const char  *now,
                     GError     **error)
{
  const char *params[] = { discount_id, now };
  int changed = 0;

  if (!_parkd_pg_run_v (conn, SQL_USE_DISCOUNT, params, &changed, error))
    return FALSE;
  if (changed == 0)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                           "This discount code is used up or has expired");
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const ParkdNewReservation *req;
  ParkdBookingResult        *result;
} BookWrite;

static gboolean
book_tx (PgConn   *conn,
         gpointer  data,
         GError  **error)
{
  BookWrite *w = data;
  const ParkdNewReservation *req = w->req;
  ParkdBookingResult *result = w->result;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *operator_id = NULL;
  g_autofree char *lot_pk = NULL, *spot_pk = NULL, *total = NULL, *plate = NULL;
  const ParkdIdempotency idem = {
    req->idem_scope, req->idem_key, req->idem_route, req->idem_hash
  };
  gboolean confirmed = req->hold_until == NULL;
  g_autoptr(PGresult) res = NULL;
  char code[7];

  g_clear_pointer (&result->reservation, parkd_reservation_free);
  g_clear_pointer (&result->conflict_start, g_free);
  g_clear_pointer (&result->conflict_end, g_free);
  result->replayed = FALSE;

  {
    const char *params[] = { req->lot_id };

    res = _parkd_pg_query_v (conn, SQL_LOT_FOR_BOOKING, params, error);
  }
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    {
      lot_pk = _parkd_pg_dup (res, 0, 0);
      operator_id = _parkd_pg_dup (res, 0, 1);
    }
  g_clear_pointer (&res, PQclear);

  /* The lock first, so the same key sent twice at once is one booking and one replay. */
  if (lot_pk != NULL && req->spot_id != NULL)
    {
      const char *params[] = { req->spot_id };

      res = _parkd_pg_query_v (conn, SQL_SPOT_FOR_BOOKING, params, error);
      if (res == NULL)
        return FALSE;
      if (PQntuples (res) > 0)
        {
          const char *lock[] = { PQgetvalue (res, 0, 0) };

          if (!_parkd_pg_run_v (conn, SQL_LOCK_SPOT, lock, NULL, error))
            return FALSE;
        }
      g_clear_pointer (&res, PQclear);
    }
  else if (lot_pk != NULL)
    {
      g_autofree char *type = _parkd_pg_int_param (req->spot_type);
      const char *lock[] = { lot_pk, type };

      if (!_parkd_pg_run_v (conn, SQL_LOCK_TYPE, lock, NULL, error))
        return FALSE;
    }

  /* An Idempotency-Key seen before: the same request is answered as the first time, another
   * request under that key is refused. */
  if (req->idem_key != NULL)
    {
      g_autofree char *resource = NULL;
      gboolean found;

      if (!_parkd_pg_idem_find_locked (conn, &idem, &found, &result->replayed_status, &resource,
                                       error))
        return FALSE;
      if (found)
        {
          result->replayed = TRUE;
          result->reservation = load_reservation (conn, SQL_RESERVATION_BY_ID, resource, error);
          return result->reservation != NULL;
        }
    }

  if (lot_pk == NULL)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                           "There is no lot with this id");
      return FALSE;
    }

  if (req->spot_id != NULL)
    {
      const char *params[] = { req->spot_id };

      res = _parkd_pg_query_v (conn, SQL_SPOT_FOR_BOOKING, params, error);
      if (res == NULL)
        return FALSE;
      if (PQntuples (res) == 0 || g_strcmp0 (PQgetvalue (res, 0, 1), lot_pk) != 0)
        {
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                               "This lot has no spot with this id");
          return FALSE;
        }
      if (g_strcmp0 (PQgetvalue (res, 0, 2), "out_of_service") == 0)
        {
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                               "This spot is out of service");
          return FALSE;
        }
      spot_pk = _parkd_pg_dup (res, 0, 0);
      g_clear_pointer (&res, PQclear);
      {
        const char *taken[] = { spot_pk, req->start_time, req->end_time, now };

        res = _parkd_pg_query_v (conn, SQL_SPOT_TAKEN, taken, error);
      }
      if (res == NULL ||
          !spot_free (res, result, "The spot is taken for part of this time", error))
        return FALSE;
      g_clear_pointer (&res, PQclear);
    }
  else
    {
      g_autofree char *hour_on = time_after (3600);
      const char *params[] = { lot_pk, parkd_spot_type_to_string (req->spot_type),
                               req->start_time, req->end_time, now, hour_on };

      res = _parkd_pg_query_v (conn, SQL_PICK_SPOT, params, error);
      if (res == NULL)
        return FALSE;
      if (PQntuples (res) == 0)
        {
          result->conflict_start = g_strdup (req->start_time);
          result->conflict_end = g_strdup (req->end_time);
          g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT,
                       "No %s spot of this lot is free for all of this time",
                       parkd_spot_type_to_string (req->spot_type));
          return FALSE;
        }
      spot_pk = _parkd_pg_dup (res, 0, 0);
      g_clear_pointer (&res, PQclear);
    }

  if (!_parkd_pg_new_unique_code (conn, SQL_CODE_TAKEN, code, sizeof code - 1, error))
    return FALSE;
  {
    const char *stale[] = { spot_pk, now };

    if (!_parkd_pg_run_v (conn, SQL_RELEASE_STALE_HOLDS, stale, NULL, error))
      return FALSE;
  }

  total = _parkd_pg_int_param (req->total);
  plate = _parkd_pg_bytes_param (req->plate_sealed);
  {
    const char *params[] = {
      id, code, req->user_id, lot_pk, spot_pk, req->start_time, req->end_time,
      confirmed ? "confirmed" : "pending_payment", req->hold_until, total, req->currency,
      req->breakdown, req->quote_id, plate, now, req->kiosk_id,
    };

    res = _parkd_pg_query_v (conn, SQL_INSERT_RESERVATION, params, NULL);
  }
  if (res == NULL)
    {
      /* The database's own refusal of an overlap, should the check above have missed it. */
      if (strcmp (conn->sqlstate, "23P01") == 0)
        {
          result->conflict_start = g_strdup (req->start_time);
          result->conflict_end = g_strdup (req->end_time);
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT,
                               "The spot is taken for part of this time");
          return FALSE;
        }
      return _parkd_pg_set_write_error (error, conn, "booking", NULL, "Invalid reservation",
                                        "No such user");
    }
  g_clear_pointer (&res, PQclear);

  /* A reservation that starts now holds its spot now: the live count shows it at once. */
  if (strcmp (req->start_time, now) <= 0)
    {
      const char *params[] = { spot_pk, now };

      if (!_parkd_pg_run_v (conn, SQL_SPOT_RESERVE_NOW, params, NULL, error))
        return FALSE;
    }

  if (req->discount_id != NULL &&
      !_parkd_pg_use_discount_locked (conn, req->discount_id, now, error))
    return FALSE;

  result->reservation = load_reservation (conn, SQL_RESERVATION_BY_ID, id, error);
  if (result->reservation == NULL ||
      !reservation_event (conn, "ParkingSpotBooked", id, operator_id,
                          result->reservation->spot_id,
                          confirmed ? "confirmed" : "pending_payment", now, error))
    return FALSE;

  if (req->idem_key != NULL && !_parkd_pg_idem_insert_locked (conn, &idem, 201, id, now, error))
    {
      /* The key came in at once for another lot, whose booking committed first: from the
       * start again, which then finds that booking's answer (or the mismatch). */
      if (strcmp (conn->sqlstate, "23505") == 0)
        g_strlcpy (conn->sqlstate, "40001", sizeof conn->sqlstate);
      return FALSE;
    }
  return TRUE;
}

/* The month partitions a reservation from @start to @end lands in (by its start: one). */
static void
ensure_month (ParkdStorePg *self,
              const char   *start)
{
  g_autofree char *month = NULL;
  g_autoptr(GError) error = NULL;
  gboolean known;

  if (start == NULL || strlen (start) < 7)
    return;
  month = g_strndup (start, 7);
  g_mutex_lock (&self->partitions_lock);
  known = g_hash_table_contains (self->partitions, month);
  g_mutex_unlock (&self->partitions_lock);
  if (known)
    return;
  if (!_parkd_pg_reservations_month (self, month, &error))
    {
      /* The booking still lands in the default partition: nothing is refused for this. */
      g_warning ("cannot prepare the reservations of %s: %s", month, error->message);
      return;
    }
}

static ParkdBookingResult *
pg_book (ParkdStore                *store,
         const ParkdNewReservation *request)
{
  ParkdBookingResult *result = g_new0 (ParkdBookingResult, 1);
  BookWrite w = { request, result };
  g_autoptr(GError) error = NULL;

  ensure_month (pg (store), request->start_time);
  if (!_parkd_pg_transact_full (pg (store), PG_TX_LOCKED, book_tx, &w, &error))
    {
      g_clear_pointer (&result->reservation, parkd_reservation_free);
      result->replayed = FALSE;
      result->error = g_steal_pointer (&error);
    }
  return result;
}

typedef struct
{
  ParkdStore          *store;
  ParkdNewReservation  request;     /* deep copy */
  ParkdBookingDone     done;
  gpointer             user_data;
} BookingJob;

static BookingJob *
booking_job_new (ParkdStore                *store,
                 const ParkdNewReservation *req)
{
  BookingJob *job = g_new0 (BookingJob, 1);

  job->store = store;
  parkd_new_reservation_copy (&job->request, req);
  return job;
}

static void
booking_job_free (BookingJob *job)
{
  parkd_new_reservation_clear (&job->request);
  g_free (job);
}

/* On a thread of the store's booking pool: each booking its own transaction, in parallel
 * up to the pool's size (PostgreSQL's group commit gathers their flushes). */
static void
booking_thread (gpointer data,
                gpointer user_data)
{
  BookingJob *job = data;
  ParkdBookingResult *result = pg_book (job->store, &job->request);

  job->done (result, job->user_data);
  booking_job_free (job);
}

void
_parkd_pg_bookings_start (ParkdStorePg *self)
{
  g_autoptr(GError) error = NULL;

  /* Fewer threads than connections, so the rest of the server always finds one. */
  self->bookings = g_thread_pool_new (booking_thread, NULL, MAX (2, self->primary.max / 2),
                                      FALSE, &error);
  g_assert_no_error (error);
}

void
_parkd_pg_bookings_stop (ParkdStorePg *self)
{
  /* Bookings already handed over are written (and answered) before the pool closes. */
  if (self->bookings != NULL)
    g_thread_pool_free (g_steal_pointer (&self->bookings), FALSE, TRUE);
}

static void
pg_book_async (ParkdStore                *store,
               const ParkdNewReservation *request,
               ParkdBookingDone           done,
               gpointer                   user_data)
{
  ParkdStorePg *self = pg (store);
  BookingJob *job;

  if (g_thread_pool_unprocessed (self->bookings) >= MAX_QUEUED)
    {
      ParkdBookingResult *busy = g_new0 (ParkdBookingResult, 1);

      g_set_error_literal (&busy->error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_BACKEND,
                           "Too many bookings are waiting to be written");
      done (busy, user_data);
      return;
    }
  job = booking_job_new (store, request);
  job->done = done;
  job->user_data = user_data;
  g_thread_pool_push (self->bookings, job, NULL);
}

/* ---- Reads -------------------------------------------------------------------------- */

typedef struct
{
  const char  *scope, *key;
  char       **route;
  GBytes     **body_hash;
  int         *status;
  char       **resource_id;
} IdemRead;

static gboolean
get_idempotency_tx (PgConn   *conn,
                    gpointer  data,
                    GError  **error)
{
  IdemRead *r = data;
  const char *params[] = { r->scope, r->key };
  g_autoptr(PGresult) res = _parkd_pg_query_v (conn, SQL_IDEM_FIND, params, error);

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                           "This Idempotency-Key is new");
      return FALSE;
    }
  *r->body_hash = _parkd_pg_bytes (res, 0, 0);
  *r->status = _parkd_pg_int (res, 0, 1);
  *r->resource_id = _parkd_pg_dup (res, 0, 2);
  *r->route = _parkd_pg_dup (res, 0, 3);
  return TRUE;
}

static gboolean
pg_get_idempotency (ParkdStore  *store,
                    const char  *scope,
                    const char  *key,
                    char       **route,
                    GBytes     **body_hash,
                    int         *status,
                    char       **resource_id,
                    GError     **error)
{
  IdemRead r = { scope, key, route, body_hash, status, resource_id };

  return _parkd_pg_transact_full (pg (store), PG_TX_ONE_READ_PRIMARY, get_idempotency_tx, &r,
                                  error);
}

static ParkdReservation *
pg_get_reservation (ParkdStore  *store,
                    const char  *key,
                    gboolean     by_code,
                    GError     **error)
{
  return _parkd_pg_load_row (pg (store), by_code ? SQL_RESERVATION_BY_CODE : SQL_RESERVATION_BY_ID,
                             key, NULL, reservation_row, "There is no reservation with this id",
                             error);
}

static ParkdPage *
pg_list_reservations (ParkdStore  *store,
                      const char  *user_id,
                      const char  *status,
                      guint        page,
                      guint        per_page,
                      GError     **error)
{
  return _parkd_pg_read_page (pg (store), SQL_RESERVATIONS_COUNT, SQL_RESERVATIONS_PAGE, user_id,
                              status, page, per_page, reservation_row,
                              (GDestroyNotify) parkd_reservation_free, error);
}

/* ---- Changes ------------------------------------------------------------------------ */

gboolean
_parkd_pg_set_status_locked (PgConn                  *conn,
                             const char              *id,
                             ParkdReservationStatus   to,
                             const char              *now,
                             GError                 **error)
{
  const char *params[] = { id };
  g_autoptr(PGresult) res = _parkd_pg_query_v (conn, SQL_RESERVATION_KEYS, params, error);
  ParkdReservationStatus from = PARKD_RESERVATION_PENDING_PAYMENT;
  g_autofree char *operator_id = NULL, *spot_id = NULL;

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                           "There is no reservation with this id");
      return FALSE;
    }
  parkd_reservation_status_from_string (PQgetvalue (res, 0, 2), &from);
  operator_id = _parkd_pg_dup (res, 0, 3);
  spot_id = _parkd_pg_dup (res, 0, 4);
  if (!parkd_reservation_move_allowed (from, to))
    {
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                   "A %s reservation cannot become %s", parkd_reservation_status_to_string (from),
                   parkd_reservation_status_to_string (to));
      return FALSE;
    }

  {
    const char *set[] = { id, parkd_reservation_status_to_string (to), now };
    g_autoptr(PGresult) done = _parkd_pg_query_v (conn, SQL_SET_STATUS, set, NULL);

    if (done == NULL)
      {
        /* A pending booking paid after its hold ran out, its spot booked meanwhile. */
        if (strcmp (conn->sqlstate, "23P01") == 0)
          {
            g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT,
                                 "The spot is taken for part of this time");
            return FALSE;
          }
        return _parkd_pg_set_error (error, conn, NULL, "reservation");
      }
  }

  if (!reservation_event (conn, parkd_reservation_event_for (to), id, operator_id, spot_id,
                          parkd_reservation_status_to_string (to), now, error))
    return FALSE;
  if ((to == PARKD_RESERVATION_CANCELLED || to == PARKD_RESERVATION_EXPIRED ||
       to == PARKD_RESERVATION_NO_SHOW) &&
      !reservation_event (conn, "ParkingSpotReleased", id, operator_id, spot_id,
                          parkd_reservation_status_to_string (to), now, error))
    return FALSE;

  if (to == PARKD_RESERVATION_CHECKED_IN || to == PARKD_RESERVATION_COMPLETED)
    {
      const char *spot[] = { spot_id, now };

      if (!_parkd_pg_run_v (conn,
                            to == PARKD_RESERVATION_CHECKED_IN ? SQL_SPOT_OCCUPY : SQL_SPOT_FREE,
                            spot, NULL, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
_parkd_pg_sync_spot_states_locked (PgConn      *conn,
                                   const char  *now,
                                   GError     **error)
{
  const char *params[] = { now };

  return _parkd_pg_run_v (conn, SQL_SPOTS_NOW_RESERVED, params, NULL, error) &&
         _parkd_pg_run_v (conn, SQL_SPOTS_NOW_FREE, params, NULL, error);
}

typedef struct
{
  const char             *id;
  ParkdReservationStatus  status;
  const ParkdAudit       *audit;
  ParkdReservation       *out;
} StatusWrite;

static gboolean
set_status_tx (PgConn   *conn,
               gpointer  data,
               GError  **error)
{
  StatusWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();

  g_clear_pointer (&w->out, parkd_reservation_free);
  return _parkd_pg_set_status_locked (conn, w->id, w->status, now, error) &&
         _parkd_pg_sync_spot_states_locked (conn, now, error) &&
         (w->audit == NULL || _parkd_pg_audit_locked (conn, w->audit, now, w->id, error)) &&
         (w->out = load_reservation (conn, SQL_RESERVATION_BY_ID, w->id, error)) != NULL;
}

static ParkdReservation *
pg_set_reservation_status (ParkdStore              *store,
                           const char              *id,
                           ParkdReservationStatus   status,
                           const ParkdAudit        *audit,
                           GError                 **error)
{
  StatusWrite w = { id, status, audit, NULL };

  if (!_parkd_pg_transact (pg (store), FALSE, set_status_tx, &w, error))
    g_clear_pointer (&w.out, parkd_reservation_free);
  return w.out;
}

typedef struct
{
  const char         *id;
  const char         *new_end;
  gint64              new_total;
  const char         *breakdown;
  ParkdBookingResult *result;
} ExtendWrite;

static gboolean
extend_tx (PgConn   *conn,
           gpointer  data,
           GError  **error)
{
  ExtendWrite *w = data;
  ParkdBookingResult *result = w->result;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *total = _parkd_pg_int_param (w->new_total);
  g_autoptr(ParkdReservation) current = NULL;
  g_autoptr(PGresult) res = NULL;

  g_clear_pointer (&result->reservation, parkd_reservation_free);
  g_clear_pointer (&result->conflict_start, g_free);
  g_clear_pointer (&result->conflict_end, g_free);
  {
    const char *params[] = { w->id };

    if (!_parkd_pg_run_v (conn, SQL_LOCK_SPOT_OF, params, NULL, error))
      return FALSE;
  }
  current = load_reservation (conn, SQL_RESERVATION_BY_ID, w->id, error);
  if (current == NULL)
    return FALSE;
  if (current->status != PARKD_RESERVATION_CONFIRMED &&
      current->status != PARKD_RESERVATION_CHECKED_IN &&
      current->status != PARKD_RESERVATION_PENDING_PAYMENT)
    {
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                   "A %s reservation cannot be extended",
                   parkd_reservation_status_to_string (current->status));
      return FALSE;
    }
  if (strcmp (w->new_end, current->end_time) <= 0)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                           "The new end must be later than the current one");
      return FALSE;
    }

  /* Only the added time can clash: someone may hold the spot right after this stay. */
  {
    const char *params[] = { current->spot_id, current->end_time, w->new_end, now, w->id };

    res = _parkd_pg_query_v (conn, SQL_EXTENSION_TAKEN, params, error);
  }
  if (res == NULL ||
      !spot_free (res, result, "The spot is taken for part of the extra time", error))
    return FALSE;
  g_clear_pointer (&res, PQclear);

  {
    const char *stale[] = { NULL, now };
    const char *params[] = { w->id, w->new_end, total, w->breakdown, now };
    g_autoptr(PGresult) spot = NULL;
    const char *spot_params[] = { current->spot_id };

    spot = _parkd_pg_query (conn, "SELECT pk FROM parking_spots WHERE id = $1", 1, spot_params,
                            error);
    if (spot == NULL)
      return FALSE;
    if (PQntuples (spot) == 0)
      {
        g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                             "No such spot");
        return FALSE;
      }
    stale[0] = PQgetvalue (spot, 0, 0);
    if (!_parkd_pg_run_v (conn, SQL_RELEASE_STALE_HOLDS, stale, NULL, error))
      return FALSE;
    res = _parkd_pg_query_v (conn, SQL_EXTEND, params, NULL);
  }
  if (res == NULL)
    {
      if (strcmp (conn->sqlstate, "23P01") == 0)
        {
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT,
                               "The spot is taken for part of the extra time");
          return FALSE;
        }
      return _parkd_pg_set_error (error, conn, NULL, "extend");
    }
  return reservation_event (conn, "ReservationExtended", w->id, current->operator_id,
                            current->spot_id,
                            parkd_reservation_status_to_string (current->status), now, error) &&
         (result->reservation = load_reservation (conn, SQL_RESERVATION_BY_ID, w->id,
                                                  error)) != NULL;
}

static ParkdBookingResult *
pg_extend_reservation (ParkdStore  *store,
                       const char  *id,
                       const char  *new_end,
                       gint64       new_total,
                       const char  *breakdown)
{
  ParkdBookingResult *result = g_new0 (ParkdBookingResult, 1);
  ExtendWrite w = { id, new_end, new_total, breakdown, result };
  g_autoptr(GError) error = NULL;

  if (!_parkd_pg_transact_full (pg (store), PG_TX_LOCKED, extend_tx, &w, &error))
    {
      g_clear_pointer (&result->reservation, parkd_reservation_free);
      result->error = g_steal_pointer (&error);
    }
  return result;
}

static GPtrArray *
collect_due (PgConn      *conn,
             const char  *sql,
             const char  *when,
             GError     **error)
{
  const char *params[] = { when };
  g_autoptr(PGresult) res = _parkd_pg_query_v (conn, sql, params, error);
  GPtrArray *ids;

  if (res == NULL)
    return NULL;
  ids = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (ids, _parkd_pg_dup (res, i, 0));
  return ids;
}

typedef struct
{
  gint64 grace_s;
  guint  moved;
} DueWrite;

static gboolean
release_due_tx (PgConn   *conn,
                gpointer  data,
                GError  **error)
{
  DueWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *grace = time_after (-w->grace_s);
  g_autoptr(GPtrArray) expired = NULL, no_show = NULL;

  w->moved = 0;
  expired = collect_due (conn, SQL_DUE_EXPIRED, now, error);
  if (expired == NULL)
    return FALSE;
  no_show = collect_due (conn, SQL_DUE_NO_SHOW, grace, error);
  if (no_show == NULL)
    return FALSE;
  for (guint i = 0; i < expired->len; i++, w->moved++)
    if (!_parkd_pg_set_status_locked (conn, g_ptr_array_index (expired, i),
                                      PARKD_RESERVATION_EXPIRED, now, error))
      return FALSE;
  for (guint i = 0; i < no_show->len; i++, w->moved++)
    if (!_parkd_pg_set_status_locked (conn, g_ptr_array_index (no_show, i),
                                      PARKD_RESERVATION_NO_SHOW, now, error))
      return FALSE;
  return _parkd_pg_sync_spot_states_locked (conn, now, error);
}

static guint
pg_release_due (ParkdStore  *store,
                gint64       no_show_grace_s,
                GError     **error)
{
  DueWrite w = { no_show_grace_s, 0 };

  if (!_parkd_pg_transact (pg (store), FALSE, release_due_tx, &w, error))
    return 0;
  return w.moved;
}

typedef struct
{
  const char    *lot_id;
  ParkdSpotType  type;
  const char    *start, *end;
  double         share;
} ShareRead;

static gboolean
booked_share_tx (PgConn   *conn,
                 gpointer  data,
                 GError  **error)
{
  ShareRead *r = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  const char *params[] = { r->lot_id, parkd_spot_type_to_string (r->type), r->start, r->end,
                           now };
  g_autoptr(PGresult) res = _parkd_pg_query_v (conn, SQL_BOOKED_SHARE, params, error);
  gint64 booked, total;

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                           "There is no lot with this id");
      return FALSE;
    }
  booked = _parkd_pg_int (res, 0, 0);
  total = _parkd_pg_int (res, 0, 1);
  r->share = total > 0 ? MIN (1.0, (double) booked / total) : 1.0;
  return TRUE;
}

static double
pg_booked_share (ParkdStore     *store,
                 const char     *lot_id,
                 ParkdSpotType   spot_type,
                 const char     *start_time,
                 const char     *end_time,
                 GError        **error)
{
  ShareRead r = { lot_id, spot_type, start_time, end_time, -1 };

  if (!_parkd_pg_transact_full (pg (store), PG_TX_ONE_READ_PRIMARY, booked_share_tx, &r, error))
    return -1;
  return r.share;
}

static gpointer
text_row (const PGresult *res,
          int             row)
{
  return _parkd_pg_dup (res, row, 0);
}

static char *
pg_get_pricing (ParkdStore  *store,
                const char  *lot_id,
                GError     **error)
{
  return _parkd_pg_load_row (pg (store), SQL_GET_PRICING, lot_id, NULL, text_row,
                             "There is no lot with this id", error);
}

typedef struct
{
  const char       *lot_id;
  const char       *pricing;
  const ParkdAudit *audit;
} PricingWrite;

static gboolean
set_pricing_tx (PgConn   *conn,
                gpointer  data,
                GError  **error)
{
  PricingWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  const char *params[] = { w->lot_id, w->pricing, now };
  int changed = 0;

  if (!_parkd_pg_run_v (conn, SQL_SET_PRICING, params, &changed, error) ||
      !_parkd_pg_require_change (changed, "There is no lot with this id", error))
    return FALSE;
  return w->audit == NULL || _parkd_pg_audit_locked (conn, w->audit, now, w->lot_id, error);
}

static gboolean
pg_set_pricing (ParkdStore        *store,
                const char        *lot_id,
                const char        *pricing,
                const ParkdAudit  *audit,
                GError           **error)
{
  PricingWrite w = { lot_id, pricing, audit };

  return _parkd_pg_transact (pg (store), FALSE, set_pricing_tx, &w, error);
}

/* ---- Quotes ------------------------------------------------------------------------- */

typedef struct
{
  ParkdStoredQuote *quote;
  const char       *id;
  const char       *now;
} QuoteWrite;

static gboolean
save_quote_tx (PgConn   *conn,
               gpointer  data,
               GError  **error)
{
  QuoteWrite *w = data;
  ParkdStoredQuote *q = w->quote;
  g_autofree char *cutoff = time_after (-24 * 3600);
  g_autofree char *total = _parkd_pg_int_param (q->total);
  const char *purge[] = { cutoff };
  const char *params[] = { w->id, q->lot_id, parkd_spot_type_to_string (q->spot_type),
                           q->start_time, q->end_time, total, q->currency, q->breakdown, w->now,
                           q->expires_at };
  int changed = 0;

  /* Quotes a day past their expiry are of no use to anyone. */
  return _parkd_pg_run_v (conn, SQL_PURGE_QUOTES, purge, NULL, error) &&
         _parkd_pg_run_v (conn, SQL_SAVE_QUOTE, params, &changed, error) &&
         _parkd_pg_require_change (changed, "There is no lot with this id", error);
}

static gboolean
pg_save_quote (ParkdStore        *store,
               ParkdStoredQuote  *quote,
               GError           **error)
{
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *id = g_uuid_string_random ();
  QuoteWrite w = { quote, id, now };

  if (!_parkd_pg_transact (pg (store), FALSE, save_quote_tx, &w, error))
    return FALSE;
  g_free (quote->id);
  quote->id = g_steal_pointer (&id);
  g_free (quote->created_at);
  quote->created_at = g_steal_pointer (&now);
  return TRUE;
}

static gpointer
quote_row (const PGresult *res,
           int             row)
{
  ParkdStoredQuote *q = g_new0 (ParkdStoredQuote, 1);

  q->id = _parkd_pg_dup (res, row, 0);
  q->lot_id = _parkd_pg_dup (res, row, 1);
  parkd_spot_type_from_string (PQgetvalue (res, row, 2), &q->spot_type);
  q->start_time = _parkd_pg_dup (res, row, 3);
  q->end_time = _parkd_pg_dup (res, row, 4);
  q->total = _parkd_pg_int (res, row, 5);
  q->currency = _parkd_pg_dup (res, row, 6);
  q->breakdown = _parkd_pg_dup (res, row, 7);
  q->created_at = _parkd_pg_dup (res, row, 8);
  q->expires_at = _parkd_pg_dup (res, row, 9);
  return q;
}

static ParkdStoredQuote *
pg_get_quote (ParkdStore  *store,
              const char  *id,
              GError     **error)
{
  return _parkd_pg_load_row (pg (store), SQL_GET_QUOTE, id, NULL, quote_row,
                             "There is no quote with this id", error);
}

/* ---- Partitions ---------------------------------------------------------------------- */

typedef struct
{
  const char *month;
} MonthWrite;

static gboolean
month_tx (PgConn   *conn,
          gpointer  data,
          GError  **error)
{
  const char *params[] = { ((MonthWrite *) data)->month };

  return _parkd_pg_run_v (conn, SQL_MONTH, params, NULL, error);
}

gboolean
_parkd_pg_reservations_month (ParkdStorePg  *self,
                              const char    *month,
                              GError       **error)
{
  MonthWrite w = { month };

  if (!_parkd_pg_transact (self, FALSE, month_tx, &w, error))
    return FALSE;
  g_mutex_lock (&self->partitions_lock);
  g_hash_table_add (self->partitions, g_strdup (month));
  g_mutex_unlock (&self->partitions_lock);
  return TRUE;
}

/* This month's partition and those of the year ahead, made at start. */
gboolean
_parkd_pg_prepare_partitions (ParkdStorePg  *self,
                              GError       **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  for (int i = 0; i <= 12; i++)
    {
      g_autoptr(GDateTime) first = g_date_time_new_utc (g_date_time_get_year (now),
                                                        g_date_time_get_month (now), 1, 0, 0, 0);
      g_autoptr(GDateTime) month_dt = g_date_time_add_months (first, i);
      g_autofree char *month = g_date_time_format (month_dt, "%Y-%m");

      if (!_parkd_pg_reservations_month (self, month, error))
        return FALSE;
    }
  return TRUE;
}

void
_parkd_pg_reservations_vtable (ParkdStoreVTable *vtable)
{
  vtable->book_async = pg_book_async;
  vtable->book = pg_book;
  vtable->get_idempotency = pg_get_idempotency;
  vtable->get_reservation = pg_get_reservation;
  vtable->list_reservations = pg_list_reservations;
  vtable->set_reservation_status = pg_set_reservation_status;
  vtable->extend_reservation = pg_extend_reservation;
  vtable->release_due = pg_release_due;
  vtable->booked_share = pg_booked_share;
  vtable->get_pricing = pg_get_pricing;
  vtable->set_pricing = pg_set_pricing;
  vtable->save_quote = pg_save_quote;
  vtable->get_quote = pg_get_quote;
}
