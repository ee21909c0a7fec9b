/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Money, as a driver, an attendant and an operator meet it: card payments through the fake
 * Stripe of the test support library (success, decline, 3-D Secure ended by a signed webhook,
 * idempotent retries, Stripe out of reach), refunds on cancellation, cash at the booth with
 * its change, receipts and the cash report, pricing policies and discount codes, walk-in stays
 * from check-in to check-out (lost tickets too, and bookings checked in by their code), and
 * the events a booking leaves behind.
 *
 * Each test gets its own parkd with the demo city (Dresden, Europe/Berlin, EUR) on a fresh
 * database and its own fake Stripe, so amounts, counts and cash drawers start from nothing.
 * The accounts are made as on a real installation: the admin and the demo operator's
 * operator with "parkd user add", the attendant by the operator through the admin API, the
 * drivers by registering. Two more setups start parkd with a Stripe key but no webhook
 * secret, and with a Stripe address where nothing listens. The events are read from the
 * database file with the sqlite3 shell once parkd has stopped (build-aux/dev installs it).
 */
#include "park-test-backend.h"
#include "park-test-postgresql.h"
#include "park-test-stripe.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#define PASSWORD       "Kestrel-Harbour-42"
#define DEMO_OPERATOR  "dresden-parking"
#define DEMO_NAME      "Dresdner Parkraum GmbH"
#define OTHER_OPERATOR "elbe-parken"
#define TIME_ZONE      "Europe/Berlin"
#define BOOKING_LOT    "Tiefgarage Altmarkt"   /* 3.00 an hour, open around the clock */
#define WALK_IN_LOT    "P+R Pennrich"          /* mostly free, open around the clock */

typedef enum
{
  STRIPE_FULL,             /* key and webhook secret */
  STRIPE_NO_WEBHOOK,       /* a key, but no webhook secret */
  STRIPE_UNREACHABLE,      /* --stripe-api names a port nobody listens on */
} StripeSetup;

typedef struct
{
  char *email;
  char *id;
  char *access;
} Account;

typedef struct
{
  ParkTestStripe  *stripe;
  ParkTestBackend *backend;
  GPtrArray       *args;         /* parkd's options, to start it again */
  GSocket         *closed;       /* holds the port of STRIPE_UNREACHABLE without listening */
  Account          admin;
  Account          op;           /* operator of DEMO_OPERATOR */
  Account          attendant;    /* attendant of DEMO_OPERATOR */
  Account          driver;
  Account          driver2;
  Account          colleague;    /* a second attendant of DEMO_OPERATOR, made on demand */
  Account          other_op;     /* of OTHER_OPERATOR, made on demand */
  Account          other_attendant;
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

  g_assert_nonnull (node);
  if (JSON_NODE_HOLDS_NULL (node))
    return NULL;
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
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

static JsonObject *
obj (JsonObject *object,
     const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    g_error ("\"%s\" is not an object member", name);
  return json_node_get_object (node);
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
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

typedef struct
{
  const char *name;
  const char *value;
} Header;

static void
on_request_queued (SoupSession *session,
                   SoupMessage *msg,
                   gpointer     data)
{
  const Header *header = data;

  soup_message_headers_replace (soup_message_get_request_headers (msg), header->name,
                                header->value);
}

/* A call with one more request header (Idempotency-Key, Stripe-Signature). */
static ParkTestResponse *
call_with_header (Fixture    *f,
                  const char *token,
                  const char *method,
                  const char *path,
                  const char *body,
                  const char *name,
                  const char *value)
{
  Header header = { name, value };
  gulong id = g_signal_connect (f->backend->session, "request-queued",
                                G_CALLBACK (on_request_queued), &header);
  ParkTestResponse *response = park_test_call (f->backend, token, method, path, body);

  g_signal_handler_disconnect (f->backend->session, id);
  return response;
}

/* ---- accounts ---------------------------------------------------------------------------- */

/* "parkd user add ARGS…" on the server's database, the password from a file on stdin (a pipe
 * could fail with EPIPE when parkd refuses its options before reading). */
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
  g_unlink (input_path);
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

static void
register_driver (Fixture    *f,
                 Account    *account,
                 const char *email)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"" PASSWORD "\","
                                           "\"first_name\":\"Dana\",\"last_name\":\"Driver\"}",
                                           email);
  g_autoptr(ParkTestResponse) registered = expect (f, NULL, "POST", "api/v1/auth/register",
                                                   body, 201);

  sign_in (f, account, email);
}

/* Staff of @slug (NULL: the caller's own operator) made by @token through the admin API. */
static void
add_staff (Fixture    *f,
           const char *token,
           const char *slug,
           const char *role,
           Account    *account,
           const char *email)
{
  g_autofree char *operator_member = slug != NULL
                                     ? g_strdup_printf ("\"operator\":\"%s\",", slug)
                                     : g_strdup ("");
  g_autofree char *body = g_strdup_printf ("{%s\"email\":\"%s\",\"password\":\"" PASSWORD "\","
                                           "\"role\":\"%s\",\"first_name\":\"Sam\","
                                           "\"last_name\":\"Staff\"}",
                                           operator_member, email, role);
  g_autoptr(ParkTestResponse) created = expect (f, token, "POST", "api/v1/admin/staff", body,
                                                201);

  sign_in (f, account, email);
  g_assert_cmpstr (account->id, ==, str (object_of (created), "id"));
}

/* A second operator in the same city, with an operator and an attendant of its own. */
static void
add_other_operator (Fixture *f)
{
  g_autoptr(ParkTestResponse) created = NULL;

  created = expect (f, f->admin.access, "POST", "api/v1/admin/operators",
                    "{\"slug\":\"" OTHER_OPERATOR "\",\"name\":\"Elbe Parken\","
                    "\"city\":\"Dresden\",\"time_zone\":\"" TIME_ZONE "\","
                    "\"currency\":\"EUR\"}", 201);
  add_staff (f, f->admin.access, OTHER_OPERATOR, "operator", &f->other_op,
             "olga.elbe-op@example.org");
  add_staff (f, f->admin.access, OTHER_OPERATOR, "attendant", &f->other_attendant,
             "otto.elbe-att@example.org");
}

static void
account_clear (Account *account)
{
  g_clear_pointer (&account->email, g_free);
  g_clear_pointer (&account->id, g_free);
  g_clear_pointer (&account->access, g_free);
}

/* ---- the fixture ------------------------------------------------------------------------- */

/* A TCP port on 127.0.0.1 that is bound (so nobody else takes it) but does not listen:
 * connecting to it is refused at once. */
static GSocket *
bind_closed_port (guint16 *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_socket_bind (socket, any_port, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  StripeSetup setup = GPOINTER_TO_INT (data);
  GPtrArray *args = f->args = g_ptr_array_new_with_free_func (g_free);
  const char * const add_admin[] = {
    "--email", "admin@example.org", "--role", "admin", NULL
  };
  const char * const add_operator[] = {
    "--email", "olaf.operator@example.org", "--role", "operator", "--operator", DEMO_OPERATOR,
    NULL
  };

  f->stripe = park_test_stripe_new ();
  f->backend = park_test_backend_new ();

  g_ptr_array_add (args, g_strdup ("--demo"));
  g_ptr_array_add (args, g_strdup ("--auth-rate-limit"));
  g_ptr_array_add (args, g_strdup ("0"));
  g_ptr_array_add (args, g_strdup ("--account-rate-limit"));
  g_ptr_array_add (args, g_strdup ("0"));
  g_ptr_array_add (args, g_strdup ("--stripe-api"));
  if (setup == STRIPE_UNREACHABLE)
    {
      guint16 port = 0;

      f->closed = bind_closed_port (&port);
      g_ptr_array_add (args, g_strdup_printf ("http://127.0.0.1:%u", port));
    }
  else
    g_ptr_array_add (args, g_strdup (park_test_stripe_get_url (f->stripe)));
  /* Refunds Stripe did not take are tried again within a second, not a minute. */
  g_ptr_array_add (args, g_strdup ("--refund-retry-interval"));
  g_ptr_array_add (args, g_strdup ("1"));
  g_ptr_array_add (args, g_strdup ("--stripe-secret-key"));
  g_ptr_array_add (args, g_strdup (park_test_stripe_get_secret_key (f->stripe)));
  if (setup != STRIPE_NO_WEBHOOK)
    {
      g_ptr_array_add (args, g_strdup ("--stripe-webhook-secret"));
      g_ptr_array_add (args, g_strdup (park_test_stripe_get_webhook_secret (f->stripe)));
    }
  g_ptr_array_add (args, g_strdup ("--checkout-success-url"));
  g_ptr_array_add (args, g_strdup ("https://kiosk.example.org/paid"));
  g_ptr_array_add (args, g_strdup ("--checkout-cancel-url"));
  g_ptr_array_add (args, g_strdup ("https://kiosk.example.org/not-paid"));
  g_ptr_array_add (args, NULL);
  park_test_backend_start (f->backend, (const char * const *) args->pdata);
  if (setup == STRIPE_FULL)
    {
      g_autofree char *hook = g_strconcat (f->backend->url, "api/v1/payments/webhooks/stripe",
                                           NULL);

      /* Stripe's dashboard setting: where the fake sends its events. */
      park_test_stripe_set_webhook_url (f->stripe, hook);
    }

  /* The demo operator exists once the server has seeded the city. */
  user_add (f, add_admin);
  user_add (f, add_operator);
  sign_in (f, &f->admin, "admin@example.org");
  sign_in (f, &f->op, "olaf.operator@example.org");
  add_staff (f, f->op.access, NULL, "attendant", &f->attendant, "anna.attendant@example.org");
  register_driver (f, &f->driver, "dana.driver@example.org");
  register_driver (f, &f->driver2, "dirk.driver@example.org");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->backend, park_test_backend_free);
  g_clear_pointer (&f->stripe, park_test_stripe_free);
  g_clear_pointer (&f->args, g_ptr_array_unref);
  if (f->closed != NULL)
    g_socket_close (f->closed, NULL);
  g_clear_object (&f->closed);
  account_clear (&f->admin);
  account_clear (&f->op);
  account_clear (&f->attendant);
  account_clear (&f->driver);
  account_clear (&f->driver2);
  account_clear (&f->colleague);
  account_clear (&f->other_op);
  account_clear (&f->other_attendant);
}

/* ---- lots, times, bookings --------------------------------------------------------------- */

/* The id of the demo lot called @name, as its operator's staff list it. */
static char *
lot_id (Fixture    *f,
        const char *name)
{
  g_autoptr(ParkTestResponse) page = expect (f, f->op.access, "GET",
                                             "api/v1/admin/parking-lots?per_page=200", NULL, 200);
  JsonArray *items = json_object_get_array_member (object_of (page), "items");

  g_assert_false (json_object_get_boolean_member (object_of (page), "has_next"));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *lot = json_array_get_object_element (items, i);

      if (g_str_equal (str (lot, "name"), name))
        return g_strdup (str (lot, "id"));
    }
  g_error ("the demo city has no lot \"%s\"", name);
}

/* What the public lot page says is free of regular spots right now. */
static gint64
available_regular (Fixture    *f,
                   const char *lot)
{
  g_autofree char *path = g_strdup_printf ("api/v1/parking-lots/%s", lot);
  g_autoptr(ParkTestResponse) response = expect (f, NULL, "GET", path, NULL, 200);

  return num (obj (obj (object_of (response), "availability"), "regular"), "available");
}

/* @days from today, at @hour:00 local time in Dresden, as RFC 3339 with its offset. */
static char *
local_time (int days,
            int hour)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (TIME_ZONE);
  g_autoptr(GDateTime) now = NULL, day = NULL, at = NULL;

  g_assert_nonnull (tz);
  now = g_date_time_new_now (tz);
  day = g_date_time_add_days (now, days);
  at = g_date_time_new (tz, g_date_time_get_year (day), g_date_time_get_month (day),
                        g_date_time_get_day_of_month (day), hour, 0, 0);
  return g_date_time_format (at, "%Y-%m-%dT%H:%M:%S%:z");
}

/* Now plus @minutes, in UTC. */
static char *
utc_in (int minutes)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_minutes (now, minutes);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

/* A time for a query string, where '+' would read as a space. */
static char *
for_query (const char *time)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = time; *p != '\0'; p++)
    if (*p == '+')
      g_string_append (out, "%2B");
    else
      g_string_append_c (out, *p);
  return g_strdup (out->str);
}

static ParkTestResponse *
quote (Fixture    *f,
       const char *lot,
       const char *start,
       const char *end,
       const char *discount_code)
{
  g_autofree char *s = for_query (start), *e = for_query (end);
  g_autofree char *path = g_strdup_printf ("api/v1/parking-lots/%s/quote?start=%s&end=%s%s%s",
                                           lot, s, e,
                                           discount_code != NULL ? "&discount_code=" : "",
                                           discount_code != NULL ? discount_code : "");

  return expect (f, NULL, "GET", path, NULL, 200);
}

static char *
booking_body (const char *lot,
              const char *start,
              const char *end,
              const char *more)
{
  return g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"spot_type\":\"regular\","
                          "\"start_time\":\"%s\",\"end_time\":\"%s\"%s%s}", lot, start, end,
                          more != NULL ? "," : "", more != NULL ? more : "");
}

/* A new booking of a regular spot, waiting for its payment; the answer's object. */
static JsonObject *
book (Fixture    *f,
      Account    *driver,
      const char *lot,
      const char *start,
      const char *end)
{
  g_autofree char *body = booking_body (lot, start, end, NULL);
  g_autoptr(ParkTestResponse) response = expect (f, driver->access, "POST",
                                                 "api/v1/reservations", body, 201);
  JsonObject *booking = object_of (response);

  g_assert_cmpstr (str (booking, "status"), ==, "pending_payment");
  g_assert_cmpstr (str (booking, "currency"), ==, "EUR");
  g_assert_cmpint (num (booking, "paid"), ==, 0);
  g_assert_cmpint (num (booking, "total_cost"), >, 0);
  g_assert_cmpint (num (booking, "balance_due"), ==, num (booking, "total_cost"));
  return json_object_ref (booking);
}

/* The booking as @account sees it now. */
static JsonObject *
get_booking (Fixture    *f,
             Account    *account,
             const char *id)
{
  g_autofree char *path = g_strdup_printf ("api/v1/reservations/%s", id);
  g_autoptr(ParkTestResponse) response = expect (f, account->access, "GET", path, NULL, 200);

  return json_object_ref (object_of (response));
}

static ParkTestResponse *
pay (Fixture    *f,
     Account    *account,
     const char *reservation,
     const char *body,
     const char *idempotency_key)
{
  g_autofree char *path = g_strdup_printf ("api/v1/reservations/%s/payments", reservation);

  if (idempotency_key != NULL)
    return call_with_header (f, account->access, "POST", path, body, "Idempotency-Key",
                             idempotency_key);
  return park_test_call (f->backend, account->access, "POST", path, body);
}

static ParkTestResponse *
pay_card (Fixture    *f,
          const char *reservation,
          const char *payment_method,
          const char *idempotency_key)
{
  g_autofree char *body = g_strdup_printf ("{\"provider\":\"stripe\",\"payment_method\":\"%s\"}",
                                           payment_method);

  return pay (f, &f->driver, reservation, body, idempotency_key);
}

static ParkTestResponse *
pay_cash (Fixture    *f,
          Account    *account,
          const char *reservation,
          gint64      tendered)
{
  g_autofree char *body = g_strdup_printf ("{\"provider\":\"cash\",\"tendered\":%" G_GINT64_FORMAT
                                           "}", tendered);

  return pay (f, account, reservation, body, NULL);
}

/* ---- webhooks ---------------------------------------------------------------------------- */

static ParkTestResponse *
send_webhook (Fixture    *f,
              const char *payload,
              const char *signature)
{
  return call_with_header (f, NULL, "POST", "api/v1/payments/webhooks/stripe", payload,
                           "Stripe-Signature", signature);
}

/* A Stripe-Signature made with a secret that is not the endpoint's: a forgery. */
static char *
forged_signature (const char *payload)
{
  const char *secret = "whsec_not-the-endpoint-secret";
  gint64 t = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret,
                                      strlen (secret));
  g_autofree char *signed_text = g_strdup_printf ("%" G_GINT64_FORMAT ".%s", t, payload);

  g_hmac_update (hmac, (const guchar *) signed_text, -1);
  return g_strdup_printf ("t=%" G_GINT64_FORMAT ",v1=%s", t, g_hmac_get_string (hmac));
}

/* ---- 1. card payments -------------------------------------------------------------------- */

static void
assert_paid_booking (JsonObject *booking,
                     gint64      total)
{
  g_assert_cmpstr (str (booking, "status"), ==, "confirmed");
  g_assert_cmpint (num (booking, "total_cost"), ==, total);
  g_assert_cmpint (num (booking, "paid"), ==, total);
  g_assert_cmpint (num (booking, "balance_due"), ==, 0);
  g_assert_null (str (booking, "hold_until"));
}

static void
test_card_pay (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *start = local_time (1, 10), *end = local_time (1, 12);
  g_autoptr(JsonObject) booking = book (f, &f->driver, lot, start, end);
  g_autoptr(JsonObject) now = NULL;
  g_autoptr(JsonObject) intent = NULL;
  g_autoptr(ParkTestResponse) paid = NULL, again = NULL;
  const char *id = str (booking, "id");
  gint64 total = num (booking, "total_cost");
  guint charges = park_test_stripe_count_charges (f->stripe);
  JsonObject *payment, *after;
  g_autofree char *intent_id = NULL, *for_booking = NULL;

  /* Two hours at the lot's 3.00 an hour. */
  g_assert_cmpint (total, ==, 600);

  paid = pay_card (f, id, "pm_card_visa", NULL);
  g_assert_cmpuint (paid->status, ==, 201);
  payment = obj (object_of (paid), "payment");
  after = obj (object_of (paid), "reservation");
  g_assert_cmpstr (str (payment, "provider"), ==, "stripe");
  g_assert_cmpstr (str (payment, "status"), ==, "succeeded");
  g_assert_cmpstr (str (payment, "reservation_id"), ==, id);
  g_assert_cmpint (num (payment, "amount"), ==, total);
  g_assert_cmpint (num (payment, "refunded"), ==, 0);
  g_assert_cmpstr (str (payment, "currency"), ==, "EUR");
  g_assert_null (str (payment, "tendered"));
  g_assert_null (str (payment, "change"));
  g_assert_true (g_str_has_prefix (str (payment, "provider_ref"), "pi_"));
  g_assert_false (json_object_has_member (object_of (paid), "client_secret"));
  assert_paid_booking (after, total);
  intent_id = g_strdup (str (payment, "provider_ref"));
  /* Stripe's dashboard ties the charge to the booking. */
  for_booking = park_test_stripe_dup_last_param (f->stripe, "metadata[reservation_id]");
  g_assert_cmpstr (for_booking, ==, id);

  now = get_booking (f, &f->driver, id);
  assert_paid_booking (now, total);

  /* Stripe saw one charge of that amount, in its own lower-case currency code. */
  g_assert_cmpuint (park_test_stripe_count_charges (f->stripe), ==, charges + 1);
  intent = park_test_stripe_get_intent (f->stripe, intent_id);
  g_assert_nonnull (intent);
  g_assert_cmpint (json_object_get_int_member (intent, "amount"), ==, total);
  g_assert_cmpint (json_object_get_int_member (intent, "amount_received"), ==, total);
  g_assert_cmpstr (json_object_get_string_member (intent, "currency"), ==, "eur");
  g_assert_cmpstr (json_object_get_string_member (intent, "status"), ==, "succeeded");

  /* The booking lists its payment, with its receipt's id, for its driver and the lot's staff,
   * and for nobody else. */
  {
    g_autofree char *path = g_strdup_printf ("api/v1/reservations/%s/payments", id);
    g_autoptr(ParkTestResponse) mine = expect (f, f->driver.access, "GET", path, NULL, 200);
    g_autoptr(ParkTestResponse) staff = expect (f, f->op.access, "GET", path, NULL, 200);
    g_autoptr(ParkTestResponse) other = expect (f, f->driver2.access, "GET", path, NULL, 404);
    JsonArray *items = json_object_get_array_member (object_of (mine), "items");

    g_assert_cmpuint (json_array_get_length (items), ==, 1);
    g_assert_cmpstr (str (json_array_get_object_element (items, 0), "id"), ==,
                     str (payment, "id"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object_of (staff),
                                                                          "items")), ==, 1);
    park_test_assert_problem (other, 404, "not-found", NULL);
  }

  /* Paying a paid booking again is refused and charges nothing. */
  again = pay_card (f, id, "pm_card_visa", NULL);
  park_test_assert_problem (again, 409, "nothing-to-pay", NULL);
  g_assert_cmpuint (park_test_stripe_count_charges (f->stripe), ==, charges + 1);
}

static void
test_card_retry (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *start = local_time (1, 10), *end = local_time (1, 11);
  g_autoptr(JsonObject) booking = book (f, &f->driver, lot, start, end);
  g_autoptr(ParkTestResponse) paid = NULL, retry = NULL;
  g_autofree char *text = NULL;
  const char *id = str (booking, "id");
  gint64 total = num (booking, "total_cost");
  guint charges = park_test_stripe_count_charges (f->stripe);
  JsonObject *payment;

  paid = pay_card (f, id, "pm_card_visa", "tap-to-pay-1");
  g_assert_cmpuint (paid->status, ==, 201);
  payment = obj (object_of (paid), "payment");
  g_assert_cmpuint (park_test_stripe_count_charges (f->stripe), ==, charges + 1);

  /* The app's answer was lost and it sends the same request again: nothing is charged
   * again, and the answer is the payment recorded the first time (openapi.json: the 201
   * answer and the Idempotency-Key parameter). */
  retry = pay_card (f, id, "pm_card_visa", "tap-to-pay-1");
  text = body_text (retry);
  g_test_message ("the same request again: %u %s", retry->status, text);
  g_assert_cmpuint (park_test_stripe_count_charges (f->stripe), ==, charges + 1);
  g_assert_cmpuint (retry->status, ==, 201);
  g_assert_cmpstr (soup_message_headers_get_one (retry->headers, "Idempotent-Replayed"), ==,
                   "true");
  g_assert_cmpstr (str (obj (object_of (retry), "payment"), "id"), ==, str (payment, "id"));
  assert_paid_booking (obj (object_of (retry), "reservation"), total);
}

static void
test_card_declined (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *start = local_time (1, 13), *end = local_time (1, 14);
  g_autoptr(JsonObject) booking = book (f, &f->driver, lot, start, end);
  g_autoptr(JsonObject) still = NULL;
  g_autoptr(ParkTestResponse) declined = NULL, paid = NULL;
  const char *id = str (booking, "id");
  gint64 total = num (booking, "total_cost");

  declined = pay_card (f, id, "pm_card_chargeDeclined", NULL);
  park_test_assert_problem (declined, 402, "card-declined", "payment_method");

  still = get_booking (f, &f->driver, id);
  g_assert_cmpstr (str (still, "status"), ==, "pending_payment");
  g_assert_cmpint (num (still, "paid"), ==, 0);
  g_assert_cmpint (num (still, "balance_due"), ==, total);

  /* Another card goes through. */
  paid = pay_card (f, id, "pm_card_visa", NULL);
  g_assert_cmpuint (paid->status, ==, 201);
  g_assert_cmpint (num (obj (object_of (paid), "payment"), "amount"), ==, total);
  assert_paid_booking (obj (object_of (paid), "reservation"), total);
}

/* A booking paid with a 3-D Secure card: pending until the holder confirms it; the intent. */
static char *
pay_needing_action (Fixture    *f,
                    const char *id)
{
  g_autoptr(ParkTestResponse) pending = pay_card (f, id, "pm_card_authenticationRequired", NULL);
  g_autoptr(JsonObject) still = NULL;
  JsonObject *payment;

  g_assert_cmpuint (pending->status, ==, 202);
  payment = obj (object_of (pending), "payment");
  g_assert_cmpstr (str (payment, "status"), ==, "pending");
  g_assert_true (g_str_has_prefix (str (payment, "provider_ref"), "pi_"));
  g_assert_cmpstr (str (obj (object_of (pending), "reservation"), "status"), ==,
                   "pending_payment");
  g_assert_true (json_object_has_member (object_of (pending), "client_secret"));
  g_assert_true (g_str_has_prefix (str (object_of (pending), "client_secret"),
                                   str (payment, "provider_ref")));

  still = get_booking (f, &f->driver, id);
  g_assert_cmpstr (str (still, "status"), ==, "pending_payment");
  g_assert_cmpint (num (still, "paid"), ==, 0);
  return g_strdup (str (payment, "provider_ref"));
}

static void
test_card_3ds_webhook (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *start = local_time (2, 9), *end = local_time (2, 11);
  g_autoptr(JsonObject) booking = book (f, &f->driver, lot, start, end);
  g_autoptr(JsonObject) confirmed = NULL, unchanged = NULL;
  g_autoptr(ParkTestResponse) hook = NULL, again = NULL;
  g_autofree char *intent = NULL, *event = NULL, *signature = NULL;
  g_autofree char *before = NULL, *after = NULL;
  const char *id = str (booking, "id");
  gint64 total = num (booking, "total_cost");

  intent = pay_needing_action (f, id);

  /* The holder confirms on their phone; Stripe tells parkd. */
  g_assert_true (park_test_stripe_complete_action (f->stripe, intent, TRUE));
  event = park_test_stripe_event_json (f->stripe, "payment_intent.succeeded", intent);
  signature = park_test_stripe_sign (f->stripe, event, g_get_real_time () / G_USEC_PER_SEC);
  hook = send_webhook (f, event, signature);
  g_assert_cmpuint (hook->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (object_of (hook), "received"));

  confirmed = get_booking (f, &f->driver, id);
  assert_paid_booking (confirmed, total);

  /* Stripe delivers an event more than once: the second changes nothing. */
  again = send_webhook (f, event, signature);
  g_assert_cmpuint (again->status, ==, 200);
  unchanged = get_booking (f, &f->driver, id);
  before = object_to_string (confirmed);
  after = object_to_string (unchanged);
  g_assert_cmpstr (after, ==, before);
}

static void
test_card_webhook_forged (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *start = local_time (2, 14), *end = local_time (2, 15);
  g_autoptr(JsonObject) booking = book (f, &f->driver, lot, start, end);
  g_autoptr(JsonObject) before = NULL, after = NULL, finally = NULL;
  g_autoptr(ParkTestResponse) forged = NULL, unsigned_hook = NULL, genuine = NULL;
  g_autofree char *intent = NULL, *event = NULL, *signature = NULL, *good = NULL;
  g_autofree char *before_text = NULL, *after_text = NULL;
  const char *id = str (booking, "id");

  intent = pay_needing_action (f, id);
  before = get_booking (f, &f->driver, id);

  /* Someone who does not know the secret claims the payment went through. */
  g_assert_true (park_test_stripe_complete_action (f->stripe, intent, TRUE));
  event = park_test_stripe_event_json (f->stripe, "payment_intent.succeeded", intent);
  signature = forged_signature (event);
  forged = send_webhook (f, event, signature);
  park_test_assert_problem (forged, 400, "invalid-signature", "Stripe-Signature");
  unsigned_hook = park_test_call (f->backend, NULL, "POST", "api/v1/payments/webhooks/stripe",
                                  event);
  park_test_assert_problem (unsigned_hook, 400, "invalid-signature", "Stripe-Signature");

  after = get_booking (f, &f->driver, id);
  before_text = object_to_string (before);
  after_text = object_to_string (after);
  g_assert_cmpstr (after_text, ==, before_text);
  g_assert_cmpstr (str (after, "status"), ==, "pending_payment");

  /* The same event, signed by Stripe, is believed. */
  good = park_test_stripe_sign (f->stripe, event, g_get_real_time () / G_USEC_PER_SEC);
  genuine = send_webhook (f, event, good);
  g_assert_cmpuint (genuine->status, ==, 200);
  finally = get_booking (f, &f->driver, id);
  assert_paid_booking (finally, num (booking, "total_cost"));
}

static void
test_card_webhook_not_set_up (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *start = local_time (1, 8), *end = local_time (1, 9);
  g_autoptr(JsonObject) booking = book (f, &f->driver, lot, start, end);
  g_autoptr(JsonObject) still = NULL;
  g_autoptr(ParkTestResponse) refused = NULL;
  g_autofree char *intent = NULL, *event = NULL, *signature = NULL;
  const char *id = str (booking, "id");

  /* Cards work (the key is there) ... */
  intent = pay_needing_action (f, id);
  g_assert_true (park_test_stripe_complete_action (f->stripe, intent, TRUE));

  /* ... but without a webhook secret no event can be told from a forgery: none is taken,
   * not even one signed with the secret Stripe would use. */
  event = park_test_stripe_event_json (f->stripe, "payment_intent.succeeded", intent);
  signature = park_test_stripe_sign (f->stripe, event, g_get_real_time () / G_USEC_PER_SEC);
  refused = send_webhook (f, event, signature);
  park_test_assert_problem (refused, 404, "not-found", NULL);

  still = get_booking (f, &f->driver, id);
  g_assert_cmpstr (str (still, "status"), ==, "pending_payment");
  g_assert_cmpint (num (still, "paid"), ==, 0);
}

static void
test_card_provider_unreachable (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *start = local_time (1, 15), *end = local_time (1, 16);
  g_autoptr(JsonObject) booking = book (f, &f->driver, lot, start, end);
  g_autoptr(JsonObject) still = NULL;
  g_autoptr(ParkTestResponse) refused = NULL;
  const char *retry_after;
  const char *id = str (booking, "id");

  refused = pay_card (f, id, "pm_card_visa", "unreachable-1");
  park_test_assert_problem (refused, 502, "payment-provider-unavailable", NULL);
  retry_after = soup_message_headers_get_one (refused->headers, "Retry-After");
  g_assert_nonnull (retry_after);
  g_assert_cmpint (g_ascii_strtoll (retry_after, NULL, 10), >=, 1);

  still = get_booking (f, &f->driver, id);
  g_assert_cmpstr (str (still, "status"), ==, "pending_payment");
  g_assert_cmpint (num (still, "paid"), ==, 0);
  g_assert_cmpuint (park_test_stripe_count (f->stripe, NULL), ==, 0);
}

/* ---- 2. cancelling a paid booking --------------------------------------------------------- */

static void
test_cancel_refund (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *start = local_time (3, 10), *end = local_time (3, 13);
  g_autoptr(JsonObject) booking = book (f, &f->driver, lot, start, end);
  g_autoptr(ParkTestResponse) paid = NULL, cancelled = NULL, receipt = NULL;
  g_autoptr(JsonObject) now = NULL;
  g_autofree char *path = NULL, *receipt_path = NULL, *amount = NULL, *refunded_intent = NULL;
  const char *id = str (booking, "id");
  gint64 total = num (booking, "total_cost");
  guint refunds;
  JsonObject *after, *payment;
  const char *intent;

  paid = pay_card (f, id, "pm_card_visa", NULL);
  g_assert_cmpuint (paid->status, ==, 201);
  payment = obj (object_of (paid), "payment");
  intent = str (payment, "provider_ref");
  refunds = park_test_stripe_count (f->stripe, "/v1/refunds");

  /* Free before the start (the default policy): all of it comes back. */
  path = g_strdup_printf ("api/v1/reservations/%s", id);
  cancelled = expect (f, f->driver.access, "DELETE", path, NULL, 200);
  after = object_of (cancelled);
  g_assert_cmpstr (str (after, "status"), ==, "cancelled");
  g_assert_nonnull (str (after, "cancelled_at"));
  g_assert_cmpint (num (after, "total_cost"), ==, total);
  g_assert_cmpint (num (after, "paid"), ==, 0);
  g_assert_cmpint (num (after, "balance_due"), ==, total);

  g_assert_cmpuint (park_test_stripe_count (f->stripe, "/v1/refunds"), ==, refunds + 1);
  amount = park_test_stripe_dup_last_param (f->stripe, "amount");
  refunded_intent = park_test_stripe_dup_last_param (f->stripe, "payment_intent");
  g_assert_cmpint (g_ascii_strtoll (amount != NULL ? amount : "-1", NULL, 10), ==, total);
  g_assert_cmpstr (refunded_intent, ==, intent);

  now = get_booking (f, &f->driver, id);
  g_assert_cmpstr (str (now, "status"), ==, "cancelled");
  g_assert_cmpint (num (now, "paid"), ==, 0);

  receipt_path = g_strdup_printf ("api/v1/payments/%s/receipt", str (payment, "id"));
  receipt = expect (f, f->driver.access, "GET", receipt_path, NULL, 200);
  g_assert_cmpint (num (obj (object_of (receipt), "payment"), "refunded"), ==, total);
  g_assert_cmpstr (str (obj (object_of (receipt), "payment"), "status"), ==, "refunded");
}

/* ---- 3. cash at the booth ----------------------------------------------------------------- */

/* The line of @attendant_id in a cash report, or NULL. */
static JsonObject *
drawer_of (JsonObject *report,
           const char *attendant_id)
{
  JsonArray *lines = json_object_get_array_member (report, "attendants");

  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonObject *line = json_array_get_object_element (lines, i);

      if (g_strcmp0 (str (line, "attendant_id"), attendant_id) == 0)
        return line;
    }
  return NULL;
}

static char *
money (gint64 amount)
{
  return g_strdup_printf ("EUR %" G_GINT64_FORMAT ".%02" G_GINT64_FORMAT, amount / 100,
                          amount % 100);
}

static void
test_cash_at_booth (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *start = local_time (1, 17), *end = local_time (1, 19);
  g_autoptr(JsonObject) booking = NULL, now = NULL;
  g_autoptr(ParkTestResponse) by_driver = NULL, by_stranger = NULL, short_of = NULL;
  g_autoptr(ParkTestResponse) paid = NULL, receipt = NULL, text = NULL, not_theirs = NULL;
  g_autofree char *receipt_path = NULL, *text_path = NULL, *receipt_text = NULL;
  g_autofree char *total_text = NULL;
  const char *id, *code;
  gint64 total;
  JsonObject *payment, *r;

  add_other_operator (f);
  booking = book (f, &f->driver, lot, start, end);
  id = str (booking, "id");
  code = str (booking, "code");
  total = num (booking, "total_cost");
  g_assert_cmpint (total, ==, 600);

  /* Cash is the booth's: not the driver's, not another operator's attendant's. */
  by_driver = pay_cash (f, &f->driver, id, 2000);
  park_test_assert_problem (by_driver, 403, "forbidden", "provider");
  by_stranger = pay_cash (f, &f->other_attendant, id, 2000);
  park_test_assert_problem (by_stranger, 404, "not-found", NULL);
  short_of = pay_cash (f, &f->attendant, id, total - 1);
  park_test_assert_problem (short_of, 400, "invalid-field", "tendered");
  now = get_booking (f, &f->driver, id);
  g_assert_cmpstr (str (now, "status"), ==, "pending_payment");
  g_assert_cmpint (num (now, "paid"), ==, 0);

  paid = pay_cash (f, &f->attendant, id, 2000);
  g_assert_cmpuint (paid->status, ==, 201);
  payment = obj (object_of (paid), "payment");
  g_assert_cmpstr (str (payment, "provider"), ==, "cash");
  g_assert_cmpstr (str (payment, "status"), ==, "succeeded");
  g_assert_null (str (payment, "provider_ref"));
  g_assert_cmpint (num (payment, "amount"), ==, total);
  g_assert_cmpint (num (payment, "tendered"), ==, 2000);
  g_assert_cmpint (num (payment, "change"), ==, 2000 - total);
  assert_paid_booking (obj (object_of (paid), "reservation"), total);

  /* The driver's receipt names who took the money, and where. */
  receipt_path = g_strdup_printf ("api/v1/payments/%s/receipt", str (payment, "id"));
  receipt = expect (f, f->driver.access, "GET", receipt_path, NULL, 200);
  r = object_of (receipt);
  g_assert_cmpstr (str (obj (r, "operator"), "name"), ==, DEMO_NAME);
  g_assert_cmpstr (str (obj (r, "operator"), "city"), ==, "Dresden");
  g_assert_cmpstr (str (obj (r, "lot"), "name"), ==, BOOKING_LOT);
  g_assert_cmpstr (str (obj (r, "lot"), "time_zone"), ==, TIME_ZONE);
  g_assert_cmpstr (str (r, "reservation_code"), ==, code);
  g_assert_cmpstr (str (obj (r, "payment"), "id"), ==, str (payment, "id"));
  g_assert_cmpint (num (obj (r, "breakdown"), "total"), ==, total);

  text_path = g_strdup_printf ("%s?format=text", receipt_path);
  text = expect (f, f->driver.access, "GET", text_path, NULL, 200);
  g_assert_cmpstr (text->content_type, ==, "text/plain");
  receipt_text = body_text (text);
  g_test_message ("%s", receipt_text);
  total_text = money (total);
  g_assert_nonnull (strstr (receipt_text, code));
  g_assert_nonnull (strstr (receipt_text, "Total paid"));
  g_assert_nonnull (strstr (receipt_text, total_text));
  g_assert_nonnull (strstr (receipt_text, DEMO_NAME));

  not_theirs = park_test_call (f->backend, f->driver2.access, "GET", receipt_path, NULL);
  park_test_assert_problem (not_theirs, 404, "not-found", NULL);
}

/* "from=…&to=…" for a shift around now, in Dresden's local time: [now - 1 h, now + 1 h). */
static char *
shift_window (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (TIME_ZONE);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) from = g_date_time_add_hours (now, -1);
  g_autoptr(GDateTime) to = g_date_time_add_hours (now, 1);
  g_autofree char *from_text = g_date_time_format (from, "%Y-%m-%dT%H:%M:%S%:z");
  g_autofree char *to_text = g_date_time_format (to, "%Y-%m-%dT%H:%M:%S%:z");
  g_autofree char *from_query = for_query (from_text), *to_query = for_query (to_text);

  return g_strdup_printf ("from=%s&to=%s", from_query, to_query);
}

static ParkTestResponse *
cash_report (Fixture    *f,
             Account    *account,
             const char *query)
{
  g_autofree char *path = g_strdup_printf ("api/v1/admin/cash-report%s%s",
                                           query != NULL ? "?" : "", query != NULL ? query : "");
  ParkTestResponse *response = expect (f, account->access, "GET", path, NULL, 200);
  g_autofree char *text = body_text (response);

  g_test_message ("%s's cash report: %s", account->email, text);
  return response;
}

static void
assert_one_payment_drawer (JsonObject *report,
                           Account    *attendant,
                           gint64      amount)
{
  JsonObject *line = drawer_of (report, attendant->id);

  g_assert_cmpstr (str (report, "currency"), ==, "EUR");
  g_assert_nonnull (line);
  g_assert_cmpstr (str (line, "email"), ==, attendant->email);
  g_assert_cmpint (num (line, "payments"), ==, 1);
  g_assert_cmpint (num (line, "taken"), ==, amount);
  g_assert_cmpint (num (line, "refunded"), ==, 0);
  g_assert_cmpint (num (line, "net"), ==, amount);
}

static void
test_cash_report (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *start = local_time (1, 20), *end = local_time (1, 21);
  g_autofree char *window = shift_window ();
  g_autofree char *op_query = g_strdup_printf ("operator=" DEMO_OPERATOR "&%s", window);
  g_autofree char *peek_query = NULL;
  g_autoptr(JsonObject) booking = NULL;
  g_autoptr(ParkTestResponse) paid = NULL, as_op = NULL, as_att = NULL, peek = NULL;
  g_autoptr(ParkTestResponse) own = NULL, end_of_shift = NULL;
  JsonArray *lines;
  gint64 total;

  add_staff (f, f->op.access, NULL, "attendant", &f->colleague, "bert.booth@example.org");
  booking = book (f, &f->driver, lot, start, end);
  total = num (booking, "total_cost");
  paid = pay_cash (f, &f->attendant, str (booking, "id"), 1000);
  g_assert_cmpuint (paid->status, ==, 201);
  g_test_message ("paid at %s", str (obj (object_of (paid), "payment"), "created_at"));

  /* The operator: the attendant's drawer holds that cash, and nobody else took any. */
  as_op = cash_report (f, &f->op, op_query);
  assert_one_payment_drawer (object_of (as_op), &f->attendant, total);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object_of (as_op),
                                                                         "attendants")), ==, 1);
  g_assert_cmpint (num (object_of (as_op), "total"), ==, total);

  /* Each attendant sees their own drawer only. */
  as_att = cash_report (f, &f->attendant, window);
  assert_one_payment_drawer (object_of (as_att), &f->attendant, total);
  g_assert_cmpint (num (object_of (as_att), "total"), ==, total);
  own = cash_report (f, &f->colleague, window);
  lines = json_object_get_array_member (object_of (own), "attendants");
  g_assert_cmpuint (json_array_get_length (lines), ==, 0);
  g_assert_cmpint (num (object_of (own), "total"), ==, 0);

  peek_query = g_strdup_printf ("api/v1/admin/cash-report?attendant=%s", f->attendant.id);
  peek = park_test_call (f->backend, f->colleague.access, "GET", peek_query, NULL);
  park_test_assert_problem (peek, 403, "forbidden", "attendant");

  /* The default window is the last 12 hours up to now: the cash just taken is in it. */
  end_of_shift = cash_report (f, &f->op, "operator=" DEMO_OPERATOR);
  assert_one_payment_drawer (object_of (end_of_shift), &f->attendant, total);
  g_assert_cmpint (num (object_of (end_of_shift), "total"), ==, total);
}

/* ---- 4. pricing and discount codes -------------------------------------------------------- */

static void
test_pricing_policy (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *path = g_strdup_printf ("api/v1/admin/parking-lots/%s/pricing", lot);
  g_autofree char *start = local_time (1, 9), *two = local_time (1, 11);
  g_autofree char *five = local_time (1, 14);
  g_autoptr(ParkTestResponse) put = NULL, bad = NULL, foreign = NULL, get = NULL;
  g_autoptr(ParkTestResponse) q2 = NULL, q5 = NULL;
  JsonObject *policy, *effective;

  add_other_operator (f);
  put = expect (f, f->op.access, "PUT", path, "{\"rates\":{\"regular\":400},\"daily_max\":1000}",
                200);
  policy = obj (object_of (put), "policy");
  effective = obj (object_of (put), "effective");
  g_assert_cmpint (num (obj (policy, "rates"), "regular"), ==, 400);
  g_assert_cmpint (num (policy, "daily_max"), ==, 1000);
  g_assert_cmpint (num (obj (effective, "rates"), "regular"), ==, 400);
  g_assert_cmpint (num (effective, "daily_max"), ==, 1000);
  g_assert_cmpint (num (effective, "grace_minutes"), ==, 10);
  /* 24 hours of the regular rate, capped by the daily maximum. */
  g_assert_cmpint (num (effective, "lost_ticket_fee"), ==, 1000);
  g_assert_cmpstr (str (object_of (put), "currency"), ==, "EUR");
  g_assert_cmpstr (str (object_of (put), "time_zone"), ==, TIME_ZONE);

  /* Two hours at 4.00; five would be 20.00, capped at 10.00 a day. */
  q2 = quote (f, lot, start, two, NULL);
  g_assert_cmpint (num (object_of (q2), "total_cost"), ==, 800);
  g_assert_cmpint (num (obj (object_of (q2), "breakdown"), "cap_discount"), ==, 0);
  q5 = quote (f, lot, start, five, NULL);
  g_assert_cmpint (num (object_of (q5), "total_cost"), ==, 1000);
  g_assert_cmpint (num (obj (object_of (q5), "breakdown"), "subtotal"), ==, 2000);
  g_assert_cmpint (num (obj (object_of (q5), "breakdown"), "cap_discount"), ==, 1000);

  bad = park_test_call (f->backend, f->op.access, "PUT", path, "{\"rates\":{\"regular\":-1}}");
  park_test_assert_problem (bad, 400, "invalid-field", "rates.regular");
  foreign = park_test_call (f->backend, f->other_op.access, "PUT", path,
                            "{\"rates\":{\"regular\":1}}");
  park_test_assert_problem (foreign, 404, "not-found", NULL);

  /* Neither changed anything. */
  get = expect (f, f->op.access, "GET", path, NULL, 200);
  g_assert_cmpint (num (obj (obj (object_of (get), "effective"), "rates"), "regular"), ==, 400);
  g_assert_cmpint (num (obj (object_of (get), "effective"), "daily_max"), ==, 1000);
}

static void
test_discount_code (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *path = g_strdup_printf ("api/v1/admin/parking-lots/%s/pricing", lot);
  g_autofree char *start = local_time (1, 9), *end = local_time (1, 11);
  g_autofree char *start2 = local_time (1, 12), *end2 = local_time (1, 14);
  g_autoptr(ParkTestResponse) put = NULL, code = NULL, plain = NULL, with_code = NULL;
  g_autoptr(ParkTestResponse) without = NULL, first = NULL, second = NULL;
  g_autofree char *more = NULL, *body = NULL, *body2 = NULL, *body3 = NULL;
  JsonObject *discount, *booking;

  put = expect (f, f->op.access, "PUT", path, "{\"rates\":{\"regular\":400}}", 200);
  code = expect (f, f->op.access, "POST", "api/v1/admin/discount-codes",
                 "{\"code\":\"SPRING\",\"percent_off\":25,\"max_uses\":1}", 201);
  discount = object_of (code);
  g_assert_cmpstr (str (discount, "code"), ==, "SPRING");
  g_assert_cmpint (num (discount, "percent_off"), ==, 25);
  g_assert_cmpint (num (discount, "max_uses"), ==, 1);
  g_assert_cmpint (num (discount, "uses"), ==, 0);

  plain = quote (f, lot, start, end, NULL);
  g_assert_cmpint (num (object_of (plain), "total_cost"), ==, 800);
  /* Codes are read aloud: the case does not matter. */
  with_code = quote (f, lot, start, end, "spring");
  g_assert_cmpint (num (obj (object_of (with_code), "breakdown"), "discount"), ==, 200);
  g_assert_cmpint (num (object_of (with_code), "total_cost"), ==, 600);

  /* The quote's price came with the code: it is honoured only with the code. */
  more = g_strdup_printf ("\"quote_id\":\"%s\"", str (object_of (with_code), "quote_id"));
  body = booking_body (lot, start, end, more);
  without = park_test_call (f->backend, f->driver.access, "POST", "api/v1/reservations", body);
  park_test_assert_problem (without, 400, "missing-field", "discount_code");

  g_clear_pointer (&more, g_free);
  more = g_strdup_printf ("\"quote_id\":\"%s\",\"discount_code\":\"spring\"",
                          str (object_of (with_code), "quote_id"));
  body2 = booking_body (lot, start, end, more);
  first = expect (f, f->driver.access, "POST", "api/v1/reservations", body2, 201);
  booking = object_of (first);
  g_assert_cmpint (num (booking, "total_cost"), ==, 600);
  g_assert_cmpint (num (obj (booking, "quote"), "discount"), ==, 200);

  /* One use only. */
  body3 = booking_body (lot, start2, end2, "\"discount_code\":\"SPRING\"");
  second = park_test_call (f->backend, f->driver2.access, "POST", "api/v1/reservations", body3);
  park_test_assert_problem (second, 409, "discount-used-up", "discount_code");
}

/* ---- 5. walk-in stays -------------------------------------------------------------------- */

static ParkTestResponse *
check_in (Fixture    *f,
          Account    *account,
          const char *body)
{
  return park_test_call (f->backend, account->access, "POST", "api/v1/sessions", body);
}

static ParkTestResponse *
check_out (Fixture    *f,
           const char *ticket,
           const char *body)
{
  g_autofree char *path = g_strdup_printf ("api/v1/sessions/%s/check-out", ticket);

  return park_test_call (f->backend, f->attendant.access, "POST", path, body);
}

/* Runs @sql on the stopped server's database; it must change one row. */
static void
db_exec (Fixture    *f,
         const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  /* The same change on the PostgreSQL store (PARK_TEST_STORE=postgresql). */
  if (g_str_has_prefix (f->backend->db_path, "postgresql://"))
    {
      g_assert_cmpint (park_test_postgresql_changes (f->backend->db_path, sql), ==, 1);
      return;
    }
  g_assert_cmpint (sqlite3_open_v2 (f->backend->db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==,
                   SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
}

/* How many events of @type the outbox holds whose payload has @value at @json_path, read
 * from the database file while parkd runs (WAL lets a reader in). */
static int
count_events (Fixture    *f,
              const char *type,
              const char *json_path,
              const char *value)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n;

  if (g_str_has_prefix (f->backend->db_path, "postgresql://"))
    {
      /* Values here are ids and event types: no quoting needed, and none is done. */
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM events WHERE type = '%s' "
                                              "AND payload::json ->> '%s' = '%s'", type,
                                              json_path + strlen ("$."), value);
      g_autofree char *count = park_test_postgresql_value (f->backend->db_path, sql);

      g_assert_true (g_str_has_prefix (json_path, "$."));
      return (int) g_ascii_strtoll (count, NULL, 10);
    }
  g_assert_cmpint (sqlite3_open_v2 (f->backend->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM events WHERE type = ?1 "
                                       "AND json_extract (payload, ?2) = ?3", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, json_path, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, value, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* What parkd does only as time passes, without waiting for it: parkd is stopped, @sql moves
 * times back in its database, and it starts again on it. Tokens survive the restart. */
static void
travel (Fixture    *f,
        const char *sql)
{
  park_test_backend_stop (f->backend);
  db_exec (f, sql);
  park_test_backend_start (f->backend, (const char * const *) f->args->pdata);
}

/* Now minus @minutes, as parkd stores times. */
static char *
utc_ago (int minutes)
{
  return utc_in (-minutes);
}

static ParkTestResponse *
get_stay (Fixture    *f,
          const char *ticket)
{
  g_autofree char *path = g_strdup_printf ("api/v1/sessions/%s", ticket);

  return expect (f, f->attendant.access, "GET", path, NULL, 200);
}

static ParkTestResponse *
receipt_of (Fixture    *f,
            Account    *account,
            const char *payment_id,
            gboolean    text)
{
  g_autofree char *path = g_strdup_printf ("api/v1/payments/%s/receipt%s", payment_id,
                                           text ? "?format=text" : "");
  ParkTestResponse *response = expect (f, account->access, "GET", path, NULL, 200);

  if (text)
    {
      g_autofree char *body = body_text (response);

      g_assert_cmpstr (response->content_type, ==, "text/plain");
      g_test_message ("receipt:\n%s", body);
    }
  return response;
}

/* @utc as a receipt prints it, in Dresden's local time. */
static char *
receipt_time (const char *utc)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (TIME_ZONE);
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (utc, NULL);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (dt, tz);

  return g_date_time_format (local, "%Y-%m-%d %H:%M %Z");
}

static void
test_walk_in (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, WALK_IN_LOT);
  g_autofree char *pricing = g_strdup_printf ("api/v1/admin/parking-lots/%s/pricing", lot);
  g_autofree char *in_body = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"DD-XY 42\"}",
                                              lot);
  g_autofree char *find = g_strdup_printf ("api/v1/sessions?parking_lot_id=%s&plate=ddxy42", lot);
  g_autoptr(ParkTestResponse) put = NULL, in = NULL, found = NULL, out = NULL, twice = NULL;
  g_autoptr(ParkTestResponse) gone = NULL, receipt = NULL;
  g_autofree char *ticket = NULL, *session_id = NULL;
  JsonObject *session, *result, *paid;
  JsonArray *items;
  gint64 free_before;
  gboolean seen = FALSE;

  put = expect (f, f->op.access, "PUT", pricing, "{\"rates\":{\"regular\":300}}", 200);
  free_before = available_regular (f, lot);
  g_assert_cmpint (free_before, >, 0);

  in = check_in (f, &f->attendant, in_body);
  g_assert_cmpuint (in->status, ==, 201);
  session = object_of (in);
  g_assert_cmpuint (strlen (str (session, "ticket")), ==, 8);
  g_assert_cmpstr (str (session, "status"), ==, "active");
  g_assert_cmpstr (str (session, "parking_lot_id"), ==, lot);
  g_assert_cmpstr (str (session, "plate"), ==, "DD-XY 42");
  g_assert_null (str (session, "reservation_id"));
  g_assert_nonnull (str (session, "parking_spot_id"));
  g_assert_null (str (session, "checked_out_at"));
  ticket = g_strdup (str (session, "ticket"));
  session_id = g_strdup (str (session, "id"));
  g_assert_cmpint (available_regular (f, lot), ==, free_before - 1);

  /* The ticket is lost: the plate finds the stay, however it is written. */
  found = expect (f, f->attendant.access, "GET", find, NULL, 200);
  items = json_object_get_array_member (object_of (found), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_str_equal (str (json_array_get_object_element (items, i), "id"), session_id))
      seen = TRUE;
  g_assert_true (seen);
  g_assert_cmpstr (str (json_array_get_object_element (items, 0), "ticket"), ==, ticket);

  /* Out again within the grace: nothing to pay, but the stay is paid (a payment of 0, with
   * its receipt) and the car has the exit grace to drive out; it still holds its spot. */
  out = check_out (f, ticket, "{}");
  g_assert_cmpuint (out->status, ==, 200);
  result = object_of (out);
  paid = obj (result, "session");
  g_assert_cmpint (num (result, "fee"), ==, 0);
  g_assert_cmpint (num (result, "change"), ==, 0);
  g_assert_null (str (result, "tendered"));
  g_assert_nonnull (str (result, "payment_id"));
  g_assert_cmpstr (str (paid, "status"), ==, "paid");
  g_assert_nonnull (str (paid, "paid_at"));
  g_assert_cmpstr (str (paid, "leave_by"), >, str (paid, "paid_at"));
  g_assert_null (str (paid, "checked_out_at"));
  g_assert_cmpint (num (paid, "fee"), ==, 0);
  g_assert_cmpint (available_regular (f, lot), ==, free_before - 1);
  receipt = receipt_of (f, &f->attendant, str (result, "payment_id"), FALSE);
  g_assert_cmpint (num (obj (object_of (receipt), "payment"), "amount"), ==, 0);
  g_assert_cmpstr (str (obj (object_of (receipt), "session"), "ticket"), ==, ticket);

  /* At the barrier: it leaves, and its spot is free. */
  gone = check_out (f, ticket, "{}");
  g_assert_cmpuint (gone->status, ==, 200);
  result = object_of (gone);
  g_assert_cmpint (num (result, "fee"), ==, 0);
  g_assert_null (str (result, "payment_id"));
  g_assert_cmpstr (str (obj (result, "session"), "status"), ==, "completed");
  g_assert_nonnull (str (obj (result, "session"), "checked_out_at"));
  g_assert_cmpint (available_regular (f, lot), ==, free_before);

  twice = check_out (f, ticket, "{}");
  park_test_assert_problem (twice, 409, "invalid-state", NULL);
}

static void
test_walk_in_lost_ticket (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, WALK_IN_LOT);
  g_autofree char *pricing = g_strdup_printf ("api/v1/admin/parking-lots/%s/pricing", lot);
  g_autofree char *in_body = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"DD-LT 7\"}",
                                              lot);
  g_autoptr(ParkTestResponse) put = NULL, in = NULL, unpaid = NULL, out = NULL, report = NULL;
  g_autofree char *window = NULL;
  const char *ticket;
  JsonObject *result;
  gint64 fee;

  put = expect (f, f->op.access, "PUT", pricing, "{\"rates\":{\"regular\":300}}", 200);
  /* Without a fee of its own, a lost ticket costs a day at the regular rate. */
  fee = num (obj (object_of (put), "effective"), "lost_ticket_fee");
  g_assert_cmpint (fee, ==, 24 * 300);

  in = check_in (f, &f->attendant, in_body);
  g_assert_cmpuint (in->status, ==, 201);
  ticket = str (object_of (in), "ticket");

  unpaid = check_out (f, ticket, "{\"lost_ticket\":true}");
  park_test_assert_problem (unpaid, 400, "missing-field", "tendered");

  out = check_out (f, ticket, "{\"lost_ticket\":true,\"tendered\":10000}");
  g_assert_cmpuint (out->status, ==, 200);
  result = object_of (out);
  g_assert_cmpint (num (result, "fee"), ==, fee);
  g_assert_cmpint (num (result, "tendered"), ==, 10000);
  g_assert_cmpint (num (result, "change"), ==, 10000 - fee);
  g_assert_cmpint (num (obj (result, "session"), "fee"), ==, fee);
  g_assert_cmpstr (str (obj (result, "session"), "status"), ==, "paid");

  /* The fee is cash in the attendant's drawer. */
  window = shift_window ();
  report = cash_report (f, &f->attendant, window);
  assert_one_payment_drawer (object_of (report), &f->attendant, fee);
}

/* A shop's validation at the exit: the code comes off the fee, once. */
static void
test_walk_in_validation (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, WALK_IN_LOT);
  g_autofree char *pricing = g_strdup_printf ("api/v1/admin/parking-lots/%s/pricing", lot);
  g_autofree char *in1 = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"DD-VA 1\"}", lot);
  g_autofree char *in2 = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"DD-VA 2\"}", lot);
  g_autoptr(ParkTestResponse) put = NULL, code = NULL, a = NULL, b = NULL, out = NULL;
  g_autoptr(ParkTestResponse) again = NULL, unknown = NULL;
  JsonObject *result, *breakdown;
  gint64 fee;

  put = expect (f, f->op.access, "PUT", pricing, "{\"rates\":{\"regular\":300}}", 200);
  fee = num (obj (object_of (put), "effective"), "lost_ticket_fee");
  code = expect (f, f->op.access, "POST", "api/v1/admin/discount-codes",
                 "{\"code\":\"CAFE-1H\",\"amount_off\":300,\"max_uses\":1}", 201);

  a = check_in (f, &f->attendant, in1);
  b = check_in (f, &f->attendant, in2);
  g_assert_cmpuint (a->status, ==, 201);
  g_assert_cmpuint (b->status, ==, 201);

  unknown = check_out (f, str (object_of (a), "ticket"),
                       "{\"lost_ticket\":true,\"validation_code\":\"NOPE\",\"tendered\":10000}");
  park_test_assert_problem (unknown, 400, "invalid-field", "validation_code");

  out = check_out (f, str (object_of (a), "ticket"),
                   "{\"lost_ticket\":true,\"validation_code\":\"cafe-1h\",\"tendered\":10000}");
  g_assert_cmpuint (out->status, ==, 200);
  result = object_of (out);
  g_assert_cmpint (num (result, "fee"), ==, fee - 300);
  g_assert_cmpint (num (result, "change"), ==, 10000 - (fee - 300));
  breakdown = obj (obj (result, "session"), "breakdown");
  g_assert_cmpint (num (obj (breakdown, "validation"), "amount_off"), ==, 300);
  g_assert_cmpint (num (breakdown, "due"), ==, fee - 300);

  /* Its one use is spent. */
  again = check_out (f, str (object_of (b), "ticket"),
                     "{\"lost_ticket\":true,\"validation_code\":\"CAFE-1H\",\"tendered\":10000}");
  park_test_assert_problem (again, 409, "discount-used-up", "validation_code");
}

static void
test_check_in_booking (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, WALK_IN_LOT);
  g_autofree char *pricing = g_strdup_printf ("api/v1/admin/parking-lots/%s/pricing", lot);
  g_autofree char *start = utc_in (0), *end = utc_in (120);
  g_autoptr(JsonObject) booking = NULL, now = NULL;
  g_autoptr(ParkTestResponse) put = NULL, unpaid = NULL, paid = NULL, in = NULL;
  g_autoptr(ParkTestResponse) foreign = NULL, by_driver = NULL, paid_out = NULL, gone = NULL;
  g_autofree char *by_code = NULL, *walk_in = NULL;
  JsonObject *session;
  const char *id;

  add_other_operator (f);
  put = expect (f, f->op.access, "PUT", pricing, "{\"rates\":{\"regular\":300}}", 200);
  booking = book (f, &f->driver, lot, start, end);
  id = str (booking, "id");
  g_assert_cmpint (num (booking, "total_cost"), ==, 600);
  by_code = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"DD-RB 123\","
                             "\"reservation_code\":\"%s\"}", lot, str (booking, "code"));

  /* Not paid yet: the car does not come in on it. */
  unpaid = check_in (f, &f->attendant, by_code);
  park_test_assert_problem (unpaid, 409, "invalid-state", "reservation_code");
  now = get_booking (f, &f->driver, id);
  g_assert_cmpstr (str (now, "status"), ==, "pending_payment");

  paid = pay_cash (f, &f->attendant, id, 1000);
  g_assert_cmpuint (paid->status, ==, 201);
  g_assert_cmpint (num (obj (object_of (paid), "payment"), "change"), ==, 400);
  g_assert_cmpstr (str (obj (object_of (paid), "reservation"), "status"), ==, "confirmed");

  /* Staff of another operator, and drivers, check nobody in here. */
  foreign = check_in (f, &f->other_attendant, by_code);
  park_test_assert_problem (foreign, 404, "not-found", "parking_lot_id");
  walk_in = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"DD-AB 1\"}", lot);
  by_driver = check_in (f, &f->driver, walk_in);
  park_test_assert_problem (by_driver, 403, "forbidden", NULL);

  in = check_in (f, &f->attendant, by_code);
  g_assert_cmpuint (in->status, ==, 201);
  session = object_of (in);
  g_assert_cmpstr (str (session, "reservation_id"), ==, id);
  g_assert_cmpstr (str (session, "parking_spot_id"), ==, str (booking, "parking_spot_id"));
  g_assert_cmpstr (str (session, "status"), ==, "active");

  g_clear_pointer (&now, json_object_unref);
  now = get_booking (f, &f->driver, id);
  g_assert_cmpstr (str (now, "status"), ==, "checked_in");
  g_assert_nonnull (str (now, "checked_in_at"));

  /* Within its booked time nothing is due; the booking ends when the car leaves. */
  paid_out = check_out (f, str (session, "ticket"), "{}");
  g_assert_cmpuint (paid_out->status, ==, 200);
  g_assert_cmpint (num (object_of (paid_out), "fee"), ==, 0);
  g_assert_cmpstr (str (obj (object_of (paid_out), "session"), "status"), ==, "paid");
  g_clear_pointer (&now, json_object_unref);
  now = get_booking (f, &f->driver, id);
  g_assert_cmpstr (str (now, "status"), ==, "checked_in");
  gone = check_out (f, str (session, "ticket"), "{}");
  g_assert_cmpuint (gone->status, ==, 200);
  g_assert_cmpstr (str (obj (object_of (gone), "session"), "status"), ==, "completed");
  g_clear_pointer (&now, json_object_unref);
  now = get_booking (f, &f->driver, id);
  g_assert_cmpstr (str (now, "status"), ==, "completed");
}

/* A walk-in parked for almost two hours pays cash at the booth and gets a receipt with its
 * change; the cash is in the attendant's drawer. */
static void
test_walk_in_cash_receipt (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, WALK_IN_LOT);
  g_autofree char *pricing = g_strdup_printf ("api/v1/admin/parking-lots/%s/pricing", lot);
  g_autofree char *in_body = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"DD-CA 5\"}",
                                              lot);
  g_autofree char *ticket = NULL, *session_id = NULL, *arrived = NULL, *sql = NULL;
  g_autofree char *window = shift_window ();
  g_autofree char *text = NULL, *in_line = NULL, *arrived_local = NULL, *payment_id = NULL;
  g_autofree char *text_after = NULL;
  g_autoptr(ParkTestResponse) put = NULL, in = NULL, out = NULL, receipt = NULL;
  g_autoptr(ParkTestResponse) printed = NULL, report = NULL, gone = NULL, printed_after = NULL;
  g_autoptr(ParkTestResponse) turned = NULL, turned_out = NULL;
  g_autofree char *turned_body = g_strdup_printf ("{\"parking_lot_id\":\"%s\","
                                                  "\"plate\":\"DD-TR 9\"}", lot);
  JsonObject *result, *r, *payment, *stay;

  put = expect (f, f->op.access, "PUT", pricing, "{\"rates\":{\"regular\":300}}", 200);
  /* A car that turned round within the grace paid nothing: a receipt of 0, but no cash. */
  turned = check_in (f, &f->attendant, turned_body);
  g_assert_cmpuint (turned->status, ==, 201);
  turned_out = check_out (f, str (object_of (turned), "ticket"), "{}");
  g_assert_cmpuint (turned_out->status, ==, 200);
  g_assert_nonnull (str (object_of (turned_out), "payment_id"));

  in = check_in (f, &f->attendant, in_body);
  g_assert_cmpuint (in->status, ==, 201);
  ticket = g_strdup (str (object_of (in), "ticket"));
  session_id = g_strdup (str (object_of (in), "id"));

  /* In 110 minutes ago: billed in quarter hours, two hours at 3.00 (this test has less than
   * ten minutes to check the car out). */
  arrived = utc_ago (110);
  sql = g_strdup_printf ("UPDATE parking_sessions SET checked_in_at = '%s' WHERE id = '%s'",
                         arrived, session_id);
  travel (f, sql);

  out = check_out (f, ticket, "{\"tendered\":1000}");
  g_assert_cmpuint (out->status, ==, 200);
  result = object_of (out);
  g_assert_cmpint (num (result, "fee"), ==, 600);
  g_assert_cmpint (num (result, "tendered"), ==, 1000);
  g_assert_cmpint (num (result, "change"), ==, 400);
  g_assert_cmpstr (str (obj (result, "session"), "status"), ==, "paid");
  payment_id = g_strdup (str (result, "payment_id"));
  g_assert_nonnull (payment_id);

  /* The receipt: the stay, what it cost and the change, the operator. */
  receipt = receipt_of (f, &f->attendant, payment_id, FALSE);
  r = object_of (receipt);
  payment = obj (r, "payment");
  stay = obj (r, "session");
  g_assert_cmpstr (str (payment, "id"), ==, payment_id);
  g_assert_cmpstr (str (payment, "session_id"), ==, session_id);
  g_assert_null (str (payment, "reservation_id"));
  g_assert_null (str (r, "reservation_code"));
  g_assert_cmpstr (str (payment, "provider"), ==, "cash");
  g_assert_cmpstr (str (payment, "status"), ==, "succeeded");
  g_assert_cmpint (num (payment, "amount"), ==, 600);
  g_assert_cmpint (num (payment, "tendered"), ==, 1000);
  g_assert_cmpint (num (payment, "change"), ==, 400);
  g_assert_cmpstr (str (stay, "ticket"), ==, ticket);
  g_assert_cmpstr (str (stay, "plate"), ==, "DD-CA 5");
  /* Times in the lot's own zone, with its offset. */
  g_assert_true (g_str_has_suffix (str (stay, "checked_in_at"), "+01:00") ||
                 g_str_has_suffix (str (stay, "checked_in_at"), "+02:00"));
  g_assert_nonnull (str (stay, "leave_by"));
  g_assert_null (str (stay, "checked_out_at"));
  g_assert_cmpint (num (obj (r, "breakdown"), "total"), ==, 600);
  g_assert_cmpstr (str (obj (r, "operator"), "name"), ==, DEMO_NAME);
  g_assert_cmpstr (str (obj (r, "lot"), "name"), ==, WALK_IN_LOT);

  printed = receipt_of (f, &f->attendant, payment_id, TRUE);
  text = body_text (printed);
  arrived_local = receipt_time (arrived);
  in_line = g_strdup_printf ("In       %s\n", arrived_local);
  g_assert_nonnull (strstr (text, ticket));
  g_assert_nonnull (strstr (text, "Plate    DD-CA 5\n"));
  g_assert_nonnull (strstr (text, in_line));
  g_assert_nonnull (strstr (text, "Leave by "));
  g_assert_nonnull (strstr (text, "Total paid       EUR 6.00\n"));
  g_assert_nonnull (strstr (text, "Tendered         EUR 10.00\n"));
  g_assert_nonnull (strstr (text, "Change           EUR 4.00\n"));
  g_assert_nonnull (strstr (text, DEMO_NAME ", Dresden\n"));

  /* A check-out's payment has no driver: not even a signed-in driver sees it. */
  {
    g_autofree char *path = g_strdup_printf ("api/v1/payments/%s/receipt", payment_id);
    g_autoptr(ParkTestResponse) driver = park_test_call (f->backend, f->driver.access, "GET",
                                                         path, NULL);

    park_test_assert_problem (driver, 404, "not-found", NULL);
  }

  /* The payment's event went out with it: one PaymentProcessed, naming the stay. */
  g_assert_cmpint (count_events (f, "PaymentProcessed", "$.payment_id", payment_id), ==, 1);
  g_assert_cmpint (count_events (f, "PaymentProcessed", "$.session_id", session_id), ==, 1);

  /* The attendant's drawer holds it. */
  report = cash_report (f, &f->attendant, window);
  assert_one_payment_drawer (object_of (report), &f->attendant, 600);
  g_assert_cmpint (num (object_of (report), "total"), ==, 600);

  /* Gone: the receipt now says when it left. */
  gone = check_out (f, ticket, "{}");
  g_assert_cmpuint (gone->status, ==, 200);
  g_assert_cmpint (num (obj (object_of (gone), "session"), "fee"), ==, 600);
  printed_after = receipt_of (f, &f->attendant, payment_id, TRUE);
  text_after = body_text (printed_after);
  g_assert_nonnull (strstr (text_after, "\nOut      "));
  g_assert_null (strstr (text_after, "Leave by"));
  g_assert_cmpint (count_events (f, "VehicleCheckedOut", "$.session_id", session_id), ==, 1);
}

/* Paid at the booth, the car has the lot's exit grace to reach the barrier: in time it leaves
 * free, later it pays the time since it paid. */
static void
test_walk_in_exit_grace (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, WALK_IN_LOT);
  g_autofree char *pricing = g_strdup_printf ("api/v1/admin/parking-lots/%s/pricing", lot);
  g_autofree char *in1 = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"DD-EG 1\"}", lot);
  g_autofree char *in2 = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"DD-EG 2\"}", lot);
  g_autofree char *ticket1 = NULL, *ticket2 = NULL, *id2 = NULL, *sql = NULL;
  g_autofree char *paid_at = utc_ago (50), *leave_by = utc_ago (35);
  g_autoptr(ParkTestResponse) put = NULL, a = NULL, b = NULL, paid1 = NULL, left1 = NULL;
  g_autoptr(ParkTestResponse) paid2 = NULL, unpaid = NULL, short_of = NULL, left2 = NULL;
  g_autoptr(ParkTestResponse) still = NULL, receipt = NULL;
  JsonObject *result, *session;
  JsonArray *lines;
  gint64 free_before, billed = 0;

  put = expect (f, f->op.access, "PUT", pricing,
                "{\"rates\":{\"regular\":300},\"exit_grace_minutes\":15}", 200);
  free_before = available_regular (f, lot);
  a = check_in (f, &f->attendant, in1);
  b = check_in (f, &f->attendant, in2);
  g_assert_cmpuint (a->status, ==, 201);
  g_assert_cmpuint (b->status, ==, 201);
  ticket1 = g_strdup (str (object_of (a), "ticket"));
  ticket2 = g_strdup (str (object_of (b), "ticket"));
  id2 = g_strdup (str (object_of (b), "id"));

  paid1 = check_out (f, ticket1, "{}");
  paid2 = check_out (f, ticket2, "{}");
  g_assert_cmpuint (paid1->status, ==, 200);
  g_assert_cmpuint (paid2->status, ==, 200);
  g_assert_cmpstr (str (obj (object_of (paid2), "session"), "status"), ==, "paid");
  g_assert_cmpint (available_regular (f, lot), ==, free_before - 2);

  /* The first leaves within its 15 minutes: free. */
  left1 = check_out (f, ticket1, "{\"tendered\":500}");
  g_assert_cmpuint (left1->status, ==, 200);
  result = object_of (left1);
  g_assert_cmpint (num (result, "fee"), ==, 0);
  g_assert_null (str (result, "payment_id"));
  g_assert_cmpstr (str (obj (result, "session"), "status"), ==, "completed");
  g_assert_cmpint (num (obj (result, "session"), "fee"), ==, 0);
  g_assert_cmpint (available_regular (f, lot), ==, free_before - 1);

  /* The second paid 50 minutes ago and its grace ended 35 minutes ago. */
  sql = g_strdup_printf ("UPDATE parking_sessions SET paid_at = '%s', leave_by = '%s' "
                         "WHERE id = '%s'", paid_at, leave_by, id2);
  travel (f, sql);

  /* It owes the time since it paid: 50 minutes (and the seconds of this test), billed in
   * quarter hours at 3.00 an hour. */
  unpaid = check_out (f, ticket2, "{}");
  park_test_assert_problem (unpaid, 400, "missing-field", "tendered");
  short_of = check_out (f, ticket2, "{\"tendered\":299}");
  park_test_assert_problem (short_of, 400, "invalid-field", "tendered");
  still = get_stay (f, ticket2);
  g_assert_cmpstr (str (object_of (still), "status"), ==, "paid");

  left2 = check_out (f, ticket2, "{\"tendered\":500}");
  g_assert_cmpuint (left2->status, ==, 200);
  result = object_of (left2);
  session = obj (result, "session");
  g_assert_cmpint (num (result, "fee"), ==, 300);
  g_assert_cmpint (num (result, "change"), ==, 200);
  g_assert_nonnull (str (result, "payment_id"));
  g_assert_cmpstr (str (session, "status"), ==, "completed");
  g_assert_nonnull (str (session, "checked_out_at"));
  g_assert_cmpint (num (session, "fee"), ==, 300);
  g_assert_cmpint (available_regular (f, lot), ==, free_before);

  /* The extra time has its own receipt: an hour from the time it paid (in one line, or two
   * across local midnight). */
  receipt = receipt_of (f, &f->attendant, str (result, "payment_id"), FALSE);
  g_assert_cmpint (num (obj (object_of (receipt), "breakdown"), "total"), ==, 300);
  lines = json_object_get_array_member (obj (object_of (receipt), "breakdown"), "lines");
  for (guint i = 0; i < json_array_get_length (lines); i++)
    billed += num (json_array_get_object_element (lines, i), "billed_minutes");
  g_assert_cmpint (billed, ==, 60);

  /* The stay's payments, for a receipt printed again later: the check-out of 0 and the late
   * exit's, oldest first, by ticket or id. */
  {
    g_autofree char *by_ticket = g_strdup_printf ("api/v1/sessions/%s/payments", ticket2);
    g_autofree char *by_id = g_strdup_printf ("api/v1/sessions/%s/payments", id2);
    g_autofree char *unknown = g_strdup_printf ("api/v1/sessions/%s/payments",
                                                "ZZZZZZZZ");
    g_autoptr(ParkTestResponse) list = expect (f, f->attendant.access, "GET", by_ticket, NULL,
                                               200);
    g_autoptr(ParkTestResponse) again = expect (f, f->attendant.access, "GET", by_id, NULL,
                                                200);
    g_autoptr(ParkTestResponse) none = expect (f, f->attendant.access, "GET", unknown, NULL,
                                               404);
    JsonArray *items = json_object_get_array_member (object_of (list), "items");
    JsonObject *first = json_array_get_object_element (items, 0);
    JsonObject *late = json_array_get_object_element (items, 1);

    g_assert_cmpint (num (object_of (list), "total"), ==, 2);
    g_assert_cmpuint (json_array_get_length (items), ==, 2);
    g_assert_cmpint (num (first, "amount"), ==, 0);
    g_assert_cmpstr (str (first, "session_id"), ==, id2);
    g_assert_cmpint (num (late, "amount"), ==, 300);
    g_assert_cmpstr (str (late, "id"), ==, str (result, "payment_id"));
    g_assert_cmpint (num (object_of (again), "total"), ==, 2);
    park_test_assert_problem (none, 404, "not-found", NULL);
  }
}

static ParkTestResponse *
check_in_keyed (Fixture    *f,
                const char *body,
                const char *key)
{
  return call_with_header (f, f->attendant.access, "POST", "api/v1/sessions", body,
                           "Idempotency-Key", key);
}

static ParkTestResponse *
check_out_keyed (Fixture    *f,
                 const char *ticket,
                 const char *body,
                 const char *key)
{
  g_autofree char *path = g_strdup_printf ("api/v1/sessions/%s/check-out", ticket);

  return call_with_header (f, f->attendant.access, "POST", path, body, "Idempotency-Key", key);
}

static void
assert_replay_of (ParkTestResponse *replay,
                  ParkTestResponse *first)
{
  g_autofree char *first_text = body_text (first), *replay_text = body_text (replay);

  g_assert_cmpuint (replay->status, ==, first->status);
  g_assert_cmpstr (soup_message_headers_get_one (replay->headers, "Idempotent-Replayed"), ==,
                   "true");
  g_assert_null (soup_message_headers_get_one (first->headers, "Idempotent-Replayed"));
  g_assert_cmpstr (replay_text, ==, first_text);
}

/* The booth's network drops answers: a check-in or check-out sent again with its
 * Idempotency-Key gets the first answer, and neither a second stay, a second payment nor a
 * premature exit; the key with another body is refused. */
static void
test_walk_in_idempotent (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, WALK_IN_LOT);
  g_autofree char *pricing = g_strdup_printf ("api/v1/admin/parking-lots/%s/pricing", lot);
  g_autofree char *in_body = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"DD-ID 3\"}",
                                              lot);
  g_autofree char *other_body = g_strdup_printf ("{\"parking_lot_id\":\"%s\","
                                                 "\"plate\":\"DD-ID 4\"}", lot);
  g_autofree char *find = g_strdup_printf ("api/v1/sessions?parking_lot_id=%s&plate=DDID3", lot);
  g_autofree char *window = shift_window ();
  g_autoptr(ParkTestResponse) put = NULL, in = NULL, in_again = NULL, in_other = NULL;
  g_autoptr(ParkTestResponse) found = NULL, paid = NULL, paid_again = NULL, paid_other = NULL;
  g_autoptr(ParkTestResponse) still = NULL, report = NULL, left = NULL, left_again = NULL;
  g_autoptr(ParkTestResponse) left_unkeyed = NULL, wrong_route = NULL;
  const char *ticket;
  gint64 fee;

  put = expect (f, f->op.access, "PUT", pricing, "{\"rates\":{\"regular\":300}}", 200);
  fee = num (obj (object_of (put), "effective"), "lost_ticket_fee");

  in = check_in_keyed (f, in_body, "booth-1-in-0001");
  g_assert_cmpuint (in->status, ==, 201);
  ticket = str (object_of (in), "ticket");
  in_again = check_in_keyed (f, in_body, "booth-1-in-0001");
  assert_replay_of (in_again, in);
  found = expect (f, f->attendant.access, "GET", find, NULL, 200);
  g_assert_cmpint (num (object_of (found), "total"), ==, 1);
  in_other = check_in_keyed (f, other_body, "booth-1-in-0001");
  park_test_assert_problem (in_other, 422, "idempotency-key-reused", NULL);

  /* Paid (a lost ticket), the answer lost, sent again: the same answer, the stay still paid
   * (not taken for its exit), one payment in the drawer. */
  paid = check_out_keyed (f, ticket, "{\"lost_ticket\":true,\"tendered\":10000}",
                          "booth-1-out-0001");
  g_assert_cmpuint (paid->status, ==, 200);
  g_assert_cmpstr (str (obj (object_of (paid), "session"), "status"), ==, "paid");
  g_assert_cmpint (num (object_of (paid), "fee"), ==, fee);
  paid_again = check_out_keyed (f, ticket, "{\"lost_ticket\":true,\"tendered\":10000}",
                                "booth-1-out-0001");
  assert_replay_of (paid_again, paid);
  still = get_stay (f, ticket);
  g_assert_cmpstr (str (object_of (still), "status"), ==, "paid");
  paid_other = check_out_keyed (f, ticket, "{\"lost_ticket\":true,\"tendered\":20000}",
                                "booth-1-out-0001");
  park_test_assert_problem (paid_other, 422, "idempotency-key-reused", NULL);
  /* A key is for one address: the check-in's key does not pay. */
  wrong_route = check_out_keyed (f, ticket, in_body, "booth-1-in-0001");
  park_test_assert_problem (wrong_route, 422, "idempotency-key-reused", NULL);
  report = cash_report (f, &f->attendant, window);
  assert_one_payment_drawer (object_of (report), &f->attendant, fee);

  /* The exit, sent twice: the second is the first answer, not 409 "checked out already". */
  left = check_out_keyed (f, ticket, "{}", "booth-1-out-0002");
  g_assert_cmpuint (left->status, ==, 200);
  g_assert_cmpstr (str (obj (object_of (left), "session"), "status"), ==, "completed");
  left_again = check_out_keyed (f, ticket, "{}", "booth-1-out-0002");
  assert_replay_of (left_again, left);
  left_unkeyed = check_out (f, ticket, "{}");
  park_test_assert_problem (left_unkeyed, 409, "invalid-state", NULL);
}

/* A card at the booth, through Stripe as a booking's: a declined card leaves the stay to be
 * paid in cash; a card that goes through is a payment with Stripe's reference, charged once
 * however often the booth sends it. */
static void
test_walk_in_card (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, WALK_IN_LOT);
  g_autofree char *pricing = g_strdup_printf ("api/v1/admin/parking-lots/%s/pricing", lot);
  g_autofree char *in1 = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"DD-CD 1\"}", lot);
  g_autofree char *in2 = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"DD-CD 2\"}", lot);
  g_autofree char *in3 = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"DD-CD 3\"}", lot);
  g_autofree char *window = shift_window ();
  g_autofree char *key = NULL, *for_stay = NULL, *intent_id = NULL;
  g_autoptr(ParkTestResponse) put = NULL, a = NULL, b = NULL, c = NULL, declined = NULL;
  g_autoptr(ParkTestResponse) still = NULL, report = NULL, cash = NULL, with_tendered = NULL;
  g_autoptr(ParkTestResponse) paid = NULL, paid_again = NULL, receipt = NULL, action = NULL;
  g_autoptr(ParkTestResponse) after_action = NULL;
  g_autoptr(JsonObject) intent = NULL;
  JsonObject *payment;
  const char *ticket1, *ticket2, *ticket3;
  guint charges, intents;
  gint64 fee;

  put = expect (f, f->op.access, "PUT", pricing, "{\"rates\":{\"regular\":300}}", 200);
  fee = num (obj (object_of (put), "effective"), "lost_ticket_fee");
  a = check_in (f, &f->attendant, in1);
  b = check_in (f, &f->attendant, in2);
  c = check_in (f, &f->attendant, in3);
  ticket1 = str (object_of (a), "ticket");
  ticket2 = str (object_of (b), "ticket");
  ticket3 = str (object_of (c), "ticket");

  /* Declined: 402, and the stay is as it was. */
  charges = park_test_stripe_count_charges (f->stripe);
  declined = check_out (f, ticket1, "{\"lost_ticket\":true,\"provider\":\"stripe\","
                                    "\"payment_method\":\"pm_card_chargeDeclined\"}");
  park_test_assert_problem (declined, 402, "card-declined", "payment_method");
  g_assert_cmpuint (park_test_stripe_count_charges (f->stripe), ==, charges + 1);
  still = get_stay (f, ticket1);
  g_assert_cmpstr (str (object_of (still), "status"), ==, "active");
  g_assert_null (str (object_of (still), "paid_at"));
  g_assert_null (str (object_of (still), "fee"));
  with_tendered = check_out (f, ticket1, "{\"lost_ticket\":true,\"provider\":\"stripe\","
                                         "\"payment_method\":\"pm_card_visa\",\"tendered\":1}");
  park_test_assert_problem (with_tendered, 400, "invalid-field", "tendered");

  /* The driver pays cash instead. */
  cash = check_out (f, ticket1, "{\"lost_ticket\":true,\"tendered\":10000}");
  g_assert_cmpuint (cash->status, ==, 200);
  g_assert_cmpstr (str (obj (object_of (cash), "session"), "status"), ==, "paid");
  g_assert_cmpint (num (object_of (cash), "change"), ==, 10000 - fee);

  /* A card that goes through, sent twice with the booth's key: charged once. */
  charges = park_test_stripe_count_charges (f->stripe);
  paid = check_out_keyed (f, ticket2, "{\"lost_ticket\":true,\"provider\":\"stripe\","
                                      "\"payment_method\":\"pm_card_visa\"}", "booth-2-card-1");
  g_assert_cmpuint (paid->status, ==, 200);
  g_assert_cmpint (num (object_of (paid), "fee"), ==, fee);
  g_assert_null (str (object_of (paid), "tendered"));
  g_assert_cmpint (num (object_of (paid), "change"), ==, 0);
  g_assert_cmpstr (str (obj (object_of (paid), "session"), "status"), ==, "paid");
  g_assert_cmpuint (park_test_stripe_count_charges (f->stripe), ==, charges + 1);
  key = park_test_stripe_dup_last_header (f->stripe, "Idempotency-Key");
  g_assert_true (g_str_has_prefix (key, "parkade-charge-"));
  for_stay = park_test_stripe_dup_last_param (f->stripe, "metadata[session_id]");
  g_assert_cmpstr (for_stay, ==, str (obj (object_of (paid), "session"), "id"));
  intents = park_test_stripe_count (f->stripe, "/v1/payment_intents");
  paid_again = check_out_keyed (f, ticket2, "{\"lost_ticket\":true,\"provider\":\"stripe\","
                                            "\"payment_method\":\"pm_card_visa\"}",
                                "booth-2-card-1");
  assert_replay_of (paid_again, paid);
  g_assert_cmpuint (park_test_stripe_count (f->stripe, "/v1/payment_intents"), ==, intents);
  g_assert_cmpuint (park_test_stripe_count_charges (f->stripe), ==, charges + 1);

  receipt = receipt_of (f, &f->attendant, str (object_of (paid), "payment_id"), FALSE);
  payment = obj (object_of (receipt), "payment");
  g_assert_cmpstr (str (payment, "provider"), ==, "stripe");
  g_assert_cmpstr (str (payment, "status"), ==, "succeeded");
  g_assert_cmpint (num (payment, "amount"), ==, fee);
  g_assert_null (str (payment, "tendered"));
  intent_id = g_strdup (str (payment, "provider_ref"));
  g_assert_true (g_str_has_prefix (intent_id, "pi_"));
  intent = park_test_stripe_get_intent (f->stripe, intent_id);
  g_assert_nonnull (intent);
  g_assert_cmpint (json_object_get_int_member (intent, "amount_received"), ==, fee);
  g_assert_cmpstr (json_object_get_string_member (intent, "currency"), ==, "eur");

  /* A card asking for 3-D Secure cannot be finished at the booth: nothing recorded. */
  action = check_out (f, ticket3, "{\"lost_ticket\":true,\"provider\":\"stripe\","
                                  "\"payment_method\":\"pm_card_authenticationRequired\"}");
  park_test_assert_problem (action, 402, "card-not-completed", "payment_method");
  after_action = get_stay (f, ticket3);
  g_assert_cmpstr (str (object_of (after_action), "status"), ==, "active");

  /* Only the cash is in the drawer. */
  report = cash_report (f, &f->attendant, window);
  assert_one_payment_drawer (object_of (report), &f->attendant, fee);
}

/* Yen have no minor unit: a Tokyo lot's receipt prints whole yen. */
static void
test_walk_in_receipt_jpy (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(ParkTestResponse) op = NULL, lot = NULL, in = NULL, out = NULL, printed = NULL;
  g_autofree char *in_body = NULL, *text = NULL, *out_path = NULL;
  JsonObject *result;
  const char *p;

  op = expect (f, f->admin.access, "POST", "api/v1/admin/operators",
               "{\"slug\":\"shinjuku-parking\",\"name\":\"Shinjuku Parking KK\","
               "\"city\":\"Tokyo\",\"time_zone\":\"Asia/Tokyo\",\"currency\":\"JPY\"}", 201);
  lot = expect (f, f->admin.access, "POST", "api/v1/admin/parking-lots",
                "{\"operator\":\"shinjuku-parking\",\"name\":\"Kabukicho P1\","
                "\"address\":\"1-1 Kabukicho, Shinjuku\",\"lat\":35.6938,\"lng\":139.7034,"
                "\"hourly_rate\":600,\"spots\":{\"regular\":4}}", 201);
  in_body = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"SN 300 A 12-34\"}",
                             str (object_of (lot), "id"));
  in = check_in (f, &f->admin, in_body);
  g_assert_cmpuint (in->status, ==, 201);
  g_assert_cmpstr (str (object_of (in), "currency"), ==, "JPY");

  /* A lost ticket: a day at 600 yen an hour. */
  out_path = g_strdup_printf ("api/v1/sessions/%s/check-out", str (object_of (in), "ticket"));
  out = park_test_call (f->backend, f->admin.access, "POST", out_path,
                        "{\"lost_ticket\":true,\"tendered\":20000}");
  g_assert_cmpuint (out->status, ==, 200);
  result = object_of (out);
  g_assert_cmpint (num (result, "fee"), ==, 14400);
  g_assert_cmpint (num (result, "change"), ==, 5600);

  printed = receipt_of (f, &f->admin, str (result, "payment_id"), TRUE);
  text = body_text (printed);
  g_assert_nonnull (strstr (text, "Total paid       JPY 14400\n"));
  g_assert_nonnull (strstr (text, "Tendered         JPY 20000\n"));
  g_assert_nonnull (strstr (text, "Change           JPY 5600\n"));
  g_assert_nonnull (strstr (text, "Lost ticket"));
  /* No amount anywhere has decimals. */
  for (p = strstr (text, "JPY "); p != NULL; p = strstr (p + 4, "JPY "))
    {
      const char *q = p + 4;

      while (g_ascii_isdigit (*q))
        q++;
      g_assert_cmpint (*q, !=, '.');
    }
}

/* ---- 6. events ---------------------------------------------------------------------------- */

/* The types of the events of @reservation_id (its own and its payments'), in order, read
 * from the database file with the sqlite3 shell, read-only. NULL without the shell. */
static char **
event_types (const char *db_path,
             const char *reservation_id)
{
  g_autofree char *shell = g_find_program_in_path ("sqlite3");
  g_autofree char *sql = NULL, *uri = NULL, *out = NULL, *err = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  if (g_str_has_prefix (db_path, "postgresql://"))
    {
      sql = g_strdup_printf ("SELECT string_agg (type, E'\\n' ORDER BY seq) FROM events "
                             "WHERE aggregate = 'reservation:%s' "
                             "OR payload::json ->> 'reservation_id' = '%s'",
                             reservation_id, reservation_id);
      out = park_test_postgresql_value (db_path, sql);
      g_test_message ("events of %s:\n%s", reservation_id, out);
      return g_strsplit (out, "\n", -1);
    }
  if (shell == NULL)
    return NULL;
  sql = g_strdup_printf ("SELECT type FROM events WHERE aggregate = 'reservation:%s' "
                         "OR json_extract (payload, '$.reservation_id') = '%s' ORDER BY seq;",
                         reservation_id, reservation_id);
  uri = g_strdup_printf ("file:%s?mode=ro", db_path);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, shell, "-batch", "-readonly", uri, sql, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("events of %s:\n%s%s", reservation_id, out, err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  return g_strsplit (g_strstrip (out), "\n", -1);
}

static void
test_events (Fixture       *f,
             gconstpointer  data)
{
  static const char * const expected[] = {
    "ParkingSpotBooked", "PaymentProcessed", "ReservationCancelled", "ParkingSpotReleased",
  };
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *start = local_time (4, 10), *end = local_time (4, 12);
  g_autoptr(JsonObject) booking = book (f, &f->driver, lot, start, end);
  g_autoptr(ParkTestResponse) paid = NULL, cancelled = NULL;
  g_autofree char *path = NULL, *id = g_strdup (str (booking, "id"));
  g_auto(GStrv) types = NULL;
  guint next = 0;

  paid = pay_card (f, id, "pm_card_visa", NULL);
  g_assert_cmpuint (paid->status, ==, 201);
  path = g_strdup_printf ("api/v1/reservations/%s", id);
  cancelled = expect (f, f->driver.access, "DELETE", path, NULL, 200);

  park_test_backend_stop (f->backend);
  types = event_types (f->backend->db_path, id);
  /* build-aux/dev installs the shell; without it this check must not pass silently. */
  if (types == NULL)
    g_error ("the sqlite3 shell is needed to read the event outbox (apt-get install sqlite3)");
  /* Others (ReservationConfirmed, PaymentRefunded) may come between; these come in order. */
  for (guint i = 0; types[i] != NULL && next < G_N_ELEMENTS (expected); i++)
    if (g_str_equal (types[i], expected[next]))
      next++;
  if (next < G_N_ELEMENTS (expected))
    g_test_message ("missing or out of order: %s", expected[next]);
  g_assert_cmpuint (next, ==, G_N_ELEMENTS (expected));
}

/* ---- 5. money taken and not recorded ------------------------------------------------------ */

/* A POST from a curl process of its own, answered while the test goes on: the booth whose
 * request is on the wire when something else happens. */
static GSubprocess *
post_apart (Fixture    *f,
            const char *token,
            const char *path,
            const char *body,
            const char *key,
            const char *out_path)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GSubprocess *curl;

  g_ptr_array_add (argv, g_strdup ("curl"));
  g_ptr_array_add (argv, g_strdup ("-sS"));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup (out_path));
  g_ptr_array_add (argv, g_strdup ("-w"));
  g_ptr_array_add (argv, g_strdup ("%{http_code}"));
  g_ptr_array_add (argv, g_strdup ("-H"));
  g_ptr_array_add (argv, g_strdup_printf ("Authorization: Bearer %s", token));
  g_ptr_array_add (argv, g_strdup ("-H"));
  g_ptr_array_add (argv, g_strdup ("Content-Type: application/json"));
  if (key != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("-H"));
      g_ptr_array_add (argv, g_strdup_printf ("Idempotency-Key: %s", key));
    }
  g_ptr_array_add (argv, g_strdup ("--data-binary"));
  g_ptr_array_add (argv, g_strdup (body));
  g_ptr_array_add (argv, g_strconcat (f->backend->url, path, NULL));
  g_ptr_array_add (argv, NULL);
  curl = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            &error);
  g_assert_no_error (error);
  return curl;
}

/* The HTTP status curl got (0: no answer) and, with @body, the answer's JSON. */
static guint
finish_apart (GSubprocess  *curl,
              const char   *out_path,
              JsonObject  **body)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL, *text = NULL;

  g_subprocess_communicate_utf8 (curl, NULL, NULL, &status, NULL, &error);
  g_assert_no_error (error);
  if (body != NULL)
    {
      g_autoptr(JsonNode) node = NULL;

      g_assert_true (g_file_get_contents (out_path, &text, NULL, NULL));
      node = json_from_string (text, &error);
      g_assert_no_error (error);
      *body = json_object_ref (json_node_get_object (node));
    }
  return (guint) g_ascii_strtoull (status != NULL ? status : "0", NULL, 10);
}

/* Waits until the fake Stripe has made @n charges in all. */
static void
await_charges (Fixture *f,
               guint    n)
{
  gint64 deadline = g_get_monotonic_time () +
                    10 * G_USEC_PER_SEC * park_test_timeout_multiplier ();

  while (park_test_stripe_count_charges (f->stripe) < n)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Stripe saw %u charges, not %u", park_test_stripe_count_charges (f->stripe), n);
      g_usleep (10 * 1000);
    }
}

/* Whether @operator's audit log has an entry @action. */
static gboolean
audited (Fixture    *f,
         const char *action)
{
  g_autoptr(ParkTestResponse) page = expect (f, f->op.access, "GET",
                                             "api/v1/admin/audit-log?per_page=100", NULL, 200);
  JsonArray *items = json_object_get_array_member (object_of (page), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (str (json_array_get_object_element (items, i), "action"), action) == 0)
      return TRUE;
  return FALSE;
}

/* A car checked in at the walk-in lot, priced at 3.00 an hour: the path of its check-out
 * (whose lost-ticket fee is *@fee). */
static char *
walk_in_for_card (Fixture    *f,
                  const char *plate,
                  gint64     *fee)
{
  g_autofree char *lot = lot_id (f, WALK_IN_LOT);
  g_autofree char *pricing = g_strdup_printf ("api/v1/admin/parking-lots/%s/pricing", lot);
  g_autofree char *in_body = g_strdup_printf ("{\"parking_lot_id\":\"%s\",\"plate\":\"%s\"}",
                                              lot, plate);
  g_autoptr(ParkTestResponse) put = NULL, in = NULL;

  put = expect (f, f->op.access, "PUT", pricing, "{\"rates\":{\"regular\":300}}", 200);
  *fee = num (obj (object_of (put), "effective"), "lost_ticket_fee");
  in = check_in (f, &f->attendant, in_body);
  g_assert_cmpuint (in->status, ==, 201);
  return g_strdup (str (object_of (in), "ticket"));
}

/* The driver's card goes through at Stripe while a colleague takes cash for the same stay:
 * the cash is recorded first, so the card's charge, which nothing records, is given back at
 * once, and the booth is told so. */
static void
test_walk_in_card_raced (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *window = shift_window ();
  g_autofree char *out_path = g_build_filename (f->backend->tmpdir, "raced.json", NULL);
  g_autofree char *path = NULL, *intent = NULL, *cash_body = NULL, *ticket = NULL;
  g_autoptr(ParkTestResponse) cash = NULL, report = NULL, stay = NULL;
  g_autoptr(GSubprocess) curl = NULL;
  g_autoptr(JsonObject) answer = NULL;
  guint charges, refunds;
  gint64 fee;

  ticket = walk_in_for_card (f, "DD-RC 1", &fee);
  path = g_strdup_printf ("api/v1/sessions/%s/check-out", ticket);
  charges = park_test_stripe_count_charges (f->stripe);
  refunds = park_test_stripe_count (f->stripe, "/v1/refunds");

  /* Stripe charges at once and answers late; meanwhile the stay is paid in cash. */
  park_test_stripe_set_delay (f->stripe, 1500 * park_test_timeout_multiplier ());
  curl = post_apart (f, f->attendant.access, path,
                     "{\"lost_ticket\":true,\"provider\":\"stripe\","
                     "\"payment_method\":\"pm_card_visa\"}", NULL, out_path);
  await_charges (f, charges + 1);
  intent = park_test_stripe_dup_last_intent (f->stripe);
  park_test_stripe_set_delay (f->stripe, 0);
  cash_body = g_strdup_printf ("{\"lost_ticket\":true,\"tendered\":%" G_GINT64_FORMAT "}", fee);
  cash = check_out (f, ticket, cash_body);
  g_assert_cmpuint (cash->status, ==, 200);
  g_assert_cmpstr (str (obj (object_of (cash), "session"), "status"), ==, "paid");

  /* The card's answer: the stay moved on, and the card got its money back. */
  g_assert_cmpuint (finish_apart (curl, out_path, &answer), ==, 409);
  g_assert_cmpstr (str (answer, "code"), ==, "invalid-state");
  g_assert_nonnull (strstr (str (answer, "detail"), "the card payment was refunded"));
  g_assert_cmpuint (park_test_stripe_count (f->stripe, "/v1/refunds"), ==, refunds + 1);
  g_assert_cmpint (park_test_stripe_get_refunded (f->stripe, intent), ==, fee);
  g_assert_true (audited (f, "payment.void"));

  /* Only the cash is recorded: one payment, in the attendant's drawer. */
  stay = get_stay (f, ticket);
  g_assert_cmpstr (str (object_of (stay), "status"), ==, "paid");
  report = cash_report (f, &f->attendant, window);
  assert_one_payment_drawer (object_of (report), &f->attendant, fee);
}

/* The driver cancels on the phone while the kiosk's card payment is on its way to Stripe: the
 * booking takes no more money when the charge comes back, so the charge is given back. */
static void
test_card_raced_cancel (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *start = local_time (3, 17), *end = local_time (3, 18);
  g_autoptr(JsonObject) booking = book (f, &f->driver, lot, start, end);
  g_autofree char *out_path = g_build_filename (f->backend->tmpdir, "cancel.json", NULL);
  g_autofree char *pay_path = NULL, *path = NULL, *intent = NULL;
  g_autoptr(ParkTestResponse) cancelled = NULL;
  g_autoptr(GSubprocess) curl = NULL;
  g_autoptr(JsonObject) answer = NULL, now = NULL;
  const char *id = str (booking, "id");
  guint charges;

  charges = park_test_stripe_count_charges (f->stripe);
  pay_path = g_strdup_printf ("api/v1/reservations/%s/payments", id);
  park_test_stripe_set_delay (f->stripe, 1500 * park_test_timeout_multiplier ());
  curl = post_apart (f, f->driver.access, pay_path,
                     "{\"provider\":\"stripe\",\"payment_method\":\"pm_card_visa\"}", NULL,
                     out_path);
  await_charges (f, charges + 1);
  intent = park_test_stripe_dup_last_intent (f->stripe);
  park_test_stripe_set_delay (f->stripe, 0);
  path = g_strdup_printf ("api/v1/reservations/%s", id);
  cancelled = expect (f, f->driver.access, "DELETE", path, NULL, 200);

  g_assert_cmpuint (finish_apart (curl, out_path, &answer), ==, 409);
  g_assert_cmpstr (str (answer, "code"), ==, "invalid-state");
  g_assert_nonnull (strstr (str (answer, "detail"), "the card payment was refunded"));
  g_assert_cmpint (park_test_stripe_get_refunded (f->stripe, intent),
                   ==, num (booking, "total_cost"));
  now = get_booking (f, &f->driver, id);
  g_assert_cmpstr (str (now, "status"), ==, "cancelled");
  g_assert_cmpint (num (now, "paid"), ==, 0);
}

/* An event from Stripe about @intent, with the intent made @age_s seconds ago, signed. */
static ParkTestResponse *
send_intent_event (Fixture    *f,
                   const char *type,
                   const char *intent,
                   gint64      age_s)
{
  g_autofree char *event = park_test_stripe_event_json (f->stripe, type, intent);
  g_autoptr(JsonNode) node = json_from_string (event, NULL);
  JsonObject *object = json_object_get_object_member (
    json_object_get_object_member (json_node_get_object (node), "data"), "object");
  g_autofree char *payload = NULL, *signature = NULL;

  json_object_set_int_member (object, "created", g_get_real_time () / G_USEC_PER_SEC - age_s);
  payload = json_to_string (node, FALSE);
  signature = park_test_stripe_sign (f->stripe, payload, g_get_real_time () / G_USEC_PER_SEC);
  return send_webhook (f, payload, signature);
}

/* parkd dies after Stripe charged the card and before the payment was written: nothing
 * records that money. Stripe's webhook brings it up; while the booth's request might still be
 * recording it parkd asks for the event again later, after that it refunds the charge. The
 * booth, sending its check-out again with the same key, pays with a fresh charge. */
static void
test_walk_in_card_unrecorded (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *out_path = g_build_filename (f->backend->tmpdir, "killed.json", NULL);
  const char *card = "{\"lost_ticket\":true,\"provider\":\"stripe\","
                     "\"payment_method\":\"pm_card_visa\"}";
  g_autofree char *path = NULL, *intent = NULL, *ticket = NULL;
  g_autoptr(ParkTestResponse) early = NULL, late = NULL, again = NULL;
  g_autoptr(ParkTestResponse) stay = NULL, paid = NULL, receipt = NULL;
  g_autoptr(GSubprocess) curl = NULL;
  g_autoptr(GError) error = NULL;
  guint charges, refunds;
  gint64 fee;

  ticket = walk_in_for_card (f, "DD-UC 1", &fee);
  path = g_strdup_printf ("api/v1/sessions/%s/check-out", ticket);
  charges = park_test_stripe_count_charges (f->stripe);

  /* Charged; parkd is killed while Stripe's answer is on its way. */
  park_test_stripe_set_delay (f->stripe, 60 * 1000);
  curl = post_apart (f, f->attendant.access, path, card, "booth-9-out-1", out_path);
  await_charges (f, charges + 1);
  intent = park_test_stripe_dup_last_intent (f->stripe);
  g_subprocess_send_signal (f->backend->process, SIGKILL);
  g_subprocess_wait (f->backend->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&f->backend->process);
  g_assert_cmpuint (finish_apart (curl, out_path, NULL), ==, 0);
  park_test_stripe_set_delay (f->stripe, 0);
  soup_session_abort (f->backend->session);
  park_test_backend_start (f->backend, (const char * const *) f->args->pdata);

  /* Nothing was recorded: the stay still owes its fee. */
  stay = get_stay (f, ticket);
  g_assert_cmpstr (str (object_of (stay), "status"), ==, "active");

  /* Stripe's webhook, moments after the charge: the request may still be recording it. */
  refunds = park_test_stripe_count (f->stripe, "/v1/refunds");
  early = send_intent_event (f, "payment_intent.succeeded", intent, 5);
  park_test_assert_problem (early, 503, "payment-not-recorded-yet", NULL);
  g_assert_cmpuint (park_test_stripe_count (f->stripe, "/v1/refunds"), ==, refunds);

  /* Stripe sends it again an hour on: nobody recorded it, so the driver gets it back. */
  late = send_intent_event (f, "payment_intent.succeeded", intent, 3600);
  g_assert_cmpuint (late->status, ==, 200);
  g_assert_cmpint (park_test_stripe_get_refunded (f->stripe, intent), ==, fee);
  g_assert_cmpuint (park_test_stripe_count (f->stripe, "/v1/refunds"), ==, refunds + 1);
  g_assert_true (audited (f, "payment.void"));
  /* ... once: the event again changes nothing. */
  again = send_intent_event (f, "payment_intent.succeeded", intent, 3600);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_cmpuint (park_test_stripe_count (f->stripe, "/v1/refunds"), ==, refunds + 1);

  /* The booth sends its check-out again, same key: Stripe would hand back the refunded
   * charge, so parkd charges afresh, once, and records that. */
  paid = check_out_keyed (f, ticket, card, "booth-9-out-1");
  g_assert_cmpuint (paid->status, ==, 200);
  g_assert_cmpstr (str (obj (object_of (paid), "session"), "status"), ==, "paid");
  g_assert_cmpuint (park_test_stripe_count_charges (f->stripe), ==, charges + 2);
  receipt = receipt_of (f, &f->attendant, str (object_of (paid), "payment_id"), FALSE);
  g_assert_cmpstr (str (obj (object_of (receipt), "payment"), "provider_ref"), !=, intent);
  g_assert_cmpint (num (obj (object_of (receipt), "payment"), "amount"), ==, fee);
}

/* Stripe is down when a paid booking is cancelled: the cancellation stands, the refund is
 * owed, and parkd makes it once Stripe answers again; the payment shows it then. */
static void
test_cancel_refund_retried (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *start = local_time (3, 14), *end = local_time (3, 16);
  g_autoptr(JsonObject) booking = book (f, &f->driver, lot, start, end);
  g_autoptr(ParkTestResponse) paid = NULL, cancelled = NULL;
  g_autofree char *path = NULL, *intent = NULL;
  const char *id = str (booking, "id");
  gint64 total = num (booking, "total_cost");
  gint64 deadline;
  guint refunds;

  paid = pay_card (f, id, "pm_card_visa", NULL);
  g_assert_cmpuint (paid->status, ==, 201);
  intent = g_strdup (str (obj (object_of (paid), "payment"), "provider_ref"));
  refunds = park_test_stripe_count (f->stripe, "/v1/refunds");

  park_test_stripe_set_failing (f->stripe, "/v1/refunds");
  path = g_strdup_printf ("api/v1/reservations/%s", id);
  cancelled = expect (f, f->driver.access, "DELETE", path, NULL, 200);
  g_assert_cmpstr (str (object_of (cancelled), "status"), ==, "cancelled");
  g_assert_cmpint (num (object_of (cancelled), "paid"), ==, total);
  g_assert_cmpuint (park_test_stripe_count (f->stripe, "/v1/refunds"), >, refunds);
  g_assert_cmpint (park_test_stripe_get_refunded (f->stripe, intent), ==, 0);

  /* Stripe is back: the worker makes the refund within its interval. */
  park_test_stripe_set_failing (f->stripe, NULL);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC * park_test_timeout_multiplier ();
  for (;;)
    {
      g_autoptr(JsonObject) now = get_booking (f, &f->driver, id);

      if (num (now, "paid") == 0)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("the refund owed was not made: %" G_GINT64_FORMAT " still paid",
                 num (now, "paid"));
      g_usleep (100 * 1000);
    }
  g_assert_cmpint (park_test_stripe_get_refunded (f->stripe, intent), ==, total);
}

/* ---- Paying on Stripe's page (Checkout), from a phone at a kiosk (issue 7) ---------- */

static ParkTestResponse *
checkout (Fixture    *f,
          Account    *account,
          const char *reservation)
{
  g_autofree char *path = g_strdup_printf ("api/v1/reservations/%s/checkout", reservation);

  return park_test_call (f->backend, account->access, "POST", path, NULL);
}

static void
test_checkout_paid (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *start = local_time (1, 14), *end = local_time (1, 16);
  g_autoptr(JsonObject) booking = book (f, &f->driver, lot, start, end);
  g_autoptr(JsonObject) session = NULL, unpaid = NULL, paid = NULL, unchanged = NULL;
  g_autoptr(JsonObject) intent = NULL;
  g_autoptr(ParkTestResponse) made = NULL, again = NULL, other = NULL, more = NULL;
  g_autoptr(ParkTestResponse) hook = NULL;
  g_autofree char *page = NULL, *declined = NULL, *event = NULL, *signature = NULL;
  g_autofree char *before = NULL, *after = NULL, *amount = NULL, *name = NULL;
  g_autofree char *url_prefix = g_strconcat (park_test_stripe_get_url (f->stripe), "/c/pay/cs_",
                                             NULL);
  const char *id = str (booking, "id");
  gint64 total = num (booking, "total_cost");
  JsonObject *made_checkout, *payment;
  const char *cs, *url;
  guint charges = park_test_stripe_count_charges (f->stripe);

  made = checkout (f, &f->driver, id);
  g_assert_cmpuint (made->status, ==, 201);
  made_checkout = obj (object_of (made), "checkout");
  payment = obj (object_of (made), "payment");
  cs = str (made_checkout, "id");
  url = str (made_checkout, "url");
  g_assert_true (g_str_has_prefix (url, url_prefix));
  g_assert_cmpstr (str (payment, "provider_ref"), ==, cs);
  g_assert_cmpstr (str (payment, "status"), ==, "pending");
  g_assert_cmpint (num (payment, "amount"), ==, total);
  g_assert_cmpstr (str (obj (object_of (made), "reservation"), "status"), ==, "pending_payment");

  /* What Stripe was asked for, in its form-encoded wire format. */
  amount = park_test_stripe_dup_last_param (f->stripe, "line_items[0][price_data][unit_amount]");
  name = park_test_stripe_dup_last_param (f->stripe,
                                          "line_items[0][price_data][product_data][name]");
  g_assert_cmpint (g_ascii_strtoll (amount, NULL, 10), ==, total);
  g_assert_nonnull (strstr (name, str (booking, "code")));
  session = park_test_stripe_get_checkout (f->stripe, cs);
  g_assert_cmpstr (json_object_get_string_member (session, "currency"), ==, "eur");
  g_assert_cmpstr (json_object_get_string_member (session, "success_url"), ==,
                   "https://kiosk.example.org/paid");
  g_assert_cmpstr (json_object_get_string_member (session, "cancel_url"), ==,
                   "https://kiosk.example.org/not-paid");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (session,
                                                                                 "metadata"),
                                                  "reservation_id"), ==, id);
  g_assert_cmpint (json_object_get_int_member (session, "expires_at"), >=,
                   g_get_real_time () / G_USEC_PER_SEC + 1800);

  /* Asked again (a second tap, a lost answer): the same page. Not the driver: refused. */
  again = checkout (f, &f->driver, id);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_cmpstr (str (obj (object_of (again), "checkout"), "id"), ==, cs);
  other = checkout (f, &f->driver2, id);
  park_test_assert_problem (other, 404, "not-found", NULL);

  /* The phone opens the page; a declined card leaves the booking waiting. */
  g_assert_cmpuint (park_test_stripe_visit_checkout (url, NULL, &page), ==, 200);
  g_assert_cmpuint (park_test_stripe_visit_checkout (url, "pm_card_chargeDeclined", &declined),
                    ==, 402);
  unpaid = get_booking (f, &f->driver, id);
  g_assert_cmpstr (str (unpaid, "status"), ==, "pending_payment");
  g_assert_cmpint (num (unpaid, "paid"), ==, 0);

  /* A good card: Stripe sends checkout.session.completed, signed, and parkd confirms. */
  g_clear_pointer (&page, g_free);
  g_assert_cmpuint (park_test_stripe_visit_checkout (url, "pm_card_visa", &page), ==, 200);
  g_assert_nonnull (strstr (page, "webhook answered 200"));
  paid = get_booking (f, &f->driver, id);
  assert_paid_booking (paid, total);
  g_clear_pointer (&session, json_object_unref);
  session = park_test_stripe_get_checkout (f->stripe, cs);
  intent = park_test_stripe_get_intent (f->stripe,
                                        json_object_get_string_member (session, "payment_intent"));
  g_assert_cmpint (json_object_get_int_member (intent, "amount_received"), ==, total);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (intent,
                                                                                 "metadata"),
                                                  "reservation_id"), ==, id);
  g_assert_cmpuint (park_test_stripe_count_charges (f->stripe), ==, charges + 2);

  /* Delivered again: nothing changes, nothing is refunded. */
  event = park_test_stripe_checkout_event_json (f->stripe, "checkout.session.completed", cs);
  signature = park_test_stripe_sign (f->stripe, event, g_get_real_time () / G_USEC_PER_SEC);
  hook = send_webhook (f, event, signature);
  g_assert_cmpuint (hook->status, ==, 200);
  unchanged = get_booking (f, &f->driver, id);
  before = object_to_string (paid);
  after = object_to_string (unchanged);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (park_test_stripe_get_refunded (f->stripe,
                                                  json_object_get_string_member (intent, "id")),
                   ==, 0);

  /* The payment is the intent now (a refund goes to it), and nothing is left to pay. */
  {
    g_autoptr(ParkTestResponse) cancelled = NULL;
    g_autofree char *path = g_strdup_printf ("api/v1/reservations/%s", id);

    more = checkout (f, &f->driver, id);
    park_test_assert_problem (more, 409, "nothing-to-pay", NULL);
    cancelled = expect (f, f->driver.access, "DELETE", path, NULL, 200);
    g_assert_cmpint (park_test_stripe_get_refunded (f->stripe,
                                                    json_object_get_string_member (intent, "id")),
                     ==, total);
  }
}

/* The driver gives up at the kiosk: the booking is cancelled, its page closes at Stripe, and
 * a phone that opens it later cannot pay. */
static void
test_checkout_cancelled (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *start = local_time (1, 17), *end = local_time (1, 18);
  g_autoptr(JsonObject) booking = book (f, &f->driver, lot, start, end);
  g_autoptr(JsonObject) session = NULL;
  g_autoptr(ParkTestResponse) made = NULL, cancelled = NULL, hook = NULL;
  g_autofree char *path = NULL, *cs = NULL, *url = NULL, *event = NULL, *signature = NULL;
  const char *id = str (booking, "id");
  guint charges = park_test_stripe_count_charges (f->stripe);

  made = checkout (f, &f->driver, id);
  g_assert_cmpuint (made->status, ==, 201);
  cs = g_strdup (str (obj (object_of (made), "checkout"), "id"));
  url = g_strdup (str (obj (object_of (made), "checkout"), "url"));
  path = g_strdup_printf ("api/v1/reservations/%s", id);
  cancelled = expect (f, f->driver.access, "DELETE", path, NULL, 200);
  g_assert_cmpstr (str (object_of (cancelled), "status"), ==, "cancelled");
  session = park_test_stripe_get_checkout (f->stripe, cs);
  g_assert_cmpstr (json_object_get_string_member (session, "status"), ==, "expired");
  g_assert_cmpuint (park_test_stripe_visit_checkout (url, "pm_card_visa", NULL), ==, 404);
  g_assert_cmpuint (park_test_stripe_count_charges (f->stripe), ==, charges);

  /* Stripe's checkout.session.expired follows; as often as it comes, it changes nothing. */
  event = park_test_stripe_checkout_event_json (f->stripe, "checkout.session.expired", cs);
  signature = park_test_stripe_sign (f->stripe, event, g_get_real_time () / G_USEC_PER_SEC);
  hook = send_webhook (f, event, signature);
  g_assert_cmpuint (hook->status, ==, 200);
  {
    g_autoptr(JsonObject) now = get_booking (f, &f->driver, id);

    g_assert_cmpstr (str (now, "status"), ==, "cancelled");
    g_assert_cmpint (num (now, "paid"), ==, 0);
  }
}

/* A page Stripe could not close (an outage at the moment of the cancel) is paid after the
 * booking was cancelled: the money goes back, and the booking stays cancelled. A page that
 * times out at Stripe ends its payment as failed. */
static void
test_checkout_paid_too_late (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *start = local_time (1, 19), *end = local_time (1, 21);
  g_autofree char *start2 = local_time (1, 22), *end2 = local_time (1, 23);
  g_autoptr(JsonObject) booking = book (f, &f->driver, lot, start, end);
  g_autoptr(JsonObject) booking2 = book (f, &f->driver, lot, start2, end2);
  g_autoptr(JsonObject) session = NULL, now = NULL, pending = NULL;
  g_autoptr(ParkTestResponse) made = NULL, made2 = NULL, cancelled = NULL, hook = NULL;
  g_autofree char *path = NULL, *cs = NULL, *cs2 = NULL, *url = NULL, *page = NULL;
  g_autofree char *expire_path = NULL, *event = NULL, *signature = NULL;
  const char *id = str (booking, "id");
  gint64 total = num (booking, "total_cost");

  made = checkout (f, &f->driver, id);
  g_assert_cmpuint (made->status, ==, 201);
  cs = g_strdup (str (obj (object_of (made), "checkout"), "id"));
  url = g_strdup (str (obj (object_of (made), "checkout"), "url"));
  expire_path = g_strdup_printf ("/v1/checkout/sessions/%s/expire", cs);
  park_test_stripe_set_failing (f->stripe, expire_path);
  path = g_strdup_printf ("api/v1/reservations/%s", id);
  cancelled = expect (f, f->driver.access, "DELETE", path, NULL, 200);
  park_test_stripe_set_failing (f->stripe, NULL);

  g_assert_cmpuint (park_test_stripe_visit_checkout (url, "pm_card_visa", &page), ==, 200);
  g_assert_nonnull (strstr (page, "webhook answered 200"));
  session = park_test_stripe_get_checkout (f->stripe, cs);
  g_assert_cmpint (park_test_stripe_get_refunded (f->stripe,
                                                  json_object_get_string_member (session,
                                                                                 "payment_intent")),
                   ==, total);
  now = get_booking (f, &f->driver, id);
  g_assert_cmpstr (str (now, "status"), ==, "cancelled");
  g_assert_cmpint (num (now, "paid"), ==, 0);

  /* A second booking's page runs out at Stripe: its payment fails; the booking still waits
   * (until its own hold runs out), and a new page can be asked for. */
  made2 = checkout (f, &f->driver, str (booking2, "id"));
  g_assert_cmpuint (made2->status, ==, 201);
  cs2 = g_strdup (str (obj (object_of (made2), "checkout"), "id"));
  g_assert_true (park_test_stripe_expire_checkout (f->stripe, cs2));
  event = park_test_stripe_checkout_event_json (f->stripe, "checkout.session.expired", cs2);
  signature = park_test_stripe_sign (f->stripe, event, g_get_real_time () / G_USEC_PER_SEC);
  hook = send_webhook (f, event, signature);
  g_assert_cmpuint (hook->status, ==, 200);
  pending = get_booking (f, &f->driver, str (booking2, "id"));
  g_assert_cmpstr (str (pending, "status"), ==, "pending_payment");
  {
    g_autoptr(ParkTestResponse) fresh = checkout (f, &f->driver, str (booking2, "id"));

    g_assert_cmpuint (fresh->status, ==, 201);
    g_assert_cmpstr (str (obj (object_of (fresh), "checkout"), "id"), !=, cs2);
  }
}

/* The booking grows while its page is open: asked again, the old page (for the old amount)
 * is closed at Stripe and a new one asks for the new amount. */
static void
test_checkout_amount_changed (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *lot = lot_id (f, BOOKING_LOT);
  g_autofree char *start = local_time (2, 16), *end = local_time (2, 17);
  g_autofree char *later = local_time (2, 18);
  g_autoptr(JsonObject) booking = book (f, &f->driver, lot, start, end);
  g_autoptr(JsonObject) old_session = NULL;
  g_autoptr(ParkTestResponse) first = NULL, extended = NULL, second = NULL;
  g_autofree char *path = NULL, *body = NULL, *cs = NULL, *old_url = NULL;
  const char *id = str (booking, "id");

  first = checkout (f, &f->driver, id);
  g_assert_cmpuint (first->status, ==, 201);
  cs = g_strdup (str (obj (object_of (first), "checkout"), "id"));
  old_url = g_strdup (str (obj (object_of (first), "checkout"), "url"));
  path = g_strdup_printf ("api/v1/reservations/%s", id);
  body = g_strdup_printf ("{\"end_time\":\"%s\"}", later);
  extended = expect (f, f->driver.access, "PUT", path, body, 200);

  second = checkout (f, &f->driver, id);
  g_assert_cmpuint (second->status, ==, 201);
  g_assert_cmpstr (str (obj (object_of (second), "checkout"), "id"), !=, cs);
  g_assert_cmpint (num (obj (object_of (second), "payment"), "amount"), ==,
                   num (object_of (extended), "total_cost"));
  old_session = park_test_stripe_get_checkout (f->stripe, cs);
  g_assert_cmpstr (json_object_get_string_member (old_session, "status"), ==, "expired");
  g_assert_cmpuint (park_test_stripe_visit_checkout (old_url, "pm_card_visa", NULL), ==, 404);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func, setup) \
  g_test_add ("/payments/" path, Fixture, GINT_TO_POINTER (setup), fixture_setup, func, \
              fixture_teardown)

  ADD ("card/pay", test_card_pay, STRIPE_FULL);
  ADD ("card/retry-same-key", test_card_retry, STRIPE_FULL);
  ADD ("card/declined", test_card_declined, STRIPE_FULL);
  ADD ("card/3ds-webhook", test_card_3ds_webhook, STRIPE_FULL);
  ADD ("card/webhook-forged", test_card_webhook_forged, STRIPE_FULL);
  ADD ("card/webhook-not-set-up", test_card_webhook_not_set_up, STRIPE_NO_WEBHOOK);
  ADD ("card/provider-unreachable", test_card_provider_unreachable, STRIPE_UNREACHABLE);
  ADD ("cancel/refund", test_cancel_refund, STRIPE_FULL);
  ADD ("cash/booth", test_cash_at_booth, STRIPE_FULL);
  ADD ("cash/report", test_cash_report, STRIPE_FULL);
  ADD ("pricing/policy", test_pricing_policy, STRIPE_FULL);
  ADD ("pricing/discount-code", test_discount_code, STRIPE_FULL);
  ADD ("sessions/walk-in", test_walk_in, STRIPE_FULL);
  ADD ("sessions/lost-ticket", test_walk_in_lost_ticket, STRIPE_FULL);
  ADD ("sessions/validation", test_walk_in_validation, STRIPE_FULL);
  ADD ("sessions/booking", test_check_in_booking, STRIPE_FULL);
  ADD ("sessions/cash-receipt", test_walk_in_cash_receipt, STRIPE_FULL);
  ADD ("sessions/exit-grace", test_walk_in_exit_grace, STRIPE_FULL);
  ADD ("sessions/idempotent", test_walk_in_idempotent, STRIPE_FULL);
  ADD ("sessions/card", test_walk_in_card, STRIPE_FULL);
  ADD ("sessions/receipt-jpy", test_walk_in_receipt_jpy, STRIPE_FULL);
  ADD ("sessions/card-raced", test_walk_in_card_raced, STRIPE_FULL);
  ADD ("sessions/card-unrecorded", test_walk_in_card_unrecorded, STRIPE_FULL);
  ADD ("cancel/refund-retried", test_cancel_refund_retried, STRIPE_FULL);
  ADD ("card/raced-cancel", test_card_raced_cancel, STRIPE_FULL);
  ADD ("events/booking-payment-cancel", test_events, STRIPE_FULL);
  ADD ("checkout/paid", test_checkout_paid, STRIPE_FULL);
  ADD ("checkout/cancelled", test_checkout_cancelled, STRIPE_FULL);
  ADD ("checkout/paid-too-late", test_checkout_paid_too_late, STRIPE_FULL);
  ADD ("checkout/amount-changed", test_checkout_amount_changed, STRIPE_FULL);

#undef ADD

  return g_test_run ();
}
