/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-revenue-series.c: one operator's money in one currency, by day or by lot
 * (`RevenueSeries` in openapi.json). */
#include "config.h"

#include "park-revenue-series.h"
#include "park-admin-models-private.h"
#include "park-enums.h"
#include "park-json-private.h"

struct _ParkRevenueSeries
{
  GObject parent_instance;

  char       *operator_id;
  char       *operator_slug;
  char       *operator_name;
  char       *time_zone;
  char       *currency;
  GListStore *rows;
  gint64      payments;
  gint64      gross;
  gint64      refunds;
  gint64      refunded;
  gint64      net;
};

G_DEFINE_FINAL_TYPE (ParkRevenueSeries, park_revenue_series, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_OPERATOR_ID,
  PROP_OPERATOR_SLUG,
  PROP_OPERATOR_NAME,
  PROP_TIME_ZONE,
  PROP_CURRENCY,
  PROP_ROWS,
  PROP_PAYMENTS,
  PROP_GROSS,
  PROP_REFUNDS,
  PROP_REFUNDED,
  PROP_NET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_revenue_series_finalize (GObject *object)
{
  ParkRevenueSeries *self = (ParkRevenueSeries *) object;

  g_free (self->operator_id);
  g_free (self->operator_slug);
  g_free (self->operator_name);
  g_free (self->time_zone);
  g_free (self->currency);
  g_clear_object (&self->rows);

  G_OBJECT_CLASS (park_revenue_series_parent_class)->finalize (object);
}

static void
park_revenue_series_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ParkRevenueSeries *self = PARK_REVENUE_SERIES (object);

  switch (prop_id)
    {
    case PROP_OPERATOR_ID:
      g_value_set_string (value, self->operator_id);
      break;
    case PROP_OPERATOR_SLUG:
      g_value_set_string (value, self->operator_slug);
      break;
    case PROP_OPERATOR_NAME:
      g_value_set_string (value, self->operator_name);
      break;
    case PROP_TIME_ZONE:
      g_value_set_string (value, self->time_zone);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case PROP_ROWS:
      g_value_set_object (value, self->rows);
      break;
    case PROP_PAYMENTS:
      g_value_set_int64 (value, self->payments);
      break;
    case PROP_GROSS:
      g_value_set_int64 (value, self->gross);
      break;
    case PROP_REFUNDS:
      g_value_set_int64 (value, self->refunds);
      break;
    case PROP_REFUNDED:
      g_value_set_int64 (value, self->refunded);
      break;
    case PROP_NET:
      g_value_set_int64 (value, self->net);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_revenue_series_class_init (ParkRevenueSeriesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_revenue_series_finalize;
  object_class->get_property = park_revenue_series_get_property;

  /**
   * ParkRevenueSeries:operator-id:
   *
   * The operator's id.
   */
  properties[PROP_OPERATOR_ID] = g_param_spec_string ("operator-id", NULL, NULL, NULL, RO);
  /**
   * ParkRevenueSeries:operator-slug:
   *
   * The operator's slug.
   */
  properties[PROP_OPERATOR_SLUG] = g_param_spec_string ("operator-slug", NULL, NULL, NULL, RO);
  /**
   * ParkRevenueSeries:operator-name:
   *
   * The operator's name.
   */
  properties[PROP_OPERATOR_NAME] = g_param_spec_string ("operator-name", NULL, NULL, NULL, RO);
  /**
   * ParkRevenueSeries:time-zone:
   *
   * The operator's IANA time zone: its days.
   */
  properties[PROP_TIME_ZONE] = g_param_spec_string ("time-zone", NULL, NULL, NULL, RO);
  /**
   * ParkRevenueSeries:currency:
   *
   * The ISO 4217 code of every amount of the series.
   */
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, RO);
  /**
   * ParkRevenueSeries:rows:
   *
   * A #GListModel of #ParkRevenueRow: the days or the lots.
   */
  properties[PROP_ROWS] = g_param_spec_object ("rows", NULL, NULL, G_TYPE_LIST_MODEL, RO);
  /**
   * ParkRevenueSeries:payments:
   *
   * All the rows' payments.
   */
  properties[PROP_PAYMENTS] = g_param_spec_int64 ("payments", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkRevenueSeries:gross:
   *
   * All the rows' gross amounts, in minor units.
   */
  properties[PROP_GROSS] = g_param_spec_int64 ("gross", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkRevenueSeries:refunds:
   *
   * All the rows' refunds.
   */
  properties[PROP_REFUNDS] = g_param_spec_int64 ("refunds", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkRevenueSeries:refunded:
   *
   * All the rows' refunded amounts, in minor units.
   */
  properties[PROP_REFUNDED] = g_param_spec_int64 ("refunded", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkRevenueSeries:net:
   *
   * Gross minus refunded over all rows, in minor units.
   */
  properties[PROP_NET] = g_param_spec_int64 ("net", NULL, NULL, G_MININT64, G_MAXINT64, 0, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_revenue_series_init (ParkRevenueSeries *self)
{
}

ParkRevenueSeries *
_park_revenue_series_new_from_json_at (JsonObject  *object,
                                        const char  *path,
                                        GError     **error)
{
  g_autoptr(ParkRevenueSeries) self = g_object_new (PARK_TYPE_REVENUE_SERIES, NULL);
  ParkJsonReader reader;
  ParkJsonReader total;

  _park_json_reader_init (&reader, object, path);
  self->operator_id = _park_json_dup_string (&reader, "operator_id", PARK_JSON_NONEMPTY);
  self->operator_slug = _park_json_dup_string (&reader, "operator_slug", PARK_JSON_NONEMPTY);
  self->operator_name = _park_json_dup_string (&reader, "operator_name", 0);
  self->time_zone = _park_json_dup_string (&reader, "time_zone", PARK_JSON_NONEMPTY);
  self->currency = _park_json_dup_string (&reader, "currency", PARK_JSON_NONEMPTY);
  self->rows = g_list_store_new (PARK_TYPE_REVENUE_ROW);
  /* One or the other, by how the report is grouped. */
  _park_json_read_list (&reader, _park_json_has (&reader, "days") ? "days" : "lots", 0,
                        (ParkModelParser) _park_revenue_row_new_from_json_at,
                        self->rows);
  if (_park_json_reader_enter (&reader, "total", 0, &total))
    {
      self->payments = _park_json_get_int (&total, "payments", 0, G_MAXINT64, 0, 0);
      self->gross = _park_json_get_int (&total, "gross", 0, G_MAXINT64, 0, 0);
      self->refunds = _park_json_get_int (&total, "refunds", 0, G_MAXINT64, 0, 0);
      self->refunded = _park_json_get_int (&total, "refunded", 0, G_MAXINT64, 0, 0);
      self->net = _park_json_get_int (&total, "net", G_MININT64, G_MAXINT64, 0, 0);
    }

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_revenue_series_new_from_json:
 * @object: one operator's money in one currency, by day or by lot as the API describes it
 *   (`RevenueSeries` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads it, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkRevenueSeries, or %NULL with @error set
 */
ParkRevenueSeries *
park_revenue_series_new_from_json (JsonObject  *object,
                                    GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_revenue_series_new_from_json_at (object, NULL, error);
}

/**
 * park_revenue_series_get_operator_id:
 * @self: a #ParkRevenueSeries
 *
 * Returns: (transfer none): the operator's id
 */
const char *
park_revenue_series_get_operator_id (ParkRevenueSeries *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_SERIES (self), NULL);
  return self->operator_id;
}

/**
 * park_revenue_series_get_operator_slug:
 * @self: a #ParkRevenueSeries
 *
 * Returns: (transfer none): the operator's slug
 */
const char *
park_revenue_series_get_operator_slug (ParkRevenueSeries *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_SERIES (self), NULL);
  return self->operator_slug;
}

/**
 * park_revenue_series_get_operator_name:
 * @self: a #ParkRevenueSeries
 *
 * Returns: (transfer none): the operator's name
 */
const char *
park_revenue_series_get_operator_name (ParkRevenueSeries *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_SERIES (self), NULL);
  return self->operator_name;
}

/**
 * park_revenue_series_get_time_zone:
 * @self: a #ParkRevenueSeries
 *
 * Returns: (transfer none): the operator's IANA time zone: its days
 */
const char *
park_revenue_series_get_time_zone (ParkRevenueSeries *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_SERIES (self), NULL);
  return self->time_zone;
}

/**
 * park_revenue_series_get_currency:
 * @self: a #ParkRevenueSeries
 *
 * Returns: (transfer none): the ISO 4217 code of every amount of the series
 */
const char *
park_revenue_series_get_currency (ParkRevenueSeries *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_SERIES (self), NULL);
  return self->currency;
}

/**
 * park_revenue_series_get_rows:
 * @self: a #ParkRevenueSeries
 *
 * Returns: (transfer none): a #GListModel of #ParkRevenueRow: the days or the lots
 */
GListModel *
park_revenue_series_get_rows (ParkRevenueSeries *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_SERIES (self), NULL);
  return G_LIST_MODEL (self->rows);
}

/**
 * park_revenue_series_get_payments:
 * @self: a #ParkRevenueSeries
 *
 * Returns: all the rows' payments
 */
gint64
park_revenue_series_get_payments (ParkRevenueSeries *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_SERIES (self), -1);
  return self->payments;
}

/**
 * park_revenue_series_get_gross:
 * @self: a #ParkRevenueSeries
 *
 * Returns: all the rows' gross amounts, in minor units
 */
gint64
park_revenue_series_get_gross (ParkRevenueSeries *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_SERIES (self), -1);
  return self->gross;
}

/**
 * park_revenue_series_get_refunds:
 * @self: a #ParkRevenueSeries
 *
 * Returns: all the rows' refunds
 */
gint64
park_revenue_series_get_refunds (ParkRevenueSeries *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_SERIES (self), -1);
  return self->refunds;
}

/**
 * park_revenue_series_get_refunded:
 * @self: a #ParkRevenueSeries
 *
 * Returns: all the rows' refunded amounts, in minor units
 */
gint64
park_revenue_series_get_refunded (ParkRevenueSeries *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_SERIES (self), -1);
  return self->refunded;
}

/**
 * park_revenue_series_get_net:
 * @self: a #ParkRevenueSeries
 *
 * Returns: gross minus refunded over all rows, in minor units
 */
gint64
park_revenue_series_get_net (ParkRevenueSeries *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_SERIES (self), -1);
  return self->net;
}
