/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-qr.h: a QR code as a texture, for a phone's camera to read at a kiosk. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* @text as a QR code (error correction M), black on white with the four-module quiet zone
 * the standard asks for, each module @module_px pixels wide; NULL when @text does not fit
 * in a QR code. */
GdkTexture *park_qr_texture_new (const char *text,
                                 int         module_px);

G_END_DECLS
