/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-window.h: the main window: lots on a map and in a list, a lot's page, booking and the
 * driver's reservations, with the connection's state always in view.
 */
#pragma once

#include <adwaita.h>
#include <park-core.h>

G_BEGIN_DECLS

#define PARK_TYPE_WINDOW (park_window_get_type ())

G_DECLARE_FINAL_TYPE (ParkWindow, park_window, PARK, WINDOW, AdwApplicationWindow)

ParkWindow   *park_window_new             (GtkApplication *application,
                                           ParkClient     *client,
                                           GSettings      *settings);
ParkWindow   *park_window_new_kiosk       (GtkApplication *application,
                                           ParkClient     *client,
                                           GSettings      *settings,
                                           const char     *lot_id);
gboolean      park_window_get_kiosk       (ParkWindow     *self);
ParkClient   *park_window_get_client      (ParkWindow     *self);
ParkLiveFeed *park_window_get_live_feed   (ParkWindow     *self);
GListModel   *park_window_get_lots        (ParkWindow     *self);
void          park_window_open_lot        (ParkWindow     *self,
                                           const char     *lot_id);

G_END_DECLS
