/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-client-admin.c: the operator pages' calls on the real parkd: an admin and an
 * operator of the demo city manage operators, lots, spots, pricing, staff, discount codes
 * and sensors, import lots from GeoJSON, read the audit log and the reports; every refusal
 * arrives as PARK_CLIENT_ERROR with the server's code and field. A driver changes their own
 * account.
 */
#include "config.h"

#include <park-core.h>

#include "park-test-backend.h"
#include "park-test-utils.h"

#include <math.h>
#include <string.h>

#define WAIT_S 30
#define PASSWORD "correct horse battery"
#define OPERATOR "dresden-parking"

typedef struct
{
  ParkTestBackend *backend;
  ParkClient      *admin;
  ParkClient      *op;
} Fixture;

static ParkClient *
signed_in (Fixture    *f,
           const char *email,
           const char *password)
{
  g_autoptr(ParkClient) client = park_client_new (f->backend->url, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  park_client_sign_in_async (client, email, password, NULL, park_test_result_cb, &result);
  park_client_sign_in_finish (client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const args[] = {
    "--demo", "--auth-rate-limit", "0", "--account-rate-limit", "0", NULL
  };
  static const char * const admin[] = { "--email", "ada@example.org", "--role", "admin", NULL };
  static const char * const op[] = {
    "--email", "olaf@example.org", "--role", "operator", "--operator", OPERATOR, NULL
  };

  f->backend = park_test_backend_new ();
  park_test_backend_start (f->backend, args);
  g_assert_cmpint (park_test_user_add (f->backend, admin, PASSWORD), ==, 0);
  g_assert_cmpint (park_test_user_add (f->backend, op, PASSWORD), ==, 0);
  f->admin = signed_in (f, "ada@example.org", PASSWORD);
  f->op = signed_in (f, "olaf@example.org", PASSWORD);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->admin);
  g_clear_object (&f->op);
  g_clear_pointer (&f->backend, park_test_backend_free);
}

/* Waits for the call started with @result as its slot and hands back its result. */
#define AWAIT(result) park_test_await (&(result), WAIT_S)

static void
test_operators (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) operators = NULL;
  g_autoptr(GListModel) own = NULL;
  g_autoptr(ParkOperator) made = NULL;
  g_autoptr(ParkOperator) again = NULL;
  gboolean demo_found = FALSE;

  park_client_create_operator_async (f->admin, "elbe-garagen", "Elbe Garagen GmbH", "Dresden",
                                     "Europe/Berlin", "EUR", NULL, park_test_result_cb, &r1);
  made = park_client_create_operator_finish (f->admin, AWAIT (r1), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_operator_get_slug (made), ==, "elbe-garagen");
  g_assert_cmpstr (park_operator_get_name (made), ==, "Elbe Garagen GmbH");
  g_assert_cmpstr (park_operator_get_currency (made), ==, "EUR");
  g_assert_nonnull (park_operator_get_created_at (made));

  park_client_list_operators_async (f->admin, NULL, park_test_result_cb, &r2);
  operators = park_client_list_operators_finish (f->admin, AWAIT (r2), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (operators), >=, 2);
  for (guint i = 0; i < g_list_model_get_n_items (operators); i++)
    {
      g_autoptr(ParkOperator) each = g_list_model_get_item (operators, i);

      demo_found |= g_str_equal (park_operator_get_slug (each), OPERATOR);
    }
  g_assert_true (demo_found);

  /* The slug is taken now. */
  park_client_create_operator_async (f->admin, "elbe-garagen", "Other", NULL, "Europe/Berlin",
                                     "EUR", NULL, park_test_result_cb, &r3);
  again = park_client_create_operator_finish (f->admin, AWAIT (r3), &error);
  g_assert_null (again);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT);
  g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "slug-taken");
  g_clear_error (&error);

  /* An operator's staff see their own operator only. */
  park_client_list_operators_async (f->op, NULL, park_test_result_cb, &r4);
  own = park_client_list_operators_finish (f->op, AWAIT (r4), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (own), ==, 1);
  {
    g_autoptr(ParkOperator) mine = g_list_model_get_item (own, 0);

    g_assert_cmpstr (park_operator_get_slug (mine), ==, OPERATOR);
  }
}

static ParkLot *
create_lot (Fixture     *f,
            double       latitude,
            GError     **error)
{
  const guint spots[PARK_N_SPOT_TYPES] = { 4, 1, 1, 0, 0 };
  g_autoptr(GAsyncResult) result = NULL;

  park_client_create_lot_async (f->op, NULL, "Parkhaus Test", "Teststraße 1", "Dresden",
                                latitude, 13.74, PARK_LOT_TYPE_MULTI_STOREY, 250, NULL, NULL, spots, 2,
                                NULL,
                                park_test_result_cb, &result);
  return park_client_create_lot_finish (f->op, AWAIT (result), error);
}

static void
test_lots_and_spots (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL;
  g_autoptr(GAsyncResult) r7 = NULL, r8 = NULL, r9 = NULL, r10 = NULL, r11 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkLot) lot = NULL, bad = NULL, fetched = NULL, closed = NULL, gone = NULL;
  g_autoptr(GListModel) managed = NULL;
  g_autoptr(GListModel) spots = NULL;
  g_autoptr(ParkSpot) spot = NULL, twin = NULL, broken = NULL;
  gboolean listed = FALSE;

  /* Out of range: refused, naming the field. */
  bad = create_lot (f, 95, &error);
  g_assert_null (bad);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "lat");
  g_clear_error (&error);

  lot = create_lot (f, 51.05, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_lot_get_name (lot), ==, "Parkhaus Test");
  g_assert_cmpuint (park_lot_get_total (lot, PARK_SPOT_TYPE_ANY), ==, 6);
  g_assert_cmpuint (park_lot_get_total (lot, PARK_SPOT_TYPE_EV), ==, 1);

  park_client_list_managed_lots_async (f->op, NULL, NULL, park_test_result_cb, &r1);
  managed = park_client_list_managed_lots_finish (f->op, AWAIT (r1), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (managed); i++)
    {
      g_autoptr(ParkLot) each = g_list_model_get_item (managed, i);

      listed |= g_str_equal (park_lot_get_id (each), park_lot_get_id (lot));
    }
  g_assert_true (listed);

  /* Closed: the lot says so, to the manager's page too. */
  park_client_update_lot_async (f->op, park_lot_get_id (lot), "Parkhaus Test Nord", NULL, NULL,
                                NAN, NAN, -1, 300, PARK_LOT_STATUS_CLOSED, NULL, NULL,
                                NULL, park_test_result_cb, &r2);
  closed = park_client_update_lot_finish (f->op, AWAIT (r2), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_lot_get_name (closed), ==, "Parkhaus Test Nord");
  g_assert_cmpint (park_lot_get_status (closed), ==, PARK_LOT_STATUS_CLOSED);
  park_client_get_managed_lot_async (f->op, park_lot_get_id (lot), NULL, park_test_result_cb,
                                     &r3);
  fetched = park_client_get_managed_lot_finish (f->op, AWAIT (r3), &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_lot_get_status (fetched), ==, PARK_LOT_STATUS_CLOSED);

  park_client_create_spot_async (f->op, park_lot_get_id (lot), "Z-99", PARK_SPOT_TYPE_EV, -1,
                                 PARK_SPOT_STATE_AVAILABLE, NULL, park_test_result_cb, &r4);
  spot = park_client_create_spot_finish (f->op, AWAIT (r4), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_spot_get_number (spot), ==, "Z-99");
  g_assert_cmpint (park_spot_get_spot_type (spot), ==, PARK_SPOT_TYPE_EV);
  g_assert_cmpint (park_spot_get_level (spot), ==, -1);

  park_client_create_spot_async (f->op, park_lot_get_id (lot), "Z-99", PARK_SPOT_TYPE_REGULAR, 0,
                                 PARK_SPOT_STATE_AVAILABLE, NULL, park_test_result_cb, &r5);
  twin = park_client_create_spot_finish (f->op, AWAIT (r5), &error);
  g_assert_null (twin);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT);
  g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "duplicate-spot");
  g_clear_error (&error);

  /* Out of service: the public spot list shows it. */
  park_client_update_spot_async (f->op, park_spot_get_id (spot), NULL, PARK_SPOT_TYPE_ANY,
                                 G_MININT, PARK_SPOT_STATE_OUT_OF_SERVICE, NULL,
                                 park_test_result_cb, &r6);
  broken = park_client_update_spot_finish (f->op, AWAIT (r6), &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_spot_get_state (broken), ==, PARK_SPOT_STATE_OUT_OF_SERVICE);
  g_assert_cmpint (park_spot_get_level (broken), ==, -1);
  park_client_list_spots_async (f->op, park_lot_get_id (lot), PARK_SPOT_TYPE_EV, NULL,
                                park_test_result_cb, &r7);
  spots = park_client_list_spots_finish (f->op, AWAIT (r7), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (spots), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(ParkSpot) each = g_list_model_get_item (spots, i);

      if (g_str_equal (park_spot_get_id (each), park_spot_get_id (spot)))
        g_assert_cmpint (park_spot_get_state (each), ==, PARK_SPOT_STATE_OUT_OF_SERVICE);
    }

  park_client_delete_spot_async (f->op, park_spot_get_id (spot), NULL, park_test_result_cb, &r8);
  g_assert_true (park_client_delete_spot_finish (f->op, AWAIT (r8), &error));
  g_assert_no_error (error);

  park_client_delete_lot_async (f->op, park_lot_get_id (lot), NULL, park_test_result_cb, &r9);
  g_assert_true (park_client_delete_lot_finish (f->op, AWAIT (r9), &error));
  g_assert_no_error (error);
  park_client_get_managed_lot_async (f->op, park_lot_get_id (lot), NULL, park_test_result_cb,
                                     &r10);
  gone = park_client_get_managed_lot_finish (f->op, AWAIT (r10), &error);
  g_assert_null (gone);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A spot that is gone. */
  park_client_delete_spot_async (f->op, park_spot_get_id (spot), NULL, park_test_result_cb,
                                 &r11);
  g_assert_false (park_client_delete_spot_finish (f->op, AWAIT (r11), &error));
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_NOT_FOUND);
}

/* Opening hours and amenities go with a new lot and with a change, come back as sent, and
 * what cannot be right is refused before it is sent, naming the field. */
static void
test_lot_hours_and_amenities (Fixture       *f,
                              gconstpointer  data)
{
  static const char * const amenities[] = { "ev_charging", "toilets", NULL };
  static const char * const none[] = { NULL };
  static const char * const bad_names[] = { "EV charging", NULL };
  const guint spots[PARK_N_SPOT_TYPES] = { 2, 0, 0, 0, 0 };
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkOpeningHours) hours = park_opening_hours_new ();
  g_autoptr(ParkOpeningHours) back = NULL, fetched_hours = NULL;
  g_autoptr(ParkLot) lot = NULL, changed = NULL, fetched = NULL, refused = NULL;
  g_autofree char *text = NULL;
  guint open = 0, close = 0;

  for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_FRIDAY; d++)
    g_assert_true (park_opening_hours_set_day_text (hours, d, "07:00-20:00", &error));
  g_assert_true (park_opening_hours_set_day_text (hours, G_DATE_SATURDAY,
                                                  "08:00 \u2013 12:00, 13:00-24:00", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (park_opening_hours_get_n_ranges (hours, G_DATE_SUNDAY), ==, 0);

  /* Wrong ones say what is wrong, naming the day, and change nothing. */
  g_assert_false (park_opening_hours_set_day_text (hours, G_DATE_MONDAY, "20:00-07:00", &error));
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "operating_hours.mon");
  g_clear_error (&error);
  g_assert_false (park_opening_hours_set_day_text (hours, G_DATE_TUESDAY,
                                                   "08:00-12:00, 11:00-13:00", &error));
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "operating_hours.tue");
  g_clear_error (&error);
  g_assert_false (park_opening_hours_set_day_text (hours, G_DATE_WEDNESDAY, "8 to 5", &error));
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_assert_nonnull (strstr (error->message, "8 to 5"));
  g_clear_error (&error);
  g_assert_false (park_opening_hours_add_range (hours, G_DATE_SUNDAY, 24 * 60, 24 * 60, &error));
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_clear_error (&error);
  text = park_opening_hours_dup_day_text (hours, G_DATE_TUESDAY);
  g_assert_cmpstr (text, ==, "07:00-20:00");
  g_clear_pointer (&text, g_free);

  park_client_create_lot_async (f->op, NULL, "Parkhaus Zeiten", "Uhrgasse 2", "Dresden", 51.04,
                                13.73, PARK_LOT_TYPE_SURFACE, 200, hours, amenities, spots, 1,
                                NULL, park_test_result_cb, &r1);
  lot = park_client_create_lot_finish (f->op, AWAIT (r1), &error);
  g_assert_no_error (error);
  back = park_lot_dup_opening_hours (lot);
  g_assert_true (park_opening_hours_equal (back, hours));
  g_assert_cmpstrv (park_lot_get_amenities (lot), amenities);
  g_assert_true (park_opening_hours_get_range (back, G_DATE_SATURDAY, 1, &open, &close));
  g_assert_cmpuint (open, ==, 13 * 60);
  g_assert_cmpuint (close, ==, 24 * 60);
  g_assert_false (park_opening_hours_get_range (back, G_DATE_SATURDAY, 2, NULL, NULL));
  g_assert_cmpstr (park_lot_get_hours (lot, G_DATE_SATURDAY)[0], ==, "08:00-12:00");

  /* A change: Sunday opens, the amenities go; the rest stays. */
  g_assert_true (park_opening_hours_set_day_text (back, G_DATE_SUNDAY, "10:00-18:00", &error));
  park_client_update_lot_async (f->op, park_lot_get_id (lot), NULL, NULL, NULL, NAN, NAN, -1, -1,
                                -1, back, none, NULL, park_test_result_cb, &r2);
  changed = park_client_update_lot_finish (f->op, AWAIT (r2), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((char **) park_lot_get_amenities (changed)), ==, 0);
  park_client_get_managed_lot_async (f->op, park_lot_get_id (lot), NULL, park_test_result_cb,
                                     &r3);
  fetched = park_client_get_managed_lot_finish (f->op, AWAIT (r3), &error);
  g_assert_no_error (error);
  fetched_hours = park_lot_dup_opening_hours (fetched);
  g_assert_true (park_opening_hours_equal (fetched_hours, back));
  g_assert_cmpstr (park_lot_get_name (fetched), ==, "Parkhaus Zeiten");
  text = park_opening_hours_dup_day_text (fetched_hours, G_DATE_SUNDAY);
  g_assert_cmpstr (text, ==, "10:00-18:00");

  /* An amenity that is no name: refused here, naming the field, and the lot keeps its own. */
  park_client_update_lot_async (f->op, park_lot_get_id (lot), NULL, NULL, NULL, NAN, NAN, -1, -1,
                                -1, NULL, bad_names, NULL, park_test_result_cb, &r4);
  refused = park_client_update_lot_finish (f->op, AWAIT (r4), &error);
  g_assert_null (refused);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "amenities");
  g_assert_nonnull (strstr (error->message, "EV charging"));
}

static void
test_pricing (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkLot) lot = create_lot (f, 51.05, &error);
  g_autoptr(ParkPricing) pricing = NULL, stored = NULL, again = NULL, refused = NULL;
  g_autofree char *policy = NULL;

  g_assert_no_error (error);
  park_client_get_pricing_async (f->op, park_lot_get_id (lot), NULL, park_test_result_cb, &r1);
  pricing = park_client_get_pricing_finish (f->op, AWAIT (r1), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_pricing_get_currency (pricing), ==, "EUR");
  g_assert_cmpint (park_pricing_get_rate (pricing, PARK_SPOT_TYPE_REGULAR), ==, 250);

  park_pricing_set_rate (pricing, PARK_SPOT_TYPE_EV, 400);
  park_pricing_set_daily_max (pricing, 2000);
  park_pricing_set_lost_ticket_fee (pricing, 3000);
  park_pricing_set_grace_minutes (pricing, 5);
  policy = park_pricing_dup_policy_json (pricing);
  g_assert_nonnull (strstr (policy, "\"daily_max\":2000"));
  park_client_set_pricing_async (f->op, park_lot_get_id (lot), pricing, NULL,
                                 park_test_result_cb, &r2);
  stored = park_client_set_pricing_finish (f->op, AWAIT (r2), &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_pricing_get_rate (stored, PARK_SPOT_TYPE_EV), ==, 400);
  g_assert_cmpint (park_pricing_get_rate (stored, PARK_SPOT_TYPE_REGULAR), ==, 250);
  g_assert_cmpint (park_pricing_get_daily_max (stored), ==, 2000);
  g_assert_cmpint (park_pricing_get_lost_ticket_fee (stored), ==, 3000);
  g_assert_cmpint (park_pricing_get_grace_minutes (stored), ==, 5);

  /* Read back as stored. */
  park_client_get_pricing_async (f->op, park_lot_get_id (lot), NULL, park_test_result_cb, &r3);
  again = park_client_get_pricing_finish (f->op, AWAIT (r3), &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_pricing_get_daily_max (again), ==, 2000);

  /* The server refuses a tax rate over 100 %, naming the field. */
  park_pricing_set_tax_rate (again, 20000);
  park_client_set_pricing_async (f->op, park_lot_get_id (lot), again, NULL,
                                 park_test_result_cb, &r4);
  refused = park_client_set_pricing_finish (f->op, AWAIT (r4), &error);
  g_assert_null (refused);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "tax_rate");
}

/* Periods, events and demand steps through the typed API: made, sent, stored and read back
 * as they were; a quote in the period costs its multiplier; wrong ones are refused here. */
static void
test_pricing_rules (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkLot) lot = create_lot (f, 51.05, &error);
  g_autoptr(ParkPricing) pricing = NULL, stored = NULL, again = NULL;
  g_autoptr(GPtrArray) periods = g_ptr_array_new_with_free_func ((GDestroyNotify) park_pricing_period_free);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) park_pricing_event_free);
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func ((GDestroyNotify) park_demand_step_free);
  g_autoptr(GPtrArray) read_back = NULL;
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) fair_from = g_date_time_new (berlin, 2031, 3, 14, 8, 0, 0);
  g_autoptr(GDateTime) fair_to = g_date_time_new (berlin, 2031, 3, 16, 20, 30, 0);
  g_autoptr(ParkQuote) quote = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = NULL, end = NULL;
  g_autoptr(ParkPricingPeriod) bad_period = NULL;
  g_autoptr(ParkPricingEvent) bad_event = NULL;
  g_autoptr(ParkDemandStep) bad_step = NULL;
  const ParkPricingPeriod *period;
  const ParkPricingEvent *event;
  const ParkDemandStep *step;
  g_autofree char *from_text = NULL;

  g_assert_no_error (error);
  park_client_get_pricing_async (f->op, park_lot_get_id (lot), NULL, park_test_result_cb, &r1);
  pricing = park_client_get_pricing_finish (f->op, AWAIT (r1), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (park_pricing_get_n_periods (pricing), ==, 0);
  g_assert_cmpuint (park_pricing_get_n_events (pricing), ==, 0);
  g_assert_cmpuint (park_pricing_get_n_demand_steps (pricing), ==, 0);

  /* Wrong ones never get made, and say which part is wrong. */
  bad_period = park_pricing_period_new (PARK_WEEKDAYS_NONE, 8 * 60, 18 * 60, 1.5, NULL, &error);
  g_assert_null (bad_period);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "periods");
  g_clear_error (&error);
  bad_period = park_pricing_period_new (PARK_WEEKDAYS_MONDAY, 8 * 60, 18 * 60, 11, NULL, &error);
  g_assert_null (bad_period);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_clear_error (&error);
  bad_event = park_pricing_event_new (fair_to, fair_from, 2, "Messe", &error);
  g_assert_null (bad_event);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "events");
  g_clear_error (&error);
  bad_step = park_demand_step_new (PARK_DEMAND_BOUND_MIN_SHARE, 1.5, 2, &error);
  g_assert_null (bad_step);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "demand.steps");
  g_clear_error (&error);

  /* Every day around the clock costs double; a night period runs past midnight. */
  g_ptr_array_add (periods, park_pricing_period_new (PARK_WEEKDAYS_ALL, 0, 24 * 60, 2.0,
                                                     "Ganztags", &error));
  g_ptr_array_add (periods, park_pricing_period_new (PARK_WEEKDAYS_FRIDAY | PARK_WEEKDAYS_SATURDAY,
                                                     22 * 60, 6 * 60, 0.5, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (park_pricing_set_periods (pricing, periods, &error));
  g_ptr_array_add (events, park_pricing_event_new (fair_from, fair_to, 1.75, "Messe", &error));
  g_assert_no_error (error);
  g_assert_true (park_pricing_set_events (pricing, events, &error));
  g_ptr_array_add (steps, park_demand_step_new (PARK_DEMAND_BOUND_MIN_SHARE, 0.8, 1.25, &error));
  g_ptr_array_add (steps, park_demand_step_new (PARK_DEMAND_BOUND_MAX_SHARE, 0.2, 0.9, &error));
  g_assert_no_error (error);
  g_assert_true (park_pricing_set_demand_steps (pricing, steps, &error));
  g_assert_true (park_pricing_set_demand_limits (pricing, 0.8, 1.5, &error));
  g_assert_no_error (error);

  /* Two steps alike, or a floor above the cap: refused, nothing changed. */
  g_ptr_array_add (steps, park_demand_step_new (PARK_DEMAND_BOUND_MIN_SHARE, 0.8, 3, NULL));
  g_assert_false (park_pricing_set_demand_steps (pricing, steps, &error));
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_clear_error (&error);
  g_assert_false (park_pricing_set_demand_limits (pricing, 2, 1.5, &error));
  g_assert_cmpstr (park_client_error_get_field (error), ==, "demand.floor");
  g_clear_error (&error);
  g_assert_cmpuint (park_pricing_get_n_demand_steps (pricing), ==, 2);
  g_assert_cmpfloat (park_pricing_get_demand_floor (pricing), ==, 0.8);

  park_client_set_pricing_async (f->op, park_lot_get_id (lot), pricing, NULL,
                                 park_test_result_cb, &r2);
  stored = park_client_set_pricing_finish (f->op, AWAIT (r2), &error);
  g_assert_no_error (error);
  park_client_get_pricing_async (f->op, park_lot_get_id (lot), NULL, park_test_result_cb, &r3);
  again = park_client_get_pricing_finish (f->op, AWAIT (r3), &error);
  g_assert_no_error (error);

  g_assert_cmpuint (park_pricing_get_n_periods (again), ==, 2);
  period = park_pricing_get_period (again, 0);
  g_assert_cmpint (park_pricing_period_get_days (period), ==, PARK_WEEKDAYS_ALL);
  g_assert_cmpuint (park_pricing_period_get_from_minute (period), ==, 0);
  g_assert_cmpuint (park_pricing_period_get_to_minute (period), ==, 24 * 60);
  g_assert_cmpfloat (park_pricing_period_get_multiplier (period), ==, 2.0);
  g_assert_cmpstr (park_pricing_period_get_label (period), ==, "Ganztags");
  period = park_pricing_get_period (again, 1);
  g_assert_cmpint (park_pricing_period_get_days (period), ==,
                   PARK_WEEKDAYS_FRIDAY | PARK_WEEKDAYS_SATURDAY);
  g_assert_cmpuint (park_pricing_period_get_from_minute (period), ==, 22 * 60);
  g_assert_cmpuint (park_pricing_period_get_to_minute (period), ==, 6 * 60);
  g_assert_cmpfloat (park_pricing_period_get_multiplier (period), ==, 0.5);

  g_assert_cmpuint (park_pricing_get_n_events (again), ==, 1);
  event = park_pricing_get_event (again, 0);
  g_assert_cmpint (g_date_time_compare (park_pricing_event_get_from (event), fair_from), ==, 0);
  g_assert_cmpint (g_date_time_compare (park_pricing_event_get_to (event), fair_to), ==, 0);
  from_text = g_date_time_format (park_pricing_event_get_from (event), "%Y-%m-%dT%H:%M");
  g_assert_cmpstr (from_text, ==, "2031-03-14T08:00");
  g_assert_cmpfloat (park_pricing_event_get_multiplier (event), ==, 1.75);
  g_assert_cmpstr (park_pricing_event_get_label (event), ==, "Messe");

  read_back = park_pricing_dup_demand_steps (again);
  g_assert_cmpuint (read_back->len, ==, 2);
  step = g_ptr_array_index (read_back, 0);
  g_assert_cmpint (park_demand_step_get_bound (step), ==, PARK_DEMAND_BOUND_MIN_SHARE);
  g_assert_cmpfloat (park_demand_step_get_share (step), ==, 0.8);
  g_assert_cmpfloat (park_demand_step_get_multiplier (step), ==, 1.25);
  step = park_pricing_get_demand_step (again, 1);
  g_assert_cmpint (park_demand_step_get_bound (step), ==, PARK_DEMAND_BOUND_MAX_SHARE);
  g_assert_cmpfloat (park_pricing_get_demand_cap (again), ==, 1.5);
  g_assert_cmpfloat (park_pricing_get_demand_floor (again), ==, 0.8);

  /* The policy prices: an hour on a Wednesday morning (no night period, no event) at an
   * empty lot costs the doubled rate times the low-demand step (250 × 2 × 0.9). */
  {
    g_autoptr(GDateTime) local = g_date_time_to_timezone (now, berlin);
    g_autoptr(GDateTime) day = g_date_time_add_days (local, 2 + (7 + G_DATE_WEDNESDAY - 2 -
                                                     g_date_time_get_day_of_week (local)) % 7);

    start = g_date_time_new (berlin, g_date_time_get_year (day), g_date_time_get_month (day),
                             g_date_time_get_day_of_month (day), 9, 0, 0);
  }
  g_assert_cmpint (g_date_time_get_day_of_week (start), ==, G_DATE_WEDNESDAY);
  end = g_date_time_add_hours (start, 1);
  g_assert_cmpint (g_date_time_compare (start, now), >, 0);
  park_client_quote_async (f->op, park_lot_get_id (lot), PARK_SPOT_TYPE_REGULAR, start, end,
                           NULL, NULL, park_test_result_cb, &r4);
  quote = park_client_quote_finish (f->op, AWAIT (r4), &error);
  if (error != NULL)
    g_test_message ("quote refused, field %s", park_client_error_get_field (error));
  g_assert_no_error (error);
  g_assert_cmpint (park_quote_get_total_cost (quote), ==, 450);

  /* Emptied: the policy drops them. */
  g_assert_true (park_pricing_set_periods (again, NULL, &error));
  g_assert_true (park_pricing_set_events (again, NULL, &error));
  g_assert_true (park_pricing_set_demand_steps (again, NULL, &error));
  g_assert_true (park_pricing_set_demand_limits (again, 0, 0, &error));
  g_clear_pointer (&from_text, g_free);
  from_text = park_pricing_dup_policy_json (again);
  g_assert_null (strstr (from_text, "periods"));
  g_assert_null (strstr (from_text, "events"));
  g_assert_null (strstr (from_text, "demand"));
}

static void
test_staff (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkUser) anna = NULL, weak = NULL, disabled = NULL;
  g_autoptr(GListModel) staff = NULL;
  gboolean listed = FALSE;

  park_client_create_staff_async (f->op, "anna@example.org", PASSWORD, PARK_USER_ROLE_ATTENDANT,
                                  "Anna", "Attendant", NULL, NULL, park_test_result_cb, &r1);
  anna = park_client_create_staff_finish (f->op, AWAIT (r1), &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_user_get_role (anna), ==, PARK_USER_ROLE_ATTENDANT);
  g_assert_cmpstr (park_user_get_operator_slug (anna), ==, OPERATOR);

  park_client_create_staff_async (f->op, "weak@example.org", "password123",
                                  PARK_USER_ROLE_ATTENDANT, NULL, NULL, NULL, NULL,
                                  park_test_result_cb, &r2);
  weak = park_client_create_staff_finish (f->op, AWAIT (r2), &error);
  g_assert_null (weak);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "weak-password");
  g_assert_cmpstr (park_client_error_get_field (error), ==, "password");
  g_clear_error (&error);

  park_client_list_staff_async (f->admin, OPERATOR, NULL, park_test_result_cb, &r3);
  staff = park_client_list_staff_finish (f->admin, AWAIT (r3), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (staff); i++)
    {
      g_autoptr(ParkUser) each = g_list_model_get_item (staff, i);

      listed |= g_str_equal (park_user_get_id (each), park_user_get_id (anna));
    }
  g_assert_true (listed);

  park_client_update_staff_async (f->op, park_user_get_id (anna), -1, 1, NULL, "Aus", NULL,
                                  park_test_result_cb, &r4);
  disabled = park_client_update_staff_finish (f->op, AWAIT (r4), &error);
  g_assert_no_error (error);
  g_assert_true (park_user_get_disabled (disabled));
  g_assert_cmpstr (park_user_get_last_name (disabled), ==, "Aus");
  g_assert_cmpstr (park_user_get_first_name (disabled), ==, "Anna");

  park_client_delete_staff_async (f->op, park_user_get_id (anna), NULL, park_test_result_cb, &r5);
  g_assert_true (park_client_delete_staff_finish (f->op, AWAIT (r5), &error));
  g_assert_no_error (error);
}

static void
test_discounts_and_audit (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires = g_date_time_add_days (now, 30);
  g_autoptr(ParkDiscount) code = NULL, twin = NULL;
  g_autoptr(GListModel) codes = NULL, log = NULL, all = NULL;
  g_autoptr(ParkAuditEntry) newest = NULL;

  park_client_create_discount_async (f->op, NULL, "summer10", 10, -1, 100, expires, NULL,
                                     park_test_result_cb, &r1);
  code = park_client_create_discount_finish (f->op, AWAIT (r1), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_discount_get_code (code), ==, "SUMMER10");
  g_assert_cmpint (park_discount_get_percent_off (code), ==, 10);
  g_assert_cmpint (park_discount_get_amount_off (code), ==, -1);
  g_assert_cmpint (park_discount_get_max_uses (code), ==, 100);
  g_assert_cmpint (park_discount_get_uses (code), ==, 0);
  g_assert_nonnull (park_discount_get_expires_at (code));

  park_client_create_discount_async (f->op, NULL, "SUMMER10", -1, 500, -1, NULL, NULL,
                                     park_test_result_cb, &r2);
  twin = park_client_create_discount_finish (f->op, AWAIT (r2), &error);
  g_assert_null (twin);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT);
  g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "code-taken");
  g_clear_error (&error);

  park_client_list_discounts_async (f->op, NULL, NULL, park_test_result_cb, &r3);
  codes = park_client_list_discounts_finish (f->op, AWAIT (r3), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (codes), ==, 1);

  park_client_delete_discount_async (f->op, park_discount_get_id (code), NULL,
                                     park_test_result_cb, &r4);
  g_assert_true (park_client_delete_discount_finish (f->op, AWAIT (r4), &error));
  g_assert_no_error (error);

  /* The log holds both changes, newest first; max_results stops early. */
  park_client_list_audit_log_async (f->op, NULL, 0, NULL, park_test_result_cb, &r5);
  all = park_client_list_audit_log_finish (f->op, AWAIT (r5), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), >=, 2);
  park_client_list_audit_log_async (f->op, NULL, 1, NULL, park_test_result_cb, &r6);
  log = park_client_list_audit_log_finish (f->op, AWAIT (r6), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 1);
  newest = g_list_model_get_item (log, 0);
  g_assert_cmpstr (park_audit_entry_get_object_id (newest), ==, park_discount_get_id (code));
  g_assert_true (g_str_has_prefix (park_audit_entry_get_action (newest), "discount"));
  g_assert_nonnull (park_audit_entry_get_at (newest));
  g_assert_true (g_str_has_prefix (park_audit_entry_get_detail (newest), "{"));
}

static void
test_sensors (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkSensor) sensor = NULL, listed = NULL;
  g_autoptr(GListModel) sensors = NULL;

  park_client_create_sensor_async (f->op, NULL, "Gate 2 loop", NULL, NULL, park_test_result_cb,
                                   &r1);
  sensor = park_client_create_sensor_finish (f->op, AWAIT (r1), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_sensor_get_name (sensor), ==, "Gate 2 loop");
  g_assert_true (g_str_has_prefix (park_sensor_get_key (sensor), "psk_"));
  g_assert_null (park_sensor_get_revoked_at (sensor));
  g_assert_null (park_sensor_get_lot_id (sensor));

  park_client_revoke_sensor_async (f->op, park_sensor_get_id (sensor), NULL, park_test_result_cb,
                                   &r2);
  g_assert_true (park_client_revoke_sensor_finish (f->op, AWAIT (r2), &error));
  g_assert_no_error (error);

  /* Listed without its key (the server keeps none), and revoked. */
  park_client_list_sensors_async (f->op, NULL, NULL, park_test_result_cb, &r3);
  sensors = park_client_list_sensors_finish (f->op, AWAIT (r3), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (sensors), ==, 1);
  listed = g_list_model_get_item (sensors, 0);
  g_assert_cmpstr (park_sensor_get_id (listed), ==, park_sensor_get_id (sensor));
  g_assert_null (park_sensor_get_key (listed));
  g_assert_nonnull (park_sensor_get_revoked_at (listed));
}

static const char two_lots[] =
  "{\"type\":\"FeatureCollection\",\"features\":["
  "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.7410,51.0510]},"
  " \"properties\":{\"name\":\"Parkhaus Import\",\"type\":\"Parkhaus\",\"total\":120}},"
  "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.7450,51.0530]},"
  " \"properties\":{\"name\":\"Ohne Angabe\",\"type\":\"Parkplatz\"}}"
  "]}";

static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static (two_lots, sizeof two_lots - 1);
  g_autoptr(GBytes) not_geojson = g_bytes_new_static ("{\"type\":\"Feature\"}", 18);
  g_autoptr(ParkImportReport) report = NULL, refused = NULL;

  park_client_import_lots_async (f->admin, OPERATOR, 300, body, NULL, park_test_result_cb, &r1);
  report = park_client_import_lots_finish (f->admin, AWAIT (r1), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_import_report_get_operator (report), ==, OPERATOR);
  g_assert_cmpint (park_import_report_get_imported (report), >=, 1);
  g_assert_cmpint (park_import_report_get_spots (report), >=, 120);
  g_assert_nonnull (park_import_report_get_skipped (report));

  park_client_import_lots_async (f->admin, OPERATOR, -1, not_geojson, NULL, park_test_result_cb,
                                 &r2);
  refused = park_client_import_lots_finish (f->admin, AWAIT (r2), &error);
  g_assert_null (refused);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
}

static void
test_reports (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkLot) lot = create_lot (f, 51.05, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) hour = g_date_time_new_utc (g_date_time_get_year (now),
                                                   g_date_time_get_month (now),
                                                   g_date_time_get_day_of_month (now),
                                                   g_date_time_get_hour (now), 0, 0);
  g_autoptr(GDateTime) from = g_date_time_add_hours (hour, -2);
  g_autoptr(GDateTime) to = g_date_time_add_hours (hour, 1);
  g_autoptr(ParkCashReport) cash = NULL;
  g_autoptr(ParkOccupancyReport) occupancy = NULL, bad_step = NULL;
  g_autoptr(ParkStaysReport) stays = NULL;
  g_autoptr(GListModel) revenue = NULL, by_lot = NULL;
  g_autoptr(ParkOccupancyStep) first = NULL;

  g_assert_no_error (error);
  park_client_get_cash_report_async (f->op, NULL, NULL, from, to, NULL, park_test_result_cb,
                                     &r1);
  cash = park_client_get_cash_report_finish (f->op, AWAIT (r1), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_cash_report_get_currency (cash), ==, "EUR");
  g_assert_cmpint (park_cash_report_get_total (cash), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (park_cash_report_get_attendants (cash)), ==, 0);
  g_assert_true (g_date_time_equal (park_cash_report_get_from (cash), from));

  park_client_get_occupancy_async (f->op, park_lot_get_id (lot), from, to, "1h", NULL, NULL,
                                   park_test_result_cb, &r2);
  occupancy = park_client_get_occupancy_finish (f->op, AWAIT (r2), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_occupancy_report_get_lot_id (occupancy), ==, park_lot_get_id (lot));
  g_assert_cmpint (park_occupancy_report_get_step_seconds (occupancy), ==, 3600);
  g_assert_cmpuint (g_list_model_get_n_items (park_occupancy_report_get_steps (occupancy)), ==,
                    3);
  first = g_list_model_get_item (park_occupancy_report_get_steps (occupancy), 0);
  g_assert_true (g_date_time_equal (park_occupancy_step_get_start (first), from));
  /* No car has come to the new lot; it has no compact spots at all. */
  g_assert_cmpfloat (park_occupancy_step_get_occupancy (first), <=, 0.0);
  g_assert_cmpfloat (park_occupancy_step_get_compact (first), ==, -1.0);

  park_client_get_occupancy_async (f->op, park_lot_get_id (lot), from, to, "7x", NULL, NULL,
                                   park_test_result_cb, &r3);
  bad_step = park_client_get_occupancy_finish (f->op, AWAIT (r3), &error);
  g_assert_null (bad_step);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "step");
  g_clear_error (&error);

  park_client_get_revenue_async (f->admin, from, to, PARK_REVENUE_GROUP_DAY, OPERATOR, NULL,
                                 park_test_result_cb, &r4);
  revenue = park_client_get_revenue_finish (f->admin, AWAIT (r4), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (revenue); i++)
    {
      g_autoptr(ParkRevenueSeries) series = g_list_model_get_item (revenue, i);

      g_assert_cmpstr (park_revenue_series_get_operator_slug (series), ==, OPERATOR);
      g_assert_cmpint (park_revenue_series_get_net (series), ==, 0);
    }
  park_client_get_revenue_async (f->op, from, to, PARK_REVENUE_GROUP_LOT, NULL, NULL,
                                 park_test_result_cb, &r5);
  by_lot = park_client_get_revenue_finish (f->op, AWAIT (r5), &error);
  g_assert_no_error (error);

  park_client_get_stays_report_async (f->op, park_lot_get_id (lot), from, to, NULL, NULL,
                                      park_test_result_cb, &r6);
  stays = park_client_get_stays_report_finish (f->op, AWAIT (r6), &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_stays_report_get_stays (stays), ==, 0);
  g_assert_cmpfloat (park_stays_report_get_average_minutes (stays), ==, -1.0);
  g_assert_cmpint (park_stays_report_get_spots (stays), ==, 6);
  g_assert_cmpstr (park_stays_report_get_lot_id (stays), ==, park_lot_get_id (lot));

  /* The same figures as CSV, for a spreadsheet: a header line, then a line per step (three
   * hours), per day of the operator's (a day or two), or the one stays line. */
  {
    struct {
      ParkAnalyticsReport  report;
      const char          *header;
      guint                min_lines, max_lines;
    } csv[] = {
      { PARK_ANALYTICS_REPORT_OCCUPANCY,
        "start,end,measured_seconds,occupancy,regular,disabled,ev,compact,motorcycle", 4, 4 },
      { PARK_ANALYTICS_REPORT_REVENUE,
        "operator_id,operator_slug,currency,date,payments,gross,refunds,refunded,net", 2, 3 },
      { PARK_ANALYTICS_REPORT_STAYS,
        "from,to,operator_id,operator_slug,lot_id,stays,walk_ins,reservations,average_minutes,"
        "median_minutes,spots,turnover_per_spot", 2, 2 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (csv); i++)
      {
        g_autoptr(GAsyncResult) r = NULL;
        g_autoptr(GBytes) bytes = NULL;
        g_auto(GStrv) lines = NULL;
        g_autofree char *text = NULL;
        const char *csv_text;
        gsize len;

        park_client_get_analytics_csv_async (f->op, csv[i].report, park_lot_get_id (lot), from,
                                             to, "1h", PARK_REVENUE_GROUP_DAY, NULL, NULL,
                                             park_test_result_cb, &r);
        bytes = park_client_get_analytics_csv_finish (f->op, AWAIT (r), &error);
        g_assert_no_error (error);
        csv_text = g_bytes_get_data (bytes, &len);
        text = g_strndup (csv_text, len);
        g_test_message ("%s", text);
        g_assert_true (g_str_has_suffix (text, "\r\n"));
        lines = g_strsplit (text, "\r\n", -1);
        g_assert_cmpstr (lines[0], ==, csv[i].header);
        g_assert_cmpuint (g_strv_length (lines) - 1, >=, csv[i].min_lines);
        g_assert_cmpuint (g_strv_length (lines) - 1, <=, csv[i].max_lines);
        if (csv[i].report == PARK_ANALYTICS_REPORT_STAYS)
          g_assert_nonnull (strstr (lines[1], park_lot_get_id (lot)));
      }
  }

  /* A step the server cannot take is refused, naming it, as for the JSON. */
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GBytes) refused = NULL;

    park_client_get_analytics_csv_async (f->op, PARK_ANALYTICS_REPORT_OCCUPANCY,
                                         park_lot_get_id (lot), from, to, "7x",
                                         PARK_REVENUE_GROUP_DAY, NULL, NULL, park_test_result_cb,
                                         &r);
    refused = park_client_get_analytics_csv_finish (f->op, AWAIT (r), &error);
    g_assert_null (refused);
    g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
    g_assert_cmpstr (park_client_error_get_field (error), ==, "step");
    g_clear_error (&error);
  }
}

static void
test_update_me (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(ParkClient) driver = park_client_new (f->backend->url, NULL);
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkUser) renamed = NULL, refused = NULL, changed = NULL;
  gboolean signed_out = FALSE;

  park_client_register_async (driver, "dora@example.org", PASSWORD, "Dora", "Driver", NULL, NULL,
                              park_test_result_cb, &r1);
  g_assert_true (park_client_register_finish (driver, AWAIT (r1), &error));

  park_client_update_me_async (driver, "Dorothea", NULL, "+4935112345", NULL, NULL, NULL,
                               park_test_result_cb, &r2);
  renamed = park_client_update_me_finish (driver, AWAIT (r2), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_user_get_first_name (renamed), ==, "Dorothea");
  g_assert_cmpstr (park_user_get_last_name (renamed), ==, "Driver");
  g_assert_cmpstr (park_user_get_phone (renamed), ==, "+4935112345");

  park_client_update_me_async (driver, NULL, NULL, NULL, "another long password",
                               "not the password", NULL, park_test_result_cb, &r3);
  refused = park_client_update_me_finish (driver, AWAIT (r3), &error);
  g_assert_null (refused);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "wrong-password");
  g_assert_cmpstr (park_client_error_get_field (error), ==, "current_password");
  g_clear_error (&error);
  g_assert_true (park_client_get_signed_in (driver));

  /* A new password ends the sign-in, here as on the server; the phone is removed. */
  g_signal_connect_swapped (driver, "signed-out", G_CALLBACK (g_nullify_pointer), &signed_out);
  park_client_update_me_async (driver, NULL, NULL, "", "another long password", PASSWORD, NULL,
                               park_test_result_cb, &r4);
  changed = park_client_update_me_finish (driver, AWAIT (r4), &error);
  g_assert_no_error (error);
  g_assert_null (park_user_get_phone (changed));
  g_assert_false (park_client_get_signed_in (driver));
  g_assert_false (signed_out);

  park_client_sign_in_async (driver, "dora@example.org", "another long password", NULL,
                             park_test_result_cb, &r5);
  g_assert_true (park_client_sign_in_finish (driver, AWAIT (r5), &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/core/client/admin/operators", test_operators);
  ADD ("/core/client/admin/lots-and-spots", test_lots_and_spots);
  ADD ("/core/client/admin/lot-hours-and-amenities", test_lot_hours_and_amenities);
  ADD ("/core/client/admin/pricing", test_pricing);
  ADD ("/core/client/admin/pricing-rules", test_pricing_rules);
  ADD ("/core/client/admin/staff", test_staff);
  ADD ("/core/client/admin/discounts-and-audit", test_discounts_and_audit);
  ADD ("/core/client/admin/sensors", test_sensors);
  ADD ("/core/client/admin/import", test_import);
  ADD ("/core/client/admin/reports", test_reports);
  ADD ("/core/client/account/update-me", test_update_me);
#undef ADD

  return g_test_run ();
}
