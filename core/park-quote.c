/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-quote.c: the price of a stay, with its breakdown, honoured for ten minutes. */
#include "config.h"

#include "park-quote.h"
#include "park-enums.h"
#include "park-json-private.h"
#include "park-models-private.h"

struct _ParkQuote
{
  GObject parent_instance;

  char               *id;
  char               *lot_id;
  ParkSpotType        spot_type;
  GDateTime          *start_time;
  GDateTime          *end_time;
  gint64              total_cost;
  char               *currency;
  char               *time_zone;
  GDateTime          *expires_at;
  ParkPriceBreakdown *breakdown;
};

G_DEFINE_FINAL_TYPE (ParkQuote, park_quote, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_LOT_ID,
  PROP_SPOT_TYPE,
  PROP_START_TIME,
  PROP_END_TIME,
  PROP_TOTAL_COST,
  PROP_CURRENCY,
  PROP_TIME_ZONE,
  PROP_EXPIRES_AT,
  PROP_BREAKDOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_quote_finalize (GObject *object)
{
  ParkQuote *self = (ParkQuote *) object;

  g_free (self->id);
  g_free (self->lot_id);
  g_clear_pointer (&self->start_time, g_date_time_unref);
  g_clear_pointer (&self->end_time, g_date_time_unref);
  g_free (self->currency);
  g_free (self->time_zone);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_clear_object (&self->breakdown);

  G_OBJECT_CLASS (park_quote_parent_class)->finalize (object);
}

static void
park_quote_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ParkQuote *self = PARK_QUOTE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_LOT_ID:
      g_value_set_string (value, self->lot_id);
      break;
    case PROP_SPOT_TYPE:
      g_value_set_enum (value, self->spot_type);
      break;
    case PROP_START_TIME:
      g_value_set_boxed (value, self->start_time);
      break;
    case PROP_END_TIME:
      g_value_set_boxed (value, self->end_time);
      break;
    case PROP_TOTAL_COST:
      g_value_set_int64 (value, self->total_cost);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case PROP_TIME_ZONE:
      g_value_set_string (value, self->time_zone);
      break;
    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;
    case PROP_BREAKDOWN:
      g_value_set_object (value, self->breakdown);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_quote_class_init (ParkQuoteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_quote_finalize;
  object_class->get_property = park_quote_get_property;

  /**
   * ParkQuote:id:
   *
   * The quote's id: give it when booking this very stay to be charged this price.
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, RO);
  /**
   * ParkQuote:lot-id:
   *
   * The id of the lot.
   */
  properties[PROP_LOT_ID] = g_param_spec_string ("lot-id", NULL, NULL, NULL, RO);
  /**
   * ParkQuote:spot-type:
   *
   * The spot type priced.
   */
  properties[PROP_SPOT_TYPE] = g_param_spec_enum ("spot-type", NULL, NULL,
                                                  PARK_TYPE_SPOT_TYPE, PARK_SPOT_TYPE_REGULAR, RO);
  /**
   * ParkQuote:start-time:
   *
   * The start of the stay (UTC).
   */
  properties[PROP_START_TIME] = g_param_spec_boxed ("start-time", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkQuote:end-time:
   *
   * The end of the stay (UTC).
   */
  properties[PROP_END_TIME] = g_param_spec_boxed ("end-time", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkQuote:total-cost:
   *
   * The price in minor units of the currency.
   */
  properties[PROP_TOTAL_COST] = g_param_spec_int64 ("total-cost", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkQuote:currency:
   *
   * The ISO 4217 code of the price.
   */
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, RO);
  /**
   * ParkQuote:time-zone:
   *
   * The lot's IANA time zone, in which the lines are priced.
   */
  properties[PROP_TIME_ZONE] = g_param_spec_string ("time-zone", NULL, NULL, NULL, RO);
  /**
   * ParkQuote:expires-at:
   *
   * Until when the price is honoured.
   */
  properties[PROP_EXPIRES_AT] = g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkQuote:breakdown:
   *
   * How the price is made up.
   */
  properties[PROP_BREAKDOWN] = g_param_spec_object ("breakdown", NULL, NULL,
                                                    PARK_TYPE_PRICE_BREAKDOWN, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_quote_init (ParkQuote *self)
{
}

ParkQuote *
_park_quote_new_from_json_at (JsonObject  *object,
                              const char  *path,
                              GError     **error)
{
  g_autoptr(ParkQuote) self = g_object_new (PARK_TYPE_QUOTE, NULL);
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  self->id = _park_json_dup_string (&reader, "quote_id", PARK_JSON_NONEMPTY);
  self->lot_id = _park_json_dup_string (&reader, "parking_lot_id", PARK_JSON_NONEMPTY);
  self->spot_type = _park_json_get_enum (&reader, "spot_type", PARK_TYPE_SPOT_TYPE, 0,
                                         PARK_SPOT_TYPE_REGULAR);
  self->start_time = _park_json_dup_date_time (&reader, "start_time", 0);
  self->end_time = _park_json_dup_date_time (&reader, "end_time", 0);
  self->total_cost = _park_json_get_int (&reader, "total_cost", 0, G_MAXINT64, 0, 0);
  self->currency = _park_json_dup_string (&reader, "currency", PARK_JSON_NONEMPTY);
  self->time_zone = _park_json_dup_string (&reader, "time_zone", PARK_JSON_NONEMPTY);
  self->expires_at = _park_json_dup_date_time (&reader, "expires_at", 0);
  self->breakdown =
    _park_json_read_model (&reader, "breakdown", 0,
                           (ParkModelParser) _park_price_breakdown_new_from_json_at);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_quote_new_from_json:
 * @object: a quote as the API describes it (`Quote` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads a quote, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkQuote, or %NULL with @error set
 */
ParkQuote *
park_quote_new_from_json (JsonObject  *object,
                          GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_quote_new_from_json_at (object, NULL, error);
}

/**
 * park_quote_get_id:
 * @self: a #ParkQuote
 *
 * Returns: (transfer none): the quote's id: give it when booking this very stay to be charged
 *   this price
 */
const char *
park_quote_get_id (ParkQuote *self)
{
  g_return_val_if_fail (PARK_IS_QUOTE (self), NULL);
  return self->id;
}

/**
 * park_quote_get_lot_id:
 * @self: a #ParkQuote
 *
 * Returns: (transfer none): the id of the lot
 */
const char *
park_quote_get_lot_id (ParkQuote *self)
{
  g_return_val_if_fail (PARK_IS_QUOTE (self), NULL);
  return self->lot_id;
}

/**
 * park_quote_get_spot_type:
 * @self: a #ParkQuote
 *
 * Returns: the spot type priced
 */
ParkSpotType
park_quote_get_spot_type (ParkQuote *self)
{
  g_return_val_if_fail (PARK_IS_QUOTE (self), 0);
  return self->spot_type;
}

/**
 * park_quote_get_start_time:
 * @self: a #ParkQuote
 *
 * Returns: (transfer none): the start of the stay (UTC)
 */
GDateTime *
park_quote_get_start_time (ParkQuote *self)
{
  g_return_val_if_fail (PARK_IS_QUOTE (self), NULL);
  return self->start_time;
}

/**
 * park_quote_get_end_time:
 * @self: a #ParkQuote
 *
 * Returns: (transfer none): the end of the stay (UTC)
 */
GDateTime *
park_quote_get_end_time (ParkQuote *self)
{
  g_return_val_if_fail (PARK_IS_QUOTE (self), NULL);
  return self->end_time;
}

/**
 * park_quote_get_total_cost:
 * @self: a #ParkQuote
 *
 * Returns: the price in minor units of the currency
 */
gint64
park_quote_get_total_cost (ParkQuote *self)
{
  g_return_val_if_fail (PARK_IS_QUOTE (self), 0);
  return self->total_cost;
}

/**
 * park_quote_get_currency:
 * @self: a #ParkQuote
 *
 * Returns: (transfer none): the ISO 4217 code of the price
 */
const char *
park_quote_get_currency (ParkQuote *self)
{
  g_return_val_if_fail (PARK_IS_QUOTE (self), NULL);
  return self->currency;
}

/**
 * park_quote_get_time_zone:
 * @self: a #ParkQuote
 *
 * Returns: (transfer none): the lot's IANA time zone, in which the lines are priced
 */
const char *
park_quote_get_time_zone (ParkQuote *self)
{
  g_return_val_if_fail (PARK_IS_QUOTE (self), NULL);
  return self->time_zone;
}

/**
 * park_quote_get_expires_at:
 * @self: a #ParkQuote
 *
 * Returns: (transfer none): until when the price is honoured
 */
GDateTime *
park_quote_get_expires_at (ParkQuote *self)
{
  g_return_val_if_fail (PARK_IS_QUOTE (self), NULL);
  return self->expires_at;
}

/**
 * park_quote_get_breakdown:
 * @self: a #ParkQuote
 *
 * Returns: (transfer none): how the price is made up
 */
ParkPriceBreakdown *
park_quote_get_breakdown (ParkQuote *self)
{
  g_return_val_if_fail (PARK_IS_QUOTE (self), NULL);
  return self->breakdown;
}
