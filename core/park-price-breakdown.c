/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-price-breakdown.c: how a price is made up: its lines, caps, discounts and tax. */
#include "config.h"

#include "park-price-breakdown.h"
#include "park-enums.h"
#include "park-json-private.h"
#include "park-models-private.h"

struct _ParkPriceBreakdown
{
  GObject parent_instance;

  GListStore *lines;
  gint64      subtotal;
  gint64      cap_discount;
  double      demand_multiplier;
  gint64      discount;
  gint64      total;
  gint64      tax;
  int         tax_rate;
  char       *currency;
  char       *validation_code;
  gint64      validation_amount_off;
  gint64      due;
};

G_DEFINE_FINAL_TYPE (ParkPriceBreakdown, park_price_breakdown, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LINES,
  PROP_SUBTOTAL,
  PROP_CAP_DISCOUNT,
  PROP_DEMAND_MULTIPLIER,
  PROP_DISCOUNT,
  PROP_TOTAL,
  PROP_TAX,
  PROP_TAX_RATE,
  PROP_CURRENCY,
  PROP_VALIDATION_CODE,
  PROP_VALIDATION_AMOUNT_OFF,
  PROP_DUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_price_breakdown_finalize (GObject *object)
{
  ParkPriceBreakdown *self = (ParkPriceBreakdown *) object;

  g_clear_object (&self->lines);
  g_free (self->currency);
  g_free (self->validation_code);

  G_OBJECT_CLASS (park_price_breakdown_parent_class)->finalize (object);
}

static void
park_price_breakdown_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ParkPriceBreakdown *self = PARK_PRICE_BREAKDOWN (object);

  switch (prop_id)
    {
    case PROP_LINES:
      g_value_set_object (value, self->lines);
      break;
    case PROP_SUBTOTAL:
      g_value_set_int64 (value, self->subtotal);
      break;
    case PROP_CAP_DISCOUNT:
      g_value_set_int64 (value, self->cap_discount);
      break;
    case PROP_DEMAND_MULTIPLIER:
      g_value_set_double (value, self->demand_multiplier);
      break;
    case PROP_DISCOUNT:
      g_value_set_int64 (value, self->discount);
      break;
    case PROP_TOTAL:
      g_value_set_int64 (value, self->total);
      break;
    case PROP_TAX:
      g_value_set_int64 (value, self->tax);
      break;
    case PROP_TAX_RATE:
      g_value_set_int (value, self->tax_rate);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case PROP_VALIDATION_CODE:
      g_value_set_string (value, self->validation_code);
      break;
    case PROP_VALIDATION_AMOUNT_OFF:
      g_value_set_int64 (value, self->validation_amount_off);
      break;
    case PROP_DUE:
      g_value_set_int64 (value, self->due);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_price_breakdown_class_init (ParkPriceBreakdownClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_price_breakdown_finalize;
  object_class->get_property = park_price_breakdown_get_property;

  /**
   * ParkPriceBreakdown:lines:
   *
   * The lines in time order, a #GListModel of #ParkPriceLine.
   */
  properties[PROP_LINES] = g_param_spec_object ("lines", NULL, NULL, G_TYPE_LIST_MODEL, RO);
  /**
   * ParkPriceBreakdown:subtotal:
   *
   * The sum of the lines, in minor units.
   */
  properties[PROP_SUBTOTAL] = g_param_spec_int64 ("subtotal", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkPriceBreakdown:cap-discount:
   *
   * What the daily maximum took off.
   */
  properties[PROP_CAP_DISCOUNT] = g_param_spec_int64 ("cap-discount", NULL, NULL,
                                                      0, G_MAXINT64, 0, RO);
  /**
   * ParkPriceBreakdown:demand-multiplier:
   *
   * The demand multiplier included in the lines' multipliers (1 when not priced by demand).
   */
  properties[PROP_DEMAND_MULTIPLIER] = g_param_spec_double ("demand-multiplier", NULL, NULL,
                                                            -G_MAXDOUBLE, G_MAXDOUBLE, 0, RO);
  /**
   * ParkPriceBreakdown:discount:
   *
   * What a discount code took off.
   */
  properties[PROP_DISCOUNT] = g_param_spec_int64 ("discount", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkPriceBreakdown:total:
   *
   * The price, tax included, in minor units.
   */
  properties[PROP_TOTAL] = g_param_spec_int64 ("total", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkPriceBreakdown:tax:
   *
   * The tax contained in the total.
   */
  properties[PROP_TAX] = g_param_spec_int64 ("tax", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkPriceBreakdown:tax-rate:
   *
   * The tax rate in basis points: 1900 is 19 %.
   */
  properties[PROP_TAX_RATE] = g_param_spec_int ("tax-rate", NULL, NULL, G_MININT, G_MAXINT, 0, RO);
  /**
   * ParkPriceBreakdown:currency:
   *
   * The ISO 4217 code of the amounts.
   */
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, RO);
  /**
   * ParkPriceBreakdown:validation-code:
   *
   * The validation or discount code taken off at check-out, or %NULL.
   */
  properties[PROP_VALIDATION_CODE] = g_param_spec_string ("validation-code", NULL, NULL, NULL, RO);
  /**
   * ParkPriceBreakdown:validation-amount-off:
   *
   * What that code took off.
   */
  properties[PROP_VALIDATION_AMOUNT_OFF] = g_param_spec_int64 ("validation-amount-off", NULL, NULL,
                                                               0, G_MAXINT64, 0, RO);
  /**
   * ParkPriceBreakdown:due:
   *
   * What is left to pay after a validation (the total without one).
   */
  properties[PROP_DUE] = g_param_spec_int64 ("due", NULL, NULL, 0, G_MAXINT64, 0, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_price_breakdown_init (ParkPriceBreakdown *self)
{
  self->lines = g_list_store_new (PARK_TYPE_PRICE_LINE);
}

/* A PriceBreakdown; with @fee, also the short shape of a check-out fee (FeeBreakdown in
 * openapi.json): {lines: [] or one lost-ticket line, total, currency}, told apart from a full
 * breakdown by its lack of `subtotal`. */
static ParkPriceBreakdown *
parse (JsonObject  *object,
       const char  *path,
       gboolean     fee,
       GError     **error)
{
  g_autoptr(ParkPriceBreakdown) self = g_object_new (PARK_TYPE_PRICE_BREAKDOWN, NULL);
  ParkJsonReader reader, validation;
  gboolean short_shape;
  JsonArray *lines;

  _park_json_reader_init (&reader, object, path);
  short_shape = fee && !_park_json_has (&reader, "subtotal");
  lines = _park_json_get_array (&reader, "lines", 0);
  if (lines != NULL && short_shape && json_array_get_length (lines) > 1)
    _park_json_reader_fail (&reader, "lines", "has more than one lost-ticket line");
  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    {
      g_autofree char *line_path = NULL;
      g_autoptr(ParkPriceLine) line = NULL;
      JsonObject *item = _park_json_array_get_object (&reader, "lines", lines, i, &line_path);

      if (item == NULL)
        break;
      line = _park_price_line_new_from_json_at (item, line_path, short_shape, reader.error);
      if (line == NULL)
        break;
      g_list_store_append (self->lines, line);
    }
  self->total = _park_json_get_int (&reader, "total", 0, G_MAXINT64, 0, 0);
  self->currency = _park_json_dup_string (&reader, "currency", PARK_JSON_NONEMPTY);
  if (short_shape)
    {
      /* Nothing charged, or a lost ticket: one flat amount, no tax worked out. */
      self->subtotal = self->total;
      self->demand_multiplier = 1;
    }
  else
    {
      self->subtotal = _park_json_get_int (&reader, "subtotal", 0, G_MAXINT64, 0, 0);
      self->cap_discount = _park_json_get_int (&reader, "cap_discount", 0, G_MAXINT64, 0, 0);
      self->demand_multiplier = _park_json_get_double (&reader, "demand_multiplier",
                                                       G_MINDOUBLE, 10, 0, 0);
      self->discount = _park_json_get_int (&reader, "discount", 0, G_MAXINT64, 0, 0);
      self->tax = _park_json_get_int (&reader, "tax", 0, G_MAXINT64, 0, 0);
      self->tax_rate = _park_json_get_int (&reader, "tax_rate", 0, 10000, 0, 0);
    }
  if (_park_json_reader_enter (&reader, "validation", PARK_JSON_OPTIONAL, &validation))
    {
      self->validation_code = _park_json_dup_string (&validation, "code", 0);
      self->validation_amount_off = _park_json_get_int (&validation, "amount_off",
                                                        0, G_MAXINT64, 0, 0);
    }
  self->due = _park_json_get_int (&reader, "due", 0, G_MAXINT64, PARK_JSON_OPTIONAL,
                                  self->total);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

ParkPriceBreakdown *
_park_price_breakdown_new_from_json_at (JsonObject  *object,
                                        const char  *path,
                                        GError     **error)
{
  return parse (object, path, FALSE, error);
}

ParkPriceBreakdown *
_park_price_breakdown_new_fee_from_json_at (JsonObject  *object,
                                            const char  *path,
                                            GError     **error)
{
  return parse (object, path, TRUE, error);
}

/**
 * park_price_breakdown_new_from_json:
 * @object: a breakdown as the API describes it (`PriceBreakdown` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads a price breakdown, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkPriceBreakdown, or %NULL with @error set
 */
ParkPriceBreakdown *
park_price_breakdown_new_from_json (JsonObject  *object,
                                    GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_price_breakdown_new_from_json_at (object, NULL, error);
}

/**
 * park_price_breakdown_get_lines:
 * @self: a #ParkPriceBreakdown
 *
 * Returns: (transfer none): the lines in time order, a #GListModel of #ParkPriceLine
 */
GListModel *
park_price_breakdown_get_lines (ParkPriceBreakdown *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_BREAKDOWN (self), NULL);
  return G_LIST_MODEL (self->lines);
}

/**
 * park_price_breakdown_get_subtotal:
 * @self: a #ParkPriceBreakdown
 *
 * Returns: the sum of the lines, in minor units
 */
gint64
park_price_breakdown_get_subtotal (ParkPriceBreakdown *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_BREAKDOWN (self), 0);
  return self->subtotal;
}

/**
 * park_price_breakdown_get_cap_discount:
 * @self: a #ParkPriceBreakdown
 *
 * Returns: what the daily maximum took off
 */
gint64
park_price_breakdown_get_cap_discount (ParkPriceBreakdown *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_BREAKDOWN (self), 0);
  return self->cap_discount;
}

/**
 * park_price_breakdown_get_demand_multiplier:
 * @self: a #ParkPriceBreakdown
 *
 * Returns: the demand multiplier included in the lines' multipliers (1 when not priced by demand)
 */
double
park_price_breakdown_get_demand_multiplier (ParkPriceBreakdown *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_BREAKDOWN (self), 0);
  return self->demand_multiplier;
}

/**
 * park_price_breakdown_get_discount:
 * @self: a #ParkPriceBreakdown
 *
 * Returns: what a discount code took off
 */
gint64
park_price_breakdown_get_discount (ParkPriceBreakdown *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_BREAKDOWN (self), 0);
  return self->discount;
}

/**
 * park_price_breakdown_get_total:
 * @self: a #ParkPriceBreakdown
 *
 * Returns: the price, tax included, in minor units
 */
gint64
park_price_breakdown_get_total (ParkPriceBreakdown *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_BREAKDOWN (self), 0);
  return self->total;
}

/**
 * park_price_breakdown_get_tax:
 * @self: a #ParkPriceBreakdown
 *
 * Returns: the tax contained in the total
 */
gint64
park_price_breakdown_get_tax (ParkPriceBreakdown *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_BREAKDOWN (self), 0);
  return self->tax;
}

/**
 * park_price_breakdown_get_tax_rate:
 * @self: a #ParkPriceBreakdown
 *
 * Returns: the tax rate in basis points: 1900 is 19 %
 */
int
park_price_breakdown_get_tax_rate (ParkPriceBreakdown *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_BREAKDOWN (self), 0);
  return self->tax_rate;
}

/**
 * park_price_breakdown_get_currency:
 * @self: a #ParkPriceBreakdown
 *
 * Returns: (transfer none): the ISO 4217 code of the amounts
 */
const char *
park_price_breakdown_get_currency (ParkPriceBreakdown *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_BREAKDOWN (self), NULL);
  return self->currency;
}

/**
 * park_price_breakdown_get_validation_code:
 * @self: a #ParkPriceBreakdown
 *
 * Returns: (transfer none) (nullable): the validation or discount code taken off at check-out, or
 *   %NULL
 */
const char *
park_price_breakdown_get_validation_code (ParkPriceBreakdown *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_BREAKDOWN (self), NULL);
  return self->validation_code;
}

/**
 * park_price_breakdown_get_validation_amount_off:
 * @self: a #ParkPriceBreakdown
 *
 * Returns: what that code took off
 */
gint64
park_price_breakdown_get_validation_amount_off (ParkPriceBreakdown *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_BREAKDOWN (self), 0);
  return self->validation_amount_off;
}

/**
 * park_price_breakdown_get_due:
 * @self: a #ParkPriceBreakdown
 *
 * Returns: what is left to pay after a validation (the total without one)
 */
gint64
park_price_breakdown_get_due (ParkPriceBreakdown *self)
{
  g_return_val_if_fail (PARK_IS_PRICE_BREAKDOWN (self), 0);
  return self->due;
}
