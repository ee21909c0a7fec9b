/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-opening-hours-private.h: opening hours as the JSON the server takes. */
#pragma once

#include <json-glib/json-glib.h>

#include "park-opening-hours.h"

G_BEGIN_DECLS

void _park_opening_hours_build (const ParkOpeningHours *self,
                                JsonBuilder            *builder);

G_END_DECLS
