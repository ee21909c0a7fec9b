/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-lot-map.c: markers are buttons, so they are keyboard-reachable and read out as
 * "Tiefgarage Altmarkt: 23 spots free"; the number, an icon and the colour all say how
 * full a lot is, so colour is never the only sign.
 */
#include "config.h"

#include "park-lot-map.h"
#include "park-format.h"

#include <glib/gi18n.h>
#include <math.h>

struct _ParkLotMap
{
  GtkWidget           parent_instance;

  ShumateSimpleMap   *simple_map;
  ShumateMarkerLayer *markers;
  GListModel         *lots;
  gulong              items_changed_handler;
  GPtrArray          *entries;    /* MarkerEntry */
  ParkSpotType        spot_type;
};

G_DEFINE_FINAL_TYPE (ParkLotMap, park_lot_map, GTK_TYPE_WIDGET)

enum {
  LOT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  ParkLotMap    *map;
  ParkLot       *lot;
  ShumateMarker *marker;
  GtkWidget     *button;
  GtkWidget     *icon;
  GtkWidget     *label;
  gulong         notify_handler;
} MarkerEntry;

static void
marker_entry_free (MarkerEntry *entry)
{
  g_clear_signal_handler (&entry->notify_handler, entry->lot);
  g_signal_handlers_disconnect_by_data (entry->button, entry);
  g_clear_object (&entry->lot);
  g_clear_object (&entry->marker);
  g_free (entry);
}

static void
update_marker (MarkerEntry *entry)
{
  ParkLot *lot = entry->lot;
  ParkFullness fullness = park_lot_fullness (lot, entry->map->spot_type);
  g_autofree char *count = NULL;
  g_autofree char *free_text = park_lot_describe_free (lot, entry->map->spot_type);
  g_autofree char *description = NULL;
  static const char * const icons[] = {
    "emblem-ok-symbolic", "dialog-warning-symbolic", "action-unavailable-symbolic"
  };

  if (park_lot_get_status (lot) == PARK_LOT_STATUS_CLOSED)
    count = g_strdup (C_("marker", "Closed"));
  else
    count = g_strdup_printf ("%u", park_lot_get_available (lot, entry->map->spot_type));
  gtk_label_set_label (GTK_LABEL (entry->label), count);
  gtk_image_set_from_icon_name (GTK_IMAGE (entry->icon), icons[fullness]);

  for (int f = PARK_FULLNESS_FREE; f <= PARK_FULLNESS_FULL; f++)
    gtk_widget_remove_css_class (entry->button, park_fullness_css_class (f));
  gtk_widget_add_css_class (entry->button, park_fullness_css_class (fullness));
  gtk_widget_set_visible (entry->button, TRUE);

  if (park_lot_get_stale (lot))
    gtk_widget_add_css_class (entry->button, "stale");
  else
    gtk_widget_remove_css_class (entry->button, "stale");

  /* Translators: a map marker read out: the lot's name, then e.g. "23 spots free" */
  description = g_strdup_printf (_("%s: %s"), park_lot_get_name (lot), free_text);
  gtk_widget_set_tooltip_text (entry->button, description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
}

static void
lot_notify_cb (ParkLot     *lot,
               GParamSpec  *pspec,
               MarkerEntry *entry)
{
  update_marker (entry);
}

static void
marker_clicked_cb (GtkButton   *button,
                   MarkerEntry *entry)
{
  g_signal_emit (entry->map, signals[LOT_ACTIVATED], 0, entry->lot);
}

static void
add_marker (ParkLotMap *self,
            ParkLot    *lot)
{
  MarkerEntry *entry = g_new0 (MarkerEntry, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

  entry->map = self;
  entry->lot = g_object_ref (lot);
  /* Held by the entry too, so its button outlives the layer's removal until the entry goes. */
  entry->marker = g_object_ref_sink (shumate_marker_new ());
  entry->button = gtk_button_new ();
  entry->icon = gtk_image_new ();
  entry->label = gtk_label_new (NULL);
  gtk_widget_add_css_class (entry->button, "lot-marker");
  gtk_widget_set_focusable (entry->button, TRUE);
  gtk_box_append (GTK_BOX (box), entry->icon);
  gtk_box_append (GTK_BOX (box), entry->label);
  gtk_button_set_child (GTK_BUTTON (entry->button), box);
  shumate_marker_set_child (entry->marker, entry->button);
  shumate_location_set_location (SHUMATE_LOCATION (entry->marker),
                                 park_lot_get_latitude (lot), park_lot_get_longitude (lot));
  g_signal_connect (entry->button, "clicked", G_CALLBACK (marker_clicked_cb), entry);
  entry->notify_handler = g_signal_connect (lot, "notify", G_CALLBACK (lot_notify_cb), entry);
  update_marker (entry);
  shumate_marker_layer_add_marker (self->markers, entry->marker);
  g_ptr_array_add (self->entries, entry);
}

static void
rebuild_markers (ParkLotMap *self)
{
  guint n;

  shumate_marker_layer_remove_all (self->markers);
  g_ptr_array_set_size (self->entries, 0);
  if (self->lots == NULL)
    return;
  n = g_list_model_get_n_items (self->lots);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (self->lots, i);

      add_marker (self, lot);
    }
}

static void
lots_changed_cb (GListModel *model,
                 guint       position,
                 guint       removed,
                 guint       added,
                 ParkLotMap *self)
{
  rebuild_markers (self);
}

/* Zoomed out, lots crowd: smaller markers overlap less (the number stays). */
static void
zoom_changed_cb (ParkLotMap *self)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->simple_map);

  if (shumate_viewport_get_zoom_level (viewport) < 13.5)
    gtk_widget_add_css_class (GTK_WIDGET (self->markers), "compact");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->markers), "compact");
}

static void
park_lot_map_dispose (GObject *object)
{
  ParkLotMap *self = PARK_LOT_MAP (object);

  if (self->lots != NULL)
    g_clear_signal_handler (&self->items_changed_handler, self->lots);
  g_clear_object (&self->lots);
  if (self->entries != NULL)
    g_ptr_array_set_size (self->entries, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARK_TYPE_LOT_MAP);
  G_OBJECT_CLASS (park_lot_map_parent_class)->dispose (object);
}

static void
park_lot_map_finalize (GObject *object)
{
  ParkLotMap *self = PARK_LOT_MAP (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  G_OBJECT_CLASS (park_lot_map_parent_class)->finalize (object);
}

static void
park_lot_map_class_init (ParkLotMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = park_lot_map_dispose;
  object_class->finalize = park_lot_map_finalize;

  signals[LOT_ACTIVATED] = g_signal_new ("lot-activated", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, PARK_TYPE_LOT);

  g_type_ensure (SHUMATE_TYPE_SIMPLE_MAP);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/parkade/Parkade/ui/park-lot-map.ui");
  gtk_widget_class_bind_template_child (widget_class, ParkLotMap, simple_map);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "parklotmap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
park_lot_map_init (ParkLotMap *self)
{
  ShumateViewport *viewport;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->spot_type = PARK_SPOT_TYPE_ANY;
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) marker_entry_free);
  viewport = shumate_simple_map_get_viewport (self->simple_map);
  self->markers = shumate_marker_layer_new_full (viewport, GTK_SELECTION_NONE);
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->markers));
  shumate_viewport_set_min_zoom_level (viewport, 3);
  shumate_viewport_set_max_zoom_level (viewport, 19);
  g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (zoom_changed_cb), self,
                           G_CONNECT_SWAPPED);
  zoom_changed_cb (self);
}

GtkWidget *
park_lot_map_new (void)
{
  return g_object_new (PARK_TYPE_LOT_MAP, NULL);
}

void
park_lot_map_set_lots (ParkLotMap *self,
                       GListModel *lots)
{
  g_return_if_fail (PARK_IS_LOT_MAP (self));

  if (self->lots != NULL)
    g_clear_signal_handler (&self->items_changed_handler, self->lots);
  g_set_object (&self->lots, lots);
  if (lots != NULL)
    self->items_changed_handler = g_signal_connect (lots, "items-changed",
                                                    G_CALLBACK (lots_changed_cb), self);
  rebuild_markers (self);
}

void
park_lot_map_set_spot_type (ParkLotMap   *self,
                            ParkSpotType  spot_type)
{
  g_return_if_fail (PARK_IS_LOT_MAP (self));
  self->spot_type = spot_type;
  for (guint i = 0; i < self->entries->len; i++)
    update_marker (g_ptr_array_index (self->entries, i));
}

void
park_lot_map_set_map_source (ParkLotMap       *self,
                             ShumateMapSource *source)
{
  g_return_if_fail (PARK_IS_LOT_MAP (self));
  /* The simple map puts a new source's layer on top: put the markers back above it. */
  g_object_ref (self->markers);
  shumate_simple_map_remove_overlay_layer (self->simple_map, SHUMATE_LAYER (self->markers));
  shumate_simple_map_set_map_source (self->simple_map, source);
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->markers));
  g_object_unref (self->markers);
}

ShumateViewport *
park_lot_map_get_viewport (ParkLotMap *self)
{
  g_return_val_if_fail (PARK_IS_LOT_MAP (self), NULL);
  return shumate_simple_map_get_viewport (self->simple_map);
}

ShumateMap *
park_lot_map_get_map (ParkLotMap *self)
{
  g_return_val_if_fail (PARK_IS_LOT_MAP (self), NULL);
  return shumate_simple_map_get_map (self->simple_map);
}

/* Web Mercator: the zoom at which a span fits @pixels of 256-pixel tiles. */
static double
fit_zoom (double span_fraction,
          int    pixels)
{
  if (span_fraction <= 0)
    return 17;
  return log2 (pixels / (256.0 * span_fraction));
}

static double
mercator_y (double latitude)
{
  double s = sin (latitude * G_PI / 180);

  return 0.5 - log ((1 + s) / (1 - s)) / (4 * G_PI);
}

void
park_lot_map_fit_bounds (ParkLotMap *self,
                         double      min_longitude,
                         double      min_latitude,
                         double      max_longitude,
                         double      max_latitude)
{
  ShumateViewport *viewport;
  int width, height;
  double zoom_x, zoom_y, zoom;

  g_return_if_fail (PARK_IS_LOT_MAP (self));

  viewport = park_lot_map_get_viewport (self);
  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  if (width <= 0 || height <= 0)
    width = 800, height = 600;
  /* A margin, so the outermost markers are not cut in half. */
  zoom_x = fit_zoom ((max_longitude - min_longitude) / 360.0, width * 0.85);
  zoom_y = fit_zoom (mercator_y (min_latitude) - mercator_y (max_latitude), height * 0.85);
  zoom = CLAMP (floor (MIN (zoom_x, zoom_y) * 2) / 2, 3, 17);
  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_location_set_location (SHUMATE_LOCATION (viewport),
                                 (min_latitude + max_latitude) / 2,
                                 (min_longitude + max_longitude) / 2);
}

void
park_lot_map_get_visible_radius (ParkLotMap *self,
                                 double     *radius_m)
{
  ShumateViewport *viewport = park_lot_map_get_viewport (self);
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double m_per_px = 156543.03392 * cos (lat * G_PI / 180) / pow (2, zoom);

  if (width <= 0 || height <= 0)
    width = 800, height = 600;
  *radius_m = m_per_px * sqrt ((double) width * width + (double) height * height) / 2;
}

GtkWidget *
park_lot_map_get_marker_for (ParkLotMap *self,
                             ParkLot    *lot)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      MarkerEntry *entry = g_ptr_array_index (self->entries, i);

      if (g_strcmp0 (park_lot_get_id (entry->lot), park_lot_get_id (lot)) == 0)
        return entry->button;
    }
  return NULL;
}
