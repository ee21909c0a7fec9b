/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-cash-line.h: one attendant's line of a cash report. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_CASH_LINE (park_cash_line_get_type ())

G_DECLARE_FINAL_TYPE (ParkCashLine, park_cash_line, PARK, CASH_LINE, GObject)

ParkCashLine *park_cash_line_new_from_json     (JsonObject    *object,
                                                GError       **error);
const char   *park_cash_line_get_attendant_id  (ParkCashLine  *self);
const char   *park_cash_line_get_email         (ParkCashLine  *self);
gint64        park_cash_line_get_payments      (ParkCashLine  *self);
gint64        park_cash_line_get_taken         (ParkCashLine  *self);
gint64        park_cash_line_get_refunded      (ParkCashLine  *self);
gint64        park_cash_line_get_net           (ParkCashLine  *self);

G_END_DECLS
