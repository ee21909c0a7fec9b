/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-test-tiles.h: map tiles made on the spot for the app's tests and screenshots (no
 * internet): a PNG drawn with cairo for any z/x/y, an MBTiles file of an area, and a small
 * HTTP tile server on 127.0.0.1 port 0 that can be stopped to play a tile server going down.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _ParkTestTileServer ParkTestTileServer;

GBytes             *park_test_tile_png             (int                 z,
                                                    int                 x,
                                                    int                 y);
gboolean            park_test_tiles_write_mbtiles  (const char         *path,
                                                    double              min_lng,
                                                    double              min_lat,
                                                    double              max_lng,
                                                    double              max_lat,
                                                    int                 min_zoom,
                                                    int                 max_zoom,
                                                    GError            **error);
ParkTestTileServer *park_test_tile_server_new      (guint               port);
/* "http://127.0.0.1:PORT/{z}/{x}/{y}.png" */
const char         *park_test_tile_server_get_template (ParkTestTileServer *self);
guint               park_test_tile_server_get_requests (ParkTestTileServer *self);
void                park_test_tile_server_free     (ParkTestTileServer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkTestTileServer, park_test_tile_server_free)

G_END_DECLS
