/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The embedded store's accounts, sessions, audit log and the staff's writes to operators,
 * lots and spots, checked against the contract in parkd-store.h on a real SQLite database in
 * a temporary directory. Where the contract promises housekeeping the API cannot show
 * (expired revocations deleted), the test looks into the database file itself.
 */
#include "park-test-backend.h"

#include "parkd-hours.h"
#include "parkd-store.h"

#include <sqlite3.h>
#include <string.h>

#define FUTURE "2999-01-01T00:00:00Z"
#define PAST "2000-01-01T00:00:00Z"

typedef struct
{
  char       *dir;
  char       *path;
  ParkdStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("parkd-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "park.db", NULL);
  f->store = parkd_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->store, parkd_store_free);
  park_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
fixture_reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&f->store, parkd_store_free);
  f->store = parkd_store_open (f->path, &error);
  g_assert_no_error (error);
}

/* A number straight from the database file, for what the API does not show. */
static gint64
db_count (Fixture    *f,
          const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static guint64
audit_total (Fixture    *f,
             const char *operator_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdPage) page = parkd_store_list_audit (f->store, operator_id, 1, 1, &error);

  g_assert_no_error (error);
  return page->total;
}

static GBytes *
bytes_of (char  c,
          gsize n)
{
  guint8 *data = g_malloc (n);

  memset (data, c, n);
  return g_bytes_new_take (data, n);
}

static ParkdOperator *
make_operator (Fixture    *f,
               const char *slug,
               const char *name)
{
  g_autoptr(GError) error = NULL;
  ParkdOperator want = {
    .slug = (char *) slug,
    .name = (char *) name,
    .city = (char *) "Dresden",
    .time_zone = (char *) "Europe/Berlin",
    .currency = (char *) "EUR",
  };
  ParkdOperator *op = parkd_store_create_operator (f->store, &want, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (op);
  return op;
}

static ParkdUser *
make_user (Fixture     *f,
           const char  *email,
           ParkdRole    role,
           const char  *operator_id,
           GError     **error)
{
  ParkdUser want = {
    .email = (char *) email,
    .password_hash = (char *) "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
    .first_name = (char *) "Ann",
    .last_name = (char *) "Example",
    .role = role,
    .operator_id = (char *) operator_id,
  };

  return parkd_store_create_user (f->store, &want, NULL, error);
}

static ParkdUser *
make_driver (Fixture    *f,
             const char *email)
{
  g_autoptr(GError) error = NULL;
  ParkdUser *user = make_user (f, email, PARKD_ROLE_DRIVER, NULL, &error);

  g_assert_no_error (error);
  return user;
}

static ParkdNewLot
new_lot (const char *operator_id,
         const char *name,
         double      lat,
         double      lng)
{
  ParkdNewLot nl = { 0, };

  nl.lot.operator_id = (char *) operator_id;
  nl.lot.name = (char *) name;
  nl.lot.address = (char *) "Teststraße 1";
  nl.lot.lat = lat;
  nl.lot.lng = lng;
  nl.lot.lot_type = (char *) "surface";
  nl.lot.hourly_rate = 150;
  nl.lot.operating_hours = parkd_hours_always_open ();
  nl.n_spots[PARKD_SPOT_TYPE_REGULAR] = 3;
  nl.n_spots[PARKD_SPOT_TYPE_EV] = 1;
  nl.n_levels = 1;
  return nl;
}

/* Is @lot_id among the lots within 500 m of (lat, lng)? */
static gboolean
search_finds (Fixture    *f,
              double      lat,
              double      lng,
              const char *lot_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdPage) page = NULL;
  ParkdLotQuery query = {
    .lat = lat,
    .lng = lng,
    .radius_m = 500,
    .page = 1,
    .per_page = 50,
  };

  page = parkd_store_search_lots (f->store, &query, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < page->items->len; i++)
    {
      ParkdLot *lot = g_ptr_array_index (page->items, i);

      if (g_strcmp0 (lot->id, lot_id) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_users (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdOperator) op = make_operator (f, "city-parking", "City Parking");
  g_autoptr(ParkdUser) user = NULL;
  g_autoptr(ParkdUser) got = NULL;
  g_autoptr(ParkdUser) updated = NULL;
  g_autoptr(ParkdUser) dup = NULL;
  g_autoptr(GBytes) phone = bytes_of ('p', 40);
  ParkdAudit audit = { .actor_id = NULL, .action = (char *) "user.create",
                       .object_type = (char *) "user", .client = (char *) "127.0.0.1" };
  ParkdUser want = {
    .email = (char *) "ann@example.org",
    .password_hash = (char *) "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
    .first_name = (char *) "Ann",
    .last_name = (char *) "Example",
    .phone_sealed = phone,
    .role = PARKD_ROLE_DRIVER,
  };
  ParkdUser change;
  g_autoptr(ParkdPage) log = NULL;
  ParkdAudit *entry;

  user = parkd_store_create_user (f->store, &want, &audit, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (user->id));
  g_assert_cmpstr (user->email, ==, "ann@example.org");
  g_assert_cmpstr (user->first_name, ==, "Ann");
  g_assert_true (g_bytes_equal (user->phone_sealed, phone));
  g_assert_cmpint (user->role, ==, PARKD_ROLE_DRIVER);
  g_assert_null (user->operator_id);
  g_assert_false (user->disabled);
  g_assert_cmpuint (strlen (user->created_at), ==, strlen ("2026-11-24T17:11:59Z"));
  g_assert_true (g_str_has_suffix (user->created_at, "Z"));

  /* The audit entry went in with it, naming the new user. */
  log = parkd_store_list_audit (f->store, NULL, 1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->total, ==, 1);
  entry = g_ptr_array_index (log->items, 0);
  g_assert_cmpstr (entry->action, ==, "user.create");
  g_assert_cmpstr (entry->object_id, ==, user->id);
  g_assert_cmpstr (entry->detail, ==, "{}");
  g_assert_cmpstr (entry->client, ==, "127.0.0.1");

  /* And the seed's UserRegistered event, in the outbox with the account. */
  {
    g_autoptr(GPtrArray) events = parkd_store_list_events (f->store, 0, 10, &error);
    ParkdEvent *event;

    g_assert_no_error (error);
    g_assert_cmpuint (events->len, ==, 1);
    event = g_ptr_array_index (events, 0);
    g_assert_cmpstr (event->type, ==, "UserRegistered");
    g_assert_nonnull (strstr (event->payload, user->id));
    g_assert_cmpstr (event->user_id, ==, user->id);
    g_assert_null (strstr (event->payload, "ann@example.org"));
  }

  got = parkd_store_get_user (f->store, user->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->email, ==, user->email);
  g_assert_cmpstr (got->password_hash, ==, want.password_hash);
  g_assert_true (g_bytes_equal (got->phone_sealed, phone));
  g_clear_pointer (&got, parkd_user_free);

  got = parkd_store_get_user_by_email (f->store, "ann@example.org", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->id, ==, user->id);
  g_clear_pointer (&got, parkd_user_free);

  got = parkd_store_get_user_by_email (f->store, "nobody@example.org", &error);
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND);
  g_assert_null (got);
  g_clear_error (&error);

  /* The same address again is a conflict, and writes no audit entry. */
  dup = parkd_store_create_user (f->store, &want, &audit, &error);
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "An account with this e-mail address exists");
  g_assert_null (dup);
  g_clear_error (&error);
  g_assert_cmpuint (audit_total (f, NULL), ==, 1);

  /* Staff belong to one operator; drivers and admins to none; the operator must exist. */
  dup = make_user (f, "att@example.org", PARKD_ROLE_ATTENDANT, NULL, &error);
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONSTRAINT);
  g_assert_null (dup);
  g_clear_error (&error);
  dup = make_user (f, "admin@example.org", PARKD_ROLE_ADMIN, op->id, &error);
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  dup = make_user (f, "att@example.org", PARKD_ROLE_ATTENDANT,
                   "00000000-0000-4000-8000-000000000000", &error);
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONSTRAINT);
  g_assert_cmpstr (error->message, ==, "No such operator");
  g_clear_error (&error);
  g_assert_null (parkd_store_get_user_by_email (f->store, "att@example.org", NULL));

  /* Everything but the address is written; reads join the operator. */
  change = *user;
  change.first_name = (char *) "Anna";
  change.last_name = (char *) "Beispiel";
  change.phone_sealed = NULL;
  change.password_hash = (char *) "$argon2id$v=19$m=19456,t=2,p=1$bmV3$bmV3";
  change.role = PARKD_ROLE_ATTENDANT;
  change.operator_id = op->id;
  change.disabled = TRUE;
  change.email = (char *) "ignored@example.org";
  updated = parkd_store_update_user (f->store, &change, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (updated->email, ==, "ann@example.org");
  g_assert_cmpstr (updated->first_name, ==, "Anna");
  g_assert_cmpstr (updated->last_name, ==, "Beispiel");
  g_assert_null (updated->phone_sealed);
  g_assert_cmpstr (updated->password_hash, ==, change.password_hash);
  g_assert_cmpint (updated->role, ==, PARKD_ROLE_ATTENDANT);
  g_assert_cmpstr (updated->operator_id, ==, op->id);
  g_assert_cmpstr (updated->operator_slug, ==, "city-parking");
  g_assert_cmpstr (updated->operator_name, ==, "City Parking");
  g_assert_true (updated->disabled);
  g_assert_cmpstr (updated->created_at, ==, user->created_at);

  /* A staff role without an operator is refused on update too, and changes nothing. */
  change.operator_id = NULL;
  g_assert_null (parkd_store_update_user (f->store, &change, NULL, &error));
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  got = parkd_store_get_user (f->store, user->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->operator_id, ==, op->id);
  g_clear_pointer (&got, parkd_user_free);

  change.id = (char *) "00000000-0000-4000-8000-000000000000";
  change.role = PARKD_ROLE_DRIVER;
  g_assert_null (parkd_store_update_user (f->store, &change, NULL, &error));
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  audit.action = (char *) "user.delete";
  g_assert_true (parkd_store_delete_user (f->store, user->id, &audit, &error));
  g_assert_no_error (error);
  got = parkd_store_get_user (f->store, user->id, &error);
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND);
  g_assert_null (got);
  g_clear_error (&error);
  g_assert_false (parkd_store_delete_user (f->store, user->id, &audit, &error));
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (audit_total (f, NULL), ==, 2);
}

static void
test_staff (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdOperator) a = make_operator (f, "alpha", "Alpha");
  g_autoptr(ParkdOperator) b = make_operator (f, "beta", "Beta");
  g_autoptr(ParkdPage) page = NULL;
  const struct
  {
    const char *email;
    ParkdRole   role;
    const char *operator_id;
  } people[] = {
    { "carl@example.org", PARKD_ROLE_ATTENDANT, a->id },
    { "anna@example.org", PARKD_ROLE_OPERATOR, a->id },
    { "bert@example.org", PARKD_ROLE_ATTENDANT, a->id },
    { "dora@example.org", PARKD_ROLE_ATTENDANT, b->id },
    { "root@example.org", PARKD_ROLE_ADMIN, NULL },
    { "eve@example.org", PARKD_ROLE_DRIVER, NULL },
  };
  ParkdUser *user;

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      user = make_user (f, people[i].email, people[i].role, people[i].operator_id, &error);
      g_assert_no_error (error);
      parkd_user_free (user);
    }

  page = parkd_store_list_staff (f->store, a->id, 1, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->total, ==, 3);
  g_assert_cmpuint (page->page, ==, 1);
  g_assert_cmpuint (page->per_page, ==, 2);
  g_assert_cmpuint (page->items->len, ==, 2);
  user = g_ptr_array_index (page->items, 0);
  g_assert_cmpstr (user->email, ==, "anna@example.org");
  g_assert_cmpstr (user->operator_slug, ==, "alpha");
  user = g_ptr_array_index (page->items, 1);
  g_assert_cmpstr (user->email, ==, "bert@example.org");
  g_clear_pointer (&page, parkd_page_free);

  page = parkd_store_list_staff (f->store, a->id, 2, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->items->len, ==, 1);
  user = g_ptr_array_index (page->items, 0);
  g_assert_cmpstr (user->email, ==, "carl@example.org");
  g_clear_pointer (&page, parkd_page_free);

  /* Everyone but the drivers. */
  page = parkd_store_list_staff (f->store, NULL, 1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->total, ==, 5);
  g_assert_cmpuint (page->items->len, ==, 5);
  for (guint i = 0; i < page->items->len; i++)
    {
      user = g_ptr_array_index (page->items, i);
      g_assert_cmpint (user->role, !=, PARKD_ROLE_DRIVER);
      if (i > 0)
        g_assert_cmpstr (((ParkdUser *) g_ptr_array_index (page->items, i - 1))->email, <,
                         user->email);
    }
  g_clear_pointer (&page, parkd_page_free);

  page = parkd_store_list_staff (f->store, b->id, 1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->total, ==, 1);
}

static void
test_vehicles (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdUser) ann = make_driver (f, "ann@example.org");
  g_autoptr(ParkdUser) bob = make_driver (f, "bob@example.org");
  g_autoptr(GBytes) sealed1 = bytes_of ('s', 48);
  g_autoptr(GBytes) hash1 = bytes_of ('1', 32);
  g_autoptr(GBytes) sealed2 = bytes_of ('t', 48);
  g_autoptr(GBytes) hash2 = bytes_of ('2', 32);
  g_autoptr(ParkdVehicle) car = NULL;
  g_autoptr(ParkdVehicle) van = NULL;
  g_autoptr(ParkdVehicle) again = NULL;
  g_autoptr(ParkdVehicle) bobs = NULL;
  g_autoptr(GPtrArray) list = NULL;
  ParkdVehicle want = {
    .user_id = ann->id,
    .plate_sealed = sealed1,
    .plate_hash = hash1,
    .country = (char *) "DE",
    .nickname = (char *) "Car",
  };
  ParkdVehicle *first, *v;

  car = parkd_store_add_vehicle (f->store, &want, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (car->id));
  g_assert_nonnull (car->created_at);
  g_assert_cmpstr (car->user_id, ==, ann->id);

  again = parkd_store_add_vehicle (f->store, &want, &error);
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "This vehicle is already registered");
  g_assert_null (again);
  g_clear_error (&error);

  /* The same plate may belong to another driver too. */
  want.user_id = bob->id;
  bobs = parkd_store_add_vehicle (f->store, &want, &error);
  g_assert_no_error (error);

  want.user_id = ann->id;
  want.plate_sealed = sealed2;
  want.plate_hash = hash2;
  want.country = NULL;
  want.nickname = NULL;
  van = parkd_store_add_vehicle (f->store, &want, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (van->nickname, ==, "");

  want.user_id = (char *) "00000000-0000-4000-8000-000000000000";
  again = parkd_store_add_vehicle (f->store, &want, &error);
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* Oldest first; within one second (the clock's resolution) by id. */
  list = parkd_store_list_vehicles (f->store, ann->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  first = g_ptr_array_index (list, 0);
  v = g_ptr_array_index (list, 1);
  g_assert_true (g_strcmp0 (first->created_at, v->created_at) < 0 ||
                 (g_strcmp0 (first->created_at, v->created_at) == 0 &&
                  g_strcmp0 (first->id, v->id) < 0));
  if (g_strcmp0 (first->id, car->id) != 0)
    {
      v = first;
      first = g_ptr_array_index (list, 1);
    }
  g_assert_cmpstr (first->id, ==, car->id);
  g_assert_cmpstr (first->created_at, ==, car->created_at);
  g_assert_true (g_bytes_equal (first->plate_sealed, sealed1));
  g_assert_true (g_bytes_equal (first->plate_hash, hash1));
  g_assert_cmpstr (first->country, ==, "DE");
  g_assert_cmpstr (first->nickname, ==, "Car");
  g_assert_cmpstr (v->id, ==, van->id);
  g_assert_null (v->country);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Bob cannot remove Ann's car; it is as if it did not exist. */
  g_assert_false (parkd_store_delete_vehicle (f->store, bob->id, car->id, &error));
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (parkd_store_delete_vehicle (f->store, ann->id, car->id, &error));
  g_assert_no_error (error);
  g_assert_false (parkd_store_delete_vehicle (f->store, ann->id, car->id, &error));
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  list = parkd_store_list_vehicles (f->store, ann->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* A removed account takes its vehicles along. */
  g_assert_true (parkd_store_delete_user (f->store, ann->id, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM vehicles"), ==, 1);
}

static void
test_sessions (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdUser) user = make_driver (f, "ann@example.org");
  g_autoptr(ParkdSession) session = NULL;
  g_autoptr(ParkdSession) rotated = NULL;
  g_autoptr(GBytes) h1 = bytes_of ('a', 32);
  g_autoptr(GBytes) h2 = bytes_of ('b', 32);
  g_autoptr(GBytes) h3 = bytes_of ('c', 32);
  g_autoptr(GBytes) h4 = bytes_of ('d', 32);
  g_autoptr(GBytes) unknown = bytes_of ('z', 32);
  g_autoptr(ParkdPage) log = NULL;
  ParkdAudit login = { .actor_id = user->id, .action = (char *) "auth.login",
                       .object_type = (char *) "token_family" };
  ParkdAudit *entry;
  ParkdRefreshResult result;

  session = parkd_store_start_session (f->store, user->id, h1, FUTURE, "192.0.2.1", &login,
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpstr (session->user_id, ==, user->id);
  g_assert_true (g_uuid_string_is_valid (session->family_id));
  g_assert_true (parkd_store_session_active (f->store, session->family_id, &error));
  g_assert_no_error (error);

  log = parkd_store_list_audit (f->store, NULL, 1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->total, ==, 1);
  entry = g_ptr_array_index (log->items, 0);
  g_assert_cmpstr (entry->action, ==, "auth.login");
  g_assert_cmpstr (entry->object_id, ==, session->family_id);
  g_clear_pointer (&log, parkd_page_free);

  result = parkd_store_rotate_refresh (f->store, h1, h2, FUTURE, &rotated, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, PARKD_REFRESH_OK);
  g_assert_cmpstr (rotated->family_id, ==, session->family_id);
  g_assert_cmpstr (rotated->user_id, ==, user->id);
  g_clear_pointer (&rotated, parkd_session_free);

  /* The spent token comes back: someone else has it, so the whole family goes. */
  result = parkd_store_rotate_refresh (f->store, h1, h3, FUTURE, &rotated, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, PARKD_REFRESH_REUSED);
  g_assert_cmpstr (rotated->family_id, ==, session->family_id);
  g_clear_pointer (&rotated, parkd_session_free);
  g_assert_false (parkd_store_session_active (f->store, session->family_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM token_families "
                                "WHERE revoked_reason = 'reuse'"), ==, 1);

  log = parkd_store_list_audit (f->store, NULL, 1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->total, ==, 2);
  entry = g_ptr_array_index (log->items, 0);
  g_assert_cmpstr (entry->action, ==, "auth.refresh-reuse");
  g_assert_cmpstr (entry->actor_id, ==, user->id);
  g_assert_cmpstr (entry->object_type, ==, "token_family");
  g_assert_cmpstr (entry->object_id, ==, session->family_id);
  g_clear_pointer (&log, parkd_page_free);

  /* The successor the thief's reuse invalidated, and the second successor was never stored. */
  result = parkd_store_rotate_refresh (f->store, h2, h4, FUTURE, &rotated, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, PARKD_REFRESH_REVOKED);
  g_assert_cmpstr (rotated->family_id, ==, session->family_id);
  g_clear_pointer (&rotated, parkd_session_free);
  result = parkd_store_rotate_refresh (f->store, h3, h4, FUTURE, &rotated, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, PARKD_REFRESH_UNKNOWN);
  g_assert_null (rotated);

  result = parkd_store_rotate_refresh (f->store, unknown, h4, FUTURE, &rotated, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, PARKD_REFRESH_UNKNOWN);
  g_assert_null (rotated);
  g_assert_cmpuint (audit_total (f, NULL), ==, 2);
}

static void
test_sessions_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdUser) user = make_driver (f, "ann@example.org");
  g_autoptr(ParkdUser) updated = NULL;
  g_autoptr(ParkdSession) expired = NULL;
  g_autoptr(ParkdSession) other = NULL;
  g_autoptr(ParkdSession) third = NULL;
  g_autoptr(GPtrArray) families = NULL;
  g_autoptr(ParkdSession) rotated = NULL;
  g_autoptr(GBytes) h1 = bytes_of ('a', 32);
  g_autoptr(GBytes) h2 = bytes_of ('b', 32);
  g_autoptr(GBytes) h3 = bytes_of ('c', 32);
  g_autoptr(GBytes) h4 = bytes_of ('d', 32);
  ParkdAudit logout = { .actor_id = user->id, .action = (char *) "auth.logout" };
  ParkdUser change;
  ParkdRefreshResult result;

  expired = parkd_store_start_session (f->store, user->id, h1, PAST, NULL, NULL, &error);
  g_assert_no_error (error);
  result = parkd_store_rotate_refresh (f->store, h1, h4, FUTURE, &rotated, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, PARKD_REFRESH_UNKNOWN);
  g_assert_null (rotated);

  /* A session of someone unknown cannot start. */
  g_assert_null (parkd_store_start_session (f->store, "00000000-0000-4000-8000-000000000000",
                                            h2, FUTURE, NULL, NULL, &error));
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* Logout: revoked once, with its audit entry; again is harmless; unknown is NOT_FOUND. */
  other = parkd_store_start_session (f->store, user->id, h2, FUTURE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (parkd_store_revoke_family (f->store, other->family_id, "logout", &logout,
                                            &error));
  g_assert_no_error (error);
  g_assert_false (parkd_store_session_active (f->store, other->family_id, &error));
  g_assert_no_error (error);
  g_assert_true (parkd_store_revoke_family (f->store, other->family_id, "again", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM token_families "
                                "WHERE revoked_reason = 'logout'"), ==, 1);
  g_assert_false (parkd_store_revoke_family (f->store, "00000000-0000-4000-8000-000000000000",
                                             "logout", &logout, &error));
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (audit_total (f, NULL), ==, 1);
  g_assert_false (parkd_store_session_active (f->store, "00000000-0000-4000-8000-000000000000",
                                              &error));
  g_assert_no_error (error);

  /* A disabled account's tokens are unknown. */
  third = parkd_store_start_session (f->store, user->id, h3, FUTURE, NULL, NULL, &error);
  g_assert_no_error (error);
  change = *user;
  change.disabled = TRUE;
  updated = parkd_store_update_user (f->store, &change, NULL, &error);
  g_assert_no_error (error);
  result = parkd_store_rotate_refresh (f->store, h3, h4, FUTURE, &rotated, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, PARKD_REFRESH_UNKNOWN);
  g_assert_null (rotated);

  /* Every family of the user at once. */
  g_assert_true (parkd_store_session_active (f->store, third->family_id, &error));
  g_assert_true (parkd_store_session_active (f->store, expired->family_id, &error));
  g_assert_true (parkd_store_revoke_user_sessions (f->store, user->id, "password-changed",
                                                   &families, &error));
  g_assert_no_error (error);
  /* Exactly the two families still open, so the server can refuse their access tokens. */
  g_assert_cmpuint (families->len, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (families, third->family_id, g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (families, expired->family_id, g_str_equal,
                                                   NULL));
  g_assert_false (parkd_store_session_active (f->store, third->family_id, &error));
  g_assert_false (parkd_store_session_active (f->store, expired->family_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM token_families "
                                "WHERE revoked_reason = 'password-changed'"), ==, 2);
}

static gboolean
strings_contain (GPtrArray  *strings,
                 const char *str)
{
  for (guint i = 0; i < strings->len; i++)
    if (g_strcmp0 (g_ptr_array_index (strings, i), str) == 0)
      return TRUE;
  return FALSE;
}

static void
test_revocations (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdUser) user = make_driver (f, "ann@example.org");
  g_autoptr(ParkdSession) old = NULL;
  g_autoptr(ParkdSession) live = NULL;
  g_autoptr(GPtrArray) jtis = NULL;
  g_autoptr(GPtrArray) families = NULL;
  g_autoptr(GBytes) h1 = bytes_of ('a', 32);
  g_autoptr(GBytes) h2 = bytes_of ('b', 32);
  g_autofree char *before = parkd_now_rfc3339 ();

  g_assert_true (parkd_store_revoke_access_token (f->store, "jti-live", FUTURE, &error));
  g_assert_no_error (error);
  g_assert_true (parkd_store_revoke_access_token (f->store, "jti-live", FUTURE, &error));
  g_assert_no_error (error);
  g_assert_true (parkd_store_revoke_access_token (f->store, "jti-expired", PAST, &error));
  g_assert_no_error (error);

  /* A revoked family whose token has expired: the token row can go. */
  old = parkd_store_start_session (f->store, user->id, h1, PAST, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (parkd_store_revoke_family (f->store, old->family_id, "logout", NULL, &error));
  live = parkd_store_start_session (f->store, user->id, h2, FUTURE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM refresh_tokens"), ==, 2);

  g_assert_true (parkd_store_load_revocations (f->store, before, &jtis, &families, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (jtis->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (jtis, 0), ==, "jti-live");
  g_assert_cmpuint (families->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (families, 0), ==, old->family_id);
  g_clear_pointer (&jtis, g_ptr_array_unref);
  g_clear_pointer (&families, g_ptr_array_unref);

  g_assert_cmpint (db_count (f, "SELECT count(*) FROM revoked_access_tokens"), ==, 1);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM refresh_tokens"), ==, 1);

  /* Families revoked before @since are no longer reported. */
  g_assert_true (parkd_store_load_revocations (f->store, FUTURE, &jtis, &families, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (jtis->len, ==, 1);
  g_assert_cmpuint (families->len, ==, 0);
  g_clear_pointer (&jtis, g_ptr_array_unref);
  g_clear_pointer (&families, g_ptr_array_unref);

  g_assert_true (parkd_store_load_revocations (f->store, NULL, &jtis, &families, &error));
  g_assert_no_error (error);
  g_assert_true (strings_contain (families, old->family_id));
  g_assert_false (strings_contain (families, live->family_id));
}

static void
test_audit (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdOperator) a = make_operator (f, "alpha", "Alpha");
  g_autoptr(ParkdOperator) b = make_operator (f, "beta", "Beta");
  g_autoptr(ParkdPage) page = NULL;
  ParkdAudit *entry;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *object_id = g_strdup_printf ("lot-%u", i);
      ParkdAudit audit = {
        .actor_id = (char *) "someone",
        .action = (char *) "lot.update",
        .object_type = (char *) "lot",
        .object_id = object_id,
        .operator_id = i % 2 == 0 ? a->id : b->id,
        .client = (char *) "cli",
        .detail = i == 4 ? (char *) "{\"name\":\"x\"}" : NULL,
        .at = i == 0 ? (char *) "2026-01-02T03:04:05Z" : NULL,
      };

      g_assert_true (parkd_store_audit (f->store, &audit, &error));
      g_assert_no_error (error);
    }

  /* Newest first, in pages. */
  page = parkd_store_list_audit (f->store, NULL, 1, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->total, ==, 5);
  g_assert_cmpuint (page->items->len, ==, 2);
  entry = g_ptr_array_index (page->items, 0);
  g_assert_cmpstr (entry->object_id, ==, "lot-4");
  g_assert_cmpstr (entry->detail, ==, "{\"name\":\"x\"}");
  g_assert_cmpstr (entry->client, ==, "cli");
  g_assert_cmpstr (entry->actor_id, ==, "someone");
  g_assert_true (g_str_has_suffix (entry->at, "Z"));
  entry = g_ptr_array_index (page->items, 1);
  g_assert_cmpstr (entry->object_id, ==, "lot-3");
  g_assert_cmpstr (entry->detail, ==, "{}");
  g_clear_pointer (&page, parkd_page_free);

  page = parkd_store_list_audit (f->store, NULL, 3, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->items->len, ==, 1);
  entry = g_ptr_array_index (page->items, 0);
  g_assert_cmpstr (entry->object_id, ==, "lot-0");
  g_assert_cmpstr (entry->at, ==, "2026-01-02T03:04:05Z");
  g_clear_pointer (&page, parkd_page_free);

  page = parkd_store_list_audit (f->store, a->id, 1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->total, ==, 3);
  for (guint i = 0; i < page->items->len; i++)
    {
      entry = g_ptr_array_index (page->items, i);
      g_assert_cmpstr (entry->operator_id, ==, a->id);
      if (i > 0)
        g_assert_cmpint (entry->id, <, ((ParkdAudit *) g_ptr_array_index (page->items, i - 1))->id);
    }
  g_clear_pointer (&page, parkd_page_free);
  g_assert_cmpuint (audit_total (f, b->id), ==, 2);
}

static void
test_operators (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdOperator) zed = make_operator (f, "zed", "Zed Parking");
  g_autoptr(ParkdOperator) abc = NULL;
  g_autoptr(ParkdOperator) dup = NULL;
  g_autoptr(ParkdOperator) got = NULL;
  g_autoptr(ParkdPage) page = NULL;
  ParkdAudit audit = { .actor_id = (char *) "admin", .action = (char *) "operator.create",
                       .object_type = (char *) "operator" };
  ParkdOperator want = {
    .slug = (char *) "abc",
    .name = (char *) "ABC Garages",
    .city = (char *) "Leipzig",
    .time_zone = (char *) "Europe/Berlin",
    .currency = (char *) "EUR",
  };
  ParkdAudit *entry;

  abc = parkd_store_create_operator (f->store, &want, &audit, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (abc->id));
  g_assert_nonnull (abc->created_at);
  g_assert_cmpstr (abc->slug, ==, "abc");
  g_assert_cmpstr (abc->city, ==, "Leipzig");

  /* The importer finds it by its slug too. */
  got = parkd_store_get_operator (f->store, "abc", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->id, ==, abc->id);
  g_clear_pointer (&got, parkd_operator_free);

  want.name = (char *) "Another";
  dup = parkd_store_create_operator (f->store, &want, &audit, &error);
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "An operator with this slug exists");
  g_assert_null (dup);
  g_clear_error (&error);

  want.slug = (char *) "bad-currency";
  want.currency = (char *) "EURO";
  dup = parkd_store_create_operator (f->store, &want, &audit, &error);
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  page = parkd_store_list_audit (f->store, NULL, 1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->total, ==, 1);
  entry = g_ptr_array_index (page->items, 0);
  g_assert_cmpstr (entry->object_id, ==, abc->id);
  g_clear_pointer (&page, parkd_page_free);

  got = parkd_store_get_operator_by_id (f->store, zed->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->slug, ==, "zed");
  g_assert_cmpstr (got->name, ==, "Zed Parking");
  g_assert_cmpstr (got->currency, ==, "EUR");
  g_clear_pointer (&got, parkd_operator_free);
  got = parkd_store_get_operator_by_id (f->store, "00000000-0000-4000-8000-000000000000", &error);
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND);
  g_assert_null (got);
  g_clear_error (&error);

  /* By name. */
  page = parkd_store_list_operators (f->store, NULL, 1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->total, ==, 2);
  g_assert_cmpstr (((ParkdOperator *) g_ptr_array_index (page->items, 0))->slug, ==, "abc");
  g_assert_cmpstr (((ParkdOperator *) g_ptr_array_index (page->items, 1))->slug, ==, "zed");
  g_clear_pointer (&page, parkd_page_free);

  page = parkd_store_list_operators (f->store, NULL, 2, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->total, ==, 2);
  g_assert_cmpuint (page->items->len, ==, 1);
  g_assert_cmpstr (((ParkdOperator *) g_ptr_array_index (page->items, 0))->slug, ==, "zed");
  g_clear_pointer (&page, parkd_page_free);

  page = parkd_store_list_operators (f->store, zed->id, 1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->total, ==, 1);
  g_assert_cmpstr (((ParkdOperator *) g_ptr_array_index (page->items, 0))->id, ==, zed->id);
}

static void
test_lots (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdOperator) op = make_operator (f, "city-parking", "City Parking");
  g_autoptr(ParkdOperator) other = make_operator (f, "other", "Other");
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(ParkdLot) moved = NULL;
  g_autoptr(ParkdLot) got = NULL;
  g_autoptr(ParkdLot) dup = NULL;
  g_autoptr(ParkdPage) page = NULL;
  ParkdAudit audit = { .actor_id = (char *) "staff", .action = (char *) "lot.create",
                       .object_type = (char *) "lot", .operator_id = op->id };
  ParkdNewLot nl = new_lot (op->id, "Altmarkt Garage", 51.0500, 13.7373);
  ParkdNewLot nl2 = new_lot (op->id, "Zwinger Deck", 51.0530, 13.7340);
  g_autoptr(ParkdLot) second = NULL;
  ParkdLot change;
  ParkdLot *listed;

  /* Nothing there yet; the search has now cached the empty directory. */
  g_assert_false (search_finds (f, 51.05, 13.7373, "none"));

  lot = parkd_store_create_lot (f->store, &nl, &audit, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (lot->id));
  g_assert_cmpstr (lot->operator_id, ==, op->id);
  g_assert_cmpstr (lot->operator_slug, ==, "city-parking");
  g_assert_cmpstr (lot->name, ==, "Altmarkt Garage");
  g_assert_cmpstr (lot->city, ==, "Dresden");
  g_assert_cmpstr (lot->currency, ==, "EUR");
  g_assert_cmpstr (lot->time_zone, ==, "Europe/Berlin");
  g_assert_cmpstr (lot->status, ==, "open");
  g_assert_cmpstr (lot->amenities, ==, "[]");
  g_assert_cmpuint (lot->total_spots, ==, 4);
  g_assert_cmpuint (lot->availability[PARKD_SPOT_TYPE_REGULAR].total, ==, 3);
  g_assert_cmpuint (lot->availability[PARKD_SPOT_TYPE_REGULAR].available, ==, 3);
  g_assert_cmpuint (lot->availability[PARKD_SPOT_TYPE_EV].total, ==, 1);
  g_assert_cmpuint (audit_total (f, op->id), ==, 1);

  /* The same lot twice is a conflict, not a silent skip as on import. */
  dup = parkd_store_create_lot (f->store, &nl, &audit, &error);
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT);
  g_assert_null (dup);
  g_clear_error (&error);
  nl2.lot.operator_id = (char *) "00000000-0000-4000-8000-000000000000";
  dup = parkd_store_create_lot (f->store, &nl2, &audit, &error);
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  nl2.lot.operator_id = op->id;
  nl2.lot.lat = 91;
  dup = parkd_store_create_lot (f->store, &nl2, &audit, &error);
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  nl2.lot.lat = 51.0530;
  g_assert_cmpuint (audit_total (f, op->id), ==, 1);

  /* Read back as parkd_store_get_lot() gives it, and found by a search near it. */
  got = parkd_store_get_lot (f->store, lot->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->name, ==, lot->name);
  g_assert_cmpfloat (got->lat, ==, lot->lat);
  g_assert_cmpuint (got->availability[PARKD_SPOT_TYPE_REGULAR].total, ==, 3);
  g_clear_pointer (&got, parkd_lot_free);
  g_assert_true (search_finds (f, 51.0501, 13.7374, lot->id));

  second = parkd_store_create_lot (f->store, &nl2, NULL, &error);
  g_assert_no_error (error);

  page = parkd_store_list_operator_lots (f->store, op->id, 1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->total, ==, 2);
  listed = g_ptr_array_index (page->items, 0);
  g_assert_cmpstr (listed->id, ==, lot->id);
  g_assert_cmpstr (listed->operator_name, ==, "City Parking");
  g_assert_cmpuint (listed->availability[PARKD_SPOT_TYPE_EV].available, ==, 1);
  g_assert_cmpstr (((ParkdLot *) g_ptr_array_index (page->items, 1))->id, ==, second->id);
  g_clear_pointer (&page, parkd_page_free);
  page = parkd_store_list_operator_lots (f->store, other->id, 1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->total, ==, 0);
  g_clear_pointer (&page, parkd_page_free);
  page = parkd_store_list_operator_lots (f->store, NULL, 2, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->total, ==, 2);
  g_assert_cmpuint (page->items->len, ==, 1);
  g_clear_pointer (&page, parkd_page_free);

  /* Moved 5 km east: found there, no longer at the old place. */
  change = *lot;
  change.name = (char *) "Altmarkt Garage (new)";
  change.lng = 13.8073;
  change.hourly_rate = 300;
  change.status = (char *) "closed";
  change.amenities = (char *) "[\"cctv\"]";
  audit.action = (char *) "lot.update";
  moved = parkd_store_update_lot (f->store, &change, &audit, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (moved->id, ==, lot->id);
  g_assert_cmpstr (moved->name, ==, "Altmarkt Garage (new)");
  g_assert_cmpfloat (moved->lng, ==, 13.8073);
  g_assert_cmpint (moved->hourly_rate, ==, 300);
  g_assert_cmpstr (moved->status, ==, "closed");
  g_assert_cmpstr (moved->amenities, ==, "[\"cctv\"]");
  g_assert_cmpstr (moved->created_at, ==, lot->created_at);
  g_assert_cmpuint (moved->total_spots, ==, 4);
  g_assert_true (search_finds (f, 51.0500, 13.8070, lot->id));
  g_assert_false (search_finds (f, 51.0501, 13.7374, lot->id));
  g_assert_cmpuint (audit_total (f, op->id), ==, 2);

  change.lot_type = (char *) "floating";
  g_assert_null (parkd_store_update_lot (f->store, &change, &audit, &error));
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  change.lot_type = lot->lot_type;
  change.id = (char *) "00000000-0000-4000-8000-000000000000";
  g_assert_null (parkd_store_update_lot (f->store, &change, &audit, &error));
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (audit_total (f, op->id), ==, 2);

  audit.action = (char *) "lot.delete";
  g_assert_true (parkd_store_delete_lot (f->store, lot->id, &audit, &error));
  g_assert_no_error (error);
  g_assert_false (search_finds (f, 51.0500, 13.8070, lot->id));
  got = parkd_store_get_lot (f->store, lot->id, &error);
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (parkd_store_delete_lot (f->store, lot->id, &audit, &error));
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM parking_spots"), ==, 4);
  g_assert_cmpuint (audit_total (f, op->id), ==, 3);

  page = parkd_store_list_operator_lots (f->store, op->id, 1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->total, ==, 1);

  g_free (nl.lot.operating_hours);
  g_free (nl2.lot.operating_hours);
}

static void
test_spots (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdOperator) op = make_operator (f, "city-parking", "City Parking");
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(ParkdLot) got = NULL;
  g_autoptr(ParkdSpot) spot = NULL;
  g_autoptr(ParkdSpot) updated = NULL;
  g_autoptr(ParkdSpot) dup = NULL;
  g_autoptr(ParkdSpot) read = NULL;
  g_autoptr(ParkdPage) spots = NULL;
  ParkdAudit audit = { .actor_id = (char *) "staff", .action = (char *) "spot.create",
                       .object_type = (char *) "spot", .operator_id = op->id };
  ParkdNewLot nl = new_lot (op->id, "Altmarkt Garage", 51.0500, 13.7373);
  ParkdSpotQuery query = { .page = 1, .per_page = 50 };
  ParkdSpot want = { 0, };
  ParkdSpot change;
  guint64 audits;

  lot = parkd_store_create_lot (f->store, &nl, NULL, &error);
  g_assert_no_error (error);
  g_free (nl.lot.operating_hours);

  want.lot_id = lot->id;
  want.number = (char *) "E2";
  want.type = PARKD_SPOT_TYPE_EV;
  want.level = -1;
  want.state = PARKD_SPOT_STATE_AVAILABLE;
  spot = parkd_store_create_spot (f->store, &want, &audit, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (spot->id));
  g_assert_cmpstr (spot->lot_id, ==, lot->id);
  g_assert_cmpstr (spot->number, ==, "E2");
  g_assert_cmpint (spot->type, ==, PARKD_SPOT_TYPE_EV);
  g_assert_cmpint (spot->level, ==, -1);
  g_assert_nonnull (spot->updated_at);

  got = parkd_store_get_lot (f->store, lot->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got->total_spots, ==, 5);
  g_assert_cmpuint (got->availability[PARKD_SPOT_TYPE_EV].total, ==, 2);
  g_assert_cmpuint (got->availability[PARKD_SPOT_TYPE_EV].available, ==, 2);
  g_clear_pointer (&got, parkd_lot_free);

  read = parkd_store_get_spot (f->store, spot->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read->number, ==, "E2");
  g_assert_cmpstr (read->lot_id, ==, lot->id);
  g_clear_pointer (&read, parkd_spot_free);
  read = parkd_store_get_spot (f->store, "00000000-0000-4000-8000-000000000000", &error);
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A number the lot already has: nothing is written, not even the audit entry. */
  audits = audit_total (f, NULL);
  want.number = (char *) "1";
  dup = parkd_store_create_spot (f->store, &want, &audit, &error);
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "This lot already has a spot with this number");
  g_assert_null (dup);
  g_clear_error (&error);
  g_assert_cmpuint (audit_total (f, NULL), ==, audits);
  got = parkd_store_get_lot (f->store, lot->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got->total_spots, ==, 5);
  g_clear_pointer (&got, parkd_lot_free);

  want.lot_id = (char *) "00000000-0000-4000-8000-000000000000";
  want.number = (char *) "X";
  dup = parkd_store_create_spot (f->store, &want, &audit, &error);
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Occupied: one EV spot less available. */
  change = *spot;
  change.state = PARKD_SPOT_STATE_OCCUPIED;
  change.level = 2;
  change.number = (char *) "E3";
  audit.action = (char *) "spot.update";
  updated = parkd_store_update_spot (f->store, &change, &audit, &error);
  g_assert_no_error (error);
  g_assert_cmpint (updated->state, ==, PARKD_SPOT_STATE_OCCUPIED);
  g_assert_cmpint (updated->level, ==, 2);
  g_assert_cmpstr (updated->number, ==, "E3");
  got = parkd_store_get_lot (f->store, lot->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got->availability[PARKD_SPOT_TYPE_EV].total, ==, 2);
  g_assert_cmpuint (got->availability[PARKD_SPOT_TYPE_EV].available, ==, 1);
  g_clear_pointer (&got, parkd_lot_free);

  /* Renamed onto a taken number: refused, and the spot keeps its state. */
  audits = audit_total (f, NULL);
  change.number = (char *) "2";
  change.state = PARKD_SPOT_STATE_AVAILABLE;
  g_assert_null (parkd_store_update_spot (f->store, &change, &audit, &error));
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpuint (audit_total (f, NULL), ==, audits);
  read = parkd_store_get_spot (f->store, spot->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (read->state, ==, PARKD_SPOT_STATE_OCCUPIED);
  g_clear_pointer (&read, parkd_spot_free);
  change.id = (char *) "00000000-0000-4000-8000-000000000000";
  change.number = (char *) "E9";
  g_assert_null (parkd_store_update_spot (f->store, &change, &audit, &error));
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The lot's own spot list agrees. */
  query.has_state = TRUE;
  query.state = PARKD_SPOT_STATE_OCCUPIED;
  spots = parkd_store_list_spots (f->store, lot->id, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spots->total, ==, 1);
  g_assert_cmpstr (((ParkdSpot *) g_ptr_array_index (spots->items, 0))->id, ==, spot->id);

  audit.action = (char *) "spot.delete";
  g_assert_true (parkd_store_delete_spot (f->store, spot->id, &audit, &error));
  g_assert_no_error (error);
  got = parkd_store_get_lot (f->store, lot->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got->total_spots, ==, 4);
  g_assert_cmpuint (got->availability[PARKD_SPOT_TYPE_EV].total, ==, 1);
  g_assert_cmpuint (got->availability[PARKD_SPOT_TYPE_EV].available, ==, 1);
  g_clear_pointer (&got, parkd_lot_free);
  g_assert_false (parkd_store_delete_spot (f->store, spot->id, &audit, &error));
  g_assert_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (audit_total (f, op->id), ==, 3);
}

/* Everything written survives closing the store and opening it again. */
static void
test_reopen (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdOperator) op = make_operator (f, "city-parking", "City Parking");
  g_autoptr(ParkdUser) user = make_driver (f, "ann@example.org");
  g_autoptr(ParkdUser) got = NULL;
  g_autoptr(ParkdSession) session = NULL;
  g_autoptr(ParkdSession) rotated = NULL;
  g_autoptr(ParkdVehicle) car = NULL;
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(ParkdLot) got_lot = NULL;
  g_autoptr(ParkdSpot) spot = NULL;
  g_autoptr(ParkdSpot) got_spot = NULL;
  g_autoptr(GPtrArray) vehicles = NULL;
  g_autoptr(GPtrArray) jtis = NULL;
  g_autoptr(GPtrArray) families = NULL;
  g_autoptr(ParkdPage) page = NULL;
  g_autoptr(GBytes) h1 = bytes_of ('a', 32);
  g_autoptr(GBytes) h2 = bytes_of ('b', 32);
  g_autoptr(GBytes) h3 = bytes_of ('c', 32);
  g_autoptr(GBytes) sealed = bytes_of ('s', 48);
  g_autoptr(GBytes) hash = bytes_of ('h', 32);
  ParkdAudit audit = { .action = (char *) "auth.login" };
  ParkdVehicle want_car = { .user_id = user->id, .plate_sealed = sealed, .plate_hash = hash };
  ParkdNewLot nl = new_lot (op->id, "Altmarkt Garage", 51.0500, 13.7373);
  ParkdSpot want_spot = { .number = (char *) "E1", .type = PARKD_SPOT_TYPE_EV,
                          .state = PARKD_SPOT_STATE_RESERVED };
  ParkdRefreshResult result;

  session = parkd_store_start_session (f->store, user->id, h1, FUTURE, NULL, &audit, &error);
  g_assert_no_error (error);
  car = parkd_store_add_vehicle (f->store, &want_car, &error);
  g_assert_no_error (error);
  lot = parkd_store_create_lot (f->store, &nl, NULL, &error);
  g_assert_no_error (error);
  g_free (nl.lot.operating_hours);
  want_spot.lot_id = lot->id;
  spot = parkd_store_create_spot (f->store, &want_spot, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (parkd_store_revoke_access_token (f->store, "jti", FUTURE, &error));
  g_assert_true (search_finds (f, 51.0500, 13.7373, lot->id));

  fixture_reopen (f);

  got = parkd_store_get_user_by_email (f->store, "ann@example.org", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->id, ==, user->id);
  vehicles = parkd_store_list_vehicles (f->store, user->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vehicles->len, ==, 1);
  g_assert_cmpstr (((ParkdVehicle *) g_ptr_array_index (vehicles, 0))->id, ==, car->id);
  g_assert_true (parkd_store_session_active (f->store, session->family_id, &error));
  g_assert_no_error (error);
  result = parkd_store_rotate_refresh (f->store, h1, h2, FUTURE, &rotated, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, PARKD_REFRESH_OK);

  got_lot = parkd_store_get_lot (f->store, lot->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got_lot->total_spots, ==, 5);
  g_assert_cmpuint (got_lot->availability[PARKD_SPOT_TYPE_EV].total, ==, 2);
  g_assert_cmpuint (got_lot->availability[PARKD_SPOT_TYPE_EV].available, ==, 1);
  got_spot = parkd_store_get_spot (f->store, spot->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got_spot->state, ==, PARKD_SPOT_STATE_RESERVED);
  g_assert_true (search_finds (f, 51.0500, 13.7373, lot->id));

  page = parkd_store_list_audit (f->store, NULL, 1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->total, ==, 1);
  g_assert_true (parkd_store_load_revocations (f->store, NULL, &jtis, &families, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (jtis->len, ==, 1);

  /* The reused-token rule holds across the restart too. */
  g_clear_pointer (&rotated, parkd_session_free);
  result = parkd_store_rotate_refresh (f->store, h1, h3, FUTURE, &rotated, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, PARKD_REFRESH_REUSED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/store/accounts/users", Fixture, NULL,
              fixture_setup, test_users, fixture_teardown);
  g_test_add ("/store/accounts/staff", Fixture, NULL,
              fixture_setup, test_staff, fixture_teardown);
  g_test_add ("/store/accounts/vehicles", Fixture, NULL,
              fixture_setup, test_vehicles, fixture_teardown);
  g_test_add ("/store/accounts/sessions/rotate-and-reuse", Fixture, NULL,
              fixture_setup, test_sessions, fixture_teardown);
  g_test_add ("/store/accounts/sessions/refused-and-revoked", Fixture, NULL,
              fixture_setup, test_sessions_refused, fixture_teardown);
  g_test_add ("/store/accounts/revocations", Fixture, NULL,
              fixture_setup, test_revocations, fixture_teardown);
  g_test_add ("/store/accounts/audit", Fixture, NULL,
              fixture_setup, test_audit, fixture_teardown);
  g_test_add ("/store/staff/operators", Fixture, NULL,
              fixture_setup, test_operators, fixture_teardown);
  g_test_add ("/store/staff/lots", Fixture, NULL,
              fixture_setup, test_lots, fixture_teardown);
  g_test_add ("/store/staff/spots", Fixture, NULL,
              fixture_setup, test_spots, fixture_teardown);
  g_test_add ("/store/accounts/reopen", Fixture, NULL,
              fixture_setup, test_reopen, fixture_teardown);

  return g_test_run ();
}
