/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The vtable each store implementation fills in, in the spirit of Redis's ConnectionType. */
#pragma once

#include "parkd-store.h"

G_BEGIN_DECLS

/* How parkd_store_get_payment*() find a payment: by id (key1); by provider (key1) and its
 * reference (key2); by the Idempotency-Key (key2) of a user (key1). */
typedef enum
{
  PARKD_PAYMENT_BY_ID,
  PARKD_PAYMENT_BY_REF,
  PARKD_PAYMENT_BY_KEY,
} ParkdPaymentLookup;

typedef struct
{
  const char    *kind;
  /* 0 for a store in this process (SQLite: a call costs microseconds, made where it is
   * asked for); else each call waits on the network, and this many requests are worth
   * sending it at once, each on a thread of its own (parkd-server.c's store pool). */
  guint          concurrency;
  void          (*free)             (ParkdStore *self);
  gboolean      (*ping)             (ParkdStore *self, GError **error);
  gboolean      (*warm)             (ParkdStore *self, GError **error);
  gboolean      (*counts)           (ParkdStore *self, ParkdStoreCounts *counts, GError **error);
  ParkdPage    *(*search_lots)      (ParkdStore *self, const ParkdLotQuery *query, GError **error);
  ParkdLot     *(*get_lot)          (ParkdStore *self, const char *id, GError **error);
  ParkdPage    *(*list_spots)       (ParkdStore *self, const char *lot_id,
                                     const ParkdSpotQuery *query, GError **error);
  GPtrArray    *(*get_availability) (ParkdStore *self, const char * const *lot_ids, GError **error);
  gboolean      (*bounds)           (ParkdStore *self, double *min_lng, double *min_lat,
                                     double *max_lng, double *max_lat, GError **error);
  ParkdOperator *(*get_operator)    (ParkdStore *self, const char *slug, GError **error);
  gboolean      (*import_lots)      (ParkdStore *self, const ParkdOperator *op,
                                     ParkdNewLot **lots, guint n_lots, const ParkdAudit *audit,
                                     GError **error);

  /* Operators, lots and spots as staff manage them. */
  ParkdOperator *(*get_operator_by_id) (ParkdStore *self, const char *id, GError **error);
  ParkdPage    *(*list_operators)   (ParkdStore *self, const char *only_id, guint page,
                                     guint per_page, GError **error);
  ParkdOperator *(*create_operator) (ParkdStore *self, const ParkdOperator *op,
                                     const ParkdAudit *audit, GError **error);
  ParkdPage    *(*list_operator_lots) (ParkdStore *self, const char *operator_id, guint page,
                                       guint per_page, GError **error);
  ParkdLot     *(*create_lot)       (ParkdStore *self, const ParkdNewLot *lot,
                                     const ParkdAudit *audit, GError **error);
  ParkdLot     *(*update_lot)       (ParkdStore *self, const ParkdLot *lot,
                                     const ParkdAudit *audit, GError **error);
  gboolean      (*delete_lot)       (ParkdStore *self, const char *id, const ParkdAudit *audit,
                                     GError **error);
  ParkdSpot    *(*get_spot)         (ParkdStore *self, const char *id, GError **error);
  ParkdSpot    *(*create_spot)      (ParkdStore *self, const ParkdSpot *spot,
                                     const ParkdAudit *audit, GError **error);
  ParkdSpot    *(*update_spot)      (ParkdStore *self, const ParkdSpot *spot,
                                     const ParkdAudit *audit, GError **error);
  gboolean      (*delete_spot)      (ParkdStore *self, const char *id, const ParkdAudit *audit,
                                     GError **error);

  /* Accounts. */
  ParkdUser    *(*create_user)      (ParkdStore *self, const ParkdUser *user,
                                     const ParkdAudit *audit, GError **error);
  ParkdUser    *(*get_user)         (ParkdStore *self, const char *id, GError **error);
  ParkdUser    *(*get_user_by_email) (ParkdStore *self, const char *email, GError **error);
  ParkdUser    *(*update_user)      (ParkdStore *self, const ParkdUser *user,
                                     const ParkdAudit *audit, GError **error);
  gboolean      (*delete_user)      (ParkdStore *self, const char *id, const ParkdAudit *audit,
                                     GError **error);
  ParkdPage    *(*list_staff)       (ParkdStore *self, const char *operator_id, guint page,
                                     guint per_page, GError **error);
  GPtrArray    *(*list_vehicles)    (ParkdStore *self, const char *user_id, GError **error);
  ParkdVehicle *(*add_vehicle)      (ParkdStore *self, const ParkdVehicle *vehicle,
                                     GError **error);
  gboolean      (*delete_vehicle)   (ParkdStore *self, const char *user_id, const char *id,
                                     GError **error);

  /* Sessions and revocations. */
  ParkdSession *(*start_session)    (ParkdStore *self, const char *user_id, GBytes *token_hash,
                                     const char *expires_at, const char *client,
                                     const ParkdAudit *audit, GError **error);
  ParkdRefreshResult (*rotate_refresh) (ParkdStore *self, GBytes *old_hash, GBytes *new_hash,
                                        const char *new_expires_at, ParkdSession **session,
                                        GError **error);
  gboolean      (*revoke_family)    (ParkdStore *self, const char *family_id, const char *reason,
                                     const ParkdAudit *audit, GError **error);
  gboolean      (*revoke_user_sessions) (ParkdStore *self, const char *user_id,
                                         const char *reason, GPtrArray **families,
                                         GError **error);
  gboolean      (*revoke_access_token) (ParkdStore *self, const char *jti,
                                        const char *expires_at, GError **error);
  gboolean      (*load_revocations) (ParkdStore *self, const char *since, GPtrArray **jtis,
                                     GPtrArray **families, GError **error);
  gboolean      (*session_active)   (ParkdStore *self, const char *family_id, GError **error);

  /* The audit log. */
  gboolean      (*audit)            (ParkdStore *self, const ParkdAudit *audit, GError **error);
  ParkdPage    *(*list_audit)       (ParkdStore *self, const char *operator_id, guint page,
                                     guint per_page, GError **error);
  void          (*book_async)       (ParkdStore *self, const ParkdNewReservation *request,
                                     ParkdBookingDone done, gpointer user_data);
  ParkdBookingResult *(*book)       (ParkdStore *self, const ParkdNewReservation *request);
  gboolean      (*get_idempotency)  (ParkdStore *self, const char *scope, const char *key,
                                     char **route, GBytes **body_hash, int *status,
                                     char **resource_id, GError **error);
  ParkdReservation *(*get_reservation) (ParkdStore *self, const char *key, gboolean by_code,
                                        GError **error);
  ParkdPage    *(*list_reservations) (ParkdStore *self, const char *user_id, const char *status,
                                      guint page, guint per_page, GError **error);
  ParkdReservation *(*set_reservation_status) (ParkdStore *self, const char *id,
                                               ParkdReservationStatus status,
                                               const ParkdAudit *audit, GError **error);
  ParkdBookingResult *(*extend_reservation) (ParkdStore *self, const char *id,
                                             const char *new_end, gint64 new_total,
                                             const char *breakdown);
  guint         (*release_due)      (ParkdStore *self, gint64 no_show_grace_s, GError **error);
  double        (*booked_share)     (ParkdStore *self, const char *lot_id, ParkdSpotType type,
                                     const char *start_time, const char *end_time,
                                     GError **error);
  char         *(*get_pricing)      (ParkdStore *self, const char *lot_id, GError **error);
  gboolean      (*set_pricing)      (ParkdStore *self, const char *lot_id, const char *pricing,
                                     const ParkdAudit *audit, GError **error);
  GPtrArray    *(*list_events)      (ParkdStore *self, gint64 after_seq, guint limit,
                                     GError **error);
  GPtrArray    *(*feed_start)       (ParkdStore *self, gint64 *head, GError **error);
  gboolean      (*outbox_waiting)   (ParkdStore *self);
  ParkdLotFeed *(*get_lot_feed)     (ParkdStore *self, const char *lot_id, GError **error);
  GPtrArray    *(*lot_feed_since)   (ParkdStore *self, const char *lot_id, gint64 after_seq,
                                     guint limit, GError **error);
  gboolean      (*mark_published)   (ParkdStore *self, gint64 seq, GError **error);
  guint         (*notice_ending)    (ParkdStore *self, gint64 lead_s, GError **error);
  gboolean      (*save_quote)       (ParkdStore *self, ParkdStoredQuote *quote, GError **error);
  ParkdStoredQuote *(*get_quote)    (ParkdStore *self, const char *id, GError **error);
  ParkdPayment *(*record_payment)   (ParkdStore *self, const ParkdPayment *payment,
                                     const ParkdAudit *audit, GError **error);
  ParkdPayment *(*get_payment)      (ParkdStore *self, ParkdPaymentLookup by, const char *key1,
                                     const char *key2, GError **error);
  GPtrArray    *(*list_payments)    (ParkdStore *self, const char *reservation_id,
                                     GError **error);
  GPtrArray    *(*list_stay_payments) (ParkdStore *self, const char *session_id,
                                       GError **error);
  ParkdPayment *(*complete_checkout) (ParkdStore *self, const char *id, const char *provider_ref,
                                      GError **error);
  ParkdPayment *(*set_payment_status) (ParkdStore *self, const char *id, const char *status,
                                       GError **error);
  ParkdDiscount *(*create_discount) (ParkdStore *self, const ParkdDiscount *discount,
                                     const ParkdAudit *audit, GError **error);
  ParkdDiscount *(*find_discount)   (ParkdStore *self, const char *operator_id, const char *code,
                                     GError **error);
  ParkdPage    *(*list_discounts)   (ParkdStore *self, const char *operator_id, guint page,
                                     guint per_page, GError **error);
  GArray       *(*lot_history)      (ParkdStore *self, const char *lot_id, gint64 from,
                                     gint64 to, GError **error);
  GPtrArray    *(*revenue)          (ParkdStore *self, const char *operator_id,
                                     const gint64 *bounds, guint n_bounds, gboolean by_lot,
                                     GError **error);
  gboolean      (*stays)            (ParkdStore *self, const char *operator_id,
                                     const char *lot_id, gint64 from, gint64 to,
                                     ParkdStaysSummary *summary, GError **error);
  gboolean      (*delete_discount)  (ParkdStore *self, const char *operator_id, const char *id,
                                     const ParkdAudit *audit, GError **error);
  ParkdSensorDevice *(*create_sensor) (ParkdStore *self, const ParkdSensorDevice *device,
                                       GBytes *key_hash, const ParkdAudit *audit,
                                       GError **error);
  ParkdPage    *(*list_sensors)     (ParkdStore *self, const char *operator_id, guint page,
                                     guint per_page, GError **error);
  gboolean      (*revoke_sensor)    (ParkdStore *self, const char *operator_id, const char *id,
                                     const ParkdAudit *audit, GError **error);
  ParkdSensorDevice *(*get_sensor_by_key) (ParkdStore *self, GBytes *key_hash, GError **error);
  ParkdKiosk   *(*create_kiosk)     (ParkdStore *self, const ParkdKiosk *kiosk, GBytes *key_hash,
                                     const ParkdAudit *audit, GError **error);
  ParkdPage    *(*list_kiosks)      (ParkdStore *self, const char *operator_id, guint page,
                                     guint per_page, GError **error);
  gboolean      (*revoke_kiosk)     (ParkdStore *self, const char *operator_id, const char *id,
                                     const ParkdAudit *audit, GError **error);
  ParkdKiosk   *(*get_kiosk_by_key) (ParkdStore *self, GBytes *key_hash, GError **error);
  gint64        (*count_guest_bookings) (ParkdStore *self, const char *kiosk_id,
                                         const char *since, char **oldest, GError **error);
  gboolean      (*apply_sensor_readings) (ParkdStore *self, const char *device_id,
                                          ParkdSensorReading *readings, guint n_readings,
                                          guint *failed, GError **error);
  GPtrArray    *(*cash_report)      (ParkdStore *self, const char *operator_id,
                                     const char *attendant_id, const char *from, const char *to,
                                     GError **error);
  ParkdParkingSession *(*check_in)  (ParkdStore *self, const ParkdParkingSession *want,
                                     const char *reservation_code,
                                     const ParkdIdempotency *idem, gboolean *replayed,
                                     GError **error);
  ParkdParkingSession *(*get_parking_session) (ParkdStore *self, const char *id_or_ticket,
                                               GError **error);
  GPtrArray    *(*find_parking_sessions) (ParkdStore *self, const char *lot_id,
                                          GBytes *plate_hash, GError **error);
  ParkdCheckOutResult *(*check_out) (ParkdStore *self, const ParkdCheckOut *request,
                                     GError **error);
  ParkdPayment *(*record_refund)    (ParkdStore *self, const char *payment_id, gint64 amount,
                                     const char *provider_ref, const char *reason,
                                     GError **error);
  ParkdRefundDue *(*add_refund_due) (ParkdStore *self, const ParkdRefundDue *due,
                                     const ParkdAudit *audit, GError **error);
  ParkdRefundDue *(*get_void)       (ParkdStore *self, const char *provider_ref, GError **error);
  GPtrArray    *(*list_refunds_due) (ParkdStore *self, guint limit, GError **error);
  gboolean      (*finish_refund_due) (ParkdStore *self, gint64 id, const char *refund_ref,
                                      GError **error);
  gboolean      (*fail_refund_due)  (ParkdStore *self, gint64 id, const char *message,
                                     GError **error);
  ParkdShift   *(*open_shift)       (ParkdStore *self, const ParkdShift *want, GError **error);
  ParkdShift   *(*get_shift)        (ParkdStore *self, const char *id, const char *attendant_id,
                                     GError **error);
  ParkdShift   *(*close_shift)      (ParkdStore *self, const char *id, gint64 counted,
                                     const char *note, GError **error);
  GPtrArray    *(*shift_entries)    (ParkdStore *self, const char *id, GError **error);
  GPtrArray    *(*board)            (ParkdStore *self, const char *lot_id, ParkdBoardList list,
                                     const char *now, const char *until, GError **error);
} ParkdStoreVTable;

struct _ParkdStore
{
  const ParkdStoreVTable *vtable;
  ParkdStoreChangedFunc   changed;        /* set once, before the store is shared */
  gpointer                changed_data;
};

/* For implementations: a write committed. */
static inline void
_parkd_store_changed (ParkdStore *self)
{
  if (self->changed != NULL)
    self->changed (self->changed_data);
}

ParkdStore *_parkd_store_sqlite_open (const char *path, GError **error);
#ifdef HAVE_LIBPQ
ParkdStore *_parkd_store_pg_open (const char *uri, const char *replica_uri, GError **error);
#endif

void        parkd_new_reservation_copy     (ParkdNewReservation       *to,
                                            const ParkdNewReservation *from);
void        parkd_new_reservation_clear    (ParkdNewReservation       *r);
char       *parkd_payment_event_payload    (const ParkdPayment        *p,
                                            gint64                     amount);
char       *parkd_reservation_event_payload (const char               *reservation_id,
                                             const char               *spot_id,
                                             const char               *status);
char       *parkd_session_event_payload    (const char                *session_id,
                                            const char                *spot_id);

/* The booking lifecycle's rules, the same for every store. */
gboolean    parkd_reservation_move_allowed (ParkdReservationStatus from,
                                            ParkdReservationStatus to);
const char *parkd_reservation_event_for    (ParkdReservationStatus to);

G_END_DECLS
