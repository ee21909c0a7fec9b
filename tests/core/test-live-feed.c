/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-live-feed.c: ParkLiveFeed on the real parkd: lots it watches change by themselves when
 * a car checks in; after a deliberate stop it resumes from the numbers it holds and gets the
 * missed update replayed; when parkd restarts it reconnects by itself; a signed-in driver
 * hears of their own booking, its confirmation, refund, expiry and coming end as signals; a
 * map's box brings the lots the map lacks; an expired sign-in is renewed on the same
 * connection.
 */
#include "config.h"

#include <park-core.h>

#include "park-client-private.h"
#include "park-test-backend.h"
#include "park-test-utils.h"
#include "parkd-keys.h"

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
  GPtrArray       *appeared;
  char            *confirmed;
  char            *expired;
  char            *ending;
  GDateTime       *ending_at;
  char            *refunded;
  gint64           refunded_amount;
  guint            events;
} Fixture;

static void
lot_appeared_cb (ParkLiveFeed *feed,
                 const char   *lot_id,
                 Fixture      *f)
{
  g_ptr_array_add (f->appeared, g_strdup (lot_id));
}

static void
confirmed_cb (ParkLiveFeed *feed,
              const char   *reservation_id,
              Fixture      *f)
{
  g_free (f->confirmed);
  f->confirmed = g_strdup (reservation_id);
}

static void
expired_cb (ParkLiveFeed *feed,
            const char   *reservation_id,
            Fixture      *f)
{
  g_free (f->expired);
  f->expired = g_strdup (reservation_id);
}

static void
ending_soon_cb (ParkLiveFeed *feed,
                const char   *reservation_id,
                GDateTime    *end_time,
                Fixture      *f)
{
  g_free (f->ending);
  f->ending = g_strdup (reservation_id);
  g_clear_pointer (&f->ending_at, g_date_time_unref);
  f->ending_at = end_time != NULL ? g_date_time_ref (end_time) : NULL;
}

static void
refunded_cb (ParkLiveFeed *feed,
             const char   *payment_id,
             gint64        amount,
             Fixture      *f)
{
  g_free (f->refunded);
  f->refunded = g_strdup (payment_id);
  f->refunded_amount = amount;
}

/* Iterates until *@slot is set. */
static void
await_string (Fixture  *f,
              char    **slot)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;

  while (*slot == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (*slot == NULL)
    g_test_message ("last event: %s %s", f->event, f->event_id);
  g_assert_nonnull (*slot);
}

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
  g_signal_connect (f->feed, "lot-appeared", G_CALLBACK (lot_appeared_cb), f);
  g_signal_connect (f->feed, "reservation-confirmed", G_CALLBACK (confirmed_cb), f);
  g_signal_connect (f->feed, "reservation-expired", G_CALLBACK (expired_cb), f);
  g_signal_connect (f->feed, "reservation-ending-soon", G_CALLBACK (ending_soon_cb), f);
  g_signal_connect (f->feed, "payment-refunded", G_CALLBACK (refunded_cb), f);
  f->appeared = g_ptr_array_new_with_free_func (g_free);
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
  g_clear_pointer (&f->appeared, g_ptr_array_unref);
  g_free (f->confirmed);
  g_free (f->expired);
  g_free (f->ending);
  g_clear_pointer (&f->ending_at, g_date_time_unref);
  g_free (f->refunded);
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

/* A map's box: the lots of the model stay live, and those in the box the model lacks are
 * announced, once each. */
static void
test_box (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GListStore) shown = g_list_store_new (PARK_TYPE_LOT);
  g_autoptr(ParkLot) lot = g_list_model_get_item (f->lots, 0);
  guint before = park_lot_get_available (lot, PARK_SPOT_TYPE_REGULAR);
  gint64 seq, deadline;

  g_list_store_append (shown, lot);
  park_live_feed_watch_box (f->feed, G_LIST_MODEL (shown), 13.70, 51.03, 13.77, 51.07);
  park_live_feed_start (f->feed);
  await_state (f, PARK_LIVE_FEED_STATE_ONLINE);

  /* The snapshot came: the shown lot has its number, the two others found near the same
   * place were announced, and the shown one was not. */
  deadline = g_get_monotonic_time () + WAIT_US;
  while (park_live_feed_get_seq (f->feed, park_lot_get_id (lot)) < 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  seq = park_live_feed_get_seq (f->feed, park_lot_get_id (lot));
  g_assert_cmpint (seq, >=, 0);
  for (guint i = 1; i < g_list_model_get_n_items (f->lots); i++)
    {
      g_autoptr(ParkLot) other = g_list_model_get_item (f->lots, i);

      g_assert_true (g_ptr_array_find_with_equal_func (f->appeared, park_lot_get_id (other),
                                                       g_str_equal, NULL));
    }
  g_assert_false (g_ptr_array_find_with_equal_func (f->appeared, park_lot_get_id (lot),
                                                    g_str_equal, NULL));
  for (guint i = 0; i < f->appeared->len; i++)
    for (guint j = i + 1; j < f->appeared->len; j++)
      g_assert_cmpstr (g_ptr_array_index (f->appeared, i), !=,
                       g_ptr_array_index (f->appeared, j));

  /* The shown lot changes by itself. */
  walk_in (f, lot, "DD-BX 1");
  await_seq (f, park_lot_get_id (lot), seq + 1);
  g_assert_cmpuint (park_lot_get_available (lot, PARK_SPOT_TYPE_REGULAR), ==, before - 1);
}

static ParkClient *
signed_in_driver (Fixture    *f,
                  const char *email)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  park_client_register_async (f->client, email, PASSWORD, NULL, NULL, NULL, NULL,
                              park_test_result_cb, &result);
  g_assert_true (park_client_register_finish (f->client, park_test_await (&result, WAIT_S),
                                              &error));
  return f->client;
}

static ParkReservation *
book_in (ParkClient *client,
         ParkLot    *lot,
         int         from_h)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_hours (now, from_h);
  g_autoptr(GDateTime) end = g_date_time_add_hours (now, from_h + 2);
  ParkReservation *booked;

  park_client_book_async (client, park_lot_get_id (lot), NULL, PARK_SPOT_TYPE_REGULAR, start,
                          end, NULL, NULL, NULL, park_test_result_cb, &result);
  booked = park_client_book_finish (client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
  return booked;
}

/* The events a driver's screen acts on, each as its own signal. */
static void
test_driver_signals (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const attendant_args[] = { "booth@example.org", NULL };
  g_autoptr(ParkLot) lot = g_list_model_get_item (f->lots, 0);
  ParkClient *driver = signed_in_driver (f, "dora@example.org");
  g_autoptr(ParkClient) booth = park_client_new (f->backend->url, NULL);
  g_autoptr(ParkReservation) paid_for = NULL, unpaid = NULL, ending = NULL;
  g_autoptr(ParkReservation) cancelled = NULL, confirmed = NULL;
  g_autoptr(ParkPayment) payment = NULL;
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expire = NULL, *end_soon = NULL;

  park_live_feed_start (f->feed);
  await_state (f, PARK_LIVE_FEED_STATE_ONLINE);

  /* Paid at the booth: confirmed. */
  park_client_sign_in_async (booth, attendant_args[0], PASSWORD, NULL, park_test_result_cb, &r1);
  g_assert_true (park_client_sign_in_finish (booth, park_test_await (&r1, WAIT_S), &error));
  paid_for = book_in (driver, lot, 3);
  park_client_pay_reservation_async (booth, park_reservation_get_id (paid_for),
                                     PARK_PAYMENT_PROVIDER_CASH, NULL, 100000, NULL,
                                     park_test_result_cb, &r2);
  payment = park_client_pay_reservation_finish (booth, park_test_await (&r2, WAIT_S),
                                                &confirmed, NULL, &error);
  g_assert_no_error (error);
  await_string (f, &f->confirmed);
  g_assert_cmpstr (f->confirmed, ==, park_reservation_get_id (paid_for));

  /* Cancelled before its start: refunded in full. */
  park_client_cancel_reservation_async (driver, park_reservation_get_id (paid_for), NULL,
                                        park_test_result_cb, &r3);
  cancelled = park_client_cancel_reservation_finish (driver, park_test_await (&r3, WAIT_S),
                                                     &error);
  g_assert_no_error (error);
  await_string (f, &f->refunded);
  g_assert_cmpstr (f->refunded, ==, park_payment_get_id (payment));
  g_assert_cmpint (f->refunded_amount, ==, park_payment_get_amount (payment));

  /* Time passes (moved in the database, as parkd's timer would see it): one booking was never
   * paid, another, paid, ends in ten minutes. parkd looks every 15 seconds. */
  unpaid = book_in (driver, lot, 5);
  ending = book_in (driver, lot, 8);
  expire = g_strdup_printf ("UPDATE reservations SET hold_until = "
                            "strftime ('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now', '-1 minutes') "
                            "WHERE id = '%s'", park_reservation_get_id (unpaid));
  end_soon = g_strdup_printf ("UPDATE reservations SET status = 'confirmed', hold_until = NULL, "
                              "start_time = strftime ('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now', "
                              "'-5 minutes'), "
                              "end_time = strftime ('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now', "
                              "'+10 minutes') WHERE id = '%s'", park_reservation_get_id (ending));
  park_test_backend_sql (f->backend, expire);
  park_test_backend_sql (f->backend, end_soon);
  await_string (f, &f->expired);
  g_assert_cmpstr (f->expired, ==, park_reservation_get_id (unpaid));
  await_string (f, &f->ending);
  g_assert_cmpstr (f->ending, ==, park_reservation_get_id (ending));
  g_assert_nonnull (f->ending_at);
}

/* An access token made about to expire (signed with parkd's own key, as parkd never issues
 * one this short): the same claims, with exp @seconds from now. */
static char *
short_lived (Fixture    *f,
             const char *token,
             int         seconds)
{
  g_autofree char *keys_path = g_strconcat (f->backend->db_path, ".keys", NULL);
  g_autoptr(ParkdKeys) keys = NULL;
  g_auto(GStrv) parts = g_strsplit (token, ".", 3);
  g_autoptr(GString) b64 = NULL;
  g_autoptr(JsonNode) claims = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guchar *raw = NULL;
  g_autofree char *text = NULL, *payload = NULL;
  gsize len = 0;

  keys = parkd_keys_load (keys_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  b64 = g_string_new (parts[1]);
  g_strdelimit (b64->str, "-", '+');
  g_strdelimit (b64->str, "_", '/');
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');
  raw = g_base64_decode (b64->str, &len);
  text = g_strndup ((const char *) raw, len);
  claims = json_from_string (text, &error);
  g_assert_no_error (error);
  json_object_set_int_member (json_node_get_object (claims), "exp",
                              g_get_real_time () / G_USEC_PER_SEC + seconds);
  payload = json_to_string (claims, FALSE);
  return parkd_keys_sign_jwt (keys, payload);
}

/* The server says auth_expired: the feed renews the token through the client and signs the
 * same connection in again, and the driver's events go on. */
static void
test_auth_expired (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(ParkLot) lot = g_list_model_get_item (f->lots, 0);
  ParkClient *driver = signed_in_driver (f, "dora@example.org");
  g_autoptr(ParkReservation) booked = NULL;
  g_autofree char *soon = short_lived (f, _park_client_get_access_token (driver), 3);
  g_autofree char *renewed = NULL;
  gint64 deadline;

  _park_client_set_access_token (driver, soon);
  park_live_feed_start (f->feed);
  await_state (f, PARK_LIVE_FEED_STATE_ONLINE);

  /* Within a few seconds the server's tick finds the token expired; the feed refreshes. */
  deadline = g_get_monotonic_time () + WAIT_US;
  while (g_strcmp0 (_park_client_get_access_token (driver), soon) == 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  renewed = g_strdup (_park_client_get_access_token (driver));
  g_assert_cmpstr (renewed, !=, soon);
  g_assert_true (park_client_get_signed_in (driver));

  /* Signed in again on the same connection: the driver's own events still come. */
  booked = book_in (driver, lot, 2);
  await_string (f, &f->event_id);
  g_assert_cmpstr (f->event_id, ==, park_reservation_get_id (booked));
  g_assert_cmpint (park_live_feed_get_state (f->feed), ==, PARK_LIVE_FEED_STATE_ONLINE);
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
  ADD ("/core/live-feed/box", test_box);
  ADD ("/core/live-feed/driver-signals", test_driver_signals);
  ADD ("/core/live-feed/auth-expired", test_auth_expired);
#undef ADD

  return g_test_run ();
}
