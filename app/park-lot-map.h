/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-lot-map.h: the map of lots: a ShumateSimpleMap with one marker per lot showing its free
 * spots as a number and a colour, kept live by the lots' own notifications.
 */
#pragma once

#include <gtk/gtk.h>
#include <park-core.h>
#include <shumate/shumate.h>

G_BEGIN_DECLS

#define PARK_TYPE_LOT_MAP (park_lot_map_get_type ())

G_DECLARE_FINAL_TYPE (ParkLotMap, park_lot_map, PARK, LOT_MAP, GtkWidget)

GtkWidget       *park_lot_map_new              (void);
void             park_lot_map_set_lots         (ParkLotMap       *self,
                                                GListModel       *lots);
void             park_lot_map_set_spot_type    (ParkLotMap       *self,
                                                ParkSpotType      spot_type);
void             park_lot_map_set_map_source   (ParkLotMap       *self,
                                                ShumateMapSource *source);
ShumateViewport *park_lot_map_get_viewport     (ParkLotMap       *self);
ShumateMap      *park_lot_map_get_map          (ParkLotMap       *self);
void             park_lot_map_fit_bounds       (ParkLotMap       *self,
                                                double            min_longitude,
                                                double            min_latitude,
                                                double            max_longitude,
                                                double            max_latitude);
void             park_lot_map_get_visible_radius (ParkLotMap     *self,
                                                  double         *radius_m);
GtkWidget       *park_lot_map_get_marker_for   (ParkLotMap       *self,
                                                ParkLot          *lot);
GtkWidget       *park_lot_map_get_shown_marker_for (ParkLotMap   *self,
                                                    ParkLot      *lot);

G_END_DECLS
