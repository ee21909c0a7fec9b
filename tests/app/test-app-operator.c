/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-app-operator.c: the operator pages in the real window against the real parkd (demo
 * city), signed in as an operator of dresden-parking made with `parkd user add`: the pages
 * appear only for such an account; a lot created from the form appears in the list and is
 * deleted after confirming; a spot taken out of service with a reason shows so in the lot's
 * page a driver sees; an invalid price shows the server's error naming the field; staff are
 * added, promoted and removed; and the dashboard shows the revenue of a cash payment taken at
 * the booth, in its table as in its chart, for the last 7 and 30 days.
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
#include "park-format.h"
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
  ParkOperatorPage   *page;
} Fixture;

static guint
count (Fixture    *f,
       const char *what)
{
  return park_operator_page_get_count (f->page, what);
}

typedef struct
{
  const char *what;
  guint       above;
} CountWant;

static gboolean
count_above (Fixture  *f,
             gpointer  data)
{
  CountWant *want = data;

  return count (f, want->what) > want->above;
}

/* Waits for the next load of @what after the current one. */
#define WAIT_NEXT(f, what_, before) \
  G_STMT_START { CountWant w_ = { what_, before }; \
                 wait_until (f, count_above, &w_, "the next " what_); } G_STMT_END

static gboolean
is_operator (Fixture  *f,
             gpointer  data)
{
  return _park_window_get_is_operator (f->window);
}

static void
sign_in (ParkClient *client,
         const char *email)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  park_client_sign_in_async (client, email, PASSWORD, NULL, park_test_result_cb, &result);
  park_client_sign_in_finish (client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
}

static void
add_user (Fixture    *f,
          const char *email,
          const char *role)
{
  const char * const args[] = {
    "--email", email, "--role", role, "--operator", "dresden-parking", NULL
  };

  g_assert_cmpint (park_test_user_add (f->backend, args, PASSWORD), ==, 0);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const args[] = { "--demo", "--auth-rate-limit", "0", NULL };
  g_autoptr(ParkCredentials) credentials = park_memory_credentials_new ();
  guint loads;

  f->backend = park_test_backend_new ();
  park_test_backend_start (f->backend, args);
  f->tiles = park_test_tile_server_new (0);

  f->settings = park_test_app_settings_new (f->tiles);

  f->client = park_client_new (f->backend->url, credentials);
  f->window = park_window_new (NULL, f->client, f->settings);
  f->page = _park_window_get_operator_page (f->window);
  gtk_window_maximize (GTK_WINDOW (f->window));
  gtk_window_present (GTK_WINDOW (f->window));

  /* A driver never sees the operator pages. */
  add_user (f, "op@example.org", "operator");
  g_assert_false (_park_window_get_is_operator (f->window));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.operator", NULL);
  g_assert_cmpstr (_park_window_get_page_name (f->window), !=, "operator");

  sign_in (f->client, "op@example.org");
  wait_until (f, is_operator, NULL, "the operator pages to be offered");
  loads = count (f, "lots-loads");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.operator", NULL);
  g_assert_cmpstr (_park_window_get_page_name (f->window), ==, "operator");
  WAIT_NEXT (f, "lots-loads", loads);
  g_assert_cmpuint (g_list_model_get_n_items (park_operator_page_get_lots (f->page)), >, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != (gpointer) f->window)
      gtk_window_destroy (l->data);
  g_list_free (toplevels);
  gtk_window_destroy (GTK_WINDOW (f->window));
  settle (50);
  g_clear_object (&f->client);
  g_clear_object (&f->settings);
  g_clear_pointer (&f->tiles, park_test_tile_server_free);
  g_clear_pointer (&f->backend, park_test_backend_free);
}

/* Scrolls @widget's scrolled window so that @widget starts at its top, for a screenshot. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  double x = 0, y = 0;

  settle (100);
  if (gtk_widget_translate_coordinates (widget, content, 0, 0, &x, &y))
    gtk_adjustment_set_value (adjustment, y - 12);
}

static ParkLot *
page_lot_named (Fixture    *f,
                const char *name)
{
  return park_test_app_find_named (park_operator_page_get_lots (f->page), "name", name);
}

static gboolean
has_lot_named (Fixture  *f,
               gpointer  data)
{
  return page_lot_named (f, data) != NULL;
}

static gboolean
lacks_lot_named (Fixture  *f,
                 gpointer  data)
{
  return page_lot_named (f, data) == NULL;
}

static void
set_field (Fixture    *f,
           const char *field,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (park_operator_page_get_field (f->page, field)), text);
}

static gboolean
has_dialog (Fixture  *f,
            gpointer  data)
{
  return park_test_app_message_dialog () != NULL;
}

/* The file chooser a native dialog falls back to without a portal, once it shows. */
static GtkFileChooser *
file_chooser (void)
{
  GListModel *windows = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (windows); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (windows, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_FILE_CHOOSER (window);
    }
  return NULL;
}

static gboolean
has_file_chooser (Fixture  *f,
                  gpointer  data)
{
  return file_chooser () != NULL;
}

static gboolean
no_file_chooser (Fixture  *f,
                 gpointer  data)
{
  return file_chooser () == NULL;
}

static gboolean
error_says (Fixture  *f,
            gpointer  data)
{
  const char **want = data;   /* form, text */
  const char *error = park_operator_page_get_error (f->page, want[0]);

  return error != NULL && strstr (error, want[1]) != NULL;
}

/* The first open lot of the operator's that has spots and charges, selected in the list. */
static ParkLot *
select_demo_lot (Fixture *f)
{
  GListModel *lots = park_operator_page_get_lots (f->page);
  g_autoptr(ParkLot) lot = NULL;
  GtkWidget *save_prices;
  guint spots, pricing;

  for (guint i = 0; i < g_list_model_get_n_items (lots) && lot == NULL; i++)
    {
      g_autoptr(ParkLot) candidate = g_list_model_get_item (lots, i);

      if (park_lot_get_total (candidate, PARK_SPOT_TYPE_ANY) > 0 &&
          park_lot_get_hourly_rate (candidate) > 0 &&
          park_lot_get_status (candidate) == PARK_LOT_STATUS_OPEN)
        lot = g_steal_pointer (&candidate);
    }
  g_assert_nonnull (lot);
  spots = count (f, "spots-loads");
  pricing = count (f, "pricing-loads");
  g_assert_true (park_operator_page_select_lot (f->page, park_lot_get_id (lot)));
  /* Save Prices waits for the prices it would save. */
  save_prices = park_test_app_find_action_button (GTK_WIDGET (f->page), "operator.save-pricing");
  g_assert_false (gtk_widget_get_sensitive (save_prices));
  WAIT_NEXT (f, "spots-loads", spots);
  WAIT_NEXT (f, "pricing-loads", pricing);
  g_assert_true (gtk_widget_get_sensitive (save_prices));
  g_assert_cmpstr (park_lot_get_id (park_operator_page_get_lot (f->page)), ==, park_lot_get_id (lot));
  return lot;   /* the page's list keeps it */
}

static void
test_lot_create_delete (Fixture       *f,
                        gconstpointer  data)
{
  const char *name = "Parkhaus Testwiese";
  const char *want_error[] = { "details", "Latitude" };
  ParkLot *lot;

  screenshot (f, "operator-lots.png");

  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.new-lot", NULL);
  set_field (f, "name", name);
  set_field (f, "address", "Wiesenweg 1");
  set_field (f, "city", "Dresden");
  /* Not a number: said at once, naming the field, and nothing is sent. */
  set_field (f, "latitude", "north");
  set_field (f, "longitude", "13.7400");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.save-lot", NULL);
  g_assert_true (error_says (f, (gpointer) want_error));
  g_assert_true (gtk_widget_has_css_class (park_operator_page_get_field (f->page, "latitude"), "error"));

  set_field (f, "latitude", "51.0450");
  set_field (f, "hourly_rate", "2.40");
  set_field (f, "spots", "12");
  set_field (f, "levels", "2");
  screenshot (f, "operator-new-lot.png");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.save-lot", NULL);
  wait_until (f, has_lot_named, (gpointer) name, "the new lot in the list");
  lot = page_lot_named (f, name);
  g_assert_cmpint (park_lot_get_hourly_rate (lot), ==, 240);
  g_assert_cmpuint (park_lot_get_total (lot, PARK_SPOT_TYPE_ANY), ==, 12);
  g_assert_cmpfloat_with_epsilon (park_lot_get_latitude (lot), 51.045, 1e-6);
  /* The new lot is the one shown, ready for its spots and prices. */
  wait_until (f, has_lot_named, (gpointer) name, "the new lot");
  g_assert_null (park_operator_page_get_error (f->page, "details"));

  /* Deleted only after confirming. */
  {
    guint spots = count (f, "spots-loads");

    g_assert_true (park_operator_page_select_lot (f->page, park_lot_get_id (lot)));
    WAIT_NEXT (f, "spots-loads", spots);
  }
  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.delete-lot", NULL);
  wait_until (f, has_dialog, NULL, "the confirmation");
  park_test_app_respond ("cancel");
  settle (100);
  g_assert_nonnull (page_lot_named (f, name));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.delete-lot", NULL);
  wait_until (f, has_dialog, NULL, "the confirmation");
  park_test_app_respond ("delete");
  wait_until (f, lacks_lot_named, (gpointer) name, "the deleted lot to leave the list");
}

static void
test_lot_hours_amenities (Fixture       *f,
                          gconstpointer  data)
{
  const char *want_hours[] = { "details", "Monday" };
  const char *want_amenity[] = { "details", "Amenities" };
  g_autofree char *lot_id = g_strdup (park_lot_get_id (select_demo_lot (f)));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkLot) stored = NULL;
  g_autoptr(ParkOpeningHours) hours = NULL;
  g_autofree char *monday = NULL, *sunday = NULL;
  static const char * const amenities[] = { "ev_charging", "toilets", NULL };
  guint loads;

  park_operator_page_show_tab (f->page, "details");
  /* The lot's own hours are in the form. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (park_operator_page_get_field (f->page, "hours.mon"))),
                   !=, "");

  /* Closing before opening: said at once, naming the day; nothing is sent. */
  set_field (f, "hours.mon", "20:00-07:00");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.save-lot", NULL);
  g_assert_true (error_says (f, (gpointer) want_hours));
  g_assert_true (gtk_widget_has_css_class (park_operator_page_get_field (f->page, "hours.mon"), "error"));

  /* An amenity that is no name: refused before it is sent, naming the field. */
  set_field (f, "hours.mon", "07:00-12:00, 13:00-20:00");
  set_field (f, "hours.sun", "");
  set_field (f, "amenities", "EV Laden");
  loads = count (f, "lots-loads");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.save-lot", NULL);
  wait_until (f, error_says, want_amenity, "the amenity's error");
  g_assert_true (gtk_widget_has_css_class (park_operator_page_get_field (f->page, "amenities"), "error"));

  set_field (f, "amenities", "ev_charging, toilets");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.save-lot", NULL);
  WAIT_NEXT (f, "lots-loads", loads);
  g_assert_null (park_operator_page_get_error (f->page, "details"));
  scroll_to (park_operator_page_get_field (f->page, "hours.mon"));
  screenshot (f, "operator-lot-hours.png");

  park_client_get_managed_lot_async (f->client, lot_id, NULL, park_test_result_cb, &result);
  stored = park_client_get_managed_lot_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  hours = park_lot_dup_opening_hours (stored);
  monday = park_opening_hours_dup_day_text (hours, G_DATE_MONDAY);
  sunday = park_opening_hours_dup_day_text (hours, G_DATE_SUNDAY);
  g_assert_cmpstr (monday, ==, "07:00-12:00, 13:00-20:00");
  g_assert_cmpstr (sunday, ==, "");
  g_assert_cmpstrv (park_lot_get_amenities (stored), amenities);
}

static gboolean
row_out_of_service (Fixture  *f,
                    gpointer  data)
{
  GtkWidget *row = park_operator_page_get_spot_row (f->page, data);

  return row != NULL && gtk_widget_has_css_class (row, "spot-out-of-service");
}

static gboolean
row_in_service (Fixture  *f,
                gpointer  data)
{
  GtkWidget *row = park_operator_page_get_spot_row (f->page, data);

  return row != NULL && !gtk_widget_has_css_class (row, "spot-out-of-service");
}

static gboolean
lot_page_spot_out (Fixture  *f,
                   gpointer  data)
{
  GtkWidget *button = park_lot_page_get_spot_button (_park_window_get_lot_page (f->window), data);

  return button != NULL && gtk_widget_has_css_class (button, "spot-out-of-service");
}

static void
test_spot_out_of_service (Fixture       *f,
                          gconstpointer  data)
{
  ParkLot *lot = select_demo_lot (f);
  g_autofree char *lot_id = g_strdup (park_lot_get_id (lot));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) spots = NULL;
  g_autoptr(ParkSpot) spot = NULL;
  g_autofree char *spot_id = NULL;
  GtkWidget *row, *button, *entry;

  /* A free spot, as the server lists them. */
  park_client_list_spots_async (f->client, lot_id, PARK_SPOT_TYPE_ANY, NULL, park_test_result_cb, &result);
  spots = park_client_list_spots_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (spots) && spot == NULL; i++)
    {
      g_autoptr(ParkSpot) s = g_list_model_get_item (spots, i);

      if (park_spot_get_state (s) == PARK_SPOT_STATE_AVAILABLE)
        spot = g_steal_pointer (&s);
    }
  g_assert_nonnull (spot);
  spot_id = g_strdup (park_spot_get_id (spot));

  park_operator_page_show_tab (f->page, "spots");
  row = park_operator_page_get_spot_row (f->page, spot_id);
  g_assert_nonnull (row);
  g_assert_false (gtk_widget_has_css_class (row, "spot-out-of-service"));

  /* A button in the level's grid, reached by keyboard; it says its state in words, and it
   * asks for the reason first. */
  button = row;
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (GTK_IS_FLOW_BOX (gtk_widget_get_parent (gtk_widget_get_parent (button))));
  g_assert_true (gtk_widget_get_focusable (button));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (button), "Free"));
  g_signal_emit_by_name (button, "clicked");
  wait_until (f, has_dialog, NULL, "the reason dialog");
  entry = adw_message_dialog_get_extra_child (park_test_app_message_dialog ());
  gtk_editable_set_text (GTK_EDITABLE (entry), "Barrier sensor broken");
  screenshot (f, "operator-spot-reason.png");
  park_test_app_respond ("mark");
  wait_until (f, row_out_of_service, spot_id, "the spot out of service");
  screenshot (f, "operator-spots.png");

  /* The driver's lot page shows it so. */
  park_window_open_lot (f->window, lot_id);
  wait_until (f, lot_page_spot_out, spot_id, "the spot out of service in the lot page");

  /* And back, from the reloaded page. */
  {
    guint loads = count (f, "spots-loads");

    gtk_widget_activate_action (GTK_WIDGET (f->window), "win.operator", NULL);
    WAIT_NEXT (f, "spots-loads", loads);
  }
  park_operator_page_show_tab (f->page, "spots");
  g_assert_true (row_out_of_service (f, spot_id));
  button = park_operator_page_get_spot_row (f->page, spot_id);
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (button), "Closed"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (button), "back in service"));
  g_signal_emit_by_name (button, "clicked");
  wait_until (f, row_in_service, spot_id, "the spot back in service");
}

static void
test_pricing (Fixture       *f,
              gconstpointer  data)
{
  const char *want_error[] = { "pricing", "Billing step" };
  const char *want_number[] = { "pricing", "Daily maximum" };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkPricing) pricing = NULL;
  g_autofree char *lot_id = NULL;
  guint saves;

  lot_id = g_strdup (park_lot_get_id (select_demo_lot (f)));
  park_operator_page_show_tab (f->page, "pricing");

  /* Not a number: said at once. */
  set_field (f, "daily_max", "a lot");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.save-pricing", NULL);
  g_assert_true (error_says (f, (gpointer) want_number));

  /* A number the server refuses: its 422 names the field, and the page says which. */
  set_field (f, "daily_max", "");
  set_field (f, "increment_minutes", "90");
  saves = count (f, "pricing-saves");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.save-pricing", NULL);
  WAIT_NEXT (f, "pricing-saves", saves);
  g_assert_true (error_says (f, (gpointer) want_error));
  g_assert_true (gtk_widget_has_css_class (park_operator_page_get_field (f->page, "increment_minutes"), "error"));
  screenshot (f, "operator-pricing-error.png");

  /* Fixed, saved, and the server has it. */
  set_field (f, "increment_minutes", "15");
  set_field (f, "rates.regular", "3,20");
  set_field (f, "daily_max", "24");
  saves = count (f, "pricing-saves");
  /* Ctrl+S saves the form in view, the prices here. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.save", NULL);
  WAIT_NEXT (f, "pricing-saves", saves);
  g_assert_cmpstr (park_operator_page_get_error (f->page, "pricing"), ==, NULL);
  park_client_get_pricing_async (f->client, lot_id, NULL, park_test_result_cb, &result);
  pricing = park_client_get_pricing_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_pricing_get_increment_minutes (pricing), ==, 15);
  g_assert_cmpint (park_pricing_get_rate (pricing, PARK_SPOT_TYPE_REGULAR), ==, 320);
  g_assert_cmpint (park_pricing_get_daily_max (pricing), ==, 2400);
}

static void
rules_set (ParkPricingRules *rules,
           const char       *field,
           const char       *text)
{
  gtk_editable_set_text (GTK_EDITABLE (park_pricing_rules_get_field (rules, field)), text);
}

static void
rules_add (ParkPricingRules *rules,
           const char       *kind)
{
  g_autofree char *name = g_strconcat (kind, ".add", NULL);

  g_signal_emit_by_name (park_pricing_rules_get_field (rules, name), "clicked");
}

static ParkPricing *
stored_pricing (Fixture    *f,
                const char *lot_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ParkPricing *pricing;

  park_client_get_pricing_async (f->client, lot_id, NULL, park_test_result_cb, &result);
  pricing = park_client_get_pricing_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  return pricing;
}

static void
test_pricing_rules (Fixture       *f,
                    gconstpointer  data)
{
  ParkPricingRules *rules = park_operator_page_get_pricing_rules (f->page);
  g_autofree char *lot_id = g_strdup (park_lot_get_id (select_demo_lot (f)));
  g_autoptr(ParkPricing) stored = NULL, emptied = NULL;
  const ParkPricingPeriod *period;
  guint saves;

  park_operator_page_show_tab (f->page, "pricing");
  g_assert_cmpuint (park_pricing_rules_get_n (rules, "periods"), ==, 0);

  /* Said at once: a time that is none, a multiplier out of range (park-core's words). */
  rules_set (rules, "period.from", "25:00");
  rules_set (rules, "period.to", "10:00");
  rules_set (rules, "period.multiplier", "1,5");
  rules_add (rules, "period");
  g_assert_nonnull (strstr (park_pricing_rules_get_error (rules), "From"));
  g_assert_true (gtk_widget_has_css_class (park_pricing_rules_get_field (rules, "period.from"), "error"));
  rules_set (rules, "period.from", "07:00");
  rules_set (rules, "period.multiplier", "20");
  rules_add (rules, "period");
  g_assert_nonnull (strstr (park_pricing_rules_get_error (rules), "at most 10"));
  g_assert_cmpuint (park_pricing_rules_get_n (rules, "periods"), ==, 0);

  /* Weekday mornings at one and a half, a fair at double, a busy lot a quarter more. */
  rules_set (rules, "period.multiplier", "1,5");
  rules_set (rules, "period.label", "Berufsverkehr");
  rules_add (rules, "period");
  g_assert_null (park_pricing_rules_get_error (rules));
  g_assert_cmpuint (park_pricing_rules_get_n (rules, "periods"), ==, 1);
  rules_set (rules, "event.from", "2031-03-14 08:00");
  rules_set (rules, "event.to", "2031-03-16 20:00");
  rules_set (rules, "event.multiplier", "2");
  rules_set (rules, "event.label", "Messe");
  rules_add (rules, "event");
  g_assert_cmpuint (park_pricing_rules_get_n (rules, "events"), ==, 1);
  rules_set (rules, "step.share", "80");
  rules_set (rules, "step.multiplier", "1.25");
  rules_add (rules, "step");
  g_assert_cmpuint (park_pricing_rules_get_n (rules, "steps"), ==, 1);
  rules_set (rules, "demand.cap", "1.5");
  scroll_to (GTK_WIDGET (rules));
  screenshot (f, "operator-pricing-rules.png");

  saves = count (f, "pricing-saves");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.save-pricing", NULL);
  g_assert_null (park_pricing_rules_get_error (rules));
  g_assert_null (park_operator_page_get_error (f->page, "pricing"));
  WAIT_NEXT (f, "pricing-saves", saves);
  g_assert_null (park_operator_page_get_error (f->page, "pricing"));
  stored = stored_pricing (f, lot_id);
  g_assert_cmpuint (park_pricing_get_n_periods (stored), ==, 1);
  period = park_pricing_get_period (stored, 0);
  g_assert_cmpint (park_pricing_period_get_days (period), ==,
                   PARK_WEEKDAYS_ALL & ~(PARK_WEEKDAYS_SATURDAY | PARK_WEEKDAYS_SUNDAY));
  g_assert_cmpuint (park_pricing_period_get_from_minute (period), ==, 7 * 60);
  g_assert_cmpuint (park_pricing_period_get_to_minute (period), ==, 10 * 60);
  g_assert_cmpfloat (park_pricing_period_get_multiplier (period), ==, 1.5);
  g_assert_cmpstr (park_pricing_period_get_label (period), ==, "Berufsverkehr");
  g_assert_cmpuint (park_pricing_get_n_events (stored), ==, 1);
  g_assert_cmpstr (park_pricing_event_get_label (park_pricing_get_event (stored, 0)), ==, "Messe");
  g_assert_cmpuint (park_pricing_get_n_demand_steps (stored), ==, 1);
  g_assert_cmpfloat (park_demand_step_get_share (park_pricing_get_demand_step (stored, 0)), ==, 0.8);
  g_assert_cmpfloat (park_pricing_get_demand_cap (stored), ==, 1.5);
  /* The page shows what was stored. */
  g_assert_cmpuint (park_pricing_rules_get_n (rules, "periods"), ==, 1);

  /* A floor above the cap: refused before it is sent. */
  rules_set (rules, "demand.floor", "2");
  saves = count (f, "pricing-saves");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.save-pricing", NULL);
  g_assert_nonnull (park_pricing_rules_get_error (rules));
  g_assert_true (gtk_widget_has_css_class (park_pricing_rules_get_field (rules, "demand.floor"), "error"));
  g_assert_cmpuint (count (f, "pricing-saves"), ==, saves);
  rules_set (rules, "demand.floor", "");

  /* Removed, saved, gone from the server. */
  park_pricing_rules_remove (rules, "periods", 0);
  park_pricing_rules_remove (rules, "events", 0);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.save-pricing", NULL);
  WAIT_NEXT (f, "pricing-saves", saves);
  emptied = stored_pricing (f, lot_id);
  g_assert_cmpuint (park_pricing_get_n_periods (emptied), ==, 0);
  g_assert_cmpuint (park_pricing_get_n_events (emptied), ==, 0);
  g_assert_cmpuint (park_pricing_get_n_demand_steps (emptied), ==, 1);
}

static gboolean
staff_count_is (Fixture  *f,
                gpointer  data)
{
  return count (f, "staff") == GPOINTER_TO_UINT (data);
}

static void
test_staff (Fixture       *f,
            gconstpointer  data)
{
  const char *want_error[] = { "staff", "password" };
  g_autoptr(ParkClient) booth = park_client_new (f->backend->url, NULL);
  guint n, loads;

  park_operator_page_show_tab (f->page, "staff");
  loads = count (f, "staff-loads");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.reload", NULL);
  WAIT_NEXT (f, "staff-loads", loads);
  n = count (f, "staff");
  g_assert_cmpuint (n, >=, 1);

  /* A password too short: the server's reason, naming the field. */
  set_field (f, "staff_email", "anna@example.org");
  set_field (f, "staff_first_name", "Anna");
  set_field (f, "staff_last_name", "Booth");
  set_field (f, "staff_password", "short");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.add-staff", NULL);
  wait_until (f, error_says, want_error, "the password's error");

  set_field (f, "staff_password", PASSWORD);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.add-staff", NULL);
  wait_until (f, staff_count_is, GUINT_TO_POINTER (n + 1), "the new attendant");
  screenshot (f, "operator-staff.png");
  /* They can sign in. */
  sign_in (booth, "anna@example.org");
}

/* The number in the dashboard's stays table on the row @name, or -1 without such a row. */
static gint64
stays_row_count (const char *text,
                 const char *name)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], "\t", 2);

      if (cells[0] != NULL && cells[1] != NULL && g_str_equal (cells[0], name))
        return g_ascii_strtoll (cells[1], NULL, 10);
    }
  return -1;
}

/* Saves one of the dashboard's figures as CSV through the page, and reads the file back as
 * its lines (without the last, empty one). */
static char **
export_csv (Fixture             *f,
            ParkAnalyticsReport  report,
            const char          *name)
{
  g_autofree char *path = g_build_filename (f->backend->tmpdir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint exports = count (f, "exports");
  char **lines;
  guint n;

  park_operator_page_export_csv (f->page, report, file);
  WAIT_NEXT (f, "exports", exports);
  g_assert_null (park_operator_page_get_error (f->page, "dashboard"));
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("%s:\n%s", name, text);
  g_assert_true (g_str_has_suffix (text, "\r\n"));
  lines = g_strsplit (text, "\r\n", -1);
  n = g_strv_length (lines);
  g_free (lines[n - 1]);
  lines[n - 1] = NULL;
  return lines;
}

static void
test_dashboard_revenue (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(ParkClient) booth = park_client_new (f->backend->url, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkShift) shift = NULL;
  g_autoptr(ParkSession) stay = NULL, paid = NULL, gone = NULL;
  g_autofree char *lot_id = NULL, *table = NULL, *money = NULL, *before = NULL, *sql = NULL;
  g_autofree char *stays_before = NULL, *stays = NULL, *title = NULL, *lot_name = NULL;
  g_autofree char *types = NULL, *want = NULL, *today = NULL;
  g_auto(GStrv) type_lines = NULL;
  g_auto(GStrv) csv = NULL;
  gboolean found_today = FALSE;
  g_autoptr(ParkLot) shown = NULL;
  GListModel *lots;
  gint64 fee = -1, ended;
  guint loads, lot_index, n_types = 0;

  lot_id = g_strdup (park_lot_get_id (select_demo_lot (f)));
  park_operator_page_show_tab (f->page, "dashboard");
  loads = count (f, "dashboard-loads");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.reload", NULL);
  WAIT_NEXT (f, "dashboard-loads", loads);
  g_assert_cmpuint (count (f, "chart-values"), ==, 7);
  /* The dashboard shows the occupancy and the stays of the lot the car will stay at. */
  lots = park_operator_page_get_lots (f->page);
  for (lot_index = 0; lot_index < g_list_model_get_n_items (lots); lot_index++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, lot_index);

      if (g_str_equal (park_lot_get_id (lot), lot_id))
        {
          lot_name = g_strdup (park_lot_get_name (lot));
          shown = g_object_ref (lot);
          break;
        }
    }
  g_assert_nonnull (lot_name);
  if (gtk_drop_down_get_selected (GTK_DROP_DOWN (park_operator_page_get_field (f->page, "dash_lot"))) != lot_index)
    {
      loads = count (f, "dashboard-loads");
      gtk_drop_down_set_selected (GTK_DROP_DOWN (park_operator_page_get_field (f->page, "dash_lot")),
                                  lot_index);
      WAIT_NEXT (f, "dashboard-loads", loads);
    }
  {
    g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (park_lot_get_time_zone (shown));
    g_autoptr(GDateTime) now = g_date_time_new_now (tz != NULL ? tz : g_time_zone_new_utc ());

    today = g_date_time_format (now, "%Y-%m-%d");
  }
  title = g_strdup_printf ("Stays at %s", lot_name);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (park_operator_page_get_field (f->page, "stays_title"))),
                   ==, title);
  before = park_operator_page_dup_table_text (f->page);
  stays_before = park_operator_page_dup_stays_text (f->page);
  g_test_message ("Stays before:\n%s", stays_before);
  ended = stays_row_count (stays_before, "Stays ended");
  g_assert_cmpint (ended, >=, 0);

  /* An attendant takes cash at the booth for a stay of three hours. */
  add_user (f, "booth@example.org", "attendant");
  sign_in (booth, "booth@example.org");
  park_client_open_shift_async (booth, 20000, lot_id, NULL, park_test_result_cb, &result);
  shift = park_client_open_shift_finish (booth, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  park_client_check_in_async (booth, lot_id, "DD-OP 42", NULL, NULL, NULL, park_test_result_cb, &result);
  stay = park_client_check_in_finish (booth, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  sql = g_strdup_printf ("UPDATE parking_sessions SET checked_in_at = "
                         "strftime ('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now', '-3 hours') "
                         "WHERE id = '%s'", park_session_get_id (stay));
  park_test_backend_sql (f->backend, sql);
  park_client_pay_stay_async (booth, park_session_get_id (stay), PARK_PAYMENT_PROVIDER_CASH, NULL,
                              100000, FALSE, "op-test-1", NULL, park_test_result_cb, &result);
  paid = park_client_pay_stay_finish (booth, park_test_await (&result, WAIT_S), &fee, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fee, >, 0);
  g_clear_object (&result);
  /* The car leaves: the stay has ended. */
  park_client_check_out_async (booth, park_session_get_id (stay), 0, FALSE, NULL, NULL,
                               park_test_result_cb, &result);
  gone = park_client_check_out_finish (booth, park_test_await (&result, WAIT_S), NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  loads = count (f, "dashboard-loads");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.reload", NULL);
  WAIT_NEXT (f, "dashboard-loads", loads);
  g_assert_null (park_operator_page_get_error (f->page, "dashboard"));
  table = park_operator_page_dup_table_text (f->page);
  money = park_format_money (fee, park_lot_get_currency (park_operator_page_get_lot (f->page)));
  g_test_message ("Dashboard table:\n%s", table);
  /* Today's row (the first, newest) has the payment, which it had not before. */
  g_assert_nonnull (strstr (table, money));
  g_assert_cmpstr (table, !=, before);
  /* The stay is counted among the lot's, as a walk-in; when it is the only one, it is the
   * average and the median: three hours. */
  stays = park_operator_page_dup_stays_text (f->page);
  g_test_message ("Stays after:\n%s", stays);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (park_operator_page_get_field (f->page, "stays_title"))),
                   ==, title);
  g_assert_cmpint (stays_row_count (stays, "Stays ended"), ==, ended + 1);
  g_assert_cmpint (stays_row_count (stays, "Walk-ins"), ==,
                   stays_row_count (stays_before, "Walk-ins") + 1);
  if (ended == 0)
    {
      g_assert_nonnull (strstr (stays, "Average stay\t3 hours\n"));
      g_assert_nonnull (strstr (stays, "Median stay\t3 hours\n"));
    }
  /* The occupancy of each type of spot the lot has, and of no other. */
  types = park_operator_page_dup_types_text (f->page);
  g_test_message ("By spot type:\n%s", types);
  type_lines = g_strsplit (types, "\n", -1);
  for (ParkSpotType t = PARK_SPOT_TYPE_REGULAR; t <= PARK_SPOT_TYPE_MOTORCYCLE; t++)
    if (park_lot_get_total (shown, t) > 0)
      {
        g_autofree char *prefix = g_strdup_printf ("%s\t", park_format_spot_type (t));
        gboolean found = FALSE;

        for (guint i = 0; type_lines[i] != NULL && !found; i++)
          if (g_str_has_prefix (type_lines[i], prefix))
            {
              double share = g_ascii_strtod (type_lines[i] + strlen (prefix), NULL);

              g_assert_cmpfloat (share, >=, 0);
              g_assert_cmpfloat (share, <=, 100);
              g_assert_true (g_str_has_suffix (type_lines[i], " %"));
              found = TRUE;
              n_types++;
            }
        g_assert_true (found);
      }
  g_assert_cmpuint (n_types, >, 0);
  g_assert_cmpuint (g_strv_length (type_lines), ==, n_types + 1);
  screenshot (f, "operator-dashboard.png");

  /* The figures shown, saved for a spreadsheet: the stays with the lot's one stay, the
   * revenue with today's payment, the occupancy an hour a line. */
  csv = export_csv (f, PARK_ANALYTICS_REPORT_STAYS, "stays.csv");
  g_assert_true (g_str_has_prefix (csv[0], "from,to,operator_id,operator_slug,lot_id,stays,"));
  {
    /* lot_id, stays, walk_ins, reservations, average_minutes, median_minutes: three hours
     * (and the seconds the test took between backdating the check-in and the check-out). */
    g_auto(GStrv) fields = g_strsplit (csv[1], ",", -1);

    g_assert_cmpuint (g_strv_length (fields), ==, 12);
    g_assert_cmpstr (fields[4], ==, lot_id);
    g_assert_cmpstr (fields[5], ==, "1");
    g_assert_cmpstr (fields[6], ==, "1");
    g_assert_cmpstr (fields[7], ==, "0");
    g_assert_cmpfloat (g_ascii_strtod (fields[8], NULL), >=, 180);
    g_assert_cmpfloat (g_ascii_strtod (fields[8], NULL), <, 182);
    g_assert_cmpfloat (g_ascii_strtod (fields[9], NULL), >=, 180);
    g_assert_cmpfloat (g_ascii_strtod (fields[9], NULL), <, 182);
  }
  g_clear_pointer (&csv, g_strfreev);
  csv = export_csv (f, PARK_ANALYTICS_REPORT_REVENUE, "revenue.csv");
  g_assert_true (g_str_has_prefix (csv[0], "operator_id,operator_slug,currency,date,payments,"));
  g_free (want);
  want = g_strdup_printf (",%s,1,", today);
  for (guint i = 1; csv[i] != NULL && !found_today; i++)
    found_today = strstr (csv[i], want) != NULL;
  g_assert_true (found_today);
  g_clear_pointer (&csv, g_strfreev);
  csv = export_csv (f, PARK_ANALYTICS_REPORT_OCCUPANCY, "occupancy.csv");
  g_assert_true (g_str_has_prefix (csv[0], "start,end,measured_seconds,occupancy,regular,"));
  /* An hour a line for 7 whole days (one more or less when the clocks changed). */
  g_assert_cmpuint (g_strv_length (csv), >=, 1 + 7 * 24 - 1);
  g_assert_cmpuint (g_strv_length (csv), <=, 1 + 7 * 24 + 1);
  /* Through the Export menu: a save dialog offers a name that says what, where and when;
   * cancelled, it saves nothing. (Saving through it is park_operator_page_export_csv(), above:
   * the dialog itself is GTK's.) */
  {
    g_autofree char *want_name = g_strdup_printf ("Stays %s ", lot_name);
    g_autofree char *name = NULL;
    GtkFileChooser *chooser;
    guint exports = count (f, "exports");

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.export-csv", "s",
                                               "stays"));
    wait_until (f, has_file_chooser, NULL, "the save dialog");
    chooser = file_chooser ();
    g_assert_cmpint (gtk_file_chooser_get_action (chooser), ==, GTK_FILE_CHOOSER_ACTION_SAVE);
    name = gtk_file_chooser_get_current_name (chooser);
    g_test_message ("offered: %s", name);
    g_assert_true (g_str_has_prefix (name, want_name));
    g_assert_true (g_str_has_suffix (name, ".csv"));
    gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
    wait_until (f, no_file_chooser, NULL, "the save dialog to close");
    g_assert_cmpuint (count (f, "exports"), ==, exports);
  }

  /* Somewhere it cannot be written: the operator is told, and nothing is left behind. */
  {
    g_autofree char *dir = g_build_filename (f->backend->tmpdir, "no-such-folder", NULL);
    g_autofree char *path = g_build_filename (dir, "stays.csv", NULL);
    g_autoptr(GFile) nowhere = g_file_new_for_path (path);
    guint exports = count (f, "exports");

    park_operator_page_export_csv (f->page, PARK_ANALYTICS_REPORT_STAYS, nowhere);
    WAIT_NEXT (f, "exports", exports);
    g_assert_nonnull (park_operator_page_get_error (f->page, "dashboard"));
    g_assert_true (g_str_has_prefix (park_operator_page_get_error (f->page, "dashboard"),
                                     "The file was not saved: "));
    g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  }

  /* The 30 days have a bar per day, and the payment still. */
  loads = count (f, "dashboard-loads");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (park_operator_page_get_field (f->page, "period")), 1);
  WAIT_NEXT (f, "dashboard-loads", loads);
  g_assert_cmpuint (count (f, "chart-values"), ==, 30);
  g_free (table);
  table = park_operator_page_dup_table_text (f->page);
  g_assert_nonnull (strstr (table, money));
  screenshot (f, "operator-dashboard-30.png");
}

static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  /* ParkAPI's shape: the city first, then lots with a capacity ("total"); one without it is
   * skipped, and the report says why. */
  static const char geojson[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"type\":\"city\",\"name\":\"Dresden\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.74,51.05]}},"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"Parkplatz Elbwiese\",\"total\":30,"
    "\"address\":\"Elbweg 3\",\"type\":\"lot\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.75,51.06]}},"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"Parkplatz Ohnezahl\",\"type\":\"lot\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.76,51.07]}}]}";
  g_autofree char *path = g_build_filename (f->backend->tmpdir, "lots.geojson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/lots.geojson");
  guint imports = count (f, "imports");

  g_assert_true (g_file_set_contents (path, geojson, -1, NULL));
  park_operator_page_import_file (f->page, file);
  WAIT_NEXT (f, "imports", imports);
  wait_until (f, has_dialog, NULL, "the import report");
  g_assert_cmpstr (adw_message_dialog_get_heading (park_test_app_message_dialog ()), ==, "1 Lot Imported");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (park_test_app_message_dialog ()), "30 spots"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (park_test_app_message_dialog ()), "Parkplatz Ohnezahl"));
  screenshot (f, "operator-import.png");
  park_test_app_respond ("close");
  wait_until (f, has_lot_named, (gpointer) "Parkplatz Elbwiese", "the imported lot in the list");

  /* A file that cannot be read says so, and nothing is sent. */
  imports = count (f, "imports");
  park_operator_page_import_file (f->page, missing);
  WAIT_NEXT (f, "imports", imports);
}

typedef struct
{
  guint (*get) (gpointer page);
  gpointer page;
  guint    above;
} PageLoads;

static gboolean
page_loaded (Fixture  *f,
             gpointer  data)
{
  PageLoads *loads = data;

  return loads->get (loads->page) > loads->above;
}

/* Reloads the operator pages and waits for @page's next load. */
static void
reload_page (Fixture  *f,
             gpointer  page,
             guint   (*get) (gpointer page))
{
  PageLoads loads = { get, page, get (page) };

  gtk_widget_activate_action (GTK_WIDGET (f->page), "operator.reload", NULL);
  wait_until (f, page_loaded, &loads, "the page to load again");
}

static ParkDiscount *
code_named (ParkDiscountsPage *page,
            const char        *code)
{
  return park_test_app_find_named (park_discounts_page_get_codes (page), "code", code);
}

static gboolean
has_code (Fixture  *f,
          gpointer  data)
{
  return code_named (park_operator_page_get_discounts_page (f->page), data) != NULL;
}

static gboolean
lacks_code (Fixture  *f,
            gpointer  data)
{
  return !has_code (f, data);
}

static gboolean
codes_error_says (Fixture  *f,
                  gpointer  data)
{
  const char *error = park_discounts_page_get_error (park_operator_page_get_discounts_page (f->page));

  return error != NULL && strstr (error, data) != NULL;
}

static void
set_page_field (GtkWidget  *row,
                const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
test_discount_codes (Fixture       *f,
                     gconstpointer  data)
{
  ParkDiscountsPage *page = park_operator_page_get_discounts_page (f->page);
  ParkDiscount *code;

  park_operator_page_show_tab (f->page, "codes");
  reload_page (f, page, (guint (*) (gpointer)) park_discounts_page_get_loads);

  /* Not a number: said at once, naming the field; nothing is sent. */
  set_page_field (park_discounts_page_get_field (page, "code"), "WINTER15");
  set_page_field (park_discounts_page_get_field (page, "value"), "fifteen");
  gtk_widget_activate_action (GTK_WIDGET (page), "discounts.create", NULL);
  g_assert_true (codes_error_says (f, (gpointer) "Percent"));
  g_assert_true (gtk_widget_has_css_class (park_discounts_page_get_field (page, "value"), "error"));
  set_page_field (park_discounts_page_get_field (page, "value"), "15");
  set_page_field (park_discounts_page_get_field (page, "expires"), "31.12.2030");
  gtk_widget_activate_action (GTK_WIDGET (page), "discounts.create", NULL);
  g_assert_true (codes_error_says (f, (gpointer) "Valid until"));

  /* Made, and listed with its limits. */
  set_page_field (park_discounts_page_get_field (page, "expires"), "2030-12-31");
  set_page_field (park_discounts_page_get_field (page, "max_uses"), "50");
  gtk_widget_activate_action (GTK_WIDGET (page), "discounts.create", NULL);
  wait_until (f, has_code, (gpointer) "WINTER15", "the new code in the list");
  code = code_named (page, "WINTER15");
  g_assert_cmpint (park_discount_get_percent_off (code), ==, 15);
  g_assert_cmpint (park_discount_get_max_uses (code), ==, 50);
  g_assert_null (park_discounts_page_get_error (page));

  /* An amount off, then the same code again: the server refuses it, naming the code. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (park_discounts_page_get_field (page, "kind")), 1);
  set_page_field (park_discounts_page_get_field (page, "code"), "FIVEOFF");
  set_page_field (park_discounts_page_get_field (page, "value"), "5,00");
  gtk_widget_activate_action (GTK_WIDGET (page), "discounts.create", NULL);
  wait_until (f, has_code, (gpointer) "FIVEOFF", "the amount code in the list");
  g_assert_cmpint (park_discount_get_amount_off (code_named (page, "FIVEOFF")), ==, 500);
  screenshot (f, "operator-codes.png");
  set_page_field (park_discounts_page_get_field (page, "code"), "FIVEOFF");
  set_page_field (park_discounts_page_get_field (page, "value"), "5");
  gtk_widget_activate_action (GTK_WIDGET (page), "discounts.create", NULL);
  wait_until (f, codes_error_says, (gpointer) "Code", "the duplicate's error");
  g_assert_true (gtk_widget_has_css_class (park_discounts_page_get_field (page, "code"), "error"));

  /* Deleted only after confirming. */
  park_discounts_page_delete (page, "WINTER15");
  wait_until (f, has_dialog, NULL, "the confirmation");
  park_test_app_respond ("cancel");
  settle (100);
  g_assert_true (has_code (f, (gpointer) "WINTER15"));
  park_discounts_page_delete (page, "WINTER15");
  wait_until (f, has_dialog, NULL, "the confirmation");
  park_test_app_respond ("delete");
  wait_until (f, lacks_code, (gpointer) "WINTER15", "the deleted code to leave the list");
}

/* The pages that hand out a key once (sensors, kiosks) are both a ParkDeviceKeysPage: what
 * tells them apart. */
typedef struct
{
  ParkDeviceKeysPage *page;
  const char         *create_action;   /* "sensors.create" */
  const char         *key_prefix;      /* of their keys: "psk_" */
} KeyPage;

typedef struct
{
  KeyPage    *keys;
  const char *name;
} Holder;

/* The sensor or kiosk named so in the page's list, or NULL. */
static GObject *
holder_named (KeyPage    *keys,
              const char *name)
{
  return park_test_app_find_named (park_device_keys_page_get_devices (keys->page), "name", name);
}

static gboolean
has_holder (Fixture  *f,
            gpointer  data)
{
  Holder *holder = data;

  return holder_named (holder->keys, holder->name) != NULL;
}

static gboolean
holder_revoked (Fixture  *f,
                gpointer  data)
{
  Holder *holder = data;
  GObject *found = holder_named (holder->keys, holder->name);
  g_autoptr(GDateTime) revoked_at = NULL;

  if (found != NULL)
    g_object_get (found, "revoked-at", &revoked_at, NULL);
  return revoked_at != NULL;
}

/* Made from the page's form, named @name, for the lot at @lot_row's row @lot: its key is
 * shown once, with a button that copies it; then the list has it, and never its key again.
 * Returns the one in the list. */
static GObject *
create_key_holder (Fixture     *f,
                   KeyPage     *keys,
                   const char  *name,
                   AdwComboRow *lot_row,
                   guint        lot,
                   const char  *screenshot_name)
{
  Holder holder = { keys, name };
  g_autofree char *key = NULL, *listed_key = NULL;
  GObject *made;

  set_page_field (park_device_keys_page_get_field (keys->page, "name"), name);
  adw_combo_row_set_selected (lot_row, lot);
  /* The operator's lots come again (the list reloaded) just after the choice: it stays. */
  park_device_keys_page_set_lots (keys->page, park_operator_page_get_lots (f->page));
  g_assert_cmpuint (adw_combo_row_get_selected (lot_row), ==, lot);
  gtk_widget_activate_action (GTK_WIDGET (keys->page), keys->create_action, NULL);
  wait_until (f, has_dialog, NULL, "the key dialog");
  key = g_strdup (park_device_keys_page_get_shown_key (keys->page));
  g_assert_true (g_str_has_prefix (key, keys->key_prefix));
  park_test_app_assert_key_dialog (key);
  screenshot (f, screenshot_name);
  park_test_app_respond ("done");
  wait_until (f, has_holder, &holder, "the new one in the list");
  made = holder_named (keys, name);
  g_object_get (made, "key", &listed_key, NULL);
  g_assert_null (listed_key);
  return made;
}

/* Revoked only after confirming; the page's list shows it so. */
static void
revoke_key_holder (Fixture    *f,
                   KeyPage    *keys,
                   GObject    *holder,
                   const char *screenshot_name)
{
  g_autofree char *id = NULL, *name = NULL;
  Holder want;

  g_object_get (holder, "id", &id, "name", &name, NULL);
  want = (Holder) { keys, name };
  park_device_keys_page_revoke (keys->page, id);
  wait_until (f, has_dialog, NULL, "the confirmation");
  park_test_app_respond ("revoke");
  wait_until (f, holder_revoked, &want, "the revocation in the list");
  screenshot (f, screenshot_name);
}

/* What the server lists: the one made, revoked. */
static void
assert_one_revoked (GListModel *listed)
{
  g_autoptr(GObject) stored = NULL;
  g_autoptr(GDateTime) revoked_at = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (listed), ==, 1);
  stored = g_list_model_get_item (listed, 0);
  g_object_get (stored, "revoked-at", &revoked_at, NULL);
  g_assert_nonnull (revoked_at);
}

static void
test_sensors (Fixture       *f,
              gconstpointer  data)
{
  ParkDeviceKeysPage *page = PARK_DEVICE_KEYS_PAGE (park_operator_page_get_sensors_page (f->page));
  KeyPage keys = { page, "sensors.create", "psk_" };
  AdwComboRow *lot_row = ADW_COMBO_ROW (park_device_keys_page_get_field (page, "lot"));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) listed = NULL;
  g_autoptr(ParkLot) first = NULL;
  ParkSensor *sensor;

  park_operator_page_show_tab (f->page, "sensors");
  reload_page (f, page, (guint (*) (gpointer)) park_device_keys_page_get_loads);
  /* The operator's lots to tie it to, after "any lot". */
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (lot_row)), ==,
                    1 + g_list_model_get_n_items (park_operator_page_get_lots (f->page)));

  /* No name: the server's refusal, naming it. */
  gtk_widget_activate_action (GTK_WIDGET (page), "sensors.create", NULL);
  {
    const char *want = "Name";
    gboolean said = FALSE;
    gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

    while (!said && g_get_monotonic_time () < deadline)
      {
        g_main_context_iteration (NULL, FALSE);
        said = park_device_keys_page_get_error (page) != NULL &&
               strstr (park_device_keys_page_get_error (page), want) != NULL;
      }
    g_assert_true (said);
  }

  /* Made for the first lot (the row after "any lot"). */
  sensor = PARK_SENSOR (create_key_holder (f, &keys, "Gate 1 loop", lot_row, 1,
                                           "operator-sensor-key.png"));
  first = g_list_model_get_item (park_operator_page_get_lots (f->page), 0);
  g_assert_cmpstr (park_sensor_get_lot_id (sensor), ==, park_lot_get_id (first));

  /* The server has it revoked. */
  revoke_key_holder (f, &keys, G_OBJECT (sensor), "operator-sensors.png");
  park_client_list_sensors_async (f->client, NULL, NULL, park_test_result_cb, &result);
  listed = park_client_list_sensors_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  assert_one_revoked (listed);
}

/* Kiosks (issue 7): made at one of the operator's lots, the key shown once with a copy
 * button, revoked after confirming. */
static void
test_kiosks (Fixture       *f,
             gconstpointer  data)
{
  ParkDeviceKeysPage *page = PARK_DEVICE_KEYS_PAGE (park_operator_page_get_kiosks_page (f->page));
  KeyPage keys = { page, "kiosks.create", "pkk_" };
  AdwComboRow *lot_row = ADW_COMBO_ROW (park_device_keys_page_get_field (page, "lot"));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) listed = NULL;
  g_autoptr(ParkLot) second = NULL;
  ParkKiosk *kiosk;

  park_operator_page_show_tab (f->page, "kiosks");
  reload_page (f, page, (guint (*) (gpointer)) park_device_keys_page_get_loads);
  /* Only the operator's own lots: a kiosk stands at one. */
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (lot_row)), ==,
                    g_list_model_get_n_items (park_operator_page_get_lots (f->page)));

  kiosk = PARK_KIOSK (create_key_holder (f, &keys, "Entrance kiosk", lot_row, 1,
                                         "operator-kiosk-key.png"));
  second = g_list_model_get_item (park_operator_page_get_lots (f->page), 1);
  g_assert_cmpstr (park_kiosk_get_lot_id (kiosk), ==, park_lot_get_id (second));
  g_assert_cmpstr (park_kiosk_get_lot_name (kiosk), ==, park_lot_get_name (second));

  revoke_key_holder (f, &keys, G_OBJECT (kiosk), "operator-kiosks.png");
  park_client_list_kiosks_async (f->client, NULL, NULL, park_test_result_cb, &result);
  listed = park_client_list_kiosks_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  assert_one_revoked (listed);
}

static gboolean
audit_on_page (Fixture  *f,
               gpointer  data)
{
  return park_audit_page_get_page (park_operator_page_get_audit_page (f->page)) ==
         GPOINTER_TO_UINT (data);
}

static void
test_audit_log (Fixture       *f,
                gconstpointer  data)
{
  ParkAuditPage *page = park_operator_page_get_audit_page (f->page);
  g_autofree char *first = NULL;
  guint loads;

  /* More changes than a page holds: codes made through the API. */
  for (guint i = 0; i < PARK_AUDIT_PAGE_SIZE + 2; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(ParkDiscount) code = NULL;
      g_autofree char *name = g_strdup_printf ("AUDIT%02u", i);

      park_client_create_discount_async (f->client, NULL, name, 5, -1, -1, NULL, NULL,
                                         park_test_result_cb, &result);
      code = park_client_create_discount_finish (f->client, park_test_await (&result, WAIT_S),
                                                 &error);
      g_assert_no_error (error);
    }

  park_operator_page_show_tab (f->page, "audit");
  reload_page (f, page, (guint (*) (gpointer)) park_audit_page_get_loads);
  g_assert_cmpuint (park_audit_page_get_n_rows (page), ==, PARK_AUDIT_PAGE_SIZE);
  /* Newest first: what, who (the operator, by their address) and when. */
  first = park_audit_page_dup_row_text (page, 0);
  g_test_message ("%s", first);
  g_assert_true (g_str_has_prefix (first, "Created a discount code | op@example.org · discount"));
  screenshot (f, "operator-audit.png");

  /* Older entries, and back. */
  loads = park_audit_page_get_loads (page);
  gtk_widget_activate_action (GTK_WIDGET (page), "audit.older", NULL);
  {
    PageLoads want = { (guint (*) (gpointer)) park_audit_page_get_loads, page, loads };

    wait_until (f, page_loaded, &want, "the older page");
  }
  g_assert_true (audit_on_page (f, GUINT_TO_POINTER (1)));
  g_assert_cmpuint (park_audit_page_get_n_rows (page), >=, 2);
  loads = park_audit_page_get_loads (page);
  gtk_widget_activate_action (GTK_WIDGET (page), "audit.newer", NULL);
  {
    PageLoads want = { (guint (*) (gpointer)) park_audit_page_get_loads, page, loads };

    wait_until (f, page_loaded, &want, "the newer page");
  }
  g_assert_true (audit_on_page (f, GUINT_TO_POINTER (0)));
}

int
main (int   argc,
      char *argv[])
{
  /* No G_TEST_OPTION_ISOLATE_DIRS: it hides the MIME database that gdk-pixbuf needs to
   * recognise GTK's SVG icons. GSettings is in memory, and parkd's data in its own tmpdir. */
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/app/operator/lots/create-delete", Fixture, NULL, fixture_setup,
              test_lot_create_delete, fixture_teardown);
  g_test_add ("/app/operator/lots/hours-amenities", Fixture, NULL, fixture_setup,
              test_lot_hours_amenities, fixture_teardown);
  g_test_add ("/app/operator/spots/out-of-service", Fixture, NULL, fixture_setup,
              test_spot_out_of_service, fixture_teardown);
  g_test_add ("/app/operator/pricing/field-error", Fixture, NULL, fixture_setup,
              test_pricing, fixture_teardown);
  g_test_add ("/app/operator/pricing/rules", Fixture, NULL, fixture_setup, test_pricing_rules,
              fixture_teardown);
  g_test_add ("/app/operator/staff/add", Fixture, NULL, fixture_setup, test_staff, fixture_teardown);
  g_test_add ("/app/operator/dashboard/revenue", Fixture, NULL, fixture_setup,
              test_dashboard_revenue, fixture_teardown);
  g_test_add ("/app/operator/lots/import", Fixture, NULL, fixture_setup, test_import,
              fixture_teardown);
  g_test_add ("/app/operator/codes/create-delete", Fixture, NULL, fixture_setup,
              test_discount_codes, fixture_teardown);
  g_test_add ("/app/operator/sensors/create-revoke", Fixture, NULL, fixture_setup, test_sensors,
              fixture_teardown);
  g_test_add ("/app/operator/kiosks/create-revoke", Fixture, NULL, fixture_setup, test_kiosks,
              fixture_teardown);
  g_test_add ("/app/operator/audit/pages", Fixture, NULL, fixture_setup, test_audit_log,
              fixture_teardown);
  return g_test_run ();
}
