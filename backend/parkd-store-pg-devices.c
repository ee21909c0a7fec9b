/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-pg-devices.c: what the PostgreSQL store does alike for every device known by
 * the hash of its key (sensors, parkd-store-pg-sensors.c; kiosks, parkd-store-pg-kiosks.c),
 * as parkd-store-sqlite-devices.c does it: make one at one of its operator's lots (or none),
 * revoke its key, find it by its key. Each table keeps its own columns and statements
 * (ParkdPgDevices).
 */
#include "config.h"

#include "parkd-store-pg-private.h"

static const char SQL_LOT_OF_OPERATOR[] =
  "SELECT pk FROM parking_lots WHERE id = $1 AND operator_id = $2";

typedef struct
{
  const ParkdPgDevices *table;
  const char           *operator_id;
  const char           *lot_id;
  const char           *name;
  GBytes               *key_hash;
  const ParkdAudit     *audit;
  gpointer              out;
} DeviceWrite;

static gboolean
create_device_tx (PgConn   *conn,
                  gpointer  data,
                  GError  **error)
{
  DeviceWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *lot_pk = NULL;
  g_autofree char *hash = _parkd_pg_bytes_param (w->key_hash);
  g_autoptr(PGresult) res = NULL;

  g_clear_pointer (&w->out, w->table->free);
  /* The lot a device is kept to is one of its operator's, checked where it is written. */
  if (w->lot_id != NULL)
    {
      const char *params[] = { w->lot_id, w->operator_id };

      res = _parkd_pg_query_v (conn, SQL_LOT_OF_OPERATOR, params, error);
      if (res == NULL)
        return FALSE;
      if (PQntuples (res) == 0)
        {
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                               "There is no such lot");
          return FALSE;
        }
      lot_pk = _parkd_pg_dup (res, 0, 0);
      g_clear_pointer (&res, PQclear);
    }
  {
    const char *params[] = { id, w->operator_id, lot_pk, w->name, hash, now };

    res = _parkd_pg_query_v (conn, w->table->sql_insert, params, NULL);
  }
  if (res == NULL)
    return _parkd_pg_set_write_error (error, conn, w->table->noun, NULL, w->table->invalid,
                                      "No such operator");
  w->out = _parkd_pg_load_row_on (conn, w->table->sql_by_id, id, NULL, w->table->row,
                                  w->table->not_found, error);
  return w->out != NULL &&
         (w->audit == NULL || _parkd_pg_audit_locked (conn, w->audit, now, id, error));
}

gpointer
_parkd_pg_create_device (ParkdStorePg          *self,
                         const ParkdPgDevices  *table,
                         const char            *operator_id,
                         const char            *lot_id,
                         const char            *name,
                         GBytes                *key_hash,
                         const ParkdAudit      *audit,
                         GError               **error)
{
  DeviceWrite w = { table, operator_id, lot_id, name, key_hash, audit, NULL };

  if (!_parkd_pg_transact (self, FALSE, create_device_tx, &w, error))
    g_clear_pointer (&w.out, table->free);
  return w.out;
}

typedef struct
{
  const ParkdPgDevices *table;
  const char           *operator_id;
  const char           *id;
  const ParkdAudit     *audit;
} RevokeWrite;

static gboolean
revoke_device_tx (PgConn   *conn,
                  gpointer  data,
                  GError  **error)
{
  RevokeWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  const char *params[] = { w->id, w->operator_id };
  const char *revoke[] = { w->id, now };
  g_autoptr(PGresult) res = _parkd_pg_query_v (conn, w->table->sql_operator, params, error);
  g_autoptr(PGresult) done = NULL;

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                           w->table->not_found);
      return FALSE;
    }
  /* Revoked before: the first revocation's time stands, and nothing new goes in the log. */
  if (!PQgetisnull (res, 0, 1))
    return TRUE;
  done = _parkd_pg_query_v (conn, w->table->sql_revoke, revoke, error);
  if (done == NULL)
    return FALSE;
  if (w->audit != NULL)
    {
      /* An admin's revocation shows in the device's operator's log too. */
      ParkdAudit entry = *w->audit;

      if (entry.operator_id == NULL)
        entry.operator_id = PQgetvalue (res, 0, 0);
      return _parkd_pg_audit_locked (conn, &entry, now, w->id, error);
    }
  return TRUE;
}

gboolean
_parkd_pg_revoke_device (ParkdStorePg          *self,
                         const ParkdPgDevices  *table,
                         const char            *operator_id,
                         const char            *id,
                         const ParkdAudit      *audit,
                         GError               **error)
{
  RevokeWrite w = { table, operator_id, id, audit };

  return _parkd_pg_transact (self, FALSE, revoke_device_tx, &w, error);
}

typedef struct
{
  const ParkdPgDevices *table;
  GBytes               *key_hash;
  gpointer              out;
} KeyRead;

static gboolean
device_by_key_tx (PgConn   *conn,
                  gpointer  data,
                  GError  **error)
{
  KeyRead *r = data;
  g_autofree char *hash = _parkd_pg_bytes_param (r->key_hash);

  r->out = _parkd_pg_load_row_on (conn, r->table->sql_by_key, hash, NULL, r->table->row,
                                  r->table->not_found, error);
  return r->out != NULL;
}

gpointer
_parkd_pg_get_device_by_key (ParkdStorePg          *self,
                             const ParkdPgDevices  *table,
                             GBytes                *key_hash,
                             GError               **error)
{
  KeyRead r = { table, key_hash, NULL };

  /* From the primary: a key revoked a moment ago is refused at once. */
  if (!_parkd_pg_transact_full (self, PG_TX_ONE_READ_PRIMARY, device_by_key_tx, &r, error))
    return NULL;
  return r.out;
}
