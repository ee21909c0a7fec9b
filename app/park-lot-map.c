/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-lot-map.c: markers are buttons, so they are keyboard-reachable and read out as
 * "Tiefgarage Altmarkt: 23 spots free"; the number, an icon and the colour all say how
 * full a lot is, so colour is never the only sign.
 *
 * Lots whose markers would overlap at the map's zoom share one group marker instead: the
 * spots free in all of them, how many lots they are, and the icon of the emptiest. A marker
 * hidden under another could be neither read nor tapped; the group can, and tapping it zooms
 * in until its lots come apart (or, at the closest zoom, lists them).
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
  GPtrArray          *groups;     /* GroupEntry, those of two lots or more */
  ParkSpotType        spot_type;
  guint               regroup_id;
  int                 group_width;  /* the widest and tallest group marker at this zoom's */
  int                 group_height; /* size of markers, and filter */
  double              planned_zoom; /* the zoom the groups were planned for */
  char               *focus_lot_id; /* a group zoomed in on from the keyboard: its lead lot */
  guint               restyle_ticks; /* frames until the markers' new style can be measured */
};

G_DEFINE_FINAL_TYPE (ParkLotMap, park_lot_map, GTK_TYPE_WIDGET)

enum {
  LOT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct _GroupEntry GroupEntry;

typedef struct
{
  ParkLotMap    *map;
  ParkLot       *lot;
  ShumateMarker *marker;
  GtkWidget     *button;
  GtkWidget     *icon;
  GtkWidget     *label;
  gulong         notify_handler;
  GroupEntry    *group;       /* shown in this group, or NULL: shown itself */
  double         x, y;        /* where on the map at the zoom of the last grouping */
  int            width;       /* its marker's size then */
  int            height;
  gboolean       kept;        /* its lot is still in the model (sync_markers()) */
} MarkerEntry;

struct _GroupEntry
{
  ParkLotMap    *map;
  ShumateMarker *marker;
  GtkWidget     *button;
  GtkWidget     *icon;
  GtkWidget     *count;
  GtkWidget     *lots;
  GtkWidget     *popover;     /* the list of its lots, at the closest zoom */
  GPtrArray     *members;     /* MarkerEntry, the entries' own */
};

static void regroup_soon (ParkLotMap *self);
static void measure_marker (GtkWidget *button, int *width, int *height);
static void regroup (ParkLotMap *self);
static void update_group (GroupEntry *group);

static void
group_entry_free (GroupEntry *group)
{
  for (guint i = 0; i < group->members->len; i++)
    {
      MarkerEntry *entry = g_ptr_array_index (group->members, i);

      entry->group = NULL;
      gtk_widget_set_visible (GTK_WIDGET (entry->marker), TRUE);
    }
  g_ptr_array_unref (group->members);
  g_signal_handlers_disconnect_by_data (group->button, group);
  g_clear_pointer (&group->popover, gtk_widget_unparent);
  g_clear_object (&group->marker);
  g_free (group);
}

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

  if (park_lot_get_status (lot) == PARK_LOT_STATUS_CLOSED)
    count = g_strdup (C_("marker", "Closed"));
  else
    count = g_strdup_printf ("%u", park_lot_get_available (lot, entry->map->spot_type));
  gtk_label_set_label (GTK_LABEL (entry->label), count);
  gtk_image_set_from_icon_name (GTK_IMAGE (entry->icon), park_fullness_icon_name (fullness));

  park_widget_set_fullness (entry->button, fullness);
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
  ParkLotMap *self = entry->map;
  int width, height;

  update_marker (entry);
  /* A number grown by a digit makes a marker wider: planned again only then, not for every
   * update of the live feed. */
  if (entry->group == NULL)
    {
      measure_marker (entry->button, &width, &height);
      if (width != entry->width || height != entry->height)
        regroup_soon (self);
      return;
    }
  update_group (entry->group);
  measure_marker (entry->group->button, &width, &height);
  if (width > self->group_width || height > self->group_height)
    {
      self->group_width = MAX (self->group_width, width);
      self->group_height = MAX (self->group_height, height);
      regroup_soon (self);
    }
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

/* Shows @lot, a newer copy of the entry's lot (a search's answer), from now on. */
static void
marker_entry_set_lot (MarkerEntry *entry,
                      ParkLot     *lot)
{
  if (entry->lot == lot)
    return;
  g_clear_signal_handler (&entry->notify_handler, entry->lot);
  g_set_object (&entry->lot, lot);
  entry->notify_handler = g_signal_connect (lot, "notify", G_CALLBACK (lot_notify_cb), entry);
  shumate_location_set_location (SHUMATE_LOCATION (entry->marker),
                                 park_lot_get_latitude (lot), park_lot_get_longitude (lot));
  update_marker (entry);
}

/* The markers for the lots now in the model: a lot that stays keeps its marker (and its group,
 * its focus, an open list), so a search's answer after each move of the map does not build
 * them all again. */
static void
sync_markers (ParkLotMap *self)
{
  /* Lot id -> its entry, until the lot is found again in the model. */
  g_autoptr(GHashTable) gone = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func ((GDestroyNotify) marker_entry_free);
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) old = NULL;
  guint n = self->lots != NULL ? g_list_model_get_n_items (self->lots) : 0;

  /* Every entry is gone until its lot is found again in the model. */
  for (guint i = 0; i < self->entries->len; i++)
    {
      MarkerEntry *entry = g_ptr_array_index (self->entries, i);

      entry->kept = FALSE;
      if (!g_hash_table_contains (gone, park_lot_get_id (entry->lot)))
        g_hash_table_insert (gone, g_strdup (park_lot_get_id (entry->lot)), entry);
    }
  for (guint i = 0; i < n; i++)
    {
      ParkLot *lot = g_list_model_get_item (self->lots, i);
      MarkerEntry *entry = g_hash_table_lookup (gone, park_lot_get_id (lot));

      if (entry == NULL)
        {
          g_ptr_array_add (fresh, lot);
          continue;
        }
      g_hash_table_remove (gone, park_lot_get_id (lot));
      entry->kept = TRUE;
      g_ptr_array_add (kept, entry);
      marker_entry_set_lot (entry, lot);
      g_object_unref (lot);
    }

  /* A group with a lot that is gone goes too; its other lots are planned again below. */
  for (guint g = self->groups->len; g > 0; g--)
    {
      GroupEntry *group = g_ptr_array_index (self->groups, g - 1);
      gboolean lost = FALSE;

      for (guint i = 0; i < group->members->len && !lost; i++)
        lost = !((MarkerEntry *) g_ptr_array_index (group->members, i))->kept;
      if (lost)
        {
          shumate_marker_layer_remove_marker (self->markers, group->marker);
          g_ptr_array_remove_index (self->groups, g - 1);
        }
    }

  /* The entries that stay move to the new list; the others go with their markers. */
  old = g_steal_pointer (&self->entries);
  self->entries = g_steal_pointer (&kept);
  g_ptr_array_set_free_func (old, NULL);
  for (guint i = 0; i < old->len; i++)
    {
      MarkerEntry *entry = g_ptr_array_index (old, i);

      if (!entry->kept)
        {
          shumate_marker_layer_remove_marker (self->markers, entry->marker);
          marker_entry_free (entry);
        }
    }
  for (guint i = 0; i < fresh->len; i++)
    add_marker (self, g_ptr_array_index (fresh, i));
  /* Now, before the new markers are drawn on each other. */
  regroup (self);
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

/* ---- Groups of lots too close to tell apart -------------------------------------------- */

static void
update_group (GroupEntry *group)
{
  ParkLotMap *self = group->map;
  ParkFullness best = PARK_FULLNESS_FULL;
  guint free = 0, n = group->members->len;
  g_autofree char *count = NULL, *lots = NULL, *free_text = NULL, *description = NULL;

  for (guint i = 0; i < n; i++)
    {
      ParkLot *lot = ((MarkerEntry *) g_ptr_array_index (group->members, i))->lot;

      best = MIN (best, park_lot_fullness (lot, self->spot_type));
      if (park_lot_get_status (lot) != PARK_LOT_STATUS_CLOSED)
        free += park_lot_get_available (lot, self->spot_type);
    }
  count = g_strdup_printf ("%u", free);
  /* Translators: in a map marker that stands for several lots close together */
  lots = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u lot", "%u lots", n), n);
  gtk_label_set_label (GTK_LABEL (group->count), count);
  gtk_label_set_label (GTK_LABEL (group->lots), lots);
  gtk_image_set_from_icon_name (GTK_IMAGE (group->icon), park_fullness_icon_name (best));
  park_widget_set_fullness (group->button, best);

  free_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u spot free", "%u spots free",
                                            free), free);
  /* Translators: a map marker for several lots close together, read out, e.g.
   * "4 lots here, 230 spots free in all. Zoom in to choose one." */
  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u lot here, %s in all. Zoom in to choose one.",
                                              "%u lots here, %s in all. Zoom in to choose one.",
                                              n), n, free_text);
  gtk_widget_set_tooltip_text (group->button, description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (group->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
}

static void
group_lot_clicked_cb (GtkButton   *button,
                      MarkerEntry *entry)
{
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER);

  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  g_signal_emit (entry->map, signals[LOT_ACTIVATED], 0, entry->lot);
}

/* At the closest zoom the lots may still sit on each other (levels of one garage): a list. */
static void
group_show_list (GroupEntry *group)
{
  GtkWidget *box;

  g_clear_pointer (&group->popover, gtk_widget_unparent);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  for (guint i = 0; i < group->members->len; i++)
    {
      MarkerEntry *entry = g_ptr_array_index (group->members, i);
      g_autofree char *free_text = park_lot_describe_free (entry->lot, group->map->spot_type);
      /* Translators: a lot in the list of lots at one place on the map, e.g.
       * "Parkhaus Mitte: 23 spots free" */
      g_autofree char *text = g_strdup_printf (_("%s: %s"), park_lot_get_name (entry->lot),
                                               free_text);
      GtkWidget *button = gtk_button_new_with_label (text);

      gtk_widget_add_css_class (button, "flat");
      gtk_label_set_xalign (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), 0);
      g_signal_connect (button, "clicked", G_CALLBACK (group_lot_clicked_cb), entry);
      gtk_box_append (GTK_BOX (box), button);
    }
  group->popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (group->popover), box);
  gtk_widget_set_parent (group->popover, group->button);
  gtk_popover_popup (GTK_POPOVER (group->popover));
}

/* Zooms in on the group's lots, at least a level, as far as they fit the map. */
static void
group_clicked_cb (GtkButton  *button,
                  GroupEntry *group)
{
  ParkLotMap *self = group->map;
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->simple_map);
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double max_zoom = shumate_viewport_get_max_zoom_level (viewport);
  double min_lat = 90, max_lat = -90, min_lng = 180, max_lng = -180, target;
  int width = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 100);
  int height = MAX (gtk_widget_get_height (GTK_WIDGET (self)), 100);

  if (zoom >= max_zoom - 0.01)
    {
      group_show_list (group);
      return;
    }
  for (guint i = 0; i < group->members->len; i++)
    {
      ParkLot *lot = ((MarkerEntry *) g_ptr_array_index (group->members, i))->lot;

      min_lat = MIN (min_lat, park_lot_get_latitude (lot));
      max_lat = MAX (max_lat, park_lot_get_latitude (lot));
      min_lng = MIN (min_lng, park_lot_get_longitude (lot));
      max_lng = MAX (max_lng, park_lot_get_longitude (lot));
    }
  target = MIN (fit_zoom ((max_lng - min_lng) / 360.0, width / 2),
                fit_zoom (mercator_y (min_lat) - mercator_y (max_lat), height / 2));
  target = CLAMP (MAX (target, zoom + 1), zoom, max_zoom);
  g_debug ("map: zooming from %.2f to %.2f on a group of %u lots", zoom, target,
           group->members->len);
  if (gtk_widget_is_focus (group->button))
    {
      MarkerEntry *lead = g_ptr_array_index (group->members, 0);

      g_free (self->focus_lot_id);
      self->focus_lot_id = g_strdup (park_lot_get_id (lead->lot));
    }
  shumate_map_go_to_full (shumate_simple_map_get_map (self->simple_map),
                          (min_lat + max_lat) / 2, (min_lng + max_lng) / 2, target);
}

static GroupEntry *
group_new (ParkLotMap  *self,
           MarkerEntry *first)
{
  GroupEntry *group = g_new0 (GroupEntry, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

  group->map = self;
  group->members = g_ptr_array_new ();
  group->marker = g_object_ref_sink (shumate_marker_new ());
  group->button = gtk_button_new ();
  group->icon = gtk_image_new ();
  group->count = gtk_label_new (NULL);
  group->lots = gtk_label_new (NULL);
  gtk_widget_add_css_class (group->button, "lot-marker");
  gtk_widget_add_css_class (group->button, "lot-group");
  gtk_widget_add_css_class (group->lots, "lot-group-size");
  gtk_widget_set_focusable (group->button, TRUE);
  gtk_box_append (GTK_BOX (box), group->icon);
  gtk_box_append (GTK_BOX (box), group->count);
  gtk_box_append (GTK_BOX (box), group->lots);
  gtk_button_set_child (GTK_BUTTON (group->button), box);
  shumate_marker_set_child (group->marker, group->button);
  /* On the lot that leads it (the largest), so a group does not wander as it grows. */
  shumate_location_set_location (SHUMATE_LOCATION (group->marker),
                                 park_lot_get_latitude (first->lot),
                                 park_lot_get_longitude (first->lot));
  g_signal_connect (group->button, "clicked", G_CALLBACK (group_clicked_cb), group);
  return group;
}

/* Largest lots first, then by id: the same lots lead the same groups wherever the map is. */
static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const MarkerEntry *x = *(MarkerEntry * const *) a, *y = *(MarkerEntry * const *) b;
  guint tx = park_lot_get_total (x->lot, PARK_SPOT_TYPE_ANY);
  guint ty = park_lot_get_total (y->lot, PARK_SPOT_TYPE_ANY);

  if (tx != ty)
    return tx > ty ? -1 : 1;
  return g_strcmp0 (park_lot_get_id (x->lot), park_lot_get_id (y->lot));
}

static void
measure_marker (GtkWidget *button,
                int       *width,
                int       *height)
{
  gtk_widget_measure (button, GTK_ORIENTATION_HORIZONTAL, -1, NULL, width, NULL, NULL);
  gtk_widget_measure (button, GTK_ORIENTATION_VERTICAL, *width, NULL, height, NULL, NULL);
}

/* Room between markers, so that two side by side do not read as one (and a group's stack,
 * drawn 3 pixels behind it, touches no other). */
#define MARKER_GAP 6

typedef struct
{
  MarkerEntry *entry;
  guint        leader;    /* index of its leader in the plan */
  guint        members;   /* as a leader: how many lots it shows */
} Planned;

/* The size of what @p shows: its own marker, or a group's (@group_width × @group_height). */
static void
planned_size (const Planned *p,
              int            group_width,
              int            group_height,
              double        *width,
              double        *height)
{
  *width = p->members > 1 ? MAX (p->entry->width, group_width) : p->entry->width;
  *height = p->members > 1 ? MAX (p->entry->height, group_height) : p->entry->height;
}

static gboolean
planned_overlap (const Planned *a,
                 const Planned *b,
                 int            group_width,
                 int            group_height)
{
  double wa, ha, wb, hb;

  planned_size (a, group_width, group_height, &wa, &ha);
  planned_size (b, group_width, group_height, &wb, &hb);
  return fabs (a->entry->x - b->entry->x) < (wa + wb) / 2 + MARKER_GAP &&
         fabs (a->entry->y - b->entry->y) < (ha + hb) / 2 + MARKER_GAP;
}

/* Each lot, in @order, joins the first group whose marker its own would touch, or leads a new
 * one; then groups whose markers touch (one grew from a lot's marker into a wider group's)
 * become one, until none does. Every marker shown is centred on its leader, so no marker
 * covers another. Returns each entry's leader, in @order. */
static GPtrArray *
plan_groups (ParkLotMap *self,
             GPtrArray  *order,
             int         group_width,
             int         group_height)
{
  guint n = order->len;
  g_autofree Planned *plan = g_new0 (Planned, n);
  GPtrArray *leader_of = g_ptr_array_sized_new (n);
  gboolean merged;

  for (guint i = 0; i < n; i++)
    {
      plan[i].entry = g_ptr_array_index (order, i);
      plan[i].leader = i;
      plan[i].members = 1;
      for (guint j = 0; j < i; j++)
        if (plan[j].leader == j && planned_overlap (&plan[j], &plan[i], group_width, group_height))
          {
            plan[i].leader = j;
            plan[i].members = 0;
            plan[j].members++;
            break;
          }
    }
  do
    {
      merged = FALSE;
      for (guint j = 1; j < n && !merged; j++)
        for (guint i = 0; i < j && !merged && plan[j].leader == j; i++)
          if (plan[i].leader == i && planned_overlap (&plan[i], &plan[j], group_width, group_height))
            {
              for (guint k = 0; k < n; k++)
                if (plan[k].leader == j)
                  plan[k].leader = i;
              plan[i].members += plan[j].members;
              plan[j].members = 0;
              merged = TRUE;
            }
    }
  while (merged);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (leader_of, plan[plan[i].leader].entry);
  return leader_of;
}

/* Shows the groups of @leader_of (each entry's leader, in @order) instead of those shown; FALSE
 * when they are the same. */
static gboolean
show_groups (ParkLotMap *self,
             GPtrArray  *order,
             GPtrArray  *leader_of)
{
  gboolean same = TRUE;

  /* Nothing moved between groups: only the numbers may have changed, and they are kept. */
  for (guint i = 0; i < order->len && same; i++)
    {
      MarkerEntry *entry = g_ptr_array_index (order, i);
      MarkerEntry *leader = g_ptr_array_index (leader_of, i);

      if (leader == entry)
        same = entry->group == NULL ||
               g_ptr_array_index (entry->group->members, 0) == entry;
      else
        same = entry->group != NULL && leader->group == entry->group;
    }
  for (guint g = 0; g < self->groups->len && same; g++)
    {
      GroupEntry *group = g_ptr_array_index (self->groups, g);
      guint members = 0;

      for (guint i = 0; i < order->len; i++)
        members += g_ptr_array_index (leader_of, i) == g_ptr_array_index (group->members, 0);
      same = members == group->members->len;
    }
  if (same)
    return FALSE;

  for (guint g = 0; g < self->groups->len; g++)
    shumate_marker_layer_remove_marker (self->markers,
                                        ((GroupEntry *) g_ptr_array_index (self->groups, g))->marker);
  g_ptr_array_set_size (self->groups, 0);
  for (guint i = 0; i < order->len; i++)
    {
      MarkerEntry *entry = g_ptr_array_index (order, i);
      MarkerEntry *leader = g_ptr_array_index (leader_of, i);

      if (leader == entry)
        continue;
      if (leader->group == NULL)
        {
          leader->group = group_new (self, leader);
          g_ptr_array_add (leader->group->members, leader);
          gtk_widget_set_visible (GTK_WIDGET (leader->marker), FALSE);
          g_ptr_array_add (self->groups, leader->group);
        }
      entry->group = leader->group;
      g_ptr_array_add (leader->group->members, entry);
      gtk_widget_set_visible (GTK_WIDGET (entry->marker), FALSE);
    }
  for (guint g = 0; g < self->groups->len; g++)
    {
      GroupEntry *group = g_ptr_array_index (self->groups, g);

      update_group (group);
      shumate_marker_layer_add_marker (self->markers, group->marker);
    }
  return TRUE;
}

/* Groups are planned at the half level of zoom at or below the map's: zooming in from there
 * only moves markers apart, so none overlaps until the next half level plans them again, and
 * a zoom that glides (a pinch, a tap on a group) does not plan them at every frame. */
static double
plan_zoom (ParkLotMap *self)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->simple_map);

  return floor (shumate_viewport_get_zoom_level (viewport) * 2 + 1e-9) / 2;
}

/* A keyboard user who zoomed in on a group keeps the focus on the map: on the marker that
 * shows the group's lead lot, through the markers planned again as the view settles (the
 * button that had the focus goes with its group); until the focus goes elsewhere. */
static void
follow_focus (ParkLotMap *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *marker = NULL;

  if (self->focus_lot_id == NULL)
    return;
  for (guint i = 0; i < self->entries->len && marker == NULL; i++)
    {
      MarkerEntry *entry = g_ptr_array_index (self->entries, i);

      if (g_str_equal (park_lot_get_id (entry->lot), self->focus_lot_id))
        marker = entry->group != NULL ? entry->group->button : entry->button;
    }
  if (focus == marker && marker != NULL)
    return;
  /* Elsewhere on purpose, to something on the screen. (A marker hidden in a group, or one
   * removed, is no place to be: GTK 4.8 leaves a removed widget as the window's focus, though
   * it is in no window.) */
  if (marker == NULL ||
      (focus != NULL && gtk_widget_get_root (focus) == root && gtk_widget_get_mapped (focus)))
    {
      g_clear_pointer (&self->focus_lot_id, g_free);
      return;
    }
  if (gtk_widget_get_mapped (marker))
    gtk_widget_grab_focus (marker);
}

static void
regroup (ParkLotMap *self)
{
  double world = 256.0 * pow (2, plan_zoom (self));
  g_autoptr(GPtrArray) order = g_ptr_array_sized_new (self->entries->len);
  int width = 0, height = 0;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  self->planned_zoom = plan_zoom (self);
  for (guint i = 0; i < self->entries->len; i++)
    {
      MarkerEntry *entry = g_ptr_array_index (self->entries, i);

      entry->x = (park_lot_get_longitude (entry->lot) + 180) / 360 * world;
      entry->y = mercator_y (park_lot_get_latitude (entry->lot)) * world;
      measure_marker (entry->button, &entry->width, &entry->height);
      width = MAX (width, entry->width);
      height = MAX (height, entry->height);
      g_ptr_array_add (order, entry);
    }
  g_ptr_array_sort (order, compare_entries);

  /* A group marker is wider than a lot's: planned with the widest group seen at this size of
   * markers, and again at once when one turns out wider still. */
  for (guint pass = 0; pass < 3; pass++)
    {
      g_autoptr(GPtrArray) leader_of = NULL;
      int plan_width = MAX (width, self->group_width);
      int plan_height = MAX (height, self->group_height);
      int group_width = 0, group_height = 0;

      leader_of = plan_groups (self, order, plan_width, plan_height);
      if (!show_groups (self, order, leader_of))
        break;
      g_debug ("map: %u lots in %u groups at zoom %.1f (a group %d×%d)", order->len,
               self->groups->len, plan_zoom (self), plan_width, plan_height);
      for (guint g = 0; g < self->groups->len; g++)
        {
          int w, h;

          measure_marker (((GroupEntry *) g_ptr_array_index (self->groups, g))->button, &w, &h);
          group_width = MAX (group_width, w);
          group_height = MAX (group_height, h);
        }
      if (group_width <= self->group_width && group_height <= self->group_height)
        break;
      self->group_width = MAX (self->group_width, group_width);
      self->group_height = MAX (self->group_height, group_height);
    }
  follow_focus (self);
}

static gboolean
regroup_cb (gpointer user_data)
{
  ParkLotMap *self = user_data;

  self->regroup_id = 0;
  regroup (self);
  return G_SOURCE_REMOVE;
}

static void
regroup_soon (ParkLotMap *self)
{
  if (self->regroup_id == 0)
    self->regroup_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, regroup_cb, self, NULL);
}

static void
lots_changed_cb (GListModel *model,
                 guint       position,
                 guint       removed,
                 guint       added,
                 ParkLotMap *self)
{
  sync_markers (self);
}

/* Zoomed out, lots crowd: smaller markers overlap less (the number stays). */
static gboolean
regroup_tick_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       data)
{
  ParkLotMap *self = PARK_LOT_MAP (widget);

  /* A frame's ticks come before its layout, which restyles: the first tick after a change
   * of style still measures the old sizes. */
  if (self->restyle_ticks > 0 && --self->restyle_ticks > 0)
    return G_SOURCE_CONTINUE;
  regroup (self);
  return G_SOURCE_REMOVE;
}

static void
zoom_changed_cb (ParkLotMap *self)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->simple_map);
  gboolean compact = shumate_viewport_get_zoom_level (viewport) < 13.5;

  /* Markers change size with their style, which is known from the next frame on. */
  if (compact != gtk_widget_has_css_class (GTK_WIDGET (self->markers), "compact"))
    {
      self->group_width = self->group_height = 0;
      if (self->restyle_ticks == 0)
        gtk_widget_add_tick_callback (GTK_WIDGET (self), regroup_tick_cb, NULL, NULL);
      self->restyle_ticks = 2;
    }
  if (compact)
    gtk_widget_add_css_class (GTK_WIDGET (self->markers), "compact");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->markers), "compact");
  /* Now: zoomed out past the plan, markers would overlap in the frame to come. */
  if (plan_zoom (self) != self->planned_zoom)
    regroup (self);
}

static void
park_lot_map_dispose (GObject *object)
{
  ParkLotMap *self = PARK_LOT_MAP (object);

  if (self->lots != NULL)
    g_clear_signal_handler (&self->items_changed_handler, self->lots);
  g_clear_object (&self->lots);
  g_clear_handle_id (&self->regroup_id, g_source_remove);
  g_clear_pointer (&self->focus_lot_id, g_free);
  if (self->groups != NULL)
    g_ptr_array_set_size (self->groups, 0);
  if (self->entries != NULL)
    g_ptr_array_set_size (self->entries, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARK_TYPE_LOT_MAP);
  G_OBJECT_CLASS (park_lot_map_parent_class)->dispose (object);
}

static void
park_lot_map_finalize (GObject *object)
{
  ParkLotMap *self = PARK_LOT_MAP (object);

  g_clear_pointer (&self->groups, g_ptr_array_unref);
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
  self->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_entry_free);
  viewport = shumate_simple_map_get_viewport (self->simple_map);
  self->markers = shumate_marker_layer_new_full (viewport, GTK_SELECTION_NONE);
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->markers));
  shumate_viewport_set_min_zoom_level (viewport, 3);
  shumate_viewport_set_max_zoom_level (viewport, 19);
  g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (zoom_changed_cb), self,
                           G_CONNECT_SWAPPED);
  zoom_changed_cb (self);
  /* Marker sizes are known once they are styled in a window. */
  g_signal_connect (self, "map", G_CALLBACK (regroup_soon), NULL);
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
  sync_markers (self);
}

void
park_lot_map_set_spot_type (ParkLotMap   *self,
                            ParkSpotType  spot_type)
{
  g_return_if_fail (PARK_IS_LOT_MAP (self));
  self->spot_type = spot_type;
  for (guint i = 0; i < self->entries->len; i++)
    update_marker (g_ptr_array_index (self->entries, i));
  for (guint g = 0; g < self->groups->len; g++)
    update_group (g_ptr_array_index (self->groups, g));
  self->group_width = self->group_height = 0;
  regroup_soon (self);
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

/* The marker that shows @lot now: its own, or that of the group it is in. */
GtkWidget *
park_lot_map_get_shown_marker_for (ParkLotMap *self,
                                   ParkLot    *lot)
{
  g_return_val_if_fail (PARK_IS_LOT_MAP (self), NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      MarkerEntry *entry = g_ptr_array_index (self->entries, i);

      if (g_strcmp0 (park_lot_get_id (entry->lot), park_lot_get_id (lot)) == 0)
        return entry->group != NULL ? entry->group->button : entry->button;
    }
  return NULL;
}
