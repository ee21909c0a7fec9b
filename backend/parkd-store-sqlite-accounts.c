/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-sqlite-accounts.c: accounts, sign-in sessions, the audit log, and the staff's
 * writes to operators, lots and spots, in the embedded store (schema: sql/002-accounts.sql).
 *
 * Every write is one BEGIN IMMEDIATE transaction on the writer (_parkd_sqlite_write_begin),
 * and the audit entry handed to it goes into that same transaction, so the log never claims a
 * change that was rolled back nor misses one that was made. Reads take a connection from the
 * reader pool. The lot directory and the readers' live counts need no help here: the triggers
 * of 001 move lot_directory_version and counts_seq in the writes' transactions.
 */
#include "config.h"

#include "parkd-store-sqlite-private.h"

#include <string.h>


/* Statements: static strings, so their address is a cache key. */
static const char SQL_INSERT_AUDIT[] =
  "INSERT INTO audit_log (at, actor_id, action, object_type, object_id, operator_id, client, "
  "detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
#define AUDIT_COLUMNS \
  "id, at, actor_id, action, object_type, object_id, operator_id, client, detail"
static const char SQL_AUDIT_PAGE[] =
  "SELECT " AUDIT_COLUMNS " FROM audit_log ORDER BY id DESC LIMIT ?2 OFFSET ?3";
static const char SQL_AUDIT_COUNT[] = "SELECT count(*) FROM audit_log";
static const char SQL_OPERATOR_AUDIT_PAGE[] =
  "SELECT " AUDIT_COLUMNS " FROM audit_log WHERE operator_id = ?1 "
  "ORDER BY id DESC LIMIT ?2 OFFSET ?3";
static const char SQL_OPERATOR_AUDIT_COUNT[] =
  "SELECT count(*) FROM audit_log WHERE operator_id = ?1";

static const char SQL_OPERATOR_BY_ID[] =
  "SELECT " OPERATOR_COLUMNS " FROM operators WHERE id = ?1";
static const char SQL_OPERATORS_PAGE[] =
  "SELECT " OPERATOR_COLUMNS " FROM operators WHERE ?1 IS NULL OR id = ?1 "
  "ORDER BY name, id LIMIT ?2 OFFSET ?3";
static const char SQL_OPERATORS_COUNT[] =
  "SELECT count(*) FROM operators WHERE ?1 IS NULL OR id = ?1";

/* A lot as parkd_store_get_lot() gives it: its live counts come joined, in the order of
 * ParkdSpotType, after the LOT_N_COLUMNS of the lot. */
#define LOT_WITH_COUNTS \
  "SELECT " LOT_COLUMNS ", c.regular_total, c.regular_available, c.disabled_total, " \
  "c.disabled_available, c.ev_total, c.ev_available, c.compact_total, c.compact_available, " \
  "c.motorcycle_total, c.motorcycle_available " \
  "FROM parking_lots l JOIN operators o ON o.id = l.operator_id " \
  "LEFT JOIN lot_counts c ON c.lot_pk = l.pk "
static const char SQL_LOT_WITH_COUNTS[] = LOT_WITH_COUNTS "WHERE l.id = ?1";
static const char SQL_LOTS_PAGE[] =
  LOT_WITH_COUNTS "ORDER BY l.name, l.id LIMIT ?2 OFFSET ?3";
static const char SQL_LOTS_COUNT[] = "SELECT count(*) FROM parking_lots";
static const char SQL_OPERATOR_LOTS_PAGE[] =
  LOT_WITH_COUNTS "WHERE l.operator_id = ?1 ORDER BY l.name, l.id LIMIT ?2 OFFSET ?3";
static const char SQL_OPERATOR_LOTS_COUNT[] =
  "SELECT count(*) FROM parking_lots WHERE operator_id = ?1";
static const char SQL_UPDATE_LOT[] =
  "UPDATE parking_lots SET name = ?2, address = ?3, city = ?4, lat = ?5, lng = ?6, "
  "lot_type = ?7, hourly_rate = ?8, operating_hours = ?9, amenities = ?10, status = ?11, "
  "updated_at = ?12 WHERE id = ?1";
static const char SQL_DELETE_LOT[] = "DELETE FROM parking_lots WHERE id = ?1";
static const char SQL_SYNC_TOTAL_SPOTS[] =
  "UPDATE parking_lots SET total_spots = (SELECT count(*) FROM parking_spots WHERE lot_pk = ?1), "
  "updated_at = ?2 WHERE pk = ?1";

static const char SQL_SPOT_BY_ID[] =
  "SELECT s.id, l.id, s.number, s.spot_type, s.level, s.state, s.updated_at "
  "FROM parking_spots s JOIN parking_lots l ON l.pk = s.lot_pk WHERE s.id = ?1";
static const char SQL_SPOT_LOT_PK[] = "SELECT lot_pk FROM parking_spots WHERE id = ?1";
static const char SQL_CREATE_SPOT[] =
  "INSERT INTO parking_spots (id, lot_pk, number, spot_type, level, state, updated_at) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_UPDATE_SPOT[] =
  "UPDATE parking_spots SET number = ?2, spot_type = ?3, level = ?4, state = ?5, "
  "updated_at = ?6 WHERE id = ?1";
static const char SQL_DELETE_SPOT[] = "DELETE FROM parking_spots WHERE id = ?1";

#define USER_SELECT \
  "SELECT u.id, u.email, u.password_hash, u.first_name, u.last_name, u.phone_sealed, u.role, " \
  "u.operator_id, o.slug, o.name, u.disabled, u.created_at, u.updated_at " \
  "FROM users u LEFT JOIN operators o ON o.id = u.operator_id "
static const char SQL_USER_BY_ID[] = USER_SELECT "WHERE u.id = ?1";
static const char SQL_USER_BY_EMAIL[] = USER_SELECT "WHERE u.email = ?1";
static const char SQL_INSERT_USER[] =
  "INSERT INTO users (id, email, password_hash, first_name, last_name, phone_sealed, role, "
  "operator_id, disabled, created_at, updated_at) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)";
static const char SQL_UPDATE_USER[] =
  "UPDATE users SET first_name = ?2, last_name = ?3, phone_sealed = ?4, password_hash = ?5, "
  "role = ?6, operator_id = ?7, disabled = ?8, updated_at = ?9 WHERE id = ?1";
static const char SQL_DELETE_USER[] = "DELETE FROM users WHERE id = ?1";
static const char SQL_STAFF_PAGE[] =
  USER_SELECT "WHERE u.operator_id = ?1 ORDER BY u.email LIMIT ?2 OFFSET ?3";
static const char SQL_STAFF_COUNT[] = "SELECT count(*) FROM users WHERE operator_id = ?1";
static const char SQL_ALL_STAFF_PAGE[] =
  USER_SELECT "WHERE u.role <> 'driver' ORDER BY u.email LIMIT ?2 OFFSET ?3";
static const char SQL_ALL_STAFF_COUNT[] = "SELECT count(*) FROM users WHERE role <> 'driver'";

static const char SQL_VEHICLES[] =
  "SELECT id, user_id, plate_sealed, plate_hash, country, nickname, created_at "
  "FROM vehicles WHERE user_id = ?1 ORDER BY created_at, id";
static const char SQL_INSERT_VEHICLE[] =
  "INSERT INTO vehicles (id, user_id, plate_sealed, plate_hash, country, nickname, created_at) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_DELETE_VEHICLE[] = "DELETE FROM vehicles WHERE id = ?1 AND user_id = ?2";

static const char SQL_INSERT_FAMILY[] =
  "INSERT INTO token_families (id, user_id, created_at, client) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_INSERT_REFRESH[] =
  "INSERT INTO refresh_tokens (token_hash, family_id, created_at, expires_at) "
  "VALUES (?1, ?2, ?3, ?4)";
static const char SQL_FIND_REFRESH[] =
  "SELECT t.expires_at, t.used_at, f.id, f.user_id, f.revoked_at, u.disabled, u.operator_id "
  "FROM refresh_tokens t JOIN token_families f ON f.id = t.family_id "
  "JOIN users u ON u.id = f.user_id WHERE t.token_hash = ?1";
static const char SQL_SPEND_REFRESH[] =
  "UPDATE refresh_tokens SET used_at = ?2 WHERE token_hash = ?1";
static const char SQL_REVOKE_FAMILY[] =
  "UPDATE token_families SET revoked_at = ?2, revoked_reason = ?3 "
  "WHERE id = ?1 AND revoked_at IS NULL";
static const char SQL_FAMILY_EXISTS[] = "SELECT 1 FROM token_families WHERE id = ?1";
static const char SQL_REVOKE_USER_FAMILIES[] =
  "UPDATE token_families SET revoked_at = ?2, revoked_reason = ?3 "
  "WHERE user_id = ?1 AND revoked_at IS NULL RETURNING id";
static const char SQL_FAMILY_ACTIVE[] =
  "SELECT revoked_at IS NULL FROM token_families WHERE id = ?1";
static const char SQL_REVOKE_JTI[] =
  "INSERT OR IGNORE INTO revoked_access_tokens (jti, expires_at) VALUES (?1, ?2)";
static const char SQL_PURGE_JTIS[] = "DELETE FROM revoked_access_tokens WHERE expires_at <= ?1";
/* Spent or revoked refresh tokens can never be accepted again once they have expired. */
static const char SQL_PURGE_REFRESH[] =
  "DELETE FROM refresh_tokens WHERE expires_at <= ?1 AND (used_at IS NOT NULL OR family_id IN "
  "(SELECT id FROM token_families WHERE revoked_at IS NOT NULL))";
static const char SQL_LIVE_JTIS[] = "SELECT jti FROM revoked_access_tokens WHERE expires_at > ?1";
/* A NULL revoked_at never compares: only revoked families, at or after ?1. */
static const char SQL_REVOKED_FAMILIES[] =
  "SELECT id FROM token_families WHERE revoked_at >= ?1 ORDER BY revoked_at, id";

#define USER_CHECK_MESSAGE \
  "Attendants and operators belong to exactly one operator, drivers and admins to none"
#define SPOT_CONFLICT_MESSAGE "This lot already has a spot with this number"

/* Helpers. */

void
_parkd_sqlite_bind_bytes (sqlite3_stmt *stmt,
                          int           col,
                          GBytes       *bytes)
{
  gconstpointer data;
  gsize size;

  if (bytes == NULL)
    {
      sqlite3_bind_null (stmt, col);
      return;
    }
  data = g_bytes_get_data (bytes, &size);
  /* sqlite3_bind_blob() of a NULL pointer would store NULL, not an empty blob. */
  if (size == 0)
    sqlite3_bind_zeroblob (stmt, col, 0);
  else
    sqlite3_bind_blob64 (stmt, col, data, size, SQLITE_STATIC);
}

static GBytes *
column_bytes (sqlite3_stmt *stmt,
              int           col)
{
  const void *data;

  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return NULL;
  data = sqlite3_column_blob (stmt, col);
  return g_bytes_new (data, sqlite3_column_bytes (stmt, col));
}

/* The one row @sql finds for @key, made by @from_row; NULL with NOT_FOUND (@missing) when
 * there is none. */
static gpointer
read_one (Conn        *conn,
          const char  *sql,
          const char  *key,
          RowFunc      from_row,
          const char  *missing,
          GError     **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, sql, error);
  gpointer item = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (_parkd_sqlite_step_row (conn, stmt, missing, missing, error))
    item = from_row (stmt);
  sqlite3_reset (stmt);
  return item;
}

static gpointer
reader_read_one (ParkdStoreSqlite  *self,
                 const char        *sql,
                 const char        *key,
                 RowFunc            from_row,
                 const char        *missing,
                 GError           **error)
{
  Conn *conn = _parkd_sqlite_take_reader (self, error);
  gpointer item;

  if (conn == NULL)
    return NULL;
  item = read_one (conn, sql, key, from_row, missing, error);
  _parkd_sqlite_give_reader (self, conn);
  return item;
}

/* Does @sql find a row for @key? */
static gboolean
row_exists (Conn        *conn,
            const char  *sql,
            const char  *key,
            gboolean    *exists,
            GError     **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _parkd_sqlite_set_error (error, conn->db, rc, "lookup");
  sqlite3_reset (stmt);
  *exists = rc == SQLITE_ROW;
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/* One page in one read transaction: @count_sql gives the total, @rows_sql the items, with
 * ?1 the @key (left NULL when @key is), ?2 the limit and ?3 the offset. Pages are 1-based;
 * page 0 is taken as the first. */
ParkdPage *
_parkd_sqlite_read_page (ParkdStoreSqlite  *self,
                         const char        *count_sql,
                         const char        *rows_sql,
                         const char        *key,
                         const char        *key2,
                         guint              page_number,
                         guint              per_page,
                         RowFunc            from_row,
                         GDestroyNotify     free_func,
                         GError           **error)
{
  g_autoptr(ParkdPage) page = g_new0 (ParkdPage, 1);
  sqlite3_stmt *stmt;
  Conn *conn;
  int rc;

  page->items = g_ptr_array_new_with_free_func (free_func);
  page->page = MAX (page_number, 1);
  page->per_page = per_page;

  conn = _parkd_sqlite_read_begin (self, error);
  if (conn == NULL)
    return NULL;

  stmt = _parkd_sqlite_conn_prepare (conn, count_sql, error);
  if (stmt == NULL)
    goto fail;
  if (key != NULL)
    sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (key2 != NULL)
    sqlite3_bind_text (stmt, 4, key2, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    page->total = sqlite3_column_int64 (stmt, 0);
  else
    _parkd_sqlite_set_error (error, conn->db, rc, "count");
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    goto fail;

  stmt = _parkd_sqlite_conn_prepare (conn, rows_sql, error);
  if (stmt == NULL)
    goto fail;
  if (key != NULL)
    sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (key2 != NULL)
    sqlite3_bind_text (stmt, 4, key2, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, per_page);
  sqlite3_bind_int64 (stmt, 3, (gint64) (page->page - 1) * per_page);
  if (!_parkd_sqlite_collect_rows (conn, stmt, from_row, page->items, "page", error))
    goto fail;

  _parkd_sqlite_read_end (self, conn);
  return g_steal_pointer (&page);

fail:
  _parkd_sqlite_give_reader (self, conn);
  return NULL;
}

/* Rows. */

static gpointer
operator_row (sqlite3_stmt *stmt)
{
  return _parkd_sqlite_operator_from_row (stmt);
}

static gpointer
lot_row (sqlite3_stmt *stmt)
{
  ParkdLot *lot = g_new0 (ParkdLot, 1);

  _parkd_sqlite_lot_from_row (lot, stmt);
  for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
    {
      lot->availability[t].total = sqlite3_column_int (stmt, LOT_N_COLUMNS + 2 * t);
      lot->availability[t].available = sqlite3_column_int (stmt, LOT_N_COLUMNS + 2 * t + 1);
    }
  return lot;
}

static gpointer
spot_row (sqlite3_stmt *stmt)
{
  ParkdSpot *spot = g_new0 (ParkdSpot, 1);

  spot->id = _parkd_sqlite_column_dup (stmt, 0);
  spot->lot_id = _parkd_sqlite_column_dup (stmt, 1);
  spot->number = _parkd_sqlite_column_dup (stmt, 2);
  parkd_spot_type_from_string ((const char *) sqlite3_column_text (stmt, 3), &spot->type);
  spot->level = sqlite3_column_int (stmt, 4);
  parkd_spot_state_from_string ((const char *) sqlite3_column_text (stmt, 5), &spot->state);
  spot->updated_at = _parkd_sqlite_column_dup (stmt, 6);
  return spot;
}

static gpointer
user_row (sqlite3_stmt *stmt)
{
  ParkdUser *user = g_new0 (ParkdUser, 1);

  user->id = _parkd_sqlite_column_dup (stmt, 0);
  user->email = _parkd_sqlite_column_dup (stmt, 1);
  user->password_hash = _parkd_sqlite_column_dup (stmt, 2);
  user->first_name = _parkd_sqlite_column_dup (stmt, 3);
  user->last_name = _parkd_sqlite_column_dup (stmt, 4);
  user->phone_sealed = column_bytes (stmt, 5);
  if (!parkd_role_from_string ((const char *) sqlite3_column_text (stmt, 6), &user->role))
    user->role = PARKD_ROLE_DRIVER;
  user->operator_id = _parkd_sqlite_column_dup (stmt, 7);
  user->operator_slug = _parkd_sqlite_column_dup (stmt, 8);
  user->operator_name = _parkd_sqlite_column_dup (stmt, 9);
  user->disabled = sqlite3_column_int (stmt, 10) != 0;
  user->created_at = _parkd_sqlite_column_dup (stmt, 11);
  user->updated_at = _parkd_sqlite_column_dup (stmt, 12);
  return user;
}

static gpointer
vehicle_row (sqlite3_stmt *stmt)
{
  ParkdVehicle *vehicle = g_new0 (ParkdVehicle, 1);

  vehicle->id = _parkd_sqlite_column_dup (stmt, 0);
  vehicle->user_id = _parkd_sqlite_column_dup (stmt, 1);
  vehicle->plate_sealed = column_bytes (stmt, 2);
  vehicle->plate_hash = column_bytes (stmt, 3);
  vehicle->country = _parkd_sqlite_column_dup (stmt, 4);
  vehicle->nickname = _parkd_sqlite_column_dup (stmt, 5);
  vehicle->created_at = _parkd_sqlite_column_dup (stmt, 6);
  return vehicle;
}

static gpointer
audit_row (sqlite3_stmt *stmt)
{
  ParkdAudit *audit = g_new0 (ParkdAudit, 1);

  audit->id = sqlite3_column_int64 (stmt, 0);
  audit->at = _parkd_sqlite_column_dup (stmt, 1);
  audit->actor_id = _parkd_sqlite_column_dup (stmt, 2);
  audit->action = _parkd_sqlite_column_dup (stmt, 3);
  audit->object_type = _parkd_sqlite_column_dup (stmt, 4);
  audit->object_id = _parkd_sqlite_column_dup (stmt, 5);
  audit->operator_id = _parkd_sqlite_column_dup (stmt, 6);
  audit->client = _parkd_sqlite_column_dup (stmt, 7);
  audit->detail = _parkd_sqlite_column_dup (stmt, 8);
  return audit;
}

/* The audit log. */

/* Inside the writer's transaction. @now stands in for a NULL audit->at, and @object_id (the
 * id of what the write was about, which a caller creating it cannot know) for a NULL
 * audit->object_id. */
gboolean
_parkd_sqlite_audit_locked (Conn              *conn,
                            const ParkdAudit  *audit,
                            const char        *now,
                            const char        *object_id,
                            GError           **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_AUDIT, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, audit->at != NULL ? audit->at : now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, audit->actor_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, audit->action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, audit->object_type != NULL ? audit->object_type : "", -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5,
                     audit->object_id != NULL ? audit->object_id
                                              : object_id != NULL ? object_id : "",
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, audit->operator_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, audit->client != NULL ? audit->client : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, audit->detail != NULL ? audit->detail : "{}", -1, SQLITE_STATIC);
  return _parkd_sqlite_run (conn, stmt, "audit", error);
}

/* The audit entry of a write, when there is one. */
static gboolean
maybe_audit_locked (Conn              *conn,
                    const ParkdAudit  *audit,
                    const char        *now,
                    const char        *object_id,
                    GError           **error)
{
  return audit == NULL || _parkd_sqlite_audit_locked (conn, audit, now, object_id, error);
}

gboolean
_parkd_sqlite_audit (ParkdStore        *store,
                     const ParkdAudit  *audit,
                     GError           **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  Conn *conn = _parkd_sqlite_write_begin (self, error);

  if (conn == NULL)
    return FALSE;
  return _parkd_sqlite_write_end (self, _parkd_sqlite_audit_locked (conn, audit, now, NULL, error),
                                  error);
}

ParkdPage *
_parkd_sqlite_list_audit (ParkdStore  *store,
                          const char  *operator_id,
                          guint        page,
                          guint        per_page,
                          GError     **error)
{
  /* Two statements, so the filtered one can walk the (operator_id, id) index. */
  return _parkd_sqlite_read_page ((ParkdStoreSqlite *) store,
                                  operator_id != NULL ? SQL_OPERATOR_AUDIT_COUNT : SQL_AUDIT_COUNT,
                                  operator_id != NULL ? SQL_OPERATOR_AUDIT_PAGE : SQL_AUDIT_PAGE,
                                  operator_id, NULL, page, per_page, audit_row,
                                  (GDestroyNotify) parkd_audit_free, error);
}

/* Operators. */

ParkdOperator *
_parkd_sqlite_get_operator_by_id (ParkdStore  *store,
                                  const char  *id,
                                  GError     **error)
{
  return reader_read_one ((ParkdStoreSqlite *) store, SQL_OPERATOR_BY_ID, id, operator_row,
                          "No such operator", error);
}

ParkdPage *
_parkd_sqlite_list_operators (ParkdStore  *store,
                              const char  *only_id,
                              guint        page,
                              guint        per_page,
                              GError     **error)
{
  return _parkd_sqlite_read_page ((ParkdStoreSqlite *) store, SQL_OPERATORS_COUNT,
                                  SQL_OPERATORS_PAGE, only_id, NULL, page, per_page, operator_row,
                                  (GDestroyNotify) parkd_operator_free, error);
}

ParkdOperator *
_parkd_sqlite_create_operator (ParkdStore           *store,
                               const ParkdOperator  *want,
                               const ParkdAudit     *audit,
                               GError              **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autoptr(ParkdOperator) op = NULL;
  g_autofree char *now = parkd_now_rfc3339 ();
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok;

  if (conn == NULL)
    return NULL;
  op = _parkd_sqlite_insert_operator_locked (conn, want, now, error);
  ok = op != NULL && maybe_audit_locked (conn, audit, now, op->id, error);
  if (!_parkd_sqlite_write_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&op);
}

/* Lots. */

ParkdPage *
_parkd_sqlite_list_operator_lots (ParkdStore  *store,
                                  const char  *operator_id,
                                  guint        page,
                                  guint        per_page,
                                  GError     **error)
{
  return _parkd_sqlite_read_page ((ParkdStoreSqlite *) store,
                                  operator_id != NULL ? SQL_OPERATOR_LOTS_COUNT : SQL_LOTS_COUNT,
                                  operator_id != NULL ? SQL_OPERATOR_LOTS_PAGE : SQL_LOTS_PAGE,
                                  operator_id, NULL, page, per_page, lot_row,
                                  (GDestroyNotify) parkd_lot_free, error);
}

ParkdLot *
_parkd_sqlite_create_lot (ParkdStore         *store,
                          const ParkdNewLot  *want,
                          const ParkdAudit   *audit,
                          GError            **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autoptr(ParkdOperator) op = NULL;
  g_autoptr(ParkdLot) lot = NULL;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *lot_id = NULL;
  ParkdNewLot nl = *want;   /* the importer's insert writes the new id and "existed" here */
  Conn *conn;
  gboolean ok;

  nl.lot.id = NULL;
  conn = _parkd_sqlite_write_begin (self, error);
  if (conn == NULL)
    return NULL;

  op = read_one (conn, SQL_OPERATOR_BY_ID, want->lot.operator_id, operator_row,
                 "No such operator", error);
  ok = op != NULL && _parkd_sqlite_insert_lot_locked (conn, op, &nl, now, error);
  lot_id = g_steal_pointer (&nl.lot.id);
  if (ok && nl.existed)
    {
      /* The importer skips such a lot silently; a person creating one twice wants to know. */
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT,
                           "This operator already has a lot with this name at this place");
      ok = FALSE;
    }
  if (ok)
    {
      lot = read_one (conn, SQL_LOT_WITH_COUNTS, lot_id, lot_row, "No such parking lot", error);
      ok = lot != NULL && maybe_audit_locked (conn, audit, now, lot_id, error);
    }
  if (!_parkd_sqlite_write_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&lot);
}

ParkdLot *
_parkd_sqlite_update_lot (ParkdStore        *store,
                          const ParkdLot    *want,
                          const ParkdAudit  *audit,
                          GError           **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autoptr(ParkdLot) lot = NULL;
  g_autofree char *now = parkd_now_rfc3339 ();
  sqlite3_stmt *stmt;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok = FALSE;

  if (conn == NULL)
    return NULL;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_UPDATE_LOT, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, want->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, want->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, want->address, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, want->city, -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 5, want->lat);
  sqlite3_bind_double (stmt, 6, want->lng);
  sqlite3_bind_text (stmt, 7, want->lot_type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, want->hourly_rate);
  sqlite3_bind_text (stmt, 9, want->operating_hours, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, want->amenities != NULL ? want->amenities : "[]", -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, want->status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, now, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run (conn, stmt, "Invalid parking lot", error) ||
      !_parkd_sqlite_require_change (conn, "No such parking lot", error))
    goto out;
  lot = read_one (conn, SQL_LOT_WITH_COUNTS, want->id, lot_row, "No such parking lot", error);
  ok = lot != NULL && maybe_audit_locked (conn, audit, now, want->id, error);

out:
  if (!_parkd_sqlite_write_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&lot);
}

/* Deletes the one row @sql (with ?1 = @id) names, and writes @audit; NOT_FOUND (@missing)
 * when there is no such row. */
static gboolean
delete_by_id (ParkdStoreSqlite  *self,
              const char        *sql,
              const char        *id,
              const char        *missing,
              const ParkdAudit  *audit,
              GError           **error)
{
  g_autofree char *now = parkd_now_rfc3339 ();
  sqlite3_stmt *stmt;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok = FALSE;

  if (conn == NULL)
    return FALSE;
  stmt = _parkd_sqlite_conn_prepare (conn, sql, error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      ok = _parkd_sqlite_run_checked (conn, stmt, missing, NULL, NULL,
                                      "Something else still refers to it", error) &&
           _parkd_sqlite_require_change (conn, missing, error);
    }
  ok = ok && maybe_audit_locked (conn, audit, now, id, error);
  return _parkd_sqlite_write_end (self, ok, error);
}

gboolean
_parkd_sqlite_delete_lot (ParkdStore        *store,
                          const char        *id,
                          const ParkdAudit  *audit,
                          GError           **error)
{
  /* Its spots and counts go with it (ON DELETE CASCADE), its R*Tree entry by trigger. */
  return delete_by_id ((ParkdStoreSqlite *) store, SQL_DELETE_LOT, id, "No such parking lot",
                       audit, error);
}

/* Spots. */

/* After a spot came or went: the lot's total_spots counts its spots again. */
static gboolean
sync_total_spots_locked (Conn        *conn,
                         gint64       lot_pk,
                         const char  *now,
                         GError     **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, SQL_SYNC_TOTAL_SPOTS, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, lot_pk);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  return _parkd_sqlite_run (conn, stmt, "total spots", error);
}

ParkdSpot *
_parkd_sqlite_get_spot (ParkdStore  *store,
                        const char  *id,
                        GError     **error)
{
  return reader_read_one ((ParkdStoreSqlite *) store, SQL_SPOT_BY_ID, id, spot_row,
                          "No such spot", error);
}

ParkdSpot *
_parkd_sqlite_create_spot (ParkdStore        *store,
                           const ParkdSpot   *want,
                           const ParkdAudit  *audit,
                           GError           **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autoptr(ParkdSpot) spot = NULL;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *id = g_uuid_string_random ();
  sqlite3_stmt *stmt;
  gint64 lot_pk = 0;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok = FALSE;

  if (conn == NULL)
    return NULL;
  if (!_parkd_sqlite_lookup_lot_pk (conn, want->lot_id, &lot_pk, error))
    goto out;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_CREATE_SPOT, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, lot_pk);
  sqlite3_bind_text (stmt, 3, want->number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, parkd_spot_type_to_string (want->type), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, want->level);
  sqlite3_bind_text (stmt, 6, parkd_spot_state_to_string (want->state), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, now, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run_checked (conn, stmt, "Invalid spot", SPOT_CONFLICT_MESSAGE, NULL, NULL,
                                  error) ||
      !sync_total_spots_locked (conn, lot_pk, now, error))
    goto out;
  spot = read_one (conn, SQL_SPOT_BY_ID, id, spot_row, "No such spot", error);
  ok = spot != NULL && maybe_audit_locked (conn, audit, now, id, error);

out:
  if (!_parkd_sqlite_write_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&spot);
}

ParkdSpot *
_parkd_sqlite_update_spot (ParkdStore        *store,
                           const ParkdSpot   *want,
                           const ParkdAudit  *audit,
                           GError           **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autoptr(ParkdSpot) spot = NULL;
  g_autofree char *now = parkd_now_rfc3339 ();
  sqlite3_stmt *stmt;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok = FALSE;

  if (conn == NULL)
    return NULL;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_UPDATE_SPOT, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, want->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, want->number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, parkd_spot_type_to_string (want->type), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, want->level);
  sqlite3_bind_text (stmt, 5, parkd_spot_state_to_string (want->state), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run_checked (conn, stmt, "Invalid spot", SPOT_CONFLICT_MESSAGE, NULL, NULL,
                                  error) ||
      !_parkd_sqlite_require_change (conn, "No such spot", error))
    goto out;
  spot = read_one (conn, SQL_SPOT_BY_ID, want->id, spot_row, "No such spot", error);
  ok = spot != NULL && maybe_audit_locked (conn, audit, now, want->id, error);

out:
  if (!_parkd_sqlite_write_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&spot);
}

gboolean
_parkd_sqlite_delete_spot (ParkdStore        *store,
                           const char        *id,
                           const ParkdAudit  *audit,
                           GError           **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  sqlite3_stmt *stmt;
  gint64 lot_pk = 0;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok = FALSE, found;

  if (conn == NULL)
    return FALSE;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_SPOT_LOT_PK, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  found = _parkd_sqlite_step_row (conn, stmt, "spot", "No such spot", error);
  if (found)
    lot_pk = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (!found)
    goto out;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_DELETE_SPOT, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  ok = _parkd_sqlite_run_checked (conn, stmt, "delete spot", NULL, NULL,
                                  "Something else still refers to it", error) &&
       sync_total_spots_locked (conn, lot_pk, now, error) &&
       maybe_audit_locked (conn, audit, now, id, error);

out:
  return _parkd_sqlite_write_end (self, ok, error);
}

/* Users. */

ParkdUser *
_parkd_sqlite_get_user (ParkdStore  *store,
                        const char  *id,
                        GError     **error)
{
  return reader_read_one ((ParkdStoreSqlite *) store, SQL_USER_BY_ID, id, user_row,
                          "No such user", error);
}

ParkdUser *
_parkd_sqlite_get_user_by_email (ParkdStore  *store,
                                 const char  *email,
                                 GError     **error)
{
  return reader_read_one ((ParkdStoreSqlite *) store, SQL_USER_BY_EMAIL, email, user_row,
                          "No such user", error);
}

ParkdUser *
_parkd_sqlite_create_user (ParkdStore        *store,
                           const ParkdUser   *want,
                           const ParkdAudit  *audit,
                           GError           **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autoptr(ParkdUser) user = NULL;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *id = g_uuid_string_random ();
  sqlite3_stmt *stmt;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok = FALSE;

  if (conn == NULL)
    return NULL;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_USER, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, want->email, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, want->password_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, want->first_name != NULL ? want->first_name : "", -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, want->last_name != NULL ? want->last_name : "", -1, SQLITE_STATIC);
  _parkd_sqlite_bind_bytes (stmt, 6, want->phone_sealed);
  sqlite3_bind_text (stmt, 7, parkd_role_to_string (want->role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, want->operator_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 9, want->disabled ? 1 : 0);
  sqlite3_bind_text (stmt, 10, now, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run_checked (conn, stmt, "Invalid user",
                                  "An account with this e-mail address exists",
                                  USER_CHECK_MESSAGE, "No such operator", error))
    goto out;
  user = read_one (conn, SQL_USER_BY_ID, id, user_row, "No such user", error);
  ok = user != NULL && maybe_audit_locked (conn, audit, now, id, error);
  /* The seed's UserRegistered, in the outbox with the account; no address or name in it. */
  if (ok)
    {
      g_autofree char *aggregate = g_strconcat ("user:", id, NULL);
      g_autofree char *payload = g_strdup_printf ("{\"user_id\":\"%s\",\"role\":\"%s\"}", id,
                                                  parkd_role_to_string (user->role));

      ok = _parkd_sqlite_insert_event (conn, "UserRegistered", aggregate, user->operator_id,
                                       payload, now, error);
    }

out:
  if (!_parkd_sqlite_write_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&user);
}

ParkdUser *
_parkd_sqlite_update_user (ParkdStore        *store,
                           const ParkdUser   *want,
                           const ParkdAudit  *audit,
                           GError           **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autoptr(ParkdUser) user = NULL;
  g_autofree char *now = parkd_now_rfc3339 ();
  sqlite3_stmt *stmt;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok = FALSE;

  if (conn == NULL)
    return NULL;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_UPDATE_USER, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, want->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, want->first_name != NULL ? want->first_name : "", -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, want->last_name != NULL ? want->last_name : "", -1, SQLITE_STATIC);
  _parkd_sqlite_bind_bytes (stmt, 4, want->phone_sealed);
  sqlite3_bind_text (stmt, 5, want->password_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, parkd_role_to_string (want->role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, want->operator_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 8, want->disabled ? 1 : 0);
  sqlite3_bind_text (stmt, 9, now, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run_checked (conn, stmt, "Invalid user", NULL, USER_CHECK_MESSAGE,
                                  "No such operator", error) ||
      !_parkd_sqlite_require_change (conn, "No such user", error))
    goto out;
  user = read_one (conn, SQL_USER_BY_ID, want->id, user_row, "No such user", error);
  ok = user != NULL && maybe_audit_locked (conn, audit, now, want->id, error);

out:
  if (!_parkd_sqlite_write_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&user);
}

gboolean
_parkd_sqlite_delete_user (ParkdStore        *store,
                           const char        *id,
                           const ParkdAudit  *audit,
                           GError           **error)
{
  /* Vehicles, token families and their refresh tokens go with it (ON DELETE CASCADE). */
  return delete_by_id ((ParkdStoreSqlite *) store, SQL_DELETE_USER, id, "No such user", audit,
                       error);
}

ParkdPage *
_parkd_sqlite_list_staff (ParkdStore  *store,
                          const char  *operator_id,
                          guint        page,
                          guint        per_page,
                          GError     **error)
{
  /* The schema's CHECK gives an operator only attendants and operators. */
  return _parkd_sqlite_read_page ((ParkdStoreSqlite *) store,
                                  operator_id != NULL ? SQL_STAFF_COUNT : SQL_ALL_STAFF_COUNT,
                                  operator_id != NULL ? SQL_STAFF_PAGE : SQL_ALL_STAFF_PAGE,
                                  operator_id, NULL, page, per_page, user_row,
                                  (GDestroyNotify) parkd_user_free, error);
}

/* Vehicles. */

GPtrArray *
_parkd_sqlite_list_vehicles (ParkdStore  *store,
                             const char  *user_id,
                             GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autoptr(GPtrArray) vehicles = NULL;
  sqlite3_stmt *stmt;
  Conn *conn;

  stmt = _parkd_sqlite_reader_prepare (self, SQL_VEHICLES, &conn, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_STATIC);
  vehicles = _parkd_sqlite_read_rows (conn, stmt, vehicle_row,
                                      (GDestroyNotify) parkd_vehicle_free, "vehicles", error);
  _parkd_sqlite_give_reader (self, conn);
  return g_steal_pointer (&vehicles);
}

ParkdVehicle *
_parkd_sqlite_add_vehicle (ParkdStore          *store,
                           const ParkdVehicle  *want,
                           GError             **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autoptr(ParkdVehicle) vehicle = g_new0 (ParkdVehicle, 1);
  sqlite3_stmt *stmt;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok = FALSE;

  if (conn == NULL)
    return NULL;

  /* What is stored, as a read would give it back. */
  vehicle->id = g_uuid_string_random ();
  vehicle->user_id = g_strdup (want->user_id);
  vehicle->plate_sealed = want->plate_sealed != NULL ? g_bytes_ref (want->plate_sealed) : NULL;
  vehicle->plate_hash = want->plate_hash != NULL ? g_bytes_ref (want->plate_hash) : NULL;
  vehicle->country = g_strdup (want->country);
  vehicle->nickname = g_strdup (want->nickname != NULL ? want->nickname : "");
  vehicle->created_at = parkd_now_rfc3339 ();

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_VEHICLE, error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, vehicle->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, vehicle->user_id, -1, SQLITE_STATIC);
      _parkd_sqlite_bind_bytes (stmt, 3, vehicle->plate_sealed);
      _parkd_sqlite_bind_bytes (stmt, 4, vehicle->plate_hash);
      sqlite3_bind_text (stmt, 5, vehicle->country, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, vehicle->nickname, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, vehicle->created_at, -1, SQLITE_STATIC);
      ok = _parkd_sqlite_run_checked (conn, stmt, "Invalid vehicle",
                                      "This vehicle is already registered", NULL, "No such user",
                                      error);
    }
  if (!_parkd_sqlite_write_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&vehicle);
}

gboolean
_parkd_sqlite_delete_vehicle (ParkdStore  *store,
                              const char  *user_id,
                              const char  *id,
                              GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  sqlite3_stmt *stmt;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok = FALSE;

  if (conn == NULL)
    return FALSE;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_DELETE_VEHICLE, error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, user_id, -1, SQLITE_STATIC);
      /* Someone else's vehicle is as absent as one that never was. */
      ok = _parkd_sqlite_run (conn, stmt, "delete vehicle", error) &&
           _parkd_sqlite_require_change (conn, "No such vehicle", error);
    }
  return _parkd_sqlite_write_end (self, ok, error);
}

/* Sessions. */

static gboolean
insert_refresh_locked (Conn        *conn,
                       GBytes      *token_hash,
                       const char  *family_id,
                       const char  *expires_at,
                       const char  *now,
                       GError     **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_REFRESH, error);

  if (stmt == NULL)
    return FALSE;
  _parkd_sqlite_bind_bytes (stmt, 1, token_hash);
  sqlite3_bind_text (stmt, 2, family_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, expires_at, -1, SQLITE_STATIC);
  return _parkd_sqlite_run_checked (conn, stmt, "refresh token",
                                    "This refresh token exists already", NULL, "No such session",
                                    error);
}

/* Revokes @family_id unless it is already; *@revoked says whether this call did. */
static gboolean
revoke_family_locked (Conn        *conn,
                      const char  *family_id,
                      const char  *reason,
                      const char  *now,
                      gboolean    *revoked,
                      GError     **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, SQL_REVOKE_FAMILY, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, family_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_STATIC);
  if (!_parkd_sqlite_run (conn, stmt, "revoke session", error))
    return FALSE;
  *revoked = sqlite3_changes (conn->db) > 0;
  return TRUE;
}

static ParkdSession *
session_new (const char *user_id,
             const char *family_id)
{
  ParkdSession *session = g_new0 (ParkdSession, 1);

  session->user_id = g_strdup (user_id);
  session->family_id = g_strdup (family_id);
  return session;
}

ParkdSession *
_parkd_sqlite_start_session (ParkdStore        *store,
                             const char        *user_id,
                             GBytes            *token_hash,
                             const char        *expires_at,
                             const char        *client,
                             const ParkdAudit  *audit,
                             GError           **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *family_id = g_uuid_string_random ();
  sqlite3_stmt *stmt;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok = FALSE;

  if (conn == NULL)
    return NULL;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_FAMILY, error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, family_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, user_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, client != NULL ? client : "", -1, SQLITE_STATIC);
      ok = _parkd_sqlite_run_checked (conn, stmt, "session", NULL, NULL, "No such user", error) &&
           insert_refresh_locked (conn, token_hash, family_id, expires_at, now, error) &&
           maybe_audit_locked (conn, audit, now, family_id, error);
    }
  if (!_parkd_sqlite_write_end (self, ok, error))
    return NULL;
  return session_new (user_id, family_id);
}

/* One transaction: the old token is looked up, judged, and either spent and succeeded by
 * @new_hash or, when it had been spent already, its whole family revoked, since a spent token
 * coming back means two parties hold it. */
ParkdRefreshResult
_parkd_sqlite_rotate_refresh (ParkdStore     *store,
                              GBytes         *old_hash,
                              GBytes         *new_hash,
                              const char     *new_expires_at,
                              ParkdSession  **session,
                              GError        **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  ParkdRefreshResult result = PARKD_REFRESH_UNKNOWN;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *family_id = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *operator_id = NULL;
  gboolean found, expired = FALSE, used = FALSE, revoked = FALSE, disabled = FALSE;
  gboolean ok = FALSE;
  sqlite3_stmt *stmt;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  int rc;

  if (conn == NULL)
    return PARKD_REFRESH_UNKNOWN;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_FIND_REFRESH, error);
  if (stmt == NULL)
    goto out;
  _parkd_sqlite_bind_bytes (stmt, 1, old_hash);
  rc = sqlite3_step (stmt);
  found = rc == SQLITE_ROW;
  if (found)
    {
      expired = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), now) <= 0;
      used = sqlite3_column_type (stmt, 1) != SQLITE_NULL;
      family_id = _parkd_sqlite_column_dup (stmt, 2);
      user_id = _parkd_sqlite_column_dup (stmt, 3);
      revoked = sqlite3_column_type (stmt, 4) != SQLITE_NULL;
      disabled = sqlite3_column_int (stmt, 5) != 0;
      operator_id = _parkd_sqlite_column_dup (stmt, 6);
    }
  else if (rc != SQLITE_DONE)
    _parkd_sqlite_set_error (error, conn->db, rc, "refresh token");
  sqlite3_reset (stmt);
  if (!found && rc != SQLITE_DONE)
    goto out;

  if (!found || expired || disabled)
    {
      result = PARKD_REFRESH_UNKNOWN;
      ok = TRUE;
    }
  else if (revoked)
    {
      result = PARKD_REFRESH_REVOKED;
      ok = TRUE;
    }
  else if (used)
    {
      ParkdAudit audit = {
        .actor_id = user_id,
        .action = (char *) "auth.refresh-reuse",
        .object_type = (char *) "token_family",
        .object_id = family_id,
        .operator_id = operator_id,
      };
      gboolean changed;

      result = PARKD_REFRESH_REUSED;
      ok = revoke_family_locked (conn, family_id, "reuse", now, &changed, error) &&
           _parkd_sqlite_audit_locked (conn, &audit, now, NULL, error);
    }
  else
    {
      result = PARKD_REFRESH_OK;
      stmt = _parkd_sqlite_conn_prepare (conn, SQL_SPEND_REFRESH, error);
      if (stmt == NULL)
        goto out;
      _parkd_sqlite_bind_bytes (stmt, 1, old_hash);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      ok = _parkd_sqlite_run (conn, stmt, "spend refresh token", error) &&
           insert_refresh_locked (conn, new_hash, family_id, new_expires_at, now, error);
    }

out:
  if (!_parkd_sqlite_write_end (self, ok, error))
    return PARKD_REFRESH_UNKNOWN;
  if (session != NULL)
    *session = result != PARKD_REFRESH_UNKNOWN ? session_new (user_id, family_id) : NULL;
  return result;
}

gboolean
_parkd_sqlite_revoke_family (ParkdStore        *store,
                             const char        *family_id,
                             const char        *reason,
                             const ParkdAudit  *audit,
                             GError           **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  gboolean revoked = FALSE, exists = TRUE;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok;

  if (conn == NULL)
    return FALSE;
  ok = revoke_family_locked (conn, family_id, reason, now, &revoked, error);
  /* Revoking a revoked family again keeps the first time and reason, and is no error. */
  if (ok && !revoked)
    ok = row_exists (conn, SQL_FAMILY_EXISTS, family_id, &exists, error);
  if (ok && !exists)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                           "No such session");
      ok = FALSE;
    }
  ok = ok && maybe_audit_locked (conn, audit, now, family_id, error);
  return _parkd_sqlite_write_end (self, ok, error);
}

gboolean
_parkd_sqlite_revoke_user_sessions (ParkdStore  *store,
                                    const char  *user_id,
                                    const char  *reason,
                                    GPtrArray  **families,
                                    GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok = FALSE;

  if (conn == NULL)
    return FALSE;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_REVOKE_USER_FAMILIES, error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_STATIC);
      ok = _parkd_sqlite_collect_rows (conn, stmt, _parkd_sqlite_text_row, ids,
                                       "revoke sessions", error);
    }
  ok = _parkd_sqlite_write_end (self, ok, error);
  if (ok && families != NULL)
    *families = g_steal_pointer (&ids);
  return ok;
}

gboolean
_parkd_sqlite_revoke_access_token (ParkdStore  *store,
                                   const char  *jti,
                                   const char  *expires_at,
                                   GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  sqlite3_stmt *stmt;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok = FALSE;

  if (conn == NULL)
    return FALSE;
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_REVOKE_JTI, error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, jti, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, expires_at, -1, SQLITE_STATIC);
      ok = _parkd_sqlite_run (conn, stmt, "revoke access token", error);
    }
  return _parkd_sqlite_write_end (self, ok, error);
}

/* The first column of every row @sql finds for @key, as strings. */
static gboolean
collect_strings (Conn        *conn,
                 const char  *sql,
                 const char  *key,
                 GPtrArray   *into,
                 GError     **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  return _parkd_sqlite_collect_rows (conn, stmt, _parkd_sqlite_text_row, into, "revocations",
                                     error);
}

gboolean
_parkd_sqlite_load_revocations (ParkdStore  *store,
                                const char  *since,
                                GPtrArray  **jtis,
                                GPtrArray  **families,
                                GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autoptr(GPtrArray) live_jtis = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) revoked = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *now = parkd_now_rfc3339 ();
  sqlite3_stmt *stmt;
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok;

  if (conn == NULL)
    return FALSE;

  /* Housekeeping first: what has expired needs refusing no longer. */
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_PURGE_JTIS, error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
      ok = _parkd_sqlite_run (conn, stmt, "purge access tokens", error);
    }
  if (ok)
    {
      stmt = _parkd_sqlite_conn_prepare (conn, SQL_PURGE_REFRESH, error);
      ok = stmt != NULL;
    }
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
      ok = _parkd_sqlite_run (conn, stmt, "purge refresh tokens", error);
    }
  ok = ok && collect_strings (conn, SQL_LIVE_JTIS, now, live_jtis, error) &&
       collect_strings (conn, SQL_REVOKED_FAMILIES, since != NULL ? since : "", revoked, error);

  if (!_parkd_sqlite_write_end (self, ok, error))
    return FALSE;
  *jtis = g_steal_pointer (&live_jtis);
  *families = g_steal_pointer (&revoked);
  return TRUE;
}

gboolean
_parkd_sqlite_session_active (ParkdStore  *store,
                              const char  *family_id,
                              GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  gboolean active = FALSE;
  Conn *conn;
  sqlite3_stmt *stmt = _parkd_sqlite_reader_prepare (self, SQL_FAMILY_ACTIVE, &conn, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, family_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    active = sqlite3_column_int (stmt, 0) != 0;
  else if (rc != SQLITE_DONE)
    _parkd_sqlite_set_error (error, conn->db, rc, "session");
  sqlite3_reset (stmt);
  _parkd_sqlite_give_reader (self, conn);
  return active;
}
