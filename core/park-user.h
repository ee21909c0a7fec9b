/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-user.h: the signed-in account. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_USER (park_user_get_type ())

G_DECLARE_FINAL_TYPE (ParkUser, park_user, PARK, USER, GObject)

ParkUser     *park_user_new_from_json     (JsonObject   *object,
                                           GError      **error);
const char   *park_user_get_id            (ParkUser     *self);
const char   *park_user_get_email         (ParkUser     *self);
const char   *park_user_get_first_name    (ParkUser     *self);
const char   *park_user_get_last_name     (ParkUser     *self);
const char   *park_user_get_phone         (ParkUser     *self);
ParkUserRole  park_user_get_role          (ParkUser     *self);
const char   *park_user_get_operator_id   (ParkUser     *self);
const char   *park_user_get_operator_slug (ParkUser     *self);
const char   *park_user_get_operator_name (ParkUser     *self);
gboolean      park_user_get_disabled      (ParkUser     *self);
GDateTime    *park_user_get_created_at    (ParkUser     *self);
GDateTime    *park_user_get_updated_at    (ParkUser     *self);

G_END_DECLS
