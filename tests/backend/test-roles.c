/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Who may call what. Every admin and account route is called by an anonymous client, a
 * driver, an attendant and an operator of "north", the operator of "south" (acting on north's
 * objects) and an admin, and each answer is compared with what the route table
 * (parkd-routes.c), admit() and the tenant rule of parkd-handler-admin.c promise: 401 without
 * a token, 403 for a role the route does not take, 404 for another operator's object exactly
 * as for one that does not exist. Then, as separate cases: the lists' tenant scope, the audit
 * log's actors, disabled staff, changes to oneself, and an operator's lot in the public
 * search.
 *
 * One parkd serves the whole run: two operators with a lot and staff each, a driver and an
 * admin (made with "parkd user add", as on a real installation), built by the first test that
 * needs them. The tests sign in many times, so the rate limits are off; they have their own
 * test.
 */
#include "park-test-backend.h"

#include <string.h>

#define PASSWORD     "Kestrel-Harbour-42"
#define ADMIN_EMAIL  "admin@example.org"
#define UNKNOWN_ID   "00000000-0000-4000-8000-000000000000"
#define MAX_PAGES    100

typedef enum
{
  CALLER_ANONYMOUS,
  CALLER_DRIVER,
  CALLER_NORTH_ATTENDANT,
  CALLER_NORTH_OPERATOR,
  CALLER_SOUTH_OPERATOR,
  CALLER_ADMIN,
  N_CALLERS
} Caller;

static const char * const caller_names[N_CALLERS] = {
  "anonymous", "driver", "north-attendant", "north-operator", "south-operator", "admin",
};

typedef struct
{
  char *email;
  char *id;        /* as GET /api/v1/users/me says */
  char *access;
  char *refresh;
} Account;

typedef struct
{
  const char *slug;
  char       *id;
  char       *lot_id;
  char       *spot_id;   /* a spot of lot_id */
} Tenant;

typedef struct
{
  ParkTestBackend *backend;
  Account          callers[N_CALLERS];   /* [CALLER_ANONYMOUS] stays empty */
  Account          south_attendant;
  Tenant           north;
  Tenant           south;
  guint            serial;               /* keeps names, numbers and addresses unique */
} World;

static World *world;

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

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
answer_items (ParkTestResponse *response)
{
  JsonNode *node = answer_object (response) != NULL
                   ? json_object_get_member (answer_object (response), "items") : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* The problem's "code", or "-" when the answer is not a problem. */
static const char *
problem_code (ParkTestResponse *response)
{
  const char *code = NULL;

  if (g_strcmp0 (response->content_type, "application/problem+json") == 0)
    code = string_member (answer_object (response), "code");
  return code != NULL ? code : "-";
}

static char *
body_text (ParkTestResponse *response)
{
  gsize len = 0;
  const char *data = response->body != NULL ? g_bytes_get_data (response->body, &len) : NULL;

  return g_strndup (data != NULL ? data : "", len);
}

static gboolean
items_have_id (JsonArray  *items,
               const char *id)
{
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    if (g_strcmp0 (string_member (json_array_get_object_element (items, i), "id"), id) == 0)
      return TRUE;
  return FALSE;
}

/* ---- calls the tests rely on ------------------------------------------------------------- */

/* A call that must be answered @status for the test to go on. */
static ParkTestResponse *
expect (World      *w,
        const char *token,
        const char *method,
        const char *path,
        const char *body,
        guint       status)
{
  ParkTestResponse *response = park_test_call (w->backend, token, method, path, body);

  if (response->status != status)
    {
      g_autofree char *text = body_text (response);

      g_test_message ("%s %s: expected %u, got %u: %s", method, path, status, response->status,
                      text);
    }
  g_assert_cmpuint (response->status, ==, status);
  return response;
}

static char *
expect_id (World      *w,
           const char *token,
           const char *method,
           const char *path,
           const char *body,
           guint       status)
{
  g_autoptr(ParkTestResponse) response = expect (w, token, method, path, body, status);
  const char *id = string_member (answer_object (response), "id");

  g_assert_nonnull (id);
  return g_strdup (id);
}

static char *
sign_in_body (const char *email,
              const char *password)
{
  return g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
}

static void
take_tokens (Account          *account,
             ParkTestResponse *response)
{
  JsonObject *tokens = answer_object (response);

  g_assert_nonnull (string_member (tokens, "access_token"));
  g_assert_nonnull (string_member (tokens, "refresh_token"));
  g_free (account->access);
  g_free (account->refresh);
  account->access = g_strdup (string_member (tokens, "access_token"));
  account->refresh = g_strdup (string_member (tokens, "refresh_token"));
}

static void
sign_in (World   *w,
         Account *account)
{
  g_autofree char *body = sign_in_body (account->email, PASSWORD);
  g_autoptr(ParkTestResponse) response = expect (w, NULL, "POST", "api/v1/auth/login", body,
                                                 200);

  take_tokens (account, response);
}

/* A fresh access token of @account, for a request that ends its sign-in. */
static char *
fresh_token (World         *w,
             const Account *account)
{
  g_autofree char *body = sign_in_body (account->email, PASSWORD);
  g_autoptr(ParkTestResponse) response = expect (w, NULL, "POST", "api/v1/auth/login", body,
                                                 200);

  return g_strdup (string_member (answer_object (response), "access_token"));
}

static char *
me_id (World      *w,
       const char *token)
{
  return expect_id (w, token, "GET", "api/v1/users/me", NULL, 200);
}

static const char *
admin_token (World *w)
{
  return w->callers[CALLER_ADMIN].access;
}

static char *
lot_body (const char *slug,
          const char *name,
          double      lat,
          double      lng)
{
  g_autofree char *operator_member = slug != NULL
                                     ? g_strdup_printf ("\"operator\":\"%s\",", slug)
                                     : g_strdup ("");

  return g_strdup_printf ("{%s\"name\":\"%s\",\"address\":\"Hauptstrasse 1\",\"lat\":%.6f,"
                          "\"lng\":%.6f,\"hourly_rate\":250,"
                          "\"spots\":{\"regular\":5,\"ev\":1}}",
                          operator_member, name, lat, lng);
}

/* A lot of @slug (NULL: the caller's own operator), made by @token. */
static char *
create_lot (World      *w,
            const char *token,
            const char *slug,
            const char *name,
            double      lat,
            double      lng)
{
  g_autofree char *body = lot_body (slug, name, lat, lng);

  return expect_id (w, token, "POST", "api/v1/admin/parking-lots", body, 201);
}

static char *
staff_body (const char *slug,
            const char *email,
            const char *role)
{
  g_autofree char *operator_member = slug != NULL
                                     ? g_strdup_printf ("\"operator\":\"%s\",", slug)
                                     : g_strdup ("");

  return g_strdup_printf ("{%s\"email\":\"%s\",\"password\":\"" PASSWORD "\","
                          "\"role\":\"%s\",\"first_name\":\"Sam\",\"last_name\":\"Staff\"}",
                          operator_member, email, role);
}

static char *
create_staff (World      *w,
              const char *token,
              const char *slug,
              const char *email,
              const char *role)
{
  g_autofree char *body = staff_body (slug, email, role);

  return expect_id (w, token, "POST", "api/v1/admin/staff", body, 201);
}

static char *
create_operator (World      *w,
                 const char *slug,
                 const char *name,
                 const char *city)
{
  g_autofree char *body =
    g_strdup_printf ("{\"slug\":\"%s\",\"name\":\"%s\",\"city\":\"%s\","
                     "\"time_zone\":\"Europe/Berlin\",\"currency\":\"EUR\"}", slug, name, city);

  return expect_id (w, admin_token (w), "POST", "api/v1/admin/operators", body, 201);
}

static char *
first_spot (World      *w,
            const char *lot_id)
{
  g_autofree char *path = g_strdup_printf ("api/v1/parking-lots/%s/spots", lot_id);
  g_autoptr(ParkTestResponse) response = expect (w, NULL, "GET", path, NULL, 200);
  JsonArray *items = answer_items (response);

  g_assert_nonnull (items);
  g_assert_cmpuint (json_array_get_length (items), >, 0);
  return g_strdup (string_member (json_array_get_object_element (items, 0), "id"));
}

static char *
unique_email (World      *w,
              const char *prefix)
{
  return g_strdup_printf ("%s-%u@example.org", prefix, ++w->serial);
}

/* Every item of a paginated list, all pages read. */
static GPtrArray *
collect_items (World      *w,
               const char *token,
               const char *path)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint page = 1; page <= MAX_PAGES; page++)
    {
      g_autofree char *paged = g_strdup_printf ("%s%cper_page=200&page=%u", path,
                                                strchr (path, '?') != NULL ? '&' : '?', page);
      g_autoptr(ParkTestResponse) response = expect (w, token, "GET", paged, NULL, 200);
      JsonArray *items = answer_items (response);
      JsonObject *object = answer_object (response);

      g_assert_nonnull (items);
      for (guint i = 0; i < json_array_get_length (items); i++)
        g_ptr_array_add (all, json_node_copy (json_array_get_element (items, i)));
      if (!json_object_get_boolean_member_with_default (object, "has_next", FALSE))
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

static gboolean
collected_has_id (GPtrArray  *items,
                  const char *id)
{
  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (string_member (item_at (items, i), "id"), id) == 0)
      return TRUE;
  return FALSE;
}

/* ---- the world: two operators, their lots and staff, a driver and an admin -------------- */

/* The first admin, made the way an installation makes it: "parkd user add" with the password
 * on standard input, on the server's own database. */
static void
add_first_admin (World *w)
{
  const char * const argv[] = {
    park_test_parkd_path (), "user", "add", "--email", ADMIN_EMAIL, "--role", "admin",
    "--database", w->backend->db_path, NULL
  };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "PARKD_CONFIG");
  g_subprocess_launcher_set_child_setup (launcher, park_test_die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, PASSWORD "\n", NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("parkd user add: %s%s", out, err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static void
world_build (World *w)
{
  const char * const args[] = {
    "--auth-rate-limit", "0", "--rate-limit", "0", "--account-rate-limit", "0", NULL
  };
  Account *admin = &w->callers[CALLER_ADMIN];
  g_autoptr(ParkTestResponse) registered = NULL;
  g_autofree char *driver_body = NULL;
  struct
  {
    Account    *account;
    const char *slug;
    const char *role;
  } staff[] = {
    { &w->callers[CALLER_NORTH_OPERATOR], "north", "operator" },
    { &w->callers[CALLER_NORTH_ATTENDANT], "north", "attendant" },
    { &w->callers[CALLER_SOUTH_OPERATOR], "south", "operator" },
    { &w->south_attendant, "south", "attendant" },
  };
  const char *staff_emails[] = {
    "nora.north-op@example.org", "anna.north-att@example.org", "sven.south-op@example.org",
    "sina.south-att@example.org",
  };

  w->backend = park_test_backend_new ();
  park_test_backend_start (w->backend, args);

  add_first_admin (w);
  admin->email = g_strdup (ADMIN_EMAIL);
  sign_in (w, admin);
  admin->id = me_id (w, admin->access);

  w->north.slug = "north";
  w->south.slug = "south";
  w->north.id = create_operator (w, "north", "North Parking", "Dresden");
  w->south.id = create_operator (w, "south", "South Parking", "Munich");
  w->north.lot_id = create_lot (w, admin->access, "north", "North Garage", 51.0504, 13.7373);
  w->south.lot_id = create_lot (w, admin->access, "south", "South Garage", 48.1374, 11.5755);

  for (guint i = 0; i < G_N_ELEMENTS (staff); i++)
    {
      g_autofree char *id = create_staff (w, admin->access, staff[i].slug, staff_emails[i],
                                          staff[i].role);

      staff[i].account->email = g_strdup (staff_emails[i]);
      sign_in (w, staff[i].account);
      staff[i].account->id = me_id (w, staff[i].account->access);
      g_assert_cmpstr (staff[i].account->id, ==, id);
    }

  w->callers[CALLER_DRIVER].email = g_strdup ("dana.driver@example.org");
  driver_body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"" PASSWORD "\","
                                 "\"first_name\":\"Dana\",\"last_name\":\"Driver\"}",
                                 w->callers[CALLER_DRIVER].email);
  registered = expect (w, NULL, "POST", "api/v1/auth/register", driver_body, 201);
  sign_in (w, &w->callers[CALLER_DRIVER]);
  w->callers[CALLER_DRIVER].id = me_id (w, w->callers[CALLER_DRIVER].access);

  w->north.spot_id = first_spot (w, w->north.lot_id);
  w->south.spot_id = first_spot (w, w->south.lot_id);
}

static World *
world_get (void)
{
  if (world == NULL)
    {
      world = g_new0 (World, 1);
      world_build (world);
    }
  return world;
}

static void
account_clear (Account *account)
{
  g_clear_pointer (&account->email, g_free);
  g_clear_pointer (&account->id, g_free);
  g_clear_pointer (&account->access, g_free);
  g_clear_pointer (&account->refresh, g_free);
}

static void
tenant_clear (Tenant *tenant)
{
  g_clear_pointer (&tenant->id, g_free);
  g_clear_pointer (&tenant->lot_id, g_free);
  g_clear_pointer (&tenant->spot_id, g_free);
}

static void
world_free (World *w)
{
  if (w == NULL)
    return;
  if (w->backend != NULL)
    soup_session_abort (w->backend->session);
  g_clear_pointer (&w->backend, park_test_backend_free);
  for (guint i = 0; i < N_CALLERS; i++)
    account_clear (&w->callers[i]);
  account_clear (&w->south_attendant);
  tenant_clear (&w->north);
  tenant_clear (&w->south);
  g_free (w);
}

/* The operator a caller works for; NULL for drivers, admins and anonymous callers. */
static const Tenant *
caller_tenant (World  *w,
               Caller  caller)
{
  switch (caller)
    {
    case CALLER_NORTH_ATTENDANT:
    case CALLER_NORTH_OPERATOR:
      return &w->north;
    case CALLER_SOUTH_OPERATOR:
      return &w->south;
    case CALLER_ANONYMOUS:
    case CALLER_DRIVER:
    case CALLER_ADMIN:
    case N_CALLERS:
    default:
      return NULL;
    }
}

/* ---- the matrix -------------------------------------------------------------------------- */

/* What a successful answer must hold besides its status. */
typedef enum
{
  CHECK_NONE,
  CHECK_LOTS,        /* a list of lots, each item.operator.slug in scope */
  CHECK_STAFF,       /* a list of staff, each item.operator.slug in scope */
  CHECK_AUDIT,       /* a list of audit entries, each item.operator_id in scope */
  CHECK_OPERATORS,   /* a list of operators, each item.slug in scope */
  CHECK_CREATED,     /* a new lot or staff member, of the caller's operator (north for admins) */
  CHECK_IMPORTED,    /* an import report with one lot imported, for north */
} Check;

/*
 * One endpoint, called by each caller in turn. Paths and bodies name objects between angle
 * brackets, filled in per call:
 *   <north-lot> <north-spot> <north-attendant>  the world's objects of north
 *   <tmp-lot> <tmp-spot> <tmp-staff>            a north object the admin makes for this call
 *   <my-vehicle>                                a vehicle the caller adds first
 *   <op>                                        "operator":"north", for the admin only
 *   <n>                                         a number not used before
 * A 401 must carry the code "unauthorized", a 403 "forbidden", a 404 "not-found" and a 400
 * the row's code (and field).
 */
typedef struct
{
  const char *method;
  const char *path;
  const char *body;
  guint       status[N_CALLERS];   /* anonymous, driver, north-attendant, north-operator,
                                    * south-operator, admin */
  const char *code;                /* of a 400 */
  const char *field;               /* of a 400 */
  Check       check;
  gboolean    own_sign_in;         /* the call ends the sign-in: made with a fresh one */
} Row;

#define ANY_USER(s)   { 401, s, s, s, s, s }
#define STAFF_LIST    { 401, 403, 200, 200, 200, 200 }
#define MANAGER_LIST  { 401, 403, 403, 200, 200, 200 }
/* On one of north's objects, or filtered by ?operator=north. */
#define NORTH_STAFF(s)   { 401, 403, s, s, 404, s }
#define NORTH_MANAGER(s) { 401, 403, 403, s, 404, s }

#define LOT_FIELDS "\"address\":\"Ring 2\",\"lat\":51.06,\"lng\":13.75,\"hourly_rate\":180," \
                   "\"spots\":{\"regular\":5,\"ev\":1}"
#define STAFF_FIELDS "\"password\":\"" PASSWORD "\",\"first_name\":\"Sam\""

static const Row matrix[] = {
  /* The signed-in user, whoever they are. */
  { "GET",    "api/v1/users/me", NULL, ANY_USER (200) },
  { "PATCH",  "api/v1/users/me", "{\"first_name\":\"Renamed\",\"last_name\":\"No <n>\"}",
    ANY_USER (200) },
  { "GET",    "api/v1/users/me/vehicles", NULL, ANY_USER (200) },
  { "POST",   "api/v1/users/me/vehicles", "{\"plate\":\"DD-RT <n>\",\"country\":\"DE\"}",
    ANY_USER (201) },

  /* Operators: staff see their own, only an admin adds one. */
  { "GET",    "api/v1/admin/operators", NULL, STAFF_LIST, .check = CHECK_OPERATORS },
  { "POST",   "api/v1/admin/operators",
    "{\"slug\":\"op-<n>\",\"name\":\"Operator\",\"time_zone\":\"Europe/Berlin\","
    "\"currency\":\"EUR\"}",
    { 401, 403, 403, 403, 403, 201 } },

  /* Lots. */
  { "GET",    "api/v1/admin/parking-lots", NULL, STAFF_LIST, .check = CHECK_LOTS },
  { "GET",    "api/v1/admin/parking-lots?operator=north", NULL, NORTH_STAFF (200),
    .check = CHECK_LOTS },
  { "POST",   "api/v1/admin/parking-lots", "{<op>\"name\":\"Lot <n>\"," LOT_FIELDS "}",
    { 401, 403, 403, 201, 201, 201 }, .check = CHECK_CREATED },
  /* Mass assignment: staff cannot name the operator, not even their own. */
  { "POST",   "api/v1/admin/parking-lots",
    "{\"operator\":\"north\",\"name\":\"Lot <n>\"," LOT_FIELDS "}",
    { 401, 403, 403, 400, 400, 201 }, "read-only-field", "operator", CHECK_CREATED },
  { "POST",   "api/v1/admin/parking-lots/import?operator=north",
    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.7601,51.0702]},"
    "\"properties\":{\"name\":\"Imported <n>\",\"total\":10,\"type\":\"lot\"}}]}",
    NORTH_MANAGER (200), .check = CHECK_IMPORTED },
  { "GET",    "api/v1/admin/parking-lots/<north-lot>", NULL, NORTH_STAFF (200) },
  { "PATCH",  "api/v1/admin/parking-lots/<north-lot>",
    "{\"name\":\"North Garage <n>\",\"hourly_rate\":260}", NORTH_MANAGER (200) },
  { "POST",   "api/v1/admin/parking-lots/<north-lot>/spots",
    "{\"number\":\"S<n>\",\"type\":\"regular\",\"level\":0}", NORTH_MANAGER (201) },

  /* Spots: attendants change the state and nothing else. */
  { "PATCH",  "api/v1/admin/spots/<north-spot>", "{\"state\":\"occupied\"}",
    NORTH_STAFF (200) },
  { "PATCH",  "api/v1/admin/spots/<north-spot>", "{\"number\":\"N<n>\"}",
    NORTH_MANAGER (200) },

  /* Staff. */
  { "GET",    "api/v1/admin/staff", NULL, MANAGER_LIST, .check = CHECK_STAFF },
  { "GET",    "api/v1/admin/staff?operator=north", NULL, NORTH_MANAGER (200),
    .check = CHECK_STAFF },
  { "POST",   "api/v1/admin/staff",
    "{<op>\"email\":\"staff-<n>@example.org\",\"role\":\"attendant\"," STAFF_FIELDS "}",
    { 401, 403, 403, 201, 201, 201 }, .check = CHECK_CREATED },
  { "POST",   "api/v1/admin/staff",
    "{\"operator\":\"north\",\"email\":\"staff-<n>@example.org\",\"role\":\"attendant\","
    STAFF_FIELDS "}",
    { 401, 403, 403, 400, 400, 201 }, "read-only-field", "operator", CHECK_CREATED },
  /* Nobody makes an admin through the API, not even an admin. */
  { "POST",   "api/v1/admin/staff",
    "{<op>\"email\":\"staff-<n>@example.org\",\"role\":\"admin\"," STAFF_FIELDS "}",
    { 401, 403, 403, 400, 400, 400 }, "invalid-field", "role" },
  { "PATCH",  "api/v1/admin/staff/<north-attendant>", "{\"first_name\":\"Anna <n>\"}",
    NORTH_MANAGER (200) },
  /* Nor promotes anyone to admin. The body is refused before the id is looked up, so south's
   * operator is answered as for an id that does not exist: 400, which tells nothing. */
  { "PATCH",  "api/v1/admin/staff/<north-attendant>", "{\"role\":\"admin\"}",
    { 401, 403, 403, 400, 400, 400 }, "invalid-field", "role" },

  /* The audit log. */
  { "GET",    "api/v1/admin/audit-log", NULL, MANAGER_LIST, .check = CHECK_AUDIT },
  { "GET",    "api/v1/admin/audit-log?operator=north", NULL, NORTH_MANAGER (200),
    .check = CHECK_AUDIT },

  /* What is deleted was made for the call, so every caller finds it there. */
  { "DELETE", "api/v1/users/me/vehicles/<my-vehicle>", NULL, ANY_USER (204) },
  { "DELETE", "api/v1/admin/spots/<tmp-spot>", NULL, NORTH_MANAGER (204) },
  { "DELETE", "api/v1/admin/staff/<tmp-staff>", NULL, NORTH_MANAGER (204) },
  { "DELETE", "api/v1/admin/parking-lots/<tmp-lot>", NULL, NORTH_MANAGER (204) },
  { "POST",   "api/v1/auth/logout", NULL, ANY_USER (204), .own_sign_in = TRUE },
};

static const char *
token_of (World  *w,
          Caller  caller)
{
  return w->callers[caller].access;
}

static void
append_placeholder (World      *w,
                    Caller      caller,
                    const char *name,
                    GString    *out)
{
  if (g_str_equal (name, "n"))
    g_string_append_printf (out, "%u", ++w->serial);
  else if (g_str_equal (name, "op"))
    g_string_append (out, caller == CALLER_ADMIN ? "\"operator\":\"north\"," : "");
  else if (g_str_equal (name, "north-lot"))
    g_string_append (out, w->north.lot_id);
  else if (g_str_equal (name, "north-spot"))
    g_string_append (out, w->north.spot_id);
  else if (g_str_equal (name, "north-attendant"))
    g_string_append (out, w->callers[CALLER_NORTH_ATTENDANT].id);
  else if (g_str_equal (name, "tmp-lot"))
    {
      g_autofree char *lot_name = g_strdup_printf ("Throwaway %u", ++w->serial);
      g_autofree char *id = create_lot (w, admin_token (w), "north", lot_name, 51.07, 13.76);

      g_string_append (out, id);
    }
  else if (g_str_equal (name, "tmp-spot"))
    {
      g_autofree char *path = g_strdup_printf ("api/v1/admin/parking-lots/%s/spots",
                                               w->north.lot_id);
      g_autofree char *body = g_strdup_printf ("{\"number\":\"T%u\"}", ++w->serial);
      g_autofree char *id = expect_id (w, admin_token (w), "POST", path, body, 201);

      g_string_append (out, id);
    }
  else if (g_str_equal (name, "tmp-staff"))
    {
      g_autofree char *email = unique_email (w, "throwaway");
      g_autofree char *id = create_staff (w, admin_token (w), "north", email, "attendant");

      g_string_append (out, id);
    }
  else if (g_str_equal (name, "my-vehicle"))
    {
      g_autofree char *body = NULL;
      g_autofree char *id = NULL;

      if (caller == CALLER_ANONYMOUS)
        {
          g_string_append (out, UNKNOWN_ID);
          return;
        }
      body = g_strdup_printf ("{\"plate\":\"DD-V %u\"}", ++w->serial);
      id = expect_id (w, token_of (w, caller), "POST", "api/v1/users/me/vehicles", body, 201);
      g_string_append (out, id);
    }
  else
    g_error ("unknown placeholder <%s>", name);
}

static char *
expand (World      *w,
        Caller      caller,
        const char *text)
{
  GString *out;

  if (text == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (const char *p = text; *p != '\0';)
    {
      const char *end = *p == '<' ? strchr (p, '>') : NULL;

      if (end != NULL)
        {
          g_autofree char *name = g_strndup (p + 1, end - p - 1);

          append_placeholder (w, caller, name, out);
          p = end + 1;
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* The slug a list item belongs to, by the kind of list. */
static const char *
item_scope (World      *w,
            Check       check,
            JsonObject *item)
{
  const char *operator_id;

  switch (check)
    {
    case CHECK_LOTS:
    case CHECK_STAFF:
      return string_member (object_member (item, "operator"), "slug");
    case CHECK_OPERATORS:
      return string_member (item, "slug");
    case CHECK_AUDIT:
      operator_id = string_member (item, "operator_id");
      if (g_strcmp0 (operator_id, w->north.id) == 0)
        return "north";
      if (g_strcmp0 (operator_id, w->south.id) == 0)
        return "south";
      return operator_id;
    case CHECK_NONE:
    case CHECK_CREATED:
    case CHECK_IMPORTED:
    default:
      return NULL;
    }
}

/* What is wrong with a successful answer, or NULL. */
static char *
check_success (World            *w,
               const Row        *row,
               Caller            caller,
               ParkTestResponse *response)
{
  const Tenant *tenant = caller_tenant (w, caller);
  const char *scope = strstr (row->path, "operator=north") != NULL ? "north"
                      : tenant != NULL ? tenant->slug : NULL;
  JsonObject *object = answer_object (response);
  JsonArray *items;

  switch (row->check)
    {
    case CHECK_NONE:
      return NULL;

    case CHECK_CREATED:
      {
        const char *want = tenant != NULL ? tenant->slug : "north";
        const char *got = string_member (object_member (object, "operator"), "slug");

        if (g_strcmp0 (got, want) != 0)
          return g_strdup_printf ("made for operator %s, not %s", got != NULL ? got : "(none)",
                                  want);
        return NULL;
      }

    case CHECK_IMPORTED:
      if (g_strcmp0 (string_member (object, "operator"), "north") != 0 ||
          json_object_get_int_member_with_default (object, "imported", -1) != 1)
        return body_text (response);
      return NULL;

    case CHECK_LOTS:
    case CHECK_STAFF:
    case CHECK_AUDIT:
    case CHECK_OPERATORS:
    default:
      items = answer_items (response);
      if (items == NULL)
        return g_strdup ("no \"items\"");
      if (scope == NULL)
        return NULL;
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          const char *of = item_scope (w, row->check, item);

          if (g_strcmp0 (of, scope) != 0)
            return g_strdup_printf ("the list holds %s (of operator %s), not only %s's",
                                    string_member (item, "id") != NULL
                                    ? string_member (item, "id") : "an entry",
                                    of != NULL ? of : "none", scope);
        }
      return NULL;
    }
}

static const char *
expected_code (const Row *row,
               guint      status)
{
  switch (status)
    {
    case 400:
      return row->code;
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not-found";
    default:
      return NULL;
    }
}

/* Calls @row as @caller; a line about what went wrong, or NULL. */
static char *
run_row (World     *w,
         const Row *row,
         Caller     caller)
{
  g_autofree char *path = expand (w, caller, row->path);
  g_autofree char *body = expand (w, caller, row->body);
  g_autofree char *own = NULL;
  g_autofree char *problem = NULL;
  g_autoptr(ParkTestResponse) response = NULL;
  const char *token = token_of (w, caller);
  guint want = row->status[caller];
  const char *code;

  if (row->own_sign_in && caller != CALLER_ANONYMOUS)
    token = own = fresh_token (w, &w->callers[caller]);
  response = park_test_call (w->backend, token, row->method, path, body);
  code = problem_code (response);

  if (response->status != want)
    problem = g_strdup ("wrong status");
  else if (want >= 400)
    {
      const char *want_code = expected_code (row, want);
      const char *field = string_member (answer_object (response), "field");

      if (want_code != NULL && g_strcmp0 (code, want_code) != 0)
        problem = g_strdup_printf ("the code should be %s", want_code);
      else if (want == 400 && row->field != NULL && g_strcmp0 (field, row->field) != 0)
        problem = g_strdup_printf ("the field should be %s, not %s", row->field,
                                   field != NULL ? field : "absent");
    }
  else
    problem = check_success (w, row, caller, response);

  if (problem == NULL)
    return NULL;
  return g_strdup_printf ("%-6s /%s as %s: expected %u, got %u (code %s): %s", row->method,
                          row->path, caller_names[caller], want, response->status, code,
                          problem);
}

static void
test_matrix (void)
{
  World *w = world_get ();
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
  guint n_rows = 0;

  for (guint i = 0; i < G_N_ELEMENTS (matrix); i++)
    for (Caller caller = 0; caller < N_CALLERS; caller++)
      {
        char *failure = run_row (w, &matrix[i], caller);

        n_rows++;
        if (failure != NULL)
          {
            g_test_message ("FAIL %s", failure);
            g_ptr_array_add (failures, failure);
          }
      }

  g_test_message ("%u of %u rows answered as expected", n_rows - failures->len, n_rows);
  if (failures->len > 0)
    g_test_fail_printf ("%u of %u rows of the role matrix failed (see the FAIL lines)",
                        failures->len, n_rows);
}

/* ---- the tenant rule: another operator's object is as good as none ----------------------- */

static char *
replace_all (const char *text,
             const char *from,
             const char *to)
{
  g_auto(GStrv) parts = NULL;

  if (text == NULL)
    return NULL;
  parts = g_strsplit (text, from, -1);
  return g_strjoinv (to, parts);
}

/* @path_theirs (north's object, asked by south's operator) is answered like @path_none (an
 * object that does not exist): the same status and the same problem, word for word. The
 * slug a filter names is the only difference allowed in the detail. */
static void
assert_like_unknown (World      *w,
                     const char *method,
                     const char *path_theirs,
                     const char *path_none,
                     const char *body)
{
  const char *token = token_of (w, CALLER_SOUTH_OPERATOR);
  g_autoptr(ParkTestResponse) theirs = park_test_call (w->backend, token, method, path_theirs,
                                                       body);
  g_autoptr(ParkTestResponse) none = park_test_call (w->backend, token, method, path_none,
                                                     body);
  JsonObject *a = answer_object (theirs);
  JsonObject *b = answer_object (none);
  const char * const members[] = { "type", "title", "code", "field" };
  g_autofree char *detail = replace_all (string_member (a, "detail"), "\"north\"",
                                         "\"nowhere\"");

  g_test_message ("%s %s -> %u %s; %s -> %u %s", method, path_theirs, theirs->status,
                  problem_code (theirs), path_none, none->status, problem_code (none));
  g_assert_cmpuint (theirs->status, ==, 404);
  g_assert_cmpuint (none->status, ==, 404);
  g_assert_cmpstr (theirs->content_type, ==, none->content_type);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_assert_cmpstr (string_member (a, members[i]), ==, string_member (b, members[i]));
  g_assert_cmpstr (detail, ==, string_member (b, "detail"));
}

static void
test_tenant_like_unknown (void)
{
  World *w = world_get ();
  const char *lot = w->north.lot_id;
  const char *spot = w->north.spot_id;
  const char *staff = w->callers[CALLER_NORTH_ATTENDANT].id;
  const char *operator_id = w->callers[CALLER_NORTH_OPERATOR].id;
  g_autofree char *lot_path = g_strdup_printf ("api/v1/admin/parking-lots/%s", lot);
  g_autofree char *spots_path = g_strdup_printf ("api/v1/admin/parking-lots/%s/spots", lot);
  g_autofree char *spot_path = g_strdup_printf ("api/v1/admin/spots/%s", spot);
  g_autofree char *staff_path = g_strdup_printf ("api/v1/admin/staff/%s", staff);
  g_autofree char *op_path = g_strdup_printf ("api/v1/admin/staff/%s", operator_id);
  const char *none_lot = "api/v1/admin/parking-lots/" UNKNOWN_ID;
  const char *none_spots = "api/v1/admin/parking-lots/" UNKNOWN_ID "/spots";
  const char *none_spot = "api/v1/admin/spots/" UNKNOWN_ID;
  const char *none_staff = "api/v1/admin/staff/" UNKNOWN_ID;
  g_autoptr(ParkTestResponse) still = NULL;

  assert_like_unknown (w, "GET", lot_path, none_lot, NULL);
  assert_like_unknown (w, "PATCH", lot_path, none_lot, "{\"name\":\"Taken over\"}");
  assert_like_unknown (w, "POST", spots_path, none_spots, "{\"number\":\"Q1\"}");
  assert_like_unknown (w, "PATCH", spot_path, none_spot, "{\"state\":\"out_of_service\"}");
  assert_like_unknown (w, "PATCH", staff_path, none_staff, "{\"disabled\":true}");
  assert_like_unknown (w, "PATCH", op_path, none_staff, "{\"role\":\"attendant\"}");
  assert_like_unknown (w, "GET", "api/v1/admin/parking-lots?operator=north",
                       "api/v1/admin/parking-lots?operator=nowhere", NULL);
  assert_like_unknown (w, "GET", "api/v1/admin/staff?operator=north",
                       "api/v1/admin/staff?operator=nowhere", NULL);
  assert_like_unknown (w, "GET", "api/v1/admin/audit-log?operator=north",
                       "api/v1/admin/audit-log?operator=nowhere", NULL);
  assert_like_unknown (w, "POST", "api/v1/admin/parking-lots/import?operator=north",
                       "api/v1/admin/parking-lots/import?operator=nowhere",
                       "{\"type\":\"FeatureCollection\",\"features\":[]}");
  assert_like_unknown (w, "DELETE", spot_path, none_spot, NULL);
  assert_like_unknown (w, "DELETE", staff_path, none_staff, NULL);
  assert_like_unknown (w, "DELETE", lot_path, none_lot, NULL);

  /* And none of it changed anything. */
  still = expect (w, admin_token (w), "GET", lot_path, NULL, 200);
  g_assert_cmpstr (string_member (answer_object (still), "id"), ==, lot);
  g_clear_pointer (&still, park_test_response_free);
  still = expect (w, token_of (w, CALLER_NORTH_ATTENDANT), "GET", "api/v1/users/me", NULL, 200);
  g_assert_false (json_object_get_boolean_member_with_default (answer_object (still),
                                                               "disabled", TRUE));
}

/* ---- lists are scoped to the caller's operator ------------------------------------------- */

static void
assert_scoped (World      *w,
               GPtrArray  *items,
               Check       check,
               const char *slug,
               const char *what)
{
  for (guint i = 0; i < items->len; i++)
    {
      const char *of = item_scope (w, check, item_at (items, i));

      if (g_strcmp0 (of, slug) != 0)
        g_test_message ("%s: item %u is of %s", what, i, of != NULL ? of : "no operator");
      g_assert_cmpstr (of, ==, slug);
    }
}

static gboolean
has_scope (World      *w,
           GPtrArray  *items,
           Check       check,
           const char *slug)
{
  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (item_scope (w, check, item_at (items, i)), slug) == 0)
      return TRUE;
  return FALSE;
}

static void
test_lists_scoped (void)
{
  World *w = world_get ();
  const char *north_op = token_of (w, CALLER_NORTH_OPERATOR);
  const char *admin = admin_token (w);
  g_autoptr(GPtrArray) lots = collect_items (w, north_op, "api/v1/admin/parking-lots");
  g_autoptr(GPtrArray) staff = collect_items (w, north_op, "api/v1/admin/staff");
  g_autoptr(GPtrArray) audit = collect_items (w, north_op, "api/v1/admin/audit-log");
  g_autoptr(GPtrArray) operators = collect_items (w, north_op, "api/v1/admin/operators");
  g_autoptr(GPtrArray) all_lots = collect_items (w, admin, "api/v1/admin/parking-lots");
  g_autoptr(GPtrArray) all_staff = collect_items (w, admin, "api/v1/admin/staff");
  g_autoptr(GPtrArray) all_audit = collect_items (w, admin, "api/v1/admin/audit-log");
  g_autoptr(GPtrArray) all_operators = collect_items (w, admin, "api/v1/admin/operators");

  g_test_message ("north-operator sees %u lots, %u staff, %u audit entries, %u operators; "
                  "the admin %u, %u, %u, %u", lots->len, staff->len, audit->len,
                  operators->len, all_lots->len, all_staff->len, all_audit->len,
                  all_operators->len);

  /* North's operator: north's objects, all of them, and nothing else. */
  assert_scoped (w, lots, CHECK_LOTS, "north", "north-operator's lots");
  g_assert_true (collected_has_id (lots, w->north.lot_id));
  g_assert_false (collected_has_id (lots, w->south.lot_id));
  assert_scoped (w, staff, CHECK_STAFF, "north", "north-operator's staff");
  g_assert_true (collected_has_id (staff, w->callers[CALLER_NORTH_ATTENDANT].id));
  g_assert_true (collected_has_id (staff, w->callers[CALLER_NORTH_OPERATOR].id));
  g_assert_false (collected_has_id (staff, w->callers[CALLER_SOUTH_OPERATOR].id));
  g_assert_false (collected_has_id (staff, w->south_attendant.id));
  assert_scoped (w, audit, CHECK_AUDIT, "north", "north-operator's audit log");
  g_assert_cmpuint (audit->len, >, 0);
  assert_scoped (w, operators, CHECK_OPERATORS, "north", "north-operator's operators");
  g_assert_cmpuint (operators->len, ==, 1);
  g_assert_true (collected_has_id (operators, w->north.id));

  /* The admin: both. */
  g_assert_true (collected_has_id (all_lots, w->north.lot_id));
  g_assert_true (collected_has_id (all_lots, w->south.lot_id));
  g_assert_true (collected_has_id (all_staff, w->callers[CALLER_NORTH_ATTENDANT].id));
  g_assert_true (collected_has_id (all_staff, w->callers[CALLER_NORTH_OPERATOR].id));
  g_assert_true (collected_has_id (all_staff, w->callers[CALLER_SOUTH_OPERATOR].id));
  g_assert_true (collected_has_id (all_staff, w->south_attendant.id));
  g_assert_true (has_scope (w, all_audit, CHECK_AUDIT, "north"));
  g_assert_true (has_scope (w, all_audit, CHECK_AUDIT, "south"));
  g_assert_true (collected_has_id (all_operators, w->north.id));
  g_assert_true (collected_has_id (all_operators, w->south.id));
  g_assert_cmpuint (all_lots->len, >, lots->len);
  g_assert_cmpuint (all_staff->len, >, staff->len);
  g_assert_cmpuint (all_audit->len, >, audit->len);
}

/* ---- the audit log ----------------------------------------------------------------------- */

/* An entry of @action about @object_id, by @actor_id unless that is NULL; or NULL. */
static JsonObject *
find_entry (GPtrArray  *entries,
            const char *action,
            const char *object_id,
            const char *actor_id)
{
  for (guint i = 0; i < entries->len; i++)
    {
      JsonObject *entry = item_at (entries, i);

      if (g_strcmp0 (string_member (entry, "action"), action) == 0 &&
          g_strcmp0 (string_member (entry, "object_id"), object_id) == 0 &&
          (actor_id == NULL || g_strcmp0 (string_member (entry, "actor_id"), actor_id) == 0))
        return entry;
    }
  return NULL;
}

/* An entry of @action about @object_id, by @actor_id (NULL: nobody signed in), from this
 * machine, for @operator_id (NULL: none). */
static void
assert_entry (GPtrArray  *entries,
              const char *action,
              const char *object_id,
              const char *actor_id,
              const char *operator_id)
{
  JsonObject *entry = find_entry (entries, action, object_id, actor_id);

  if (entry == NULL)
    {
      JsonObject *any = find_entry (entries, action, object_id, NULL);
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;

      if (any != NULL)
        {
          node = json_node_init_object (json_node_alloc (), any);
          text = json_to_string (node, FALSE);
        }
      g_test_message ("no %s entry about %s by %s; %s", action, object_id,
                      actor_id != NULL ? actor_id : "nobody",
                      text != NULL ? text : "none about it at all");
    }
  g_assert_nonnull (entry);
  g_assert_cmpstr (string_member (entry, "actor_id"), ==, actor_id);
  g_assert_cmpstr (string_member (entry, "client"), ==, "127.0.0.1");
  g_assert_cmpstr (string_member (entry, "operator_id"), ==, operator_id);
  g_assert_nonnull (string_member (entry, "at"));
}

static void
test_audit (void)
{
  World *w = world_get ();
  const char *north_op = token_of (w, CALLER_NORTH_OPERATOR);
  Account *driver = &w->callers[CALLER_DRIVER];
  Account victim = { 0, };
  g_autofree char *lot_id = NULL, *spot_id = NULL, *staff_id = NULL, *email = NULL;
  g_autofree char *spots_path = NULL, *spot_path = NULL, *wrong = NULL, *register_body = NULL;
  g_autoptr(ParkTestResponse) patched = NULL, failed = NULL, registered = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  /* Each by someone else, so that the actors can be told apart. */
  lot_id = create_lot (w, north_op, NULL, "Audited Lot", 51.08, 13.70);
  spots_path = g_strdup_printf ("api/v1/admin/parking-lots/%s/spots", lot_id);
  spot_id = expect_id (w, north_op, "POST", spots_path, "{\"number\":\"A1\"}", 201);
  spot_path = g_strdup_printf ("api/v1/admin/spots/%s", spot_id);
  patched = expect (w, token_of (w, CALLER_NORTH_ATTENDANT), "PATCH", spot_path,
                    "{\"state\":\"occupied\"}", 200);
  email = unique_email (w, "audited");
  staff_id = create_staff (w, north_op, NULL, email, "attendant");
  sign_in (w, driver);

  /* A failed sign-in, on an account of its own so the others are not throttled. */
  victim.email = unique_email (w, "victim");
  register_body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"" PASSWORD "\"}",
                                   victim.email);
  registered = expect (w, NULL, "POST", "api/v1/auth/register", register_body, 201);
  take_tokens (&victim, registered);
  victim.id = me_id (w, victim.access);
  wrong = sign_in_body (victim.email, "Wrong-Password-99");
  failed = expect (w, NULL, "POST", "api/v1/auth/login", wrong, 401);
  park_test_assert_problem (failed, 401, "invalid-credentials", NULL);

  entries = collect_items (w, admin_token (w), "api/v1/admin/audit-log");
  g_test_message ("%u audit entries", entries->len);

  assert_entry (entries, "lot.create", w->north.lot_id, w->callers[CALLER_ADMIN].id,
                w->north.id);
  assert_entry (entries, "lot.create", lot_id, w->callers[CALLER_NORTH_OPERATOR].id,
                w->north.id);
  assert_entry (entries, "spot.update", spot_id, w->callers[CALLER_NORTH_ATTENDANT].id,
                w->north.id);
  assert_entry (entries, "staff.create", staff_id, w->callers[CALLER_NORTH_OPERATOR].id,
                w->north.id);
  assert_entry (entries, "staff.create", w->callers[CALLER_SOUTH_OPERATOR].id,
                w->callers[CALLER_ADMIN].id, w->south.id);
  assert_entry (entries, "auth.login", driver->id, driver->id, NULL);
  assert_entry (entries, "auth.login", w->callers[CALLER_NORTH_ATTENDANT].id,
                w->callers[CALLER_NORTH_ATTENDANT].id, w->north.id);
  /* Nobody was signed in: the attempt is about the account, not by it. */
  assert_entry (entries, "auth.login-failed", victim.id, NULL, NULL);

  account_clear (&victim);
}

/* ---- staff accounts: disabled, oneself, no admins ---------------------------------------- */

static void
test_staff_disabled (void)
{
  World *w = world_get ();
  const char *north_op = token_of (w, CALLER_NORTH_OPERATOR);
  Account gone = { 0, };
  g_autofree char *path = NULL, *login = NULL, *refresh = NULL;
  g_autoptr(ParkTestResponse) disabled = NULL, again = NULL, refreshed = NULL;

  gone.email = unique_email (w, "leaver");
  gone.id = create_staff (w, north_op, NULL, gone.email, "attendant");
  sign_in (w, &gone);

  path = g_strdup_printf ("api/v1/admin/staff/%s", gone.id);
  disabled = expect (w, north_op, "PATCH", path, "{\"disabled\":true}", 200);
  g_assert_true (json_object_get_boolean_member_with_default (answer_object (disabled),
                                                              "disabled", FALSE));

  login = sign_in_body (gone.email, PASSWORD);
  again = park_test_call (w->backend, NULL, "POST", "api/v1/auth/login", login);
  g_test_message ("sign-in when disabled: %u %s", again->status, problem_code (again));
  /* The same answer as a wrong password: a disabled account is not told apart. */
  park_test_assert_problem (again, 401, "invalid-credentials", NULL);

  refresh = g_strdup_printf ("{\"refresh_token\":\"%s\"}", gone.refresh);
  refreshed = park_test_call (w->backend, NULL, "POST", "api/v1/auth/refresh", refresh);
  g_test_message ("refresh when disabled: %u %s", refreshed->status, problem_code (refreshed));
  park_test_assert_problem (refreshed, 401, "invalid-token", "refresh_token");

  account_clear (&gone);
}

static void
test_staff_self_and_admin (void)
{
  World *w = world_get ();
  const char *north_op = token_of (w, CALLER_NORTH_OPERATOR);
  g_autofree char *own = g_strdup_printf ("api/v1/admin/staff/%s",
                                          w->callers[CALLER_NORTH_OPERATOR].id);
  g_autofree char *admin_email = unique_email (w, "would-be-admin");
  g_autofree char *as_admin = staff_body (NULL, admin_email, "admin");
  g_autofree char *by_admin = staff_body ("north", admin_email, "admin");
  g_autoptr(ParkTestResponse) patch_self = NULL, delete_self = NULL, disable_self = NULL;
  g_autoptr(ParkTestResponse) made = NULL, made_by_admin = NULL, login = NULL;
  g_autofree char *login_body = NULL;

  /* An operator does not disable, promote or delete themselves. */
  patch_self = park_test_call (w->backend, north_op, "PATCH", own, "{\"first_name\":\"Me\"}");
  park_test_assert_problem (patch_self, 409, "cannot-change-self", NULL);
  disable_self = park_test_call (w->backend, north_op, "PATCH", own, "{\"disabled\":true}");
  park_test_assert_problem (disable_self, 409, "cannot-change-self", NULL);
  delete_self = park_test_call (w->backend, north_op, "DELETE", own, NULL);
  park_test_assert_problem (delete_self, 409, "cannot-change-self", NULL);

  /* Nobody makes an admin through the API. */
  made = park_test_call (w->backend, north_op, "POST", "api/v1/admin/staff", as_admin);
  park_test_assert_problem (made, 400, "invalid-field", "role");
  made_by_admin = park_test_call (w->backend, admin_token (w), "POST", "api/v1/admin/staff",
                                  by_admin);
  park_test_assert_problem (made_by_admin, 400, "invalid-field", "role");
  login_body = sign_in_body (admin_email, PASSWORD);
  login = park_test_call (w->backend, NULL, "POST", "api/v1/auth/login", login_body);
  g_assert_cmpuint (login->status, ==, 401);

  /* The operator is still there, and still an operator. */
  g_clear_pointer (&login, park_test_response_free);
  login = expect (w, north_op, "GET", "api/v1/users/me", NULL, 200);
  g_assert_cmpstr (string_member (answer_object (login), "role"), ==, "operator");
  g_assert_false (json_object_get_boolean_member_with_default (answer_object (login),
                                                               "disabled", TRUE));
}

/* ---- an operator's lot in the public search ---------------------------------------------- */

static gboolean
search_finds (World      *w,
              double      lat,
              double      lng,
              const char *lot_id)
{
  g_autofree char *path =
    g_strdup_printf ("api/v1/parking-lots?lat=%.5f&lng=%.5f&radius=1000&per_page=100", lat,
                     lng);
  g_autoptr(ParkTestResponse) response = expect (w, NULL, "GET", path, NULL, 200);

  return items_have_id (answer_items (response), lot_id);
}

static gint64
available_spots (World      *w,
                 const char *lot_id)
{
  g_autofree char *path = g_strdup_printf ("api/v1/parking-lots/%s", lot_id);
  g_autoptr(ParkTestResponse) response = expect (w, NULL, "GET", path, NULL, 200);

  return json_object_get_int_member_with_default (answer_object (response), "available_spots",
                                                  -1);
}

static void
test_public_search (void)
{
  World *w = world_get ();
  const char *north_op = token_of (w, CALLER_NORTH_OPERATOR);
  const double lat = 51.3391, lng = 12.3731;      /* Leipzig: no other lot of this run */
  const double far_lat = 53.5511, far_lng = 9.9937;
  g_autofree char *lot_id = create_lot (w, north_op, NULL, "Leipzig Markt", lat, lng);
  g_autofree char *admin_path = g_strdup_printf ("api/v1/admin/parking-lots/%s", lot_id);
  g_autofree char *public_path = g_strdup_printf ("api/v1/parking-lots/%s", lot_id);
  g_autofree char *spot_id = first_spot (w, lot_id);
  g_autofree char *spot_path = g_strdup_printf ("api/v1/admin/spots/%s", spot_id);
  g_autofree char *move = g_strdup_printf ("{\"lat\":%.4f,\"lng\":%.4f}", far_lat, far_lng);
  g_autoptr(ParkTestResponse) occupied = NULL, moved = NULL, deleted = NULL, gone = NULL;
  gint64 before;

  g_assert_true (search_finds (w, lat, lng, lot_id));

  /* An attendant's "occupied" is one spot fewer for drivers. */
  before = available_spots (w, lot_id);
  g_assert_cmpint (before, ==, 6);
  occupied = expect (w, token_of (w, CALLER_NORTH_ATTENDANT), "PATCH", spot_path,
                     "{\"state\":\"occupied\"}", 200);
  g_assert_cmpstr (string_member (answer_object (occupied), "state"), ==, "occupied");
  g_assert_cmpint (available_spots (w, lot_id), ==, before - 1);

  /* Moved to Hamburg: no longer found in Leipzig, found there. */
  moved = expect (w, north_op, "PATCH", admin_path, move, 200);
  g_assert_false (search_finds (w, lat, lng, lot_id));
  g_assert_true (search_finds (w, far_lat, far_lng, lot_id));

  deleted = expect (w, north_op, "DELETE", admin_path, NULL, 204);
  gone = park_test_call (w->backend, NULL, "GET", public_path, NULL);
  park_test_assert_problem (gone, 404, "not-found", NULL);
  g_assert_false (search_finds (w, far_lat, far_lng, lot_id));
}

/* ---- main -------------------------------------------------------------------------------- */

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* In this order: the matrix first, on the world as set up; the audit after it. */
  g_test_add_func ("/backend/roles/matrix", test_matrix);
  g_test_add_func ("/backend/roles/tenant-like-unknown", test_tenant_like_unknown);
  g_test_add_func ("/backend/roles/lists-scoped", test_lists_scoped);
  g_test_add_func ("/backend/roles/audit", test_audit);
  g_test_add_func ("/backend/roles/staff-disabled", test_staff_disabled);
  g_test_add_func ("/backend/roles/staff-self-and-admin", test_staff_self_and_admin);
  g_test_add_func ("/backend/roles/public-search", test_public_search);

  status = g_test_run ();
  g_clear_pointer (&world, world_free);
  return status;
}
