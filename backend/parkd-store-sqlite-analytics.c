/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-sqlite-analytics.c: what the operator analytics read (issue 5): a lot's
 * occupancy history from the events outbox, money by day or lot, and the stays that ended in
 * a period. Every read runs in one read transaction, so its parts agree with each other.
 *
 * The outbox is the occupancy history: the counts trigger (sql/004-live.sql) writes an event
 * with the lot's available and total spots per type for every change of a spot's state, and
 * its created_at is the spot's updated_at, the time of the change. sql/006-analytics.sql
 * adds the indexes that keep these reads to the period asked for.
 */
#include "config.h"

#include "parkd-store-sqlite-private.h"

#include <string.h>

/* An event's time and the counts in its payload, in ParkdLotCounts order. */
#define COUNTS_OF_EVENT \
  "CAST (strftime ('%s', created_at) AS INTEGER), " \
  "json_extract (payload, '$.available.regular'), " \
  "json_extract (payload, '$.available.disabled'), " \
  "json_extract (payload, '$.available.ev'), " \
  "json_extract (payload, '$.available.compact'), " \
  "json_extract (payload, '$.available.motorcycle'), " \
  "json_extract (payload, '$.total.regular'), " \
  "json_extract (payload, '$.total.disabled'), " \
  "json_extract (payload, '$.total.ev'), " \
  "json_extract (payload, '$.total.compact'), " \
  "json_extract (payload, '$.total.motorcycle') "
#define COUNTS_N_COLUMNS (1 + 2 * PARKD_N_SPOT_TYPES)
/* Only the lot's events that carry its counts (all of them today). */
#define WITH_COUNTS "json_type (payload, '$.total') = 'object' "

static const char SQL_HISTORY_BEFORE[] =
  "SELECT " COUNTS_OF_EVENT "FROM events "
  " WHERE aggregate = ?1 AND created_at < ?2 AND " WITH_COUNTS
  " ORDER BY created_at DESC, seq DESC LIMIT 1";
static const char SQL_HISTORY_FIRST_FROM[] =
  "SELECT " COUNTS_OF_EVENT ", json_extract (payload, '$.spot.type'), "
  "       json_extract (payload, '$.spot.state'), json_extract (payload, '$.spot.previous_state') "
  "  FROM events "
  " WHERE aggregate = ?1 AND created_at >= ?2 AND " WITH_COUNTS
  " ORDER BY created_at, seq LIMIT 1";
static const char SQL_HISTORY_RANGE[] =
  "SELECT " COUNTS_OF_EVENT "FROM events "
  " WHERE aggregate = ?1 AND created_at >= ?2 AND created_at < ?3 AND " WITH_COUNTS
  " ORDER BY created_at, seq";
static const char SQL_COUNTS_NOW[] =
  "SELECT 0, c.regular_available, c.disabled_available, c.ev_available, c.compact_available, "
  "       c.motorcycle_available, c.regular_total, c.disabled_total, c.ev_total, "
  "       c.compact_total, c.motorcycle_total "
  "  FROM lot_counts c JOIN parking_lots l ON l.pk = c.lot_pk WHERE l.id = ?1";

/* Payments that went through, whatever was given back of them later. */
#define PAID "('succeeded', 'partially_refunded', 'refunded')"

static const char SQL_OPERATOR_CURRENCY[] = "SELECT currency FROM operators WHERE id = ?1";
static const char SQL_REVENUE_CURRENCIES[] =
  "SELECT currency FROM payments "
  " WHERE operator_id = ?1 AND created_at >= ?2 AND created_at < ?3 AND status IN " PAID
  "UNION "
  "SELECT p.currency FROM refunds f JOIN payments p ON p.id = f.payment_id "
  " WHERE p.operator_id = ?1 AND f.created_at >= ?2 AND f.created_at < ?3 "
  "ORDER BY 1";
static const char SQL_DAY_PAYMENTS[] =
  "SELECT currency, count(*), sum (amount) FROM payments "
  " WHERE operator_id = ?1 AND created_at >= ?2 AND created_at < ?3 AND status IN " PAID
  " GROUP BY currency";
static const char SQL_DAY_REFUNDS[] =
  "SELECT p.currency, count(*), sum (f.amount) FROM refunds f "
  "  JOIN payments p ON p.id = f.payment_id "
  " WHERE p.operator_id = ?1 AND f.created_at >= ?2 AND f.created_at < ?3 "
  " GROUP BY p.currency";
static const char SQL_OPERATOR_LOTS[] =
  "SELECT id, name FROM parking_lots WHERE operator_id = ?1 ORDER BY name, id";
/* The lot a payment is for: its booking's, or its walk-in stay's. */
#define LOT_OF_PAYMENT \
  "  LEFT JOIN reservations r ON r.pk = p.reservation_pk " \
  "  LEFT JOIN parking_sessions s ON s.pk = p.session_pk " \
  "  JOIN parking_lots l ON l.pk = coalesce (r.lot_pk, s.lot_pk) "
static const char SQL_LOT_PAYMENTS[] =
  "SELECT l.id, p.currency, count(*), sum (p.amount) FROM payments p " LOT_OF_PAYMENT
  " WHERE p.operator_id = ?1 AND p.created_at >= ?2 AND p.created_at < ?3 "
  "   AND p.status IN " PAID
  " GROUP BY l.id, p.currency";
static const char SQL_LOT_REFUNDS[] =
  "SELECT l.id, p.currency, count(*), sum (f.amount) FROM refunds f "
  "  JOIN payments p ON p.id = f.payment_id " LOT_OF_PAYMENT
  " WHERE p.operator_id = ?1 AND f.created_at >= ?2 AND f.created_at < ?3 "
  " GROUP BY l.id, p.currency";

/* Stays that ended in [?3, ?4) in the lots chosen by ?1 (operator, NULL: all) and ?2 (lot,
 * NULL: all): walk-ins (a booking's own stay counts once, as the booking) and bookings that
 * were checked in and completed, with their length in seconds. */
#define STAYS \
  "WITH chosen (pk) AS (SELECT pk FROM parking_lots " \
  "                      WHERE (?1 IS NULL OR operator_id = ?1) AND (?2 IS NULL OR id = ?2)), " \
  "stays (booked, seconds) AS (" \
  "  SELECT 0, max (0, strftime ('%s', p.checked_out_at) - strftime ('%s', p.checked_in_at)) " \
  "    FROM parking_sessions p " \
  "   WHERE p.lot_pk IN chosen AND p.status = 'completed' AND p.reservation_pk IS NULL " \
  "     AND p.checked_out_at >= ?3 AND p.checked_out_at < ?4 " \
  "  UNION ALL " \
  "  SELECT 1, max (0, strftime ('%s', r.checked_out_at) - strftime ('%s', r.checked_in_at)) " \
  "    FROM reservations r " \
  "   WHERE r.lot_pk IN chosen AND r.status = 'completed' AND r.checked_in_at IS NOT NULL " \
  "     AND r.checked_out_at >= ?3 AND r.checked_out_at < ?4) "

static const char SQL_STAYS_SUMMARY[] =
  STAYS
  "SELECT count(*) - coalesce (sum (booked), 0), coalesce (sum (booked), 0), "
  "       coalesce (sum (seconds), 0), "
  "       (SELECT count(*) FROM parking_spots WHERE lot_pk IN chosen) "
  "  FROM stays";
/* The middle one or two lengths: ?5 of them after skipping ?6. */
static const char SQL_STAYS_MIDDLE[] =
  STAYS "SELECT seconds FROM stays ORDER BY seconds LIMIT ?5 OFFSET ?6";

/* SQLite compares the stored UTC times as text. */
static char *
time_text (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

static void
counts_from_row (ParkdLotCounts *counts,
                 sqlite3_stmt   *stmt)
{
  counts->at = sqlite3_column_int64 (stmt, 0);
  for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
    {
      counts->available[t] = MAX (sqlite3_column_int (stmt, 1 + t), 0);
      counts->total[t] = MAX (sqlite3_column_int (stmt, 1 + PARKD_N_SPOT_TYPES + t), 0);
    }
}

/* The counts just before @counts' change, when its payload says which spot changed from
 * which state to which; FALSE when it does not (a change of type, a lot status). */
static gboolean
counts_undo_change (ParkdLotCounts *counts,
                    sqlite3_stmt   *stmt)
{
  const char *type_text = (const char *) sqlite3_column_text (stmt, COUNTS_N_COLUMNS);
  const char *state = (const char *) sqlite3_column_text (stmt, COUNTS_N_COLUMNS + 1);
  const char *previous = (const char *) sqlite3_column_text (stmt, COUNTS_N_COLUMNS + 2);
  ParkdSpotType type;
  int available;

  if (type_text == NULL || state == NULL || previous == NULL ||
      !parkd_spot_type_from_string (type_text, &type) || g_str_equal (state, previous))
    return FALSE;
  available = (int) counts->available[type] + g_str_equal (previous, "available") -
              g_str_equal (state, "available");
  if (available < 0 || available > (int) counts->total[type])
    return FALSE;
  counts->available[type] = available;
  return TRUE;
}

/* Steps @stmt once; *@found says whether it gave a row. */
static gboolean
step_row (Conn          *conn,
          sqlite3_stmt  *stmt,
          gboolean      *found,
          const char    *what,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  *found = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return TRUE;
  return _parkd_sqlite_set_error (error, conn->db, rc, what);
}

/* The counts in force at @from_text. */
static gboolean
counts_at_start (Conn            *conn,
                 const char      *aggregate,
                 const char      *lot_id,
                 const char      *from_text,
                 ParkdLotCounts  *counts,
                 GError         **error)
{
  sqlite3_stmt *stmt;
  gboolean found;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_HISTORY_BEFORE, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, aggregate, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, from_text, -1, SQLITE_STATIC);
  if (!step_row (conn, stmt, &found, "occupancy history", error))
    return FALSE;
  if (found)
    counts_from_row (counts, stmt);
  sqlite3_reset (stmt);
  if (found)
    return TRUE;

  /* Nothing changed before: the lot was as the first later change found it. */
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_HISTORY_FIRST_FROM, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, aggregate, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, from_text, -1, SQLITE_STATIC);
  if (!step_row (conn, stmt, &found, "occupancy history", error))
    return FALSE;
  if (found)
    {
      counts_from_row (counts, stmt);
      counts_undo_change (counts, stmt);
    }
  sqlite3_reset (stmt);
  if (found)
    return TRUE;

  /* Nothing ever changed: the lot is as it is now. */
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_COUNTS_NOW, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, lot_id, -1, SQLITE_STATIC);
  if (!step_row (conn, stmt, &found, "lot counts", error))
    return FALSE;
  if (found)
    counts_from_row (counts, stmt);
  sqlite3_reset (stmt);
  if (!found)
    g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                         "There is no lot with this id");
  return found;
}

GArray *
_parkd_sqlite_lot_history (ParkdStore  *store,
                           const char  *lot_id,
                           gint64       from,
                           gint64       to,
                           GError     **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *aggregate = g_strconcat ("lot:", lot_id, NULL);
  g_autofree char *from_text = time_text (from), *to_text = time_text (to);
  g_autoptr(GArray) history = g_array_new (FALSE, TRUE, sizeof (ParkdLotCounts));
  ParkdLotCounts counts = { 0, };
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  Conn *conn;
  int rc;

  conn = _parkd_sqlite_read_begin (self, error);
  if (conn == NULL)
    return NULL;
  if (!counts_at_start (conn, aggregate, lot_id, from_text, &counts, error))
    goto out;
  counts.at = from;
  g_array_append_val (history, counts);

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_HISTORY_RANGE, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, aggregate, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, from_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, to_text, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      counts_from_row (&counts, stmt);
      /* The text compared within [from, to); the seconds stay there too. */
      counts.at = CLAMP (counts.at, from, to);
      g_array_append_val (history, counts);
    }
  sqlite3_reset (stmt);
  ok = rc == SQLITE_DONE || _parkd_sqlite_set_error (error, conn->db, rc, "occupancy history");

out:
  _parkd_sqlite_read_end (self, conn);
  return ok ? g_steal_pointer (&history) : NULL;
}

/* ---- Revenue -------------------------------------------------------------------------- */

/* The currencies of the answer: the operator's own, then any other in the period. */
static GPtrArray *
revenue_currencies (Conn        *conn,
                    const char  *operator_id,
                    const char  *from_text,
                    const char  *to_text,
                    GError     **error)
{
  g_autoptr(GPtrArray) currencies = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean found;
  int rc;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_OPERATOR_CURRENCY, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, operator_id, -1, SQLITE_STATIC);
  if (!step_row (conn, stmt, &found, "operator", error))
    return NULL;
  if (found)
    g_ptr_array_add (currencies, _parkd_sqlite_column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (!found)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                           "There is no operator with this id");
      return NULL;
    }

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_REVENUE_CURRENCIES, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, operator_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, from_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, to_text, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *currency = (const char *) sqlite3_column_text (stmt, 0);

      if (currency != NULL && !g_str_equal (currency, g_ptr_array_index (currencies, 0)))
        g_ptr_array_add (currencies, g_strdup (currency));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _parkd_sqlite_set_error (error, conn->db, rc, "revenue");
      return NULL;
    }
  return g_steal_pointer (&currencies);
}

static guint
currency_index (GPtrArray  *currencies,
                const char *currency)
{
  guint i;

  if (currency == NULL ||
      !g_ptr_array_find_with_equal_func (currencies, currency, g_str_equal, &i))
    return G_MAXUINT;
  return i;
}

/* Runs a "currency, count, sum" (by day) or "lot, currency, count, sum" (by lot) statement
 * over [?2, ?3) and adds its rows to the lines of @bucket (by day) or of each lot. */
static gboolean
add_sums (Conn         *conn,
          const char   *sql,
          const char   *operator_id,
          const char   *from_text,
          const char   *to_text,
          GPtrArray    *currencies,
          GHashTable   *lot_index,
          guint         bucket,
          guint         n_columns,
          GPtrArray    *lines,
          gboolean      refunds,
          GError      **error)
{
  sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, operator_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, from_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, to_text, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int c = lot_index != NULL ? 1 : 0;
      guint cur = currency_index (currencies, (const char *) sqlite3_column_text (stmt, c));
      ParkdRevenueLine *line;
      gpointer slot;

      if (cur == G_MAXUINT)
        continue;
      if (lot_index != NULL)
        {
          if (!g_hash_table_lookup_extended (lot_index, sqlite3_column_text (stmt, 0), NULL,
                                             &slot))
            continue;
          bucket = GPOINTER_TO_UINT (slot);
        }
      line = g_ptr_array_index (lines, cur * n_columns + bucket);
      if (refunds)
        {
          line->refunds += sqlite3_column_int (stmt, c + 1);
          line->refunded += sqlite3_column_int64 (stmt, c + 2);
        }
      else
        {
          line->payments += sqlite3_column_int (stmt, c + 1);
          line->gross += sqlite3_column_int64 (stmt, c + 2);
        }
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || _parkd_sqlite_set_error (error, conn->db, rc, "revenue");
}

GPtrArray *
_parkd_sqlite_revenue (ParkdStore    *store,
                       const char    *operator_id,
                       const gint64  *bounds,
                       guint          n_bounds,
                       gboolean       by_lot,
                       GError       **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *from_text = time_text (bounds[0]);
  g_autofree char *to_text = time_text (bounds[n_bounds - 1]);
  g_autoptr(GPtrArray) currencies = NULL;
  g_autoptr(GPtrArray) lot_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) lot_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) lot_index = NULL;   /* id (borrowed from @lot_ids) -> its index */
  g_autoptr(GPtrArray) lines = NULL;
  guint n_columns;
  gboolean ok = FALSE;
  Conn *conn;
  int rc;

  conn = _parkd_sqlite_read_begin (self, error);
  if (conn == NULL)
    return NULL;
  currencies = revenue_currencies (conn, operator_id, from_text, to_text, error);
  if (currencies == NULL)
    goto out;

  if (by_lot)
    {
      sqlite3_stmt *stmt = _parkd_sqlite_conn_prepare (conn, SQL_OPERATOR_LOTS, error);

      if (stmt == NULL)
        goto out;
      lot_index = g_hash_table_new (g_str_hash, g_str_equal);
      sqlite3_bind_text (stmt, 1, operator_id, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          char *id = _parkd_sqlite_column_dup (stmt, 0);

          g_ptr_array_add (lot_ids, id);
          g_hash_table_insert (lot_index, id, GUINT_TO_POINTER (lot_ids->len - 1));
          g_ptr_array_add (lot_names, _parkd_sqlite_column_dup (stmt, 1));
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _parkd_sqlite_set_error (error, conn->db, rc, "revenue");
          goto out;
        }
    }
  n_columns = by_lot ? lot_names->len : n_bounds - 1;

  /* Every currency has a line for every day or lot, zeros included. */
  lines = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_revenue_line_free);
  for (guint c = 0; c < currencies->len; c++)
    for (guint i = 0; i < n_columns; i++)
      {
        ParkdRevenueLine *line = g_new0 (ParkdRevenueLine, 1);

        line->currency = g_strdup (g_ptr_array_index (currencies, c));
        line->bucket = by_lot ? 0 : i;
        if (by_lot)
          {
            line->lot_id = g_strdup (g_ptr_array_index (lot_ids, i));
            line->lot_name = g_strdup (g_ptr_array_index (lot_names, i));
          }
        g_ptr_array_add (lines, line);
      }

  if (by_lot)
    {
      ok = add_sums (conn, SQL_LOT_PAYMENTS, operator_id, from_text, to_text, currencies,
                     lot_index, 0, n_columns, lines, FALSE, error) &&
           add_sums (conn, SQL_LOT_REFUNDS, operator_id, from_text, to_text, currencies,
                     lot_index, 0, n_columns, lines, TRUE, error);
      goto out;
    }

  ok = TRUE;
  for (guint i = 0; ok && i + 1 < n_bounds; i++)
    {
      g_autofree char *lo = time_text (bounds[i]), *hi = time_text (bounds[i + 1]);

      ok = add_sums (conn, SQL_DAY_PAYMENTS, operator_id, lo, hi, currencies, NULL, i,
                     n_columns, lines, FALSE, error) &&
           add_sums (conn, SQL_DAY_REFUNDS, operator_id, lo, hi, currencies, NULL, i,
                     n_columns, lines, TRUE, error);
    }

out:
  _parkd_sqlite_read_end (self, conn);
  return ok ? g_steal_pointer (&lines) : NULL;
}

/* ---- Stays ---------------------------------------------------------------------------- */

static void
bind_stays (sqlite3_stmt *stmt,
            const char   *operator_id,
            const char   *lot_id,
            const char   *from_text,
            const char   *to_text)
{
  sqlite3_bind_text (stmt, 1, operator_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, lot_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, from_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, to_text, -1, SQLITE_STATIC);
}

gboolean
_parkd_sqlite_stays (ParkdStore         *store,
                     const char         *operator_id,
                     const char         *lot_id,
                     gint64              from,
                     gint64              to,
                     ParkdStaysSummary  *summary,
                     GError            **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *from_text = time_text (from), *to_text = time_text (to);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE, found;
  guint n, taken = 0;
  gint64 middle = 0;
  Conn *conn;
  int rc;

  memset (summary, 0, sizeof *summary);
  summary->median_seconds = -1;
  conn = _parkd_sqlite_read_begin (self, error);
  if (conn == NULL)
    return FALSE;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_STAYS_SUMMARY, error);
  if (stmt == NULL)
    goto out;
  bind_stays (stmt, operator_id, lot_id, from_text, to_text);
  if (!step_row (conn, stmt, &found, "stays", error))
    goto out;
  if (found)
    {
      summary->walk_ins = sqlite3_column_int (stmt, 0);
      summary->reservations = sqlite3_column_int (stmt, 1);
      summary->total_seconds = sqlite3_column_int64 (stmt, 2);
      summary->spots = sqlite3_column_int (stmt, 3);
    }
  sqlite3_reset (stmt);
  n = summary->walk_ins + summary->reservations;
  if (n == 0)
    {
      ok = TRUE;
      goto out;
    }

  /* The median: the middle length, or the mean of the two in the middle. */
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_STAYS_MIDDLE, error);
  if (stmt == NULL)
    goto out;
  bind_stays (stmt, operator_id, lot_id, from_text, to_text);
  sqlite3_bind_int (stmt, 5, n % 2 == 1 ? 1 : 2);
  sqlite3_bind_int (stmt, 6, (n - 1) / 2);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      middle += sqlite3_column_int64 (stmt, 0);
      taken++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _parkd_sqlite_set_error (error, conn->db, rc, "stays");
      goto out;
    }
  if (taken > 0)
    summary->median_seconds = (double) middle / taken;
  ok = TRUE;

out:
  _parkd_sqlite_read_end (self, conn);
  return ok;
}
