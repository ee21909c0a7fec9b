/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-tile-source.h: map tiles from the network, or from an MBTiles file when the network
 * fails, telling the window whether the map is offline.
 */
#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

#define PARK_TYPE_TILE_SOURCE (park_tile_source_get_type ())

G_DECLARE_FINAL_TYPE (ParkTileSource, park_tile_source, PARK, TILE_SOURCE, ShumateDataSource)

ParkTileSource *park_tile_source_new            (const char     *url_template,
                                                 const char     *mbtiles_path);
gboolean        park_tile_source_get_offline    (ParkTileSource *self);
const char     *park_tile_source_get_last_error (ParkTileSource *self);
gboolean        park_tile_source_get_has_local  (ParkTileSource *self);

G_END_DECLS
