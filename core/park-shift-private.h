/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-shift-private.h: the parsers of the booth's models (shifts, the board), with paths. */
#pragma once

#include "park-board-item.h"
#include "park-shift.h"

G_BEGIN_DECLS

ParkShift      *_park_shift_new_from_json_at       (JsonObject  *object,
                                                    const char  *path,
                                                    GError     **error);
ParkShiftEntry *_park_shift_entry_new_from_json_at (JsonObject  *object,
                                                    const char  *path,
                                                    GError     **error);
ParkBoardItem  *_park_board_item_new_from_json_at  (JsonObject  *object,
                                                    const char  *path,
                                                    GError     **error);

G_END_DECLS
