/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-sqlite-devices.c: what the embedded store does alike for every device known by
 * the hash of its key (sensors, parkd-store-sqlite-sensors.c; kiosks,
 * parkd-store-sqlite-kiosks.c): make one at one of its operator's lots (or none), revoke its
 * key, find it by its key. Each table keeps its own columns and statements
 * (ParkdSqliteDevices).
 */
#include "config.h"

#include "parkd-store-sqlite-private.h"

static const char SQL_LOT_OF_OPERATOR[] =
  "SELECT pk FROM parking_lots WHERE id = ?1 AND operator_id = ?2";

/* The first row of @stmt (its bindings made) as a device; NOT_FOUND when there is none. */
static gpointer
step_device (Conn                     *conn,
             const ParkdSqliteDevices *table,
             sqlite3_stmt             *stmt,
             GError                  **error)
{
  gpointer device = NULL;
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    device = table->row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                         table->not_found);
  else
    _parkd_sqlite_set_error (error, conn->db, rc, table->noun);
  sqlite3_reset (stmt);
  return device;
}

gpointer
_parkd_sqlite_create_device (ParkdStoreSqlite          *self,
                             const ParkdSqliteDevices  *table,
                             const char                *operator_id,
                             const char                *lot_id,
                             const char                *name,
                             GBytes                    *key_hash,
                             const ParkdAudit          *audit,
                             GError                   **error)
{
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *id = g_uuid_string_random ();
  gpointer device = NULL;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  gint64 lot_pk = 0;
  int rc;

  if (conn == NULL)
    return NULL;

  /* The lot a device is kept to is one of its operator's, checked where it is written. */
  if (lot_id != NULL)
    {
      stmt = _parkd_sqlite_conn_prepare (conn, SQL_LOT_OF_OPERATOR, error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_text (stmt, 1, lot_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, operator_id, -1, SQLITE_STATIC);
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
    }

  stmt = _parkd_sqlite_conn_prepare (conn, table->sql_insert, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, operator_id, -1, SQLITE_STATIC);
  if (lot_id != NULL)
    sqlite3_bind_int64 (stmt, 3, lot_pk);
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_text (stmt, 4, name, -1, SQLITE_STATIC);
  _parkd_sqlite_bind_bytes (stmt, 5, key_hash);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _parkd_sqlite_set_write_error (error, conn->db, rc, table->noun, NULL, table->invalid,
                                     "No such operator");
      goto out;
    }

  stmt = _parkd_sqlite_conn_prepare (conn, table->sql_by_id, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  device = step_device (conn, table, stmt, error);
  ok = device != NULL &&
       (audit == NULL || _parkd_sqlite_audit_locked (conn, audit, now, id, error));

out:
  if (!_parkd_sqlite_write_end (self, ok, error))
    g_clear_pointer (&device, table->free);
  return device;
}

gboolean
_parkd_sqlite_revoke_device (ParkdStoreSqlite          *self,
                             const ParkdSqliteDevices  *table,
                             const char                *operator_id,
                             const char                *id,
                             const ParkdAudit          *audit,
                             GError                   **error)
{
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *device_operator = NULL;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE, revoked_before = FALSE;
  int rc;

  if (conn == NULL)
    return FALSE;
  stmt = _parkd_sqlite_conn_prepare (conn, table->sql_operator, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, operator_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      device_operator = _parkd_sqlite_column_dup (stmt, 0);
      revoked_before = sqlite3_column_type (stmt, 1) != SQLITE_NULL;
    }
  else if (rc == SQLITE_DONE)
    g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                         table->not_found);
  else
    _parkd_sqlite_set_error (error, conn->db, rc, table->noun);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    goto out;

  /* Revoked before: the first revocation's time stands, and nothing new goes in the log. */
  if (revoked_before)
    {
      ok = TRUE;
      goto out;
    }
  stmt = _parkd_sqlite_conn_prepare (conn, table->sql_revoke, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _parkd_sqlite_set_error (error, conn->db, rc, table->noun);
      goto out;
    }
  if (audit != NULL)
    {
      /* An admin's revocation shows in the device's operator's log too. */
      ParkdAudit entry = *audit;

      if (entry.operator_id == NULL)
        entry.operator_id = device_operator;
      ok = _parkd_sqlite_audit_locked (conn, &entry, now, id, error);
    }
  else
    ok = TRUE;

out:
  return _parkd_sqlite_write_end (self, ok, error);
}

gpointer
_parkd_sqlite_get_device_by_key (ParkdStoreSqlite          *self,
                                 const ParkdSqliteDevices  *table,
                                 GBytes                    *key_hash,
                                 GError                   **error)
{
  gpointer device;
  sqlite3_stmt *stmt;
  Conn *conn;

  stmt = _parkd_sqlite_reader_prepare (self, table->sql_by_key, &conn, error);
  if (stmt == NULL)
    return NULL;
  _parkd_sqlite_bind_bytes (stmt, 1, key_hash);
  device = step_device (conn, table, stmt, error);
  _parkd_sqlite_give_reader (self, conn);
  return device;
}
