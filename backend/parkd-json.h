/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-json.h: strict JSON input and fast JSON output.
 *
 * json-glib 1.6 overflows its stack on deep nesting, keeps the last of duplicate keys, turns
 * 1e400 into infinity and accepts comments and single quotes. parkd_json_check() reads a body
 * once, strictly (RFC 8259), before json-glib ever sees it.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PARKD_JSON_MAX_DEPTH 32

#define PARKD_REQUEST_ERROR (parkd_request_error_quark ())

typedef enum
{
  PARKD_REQUEST_ERROR_BAD_JSON,
  PARKD_REQUEST_ERROR_TOO_DEEP,
  PARKD_REQUEST_ERROR_DUPLICATE_KEY,
  PARKD_REQUEST_ERROR_NOT_OBJECT,
  PARKD_REQUEST_ERROR_MISSING_FIELD,
  PARKD_REQUEST_ERROR_INVALID_FIELD,
  PARKD_REQUEST_ERROR_TOO_LARGE,
  PARKD_REQUEST_ERROR_UNSUPPORTED_MEDIA_TYPE,
} ParkdRequestError;

GQuark    parkd_request_error_quark (void);

gboolean  parkd_json_check          (const char  *data,
                                     gsize        len,
                                     guint        max_depth,
                                     GError     **error);
JsonNode *parkd_json_parse_object   (const char  *data,
                                     gsize        len,
                                     GError     **error);

void      parkd_json_append_string  (GString     *out,
                                     const char  *str);
void      parkd_json_append_member  (GString     *out,
                                     const char  *name);
void      parkd_json_append_uint    (GString     *out,
                                     guint64      value);
void      parkd_json_append_int     (GString     *out,
                                     gint64       value);
void      parkd_json_append_double  (GString     *out,
                                     double       value,
                                     int          decimals);

G_END_DECLS
