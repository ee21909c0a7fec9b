/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-test-tiles.c: the tiles look like a town plan (streets on a grid, main roads, a river
 * and parks) so a screenshot reads as a map, and they line up across tile edges because
 * everything is drawn in world coordinates.
 */
#include "config.h"

#include "park-test-tiles.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>

#define TILE 256

struct _ParkTestTileServer
{
  SoupServer *server;
  char       *template;
  guint       requests;
};

static double
world_x (double lng, int z)
{
  return (lng + 180.0) / 360.0 * TILE * (1 << z);
}

static double
world_y (double lat, int z)
{
  double s = sin (lat * G_PI / 180);

  return (0.5 - log ((1 + s) / (1 - s)) / (4 * G_PI)) * TILE * (1 << z);
}

static double
lng_at (double wx, int z)
{
  return wx / (TILE * (double) (1 << z)) * 360.0 - 180.0;
}

static double
river_lat (double lng)
{
  return 51.056 + 0.004 * sin ((lng - 13.70) * 90) + 0.002 * sin ((lng - 13.6) * 230);
}

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
grid (cairo_t *cr,
      int      z,
      double   ox,
      double   oy,
      double   step_lng,
      double   step_lat,
      double   width)
{
  double lng0 = lng_at (ox, z), lng1 = lng_at (ox + TILE, z);

  cairo_set_line_width (cr, width);
  for (double lng = floor (lng0 / step_lng) * step_lng; lng <= lng1; lng += step_lng)
    {
      double x = world_x (lng, z) - ox;

      cairo_move_to (cr, x, 0);
      cairo_line_to (cr, x, TILE);
    }
  for (double lat = 50.90; lat <= 51.20; lat += step_lat)
    {
      double y = world_y (lat, z) - oy;

      if (y < -width || y > TILE + width)
        continue;
      cairo_move_to (cr, 0, y);
      cairo_line_to (cr, TILE, y);
    }
  cairo_stroke (cr);
}

GBytes *
park_test_tile_png (int z,
                    int x,
                    int y)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, TILE, TILE);
  cairo_t *cr = cairo_create (surface);
  GByteArray *png = g_byte_array_new ();
  double ox = (double) x * TILE, oy = (double) y * TILE;
  double scale = pow (2, z - 14);

  /* Land */
  cairo_set_source_rgb (cr, 0.949, 0.937, 0.914);
  cairo_paint (cr);

  /* Parks: every fourth block of a coarse grid, by a hash of the block. */
  if (z >= 12)
    {
      double lng0 = lng_at (ox, z), lng1 = lng_at (ox + TILE, z);

      cairo_set_source_rgb (cr, 0.78, 0.90, 0.74);
      for (double lng = floor (lng0 / 0.008) * 0.008; lng <= lng1; lng += 0.008)
        for (double lat = 50.90; lat <= 51.20; lat += 0.005)
          {
            gint64 bx = (gint64) floor (lng / 0.008 + 0.5), by = (gint64) floor (lat / 0.005 + 0.5);
            guint h = (guint) ((bx * 73856093) ^ (by * 19349663)) * 2654435761u;
            double x0 = world_x (lng + 0.001, z) - ox, y0 = world_y (lat + 0.004, z) - oy;
            double x1 = world_x (lng + 0.006, z) - ox, y1 = world_y (lat + 0.001, z) - oy;

            if ((h >> 16) % 6 != 0 || y1 < 0 || y0 > TILE)
              continue;
            cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
          }
      cairo_fill (cr);
    }

  /* Streets, then main roads */
  if (z >= 14)
    {
      cairo_set_source_rgb (cr, 1, 1, 1);
      grid (cr, z, ox, oy, 0.002, 0.00125, MAX (2, 2.5 * scale));
    }
  if (z >= 11)
    {
      cairo_set_source_rgb (cr, 0.99, 0.84, 0.64);
      grid (cr, z, ox, oy, 0.016, 0.01, MAX (2, 5 * scale));
    }

  /* The river */
  cairo_set_source_rgb (cr, 0.67, 0.83, 0.87);
  cairo_set_line_width (cr, MAX (3, 14 * scale));
  for (int px = -8; px <= TILE + 8; px += 4)
    {
      double lng = lng_at (ox + px, z);
      double py = world_y (river_lat (lng), z) - oy;

      if (px == -8)
        cairo_move_to (cr, px, py);
      else
        cairo_line_to (cr, px, py);
    }
  cairo_stroke (cr);

  cairo_destroy (cr);
  cairo_surface_write_to_png_stream (surface, write_cb, png);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

gboolean
park_test_tiles_write_mbtiles (const char  *path,
                               double       min_lng,
                               double       min_lat,
                               double       max_lng,
                               double       max_lat,
                               int          min_zoom,
                               int          max_zoom,
                               GError     **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  g_unlink (path);
  if (sqlite3_open (path, &db) != SQLITE_OK ||
      sqlite3_exec (db, "BEGIN; CREATE TABLE metadata (name TEXT, value TEXT);"
                        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, "
                        "tile_row INTEGER, tile_data BLOB);"
                        "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
                        "INSERT INTO metadata VALUES ('name', 'Parkade test tiles'), "
                        "('format', 'png');", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path, sqlite3_errmsg (db));
      goto out;
    }
  for (int z = min_zoom; z <= max_zoom; z++)
    {
      int x0 = (int) (world_x (min_lng, z) / TILE), x1 = (int) (world_x (max_lng, z) / TILE);
      int y0 = (int) (world_y (max_lat, z) / TILE), y1 = (int) (world_y (min_lat, z) / TILE);

      for (int x = x0; x <= x1; x++)
        for (int y = y0; y <= y1; y++)
          {
            g_autoptr(GBytes) png = park_test_tile_png (z, x, y);
            gsize len;
            const void *data = g_bytes_get_data (png, &len);

            sqlite3_bind_int (stmt, 1, z);
            sqlite3_bind_int (stmt, 2, x);
            sqlite3_bind_int (stmt, 3, (1 << z) - 1 - y);
            sqlite3_bind_blob (stmt, 4, data, (int) len, SQLITE_TRANSIENT);
            if (sqlite3_step (stmt) != SQLITE_DONE)
              {
                g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", sqlite3_errmsg (db));
                goto out;
              }
            sqlite3_reset (stmt);
          }
    }
  ok = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
out:
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ok;
}

static void
tile_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  ParkTestTileServer *self = user_data;
  int z, x, y;
  g_autoptr(GBytes) png = NULL;

  self->requests++;
  if (sscanf (path, "/%d/%d/%d.png", &z, &x, &y) != 3 || z < 0 || z > 22 ||
      x < 0 || y < 0 || x >= (1 << z) || y >= (1 << z))
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  png = park_test_tile_png (z, x, y);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (png, NULL), g_bytes_get_size (png));
}

ParkTestTileServer *
park_test_tile_server_new (guint port)
{
  ParkTestTileServer *self = g_new0 (ParkTestTileServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  GSList *uris;

  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, tile_cb, self, NULL);
  if (!soup_server_listen (self->server, address, 0, &error))
    g_error ("The tile server cannot listen: %s", error->message);
  uris = soup_server_get_uris (self->server);
  self->template = g_strdup_printf ("http://127.0.0.1:%d/{z}/{x}/{y}.png",
                                    g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return self;
}

const char *
park_test_tile_server_get_template (ParkTestTileServer *self)
{
  return self->template;
}

guint
park_test_tile_server_get_requests (ParkTestTileServer *self)
{
  return self->requests;
}

void
park_test_tile_server_free (ParkTestTileServer *self)
{
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_free (self->template);
  g_free (self);
}
