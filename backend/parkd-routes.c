/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-routes.c: every route parkd serves, in one table (Redis's command table is the
 * model), with who may call it. The OpenAPI document (openapi.json) describes each of them;
 * a test checks the two agree.
 */
#include "config.h"

#include "parkd-reply.h"

#define BODY     PARKD_ROUTE_BODY
#define BLOCKING PARKD_ROUTE_BLOCKING
#define AUTH     PARKD_ROUTE_AUTH_LIMIT
#define PAY      PARKD_ROUTE_PAYMENT
#define HASH     PARKD_ROUTE_HASH
#define LOOP     PARKD_ROUTE_LOOP
#define KIOSK    PARKD_ROUTE_KIOSK
#define USER     PARKD_ROLES_USER
#define STAFF    PARKD_ROLES_STAFF
#define MANAGER  PARKD_ROLES_MANAGER
#define ADMIN    PARKD_ROLES_ADMIN

const ParkdRoute parkd_routes[] = {
  { "GET",    "/health",                              parkd_handle_health,       LOOP, 0 },
  { "GET",    "/ready",                               parkd_handle_ready,        0, 0 },
  { "GET",    "/metrics",                             parkd_handle_metrics,      LOOP, 0 },
  { "GET",    "/.well-known/jwks.json",               parkd_handle_jwks,         LOOP, 0 },
  { "GET",    "/api/v1/openapi.json",                 parkd_handle_openapi,      LOOP, 0 },
  { "GET",    "/api/v1/info",                         parkd_handle_info,         0, 0 },
  { "GET",    "/api/v1/parking-lots",                 parkd_handle_lots_search,  0, 0 },
  { "GET",    "/api/v1/live",                         parkd_handle_live,         LOOP, 0 },
  { "POST",   "/api/v1/parking-lots/availability",    parkd_handle_availability, BODY, 0 },
  { "GET",    "/api/v1/parking-lots/{id}",            parkd_handle_lot_get,      0, 0 },
  { "GET",    "/api/v1/parking-lots/{id}/spots",      parkd_handle_lot_spots,    0, 0 },
  { "GET",    "/api/v1/parking-lots/{id}/quote",      parkd_handle_quote,        BLOCKING, 0 },
  { "POST",   "/api/v1/parking-lots/{id}/spots/{spot_id}/reserve", parkd_handle_spot_reserve,
    BODY | KIOSK, USER },

  { "GET",    "/api/v1/reservations",       parkd_handle_reservations_list,  0, USER },
  /* KIOSK: a kiosk's key may book for a guest, and read, pay and cancel that booking. */
  { "POST",   "/api/v1/reservations",       parkd_handle_reservation_create, BODY | KIOSK, USER },
  { "GET",    "/api/v1/reservations/{id}",  parkd_handle_reservation_get,    KIOSK, USER },
  { "PUT",    "/api/v1/reservations/{id}",  parkd_handle_reservation_update, BODY | BLOCKING, USER },
  { "DELETE", "/api/v1/reservations/{id}",  parkd_handle_reservation_cancel,
    BLOCKING | KIOSK, USER },
  { "GET",    "/api/v1/reservations/{id}/payments", parkd_handle_reservation_payments, 0, USER },
  { "POST",   "/api/v1/reservations/{id}/payments", parkd_handle_reservation_pay,
    BODY | BLOCKING | PAY, USER },
  { "POST",   "/api/v1/reservations/{id}/checkout", parkd_handle_reservation_checkout,
    BLOCKING | PAY | KIOSK, USER },
  { "GET",    "/api/v1/payments/{id}/receipt",      parkd_handle_payment_receipt, 0, USER },
  { "POST",   "/api/v1/payments/webhooks/stripe",   parkd_handle_stripe_webhook,
    BODY | BLOCKING, 0 },

  { "POST",   "/api/v1/sessions",                   parkd_handle_session_check_in,
    BODY | BLOCKING, STAFF },
  { "GET",    "/api/v1/sessions",                   parkd_handle_sessions_find,  0, STAFF },
  { "GET",    "/api/v1/sessions/{id}",              parkd_handle_session_get,    0, STAFF },
  { "GET",    "/api/v1/sessions/{id}/fee",          parkd_handle_session_fee,    0, STAFF },
  { "GET",    "/api/v1/sessions/{id}/payments",     parkd_handle_session_payments, 0, STAFF },
  { "POST",   "/api/v1/sessions/{id}/check-out",    parkd_handle_session_check_out,
    BODY | BLOCKING | PAY, STAFF },
  /* The booth's drawer (issue 8): one open shift per attendant. */
  { "POST",   "/api/v1/shifts",                     parkd_handle_shift_open,
    BODY | BLOCKING, STAFF },
  { "GET",    "/api/v1/shifts/current",             parkd_handle_shift_current, 0, STAFF },
  { "GET",    "/api/v1/shifts/{id}",                parkd_handle_shift_report,  0, STAFF },
  { "POST",   "/api/v1/shifts/{id}/close",          parkd_handle_shift_close,
    BODY | BLOCKING, STAFF },
  { "GET",    "/api/v1/parking-lots/{id}/board",    parkd_handle_lot_board,     0, STAFF },

  { "POST",   "/api/v1/auth/register",   parkd_handle_register, BODY | BLOCKING | HASH | AUTH, 0 },
  { "POST",   "/api/v1/auth/login",      parkd_handle_login,    BODY | BLOCKING | HASH | AUTH, 0 },
  { "POST",   "/api/v1/auth/refresh",    parkd_handle_refresh,  BODY | BLOCKING | AUTH, 0 },
  { "POST",   "/api/v1/auth/logout",     parkd_handle_logout,   BLOCKING, USER },
  { "GET",    "/api/v1/users/me",        parkd_handle_me_get,   0, USER },
  { "PATCH",  "/api/v1/users/me",        parkd_handle_me_patch, BODY | BLOCKING | HASH, USER },
  { "GET",    "/api/v1/users/me/vehicles",      parkd_handle_vehicles_list,  0, USER },
  { "POST",   "/api/v1/users/me/vehicles",      parkd_handle_vehicle_add,    BODY | BLOCKING, USER },
  { "DELETE", "/api/v1/users/me/vehicles/{id}", parkd_handle_vehicle_delete, BLOCKING, USER },

  { "GET",    "/api/v1/admin/operators",        parkd_handle_admin_operators_list,  0, STAFF },
  { "POST",   "/api/v1/admin/operators",        parkd_handle_admin_operator_create,
    BODY | BLOCKING, ADMIN },
  { "GET",    "/api/v1/admin/parking-lots",     parkd_handle_admin_lots_list,  0, STAFF },
  { "POST",   "/api/v1/admin/parking-lots",     parkd_handle_admin_lot_create,
    BODY | BLOCKING, MANAGER },
  { "POST",   "/api/v1/admin/parking-lots/import", parkd_handle_admin_lots_import,
    BODY | BLOCKING, MANAGER },
  { "GET",    "/api/v1/admin/parking-lots/{id}", parkd_handle_admin_lot_get, 0, STAFF },
  { "PATCH",  "/api/v1/admin/parking-lots/{id}", parkd_handle_admin_lot_update,
    BODY | BLOCKING, MANAGER },
  { "DELETE", "/api/v1/admin/parking-lots/{id}", parkd_handle_admin_lot_delete,
    BLOCKING, MANAGER },
  { "GET",    "/api/v1/admin/parking-lots/{id}/pricing", parkd_handle_admin_pricing_get,
    0, STAFF },
  { "PUT",    "/api/v1/admin/parking-lots/{id}/pricing", parkd_handle_admin_pricing_put,
    BODY | BLOCKING, MANAGER },
  { "POST",   "/api/v1/admin/parking-lots/{id}/spots", parkd_handle_admin_spot_create,
    BODY | BLOCKING, MANAGER },
  { "PATCH",  "/api/v1/admin/spots/{id}",       parkd_handle_admin_spot_update,
    BODY | BLOCKING, STAFF },
  { "DELETE", "/api/v1/admin/spots/{id}",       parkd_handle_admin_spot_delete,
    BLOCKING, MANAGER },
  { "GET",    "/api/v1/admin/staff",            parkd_handle_admin_staff_list, 0, MANAGER },
  { "POST",   "/api/v1/admin/staff",            parkd_handle_admin_staff_create,
    BODY | BLOCKING, MANAGER },
  { "PATCH",  "/api/v1/admin/staff/{id}",       parkd_handle_admin_staff_update,
    BODY | BLOCKING, MANAGER },
  { "DELETE", "/api/v1/admin/staff/{id}",       parkd_handle_admin_staff_delete,
    BLOCKING, MANAGER },
  { "GET",    "/api/v1/admin/audit-log",        parkd_handle_admin_audit_list, 0, MANAGER },
  /* Analytics may read a year of history: off the event loop. */
  { "GET",    "/api/v1/admin/analytics/occupancy", parkd_handle_analytics_occupancy,
    BLOCKING, MANAGER },
  { "GET",    "/api/v1/admin/analytics/revenue",   parkd_handle_analytics_revenue,
    BLOCKING, MANAGER },
  { "GET",    "/api/v1/admin/analytics/stays",     parkd_handle_analytics_stays,
    BLOCKING, MANAGER },
  { "GET",    "/api/v1/admin/discount-codes",   parkd_handle_admin_discounts_list, 0, MANAGER },
  { "POST",   "/api/v1/admin/discount-codes",   parkd_handle_admin_discount_create,
    BODY | BLOCKING, MANAGER },
  { "DELETE", "/api/v1/admin/discount-codes/{id}", parkd_handle_admin_discount_delete,
    BLOCKING, MANAGER },
  { "GET",    "/api/v1/admin/cash-report",      parkd_handle_admin_cash_report, 0, STAFF },
  { "GET",    "/api/v1/admin/sensors",          parkd_handle_admin_sensors_list, 0, MANAGER },
  { "POST",   "/api/v1/admin/sensors",          parkd_handle_admin_sensor_create,
    BODY | BLOCKING, MANAGER },
  { "DELETE", "/api/v1/admin/sensors/{id}",     parkd_handle_admin_sensor_revoke,
    BLOCKING, MANAGER },
  { "GET",    "/api/v1/admin/kiosks",           parkd_handle_admin_kiosks_list, 0, MANAGER },
  { "POST",   "/api/v1/admin/kiosks",           parkd_handle_admin_kiosk_create,
    BODY | BLOCKING, MANAGER },
  { "DELETE", "/api/v1/admin/kiosks/{id}",      parkd_handle_admin_kiosk_revoke,
    BLOCKING, MANAGER },
  /* Devices, not people: the X-Sensor-Key header is checked by the handler. */
  { "POST",   "/api/v1/sensors/events",         parkd_handle_sensor_events, BODY | BLOCKING, 0 },
};

const guint parkd_n_routes = G_N_ELEMENTS (parkd_routes);
