/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-lot-page.c: the spots grid is fetched again whenever the live feed says the lot
 * changed (a little later, so a burst of arrivals is one fetch), so a spot turns from free to
 * taken while the driver looks at it.
 */
#include "config.h"

#include "park-lot-page.h"
#include "park-format.h"
#include "park-spot-grid.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#define SPOTS_DELAY_MS 300

struct _ParkLotPage
{
  GtkWidget     parent_instance;

  ParkClient   *client;
  ParkLiveFeed *feed;
  gulong        lot_updated_handler;
  ParkLot      *lot;
  gulong        lot_notify_handler;
  char         *lot_id;
  GCancellable *cancellable;
  GListModel   *spots;
  GPtrArray    *hour_rows;
  guint         spots_id;

  GtkStack       *stack;
  AdwStatusPage  *error_status;
  GtkLabel       *name_label;
  GtkLabel       *address_label;
  GtkLabel       *operator_label;
  GtkWidget      *free_badge;
  GtkLabel       *free_count_label;
  GtkLabel       *free_text_label;
  GtkWidget      *book_button;
  AdwActionRow   *rate_row;
  AdwActionRow   *local_time_row;
  AdwActionRow   *types_row;
  AdwPreferencesGroup *hours_group;
  GtkFlowBox     *amenities_box;
  GtkWidget      *rate_label;
  GtkWidget      *clock_label;
  GtkBox         *spots_box;
};

G_DEFINE_FINAL_TYPE (ParkLotPage, park_lot_page, GTK_TYPE_WIDGET)

static void load_spots (ParkLotPage *self);

static void
update_header (ParkLotPage *self)
{
  ParkLot *lot = self->lot;
  ParkFullness fullness = park_lot_fullness (lot, PARK_SPOT_TYPE_ANY);
  g_autofree char *count = g_strdup_printf ("%u", park_lot_get_available (lot, PARK_SPOT_TYPE_ANY));
  g_autofree char *free_text = park_lot_describe_free (lot, PARK_SPOT_TYPE_ANY);
  g_autofree char *rate = park_format_money (park_lot_get_hourly_rate (lot),
                                             park_lot_get_currency (lot));
  g_autofree char *operator = NULL;
  g_autoptr(GString) types = g_string_new (NULL);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (park_lot_get_time_zone (lot));
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new_now (tz != NULL ? tz : utc);
  g_autofree char *clock = g_date_time_format (now, "%H:%M");
  g_autofree char *local = NULL;

  gtk_label_set_label (self->name_label, park_lot_get_name (lot));
  gtk_label_set_label (self->address_label, park_lot_get_address (lot));
  /* Translators: who runs a lot, and whether it is open by its hours */
  operator = g_strdup_printf (_("Run by %s · %s"), park_lot_get_operator_name (lot) ?: "",
                              park_lot_get_status (lot) == PARK_LOT_STATUS_CLOSED
                              ? _("Closed by the operator")
                              : park_lot_get_open_now (lot) ? _("Open now") : _("Closed now"));
  gtk_label_set_label (self->operator_label, operator);

  gtk_label_set_label (self->free_count_label, count);
  gtk_label_set_label (self->free_text_label, free_text);
  park_widget_set_fullness (self->free_badge, fullness);
  if (park_lot_get_stale (lot))
    gtk_widget_add_css_class (self->free_badge, "stale");
  else
    gtk_widget_remove_css_class (self->free_badge, "stale");

  gtk_label_set_label (GTK_LABEL (self->rate_label), rate);
  gtk_label_set_label (GTK_LABEL (self->clock_label), clock);
  /* Translators: the lot's time zone, under "Local time at the lot" */
  local = g_strdup_printf (_("Time zone %s"), park_lot_get_time_zone (lot));
  adw_action_row_set_subtitle (self->local_time_row, local);

  for (ParkSpotType t = PARK_SPOT_TYPE_REGULAR; t < PARK_N_SPOT_TYPES; t++)
    {
      if (park_lot_get_total (lot, t) == 0)
        continue;
      if (types->len > 0)
        g_string_append (types, " · ");
      /* Translators: a spot type and its free spots out of all, e.g. "Electric vehicle 3/10" */
      g_string_append_printf (types, _("%s %u/%u"), park_format_spot_type (t),
                              park_lot_get_available (lot, t), park_lot_get_total (lot, t));
    }
  adw_action_row_set_subtitle (self->types_row, types->str);
  gtk_widget_set_sensitive (self->book_button,
                            park_lot_get_status (lot) == PARK_LOT_STATUS_OPEN &&
                            !park_lot_get_stale (lot));
}

static void
fill_details (ParkLotPage *self)
{
  ParkLot *lot = self->lot;
  const char * const *amenities = park_lot_get_amenities (lot);
  GtkWidget *child;
  static const char * const days[] = {
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
    N_("Saturday"), N_("Sunday")
  };

  for (guint i = 0; i < self->hour_rows->len; i++)
    adw_preferences_group_remove (self->hours_group, g_ptr_array_index (self->hour_rows, i));
  g_ptr_array_set_size (self->hour_rows, 0);
  for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_SUNDAY; d++)
    {
      const char * const *ranges = park_lot_get_hours (lot, d);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *text = NULL;

      if (ranges == NULL || ranges[0] == NULL)
        text = g_strdup (_("Closed"));
      else if (g_strv_length ((char **) ranges) == 1 && g_str_equal (ranges[0], "00:00-24:00"))
        text = g_strdup (_("Open 24 hours"));
      else
        text = g_strjoinv (", ", (char **) ranges);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(days[d - G_DATE_MONDAY]));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
      adw_preferences_group_add (self->hours_group, row);
      g_ptr_array_add (self->hour_rows, row);
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->amenities_box))) != NULL)
    gtk_flow_box_remove (self->amenities_box, child);
  for (guint i = 0; amenities != NULL && amenities[i] != NULL; i++)
    {
      GtkWidget *label = gtk_label_new (park_format_amenity (amenities[i]));

      gtk_widget_add_css_class (label, "amenity");
      gtk_flow_box_append (self->amenities_box, label);
    }
  if (amenities == NULL || amenities[0] == NULL)
    gtk_flow_box_append (self->amenities_box, gtk_label_new (_("None listed")));

  update_header (self);
}

static void
lot_notify_cb (ParkLot     *lot,
               GParamSpec  *pspec,
               ParkLotPage *self)
{
  update_header (self);
}

static void
set_lot (ParkLotPage *self,
         ParkLot     *lot)
{
  if (self->lot != NULL)
    g_clear_signal_handler (&self->lot_notify_handler, self->lot);
  g_set_object (&self->lot, lot);
  if (lot == NULL)
    return;
  self->lot_notify_handler = g_signal_connect (lot, "notify", G_CALLBACK (lot_notify_cb), self);
  fill_details (self);
  gtk_stack_set_visible_child_name (self->stack, "lot");
}

/* A driver books a free spot from the grid; the others are not for them to press. */
static void
setup_spot_button (GtkWidget *button,
                   ParkSpot  *spot,
                   gpointer   user_data)
{
  if (park_spot_get_state (spot) == PARK_SPOT_STATE_AVAILABLE)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", park_spot_get_id (spot));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button),
                                  park_spot_get_state (spot) == PARK_SPOT_STATE_AVAILABLE
                                  ? "win.book" : NULL);
  if (park_spot_get_state (spot) != PARK_SPOT_STATE_AVAILABLE)
    gtk_widget_set_can_target (button, FALSE);
}

static void
fill_spots (ParkLotPage *self)
{
  park_spot_grid_fill (self->spots_box, self->spots, FALSE, setup_spot_button, self);
  if (g_list_model_get_n_items (self->spots) == 0)
    gtk_box_append (self->spots_box, gtk_label_new (_("This lot lists no spots.")));
}

static void
spots_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  ParkLotPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) spots = park_client_list_spots_finish (PARK_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (spots == NULL)
    {
      GtkWidget *child;
      GtkWidget *label;
      g_autofree char *text = g_strdup_printf (_("The spots cannot be shown: %s"), error->message);

      while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->spots_box))) != NULL)
        gtk_box_remove (self->spots_box, child);
      label = gtk_label_new (text);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_box_append (self->spots_box, label);
      return;
    }
  g_set_object (&self->spots, spots);
  fill_spots (self);
}

static void
load_spots (ParkLotPage *self)
{
  park_client_list_spots_async (self->client, self->lot_id, PARK_SPOT_TYPE_ANY, self->cancellable,
                                spots_cb, self);
}

static gboolean
spots_timeout_cb (gpointer user_data)
{
  ParkLotPage *self = user_data;

  self->spots_id = 0;
  load_spots (self);
  return G_SOURCE_REMOVE;
}

static void
lot_updated_cb (ParkLiveFeed *feed,
                ParkLot      *lot,
                gboolean      replayed,
                ParkLotPage  *self)
{
  if (self->lot_id == NULL || g_strcmp0 (park_lot_get_id (lot), self->lot_id) != 0)
    return;
  if (self->spots_id == 0)
    self->spots_id = g_timeout_add (SPOTS_DELAY_MS, spots_timeout_cb, self);
}

static void
lot_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  ParkLotPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkLot) lot = park_client_get_lot_finish (PARK_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (lot == NULL)
    {
      adw_status_page_set_description (self->error_status, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  set_lot (self, lot);
}

static void
park_lot_page_dispose (GObject *object)
{
  ParkLotPage *self = PARK_LOT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->spots_id, g_source_remove);
  if (self->feed != NULL)
    g_clear_signal_handler (&self->lot_updated_handler, self->feed);
  set_lot (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARK_TYPE_LOT_PAGE);
  g_clear_object (&self->feed);
  g_clear_object (&self->client);
  g_clear_object (&self->spots);
  G_OBJECT_CLASS (park_lot_page_parent_class)->dispose (object);
}

static void
park_lot_page_finalize (GObject *object)
{
  ParkLotPage *self = PARK_LOT_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->hour_rows, g_ptr_array_unref);
  g_free (self->lot_id);
  G_OBJECT_CLASS (park_lot_page_parent_class)->finalize (object);
}

static void
park_lot_page_class_init (ParkLotPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = park_lot_page_dispose;
  object_class->finalize = park_lot_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/parkade/Parkade/ui/park-lot-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ParkLotPage, stack);
  gtk_widget_class_bind_template_child (widget_class, ParkLotPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, ParkLotPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, ParkLotPage, address_label);
  gtk_widget_class_bind_template_child (widget_class, ParkLotPage, operator_label);
  gtk_widget_class_bind_template_child (widget_class, ParkLotPage, free_badge);
  gtk_widget_class_bind_template_child (widget_class, ParkLotPage, free_count_label);
  gtk_widget_class_bind_template_child (widget_class, ParkLotPage, free_text_label);
  gtk_widget_class_bind_template_child (widget_class, ParkLotPage, book_button);
  gtk_widget_class_bind_template_child (widget_class, ParkLotPage, rate_row);
  gtk_widget_class_bind_template_child (widget_class, ParkLotPage, local_time_row);
  gtk_widget_class_bind_template_child (widget_class, ParkLotPage, types_row);
  gtk_widget_class_bind_template_child (widget_class, ParkLotPage, hours_group);
  gtk_widget_class_bind_template_child (widget_class, ParkLotPage, amenities_box);
  gtk_widget_class_bind_template_child (widget_class, ParkLotPage, spots_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
park_lot_page_init (ParkLotPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->hour_rows = g_ptr_array_new ();
  self->rate_label = gtk_label_new (NULL);
  self->clock_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->rate_label, "title-3");
  gtk_widget_add_css_class (self->clock_label, "title-3");
  adw_action_row_add_suffix (self->rate_row, self->rate_label);
  adw_action_row_add_suffix (self->local_time_row, self->clock_label);
}

void
park_lot_page_set_client (ParkLotPage  *self,
                          ParkClient   *client,
                          ParkLiveFeed *feed)
{
  g_return_if_fail (PARK_IS_LOT_PAGE (self));

  g_set_object (&self->client, client);
  g_set_object (&self->feed, feed);
  self->lot_updated_handler = g_signal_connect (feed, "lot-updated",
                                                G_CALLBACK (lot_updated_cb), self);
}

void
park_lot_page_show (ParkLotPage *self,
                    const char  *lot_id,
                    ParkLot     *known)
{
  g_return_if_fail (PARK_IS_LOT_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_free (self->lot_id);
  self->lot_id = g_strdup (lot_id);
  g_clear_object (&self->spots);
  set_lot (self, NULL);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->spots_box))) != NULL)
      gtk_box_remove (self->spots_box, child);
  }

  /* The lot the map shows is the live one: keep it; only a lot not on the map is fetched. */
  if (known != NULL)
    set_lot (self, known);
  else
    {
      gtk_stack_set_visible_child_name (self->stack, "loading");
      park_client_get_lot_async (self->client, lot_id, self->cancellable, lot_cb, self);
    }
  load_spots (self);
}

void
park_lot_page_reload (ParkLotPage *self)
{
  g_autofree char *lot_id = NULL;
  g_autoptr(ParkLot) lot = NULL;

  g_return_if_fail (PARK_IS_LOT_PAGE (self));
  if (self->lot_id == NULL)
    return;
  lot_id = g_strdup (self->lot_id);
  lot = self->lot != NULL ? g_object_ref (self->lot) : NULL;
  park_lot_page_show (self, lot_id, lot);
}

ParkLot *
park_lot_page_get_lot (ParkLotPage *self)
{
  g_return_val_if_fail (PARK_IS_LOT_PAGE (self), NULL);
  return self->lot;
}

guint
park_lot_page_get_n_spots (ParkLotPage *self)
{
  g_return_val_if_fail (PARK_IS_LOT_PAGE (self), 0);
  return self->spots != NULL ? g_list_model_get_n_items (self->spots) : 0;
}

/**
 * park_lot_page_get_spot_button:
 * @spot_id: a spot of the lot shown
 *
 * Returns: (transfer none) (nullable): the spot's button in the grid
 */
GtkWidget *
park_lot_page_get_spot_button (ParkLotPage *self,
                               const char  *spot_id)
{
  g_return_val_if_fail (PARK_IS_LOT_PAGE (self), NULL);
  return park_spot_grid_find_button (GTK_WIDGET (self->spots_box), spot_id);
}
