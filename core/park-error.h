/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-error.h: PARK_CLIENT_ERROR, what went wrong in a call to parkd, chosen from the HTTP
 * status and the problem's stable `code` (RFC 9457), never from the server's English text.
 */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/**
 * PARK_CLIENT_ERROR:
 *
 * Error domain of the answers parkd gives (or fails to give sensibly). Errors in this domain
 * come with a message for people, in their language, chosen by the problem's `code`; the
 * details a program needs are read with park_client_error_get_field(),
 * park_client_error_get_problem_code(), park_client_error_get_retry_after() and
 * park_client_error_get_http_status(), which travel with the error (also through
 * g_error_copy()).
 *
 * Failures to reach the server at all are not in this domain: they arrive as the
 * %G_IO_ERROR, %G_TLS_ERROR or %G_RESOLVER_ERROR libsoup reported, unchanged. A cancelled
 * call ends with %G_IO_ERROR_CANCELLED.
 */
#define PARK_CLIENT_ERROR (park_client_error_quark ())

/**
 * ParkClientError:
 * @PARK_CLIENT_ERROR_INVALID_RESPONSE: the server's answer is not what the API describes: not
 *   JSON, or a field is missing or of the wrong type (park_client_error_get_field() names
 *   it, e.g. `items.3.location.lat`), or an unexpected status
 * @PARK_CLIENT_ERROR_UNAUTHORIZED: nobody is signed in, the sign-in ended, or the e-mail
 *   address or password is wrong (HTTP 401)
 * @PARK_CLIENT_ERROR_FORBIDDEN: the account may not do this (HTTP 403)
 * @PARK_CLIENT_ERROR_NOT_FOUND: no such lot, spot, booking, stay or payment, or not one the
 *   account may see (HTTP 404)
 * @PARK_CLIENT_ERROR_CONFLICT: the request clashes with the state of things, e.g. the spot
 *   is taken for part of the time, the lot is closed, the quote expired (HTTP 409);
 *   park_client_error_get_problem_code() says which
 * @PARK_CLIENT_ERROR_VALIDATION: a value given is missing, malformed or refused (HTTP 400,
 *   402, 413, 415, 422); park_client_error_get_field() names the field when the server did
 * @PARK_CLIENT_ERROR_RATE_LIMITED: too many requests; try again after
 *   park_client_error_get_retry_after() seconds (HTTP 429)
 * @PARK_CLIENT_ERROR_SERVER: the server failed (HTTP 500 and other 5xx)
 * @PARK_CLIENT_ERROR_UNAVAILABLE: the server, its database or a payment provider is busy or
 *   down for now (HTTP 502, 503, 504); park_client_error_get_retry_after() may say when to
 *   try again
 *
 * The errors of %PARK_CLIENT_ERROR.
 */
typedef enum
{
  PARK_CLIENT_ERROR_INVALID_RESPONSE,
  PARK_CLIENT_ERROR_UNAUTHORIZED,
  PARK_CLIENT_ERROR_FORBIDDEN,
  PARK_CLIENT_ERROR_NOT_FOUND,
  PARK_CLIENT_ERROR_CONFLICT,
  PARK_CLIENT_ERROR_VALIDATION,
  PARK_CLIENT_ERROR_RATE_LIMITED,
  PARK_CLIENT_ERROR_SERVER,
  PARK_CLIENT_ERROR_UNAVAILABLE,
} ParkClientError;

GQuark       park_client_error_quark             (void);

const char  *park_client_error_get_field         (const GError *error);
const char  *park_client_error_get_problem_code  (const GError *error);
guint        park_client_error_get_retry_after   (const GError *error);
guint        park_client_error_get_http_status   (const GError *error);

GError      *park_client_error_new_from_problem  (guint         http_status,
                                                  const char   *problem_code,
                                                  const char   *field,
                                                  guint         retry_after);

G_END_DECLS
