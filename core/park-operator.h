/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-operator.h: an operator: the company that runs a set of car parks. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_OPERATOR (park_operator_get_type ())

G_DECLARE_FINAL_TYPE (ParkOperator, park_operator, PARK, OPERATOR, GObject)

ParkOperator *park_operator_new_from_json   (JsonObject    *object,
                                             GError       **error);
const char   *park_operator_get_id          (ParkOperator  *self);
const char   *park_operator_get_slug        (ParkOperator  *self);
const char   *park_operator_get_name        (ParkOperator  *self);
const char   *park_operator_get_city        (ParkOperator  *self);
const char   *park_operator_get_time_zone   (ParkOperator  *self);
const char   *park_operator_get_currency    (ParkOperator  *self);
GDateTime    *park_operator_get_created_at  (ParkOperator  *self);

G_END_DECLS
