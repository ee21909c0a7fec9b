/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-sqlite-kiosks.c: kiosks in the embedded store (schema: sql/009-kiosks.sql).
 *
 * A kiosk is known by the hash of its key, like a sensor. It stands at one of its operator's
 * lots, which is checked in the transaction that makes it.
 */
#include "config.h"

#include "parkd-store-sqlite-private.h"

#define KIOSK_SELECT \
  "SELECT k.id, k.operator_id, l.id, l.name, k.name, k.created_at, k.revoked_at " \
  "FROM kiosk_devices k JOIN parking_lots l ON l.pk = k.lot_pk "

static const char SQL_KIOSK_BY_ID[] = KIOSK_SELECT "WHERE k.id = ?1";
static const char SQL_KIOSK_BY_KEY[] = KIOSK_SELECT "WHERE k.key_hash = ?1";
static const char SQL_GUEST_BOOKINGS[] =
  "SELECT count(*), min (created_at) FROM reservations WHERE kiosk_id = ?1 AND created_at >= ?2";
static const char SQL_KIOSKS_PAGE[] =
  KIOSK_SELECT "WHERE (?1 IS NULL OR k.operator_id = ?1) "
  "ORDER BY k.created_at DESC, k.id LIMIT ?2 OFFSET ?3";
static const char SQL_KIOSKS_COUNT[] =
  "SELECT count(*) FROM kiosk_devices WHERE (?1 IS NULL OR operator_id = ?1)";
static const char SQL_LOT_OF_OPERATOR[] =
  "SELECT pk FROM parking_lots WHERE id = ?1 AND operator_id = ?2";
static const char SQL_INSERT_KIOSK[] =
  "INSERT INTO kiosk_devices (id, operator_id, lot_pk, name, key_hash, created_at) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_KIOSK_OPERATOR[] =
  "SELECT operator_id, revoked_at FROM kiosk_devices "
  " WHERE id = ?1 AND (?2 IS NULL OR operator_id = ?2)";
static const char SQL_REVOKE_KIOSK[] =
  "UPDATE kiosk_devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL";

static gpointer
kiosk_row (sqlite3_stmt *stmt)
{
  ParkdKiosk *kiosk = g_new0 (ParkdKiosk, 1);

  kiosk->id = _parkd_sqlite_column_dup (stmt, 0);
  kiosk->operator_id = _parkd_sqlite_column_dup (stmt, 1);
  kiosk->lot_id = _parkd_sqlite_column_dup (stmt, 2);
  kiosk->lot_name = _parkd_sqlite_column_dup (stmt, 3);
  kiosk->name = _parkd_sqlite_column_dup (stmt, 4);
  kiosk->created_at = _parkd_sqlite_column_dup (stmt, 5);
  kiosk->revoked_at = _parkd_sqlite_column_dup (stmt, 6);
  return kiosk;
}

/* The first row of @stmt (its bindings made) as a kiosk; NOT_FOUND when there is none. */
static ParkdKiosk *
step_kiosk (Conn          *conn,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  ParkdKiosk *kiosk = NULL;
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    kiosk = kiosk_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                         "There is no such kiosk");
  else
    _parkd_sqlite_set_error (error, conn->db, rc, "kiosk");
  sqlite3_reset (stmt);
  return kiosk;
}

ParkdKiosk *
_parkd_sqlite_create_kiosk (ParkdStore        *store,
                            const ParkdKiosk  *want,
                            GBytes            *key_hash,
                            const ParkdAudit  *audit,
                            GError           **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *id = g_uuid_string_random ();
  ParkdKiosk *kiosk = NULL;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  gint64 lot_pk = 0;
  int rc;

  if (conn == NULL)
    return NULL;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_LOT_OF_OPERATOR, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, want->lot_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, want->operator_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    lot_pk = sqlite3_column_int64 (stmt, 0);
  else if (rc == SQLITE_DONE)
    g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                         "There is no such lot");
  else
    _parkd_sqlite_set_error (error, conn->db, rc, "lot");
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    goto out;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_KIOSK, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, want->operator_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, lot_pk);
  sqlite3_bind_text (stmt, 4, want->name, -1, SQLITE_STATIC);
  _parkd_sqlite_bind_bytes (stmt, 5, key_hash);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _parkd_sqlite_set_write_error (error, conn->db, rc, "kiosk", NULL, "Invalid kiosk",
                                     "No such operator");
      goto out;
    }

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_KIOSK_BY_ID, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  kiosk = step_kiosk (conn, stmt, error);
  ok = kiosk != NULL &&
       (audit == NULL || _parkd_sqlite_audit_locked (conn, audit, now, id, error));

out:
  if (!_parkd_sqlite_write_end (self, ok, error))
    g_clear_pointer (&kiosk, parkd_kiosk_free);
  return kiosk;
}

ParkdPage *
_parkd_sqlite_list_kiosks (ParkdStore  *store,
                           const char  *operator_id,
                           guint        page,
                           guint        per_page,
                           GError     **error)
{
  return _parkd_sqlite_read_page ((ParkdStoreSqlite *) store, SQL_KIOSKS_COUNT,
                                  SQL_KIOSKS_PAGE, operator_id, NULL, page, per_page,
                                  kiosk_row, (GDestroyNotify) parkd_kiosk_free, error);
}

gboolean
_parkd_sqlite_revoke_kiosk (ParkdStore        *store,
                            const char        *operator_id,
                            const char        *id,
                            const ParkdAudit  *audit,
                            GError           **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *kiosk_operator = NULL;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE, revoked_before = FALSE;
  int rc;

  if (conn == NULL)
    return FALSE;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_KIOSK_OPERATOR, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, operator_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      kiosk_operator = _parkd_sqlite_column_dup (stmt, 0);
      revoked_before = sqlite3_column_type (stmt, 1) != SQLITE_NULL;
    }
  else if (rc == SQLITE_DONE)
    g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                         "There is no such kiosk");
  else
    _parkd_sqlite_set_error (error, conn->db, rc, "kiosk");
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    goto out;

  /* Revoked before: the first revocation's time stands, and nothing new goes in the log. */
  if (revoked_before)
    {
      ok = TRUE;
      goto out;
    }
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_REVOKE_KIOSK, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _parkd_sqlite_set_error (error, conn->db, rc, "kiosk");
      goto out;
    }
  if (audit != NULL)
    {
      /* An admin's revocation shows in the kiosk's operator's log too. */
      ParkdAudit entry = *audit;

      if (entry.operator_id == NULL)
        entry.operator_id = kiosk_operator;
      ok = _parkd_sqlite_audit_locked (conn, &entry, now, id, error);
    }
  else
    ok = TRUE;

out:
  return _parkd_sqlite_write_end (self, ok, error);
}

ParkdKiosk *
_parkd_sqlite_get_kiosk_by_key (ParkdStore  *store,
                                GBytes      *key_hash,
                                GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  ParkdKiosk *kiosk;
  sqlite3_stmt *stmt;
  Conn *conn;

  stmt = _parkd_sqlite_reader_prepare (self, SQL_KIOSK_BY_KEY, &conn, error);
  if (stmt == NULL)
    return NULL;
  _parkd_sqlite_bind_bytes (stmt, 1, key_hash);
  kiosk = step_kiosk (conn, stmt, error);
  _parkd_sqlite_give_reader (self, conn);
  return kiosk;
}

/* Committed bookings only: a reader sees each as soon as its transaction is in. */
gint64
_parkd_sqlite_count_guest_bookings (ParkdStore  *store,
                                    const char  *kiosk_id,
                                    const char  *since,
                                    char       **oldest,
                                    GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  sqlite3_stmt *stmt;
  gint64 n = -1;
  Conn *conn;
  int rc;

  stmt = _parkd_sqlite_reader_prepare (self, SQL_GUEST_BOOKINGS, &conn, error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, kiosk_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, since, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      n = sqlite3_column_int64 (stmt, 0);
      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        *oldest = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  else
    _parkd_sqlite_set_error (error, conn->db, rc, "guest bookings");
  sqlite3_reset (stmt);
  _parkd_sqlite_give_reader (self, conn);
  return n;
}
