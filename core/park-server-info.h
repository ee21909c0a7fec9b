/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-server-info.h: what a parkd serves: its version and how many lots, and where. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_SERVER_INFO (park_server_info_get_type ())

G_DECLARE_FINAL_TYPE (ParkServerInfo, park_server_info, PARK, SERVER_INFO, GObject)

ParkServerInfo *park_server_info_new_from_json     (JsonObject       *object,
                                                    GError          **error);
const char     *park_server_info_get_version       (ParkServerInfo   *self);
const char     *park_server_info_get_store         (ParkServerInfo   *self);
gint64          park_server_info_get_n_operators   (ParkServerInfo   *self);
gint64          park_server_info_get_n_lots        (ParkServerInfo   *self);
gint64          park_server_info_get_n_spots       (ParkServerInfo   *self);
gboolean        park_server_info_get_has_bounds    (ParkServerInfo   *self);
double          park_server_info_get_min_longitude (ParkServerInfo   *self);
double          park_server_info_get_min_latitude  (ParkServerInfo   *self);
double          park_server_info_get_max_longitude (ParkServerInfo   *self);
double          park_server_info_get_max_latitude  (ParkServerInfo   *self);

G_END_DECLS
