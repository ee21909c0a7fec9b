/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-reservation.h: a booking of one spot for a time range. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"
#include "park-price-breakdown.h"

G_BEGIN_DECLS

#define PARK_TYPE_RESERVATION (park_reservation_get_type ())

G_DECLARE_FINAL_TYPE (ParkReservation, park_reservation, PARK, RESERVATION, GObject)

ParkReservation       *park_reservation_new_from_json      (JsonObject        *object,
                                                            GError           **error);
const char            *park_reservation_get_id             (ParkReservation   *self);
const char            *park_reservation_get_code           (ParkReservation   *self);
ParkReservationStatus  park_reservation_get_status         (ParkReservation   *self);
const char            *park_reservation_get_lot_id         (ParkReservation   *self);
const char            *park_reservation_get_lot_name       (ParkReservation   *self);
const char            *park_reservation_get_spot_id        (ParkReservation   *self);
const char            *park_reservation_get_spot_number    (ParkReservation   *self);
ParkSpotType           park_reservation_get_spot_type      (ParkReservation   *self);
int                    park_reservation_get_level          (ParkReservation   *self);
GDateTime             *park_reservation_get_start_time     (ParkReservation   *self);
GDateTime             *park_reservation_get_end_time       (ParkReservation   *self);
const char            *park_reservation_get_time_zone      (ParkReservation   *self);
GDateTime             *park_reservation_get_hold_until     (ParkReservation   *self);
gint64                 park_reservation_get_total_cost     (ParkReservation   *self);
gint64                 park_reservation_get_paid           (ParkReservation   *self);
gint64                 park_reservation_get_balance_due    (ParkReservation   *self);
const char            *park_reservation_get_currency       (ParkReservation   *self);
const char            *park_reservation_get_quote_id       (ParkReservation   *self);
ParkPriceBreakdown    *park_reservation_get_breakdown      (ParkReservation   *self);
GDateTime             *park_reservation_get_created_at     (ParkReservation   *self);
GDateTime             *park_reservation_get_updated_at     (ParkReservation   *self);
GDateTime             *park_reservation_get_checked_in_at  (ParkReservation   *self);
GDateTime             *park_reservation_get_checked_out_at (ParkReservation   *self);
GDateTime             *park_reservation_get_cancelled_at   (ParkReservation   *self);
gboolean               park_reservation_get_stale          (ParkReservation   *self);

G_END_DECLS
