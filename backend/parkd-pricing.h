/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-pricing.h: a lot's pricing policy and the quotes it gives. Pure: no store, no clock,
 * no network; the caller passes the lot's hourly rate, time zone, currency and booked share.
 *
 * A policy is a JSON object, every member optional:
 *
 *   rates               {"regular"|"ev"|"disabled"|"compact"|"motorcycle": per hour}, integer
 *                       minor units 0..1000000; a missing type uses the lot's hourly_rate
 *   increment_minutes   billing unit, 1..60 (15)
 *   periods             [{"days": ["mon".."sun"], "from": "HH:MM", "to": "HH:MM",
 *                       "multiplier": (0, 10], "label": text}], local time, first match wins;
 *                       "to" may be "24:00" ("00:00" as an end means the same); "to" <
 *                       "from" runs past midnight and belongs to the day it starts
 *   daily_max           cap per local calendar day, 1..100000000, or null for none (null)
 *   events              [{"from": "YYYY-MM-DDTHH:MM", "to": …, "multiplier": (0, 10],
 *                       "label": text}], local time; replaces the period multiplier; first
 *                       match wins, overlaps are allowed
 *   demand              {"steps": [{"min_share"|"max_share": 0..1, "multiplier": (0, 10]}],
 *                       "cap": (0, 10], "floor": (0, 10]}; the booked share picks the
 *                       largest min_share at or below it, else the smallest max_share at
 *                       or above it, else 1.0, clamped to [floor, cap]. Left out, cap and
 *                       floor are the widest of 1.0, the steps and the other bound, so
 *                       they clamp nothing of their own; floor above cap is refused
 *   tax_rate            basis points included in the price, 0..10000 (0)
 *   grace_minutes       0..1440 (10)   exit_grace_minutes 0..1440 (15)
 *   lost_ticket_fee     0..100000000 (24 × the regular rate, capped by daily_max)
 *   cancellation        {"free_before_start": bool (true),
 *                        "refund_percent_after_start": 0..100 (0)}
 *   no_show_grace_minutes 0..1440 (30)   hold_minutes 1..1440 (10)
 *
 * At most 32 periods, 64 events and 16 steps; labels are 1 to 100 characters. Multipliers and
 * shares are kept in millionths, so every price is computed in integers and the same policy
 * always gives the same prices. Anything else (an unknown member, a wrong type, a value out
 * of range, a malformed time, a day twice) is refused with PARKD_REQUEST_ERROR_INVALID_FIELD
 * and a message that starts with the member's path, e.g. "periods[1].from: …"; malformed
 * JSON with the other PARKD_REQUEST_ERROR codes of parkd_json_parse_object().
 *
 * Quotes: the stay is split where the applicable multiplier changes (period and event edges,
 * a new weekday at local midnight) and, when there is a daily_max, at every local midnight.
 * Pieces with the same rule on the same local day are merged into one line. Minutes are real
 * elapsed time, so a line across a clock change has the minutes really parked.
 *
 * Increments: each line is billed its time rounded up to whole increments. Splitting must not
 * cost the driver extra, so when the lines together come to more increments than the whole
 * stay rounded up, the surplus is forgiven: one increment is taken off each of as many lines
 * as needed among those whose last increment is only partly used, the dearest per increment
 * first (then the one whose last increment is least used, then the earlier). A short line can
 * so end up with billed_minutes 0. The stay is then billed exactly its own increments.
 *
 * Line amount = round half up (billed_minutes × rate × multiplier / 60), in integers, where
 * multiplier = (event or period multiplier) × demand multiplier rounded once to millionths.
 * The daily cap then applies to each local day's lines separately; the tax is contained in
 * the total (prices are gross).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ParkdPricing ParkdPricing;

typedef struct
{
  char   *from;            /* local RFC 3339 with offset, "2026-03-29T01:00:00+01:00" */
  char   *to;
  guint   minutes;         /* real minutes in this line; a started minute counts */
  guint   billed_minutes;  /* whole increments, after the surplus rule above */
  gint64  rate;            /* per hour, before multipliers */
  double  multiplier;      /* (period or event) × demand, to 6 decimals */
  gint64  amount;          /* minor units, rounded half up */
  char   *label;           /* the period's or event's label, or "Standard rate" */
} ParkdPriceLine;

typedef struct
{
  GPtrArray *lines;              /* (element-type ParkdPriceLine), in time order */
  gint64     subtotal;           /* sum of the lines' amounts */
  gint64     cap_discount;       /* what daily_max took off, >= 0 */
  double     demand_multiplier;  /* after cap and floor */
  gint64     discount;           /* a discount code's; set with parkd_quote_set_discount() */
  gint64     total;              /* subtotal - cap_discount - discount, never < 0 */
  gint64     tax;                /* contained in total */
  guint      tax_rate;           /* basis points, copied from the policy */
  char      *currency;
} ParkdQuote;

/* Parses and checks @policy_json (NULL or "" for all defaults). @hourly_rate (0..1000000) is
 * the lot's, used for every spot type the policy gives no rate. The result is immutable and
 * may be shared between threads. */
ParkdPricing *parkd_pricing_new                       (const char    *policy_json,
                                                       gint64         hourly_rate,
                                                       GError       **error);
void          parkd_pricing_free                      (ParkdPricing  *self);

/* The policy with every default written out, every member in the order above. It is
 * self-contained: each spot type's rate and the lost-ticket fee are filled in, so parsing it
 * again (with any hourly rate) gives the same prices. Store the operator's own text where the
 * policy should follow later changes of the lot's hourly rate. */
char         *parkd_pricing_to_json                   (ParkdPricing  *self);

/* Per hour for @spot_type (NULL: regular), -1 for an unknown type. */
gint64        parkd_pricing_get_rate                  (ParkdPricing  *self,
                                                       const char    *spot_type);
guint         parkd_pricing_get_increment_minutes     (ParkdPricing  *self);
/* 0 when there is no daily cap. */
gint64        parkd_pricing_get_daily_max             (ParkdPricing  *self);
/* Basis points: 1900 is 19 %. */
guint         parkd_pricing_get_tax_rate              (ParkdPricing  *self);
guint         parkd_pricing_get_grace_minutes         (ParkdPricing  *self);
guint         parkd_pricing_get_exit_grace_minutes    (ParkdPricing  *self);
gint64        parkd_pricing_get_lost_ticket_fee       (ParkdPricing  *self);
gboolean      parkd_pricing_get_free_before_start     (ParkdPricing  *self);
guint         parkd_pricing_get_refund_percent_after_start
                                                      (ParkdPricing  *self);
guint         parkd_pricing_get_no_show_grace_minutes (ParkdPricing  *self);
guint         parkd_pricing_get_hold_minutes          (ParkdPricing  *self);
/* Whether the booked share changes prices at all: without demand steps a caller need not
 * work the share out. */
gboolean      parkd_pricing_uses_demand               (ParkdPricing  *self);

/* Whether a walk-in stay is free: at most grace_minutes long. A quote never applies the grace
 * itself, since only the caller knows whether a stay is a walk-in. */
gboolean      parkd_pricing_is_within_grace           (ParkdPricing  *self,
                                                       GDateTime     *start_utc,
                                                       GDateTime     *end_utc);
/* What to refund of @paid when cancelling at @cancelled_utc: all of it before the start if
 * free_before_start, else refund_percent_after_start of it, rounded half up (also before the
 * start when free_before_start is false). */
gint64        parkd_pricing_cancellation_refund       (ParkdPricing  *self,
                                                       gint64         paid,
                                                       GDateTime     *start_utc,
                                                       GDateTime     *cancelled_utc);

/* Prices a stay of a @spot_type (NULL: regular) spot from @start_utc to @end_utc (any zone;
 * seconds count, microseconds do not) at a lot in @time_zone (an IANA name) whose
 * @booked_share (0..1) of spots is booked for that window. Fails with
 * PARKD_REQUEST_ERROR_INVALID_FIELD ("end: …", "time_zone: …", "spot_type: …",
 * "booked_share: …") when the end is not after the start, the stay is longer than 31 days, or
 * the zone or type is unknown. The quote's discount is 0. */
ParkdQuote   *parkd_pricing_quote                     (ParkdPricing  *self,
                                                       const char    *time_zone,
                                                       const char    *currency,
                                                       const char    *spot_type,
                                                       GDateTime     *start_utc,
                                                       GDateTime     *end_utc,
                                                       double         booked_share,
                                                       GError       **error);
void          parkd_quote_free                        (ParkdQuote    *quote);
/* Sets a discount code's amount (>= 0) and recomputes total and tax. */
void          parkd_quote_set_discount                (ParkdQuote    *quote,
                                                       gint64         discount);
/* {"lines": [{"from", "to", "minutes", "billed_minutes", "rate", "multiplier", "amount",
 * "label"}…], "subtotal", "cap_discount", "demand_multiplier", "discount", "total", "tax",
 * "tax_rate", "currency"} */
void          parkd_quote_append_json                 (GString          *out,
                                                       const ParkdQuote *quote);

/* Money as a receipt prints it: "EUR 12.50", "JPY 1250", "KWD 1.250". How many digits of
 * an amount in minor units are decimals is the currency's ISO 4217 exponent (2 for a code the
 * table does not know). */
guint         parkd_currency_get_exponent             (const char    *currency);
void          parkd_money_append                      (GString       *out,
                                                       gint64         amount,
                                                       const char    *currency);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdPricing, parkd_pricing_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdQuote, parkd_quote_free)

G_END_DECLS
