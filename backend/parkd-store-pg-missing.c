/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-pg-missing.c: the store entries the PostgreSQL store does not have yet. Each
 * fails with PARKD_STORE_ERROR_UNSUPPORTED ("not-implemented", 501) naming what is missing,
 * so parkd answers a clear problem instead of crashing; the SQLite store has them all.
 *
 * Generated from the vtable in parkd-store-private.h; only entries left NULL are filled.
 */
#include "config.h"

#include "parkd-store-pg-private.h"

#pragma GCC diagnostic ignored "-Wunused-parameter"

static void
missing (GError     **error,
         const char  *what)
{
  g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_UNSUPPORTED,
               "The PostgreSQL store cannot %s yet", what);
}

static gboolean
missing_ping (ParkdStore *self, GError **error)
{
  missing (error, "ping");
  return FALSE;
}

static gboolean
missing_warm (ParkdStore *self, GError **error)
{
  missing (error, "warm");
  return FALSE;
}

static gboolean
missing_counts (ParkdStore *self, ParkdStoreCounts *counts, GError **error)
{
  missing (error, "counts");
  return FALSE;
}

static ParkdPage *
missing_search_lots (ParkdStore *self, const ParkdLotQuery *query, GError **error)
{
  missing (error, "search lots");
  return NULL;
}

static ParkdLot *
missing_get_lot (ParkdStore *self, const char *id, GError **error)
{
  missing (error, "get lot");
  return NULL;
}

static ParkdPage *
missing_list_spots (ParkdStore *self, const char *lot_id, const ParkdSpotQuery *query, GError **error)
{
  missing (error, "list spots");
  return NULL;
}

static GPtrArray *
missing_get_availability (ParkdStore *self, const char * const *lot_ids, GError **error)
{
  missing (error, "get availability");
  return NULL;
}

static gboolean
missing_bounds (ParkdStore *self, double *min_lng, double *min_lat, double *max_lng, double *max_lat, GError **error)
{
  missing (error, "bounds");
  return FALSE;
}

static ParkdOperator *
missing_get_operator (ParkdStore *self, const char *slug, GError **error)
{
  missing (error, "get operator");
  return NULL;
}

static gboolean
missing_import_lots (ParkdStore *self, const ParkdOperator *op, ParkdNewLot **lots, guint n_lots, const ParkdAudit *audit, GError **error)
{
  missing (error, "import lots");
  return FALSE;
}

static ParkdOperator *
missing_get_operator_by_id (ParkdStore *self, const char *id, GError **error)
{
  missing (error, "get operator by id");
  return NULL;
}

static ParkdPage *
missing_list_operators (ParkdStore *self, const char *only_id, guint page, guint per_page, GError **error)
{
  missing (error, "list operators");
  return NULL;
}

static ParkdOperator *
missing_create_operator (ParkdStore *self, const ParkdOperator *op, const ParkdAudit *audit, GError **error)
{
  missing (error, "create operator");
  return NULL;
}

static ParkdPage *
missing_list_operator_lots (ParkdStore *self, const char *operator_id, guint page, guint per_page, GError **error)
{
  missing (error, "list operator lots");
  return NULL;
}

static ParkdLot *
missing_create_lot (ParkdStore *self, const ParkdNewLot *lot, const ParkdAudit *audit, GError **error)
{
  missing (error, "create lot");
  return NULL;
}

static ParkdLot *
missing_update_lot (ParkdStore *self, const ParkdLot *lot, const ParkdAudit *audit, GError **error)
{
  missing (error, "update lot");
  return NULL;
}

static gboolean
missing_delete_lot (ParkdStore *self, const char *id, const ParkdAudit *audit, GError **error)
{
  missing (error, "delete lot");
  return FALSE;
}

static ParkdSpot *
missing_get_spot (ParkdStore *self, const char *id, GError **error)
{
  missing (error, "get spot");
  return NULL;
}

static ParkdSpot *
missing_create_spot (ParkdStore *self, const ParkdSpot *spot, const ParkdAudit *audit, GError **error)
{
  missing (error, "create spot");
  return NULL;
}

static ParkdSpot *
missing_update_spot (ParkdStore *self, const ParkdSpot *spot, const ParkdAudit *audit, GError **error)
{
  missing (error, "update spot");
  return NULL;
}

static gboolean
missing_delete_spot (ParkdStore *self, const char *id, const ParkdAudit *audit, GError **error)
{
  missing (error, "delete spot");
  return FALSE;
}

static ParkdUser *
missing_create_user (ParkdStore *self, const ParkdUser *user, const ParkdAudit *audit, GError **error)
{
  missing (error, "create user");
  return NULL;
}

static ParkdUser *
missing_get_user (ParkdStore *self, const char *id, GError **error)
{
  missing (error, "get user");
  return NULL;
}

static ParkdUser *
missing_get_user_by_email (ParkdStore *self, const char *email, GError **error)
{
  missing (error, "get user by email");
  return NULL;
}

static ParkdUser *
missing_update_user (ParkdStore *self, const ParkdUser *user, const ParkdAudit *audit, GError **error)
{
  missing (error, "update user");
  return NULL;
}

static gboolean
missing_delete_user (ParkdStore *self, const char *id, const ParkdAudit *audit, GError **error)
{
  missing (error, "delete user");
  return FALSE;
}

static ParkdPage *
missing_list_staff (ParkdStore *self, const char *operator_id, guint page, guint per_page, GError **error)
{
  missing (error, "list staff");
  return NULL;
}

static GPtrArray *
missing_list_vehicles (ParkdStore *self, const char *user_id, GError **error)
{
  missing (error, "list vehicles");
  return NULL;
}

static ParkdVehicle *
missing_add_vehicle (ParkdStore *self, const ParkdVehicle *vehicle, GError **error)
{
  missing (error, "add vehicle");
  return NULL;
}

static gboolean
missing_delete_vehicle (ParkdStore *self, const char *user_id, const char *id, GError **error)
{
  missing (error, "delete vehicle");
  return FALSE;
}

static ParkdSession *
missing_start_session (ParkdStore *self, const char *user_id, GBytes *token_hash, const char *expires_at, const char *client, const ParkdAudit *audit, GError **error)
{
  missing (error, "start session");
  return NULL;
}

static ParkdRefreshResult
missing_rotate_refresh (ParkdStore *self, GBytes *old_hash, GBytes *new_hash, const char *new_expires_at, ParkdSession **session, GError **error)
{
  missing (error, "rotate refresh");
  return PARKD_REFRESH_UNKNOWN;
}

static gboolean
missing_revoke_family (ParkdStore *self, const char *family_id, const char *reason, const ParkdAudit *audit, GError **error)
{
  missing (error, "revoke family");
  return FALSE;
}

static gboolean
missing_revoke_user_sessions (ParkdStore *self, const char *user_id, const char *reason, GPtrArray **families, GError **error)
{
  missing (error, "revoke user sessions");
  return FALSE;
}

static gboolean
missing_revoke_access_token (ParkdStore *self, const char *jti, const char *expires_at, GError **error)
{
  missing (error, "revoke access token");
  return FALSE;
}

static gboolean
missing_load_revocations (ParkdStore *self, const char *since, GPtrArray **jtis, GPtrArray **families, GError **error)
{
  missing (error, "load revocations");
  return FALSE;
}

static gboolean
missing_session_active (ParkdStore *self, const char *family_id, GError **error)
{
  missing (error, "session active");
  return FALSE;
}

static gboolean
missing_audit (ParkdStore *self, const ParkdAudit *audit, GError **error)
{
  missing (error, "audit");
  return FALSE;
}

static ParkdPage *
missing_list_audit (ParkdStore *self, const char *operator_id, guint page, guint per_page, GError **error)
{
  missing (error, "list audit");
  return NULL;
}

static void
missing_book_async (ParkdStore *self, const ParkdNewReservation *request, ParkdBookingDone done, gpointer user_data)
{
  ParkdBookingResult *result = g_new0 (ParkdBookingResult, 1);
  missing (&result->error, "book async");
  done (result, user_data);
}

static ParkdBookingResult *
missing_book (ParkdStore *self, const ParkdNewReservation *request)
{
  ParkdBookingResult *result = g_new0 (ParkdBookingResult, 1);
  missing (&result->error, "book");
  return result;
}

static gboolean
missing_get_idempotency (ParkdStore *self, const char *scope, const char *key, char **route, GBytes **body_hash, int *status, char **resource_id, GError **error)
{
  missing (error, "get idempotency");
  return FALSE;
}

static ParkdReservation *
missing_get_reservation (ParkdStore *self, const char *key, gboolean by_code, GError **error)
{
  missing (error, "get reservation");
  return NULL;
}

static ParkdPage *
missing_list_reservations (ParkdStore *self, const char *user_id, const char *status, guint page, guint per_page, GError **error)
{
  missing (error, "list reservations");
  return NULL;
}

static ParkdReservation *
missing_set_reservation_status (ParkdStore *self, const char *id, ParkdReservationStatus status, const ParkdAudit *audit, GError **error)
{
  missing (error, "set reservation status");
  return NULL;
}

static ParkdBookingResult *
missing_extend_reservation (ParkdStore *self, const char *id, const char *new_end, gint64 new_total, const char *breakdown)
{
  ParkdBookingResult *result = g_new0 (ParkdBookingResult, 1);
  missing (&result->error, "extend reservation");
  return result;
}

static guint
missing_release_due (ParkdStore *self, gint64 no_show_grace_s, GError **error)
{
  missing (error, "release due");
  return 0;
}

static double
missing_booked_share (ParkdStore *self, const char *lot_id, ParkdSpotType type, const char *start_time, const char *end_time, GError **error)
{
  missing (error, "booked share");
  return -1;
}

static char *
missing_get_pricing (ParkdStore *self, const char *lot_id, GError **error)
{
  missing (error, "get pricing");
  return NULL;
}

static gboolean
missing_set_pricing (ParkdStore *self, const char *lot_id, const char *pricing, const ParkdAudit *audit, GError **error)
{
  missing (error, "set pricing");
  return FALSE;
}

static GPtrArray *
missing_list_events (ParkdStore *self, gint64 after_seq, guint limit, GError **error)
{
  missing (error, "list events");
  return NULL;
}

static GPtrArray *
missing_feed_start (ParkdStore *self, gint64 *head, GError **error)
{
  missing (error, "feed start");
  return NULL;
}

static ParkdLotFeed *
missing_get_lot_feed (ParkdStore *self, const char *lot_id, GError **error)
{
  missing (error, "get lot feed");
  return NULL;
}

static GPtrArray *
missing_lot_feed_since (ParkdStore *self, const char *lot_id, gint64 after_seq, guint limit, GError **error)
{
  missing (error, "lot feed since");
  return NULL;
}

static gboolean
missing_mark_published (ParkdStore *self, gint64 seq, GError **error)
{
  missing (error, "mark published");
  return FALSE;
}

static guint
missing_notice_ending (ParkdStore *self, gint64 lead_s, GError **error)
{
  missing (error, "notice ending");
  return 0;
}

static gboolean
missing_save_quote (ParkdStore *self, ParkdStoredQuote *quote, GError **error)
{
  missing (error, "save quote");
  return FALSE;
}

static ParkdStoredQuote *
missing_get_quote (ParkdStore *self, const char *id, GError **error)
{
  missing (error, "get quote");
  return NULL;
}

static ParkdPayment *
missing_record_payment (ParkdStore *self, const ParkdPayment *payment, const ParkdAudit *audit, GError **error)
{
  missing (error, "record payment");
  return NULL;
}

static ParkdPayment *
missing_get_payment (ParkdStore *self, ParkdPaymentLookup by, const char *key1, const char *key2, GError **error)
{
  missing (error, "get payment");
  return NULL;
}

static GPtrArray *
missing_list_payments (ParkdStore *self, const char *reservation_id, GError **error)
{
  missing (error, "list payments");
  return NULL;
}

static ParkdPayment *
missing_set_payment_status (ParkdStore *self, const char *id, const char *status, GError **error)
{
  missing (error, "set payment status");
  return NULL;
}

static ParkdDiscount *
missing_create_discount (ParkdStore *self, const ParkdDiscount *discount, const ParkdAudit *audit, GError **error)
{
  missing (error, "create discount");
  return NULL;
}

static ParkdDiscount *
missing_find_discount (ParkdStore *self, const char *operator_id, const char *code, GError **error)
{
  missing (error, "find discount");
  return NULL;
}

static ParkdPage *
missing_list_discounts (ParkdStore *self, const char *operator_id, guint page, guint per_page, GError **error)
{
  missing (error, "list discounts");
  return NULL;
}

static GArray *
missing_lot_history (ParkdStore *self, const char *lot_id, gint64 from, gint64 to, GError **error)
{
  missing (error, "lot history");
  return NULL;
}

static GPtrArray *
missing_revenue (ParkdStore *self, const char *operator_id, const gint64 *bounds, guint n_bounds, gboolean by_lot, GError **error)
{
  missing (error, "revenue");
  return NULL;
}

static gboolean
missing_stays (ParkdStore *self, const char *operator_id, const char *lot_id, gint64 from, gint64 to, ParkdStaysSummary *summary, GError **error)
{
  missing (error, "stays");
  return FALSE;
}

static gboolean
missing_delete_discount (ParkdStore *self, const char *operator_id, const char *id, const ParkdAudit *audit, GError **error)
{
  missing (error, "delete discount");
  return FALSE;
}

static ParkdSensorDevice *
missing_create_sensor (ParkdStore *self, const ParkdSensorDevice *device, GBytes *key_hash, const ParkdAudit *audit, GError **error)
{
  missing (error, "create sensor");
  return NULL;
}

static ParkdPage *
missing_list_sensors (ParkdStore *self, const char *operator_id, guint page, guint per_page, GError **error)
{
  missing (error, "list sensors");
  return NULL;
}

static gboolean
missing_revoke_sensor (ParkdStore *self, const char *operator_id, const char *id, const ParkdAudit *audit, GError **error)
{
  missing (error, "revoke sensor");
  return FALSE;
}

static ParkdSensorDevice *
missing_get_sensor_by_key (ParkdStore *self, GBytes *key_hash, GError **error)
{
  missing (error, "get sensor by key");
  return NULL;
}

static gboolean
missing_apply_sensor_readings (ParkdStore *self, const char *device_id, ParkdSensorReading *readings, guint n_readings, guint *failed, GError **error)
{
  missing (error, "apply sensor readings");
  return FALSE;
}

static GPtrArray *
missing_cash_report (ParkdStore *self, const char *operator_id, const char *attendant_id, const char *from, const char *to, GError **error)
{
  missing (error, "cash report");
  return NULL;
}

static ParkdParkingSession *
missing_check_in (ParkdStore *self, const ParkdParkingSession *want, const char *reservation_code, const ParkdIdempotency *idem, gboolean *replayed, GError **error)
{
  missing (error, "check in");
  return NULL;
}

static ParkdParkingSession *
missing_get_parking_session (ParkdStore *self, const char *id_or_ticket, GError **error)
{
  missing (error, "get parking session");
  return NULL;
}

static GPtrArray *
missing_find_parking_sessions (ParkdStore *self, const char *lot_id, GBytes *plate_hash, GError **error)
{
  missing (error, "find parking sessions");
  return NULL;
}

static ParkdCheckOutResult *
missing_check_out (ParkdStore *self, const ParkdCheckOut *request, GError **error)
{
  missing (error, "check out");
  return NULL;
}

static ParkdPayment *
missing_record_refund (ParkdStore *self, const char *payment_id, gint64 amount, const char *provider_ref, const char *reason, GError **error)
{
  missing (error, "record refund");
  return NULL;
}

static ParkdRefundDue *
missing_add_refund_due (ParkdStore *self, const ParkdRefundDue *due, const ParkdAudit *audit, GError **error)
{
  missing (error, "add refund due");
  return NULL;
}

static ParkdRefundDue *
missing_get_void (ParkdStore *self, const char *provider_ref, GError **error)
{
  missing (error, "get void");
  return NULL;
}

static GPtrArray *
missing_list_refunds_due (ParkdStore *self, guint limit, GError **error)
{
  missing (error, "list refunds due");
  return NULL;
}

static gboolean
missing_finish_refund_due (ParkdStore *self, gint64 id, const char *refund_ref, GError **error)
{
  missing (error, "finish refund due");
  return FALSE;
}

static gboolean
missing_fail_refund_due (ParkdStore *self, gint64 id, const char *message, GError **error)
{
  missing (error, "fail refund due");
  return FALSE;
}

static ParkdShift *
missing_open_shift (ParkdStore *self, const ParkdShift *want, GError **error)
{
  missing (error, "open shift");
  return NULL;
}

static ParkdShift *
missing_get_shift (ParkdStore *self, const char *id, const char *attendant_id, GError **error)
{
  missing (error, "get shift");
  return NULL;
}

static ParkdShift *
missing_close_shift (ParkdStore *self, const char *id, gint64 counted, const char *note, GError **error)
{
  missing (error, "close shift");
  return NULL;
}

static GPtrArray *
missing_shift_entries (ParkdStore *self, const char *id, GError **error)
{
  missing (error, "shift entries");
  return NULL;
}

static GPtrArray *
missing_board (ParkdStore *self, const char *lot_id, ParkdBoardList list, const char *now, const char *until, GError **error)
{
  missing (error, "board");
  return NULL;
}

void
_parkd_pg_missing_vtable (ParkdStoreVTable *vtable)
{
  if (vtable->ping == NULL)
    vtable->ping = missing_ping;
  if (vtable->warm == NULL)
    vtable->warm = missing_warm;
  if (vtable->counts == NULL)
    vtable->counts = missing_counts;
  if (vtable->search_lots == NULL)
    vtable->search_lots = missing_search_lots;
  if (vtable->get_lot == NULL)
    vtable->get_lot = missing_get_lot;
  if (vtable->list_spots == NULL)
    vtable->list_spots = missing_list_spots;
  if (vtable->get_availability == NULL)
    vtable->get_availability = missing_get_availability;
  if (vtable->bounds == NULL)
    vtable->bounds = missing_bounds;
  if (vtable->get_operator == NULL)
    vtable->get_operator = missing_get_operator;
  if (vtable->import_lots == NULL)
    vtable->import_lots = missing_import_lots;
  if (vtable->get_operator_by_id == NULL)
    vtable->get_operator_by_id = missing_get_operator_by_id;
  if (vtable->list_operators == NULL)
    vtable->list_operators = missing_list_operators;
  if (vtable->create_operator == NULL)
    vtable->create_operator = missing_create_operator;
  if (vtable->list_operator_lots == NULL)
    vtable->list_operator_lots = missing_list_operator_lots;
  if (vtable->create_lot == NULL)
    vtable->create_lot = missing_create_lot;
  if (vtable->update_lot == NULL)
    vtable->update_lot = missing_update_lot;
  if (vtable->delete_lot == NULL)
    vtable->delete_lot = missing_delete_lot;
  if (vtable->get_spot == NULL)
    vtable->get_spot = missing_get_spot;
  if (vtable->create_spot == NULL)
    vtable->create_spot = missing_create_spot;
  if (vtable->update_spot == NULL)
    vtable->update_spot = missing_update_spot;
  if (vtable->delete_spot == NULL)
    vtable->delete_spot = missing_delete_spot;
  if (vtable->create_user == NULL)
    vtable->create_user = missing_create_user;
  if (vtable->get_user == NULL)
    vtable->get_user = missing_get_user;
  if (vtable->get_user_by_email == NULL)
    vtable->get_user_by_email = missing_get_user_by_email;
  if (vtable->update_user == NULL)
    vtable->update_user = missing_update_user;
  if (vtable->delete_user == NULL)
    vtable->delete_user = missing_delete_user;
  if (vtable->list_staff == NULL)
    vtable->list_staff = missing_list_staff;
  if (vtable->list_vehicles == NULL)
    vtable->list_vehicles = missing_list_vehicles;
  if (vtable->add_vehicle == NULL)
    vtable->add_vehicle = missing_add_vehicle;
  if (vtable->delete_vehicle == NULL)
    vtable->delete_vehicle = missing_delete_vehicle;
  if (vtable->start_session == NULL)
    vtable->start_session = missing_start_session;
  if (vtable->rotate_refresh == NULL)
    vtable->rotate_refresh = missing_rotate_refresh;
  if (vtable->revoke_family == NULL)
    vtable->revoke_family = missing_revoke_family;
  if (vtable->revoke_user_sessions == NULL)
    vtable->revoke_user_sessions = missing_revoke_user_sessions;
  if (vtable->revoke_access_token == NULL)
    vtable->revoke_access_token = missing_revoke_access_token;
  if (vtable->load_revocations == NULL)
    vtable->load_revocations = missing_load_revocations;
  if (vtable->session_active == NULL)
    vtable->session_active = missing_session_active;
  if (vtable->audit == NULL)
    vtable->audit = missing_audit;
  if (vtable->list_audit == NULL)
    vtable->list_audit = missing_list_audit;
  if (vtable->book_async == NULL)
    vtable->book_async = missing_book_async;
  if (vtable->book == NULL)
    vtable->book = missing_book;
  if (vtable->get_idempotency == NULL)
    vtable->get_idempotency = missing_get_idempotency;
  if (vtable->get_reservation == NULL)
    vtable->get_reservation = missing_get_reservation;
  if (vtable->list_reservations == NULL)
    vtable->list_reservations = missing_list_reservations;
  if (vtable->set_reservation_status == NULL)
    vtable->set_reservation_status = missing_set_reservation_status;
  if (vtable->extend_reservation == NULL)
    vtable->extend_reservation = missing_extend_reservation;
  if (vtable->release_due == NULL)
    vtable->release_due = missing_release_due;
  if (vtable->booked_share == NULL)
    vtable->booked_share = missing_booked_share;
  if (vtable->get_pricing == NULL)
    vtable->get_pricing = missing_get_pricing;
  if (vtable->set_pricing == NULL)
    vtable->set_pricing = missing_set_pricing;
  if (vtable->list_events == NULL)
    vtable->list_events = missing_list_events;
  if (vtable->feed_start == NULL)
    vtable->feed_start = missing_feed_start;
  if (vtable->get_lot_feed == NULL)
    vtable->get_lot_feed = missing_get_lot_feed;
  if (vtable->lot_feed_since == NULL)
    vtable->lot_feed_since = missing_lot_feed_since;
  if (vtable->mark_published == NULL)
    vtable->mark_published = missing_mark_published;
  if (vtable->notice_ending == NULL)
    vtable->notice_ending = missing_notice_ending;
  if (vtable->save_quote == NULL)
    vtable->save_quote = missing_save_quote;
  if (vtable->get_quote == NULL)
    vtable->get_quote = missing_get_quote;
  if (vtable->record_payment == NULL)
    vtable->record_payment = missing_record_payment;
  if (vtable->get_payment == NULL)
    vtable->get_payment = missing_get_payment;
  if (vtable->list_payments == NULL)
    vtable->list_payments = missing_list_payments;
  if (vtable->set_payment_status == NULL)
    vtable->set_payment_status = missing_set_payment_status;
  if (vtable->create_discount == NULL)
    vtable->create_discount = missing_create_discount;
  if (vtable->find_discount == NULL)
    vtable->find_discount = missing_find_discount;
  if (vtable->list_discounts == NULL)
    vtable->list_discounts = missing_list_discounts;
  if (vtable->lot_history == NULL)
    vtable->lot_history = missing_lot_history;
  if (vtable->revenue == NULL)
    vtable->revenue = missing_revenue;
  if (vtable->stays == NULL)
    vtable->stays = missing_stays;
  if (vtable->delete_discount == NULL)
    vtable->delete_discount = missing_delete_discount;
  if (vtable->create_sensor == NULL)
    vtable->create_sensor = missing_create_sensor;
  if (vtable->list_sensors == NULL)
    vtable->list_sensors = missing_list_sensors;
  if (vtable->revoke_sensor == NULL)
    vtable->revoke_sensor = missing_revoke_sensor;
  if (vtable->get_sensor_by_key == NULL)
    vtable->get_sensor_by_key = missing_get_sensor_by_key;
  if (vtable->apply_sensor_readings == NULL)
    vtable->apply_sensor_readings = missing_apply_sensor_readings;
  if (vtable->cash_report == NULL)
    vtable->cash_report = missing_cash_report;
  if (vtable->check_in == NULL)
    vtable->check_in = missing_check_in;
  if (vtable->get_parking_session == NULL)
    vtable->get_parking_session = missing_get_parking_session;
  if (vtable->find_parking_sessions == NULL)
    vtable->find_parking_sessions = missing_find_parking_sessions;
  if (vtable->check_out == NULL)
    vtable->check_out = missing_check_out;
  if (vtable->record_refund == NULL)
    vtable->record_refund = missing_record_refund;
  if (vtable->add_refund_due == NULL)
    vtable->add_refund_due = missing_add_refund_due;
  if (vtable->get_void == NULL)
    vtable->get_void = missing_get_void;
  if (vtable->list_refunds_due == NULL)
    vtable->list_refunds_due = missing_list_refunds_due;
  if (vtable->finish_refund_due == NULL)
    vtable->finish_refund_due = missing_finish_refund_due;
  if (vtable->fail_refund_due == NULL)
    vtable->fail_refund_due = missing_fail_refund_due;
  if (vtable->open_shift == NULL)
    vtable->open_shift = missing_open_shift;
  if (vtable->get_shift == NULL)
    vtable->get_shift = missing_get_shift;
  if (vtable->close_shift == NULL)
    vtable->close_shift = missing_close_shift;
  if (vtable->shift_entries == NULL)
    vtable->shift_entries = missing_shift_entries;
  if (vtable->board == NULL)
    vtable->board = missing_board;
}
