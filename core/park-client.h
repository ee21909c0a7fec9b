/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-client.h: one parkd, one SoupSession: every REST call the front ends make, as
 * _async/_finish pairs, with the sign-in's tokens handled inside.
 */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-credentials.h"
#include "park-lot.h"
#include "park-payment.h"
#include "park-quote.h"
#include "park-receipt.h"
#include "park-reservation.h"
#include "park-server-info.h"
#include "park-shift.h"
#include "park-board-item.h"
#include "park-session.h"
#include "park-spot.h"
#include "park-types.h"
#include "park-user.h"
#include "park-vehicle.h"

G_BEGIN_DECLS

#define PARK_TYPE_CLIENT (park_client_get_type ())

G_DECLARE_FINAL_TYPE (ParkClient, park_client, PARK, CLIENT, GObject)

ParkClient      *park_client_new                         (const char           *base_url,
                                                          ParkCredentials      *credentials);
const char      *park_client_get_base_url                (ParkClient           *self);
ParkCredentials *park_client_get_credentials             (ParkClient           *self);
gboolean         park_client_get_signed_in               (ParkClient           *self);
const char      *park_client_get_account                 (ParkClient           *self);
void             park_client_set_kiosk_key               (ParkClient           *self,
                                                          const char           *key);
gboolean         park_client_get_has_kiosk_key           (ParkClient           *self);
gboolean         park_client_get_remembers_sign_in       (ParkClient           *self);
const char      *park_client_get_cache_dir               (ParkClient           *self);
void             park_client_set_cache_dir               (ParkClient           *self,
                                                          const char           *cache_dir);

void             park_client_get_info_async              (ParkClient           *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkServerInfo  *park_client_get_info_finish             (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_search_lots_near_async      (ParkClient           *self,
                                                          double                latitude,
                                                          double                longitude,
                                                          double                radius_m,
                                                          ParkSpotType          spot_type,
                                                          ParkSearchFlags       flags,
                                                          guint                 max_results,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);

void             park_client_search_lots_in_box_async    (ParkClient           *self,
                                                          double                min_longitude,
                                                          double                min_latitude,
                                                          double                max_longitude,
                                                          double                max_latitude,
                                                          ParkSpotType          spot_type,
                                                          ParkSearchFlags       flags,
                                                          guint                 max_results,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);

void             park_client_search_lots_named_async     (ParkClient           *self,
                                                          const char           *text,
                                                          double                latitude,
                                                          double                longitude,
                                                          ParkSpotType          spot_type,
                                                          ParkSearchFlags       flags,
                                                          guint                 max_results,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);

GListModel      *park_client_search_lots_finish          (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_get_lot_async               (ParkClient           *self,
                                                          const char           *lot_id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkLot         *park_client_get_lot_finish              (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_list_spots_async            (ParkClient           *self,
                                                          const char           *lot_id,
                                                          ParkSpotType          spot_type,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GListModel      *park_client_list_spots_finish           (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_refresh_availability_async  (ParkClient           *self,
                                                          GListModel           *lots,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean         park_client_refresh_availability_finish (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_quote_async                 (ParkClient           *self,
                                                          const char           *lot_id,
                                                          ParkSpotType          spot_type,
                                                          GDateTime            *start_time,
                                                          GDateTime            *end_time,
                                                          const char           *discount_code,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkQuote       *park_client_quote_finish                (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_book_async                  (ParkClient           *self,
                                                          const char           *lot_id,
                                                          const char           *spot_id,
                                                          ParkSpotType          spot_type,
                                                          GDateTime            *start_time,
                                                          GDateTime            *end_time,
                                                          const char           *quote_id,
                                                          const char           *discount_code,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
void             park_client_book_with_plate_async       (ParkClient           *self,
                                                          const char           *lot_id,
                                                          const char           *spot_id,
                                                          ParkSpotType          spot_type,
                                                          GDateTime            *start_time,
                                                          GDateTime            *end_time,
                                                          const char           *quote_id,
                                                          const char           *plate,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkReservation *park_client_book_finish                 (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_get_reservation_async       (ParkClient           *self,
                                                          const char           *reservation_id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkReservation *park_client_get_reservation_finish      (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_list_reservations_async     (ParkClient           *self,
                                                          guint                 max_results,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GListModel      *park_client_list_reservations_finish    (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_extend_reservation_async    (ParkClient           *self,
                                                          const char           *reservation_id,
                                                          GDateTime            *end_time,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkReservation *park_client_extend_reservation_finish   (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_list_reservation_payments_async (ParkClient       *self,
                                                          const char           *reservation_id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GListModel      *park_client_list_reservation_payments_finish (ParkClient      *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_cancel_reservation_async    (ParkClient           *self,
                                                          const char           *reservation_id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkReservation *park_client_cancel_reservation_finish   (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_pay_reservation_async       (ParkClient           *self,
                                                          const char           *reservation_id,
                                                          ParkPaymentProvider   provider,
                                                          const char           *payment_method,
                                                          gint64                tendered,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkPayment     *park_client_pay_reservation_finish      (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          ParkReservation     **reservation,
                                                          char                **client_secret,
                                                          GError              **error);

void             park_client_create_checkout_async       (ParkClient           *self,
                                                          const char           *reservation_id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
char            *park_client_create_checkout_finish      (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GDateTime           **expires_at,
                                                          ParkReservation     **reservation,
                                                          GError              **error);

void             park_client_get_receipt_async           (ParkClient           *self,
                                                          const char           *payment_id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkReceipt     *park_client_get_receipt_finish          (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_get_receipt_text_async      (ParkClient           *self,
                                                          const char           *payment_id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
char            *park_client_get_receipt_text_finish     (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_register_async              (ParkClient           *self,
                                                          const char           *email,
                                                          const char           *password,
                                                          const char           *first_name,
                                                          const char           *last_name,
                                                          const char           *phone,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean         park_client_register_finish             (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_sign_in_async               (ParkClient           *self,
                                                          const char           *email,
                                                          const char           *password,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean         park_client_sign_in_finish              (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_restore_sign_in_async       (ParkClient           *self,
                                                          const char           *account,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean         park_client_restore_sign_in_finish      (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_refresh_async               (ParkClient           *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean         park_client_refresh_finish              (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_sign_out_async              (ParkClient           *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean         park_client_sign_out_finish             (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_get_me_async                (ParkClient           *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkUser        *park_client_get_me_finish               (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_update_me_async             (ParkClient           *self,
                                                          const char           *first_name,
                                                          const char           *last_name,
                                                          const char           *phone,
                                                          const char           *password,
                                                          const char           *current_password,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkUser        *park_client_update_me_finish            (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_list_vehicles_async         (ParkClient           *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GListModel      *park_client_list_vehicles_finish        (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_add_vehicle_async           (ParkClient           *self,
                                                          const char           *plate,
                                                          const char           *country,
                                                          const char           *nickname,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkVehicle     *park_client_add_vehicle_finish          (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_remove_vehicle_async        (ParkClient           *self,
                                                          const char           *vehicle_id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean         park_client_remove_vehicle_finish       (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_check_in_async              (ParkClient           *self,
                                                          const char           *lot_id,
                                                          const char           *plate,
                                                          const char           *spot_id,
                                                          const char           *reservation_code,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkSession     *park_client_check_in_finish             (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_get_session_async           (ParkClient           *self,
                                                          const char           *session_id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkSession     *park_client_get_session_finish          (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_find_sessions_async         (ParkClient           *self,
                                                          const char           *lot_id,
                                                          const char           *plate,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GListModel      *park_client_find_sessions_finish        (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void             park_client_check_out_async             (ParkClient           *self,
                                                          const char           *session_id,
                                                          gint64                tendered,
                                                          gboolean              lost_ticket,
                                                          const char           *validation_code,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkSession     *park_client_check_out_finish            (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          gint64               *change,
                                                          GError              **error);

void             park_client_check_out_by_card_async     (ParkClient           *self,
                                                          const char           *session_id,
                                                          const char           *payment_method,
                                                          gboolean              lost_ticket,
                                                          const char           *validation_code,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkSession     *park_client_check_out_by_card_finish    (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          gint64               *fee,
                                                          char                **payment_id,
                                                          GError              **error);

void             park_client_set_spot_state_async        (ParkClient           *self,
                                                          const char           *spot_id,
                                                          ParkSpotState         state,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkSpot        *park_client_set_spot_state_finish       (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

/* The attendant's drawer and board (park-client-shift.c, park-client-board.c; issue 8), and
 * the booth's payment and spot calls that keep what the console shows (park-client-booth.c). */
void             park_client_open_shift_async            (ParkClient           *self,
                                                          gint64                float_amount,
                                                          const char           *lot_id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkShift       *park_client_open_shift_finish           (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void             park_client_get_current_shift_async     (ParkClient           *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkShift       *park_client_get_current_shift_finish    (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void             park_client_close_shift_async           (ParkClient           *self,
                                                          const char           *shift_id,
                                                          gint64                counted,
                                                          const char           *note,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkShift       *park_client_close_shift_finish          (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void             park_client_get_shift_report_async      (ParkClient           *self,
                                                          const char           *shift_id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkShift       *park_client_get_shift_report_finish     (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GListModel          **entries,
                                                          GError              **error);
void             park_client_get_board_async             (ParkClient           *self,
                                                          const char           *lot_id,
                                                          const char           *query,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean         park_client_get_board_finish            (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GListModel          **arrivals,
                                                          GListModel          **overstays,
                                                          GListModel          **matches,
                                                          GError              **error);
void             park_client_get_stay_fee_async          (ParkClient           *self,
                                                          const char           *session_id,
                                                          gboolean              lost_ticket,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkPriceBreakdown *park_client_get_stay_fee_finish      (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          gint64               *fee,
                                                          GError              **error);
void             park_client_list_stay_payments_async    (ParkClient           *self,
                                                          const char           *session_id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GListModel      *park_client_list_stay_payments_finish   (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void             park_client_pay_stay_async              (ParkClient           *self,
                                                          const char           *session_id,
                                                          ParkPaymentProvider   provider,
                                                          const char           *payment_method,
                                                          gint64                tendered,
                                                          gboolean              lost_ticket,
                                                          const char           *idempotency_key,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkSession     *park_client_pay_stay_finish             (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          gint64               *fee,
                                                          gint64               *change,
                                                          char                **payment_id,
                                                          GError              **error);
void             park_client_mark_spot_async             (ParkClient           *self,
                                                          const char           *spot_id,
                                                          ParkSpotState         state,
                                                          const char           *reason,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
ParkSpot        *park_client_mark_spot_finish            (ParkClient           *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

G_END_DECLS
