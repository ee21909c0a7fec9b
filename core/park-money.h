/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-money.h: amounts as people read them, in the currency's minor unit and the locale's
 * digits.
 */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

guint       park_money_decimals         (const char *currency);
char       *park_money_format_abs       (gint64      minor_units,
                                         const char *currency);
char       *park_money_format_plain     (gint64      minor_units,
                                         const char *currency);
const char *park_money_get_decimal_mark (void);

G_END_DECLS
