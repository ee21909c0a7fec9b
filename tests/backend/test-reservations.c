/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reservations as drivers use them, against the real parkd with the demo city (Dresden,
 * lots in Europe/Berlin, EUR): quotes and bookings, the promise that no spot is ever given
 * twice (64 clients at once for 100 rounds, and extensions racing bookings), bookings that
 * survive a SIGKILL, Idempotency-Key replays, prices (an operator's policy, a clock change),
 * quotes and holds that expire, cancelling and extending, and the answers to bad input.
 *
 * Each test starts its own parkd on a fresh database, so the tests may run alone
 * (-p /backend/reservations/...) and in any order. Times are built from the real clock:
 * windows start the day after tomorrow (UTC), well inside the 180 days parkd books ahead.
 * Concurrent clients are threads, each with its own SoupSession, calling the fixture's
 * park_test_call() so that their answers too are checked against the OpenAPI document.
 */
#include "park-test-backend.h"
#include "park-test-postgresql.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#define PASSWORD           "Kestrel-Harbour-42"
#define RESERVATIONS       "api/v1/reservations"
#define CODE_LENGTH        6
/* Letters and digits a driver could mistake for another when typing or reading aloud. */
#define AMBIGUOUS          "0O1IL2Z5S8B"
#define HOLD_MINUTES       10
#define MAX_ADVANCE_DAYS   180
#define MAX_PAGES          100

#define RACE_CLIENTS       64
#define RACE_ROUNDS        100
#define RACE_STAY_MIN      90     /* each client's stay; starts 1 minute apart, all overlap */
#define RACE_ROUND_MIN     180    /* rounds never overlap each other */

#define EXTEND_ROUNDS      30
#define EXTEND_BOOKERS     8

#define STREAM_THREADS     8
#define STREAM_SPOTS       200
#define STREAM_KILL_AFTER  300    /* 201s seen before the SIGKILL */
#define STREAM_TIMEOUT_S   60

static const char * const demo_args[] = {
  "--demo", "--auth-rate-limit", "0", "--account-rate-limit", "0", NULL
};

/* ---- reading answers --------------------------------------------------------------------- */

static JsonObject *
answer_object (ParkTestResponse *response)
{
  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    return NULL;
  return json_node_get_object (response->json);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
int_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  return json_node_get_int (node);
}

static gboolean
is_null_member (JsonObject *object,
                const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_NULL (node);
}

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
array_member (JsonObject *object,
              const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
header (ParkTestResponse *response,
        const char       *name)
{
  return soup_message_headers_get_one (response->headers, name);
}

static char *
body_text (ParkTestResponse *response)
{
  gsize len = 0;
  const char *data = response->body != NULL ? g_bytes_get_data (response->body, &len) : NULL;

  return g_strndup (data != NULL ? data : "", len);
}

/* ---- calls ------------------------------------------------------------------------------- */

static ParkTestBackend *
start_backend (void)
{
  ParkTestBackend *backend = park_test_backend_new ();

  park_test_backend_start (backend, demo_args);
  return backend;
}

/* A call that must be answered @status for the test to go on. */
static ParkTestResponse *
expect (ParkTestBackend *backend,
        const char      *token,
        const char      *method,
        const char      *path,
        const char      *body,
        guint            status)
{
  ParkTestResponse *response = park_test_call (backend, token, method, path, body);

  if (response->status != status)
    {
      g_autofree char *text = body_text (response);

      g_test_message ("%s %s %s: expected %u, got %u: %s", method, path,
                      body != NULL ? body : "", status, response->status, text);
    }
  g_assert_cmpuint (response->status, ==, status);
  return response;
}

static void
add_header_cb (SoupSession *session,
               SoupMessage *msg,
               gpointer     data)
{
  const char * const *name_value = data;

  if (name_value[0] != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), name_value[0],
                                  name_value[1]);
}

/* As park_test_call(), with one more request header. The fixture sends it, so the answer is
 * checked as every other. */
static ParkTestResponse *
call_with_header (ParkTestBackend *backend,
                  const char      *token,
                  const char      *method,
                  const char      *path,
                  const char      *body,
                  const char      *name,
                  const char      *value)
{
  const char *name_value[] = { name, value };
  ParkTestResponse *response;
  gulong id;

  id = g_signal_connect (backend->session, "request-queued", G_CALLBACK (add_header_cb),
                         name_value);
  response = park_test_call (backend, token, method, path, body);
  g_signal_handler_disconnect (backend->session, id);
  return response;
}

/* A new driver; the access token. */
static char *
register_driver (ParkTestBackend *backend,
                 const char      *email)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"" PASSWORD "\","
                                           "\"first_name\":\"Dana\",\"last_name\":\"Driver\"}",
                                           email);
  g_autoptr(ParkTestResponse) response = expect (backend, NULL, "POST", "api/v1/auth/register",
                                                 body, 201);
  const char *token = string_member (answer_object (response), "access_token");

  g_assert_nonnull (token);
  return g_strdup (token);
}

/* Every item of a paginated list, all pages read. */
static GPtrArray *
collect_items (ParkTestBackend *backend,
               const char      *token,
               const char      *path)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint page = 1; page <= MAX_PAGES; page++)
    {
      g_autofree char *paged = g_strdup_printf ("%s%cper_page=100&page=%u", path,
                                                strchr (path, '?') != NULL ? '&' : '?', page);
      g_autoptr(ParkTestResponse) response = expect (backend, token, "GET", paged, NULL, 200);
      JsonArray *items = array_member (answer_object (response), "items");

      g_assert_nonnull (items);
      for (guint i = 0; i < json_array_get_length (items); i++)
        g_ptr_array_add (all, json_node_copy (json_array_get_element (items, i)));
      if (!json_object_get_boolean_member_with_default (answer_object (response), "has_next",
                                                        FALSE))
        return all;
    }
  g_error ("%s: more than %d pages", path, MAX_PAGES);
}

static JsonObject *
item_at (GPtrArray *items,
         guint      i)
{
  return json_node_get_object (g_ptr_array_index (items, i));
}

/* The demo lots, as the public search lists them. */
static GPtrArray *
demo_lots (ParkTestBackend *backend)
{
  g_autoptr(GPtrArray) lots = collect_items (backend, NULL,
                                             "api/v1/parking-lots?lat=51.05&lng=13.74"
                                             "&radius=100000");

  g_assert_cmpuint (lots->len, >, 10);
  return g_steal_pointer (&lots);
}

static char *
lot_id_by_name (ParkTestBackend *backend,
                const char      *name)
{
  g_autoptr(GPtrArray) lots = demo_lots (backend);

  for (guint i = 0; i < lots->len; i++)
    if (g_strcmp0 (string_member (item_at (lots, i), "name"), name) == 0)
      return g_strdup (string_member (item_at (lots, i), "id"));
  g_error ("the demo city has no lot \"%s\"", name);
}

static gint64
lot_hourly_rate (ParkTestBackend *backend,
                 const char      *lot_id)
{
  g_autofree char *path = g_strdup_printf ("api/v1/parking-lots/%s", lot_id);
  g_autoptr(ParkTestResponse) lot = expect (backend, NULL, "GET", path, NULL, 200);

  return int_member (answer_object (lot), "hourly_rate");
}

/* Lowest level first, then the lowest number ("U1-009" before "U1-010"). */
static gint
spot_order (gconstpointer a,
            gconstpointer b)
{
  JsonObject *x = json_node_get_object (*(JsonNode **) a);
  JsonObject *y = json_node_get_object (*(JsonNode **) b);
  const char *nx = string_member (x, "number"), *ny = string_member (y, "number");
  gint64 lx = int_member (x, "level"), ly = int_member (y, "level");

  if (lx != ly)
    return lx < ly ? -1 : 1;
  if (strlen (nx) != strlen (ny))
    return strlen (nx) < strlen (ny) ? -1 : 1;
  return strcmp (nx, ny);
}

/* The bookable spots of @type (NULL: all) of a lot, lowest level and number first. */
static GPtrArray *
lot_spots (ParkTestBackend *backend,
           const char      *lot_id,
           const char      *type)
{
  g_autofree char *path = g_strdup_printf ("api/v1/parking-lots/%s/spots%s%s", lot_id,
                                           type != NULL ? "?type=" : "",
                                           type != NULL ? type : "");
  g_autoptr(GPtrArray) all = collect_items (backend, NULL, path);
  GPtrArray *spots = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint i = 0; i < all->len; i++)
    if (g_strcmp0 (string_member (item_at (all, i), "state"), "out_of_service") != 0)
      g_ptr_array_add (spots, json_node_ref (g_ptr_array_index (all, i)));
  g_ptr_array_sort (spots, spot_order);
  return spots;
}

static const char *
spot_id_at (GPtrArray *spots,
            guint      i)
{
  g_assert_cmpuint (i, <, spots->len);
  return string_member (item_at (spots, i), "id");
}

/* ---- times and bodies -------------------------------------------------------------------- */

static char *
utc_text (GDateTime *dt)
{
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* 00:00 UTC the day after tomorrow: far enough ahead for any test's windows. */
static GDateTime *
window_base (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) midnight = g_date_time_new_utc (g_date_time_get_year (now),
                                                       g_date_time_get_month (now),
                                                       g_date_time_get_day_of_month (now),
                                                       0, 0, 0);

  return g_date_time_add_days (midnight, 2);
}

/* @base plus @minutes, as parkd writes times: UTC, whole seconds, "Z". */
static char *
at (GDateTime *base,
    gint64     minutes)
{
  g_autoptr(GDateTime) dt = g_date_time_add_minutes (base, minutes);

  return utc_text (dt);
}

static char *
spot_body (const char *spot_id,
           const char *start,
           const char *end)
{
  return g_strdup_printf ("{\"parking_spot_id\":\"%s\",\"start_time\":\"%s\","
                          "\"end_time\":\"%s\"}", spot_id, start, end);
}

static char *
stay_body (const char *start,
           const char *end)
{
  return g_strdup_printf ("{\"start_time\":\"%s\",\"end_time\":\"%s\"}", start, end);
}

static char *
reserve_path (const char *lot_id,
              const char *spot_id)
{
  return g_strdup_printf ("api/v1/parking-lots/%s/spots/%s/reserve", lot_id, spot_id);
}

static char *
reservation_path (const char *id)
{
  return g_strdup_printf (RESERVATIONS "/%s", id);
}

/* "+01:00" in a query would read as " 01:00". */
static char *
query_time (const char *time)
{
  g_autoptr(GString) out = g_string_new (time);

  g_string_replace (out, "+", "%2B", 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
quote_path (const char *lot_id,
            const char *start,
            const char *end,
            const char *spot_type)
{
  g_autofree char *s = query_time (start), *e = query_time (end);

  return g_strdup_printf ("api/v1/parking-lots/%s/quote?start=%s&end=%s%s%s", lot_id, s, e,
                          spot_type != NULL ? "&spot_type=" : "",
                          spot_type != NULL ? spot_type : "");
}

static ParkTestResponse *
quote (ParkTestBackend *backend,
       const char      *lot_id,
       const char      *start,
       const char      *end,
       const char      *spot_type)
{
  g_autofree char *path = quote_path (lot_id, start, end, spot_type);

  return expect (backend, NULL, "GET", path, NULL, 200);
}

/* ---- what every reservation must be ------------------------------------------------------- */

static void
assert_code (const char *code)
{
  g_assert_nonnull (code);
  g_assert_cmpuint (strlen (code), ==, CODE_LENGTH);
  for (const char *c = code; *c != '\0'; c++)
    {
      g_assert_true (g_ascii_isupper (*c) || g_ascii_isdigit (*c));
      if (strchr (AMBIGUOUS, *c) != NULL)
        g_error ("reservation code %s has the ambiguous character %c", code, *c);
    }
}

static gint64
seconds_from_now (const char *time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (time, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_assert_nonnull (dt);
  return g_date_time_difference (dt, now) / G_TIME_SPAN_SECOND;
}

/* The sum of the quote lines' amounts and minutes, and their check against the totals. */
static void
assert_breakdown (JsonObject *breakdown,
                  gint64      total,
                  guint      *minutes,
                  guint      *billed_minutes)
{
  JsonArray *lines = array_member (breakdown, "lines");
  gint64 sum = 0;

  g_assert_nonnull (lines);
  g_assert_cmpuint (json_array_get_length (lines), >, 0);
  *minutes = *billed_minutes = 0;
  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonObject *line = json_array_get_object_element (lines, i);

      sum += int_member (line, "amount");
      *minutes += int_member (line, "minutes");
      *billed_minutes += int_member (line, "billed_minutes");
    }
  g_assert_cmpint (int_member (breakdown, "subtotal"), ==, sum);
  g_assert_cmpint (int_member (breakdown, "total"), ==, total);
}

/* A reservation as any answer must have it: whole, with a spot, a quote and a total. */
static void
assert_reservation (JsonObject *res)
{
  JsonObject *breakdown = object_member (res, "quote");
  gint64 total = int_member (res, "total_cost");
  const char *status = string_member (res, "status");
  guint minutes, billed;

  g_assert_nonnull (string_member (res, "id"));
  assert_code (string_member (res, "code"));
  g_assert_nonnull (string_member (res, "parking_spot_id"));
  g_assert_nonnull (string_member (res, "parking_lot_id"));
  g_assert_nonnull (string_member (res, "start_time"));
  g_assert_nonnull (string_member (res, "end_time"));
  g_assert_cmpstr (string_member (res, "start_time"), <, string_member (res, "end_time"));
  g_assert_nonnull (status);
  g_assert_cmpint (total, >=, 0);
  g_assert_cmpint (int_member (res, "balance_due"), ==,
                   MAX (0, total - int_member (res, "paid")));
  g_assert_nonnull (breakdown);
  assert_breakdown (breakdown, total, &minutes, &billed);
  /* Held while unpaid, and only then. */
  if (g_str_equal (status, "pending_payment"))
    g_assert_nonnull (string_member (res, "hold_until"));
  else
    g_assert_true (is_null_member (res, "hold_until"));
}

/* The reservation of a 201, checked. */
static JsonObject *
booked (ParkTestResponse *response)
{
  JsonObject *res = answer_object (response);

  g_assert_cmpuint (response->status, ==, 201);
  assert_reservation (res);
  return res;
}

static ParkTestResponse *
book_spot (ParkTestBackend *backend,
           const char      *token,
           const char      *spot_id,
           const char      *start,
           const char      *end,
           guint            status)
{
  g_autofree char *body = spot_body (spot_id, start, end);

  return expect (backend, token, "POST", RESERVATIONS, body, status);
}

static void
assert_conflict (ParkTestResponse *response,
                 const char       *start,
                 const char       *end)
{
  g_autofree char *range = g_strdup_printf ("%s/%s", start, end);

  park_test_assert_problem (response, 409, "spot-taken", NULL);
  g_assert_cmpstr (header (response, "X-Conflict-Range"), ==, range);
}

static void
assert_no_overlap (GPtrArray *items)
{
  for (guint i = 0; i < items->len; i++)
    for (guint j = i + 1; j < items->len; j++)
      {
        JsonObject *a = item_at (items, i), *b = item_at (items, j);

        if (g_strcmp0 (string_member (a, "parking_spot_id"),
                       string_member (b, "parking_spot_id")) != 0)
          continue;
        if (strcmp (string_member (a, "start_time"), string_member (b, "end_time")) < 0 &&
            strcmp (string_member (b, "start_time"), string_member (a, "end_time")) < 0)
          g_error ("reservations %s and %s of one spot overlap", string_member (a, "id"),
                   string_member (b, "id"));
      }
}

/* ---- clients on threads ------------------------------------------------------------------ */

/* A client of @backend for one thread: its own SoupSession (made on that thread), the same
 * server and the same OpenAPI document, so park_test_call() works on it unchanged. */
static ParkTestBackend *
client_new (ParkTestBackend *backend)
{
  ParkTestBackend *client = g_new0 (ParkTestBackend, 1);

  client->url = g_strdup (backend->url);
  client->openapi = json_node_ref (backend->openapi);
  client->session = soup_session_new_with_options ("timeout", 30, "proxy-resolver", NULL,
                                                   NULL);
  return client;
}

/* Not park_test_backend_free(): a client has no server or directory of its own. */
static void
client_free (ParkTestBackend *client)
{
  g_clear_object (&client->session);
  g_clear_pointer (&client->openapi, json_node_unref);
  g_free (client->url);
  g_free (client);
}

/* ---- 1. booking basics ------------------------------------------------------------------- */

static void
test_basics (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend ();
  g_autofree char *token = register_driver (backend, "basics@example.org");
  g_autofree char *lot = lot_id_by_name (backend, "Tiefgarage Altmarkt");
  g_autofree char *free_lot = lot_id_by_name (backend, "P+R Kaditz");
  g_autoptr(GPtrArray) regular = lot_spots (backend, lot, "regular");
  g_autoptr(GPtrArray) ev = lot_spots (backend, lot, "ev");
  g_autoptr(GPtrArray) disabled = lot_spots (backend, lot, "disabled");
  g_autoptr(GPtrArray) free_spots = lot_spots (backend, free_lot, "regular");
  g_autoptr(GDateTime) base = window_base ();
  g_autofree char *start = at (base, 9 * 60), *end = at (base, 11 * 60 + 30);
  g_autoptr(ParkTestResponse) q = NULL, with_quote = NULL, without = NULL, got = NULL;
  g_autoptr(ParkTestResponse) picked1 = NULL, picked2 = NULL, zero = NULL, dis = NULL;
  g_autoptr(GPtrArray) mine = NULL, pending = NULL;
  g_autofree char *body = NULL, *pick_body = NULL, *path = NULL, *with_quote_id = NULL;
  gint64 rate = lot_hourly_rate (backend, lot), quoted;
  JsonObject *res, *qo;

  g_assert_cmpint (rate, >, 0);
  g_assert_cmpint (lot_hourly_rate (backend, free_lot), ==, 0);

  /* A quote, then a booking that names it: the quoted price, the quoted breakdown. */
  q = quote (backend, lot, start, end, "regular");
  qo = answer_object (q);
  quoted = int_member (qo, "total_cost");
  /* 2.5 hours at the hourly rate, in 15-minute increments: the default policy. */
  g_assert_cmpint (quoted, ==, rate * 5 / 2);
  g_assert_cmpstr (string_member (qo, "start_time"), ==, start);
  g_assert_cmpstr (string_member (qo, "end_time"), ==, end);
  g_assert_cmpstr (string_member (qo, "currency"), ==, "EUR");
  g_assert_cmpstr (string_member (qo, "time_zone"), ==, "Europe/Berlin");
  g_assert_cmpint (seconds_from_now (string_member (qo, "expires_at")), >, 9 * 60);
  g_assert_cmpint (seconds_from_now (string_member (qo, "expires_at")), <=, 10 * 60 + 5);
  body = g_strdup_printf ("{\"parking_spot_id\":\"%s\",\"start_time\":\"%s\","
                          "\"end_time\":\"%s\",\"quote_id\":\"%s\"}", spot_id_at (regular, 0),
                          start, end, string_member (qo, "quote_id"));
  with_quote = expect (backend, token, "POST", RESERVATIONS, body, 201);
  res = booked (with_quote);
  with_quote_id = g_strdup (string_member (res, "id"));
  g_assert_cmpint (int_member (res, "total_cost"), ==, quoted);
  g_assert_cmpstr (string_member (res, "quote_id"), ==, string_member (qo, "quote_id"));
  g_assert_true (json_node_equal (json_object_get_member (res, "quote"),
                                  json_object_get_member (qo, "breakdown")));
  g_assert_cmpstr (string_member (res, "parking_spot_id"), ==, spot_id_at (regular, 0));
  g_assert_cmpstr (string_member (res, "parking_lot_id"), ==, lot);
  g_assert_cmpstr (string_member (res, "spot_type"), ==, "regular");
  g_assert_cmpstr (string_member (res, "start_time"), ==, start);
  g_assert_cmpstr (string_member (res, "end_time"), ==, end);
  g_assert_cmpstr (string_member (res, "currency"), ==, "EUR");
  g_assert_cmpstr (string_member (res, "time_zone"), ==, "Europe/Berlin");
  /* Not paid yet: held for ten minutes, then given back. */
  g_assert_cmpstr (string_member (res, "status"), ==, "pending_payment");
  g_assert_cmpint (seconds_from_now (string_member (res, "hold_until")), >,
                   HOLD_MINUTES * 60 - 60);
  g_assert_cmpint (seconds_from_now (string_member (res, "hold_until")), <=,
                   HOLD_MINUTES * 60 + 5);
  g_assert_cmpint (int_member (res, "paid"), ==, 0);
  g_assert_cmpint (int_member (res, "balance_due"), ==, quoted);

  /* Without a quote: priced at booking time, the same price for the same stay. */
  without = book_spot (backend, token, spot_id_at (regular, 1), start, end, 201);
  res = booked (without);
  g_assert_cmpint (int_member (res, "total_cost"), ==, quoted);
  g_assert_true (is_null_member (res, "quote_id"));
  g_assert_cmpstr (string_member (res, "status"), ==, "pending_payment");
  g_assert_cmpstr (string_member (res, "code"), !=,
                   string_member (answer_object (with_quote), "code"));

  /* The server picks: the lowest level and number of the type, then the next. The times
   * come with the lot's own offset and are answered in UTC. */
  pick_body = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"spot_type\":\"ev\","
                               "\"start_time\":\"%.10sT10:00:00+01:00\","
                               "\"end_time\":\"%.10sT11:00:00+01:00\"}", lot, start, start);
  picked1 = expect (backend, token, "POST", RESERVATIONS, pick_body, 201);
  res = booked (picked1);
  g_assert_cmpstr (string_member (res, "parking_spot_id"), ==, spot_id_at (ev, 0));
  g_assert_cmpstr (string_member (res, "spot_type"), ==, "ev");
  g_assert_cmpstr (string_member (res, "start_time"), ==, start);
  picked2 = expect (backend, token, "POST", RESERVATIONS, pick_body, 201);
  g_assert_cmpstr (string_member (booked (picked2), "parking_spot_id"), ==, spot_id_at (ev, 1));

  /* Read back as it was answered. */
  path = reservation_path (with_quote_id);
  got = expect (backend, token, "GET", path, NULL, 200);
  assert_reservation (answer_object (got));
  g_assert_true (json_node_equal (got->json, with_quote->json));

  /* A disabled spot costs the lot's rate under the default policy: nothing makes it free. */
  dis = book_spot (backend, token, spot_id_at (disabled, 0), start, end, 201);
  g_assert_cmpint (int_member (booked (dis), "total_cost"), ==, quoted);
  g_assert_cmpstr (string_member (answer_object (dis), "status"), ==, "pending_payment");

  /* Nothing to pay (a park-and-ride lot): confirmed at once, nothing held. */
  zero = book_spot (backend, token, spot_id_at (free_spots, 0), start, end, 201);
  res = booked (zero);
  g_assert_cmpint (int_member (res, "total_cost"), ==, 0);
  g_assert_cmpint (int_member (res, "balance_due"), ==, 0);
  g_assert_cmpstr (string_member (res, "status"), ==, "confirmed");
  g_assert_true (is_null_member (res, "hold_until"));

  /* The driver's list has all six, and the status filter works. */
  mine = collect_items (backend, token, RESERVATIONS);
  g_assert_cmpuint (mine->len, ==, 6);
  for (guint i = 0; i < mine->len; i++)
    assert_reservation (item_at (mine, i));
  pending = collect_items (backend, token, RESERVATIONS "?status=pending_payment");
  g_assert_cmpuint (pending->len, ==, 5);
  g_clear_pointer (&pending, g_ptr_array_unref);
  pending = collect_items (backend, token, RESERVATIONS "?status=confirmed");
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_cmpstr (string_member (item_at (pending, 0), "id"), ==, string_member (res, "id"));
}

/* ---- 2. double booking ------------------------------------------------------------------- */

typedef struct
{
  GMutex           lock;
  GCond            cond;
  ParkTestBackend *backend;
  const char      *lot_id;
  const char      *spot_id;
  char            *tokens[4];
  guint            round;          /* started rounds; 0 before the first */
  guint            ready;          /* clients connected and waiting */
  guint            finished;       /* clients done with this round */
  gboolean         quit;
  char            *bodies[RACE_CLIENTS];
  ParkTestResponse *answers[RACE_CLIENTS];
  gint64           sent[RACE_CLIENTS];       /* monotonic, around each client's call */
  gint64           answered[RACE_CLIENTS];
} Race;

typedef struct
{
  Race *race;
  guint index;
} RaceClient;

static gpointer
race_client_main (gpointer data)
{
  RaceClient *rc = data;
  Race *race = rc->race;
  ParkTestBackend *client = client_new (race->backend);
  g_autoptr(ParkTestResponse) hello = park_test_call (client, NULL, "GET", "health", NULL);
  g_autofree char *reserve = reserve_path (race->lot_id, race->spot_id);
  /* Half the clients book through POST /reservations, half through .../reserve. */
  gboolean via_spot = rc->index % 2 == 1;
  guint seen = 0;
  gint64 sent;

  /* Connected before the first round, so that round is as concurrent as the others. */
  g_assert_cmpuint (hello->status, ==, 200);
  g_mutex_lock (&race->lock);
  race->ready++;
  g_cond_broadcast (&race->cond);
  for (;;)
    {
      ParkTestResponse *answer;

      while (race->round == seen && !race->quit)
        g_cond_wait (&race->cond, &race->lock);
      if (race->quit)
        break;
      seen = race->round;
      g_mutex_unlock (&race->lock);

      sent = g_get_monotonic_time ();
      answer = park_test_call (client, race->tokens[rc->index % G_N_ELEMENTS (race->tokens)],
                               "POST", via_spot ? reserve : RESERVATIONS,
                               race->bodies[rc->index]);

      g_mutex_lock (&race->lock);
      race->sent[rc->index] = sent;
      race->answered[rc->index] = g_get_monotonic_time ();
      race->answers[rc->index] = answer;
      race->finished++;
      g_cond_broadcast (&race->cond);
    }
  g_mutex_unlock (&race->lock);
  client_free (client);
  return NULL;
}

/* The most calls of a round that were in flight at one moment, as the clients saw it. */
static guint
most_in_flight (const gint64 *sent,
                const gint64 *answered,
                guint         n)
{
  guint most = 0;

  for (guint i = 0; i < n; i++)
    {
      guint now = 0;

      for (guint j = 0; j < n; j++)
        now += sent[j] <= sent[i] && answered[j] > sent[i];
      most = MAX (most, now);
    }
  return most;
}

/* 64 clients book one spot for overlapping stays, all at once, 100 times: each round exactly
 * one is booked and the 63 others are told the spot is taken, and when. */
static void
test_race (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend ();
  g_autofree char *lot = lot_id_by_name (backend, "Parkhaus Centrum-Galerie");
  g_autoptr(GPtrArray) spots = lot_spots (backend, lot, "regular");
  g_autoptr(GDateTime) base = window_base ();
  g_autoptr(GPtrArray) winners = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                json_node_unref);
  GThread *threads[RACE_CLIENTS];
  RaceClient clients[RACE_CLIENTS];
  Race race = { 0, };
  guint both_routes[2] = { 0, 0 }, fewest_in_flight = G_MAXUINT, sum_in_flight = 0;

  g_mutex_init (&race.lock);
  g_cond_init (&race.cond);
  race.backend = backend;
  race.lot_id = lot;
  race.spot_id = spot_id_at (spots, 0);
  for (guint i = 0; i < G_N_ELEMENTS (race.tokens); i++)
    {
      g_autofree char *email = g_strdup_printf ("racer-%u@example.org", i);

      race.tokens[i] = register_driver (backend, email);
    }
  for (guint i = 0; i < RACE_CLIENTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("racer-%u", i);

      clients[i].race = &race;
      clients[i].index = i;
      threads[i] = g_thread_new (name, race_client_main, &clients[i]);
    }
  g_mutex_lock (&race.lock);
  while (race.ready < RACE_CLIENTS)
    g_cond_wait (&race.cond, &race.lock);
  g_mutex_unlock (&race.lock);

  for (guint round = 0; round < RACE_ROUNDS; round++)
    {
      gint64 first = (gint64) round * RACE_ROUND_MIN;
      guint created = 0, taken = 0, winner = 0, in_flight;
      JsonObject *res;

      /* Client k wants [first + k, first + k + 90) minutes: every two of them overlap. */
      for (guint k = 0; k < RACE_CLIENTS; k++)
        {
          g_autofree char *start = at (base, first + k);
          g_autofree char *end = at (base, first + k + RACE_STAY_MIN);

          g_free (race.bodies[k]);
          race.bodies[k] = k % 2 == 1 ? stay_body (start, end)
                                      : spot_body (race.spot_id, start, end);
        }

      g_mutex_lock (&race.lock);
      race.finished = 0;
      race.round++;
      g_cond_broadcast (&race.cond);
      while (race.finished < RACE_CLIENTS)
        g_cond_wait (&race.cond, &race.lock);
      g_mutex_unlock (&race.lock);
      in_flight = most_in_flight (race.sent, race.answered, RACE_CLIENTS);
      fewest_in_flight = MIN (fewest_in_flight, in_flight);
      sum_in_flight += in_flight;

      for (guint k = 0; k < RACE_CLIENTS; k++)
        {
          if (race.answers[k]->status == 201)
            {
              created++;
              winner = k;
            }
          else if (race.answers[k]->status == 409)
            taken++;
          else
            {
              g_autofree char *text = body_text (race.answers[k]);

              g_error ("round %u, client %u: %u %s", round, k, race.answers[k]->status, text);
            }
        }
      if (created != 1)
        g_error ("round %u: %u bookings of one spot for overlapping times, %u refused", round,
                 created, taken);
      g_assert_cmpuint (taken, ==, RACE_CLIENTS - 1);

      res = booked (race.answers[winner]);
      g_assert_cmpstr (string_member (res, "parking_spot_id"), ==, race.spot_id);
      both_routes[winner % 2]++;
      /* Each refusal names the winner's stay as the time the spot is taken. */
      for (guint k = 0; k < RACE_CLIENTS; k++)
        if (k != winner)
          assert_conflict (race.answers[k], string_member (res, "start_time"),
                           string_member (res, "end_time"));
      if (!g_hash_table_add (codes, g_strdup (string_member (res, "code"))))
        g_error ("the code %s was given twice", string_member (res, "code"));
      g_ptr_array_add (winners, g_strdup (string_member (res, "id")));
      for (guint k = 0; k < RACE_CLIENTS; k++)
        g_clear_pointer (&race.answers[k], park_test_response_free);
    }

  g_mutex_lock (&race.lock);
  race.quit = TRUE;
  g_cond_broadcast (&race.cond);
  g_mutex_unlock (&race.lock);
  for (guint i = 0; i < RACE_CLIENTS; i++)
    g_thread_join (threads[i]);
  g_test_message ("winners: %u through POST /reservations, %u through .../reserve",
                  both_routes[0], both_routes[1]);
  /* How concurrent the rounds really were: calls in flight at once, from the clients' side. */
  g_test_message ("calls in flight at once: at least %u, on average %.1f of %d",
                  fewest_in_flight, (double) sum_in_flight / RACE_ROUNDS, RACE_CLIENTS);

  /* The drivers' lists together: the 100 winners and nothing else, none overlapping. */
  for (guint i = 0; i < G_N_ELEMENTS (race.tokens); i++)
    {
      g_autoptr(GPtrArray) mine = collect_items (backend, race.tokens[i], RESERVATIONS);

      for (guint j = 0; j < mine->len; j++)
        g_ptr_array_add (listed, json_node_ref (g_ptr_array_index (mine, j)));
    }
  g_assert_cmpuint (listed->len, ==, RACE_ROUNDS);
  for (guint i = 0; i < listed->len; i++)
    {
      assert_reservation (item_at (listed, i));
      g_assert_true (g_ptr_array_find_with_equal_func (winners,
                                                       string_member (item_at (listed, i), "id"),
                                                       g_str_equal, NULL));
    }
  assert_no_overlap (listed);

  for (guint i = 0; i < G_N_ELEMENTS (race.tokens); i++)
    g_free (race.tokens[i]);
  for (guint k = 0; k < RACE_CLIENTS; k++)
    g_free (race.bodies[k]);
  g_mutex_clear (&race.lock);
  g_cond_clear (&race.cond);
}

/* Overlap is refused however it overlaps; touching is not overlapping. */
static void
test_adjacent (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend ();
  g_autofree char *token = register_driver (backend, "adjacent@example.org");
  g_autofree char *other = register_driver (backend, "other@example.org");
  g_autofree char *lot = lot_id_by_name (backend, "Tiefgarage Altmarkt");
  g_autoptr(GPtrArray) spots = lot_spots (backend, lot, "regular");
  g_autoptr(GDateTime) base = window_base ();
  const char *spot = spot_id_at (spots, 0);
  g_autofree char *t10 = at (base, 600), *t11 = at (base, 660), *t12 = at (base, 720);
  g_autofree char *t9 = at (base, 540), *t1030 = at (base, 630), *t1130 = at (base, 690);
  g_autofree char *t1059 = at (base, 659), *t13 = at (base, 780);
  g_autofree char *local_start = NULL, *local_end = NULL;
  g_autoptr(ParkTestResponse) first = NULL, after = NULL, before = NULL, next_spot = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  struct
  {
    const char *start;
    const char *end;
  } overlapping[] = {
    { t1030, t1130 },   /* across the end */
    { t9, t1030 },      /* across the start */
    { t9, t12 },        /* around it */
    { t10, t11 },       /* the same */
    { t1030, t1059 },   /* inside */
    { t1059, t13 },     /* its last minute */
  };

  first = book_spot (backend, token, spot, t10, t11, 201);
  booked (first);
  for (guint i = 0; i < G_N_ELEMENTS (overlapping); i++)
    {
      g_autoptr(ParkTestResponse) refused = book_spot (backend, other, spot,
                                                       overlapping[i].start,
                                                       overlapping[i].end, 409);

      assert_conflict (refused, t10, t11);
    }
  /* The same instant written with the lot's offset is the same instant. */
  local_start = g_strdup_printf ("%.10sT11:30:00+01:00", t10);
  local_end = g_strdup_printf ("%.10sT12:30:00+01:00", t10);
  {
    g_autoptr(ParkTestResponse) refused = book_spot (backend, other, spot, local_start,
                                                     local_end, 409);

    assert_conflict (refused, t10, t11);
  }

  /* End == next start is fine, on both sides; and another spot is another spot. */
  after = book_spot (backend, other, spot, t11, t12, 201);
  booked (after);
  before = book_spot (backend, other, spot, t9, t10, 201);
  booked (before);
  next_spot = book_spot (backend, other, spot_id_at (spots, 1), t10, t11, 201);
  booked (next_spot);

  g_ptr_array_add (all, json_node_ref (first->json));
  g_ptr_array_add (all, json_node_ref (after->json));
  g_ptr_array_add (all, json_node_ref (before->json));
  g_ptr_array_add (all, json_node_ref (next_spot->json));
  assert_no_overlap (all);
}

/* The server picks spots of a type until none is free for the time, then says so. */
static void
test_type_full (void)
{
  static const char * const types[] = { "regular", "disabled", "ev", "compact", "motorcycle" };
  g_autoptr(ParkTestBackend) backend = start_backend ();
  g_autofree char *token = register_driver (backend, "full@example.org");
  g_autoptr(GPtrArray) lots = demo_lots (backend);
  g_autoptr(GDateTime) base = window_base ();
  g_autoptr(GPtrArray) spots = NULL;
  g_autoptr(GHashTable) given = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *start = at (base, 600), *end = at (base, 720), *later = at (base, 840);
  g_autofree char *body = NULL, *later_body = NULL, *lot = NULL;
  g_autoptr(ParkTestResponse) first = NULL, refused = NULL, other_time = NULL;
  const char *type = NULL;
  gint64 fewest = G_MAXINT64;

  /* The smallest group of spots of one type in the demo city (at least two). */
  for (guint i = 0; i < lots->len; i++)
    {
      JsonObject *availability = object_member (item_at (lots, i), "availability");

      for (guint t = 0; t < G_N_ELEMENTS (types); t++)
        {
          gint64 n = int_member (object_member (availability, types[t]), "total");

          if (n >= 2 && n < fewest)
            {
              fewest = n;
              type = types[t];
              g_free (lot);
              lot = g_strdup (string_member (item_at (lots, i), "id"));
            }
        }
    }
  g_assert_nonnull (type);
  spots = lot_spots (backend, lot, type);
  g_assert_cmpuint (spots->len, >=, 2);
  g_test_message ("%u %s spots", spots->len, type);

  /* The first is booked by its id; the server then picks the others in order. */
  first = book_spot (backend, token, spot_id_at (spots, 0), start, end, 201);
  booked (first);
  body = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"spot_type\":\"%s\","
                          "\"start_time\":\"%s\",\"end_time\":\"%s\"}", lot, type, start, end);
  for (guint i = 1; i < spots->len; i++)
    {
      g_autoptr(ParkTestResponse) picked = expect (backend, token, "POST", RESERVATIONS, body,
                                                   201);
      const char *spot = string_member (booked (picked), "parking_spot_id");

      g_assert_cmpstr (spot, ==, spot_id_at (spots, i));
      g_assert_cmpstr (string_member (answer_object (picked), "spot_type"), ==, type);
    }
  refused = expect (backend, token, "POST", RESERVATIONS, body, 409);
  assert_conflict (refused, start, end);

  /* Right after that stay, the first spot is free again. */
  later_body = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"spot_type\":\"%s\","
                                "\"start_time\":\"%s\",\"end_time\":\"%s\"}", lot, type, end,
                                later);
  other_time = expect (backend, token, "POST", RESERVATIONS, later_body, 201);
  g_assert_cmpstr (string_member (booked (other_time), "parking_spot_id"), ==,
                   spot_id_at (spots, 0));
}

/* Calls sent at the same moment from threads of their own, each on its own connection. */
typedef struct
{
  const char       *token;
  const char       *method;
  char             *path;
  char             *body;
  ParkTestResponse *answer;
} Call;

typedef struct
{
  ParkTestBackend *backend;
  GMutex           lock;
  GCond            cond;
  guint            ready;
  gboolean         go;
} Together;

typedef struct
{
  Together *together;
  Call     *call;
} TogetherCall;

static gpointer
together_main (gpointer data)
{
  TogetherCall *tc = data;
  Together *together = tc->together;
  ParkTestBackend *client = client_new (together->backend);
  g_autoptr(ParkTestResponse) hello = park_test_call (client, NULL, "GET", "health", NULL);

  g_assert_cmpuint (hello->status, ==, 200);
  g_mutex_lock (&together->lock);
  together->ready++;
  g_cond_broadcast (&together->cond);
  while (!together->go)
    g_cond_wait (&together->cond, &together->lock);
  g_mutex_unlock (&together->lock);
  tc->call->answer = park_test_call (client, tc->call->token, tc->call->method, tc->call->path,
                                     tc->call->body);
  client_free (client);
  return NULL;
}

static void
call_together (ParkTestBackend *backend,
               Call            *calls,
               guint            n)
{
  g_autofree GThread **threads = g_new0 (GThread *, n);
  g_autofree TogetherCall *tcs = g_new0 (TogetherCall, n);
  Together together = { .backend = backend };

  g_mutex_init (&together.lock);
  g_cond_init (&together.cond);
  for (guint i = 0; i < n; i++)
    {
      tcs[i] = (TogetherCall) { &together, &calls[i] };
      threads[i] = g_thread_new ("together", together_main, &tcs[i]);
    }
  g_mutex_lock (&together.lock);
  while (together.ready < n)
    g_cond_wait (&together.cond, &together.lock);
  together.go = TRUE;
  g_cond_broadcast (&together.cond);
  g_mutex_unlock (&together.lock);
  for (guint i = 0; i < n; i++)
    g_thread_join (threads[i]);
  g_mutex_clear (&together.lock);
  g_cond_clear (&together.cond);
}

/* An extension and new bookings of the hour after it, all at once: extensions are written on
 * another path than bookings (the blocking pool, not the batcher), and still exactly one of
 * them gets that hour. */
static void
test_extend_race (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend ();
  g_autofree char *alice = register_driver (backend, "extender@example.org");
  g_autofree char *bob = register_driver (backend, "booker@example.org");
  g_autofree char *lot = lot_id_by_name (backend, "Tiefgarage Altmarkt");
  g_autoptr(GPtrArray) spots = lot_spots (backend, lot, "regular");
  g_autoptr(GDateTime) base = window_base ();
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                json_node_unref);
  const char *spot = spot_id_at (spots, 0);
  guint extended = 0;

  for (guint round = 0; round < EXTEND_ROUNDS; round++)
    {
      gint64 first = (gint64) round * 240;
      g_autofree char *start = at (base, first), *middle = at (base, first + 60);
      g_autofree char *end = at (base, first + 120), *id = NULL;
      g_autoptr(ParkTestResponse) mine = book_spot (backend, alice, spot, start, middle, 201);
      Call calls[EXTEND_BOOKERS + 1];
      guint won = 0;

      id = g_strdup (string_member (booked (mine), "id"));
      calls[0] = (Call) { alice, "PUT", reservation_path (id),
                          g_strdup_printf ("{\"end_time\":\"%s\"}", end), NULL };
      for (guint k = 1; k <= EXTEND_BOOKERS; k++)
        calls[k] = (Call) { bob, "POST",
                            k % 2 == 0 ? g_strdup (RESERVATIONS) : reserve_path (lot, spot),
                            k % 2 == 0 ? spot_body (spot, middle, end) : stay_body (middle, end),
                            NULL };
      call_together (backend, calls, G_N_ELEMENTS (calls));

      for (guint k = 0; k < G_N_ELEMENTS (calls); k++)
        {
          ParkTestResponse *answer = calls[k].answer;

          if (answer->status == (k == 0 ? 200 : 201))
            {
              won++;
              assert_reservation (answer_object (answer));
              g_assert_cmpstr (string_member (answer_object (answer), "end_time"), ==, end);
            }
          else if (answer->status == 409)
            assert_conflict (answer, k == 0 ? middle : (calls[0].answer->status == 200
                                                        ? start : middle),
                             end);
          else
            {
              g_autofree char *text = body_text (answer);

              g_error ("round %u, call %u: %u %s", round, k, answer->status, text);
            }
        }
      if (won != 1)
        g_error ("round %u: the hour after a booking was given %u times", round, won);
      extended += calls[0].answer->status == 200;
      for (guint k = 0; k < G_N_ELEMENTS (calls); k++)
        {
          g_free (calls[k].path);
          g_free (calls[k].body);
          park_test_response_free (calls[k].answer);
        }
    }
  g_test_message ("%u of %u rounds won by the extension", extended, EXTEND_ROUNDS);

  {
    g_autoptr(GPtrArray) a = collect_items (backend, alice, RESERVATIONS);
    g_autoptr(GPtrArray) b = collect_items (backend, bob, RESERVATIONS);

    g_assert_cmpuint (a->len, ==, EXTEND_ROUNDS);
    g_assert_cmpuint (b->len, ==, EXTEND_ROUNDS - extended);
    g_ptr_array_extend_and_steal (listed, g_steal_pointer (&a));
    g_ptr_array_extend_and_steal (listed, g_steal_pointer (&b));
  }
  assert_no_overlap (listed);
}

/* ---- 3. durability ----------------------------------------------------------------------- */

typedef struct
{
  char *key;        /* its Idempotency-Key */
  char *body;
  char *spot_id;
  char *start;
  char *end;
  char *id;         /* 201 only */
  char *code;
} Sent;

static void
sent_free (Sent *sent)
{
  g_free (sent->key);
  g_free (sent->body);
  g_free (sent->spot_id);
  g_free (sent->start);
  g_free (sent->end);
  g_free (sent->id);
  g_free (sent->code);
  g_free (sent);
}

typedef struct
{
  GMutex           lock;
  GCond            cond;
  ParkTestBackend *backend;
  const char      *token;
  GPtrArray       *spots;
  GDateTime       *base;
  guint            next;
  GPtrArray       *answered;   /* (element-type Sent): 201 */
  GPtrArray       *lost;       /* (element-type Sent): no answer */
  GPtrArray       *refused;    /* (element-type char*): any other answer, a failure */
} Stream;

static gpointer
stream_main (gpointer data)
{
  Stream *stream = data;
  ParkTestBackend *client = client_new (stream->backend);
  const char *name_value[2] = { "Idempotency-Key", NULL };

  g_signal_connect (client->session, "request-queued", G_CALLBACK (add_header_cb),
                    name_value);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(ParkTestResponse) response = NULL;
      Sent *sent = g_new0 (Sent, 1);
      guint n;

      g_mutex_lock (&stream->lock);
      n = stream->next++;
      g_mutex_unlock (&stream->lock);

      /* Distinct spots, then distinct half-hours: no booking of the stream can clash. */
      sent->spot_id = g_strdup (spot_id_at (stream->spots, n % stream->spots->len));
      sent->start = at (stream->base, (gint64) (n / stream->spots->len) * 60);
      sent->end = at (stream->base, (gint64) (n / stream->spots->len) * 60 + 30);
      sent->body = spot_body (sent->spot_id, sent->start, sent->end);
      sent->key = g_strdup_printf ("durable-%u", n);
      name_value[1] = sent->key;
      bytes = g_bytes_new (sent->body, strlen (sent->body));
      response = park_test_request_token (client, stream->token, "POST", RESERVATIONS,
                                          "application/json", bytes, FALSE, &error);

      g_mutex_lock (&stream->lock);
      if (response == NULL)
        {
          /* parkd is gone: this one may or may not have been written. */
          g_ptr_array_add (stream->lost, sent);
          g_cond_broadcast (&stream->cond);
          g_mutex_unlock (&stream->lock);
          break;
        }
      if (response->status == 201)
        {
          JsonObject *res = answer_object (response);

          sent->id = g_strdup (string_member (res, "id"));
          sent->code = g_strdup (string_member (res, "code"));
          g_ptr_array_add (stream->answered, sent);
        }
      else
        {
          g_ptr_array_add (stream->refused, g_strdup_printf ("%u %s", response->status,
                                                             sent->body));
          sent_free (sent);
        }
      g_cond_broadcast (&stream->cond);
      g_mutex_unlock (&stream->lock);
    }
  client_free (client);
  return NULL;
}

static gint64
sqlite_count (sqlite3    *db,
              const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* sqlite_count() on @db, or the same count by psql on the PostgreSQL store. */
static gint64
db_count (ParkTestBackend *backend,
          sqlite3         *db,
          const char      *sql)
{
  g_autofree char *value = NULL;

  if (db != NULL)
    return sqlite_count (db, sql);
  value = park_test_postgresql_value (backend->db_path, sql);
  return g_ascii_strtoll (value, NULL, 10);
}

/* Bookings stream in from eight clients; parkd is killed (SIGKILL) in the middle and started
 * again on the same database. Every booking answered 201 is there, unchanged; a booking that
 * was not answered may be there only if its request was in flight when parkd died, and then
 * whole. */
static void
test_durability (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend ();
  g_autofree char *token = register_driver (backend, "durable@example.org");
  g_autofree char *lot = lot_id_by_name (backend, "Parkhaus Centrum-Galerie");
  g_autoptr(GPtrArray) all_spots = lot_spots (backend, lot, "regular");
  g_autoptr(GPtrArray) spots = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GDateTime) base = window_base ();
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GHashTable) answered_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) extras = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  GThread *threads[STREAM_THREADS];
  Stream stream = { 0, };
  sqlite3 *db = NULL;
  gint64 deadline;
  guint replayed = 0;

  for (guint i = 0; i < STREAM_SPOTS; i++)
    g_ptr_array_add (spots, json_node_ref (g_ptr_array_index (all_spots, i)));
  g_mutex_init (&stream.lock);
  g_cond_init (&stream.cond);
  stream.backend = backend;
  stream.token = token;
  stream.spots = spots;
  stream.base = base;
  stream.answered = g_ptr_array_new_with_free_func ((GDestroyNotify) sent_free);
  stream.lost = g_ptr_array_new_with_free_func ((GDestroyNotify) sent_free);
  stream.refused = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < STREAM_THREADS; i++)
    threads[i] = g_thread_new ("stream", stream_main, &stream);

  /* A guard that fails, never a wait that passes. */
  deadline = g_get_monotonic_time () + STREAM_TIMEOUT_S * G_TIME_SPAN_SECOND;
  g_mutex_lock (&stream.lock);
  while (stream.answered->len < STREAM_KILL_AFTER && stream.lost->len == 0)
    if (!g_cond_wait_until (&stream.cond, &stream.lock, deadline))
      g_error ("the booking stream got %u answers in %d s", stream.answered->len,
               STREAM_TIMEOUT_S);
  g_mutex_unlock (&stream.lock);

  /* In the middle of the stream: the eight clients have requests on the wire. */
  g_subprocess_send_signal (backend->process, SIGKILL);
  g_subprocess_wait (backend->process, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_signaled (backend->process) ||
      g_subprocess_get_term_sig (backend->process) != SIGKILL)
    {
      g_autofree char *log = NULL;

      /* It died of something else before the kill: what it said last. */
      g_file_get_contents (backend->log_path, &log, NULL, NULL);
      g_test_message ("parkd's log:\n%s", log != NULL ? log : "(none)");
    }
  g_assert_true (g_subprocess_get_if_signaled (backend->process));
  g_assert_cmpint (g_subprocess_get_term_sig (backend->process), ==, SIGKILL);
  g_clear_object (&backend->process);
  for (guint i = 0; i < STREAM_THREADS; i++)
    g_thread_join (threads[i]);
  for (guint i = 0; i < stream.refused->len; i++)
    g_test_message ("refused: %s", (char *) g_ptr_array_index (stream.refused, i));
  g_assert_cmpuint (stream.refused->len, ==, 0);
  /* Each client stops at its first unanswered request. */
  g_assert_cmpuint (stream.lost->len, ==, STREAM_THREADS);
  g_test_message ("%u bookings answered 201 before the kill, %u unanswered",
                  stream.answered->len, stream.lost->len);

  soup_session_abort (backend->session);
  park_test_backend_start (backend, demo_args);

  /* Every booking answered 201 is there, as it was answered. */
  for (guint i = 0; i < stream.answered->len; i++)
    {
      Sent *sent = g_ptr_array_index (stream.answered, i);
      g_autofree char *path = reservation_path (sent->id);
      g_autoptr(ParkTestResponse) got = expect (backend, token, "GET", path, NULL, 200);
      JsonObject *res = answer_object (got);

      assert_reservation (res);
      g_assert_cmpstr (string_member (res, "code"), ==, sent->code);
      g_assert_cmpstr (string_member (res, "parking_spot_id"), ==, sent->spot_id);
      g_assert_cmpstr (string_member (res, "start_time"), ==, sent->start);
      g_assert_cmpstr (string_member (res, "end_time"), ==, sent->end);
      g_hash_table_add (answered_ids, sent->id);
    }

  /* The driver's list: the answered ones, plus at most those whose answer was lost in
   * flight (committed, but parkd died before the 201 left). Nothing else, nothing half. */
  listed = collect_items (backend, token, RESERVATIONS);
  g_test_message ("%u reservations listed after the restart", listed->len);
  g_assert_cmpuint (listed->len, >=, stream.answered->len);
  g_assert_cmpuint (listed->len, <=, stream.answered->len + stream.lost->len);
  for (guint i = 0; i < listed->len; i++)
    {
      JsonObject *res = item_at (listed, i);
      const char *id = string_member (res, "id");
      gboolean from_lost = FALSE;

      assert_reservation (res);
      if (g_hash_table_contains (answered_ids, id))
        continue;
      for (guint j = 0; j < stream.lost->len && !from_lost; j++)
        {
          Sent *lost = g_ptr_array_index (stream.lost, j);

          from_lost = g_str_equal (lost->spot_id, string_member (res, "parking_spot_id")) &&
                      g_str_equal (lost->start, string_member (res, "start_time")) &&
                      g_str_equal (lost->end, string_member (res, "end_time"));
        }
      if (!from_lost)
        g_error ("reservation %s was never asked for", id);
      g_hash_table_add (extras, g_strdup (id));
    }
  assert_no_overlap (listed);

  /* What a client does next: send the unanswered ones again with their keys. Those written
   * before the kill are replayed (and are exactly the extras); the others are booked now. */
  for (guint i = 0; i < stream.lost->len; i++)
    {
      Sent *lost = g_ptr_array_index (stream.lost, i);
      g_autoptr(ParkTestResponse) again = call_with_header (backend, token, "POST",
                                                            RESERVATIONS, lost->body,
                                                            "Idempotency-Key", lost->key);
      JsonObject *res = booked (again);

      if (g_strcmp0 (header (again, "Idempotent-Replayed"), "true") == 0)
        {
          replayed++;
          g_assert_true (g_hash_table_contains (extras, string_member (res, "id")));
        }
      else
        g_assert_false (g_hash_table_contains (extras, string_member (res, "id")));
    }
  g_assert_cmpuint (replayed, ==, g_hash_table_size (extras));
  g_test_message ("%u of the unanswered bookings had been written", replayed);

  /* And on disk: a sound file, and each reservation with the event and the key its booking
   * wrote in the same transaction. On the PostgreSQL store (PARK_TEST_STORE=postgresql) the
   * server outlived parkd, and the same counts come from psql. */
  if (g_str_has_prefix (backend->db_path, "postgresql://"))
    db = NULL;
  else
    {
      g_assert_cmpint (sqlite3_open_v2 (backend->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                       SQLITE_OK);
      sqlite3_busy_timeout (db, 5000);
      {
        sqlite3_stmt *stmt = NULL;

        g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL),
                         ==, SQLITE_OK);
        g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
        g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
        sqlite3_finalize (stmt);
      }
    }
  g_assert_cmpint (db_count (backend, db, "SELECT count(*) FROM reservations"), ==,
                   listed->len + stream.lost->len - replayed);
  g_assert_cmpint (db_count (backend, db, "SELECT count(*) FROM reservations r WHERE "
                                          "(SELECT count(*) FROM events e WHERE "
                                          "e.type = 'ParkingSpotBooked' AND "
                                          "e.aggregate = 'reservation:' || r.id) <> 1"), ==, 0);
  g_assert_cmpint (db_count (backend, db, "SELECT count(*) FROM reservations r WHERE NOT EXISTS "
                                          "(SELECT 1 FROM idempotency_keys k "
                                          "WHERE k.resource_id = r.id)"), ==, 0);
  if (db != NULL)
    sqlite3_close (db);

  g_ptr_array_unref (stream.answered);
  g_ptr_array_unref (stream.lost);
  g_ptr_array_unref (stream.refused);
  g_mutex_clear (&stream.lock);
  g_cond_clear (&stream.cond);
}

/* ---- 4. idempotency ---------------------------------------------------------------------- */

typedef struct
{
  ParkTestBackend  *backend;
  const char       *token;
  const char       *body;
  const char       *key;
  GMutex           *lock;
  GCond            *cond;
  gboolean         *go;
  ParkTestResponse *answer;
} Twin;

static gpointer
twin_main (gpointer data)
{
  Twin *twin = data;
  ParkTestBackend *client = client_new (twin->backend);
  g_autoptr(ParkTestResponse) hello = park_test_call (client, NULL, "GET", "health", NULL);

  g_assert_cmpuint (hello->status, ==, 200);
  g_mutex_lock (twin->lock);
  while (!*twin->go)
    g_cond_wait (twin->cond, twin->lock);
  g_mutex_unlock (twin->lock);
  twin->answer = call_with_header (client, twin->token, "POST", RESERVATIONS, twin->body,
                                   "Idempotency-Key", twin->key);
  client_free (client);
  return NULL;
}

static void
test_idempotency (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend ();
  g_autofree char *token = register_driver (backend, "idem@example.org");
  g_autofree char *other = register_driver (backend, "idem-other@example.org");
  g_autofree char *lot = lot_id_by_name (backend, "Tiefgarage Altmarkt");
  g_autoptr(GPtrArray) spots = lot_spots (backend, lot, "regular");
  g_autoptr(GDateTime) base = window_base ();
  g_autofree char *start = at (base, 600), *end = at (base, 720), *later = at (base, 780);
  g_autofree char *body = spot_body (spot_id_at (spots, 0), start, end);
  g_autofree char *changed = spot_body (spot_id_at (spots, 0), start, later);
  g_autofree char *other_spot = spot_body (spot_id_at (spots, 1), start, end);
  g_autofree char *twin_body = spot_body (spot_id_at (spots, 2), start, end);
  g_autoptr(ParkTestResponse) first = NULL, again = NULL, reused = NULL, theirs = NULL;
  g_autoptr(ParkTestResponse) theirs_same = NULL, plain = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  Twin twins[16];
  GThread *threads[G_N_ELEMENTS (twins)];
  GMutex lock;
  GCond cond;
  gboolean go = FALSE;
  guint fresh = 0;

  first = call_with_header (backend, token, "POST", RESERVATIONS, body, "Idempotency-Key",
                            "booking-1");
  booked (first);
  g_assert_null (header (first, "Idempotent-Replayed"));

  /* The same key and body: the first answer again, nothing booked twice. */
  again = call_with_header (backend, token, "POST", RESERVATIONS, body, "Idempotency-Key",
                            "booking-1");
  booked (again);
  g_assert_cmpstr (header (again, "Idempotent-Replayed"), ==, "true");
  g_assert_cmpstr (string_member (answer_object (again), "id"), ==,
                   string_member (answer_object (first), "id"));
  g_assert_cmpstr (string_member (answer_object (again), "code"), ==,
                   string_member (answer_object (first), "code"));
  g_assert_cmpint (int_member (answer_object (again), "total_cost"), ==,
                   int_member (answer_object (first), "total_cost"));

  /* The same key for another request: refused, and nothing changes. */
  reused = call_with_header (backend, token, "POST", RESERVATIONS, changed, "Idempotency-Key",
                             "booking-1");
  park_test_assert_problem (reused, 422, "idempotency-key-reused", NULL);

  /* Without the key the same body is a new booking, which the first one blocks. */
  plain = expect (backend, token, "POST", RESERVATIONS, body, 409);
  assert_conflict (plain, start, end);

  /* Keys are per driver: another driver's "booking-1" is theirs. Their same body is a new
   * booking (and the spot is taken), not a replay of someone else's reservation. */
  theirs_same = call_with_header (backend, other, "POST", RESERVATIONS, body,
                                  "Idempotency-Key", "booking-1");
  g_assert_null (header (theirs_same, "Idempotent-Replayed"));
  assert_conflict (theirs_same, start, end);
  theirs = call_with_header (backend, other, "POST", RESERVATIONS, other_spot,
                             "Idempotency-Key", "booking-1");
  booked (theirs);
  g_assert_null (header (theirs, "Idempotent-Replayed"));
  g_assert_cmpstr (string_member (answer_object (theirs), "id"), !=,
                   string_member (answer_object (first), "id"));

  /* Sixteen copies of one request at once (a client retrying too eagerly): one booking, and
   * every copy is told about it. */
  g_mutex_init (&lock);
  g_cond_init (&cond);
  for (guint i = 0; i < G_N_ELEMENTS (twins); i++)
    {
      twins[i] = (Twin) { backend, token, twin_body, "booking-2", &lock, &cond, &go, NULL };
      threads[i] = g_thread_new ("twin", twin_main, &twins[i]);
    }
  g_mutex_lock (&lock);
  go = TRUE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  for (guint i = 0; i < G_N_ELEMENTS (twins); i++)
    {
      g_thread_join (threads[i]);
      booked (twins[i].answer);
      g_assert_cmpstr (string_member (answer_object (twins[i].answer), "id"), ==,
                       string_member (answer_object (twins[0].answer), "id"));
      if (header (twins[i].answer, "Idempotent-Replayed") == NULL)
        fresh++;
      else
        g_assert_cmpstr (header (twins[i].answer, "Idempotent-Replayed"), ==, "true");
    }
  g_assert_cmpuint (fresh, ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (twins); i++)
    park_test_response_free (twins[i].answer);
  g_mutex_clear (&lock);
  g_cond_clear (&cond);

  mine = collect_items (backend, token, RESERVATIONS);
  g_assert_cmpuint (mine->len, ==, 2);
}

/* ---- 5. prices --------------------------------------------------------------------------- */

static void
assert_hours (ParkTestResponse *response,
              gint64            rate,
              guint             hours)
{
  JsonObject *q = answer_object (response);
  JsonObject *breakdown = object_member (q, "breakdown") != NULL
                          ? object_member (q, "breakdown") : object_member (q, "quote");
  guint minutes, billed;

  g_assert_cmpint (int_member (q, "total_cost"), ==, rate * hours);
  assert_breakdown (breakdown, rate * hours, &minutes, &billed);
  g_assert_cmpuint (minutes, ==, hours * 60);
  g_assert_cmpuint (billed, ==, hours * 60);
}

/* A stay across a change of the lot's clock is billed for the hours really parked.
 *
 * The Europe/Berlin changes of the brief (2026-03-29, 2026-10-25) are in the past. Of the
 * next ones, 2027-03-28 (spring forward) is within the 180 days parkd books ahead of today
 * (2026-12-01); 2027-10-31 (fall back) is not, so parkd refuses to quote or book it and
 * the fall-back case is tested on a lot in Australia/Sydney (test_policy). */
static void
test_dst_berlin (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend ();
  g_autofree char *token = register_driver (backend, "dst@example.org");
  g_autofree char *lot = lot_id_by_name (backend, "Tiefgarage Altmarkt");
  g_autoptr(GPtrArray) spots = lot_spots (backend, lot, "regular");
  gint64 rate = lot_hourly_rate (backend, lot);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) spring = g_date_time_new_utc (2027, 3, 28, 0, 0, 0);
  g_autoptr(GDateTime) autumn = g_date_time_new_utc (2027, 10, 30, 23, 0, 0);
  g_autoptr(ParkTestResponse) local = NULL, utc = NULL, normal = NULL, res = NULL;
  g_autoptr(ParkTestResponse) far_quote = NULL, far_book = NULL;
  g_autofree char *body = NULL, *far_path = NULL, *far_body = NULL;

  /* The dates this test relies on must still be ahead, and the first within reach. */
  g_assert_cmpint (g_date_time_difference (spring, now), >, 0);
  g_assert_cmpint (g_date_time_difference (spring, now), <, MAX_ADVANCE_DAYS * G_TIME_SPAN_DAY);
  g_assert_cmpint (g_date_time_difference (autumn, now), >, MAX_ADVANCE_DAYS * G_TIME_SPAN_DAY);

  /* 01:00 CET to 04:00 CEST is two real hours: billed 2 hours, not 3. */
  local = quote (backend, lot, "2027-03-28T01:00:00+01:00", "2027-03-28T04:00:00+02:00",
                 NULL);
  assert_hours (local, rate, 2);
  g_assert_cmpstr (string_member (answer_object (local), "start_time"), ==,
                   "2027-03-28T00:00:00Z");
  g_assert_cmpstr (string_member (answer_object (local), "end_time"), ==,
                   "2027-03-28T02:00:00Z");
  utc = quote (backend, lot, "2027-03-28T00:00:00Z", "2027-03-28T02:00:00Z", NULL);
  assert_hours (utc, rate, 2);
  /* A week earlier the same clock times are three hours. */
  normal = quote (backend, lot, "2027-03-21T01:00:00+01:00", "2027-03-21T04:00:00+01:00",
                  NULL);
  assert_hours (normal, rate, 3);

  /* Booked at the quoted price. */
  body = g_strdup_printf ("{\"parking_spot_id\":\"%s\","
                          "\"start_time\":\"2027-03-28T01:00:00+01:00\","
                          "\"end_time\":\"2027-03-28T04:00:00+02:00\",\"quote_id\":\"%s\"}",
                          spot_id_at (spots, 0),
                          string_member (answer_object (local), "quote_id"));
  res = expect (backend, token, "POST", RESERVATIONS, body, 201);
  booked (res);
  assert_hours (res, rate, 2);
  g_assert_cmpstr (string_member (answer_object (res), "start_time"), ==,
                   "2027-03-28T00:00:00Z");
  g_assert_cmpstr (string_member (answer_object (res), "end_time"), ==,
                   "2027-03-28T02:00:00Z");

  /* 2027-10-31 is more than 180 days ahead: neither quoted nor booked. */
  far_path = quote_path (lot, "2027-10-31T01:00:00+02:00", "2027-10-31T04:00:00+01:00", NULL);
  far_quote = expect (backend, NULL, "GET", far_path, NULL, 400);
  g_assert_cmpstr (string_member (answer_object (far_quote), "code"), ==, "invalid-field");
  far_body = spot_body (spot_id_at (spots, 0), "2027-10-31T01:00:00+02:00",
                        "2027-10-31T04:00:00+01:00");
  far_book = expect (backend, token, "POST", RESERVATIONS, far_body, 400);
  park_test_assert_problem (far_book, 400, "invalid-field", "start_time");
}

static void
sqlite_exec (const char *path,
             const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  /* The same change on the PostgreSQL store (PARK_TEST_STORE=postgresql). */
  if (g_str_has_prefix (path, "postgresql://"))
    {
      g_assert_cmpint (park_test_postgresql_changes (path, sql), ==, 1);
      return;
    }
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
}

/* An account made the way an installation makes it: "parkd user add", the password on
 * standard input. The input is a file, not a pipe: parkd may refuse its options and exit
 * before it reads a byte, and a pipe would then fail the write. Its access token. */
static char *
add_user (ParkTestBackend *backend,
          const char      *email,
          const char      *role)
{
  const char * const argv[] = {
    park_test_parkd_path (), "user", "add", "--email", email, "--role", role,
    "--database", backend->db_path, NULL
  };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL, *input = NULL, *body = NULL;
  g_autoptr(ParkTestResponse) signed_in = NULL;

  input = g_build_filename (backend->tmpdir, "user-add-stdin", NULL);
  g_file_set_contents (input, PASSWORD "\n", -1, &error);
  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_stdin_file_path (launcher, input);
  g_subprocess_launcher_unsetenv (launcher, "PARKD_CONFIG");
  g_subprocess_launcher_set_child_setup (launcher, park_test_die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_unlink (input);
  g_assert_no_error (error);
  g_test_message ("parkd user add: %s%s", out, err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"" PASSWORD "\"}", email);
  signed_in = expect (backend, NULL, "POST", "api/v1/auth/login", body, 200);
  g_assert_nonnull (string_member (answer_object (signed_in), "access_token"));
  return g_strdup (string_member (answer_object (signed_in), "access_token"));
}

/* A lot's pricing policy, changed by an admin while parkd runs: a quote keeps its price, a
 * booking without one gets the new price, a spot type the policy makes free is confirmed at
 * once, and a policy parkd cannot use is refused. Then a lot of an operator in
 * Australia/Sydney, whose clock goes back on 2027-04-04 (03:00 AEDT to 02:00 AEST): a stay
 * from 01:00 to 04:00 there is billed the four hours really parked. And a closed lot takes no
 * bookings. */
static void
test_policy (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend ();
  g_autofree char *token = register_driver (backend, "policy@example.org");
  g_autofree char *admin = add_user (backend, "admin@example.org", "admin");
  g_autofree char *lot = lot_id_by_name (backend, "Tiefgarage Altmarkt");
  g_autoptr(GPtrArray) regular = lot_spots (backend, lot, "regular");
  g_autoptr(GPtrArray) disabled = lot_spots (backend, lot, "disabled");
  gint64 rate = lot_hourly_rate (backend, lot);
  g_autoptr(GDateTime) base = window_base ();
  g_autofree char *start = at (base, 600), *end = at (base, 720);
  g_autofree char *pricing_path = g_strdup_printf ("api/v1/admin/parking-lots/%s/pricing", lot);
  g_autofree char *policy = NULL, *body = NULL, *sydney = NULL, *lot_path = NULL;
  g_autoptr(ParkTestResponse) before = NULL, put = NULL, bad = NULL, not_driver = NULL;
  g_autoptr(ParkTestResponse) honoured = NULL, repriced = NULL, free_q = NULL;
  g_autoptr(ParkTestResponse) free_res = NULL, op = NULL, created = NULL, fall = NULL;
  g_autoptr(ParkTestResponse) fall_res = NULL, closed = NULL, refused = NULL;
  g_autoptr(GPtrArray) sydney_spots = NULL;
  JsonObject *res;

  before = quote (backend, lot, start, end, "regular");
  g_assert_cmpint (int_member (answer_object (before), "total_cost"), ==, 2 * rate);

  policy = g_strdup_printf ("{\"rates\":{\"regular\":%" G_GINT64_FORMAT ",\"disabled\":0}}",
                            2 * rate);
  put = expect (backend, admin, "PUT", pricing_path, policy, 200);
  not_driver = expect (backend, token, "PUT", pricing_path, policy, 403);
  bad = expect (backend, admin, "PUT", pricing_path, "{\"increment_minutes\":0}", 400);
  park_test_assert_problem (bad, 400, "invalid-field", "increment_minutes");

  /* The quote is honoured within its ten minutes, whatever the policy says now. */
  body = g_strdup_printf ("{\"parking_spot_id\":\"%s\",\"start_time\":\"%s\","
                          "\"end_time\":\"%s\",\"quote_id\":\"%s\"}", spot_id_at (regular, 0),
                          start, end, string_member (answer_object (before), "quote_id"));
  honoured = expect (backend, token, "POST", RESERVATIONS, body, 201);
  g_assert_cmpint (int_member (booked (honoured), "total_cost"), ==, 2 * rate);
  g_assert_true (json_node_equal (json_object_get_member (answer_object (honoured), "quote"),
                                  json_object_get_member (answer_object (before),
                                                          "breakdown")));
  /* Without it, the new price. */
  repriced = book_spot (backend, token, spot_id_at (regular, 1), start, end, 201);
  g_assert_cmpint (int_member (booked (repriced), "total_cost"), ==, 4 * rate);

  /* Free for disabled drivers: nothing to pay, confirmed at once. */
  free_q = quote (backend, lot, start, end, "disabled");
  g_assert_cmpint (int_member (answer_object (free_q), "total_cost"), ==, 0);
  free_res = book_spot (backend, token, spot_id_at (disabled, 0), start, end, 201);
  res = booked (free_res);
  g_assert_cmpint (int_member (res, "total_cost"), ==, 0);
  g_assert_cmpstr (string_member (res, "status"), ==, "confirmed");
  g_assert_true (is_null_member (res, "hold_until"));

  /* 01:00 AEDT to 04:00 AEST: four real hours, billed 4, not 3. */
  op = expect (backend, admin, "POST", "api/v1/admin/operators",
               "{\"slug\":\"harbour\",\"name\":\"Harbour Parking\",\"city\":\"Sydney\","
               "\"time_zone\":\"Australia/Sydney\",\"currency\":\"AUD\"}", 201);
  created = expect (backend, admin, "POST", "api/v1/admin/parking-lots",
                    "{\"operator\":\"harbour\",\"name\":\"Circular Quay\","
                    "\"address\":\"1 Alfred Street\",\"lat\":-33.8610,\"lng\":151.2110,"
                    "\"hourly_rate\":400,\"spots\":{\"regular\":3}}", 201);
  sydney = g_strdup (string_member (answer_object (created), "id"));
  sydney_spots = lot_spots (backend, sydney, "regular");
  fall = quote (backend, sydney, "2027-04-04T01:00:00+11:00", "2027-04-04T04:00:00+10:00",
                NULL);
  g_assert_cmpstr (string_member (answer_object (fall), "time_zone"), ==, "Australia/Sydney");
  g_assert_cmpstr (string_member (answer_object (fall), "currency"), ==, "AUD");
  g_assert_cmpstr (string_member (answer_object (fall), "start_time"), ==,
                   "2027-04-03T14:00:00Z");
  g_assert_cmpstr (string_member (answer_object (fall), "end_time"), ==,
                   "2027-04-03T18:00:00Z");
  assert_hours (fall, 400, 4);
  fall_res = book_spot (backend, token, spot_id_at (sydney_spots, 0),
                        "2027-04-04T01:00:00+11:00", "2027-04-04T04:00:00+10:00", 201);
  booked (fall_res);
  assert_hours (fall_res, 400, 4);
  g_assert_cmpstr (string_member (answer_object (fall_res), "currency"), ==, "AUD");

  /* A closed lot is quoted but not booked. */
  lot_path = g_strdup_printf ("api/v1/admin/parking-lots/%s", sydney);
  closed = expect (backend, admin, "PATCH", lot_path, "{\"status\":\"closed\"}", 200);
  refused = book_spot (backend, token, spot_id_at (sydney_spots, 1), "2027-04-04T01:00:00+11:00",
                       "2027-04-04T04:00:00+10:00", 409);
  park_test_assert_problem (refused, 409, "lot-closed", "parking_lot_id");
}

/* What parkd does only as time passes, without waiting for it: the times are moved back in
 * the database while parkd is stopped. A quote past its ten minutes is refused; a booking
 * not paid within its hold is expired, and its spot is free again. */
static void
test_expiry (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend ();
  g_autofree char *token = register_driver (backend, "late@example.org");
  g_autofree char *lot = lot_id_by_name (backend, "Tiefgarage Altmarkt");
  g_autoptr(GPtrArray) regular = lot_spots (backend, lot, "regular");
  g_autoptr(GDateTime) base = window_base ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) minute_ago_dt = g_date_time_add_minutes (now, -1);
  g_autofree char *minute_ago = utc_text (minute_ago_dt);
  g_autofree char *start = at (base, 600), *end = at (base, 720);
  g_autofree char *sql = NULL, *body = NULL, *held_path = NULL;
  g_autoptr(ParkTestResponse) stale = NULL, held = NULL, expired = NULL, held_now = NULL;
  g_autoptr(ParkTestResponse) rebooked = NULL;

  stale = quote (backend, lot, start, end, "regular");
  held = book_spot (backend, token, spot_id_at (regular, 0), start, end, 201);
  g_assert_cmpstr (string_member (booked (held), "status"), ==, "pending_payment");

  park_test_backend_stop (backend);
  sql = g_strdup_printf ("UPDATE quotes SET expires_at = '%s' WHERE id = '%s'", minute_ago,
                         string_member (answer_object (stale), "quote_id"));
  sqlite_exec (backend->db_path, sql);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE reservations SET hold_until = '%s' WHERE id = '%s'",
                         minute_ago, string_member (answer_object (held), "id"));
  sqlite_exec (backend->db_path, sql);
  park_test_backend_start (backend, demo_args);

  body = g_strdup_printf ("{\"parking_spot_id\":\"%s\",\"start_time\":\"%s\","
                          "\"end_time\":\"%s\",\"quote_id\":\"%s\"}", spot_id_at (regular, 1),
                          start, end, string_member (answer_object (stale), "quote_id"));
  expired = expect (backend, token, "POST", RESERVATIONS, body, 409);
  park_test_assert_problem (expired, 409, "quote-expired", "quote_id");

  held_path = reservation_path (string_member (answer_object (held), "id"));
  held_now = expect (backend, token, "GET", held_path, NULL, 200);
  assert_reservation (answer_object (held_now));
  g_assert_cmpstr (string_member (answer_object (held_now), "status"), ==, "expired");
  rebooked = book_spot (backend, token, spot_id_at (regular, 0), start, end, 201);
  booked (rebooked);
}

/* ---- 6. lifecycle ------------------------------------------------------------------------ */

static void
test_lifecycle (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend ();
  g_autofree char *alice = register_driver (backend, "alice@example.org");
  g_autofree char *bob = register_driver (backend, "bob@example.org");
  g_autofree char *lot = lot_id_by_name (backend, "Tiefgarage Altmarkt");
  g_autoptr(GPtrArray) spots = lot_spots (backend, lot, "regular");
  g_autoptr(GDateTime) base = window_base ();
  g_autofree char *t10 = at (base, 600), *t11 = at (base, 660), *t12 = at (base, 720);
  g_autofree char *t13 = at (base, 780), *t1330 = at (base, 810), *t14 = at (base, 840);
  g_autofree char *path = NULL, *path2 = NULL, *extend12 = NULL, *extend1330 = NULL;
  g_autofree char *extend13 = NULL, *shorter = NULL, *code = NULL;
  g_autoptr(ParkTestResponse) a = NULL, cancelled = NULL, got = NULL, again = NULL;
  g_autoptr(ParkTestResponse) twice = NULL, b = NULL, a2 = NULL, extended = NULL;
  g_autoptr(ParkTestResponse) q12 = NULL, q13 = NULL, clash = NULL, after_clash = NULL;
  g_autoptr(ParkTestResponse) touching = NULL, back = NULL, late = NULL;
  g_autoptr(ParkTestResponse) peek = NULL, poke = NULL, push = NULL, still = NULL;
  gint64 total;

  /* Cancelled before the start: the spot is free again for that time. */
  a = book_spot (backend, alice, spot_id_at (spots, 0), t10, t12, 201);
  path = reservation_path (string_member (booked (a), "id"));
  code = g_strdup (string_member (answer_object (a), "code"));
  cancelled = expect (backend, alice, "DELETE", path, NULL, 200);
  assert_reservation (answer_object (cancelled));
  g_assert_cmpstr (string_member (answer_object (cancelled), "status"), ==, "cancelled");
  g_assert_nonnull (string_member (answer_object (cancelled), "cancelled_at"));
  g_assert_cmpstr (string_member (answer_object (cancelled), "code"), ==, code);
  got = expect (backend, alice, "GET", path, NULL, 200);
  g_assert_cmpstr (string_member (answer_object (got), "status"), ==, "cancelled");
  again = book_spot (backend, bob, spot_id_at (spots, 0), t10, t12, 201);
  booked (again);

  /* Cancelling twice, or extending a cancelled booking, is a wrong state. */
  twice = expect (backend, alice, "DELETE", path, NULL, 409);
  park_test_assert_problem (twice, 409, "invalid-state", NULL);
  extend12 = g_strdup_printf ("{\"end_time\":\"%s\"}", t13);
  late = expect (backend, alice, "PUT", path, extend12, 409);
  park_test_assert_problem (late, 409, "invalid-state", NULL);
  g_clear_pointer (&extend12, g_free);

  /* Extended into a free hour: the new end, the price of the whole new stay. */
  a2 = book_spot (backend, alice, spot_id_at (spots, 1), t10, t11, 201);
  path2 = reservation_path (string_member (booked (a2), "id"));
  total = int_member (answer_object (a2), "total_cost");
  extend12 = g_strdup_printf ("{\"end_time\":\"%s\"}", t12);
  extended = expect (backend, alice, "PUT", path2, extend12, 200);
  assert_reservation (answer_object (extended));
  q12 = quote (backend, lot, t10, t12, "regular");
  g_assert_cmpstr (string_member (answer_object (extended), "end_time"), ==, t12);
  g_assert_cmpstr (string_member (answer_object (extended), "start_time"), ==, t10);
  g_assert_cmpint (int_member (answer_object (extended), "total_cost"), >, total);
  g_assert_cmpint (int_member (answer_object (extended), "total_cost"), ==,
                   int_member (answer_object (q12), "total_cost"));
  g_assert_cmpstr (string_member (answer_object (extended), "code"), ==,
                   string_member (answer_object (a2), "code"));
  total = int_member (answer_object (extended), "total_cost");

  /* Into someone else's booking: refused with their time, nothing changed. */
  b = book_spot (backend, bob, spot_id_at (spots, 1), t13, t14, 201);
  booked (b);
  extend1330 = g_strdup_printf ("{\"end_time\":\"%s\"}", t1330);
  clash = expect (backend, alice, "PUT", path2, extend1330, 409);
  assert_conflict (clash, t13, t14);
  after_clash = expect (backend, alice, "GET", path2, NULL, 200);
  g_assert_cmpstr (string_member (answer_object (after_clash), "end_time"), ==, t12);
  g_assert_cmpint (int_member (answer_object (after_clash), "total_cost"), ==, total);

  /* Up to the minute their booking starts is fine. */
  extend13 = g_strdup_printf ("{\"end_time\":\"%s\"}", t13);
  touching = expect (backend, alice, "PUT", path2, extend13, 200);
  q13 = quote (backend, lot, t10, t13, "regular");
  g_assert_cmpstr (string_member (answer_object (touching), "end_time"), ==, t13);
  g_assert_cmpint (int_member (answer_object (touching), "total_cost"), ==,
                   int_member (answer_object (q13), "total_cost"));

  /* An extension only extends. */
  shorter = g_strdup_printf ("{\"end_time\":\"%s\"}", t11);
  back = expect (backend, alice, "PUT", path2, shorter, 400);
  park_test_assert_problem (back, 400, "invalid-field", "end_time");

  /* Another driver cannot see, cancel or change it: to them it does not exist. */
  peek = expect (backend, bob, "GET", path2, NULL, 404);
  park_test_assert_problem (peek, 404, "not-found", NULL);
  poke = expect (backend, bob, "DELETE", path2, NULL, 404);
  park_test_assert_problem (poke, 404, "not-found", NULL);
  push = expect (backend, bob, "PUT", path2, extend1330, 404);
  park_test_assert_problem (push, 404, "not-found", NULL);
  still = expect (backend, alice, "GET", path2, NULL, 200);
  g_assert_cmpstr (string_member (answer_object (still), "status"), ==, "pending_payment");
  g_assert_cmpstr (string_member (answer_object (still), "end_time"), ==, t13);
}

/* ---- 7. bad input ------------------------------------------------------------------------ */

static void
test_bad_input (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend ();
  g_autofree char *token = register_driver (backend, "careless@example.org");
  g_autofree char *lot = lot_id_by_name (backend, "Tiefgarage Altmarkt");
  g_autofree char *other_lot = lot_id_by_name (backend, "Parkhaus Centrum-Galerie");
  g_autoptr(GPtrArray) spots = lot_spots (backend, lot, "regular");
  g_autoptr(GPtrArray) other_spots = lot_spots (backend, other_lot, "regular");
  g_autoptr(GDateTime) base = window_base ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) far = g_date_time_add_days (now, MAX_ADVANCE_DAYS + 1);
  g_autoptr(GDateTime) near_limit = g_date_time_add_days (now, MAX_ADVANCE_DAYS - 1);
  g_autofree char *t10 = at (base, 600), *t12 = at (base, 720), *t11 = at (base, 660);
  g_autofree char *past = utc_text (yesterday), *far_start = utc_text (far);
  g_autofree char *far_end = at (far, 60), *ok_start = utc_text (near_limit);
  g_autofree char *ok_end = at (near_limit, 60), *past_end = at (yesterday, 60);
  g_autofree char *naive_start = g_strndup (t10, 19), *naive_end = g_strndup (t12, 19);
  /* A stay is at most 31 days. */
  g_autofree char *month_later = at (base, 600 + 32 * 24 * 60);
  g_autofree char *reserve_elsewhere = reserve_path (lot, spot_id_at (other_spots, 0));
  g_autofree char *reserve_here = reserve_path (lot, spot_id_at (spots, 0));
  g_autofree char *q_other = NULL, *wrong_quote = NULL, *long_key = NULL;
  g_autoptr(ParkTestResponse) q = NULL, anonymous = NULL, near = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  const char *spot = spot_id_at (spots, 0);
  struct
  {
    const char *path;
    char       *body;
    guint       status;
    const char *code;
    const char *field;
  } cases[] = {
    { RESERVATIONS, spot_body (spot, t12, t10), 400, "invalid-field", "end_time" },
    { RESERVATIONS, spot_body (spot, t10, t10), 400, "invalid-field", "end_time" },
    { RESERVATIONS, spot_body (spot, naive_start, t12), 400, "invalid-field", "start_time" },
    { RESERVATIONS, spot_body (spot, t10, naive_end), 400, "invalid-field", "end_time" },
    { RESERVATIONS, spot_body (spot, "tomorrow", t12), 400, "invalid-field", "start_time" },
    { RESERVATIONS, spot_body (spot, "2027-02-30T10:00:00Z", "2027-03-01T10:00:00Z"), 400,
      "invalid-field", "start_time" },
    { RESERVATIONS, spot_body (spot, past, past_end), 400, "invalid-field", "start_time" },
    { RESERVATIONS, spot_body (spot, far_start, far_end), 400, "invalid-field", "start_time" },
    { RESERVATIONS, spot_body (spot, t10, month_later), 400, "invalid-field", "end_time" },
    { RESERVATIONS, spot_body ("00000000-0000-4000-8000-000000000000", t10, t12), 404,
      "not-found", "parking_spot_id" },
    { RESERVATIONS, spot_body ("U2-001", t10, t12), 400, "invalid-field", "parking_spot_id" },
    { RESERVATIONS, g_strdup_printf ("{\"start_time\":\"%s\",\"end_time\":\"%s\"}", t10, t12),
      400, "missing-field", "parking_spot_id" },
    { RESERVATIONS, g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"start_time\":\"%s\","
                                     "\"end_time\":\"%s\"}", lot, t10, t12),
      400, "missing-field", "spot_type" },
    { RESERVATIONS, g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"spot_type\":\"limousine\","
                                     "\"start_time\":\"%s\",\"end_time\":\"%s\"}", lot, t10,
                                     t12),
      400, "invalid-field", "spot_type" },
    { RESERVATIONS, g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"parking_spot_id\":\"%s\","
                                     "\"start_time\":\"%s\",\"end_time\":\"%s\"}", other_lot,
                                     spot, t10, t12),
      404, "not-found", "parking_spot_id" },
    { RESERVATIONS, g_strdup_printf ("{\"parking_spot_id\":\"%s\",\"end_time\":\"%s\"}", spot,
                                     t12),
      400, "missing-field", "start_time" },
    { RESERVATIONS, g_strdup_printf ("{\"parking_spot_id\":\"%s\",\"start_time\":\"%s\","
                                     "\"end_time\":\"%s\",\"status\":\"confirmed\"}", spot, t10,
                                     t12),
      400, "read-only-field", "status" },
    { RESERVATIONS, g_strdup_printf ("{\"parking_spot_id\":\"%s\",\"start_time\":\"%s\","
                                     "\"end_time\":\"%s\",\"total_cost\":0}", spot, t10, t12),
      400, "read-only-field", "total_cost" },
    { RESERVATIONS, g_strdup_printf ("{\"parking_spot_id\":\"%s\",\"start_time\":\"%s\","
                                     "\"end_time\":\"%s\",\"paid\":99999}", spot, t10, t12),
      400, "read-only-field", "paid" },
    { RESERVATIONS, g_strdup_printf ("{\"parking_spot_id\":\"%s\",\"start_time\":\"%s\","
                                     "\"end_time\":\"%s\",\"discount\":100}", spot, t10, t12),
      400, "unknown-field", "discount" },
    { RESERVATIONS, g_strdup_printf ("{\"parking_spot_id\":\"%s\",\"start_time\":10,"
                                     "\"end_time\":\"%s\"}", spot, t12),
      400, NULL, "start_time" },
    /* A spot of another lot, through this lot's address. */
    { reserve_elsewhere, stay_body (t10, t12), 404, "not-found", "parking_spot_id" },
    /* The body must not name another spot than the address. */
    { reserve_here, spot_body (spot_id_at (spots, 1), t10, t12), 400, "invalid-field",
      "parking_spot_id" },
    { reserve_here, g_strdup_printf ("{\"start_time\":\"%s\",\"end_time\":\"%s\","
                                     "\"status\":\"confirmed\"}", t10, t12),
      400, "read-only-field", "status" },
    { reserve_here, stay_body (t12, t10), 400, "invalid-field", "end_time" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ParkTestResponse) response = NULL;

      g_test_message ("POST %s %s", cases[i].path, cases[i].body);
      response = expect (backend, token, "POST", cases[i].path, cases[i].body,
                         cases[i].status);
      if (cases[i].code != NULL)
        park_test_assert_problem (response, cases[i].status, cases[i].code, cases[i].field);
      else
        g_assert_cmpstr (string_member (answer_object (response), "field"), ==,
                         cases[i].field);
      g_free (cases[i].body);
    }

  /* A quote for another stay fixes nothing. */
  q = quote (backend, lot, t10, t11, "regular");
  wrong_quote = g_strdup_printf ("{\"parking_spot_id\":\"%s\",\"start_time\":\"%s\","
                                 "\"end_time\":\"%s\",\"quote_id\":\"%s\"}", spot, t10, t12,
                                 string_member (answer_object (q), "quote_id"));
  {
    g_autoptr(ParkTestResponse) response = expect (backend, token, "POST", RESERVATIONS,
                                                   wrong_quote, 400);

    park_test_assert_problem (response, 400, "invalid-field", "quote_id");
  }
  q_other = g_strdup_printf ("{\"parking_spot_id\":\"%s\",\"start_time\":\"%s\","
                             "\"end_time\":\"%s\",\"quote_id\":\"%s\"}", spot, t10, t12,
                             "00000000-0000-4000-8000-000000000000");
  {
    g_autoptr(ParkTestResponse) response = expect (backend, token, "POST", RESERVATIONS,
                                                   q_other, 400);

    park_test_assert_problem (response, 400, "invalid-field", "quote_id");
  }

  /* An Idempotency-Key longer than 255 characters. */
  long_key = g_strnfill (256, 'k');
  {
    g_autofree char *body = spot_body (spot, t10, t12);
    g_autoptr(ParkTestResponse) response = call_with_header (backend, token, "POST",
                                                             RESERVATIONS, body,
                                                             "Idempotency-Key", long_key);

    park_test_assert_problem (response, 400, "invalid-parameter", "Idempotency-Key");
  }

  {
    g_autoptr(ParkTestResponse) response = expect (backend, token, "GET",
                                                   RESERVATIONS "?status=booked", NULL, 400);

    park_test_assert_problem (response, 400, "invalid-parameter", "status");
  }

  /* Signed in or no booking. */
  {
    g_autofree char *body = spot_body (spot, t10, t12);

    anonymous = park_test_call (backend, NULL, "POST", RESERVATIONS, body);
    g_assert_cmpuint (anonymous->status, ==, 401);
  }

  /* Nothing of the above was booked; the last bookable day still is. */
  mine = collect_items (backend, token, RESERVATIONS);
  g_assert_cmpuint (mine->len, ==, 0);
  near = book_spot (backend, token, spot, ok_start, ok_end, 201);
  booked (near);
}

/* The quote's parameters are "start", "end" and "spot_type"; a problem names the one that is
 * wrong, except that the window's own rules (end after start, start neither past nor more
 * than 180 days ahead) name the booking's fields, as the OpenAPI document says. */
static void
test_quote_bad_input (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend ();
  g_autofree char *lot = lot_id_by_name (backend, "Tiefgarage Altmarkt");
  g_autoptr(GDateTime) base = window_base ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) far = g_date_time_add_days (now, MAX_ADVANCE_DAYS + 1);
  g_autofree char *t10 = at (base, 600), *t12 = at (base, 720);
  g_autofree char *past = utc_text (yesterday), *past_end = at (yesterday, 60);
  g_autofree char *far_start = utc_text (far), *far_end = at (far, 60);
  g_autofree char *naive = g_strndup (t10, 19);
  struct
  {
    char       *path;
    guint       status;
    const char *code;
    const char *field;
  } cases[] = {
    { g_strdup_printf ("api/v1/parking-lots/%s/quote?end=%s", lot, t12), 400,
      "missing-field", "start" },
    { quote_path (lot, naive, t12, NULL), 400, "invalid-field", "start" },
    { quote_path (lot, t10, t12, "limousine"), 400, "invalid-parameter", "spot_type" },
    { g_strdup_printf ("api/v1/parking-lots/%s/quote?start=%s&end=%s&hours=2", lot, t10, t12),
      400, "unknown-parameter", "hours" },
    { quote_path ("00000000-0000-4000-8000-000000000000", t10, t12, NULL), 404, "not-found",
      NULL },
    { quote_path (lot, t12, t10, NULL), 400, "invalid-field", "end_time" },
    { quote_path (lot, past, past_end, NULL), 400, "invalid-field", "start_time" },
    { quote_path (lot, far_start, far_end, NULL), 400, "invalid-field", "start_time" },
  };
  guint failed = 0;

  /* Every case is tried before the verdict, so one wrong field hides no other. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ParkTestResponse) response = park_test_call (backend, NULL, "GET",
                                                             cases[i].path, NULL);
      JsonObject *problem = answer_object (response);
      const char *field = string_member (problem, "field");

      if (response->status != cases[i].status ||
          g_strcmp0 (string_member (problem, "code"), cases[i].code) != 0 ||
          g_strcmp0 (field, cases[i].field) != 0)
        {
          g_test_message ("GET %s: expected %u %s field %s, got %u %s field %s", cases[i].path,
                          cases[i].status, cases[i].code, cases[i].field, response->status,
                          string_member (problem, "code"), field);
          failed++;
        }
      else
        park_test_assert_problem (response, cases[i].status, cases[i].code, cases[i].field);
      g_free (cases[i].path);
    }
  /* Not fatal: the other tests of the run still run. */
  if (failed > 0)
    g_test_fail_printf ("%u of %u bad quotes answered unlike described above", failed,
                        (guint) G_N_ELEMENTS (cases));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/backend/reservations/basics", test_basics);
  g_test_add_func ("/backend/reservations/double-booking/race", test_race);
  g_test_add_func ("/backend/reservations/double-booking/adjacent", test_adjacent);
  g_test_add_func ("/backend/reservations/double-booking/type-full", test_type_full);
  g_test_add_func ("/backend/reservations/double-booking/extend-race", test_extend_race);
  g_test_add_func ("/backend/reservations/durability/sigkill", test_durability);
  g_test_add_func ("/backend/reservations/idempotency", test_idempotency);
  g_test_add_func ("/backend/reservations/prices/dst-berlin", test_dst_berlin);
  g_test_add_func ("/backend/reservations/prices/policy", test_policy);
  g_test_add_func ("/backend/reservations/expiry", test_expiry);
  g_test_add_func ("/backend/reservations/lifecycle", test_lifecycle);
  g_test_add_func ("/backend/reservations/bad-input", test_bad_input);
  g_test_add_func ("/backend/reservations/quote-bad-input", test_quote_bad_input);

  return g_test_run ();
}
