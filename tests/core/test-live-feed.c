/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-live-feed.c: ParkLiveFeed on the real parkd: lots it watches change by themselves when
 * a car checks in; after a deliberate stop it resumes from the numbers it holds and gets the
 * missed update replayed; when parkd restarts it reconnects by itself; a signed-in driver
 * hears of their own booking.
 */
#include "config.h"

#include <park-core.h>

#include "park-test-backend.h"
#include "park-test-utils.h"

#define WAIT_S 30
#define WAIT_US ((gint64) WAIT_S * park_test_timeout_multiplier () * G_USEC_PER_SEC)
#define PASSWORD "correct horse battery"

typedef struct
{
  ParkTestBackend *backend;
  ParkClient      *client;
  ParkLiveFeed    *feed;
  GListModel      *lots;
  char            *staff_token;
  guint            updates;
  gboolean         last_replayed;
  char            *event;
  char            *event_id;
  guint            tick_id;
} Fixture;

static void
lot_updated_cb (ParkLiveFeed *feed,
                ParkLot      *lot,
                gboolean      replayed,
                Fixture      *f)
{
  f->updates++;
  f->last_replayed = replayed;
}

static void
reservation_event_cb (ParkLiveFeed *feed,
                      const char   *event,
                      const char   *reservation_id,
                      Fixture      *f)
{
  g_free (f->event);
  g_free (f->event_id);
  f->event = g_strdup (event);
  f->event_id = g_strdup (reservation_id);
}

static void
await_state (Fixture           *f,
             ParkLiveFeedState  state)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;

  while (park_live_feed_get_state (f->feed) != state && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (park_live_feed_get_state (f->feed), ==, state);
}

static void
await_seq (Fixture    *f,
           const char *lot_id,
           gint64      seq)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;

  while (park_live_feed_get_seq (f->feed, lot_id) < seq && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (park_live_feed_get_seq (f->feed, lot_id), ==, seq);
}

/* Wakes the loop now and then, so the waits above see their deadline pass. */
static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

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
  g_autoptr(ParkTestResponse) login = NULL;

  f->backend = park_test_backend_new ();
  park_test_backend_start (f->backend, args);
  f->client = park_client_new (f->backend->url, NULL);

  park_client_search_lots_near_async (f->client, 51.0504, 13.7373, 800, PARK_SPOT_TYPE_ANY, 0,
                                      3, NULL, park_test_result_cb, &result);
  f->lots = park_client_search_lots_finish (f->client, park_test_await (&result, WAIT_S),
                                            &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (f->lots), ==, 3);

  g_assert_cmpint (park_test_user_add (f->backend, attendant, PASSWORD), ==, 0);
  login = park_test_call (f->backend, NULL, "POST", "api/v1/auth/login",
                          "{\"email\":\"booth@example.org\",\"password\":\"" PASSWORD "\"}");
  g_assert_cmpuint (login->status, ==, 200);
  f->staff_token = g_strdup (json_object_get_string_member (park_test_response_object (login),
                                                            "access_token"));

  f->feed = park_live_feed_new (f->client);
  g_signal_connect (f->feed, "lot-updated", G_CALLBACK (lot_updated_cb), f);
  g_signal_connect (f->feed, "reservation-event", G_CALLBACK (reservation_event_cb), f);
  f->tick_id = g_timeout_add (100, tick_cb, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_handle_id (&f->tick_id, g_source_remove);
  g_clear_object (&f->feed);
  g_clear_object (&f->lots);
  g_clear_object (&f->client);
  g_clear_pointer (&f->backend, park_test_backend_free);
  g_free (f->staff_token);
  g_free (f->event);
  g_free (f->event_id);
}

/* A car checks in at @lot, through the REST API as the booth would. */
static void
walk_in (Fixture    *f,
         ParkLot    *lot,
         const char *plate)
{
  g_autofree char *body = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"%s\"}",
                                           park_lot_get_id (lot), plate);
  g_autoptr(ParkTestResponse) response = park_test_call (f->backend, f->staff_token, "POST",
                                                         "api/v1/sessions", body);

  g_assert_cmpuint (response->status, ==, 201);
}

static ParkLot *
start_watching (Fixture *f)
{
  ParkLot *lot = g_list_model_get_item (f->lots, 0);

  park_live_feed_watch (f->feed, f->lots);
  g_assert_cmpint (park_live_feed_get_state (f->feed), ==, PARK_LIVE_FEED_STATE_OFFLINE);
  park_live_feed_start (f->feed);
  g_assert_cmpint (park_live_feed_get_state (f->feed), ==, PARK_LIVE_FEED_STATE_CONNECTING);
  await_state (f, PARK_LIVE_FEED_STATE_ONLINE);
  /* The snapshot gave every watched lot its number. */
  for (guint i = 0; i < g_list_model_get_n_items (f->lots); i++)
    {
      g_autoptr(ParkLot) each = g_list_model_get_item (f->lots, i);

      g_assert_cmpint (park_live_feed_get_seq (f->feed, park_lot_get_id (each)), >=, 0);
    }
  return lot;
}

static void
test_updates (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(ParkLot) lot = start_watching (f);
  guint before = park_lot_get_available (lot, PARK_SPOT_TYPE_REGULAR);
  gint64 seq = park_live_feed_get_seq (f->feed, park_lot_get_id (lot));

  walk_in (f, lot, "DD-LF 1");
  await_seq (f, park_lot_get_id (lot), seq + 1);
  g_assert_cmpuint (park_lot_get_available (lot, PARK_SPOT_TYPE_REGULAR), ==, before - 1);
  g_assert_false (f->last_replayed);

  walk_in (f, lot, "DD-LF 2");
  await_seq (f, park_lot_get_id (lot), seq + 2);
  g_assert_cmpuint (park_lot_get_available (lot, PARK_SPOT_TYPE_REGULAR), ==, before - 2);
}

static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(ParkLot) lot = start_watching (f);
  g_autoptr(ParkClient) other_client = park_client_new (f->backend->url, NULL);
  g_autoptr(ParkLiveFeed) other = park_live_feed_new (other_client);
  g_autoptr(GListStore) other_lots = g_list_store_new (PARK_TYPE_LOT);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkLot) copy = NULL;
  guint before = park_lot_get_available (lot, PARK_SPOT_TYPE_REGULAR);
  gint64 seq = park_live_feed_get_seq (f->feed, park_lot_get_id (lot));
  gint64 deadline;

  /* A second feed, with its own copy of the lot, stays online and tells when parkd has
   * published the change. */
  park_client_get_lot_async (other_client, park_lot_get_id (lot), NULL, park_test_result_cb,
                             &result);
  copy = park_client_get_lot_finish (other_client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  g_list_store_append (other_lots, copy);
  park_live_feed_watch (other, G_LIST_MODEL (other_lots));
  park_live_feed_start (other);

  park_live_feed_stop (f->feed);
  g_assert_cmpint (park_live_feed_get_state (f->feed), ==, PARK_LIVE_FEED_STATE_OFFLINE);
  walk_in (f, lot, "DD-RS 1");
  deadline = g_get_monotonic_time () + WAIT_US;
  while (park_live_feed_get_seq (other, park_lot_get_id (lot)) < seq + 1 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (park_live_feed_get_seq (other, park_lot_get_id (lot)), ==, seq + 1);
  /* The stopped feed heard nothing. */
  g_assert_cmpint (park_live_feed_get_seq (f->feed, park_lot_get_id (lot)), ==, seq);
  g_assert_cmpuint (park_lot_get_available (lot, PARK_SPOT_TYPE_REGULAR), ==, before);
  g_assert_cmpuint (park_lot_get_available (copy, PARK_SPOT_TYPE_REGULAR), ==, before - 1);
  park_live_feed_stop (other);

  /* Back, it resumes from the number it holds: the missed update is replayed, once. */
  f->updates = 0;
  park_live_feed_start (f->feed);
  await_seq (f, park_lot_get_id (lot), seq + 1);
  g_assert_true (f->last_replayed);
  g_assert_cmpuint (f->updates, ==, 1);
  g_assert_cmpuint (park_lot_get_available (lot, PARK_SPOT_TYPE_REGULAR), ==, before - 1);
}

static void
test_reconnect (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(ParkLot) lot = start_watching (f);
  g_autoptr(GUri) uri = g_uri_parse (f->backend->url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
  const char *args[] = { "--auth-rate-limit", "0", "--listen", listen, NULL };
  guint before = park_lot_get_available (lot, PARK_SPOT_TYPE_REGULAR);
  gint64 seq = park_live_feed_get_seq (f->feed, park_lot_get_id (lot));

  park_test_backend_stop (f->backend);
  await_state (f, PARK_LIVE_FEED_STATE_RECONNECTING);
  park_test_backend_start (f->backend, args);
  await_state (f, PARK_LIVE_FEED_STATE_ONLINE);

  /* Numbers survive the restart: the next change is one more. */
  walk_in (f, lot, "DD-RC 1");
  await_seq (f, park_lot_get_id (lot), seq + 1);
  g_assert_cmpuint (park_lot_get_available (lot, PARK_SPOT_TYPE_REGULAR), ==, before - 1);
}

static void
test_driver_events (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ParkLot) lot = g_list_model_get_item (f->lots, 0);
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkReservation) booked = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_hours (now, 2);
  g_autoptr(GDateTime) end = g_date_time_add_hours (now, 4);
  gint64 deadline;

  park_client_register_async (f->client, "dora@example.org", PASSWORD, NULL, NULL, NULL, NULL,
                              park_test_result_cb, &r1);
  g_assert_true (park_client_register_finish (f->client, park_test_await (&r1, WAIT_S), &error));
  park_live_feed_start (f->feed);
  await_state (f, PARK_LIVE_FEED_STATE_ONLINE);

  park_client_book_async (f->client, park_lot_get_id (lot), NULL, PARK_SPOT_TYPE_REGULAR, start,
                          end, NULL, NULL, NULL, park_test_result_cb, &r2);
  booked = park_client_book_finish (f->client, park_test_await (&r2, WAIT_S), &error);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + WAIT_US;
  while (f->event == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (f->event);
  g_assert_cmpstr (f->event_id, ==, park_reservation_get_id (booked));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/core/live-feed/updates", test_updates);
  ADD ("/core/live-feed/resume", test_resume);
  ADD ("/core/live-feed/reconnect", test_reconnect);
  ADD ("/core/live-feed/driver-events", test_driver_events);
#undef ADD

  return g_test_run ();
}
