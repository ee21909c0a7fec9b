/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Occupancy sensors as an operator meets them, against the real parkd: a device's key is
 * shown once and only its hash is kept, a wrong or revoked key is turned away, a reading
 * occupies or frees a spot (and the lot's page and availability say so), a replayed event id
 * and a late, older reading change nothing, a free reading leaves a booked spot reserved and
 * an out-of-service spot is left alone, a bad batch or a spot of another operator refuses the
 * whole batch, and every change is in the events outbox as a SpotStateChanged with the lot's
 * next feed sequence number.
 *
 * Each test gets its own parkd on a fresh database with two operators made as on a real
 * installation (the admin with "parkd user add", the operators' accounts and lots through the
 * admin API): "north" with two lots, "south" with one. What parkd stored is read from the
 * database file with the sqlite3 shell once parkd has stopped (build-aux/dev installs it).
 */
#include "park-test-backend.h"
#include "park-test-postgresql.h"
#include "parkd-store.h"

#include <sodium.h>
#include <string.h>

#define PASSWORD    "Kestrel-Harbour-42"
#define ADMIN_EMAIL "admin@example.org"
#define TIME_ZONE   "Europe/Berlin"
#define N_SPOTS     6

typedef struct
{
  char *email;
  char *id;
  char *access;
} Account;

typedef struct
{
  char *id;
  char *spots[N_SPOTS];   /* ordered by number */
  guint n_spots;
} Lot;

typedef struct
{
  ParkTestBackend *backend;
  Account          admin;
  Account          north_op;
  Account          south_op;
  Account          driver;
  char            *north_id;     /* operator ids */
  char            *south_id;
  Lot              garage;       /* north's, N_SPOTS regular spots, 2.00 an hour */
  Lot              yard;         /* north's, 2 regular spots */
  Lot              south_lot;    /* south's, 2 regular spots */
  GDateTime       *base;         /* two minutes before the test began: readings are stamped
                                  * from it, so their order never depends on the time taken */
  GPtrArray       *strings;      /* freed with the fixture */
} Fixture;

/* ---- reading answers --------------------------------------------------------------------- */

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
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
  return json_node_get_string (node);
}

/* ---- calls ------------------------------------------------------------------------------- */

/* A call that must be answered @status for the test to go on. */
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
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Sensor-Key", data);
}

/* POST /api/v1/sensors/events as a device: with @key in X-Sensor-Key (none when NULL). */
static ParkTestResponse *
send_batch (Fixture    *f,
            const char *key,
            const char *body)
{
  gulong id = 0;
  ParkTestResponse *response;

  if (key != NULL)
    id = g_signal_connect (f->backend->session, "request-queued",
                           G_CALLBACK (on_request_queued), (gpointer) key);
  response = park_test_call (f->backend, NULL, "POST", "api/v1/sensors/events", body);
  if (id != 0)
    g_signal_handler_disconnect (f->backend->session, id);
  return response;
}

/* The UTC time @seconds after the fixture's base (fractions kept), as a sensor would write
 * it; the fixture keeps it. */
static const char *
stamp (Fixture *f,
       double   seconds)
{
  g_autoptr(GDateTime) then = g_date_time_add (f->base, (GTimeSpan) (seconds * G_TIME_SPAN_SECOND));
  char *text = g_date_time_format (then, "%Y-%m-%dT%H:%M:%S.%fZ");

  g_ptr_array_add (f->strings, text);
  return text;
}

/* {"event_id":…,"spot_id":…,"occupied":…,"observed_at":…} */
static char *
event (const char *event_id,
       const char *spot_id,
       gboolean    occupied,
       const char *observed_at)
{
  return g_strdup_printf ("{\"event_id\":\"%s\",\"spot_id\":\"%s\",\"occupied\":%s,"
                          "\"observed_at\":\"%s\"}", event_id, spot_id,
                          occupied ? "true" : "false", observed_at);
}

/* Sends one reading that must be answered 200, and returns its outcome. */
static const char *
send_one (Fixture    *f,
          const char *key,
          const char *event_id,
          const char *spot_id,
          gboolean    occupied,
          const char *observed_at)
{
  g_autofree char *e = event (event_id, spot_id, occupied, observed_at);
  g_autofree char *body = g_strdup_printf ("{\"events\":[%s]}", e);
  g_autoptr(ParkTestResponse) response = send_batch (f, key, body);
  JsonArray *results;
  JsonObject *result;

  if (response->status != 200)
    {
      g_autofree char *text = body_text (response);

      g_test_message ("reading %s: %u %s", event_id, response->status, text);
    }
  g_assert_cmpuint (response->status, ==, 200);
  results = json_object_get_array_member (object_of (response), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  result = json_array_get_object_element (results, 0);
  g_assert_cmpstr (str (result, "event_id"), ==, event_id);
  return g_intern_string (str (result, "outcome"));
}

/* ---- accounts ---------------------------------------------------------------------------- */

/* "parkd user add ARGS…" on the server's database, the password from a file on stdin. */
static void
user_add (Fixture            *f,
          const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *input_path = g_build_filename (f->backend->tmpdir, "user-add-stdin", NULL);

  g_ptr_array_add (argv, (gpointer) park_test_parkd_path ());
  g_ptr_array_add (argv, (gpointer) "user");
  g_ptr_array_add (argv, (gpointer) "add");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, f->backend->db_path);
  g_ptr_array_add (argv, NULL);

  g_file_set_contents (input_path, PASSWORD "\n", -1, &error);
  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_stdin_file_path (launcher, input_path);
  g_subprocess_launcher_unsetenv (launcher, "PARKD_CONFIG");
  g_subprocess_launcher_set_child_setup (launcher, park_test_die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("parkd user add: %s%s", out, err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static void
sign_in (Fixture    *f,
         Account    *account,
         const char *email)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"" PASSWORD "\"}",
                                           email);
  g_autoptr(ParkTestResponse) login = expect (f, NULL, "POST", "api/v1/auth/login", body, 200);
  g_autoptr(ParkTestResponse) me = NULL;

  account->email = g_strdup (email);
  account->access = g_strdup (str (object_of (login), "access_token"));
  me = expect (f, account->access, "GET", "api/v1/users/me", NULL, 200);
  account->id = g_strdup (str (object_of (me), "id"));
}

/* An operator (its id returned) with an operator account, both made by the admin. */
static char *
add_operator (Fixture    *f,
              const char *slug,
              Account    *account)
{
  g_autofree char *body = g_strdup_printf ("{\"slug\":\"%s\",\"name\":\"%s parking\","
                                           "\"city\":\"Dresden\",\"time_zone\":\"" TIME_ZONE "\","
                                           "\"currency\":\"EUR\"}", slug, slug);
  g_autofree char *staff = NULL, *email = g_strdup_printf ("op@%s.example.org", slug);
  g_autoptr(ParkTestResponse) created = expect (f, f->admin.access, "POST",
                                                "api/v1/admin/operators", body, 201);
  g_autoptr(ParkTestResponse) made = NULL;

  staff = g_strdup_printf ("{\"operator\":\"%s\",\"email\":\"%s\",\"password\":\"" PASSWORD "\","
                           "\"role\":\"operator\"}", slug, email);
  made = expect (f, f->admin.access, "POST", "api/v1/admin/staff", staff, 201);
  sign_in (f, account, email);
  return g_strdup (str (object_of (created), "id"));
}

/* A lot of the caller's operator with @n_spots regular spots, and their ids. */
static void
add_lot (Fixture    *f,
         Account    *op,
         const char *name,
         guint       n_spots,
         Lot        *lot)
{
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\",\"address\":\"Altmarkt 1\","
                                           "\"lat\":51.05,\"lng\":13.74,\"hourly_rate\":200,"
                                           "\"spots\":{\"regular\":%u}}", name, n_spots);
  g_autoptr(ParkTestResponse) created = expect (f, op->access, "POST",
                                                "api/v1/admin/parking-lots", body, 201);
  g_autoptr(ParkTestResponse) spots = NULL;
  JsonArray *items;

  g_assert_cmpuint (n_spots, <=, N_SPOTS);
  lot->id = g_strdup (str (object_of (created), "id"));
  spots = park_test_get (f->backend, "api/v1/parking-lots/%s/spots", lot->id);
  g_assert_cmpuint (spots->status, ==, 200);
  items = json_object_get_array_member (object_of (spots), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, n_spots);
  for (guint i = 0; i < n_spots; i++)
    lot->spots[i] = g_strdup (str (json_array_get_object_element (items, i), "id"));
  lot->n_spots = n_spots;
}

static void
account_clear (Account *account)
{
  g_clear_pointer (&account->email, g_free);
  g_clear_pointer (&account->id, g_free);
  g_clear_pointer (&account->access, g_free);
}

static void
lot_clear (Lot *lot)
{
  g_clear_pointer (&lot->id, g_free);
  for (guint i = 0; i < N_SPOTS; i++)
    g_clear_pointer (&lot->spots[i], g_free);
}

/* ---- the fixture ------------------------------------------------------------------------- */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char * const args[] = {
    "--auth-rate-limit", "0", "--account-rate-limit", "0", NULL
  };
  const char * const add_admin[] = { "--email", ADMIN_EMAIL, "--role", "admin", NULL };
  g_autoptr(ParkTestResponse) registered = NULL;

  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  f->base = g_date_time_add_minutes (now, -2);
  f->strings = g_ptr_array_new_with_free_func (g_free);
  f->backend = park_test_backend_new ();
  park_test_backend_start (f->backend, args);
  user_add (f, add_admin);
  sign_in (f, &f->admin, ADMIN_EMAIL);
  f->north_id = add_operator (f, "north", &f->north_op);
  f->south_id = add_operator (f, "south", &f->south_op);
  add_lot (f, &f->north_op, "North Garage", N_SPOTS, &f->garage);
  add_lot (f, &f->north_op, "North Yard", 2, &f->yard);
  add_lot (f, &f->south_op, "South Lot", 2, &f->south_lot);
  registered = expect (f, NULL, "POST", "api/v1/auth/register",
                       "{\"email\":\"dana@example.org\",\"password\":\"" PASSWORD "\","
                       "\"first_name\":\"Dana\",\"last_name\":\"Driver\"}", 201);
  sign_in (f, &f->driver, "dana@example.org");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->backend, park_test_backend_free);
  account_clear (&f->admin);
  account_clear (&f->north_op);
  account_clear (&f->south_op);
  account_clear (&f->driver);
  g_clear_pointer (&f->north_id, g_free);
  g_clear_pointer (&f->south_id, g_free);
  lot_clear (&f->garage);
  lot_clear (&f->yard);
  lot_clear (&f->south_lot);
  g_clear_pointer (&f->base, g_date_time_unref);
  g_clear_pointer (&f->strings, g_ptr_array_unref);
}

/* ---- helpers of the tests ---------------------------------------------------------------- */

/* A device made by @op (an operator's account; @extra: more members of the body, or NULL).
 * Returns the created device's answer; its key is in "key". */
static JsonObject *
make_device (Fixture    *f,
             Account    *op,
             const char *name,
             const char *extra)
{
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\"%s%s}", name,
                                           extra != NULL ? "," : "", extra != NULL ? extra : "");
  g_autoptr(ParkTestResponse) created = expect (f, op->access, "POST", "api/v1/admin/sensors",
                                                body, 201);

  return json_object_ref (object_of (created));
}

/* The spot's state as the lot's public spot list shows it. */
static char *
spot_state (Fixture    *f,
            const Lot  *lot,
            const char *spot_id)
{
  g_autoptr(ParkTestResponse) spots = park_test_get (f->backend, "api/v1/parking-lots/%s/spots",
                                                     lot->id);
  JsonArray *items;

  g_assert_cmpuint (spots->status, ==, 200);
  items = json_object_get_array_member (object_of (spots), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *spot = json_array_get_object_element (items, i);

      if (g_str_equal (str (spot, "id"), spot_id))
        return g_strdup (str (spot, "state"));
    }
  g_error ("lot %s has no spot %s", lot->id, spot_id);
}

/* Free regular spots of the lot, as its public page says. */
static gint64
available_regular (Fixture   *f,
                   const Lot *lot)
{
  g_autoptr(ParkTestResponse) page = park_test_get (f->backend, "api/v1/parking-lots/%s",
                                                    lot->id);
  JsonObject *availability;

  g_assert_cmpuint (page->status, ==, 200);
  availability = json_object_get_object_member (object_of (page), "availability");
  return json_object_get_int_member (json_object_get_object_member (availability, "regular"),
                                     "available");
}

static void
assert_spot_state (Fixture    *f,
                   const Lot  *lot,
                   const char *spot_id,
                   const char *state)
{
  g_autofree char *now = spot_state (f, lot, spot_id);

  g_assert_cmpstr (now, ==, state);
}

/* Runs @sql on the stopped server's database with the sqlite3 shell, read-only; returns its
 * output lines ("|" between columns). */
static char **
query (Fixture    *f,
       const char *sql)
{
  g_autofree char *shell = g_find_program_in_path ("sqlite3");
  g_autofree char *uri = NULL, *out = NULL, *err = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  park_test_backend_stop (f->backend);
  /* On the PostgreSQL store (PARK_TEST_STORE=postgresql): the same query with psql, its two
   * SQLite functions in PostgreSQL's words, the output in the shell's "a|b" lines. */
  if (g_str_has_prefix (f->backend->db_path, "postgresql://"))
    {
      g_autoptr(GRegex) json = g_regex_new ("json_extract \\(payload, '\\$\\.([a-z_.]+)'\\)",
                                            0, 0, NULL);
      g_autofree char *hexed = NULL, *translated = NULL, *rows = NULL;
      g_auto(GStrv) parts = NULL;

      parts = g_strsplit (sql, "lower (hex (key_hash))", -1);
      hexed = g_strjoinv ("encode (key_hash, 'hex')", parts);
      translated = g_regex_replace (json, hexed, -1, 0, "(payload::json #>> '{\\1}')", 0,
                                    NULL);
      /* '{spot.id}' is a path of two keys: '{spot,id}'. */
      for (char *p = strstr (translated, "#>> '{"); p != NULL; p = strstr (p + 1, "#>> '{"))
        for (char *q = p + 6; *q != '\0' && *q != '}'; q++)
          if (*q == '.')
            *q = ',';
      rows = park_test_postgresql_rows (f->backend->db_path, translated);
      return g_strsplit (rows, "\n", -1);
    }
  /* build-aux/dev installs the shell; without it these checks must not pass silently. */
  if (shell == NULL)
    g_error ("the sqlite3 shell is needed to read the database (apt-get install sqlite3)");
  uri = g_strdup_printf ("file:%s?mode=ro", f->backend->db_path);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, shell, "-batch", "-readonly", uri, sql, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("%s\n%s%s", sql, out, err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpstr (err, ==, "");
  return g_strsplit (g_strstrip (out), "\n", -1);
}

/* How many entries of the audit log, as @token's caller sees it, are @action on @object_id. */
static guint
audit_count (Fixture    *f,
             const char *token,
             const char *action,
             const char *object_id)
{
  g_autoptr(ParkTestResponse) log = expect (f, token, "GET", "api/v1/admin/audit-log?per_page=200",
                                            NULL, 200);
  JsonArray *items = json_object_get_array_member (object_of (log), "items");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *entry = json_array_get_object_element (items, i);

      if (g_str_equal (str (entry, "action"), action) &&
          g_str_equal (str (entry, "object_id"), object_id))
        n++;
    }
  return n;
}

/* ---- 1. keys ----------------------------------------------------------------------------- */

static void
test_key_shown_once (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) device = make_device (f, &f->north_op, "Level 0 gateway", NULL);
  g_autoptr(ParkTestResponse) mine = NULL, theirs = NULL, admin_all = NULL, admin_north = NULL;
  g_autoptr(ParkTestResponse) refused = NULL;
  g_autofree char *key = g_strdup (str (device, "key"));
  g_autofree char *device_id = g_strdup (str (device, "id"));
  g_autofree char *path = NULL, *sql = NULL;
  g_auto(GStrv) rows = NULL;
  guint8 hash[crypto_generichash_BYTES];
  char hex[2 * crypto_generichash_BYTES + 1];
  JsonArray *items;
  JsonObject *listed;

  g_assert_true (g_regex_match_simple ("^psk_[A-Za-z0-9_-]{43}$", key, 0, 0));
  g_assert_cmpstr (str (device, "operator_id"), ==, f->north_id);
  g_assert_null (str (device, "parking_lot_id"));
  g_assert_null (str (device, "last_seen_at"));
  g_assert_null (str (device, "revoked_at"));
  g_assert_cmpuint (audit_count (f, f->north_op.access, "sensor.create", device_id), ==, 1);

  /* The list shows the device, never its key. */
  mine = expect (f, f->north_op.access, "GET", "api/v1/admin/sensors", NULL, 200);
  items = json_object_get_array_member (object_of (mine), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  listed = json_array_get_object_element (items, 0);
  g_assert_cmpstr (str (listed, "id"), ==, device_id);
  g_assert_cmpstr (str (listed, "name"), ==, "Level 0 gateway");
  g_assert_false (json_object_has_member (listed, "key"));
  {
    g_autofree char *text = body_text (mine);

    g_assert_null (strstr (text, key));
  }

  /* Another operator sees none of it, and cannot ask for it; the admin sees it. */
  theirs = expect (f, f->south_op.access, "GET", "api/v1/admin/sensors", NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object_of (theirs),
                                                                         "items")), ==, 0);
  path = g_strdup ("api/v1/admin/sensors?operator=north");
  refused = expect (f, f->south_op.access, "GET", path, NULL, 404);
  park_test_assert_problem (refused, 404, "not-found", "operator");
  admin_north = expect (f, f->admin.access, "GET", path, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (object_of (admin_north), "total"), ==, 1);
  admin_all = expect (f, f->admin.access, "GET", "api/v1/admin/sensors", NULL, 200);
  g_assert_cmpint (json_object_get_int_member (object_of (admin_all), "total"), ==, 1);

  /* The key works, and what the database holds is its hash alone. */
  g_assert_cmpstr (send_one (f, key, "first", f->garage.spots[0], TRUE, stamp (f, 1)), ==,
                   "applied");
  crypto_generichash (hash, sizeof hash, (const guint8 *) key, strlen (key), NULL, 0);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  sql = g_strdup_printf ("SELECT lower (hex (key_hash)) FROM sensor_devices WHERE id = '%s';",
                         device_id);
  rows = query (f, sql);
  g_assert_cmpstr (rows[0], ==, hex);
}

static void
test_key_wrong_and_revoked (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JsonObject) device = make_device (f, &f->north_op, "Yard sensor", NULL);
  g_autoptr(ParkTestResponse) missing = NULL, wrong = NULL, not_theirs = NULL, revoked = NULL;
  g_autoptr(ParkTestResponse) again = NULL, after = NULL, list = NULL;
  g_autofree char *key = g_strdup (str (device, "key"));
  g_autofree char *path = g_strdup_printf ("api/v1/admin/sensors/%s", str (device, "id"));
  g_autofree char *e = event ("r1", f->garage.spots[0], TRUE, stamp (f, 1));
  g_autofree char *body = g_strdup_printf ("{\"events\":[%s]}", e);
  g_autofree char *forged = g_strdup (key), *revoked_at = NULL;
  JsonObject *listed;

  missing = send_batch (f, NULL, body);
  park_test_assert_problem (missing, 401, "missing-sensor-key", NULL);
  forged[strlen (forged) - 1] = forged[strlen (forged) - 1] == 'A' ? 'B' : 'A';
  wrong = send_batch (f, forged, body);
  park_test_assert_problem (wrong, 401, "invalid-sensor-key", NULL);
  g_assert_nonnull (soup_message_headers_get_one (wrong->headers, "WWW-Authenticate"));
  /* An access token is no sensor key. */
  {
    g_autoptr(ParkTestResponse) token = send_batch (f, f->north_op.access, body);

    park_test_assert_problem (token, 401, "invalid-sensor-key", NULL);
  }
  assert_spot_state (f, &f->garage, f->garage.spots[0], "available");

  /* Another operator cannot revoke it: to them it does not exist. */
  not_theirs = expect (f, f->south_op.access, "DELETE", path, NULL, 404);
  park_test_assert_problem (not_theirs, 404, "not-found", NULL);

  g_assert_cmpstr (send_one (f, key, "r0", f->garage.spots[1], TRUE, stamp (f, 0)), ==,
                   "applied");
  revoked = expect (f, f->north_op.access, "DELETE", path, NULL, 204);
  g_assert_cmpuint (audit_count (f, f->north_op.access, "sensor.revoke", str (device, "id")), ==,
                    1);
  after = send_batch (f, key, body);
  park_test_assert_problem (after, 401, "invalid-sensor-key", NULL);
  /* Turned away before its batch is even read. */
  {
    g_autoptr(ParkTestResponse) bad = send_batch (f, key, "{\"events\":[]}");

    park_test_assert_problem (bad, 401, "invalid-sensor-key", NULL);
  }
  assert_spot_state (f, &f->garage, f->garage.spots[0], "available");
  list = expect (f, f->north_op.access, "GET", "api/v1/admin/sensors", NULL, 200);
  listed = json_array_get_object_element (json_object_get_array_member (object_of (list),
                                                                        "items"), 0);
  g_assert_nonnull (str (listed, "revoked_at"));
  g_assert_nonnull (str (listed, "last_seen_at"));
  revoked_at = g_strdup (str (listed, "revoked_at"));

  /* Revoking twice changes nothing: the first time stands, the log has it once. */
  again = expect (f, f->north_op.access, "DELETE", path, NULL, 204);
  g_clear_pointer (&list, park_test_response_free);
  list = expect (f, f->north_op.access, "GET", "api/v1/admin/sensors", NULL, 200);
  listed = json_array_get_object_element (json_object_get_array_member (object_of (list),
                                                                        "items"), 0);
  g_assert_cmpstr (str (listed, "revoked_at"), ==, revoked_at);
  g_assert_cmpuint (audit_count (f, f->north_op.access, "sensor.revoke", str (device, "id")), ==,
                    1);
}

/* An admin revoking an operator's device: the operator's own log says so. */
static void
test_key_revoked_by_admin (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(JsonObject) device = make_device (f, &f->north_op, "Yard sensor", NULL);
  g_autofree char *path = g_strdup_printf ("api/v1/admin/sensors/%s", str (device, "id"));
  g_autoptr(ParkTestResponse) revoked = expect (f, f->admin.access, "DELETE", path, NULL, 204);
  g_autoptr(ParkTestResponse) refused = NULL;
  g_autofree char *e = event ("z-1", f->garage.spots[0], TRUE, stamp (f, 1));
  g_autofree char *body = g_strdup_printf ("{\"events\":[%s]}", e);

  g_assert_cmpuint (audit_count (f, f->north_op.access, "sensor.revoke", str (device, "id")), ==,
                    1);
  refused = send_batch (f, str (device, "key"), body);
  park_test_assert_problem (refused, 401, "invalid-sensor-key", NULL);
}

/* The admin API's own checks: who makes a device for which operator and lot. */
static void
test_key_create_rules (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ParkTestResponse) no_operator = NULL, foreign_lot = NULL, staff_operator = NULL;
  g_autoptr(ParkTestResponse) empty_name = NULL, driver = NULL, admin_made = NULL;
  g_autoptr(ParkTestResponse) any_lot = NULL;
  g_autofree char *body = NULL;

  no_operator = expect (f, f->admin.access, "POST", "api/v1/admin/sensors",
                        "{\"name\":\"Gateway\"}", 400);
  park_test_assert_problem (no_operator, 400, "missing-field", "operator");
  body = g_strdup_printf ("{\"name\":\"Gateway\",\"parking_lot_id\":\"%s\"}", f->south_lot.id);
  foreign_lot = expect (f, f->north_op.access, "POST", "api/v1/admin/sensors", body, 404);
  park_test_assert_problem (foreign_lot, 404, "not-found", "parking_lot_id");
  g_free (body);
  body = g_strdup ("{\"name\":\"Gateway\",\"operator\":\"north\"}");
  staff_operator = expect (f, f->north_op.access, "POST", "api/v1/admin/sensors", body, 400);
  park_test_assert_problem (staff_operator, 400, "read-only-field", "operator");
  driver = expect (f, f->driver.access, "POST", "api/v1/admin/sensors", "{\"name\":\"x\"}", 403);
  empty_name = expect (f, f->north_op.access, "POST", "api/v1/admin/sensors",
                       "{\"name\":\"  \"}", 400);
  park_test_assert_problem (empty_name, 400, "invalid-field", "name");
  admin_made = expect (f, f->admin.access, "POST", "api/v1/admin/sensors", body, 201);
  g_assert_cmpstr (str (object_of (admin_made), "operator_id"), ==, f->north_id);
  /* A null lot is no lot: any of the operator's. */
  any_lot = expect (f, f->north_op.access, "POST", "api/v1/admin/sensors",
                    "{\"name\":\"Roaming\",\"parking_lot_id\":null}", 201);
  g_assert_null (str (object_of (any_lot), "parking_lot_id"));
}

/* ---- 2. readings ------------------------------------------------------------------------- */

static void
test_reading_occupies (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JsonObject) device = make_device (f, &f->north_op, "Garage gateway", NULL);
  const char *key = str (device, "key");
  const char *spot = f->garage.spots[2];
  const char *t1 = stamp (f, 10), *t2 = stamp (f, 20);
  g_autofree char *e1 = event ("a-1", spot, TRUE, t1);
  g_autofree char *e2 = event ("a-2", f->garage.spots[3], TRUE, t1);
  g_autofree char *body = g_strdup_printf ("{\"events\":[%s,%s]}", e1, e2);
  g_autoptr(ParkTestResponse) response = NULL, list = NULL;
  g_autofree char *upper = NULL;
  JsonArray *results;

  g_assert_cmpint (available_regular (f, &f->garage), ==, N_SPOTS);
  response = send_batch (f, key, body);
  g_assert_cmpuint (response->status, ==, 200);
  results = json_object_get_array_member (object_of (response), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  g_assert_cmpstr (str (json_array_get_object_element (results, 0), "event_id"), ==, "a-1");
  g_assert_cmpstr (str (json_array_get_object_element (results, 0), "outcome"), ==, "applied");
  g_assert_cmpstr (str (json_array_get_object_element (results, 1), "event_id"), ==, "a-2");
  g_assert_cmpstr (str (json_array_get_object_element (results, 1), "outcome"), ==, "applied");

  assert_spot_state (f, &f->garage, spot, "occupied");
  assert_spot_state (f, &f->garage, f->garage.spots[3], "occupied");
  g_assert_cmpint (available_regular (f, &f->garage), ==, N_SPOTS - 2);

  /* Occupied again: nothing to change. Then the car leaves (a spot id in capitals is the
   * same spot). */
  g_assert_cmpstr (send_one (f, key, "a-3", spot, TRUE, t2), ==, "unchanged");
  upper = g_ascii_strup (spot, -1);
  g_assert_cmpstr (send_one (f, key, "a-4", upper, FALSE, stamp (f, 30)), ==, "applied");
  assert_spot_state (f, &f->garage, spot, "available");
  g_assert_cmpint (available_regular (f, &f->garage), ==, N_SPOTS - 1);

  list = expect (f, f->north_op.access, "GET", "api/v1/admin/sensors", NULL, 200);
  g_assert_nonnull (str (json_array_get_object_element (
                           json_object_get_array_member (object_of (list), "items"), 0),
                         "last_seen_at"));
}

static void
test_reading_duplicate (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) device = make_device (f, &f->north_op, "Garage gateway", NULL);
  g_autoptr(JsonObject) other = make_device (f, &f->north_op, "Second gateway", NULL);
  const char *key = str (device, "key");
  const char *spot = f->garage.spots[0];
  g_auto(GStrv) rows = NULL;

  g_assert_cmpstr (send_one (f, key, "evt-7", spot, TRUE, stamp (f, 10)), ==, "applied");
  /* The same event id again, even saying something newer and different, changes nothing. */
  g_assert_cmpstr (send_one (f, key, "evt-7", spot, FALSE, stamp (f, 30)), ==,
                   "duplicate");
  assert_spot_state (f, &f->garage, spot, "occupied");
  g_assert_cmpint (available_regular (f, &f->garage), ==, N_SPOTS - 1);
  /* A replay inside one batch, too. */
  {
    g_autofree char *e = event ("evt-8", f->garage.spots[1], TRUE, stamp (f, 20));
    g_autofree char *body = g_strdup_printf ("{\"events\":[%s,%s]}", e, e);
    g_autoptr(ParkTestResponse) response = send_batch (f, key, body);
    JsonArray *results;

    g_assert_cmpuint (response->status, ==, 200);
    results = json_object_get_array_member (object_of (response), "results");
    g_assert_cmpstr (str (json_array_get_object_element (results, 0), "outcome"), ==, "applied");
    g_assert_cmpstr (str (json_array_get_object_element (results, 1), "outcome"), ==,
                     "duplicate");
  }
  /* Event ids are the device's own: another device may use the same one. */
  g_assert_cmpstr (send_one (f, str (other, "key"), "evt-7", spot, FALSE, stamp (f, 30)),
                   ==, "applied");
  assert_spot_state (f, &f->garage, spot, "available");

  rows = query (f, "SELECT count(*) FROM sensor_events WHERE event_id = 'evt-7';");
  g_assert_cmpstr (rows[0], ==, "2");
}

static void
test_reading_stale (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonObject) device = make_device (f, &f->north_op, "Garage gateway", NULL);
  const char *key = str (device, "key");
  const char *spot = f->garage.spots[4];
  const char *t = stamp (f, 60), *before = stamp (f, 30);
  g_autofree char *same_instant = NULL;
  g_autoptr(GDateTime) parsed = g_date_time_new_from_iso8601 (t, NULL);
  g_autoptr(GTimeZone) plus_two = g_time_zone_new_identifier ("+02:00");
  g_autoptr(GDateTime) shifted = g_date_time_to_timezone (parsed, plus_two);
  g_auto(GStrv) rows = NULL;

  g_assert_cmpstr (send_one (f, key, "s-1", spot, TRUE, t), ==, "applied");
  /* A gateway's backlog arrives: the car was gone earlier, but that is old news. */
  g_assert_cmpstr (send_one (f, key, "s-0", spot, FALSE, before), ==, "stale");
  assert_spot_state (f, &f->garage, spot, "occupied");
  /* The same instant, written in another offset, is no later either. */
  same_instant = g_date_time_format (shifted, "%Y-%m-%dT%H:%M:%S.%f%:z");
  g_assert_cmpstr (send_one (f, key, "s-2", spot, FALSE, same_instant), ==, "stale");
  assert_spot_state (f, &f->garage, spot, "occupied");
  g_assert_cmpint (available_regular (f, &f->garage), ==, N_SPOTS - 1);
  /* A microsecond later is news. */
  {
    g_autoptr(GDateTime) later = g_date_time_add (parsed, 1);
    g_autofree char *text = g_date_time_format (later, "%Y-%m-%dT%H:%M:%S.%fZ");

    g_assert_cmpstr (send_one (f, key, "s-3", spot, FALSE, text), ==, "applied");
  }
  assert_spot_state (f, &f->garage, spot, "available");

  /* Stale readings are kept, with what became of them. */
  rows = query (f, "SELECT event_id || ':' || outcome FROM sensor_events ORDER BY event_id;");
  g_assert_cmpuint (g_strv_length (rows), ==, 4);
  g_assert_cmpstr (rows[0], ==, "s-0:stale");
  g_assert_cmpstr (rows[1], ==, "s-1:applied");
  g_assert_cmpstr (rows[2], ==, "s-2:stale");
  g_assert_cmpstr (rows[3], ==, "s-3:applied");
}

static void
test_reading_keeps_reservation (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(JsonObject) device = make_device (f, &f->north_op, "Garage gateway", NULL);
  const char *key = str (device, "key");
  const char *spot = f->garage.spots[5];
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) end = g_date_time_add_hours (now, 2);
  g_autofree char *start_text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *end_text = g_date_time_format (end, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *booking = g_strdup_printf ("{\"parking_spot_id\":\"%s\",\"start_time\":\"%s\","
                                              "\"end_time\":\"%s\"}", spot, start_text,
                                              end_text);
  g_autoptr(ParkTestResponse) booked = expect (f, f->driver.access, "POST",
                                               "api/v1/reservations", booking, 201);

  /* Booked from now, and waiting for its payment: the spot is held. */
  g_assert_cmpstr (str (object_of (booked), "status"), ==, "pending_payment");
  assert_spot_state (f, &f->garage, spot, "reserved");
  /* Still free by the sensor: nothing to change. */
  g_assert_cmpstr (send_one (f, key, "k-1", spot, FALSE, stamp (f, 10)), ==, "unchanged");
  assert_spot_state (f, &f->garage, spot, "reserved");
  /* The driver arrives, and leaves for a while: the spot stays theirs. */
  g_assert_cmpstr (send_one (f, key, "k-2", spot, TRUE, stamp (f, 20)), ==, "applied");
  assert_spot_state (f, &f->garage, spot, "occupied");
  g_assert_cmpstr (send_one (f, key, "k-3", spot, FALSE, stamp (f, 30)), ==, "applied");
  assert_spot_state (f, &f->garage, spot, "reserved");
  g_assert_cmpint (available_regular (f, &f->garage), ==, N_SPOTS - 1);
}

/* The attendant's own eyes count: a gateway's backlog from before a car was checked in on a
 * spot does not free it, nor does one from before it left fill it again. */
static void
test_reading_after_attendant (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonObject) device = make_device (f, &f->north_op, "Garage gateway", NULL);
  const char *key = str (device, "key");
  const char *spot = f->garage.spots[3];
  g_autofree char *in_body = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"B-SN 77\","
                                              "\"parking_spot_id\":\"%s\"}", f->garage.id,
                                              spot);
  g_autoptr(ParkTestResponse) in = NULL, paid = NULL, left = NULL;
  g_autoptr(GDateTime) now = NULL, later = NULL;
  g_autofree char *path = NULL, *after = NULL;

  in = expect (f, f->north_op.access, "POST", "api/v1/sessions", in_body, 201);
  assert_spot_state (f, &f->garage, spot, "occupied");
  /* Free a minute ago, by a reading that only arrives now: the car is there. */
  g_assert_cmpstr (send_one (f, key, "a-1", spot, FALSE, stamp (f, 60)), ==, "stale");
  assert_spot_state (f, &f->garage, spot, "occupied");

  /* The car leaves at the barrier (paid, then out). */
  path = g_strdup_printf ("api/v1/sessions/%s/check-out", str (object_of (in), "ticket"));
  paid = expect (f, f->north_op.access, "POST", path, "{\"tendered\":10000}", 200);
  left = expect (f, f->north_op.access, "POST", path, "{}", 200);
  assert_spot_state (f, &f->garage, spot, "available");
  g_assert_cmpstr (send_one (f, key, "a-2", spot, TRUE, stamp (f, 90)), ==, "stale");
  assert_spot_state (f, &f->garage, spot, "available");

  /* What the sensor sees after the attendant is news again. */
  now = g_date_time_new_now_utc ();
  later = g_date_time_add_seconds (now, 2);
  after = g_date_time_format (later, "%Y-%m-%dT%H:%M:%S.%fZ");
  g_assert_cmpstr (send_one (f, key, "a-3", spot, TRUE, after), ==, "applied");
  assert_spot_state (f, &f->garage, spot, "occupied");
}

static void
test_reading_out_of_service (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(JsonObject) device = make_device (f, &f->north_op, "Garage gateway", NULL);
  const char *key = str (device, "key");
  const char *spot = f->garage.spots[1];
  g_autofree char *path = g_strdup_printf ("api/v1/admin/spots/%s", spot);
  g_autoptr(ParkTestResponse) closed = NULL, reopened = NULL;

  closed = expect (f, f->north_op.access, "PATCH", path, "{\"state\":\"out_of_service\"}", 200);
  g_assert_cmpstr (send_one (f, key, "o-1", spot, TRUE, stamp (f, 10)), ==, "unchanged");
  assert_spot_state (f, &f->garage, spot, "out_of_service");
  g_assert_cmpstr (send_one (f, key, "o-2", spot, FALSE, stamp (f, 20)), ==, "unchanged");
  assert_spot_state (f, &f->garage, spot, "out_of_service");

  /* Back in service: the readings it had while closed still count as the newest. */
  reopened = expect (f, f->north_op.access, "PATCH", path, "{\"state\":\"available\"}", 200);
  g_assert_cmpstr (send_one (f, key, "o-3", spot, TRUE, stamp (f, 15)), ==, "stale");
  assert_spot_state (f, &f->garage, spot, "available");
  g_assert_cmpstr (send_one (f, key, "o-4", spot, TRUE, stamp (f, 30)), ==, "applied");
  assert_spot_state (f, &f->garage, spot, "occupied");
}

/* A 422 for @body that must name @field with @code, and change nothing. */
static void
assert_refused (Fixture    *f,
                const char *key,
                const char *body,
                const char *code,
                const char *field)
{
  g_autoptr(ParkTestResponse) response = send_batch (f, key, body);

  park_test_assert_problem (response, 422, code, field);
}

static void
test_bad_batch (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonObject) device = make_device (f, &f->north_op, "Garage gateway", NULL);
  const char *key = str (device, "key");
  const char *t = stamp (f, 10), *ahead = stamp (f, 120 + 600);
  g_autofree char *good0 = event ("b-0", f->garage.spots[0], TRUE, t);
  g_autofree char *good1 = event ("b-1", f->garage.spots[1], TRUE, t);
  g_autofree char *good2 = event ("b-2", f->garage.spots[2], TRUE, t);
  g_autofree char *good3 = event ("b-3", f->garage.spots[3], TRUE, t);
  g_autofree char *future = event ("b-3", f->garage.spots[3], TRUE, ahead);
  g_autofree char *body = NULL;
  g_autoptr(GString) many = g_string_new ("{\"events\":[");
  g_autoptr(ParkTestResponse) fixed = NULL;
  JsonArray *results;

  body = g_strdup_printf ("{\"events\":[%s,%s,%s,{\"event_id\":\"b-3\",\"spot_id\":\"%s\","
                          "\"occupied\":true,\"observed_at\":\"yesterday\"}]}", good0, good1,
                          good2, f->garage.spots[3]);
  assert_refused (f, key, body, "invalid-field", "events[3].observed_at");
  g_free (body);
  body = g_strdup_printf ("{\"events\":[%s,%s,%s,{\"event_id\":\"b-3\",\"spot_id\":\"%s\","
                          "\"occupied\":true,\"observed_at\":\"2026-01-01T10:00:00\"}]}", good0,
                          good1, good2, f->garage.spots[3]);
  assert_refused (f, key, body, "invalid-field", "events[3].observed_at");
  g_free (body);
  body = g_strdup_printf ("{\"events\":[%s,%s,%s,%s]}", good0, good1, good2, future);
  assert_refused (f, key, body, "observed-in-future", "events[3].observed_at");
  g_free (body);
  body = g_strdup_printf ("{\"events\":[%s,{\"event_id\":\"b-1\",\"spot_id\":\"%s\","
                          "\"observed_at\":\"%s\"}]}", good0, f->garage.spots[1], t);
  assert_refused (f, key, body, "missing-field", "events[1].occupied");
  g_free (body);
  body = g_strdup_printf ("{\"events\":[%s,{\"event_id\":\"b-1\",\"spot_id\":\"%s\","
                          "\"occupied\":\"yes\",\"observed_at\":\"%s\"}]}", good0,
                          f->garage.spots[1], t);
  assert_refused (f, key, body, "invalid-field", "events[1].occupied");
  g_free (body);
  body = g_strdup_printf ("{\"events\":[%s,{\"event_id\":\"b-1\",\"spot_id\":\"A7\","
                          "\"occupied\":true,\"observed_at\":\"%s\"}]}", good0, t);
  assert_refused (f, key, body, "invalid-field", "events[1].spot_id");
  g_free (body);
  body = g_strdup_printf ("{\"events\":[%s,{\"event_id\":\"\",\"spot_id\":\"%s\","
                          "\"occupied\":true,\"observed_at\":\"%s\"}]}", good0,
                          f->garage.spots[1], t);
  assert_refused (f, key, body, "invalid-field", "events[1].event_id");
  g_free (body);
  body = g_strdup_printf ("{\"events\":[%s,{\"event_id\":\"b-1\",\"spot_id\":\"%s\","
                          "\"occupied\":true,\"observed_at\":\"%s\",\"battery\":80}]}", good0,
                          f->garage.spots[1], t);
  assert_refused (f, key, body, "unknown-field", "events[1].battery");
  g_free (body);
  body = g_strdup_printf ("{\"events\":[%s,42]}", good0);
  assert_refused (f, key, body, "invalid-field", "events[1]");
  assert_refused (f, key, "{\"events\":[]}", "invalid-field", "events");
  assert_refused (f, key, "{\"events\":{}}", "invalid-field", "events");
  assert_refused (f, key, "{}", "missing-field", "events");
  g_free (body);
  body = g_strdup_printf ("{\"events\":[%s],\"gateway\":\"g1\"}", good0);
  assert_refused (f, key, body, "unknown-field", "gateway");
  for (guint i = 0; i < 501; i++)
    {
      g_autofree char *e = NULL, *id = g_strdup_printf ("m-%u", i);

      e = event (id, f->garage.spots[i % N_SPOTS], i % 2 == 0, t);
      g_string_append_printf (many, "%s%s", i > 0 ? "," : "", e);
    }
  g_string_append (many, "]}");
  assert_refused (f, key, many->str, "invalid-field", "events");

  /* None of it was applied, nor recorded: the same event ids, put right, are news. */
  for (guint i = 0; i < 4; i++)
    assert_spot_state (f, &f->garage, f->garage.spots[i], "available");
  g_assert_cmpint (available_regular (f, &f->garage), ==, N_SPOTS);
  g_free (body);
  body = g_strdup_printf ("{\"events\":[%s,%s,%s,%s]}", good0, good1, good2, good3);
  fixed = send_batch (f, key, body);
  g_assert_cmpuint (fixed->status, ==, 200);
  results = json_object_get_array_member (object_of (fixed), "results");
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr (str (json_array_get_object_element (results, i), "outcome"), ==,
                     "applied");
  g_assert_cmpint (available_regular (f, &f->garage), ==, N_SPOTS - 4);
}

/* 500 readings, the most a batch takes, in one request. */
static void
test_full_batch (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) device = make_device (f, &f->north_op, "Garage gateway", NULL);
  g_autoptr(GString) body = g_string_new ("{\"events\":[");
  g_autoptr(ParkTestResponse) response = NULL;
  JsonArray *results;
  guint applied = 0;

  /* Each spot flips every reading, 1 ms apart: every one is a change. */
  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *id = g_strdup_printf ("f-%u", i);
      const char *t = stamp (f, 10.0 + i / 1000.0);
      g_autofree char *e = event (id, f->garage.spots[i % N_SPOTS], (i / N_SPOTS) % 2 == 0, t);

      g_string_append_printf (body, "%s%s", i > 0 ? "," : "", e);
    }
  g_string_append (body, "]}");
  response = send_batch (f, str (device, "key"), body->str);
  g_assert_cmpuint (response->status, ==, 200);
  results = json_object_get_array_member (object_of (response), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 500);
  for (guint i = 0; i < 500; i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      g_autofree char *id = g_strdup_printf ("f-%u", i);

      g_assert_cmpstr (str (result, "event_id"), ==, id);
      if (g_str_equal (str (result, "outcome"), "applied"))
        applied++;
    }
  g_assert_cmpuint (applied, ==, 500);
  /* Reading i went to spot i % 6 and said occupied in even rounds i / 6: each spot is left
   * as its last reading said. */
  for (guint s = 0; s < N_SPOTS; s++)
    {
      guint last = s + N_SPOTS * ((499 - s) / N_SPOTS);
      gboolean occupied = (last / N_SPOTS) % 2 == 0;

      assert_spot_state (f, &f->garage, f->garage.spots[s], occupied ? "occupied" : "available");
    }
}

static void
test_other_operator_spot (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) device = make_device (f, &f->north_op, "Garage gateway", NULL);
  g_autofree char *lot_member = g_strdup_printf ("\"parking_lot_id\":\"%s\"", f->garage.id);
  g_autoptr(JsonObject) garage_only = make_device (f, &f->north_op, "Garage only", lot_member);
  const char *key = str (device, "key");
  const char *t = stamp (f, 10);
  g_autofree char *mine = event ("x-0", f->garage.spots[0], TRUE, t);
  g_autofree char *theirs = event ("x-1", f->south_lot.spots[0], TRUE, t);
  g_autofree char *nobodys = event ("x-1", "00000000-0000-4000-8000-000000000000", TRUE, t);
  g_autofree char *yard = event ("x-1", f->yard.spots[0], TRUE, t);
  g_autofree char *body = g_strdup_printf ("{\"events\":[%s,%s]}", mine, theirs);
  g_autoptr(ParkTestResponse) refused = send_batch (f, key, body);
  g_autoptr(ParkTestResponse) unknown = NULL, outside = NULL;

  park_test_assert_problem (refused, 404, "not-found", "events[1].spot_id");
  g_assert_nonnull (strstr (json_object_get_string_member (object_of (refused), "detail"),
                            "x-1"));
  assert_spot_state (f, &f->garage, f->garage.spots[0], "available");
  assert_spot_state (f, &f->south_lot, f->south_lot.spots[0], "available");

  /* A spot that does not exist is answered the same. */
  g_free (body);
  body = g_strdup_printf ("{\"events\":[%s,%s]}", mine, nobodys);
  unknown = send_batch (f, key, body);
  park_test_assert_problem (unknown, 404, "not-found", "events[1].spot_id");

  /* A device kept to one lot covers no other, even of its own operator. */
  g_free (body);
  body = g_strdup_printf ("{\"events\":[%s,%s]}", mine, yard);
  outside = send_batch (f, str (garage_only, "key"), body);
  park_test_assert_problem (outside, 404, "not-found", "events[1].spot_id");
  assert_spot_state (f, &f->garage, f->garage.spots[0], "available");
  assert_spot_state (f, &f->yard, f->yard.spots[0], "available");
  g_assert_cmpstr (str (garage_only, "parking_lot_id"), ==, f->garage.id);
  g_assert_cmpstr (send_one (f, str (garage_only, "key"), "x-2", f->garage.spots[0], TRUE, t),
                   ==, "applied");
  g_assert_cmpstr (send_one (f, key, "x-3", f->yard.spots[0], TRUE, t), ==, "applied");
}

/* ---- 3. the store's own checks ------------------------------------------------------------ */

/* The key is checked when a batch is admitted, and again inside the batch's transaction: a
 * device revoked in between gets nothing applied. Called on the store itself, as parkd's
 * handler would after admitting the batch. */
static void
test_store_revoked_in_flight (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonObject) device = make_device (f, &f->north_op, "Garage gateway", NULL);
  g_autoptr(JsonObject) other = make_device (f, &f->north_op, "Second gateway", NULL);
  g_autofree char *path = g_strdup_printf ("api/v1/admin/sensors/%s", str (device, "id"));
  g_autoptr(ParkTestResponse) revoked = expect (f, f->north_op.access, "DELETE", path, NULL, 204);
  g_autoptr(ParkdStore) store = NULL;
  g_autoptr(ParkdSpot) spot = NULL;
  g_autoptr(GError) error = NULL;
  ParkdSensorReading readings[2] = {
    { "in-flight", f->garage.spots[0], TRUE, NULL, PARKD_SENSOR_DUPLICATE },
    { "theirs", f->south_lot.spots[0], TRUE, NULL, PARKD_SENSOR_DUPLICATE },
  };
  guint failed = 0;

  readings[0].observed_at = stamp (f, 10);
  readings[1].observed_at = stamp (f, 10);
  park_test_backend_stop (f->backend);
  store = parkd_store_open (f->backend->db_path, &error);
  g_assert_no_error (error);

  g_assert_false (parkd_store_apply_sensor_readings (store, str (device, "id"), readings, 1,
                                                     &failed, &error));
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE);
  g_assert_cmpuint (failed, ==, G_MAXUINT);
  g_clear_error (&error);

  /* Another operator's spot second in a batch: refused with its index, the first undone. */
  g_assert_false (parkd_store_apply_sensor_readings (store, str (other, "id"), readings, 2,
                                                     &failed, &error));
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND);
  g_assert_cmpuint (failed, ==, 1);
  g_clear_error (&error);
  spot = parkd_store_get_spot (store, f->garage.spots[0], &error);
  g_assert_no_error (error);
  g_assert_cmpint (spot->state, ==, PARKD_SPOT_STATE_AVAILABLE);

  g_assert_true (parkd_store_apply_sensor_readings (store, str (other, "id"), readings, 1,
                                                    &failed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (readings[0].outcome, ==, PARKD_SENSOR_APPLIED);
  g_clear_pointer (&spot, parkd_spot_free);
  spot = parkd_store_get_spot (store, f->garage.spots[0], &error);
  g_assert_no_error (error);
  g_assert_cmpint (spot->state, ==, PARKD_SPOT_STATE_OCCUPIED);
}

/* ---- 4. the outbox ----------------------------------------------------------------------- */

static void
test_outbox (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonObject) device = make_device (f, &f->north_op, "Garage gateway", NULL);
  const char *key = str (device, "key");
  const char *spot = f->garage.spots[0];
  const char *t0 = stamp (f, 0), *t1 = stamp (f, 10), *t2 = stamp (f, 20), *t3 = stamp (f, 30);
  g_autofree char *sql = NULL;
  g_auto(GStrv) rows = NULL, feed_seq = NULL;
  gint64 first_seq = -1;

  g_assert_cmpstr (send_one (f, key, "q-1", spot, TRUE, t1), ==, "applied");
  g_assert_cmpstr (send_one (f, key, "q-1", spot, FALSE, t2), ==, "duplicate");
  g_assert_cmpstr (send_one (f, key, "q-0", spot, FALSE, t0), ==, "stale");
  g_assert_cmpstr (send_one (f, key, "q-2", spot, TRUE, t2), ==, "unchanged");
  g_assert_cmpstr (send_one (f, key, "q-3", spot, FALSE, t3), ==, "applied");
  g_assert_cmpstr (send_one (f, key, "q-4", f->garage.spots[1], TRUE, t3), ==, "applied");

  /* Three changes, three messages, each with the lot's next sequence number and its
   * availability after the change; the others wrote none. */
  sql = g_strdup_printf ("SELECT type, json_extract (payload, '$.seq'), "
                         "json_extract (payload, '$.spot.id'), "
                         "json_extract (payload, '$.spot.previous_state') || '>' || "
                         "json_extract (payload, '$.spot.state'), "
                         "json_extract (payload, '$.available.regular') "
                         "FROM events WHERE aggregate = 'lot:%s' ORDER BY seq;", f->garage.id);
  rows = query (f, sql);
  g_assert_cmpuint (g_strv_length (rows), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      static const char * const changes[] = {
        "available>occupied", "occupied>available", "available>occupied"
      };
      static const int available[] = { N_SPOTS - 1, N_SPOTS, N_SPOTS - 1 };
      g_auto(GStrv) cols = g_strsplit (rows[i], "|", -1);

      g_assert_cmpuint (g_strv_length (cols), ==, 5);
      g_assert_cmpstr (cols[0], ==, "SpotStateChanged");
      if (first_seq < 0)
        first_seq = g_ascii_strtoll (cols[1], NULL, 10);
      g_assert_cmpint (g_ascii_strtoll (cols[1], NULL, 10), ==, first_seq + i);
      g_assert_cmpstr (cols[2], ==, i < 2 ? spot : f->garage.spots[1]);
      g_assert_cmpstr (cols[3], ==, changes[i]);
      g_assert_cmpint (g_ascii_strtoll (cols[4], NULL, 10), ==, available[i]);
    }
  g_free (sql);
  sql = g_strdup_printf ("SELECT c.feed_seq FROM lot_counts c JOIN parking_lots l "
                         "ON l.pk = c.lot_pk WHERE l.id = '%s';", f->garage.id);
  feed_seq = query (f, sql);
  g_assert_cmpint (g_ascii_strtoll (feed_seq[0], NULL, 10), ==, first_seq + 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (sodium_init () < 0)
    g_error ("libsodium does not start");

#define ADD(path, func) \
  g_test_add ("/sensors/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("keys/shown-once", test_key_shown_once);
  ADD ("keys/wrong-and-revoked", test_key_wrong_and_revoked);
  ADD ("keys/revoked-by-admin", test_key_revoked_by_admin);
  ADD ("keys/create-rules", test_key_create_rules);
  ADD ("readings/occupy", test_reading_occupies);
  ADD ("readings/duplicate", test_reading_duplicate);
  ADD ("readings/stale", test_reading_stale);
  ADD ("readings/keeps-reservation", test_reading_keeps_reservation);
  ADD ("readings/out-of-service", test_reading_out_of_service);
  ADD ("readings/after-attendant", test_reading_after_attendant);
  ADD ("readings/bad-batch", test_bad_batch);
  ADD ("readings/full-batch", test_full_batch);
  ADD ("readings/other-operator", test_other_operator_spot);
  ADD ("store/revoked-in-flight", test_store_revoked_in_flight);
  ADD ("outbox/spot-state-changed", test_outbox);

#undef ADD

  return g_test_run ();
}
