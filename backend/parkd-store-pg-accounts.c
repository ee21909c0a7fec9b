/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-pg-accounts.c: the PostgreSQL store's operators, lots and spots as staff
 * manage them, accounts, vehicles, sign-in sessions, revocations and the audit log; the
 * same behaviour as parkd-store-sqlite-accounts.c, statement for statement.
 */
#include "config.h"

#include "parkd-store-pg-private.h"

#include <stdlib.h>
#include <string.h>

#define USER_CHECK_MESSAGE \
  "Attendants and operators belong to exactly one operator, drivers and admins to none"
#define SPOT_CONFLICT_MESSAGE "This lot already has a spot with this number"

static const char SQL_INSERT_AUDIT[] =
  "INSERT INTO audit_log (at, actor_id, action, object_type, object_id, operator_id, client, "
  "detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
#define AUDIT_COLUMNS \
  "id, at, actor_id, action, object_type, object_id, operator_id, client, detail"
static const char SQL_AUDIT_PAGE[] =
  "SELECT " AUDIT_COLUMNS " FROM audit_log ORDER BY id DESC LIMIT $1 OFFSET $2";
static const char SQL_AUDIT_COUNT[] = "SELECT count(*) FROM audit_log";
static const char SQL_OPERATOR_AUDIT_PAGE[] =
  "SELECT " AUDIT_COLUMNS " FROM audit_log WHERE operator_id = $3 "
  "ORDER BY id DESC LIMIT $1 OFFSET $2";
static const char SQL_OPERATOR_AUDIT_COUNT[] =
  "SELECT count(*) FROM audit_log WHERE operator_id = $1";

static const char SQL_OPERATOR_BY_ID[] =
  "SELECT " PG_OPERATOR_COLUMNS " FROM operators WHERE id = $1";
static const char SQL_OPERATORS_PAGE[] =
  "SELECT " PG_OPERATOR_COLUMNS " FROM operators WHERE $3::text IS NULL OR id = $3 "
  "ORDER BY name, id LIMIT $1 OFFSET $2";
static const char SQL_OPERATORS_COUNT[] =
  "SELECT count(*) FROM operators WHERE $1::text IS NULL OR id = $1";

#define LOT_SELECT \
  "SELECT " PG_LOT_COLUMNS " FROM parking_lots l JOIN operators o ON o.id = l.operator_id" \
  PG_COUNTS_JOIN
static const char SQL_LOT_WITH_COUNTS[] = LOT_SELECT "WHERE l.id = $1";
static const char SQL_LOTS_PAGE[] = LOT_SELECT "ORDER BY l.name, l.id LIMIT $1 OFFSET $2";
static const char SQL_LOTS_COUNT[] = "SELECT count(*) FROM parking_lots";
static const char SQL_OPERATOR_LOTS_PAGE[] =
  LOT_SELECT "WHERE l.operator_id = $3 ORDER BY l.name, l.id LIMIT $1 OFFSET $2";
static const char SQL_OPERATOR_LOTS_COUNT[] =
  "SELECT count(*) FROM parking_lots WHERE operator_id = $1";
static const char SQL_UPDATE_LOT[] =
  "UPDATE parking_lots SET name = $2, address = $3, city = $4, lat = $5, lng = $6, "
  "lot_type = $7, hourly_rate = $8, operating_hours = $9, amenities = $10, status = $11, "
  "updated_at = $12 WHERE id = $1";
static const char SQL_DELETE_LOT[] = "DELETE FROM parking_lots WHERE id = $1";
static const char SQL_SYNC_TOTAL_SPOTS[] =
  "UPDATE parking_lots SET total_spots = (SELECT count(*) FROM parking_spots WHERE lot_pk = $1), "
  "updated_at = $2 WHERE pk = $1";

static const char SQL_SPOT_BY_ID[] =
  "SELECT s.id, l.id, s.number, s.spot_type, s.level, s.state, s.updated_at "
  "FROM parking_spots s JOIN parking_lots l ON l.pk = s.lot_pk WHERE s.id = $1";
static const char SQL_SPOT_LOT_PK[] = "SELECT lot_pk FROM parking_spots WHERE id = $1";
static const char SQL_CREATE_SPOT[] =
  "INSERT INTO parking_spots (id, lot_pk, number, spot_type, level, state, updated_at) "
  "VALUES ($1, $2, $3, $4, $5, $6, $7)";
static const char SQL_UPDATE_SPOT[] =
  "UPDATE parking_spots SET number = $2, spot_type = $3, level = $4, state = $5, "
  "updated_at = $6 WHERE id = $1";
static const char SQL_DELETE_SPOT[] = "DELETE FROM parking_spots WHERE id = $1";

#define USER_SELECT \
  "SELECT u.id, u.email, u.password_hash, u.first_name, u.last_name, u.phone_sealed, u.role, " \
  "u.operator_id, o.slug, o.name, u.disabled, u.created_at, u.updated_at " \
  "FROM users u LEFT JOIN operators o ON o.id = u.operator_id "
static const char SQL_USER_BY_ID[] = USER_SELECT "WHERE u.id = $1";
static const char SQL_USER_BY_EMAIL[] = USER_SELECT "WHERE u.email = $1";
static const char SQL_INSERT_USER[] =
  "INSERT INTO users (id, email, password_hash, first_name, last_name, phone_sealed, role, "
  "operator_id, disabled, created_at, updated_at) "
  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)";
static const char SQL_UPDATE_USER[] =
  "UPDATE users SET first_name = $2, last_name = $3, phone_sealed = $4, password_hash = $5, "
  "role = $6, operator_id = $7, disabled = $8, updated_at = $9 WHERE id = $1";
static const char SQL_DELETE_USER[] = "DELETE FROM users WHERE id = $1";
static const char SQL_STAFF_PAGE[] =
  USER_SELECT "WHERE u.operator_id = $3 ORDER BY u.email LIMIT $1 OFFSET $2";
static const char SQL_STAFF_COUNT[] = "SELECT count(*) FROM users WHERE operator_id = $1";
static const char SQL_ALL_STAFF_PAGE[] =
  USER_SELECT "WHERE u.role <> 'driver' ORDER BY u.email LIMIT $1 OFFSET $2";
static const char SQL_ALL_STAFF_COUNT[] = "SELECT count(*) FROM users WHERE role <> 'driver'";

static const char SQL_VEHICLES[] =
  "SELECT id, user_id, plate_sealed, plate_hash, country, nickname, created_at "
  "FROM vehicles WHERE user_id = $1 ORDER BY created_at, id";
static const char SQL_INSERT_VEHICLE[] =
  "INSERT INTO vehicles (id, user_id, plate_sealed, plate_hash, country, nickname, created_at) "
  "VALUES ($1, $2, $3, $4, $5, $6, $7)";
static const char SQL_DELETE_VEHICLE[] = "DELETE FROM vehicles WHERE id = $1 AND user_id = $2";

static const char SQL_INSERT_FAMILY[] =
  "INSERT INTO token_families (id, user_id, created_at, client) VALUES ($1, $2, $3, $4)";
static const char SQL_INSERT_REFRESH[] =
  "INSERT INTO refresh_tokens (token_hash, family_id, created_at, expires_at) "
  "VALUES ($1, $2, $3, $4)";
/* The token's row is locked: two refreshes with one token are one rotation and one reuse. */
static const char SQL_FIND_REFRESH[] =
  "SELECT t.expires_at, t.used_at, f.id, f.user_id, f.revoked_at, u.disabled, u.operator_id "
  "FROM refresh_tokens t JOIN token_families f ON f.id = t.family_id "
  "JOIN users u ON u.id = f.user_id WHERE t.token_hash = $1 FOR UPDATE OF t";
static const char SQL_SPEND_REFRESH[] =
  "UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1";
static const char SQL_REVOKE_FAMILY[] =
  "UPDATE token_families SET revoked_at = $2, revoked_reason = $3 "
  "WHERE id = $1 AND revoked_at IS NULL";
static const char SQL_FAMILY_EXISTS[] = "SELECT 1 FROM token_families WHERE id = $1";
static const char SQL_REVOKE_USER_FAMILIES[] =
  "UPDATE token_families SET revoked_at = $2, revoked_reason = $3 "
  "WHERE user_id = $1 AND revoked_at IS NULL RETURNING id";
static const char SQL_FAMILY_ACTIVE[] =
  "SELECT revoked_at IS NULL FROM token_families WHERE id = $1";
static const char SQL_REVOKE_JTI[] =
  "INSERT INTO revoked_access_tokens (jti, expires_at) VALUES ($1, $2) "
  "ON CONFLICT (jti) DO NOTHING";
static const char SQL_PURGE_JTIS[] = "DELETE FROM revoked_access_tokens WHERE expires_at <= $1";
static const char SQL_PURGE_REFRESH[] =
  "DELETE FROM refresh_tokens WHERE expires_at <= $1 AND (used_at IS NOT NULL OR family_id IN "
  "(SELECT id FROM token_families WHERE revoked_at IS NOT NULL))";
static const char SQL_LIVE_JTIS[] = "SELECT jti FROM revoked_access_tokens WHERE expires_at > $1";
static const char SQL_REVOKED_FAMILIES[] =
  "SELECT id FROM token_families WHERE revoked_at >= $1 ORDER BY revoked_at, id";

static ParkdStorePg *
pg (ParkdStore *store)
{
  return (ParkdStorePg *) store;
}

/* A statement that must succeed, its failure said in a client's words. */
static gboolean
run_checked (PgConn              *conn,
             const char          *sql,
             int                  n_params,
             const char * const  *params,
             const char          *what,
             const char          *unique,
             const char          *check,
             const char          *foreign_key,
             int                 *changed,
             GError             **error)
{
  g_autoptr(PGresult) res = _parkd_pg_query (conn, sql, n_params, params, NULL);

  if (res == NULL)
    return _parkd_pg_set_write_error (error, conn, what, unique, check, foreign_key);
  if (changed != NULL)
    *changed = atoi (PQcmdTuples (res));
  return TRUE;
}

#define RUN(conn, sql, params, what, unique, check, fk, changed, error) \
  run_checked ((conn), (sql), G_N_ELEMENTS (params), (const char * const *) (params), (what), \
               (unique), (check), (fk), (changed), (error))

/* Rows. */

static gpointer
operator_row (const PGresult *res,
              int             row)
{
  return _parkd_pg_operator_from_row (res, row);
}

static gpointer
lot_row (const PGresult *res,
         int             row)
{
  ParkdLot *lot = g_new0 (ParkdLot, 1);

  _parkd_pg_lot_from_row (lot, res, row);
  return lot;
}

static gpointer
spot_row (const PGresult *res,
          int             row)
{
  ParkdSpot *spot = g_new0 (ParkdSpot, 1);

  spot->id = _parkd_pg_dup (res, row, 0);
  spot->lot_id = _parkd_pg_dup (res, row, 1);
  spot->number = _parkd_pg_dup (res, row, 2);
  parkd_spot_type_from_string (PQgetvalue (res, row, 3), &spot->type);
  spot->level = _parkd_pg_int (res, row, 4);
  parkd_spot_state_from_string (PQgetvalue (res, row, 5), &spot->state);
  spot->updated_at = _parkd_pg_dup (res, row, 6);
  return spot;
}

static gpointer
user_row (const PGresult *res,
          int             row)
{
  ParkdUser *user = g_new0 (ParkdUser, 1);

  user->id = _parkd_pg_dup (res, row, 0);
  user->email = _parkd_pg_dup (res, row, 1);
  user->password_hash = _parkd_pg_dup (res, row, 2);
  user->first_name = _parkd_pg_dup (res, row, 3);
  user->last_name = _parkd_pg_dup (res, row, 4);
  user->phone_sealed = _parkd_pg_bytes (res, row, 5);
  if (!parkd_role_from_string (PQgetvalue (res, row, 6), &user->role))
    user->role = PARKD_ROLE_DRIVER;
  user->operator_id = _parkd_pg_dup (res, row, 7);
  user->operator_slug = _parkd_pg_dup (res, row, 8);
  user->operator_name = _parkd_pg_dup (res, row, 9);
  user->disabled = _parkd_pg_bool (res, row, 10);
  user->created_at = _parkd_pg_dup (res, row, 11);
  user->updated_at = _parkd_pg_dup (res, row, 12);
  return user;
}

static gpointer
vehicle_row (const PGresult *res,
             int             row)
{
  ParkdVehicle *vehicle = g_new0 (ParkdVehicle, 1);

  vehicle->id = _parkd_pg_dup (res, row, 0);
  vehicle->user_id = _parkd_pg_dup (res, row, 1);
  vehicle->plate_sealed = _parkd_pg_bytes (res, row, 2);
  vehicle->plate_hash = _parkd_pg_bytes (res, row, 3);
  vehicle->country = _parkd_pg_dup (res, row, 4);
  vehicle->nickname = _parkd_pg_dup (res, row, 5);
  vehicle->created_at = _parkd_pg_dup (res, row, 6);
  return vehicle;
}

static gpointer
audit_row (const PGresult *res,
           int             row)
{
  ParkdAudit *audit = g_new0 (ParkdAudit, 1);

  audit->id = _parkd_pg_int (res, row, 0);
  audit->at = _parkd_pg_dup (res, row, 1);
  audit->actor_id = _parkd_pg_dup (res, row, 2);
  audit->action = _parkd_pg_dup (res, row, 3);
  audit->object_type = _parkd_pg_dup (res, row, 4);
  audit->object_id = _parkd_pg_dup (res, row, 5);
  audit->operator_id = _parkd_pg_dup (res, row, 6);
  audit->client = _parkd_pg_dup (res, row, 7);
  audit->detail = _parkd_pg_dup (res, row, 8);
  return audit;
}

/* The audit log and the outbox. */

gboolean
_parkd_pg_audit_locked (PgConn            *conn,
                        const ParkdAudit  *audit,
                        const char        *now,
                        const char        *object_id,
                        GError           **error)
{
  const char *params[] = {
    audit->at != NULL ? audit->at : now,
    audit->actor_id,
    audit->action,
    audit->object_type != NULL ? audit->object_type : "",
    audit->object_id != NULL ? audit->object_id : object_id != NULL ? object_id : "",
    audit->operator_id,
    audit->client != NULL ? audit->client : "",
    audit->detail != NULL ? audit->detail : "{}",
  };

  return RUN (conn, SQL_INSERT_AUDIT, params, "audit", NULL, NULL, NULL, NULL, error);
}

static gboolean
maybe_audit_locked (PgConn            *conn,
                    const ParkdAudit  *audit,
                    const char        *now,
                    const char        *object_id,
                    GError           **error)
{
  return audit == NULL || _parkd_pg_audit_locked (conn, audit, now, object_id, error);
}

gboolean
_parkd_pg_insert_event (PgConn      *conn,
                        const char  *type,
                        const char  *aggregate,
                        const char  *operator_id,
                        const char  *payload,
                        const char  *now,
                        GError     **error)
{
  g_autofree char *id = g_uuid_string_random ();
  const char *params[] = { id, type, aggregate, operator_id, payload, now };

  return RUN (conn,
              "INSERT INTO events (id, type, aggregate, operator_id, payload, created_at) "
              "VALUES ($1, $2, $3, $4, $5, $6)",
              params, "event", NULL, NULL, NULL, NULL, error);
}

typedef struct
{
  const ParkdAudit *audit;
} AuditWrite;

static gboolean
audit_tx (PgConn   *conn,
          gpointer  data,
          GError  **error)
{
  g_autofree char *now = parkd_now_rfc3339 ();

  return _parkd_pg_audit_locked (conn, ((AuditWrite *) data)->audit, now, NULL, error);
}

static gboolean
pg_audit (ParkdStore        *store,
          const ParkdAudit  *audit,
          GError           **error)
{
  AuditWrite w = { audit };

  return _parkd_pg_transact (pg (store), FALSE, audit_tx, &w, error);
}

static ParkdPage *
pg_list_audit (ParkdStore  *store,
               const char  *operator_id,
               guint        page,
               guint        per_page,
               GError     **error)
{
  return _parkd_pg_read_page (pg (store),
                              operator_id != NULL ? SQL_OPERATOR_AUDIT_COUNT : SQL_AUDIT_COUNT,
                              operator_id != NULL ? SQL_OPERATOR_AUDIT_PAGE : SQL_AUDIT_PAGE,
                              operator_id, NULL, page, per_page, audit_row,
                              (GDestroyNotify) parkd_audit_free, error);
}

/* Operators. */

static ParkdOperator *
pg_get_operator_by_id (ParkdStore  *store,
                       const char  *id,
                       GError     **error)
{
  return _parkd_pg_load_row (pg (store), SQL_OPERATOR_BY_ID, id, NULL, operator_row,
                             "No such operator", error);
}

static ParkdPage *
pg_list_operators (ParkdStore  *store,
                   const char  *only_id,
                   guint        page,
                   guint        per_page,
                   GError     **error)
{
  return _parkd_pg_read_page (pg (store), SQL_OPERATORS_COUNT, SQL_OPERATORS_PAGE, only_id, NULL,
                              page, per_page, operator_row,
                              (GDestroyNotify) parkd_operator_free, error);
}

typedef struct
{
  const ParkdOperator *want;
  const ParkdAudit    *audit;
  ParkdOperator       *out;
} OperatorWrite;

static gboolean
create_operator_tx (PgConn   *conn,
                    gpointer  data,
                    GError  **error)
{
  OperatorWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autoptr(ParkdOperator) op = NULL;

  g_clear_pointer (&w->out, parkd_operator_free);
  op = _parkd_pg_insert_operator_locked (conn, w->want, now, error);
  if (op == NULL || !maybe_audit_locked (conn, w->audit, now, op->id, error))
    return FALSE;
  w->out = g_steal_pointer (&op);
  return TRUE;
}

static ParkdOperator *
pg_create_operator (ParkdStore           *store,
                    const ParkdOperator  *want,
                    const ParkdAudit     *audit,
                    GError              **error)
{
  OperatorWrite w = { want, audit, NULL };

  if (!_parkd_pg_transact (pg (store), FALSE, create_operator_tx, &w, error))
    {
      g_clear_pointer (&w.out, parkd_operator_free);
      return NULL;
    }
  return w.out;
}

/* Lots. */

static ParkdPage *
pg_list_operator_lots (ParkdStore  *store,
                       const char  *operator_id,
                       guint        page,
                       guint        per_page,
                       GError     **error)
{
  return _parkd_pg_read_page (pg (store),
                              operator_id != NULL ? SQL_OPERATOR_LOTS_COUNT : SQL_LOTS_COUNT,
                              operator_id != NULL ? SQL_OPERATOR_LOTS_PAGE : SQL_LOTS_PAGE,
                              operator_id, NULL, page, per_page, lot_row,
                              (GDestroyNotify) parkd_lot_free, error);
}

typedef struct
{
  const ParkdNewLot *want;
  const ParkdLot    *lot;
  const ParkdAudit  *audit;
  ParkdLot          *out;
} LotWrite;

static gboolean
create_lot_tx (PgConn   *conn,
               gpointer  data,
               GError  **error)
{
  LotWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autoptr(ParkdOperator) op = NULL;
  g_autofree char *lot_id = NULL;
  ParkdNewLot nl = *w->want;  /* the insert writes the new id and "existed" here */
  gboolean ok;

  g_clear_pointer (&w->out, parkd_lot_free);
  nl.lot.id = NULL;
  op = _parkd_pg_load_row_on (conn, SQL_OPERATOR_BY_ID, w->want->lot.operator_id, NULL,
                              operator_row, "No such operator", error);
  ok = op != NULL && _parkd_pg_insert_lot_locked (conn, op, &nl, now, error);
  lot_id = g_steal_pointer (&nl.lot.id);
  if (!ok)
    return FALSE;
  if (nl.existed)
    {
      /* The importer skips such a lot silently; a person creating one twice wants to know. */
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT,
                           "This operator already has a lot with this name at this place");
      return FALSE;
    }
  w->out = _parkd_pg_load_row_on (conn, SQL_LOT_WITH_COUNTS, lot_id, NULL, lot_row,
                                  "No such parking lot", error);
  return w->out != NULL && maybe_audit_locked (conn, w->audit, now, lot_id, error);
}

static ParkdLot *
pg_create_lot (ParkdStore         *store,
               const ParkdNewLot  *want,
               const ParkdAudit   *audit,
               GError            **error)
{
  LotWrite w = { want, NULL, audit, NULL };

  if (!_parkd_pg_transact (pg (store), FALSE, create_lot_tx, &w, error))
    {
      g_clear_pointer (&w.out, parkd_lot_free);
      return NULL;
    }
  return w.out;
}

static gboolean
update_lot_tx (PgConn   *conn,
               gpointer  data,
               GError  **error)
{
  LotWrite *w = data;
  const ParkdLot *want = w->lot;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *lat = _parkd_pg_double_param (want->lat);
  g_autofree char *lng = _parkd_pg_double_param (want->lng);
  g_autofree char *rate = _parkd_pg_int_param (want->hourly_rate);
  const char *params[] = {
    want->id, want->name, want->address, want->city, lat, lng, want->lot_type, rate,
    want->operating_hours, want->amenities != NULL ? want->amenities : "[]", want->status, now,
  };
  int changed = 0;

  g_clear_pointer (&w->out, parkd_lot_free);
  if (!RUN (conn, SQL_UPDATE_LOT, params, "Invalid parking lot", NULL, NULL, NULL, &changed,
            error) ||
      !_parkd_pg_require_change (changed, "No such parking lot", error))
    return FALSE;
  w->out = _parkd_pg_load_row_on (conn, SQL_LOT_WITH_COUNTS, want->id, NULL, lot_row,
                                  "No such parking lot", error);
  return w->out != NULL && maybe_audit_locked (conn, w->audit, now, want->id, error);
}

static ParkdLot *
pg_update_lot (ParkdStore        *store,
               const ParkdLot    *want,
               const ParkdAudit  *audit,
               GError           **error)
{
  LotWrite w = { NULL, want, audit, NULL };

  if (!_parkd_pg_transact (pg (store), FALSE, update_lot_tx, &w, error))
    {
      g_clear_pointer (&w.out, parkd_lot_free);
      return NULL;
    }
  return w.out;
}

typedef struct
{
  const char       *sql;
  const char       *id;
  const char       *missing;
  const ParkdAudit *audit;
} DeleteWrite;

static gboolean
delete_tx (PgConn   *conn,
           gpointer  data,
           GError  **error)
{
  DeleteWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  const char *params[] = { w->id };
  int changed = 0;

  if (!RUN (conn, w->sql, params, w->missing, NULL, NULL, "Something else still refers to it",
            &changed, error) ||
      !_parkd_pg_require_change (changed, w->missing, error))
    return FALSE;
  return maybe_audit_locked (conn, w->audit, now, w->id, error);
}

static gboolean
delete_by_id (ParkdStore        *store,
              const char        *sql,
              const char        *id,
              const char        *missing,
              const ParkdAudit  *audit,
              GError           **error)
{
  DeleteWrite w = { sql, id, missing, audit };

  return _parkd_pg_transact (pg (store), FALSE, delete_tx, &w, error);
}

static gboolean
pg_delete_lot (ParkdStore        *store,
               const char        *id,
               const ParkdAudit  *audit,
               GError           **error)
{
  /* Its spots and counts go with it (ON DELETE CASCADE). */
  return delete_by_id (store, SQL_DELETE_LOT, id, "No such parking lot", audit, error);
}

/* Spots. */

static gboolean
sync_total_spots_locked (PgConn      *conn,
                         gint64       lot_pk,
                         const char  *now,
                         GError     **error)
{
  g_autofree char *pk = _parkd_pg_int_param (lot_pk);
  const char *params[] = { pk, now };

  return RUN (conn, SQL_SYNC_TOTAL_SPOTS, params, "total spots", NULL, NULL, NULL, NULL, error);
}

static ParkdSpot *
pg_get_spot (ParkdStore  *store,
             const char  *id,
             GError     **error)
{
  return _parkd_pg_load_row (pg (store), SQL_SPOT_BY_ID, id, NULL, spot_row, "No such spot",
                             error);
}

typedef struct
{
  const ParkdSpot  *want;
  const ParkdAudit *audit;
  ParkdSpot        *out;
} SpotWrite;

static gboolean
create_spot_tx (PgConn   *conn,
                gpointer  data,
                GError  **error)
{
  SpotWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *pk = NULL, *level = NULL;
  gint64 lot_pk = 0;

  g_clear_pointer (&w->out, parkd_spot_free);
  if (!_parkd_pg_lookup_lot_pk (conn, w->want->lot_id, &lot_pk, error))
    return FALSE;
  pk = _parkd_pg_int_param (lot_pk);
  level = _parkd_pg_int_param (w->want->level);
  {
    const char *params[] = {
      id, pk, w->want->number, parkd_spot_type_to_string (w->want->type), level,
      parkd_spot_state_to_string (w->want->state), now,
    };

    if (!RUN (conn, SQL_CREATE_SPOT, params, "Invalid spot", SPOT_CONFLICT_MESSAGE, NULL, NULL,
              NULL, error) ||
        !sync_total_spots_locked (conn, lot_pk, now, error))
      return FALSE;
  }
  w->out = _parkd_pg_load_row_on (conn, SQL_SPOT_BY_ID, id, NULL, spot_row, "No such spot",
                                  error);
  return w->out != NULL && maybe_audit_locked (conn, w->audit, now, id, error);
}

static ParkdSpot *
pg_create_spot (ParkdStore        *store,
                const ParkdSpot   *want,
                const ParkdAudit  *audit,
                GError           **error)
{
  SpotWrite w = { want, audit, NULL };

  if (!_parkd_pg_transact (pg (store), FALSE, create_spot_tx, &w, error))
    {
      g_clear_pointer (&w.out, parkd_spot_free);
      return NULL;
    }
  return w.out;
}

static gboolean
update_spot_tx (PgConn   *conn,
                gpointer  data,
                GError  **error)
{
  SpotWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *level = _parkd_pg_int_param (w->want->level);
  const char *params[] = {
    w->want->id, w->want->number, parkd_spot_type_to_string (w->want->type), level,
    parkd_spot_state_to_string (w->want->state), now,
  };
  int changed = 0;

  g_clear_pointer (&w->out, parkd_spot_free);
  if (!RUN (conn, SQL_UPDATE_SPOT, params, "Invalid spot", SPOT_CONFLICT_MESSAGE, NULL, NULL,
            &changed, error) ||
      !_parkd_pg_require_change (changed, "No such spot", error))
    return FALSE;
  w->out = _parkd_pg_load_row_on (conn, SQL_SPOT_BY_ID, w->want->id, NULL, spot_row,
                                  "No such spot", error);
  return w->out != NULL && maybe_audit_locked (conn, w->audit, now, w->want->id, error);
}

static ParkdSpot *
pg_update_spot (ParkdStore        *store,
                const ParkdSpot   *want,
                const ParkdAudit  *audit,
                GError           **error)
{
  SpotWrite w = { want, audit, NULL };

  if (!_parkd_pg_transact (pg (store), FALSE, update_spot_tx, &w, error))
    {
      g_clear_pointer (&w.out, parkd_spot_free);
      return NULL;
    }
  return w.out;
}

static gboolean
delete_spot_tx (PgConn   *conn,
                gpointer  data,
                GError  **error)
{
  DeleteWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  const char *params[] = { w->id };
  g_autoptr(PGresult) res = _parkd_pg_query_v (conn, SQL_SPOT_LOT_PK, params, error);
  gint64 lot_pk;

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND, "No such spot");
      return FALSE;
    }
  lot_pk = _parkd_pg_int (res, 0, 0);
  return RUN (conn, SQL_DELETE_SPOT, params, "delete spot", NULL, NULL,
              "Something else still refers to it", NULL, error) &&
         sync_total_spots_locked (conn, lot_pk, now, error) &&
         maybe_audit_locked (conn, w->audit, now, w->id, error);
}

static gboolean
pg_delete_spot (ParkdStore        *store,
                const char        *id,
                const ParkdAudit  *audit,
                GError           **error)
{
  DeleteWrite w = { NULL, id, "No such spot", audit };

  return _parkd_pg_transact (pg (store), FALSE, delete_spot_tx, &w, error);
}

/* Users. */

static ParkdUser *
pg_get_user (ParkdStore  *store,
             const char  *id,
             GError     **error)
{
  return _parkd_pg_load_row (pg (store), SQL_USER_BY_ID, id, NULL, user_row, "No such user",
                             error);
}

static ParkdUser *
pg_get_user_by_email (ParkdStore  *store,
                      const char  *email,
                      GError     **error)
{
  return _parkd_pg_load_row (pg (store), SQL_USER_BY_EMAIL, email, NULL, user_row,
                             "No such user", error);
}

typedef struct
{
  const ParkdUser  *want;
  const ParkdAudit *audit;
  ParkdUser        *out;
} UserWrite;

static gboolean
create_user_tx (PgConn   *conn,
                gpointer  data,
                GError  **error)
{
  UserWrite *w = data;
  const ParkdUser *want = w->want;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *phone = _parkd_pg_bytes_param (want->phone_sealed);
  g_autofree char *aggregate = NULL, *payload = NULL;
  const char *params[] = {
    id, want->email, want->password_hash, want->first_name != NULL ? want->first_name : "",
    want->last_name != NULL ? want->last_name : "", phone, parkd_role_to_string (want->role),
    want->operator_id, want->disabled ? "true" : "false", now,
  };

  g_clear_pointer (&w->out, parkd_user_free);
  if (!RUN (conn, SQL_INSERT_USER, params, "Invalid user",
            "An account with this e-mail address exists", USER_CHECK_MESSAGE, "No such operator",
            NULL, error))
    return FALSE;
  w->out = _parkd_pg_load_row_on (conn, SQL_USER_BY_ID, id, NULL, user_row, "No such user",
                                  error);
  if (w->out == NULL || !maybe_audit_locked (conn, w->audit, now, id, error))
    return FALSE;
  /* The seed's UserRegistered, in the outbox with the account; no address or name in it. */
  aggregate = g_strconcat ("user:", id, NULL);
  payload = g_strdup_printf ("{\"user_id\":\"%s\",\"role\":\"%s\"}", id,
                             parkd_role_to_string (w->out->role));
  return _parkd_pg_insert_event (conn, "UserRegistered", aggregate, w->out->operator_id,
                                 payload, now, error);
}

static ParkdUser *
pg_create_user (ParkdStore        *store,
                const ParkdUser   *want,
                const ParkdAudit  *audit,
                GError           **error)
{
  UserWrite w = { want, audit, NULL };

  if (!_parkd_pg_transact (pg (store), FALSE, create_user_tx, &w, error))
    {
      g_clear_pointer (&w.out, parkd_user_free);
      return NULL;
    }
  return w.out;
}

static gboolean
update_user_tx (PgConn   *conn,
                gpointer  data,
                GError  **error)
{
  UserWrite *w = data;
  const ParkdUser *want = w->want;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *phone = _parkd_pg_bytes_param (want->phone_sealed);
  const char *params[] = {
    want->id, want->first_name != NULL ? want->first_name : "",
    want->last_name != NULL ? want->last_name : "", phone, want->password_hash,
    parkd_role_to_string (want->role), want->operator_id, want->disabled ? "true" : "false", now,
  };
  int changed = 0;

  g_clear_pointer (&w->out, parkd_user_free);
  if (!RUN (conn, SQL_UPDATE_USER, params, "Invalid user", NULL, USER_CHECK_MESSAGE,
            "No such operator", &changed, error) ||
      !_parkd_pg_require_change (changed, "No such user", error))
    return FALSE;
  w->out = _parkd_pg_load_row_on (conn, SQL_USER_BY_ID, want->id, NULL, user_row,
                                  "No such user", error);
  return w->out != NULL && maybe_audit_locked (conn, w->audit, now, want->id, error);
}

static ParkdUser *
pg_update_user (ParkdStore        *store,
                const ParkdUser   *want,
                const ParkdAudit  *audit,
                GError           **error)
{
  UserWrite w = { want, audit, NULL };

  if (!_parkd_pg_transact (pg (store), FALSE, update_user_tx, &w, error))
    {
      g_clear_pointer (&w.out, parkd_user_free);
      return NULL;
    }
  return w.out;
}

static gboolean
pg_delete_user (ParkdStore        *store,
                const char        *id,
                const ParkdAudit  *audit,
                GError           **error)
{
  /* Vehicles, token families and their refresh tokens go with it (ON DELETE CASCADE). */
  return delete_by_id (store, SQL_DELETE_USER, id, "No such user", audit, error);
}

static ParkdPage *
pg_list_staff (ParkdStore  *store,
               const char  *operator_id,
               guint        page,
               guint        per_page,
               GError     **error)
{
  return _parkd_pg_read_page (pg (store),
                              operator_id != NULL ? SQL_STAFF_COUNT : SQL_ALL_STAFF_COUNT,
                              operator_id != NULL ? SQL_STAFF_PAGE : SQL_ALL_STAFF_PAGE,
                              operator_id, NULL, page, per_page, user_row,
                              (GDestroyNotify) parkd_user_free, error);
}

/* Vehicles. */

static GPtrArray *
pg_list_vehicles (ParkdStore  *store,
                  const char  *user_id,
                  GError     **error)
{
  const char *params[] = { user_id };

  return _parkd_pg_read_list_v (pg (store), SQL_VEHICLES, params, vehicle_row,
                                (GDestroyNotify) parkd_vehicle_free, error);
}

typedef struct
{
  ParkdVehicle *vehicle;
} VehicleWrite;

static gboolean
add_vehicle_tx (PgConn   *conn,
                gpointer  data,
                GError  **error)
{
  ParkdVehicle *vehicle = ((VehicleWrite *) data)->vehicle;
  g_autofree char *sealed = _parkd_pg_bytes_param (vehicle->plate_sealed);
  g_autofree char *hash = _parkd_pg_bytes_param (vehicle->plate_hash);
  const char *params[] = {
    vehicle->id, vehicle->user_id, sealed, hash, vehicle->country, vehicle->nickname,
    vehicle->created_at,
  };

  return RUN (conn, SQL_INSERT_VEHICLE, params, "Invalid vehicle",
              "This vehicle is already registered", NULL, "No such user", NULL, error);
}

static ParkdVehicle *
pg_add_vehicle (ParkdStore          *store,
                const ParkdVehicle  *want,
                GError             **error)
{
  g_autoptr(ParkdVehicle) vehicle = g_new0 (ParkdVehicle, 1);
  VehicleWrite w;

  /* What is stored, as a read would give it back. */
  vehicle->id = g_uuid_string_random ();
  vehicle->user_id = g_strdup (want->user_id);
  vehicle->plate_sealed = want->plate_sealed != NULL ? g_bytes_ref (want->plate_sealed) : NULL;
  vehicle->plate_hash = want->plate_hash != NULL ? g_bytes_ref (want->plate_hash) : NULL;
  vehicle->country = g_strdup (want->country);
  vehicle->nickname = g_strdup (want->nickname != NULL ? want->nickname : "");
  vehicle->created_at = parkd_now_rfc3339 ();
  w.vehicle = vehicle;
  if (!_parkd_pg_transact (pg (store), FALSE, add_vehicle_tx, &w, error))
    return NULL;
  return g_steal_pointer (&vehicle);
}

typedef struct
{
  const char *user_id;
  const char *id;
} VehicleDelete;

static gboolean
delete_vehicle_tx (PgConn   *conn,
                   gpointer  data,
                   GError  **error)
{
  VehicleDelete *d = data;
  const char *params[] = { d->id, d->user_id };
  int changed = 0;

  if (!RUN (conn, SQL_DELETE_VEHICLE, params, "delete vehicle", NULL, NULL, NULL, &changed,
            error))
    return FALSE;
  /* Someone else's vehicle is as absent as one that never was. */
  return _parkd_pg_require_change (changed, "No such vehicle", error);
}

static gboolean
pg_delete_vehicle (ParkdStore  *store,
                   const char  *user_id,
                   const char  *id,
                   GError     **error)
{
  VehicleDelete d = { user_id, id };

  return _parkd_pg_transact (pg (store), FALSE, delete_vehicle_tx, &d, error);
}

/* Sessions. */

static gboolean
insert_refresh_locked (PgConn      *conn,
                       GBytes      *token_hash,
                       const char  *family_id,
                       const char  *expires_at,
                       const char  *now,
                       GError     **error)
{
  g_autofree char *hash = _parkd_pg_bytes_param (token_hash);
  const char *params[] = { hash, family_id, now, expires_at };

  return RUN (conn, SQL_INSERT_REFRESH, params, "refresh token",
              "This refresh token exists already", NULL, "No such session", NULL, error);
}

static gboolean
revoke_family_locked (PgConn      *conn,
                      const char  *family_id,
                      const char  *reason,
                      const char  *now,
                      gboolean    *revoked,
                      GError     **error)
{
  const char *params[] = { family_id, now, reason };
  int changed = 0;

  if (!RUN (conn, SQL_REVOKE_FAMILY, params, "revoke session", NULL, NULL, NULL, &changed,
            error))
    return FALSE;
  *revoked = changed > 0;
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

typedef struct
{
  const char       *user_id;
  GBytes           *token_hash;
  const char       *expires_at;
  const char       *client;
  const ParkdAudit *audit;
  const char       *family_id;
} SessionWrite;

static gboolean
start_session_tx (PgConn   *conn,
                  gpointer  data,
                  GError  **error)
{
  SessionWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  const char *params[] = { w->family_id, w->user_id, now, w->client != NULL ? w->client : "" };

  return RUN (conn, SQL_INSERT_FAMILY, params, "session", NULL, NULL, "No such user", NULL,
              error) &&
         insert_refresh_locked (conn, w->token_hash, w->family_id, w->expires_at, now, error) &&
         maybe_audit_locked (conn, w->audit, now, w->family_id, error);
}

static ParkdSession *
pg_start_session (ParkdStore        *store,
                  const char        *user_id,
                  GBytes            *token_hash,
                  const char        *expires_at,
                  const char        *client,
                  const ParkdAudit  *audit,
                  GError           **error)
{
  g_autofree char *family_id = g_uuid_string_random ();
  SessionWrite w = { user_id, token_hash, expires_at, client, audit, family_id };

  if (!_parkd_pg_transact (pg (store), FALSE, start_session_tx, &w, error))
    return NULL;
  return session_new (user_id, family_id);
}

typedef struct
{
  GBytes             *old_hash;
  GBytes             *new_hash;
  const char         *new_expires_at;
  ParkdRefreshResult  result;
  char               *user_id;
  char               *family_id;
} RefreshWrite;

static gboolean
rotate_refresh_tx (PgConn   *conn,
                   gpointer  data,
                   GError  **error)
{
  RefreshWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *hash = _parkd_pg_bytes_param (w->old_hash);
  g_autofree char *operator_id = NULL;
  const char *params[] = { hash, now };
  g_autoptr(PGresult) res = NULL;
  gboolean expired, used, revoked, disabled;

  w->result = PARKD_REFRESH_UNKNOWN;
  g_clear_pointer (&w->user_id, g_free);
  g_clear_pointer (&w->family_id, g_free);
  res = _parkd_pg_query (conn, SQL_FIND_REFRESH, 1, params, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    return TRUE;
  expired = g_strcmp0 (PQgetvalue (res, 0, 0), now) <= 0;
  used = !PQgetisnull (res, 0, 1);
  w->family_id = _parkd_pg_dup (res, 0, 2);
  w->user_id = _parkd_pg_dup (res, 0, 3);
  revoked = !PQgetisnull (res, 0, 4);
  disabled = _parkd_pg_bool (res, 0, 5);
  operator_id = _parkd_pg_dup (res, 0, 6);

  if (expired || disabled)
    return TRUE;
  if (revoked)
    {
      w->result = PARKD_REFRESH_REVOKED;
      return TRUE;
    }
  if (used)
    {
      /* A spent token coming back means two parties hold it: the whole family goes. */
      ParkdAudit audit = {
        .actor_id = w->user_id,
        .action = (char *) "auth.refresh-reuse",
        .object_type = (char *) "token_family",
        .object_id = w->family_id,
        .operator_id = operator_id,
      };
      gboolean changed;

      w->result = PARKD_REFRESH_REUSED;
      return revoke_family_locked (conn, w->family_id, "reuse", now, &changed, error) &&
             _parkd_pg_audit_locked (conn, &audit, now, NULL, error);
    }
  w->result = PARKD_REFRESH_OK;
  return RUN (conn, SQL_SPEND_REFRESH, params, "spend refresh token", NULL, NULL, NULL, NULL,
              error) &&
         insert_refresh_locked (conn, w->new_hash, w->family_id, w->new_expires_at, now, error);
}

static ParkdRefreshResult
pg_rotate_refresh (ParkdStore     *store,
                   GBytes         *old_hash,
                   GBytes         *new_hash,
                   const char     *new_expires_at,
                   ParkdSession  **session,
                   GError        **error)
{
  RefreshWrite w = { old_hash, new_hash, new_expires_at, PARKD_REFRESH_UNKNOWN, NULL, NULL };
  ParkdRefreshResult result = PARKD_REFRESH_UNKNOWN;

  if (_parkd_pg_transact (pg (store), FALSE, rotate_refresh_tx, &w, error))
    result = w.result;
  if (session != NULL)
    *session = result != PARKD_REFRESH_UNKNOWN ? session_new (w.user_id, w.family_id) : NULL;
  g_free (w.user_id);
  g_free (w.family_id);
  return result;
}

typedef struct
{
  const char       *family_id;
  const char       *reason;
  const ParkdAudit *audit;
} RevokeWrite;

static gboolean
revoke_family_tx (PgConn   *conn,
                  gpointer  data,
                  GError  **error)
{
  RevokeWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  gboolean revoked = FALSE;

  if (!revoke_family_locked (conn, w->family_id, w->reason, now, &revoked, error))
    return FALSE;
  /* Revoking a revoked family again keeps the first time and reason, and is no error. */
  if (!revoked)
    {
      const char *params[] = { w->family_id };
      g_autoptr(PGresult) res = _parkd_pg_query_v (conn, SQL_FAMILY_EXISTS, params, error);

      if (res == NULL)
        return FALSE;
      if (PQntuples (res) == 0)
        {
          g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                               "No such session");
          return FALSE;
        }
    }
  return maybe_audit_locked (conn, w->audit, now, w->family_id, error);
}

static gboolean
pg_revoke_family (ParkdStore        *store,
                  const char        *family_id,
                  const char        *reason,
                  const ParkdAudit  *audit,
                  GError           **error)
{
  RevokeWrite w = { family_id, reason, audit };

  return _parkd_pg_transact (pg (store), FALSE, revoke_family_tx, &w, error);
}

typedef struct
{
  const char *user_id;
  const char *reason;
  GPtrArray  *ids;
} RevokeUserWrite;

static gboolean
revoke_user_tx (PgConn   *conn,
                gpointer  data,
                GError  **error)
{
  RevokeUserWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  const char *params[] = { w->user_id, now, w->reason };
  g_autoptr(PGresult) res = _parkd_pg_query_v (conn, SQL_REVOKE_USER_FAMILIES, params, error);

  g_ptr_array_set_size (w->ids, 0);
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (w->ids, _parkd_pg_dup (res, i, 0));
  return TRUE;
}

static gboolean
pg_revoke_user_sessions (ParkdStore  *store,
                         const char  *user_id,
                         const char  *reason,
                         GPtrArray  **families,
                         GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  RevokeUserWrite w = { user_id, reason, ids };

  if (!_parkd_pg_transact (pg (store), FALSE, revoke_user_tx, &w, error))
    return FALSE;
  if (families != NULL)
    *families = g_steal_pointer (&ids);
  return TRUE;
}

typedef struct
{
  const char *jti;
  const char *expires_at;
} JtiWrite;

static gboolean
revoke_jti_tx (PgConn   *conn,
               gpointer  data,
               GError  **error)
{
  JtiWrite *w = data;
  const char *params[] = { w->jti, w->expires_at };

  return RUN (conn, SQL_REVOKE_JTI, params, "revoke access token", NULL, NULL, NULL, NULL,
              error);
}

static gboolean
pg_revoke_access_token (ParkdStore  *store,
                        const char  *jti,
                        const char  *expires_at,
                        GError     **error)
{
  JtiWrite w = { jti, expires_at };

  return _parkd_pg_transact (pg (store), FALSE, revoke_jti_tx, &w, error);
}

typedef struct
{
  const char *since;
  GPtrArray  *jtis;
  GPtrArray  *families;
} RevocationsRead;

static gboolean
collect_strings (PgConn      *conn,
                 const char  *sql,
                 const char  *key,
                 GPtrArray   *into,
                 GError     **error)
{
  const char *params[] = { key };
  g_autoptr(PGresult) res = _parkd_pg_query_v (conn, sql, params, error);

  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (into, _parkd_pg_dup (res, i, 0));
  return TRUE;
}

static gboolean
load_revocations_tx (PgConn   *conn,
                     gpointer  data,
                     GError  **error)
{
  RevocationsRead *r = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  const char *params[] = { now };

  g_ptr_array_set_size (r->jtis, 0);
  g_ptr_array_set_size (r->families, 0);
  /* Housekeeping first: what has expired needs refusing no longer. */
  return RUN (conn, SQL_PURGE_JTIS, params, "purge access tokens", NULL, NULL, NULL, NULL,
              error) &&
         RUN (conn, SQL_PURGE_REFRESH, params, "purge refresh tokens", NULL, NULL, NULL, NULL,
              error) &&
         collect_strings (conn, SQL_LIVE_JTIS, now, r->jtis, error) &&
         collect_strings (conn, SQL_REVOKED_FAMILIES, r->since != NULL ? r->since : "",
                          r->families, error);
}

static gboolean
pg_load_revocations (ParkdStore  *store,
                     const char  *since,
                     GPtrArray  **jtis,
                     GPtrArray  **families,
                     GError     **error)
{
  g_autoptr(GPtrArray) live_jtis = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) revoked = g_ptr_array_new_with_free_func (g_free);
  RevocationsRead r = { since, live_jtis, revoked };

  if (!_parkd_pg_transact (pg (store), FALSE, load_revocations_tx, &r, error))
    return FALSE;
  *jtis = g_steal_pointer (&live_jtis);
  *families = g_steal_pointer (&revoked);
  return TRUE;
}

typedef struct
{
  const char *family_id;
  gboolean    active;
} ActiveRead;

static gboolean
session_active_tx (PgConn   *conn,
                   gpointer  data,
                   GError  **error)
{
  ActiveRead *r = data;
  const char *params[] = { r->family_id };
  g_autoptr(PGresult) res = _parkd_pg_query_v (conn, SQL_FAMILY_ACTIVE, params, error);

  if (res == NULL)
    return FALSE;
  r->active = PQntuples (res) > 0 && _parkd_pg_bool (res, 0, 0);
  return TRUE;
}

static gboolean
pg_session_active (ParkdStore  *store,
                   const char  *family_id,
                   GError     **error)
{
  ActiveRead r = { family_id, FALSE };

  /* The primary: a replica that lags could call a revoked session active. */
  if (!_parkd_pg_transact_full (pg (store), PG_TX_ONE_READ_PRIMARY, session_active_tx, &r, error))
    return FALSE;
  return r.active;
}

void
_parkd_pg_accounts_vtable (ParkdStoreVTable *vtable)
{
  vtable->get_operator_by_id = pg_get_operator_by_id;
  vtable->list_operators = pg_list_operators;
  vtable->create_operator = pg_create_operator;
  vtable->list_operator_lots = pg_list_operator_lots;
  vtable->create_lot = pg_create_lot;
  vtable->update_lot = pg_update_lot;
  vtable->delete_lot = pg_delete_lot;
  vtable->get_spot = pg_get_spot;
  vtable->create_spot = pg_create_spot;
  vtable->update_spot = pg_update_spot;
  vtable->delete_spot = pg_delete_spot;
  vtable->create_user = pg_create_user;
  vtable->get_user = pg_get_user;
  vtable->get_user_by_email = pg_get_user_by_email;
  vtable->update_user = pg_update_user;
  vtable->delete_user = pg_delete_user;
  vtable->list_staff = pg_list_staff;
  vtable->list_vehicles = pg_list_vehicles;
  vtable->add_vehicle = pg_add_vehicle;
  vtable->delete_vehicle = pg_delete_vehicle;
  vtable->start_session = pg_start_session;
  vtable->rotate_refresh = pg_rotate_refresh;
  vtable->revoke_family = pg_revoke_family;
  vtable->revoke_user_sessions = pg_revoke_user_sessions;
  vtable->revoke_access_token = pg_revoke_access_token;
  vtable->load_revocations = pg_load_revocations;
  vtable->session_active = pg_session_active;
  vtable->audit = pg_audit;
  vtable->list_audit = pg_list_audit;
}
