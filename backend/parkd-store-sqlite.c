/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-sqlite.c: the embedded store.
 *
 * One writer connection behind a mutex and a small pool of read-only connections, each with
 * its own cache of prepared statements (as libshumate's file cache keeps its statements). The
 * database runs in WAL mode, so readers never wait for the writer and the event loops can read
 * without blocking; writes are short transactions taken with BEGIN IMMEDIATE.
 *
 * Nearby search: the R*Tree gives the lots inside a bounding box of the circle, then the exact
 * great-circle distance filters and orders them.
 */
#include "config.h"

#include "parkd-store-sqlite-private.h"

#include <errno.h>
#include <gio/gio.h>
#include <math.h>
#include <string.h>

typedef struct
{
  gint64            pk;      /* 0: no such lot */
  ParkdAvailability by_type[PARKD_N_SPOT_TYPES];
} LotCounts;

/* Lot pks are dense small integers; an array indexed by pk beats a hash lookup per lot. */
#define MAX_DENSE_PK (1 << 22)

static LotCounts *
conn_get_counts (Conn    *conn,
                 gint64   pk,
                 gboolean create)
{
  LotCounts *c;

  if (pk > 0 && pk < MAX_DENSE_PK)
    {
      if ((guint64) pk >= conn->counts->len)
        {
          if (!create)
            return NULL;
          g_array_set_size (conn->counts, MAX ((guint) pk + 1, conn->counts->len * 2));
        }
      c = &g_array_index (conn->counts, LotCounts, pk);
      if (c->pk == 0 && create)
        c->pk = pk;
      return c->pk != 0 ? c : NULL;
    }

  c = g_hash_table_lookup (conn->far_counts, &pk);
  if (c == NULL && create)
    {
      c = g_new0 (LotCounts, 1);
      c->pk = pk;
      g_hash_table_insert (conn->far_counts, &c->pk, c);
    }
  return c;
}

/* Every lot's description (not its availability) in memory, shared by the event loops and
 * reloaded when lot_directory_version moves: the search then needs the R*Tree for the box and
 * one small query for the counts of the page's lots. The strings live in one GStringChunk, so
 * the many identical opening hours and names are stored once. */
/* The directory's own grid over the lots it holds, for the hot path of nearby search: a box
 * of a few cells is a few binary searches in memory, where the R*Tree walk costs a read
 * transaction's worth of page lookups. Cells are GRID_DEG degrees square; a cell's key runs
 * row by row, so the cells of one row of a box are one contiguous range of keys. */
#define GRID_DEG      0.01
#define GRID_COLUMNS  36001
#define GRID_MAX_ROWS 64     /* boxes with more rows (about 70 km) go to the R*Tree */

typedef struct
{
  gint64  key;
  guint32 index;             /* into the directory's lots */
} GridEntry;

static inline gint64
grid_row (double lat)
{
  return (gint64) floor ((lat + 90.0) / GRID_DEG);
}

static inline gint64
grid_column (double lng)
{
  return (gint64) floor ((lng + 180.0) / GRID_DEG);
}

typedef struct _LotDirectory
{
  gint          ref_count;
  gint64        version;
  GStringChunk *strings;
  ParkdLot     *lots;
  guint         n_lots;
  GHashTable   *by_pk;      /* gint64 * -> ParkdLot *, when pks are not dense */
  gint32       *dense;      /* pk -> index into @lots, or -1 */
  gpointer     *render_cache;  /* one slot per lot, see ParkdLot */
  double       *cos_lat;    /* cos (latitude) of each lot, for distances */
  gint64        dense_len;
  gint64       *pks;
  GridEntry    *grid;       /* every lot by grid cell, sorted by cell */
} LotDirectory;

static inline const ParkdLot *
lot_directory_lookup (LotDirectory *dir,
                      gint64        pk)
{
  if (dir->dense != NULL)
    return pk >= 0 && pk < dir->dense_len && dir->dense[pk] >= 0 ? &dir->lots[dir->dense[pk]]
                                                                 : NULL;
  return g_hash_table_lookup (dir->by_pk, &pk);
}

/* Statements: static strings, so their address is a cache key. */
static const char SQL_LOT_BY_ID[] =
  "SELECT " LOT_COLUMNS " FROM parking_lots l JOIN operators o ON o.id = l.operator_id "
  "WHERE l.id = ?1";
static const char SQL_COUNTS_SEQ[] = "SELECT seq FROM counts_seq";
static const char SQL_COUNTS_SINCE[] =
  "SELECT lot_pk, regular_total, regular_available, disabled_total, disabled_available, "
  "ev_total, ev_available, compact_total, compact_available, motorcycle_total, "
  "motorcycle_available FROM lot_counts WHERE seq > ?1";
static const char SQL_LOT_PK_BY_ID[] =
  "SELECT pk FROM parking_lots WHERE id = ?1";

/* Candidates from the R*Tree; their exact positions come from the lot directory. The box
 * is a query callback (parkd_box, below) that hands each matching entry straight to C
 * instead of returning it as a row, which was most of the search's SQL time. */
static const char SQL_BOX[] =
  "SELECT pk FROM parking_lots_rtree WHERE pk MATCH parkd_box (?1, ?2, ?3, ?4)";
static const char SQL_VERSIONS[] =
  "SELECT (SELECT version FROM lot_directory_version), (SELECT seq FROM counts_seq)";
static const char SQL_VERSIONS_AND_BOX[] =
  "SELECT (SELECT version FROM lot_directory_version), (SELECT seq FROM counts_seq), "
  "(SELECT count(*) FROM parking_lots_rtree WHERE pk MATCH parkd_box (?1, ?2, ?3, ?4))";

static void
bind_box (sqlite3_stmt *stmt,
          double        min_lat,
          double        max_lat,
          double        min_lng,
          double        max_lng)
{
  sqlite3_bind_double (stmt, 1, min_lat);
  sqlite3_bind_double (stmt, 2, max_lat);
  sqlite3_bind_double (stmt, 3, min_lng);
  sqlite3_bind_double (stmt, 4, max_lng);
}

static const char SQL_DIRECTORY_VERSION[] =
  "SELECT (SELECT version FROM lot_directory_version), (SELECT seq FROM counts_seq)";
static const char SQL_ALL_LOTS[] =
  "SELECT " LOT_COLUMNS " FROM parking_lots l JOIN operators o ON o.id = l.operator_id";

#define SPOT_WHERE \
  "FROM parking_spots s WHERE s.lot_pk = ?1 AND (?2 IS NULL OR s.spot_type = ?2) " \
  "AND (?3 IS NULL OR s.state = ?3) AND (?4 IS NULL OR s.level = ?4)"

static const char SQL_SPOTS[] =
  "SELECT s.id, s.number, s.spot_type, s.level, s.state, s.updated_at " SPOT_WHERE
  " ORDER BY s.level, length (s.number), s.number LIMIT ?5 OFFSET ?6";
static const char SQL_SPOTS_COUNT[] = "SELECT count(*) " SPOT_WHERE;

static const char SQL_OPERATOR_BY_SLUG[] =
  "SELECT " OPERATOR_COLUMNS " FROM operators WHERE slug = ?1";
static const char SQL_INSERT_OPERATOR[] =
  "INSERT INTO operators (id, slug, name, city, time_zone, currency, created_at, updated_at) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)";
static const char SQL_INSERT_LOT[] =
  "INSERT INTO parking_lots (id, operator_id, name, address, city, lat, lng, lot_type, "
  "total_spots, hourly_rate, currency, time_zone, operating_hours, amenities, status, "
  "created_at, updated_at) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)";
static const char SQL_LOT_EXISTS[] =
  "SELECT 1 FROM parking_lots WHERE operator_id = ?1 AND name = ?2 AND lat = ?3 AND lng = ?4";
static const char SQL_INSERT_SPOT[] =
  "INSERT INTO parking_spots (id, lot_pk, number, spot_type, level, state, updated_at) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_COUNTS[] =
  "SELECT (SELECT count(*) FROM operators), (SELECT count(*) FROM parking_lots), "
  "(SELECT count(*) FROM parking_spots)";
static const char SQL_BOUNDS[] =
  "SELECT min (lng), min (lat), max (lng), max (lat), count(*) FROM parking_lots";

gboolean
_parkd_sqlite_set_error (GError     **error,
                         sqlite3     *db,
                         int          rc,
                         const char  *what)
{
  int code = PARKD_STORE_ERROR_BACKEND;

  /* Connections report extended result codes: a taken unique key is a conflict with what is
   * stored, any other constraint a value the schema refuses. */
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    code = PARKD_STORE_ERROR_CONFLICT;
  else if ((rc & 0xff) == SQLITE_CONSTRAINT)
    code = PARKD_STORE_ERROR_CONSTRAINT;
  /* SQLITE_BUSY after the busy timeout is the database not answering in time (503), never a
   * conflict with stored data: callers read CONFLICT as "this e-mail or number is taken". */

  g_set_error (error, PARKD_STORE_ERROR, code, "%s: %s", what,
               db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  return FALSE;
}

/* A failed write, in words a client can be shown: @unique replaces SQLite's message for a
 * taken unique key (CONFLICT), @check and @foreign_key for a CHECK or FOREIGN KEY constraint
 * (CONSTRAINT); when NULL, SQLite's own message follows @what. */
gboolean
_parkd_sqlite_set_write_error (GError     **error,
                               sqlite3     *db,
                               int          rc,
                               const char  *what,
                               const char  *unique,
                               const char  *check,
                               const char  *foreign_key)
{
  const char *message = NULL;
  int code = PARKD_STORE_ERROR_CONSTRAINT;

  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    {
      message = unique;
      code = PARKD_STORE_ERROR_CONFLICT;
    }
  else if (rc == SQLITE_CONSTRAINT_CHECK)
    message = check;
  else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    message = foreign_key;

  if (message == NULL)
    return _parkd_sqlite_set_error (error, db, rc, what);
  g_set_error_literal (error, PARKD_STORE_ERROR, code, message);
  return FALSE;
}

gboolean
_parkd_sqlite_conn_exec (Conn        *conn,
                         const char  *sql,
                         GError     **error)
{
  char *msg = NULL;
  int rc = sqlite3_exec (conn->db, sql, NULL, NULL, &msg);

  if (rc != SQLITE_OK)
    {
      g_set_error (error, PARKD_STORE_ERROR,
                   (rc & 0xff) == SQLITE_CONSTRAINT ? PARKD_STORE_ERROR_CONSTRAINT
                                                    : PARKD_STORE_ERROR_BACKEND,
                   "%s", msg != NULL ? msg : sqlite3_errstr (rc));
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

/* Returns a cached, reset statement for @sql (a static string), or NULL with @error set. */
sqlite3_stmt *
_parkd_sqlite_conn_prepare (Conn        *conn,
                            const char  *sql,
                            GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (conn->stmts, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (conn->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _parkd_sqlite_set_error (error, conn->db, rc, "prepare");
      return NULL;
    }
  g_hash_table_insert (conn->stmts, (gpointer) sql, stmt);
  return stmt;
}

/* R*Tree query callback: parkd_box (min_lat, max_lat, min_lng, max_lng). Nodes that overlap
 * the box are searched; each leaf entry inside it is collected into the connection's
 * box_hits and reported as outside, so the statement itself returns no rows. */
static int
box_query_cb (sqlite3_rtree_query_info *info)
{
  Conn *conn = info->pContext;
  const sqlite3_rtree_dbl *q = info->aParam;
  const sqlite3_rtree_dbl *c = info->aCoord;

  if (info->nParam != 4 || info->nCoord != 4)
    return SQLITE_ERROR;
  info->eWithin = NOT_WITHIN;
  if (c[1] < q[0] || c[0] > q[1] || c[3] < q[2] || c[2] > q[3])
    return SQLITE_OK;
  if (info->iLevel > 0)
    {
      info->eWithin = PARTLY_WITHIN;
      info->rScore = info->iLevel;
      return SQLITE_OK;
    }
  g_array_append_val (conn->box_hits, info->iRowid);
  return SQLITE_OK;
}

static void
conn_free (Conn *conn)
{
  if (conn == NULL)
    return;
  g_clear_pointer (&conn->stmts, g_hash_table_unref);
  g_clear_pointer (&conn->counts, g_array_unref);
  g_clear_pointer (&conn->far_counts, g_hash_table_unref);
  g_clear_pointer (&conn->box_hits, g_array_unref);
  sqlite3_close_v2 (conn->db);
  g_free (conn);
}

/* WAL mode, which a new database gets from whichever process opens it first. Two replicas
 * opening a new database at the same moment can find it busy, and SQLite does not wait on
 * a journal-mode change: it is tried again for a few seconds. */
static gboolean
set_wal (Conn    *conn,
         GError **error)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (TRUE)
    {
      g_autoptr(GError) local_error = NULL;

      if (_parkd_sqlite_conn_exec (conn, "PRAGMA journal_mode = WAL", &local_error))
        return TRUE;
      if ((sqlite3_errcode (conn->db) & 0xff) != SQLITE_BUSY &&
          (sqlite3_errcode (conn->db) & 0xff) != SQLITE_LOCKED)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_usleep (20 * 1000);
    }
}

static Conn *
conn_open (const char  *path,
           gboolean     read_only,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  Conn *conn = g_new0 (Conn, 1);
  int flags = SQLITE_OPEN_NOMUTEX |
              (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc;

  conn->stmts = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) sqlite3_finalize);
  conn->counts = g_array_new (FALSE, TRUE, sizeof (LotCounts));
  conn->far_counts = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  conn->box_hits = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 256);
  conn->counts_seq = -1;
  rc = sqlite3_open_v2 (path, &conn->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_BACKEND,
                   "Cannot open database %s: %s", path,
                   conn->db != NULL ? sqlite3_errmsg (conn->db) : sqlite3_errstr (rc));
      conn_free (conn);
      return NULL;
    }
  sqlite3_extended_result_codes (conn->db, 1);
  rc = sqlite3_rtree_query_callback (conn->db, "parkd_box", box_query_cb, conn, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_BACKEND,
                   "This SQLite has no R*Tree module: %s", sqlite3_errstr (rc));
      conn_free (conn);
      return NULL;
    }
  /* Readers wait briefly at most (WAL readers normally never wait); the writer waits longer
   * for another process (an import) holding the write lock. */
  sqlite3_busy_timeout (conn->db, read_only ? 200 : 5000);

  if (!_parkd_sqlite_conn_exec (conn, "PRAGMA foreign_keys = ON", &local_error) ||
      (!read_only && !set_wal (conn, &local_error)) ||
      (!read_only && !_parkd_sqlite_conn_exec (conn, "PRAGMA synchronous = FULL", &local_error)) ||
      /* Large imports stay in memory until they commit instead of spilling page by page. */
      (!read_only && !_parkd_sqlite_conn_exec (conn, "PRAGMA cache_size = -65536", &local_error)) ||
      (read_only && !_parkd_sqlite_conn_exec (conn, "PRAGMA query_only = ON", &local_error)))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "Cannot set up database %s: ", path);
      conn_free (conn);
      return NULL;
    }
  return conn;
}

/* Migrations: numbered .sql files in the GResource, applied in order, each in a transaction. */
static gboolean
migrate (Conn    *conn,
         GError **error)
{
  g_auto(GStrv) names = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!_parkd_sqlite_conn_exec (conn,
                                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                                " applied_at TEXT NOT NULL)",
                                error))
    return FALSE;

  names = g_resources_enumerate_children ("/org/parkade/parkd/sql", 0, &local_error);
  if (names == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* Apply in file-name order: the names start with a zero-padded number. */
  for (guint i = 0; names[i] != NULL; i++)
    for (guint j = i + 1; names[j] != NULL; j++)
      if (g_strcmp0 (names[i], names[j]) > 0)
        {
          char *tmp = names[i];
          names[i] = names[j];
          names[j] = tmp;
        }

  /* A migration may rebuild a table that others refer to (SQLite's way of changing a
   * column's constraints): foreign keys are off meanwhile, as SQLite's documentation says,
   * so dropping the old table neither cascades nor fails, and each migration checks them
   * all before it commits. The pragma does nothing inside a transaction: set it here. */
  if (!_parkd_sqlite_conn_exec (conn, "PRAGMA foreign_keys = OFF", error))
    return FALSE;
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *rpath = g_strconcat ("/org/parkade/parkd/sql/", names[i], NULL);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *sql = NULL;
      g_autofree char *now = NULL;
      sqlite3_stmt *stmt;
      gint64 version = g_ascii_strtoll (names[i], NULL, 10);
      gboolean applied;

      if (version <= 0 || !g_str_has_suffix (names[i], ".sql"))
        continue;

      if (!_parkd_sqlite_conn_exec (conn, "BEGIN IMMEDIATE", error))
        return FALSE;

      stmt = _parkd_sqlite_conn_prepare (conn, "SELECT 1 FROM schema_migrations WHERE version = ?1",
                                         error);
      if (stmt == NULL)
        goto rollback;
      sqlite3_bind_int64 (stmt, 1, version);
      applied = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (applied)
        {
          if (!_parkd_sqlite_conn_exec (conn, "COMMIT", error))
            goto rollback;
          continue;
        }

      bytes = g_resources_lookup_data (rpath, 0, error);
      if (bytes == NULL)
        goto rollback;
      sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      if (!_parkd_sqlite_conn_exec (conn, sql, error))
        {
          g_prefix_error (error, "Migration %s: ", names[i]);
          goto rollback;
        }

      stmt = _parkd_sqlite_conn_prepare (conn, "PRAGMA foreign_key_check", error);
      if (stmt == NULL)
        goto rollback;
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_BACKEND,
                       "Migration %s: a row of %s refers to a missing row of %s", names[i],
                       (const char *) sqlite3_column_text (stmt, 0),
                       (const char *) sqlite3_column_text (stmt, 2));
          sqlite3_reset (stmt);
          goto rollback;
        }
      sqlite3_reset (stmt);

      now = parkd_now_rfc3339 ();
      stmt = _parkd_sqlite_conn_prepare (conn,
                                         "INSERT INTO schema_migrations "
                                         "(version, name, applied_at) VALUES (?1, ?2, ?3)",
                                         error);
      if (stmt == NULL)
        goto rollback;
      sqlite3_bind_int64 (stmt, 1, version);
      sqlite3_bind_text (stmt, 2, names[i], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _parkd_sqlite_set_error (error, conn->db, sqlite3_errcode (conn->db), "record migration");
          goto rollback;
        }
      sqlite3_reset (stmt);
      if (!_parkd_sqlite_conn_exec (conn, "COMMIT", error))
        goto rollback;
      g_debug ("applied migration %s", names[i]);
      continue;

    rollback:
      _parkd_sqlite_conn_exec (conn, "ROLLBACK", NULL);
      _parkd_sqlite_conn_exec (conn, "PRAGMA foreign_keys = ON", NULL);
      return FALSE;
    }
  if (!_parkd_sqlite_conn_exec (conn, "PRAGMA foreign_keys = ON", error))
    return FALSE;

  return TRUE;
}

/* Read transactions through cached statements: sqlite3_exec() would parse each time. */
gboolean
_parkd_sqlite_conn_step_once (Conn        *conn,
                              const char  *sql,
                              GError     **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _parkd_sqlite_set_error (error, conn->db, rc, sql);
  return TRUE;
}

/* Runs @stmt, which returns no rows, and resets it; on failure @error says @what failed. */
gboolean
_parkd_sqlite_run (Conn          *conn,
                   sqlite3_stmt  *stmt,
                   const char    *what,
                   GError       **error)
{
  return _parkd_sqlite_run_checked (conn, stmt, what, NULL, NULL, NULL, error);
}

/* As _parkd_sqlite_run(), but a broken constraint is told in the words of @unique, @check or
 * @foreign_key when given (see _parkd_sqlite_set_write_error()). */
gboolean
_parkd_sqlite_run_checked (Conn          *conn,
                           sqlite3_stmt  *stmt,
                           const char    *what,
                           const char    *unique,
                           const char    *check,
                           const char    *foreign_key,
                           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    _parkd_sqlite_set_write_error (error, conn->db, rc, what, unique, check, foreign_key);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

/* After a write that names its row: FALSE with NOT_FOUND (@missing) when it changed none. */
gboolean
_parkd_sqlite_require_change (Conn        *conn,
                              const char  *missing,
                              GError     **error)
{
  if (sqlite3_changes (conn->db) > 0)
    return TRUE;
  g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND, missing);
  return FALSE;
}

/* Steps @stmt to its first row. TRUE when there is one, for the caller to read; FALSE with
 * NOT_FOUND (@missing) when there is none, or with the failure (@what). The caller resets
 * @stmt either way. */
gboolean
_parkd_sqlite_step_row (Conn          *conn,
                        sqlite3_stmt  *stmt,
                        const char    *what,
                        const char    *missing,
                        GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND, missing);
  else
    _parkd_sqlite_set_error (error, conn->db, rc, what);
  return FALSE;
}

/* Every row of @stmt made by @from_row and added to @rows; FALSE with the failure (@what)
 * when a step fails. @stmt is reset. */
gboolean
_parkd_sqlite_collect_rows (Conn          *conn,
                            sqlite3_stmt  *stmt,
                            RowFunc        from_row,
                            GPtrArray     *rows,
                            const char    *what,
                            GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _parkd_sqlite_set_error (error, conn->db, rc, what);
  return TRUE;
}

/* The same into a new array that frees its items with @free_func; NULL on failure. */
GPtrArray *
_parkd_sqlite_read_rows (Conn            *conn,
                         sqlite3_stmt    *stmt,
                         RowFunc          from_row,
                         GDestroyNotify   free_func,
                         const char      *what,
                         GError         **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_func);

  if (!_parkd_sqlite_collect_rows (conn, stmt, from_row, rows, what, error))
    return NULL;
  return g_steal_pointer (&rows);
}

static const char SQL_BEGIN[] = "BEGIN";
static const char SQL_COMMIT[] = "COMMIT";

Conn *
_parkd_sqlite_take_reader (ParkdStoreSqlite  *self,
                           GError           **error)
{
  Conn *conn = g_async_queue_try_pop (self->readers);

  if (conn != NULL)
    return conn;

  conn = conn_open (self->path, TRUE, error);
  if (conn == NULL)
    return NULL;
  g_mutex_lock (&self->readers_lock);
  g_ptr_array_add (self->all_readers, conn);
  g_mutex_unlock (&self->readers_lock);
  return conn;
}

/* A reader and a ready statement on it, for the one-statement reads; on failure the reader
 * is back in the pool and NULL is returned. */
sqlite3_stmt *
_parkd_sqlite_reader_prepare (ParkdStoreSqlite  *self,
                              const char        *sql,
                              Conn             **conn,
                              GError           **error)
{
  sqlite3_stmt *stmt;

  *conn = _parkd_sqlite_take_reader (self, error);
  if (*conn == NULL)
    return NULL;
  stmt = _parkd_sqlite_conn_prepare (*conn, sql, error);
  if (stmt == NULL)
    {
      _parkd_sqlite_give_reader (self, *conn);
      *conn = NULL;
    }
  return stmt;
}

void
_parkd_sqlite_give_reader (ParkdStoreSqlite *self,
                           Conn             *conn)
{
  if (conn == NULL)
    return;
  /* Never hand a connection back inside a transaction. */
  if (!sqlite3_get_autocommit (conn->db))
    _parkd_sqlite_conn_exec (conn, "ROLLBACK", NULL);
  g_async_queue_push (self->readers, conn);
}

/* A reader inside a read transaction, for reads of more than one statement that must agree
 * (a page and its total); NULL with @error set when there is none. */
Conn *
_parkd_sqlite_read_begin (ParkdStoreSqlite  *self,
                          GError           **error)
{
  Conn *conn = _parkd_sqlite_take_reader (self, error);

  if (conn != NULL && !_parkd_sqlite_conn_step_once (conn, SQL_BEGIN, error))
    {
      _parkd_sqlite_give_reader (self, conn);
      return NULL;
    }
  return conn;
}

void
_parkd_sqlite_read_end (ParkdStoreSqlite *self,
                        Conn             *conn)
{
  if (conn == NULL)
    return;
  _parkd_sqlite_conn_step_once (conn, SQL_COMMIT, NULL);
  _parkd_sqlite_give_reader (self, conn);
}

/* Every write: the writer, taken under the write lock, inside BEGIN IMMEDIATE. Hand it back
 * with _parkd_sqlite_write_end(), which commits when @ok and rolls back otherwise, so a
 * failure leaves nothing half written. */
Conn *
_parkd_sqlite_write_begin (ParkdStoreSqlite  *self,
                           GError           **error)
{
  g_mutex_lock (&self->write_lock);
  if (!_parkd_sqlite_conn_exec (self->writer, "BEGIN IMMEDIATE", error))
    {
      g_mutex_unlock (&self->write_lock);
      return NULL;
    }
  return self->writer;
}

gboolean
_parkd_sqlite_write_end (ParkdStoreSqlite  *self,
                         gboolean           ok,
                         GError           **error)
{
  if (ok && !_parkd_sqlite_conn_exec (self->writer, "COMMIT", error))
    ok = FALSE;
  if (!ok)
    _parkd_sqlite_conn_exec (self->writer, "ROLLBACK", NULL);
  g_mutex_unlock (&self->write_lock);
  return ok;
}

char *
_parkd_sqlite_column_dup (sqlite3_stmt *stmt,
                          int           col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

/* An amount that may be missing: -1 for NULL. */
gint64
_parkd_sqlite_column_amount (sqlite3_stmt *stmt,
                             int           col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, col);
}

/* The first column as a string: a RowFunc for lists of ids. */
gpointer
_parkd_sqlite_text_row (sqlite3_stmt *stmt)
{
  return _parkd_sqlite_column_dup (stmt, 0);
}

void
_parkd_sqlite_lot_from_row (ParkdLot     *lot,
                            sqlite3_stmt *stmt)
{
  /* column 0 is pk */
  lot->id = _parkd_sqlite_column_dup (stmt, 1);
  lot->operator_id = _parkd_sqlite_column_dup (stmt, 2);
  lot->operator_slug = _parkd_sqlite_column_dup (stmt, 3);
  lot->operator_name = _parkd_sqlite_column_dup (stmt, 4);
  lot->name = _parkd_sqlite_column_dup (stmt, 5);
  lot->address = _parkd_sqlite_column_dup (stmt, 6);
  lot->city = _parkd_sqlite_column_dup (stmt, 7);
  lot->lat = sqlite3_column_double (stmt, 8);
  lot->lng = sqlite3_column_double (stmt, 9);
  lot->lot_type = _parkd_sqlite_column_dup (stmt, 10);
  lot->total_spots = sqlite3_column_int (stmt, 11);
  lot->hourly_rate = sqlite3_column_int64 (stmt, 12);
  lot->currency = _parkd_sqlite_column_dup (stmt, 13);
  lot->time_zone = _parkd_sqlite_column_dup (stmt, 14);
  lot->operating_hours = _parkd_sqlite_column_dup (stmt, 15);
  lot->amenities = _parkd_sqlite_column_dup (stmt, 16);
  lot->status = _parkd_sqlite_column_dup (stmt, 17);
  lot->created_at = _parkd_sqlite_column_dup (stmt, 18);
  lot->updated_at = _parkd_sqlite_column_dup (stmt, 19);
  lot->distance_m = -1;
}

/* Brings this connection's copy of the live counts up to date with its read transaction:
 * only lots changed since the last look are read. */
static gboolean
refresh_counts (Conn    *conn,
                gint64   seq,
                GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* @seq is counts_seq as this transaction sees it, or -1 to read it here. */
  if (seq < 0)
    {
      stmt = _parkd_sqlite_conn_prepare (conn, SQL_COUNTS_SEQ, error);
      if (stmt == NULL)
        return FALSE;
      rc = sqlite3_step (stmt);
      seq = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        return _parkd_sqlite_set_error (error, conn->db, rc, "counts");
    }
  if (seq == conn->counts_seq)
    return TRUE;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_COUNTS_SINCE, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, conn->counts_seq);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LotCounts *c = conn_get_counts (conn, sqlite3_column_int64 (stmt, 0), TRUE);

      for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
        {
          c->by_type[t].total = sqlite3_column_int (stmt, 1 + 2 * t);
          c->by_type[t].available = sqlite3_column_int (stmt, 2 + 2 * t);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _parkd_sqlite_set_error (error, conn->db, rc, "counts");
  conn->counts_seq = seq;
  return TRUE;
}

static void
copy_counts (Conn     *conn,
             gint64    pk,
             ParkdLot *lot)
{
  const LotCounts *c = conn_get_counts (conn, pk, FALSE);

  if (c != NULL)
    memcpy (lot->availability, c->by_type, sizeof lot->availability);
  else
    memset (lot->availability, 0, sizeof lot->availability);
}

static gboolean
load_availability (Conn      *conn,
                   gint64     pk,
                   ParkdLot  *lot,
                   GError   **error)
{
  if (!refresh_counts (conn, -1, error))
    return FALSE;
  copy_counts (conn, pk, lot);
  return TRUE;
}

/* Loads one lot with its availability; NULL with NOT_FOUND if there is none. */
static ParkdLot *
load_lot (Conn        *conn,
          const char  *sql,
          gint64       pk,
          const char  *id,
          GError     **error)
{
  g_autoptr(ParkdLot) lot = NULL;
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, sql, error);
  gint64 row_pk;
  int rc;

  if (stmt == NULL)
    return NULL;
  if (id != NULL)
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 1, pk);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND, "No such parking lot");
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      _parkd_sqlite_set_error (error, conn->db, rc, "lot");
      return NULL;
    }
  lot = g_new0 (ParkdLot, 1);
  row_pk = sqlite3_column_int64 (stmt, 0);
  _parkd_sqlite_lot_from_row (lot, stmt);
  sqlite3_reset (stmt);

  if (!load_availability (conn, row_pk, lot, error))
    return NULL;
  return g_steal_pointer (&lot);
}

static gboolean
sqlite_ping (ParkdStore  *store,
             GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  Conn *conn;
  sqlite3_stmt *stmt = _parkd_sqlite_reader_prepare (self, "SELECT count(*) FROM schema_migrations",
                                                     &conn, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    _parkd_sqlite_set_error (error, conn->db, rc, "ping");
  _parkd_sqlite_give_reader (self, conn);
  return rc == SQLITE_ROW;
}

static gboolean
sqlite_counts (ParkdStore        *store,
               ParkdStoreCounts  *counts,
               GError           **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  Conn *conn;
  sqlite3_stmt *stmt = _parkd_sqlite_reader_prepare (self, SQL_COUNTS, &conn, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      counts->operators = sqlite3_column_int64 (stmt, 0);
      counts->lots = sqlite3_column_int64 (stmt, 1);
      counts->spots = sqlite3_column_int64 (stmt, 2);
    }
  else
    _parkd_sqlite_set_error (error, conn->db, rc, "counts");
  sqlite3_reset (stmt);
  _parkd_sqlite_give_reader (self, conn);
  return rc == SQLITE_ROW;
}

typedef struct
{
  gint64 pk;
  double distance;   /* the haversine term h, see parkd_haversine_h() */
} Candidate;

static int
candidate_compare (gconstpointer a,
                   gconstpointer b)
{
  const Candidate *ca = a, *cb = b;

  if (ca->distance < cb->distance)
    return -1;
  if (ca->distance > cb->distance)
    return 1;
  return (ca->pk > cb->pk) - (ca->pk < cb->pk);
}

/* The bounding box of a circle, a little larger so rounding never loses a lot; it spans every
 * longitude near a pole or across the antimeridian, where a box in degrees stops being simple. */
static void
circle_box (double  lat,
            double  lng,
            double  radius_m,
            double *min_lat,
            double *max_lat,
            double *min_lng,
            double *max_lng)
{
  const double metres_per_degree = 6371008.8 * G_PI / 180.0;
  double dlat = radius_m / metres_per_degree * 1.001 + 1e-6;
  double far_lat;

  *min_lat = lat - dlat;
  *max_lat = lat + dlat;
  if (*min_lat <= -90 || *max_lat >= 90)
    {
      *min_lat = MAX (*min_lat, -90);
      *max_lat = MIN (*max_lat, 90);
      *min_lng = -180;
      *max_lng = 180;
      return;
    }

  far_lat = MAX (fabs (*min_lat), fabs (*max_lat));
  *min_lng = lng - dlat / cos (far_lat * G_PI / 180.0);
  *max_lng = lng + dlat / cos (far_lat * G_PI / 180.0);
  if (*min_lng < -180 || *max_lng > 180)
    {
      *min_lng = -180;
      *max_lng = 180;
    }
}

static LotDirectory *
lot_directory_ref (LotDirectory *dir)
{
  g_atomic_int_inc (&dir->ref_count);
  return dir;
}

static void
lot_directory_unref (gpointer data)
{
  LotDirectory *dir = data;

  if (dir == NULL || !g_atomic_int_dec_and_test (&dir->ref_count))
    return;
  g_clear_pointer (&dir->by_pk, g_hash_table_unref);
  g_free (dir->dense);
  for (guint i = 0; i < dir->n_lots; i++)
    g_free (dir->render_cache[i]);
  g_free (dir->render_cache);
  g_free (dir->cos_lat);
  g_free (dir->grid);
  g_string_chunk_free (dir->strings);
  g_free (dir->lots);
  g_free (dir->pks);
  g_free (dir);
}

static char *
chunk_column (GStringChunk *chunk,
              sqlite3_stmt *stmt,
              int           col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);

  return text != NULL ? g_string_chunk_insert_const (chunk, (const char *) text) : NULL;
}

/* Reads every lot, inside the caller's read transaction. */
static int
grid_entry_compare (const void *a,
                    const void *b)
{
  const GridEntry *ea = a, *eb = b;

  return ea->key < eb->key ? -1 : ea->key > eb->key ? 1 : ea->index < eb->index ? -1 : 1;
}

/* The lots of @dir inside the box, by pk, into @hits; FALSE when the box spans too many
 * rows of cells to be worth it (the R*Tree answers those). */
static gboolean
grid_box (LotDirectory *dir,
          double        min_lat,
          double        max_lat,
          double        min_lng,
          double        max_lng,
          GArray       *hits)
{
  gint64 row0 = grid_row (min_lat), row1 = grid_row (max_lat);
  gint64 col0 = grid_column (min_lng), col1 = grid_column (max_lng);

  if (row1 - row0 >= GRID_MAX_ROWS)
    return FALSE;
  for (gint64 row = row0; row <= row1; row++)
    {
      gint64 first = row * GRID_COLUMNS + col0, last = row * GRID_COLUMNS + col1;
      guint lo = 0, hi = dir->n_lots;

      /* The first entry whose key is >= first. */
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (dir->grid[mid].key < first)
            lo = mid + 1;
          else
            hi = mid;
        }
      for (guint i = lo; i < dir->n_lots && dir->grid[i].key <= last; i++)
        {
          const ParkdLot *lot = &dir->lots[dir->grid[i].index];

          if (lot->lat >= min_lat && lot->lat <= max_lat &&
              lot->lng >= min_lng && lot->lng <= max_lng)
            g_array_append_val (hits, dir->pks[dir->grid[i].index]);
        }
    }
  return TRUE;
}

static LotDirectory *
lot_directory_load (Conn     *conn,
                    gint64    version,
                    GError  **error)
{
  g_autoptr(GArray) lots = g_array_new (FALSE, TRUE, sizeof (ParkdLot));
  g_autoptr(GArray) pks = g_array_new (FALSE, FALSE, sizeof (gint64));
  LotDirectory *dir;
  sqlite3_stmt *stmt;
  GStringChunk *chunk = g_string_chunk_new (64 * 1024);
  int rc;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_ALL_LOTS, error);
  if (stmt == NULL)
    {
      g_string_chunk_free (chunk);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ParkdLot lot = { 0, };
      gint64 pk = sqlite3_column_int64 (stmt, 0);

      lot.id = chunk_column (chunk, stmt, 1);
      lot.operator_id = chunk_column (chunk, stmt, 2);
      lot.operator_slug = chunk_column (chunk, stmt, 3);
      lot.operator_name = chunk_column (chunk, stmt, 4);
      lot.name = chunk_column (chunk, stmt, 5);
      lot.address = chunk_column (chunk, stmt, 6);
      lot.city = chunk_column (chunk, stmt, 7);
      lot.lat = sqlite3_column_double (stmt, 8);
      lot.lng = sqlite3_column_double (stmt, 9);
      lot.lot_type = chunk_column (chunk, stmt, 10);
      lot.total_spots = sqlite3_column_int (stmt, 11);
      lot.hourly_rate = sqlite3_column_int64 (stmt, 12);
      lot.currency = chunk_column (chunk, stmt, 13);
      lot.time_zone = chunk_column (chunk, stmt, 14);
      lot.operating_hours = chunk_column (chunk, stmt, 15);
      lot.amenities = chunk_column (chunk, stmt, 16);
      lot.status = chunk_column (chunk, stmt, 17);
      lot.created_at = chunk_column (chunk, stmt, 18);
      lot.updated_at = chunk_column (chunk, stmt, 19);
      lot.distance_m = -1;
      g_array_append_val (lots, lot);
      g_array_append_val (pks, pk);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_string_chunk_free (chunk);
      _parkd_sqlite_set_error (error, conn->db, rc, "lots");
      return NULL;
    }

  dir = g_new0 (LotDirectory, 1);
  dir->ref_count = 1;
  dir->version = version;
  dir->strings = chunk;
  dir->n_lots = lots->len;
  dir->lots = (ParkdLot *) g_array_free (g_steal_pointer (&lots), FALSE);
  dir->pks = (gint64 *) g_array_free (g_steal_pointer (&pks), FALSE);
  dir->render_cache = g_new0 (gpointer, dir->n_lots);
  dir->cos_lat = g_new (double, dir->n_lots);
  dir->grid = g_new (GridEntry, dir->n_lots);
  for (guint i = 0; i < dir->n_lots; i++)
    {
      dir->lots[i].render_cache = &dir->render_cache[i];
      dir->cos_lat[i] = cos (dir->lots[i].lat * G_PI / 180.0);
      dir->grid[i].key = grid_row (dir->lots[i].lat) * GRID_COLUMNS +
                         grid_column (dir->lots[i].lng);
      dir->grid[i].index = i;
    }
  if (dir->n_lots > 0)
    qsort (dir->grid, dir->n_lots, sizeof (GridEntry), grid_entry_compare);
  {
    gint64 max_pk = 0;

    for (guint i = 0; i < dir->n_lots; i++)
      max_pk = MAX (max_pk, dir->pks[i]);
    if (max_pk < MAX_DENSE_PK)
      {
        dir->dense_len = max_pk + 1;
        dir->dense = g_new (gint32, dir->dense_len);
        memset (dir->dense, 0xff, dir->dense_len * sizeof (gint32));
        for (guint i = 0; i < dir->n_lots; i++)
          dir->dense[dir->pks[i]] = i;
      }
    else
      {
        dir->by_pk = g_hash_table_new (g_int64_hash, g_int64_equal);
        for (guint i = 0; i < dir->n_lots; i++)
          g_hash_table_insert (dir->by_pk, &dir->pks[i], &dir->lots[i]);
      }
  }
  return dir;
}

/* The directory as of this read transaction, reloaded if lots changed since. */
static LotDirectory *
get_lot_directory (ParkdStoreSqlite  *self,
                   Conn              *conn,
                   gint64            *counts_seq,
                   GError           **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, SQL_DIRECTORY_VERSION, error);
  LotDirectory *dir = NULL;
  gint64 version;
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  version = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;
  *counts_seq = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 1) : -1;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _parkd_sqlite_set_error (error, conn->db, rc, "directory version");
      return NULL;
    }

  g_mutex_lock (&self->directory_lock);
  if (self->directory != NULL && self->directory->version == version)
    dir = lot_directory_ref (self->directory);
  g_mutex_unlock (&self->directory_lock);
  if (dir != NULL)
    return dir;

  dir = lot_directory_load (conn, version, error);
  if (dir == NULL)
    return NULL;
  g_debug ("loaded %u lots (version %" G_GINT64_FORMAT ")", dir->n_lots, version);

  g_mutex_lock (&self->directory_lock);
  if (self->directory == NULL || self->directory->version < version)
    {
      g_clear_pointer (&self->directory, lot_directory_unref);
      self->directory = lot_directory_ref (dir);
    }
  g_mutex_unlock (&self->directory_lock);
  return dir;
}

/* The search's filters, on the live counts. */
static gboolean
counts_match (Conn                *conn,
              gint64               pk,
              const ParkdLot      *lot,
              const ParkdLotQuery *query)
{
  const LotCounts *c;
  guint available = 0;

  if (!query->has_spot_type && !query->available_only)
    return TRUE;
  if (query->available_only && g_strcmp0 (lot->status, "open") != 0)
    return FALSE;
  c = conn_get_counts (conn, pk, FALSE);
  if (c == NULL)
    return FALSE;
  if (query->has_spot_type)
    return query->available_only ? c->by_type[query->spot_type].available > 0
                                 : c->by_type[query->spot_type].total > 0;
  for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
    available += c->by_type[t].available;
  return available > 0;
}

static ParkdPage *
sqlite_search_lots (ParkdStore           *store,
                    const ParkdLotQuery  *query,
                    GError              **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autoptr(GArray) candidates = NULL;
  g_autoptr(ParkdPage) page = NULL;
  LotDirectory *dir = NULL;
  double min_lat, max_lat, min_lng, max_lng;
  sqlite3_stmt *stmt;
  Conn *conn;
  guint64 offset;
  gint64 counts_seq = -1;
  gboolean in_transaction = FALSE, wide;
  double cos_query_lat = cos (query->lat * G_PI / 180.0);
  double max_h = parkd_haversine_h_of_m (query->radius_m);
  int rc;

  if (query->has_bbox)
    {
      min_lat = query->min_lat;
      max_lat = query->max_lat;
      min_lng = query->min_lng;
      max_lng = query->max_lng;
    }
  else
    circle_box (query->lat, query->lng, query->radius_m, &min_lat, &max_lat, &min_lng, &max_lng);

  conn = _parkd_sqlite_take_reader (self, error);
  if (conn == NULL)
    return NULL;

  /* The common case in one statement, so in one implicit read transaction: the versions
   * of the lots and of their counts (and, for a box too wide for the directory's grid, the
   * R*Tree walk). When both versions are those this connection already holds, everything
   * the answer needs comes from that one snapshot. */
  wide = grid_row (max_lat) - grid_row (min_lat) >= GRID_MAX_ROWS;
  stmt = _parkd_sqlite_conn_prepare (conn, wide ? SQL_VERSIONS_AND_BOX : SQL_VERSIONS, error);
  if (stmt == NULL)
    goto fail;
  if (wide)
    bind_box (stmt, min_lat, max_lat, min_lng, max_lng);
  g_array_set_size (conn->box_hits, 0);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      gint64 version = sqlite3_column_int64 (stmt, 0);

      counts_seq = sqlite3_column_int64 (stmt, 1);
      g_mutex_lock (&self->directory_lock);
      if (self->directory != NULL && self->directory->version == version &&
          conn->counts_seq == counts_seq)
        dir = lot_directory_ref (self->directory);
      g_mutex_unlock (&self->directory_lock);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _parkd_sqlite_set_error (error, conn->db, rc, "search");
      goto fail;
    }

  if (dir == NULL)
    {
      /* Something changed: catch up (and walk the R*Tree again for a wide box) in one
       * explicit transaction. */
      in_transaction = TRUE;
      if (!_parkd_sqlite_conn_step_once (conn, SQL_BEGIN, error))
        goto fail;
      dir = get_lot_directory (self, conn, &counts_seq, error);
      if (dir == NULL || !refresh_counts (conn, counts_seq, error))
        goto fail;
    }

  if (!wide)
    grid_box (dir, min_lat, max_lat, min_lng, max_lng, conn->box_hits);
  else if (in_transaction)
    {
      stmt = _parkd_sqlite_conn_prepare (conn, SQL_BOX, error);
      if (stmt == NULL)
        goto fail;
      bind_box (stmt, min_lat, max_lat, min_lng, max_lng);
      g_array_set_size (conn->box_hits, 0);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _parkd_sqlite_set_error (error, conn->db, rc, "search");
          goto fail;
        }
    }

  candidates = g_array_sized_new (FALSE, FALSE, sizeof (Candidate), conn->box_hits->len);
  for (guint i = 0; i < conn->box_hits->len; i++)
    {
      gint64 pk = g_array_index (conn->box_hits, gint64, i);
      const ParkdLot *lot = lot_directory_lookup (dir, pk);
      Candidate c;

      if (lot == NULL || !counts_match (conn, pk, lot, query))
        continue;
      if (query->text != NULL && !parkd_text_has (lot->name, query->text) &&
          !parkd_text_has (lot->address, query->text) && !parkd_text_has (lot->city, query->text))
        continue;
      /* The R*Tree box is rounded outwards: apply the exact box or circle here. */
      if (query->has_bbox &&
          (lot->lat < query->min_lat || lot->lat > query->max_lat ||
           lot->lng < query->min_lng || lot->lng > query->max_lng))
        continue;
      /* Ordered and filtered by the haversine term, which grows with the distance; the
       * distance itself is worked out for the page only. */
      c.pk = pk;
      c.distance = parkd_haversine_h (query->lat, cos_query_lat, lot->lat,
                                      dir->cos_lat[lot - dir->lots], lot->lng - query->lng);
      if (!query->has_bbox && c.distance > max_h)
        continue;
      g_array_append_val (candidates, c);
    }

  g_array_sort (candidates, candidate_compare);

  page = g_new0 (ParkdPage, 1);
  page->items = g_ptr_array_new_with_free_func (g_free);
  page->total = candidates->len;
  page->page = query->page;
  page->per_page = query->per_page;
  page->keepalive = lot_directory_ref (dir);
  page->keepalive_free = lot_directory_unref;

  offset = (guint64) (query->page - 1) * query->per_page;
  if (offset < candidates->len)
    {
      guint n = MIN (candidates->len - offset, query->per_page);

      for (guint i = 0; i < n; i++)
        {
          const Candidate *c = &g_array_index (candidates, Candidate, offset + i);
          ParkdLot *lot = g_memdup2 (lot_directory_lookup (dir, c->pk), sizeof *lot);

          copy_counts (conn, c->pk, lot);
          lot->distance_m = parkd_haversine_h_to_m (c->distance);
          g_ptr_array_add (page->items, lot);
        }
    }

  if (in_transaction)
    _parkd_sqlite_conn_step_once (conn, SQL_COMMIT, NULL);
  _parkd_sqlite_give_reader (self, conn);
  lot_directory_unref (dir);
  return g_steal_pointer (&page);

fail:
  _parkd_sqlite_give_reader (self, conn);
  lot_directory_unref (dir);
  return NULL;
}

static ParkdLot *
sqlite_get_lot (ParkdStore  *store,
                const char  *id,
                GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  Conn *conn = _parkd_sqlite_take_reader (self, error);
  ParkdLot *lot = NULL;

  if (conn == NULL)
    return NULL;
  if (_parkd_sqlite_conn_step_once (conn, SQL_BEGIN, error))
    {
      lot = load_lot (conn, SQL_LOT_BY_ID, 0, id, error);
      _parkd_sqlite_conn_step_once (conn, SQL_COMMIT, NULL);
    }
  _parkd_sqlite_give_reader (self, conn);
  return lot;
}

gboolean
_parkd_sqlite_lookup_lot_pk (Conn        *conn,
                             const char  *lot_id,
                             gint64      *pk,
                             GError     **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, SQL_LOT_PK_BY_ID, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, lot_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *pk = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND, "No such parking lot");
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _parkd_sqlite_set_error (error, conn->db, rc, "lot");
  return TRUE;
}

static void
bind_spot_filter (sqlite3_stmt         *stmt,
                  gint64                lot_pk,
                  const ParkdSpotQuery *query)
{
  sqlite3_bind_int64 (stmt, 1, lot_pk);
  if (query->has_type)
    sqlite3_bind_text (stmt, 2, parkd_spot_type_to_string (query->type), -1, SQLITE_STATIC);
  if (query->has_state)
    sqlite3_bind_text (stmt, 3, parkd_spot_state_to_string (query->state), -1, SQLITE_STATIC);
  if (query->has_level)
    sqlite3_bind_int (stmt, 4, query->level);
}

static ParkdPage *
sqlite_list_spots (ParkdStore            *store,
                   const char            *lot_id,
                   const ParkdSpotQuery  *query,
                   GError               **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autoptr(ParkdPage) page = NULL;
  sqlite3_stmt *stmt;
  gint64 lot_pk = 0;
  Conn *conn;
  int rc;

  conn = _parkd_sqlite_take_reader (self, error);
  if (conn == NULL)
    return NULL;
  if (!_parkd_sqlite_conn_step_once (conn, SQL_BEGIN, error) ||
      !_parkd_sqlite_lookup_lot_pk (conn, lot_id, &lot_pk, error))
    goto fail;

  page = g_new0 (ParkdPage, 1);
  page->items = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_spot_free);
  page->page = query->page;
  page->per_page = query->per_page;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_SPOTS_COUNT, error);
  if (stmt == NULL)
    goto fail;
  bind_spot_filter (stmt, lot_pk, query);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    page->total = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _parkd_sqlite_set_error (error, conn->db, rc, "spots");
      goto fail;
    }

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_SPOTS, error);
  if (stmt == NULL)
    goto fail;
  bind_spot_filter (stmt, lot_pk, query);
  sqlite3_bind_int64 (stmt, 5, query->per_page);
  sqlite3_bind_int64 (stmt, 6, (gint64) (query->page - 1) * query->per_page);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ParkdSpot *spot = g_new0 (ParkdSpot, 1);

      spot->id = _parkd_sqlite_column_dup (stmt, 0);
      spot->lot_id = g_strdup (lot_id);
      spot->number = _parkd_sqlite_column_dup (stmt, 1);
      parkd_spot_type_from_string ((const char *) sqlite3_column_text (stmt, 2), &spot->type);
      spot->level = sqlite3_column_int (stmt, 3);
      parkd_spot_state_from_string ((const char *) sqlite3_column_text (stmt, 4), &spot->state);
      spot->updated_at = _parkd_sqlite_column_dup (stmt, 5);
      g_ptr_array_add (page->items, spot);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _parkd_sqlite_set_error (error, conn->db, rc, "spots");
      goto fail;
    }

  _parkd_sqlite_conn_step_once (conn, SQL_COMMIT, NULL);
  _parkd_sqlite_give_reader (self, conn);
  return g_steal_pointer (&page);

fail:
  _parkd_sqlite_give_reader (self, conn);
  return NULL;
}

static GPtrArray *
sqlite_get_availability (ParkdStore          *store,
                         const char * const  *lot_ids,
                         GError             **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autoptr(GPtrArray) lots = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_lot_free);
  Conn *conn = _parkd_sqlite_take_reader (self, error);

  if (conn == NULL)
    return NULL;
  if (!_parkd_sqlite_conn_step_once (conn, SQL_BEGIN, error))
    goto fail;

  for (guint i = 0; lot_ids[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      ParkdLot *lot = load_lot (conn, SQL_LOT_BY_ID, 0, lot_ids[i], &local_error);

      if (lot == NULL)
        {
          if (g_error_matches (local_error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto fail;
        }
      g_ptr_array_add (lots, lot);
    }

  _parkd_sqlite_conn_step_once (conn, SQL_COMMIT, NULL);
  _parkd_sqlite_give_reader (self, conn);
  return g_steal_pointer (&lots);

fail:
  _parkd_sqlite_give_reader (self, conn);
  return NULL;
}

static gboolean
sqlite_bounds (ParkdStore  *store,
               double      *min_lng,
               double      *min_lat,
               double      *max_lng,
               double      *max_lat,
               GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  Conn *conn;
  sqlite3_stmt *stmt = _parkd_sqlite_reader_prepare (self, SQL_BOUNDS, &conn, error);
  gboolean found = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_int64 (stmt, 4) > 0)
    {
      *min_lng = sqlite3_column_double (stmt, 0);
      *min_lat = sqlite3_column_double (stmt, 1);
      *max_lng = sqlite3_column_double (stmt, 2);
      *max_lat = sqlite3_column_double (stmt, 3);
      found = TRUE;
    }
  else if (rc == SQLITE_ROW)
    g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND, "No parking lots yet");
  else
    _parkd_sqlite_set_error (error, conn->db, rc, "bounds");
  sqlite3_reset (stmt);
  _parkd_sqlite_give_reader (self, conn);
  return found;
}

/* Reads OPERATOR_COLUMNS, from column 0. */
ParkdOperator *
_parkd_sqlite_operator_from_row (sqlite3_stmt *stmt)
{
  ParkdOperator *op = g_new0 (ParkdOperator, 1);

  op->id = _parkd_sqlite_column_dup (stmt, 0);
  op->slug = _parkd_sqlite_column_dup (stmt, 1);
  op->name = _parkd_sqlite_column_dup (stmt, 2);
  op->city = _parkd_sqlite_column_dup (stmt, 3);
  op->time_zone = _parkd_sqlite_column_dup (stmt, 4);
  op->currency = _parkd_sqlite_column_dup (stmt, 5);
  op->created_at = _parkd_sqlite_column_dup (stmt, 6);
  return op;
}

static ParkdOperator *
operator_by_slug (Conn        *conn,
                  const char  *slug,
                  GError     **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, SQL_OPERATOR_BY_SLUG, error);
  ParkdOperator *op;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, slug, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                     "No operator '%s'", slug);
      else
        _parkd_sqlite_set_error (error, conn->db, rc, "operator");
      return NULL;
    }
  op = _parkd_sqlite_operator_from_row (stmt);
  sqlite3_reset (stmt);
  return op;
}

static ParkdOperator *
sqlite_get_operator (ParkdStore  *store,
                     const char  *slug,
                     GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  Conn *conn = _parkd_sqlite_take_reader (self, error);
  ParkdOperator *op;

  if (conn == NULL)
    return NULL;
  op = operator_by_slug (conn, slug, error);
  _parkd_sqlite_give_reader (self, conn);
  return op;
}

/* Inside the writer's transaction: a new operator like @want, with a new id and @now as its
 * creation time; the name defaults to the slug and the city to "". */
ParkdOperator *
_parkd_sqlite_insert_operator_locked (Conn                 *conn,
                                      const ParkdOperator  *want,
                                      const char           *now,
                                      GError              **error)
{
  g_autoptr(ParkdOperator) op = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_OPERATOR, error);
  if (stmt == NULL)
    return NULL;
  op = g_new0 (ParkdOperator, 1);
  op->id = g_uuid_string_random ();
  op->slug = g_strdup (want->slug);
  op->name = g_strdup (want->name != NULL ? want->name : want->slug);
  op->city = g_strdup (want->city != NULL ? want->city : "");
  op->time_zone = g_strdup (want->time_zone);
  op->currency = g_strdup (want->currency);
  op->created_at = g_strdup (now);
  sqlite3_bind_text (stmt, 1, op->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, op->slug, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, op->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, op->city, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, op->time_zone, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, op->currency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, op->created_at, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      _parkd_sqlite_set_write_error (error, conn->db, rc, "create operator",
                                     "An operator with this slug exists",
                                     "The currency must be a three-letter ISO 4217 code", NULL);
      return NULL;
    }
  return g_steal_pointer (&op);
}

/* Inside the writer's transaction: the operator with @want's slug, created if missing. */
static ParkdOperator *
ensure_operator_locked (Conn                 *conn,
                        const ParkdOperator  *want,
                        const char           *now,
                        GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  ParkdOperator *op;

  op = operator_by_slug (conn, want->slug, &local_error);
  if (op != NULL || !g_error_matches (local_error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
    {
      if (op == NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return op;
    }
  return _parkd_sqlite_insert_operator_locked (conn, want, now, error);
}

/* Spot numbers as drivers read them on signs: "17" in a one-level lot, "2-017" on level 2
 * and "U1-005" on the first underground level of a garage with several levels. */
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

/* Inside the writer's transaction: @nl and its spots, for @op, which fills in the city,
 * currency and time zone @nl leaves NULL. Sets nl->lot.id; or, when @op already has a lot of
 * that name at that place, sets nl->existed and writes nothing. */
gboolean
_parkd_sqlite_insert_lot_locked (Conn                 *conn,
                                 const ParkdOperator  *op,
                                 ParkdNewLot          *nl,
                                 const char           *now,
                                 GError              **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (nl->occupancy_seed);
  g_autofree char *lot_id = g_uuid_string_random ();
  ParkdLot *lot = &nl->lot;
  sqlite3_stmt *stmt;
  guint total = 0, per_level, n_levels, index = 0;
  gint64 lot_pk;
  int rc;

  for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
    total += nl->n_spots[t];
  n_levels = MAX (nl->n_levels, 1);
  per_level = (total + n_levels - 1) / n_levels;

  /* Importing a file again must not double its lots. */
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_LOT_EXISTS, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, lot->name, -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 3, lot->lat);
  sqlite3_bind_double (stmt, 4, lot->lng);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _parkd_sqlite_set_error (error, conn->db, rc, "lot lookup");
  nl->existed = rc == SQLITE_ROW;
  if (nl->existed)
    return TRUE;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_LOT, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, lot_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, op->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, lot->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, lot->address, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, lot->city != NULL ? lot->city : op->city, -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 6, lot->lat);
  sqlite3_bind_double (stmt, 7, lot->lng);
  sqlite3_bind_text (stmt, 8, lot->lot_type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 9, total);
  sqlite3_bind_int64 (stmt, 10, lot->hourly_rate);
  sqlite3_bind_text (stmt, 11, lot->currency != NULL ? lot->currency : op->currency,
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, lot->time_zone != NULL ? lot->time_zone : op->time_zone,
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, lot->operating_hours, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, lot->amenities != NULL ? lot->amenities : "[]", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 15, lot->status != NULL ? lot->status : "open", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 16, now, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return _parkd_sqlite_set_error (error, conn->db, rc, lot->name != NULL ? lot->name : "lot");
  lot_pk = sqlite3_last_insert_rowid (conn->db);

  g_free (lot->id);
  lot->id = g_steal_pointer (&lot_id);

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_SPOT, error);
  if (stmt == NULL)
    return FALSE;
  /* Fill level by level, the special spots first (near the entrance and the lift). */
  for (guint t = PARKD_N_SPOT_TYPES; t-- > 0;)
    {
      ParkdSpotType type = t == 0 ? PARKD_SPOT_TYPE_REGULAR : t;

      for (guint i = 0; i < nl->n_spots[type]; i++, index++)
        {
          g_autofree char *spot_id = g_uuid_string_random ();
          g_autofree char *number = NULL;
          guint level_index = index / per_level;
          int level = nl->underground ? -(int) level_index - 1 : (int) level_index;
          gboolean occupied = g_rand_double (rand) < nl->occupancy;

          number = spot_number (level, index % per_level + 1, n_levels);
          sqlite3_bind_text (stmt, 1, spot_id, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, lot_pk);
          sqlite3_bind_text (stmt, 3, number, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 4, parkd_spot_type_to_string (type), -1, SQLITE_STATIC);
          sqlite3_bind_int (stmt, 5, level);
          sqlite3_bind_text (stmt, 6, occupied ? "occupied" : "available", -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 7, now, -1, SQLITE_STATIC);
          rc = sqlite3_step (stmt);
          sqlite3_reset (stmt);
          if (rc != SQLITE_DONE)
            {
              sqlite3_clear_bindings (stmt);
              return _parkd_sqlite_set_error (error, conn->db, rc, "spot");
            }
        }
    }
  sqlite3_clear_bindings (stmt);
  return TRUE;
}

static gboolean
sqlite_import_lots (ParkdStore           *store,
                    const ParkdOperator  *want,
                    ParkdNewLot         **lots,
                    guint                 n_lots,
                    const ParkdAudit     *audit,
                    GError              **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autoptr(ParkdOperator) op = NULL;
  g_autofree char *now = parkd_now_rfc3339 ();
  Conn *conn = _parkd_sqlite_write_begin (self, error);
  gboolean ok;

  if (conn == NULL)
    return FALSE;

  op = ensure_operator_locked (conn, want, now, error);
  ok = op != NULL;
  for (guint i = 0; ok && i < n_lots; i++)
    ok = _parkd_sqlite_insert_lot_locked (conn, op, lots[i], now, error);
  /* The audit entry names the operator the lots went to. */
  if (ok && audit != NULL)
    ok = _parkd_sqlite_audit_locked (conn, audit, now, op->id, error);

  return _parkd_sqlite_write_end (self, ok, error);
}

static gboolean
sqlite_warm (ParkdStore  *store,
             GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  LotDirectory *dir = NULL;
  gint64 counts_seq = -1;
  Conn *conn = _parkd_sqlite_take_reader (self, error);

  if (conn == NULL)
    return FALSE;
  if (_parkd_sqlite_conn_step_once (conn, SQL_BEGIN, error))
    {
      dir = get_lot_directory (self, conn, &counts_seq, error);
      if (dir != NULL && !refresh_counts (conn, counts_seq, error))
        g_clear_pointer (&dir, lot_directory_unref);
      _parkd_sqlite_conn_step_once (conn, SQL_COMMIT, NULL);
    }
  _parkd_sqlite_give_reader (self, conn);
  if (dir == NULL)
    return FALSE;
  lot_directory_unref (dir);
  return TRUE;
}

static void
sqlite_free (ParkdStore *store)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;

  /* Bookings already handed over are written (and answered) before the writer closes. */
  _parkd_sqlite_bookings_stop (self);
  if (self->all_readers != NULL)
    g_ptr_array_set_free_func (self->all_readers, (GDestroyNotify) conn_free);
  g_clear_pointer (&self->all_readers, g_ptr_array_unref);
  g_clear_pointer (&self->readers, g_async_queue_unref);
  g_clear_pointer (&self->writer, conn_free);
  g_clear_pointer (&self->directory, lot_directory_unref);
  g_mutex_clear (&self->directory_lock);
  g_mutex_clear (&self->write_lock);
  g_mutex_clear (&self->readers_lock);
  g_free (self->path);
  g_free (self);
}

static const ParkdStoreVTable sqlite_vtable = {
  .kind = "sqlite",
  .free = sqlite_free,
  .ping = sqlite_ping,
  .warm = sqlite_warm,
  .counts = sqlite_counts,
  .search_lots = sqlite_search_lots,
  .get_lot = sqlite_get_lot,
  .list_spots = sqlite_list_spots,
  .get_availability = sqlite_get_availability,
  .bounds = sqlite_bounds,
  .get_operator = sqlite_get_operator,
  .import_lots = sqlite_import_lots,
  .get_operator_by_id = _parkd_sqlite_get_operator_by_id,
  .list_operators = _parkd_sqlite_list_operators,
  .create_operator = _parkd_sqlite_create_operator,
  .list_operator_lots = _parkd_sqlite_list_operator_lots,
  .create_lot = _parkd_sqlite_create_lot,
  .update_lot = _parkd_sqlite_update_lot,
  .delete_lot = _parkd_sqlite_delete_lot,
  .get_spot = _parkd_sqlite_get_spot,
  .create_spot = _parkd_sqlite_create_spot,
  .update_spot = _parkd_sqlite_update_spot,
  .delete_spot = _parkd_sqlite_delete_spot,
  .create_user = _parkd_sqlite_create_user,
  .get_user = _parkd_sqlite_get_user,
  .get_user_by_email = _parkd_sqlite_get_user_by_email,
  .update_user = _parkd_sqlite_update_user,
  .delete_user = _parkd_sqlite_delete_user,
  .list_staff = _parkd_sqlite_list_staff,
  .list_vehicles = _parkd_sqlite_list_vehicles,
  .add_vehicle = _parkd_sqlite_add_vehicle,
  .delete_vehicle = _parkd_sqlite_delete_vehicle,
  .start_session = _parkd_sqlite_start_session,
  .rotate_refresh = _parkd_sqlite_rotate_refresh,
  .revoke_family = _parkd_sqlite_revoke_family,
  .revoke_user_sessions = _parkd_sqlite_revoke_user_sessions,
  .revoke_access_token = _parkd_sqlite_revoke_access_token,
  .load_revocations = _parkd_sqlite_load_revocations,
  .session_active = _parkd_sqlite_session_active,
  .audit = _parkd_sqlite_audit,
  .list_audit = _parkd_sqlite_list_audit,
  .book_async = _parkd_sqlite_book_async,
  .book = _parkd_sqlite_book,
  .get_idempotency = _parkd_sqlite_get_idempotency,
  .get_reservation = _parkd_sqlite_get_reservation,
  .list_reservations = _parkd_sqlite_list_reservations,
  .set_reservation_status = _parkd_sqlite_set_reservation_status,
  .extend_reservation = _parkd_sqlite_extend_reservation,
  .release_due = _parkd_sqlite_release_due,
  .booked_share = _parkd_sqlite_booked_share,
  .get_pricing = _parkd_sqlite_get_pricing,
  .set_pricing = _parkd_sqlite_set_pricing,
  .list_events = _parkd_sqlite_list_events,
  .feed_start = _parkd_sqlite_feed_start,
  .get_lot_feed = _parkd_sqlite_get_lot_feed,
  .lot_feed_since = _parkd_sqlite_lot_feed_since,
  .mark_published = _parkd_sqlite_mark_published,
  .notice_ending = _parkd_sqlite_notice_ending,
  .save_quote = _parkd_sqlite_save_quote,
  .get_quote = _parkd_sqlite_get_quote,
  .record_payment = _parkd_sqlite_record_payment,
  .get_payment = _parkd_sqlite_get_payment,
  .list_payments = _parkd_sqlite_list_payments,
  .list_stay_payments = _parkd_sqlite_list_stay_payments,
  .complete_checkout = _parkd_sqlite_complete_checkout,
  .set_payment_status = _parkd_sqlite_set_payment_status,
  .record_refund = _parkd_sqlite_record_refund,
  .add_refund_due = _parkd_sqlite_add_refund_due,
  .get_void = _parkd_sqlite_get_void,
  .list_refunds_due = _parkd_sqlite_list_refunds_due,
  .finish_refund_due = _parkd_sqlite_finish_refund_due,
  .fail_refund_due = _parkd_sqlite_fail_refund_due,
  .check_in = _parkd_sqlite_check_in,
  .create_discount = _parkd_sqlite_create_discount,
  .find_discount = _parkd_sqlite_find_discount,
  .list_discounts = _parkd_sqlite_list_discounts,
  .lot_history = _parkd_sqlite_lot_history,
  .revenue = _parkd_sqlite_revenue,
  .stays = _parkd_sqlite_stays,
  .delete_discount = _parkd_sqlite_delete_discount,
  .create_sensor = _parkd_sqlite_create_sensor,
  .list_sensors = _parkd_sqlite_list_sensors,
  .revoke_sensor = _parkd_sqlite_revoke_sensor,
  .get_sensor_by_key = _parkd_sqlite_get_sensor_by_key,
  .apply_sensor_readings = _parkd_sqlite_apply_sensor_readings,
  .create_kiosk = _parkd_sqlite_create_kiosk,
  .list_kiosks = _parkd_sqlite_list_kiosks,
  .revoke_kiosk = _parkd_sqlite_revoke_kiosk,
  .get_kiosk_by_key = _parkd_sqlite_get_kiosk_by_key,
  .count_guest_bookings = _parkd_sqlite_count_guest_bookings,
  .cash_report = _parkd_sqlite_cash_report,
  .get_parking_session = _parkd_sqlite_get_parking_session,
  .find_parking_sessions = _parkd_sqlite_find_parking_sessions,
  .check_out = _parkd_sqlite_check_out,
  .open_shift = _parkd_sqlite_open_shift,
  .get_shift = _parkd_sqlite_get_shift,
  .close_shift = _parkd_sqlite_close_shift,
  .shift_entries = _parkd_sqlite_shift_entries,
  .board = _parkd_sqlite_board,
};

static gsize sqlite_initialized;

ParkdStore *
_parkd_store_sqlite_open (const char  *path,
                          GError     **error)
{
  g_autoptr(ParkdStore) store = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  ParkdStoreSqlite *self;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_BACKEND,
                   "Cannot create %s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }

  if (g_once_init_enter (&sqlite_initialized))
    {
      /* Each connection is used by one thread at a time; without memory statistics SQLite
       * takes no global mutex on every allocation, which two event loops would fight over. */
      sqlite3_config (SQLITE_CONFIG_MULTITHREAD);
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      sqlite3_initialize ();
      g_once_init_leave (&sqlite_initialized, 1);
    }

  self = g_new0 (ParkdStoreSqlite, 1);
  store = (ParkdStore *) self;
  store->vtable = &sqlite_vtable;
  self->path = g_strdup (path);
  g_mutex_init (&self->write_lock);
  g_mutex_init (&self->readers_lock);
  g_mutex_init (&self->directory_lock);
  self->readers = g_async_queue_new ();
  self->all_readers = g_ptr_array_new ();

  self->writer = conn_open (path, FALSE, error);
  if (self->writer == NULL)
    return NULL;
  if (!migrate (self->writer, error))
    return NULL;
  _parkd_sqlite_watch_commits (self);
  _parkd_sqlite_bookings_start (self);

  return g_steal_pointer (&store);
}
