/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-cash-report.h: the cash attendants took at the booths in a period. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_CASH_REPORT (park_cash_report_get_type ())

G_DECLARE_FINAL_TYPE (ParkCashReport, park_cash_report, PARK, CASH_REPORT, GObject)

ParkCashReport *park_cash_report_new_from_json   (JsonObject      *object,
                                                  GError         **error);
GDateTime      *park_cash_report_get_from        (ParkCashReport  *self);
GDateTime      *park_cash_report_get_to          (ParkCashReport  *self);
const char     *park_cash_report_get_currency    (ParkCashReport  *self);
GListModel     *park_cash_report_get_attendants  (ParkCashReport  *self);
gint64          park_cash_report_get_total       (ParkCashReport  *self);

G_END_DECLS
