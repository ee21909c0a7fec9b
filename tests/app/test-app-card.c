/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-app-card.c: paying a booking by card in the real window, against the real parkd and
 * the fake Stripe (park-test-stripe.c, Stripe's wire format). The app shows Stripe's payment
 * page as a QR code; the test plays the driver's phone: it opens the page's address and pays
 * with one of Stripe's test cards, and the fake sends parkd the signed
 * checkout.session.completed webhook, as Stripe does. The address it opens is the one
 * zbarimg reads from the QR code on the screen. The app sees the booking paid and shows
 * the confirmation. Cancelling releases the booking and closes Stripe's page; a hold that
 * runs out on the server brings the form back. At a kiosk the page is only a QR code.
 *
 * With PARK_TEST_SCREENSHOTS=DIR set, the screens are saved there as PNG (import -window root);
 * run under a 1080x1920 screen for the kiosk's.
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

typedef struct
{
  ParkTestStripe     *stripe;
  ParkTestBackend    *backend;
  ParkTestTileServer *tiles;
  ParkClient         *client;
  GSettings          *settings;
  ParkWindow         *window;
  char               *lot_id;
} Fixture;

static gboolean
has_lots (Fixture  *f,
          gpointer  data)
{
  return g_list_model_get_n_items (park_window_get_lots (f->window)) > 0;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  gboolean kiosk = GPOINTER_TO_INT (data);
  g_autoptr(ParkCredentials) credentials = park_memory_credentials_new ();
  static const char * const args[] = { "--demo", "--auth-rate-limit", "0", NULL };

  f->stripe = park_test_stripe_new ();
  f->backend = park_test_backend_new ();
  park_test_stripe_start_parkd (f->stripe, f->backend, args);

  f->tiles = park_test_tile_server_new (0);
  f->settings = park_test_app_settings_new (f->tiles);
  f->client = park_client_new (f->backend->url, credentials);
  f->lot_id = park_test_app_altmarkt_id (f->client);
  if (kiosk)
    {
      f->window = park_window_new_kiosk (NULL, f->client, f->settings, f->lot_id);
      gtk_window_present (GTK_WINDOW (f->window));
      wait_until (f->window, park_test_app_on_start_screen, NULL, "the kiosk's lot");
    }
  else
    {
      f->window = park_window_new (NULL, f->client, f->settings);
      gtk_window_maximize (GTK_WINDOW (f->window));
      gtk_window_present (GTK_WINDOW (f->window));
      wait_until (f, has_lots, NULL, "the first lots");
    }
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
}

static ParkBookingPage *
booking_page (Fixture *f)
{
  return _park_window_get_booking_page (f->window);
}

static gboolean
back_on_form_saying (Fixture  *f,
                     gpointer  data)
{
  const char *error = park_booking_page_get_error (booking_page (f));

  return park_test_app_booking_in_view (f->window, (gpointer) "form") && error != NULL &&
         strstr (error, data) != NULL;
}

typedef struct
{
  Fixture    *f;
  const char *id;
  const char *status;
} CheckoutWant;

static gboolean
checkout_in_state (Fixture  *f,
                   gpointer  data)
{
  CheckoutWant *want = data;
  g_autoptr(JsonObject) session = park_test_stripe_get_checkout (f->stripe, want->id);

  return session != NULL &&
         g_strcmp0 (json_object_get_string_member (session, "status"), want->status) == 0;
}

static gboolean
lot_page_shows (Fixture  *f,
                gpointer  data)
{
  ParkLot *lot = park_lot_page_get_lot (_park_window_get_lot_page (f->window));

  return lot != NULL && g_str_equal (park_lot_get_id (lot), data) &&
         g_strcmp0 (_park_window_get_page_name (f->window), "lot") == 0;
}

/* What a phone's camera reads off the screen: the screen as it is (ImageMagick's import),
 * its QR code decoded by zbarimg (build-aux/dev installs both); NULL while there is none. */
static char *
scan_screen (Fixture *f)
{
  g_autofree char *shot = g_build_filename (f->backend->tmpdir, "screen.png", NULL);
  g_autofree char *import = g_strdup_printf ("import -window root %s", shot);
  g_autofree char *out = NULL, *err = NULL;
  const char *zbar[] = { "zbarimg", "--raw", "-q", shot, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_cmpint (system (import), ==, 0);
  g_spawn_sync (NULL, (char **) zbar, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  /* zbarimg's 4: no code found (the window is still drawing). */
  if (!g_spawn_check_wait_status (status, NULL))
    return NULL;
  return g_strdup (g_strstrip (out));
}

static gboolean
scans_as (Fixture  *f,
          gpointer  data)
{
  g_autofree char *scanned = scan_screen (f);

  if (scanned != NULL)
    g_assert_cmpstr (scanned, ==, data);
  else
    park_test_app_settle (200);
  return scanned != NULL;
}

/* Signs a driver in and books two hours at the Altmarkt, paying by card: the app waits on
 * Stripe's page. Returns the page's address. */
static char *
book_by_card (Fixture    *f,
              const char *email)
{
  ParkBookingPage *page = booking_page (f);
  g_autofree char *prefix = g_strconcat (park_test_stripe_get_url (f->stripe), "/c/pay/cs_",
                                         NULL);
  const char *url;

  park_test_app_register (f->client, email, PASSWORD);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-lot", "s", f->lot_id);
  wait_until (f, lot_page_shows, f->lot_id, "the lot's page");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.book", "s", "");
  wait_until (f->window, park_test_app_has_quote, NULL, "a quote");
  park_booking_page_set_pay_by_card (page, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (page), "booking.book", NULL);
  wait_until (f->window, park_test_app_waiting_for_card, NULL, "Stripe's payment page");
  url = park_booking_page_get_checkout_url (page);
  g_assert_true (g_str_has_prefix (url, prefix));
  g_assert_cmpint (park_reservation_get_status (park_booking_page_get_reservation (page)), ==,
                   PARK_RESERVATION_STATUS_PENDING_PAYMENT);
  return g_strdup (url);
}

static void
test_card_paid (Fixture       *f,
                gconstpointer  data)
{
  ParkBookingPage *page = booking_page (f);
  g_autofree char *url = book_by_card (f, "carla@example.org");
  g_autofree char *text = NULL, *declined = NULL;
  g_autoptr(JsonObject) session = NULL;
  g_autofree char *cs = park_test_stripe_dup_last_checkout (f->stripe);
  ParkReservation *res;
  GtkWidget *open_button;

  park_test_app_settle (300);
  park_test_app_screenshot (GPOINTER_TO_INT (data) ? "kiosk-card-payment.png"
                                                   : "card-payment.png");

  /* The code on the screen is the page's address: the phone scans it there. */
  wait_until (f, scans_as, url, "a QR code on the screen");
  /* A desktop opens the page itself; a kiosk has no browser to open it in. */
  open_button = park_test_app_find_action_button (GTK_WIDGET (page),
                                                  "booking.open-payment-page");
  g_assert_cmpint (gtk_widget_get_visible (open_button), ==, !GPOINTER_TO_INT (data));

  /* The phone: a declined card first, which changes nothing on the kiosk's screen. */
  g_assert_cmpuint (park_test_stripe_visit_checkout (url, "pm_card_chargeDeclined", &declined),
                    ==, 402);
  park_test_app_settle (2500);
  g_assert_cmpstr (park_booking_page_get_view (page), ==, "card");

  /* Then a good one: Stripe tells parkd, and the app shows the booking paid. */
  g_assert_cmpuint (park_test_stripe_visit_checkout (url, "pm_card_visa", &text), ==, 200);
  g_assert_nonnull (strstr (text, "webhook answered 200"));
  wait_until (f->window, park_test_app_booking_in_view, (gpointer) "confirmation",
              "the confirmation");
  res = park_booking_page_get_reservation (page);
  g_assert_cmpint (park_reservation_get_status (res), ==, PARK_RESERVATION_STATUS_CONFIRMED);
  g_assert_cmpint (park_reservation_get_balance_due (res), ==, 0);
  g_assert_null (park_booking_page_get_checkout_url (page));
  session = park_test_stripe_get_checkout (f->stripe, cs);
  g_assert_cmpint (json_object_get_int_member (session, "amount_total"), ==,
                   park_reservation_get_total_cost (res));
  park_test_app_settle (300);
  park_test_app_screenshot (GPOINTER_TO_INT (data) ? "kiosk-card-paid.png" : "card-paid.png");
}

/* parkd closes Stripe's page first, then cancels the booking. */
static gboolean
reservation_cancelled (Fixture  *f,
                       gpointer  data)
{
  g_autoptr(ParkReservation) res = park_test_app_fetch_reservation (f->client, data);

  return park_reservation_get_status (res) == PARK_RESERVATION_STATUS_CANCELLED;
}

static gboolean
reservation_ended (Fixture  *f,
                   gpointer  data)
{
  g_autoptr(ParkReservation) res = park_test_app_fetch_reservation (f->client, data);
  ParkReservationStatus status = park_reservation_get_status (res);

  return status == PARK_RESERVATION_STATUS_CANCELLED || status == PARK_RESERVATION_STATUS_EXPIRED;
}

static void
test_card_cancelled (Fixture       *f,
                     gconstpointer  data)
{
  ParkBookingPage *page = booking_page (f);
  g_autofree char *url = book_by_card (f, "conny@example.org");
  g_autofree char *cs = park_test_stripe_dup_last_checkout (f->stripe);
  g_autofree char *reservation_id =
    g_strdup (park_reservation_get_id (park_booking_page_get_reservation (page)));
  CheckoutWant want = { f, cs, "expired" };

  gtk_widget_activate_action (GTK_WIDGET (page), "booking.cancel-payment", NULL);
  wait_until (f, back_on_form_saying, (gpointer) "cancelled", "the form after cancelling");
  /* The booking is released and Stripe's page closed: the phone can no longer pay. */
  wait_until (f, checkout_in_state, &want, "Stripe's page closed");
  g_assert_cmpuint (park_test_stripe_visit_checkout (url, "pm_card_visa", NULL), ==, 404);
  wait_until (f, reservation_cancelled, reservation_id, "the booking released");
  g_assert_cmpuint (park_test_stripe_count_charges (f->stripe), ==, 0);
}

/* The hold runs out on the server (moved back in its database, as only time would; parkd
 * releases held bookings every 15 s): the app stops waiting and says so. */
static void
test_card_hold_ran_out (Fixture       *f,
                        gconstpointer  data)
{
  ParkBookingPage *page = booking_page (f);
  g_autofree char *url = book_by_card (f, "clara@example.org");
  g_autofree char *sql =
    g_strdup_printf ("UPDATE reservations SET hold_until = '2020-01-01T00:00:00Z' "
                     "WHERE id = '%s'",
                     park_reservation_get_id (park_booking_page_get_reservation (page)));

  park_test_backend_sql (f->backend, sql);
  wait_until (f, back_on_form_saying, (gpointer) "ran out", "the form after the hold ran out");
  g_assert_null (park_booking_page_get_checkout_url (page));
}

/* Another driver (its own account) asks for @res's spot and times through the API: the HTTP
 * status of the answer (201 booked, 409 taken). */
static guint
book_same_spot (Fixture         *f,
                ParkReservation *res)
{
  g_autoptr(ParkTestResponse) registered = NULL, booked = NULL;
  g_autoptr(GDateTime) start = g_date_time_to_utc (park_reservation_get_start_time (res));
  g_autoptr(GDateTime) end = g_date_time_to_utc (park_reservation_get_end_time (res));
  g_autofree char *start_text = g_date_time_format (start, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *end_text = g_date_time_format (end, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *email = g_strdup_printf ("other-%u@example.org", g_random_int ());
  g_autofree char *account = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"" PASSWORD "\","
                                              "\"first_name\":\"Otto\",\"last_name\":\"Other\"}",
                                              email);
  g_autofree char *path = g_strdup_printf ("api/v1/parking-lots/%s/spots/%s/reserve", f->lot_id,
                                           park_reservation_get_spot_id (res));
  g_autofree char *body = g_strdup_printf ("{\"start_time\":\"%s\",\"end_time\":\"%s\"}",
                                           start_text, end_text);

  registered = park_test_call (f->backend, NULL, "POST", "api/v1/auth/register", account);
  g_assert_cmpuint (registered->status, ==, 201);
  booked = park_test_call (f->backend,
                           json_object_get_string_member (park_test_response_object (registered),
                                                          "access_token"),
                           "POST", path, body);
  return booked->status;
}

/* The page's own clock: while the QR code is shown it releases the booking when the hold
 * ends, before parkd's sweep would (which only marks it expired). The lot's operator makes
 * the hold a minute, the shortest a lot may have, so the test waits that minute. */
static void
test_card_page_deadline (Fixture       *f,
                         gconstpointer  data)
{
  ParkBookingPage *page = booking_page (f);
  g_autofree char *token = park_test_app_operator_token (f->backend, "olga@example.org",
                                                         PASSWORD);
  g_autofree char *pricing = g_strdup_printf ("api/v1/admin/parking-lots/%s/pricing", f->lot_id);
  g_autoptr(ParkTestResponse) put = park_test_call (f->backend, token, "PUT", pricing,
                                                    "{\"hold_minutes\":1}");
  g_autofree char *url = NULL, *id = NULL;
  g_autoptr(ParkReservation) held = NULL;
  g_autoptr(JsonObject) stored = NULL;

  g_assert_cmpuint (put->status, ==, 200);
  url = book_by_card (f, "hanna@example.org");
  held = g_object_ref (park_booking_page_get_reservation (page));
  id = g_strdup (park_reservation_get_id (held));
  /* Held for this driver meanwhile: nobody else gets the spot. */
  g_assert_cmpuint (book_same_spot (f, held), ==, 409);

  park_test_app_wait_longer ((ParkTestAppCondition) back_on_form_saying, f,
                             (gpointer) "The time to pay ran out. The booking was released.",
                             60, "the page to give up at the end of the hold");
  g_assert_cmpstr (park_booking_page_get_error (page), ==,
                   "The time to pay ran out. The booking was released.");
  g_assert_null (park_booking_page_get_checkout_url (page));
  g_assert_null (park_booking_page_get_reservation (page));
  /* The form again, ready for a new booking. */
  wait_until (f->window, park_test_app_has_quote, NULL, "a quote");

  /* Released, and the spot is free. The page's words above say its own clock did it: had it
   * only heard from the server that the hold ended, it would say "Book again to pay". The
   * page's cancel normally ends it (cancelled); parkd's sweep, every 15 s, may end it at the
   * same moment (expired), and the page then says nothing more of it. */
  wait_until (f, reservation_ended, id, "the booking released");
  {
    g_autofree char *path = g_strdup_printf ("api/v1/reservations/%s", id);
    g_autoptr(ParkTestResponse) got = park_test_call (f->backend, token, "GET", path, NULL);
    const char *status;

    g_assert_cmpuint (got->status, ==, 200);
    status = json_object_get_string_member (park_test_response_object (got), "status");
    g_assert_true (g_str_equal (status, "cancelled") || g_str_equal (status, "expired"));
  }
  g_assert_cmpuint (book_same_spot (f, held), ==, 201);
  /* Stripe's page closed with it: the phone can no longer pay. */
  g_assert_cmpuint (park_test_stripe_visit_checkout (url, "pm_card_visa", NULL), ==, 404);
}

/* The driver walks away from the kiosk while the QR code is shown: at the time-out the
 * booking is released (and Stripe's page closed) before the kiosk signs the driver out. */
static void
test_kiosk_walks_away (Fixture       *f,
                       gconstpointer  data)
{
  ParkBookingPage *page = booking_page (f);
  g_autofree char *url = book_by_card (f, "kurt@example.org");
  g_autofree char *cs = park_test_stripe_dup_last_checkout (f->stripe);
  g_autofree char *reservation_id =
    g_strdup (park_reservation_get_id (park_booking_page_get_reservation (page)));
  CheckoutWant want = { f, cs, "expired" };

  _park_window_set_kiosk_timeout_ms (f->window, 1000);
  _park_window_kiosk_activity (f->window);
  wait_until (f->window, park_test_app_on_start_screen, NULL,
              "the start screen after the time-out");
  g_assert_null (park_booking_page_get_checkout_url (page));
  wait_until (f, checkout_in_state, &want, "Stripe's page closed");
  g_assert_cmpuint (park_test_stripe_visit_checkout (url, "pm_card_visa", NULL), ==, 404);
  /* Read with a second sign-in of the driver's: the kiosk's has ended by now. */
  {
    g_autoptr(ParkCredentials) credentials = park_memory_credentials_new ();
    g_autoptr(ParkClient) phone = park_client_new (f->backend->url, credentials);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(ParkReservation) res = NULL;

    park_client_sign_in_async (phone, "kurt@example.org", PASSWORD, NULL, park_test_result_cb,
                               &result);
    park_client_sign_in_finish (phone, park_test_await (&result, WAIT_S), &error);
    g_assert_no_error (error);
    res = park_test_app_fetch_reservation (phone, reservation_id);
    g_assert_cmpint (park_reservation_get_status (res), ==, PARK_RESERVATION_STATUS_CANCELLED);
  }
  g_assert_false (park_client_get_signed_in (f->client));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = park_test_app_init (&argc, &argv);
  int status;

  g_test_add ("/app/card/paid", Fixture, GINT_TO_POINTER (FALSE), fixture_setup, test_card_paid,
              fixture_teardown);
  g_test_add ("/app/card/cancelled", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_card_cancelled, fixture_teardown);
  g_test_add ("/app/card/hold-ran-out", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_card_hold_ran_out, fixture_teardown);
  g_test_add ("/app/card/page-deadline", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_card_page_deadline, fixture_teardown);
  g_test_add ("/app/card/kiosk-paid", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_card_paid, fixture_teardown);
  g_test_add ("/app/card/kiosk-walks-away", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_kiosk_walks_away, fixture_teardown);

  status = g_test_run ();
  /* libshumate's tile cache of this run. */
  park_test_remove_tree (cache);
  return status;
}
