/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-sqlite-kiosks.c: kiosks in the embedded store (schema: sql/009-kiosks.sql).
 *
 * A kiosk is known by the hash of its key, like a sensor, and is made, revoked and found by
 * its key as one (parkd-store-sqlite-devices.c). It stands at one of its operator's lots,
 * which is checked in the transaction that makes it.
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

static const ParkdSqliteDevices kiosks = {
  .noun = "kiosk",
  .not_found = "There is no such kiosk",
  .invalid = "Invalid kiosk",
  .sql_by_id = SQL_KIOSK_BY_ID,
  .sql_by_key = SQL_KIOSK_BY_KEY,
  .sql_insert = SQL_INSERT_KIOSK,
  .sql_operator = SQL_KIOSK_OPERATOR,
  .sql_revoke = SQL_REVOKE_KIOSK,
  .row = kiosk_row,
  .free = (GDestroyNotify) parkd_kiosk_free,
};

ParkdKiosk *
_parkd_sqlite_create_kiosk (ParkdStore        *store,
                            const ParkdKiosk  *want,
                            GBytes            *key_hash,
                            const ParkdAudit  *audit,
                            GError           **error)
{
  return _parkd_sqlite_create_device ((ParkdStoreSqlite *) store, &kiosks, want->operator_id,
                                      want->lot_id, want->name, key_hash, audit, error);
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
  return _parkd_sqlite_revoke_device ((ParkdStoreSqlite *) store, &kiosks, operator_id, id,
                                      audit, error);
}

ParkdKiosk *
_parkd_sqlite_get_kiosk_by_key (ParkdStore  *store,
                                GBytes      *key_hash,
                                GError     **error)
{
  return _parkd_sqlite_get_device_by_key ((ParkdStoreSqlite *) store, &kiosks, key_hash, error);
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
