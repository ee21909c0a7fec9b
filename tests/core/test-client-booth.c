/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-client-booth.c: the attendant's check-out through ParkClient when a fee is due, on the
 * real parkd with the fake Stripe of the test support library: cash in two steps (paid, then
 * out), a card charged once through Stripe's wire format, a declined card that leaves the
 * stay unpaid for cash, and a server without card payments.
 */
#include "config.h"

#include <park-core.h>

#include "park-test-backend.h"
#include "park-test-stripe.h"
#include "park-test-utils.h"

#define WAIT_S 30
#define PASSWORD "correct horse battery"
#define OPERATOR "dresden-parking"

typedef struct
{
  ParkTestStripe  *stripe;
  ParkTestBackend *backend;
  ParkClient      *booth;
  ParkLot         *lot;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  gboolean with_cards = GPOINTER_TO_INT (data);
  static const char * const attendant[] = {
    "--email", "booth@example.org", "--role", "attendant", "--operator", OPERATOR, NULL
  };
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) lots = NULL;

  f->stripe = park_test_stripe_new ();
  f->backend = park_test_backend_new ();
  g_ptr_array_add (args, (gpointer) "--demo");
  g_ptr_array_add (args, (gpointer) "--auth-rate-limit");
  g_ptr_array_add (args, (gpointer) "0");
  if (with_cards)
    {
      g_ptr_array_add (args, (gpointer) "--stripe-api");
      g_ptr_array_add (args, (gpointer) park_test_stripe_get_url (f->stripe));
      g_ptr_array_add (args, (gpointer) "--stripe-secret-key");
      g_ptr_array_add (args, (gpointer) park_test_stripe_get_secret_key (f->stripe));
    }
  g_ptr_array_add (args, NULL);
  park_test_backend_start (f->backend, (const char * const *) args->pdata);
  g_assert_cmpint (park_test_user_add (f->backend, attendant, PASSWORD), ==, 0);

  f->booth = park_client_new (f->backend->url, NULL);
  park_client_sign_in_async (f->booth, "booth@example.org", PASSWORD, NULL, park_test_result_cb,
                             &r1);
  g_assert_true (park_client_sign_in_finish (f->booth, park_test_await (&r1, WAIT_S), &error));

  park_client_search_lots_near_async (f->booth, 51.0504, 13.7373, 800, PARK_SPOT_TYPE_REGULAR,
                                      PARK_SEARCH_FLAGS_AVAILABLE_ONLY, 1, NULL,
                                      park_test_result_cb, &r2);
  lots = park_client_search_lots_finish (f->booth, park_test_await (&r2, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (lots), ==, 1);
  f->lot = g_list_model_get_item (lots, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->lot);
  g_clear_object (&f->booth);
  g_clear_pointer (&f->backend, park_test_backend_free);
  g_clear_pointer (&f->stripe, park_test_stripe_free);
}

/* A walk-in that came in three hours ago: a fee is due. */
static ParkSession *
long_stay (Fixture    *f,
           const char *plate)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkSession) in = NULL;
  g_autofree char *sql = NULL;

  park_client_check_in_async (f->booth, park_lot_get_id (f->lot), plate, NULL, NULL, NULL,
                              park_test_result_cb, &result);
  in = park_client_check_in_finish (f->booth, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("UPDATE parking_sessions SET checked_in_at = "
                         "strftime ('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now', '-3 hours') "
                         "WHERE id = '%s'", park_session_get_id (in));
  park_test_backend_sql (f->backend, sql);
  return g_steal_pointer (&in);
}

static ParkSession *
cash_out (Fixture     *f,
          ParkSession *stay,
          gint64       tendered,
          gint64      *change,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  park_client_check_out_async (f->booth, park_session_get_ticket (stay), tendered, FALSE, NULL,
                               NULL, park_test_result_cb, &result);
  return park_client_check_out_finish (f->booth, park_test_await (&result, WAIT_S), change,
                                       error);
}

static ParkSession *
card_out (Fixture      *f,
          ParkSession  *stay,
          const char   *payment_method,
          gint64       *fee,
          char        **payment_id,
          GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  park_client_check_out_by_card_async (f->booth, park_session_get_id (stay), payment_method,
                                       FALSE, NULL, NULL, park_test_result_cb, &result);
  return park_client_check_out_by_card_finish (f->booth, park_test_await (&result, WAIT_S), fee,
                                               payment_id, error);
}

static void
test_cash_two_steps (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(ParkSession) stay = long_stay (f, "DD-CA 1");
  g_autoptr(ParkSession) short_paid = NULL, paid = NULL, out = NULL;
  g_autoptr(GError) error = NULL;
  gint64 change = -1, fee;

  /* A fee is due: nothing tendered is refused, naming the field. */
  short_paid = cash_out (f, stay, -1, &change, &error);
  g_assert_null (short_paid);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "tendered");
  g_clear_error (&error);

  /* Step one: paid, with change from a large note. */
  paid = cash_out (f, stay, 100000, &change, &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_session_get_status (paid), ==, PARK_SESSION_STATUS_PAID);
  fee = park_session_get_fee (paid);
  g_assert_cmpint (fee, >, 0);
  g_assert_cmpint (change, ==, 100000 - fee);

  /* Step two, at the barrier within the exit grace: out, at no charge. */
  out = cash_out (f, stay, -1, &change, &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_session_get_status (out), ==, PARK_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (change, ==, 0);
  g_assert_nonnull (park_session_get_checked_out_at (out));
}

static void
test_card (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(ParkSession) stay = long_stay (f, "DD-CC 1");
  g_autoptr(ParkSession) declined = NULL, paid = NULL, out = NULL, cash = NULL;
  g_autoptr(ParkReceipt) receipt = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *payment_id = NULL, *no_payment = NULL;
  guint charges = park_test_stripe_count_charges (f->stripe);
  gint64 fee = -1, change = -1;

  /* Declined: nothing recorded, the stay unpaid, to be paid again. */
  declined = card_out (f, stay, "pm_card_chargeDeclined", &fee, &payment_id, &error);
  g_assert_null (declined);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "card-declined");
  g_assert_cmpstr (park_client_error_get_field (error), ==, "payment_method");
  g_assert_cmpuint (park_test_stripe_count_charges (f->stripe), ==, charges + 1);
  g_clear_error (&error);

  /* Another card: charged once, the stay paid, a receipt to print. */
  paid = card_out (f, stay, "pm_card_visa", &fee, &payment_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_session_get_status (paid), ==, PARK_SESSION_STATUS_PAID);
  g_assert_cmpint (fee, >, 0);
  g_assert_cmpint (fee, ==, park_session_get_fee (paid));
  g_assert_nonnull (payment_id);
  g_assert_cmpuint (park_test_stripe_count_charges (f->stripe), ==, charges + 2);
  park_client_get_receipt_async (f->booth, payment_id, NULL, park_test_result_cb, &r1);
  receipt = park_client_get_receipt_finish (f->booth, park_test_await (&r1, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_payment_get_provider (park_receipt_get_payment (receipt)), ==,
                   PARK_PAYMENT_PROVIDER_STRIPE);
  g_assert_cmpint (park_payment_get_amount (park_receipt_get_payment (receipt)), ==, fee);
  g_assert_null (park_payment_get_reservation_id (park_receipt_get_payment (receipt)));
  g_assert_cmpstr (park_payment_get_session_id (park_receipt_get_payment (receipt)), ==,
                   park_session_get_id (stay));
  g_assert_null (park_receipt_get_reservation_code (receipt));
  g_assert_cmpstr (park_receipt_get_ticket (receipt), ==, park_session_get_ticket (stay));
  g_assert_cmpstr (park_receipt_get_plate (receipt), ==, "DD-CC 1");

  /* At the barrier in time: out, no card charged again, no payment recorded. */
  out = card_out (f, stay, "pm_card_visa", &fee, &no_payment, &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_session_get_status (out), ==, PARK_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (fee, ==, 0);
  g_assert_null (no_payment);
  g_assert_cmpuint (park_test_stripe_count_charges (f->stripe), ==, charges + 2);

  /* Declined first, cash after: the stay is paid the other way. */
  g_clear_object (&stay);
  stay = long_stay (f, "DD-CC 2");
  g_clear_object (&declined);
  declined = card_out (f, stay, "pm_card_chargeDeclinedInsufficientFunds", NULL, NULL, &error);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_clear_error (&error);
  cash = cash_out (f, stay, 100000, &change, &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_session_get_status (cash), ==, PARK_SESSION_STATUS_PAID);
  g_assert_cmpint (change, ==, 100000 - park_session_get_fee (cash));
}

static void
test_cards_off (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(ParkSession) stay = long_stay (f, "DD-NC 1");
  g_autoptr(ParkSession) refused = NULL;
  g_autoptr(GError) error = NULL;

  refused = card_out (f, stay, "pm_card_visa", NULL, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAVAILABLE);
  g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "card-payments-off");
  g_assert_cmpuint (park_test_stripe_count_charges (f->stripe), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/core/client/booth/cash-two-steps", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_cash_two_steps, fixture_teardown);
  g_test_add ("/core/client/booth/card", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_card, fixture_teardown);
  g_test_add ("/core/client/booth/cards-off", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_cards_off, fixture_teardown);

  return g_test_run ();
}
