/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-pg-private.h: what the files of the PostgreSQL + PostGIS store share.
 *
 * parkd-store-pg.c holds the connection pools, the migrations, the transactions (with their
 * retries) and the lots' reads and search; parkd-store-pg-accounts.c the staff's writes to
 * operators, lots and spots, the accounts, sessions and the audit log.
 */
#pragma once

#include "parkd-store-private.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* One server connection and the statements prepared on it. */
typedef struct
{
  PGconn     *pg;
  GHashTable *prepared;    /* static SQL text (by address) -> statement number */
  char        sqlstate[6]; /* of the last failure, "" if none */
} PgConn;

/* A bounded pool: at most @max connections, opened when first needed. */
typedef struct
{
  char      *conninfo;
  GMutex     lock;
  GCond      cond;
  GQueue     idle;         /* PgConn * */
  guint      open;
  guint      max;
} PgPool;

typedef struct
{
  ParkdStore  parent;
  PgPool      primary;
  PgPool      replica;      /* reads of the lots go here when has_replica */
  gboolean    has_replica;
  GMutex      partitions_lock;
  GHashTable *partitions;   /* "YYYY-MM" of reservation partitions known to exist */
  GThreadPool *bookings;    /* book_async's bookings, each its own transaction */
  /* The outbox's holes (parkd-store-pg-live.c): a number up to settled_seq that is missing
   * never comes; one up to pending_seq does not once every transaction running in
   * pending_snapshot has ended. */
  GMutex       outbox_lock;
  gint64       settled_seq;
  gint64       pending_seq;
  char        *pending_snapshot;  /* NULL: nothing pending */
  gint64       pending_since;     /* monotonic µs */
  gboolean     pending_warned;
  gint         outbox_waiting;    /* atomic: /metrics reads it on an event loop */
} ParkdStorePg;

/* A transaction's body: runs on @conn inside BEGIN; may be run again from the start after a
 * serialization failure, so it must reset what it hands back in @data before filling it. */
typedef gboolean (*PgTxFunc) (PgConn *conn, gpointer data, GError **error);

/* The columns _parkd_pg_lot_from_row() reads, for "FROM parking_lots l JOIN operators o", then
 * the ten live counts of PG_COUNTS_JOIN ("c"). */
#define PG_LOT_COLUMNS \
  "l.pk, l.id, l.operator_id, o.slug, o.name, l.name, l.address, l.city, l.lat, l.lng, " \
  "l.lot_type, l.total_spots, l.hourly_rate, l.currency, l.time_zone, l.operating_hours, " \
  "l.amenities, l.status, l.created_at, l.updated_at, " \
  "c.regular_total, c.regular_available, c.disabled_total, c.disabled_available, " \
  "c.ev_total, c.ev_available, c.compact_total, c.compact_available, " \
  "c.motorcycle_total, c.motorcycle_available"
#define PG_LOT_N_COLUMNS 30
#define PG_COUNTS_JOIN \
  " JOIN lot_counts c ON c.lot_pk = l.pk "

#define PG_OPERATOR_COLUMNS "id, slug, name, city, time_zone, currency, created_at"

/* Errors: @what names the query; SQLSTATEs become our codes (23505 and 23P01 CONFLICT,
 * other integrity and data errors CONSTRAINT, everything else BACKEND). */
gboolean       _parkd_pg_set_error            (GError             **error,
                                               PgConn              *conn,
                                               const PGresult      *res,
                                               const char          *what);
/* As above, but a taken unique key says @unique, a failed CHECK @check and a missing
 * reference @foreign_key, when given. */
gboolean       _parkd_pg_set_write_error      (GError             **error,
                                               PgConn              *conn,
                                               const char          *what,
                                               const char          *unique,
                                               const char          *check,
                                               const char          *foreign_key);

/* A prepared statement (prepared on this connection on first use) with text parameters, of
 * which it takes as many as its highest $N; NULL with @error set on failure. */
PGresult      *_parkd_pg_query                (PgConn              *conn,
                                               const char          *sql,
                                               int                  n_params,
                                               const char * const  *params,
                                               GError             **error);
#define _parkd_pg_query_v(conn, sql, params, error) \
  _parkd_pg_query ((conn), (sql), G_N_ELEMENTS (params), (const char * const *) (params), (error))
/* A statement that returns no rows; *@changed (unless NULL) is how many it changed. */
gboolean       _parkd_pg_run                  (PgConn              *conn,
                                               const char          *sql,
                                               int                  n_params,
                                               const char * const  *params,
                                               int                 *changed,
                                               GError             **error);
#define _parkd_pg_run_v(conn, sql, params, changed, error) \
  _parkd_pg_run ((conn), (sql), G_N_ELEMENTS (params), (const char * const *) (params), \
                 (changed), (error))
/* After a write that names its row: FALSE with NOT_FOUND (@missing) when @changed is 0. */
gboolean       _parkd_pg_require_change       (int                  changed,
                                               const char          *missing,
                                               GError             **error);
gboolean       _parkd_pg_exec_simple          (PgConn              *conn,
                                               const char          *sql,
                                               GError             **error);

/* Runs @func in a transaction on the primary (serializable) or, for @read_only, a replica
 * when there is one (repeatable read, read only), retrying a serialization failure, a
 * deadlock or a connection lost before COMMIT was sent. */
gboolean       _parkd_pg_transact             (ParkdStorePg        *self,
                                               gboolean             read_only,
                                               PgTxFunc             func,
                                               gpointer             data,
                                               GError             **error);

typedef enum
{
  PG_TX_ONE_READ,       /* one statement that reads, no BEGIN and COMMIT around it (one round
                         * trip instead of three); on the replica when there is one */
  PG_TX_ONE_READ_PRIMARY, /* the same, on the primary (a read that must see the last write) */
  PG_TX_READ,           /* repeatable read, read only; on the replica when there is one */
  PG_TX_SERIALIZABLE,   /* every write unless it says otherwise */
  PG_TX_LOCKED,         /* read committed: the body serializes itself with a lock it takes
                         * first (bookings, per lot), so each statement sees what the
                         * lock's previous holder committed */
} PgTxMode;

gboolean       _parkd_pg_transact_full        (ParkdStorePg        *self,
                                               PgTxMode             mode,
                                               PgTxFunc             func,
                                               gpointer             data,
                                               GError             **error);

/* Values. */
char          *_parkd_pg_dup                  (const PGresult      *res,
                                               int                  row,
                                               int                  col);
gint64         _parkd_pg_int                  (const PGresult      *res,
                                               int                  row,
                                               int                  col);
double         _parkd_pg_double               (const PGresult      *res,
                                               int                  row,
                                               int                  col);
gint64         _parkd_pg_amount               (const PGresult      *res,
                                               int                  row,
                                               int                  col);
gboolean       _parkd_pg_bool                 (const PGresult      *res,
                                               int                  row,
                                               int                  col);
GBytes        *_parkd_pg_bytes                (const PGresult      *res,
                                               int                  row,
                                               int                  col);
/* bytea as a text parameter ("\x..."), NULL for NULL. */
char          *_parkd_pg_bytes_param          (GBytes              *bytes);
char          *_parkd_pg_int_param            (gint64               value);
char          *_parkd_pg_double_param         (double               value);

/* Rows. */
void           _parkd_pg_lot_from_row         (ParkdLot            *lot,
                                               const PGresult      *res,
                                               int                  row);
ParkdOperator *_parkd_pg_operator_from_row    (const PGresult      *res,
                                               int                  row);
typedef gpointer (*PgRowFunc) (const PGresult *res, int row);

/* One page of a list in one transaction: @count_sql takes @key as $1 and @key2 as $2,
 * @rows_sql LIMIT $1 OFFSET $2 and @key as $3, @key2 as $4 (a statement names only the
 * parameters it uses, from $1 up). Page 0 is taken as the first. */
ParkdPage     *_parkd_pg_read_page            (ParkdStorePg        *self,
                                               const char          *count_sql,
                                               const char          *rows_sql,
                                               const char          *key,
                                               const char          *key2,
                                               guint                page,
                                               guint                per_page,
                                               PgRowFunc            from_row,
                                               GDestroyNotify       free_func,
                                               GError             **error);
/* Every row of @sql made by @from_row, in a read of its own on the primary (a list shown
 * right after a write must have it); NULL on failure. */
GPtrArray     *_parkd_pg_read_list            (ParkdStorePg        *self,
                                               const char          *sql,
                                               int                  n_params,
                                               const char * const  *params,
                                               PgRowFunc            from_row,
                                               GDestroyNotify       free_func,
                                               GError             **error);
#define _parkd_pg_read_list_v(self, sql, params, from_row, free_func, error) \
  _parkd_pg_read_list ((self), (sql), G_N_ELEMENTS (params), \
                       (const char * const *) (params), (from_row), (free_func), (error))
/* The first row of @sql ($1 @key1, $2 @key2 unless NULL) made by @from_row, in its own
 * read-only transaction; NULL with NOT_FOUND (@missing) when there is none. */
gpointer       _parkd_pg_load_row             (ParkdStorePg        *self,
                                               const char          *sql,
                                               const char          *key1,
                                               const char          *key2,
                                               PgRowFunc            from_row,
                                               const char          *missing,
                                               GError             **error);
gpointer       _parkd_pg_load_row_on          (PgConn              *conn,
                                               const char          *sql,
                                               const char          *key1,
                                               const char          *key2,
                                               PgRowFunc            from_row,
                                               const char          *missing,
                                               GError             **error);

/* Inside a write transaction. */
gboolean       _parkd_pg_audit_locked         (PgConn              *conn,
                                               const ParkdAudit    *audit,
                                               const char          *now,
                                               const char          *object_id,
                                               GError             **error);
gboolean       _parkd_pg_insert_event         (PgConn              *conn,
                                               const char          *type,
                                               const char          *aggregate,
                                               const char          *operator_id,
                                               const char          *payload,
                                               const char          *now,
                                               GError             **error);
ParkdOperator *_parkd_pg_insert_operator_locked (PgConn              *conn,
                                                 const ParkdOperator *want,
                                                 const char          *now,
                                                 GError             **error);
gboolean       _parkd_pg_insert_lot_locked    (PgConn              *conn,
                                               const ParkdOperator *op,
                                               ParkdNewLot         *nl,
                                               const char          *now,
                                               GError             **error);
gboolean       _parkd_pg_lookup_lot_pk        (PgConn              *conn,
                                               const char          *lot_id,
                                               gint64              *pk,
                                               GError             **error);

/* parkd-store-pg-accounts.c fills in these entries of @vtable. */
void           _parkd_pg_accounts_vtable      (ParkdStoreVTable    *vtable);
/* parkd-store-pg-reservations.c: bookings, reservations, quotes, pricing; partitions. */
void           _parkd_pg_reservations_vtable  (ParkdStoreVTable    *vtable);
void           _parkd_pg_bookings_start       (ParkdStorePg        *self);
void           _parkd_pg_bookings_stop        (ParkdStorePg        *self);
gboolean       _parkd_pg_reservations_month   (ParkdStorePg        *self,
                                               const char          *month,
                                               GError             **error);
gboolean       _parkd_pg_prepare_partitions   (ParkdStorePg        *self,
                                               GError             **error);
/* Inside a write transaction: a reservation's move to @to with its events and spot state;
 * then the spots' states as the reservations holding them now say. */
gboolean       _parkd_pg_set_status_locked    (PgConn              *conn,
                                               const char          *id,
                                               ParkdReservationStatus to,
                                               const char          *now,
                                               GError             **error);
gboolean       _parkd_pg_sync_spot_states_locked (PgConn           *conn,
                                                  const char       *now,
                                                  GError          **error);

/* parkd-store-pg-payments.c: payments, refunds, refunds owed, discounts, cash report. */
void           _parkd_pg_payments_vtable      (ParkdStoreVTable    *vtable);
gboolean       _parkd_pg_payment_event        (PgConn              *conn,
                                               const char          *type,
                                               const ParkdPayment  *p,
                                               gint64               amount,
                                               const char          *now,
                                               GError             **error);
ParkdPayment  *_parkd_pg_apply_refund_locked  (PgConn              *conn,
                                               const char          *payment_id,
                                               gint64               amount,
                                               const char          *provider_ref,
                                               const char          *reason,
                                               const char          *now,
                                               GError             **error);

/* Shared by the writes of bookings, stays and payments (parkd-store-pg-reservations.c,
 * parkd-store-pg-payments.c). */
gboolean       _parkd_pg_idem_find_locked     (PgConn              *conn,
                                               const ParkdIdempotency *idem,
                                               gboolean            *found,
                                               int                 *status,
                                               char               **resource_id,
                                               GError             **error);
gboolean       _parkd_pg_idem_insert_locked   (PgConn              *conn,
                                               const ParkdIdempotency *idem,
                                               int                  status,
                                               const char          *resource_id,
                                               const char          *now,
                                               GError             **error);
/* A fresh code of @len characters (@out holds @len + 1) that @taken_sql ($1) finds not. */
gboolean       _parkd_pg_new_unique_code      (PgConn              *conn,
                                               const char          *taken_sql,
                                               char                *out,
                                               gsize                len,
                                               GError             **error);
gboolean       _parkd_pg_use_discount_locked  (PgConn              *conn,
                                               const char          *discount_id,
                                               const char          *now,
                                               GError             **error);
extern const char _parkd_pg_sql_payment_by_id[];
ParkdPayment  *_parkd_pg_load_payment         (PgConn              *conn,
                                               const char          *sql,
                                               const char          *key1,
                                               const char          *key2,
                                               GError             **error);
/* parkd-store-pg-sessions.c: walk-in stays, check-in and check-out. */
void           _parkd_pg_sessions_vtable      (ParkdStoreVTable    *vtable);

/* parkd-store-pg-shifts.c: shifts and the booth's board. */
void           _parkd_pg_shifts_vtable        (ParkdStoreVTable    *vtable);

/* parkd-store-pg-devices.c: a table of devices known by the hash of their key (sensor_devices,
 * kiosk_devices), for what every such table does alike. */
typedef struct
{
  const char     *noun;          /* "kiosk", in errors */
  const char     *not_found;     /* "There is no such kiosk" */
  const char     *invalid;       /* "Invalid kiosk": a constraint refused the row */
  const char     *sql_by_id;     /* the device of id $1, as @row takes it */
  const char     *sql_by_key;    /* the device of key hash $1, as @row takes it */
  const char     *sql_insert;    /* (id, operator_id, lot_pk, name, key_hash, created_at) $1..$6 */
  const char     *sql_operator;  /* operator_id, revoked_at of id $1, of operator $2 (NULL: any) */
  const char     *sql_revoke;    /* revoked_at = $2 of id $1 when not revoked yet */
  PgRowFunc       row;
  GDestroyNotify  free;
} ParkdPgDevices;

/* @lot_id NULL: tied to no lot. NOT_FOUND unless @lot_id is @operator_id's. */
gpointer       _parkd_pg_create_device        (ParkdStorePg *self, const ParkdPgDevices *table,
                                               const char *operator_id, const char *lot_id,
                                               const char *name, GBytes *key_hash,
                                               const ParkdAudit *audit, GError **error);
gboolean       _parkd_pg_revoke_device        (ParkdStorePg *self, const ParkdPgDevices *table,
                                               const char *operator_id, const char *id,
                                               const ParkdAudit *audit, GError **error);
/* From the primary, revoked or not. */
gpointer       _parkd_pg_get_device_by_key    (ParkdStorePg *self, const ParkdPgDevices *table,
                                               GBytes *key_hash, GError **error);

/* parkd-store-pg-sensors.c: occupancy sensors and their readings. */
void           _parkd_pg_sensors_vtable       (ParkdStoreVTable    *vtable);
/* parkd-store-pg-kiosks.c: kiosks and their keys. */
void           _parkd_pg_kiosks_vtable        (ParkdStoreVTable    *vtable);

/* parkd-store-pg-analytics.c: occupancy history, revenue, stays. */
void           _parkd_pg_analytics_vtable     (ParkdStoreVTable    *vtable);

/* parkd-store-pg-live.c: the outbox and the live feed. */
void           _parkd_pg_live_vtable          (ParkdStoreVTable    *vtable);

G_END_DECLS
