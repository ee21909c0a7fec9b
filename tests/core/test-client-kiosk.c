/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-client-kiosk.c: park-core at a kiosk (issue 7), on the real parkd. A client given the
 * kiosk's key books for a guest without an account through the usual calls, with the car's
 * plate; it reads, pays for (Stripe's page) and cancels that booking with the key. Without the
 * key, or with another kiosk's, it cannot; a guest without a plate is refused naming the
 * field. The kiosk's key is made by the demo operator through the admin API.
 */
#include "config.h"

#include <park-core.h>

#include "park-test-backend.h"
#include "park-test-utils.h"

#define WAIT_S 30
#define PASSWORD "correct horse battery"
#define PLATE "DD-KI 4711"

typedef struct
{
  ParkTestBackend *backend;
  char            *operator_token;
  ParkLot         *lot;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const args[] = { "--demo", "--auth-rate-limit", "0", NULL };
  static const char * const add_operator[] = {
    "--email", "olga@example.org", "--role", "operator", "--operator", "dresden-parking", NULL
  };
  g_autoptr(ParkTestResponse) login = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) lots = NULL;
  g_autoptr(ParkClient) anyone = NULL;

  f->backend = park_test_backend_new ();
  park_test_backend_start (f->backend, args);
  g_assert_cmpint (park_test_user_add (f->backend, add_operator, PASSWORD), ==, 0);
  login = park_test_call (f->backend, NULL, "POST", "api/v1/auth/login",
                          "{\"email\":\"olga@example.org\",\"password\":\"" PASSWORD "\"}");
  g_assert_cmpuint (login->status, ==, 200);
  f->operator_token = g_strdup (json_object_get_string_member (park_test_response_object (login),
                                                               "access_token"));

  anyone = park_client_new (f->backend->url, NULL);
  park_client_search_lots_near_async (anyone, 51.0504, 13.7373, 800, PARK_SPOT_TYPE_REGULAR,
                                      PARK_SEARCH_FLAGS_AVAILABLE_ONLY, 1, NULL,
                                      park_test_result_cb, &result);
  lots = park_client_search_lots_finish (anyone, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (lots), ==, 1);
  f->lot = g_list_model_get_item (lots, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->lot);
  g_clear_pointer (&f->operator_token, g_free);
  g_clear_pointer (&f->backend, park_test_backend_free);
}

/* A kiosk of the demo operator at the lot; its key. */
static char *
make_kiosk_key (Fixture    *f,
                const char *name)
{
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\",\"parking_lot_id\":\"%s\"}", name,
                                           park_lot_get_id (f->lot));
  g_autoptr(ParkTestResponse) made = park_test_call (f->backend, f->operator_token, "POST",
                                                     "api/v1/admin/kiosks", body);

  g_assert_cmpuint (made->status, ==, 201);
  return g_strdup (json_object_get_string_member (park_test_response_object (made), "key"));
}

static ParkClient *
kiosk_client (Fixture    *f,
              const char *key)
{
  ParkClient *client = park_client_new (f->backend->url, NULL);

  g_assert_false (park_client_get_has_kiosk_key (client));
  park_client_set_kiosk_key (client, key);
  g_assert_true (park_client_get_has_kiosk_key (client));
  g_assert_false (park_client_get_signed_in (client));
  return client;
}

static ParkReservation *
book (ParkClient  *client,
      ParkLot     *lot,
      const char  *plate,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_minutes (now, 5);
  g_autoptr(GDateTime) end = g_date_time_add_hours (start, 2);

  if (plate != NULL)
    park_client_book_with_plate_async (client, park_lot_get_id (lot), NULL,
                                       PARK_SPOT_TYPE_REGULAR, start, end, NULL, plate, NULL,
                                       park_test_result_cb, &result);
  else
    park_client_book_async (client, park_lot_get_id (lot), NULL, PARK_SPOT_TYPE_REGULAR, start,
                            end, NULL, NULL, NULL, park_test_result_cb, &result);
  return park_client_book_finish (client, park_test_await (&result, WAIT_S), error);
}

static ParkReservation *
get_reservation (ParkClient  *client,
                 const char  *id,
                 GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  park_client_get_reservation_async (client, id, NULL, park_test_result_cb, &result);
  return park_client_get_reservation_finish (client, park_test_await (&result, WAIT_S), error);
}

static void
test_guest (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *key = make_kiosk_key (f, "Entrance");
  g_autofree char *other_key = make_kiosk_key (f, "Exit");
  g_autoptr(ParkClient) kiosk = kiosk_client (f, key);
  g_autoptr(ParkClient) other = kiosk_client (f, other_key);
  g_autoptr(ParkClient) nobody = park_client_new (f->backend->url, NULL);
  g_autoptr(ParkReservation) no_plate = NULL, refused = NULL, booked = NULL, read = NULL;
  g_autoptr(ParkReservation) not_theirs = NULL, cancelled = NULL;
  g_autoptr(ParkReservation) paid = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* A guest gives the plate; without it the server names the field. */
  no_plate = book (kiosk, f->lot, NULL, &error);
  g_assert_null (no_plate);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "plate");
  g_clear_error (&error);
  /* Without a kiosk's key nobody books without signing in. */
  refused = book (nobody, f->lot, PLATE, &error);
  g_assert_null (refused);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  booked = book (kiosk, f->lot, PLATE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_reservation_get_status (booked), ==,
                   PARK_RESERVATION_STATUS_PENDING_PAYMENT);
  g_assert_nonnull (park_reservation_get_hold_until (booked));
  g_assert_cmpuint (strlen (park_reservation_get_code (booked)), >, 0);

  read = get_reservation (kiosk, park_reservation_get_id (booked), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_reservation_get_code (read), ==, park_reservation_get_code (booked));
  not_theirs = get_reservation (other, park_reservation_get_id (booked), &error);
  g_assert_null (not_theirs);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The kiosk asks for Stripe's page with its key: this parkd takes no cards, and says so
   * (not "sign in"). */
  park_client_create_checkout_async (kiosk, park_reservation_get_id (booked), NULL,
                                     park_test_result_cb, &result);
  url = park_client_create_checkout_finish (kiosk, park_test_await (&result, WAIT_S), NULL,
                                            &paid, &error);
  g_assert_null (url);
  g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "card-payments-off");
  g_clear_error (&error);
  g_clear_object (&result);

  /* The driver walks away: the kiosk gives the spot back. */
  park_client_cancel_reservation_async (kiosk, park_reservation_get_id (booked), NULL,
                                        park_test_result_cb, &result);
  cancelled = park_client_cancel_reservation_finish (kiosk, park_test_await (&result, WAIT_S),
                                                     &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_reservation_get_status (cancelled), ==,
                   PARK_RESERVATION_STATUS_CANCELLED);

  /* Forgetting the key makes the client an ordinary one again. */
  park_client_set_kiosk_key (kiosk, NULL);
  g_assert_false (park_client_get_has_kiosk_key (kiosk));
  g_clear_object (&read);
  read = get_reservation (kiosk, park_reservation_get_id (booked), &error);
  g_assert_null (read);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAUTHORIZED);
}

/* The operator's side: a kiosk made, listed (without its key) and revoked through
 * park-core, and its key then refused. */
static void
test_admin (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(ParkClient) op = park_client_new (f->backend->url, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkKiosk) made = NULL, listed_one = NULL;
  g_autoptr(GListModel) listed = NULL, after = NULL;
  g_autoptr(ParkClient) kiosk = NULL;
  g_autoptr(ParkReservation) refused = NULL;

  park_client_sign_in_async (op, "olga@example.org", PASSWORD, NULL, park_test_result_cb,
                             &result);
  park_client_sign_in_finish (op, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  park_client_create_kiosk_async (op, NULL, "Entrance", park_lot_get_id (f->lot), NULL,
                                  park_test_result_cb, &result);
  made = park_client_create_kiosk_finish (op, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (g_str_has_prefix (park_kiosk_get_key (made), "pkk_"));
  g_assert_cmpstr (park_kiosk_get_name (made), ==, "Entrance");
  g_assert_cmpstr (park_kiosk_get_lot_id (made), ==, park_lot_get_id (f->lot));
  g_assert_cmpstr (park_kiosk_get_lot_name (made), ==, park_lot_get_name (f->lot));
  g_assert_nonnull (park_kiosk_get_created_at (made));
  g_assert_null (park_kiosk_get_revoked_at (made));
  kiosk = kiosk_client (f, park_kiosk_get_key (made));

  park_client_list_kiosks_async (op, NULL, NULL, park_test_result_cb, &result);
  listed = park_client_list_kiosks_finish (op, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (g_list_model_get_n_items (listed), ==, 1);
  listed_one = g_list_model_get_item (listed, 0);
  g_assert_cmpstr (park_kiosk_get_id (listed_one), ==, park_kiosk_get_id (made));
  g_assert_null (park_kiosk_get_key (listed_one));

  park_client_revoke_kiosk_async (op, park_kiosk_get_id (made), NULL, park_test_result_cb,
                                  &result);
  g_assert_true (park_client_revoke_kiosk_finish (op, park_test_await (&result, WAIT_S),
                                                  &error));
  g_assert_no_error (error);
  refused = book (kiosk, f->lot, PLATE, &error);
  g_assert_null (refused);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "invalid-kiosk-key");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add ("/core/client/kiosk/guest", Fixture, NULL, fixture_setup, test_guest,
              fixture_teardown);
  g_test_add ("/core/client/kiosk/admin", Fixture, NULL, fixture_setup, test_admin,
              fixture_teardown);
  return g_test_run ();
}
