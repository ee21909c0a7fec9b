/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-window-private.h: what the app's tests look at inside the window.
 */
#pragma once

#include "park-window.h"
#include "park-lot-map.h"
#include "park-lot-page.h"
#include "park-booking-page.h"
#include "park-reservations-page.h"
#include "park-sign-in-dialog.h"
#include "park-operator-page.h"

G_BEGIN_DECLS

ParkLotMap           *_park_window_get_lot_map           (ParkWindow *self);
ParkLotPage          *_park_window_get_lot_page          (ParkWindow *self);
ParkBookingPage      *_park_window_get_booking_page      (ParkWindow *self);
ParkReservationsPage *_park_window_get_reservations_page (ParkWindow *self);
ParkOperatorPage     *_park_window_get_operator_page     (ParkWindow *self);
gboolean              _park_window_get_is_operator       (ParkWindow *self);
const char           *_park_window_get_page_name         (ParkWindow *self);
gboolean              _park_window_get_map_offline       (ParkWindow *self);
gboolean              _park_window_get_server_unreachable (ParkWindow *self);
guint                 _park_window_get_searches          (ParkWindow *self);
void                  _park_window_set_kiosk_timeout_ms  (ParkWindow *self,
                                                          guint       ms);
void                  _park_window_kiosk_activity        (ParkWindow *self);

G_END_DECLS
