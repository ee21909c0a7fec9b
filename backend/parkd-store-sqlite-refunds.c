/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-sqlite-refunds.c: card refunds parkd owes, in the embedded store (schema:
 * sql/008-card-refunds.sql). Each is written before Stripe is asked, and marked done, with
 * the payment it gives back, in one transaction once Stripe took it.
 */

#include "config.h"

#include "parkd-store-sqlite-private.h"

#define REFUND_DUE_SELECT \
  "SELECT id, provider_ref, payment_id, amount, currency, operator_id, reason, idem_key, " \
  "attempts, last_error, created_at, done_at, refund_ref FROM card_refunds_due "

static const char SQL_REFUND_DUE_BY_KEY[] = REFUND_DUE_SELECT "WHERE idem_key = ?1";
static const char SQL_VOID_OF[] =
  REFUND_DUE_SELECT "WHERE provider_ref = ?1 AND payment_id IS NULL";
static const char SQL_REFUNDS_OWED[] =
  REFUND_DUE_SELECT "WHERE done_at IS NULL ORDER BY id LIMIT ?1";
static const char SQL_REFUND_DUE_BY_ID[] = REFUND_DUE_SELECT "WHERE id = ?1";
static const char SQL_CHARGE_RECORDED[] =
  "SELECT 1 FROM payments WHERE provider = 'stripe' AND provider_ref = ?1";
/* A second void of one charge, or the same key again: the row written first stands. */
static const char SQL_INSERT_REFUND_DUE[] =
  "INSERT INTO card_refunds_due (provider_ref, payment_id, amount, currency, operator_id, "
  "reason, idem_key, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING";
static const char SQL_REFUND_DUE_DONE[] =
  "UPDATE card_refunds_due SET done_at = ?2, refund_ref = ?3, attempts = attempts + 1, "
  "last_error = NULL WHERE id = ?1 AND done_at IS NULL";
static const char SQL_REFUND_DUE_FAILED[] =
  "UPDATE card_refunds_due SET attempts = attempts + 1, last_error = ?2 "
  "WHERE id = ?1 AND done_at IS NULL";

static ParkdRefundDue *
refund_due_from_row (sqlite3_stmt *stmt)
{
  ParkdRefundDue *due = g_new0 (ParkdRefundDue, 1);

  due->id = sqlite3_column_int64 (stmt, 0);
  due->provider_ref = _parkd_sqlite_column_dup (stmt, 1);
  due->payment_id = _parkd_sqlite_column_dup (stmt, 2);
  due->amount = sqlite3_column_int64 (stmt, 3);
  due->currency = _parkd_sqlite_column_dup (stmt, 4);
  due->operator_id = _parkd_sqlite_column_dup (stmt, 5);
  due->reason = _parkd_sqlite_column_dup (stmt, 6);
  due->idem_key = _parkd_sqlite_column_dup (stmt, 7);
  due->attempts = sqlite3_column_int (stmt, 8);
  due->last_error = _parkd_sqlite_column_dup (stmt, 9);
  due->created_at = _parkd_sqlite_column_dup (stmt, 10);
  due->done_at = _parkd_sqlite_column_dup (stmt, 11);
  due->refund_ref = _parkd_sqlite_column_dup (stmt, 12);
  return due;
}

static ParkdRefundDue *
load_refund_due (Conn        *conn,
                 const char  *sql,
                 const char  *key,
                 GError     **error)
{
  return _parkd_sqlite_load_row (conn, sql, key, NULL, (RowFunc) refund_due_from_row,
                                 "There is no such refund owed", error);
}

ParkdRefundDue *
_parkd_sqlite_add_refund_due (ParkdStore            *store,
                              const ParkdRefundDue  *due,
                              const ParkdAudit      *audit,
                              GError               **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  ParkdRefundDue *row = NULL;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  sqlite3_stmt *stmt;
  gboolean inserted;
  int rc;

  if (conn == NULL)
    return NULL;
  /* Money recorded as a payment is accounted for: voiding it too would give it back twice
   * over (the record and the void race; the writer's lock orders them). */
  if (due->payment_id == NULL)
    {
      stmt = _parkd_sqlite_conn_prepare (conn, SQL_CHARGE_RECORDED, error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_text (stmt, 1, due->provider_ref, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_ROW)
        {
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                               "This card payment is recorded; it is not voided");
          goto out;
        }
    }
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_REFUND_DUE, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, due->provider_ref, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, due->payment_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, due->amount);
  sqlite3_bind_text (stmt, 4, due->currency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, due->operator_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, due->reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, due->idem_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, now, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run (conn, stmt, "refund owed", error))
    goto out;
  inserted = sqlite3_changes (conn->db) > 0;
  row = due->payment_id == NULL
        ? load_refund_due (conn, SQL_VOID_OF, due->provider_ref, error)
        : load_refund_due (conn, SQL_REFUND_DUE_BY_KEY, due->idem_key, error);
  if (row != NULL && inserted && audit != NULL)
    {
      g_autofree char *object_id = g_strdup_printf ("%" G_GINT64_FORMAT, row->id);

      if (!_parkd_sqlite_audit_locked (conn, audit, now, object_id, error))
        g_clear_pointer (&row, parkd_refund_due_free);
    }

out:
  if (!_parkd_sqlite_write_end (self, row != NULL, error))
    g_clear_pointer (&row, parkd_refund_due_free);
  return row;
}

ParkdRefundDue *
_parkd_sqlite_get_void (ParkdStore  *store,
                        const char  *provider_ref,
                        GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autoptr(GError) local_error = NULL;
  ParkdRefundDue *row;
  Conn *conn = _parkd_sqlite_take_reader (self, error);

  if (conn == NULL)
    return NULL;
  row = load_refund_due (conn, SQL_VOID_OF, provider_ref, &local_error);
  _parkd_sqlite_give_reader (self, conn);
  if (row == NULL && !g_error_matches (local_error, PARKD_STORE_ERROR,
                                       PARKD_STORE_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return row;
}

GPtrArray *
_parkd_sqlite_list_refunds_due (ParkdStore  *store,
                                guint        limit,
                                GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  Conn *conn;
  sqlite3_stmt *stmt = _parkd_sqlite_reader_prepare (self, SQL_REFUNDS_OWED, &conn, error);
  GPtrArray *list;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  list = _parkd_sqlite_read_rows (conn, stmt, (RowFunc) refund_due_from_row,
                                  (GDestroyNotify) parkd_refund_due_free, "refunds owed", error);
  _parkd_sqlite_give_reader (self, conn);
  return list;
}

static gboolean
update_refund_due (Conn              *conn,
                   const char        *sql,
                   gint64             id,
                   const char        *text2,
                   const char        *text3,
                   GError           **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, text2, -1, SQLITE_STATIC);
  if (text3 != NULL)
    sqlite3_bind_text (stmt, 3, text3, -1, SQLITE_STATIC);
  return _parkd_sqlite_run (conn, stmt, "refund owed", error);
}

gboolean
_parkd_sqlite_finish_refund_due (ParkdStore  *store,
                                 gint64       id,
                                 const char  *refund_ref,
                                 GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(ParkdRefundDue) due = NULL;
  g_autoptr(ParkdPayment) refunded = NULL;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok = FALSE;

  if (conn == NULL)
    return FALSE;
  due = load_refund_due (conn, SQL_REFUND_DUE_BY_ID, key, error);
  if (due == NULL)
    goto out;
  if (due->done_at != NULL)
    {
      ok = TRUE;
      goto out;
    }
  if (!update_refund_due (conn, SQL_REFUND_DUE_DONE, id, now, refund_ref, error))
    goto out;
  /* A void gives back money no payment row holds; a payment's refund shows on it. */
  if (due->payment_id != NULL)
    {
      refunded = _parkd_sqlite_apply_refund_locked (conn, due->payment_id, due->amount,
                                                    refund_ref, due->reason, now, error);
      if (refunded == NULL)
        goto out;
    }
  ok = TRUE;

out:
  return _parkd_sqlite_write_end (self, ok, error) && ok;
}

gboolean
_parkd_sqlite_fail_refund_due (ParkdStore  *store,
                               gint64       id,
                               const char  *message,
                               GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok;

  if (conn == NULL)
    return FALSE;
  ok = update_refund_due (conn, SQL_REFUND_DUE_FAILED, id, message, NULL, error);
  return _parkd_sqlite_write_end (self, ok, error) && ok;
}
