/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-client-reservations.c: a driver quotes, books, extends and cancels on the real parkd,
 * an attendant takes the cash and checks a walk-in in and out; conflicts and validation
 * errors arrive as PARK_CLIENT_ERROR with the server's field.
 */
#include "config.h"

#include <park-core.h>

#include "park-test-backend.h"
#include "park-test-utils.h"

#define ALTMARKT_LAT 51.0504
#define ALTMARKT_LNG 13.7373
#define WAIT_S 30
#define PASSWORD "correct horse battery"

typedef struct
{
  ParkTestBackend *backend;
  ParkClient      *driver;
  ParkLot         *lot;
} Fixture;

static ParkClient *
signed_in_client (Fixture    *f,
                  const char *email,
                  gboolean    register_first)
{
  g_autoptr(ParkClient) client = park_client_new (f->backend->url, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (register_first)
    {
      park_client_register_async (client, email, PASSWORD, "Dora", "Driver", NULL, NULL,
                                  park_test_result_cb, &result);
      park_client_register_finish (client, park_test_await (&result, WAIT_S), &error);
    }
  else
    {
      park_client_sign_in_async (client, email, PASSWORD, NULL, park_test_result_cb, &result);
      park_client_sign_in_finish (client, park_test_await (&result, WAIT_S), &error);
    }
  g_assert_no_error (error);
  g_assert_true (park_client_get_signed_in (client));
  return g_steal_pointer (&client);
}

static ParkClient *
attendant (Fixture *f)
{
  static const char * const args[] = {
    "--email", "booth@example.org", "--role", "attendant", "--operator", "dresden-parking", NULL
  };

  g_assert_cmpint (park_test_user_add (f->backend, args, PASSWORD), ==, 0);
  return signed_in_client (f, "booth@example.org", FALSE);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const args[] = { "--demo", "--auth-rate-limit", "0", NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) lots = NULL;

  f->backend = park_test_backend_new ();
  park_test_backend_start (f->backend, args);
  f->driver = signed_in_client (f, "dora@example.org", TRUE);

  park_client_search_lots_near_async (f->driver, ALTMARKT_LAT, ALTMARKT_LNG, 800,
                                      PARK_SPOT_TYPE_REGULAR, PARK_SEARCH_FLAGS_AVAILABLE_ONLY, 1,
                                      NULL, park_test_result_cb, &result);
  lots = park_client_search_lots_finish (f->driver, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (lots), ==, 1);
  f->lot = g_list_model_get_item (lots, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->lot);
  g_clear_object (&f->driver);
  g_clear_pointer (&f->backend, park_test_backend_free);
}

/* A stay starting @from_h hours from now (to the second), lasting @hours. */
static void
stay (int         from_h,
      int         hours,
      GDateTime **start,
      GDateTime **end)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) whole = g_date_time_new_utc (g_date_time_get_year (now),
                                                    g_date_time_get_month (now),
                                                    g_date_time_get_day_of_month (now),
                                                    g_date_time_get_hour (now),
                                                    g_date_time_get_minute (now), 0);

  *start = g_date_time_add_hours (whole, from_h);
  *end = g_date_time_add_hours (*start, hours);
}

static ParkQuote *
quote (Fixture      *f,
       GDateTime    *start,
       GDateTime    *end,
       GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  park_client_quote_async (f->driver, park_lot_get_id (f->lot), PARK_SPOT_TYPE_REGULAR, start,
                           end, NULL, NULL, park_test_result_cb, &result);
  return park_client_quote_finish (f->driver, park_test_await (&result, WAIT_S), error);
}

static ParkReservation *
book (ParkClient  *client,
      const char  *lot_id,
      const char  *spot_id,
      GDateTime   *start,
      GDateTime   *end,
      const char  *quote_id,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  park_client_book_async (client, lot_id, spot_id, PARK_SPOT_TYPE_REGULAR, start, end,
                          quote_id, NULL, NULL, park_test_result_cb, &result);
  return park_client_book_finish (client, park_test_await (&result, WAIT_S), error);
}

static void
test_quote_book_extend_pay_cancel (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GDateTime) start = NULL, end = NULL, later = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkQuote) offer = NULL;
  g_autoptr(ParkReservation) booked = NULL;
  g_autoptr(ParkReservation) extended = NULL;
  g_autoptr(ParkReservation) paid = NULL;
  g_autoptr(ParkReservation) cancelled = NULL;
  g_autoptr(ParkReservation) fetched = NULL;
  g_autoptr(ParkPayment) payment = NULL;
  g_autoptr(ParkReceipt) receipt = NULL;
  g_autoptr(ParkClient) booth = NULL;
  g_autoptr(GListModel) mine = NULL;
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *text = NULL;

  stay (3, 2, &start, &end);
  offer = quote (f, start, end, &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_quote_get_total_cost (offer), >, 0);
  g_assert_cmpstr (park_quote_get_currency (offer), ==, "EUR");

  /* Booked at the quoted price, held until paid. */
  booked = book (f->driver, park_lot_get_id (f->lot), NULL, start, end,
                 park_quote_get_id (offer), &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_reservation_get_status (booked), ==,
                   PARK_RESERVATION_STATUS_PENDING_PAYMENT);
  g_assert_cmpstr (park_reservation_get_lot_id (booked), ==, park_lot_get_id (f->lot));
  g_assert_cmpstr (park_reservation_get_lot_name (booked), ==, park_lot_get_name (f->lot));
  g_assert_cmpstr (park_reservation_get_quote_id (booked), ==, park_quote_get_id (offer));
  g_assert_cmpint (park_reservation_get_total_cost (booked), ==,
                   park_quote_get_total_cost (offer));
  g_assert_cmpint (park_reservation_get_balance_due (booked), ==,
                   park_reservation_get_total_cost (booked));
  g_assert_nonnull (park_reservation_get_hold_until (booked));
  g_assert_true (g_date_time_equal (park_reservation_get_start_time (booked), start));
  g_assert_cmpuint (strlen (park_reservation_get_code (booked)), ==, 6);

  /* An hour more: priced again, the difference due. */
  later = g_date_time_add_hours (end, 1);
  park_client_extend_reservation_async (f->driver, park_reservation_get_id (booked), later,
                                        NULL, park_test_result_cb, &r1);
  extended = park_client_extend_reservation_finish (f->driver, park_test_await (&r1, WAIT_S),
                                                    &error);
  g_assert_no_error (error);
  g_assert_true (g_date_time_equal (park_reservation_get_end_time (extended), later));
  g_assert_cmpint (park_reservation_get_total_cost (extended), >,
                   park_reservation_get_total_cost (booked));

  /* Cash at the booth, with change. */
  booth = attendant (f);
  park_client_pay_reservation_async (booth, park_reservation_get_id (booked),
                                     PARK_PAYMENT_PROVIDER_CASH, NULL,
                                     park_reservation_get_balance_due (extended) + 500, NULL,
                                     park_test_result_cb, &r2);
  payment = park_client_pay_reservation_finish (booth, park_test_await (&r2, WAIT_S), &paid,
                                                &secret, &error);
  g_assert_no_error (error);
  g_assert_null (secret);
  g_assert_cmpint (park_payment_get_provider (payment), ==, PARK_PAYMENT_PROVIDER_CASH);
  g_assert_cmpint (park_payment_get_status (payment), ==, PARK_PAYMENT_STATUS_SUCCEEDED);
  g_assert_cmpint (park_payment_get_amount (payment), ==,
                   park_reservation_get_total_cost (extended));
  g_assert_cmpint (park_payment_get_change (payment), ==, 500);
  g_assert_null (park_payment_get_provider_ref (payment));
  g_assert_cmpint (park_reservation_get_status (paid), ==, PARK_RESERVATION_STATUS_CONFIRMED);
  g_assert_cmpint (park_reservation_get_balance_due (paid), ==, 0);

  /* The driver sees it among theirs. */
  park_client_list_reservations_async (f->driver, 0, NULL, park_test_result_cb, &r3);
  mine = park_client_list_reservations_finish (f->driver, park_test_await (&r3, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (mine), ==, 1);
  {
    g_autoptr(ParkReservation) first = g_list_model_get_item (mine, 0);

    g_assert_cmpstr (park_reservation_get_id (first), ==, park_reservation_get_id (booked));
    g_assert_cmpint (park_reservation_get_status (first), ==, PARK_RESERVATION_STATUS_CONFIRMED);
  }

  /* The booking's payments, as the driver reads them for receipts: the booth's cash. */
  {
    g_autoptr(GAsyncResult) rp = NULL;
    g_autoptr(GListModel) payments = NULL;
    g_autoptr(ParkPayment) listed = NULL;

    park_client_list_reservation_payments_async (f->driver, park_reservation_get_id (booked),
                                                 NULL, park_test_result_cb, &rp);
    payments = park_client_list_reservation_payments_finish (f->driver,
                                                             park_test_await (&rp, WAIT_S),
                                                             &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (payments), ==, 1);
    listed = g_list_model_get_item (payments, 0);
    g_assert_cmpstr (park_payment_get_id (listed), ==, park_payment_get_id (payment));
    g_assert_cmpint (park_payment_get_amount (listed), ==, park_payment_get_amount (payment));
  }

  /* Cancelled before the start: all of it refunded, nothing kept. */
  park_client_cancel_reservation_async (f->driver, park_reservation_get_id (booked), NULL,
                                        park_test_result_cb, &r4);
  cancelled = park_client_cancel_reservation_finish (f->driver, park_test_await (&r4, WAIT_S),
                                                     &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_reservation_get_status (cancelled), ==,
                   PARK_RESERVATION_STATUS_CANCELLED);
  g_assert_nonnull (park_reservation_get_cancelled_at (cancelled));
  g_assert_cmpint (park_reservation_get_paid (cancelled), ==, 0);

  park_client_get_receipt_async (f->driver, park_payment_get_id (payment), NULL,
                                 park_test_result_cb, &r5);
  receipt = park_client_get_receipt_finish (f->driver, park_test_await (&r5, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_receipt_get_reservation_code (receipt), ==,
                   park_reservation_get_code (booked));
  g_assert_cmpstr (park_receipt_get_lot_name (receipt), ==, park_lot_get_name (f->lot));
  g_assert_cmpint (park_payment_get_refunded (park_receipt_get_payment (receipt)), ==,
                   park_payment_get_amount (payment));
  g_assert_cmpint (park_payment_get_status (park_receipt_get_payment (receipt)), ==,
                   PARK_PAYMENT_STATUS_REFUNDED);

  park_client_get_receipt_text_async (booth, park_payment_get_id (payment), NULL,
                                      park_test_result_cb, &r6);
  text = park_client_get_receipt_text_finish (booth, park_test_await (&r6, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, park_lot_get_name (f->lot)));
  g_assert_nonnull (strstr (text, park_reservation_get_code (booked)));

  /* Cancelled once is enough. */
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(ParkReservation) twice = NULL;

    park_client_cancel_reservation_async (f->driver, park_reservation_get_id (booked), NULL,
                                          park_test_result_cb, &r);
    twice = park_client_cancel_reservation_finish (f->driver, park_test_await (&r, WAIT_S),
                                                   &error);
    g_assert_null (twice);
    g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT);
    g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "invalid-state");
    g_clear_error (&error);
  }

  {
    g_autoptr(GAsyncResult) r = NULL;

    park_client_get_reservation_async (f->driver, park_reservation_get_id (booked), NULL,
                                       park_test_result_cb, &r);
    fetched = park_client_get_reservation_finish (f->driver, park_test_await (&r, WAIT_S),
                                                  &error);
    g_assert_no_error (error);
    g_assert_cmpint (park_reservation_get_status (fetched), ==,
                     PARK_RESERVATION_STATUS_CANCELLED);
  }
}

static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GDateTime) start = NULL, end = NULL, overlap = NULL, overlap_end = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkReservation) first = NULL;
  g_autoptr(ParkReservation) second = NULL;
  g_autoptr(ParkClient) other = signed_in_client (f, "otto@example.org", TRUE);

  stay (4, 2, &start, &end);
  first = book (f->driver, park_lot_get_id (f->lot), NULL, start, end, NULL, &error);
  g_assert_no_error (error);

  /* The same spot, for an hour that overlaps. */
  overlap = g_date_time_add_hours (start, 1);
  overlap_end = g_date_time_add_hours (end, 1);
  second = book (other, park_lot_get_id (f->lot), park_reservation_get_spot_id (first),
                 overlap, overlap_end, NULL, &error);
  g_assert_null (second);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT);
  g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "spot-taken");
  g_assert_cmpuint (park_client_error_get_http_status (error), ==, 409);
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GDateTime) start = NULL, end = NULL, earlier = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkQuote) backwards = NULL;
  g_autoptr(ParkReservation) booked = NULL;
  g_autoptr(ParkReservation) shortened = NULL;
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(ParkClient) weak = park_client_new (f->backend->url, NULL);

  /* A stay that ends before it starts: the field is the server's. */
  stay (5, 2, &start, &end);
  backwards = quote (f, end, start, &error);
  g_assert_null (backwards);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "end_time");
  g_clear_error (&error);

  booked = book (f->driver, park_lot_get_id (f->lot), NULL, start, end, NULL, &error);
  g_assert_no_error (error);
  earlier = g_date_time_add_hours (end, -1);
  park_client_extend_reservation_async (f->driver, park_reservation_get_id (booked), earlier,
                                        NULL, park_test_result_cb, &r1);
  shortened = park_client_extend_reservation_finish (f->driver, park_test_await (&r1, WAIT_S),
                                                     &error);
  g_assert_null (shortened);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "end_time");
  g_clear_error (&error);

  park_client_register_async (weak, "weak@example.org", "password123", NULL, NULL, NULL, NULL,
                              park_test_result_cb, &r2);
  g_assert_false (park_client_register_finish (weak, park_test_await (&r2, WAIT_S), &error));
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "weak-password");
  g_assert_cmpstr (park_client_error_get_field (error), ==, "password");
  g_assert_false (park_client_get_signed_in (weak));
}

static void
test_walk_in (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(ParkClient) booth = attendant (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkSession) in = NULL;
  g_autoptr(ParkSession) by_ticket = NULL;
  g_autoptr(ParkSession) out = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL;
  g_autoptr(ParkSession) refused = NULL;
  gint64 change = -1;

  park_client_check_in_async (booth, park_lot_get_id (f->lot), "DD-XY 42", NULL, NULL, NULL,
                              park_test_result_cb, &r1);
  in = park_client_check_in_finish (booth, park_test_await (&r1, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_session_get_status (in), ==, PARK_SESSION_STATUS_ACTIVE);
  g_assert_null (park_session_get_reservation_id (in));
  g_assert_nonnull (park_session_get_spot_number (in));
  g_assert_cmpint (park_session_get_fee (in), ==, -1);
  g_assert_null (park_session_get_breakdown (in));
  g_assert_cmpuint (strlen (park_session_get_ticket (in)), ==, 8);

  park_client_get_session_async (booth, park_session_get_ticket (in), NULL, park_test_result_cb,
                                 &r2);
  by_ticket = park_client_get_session_finish (booth, park_test_await (&r2, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_session_get_id (by_ticket), ==, park_session_get_id (in));

  park_client_find_sessions_async (booth, park_lot_get_id (f->lot), "ddxy42", NULL,
                                   park_test_result_cb, &r3);
  found = park_client_find_sessions_finish (booth, park_test_await (&r3, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);

  /* Within the grace period nothing is due: the stay is paid (nothing), and the car has the
   * exit grace to reach the barrier, where a second check-out lets it out. */
  park_client_check_out_async (booth, park_session_get_id (in), -1, FALSE, NULL, NULL,
                               park_test_result_cb, &r4);
  out = park_client_check_out_finish (booth, park_test_await (&r4, WAIT_S), &change, &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_session_get_status (out), ==, PARK_SESSION_STATUS_PAID);
  g_assert_cmpint (park_session_get_fee (out), ==, 0);
  g_assert_cmpint (change, ==, 0);
  {
    g_autoptr(GAsyncResult) r7 = NULL;
    g_autoptr(ParkSession) gone = NULL;

    park_client_check_out_async (booth, park_session_get_id (in), -1, FALSE, NULL, NULL,
                                 park_test_result_cb, &r7);
    gone = park_client_check_out_finish (booth, park_test_await (&r7, WAIT_S), &change, &error);
    g_assert_no_error (error);
    g_assert_cmpint (park_session_get_status (gone), ==, PARK_SESSION_STATUS_COMPLETED);
    g_assert_cmpint (park_session_get_fee (gone), ==, 0);
    g_assert_nonnull (park_session_get_checked_out_at (gone));
  }
  g_assert_nonnull (park_session_get_breakdown (out));
  g_assert_cmpint (park_price_breakdown_get_total (park_session_get_breakdown (out)), ==, 0);

  /* The attendant takes a spot out of service: nobody can book it. */
  {
    g_autoptr(GAsyncResult) r6 = NULL;
    g_autoptr(ParkSpot) closed = NULL;
    g_autoptr(ParkReservation) refused_booking = NULL;
    g_autoptr(GDateTime) start = NULL, end = NULL;

    park_client_set_spot_state_async (booth, park_session_get_spot_id (in),
                                      PARK_SPOT_STATE_OUT_OF_SERVICE, NULL,
                                      park_test_result_cb, &r6);
    closed = park_client_set_spot_state_finish (booth, park_test_await (&r6, WAIT_S), &error);
    g_assert_no_error (error);
    g_assert_cmpint (park_spot_get_state (closed), ==, PARK_SPOT_STATE_OUT_OF_SERVICE);
    g_assert_cmpstr (park_spot_get_id (closed), ==, park_session_get_spot_id (in));

    stay (1, 1, &start, &end);
    refused_booking = book (f->driver, park_lot_get_id (f->lot), park_spot_get_id (closed),
                            start, end, NULL, &error);
    g_assert_null (refused_booking);
    g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT);
    g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "spot-out-of-service");
    g_assert_cmpstr (park_client_error_get_field (error), ==, "parking_spot_id");
    g_clear_error (&error);
  }

  /* A driver is not staff. */
  park_client_check_in_async (f->driver, park_lot_get_id (f->lot), "DD-XY 43", NULL, NULL,
                              NULL, park_test_result_cb, &r5);
  refused = park_client_check_in_finish (f->driver, park_test_await (&r5, WAIT_S), &error);
  g_assert_null (refused);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_FORBIDDEN);
}

static void
test_vehicles (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkVehicle) car = NULL;
  g_autoptr(ParkVehicle) again = NULL;
  g_autoptr(GListModel) cars = NULL;
  g_autoptr(GListModel) none = NULL;
  g_autoptr(ParkUser) me = NULL;
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL;

  park_client_get_me_async (f->driver, NULL, park_test_result_cb, &r1);
  me = park_client_get_me_finish (f->driver, park_test_await (&r1, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_user_get_email (me), ==, "dora@example.org");
  g_assert_cmpstr (park_user_get_first_name (me), ==, "Dora");

  park_client_add_vehicle_async (f->driver, "dd-ab 1234", "DE", "Blue one", NULL,
                                 park_test_result_cb, &r2);
  car = park_client_add_vehicle_finish (f->driver, park_test_await (&r2, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_vehicle_get_plate_normalized (car), ==, "DDAB1234");
  g_assert_cmpstr (park_vehicle_get_nickname (car), ==, "Blue one");

  park_client_add_vehicle_async (f->driver, "DD AB 1234", NULL, NULL, NULL,
                                 park_test_result_cb, &r3);
  again = park_client_add_vehicle_finish (f->driver, park_test_await (&r3, WAIT_S), &error);
  g_assert_null (again);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "plate");
  g_clear_error (&error);

  park_client_list_vehicles_async (f->driver, NULL, park_test_result_cb, &r4);
  cars = park_client_list_vehicles_finish (f->driver, park_test_await (&r4, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (cars), ==, 1);

  park_client_remove_vehicle_async (f->driver, park_vehicle_get_id (car), NULL,
                                    park_test_result_cb, &r5);
  g_assert_true (park_client_remove_vehicle_finish (f->driver, park_test_await (&r5, WAIT_S),
                                                    &error));
  g_assert_no_error (error);
  park_client_list_vehicles_async (f->driver, NULL, park_test_result_cb, &r6);
  none = park_client_list_vehicles_finish (f->driver, park_test_await (&r6, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (none), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/core/client/reservations/quote-book-extend-pay-cancel",
       test_quote_book_extend_pay_cancel);
  ADD ("/core/client/reservations/create-conflict", test_conflict);
  ADD ("/core/client/reservations/validation", test_validation);
  ADD ("/core/client/sessions/walk-in", test_walk_in);
  ADD ("/core/client/users/vehicles", test_vehicles);
#undef ADD

  return g_test_run ();
}
