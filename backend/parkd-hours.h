/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Opening hours are a JSON object with the keys "mon" … "sun", each an array of
 * {"open": "HH:MM", "close": "HH:MM"} intervals in the lot's local time ("24:00" closes at
 * midnight; an empty array is a closed day; a night past midnight continues on the next day). */
gboolean parkd_hours_validate (const char  *json,
                               GError     **error);
char    *parkd_hours_always_open (void);
gboolean parkd_hours_is_open  (const char  *json,
                               const char  *time_zone,
                               GDateTime   *now);

G_END_DECLS
