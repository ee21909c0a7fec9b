/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-test-postgresql.h: a private PostgreSQL + PostGIS cluster for one test process, for
 * running the backend's tests against parkd's PostgreSQL store (PARK_TEST_STORE=postgresql).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Is this run meant for the PostgreSQL store (PARK_TEST_STORE=postgresql)? */
gboolean          park_test_postgresql_wanted       (void);

/* A fresh, empty database (postgis and btree_gist created) in this process's cluster, which
 * the first call starts: initdb into a temporary directory, postgres on a free loopback port
 * with its socket in that directory, run as the "postgres" user when the tests run as root.
 * The cluster goes when the process exits (and dies with it when it aborts). Returns the
 * database's postgresql:// URI. */
char             *park_test_postgresql_new_database (void);

/* Stops the cluster's server (ending every connection to it, as a failover would) and
 * starts it again on the same port. */
void              park_test_postgresql_restart      (void);

/* Runs @sql with psql on the database @uri; fails the test when psql does. */
void              park_test_postgresql_sql          (const char *uri,
                                                     const char *sql);

/* As park_test_postgresql_sql(), for one INSERT, UPDATE or DELETE: the rows it touched. */
gint64            park_test_postgresql_changes      (const char *uri,
                                                     const char *sql);

/* The one value the query @sql returns, as text. */
char             *park_test_postgresql_value        (const char *uri,
                                                     const char *sql);

/* The rows the query @sql returns, one a line, columns between "|" (as the sqlite3 shell
 * writes them). */
char             *park_test_postgresql_rows         (const char *uri,
                                                     const char *sql);

/* Writes everything the database @uri holds to @path (pg_dump, plain SQL). */
void              park_test_postgresql_dump         (const char *uri,
                                                     const char *path);

G_END_DECLS
