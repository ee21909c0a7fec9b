/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-test-csv.h: a strict reader of RFC 4180 CSV, for checking parkd's text/csv answers
 * (the OpenAPI check of park-test-backend.c) and reading their rows in tests.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The records of @text (@len bytes), each a GStrv of its fields. Strict RFC 4180: records
 * end with CRLF (the last one may end without), a field holding a comma, a quote or a line
 * break is quoted and its quotes are doubled, a quote appears nowhere else, and every
 * record has as many fields as the first. Anything else fails with G_IO_ERROR_INVALID_DATA
 * naming the record. An empty text has no records. */
GPtrArray *park_test_csv_parse (const char  *text,
                                gsize        len,
                                GError     **error);

G_END_DECLS
