/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Every way a client can get a request wrong, answered the way the API promises: the status,
 * the problem's "code" and "field", application/problem+json, Allow for 405 and the request id
 * in both the X-Request-Id header and the body. Then the limits parkd enforces on connections
 * (too many, too slow, too large), checked on raw sockets, and that none of it hurts the server.
 */
#include "park-test-backend.h"

#include <string.h>

#define UNKNOWN_ID "00000000-0000-4000-8000-000000000000"
#define MIB        (1024 * 1024)

typedef struct
{
  ParkTestBackend *backend;
  const char      *request_id;   /* sent as X-Request-Id when not NULL */
  char            *lot_id;       /* a real lot, with --demo */
} Fixture;

/* One request answered with a problem: the path (with its query) or the body sent. */
typedef struct
{
  const char *name;
  const char *request;
  guint       status;
  const char *code;
  const char *field;
} ProblemCase;

/* ---- the answers' common shape ----------------------------------------------------------- */

static const char *
response_header (ParkTestResponse *response,
                 const char       *name)
{
  return soup_message_headers_get_one (response->headers, name);
}

/* A problem as the API promises it, carrying the X-Request-Id of its answer in the body. */
static void
check_problem (ParkTestResponse *response,
               guint             status,
               const char       *code,
               const char       *field)
{
  const char *header_id = response_header (response, "X-Request-Id");

  park_test_assert_problem (response, status, code, field);
  g_assert_nonnull (header_id);
  g_assert_cmpstr (header_id, !=, "");
  g_assert_cmpstr (json_object_get_string_member_with_default (
                     park_test_response_object (response), "request_id", NULL),
                   ==, header_id);
}

static void
assert_get_problem (Fixture    *f,
                    const char *path,
                    guint       status,
                    const char *code,
                    const char *field)
{
  g_autoptr(ParkTestResponse) response = park_test_get (f->backend, "%s", path);

  g_test_message ("GET %s -> %u %s", path, response->status, response->content_type);
  check_problem (response, status, code, field);
}

static void
assert_search_problem (Fixture    *f,
                       const char *query,
                       const char *code,
                       const char *field)
{
  g_autofree char *path = g_strconcat ("api/v1/parking-lots?", query, NULL);

  assert_get_problem (f, path, 400, code, field);
}

static ParkTestResponse *
post_availability (ParkTestBackend *backend,
                   const char      *content_type,
                   const char      *body,
                   gssize           len)
{
  return park_test_request (backend, "POST", "api/v1/parking-lots/availability", content_type,
                            body, len);
}

static void
assert_body_problem (Fixture    *f,
                     const char *body,
                     guint       status,
                     const char *code,
                     const char *field)
{
  g_autoptr(ParkTestResponse) response = post_availability (f->backend, "application/json",
                                                            body, -1);

  check_problem (response, status, code, field);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* "GET, HEAD" and "HEAD,GET" name the same methods. */
static char *
method_set (const char *list)
{
  g_auto(GStrv) parts = g_strsplit (list, ",", -1);
  g_autoptr(GPtrArray) methods = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    g_ptr_array_add (methods, g_strstrip (parts[i]));
  g_ptr_array_sort (methods, compare_strings);
  g_ptr_array_add (methods, NULL);
  return g_strjoinv (",", (char **) methods->pdata);
}

static void
assert_method_not_allowed (Fixture    *f,
                           const char *method,
                           const char *path,
                           const char *allowed)
{
  g_autoptr(ParkTestResponse) response = NULL;
  g_autofree char *got = NULL;
  g_autofree char *want = method_set (allowed);
  const char *allow;

  if (g_str_equal (method, "POST") || g_str_equal (method, "PUT"))
    response = park_test_request (f->backend, method, path, "application/json",
                                  "{\"lot_ids\":[\"" UNKNOWN_ID "\"]}", -1);
  else
    response = park_test_request (f->backend, method, path, NULL, NULL, 0);
  check_problem (response, 405, "method-not-allowed", NULL);
  allow = response_header (response, "Allow");
  g_assert_nonnull (allow);
  got = method_set (allow);
  g_test_message ("%s %s: Allow: %s", method, path, allow);
  g_assert_cmpstr (got, ==, want);
}

static void
assert_healthy (ParkTestBackend *backend)
{
  g_autoptr(ParkTestResponse) health = park_test_get (backend, "health");
  g_autoptr(ParkTestResponse) ready = park_test_get (backend, "ready");

  g_assert_cmpuint (health->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (park_test_response_object (health), "status"),
                   ==, "ok");
  g_assert_cmpuint (ready->status, ==, 200);
}

static gint64
count_lots (ParkTestBackend *backend)
{
  g_autoptr(ParkTestResponse) info = park_test_get (backend, "api/v1/info");
  JsonObject *counts;

  g_assert_cmpuint (info->status, ==, 200);
  counts = json_object_get_object_member (park_test_response_object (info), "counts");
  g_assert_nonnull (counts);
  return json_object_get_int_member (counts, "lots");
}

/* ---- fixtures ---------------------------------------------------------------------------- */

static void
on_request_queued (SoupSession *session,
                   SoupMessage *msg,
                   gpointer     data)
{
  Fixture *f = data;

  if (f->request_id != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Request-Id",
                                  f->request_id);
}

static void
start_with (Fixture            *f,
            const char * const *args)
{
  f->backend = park_test_backend_new ();
  g_signal_connect (f->backend->session, "request-queued", G_CALLBACK (on_request_queued), f);
  park_test_backend_start (f->backend, args);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  start_with (f, NULL);
}

static void
fixture_setup_demo (Fixture       *f,
                    gconstpointer  data)
{
  const char *args[] = { "--demo", NULL };
  g_autoptr(ParkTestResponse) lots = NULL;
  JsonArray *items;

  start_with (f, args);
  lots = park_test_get (f->backend, "api/v1/parking-lots?lat=51.0504&lng=13.7373&radius=5000");
  g_assert_cmpuint (lots->status, ==, 200);
  items = json_object_get_array_member (park_test_response_object (lots), "items");
  g_assert_cmpuint (json_array_get_length (items), >, 0);
  f->lot_id = g_strdup (json_object_get_string_member (json_array_get_object_element (items, 0),
                                                       "id"));
  g_assert_nonnull (f->lot_id);
}

static void
fixture_setup_conn_limit (Fixture       *f,
                          gconstpointer  data)
{
  const char *args[] = { "--max-client-connections", "4", NULL };

  start_with (f, args);
}

/* parkd behind nginx on the same machine: 127.0.0.1 is the proxy. */
static void
fixture_setup_proxy (Fixture       *f,
                     gconstpointer  data)
{
  const char *args[] = {
    "--max-client-connections", "4", "--trusted-proxies", "192.0.2.1, 127.0.0.1",
    "--rate-limit", "1", "--rate-burst", "2", NULL
  };

  start_with (f, args);
}

/* The same, with the proxies given as networks, as where their addresses change (an ingress
 * controller's pods in Kubernetes). */
static void
fixture_setup_proxy_network (Fixture       *f,
                             gconstpointer  data)
{
  const char *args[] = {
    "--max-client-connections", "4", "--trusted-proxies", "192.0.2.0/24, 127.0.0.0/8",
    "--rate-limit", "1", "--rate-burst", "2", NULL
  };

  start_with (f, args);
}

static void
fixture_setup_timeout (Fixture       *f,
                       gconstpointer  data)
{
  const char *args[] = { "--request-timeout", "1", NULL };

  start_with (f, args);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* On SIGTERM parkd waits out its whole 5 s grace period for an idle keep-alive connection
   * (h2o's request_shutdown does not close idle HTTP/1 connections); closing the client's
   * first lets each test stop at once. */
  if (f->backend != NULL)
    soup_session_abort (f->backend->session);
  g_clear_pointer (&f->backend, park_test_backend_free);
  g_clear_pointer (&f->lot_id, g_free);
}

/* ---- 1. search parameters ---------------------------------------------------------------- */

static const ProblemCase search_cases[] = {
  { "lat-out-of-range",     "lat=91&lng=1",                    400, "out-of-range", "lat" },
  { "lat-below-range",      "lat=-90.0001&lng=1",              400, "out-of-range", "lat" },
  { "lng-out-of-range",     "lat=1&lng=181",                   400, "out-of-range", "lng" },
  { "lng-below-range",      "lat=1&lng=-180.5",                400, "out-of-range", "lng" },
  { "radius-negative",      "lat=1&lng=1&radius=-5",           400, "out-of-range", "radius" },
  { "radius-huge",          "lat=1&lng=1&radius=1000000000",   400, "out-of-range", "radius" },
  { "radius-over-max",      "lat=1&lng=1&radius=100001",       400, "out-of-range", "radius" },
  { "radius-zero",          "lat=1&lng=1&radius=0",            400, "out-of-range", "radius" },
  { "page-zero",            "lat=1&lng=1&page=0",              400, "out-of-range", "page" },
  { "page-not-a-number",    "lat=1&lng=1&page=two",            400, "invalid-parameter", "page" },
  { "page-fraction",        "lat=1&lng=1&page=1.5",            400, "invalid-parameter", "page" },
  { "page-huge",            "lat=1&lng=1&page=99999999999999999999999", 400, "invalid-parameter",
    "page" },
  { "per-page-zero",        "lat=1&lng=1&per_page=0",          400, "out-of-range", "per_page" },
  { "per-page-101",         "lat=1&lng=1&per_page=101",        400, "out-of-range", "per_page" },
  { "lat-abc",              "lat=abc&lng=1",                   400, "invalid-parameter", "lat" },
  { "lat-nan",              "lat=nan&lng=1",                   400, "invalid-parameter", "lat" },
  { "lat-inf",              "lat=inf&lng=1",                   400, "invalid-parameter", "lat" },
  { "lat-hex",              "lat=0x10&lng=1",                  400, "invalid-parameter", "lat" },
  { "lat-1e400",            "lat=1e400&lng=1",                 400, "invalid-parameter", "lat" },
  { "lat-empty",            "lat=&lng=1",                      400, "invalid-parameter", "lat" },
  { "lat-trailing-text",    "lat=51.05x&lng=1",                400, "invalid-parameter", "lat" },
  { "lng-abc",              "lat=1&lng=abc",                   400, "invalid-parameter", "lng" },
  { "missing-lat-lng",      "",                                400, "missing-parameter", "lat" },
  { "only-filters",         "spot_type=ev",                    400, "missing-parameter", "lat" },
  { "lat-without-lng",      "lat=1",                           400, "missing-parameter", "lng" },
  { "lng-without-lat",      "lng=1",                           400, "missing-parameter", "lat" },
  { "unknown-parameter",    "lat=1&lng=1&radus=5",             400, "unknown-parameter", "radus" },
  { "parameter-twice",      "lat=1&lat=2&lng=1",               400, "invalid-parameter", "lat" },
  { "bbox-three-numbers",   "bbox=1,2,3",                      400, "invalid-parameter", "bbox" },
  { "bbox-five-numbers",    "bbox=1,2,3,4,5",                  400, "invalid-parameter", "bbox" },
  { "bbox-not-numbers",     "bbox=a,b,c,d",                    400, "invalid-parameter", "bbox" },
  { "bbox-empty-part",      "bbox=13,,14,52",                  400, "invalid-parameter", "bbox" },
  { "bbox-min-over-max",    "bbox=14,51,13,52",                400, "out-of-range", "bbox" },
  { "bbox-lat-min-over-max", "bbox=13,52,14,51",               400, "out-of-range", "bbox" },
  { "bbox-out-of-world",    "bbox=-181,0,0,1",                 400, "out-of-range", "bbox" },
  { "bbox-with-radius",     "bbox=13,51,14,52&radius=100",     400, "invalid-parameter", "radius" },
  { "spot-type-bus",        "lat=1&lng=1&spot_type=bus",       400, "invalid-parameter",
    "spot_type" },
  { "available-only-maybe", "lat=1&lng=1&available_only=maybe", 400, "invalid-parameter",
    "available_only" },
  /* A query string that is not percent-encoded UTF-8 has no field to blame. */
  { "percent-invalid",      "lat=%ZZ&lng=1",                   400, "invalid-parameter", NULL },
  { "percent-not-utf8",     "lat=%FF&lng=1",                   400, "invalid-parameter", NULL },
  { "name-not-utf8",        "%FF=1&lat=1&lng=1",               400, "invalid-parameter", NULL },
  { "percent-nul",          "lat=1%00&lng=1",                  400, "invalid-parameter", NULL },
};

static void
test_search_case (Fixture       *f,
                  gconstpointer  data)
{
  const ProblemCase *c = data;

  assert_search_problem (f, c->request, c->code, c->field);
}

/* The edges of every range are inside it: the refusals above are about the values. */
static void
test_search_boundaries (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const queries[] = {
    "lat=-90&lng=-180",
    "lat=90&lng=180&radius=100000&page=100000&per_page=100",
    "lat=51.05&lng=13.73&radius=1&page=1&per_page=1",
    "lat=%2B51.05&lng=13.73&spot_type=ev&available_only=true",
    "lat=51.05&lng=13.73&available_only=0&spot_type=motorcycle",
    "bbox=-180,-90,180,90",
    "bbox=13.6,51.0,13.9,51.1&lat=51.05&lng=13.73&spot_type=disabled",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(ParkTestResponse) response =
        park_test_get (f->backend, "api/v1/parking-lots?%s", queries[i]);

      g_test_message ("%s -> %u", queries[i], response->status);
      g_assert_cmpuint (response->status, ==, 200);
      g_assert_cmpstr (response->content_type, ==, "application/json");
      g_assert_true (json_object_has_member (park_test_response_object (response), "items"));
    }
}

/* ---- 2. lot routes ----------------------------------------------------------------------- */

static void
test_lot_bad_id (Fixture       *f,
                 gconstpointer  data)
{
  assert_get_problem (f, "api/v1/parking-lots/not-a-uuid", 400, "invalid-parameter", "id");
  /* One letter off a UUID, and a UUID without its dashes. */
  assert_get_problem (f, "api/v1/parking-lots/0000000g-0000-4000-8000-000000000000", 400,
                      "invalid-parameter", "id");
  assert_get_problem (f, "api/v1/parking-lots/00000000000040008000000000000000", 400,
                      "invalid-parameter", "id");
  assert_get_problem (f, "api/v1/parking-lots/not-a-uuid/spots", 400, "invalid-parameter", "id");
}

static void
test_lot_unknown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(ParkTestResponse) known = park_test_get (f->backend, "api/v1/parking-lots/%s",
                                                     f->lot_id);
  g_autofree char *upper = g_ascii_strup (f->lot_id, -1);
  g_autoptr(ParkTestResponse) known_upper = park_test_get (f->backend,
                                                           "api/v1/parking-lots/%s", upper);

  /* The control: the same route finds a real lot, in either case. */
  g_assert_cmpuint (known->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (park_test_response_object (known), "id"), ==,
                   f->lot_id);
  g_assert_cmpuint (known_upper->status, ==, 200);

  assert_get_problem (f, "api/v1/parking-lots/" UNKNOWN_ID, 404, "not-found", NULL);
  assert_get_problem (f, "api/v1/parking-lots/" UNKNOWN_ID "/spots", 404, "not-found", NULL);
}

static void
test_lot_unknown_parameter (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *path = g_strdup_printf ("api/v1/parking-lots/%s?radius=5", f->lot_id);

  assert_get_problem (f, path, 400, "unknown-parameter", "radius");
}

static void
test_spots_bad_filters (Fixture       *f,
                        gconstpointer  data)
{
  static const struct { const char *query; const char *code; const char *field; } cases[] = {
    { "state=parked",   "invalid-parameter", "state" },
    { "type=bus",       "invalid-parameter", "type" },
    { "level=x",        "invalid-parameter", "level" },
    { "level=1.5",      "invalid-parameter", "level" },
    { "level=1000",     "out-of-range",      "level" },
    { "per_page=1001",  "out-of-range",      "per_page" },
    { "page=0",         "out-of-range",      "page" },
    { "typ=ev",         "unknown-parameter", "typ" },
    { "state=occupied&state=available", "invalid-parameter", "state" },
  };
  g_autoptr(ParkTestResponse) good = park_test_get (
    f->backend, "api/v1/parking-lots/%s/spots?state=available&type=regular&level=0&per_page=1000",
    f->lot_id);

  g_assert_cmpuint (good->status, ==, 200);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("api/v1/parking-lots/%s/spots?%s", f->lot_id,
                                               cases[i].query);

      assert_get_problem (f, path, 400, cases[i].code, cases[i].field);
    }
}

/* ---- 3. routing: 404, 405, HEAD ---------------------------------------------------------- */

static void
test_unknown_path (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const paths[] = {
    "nope",
    "api/v1/parking-lot",
    "api/v2/parking-lots?lat=1&lng=1",
    "api/v1/parking-lots/",
    "api/v1/parking-lots/" UNKNOWN_ID "/spots/1",
    "api/v1/parking-lots/" UNKNOWN_ID "/cars",
    "HEALTH",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    assert_get_problem (f, paths[i], 404, "not-found", NULL);
}

static void
test_method_not_allowed (Fixture       *f,
                         gconstpointer  data)
{
  assert_method_not_allowed (f, "DELETE", "api/v1/parking-lots", "GET, HEAD");
  assert_method_not_allowed (f, "PUT", "api/v1/parking-lots", "GET, HEAD");
  assert_method_not_allowed (f, "POST", "api/v1/parking-lots", "GET, HEAD");
  assert_method_not_allowed (f, "PATCH", "api/v1/parking-lots/" UNKNOWN_ID, "GET, HEAD");
  assert_method_not_allowed (f, "DELETE", "api/v1/parking-lots/" UNKNOWN_ID "/spots",
                             "GET, HEAD");
  assert_method_not_allowed (f, "POST", "health", "GET, HEAD");
  /* The batch resource is not a lot called "availability". */
  assert_method_not_allowed (f, "GET", "api/v1/parking-lots/availability", "POST");
}

/* The Allow of a 405 on the batch resource names its own methods only, not those of the lot
 * route "/api/v1/parking-lots/{id}" it also fits. */
static void
test_method_not_allowed_batch (Fixture       *f,
                               gconstpointer  data)
{
  assert_method_not_allowed (f, "DELETE", "api/v1/parking-lots/availability", "POST");
  assert_method_not_allowed (f, "PUT", "api/v1/parking-lots/availability", "POST");
}

static void
test_head (Fixture       *f,
           gconstpointer  data)
{
  static const char * const paths[] = {
    "health",
    "api/v1/parking-lots?lat=51.0504&lng=13.7373",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(ParkTestResponse) get = park_test_get (f->backend, "%s", paths[i]);
      g_autoptr(ParkTestResponse) head = park_test_request (f->backend, "HEAD", paths[i],
                                                            NULL, NULL, 0);

      g_assert_cmpuint (get->status, ==, 200);
      g_assert_cmpuint (g_bytes_get_size (get->body), >, 0);
      g_assert_cmpuint (head->status, ==, 200);
      g_assert_cmpuint (g_bytes_get_size (head->body), ==, 0);
      g_assert_cmpstr (head->content_type, ==, "application/json");
      g_assert_nonnull (response_header (head, "X-Request-Id"));
    }
}

/* ---- 4. the availability body ------------------------------------------------------------ */

static const ProblemCase body_cases[] = {
  { "unterminated",        "{\"lot_ids\": [",                   400, "malformed-json", NULL },
  { "single-quotes",       "{'a':1}",                           400, "malformed-json", NULL },
  { "comment",             "{\"a\":1} // c",                    400, "malformed-json", NULL },
  { "leading-zero",        "{\"a\":01}",                        400, "malformed-json", NULL },
  { "trailing-garbage",    "{\"lot_ids\":[]}x",                 400, "malformed-json", NULL },
  { "two-values",          "{\"lot_ids\":[]} {}",               400, "malformed-json", NULL },
  { "trailing-comma",      "{\"lot_ids\":[\"" UNKNOWN_ID "\",]}", 400, "malformed-json", NULL },
  { "bare-word",           "{\"lot_ids\":[nul]}",               400, "malformed-json", NULL },
  { "number-1e400",        "{\"lot_ids\":[1e400]}",             400, "malformed-json", NULL },
  { "number-minus-1e400",  "{\"lot_ids\":[-1e400]}",            400, "malformed-json", NULL },
  { "invalid-utf8",        "{\"lot_ids\":[\"\xff\"]}",          400, "malformed-json", NULL },
  { "utf8-extra-continuation", "{\"lot_ids\":[\"\xc3\xa9\xa9\"]}", 400, "malformed-json", NULL },
  { "utf8-overlong",       "{\"lot_ids\":[\"\xc0\xaf\"]}",      400, "malformed-json", NULL },
  { "utf8-in-key",         "{\"\xff\":1}",                      400, "malformed-json", NULL },
  { "lone-surrogate",      "{\"lot_ids\":[\"\\ud800\"]}",       400, "malformed-json", NULL },
  { "control-character",   "{\"lot_ids\":[\"a\tb\"]}",          400, "malformed-json", NULL },
  { "duplicate-member",    "{\"lot_ids\":[],\"lot_ids\":[]}",   400, "json-duplicate-member",
    NULL },
  { "duplicate-escaped",   "{\"lot_ids\":[],\"lot\\u005fids\":[]}", 400, "json-duplicate-member",
    NULL },
  { "root-array",          "[]",                                400, "json-not-object", NULL },
  { "root-string",         "\"x\"",                             400, "json-not-object", NULL },
  { "root-number",         "1",                                 400, "json-not-object", NULL },
  { "root-null",           "null",                              400, "json-not-object", NULL },
  { "missing-lot-ids",     "{}",                                400, "missing-field", "lot_ids" },
  { "lot-ids-misspelt",    "{\"lot_id\":[\"" UNKNOWN_ID "\"]}", 400, "missing-field", "lot_ids" },
  { "lot-ids-string",      "{\"lot_ids\":\"" UNKNOWN_ID "\"}",  400, "invalid-field", "lot_ids" },
  { "lot-ids-null",        "{\"lot_ids\":null}",                400, "invalid-field", "lot_ids" },
  { "lot-ids-object",      "{\"lot_ids\":{}}",                  400, "invalid-field", "lot_ids" },
  { "lot-ids-empty",       "{\"lot_ids\":[]}",                  400, "invalid-field", "lot_ids" },
  { "lot-id-not-uuid",     "{\"lot_ids\":[\"" UNKNOWN_ID "\",\"nope\"]}", 400, "invalid-field",
    "lot_ids[1]" },
  { "lot-id-number",       "{\"lot_ids\":[1]}",                 400, "invalid-field",
    "lot_ids[0]" },
  { "lot-id-null",         "{\"lot_ids\":[\"" UNKNOWN_ID "\",\"" UNKNOWN_ID "\",null]}", 400,
    "invalid-field", "lot_ids[2]" },
  { "unknown-member",      "{\"lot_ids\":[\"" UNKNOWN_ID "\"],\"extra\":1}", 400,
    "unknown-field", "extra" },
};

static void
test_body_case (Fixture       *f,
                gconstpointer  data)
{
  const ProblemCase *c = data;

  assert_body_problem (f, c->request, c->status, c->code, c->field);
}

static char *
nested_body (guint levels)
{
  GString *body = g_string_new ("{\"lot_ids\":");

  /* The object is one level, the arrays the rest. */
  for (guint i = 1; i < levels; i++)
    g_string_append_c (body, '[');
  for (guint i = 1; i < levels; i++)
    g_string_append_c (body, ']');
  g_string_append_c (body, '}');
  return g_string_free (body, FALSE);
}

static char *
ids_body (guint n)
{
  GString *body = g_string_new ("{\"lot_ids\":[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (body, "%s\"00000000-0000-4000-8000-%012u\"", i > 0 ? "," : "", i);
  g_string_append (body, "]}");
  return g_string_free (body, FALSE);
}

/* {"lot_ids":[UNKNOWN_ID]} padded with white space to exactly @size bytes: valid, and refused
 * for its size only. */
static GBytes *
padded_body (gsize size)
{
  static const char head[] = "{\"lot_ids\":[\"" UNKNOWN_ID "\"]";
  char *body = g_malloc (size);

  g_assert_cmpuint (size, >, sizeof head);
  memcpy (body, head, sizeof head - 1);
  memset (body + sizeof head - 1, ' ', size - sizeof head);
  body[size - 1] = '}';
  return g_bytes_new_take (body, size);
}

static void
test_body_depth (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *deep_32 = nested_body (32);
  g_autofree char *deep_33 = nested_body (33);
  g_autofree char *open_arrays = g_strnfill (100000, '[');

  /* 32 levels get through the JSON checks; the handler then blames the element. */
  assert_body_problem (f, deep_32, 400, "invalid-field", "lot_ids[0]");
  assert_body_problem (f, deep_33, 400, "json-too-deep", NULL);
  assert_body_problem (f, open_arrays, 400, "json-too-deep", NULL);
  assert_healthy (f->backend);
}

static void
test_body_missing (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(ParkTestResponse) none = post_availability (f->backend, NULL, NULL, 0);
  g_autoptr(ParkTestResponse) empty = post_availability (f->backend, "application/json", "", 0);

  check_problem (none, 400, "missing-body", NULL);
  check_problem (empty, 400, "missing-body", NULL);
}

static void
test_body_media_type (Fixture       *f,
                      gconstpointer  data)
{
  static const char body[] = "{\"lot_ids\":[\"" UNKNOWN_ID "\"]}";
  static const char * const refused[] = {
    "text/plain", "application/x-www-form-urlencoded", "application/jsonx", "text/json",
  };
  static const char * const accepted[] = {
    "application/json", "application/json; charset=utf-8", "Application/JSON",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(ParkTestResponse) response = post_availability (f->backend, refused[i], body, -1);

      g_test_message ("Content-Type: %s -> %u", refused[i], response->status);
      check_problem (response, 415, "unsupported-media-type", NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(ParkTestResponse) response = post_availability (f->backend, accepted[i], body,
                                                                -1);

      g_test_message ("Content-Type: %s -> %u", accepted[i], response->status);
      g_assert_cmpuint (response->status, ==, 200);
    }
}

/* h2o refuses a body over the limit from its Content-Length, before parkd sees the request, as
 * text/plain (the OpenAPI document allows it, and the request has checked the answer against
 * it); parkd's own 413 would be a problem. */
static void
check_too_large (ParkTestResponse *response)
{
  g_assert_cmpuint (response->status, ==, 413);
  if (g_strcmp0 (response->content_type, "application/problem+json") == 0)
    check_problem (response, 413, "body-too-large", NULL);
  else
    g_assert_cmpstr (response->content_type, ==, "text/plain");
}

static void
assert_too_large (ParkTestBackend *backend,
                  gsize            size)
{
  g_autoptr(GBytes) body = padded_body (size);
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkTestResponse) asked = NULL;
  g_autoptr(ParkTestResponse) sent = NULL;

  /* A client that asks first (Expect: 100-continue) is told 413 before it sends the body. */
  asked = park_test_request_full (backend, "POST", "api/v1/parking-lots/availability",
                                  "application/json", body, TRUE, &error);
  g_assert_no_error (error);
  g_test_message ("%" G_GSIZE_FORMAT " bytes, asked first -> %u %s", size, asked->status,
                  asked->content_type);
  check_too_large (asked);

  /* One that just sends it gets the same 413, or a broken connection: h2o closes it right after
   * its 413 without reading the rest of the body, and the client's next write fails before it
   * reads the answer. The server is unharmed either way. */
  sent = park_test_request_full (backend, "POST", "api/v1/parking-lots/availability",
                                 "application/json", body, FALSE, &error);
  if (sent != NULL)
    check_too_large (sent);
  else
    {
      g_test_message ("%" G_GSIZE_FORMAT " bytes, sent at once -> %s", size, error->message);
      g_assert_true (error->domain == G_IO_ERROR);
    }
  assert_healthy (backend);
}

static void
test_body_too_large (Fixture       *f,
                     gconstpointer  data)
{
  const char *args[] = { "--body-limit", "2048", NULL };
  g_autoptr(ParkTestBackend) small = park_test_backend_new ();
  g_autoptr(GBytes) fits = padded_body (2000);
  g_autoptr(ParkTestResponse) fits_response = NULL;

  assert_too_large (f->backend, 2 * MIB);

  park_test_backend_start (small, args);
  assert_too_large (small, 4096);
  fits_response = post_availability (small, "application/json",
                                     g_bytes_get_data (fits, NULL), g_bytes_get_size (fits));
  g_assert_cmpuint (fits_response->status, ==, 200);
  soup_session_abort (small->session);
}

static void
test_body_batch_size (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *hundred = ids_body (100);
  g_autofree char *hundred_one = ids_body (101);
  g_autoptr(ParkTestResponse) response = post_availability (f->backend, "application/json",
                                                            hundred, -1);
  JsonObject *result;

  g_assert_cmpuint (response->status, ==, 200);
  result = park_test_response_object (response);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "items")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "not_found")),
                    ==, 100);

  assert_body_problem (f, hundred_one, 400, "invalid-field", "lot_ids");
}

static void
test_body_known_and_unknown (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *body = g_strdup_printf ("{\"lot_ids\":[\"%s\",\"" UNKNOWN_ID "\"]}",
                                           f->lot_id);
  g_autoptr(ParkTestResponse) response = post_availability (f->backend, "application/json",
                                                            body, -1);
  JsonObject *result;
  JsonArray *items, *not_found;

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (response->content_type, ==, "application/json");
  result = park_test_response_object (response);
  items = json_object_get_array_member (result, "items");
  not_found = json_object_get_array_member (result, "not_found");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0),
                                                  "lot_id"), ==, f->lot_id);
  g_assert_cmpuint (json_array_get_length (not_found), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (not_found, 0), ==, UNKNOWN_ID);
}

/* ---- 5. none of it hurts ------------------------------------------------------------------- */

static void
test_robust_after_bad_requests (Fixture       *f,
                                gconstpointer  data)
{
  gint64 lots_before = count_lots (f->backend);
  g_autofree char *open_arrays = g_strnfill (100000, '[');

  g_assert_cmpint (lots_before, >, 0);
  for (guint i = 0; i < G_N_ELEMENTS (search_cases); i++)
    assert_search_problem (f, search_cases[i].request, search_cases[i].code,
                           search_cases[i].field);
  for (guint i = 0; i < G_N_ELEMENTS (body_cases); i++)
    assert_body_problem (f, body_cases[i].request, body_cases[i].status,
                         body_cases[i].code, body_cases[i].field);
  assert_body_problem (f, open_arrays, 400, "json-too-deep", NULL);
  assert_too_large (f->backend, 2 * MIB);
  assert_get_problem (f, "api/v1/parking-lots/" UNKNOWN_ID, 404, "not-found", NULL);
  assert_method_not_allowed (f, "DELETE", "api/v1/parking-lots", "GET, HEAD");

  assert_healthy (f->backend);
  g_assert_cmpint (count_lots (f->backend), ==, lots_before);
}

/* ---- 6. connection limits, on raw sockets ------------------------------------------------ */

static guint16
backend_port (ParkTestBackend *backend)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (backend->url, G_URI_FLAGS_NONE, &error);

  g_assert_no_error (error);
  g_assert_cmpint (g_uri_get_port (uri), >, 0);
  return (guint16) g_uri_get_port (uri);
}

static GSocketConnection *
raw_connect (ParkTestBackend *backend)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *conn;

  /* Also bounds every blocking send and receive on the socket. */
  g_socket_client_set_timeout (client, 10);
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", backend_port (backend), NULL,
                                          &error);
  g_assert_no_error (error);
  return conn;
}

/* Sends all of @data; FALSE when the server closed the connection first. */
static gboolean
raw_send (GSocketConnection *conn,
          const char        *data,
          gsize              len)
{
  GSocket *sock = g_socket_connection_get_socket (conn);
  gsize off = 0;

  while (off < len)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_send (sock, data + off, len - off, NULL, &error);

      if (n <= 0)
        {
          g_test_message ("send stopped after %" G_GSIZE_FORMAT " bytes: %s", off,
                          error != NULL ? error->message : "nothing written");
          return FALSE;
        }
      off += n;
    }
  return TRUE;
}

/* Has @buf a whole HTTP answer: its head, and as much body as its Content-Length says? */
static gboolean
raw_response_complete (GString *buf)
{
  const char *end = strstr (buf->str, "\r\n\r\n");
  g_autofree char *head = NULL;
  const char *cl;
  guint64 length = 0;

  if (end == NULL)
    return FALSE;
  head = g_ascii_strdown (buf->str, end - buf->str);
  cl = strstr (head, "\r\ncontent-length:");
  if (cl != NULL)
    length = g_ascii_strtoull (cl + strlen ("\r\ncontent-length:"), NULL, 10);
  return (guint64) (buf->len - (end + 4 - buf->str)) >= length;
}

/* Reads until the answer is whole (@until_closed FALSE) or the server closes the connection,
 * for at most @timeout_ms. *@closed tells whether the server closed it (end or error). */
static GString *
raw_read (GSocketConnection *conn,
          guint              timeout_ms,
          gboolean           until_closed,
          gboolean          *closed)
{
  GSocket *sock = g_socket_connection_get_socket (conn);
  gint64 deadline = g_get_monotonic_time () + timeout_ms * (gint64) 1000;
  GString *buf = g_string_new (NULL);

  *closed = FALSE;
  while (until_closed || !raw_response_complete (buf))
    {
      g_autoptr(GError) error = NULL;
      gint64 left = deadline - g_get_monotonic_time ();
      char chunk[4096];
      gssize n;

      if (left <= 0 ||
          !g_socket_condition_timed_wait (sock, G_IO_IN | G_IO_HUP | G_IO_ERR, left, NULL, NULL))
        break;
      n = g_socket_receive (sock, chunk, sizeof chunk, NULL, &error);
      if (n <= 0)
        {
          *closed = TRUE;
          break;
        }
      g_string_append_len (buf, chunk, n);
    }
  return buf;
}

static GString *
raw_exchange (GSocketConnection *conn,
              const char        *request,
              gboolean          *closed)
{
  if (!raw_send (conn, request, strlen (request)))
    {
      *closed = TRUE;
      return g_string_new (NULL);
    }
  return raw_read (conn, 5000, FALSE, closed);
}

static void
raw_close (GSocketConnection *conn)
{
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  g_object_unref (conn);
}

#define HEALTH_REQUEST "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

/* A connection that has been answered 200, so that the server has accepted and counts it.
 * Connections closed just before may not be counted out yet: their slots are waited for. */
static GSocketConnection *
counted_connection (ParkTestBackend *backend)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (TRUE)
    {
      GSocketConnection *conn = raw_connect (backend);
      gboolean closed;
      g_autoptr(GString) answer = raw_exchange (conn, HEALTH_REQUEST, &closed);

      if (g_str_has_prefix (answer->str, "HTTP/1.1 200 ") && !closed)
        return conn;
      raw_close (conn);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }
}

static void
test_limit_client_connections (Fixture       *f,
                               gconstpointer  data)
{
  GSocketConnection *conns[4];
  GSocketConnection *fifth;
  g_autoptr(GString) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkTestResponse) health = NULL;
  const char *body;
  gboolean closed;
  JsonObject *object;

  /* The fixture's own keep-alive connection would take a slot. */
  soup_session_abort (f->backend->session);

  for (guint i = 0; i < G_N_ELEMENTS (conns); i++)
    conns[i] = counted_connection (f->backend);

  /* The fifth is answered before it asks anything, and closed. */
  fifth = raw_connect (f->backend);
  answer = raw_read (fifth, 5000, TRUE, &closed);
  raw_close (fifth);
  g_test_message ("fifth connection: %s", answer->str);
  g_assert_true (closed);
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 429 "));
  g_assert_nonnull (strstr (answer->str, "\r\nContent-Type: application/problem+json\r\n"));
  body = strstr (answer->str, "\r\n\r\n");
  g_assert_nonnull (body);
  problem = json_from_string (body + 4, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (problem));
  object = json_node_get_object (problem);
  g_assert_cmpint (json_object_get_int_member (object, "status"), ==, 429);
  g_assert_cmpstr (json_object_get_string_member (object, "code"), ==, "too-many-connections");

  /* The four kept theirs all along: each is still served. */
  for (guint i = 0; i < G_N_ELEMENTS (conns); i++)
    {
      g_autoptr(GString) again = raw_exchange (conns[i], HEALTH_REQUEST, &closed);

      g_assert_true (g_str_has_prefix (again->str, "HTTP/1.1 200 "));
      g_assert_false (closed);
    }

  for (guint i = 0; i < G_N_ELEMENTS (conns); i++)
    raw_close (conns[i]);

  /* Their slots come free: a new connection is served again. */
  raw_close (counted_connection (f->backend));
  health = park_test_get (f->backend, "health");
  g_assert_cmpuint (health->status, ==, 200);
}

/* GET /api/v1/info over @conn as a proxy sends it, with @forwarded_for (NULL: none); the
 * status code of the answer. */
static guint
info_via (GSocketConnection *conn,
          const char        *forwarded_for)
{
  g_autofree char *request = g_strdup_printf ("GET /api/v1/info HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "%s%s%s\r\n",
                                              forwarded_for != NULL ? "X-Forwarded-For: " : "",
                                              forwarded_for != NULL ? forwarded_for : "",
                                              forwarded_for != NULL ? "\r\n" : "");
  g_autoptr(GString) answer = NULL;
  gboolean closed;

  answer = raw_exchange (conn, request, &closed);
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 "));
  return (guint) g_ascii_strtoull (answer->str + strlen ("HTTP/1.1 "), NULL, 10);
}

/* Behind a trusted proxy, the client is who the proxy says it is: each has its own rate
 * limit (the address the proxy appended last, not what the client claimed before it), and
 * the proxy's many connections are not one client's. */
static void
test_limit_trusted_proxy (Fixture       *f,
                          gconstpointer  data)
{
  GSocketConnection *conns[6];

  soup_session_abort (f->backend->session);
  /* More connections than one client may open: the proxy carries many clients. */
  for (guint i = 0; i < G_N_ELEMENTS (conns); i++)
    conns[i] = counted_connection (f->backend);

  /* 203.0.113.1 spends its burst of two... */
  g_assert_cmpuint (info_via (conns[0], "203.0.113.1"), ==, 200);
  g_assert_cmpuint (info_via (conns[1], "203.0.113.1"), ==, 200);
  g_assert_cmpuint (info_via (conns[2], "203.0.113.1"), ==, 429);
  /* ... and claiming to be someone else before the proxy's entry does not help it. */
  g_assert_cmpuint (info_via (conns[3], "198.51.100.9, 203.0.113.1"), ==, 429);
  /* Another client behind the same proxy has its own. */
  g_assert_cmpuint (info_via (conns[4], "198.51.100.9, 203.0.113.2"), ==, 200);
  g_assert_cmpuint (info_via (conns[5], "203.0.113.2"), ==, 200);

  for (guint i = 0; i < G_N_ELEMENTS (conns); i++)
    raw_close (conns[i]);
}

static void
test_limit_request_timeout (Fixture       *f,
                            gconstpointer  data)
{
  GSocketConnection *conn = raw_connect (f->backend);
  g_autoptr(GString) answer = NULL;
  gint64 start, elapsed;
  gboolean closed;

  g_assert_true (raw_send (conn, "GET /health HTTP/1.1\r\nHost: x\r\n",
                           strlen ("GET /health HTTP/1.1\r\nHost: x\r\n")));
  start = g_get_monotonic_time ();
  answer = raw_read (conn, 5000, TRUE, &closed);
  elapsed = g_get_monotonic_time () - start;
  raw_close (conn);

  g_test_message ("closed %d after %" G_GINT64_FORMAT " ms with \"%s\"", closed,
                  elapsed / 1000, answer->str);
  g_assert_true (closed);
  /* Closed for its slowness, not at once; anything said first is a 4xx. */
  g_assert_cmpint (elapsed, >=, 500 * 1000);
  if (answer->len > 0)
    g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 4"));

  /* A whole request in time is still served. */
  {
    GSocketConnection *fast = raw_connect (f->backend);
    g_autoptr(GString) reply = raw_exchange (fast, HEALTH_REQUEST, &closed);

    raw_close (fast);
    g_assert_true (g_str_has_prefix (reply->str, "HTTP/1.1 200 "));
  }
}

static void
test_limit_header_size (Fixture       *f,
                        gconstpointer  data)
{
  GSocketConnection *conn = raw_connect (f->backend);
  GString *request = g_string_new ("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ");
  g_autoptr(GString) answer = NULL;
  gboolean closed;

  for (guint i = 0; i < 500 * 1024; i++)
    g_string_append_c (request, 'a' + i % 26);
  g_string_append (request, "\r\n\r\n");
  raw_send (conn, request->str, request->len);
  g_string_free (request, TRUE);

  answer = raw_read (conn, 5000, TRUE, &closed);
  raw_close (conn);
  g_test_message ("500 KiB header: closed %d, \"%.60s\"", closed, answer->str);
  g_assert_true (closed || answer->len > 0);
  if (answer->len > 0)
    g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 4"));

  assert_healthy (f->backend);
}

/* ---- 7. X-Request-Id ----------------------------------------------------------------------- */

static gboolean
is_plain_id (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) >= 40)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static void
test_request_id_echoed (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(ParkTestResponse) health = NULL;
  g_autoptr(ParkTestResponse) problem = NULL;

  f->request_id = "abc-123";
  health = park_test_get (f->backend, "health");
  problem = park_test_get (f->backend, "api/v1/parking-lots?lat=91&lng=1");
  f->request_id = NULL;

  g_assert_cmpuint (health->status, ==, 200);
  g_assert_cmpstr (response_header (health, "X-Request-Id"), ==, "abc-123");
  check_problem (problem, 400, "out-of-range", "lat");
  g_assert_cmpstr (response_header (problem, "X-Request-Id"), ==, "abc-123");
}

static void
test_request_id_generated (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *long_id = g_strnfill (200, 'a');
  const char *bogus[] = { "abc 123", long_id, "abc\"123", "<script>" };
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (bogus); i++)
    {
      g_autoptr(ParkTestResponse) health = NULL;
      g_autoptr(ParkTestResponse) problem = NULL;
      const char *health_id, *problem_id;

      f->request_id = bogus[i];
      health = park_test_get (f->backend, "health");
      problem = park_test_get (f->backend, "nope");
      f->request_id = NULL;

      health_id = response_header (health, "X-Request-Id");
      problem_id = response_header (problem, "X-Request-Id");
      g_test_message ("\"%.20s\" -> %s, %s", bogus[i], health_id, problem_id);
      g_assert_cmpstr (health_id, !=, bogus[i]);
      g_assert_true (is_plain_id (health_id));
      g_assert_true (is_plain_id (problem_id));
      check_problem (problem, 404, "not-found", NULL);
      g_ptr_array_add (seen, g_strdup (health_id));
      g_ptr_array_add (seen, g_strdup (problem_id));
    }

  /* Generated ids tell requests apart. */
  for (guint i = 0; i < seen->len; i++)
    for (guint j = i + 1; j < seen->len; j++)
      g_assert_cmpstr (g_ptr_array_index (seen, i), !=, g_ptr_array_index (seen, j));
}

/* ---- main -------------------------------------------------------------------------------- */

static void
add_cases (const char        *prefix,
           const ProblemCase *cases,
           guint              n_cases,
           void             (*func) (Fixture *, gconstpointer))
{
  for (guint i = 0; i < n_cases; i++)
    {
      g_autofree char *path = g_strconcat (prefix, cases[i].name, NULL);

      g_test_add (path, Fixture, &cases[i], fixture_setup, func, fixture_teardown);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  add_cases ("/backend/errors/search/", search_cases, G_N_ELEMENTS (search_cases),
             test_search_case);
  g_test_add ("/backend/errors/search/boundaries-accepted", Fixture, NULL,
              fixture_setup, test_search_boundaries, fixture_teardown);

  g_test_add ("/backend/errors/lots/bad-id", Fixture, NULL,
              fixture_setup, test_lot_bad_id, fixture_teardown);
  g_test_add ("/backend/errors/lots/unknown", Fixture, NULL,
              fixture_setup_demo, test_lot_unknown, fixture_teardown);
  g_test_add ("/backend/errors/lots/unknown-parameter", Fixture, NULL,
              fixture_setup_demo, test_lot_unknown_parameter, fixture_teardown);
  g_test_add ("/backend/errors/lots/spots-bad-filters", Fixture, NULL,
              fixture_setup_demo, test_spots_bad_filters, fixture_teardown);

  g_test_add ("/backend/errors/routing/unknown-path", Fixture, NULL,
              fixture_setup, test_unknown_path, fixture_teardown);
  g_test_add ("/backend/errors/routing/method-not-allowed", Fixture, NULL,
              fixture_setup, test_method_not_allowed, fixture_teardown);
  g_test_add ("/backend/errors/routing/allow-on-batch-resource", Fixture, NULL,
              fixture_setup, test_method_not_allowed_batch, fixture_teardown);
  g_test_add ("/backend/errors/routing/head", Fixture, NULL,
              fixture_setup, test_head, fixture_teardown);

  add_cases ("/backend/errors/body/", body_cases, G_N_ELEMENTS (body_cases), test_body_case);
  g_test_add ("/backend/errors/body/depth", Fixture, NULL,
              fixture_setup, test_body_depth, fixture_teardown);
  g_test_add ("/backend/errors/body/missing", Fixture, NULL,
              fixture_setup, test_body_missing, fixture_teardown);
  g_test_add ("/backend/errors/body/media-type", Fixture, NULL,
              fixture_setup, test_body_media_type, fixture_teardown);
  g_test_add ("/backend/errors/body/too-large", Fixture, NULL,
              fixture_setup, test_body_too_large, fixture_teardown);
  g_test_add ("/backend/errors/body/batch-size", Fixture, NULL,
              fixture_setup, test_body_batch_size, fixture_teardown);
  g_test_add ("/backend/errors/body/known-and-unknown", Fixture, NULL,
              fixture_setup_demo, test_body_known_and_unknown, fixture_teardown);

  g_test_add ("/backend/errors/robust/after-bad-requests", Fixture, NULL,
              fixture_setup_demo, test_robust_after_bad_requests, fixture_teardown);

  g_test_add ("/backend/errors/limits/client-connections", Fixture, NULL,
              fixture_setup_conn_limit, test_limit_client_connections, fixture_teardown);
  g_test_add ("/backend/errors/limits/trusted-proxy", Fixture, NULL,
              fixture_setup_proxy, test_limit_trusted_proxy, fixture_teardown);
  g_test_add ("/backend/errors/limits/trusted-proxy-network", Fixture, NULL,
              fixture_setup_proxy_network, test_limit_trusted_proxy, fixture_teardown);
  g_test_add ("/backend/errors/limits/request-timeout", Fixture, NULL,
              fixture_setup_timeout, test_limit_request_timeout, fixture_teardown);
  g_test_add ("/backend/errors/limits/header-size", Fixture, NULL,
              fixture_setup, test_limit_header_size, fixture_teardown);

  g_test_add ("/backend/errors/request-id/echoed", Fixture, NULL,
              fixture_setup, test_request_id_echoed, fixture_teardown);
  g_test_add ("/backend/errors/request-id/generated", Fixture, NULL,
              fixture_setup, test_request_id_generated, fixture_teardown);

  return g_test_run ();
}
