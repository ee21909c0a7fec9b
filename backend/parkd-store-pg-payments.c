/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-pg-payments.c: payments, refunds, the card refunds parkd owes, discount codes
 * and the cash report, on PostgreSQL; the behaviour of the SQLite store's (in
 * parkd-store-sqlite-reservations.c and parkd-store-sqlite-refunds.c), statement for
 * statement. The race between voiding a card charge and recording it, which SQLite's single
 * writer orders, is ordered here by serializable transactions: the loser fails to serialize,
 * runs again and sees the winner.
 */
#include "config.h"

#include "parkd-store-pg-private.h"

#include <stdlib.h>
#include <string.h>

#define PAYMENT_SELECT \
  "SELECT p.id, r.id, p.user_id, p.operator_id, p.provider, p.provider_ref, p.amount, " \
  "p.refunded, p.currency, p.status, p.tendered, p.change_given, p.attendant_id, p.breakdown, " \
  "p.created_at, p.updated_at, r.code, l.name, l.address, l.time_zone, o.name, o.city, s.id " \
  "FROM payments p LEFT JOIN reservations r ON r.pk = p.reservation_pk " \
  "LEFT JOIN parking_sessions s ON s.pk = p.session_pk " \
  "JOIN parking_lots l ON l.pk = coalesce (r.lot_pk, s.lot_pk) " \
  "JOIN operators o ON o.id = l.operator_id "

const char _parkd_pg_sql_payment_by_id[] = PAYMENT_SELECT "WHERE p.id = $1";
#define SQL_PAYMENT_BY_ID _parkd_pg_sql_payment_by_id
static const char SQL_PAYMENT_BY_REF[] =
  PAYMENT_SELECT "WHERE p.provider = $1 AND p.provider_ref = $2";
static const char SQL_PAYMENT_BY_KEY[] =
  PAYMENT_SELECT "WHERE p.idem_scope = $1 AND p.idem_key = $2";
static const char SQL_PAYMENTS_OF[] =
  PAYMENT_SELECT "WHERE r.id = $1 ORDER BY p.created_at, p.recorded";
static const char SQL_STAY_PAYMENTS_OF[] =
  PAYMENT_SELECT "WHERE s.id = $1 ORDER BY p.created_at, p.recorded";
static const char SQL_PAYABLE[] =
  "SELECT r.pk, r.status, r.total, l.operator_id, "
  "(SELECT coalesce (sum (amount - refunded), 0) FROM payments "
  "  WHERE reservation_pk = r.pk AND status IN ('succeeded', 'partially_refunded')) "
  "FROM reservations r JOIN parking_lots l ON l.pk = r.lot_pk WHERE r.id = $1";
static const char SQL_INSERT_PAYMENT[] =
  "INSERT INTO payments (id, reservation_pk, user_id, operator_id, provider, provider_ref, "
  "amount, currency, status, tendered, change_given, attendant_id, breakdown, created_at, "
  "updated_at, idem_scope, idem_key) "
  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16)";
static const char SQL_PAYMENT_STATUS[] =
  "UPDATE payments SET status = $2, updated_at = $3 WHERE id = $1 AND status = 'pending'";
static const char SQL_CHECKOUT_PAID[] =
  "UPDATE payments SET status = 'succeeded', provider_ref = $2, updated_at = $3 "
  "WHERE id = $1 AND status = 'pending'";
static const char SQL_PAYMENT_REFUND[] =
  "UPDATE payments SET refunded = refunded + $2, updated_at = $3, "
  "  status = CASE WHEN refunded + $2 >= amount THEN 'refunded' ELSE 'partially_refunded' END "
  "WHERE id = $1 AND status IN ('succeeded', 'partially_refunded') AND refunded + $2 <= amount";
static const char SQL_INSERT_REFUND[] =
  "INSERT INTO refunds (id, payment_id, amount, provider_ref, reason, created_at) "
  "VALUES ($1, $2, $3, $4, $5, $6)";
static const char SQL_SPOTS_NOW_RESERVED[] =
  "UPDATE parking_spots SET state = 'reserved', updated_at = $1 "
  " WHERE state = 'available' AND pk IN (SELECT spot_pk FROM reservations "
  "   WHERE status IN ('pending_payment', 'confirmed') AND start_time <= $1 AND end_time > $1 "
  "     AND (status <> 'pending_payment' OR hold_until > $1))";

#define DISCOUNT_COLUMNS \
  "id, operator_id, code, percent_off, amount_off, max_uses, uses, expires_at, created_at"
static const char SQL_INSERT_DISCOUNT[] =
  "INSERT INTO discount_codes (id, operator_id, code, percent_off, amount_off, max_uses, "
  "expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
static const char SQL_DISCOUNT_BY_ID[] =
  "SELECT " DISCOUNT_COLUMNS " FROM discount_codes WHERE id = $1";
static const char SQL_DISCOUNT_BY_CODE[] =
  "SELECT " DISCOUNT_COLUMNS " FROM discount_codes WHERE operator_id = $1 AND code = upper ($2)";
static const char SQL_DISCOUNTS_PAGE[] =
  "SELECT " DISCOUNT_COLUMNS " FROM discount_codes "
  "WHERE ($3::text IS NULL OR operator_id = $3::text) "
  "ORDER BY created_at DESC, id LIMIT $1 OFFSET $2";
static const char SQL_DISCOUNTS_COUNT[] =
  "SELECT count(*) FROM discount_codes WHERE ($1::text IS NULL OR operator_id = $1::text)";
static const char SQL_DELETE_DISCOUNT[] =
  "DELETE FROM discount_codes WHERE id = $1 AND ($2::text IS NULL OR operator_id = $2::text)";
static const char SQL_CASH_REPORT[] =
  "SELECT p.attendant_id, u.email, count(*), sum (p.amount), "
  "       coalesce (sum ((SELECT sum (f.amount) FROM refunds f WHERE f.payment_id = p.id "
  "                        AND f.created_at >= $3 AND f.created_at < $4)), 0), "
  "       min (p.currency) "
  "  FROM payments p LEFT JOIN users u ON u.id = p.attendant_id "
  " WHERE p.provider = 'cash' AND p.amount > 0 AND p.operator_id = $1 "
  "   AND ($2::text IS NULL OR p.attendant_id = $2::text) "
  "   AND p.created_at >= $3 AND p.created_at < $4 "
  " GROUP BY p.attendant_id, u.email ORDER BY u.email";

#define REFUND_DUE_SELECT \
  "SELECT id, provider_ref, payment_id, amount, currency, operator_id, reason, idem_key, " \
  "attempts, last_error, created_at, done_at, refund_ref FROM card_refunds_due "
static const char SQL_REFUND_DUE_BY_KEY[] = REFUND_DUE_SELECT "WHERE idem_key = $1";
static const char SQL_VOID_OF[] =
  REFUND_DUE_SELECT "WHERE provider_ref = $1 AND payment_id IS NULL";
static const char SQL_REFUNDS_OWED[] =
  REFUND_DUE_SELECT "WHERE done_at IS NULL ORDER BY id LIMIT $1";
static const char SQL_REFUND_DUE_BY_ID[] = REFUND_DUE_SELECT "WHERE id = $1::bigint";
static const char SQL_CHARGE_RECORDED[] =
  "SELECT 1 FROM payments WHERE provider = 'stripe' AND provider_ref = $1";
static const char SQL_INSERT_REFUND_DUE[] =
  "INSERT INTO card_refunds_due (provider_ref, payment_id, amount, currency, operator_id, "
  "reason, idem_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING";
static const char SQL_REFUND_DUE_DONE[] =
  "UPDATE card_refunds_due SET done_at = $2, refund_ref = $3, attempts = attempts + 1, "
  "last_error = NULL WHERE id = $1::bigint AND done_at IS NULL";
static const char SQL_REFUND_DUE_FAILED[] =
  "UPDATE card_refunds_due SET attempts = attempts + 1, last_error = $2 "
  "WHERE id = $1::bigint AND done_at IS NULL";

static ParkdStorePg *
pg (ParkdStore *store)
{
  return (ParkdStorePg *) store;
}

/* ---- Payments ----------------------------------------------------------------------- */

static gpointer
payment_row (const PGresult *res,
             int             row)
{
  ParkdPayment *p = g_new0 (ParkdPayment, 1);
  int c = 0;

  p->id = _parkd_pg_dup (res, row, c++);
  p->reservation_id = _parkd_pg_dup (res, row, c++);
  p->user_id = _parkd_pg_dup (res, row, c++);
  p->operator_id = _parkd_pg_dup (res, row, c++);
  p->provider = _parkd_pg_dup (res, row, c++);
  p->provider_ref = _parkd_pg_dup (res, row, c++);
  p->amount = _parkd_pg_int (res, row, c++);
  p->refunded = _parkd_pg_int (res, row, c++);
  p->currency = _parkd_pg_dup (res, row, c++);
  p->status = _parkd_pg_dup (res, row, c++);
  p->tendered = _parkd_pg_amount (res, row, c++);
  p->change_given = _parkd_pg_amount (res, row, c++);
  p->attendant_id = _parkd_pg_dup (res, row, c++);
  p->breakdown = _parkd_pg_dup (res, row, c++);
  p->created_at = _parkd_pg_dup (res, row, c++);
  p->updated_at = _parkd_pg_dup (res, row, c++);
  p->reservation_code = _parkd_pg_dup (res, row, c++);
  p->lot_name = _parkd_pg_dup (res, row, c++);
  p->lot_address = _parkd_pg_dup (res, row, c++);
  p->time_zone = _parkd_pg_dup (res, row, c++);
  p->operator_name = _parkd_pg_dup (res, row, c++);
  p->operator_city = _parkd_pg_dup (res, row, c++);
  p->session_id = _parkd_pg_dup (res, row, c++);
  return p;
}

ParkdPayment *
_parkd_pg_load_payment (PgConn      *conn,
              const char  *sql,
              const char  *key1,
              const char  *key2,
              GError     **error)
{
  return _parkd_pg_load_row_on (conn, sql, key1, key2, payment_row,
                                "There is no payment with this id", error);
}

gboolean
_parkd_pg_payment_event (PgConn             *conn,
                         const char         *type,
                         const ParkdPayment *p,
                         gint64              amount,
                         const char         *now,
                         GError            **error)
{
  g_autofree char *aggregate = g_strconcat ("payment:", p->id, NULL);
  g_autofree char *payload = parkd_payment_event_payload (p, amount);

  return _parkd_pg_insert_event (conn, type, aggregate, p->operator_id, payload, now, error);
}

/* Confirms @reservation_id once its payments cover its total. */
static gboolean
confirm_if_paid_locked (PgConn      *conn,
                        const char  *reservation_id,
                        const char  *now,
                        GError     **error)
{
  const char *params[] = { reservation_id };
  g_autoptr(PGresult) res = NULL;
  gboolean paid_up;

  if (reservation_id == NULL)
    return TRUE;
  res = _parkd_pg_query_v (conn, SQL_PAYABLE, params, error);
  if (res == NULL)
    return FALSE;
  paid_up = PQntuples (res) > 0 &&
            g_strcmp0 (PQgetvalue (res, 0, 1), "pending_payment") == 0 &&
            _parkd_pg_int (res, 0, 4) >= _parkd_pg_int (res, 0, 2);
  if (!paid_up)
    return TRUE;
  {
    const char *now_params[] = { now };

    return _parkd_pg_set_status_locked (conn, reservation_id, PARKD_RESERVATION_CONFIRMED, now,
                                        error) &&
           _parkd_pg_run_v (conn, SQL_SPOTS_NOW_RESERVED, now_params, NULL, error);
  }
}

typedef struct
{
  const ParkdPayment *want;
  const ParkdAudit   *audit;
  ParkdPayment       *out;
} PaymentWrite;

static gboolean
record_payment_tx (PgConn   *conn,
                   gpointer  data,
                   GError  **error)
{
  PaymentWrite *w = data;
  const ParkdPayment *want = w->want;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *amount = _parkd_pg_int_param (want->amount);
  g_autofree char *tendered = want->tendered >= 0 ? _parkd_pg_int_param (want->tendered) : NULL;
  g_autofree char *change = want->change_given >= 0 ? _parkd_pg_int_param (want->change_given)
                                                    : NULL;
  const char *payable_params[] = { want->reservation_id };
  g_autoptr(PGresult) res = NULL;
  const char *status;

  g_clear_pointer (&w->out, parkd_payment_free);
  res = _parkd_pg_query_v (conn, SQL_PAYABLE, payable_params, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                           "There is no reservation with this id");
      return FALSE;
    }
  status = PQgetvalue (res, 0, 1);
  /* Money is taken for a booking that still holds its spot, and for an overstay. */
  if (!g_str_equal (status, "pending_payment") && !g_str_equal (status, "confirmed") &&
      !g_str_equal (status, "checked_in"))
    {
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                   "A %s reservation takes no payment", status);
      return FALSE;
    }
  {
    const char *params[] = {
      id, PQgetvalue (res, 0, 0), want->user_id, PQgetvalue (res, 0, 3), want->provider,
      want->provider_ref, amount, want->currency, want->status, tendered, change,
      want->attendant_id, want->breakdown != NULL ? want->breakdown : "{}", now,
      want->idem_scope, want->idem_key,
    };
    g_autoptr(PGresult) done = _parkd_pg_query_v (conn, SQL_INSERT_PAYMENT, params, NULL);

    if (done == NULL)
      return _parkd_pg_set_write_error (error, conn, "payment",
                                        "This provider reference is recorded already",
                                        "Invalid payment", NULL);
  }
  w->out = _parkd_pg_load_payment (conn, SQL_PAYMENT_BY_ID, id, NULL, error);
  return w->out != NULL &&
         (!g_str_equal (want->status, "succeeded") ||
          (_parkd_pg_payment_event (conn, "PaymentProcessed", w->out, w->out->amount, now,
                                    error) &&
           confirm_if_paid_locked (conn, want->reservation_id, now, error))) &&
         (w->audit == NULL || _parkd_pg_audit_locked (conn, w->audit, now, id, error));
}

static ParkdPayment *
pg_record_payment (ParkdStore          *store,
                   const ParkdPayment  *want,
                   const ParkdAudit    *audit,
                   GError             **error)
{
  PaymentWrite w = { want, audit, NULL };

  if (!_parkd_pg_transact (pg (store), FALSE, record_payment_tx, &w, error))
    g_clear_pointer (&w.out, parkd_payment_free);
  return w.out;
}

static ParkdPayment *
pg_get_payment (ParkdStore          *store,
                ParkdPaymentLookup   by,
                const char          *key1,
                const char          *key2,
                GError             **error)
{
  return _parkd_pg_load_row (pg (store),
                             by == PARKD_PAYMENT_BY_ID ? SQL_PAYMENT_BY_ID
                             : by == PARKD_PAYMENT_BY_REF ? SQL_PAYMENT_BY_REF
                                                          : SQL_PAYMENT_BY_KEY,
                             key1, key2, payment_row, "There is no payment with this id", error);
}

static GPtrArray *
pg_list_payments (ParkdStore  *store,
                  const char  *reservation_id,
                  GError     **error)
{
  const char *params[] = { reservation_id };

  return _parkd_pg_read_list_v (pg (store), SQL_PAYMENTS_OF, params, payment_row,
                                (GDestroyNotify) parkd_payment_free, error);
}

static GPtrArray *
pg_list_stay_payments (ParkdStore  *store,
                       const char  *session_id,
                       GError     **error)
{
  const char *params[] = { session_id };

  return _parkd_pg_read_list_v (pg (store), SQL_STAY_PAYMENTS_OF, params, payment_row,
                                (GDestroyNotify) parkd_payment_free, error);
}

typedef struct
{
  const char   *id;
  const char   *status;
  ParkdPayment *out;
} PaymentStatusWrite;

static gboolean
set_payment_status_tx (PgConn   *conn,
                       gpointer  data,
                       GError  **error)
{
  PaymentStatusWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  const char *params[] = { w->id, w->status, now };
  int changed = 0;

  g_clear_pointer (&w->out, parkd_payment_free);
  if (!_parkd_pg_run_v (conn, SQL_PAYMENT_STATUS, params, &changed, error))
    return FALSE;
  /* Already settled (a webhook delivered twice): answered as it is, nothing written. */
  w->out = _parkd_pg_load_payment (conn, SQL_PAYMENT_BY_ID, w->id, NULL, error);
  if (w->out == NULL)
    return FALSE;
  return changed == 0 || !g_str_equal (w->status, "succeeded") ||
         (_parkd_pg_payment_event (conn, "PaymentProcessed", w->out, w->out->amount, now,
                                   error) &&
          confirm_if_paid_locked (conn, w->out->reservation_id, now, error));
}

static ParkdPayment *
pg_set_payment_status (ParkdStore  *store,
                       const char  *id,
                       const char  *status,
                       GError     **error)
{
  PaymentStatusWrite w = { id, status, NULL };

  if (!_parkd_pg_transact (pg (store), FALSE, set_payment_status_tx, &w, error))
    g_clear_pointer (&w.out, parkd_payment_free);
  return w.out;
}

typedef struct
{
  const char   *id;
  const char   *provider_ref;
  ParkdPayment *out;
  gboolean      refused;   /* the booking no longer takes it: failed, the money to give back */
} CheckoutWrite;

/* Stripe's page was paid: the pending payment succeeds if its booking still takes it (waiting
 * for payment, or confirmed or checked in with that much still owed), else it fails. */
static gboolean
complete_checkout_tx (PgConn   *conn,
                      gpointer  data,
                      GError  **error)
{
  CheckoutWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autoptr(ParkdPayment) before = NULL;
  g_autoptr(PGresult) res = NULL;
  gboolean payable = FALSE;

  g_clear_pointer (&w->out, parkd_payment_free);
  w->refused = FALSE;
  before = _parkd_pg_load_payment (conn, SQL_PAYMENT_BY_ID, w->id, NULL, error);
  if (before == NULL)
    return FALSE;
  /* Settled already (a webhook delivered twice): answered as it is, nothing written. */
  if (!g_str_equal (before->status, "pending") || before->reservation_id == NULL)
    {
      w->out = g_steal_pointer (&before);
      return TRUE;
    }
  {
    const char *params[] = { before->reservation_id };

    res = _parkd_pg_query_v (conn, SQL_PAYABLE, params, error);
    if (res == NULL)
      return FALSE;
  }
  if (PQntuples (res) > 0)
    {
      const char *status = PQgetvalue (res, 0, 1);

      payable = (g_str_equal (status, "pending_payment") || g_str_equal (status, "confirmed") ||
                 g_str_equal (status, "checked_in")) &&
                _parkd_pg_int (res, 0, 2) - _parkd_pg_int (res, 0, 4) >= before->amount;
    }
  if (payable)
    {
      const char *params[] = { w->id, w->provider_ref, now };

      if (!_parkd_pg_run_v (conn, SQL_CHECKOUT_PAID, params, NULL, error))
        return FALSE;
    }
  else
    {
      const char *params[] = { w->id, "failed", now };

      if (!_parkd_pg_run_v (conn, SQL_PAYMENT_STATUS, params, NULL, error))
        return FALSE;
    }
  w->out = _parkd_pg_load_payment (conn, SQL_PAYMENT_BY_ID, w->id, NULL, error);
  if (w->out == NULL)
    return FALSE;
  w->refused = !payable;
  return !payable ||
         (_parkd_pg_payment_event (conn, "PaymentProcessed", w->out, w->out->amount, now,
                                   error) &&
          confirm_if_paid_locked (conn, w->out->reservation_id, now, error));
}

static ParkdPayment *
pg_complete_checkout (ParkdStore  *store,
                      const char  *id,
                      const char  *provider_ref,
                      GError     **error)
{
  CheckoutWrite w = { id, provider_ref, NULL, FALSE };

  if (!_parkd_pg_transact (pg (store), FALSE, complete_checkout_tx, &w, error))
    {
      g_clear_pointer (&w.out, parkd_payment_free);
      return NULL;
    }
  /* The failure is written; the money is the caller's to give back. */
  if (w.refused)
    {
      g_clear_pointer (&w.out, parkd_payment_free);
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                           "This booking no longer takes this payment");
    }
  return w.out;
}

ParkdPayment *
_parkd_pg_apply_refund_locked (PgConn      *conn,
                               const char  *payment_id,
                               gint64       amount,
                               const char  *provider_ref,
                               const char  *reason,
                               const char  *now,
                               GError     **error)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *amount_text = _parkd_pg_int_param (amount);
  const char *params[] = { payment_id, amount_text, now };
  const char *refund[] = { id, payment_id, amount_text, provider_ref, reason, now };
  ParkdPayment *p;
  int changed = 0;

  if (!_parkd_pg_run_v (conn, SQL_PAYMENT_REFUND, params, &changed, error))
    return NULL;
  if (changed == 0)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                           "This payment cannot be refunded by that much");
      return NULL;
    }
  if (!_parkd_pg_run_v (conn, SQL_INSERT_REFUND, refund, NULL, error))
    return NULL;
  p = _parkd_pg_load_payment (conn, SQL_PAYMENT_BY_ID, payment_id, NULL, error);
  if (p != NULL && !_parkd_pg_payment_event (conn, "PaymentRefunded", p, amount, now, error))
    g_clear_pointer (&p, parkd_payment_free);
  return p;
}

typedef struct
{
  const char   *payment_id;
  gint64        amount;
  const char   *provider_ref;
  const char   *reason;
  ParkdPayment *out;
} RefundWrite;

static gboolean
record_refund_tx (PgConn   *conn,
                  gpointer  data,
                  GError  **error)
{
  RefundWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();

  g_clear_pointer (&w->out, parkd_payment_free);
  w->out = _parkd_pg_apply_refund_locked (conn, w->payment_id, w->amount, w->provider_ref,
                                          w->reason, now, error);
  return w->out != NULL;
}

static ParkdPayment *
pg_record_refund (ParkdStore  *store,
                  const char  *payment_id,
                  gint64       amount,
                  const char  *provider_ref,
                  const char  *reason,
                  GError     **error)
{
  RefundWrite w = { payment_id, amount, provider_ref, reason, NULL };

  if (!_parkd_pg_transact (pg (store), FALSE, record_refund_tx, &w, error))
    g_clear_pointer (&w.out, parkd_payment_free);
  return w.out;
}

/* ---- Card refunds owed -------------------------------------------------------------- */

static gpointer
refund_due_row (const PGresult *res,
                int             row)
{
  ParkdRefundDue *due = g_new0 (ParkdRefundDue, 1);

  due->id = _parkd_pg_int (res, row, 0);
  due->provider_ref = _parkd_pg_dup (res, row, 1);
  due->payment_id = _parkd_pg_dup (res, row, 2);
  due->amount = _parkd_pg_int (res, row, 3);
  due->currency = _parkd_pg_dup (res, row, 4);
  due->operator_id = _parkd_pg_dup (res, row, 5);
  due->reason = _parkd_pg_dup (res, row, 6);
  due->idem_key = _parkd_pg_dup (res, row, 7);
  due->attempts = _parkd_pg_int (res, row, 8);
  due->last_error = _parkd_pg_dup (res, row, 9);
  due->created_at = _parkd_pg_dup (res, row, 10);
  due->done_at = _parkd_pg_dup (res, row, 11);
  due->refund_ref = _parkd_pg_dup (res, row, 12);
  return due;
}

static ParkdRefundDue *
load_refund_due (PgConn      *conn,
                 const char  *sql,
                 const char  *key,
                 GError     **error)
{
  return _parkd_pg_load_row_on (conn, sql, key, NULL, refund_due_row,
                                "There is no such refund owed", error);
}

typedef struct
{
  const ParkdRefundDue *due;
  const ParkdAudit     *audit;
  ParkdRefundDue       *out;
} RefundDueWrite;

static gboolean
add_refund_due_tx (PgConn   *conn,
                   gpointer  data,
                   GError  **error)
{
  RefundDueWrite *w = data;
  const ParkdRefundDue *due = w->due;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *amount = _parkd_pg_int_param (due->amount);
  const char *params[] = { due->provider_ref, due->payment_id, amount, due->currency,
                           due->operator_id, due->reason, due->idem_key, now };
  int inserted = 0;

  g_clear_pointer (&w->out, parkd_refund_due_free);
  /* Money recorded as a payment is accounted for: voiding it too would give it back twice
   * over (the record and the void race; serializable transactions order them). */
  if (due->payment_id == NULL)
    {
      const char *ref[] = { due->provider_ref };
      g_autoptr(PGresult) res = _parkd_pg_query_v (conn, SQL_CHARGE_RECORDED, ref, error);

      if (res == NULL)
        return FALSE;
      if (PQntuples (res) > 0)
        {
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                               "This card payment is recorded; it is not voided");
          return FALSE;
        }
    }
  if (!_parkd_pg_run_v (conn, SQL_INSERT_REFUND_DUE, params, &inserted, error))
    return FALSE;
  w->out = due->payment_id == NULL ? load_refund_due (conn, SQL_VOID_OF, due->provider_ref, error)
                                   : load_refund_due (conn, SQL_REFUND_DUE_BY_KEY, due->idem_key,
                                                      error);
  if (w->out != NULL && inserted > 0 && w->audit != NULL)
    {
      g_autofree char *object_id = g_strdup_printf ("%" G_GINT64_FORMAT, w->out->id);

      if (!_parkd_pg_audit_locked (conn, w->audit, now, object_id, error))
        return FALSE;
    }
  return w->out != NULL;
}

static ParkdRefundDue *
pg_add_refund_due (ParkdStore            *store,
                   const ParkdRefundDue  *due,
                   const ParkdAudit      *audit,
                   GError               **error)
{
  RefundDueWrite w = { due, audit, NULL };

  if (!_parkd_pg_transact (pg (store), FALSE, add_refund_due_tx, &w, error))
    g_clear_pointer (&w.out, parkd_refund_due_free);
  return w.out;
}

static ParkdRefundDue *
pg_get_void (ParkdStore  *store,
             const char  *provider_ref,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  ParkdRefundDue *row = _parkd_pg_load_row (pg (store), SQL_VOID_OF, provider_ref, NULL,
                                            refund_due_row, "There is no such refund owed",
                                            &local_error);

  /* None is no error: NULL without one. */
  if (row == NULL && !g_error_matches (local_error, PARKD_STORE_ERROR,
                                       PARKD_STORE_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return row;
}

static GPtrArray *
pg_list_refunds_due (ParkdStore  *store,
                     guint        limit,
                     GError     **error)
{
  g_autofree char *limit_text = _parkd_pg_int_param (limit);
  const char *params[] = { limit_text };

  return _parkd_pg_read_list_v (pg (store), SQL_REFUNDS_OWED, params, refund_due_row,
                                (GDestroyNotify) parkd_refund_due_free, error);
}

typedef struct
{
  gint64      id;
  const char *text;
} RefundDueUpdate;

static gboolean
finish_refund_due_tx (PgConn   *conn,
                      gpointer  data,
                      GError  **error)
{
  RefundDueUpdate *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, w->id);
  g_autoptr(ParkdRefundDue) due = load_refund_due (conn, SQL_REFUND_DUE_BY_ID, key, error);
  g_autoptr(ParkdPayment) refunded = NULL;
  const char *params[] = { key, now, w->text };

  if (due == NULL)
    return FALSE;
  if (due->done_at != NULL)
    return TRUE;
  if (!_parkd_pg_run_v (conn, SQL_REFUND_DUE_DONE, params, NULL, error))
    return FALSE;
  /* A void gives back money no payment row holds; a payment's refund shows on it. */
  if (due->payment_id != NULL)
    {
      refunded = _parkd_pg_apply_refund_locked (conn, due->payment_id, due->amount, w->text,
                                                due->reason, now, error);
      if (refunded == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
pg_finish_refund_due (ParkdStore  *store,
                      gint64       id,
                      const char  *refund_ref,
                      GError     **error)
{
  RefundDueUpdate w = { id, refund_ref };

  return _parkd_pg_transact (pg (store), FALSE, finish_refund_due_tx, &w, error);
}

static gboolean
fail_refund_due_tx (PgConn   *conn,
                    gpointer  data,
                    GError  **error)
{
  RefundDueUpdate *w = data;
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, w->id);
  const char *params[] = { key, w->text };

  return _parkd_pg_run_v (conn, SQL_REFUND_DUE_FAILED, params, NULL, error);
}

static gboolean
pg_fail_refund_due (ParkdStore  *store,
                    gint64       id,
                    const char  *message,
                    GError     **error)
{
  RefundDueUpdate w = { id, message };

  return _parkd_pg_transact (pg (store), FALSE, fail_refund_due_tx, &w, error);
}

/* ---- Discount codes and the cash report --------------------------------------------- */

static gpointer
discount_row (const PGresult *res,
              int             row)
{
  ParkdDiscount *d = g_new0 (ParkdDiscount, 1);

  d->id = _parkd_pg_dup (res, row, 0);
  d->operator_id = _parkd_pg_dup (res, row, 1);
  d->code = _parkd_pg_dup (res, row, 2);
  d->percent_off = _parkd_pg_int (res, row, 3);
  d->amount_off = _parkd_pg_int (res, row, 4);
  d->max_uses = _parkd_pg_int (res, row, 5);
  d->uses = _parkd_pg_int (res, row, 6);
  d->expires_at = _parkd_pg_dup (res, row, 7);
  d->created_at = _parkd_pg_dup (res, row, 8);
  return d;
}

typedef struct
{
  const ParkdDiscount *want;
  const ParkdAudit    *audit;
  ParkdDiscount       *out;
} DiscountWrite;

static gboolean
create_discount_tx (PgConn   *conn,
                    gpointer  data,
                    GError  **error)
{
  DiscountWrite *w = data;
  const ParkdDiscount *want = w->want;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *code = g_ascii_strup (want->code, -1);
  g_autofree char *percent = want->percent_off > 0 ? _parkd_pg_int_param (want->percent_off)
                                                   : NULL;
  g_autofree char *amount = want->amount_off > 0 ? _parkd_pg_int_param (want->amount_off) : NULL;
  g_autofree char *max_uses = want->max_uses > 0 ? _parkd_pg_int_param (want->max_uses) : NULL;
  const char *params[] = { id, want->operator_id, code, percent, amount, max_uses,
                           want->expires_at, now };
  g_autoptr(PGresult) res = NULL;

  g_clear_pointer (&w->out, parkd_discount_free);
  res = _parkd_pg_query_v (conn, SQL_INSERT_DISCOUNT, params, NULL);
  if (res == NULL)
    return _parkd_pg_set_write_error (error, conn, "discount",
                                      "This operator has this discount code already",
                                      "Invalid discount code", "No such operator");
  w->out = _parkd_pg_load_row_on (conn, SQL_DISCOUNT_BY_ID, id, NULL, discount_row,
                                  "There is no such discount code", error);
  return w->out != NULL &&
         (w->audit == NULL || _parkd_pg_audit_locked (conn, w->audit, now, id, error));
}

static ParkdDiscount *
pg_create_discount (ParkdStore           *store,
                    const ParkdDiscount  *want,
                    const ParkdAudit     *audit,
                    GError              **error)
{
  DiscountWrite w = { want, audit, NULL };

  if (!_parkd_pg_transact (pg (store), FALSE, create_discount_tx, &w, error))
    g_clear_pointer (&w.out, parkd_discount_free);
  return w.out;
}

static ParkdDiscount *
pg_find_discount (ParkdStore  *store,
                  const char  *operator_id,
                  const char  *code,
                  GError     **error)
{
  return _parkd_pg_load_row (pg (store), SQL_DISCOUNT_BY_CODE, operator_id, code, discount_row,
                             "There is no such discount code", error);
}

static ParkdPage *
pg_list_discounts (ParkdStore  *store,
                   const char  *operator_id,
                   guint        page,
                   guint        per_page,
                   GError     **error)
{
  return _parkd_pg_read_page (pg (store), SQL_DISCOUNTS_COUNT, SQL_DISCOUNTS_PAGE, operator_id,
                              NULL, page, per_page, discount_row,
                              (GDestroyNotify) parkd_discount_free, error);
}

typedef struct
{
  const char       *operator_id;
  const char       *id;
  const ParkdAudit *audit;
} DiscountDelete;

static gboolean
delete_discount_tx (PgConn   *conn,
                    gpointer  data,
                    GError  **error)
{
  DiscountDelete *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  const char *params[] = { w->id, w->operator_id };
  int changed = 0;

  if (!_parkd_pg_run_v (conn, SQL_DELETE_DISCOUNT, params, &changed, error) ||
      !_parkd_pg_require_change (changed, "There is no such discount code", error))
    return FALSE;
  return w->audit == NULL || _parkd_pg_audit_locked (conn, w->audit, now, w->id, error);
}

static gboolean
pg_delete_discount (ParkdStore        *store,
                    const char        *operator_id,
                    const char        *id,
                    const ParkdAudit  *audit,
                    GError           **error)
{
  DiscountDelete w = { operator_id, id, audit };

  return _parkd_pg_transact (pg (store), FALSE, delete_discount_tx, &w, error);
}

static gpointer
cash_line_row (const PGresult *res,
               int             row)
{
  ParkdCashLine *line = g_new0 (ParkdCashLine, 1);

  line->attendant_id = _parkd_pg_dup (res, row, 0);
  line->attendant_email = _parkd_pg_dup (res, row, 1);
  line->payments = _parkd_pg_int (res, row, 2);
  line->taken = _parkd_pg_int (res, row, 3);
  line->refunded = _parkd_pg_int (res, row, 4);
  line->currency = _parkd_pg_dup (res, row, 5);
  return line;
}

static GPtrArray *
pg_cash_report (ParkdStore  *store,
                const char  *operator_id,
                const char  *attendant_id,
                const char  *from,
                const char  *to,
                GError     **error)
{
  const char *params[] = { operator_id, attendant_id, from, to };

  return _parkd_pg_read_list_v (pg (store), SQL_CASH_REPORT, params, cash_line_row,
                                (GDestroyNotify) parkd_cash_line_free, error);
}

void
_parkd_pg_payments_vtable (ParkdStoreVTable *vtable)
{
  vtable->record_payment = pg_record_payment;
  vtable->get_payment = pg_get_payment;
  vtable->list_payments = pg_list_payments;
  vtable->set_payment_status = pg_set_payment_status;
  vtable->list_stay_payments = pg_list_stay_payments;
  vtable->complete_checkout = pg_complete_checkout;
  vtable->record_refund = pg_record_refund;
  vtable->add_refund_due = pg_add_refund_due;
  vtable->get_void = pg_get_void;
  vtable->list_refunds_due = pg_list_refunds_due;
  vtable->finish_refund_due = pg_finish_refund_due;
  vtable->fail_refund_due = pg_fail_refund_due;
  vtable->create_discount = pg_create_discount;
  vtable->find_discount = pg_find_discount;
  vtable->list_discounts = pg_list_discounts;
  vtable->delete_discount = pg_delete_discount;
  vtable->cash_report = pg_cash_report;
}
