/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-pg-kiosks.c: kiosks on PostgreSQL, as parkd-store-sqlite-kiosks.c has them: a
 * kiosk is known by the hash of its key, made, revoked and found by it as a sensor is
 * (parkd-store-pg-devices.c), and stands at one of its operator's lots.
 */
#include "config.h"

#include "parkd-store-pg-private.h"

#define KIOSK_SELECT \
  "SELECT k.id, k.operator_id, l.id, l.name, k.name, k.created_at, k.revoked_at " \
  "FROM kiosk_devices k JOIN parking_lots l ON l.pk = k.lot_pk "

static const char SQL_KIOSK_BY_ID[] = KIOSK_SELECT "WHERE k.id = $1";
static const char SQL_KIOSK_BY_KEY[] = KIOSK_SELECT "WHERE k.key_hash = $1";
static const char SQL_KIOSKS_PAGE[] =
  KIOSK_SELECT "WHERE ($3::text IS NULL OR k.operator_id = $3::text) "
  "ORDER BY k.created_at DESC, k.id LIMIT $1 OFFSET $2";
static const char SQL_KIOSKS_COUNT[] =
  "SELECT count(*) FROM kiosk_devices WHERE ($1::text IS NULL OR operator_id = $1::text)";
static const char SQL_INSERT_KIOSK[] =
  "INSERT INTO kiosk_devices (id, operator_id, lot_pk, name, key_hash, created_at) "
  "VALUES ($1, $2, $3, $4, $5, $6)";
static const char SQL_KIOSK_OPERATOR[] =
  "SELECT operator_id, revoked_at FROM kiosk_devices "
  " WHERE id = $1 AND ($2::text IS NULL OR operator_id = $2::text)";
static const char SQL_REVOKE_KIOSK[] =
  "UPDATE kiosk_devices SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";

static ParkdStorePg *
pg (ParkdStore *store)
{
  return (ParkdStorePg *) store;
}

static gpointer
kiosk_row (const PGresult *res,
           int             row)
{
  ParkdKiosk *kiosk = g_new0 (ParkdKiosk, 1);

  kiosk->id = _parkd_pg_dup (res, row, 0);
  kiosk->operator_id = _parkd_pg_dup (res, row, 1);
  kiosk->lot_id = _parkd_pg_dup (res, row, 2);
  kiosk->lot_name = _parkd_pg_dup (res, row, 3);
  kiosk->name = _parkd_pg_dup (res, row, 4);
  kiosk->created_at = _parkd_pg_dup (res, row, 5);
  kiosk->revoked_at = _parkd_pg_dup (res, row, 6);
  return kiosk;
}

static const ParkdPgDevices kiosks = {
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

static ParkdKiosk *
pg_create_kiosk (ParkdStore        *store,
                 const ParkdKiosk  *want,
                 GBytes            *key_hash,
                 const ParkdAudit  *audit,
                 GError           **error)
{
  return _parkd_pg_create_device (pg (store), &kiosks, want->operator_id, want->lot_id,
                                  want->name, key_hash, audit, error);
}

static ParkdPage *
pg_list_kiosks (ParkdStore  *store,
                const char  *operator_id,
                guint        page,
                guint        per_page,
                GError     **error)
{
  return _parkd_pg_read_page (pg (store), SQL_KIOSKS_COUNT, SQL_KIOSKS_PAGE, operator_id,
                              NULL, page, per_page, kiosk_row,
                              (GDestroyNotify) parkd_kiosk_free, error);
}

static gboolean
pg_revoke_kiosk (ParkdStore        *store,
                 const char        *operator_id,
                 const char        *id,
                 const ParkdAudit  *audit,
                 GError           **error)
{
  return _parkd_pg_revoke_device (pg (store), &kiosks, operator_id, id, audit, error);
}

static ParkdKiosk *
pg_get_kiosk_by_key (ParkdStore  *store,
                     GBytes      *key_hash,
                     GError     **error)
{
  return _parkd_pg_get_device_by_key (pg (store), &kiosks, key_hash, error);
}

static const char SQL_GUEST_BOOKINGS[] =
  "SELECT count(*), min (created_at) FROM reservations WHERE kiosk_id = $1 AND created_at >= $2";

typedef struct
{
  const char *kiosk_id, *since;
  gint64      n;
  char       *oldest;
} GuestCount;

static gboolean
guest_count_tx (PgConn   *conn,
                gpointer  data,
                GError  **error)
{
  GuestCount *c = data;
  const char *params[] = { c->kiosk_id, c->since };
  g_autoptr(PGresult) res = _parkd_pg_query_v (conn, SQL_GUEST_BOOKINGS, params, error);

  if (res == NULL)
    return FALSE;
  c->n = _parkd_pg_int (res, 0, 0);
  g_clear_pointer (&c->oldest, g_free);
  c->oldest = _parkd_pg_dup (res, 0, 1);
  return TRUE;
}

/* From the primary: the bookings every replica made, up to the last one. */
static gint64
pg_count_guest_bookings (ParkdStore  *store,
                         const char  *kiosk_id,
                         const char  *since,
                         char       **oldest,
                         GError     **error)
{
  GuestCount c = { kiosk_id, since, -1, NULL };

  if (!_parkd_pg_transact_full (pg (store), PG_TX_ONE_READ_PRIMARY, guest_count_tx, &c, error))
    {
      g_free (c.oldest);
      return -1;
    }
  *oldest = c.oldest;
  return c.n;
}

void
_parkd_pg_kiosks_vtable (ParkdStoreVTable *vtable)
{
  vtable->count_guest_bookings = pg_count_guest_bookings;
  vtable->create_kiosk = pg_create_kiosk;
  vtable->list_kiosks = pg_list_kiosks;
  vtable->revoke_kiosk = pg_revoke_kiosk;
  vtable->get_kiosk_by_key = pg_get_kiosk_by_key;
}
