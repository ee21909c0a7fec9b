/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-kiosk.h: a kiosk at a lot, where drivers without an account book and pay. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_KIOSK (park_kiosk_get_type ())

G_DECLARE_FINAL_TYPE (ParkKiosk, park_kiosk, PARK, KIOSK, GObject)

ParkKiosk  *park_kiosk_new_from_json     (JsonObject  *object,
                                         GError     **error);
const char *park_kiosk_get_id            (ParkKiosk   *self);
const char *park_kiosk_get_operator_id   (ParkKiosk   *self);
const char *park_kiosk_get_lot_id        (ParkKiosk   *self);
const char *park_kiosk_get_lot_name      (ParkKiosk   *self);
const char *park_kiosk_get_name          (ParkKiosk   *self);
GDateTime  *park_kiosk_get_created_at    (ParkKiosk   *self);
GDateTime  *park_kiosk_get_revoked_at    (ParkKiosk   *self);
const char *park_kiosk_get_key           (ParkKiosk   *self);

G_END_DECLS
