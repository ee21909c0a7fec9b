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
 * The key file: the app as `parkade --kiosk --kiosk-key-file FILE` starts it (the real option
 * parsing, or the kiosk-key-file setting) reads the key from the file its operator saved it
 * in, as `echo` writes it. A file that cannot be read says so (the app prints why) and
 * booking asks for a sign-in; a key revoked since tells the guest to sign in or ask at the
 * booth.
 *
 * With PARK_TEST_SCREENSHOTS=DIR set, the screens are saved there as PNG; run under a
 * 1080x1920 screen for the kiosk's portrait screen.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <park-core.h>
#include <string.h>

#include "park-application.h"
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

typedef struct _Fixture Fixture;
/* What the test does in the window `parkade` opened. */
typedef void (*Scenario) (Fixture *f);

struct _Fixture
{
  ParkTestStripe     *stripe;
  ParkTestBackend    *backend;
  ParkTestTileServer *tiles;
  ParkClient         *client;
  GSettings          *settings;
  ParkWindow         *window;
  char               *lot_id;
  char               *operator_token;
  char               *kiosk_id;
  Scenario            scenario;
  gboolean            ran;
};

/* The demo operator makes a key for a kiosk at the Altmarkt. */
static char *
make_kiosk_key (Fixture *f)
{
  g_autoptr(ParkTestResponse) made = NULL;
  g_autofree char *body = NULL;

  f->operator_token = park_test_app_operator_token (f->backend, "olga@example.org", PASSWORD);
  body = g_strdup_printf ("{\"name\":\"Altmarkt entrance\",\"parking_lot_id\":\"%s\"}",
                          f->lot_id);
  made = park_test_call (f->backend, f->operator_token, "POST", "api/v1/admin/kiosks", body);
  g_assert_cmpuint (made->status, ==, 201);
  f->kiosk_id = g_strdup (json_object_get_string_member (park_test_response_object (made), "id"));
  return g_strdup (json_object_get_string_member (park_test_response_object (made), "key"));
}

/* parkd with the fake Stripe, the map's tiles and the Altmarkt's id: all but the window. */
static void
start_parkd (Fixture *f)
{
  g_autoptr(ParkCredentials) credentials = park_memory_credentials_new ();
  static const char * const args[] = { "--demo", "--auth-rate-limit", "0", NULL };

  f->stripe = park_test_stripe_new ();
  f->backend = park_test_backend_new ();
  park_test_stripe_start_parkd (f->stripe, f->backend, args);
  f->tiles = park_test_tile_server_new (0);
  f->settings = park_test_app_settings_new (f->tiles);
  f->client = park_client_new (f->backend->url, credentials);
  f->lot_id = park_test_app_altmarkt_id (f->client);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  gboolean with_key = GPOINTER_TO_INT (data);

  start_parkd (f);
  if (with_key)
    {
      g_autofree char *key = make_kiosk_key (f);

      park_client_set_kiosk_key (f->client, key);
    }
  f->window = park_window_new_kiosk (NULL, f->client, f->settings, f->lot_id);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until (f->window, park_test_app_on_start_screen, NULL, "the kiosk's lot");
}

/* For the tests that start the app as `parkade` does: it opens its own window. */
static void
app_fixture_setup (Fixture       *f,
                   gconstpointer  data)
{
  start_parkd (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  park_test_app_settle (50);
  /* The next test's app finds the settings as they were. */
  g_settings_reset (f->settings, "kiosk");
  g_settings_reset (f->settings, "kiosk-key-file");
  g_settings_reset (f->settings, "kiosk-lot");
  g_settings_reset (f->settings, "backend-url");
  g_clear_object (&f->client);
  g_clear_object (&f->settings);
  g_clear_pointer (&f->tiles, park_test_tile_server_free);
  g_clear_pointer (&f->backend, park_test_backend_free);
  g_clear_pointer (&f->stripe, park_test_stripe_free);
  g_free (f->lot_id);
  g_free (f->operator_token);
  g_free (f->kiosk_id);
}

static ParkBookingPage *
booking_page (Fixture *f)
{
  return _park_window_get_booking_page (f->window);
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
  wait_until (f->window, park_test_app_has_quote, NULL, "a quote");
  park_booking_page_set_pay_by_card (page, by_card);
  gtk_widget_activate_action (GTK_WIDGET (page), "booking.book", NULL);
  wait_until (f->window, park_test_app_booking_in_view, (gpointer) "guest",
              "the choice to go on without an account");
  g_assert_false (park_test_app_sign_in_shown (f->window, NULL));
  g_assert_nonnull (park_test_app_find_action_button (GTK_WIDGET (page), "booking.sign-in"));
  go = park_test_app_find_action_button (GTK_WIDGET (page), "booking.book-as-guest");
  g_assert_nonnull (go);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (go)), ==, "_Continue without an account");
  g_assert_false (gtk_widget_get_sensitive (go));

  plate_row = park_test_app_find_by_class (GTK_WIDGET (page), "plate-entry");
  g_assert_nonnull (plate_row);
  gtk_editable_set_text (GTK_EDITABLE (plate_row), PLATE);
  g_assert_true (gtk_widget_get_sensitive (go));
  park_test_app_settle (300);
  park_test_app_screenshot ("kiosk-guest-plate.png");
  gtk_widget_activate_action (GTK_WIDGET (page), "booking.book-as-guest", NULL);
}

/* A guest books at the kiosk and pays at the booth. */
static void
guest_books_at_booth (Fixture *f)
{
  ParkBookingPage *page = booking_page (f);
  g_autoptr(JsonObject) stored = NULL;
  ParkReservation *res;

  book_as_guest (f, FALSE);
  wait_until (f->window, park_test_app_booking_in_view, (gpointer) "confirmation",
              "the confirmation");
  g_assert_false (park_client_get_signed_in (park_window_get_client (f->window)));
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
  wait_until (f->window, park_test_app_booking_in_view, (gpointer) "form",
              "the form again after the time-out");
  g_assert_null (park_booking_page_get_reservation (page));
}

static void
test_guest_at_booth (Fixture       *f,
                     gconstpointer  data)
{
  guest_books_at_booth (f);
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
  wait_until (f->window, park_test_app_waiting_for_card, NULL, "Stripe's payment page");
  url = park_booking_page_get_checkout_url (page);
  park_test_app_settle (300);
  park_test_app_screenshot ("kiosk-guest-card.png");

  g_assert_cmpuint (park_test_stripe_visit_checkout (url, "pm_card_visa", &page_text), ==, 200);
  wait_until (f->window, park_test_app_booking_in_view, (gpointer) "confirmation",
              "the confirmation");
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
  wait_until (f->window, park_test_app_waiting_for_card, NULL, "Stripe's payment page");
  id = g_strdup (park_reservation_get_id (park_booking_page_get_reservation (page)));
  _park_window_set_kiosk_timeout_ms (f->window, 1000);
  _park_window_kiosk_activity (f->window);
  wait_until (f->window, park_test_app_on_start_screen, NULL,
              "the start screen after the time-out");
  wait_until (f, released, id, "the guest's booking released");
}

/* Booking asks for a sign-in (a kiosk without a key of its own, as before). */
static void
booking_asks_sign_in (Fixture *f)
{
  ParkBookingPage *page = booking_page (f);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.book", "s", "");
  wait_until (f->window, park_test_app_has_quote, NULL, "a quote");
  gtk_widget_activate_action (GTK_WIDGET (page), "booking.book", NULL);
  wait_until (f->window, park_test_app_sign_in_shown, NULL, "the sign-in");
  g_assert_cmpstr (park_booking_page_get_view (page), ==, "form");
}

static void
test_no_key (Fixture       *f,
             gconstpointer  data)
{
  booking_asks_sign_in (f);
}

/* ---- The key file, read by the app as `parkade` starts it --------------------------- */

/* What the app printed for a person to read (g_printerr), while `parkade` ran. */
static GString *printed;

static void
printerr_cb (const char *text)
{
  g_string_append (printed, text);
  fputs (text, stderr);
}

static void
activated_cb (GApplication *app,
              Fixture      *f)
{
  f->window = PARK_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (f->window);
  g_assert_true (park_window_get_kiosk (f->window));
  wait_until (f->window, park_test_app_on_start_screen, NULL, "the kiosk's lot");
  f->scenario (f);
  f->ran = TRUE;
  /* Its last window gone, the app quits. */
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
}

/* Runs the app as `parkade ARGS…` does (its own option parsing, its own client and window),
 * and @scenario in the window it opens once activated. Returns what it printed. */
static char *
run_parkade (Fixture            *f,
             const char * const *args,
             Scenario            scenario)
{
  g_autoptr(ParkApplication) app = park_application_new ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  GPrintFunc old;
  int status;

  g_ptr_array_add (argv, (gpointer) "parkade");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  f->scenario = scenario;
  g_signal_connect_after (app, "activate", G_CALLBACK (activated_cb), f);
  printed = g_string_new (NULL);
  old = g_set_printerr_handler (printerr_cb);
  status = g_application_run (G_APPLICATION (app), argv->len - 1, (char **) argv->pdata);
  g_set_printerr_handler (old);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (f->ran);
  return g_string_free (g_steal_pointer (&printed), FALSE);
}

/* The file the operator saved the kiosk's key in, written as `echo KEY > FILE` does (a
 * newline at the end), or with @text instead. */
static char *
write_key_file (Fixture    *f,
                const char *text)
{
  g_autofree char *path = g_build_filename (f->backend->tmpdir, "kiosk.key", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* A key the operator made, saved as `echo KEY > FILE` saves it: the file. */
static char *
echo_key_to_file (Fixture *f)
{
  g_autofree char *key = make_kiosk_key (f);
  g_autofree char *echoed = g_strconcat (key, "\n", NULL);

  return write_key_file (f, echoed);
}

/* `parkade --kiosk --kiosk-key-file FILE --backend URL --lot ID`, as a kiosk is started. */
static char *
run_kiosk (Fixture    *f,
           const char *key_file,
           Scenario    scenario)
{
  const char * const args[] = {
    "--kiosk", "--kiosk-key-file", key_file, "--backend", f->backend->url, "--lot", f->lot_id,
    NULL
  };

  return run_parkade (f, args, scenario);
}

/* `parkade --kiosk --kiosk-key-file FILE`: a guest books. */
static void
test_key_file_option (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = echo_key_to_file (f);
  g_autofree char *said = run_kiosk (f, path, guest_books_at_booth);

  g_assert_cmpstr (said, ==, "");
}

/* The same from the app's settings (kiosk, kiosk-key-file, kiosk-lot), as a kiosk set up
 * once is started with plain `parkade`; spaces and a Windows line end around the key. */
static void
test_key_file_setting (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *key = make_kiosk_key (f);
  g_autofree char *padded = g_strconcat ("  ", key, " \r\n\n", NULL);
  g_autofree char *path = write_key_file (f, padded);
  const char * const args[] = { NULL };
  g_autofree char *said = NULL;

  g_settings_set_boolean (f->settings, "kiosk", TRUE);
  g_settings_set_string (f->settings, "kiosk-key-file", path);
  g_settings_set_string (f->settings, "kiosk-lot", f->lot_id);
  g_settings_set_string (f->settings, "backend-url", f->backend->url);
  said = run_parkade (f, args, guest_books_at_booth);
  g_assert_cmpstr (said, ==, "");
}

/* A file the app cannot read: it says why, and drivers sign in to book. */
static void
test_key_file_unreadable (Fixture       *f,
                          gconstpointer  data)
{
  const char *kind = data;
  g_autofree char *path = NULL;
  g_autofree char *said = NULL, *why = NULL;

  if (g_str_equal (kind, "missing"))
    {
      path = g_build_filename (f->backend->tmpdir, "no-such.key", NULL);
      why = g_strdup ("No such file or directory");
    }
  else if (g_str_equal (kind, "directory"))
    {
      /* The operator named the folder, not the file (a file of mode 000 would do as well
       * here, but not for root, whom the tests may run as). */
      path = g_build_filename (f->backend->tmpdir, "keys", NULL);
      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
      why = g_strdup ("Is a directory");
    }
  else
    {
      path = write_key_file (f, " \n");
      why = g_strdup_printf ("“%s” is empty", path);
    }
  said = run_kiosk (f, path, booking_asks_sign_in);
  g_test_message ("parkade said: %s", said);
  g_assert_true (g_str_has_prefix (said, "The kiosk's key cannot be read, so drivers must sign "
                                         "in to book: "));
  g_assert_nonnull (strstr (said, path));
  g_assert_nonnull (strstr (said, why));
}

/* The operator revoked the key after it was saved: the kiosk still offers to go on without
 * an account (it cannot know before it asks), then tells the guest to sign in or ask at the
 * booth, and from then on booking asks for a sign-in. */
static gboolean
refused (Fixture  *f,
         gpointer  data)
{
  g_assert_null (park_booking_page_get_reservation (booking_page (f)));
  return park_booking_page_get_error (booking_page (f)) != NULL;
}

static void
guest_meets_revoked_key (Fixture *f)
{
  ParkBookingPage *page = booking_page (f);

  book_as_guest (f, FALSE);
  wait_until (f, refused, NULL, "the booking refused");
  g_assert_cmpstr (park_booking_page_get_view (page), ==, "form");
  g_assert_cmpstr (park_booking_page_get_error (page), ==,
                   "This kiosk cannot take bookings without an account right now. Sign in, or "
                   "ask at the booth.");
  park_test_app_settle (300);
  park_test_app_screenshot ("kiosk-guest-revoked.png");

  /* Book again: the sign-in, not the same choice that cannot work. */
  gtk_widget_activate_action (GTK_WIDGET (page), "booking.book", NULL);
  wait_until (f->window, park_test_app_sign_in_shown, NULL, "the sign-in");
  g_assert_cmpstr (park_booking_page_get_view (page), ==, "form");
}

static void
test_key_revoked (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = echo_key_to_file (f);
  g_autofree char *revoke = g_strdup_printf ("api/v1/admin/kiosks/%s", f->kiosk_id);
  g_autoptr(ParkTestResponse) revoked = park_test_call (f->backend, f->operator_token, "DELETE",
                                                        revoke, NULL);
  g_autofree char *said = NULL;

  g_assert_cmpuint (revoked->status, ==, 204);
  said = run_kiosk (f, path, guest_meets_revoked_key);
  /* For the kiosk's operator, in its log. */
  g_assert_cmpstr (said, ==, "The parking server refused the kiosk's key (it was revoked), so "
                             "drivers must sign in to book\n");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = park_test_app_init (&argc, &argv);
  int status;

  g_test_add ("/app/guest/at-booth", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_guest_at_booth, fixture_teardown);
  g_test_add ("/app/guest/by-card", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_guest_by_card, fixture_teardown);
  g_test_add ("/app/guest/walks-away", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_guest_walks_away, fixture_teardown);
  g_test_add ("/app/guest/no-key", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_no_key, fixture_teardown);
  g_test_add ("/app/guest/key-file/option", Fixture, NULL, app_fixture_setup,
              test_key_file_option, fixture_teardown);
  g_test_add ("/app/guest/key-file/setting", Fixture, NULL, app_fixture_setup,
              test_key_file_setting, fixture_teardown);
  g_test_add ("/app/guest/key-file/missing", Fixture, "missing", app_fixture_setup,
              test_key_file_unreadable, fixture_teardown);
  g_test_add ("/app/guest/key-file/directory", Fixture, "directory", app_fixture_setup,
              test_key_file_unreadable, fixture_teardown);
  g_test_add ("/app/guest/key-file/empty", Fixture, "empty", app_fixture_setup,
              test_key_file_unreadable, fixture_teardown);
  g_test_add ("/app/guest/key-file/revoked", Fixture, NULL, app_fixture_setup,
              test_key_revoked, fixture_teardown);

  status = g_test_run ();
  park_test_remove_tree (cache);
  return status;
}
