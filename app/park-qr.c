/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-qr.c: libqrencode makes the modules, cairo draws them into memory GDK can show. Sharp
 * edges matter more than smooth ones to a phone's camera: the texture is drawn at its final
 * size and shown unscaled (or scaled by whole modules).
 */
#include "config.h"

#include "park-qr.h"

#include <cairo.h>
#include <qrencode.h>

#define QUIET_ZONE 4

GdkTexture *
park_qr_texture_new (const char *text,
                     int         module_px)
{
  QRcode *code;
  cairo_surface_t *surface;
  cairo_t *cr;
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture;
  int size, px;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (module_px > 0, NULL);

  code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (code == NULL)
    return NULL;
  size = code->width + 2 * QUIET_ZONE;
  px = size * module_px;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, px, px);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width; x++)
      if (code->data[y * code->width + x] & 1)
        cairo_rectangle (cr, (x + QUIET_ZONE) * module_px, (y + QUIET_ZONE) * module_px,
                         module_px, module_px);
  cairo_fill (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  QRcode_free (code);

  /* Cairo's ARGB32 is GDK's default memory format. */
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * px);
  texture = gdk_memory_texture_new (px, px, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);
  return texture;
}
