/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-price-line.c: one line of a price breakdown: a stretch of the stay at one rate. */
#include "config.h"

#include "park-price-line.h"
#include "park-enums.h"
#include "park-json-private.h"
#include "park-models-private.h"

struct _ParkPriceLine
{
  GObject parent_instance;

  GDateTime *start;
  GDateTime *end;
  gint64     minutes;
  gint64     billed_minutes;
  gint64     rate;
  double     multiplier;
  gint64     amount;
  char      *label;
};

G_DEFINE_FINAL_TYPE (ParkPriceLine, park_price_line, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_START,
  PROP_END,
  PROP_MINUTES,
  PROP_BILLED_MINUTES,
  PROP_RATE,
  PROP_MULTIPLIER,
  PROP_AMOUNT,
  PROP_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_price_line_finalize (GObject *object)
{
  ParkPriceLine *self = (ParkPriceLine *) object;

  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->end, g_date_time_unref);
  g_free (self->label);

  G_OBJECT_CLASS (park_price_line_parent_class)->finalize (object);
}

static void
park_price_line_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ParkPriceLine *self = PARK_PRICE_LINE (object);

  switch (prop_id)
    {
    case PROP_START:
      g_value_set_boxed (value, self->start);
      break;
    case PROP_END:
      g_value_set_boxed (value, self->end);
      break;
    case PROP_MINUTES:
      g_value_set_int64 (value, self->minutes);
      break;
    case PROP_BILLED_MINUTES:
      g_value_set_int64 (value, self->billed_minutes);
      break;
    case PROP_RATE:
      g_value_set_int64 (value, self->rate);
      break;
    case PROP_MULTIPLIER:
      g_value_set_double (value, self->multiplier);
      break;
    case PROP_AMOUNT:
      g_value_set_int64 (value, self->amount);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_price_line_class_init (ParkPriceLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_price_line_finalize;
  object_class->get_property = park_price_line_get_property;

  /**
   * ParkPriceLine:start:
   *
   * Where the line begins, in the lot's local time; %NULL for a lost-ticket line.
   */
  properties[PROP_START] = g_param_spec_boxed ("start", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkPriceLine:end:
   *
   * Where the line ends, in the lot's local time; %NULL for a lost-ticket line.
   */
  properties[PROP_END] = g_param_spec_boxed ("end", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkPriceLine:minutes:
   *
   * Minutes really parked in this line.
   */
  properties[PROP_MINUTES] = g_param_spec_int64 ("minutes", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkPriceLine:billed-minutes:
   *
   * Minutes billed, in whole billing increments.
   */
  properties[PROP_BILLED_MINUTES] = g_param_spec_int64 ("billed-minutes", NULL, NULL,
                                                        0, G_MAXINT64, 0, RO);
  /**
   * ParkPriceLine:rate:
   *
   * The hourly rate of the spot type before multipliers, in minor units.
   */
  properties[PROP_RATE] = g_param_spec_int64 ("rate", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkPriceLine:multiplier:
   *
   * The period's, event's and demand multipliers together (1 for a lost-ticket line).
   */
  properties[PROP_MULTIPLIER] = g_param_spec_double ("multiplier", NULL, NULL,
                                                     -G_MAXDOUBLE, G_MAXDOUBLE, 0, RO);
  /**
   * ParkPriceLine:amount:
   *
   * The line's price, in minor units.
   */
  properties[PROP_AMOUNT] = g_param_spec_int64 ("amount", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkPriceLine:label:
   *
   * What the line is, e.g. `Standard rate`, `Lost ticket`.
   */
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_price_line_init (ParkPriceLine *self)
{
}

/* A line of a price breakdown; with @lost_ticket_shape, a check-out fee's lost-ticket line,
 * which has only a label ("Lost ticket") and an amount. */
ParkPriceLine *
_park_price_line_new_from_json_at (JsonObject  *object,
                                   const char  *path,
                                   gboolean     lost_ticket_shape,
                                   GError     **error)
{
  g_autoptr(ParkPriceLine) self = g_object_new (PARK_TYPE_PRICE_LINE, NULL);
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  if (lost_ticket_shape)
    {
      self->label = _park_json_dup_string (&reader, "label", PARK_JSON_NONEMPTY);
      self->amount = _park_json_get_int (&reader, "amount", 0, G_MAXINT64, 0, 0);
      self->multiplier = 1;
    }
  else
    {
      self->start = _park_json_dup_date_time (&reader, "from", 0);
      self->end = _park_json_dup_date_time (&reader, "to", 0);
      self->minutes = _park_json_get_int (&reader, "minutes", 0, G_MAXINT64, 0, 0);
      self->billed_minutes = _park_json_get_int (&reader, "billed_minutes", 0, G_MAXINT64, 0, 0);
      self->rate = _park_json_get_int (&reader, "rate", 0, G_MAXINT64, 0, 0);
      self->multiplier = _park_json_get_double (&reader, "multiplier", G_MINDOUBLE, G_MAXDOUBLE,
                                                0, 0);
      self->amount = _park_json_get_int (&reader, "amount", 0, G_MAXINT64, 0, 0);
      self->label = _park_json_dup_string (&reader, "label", 0);
    }

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_price_line_new_from_json:
 * @object: a line as the API describes it (`PriceLine` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads a price line, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkPriceLine, or %NULL with @error set
 */
ParkPriceLine *
park_price_line_new_from_json (JsonObject  *object,
                               GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_price_line_new_from_json_at (object, NULL, FALSE, error);
}

/**
 * park_price_line_get_start:
 * @self: a #ParkPriceLine
 *
 * Returns: (transfer none) (nullable): where the line begins, in the lot's local time; %NULL for
 *   a lost-ticket line
 */
GDateTime *
park_price_line_get_start (ParkPriceLine *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_LINE (self), NULL);
  return self->start;
}

/**
 * park_price_line_get_end:
 * @self: a #ParkPriceLine
 *
 * Returns: (transfer none) (nullable): where the line ends, in the lot's local time; %NULL for a
 *   lost-ticket line
 */
GDateTime *
park_price_line_get_end (ParkPriceLine *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_LINE (self), NULL);
  return self->end;
}

/**
 * park_price_line_get_minutes:
 * @self: a #ParkPriceLine
 *
 * Returns: minutes really parked in this line
 */
gint64
park_price_line_get_minutes (ParkPriceLine *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_LINE (self), 0);
  return self->minutes;
}

/**
 * park_price_line_get_billed_minutes:
 * @self: a #ParkPriceLine
 *
 * Returns: minutes billed, in whole billing increments
 */
gint64
park_price_line_get_billed_minutes (ParkPriceLine *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_LINE (self), 0);
  return self->billed_minutes;
}

/**
 * park_price_line_get_rate:
 * @self: a #ParkPriceLine
 *
 * Returns: the hourly rate of the spot type before multipliers, in minor units
 */
gint64
park_price_line_get_rate (ParkPriceLine *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_LINE (self), 0);
  return self->rate;
}

/**
 * park_price_line_get_multiplier:
 * @self: a #ParkPriceLine
 *
 * Returns: the period's, event's and demand multipliers together (1 for a lost-ticket line)
 */
double
park_price_line_get_multiplier (ParkPriceLine *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_LINE (self), 0);
  return self->multiplier;
}

/**
 * park_price_line_get_amount:
 * @self: a #ParkPriceLine
 *
 * Returns: the line's price, in minor units
 */
gint64
park_price_line_get_amount (ParkPriceLine *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_LINE (self), 0);
  return self->amount;
}

/**
 * park_price_line_get_label:
 * @self: a #ParkPriceLine
 *
 * Returns: (transfer none): what the line is, e.g. `Standard rate`, `Lost ticket`
 */
const char *
park_price_line_get_label (ParkPriceLine *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_LINE (self), NULL);
  return self->label;
}
