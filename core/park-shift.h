/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-shift.h: an attendant's shift at the booth (the drawer opened with a float and
 * closed with the cash counted), and the payments and refunds its report lists.
 */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>
#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_SHIFT (park_shift_get_type ())

G_DECLARE_FINAL_TYPE (ParkShift, park_shift, PARK, SHIFT, GObject)

ParkShift   *park_shift_new_from_json         (JsonObject  *object,
                                               GError     **error);
const char  *park_shift_get_id                (ParkShift   *self);
const char  *park_shift_get_attendant_email   (ParkShift   *self);
const char  *park_shift_get_lot_id            (ParkShift   *self);
gboolean     park_shift_get_open              (ParkShift   *self);
const char  *park_shift_get_currency          (ParkShift   *self);
gint64       park_shift_get_float             (ParkShift   *self);
GDateTime   *park_shift_get_opened_at         (ParkShift   *self);
GDateTime   *park_shift_get_closed_at         (ParkShift   *self);
guint        park_shift_get_n_payments        (ParkShift   *self);
gint64       park_shift_get_taken             (ParkShift   *self);
gint64       park_shift_get_change_given      (ParkShift   *self);
guint        park_shift_get_n_refunds         (ParkShift   *self);
gint64       park_shift_get_refunded          (ParkShift   *self);
gint64       park_shift_get_expected          (ParkShift   *self);
gint64       park_shift_get_counted           (ParkShift   *self);
gint64       park_shift_get_difference        (ParkShift   *self);
const char  *park_shift_get_note              (ParkShift   *self);

#define PARK_TYPE_SHIFT_ENTRY (park_shift_entry_get_type ())

G_DECLARE_FINAL_TYPE (ParkShiftEntry, park_shift_entry, PARK, SHIFT_ENTRY, GObject)

gboolean     park_shift_entry_get_is_refund   (ParkShiftEntry *self);
const char  *park_shift_entry_get_id          (ParkShiftEntry *self);
const char  *park_shift_entry_get_payment_id  (ParkShiftEntry *self);
gint64       park_shift_entry_get_amount      (ParkShiftEntry *self);
gint64       park_shift_entry_get_tendered    (ParkShiftEntry *self);
gint64       park_shift_entry_get_change      (ParkShiftEntry *self);
const char  *park_shift_entry_get_reference   (ParkShiftEntry *self);
const char  *park_shift_entry_get_reason      (ParkShiftEntry *self);
GDateTime   *park_shift_entry_get_created_at  (ParkShiftEntry *self);

G_END_DECLS
