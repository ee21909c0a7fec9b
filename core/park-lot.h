/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-lot.h: a parking lot with its live availability per spot type. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include "park-types.h"
#include "park-opening-hours.h"

G_BEGIN_DECLS

#define PARK_TYPE_LOT (park_lot_get_type ())

G_DECLARE_FINAL_TYPE (ParkLot, park_lot, PARK, LOT, GObject)

ParkLot            *park_lot_new_from_json        (JsonObject          *object,
                                                   GError             **error);

const char         *park_lot_get_id               (ParkLot             *self);
const char         *park_lot_get_name             (ParkLot             *self);
const char         *park_lot_get_address          (ParkLot             *self);
const char         *park_lot_get_city             (ParkLot             *self);
const char         *park_lot_get_operator_id      (ParkLot             *self);
const char         *park_lot_get_operator_name    (ParkLot             *self);
const char         *park_lot_get_operator_slug    (ParkLot             *self);
double              park_lot_get_latitude         (ParkLot             *self);
double              park_lot_get_longitude        (ParkLot             *self);
ParkLotType         park_lot_get_lot_type         (ParkLot             *self);
ParkLotStatus       park_lot_get_status           (ParkLot             *self);
gboolean            park_lot_get_open_now         (ParkLot             *self);
guint               park_lot_get_available        (ParkLot             *self,
                                                   ParkSpotType         spot_type);
guint               park_lot_get_total            (ParkLot             *self,
                                                   ParkSpotType         spot_type);
gint64              park_lot_get_hourly_rate      (ParkLot             *self);
const char         *park_lot_get_currency         (ParkLot             *self);
const char         *park_lot_get_time_zone        (ParkLot             *self);
const char * const *park_lot_get_hours            (ParkLot             *self,
                                                   GDateWeekday         weekday);
ParkOpeningHours   *park_lot_dup_opening_hours   (ParkLot             *self);
const char * const *park_lot_get_amenities        (ParkLot             *self);
double              park_lot_get_distance         (ParkLot             *self);
GDateTime          *park_lot_get_created_at       (ParkLot             *self);
GDateTime          *park_lot_get_updated_at       (ParkLot             *self);
gboolean            park_lot_get_stale            (ParkLot             *self);

void                park_lot_apply_availability   (ParkLot             *self,
                                                   ParkLotStatus        status,
                                                   const guint         *available,
                                                   const guint         *total);

G_END_DECLS
