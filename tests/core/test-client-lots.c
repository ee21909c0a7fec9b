/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-client-lots.c: ParkClient finds the demo city's lots on the real parkd, reads a lot and
 * all its spots page by page, and brings lots' availability up to date in place.
 */
#include "config.h"

#include <park-core.h>

#include "park-test-backend.h"
#include "park-test-utils.h"

#define ALTMARKT_LAT 51.0504
#define ALTMARKT_LNG 13.7373
#define WAIT_S 30

typedef struct
{
  ParkTestBackend *backend;
  ParkClient      *client;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const demo[] = { "--demo", NULL };

  f->backend = park_test_backend_new ();
  park_test_backend_start (f->backend, demo);
  f->client = park_client_new (f->backend->url, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->client);
  g_clear_pointer (&f->backend, park_test_backend_free);
}

static GListModel *
search_near (Fixture         *f,
             double           radius,
             ParkSpotType     spot_type,
             ParkSearchFlags  flags,
             guint            max_results)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *lots;

  park_client_search_lots_near_async (f->client, ALTMARKT_LAT, ALTMARKT_LNG, radius, spot_type,
                                      flags, max_results, NULL, park_test_result_cb, &result);
  lots = park_client_search_lots_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_nonnull (lots);
  g_assert_true (g_list_model_get_item_type (lots) == PARK_TYPE_LOT);
  return lots;
}

static void
test_search_near (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GListModel) lots = search_near (f, 800, PARK_SPOT_TYPE_ANY, 0, 0);
  g_autoptr(ParkTestResponse) raw =
    park_test_get (f->backend, "api/v1/parking-lots?lat=51.0504&lng=13.7373&radius=800");
  JsonObject *page = park_test_response_object (raw);
  guint n = g_list_model_get_n_items (lots);
  double last = 0;

  /* Every lot the server has there, in its order, with its real name and distance. */
  g_assert_cmpuint (n, >, 2);
  g_assert_cmpuint (n, ==, json_object_get_int_member (page, "total"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);
      JsonObject *item = json_array_get_object_element (
        json_object_get_array_member (page, "items"), i);
      double expected = park_test_haversine_m (ALTMARKT_LAT, ALTMARKT_LNG,
                                               park_lot_get_latitude (lot),
                                               park_lot_get_longitude (lot));

      g_assert_cmpstr (park_lot_get_name (lot), ==, json_object_get_string_member (item, "name"));
      g_assert_cmpstr (park_lot_get_name (lot), !=, "");
      g_assert_cmpfloat_with_epsilon (park_lot_get_distance (lot), expected, 1.0);
      g_assert_cmpfloat (park_lot_get_distance (lot), <=, 800);
      g_assert_cmpfloat (park_lot_get_distance (lot), >=, last);
      last = park_lot_get_distance (lot);
    }
  {
    g_autoptr(ParkLot) nearest = g_list_model_get_item (lots, 0);

    g_assert_cmpstr (park_lot_get_name (nearest), ==, "Tiefgarage Altmarkt");
  }
}

static void
test_search_limit_and_filters (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GListModel) three = search_near (f, 5000, PARK_SPOT_TYPE_ANY, 0, 3);
  g_autoptr(GListModel) all = search_near (f, 100000, PARK_SPOT_TYPE_ANY, 0, 0);
  g_autoptr(GListModel) ev = search_near (f, 100000, PARK_SPOT_TYPE_EV,
                                          PARK_SEARCH_FLAGS_AVAILABLE_ONLY, 0);
  g_autoptr(ParkTestResponse) info = park_test_get (f->backend, "api/v1/info");
  guint with_free_ev = 0;

  g_assert_cmpuint (g_list_model_get_n_items (three), ==, 3);
  g_assert_cmpint (g_list_model_get_n_items (all), ==,
                   json_object_get_int_member (json_object_get_object_member (
                     park_test_response_object (info), "counts"), "lots"));

  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (all, i);

      if (park_lot_get_status (lot) == PARK_LOT_STATUS_OPEN &&
          park_lot_get_available (lot, PARK_SPOT_TYPE_EV) > 0)
        with_free_ev++;
    }
  g_assert_cmpuint (with_free_ev, >, 0);
  g_assert_cmpuint (with_free_ev, <, g_list_model_get_n_items (all));
  g_assert_cmpuint (g_list_model_get_n_items (ev), ==, with_free_ev);
  for (guint i = 0; i < g_list_model_get_n_items (ev); i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (ev, i);

      g_assert_cmpuint (park_lot_get_available (lot, PARK_SPOT_TYPE_EV), >, 0);
    }
}

static void
test_search_in_box (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) lots = NULL;

  park_client_search_lots_in_box_async (f->client, 13.73, 51.045, 13.745, 51.055,
                                        PARK_SPOT_TYPE_ANY, 0, 0, NULL, park_test_result_cb,
                                        &result);
  lots = park_client_search_lots_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (lots), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (lots); i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);

      g_assert_cmpfloat (park_lot_get_longitude (lot), >=, 13.73);
      g_assert_cmpfloat (park_lot_get_longitude (lot), <=, 13.745);
      g_assert_cmpfloat (park_lot_get_latitude (lot), >=, 51.045);
      g_assert_cmpfloat (park_lot_get_latitude (lot), <=, 51.055);
    }
}

/* By name, from far away: every lot whose name or address holds the text, nearest first. */
static void
test_search_named (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) lots = NULL;
  double last = 0;

  park_client_search_lots_named_async (f->client, "ALTMARKT", 48.137, 11.575,
                                       PARK_SPOT_TYPE_ANY, 0, 0, NULL, park_test_result_cb,
                                       &result);
  lots = park_client_search_lots_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (lots), >=, 2);
  for (guint i = 0; i < g_list_model_get_n_items (lots); i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);
      g_autofree char *text = g_strconcat (park_lot_get_name (lot), " ",
                                           park_lot_get_address (lot), NULL);
      g_autofree char *folded = g_utf8_casefold (text, -1);

      g_assert_nonnull (strstr (folded, "altmarkt"));
      g_assert_cmpfloat (park_lot_get_distance (lot), >=, last);
      last = park_lot_get_distance (lot);
    }
}

static void
test_lot_and_spots (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GListModel) lots = search_near (f, 800, PARK_SPOT_TYPE_ANY, 0, 1);
  g_autoptr(ParkLot) found = g_list_model_get_item (lots, 0);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) spots_result = NULL;
  g_autoptr(GAsyncResult) ev_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkLot) lot = NULL;
  g_autoptr(GListModel) spots = NULL;
  g_autoptr(GListModel) ev = NULL;
  g_autoptr(GHashTable) numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint available = 0;

  park_client_get_lot_async (f->client, park_lot_get_id (found), NULL, park_test_result_cb,
                             &result);
  lot = park_client_get_lot_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_lot_get_name (lot), ==, park_lot_get_name (found));
  /* Not a search result: no distance. */
  g_assert_cmpfloat (park_lot_get_distance (lot), ==, -1);

  /* More spots than one page: every one of them, once. */
  g_assert_cmpuint (park_lot_get_total (lot, PARK_SPOT_TYPE_ANY), >, 100);
  park_client_list_spots_async (f->client, park_lot_get_id (lot), PARK_SPOT_TYPE_ANY, NULL,
                                park_test_result_cb, &spots_result);
  spots = park_client_list_spots_finish (f->client, park_test_await (&spots_result, WAIT_S),
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (spots), ==,
                    park_lot_get_total (lot, PARK_SPOT_TYPE_ANY));
  for (guint i = 0; i < g_list_model_get_n_items (spots); i++)
    {
      g_autoptr(ParkSpot) spot = g_list_model_get_item (spots, i);

      g_assert_cmpstr (park_spot_get_lot_id (spot), ==, park_lot_get_id (lot));
      g_assert_true (g_hash_table_add (numbers, g_strdup (park_spot_get_number (spot))));
      if (park_spot_get_state (spot) == PARK_SPOT_STATE_AVAILABLE)
        available++;
    }
  g_assert_cmpuint (available, ==, park_lot_get_available (lot, PARK_SPOT_TYPE_ANY));

  park_client_list_spots_async (f->client, park_lot_get_id (lot), PARK_SPOT_TYPE_EV, NULL,
                                park_test_result_cb, &ev_result);
  ev = park_client_list_spots_finish (f->client, park_test_await (&ev_result, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (ev), ==,
                    park_lot_get_total (lot, PARK_SPOT_TYPE_EV));
  for (guint i = 0; i < g_list_model_get_n_items (ev); i++)
    {
      g_autoptr(ParkSpot) spot = g_list_model_get_item (ev, i);

      g_assert_cmpint (park_spot_get_spot_type (spot), ==, PARK_SPOT_TYPE_EV);
    }
}

static void
test_lot_not_found (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkLot) lot = NULL;

  park_client_get_lot_async (f->client, "00000000-0000-4000-8000-000000000000", NULL,
                             park_test_result_cb, &result);
  lot = park_client_get_lot_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_null (lot);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_NOT_FOUND);
  g_assert_cmpuint (park_client_error_get_http_status (error), ==, 404);
}

static void
test_info (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkServerInfo) info = NULL;

  park_client_get_info_async (f->client, NULL, park_test_result_cb, &result);
  info = park_client_get_info_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_server_info_get_store (info), ==, "sqlite");
  g_assert_true (park_server_info_get_has_bounds (info));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    data)
{
  GPtrArray *names = data;

  g_ptr_array_add (names, (gpointer) pspec->name);
}

/* A spot taken at the lot (by a walk-in through the raw API) shows up in the lot object the
 * client already had, as notifications of just what changed. */
static void
test_refresh_availability (Fixture       *f,
                           gconstpointer  data)
{
  static const char * const attendant[] = {
    "--email", "booth@example.org", "--role", "attendant", "--operator", "dresden-parking", NULL
  };
  g_autoptr(GListModel) lots = search_near (f, 800, PARK_SPOT_TYPE_ANY, 0, 3);
  g_autoptr(ParkLot) lot = g_list_model_get_item (lots, 0);
  g_autoptr(GPtrArray) notified = g_ptr_array_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkTestResponse) login = NULL;
  g_autoptr(ParkTestResponse) walk_in = NULL;
  g_autofree char *body = NULL;
  guint before = park_lot_get_available (lot, PARK_SPOT_TYPE_REGULAR);
  guint before_all = park_lot_get_available (lot, PARK_SPOT_TYPE_ANY);

  g_assert_cmpint (park_test_user_add (f->backend, attendant, "booth-password-2024"), ==, 0);
  login = park_test_call (f->backend, NULL, "POST", "api/v1/auth/login",
                          "{\"email\":\"booth@example.org\",\"password\":\"booth-password-2024\"}");
  g_assert_cmpuint (login->status, ==, 200);
  body = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"DD-AB 123\"}",
                          park_lot_get_id (lot));
  walk_in = park_test_call (f->backend,
                            json_object_get_string_member (park_test_response_object (login),
                                                           "access_token"),
                            "POST", "api/v1/sessions", body);
  g_assert_cmpuint (walk_in->status, ==, 201);

  g_signal_connect (lot, "notify", G_CALLBACK (count_notify_cb), notified);
  park_client_refresh_availability_async (f->client, lots, NULL, park_test_result_cb, &result);
  park_client_refresh_availability_finish (f->client, park_test_await (&result, WAIT_S),
                                           &error);
  g_assert_no_error (error);
  g_assert_cmpuint (park_lot_get_available (lot, PARK_SPOT_TYPE_REGULAR), ==, before - 1);
  g_assert_cmpuint (park_lot_get_available (lot, PARK_SPOT_TYPE_ANY), ==, before_all - 1);
  g_assert_cmpuint (notified->len, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (notified, "available-regular", g_str_equal,
                                                   NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (notified, "available-spots", g_str_equal,
                                                   NULL));

  /* Nothing changed since: nothing notified. */
  g_ptr_array_set_size (notified, 0);
  park_client_refresh_availability_async (f->client, lots, NULL, park_test_result_cb, &again);
  park_client_refresh_availability_finish (f->client, park_test_await (&again, WAIT_S), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notified->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/core/client/lots/search-near", test_search_near);
  ADD ("/core/client/lots/search-limit-and-filters", test_search_limit_and_filters);
  ADD ("/core/client/lots/search-in-box", test_search_in_box);
  ADD ("/core/client/lots/search-named", test_search_named);
  ADD ("/core/client/lots/lot-and-spots", test_lot_and_spots);
  ADD ("/core/client/lots/not-found", test_lot_not_found);
  ADD ("/core/client/lots/info", test_info);
  ADD ("/core/client/lots/refresh-availability", test_refresh_availability);
#undef ADD

  return g_test_run ();
}
