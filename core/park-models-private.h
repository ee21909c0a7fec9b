/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-models-private.h: the models' parsers with the path of the object in the answer, so
 * an error inside a list names `items.3.name`, not just `name`.
 */
#pragma once

#include "park-lot.h"
#include "park-payment.h"
#include "park-price-breakdown.h"
#include "park-price-line.h"
#include "park-quote.h"
#include "park-receipt.h"
#include "park-reservation.h"
#include "park-server-info.h"
#include "park-session.h"
#include "park-spot.h"
#include "park-user.h"
#include "park-vehicle.h"

G_BEGIN_DECLS

ParkLot            *_park_lot_new_from_json_at                  (JsonObject  *object,
                                                                 const char  *path,
                                                                 GError     **error);
gboolean            _park_lot_apply_availability_json           (ParkLot     *self,
                                                                 JsonObject  *object,
                                                                 const char  *path,
                                                                 GError     **error);
ParkSpot           *_park_spot_new_from_json_at                 (JsonObject  *object,
                                                                 const char  *path,
                                                                 GError     **error);
ParkPayment        *_park_payment_new_from_json_at              (JsonObject  *object,
                                                                 const char  *path,
                                                                 GError     **error);
ParkPriceLine      *_park_price_line_new_from_json_at           (JsonObject  *object,
                                                                 const char  *path,
                                                                 gboolean     lost_ticket_shape,
                                                                 GError     **error);
ParkPriceBreakdown *_park_price_breakdown_new_from_json_at      (JsonObject  *object,
                                                                 const char  *path,
                                                                 GError     **error);
ParkPriceBreakdown *_park_price_breakdown_new_fee_from_json_at  (JsonObject  *object,
                                                                 const char  *path,
                                                                 GError     **error);
ParkQuote          *_park_quote_new_from_json_at                (JsonObject  *object,
                                                                 const char  *path,
                                                                 GError     **error);
ParkReceipt        *_park_receipt_new_from_json_at              (JsonObject  *object,
                                                                 const char  *path,
                                                                 GError     **error);
ParkReservation    *_park_reservation_new_from_json_at          (JsonObject  *object,
                                                                 const char  *path,
                                                                 GError     **error);
ParkServerInfo     *_park_server_info_new_from_json_at          (JsonObject  *object,
                                                                 const char  *path,
                                                                 GError     **error);
ParkSession        *_park_session_new_from_json_at              (JsonObject  *object,
                                                                 const char  *path,
                                                                 GError     **error);
ParkUser           *_park_user_new_from_json_at                 (JsonObject  *object,
                                                                 const char  *path,
                                                                 GError     **error);
ParkVehicle        *_park_vehicle_new_from_json_at              (JsonObject  *object,
                                                                 const char  *path,
                                                                 GError     **error);

void                _park_lot_set_stale                         (ParkLot     *self);
void                _park_reservation_set_stale                 (ParkReservation *self);
void                _park_spot_set_stale                        (ParkSpot    *self);

G_END_DECLS
