/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-spot-grid.c: a lot's spots as a grid per level, in the order of the signs on the
 * ground ("2" before "10"). Each spot is a button that says its number, its type (an icon for
 * EV, accessible and motorcycle spots) and its state in words, with the colour of the state
 * as a second cue only; screen readers hear all three. The driver's lot page and the
 * operator's spots page share it and say what a button does.
 */
#include "config.h"

#include "park-spot-grid.h"
#include "park-format.h"

#include <glib/gi18n.h>
#include <string.h>

static int
compare_spots (gconstpointer a,
               gconstpointer b)
{
  ParkSpot *x = *(ParkSpot **) a, *y = *(ParkSpot **) b;
  int lx = park_spot_get_level (x), ly = park_spot_get_level (y);
  g_autofree char *kx = NULL, *ky = NULL;

  if (lx != ly)
    return lx < ly ? -1 : 1;
  kx = g_utf8_collate_key_for_filename (park_spot_get_number (x), -1);
  ky = g_utf8_collate_key_for_filename (park_spot_get_number (y), -1);
  return strcmp (kx, ky);
}

static const char *
spot_type_icon (ParkSpotType type)
{
  switch (type)
    {
    case PARK_SPOT_TYPE_EV: return "battery-full-charging-symbolic";
    case PARK_SPOT_TYPE_DISABLED: return "preferences-desktop-accessibility-symbolic";
    case PARK_SPOT_TYPE_MOTORCYCLE: return "motorcycle-symbolic";
    default: return NULL;
    }
}

static GtkWidget *
spot_button (ParkSpot *spot)
{
  ParkSpotState state = park_spot_get_state (spot);
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *number = gtk_label_new (park_spot_get_number (spot));
  GtkWidget *state_label = gtk_label_new (park_format_spot_state (state));
  const char *icon = spot_type_icon (park_spot_get_spot_type (spot));
  g_autofree char *a11y = NULL;
  static const char * const classes[] = {
    "spot-available", "spot-occupied", "spot-reserved", "spot-out-of-service"
  };

  gtk_widget_add_css_class (number, "heading");
  gtk_widget_add_css_class (state_label, "caption");
  gtk_label_set_wrap (GTK_LABEL (state_label), TRUE);
  gtk_label_set_justify (GTK_LABEL (state_label), GTK_JUSTIFY_CENTER);
  if (icon != NULL || state == PARK_SPOT_STATE_OUT_OF_SERVICE)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);

      gtk_widget_set_halign (row, GTK_ALIGN_CENTER);
      if (icon != NULL)
        gtk_box_append (GTK_BOX (row), gtk_image_new_from_icon_name (icon));
      gtk_box_append (GTK_BOX (row), number);
      /* Out of service also by a sign, for those who cannot tell the colours apart. */
      if (state == PARK_SPOT_STATE_OUT_OF_SERVICE)
        gtk_box_append (GTK_BOX (row), gtk_image_new_from_icon_name ("action-unavailable-symbolic"));
      gtk_box_append (GTK_BOX (box), row);
    }
  else
    gtk_box_append (GTK_BOX (box), number);
  gtk_box_append (GTK_BOX (box), state_label);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "spot");
  gtk_widget_add_css_class (button, classes[state]);
  g_object_set_data_full (G_OBJECT (button), "park-spot-id", g_strdup (park_spot_get_id (spot)),
                          g_free);
  g_object_set_data_full (G_OBJECT (button), "park-spot", g_object_ref (spot), g_object_unref);

  /* Translators: a spot in the grid read out: its number, its type and its state */
  a11y = g_strdup_printf (_("Spot %s, %s, %s"), park_spot_get_number (spot),
                          park_format_spot_type (park_spot_get_spot_type (spot)),
                          park_format_spot_state (state));
  gtk_widget_set_tooltip_text (button, a11y);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  return button;
}

/**
 * park_spot_grid_fill:
 * @box: a vertical box, emptied first
 * @spots: the lot's #ParkSpot
 * @level_counts: whether each level says how many spots it has and how many are out of service
 * @setup: makes each button do what the page wants
 * @user_data: for @setup
 *
 * Fills @box with a heading and a grid per level.
 */
void
park_spot_grid_fill (GtkBox            *box,
                     GListModel        *spots,
                     gboolean           level_counts,
                     ParkSpotGridSetup  setup,
                     gpointer           user_data)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWidget *child;
  GtkFlowBox *flow = NULL;
  int level = G_MININT;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
  for (guint i = 0; i < g_list_model_get_n_items (spots); i++)
    g_ptr_array_add (sorted, g_list_model_get_item (spots, i));
  g_ptr_array_sort (sorted, compare_spots);

  for (guint i = 0; i < sorted->len; i++)
    {
      ParkSpot *spot = g_ptr_array_index (sorted, i);
      GtkWidget *button;

      if (flow == NULL || park_spot_get_level (spot) != level)
        {
          g_autofree char *title = NULL;
          GtkWidget *heading;

          level = park_spot_get_level (spot);
          if (level == 0)
            title = g_strdup (_("Ground level"));
          else
            /* Translators: a storey of a car park; negative below ground */
            title = g_strdup_printf (_("Level %d"), level);
          heading = gtk_label_new (title);
          gtk_label_set_xalign (GTK_LABEL (heading), 0);
          gtk_widget_add_css_class (heading, "heading");
          gtk_box_append (box, heading);
          if (level_counts)
            {
              guint in_level = 0, out = 0;
              g_autofree char *counts = NULL;
              GtkWidget *caption;

              for (guint j = i; j < sorted->len &&
                   park_spot_get_level (g_ptr_array_index (sorted, j)) == level; j++)
                {
                  in_level++;
                  if (park_spot_get_state (g_ptr_array_index (sorted, j)) ==
                      PARK_SPOT_STATE_OUT_OF_SERVICE)
                    out++;
                }
              counts = g_strdup_printf (ngettext ("%u spot, %u out of service",
                                                  "%u spots, %u out of service", in_level),
                                        in_level, out);
              caption = gtk_label_new (counts);
              gtk_label_set_xalign (GTK_LABEL (caption), 0);
              gtk_widget_add_css_class (caption, "dim-label");
              gtk_box_append (box, caption);
            }
          flow = GTK_FLOW_BOX (gtk_flow_box_new ());
          gtk_flow_box_set_selection_mode (flow, GTK_SELECTION_NONE);
          gtk_flow_box_set_max_children_per_line (flow, 20);
          gtk_flow_box_set_min_children_per_line (flow, 4);
          gtk_flow_box_set_homogeneous (flow, TRUE);
          gtk_flow_box_set_column_spacing (flow, 4);
          gtk_flow_box_set_row_spacing (flow, 4);
          gtk_accessible_update_property (GTK_ACCESSIBLE (flow), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          title, -1);
          gtk_box_append (box, GTK_WIDGET (flow));
        }
      button = spot_button (spot);
      setup (button, spot, user_data);
      gtk_flow_box_append (flow, button);
      /* The grid's cells pass the focus to their buttons: Tab and the arrows reach them. */
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
    }
}

/**
 * park_spot_grid_find_button:
 * @root: a widget that holds a grid
 * @spot_id: a spot's id
 *
 * Returns: (transfer none) (nullable): the spot's button
 */
GtkWidget *
park_spot_grid_find_button (GtkWidget  *root,
                            const char *spot_id)
{
  if (g_strcmp0 (g_object_get_data (G_OBJECT (root), "park-spot-id"), spot_id) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = park_spot_grid_find_button (child, spot_id);

      if (found != NULL)
        return found;
    }
  return NULL;
}
