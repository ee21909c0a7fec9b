/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-error.c: PARK_CLIENT_ERROR from an HTTP status and a problem body: the code, the
 * field and the retry-after travel with the error, and the message is chosen by `code`, never
 * taken from the server's English.
 */
#include "config.h"

#include <gio/gio.h>
#include <park-core.h>
#include <string.h>

#include "park-error-private.h"

static GError *
from_body (guint       status,
           const char *content_type,
           const char *body,
           guint       retry_after)
{
  g_autoptr(GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;

  return _park_client_error_new_from_body (status, content_type, bytes, retry_after);
}

static void
test_status_mapping (void)
{
  static const struct
  {
    guint status;
    ParkClientError code;
  } cases[] = {
    { 400, PARK_CLIENT_ERROR_VALIDATION },
    { 401, PARK_CLIENT_ERROR_UNAUTHORIZED },
    { 402, PARK_CLIENT_ERROR_VALIDATION },
    { 403, PARK_CLIENT_ERROR_FORBIDDEN },
    { 404, PARK_CLIENT_ERROR_NOT_FOUND },
    { 409, PARK_CLIENT_ERROR_CONFLICT },
    { 413, PARK_CLIENT_ERROR_VALIDATION },
    { 422, PARK_CLIENT_ERROR_VALIDATION },
    { 429, PARK_CLIENT_ERROR_RATE_LIMITED },
    { 500, PARK_CLIENT_ERROR_SERVER },
    { 501, PARK_CLIENT_ERROR_SERVER },
    { 502, PARK_CLIENT_ERROR_UNAVAILABLE },
    { 503, PARK_CLIENT_ERROR_UNAVAILABLE },
    { 504, PARK_CLIENT_ERROR_UNAVAILABLE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = park_client_error_new_from_problem (cases[i].status, NULL, NULL,
                                                                    0);

      g_assert_error (error, PARK_CLIENT_ERROR, cases[i].code);
      g_assert_cmpuint (park_client_error_get_http_status (error), ==, cases[i].status);
      g_assert_null (park_client_error_get_field (error));
      g_assert_null (park_client_error_get_problem_code (error));
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
test_problem_body (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(GError) other = NULL;

  error = from_body (400, "application/problem+json",
                     "{\"type\":\"urn:parkade:problem:invalid-field\",\"title\":\"Invalid field\","
                     "\"status\":400,\"detail\":\"end_time must be after start_time\","
                     "\"code\":\"invalid-field\",\"field\":\"end_time\"}", 0);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "end_time");
  g_assert_cmpstr (park_client_error_get_problem_code (error), ==, "invalid-field");
  /* The server's English is for logs, never for people. */
  g_assert_null (strstr (error->message, "must be after"));

  /* The details survive a copy, as GTask and g_propagate_error make. */
  copy = g_error_copy (error);
  g_assert_cmpstr (park_client_error_get_field (copy), ==, "end_time");
  g_assert_cmpstr (park_client_error_get_problem_code (copy), ==, "invalid-field");

  /* Another domain has none of them. */
  other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");
  g_assert_null (park_client_error_get_field (other));
  g_assert_cmpuint (park_client_error_get_retry_after (other), ==, 0);
  g_assert_null (park_client_error_get_field (NULL));
}

static void
test_problem_codes (void)
{
  g_autoptr(GError) taken = from_body (409, "application/problem+json",
                                       "{\"code\":\"spot-taken\",\"status\":409}", 0);
  g_autoptr(GError) closed = from_body (409, "application/problem+json",
                                        "{\"code\":\"lot-closed\",\"field\":\"parking_lot_id\"}",
                                        0);
  g_autoptr(GError) unknown = from_body (409, "application/problem+json",
                                         "{\"code\":\"something-new\"}", 0);

  g_assert_error (taken, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT);
  g_assert_error (closed, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT);
  g_assert_error (unknown, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT);
  /* Each known code has its own message; an unknown one gets its error's. */
  g_assert_cmpstr (taken->message, !=, closed->message);
  g_assert_cmpstr (taken->message, !=, unknown->message);
  g_assert_cmpstr (closed->message, !=, unknown->message);
  g_assert_cmpstr (park_client_error_get_field (closed), ==, "parking_lot_id");
  g_assert_cmpstr (park_client_error_get_problem_code (unknown), ==, "something-new");
}

static void
test_rate_limited (void)
{
  g_autoptr(GError) error = from_body (429, "application/problem+json",
                                       "{\"code\":\"rate-limited\"}",
                                       _park_client_error_parse_retry_after ("7"));
  g_autoptr(GError) no_wait = from_body (429, NULL, NULL, 0);

  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_RATE_LIMITED);
  g_assert_cmpuint (park_client_error_get_retry_after (error), ==, 7);
  g_assert_nonnull (strstr (error->message, "7"));
  g_assert_error (no_wait, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_RATE_LIMITED);
  g_assert_cmpuint (park_client_error_get_retry_after (no_wait), ==, 0);

  g_assert_cmpuint (_park_client_error_parse_retry_after (" 30 "), ==, 30);
  g_assert_cmpuint (_park_client_error_parse_retry_after ("-1"), ==, 0);
  g_assert_cmpuint (_park_client_error_parse_retry_after ("Wed, 21 Oct 2015 07:28:00 GMT"),
                    ==, 0);
  g_assert_cmpuint (_park_client_error_parse_retry_after (NULL), ==, 0);
}

/* A proxy's HTML page, a broken body or a problem with odd members is still an error of its
 * status: never INVALID_RESPONSE, never a crash. */
static void
test_odd_bodies (void)
{
  static const struct
  {
    const char *type;
    const char *body;
  } bodies[] = {
    { "text/html", "<html><body>502 Bad Gateway</body></html>" },
    { "application/problem+json", "{\"code\": 42, \"field\": [\"x\"]}" },
    { "application/problem+json", "not json" },
    { "application/problem+json", "[\"code\"]" },
    { "application/json", "" },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = from_body (502, bodies[i].type, bodies[i].body, 0);

      g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAVAILABLE);
      g_assert_null (park_client_error_get_problem_code (error));
      g_assert_null (park_client_error_get_field (error));
    }
}

static void
test_invalid_response (void)
{
  g_autoptr(GError) error = NULL;

  error = _park_client_error_new_invalid_response ("items.2.name", "“items.2.name” is missing");

  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_INVALID_RESPONSE);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "items.2.name");
  g_assert_cmpuint (park_client_error_get_http_status (error), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core/error/status-mapping", test_status_mapping);
  g_test_add_func ("/core/error/problem-body", test_problem_body);
  g_test_add_func ("/core/error/problem-codes", test_problem_codes);
  g_test_add_func ("/core/error/rate-limited", test_rate_limited);
  g_test_add_func ("/core/error/odd-bodies", test_odd_bodies);
  g_test_add_func ("/core/error/invalid-response", test_invalid_response);

  return g_test_run ();
}
