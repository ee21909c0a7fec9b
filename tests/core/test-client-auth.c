/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-client-auth.c: sign-in on the real parkd: a rejected access token is refreshed once
 * (also for calls made together) and the call succeeds; a refresh token that no longer works
 * ends the sign-in with ParkClient::signed-out; a sign-in comes back from the credentials
 * store; signing out forgets it.
 *
 * parkd has no option for a shorter token lifetime, and waiting 15 minutes is no test. So
 * the access token is made unusable the way an expired one is: parkd is restarted on the same
 * port and database with another --audience, and answers it 401 invalid-token, exactly as
 * for an expired token, while the refresh token, kept in the database, still works.
 */
#include "config.h"

#include <park-core.h>

#include "park-test-backend.h"
#include "park-test-utils.h"

#define WAIT_S 30
#define PASSWORD "correct horse battery"
#define EMAIL "dora@example.org"

typedef struct
{
  ParkTestBackend *backend;
  ParkCredentials *credentials;
  ParkClient      *client;
  guint            signed_out;
} Fixture;

static void
signed_out_cb (ParkClient *client,
               Fixture    *f)
{
  f->signed_out++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const args[] = { "--auth-rate-limit", "0", NULL };
  const char * const *extra = data != NULL ? data : args;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  f->backend = park_test_backend_new ();
  park_test_backend_start (f->backend, extra);
  f->credentials = park_memory_credentials_new ();
  f->client = park_client_new (f->backend->url, f->credentials);
  g_signal_connect (f->client, "signed-out", G_CALLBACK (signed_out_cb), f);

  park_client_register_async (f->client, EMAIL, PASSWORD, NULL, NULL, NULL, NULL,
                              park_test_result_cb, &result);
  park_client_register_finish (f->client, park_test_await (&result, WAIT_S), &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->client);
  g_clear_object (&f->credentials);
  g_clear_pointer (&f->backend, park_test_backend_free);
}

/* parkd again, same port and database, signing for (and accepting only) @audience. */
static void
restart_with_audience (Fixture    *f,
                       const char *audience)
{
  g_autoptr(GUri) uri = g_uri_parse (f->backend->url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
  g_autofree char *url = g_strdup (f->backend->url);
  const char *args[] = {
    "--auth-rate-limit", "0", "--listen", listen, "--audience", audience, NULL
  };

  park_test_backend_stop (f->backend);
  park_test_backend_start (f->backend, args);
  g_assert_cmpstr (f->backend->url, ==, url);
}

/* How often parkd answered a refresh, from its access log. */
static guint
count_refreshes (Fixture *f,
                 guint    status)
{
  g_autofree char *log = NULL;
  g_autofree char *needle = g_strdup_printf ("\"path\":\"/api/v1/auth/refresh\",\"status\":%u",
                                             status);
  guint n = 0;

  g_assert_true (g_file_get_contents (f->backend->log_path, &log, NULL, NULL));
  for (const char *p = strstr (log, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static gboolean
tick_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* parkd writes its access log line after the answer has gone out: wait for @n lines (and
 * check there are no more), up to ten seconds. */
static void
assert_refreshes (Fixture *f,
                  guint    status,
                  guint    n)
{
  gint64 deadline = g_get_monotonic_time () +
                    10 * park_test_timeout_multiplier () * G_USEC_PER_SEC;

  while (count_refreshes (f, status) < n && g_get_monotonic_time () < deadline)
    {
      gboolean ticked = FALSE;

      g_timeout_add (50, tick_cb, &ticked);
      park_test_await_flag (&ticked, WAIT_S);
    }
  g_assert_cmpuint (count_refreshes (f, status), ==, n);
}

static char *
stored_token (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  park_credentials_lookup_async (f->credentials, f->backend->url, EMAIL, NULL,
                                 park_test_result_cb, &result);
  token = park_credentials_lookup_finish (f->credentials, park_test_await (&result, WAIT_S),
                                          &error);
  g_assert_no_error (error);
  return token;
}

static ParkUser *
get_me (ParkClient  *client,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  park_client_get_me_async (client, NULL, park_test_result_cb, &result);
  return park_client_get_me_finish (client, park_test_await (&result, WAIT_S), error);
}

static void
test_signed_in (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkUser) me = get_me (f->client, &error);
  g_autofree char *token = stored_token (f);

  g_assert_no_error (error);
  g_assert_cmpstr (park_user_get_email (me), ==, EMAIL);
  g_assert_true (park_client_get_signed_in (f->client));
  g_assert_cmpstr (park_client_get_account (f->client), ==, EMAIL);
  g_assert_true (park_client_get_remembers_sign_in (f->client));
  g_assert_nonnull (token);
}

static void
test_expired_access_token (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *before = stored_token (f);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkUser) me = NULL;

  restart_with_audience (f, "parkade-next");
  g_assert_cmpuint (count_refreshes (f, 200), ==, 0);

  me = get_me (f->client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_user_get_email (me), ==, EMAIL);
  /* Refreshed once, and the new refresh token replaced the spent one in the store. */
  assert_refreshes (f, 200, 1);
  after = stored_token (f);
  g_assert_nonnull (after);
  g_assert_cmpstr (after, !=, before);
  g_assert_cmpuint (f->signed_out, ==, 0);
  g_assert_true (park_client_get_signed_in (f->client));
}

/* Three calls meet the rejected token together: one refresh serves them all (a second one
 * would spend a spent token and end the sign-in). */
static void
test_concurrent_refresh (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkUser) me = NULL;
  g_autoptr(GListModel) cars = NULL;
  g_autoptr(GListModel) bookings = NULL;

  restart_with_audience (f, "parkade-next");
  park_client_get_me_async (f->client, NULL, park_test_result_cb, &r1);
  park_client_list_vehicles_async (f->client, NULL, park_test_result_cb, &r2);
  park_client_list_reservations_async (f->client, 0, NULL, park_test_result_cb, &r3);

  me = park_client_get_me_finish (f->client, park_test_await (&r1, WAIT_S), &error);
  g_assert_no_error (error);
  cars = park_client_list_vehicles_finish (f->client, park_test_await (&r2, WAIT_S), &error);
  g_assert_no_error (error);
  bookings = park_client_list_reservations_finish (f->client, park_test_await (&r3, WAIT_S),
                                                   &error);
  g_assert_no_error (error);
  assert_refreshes (f, 200, 1);
  g_assert_cmpuint (count_refreshes (f, 401), ==, 0);
  g_assert_cmpuint (f->signed_out, ==, 0);
}

/* Somebody else used the refresh token (it was copied): the client's copy is spent, and
 * presenting it ends the whole sign-in. */
static void
test_revoked_refresh_token (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *token = stored_token (f);
  g_autofree char *body = g_strdup_printf ("{\"refresh_token\":\"%s\"}", token);
  g_autoptr(ParkTestResponse) stolen = park_test_call (f->backend, NULL, "POST",
                                                       "api/v1/auth/refresh", body);
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkUser) me = NULL;
  g_autofree char *left = NULL;

  g_assert_cmpuint (stolen->status, ==, 200);
  restart_with_audience (f, "parkade-next");

  me = get_me (f->client, &error);
  g_assert_null (me);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (f->signed_out, ==, 1);
  g_assert_false (park_client_get_signed_in (f->client));
  g_assert_null (park_client_get_account (f->client));
  assert_refreshes (f, 401, 1);
  /* The spent token is gone from the store too. */
  left = stored_token (f);
  g_assert_null (left);

  /* Signed out, a call that needs a sign-in fails without another refresh or signal. */
  g_clear_error (&error);
  g_clear_object (&me);
  me = get_me (f->client, &error);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "unauthorized");
  g_assert_cmpuint (f->signed_out, ==, 1);
  assert_refreshes (f, 401, 1);
}

static void
test_restore (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(ParkClient) later = park_client_new (f->backend->url, f->credentials);
  g_autoptr(ParkClient) stranger = park_client_new (f->backend->url, f->credentials);
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkUser) me = NULL;
  g_autofree char *token = stored_token (f);

  /* Wait for the store to have the token the first client wrote. */
  g_assert_nonnull (token);
  park_client_restore_sign_in_async (later, " Dora@Example.org", NULL, park_test_result_cb,
                                     &r1);
  g_assert_true (park_client_restore_sign_in_finish (later, park_test_await (&r1, WAIT_S),
                                                     &error));
  g_assert_no_error (error);
  g_assert_true (park_client_get_signed_in (later));
  g_assert_cmpstr (park_client_get_account (later), ==, EMAIL);
  me = get_me (later, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (park_user_get_email (me), ==, EMAIL);

  park_client_restore_sign_in_async (stranger, "nobody@example.org", NULL, park_test_result_cb,
                                     &r2);
  g_assert_false (park_client_restore_sign_in_finish (stranger, park_test_await (&r2, WAIT_S),
                                                      &error));
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_false (park_client_get_signed_in (stranger));
}

static void
test_sign_out (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkUser) me = NULL;
  g_autofree char *left = NULL;
  g_autofree char *token = stored_token (f);
  g_autofree char *body = g_strdup_printf ("{\"refresh_token\":\"%s\"}", token);
  g_autoptr(ParkTestResponse) after = NULL;

  park_client_sign_out_async (f->client, NULL, park_test_result_cb, &r1);
  g_assert_true (park_client_sign_out_finish (f->client, park_test_await (&r1, WAIT_S),
                                              &error));
  g_assert_no_error (error);
  g_assert_false (park_client_get_signed_in (f->client));
  g_assert_cmpuint (f->signed_out, ==, 0);
  left = stored_token (f);
  g_assert_null (left);
  /* The server ended it too: the refresh token no longer works. */
  after = park_test_call (f->backend, NULL, "POST", "api/v1/auth/refresh", body);
  g_assert_cmpuint (after->status, ==, 401);

  me = get_me (f->client, &error);
  g_assert_null (me);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAUTHORIZED);

  /* Signing out twice is harmless. */
  g_clear_error (&error);
  park_client_sign_out_async (f->client, NULL, park_test_result_cb, &r2);
  g_assert_true (park_client_sign_out_finish (f->client, park_test_await (&r2, WAIT_S),
                                              &error));
  g_assert_no_error (error);
}

static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(ParkClient) other = park_client_new (f->backend->url, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  park_client_sign_in_async (other, EMAIL, "not the password", NULL, park_test_result_cb,
                             &result);
  g_assert_false (park_client_sign_in_finish (other, park_test_await (&result, WAIT_S),
                                              &error));
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "invalid-credentials");
  g_assert_false (park_client_get_signed_in (other));
}

static void
test_rate_limited (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* The registration was the first of two a minute from this address. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(ParkClient) other = park_client_new (f->backend->url, NULL);
      g_autoptr(GAsyncResult) result = NULL;

      g_clear_error (&error);
      park_client_sign_in_async (other, EMAIL, PASSWORD, NULL, park_test_result_cb, &result);
      park_client_sign_in_finish (other, park_test_await (&result, WAIT_S), &error);
    }
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_RATE_LIMITED);
  g_assert_cmpuint (park_client_error_get_retry_after (error), >=, 1);
  g_assert_cmpuint (park_client_error_get_http_status (error), ==, 429);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const strict[] = { "--auth-rate-limit", "2", NULL };

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, data, func) \
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("/core/client/auth/signed-in", NULL, test_signed_in);
  ADD ("/core/client/auth/expired-access-token", NULL, test_expired_access_token);
  ADD ("/core/client/auth/concurrent-refresh", NULL, test_concurrent_refresh);
  ADD ("/core/client/auth/revoked-refresh-token", NULL, test_revoked_refresh_token);
  ADD ("/core/client/auth/restore", NULL, test_restore);
  ADD ("/core/client/auth/sign-out", NULL, test_sign_out);
  ADD ("/core/client/auth/wrong-password", NULL, test_wrong_password);
  ADD ("/core/client/auth/rate-limited", strict, test_rate_limited);
#undef ADD

  return g_test_run ();
}
