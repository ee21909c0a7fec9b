/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-pricing-rule.c: periods, events and demand steps of a pricing policy
 * (`PricingPolicy` in openapi.json). Each checks the server's rules when it is made, so a
 * form can say what is wrong before anything is sent; multipliers and shares are kept to six
 * decimals, as the server keeps them.
 */
#include "config.h"

#include "park-pricing-rule.h"
#include "park-error.h"
#include "park-error-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>

struct _ParkPricingPeriod
{
  ParkWeekdays days;
  guint        from_minute;
  guint        to_minute;
  double       multiplier;
  char        *label;
};

struct _ParkPricingEvent
{
  GDateTime *from;
  GDateTime *to;
  double     multiplier;
  char      *label;
};

struct _ParkDemandStep
{
  ParkDemandBound bound;
  double          share;
  double          multiplier;
};

G_DEFINE_BOXED_TYPE (ParkPricingPeriod, park_pricing_period,
                     park_pricing_period_copy, park_pricing_period_free)
G_DEFINE_BOXED_TYPE (ParkPricingEvent, park_pricing_event,
                     park_pricing_event_copy, park_pricing_event_free)
G_DEFINE_BOXED_TYPE (ParkDemandStep, park_demand_step,
                     park_demand_step_copy, park_demand_step_free)

static double
millionths (double value)
{
  return round (value * 1e6) / 1e6;
}

static gboolean
check_multiplier (const char  *field,
                  double       multiplier,
                  GError     **error)
{
  if (isfinite (multiplier) && millionths (multiplier) > 0 &&
      multiplier <= PARK_PRICING_MULTIPLIER_MAX)
    return TRUE;
  g_propagate_error (error, _park_client_error_new_invalid_field (field,
    /* Translators: a price multiplier; 1 keeps the price, 2 doubles it */
    _("A multiplier must be above 0 and at most %g, such as 1.5."), PARK_PRICING_MULTIPLIER_MAX));
  return FALSE;
}

/* NULL, or 1 to 100 characters without control characters. */
static gboolean
check_label (const char  *field,
             const char  *label,
             GError     **error)
{
  gboolean ok = TRUE;

  if (label == NULL)
    return TRUE;
  if (!g_utf8_validate (label, -1, NULL))
    ok = FALSE;
  else
    {
      glong len = g_utf8_strlen (label, -1);

      ok = len >= 1 && len <= 100;
      for (const char *p = label; ok && *p != '\0'; p = g_utf8_next_char (p))
        ok = !g_unichar_iscntrl (g_utf8_get_char (p));
    }
  if (!ok)
    g_propagate_error (error, _park_client_error_new_invalid_field (field,
      _("A label must be 1 to 100 characters on one line.")));
  return ok;
}

/**
 * park_pricing_period_new:
 * @days: the days of the week it applies on, in the lot's local time; at least one
 * @from_minute: when it starts, in minutes since local midnight (0 to 1439)
 * @to_minute: when it ends (0 to 1440, 1440 or 0 being midnight); earlier than @from_minute
 *   for a period that runs past midnight (it belongs to the day it starts); not equal to it
 *   (00:00 to 24:00 is a whole day)
 * @multiplier: what the hourly rate is multiplied by: above 0, at most
 *   %PARK_PRICING_MULTIPLIER_MAX; kept to six decimals
 * @label: (nullable): what receipts call it (1 to 100 characters), or %NULL for the server's
 *   default (`HH:MM-HH:MM`)
 * @error: return location for a #GError
 *
 * A period of the week with its own price. Values that break the rules above fail with
 * %PARK_CLIENT_ERROR_VALIDATION naming `periods`.
 *
 * Returns: (transfer full) (nullable): a new #ParkPricingPeriod, or %NULL with @error set
 */
ParkPricingPeriod *
park_pricing_period_new (ParkWeekdays   days,
                         guint          from_minute,
                         guint          to_minute,
                         double         multiplier,
                         const char    *label,
                         GError       **error)
{
  ParkPricingPeriod *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((days & PARK_WEEKDAYS_ALL) == 0 || (days & ~PARK_WEEKDAYS_ALL) != 0)
    {
      g_propagate_error (error, _park_client_error_new_invalid_field ("periods",
        _("A price period needs at least one day of the week.")));
      return NULL;
    }
  if (from_minute >= 24 * 60 || to_minute > 24 * 60 ||
      (to_minute != 0 && to_minute == from_minute))
    {
      g_propagate_error (error, _park_client_error_new_invalid_field ("periods",
        _("A price period starts at 00:00 to 23:59 and ends at another time, 24:00 at the "
          "latest.")));
      return NULL;
    }
  if (!check_multiplier ("periods", multiplier, error) || !check_label ("periods", label, error))
    return NULL;

  self = g_new0 (ParkPricingPeriod, 1);
  self->days = days;
  self->from_minute = from_minute;
  self->to_minute = to_minute;
  self->multiplier = millionths (multiplier);
  self->label = g_strdup (label);
  return self;
}

/**
 * park_pricing_period_copy:
 * @self: a #ParkPricingPeriod
 *
 * Returns: (transfer full): a copy of @self
 */
ParkPricingPeriod *
park_pricing_period_copy (const ParkPricingPeriod *self)
{
  ParkPricingPeriod *copy;

  g_return_val_if_fail (self != NULL, NULL);
  copy = g_memdup2 (self, sizeof *self);
  copy->label = g_strdup (self->label);
  return copy;
}

/**
 * park_pricing_period_free:
 * @self: (transfer full): a #ParkPricingPeriod
 *
 * Frees @self.
 */
void
park_pricing_period_free (ParkPricingPeriod *self)
{
  if (self == NULL)
    return;
  g_free (self->label);
  g_free (self);
}

/**
 * park_pricing_period_get_days:
 * @self: a #ParkPricingPeriod
 *
 * Returns: the days of the week it applies on
 */
ParkWeekdays
park_pricing_period_get_days (const ParkPricingPeriod *self)
{
  g_return_val_if_fail (self != NULL, PARK_WEEKDAYS_NONE);
  return self->days;
}

/**
 * park_pricing_period_get_from_minute:
 * @self: a #ParkPricingPeriod
 *
 * Returns: when it starts, in minutes since local midnight
 */
guint
park_pricing_period_get_from_minute (const ParkPricingPeriod *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->from_minute;
}

/**
 * park_pricing_period_get_to_minute:
 * @self: a #ParkPricingPeriod
 *
 * Returns: when it ends, in minutes since local midnight (1440 or 0 for midnight)
 */
guint
park_pricing_period_get_to_minute (const ParkPricingPeriod *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->to_minute;
}

/**
 * park_pricing_period_get_multiplier:
 * @self: a #ParkPricingPeriod
 *
 * Returns: what the hourly rate is multiplied by in the period
 */
double
park_pricing_period_get_multiplier (const ParkPricingPeriod *self)
{
  g_return_val_if_fail (self != NULL, 1.0);
  return self->multiplier;
}

/**
 * park_pricing_period_get_label:
 * @self: a #ParkPricingPeriod
 *
 * Returns: (transfer none) (nullable): what receipts call it, or %NULL for the server's default
 */
const char *
park_pricing_period_get_label (const ParkPricingPeriod *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->label;
}

/**
 * park_pricing_event_new:
 * @from: when it starts; sent as the lot's local time to the minute (seconds are dropped)
 * @to: when it ends, after @from
 * @multiplier: what the hourly rate is multiplied by: above 0, at most
 *   %PARK_PRICING_MULTIPLIER_MAX; kept to six decimals
 * @label: (nullable): what receipts call it (1 to 100 characters), or %NULL for the server's
 *   default (`Event`)
 * @error: return location for a #GError
 *
 * A stretch of time with its own price (a fair, a match); it replaces the period's
 * multiplier. Values that break the rules above fail with %PARK_CLIENT_ERROR_VALIDATION
 * naming `events`.
 *
 * Returns: (transfer full) (nullable): a new #ParkPricingEvent, or %NULL with @error set
 */
ParkPricingEvent *
park_pricing_event_new (GDateTime   *from,
                        GDateTime   *to,
                        double       multiplier,
                        const char  *label,
                        GError     **error)
{
  ParkPricingEvent *self;

  g_return_val_if_fail (from != NULL, NULL);
  g_return_val_if_fail (to != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_date_time_to_unix (to) / 60 <= g_date_time_to_unix (from) / 60 ||
      g_date_time_get_year (from) < 1970)
    {
      g_propagate_error (error, _park_client_error_new_invalid_field ("events",
        _("An event must end after it starts.")));
      return NULL;
    }
  if (!check_multiplier ("events", multiplier, error) || !check_label ("events", label, error))
    return NULL;

  self = g_new0 (ParkPricingEvent, 1);
  self->from = g_date_time_add_seconds (from, -g_date_time_get_seconds (from));
  self->to = g_date_time_add_seconds (to, -g_date_time_get_seconds (to));
  self->multiplier = millionths (multiplier);
  self->label = g_strdup (label);
  return self;
}

/**
 * park_pricing_event_copy:
 * @self: a #ParkPricingEvent
 *
 * Returns: (transfer full): a copy of @self
 */
ParkPricingEvent *
park_pricing_event_copy (const ParkPricingEvent *self)
{
  ParkPricingEvent *copy;

  g_return_val_if_fail (self != NULL, NULL);
  copy = g_new0 (ParkPricingEvent, 1);
  copy->from = g_date_time_ref (self->from);
  copy->to = g_date_time_ref (self->to);
  copy->multiplier = self->multiplier;
  copy->label = g_strdup (self->label);
  return copy;
}

/**
 * park_pricing_event_free:
 * @self: (transfer full): a #ParkPricingEvent
 *
 * Frees @self.
 */
void
park_pricing_event_free (ParkPricingEvent *self)
{
  if (self == NULL)
    return;
  g_date_time_unref (self->from);
  g_date_time_unref (self->to);
  g_free (self->label);
  g_free (self);
}

/**
 * park_pricing_event_get_from:
 * @self: a #ParkPricingEvent
 *
 * Returns: (transfer none): when it starts (in the lot's time zone when read from the server)
 */
GDateTime *
park_pricing_event_get_from (const ParkPricingEvent *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->from;
}

/**
 * park_pricing_event_get_to:
 * @self: a #ParkPricingEvent
 *
 * Returns: (transfer none): when it ends
 */
GDateTime *
park_pricing_event_get_to (const ParkPricingEvent *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->to;
}

/**
 * park_pricing_event_get_multiplier:
 * @self: a #ParkPricingEvent
 *
 * Returns: what the hourly rate is multiplied by during the event
 */
double
park_pricing_event_get_multiplier (const ParkPricingEvent *self)
{
  g_return_val_if_fail (self != NULL, 1.0);
  return self->multiplier;
}

/**
 * park_pricing_event_get_label:
 * @self: a #ParkPricingEvent
 *
 * Returns: (transfer none) (nullable): what receipts call it, or %NULL for the server's default
 */
const char *
park_pricing_event_get_label (const ParkPricingEvent *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->label;
}

/**
 * park_demand_step_new:
 * @bound: whether the step applies from @share up or up to it
 * @share: a share of the lot's spots of the type booked over the stay, 0 to 1
 * @multiplier: what the hourly rate is multiplied by: above 0, at most
 *   %PARK_PRICING_MULTIPLIER_MAX; kept to six decimals
 * @error: return location for a #GError
 *
 * A step of demand pricing. Values out of range fail with %PARK_CLIENT_ERROR_VALIDATION
 * naming `demand.steps`.
 *
 * Returns: (transfer full) (nullable): a new #ParkDemandStep, or %NULL with @error set
 */
ParkDemandStep *
park_demand_step_new (ParkDemandBound   bound,
                      double            share,
                      double            multiplier,
                      GError          **error)
{
  ParkDemandStep *self;

  g_return_val_if_fail (bound == PARK_DEMAND_BOUND_MIN_SHARE ||
                        bound == PARK_DEMAND_BOUND_MAX_SHARE, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!isfinite (share) || share < 0 || share > 1)
    {
      g_propagate_error (error, _park_client_error_new_invalid_field ("demand.steps",
        _("A share of booked spots is from 0 to 100 %%.")));
      return NULL;
    }
  if (!check_multiplier ("demand.steps", multiplier, error))
    return NULL;

  self = g_new0 (ParkDemandStep, 1);
  self->bound = bound;
  self->share = millionths (share);
  self->multiplier = millionths (multiplier);
  return self;
}

/**
 * park_demand_step_copy:
 * @self: a #ParkDemandStep
 *
 * Returns: (transfer full): a copy of @self
 */
ParkDemandStep *
park_demand_step_copy (const ParkDemandStep *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_memdup2 (self, sizeof *self);
}

/**
 * park_demand_step_free:
 * @self: (transfer full): a #ParkDemandStep
 *
 * Frees @self.
 */
void
park_demand_step_free (ParkDemandStep *self)
{
  g_free (self);
}

/**
 * park_demand_step_get_bound:
 * @self: a #ParkDemandStep
 *
 * Returns: whether it applies from its share up or up to it
 */
ParkDemandBound
park_demand_step_get_bound (const ParkDemandStep *self)
{
  g_return_val_if_fail (self != NULL, PARK_DEMAND_BOUND_MIN_SHARE);
  return self->bound;
}

/**
 * park_demand_step_get_share:
 * @self: a #ParkDemandStep
 *
 * Returns: its share of booked spots, 0 to 1
 */
double
park_demand_step_get_share (const ParkDemandStep *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->share;
}

/**
 * park_demand_step_get_multiplier:
 * @self: a #ParkDemandStep
 *
 * Returns: what the hourly rate is multiplied by at this demand
 */
double
park_demand_step_get_multiplier (const ParkDemandStep *self)
{
  g_return_val_if_fail (self != NULL, 1.0);
  return self->multiplier;
}
