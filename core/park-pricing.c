/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-pricing.c: a lot's pricing policy (`Pricing` in openapi.json): the policy as the
 * operator wrote it, and its effective values (every default filled in), which quotes use.
 *
 * An operator's page reads the effective values, changes some with the setters and sends the
 * object back with park_client_set_pricing_async(). A setter changes the policy that will be
 * sent and the value shown; the parts the setters do not reach (periods, events, demand
 * steps, cancellation rules) travel back exactly as they came.
 */
#include "config.h"

#include "park-pricing.h"
#include "park-admin-models-private.h"
#include "park-enums.h"
#include "park-json-private.h"

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
 * The policy as it will be sent, with the setters' changes: for a page that shows or edits
 * the parts the setters do not reach (periods, events, demand).
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
