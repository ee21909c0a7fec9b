/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The operator analytics of issue 5 as an operator checks them by hand: how full a lot was
 * hour by hour, the money of each day net of refunds, and how long stays lasted.
 *
 * Each test gets its own parkd on a fresh database (no demo city) with two operators made
 * by an admin through the API: "harbour-parking" (Europe/Berlin, EUR) with an operator, an
 * attendant and two lots, "Harbour Yard" (4 regular spots) and "Harbour Lane, North" (2),
 * and "moldau-parken" (Europe/Prague, CZK) with an operator and a lot of its own. A fake
 * Stripe takes the card payments.
 *
 * The history is made with the real API: spots changed by the operator (each change writes
 * its SpotStateChanged event, the lot's occupancy history), bookings paid in cash and by
 * card, one cancelled with its refund, walk-ins and a booking checked in and out. Those all
 * happen now, within seconds, and analytics need hours and days between them: so parkd is
 * stopped and the times of exactly those rows (events, payments, refunds, stays) are moved
 * to fixed times on 9 to 11 March 2025 with the sqlite3 shell (build-aux/dev installs it),
 * then parkd is started again on the same database. Nothing else is written there. Every
 * expected number below follows from those times by hand, as the comments show.
 */
#include "park-test-backend.h"
#include "park-test-postgresql.h"
#include "park-test-csv.h"
#include "park-test-stripe.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#define PASSWORD    "Kestrel-Harbour-42"
#define OPERATOR    "harbour-parking"
#define OTHER       "moldau-parken"
#define YARD        "Harbour Yard"
#define LANE        "Harbour Lane, North"   /* a comma: CSV must quote it */
#define OCCUPANCY   "api/v1/admin/analytics/occupancy"
#define REVENUE     "api/v1/admin/analytics/revenue"
#define STAYS       "api/v1/admin/analytics/stays"

typedef struct
{
  char *id;
  char *access;
} Account;

typedef struct
{
  ParkTestStripe  *stripe;
  ParkTestBackend *backend;
  GPtrArray       *args;
  Account          admin;
  Account          op;            /* operator of OPERATOR */
  Account          attendant;     /* attendant of OPERATOR */
  Account          other_op;      /* operator of OTHER */
  Account          driver;
  char            *operator_id;
  char            *other_id;
  char            *yard;          /* lot ids */
  char            *lane;
  char            *other_lot;
} Fixture;

/* ---- reading answers ------------------------------------------------------------------------ */

static char *
body_text (ParkTestResponse *response)
{
  gsize len = 0;
  const char *data = response->body != NULL ? g_bytes_get_data (response->body, &len) : NULL;

  return g_strndup (data != NULL ? data : "", len);
}

static JsonObject *
object_of (ParkTestResponse *response)
{
  return park_test_response_object (response);
}

static const char *
str (JsonObject *object,
     const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    g_error ("no member \"%s\"", name);
  if (JSON_NODE_HOLDS_NULL (node))
    return NULL;
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
  return json_node_get_string (node);
}

static gint64
num (JsonObject *object,
     const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    g_error ("\"%s\" is not an integer member", name);
  return json_node_get_int (node);
}

/* A number member, integer or not; NAN for null. */
static double
real (JsonObject *object,
      const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    g_error ("no member \"%s\"", name);
  if (JSON_NODE_HOLDS_NULL (node))
    return NAN;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
  return json_node_get_double (node);
}

static JsonObject *
obj (JsonObject *object,
     const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    g_error ("\"%s\" is not an object member", name);
  return json_node_get_object (node);
}

static JsonArray *
arr (JsonObject *object,
     const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    g_error ("\"%s\" is not an array member", name);
  return json_node_get_array (node);
}

#define assert_share(value, expected) g_assert_cmpfloat_with_epsilon ((value), (expected), 1e-9)

/* ---- calls ---------------------------------------------------------------------------------- */

static ParkTestResponse *
expect (Fixture    *f,
        const char *token,
        const char *method,
        const char *path,
        const char *body,
        guint       status)
{
  ParkTestResponse *response = park_test_call (f->backend, token, method, path, body);

  if (response->status != status)
    {
      g_autofree char *text = body_text (response);

      g_test_message ("%s %s: expected %u, got %u: %s", method, path, status, response->status,
                      text);
    }
  g_assert_cmpuint (response->status, ==, status);
  return response;
}

static void
on_request_queued (SoupSession *session,
                   SoupMessage *msg,
                   gpointer     data)
{
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", data);
}

/* GET @path as @account, with "Accept: @accept" when it is set. */
static ParkTestResponse *
get_as (Fixture    *f,
        Account    *account,
        const char *path,
        const char *accept)
{
  gulong id = 0;
  ParkTestResponse *response;
  g_autofree char *text = NULL;

  if (accept != NULL)
    id = g_signal_connect (f->backend->session, "request-queued",
                           G_CALLBACK (on_request_queued), (gpointer) accept);
  response = park_test_call (f->backend, account != NULL ? account->access : NULL, "GET", path,
                             NULL);
  if (id != 0)
    g_signal_handler_disconnect (f->backend->session, id);
  text = body_text (response);
  g_test_message ("GET %s%s%s -> %u\n%s", path, accept != NULL ? " Accept: " : "",
                  accept != NULL ? accept : "", response->status, text);
  return response;
}

/* An analytics answer that must be 200 JSON. */
static ParkTestResponse *
report (Fixture    *f,
        Account    *account,
        const char *path)
{
  ParkTestResponse *response = get_as (f, account, path, NULL);

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (response->content_type, ==, "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Vary"), ==, "accept");
  return response;
}

/* An analytics answer that must be 200 CSV; its records, header first. */
static GPtrArray *
report_csv (Fixture    *f,
            Account    *account,
            const char *path)
{
  g_autoptr(ParkTestResponse) response = get_as (f, account, path, "text/csv");
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data;
  GPtrArray *records;

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Content-Type"), ==,
                   "text/csv; charset=utf-8");
  data = g_bytes_get_data (response->body, &len);
  records = park_test_csv_parse (data, len, &error);
  g_assert_no_error (error);
  return records;
}

static const char *
field (GPtrArray *records,
       guint      record,
       guint      column)
{
  char **fields = g_ptr_array_index (records, record);

  g_assert_cmpuint (column, <, g_strv_length (fields));
  return fields[column];
}

static void
assert_header (GPtrArray  *records,
               const char *header)
{
  g_auto(GStrv) expected = g_strsplit (header, ",", -1);

  g_assert_cmpuint (records->len, >=, 1);
  g_assert_true (g_strv_equal ((const char * const *) g_ptr_array_index (records, 0),
                               (const char * const *) expected));
}

/* An answer that must be the problem @code about @field. */
static void
refused (Fixture    *f,
         Account    *account,
         const char *path,
         guint       status,
         const char *code,
         const char *field_name)
{
  g_autoptr(ParkTestResponse) response = get_as (f, account, path, NULL);

  park_test_assert_problem (response, status, code, field_name);
}

/* ---- the database, while parkd is stopped --------------------------------------------------- */

static char *
sqlite_shell (Fixture    *f,
              const char *sql)
{
  g_autofree char *shell = g_find_program_in_path ("sqlite3");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  g_autofree char *err = NULL;

  /* On the PostgreSQL store (PARK_TEST_STORE=postgresql) the same SQL goes to psql. */
  if (g_str_has_prefix (f->backend->db_path, "postgresql://"))
    {
      g_assert_null (f->backend->process);
      return park_test_postgresql_value (f->backend->db_path, sql);
    }
  /* build-aux/dev installs it; without it the history cannot be placed in the past, and the
   * test must not pass silently. */
  if (shell == NULL)
    g_error ("the sqlite3 shell is needed to move the history into the past "
             "(apt-get install sqlite3)");
  g_assert_null (f->backend->process);
  g_test_message ("sqlite3: %s", sql);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, shell, "-batch", "-bail", f->backend->db_path, sql, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (err != NULL && *err != '\0')
    g_test_message ("sqlite3: %s", err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  return g_strstrip (out);
}

/* Runs @sql, which must change exactly @changes rows. */
static void
rewrite (Fixture    *f,
         const char *sql,
         int         changes)
{
  g_autofree char *with_count = NULL, *out = NULL;

  if (g_str_has_prefix (f->backend->db_path, "postgresql://"))
    {
      g_assert_null (f->backend->process);
      g_assert_cmpint (park_test_postgresql_changes (f->backend->db_path, sql), ==, changes);
      return;
    }
  with_count = g_strdup_printf ("%s; SELECT changes ();", sql);
  out = sqlite_shell (f, with_count);
  g_assert_cmpint (g_ascii_strtoll (out, NULL, 10), ==, changes);
}

static void
stop (Fixture *f)
{
  park_test_backend_stop (f->backend);
}

static void
restart (Fixture *f)
{
  park_test_backend_start (f->backend, (const char * const *) f->args->pdata);
}

/* ---- the fixture ---------------------------------------------------------------------------- */

static void
sign_in (Fixture    *f,
         Account    *account,
         const char *email)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"" PASSWORD "\"}",
                                           email);
  g_autoptr(ParkTestResponse) login = expect (f, NULL, "POST", "api/v1/auth/login", body, 200);
  g_autoptr(ParkTestResponse) me = NULL;

  account->access = g_strdup (str (object_of (login), "access_token"));
  me = expect (f, account->access, "GET", "api/v1/users/me", NULL, 200);
  account->id = g_strdup (str (object_of (me), "id"));
}

/* "parkd user add" for the first admin, the password from a file on stdin. */
static void
add_admin (Fixture *f)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = g_build_filename (f->backend->tmpdir, "password", NULL);

  g_file_set_contents (input, PASSWORD "\n", -1, &error);
  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_stdin_file_path (launcher, input);
  g_subprocess_launcher_unsetenv (launcher, "PARKD_CONFIG");
  g_subprocess_launcher_set_child_setup (launcher, park_test_die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, park_test_parkd_path (), "user",
                                         "add", "--email", "admin@example.org", "--role",
                                         "admin", "--database", f->backend->db_path, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
  g_unlink (input);
  sign_in (f, &f->admin, "admin@example.org");
}

static char *
create_operator (Fixture    *f,
                 const char *slug,
                 const char *time_zone,
                 const char *currency)
{
  g_autofree char *body = g_strdup_printf ("{\"slug\":\"%s\",\"name\":\"%s\",\"city\":\"Dresden\","
                                           "\"time_zone\":\"%s\",\"currency\":\"%s\"}",
                                           slug, slug, time_zone, currency);
  g_autoptr(ParkTestResponse) created = expect (f, f->admin.access, "POST",
                                                "api/v1/admin/operators", body, 201);

  return g_strdup (str (object_of (created), "id"));
}

static void
add_staff (Fixture    *f,
           const char *slug,
           const char *role,
           Account    *account,
           const char *email)
{
  g_autofree char *body = g_strdup_printf ("{\"operator\":\"%s\",\"email\":\"%s\","
                                           "\"password\":\"" PASSWORD "\",\"role\":\"%s\","
                                           "\"first_name\":\"Sam\",\"last_name\":\"Staff\"}",
                                           slug, email, role);
  g_autoptr(ParkTestResponse) created = expect (f, f->admin.access, "POST",
                                                "api/v1/admin/staff", body, 201);

  sign_in (f, account, email);
}

/* A lot at 3.00 an hour, open around the clock; @operator_member for an admin's. */
static char *
create_lot (Fixture    *f,
            Account    *account,
            const char *operator_member,
            const char *name,
            const char *spots)
{
  g_autofree char *body = g_strdup_printf ("{%s\"name\":\"%s\",\"address\":\"Kai 1\","
                                           "\"lat\":51.05,\"lng\":13.74,\"hourly_rate\":300,"
                                           "\"spots\":%s}", operator_member, name, spots);
  g_autoptr(ParkTestResponse) created = expect (f, account->access, "POST",
                                                "api/v1/admin/parking-lots", body, 201);

  return g_strdup (str (object_of (created), "id"));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(ParkTestResponse) registered = NULL;

  f->stripe = park_test_stripe_new ();
  f->backend = park_test_backend_new ();
  f->args = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (f->args, g_strdup ("--auth-rate-limit"));
  g_ptr_array_add (f->args, g_strdup ("0"));
  g_ptr_array_add (f->args, g_strdup ("--account-rate-limit"));
  g_ptr_array_add (f->args, g_strdup ("0"));
  g_ptr_array_add (f->args, g_strdup ("--stripe-api"));
  g_ptr_array_add (f->args, g_strdup (park_test_stripe_get_url (f->stripe)));
  g_ptr_array_add (f->args, g_strdup ("--stripe-secret-key"));
  g_ptr_array_add (f->args, g_strdup (park_test_stripe_get_secret_key (f->stripe)));
  g_ptr_array_add (f->args, NULL);
  restart (f);

  add_admin (f);
  f->operator_id = create_operator (f, OPERATOR, "Europe/Berlin", "EUR");
  f->other_id = create_operator (f, OTHER, "Europe/Prague", "CZK");
  add_staff (f, OPERATOR, "operator", &f->op, "olaf.operator@example.org");
  add_staff (f, OPERATOR, "attendant", &f->attendant, "anna.attendant@example.org");
  add_staff (f, OTHER, "operator", &f->other_op, "otto.moldau@example.org");
  registered = expect (f, NULL, "POST", "api/v1/auth/register",
                       "{\"email\":\"dana.driver@example.org\",\"password\":\"" PASSWORD "\","
                       "\"first_name\":\"Dana\",\"last_name\":\"Driver\"}", 201);
  sign_in (f, &f->driver, "dana.driver@example.org");

  f->yard = create_lot (f, &f->op, "", YARD, "{\"regular\":4}");
  f->lane = create_lot (f, &f->op, "", LANE, "{\"regular\":2}");
  f->other_lot = create_lot (f, &f->admin, "\"operator\":\"" OTHER "\",", "Moldau Hof",
                             "{\"regular\":3}");
}

static void
account_clear (Account *account)
{
  g_clear_pointer (&account->id, g_free);
  g_clear_pointer (&account->access, g_free);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->backend, park_test_backend_free);
  g_clear_pointer (&f->stripe, park_test_stripe_free);
  g_clear_pointer (&f->args, g_ptr_array_unref);
  account_clear (&f->admin);
  account_clear (&f->op);
  account_clear (&f->attendant);
  account_clear (&f->other_op);
  account_clear (&f->driver);
  g_free (f->operator_id);
  g_free (f->other_id);
  g_free (f->yard);
  g_free (f->lane);
  g_free (f->other_lot);
}

/* ---- making history ------------------------------------------------------------------------- */

/* The ids of @lot's spots, by number. */
static GPtrArray *
spot_ids (Fixture    *f,
          const char *lot)
{
  g_autofree char *path = g_strdup_printf ("api/v1/parking-lots/%s/spots", lot);
  g_autoptr(ParkTestResponse) page = expect (f, NULL, "GET", path, NULL, 200);
  JsonArray *items = arr (object_of (page), "items");
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (items); i++)
    g_ptr_array_add (ids, g_strdup (str (json_array_get_object_element (items, i), "id")));
  return ids;
}

static void
set_state (Fixture    *f,
           const char *spot,
           const char *state)
{
  g_autofree char *path = g_strdup_printf ("api/v1/admin/spots/%s", spot);
  g_autofree char *body = g_strdup_printf ("{\"state\":\"%s\"}", state);
  g_autoptr(ParkTestResponse) updated = expect (f, f->op.access, "PATCH", path, body, 200);

  g_assert_cmpstr (str (object_of (updated), "state"), ==, state);
}

/* Moves the @n-th (from 0) event of @lot's history to @at. */
static void
move_event (Fixture    *f,
            const char *lot,
            guint       n,
            const char *at)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE events SET created_at = '%s' WHERE seq = "
                                          "(SELECT seq FROM events WHERE aggregate = 'lot:%s' "
                                          "ORDER BY seq LIMIT 1 OFFSET %u)", at, lot, n);

  rewrite (f, sql, 1);
}

/* Moves the making of @lot to @at. */
static void
move_lot (Fixture    *f,
          const char *lot,
          const char *at)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE parking_lots SET created_at = '%s' "
                                          "WHERE id = '%s'", at, lot);

  rewrite (f, sql, 1);
}

/* @days from today, at @hour:00 in Dresden, as RFC 3339. */
static char *
local_time (int days,
            int hour)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);
  g_autoptr(GDateTime) at = g_date_time_new (tz, g_date_time_get_year (day),
                                             g_date_time_get_month (day),
                                             g_date_time_get_day_of_month (day), hour, 0, 0);

  return g_date_time_format (at, "%Y-%m-%dT%H:%M:%S%:z");
}

static char *
utc_in (int minutes)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_minutes (now, minutes);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

/* A booking of a regular spot of @lot by the driver; its id, total and code. */
static char *
book (Fixture    *f,
      const char *lot,
      const char *start,
      const char *end,
      gint64     *total,
      char      **code)
{
  g_autofree char *body = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"spot_type\":\"regular\","
                                           "\"start_time\":\"%s\",\"end_time\":\"%s\"}",
                                           lot, start, end);
  g_autoptr(ParkTestResponse) booked = expect (f, f->driver.access, "POST",
                                               "api/v1/reservations", body, 201);

  *total = num (object_of (booked), "total_cost");
  if (code != NULL)
    *code = g_strdup (str (object_of (booked), "code"));
  return g_strdup (str (object_of (booked), "id"));
}

/* Paid in cash at the booth, exactly; the payment's id. */
static char *
pay_cash (Fixture    *f,
          const char *reservation,
          gint64      amount)
{
  g_autofree char *path = g_strdup_printf ("api/v1/reservations/%s/payments", reservation);
  g_autofree char *body = g_strdup_printf ("{\"provider\":\"cash\",\"tendered\":%" G_GINT64_FORMAT
                                           "}", amount);
  g_autoptr(ParkTestResponse) paid = expect (f, f->attendant.access, "POST", path, body, 201);

  g_assert_cmpint (num (obj (object_of (paid), "payment"), "amount"), ==, amount);
  return g_strdup (str (obj (object_of (paid), "payment"), "id"));
}

static char *
pay_card (Fixture    *f,
          const char *reservation)
{
  g_autofree char *path = g_strdup_printf ("api/v1/reservations/%s/payments", reservation);
  g_autoptr(ParkTestResponse) paid = expect (f, f->driver.access, "POST", path,
                                             "{\"provider\":\"stripe\","
                                             "\"payment_method\":\"pm_card_visa\"}", 201);

  g_assert_cmpstr (str (obj (object_of (paid), "payment"), "status"), ==, "succeeded");
  return g_strdup (str (obj (object_of (paid), "payment"), "id"));
}

/* A walk-in at @lot; its ticket. */
static char *
check_in (Fixture    *f,
          const char *lot,
          const char *plate,
          const char *code)
{
  g_autofree char *body = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"%s\"%s%s%s}",
                                           lot, plate, code != NULL ? ",\"reservation_code\":\""
                                                                    : "",
                                           code != NULL ? code : "", code != NULL ? "\"" : "");
  g_autoptr(ParkTestResponse) in = expect (f, f->attendant.access, "POST", "api/v1/sessions",
                                           body, 201);

  return g_strdup (str (object_of (in), "ticket"));
}

/* Checks a stay out as the booth does, in two calls: it pays, then leaves at the barrier
 * within the exit grace (free). The fee charged. */
static gint64
check_out (Fixture    *f,
           const char *ticket,
           const char *body)
{
  g_autofree char *path = g_strdup_printf ("api/v1/sessions/%s/check-out", ticket);
  g_autoptr(ParkTestResponse) paid = expect (f, f->attendant.access, "POST", path, body, 200);
  g_autoptr(ParkTestResponse) gone = NULL;

  g_assert_cmpstr (str (obj (object_of (paid), "session"), "status"), ==, "paid");
  gone = expect (f, f->attendant.access, "POST", path, "{}", 200);
  g_assert_cmpstr (str (obj (object_of (gone), "session"), "status"), ==, "completed");
  g_assert_cmpint (num (object_of (gone), "fee"), ==, 0);
  return num (object_of (paid), "fee");
}

static void
move_stay (Fixture    *f,
           const char *ticket,
           const char *in,
           const char *out)
{
  g_autofree char *sql = NULL;

  if (out != NULL)
    sql = g_strdup_printf ("UPDATE parking_sessions SET checked_in_at = '%s', "
                           "checked_out_at = '%s' WHERE ticket = '%s'", in, out, ticket);
  else
    sql = g_strdup_printf ("UPDATE parking_sessions SET checked_in_at = '%s' "
                           "WHERE ticket = '%s' AND checked_out_at IS NULL", in, ticket);
  rewrite (f, sql, 1);
}

/* ---- 1. occupancy --------------------------------------------------------------------------- */

static JsonObject *
step_of (JsonObject *answer,
         guint       k)
{
  JsonArray *steps = arr (answer, "steps");

  g_assert_cmpuint (k, <, json_array_get_length (steps));
  return json_array_get_object_element (steps, k);
}

static void
assert_occupancy (JsonObject   *answer,
                  const double *expected,
                  guint         n)
{
  g_assert_cmpuint (json_array_get_length (arr (answer, "steps")), ==, n);
  for (guint k = 0; k < n; k++)
    {
      JsonObject *step = step_of (answer, k);

      g_test_message ("step %u from %s: occupancy %g (expected %g)", k, str (step, "start"),
                      real (step, "occupancy"), expected[k]);
      /* NAN: nothing measured, as before the lot was made. */
      if (isnan (expected[k]))
        {
          g_assert_cmpint (num (step, "measured_seconds"), ==, 0);
          g_assert_true (isnan (real (step, "occupancy")));
          g_assert_true (isnan (real (obj (step, "by_type"), "regular")));
          continue;
        }
      g_assert_cmpint (num (step, "measured_seconds"), >, 0);
      assert_share (real (step, "occupancy"), expected[k]);
      /* The lot has regular spots only. */
      assert_share (real (obj (step, "by_type"), "regular"), expected[k]);
      g_assert_true (isnan (real (obj (step, "by_type"), "ev")));
      g_assert_true (isnan (real (obj (step, "by_type"), "disabled")));
    }
}

static void
test_occupancy (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) spots = spot_ids (f, f->yard);
  const char *a, *b, *c;
  g_autoptr(ParkTestResponse) hourly = NULL, early = NULL, local = NULL, admin = NULL;
  g_autoptr(ParkTestResponse) live = NULL, annex_answer = NULL;
  g_autoptr(GPtrArray) csv = NULL;
  g_autofree char *path = NULL, *events = NULL, *annex = NULL, *spot_path = NULL;
  g_autofree char *live_from = NULL, *live_to = NULL;
  g_autoptr(ParkTestResponse) occupied_spot = NULL, free_spot = NULL;

  g_assert_cmpuint (spots->len, ==, 4);
  a = g_ptr_array_index (spots, 0);
  b = g_ptr_array_index (spots, 1);
  c = g_ptr_array_index (spots, 2);

  /* The operator changes spots: each change is one event of the yard's history. */
  set_state (f, c, "occupied");      /* 0: 09:00 */
  set_state (f, c, "available");     /* 1: 09:20 */
  set_state (f, a, "occupied");      /* 2: 10:30 */
  set_state (f, b, "occupied");      /* 3: 10:30 */
  set_state (f, a, "available");     /* 4: 11:15 */
  set_state (f, b, "available");     /* 5: 12:00 */

  /* A lot with no history at all: one of its two spots was made occupied. */
  annex = create_lot (f, &f->op, "", "Harbour Annex", "{}");
  spot_path = g_strdup_printf ("api/v1/admin/parking-lots/%s/spots", annex);
  occupied_spot = expect (f, f->op.access, "POST", spot_path,
                          "{\"number\":\"1\",\"state\":\"occupied\"}", 201);
  free_spot = expect (f, f->op.access, "POST", spot_path, "{\"number\":\"2\"}", 201);

  stop (f);
  path = g_strdup_printf ("SELECT count(*) FROM events WHERE aggregate = 'lot:%s' "
                          "AND type = 'SpotStateChanged'", f->yard);
  events = sqlite_shell (f, path);
  g_assert_cmpstr (events, ==, "6");
  g_clear_pointer (&events, g_free);
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("SELECT count(*) FROM events WHERE aggregate = 'lot:%s'", annex);
  events = sqlite_shell (f, path);
  g_assert_cmpstr (events, ==, "0");
  move_event (f, f->yard, 0, "2025-03-10T09:00:00Z");
  move_event (f, f->yard, 1, "2025-03-10T09:20:00Z");
  move_event (f, f->yard, 2, "2025-03-10T10:30:00Z");
  move_event (f, f->yard, 3, "2025-03-10T10:30:00Z");
  move_event (f, f->yard, 4, "2025-03-10T11:15:00Z");
  move_event (f, f->yard, 5, "2025-03-10T12:00:00Z");
  /* The yard was made at 08:30 that day, the annex at 11:00. */
  move_lot (f, f->yard, "2025-03-10T08:30:00Z");
  move_lot (f, annex, "2025-03-10T11:00:00Z");
  restart (f);

  /* 10:00-11:00: nothing occupied until 10:30, then 2 of 4: 2 x 30 min / (4 x 60 min).
   * 11:00-12:00: 2 occupied for 15 min, then 1 for 45: (30 + 45) / 240.
   * 12:00-13:00: none. */
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf (OCCUPANCY "?lot_id=%s&from=2025-03-10T10:00:00Z"
                          "&to=2025-03-10T13:00:00Z&step=1h", f->yard);
  hourly = report (f, &f->op, path);
  assert_occupancy (object_of (hourly), (const double[]) { 0.25, 0.3125, 0 }, 3);
  g_assert_cmpstr (str (object_of (hourly), "lot_name"), ==, YARD);
  g_assert_cmpstr (str (object_of (hourly), "operator_id"), ==, f->operator_id);
  g_assert_cmpstr (str (object_of (hourly), "operator_slug"), ==, OPERATOR);
  g_assert_cmpint (num (object_of (hourly), "step_seconds"), ==, 3600);
  g_assert_cmpstr (str (step_of (object_of (hourly), 1), "start"), ==, "2025-03-10T11:00:00Z");
  g_assert_cmpstr (str (step_of (object_of (hourly), 1), "end"), ==, "2025-03-10T12:00:00Z");
  g_assert_cmpint (num (step_of (object_of (hourly), 2), "measured_seconds"), ==, 3600);

  /* The same as CSV: a header and a row per step. */
  csv = report_csv (f, &f->op, path);
  assert_header (csv, "start,end,measured_seconds,occupancy,regular,disabled,ev,compact,"
                      "motorcycle");
  g_assert_cmpuint (csv->len, ==, 1 + 3);
  g_assert_cmpstr (field (csv, 1, 0), ==, "2025-03-10T10:00:00Z");
  g_assert_cmpstr (field (csv, 1, 3), ==, "0.25");
  g_assert_cmpstr (field (csv, 2, 3), ==, "0.3125");
  g_assert_cmpstr (field (csv, 2, 4), ==, "0.3125");
  g_assert_cmpstr (field (csv, 2, 5), ==, "");
  g_assert_cmpstr (field (csv, 3, 3), ==, "0");

  /* Before anything changed, the yard was as the first change found it: spot C free, so
   * 08:30-09:00 is empty; C was occupied 09:00-09:20 only. Before 08:30 the yard was not
   * there: nothing is measured, and of 08:20-08:40 only its last ten minutes. */
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf (OCCUPANCY "?lot_id=%s&from=2025-03-10T08:00:00Z"
                          "&to=2025-03-10T10:00:00Z&step=20m", f->yard);
  early = report (f, &f->op, path);
  assert_occupancy (object_of (early), (const double[]) { NAN, 0, 0, 0.25, 0, 0 }, 6);
  g_assert_cmpint (num (step_of (object_of (early), 1), "measured_seconds"), ==, 600);
  g_assert_cmpint (num (step_of (object_of (early), 2), "measured_seconds"), ==, 1200);

  /* Local times with an offset, half-hour steps: 11:00+01:00 is 10:00Z.
   * 10:30-11:00Z: 2 of 4; 11:00-11:30Z: 2 for 15 min and 1 for 15: 45 / 120. */
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf (OCCUPANCY "?lot_id=%s&from=2025-03-10T11:00:00%%2B01:00"
                          "&to=2025-03-10T13:00:00%%2B01:00&step=30m", f->yard);
  local = report (f, &f->op, path);
  g_assert_cmpstr (str (object_of (local), "from"), ==, "2025-03-10T10:00:00Z");
  assert_occupancy (object_of (local), (const double[]) { 0, 0.5, 0.375, 0.25 }, 4);

  /* An admin sees any lot, and is told whose it is. */
  admin = report (f, &f->admin, path);
  assert_occupancy (object_of (admin), (const double[]) { 0, 0.5, 0.375, 0.25 }, 4);
  g_assert_cmpstr (str (object_of (admin), "operator_slug"), ==, OPERATOR);

  /* Up to now the yard is empty again; what has not happened yet is not counted. */
  live_from = utc_in (-60);
  live_to = utc_in (120);
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf (OCCUPANCY "?lot_id=%s&from=%s&to=%s", f->yard, live_from, live_to);
  live = report (f, &f->op, path);
  g_assert_cmpint (num (step_of (object_of (live), 0), "measured_seconds"), ==, 3600);
  assert_share (real (step_of (object_of (live), 0), "occupancy"), 0);
  g_assert_cmpint (num (step_of (object_of (live), 2), "measured_seconds"), ==, 0);
  g_assert_true (isnan (real (step_of (object_of (live), 2), "occupancy")));

  /* Without any history, the counts now hold from the lot's making on: 1 of 2 from 11:00. */
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf (OCCUPANCY "?lot_id=%s&from=2025-03-10T10:00:00Z"
                          "&to=2025-03-10T13:00:00Z", annex);
  annex_answer = report (f, &f->op, path);
  assert_occupancy (object_of (annex_answer), (const double[]) { NAN, 0.5, 0.5 }, 3);
  g_assert_cmpint (num (step_of (object_of (annex_answer), 1), "measured_seconds"), ==, 3600);
}

static void
test_occupancy_refused (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *yard = g_strdup_printf (OCCUPANCY "?lot_id=%s&from=2025-03-10T10:00:00Z"
                                           "&to=2025-03-10T13:00:00Z", f->yard);
  g_autofree char *path = NULL, *nowhere = g_uuid_string_random ();

  /* Another operator's lot is one that does not exist; an admin narrowing to another
   * operator (by its slug, as on every admin route) does not see it either, and an operator
   * may not name another operator, nor one that does not exist. */
  refused (f, &f->other_op, yard, 404, "not-found", "lot_id");
  path = g_strdup_printf (OCCUPANCY "?lot_id=%s&from=2025-03-10T10:00:00Z"
                          "&to=2025-03-10T13:00:00Z", nowhere);
  refused (f, &f->op, path, 404, "not-found", "lot_id");
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("%s&operator=" OTHER, yard);
  refused (f, &f->admin, path, 404, "not-found", "lot_id");
  refused (f, &f->op, path, 404, "not-found", "operator");
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("%s&operator=harbour", yard);
  refused (f, &f->op, path, 404, "not-found", "operator");
  refused (f, &f->admin, path, 404, "not-found", "operator");

  /* Read-only, for managers: not attendants, not drivers, not anonymous callers. */
  refused (f, &f->attendant, yard, 403, "forbidden", NULL);
  refused (f, &f->driver, yard, 403, "forbidden", NULL);
  refused (f, NULL, yard, 401, "unauthorized", NULL);

  /* Each bad parameter is named. */
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("%s&step=3m", yard);
  refused (f, &f->op, path, 400, "out-of-range", "step");
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("%s&step=90s", yard);
  refused (f, &f->op, path, 400, "invalid-parameter", "step");
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("%s&step=060m", yard);
  refused (f, &f->op, path, 400, "invalid-parameter", "step");
  g_clear_pointer (&path, g_free);
  /* 10 days in steps of 5 minutes: 2,880 steps. */
  path = g_strdup_printf (OCCUPANCY "?lot_id=%s&from=2025-03-01T00:00:00Z"
                          "&to=2025-03-11T00:00:00Z&step=5m", f->yard);
  refused (f, &f->op, path, 400, "out-of-range", "step");
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf (OCCUPANCY "?lot_id=%s&from=2025-03-10T10:00:00Z"
                          "&to=2025-03-10T09:00:00Z", f->yard);
  refused (f, &f->op, path, 400, "out-of-range", "to");
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf (OCCUPANCY "?lot_id=%s&from=2024-03-10T10:00:00Z"
                          "&to=2025-03-12T10:00:00Z&step=1d", f->yard);
  refused (f, &f->op, path, 400, "out-of-range", "to");
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf (OCCUPANCY "?lot_id=%s&to=2025-03-10T09:00:00Z", f->yard);
  refused (f, &f->op, path, 400, "missing-parameter", "from");
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf (OCCUPANCY "?lot_id=%s&from=2025-03-10T10:00:00"
                          "&to=2025-03-10T13:00:00Z", f->yard);
  refused (f, &f->op, path, 400, "invalid-parameter", "from");
  refused (f, &f->op, OCCUPANCY "?from=2025-03-10T10:00:00Z&to=2025-03-10T13:00:00Z", 400,
           "missing-parameter", "lot_id");
  refused (f, &f->op, OCCUPANCY "?lot_id=yard&from=2025-03-10T10:00:00Z"
           "&to=2025-03-10T13:00:00Z", 400, "invalid-parameter", "lot_id");
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("%s&lot=%s", yard, f->yard);
  refused (f, &f->op, path, 400, "unknown-parameter", "lot");
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("%s&operator_id=%s", yard, f->operator_id);
  refused (f, &f->op, path, 400, "unknown-parameter", "operator_id");
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("%s&operator=" OPERATOR "&operator=" OPERATOR, yard);
  refused (f, &f->op, path, 400, "invalid-parameter", "operator");
}

/* ---- 2. revenue ----------------------------------------------------------------------------- */

static JsonObject *
series_of (JsonObject *answer,
           const char *operator_id,
           const char *currency)
{
  JsonArray *series = arr (answer, "series");

  for (guint i = 0; i < json_array_get_length (series); i++)
    {
      JsonObject *s = json_array_get_object_element (series, i);

      if (g_str_equal (str (s, "operator_id"), operator_id) &&
          g_str_equal (str (s, "currency"), currency))
        return s;
    }
  g_error ("no %s series of operator %s", currency, operator_id);
}

static void
assert_money (JsonObject *line,
              gint64      payments,
              gint64      gross,
              gint64      refunds,
              gint64      refunded)
{
  g_assert_cmpint (num (line, "payments"), ==, payments);
  g_assert_cmpint (num (line, "gross"), ==, gross);
  g_assert_cmpint (num (line, "refunds"), ==, refunds);
  g_assert_cmpint (num (line, "refunded"), ==, refunded);
  g_assert_cmpint (num (line, "net"), ==, gross - refunded);
}

static void
test_revenue (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *start1 = local_time (1, 10), *end1 = local_time (1, 12);
  g_autofree char *start2 = local_time (1, 13), *end2 = local_time (1, 14);
  g_autofree char *cancelled = NULL, *kept = NULL, *cash = NULL, *card = NULL, *ticket = NULL;
  g_autofree char *path = NULL, *sql = NULL, *bad = NULL;
  g_autoptr(ParkTestResponse) cancel = NULL, by_day = NULL, by_lot = NULL, everyone = NULL;
  g_autoptr(ParkTestResponse) narrowed = NULL, own = NULL, json_preferred = NULL;
  g_autoptr(ParkTestResponse) everyone_by_lot = NULL;
  g_autofree char *empty_id = NULL;
  g_autoptr(GPtrArray) csv = NULL, lot_csv = NULL;
  gint64 total1, total2, fee;
  JsonObject *series, *day0, *day1, *lane, *yard, *other;
  JsonArray *days, *lots;

  /* A booking paid in cash and cancelled: the cash goes back. */
  cancelled = book (f, f->lane, start1, end1, &total1, NULL);
  g_assert_cmpint (total1, ==, 600);            /* 2 hours at 3.00 */
  cash = pay_cash (f, cancelled, total1);
  path = g_strdup_printf ("api/v1/reservations/%s", cancelled);
  cancel = expect (f, f->driver.access, "DELETE", path, NULL, 200);
  g_assert_cmpstr (str (object_of (cancel), "status"), ==, "cancelled");
  g_assert_cmpint (num (object_of (cancel), "paid"), ==, 0);

  /* A booking paid by card and kept. */
  kept = book (f, f->lane, start2, end2, &total2, NULL);
  g_assert_cmpint (total2, ==, 300);
  card = pay_card (f, kept);

  /* A walk-in who lost the ticket: a day at 3.00 an hour, in cash. */
  ticket = check_in (f, f->lane, "DD-RV 1", NULL);
  fee = check_out (f, ticket, "{\"lost_ticket\":true,\"tendered\":10000}");
  g_assert_cmpint (fee, ==, 24 * 300);

  /* Berlin is an hour ahead of UTC in March 2025 (CET):
   *   cash 6.00 at 10:00 on 10 March, given back at 16:00 the same day;
   *   card 3.00 at 00:30 on 11 March (23:30 UTC on the 10th);
   *   the lost ticket's 72.00 at 11:00 on 11 March. */
  stop (f);
  sql = g_strdup_printf ("UPDATE payments SET created_at = '2025-03-10T09:00:00Z' "
                         "WHERE id = '%s'", cash);
  rewrite (f, sql, 1);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE refunds SET created_at = '2025-03-10T15:00:00Z' "
                         "WHERE payment_id = '%s'", cash);
  rewrite (f, sql, 1);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE payments SET created_at = '2025-03-10T23:30:00Z' "
                         "WHERE id = '%s' AND provider = 'stripe'", card);
  rewrite (f, sql, 1);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE payments SET created_at = '2025-03-11T10:00:00Z' "
                         "WHERE session_pk = (SELECT pk FROM parking_sessions WHERE ticket = '%s')",
                         ticket);
  rewrite (f, sql, 1);
  g_free (sql);
  sql = sqlite_shell (f, "SELECT count(*) FROM payments");
  g_assert_cmpstr (sql, ==, "3");
  restart (f);

  /* By the operator's days: the 10th nets the refund to zero; the card payment made at
   * 23:30 UTC belongs to the 11th in Berlin. */
  g_clear_pointer (&path, g_free);
  path = g_strdup (REVENUE "?from=2025-03-10T00:00:00%2B01:00&to=2025-03-12T00:00:00%2B01:00");
  by_day = report (f, &f->op, path);
  g_assert_cmpstr (str (object_of (by_day), "group"), ==, "day");
  g_assert_cmpuint (json_array_get_length (arr (object_of (by_day), "series")), ==, 1);
  series = series_of (object_of (by_day), f->operator_id, "EUR");
  g_assert_cmpstr (str (series, "time_zone"), ==, "Europe/Berlin");
  days = arr (series, "days");
  g_assert_cmpuint (json_array_get_length (days), ==, 2);
  day0 = json_array_get_object_element (days, 0);
  day1 = json_array_get_object_element (days, 1);
  g_assert_cmpstr (str (day0, "date"), ==, "2025-03-10");
  g_assert_cmpstr (str (day0, "start"), ==, "2025-03-09T23:00:00Z");
  g_assert_cmpstr (str (day0, "end"), ==, "2025-03-10T23:00:00Z");
  assert_money (day0, 1, 600, 1, 600);
  g_assert_cmpstr (str (day1, "date"), ==, "2025-03-11");
  assert_money (day1, 2, 300 + 7200, 0, 0);
  assert_money (obj (series, "total"), 3, 8100, 1, 600);
  g_test_message ("net: 10 March %" G_GINT64_FORMAT ", 11 March %" G_GINT64_FORMAT
                  ", total %" G_GINT64_FORMAT, num (day0, "net"), num (day1, "net"),
                  num (obj (series, "total"), "net"));

  csv = report_csv (f, &f->op, path);
  assert_header (csv, "operator_id,operator_slug,currency,date,payments,gross,refunds,"
                      "refunded,net");
  g_assert_cmpuint (csv->len, ==, 1 + 2);
  g_assert_cmpstr (field (csv, 1, 1), ==, OPERATOR);
  g_assert_cmpstr (field (csv, 1, 2), ==, "EUR");
  g_assert_cmpstr (field (csv, 1, 3), ==, "2025-03-10");
  g_assert_cmpstr (field (csv, 1, 8), ==, "0");
  g_assert_cmpstr (field (csv, 2, 3), ==, "2025-03-11");
  g_assert_cmpstr (field (csv, 2, 8), ==, "7500");

  /* By lot: every lot of the operator, by name, the yard without money. */
  g_clear_pointer (&path, g_free);
  path = g_strdup (REVENUE "?from=2025-03-10T00:00:00%2B01:00&to=2025-03-12T00:00:00%2B01:00"
                   "&group=lot");
  by_lot = report (f, &f->op, path);
  lots = arr (series_of (object_of (by_lot), f->operator_id, "EUR"), "lots");
  g_assert_cmpuint (json_array_get_length (lots), ==, 2);
  lane = json_array_get_object_element (lots, 0);
  yard = json_array_get_object_element (lots, 1);
  g_assert_cmpstr (str (lane, "lot_name"), ==, LANE);
  g_assert_cmpstr (str (lane, "lot_id"), ==, f->lane);
  assert_money (lane, 3, 8100, 1, 600);
  g_assert_cmpstr (str (yard, "lot_id"), ==, f->yard);
  assert_money (yard, 0, 0, 0, 0);
  lot_csv = report_csv (f, &f->op, path);
  assert_header (lot_csv, "operator_id,operator_slug,currency,lot_id,lot_name,payments,gross,"
                          "refunds,refunded,net");
  g_assert_cmpuint (lot_csv->len, ==, 1 + 2);
  g_assert_cmpstr (field (lot_csv, 1, 4), ==, LANE);
  g_assert_cmpstr (field (lot_csv, 1, 9), ==, "7500");

  /* An admin gets every operator's series, each in its own currency, never added up; an
   * operator without lots too. */
  empty_id = create_operator (f, "elbe-leer", "Europe/Berlin", "EUR");
  everyone = report (f, &f->admin, REVENUE "?from=2025-03-10T00:00:00%2B01:00"
                                   "&to=2025-03-12T00:00:00%2B01:00");
  g_assert_cmpuint (json_array_get_length (arr (object_of (everyone), "series")), ==, 3);
  assert_money (obj (series_of (object_of (everyone), f->operator_id, "EUR"), "total"),
                3, 8100, 1, 600);
  other = series_of (object_of (everyone), f->other_id, "CZK");
  g_assert_cmpstr (str (other, "time_zone"), ==, "Europe/Prague");
  assert_money (obj (other, "total"), 0, 0, 0, 0);
  g_assert_cmpuint (json_array_get_length (arr (other, "days")), ==, 2);
  everyone_by_lot = report (f, &f->admin, REVENUE "?from=2025-03-10T00:00:00%2B01:00"
                                          "&to=2025-03-12T00:00:00%2B01:00&group=lot");
  g_assert_cmpuint (json_array_get_length (arr (object_of (everyone_by_lot), "series")), ==, 3);
  g_assert_cmpuint (json_array_get_length (arr (series_of (object_of (everyone_by_lot),
                                                           f->other_id, "CZK"), "lots")), ==, 1);
  g_assert_cmpuint (json_array_get_length (arr (series_of (object_of (everyone_by_lot),
                                                           empty_id, "EUR"), "lots")), ==, 0);
  g_clear_pointer (&path, g_free);
  path = g_strdup (REVENUE "?from=2025-03-10T00:00:00%2B01:00"
                   "&to=2025-03-12T00:00:00%2B01:00&operator=" OPERATOR);
  narrowed = report (f, &f->admin, path);
  g_assert_cmpuint (json_array_get_length (arr (object_of (narrowed), "series")), ==, 1);
  g_assert_cmpstr (str (series_of (object_of (narrowed), f->operator_id, "EUR"),
                        "operator_slug"), ==, OPERATOR);
  own = report (f, &f->op, path);
  assert_money (obj (series_of (object_of (own), f->operator_id, "EUR"), "total"),
                3, 8100, 1, 600);

  /* JSON wins when the client prefers it. */
  json_preferred = get_as (f, &f->op, path, "text/csv;q=0.5, application/json");
  g_assert_cmpuint (json_preferred->status, ==, 200);
  g_assert_cmpstr (json_preferred->content_type, ==, "application/json");

  refused (f, &f->op, REVENUE "?from=2025-03-10T00:00:00Z&to=2025-03-12T00:00:00Z"
           "&operator=" OTHER, 404, "not-found", "operator");
  refused (f, &f->admin, REVENUE "?from=2025-03-10T00:00:00Z&to=2025-03-12T00:00:00Z"
           "&operator=nowhere", 404, "not-found", "operator");
  bad = g_strdup_printf (REVENUE "?from=2025-03-10T00:00:00Z&to=2025-03-12T00:00:00Z"
                         "&operator_id=%s", f->operator_id);
  refused (f, &f->admin, bad, 400, "unknown-parameter", "operator_id");
  refused (f, &f->op, REVENUE "?from=2025-03-10T00:00:00Z&to=2025-03-12T00:00:00Z&group=week",
           400, "invalid-parameter", "group");
  refused (f, &f->op, REVENUE "?from=2025-03-10T00:00:00Z", 400, "missing-parameter", "to");
  refused (f, &f->attendant, REVENUE "?from=2025-03-10T00:00:00Z&to=2025-03-12T00:00:00Z",
           403, "forbidden", NULL);
}

/* ---- 3. stays ------------------------------------------------------------------------------- */

static void
assert_stays (JsonObject *answer,
              gint64      walk_ins,
              gint64      reservations,
              double      average,
              double      median,
              gint64      spots)
{
  g_test_message ("stays %" G_GINT64_FORMAT ": average %g min, median %g min, "
                  "turnover %g per spot", num (answer, "stays"), real (answer, "average_minutes"),
                  real (answer, "median_minutes"), real (answer, "turnover_per_spot"));
  g_assert_cmpint (num (answer, "walk_ins"), ==, walk_ins);
  g_assert_cmpint (num (answer, "reservations"), ==, reservations);
  g_assert_cmpint (num (answer, "stays"), ==, walk_ins + reservations);
  g_assert_cmpint (num (answer, "spots"), ==, spots);
  if (isnan (average))
    {
      g_assert_true (isnan (real (answer, "average_minutes")));
      g_assert_true (isnan (real (answer, "median_minutes")));
    }
  else
    {
      g_assert_cmpfloat_with_epsilon (real (answer, "average_minutes"), average, 0.005);
      g_assert_cmpfloat_with_epsilon (real (answer, "median_minutes"), median, 0.005);
    }
  g_assert_cmpfloat_with_epsilon (real (answer, "turnover_per_spot"),
                                  (double) (walk_ins + reservations) / spots, 0.0005);
}

static void
test_stays (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *s1 = NULL, *s2 = NULL, *s3 = NULL, *s4 = NULL, *s5 = NULL, *rs = NULL;
  g_autofree char *booking = NULL, *code = NULL, *start = utc_in (0), *end = utc_in (120);
  g_autofree char *path = NULL, *sql = NULL, *foreign = NULL;
  g_autoptr(ParkTestResponse) lane = NULL, all = NULL, later = NULL, wide = NULL, none = NULL;
  g_autoptr(ParkTestResponse) admin = NULL, got = NULL, narrowed = NULL, everyone = NULL;
  g_autoptr(GPtrArray) csv = NULL;
  gint64 total;

  /* Four walk-ins in and out again, one after the other (the lane has two spots). */
  s1 = check_in (f, f->lane, "DD-ST 1", NULL);
  check_out (f, s1, "{}");
  s2 = check_in (f, f->lane, "DD-ST 2", NULL);
  check_out (f, s2, "{}");
  s3 = check_in (f, f->lane, "DD-ST 3", NULL);
  check_out (f, s3, "{}");
  s4 = check_in (f, f->lane, "DD-ST 4", NULL);
  check_out (f, s4, "{}");

  /* A booking paid at the booth, checked in by its code and out again: one stay. */
  booking = book (f, f->lane, start, end, &total, &code);
  g_free (pay_cash (f, booking, total));
  rs = check_in (f, f->lane, "DD-RB 5", code);
  check_out (f, rs, "{}");
  path = g_strdup_printf ("api/v1/reservations/%s", booking);
  got = expect (f, f->driver.access, "GET", path, NULL, 200);
  g_assert_cmpstr (str (object_of (got), "status"), ==, "completed");

  /* One still parked: not a stay that ended. */
  s5 = check_in (f, f->lane, "DD-ST 6", NULL);

  /* Lengths, in minutes: 30, 60, 90 (the booking), 150 on 10 March; 45 on the 9th. */
  stop (f);
  move_stay (f, s1, "2025-03-10T08:00:00Z", "2025-03-10T08:30:00Z");
  move_stay (f, s2, "2025-03-10T09:00:00Z", "2025-03-10T10:00:00Z");
  move_stay (f, rs, "2025-03-10T10:00:00Z", "2025-03-10T11:30:00Z");
  sql = g_strdup_printf ("UPDATE reservations SET checked_in_at = '2025-03-10T10:00:00Z', "
                         "checked_out_at = '2025-03-10T11:30:00Z' WHERE id = '%s'", booking);
  rewrite (f, sql, 1);
  move_stay (f, s3, "2025-03-10T12:00:00Z", "2025-03-10T14:30:00Z");
  move_stay (f, s4, "2025-03-09T10:00:00Z", "2025-03-09T10:45:00Z");
  move_stay (f, s5, "2025-03-10T15:00:00Z", NULL);
  restart (f);

  /* 10 March: 30, 60, 90, 150: average 82.5, median (60 + 90) / 2 = 75, 4 stays on the
   * lane's 2 spots. */
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf (STAYS "?lot_id=%s&from=2025-03-10T00:00:00Z"
                          "&to=2025-03-11T00:00:00Z", f->lane);
  lane = report (f, &f->op, path);
  assert_stays (object_of (lane), 3, 1, 82.5, 75, 2);
  g_assert_cmpstr (str (object_of (lane), "lot_id"), ==, f->lane);
  g_assert_cmpstr (str (object_of (lane), "operator_slug"), ==, OPERATOR);

  csv = report_csv (f, &f->op, path);
  assert_header (csv, "from,to,operator_id,operator_slug,lot_id,stays,walk_ins,reservations,"
                      "average_minutes,median_minutes,spots,turnover_per_spot");
  g_assert_cmpuint (csv->len, ==, 1 + 1);
  g_assert_cmpstr (field (csv, 1, 2), ==, f->operator_id);
  g_assert_cmpstr (field (csv, 1, 3), ==, OPERATOR);
  g_assert_cmpstr (field (csv, 1, 4), ==, f->lane);
  g_assert_cmpstr (field (csv, 1, 5), ==, "4");
  g_assert_cmpstr (field (csv, 1, 8), ==, "82.5");
  g_assert_cmpstr (field (csv, 1, 9), ==, "75");
  g_assert_cmpstr (field (csv, 1, 11), ==, "2");

  /* The operator's lots: the same stays over 6 spots (4 in the yard, 2 in the lane). */
  all = report (f, &f->op, STAYS "?from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z");
  assert_stays (object_of (all), 3, 1, 82.5, 75, 6);
  g_assert_null (str (object_of (all), "lot_id"));
  g_assert_cmpstr (str (object_of (all), "operator_id"), ==, f->operator_id);
  g_assert_cmpstr (str (object_of (all), "operator_slug"), ==, OPERATOR);

  /* An admin names the operator by its slug; without one, every operator's lots (the
   * other operator's 3 spots too). */
  narrowed = report (f, &f->admin, STAYS "?from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z"
                                   "&operator=" OPERATOR);
  assert_stays (object_of (narrowed), 3, 1, 82.5, 75, 6);
  g_assert_cmpstr (str (object_of (narrowed), "operator_slug"), ==, OPERATOR);
  everyone = report (f, &f->admin, STAYS "?from=2025-03-10T00:00:00Z"
                                   "&to=2025-03-11T00:00:00Z");
  assert_stays (object_of (everyone), 3, 1, 82.5, 75, 9);
  g_assert_null (str (object_of (everyone), "operator_id"));
  g_assert_null (str (object_of (everyone), "operator_slug"));

  /* Those that ended from 09:30: 60, 90, 150: the median is the middle one. */
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf (STAYS "?lot_id=%s&from=2025-03-10T09:30:00Z"
                          "&to=2025-03-11T00:00:00Z", f->lane);
  later = report (f, &f->op, path);
  assert_stays (object_of (later), 2, 1, 100, 90, 2);

  /* From the 9th: 45 too: 30, 45, 60, 90, 150. */
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf (STAYS "?lot_id=%s&from=2025-03-09T00:00:00Z"
                          "&to=2025-03-11T00:00:00Z", f->lane);
  wide = report (f, &f->op, path);
  assert_stays (object_of (wide), 4, 1, 75, 60, 2);
  admin = report (f, &f->admin, path);
  assert_stays (object_of (admin), 4, 1, 75, 60, 2);
  g_assert_cmpstr (str (object_of (admin), "operator_slug"), ==, OPERATOR);

  /* A day without stays. */
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf (STAYS "?lot_id=%s&from=2025-03-08T00:00:00Z"
                          "&to=2025-03-09T00:00:00Z", f->lane);
  none = report (f, &f->op, path);
  assert_stays (object_of (none), 0, 0, NAN, NAN, 2);

  foreign = g_strdup_printf (STAYS "?lot_id=%s&from=2025-03-10T00:00:00Z"
                             "&to=2025-03-11T00:00:00Z", f->lane);
  refused (f, &f->other_op, foreign, 404, "not-found", "lot_id");
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf (STAYS "?lot_id=%s&from=2025-03-10T00:00:00Z"
                          "&to=2025-03-11T00:00:00Z", f->other_lot);
  refused (f, &f->op, path, 404, "not-found", "lot_id");
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf (STAYS "?lot_id=%s&from=2025-03-10T00:00:00Z"
                          "&to=2025-03-11T00:00:00Z&operator=" OTHER, f->lane);
  refused (f, &f->admin, path, 404, "not-found", "lot_id");
  refused (f, &f->op, STAYS "?from=yesterday&to=2025-03-11T00:00:00Z", 400, "invalid-parameter",
           "from");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/analytics/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("occupancy/history", test_occupancy);
  ADD ("occupancy/refused", test_occupancy_refused);
  ADD ("revenue/by-day-and-lot", test_revenue);
  ADD ("stays/lengths-and-turnover", test_stays);

#undef ADD

  return g_test_run ();
}
