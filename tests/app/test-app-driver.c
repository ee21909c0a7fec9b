/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-app-driver.c: the driver's flow in the real window against the real parkd (demo city)
 * and a tile server of our own: the map shows the demo lots, search and filters narrow the
 * list, a booking made from a lot's page appears in My reservations (and is extended and
 * cancelled there), a lot filling up elsewhere changes its marker, the offline-map banner
 * appears when the tile server goes down, and cached lots are marked stale when parkd does.
 * Lots too close together on the map share a group marker: no marker hides another, and a
 * group tapped zooms in (or lists its lots at the closest zoom).
 *
 * With PARK_TEST_SCREENSHOTS=DIR set, the screens are saved there as PNG (import -window root).
 */
#include "config.h"

#include <adwaita.h>
#include <park-core.h>

#include "park-test-app.h"
#include "park-test-backend.h"
#include "park-test-tiles.h"
#include "park-test-utils.h"
#include "park-account-dialog.h"
#include "park-tile-source.h"
#include "park-window-private.h"

/* The shared waits (park-test-app.c), with this file's fixture. */
#define WAIT_S PARK_TEST_APP_WAIT_S
#define wait_until(f, condition, data, what) \
  park_test_app_wait_until ((ParkTestAppCondition) (condition), (f), (data), (what))
#define settle(ms) park_test_app_settle (ms)
#define screenshot(f, name) park_test_app_screenshot (name)
#define PASSWORD "correct horse battery"

typedef struct
{
  ParkTestBackend    *backend;
  ParkTestTileServer *tiles;
  ParkClient         *client;
  GSettings          *settings;
  ParkWindow         *window;
  char               *cache_dir;
} Fixture;

static gboolean
has_lots (Fixture  *f,
          gpointer  data)
{
  return g_list_model_get_n_items (park_window_get_lots (f->window)) > GPOINTER_TO_UINT (data);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const args[] = { "--demo", "--auth-rate-limit", "0", NULL };
  g_autoptr(ParkCredentials) credentials = park_memory_credentials_new ();

  f->backend = park_test_backend_new ();
  park_test_backend_start (f->backend, args);
  f->tiles = park_test_tile_server_new (0);
  f->cache_dir = g_build_filename (f->backend->tmpdir, "cache", NULL);

  f->settings = park_test_app_settings_new (f->tiles);

  f->client = park_client_new (f->backend->url, credentials);
  park_client_set_cache_dir (f->client, f->cache_dir);
  f->window = park_window_new (NULL, f->client, f->settings);
  gtk_window_maximize (GTK_WINDOW (f->window));
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until (f, has_lots, GUINT_TO_POINTER (0), "the first lots");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  settle (50);
  g_clear_object (&f->client);
  g_clear_object (&f->settings);
  g_clear_pointer (&f->tiles, park_test_tile_server_free);
  g_clear_pointer (&f->backend, park_test_backend_free);
  g_free (f->cache_dir);
}

static ParkLot *
lot_named (Fixture    *f,
           const char *name)
{
  return park_test_app_find_named (park_window_get_lots (f->window), "name", name);
}

static const char *
marker_text (Fixture *f,
             ParkLot *lot)
{
  GtkWidget *button = park_lot_map_get_marker_for (_park_window_get_lot_map (f->window), lot);
  GtkWidget *box;

  g_assert_nonnull (button);
  box = gtk_button_get_child (GTK_BUTTON (button));
  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_last_child (box)));
}

static gboolean tiles_requested (Fixture *f, gpointer data);

static void
test_map_shows_demo_lots (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(ParkTestResponse) info = park_test_get (f->backend, "api/v1/info");
  JsonArray *bbox = json_object_get_array_member (park_test_response_object (info), "bbox");
  ShumateViewport *viewport = park_lot_map_get_viewport (_park_window_get_lot_map (f->window));
  GListModel *lots = park_window_get_lots (f->window);
  double lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  double lng = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  double last = -1;

  /* A first start fits the map to the server's lots: the centre lies in their box. */
  g_assert_cmpfloat (lng, >, json_array_get_double_element (bbox, 0));
  g_assert_cmpfloat (lat, >, json_array_get_double_element (bbox, 1));
  g_assert_cmpfloat (lng, <, json_array_get_double_element (bbox, 2));
  g_assert_cmpfloat (lat, <, json_array_get_double_element (bbox, 3));
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), >=, 10);

  /* Every demo lot is on the map, with its free spots as its marker's number, and the list
   * is sorted by distance. */
  g_assert_cmpint (g_list_model_get_n_items (lots), ==,
                   json_object_get_int_member (json_object_get_object_member (
                     park_test_response_object (info), "counts"), "lots"));
  for (guint i = 0; i < g_list_model_get_n_items (lots); i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);
      g_autofree char *count = g_strdup_printf ("%u", park_lot_get_available (lot, PARK_SPOT_TYPE_ANY));

      if (park_lot_get_status (lot) == PARK_LOT_STATUS_OPEN)
        g_assert_cmpstr (marker_text (f, lot), ==, count);
      g_assert_cmpfloat (park_lot_get_distance (lot), >=, last);
      last = park_lot_get_distance (lot);
    }
  g_assert_nonnull (lot_named (f, "Tiefgarage Altmarkt"));
  g_assert_false (_park_window_get_map_offline (f->window));
  g_assert_false (_park_window_get_server_unreachable (f->window));
  /* The map under the markers comes from the tile server (the lots may come first). */
  wait_until (f, tiles_requested, NULL, "the map's tiles");
  g_assert_cmpuint (park_test_tile_server_get_requests (f->tiles), >, 0);
  screenshot (f, "main-window.png");
}

static gboolean searches_done (Fixture *f, gpointer data);

static void
test_later_start_restores_view (Fixture       *f,
                                gconstpointer  data)
{
  ShumateViewport *viewport = park_lot_map_get_viewport (_park_window_get_lot_map (f->window));
  guint searches = _park_window_get_searches (f->window);

  /* The driver moves to the Neustadt and zooms in; the view is searched, then kept */
  shumate_viewport_set_zoom_level (viewport, 15);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), 51.0655, 13.7510);
  wait_until (f, searches_done, GUINT_TO_POINTER (searches), "the search of the new view");
  gtk_window_destroy (GTK_WINDOW (f->window));

  /* The next start shows the same view, not the server's whole box */
  f->window = park_window_new (NULL, f->client, f->settings);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until (f, has_lots, GUINT_TO_POINTER (0), "the lots of the restored view");
  viewport = park_lot_map_get_viewport (_park_window_get_lot_map (f->window));
  g_assert_cmpfloat_with_epsilon (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)), 51.0655, 1e-4);
  g_assert_cmpfloat_with_epsilon (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), 13.7510, 1e-4);
  g_assert_cmpfloat_with_epsilon (shumate_viewport_get_zoom_level (viewport), 15, 1e-6);
}

static gboolean lot_page_has_spots (Fixture *f, gpointer data);

/* Everything a driver needs is reachable with Tab alone: the search, the filters, the list
 * and the map's markers (buttons named for screen readers). */
static void
test_keyboard_reaches_everything (Fixture       *f,
                                  gconstpointer  data)
{
  ParkLotMap *map = _park_window_get_lot_map (f->window);
  gboolean search = FALSE, marker = FALSE, list = FALSE, reservations = FALSE;
  ParkLot *altmarkt = lot_named (f, "Tiefgarage Altmarkt");

  for (guint i = 0; i < 400 && !(search && marker && list && reservations); i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD))
        gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (f->window));
      for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
        {
          if (GTK_IS_SEARCH_ENTRY (w))
            search = TRUE;
          if (GTK_IS_LIST_VIEW (w))
            list = TRUE;
          if (gtk_widget_has_css_class (w, "lot-marker"))
            marker = TRUE;
          if (GTK_IS_BUTTON (w) &&
              g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), "win.show-reservations") == 0)
            reservations = TRUE;
        }
    }
  g_assert_true (search);
  g_assert_true (list);
  g_assert_true (marker);
  g_assert_true (reservations);

  /* A marker activated from the keyboard opens its lot */
  gtk_widget_activate (park_lot_map_get_marker_for (map, altmarkt));
  wait_until (f, lot_page_has_spots, NULL, "the lot opened from its marker");
  g_assert_cmpstr (park_lot_get_id (park_lot_page_get_lot (_park_window_get_lot_page (f->window))),
                   ==, park_lot_get_id (altmarkt));
}

static gboolean
list_has_n (Fixture  *f,
            gpointer  data)
{
  return g_list_model_get_n_items (park_window_get_lots (f->window)) == GPOINTER_TO_UINT (data);
}

static gboolean
searches_done (Fixture  *f,
               gpointer  data)
{
  return _park_window_get_searches (f->window) > GPOINTER_TO_UINT (data);
}

static void
test_search_and_filters (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *entry = NULL;
  GListModel *lots = park_window_get_lots (f->window);
  guint all = g_list_model_get_n_items (lots), searches, open = 0;

  /* Find the search entry as a person would: by focusing it with Ctrl+F's action. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.focus-search", NULL);
  entry = gtk_root_get_focus (GTK_ROOT (f->window));
  while (entry != NULL && !GTK_IS_SEARCH_ENTRY (entry))
    entry = gtk_widget_get_parent (entry);
  g_assert_nonnull (entry);

  gtk_editable_set_text (GTK_EDITABLE (entry), "altmarkt");
  g_signal_emit_by_name (entry, "search-changed");
  wait_until (f, list_has_n, GUINT_TO_POINTER (2), "two Altmarkt lots");
  for (guint i = 0; i < g_list_model_get_n_items (lots); i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);
      g_autofree char *text = g_strconcat (park_lot_get_name (lot), park_lot_get_address (lot), NULL);
      g_autofree char *folded = g_utf8_casefold (text, -1);

      g_assert_nonnull (strstr (folded, "altmarkt"));
    }
  /* By address: a street, not a lot's name */
  gtk_editable_set_text (GTK_EDITABLE (entry), "Lingnerplatz");
  g_signal_emit_by_name (entry, "search-changed");
  wait_until (f, list_has_n, GUINT_TO_POINTER (1), "the lot on Lingnerplatz");
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_signal_emit_by_name (entry, "search-changed");
  wait_until (f, list_has_n, GUINT_TO_POINTER (all), "every lot again");

  /* Spot type: EV asks parkd again, for lots with EV spots */
  searches = _park_window_get_searches (f->window);
  {
    GtkWidget *w = entry;
    GtkDropDown *dropdown;

    while (!GTK_IS_BOX (gtk_widget_get_parent (w)) || gtk_widget_get_next_sibling (w) == NULL)
      w = gtk_widget_get_parent (w);
    dropdown = GTK_DROP_DOWN (gtk_widget_get_first_child (gtk_widget_get_next_sibling (w)));
    gtk_drop_down_set_selected (dropdown, 1);
    wait_until (f, searches_done, GUINT_TO_POINTER (searches), "the EV search");
    g_assert_cmpuint (g_list_model_get_n_items (lots), <, all);
    for (guint i = 0; i < g_list_model_get_n_items (lots); i++)
      {
        g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);
        g_autofree char *free_ev = g_strdup_printf ("%u", park_lot_get_available (lot,
                                                                          PARK_SPOT_TYPE_EV));

        g_assert_cmpuint (park_lot_get_total (lot, PARK_SPOT_TYPE_EV), >, 0);
        g_assert_cmpstr (marker_text (f, lot), ==, free_ev);
      }
    gtk_drop_down_set_selected (dropdown, 0);
    wait_until (f, list_has_n, GUINT_TO_POINTER (all), "every lot again");

    /* Open now: the toggle beside it */
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (gtk_widget_get_next_sibling (
                                    GTK_WIDGET (dropdown))), TRUE);
  }
  g_assert_cmpuint (g_list_model_get_n_items (lots), <=, all);
  for (guint i = 0; i < g_list_model_get_n_items (lots); i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);

      g_assert_true (park_lot_get_open_now (lot));
      open++;
    }
  g_assert_cmpuint (open, >, 0);
}

/* A driver far from a lot types its name, without the accent, and finds it: parkd is asked
 * for lots of that name everywhere, not only those on the map. */
static void
test_search_by_name_anywhere (Fixture       *f,
                              gconstpointer  data)
{
  ShumateViewport *viewport = park_lot_map_get_viewport (_park_window_get_lot_map (f->window));
  GListModel *lots = park_window_get_lots (f->window);
  GtkWidget *entry;
  guint searches = _park_window_get_searches (f->window);
  g_autoptr(ParkLot) found = NULL;

  /* Munich: no demo lot for hundreds of kilometres. */
  shumate_viewport_set_zoom_level (viewport, 14);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), 48.137, 11.575);
  wait_until (f, searches_done, GUINT_TO_POINTER (searches), "a search in Munich");
  wait_until (f, list_has_n, GUINT_TO_POINTER (0), "no lots in Munich");

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.focus-search", NULL);
  entry = gtk_root_get_focus (GTK_ROOT (f->window));
  while (entry != NULL && !GTK_IS_SEARCH_ENTRY (entry))
    entry = gtk_widget_get_parent (entry);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "glaserne");
  g_signal_emit_by_name (entry, "search-changed");
  wait_until (f, list_has_n, GUINT_TO_POINTER (1), "the lot named Gläserne");
  found = g_list_model_get_item (lots, 0);
  g_assert_cmpstr (park_lot_get_name (found), ==, "Tiefgarage Gläserne Manufaktur");
  /* Its distance is from where the map is: Dresden is some 360 km away. */
  g_assert_cmpfloat (park_lot_get_distance (found), >, 300000);
  park_test_app_screenshot ("search-anywhere.png");
}

static gboolean
lot_page_has_spots (Fixture  *f,
                    gpointer  data)
{
  ParkLotPage *page = _park_window_get_lot_page (f->window);

  return park_lot_page_get_lot (page) != NULL && park_lot_page_get_n_spots (page) > 0;
}

static gboolean
has_quote (Fixture  *f,
           gpointer  data)
{
  ParkBookingPage *page = _park_window_get_booking_page (f->window);

  return park_booking_page_get_quote (page) != NULL;
}

static gboolean
quote_refused_code (Fixture  *f,
                    gpointer  data)
{
  ParkBookingPage *page = _park_window_get_booking_page (f->window);

  return park_booking_page_get_quote (page) != NULL && park_booking_page_get_error (page) != NULL &&
         strstr (park_booking_page_get_error (page), "not valid") != NULL;
}

static gboolean
quote_discounted (Fixture  *f,
                  gpointer  data)
{
  ParkQuote *quote = park_booking_page_get_quote (_park_window_get_booking_page (f->window));

  return quote != NULL && park_price_breakdown_get_discount (park_quote_get_breakdown (quote)) > 0;
}

static void
add_discount_code (Fixture    *f,
                   const char *code)
{
  g_autofree char *token = park_test_app_operator_token (f->backend, "op@example.org",
                                                         PASSWORD);
  g_autofree char *body = g_strdup_printf ("{\"code\":\"%s\",\"percent_off\":25}", code);
  g_autoptr(ParkTestResponse) made = park_test_call (f->backend, token, "POST",
                                                     "api/v1/admin/discount-codes", body);

  g_assert_cmpuint (made->status, ==, 201);
}

static gboolean
has_reservation (Fixture  *f,
                 gpointer  data)
{
  ParkBookingPage *page = _park_window_get_booking_page (f->window);

  g_assert_null (park_booking_page_get_error (page));
  return park_booking_page_get_reservation (page) != NULL;
}

static ParkReservation *
listed (Fixture    *f,
        const char *code)
{
  ParkReservationsPage *page = _park_window_get_reservations_page (f->window);

  return park_test_app_find_named (park_reservations_page_get_reservations (page), "code", code);
}

static gboolean
reservation_listed (Fixture  *f,
                    gpointer  data)
{
  return listed (f, data) != NULL;
}

static gboolean
reservation_in_state (Fixture  *f,
                      gpointer  data)
{
  const char *code = g_object_get_data (data, "code");
  ParkReservation *res = listed (f, code);

  return res != NULL &&
         park_reservation_get_status (res) ==
         GPOINTER_TO_INT (g_object_get_data (data, "status")) &&
         g_date_time_equal (park_reservation_get_end_time (res), g_object_get_data (data, "end"));
}

/* The live feed may refresh the list before the call's own answer says what happened. */
static gboolean
page_says (Fixture  *f,
           gpointer  data)
{
  const char *message = park_reservations_page_get_message (_park_window_get_reservations_page (f->window));

  return message != NULL && strstr (message, data) != NULL;
}

static void
test_booking_appears_in_reservations (Fixture       *f,
                                      gconstpointer  data)
{
  ParkLot *lot = lot_named (f, "Tiefgarage Altmarkt");
  ParkBookingPage *booking = _park_window_get_booking_page (f->window);
  ParkReservationsPage *reservations = _park_window_get_reservations_page (f->window);
  ParkQuote *quote;
  ParkReservation *res;
  g_autofree char *code = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GObject) expect = g_object_new (G_TYPE_OBJECT, NULL);
  GTimeSpan length;
  gint64 full_price;

  park_test_app_register (f->client, "dora@example.org", PASSWORD);
  g_assert_nonnull (lot);

  /* The lot's page, opened from the list's action, with its spots by level */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-lot", "s", park_lot_get_id (lot));
  g_assert_cmpstr (_park_window_get_page_name (f->window), ==, "lot");
  wait_until (f, lot_page_has_spots, NULL, "the lot's spots");
  screenshot (f, "lot-page.png");

  /* Book, letting the lot choose: the defaults are now and two hours */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.book", "s", "");
  g_assert_cmpstr (_park_window_get_page_name (f->window), ==, "booking");
  wait_until (f, has_quote, NULL, "a quote");
  quote = park_booking_page_get_quote (booking);
  length = g_date_time_difference (park_quote_get_end_time (quote), park_quote_get_start_time (quote));
  g_assert_cmpint (length, ==, 2 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (park_quote_get_total_cost (quote), >, 0);
  g_assert_cmpstr (park_quote_get_currency (quote), ==, "EUR");
  full_price = park_quote_get_total_cost (quote);
  screenshot (f, "booking.png");

  /* A code the lot does not know is refused in words, and the price stays whole */
  park_booking_page_apply_discount (booking, "NOPE");
  wait_until (f, quote_refused_code, NULL, "the unknown code refused");
  g_assert_cmpint (park_quote_get_total_cost (park_booking_page_get_quote (booking)), ==, full_price);

  /* The operator's code takes its quarter off, shown as a line of the breakdown */
  add_discount_code (f, "SPRING");
  park_booking_page_apply_discount (booking, "SPRING");
  wait_until (f, quote_discounted, NULL, "the discounted quote");
  quote = park_booking_page_get_quote (booking);
  g_assert_cmpint (park_quote_get_total_cost (quote), <, full_price);
  g_assert_cmpint (park_price_breakdown_get_discount (park_quote_get_breakdown (quote)), ==,
                   full_price - park_quote_get_total_cost (quote));
  g_assert_null (park_booking_page_get_error (booking));

  gtk_widget_activate_action (GTK_WIDGET (booking), "booking.book", NULL);
  wait_until (f, has_reservation, NULL, "the booking");
  res = park_booking_page_get_reservation (booking);
  code = g_strdup (park_reservation_get_code (res));
  g_assert_cmpint (park_reservation_get_total_cost (res), ==, park_quote_get_total_cost (quote));
  g_assert_cmpint (park_reservation_get_status (res), ==, PARK_RESERVATION_STATUS_PENDING_PAYMENT);
  g_assert_cmpstr (park_reservation_get_lot_id (res), ==, park_lot_get_id (lot));
  screenshot (f, "confirmation.png");

  /* My reservations has it */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-reservations", NULL);
  g_assert_cmpstr (_park_window_get_page_name (f->window), ==, "reservations");
  wait_until (f, reservation_listed, code, "the booking in My reservations");
  screenshot (f, "reservations.png");

  /* Extended by an hour there */
  end = g_date_time_add_hours (park_reservation_get_end_time (res), 1);
  g_object_set_data_full (expect, "code", g_strdup (code), g_free);
  g_object_set_data (expect, "status", GINT_TO_POINTER (PARK_RESERVATION_STATUS_PENDING_PAYMENT));
  g_object_set_data_full (expect, "end", g_date_time_ref (end), (GDestroyNotify) g_date_time_unref);
  gtk_widget_activate_action (GTK_WIDGET (reservations), "reservations.extend", "(su)",
                              park_reservation_get_id (res), 60);
  wait_until (f, reservation_in_state, expect, "the extended booking");
  wait_until (f, page_says, (gpointer) "Extended until", "the extension's message");

  /* Cancelled: nothing was paid at the booth yet, so nothing is refunded, and it says so */
  park_reservations_page_cancel (reservations, park_reservation_get_id (res));
  g_object_set_data (expect, "status", GINT_TO_POINTER (PARK_RESERVATION_STATUS_CANCELLED));
  wait_until (f, reservation_in_state, expect, "the cancelled booking");
  wait_until (f, page_says, (gpointer) "nothing is refunded", "the refund's message");
}

static ParkClient *
attendant (Fixture *f)
{
  static const char * const args[] = {
    "--email", "booth@example.org", "--role", "attendant", "--operator", "dresden-parking", NULL
  };
  g_autoptr(ParkClient) booth = park_client_new (f->backend->url, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (park_test_user_add (f->backend, args, PASSWORD), ==, 0);
  park_client_sign_in_async (booth, "booth@example.org", PASSWORD, NULL, park_test_result_cb, &result);
  park_client_sign_in_finish (booth, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  return g_steal_pointer (&booth);
}

/* ---- Crowded lots ------------------------------------------------------------------- */

typedef struct
{
  guint   groups;      /* group markers shown */
  guint   shown;       /* markers for the lots, groups or their own */
  char   *problem;     /* why the map is not yet as it must be */
} MarkerCheck;

static void
marker_bounds (ParkLotMap      *map,
               GtkWidget       *marker,
               graphene_rect_t *rect)
{
  if (!gtk_widget_compute_bounds (marker, GTK_WIDGET (map), rect))
    graphene_rect_init (rect, 0, 0, 0, 0);
}

static void
count_lot_markers (GtkWidget *widget,
                   guint     *n)
{
  if (gtk_widget_has_css_class (widget, "lot-marker") && gtk_widget_get_mapped (widget))
    (*n)++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count_lot_markers (child, n);
}

/* What a driver looking at the map would check: every lot is there once, by its own marker or
 * by a group's that counts its free spots and says how many lots it holds; no marker shown
 * covers another; and nothing else is shown. TRUE when all of it holds. */
static gboolean
check_markers (Fixture     *f,
               MarkerCheck *check)
{
  ParkLotMap *map = _park_window_get_lot_map (f->window);
  GListModel *lots = park_window_get_lots (f->window);
  g_autoptr(GHashTable) free_of = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) lots_of = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  guint n_visible = 0, n_mapped = 0;

  g_clear_pointer (&check->problem, g_free);
  check->groups = 0;
  for (guint i = 0; i < g_list_model_get_n_items (lots); i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);
      GtkWidget *marker = park_lot_map_get_shown_marker_for (map, lot);
      guint free = park_lot_get_status (lot) == PARK_LOT_STATUS_OPEN
                     ? park_lot_get_available (lot, PARK_SPOT_TYPE_ANY) : 0;

      if (marker == NULL || !gtk_widget_is_visible (marker))
        {
          check->problem = g_strdup_printf ("%s is not on the map", park_lot_get_name (lot));
          return FALSE;
        }
      if (!g_hash_table_contains (free_of, marker))
        g_ptr_array_add (shown, marker);
      g_hash_table_insert (free_of, marker, GUINT_TO_POINTER (
        GPOINTER_TO_UINT (g_hash_table_lookup (free_of, marker)) + free));
      g_hash_table_insert (lots_of, marker, GUINT_TO_POINTER (
        GPOINTER_TO_UINT (g_hash_table_lookup (lots_of, marker)) + 1));
    }
  check->shown = shown->len;

  for (guint i = 0; i < shown->len; i++)
    {
      GtkWidget *marker = g_ptr_array_index (shown, i);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (lots_of, marker));
      g_autofree char *free = g_strdup_printf ("%u", GPOINTER_TO_UINT (g_hash_table_lookup (free_of, marker)));
      g_autofree char *size = g_strdup_printf ("%u lots", n);
      GtkWidget *box = gtk_button_get_child (GTK_BUTTON (marker));
      GtkWidget *count = gtk_widget_get_next_sibling (gtk_widget_get_first_child (box));
      const char *label = gtk_label_get_label (GTK_LABEL (count));
      graphene_rect_t a;

      if (gtk_widget_has_css_class (marker, "lot-group") != (n > 1))
        {
          check->problem = g_strdup_printf ("a marker for %u lots is %s", n,
                                            n > 1 ? "not a group" : "a group");
          return FALSE;
        }
      if (n > 1)
        {
          const char *lots_label = gtk_label_get_label (GTK_LABEL (gtk_widget_get_last_child (box)));

          check->groups++;
          /* Closed lots count 0, so their group is told apart by the total only. */
          if (!g_str_equal (label, free) || !g_str_equal (lots_label, size))
            {
              check->problem = g_strdup_printf ("a group shows %s, %s, not %s, %s", label,
                                                lots_label, free, size);
              return FALSE;
            }
        }
      /* Those off the screen have no place on it. */
      if (!gtk_widget_get_mapped (marker))
        continue;
      n_mapped++;
      marker_bounds (map, marker, &a);
      for (guint j = 0; j < i; j++)
        {
          graphene_rect_t b, both;

          if (!gtk_widget_get_mapped (g_ptr_array_index (shown, j)))
            continue;
          marker_bounds (map, g_ptr_array_index (shown, j), &b);
          if (graphene_rect_intersection (&a, &b, &both) &&
              both.size.width * both.size.height > 0.5)
            {
              check->problem = g_strdup_printf ("two markers overlap by %.0f×%.0f px "
                                                "(%.0f,%.0f %.0f×%.0f and %.0f,%.0f %.0f×%.0f)",
                                                both.size.width, both.size.height,
                                                a.origin.x, a.origin.y, a.size.width, a.size.height,
                                                b.origin.x, b.origin.y, b.size.width, b.size.height);
              return FALSE;
            }
        }
    }

  /* A lot in a group has no marker of its own shown as well. */
  count_lot_markers (GTK_WIDGET (map), &n_visible);
  if (n_visible != n_mapped)
    {
      check->problem = g_strdup_printf ("%u markers shown for %u places", n_visible, n_mapped);
      return FALSE;
    }
  return TRUE;
}

/* The markers are planned again a moment after the lots or the zoom change: waits for it. */
static void
assert_markers_apart (Fixture     *f,
                      MarkerCheck *check)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

  while (!check_markers (f, check))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Waited %u s in vain for the markers to stand apart: %s", WAIT_S,
                 check->problem);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static GtkWidget *
largest_group (Fixture *f)
{
  ParkLotMap *map = _park_window_get_lot_map (f->window);
  GListModel *lots = park_window_get_lots (f->window);
  g_autoptr(GHashTable) size = g_hash_table_new (NULL, NULL);
  GtkWidget *best = NULL;
  guint best_n = 1;

  for (guint i = 0; i < g_list_model_get_n_items (lots); i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);
      GtkWidget *marker = park_lot_map_get_shown_marker_for (map, lot);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (size, marker)) + 1;

      g_hash_table_insert (size, marker, GUINT_TO_POINTER (n));
      if (n > best_n && gtk_widget_get_mapped (marker))
        best = marker, best_n = n;
    }
  return best;
}

/* The lots @group stands for. */
static GPtrArray *
group_lots (Fixture   *f,
            GtkWidget *group)
{
  ParkLotMap *map = _park_window_get_lot_map (f->window);
  GListModel *lots = park_window_get_lots (f->window);
  GPtrArray *members = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (lots); i++)
    {
      ParkLot *lot = g_list_model_get_item (lots, i);

      if (park_lot_map_get_shown_marker_for (map, lot) == group)
        g_ptr_array_add (members, lot);
      else
        g_object_unref (lot);
    }
  return members;
}

static gboolean
zoomed_past (Fixture  *f,
             gpointer  data)
{
  ShumateViewport *viewport = park_lot_map_get_viewport (_park_window_get_lot_map (f->window));

  return shumate_viewport_get_zoom_level (viewport) >= *(double *) data;
}

static gboolean
popover_shown (Fixture  *f,
               gpointer  data)
{
  GtkWidget *popover;

  /* The group was planned again meanwhile, and is no longer on the map. */
  g_assert_nonnull (gtk_widget_get_parent (data));
  popover = gtk_widget_get_last_child (data);

  return GTK_IS_POPOVER (popover) && gtk_widget_get_mapped (popover);
}

static void
test_crowded_lots_group (Fixture       *f,
                         gconstpointer  data)
{
  ParkLotMap *map = _park_window_get_lot_map (f->window);
  ShumateViewport *viewport = park_lot_map_get_viewport (map);
  MarkerCheck check = { 0, };
  g_autoptr(GPtrArray) members = NULL;
  g_autofree char *label = NULL;
  GtkWidget *group, *popover, *first;
  ParkLot *chosen = NULL;
  double zoom, want, start_zoom;
  guint apart = 0, searches;

  /* The whole demo city: the old town's lots are too close to tell apart at this zoom */
  assert_markers_apart (f, &check);
  screenshot (f, "map-groups.png");
  assert_markers_apart (f, &check);
  g_assert_cmpuint (check.groups, >, 0);
  g_assert_cmpuint (check.shown, <, g_list_model_get_n_items (park_window_get_lots (f->window)));
  group = largest_group (f);
  g_assert_nonnull (group);
  members = group_lots (f, group);
  g_assert_cmpuint (members->len, >, 1);
  /* A screen reader says what the group is and what to do with it */
  label = g_strdup_printf ("%u lots here,", members->len);
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (group), label));

  /* Tapping it zooms in, at least a level, until its lots come apart */
  zoom = start_zoom = shumate_viewport_get_zoom_level (viewport);
  want = zoom + 1;
  searches = _park_window_get_searches (f->window);
  /* (from the keyboard: the focus stays on the map, on the marker of one of the group's lots) */
  gtk_widget_grab_focus (group);
  gtk_widget_activate (group);
  wait_until (f, zoomed_past, &want, "the map to zoom in on the group");
  wait_until (f, searches_done, GUINT_TO_POINTER (searches), "the search of the new view");
  assert_markers_apart (f, &check);
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));
    gboolean on_member = FALSE;

    for (guint i = 0; i < members->len; i++)
      on_member |= focus != NULL &&
                   focus == park_lot_map_get_shown_marker_for (map, g_ptr_array_index (members, i));
    g_assert_true (on_member);
  }
  /* (The group shown before is gone: the markers are planned again for the new zoom.) */
  for (guint i = 0; i < members->len; i++)
    {
      GtkWidget *marker = park_lot_map_get_shown_marker_for (map, g_ptr_array_index (members, i));
      GtkWidget *other = park_lot_map_get_shown_marker_for (map, g_ptr_array_index (members, 0));

      g_assert_nonnull (marker);
      apart += marker != other;
    }
  g_assert_cmpuint (apart, >, 0);
  screenshot (f, "map-groups-zoomed.png");

  /* At the closest zoom lots that still share a marker are listed, and one opens from there.
   * (The old town at the first zoom, made the closest.) */
  searches = _park_window_get_searches (f->window);
  shumate_viewport_set_max_zoom_level (viewport, (guint) floor (start_zoom));
  shumate_viewport_set_zoom_level (viewport, floor (start_zoom));
  wait_until (f, searches_done, GUINT_TO_POINTER (searches), "the search of the new view");
  assert_markers_apart (f, &check);
  group = largest_group (f);
  g_assert_nonnull (group);
  g_clear_pointer (&members, g_ptr_array_unref);
  members = group_lots (f, group);
  g_object_ref (group);
  zoom = shumate_viewport_get_zoom_level (viewport);
  gtk_widget_activate (group);
  wait_until (f, popover_shown, group, "the list of the group's lots");
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), ==, zoom);
  popover = gtk_widget_get_last_child (group);
  first = park_test_app_find_by_class (popover, "flat");
  g_assert_nonnull (first);
  /* One line a lot: its name and its free spots */
  {
    guint n = 0;

    for (GtkWidget *b = first; b != NULL; b = gtk_widget_get_next_sibling (b))
      n++;
    g_assert_cmpuint (n, ==, members->len);
  }
  for (guint i = 0; i < members->len; i++)
    {
      ParkLot *lot = g_ptr_array_index (members, i);
      guint free = park_lot_get_available (lot, PARK_SPOT_TYPE_ANY);
      g_autofree char *free_text = g_strdup_printf (free == 1 ? "%u spot free" : "%u spots free",
                                                    free);
      g_autofree char *line = g_strdup_printf ("%s: %s", park_lot_get_name (lot),
                                               park_lot_get_status (lot) != PARK_LOT_STATUS_OPEN
                                                 ? "Closed" : free == 0 ? "Full" : free_text);
      gboolean listed = FALSE;

      for (GtkWidget *b = first; b != NULL; b = gtk_widget_get_next_sibling (b))
        listed |= g_str_equal (gtk_button_get_label (GTK_BUTTON (b)), line);
      if (!listed)
        g_error ("'%s' is not in the group's list", line);
    }
  screenshot (f, "map-group-list.png");
  {
    g_autofree char *name = g_strdup (gtk_button_get_label (GTK_BUTTON (first)));

    *strrchr (name, ':') = '\0';
    chosen = g_object_ref (park_test_app_find_named (park_window_get_lots (f->window), "name",
                                                     name));
  }
  gtk_widget_activate (first);
  wait_until (f, lot_page_has_spots, NULL, "the lot chosen from the group's list");
  g_assert_cmpstr (park_lot_get_id (park_lot_page_get_lot (_park_window_get_lot_page (f->window))),
                   ==, park_lot_get_id (chosen));
  g_object_unref (group);
  g_object_unref (chosen);
  g_free (check.problem);
}

/* A search's answer after each move of the map keeps the markers of the lots that stay: the
 * same buttons (and with them a keyboard's focus, an open list), not new ones. */
static void
test_markers_kept_across_searches (Fixture       *f,
                                   gconstpointer  data)
{
  ParkLotMap *map = _park_window_get_lot_map (f->window);
  ShumateViewport *viewport = park_lot_map_get_viewport (map);
  ParkLot *lot = lot_named (f, "Tiefgarage Altmarkt");
  g_autoptr(GtkWidget) before = NULL;
  MarkerCheck check = { 0, };
  guint searches, n_before;

  g_assert_nonnull (lot);
  assert_markers_apart (f, &check);
  n_before = g_list_model_get_n_items (park_window_get_lots (f->window));
  before = g_object_ref (park_lot_map_get_marker_for (map, lot));

  /* The driver drags the map a little: the view is searched again */
  searches = _park_window_get_searches (f->window);
  shumate_location_set_location (SHUMATE_LOCATION (viewport),
                                 shumate_location_get_latitude (SHUMATE_LOCATION (viewport)) + 0.002,
                                 shumate_location_get_longitude (SHUMATE_LOCATION (viewport)));
  wait_until (f, searches_done, GUINT_TO_POINTER (searches), "the search of the moved view");
  g_assert_cmpuint (g_list_model_get_n_items (park_window_get_lots (f->window)), >, 0);
  lot = lot_named (f, "Tiefgarage Altmarkt");
  g_assert_nonnull (lot);
  g_assert_true (park_lot_map_get_marker_for (map, lot) == before);
  g_assert_nonnull (gtk_widget_get_parent (before));
  assert_markers_apart (f, &check);
  g_test_message ("%u lots before, %u after", n_before,
                  g_list_model_get_n_items (park_window_get_lots (f->window)));
  g_free (check.problem);
}

/* At a kiosk every marker is a finger's size, at the zoom that shows the whole city too. */
static void
test_kiosk_markers_touch_size (Fixture       *f,
                               gconstpointer  data)
{
  MarkerCheck check = { 0, };
  ParkLotMap *map;
  GListModel *lots;

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = park_window_new_kiosk (NULL, f->client, f->settings, NULL);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until (f, has_lots, GUINT_TO_POINTER (0), "the kiosk's lots");
  assert_markers_apart (f, &check);
  g_assert_cmpuint (check.groups, >, 0);
  map = _park_window_get_lot_map (f->window);
  lots = park_window_get_lots (f->window);
  for (guint i = 0; i < g_list_model_get_n_items (lots); i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);
      GtkWidget *marker = park_lot_map_get_shown_marker_for (map, lot);

      if (gtk_widget_get_mapped (marker))
        {
          g_assert_cmpint (gtk_widget_get_height (marker), >=, 48);
          g_assert_cmpint (gtk_widget_get_width (marker), >=, 48);
        }
    }
  screenshot (f, "kiosk-map-groups.png");
  g_free (check.problem);
}

typedef struct
{
  ParkLot    *lot;
  const char *text;
  const char *css;
} MarkerWant;

static gboolean
marker_shows (Fixture  *f,
              gpointer  data)
{
  MarkerWant *want = data;
  GtkWidget *button = park_lot_map_get_marker_for (_park_window_get_lot_map (f->window), want->lot);

  if (g_getenv ("PARK_TEST_DEBUG_MARKER"))
    g_printerr ("marker %s (lot says %u)\n", marker_text (f, want->lot),
                park_lot_get_available (want->lot, PARK_SPOT_TYPE_ANY));

  return g_strcmp0 (marker_text (f, want->lot), want->text) == 0 &&
         gtk_widget_has_css_class (button, want->css);
}

static gboolean
spot_shows_taken (Fixture  *f,
                  gpointer  data)
{
  GtkWidget *button = park_lot_page_get_spot_button (_park_window_get_lot_page (f->window), data);

  return button != NULL && gtk_widget_has_css_class (button, "spot-occupied");
}

static gboolean
feed_online (Fixture  *f,
             gpointer  data)
{
  return park_live_feed_get_state (park_window_get_live_feed (f->window)) == PARK_LIVE_FEED_STATE_ONLINE;
}

static void
test_lot_filling_changes_marker (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(ParkClient) booth = attendant (f);
  ParkLot *lot = lot_named (f, "Tiefgarage Frauenkirche");
  guint free_now;
  MarkerWant want = { lot, NULL, NULL };
  MarkerCheck check = { 0, };
  g_autofree char *text = NULL;

  g_assert_nonnull (lot);
  wait_until (f, feed_online, NULL, "the live feed");
  free_now = park_lot_get_available (lot, PARK_SPOT_TYPE_ANY);
  g_assert_cmpuint (free_now, >, 0);
  g_assert_cmpuint (free_now, <=, 20);

  /* The driver looks at the lot's page meanwhile */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-lot", "s", park_lot_get_id (lot));
  wait_until (f, lot_page_has_spots, NULL, "the lot's spots");

  /* Cars arrive at the booth, elsewhere, one on each free spot until the lot is full: the
   * marker follows, from amber with a number to red with 0. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GListModel) spots = NULL;
    guint arrived = 0;

    park_client_list_spots_async (booth, park_lot_get_id (lot), PARK_SPOT_TYPE_ANY, NULL,
                                  park_test_result_cb, &result);
    spots = park_client_list_spots_finish (booth, park_test_await (&result, WAIT_S), &error);
    g_assert_no_error (error);
    for (guint i = 0; i < g_list_model_get_n_items (spots); i++)
      {
        g_autoptr(ParkSpot) spot = g_list_model_get_item (spots, i);
        g_autoptr(GAsyncResult) checked = NULL;
        g_autoptr(ParkSession) session = NULL;
        g_autofree char *plate = NULL;

        if (park_spot_get_state (spot) != PARK_SPOT_STATE_AVAILABLE)
          continue;
        plate = g_strdup_printf ("DD-FK %u", 100 + i);
        park_client_check_in_async (booth, park_lot_get_id (lot), plate, park_spot_get_id (spot),
                                    NULL, NULL, park_test_result_cb, &checked);
        session = park_client_check_in_finish (booth, park_test_await (&checked, WAIT_S), &error);
        g_assert_no_error (error);
        if (arrived++ == 0)
          {
            GtkWidget *button = park_lot_page_get_spot_button (_park_window_get_lot_page (f->window),
                                                               park_spot_get_id (spot));

            /* The spot was free in the grid; it turns taken there, and the marker counts it */
            g_assert_nonnull (button);
            g_assert_true (gtk_widget_has_css_class (button, "spot-available"));
            wait_until (f, spot_shows_taken, (gpointer) park_spot_get_id (spot),
                        "the spot to show taken on the lot's page");
            text = g_strdup_printf ("%u", free_now - 1);
            want.text = text;
            want.css = free_now - 1 == 0 ? "lot-full" : "lot-filling";
            wait_until (f, marker_shows, &want, "the marker to count one car");
          }
      }
    g_assert_cmpuint (arrived, ==, free_now);
  }
  want.text = "0";
  want.css = "lot-full";
  wait_until (f, marker_shows, &want, "the marker to show a full lot");
  g_assert_false (gtk_widget_has_css_class (
    park_lot_map_get_marker_for (_park_window_get_lot_map (f->window), lot), "lot-filling"));
  /* Where the lot shares a group marker with its neighbours, the group counts it as full */
  assert_markers_apart (f, &check);
  g_free (check.problem);
}

static gboolean
map_offline (Fixture  *f,
             gpointer  data)
{
  return _park_window_get_map_offline (f->window) == GPOINTER_TO_INT (data);
}

static gboolean
tiles_requested (Fixture  *f,
                 gpointer  data)
{
  return park_test_tile_server_get_requests (f->tiles) > 0;
}

static void
test_offline_banner (Fixture       *f,
                     gconstpointer  data)
{
  ShumateViewport *viewport = park_lot_map_get_viewport (_park_window_get_lot_map (f->window));

  wait_until (f, tiles_requested, NULL, "tiles from the tile server");
  g_assert_false (_park_window_get_map_offline (f->window));

  /* The tile server goes down; the map needs tiles it has not seen: the banner says so, and
   * the lots stay on the map. */
  g_clear_pointer (&f->tiles, park_test_tile_server_free);
  shumate_viewport_set_zoom_level (viewport, shumate_viewport_get_zoom_level (viewport) + 1);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), 51.03, 13.76);
  wait_until (f, map_offline, GINT_TO_POINTER (TRUE), "the offline map banner");
  g_assert_cmpuint (g_list_model_get_n_items (park_window_get_lots (f->window)), >, 0);
  screenshot (f, "offline-map.png");
}

static void
count_received_cb (ShumateDataSource *source,
                   int                x,
                   int                y,
                   int                z,
                   GBytes            *bytes,
                   guint             *count)
{
  (*count)++;
}

static GBytes *
fetch_tile (ParkTileSource  *source,
            int              x,
            int              y,
            GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), x, y, 14, NULL,
                                           park_test_result_cb, &result);
  return shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (source),
                                                   park_test_await (&result, WAIT_S), error);
}

/* The tile source alone: the network first, the MBTiles file when the network fails, and the
 * offline flag (the banner's source) set only by a failing network. */
static void
test_tile_source_falls_back (void)
{
  g_autofree char *dir = g_dir_make_tmp ("park-tiles-XXXXXX", NULL);
  g_autofree char *mbtiles = g_build_filename (dir, "city.mbtiles", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkTestTileServer) server = park_test_tile_server_new (0);
  g_autoptr(ParkTileSource) source = NULL;
  g_autoptr(GBytes) expected = park_test_tile_png (14, 8818, 5481);
  g_autoptr(GBytes) expected2 = park_test_tile_png (14, 8819, 5481);
  g_autoptr(GBytes) online = NULL, offline = NULL, outside = NULL;
  g_autofree char *dead = NULL;
  guint received = 0;

  g_assert_true (park_test_tiles_write_mbtiles (mbtiles, 13.70, 51.03, 13.78, 51.07, 14, 14, &error));
  g_assert_no_error (error);

  /* The tile server answers: its tile, online */
  source = park_tile_source_new (park_test_tile_server_get_template (server), mbtiles);
  g_signal_connect (source, "received-data", G_CALLBACK (count_received_cb), &received);
  online = fetch_tile (source, 8818, 5481, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (online, expected));
  g_assert_false (park_tile_source_get_offline (source));
  g_assert_cmpuint (received, ==, 1);
  g_assert_cmpuint (park_test_tile_server_get_requests (server), ==, 1);
  g_clear_object (&source);

  /* A tile server that refuses: a tile from the MBTiles file (one the downloader's own cache
   * has not kept), offline, with the reason */
  dead = g_strdup (park_test_tile_server_get_template (server));
  g_clear_pointer (&server, park_test_tile_server_free);
  source = park_tile_source_new (dead, mbtiles);
  received = 0;
  g_signal_connect (source, "received-data", G_CALLBACK (count_received_cb), &received);
  offline = fetch_tile (source, 8819, 5481, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (offline, expected2));
  g_assert_true (park_tile_source_get_offline (source));
  g_assert_nonnull (park_tile_source_get_last_error (source));
  g_assert_cmpuint (received, ==, 1);

  /* A tile outside the file: an error, not a tile */
  outside = fetch_tile (source, 1, 1, &error);
  g_assert_null (outside);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpuint (received, ==, 1);
  g_clear_object (&source);
  park_test_remove_tree (dir);
}

/* The file libshumate's cache keeps for tile 14/@x/5481 of any tile server. */
static char *
find_cached_tile (int x)
{
  g_autofree char *root = g_build_filename (g_get_user_cache_dir (), "shumate", NULL);
  g_autofree char *name = g_strdup_printf ("%d", x);
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *server;

  while (dir != NULL && (server = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, server, "14", name, "5481.png", NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }
  return NULL;
}

static gboolean
cached_tile_is (gpointer  fixture,
                gpointer  data)
{
  GBytes *expected = data;
  g_autofree char *path = find_cached_tile (8820);
  g_autofree char *contents = NULL;
  gsize len = 0;

  return path != NULL && g_file_get_contents (path, &contents, &len, NULL) &&
         len == g_bytes_get_size (expected) &&
         memcmp (contents, g_bytes_get_data (expected, NULL), len) == 0;
}

/* A tile in libshumate's cache that is no image (cut short by a crash, or read while another
 * request still wrote it) is fetched again, and the cache holds the good one after. */
static void
test_tile_source_damaged_cache (void)
{
  g_autoptr(ParkTestTileServer) server = park_test_tile_server_new (0);
  g_autoptr(ParkTileSource) source = NULL;
  g_autoptr(GBytes) expected = park_test_tile_png (14, 8820, 5481);
  g_autoptr(GBytes) first = NULL, again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cached = NULL;
  guint received = 0;

  source = park_tile_source_new (park_test_tile_server_get_template (server), NULL);
  first = fetch_tile (source, 8820, 5481, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (first, expected));
  park_test_app_wait_until (cached_tile_is, NULL, expected, "the tile in libshumate's cache");
  g_clear_object (&source);

  cached = find_cached_tile (8820);
  g_assert_true (g_file_set_contents (cached, "", 0, &error));
  g_assert_no_error (error);

  source = park_tile_source_new (park_test_tile_server_get_template (server), NULL);
  g_signal_connect (source, "received-data", G_CALLBACK (count_received_cb), &received);
  again = fetch_tile (source, 8820, 5481, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (again, expected));
  g_assert_cmpuint (received, ==, 1);
  g_assert_false (park_tile_source_get_offline (source));
  g_assert_cmpuint (park_test_tile_server_get_requests (server), ==, 2);
  park_test_app_wait_until (cached_tile_is, NULL, expected, "the cache to hold the tile again");
}

static gboolean
server_unreachable (Fixture  *f,
                    gpointer  data)
{
  return _park_window_get_server_unreachable (f->window);
}

static void
test_parkd_down_shows_stale (Fixture       *f,
                             gconstpointer  data)
{
  GListModel *lots = park_window_get_lots (f->window);
  guint n = g_list_model_get_n_items (lots);

  /* parkd stops: the same search is answered from the cache, its lots marked stale */
  park_test_backend_stop (f->backend);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL);
  wait_until (f, server_unreachable, NULL, "the unreachable server banner");
  g_assert_cmpuint (g_list_model_get_n_items (lots), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);

      g_assert_true (park_lot_get_stale (lot));
      g_assert_true (gtk_widget_has_css_class (
        park_lot_map_get_marker_for (_park_window_get_lot_map (f->window), lot), "stale"));
    }
  screenshot (f, "server-offline.png");
}

static ParkSignInDialog *
sign_in_dialog (void)
{
  GList *toplevels = gtk_window_list_toplevels ();
  ParkSignInDialog *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (PARK_IS_SIGN_IN_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (toplevels);
  return found;
}

static gboolean
dialog_open (Fixture  *f,
             gpointer  data)
{
  return sign_in_dialog () != NULL;
}

static gboolean
dialog_says (Fixture  *f,
             gpointer  data)
{
  ParkSignInDialog *dialog = sign_in_dialog ();

  return dialog != NULL && park_sign_in_dialog_get_error (dialog) != NULL &&
         strstr (park_sign_in_dialog_get_error (dialog), data) != NULL;
}

static void
test_sign_in_to_book (Fixture       *f,
                      gconstpointer  data)
{
  ParkLot *lot = lot_named (f, "Tiefgarage Altmarkt");
  ParkBookingPage *booking = _park_window_get_booking_page (f->window);

  /* Booking signed out asks for an account first */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-lot", "s", park_lot_get_id (lot));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.book", "s", "");
  wait_until (f, has_quote, NULL, "a quote");
  gtk_widget_activate_action (GTK_WIDGET (booking), "booking.book", NULL);
  wait_until (f, dialog_open, NULL, "the sign-in dialog");
  screenshot (f, "sign-in.png");

  /* A mistyped address and an unknown account are said in words */
  park_sign_in_dialog_submit (sign_in_dialog (), "nobody", "x", NULL, NULL);
  g_assert_nonnull (strstr (park_sign_in_dialog_get_error (sign_in_dialog ()), "email"));
  park_sign_in_dialog_submit (sign_in_dialog (), "nobody@example.org", "wrong password", NULL, NULL);
  wait_until (f, dialog_says, (gpointer) "do not match", "the unknown account's error");

  /* Making the account there signs in, closes the dialog and books */
  park_sign_in_dialog_submit (sign_in_dialog (), "new@example.org", PASSWORD, "Nora", "New");
  wait_until (f, has_reservation, NULL, "the booking after signing up");
  g_assert_null (sign_in_dialog ());
  g_assert_true (park_client_get_signed_in (f->client));
}

static ParkAccountDialog *
account_dialog (void)
{
  GList *toplevels = gtk_window_list_toplevels ();
  ParkAccountDialog *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (PARK_IS_ACCOUNT_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (toplevels);
  return found;
}

static gboolean
vehicles_are (Fixture  *f,
              gpointer  data)
{
  ParkAccountDialog *dialog = account_dialog ();
  GListModel *vehicles = dialog != NULL ? park_account_dialog_get_vehicles (dialog) : NULL;

  return vehicles != NULL && g_list_model_get_n_items (vehicles) == GPOINTER_TO_UINT (data);
}

static gboolean
account_error (Fixture  *f,
               gpointer  data)
{
  const char *error = park_account_dialog_get_error (account_dialog ());

  return error != NULL && strstr (error, data) != NULL;
}

static void
test_account_vehicles (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ParkVehicle) vehicle = NULL;

  /* Signed out there is no account to show */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.account", NULL);
  g_assert_null (account_dialog ());

  park_test_app_register (f->client, "vera@example.org", PASSWORD);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.account", NULL);
  g_assert_nonnull (account_dialog ());
  wait_until (f, vehicles_are, GUINT_TO_POINTER (0), "the empty list of vehicles");

  park_account_dialog_add_vehicle (account_dialog (), "dd ab 123", "de");
  wait_until (f, vehicles_are, GUINT_TO_POINTER (1), "the vehicle added");
  vehicle = g_list_model_get_item (park_account_dialog_get_vehicles (account_dialog ()), 0);
  g_assert_cmpstr (park_vehicle_get_country (vehicle), ==, "DE");
  screenshot (f, "account.png");

  park_account_dialog_add_vehicle (account_dialog (), "   ", NULL);
  g_assert_nonnull (strstr (park_account_dialog_get_error (account_dialog ()), "plate"));
  park_account_dialog_add_vehicle (account_dialog (), "DD-XY 1", "Germany");
  wait_until (f, account_error, (gpointer) "two-letter", "the country refused in words");

  park_account_dialog_remove_vehicle (account_dialog (), park_vehicle_get_id (vehicle));
  wait_until (f, vehicles_are, GUINT_TO_POINTER (0), "the vehicle removed");
  gtk_window_destroy (GTK_WINDOW (account_dialog ()));
}

typedef struct
{
  const char *reservation_id;
  const char *code;
} ReceiptWant;

static gboolean
receipt_listed (Fixture  *f,
                gpointer  data)
{
  ReceiptWant *want = data;
  ParkReservationsPage *page = _park_window_get_reservations_page (f->window);
  ParkReservation *res = listed (f, want->code);

  return park_reservations_page_get_n_receipts (page, want->reservation_id) == 1 && res != NULL &&
         park_reservation_get_status (res) == PARK_RESERVATION_STATUS_CONFIRMED;
}

static gboolean
receipt_shown (Fixture  *f,
               gpointer  data)
{
  return park_reservations_page_get_receipt_text (_park_window_get_reservations_page (f->window)) != NULL;
}

static void
test_receipt_after_booth_payment (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(ParkClient) booth = attendant (f);
  ParkLot *lot = lot_named (f, "Tiefgarage Altmarkt");
  ParkBookingPage *booking = _park_window_get_booking_page (f->window);
  ParkReservationsPage *page = _park_window_get_reservations_page (f->window);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkPayment) payment = NULL;
  ParkReservation *res;
  ReceiptWant want;
  const char *text;

  park_test_app_register (f->client, "paula@example.org", PASSWORD);
  wait_until (f, feed_online, NULL, "the live feed");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-lot", "s", park_lot_get_id (lot));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.book", "s", "");
  wait_until (f, has_quote, NULL, "a quote");
  gtk_widget_activate_action (GTK_WIDGET (booking), "booking.book", NULL);
  wait_until (f, has_reservation, NULL, "the booking");
  res = park_booking_page_get_reservation (booking);
  want.reservation_id = park_reservation_get_id (res);
  want.code = park_reservation_get_code (res);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-reservations", NULL);
  wait_until (f, reservation_listed, (gpointer) want.code, "the booking in My reservations");

  /* The driver pays in cash at the booth: the payment comes over the live feed, and the
   * booking is confirmed with its receipt in My reservations. */
  park_client_pay_reservation_async (booth, want.reservation_id, PARK_PAYMENT_PROVIDER_CASH, NULL,
                                     park_reservation_get_balance_due (res), NULL,
                                     park_test_result_cb, &result);
  payment = park_client_pay_reservation_finish (booth, park_test_await (&result, WAIT_S), NULL,
                                                NULL, &error);
  g_assert_no_error (error);
  wait_until (f, receipt_listed, &want, "the receipt in My reservations");
  screenshot (f, "reservations-paid.png");

  park_reservations_page_show_receipt (page, want.reservation_id, 0);
  wait_until (f, receipt_shown, NULL, "the receipt");
  text = park_reservations_page_get_receipt_text (page);
  g_assert_nonnull (strstr (text, want.code));
  g_assert_nonnull (strstr (text, "Tiefgarage Altmarkt"));
  screenshot (f, "receipt.png");

  /* The app started again (a new client, signed in anew): it saw no payment, yet the
   * booking's receipt is there, read from parkd. */
  {
    g_autoptr(ParkCredentials) credentials = park_memory_credentials_new ();
    g_autofree char *id = g_strdup (want.reservation_id), *code = g_strdup (want.code);
    g_autoptr(GAsyncResult) signed_in = NULL;

    gtk_window_destroy (GTK_WINDOW (f->window));
    settle (50);
    g_clear_object (&f->client);
    f->client = park_client_new (f->backend->url, credentials);
    park_client_sign_in_async (f->client, "paula@example.org", PASSWORD, NULL,
                               park_test_result_cb, &signed_in);
    park_client_sign_in_finish (f->client, park_test_await (&signed_in, WAIT_S), &error);
    g_assert_no_error (error);
    f->window = park_window_new (NULL, f->client, f->settings);
    gtk_window_present (GTK_WINDOW (f->window));
    wait_until (f, has_lots, GUINT_TO_POINTER (0), "the first lots, after a new start");
    want.reservation_id = id;
    want.code = code;
    gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-reservations", NULL);
    wait_until (f, receipt_listed, &want, "the receipt after a new start");
    page = _park_window_get_reservations_page (f->window);
    park_reservations_page_show_receipt (page, want.reservation_id, 0);
    wait_until (f, receipt_shown, NULL, "the receipt after a new start");
    g_assert_nonnull (strstr (park_reservations_page_get_receipt_text (page), code));
  }
}

static void
kiosk_setup (Fixture       *f,
             gconstpointer  data)
{
  static const char * const args[] = { "--demo", "--auth-rate-limit", "0", NULL };
  g_autoptr(ParkCredentials) credentials = park_memory_credentials_new ();
  g_autofree char *lot_id = NULL;

  f->backend = park_test_backend_new ();
  park_test_backend_start (f->backend, args);
  f->tiles = park_test_tile_server_new (0);
  f->settings = g_settings_new (APP_ID);
  g_settings_set_string (f->settings, "tile-url-template",
                         park_test_tile_server_get_template (f->tiles));
  /* A kiosk keeps no cache and no sign-in */
  f->client = park_client_new (f->backend->url, credentials);
  lot_id = park_test_app_altmarkt_id (f->client);
  f->window = park_window_new_kiosk (NULL, f->client, f->settings, lot_id);
  gtk_window_present (GTK_WINDOW (f->window));
}

static gboolean
on_start_screen (Fixture  *f,
                 gpointer  data)
{
  ParkLot *lot = park_lot_page_get_lot (_park_window_get_lot_page (f->window));

  return park_test_app_on_start_screen (f->window, NULL) &&
         g_str_equal (park_lot_get_name (lot), "Tiefgarage Altmarkt");
}

static gboolean
signed_out_on_start_screen (Fixture  *f,
                            gpointer  data)
{
  return on_start_screen (f, data) && !park_client_get_signed_in (f->client);
}

static void
test_kiosk_timeout (Fixture       *f,
                    gconstpointer  data)
{
  ParkBookingPage *booking = _park_window_get_booking_page (f->window);

  /* The kiosk starts on its own lot's page, full screen */
  g_assert_true (park_window_get_kiosk (f->window));
  wait_until (f, on_start_screen, NULL, "the kiosk's lot");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->window), "kiosk"));
  screenshot (f, "kiosk-start.png");

  /* A driver signs up and starts booking */
  park_test_app_register (f->client, "kiosk-driver@example.org", PASSWORD);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.book", "s", "");
  wait_until (f, has_quote, NULL, "a quote");
  screenshot (f, "kiosk-booking.png");

  /* While the driver keeps touching the screen, nothing is forgotten */
  _park_window_set_kiosk_timeout_ms (f->window, 1500);
  for (guint i = 0; i < 8; i++)
    {
      settle (300);
      _park_window_kiosk_activity (f->window);
    }
  g_assert_cmpstr (_park_window_get_page_name (f->window), ==, "booking");
  g_assert_true (park_client_get_signed_in (f->client));

  /* Then the driver walks away: back to the start screen, signed out, booking forgotten */
  wait_until (f, signed_out_on_start_screen, NULL, "the start screen after the time-out");
  g_assert_null (park_booking_page_get_quote (booking));
  g_assert_null (park_booking_page_get_reservation (booking));
}

int
main (int   argc,
      char *argv[])
{
  /* Not G_TEST_OPTION_ISOLATE_DIRS: it empties XDG_DATA_DIRS, and without the shared MIME
   * database GTK cannot tell an SVG icon from any other file. The tests write nothing to the
   * user's directories: settings are in memory, the cache is in the fixture's directory. */
  g_autofree char *cache = g_dir_make_tmp ("park-app-test-cache-XXXXXX", NULL);
  int status;

  /* libshumate's tile downloader keeps a file cache: a fresh one for each run, so a tile is
   * fetched from the test's tile server, never found left over from the last run. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/app/map/demo-lots", Fixture, NULL, fixture_setup, test_map_shows_demo_lots,
              fixture_teardown);
  g_test_add ("/app/map/later-start-restores-view", Fixture, NULL, fixture_setup,
              test_later_start_restores_view, fixture_teardown);
  g_test_add ("/app/map/keyboard-reaches-everything", Fixture, NULL, fixture_setup,
              test_keyboard_reaches_everything, fixture_teardown);
  g_test_add ("/app/map/search-and-filters", Fixture, NULL, fixture_setup,
              test_search_and_filters, fixture_teardown);
  g_test_add ("/app/map/search-by-name-anywhere", Fixture, NULL, fixture_setup,
              test_search_by_name_anywhere, fixture_teardown);
  g_test_add ("/app/booking/appears-in-reservations", Fixture, NULL, fixture_setup,
              test_booking_appears_in_reservations, fixture_teardown);
  g_test_add ("/app/account/sign-in-to-book", Fixture, NULL, fixture_setup, test_sign_in_to_book,
              fixture_teardown);
  g_test_add ("/app/account/vehicles", Fixture, NULL, fixture_setup, test_account_vehicles,
              fixture_teardown);
  g_test_add ("/app/reservations/receipt-after-booth-payment", Fixture, NULL, fixture_setup,
              test_receipt_after_booth_payment, fixture_teardown);
  g_test_add ("/app/live/lot-filling-changes-marker", Fixture, NULL, fixture_setup,
              test_lot_filling_changes_marker, fixture_teardown);
  g_test_add ("/app/map/crowded-lots-group", Fixture, NULL, fixture_setup,
              test_crowded_lots_group, fixture_teardown);
  g_test_add ("/app/map/kiosk-markers-touch-size", Fixture, NULL, fixture_setup,
              test_kiosk_markers_touch_size, fixture_teardown);
  g_test_add ("/app/map/markers-kept-across-searches", Fixture, NULL, fixture_setup,
              test_markers_kept_across_searches, fixture_teardown);
  g_test_add_func ("/app/map/tiles-fall-back-to-mbtiles", test_tile_source_falls_back);
  g_test_add_func ("/app/map/damaged-cached-tile", test_tile_source_damaged_cache);
  g_test_add ("/app/map/offline-banner", Fixture, NULL, fixture_setup, test_offline_banner,
              fixture_teardown);
  g_test_add ("/app/connection/parkd-down-stale", Fixture, NULL, fixture_setup,
              test_parkd_down_shows_stale, fixture_teardown);
  g_test_add ("/app/kiosk/timeout-returns-to-start", Fixture, NULL, kiosk_setup, test_kiosk_timeout,
              fixture_teardown);
  status = g_test_run ();
  park_test_remove_tree (cache);
  return status;
}
