/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-app-guest.c: a driver without an account at a kiosk (issue 7), in the real kiosk
 * window against the real parkd and the fake Stripe. The kiosk holds its own key, made by the
 * demo operator through the admin API. Booking with nobody signed in offers to go on without
 * an account; the guest types the plate and either pays at the booth (the confirmation shows
 * the code the server gave) or pays on Stripe's page from a phone (the webhook confirms the
 * booking and the kiosk shows the code). A guest who walks away while the QR code is shown
 * has the booking released by the kiosk's time-out. Without a key, booking asks for a
 * sign-in as before.
 *
 * With PARK_TEST_SCREENSHOTS=DIR set, the screens are saved there as PNG; run under a
 * 1080x1920 screen for the kiosk's portrait screen.
 */
#include "config.h"

#include <adwaita.h>
#include <park-core.h>
#include <string.h>

#include "park-test-app.h"
#include "park-test-backend.h"
#include "park-test-stripe.h"
#include "park-test-tiles.h"
#include "park-test-utils.h"
#include "park-window-private.h"

#define WAIT_S PARK_TEST_APP_WAIT_S
#define wait_until(f, condition, data, what) \
  park_test_app_wait_until ((ParkTestAppCondition) (condition), (f), (data), (what))
#define PASSWORD "correct horse battery"
#define PLATE "DD-KI 4711"

typedef struct
{
  ParkTestStripe     *stripe;
  ParkTestBackend    *backend;
  ParkTestTileServer *tiles;
  ParkClient         *client;
  GSettings          *settings;
  ParkWindow         *window;
  char               *lot_id;
  char               *operator_token;
} Fixture;

static char *
altmarkt_id (ParkClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) lots = NULL;
  g_autoptr(ParkLot) lot = NULL;

  park_client_search_lots_near_async (client, 51.0497, 13.7388, 50, PARK_SPOT_TYPE_ANY, 0, 1,
                                      NULL, park_test_result_cb, &result);
  lots = park_client_search_lots_finish (client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  lot = g_list_model_get_item (lots, 0);
  g_assert_cmpstr (park_lot_get_name (lot), ==, "Tiefgarage Altmarkt");
  return g_strdup (park_lot_get_id (lot));
}

static gboolean
on_start_screen (Fixture  *f,
                 gpointer  data)
{
  ParkLot *lot = park_lot_page_get_lot (_park_window_get_lot_page (f->window));

  return g_strcmp0 (_park_window_get_page_name (f->window), "lot") == 0 && lot != NULL &&
         park_lot_page_get_n_spots (_park_window_get_lot_page (f->window)) > 0;
}

/* The demo operator makes a key for a kiosk at the Altmarkt. */
static char *
make_kiosk_key (Fixture *f)
{
  static const char * const add_operator[] = {
    "--email", "olga@example.org", "--role", "operator", "--operator", "dresden-parking", NULL
  };
  g_autoptr(ParkTestResponse) login = NULL, made = NULL;
  g_autofree char *body = NULL;

  g_assert_cmpint (park_test_user_add (f->backend, add_operator, PASSWORD), ==, 0);
  login = park_test_call (f->backend, NULL, "POST", "api/v1/auth/login",
                          "{\"email\":\"olga@example.org\",\"password\":\"" PASSWORD "\"}");
  g_assert_cmpuint (login->status, ==, 200);
  f->operator_token = g_strdup (json_object_get_string_member (park_test_response_object (login),
                                                               "access_token"));
  body = g_strdup_printf ("{\"name\":\"Altmarkt entrance\",\"parking_lot_id\":\"%s\"}",
                          f->lot_id);
  made = park_test_call (f->backend, f->operator_token, "POST", "api/v1/admin/kiosks", body);
  g_assert_cmpuint (made->status, ==, 201);
  return g_strdup (json_object_get_string_member (park_test_response_object (made), "key"));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  gboolean with_key = GPOINTER_TO_INT (data);
  g_autoptr(ParkCredentials) credentials = park_memory_credentials_new ();
  static const char * const args[] = { "--demo", "--auth-rate-limit", "0", NULL };

  f->stripe = park_test_stripe_new ();
  f->backend = park_test_backend_new ();
  park_test_stripe_start_parkd (f->stripe, f->backend, args);

  f->tiles = park_test_tile_server_new (0);
  f->settings = g_settings_new (APP_ID);
  g_settings_reset (f->settings, "has-saved-view");
  g_settings_set_string (f->settings, "tile-url-template",
                         park_test_tile_server_get_template (f->tiles));
  g_settings_set_string (f->settings, "tile-mbtiles", "");
  f->client = park_client_new (f->backend->url, credentials);
  f->lot_id = altmarkt_id (f->client);
  if (with_key)
    {
      g_autofree char *key = make_kiosk_key (f);

      park_client_set_kiosk_key (f->client, key);
    }
  f->window = park_window_new_kiosk (NULL, f->client, f->settings, f->lot_id);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until (f, on_start_screen, NULL, "the kiosk's lot");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  park_test_app_settle (50);
  g_clear_object (&f->client);
  g_clear_object (&f->settings);
  g_clear_pointer (&f->tiles, park_test_tile_server_free);
  g_clear_pointer (&f->backend, park_test_backend_free);
  g_clear_pointer (&f->stripe, park_test_stripe_free);
  g_free (f->lot_id);
  g_free (f->operator_token);
}

static ParkBookingPage *
booking_page (Fixture *f)
{
  return _park_window_get_booking_page (f->window);
}

static gboolean
has_quote (Fixture  *f,
           gpointer  data)
{
  return park_booking_page_get_quote (booking_page (f)) != NULL;
}

static gboolean
in_view (Fixture  *f,
         gpointer  data)
{
  return g_strcmp0 (park_booking_page_get_view (booking_page (f)), data) == 0;
}

static gboolean
waiting_for_card (Fixture  *f,
                  gpointer  data)
{
  g_assert_null (park_booking_page_get_error (booking_page (f)));
  return in_view (f, "card") && park_booking_page_get_checkout_url (booking_page (f)) != NULL;
}

static gboolean
sign_in_shown (Fixture  *f,
               gpointer  data)
{
  GList *toplevels = gtk_window_list_toplevels ();
  gboolean found = FALSE;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (gtk_window_get_transient_for (l->data) == GTK_WINDOW (f->window) &&
        gtk_widget_get_visible (l->data))
      found = TRUE;
  g_list_free (toplevels);
  return found;
}

/* The widget inside @widget with CSS class @name, or NULL. */
static GtkWidget *
find_by_class (GtkWidget  *widget,
               const char *name)
{
  if (gtk_widget_has_css_class (widget, name))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_class (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The button that does @action_name, inside @widget, or NULL. */
static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action_name)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The server's view of a booking, read by the lot's operator. */
static JsonObject *
server_booking (Fixture    *f,
                const char *id)
{
  g_autofree char *path = g_strdup_printf ("api/v1/reservations/%s", id);
  g_autoptr(ParkTestResponse) response = park_test_call (f->backend, f->operator_token, "GET",
                                                         path, NULL);

  g_assert_cmpuint (response->status, ==, 200);
  return json_object_ref (park_test_response_object (response));
}

/* Opens the booking form at the kiosk's lot and asks to book, with nobody signed in: the
 * guest view, whose button waits for a plate. Then types @plate and goes on. */
static void
book_as_guest (Fixture  *f,
               gboolean  by_card)
{
  ParkBookingPage *page = booking_page (f);
  GtkWidget *plate_row, *go;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.book", "s", "");
  wait_until (f, has_quote, NULL, "a quote");
  park_booking_page_set_pay_by_card (page, by_card);
  gtk_widget_activate_action (GTK_WIDGET (page), "booking.book", NULL);
  wait_until (f, in_view, (gpointer) "guest", "the choice to go on without an account");
  g_assert_false (sign_in_shown (f, NULL));
  g_assert_nonnull (find_action_button (GTK_WIDGET (page), "booking.sign-in"));
  go = find_action_button (GTK_WIDGET (page), "booking.book-as-guest");
  g_assert_nonnull (go);
  g_assert_false (gtk_widget_get_sensitive (go));

  plate_row = find_by_class (GTK_WIDGET (page), "plate-entry");
  g_assert_nonnull (plate_row);
  gtk_editable_set_text (GTK_EDITABLE (plate_row), PLATE);
  g_assert_true (gtk_widget_get_sensitive (go));
  park_test_app_settle (300);
  park_test_app_screenshot ("kiosk-guest-plate.png");
  gtk_widget_activate_action (GTK_WIDGET (page), "booking.book-as-guest", NULL);
}

static void
test_guest_at_booth (Fixture       *f,
                     gconstpointer  data)
{
  ParkBookingPage *page = booking_page (f);
  g_autoptr(JsonObject) stored = NULL;
  ParkReservation *res;

  book_as_guest (f, FALSE);
  wait_until (f, in_view, (gpointer) "confirmation", "the confirmation");
  g_assert_false (park_client_get_signed_in (f->client));
  res = park_booking_page_get_reservation (page);
  g_assert_cmpint (park_reservation_get_status (res), ==, PARK_RESERVATION_STATUS_PENDING_PAYMENT);
  /* The code on the kiosk's screen is the booking's at the server, held for the booth. */
  stored = server_booking (f, park_reservation_get_id (res));
  g_assert_cmpstr (json_object_get_string_member (stored, "code"), ==,
                   park_reservation_get_code (res));
  g_assert_cmpstr (json_object_get_string_member (stored, "status"), ==, "pending_payment");
  park_test_app_settle (300);
  park_test_app_screenshot ("kiosk-guest-booth.png");

  /* The next driver finds nothing of this one. */
  _park_window_set_kiosk_timeout_ms (f->window, 1000);
  _park_window_kiosk_activity (f->window);
  wait_until (f, in_view, (gpointer) "form", "the form again after the time-out");
  g_assert_null (park_booking_page_get_reservation (page));
}

static void
test_guest_by_card (Fixture       *f,
                    gconstpointer  data)
{
  ParkBookingPage *page = booking_page (f);
  g_autofree char *page_text = NULL;
  g_autoptr(JsonObject) stored = NULL;
  ParkReservation *res;
  const char *url;

  book_as_guest (f, TRUE);
  wait_until (f, waiting_for_card, NULL, "Stripe's payment page");
  url = park_booking_page_get_checkout_url (page);
  park_test_app_settle (300);
  park_test_app_screenshot ("kiosk-guest-card.png");

  g_assert_cmpuint (park_test_stripe_visit_checkout (url, "pm_card_visa", &page_text), ==, 200);
  wait_until (f, in_view, (gpointer) "confirmation", "the confirmation");
  res = park_booking_page_get_reservation (page);
  g_assert_cmpint (park_reservation_get_status (res), ==, PARK_RESERVATION_STATUS_CONFIRMED);
  stored = server_booking (f, park_reservation_get_id (res));
  g_assert_cmpstr (json_object_get_string_member (stored, "code"), ==,
                   park_reservation_get_code (res));
  g_assert_cmpstr (json_object_get_string_member (stored, "status"), ==, "confirmed");
  park_test_app_settle (300);
  park_test_app_screenshot ("kiosk-guest-paid.png");
}

static gboolean
released (Fixture  *f,
          gpointer  data)
{
  g_autoptr(JsonObject) stored = server_booking (f, data);

  return g_strcmp0 (json_object_get_string_member (stored, "status"), "cancelled") == 0;
}

/* The guest walks away from the QR code: the time-out gives the spot back. */
static void
test_guest_walks_away (Fixture       *f,
                       gconstpointer  data)
{
  ParkBookingPage *page = booking_page (f);
  g_autofree char *id = NULL;

  book_as_guest (f, TRUE);
  wait_until (f, waiting_for_card, NULL, "Stripe's payment page");
  id = g_strdup (park_reservation_get_id (park_booking_page_get_reservation (page)));
  _park_window_set_kiosk_timeout_ms (f->window, 1000);
  _park_window_kiosk_activity (f->window);
  wait_until (f, on_start_screen, NULL, "the start screen after the time-out");
  wait_until (f, released, id, "the guest's booking released");
}

/* A kiosk without a key of its own: booking asks for a sign-in, as before. */
static void
test_no_key (Fixture       *f,
             gconstpointer  data)
{
  ParkBookingPage *page = booking_page (f);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.book", "s", "");
  wait_until (f, has_quote, NULL, "a quote");
  gtk_widget_activate_action (GTK_WIDGET (page), "booking.book", NULL);
  wait_until (f, sign_in_shown, NULL, "the sign-in");
  g_assert_cmpstr (park_booking_page_get_view (page), ==, "form");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = g_dir_make_tmp ("park-app-test-cache-XXXXXX", NULL);
  int status;

  g_assert_nonnull (cache);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/app/guest/at-booth", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_guest_at_booth, fixture_teardown);
  g_test_add ("/app/guest/by-card", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_guest_by_card, fixture_teardown);
  g_test_add ("/app/guest/walks-away", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_guest_walks_away, fixture_teardown);
  g_test_add ("/app/guest/no-key", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_no_key, fixture_teardown);

  status = g_test_run ();
  park_test_remove_tree (cache);
  return status;
}
