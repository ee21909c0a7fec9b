/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-spot-grid.h: a lot's spots as a grid of buttons per level, for drivers and operators. */
#pragma once

#include <gtk/gtk.h>
#include <park-core.h>

G_BEGIN_DECLS

/* Makes a spot's button do what the page wants (book it, take it out of service…). */
typedef void (*ParkSpotGridSetup) (GtkWidget *button,
                                   ParkSpot  *spot,
                                   gpointer   user_data);

void       park_spot_grid_fill        (GtkBox            *box,
                                       GListModel        *spots,
                                       gboolean           level_counts,
                                       ParkSpotGridSetup  setup,
                                       gpointer           user_data);
GtkWidget *park_spot_grid_find_button (GtkWidget         *root,
                                       const char        *spot_id);

G_END_DECLS
