/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-handler-analytics.c: what an operator's dashboard shows (/api/v1/admin/analytics/...):
 * how full a lot was over time, the money taken by day or lot, and the stays that ended.
 *
 * Operators see their own operator's lots and money only; admins see any, or one operator's
 * with ?operator=SLUG, as on every admin route (parkd_request_resolve_operator()). Another
 * operator's lot or operator is answered 404, as if it did not exist (parkd-handler-admin.c).
 * Each answer is JSON, or CSV (RFC 4180, a header row, UTF-8) when the client asks for
 * text/csv in Accept. Parameters that cannot be used answer 400 naming the parameter, as
 * everywhere else in parkd. The reads may cover a year, so the routes run on the blocking
 * pool, off the event loop.
 */
#include "config.h"

#include "parkd-reply.h"

#include <math.h>
#include <string.h>

#define MAX_RANGE_S  (366 * 24 * 3600)
#define MIN_STEP_S   (5 * 60)
#define MAX_STEPS    2000

typedef enum
{
  FORMAT_JSON,
  FORMAT_CSV,
} Format;

/* What every analytics request names: the operator (NULL: every operator, for an admin
 * without ?operator=), maybe a lot, and the period [from, to) in Unix seconds. */
typedef struct
{
  Format         format;
  const char    *operator_slug; /* as given */
  const char    *lot_id;        /* as given */
  ParkdOperator *op;            /* once resolved; the lot's own when only a lot was named */
  ParkdLot      *lot;
  gint64         from;
  gint64         to;
} Query;

static void
query_clear (Query *q)
{
  g_clear_pointer (&q->op, parkd_operator_free);
  g_clear_pointer (&q->lot, parkd_lot_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Query, query_clear)

static char *
utc_text (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* ---- Accept ---------------------------------------------------------------------------- */

/* The quality @accept gives type/subtype: that of its most specific matching media range
 * (RFC 9110, 12.5.1), 0 when none matches. */
static double
accept_quality (const char *accept,
                const char *type,
                const char *subtype)
{
  g_auto(GStrv) ranges = g_strsplit (accept, ",", -1);
  double quality = 0;
  int best = 0;

  for (guint i = 0; ranges[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (ranges[i], ";", -1);
      char *media = g_strstrip (parts[0]);
      char *slash = strchr (media, '/');
      double q = 1;
      int specificity;

      if (slash == NULL)
        continue;
      *slash = '\0';
      if (g_str_equal (media, "*") && g_str_equal (slash + 1, "*"))
        specificity = 1;
      else if (g_ascii_strcasecmp (media, type) != 0)
        continue;
      else if (g_str_equal (slash + 1, "*"))
        specificity = 2;
      else if (g_ascii_strcasecmp (slash + 1, subtype) == 0)
        specificity = 3;
      else
        continue;
      for (guint p = 1; parts[p] != NULL; p++)
        {
          char *param = g_strstrip (parts[p]);

          if (g_ascii_strncasecmp (param, "q=", 2) == 0)
            q = CLAMP (g_ascii_strtod (param + 2, NULL), 0.0, 1.0);
        }
      if (specificity > best)
        {
          best = specificity;
          quality = q;
        }
    }
  return quality;
}

/* CSV when Accept prefers text/csv to application/json; JSON otherwise, also for an Accept
 * that allows neither (parkd answers no 406: a client gets JSON, which it can tell by the
 * Content-Type). */
static Format
negotiate_format (ParkdRequest *r)
{
  g_autoptr(GString) accept = g_string_new (NULL);

  for (ssize_t i = -1; (i = h2o_find_header (&r->req->headers, H2O_TOKEN_ACCEPT, i)) != -1;)
    {
      const h2o_iovec_t *value = &r->req->headers.entries[i].value;

      if (accept->len > 0)
        g_string_append_c (accept, ',');
      g_string_append_len (accept, value->base, value->len);
    }
  if (accept->len == 0)
    return FORMAT_JSON;
  return accept_quality (accept->str, "text", "csv") >
         accept_quality (accept->str, "application", "json") ? FORMAT_CSV : FORMAT_JSON;
}

static void
reply_answer (ParkdRequest *r,
              Format        format,
              GString      *body)
{
  /* The same URL answers JSON or CSV. */
  parkd_reply_add_header (r, "vary", "accept");
  parkd_reply_text (r, 200, format == FORMAT_CSV ? "text/csv; charset=utf-8" : "application/json",
                    body);
}

/* ---- Writing ----------------------------------------------------------------------------- */

/* One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
static void
csv_field (GString    *out,
           const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* A number that may be unknown (NaN): null in JSON, an empty field in CSV. */
static void
append_number (GString *out,
               Format   format,
               double   value,
               int      decimals)
{
  if (isnan (value))
    {
      if (format == FORMAT_JSON)
        g_string_append (out, "null");
      return;
    }
  parkd_json_append_double (out, value, decimals);
}

static void
append_text (GString    *out,
             Format      format,
             const char *text)
{
  if (format == FORMAT_CSV)
    csv_field (out, text);
  else if (text != NULL)
    parkd_json_append_string (out, text);
  else
    g_string_append (out, "null");
}

/* ---- Reading the request ---------------------------------------------------------------- */

static gboolean
read_time (ParkdRequest *r,
           const char   *name,
           gint64       *value)
{
  const char *text = parkd_request_param (r, name);
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    {
      parkd_reply_problem (r, 400, "missing-parameter", name, "\"%s\" is required", name);
      return FALSE;
    }
  dt = parkd_parse_time_utc (text);
  if (dt == NULL)
    {
      parkd_reply_problem (r, 400, "invalid-parameter", name,
                           "\"%s\" must be an RFC 3339 time with an offset, such as "
                           "2026-03-01T00:00:00+01:00", name);
      return FALSE;
    }
  *value = g_date_time_to_unix (dt);
  return TRUE;
}

/* The parameters every analytics route shares, checked before anything is looked up. The
 * operator's slug is checked when it is looked up (resolve_scope()), as on the other admin
 * routes: one that names no operator is answered 404. */
static gboolean
read_common (ParkdRequest       *r,
             const char * const *params,
             gboolean            lot_required,
             Query              *q)
{
  if (!parkd_request_allow_params (r, params))
    return FALSE;
  q->format = negotiate_format (r);
  q->operator_slug = parkd_request_param (r, "operator");
  q->lot_id = g_strv_contains (params, "lot_id") ? parkd_request_param (r, "lot_id") : NULL;

  if (q->lot_id == NULL && lot_required)
    {
      parkd_reply_problem (r, 400, "missing-parameter", "lot_id", "\"lot_id\" is required");
      return FALSE;
    }
  if (q->lot_id != NULL && !parkd_request_is_uuid (q->lot_id))
    {
      parkd_reply_problem (r, 400, "invalid-parameter", "lot_id",
                           "\"lot_id\" must be a lot's id (UUID)");
      return FALSE;
    }
  if (!read_time (r, "from", &q->from) || !read_time (r, "to", &q->to))
    return FALSE;
  if (q->to <= q->from)
    {
      parkd_reply_problem (r, 400, "out-of-range", "to", "\"to\" must be after \"from\"");
      return FALSE;
    }
  if (q->to - q->from > MAX_RANGE_S)
    {
      parkd_reply_problem (r, 400, "out-of-range", "to",
                           "The period from \"from\" to \"to\" may be at most 366 days");
      return FALSE;
    }
  return TRUE;
}

/* The operator and the lot, as the caller may see them; a 404 answered otherwise (field
 * operator or lot_id). Staff always get their own operator; an admin gets the one named,
 * or the lot's when only a lot was named (for its slug in the answer), or none. */
static gboolean
resolve_scope (ParkdRequest *r,
               Query        *q)
{
  g_autoptr(GError) error = NULL;

  if (!parkd_request_resolve_operator (r, q->operator_slug, FALSE, TRUE, &q->op))
    return FALSE;
  if (q->lot_id != NULL)
    {
      g_autofree char *id = g_ascii_strdown (q->lot_id, -1);

      q->lot = parkd_store_get_lot (r->store, id, &error);
      if (q->lot == NULL && !g_error_matches (error, PARKD_STORE_ERROR,
                                              PARKD_STORE_ERROR_NOT_FOUND))
        {
          parkd_reply_error (r, error);
          return FALSE;
        }
      if (q->lot == NULL || !parkd_request_sees_operator (r, q->lot->operator_id) ||
          (q->op != NULL && !g_str_equal (q->lot->operator_id, q->op->id)))
        {
          g_clear_pointer (&q->lot, parkd_lot_free);
          parkd_reply_problem (r, 404, "not-found", "lot_id", "There is no lot with this id");
          return FALSE;
        }
      if (q->op == NULL)
        {
          q->op = parkd_store_get_operator_by_id (r->store, q->lot->operator_id, &error);
          if (q->op == NULL)
            {
              parkd_reply_error (r, error);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* ---- Occupancy ---------------------------------------------------------------------------- */

/* "15m", "1h", "1d" as seconds; 0 when it is none of those. */
static gint64
parse_step (const char *text)
{
  gint64 n = 0;
  const char *p = text;

  while (g_ascii_isdigit (*p) && n <= 1000000)
    n = n * 10 + (*p++ - '0');
  if (p == text || text[0] == '0' || n > 1000000 || p[0] == '\0' || p[1] != '\0')
    return 0;
  switch (*p)
    {
    case 'm': return n * 60;
    case 'h': return n * 3600;
    case 'd': return n * 86400;
    default:  return 0;
    }
}

/* Spot-seconds of one step: occupied and in all, per type. */
typedef struct
{
  double occupied[PARKD_N_SPOT_TYPES];
  double total[PARKD_N_SPOT_TYPES];
} StepSums;

/* When the lot was made: there is nothing to measure before, whatever its first change found
 * (an operator who imports her lots today has no history of last week). */
static gint64
lot_created (const ParkdLot *lot)
{
  g_autoptr(GDateTime) created = NULL;

  if (lot->created_at != NULL)
    created = parkd_parse_time_utc (lot->created_at);
  return created != NULL ? g_date_time_to_unix (created) : G_MININT64;
}

static double
share (double occupied,
       double total)
{
  return total > 0 ? occupied / total : NAN;
}

/*
 * GET /api/v1/admin/analytics/occupancy?lot_id=&from=&to=&step=[&operator=]
 *
 * The share of the lot's spots occupied in each step of [from, to) (steps of `step`, 1h by
 * default, from `from`; the last may be shorter), overall and per spot type: occupied
 * spot-seconds over spot-seconds, where a spot is occupied when it is not available
 * (occupied, reserved or out of service), i.e. (total - available) / total averaged over
 * time. The counts of the lot's history hold from one change to the next; time before the
 * lot was made and after the answer is made is not counted (measured_seconds), and a step
 * with none of it, or a type the lot has no spots of, is null.
 *
 * 200 JSON or CSV; 404 the lot (or operator) is not the caller's; 400 a parameter (field).
 */
void
parkd_handle_analytics_occupancy (ParkdRequest *r)
{
  static const char * const params[] = { "operator", "lot_id", "from", "to", "step", NULL };
  g_auto(Query) q = { 0, };
  g_autoptr(GArray) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree StepSums *sums = NULL;
  const char *step_text;
  gint64 step, n_steps, since, now = g_get_real_time () / G_USEC_PER_SEC;
  GString *out;

  if (!read_common (r, params, TRUE, &q))
    return;
  step_text = parkd_request_param (r, "step");
  if (step_text == NULL)
    step_text = "1h";
  step = parse_step (step_text);
  if (step == 0)
    {
      parkd_reply_problem (r, 400, "invalid-parameter", "step",
                           "\"step\" must be a number of minutes, hours or days, such as 15m, "
                           "1h or 1d");
      return;
    }
  if (step < MIN_STEP_S)
    {
      parkd_reply_problem (r, 400, "out-of-range", "step", "\"step\" must be at least 5m");
      return;
    }
  n_steps = (q.to - q.from + step - 1) / step;
  if (n_steps > MAX_STEPS)
    {
      parkd_reply_problem (r, 400, "out-of-range", "step",
                           "This period in steps of %s makes %" G_GINT64_FORMAT " steps; at "
                           "most %d are answered", step_text, n_steps, MAX_STEPS);
      return;
    }
  if (!resolve_scope (r, &q))
    return;

  history = parkd_store_lot_history (r->store, q.lot->id, q.from, q.to, &error);
  if (history == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }

  /* Each span between two changes, from the lot's making on, spread over the steps it
   * overlaps. */
  since = MAX (q.from, lot_created (q.lot));
  sums = g_new0 (StepSums, n_steps);
  for (guint j = 0; j < history->len; j++)
    {
      const ParkdLotCounts *c = &g_array_index (history, ParkdLotCounts, j);
      gint64 span_start = MAX (c->at, since);
      gint64 span_end = j + 1 < history->len ? g_array_index (history, ParkdLotCounts, j + 1).at
                                             : q.to;

      span_end = MIN (span_end, now);
      if (span_start >= span_end)
        continue;
      for (gint64 k = (span_start - q.from) / step; k < n_steps; k++)
        {
          gint64 lo = MAX (q.from + k * step, span_start);
          gint64 hi = MIN (MIN (q.from + (k + 1) * step, q.to), span_end);

          if (hi <= lo)
            break;
          for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
            {
              sums[k].occupied[t] += (double) (c->total[t] - MIN (c->available[t], c->total[t])) *
                                     (hi - lo);
              sums[k].total[t] += (double) c->total[t] * (hi - lo);
            }
        }
    }

  out = g_string_sized_new (256 + n_steps * (q.format == FORMAT_CSV ? 80 : 200));
  if (q.format == FORMAT_CSV)
    {
      g_string_append (out, "start,end,measured_seconds,occupancy");
      for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
        g_string_append_printf (out, ",%s", parkd_spot_type_to_string (t));
      g_string_append (out, "\r\n");
    }
  else
    {
      g_autofree char *from = utc_text (q.from), *to = utc_text (q.to);

      g_string_append (out, "{\"lot_id\":");
      parkd_json_append_string (out, q.lot->id);
      parkd_json_append_member (out, "lot_name");
      parkd_json_append_string (out, q.lot->name);
      parkd_json_append_member (out, "operator_id");
      parkd_json_append_string (out, q.lot->operator_id);
      parkd_json_append_member (out, "operator_slug");
      parkd_json_append_string (out, q.op->slug);
      parkd_json_append_member (out, "time_zone");
      parkd_json_append_string (out, q.lot->time_zone);
      parkd_json_append_member (out, "from");
      parkd_json_append_string (out, from);
      parkd_json_append_member (out, "to");
      parkd_json_append_string (out, to);
      parkd_json_append_member (out, "step");
      parkd_json_append_string (out, step_text);
      parkd_json_append_member (out, "step_seconds");
      parkd_json_append_int (out, step);
      parkd_json_append_member (out, "steps");
      g_string_append_c (out, '[');
    }
  for (gint64 k = 0; k < n_steps; k++)
    {
      gint64 start = q.from + k * step, end = MIN (start + step, q.to);
      g_autofree char *start_text = utc_text (start), *end_text = utc_text (end);
      double occupied = 0, total = 0;
      gint64 measured = CLAMP (MIN (now, end) - MAX (start, since), 0, end - start);

      for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
        {
          occupied += sums[k].occupied[t];
          total += sums[k].total[t];
        }
      if (q.format == FORMAT_CSV)
        {
          g_string_append_printf (out, "%s,%s,%" G_GINT64_FORMAT ",", start_text, end_text,
                                  measured);
          append_number (out, q.format, share (occupied, total), 4);
          for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
            {
              g_string_append_c (out, ',');
              append_number (out, q.format, share (sums[k].occupied[t], sums[k].total[t]), 4);
            }
          g_string_append (out, "\r\n");
          continue;
        }
      if (k > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"start\":");
      parkd_json_append_string (out, start_text);
      parkd_json_append_member (out, "end");
      parkd_json_append_string (out, end_text);
      parkd_json_append_member (out, "measured_seconds");
      parkd_json_append_int (out, measured);
      parkd_json_append_member (out, "occupancy");
      append_number (out, q.format, share (occupied, total), 4);
      parkd_json_append_member (out, "by_type");
      g_string_append_c (out, '{');
      for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
        {
          if (t > 0)
            g_string_append_c (out, ',');
          parkd_json_append_string (out, parkd_spot_type_to_string (t));
          g_string_append_c (out, ':');
          append_number (out, q.format, share (sums[k].occupied[t], sums[k].total[t]), 4);
        }
      g_string_append (out, "}}");
    }
  if (q.format == FORMAT_JSON)
    g_string_append (out, "]}");
  reply_answer (r, q.format, out);
}

/* ---- Revenue -------------------------------------------------------------------------- */

/* The bounds of the operator's local days in [from, to) (the first and last clipped to
 * them), and each day's date. */
static GArray *
day_bounds (const ParkdOperator *op,
            gint64               from,
            gint64               to,
            GPtrArray           *dates)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (op->time_zone);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (from);
  g_autoptr(GDateTime) local = NULL, day = NULL;
  GArray *bounds = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  local = g_date_time_to_timezone (utc, tz);
  day = g_date_time_new (tz, g_date_time_get_year (local), g_date_time_get_month (local),
                         g_date_time_get_day_of_month (local), 0, 0, 0);
  g_array_append_val (bounds, from);
  for (;;)
    {
      g_autoptr(GDateTime) next = g_date_time_add_days (day, 1);
      gint64 t = g_date_time_to_unix (next);

      g_ptr_array_add (dates, g_date_time_format (day, "%Y-%m-%d"));
      if (t >= to)
        break;
      g_array_append_val (bounds, t);
      g_date_time_unref (day);
      day = g_steal_pointer (&next);
    }
  g_array_append_val (bounds, to);
  return bounds;
}

typedef struct
{
  guint  payments;
  gint64 gross;
  guint  refunds;
  gint64 refunded;
} Money;

static void
append_money_json (GString     *out,
                   const Money *m)
{
  parkd_json_append_member (out, "payments");
  parkd_json_append_uint (out, m->payments);
  parkd_json_append_member (out, "gross");
  parkd_json_append_int (out, m->gross);
  parkd_json_append_member (out, "refunds");
  parkd_json_append_uint (out, m->refunds);
  parkd_json_append_member (out, "refunded");
  parkd_json_append_int (out, m->refunded);
  parkd_json_append_member (out, "net");
  parkd_json_append_int (out, m->gross - m->refunded);
}

/* One operator's series (one per currency) of days or lots. An operator without lots still
 * has its own currency's, empty. */
static void
append_series (GString             *out,
               Format               format,
               const ParkdOperator *op,
               GPtrArray           *lines,
               GArray              *bounds,
               GPtrArray           *dates,
               gboolean             by_lot,
               gboolean            *first_series)
{
  for (guint i = 0; i < MAX (lines->len, 1);)
    {
      const char *currency = lines->len > 0
                             ? ((ParkdRevenueLine *) g_ptr_array_index (lines, i))->currency
                             : op->currency;
      Money total = { 0, };

      if (format == FORMAT_JSON)
        {
          if (!*first_series)
            g_string_append_c (out, ',');
          g_string_append (out, "{\"operator_id\":");
          parkd_json_append_string (out, op->id);
          parkd_json_append_member (out, "operator_slug");
          parkd_json_append_string (out, op->slug);
          parkd_json_append_member (out, "operator_name");
          parkd_json_append_string (out, op->name);
          parkd_json_append_member (out, "time_zone");
          parkd_json_append_string (out, op->time_zone);
          parkd_json_append_member (out, "currency");
          parkd_json_append_string (out, currency);
          parkd_json_append_member (out, by_lot ? "lots" : "days");
          g_string_append_c (out, '[');
        }
      *first_series = FALSE;
      for (guint n = 0; i < lines->len; i++, n++)
        {
          const ParkdRevenueLine *line = g_ptr_array_index (lines, i);
          Money m = { line->payments, line->gross, line->refunds, line->refunded };

          if (!g_str_equal (line->currency, currency))
            break;
          total.payments += m.payments;
          total.gross += m.gross;
          total.refunds += m.refunds;
          total.refunded += m.refunded;
          if (format == FORMAT_CSV)
            {
              csv_field (out, op->id);
              g_string_append_c (out, ',');
              csv_field (out, op->slug);
              g_string_append_c (out, ',');
              csv_field (out, currency);
              g_string_append_c (out, ',');
              if (by_lot)
                {
                  csv_field (out, line->lot_id);
                  g_string_append_c (out, ',');
                  csv_field (out, line->lot_name);
                }
              else
                csv_field (out, g_ptr_array_index (dates, line->bucket));
              g_string_append_printf (out, ",%u,%" G_GINT64_FORMAT ",%u,%" G_GINT64_FORMAT
                                      ",%" G_GINT64_FORMAT "\r\n", m.payments, m.gross,
                                      m.refunds, m.refunded, m.gross - m.refunded);
              continue;
            }
          if (n > 0)
            g_string_append_c (out, ',');
          g_string_append_c (out, '{');
          if (by_lot)
            {
              parkd_json_append_member (out, "lot_id");
              parkd_json_append_string (out, line->lot_id);
              parkd_json_append_member (out, "lot_name");
              parkd_json_append_string (out, line->lot_name);
            }
          else
            {
              g_autofree char *start = utc_text (g_array_index (bounds, gint64, line->bucket));
              g_autofree char *end = utc_text (g_array_index (bounds, gint64, line->bucket + 1));

              parkd_json_append_member (out, "date");
              parkd_json_append_string (out, g_ptr_array_index (dates, line->bucket));
              parkd_json_append_member (out, "start");
              parkd_json_append_string (out, start);
              parkd_json_append_member (out, "end");
              parkd_json_append_string (out, end);
            }
          append_money_json (out, &m);
          g_string_append_c (out, '}');
        }
      if (format == FORMAT_JSON)
        {
          g_string_append (out, "],\"total\":{");
          append_money_json (out, &total);
          g_string_append (out, "}}");
        }
      if (lines->len == 0)
        break;
    }
}

/* Every operator, for an admin who named none; the pages keep them. */
static gboolean
all_operators (ParkdRequest *r,
               GPtrArray    *pages,
               GPtrArray    *ops)
{
  for (guint n = 1;; n++)
    {
      g_autoptr(GError) error = NULL;
      ParkdPage *page = parkd_store_list_operators (r->store, NULL, n, 200, &error);

      if (page == NULL)
        {
          parkd_reply_error (r, error);
          return FALSE;
        }
      g_ptr_array_add (pages, page);
      for (guint i = 0; i < page->items->len; i++)
        g_ptr_array_add (ops, g_ptr_array_index (page->items, i));
      if (page->items->len < 200 || ops->len >= page->total)
        return TRUE;
    }
}

/*
 * GET /api/v1/admin/analytics/revenue?from=&to=[&group=day|lot][&operator=]
 *
 * The money of the operator in [from, to): payments that went through (any provider; one
 * refunded later still counts when it was made) and refunds (when they were made), net of
 * each other, in minor units. By day (the operator's local days, the first and last clipped
 * to the period) or by lot (every lot of the operator). One series per operator and currency:
 * the operator's own first; different currencies are never added up. An admin without
 * ?operator= gets every operator's.
 *
 * 200 JSON or CSV; 404 the operator is not the caller's; 400 a parameter (field).
 */
void
parkd_handle_analytics_revenue (ParkdRequest *r)
{
  static const char * const params[] = { "operator", "from", "to", "group", NULL };
  g_auto(Query) q = { 0, };
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_page_free);
  g_autoptr(GPtrArray) ops = g_ptr_array_new ();
  const char *group = parkd_request_param (r, "group");
  gboolean by_lot, first_series = TRUE;
  GString *out;

  if (!read_common (r, params, FALSE, &q))
    return;
  if (group != NULL && !g_str_equal (group, "day") && !g_str_equal (group, "lot"))
    {
      parkd_reply_problem (r, 400, "invalid-parameter", "group", "\"group\" must be day or lot");
      return;
    }
  by_lot = g_strcmp0 (group, "lot") == 0;
  if (!resolve_scope (r, &q))
    return;
  if (q.op != NULL)
    g_ptr_array_add (ops, q.op);
  else if (!all_operators (r, pages, ops))
    return;

  out = g_string_sized_new (4096);
  if (q.format == FORMAT_CSV)
    g_string_append (out, by_lot ? "operator_id,operator_slug,currency,lot_id,lot_name,"
                                   "payments,gross,refunds,refunded,net\r\n"
                                 : "operator_id,operator_slug,currency,date,"
                                   "payments,gross,refunds,refunded,net\r\n");
  else
    {
      g_autofree char *from = utc_text (q.from), *to = utc_text (q.to);

      g_string_append (out, "{\"from\":");
      parkd_json_append_string (out, from);
      parkd_json_append_member (out, "to");
      parkd_json_append_string (out, to);
      parkd_json_append_member (out, "group");
      parkd_json_append_string (out, by_lot ? "lot" : "day");
      parkd_json_append_member (out, "series");
      g_string_append_c (out, '[');
    }
  for (guint i = 0; i < ops->len; i++)
    {
      const ParkdOperator *op = g_ptr_array_index (ops, i);
      g_autoptr(GPtrArray) dates = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GArray) bounds = NULL;
      g_autoptr(GPtrArray) lines = NULL;
      g_autoptr(GError) error = NULL;

      if (by_lot)
        {
          bounds = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_array_append_val (bounds, q.from);
          g_array_append_val (bounds, q.to);
        }
      else
        bounds = day_bounds (op, q.from, q.to, dates);
      lines = parkd_store_revenue (r->store, op->id, (const gint64 *) (gpointer) bounds->data,
                                   bounds->len, by_lot, &error);
      if (lines == NULL)
        {
          g_string_free (out, TRUE);
          parkd_reply_error (r, error);
          return;
        }
      append_series (out, q.format, op, lines, bounds, dates, by_lot, &first_series);
    }
  if (q.format == FORMAT_JSON)
    g_string_append (out, "]}");
  reply_answer (r, q.format, out);
}

/* ---- Stays ------------------------------------------------------------------------------ */

/*
 * GET /api/v1/admin/analytics/stays?from=&to=[&lot_id=][&operator=]
 *
 * The stays that ended in [from, to) in the lot, or in the operator's lots (an admin without
 * either: every lot): walk-ins checked out and bookings checked in and completed (a booking
 * counts once, also when it came in through a walk-in check-in). Their number, average and
 * median length in minutes, and turnover: stays per spot the lot (or the operator) has now.
 *
 * 200 JSON or CSV; 404 the lot (or operator) is not the caller's; 400 a parameter (field).
 */
void
parkd_handle_analytics_stays (ParkdRequest *r)
{
  static const char * const params[] = { "operator", "lot_id", "from", "to", NULL };
  g_auto(Query) q = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *from = NULL, *to = NULL;
  ParkdStaysSummary s;
  const char *operator_id, *operator_slug;
  double average = NAN, median = NAN, turnover = NAN;
  guint n;
  GString *out;

  if (!read_common (r, params, FALSE, &q) || !resolve_scope (r, &q))
    return;
  /* With a lot, q.op is the lot's operator (resolve_scope()). */
  operator_id = q.op != NULL ? q.op->id : NULL;
  operator_slug = q.op != NULL ? q.op->slug : NULL;
  if (!parkd_store_stays (r->store, q.lot != NULL ? NULL : operator_id,
                          q.lot != NULL ? q.lot->id : NULL, q.from, q.to, &s, &error))
    {
      parkd_reply_error (r, error);
      return;
    }
  n = s.walk_ins + s.reservations;
  if (n > 0)
    {
      average = (double) s.total_seconds / n / 60.0;
      median = s.median_seconds / 60.0;
    }
  if (s.spots > 0)
    turnover = (double) n / s.spots;

  from = utc_text (q.from);
  to = utc_text (q.to);
  out = g_string_sized_new (512);
  if (q.format == FORMAT_CSV)
    {
      g_string_append (out, "from,to,operator_id,operator_slug,lot_id,stays,walk_ins,"
                            "reservations,average_minutes,median_minutes,spots,"
                            "turnover_per_spot\r\n");
      g_string_append_printf (out, "%s,%s,", from, to);
      append_text (out, q.format, operator_id);
      g_string_append_c (out, ',');
      append_text (out, q.format, operator_slug);
      g_string_append_c (out, ',');
      append_text (out, q.format, q.lot != NULL ? q.lot->id : NULL);
      g_string_append_printf (out, ",%u,%u,%u,", n, s.walk_ins, s.reservations);
      append_number (out, q.format, average, 2);
      g_string_append_c (out, ',');
      append_number (out, q.format, median, 2);
      g_string_append_printf (out, ",%u,", s.spots);
      append_number (out, q.format, turnover, 4);
      g_string_append (out, "\r\n");
      reply_answer (r, q.format, out);
      return;
    }
  g_string_append (out, "{\"from\":");
  parkd_json_append_string (out, from);
  parkd_json_append_member (out, "to");
  parkd_json_append_string (out, to);
  parkd_json_append_member (out, "operator_id");
  append_text (out, q.format, operator_id);
  parkd_json_append_member (out, "operator_slug");
  append_text (out, q.format, operator_slug);
  parkd_json_append_member (out, "lot_id");
  append_text (out, q.format, q.lot != NULL ? q.lot->id : NULL);
  parkd_json_append_member (out, "stays");
  parkd_json_append_uint (out, n);
  parkd_json_append_member (out, "walk_ins");
  parkd_json_append_uint (out, s.walk_ins);
  parkd_json_append_member (out, "reservations");
  parkd_json_append_uint (out, s.reservations);
  parkd_json_append_member (out, "average_minutes");
  append_number (out, q.format, average, 2);
  parkd_json_append_member (out, "median_minutes");
  append_number (out, q.format, median, 2);
  parkd_json_append_member (out, "spots");
  parkd_json_append_uint (out, s.spots);
  parkd_json_append_member (out, "turnover_per_spot");
  append_number (out, q.format, turnover, 4);
  g_string_append_c (out, '}');
  reply_answer (r, q.format, out);
}
