/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-pricing.c: a lot's pricing policy (`Pricing` in openapi.json): the policy as the
 * operator wrote it, and its effective values (every default filled in), which quotes use.
 *
 * An operator's page reads the effective values, changes some with the setters and sends the
 * object back with park_client_set_pricing_async(). A setter changes the policy that will be
 * sent and the value shown. Periods, events and demand steps are read from the policy as
 * typed values (park-pricing-rule.h) and written back into it by their setters; the parts no
 * setter reaches (cancellation rules) travel back exactly as they came.
 */
#include "config.h"

#include "park-pricing.h"
#include "park-admin-models-private.h"
#include "park-enums.h"
#include "park-json-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

struct _ParkPricing
{
  GObject parent_instance;

  JsonObject *policy;           /* what is sent back */
  char       *currency;
  char       *time_zone;
  gint64      rates[PARK_N_SPOT_TYPES];
  gint64      increment_minutes;
  gint64      daily_max;        /* -1: none */
  gint64      tax_rate;
  gint64      grace_minutes;
  gint64      exit_grace_minutes;
  gint64      lost_ticket_fee;
  gint64      hold_minutes;
  GPtrArray  *periods;          /* of ParkPricingPeriod */
  GPtrArray  *events;           /* of ParkPricingEvent */
  GPtrArray  *steps;            /* of ParkDemandStep */
  double      demand_cap;       /* 0: none */
  double      demand_floor;     /* 0: none */
};

G_DEFINE_FINAL_TYPE (ParkPricing, park_pricing, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CURRENCY,
  PROP_TIME_ZONE,
  PROP_INCREMENT_MINUTES,
  PROP_DAILY_MAX,
  PROP_TAX_RATE,
  PROP_GRACE_MINUTES,
  PROP_EXIT_GRACE_MINUTES,
  PROP_LOST_TICKET_FEE,
  PROP_HOLD_MINUTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_pricing_finalize (GObject *object)
{
  ParkPricing *self = (ParkPricing *) object;

  g_clear_pointer (&self->policy, json_object_unref);
  g_free (self->currency);
  g_free (self->time_zone);
  g_clear_pointer (&self->periods, g_ptr_array_unref);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_clear_pointer (&self->steps, g_ptr_array_unref);

  G_OBJECT_CLASS (park_pricing_parent_class)->finalize (object);
}

static void
park_pricing_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ParkPricing *self = PARK_PRICING (object);

  switch (prop_id)
    {
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case PROP_TIME_ZONE:
      g_value_set_string (value, self->time_zone);
      break;
    case PROP_INCREMENT_MINUTES:
      g_value_set_int64 (value, self->increment_minutes);
      break;
    case PROP_DAILY_MAX:
      g_value_set_int64 (value, self->daily_max);
      break;
    case PROP_TAX_RATE:
      g_value_set_int64 (value, self->tax_rate);
      break;
    case PROP_GRACE_MINUTES:
      g_value_set_int64 (value, self->grace_minutes);
      break;
    case PROP_EXIT_GRACE_MINUTES:
      g_value_set_int64 (value, self->exit_grace_minutes);
      break;
    case PROP_LOST_TICKET_FEE:
      g_value_set_int64 (value, self->lost_ticket_fee);
      break;
    case PROP_HOLD_MINUTES:
      g_value_set_int64 (value, self->hold_minutes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_pricing_class_init (ParkPricingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_pricing_finalize;
  object_class->get_property = park_pricing_get_property;

  /**
   * ParkPricing:currency:
   *
   * The ISO 4217 code of every amount, e.g. `EUR`.
   */
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, RO);
  /**
   * ParkPricing:time-zone:
   *
   * The IANA time zone the policy's days and hours are in.
   */
  properties[PROP_TIME_ZONE] = g_param_spec_string ("time-zone", NULL, NULL, NULL, RO);
  /**
   * ParkPricing:increment-minutes:
   *
   * Stays are charged in steps of this many minutes.
   */
  properties[PROP_INCREMENT_MINUTES] =
    g_param_spec_int64 ("increment-minutes", NULL, NULL, 1, 60, 15, RO);
  /**
   * ParkPricing:daily-max:
   *
   * The most a day costs, in minor units, or -1 for no cap.
   */
  properties[PROP_DAILY_MAX] =
    g_param_spec_int64 ("daily-max", NULL, NULL, -1, G_MAXINT64, -1, RO);
  /**
   * ParkPricing:tax-rate:
   *
   * The tax contained in the prices, in basis points (1900 is 19 %).
   */
  properties[PROP_TAX_RATE] = g_param_spec_int64 ("tax-rate", NULL, NULL, 0, 10000, 0, RO);
  /**
   * ParkPricing:grace-minutes:
   *
   * A walk-in staying no longer than this pays nothing.
   */
  properties[PROP_GRACE_MINUTES] =
    g_param_spec_int64 ("grace-minutes", NULL, NULL, 0, 1440, 10, RO);
  /**
   * ParkPricing:exit-grace-minutes:
   *
   * After paying, a car has this long to leave before more is due.
   */
  properties[PROP_EXIT_GRACE_MINUTES] =
    g_param_spec_int64 ("exit-grace-minutes", NULL, NULL, 0, 1440, 15, RO);
  /**
   * ParkPricing:lost-ticket-fee:
   *
   * The least a stay with a lost ticket pays, in minor units.
   */
  properties[PROP_LOST_TICKET_FEE] =
    g_param_spec_int64 ("lost-ticket-fee", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkPricing:hold-minutes:
   *
   * How long a booking holds its spot while it waits to be paid.
   */
  properties[PROP_HOLD_MINUTES] =
    g_param_spec_int64 ("hold-minutes", NULL, NULL, 1, 1440, 10, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_pricing_init (ParkPricing *self)
{
  self->daily_max = -1;
  self->periods = g_ptr_array_new_with_free_func ((GDestroyNotify) park_pricing_period_free);
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) park_pricing_event_free);
  self->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) park_demand_step_free);
}

static const char * const day_keys[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static GTimeZone *
pricing_zone (ParkPricing *self)
{
  GTimeZone *zone = self->time_zone != NULL ? g_time_zone_new_identifier (self->time_zone) : NULL;

  return zone != NULL ? zone : g_time_zone_new_utc ();
}

/* "HH:MM" to minutes, or -1. */
static int
clock_minutes (const char *text,
               gboolean    allow_24)
{
  int h, m;

  if (text == NULL || strlen (text) != 5 || text[2] != ':' ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return -1;
  h = (text[0] - '0') * 10 + (text[1] - '0');
  m = (text[3] - '0') * 10 + (text[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24)))
    return -1;
  return h * 60 + m;
}

/* "YYYY-MM-DDTHH:MM" in @zone, or NULL. */
static GDateTime *
parse_local (const char *text,
             GTimeZone  *zone)
{
  static const char pattern[] = "dddd-dd-ddTdd:dd";
  int v[5] = { 0 }, k = 0;

  if (text == NULL || strlen (text) != sizeof pattern - 1)
    return NULL;
  for (guint i = 0; i < sizeof pattern - 1; i++)
    {
      if (pattern[i] != 'd')
        {
          if (text[i] != pattern[i])
            return NULL;
          k++;
          continue;
        }
      if (!g_ascii_isdigit (text[i]))
        return NULL;
      v[k] = v[k] * 10 + (text[i] - '0');
    }
  return g_date_time_new (zone, v[0], v[1], v[2], v[3], v[4], 0);
}

static void
read_periods (ParkJsonReader *policy,
              GPtrArray      *periods)
{
  JsonArray *array = _park_json_get_array (policy, "periods", PARK_JSON_OPTIONAL);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = NULL;
      JsonObject *object = _park_json_array_get_object (policy, "periods", array, i, &path);
      ParkJsonReader r;
      g_auto(GStrv) days = NULL;
      g_autofree char *from = NULL, *to = NULL, *label = NULL;
      ParkWeekdays mask = PARK_WEEKDAYS_NONE;
      double multiplier;
      ParkPricingPeriod *period = NULL;

      if (object == NULL)
        return;
      _park_json_reader_init (&r, object, path);
      r.error = policy->error;
      days = _park_json_dup_strv (&r, "days", 0);
      from = _park_json_dup_string (&r, "from", 0);
      to = _park_json_dup_string (&r, "to", 0);
      multiplier = _park_json_get_double (&r, "multiplier", 0, PARK_PRICING_MULTIPLIER_MAX, 0, 1);
      label = _park_json_dup_string (&r, "label", PARK_JSON_OPTIONAL | PARK_JSON_NONEMPTY);
      if (_park_json_reader_failed (&r))
        return;
      for (guint k = 0; days[k] != NULL; k++)
        {
          guint d = 0;

          while (d < 7 && !g_str_equal (days[k], day_keys[d]))
            d++;
          if (d == 7)
            {
              _park_json_reader_fail (&r, "days", "names a day that is not mon to sun");
              return;
            }
          mask |= 1 << d;
        }
      if (clock_minutes (from, FALSE) < 0)
        _park_json_reader_fail (&r, "from", "is not a time of day");
      else if (clock_minutes (to, TRUE) < 0)
        _park_json_reader_fail (&r, "to", "is not a time of day");
      else if ((period = park_pricing_period_new (mask, clock_minutes (from, FALSE),
                                                  clock_minutes (to, TRUE), multiplier, label,
                                                  NULL)) == NULL)
        _park_json_reader_fail (&r, "to", "does not make a period with its days and \"from\"");
      if (period == NULL)
        return;
      g_ptr_array_add (periods, period);
    }
}

static void
read_events (ParkJsonReader *policy,
             GTimeZone      *zone,
             GPtrArray      *events)
{
  JsonArray *array = _park_json_get_array (policy, "events", PARK_JSON_OPTIONAL);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = NULL;
      JsonObject *object = _park_json_array_get_object (policy, "events", array, i, &path);
      ParkJsonReader r;
      g_autofree char *from_text = NULL, *to_text = NULL, *label = NULL;
      g_autoptr(GDateTime) from = NULL, to = NULL;
      ParkPricingEvent *event = NULL;
      double multiplier;

      if (object == NULL)
        return;
      _park_json_reader_init (&r, object, path);
      r.error = policy->error;
      from_text = _park_json_dup_string (&r, "from", 0);
      to_text = _park_json_dup_string (&r, "to", 0);
      multiplier = _park_json_get_double (&r, "multiplier", 0, PARK_PRICING_MULTIPLIER_MAX, 0, 1);
      label = _park_json_dup_string (&r, "label", PARK_JSON_OPTIONAL | PARK_JSON_NONEMPTY);
      if (_park_json_reader_failed (&r))
        return;
      from = parse_local (from_text, zone);
      to = parse_local (to_text, zone);
      if (from == NULL)
        _park_json_reader_fail (&r, "from", "is not a local date and time");
      else if (to == NULL)
        _park_json_reader_fail (&r, "to", "is not a local date and time");
      else if ((event = park_pricing_event_new (from, to, multiplier, label, NULL)) == NULL)
        _park_json_reader_fail (&r, "to", "is not after \"from\"");
      else
        g_ptr_array_add (events, event);
    }
}

static void
read_demand (ParkJsonReader *policy,
             ParkPricing    *self)
{
  ParkJsonReader demand;
  JsonArray *array;

  if (!_park_json_reader_enter (policy, "demand", PARK_JSON_OPTIONAL, &demand))
    return;
  self->demand_cap = _park_json_get_double (&demand, "cap", 0, PARK_PRICING_MULTIPLIER_MAX,
                                            PARK_JSON_OPTIONAL, 0);
  self->demand_floor = _park_json_get_double (&demand, "floor", 0, PARK_PRICING_MULTIPLIER_MAX,
                                              PARK_JSON_OPTIONAL, 0);
  array = _park_json_get_array (&demand, "steps", PARK_JSON_OPTIONAL);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = NULL;
      JsonObject *object = _park_json_array_get_object (&demand, "steps", array, i, &path);
      ParkJsonReader r;
      gboolean min = FALSE;
      double share, multiplier;
      ParkDemandStep *step;

      if (object == NULL)
        return;
      _park_json_reader_init (&r, object, path);
      r.error = policy->error;
      min = _park_json_has (&r, "min_share");
      share = _park_json_get_double (&r, min ? "min_share" : "max_share", 0, 1, 0, 0);
      multiplier = _park_json_get_double (&r, "multiplier", 0, PARK_PRICING_MULTIPLIER_MAX, 0, 1);
      if (_park_json_reader_failed (&r))
        return;
      step = park_demand_step_new (min ? PARK_DEMAND_BOUND_MIN_SHARE : PARK_DEMAND_BOUND_MAX_SHARE,
                                   share, multiplier, NULL);
      if (step == NULL)
        {
          _park_json_reader_fail (&r, "multiplier", "is out of range");
          return;
        }
      g_ptr_array_add (self->steps, step);
    }
}

ParkPricing *
_park_pricing_new_from_json_at (JsonObject  *object,
                                const char  *path,
                                GError     **error)
{
  g_autoptr(ParkPricing) self = g_object_new (PARK_TYPE_PRICING, NULL);
  g_autoptr(GEnumClass) types = g_type_class_ref (PARK_TYPE_SPOT_TYPE);
  ParkJsonReader reader, policy, effective, rates;

  _park_json_reader_init (&reader, object, path);
  self->currency = _park_json_dup_string (&reader, "currency", PARK_JSON_NONEMPTY);
  self->time_zone = _park_json_dup_string (&reader, "time_zone", PARK_JSON_NONEMPTY);
  if (_park_json_reader_enter (&reader, "policy", 0, &policy))
    {
      g_autoptr(JsonNode) node = json_node_alloc ();
      g_autofree char *text = NULL;
      g_autoptr(JsonNode) copy = NULL;

      /* A deep copy of its own: the answer is sealed, and the setters change the policy. */
      json_node_init_object (node, policy.object);
      text = json_to_string (node, FALSE);
      copy = json_from_string (text, NULL);
      if (copy != NULL && JSON_NODE_HOLDS_OBJECT (copy))
        self->policy = json_object_ref (json_node_get_object (copy));
      else
        _park_json_reader_fail (&reader, "policy", "cannot be copied");
      if (!_park_json_reader_failed (&reader))
        {
          g_autoptr(GTimeZone) zone = pricing_zone (self);

          read_periods (&policy, self->periods);
          read_events (&policy, zone, self->events);
          read_demand (&policy, self);
        }
    }
  if (_park_json_reader_enter (&reader, "effective", 0, &effective))
    {
      if (_park_json_reader_enter (&effective, "rates", 0, &rates))
        for (guint i = 0; i < PARK_N_SPOT_TYPES; i++)
          self->rates[i] = _park_json_get_int (&rates, g_enum_get_value (types, i)->value_nick,
                                               0, G_MAXINT64, 0, 0);
      self->increment_minutes = _park_json_get_int (&effective, "increment_minutes", 1, 60, 0, 15);
      self->daily_max = _park_json_get_int (&effective, "daily_max", 1, G_MAXINT64,
                                            PARK_JSON_NULLABLE, -1);
      self->tax_rate = _park_json_get_int (&effective, "tax_rate", 0, 10000, 0, 0);
      self->grace_minutes = _park_json_get_int (&effective, "grace_minutes", 0, 1440, 0, 10);
      self->exit_grace_minutes = _park_json_get_int (&effective, "exit_grace_minutes", 0, 1440,
                                                     0, 15);
      self->lost_ticket_fee = _park_json_get_int (&effective, "lost_ticket_fee", 0, G_MAXINT64,
                                                  0, 0);
      self->hold_minutes = _park_json_get_int (&effective, "hold_minutes", 1, 1440, 0, 10);
    }

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* The policy to send: a node of its own. */
JsonNode *
_park_pricing_dup_policy_node (ParkPricing *self)
{
  JsonNode *node = json_node_alloc ();

  json_node_init_object (node, self->policy);
  return node;
}

/**
 * park_pricing_new_from_json:
 * @object: a lot's pricing as the API describes it (`Pricing` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads it, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkPricing, or %NULL with @error set
 */
ParkPricing *
park_pricing_new_from_json (JsonObject  *object,
                            GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_pricing_new_from_json_at (object, NULL, error);
}

/**
 * park_pricing_get_currency:
 * @self: a #ParkPricing
 *
 * Returns: (transfer none): the ISO 4217 code of every amount, e.g. `EUR`
 */
const char *
park_pricing_get_currency (ParkPricing *self)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), NULL);
  return self->currency;
}

/**
 * park_pricing_get_time_zone:
 * @self: a #ParkPricing
 *
 * Returns: (transfer none): the IANA time zone of the policy's days and hours
 */
const char *
park_pricing_get_time_zone (ParkPricing *self)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), NULL);
  return self->time_zone;
}

/**
 * park_pricing_get_rate:
 * @self: a #ParkPricing
 * @spot_type: a spot type (not %PARK_SPOT_TYPE_ANY)
 *
 * Returns: the hourly rate of @spot_type in minor units, before periods, events and demand
 */
gint64
park_pricing_get_rate (ParkPricing  *self,
                       ParkSpotType  spot_type)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), -1);
  g_return_val_if_fail (spot_type >= 0 && spot_type < PARK_N_SPOT_TYPES, -1);
  return self->rates[spot_type];
}

/**
 * park_pricing_get_increment_minutes:
 * @self: a #ParkPricing
 *
 * Returns: the minutes a stay is charged in steps of
 */
gint64
park_pricing_get_increment_minutes (ParkPricing *self)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), -1);
  return self->increment_minutes;
}

/**
 * park_pricing_get_daily_max:
 * @self: a #ParkPricing
 *
 * Returns: the most a day costs in minor units, or -1 for no cap
 */
gint64
park_pricing_get_daily_max (ParkPricing *self)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), -1);
  return self->daily_max;
}

/**
 * park_pricing_get_tax_rate:
 * @self: a #ParkPricing
 *
 * Returns: the tax contained in the prices, in basis points (1900 is 19 %)
 */
gint64
park_pricing_get_tax_rate (ParkPricing *self)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), -1);
  return self->tax_rate;
}

/**
 * park_pricing_get_grace_minutes:
 * @self: a #ParkPricing
 *
 * Returns: how long a walk-in may stay for nothing
 */
gint64
park_pricing_get_grace_minutes (ParkPricing *self)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), -1);
  return self->grace_minutes;
}

/**
 * park_pricing_get_exit_grace_minutes:
 * @self: a #ParkPricing
 *
 * Returns: how long a paid car has to leave
 */
gint64
park_pricing_get_exit_grace_minutes (ParkPricing *self)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), -1);
  return self->exit_grace_minutes;
}

/**
 * park_pricing_get_lost_ticket_fee:
 * @self: a #ParkPricing
 *
 * Returns: the least a stay with a lost ticket pays, in minor units
 */
gint64
park_pricing_get_lost_ticket_fee (ParkPricing *self)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), -1);
  return self->lost_ticket_fee;
}

/**
 * park_pricing_get_hold_minutes:
 * @self: a #ParkPricing
 *
 * Returns: how long an unpaid booking holds its spot
 */
gint64
park_pricing_get_hold_minutes (ParkPricing *self)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), -1);
  return self->hold_minutes;
}

/**
 * park_pricing_dup_policy_json:
 * @self: a #ParkPricing
 *
 * The policy as it will be sent, with the setters' changes: for a log, or for a page that
 * shows the parts no setter reaches (the cancellation rules). Periods, events and demand have
 * their typed getters and setters (park_pricing_dup_periods() and the like).
 *
 * Returns: (transfer full): the policy as JSON text
 */
char *
park_pricing_dup_policy_json (ParkPricing *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (PARK_IS_PRICING (self), NULL);
  node = _park_pricing_dup_policy_node (self);
  return json_to_string (node, FALSE);
}

static void
set_policy_int (ParkPricing *self,
                const char  *member,
                gint64       value,
                gint64      *field,
                guint        prop)
{
  if (value < 0)
    json_object_set_null_member (self->policy, member);
  else
    json_object_set_int_member (self->policy, member, value);
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/**
 * park_pricing_set_rate:
 * @self: a #ParkPricing
 * @spot_type: a spot type (not %PARK_SPOT_TYPE_ANY)
 * @rate: its hourly rate in minor units, 0 to 1,000,000
 *
 * Changes the hourly rate of @spot_type in the policy.
 */
void
park_pricing_set_rate (ParkPricing  *self,
                       ParkSpotType  spot_type,
                       gint64        rate)
{
  g_autoptr(GEnumClass) types = NULL;
  JsonObject *rates;

  g_return_if_fail (PARK_IS_PRICING (self));
  g_return_if_fail (spot_type >= 0 && spot_type < PARK_N_SPOT_TYPES);
  types = g_type_class_ref (PARK_TYPE_SPOT_TYPE);
  g_return_if_fail (rate >= 0);

  if (!json_object_has_member (self->policy, "rates") ||
      json_object_get_object_member (self->policy, "rates") == NULL)
    json_object_set_object_member (self->policy, "rates", json_object_new ());
  rates = json_object_get_object_member (self->policy, "rates");
  json_object_set_int_member (rates, g_enum_get_value (types, spot_type)->value_nick, rate);
  self->rates[spot_type] = rate;
}

/**
 * park_pricing_set_increment_minutes:
 * @self: a #ParkPricing
 * @minutes: 1 to 60
 *
 * Changes the minutes a stay is charged in steps of.
 */
void
park_pricing_set_increment_minutes (ParkPricing *self,
                                    gint64       minutes)
{
  g_return_if_fail (PARK_IS_PRICING (self));
  g_return_if_fail (minutes >= 1);
  set_policy_int (self, "increment_minutes", minutes, &self->increment_minutes,
                  PROP_INCREMENT_MINUTES);
}

/**
 * park_pricing_set_daily_max:
 * @self: a #ParkPricing
 * @daily_max: the most a day costs in minor units, or -1 for no cap
 *
 * Changes the daily cap.
 */
void
park_pricing_set_daily_max (ParkPricing *self,
                            gint64       daily_max)
{
  g_return_if_fail (PARK_IS_PRICING (self));
  g_return_if_fail (daily_max == -1 || daily_max >= 1);
  set_policy_int (self, "daily_max", daily_max, &self->daily_max, PROP_DAILY_MAX);
}

/**
 * park_pricing_set_tax_rate:
 * @self: a #ParkPricing
 * @basis_points: the tax in the prices, 0 to 10000 (1900 is 19 %)
 *
 * Changes the tax rate printed on receipts.
 */
void
park_pricing_set_tax_rate (ParkPricing *self,
                           gint64       basis_points)
{
  g_return_if_fail (PARK_IS_PRICING (self));
  g_return_if_fail (basis_points >= 0);
  set_policy_int (self, "tax_rate", basis_points, &self->tax_rate, PROP_TAX_RATE);
}

/**
 * park_pricing_set_grace_minutes:
 * @self: a #ParkPricing
 * @minutes: 0 to 1440
 *
 * Changes how long a walk-in may stay for nothing.
 */
void
park_pricing_set_grace_minutes (ParkPricing *self,
                                gint64       minutes)
{
  g_return_if_fail (PARK_IS_PRICING (self));
  g_return_if_fail (minutes >= 0);
  set_policy_int (self, "grace_minutes", minutes, &self->grace_minutes, PROP_GRACE_MINUTES);
}

/**
 * park_pricing_set_exit_grace_minutes:
 * @self: a #ParkPricing
 * @minutes: 0 to 1440
 *
 * Changes how long a paid car has to leave.
 */
void
park_pricing_set_exit_grace_minutes (ParkPricing *self,
                                     gint64       minutes)
{
  g_return_if_fail (PARK_IS_PRICING (self));
  g_return_if_fail (minutes >= 0);
  set_policy_int (self, "exit_grace_minutes", minutes, &self->exit_grace_minutes,
                  PROP_EXIT_GRACE_MINUTES);
}

/**
 * park_pricing_set_lost_ticket_fee:
 * @self: a #ParkPricing
 * @fee: the least a stay with a lost ticket pays, in minor units
 *
 * Changes the lost-ticket fee.
 */
void
park_pricing_set_lost_ticket_fee (ParkPricing *self,
                                  gint64       fee)
{
  g_return_if_fail (PARK_IS_PRICING (self));
  g_return_if_fail (fee >= 0);
  set_policy_int (self, "lost_ticket_fee", fee, &self->lost_ticket_fee, PROP_LOST_TICKET_FEE);
}

/**
 * park_pricing_set_hold_minutes:
 * @self: a #ParkPricing
 * @minutes: 1 to 1440
 *
 * Changes how long an unpaid booking holds its spot.
 */
void
park_pricing_set_hold_minutes (ParkPricing *self,
                               gint64       minutes)
{
  g_return_if_fail (PARK_IS_PRICING (self));
  g_return_if_fail (minutes >= 1);
  set_policy_int (self, "hold_minutes", minutes, &self->hold_minutes, PROP_HOLD_MINUTES);
}

/* Periods, events and demand */

static GPtrArray *
dup_array (GPtrArray      *array,
           GBoxedCopyFunc  copy,
           GDestroyNotify  free_func)
{
  GPtrArray *dup = g_ptr_array_new_full (array->len, free_func);

  for (guint i = 0; i < array->len; i++)
    g_ptr_array_add (dup, copy (g_ptr_array_index (array, i)));
  return dup;
}

static gboolean
check_count (const char  *field,
             guint        n,
             guint        max,
             GError     **error)
{
  if (n <= max)
    return TRUE;
  g_propagate_error (error, _park_client_error_new_invalid_field (field,
    g_dngettext (GETTEXT_PACKAGE, "A policy may have at most %u of these.",
                 "A policy may have at most %u of these.", max), max));
  return FALSE;
}

static void
set_member_array (JsonObject *policy,
                  const char *member,
                  JsonArray  *array)
{
  if (json_array_get_length (array) == 0)
    {
      json_object_remove_member (policy, member);
      json_array_unref (array);
    }
  else
    json_object_set_array_member (policy, member, array);
}

/**
 * park_pricing_get_n_periods:
 * @self: a #ParkPricing
 *
 * Returns: how many periods of the week the policy has
 */
guint
park_pricing_get_n_periods (ParkPricing *self)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), 0);
  return self->periods->len;
}

/**
 * park_pricing_get_period:
 * @self: a #ParkPricing
 * @index: which, from 0 (the first that matches a time wins)
 *
 * Returns: (transfer none): the period, valid until the periods are set again
 */
const ParkPricingPeriod *
park_pricing_get_period (ParkPricing *self,
                         guint        index)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), NULL);
  g_return_val_if_fail (index < self->periods->len, NULL);
  return g_ptr_array_index (self->periods, index);
}

/**
 * park_pricing_dup_periods:
 * @self: a #ParkPricing
 *
 * Returns: (transfer full) (element-type ParkPricingPeriod): the periods of the week, in
 *   order (the first that matches a time wins)
 */
GPtrArray *
park_pricing_dup_periods (ParkPricing *self)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), NULL);
  return dup_array (self->periods, (GBoxedCopyFunc) park_pricing_period_copy,
                    (GDestroyNotify) park_pricing_period_free);
}

/**
 * park_pricing_set_periods:
 * @self: a #ParkPricing
 * @periods: (element-type ParkPricingPeriod) (transfer none) (nullable): the periods of the
 *   week in order (the first that matches a time wins), or %NULL for none
 * @error: return location for a #GError
 *
 * Replaces the policy's periods. More than 32 fail with %PARK_CLIENT_ERROR_VALIDATION naming
 * `periods` and change nothing.
 *
 * Returns: whether they were set
 */
gboolean
park_pricing_set_periods (ParkPricing  *self,
                          GPtrArray    *periods,
                          GError      **error)
{
  JsonArray *array;
  guint n = periods != NULL ? periods->len : 0;

  g_return_val_if_fail (PARK_IS_PRICING (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_count ("periods", n, 32, error))
    return FALSE;
  array = json_array_new ();
  g_ptr_array_set_size (self->periods, 0);
  for (guint i = 0; i < n; i++)
    {
      const ParkPricingPeriod *period = g_ptr_array_index (periods, i);
      ParkWeekdays days = park_pricing_period_get_days (period);
      guint from = park_pricing_period_get_from_minute (period);
      guint to = park_pricing_period_get_to_minute (period);
      JsonObject *object = json_object_new ();
      JsonArray *day_array = json_array_new ();
      char text[6];

      for (guint d = 0; d < 7; d++)
        if (days & (1 << d))
          json_array_add_string_element (day_array, day_keys[d]);
      json_object_set_array_member (object, "days", day_array);
      g_snprintf (text, sizeof text, "%02u:%02u", from / 60, from % 60);
      json_object_set_string_member (object, "from", text);
      g_snprintf (text, sizeof text, "%02u:%02u", to / 60, to % 60);
      json_object_set_string_member (object, "to", text);
      json_object_set_double_member (object, "multiplier",
                                     park_pricing_period_get_multiplier (period));
      if (park_pricing_period_get_label (period) != NULL)
        json_object_set_string_member (object, "label", park_pricing_period_get_label (period));
      json_array_add_object_element (array, object);
      g_ptr_array_add (self->periods, park_pricing_period_copy (period));
    }
  set_member_array (self->policy, "periods", array);
  return TRUE;
}

/**
 * park_pricing_get_n_events:
 * @self: a #ParkPricing
 *
 * Returns: how many events the policy has
 */
guint
park_pricing_get_n_events (ParkPricing *self)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), 0);
  return self->events->len;
}

/**
 * park_pricing_get_event:
 * @self: a #ParkPricing
 * @index: which, from 0 (the first that matches a time wins)
 *
 * Returns: (transfer none): the event, valid until the events are set again
 */
const ParkPricingEvent *
park_pricing_get_event (ParkPricing *self,
                        guint        index)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), NULL);
  g_return_val_if_fail (index < self->events->len, NULL);
  return g_ptr_array_index (self->events, index);
}

/**
 * park_pricing_dup_events:
 * @self: a #ParkPricing
 *
 * Returns: (transfer full) (element-type ParkPricingEvent): the events, in order, their
 *   times in the lot's time zone
 */
GPtrArray *
park_pricing_dup_events (ParkPricing *self)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), NULL);
  return dup_array (self->events, (GBoxedCopyFunc) park_pricing_event_copy,
                    (GDestroyNotify) park_pricing_event_free);
}

/**
 * park_pricing_set_events:
 * @self: a #ParkPricing
 * @events: (element-type ParkPricingEvent) (transfer none) (nullable): the events in order
 *   (the first that matches a time wins), or %NULL for none
 * @error: return location for a #GError
 *
 * Replaces the policy's events; their times are sent in the lot's local time, to the minute.
 * More than 64 fail with %PARK_CLIENT_ERROR_VALIDATION naming `events` and change nothing.
 *
 * Returns: whether they were set
 */
gboolean
park_pricing_set_events (ParkPricing  *self,
                         GPtrArray    *events,
                         GError      **error)
{
  g_autoptr(GTimeZone) zone = NULL;
  JsonArray *array;
  guint n = events != NULL ? events->len : 0;

  g_return_val_if_fail (PARK_IS_PRICING (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_count ("events", n, 64, error))
    return FALSE;
  zone = pricing_zone (self);
  array = json_array_new ();
  g_ptr_array_set_size (self->events, 0);
  for (guint i = 0; i < n; i++)
    {
      const ParkPricingEvent *event = g_ptr_array_index (events, i);
      g_autoptr(GDateTime) from = g_date_time_to_timezone (park_pricing_event_get_from (event),
                                                           zone);
      g_autoptr(GDateTime) to = g_date_time_to_timezone (park_pricing_event_get_to (event), zone);
      g_autofree char *from_text = g_date_time_format (from, "%Y-%m-%dT%H:%M");
      g_autofree char *to_text = g_date_time_format (to, "%Y-%m-%dT%H:%M");
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "from", from_text);
      json_object_set_string_member (object, "to", to_text);
      json_object_set_double_member (object, "multiplier",
                                     park_pricing_event_get_multiplier (event));
      if (park_pricing_event_get_label (event) != NULL)
        json_object_set_string_member (object, "label", park_pricing_event_get_label (event));
      json_array_add_object_element (array, object);
      g_ptr_array_add (self->events,
                       park_pricing_event_new (from, to, park_pricing_event_get_multiplier (event),
                                               park_pricing_event_get_label (event), NULL));
    }
  set_member_array (self->policy, "events", array);
  return TRUE;
}

/**
 * park_pricing_get_n_demand_steps:
 * @self: a #ParkPricing
 *
 * Returns: how many demand steps the policy has
 */
guint
park_pricing_get_n_demand_steps (ParkPricing *self)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), 0);
  return self->steps->len;
}

/**
 * park_pricing_get_demand_step:
 * @self: a #ParkPricing
 * @index: which, from 0
 *
 * Returns: (transfer none): the step, valid until the steps are set again
 */
const ParkDemandStep *
park_pricing_get_demand_step (ParkPricing *self,
                              guint        index)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), NULL);
  g_return_val_if_fail (index < self->steps->len, NULL);
  return g_ptr_array_index (self->steps, index);
}

/**
 * park_pricing_dup_demand_steps:
 * @self: a #ParkPricing
 *
 * Returns: (transfer full) (element-type ParkDemandStep): the demand steps
 */
GPtrArray *
park_pricing_dup_demand_steps (ParkPricing *self)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), NULL);
  return dup_array (self->steps, (GBoxedCopyFunc) park_demand_step_copy,
                    (GDestroyNotify) park_demand_step_free);
}

/* The policy's "demand", or NULL when it has none; made when @create. */
static JsonObject *
demand_object (ParkPricing *self,
               gboolean     create)
{
  JsonNode *node = json_object_get_member (self->policy, "demand");

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);
  if (!create)
    return NULL;
  json_object_set_object_member (self->policy, "demand", json_object_new ());
  return json_object_get_object_member (self->policy, "demand");
}

/* Drops "demand" once it says nothing. */
static void
tidy_demand (ParkPricing *self)
{
  JsonObject *demand = demand_object (self, FALSE);

  if (demand != NULL && json_object_get_size (demand) == 0)
    json_object_remove_member (self->policy, "demand");
}

/**
 * park_pricing_set_demand_steps:
 * @self: a #ParkPricing
 * @steps: (element-type ParkDemandStep) (transfer none) (nullable): the demand steps, or
 *   %NULL for none
 * @error: return location for a #GError
 *
 * Replaces the policy's demand steps (its cap and floor stay). More than 16, or two of the
 * same bound and share, fail with %PARK_CLIENT_ERROR_VALIDATION naming `demand.steps` and
 * change nothing.
 *
 * Returns: whether they were set
 */
gboolean
park_pricing_set_demand_steps (ParkPricing  *self,
                               GPtrArray    *steps,
                               GError      **error)
{
  JsonArray *array;
  guint n = steps != NULL ? steps->len : 0;

  g_return_val_if_fail (PARK_IS_PRICING (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_count ("demand.steps", n, 16, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < i; j++)
      {
        const ParkDemandStep *a = g_ptr_array_index (steps, i);
        const ParkDemandStep *b = g_ptr_array_index (steps, j);

        if (park_demand_step_get_bound (a) == park_demand_step_get_bound (b) &&
            park_demand_step_get_share (a) == park_demand_step_get_share (b))
          {
            g_propagate_error (error, _park_client_error_new_invalid_field ("demand.steps",
              _("Two demand steps have the same share of booked spots.")));
            return FALSE;
          }
      }
  array = json_array_new ();
  g_ptr_array_set_size (self->steps, 0);
  for (guint i = 0; i < n; i++)
    {
      const ParkDemandStep *step = g_ptr_array_index (steps, i);
      JsonObject *object = json_object_new ();

      json_object_set_double_member (object,
                                     park_demand_step_get_bound (step) == PARK_DEMAND_BOUND_MIN_SHARE
                                       ? "min_share" : "max_share",
                                     park_demand_step_get_share (step));
      json_object_set_double_member (object, "multiplier",
                                     park_demand_step_get_multiplier (step));
      json_array_add_object_element (array, object);
      g_ptr_array_add (self->steps, park_demand_step_copy (step));
    }
  if (n > 0)
    json_object_set_array_member (demand_object (self, TRUE), "steps", array);
  else
    {
      JsonObject *demand = demand_object (self, FALSE);

      if (demand != NULL)
        json_object_remove_member (demand, "steps");
      json_array_unref (array);
      tidy_demand (self);
    }
  return TRUE;
}

/**
 * park_pricing_get_demand_cap:
 * @self: a #ParkPricing
 *
 * Returns: the most demand may multiply the rate by, or 0 when the policy sets no cap
 */
double
park_pricing_get_demand_cap (ParkPricing *self)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), 0);
  return self->demand_cap;
}

/**
 * park_pricing_get_demand_floor:
 * @self: a #ParkPricing
 *
 * Returns: the least demand may multiply the rate by, or 0 when the policy sets no floor
 */
double
park_pricing_get_demand_floor (ParkPricing *self)
{
  g_return_val_if_fail (PARK_IS_PRICING (self), 0);
  return self->demand_floor;
}

/**
 * park_pricing_set_demand_limits:
 * @self: a #ParkPricing
 * @floor: the least demand may multiply the rate by (above 0, at most
 *   %PARK_PRICING_MULTIPLIER_MAX), or 0 for none
 * @cap: the most, likewise, or 0 for none
 * @error: return location for a #GError
 *
 * Sets the floor and cap of demand pricing. A value out of range, or a floor above the cap,
 * fails with %PARK_CLIENT_ERROR_VALIDATION naming `demand.floor` or `demand.cap` and changes
 * nothing.
 *
 * Returns: whether they were set
 */
gboolean
park_pricing_set_demand_limits (ParkPricing  *self,
                                double        floor_,
                                double        cap,
                                GError      **error)
{
  JsonObject *demand;

  g_return_val_if_fail (PARK_IS_PRICING (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!isfinite (floor_) || floor_ < 0 || floor_ > PARK_PRICING_MULTIPLIER_MAX ||
      (cap > 0 && floor_ > cap))
    {
      g_propagate_error (error, _park_client_error_new_invalid_field ("demand.floor",
        _("The demand floor must be above 0, at most 10 and not above the cap.")));
      return FALSE;
    }
  if (!isfinite (cap) || cap < 0 || cap > PARK_PRICING_MULTIPLIER_MAX)
    {
      g_propagate_error (error, _park_client_error_new_invalid_field ("demand.cap",
        _("The demand cap must be above 0 and at most 10.")));
      return FALSE;
    }
  demand = demand_object (self, TRUE);
  if (floor_ > 0)
    json_object_set_double_member (demand, "floor", floor_);
  else if (json_object_has_member (demand, "floor"))
    json_object_remove_member (demand, "floor");
  if (cap > 0)
    json_object_set_double_member (demand, "cap", cap);
  else if (json_object_has_member (demand, "cap"))
    json_object_remove_member (demand, "cap");
  tidy_demand (self);
  self->demand_floor = floor_;
  self->demand_cap = cap;
  return TRUE;
}
