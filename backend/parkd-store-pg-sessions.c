/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-pg-sessions.c: walk-in stays on PostgreSQL: check-in (by ticket, at a named
 * spot, or by a booking's code), the stays of a plate, and check-out with its payment; as
 * parkd-store-sqlite-reservations.c does them, each in one serializable transaction.
 */
#include "config.h"

#include "parkd-store-pg-private.h"

#include <stdlib.h>
#include <string.h>

#define ACTIVE_STATUSES "('pending_payment', 'confirmed', 'checked_in')"

#define SESSION_SELECT \
  "SELECT p.id, p.ticket, l.id, l.operator_id, l.time_zone, s.id, s.number, r.id, r.end_time, " \
  "p.plate_sealed, p.plate_hash, p.status, p.checked_in_at, p.checked_out_at, p.fee, " \
  "p.currency, p.breakdown, p.attendant_id, p.paid_at, p.leave_by " \
  "FROM parking_sessions p JOIN parking_lots l ON l.pk = p.lot_pk " \
  "LEFT JOIN parking_spots s ON s.pk = p.spot_pk " \
  "LEFT JOIN reservations r ON r.pk = p.reservation_pk "

static const char SQL_SESSION_BY_KEY[] = SESSION_SELECT "WHERE p.id = $1 OR p.ticket = $1";
static const char SQL_SESSIONS_BY_PLATE[] =
  SESSION_SELECT "WHERE l.id = $1 AND p.plate_hash = $2 AND p.status IN ('active', 'paid') "
  "ORDER BY p.checked_in_at";
static const char SQL_LOT_FOR_SESSION[] =
  "SELECT pk, currency FROM parking_lots WHERE id = $1";
static const char SQL_SPOT_FOR_SESSION[] =
  "SELECT pk, lot_pk FROM parking_spots WHERE id = $1";
/* From half an hour before its start until its end. */
static const char SQL_RESERVATION_FOR_CHECK_IN[] =
  "SELECT r.id, r.pk, r.spot_pk, "
  "       r.start_time::timestamptz - interval '30 minutes' <= $3::text::timestamptz "
  "       AND r.end_time > $3::text "
  "FROM reservations r WHERE r.code = $1 AND r.lot_pk = $2";
static const char SQL_SPOT_HELD_NOW[] =
  "SELECT 1 FROM parking_spots s WHERE s.pk = $1 AND (s.state IN ('occupied', 'out_of_service') "
  "  OR EXISTS (SELECT 1 FROM reservations r WHERE r.spot_pk = s.pk AND r.start_time <= $2 "
  "             AND r.end_time > $2 AND r.status IN " ACTIVE_STATUSES
  "             AND (r.status <> 'pending_payment' OR r.hold_until > $2)) "
  "  OR EXISTS (SELECT 1 FROM parking_sessions p WHERE p.spot_pk = s.pk "
  "             AND p.status IN ('active', 'paid')))";
/* A regular spot free now and for the next hour ($3) (a booking about to start keeps its
 * spot). */
static const char SQL_PICK_FREE_NOW[] =
  "SELECT s.pk FROM parking_spots s WHERE s.lot_pk = $1 AND s.spot_type = 'regular' "
  "   AND s.state = 'available' "
  "   AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.spot_pk = s.pk "
  "                    AND r.end_time > $2 AND r.start_time < $3 "
  "                    AND r.status IN " ACTIVE_STATUSES
  "                    AND (r.status <> 'pending_payment' OR r.hold_until > $2)) "
  "   AND NOT EXISTS (SELECT 1 FROM parking_sessions p WHERE p.spot_pk = s.pk "
  "                    AND p.status IN ('active', 'paid')) "
  " ORDER BY abs (s.level), s.number LIMIT 1";
static const char SQL_INSERT_SESSION[] =
  "INSERT INTO parking_sessions (id, ticket, lot_pk, spot_pk, reservation_pk, plate_sealed, "
  "plate_hash, status, checked_in_at, currency, attendant_id, created_at, updated_at) "
  "VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9, $10, $8, $8)";
static const char SQL_TICKET_TAKEN[] = "SELECT 1 FROM parking_sessions WHERE ticket = $1";
static const char SQL_SPOT_OCCUPY_PK[] =
  "UPDATE parking_spots SET state = 'occupied', updated_at = $2 WHERE pk = $1";
/* Paid: the car has until $3 to leave. */
static const char SQL_SESSION_PAY[] =
  "UPDATE parking_sessions SET status = 'paid', paid_at = $2, leave_by = $3, fee = $4, "
  "breakdown = $5, updated_at = $2 WHERE pk = $1 AND status = 'active'";
/* Gone, maybe after paying $3 more for the time past its leave_by. */
static const char SQL_SESSION_LEAVE[] =
  "UPDATE parking_sessions SET status = 'completed', checked_out_at = $2, "
  "fee = coalesce (fee, 0) + $3, paid_at = CASE WHEN $4::boolean THEN $2 ELSE paid_at END, "
  "updated_at = $2 WHERE pk = $1 AND status = 'paid'";
static const char SQL_SESSION_KEYS[] =
  "SELECT p.pk, p.spot_pk, r.id, l.operator_id, p.currency, p.status FROM parking_sessions p "
  "JOIN parking_lots l ON l.pk = p.lot_pk LEFT JOIN reservations r ON r.pk = p.reservation_pk "
  "WHERE p.id = $1";
static const char SQL_SPOT_FREE_PK[] =
  "UPDATE parking_spots SET state = 'available', updated_at = $2 "
  " WHERE pk = $1 AND state = 'occupied'";
static const char SQL_INSERT_SESSION_PAYMENT[] =
  "INSERT INTO payments (id, session_pk, operator_id, provider, provider_ref, amount, currency, "
  "status, tendered, change_given, attendant_id, breakdown, created_at, updated_at) "
  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)";

static ParkdStorePg *
pg (ParkdStore *store)
{
  return (ParkdStorePg *) store;
}

static char *
minutes_after (const char *start,
               guint       minutes)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_iso8601 (start, NULL);
  g_autoptr(GDateTime) then = NULL;

  if (t == NULL)
    return g_strdup (start);
  then = g_date_time_add_minutes (t, minutes);
  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

static gpointer
parking_session_row (const PGresult *res,
                     int             row)
{
  ParkdParkingSession *s = g_new0 (ParkdParkingSession, 1);

  s->id = _parkd_pg_dup (res, row, 0);
  s->ticket = _parkd_pg_dup (res, row, 1);
  s->lot_id = _parkd_pg_dup (res, row, 2);
  s->operator_id = _parkd_pg_dup (res, row, 3);
  s->time_zone = _parkd_pg_dup (res, row, 4);
  s->spot_id = _parkd_pg_dup (res, row, 5);
  s->spot_number = _parkd_pg_dup (res, row, 6);
  s->reservation_id = _parkd_pg_dup (res, row, 7);
  s->reservation_end = _parkd_pg_dup (res, row, 8);
  s->plate_sealed = _parkd_pg_bytes (res, row, 9);
  s->plate_hash = _parkd_pg_bytes (res, row, 10);
  s->status = _parkd_pg_dup (res, row, 11);
  s->checked_in_at = _parkd_pg_dup (res, row, 12);
  s->checked_out_at = _parkd_pg_dup (res, row, 13);
  s->fee = _parkd_pg_amount (res, row, 14);
  s->currency = _parkd_pg_dup (res, row, 15);
  s->breakdown = _parkd_pg_dup (res, row, 16);
  s->attendant_id = _parkd_pg_dup (res, row, 17);
  s->paid_at = _parkd_pg_dup (res, row, 18);
  s->leave_by = _parkd_pg_dup (res, row, 19);
  return s;
}

static ParkdParkingSession *
load_parking_session (PgConn      *conn,
                      const char  *key,
                      GError     **error)
{
  return _parkd_pg_load_row_on (conn, SQL_SESSION_BY_KEY, key, NULL, parking_session_row,
                                "There is no stay with this id or ticket", error);
}

static gboolean
session_event (PgConn      *conn,
               const char  *type,
               const char  *id,
               const char  *operator_id,
               const char  *spot_id,
               const char  *now,
               GError     **error)
{
  g_autofree char *aggregate = g_strconcat ("session:", id, NULL);
  g_autofree char *payload = parkd_session_event_payload (id, spot_id);

  return _parkd_pg_insert_event (conn, type, aggregate, operator_id, payload, now, error);
}

typedef struct
{
  const ParkdParkingSession *want;
  const char                *reservation_code;
  const ParkdIdempotency    *idem;
  gboolean                   replayed;
  ParkdParkingSession       *out;
} CheckInWrite;

static gboolean
check_in_tx (PgConn   *conn,
             gpointer  data,
             GError  **error)
{
  CheckInWrite *w = data;
  const ParkdParkingSession *want = w->want;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *lot_pk = NULL, *currency = NULL, *spot_pk = NULL, *reservation_pk = NULL;
  g_autofree char *sealed = NULL, *hash = NULL;
  g_autoptr(PGresult) res = NULL;
  char ticket[9];

  g_clear_pointer (&w->out, parkd_parking_session_free);
  w->replayed = FALSE;
  /* The same check-in sent again (its answer was lost): the stay it made, nothing new. */
  if (w->idem != NULL && w->idem->key != NULL)
    {
      g_autofree char *resource = NULL;
      gboolean found;
      int status;

      if (!_parkd_pg_idem_find_locked (conn, w->idem, &found, &status, &resource, error))
        return FALSE;
      if (found)
        {
          w->out = load_parking_session (conn, resource, error);
          w->replayed = w->out != NULL;
          return w->out != NULL;
        }
    }

  {
    const char *params[] = { want->lot_id };

    res = _parkd_pg_query_v (conn, SQL_LOT_FOR_SESSION, params, error);
  }
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                           "There is no lot with this id");
      return FALSE;
    }
  lot_pk = _parkd_pg_dup (res, 0, 0);
  currency = _parkd_pg_dup (res, 0, 1);
  g_clear_pointer (&res, PQclear);

  if (w->reservation_code != NULL)
    {
      g_autofree char *reservation_id = NULL;
      const char *params[] = { w->reservation_code, lot_pk, now };

      res = _parkd_pg_query_v (conn, SQL_RESERVATION_FOR_CHECK_IN, params, error);
      if (res == NULL)
        return FALSE;
      if (PQntuples (res) == 0)
        {
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                               "No booking of this lot has this code");
          return FALSE;
        }
      reservation_id = _parkd_pg_dup (res, 0, 0);
      reservation_pk = _parkd_pg_dup (res, 0, 1);
      spot_pk = _parkd_pg_dup (res, 0, 2);
      if (!_parkd_pg_bool (res, 0, 3))
        {
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                               "This booking is for another time");
          return FALSE;
        }
      g_clear_pointer (&res, PQclear);
      /* Confirmed bookings only: a pending one is not paid, an old one is over. */
      if (!_parkd_pg_set_status_locked (conn, reservation_id, PARKD_RESERVATION_CHECKED_IN, now,
                                        error))
        return FALSE;
    }
  else if (want->spot_id == NULL)
    {
      /* No spot named: the car takes the first free regular one, so the lot's live count
       * drops by one as the driver would see at the gate. A full lot still lets it in. */
      g_autoptr(GDateTime) now_dt = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) hour_dt = g_date_time_add_hours (now_dt, 1);
      g_autofree char *hour_on = g_date_time_format (hour_dt, "%Y-%m-%dT%H:%M:%SZ");
      const char *params[] = { lot_pk, now, hour_on };

      res = _parkd_pg_query_v (conn, SQL_PICK_FREE_NOW, params, error);
      if (res == NULL)
        return FALSE;
      if (PQntuples (res) > 0)
        {
          const char *occupy[] = { PQgetvalue (res, 0, 0), now };

          spot_pk = _parkd_pg_dup (res, 0, 0);
          if (!_parkd_pg_run_v (conn, SQL_SPOT_OCCUPY_PK, occupy, NULL, error))
            return FALSE;
        }
      g_clear_pointer (&res, PQclear);
    }
  else
    {
      const char *params[] = { want->spot_id };

      res = _parkd_pg_query_v (conn, SQL_SPOT_FOR_SESSION, params, error);
      if (res == NULL)
        return FALSE;
      if (PQntuples (res) == 0 || g_strcmp0 (PQgetvalue (res, 0, 1), lot_pk) != 0)
        {
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                               "This lot has no spot with this id");
          return FALSE;
        }
      spot_pk = _parkd_pg_dup (res, 0, 0);
      g_clear_pointer (&res, PQclear);
      {
        const char *held[] = { spot_pk, now };

        res = _parkd_pg_query_v (conn, SQL_SPOT_HELD_NOW, held, error);
      }
      if (res == NULL)
        return FALSE;
      if (PQntuples (res) > 0)
        {
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT,
                               "This spot is occupied, booked or out of service now");
          return FALSE;
        }
      g_clear_pointer (&res, PQclear);
      {
        const char *occupy[] = { spot_pk, now };

        if (!_parkd_pg_run_v (conn, SQL_SPOT_OCCUPY_PK, occupy, NULL, error))
          return FALSE;
      }
    }

  if (!_parkd_pg_new_unique_code (conn, SQL_TICKET_TAKEN, ticket, sizeof ticket - 1, error))
    return FALSE;
  sealed = _parkd_pg_bytes_param (want->plate_sealed);
  hash = _parkd_pg_bytes_param (want->plate_hash);
  {
    const char *params[] = { id, ticket, lot_pk, spot_pk, reservation_pk, sealed, hash, now,
                             currency, want->attendant_id };

    if (!_parkd_pg_run_v (conn, SQL_INSERT_SESSION, params, NULL, error))
      return FALSE;
  }
  w->out = load_parking_session (conn, id, error);
  return w->out != NULL &&
         session_event (conn, "VehicleCheckedIn", id, w->out->operator_id, w->out->spot_id, now,
                        error) &&
         (w->idem == NULL || w->idem->key == NULL ||
          _parkd_pg_idem_insert_locked (conn, w->idem, 201, id, now, error));
}

static ParkdParkingSession *
pg_check_in (ParkdStore                 *store,
             const ParkdParkingSession  *want,
             const char                 *reservation_code,
             const ParkdIdempotency     *idem,
             gboolean                   *replayed,
             GError                    **error)
{
  CheckInWrite w = { want, reservation_code, idem, FALSE, NULL };

  *replayed = FALSE;
  if (!_parkd_pg_transact (pg (store), FALSE, check_in_tx, &w, error))
    {
      g_clear_pointer (&w.out, parkd_parking_session_free);
      return NULL;
    }
  *replayed = w.replayed;
  return w.out;
}

static ParkdParkingSession *
pg_get_parking_session (ParkdStore  *store,
                        const char  *key,
                        GError     **error)
{
  return _parkd_pg_load_row (pg (store), SQL_SESSION_BY_KEY, key, NULL, parking_session_row,
                             "There is no stay with this id or ticket", error);
}

static GPtrArray *
pg_find_parking_sessions (ParkdStore  *store,
                          const char  *lot_id,
                          GBytes      *plate_hash,
                          GError     **error)
{
  g_autofree char *hash = _parkd_pg_bytes_param (plate_hash);
  const char *params[] = { lot_id, hash };

  return _parkd_pg_read_list_v (pg (store), SQL_SESSIONS_BY_PLATE, params, parking_session_row,
                                (GDestroyNotify) parkd_parking_session_free, error);
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
load_check_out_resource (PgConn               *conn,
                         const char           *resource,
                         ParkdCheckOutResult  *result,
                         GError              **error)
{
  if (g_str_has_prefix (resource, "payment:"))
    {
      result->payment = _parkd_pg_load_payment (conn, _parkd_pg_sql_payment_by_id,
                                                resource + strlen ("payment:"), NULL, error);
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

static ParkdPayment *
insert_session_payment_locked (PgConn             *conn,
                               const char         *session_pk,
                               const char         *operator_id,
                               const char         *currency,
                               const ParkdPayment *want,
                               const char         *now,
                               GError            **error)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *amount = _parkd_pg_int_param (want->amount);
  g_autofree char *tendered = want->tendered >= 0 ? _parkd_pg_int_param (want->tendered) : NULL;
  g_autofree char *change = want->change_given >= 0 ? _parkd_pg_int_param (want->change_given)
                                                    : NULL;
  const char *params[] = { id, session_pk, operator_id, want->provider, want->provider_ref,
                           amount, currency, want->status, tendered, change, want->attendant_id,
                           want->breakdown != NULL ? want->breakdown : "{}", now };
  g_autoptr(PGresult) res = _parkd_pg_query_v (conn, SQL_INSERT_SESSION_PAYMENT, params, NULL);
  ParkdPayment *p;

  if (res == NULL)
    {
      _parkd_pg_set_write_error (error, conn, "payment",
                                 "This provider reference is recorded already",
                                 "Invalid payment", NULL);
      return NULL;
    }
  p = _parkd_pg_load_payment (conn, _parkd_pg_sql_payment_by_id, id, NULL, error);
  if (p != NULL && g_str_equal (p->status, "succeeded") &&
      !_parkd_pg_payment_event (conn, "PaymentProcessed", p, p->amount, now, error))
    g_clear_pointer (&p, parkd_payment_free);
  return p;
}

typedef struct
{
  const ParkdCheckOut *req;
  ParkdCheckOutResult *result;
} CheckOutWrite;

static void
check_out_result_clear (ParkdCheckOutResult *result)
{
  g_clear_pointer (&result->session, parkd_parking_session_free);
  g_clear_pointer (&result->payment, parkd_payment_free);
  result->replayed = FALSE;
}

static gboolean
check_out_tx (PgConn   *conn,
              gpointer  data,
              GError  **error)
{
  CheckOutWrite *w = data;
  const ParkdCheckOut *req = w->req;
  ParkdCheckOutResult *result = w->result;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *resource = NULL, *session_pk = NULL, *spot_pk = NULL;
  g_autofree char *reservation_id = NULL, *operator_id = NULL, *currency = NULL;
  gboolean leaves = g_str_equal (req->from_status, "paid");
  gboolean has_idem = req->idem != NULL && req->idem->key != NULL;
  g_autoptr(PGresult) res = NULL;
  const char *status;

  check_out_result_clear (result);
  /* The same check-out sent again (its answer was lost): answered as the first time, before
   * the stay's new state would refuse it. */
  if (has_idem)
    {
      gboolean found;

      if (!_parkd_pg_idem_find_locked (conn, req->idem, &found, &result->replayed_status,
                                       &resource, error))
        return FALSE;
      if (found)
        {
          result->replayed = load_check_out_resource (conn, resource, result, error);
          return result->replayed;
        }
    }

  {
    const char *params[] = { req->session_id };

    res = _parkd_pg_query_v (conn, SQL_SESSION_KEYS, params, error);
  }
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                           "There is no stay with this id or ticket");
      return FALSE;
    }
  session_pk = _parkd_pg_dup (res, 0, 0);
  spot_pk = _parkd_pg_dup (res, 0, 1);
  reservation_id = _parkd_pg_dup (res, 0, 2);
  operator_id = _parkd_pg_dup (res, 0, 3);
  currency = _parkd_pg_dup (res, 0, 4);
  status = PQgetvalue (res, 0, 5);
  /* Priced for another state than it has now: paid or gone meanwhile. */
  if (g_str_equal (status, "completed"))
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                           "This car has checked out already");
      return FALSE;
    }
  if (!g_str_equal (status, req->from_status))
    {
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                   "This stay is %s now; check it out again", status);
      return FALSE;
    }

  if (req->discount_id != NULL &&
      !_parkd_pg_use_discount_locked (conn, req->discount_id, now, error))
    return FALSE;
  if (req->payment != NULL &&
      (result->payment = insert_session_payment_locked (conn, session_pk, operator_id, currency,
                                                        req->payment, now, error)) == NULL)
    return FALSE;

  if (leaves)
    {
      g_autofree char *extra = _parkd_pg_int_param (result->payment != NULL
                                                    ? result->payment->amount : 0);
      const char *params[] = { session_pk, now, extra,
                               result->payment != NULL ? "true" : "false" };

      if (!_parkd_pg_run_v (conn, SQL_SESSION_LEAVE, params, NULL, error))
        return FALSE;
    }
  else
    {
      g_autofree char *leave_by = minutes_after (now, req->exit_grace_minutes);
      g_autofree char *fee = _parkd_pg_int_param (result->payment->amount);
      const char *params[] = { session_pk, now, leave_by, fee, result->payment->breakdown };

      if (!_parkd_pg_run_v (conn, SQL_SESSION_PAY, params, NULL, error))
        return FALSE;
    }

  /* The car is gone: its spot is free, its booking over. */
  if (leaves && spot_pk != NULL)
    {
      const char *params[] = { spot_pk, now };

      if (!_parkd_pg_run_v (conn, SQL_SPOT_FREE_PK, params, NULL, error))
        return FALSE;
    }
  if (leaves && reservation_id != NULL &&
      !_parkd_pg_set_status_locked (conn, reservation_id, PARKD_RESERVATION_COMPLETED, now,
                                    error))
    return FALSE;
  result->session = load_parking_session (conn, req->session_id, error);
  if (result->session == NULL)
    return FALSE;
  if (leaves &&
      (!session_event (conn, "VehicleCheckedOut", req->session_id, operator_id,
                       result->session->spot_id, now, error) ||
       (result->session->spot_id != NULL &&
        !session_event (conn, "ParkingSpotReleased", req->session_id, operator_id,
                        result->session->spot_id, now, error))))
    return FALSE;
  if (has_idem)
    {
      g_free (resource);
      resource = check_out_resource (result);
      if (!_parkd_pg_idem_insert_locked (conn, req->idem, 200, resource, now, error))
        return FALSE;
    }
  return TRUE;
}

static ParkdCheckOutResult *
pg_check_out (ParkdStore           *store,
              const ParkdCheckOut  *req,
              GError              **error)
{
  g_autoptr(ParkdCheckOutResult) result = g_new0 (ParkdCheckOutResult, 1);
  CheckOutWrite w = { req, result };

  if (!_parkd_pg_transact (pg (store), FALSE, check_out_tx, &w, error))
    return NULL;
  return g_steal_pointer (&result);
}

void
_parkd_pg_sessions_vtable (ParkdStoreVTable *vtable)
{
  vtable->check_in = pg_check_in;
  vtable->get_parking_session = pg_get_parking_session;
  vtable->find_parking_sessions = pg_find_parking_sessions;
  vtable->check_out = pg_check_out;
}
