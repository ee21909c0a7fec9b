/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Kiosks and drivers without an account (issue 7), against the real parkd: an operator makes
 * a kiosk's key for one of its lots (shown once, listed without it, revoked), parkd turns away
 * an unknown or revoked key, and with a good one a guest books at the kiosk operator's lots
 * (the plate is required), is held for payment for ten minutes at most and released when the
 * hold runs out, pays on Stripe's page (the webhook confirms the booking, which the kiosk
 * reads), or walks away (the kiosk cancels). Another kiosk, a driver or another operator sees
 * nothing of it; the lot's staff find it on the booth's board by its plate.
 *
 * Each test gets its own parkd on a fresh database (PostgreSQL in the postgresql suite) with
 * two operators made through the admin API, "north" with two lots and "south" with one, and
 * a fake Stripe.
 */
#include "park-test-backend.h"
#include "park-test-stripe.h"

#include <sodium.h>
#include <string.h>

#define PASSWORD    "Kestrel-Harbour-42"
#define ADMIN_EMAIL "admin@example.org"
#define PLATE       "DD-KI 4711"

typedef struct
{
  char *email;
  char *access;
} Account;

typedef struct
{
  ParkTestBackend *backend;
  ParkTestStripe  *stripe;
  GPtrArray       *args;
  Account          admin;
  Account          north_op;
  Account          south_op;
  Account          driver;
  char            *garage;      /* north's lots */
  char            *yard;
  char            *south_lot;   /* south's */
} Fixture;

/* ---- answers ----------------------------------------------------------------------------- */

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
  return json_node_get_string (node);
}

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
      gsize len = 0;
      const char *data = response->body != NULL ? g_bytes_get_data (response->body, &len) : "";

      g_test_message ("%s %s: expected %u, got %u: %.*s", method, path, status,
                      response->status, (int) len, data);
    }
  g_assert_cmpuint (response->status, ==, status);
  return response;
}

/* ---- accounts and lots ------------------------------------------------------------------- */

static void
user_add (Fixture            *f,
          const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *input = g_build_filename (f->backend->tmpdir, "user-add-stdin", NULL);

  g_ptr_array_add (argv, (gpointer) park_test_parkd_path ());
  g_ptr_array_add (argv, (gpointer) "user");
  g_ptr_array_add (argv, (gpointer) "add");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, f->backend->db_path);
  g_ptr_array_add (argv, NULL);
  g_file_set_contents (input, PASSWORD "\n", -1, &error);
  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_stdin_file_path (launcher, input);
  g_subprocess_launcher_unsetenv (launcher, "PARKD_CONFIG");
  g_subprocess_launcher_set_child_setup (launcher, park_test_die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

static void
sign_in (Fixture    *f,
         Account    *account,
         const char *email)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"" PASSWORD "\"}",
                                           email);
  g_autoptr(ParkTestResponse) login = expect (f, NULL, "POST", "api/v1/auth/login", body, 200);

  account->email = g_strdup (email);
  account->access = g_strdup (str (object_of (login), "access_token"));
}

static void
add_operator (Fixture    *f,
              const char *slug,
              Account    *account)
{
  g_autofree char *body = g_strdup_printf ("{\"slug\":\"%s\",\"name\":\"%s parking\","
                                           "\"city\":\"Dresden\",\"time_zone\":\"Europe/Berlin\","
                                           "\"currency\":\"EUR\"}", slug, slug);
  g_autofree char *email = g_strdup_printf ("op@%s.example.org", slug);
  g_autofree char *staff = g_strdup_printf ("{\"operator\":\"%s\",\"email\":\"%s\","
                                            "\"password\":\"" PASSWORD "\","
                                            "\"role\":\"operator\"}", slug, email);
  g_autoptr(ParkTestResponse) created = expect (f, f->admin.access, "POST",
                                                "api/v1/admin/operators", body, 201);
  g_autoptr(ParkTestResponse) made = expect (f, f->admin.access, "POST", "api/v1/admin/staff",
                                             staff, 201);

  sign_in (f, account, email);
}

/* A lot of @op's operator with four regular spots at 2.00 an hour; its id. */
static char *
add_lot (Fixture    *f,
         Account    *op,
         const char *name)
{
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\",\"address\":\"Altmarkt 1\","
                                           "\"lat\":51.05,\"lng\":13.74,\"hourly_rate\":200,"
                                           "\"spots\":{\"regular\":4}}", name);
  g_autoptr(ParkTestResponse) created = expect (f, op->access, "POST",
                                                "api/v1/admin/parking-lots", body, 201);

  return g_strdup (str (object_of (created), "id"));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *extra = data;
  const char * const add_admin[] = { "--email", ADMIN_EMAIL, "--role", "admin", NULL };
  g_autoptr(ParkTestResponse) registered = NULL;

  f->stripe = park_test_stripe_new ();
  f->backend = park_test_backend_new ();
  f->args = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (f->args, g_strdup ("--auth-rate-limit"));
  g_ptr_array_add (f->args, g_strdup ("0"));
  g_ptr_array_add (f->args, g_strdup ("--account-rate-limit"));
  g_ptr_array_add (f->args, g_strdup ("0"));
  g_ptr_array_add (f->args, g_strdup ("--kiosk-booking-limit"));
  g_ptr_array_add (f->args, g_strdup (extra != NULL ? extra : "0"));
  g_ptr_array_add (f->args, NULL);
  park_test_stripe_start_parkd (f->stripe, f->backend, (const char * const *) f->args->pdata);

  user_add (f, add_admin);
  sign_in (f, &f->admin, ADMIN_EMAIL);
  add_operator (f, "north", &f->north_op);
  add_operator (f, "south", &f->south_op);
  f->garage = add_lot (f, &f->north_op, "North Garage");
  f->yard = add_lot (f, &f->north_op, "North Yard");
  f->south_lot = add_lot (f, &f->south_op, "South Lot");
  registered = expect (f, NULL, "POST", "api/v1/auth/register",
                       "{\"email\":\"dana@example.org\",\"password\":\"" PASSWORD "\","
                       "\"first_name\":\"Dana\",\"last_name\":\"Driver\"}", 201);
  sign_in (f, &f->driver, "dana@example.org");
}

static void
account_clear (Account *account)
{
  g_clear_pointer (&account->email, g_free);
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
  account_clear (&f->north_op);
  account_clear (&f->south_op);
  account_clear (&f->driver);
  g_clear_pointer (&f->garage, g_free);
  g_clear_pointer (&f->yard, g_free);
  g_clear_pointer (&f->south_lot, g_free);
}

/* ---- kiosks and guests ------------------------------------------------------------------- */

/* A kiosk of @op at @lot; returns its answer (with "key"). */
static JsonObject *
make_kiosk (Fixture    *f,
            Account    *op,
            const char *name,
            const char *lot)
{
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\",\"parking_lot_id\":\"%s\"}", name,
                                           lot);
  g_autoptr(ParkTestResponse) created = expect (f, op->access, "POST", "api/v1/admin/kiosks",
                                                body, 201);

  return json_object_ref (object_of (created));
}

/* "Kiosk KEY", for the Authorization header. */
static char *
kiosk_auth (JsonObject *kiosk)
{
  return g_strconcat ("Kiosk ", str (kiosk, "key"), NULL);
}

/* A stay from 10 minutes from now, for two hours, as RFC 3339 UTC. */
static void
stay (char **start,
      char **end)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = g_date_time_add_minutes (now, 10);
  g_autoptr(GDateTime) to = g_date_time_add_hours (from, 2);

  *start = g_date_time_format (from, "%Y-%m-%dT%H:%M:%SZ");
  *end = g_date_time_format (to, "%Y-%m-%dT%H:%M:%SZ");
}

/* POST /api/v1/reservations at @lot as @auth, with @plate (none when NULL). */
static ParkTestResponse *
book (Fixture    *f,
      const char *auth,
      const char *lot,
      const char *plate)
{
  g_autofree char *start = NULL, *end = NULL, *plate_member = NULL, *body = NULL;

  stay (&start, &end);
  plate_member = plate != NULL ? g_strdup_printf (",\"plate\":\"%s\"", plate) : g_strdup ("");
  body = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"spot_type\":\"regular\","
                          "\"start_time\":\"%s\",\"end_time\":\"%s\"%s}", lot, start, end,
                          plate_member);
  return park_test_call (f->backend, auth, "POST", "api/v1/reservations", body);
}

static JsonObject *
book_guest (Fixture    *f,
            const char *auth,
            const char *lot)
{
  g_autoptr(ParkTestResponse) booked = book (f, auth, lot, PLATE);

  g_assert_cmpuint (booked->status, ==, 201);
  return json_object_ref (object_of (booked));
}

static ParkTestResponse *
reservation (Fixture    *f,
             const char *auth,
             const char *method,
             const char *id,
             const char *tail)
{
  g_autofree char *path = g_strdup_printf ("api/v1/reservations/%s%s", id, tail);

  return park_test_call (f->backend, auth, method, path, NULL);
}

/* ---- tests ------------------------------------------------------------------------------- */

static void
test_keys (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(JsonObject) kiosk = make_kiosk (f, &f->north_op, "Entrance", f->garage);
  g_autoptr(ParkTestResponse) list = NULL, south_list = NULL, revoked = NULL, again = NULL;
  g_autoptr(ParkTestResponse) after = NULL, refused = NULL, listed_after = NULL;
  g_autofree char *auth = kiosk_auth (kiosk);
  g_autofree char *revoke_path = NULL;
  JsonArray *items;
  JsonObject *item;

  g_assert_true (g_str_has_prefix (str (kiosk, "key"), "pkk_"));
  g_assert_cmpuint (strlen (str (kiosk, "key")), ==, 4 + 43);
  g_assert_cmpstr (str (kiosk, "parking_lot_id"), ==, f->garage);
  g_assert_cmpstr (str (kiosk, "lot_name"), ==, "North Garage");
  g_assert_null (str (kiosk, "revoked_at"));

  /* Listed for its operator, never with its key; the other operator sees none of it. */
  list = expect (f, f->north_op.access, "GET", "api/v1/admin/kiosks", NULL, 200);
  items = json_object_get_array_member (object_of (list), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  item = json_array_get_object_element (items, 0);
  g_assert_cmpstr (str (item, "id"), ==, str (kiosk, "id"));
  g_assert_false (json_object_has_member (item, "key"));
  south_list = expect (f, f->south_op.access, "GET", "api/v1/admin/kiosks", NULL, 200);
  g_assert_cmpint (json_object_get_int_member (object_of (south_list), "total"), ==, 0);

  /* The key books for a guest until it is revoked; revoking twice changes nothing. */
  after = book (f, auth, f->garage, PLATE);
  g_assert_cmpuint (after->status, ==, 201);
  revoke_path = g_strdup_printf ("api/v1/admin/kiosks/%s", str (kiosk, "id"));
  g_clear_pointer (&list, park_test_response_free);
  list = expect (f, f->south_op.access, "DELETE", revoke_path, NULL, 404);
  revoked = expect (f, f->north_op.access, "DELETE", revoke_path, NULL, 204);
  again = expect (f, f->north_op.access, "DELETE", revoke_path, NULL, 204);
  refused = book (f, auth, f->garage, PLATE);
  park_test_assert_problem (refused, 401, "invalid-kiosk-key", NULL);
  g_assert_nonnull (soup_message_headers_get_one (refused->headers, "WWW-Authenticate"));
  listed_after = expect (f, f->north_op.access, "GET", "api/v1/admin/kiosks", NULL, 200);
  item = json_array_get_object_element (json_object_get_array_member (object_of (listed_after),
                                                                      "items"), 0);
  g_assert_nonnull (str (item, "revoked_at"));
}

static void
test_key_rules (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(ParkTestResponse) other_lot = NULL, no_lot = NULL, bad_lot = NULL, driver = NULL;
  g_autoptr(ParkTestResponse) no_name = NULL, admin_no_operator = NULL, admin_made = NULL;
  g_autofree char *body = NULL;

  /* Another operator's lot is answered as if it did not exist, naming the field. */
  body = g_strdup_printf ("{\"name\":\"Sneaky\",\"parking_lot_id\":\"%s\"}", f->south_lot);
  other_lot = park_test_call (f->backend, f->north_op.access, "POST", "api/v1/admin/kiosks",
                              body);
  park_test_assert_problem (other_lot, 404, "not-found", "parking_lot_id");
  no_lot = park_test_call (f->backend, f->north_op.access, "POST", "api/v1/admin/kiosks",
                           "{\"name\":\"Nowhere\"}");
  park_test_assert_problem (no_lot, 400, "missing-field", "parking_lot_id");
  bad_lot = park_test_call (f->backend, f->north_op.access, "POST", "api/v1/admin/kiosks",
                            "{\"name\":\"Nowhere\",\"parking_lot_id\":\"lot-1\"}");
  park_test_assert_problem (bad_lot, 400, "invalid-field", "parking_lot_id");
  g_free (body);
  body = g_strdup_printf ("{\"name\":\"  \",\"parking_lot_id\":\"%s\"}", f->garage);
  no_name = park_test_call (f->backend, f->north_op.access, "POST", "api/v1/admin/kiosks", body);
  park_test_assert_problem (no_name, 400, "invalid-field", "name");
  g_free (body);
  body = g_strdup_printf ("{\"name\":\"Mine\",\"parking_lot_id\":\"%s\"}", f->garage);
  driver = park_test_call (f->backend, f->driver.access, "POST", "api/v1/admin/kiosks", body);
  park_test_assert_problem (driver, 403, "forbidden", NULL);
  admin_no_operator = park_test_call (f->backend, f->admin.access, "POST", "api/v1/admin/kiosks",
                                      body);
  park_test_assert_problem (admin_no_operator, 400, "missing-field", "operator");
  g_free (body);
  body = g_strdup_printf ("{\"operator\":\"north\",\"name\":\"By the admin\","
                          "\"parking_lot_id\":\"%s\"}", f->yard);
  admin_made = expect (f, f->admin.access, "POST", "api/v1/admin/kiosks", body, 201);
  g_assert_cmpstr (str (object_of (admin_made), "lot_name"), ==, "North Yard");
}

static void
test_bad_keys (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonObject) kiosk = make_kiosk (f, &f->north_op, "Entrance", f->garage);
  g_autoptr(ParkTestResponse) unknown = NULL, empty = NULL, none = NULL, not_for_kiosks = NULL;
  g_autoptr(ParkTestResponse) lots = NULL;
  g_autofree char *auth = kiosk_auth (kiosk);

  unknown = book (f, "Kiosk pkk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", f->garage, PLATE);
  park_test_assert_problem (unknown, 401, "invalid-kiosk-key", NULL);
  empty = book (f, "Kiosk  ", f->garage, PLATE);
  park_test_assert_problem (empty, 401, "invalid-kiosk-key", NULL);
  none = book (f, NULL, f->garage, PLATE);
  park_test_assert_problem (none, 401, "unauthorized", NULL);
  /* A kiosk's key is no driver's sign-in: a driver's own list stays closed to it, and public
   * routes take no notice of it. */
  not_for_kiosks = park_test_call (f->backend, auth, "GET", "api/v1/reservations", NULL);
  park_test_assert_problem (not_for_kiosks, 401, "unauthorized", NULL);
  {
    g_autofree char *path = g_strdup_printf ("api/v1/parking-lots/%s", f->garage);

    lots = park_test_call (f->backend, "Kiosk wrong", "GET", path, NULL);
  }
  g_assert_cmpuint (lots->status, ==, 200);
}

static void
test_guest_booking (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonObject) kiosk = make_kiosk (f, &f->north_op, "Entrance", f->garage);
  g_autoptr(JsonObject) other = make_kiosk (f, &f->north_op, "Exit", f->garage);
  g_autoptr(JsonObject) booked = NULL;
  g_autoptr(ParkTestResponse) no_plate = NULL, bad_plate = NULL, south = NULL, yard = NULL;
  g_autoptr(ParkTestResponse) mine = NULL, theirs = NULL, driver = NULL, staff = NULL;
  g_autoptr(ParkTestResponse) south_staff = NULL, board = NULL, theirs_cancel = NULL;
  g_autoptr(ParkTestResponse) cancelled = NULL;
  g_autoptr(GDateTime) hold = NULL, now = g_date_time_new_now_utc ();
  g_autofree char *auth = kiosk_auth (kiosk), *other_auth = kiosk_auth (other);
  g_autofree char *board_path = NULL;
  const char *id;
  JsonArray *found;

  no_plate = book (f, auth, f->garage, NULL);
  park_test_assert_problem (no_plate, 400, "missing-field", "plate");
  bad_plate = book (f, auth, f->garage, "DD/KI 4711!");
  park_test_assert_problem (bad_plate, 400, "invalid-field", "plate");
  south = book (f, auth, f->south_lot, PLATE);
  park_test_assert_problem (south, 403, "forbidden", "parking_lot_id");
  /* Any lot of the kiosk's own operator. */
  yard = book (f, auth, f->yard, PLATE);
  g_assert_cmpuint (yard->status, ==, 201);

  booked = book_guest (f, auth, f->garage);
  id = str (booked, "id");
  g_assert_cmpstr (str (booked, "status"), ==, "pending_payment");
  g_assert_cmpint (json_object_get_int_member (booked, "total_cost"), ==, 400);
  hold = g_date_time_new_from_iso8601 (str (booked, "hold_until"), NULL);
  g_assert_nonnull (hold);
  g_assert_cmpint (g_date_time_difference (hold, now), <=, 11 * G_TIME_SPAN_MINUTE);

  /* The kiosk that made it reads it; another kiosk, a driver and another operator do not. */
  mine = reservation (f, auth, "GET", id, "");
  g_assert_cmpuint (mine->status, ==, 200);
  g_assert_cmpstr (str (object_of (mine), "code"), ==, str (booked, "code"));
  theirs = reservation (f, other_auth, "GET", id, "");
  park_test_assert_problem (theirs, 404, "not-found", NULL);
  driver = reservation (f, f->driver.access, "GET", id, "");
  park_test_assert_problem (driver, 404, "not-found", NULL);
  south_staff = reservation (f, f->south_op.access, "GET", id, "");
  park_test_assert_problem (south_staff, 404, "not-found", NULL);
  staff = reservation (f, f->north_op.access, "GET", id, "");
  g_assert_cmpuint (staff->status, ==, 200);

  /* The booth finds it by the plate the guest typed. */
  board_path = g_strdup_printf ("api/v1/parking-lots/%s/board?q=KI4711", f->garage);
  board = expect (f, f->north_op.access, "GET", board_path, NULL, 200);
  found = json_object_get_array_member (object_of (board), "matches");
  g_assert_cmpuint (json_array_get_length (found), >=, 1);
  g_assert_cmpstr (str (json_array_get_object_element (found, 0), "plate"), ==, PLATE);

  /* The driver walks away: only the kiosk that made it gives it up. */
  theirs_cancel = reservation (f, other_auth, "DELETE", id, "");
  park_test_assert_problem (theirs_cancel, 404, "not-found", NULL);
  cancelled = reservation (f, auth, "DELETE", id, "");
  g_assert_cmpuint (cancelled->status, ==, 200);
  g_assert_cmpstr (str (object_of (cancelled), "status"), ==, "cancelled");
}

/* A guest who neither pays nor cancels: the hold runs out and the spot is free again. The
 * hold is moved back in the database while parkd is stopped. */
static void
test_guest_expiry (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) kiosk = make_kiosk (f, &f->north_op, "Entrance", f->garage);
  g_autoptr(JsonObject) booked = NULL;
  g_autoptr(ParkTestResponse) later = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) gone = g_date_time_add_minutes (now, -1);
  g_autofree char *auth = kiosk_auth (kiosk);
  g_autofree char *gone_text = g_date_time_format (gone, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *sql = NULL;

  booked = book_guest (f, auth, f->garage);
  park_test_backend_stop (f->backend);
  sql = g_strdup_printf ("UPDATE reservations SET hold_until = '%s' WHERE id = '%s'", gone_text,
                         str (booked, "id"));
  park_test_backend_sql (f->backend, sql);
  park_test_backend_start (f->backend, (const char * const *) f->args->pdata);

  later = reservation (f, auth, "GET", str (booked, "id"), "");
  g_assert_cmpuint (later->status, ==, 200);
  g_assert_cmpstr (str (object_of (later), "status"), ==, "expired");
}

/* The guest pays on Stripe's page with a phone; Stripe's webhook confirms the booking and the
 * kiosk, reading it, sees that. */
static void
test_guest_checkout (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) kiosk = make_kiosk (f, &f->north_op, "Entrance", f->garage);
  g_autoptr(JsonObject) other = make_kiosk (f, &f->north_op, "Exit", f->garage);
  g_autoptr(JsonObject) booked = NULL;
  g_autoptr(ParkTestResponse) made = NULL, theirs = NULL, paid = NULL;
  g_autofree char *auth = kiosk_auth (kiosk), *other_auth = kiosk_auth (other);
  g_autofree char *page = NULL;
  const char *url;

  booked = book_guest (f, auth, f->garage);
  theirs = reservation (f, other_auth, "POST", str (booked, "id"), "/checkout");
  park_test_assert_problem (theirs, 404, "not-found", NULL);
  made = reservation (f, auth, "POST", str (booked, "id"), "/checkout");
  g_assert_cmpuint (made->status, ==, 201);
  url = str (json_object_get_object_member (object_of (made), "checkout"), "url");
  g_assert_cmpuint (park_test_stripe_visit_checkout (url, "pm_card_visa", &page), ==, 200);
  g_assert_nonnull (strstr (page, "webhook answered 200"));

  paid = reservation (f, auth, "GET", str (booked, "id"), "");
  g_assert_cmpuint (paid->status, ==, 200);
  g_assert_cmpstr (str (object_of (paid), "status"), ==, "confirmed");
  g_assert_cmpint (json_object_get_int_member (object_of (paid), "balance_due"), ==, 0);
}

/* One kiosk books at most --kiosk-booking-limit times an hour for guests. */
static void
test_guest_limit (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) kiosk = make_kiosk (f, &f->north_op, "Entrance", f->garage);
  g_autoptr(JsonObject) other = make_kiosk (f, &f->north_op, "Exit", f->garage);
  g_autoptr(JsonObject) first = NULL, second = NULL, elsewhere = NULL;
  g_autoptr(ParkTestResponse) third = NULL, again = NULL, driver = NULL;
  g_autofree char *auth = kiosk_auth (kiosk), *other_auth = kiosk_auth (other);
  gint64 retry_after;

  first = book_guest (f, auth, f->garage);
  second = book_guest (f, auth, f->garage);
  third = book (f, auth, f->garage, PLATE);
  park_test_assert_problem (third, 429, "rate-limited", NULL);
  /* The next one when the first of the hour is an hour old: nearly an hour from now. */
  retry_after = g_ascii_strtoll (soup_message_headers_get_one (third->headers, "Retry-After"),
                                 NULL, 10);
  g_assert_cmpint (retry_after, >, 3000);
  g_assert_cmpint (retry_after, <=, 3601);
  /* Counted in the database: parkd started again (or another replica) counts the same. */
  park_test_backend_stop (f->backend);
  park_test_stripe_start_parkd (f->stripe, f->backend, (const char * const *) f->args->pdata);
  again = book (f, auth, f->garage, PLATE);
  park_test_assert_problem (again, 429, "rate-limited", NULL);
  /* Another kiosk, and a signed-in driver, are not held back by it. */
  elsewhere = book_guest (f, other_auth, f->garage);
  driver = book (f, f->driver.access, f->garage, NULL);
  g_assert_cmpuint (driver->status, ==, 201);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (sodium_init () < 0)
    g_error ("libsodium does not start");

#define ADD(path, data, func) \
  g_test_add ("/kiosks/" path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("keys/made-listed-revoked", NULL, test_keys);
  ADD ("keys/rules", NULL, test_key_rules);
  ADD ("keys/unknown-or-missing", NULL, test_bad_keys);
  ADD ("guest/booking", NULL, test_guest_booking);
  ADD ("guest/expiry", NULL, test_guest_expiry);
  ADD ("guest/checkout", NULL, test_guest_checkout);
  ADD ("guest/limit", "2", test_guest_limit);

#undef ADD

  return g_test_run ();
}
