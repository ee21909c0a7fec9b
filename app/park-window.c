/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-window.c: the browse page finds lots around the map's centre whenever the view settles,
 * so the list (sorted by distance, as parkd answers) and the markers always show the same
 * lots; the live feed then keeps those very objects up to date. Pages further in (a lot,
 * booking, reservations) sit in one stack with a back stack of names.
 */
#include "config.h"

#include "park-window-private.h"
#include "park-format.h"
#include "park-account-dialog.h"
#include "park-sign-in-dialog.h"
#include "park-tile-source.h"
#include "park-operator-page.h"

#include <glib/gi18n.h>

#define SEARCH_DELAY_MS 400

struct _ParkWindow
{
  AdwApplicationWindow  parent_instance;

  ParkClient           *client;
  GSettings            *settings;
  ParkLiveFeed         *feed;
  ParkTileSource       *tile_source;
  GListStore           *lots;
  GtkFilterListModel   *visible_lots;
  GtkCustomFilter      *filter;
  GCancellable         *cancellable;
  GCancellable         *search_cancellable;
  GPtrArray            *back_stack;
  guint                 search_id;
  guint                 searches;
  gboolean              view_ready;
  gboolean              server_unreachable;
  ParkSpotType          spot_type;
  gboolean              kiosk;
  char                 *start_lot;      /* the kiosk's lot: its page is the start screen */
  guint                 idle_id;
  guint                 idle_ms;
  guint                 start_id;
  gboolean              is_operator;
  GCancellable         *me_cancellable;

  /* Template widgets */
  AdwHeaderBar         *header_bar;
  GtkWidget            *menu_button;
  GtkWidget            *back_button;
  GtkWidget            *connection_box;
  GtkWidget            *connection_icon;
  GtkWidget            *connection_label;
  AdwWindowTitle       *window_title;
  GtkRevealer          *server_banner;
  GtkLabel             *server_banner_label;
  GtkRevealer          *map_banner;
  GtkLabel             *map_banner_label;
  GtkStack             *pages;
  GtkSearchEntry       *search_entry;
  GtkDropDown          *spot_type_dropdown;
  GtkToggleButton      *open_now_button;
  GtkStack             *list_stack;
  AdwStatusPage        *empty_status;
  GtkListView          *lot_list;
  ParkLotMap           *lot_map;
  ParkLotPage          *lot_page;
  ParkBookingPage      *booking_page;
  ParkReservationsPage *reservations_page;
  ParkOperatorPage     *operator_page;
  GtkWidget            *operator_button;
};

G_DEFINE_FINAL_TYPE (ParkWindow, park_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SETTINGS,
  PROP_KIOSK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The dropdown's order: Any, EV, Accessible, Motorcycle, Compact. */
static const ParkSpotType dropdown_types[] = {
  PARK_SPOT_TYPE_ANY, PARK_SPOT_TYPE_EV, PARK_SPOT_TYPE_DISABLED, PARK_SPOT_TYPE_MOTORCYCLE,
  PARK_SPOT_TYPE_COMPACT,
};

static void search_now (ParkWindow *self);
static void save_view (ParkWindow *self);

/* The app's CSS, loaded by the window so that it styles a window made without the
 * AdwApplication too (the tests); the high-contrast additions follow the system's setting or
 * the app's own high-contrast key. */
static GtkCssProvider *hc_provider;

static void
update_high_contrast (ParkWindow *self)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));
  gboolean hc = adw_style_manager_get_high_contrast (adw_style_manager_get_default ()) ||
                (self->settings != NULL && g_settings_get_boolean (self->settings, "high-contrast"));

  if (hc)
    gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (hc_provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  else
    gtk_style_context_remove_provider_for_display (display, GTK_STYLE_PROVIDER (hc_provider));
  if (hc)
    gtk_widget_add_css_class (GTK_WIDGET (self), "high-contrast");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "high-contrast");
}

static void
load_style (GdkDisplay *display)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) provider = NULL;

  if (loaded)
    return;
  loaded = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/org/parkade/Parkade/park-style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  hc_provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (hc_provider, "/org/parkade/Parkade/park-style-hc.css");
}

static void
update_connection (ParkWindow *self)
{
  ParkLiveFeedState state = park_live_feed_get_state (self->feed);
  const char *icon, *label, *css;

  if (self->server_unreachable)
    icon = "network-offline-symbolic", label = _("Offline"), css = "offline";
  else if (state == PARK_LIVE_FEED_STATE_ONLINE)
    icon = "network-transmit-receive-symbolic", label = _("Live"), css = "online";
  else if (state == PARK_LIVE_FEED_STATE_CONNECTING)
    icon = "network-idle-symbolic", label = _("Connecting…"), css = "connecting";
  else
    icon = "network-error-symbolic", label = _("Reconnecting…"), css = "connecting";

  gtk_image_set_from_icon_name (GTK_IMAGE (self->connection_icon), icon);
  gtk_label_set_label (GTK_LABEL (self->connection_label), label);
  gtk_widget_remove_css_class (self->connection_box, "offline");
  gtk_widget_remove_css_class (self->connection_box, "online");
  gtk_widget_remove_css_class (self->connection_box, "connecting");
  gtk_widget_add_css_class (self->connection_box, css);
  gtk_widget_set_tooltip_text (self->connection_box,
                               self->server_unreachable
                               ? _("The parking server cannot be reached")
                               : state == PARK_LIVE_FEED_STATE_ONLINE
                               ? _("Free spots update as they change")
                               : _("Free spots may be out of date"));
}

static void
set_server_unreachable (ParkWindow *self,
                        gboolean    unreachable,
                        const char *message)
{
  self->server_unreachable = unreachable;
  if (message != NULL)
    gtk_label_set_label (self->server_banner_label, message);
  gtk_revealer_set_reveal_child (self->server_banner, unreachable);
  update_connection (self);
}

static void
feed_state_cb (ParkLiveFeed *feed,
               GParamSpec   *pspec,
               ParkWindow   *self)
{
  /* Back online after an outage: fetch fresh lots, so nothing stays marked stale. */
  if (park_live_feed_get_state (feed) == PARK_LIVE_FEED_STATE_ONLINE && self->server_unreachable)
    search_now (self);
  update_connection (self);
}

static void
tile_source_offline_cb (ParkTileSource *source,
                        GParamSpec     *pspec,
                        ParkWindow     *self)
{
  gboolean offline = park_tile_source_get_offline (source);
  g_autofree char *text = NULL;

  if (park_tile_source_get_has_local (source))
    text = g_strdup_printf (_("Offline map: the tile server cannot be reached (%s). Showing saved "
                              "map tiles; lots and free spots are not affected."),
                            park_tile_source_get_last_error (source));
  else
    text = g_strdup_printf (_("Offline map: the tile server cannot be reached (%s). Lots and free "
                              "spots are still shown."),
                            park_tile_source_get_last_error (source));
  gtk_label_set_label (self->map_banner_label, text);
  gtk_revealer_set_reveal_child (self->map_banner, offline);
}

/* The browse list */

static gboolean
lot_matches (gpointer item,
             gpointer user_data)
{
  ParkWindow *self = user_data;
  ParkLot *lot = item;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (gtk_toggle_button_get_active (self->open_now_button) &&
      (!park_lot_get_open_now (lot) || park_lot_get_status (lot) == PARK_LOT_STATUS_CLOSED))
    return FALSE;
  if (text != NULL && *text != '\0')
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (text));
      g_autofree char *needle = park_format_fold (trimmed);
      g_autofree char *name = park_format_fold (park_lot_get_name (lot));
      g_autofree char *address = park_format_fold (park_lot_get_address (lot));
      g_autofree char *city = park_format_fold (park_lot_get_city (lot));

      if (strstr (name, needle) == NULL && strstr (address, needle) == NULL &&
          strstr (city, needle) == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
update_list_stack (ParkWindow *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->visible_lots)) > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (self->search_cancellable != NULL && self->searches == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "loading");
  else
    {
      /* No lots because none are here, or because parkd cannot be asked: say which. */
      if (self->server_unreachable)
        {
          adw_status_page_set_icon_name (self->empty_status, "network-offline-symbolic");
          adw_status_page_set_title (self->empty_status, _("No Connection"));
          adw_status_page_set_description (self->empty_status,
                                           _("Lots will show as soon as the parking server can be "
                                             "reached."));
        }
      else
        {
          adw_status_page_set_icon_name (self->empty_status, "edit-find-symbolic");
          adw_status_page_set_title (self->empty_status, _("No Lots Here"));
          adw_status_page_set_description (self->empty_status,
                                           _("Move the map or change the filters."));
        }
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
    }
}

static void
filters_changed_cb (ParkWindow *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_list_stack (self);
}

typedef struct
{
  ParkWindow *window;
  ParkLot    *lot;
  GtkWidget  *badge;
  GtkWidget  *badge_icon;
  GtkWidget  *badge_label;
  GtkWidget  *name;
  GtkWidget  *address;
  GtkWidget  *detail;
  gulong      handler;
} LotRow;

static void
lot_row_update (LotRow *row)
{
  ParkLot *lot = row->lot;
  ParkSpotType type = row->window->spot_type;
  ParkFullness fullness = park_lot_fullness (lot, type);
  g_autofree char *count = g_strdup_printf ("%u", park_lot_get_available (lot, type));
  g_autofree char *free_text = park_lot_describe_free (lot, type);
  g_autofree char *distance = park_format_distance (park_lot_get_distance (lot));
  g_autofree char *rate = park_format_money (park_lot_get_hourly_rate (lot),
                                             park_lot_get_currency (lot));
  g_autofree char *detail = NULL;
  g_autofree char *a11y = NULL;
  gtk_label_set_label (GTK_LABEL (row->name), park_lot_get_name (lot));
  gtk_label_set_label (GTK_LABEL (row->address), park_lot_get_address (lot));
  gtk_label_set_label (GTK_LABEL (row->badge_label),
                       park_lot_get_status (lot) == PARK_LOT_STATUS_CLOSED ? C_("marker", "Closed")
                                                                            : count);
  gtk_image_set_from_icon_name (GTK_IMAGE (row->badge_icon), park_fullness_icon_name (fullness));
  park_widget_set_fullness (row->badge, fullness);

  /* Translators: a lot in the list: free spots · distance · price per hour · open or closed */
  detail = g_strdup_printf (_("%s · %s · %s/h · %s"), free_text, distance, rate,
                            park_lot_get_open_now (lot) ? _("Open now") : _("Closed now"));
  gtk_label_set_label (GTK_LABEL (row->detail), detail);
  if (park_lot_get_stale (lot))
    {
      gtk_widget_add_css_class (row->detail, "stale");
      gtk_widget_add_css_class (row->badge, "stale");
    }
  else
    {
      gtk_widget_remove_css_class (row->detail, "stale");
      gtk_widget_remove_css_class (row->badge, "stale");
    }
  a11y = g_strdup_printf ("%s, %s, %s", park_lot_get_name (lot), park_lot_get_address (lot), detail);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (row->badge)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
}

static void
lot_row_notify_cb (ParkLot    *lot,
                   GParamSpec *pspec,
                   LotRow     *row)
{
  lot_row_update (row);
}

static void
lot_row_free (LotRow *row)
{
  if (row->lot != NULL)
    g_clear_signal_handler (&row->handler, row->lot);
  g_clear_object (&row->lot);
  g_free (row);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              ParkWindow               *self)
{
  LotRow *row = g_new0 (LotRow, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *badge_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

  row->window = self;
  row->badge = badge_box;
  row->badge_icon = gtk_image_new ();
  row->badge_label = gtk_label_new (NULL);
  /* One width for every row's count (up to 9999), so the lots' names line up. */
  gtk_label_set_width_chars (GTK_LABEL (row->badge_label), 4);
  gtk_label_set_xalign (GTK_LABEL (row->badge_label), 1.0);
  gtk_widget_add_css_class (badge_box, "lot-badge");
  gtk_widget_set_valign (badge_box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (badge_box), row->badge_icon);
  gtk_box_append (GTK_BOX (badge_box), row->badge_label);

  row->name = gtk_label_new (NULL);
  row->address = gtk_label_new (NULL);
  row->detail = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->name), 0);
  gtk_label_set_xalign (GTK_LABEL (row->address), 0);
  gtk_label_set_xalign (GTK_LABEL (row->detail), 0);
  /* Wrapped, never cut: German's long words ("Elektrofahrzeuge", "Behindertenparkplätze")
   * and long lot names must be read whole. */
  {
    GtkWidget *labels[] = { row->name, row->address, row->detail };

    for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
      {
        gtk_label_set_wrap (GTK_LABEL (labels[i]), TRUE);
        gtk_label_set_wrap_mode (GTK_LABEL (labels[i]), PANGO_WRAP_WORD_CHAR);
        gtk_label_set_natural_wrap_mode (GTK_LABEL (labels[i]), GTK_NATURAL_WRAP_WORD);
      }
  }
  gtk_widget_add_css_class (row->name, "heading");
  gtk_widget_add_css_class (row->address, "dim-label");
  gtk_widget_add_css_class (row->detail, "caption");
  gtk_box_append (GTK_BOX (texts), row->name);
  gtk_box_append (GTK_BOX (texts), row->address);
  gtk_box_append (GTK_BOX (texts), row->detail);
  gtk_widget_set_hexpand (texts, TRUE);

  gtk_box_append (GTK_BOX (box), badge_box);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_item_set_child (item, box);
  g_object_set_data_full (G_OBJECT (item), "park-row", row, (GDestroyNotify) lot_row_free);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             ParkWindow               *self)
{
  LotRow *row = g_object_get_data (G_OBJECT (item), "park-row");

  row->lot = g_object_ref (gtk_list_item_get_item (item));
  row->handler = g_signal_connect (row->lot, "notify", G_CALLBACK (lot_row_notify_cb), row);
  lot_row_update (row);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               ParkWindow               *self)
{
  LotRow *row = g_object_get_data (G_OBJECT (item), "park-row");

  g_clear_signal_handler (&row->handler, row->lot);
  g_clear_object (&row->lot);
}

static void
list_activate_cb (GtkListView *list,
                  guint        position,
                  ParkWindow  *self)
{
  g_autoptr(ParkLot) lot = g_list_model_get_item (G_LIST_MODEL (self->visible_lots), position);

  if (lot != NULL)
    park_window_open_lot (self, park_lot_get_id (lot));
}

static void
map_lot_activated_cb (ParkLotMap *map,
                      ParkLot    *lot,
                      ParkWindow *self)
{
  park_window_open_lot (self, park_lot_get_id (lot));
}

/* Searching */

static void
search_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ParkWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) lots = NULL;
  gboolean stale = FALSE;
  guint n;

  lots = park_client_search_lots_finish (PARK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->search_cancellable);
  self->searches++;
  if (lots == NULL)
    {
      g_autofree char *text =
        g_strdup_printf (_("Cannot reach the parking server (%s). No saved lots for this area; "
                           "searching and booking need a connection."), error->message);

      set_server_unreachable (self, TRUE, text);
      update_list_stack (self);
      return;
    }

  n = g_list_model_get_n_items (lots);
  for (guint i = 0; i < n && !stale; i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);

      stale = park_lot_get_stale (lot);
    }
  if (stale)
    set_server_unreachable (self, TRUE,
                            _("Cannot reach the parking server. Lots and free spots are the last "
                              "ones received and may be out of date; booking needs a connection."));
  else
    set_server_unreachable (self, FALSE, NULL);

  {
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < n; i++)
      g_ptr_array_add (items, g_list_model_get_item (lots, i));
    g_list_store_splice (self->lots, 0, g_list_model_get_n_items (G_LIST_MODEL (self->lots)),
                         items->pdata, items->len);
  }
  update_list_stack (self);
}

static void
search_now (ParkWindow *self)
{
  ShumateViewport *viewport = park_lot_map_get_viewport (self->lot_map);
  g_autofree char *text = NULL;
  double radius;

  g_clear_handle_id (&self->search_id, g_source_remove);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  self->search_cancellable = g_cancellable_new ();
  park_lot_map_get_visible_radius (self->lot_map, &radius);
  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  /* A name or street typed: those lots wherever they are, nearest to the map's centre first;
   * else the lots the map shows. */
  if (*text != '\0' && g_utf8_strlen (text, -1) <= 100)
    park_client_search_lots_named_async (self->client, text,
                                         shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                                         shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                                         self->spot_type, 0, 100,
                                         self->search_cancellable, search_cb, self);
  else
    park_client_search_lots_near_async (self->client,
                                        shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                                        shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                                        CLAMP (radius, 500, 50000), self->spot_type, 0, 200,
                                        self->search_cancellable, search_cb, self);
  update_list_stack (self);
}

static gboolean
search_timeout_cb (gpointer user_data)
{
  ParkWindow *self = user_data;

  self->search_id = 0;
  /* The view settled: it is the one the next start restores. */
  save_view (self);
  search_now (self);
  return G_SOURCE_REMOVE;
}

static void
viewport_changed_cb (ParkWindow *self)
{
  if (!self->view_ready)
    return;
  g_clear_handle_id (&self->search_id, g_source_remove);
  self->search_id = g_timeout_add (SEARCH_DELAY_MS, search_timeout_cb, self);
}

/* The list filters what it has at once (the same way parkd does), and parkd is asked for
 * the lots of that name everywhere. */
static void
search_text_changed_cb (ParkWindow *self)
{
  filters_changed_cb (self);
  if (self->view_ready)
    search_now (self);
}

static void
spot_type_changed_cb (ParkWindow *self)
{
  guint i = gtk_drop_down_get_selected (self->spot_type_dropdown);

  self->spot_type = i < G_N_ELEMENTS (dropdown_types) ? dropdown_types[i] : PARK_SPOT_TYPE_ANY;
  park_lot_map_set_spot_type (self->lot_map, self->spot_type);
  if (self->view_ready)
    search_now (self);
}

static void
info_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ParkWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkServerInfo) info = park_client_get_info_finish (PARK_CLIENT (source), result,
                                                                &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (info != NULL && park_server_info_get_has_bounds (info))
    park_lot_map_fit_bounds (self->lot_map,
                             park_server_info_get_min_longitude (info),
                             park_server_info_get_min_latitude (info),
                             park_server_info_get_max_longitude (info),
                             park_server_info_get_max_latitude (info));
  else if (error != NULL)
    g_debug ("No server info for the first view: %s", error->message);
  self->view_ready = TRUE;
  search_now (self);
}

static gboolean
start_view_cb (gpointer user_data)
{
  ParkWindow *self = user_data;

  /* Fitting the server's lots to the map needs the map's size: wait for its first. */
  if (gtk_widget_get_width (GTK_WIDGET (self->lot_map)) <= 0)
    return G_SOURCE_CONTINUE;
  self->start_id = 0;
  if (g_settings_get_boolean (self->settings, "has-saved-view"))
    {
      ShumateViewport *viewport = park_lot_map_get_viewport (self->lot_map);

      shumate_viewport_set_zoom_level (viewport, g_settings_get_double (self->settings, "map-zoom"));
      shumate_location_set_location (SHUMATE_LOCATION (viewport),
                                     g_settings_get_double (self->settings, "map-latitude"),
                                     g_settings_get_double (self->settings, "map-longitude"));
      self->view_ready = TRUE;
      search_now (self);
    }
  else
    park_client_get_info_async (self->client, self->cancellable, info_cb, self);
  return G_SOURCE_REMOVE;
}

static void
save_view (ParkWindow *self)
{
  ShumateViewport *viewport;

  if (!self->view_ready || self->settings == NULL)
    return;
  viewport = park_lot_map_get_viewport (self->lot_map);
  g_settings_set_double (self->settings, "map-latitude",
                         CLAMP (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)), -85, 85));
  g_settings_set_double (self->settings, "map-longitude",
                         CLAMP (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), -180, 180));
  g_settings_set_double (self->settings, "map-zoom",
                         CLAMP (shumate_viewport_get_zoom_level (viewport), 2, 19));
  g_settings_set_boolean (self->settings, "has-saved-view", TRUE);
}

/* Kiosk: after a while with no touch, the next driver gets the start screen and nothing of
 * the last one: signed out, dialogs closed, search and booking forgotten. */

static void show_page (ParkWindow *self, const char *name, gboolean push);

static void
kiosk_sign_out_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!park_client_sign_out_finish (PARK_CLIENT (source), result, &error))
    g_debug ("Kiosk sign-out: %s", error->message);
}

static void
go_to_start (ParkWindow *self)
{
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (gtk_window_get_transient_for (l->data) == GTK_WINDOW (self))
      gtk_window_destroy (l->data);
  g_list_free (toplevels);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_toggle_button_set_active (self->open_now_button, FALSE);
  gtk_drop_down_set_selected (self->spot_type_dropdown, 0);
  park_booking_page_reset (self->booking_page);
  park_reservations_page_reset (self->reservations_page);
  g_ptr_array_set_size (self->back_stack, 0);
  if (self->start_lot != NULL)
    {
      park_window_open_lot (self, self->start_lot);
      g_ptr_array_set_size (self->back_stack, 0);
      gtk_widget_set_visible (self->back_button, FALSE);
    }
  else
    show_page (self, "browse", FALSE);
}

/* The last driver's unpaid card booking is given back with their sign-in, before it ends. */
static void
kiosk_released_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ParkClient) client = user_data;

  park_booking_page_release_finish (PARK_BOOKING_PAGE (source), result, NULL);
  if (park_client_get_signed_in (client))
    park_client_sign_out_async (client, NULL, kiosk_sign_out_cb, NULL);
}

static gboolean
kiosk_idle_cb (gpointer user_data)
{
  ParkWindow *self = user_data;

  self->idle_id = 0;
  if (park_client_get_signed_in (self->client))
    park_booking_page_release_async (self->booking_page, kiosk_released_cb,
                                     g_object_ref (self->client));
  go_to_start (self);
  return G_SOURCE_REMOVE;
}

static void
kiosk_activity_cb (ParkWindow *self)
{
  if (!self->kiosk)
    return;
  g_clear_handle_id (&self->idle_id, g_source_remove);
  self->idle_id = g_timeout_add (self->idle_ms, kiosk_idle_cb, self);
}

static void
setup_kiosk (ParkWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_autofree char *lot = g_settings_get_string (self->settings, "kiosk-lot");

  gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk");
  park_booking_page_set_kiosk (self->booking_page, TRUE);
  adw_header_bar_set_show_start_title_buttons (self->header_bar, FALSE);
  adw_header_bar_set_show_end_title_buttons (self->header_bar, FALSE);
  gtk_widget_set_visible (self->menu_button, FALSE);
  /* Full screen; the size too, for a kiosk screen with no window manager to honour it. */
  {
    GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
    g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
    GdkRectangle area;

    if (monitor != NULL)
      {
        gdk_monitor_get_geometry (monitor, &area);
        gtk_window_set_default_size (GTK_WINDOW (self), area.width, area.height);
      }
  }
  gtk_window_fullscreen (GTK_WINDOW (self));
  if (self->start_lot == NULL && *lot != '\0')
    self->start_lot = g_strdup (lot);

  /* Any touch, click, key or scroll counts as a driver being there. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (kiosk_activity_cb), self);
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (kiosk_activity_cb), self);
  g_signal_connect_swapped (scroll, "scroll", G_CALLBACK (kiosk_activity_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  self->idle_ms = g_settings_get_uint (self->settings, "kiosk-timeout") * 1000;
  kiosk_activity_cb (self);
}

static void
reservation_event_cb (ParkLiveFeed *feed,
                      const char   *event,
                      const char   *reservation_id,
                      ParkWindow   *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GNotification) notification = NULL;

  if (app == NULL || g_strcmp0 (event, "ReservationEndingSoon") != 0)
    return;
  notification = g_notification_new (_("Your Parking Ends in 15 Minutes"));
  g_notification_set_body (notification, _("Extend your booking in My Reservations to stay longer."));
  g_notification_set_default_action (notification, "app.show-reservations");
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_application_send_notification (app, reservation_id, notification);
}

/* Navigation */

static void
show_page (ParkWindow *self,
           const char *name,
           gboolean    push)
{
  const char *current = gtk_stack_get_visible_child_name (self->pages);

  if (push && g_strcmp0 (current, name) != 0)
    g_ptr_array_add (self->back_stack, g_strdup (current));
  gtk_stack_set_visible_child_name (self->pages, name);
  gtk_widget_set_visible (self->back_button, !g_str_equal (name, "browse"));
  adw_window_title_set_subtitle (self->window_title,
                                 g_str_equal (name, "browse") ? NULL
                                 : gtk_stack_page_get_title (gtk_stack_get_page (
                                     self->pages, gtk_stack_get_visible_child (self->pages))));
  if (g_str_equal (name, "browse"))
    g_ptr_array_set_size (self->back_stack, 0);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ParkWindow *self = PARK_WINDOW (widget);
  g_autofree char *previous = NULL;

  if (self->back_stack->len == 0)
    {
      show_page (self, "browse", FALSE);
      return;
    }
  previous = g_strdup (g_ptr_array_index (self->back_stack, self->back_stack->len - 1));
  g_ptr_array_remove_index (self->back_stack, self->back_stack->len - 1);
  show_page (self, previous, FALSE);
}

static void
home_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ParkWindow *self = PARK_WINDOW (widget);

  if (self->kiosk)
    go_to_start (self);
  else
    show_page (self, "browse", FALSE);
}

static void
open_lot_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  park_window_open_lot (PARK_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
book_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ParkWindow *self = PARK_WINDOW (widget);
  ParkLot *lot = park_lot_page_get_lot (self->lot_page);
  const char *spot_id = g_variant_get_string (param, NULL);

  if (lot == NULL)
    return;
  park_booking_page_start (self->booking_page, lot, *spot_id != '\0' ? spot_id : NULL);
  show_page (self, "booking", TRUE);
}

static void
show_reservations_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  ParkWindow *self = PARK_WINDOW (widget);

  park_reservations_page_reload (self->reservations_page);
  show_page (self, "reservations", TRUE);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  ParkWindow *self = PARK_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->pages);

  search_now (self);
  if (g_strcmp0 (page, "lot") == 0)
    park_lot_page_reload (self->lot_page);
  else if (g_strcmp0 (page, "reservations") == 0)
    park_reservations_page_reload (self->reservations_page);
  else if (g_strcmp0 (page, "operator") == 0)
    park_operator_page_reload (self->operator_page);
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ParkWindow *self = PARK_WINDOW (widget);

  show_page (self, "browse", FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
update_sign_in_actions (ParkWindow *self)
{
  gboolean signed_in = park_client_get_signed_in (self->client);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-in", !signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.account", signed_in);
}

/* The operator pages are for operators and admins: the account's role decides, asked of the
 * server after each sign-in, so a driver never sees them. */
static void
set_operator (ParkWindow *self,
              gboolean    is_operator)
{
  self->is_operator = is_operator && !self->kiosk;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.operator", self->is_operator);
  gtk_widget_set_visible (self->operator_button, self->is_operator);
  if (!self->is_operator && g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "operator") == 0)
    show_page (self, "browse", FALSE);
}

static void
me_cb (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  ParkWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkUser) me = park_client_get_me_finish (PARK_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (me == NULL)
    g_debug ("Who is signed in: %s", error->message);
  set_operator (self, me != NULL && (park_user_get_role (me) == PARK_USER_ROLE_OPERATOR ||
                                     park_user_get_role (me) == PARK_USER_ROLE_ADMIN));
}

static void
check_role (ParkWindow *self)
{
  g_cancellable_cancel (self->me_cancellable);
  g_clear_object (&self->me_cancellable);
  if (!park_client_get_signed_in (self->client) || self->kiosk)
    {
      set_operator (self, FALSE);
      return;
    }
  self->me_cancellable = g_cancellable_new ();
  park_client_get_me_async (self->client, self->me_cancellable, me_cb, self);
}

static void
operator_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  ParkWindow *self = PARK_WINDOW (widget);

  if (!self->is_operator)
    return;
  park_operator_page_reload (self->operator_page);
  show_page (self, "operator", TRUE);
}

static void
signed_in_cb (ParkClient *client,
              GParamSpec *pspec,
              ParkWindow *self)
{
  update_sign_in_actions (self);
  check_role (self);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "reservations") == 0)
    park_reservations_page_reload (self->reservations_page);
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  ParkWindow *self = PARK_WINDOW (widget);

  park_sign_in_dialog_present (self->client, GTK_WINDOW (self), NULL, NULL);
}

static void
account_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  ParkWindow *self = PARK_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (park_account_dialog_new (self->client, GTK_WINDOW (self))));
}

static void
sign_out_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!park_client_sign_out_finish (PARK_CLIENT (source), result, &error))
    g_debug ("Signing out: %s", error->message);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  ParkWindow *self = PARK_WINDOW (widget);

  park_client_sign_out_async (self->client, self->cancellable, sign_out_cb, self);
}

static gboolean
park_window_close_request (GtkWindow *window)
{
  save_view (PARK_WINDOW (window));
  return GTK_WINDOW_CLASS (park_window_parent_class)->close_request (window);
}

static void
park_window_constructed (GObject *object)
{
  ParkWindow *self = PARK_WINDOW (object);
  g_autoptr(ShumateRasterRenderer) renderer = NULL;
  g_autofree char *url = NULL;
  g_autofree char *mbtiles = NULL;

  G_OBJECT_CLASS (park_window_parent_class)->constructed (object);

  g_assert (self->client != NULL);
  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);

  load_style (gtk_widget_get_display (GTK_WIDGET (self)));
  g_signal_connect_object (adw_style_manager_get_default (), "notify::high-contrast",
                           G_CALLBACK (update_high_contrast), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::high-contrast",
                           G_CALLBACK (update_high_contrast), self, G_CONNECT_SWAPPED);
  update_high_contrast (self);

  self->feed = park_live_feed_new (self->client);
  g_signal_connect (self->feed, "notify::state", G_CALLBACK (feed_state_cb), self);
  g_signal_connect (self->feed, "reservation-event", G_CALLBACK (reservation_event_cb), self);
  park_live_feed_watch (self->feed, G_LIST_MODEL (self->lots));
  park_live_feed_start (self->feed);
  update_connection (self);

  g_signal_connect_object (self->client, "notify::signed-in", G_CALLBACK (signed_in_cb), self, 0);
  update_sign_in_actions (self);
  park_operator_page_set_client (self->operator_page, self->client);

  url = g_settings_get_string (self->settings, "tile-url-template");
  mbtiles = g_settings_get_string (self->settings, "tile-mbtiles");
  self->tile_source = park_tile_source_new (url, mbtiles);
  g_signal_connect (self->tile_source, "notify::offline", G_CALLBACK (tile_source_offline_cb), self);
  renderer = shumate_raster_renderer_new_full ("parkade", _("Street map"),
                                               "© OpenStreetMap contributors",
                                               "https://www.openstreetmap.org/copyright",
                                               0, 19, 256, SHUMATE_MAP_PROJECTION_MERCATOR,
                                               SHUMATE_DATA_SOURCE (self->tile_source));
  park_lot_map_set_map_source (self->lot_map, SHUMATE_MAP_SOURCE (renderer));
  tile_source_offline_cb (self->tile_source, NULL, self);

  park_lot_page_set_client (self->lot_page, self->client, self->feed);
  park_booking_page_set_client (self->booking_page, self->client);
  park_reservations_page_set_client (self->reservations_page, self->client, self->feed);

  if (self->kiosk || g_settings_get_boolean (self->settings, "kiosk"))
    {
      self->kiosk = TRUE;
      setup_kiosk (self);
    }
  check_role (self);

  /* A timeout, not a low-priority idle: a busy map (tiles fading in, a slow renderer) keeps
   * the main loop from ever going idle, and the first lots would never be asked for. */
  self->start_id = g_timeout_add (20, start_view_cb, self);
  if (self->start_lot != NULL)
    go_to_start (self);
}

static void
park_window_dispose (GObject *object)
{
  ParkWindow *self = PARK_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_cancellable_cancel (self->me_cancellable);
  g_clear_object (&self->me_cancellable);
  g_clear_handle_id (&self->search_id, g_source_remove);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_clear_handle_id (&self->start_id, g_source_remove);
  if (self->feed != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->feed, self);
      park_live_feed_stop (self->feed);
    }
  if (self->tile_source != NULL)
    g_signal_handlers_disconnect_by_data (self->tile_source, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARK_TYPE_WINDOW);
  g_clear_object (&self->feed);
  g_clear_object (&self->tile_source);
  g_clear_object (&self->search_cancellable);
  g_clear_object (&self->visible_lots);
  g_clear_object (&self->lots);
  G_OBJECT_CLASS (park_window_parent_class)->dispose (object);
}

static void
park_window_finalize (GObject *object)
{
  ParkWindow *self = PARK_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->back_stack, g_ptr_array_unref);
  g_free (self->start_lot);
  G_OBJECT_CLASS (park_window_parent_class)->finalize (object);
}

static void
park_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  ParkWindow *self = PARK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_KIOSK:
      self->kiosk = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
park_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ParkWindow *self = PARK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_KIOSK:
      g_value_set_boolean (value, self->kiosk);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
park_window_class_init (ParkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = park_window_constructed;
  object_class->dispose = park_window_dispose;
  object_class->finalize = park_window_finalize;
  object_class->set_property = park_window_set_property;
  object_class->get_property = park_window_get_property;
  window_class->close_request = park_window_close_request;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, PARK_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIOSK] =
    g_param_spec_boolean ("kiosk", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PARK_TYPE_LOT_MAP);
  g_type_ensure (PARK_TYPE_LOT_PAGE);
  g_type_ensure (PARK_TYPE_BOOKING_PAGE);
  g_type_ensure (PARK_TYPE_RESERVATIONS_PAGE);
  g_type_ensure (PARK_TYPE_OPERATOR_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/parkade/Parkade/ui/park-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, connection_box);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, connection_icon);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, connection_label);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, server_banner);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, server_banner_label);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, map_banner);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, map_banner_label);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, spot_type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, open_now_button);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, empty_status);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, lot_list);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, lot_map);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, lot_page);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, booking_page);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, reservations_page);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, operator_page);
  gtk_widget_class_bind_template_child (widget_class, ParkWindow, operator_button);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.home", NULL, home_action);
  gtk_widget_class_install_action (widget_class, "win.open-lot", "s", open_lot_action);
  gtk_widget_class_install_action (widget_class, "win.book", "s", book_action);
  gtk_widget_class_install_action (widget_class, "win.show-reservations", NULL,
                                   show_reservations_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.focus-search", NULL, focus_search_action);
  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.account", NULL, account_action);
  gtk_widget_class_install_action (widget_class, "win.operator", NULL, operator_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.focus-search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
}

static void
park_window_init (ParkWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  ShumateViewport *viewport;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->back_stack = g_ptr_array_new_with_free_func (g_free);
  self->spot_type = PARK_SPOT_TYPE_ANY;
  self->lots = g_list_store_new (PARK_TYPE_LOT);
  self->filter = gtk_custom_filter_new (lot_matches, self, NULL);
  self->visible_lots = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->lots)),
                                                  GTK_FILTER (self->filter));
  g_signal_connect_swapped (self->visible_lots, "items-changed",
                            G_CALLBACK (update_list_stack), self);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->lot_list, factory);
  {
    g_autoptr(GtkNoSelection) selection =
      gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->visible_lots)));

    gtk_list_view_set_model (self->lot_list, GTK_SELECTION_MODEL (selection));
  }
  g_signal_connect (self->lot_list, "activate", G_CALLBACK (list_activate_cb), self);

  park_lot_map_set_lots (self->lot_map, G_LIST_MODEL (self->visible_lots));
  g_signal_connect (self->lot_map, "lot-activated", G_CALLBACK (map_lot_activated_cb), self);
  viewport = park_lot_map_get_viewport (self->lot_map);
  g_signal_connect_swapped (viewport, "notify::latitude", G_CALLBACK (viewport_changed_cb), self);
  g_signal_connect_swapped (viewport, "notify::longitude", G_CALLBACK (viewport_changed_cb), self);
  g_signal_connect_swapped (viewport, "notify::zoom-level", G_CALLBACK (viewport_changed_cb), self);

  g_signal_connect_swapped (self->search_entry, "search-changed",
                            G_CALLBACK (search_text_changed_cb), self);
  g_signal_connect_swapped (self->open_now_button, "toggled", G_CALLBACK (filters_changed_cb), self);
  g_signal_connect_swapped (self->spot_type_dropdown, "notify::selected",
                            G_CALLBACK (spot_type_changed_cb), self);
  gtk_stack_set_visible_child_name (self->list_stack, "loading");
}

ParkWindow *
park_window_new (GtkApplication *application,
                 ParkClient     *client,
                 GSettings      *settings)
{
  return g_object_new (PARK_TYPE_WINDOW,
                       "application", application,
                       "client", client,
                       "settings", settings,
                       NULL);
}

ParkWindow *
park_window_new_kiosk (GtkApplication *application,
                       ParkClient     *client,
                       GSettings      *settings,
                       const char     *lot_id)
{
  ParkWindow *self;

  /* The start lot is known before construction ends, so the first screen is its page. */
  self = g_object_new (PARK_TYPE_WINDOW,
                       "application", application,
                       "client", client,
                       "settings", settings,
                       "kiosk", TRUE,
                       NULL);
  if (lot_id != NULL)
    {
      g_free (self->start_lot);
      self->start_lot = g_strdup (lot_id);
      go_to_start (self);
    }
  return self;
}

gboolean
park_window_get_kiosk (ParkWindow *self)
{
  g_return_val_if_fail (PARK_IS_WINDOW (self), FALSE);
  return self->kiosk;
}

ParkClient *
park_window_get_client (ParkWindow *self)
{
  g_return_val_if_fail (PARK_IS_WINDOW (self), NULL);
  return self->client;
}

ParkLiveFeed *
park_window_get_live_feed (ParkWindow *self)
{
  g_return_val_if_fail (PARK_IS_WINDOW (self), NULL);
  return self->feed;
}

GListModel *
park_window_get_lots (ParkWindow *self)
{
  g_return_val_if_fail (PARK_IS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->visible_lots);
}

void
park_window_open_lot (ParkWindow *self,
                      const char *lot_id)
{
  ParkLot *known = NULL;

  g_return_if_fail (PARK_IS_WINDOW (self));
  g_return_if_fail (lot_id != NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->lots)); i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (G_LIST_MODEL (self->lots), i);

      if (g_str_equal (park_lot_get_id (lot), lot_id))
        known = lot;
    }
  park_lot_page_show (self->lot_page, lot_id, known);
  show_page (self, "lot", TRUE);
}

ParkLotMap *
_park_window_get_lot_map (ParkWindow *self)
{
  return self->lot_map;
}

ParkLotPage *
_park_window_get_lot_page (ParkWindow *self)
{
  return self->lot_page;
}

ParkBookingPage *
_park_window_get_booking_page (ParkWindow *self)
{
  return self->booking_page;
}

ParkReservationsPage *
_park_window_get_reservations_page (ParkWindow *self)
{
  return self->reservations_page;
}

ParkOperatorPage *
_park_window_get_operator_page (ParkWindow *self)
{
  return self->operator_page;
}

gboolean
_park_window_get_is_operator (ParkWindow *self)
{
  return self->is_operator;
}

const char *
_park_window_get_page_name (ParkWindow *self)
{
  return gtk_stack_get_visible_child_name (self->pages);
}

gboolean
_park_window_get_map_offline (ParkWindow *self)
{
  return gtk_revealer_get_reveal_child (self->map_banner);
}

gboolean
_park_window_get_server_unreachable (ParkWindow *self)
{
  return gtk_revealer_get_reveal_child (self->server_banner);
}

guint
_park_window_get_searches (ParkWindow *self)
{
  return self->searches;
}

void
_park_window_set_kiosk_timeout_ms (ParkWindow *self,
                                   guint       ms)
{
  self->idle_ms = ms;
  kiosk_activity_cb (self);
}

void
_park_window_kiosk_activity (ParkWindow *self)
{
  kiosk_activity_cb (self);
}
