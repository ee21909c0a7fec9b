/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-client-admin-errors.c: what the operator pages' calls (park-client-admin.c and
 * park-client-reports.c) make of a broken server. Each answer starts from what the real
 * parkd answered to the same call; a SoupServer in this test serves it as it was (the call
 * must succeed, so the case can fail), then with one member missing or of the wrong kind, then
 * as garbage. Every call must end with PARK_CLIENT_ERROR_INVALID_RESPONSE, naming the member
 * where there is one: never a crash, never an object of zeros. The fake is a broken server,
 * not any of our code.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <park-core.h>

#include "park-test-backend.h"
#include "park-test-utils.h"

#include <math.h>
#include <string.h>

#define WAIT_S 30
#define PASSWORD "correct horse battery"
#define OPERATOR "dresden-parking"

/* The real answers, by name. */
typedef struct
{
  GHashTable *bodies;   /* name → JsonNode */
  char       *lot_id;
} RealAnswers;

typedef struct
{
  SoupServer *server;
  GHashTable *answers;  /* "METHOD /path" → body (the content type is always JSON) */
  ParkClient *client;
  char       *url;
} Fake;

/* A call: starts it against @client and waits; returns what _finish returned. */
typedef gpointer (*RunCall) (ParkClient *client, const char *lot_id, GError **error);

#define AWAIT(result) park_test_await (&(result), WAIT_S)

/* The calls */

static GDateTime *
day_ago (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_add_days (now, -1);
}

#define SIMPLE_RUN(fn, start, finish_fn) \
  static gpointer \
  fn (ParkClient *client, const char *lot_id, GError **error) \
  { \
    g_autoptr(GAsyncResult) r = NULL; \
    g_autoptr(GDateTime) from = day_ago (); \
    g_autoptr(GDateTime) to = g_date_time_add_days (from, 1); \
    (void) from; (void) to; (void) lot_id; \
    start; \
    return finish_fn (client, AWAIT (r), error); \
  }

SIMPLE_RUN (run_list_operators,
            park_client_list_operators_async (client, NULL, park_test_result_cb, &r),
            park_client_list_operators_finish)
SIMPLE_RUN (run_create_operator,
            park_client_create_operator_async (client, "elbe", "Elbe GmbH", "Dresden",
                                               "Europe/Berlin", "EUR", NULL,
                                               park_test_result_cb, &r),
            park_client_create_operator_finish)
SIMPLE_RUN (run_list_managed_lots,
            park_client_list_managed_lots_async (client, OPERATOR, NULL, park_test_result_cb, &r),
            park_client_list_managed_lots_finish)
SIMPLE_RUN (run_get_managed_lot,
            park_client_get_managed_lot_async (client, lot_id, NULL, park_test_result_cb, &r),
            park_client_get_managed_lot_finish)
SIMPLE_RUN (run_create_lot,
            park_client_create_lot_async (client, OPERATOR, "P", "Weg 1", NULL, 51, 13.7,
                                          PARK_LOT_TYPE_SURFACE, 100, NULL, NULL, NULL, 0, NULL,
                                          park_test_result_cb, &r),
            park_client_create_lot_finish)
SIMPLE_RUN (run_update_lot,
            park_client_update_lot_async (client, lot_id, "P", NULL, NULL, NAN, NAN, -1, -1, -1,
                                          NULL, NULL, NULL, park_test_result_cb, &r),
            park_client_update_lot_finish)
SIMPLE_RUN (run_get_pricing,
            park_client_get_pricing_async (client, lot_id, NULL, park_test_result_cb, &r),
            park_client_get_pricing_finish)
SIMPLE_RUN (run_create_spot,
            park_client_create_spot_async (client, lot_id, "Z-1", PARK_SPOT_TYPE_EV, 0,
                                           PARK_SPOT_STATE_AVAILABLE, NULL,
                                           park_test_result_cb, &r),
            park_client_create_spot_finish)
SIMPLE_RUN (run_update_spot,
            park_client_update_spot_async (client, "7d1f6e4e-46a2-4b0c-9a55-1b1f0f3a2b11", NULL,
                                           -1, G_MININT, PARK_SPOT_STATE_OUT_OF_SERVICE, NULL,
                                           park_test_result_cb, &r),
            park_client_update_spot_finish)
SIMPLE_RUN (run_list_staff,
            park_client_list_staff_async (client, OPERATOR, NULL, park_test_result_cb, &r),
            park_client_list_staff_finish)
SIMPLE_RUN (run_create_staff,
            park_client_create_staff_async (client, "x@example.org", PASSWORD,
                                            PARK_USER_ROLE_ATTENDANT, NULL, NULL, OPERATOR, NULL,
                                            park_test_result_cb, &r),
            park_client_create_staff_finish)
SIMPLE_RUN (run_update_staff,
            park_client_update_staff_async (client, "f3dcf30e-e0db-43a3-a43a-d4cfce3c4a43", -1, 1,
                                            NULL, NULL, NULL, park_test_result_cb, &r),
            park_client_update_staff_finish)
SIMPLE_RUN (run_list_discounts,
            park_client_list_discounts_async (client, OPERATOR, NULL, park_test_result_cb, &r),
            park_client_list_discounts_finish)
SIMPLE_RUN (run_create_discount,
            park_client_create_discount_async (client, OPERATOR, "WINTER5", 5, -1, -1, NULL, NULL,
                                               park_test_result_cb, &r),
            park_client_create_discount_finish)
SIMPLE_RUN (run_list_audit_log,
            park_client_list_audit_log_async (client, NULL, 0, NULL, park_test_result_cb, &r),
            park_client_list_audit_log_finish)
SIMPLE_RUN (run_list_sensors,
            park_client_list_sensors_async (client, OPERATOR, NULL, park_test_result_cb, &r),
            park_client_list_sensors_finish)
SIMPLE_RUN (run_create_sensor,
            park_client_create_sensor_async (client, OPERATOR, "Gate 9", NULL, NULL,
                                             park_test_result_cb, &r),
            park_client_create_sensor_finish)
SIMPLE_RUN (run_cash_report,
            park_client_get_cash_report_async (client, OPERATOR, NULL, from, to, NULL,
                                               park_test_result_cb, &r),
            park_client_get_cash_report_finish)
SIMPLE_RUN (run_occupancy,
            park_client_get_occupancy_async (client, lot_id, from, to, NULL, OPERATOR, NULL,
                                             park_test_result_cb, &r),
            park_client_get_occupancy_finish)
SIMPLE_RUN (run_revenue,
            park_client_get_revenue_async (client, from, to, PARK_REVENUE_GROUP_DAY, OPERATOR,
                                           NULL, park_test_result_cb, &r),
            park_client_get_revenue_finish)
SIMPLE_RUN (run_stays,
            park_client_get_stays_report_async (client, NULL, from, to, OPERATOR, NULL,
                                                park_test_result_cb, &r),
            park_client_get_stays_report_finish)

static gpointer
run_set_pricing (ParkClient  *client,
                 const char  *lot_id,
                 GError     **error)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(ParkPricing) pricing = NULL;
  g_autoptr(GError) local = NULL;

  /* The GET is served as parkd answered it; only the PUT's answer is broken. */
  park_client_get_pricing_async (client, lot_id, NULL, park_test_result_cb, &r1);
  pricing = park_client_get_pricing_finish (client, AWAIT (r1), &local);
  g_assert_no_error (local);
  park_client_set_pricing_async (client, lot_id, pricing, NULL, park_test_result_cb, &r2);
  return park_client_set_pricing_finish (client, AWAIT (r2), error);
}

static gpointer
run_import (ParkClient  *client,
            const char  *lot_id,
            GError     **error)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"type\":\"FeatureCollection\",\"features\":[]}",
                                               41);

  park_client_import_lots_async (client, OPERATOR, 100, body, NULL, park_test_result_cb, &r);
  return park_client_import_lots_finish (client, AWAIT (r), error);
}

/* The cases */

typedef struct
{
  const char *name;         /* of the real answer */
  const char *method;       /* what the fake answers */
  const char *path;         /* below /api/v1/admin/, {lot} for the lot's id */
  RunCall     run;
  const char *member;       /* dotted path to break, or NULL for garbage only */
  gboolean    remove;       /* remove it, or make it a wrong kind (an array) */
} Case;

static const Case cases[] = {
  { "operators", "GET", "operators", run_list_operators, "items.0.slug", TRUE },
  { "operator", "POST", "operators", run_create_operator, "time_zone", FALSE },
  { "lots", "GET", "parking-lots", run_list_managed_lots, "items.0.operating_hours.tue", TRUE },
  { "lot", "GET", "parking-lots/{lot}", run_get_managed_lot, "location", TRUE },
  { "lot", "POST", "parking-lots", run_create_lot, "status", FALSE },
  { "lot", "PATCH", "parking-lots/{lot}", run_update_lot, "amenities", TRUE },
  { "pricing", "GET", "parking-lots/{lot}/pricing", run_get_pricing,
    "effective.increment_minutes", FALSE },
  { "pricing", "PUT", "parking-lots/{lot}/pricing", run_set_pricing, "currency", TRUE },
  { "spot", "POST", "parking-lots/{lot}/spots", run_create_spot, "state", FALSE },
  { "spot", "PATCH", "spots/7d1f6e4e-46a2-4b0c-9a55-1b1f0f3a2b11", run_update_spot, "number",
    TRUE },
  { "staff", "GET", "staff", run_list_staff, "items.0.role", FALSE },
  { "user", "POST", "staff", run_create_staff, "email", TRUE },
  { "user", "PATCH", "staff/f3dcf30e-e0db-43a3-a43a-d4cfce3c4a43", run_update_staff,
    "disabled", FALSE },
  { "discounts", "GET", "discount-codes", run_list_discounts, "items.0.code", TRUE },
  { "discount", "POST", "discount-codes", run_create_discount, "uses", FALSE },
  { "audit", "GET", "audit-log", run_list_audit_log, "items.0.at", FALSE },
  { "sensors", "GET", "sensors", run_list_sensors, "items.0.name", TRUE },
  { "sensor", "POST", "sensors", run_create_sensor, "created_at", FALSE },
  { "cash", "GET", "cash-report", run_cash_report, "total", TRUE },
  { "occupancy", "GET", "analytics/occupancy", run_occupancy, "steps.0.start", FALSE },
  { "revenue", "GET", "analytics/revenue", run_revenue, "series.0.total", TRUE },
  { "stays", "GET", "analytics/stays", run_stays, "spots", FALSE },
  { NULL, "POST", "parking-lots/import", run_import, NULL, FALSE },
};

static JsonNode *
real (ParkTestBackend *backend,
      const char      *token,
      const char      *method,
      const char      *path,
      const char      *body,
      guint            status)
{
  g_autoptr(ParkTestResponse) response = park_test_call (backend, token, method, path, body);

  if (response->status != status)
    g_error ("%s %s answered %u, not %u", method, path, response->status, status);
  return json_node_copy (response->json);
}

/* What the real parkd answers to each call, with a lot, a discount code, a sensor and a member
 * of staff in the demo city. */
static RealAnswers *
real_answers (void)
{
  static const char * const args[] = { "--demo", "--auth-rate-limit", "0", NULL };
  static const char * const admin[] = { "--email", "ada@example.org", "--role", "admin", NULL };
  g_autoptr(ParkTestBackend) backend = park_test_backend_new ();
  g_autoptr(GDateTime) from = day_ago ();
  g_autoptr(GDateTime) to = g_date_time_add_days (from, 1);
  g_autofree char *from_text = g_date_time_format_iso8601 (from);
  g_autofree char *to_text = g_date_time_format_iso8601 (to);
  g_autoptr(JsonNode) login = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  RealAnswers *answers = g_new0 (RealAnswers, 1);
  JsonNode *lots, *spots;
  JsonArray *items;

  answers->bodies = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) json_node_unref);
  park_test_backend_start (backend, args);
  g_assert_cmpint (park_test_user_add (backend, admin, PASSWORD), ==, 0);
  login = real (backend, NULL, "POST", "api/v1/auth/login",
                "{\"email\":\"ada@example.org\",\"password\":\"" PASSWORD "\"}", 200);
  token = g_strdup (json_object_get_string_member (json_node_get_object (login), "access_token"));

#define KEEP(name, node) g_hash_table_insert (answers->bodies, (gpointer) name, node)
  KEEP ("operators", real (backend, token, "GET", "api/v1/admin/operators", NULL, 200));
  KEEP ("operator", json_node_copy (json_array_get_element (json_object_get_array_member (
    json_node_get_object (g_hash_table_lookup (answers->bodies, "operators")), "items"), 0)));
  lots = real (backend, token, "GET", "api/v1/admin/parking-lots?operator=" OPERATOR, NULL, 200);
  KEEP ("lots", lots);
  items = json_object_get_array_member (json_node_get_object (lots), "items");
  answers->lot_id = g_strdup (json_object_get_string_member (
    json_array_get_object_element (items, 0), "id"));
  path = g_strconcat ("api/v1/admin/parking-lots/", answers->lot_id, NULL);
  KEEP ("lot", real (backend, token, "GET", path, NULL, 200));
  g_free (path);
  path = g_strconcat ("api/v1/admin/parking-lots/", answers->lot_id, "/pricing", NULL);
  KEEP ("pricing", real (backend, token, "GET", path, NULL, 200));
  g_free (path);
  path = g_strconcat ("api/v1/parking-lots/", answers->lot_id, "/spots", NULL);
  spots = real (backend, NULL, "GET", path, NULL, 200);
  KEEP ("spot", json_node_copy (json_array_get_element (json_object_get_array_member (
    json_node_get_object (spots), "items"), 0)));
  json_node_unref (spots);
  g_free (path);
  KEEP ("user", real (backend, token, "POST", "api/v1/admin/staff",
                      "{\"operator\":\"" OPERATOR "\",\"email\":\"sam@example.org\",\"password\":\""
                      PASSWORD "\",\"role\":\"attendant\",\"first_name\":\"Sam\"}", 201));
  KEEP ("staff", real (backend, token, "GET", "api/v1/admin/staff?operator=" OPERATOR, NULL, 200));
  KEEP ("discount", real (backend, token, "POST", "api/v1/admin/discount-codes",
                          "{\"operator\":\"" OPERATOR "\",\"code\":\"SUMMER10\",\"percent_off\":10}",
                          201));
  KEEP ("discounts", real (backend, token, "GET", "api/v1/admin/discount-codes?operator=" OPERATOR,
                           NULL, 200));
  KEEP ("sensor", real (backend, token, "POST", "api/v1/admin/sensors",
                        "{\"operator\":\"" OPERATOR "\",\"name\":\"Gate 1\"}", 201));
  KEEP ("sensors", real (backend, token, "GET", "api/v1/admin/sensors?operator=" OPERATOR, NULL,
                         200));
  KEEP ("audit", real (backend, token, "GET", "api/v1/admin/audit-log", NULL, 200));
  path = g_strdup_printf ("api/v1/admin/cash-report?operator=%s&from=%s&to=%s", OPERATOR,
                          from_text, to_text);
  KEEP ("cash", real (backend, token, "GET", path, NULL, 200));
  g_free (path);
  path = g_strdup_printf ("api/v1/admin/analytics/occupancy?lot_id=%s&from=%s&to=%s",
                          answers->lot_id, from_text, to_text);
  KEEP ("occupancy", real (backend, token, "GET", path, NULL, 200));
  g_free (path);
  path = g_strdup_printf ("api/v1/admin/analytics/revenue?operator=%s&from=%s&to=%s", OPERATOR,
                          from_text, to_text);
  KEEP ("revenue", real (backend, token, "GET", path, NULL, 200));
  g_free (path);
  path = g_strdup_printf ("api/v1/admin/analytics/stays?operator=%s&from=%s&to=%s", OPERATOR,
                          from_text, to_text);
  KEEP ("stays", real (backend, token, "GET", path, NULL, 200));
#undef KEEP
  return answers;
}

static void
real_answers_free (RealAnswers *answers)
{
  g_hash_table_unref (answers->bodies);
  g_free (answers->lot_id);
  g_free (answers);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RealAnswers, real_answers_free)

/* The fake server */

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           data)
{
  Fake *f = data;
  g_autofree char *key = g_strdup_printf ("%s %s", soup_server_message_get_method (msg), path);
  const char *body = g_hash_table_lookup (f->answers, key);

  if (body == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  soup_server_message_set_status (msg, g_str_equal (soup_server_message_get_method (msg), "POST") &&
                                       !g_str_has_suffix (path, "/login") ? 201 : 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

static void
serve (Fake       *f,
       const char *method,
       const char *path,
       const char *body)
{
  g_hash_table_replace (f->answers, g_strdup_printf ("%s %s", method, path), g_strdup (body));
}

static Fake *
fake_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  Fake *f = g_new0 (Fake, 1);
  GSList *uris;

  f->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, handler_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  f->client = park_client_new (f->url, NULL);

  /* Signed in, so the admin calls are sent at all. */
  serve (f, "POST", "/api/v1/auth/login",
         "{\"access_token\":\"a.b.c\",\"refresh_token\":\"r.s.t\",\"token_type\":\"Bearer\","
         "\"expires_in\":900}");
  park_client_sign_in_async (f->client, "ada@example.org", PASSWORD, NULL, park_test_result_cb,
                             &result);
  g_assert_true (park_client_sign_in_finish (f->client, AWAIT (result), &error));
  g_assert_no_error (error);
  return f;
}

static void
fake_free (Fake *f)
{
  g_clear_object (&f->client);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_hash_table_unref (f->answers);
  g_free (f->url);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fake, fake_free)

/* @node with the member at dotted @path removed or made an array. */
static char *
broken (JsonNode   *node,
        const char *path,
        gboolean    remove)
{
  /* A deep copy: json_node_copy() shares the objects inside. */
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(JsonNode) copy = json_from_string (text, NULL);
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *at = copy;
  guint n = g_strv_length (parts);

  for (guint i = 0; i + 1 < n; i++)
    {
      if (JSON_NODE_HOLDS_ARRAY (at))
        at = json_array_get_element (json_node_get_array (at), atoi (parts[i]));
      else
        at = json_object_get_member (json_node_get_object (at), parts[i]);
      g_assert_nonnull (at);
    }
  g_assert_true (JSON_NODE_HOLDS_OBJECT (at));
  g_assert_true (json_object_has_member (json_node_get_object (at), parts[n - 1]));
  if (remove)
    json_object_remove_member (json_node_get_object (at), parts[n - 1]);
  else
    json_object_set_array_member (json_node_get_object (at), parts[n - 1], json_array_new ());
  return json_to_string (copy, FALSE);
}

static void
assert_invalid (const Case  *c,
                gpointer     result,
                GError      *error,
                const char  *field)
{
  if (result != NULL)
    g_error ("%s %s: a broken answer gave a result", c->method, c->path);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_INVALID_RESPONSE);
  g_assert_cmpstr (park_client_error_get_field (error), ==, field);
  /* A sentence for people, not an empty one. */
  g_assert_cmpuint (strlen (error->message), >, 20);
}

static void
test_broken_answers (void)
{
  static const char * const garbage[] = {
    "[]", "\"a string\"", "{\"items\": 5}", "{\"id\": ", "   ", "<html>It works!</html>", "{}",
  };
  g_autoptr(RealAnswers) answers = real_answers ();
  g_autoptr(Fake) f = fake_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr(GString) path = g_string_new ("/api/v1/admin/");
      JsonNode *good = c->name != NULL ? g_hash_table_lookup (answers->bodies, c->name) : NULL;

      g_string_append (path, c->path);
      g_string_replace (path, "{lot}", answers->lot_id, 0);
      g_test_message ("%s %s", c->method, path->str);
      if (g_str_equal (c->method, "PUT"))
        {
          /* set_pricing reads the lot's pricing first, as parkd gave it. */
          g_autofree char *text = json_to_string (good, FALSE);

          serve (f, "GET", path->str, text);
        }

      if (good != NULL)
        {
          g_autofree char *text = json_to_string (good, FALSE);
          g_autofree char *bad = broken (good, c->member, c->remove);
          g_autoptr(GError) error = NULL;
          gpointer result;

          /* As parkd answered: read. */
          serve (f, c->method, path->str, text);
          result = c->run (f->client, answers->lot_id, &error);
          g_assert_no_error (error);
          g_assert_nonnull (result);
          g_object_unref (result);

          /* One member missing or of the wrong kind: named. */
          serve (f, c->method, path->str, bad);
          result = c->run (f->client, answers->lot_id, &error);
          assert_invalid (c, result, error, c->member);
        }

      for (guint k = 0; k < G_N_ELEMENTS (garbage); k++)
        {
          g_autoptr(GError) error = NULL;
          gpointer result;

          serve (f, c->method, path->str, garbage[k]);
          result = c->run (f->client, answers->lot_id, &error);
          if (result != NULL)
            g_error ("%s %s: «%s» gave a result", c->method, path->str, garbage[k]);
          g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_INVALID_RESPONSE);
        }
    }
}

/* A policy the client cannot read as periods is a broken answer, not an empty policy. */
static void
test_broken_pricing_rules (void)
{
  static const char * const policies[][2] = {
    { "{\"periods\":[{\"days\":[\"mon\"],\"from\":\"25:00\",\"to\":\"10:00\",\"multiplier\":2}]}",
      "policy.periods.0.from" },
    { "{\"periods\":[{\"days\":[\"someday\"],\"from\":\"08:00\",\"to\":\"10:00\",\"multiplier\":2}]}",
      "policy.periods.0.days" },
    { "{\"periods\":[{\"days\":[\"mon\"],\"from\":\"08:00\",\"to\":\"10:00\",\"multiplier\":\"2\"}]}",
      "policy.periods.0.multiplier" },
    { "{\"events\":[{\"from\":\"2031-03-14 08:00\",\"to\":\"2031-03-15T08:00\",\"multiplier\":2}]}",
      "policy.events.0.from" },
    { "{\"events\":[{\"from\":\"2031-03-14T08:00\",\"to\":\"2031-03-13T08:00\",\"multiplier\":2}]}",
      "policy.events.0.to" },
    { "{\"demand\":{\"steps\":[{\"min_share\":1.5,\"multiplier\":2}]}}",
      "policy.demand.steps.0.min_share" },
    { "{\"demand\":{\"steps\":[{\"max_share\":0.5,\"multiplier\":0}]}}",
      "policy.demand.steps.0.multiplier" },
  };
  g_autoptr(Fake) f = fake_new ();

  for (guint i = 0; i < G_N_ELEMENTS (policies); i++)
    {
      g_autofree char *body = g_strdup_printf (
        "{\"policy\":%s,\"effective\":{\"rates\":{\"regular\":200,\"ev\":200,\"disabled\":200,"
        "\"compact\":200,\"motorcycle\":200},\"increment_minutes\":15,\"daily_max\":null,"
        "\"tax_rate\":0,\"grace_minutes\":10,\"exit_grace_minutes\":15,\"lost_ticket_fee\":0,"
        "\"hold_minutes\":10},\"currency\":\"EUR\",\"time_zone\":\"Europe/Berlin\"}",
        policies[i][0]);
      g_autoptr(GError) error = NULL;
      g_autoptr(ParkPricing) pricing = NULL;
      static const Case pricing_case = { "pricing", "GET", "parking-lots/{lot}/pricing",
                                         run_get_pricing, NULL, FALSE };

      serve (f, "GET", "/api/v1/admin/parking-lots/L/pricing", body);
      pricing = run_get_pricing (f->client, "L", &error);
      assert_invalid (&pricing_case, pricing, error, policies[i][1]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core/client/admin-errors/broken-answers", test_broken_answers);
  g_test_add_func ("/core/client/admin-errors/broken-pricing-rules", test_broken_pricing_rules);

  return g_test_run ();
}
