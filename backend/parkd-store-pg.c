/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-pg.c: the store on PostgreSQL + PostGIS (DESIGN.md, Storage), for an operator
 * that outgrows one SQLite file and runs several parkd replicas.
 *
 * Connections come from a bounded pool (PARKD_PG_POOL_MAX each for the primary and the read
 * replica); every one has a statement time-out and prepares each statement it runs once.
 * Writes are serializable transactions, so the store's "check, then write" steps mean what
 * they mean under SQLite's single writer; a serialization failure or a deadlock is retried
 * from the start, as is a connection lost before COMMIT was sent (after that, the outcome is
 * unknown and the caller hears so). Reads of the lots may go to a read replica.
 *
 * Nearby search: ST_DWithin on the GiST index of the lots' GEOGRAPHY(POINT), ordered by
 * ST_Distance, both on the sphere of the same mean radius the SQLite store uses.
 */
#include "config.h"

#include "parkd-store-pg-private.h"

#include <gio/gio.h>
#include <string.h>

/* Connections per pool, time a statement may take, and attempts at a transaction. */
#define PARKD_PG_POOL_MAX           32
#define PARKD_PG_STATEMENT_TIMEOUT  "5s"
#define PARKD_PG_LOCK_TIMEOUT       "5s"
#define PARKD_PG_ATTEMPTS           10
/* pg_advisory_lock key held while migrating, so replicas starting together migrate once. */
#define PARKD_PG_MIGRATION_LOCK     "7270203"

/* Errors. */

static int
code_for_state (const char *state)
{
  if (state == NULL || state[0] == '\0')
    return PARKD_STORE_ERROR_BACKEND;
  /* A taken key, or an overlapping booking refused by the EXCLUDE constraint. */
  if (strcmp (state, "23505") == 0 || strcmp (state, "23P01") == 0)
    return PARKD_STORE_ERROR_CONFLICT;
  /* Other integrity violations (class 23) and data the schema refuses (class 22). */
  if (strncmp (state, "23", 2) == 0 || strncmp (state, "22", 2) == 0)
    return PARKD_STORE_ERROR_CONSTRAINT;
  return PARKD_STORE_ERROR_BACKEND;
}

static void
conn_note_state (PgConn         *conn,
                 const PGresult *res)
{
  const char *state = res != NULL ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;

  if (conn == NULL)
    return;
  g_strlcpy (conn->sqlstate, state != NULL ? state : "", sizeof conn->sqlstate);
}

gboolean
_parkd_pg_set_error (GError         **error,
                     PgConn          *conn,
                     const PGresult  *res,
                     const char      *what)
{
  const char *message = res != NULL ? PQresultErrorMessage (res) : NULL;
  g_autofree char *trimmed = NULL;

  if ((message == NULL || *message == '\0') && conn != NULL)
    message = PQerrorMessage (conn->pg);
  trimmed = g_strstrip (g_strdup (message != NULL ? message : "unknown error"));
  g_set_error (error, PARKD_STORE_ERROR, code_for_state (conn != NULL ? conn->sqlstate : NULL),
               "%s: %s", what, trimmed);
  return FALSE;
}

gboolean
_parkd_pg_set_write_error (GError     **error,
                           PgConn      *conn,
                           const char  *what,
                           const char  *unique,
                           const char  *check,
                           const char  *foreign_key)
{
  const char *message = NULL;

  if (strcmp (conn->sqlstate, "23505") == 0)
    message = unique;
  else if (strcmp (conn->sqlstate, "23514") == 0)
    message = check;
  else if (strcmp (conn->sqlstate, "23503") == 0)
    message = foreign_key;
  if (message == NULL)
    return _parkd_pg_set_error (error, conn, NULL, what);
  g_set_error_literal (error, PARKD_STORE_ERROR, code_for_state (conn->sqlstate), message);
  return FALSE;
}

/* Statements. */

/* The highest $N in @sql: that many parameters are sent, so a caller may hand more (the
 * same array to a count and to its page) and a statement names only those it uses. */
static int
count_params (const char *sql)
{
  int n = 0;

  for (const char *p = strchr (sql, '$'); p != NULL; p = strchr (p + 1, '$'))
    if (g_ascii_isdigit (p[1]))
      n = MAX (n, (int) g_ascii_strtoll (p + 1, NULL, 10));
  return n;
}

PGresult *
_parkd_pg_query (PgConn              *conn,
                 const char          *sql,
                 int                  n_params,
                 const char * const  *params,
                 GError             **error)
{
  char name[24];
  gpointer value;
  guint number;
  int used;
  PGresult *res;
  ExecStatusType status;

  if (g_hash_table_lookup_extended (conn->prepared, sql, NULL, &value))
    {
      number = GPOINTER_TO_UINT (value) >> 8;
      used = GPOINTER_TO_UINT (value) & 0xff;
    }
  else
    {
      number = g_hash_table_size (conn->prepared) + 1;
      used = count_params (sql);
      g_snprintf (name, sizeof name, "parkd_%u", number);
      res = PQprepare (conn->pg, name, sql, used, NULL);
      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        {
          conn_note_state (conn, res);
          _parkd_pg_set_error (error, conn, res, "prepare");
          if (PQstatus (conn->pg) == CONNECTION_OK)
            g_warning ("cannot prepare %s: %s", sql, PQresultErrorMessage (res));
          PQclear (res);
          return NULL;
        }
      PQclear (res);
      g_hash_table_insert (conn->prepared, (gpointer) sql,
                           GUINT_TO_POINTER (number << 8 | (guint) used));
    }
  g_snprintf (name, sizeof name, "parkd_%u", number);
  g_return_val_if_fail (used <= n_params, NULL);

  res = PQexecPrepared (conn->pg, name, used, params, NULL, NULL, 0);
  status = PQresultStatus (res);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    {
      conn_note_state (conn, res);
      _parkd_pg_set_error (error, conn, res, "query");
      PQclear (res);
      return NULL;
    }
  conn->sqlstate[0] = '\0';
  return res;
}

gboolean
_parkd_pg_exec_simple (PgConn      *conn,
                       const char  *sql,
                       GError     **error)
{
  g_autoptr(PGresult) res = PQexec (conn->pg, sql);
  ExecStatusType status = PQresultStatus (res);

  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    {
      conn_note_state (conn, res);
      return _parkd_pg_set_error (error, conn, res, "statement");
    }
  conn->sqlstate[0] = '\0';
  return TRUE;
}

/* Values. */

char *
_parkd_pg_dup (const PGresult *res,
               int             row,
               int             col)
{
  if (PQgetisnull (res, row, col))
    return NULL;
  return g_strdup (PQgetvalue (res, row, col));
}

gint64
_parkd_pg_int (const PGresult *res,
               int             row,
               int             col)
{
  if (PQgetisnull (res, row, col))
    return 0;
  return g_ascii_strtoll (PQgetvalue (res, row, col), NULL, 10);
}

double
_parkd_pg_double (const PGresult *res,
                  int             row,
                  int             col)
{
  if (PQgetisnull (res, row, col))
    return 0;
  return g_ascii_strtod (PQgetvalue (res, row, col), NULL);
}

/* An amount that may be missing: -1 for NULL. */
gint64
_parkd_pg_amount (const PGresult *res,
                  int             row,
                  int             col)
{
  return PQgetisnull (res, row, col) ? -1 : _parkd_pg_int (res, row, col);
}

gboolean
_parkd_pg_bool (const PGresult *res,
                int             row,
                int             col)
{
  return !PQgetisnull (res, row, col) && PQgetvalue (res, row, col)[0] == 't';
}

GBytes *
_parkd_pg_bytes (const PGresult *res,
                 int             row,
                 int             col)
{
  unsigned char *data;
  size_t len = 0;
  GBytes *bytes;

  if (PQgetisnull (res, row, col))
    return NULL;
  data = PQunescapeBytea ((const unsigned char *) PQgetvalue (res, row, col), &len);
  if (data == NULL)
    return NULL;
  bytes = g_bytes_new (data, len);
  PQfreemem (data);
  return bytes;
}

char *
_parkd_pg_bytes_param (GBytes *bytes)
{
  static const char hex[] = "0123456789abcdef";
  const guint8 *data;
  gsize len;
  char *out;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &len);
  out = g_malloc (2 * len + 3);
  out[0] = '\\';
  out[1] = 'x';
  for (gsize i = 0; i < len; i++)
    {
      out[2 + 2 * i] = hex[data[i] >> 4];
      out[3 + 2 * i] = hex[data[i] & 0xf];
    }
  out[2 + 2 * len] = '\0';
  return out;
}

char *
_parkd_pg_int_param (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

char *
_parkd_pg_double_param (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_dtostr (buf, sizeof buf, value));
}

/* Connections and the pools. */

static void
conn_free (PgConn *conn)
{
  if (conn == NULL)
    return;
  g_clear_pointer (&conn->prepared, g_hash_table_unref);
  g_clear_pointer (&conn->pg, PQfinish);
  g_free (conn);
}

static PgConn *
conn_open (const char  *conninfo,
           GError     **error)
{
  const char *keys[] = { "dbname", "application_name", "connect_timeout", NULL };
  const char *values[] = { conninfo, "parkd", "5", NULL };
  PgConn *conn = g_new0 (PgConn, 1);

  conn->prepared = g_hash_table_new (NULL, NULL);
  /* dbname is expanded as a URI or "key=value" string; what it sets wins over the rest. */
  conn->pg = PQconnectdbParams (keys, values, 1);
  if (conn->pg == NULL || PQstatus (conn->pg) != CONNECTION_OK)
    {
      g_autofree char *message =
        g_strstrip (g_strdup (conn->pg != NULL ? PQerrorMessage (conn->pg) : "out of memory"));

      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_BACKEND,
                   "Cannot connect to PostgreSQL: %s", message);
      conn_free (conn);
      return NULL;
    }
  if (!_parkd_pg_exec_simple (conn,
                              "SET statement_timeout = '" PARKD_PG_STATEMENT_TIMEOUT "'; "
                              "SET lock_timeout = '" PARKD_PG_LOCK_TIMEOUT "'; "
                              "SET TIME ZONE 'UTC'; SET client_min_messages = warning",
                              error))
    {
      g_prefix_error (error, "Cannot set up the PostgreSQL connection: ");
      conn_free (conn);
      return NULL;
    }
  return conn;
}

static void
pool_init (PgPool     *pool,
           const char *conninfo)
{
  pool->conninfo = g_strdup (conninfo);
  g_mutex_init (&pool->lock);
  g_cond_init (&pool->cond);
  g_queue_init (&pool->idle);
  pool->max = PARKD_PG_POOL_MAX;
}

static void
pool_clear (PgPool *pool)
{
  if (pool->conninfo == NULL)
    return;
  g_queue_clear_full (&pool->idle, (GDestroyNotify) conn_free);
  g_mutex_clear (&pool->lock);
  g_cond_clear (&pool->cond);
  g_clear_pointer (&pool->conninfo, g_free);
}

/* An idle connection, a new one while the pool has room, else waits (at most the statement
 * time-out) for one to come back. */
static PgConn *
pool_take (PgPool  *pool,
           GError **error)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  PgConn *conn = NULL;

  g_mutex_lock (&pool->lock);
  while ((conn = g_queue_pop_head (&pool->idle)) == NULL && pool->open >= pool->max)
    if (!g_cond_wait_until (&pool->cond, &pool->lock, deadline))
      {
        g_mutex_unlock (&pool->lock);
        g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_BACKEND,
                     "All %u PostgreSQL connections are busy", pool->max);
        return NULL;
      }
  if (conn == NULL)
    pool->open++;
  g_mutex_unlock (&pool->lock);

  if (conn != NULL && PQstatus (conn->pg) != CONNECTION_OK)
    {
      g_clear_pointer (&conn, conn_free);
    }
  if (conn == NULL)
    {
      conn = conn_open (pool->conninfo, error);
      if (conn == NULL)
        {
          g_mutex_lock (&pool->lock);
          pool->open--;
          g_cond_signal (&pool->cond);
          g_mutex_unlock (&pool->lock);
        }
    }
  return conn;
}

static void
pool_give (PgPool *pool,
           PgConn *conn)
{
  /* A connection never goes back inside a transaction, nor broken. */
  if (conn != NULL && PQstatus (conn->pg) == CONNECTION_OK &&
      PQtransactionStatus (conn->pg) != PQTRANS_IDLE)
    {
      g_autoptr(PGresult) res = PQexec (conn->pg, "ROLLBACK");
    }
  g_mutex_lock (&pool->lock);
  if (conn != NULL && PQstatus (conn->pg) == CONNECTION_OK &&
      PQtransactionStatus (conn->pg) == PQTRANS_IDLE)
    g_queue_push_head (&pool->idle, conn);
  else
    {
      conn_free (conn);
      pool->open--;
    }
  g_cond_signal (&pool->cond);
  g_mutex_unlock (&pool->lock);
}

static void
pool_drop_idle (PgPool *pool)
{
  PgConn *conn;

  g_mutex_lock (&pool->lock);
  while ((conn = g_queue_pop_head (&pool->idle)) != NULL)
    {
      conn_free (conn);
      pool->open--;
    }
  g_cond_broadcast (&pool->cond);
  g_mutex_unlock (&pool->lock);
}

/* Transactions. */

static gboolean
retryable (PgConn   *conn,
           gboolean  commit_sent)
{
  if (PQstatus (conn->pg) != CONNECTION_OK)
    return !commit_sent;
  /* serialization_failure, deadlock_detected: the transaction was rolled back whole. An
   * exclusion violation (23P01) is a concurrent booking that won: run again, the checks
   * before the insert then see it and name the time it holds. */
  return strcmp (conn->sqlstate, "40001") == 0 || strcmp (conn->sqlstate, "40P01") == 0 ||
         strcmp (conn->sqlstate, "23P01") == 0;
}

gboolean
_parkd_pg_transact (ParkdStorePg  *self,
                    gboolean       read_only,
                    PgTxFunc       func,
                    gpointer       data,
                    GError       **error)
{
  return _parkd_pg_transact_full (self, read_only ? PG_TX_READ : PG_TX_SERIALIZABLE, func, data,
                                  error);
}

gboolean
_parkd_pg_transact_full (ParkdStorePg  *self,
                         PgTxMode       mode,
                         PgTxFunc       func,
                         gpointer       data,
                         GError       **error)
{
  gboolean read_only = mode == PG_TX_READ || mode == PG_TX_ONE_READ ||
                       mode == PG_TX_ONE_READ_PRIMARY;
  gboolean one = mode == PG_TX_ONE_READ || mode == PG_TX_ONE_READ_PRIMARY;
  PgPool *pool = (mode == PG_TX_READ || mode == PG_TX_ONE_READ) && self->has_replica
                 ? &self->replica : &self->primary;
  const char *begin = mode == PG_TX_READ ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                    : mode == PG_TX_SERIALIZABLE ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                    : "BEGIN ISOLATION LEVEL READ COMMITTED";

  for (guint attempt = 1;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean commit_sent = FALSE, ok;
      PgConn *conn = pool_take (pool, error);

      if (conn == NULL)
        return FALSE;

      /* One statement is its own transaction: nothing to begin or commit. */
      ok = (one || _parkd_pg_exec_simple (conn, begin, &local_error)) &&
           func (conn, data, &local_error);
      if (ok && !one)
        {
          commit_sent = TRUE;
          ok = _parkd_pg_exec_simple (conn, "COMMIT", &local_error);
        }
      if (ok)
        {
          pool_give (pool, conn);
          if (!read_only)
            _parkd_store_changed ((ParkdStore *) self);
          return TRUE;
        }

      /* A lost connection is likely the server restarting or failing over: every idle one
       * of the pool is as dead, so they go rather than each costing an attempt. */
      if (PQstatus (conn->pg) != CONNECTION_OK)
        pool_drop_idle (pool);
      if (attempt < PARKD_PG_ATTEMPTS && retryable (conn, commit_sent))
        {
          g_debug ("retrying a transaction (attempt %u): %s", attempt + 1, local_error->message);
          pool_give (pool, conn);
          /* Apart, so the racers of this round do not meet again in the next. */
          g_usleep (g_random_int_range (1000, 5000) * attempt);
          continue;
        }
      if (PQstatus (conn->pg) != CONNECTION_OK && commit_sent)
        g_prefix_error (&local_error, "The connection to PostgreSQL was lost while committing; "
                        "the change may or may not have been made: ");
      pool_give (pool, conn);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
}

/* Rows. */

void
_parkd_pg_lot_from_row (ParkdLot       *lot,
                        const PGresult *res,
                        int             row)
{
  /* column 0 is pk */
  lot->id = _parkd_pg_dup (res, row, 1);
  lot->operator_id = _parkd_pg_dup (res, row, 2);
  lot->operator_slug = _parkd_pg_dup (res, row, 3);
  lot->operator_name = _parkd_pg_dup (res, row, 4);
  lot->name = _parkd_pg_dup (res, row, 5);
  lot->address = _parkd_pg_dup (res, row, 6);
  lot->city = _parkd_pg_dup (res, row, 7);
  lot->lat = _parkd_pg_double (res, row, 8);
  lot->lng = _parkd_pg_double (res, row, 9);
  lot->lot_type = _parkd_pg_dup (res, row, 10);
  lot->total_spots = _parkd_pg_int (res, row, 11);
  lot->hourly_rate = _parkd_pg_int (res, row, 12);
  lot->currency = _parkd_pg_dup (res, row, 13);
  lot->time_zone = _parkd_pg_dup (res, row, 14);
  lot->operating_hours = _parkd_pg_dup (res, row, 15);
  lot->amenities = _parkd_pg_dup (res, row, 16);
  lot->status = _parkd_pg_dup (res, row, 17);
  lot->created_at = _parkd_pg_dup (res, row, 18);
  lot->updated_at = _parkd_pg_dup (res, row, 19);
  for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
    {
      lot->availability[t].total = _parkd_pg_int (res, row, 20 + 2 * t);
      lot->availability[t].available = _parkd_pg_int (res, row, 21 + 2 * t);
    }
  lot->distance_m = -1;
}

ParkdOperator *
_parkd_pg_operator_from_row (const PGresult *res,
                             int             row)
{
  ParkdOperator *op = g_new0 (ParkdOperator, 1);

  op->id = _parkd_pg_dup (res, row, 0);
  op->slug = _parkd_pg_dup (res, row, 1);
  op->name = _parkd_pg_dup (res, row, 2);
  op->city = _parkd_pg_dup (res, row, 3);
  op->time_zone = _parkd_pg_dup (res, row, 4);
  op->currency = _parkd_pg_dup (res, row, 5);
  op->created_at = _parkd_pg_dup (res, row, 6);
  return op;
}

typedef struct
{
  const char     *count_sql, *rows_sql, *key, *key2;
  guint           page, per_page;
  PgRowFunc       from_row;
  GDestroyNotify  free_func;
  ParkdPage      *out;
} PageRead;

static gboolean
read_page_tx (PgConn   *conn,
              gpointer  data,
              GError  **error)
{
  PageRead *r = data;
  g_autofree char *limit = _parkd_pg_int_param (r->per_page);
  g_autofree char *offset = _parkd_pg_int_param ((gint64) (r->page - 1) * r->per_page);
  const char *params[] = { r->key, r->key2 };
  const char *row_params[] = { limit, offset, r->key, r->key2 };
  g_autoptr(PGresult) count = NULL;
  g_autoptr(PGresult) rows = NULL;
  ParkdPage *page;

  g_clear_pointer (&r->out, parkd_page_free);
  count = _parkd_pg_query (conn, r->count_sql, 2, params, error);
  if (count == NULL)
    return FALSE;
  rows = _parkd_pg_query (conn, r->rows_sql, 4, row_params, error);
  if (rows == NULL)
    return FALSE;

  page = g_new0 (ParkdPage, 1);
  page->items = g_ptr_array_new_with_free_func (r->free_func);
  page->total = _parkd_pg_int (count, 0, 0);
  page->page = r->page;
  page->per_page = r->per_page;
  for (int i = 0; i < PQntuples (rows); i++)
    g_ptr_array_add (page->items, r->from_row (rows, i));
  r->out = page;
  return TRUE;
}

ParkdPage *
_parkd_pg_read_page (ParkdStorePg    *self,
                     const char      *count_sql,
                     const char      *rows_sql,
                     const char      *key,
                     const char      *key2,
                     guint            page,
                     guint            per_page,
                     PgRowFunc        from_row,
                     GDestroyNotify   free_func,
                     GError         **error)
{
  PageRead r = { count_sql, rows_sql, key, key2, MAX (page, 1), per_page, from_row, free_func,
                 NULL };

  /* Lists that staff page through right after a write go to the primary. */
  if (!_parkd_pg_transact (self, FALSE, read_page_tx, &r, error))
    {
      g_clear_pointer (&r.out, parkd_page_free);
      return NULL;
    }
  return r.out;
}

gpointer
_parkd_pg_load_row_on (PgConn      *conn,
                       const char  *sql,
                       const char  *key1,
                       const char  *key2,
                       PgRowFunc    from_row,
                       const char  *missing,
                       GError     **error)
{
  const char *params[] = { key1, key2 };
  g_autoptr(PGresult) res = _parkd_pg_query (conn, sql, key2 != NULL ? 2 : 1, params, error);

  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND, missing);
      return NULL;
    }
  return from_row (res, 0);
}

typedef struct
{
  const char *sql, *key1, *key2, *missing;
  PgRowFunc   from_row;
  gpointer    out;
} RowRead;

static gboolean
load_row_tx (PgConn   *conn,
             gpointer  data,
             GError  **error)
{
  RowRead *r = data;

  /* Only reached once per transaction: a failure is never retried after a row was made. */
  r->out = _parkd_pg_load_row_on (conn, r->sql, r->key1, r->key2, r->from_row, r->missing,
                                  error);
  return r->out != NULL;
}

gpointer
_parkd_pg_load_row (ParkdStorePg  *self,
                    const char    *sql,
                    const char    *key1,
                    const char    *key2,
                    PgRowFunc      from_row,
                    const char    *missing,
                    GError       **error)
{
  RowRead r = { sql, key1, key2, missing, from_row, NULL };

  if (!_parkd_pg_transact_full (self, PG_TX_ONE_READ_PRIMARY, load_row_tx, &r, error))
    return NULL;
  return r.out;
}

/* A statement that returns no rows; *@changed (unless NULL) says how many it changed. */
gboolean
_parkd_pg_run (PgConn              *conn,
               const char          *sql,
               int                  n_params,
               const char * const  *params,
               int                 *changed,
               GError             **error)
{
  g_autoptr(PGresult) res = _parkd_pg_query (conn, sql, n_params, params, error);

  if (res == NULL)
    return FALSE;
  if (changed != NULL)
    *changed = atoi (PQcmdTuples (res));
  return TRUE;
}

/* After a write that names its row: FALSE with NOT_FOUND (@missing) when it changed none. */
gboolean
_parkd_pg_require_change (int          changed,
                          const char  *missing,
                          GError     **error)
{
  if (changed > 0)
    return TRUE;
  g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND, missing);
  return FALSE;
}

typedef struct
{
  const char         *sql;
  int                 n_params;
  const char * const *params;
  PgRowFunc           from_row;
  GPtrArray          *out;
} ListRead;

static gboolean
read_list_tx (PgConn   *conn,
              gpointer  data,
              GError  **error)
{
  ListRead *r = data;
  g_autoptr(PGresult) res = _parkd_pg_query (conn, r->sql, r->n_params, r->params, error);

  g_ptr_array_set_size (r->out, 0);
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (r->out, r->from_row (res, i));
  return TRUE;
}

GPtrArray *
_parkd_pg_read_list (ParkdStorePg        *self,
                     const char          *sql,
                     int                  n_params,
                     const char * const  *params,
                     PgRowFunc            from_row,
                     GDestroyNotify       free_func,
                     GError             **error)
{
  ListRead r = { sql, n_params, params, from_row, NULL };

  r.out = g_ptr_array_new_with_free_func (free_func);
  if (!_parkd_pg_transact_full (self, PG_TX_ONE_READ_PRIMARY, read_list_tx, &r, error))
    g_clear_pointer (&r.out, g_ptr_array_unref);
  return r.out;
}

/* Migrations: the numbered .sql files under /org/parkade/parkd/sql-pg, each applied once in
 * its own transaction, recorded in schema_migrations as the SQLite store does. */
static gboolean
migrate (PgConn  *conn,
         GError **error)
{
  g_auto(GStrv) names = NULL;
  gboolean ok = TRUE;

  /* The migration files create the extensions (postgis, btree_gist) themselves. */
  if (!_parkd_pg_exec_simple (conn, "SELECT pg_advisory_lock (" PARKD_PG_MIGRATION_LOCK ")",
                              error))
    return FALSE;
  if (!_parkd_pg_exec_simple (conn,
                              "CREATE TABLE IF NOT EXISTS schema_migrations ("
                              " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                              " applied_at TEXT NOT NULL)",
                              error))
    goto out_fail;

  names = g_resources_enumerate_children ("/org/parkade/parkd/sql-pg", 0, error);
  if (names == NULL)
    goto out_fail;
  for (guint i = 0; names[i] != NULL; i++)
    for (guint j = i + 1; names[j] != NULL; j++)
      if (g_strcmp0 (names[i], names[j]) > 0)
        {
          char *tmp = names[i];
          names[i] = names[j];
          names[j] = tmp;
        }

  for (guint i = 0; ok && names[i] != NULL; i++)
    {
      g_autofree char *rpath = g_strconcat ("/org/parkade/parkd/sql-pg/", names[i], NULL);
      g_autofree char *version = NULL;
      g_autofree char *now = NULL;
      g_autofree char *sql = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(PGresult) res = NULL;
      gint64 number = g_ascii_strtoll (names[i], NULL, 10);

      if (number <= 0 || !g_str_has_suffix (names[i], ".sql"))
        continue;
      version = _parkd_pg_int_param (number);
      {
        const char *params[] = { version };

        res = _parkd_pg_query_v (conn, "SELECT 1 FROM schema_migrations WHERE version = $1",
                                 params, error);
      }
      if (res == NULL)
        goto out_fail;
      if (PQntuples (res) > 0)
        continue;

      bytes = g_resources_lookup_data (rpath, 0, error);
      if (bytes == NULL)
        goto out_fail;
      sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      now = parkd_now_rfc3339 ();
      if (!_parkd_pg_exec_simple (conn, "BEGIN", error))
        goto out_fail;
      /* A migration may take longer than a request's statement. */
      ok = _parkd_pg_exec_simple (conn, "SET LOCAL statement_timeout = 0", error) &&
           _parkd_pg_exec_simple (conn, sql, error);
      if (!ok)
        g_prefix_error (error, "Migration %s: ", names[i]);
      else
        {
          const char *params[] = { version, names[i], now };
          g_autoptr(PGresult) done =
            _parkd_pg_query_v (conn, "INSERT INTO schema_migrations (version, name, applied_at) "
                               "VALUES ($1, $2, $3)", params, error);

          ok = done != NULL && _parkd_pg_exec_simple (conn, "COMMIT", error);
        }
      if (!ok)
        {
          g_autoptr(PGresult) rollback = PQexec (conn->pg, "ROLLBACK");
        }
      else
        g_debug ("applied migration %s", names[i]);
    }
  if (!ok)
    goto out_fail;
  return _parkd_pg_exec_simple (conn, "SELECT pg_advisory_unlock (" PARKD_PG_MIGRATION_LOCK ")",
                                error);

out_fail:
  {
    g_autoptr(PGresult) unlock =
      PQexec (conn->pg, "SELECT pg_advisory_unlock (" PARKD_PG_MIGRATION_LOCK ")");
  }
  return FALSE;
}

/* The lots: reads. */

static const char SQL_COUNTS[] =
  "SELECT (SELECT count(*) FROM operators), (SELECT count(*) FROM parking_lots), "
  "(SELECT count(*) FROM parking_spots)";
static const char SQL_BOUNDS[] =
  "SELECT min (lng), min (lat), max (lng), max (lat), count(*) FROM parking_lots";
static const char SQL_LOT_BY_ID[] =
  "SELECT " PG_LOT_COLUMNS " FROM parking_lots l JOIN operators o ON o.id = l.operator_id"
  PG_COUNTS_JOIN "WHERE l.id = $1";
static const char SQL_LOTS_BY_IDS[] =
  "SELECT " PG_LOT_COLUMNS " FROM parking_lots l JOIN operators o ON o.id = l.operator_id"
  PG_COUNTS_JOIN "WHERE l.id = ANY ($1::text[]) ORDER BY array_position ($1::text[], l.id)";
static const char SQL_LOT_PK_BY_ID[] = "SELECT pk FROM parking_lots WHERE id = $1";
static const char SQL_OPERATOR_BY_SLUG[] =
  "SELECT " PG_OPERATOR_COLUMNS " FROM operators WHERE slug = $1";

/* The search's filters on the live counts: $3 a spot type or NULL, $4 only lots with a free
 * spot (of that type) that are open. */
#define AVAILABLE_OR_TOTAL(type) \
  "CASE WHEN $4::boolean THEN c." type "_available ELSE c." type "_total END "
#define SEARCH_FILTER \
  " AND ($3::text IS NULL OR CASE $3::text " \
  "   WHEN 'regular' THEN " AVAILABLE_OR_TOTAL ("regular") \
  "   WHEN 'disabled' THEN " AVAILABLE_OR_TOTAL ("disabled") \
  "   WHEN 'ev' THEN " AVAILABLE_OR_TOTAL ("ev") \
  "   WHEN 'compact' THEN " AVAILABLE_OR_TOTAL ("compact") \
  "   ELSE " AVAILABLE_OR_TOTAL ("motorcycle") "END > 0) " \
  " AND (NOT $4::boolean OR (l.status = 'open' AND ($3::text IS NOT NULL OR " \
  "   c.regular_available + c.disabled_available + c.ev_available + c.compact_available + " \
  "   c.motorcycle_available > 0))) "

/* The text a search asks for ($N, already folded by parkd_fold_text(): case-folded, no
 * accents) in the lot's name, address or city, folded alike (lower() and unaccent(), which
 * also writes ß as ss). */
#define SEARCH_TEXT(n) \
  " AND ($" n "::text IS NULL OR strpos (unaccent (lower (l.name || ' ' || l.address || ' ' || " \
  "   coalesce (l.city, ''))), $" n "::text) > 0) "

/* $1 lat, $2 lng of the centre; distances on the sphere (use_spheroid false), as SQLite's. */
#define SEARCH_POINT "ST_SetSRID (ST_MakePoint ($2::float8, $1::float8), 4326)::geography"

/* The page of lots within $5 metres, nearest first, with the number of all of them. */
static const char SQL_SEARCH_CIRCLE[] =
  "WITH hits AS ("
  " SELECT l.pk, ST_Distance (l.location, " SEARCH_POINT ", false) AS d, count(*) OVER () AS n"
  " FROM parking_lots l" PG_COUNTS_JOIN
  " WHERE ST_DWithin (l.location, " SEARCH_POINT ", $5::float8, false)" SEARCH_FILTER
  SEARCH_TEXT ("8")
  " ORDER BY d, l.pk LIMIT $6 OFFSET $7) "
  "SELECT " PG_LOT_COLUMNS ", h.d, h.n FROM hits h JOIN parking_lots l ON l.pk = h.pk"
  " JOIN operators o ON o.id = l.operator_id" PG_COUNTS_JOIN "ORDER BY h.d, h.pk";
/* The page of lots inside the box $5..$8 (min lng, min lat, max lng, max lat), nearest to
 * ($1, $2) first. */
static const char SQL_SEARCH_BOX[] =
  "WITH hits AS ("
  " SELECT l.pk, ST_Distance (l.location, " SEARCH_POINT ", false) AS d, count(*) OVER () AS n"
  " FROM parking_lots l" PG_COUNTS_JOIN
  " WHERE l.lng BETWEEN $5::float8 AND $7::float8 AND l.lat BETWEEN $6::float8 AND $8::float8"
  SEARCH_FILTER SEARCH_TEXT ("11")
  " ORDER BY d, l.pk LIMIT $9 OFFSET $10) "
  "SELECT " PG_LOT_COLUMNS ", h.d, h.n FROM hits h JOIN parking_lots l ON l.pk = h.pk"
  " JOIN operators o ON o.id = l.operator_id" PG_COUNTS_JOIN "ORDER BY h.d, h.pk";

#define SPOT_WHERE \
  "FROM parking_spots s WHERE s.lot_pk = $1 AND ($2::text IS NULL OR s.spot_type = $2::text) " \
  "AND ($3::text IS NULL OR s.state = $3::text) AND ($4::int IS NULL OR s.level = $4::int)"
static const char SQL_SPOTS[] =
  "SELECT s.id, s.number, s.spot_type, s.level, s.state, s.updated_at " SPOT_WHERE
  " ORDER BY s.level, length (s.number), s.number LIMIT $5 OFFSET $6";
static const char SQL_SPOTS_COUNT[] = "SELECT count(*) " SPOT_WHERE;

static ParkdStorePg *
pg (ParkdStore *store)
{
  return (ParkdStorePg *) store;
}

gboolean
_parkd_pg_lookup_lot_pk (PgConn      *conn,
                         const char  *lot_id,
                         gint64      *pk,
                         GError     **error)
{
  const char *params[] = { lot_id };
  g_autoptr(PGresult) res = _parkd_pg_query_v (conn, SQL_LOT_PK_BY_ID, params, error);

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND, "No such parking lot");
      return FALSE;
    }
  *pk = _parkd_pg_int (res, 0, 0);
  return TRUE;
}

typedef struct
{
  const char *sql;
  int         n_params;
  const char *params[12];
  PGresult   *out;
} OneQuery;

static gboolean
one_query_tx (PgConn   *conn,
              gpointer  data,
              GError  **error)
{
  OneQuery *q = data;

  g_clear_pointer (&q->out, PQclear);
  q->out = _parkd_pg_query (conn, q->sql, q->n_params, q->params, error);
  return q->out != NULL;
}

/* One statement in a read-only transaction, on the replica when there is one. */
static PGresult *
read_one (ParkdStorePg  *self,
          OneQuery      *q,
          GError       **error)
{
  if (!_parkd_pg_transact_full (self, PG_TX_ONE_READ, one_query_tx, q, error))
    {
      g_clear_pointer (&q->out, PQclear);
      return NULL;
    }
  return g_steal_pointer (&q->out);
}

static gboolean
pg_ping (ParkdStore  *store,
         GError     **error)
{
  OneQuery q = { "SELECT count(*) FROM schema_migrations", 0, { NULL, }, NULL };
  g_autoptr(PGresult) res = NULL;

  /* The primary: /ready must fail when writes cannot be made. */
  if (!_parkd_pg_transact (pg (store), FALSE, one_query_tx, &q, error))
    return FALSE;
  res = q.out;
  return TRUE;
}

static gboolean
pg_warm (ParkdStore  *store,
         GError     **error)
{
  /* Nothing is kept in memory between requests; opening a connection is what warms. */
  return pg_ping (store, error);
}

static gboolean
pg_counts (ParkdStore        *store,
           ParkdStoreCounts  *counts,
           GError           **error)
{
  OneQuery q = { SQL_COUNTS, 0, { NULL, }, NULL };
  g_autoptr(PGresult) res = read_one (pg (store), &q, error);

  if (res == NULL)
    return FALSE;
  counts->operators = _parkd_pg_int (res, 0, 0);
  counts->lots = _parkd_pg_int (res, 0, 1);
  counts->spots = _parkd_pg_int (res, 0, 2);
  return TRUE;
}

static ParkdPage *
pg_search_lots (ParkdStore           *store,
                const ParkdLotQuery  *query,
                GError              **error)
{
  g_autofree char *lat = _parkd_pg_double_param (query->lat);
  g_autofree char *lng = _parkd_pg_double_param (query->lng);
  g_autofree char *radius = _parkd_pg_double_param (query->radius_m);
  g_autofree char *min_lng = _parkd_pg_double_param (query->min_lng);
  g_autofree char *min_lat = _parkd_pg_double_param (query->min_lat);
  g_autofree char *max_lng = _parkd_pg_double_param (query->max_lng);
  g_autofree char *max_lat = _parkd_pg_double_param (query->max_lat);
  g_autofree char *limit = _parkd_pg_int_param (query->per_page);
  g_autofree char *offset = _parkd_pg_int_param ((gint64) (query->page - 1) * query->per_page);
  const char *type = query->has_spot_type ? parkd_spot_type_to_string (query->spot_type) : NULL;
  const char *available = query->available_only ? "true" : "false";
  g_autoptr(PGresult) res = NULL;
  ParkdPage *page;
  OneQuery q = { NULL, };
  int n, limit_at;

  if (query->has_bbox)
    {
      const char *params[] = { lat, lng, type, available, min_lng, min_lat, max_lng, max_lat,
                               limit, offset, query->text };

      limit_at = 8;
      q.sql = SQL_SEARCH_BOX;
      q.n_params = G_N_ELEMENTS (params);
      memcpy (q.params, params, sizeof params);
    }
  else
    {
      const char *params[] = { lat, lng, type, available, radius, limit, offset, query->text };

      limit_at = 5;
      q.sql = SQL_SEARCH_CIRCLE;
      q.n_params = G_N_ELEMENTS (params);
      memcpy (q.params, params, sizeof params);
    }
  res = read_one (pg (store), &q, error);
  if (res == NULL)
    return NULL;

  n = PQntuples (res);
  page = g_new0 (ParkdPage, 1);
  page->items = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_lot_free);
  page->page = query->page;
  page->per_page = query->per_page;
  for (int i = 0; i < n; i++)
    {
      ParkdLot *lot = g_new0 (ParkdLot, 1);

      _parkd_pg_lot_from_row (lot, res, i);
      lot->distance_m = _parkd_pg_double (res, i, PG_LOT_N_COLUMNS);
      g_ptr_array_add (page->items, lot);
    }
  if (n > 0)
    page->total = _parkd_pg_int (res, 0, PG_LOT_N_COLUMNS + 1);
  else if (query->page > 1)
    {
      /* Past the last page: the same search's first row still counts them all. */
      g_autoptr(PGresult) first = NULL;

      q.params[limit_at] = "1";
      q.params[limit_at + 1] = "0";
      first = read_one (pg (store), &q, error);
      if (first == NULL)
        {
          parkd_page_free (page);
          return NULL;
        }
      page->total = PQntuples (first) > 0 ? _parkd_pg_int (first, 0, PG_LOT_N_COLUMNS + 1) : 0;
    }
  return page;
}

static gpointer
lot_row (const PGresult *res,
         int             row)
{
  ParkdLot *lot = g_new0 (ParkdLot, 1);

  _parkd_pg_lot_from_row (lot, res, row);
  return lot;
}

static ParkdLot *
pg_get_lot (ParkdStore  *store,
            const char  *id,
            GError     **error)
{
  OneQuery q = { SQL_LOT_BY_ID, 1, { id, }, NULL };
  g_autoptr(PGresult) res = read_one (pg (store), &q, error);

  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND, "No such parking lot");
      return NULL;
    }
  return lot_row (res, 0);
}

typedef struct
{
  const char           *lot_id;
  const ParkdSpotQuery *query;
  ParkdPage            *out;
} SpotsRead;

static gboolean
list_spots_tx (PgConn   *conn,
               gpointer  data,
               GError  **error)
{
  SpotsRead *r = data;
  const ParkdSpotQuery *query = r->query;
  g_autofree char *pk = NULL;
  g_autofree char *level = query->has_level ? _parkd_pg_int_param (query->level) : NULL;
  g_autofree char *limit = _parkd_pg_int_param (query->per_page);
  g_autofree char *offset = _parkd_pg_int_param ((gint64) (query->page - 1) * query->per_page);
  g_autoptr(PGresult) count = NULL;
  g_autoptr(PGresult) rows = NULL;
  gint64 lot_pk;
  ParkdPage *page;

  g_clear_pointer (&r->out, parkd_page_free);
  if (!_parkd_pg_lookup_lot_pk (conn, r->lot_id, &lot_pk, error))
    return FALSE;
  pk = _parkd_pg_int_param (lot_pk);
  {
    const char *params[] = {
      pk,
      query->has_type ? parkd_spot_type_to_string (query->type) : NULL,
      query->has_state ? parkd_spot_state_to_string (query->state) : NULL,
      level, limit, offset,
    };

    count = _parkd_pg_query (conn, SQL_SPOTS_COUNT, 4, params, error);
    if (count == NULL)
      return FALSE;
    rows = _parkd_pg_query (conn, SQL_SPOTS, 6, params, error);
    if (rows == NULL)
      return FALSE;
  }

  page = g_new0 (ParkdPage, 1);
  page->items = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_spot_free);
  page->page = query->page;
  page->per_page = query->per_page;
  page->total = _parkd_pg_int (count, 0, 0);
  for (int i = 0; i < PQntuples (rows); i++)
    {
      ParkdSpot *spot = g_new0 (ParkdSpot, 1);

      spot->id = _parkd_pg_dup (rows, i, 0);
      spot->lot_id = g_strdup (r->lot_id);
      spot->number = _parkd_pg_dup (rows, i, 1);
      parkd_spot_type_from_string (PQgetvalue (rows, i, 2), &spot->type);
      spot->level = _parkd_pg_int (rows, i, 3);
      parkd_spot_state_from_string (PQgetvalue (rows, i, 4), &spot->state);
      spot->updated_at = _parkd_pg_dup (rows, i, 5);
      g_ptr_array_add (page->items, spot);
    }
  r->out = page;
  return TRUE;
}

static ParkdPage *
pg_list_spots (ParkdStore            *store,
               const char            *lot_id,
               const ParkdSpotQuery  *query,
               GError               **error)
{
  SpotsRead r = { lot_id, query, NULL };

  if (!_parkd_pg_transact (pg (store), TRUE, list_spots_tx, &r, error))
    {
      g_clear_pointer (&r.out, parkd_page_free);
      return NULL;
    }
  return r.out;
}

/* A text[] literal of @ids: {"a","b"}; ids are UUIDs or what a client sent, so quote all. */
static char *
text_array (const char * const *ids)
{
  GString *out = g_string_new ("{");

  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '"');
      for (const char *p = ids[i]; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static GPtrArray *
pg_get_availability (ParkdStore          *store,
                     const char * const  *lot_ids,
                     GError             **error)
{
  g_autofree char *ids = text_array (lot_ids);
  OneQuery q = { SQL_LOTS_BY_IDS, 1, { ids, }, NULL };
  g_autoptr(PGresult) res = read_one (pg (store), &q, error);
  GPtrArray *lots;

  if (res == NULL)
    return NULL;
  lots = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_lot_free);
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (lots, lot_row (res, i));
  return lots;
}

static gboolean
pg_bounds (ParkdStore  *store,
           double      *min_lng,
           double      *min_lat,
           double      *max_lng,
           double      *max_lat,
           GError     **error)
{
  OneQuery q = { SQL_BOUNDS, 0, { NULL, }, NULL };
  g_autoptr(PGresult) res = read_one (pg (store), &q, error);

  if (res == NULL)
    return FALSE;
  if (_parkd_pg_int (res, 0, 4) == 0)
    {
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND, "No parking lots yet");
      return FALSE;
    }
  *min_lng = _parkd_pg_double (res, 0, 0);
  *min_lat = _parkd_pg_double (res, 0, 1);
  *max_lng = _parkd_pg_double (res, 0, 2);
  *max_lat = _parkd_pg_double (res, 0, 3);
  return TRUE;
}

static gpointer
operator_row (const PGresult *res,
              int             row)
{
  return _parkd_pg_operator_from_row (res, row);
}

static ParkdOperator *
pg_get_operator (ParkdStore  *store,
                 const char  *slug,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  ParkdOperator *op = _parkd_pg_load_row (pg (store), SQL_OPERATOR_BY_SLUG, slug, NULL,
                                          operator_row, "No such operator", &local_error);

  if (op == NULL && g_error_matches (local_error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
    g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND, "No operator '%s'", slug);
  else if (op == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return op;
}

/* The lots: the import. */

static const char SQL_INSERT_OPERATOR[] =
  "INSERT INTO operators (id, slug, name, city, time_zone, currency, created_at, updated_at) "
  "VALUES ($1, $2, $3, $4, $5, $6, $7, $7)";
static const char SQL_INSERT_LOT[] =
  "INSERT INTO parking_lots (id, operator_id, name, address, city, lat, lng, lot_type, "
  "total_spots, hourly_rate, currency, time_zone, operating_hours, amenities, status, "
  "created_at, updated_at) "
  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) "
  "RETURNING pk";
static const char SQL_LOT_EXISTS[] =
  "SELECT 1 FROM parking_lots WHERE operator_id = $1 AND name = $2 AND lat = $3 AND lng = $4";
/* A lot's spots in one statement: the arrays hold each spot's id, number, type, level, state. */
static const char SQL_INSERT_SPOTS[] =
  "INSERT INTO parking_spots (id, lot_pk, number, spot_type, level, state, updated_at) "
  "SELECT s.id, $1, s.number, s.spot_type, s.level, s.state, $7 "
  "FROM unnest ($2::text[], $3::text[], $4::text[], $5::int[], $6::text[]) "
  "AS s (id, number, spot_type, level, state)";

ParkdOperator *
_parkd_pg_insert_operator_locked (PgConn               *conn,
                                  const ParkdOperator  *want,
                                  const char           *now,
                                  GError              **error)
{
  g_autoptr(ParkdOperator) op = g_new0 (ParkdOperator, 1);
  g_autoptr(PGresult) res = NULL;

  op->id = g_uuid_string_random ();
  op->slug = g_strdup (want->slug);
  op->name = g_strdup (want->name != NULL ? want->name : want->slug);
  op->city = g_strdup (want->city != NULL ? want->city : "");
  op->time_zone = g_strdup (want->time_zone);
  op->currency = g_strdup (want->currency);
  op->created_at = g_strdup (now);
  {
    const char *params[] = { op->id, op->slug, op->name, op->city, op->time_zone, op->currency,
                             op->created_at };

    res = _parkd_pg_query_v (conn, SQL_INSERT_OPERATOR, params, NULL);
  }
  if (res == NULL)
    {
      _parkd_pg_set_write_error (error, conn, "create operator",
                                 "An operator with this slug exists",
                                 "The currency must be a three-letter ISO 4217 code", NULL);
      return NULL;
    }
  return g_steal_pointer (&op);
}

static ParkdOperator *
ensure_operator_locked (PgConn               *conn,
                        const ParkdOperator  *want,
                        const char           *now,
                        GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  ParkdOperator *op = _parkd_pg_load_row_on (conn, SQL_OPERATOR_BY_SLUG, want->slug, NULL,
                                             operator_row, "No such operator", &local_error);

  if (op != NULL || !g_error_matches (local_error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
    {
      if (op == NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return op;
    }
  return _parkd_pg_insert_operator_locked (conn, want, now, error);
}

/* Spot numbers as drivers read them on signs, as in the SQLite store. */
static char *
spot_number (int   level,
             guint n,
             guint n_levels)
{
  if (n_levels <= 1)
    return g_strdup_printf ("%u", n);
  if (level < 0)
    return g_strdup_printf ("U%d-%03u", -level, n);
  return g_strdup_printf ("%d-%03u", level, n);
}

/* Appends @value to an array literal being built in @array, quoted; close it with '}'. */
static void
array_add (GString    *array,
           const char *value)
{
  g_string_append_c (array, array->len == 0 ? '{' : ',');
  g_string_append_c (array, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (array, '\\');
      g_string_append_c (array, *p);
    }
  g_string_append_c (array, '"');
}

gboolean
_parkd_pg_insert_lot_locked (PgConn               *conn,
                             const ParkdOperator  *op,
                             ParkdNewLot          *nl,
                             const char           *now,
                             GError              **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (nl->occupancy_seed);
  g_autofree char *lot_id = g_uuid_string_random ();
  g_autofree char *lat = _parkd_pg_double_param (nl->lot.lat);
  g_autofree char *lng = _parkd_pg_double_param (nl->lot.lng);
  g_autofree char *total_text = NULL, *rate = NULL, *pk = NULL;
  g_autoptr(GString) ids = g_string_new (""), numbers = g_string_new (""),
                     types = g_string_new (""), levels = g_string_new (""),
                     states = g_string_new ("");
  g_autoptr(PGresult) res = NULL;
  ParkdLot *lot = &nl->lot;
  guint total = 0, per_level, n_levels, index = 0;

  for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
    total += nl->n_spots[t];
  n_levels = MAX (nl->n_levels, 1);
  per_level = (total + n_levels - 1) / n_levels;

  /* Importing a file again must not double its lots. */
  {
    const char *params[] = { op->id, lot->name, lat, lng };

    res = _parkd_pg_query_v (conn, SQL_LOT_EXISTS, params, error);
  }
  if (res == NULL)
    return FALSE;
  nl->existed = PQntuples (res) > 0;
  if (nl->existed)
    return TRUE;
  g_clear_pointer (&res, PQclear);

  total_text = _parkd_pg_int_param (total);
  rate = _parkd_pg_int_param (lot->hourly_rate);
  {
    const char *params[] = {
      lot_id, op->id, lot->name, lot->address, lot->city != NULL ? lot->city : op->city,
      lat, lng, lot->lot_type, total_text, rate,
      lot->currency != NULL ? lot->currency : op->currency,
      lot->time_zone != NULL ? lot->time_zone : op->time_zone,
      lot->operating_hours, lot->amenities != NULL ? lot->amenities : "[]",
      lot->status != NULL ? lot->status : "open", now,
    };

    res = _parkd_pg_query_v (conn, SQL_INSERT_LOT, params, NULL);
  }
  if (res == NULL)
    return _parkd_pg_set_error (error, conn, NULL, lot->name != NULL ? lot->name : "lot");
  pk = _parkd_pg_dup (res, 0, 0);

  /* Fill level by level, the special spots first (near the entrance and the lift). */
  for (guint t = PARKD_N_SPOT_TYPES; t-- > 0;)
    {
      ParkdSpotType type = t == 0 ? PARKD_SPOT_TYPE_REGULAR : t;

      for (guint i = 0; i < nl->n_spots[type]; i++, index++)
        {
          g_autofree char *spot_id = g_uuid_string_random ();
          g_autofree char *number = NULL;
          g_autofree char *level_text = NULL;
          guint level_index = index / per_level;
          int level = nl->underground ? -(int) level_index - 1 : (int) level_index;
          gboolean occupied = g_rand_double (rand) < nl->occupancy;

          number = spot_number (level, index % per_level + 1, n_levels);
          level_text = g_strdup_printf ("%d", level);
          array_add (ids, spot_id);
          array_add (numbers, number);
          array_add (types, parkd_spot_type_to_string (type));
          array_add (levels, level_text);
          array_add (states, occupied ? "occupied" : "available");
        }
    }
  if (index > 0)
    {
      g_autoptr(PGresult) spots = NULL;
      const char *params[] = { pk, NULL, NULL, NULL, NULL, NULL, now };

      g_string_append_c (ids, '}');
      g_string_append_c (numbers, '}');
      g_string_append_c (types, '}');
      g_string_append_c (levels, '}');
      g_string_append_c (states, '}');
      params[1] = ids->str;
      params[2] = numbers->str;
      params[3] = types->str;
      params[4] = levels->str;
      params[5] = states->str;
      spots = _parkd_pg_query_v (conn, SQL_INSERT_SPOTS, params, error);
      if (spots == NULL)
        return FALSE;
    }

  g_free (lot->id);
  lot->id = g_steal_pointer (&lot_id);
  return TRUE;
}

typedef struct
{
  const ParkdOperator  *want;
  ParkdNewLot         **lots;
  guint                 n_lots;
  const ParkdAudit     *audit;
} ImportWrite;

static gboolean
import_tx (PgConn   *conn,
           gpointer  data,
           GError  **error)
{
  ImportWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autoptr(ParkdOperator) op = ensure_operator_locked (conn, w->want, now, error);

  if (op == NULL)
    return FALSE;
  for (guint i = 0; i < w->n_lots; i++)
    if (!_parkd_pg_insert_lot_locked (conn, op, w->lots[i], now, error))
      return FALSE;
  /* The audit entry names the operator the lots went to. */
  return w->audit == NULL || _parkd_pg_audit_locked (conn, w->audit, now, op->id, error);
}

static gboolean
pg_import_lots (ParkdStore           *store,
                const ParkdOperator  *want,
                ParkdNewLot         **lots,
                guint                 n_lots,
                const ParkdAudit     *audit,
                GError              **error)
{
  ImportWrite w = { want, lots, n_lots, audit };

  return _parkd_pg_transact (pg (store), FALSE, import_tx, &w, error);
}

static void
pg_free (ParkdStore *store)
{
  ParkdStorePg *self = pg (store);

  _parkd_pg_bookings_stop (self);
  pool_clear (&self->primary);
  pool_clear (&self->replica);
  g_clear_pointer (&self->partitions, g_hash_table_unref);
  g_mutex_clear (&self->partitions_lock);
  g_mutex_clear (&self->outbox_lock);
  g_free (self->pending_snapshot);
  g_free (self);
}

static ParkdStoreVTable pg_vtable = {
  .kind = "postgresql",
  /* Some of the pool's connections stay for the publisher, the expiry and the bookings'
   * own threads. */
  .concurrency = PARKD_PG_POOL_MAX * 3 / 4,
  .free = pg_free,
  .ping = pg_ping,
  .warm = pg_warm,
  .counts = pg_counts,
  .search_lots = pg_search_lots,
  .get_lot = pg_get_lot,
  .list_spots = pg_list_spots,
  .get_availability = pg_get_availability,
  .bounds = pg_bounds,
  .get_operator = pg_get_operator,
  .import_lots = pg_import_lots,
};

static gsize pg_vtable_ready;

ParkdStore *
_parkd_store_pg_open (const char  *uri,
                      const char  *replica_uri,
                      GError     **error)
{
  ParkdStorePg *self;
  PgConn *conn;

  if (g_once_init_enter (&pg_vtable_ready))
    {
      _parkd_pg_accounts_vtable (&pg_vtable);
      _parkd_pg_live_vtable (&pg_vtable);
      _parkd_pg_reservations_vtable (&pg_vtable);
      _parkd_pg_payments_vtable (&pg_vtable);
      _parkd_pg_sessions_vtable (&pg_vtable);
      _parkd_pg_shifts_vtable (&pg_vtable);
      _parkd_pg_sensors_vtable (&pg_vtable);
      _parkd_pg_kiosks_vtable (&pg_vtable);
      _parkd_pg_analytics_vtable (&pg_vtable);
      g_once_init_leave (&pg_vtable_ready, 1);
    }

  self = g_new0 (ParkdStorePg, 1);
  self->parent.vtable = &pg_vtable;
  g_mutex_init (&self->partitions_lock);
  g_mutex_init (&self->outbox_lock);
  self->partitions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  pool_init (&self->primary, uri);
  if (replica_uri != NULL && *replica_uri != '\0')
    {
      pool_init (&self->replica, replica_uri);
      self->has_replica = TRUE;
    }

  conn = pool_take (&self->primary, error);
  if (conn == NULL || !migrate (conn, error))
    {
      pool_give (&self->primary, conn);
      pg_free ((ParkdStore *) self);
      return NULL;
    }
  pool_give (&self->primary, conn);
  if (!_parkd_pg_prepare_partitions (self, error))
    {
      pg_free ((ParkdStore *) self);
      return NULL;
    }
  _parkd_pg_bookings_start (self);
  return (ParkdStore *) self;
}
