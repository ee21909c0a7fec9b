/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-test-backend.h: the real parkd for tests, on 127.0.0.1 port 0 with a fresh SQLite
 * database in a temporary directory, and a libsoup client that checks every answer against
 * the server's own OpenAPI document.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess *process;
  char        *tmpdir;
  char        *db_path;
  char        *log_path;
  char        *url;          /* "http://127.0.0.1:PORT/" */
  SoupSession *session;
  JsonNode    *openapi;      /* fetched from the server once started */
} ParkTestBackend;

typedef struct
{
  guint               status;
  char               *content_type;   /* without parameters */
  GBytes             *body;
  JsonNode           *json;           /* when the body is JSON */
  SoupMessageHeaders *headers;
} ParkTestResponse;

const char       *park_test_parkd_path        (void);
const char       *park_test_shared_data_dir   (void);
void              park_test_remove_tree       (const char         *path);
void              park_test_die_with_parent   (gpointer            data);
/* How much longer than usual to wait for parkd: PARK_TEST_TIMEOUT_MULTIPLIER (a sanitizer
 * build sets it), else 1. */
guint             park_test_timeout_multiplier (void);

ParkTestBackend  *park_test_backend_new       (void);
void              park_test_backend_start     (ParkTestBackend    *self,
                                               const char * const *extra_args);
void              park_test_backend_stop      (ParkTestBackend    *self);
void              park_test_backend_free      (ParkTestBackend    *self);

/* The key file parkd uses: beside the SQLite database, or in the test's directory when the
 * database is PostgreSQL (the fixture passes --keys-file then). */
char             *park_test_backend_keys_path (ParkTestBackend    *self);

/* A file holding everything the database stores, for tests that look for secrets at rest:
 * the SQLite file itself, or a pg_dump of the PostgreSQL database. */
char             *park_test_backend_dump      (ParkTestBackend    *self);

/* The sample @name (with its labels, as parkd writes them) in parkd's /metrics; the test
 * fails when there is none. */
gint64            park_test_backend_metric    (ParkTestBackend    *self,
                                               const char         *name);

/* Runs "parkd ARGS… --database <db>" to completion; returns its exit status. */
int               park_test_backend_run_cli   (ParkTestBackend    *self,
                                               const char * const *args,
                                               char              **out,
                                               char              **err);

/* Runs @sql with the sqlite3 shell on the database of the running (or stopped) parkd, for what
 * only time would do (a stay that began hours ago); WAL lets it in beside the server. */
void              park_test_backend_sql       (ParkTestBackend    *self,
                                               const char         *sql);

/* The rows the query @sql returns on @database (a parkd --database: an SQLite file or a
 * postgresql:// URI of this process's cluster): one a line, columns between "|", as the
 * sqlite3 shell and psql (as the tests run it) both write them. */
char             *park_test_database_rows     (const char         *database,
                                               const char         *sql);

ParkTestResponse *park_test_request           (ParkTestBackend    *self,
                                               const char         *method,
                                               const char         *path,
                                               const char         *content_type,
                                               const char         *body,
                                               gssize              body_len);
/* As park_test_request(), but the body is given as bytes, "Expect: 100-continue" is sent when
 * @expect_continue, and a transport failure returns NULL and sets @error. */
ParkTestResponse *park_test_request_full      (ParkTestBackend    *self,
                                               const char         *method,
                                               const char         *path,
                                               const char         *content_type,
                                               GBytes             *body,
                                               gboolean            expect_continue,
                                               GError            **error);
/* As park_test_request_full(), with "Authorization: Bearer @token" when @token is set, or
 * @token itself when it is "Kiosk KEY". */
ParkTestResponse *park_test_request_token     (ParkTestBackend    *self,
                                               const char         *token,
                                               const char         *method,
                                               const char         *path,
                                               const char         *content_type,
                                               GBytes             *body,
                                               gboolean            expect_continue,
                                               GError            **error);
/* The common case: a JSON body (or none), a token (or none); a transport failure fails the
 * test. */
ParkTestResponse *park_test_call              (ParkTestBackend    *self,
                                               const char         *token,
                                               const char         *method,
                                               const char         *path,
                                               const char         *json_body);
ParkTestResponse *park_test_get               (ParkTestBackend    *self,
                                               const char         *format,
                                               ...) G_GNUC_PRINTF (2, 3);
void              park_test_response_free     (ParkTestResponse   *response);
JsonObject       *park_test_response_object   (ParkTestResponse   *response);
void              park_test_assert_problem    (ParkTestResponse   *response,
                                               guint               status,
                                               const char         *code,
                                               const char         *field);

/* Great-circle distance computed here, independently of parkd's own. */
double            park_test_haversine_m       (double lat1,
                                               double lng1,
                                               double lat2,
                                               double lng2);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkTestBackend, park_test_backend_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkTestResponse, park_test_response_free)

G_END_DECLS
