/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-client-shift.c: the attendant's calls of park-core on the real parkd (issue 8): a
 * shift opened, a lost-ticket check-out whose fee is read before and whose payment, change
 * and receipt come back, the shift's report and closing, the board with a search, a spot out
 * of service with a reason, and a card with card payments off.
 */
#include "config.h"

#include <park-core.h>

#include "park-test-backend.h"
#include "park-test-utils.h"

#include <string.h>

#define WAIT_S 30
#define PASSWORD "Booth-Harbour-42"

typedef struct
{
  ParkTestBackend *backend;
  ParkClient      *client;
  char            *lot_id;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const args[] = { "--demo", "--auth-rate-limit", "0", NULL };
  static const char * const attendant[] = {
    "--email", "booth@example.org", "--role", "attendant", "--operator", "dresden-parking", NULL
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkTestResponse) lots = NULL;

  f->backend = park_test_backend_new ();
  park_test_backend_start (f->backend, args);
  g_assert_cmpint (park_test_user_add (f->backend, attendant, PASSWORD), ==, 0);
  f->client = park_client_new (f->backend->url, NULL);
  park_client_sign_in_async (f->client, "booth@example.org", PASSWORD, NULL, park_test_result_cb,
                             &result);
  park_client_sign_in_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  lots = park_test_get (f->backend, "api/v1/parking-lots?lat=51.0497&lng=13.7388&radius=200");
  f->lot_id = g_strdup (json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (
      park_test_response_object (lots), "items"), 0), "id"));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->client);
  g_clear_pointer (&f->backend, park_test_backend_free);
  g_free (f->lot_id);
}

static void
test_shift_and_check_out (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkShift) shift = NULL, current = NULL, report = NULL, closed = NULL;
  g_autoptr(ParkSession) stay = NULL, paid = NULL, left = NULL;
  g_autoptr(ParkPriceBreakdown) breakdown = NULL;
  g_autoptr(GListModel) entries = NULL;
  g_autoptr(ParkShiftEntry) entry = NULL;
  g_autofree char *payment_id = NULL, *receipt = NULL;
  gint64 fee = -1, charged = -1, change = -1;

  park_client_get_current_shift_async (f->client, NULL, park_test_result_cb, &result);
  current = park_client_get_current_shift_finish (f->client, park_test_await (&result, WAIT_S),
                                                  &error);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_NOT_FOUND);
  g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "no-open-shift");
  g_clear_error (&error);
  g_clear_object (&result);

  park_client_open_shift_async (f->client, 20000, f->lot_id, NULL, park_test_result_cb, &result);
  shift = park_client_open_shift_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_true (park_shift_get_open (shift));
  g_assert_cmpint (park_shift_get_float (shift), ==, 20000);
  g_assert_cmpstr (park_shift_get_lot_id (shift), ==, f->lot_id);
  g_assert_cmpint (park_shift_get_counted (shift), ==, -1);
  g_clear_object (&result);

  park_client_check_in_async (f->client, f->lot_id, "DD-CO 12", NULL, NULL, NULL,
                              park_test_result_cb, &result);
  stay = park_client_check_in_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  park_client_get_stay_fee_async (f->client, park_session_get_ticket (stay), TRUE, NULL,
                                  park_test_result_cb, &result);
  breakdown = park_client_get_stay_fee_finish (f->client, park_test_await (&result, WAIT_S), &fee,
                                               &error);
  g_assert_no_error (error);
  g_assert_cmpint (fee, >, 0);
  g_assert_cmpint (park_price_breakdown_get_total (breakdown), ==, fee);
  g_clear_object (&result);

  park_client_pay_stay_async (f->client, park_session_get_id (stay), PARK_PAYMENT_PROVIDER_CASH,
                              NULL, 10000, TRUE, "test-key-1", NULL, park_test_result_cb,
                              &result);
  paid = park_client_pay_stay_finish (f->client, park_test_await (&result, WAIT_S), &charged,
                                      &change, &payment_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_session_get_status (paid), ==, PARK_SESSION_STATUS_PAID);
  g_assert_cmpint (charged, ==, fee);
  g_assert_cmpint (change, ==, 10000 - fee);
  g_assert_nonnull (payment_id);
  g_clear_object (&result);

  park_client_get_receipt_text_async (f->client, payment_id, NULL, park_test_result_cb, &result);
  receipt = park_client_get_receipt_text_finish (f->client, park_test_await (&result, WAIT_S),
                                                 &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (receipt, park_session_get_ticket (stay)));
  g_clear_object (&result);

  /* The barrier: the second step completes the stay. */
  park_client_pay_stay_async (f->client, park_session_get_id (stay), PARK_PAYMENT_PROVIDER_CASH,
                              NULL, -1, FALSE, NULL, NULL, park_test_result_cb, &result);
  left = park_client_pay_stay_finish (f->client, park_test_await (&result, WAIT_S), NULL, NULL,
                                      NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_session_get_status (left), ==, PARK_SESSION_STATUS_COMPLETED);
  g_clear_object (&result);

  park_client_get_shift_report_async (f->client, park_shift_get_id (shift), NULL,
                                      park_test_result_cb, &result);
  report = park_client_get_shift_report_finish (f->client, park_test_await (&result, WAIT_S),
                                                &entries, &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_shift_get_expected (report), ==, 20000 + fee);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 1);
  entry = g_list_model_get_item (entries, 0);
  g_assert_false (park_shift_entry_get_is_refund (entry));
  g_assert_cmpstr (park_shift_entry_get_payment_id (entry), ==, payment_id);
  g_assert_cmpstr (park_shift_entry_get_reference (entry), ==, park_session_get_ticket (stay));
  g_assert_cmpint (park_shift_entry_get_change (entry), ==, 10000 - fee);
  g_clear_object (&result);

  park_client_close_shift_async (f->client, park_shift_get_id (shift), 20000 + fee + 50,
                                 "found 50 cents", NULL, park_test_result_cb, &result);
  closed = park_client_close_shift_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_false (park_shift_get_open (closed));
  g_assert_cmpint (park_shift_get_difference (closed), ==, 50);
  g_assert_nonnull (park_shift_get_closed_at (closed));
}

static void
test_board_and_spots (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkSession) stay = NULL, card = NULL;
  g_autoptr(GListModel) arrivals = NULL, overstays = NULL, matches = NULL, spots = NULL;
  g_autoptr(ParkBoardItem) hit = NULL;
  g_autoptr(ParkSpot) spot = NULL, marked = NULL;

  park_client_check_in_async (f->client, f->lot_id, "B-RD 5", NULL, NULL, NULL,
                              park_test_result_cb, &result);
  stay = park_client_check_in_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  park_client_get_board_async (f->client, f->lot_id, "brd", NULL, park_test_result_cb, &result);
  g_assert_true (park_client_get_board_finish (f->client, park_test_await (&result, WAIT_S),
                                               &arrivals, &overstays, &matches, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (matches), ==, 1);
  hit = g_list_model_get_item (matches, 0);
  g_assert_true (park_board_item_get_is_stay (hit));
  g_assert_cmpstr (park_board_item_get_reference (hit), ==, park_session_get_ticket (stay));
  g_assert_cmpstr (park_board_item_get_plate (hit), ==, "B-RD 5");
  g_assert_nonnull (arrivals);
  g_assert_nonnull (overstays);
  g_clear_object (&result);

  /* No Stripe here: the card is refused with what to do (take cash). */
  park_client_pay_stay_async (f->client, park_session_get_id (stay),
                              PARK_PAYMENT_PROVIDER_STRIPE, "pm_card_visa", -1, TRUE, NULL, NULL,
                              park_test_result_cb, &result);
  card = park_client_pay_stay_finish (f->client, park_test_await (&result, WAIT_S), NULL, NULL,
                                      NULL, &error);
  g_assert_null (card);
  g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "card-payments-off");
  g_clear_error (&error);
  g_clear_object (&result);

  park_client_list_spots_async (f->client, f->lot_id, PARK_SPOT_TYPE_ANY, NULL,
                                park_test_result_cb, &result);
  spots = park_client_list_spots_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  spot = g_list_model_get_item (spots, 0);
  g_clear_object (&result);
  park_client_mark_spot_async (f->client, park_spot_get_id (spot), PARK_SPOT_STATE_OUT_OF_SERVICE,
                               "Broken light", NULL, park_test_result_cb, &result);
  marked = park_client_mark_spot_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_spot_get_state (marked), ==, PARK_SPOT_STATE_OUT_OF_SERVICE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/core/client/shift/check-out", Fixture, NULL, fixture_setup,
              test_shift_and_check_out, fixture_teardown);
  g_test_add ("/core/client/shift/board-and-spots", Fixture, NULL, fixture_setup,
              test_board_and_spots, fixture_teardown);
  return g_test_run ();
}
