/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-client-offline.c: with a cache directory, the last lots found, a lot's spots and the
 * signed-in driver's bookings are served, marked stale, once parkd is stopped; what was never
 * asked for fails with the transport error; a price is never served stale, and offline it
 * fails saying so; signing out forgets the driver's cached bookings.
 */
#include "config.h"

#include <park-core.h>

#include "park-test-backend.h"
#include "park-test-utils.h"

#include <string.h>

#define WAIT_S 30
#define WAIT_US ((gint64) WAIT_S * park_test_timeout_multiplier () * G_USEC_PER_SEC)
#define PASSWORD "correct horse battery"

typedef struct
{
  ParkTestBackend *backend;
  ParkClient      *client;
  char            *cache_dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const args[] = { "--demo", "--auth-rate-limit", "0", NULL };

  f->backend = park_test_backend_new ();
  park_test_backend_start (f->backend, args);
  f->cache_dir = g_build_filename (g_get_user_cache_dir (), "parkade", NULL);
  f->client = park_client_new (f->backend->url, NULL);
  park_client_set_cache_dir (f->client, f->cache_dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->client);
  g_clear_pointer (&f->backend, park_test_backend_free);
  g_free (f->cache_dir);
}

static GListModel *
search (Fixture  *f,
        GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  park_client_search_lots_near_async (f->client, 51.0504, 13.7373, 800, PARK_SPOT_TYPE_ANY, 0,
                                      0, NULL, park_test_result_cb, &result);
  return park_client_search_lots_finish (f->client, park_test_await (&result, WAIT_S), error);
}

static GListModel *
my_bookings (Fixture  *f,
             GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  park_client_list_reservations_async (f->client, 0, NULL, park_test_result_cb, &result);
  return park_client_list_reservations_finish (f->client, park_test_await (&result, WAIT_S),
                                               error);
}

static GListModel *
spots_of (Fixture     *f,
          const char  *lot_id,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  park_client_list_spots_async (f->client, lot_id, PARK_SPOT_TYPE_ANY, NULL, park_test_result_cb,
                                &result);
  return park_client_list_spots_finish (f->client, park_test_await (&result, WAIT_S), error);
}

static guint
count_cache_files (Fixture *f)
{
  g_autoptr(GDir) top = g_dir_open (f->cache_dir, 0, NULL);
  const char *sub;
  guint count = 0;

  while (top != NULL && (sub = g_dir_read_name (top)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->cache_dir, sub, NULL);
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

      while (dir != NULL && g_dir_read_name (dir) != NULL)
        count++;
    }
  return count;
}

/* Cache files are written in the background: wait until they are. */
static void
await_cache_files (Fixture *f,
                   guint    n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;

  while (count_cache_files (f) < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_cmpuint (count_cache_files (f), ==, n);
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) fresh = search (f, &error);
  g_autoptr(GListModel) stale = NULL;
  g_autoptr(GListModel) bookings = NULL;
  g_autoptr(GListModel) stale_bookings = NULL;
  g_autoptr(ParkLot) first = NULL;
  g_autoptr(ParkReservation) booked = NULL;
  g_autoptr(ParkQuote) quote = NULL;
  g_autoptr(ParkQuote) priced = NULL;
  g_autoptr(GListModel) spots = NULL;
  g_autoptr(GListModel) stale_spots = NULL;
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_hours (now, 2);
  g_autoptr(GDateTime) end = g_date_time_add_hours (now, 3);

  g_assert_no_error (error);
  first = g_list_model_get_item (fresh, 0);
  g_assert_false (park_lot_get_stale (first));

  park_client_register_async (f->client, "dora@example.org", PASSWORD, NULL, NULL, NULL, NULL,
                              park_test_result_cb, &r1);
  g_assert_true (park_client_register_finish (f->client, park_test_await (&r1, WAIT_S), &error));
  park_client_book_async (f->client, park_lot_get_id (first), NULL, PARK_SPOT_TYPE_REGULAR,
                          start, end, NULL, NULL, NULL, park_test_result_cb, &r2);
  booked = park_client_book_finish (f->client, park_test_await (&r2, WAIT_S), &error);
  g_assert_no_error (error);
  bookings = my_bookings (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (bookings), ==, 1);
  spots = spots_of (f, park_lot_get_id (first), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (spots), >, 0);
  /* Asked for before, and still no price offline. */
  park_client_quote_async (f->client, park_lot_get_id (first), PARK_SPOT_TYPE_REGULAR, start,
                           end, NULL, NULL, park_test_result_cb, &r4);
  priced = park_client_quote_finish (f->client, park_test_await (&r4, WAIT_S), &error);
  g_assert_no_error (error);
  /* The search, the bookings, and the spots (one file per page of 100). */
  await_cache_files (f, 2 + (g_list_model_get_n_items (spots) + 99) / 100);

  park_test_backend_stop (f->backend);

  /* The same search: the lots last found, marked stale. */
  stale = search (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (stale), ==, g_list_model_get_n_items (fresh));
  for (guint i = 0; i < g_list_model_get_n_items (stale); i++)
    {
      g_autoptr(ParkLot) was = g_list_model_get_item (fresh, i);
      g_autoptr(ParkLot) lot = g_list_model_get_item (stale, i);

      g_assert_cmpstr (park_lot_get_name (lot), ==, park_lot_get_name (was));
      g_assert_true (park_lot_get_stale (lot));
    }

  stale_bookings = my_bookings (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (stale_bookings), ==, 1);
  {
    g_autoptr(ParkReservation) kept = g_list_model_get_item (stale_bookings, 0);

    g_assert_cmpstr (park_reservation_get_id (kept), ==, park_reservation_get_id (booked));
    g_assert_true (park_reservation_get_stale (kept));
  }

  /* The lot's spots as last seen, stale. */
  stale_spots = spots_of (f, park_lot_get_id (first), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (stale_spots), ==, g_list_model_get_n_items (spots));
  for (guint i = 0; i < g_list_model_get_n_items (stale_spots); i++)
    {
      g_autoptr(ParkSpot) was = g_list_model_get_item (spots, i);
      g_autoptr(ParkSpot) spot = g_list_model_get_item (stale_spots, i);

      g_assert_cmpstr (park_spot_get_id (spot), ==, park_spot_get_id (was));
      g_assert_cmpint (park_spot_get_state (spot), ==, park_spot_get_state (was));
      g_assert_false (park_spot_get_stale (was));
      g_assert_true (park_spot_get_stale (spot));
    }

  /* A price is never served stale: offline, the error says no price can be had. */
  park_client_quote_async (f->client, park_lot_get_id (first), PARK_SPOT_TYPE_REGULAR, start,
                           end, NULL, NULL, park_test_result_cb, &r3);
  quote = park_client_quote_finish (f->client, park_test_await (&r3, WAIT_S), &error);
  g_assert_null (quote);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAVAILABLE);
  g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "offline");
  g_assert_cmpuint (park_client_error_get_http_status (error), ==, 0);
  g_assert_nonnull (strstr (error->message, "No price"));
  g_clear_error (&error);

  /* Spots of a lot never asked for: the transport error as it is. */
  g_clear_object (&stale_spots);
  stale_spots = spots_of (f, "00000000-0000-4000-8000-000000000000", &error);
  g_assert_null (stale_spots);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

static void
test_sign_out_forgets (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) bookings = NULL;
  g_autoptr(GListModel) after = NULL;
  g_autoptr(GListModel) lots = search (f, &error);
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;

  park_client_register_async (f->client, "dora@example.org", PASSWORD, NULL, NULL, NULL, NULL,
                              park_test_result_cb, &r1);
  g_assert_true (park_client_register_finish (f->client, park_test_await (&r1, WAIT_S), &error));
  bookings = my_bookings (f, &error);
  g_assert_no_error (error);
  await_cache_files (f, 2);

  park_client_sign_out_async (f->client, NULL, park_test_result_cb, &r2);
  g_assert_true (park_client_sign_out_finish (f->client, park_test_await (&r2, WAIT_S), &error));
  /* The account's answers are gone from the disk; the public search stays. */
  g_assert_cmpuint (count_cache_files (f), ==, 1);
  park_test_backend_stop (f->backend);

  /* Signed out, nothing of the account is served; the public lots still are. */
  after = my_bookings (f, &error);
  g_assert_null (after);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_clear_error (&error);
  g_clear_object (&lots);
  lots = search (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (lots), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/core/client/offline/served-stale", test_offline);
  ADD ("/core/client/offline/sign-out-forgets", test_sign_out_forgets);
#undef ADD

  return g_test_run ();
}
