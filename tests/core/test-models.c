/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-models.c: the models read what the real parkd answers, and refuse, naming the field,
 * the same answers with a member missing or of the wrong type. A lot takes a newer
 * availability in place and notifies only the properties that changed.
 */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <park-core.h>

#include "park-test-backend.h"

/* The Altmarkt, in the middle of the demo city. */
#define ALTMARKT_LAT 51.0504
#define ALTMARKT_LNG 13.7373

typedef struct
{
  ParkTestBackend *backend;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const demo[] = { "--demo", NULL };

  f->backend = park_test_backend_new ();
  park_test_backend_start (f->backend, demo);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->backend, park_test_backend_free);
}

/* A deep copy of the first lot parkd finds near the Altmarkt, to break at will. */
static JsonObject *
first_lot (Fixture *f)
{
  g_autoptr(ParkTestResponse) response =
    park_test_get (f->backend, "api/v1/parking-lots?lat=%f&lng=%f&radius=800",
                   ALTMARKT_LAT, ALTMARKT_LNG);
  JsonArray *items;
  g_autoptr(JsonNode) copy = NULL;

  g_assert_cmpuint (response->status, ==, 200);
  items = json_object_get_array_member (park_test_response_object (response), "items");
  g_assert_cmpuint (json_array_get_length (items), >, 0);
  copy = json_node_copy (json_array_get_element (items, 0));
  return json_object_ref (json_node_get_object (copy));
}

static void
test_lots (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(ParkTestResponse) response =
    park_test_get (f->backend, "api/v1/parking-lots?lat=%f&lng=%f&radius=2000&per_page=100",
                   ALTMARKT_LAT, ALTMARKT_LNG);
  JsonArray *items = json_object_get_array_member (park_test_response_object (response),
                                                   "items");
  double last = 0;

  g_assert_cmpuint (json_array_get_length (items), >, 3);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(ParkLot) lot = park_lot_new_from_json (item, &error);
      guint sum = 0;

      g_assert_no_error (error);
      g_assert_cmpstr (park_lot_get_id (lot), ==, json_object_get_string_member (item, "id"));
      g_assert_cmpstr (park_lot_get_name (lot), ==,
                       json_object_get_string_member (item, "name"));
      g_assert_cmpstr (park_lot_get_city (lot), ==, "Dresden");
      g_assert_cmpstr (park_lot_get_currency (lot), ==, "EUR");
      g_assert_cmpstr (park_lot_get_time_zone (lot), ==, "Europe/Berlin");
      g_assert_nonnull (park_lot_get_operator_name (lot));
      /* Nearest first, and as far as the client's own reckoning says. */
      g_assert_cmpfloat (park_lot_get_distance (lot), >=, last);
      last = park_lot_get_distance (lot);
      g_assert_cmpfloat_with_epsilon (park_lot_get_distance (lot),
                                      park_test_haversine_m (ALTMARKT_LAT, ALTMARKT_LNG,
                                                             park_lot_get_latitude (lot),
                                                             park_lot_get_longitude (lot)),
                                      1.0);
      for (ParkSpotType t = PARK_SPOT_TYPE_REGULAR; t < PARK_N_SPOT_TYPES; t++)
        {
          g_assert_cmpuint (park_lot_get_available (lot, t), <=, park_lot_get_total (lot, t));
          sum += park_lot_get_total (lot, t);
        }
      g_assert_cmpuint (sum, ==, park_lot_get_total (lot, PARK_SPOT_TYPE_ANY));
      g_assert_cmpuint (park_lot_get_total (lot, PARK_SPOT_TYPE_ANY), ==,
                        json_object_get_int_member (item, "total_spots"));
      g_assert_nonnull (park_lot_get_hours (lot, G_DATE_MONDAY));
      g_assert_nonnull (park_lot_get_hours (lot, G_DATE_SUNDAY));
      g_assert_nonnull (park_lot_get_created_at (lot));
    }
}

static void
test_lot_hours (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonObject) object = first_lot (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkLot) lot = NULL;
  JsonObject *hours = json_object_get_object_member (object, "operating_hours");
  g_autoptr(JsonArray) tuesday = json_array_new ();
  g_autoptr(JsonObject) morning = json_object_new ();
  g_autoptr(JsonObject) evening = json_object_new ();
  const char * const *ranges;

  json_object_set_string_member (morning, "open", "07:30");
  json_object_set_string_member (morning, "close", "12:00");
  json_object_set_string_member (evening, "open", "14:00");
  json_object_set_string_member (evening, "close", "24:00");
  json_array_add_object_element (tuesday, g_steal_pointer (&morning));
  json_array_add_object_element (tuesday, g_steal_pointer (&evening));
  json_object_set_array_member (hours, "tue", g_steal_pointer (&tuesday));
  json_object_set_array_member (hours, "sun", json_array_new ());

  lot = park_lot_new_from_json (object, &error);
  g_assert_no_error (error);
  ranges = park_lot_get_hours (lot, G_DATE_TUESDAY);
  g_assert_cmpuint (g_strv_length ((char **) ranges), ==, 2);
  g_assert_cmpstr (ranges[0], ==, "07:30-12:00");
  g_assert_cmpstr (ranges[1], ==, "14:00-24:00");
  g_assert_cmpuint (g_strv_length ((char **) park_lot_get_hours (lot, G_DATE_SUNDAY)), ==, 0);

  /* The same as an object to edit and send back. */
  {
    g_autoptr(ParkOpeningHours) editable = park_lot_dup_opening_hours (lot);
    g_autofree char *text = park_opening_hours_dup_day_text (editable, G_DATE_TUESDAY);

    g_assert_cmpstr (text, ==, "07:30-12:00, 14:00-24:00");
    g_assert_cmpuint (park_opening_hours_get_n_ranges (editable, G_DATE_SUNDAY), ==, 0);
  }
  g_clear_object (&lot);

  /* Ranges out of order, or one that closes before it opens: a broken answer, named. */
  {
    g_autoptr(JsonArray) wednesday = json_array_new ();
    g_autoptr(JsonObject) late = json_object_new ();
    g_autoptr(JsonObject) early = json_object_new ();

    json_object_set_string_member (late, "open", "14:00");
    json_object_set_string_member (late, "close", "18:00");
    json_object_set_string_member (early, "open", "08:00");
    json_object_set_string_member (early, "close", "12:00");
    json_array_add_object_element (wednesday, g_steal_pointer (&late));
    json_array_add_object_element (wednesday, g_steal_pointer (&early));
    json_object_set_array_member (hours, "wed", g_steal_pointer (&wednesday));
    lot = park_lot_new_from_json (object, &error);
    g_assert_null (lot);
    g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_INVALID_RESPONSE);
    g_assert_cmpstr (park_client_error_get_field (error), ==, "operating_hours.wed.1.close");
  }
}

typedef void (*Breaker) (JsonObject *lot);

static void
drop_name (JsonObject *lot)
{
  json_object_remove_member (lot, "name");
}

static void
lat_as_string (JsonObject *lot)
{
  json_object_set_string_member (json_object_get_object_member (lot, "location"), "lat", "51");
}

static void
ev_missing (JsonObject *lot)
{
  json_object_remove_member (json_object_get_object_member (lot, "availability"), "ev");
}

static void
available_as_double (JsonObject *lot)
{
  JsonObject *availability = json_object_get_object_member (lot, "availability");

  json_object_set_double_member (json_object_get_object_member (availability, "compact"),
                                 "available", 2.5);
}

static void
status_unknown (JsonObject *lot)
{
  json_object_set_string_member (lot, "status", "demolished");
}

static void
rate_null (JsonObject *lot)
{
  json_object_set_null_member (lot, "hourly_rate");
}

static void
bad_date (JsonObject *lot)
{
  json_object_set_string_member (lot, "created_at", "yesterday");
}

static void
bad_hours (JsonObject *lot)
{
  JsonArray *monday = json_object_get_array_member (
    json_object_get_object_member (lot, "operating_hours"), "mon");

  json_object_set_string_member (json_array_get_object_element (monday, 0), "open", "25:00");
}

static void
amenity_number (JsonObject *lot)
{
  json_array_add_int_element (json_object_get_array_member (lot, "amenities"), 7);
}

static void
negative_total (JsonObject *lot)
{
  json_object_set_int_member (lot, "total_spots", -1);
}

static void
test_lot_malformed (Fixture       *f,
                    gconstpointer  data)
{
  static const struct
  {
    Breaker     breaker;
    const char *field;
  } cases[] = {
    { drop_name, "name" },
    { lat_as_string, "location.lat" },
    { ev_missing, "availability.ev" },
    { available_as_double, "availability.compact.available" },
    { status_unknown, "status" },
    { rate_null, "hourly_rate" },
    { bad_date, "created_at" },
    { bad_hours, "operating_hours.mon.0.open" },
    { amenity_number, "amenities.5" },
    { negative_total, "total_spots" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) object = first_lot (f);
      g_autoptr(GError) error = NULL;
      g_autoptr(ParkLot) lot = NULL;

      cases[i].breaker (object);
      lot = park_lot_new_from_json (object, &error);
      g_assert_null (lot);
      g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_INVALID_RESPONSE);
      g_assert_cmpstr (park_client_error_get_field (error), ==, cases[i].field);
    }
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    data)
{
  GHashTable *seen = data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (seen, pspec->name));

  g_hash_table_insert (seen, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static void
test_lot_apply_availability (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(JsonObject) object = first_lot (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkLot) lot = park_lot_new_from_json (object, &error);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint available[PARK_N_SPOT_TYPES], total[PARK_N_SPOT_TYPES];
  guint before_any;

  g_assert_no_error (error);
  for (guint i = 0; i < PARK_N_SPOT_TYPES; i++)
    {
      available[i] = park_lot_get_available (lot, i);
      total[i] = park_lot_get_total (lot, i);
    }
  g_assert_cmpuint (available[PARK_SPOT_TYPE_EV], >, 0);
  before_any = park_lot_get_available (lot, PARK_SPOT_TYPE_ANY);
  g_signal_connect (lot, "notify", G_CALLBACK (count_notify_cb), seen);

  /* The same state again: nothing to redraw. */
  park_lot_apply_availability (lot, park_lot_get_status (lot), available, total);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 0);

  /* One EV spot taken: that count and the sum, once each, and nothing else. */
  available[PARK_SPOT_TYPE_EV]--;
  park_lot_apply_availability (lot, park_lot_get_status (lot), available, total);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (seen, "available-ev")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (seen, "available-spots")), ==, 1);
  g_assert_cmpuint (park_lot_get_available (lot, PARK_SPOT_TYPE_EV), ==,
                    available[PARK_SPOT_TYPE_EV]);
  g_assert_cmpuint (park_lot_get_available (lot, PARK_SPOT_TYPE_ANY), ==, before_any - 1);

  /* Closed: the status alone. */
  g_hash_table_remove_all (seen);
  park_lot_apply_availability (lot, PARK_LOT_STATUS_CLOSED, available, total);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (seen, "status")), ==, 1);
  g_assert_cmpint (park_lot_get_status (lot), ==, PARK_LOT_STATUS_CLOSED);
}

static void
test_spots (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonObject) lot = first_lot (f);
  g_autoptr(ParkTestResponse) response =
    park_test_get (f->backend, "api/v1/parking-lots/%s/spots?per_page=50",
                   json_object_get_string_member (lot, "id"));
  JsonArray *items = json_object_get_array_member (park_test_response_object (response),
                                                   "items");

  g_assert_cmpuint (json_array_get_length (items), ==, 50);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(ParkSpot) spot = park_spot_new_from_json (item, &error);
      ParkSpotState state;

      g_assert_no_error (error);
      g_assert_cmpstr (park_spot_get_lot_id (spot), ==, json_object_get_string_member (lot, "id"));
      g_assert_cmpstr (park_spot_get_number (spot), ==,
                       json_object_get_string_member (item, "number"));
      g_assert_cmpint (park_spot_get_level (spot), ==, json_object_get_int_member (item, "level"));
      /* Properties and getters agree. */
      g_object_get (spot, "state", &state, NULL);
      g_assert_cmpint (state, ==, park_spot_get_state (spot));
    }

  /* A spot whose type the client does not know is refused, not read as "regular". */
  {
    g_autoptr(JsonNode) copy = json_node_copy (json_array_get_element (items, 0));
    g_autoptr(GError) error = NULL;
    g_autoptr(ParkSpot) spot = NULL;

    json_object_set_string_member (json_node_get_object (copy), "type", "bus");
    spot = park_spot_new_from_json (json_node_get_object (copy), &error);
    g_assert_null (spot);
    g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_INVALID_RESPONSE);
    g_assert_cmpstr (park_client_error_get_field (error), ==, "type");
  }
}

static void
test_quote (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonObject) lot = first_lot (f);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_hours (now, 2);
  g_autoptr(GDateTime) end = g_date_time_add_hours (now, 5);
  g_autofree char *start_s = g_date_time_format (start, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *end_s = g_date_time_format (end, "%Y-%m-%dT%H:%M:%SZ");
  g_autoptr(ParkTestResponse) response =
    park_test_get (f->backend, "api/v1/parking-lots/%s/quote?start=%s&end=%s&spot_type=ev",
                   json_object_get_string_member (lot, "id"), start_s, end_s);
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkQuote) quote = NULL;
  ParkPriceBreakdown *breakdown;
  GListModel *lines;
  gint64 sum = 0;

  g_assert_cmpuint (response->status, ==, 200);
  quote = park_quote_new_from_json (park_test_response_object (response), &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_quote_get_spot_type (quote), ==, PARK_SPOT_TYPE_EV);
  g_assert_cmpstr (park_quote_get_lot_id (quote), ==, json_object_get_string_member (lot, "id"));
  g_assert_cmpint (g_date_time_to_unix (park_quote_get_start_time (quote)), ==,
                   g_date_time_to_unix (start));
  g_assert_cmpint (park_quote_get_total_cost (quote), >, 0);
  breakdown = park_quote_get_breakdown (quote);
  g_assert_cmpint (park_price_breakdown_get_total (breakdown), ==,
                   park_quote_get_total_cost (quote));
  lines = park_price_breakdown_get_lines (breakdown);
  g_assert_cmpuint (g_list_model_get_n_items (lines), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(ParkPriceLine) line = g_list_model_get_item (lines, i);

      g_assert_nonnull (park_price_line_get_start (line));
      g_assert_nonnull (park_price_line_get_label (line));
      sum += park_price_line_get_amount (line);
    }
  g_assert_cmpint (sum, ==, park_price_breakdown_get_subtotal (breakdown));

  /* A broken line inside the breakdown is named by its path. */
  {
    JsonObject *object = park_test_response_object (response);
    JsonArray *array = json_object_get_array_member (
      json_object_get_object_member (object, "breakdown"), "lines");
    g_autoptr(ParkQuote) broken = NULL;
    g_autoptr(GError) parse_error = NULL;

    json_object_set_boolean_member (json_array_get_object_element (array, 0), "amount", TRUE);
    broken = park_quote_new_from_json (object, &parse_error);
    g_assert_null (broken);
    g_assert_error (parse_error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_INVALID_RESPONSE);
    g_assert_cmpstr (park_client_error_get_field (parse_error), ==, "breakdown.lines.0.amount");
  }
}

static void
test_info (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(ParkTestResponse) response = park_test_get (f->backend, "api/v1/info");
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkServerInfo) info = NULL;

  info = park_server_info_new_from_json (park_test_response_object (response), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_server_info_get_store (info), ==, "sqlite");
  g_assert_cmpint (park_server_info_get_n_lots (info), >, 10);
  g_assert_true (park_server_info_get_has_bounds (info));
  g_assert_cmpfloat (park_server_info_get_min_latitude (info), <, ALTMARKT_LAT);
  g_assert_cmpfloat (park_server_info_get_max_latitude (info), >, ALTMARKT_LAT);
  g_assert_cmpfloat (park_server_info_get_min_longitude (info), <, ALTMARKT_LNG);
  g_assert_cmpfloat (park_server_info_get_max_longitude (info), >, ALTMARKT_LNG);
}

static void
test_user (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(ParkTestResponse) registered =
    park_test_call (f->backend, NULL, "POST", "api/v1/auth/register",
                    "{\"email\":\"Models@Example.org\",\"password\":\"correct horse battery\","
                    "\"first_name\":\"Mo\",\"phone\":\"+49 351 1234567\"}");
  const char *token;
  g_autoptr(ParkTestResponse) me = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkUser) user = NULL;

  g_assert_cmpuint (registered->status, ==, 201);
  token = json_object_get_string_member (park_test_response_object (registered),
                                         "access_token");
  me = park_test_call (f->backend, token, "GET", "api/v1/users/me", NULL);
  g_assert_cmpuint (me->status, ==, 200);
  user = park_user_new_from_json (park_test_response_object (me), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_user_get_email (user), ==, "models@example.org");
  g_assert_cmpstr (park_user_get_first_name (user), ==, "Mo");
  g_assert_cmpstr (park_user_get_last_name (user), ==, "");
  g_assert_cmpstr (park_user_get_phone (user), ==, "+493511234567");
  g_assert_cmpint (park_user_get_role (user), ==, PARK_USER_ROLE_DRIVER);
  g_assert_null (park_user_get_operator_id (user));
  g_assert_false (park_user_get_disabled (user));
}

/* @text as a JSON object (the tests' own, mutable). */
static JsonObject *
object_of_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static void
assert_invalid (GError     *error,
                const char *field)
{
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_INVALID_RESPONSE);
  g_assert_cmpstr (park_client_error_get_field (error), ==, field);
}

#define STEP(start) \
  "{\"start\":\"" start "\",\"end\":\"2025-03-09T01:00:00Z\",\"measured_seconds\":3600," \
  "\"occupancy\":0.5,\"by_type\":{\"regular\":0.5,\"disabled\":null,\"ev\":1," \
  "\"compact\":null,\"motorcycle\":null}}"

/* The administration's models: read whole, and refused naming the member, nested ones by
 * their path. */
static void
test_admin_models (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) discount = object_of_text (
    "{\"id\":\"4f6e1c1e-0000-4000-8000-000000000001\",\"operator_id\":\"op\",\"code\":\"TEN\","
    "\"percent_off\":10,\"amount_off\":null,\"max_uses\":null,\"uses\":3,\"expires_at\":null,"
    "\"created_at\":\"2025-03-09T10:00:00Z\"}");
  g_autoptr(JsonObject) occupancy = object_of_text (
    "{\"lot_id\":\"l\",\"lot_name\":\"Altmarkt\",\"operator_id\":\"o\",\"operator_slug\":\"d\","
    "\"time_zone\":\"Europe/Berlin\",\"from\":\"2025-03-09T00:00:00Z\","
    "\"to\":\"2025-03-09T02:00:00Z\",\"step\":\"1h\",\"step_seconds\":3600,\"steps\":["
    STEP ("2025-03-09T00:00:00Z") "," STEP ("2025-03-09T01:00:00Z") "]}");
  g_autoptr(JsonObject) series = object_of_text (
    "{\"operator_id\":\"o\",\"operator_slug\":\"d\",\"operator_name\":\"D\","
    "\"time_zone\":\"Europe/Berlin\",\"currency\":\"EUR\",\"lots\":[{\"lot_id\":\"l\","
    "\"lot_name\":\"Altmarkt\",\"payments\":2,\"gross\":900,\"refunds\":1,\"refunded\":400,"
    "\"net\":500}],\"total\":{\"payments\":2,\"gross\":900,\"refunds\":1,\"refunded\":400,"
    "\"net\":500}}");
  g_autoptr(JsonObject) audit = object_of_text (
    "{\"id\":7,\"at\":\"2025-03-09T10:00:00Z\",\"actor_id\":null,\"action\":\"lot.update\","
    "\"object_type\":\"lot\",\"object_id\":\"l\",\"operator_id\":\"o\",\"client\":\"::1\","
    "\"detail\":{\"status\":\"closed\"}}");
  g_autoptr(ParkDiscount) d = NULL, d_bad = NULL;
  g_autoptr(ParkOccupancyReport) o = NULL, o_bad = NULL;
  g_autoptr(ParkRevenueSeries) r = NULL, r_bad = NULL;
  g_autoptr(ParkAuditEntry) a = NULL, a_bad = NULL;
  g_autoptr(ParkOccupancyStep) second = NULL;
  g_autoptr(ParkRevenueRow) row = NULL;

  d = park_discount_new_from_json (discount, &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_discount_get_percent_off (d), ==, 10);
  g_assert_cmpint (park_discount_get_amount_off (d), ==, -1);
  g_assert_cmpint (park_discount_get_max_uses (d), ==, -1);
  g_assert_null (park_discount_get_expires_at (d));
  json_object_remove_member (discount, "uses");
  d_bad = park_discount_new_from_json (discount, &error);
  g_assert_null (d_bad);
  assert_invalid (error, "uses");
  g_clear_error (&error);

  o = park_occupancy_report_new_from_json (occupancy, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (park_occupancy_report_get_steps (o)), ==, 2);
  second = g_list_model_get_item (park_occupancy_report_get_steps (o), 1);
  g_assert_cmpfloat (park_occupancy_step_get_ev (second), ==, 1.0);
  g_assert_cmpfloat (park_occupancy_step_get_disabled (second), ==, -1.0);
  json_object_set_string_member (
    json_array_get_object_element (json_object_get_array_member (occupancy, "steps"), 1),
    "start", "yesterday");
  o_bad = park_occupancy_report_new_from_json (occupancy, &error);
  g_assert_null (o_bad);
  assert_invalid (error, "steps.1.start");
  g_clear_error (&error);

  r = park_revenue_series_new_from_json (series, &error);
  g_assert_no_error (error);
  g_assert_cmpint (park_revenue_series_get_net (r), ==, 500);
  row = g_list_model_get_item (park_revenue_series_get_rows (r), 0);
  g_assert_cmpstr (park_revenue_row_get_lot_name (row), ==, "Altmarkt");
  g_assert_null (park_revenue_row_get_date (row));
  json_object_set_string_member (json_object_get_object_member (series, "total"), "net", "500");
  r_bad = park_revenue_series_new_from_json (series, &error);
  g_assert_null (r_bad);
  assert_invalid (error, "total.net");
  g_clear_error (&error);

  a = park_audit_entry_new_from_json (audit, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_audit_entry_get_detail (a), ==, "{\"status\":\"closed\"}");
  g_assert_null (park_audit_entry_get_actor_id (a));
  json_object_set_string_member (audit, "detail", "closed");
  a_bad = park_audit_entry_new_from_json (audit, &error);
  g_assert_null (a_bad);
  assert_invalid (error, "detail");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/core/models/lots", test_lots);
  ADD ("/core/models/lot-hours", test_lot_hours);
  ADD ("/core/models/lot-malformed", test_lot_malformed);
  ADD ("/core/models/lot-apply-availability", test_lot_apply_availability);
  ADD ("/core/models/spots", test_spots);
  ADD ("/core/models/quote", test_quote);
  ADD ("/core/models/info", test_info);
  ADD ("/core/models/user", test_user);
  ADD ("/core/models/admin", test_admin_models);
#undef ADD

  return g_test_run ();
}
