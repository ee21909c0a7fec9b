/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The pricing engine, as a driver would check a receipt: every expected amount below is
 * worked out by hand in the comment next to it. Dates: 2026-03-09 is a Monday, 2026-03-29
 * and 2026-10-25 are the Sundays Europe/Berlin changes its clocks, 2026-12-24 is a Thursday.
 */
#include <glib.h>

#include "parkd-json.h"
#include "parkd-pricing.h"

#include <math.h>
#include <string.h>

#define BERLIN "Europe/Berlin"
#define NEW_YORK "America/New_York"

/* The policy of the example. */
#define EXAMPLE_POLICY \
  "{\"rates\": {\"regular\": 250, \"ev\": 350, \"disabled\": 0, \"compact\": 200," \
  "             \"motorcycle\": 100}," \
  " \"increment_minutes\": 15," \
  " \"periods\": [" \
  "   {\"days\": [\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"], \"from\": \"07:00\"," \
  "    \"to\": \"19:00\", \"multiplier\": 1.2, \"label\": \"Weekday daytime\"}," \
  "   {\"days\": [\"sat\",\"sun\"], \"from\": \"00:00\", \"to\": \"24:00\"," \
  "    \"multiplier\": 0.8, \"label\": \"Weekend\"}]," \
  " \"daily_max\": 1800," \
  " \"events\": [{\"from\": \"2026-12-24T00:00\", \"to\": \"2026-12-27T00:00\"," \
  "              \"multiplier\": 1.5, \"label\": \"Christmas market\"}]," \
  " \"demand\": {\"steps\": [{\"min_share\": 0.8, \"multiplier\": 1.25}," \
  "                        {\"min_share\": 0.95, \"multiplier\": 1.5}," \
  "                        {\"max_share\": 0.6, \"multiplier\": 0.9}]," \
  "            \"cap\": 1.5, \"floor\": 0.8}," \
  " \"tax_rate\": 1900, \"grace_minutes\": 10, \"exit_grace_minutes\": 15," \
  " \"lost_ticket_fee\": 3000," \
  " \"cancellation\": {\"free_before_start\": true, \"refund_percent_after_start\": 50}," \
  " \"no_show_grace_minutes\": 30, \"hold_minutes\": 10}"

/* The example's two periods alone, without cap, events or demand. */
#define WEEK_PERIODS \
  "\"periods\": [" \
  "  {\"days\": [\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"], \"from\": \"07:00\"," \
  "   \"to\": \"19:00\", \"multiplier\": 1.2, \"label\": \"Weekday daytime\"}," \
  "  {\"days\": [\"sat\",\"sun\"], \"from\": \"00:00\", \"to\": \"24:00\"," \
  "   \"multiplier\": 0.8, \"label\": \"Weekend\"}]"

static ParkdPricing *
pricing (const char *policy,
         gint64      hourly_rate)
{
  g_autoptr(GError) error = NULL;
  ParkdPricing *p = parkd_pricing_new (policy, hourly_rate, &error);

  g_assert_no_error (error);
  g_assert_nonnull (p);
  return p;
}

static GDateTime *
instant (const char *iso)
{
  GDateTime *dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return dt;
}

static ParkdQuote *
quote_full (ParkdPricing *p,
            const char   *time_zone,
            const char   *spot_type,
            const char   *start,
            const char   *end,
            double        share)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) s = instant (start);
  g_autoptr(GDateTime) e = instant (end);
  ParkdQuote *q = parkd_pricing_quote (p, time_zone, "EUR", spot_type, s, e, share, &error);

  g_assert_no_error (error);
  g_assert_nonnull (q);
  return q;
}

/* A regular spot in Berlin at 0.7 booked, where no demand step applies. */
static ParkdQuote *
quote (ParkdPricing *p,
       const char   *start,
       const char   *end)
{
  return quote_full (p, BERLIN, "regular", start, end, 0.7);
}

static gint64
total_of (ParkdPricing *p,
          const char   *spot_type,
          const char   *start,
          const char   *end,
          double        share)
{
  g_autoptr(ParkdQuote) q = quote_full (p, BERLIN, spot_type, start, end, share);

  return q->total;
}

static void
assert_line (ParkdQuote *q,
             guint       index,
             const char *from,
             const char *to,
             guint       minutes,
             guint       billed_minutes,
             gint64      rate,
             double      multiplier,
             gint64      amount,
             const char *label)
{
  ParkdPriceLine *line;

  g_assert_cmpuint (index, <, q->lines->len);
  line = g_ptr_array_index (q->lines, index);
  g_assert_cmpstr (line->from, ==, from);
  g_assert_cmpstr (line->to, ==, to);
  g_assert_cmpuint (line->minutes, ==, minutes);
  g_assert_cmpuint (line->billed_minutes, ==, billed_minutes);
  g_assert_cmpint (line->rate, ==, rate);
  g_assert_cmpfloat_with_epsilon (line->multiplier, multiplier, 1e-9);
  g_assert_cmpint (line->amount, ==, amount);
  g_assert_cmpstr (line->label, ==, label);
}

/* The sum of the lines is the subtotal, and the total follows from it. */
static void
assert_sums (ParkdQuote *q,
             gint64      subtotal,
             gint64      cap_discount,
             gint64      total)
{
  gint64 sum = 0;

  for (guint i = 0; i < q->lines->len; i++)
    sum += ((ParkdPriceLine *) g_ptr_array_index (q->lines, i))->amount;
  g_assert_cmpint (sum, ==, q->subtotal);
  g_assert_cmpint (q->subtotal, ==, subtotal);
  g_assert_cmpint (q->cap_discount, ==, cap_discount);
  g_assert_cmpint (q->discount, ==, 0);
  g_assert_cmpint (q->total, ==, total);
}

static void
test_flat_rate (void)
{
  g_autoptr(ParkdPricing) p = pricing (NULL, 250);
  /* Tuesday 10:00 to 12:00 local, given in UTC: 2 h × 250 = 500. */
  g_autoptr(ParkdQuote) q = quote (p, "2026-03-10T09:00:00Z", "2026-03-10T11:00:00Z");

  g_assert_cmpuint (q->lines->len, ==, 1);
  assert_line (q, 0, "2026-03-10T10:00:00+01:00", "2026-03-10T12:00:00+01:00",
               120, 120, 250, 1.0, 500, "Standard rate");
  assert_sums (q, 500, 0, 500);
  g_assert_cmpfloat_with_epsilon (q->demand_multiplier, 1.0, 1e-9);
  g_assert_cmpint (q->tax, ==, 0);
  g_assert_cmpuint (q->tax_rate, ==, 0);
  g_assert_cmpstr (q->currency, ==, "EUR");
}

static void
test_spot_types (void)
{
  g_autoptr(ParkdPricing) p = pricing ("{\"rates\": {\"ev\": 350, \"disabled\": 0, "
                                       "\"motorcycle\": 100}}", 250);
  const char *s = "2026-03-10T10:00:00+01:00", *e = "2026-03-10T12:00:00+01:00";
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = instant (s);
  g_autoptr(GDateTime) end = instant (e);
  g_autoptr(ParkdQuote) q = NULL;

  /* 2 h each: the policy's rates, and the lot's hourly 250 for regular and compact. */
  g_assert_cmpint (total_of (p, "ev", s, e, 0.7), ==, 700);
  g_assert_cmpint (total_of (p, "disabled", s, e, 0.7), ==, 0);
  g_assert_cmpint (total_of (p, "motorcycle", s, e, 0.7), ==, 200);
  g_assert_cmpint (total_of (p, "regular", s, e, 0.7), ==, 500);
  g_assert_cmpint (total_of (p, "compact", s, e, 0.7), ==, 500);
  g_assert_cmpint (total_of (p, NULL, s, e, 0.7), ==, 500);
  g_assert_cmpint (parkd_pricing_get_rate (p, "ev"), ==, 350);
  g_assert_cmpint (parkd_pricing_get_rate (p, "compact"), ==, 250);
  g_assert_cmpint (parkd_pricing_get_rate (p, "truck"), ==, -1);

  q = parkd_pricing_quote (p, BERLIN, "EUR", "truck", start, end, 0.7, &error);
  g_assert_error (error, PARKD_REQUEST_ERROR, PARKD_REQUEST_ERROR_INVALID_FIELD);
  g_assert_true (g_str_has_prefix (error->message, "spot_type:"));
  g_assert_null (q);
}

static void
test_increments (void)
{
  /* 240 an hour: 60 a quarter hour, 4 a minute. */
  g_autoptr(ParkdPricing) p = pricing ("{\"rates\": {\"regular\": 240}}", 250);
  g_autoptr(ParkdPricing) hourly = pricing ("{\"rates\": {\"regular\": 240}, "
                                            "\"increment_minutes\": 60}", 250);
  g_autoptr(ParkdPricing) minute = pricing ("{\"rates\": {\"regular\": 240}, "
                                            "\"increment_minutes\": 1}", 250);
  g_autoptr(ParkdPricing) seven = pricing ("{\"rates\": {\"regular\": 240}, "
                                           "\"increment_minutes\": 7}", 250);
  g_autoptr(ParkdQuote) q = NULL;

  /* 16 minutes are two started quarter hours: 30 billed minutes, 120. */
  q = quote (p, "2026-03-10T10:00:00+01:00", "2026-03-10T10:16:00+01:00");
  assert_line (q, 0, "2026-03-10T10:00:00+01:00", "2026-03-10T10:16:00+01:00",
               16, 30, 240, 1.0, 120, "Standard rate");
  assert_sums (q, 120, 0, 120);
  /* 15 minutes: exactly one; 1 minute: one started; 30 minutes: two. */
  g_assert_cmpint (total_of (p, "regular", "2026-03-10T10:00:00+01:00",
                             "2026-03-10T10:15:00+01:00", 0.7), ==, 60);
  g_assert_cmpint (total_of (p, "regular", "2026-03-10T10:00:00+01:00",
                             "2026-03-10T10:01:00+01:00", 0.7), ==, 60);
  g_assert_cmpint (total_of (p, "regular", "2026-03-10T10:00:00+01:00",
                             "2026-03-10T10:30:00+01:00", 0.7), ==, 120);
  /* One second into the second quarter hour starts it: 2 × 60. The line shows 16 minutes,
   * a started minute counting. */
  g_clear_pointer (&q, parkd_quote_free);
  q = quote (p, "2026-03-10T10:00:00+01:00", "2026-03-10T10:15:01+01:00");
  assert_line (q, 0, "2026-03-10T10:00:00+01:00", "2026-03-10T10:15:01+01:00",
               16, 30, 240, 1.0, 120, "Standard rate");
  /* Hourly increments: 61 minutes are 2 h, 480. */
  g_assert_cmpint (total_of (hourly, "regular", "2026-03-10T10:00:00+01:00",
                             "2026-03-10T11:01:00+01:00", 0.7), ==, 480);
  /* Minute increments: 16 × 4 = 64. */
  g_assert_cmpint (total_of (minute, "regular", "2026-03-10T10:00:00+01:00",
                             "2026-03-10T10:16:00+01:00", 0.7), ==, 64);
  /* 7-minute increments: 16 minutes are 3 increments, 21 minutes, 21 × 4 = 84. */
  g_assert_cmpint (total_of (seven, "regular", "2026-03-10T10:00:00+01:00",
                             "2026-03-10T10:16:00+01:00", 0.7), ==, 84);
}

/* A split never bills more increments than the whole stay rounded up; the dearest partly used
 * increment is the one forgiven. */
static void
test_increments_across_lines (void)
{
  g_autoptr(ParkdPricing) p = pricing ("{\"rates\": {\"regular\": 240}, " WEEK_PERIODS "}", 250);
  g_autoptr(ParkdQuote) q = NULL;

  /* Wednesday 18:55 to 19:10 is 15 minutes, one increment. Each line rounded up would be
   * 72 + 60 = 132; the weekday's partial increment (dearer, 1.2) is forgiven: 60. */
  q = quote (p, "2026-03-11T18:55:00+01:00", "2026-03-11T19:10:00+01:00");
  g_assert_cmpuint (q->lines->len, ==, 2);
  assert_line (q, 0, "2026-03-11T18:55:00+01:00", "2026-03-11T19:00:00+01:00",
               5, 0, 240, 1.2, 0, "Weekday daytime");
  assert_line (q, 1, "2026-03-11T19:00:00+01:00", "2026-03-11T19:10:00+01:00",
               10, 15, 240, 1.0, 60, "Standard rate");
  assert_sums (q, 60, 0, 60);

  /* 18:50 to 19:10 is 20 minutes, two increments, one on each side: 60 × 1.2 + 60 = 132. */
  g_clear_pointer (&q, parkd_quote_free);
  q = quote (p, "2026-03-11T18:50:00+01:00", "2026-03-11T19:10:00+01:00");
  assert_line (q, 0, "2026-03-11T18:50:00+01:00", "2026-03-11T19:00:00+01:00",
               10, 15, 240, 1.2, 72, "Weekday daytime");
  assert_line (q, 1, "2026-03-11T19:00:00+01:00", "2026-03-11T19:10:00+01:00",
               10, 15, 240, 1.0, 60, "Standard rate");
  assert_sums (q, 132, 0, 132);

  /* 18:40 to 19:10 is 30 minutes, two increments; rounded up per line 20 + 10 minutes would
   * be three. The weekday line's second, partly used increment goes: 72 + 60 = 132. */
  g_clear_pointer (&q, parkd_quote_free);
  q = quote (p, "2026-03-11T18:40:00+01:00", "2026-03-11T19:10:00+01:00");
  assert_line (q, 0, "2026-03-11T18:40:00+01:00", "2026-03-11T19:00:00+01:00",
               20, 15, 240, 1.2, 72, "Weekday daytime");
  assert_line (q, 1, "2026-03-11T19:00:00+01:00", "2026-03-11T19:10:00+01:00",
               10, 15, 240, 1.0, 60, "Standard rate");
  assert_sums (q, 132, 0, 132);

  /* The other way round, 06:55 to 07:05 (one increment): the dearer weekday increment is
   * still the one forgiven, now the later line's, and the standard one is billed: 60. */
  g_clear_pointer (&q, parkd_quote_free);
  q = quote (p, "2026-03-11T06:55:00+01:00", "2026-03-11T07:05:00+01:00");
  assert_line (q, 0, "2026-03-11T06:55:00+01:00", "2026-03-11T07:00:00+01:00",
               5, 15, 240, 1.0, 60, "Standard rate");
  assert_line (q, 1, "2026-03-11T07:00:00+01:00", "2026-03-11T07:05:00+01:00",
               5, 0, 240, 1.2, 0, "Weekday daytime");
  assert_sums (q, 60, 0, 60);
}

static void
test_periods_week (void)
{
  g_autoptr(ParkdPricing) p = pricing ("{" WEEK_PERIODS "}", 250);
  g_autoptr(ParkdQuote) q = NULL;

  /* Wednesday 18:00-20:00: 1 h weekday (250 × 1.2 = 300) + 1 h standard (250) = 550. */
  q = quote (p, "2026-03-11T18:00:00+01:00", "2026-03-11T20:00:00+01:00");
  g_assert_cmpuint (q->lines->len, ==, 2);
  assert_line (q, 0, "2026-03-11T18:00:00+01:00", "2026-03-11T19:00:00+01:00",
               60, 60, 250, 1.2, 300, "Weekday daytime");
  assert_line (q, 1, "2026-03-11T19:00:00+01:00", "2026-03-11T20:00:00+01:00",
               60, 60, 250, 1.0, 250, "Standard rate");
  assert_sums (q, 550, 0, 550);

  /* Saturday 10:00-12:00: 2 h × 250 × 0.8 = 400. */
  g_clear_pointer (&q, parkd_quote_free);
  q = quote (p, "2026-03-14T10:00:00+01:00", "2026-03-14T12:00:00+01:00");
  g_assert_cmpuint (q->lines->len, ==, 1);
  assert_line (q, 0, "2026-03-14T10:00:00+01:00", "2026-03-14T12:00:00+01:00",
               120, 120, 250, 0.8, 400, "Weekend");

  /* Friday 18:00 to Saturday 01:00: 300 + 5 h × 250 + 250 × 0.8 = 300 + 1250 + 200. */
  g_clear_pointer (&q, parkd_quote_free);
  q = quote (p, "2026-03-13T18:00:00+01:00", "2026-03-14T01:00:00+01:00");
  g_assert_cmpuint (q->lines->len, ==, 3);
  assert_line (q, 0, "2026-03-13T18:00:00+01:00", "2026-03-13T19:00:00+01:00",
               60, 60, 250, 1.2, 300, "Weekday daytime");
  assert_line (q, 1, "2026-03-13T19:00:00+01:00", "2026-03-14T00:00:00+01:00",
               300, 300, 250, 1.0, 1250, "Standard rate");
  assert_line (q, 2, "2026-03-14T00:00:00+01:00", "2026-03-14T01:00:00+01:00",
               60, 60, 250, 0.8, 200, "Weekend");
  assert_sums (q, 1750, 0, 1750);

  /* Saturday 10:00 to Sunday 10:00 is one weekend line (no daily cap to split it):
   * 24 h × 250 × 0.8 = 4800. */
  g_clear_pointer (&q, parkd_quote_free);
  q = quote (p, "2026-03-14T10:00:00+01:00", "2026-03-15T10:00:00+01:00");
  g_assert_cmpuint (q->lines->len, ==, 1);
  assert_line (q, 0, "2026-03-14T10:00:00+01:00", "2026-03-15T10:00:00+01:00",
               1440, 1440, 250, 0.8, 4800, "Weekend");

  /* Monday 06:00-08:00: 250 + 300 = 550. */
  g_assert_cmpint (total_of (p, "regular", "2026-03-09T06:00:00+01:00",
                             "2026-03-09T08:00:00+01:00", 0.7), ==, 550);
}

static void
test_period_across_midnight (void)
{
  const char *policy = "{\"periods\": [{\"days\": [\"fri\"], \"from\": \"22:00\", "
                       "\"to\": \"06:00\", \"multiplier\": 0.5, \"label\": \"Friday night\"}]";
  g_autofree char *plain = g_strconcat (policy, "}", NULL);
  g_autofree char *capped = g_strconcat (policy, ", \"daily_max\": 100000}", NULL);
  g_autoptr(ParkdPricing) p = pricing (plain, 250);
  g_autoptr(ParkdPricing) c = pricing (capped, 250);
  g_autoptr(ParkdQuote) q = NULL;

  /* Friday 21:00 to Saturday 07:00: 250 + 8 h × 250 × 0.5 + 250 = 1500. */
  q = quote (p, "2026-03-13T21:00:00+01:00", "2026-03-14T07:00:00+01:00");
  g_assert_cmpuint (q->lines->len, ==, 3);
  assert_line (q, 0, "2026-03-13T21:00:00+01:00", "2026-03-13T22:00:00+01:00",
               60, 60, 250, 1.0, 250, "Standard rate");
  assert_line (q, 1, "2026-03-13T22:00:00+01:00", "2026-03-14T06:00:00+01:00",
               480, 480, 250, 0.5, 1000, "Friday night");
  assert_line (q, 2, "2026-03-14T06:00:00+01:00", "2026-03-14T07:00:00+01:00",
               60, 60, 250, 1.0, 250, "Standard rate");
  assert_sums (q, 1500, 0, 1500);

  /* With a daily cap the night splits at midnight, priced the same. */
  g_clear_pointer (&q, parkd_quote_free);
  q = quote (c, "2026-03-13T21:00:00+01:00", "2026-03-14T07:00:00+01:00");
  g_assert_cmpuint (q->lines->len, ==, 4);
  assert_line (q, 1, "2026-03-13T22:00:00+01:00", "2026-03-14T00:00:00+01:00",
               120, 120, 250, 0.5, 250, "Friday night");
  assert_line (q, 2, "2026-03-14T00:00:00+01:00", "2026-03-14T06:00:00+01:00",
               360, 360, 250, 0.5, 750, "Friday night");
  assert_sums (q, 1500, 0, 1500);

  /* The period belongs to Friday: Saturday night is standard, 4 h = 1000 ... */
  g_clear_pointer (&q, parkd_quote_free);
  q = quote (p, "2026-03-14T22:00:00+01:00", "2026-03-15T02:00:00+01:00");
  g_assert_cmpuint (q->lines->len, ==, 1);
  assert_line (q, 0, "2026-03-14T22:00:00+01:00", "2026-03-15T02:00:00+01:00",
               240, 240, 250, 1.0, 1000, "Standard rate");
  /* ... and so are Friday's first hours, the end of Thursday's night: 2 h = 500. */
  g_assert_cmpint (total_of (p, "regular", "2026-03-12T23:00:00+01:00",
                             "2026-03-13T01:00:00+01:00", 0.7), ==, 500);
}

static void
test_events (void)
{
  g_autoptr(ParkdPricing) p = pricing ("{\"rates\": {\"regular\": 200}, " WEEK_PERIODS ", "
                                       "\"events\": [{\"from\": \"2026-12-24T00:00\", "
                                       "\"to\": \"2026-12-27T00:00\", \"multiplier\": 1.5, "
                                       "\"label\": \"Christmas market\"}]}", 250);
  g_autoptr(ParkdQuote) q = NULL;

  /* Wednesday 23 December 18:00 to Thursday 24th 09:00: weekday 200 × 1.2 = 240, 5 h
   * standard = 1000, then the market from midnight, weekday daytime or not: 9 h × 200 × 1.5
   * = 2700. Total 3940. */
  q = quote (p, "2026-12-23T18:00:00+01:00", "2026-12-24T09:00:00+01:00");
  g_assert_cmpuint (q->lines->len, ==, 3);
  assert_line (q, 0, "2026-12-23T18:00:00+01:00", "2026-12-23T19:00:00+01:00",
               60, 60, 200, 1.2, 240, "Weekday daytime");
  assert_line (q, 1, "2026-12-23T19:00:00+01:00", "2026-12-24T00:00:00+01:00",
               300, 300, 200, 1.0, 1000, "Standard rate");
  assert_line (q, 2, "2026-12-24T00:00:00+01:00", "2026-12-24T09:00:00+01:00",
               540, 540, 200, 1.5, 2700, "Christmas market");
  assert_sums (q, 3940, 0, 3940);

  /* Saturday 26th 22:00 to Sunday 27th 02:00: 2 h market (600), then weekend 2 h × 200 ×
   * 0.8 = 320. */
  g_clear_pointer (&q, parkd_quote_free);
  q = quote (p, "2026-12-26T22:00:00+01:00", "2026-12-27T02:00:00+01:00");
  g_assert_cmpuint (q->lines->len, ==, 2);
  assert_line (q, 0, "2026-12-26T22:00:00+01:00", "2026-12-27T00:00:00+01:00",
               120, 120, 200, 1.5, 600, "Christmas market");
  assert_line (q, 1, "2026-12-27T00:00:00+01:00", "2026-12-27T02:00:00+01:00",
               120, 120, 200, 0.8, 320, "Weekend");
  assert_sums (q, 920, 0, 920);
}

static void
test_daily_cap (void)
{
  g_autoptr(ParkdPricing) p = pricing ("{\"daily_max\": 1800}", 250);
  g_autoptr(ParkdPricing) w = pricing ("{\"daily_max\": 1800, " WEEK_PERIODS "}", 250);
  g_autoptr(ParkdQuote) q = NULL;

  /* Monday 10:00 to Wednesday 05:00: Monday 14 h = 3500 → 1800 (1700 off), Tuesday 24 h =
   * 6000 → 1800 (4200 off), Wednesday 5 h = 1250, under the cap. 10750 - 5900 = 4850. */
  q = quote (p, "2026-03-09T10:00:00+01:00", "2026-03-11T05:00:00+01:00");
  g_assert_cmpuint (q->lines->len, ==, 3);
  assert_line (q, 0, "2026-03-09T10:00:00+01:00", "2026-03-10T00:00:00+01:00",
               840, 840, 250, 1.0, 3500, "Standard rate");
  assert_line (q, 1, "2026-03-10T00:00:00+01:00", "2026-03-11T00:00:00+01:00",
               1440, 1440, 250, 1.0, 6000, "Standard rate");
  assert_line (q, 2, "2026-03-11T00:00:00+01:00", "2026-03-11T05:00:00+01:00",
               300, 300, 250, 1.0, 1250, "Standard rate");
  assert_sums (q, 10750, 5900, 4850);

  /* A day's lines are capped together. Monday 10:00 to Tuesday 12:00: Monday 9 h × 300 +
   * 5 h × 250 = 3950 → 1800; Tuesday 7 h × 250 + 5 h × 300 = 3250 → 1800. */
  g_clear_pointer (&q, parkd_quote_free);
  q = quote (w, "2026-03-09T10:00:00+01:00", "2026-03-10T12:00:00+01:00");
  g_assert_cmpuint (q->lines->len, ==, 4);
  assert_sums (q, 7200, 2150 + 1450, 3600);
}

static void
test_demand (void)
{
  g_autoptr(ParkdPricing) p = pricing ("{\"rates\": {\"regular\": 200}, "
                                       "\"demand\": {\"steps\": ["
                                       "{\"min_share\": 0.8, \"multiplier\": 1.25}, "
                                       "{\"min_share\": 0.95, \"multiplier\": 1.5}, "
                                       "{\"max_share\": 0.6, \"multiplier\": 0.9}], "
                                       "\"cap\": 1.5, \"floor\": 0.8}, " WEEK_PERIODS "}", 250);
  const char *s = "2026-03-11T20:00:00+01:00", *e = "2026-03-11T21:00:00+01:00";
  g_autoptr(ParkdQuote) q = NULL;

  /* One standard hour at 200 × the step: the largest min_share at or below the share ... */
  g_assert_cmpint (total_of (p, "regular", s, e, 0.85), ==, 250);   /* × 1.25 */
  g_assert_cmpint (total_of (p, "regular", s, e, 0.8), ==, 250);    /* × 1.25 */
  g_assert_cmpint (total_of (p, "regular", s, e, 0.95), ==, 300);   /* × 1.5 */
  g_assert_cmpint (total_of (p, "regular", s, e, 1.0), ==, 300);    /* × 1.5 */
  /* ... else the smallest max_share at or above it, else 1. */
  g_assert_cmpint (total_of (p, "regular", s, e, 0.6), ==, 180);    /* × 0.9 */
  g_assert_cmpint (total_of (p, "regular", s, e, 0.0), ==, 180);    /* × 0.9 */
  g_assert_cmpint (total_of (p, "regular", s, e, 0.7), ==, 200);    /* × 1 */

  /* Demand multiplies the period: Wednesday 10:00-11:00, 200 × 1.2 × 1.25 = 300. */
  q = quote_full (p, BERLIN, "regular", "2026-03-11T10:00:00+01:00",
                  "2026-03-11T11:00:00+01:00", 0.9);
  g_assert_cmpfloat_with_epsilon (q->demand_multiplier, 1.25, 1e-9);
  assert_line (q, 0, "2026-03-11T10:00:00+01:00", "2026-03-11T11:00:00+01:00",
               60, 60, 200, 1.5, 300, "Weekday daytime");
}

static void
test_demand_cap_and_floor (void)
{
  g_autoptr(ParkdPricing) capped = pricing ("{\"rates\": {\"regular\": 200}, \"demand\": "
                                            "{\"steps\": [{\"min_share\": 0.9, "
                                            "\"multiplier\": 3}], \"cap\": 2}}", 250);
  g_autoptr(ParkdPricing) floored = pricing ("{\"rates\": {\"regular\": 200}, \"demand\": "
                                             "{\"steps\": [{\"max_share\": 0.5, "
                                             "\"multiplier\": 0.5}], \"floor\": 0.7}}", 250);
  g_autoptr(ParkdPricing) raised = pricing ("{\"rates\": {\"regular\": 200}, \"demand\": "
                                            "{\"floor\": 1.1}}", 250);
  const char *s = "2026-03-11T20:00:00+01:00", *e = "2026-03-11T21:00:00+01:00";
  g_autoptr(ParkdQuote) q = NULL;

  /* The step's 3 is capped at 2: 400; below the step, 1: 200. */
  q = quote_full (capped, BERLIN, "regular", s, e, 0.95);
  g_assert_cmpfloat_with_epsilon (q->demand_multiplier, 2.0, 1e-9);
  g_assert_cmpint (q->total, ==, 400);
  g_assert_cmpint (total_of (capped, "regular", s, e, 0.5), ==, 200);
  /* The step's 0.5 is raised to the floor 0.7: 140; above the step, 1: 200. */
  g_assert_cmpint (total_of (floored, "regular", s, e, 0.2), ==, 140);
  g_assert_cmpint (total_of (floored, "regular", s, e, 0.6), ==, 200);
  /* A floor above 1 with no steps lifts every price: 200 × 1.1 = 220. */
  g_assert_cmpint (total_of (raised, "regular", s, e, 0.2), ==, 220);
}

static void
test_tax (void)
{
  g_autoptr(ParkdPricing) p = pricing ("{\"tax_rate\": 1900}", 250);
  g_autoptr(ParkdPricing) full = pricing ("{\"tax_rate\": 10000, \"increment_minutes\": 60}",
                                          501);
  g_autoptr(ParkdQuote) q = NULL;

  /* 500 gross at 19 %: 500 × 1900 / 11900 = 79.83 → 80 contained. */
  q = quote (p, "2026-03-10T10:00:00+01:00", "2026-03-10T12:00:00+01:00");
  assert_sums (q, 500, 0, 500);
  g_assert_cmpint (q->tax, ==, 80);
  g_assert_cmpuint (q->tax_rate, ==, 1900);

  /* A discount of 100: 400 × 1900 / 11900 = 63.87 → 64. More than the total: 0, tax 0. */
  parkd_quote_set_discount (q, 100);
  g_assert_cmpint (q->total, ==, 400);
  g_assert_cmpint (q->tax, ==, 64);
  parkd_quote_set_discount (q, 600);
  g_assert_cmpint (q->total, ==, 0);
  g_assert_cmpint (q->tax, ==, 0);

  /* Half rounds up: 501 at 100 % contains 250.5 → 251. */
  g_clear_pointer (&q, parkd_quote_free);
  q = quote (full, "2026-03-10T10:00:00+01:00", "2026-03-10T11:00:00+01:00");
  g_assert_cmpint (q->total, ==, 501);
  g_assert_cmpint (q->tax, ==, 251);
}

static void
test_dst_spring (void)
{
  g_autoptr(ParkdPricing) p = pricing (NULL, 250);
  g_autoptr(ParkdPricing) week = pricing ("{\"daily_max\": 5000, " WEEK_PERIODS "}", 250);
  g_autoptr(ParkdPricing) early = pricing ("{\"periods\": [{\"days\": [\"sun\"], "
                                           "\"from\": \"02:30\", \"to\": \"05:00\", "
                                           "\"multiplier\": 2, \"label\": \"Early\"}]}", 250);
  g_autoptr(ParkdQuote) q = NULL;

  /* 01:00 to 04:00 on the night the clocks skip 02:00-03:00: two real hours, 500. */
  q = quote (p, "2026-03-29T01:00:00+01:00", "2026-03-29T04:00:00+02:00");
  g_assert_cmpuint (q->lines->len, ==, 1);
  assert_line (q, 0, "2026-03-29T01:00:00+01:00", "2026-03-29T04:00:00+02:00",
               120, 120, 250, 1.0, 500, "Standard rate");
  assert_sums (q, 500, 0, 500);

  /* The same in UTC, and under the weekend period with a cap: 2 h × 250 × 0.8 = 400. */
  g_clear_pointer (&q, parkd_quote_free);
  q = quote (week, "2026-03-29T00:00:00Z", "2026-03-29T02:00:00Z");
  g_assert_cmpuint (q->lines->len, ==, 1);
  assert_line (q, 0, "2026-03-29T01:00:00+01:00", "2026-03-29T04:00:00+02:00",
               120, 120, 250, 0.8, 400, "Weekend");

  /* A period from 02:30, a time that night never shows, is in force from 03:00 CEST: one
   * standard hour (250) and one at 2 (500). */
  g_clear_pointer (&q, parkd_quote_free);
  q = quote (early, "2026-03-29T01:00:00+01:00", "2026-03-29T04:00:00+02:00");
  g_assert_cmpuint (q->lines->len, ==, 2);
  assert_line (q, 0, "2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00",
               60, 60, 250, 1.0, 250, "Standard rate");
  assert_line (q, 1, "2026-03-29T03:00:00+02:00", "2026-03-29T04:00:00+02:00",
               60, 60, 250, 2.0, 500, "Early");
  assert_sums (q, 750, 0, 750);
}

static void
test_dst_autumn (void)
{
  g_autoptr(ParkdPricing) p = pricing (NULL, 250);
  g_autoptr(ParkdPricing) capped = pricing ("{\"daily_max\": 800}", 250);
  g_autoptr(ParkdPricing) early = pricing ("{\"rates\": {\"regular\": 240}, \"periods\": "
                                           "[{\"days\": [\"sun\"], \"from\": \"02:30\", "
                                           "\"to\": \"05:00\", \"multiplier\": 2, "
                                           "\"label\": \"Early\"}]}", 250);
  g_autoptr(ParkdQuote) q = NULL;

  /* 01:00 to 04:00 on the night 02:00-03:00 happens twice: four real hours, 1000. */
  q = quote (p, "2026-10-25T01:00:00+02:00", "2026-10-25T04:00:00+01:00");
  g_assert_cmpuint (q->lines->len, ==, 1);
  assert_line (q, 0, "2026-10-25T01:00:00+02:00", "2026-10-25T04:00:00+01:00",
               240, 240, 250, 1.0, 1000, "Standard rate");
  assert_sums (q, 1000, 0, 1000);

  /* The day's 1000 capped at 800. */
  g_clear_pointer (&q, parkd_quote_free);
  q = quote (capped, "2026-10-25T01:00:00+02:00", "2026-10-25T04:00:00+01:00");
  assert_sums (q, 1000, 200, 800);

  /* The wall clock passes 02:30 twice, and so does the period's edge: 30 minutes standard
   * (120), 30 at 2 (240), again 120 and 240. Two real hours, 720. */
  g_clear_pointer (&q, parkd_quote_free);
  q = quote (early, "2026-10-25T02:00:00+02:00", "2026-10-25T03:00:00+01:00");
  g_assert_cmpuint (q->lines->len, ==, 4);
  assert_line (q, 0, "2026-10-25T02:00:00+02:00", "2026-10-25T02:30:00+02:00",
               30, 30, 240, 1.0, 120, "Standard rate");
  assert_line (q, 1, "2026-10-25T02:30:00+02:00", "2026-10-25T02:00:00+01:00",
               30, 30, 240, 2.0, 240, "Early");
  assert_line (q, 2, "2026-10-25T02:00:00+01:00", "2026-10-25T02:30:00+01:00",
               30, 30, 240, 1.0, 120, "Standard rate");
  assert_line (q, 3, "2026-10-25T02:30:00+01:00", "2026-10-25T03:00:00+01:00",
               30, 30, 240, 2.0, 240, "Early");
  assert_sums (q, 720, 0, 720);
}

static void
test_new_year_new_york (void)
{
  g_autoptr(ParkdPricing) p = pricing ("{\"daily_max\": 1000, \"events\": [{\"from\": "
                                       "\"2026-12-31T20:00\", \"to\": \"2027-01-01T02:00\", "
                                       "\"multiplier\": 2, \"label\": \"New Year's Eve\"}]}",
                                       300);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = instant ("2026-12-31T22:00:00-05:00");
  g_autoptr(GDateTime) end = instant ("2027-01-01T08:00:00Z");
  g_autoptr(ParkdQuote) q = parkd_pricing_quote (p, NEW_YORK, "USD", "regular", start, end,
                                                 0.7, &error);

  /* 22:00 to 03:00 local: 2 h at 300 × 2 on the 31st (1200 → cap 1000), 2 h at 300 × 2 and
   * 1 h standard on the 1st (1500 → 1000). 2700 - 700 = 2000 dollars' cents. */
  g_assert_no_error (error);
  g_assert_cmpuint (q->lines->len, ==, 3);
  assert_line (q, 0, "2026-12-31T22:00:00-05:00", "2027-01-01T00:00:00-05:00",
               120, 120, 300, 2.0, 1200, "New Year's Eve");
  assert_line (q, 1, "2027-01-01T00:00:00-05:00", "2027-01-01T02:00:00-05:00",
               120, 120, 300, 2.0, 1200, "New Year's Eve");
  assert_line (q, 2, "2027-01-01T02:00:00-05:00", "2027-01-01T03:00:00-05:00",
               60, 60, 300, 1.0, 300, "Standard rate");
  assert_sums (q, 2700, 700, 2000);
  g_assert_cmpstr (q->currency, ==, "USD");
}

static void
assert_quote_fails (ParkdPricing *p,
                    const char   *time_zone,
                    const char   *start,
                    const char   *end,
                    double        share,
                    const char   *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) s = instant (start);
  g_autoptr(GDateTime) e = instant (end);
  g_autoptr(ParkdQuote) q = parkd_pricing_quote (p, time_zone, "EUR", "regular", s, e, share,
                                                 &error);

  g_assert_null (q);
  g_assert_error (error, PARKD_REQUEST_ERROR, PARKD_REQUEST_ERROR_INVALID_FIELD);
  g_assert_true (g_str_has_prefix (error->message, path));
}

static void
test_quote_errors (void)
{
  g_autoptr(ParkdPricing) p = pricing ("{\"daily_max\": 1800}", 250);
  g_autoptr(ParkdQuote) q = NULL;

  assert_quote_fails (p, BERLIN, "2026-03-10T10:00:00Z", "2026-03-10T10:00:00Z", 0.5, "end:");
  assert_quote_fails (p, BERLIN, "2026-03-10T10:00:00Z", "2026-03-10T09:00:00Z", 0.5, "end:");
  assert_quote_fails (p, BERLIN, "2026-03-01T00:00:00Z", "2026-04-01T00:00:01Z", 0.5, "end:");
  assert_quote_fails (p, "Mars/Olympus_Mons", "2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z",
                      0.5, "time_zone:");
  assert_quote_fails (p, "/usr/share/zoneinfo/UTC", "2026-03-10T10:00:00Z",
                      "2026-03-10T11:00:00Z", 0.5, "time_zone:");
  assert_quote_fails (p, "../../../etc/passwd", "2026-03-10T10:00:00Z",
                      "2026-03-10T11:00:00Z", 0.5, "time_zone:");
  assert_quote_fails (p, "", "2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z", 0.5,
                      "time_zone:");
  assert_quote_fails (p, BERLIN, "2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z", 1.5,
                      "booked_share:");
  assert_quote_fails (p, BERLIN, "2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z", NAN,
                      "booked_share:");

  /* Exactly 31 days is allowed: 31 local days in March, each capped, 31 × 1800. */
  q = quote_full (p, "UTC", "regular", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", 0.5);
  g_assert_cmpuint (q->lines->len, ==, 31);
  g_assert_cmpint (q->total, ==, 31 * 1800);
}

typedef struct
{
  const char *policy;
  const char *path;   /* the message starts with it; NULL: a syntax error */
} BadPolicy;

static const BadPolicy bad_policies[] = {
  { "{\"rate\": {}}", "rate: " },
  { "{\"rates\": {\"truck\": 100}}", "rates.truck: " },
  { "{\"rates\": {\"ev\": -1}}", "rates.ev: " },
  { "{\"rates\": {\"ev\": 1000001}}", "rates.ev: " },
  { "{\"rates\": {\"ev\": 2.5}}", "rates.ev: " },
  { "{\"rates\": {\"ev\": \"350\"}}", "rates.ev: " },
  { "{\"rates\": [250]}", "rates: " },
  { "{\"increment_minutes\": 0}", "increment_minutes: " },
  { "{\"increment_minutes\": 61}", "increment_minutes: " },
  { "{\"periods\": [{\"days\": [\"mon\"], \"from\": \"07:00\", \"to\": \"19:00\", "
    "\"multiplier\": 1}, {\"days\": [\"mon\"], \"from\": \"7:00\", \"to\": \"19:00\", "
    "\"multiplier\": 1}]}", "periods[1].from: " },
  { "{\"periods\": [{\"days\": [\"mon\"], \"from\": \"07:00\", \"to\": \"24:01\", "
    "\"multiplier\": 1}]}", "periods[0].to: " },
  { "{\"periods\": [{\"days\": [\"mon\"], \"from\": \"24:00\", \"to\": \"23:00\", "
    "\"multiplier\": 1}]}", "periods[0].from: " },
  { "{\"periods\": [{\"days\": [\"mon\", \"funday\"], \"from\": \"07:00\", "
    "\"to\": \"19:00\", \"multiplier\": 1}]}", "periods[0].days[1]: " },
  { "{\"periods\": [{\"days\": [\"mon\", \"mon\"], \"from\": \"07:00\", "
    "\"to\": \"19:00\", \"multiplier\": 1}]}", "periods[0].days[1]: " },
  { "{\"periods\": [{\"days\": [], \"from\": \"07:00\", \"to\": \"19:00\", "
    "\"multiplier\": 1}]}", "periods[0].days: " },
  { "{\"periods\": [{\"days\": [\"mon\"], \"from\": \"07:00\", \"to\": \"19:00\", "
    "\"multiplier\": 0}]}", "periods[0].multiplier: " },
  { "{\"periods\": [{\"days\": [\"mon\"], \"from\": \"07:00\", \"to\": \"19:00\", "
    "\"multiplier\": 10.5}]}", "periods[0].multiplier: " },
  { "{\"periods\": [{\"days\": [\"mon\"], \"from\": \"07:00\", \"to\": \"07:00\", "
    "\"multiplier\": 1}]}", "periods[0].to: " },
  { "{\"periods\": [{\"days\": [\"mon\"], \"from\": \"07:00\", \"to\": \"19:00\"}]}",
    "periods[0]: " },
  { "{\"periods\": [{\"days\": [\"mon\"], \"from\": \"07:00\", \"to\": \"19:00\", "
    "\"multiplier\": 1, \"colour\": \"red\"}]}", "periods[0].colour: " },
  { "{\"periods\": [{\"days\": [\"mon\"], \"from\": \"07:00\", \"to\": \"19:00\", "
    "\"multiplier\": 1, \"label\": \"\"}]}", "periods[0].label: " },
  { "{\"events\": [{\"from\": \"2026-02-30T00:00\", \"to\": \"2026-03-02T00:00\", "
    "\"multiplier\": 2}]}", "events[0].from: " },
  { "{\"events\": [{\"from\": \"2026-12-24T00:00\", \"to\": \"2026-12-24\", "
    "\"multiplier\": 2}]}", "events[0].to: " },
  { "{\"events\": [{\"from\": \"2026-12-24T00:00\", \"to\": \"2026-12-23T00:00\", "
    "\"multiplier\": 2}]}", "events[0].to: " },
  { "{\"demand\": {\"steps\": [{\"min_share\": 0.8, \"max_share\": 0.9, "
    "\"multiplier\": 2}]}}", "demand.steps[0].max_share: " },
  { "{\"demand\": {\"steps\": [{\"min_share\": 1.2, \"multiplier\": 2}]}}",
    "demand.steps[0].min_share: " },
  { "{\"demand\": {\"steps\": [{\"min_share\": 0.8, \"multiplier\": 2}, "
    "{\"min_share\": 0.8, \"multiplier\": 3}]}}", "demand.steps[1].min_share: " },
  { "{\"demand\": {\"cap\": 1.2, \"floor\": 1.3}}", "demand.floor: " },
  { "{\"demand\": {\"cap\": -1}}", "demand.cap: " },
  { "{\"daily_max\": true}", "daily_max: " },
  { "{\"daily_max\": 0}", "daily_max: " },
  { "{\"tax_rate\": \"19%\"}", "tax_rate: " },
  { "{\"tax_rate\": 10001}", "tax_rate: " },
  { "{\"grace_minutes\": -5}", "grace_minutes: " },
  { "{\"hold_minutes\": 0}", "hold_minutes: " },
  { "{\"lost_ticket_fee\": 30.5}", "lost_ticket_fee: " },
  { "{\"cancellation\": {\"refund_percent_after_start\": 150}}",
    "cancellation.refund_percent_after_start: " },
  { "{\"cancellation\": {\"free_before_start\": 1}}", "cancellation.free_before_start: " },
  { "{\"cancellation\": {\"fee\": 1}}", "cancellation.fee: " },
  { "[]", NULL },
  { "{\"tax_rate\": 1900, \"tax_rate\": 0}", NULL },
  { "{\"tax_rate\": 1900,}", NULL },
};

static void
test_validation (void)
{
  g_autoptr(GError) error = NULL;
  ParkdPricing *p;

  for (guint i = 0; i < G_N_ELEMENTS (bad_policies); i++)
    {
      const BadPolicy *bad = &bad_policies[i];

      p = parkd_pricing_new (bad->policy, 250, &error);
      if (p != NULL || error == NULL)
        g_error ("accepted: %s", bad->policy);
      g_assert_true (error->domain == PARKD_REQUEST_ERROR);
      if (bad->path != NULL)
        {
          g_assert_error (error, PARKD_REQUEST_ERROR, PARKD_REQUEST_ERROR_INVALID_FIELD);
          if (!g_str_has_prefix (error->message, bad->path))
            g_error ("%s: \"%s\" does not start with \"%s\"", bad->policy, error->message,
                     bad->path);
        }
      g_clear_error (&error);
    }

  /* The lot's own hourly rate is checked too. */
  p = parkd_pricing_new (NULL, -1, &error);
  g_assert_null (p);
  g_assert_error (error, PARKD_REQUEST_ERROR, PARKD_REQUEST_ERROR_INVALID_FIELD);
  g_assert_true (g_str_has_prefix (error->message, "hourly_rate: "));
}

static void
test_defaults (void)
{
  g_autoptr(ParkdPricing) p = pricing (NULL, 250);
  g_autoptr(ParkdPricing) empty = pricing ("", 250);
  g_autoptr(ParkdPricing) capped = pricing ("{\"daily_max\": 1800}", 250);
  g_autoptr(ParkdPricing) cheap = pricing ("{\"rates\": {\"regular\": 50}, "
                                           "\"daily_max\": 1800}", 250);
  g_autoptr(ParkdPricing) example = pricing (EXAMPLE_POLICY, 250);
  g_autoptr(GDateTime) start = instant ("2026-03-10T10:00:00Z");
  g_autoptr(GDateTime) before = instant ("2026-03-10T09:59:59Z");
  g_autoptr(GDateTime) grace_end = instant ("2026-03-10T10:10:00Z");
  g_autoptr(GDateTime) past_grace = instant ("2026-03-10T10:10:01Z");
  g_autofree char *json = parkd_pricing_to_json (p);
  g_autofree char *empty_json = parkd_pricing_to_json (empty);

  g_assert_cmpuint (parkd_pricing_get_increment_minutes (p), ==, 15);
  g_assert_cmpint (parkd_pricing_get_daily_max (p), ==, 0);
  g_assert_cmpuint (parkd_pricing_get_tax_rate (p), ==, 0);
  g_assert_cmpuint (parkd_pricing_get_grace_minutes (p), ==, 10);
  g_assert_cmpuint (parkd_pricing_get_exit_grace_minutes (p), ==, 15);
  g_assert_cmpuint (parkd_pricing_get_no_show_grace_minutes (p), ==, 30);
  g_assert_cmpuint (parkd_pricing_get_hold_minutes (p), ==, 10);
  g_assert_true (parkd_pricing_get_free_before_start (p));
  g_assert_cmpuint (parkd_pricing_get_refund_percent_after_start (p), ==, 0);
  /* Lost ticket: 24 × 250 = 6000; capped by daily_max 1800; 24 × 50 = 1200 under it. */
  g_assert_cmpint (parkd_pricing_get_lost_ticket_fee (p), ==, 6000);
  g_assert_cmpint (parkd_pricing_get_lost_ticket_fee (capped), ==, 1800);
  g_assert_cmpint (parkd_pricing_get_lost_ticket_fee (cheap), ==, 1200);
  g_assert_cmpint (parkd_pricing_get_lost_ticket_fee (example), ==, 3000);
  g_assert_cmpuint (parkd_pricing_get_refund_percent_after_start (example), ==, 50);

  g_assert_cmpstr (json, ==, empty_json);
  g_assert_cmpstr (json, ==,
                   "{\"rates\":{\"regular\":250,\"ev\":250,\"disabled\":250,\"compact\":250,"
                   "\"motorcycle\":250},\"increment_minutes\":15,\"periods\":[],"
                   "\"daily_max\":null,\"events\":[],\"demand\":{\"steps\":[],\"cap\":1,"
                   "\"floor\":1},\"tax_rate\":0,\"grace_minutes\":10,"
                   "\"exit_grace_minutes\":15,\"lost_ticket_fee\":6000,\"cancellation\":"
                   "{\"free_before_start\":true,\"refund_percent_after_start\":0},"
                   "\"no_show_grace_minutes\":30,\"hold_minutes\":10}");

  /* Grace: ten minutes are free, a second more is not. */
  g_assert_true (parkd_pricing_is_within_grace (p, start, grace_end));
  g_assert_false (parkd_pricing_is_within_grace (p, start, past_grace));

  /* Cancelling: in full before the start, nothing after by default; the example refunds
   * half after the start, 1001 → 500.5 → 501. */
  g_assert_cmpint (parkd_pricing_cancellation_refund (p, 1000, start, before), ==, 1000);
  g_assert_cmpint (parkd_pricing_cancellation_refund (p, 1000, start, start), ==, 0);
  g_assert_cmpint (parkd_pricing_cancellation_refund (example, 1001, start, grace_end), ==, 501);
}

static char *
quote_json (ParkdPricing *p,
            const char   *time_zone,
            const char   *spot_type,
            const char   *start,
            const char   *end,
            double        share)
{
  g_autoptr(ParkdQuote) q = quote_full (p, time_zone, spot_type, start, end, share);
  GString *out = g_string_new (NULL);

  parkd_quote_append_json (out, q);
  return g_string_free (out, FALSE);
}

static void
test_round_trip (void)
{
  static const struct
  {
    const char *time_zone, *spot_type, *start, *end;
    double share;
  } stays[] = {
    { BERLIN, "regular", "2026-03-09T10:00:00+01:00", "2026-03-11T05:00:00+01:00", 0.5 },
    { BERLIN, "ev", "2026-12-23T18:00:00+01:00", "2026-12-27T02:00:00+01:00", 0.97 },
    { BERLIN, "compact", "2026-03-29T01:00:00+01:00", "2026-03-29T04:00:00+02:00", 0.85 },
    { BERLIN, "motorcycle", "2026-10-25T01:00:00+02:00", "2026-10-25T04:00:00+01:00", 0.7 },
    { NEW_YORK, "regular", "2026-12-31T22:00:00-05:00", "2027-01-01T03:17:00-05:00", 0.1 },
  };
  static const char * const policies[] = {
    EXAMPLE_POLICY,
    "{\"periods\": [{\"days\": [\"sun\", \"fri\"], \"from\": \"22:00\", \"to\": \"00:00\", "
    "\"multiplier\": 0.333333}], \"demand\": {\"steps\": [{\"max_share\": 0.25, "
    "\"multiplier\": 0.75}]}, \"increment_minutes\": 7}",
    NULL,
  };

  for (guint k = 0; k < G_N_ELEMENTS (policies); k++)
    {
      g_autoptr(ParkdPricing) first = pricing (policies[k], 250);
      g_autofree char *json = parkd_pricing_to_json (first);
      /* Self-contained: another hourly rate does not change the parsed-again policy. */
      g_autoptr(ParkdPricing) again = pricing (json, 999);
      g_autofree char *json_again = parkd_pricing_to_json (again);

      g_assert_cmpstr (json, ==, json_again);
      for (guint i = 0; i < G_N_ELEMENTS (stays); i++)
        {
          g_autofree char *a = quote_json (first, stays[i].time_zone, stays[i].spot_type,
                                           stays[i].start, stays[i].end, stays[i].share);
          g_autofree char *b = quote_json (again, stays[i].time_zone, stays[i].spot_type,
                                           stays[i].start, stays[i].end, stays[i].share);

          g_assert_cmpstr (a, ==, b);
        }
    }

  /* Normalised: days in week order, "00:00" as an end is "24:00", a label made up. */
  {
    g_autoptr(ParkdPricing) p = pricing (policies[1], 250);
    g_autofree char *json = parkd_pricing_to_json (p);

    g_assert_nonnull (strstr (json, "\"periods\":[{\"days\":[\"fri\",\"sun\"],\"from\":"
                                    "\"22:00\",\"to\":\"24:00\",\"multiplier\":0.333333,"
                                    "\"label\":\"22:00-24:00\"}]"));
    g_assert_nonnull (strstr (json, "\"demand\":{\"steps\":[{\"max_share\":0.25,"
                                    "\"multiplier\":0.75}],\"cap\":1,\"floor\":0.75}"));
  }
}

static void
test_quote_json (void)
{
  g_autoptr(ParkdPricing) p = pricing (EXAMPLE_POLICY, 250);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = quote_json (p, BERLIN, "regular", "2026-03-11T18:00:00+01:00",
                                      "2026-03-11T20:00:00+01:00", 0.85);
  g_autoptr(JsonNode) root = parkd_json_parse_object (text, strlen (text), &error);
  JsonObject *obj, *line;
  JsonArray *lines;

  /* 18-19 weekday 250 × 1.2 × 1.25 = 375, 19-20 standard 250 × 1.25 = 312.5 → 313. 688 with
   * 688 × 1900 / 11900 = 109.85 → 110 tax. */
  g_assert_no_error (error);
  obj = json_node_get_object (root);
  lines = json_object_get_array_member (obj, "lines");
  g_assert_cmpuint (json_array_get_length (lines), ==, 2);
  line = json_array_get_object_element (lines, 0);
  g_assert_cmpstr (json_object_get_string_member (line, "from"), ==,
                   "2026-03-11T18:00:00+01:00");
  g_assert_cmpstr (json_object_get_string_member (line, "to"), ==,
                   "2026-03-11T19:00:00+01:00");
  g_assert_cmpint (json_object_get_int_member (line, "minutes"), ==, 60);
  g_assert_cmpint (json_object_get_int_member (line, "billed_minutes"), ==, 60);
  g_assert_cmpint (json_object_get_int_member (line, "rate"), ==, 250);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (line, "multiplier"), 1.5, 1e-9);
  g_assert_cmpint (json_object_get_int_member (line, "amount"), ==, 375);
  g_assert_cmpstr (json_object_get_string_member (line, "label"), ==, "Weekday daytime");
  line = json_array_get_object_element (lines, 1);
  g_assert_cmpint (json_object_get_int_member (line, "amount"), ==, 313);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (line, "multiplier"), 1.25,
                                  1e-9);
  g_assert_cmpint (json_object_get_int_member (obj, "subtotal"), ==, 688);
  g_assert_cmpint (json_object_get_int_member (obj, "cap_discount"), ==, 0);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (obj, "demand_multiplier"),
                                  1.25, 1e-9);
  g_assert_cmpint (json_object_get_int_member (obj, "discount"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (obj, "total"), ==, 688);
  g_assert_cmpint (json_object_get_int_member (obj, "tax"), ==, 110);
  g_assert_cmpint (json_object_get_int_member (obj, "tax_rate"), ==, 1900);
  g_assert_cmpstr (json_object_get_string_member (obj, "currency"), ==, "EUR");
}

/* A receipt prints amounts with the currency's own number of decimals (ISO 4217). */
static void
test_money (void)
{
  static const struct
  {
    const char *currency;
    gint64      amount;
    const char *text;
  } cases[] = {
    { "EUR", 1250, "EUR 12.50" },
    { "EUR", 5, "EUR 0.05" },
    { "EUR", -1250, "EUR -12.50" },
    { "USD", 100000, "USD 1000.00" },
    { "JPY", 1250, "JPY 1250" },
    { "JPY", 0, "JPY 0" },
    { "KRW", 15000, "KRW 15000" },
    { "KWD", 1250, "KWD 1.250" },
    { "BHD", 5, "BHD 0.005" },
    { "TND", 12345, "TND 12.345" },
    { "CLF", 12345, "CLF 1.2345" },
    /* A code the table does not know has two decimals, as most do. */
    { "XYZ", 1250, "XYZ 12.50" },
  };

  g_assert_cmpuint (parkd_currency_get_exponent ("JPY"), ==, 0);
  g_assert_cmpuint (parkd_currency_get_exponent ("jpy"), ==, 0);
  g_assert_cmpuint (parkd_currency_get_exponent ("KWD"), ==, 3);
  g_assert_cmpuint (parkd_currency_get_exponent ("EUR"), ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      parkd_money_append (out, cases[i].amount, cases[i].currency);
      g_assert_cmpstr (out->str, ==, cases[i].text);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pricing/flat-rate", test_flat_rate);
  g_test_add_func ("/pricing/spot-types", test_spot_types);
  g_test_add_func ("/pricing/increments", test_increments);
  g_test_add_func ("/pricing/increments-across-lines", test_increments_across_lines);
  g_test_add_func ("/pricing/periods/week", test_periods_week);
  g_test_add_func ("/pricing/periods/across-midnight", test_period_across_midnight);
  g_test_add_func ("/pricing/events", test_events);
  g_test_add_func ("/pricing/daily-cap", test_daily_cap);
  g_test_add_func ("/pricing/demand/steps", test_demand);
  g_test_add_func ("/pricing/demand/cap-and-floor", test_demand_cap_and_floor);
  g_test_add_func ("/pricing/tax", test_tax);
  g_test_add_func ("/pricing/dst/spring", test_dst_spring);
  g_test_add_func ("/pricing/dst/autumn", test_dst_autumn);
  g_test_add_func ("/pricing/new-year-new-york", test_new_year_new_york);
  g_test_add_func ("/pricing/quote-errors", test_quote_errors);
  g_test_add_func ("/pricing/validation", test_validation);
  g_test_add_func ("/pricing/defaults", test_defaults);
  g_test_add_func ("/pricing/round-trip", test_round_trip);
  g_test_add_func ("/pricing/quote-json", test_quote_json);
  g_test_add_func ("/pricing/money", test_money);

  return g_test_run ();
}
