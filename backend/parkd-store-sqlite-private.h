/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-sqlite-private.h: what the files of the embedded store share.
 *
 * parkd-store-sqlite.c holds the connections, the migrations, the lot directory and the
 * search; parkd-store-sqlite-accounts.c the accounts, sessions, audit log and the staff's
 * writes to operators, lots and spots.
 */
#pragma once

#include "parkd-store-private.h"

#include <sqlite3.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef struct
{
  sqlite3    *db;
  GHashTable *stmts;       /* static SQL text (by address) -> sqlite3_stmt */
  GArray     *counts;      /* LotCounts indexed by lot pk, as of @counts_seq */
  GHashTable *far_counts;  /* lot pk -> LotCounts, for pks too large to index */
  gint64      counts_seq;  /* -1: nothing read yet */
  GArray     *box_hits;    /* lot pks the R*Tree found for the current search */
} Conn;

typedef struct
{
  ParkdStore   parent;
  char        *path;
  GMutex       write_lock;
  Conn        *writer;
  GAsyncQueue *readers;     /* idle Conn * */
  GMutex       readers_lock;
  GPtrArray   *all_readers; /* every reader ever opened, for closing */
  GMutex       directory_lock;
  struct _LotDirectory *directory;
  GAsyncQueue *bookings;    /* BookingJob *, for the batcher (group commit) */
  GThread     *batcher;
} ParkdStoreSqlite;

/* The columns _parkd_sqlite_lot_from_row() reads, for "FROM parking_lots l JOIN operators o". */
#define LOT_COLUMNS \
  "l.pk, l.id, l.operator_id, o.slug, o.name, l.name, l.address, l.city, l.lat, l.lng, " \
  "l.lot_type, l.total_spots, l.hourly_rate, l.currency, l.time_zone, l.operating_hours, " \
  "l.amenities, l.status, l.created_at, l.updated_at"
#define LOT_N_COLUMNS 20

/* The columns _parkd_sqlite_operator_from_row() reads. */
#define OPERATOR_COLUMNS "id, slug, name, city, time_zone, currency, created_at"

/* Errors. */
gboolean       _parkd_sqlite_set_error        (GError              **error,
                                               sqlite3              *db,
                                               int                   rc,
                                               const char           *what);
gboolean       _parkd_sqlite_set_write_error  (GError              **error,
                                               sqlite3              *db,
                                               int                   rc,
                                               const char           *what,
                                               const char           *unique,
                                               const char           *check,
                                               const char           *foreign_key);

/* Connections and statements. */
gboolean       _parkd_sqlite_conn_exec        (Conn                 *conn,
                                               const char           *sql,
                                               GError              **error);
sqlite3_stmt  *_parkd_sqlite_conn_prepare     (Conn                 *conn,
                                               const char           *sql,
                                               GError              **error);
gboolean       _parkd_sqlite_conn_step_once   (Conn                 *conn,
                                               const char           *sql,
                                               GError              **error);
Conn          *_parkd_sqlite_take_reader      (ParkdStoreSqlite     *self,
                                               GError              **error);
void           _parkd_sqlite_give_reader      (ParkdStoreSqlite     *self,
                                               Conn                 *conn);
sqlite3_stmt  *_parkd_sqlite_reader_prepare   (ParkdStoreSqlite     *self,
                                               const char           *sql,
                                               Conn                **conn,
                                               GError              **error);
Conn          *_parkd_sqlite_read_begin       (ParkdStoreSqlite     *self,
                                               GError              **error);
void           _parkd_sqlite_read_end         (ParkdStoreSqlite     *self,
                                               Conn                 *conn);
Conn          *_parkd_sqlite_write_begin      (ParkdStoreSqlite     *self,
                                               GError              **error);
gboolean       _parkd_sqlite_write_end        (ParkdStoreSqlite     *self,
                                               gboolean              ok,
                                               GError              **error);

/* A statement the caller has prepared and bound, run (see parkd-store-sqlite.c). */
gboolean       _parkd_sqlite_run              (Conn                 *conn,
                                               sqlite3_stmt         *stmt,
                                               const char           *what,
                                               GError              **error);
gboolean       _parkd_sqlite_run_checked      (Conn                 *conn,
                                               sqlite3_stmt         *stmt,
                                               const char           *what,
                                               const char           *unique,
                                               const char           *check,
                                               const char           *foreign_key,
                                               GError              **error);
gboolean       _parkd_sqlite_require_change   (Conn                 *conn,
                                               const char           *missing,
                                               GError              **error);
gboolean       _parkd_sqlite_step_row         (Conn                 *conn,
                                               sqlite3_stmt         *stmt,
                                               const char           *what,
                                               const char           *missing,
                                               GError              **error);

/* Rows. */
char          *_parkd_sqlite_column_dup       (sqlite3_stmt         *stmt,
                                               int                   col);
gint64         _parkd_sqlite_column_amount    (sqlite3_stmt         *stmt,
                                               int                   col);
void           _parkd_sqlite_lot_from_row     (ParkdLot             *lot,
                                               sqlite3_stmt         *stmt);
ParkdOperator *_parkd_sqlite_operator_from_row (sqlite3_stmt        *stmt);
gboolean       _parkd_sqlite_lookup_lot_pk    (Conn                 *conn,
                                               const char           *lot_id,
                                               gint64               *pk,
                                               GError              **error);

/* A row of a statement made into a ParkdSomething. */
typedef gpointer (*RowFunc) (sqlite3_stmt *stmt);

gpointer       _parkd_sqlite_text_row         (sqlite3_stmt         *stmt);
/* Every row of a bound statement, made by @from_row (see parkd-store-sqlite.c). */
gboolean       _parkd_sqlite_collect_rows     (Conn                 *conn,
                                               sqlite3_stmt         *stmt,
                                               RowFunc               from_row,
                                               GPtrArray            *rows,
                                               const char           *what,
                                               GError              **error);
GPtrArray     *_parkd_sqlite_read_rows        (Conn                 *conn,
                                               sqlite3_stmt         *stmt,
                                               RowFunc               from_row,
                                               GDestroyNotify        free_func,
                                               const char           *what,
                                               GError              **error);

/* The first row of @sql (?1 @key1, ?2 @key2 unless NULL) made by @from_row; NULL with
 * NOT_FOUND (@missing as its message) when there is none. */
gpointer       _parkd_sqlite_load_row         (Conn                 *conn,
                                               const char           *sql,
                                               const char           *key1,
                                               const char           *key2,
                                               RowFunc               from_row,
                                               const char           *missing,
                                               GError              **error);

gpointer       _parkd_sqlite_reader_load_row  (ParkdStoreSqlite     *self,
                                               const char           *sql,
                                               const char           *key1,
                                               const char           *key2,
                                               RowFunc               from_row,
                                               const char           *missing,
                                               GError              **error);

/* One page of a list in one read transaction: @count_sql and @rows_sql take @key as ?1 and
 * @key2 as ?4 (each left NULL when not given), the rows LIMIT ?2 OFFSET ?3. */
ParkdPage     *_parkd_sqlite_read_page        (ParkdStoreSqlite     *self,
                                               const char           *count_sql,
                                               const char           *rows_sql,
                                               const char           *key,
                                               const char           *key2,
                                               guint                 page,
                                               guint                 per_page,
                                               RowFunc               from_row,
                                               GDestroyNotify        free_func,
                                               GError              **error);

/* Binds bytes as a BLOB (an empty one stays a BLOB), NULL as NULL. */
void           _parkd_sqlite_bind_bytes       (sqlite3_stmt         *stmt,
                                               int                   col,
                                               GBytes               *bytes);

/* Inside the writer's transaction. */
gboolean       _parkd_sqlite_insert_event     (Conn                 *conn,
                                               const char           *type,
                                               const char           *aggregate,
                                               const char           *operator_id,
                                               const char           *payload,
                                               const char           *now,
                                               GError              **error);
ParkdOperator *_parkd_sqlite_insert_operator_locked (Conn                 *conn,
                                                     const ParkdOperator  *want,
                                                     const char           *now,
                                                     GError              **error);
gboolean       _parkd_sqlite_insert_lot_locked (Conn                *conn,
                                                const ParkdOperator *op,
                                                ParkdNewLot         *nl,
                                                const char          *now,
                                                GError             **error);
ParkdPayment  *_parkd_sqlite_apply_refund_locked (Conn              *conn,
                                                 const char        *payment_id,
                                                 gint64             amount,
                                                 const char        *provider_ref,
                                                 const char        *reason,
                                                 const char        *now,
                                                 GError           **error);
gboolean       _parkd_sqlite_audit_locked     (Conn                 *conn,
                                               const ParkdAudit     *audit,
                                               const char           *now,
                                               const char           *object_id,
                                               GError              **error);

/* parkd-store-sqlite-accounts.c: the vtable's entries. */
ParkdOperator *_parkd_sqlite_get_operator_by_id (ParkdStore *store, const char *id,
                                                 GError **error);
ParkdPage     *_parkd_sqlite_list_operators   (ParkdStore *store, const char *only_id, guint page,
                                               guint per_page, GError **error);
ParkdOperator *_parkd_sqlite_create_operator  (ParkdStore *store, const ParkdOperator *op,
                                               const ParkdAudit *audit, GError **error);
ParkdPage     *_parkd_sqlite_list_operator_lots (ParkdStore *store, const char *operator_id,
                                                 guint page, guint per_page, GError **error);
ParkdLot      *_parkd_sqlite_create_lot       (ParkdStore *store, const ParkdNewLot *lot,
                                               const ParkdAudit *audit, GError **error);
ParkdLot      *_parkd_sqlite_update_lot       (ParkdStore *store, const ParkdLot *lot,
                                               const ParkdAudit *audit, GError **error);
gboolean       _parkd_sqlite_delete_lot       (ParkdStore *store, const char *id,
                                               const ParkdAudit *audit, GError **error);
ParkdSpot     *_parkd_sqlite_get_spot         (ParkdStore *store, const char *id, GError **error);
ParkdSpot     *_parkd_sqlite_create_spot      (ParkdStore *store, const ParkdSpot *spot,
                                               const ParkdAudit *audit, GError **error);
ParkdSpot     *_parkd_sqlite_update_spot      (ParkdStore *store, const ParkdSpot *spot,
                                               const ParkdAudit *audit, GError **error);
gboolean       _parkd_sqlite_delete_spot      (ParkdStore *store, const char *id,
                                               const ParkdAudit *audit, GError **error);
ParkdUser     *_parkd_sqlite_create_user      (ParkdStore *store, const ParkdUser *user,
                                               const ParkdAudit *audit, GError **error);
ParkdUser     *_parkd_sqlite_get_user         (ParkdStore *store, const char *id, GError **error);
ParkdUser     *_parkd_sqlite_get_user_by_email (ParkdStore *store, const char *email,
                                                GError **error);
ParkdUser     *_parkd_sqlite_update_user      (ParkdStore *store, const ParkdUser *user,
                                               const ParkdAudit *audit, GError **error);
gboolean       _parkd_sqlite_delete_user      (ParkdStore *store, const char *id,
                                               const ParkdAudit *audit, GError **error);
ParkdPage     *_parkd_sqlite_list_staff       (ParkdStore *store, const char *operator_id,
                                               guint page, guint per_page, GError **error);
GPtrArray     *_parkd_sqlite_list_vehicles    (ParkdStore *store, const char *user_id,
                                               GError **error);
ParkdVehicle  *_parkd_sqlite_add_vehicle      (ParkdStore *store, const ParkdVehicle *vehicle,
                                               GError **error);
gboolean       _parkd_sqlite_delete_vehicle   (ParkdStore *store, const char *user_id,
                                               const char *id, GError **error);
ParkdSession  *_parkd_sqlite_start_session    (ParkdStore *store, const char *user_id,
                                               GBytes *token_hash, const char *expires_at,
                                               const char *client, const ParkdAudit *audit,
                                               GError **error);
ParkdRefreshResult _parkd_sqlite_rotate_refresh (ParkdStore *store, GBytes *old_hash,
                                                 GBytes *new_hash, const char *new_expires_at,
                                                 ParkdSession **session, GError **error);
gboolean       _parkd_sqlite_revoke_family    (ParkdStore *store, const char *family_id,
                                               const char *reason, const ParkdAudit *audit,
                                               GError **error);
gboolean       _parkd_sqlite_revoke_user_sessions (ParkdStore *store, const char *user_id,
                                                   const char *reason, GPtrArray **families,
                                                   GError **error);
gboolean       _parkd_sqlite_revoke_access_token (ParkdStore *store, const char *jti,
                                                  const char *expires_at, GError **error);
gboolean       _parkd_sqlite_load_revocations (ParkdStore *store, const char *since,
                                               GPtrArray **jtis, GPtrArray **families,
                                               GError **error);
gboolean       _parkd_sqlite_session_active   (ParkdStore *store, const char *family_id,
                                               GError **error);
gboolean       _parkd_sqlite_audit            (ParkdStore *store, const ParkdAudit *audit,
                                               GError **error);
ParkdPage     *_parkd_sqlite_list_audit       (ParkdStore *store, const char *operator_id,
                                               guint page, guint per_page, GError **error);

/* parkd-store-sqlite-reservations.c */
void           _parkd_sqlite_bookings_start   (ParkdStoreSqlite *self);
void           _parkd_sqlite_bookings_stop    (ParkdStoreSqlite *self);
void           _parkd_sqlite_book_async       (ParkdStore *store, const ParkdNewReservation *request,
                                               ParkdBookingDone done, gpointer user_data);
ParkdBookingResult *_parkd_sqlite_book        (ParkdStore *store,
                                               const ParkdNewReservation *request);
gboolean       _parkd_sqlite_get_idempotency  (ParkdStore *store, const char *scope,
                                               const char *key, char **route,
                                               GBytes **body_hash, int *status,
                                               char **resource_id, GError **error);
ParkdReservation *_parkd_sqlite_get_reservation (ParkdStore *store, const char *key,
                                                 gboolean by_code, GError **error);
ParkdPage     *_parkd_sqlite_list_reservations (ParkdStore *store, const char *user_id,
                                                const char *status, guint page, guint per_page,
                                                GError **error);
ParkdReservation *_parkd_sqlite_set_reservation_status (ParkdStore *store, const char *id,
                                                        ParkdReservationStatus status,
                                                        const ParkdAudit *audit, GError **error);
ParkdBookingResult *_parkd_sqlite_extend_reservation (ParkdStore *store, const char *id,
                                                      const char *new_end, gint64 new_total,
                                                      const char *breakdown);
guint          _parkd_sqlite_release_due      (ParkdStore *store, gint64 no_show_grace_s,
                                               GError **error);
double         _parkd_sqlite_booked_share     (ParkdStore *store, const char *lot_id,
                                               ParkdSpotType spot_type, const char *start_time,
                                               const char *end_time, GError **error);
char          *_parkd_sqlite_get_pricing      (ParkdStore *store, const char *lot_id,
                                               GError **error);
gboolean       _parkd_sqlite_set_pricing      (ParkdStore *store, const char *lot_id,
                                               const char *pricing, const ParkdAudit *audit,
                                               GError **error);

/* parkd-store-sqlite-live.c: the outbox and the live feed. */
GPtrArray     *_parkd_sqlite_list_events      (ParkdStore *store, gint64 after_seq, guint limit,
                                               GError **error);
GPtrArray     *_parkd_sqlite_feed_start       (ParkdStore *store, gint64 *head, GError **error);
ParkdLotFeed  *_parkd_sqlite_get_lot_feed     (ParkdStore *store, const char *lot_id,
                                               GError **error);
GPtrArray     *_parkd_sqlite_lot_feed_since   (ParkdStore *store, const char *lot_id,
                                               gint64 after_seq, guint limit, GError **error);
gboolean       _parkd_sqlite_mark_published   (ParkdStore *store, gint64 seq, GError **error);
guint          _parkd_sqlite_notice_ending    (ParkdStore *store, gint64 lead_s, GError **error);
void           _parkd_sqlite_watch_commits    (ParkdStoreSqlite *self);

gboolean       _parkd_sqlite_save_quote       (ParkdStore *store, ParkdStoredQuote *quote,
                                               GError **error);
ParkdStoredQuote *_parkd_sqlite_get_quote     (ParkdStore *store, const char *id, GError **error);
ParkdPayment  *_parkd_sqlite_record_payment   (ParkdStore *store, const ParkdPayment *payment,
                                               const ParkdAudit *audit, GError **error);
ParkdPayment  *_parkd_sqlite_get_payment      (ParkdStore *store, ParkdPaymentLookup by,
                                               const char *key1, const char *key2,
                                               GError **error);
GPtrArray     *_parkd_sqlite_list_payments    (ParkdStore *store, const char *reservation_id,
                                               GError **error);
GPtrArray     *_parkd_sqlite_list_stay_payments (ParkdStore *store, const char *session_id,
                                                 GError **error);
ParkdPayment  *_parkd_sqlite_complete_checkout (ParkdStore *store, const char *id,
                                                const char *provider_ref, GError **error);
ParkdPayment  *_parkd_sqlite_set_payment_status (ParkdStore *store, const char *id,
                                                 const char *status, GError **error);
ParkdDiscount *_parkd_sqlite_create_discount  (ParkdStore *store, const ParkdDiscount *discount,
                                               const ParkdAudit *audit, GError **error);
ParkdDiscount *_parkd_sqlite_find_discount    (ParkdStore *store, const char *operator_id,
                                               const char *code, GError **error);
ParkdPage     *_parkd_sqlite_list_discounts   (ParkdStore *store, const char *operator_id,
                                               guint page, guint per_page, GError **error);
gboolean       _parkd_sqlite_delete_discount  (ParkdStore *store, const char *operator_id,
                                               const char *id, const ParkdAudit *audit,
                                               GError **error);
/* parkd-store-sqlite-shifts.c */
ParkdShift    *_parkd_sqlite_open_shift       (ParkdStore *store, const ParkdShift *want,
                                               GError **error);
ParkdShift    *_parkd_sqlite_get_shift        (ParkdStore *store, const char *id,
                                               const char *attendant_id, GError **error);
ParkdShift    *_parkd_sqlite_close_shift      (ParkdStore *store, const char *id, gint64 counted,
                                               const char *note, GError **error);
GPtrArray     *_parkd_sqlite_shift_entries    (ParkdStore *store, const char *id,
                                               GError **error);
GPtrArray     *_parkd_sqlite_board            (ParkdStore *store, const char *lot_id,
                                               ParkdBoardList list, const char *now,
                                               const char *until, GError **error);
GPtrArray     *_parkd_sqlite_cash_report      (ParkdStore *store, const char *operator_id,
                                               const char *attendant_id, const char *from,
                                               const char *to, GError **error);
ParkdParkingSession *_parkd_sqlite_check_in   (ParkdStore *store, const ParkdParkingSession *want,
                                               const char *reservation_code,
                                               const ParkdIdempotency *idem, gboolean *replayed,
                                               GError **error);
ParkdParkingSession *_parkd_sqlite_get_parking_session (ParkdStore *store,
                                                        const char *id_or_ticket,
                                                        GError **error);
GPtrArray     *_parkd_sqlite_find_parking_sessions (ParkdStore *store, const char *lot_id,
                                                   GBytes *plate_hash, GError **error);
ParkdCheckOutResult *_parkd_sqlite_check_out  (ParkdStore *store, const ParkdCheckOut *request,
                                               GError **error);
ParkdPayment  *_parkd_sqlite_record_refund    (ParkdStore *store, const char *payment_id,
                                               gint64 amount, const char *provider_ref,
                                               const char *reason, GError **error);
ParkdRefundDue *_parkd_sqlite_add_refund_due  (ParkdStore *store, const ParkdRefundDue *due,
                                               const ParkdAudit *audit, GError **error);
ParkdRefundDue *_parkd_sqlite_get_void        (ParkdStore *store, const char *provider_ref,
                                               GError **error);
GPtrArray     *_parkd_sqlite_list_refunds_due (ParkdStore *store, guint limit, GError **error);
gboolean       _parkd_sqlite_finish_refund_due (ParkdStore *store, gint64 id,
                                                const char *refund_ref, GError **error);
gboolean       _parkd_sqlite_fail_refund_due  (ParkdStore *store, gint64 id, const char *message,
                                               GError **error);

/* parkd-store-sqlite-devices.c: a table of devices known by the hash of their key (sensor_devices,
 * kiosk_devices), for what every such table does alike. */
typedef struct
{
  const char     *noun;          /* "kiosk", in errors */
  const char     *not_found;     /* "There is no such kiosk" */
  const char     *invalid;       /* "Invalid kiosk": a constraint refused the row */
  const char     *sql_by_id;     /* the device of id ?1, as @row takes it */
  const char     *sql_by_key;    /* the device of key hash ?1, as @row takes it */
  const char     *sql_insert;    /* (id, operator_id, lot_pk, name, key_hash, created_at) ?1..?6 */
  const char     *sql_operator;  /* operator_id, revoked_at of id ?1, of operator ?2 (NULL: any) */
  const char     *sql_revoke;    /* revoked_at = ?2 of id ?1 when not revoked yet */
  RowFunc         row;
  GDestroyNotify  free;
} ParkdSqliteDevices;

/* @lot_id NULL: tied to no lot. NOT_FOUND unless @lot_id is @operator_id's. */
gpointer       _parkd_sqlite_create_device    (ParkdStoreSqlite *self,
                                               const ParkdSqliteDevices *table,
                                               const char *operator_id, const char *lot_id,
                                               const char *name, GBytes *key_hash,
                                               const ParkdAudit *audit, GError **error);
gboolean       _parkd_sqlite_revoke_device    (ParkdStoreSqlite *self,
                                               const ParkdSqliteDevices *table,
                                               const char *operator_id, const char *id,
                                               const ParkdAudit *audit, GError **error);
gpointer       _parkd_sqlite_get_device_by_key (ParkdStoreSqlite *self,
                                                const ParkdSqliteDevices *table,
                                                GBytes *key_hash, GError **error);
/* parkd-store-sqlite-sensors.c */
ParkdSensorDevice *_parkd_sqlite_create_sensor (ParkdStore *store, const ParkdSensorDevice *device,
                                                GBytes *key_hash, const ParkdAudit *audit,
                                                GError **error);
ParkdPage     *_parkd_sqlite_list_sensors     (ParkdStore *store, const char *operator_id,
                                               guint page, guint per_page, GError **error);
gboolean       _parkd_sqlite_revoke_sensor    (ParkdStore *store, const char *operator_id,
                                               const char *id, const ParkdAudit *audit,
                                               GError **error);
ParkdSensorDevice *_parkd_sqlite_get_sensor_by_key (ParkdStore *store, GBytes *key_hash,
                                                    GError **error);
gboolean       _parkd_sqlite_apply_sensor_readings (ParkdStore *store, const char *device_id,
                                                    ParkdSensorReading *readings,
                                                    guint n_readings, guint *failed,
                                                    GError **error);
/* parkd-store-sqlite-kiosks.c */
ParkdKiosk    *_parkd_sqlite_create_kiosk     (ParkdStore *store, const ParkdKiosk *kiosk,
                                               GBytes *key_hash, const ParkdAudit *audit,
                                               GError **error);
ParkdPage     *_parkd_sqlite_list_kiosks      (ParkdStore *store, const char *operator_id,
                                               guint page, guint per_page, GError **error);
gboolean       _parkd_sqlite_revoke_kiosk     (ParkdStore *store, const char *operator_id,
                                               const char *id, const ParkdAudit *audit,
                                               GError **error);
gint64         _parkd_sqlite_count_guest_bookings (ParkdStore *store, const char *kiosk_id,
                                                  const char *since, char **oldest,
                                                  GError **error);
ParkdKiosk    *_parkd_sqlite_get_kiosk_by_key (ParkdStore *store, GBytes *key_hash,
                                               GError **error);
/* parkd-store-sqlite-analytics.c */
GArray        *_parkd_sqlite_lot_history      (ParkdStore *store, const char *lot_id, gint64 from,
                                               gint64 to, GError **error);
GPtrArray     *_parkd_sqlite_revenue          (ParkdStore *store, const char *operator_id,
                                               const gint64 *bounds, guint n_bounds,
                                               gboolean by_lot, GError **error);
gboolean       _parkd_sqlite_stays            (ParkdStore *store, const char *operator_id,
                                               const char *lot_id, gint64 from, gint64 to,
                                               ParkdStaysSummary *summary, GError **error);

G_END_DECLS
