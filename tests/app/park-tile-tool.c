/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-tile-tool.c: the test tiles outside the tests, for screenshots and offline demos:
 *   park-tile-tool mbtiles OUT.mbtiles [MIN_LNG MIN_LAT MAX_LNG MAX_LAT]
 *   park-tile-tool serve PORT
 */
#include "config.h"

#include "park-test-tiles.h"

#include <stdlib.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  if (argc >= 3 && g_str_equal (argv[1], "mbtiles"))
    {
      double b[4] = { 13.50, 50.95, 13.95, 51.15 };

      for (int i = 0; i < 4 && argc == 7; i++)
        b[i] = g_ascii_strtod (argv[3 + i], NULL);
      if (!park_test_tiles_write_mbtiles (argv[2], b[0], b[1], b[2], b[3], 10, 16, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      return 0;
    }
  if (argc == 3 && g_str_equal (argv[1], "serve"))
    {
      g_autoptr(ParkTestTileServer) server = park_test_tile_server_new (atoi (argv[2]));
      g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

      g_print ("%s\n", park_test_tile_server_get_template (server));
      g_main_loop_run (loop);
      return 0;
    }
  g_printerr ("usage: park-tile-tool mbtiles OUT.mbtiles [MIN_LNG MIN_LAT MAX_LNG MAX_LAT]\n"
              "       park-tile-tool serve PORT\n");
  return 2;
}
