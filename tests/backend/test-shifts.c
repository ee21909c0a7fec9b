/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Shifts and the booth's board against the real parkd (issue 8): a shift opened with a
 * float takes the attendant's cash payments, its report lists them, and closing it compares
 * the cash counted with float + taken − change − refunds; one open shift per attendant, each
 * sees only their own; the board lists arrivals, overstays and search hits; a stay's fee can
 * be read before paying; a spot goes out of service with a reason. Every answer is checked
 * against openapi.json by the support library, errors as problem+json naming the field.
 */
#include "park-test-backend.h"
#include "park-test-utils.h"

#include <string.h>

#define PASSWORD "Booth-Harbour-42"
#define LOT_QUERY "api/v1/parking-lots?lat=51.0497&lng=13.7388&radius=200"

typedef struct
{
  ParkTestBackend *backend;
  char            *lot_id;
  char            *anna;     /* attendant tokens */
  char            *ben;
  char            *driver;
} Fixture;

static char *
sign_in (Fixture    *f,
         const char *email)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"" PASSWORD "\"}",
                                           email);
  g_autoptr(ParkTestResponse) r = park_test_call (f->backend, NULL, "POST", "api/v1/auth/login",
                                                  body);

  g_assert_cmpuint (r->status, ==, 200);
  return g_strdup (json_object_get_string_member (park_test_response_object (r), "access_token"));
}

static void
add_attendant (Fixture    *f,
               const char *email)
{
  const char * const args[] = {
    "--email", email, "--role", "attendant", "--operator", "dresden-parking", NULL
  };

  g_assert_cmpint (park_test_user_add (f->backend, args, PASSWORD), ==, 0);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const demo[] = { "--demo", NULL };
  g_autoptr(ParkTestResponse) lots = NULL, reg = NULL;
  JsonArray *items;

  f->backend = park_test_backend_new ();
  park_test_backend_start (f->backend, demo);
  add_attendant (f, "anna@example.org");
  add_attendant (f, "ben@example.org");
  f->anna = sign_in (f, "anna@example.org");
  f->ben = sign_in (f, "ben@example.org");
  reg = park_test_call (f->backend, NULL, "POST", "api/v1/auth/register",
                        "{\"email\":\"dora@example.org\",\"password\":\"" PASSWORD "\","
                        "\"first_name\":\"Dora\",\"last_name\":\"Fahrer\"}");
  g_assert_cmpuint (reg->status, ==, 201);
  f->driver = g_strdup (json_object_get_string_member (park_test_response_object (reg),
                                                       "access_token"));
  lots = park_test_get (f->backend, LOT_QUERY);
  items = json_object_get_array_member (park_test_response_object (lots), "items");
  f->lot_id = g_strdup (json_object_get_string_member (json_array_get_object_element (items, 0),
                                                       "id"));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->backend, park_test_backend_free);
  g_free (f->lot_id);
  g_free (f->anna);
  g_free (f->ben);
  g_free (f->driver);
}

static ParkTestResponse *
callf (Fixture    *f,
       const char *token,
       const char *method,
       const char *body,
       const char *format,
       ...) G_GNUC_PRINTF (5, 6);

static ParkTestResponse *
callf (Fixture    *f,
       const char *token,
       const char *method,
       const char *body,
       const char *format,
       ...)
{
  g_autofree char *path = NULL;
  va_list args;

  va_start (args, format);
  path = g_strdup_vprintf (format, args);
  va_end (args);
  return park_test_call (f->backend, token, method, path, body);
}

static gint64
int_of (ParkTestResponse *r,
        const char       *member)
{
  return json_object_get_int_member (park_test_response_object (r), member);
}

static const char *
str_of (ParkTestResponse *r,
        const char       *member)
{
  return json_object_get_string_member (park_test_response_object (r), member);
}

/* A walk-in at the demo lot; returns its ticket. */
static char *
check_in (Fixture    *f,
          const char *token,
          const char *plate)
{
  g_autofree char *body = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"%s\"}",
                                           f->lot_id, plate);
  g_autoptr(ParkTestResponse) r = park_test_call (f->backend, token, "POST", "api/v1/sessions",
                                                  body);

  g_assert_cmpuint (r->status, ==, 201);
  return g_strdup (str_of (r, "ticket"));
}

static void
test_shift_cash (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(ParkTestResponse) none = NULL, open = NULL, twice = NULL, fee = NULL, paid = NULL;
  g_autoptr(ParkTestResponse) current = NULL, report = NULL, closed = NULL, again = NULL;
  g_autoptr(ParkTestResponse) after = NULL, ben_sees = NULL, ben_closes = NULL, early = NULL;
  g_autofree char *body = NULL, *ticket = NULL, *early_ticket = NULL, *close_body = NULL;
  JsonArray *entries;
  JsonObject *entry;
  const char *shift_id;
  gint64 due, expected;

  /* Cash taken before any shift belongs to none. */
  early_ticket = check_in (f, f->anna, "DD-EA 1");
  early = callf (f, f->anna, "POST", "{\"tendered\":10000,\"lost_ticket\":true}",
                 "api/v1/sessions/%s/check-out", early_ticket);
  g_assert_cmpuint (early->status, ==, 200);

  none = park_test_call (f->backend, f->anna, "GET", "api/v1/shifts/current", NULL);
  park_test_assert_problem (none, 404, "no-open-shift", NULL);

  body = g_strdup_printf ("{\"float\":15000,\"parking_lot_id\":\"%s\"}", f->lot_id);
  open = park_test_call (f->backend, f->anna, "POST", "api/v1/shifts", body);
  g_assert_cmpuint (open->status, ==, 201);
  g_assert_cmpstr (str_of (open, "status"), ==, "open");
  g_assert_cmpstr (str_of (open, "currency"), ==, "EUR");
  g_assert_cmpint (int_of (open, "float"), ==, 15000);
  g_assert_cmpint (int_of (open, "expected"), ==, 15000);
  g_assert_cmpint (int_of (open, "payments"), ==, 0);
  shift_id = str_of (open, "id");

  twice = park_test_call (f->backend, f->anna, "POST", "api/v1/shifts", "{\"float\":100}");
  park_test_assert_problem (twice, 409, "shift-open", NULL);

  /* A lost ticket: the fee is known before, and the same when paid. */
  ticket = check_in (f, f->anna, "DD-SH 42");
  fee = callf (f, f->anna, "GET", NULL, "api/v1/sessions/%s/fee?lost_ticket=true", ticket);
  g_assert_cmpuint (fee->status, ==, 200);
  due = int_of (fee, "fee");
  g_assert_cmpint (due, >, 0);
  g_assert_cmpstr (str_of (fee, "status"), ==, "active");
  paid = callf (f, f->anna, "POST", "{\"tendered\":10000,\"lost_ticket\":true}",
                "api/v1/sessions/%s/check-out", ticket);
  g_assert_cmpuint (paid->status, ==, 200);
  g_assert_cmpint (int_of (paid, "fee"), ==, due);
  g_assert_cmpint (int_of (paid, "change"), ==, 10000 - due);

  current = park_test_call (f->backend, f->anna, "GET", "api/v1/shifts/current", NULL);
  g_assert_cmpuint (current->status, ==, 200);
  g_assert_cmpstr (str_of (current, "id"), ==, shift_id);
  g_assert_cmpint (int_of (current, "payments"), ==, 1);
  g_assert_cmpint (int_of (current, "taken"), ==, 10000);
  g_assert_cmpint (int_of (current, "change_given"), ==, 10000 - due);
  expected = 15000 + due;
  g_assert_cmpint (int_of (current, "expected"), ==, expected);

  report = callf (f, f->anna, "GET", NULL, "api/v1/shifts/%s", shift_id);
  g_assert_cmpuint (report->status, ==, 200);
  entries = json_object_get_array_member (park_test_response_object (report), "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, 1);
  entry = json_array_get_object_element (entries, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "kind"), ==, "payment");
  g_assert_cmpstr (json_object_get_string_member (entry, "ticket"), ==, ticket);
  g_assert_cmpint (json_object_get_int_member (entry, "amount"), ==, due);
  g_assert_cmpint (json_object_get_int_member (entry, "tendered"), ==, 10000);

  /* Another attendant neither sees nor closes it. */
  ben_sees = callf (f, f->ben, "GET", NULL, "api/v1/shifts/%s", shift_id);
  park_test_assert_problem (ben_sees, 404, "not-found", NULL);
  ben_closes = callf (f, f->ben, "POST", "{\"counted\":0}", "api/v1/shifts/%s/close", shift_id);
  park_test_assert_problem (ben_closes, 404, "not-found", NULL);

  close_body = g_strdup_printf ("{\"counted\":%" G_GINT64_FORMAT ",\"note\":\"one coin short\"}",
                                expected - 100);
  closed = callf (f, f->anna, "POST", close_body, "api/v1/shifts/%s/close", shift_id);
  g_assert_cmpuint (closed->status, ==, 200);
  g_assert_cmpstr (str_of (closed, "status"), ==, "closed");
  g_assert_cmpint (int_of (closed, "expected"), ==, expected);
  g_assert_cmpint (int_of (closed, "counted"), ==, expected - 100);
  g_assert_cmpint (int_of (closed, "difference"), ==, -100);
  g_assert_cmpstr (str_of (closed, "note"), ==, "one coin short");

  again = callf (f, f->anna, "POST", "{\"counted\":1}", "api/v1/shifts/%s/close", shift_id);
  park_test_assert_problem (again, 409, "shift-closed", NULL);
  after = park_test_call (f->backend, f->anna, "GET", "api/v1/shifts/current", NULL);
  park_test_assert_problem (after, 404, "no-open-shift", NULL);
}

/* A booking paid in cash at the booth and cancelled by its driver: the cash refund comes
 * out of the drawer of the shift open when it is made. */
static void
test_shift_refund (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_days (now, 2);
  g_autoptr(GDateTime) end = g_date_time_add_hours (start, 3);
  g_autofree char *start_text = g_date_time_format (start, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *end_text = g_date_time_format (end, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *body = NULL, *pay_body = NULL;
  g_autoptr(ParkTestResponse) open = NULL, booking = NULL, paid = NULL, cancelled = NULL;
  g_autoptr(ParkTestResponse) current = NULL, report = NULL;
  JsonArray *entries;
  gint64 total, refunded;
  gboolean seen_refund = FALSE;

  open = park_test_call (f->backend, f->anna, "POST", "api/v1/shifts", "{\"float\":5000}");
  g_assert_cmpuint (open->status, ==, 201);
  body = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"spot_type\":\"regular\","
                          "\"start_time\":\"%s\",\"end_time\":\"%s\"}", f->lot_id, start_text,
                          end_text);
  booking = park_test_call (f->backend, f->driver, "POST", "api/v1/reservations", body);
  g_assert_cmpuint (booking->status, ==, 201);
  total = int_of (booking, "total_cost");
  g_assert_cmpint (total, >, 0);
  pay_body = g_strdup_printf ("{\"provider\":\"cash\",\"tendered\":%" G_GINT64_FORMAT "}",
                              total + 500);
  paid = callf (f, f->anna, "POST", pay_body, "api/v1/reservations/%s/payments",
                str_of (booking, "id"));
  g_assert_cmpuint (paid->status, ==, 201);
  cancelled = callf (f, f->driver, "DELETE", NULL, "api/v1/reservations/%s",
                     str_of (booking, "id"));
  g_assert_cmpuint (cancelled->status, ==, 200);

  current = park_test_call (f->backend, f->anna, "GET", "api/v1/shifts/current", NULL);
  g_assert_cmpuint (current->status, ==, 200);
  g_assert_cmpint (int_of (current, "payments"), ==, 1);
  g_assert_cmpint (int_of (current, "taken"), ==, total + 500);
  g_assert_cmpint (int_of (current, "change_given"), ==, 500);
  g_assert_cmpint (int_of (current, "refunds"), ==, 1);
  refunded = int_of (current, "refunded");
  g_assert_cmpint (refunded, >, 0);
  g_assert_cmpint (refunded, <=, total);
  g_assert_cmpint (int_of (current, "expected"), ==, 5000 + total - refunded);

  report = callf (f, f->anna, "GET", NULL, "api/v1/shifts/%s", str_of (open, "id"));
  entries = json_object_get_array_member (park_test_response_object (report), "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *e = json_array_get_object_element (entries, i);

      if (g_str_equal (json_object_get_string_member (e, "kind"), "refund"))
        {
          seen_refund = TRUE;
          g_assert_cmpint (json_object_get_int_member (e, "amount"), ==, refunded);
          g_assert_cmpstr (json_object_get_string_member (e, "reservation_code"), ==,
                           str_of (booking, "code"));
        }
    }
  g_assert_true (seen_refund);
}

static void
test_shift_errors (Fixture       *f,
                   gconstpointer  data)
{
  static const struct { const char *body; guint status; const char *code, *field; } bad[] = {
    { "{}", 400, "missing-field", "float" },
    { "{\"float\":-1}", 400, "invalid-field", "float" },
    { "{\"float\":\"100\"}", 400, "invalid-field", "float" },
    { "{\"float\":100,\"colour\":\"red\"}", 400, "unknown-field", "colour" },
    { "{\"float\":100,\"expected\":5}", 400, "read-only-field", "expected" },
    { "{\"float\":100,\"parking_lot_id\":\"nope\"}", 404, "not-found", "parking_lot_id" },
  };
  g_autoptr(ParkTestResponse) driver = NULL, open = NULL, bad_count = NULL, unknown = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(ParkTestResponse) r = park_test_call (f->backend, f->anna, "POST",
                                                      "api/v1/shifts", bad[i].body);

      park_test_assert_problem (r, bad[i].status, bad[i].code, bad[i].field);
    }
  driver = park_test_call (f->backend, f->driver, "POST", "api/v1/shifts", "{\"float\":0}");
  g_assert_cmpuint (driver->status, ==, 403);

  open = park_test_call (f->backend, f->anna, "POST", "api/v1/shifts", "{\"float\":0}");
  g_assert_cmpuint (open->status, ==, 201);
  bad_count = callf (f, f->anna, "POST", "{\"counted\":-5}", "api/v1/shifts/%s/close",
                     str_of (open, "id"));
  park_test_assert_problem (bad_count, 400, "invalid-field", "counted");
  unknown = park_test_call (f->backend, f->anna, "GET",
                            "api/v1/shifts/00000000-0000-4000-8000-000000000000", NULL);
  park_test_assert_problem (unknown, 404, "not-found", NULL);
}

static gboolean
has_reference (JsonArray  *items,
               const char *reference)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (items, i),
                                                  "reference"), reference) == 0)
      return TRUE;
  return FALSE;
}

static void
test_board (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, 2);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autoptr(GDateTime) tomorrow_end = g_date_time_add_hours (tomorrow, 2);
  g_autofree char *start = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *end = g_date_time_format (later, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *start2 = g_date_time_format (tomorrow, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *end2 = g_date_time_format (tomorrow_end, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *body = NULL, *body2 = NULL, *ticket = NULL;
  g_autoptr(ParkTestResponse) soon = NULL, later_booking = NULL, board = NULL, by_name = NULL;
  g_autoptr(ParkTestResponse) by_plate = NULL, by_ticket = NULL, nothing = NULL, long_q = NULL;
  g_autoptr(ParkTestResponse) driver = NULL, other_lot = NULL;
  JsonObject *b;
  g_autofree char *code = NULL, *long_path = NULL;

  body = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"spot_type\":\"regular\","
                          "\"start_time\":\"%s\",\"end_time\":\"%s\"}", f->lot_id, start, end);
  soon = park_test_call (f->backend, f->driver, "POST", "api/v1/reservations", body);
  g_assert_cmpuint (soon->status, ==, 201);
  code = g_strdup (str_of (soon, "code"));
  body2 = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"spot_type\":\"regular\","
                           "\"start_time\":\"%s\",\"end_time\":\"%s\"}", f->lot_id, start2, end2);
  later_booking = park_test_call (f->backend, f->driver, "POST", "api/v1/reservations", body2);
  g_assert_cmpuint (later_booking->status, ==, 201);
  ticket = check_in (f, f->anna, "B-OA 77");

  board = callf (f, f->anna, "GET", NULL, "api/v1/parking-lots/%s/board", f->lot_id);
  g_assert_cmpuint (board->status, ==, 200);
  b = park_test_response_object (board);
  /* Due within the hour (held for payment still counts); tomorrow's does not. */
  g_assert_true (has_reference (json_object_get_array_member (b, "arrivals"), code));
  g_assert_false (has_reference (json_object_get_array_member (b, "arrivals"),
                                 str_of (later_booking, "code")));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (b, "matches")), ==, 0);

  by_name = callf (f, f->anna, "GET", NULL, "api/v1/parking-lots/%s/board?q=fahrer", f->lot_id);
  g_assert_true (has_reference (json_object_get_array_member (park_test_response_object (by_name),
                                                              "matches"), code));
  by_plate = callf (f, f->anna, "GET", NULL, "api/v1/parking-lots/%s/board?q=oa7", f->lot_id);
  g_assert_true (has_reference (json_object_get_array_member (park_test_response_object (by_plate),
                                                              "matches"), ticket));
  by_ticket = callf (f, f->anna, "GET", NULL, "api/v1/parking-lots/%s/board?q=%.4s", f->lot_id,
                     ticket);
  g_assert_true (has_reference (json_object_get_array_member (park_test_response_object (by_ticket),
                                                              "matches"), ticket));
  nothing = callf (f, f->anna, "GET", NULL, "api/v1/parking-lots/%s/board?q=zzzz9999", f->lot_id);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      park_test_response_object (nothing), "matches")), ==, 0);

  long_path = g_strdup_printf ("api/v1/parking-lots/%s/board?q=%s", f->lot_id,
                               "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  long_q = park_test_call (f->backend, f->anna, "GET", long_path, NULL);
  park_test_assert_problem (long_q, 400, "invalid-parameter", "q");
  driver = callf (f, f->driver, "GET", NULL, "api/v1/parking-lots/%s/board", f->lot_id);
  g_assert_cmpuint (driver->status, ==, 403);
  other_lot = park_test_call (f->backend, f->anna, "GET",
                              "api/v1/parking-lots/00000000-0000-4000-8000-000000000000/board",
                              NULL);
  park_test_assert_problem (other_lot, 404, "not-found", "id");
}

static void
test_spot_reason (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(ParkTestResponse) spots = NULL, out = NULL, back = NULL, too_long = NULL;
  g_autofree char *long_body = NULL, *reason = g_strnfill (201, 'x');
  const char *spot_id;

  spots = callf (f, NULL, "GET", NULL, "api/v1/parking-lots/%s/spots?per_page=1", f->lot_id);
  g_assert_cmpuint (spots->status, ==, 200);
  spot_id = json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (park_test_response_object (spots),
                                                                 "items"), 0), "id");
  out = callf (f, f->anna, "PATCH", "{\"state\":\"out_of_service\",\"reason\":\"Water leak\"}",
               "api/v1/admin/spots/%s", spot_id);
  g_assert_cmpuint (out->status, ==, 200);
  g_assert_cmpstr (str_of (out, "state"), ==, "out_of_service");
  long_body = g_strdup_printf ("{\"state\":\"available\",\"reason\":\"%s\"}", reason);
  too_long = callf (f, f->anna, "PATCH", long_body, "api/v1/admin/spots/%s", spot_id);
  park_test_assert_problem (too_long, 400, "invalid-field", "reason");
  back = callf (f, f->anna, "PATCH", "{\"state\":\"available\",\"reason\":\"Dry again\"}",
                "api/v1/admin/spots/%s", spot_id);
  g_assert_cmpuint (back->status, ==, 200);
  g_assert_cmpstr (str_of (back, "state"), ==, "available");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/backend/shifts/cash", Fixture, NULL, fixture_setup, test_shift_cash,
              fixture_teardown);
  g_test_add ("/backend/shifts/refund", Fixture, NULL, fixture_setup, test_shift_refund,
              fixture_teardown);
  g_test_add ("/backend/shifts/errors", Fixture, NULL, fixture_setup, test_shift_errors,
              fixture_teardown);
  g_test_add ("/backend/shifts/board", Fixture, NULL, fixture_setup, test_board,
              fixture_teardown);
  g_test_add ("/backend/shifts/spot-reason", Fixture, NULL, fixture_setup, test_spot_reason,
              fixture_teardown);
  return g_test_run ();
}
