/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-board-item.h: a line of the booth's board: a booking or a stay at the lot. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>
#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_BOARD_ITEM (park_board_item_get_type ())

G_DECLARE_FINAL_TYPE (ParkBoardItem, park_board_item, PARK, BOARD_ITEM, GObject)

ParkBoardItem *park_board_item_new_from_json     (JsonObject     *object,
                                                  GError        **error);
gboolean       park_board_item_get_is_stay       (ParkBoardItem  *self);
const char    *park_board_item_get_id            (ParkBoardItem  *self);
const char    *park_board_item_get_reference     (ParkBoardItem  *self);
const char    *park_board_item_get_status        (ParkBoardItem  *self);
const char    *park_board_item_get_plate         (ParkBoardItem  *self);
const char    *park_board_item_get_name          (ParkBoardItem  *self);
const char    *park_board_item_get_spot_number   (ParkBoardItem  *self);
GDateTime     *park_board_item_get_start_time    (ParkBoardItem  *self);
GDateTime     *park_board_item_get_end_time      (ParkBoardItem  *self);

G_END_DECLS
