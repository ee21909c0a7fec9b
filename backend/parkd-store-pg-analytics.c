/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-pg-analytics.c: what the operator analytics read, on PostgreSQL, as
 * parkd-store-sqlite-analytics.c reads it: a lot's occupancy history from the events outbox
 * (every spot change's feed message carries the lot's counts), money by day or lot, and the
 * stays that ended in a period; each read in one transaction, so its parts agree.
 */
#include "config.h"

#include "parkd-store-pg-private.h"

#include <string.h>

/* An event's time and the counts in its payload, in ParkdLotCounts order. */
#define COUNTS_OF_EVENT \
  "extract (epoch FROM created_at::timestamptz)::bigint, " \
  "(payload::json #>> '{available,regular}')::int, " \
  "(payload::json #>> '{available,disabled}')::int, " \
  "(payload::json #>> '{available,ev}')::int, " \
  "(payload::json #>> '{available,compact}')::int, " \
  "(payload::json #>> '{available,motorcycle}')::int, " \
  "(payload::json #>> '{total,regular}')::int, " \
  "(payload::json #>> '{total,disabled}')::int, " \
  "(payload::json #>> '{total,ev}')::int, " \
  "(payload::json #>> '{total,compact}')::int, " \
  "(payload::json #>> '{total,motorcycle}')::int "
#define COUNTS_N_COLUMNS (1 + 2 * PARKD_N_SPOT_TYPES)
/* Only the lot's events that carry its counts (all of them today). */
#define WITH_COUNTS "json_typeof (payload::json -> 'total') = 'object' "

static const char SQL_HISTORY_BEFORE[] =
  "SELECT " COUNTS_OF_EVENT "FROM events "
  " WHERE aggregate = $1 AND created_at < $2 AND " WITH_COUNTS
  " ORDER BY created_at DESC, seq DESC LIMIT 1";
static const char SQL_HISTORY_FIRST_FROM[] =
  "SELECT " COUNTS_OF_EVENT ", payload::json #>> '{spot,type}', "
  "       payload::json #>> '{spot,state}', payload::json #>> '{spot,previous_state}' "
  "  FROM events "
  " WHERE aggregate = $1 AND created_at >= $2 AND " WITH_COUNTS
  " ORDER BY created_at, seq LIMIT 1";
static const char SQL_HISTORY_RANGE[] =
  "SELECT " COUNTS_OF_EVENT "FROM events "
  " WHERE aggregate = $1 AND created_at >= $2 AND created_at < $3 AND " WITH_COUNTS
  " ORDER BY created_at, seq";
static const char SQL_COUNTS_NOW[] =
  "SELECT 0, c.regular_available, c.disabled_available, c.ev_available, c.compact_available, "
  "       c.motorcycle_available, c.regular_total, c.disabled_total, c.ev_total, "
  "       c.compact_total, c.motorcycle_total "
  "  FROM lot_counts c JOIN parking_lots l ON l.pk = c.lot_pk WHERE l.id = $1";

/* Payments that went through, whatever was given back of them later. */
#define PAID "('succeeded', 'partially_refunded', 'refunded')"

static const char SQL_OPERATOR_CURRENCY[] = "SELECT currency FROM operators WHERE id = $1";
static const char SQL_REVENUE_CURRENCIES[] =
  "SELECT currency FROM payments "
  " WHERE operator_id = $1 AND created_at >= $2 AND created_at < $3 AND status IN " PAID
  "UNION "
  "SELECT p.currency FROM refunds f JOIN payments p ON p.id = f.payment_id "
  " WHERE p.operator_id = $1 AND f.created_at >= $2 AND f.created_at < $3 "
  "ORDER BY 1";
static const char SQL_DAY_PAYMENTS[] =
  "SELECT currency, count(*), sum (amount) FROM payments "
  " WHERE operator_id = $1 AND created_at >= $2 AND created_at < $3 AND status IN " PAID
  " GROUP BY currency";
static const char SQL_DAY_REFUNDS[] =
  "SELECT p.currency, count(*), sum (f.amount) FROM refunds f "
  "  JOIN payments p ON p.id = f.payment_id "
  " WHERE p.operator_id = $1 AND f.created_at >= $2 AND f.created_at < $3 "
  " GROUP BY p.currency";
static const char SQL_OPERATOR_LOTS[] =
  "SELECT id, name FROM parking_lots WHERE operator_id = $1 ORDER BY name, id";
#define LOT_OF_PAYMENT \
  "  LEFT JOIN reservations r ON r.pk = p.reservation_pk " \
  "  LEFT JOIN parking_sessions s ON s.pk = p.session_pk " \
  "  JOIN parking_lots l ON l.pk = coalesce (r.lot_pk, s.lot_pk) "
static const char SQL_LOT_PAYMENTS[] =
  "SELECT l.id, p.currency, count(*), sum (p.amount) FROM payments p " LOT_OF_PAYMENT
  " WHERE p.operator_id = $1 AND p.created_at >= $2 AND p.created_at < $3 "
  "   AND p.status IN " PAID
  " GROUP BY l.id, p.currency";
static const char SQL_LOT_REFUNDS[] =
  "SELECT l.id, p.currency, count(*), sum (f.amount) FROM refunds f "
  "  JOIN payments p ON p.id = f.payment_id " LOT_OF_PAYMENT
  " WHERE p.operator_id = $1 AND f.created_at >= $2 AND f.created_at < $3 "
  " GROUP BY l.id, p.currency";

/* Stays that ended in [$3, $4) in the lots chosen by $1 (operator, NULL: all) and $2 (lot,
 * NULL: all), with their length in seconds. */
#define SECONDS(a, b) \
  "greatest (0, extract (epoch FROM (" a "::timestamptz - " b "::timestamptz)))::bigint"
#define STAYS \
  "WITH chosen (pk) AS (SELECT pk FROM parking_lots " \
  "                      WHERE ($1::text IS NULL OR operator_id = $1::text) " \
  "                        AND ($2::text IS NULL OR id = $2::text)), " \
  "stays (booked, seconds) AS (" \
  "  SELECT 0, " SECONDS ("p.checked_out_at", "p.checked_in_at") \
  "    FROM parking_sessions p " \
  "   WHERE p.lot_pk IN (SELECT pk FROM chosen) AND p.status = 'completed' " \
  "     AND p.reservation_pk IS NULL " \
  "     AND p.checked_out_at >= $3 AND p.checked_out_at < $4 " \
  "  UNION ALL " \
  "  SELECT 1, " SECONDS ("r.checked_out_at", "r.checked_in_at") \
  "    FROM reservations r " \
  "   WHERE r.lot_pk IN (SELECT pk FROM chosen) AND r.status = 'completed' " \
  "     AND r.checked_in_at IS NOT NULL " \
  "     AND r.checked_out_at >= $3 AND r.checked_out_at < $4) "

static const char SQL_STAYS_SUMMARY[] =
  STAYS
  "SELECT count(*) - coalesce (sum (booked), 0), coalesce (sum (booked), 0), "
  "       coalesce (sum (seconds), 0), "
  "       (SELECT count(*) FROM parking_spots WHERE lot_pk IN (SELECT pk FROM chosen)) "
  "  FROM stays";
/* The middle one or two lengths: $5 of them after skipping $6. */
static const char SQL_STAYS_MIDDLE[] =
  STAYS "SELECT seconds FROM stays ORDER BY seconds LIMIT $5 OFFSET $6";

static ParkdStorePg *
pg (ParkdStore *store)
{
  return (ParkdStorePg *) store;
}

/* The stored UTC times compare as text. */
static char *
time_text (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

static void
counts_from_row (ParkdLotCounts *counts,
                 const PGresult *res,
                 int             row)
{
  counts->at = _parkd_pg_int (res, row, 0);
  for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
    {
      counts->available[t] = MAX (_parkd_pg_int (res, row, 1 + t), 0);
      counts->total[t] = MAX (_parkd_pg_int (res, row, 1 + PARKD_N_SPOT_TYPES + t), 0);
    }
}

/* The counts just before @counts' change, when its payload says which spot changed from
 * which state to which; FALSE when it does not (a change of type, a lot status). */
static gboolean
counts_undo_change (ParkdLotCounts *counts,
                    const PGresult *res,
                    int             row)
{
  const char *type_text, *state, *previous;
  ParkdSpotType type;
  int available;

  if (PQgetisnull (res, row, COUNTS_N_COLUMNS) || PQgetisnull (res, row, COUNTS_N_COLUMNS + 1) ||
      PQgetisnull (res, row, COUNTS_N_COLUMNS + 2))
    return FALSE;
  type_text = PQgetvalue (res, row, COUNTS_N_COLUMNS);
  state = PQgetvalue (res, row, COUNTS_N_COLUMNS + 1);
  previous = PQgetvalue (res, row, COUNTS_N_COLUMNS + 2);
  if (!parkd_spot_type_from_string (type_text, &type) || g_str_equal (state, previous))
    return FALSE;
  available = (int) counts->available[type] + g_str_equal (previous, "available") -
              g_str_equal (state, "available");
  if (available < 0 || available > (int) counts->total[type])
    return FALSE;
  counts->available[type] = available;
  return TRUE;
}

typedef struct
{
  const char *lot_id;
  gint64      from, to;
  GArray     *out;
} HistoryRead;

static gboolean
history_tx (PgConn   *conn,
            gpointer  data,
            GError  **error)
{
  HistoryRead *r = data;
  g_autofree char *aggregate = g_strconcat ("lot:", r->lot_id, NULL);
  g_autofree char *from_text = time_text (r->from), *to_text = time_text (r->to);
  const char *params[] = { aggregate, from_text, to_text };
  ParkdLotCounts counts = { 0, };
  g_autoptr(PGresult) res = NULL;

  g_array_set_size (r->out, 0);
  /* The counts in force at @from: the last change before it, ... */
  res = _parkd_pg_query (conn, SQL_HISTORY_BEFORE, 2, params, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    counts_from_row (&counts, res, 0);
  else
    {
      /* ... or what the first later change started from, ... */
      g_clear_pointer (&res, PQclear);
      res = _parkd_pg_query (conn, SQL_HISTORY_FIRST_FROM, 2, params, error);
      if (res == NULL)
        return FALSE;
      if (PQntuples (res) > 0)
        {
          counts_from_row (&counts, res, 0);
          counts_undo_change (&counts, res, 0);
        }
      else
        {
          /* ... or, when nothing ever changed, the lot as it is now. */
          const char *lot[] = { r->lot_id };

          g_clear_pointer (&res, PQclear);
          res = _parkd_pg_query_v (conn, SQL_COUNTS_NOW, lot, error);
          if (res == NULL)
            return FALSE;
          if (PQntuples (res) == 0)
            {
              g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                                   "There is no lot with this id");
              return FALSE;
            }
          counts_from_row (&counts, res, 0);
        }
    }
  counts.at = r->from;
  g_array_append_val (r->out, counts);
  g_clear_pointer (&res, PQclear);

  res = _parkd_pg_query_v (conn, SQL_HISTORY_RANGE, params, error);
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      counts_from_row (&counts, res, i);
      counts.at = CLAMP (counts.at, r->from, r->to);
      g_array_append_val (r->out, counts);
    }
  return TRUE;
}

static GArray *
pg_lot_history (ParkdStore  *store,
                const char  *lot_id,
                gint64       from,
                gint64       to,
                GError     **error)
{
  HistoryRead r = { lot_id, from, to, g_array_new (FALSE, TRUE, sizeof (ParkdLotCounts)) };

  if (!_parkd_pg_transact (pg (store), TRUE, history_tx, &r, error))
    g_clear_pointer (&r.out, g_array_unref);
  return r.out;
}

/* ---- Revenue -------------------------------------------------------------------------- */

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

static gboolean
add_sums (PgConn       *conn,
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
  const char *params[] = { operator_id, from_text, to_text };
  g_autoptr(PGresult) res = _parkd_pg_query_v (conn, sql, params, error);

  if (res == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (res); row++)
    {
      int c = lot_index != NULL ? 1 : 0;
      guint cur = currency_index (currencies, PQgetvalue (res, row, c));
      ParkdRevenueLine *line;
      gpointer slot;

      if (cur == G_MAXUINT)
        continue;
      if (lot_index != NULL)
        {
          if (!g_hash_table_lookup_extended (lot_index, PQgetvalue (res, row, 0), NULL, &slot))
            continue;
          bucket = GPOINTER_TO_UINT (slot);
        }
      line = g_ptr_array_index (lines, cur * n_columns + bucket);
      if (refunds)
        {
          line->refunds += _parkd_pg_int (res, row, c + 1);
          line->refunded += _parkd_pg_int (res, row, c + 2);
        }
      else
        {
          line->payments += _parkd_pg_int (res, row, c + 1);
          line->gross += _parkd_pg_int (res, row, c + 2);
        }
    }
  return TRUE;
}

typedef struct
{
  const char   *operator_id;
  const gint64 *bounds;
  guint         n_bounds;
  gboolean      by_lot;
  GPtrArray    *out;
} RevenueRead;

static gboolean
revenue_tx (PgConn   *conn,
            gpointer  data,
            GError  **error)
{
  RevenueRead *r = data;
  g_autofree char *from_text = time_text (r->bounds[0]);
  g_autofree char *to_text = time_text (r->bounds[r->n_bounds - 1]);
  g_autoptr(GPtrArray) currencies = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) lot_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) lot_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) lot_index = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  const char *params[] = { r->operator_id, from_text, to_text };
  g_autoptr(PGresult) res = NULL;
  guint n_columns;

  g_clear_pointer (&r->out, g_ptr_array_unref);
  /* The currencies of the answer: the operator's own, then any other in the period. */
  res = _parkd_pg_query (conn, SQL_OPERATOR_CURRENCY, 1, params, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                           "There is no operator with this id");
      return FALSE;
    }
  g_ptr_array_add (currencies, _parkd_pg_dup (res, 0, 0));
  g_clear_pointer (&res, PQclear);
  res = _parkd_pg_query_v (conn, SQL_REVENUE_CURRENCIES, params, error);
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    if (!PQgetisnull (res, i, 0) &&
        !g_str_equal (PQgetvalue (res, i, 0), g_ptr_array_index (currencies, 0)))
      g_ptr_array_add (currencies, _parkd_pg_dup (res, i, 0));
  g_clear_pointer (&res, PQclear);

  if (r->by_lot)
    {
      res = _parkd_pg_query (conn, SQL_OPERATOR_LOTS, 1, params, error);
      if (res == NULL)
        return FALSE;
      lot_index = g_hash_table_new (g_str_hash, g_str_equal);
      for (int i = 0; i < PQntuples (res); i++)
        {
          char *id = _parkd_pg_dup (res, i, 0);

          g_ptr_array_add (lot_ids, id);
          g_hash_table_insert (lot_index, id, GUINT_TO_POINTER (lot_ids->len - 1));
          g_ptr_array_add (lot_names, _parkd_pg_dup (res, i, 1));
        }
    }
  n_columns = r->by_lot ? lot_names->len : r->n_bounds - 1;

  /* Every currency has a line for every day or lot, zeros included. */
  lines = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_revenue_line_free);
  for (guint c = 0; c < currencies->len; c++)
    for (guint i = 0; i < n_columns; i++)
      {
        ParkdRevenueLine *line = g_new0 (ParkdRevenueLine, 1);

        line->currency = g_strdup (g_ptr_array_index (currencies, c));
        line->bucket = r->by_lot ? 0 : i;
        if (r->by_lot)
          {
            line->lot_id = g_strdup (g_ptr_array_index (lot_ids, i));
            line->lot_name = g_strdup (g_ptr_array_index (lot_names, i));
          }
        g_ptr_array_add (lines, line);
      }

  if (r->by_lot)
    {
      if (!add_sums (conn, SQL_LOT_PAYMENTS, r->operator_id, from_text, to_text, currencies,
                     lot_index, 0, n_columns, lines, FALSE, error) ||
          !add_sums (conn, SQL_LOT_REFUNDS, r->operator_id, from_text, to_text, currencies,
                     lot_index, 0, n_columns, lines, TRUE, error))
        return FALSE;
    }
  else
    for (guint i = 0; i + 1 < r->n_bounds; i++)
      {
        g_autofree char *lo = time_text (r->bounds[i]), *hi = time_text (r->bounds[i + 1]);

        if (!add_sums (conn, SQL_DAY_PAYMENTS, r->operator_id, lo, hi, currencies, NULL, i,
                       n_columns, lines, FALSE, error) ||
            !add_sums (conn, SQL_DAY_REFUNDS, r->operator_id, lo, hi, currencies, NULL, i,
                       n_columns, lines, TRUE, error))
          return FALSE;
      }
  r->out = g_steal_pointer (&lines);
  return TRUE;
}

static GPtrArray *
pg_revenue (ParkdStore    *store,
            const char    *operator_id,
            const gint64  *bounds,
            guint          n_bounds,
            gboolean       by_lot,
            GError       **error)
{
  RevenueRead r = { operator_id, bounds, n_bounds, by_lot, NULL };

  if (!_parkd_pg_transact (pg (store), TRUE, revenue_tx, &r, error))
    g_clear_pointer (&r.out, g_ptr_array_unref);
  return r.out;
}

/* ---- Stays ---------------------------------------------------------------------------- */

typedef struct
{
  const char        *operator_id, *lot_id;
  gint64             from, to;
  ParkdStaysSummary *summary;
} StaysRead;

static gboolean
stays_tx (PgConn   *conn,
          gpointer  data,
          GError  **error)
{
  StaysRead *r = data;
  ParkdStaysSummary *summary = r->summary;
  g_autofree char *from_text = time_text (r->from), *to_text = time_text (r->to);
  g_autofree char *limit = NULL, *offset = NULL;
  g_autoptr(PGresult) res = NULL;
  gint64 middle = 0;
  guint n;

  memset (summary, 0, sizeof *summary);
  summary->median_seconds = -1;
  {
    const char *params[] = { r->operator_id, r->lot_id, from_text, to_text };

    res = _parkd_pg_query_v (conn, SQL_STAYS_SUMMARY, params, error);
  }
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    {
      summary->walk_ins = _parkd_pg_int (res, 0, 0);
      summary->reservations = _parkd_pg_int (res, 0, 1);
      summary->total_seconds = _parkd_pg_int (res, 0, 2);
      summary->spots = _parkd_pg_int (res, 0, 3);
    }
  g_clear_pointer (&res, PQclear);
  n = summary->walk_ins + summary->reservations;
  if (n == 0)
    return TRUE;

  /* The median: the middle length, or the mean of the two in the middle. */
  limit = _parkd_pg_int_param (n % 2 == 1 ? 1 : 2);
  offset = _parkd_pg_int_param ((n - 1) / 2);
  {
    const char *params[] = { r->operator_id, r->lot_id, from_text, to_text, limit, offset };

    res = _parkd_pg_query_v (conn, SQL_STAYS_MIDDLE, params, error);
  }
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    middle += _parkd_pg_int (res, i, 0);
  if (PQntuples (res) > 0)
    summary->median_seconds = (double) middle / PQntuples (res);
  return TRUE;
}

static gboolean
pg_stays (ParkdStore         *store,
          const char         *operator_id,
          const char         *lot_id,
          gint64              from,
          gint64              to,
          ParkdStaysSummary  *summary,
          GError            **error)
{
  StaysRead r = { operator_id, lot_id, from, to, summary };

  return _parkd_pg_transact (pg (store), TRUE, stays_tx, &r, error);
}

void
_parkd_pg_analytics_vtable (ParkdStoreVTable *vtable)
{
  vtable->lot_history = pg_lot_history;
  vtable->revenue = pg_revenue;
  vtable->stays = pg_stays;
}
