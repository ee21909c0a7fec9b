/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-lot-page.h: one lot: address, hours, prices in its currency and local time, amenities
 * and its spots by level with their live state.
 */
#pragma once

#include <gtk/gtk.h>
#include <park-core.h>

G_BEGIN_DECLS

#define PARK_TYPE_LOT_PAGE (park_lot_page_get_type ())

G_DECLARE_FINAL_TYPE (ParkLotPage, park_lot_page, PARK, LOT_PAGE, GtkWidget)

void     park_lot_page_set_client (ParkLotPage  *self,
                                   ParkClient   *client,
                                   ParkLiveFeed *feed);
void     park_lot_page_show       (ParkLotPage  *self,
                                   const char   *lot_id,
                                   ParkLot      *known);
void     park_lot_page_reload     (ParkLotPage  *self);
ParkLot *park_lot_page_get_lot    (ParkLotPage  *self);
guint    park_lot_page_get_n_spots (ParkLotPage *self);
GtkWidget *park_lot_page_get_spot_button (ParkLotPage *self,
                                          const char  *spot_id);

G_END_DECLS
