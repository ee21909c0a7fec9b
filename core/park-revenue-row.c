/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-revenue-row.c: one day's or one lot's money in a revenue report (`RevenueDay and
 * RevenueLot` in openapi.json). */
#include "config.h"

#include "park-revenue-row.h"
#include "park-admin-models-private.h"
#include "park-enums.h"
#include "park-json-private.h"

struct _ParkRevenueRow
{
  GObject parent_instance;

  char      *date;
  GDateTime *start;
  GDateTime *end;
  char      *lot_id;
  char      *lot_name;
  gint64     payments;
  gint64     gross;
  gint64     refunds;
  gint64     refunded;
  gint64     net;
};

G_DEFINE_FINAL_TYPE (ParkRevenueRow, park_revenue_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATE,
  PROP_START,
  PROP_END,
  PROP_LOT_ID,
  PROP_LOT_NAME,
  PROP_PAYMENTS,
  PROP_GROSS,
  PROP_REFUNDS,
  PROP_REFUNDED,
  PROP_NET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_revenue_row_finalize (GObject *object)
{
  ParkRevenueRow *self = (ParkRevenueRow *) object;

  g_free (self->date);
  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->end, g_date_time_unref);
  g_free (self->lot_id);
  g_free (self->lot_name);

  G_OBJECT_CLASS (park_revenue_row_parent_class)->finalize (object);
}

static void
park_revenue_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ParkRevenueRow *self = PARK_REVENUE_ROW (object);

  switch (prop_id)
    {
    case PROP_DATE:
      g_value_set_string (value, self->date);
      break;
    case PROP_START:
      g_value_set_boxed (value, self->start);
      break;
    case PROP_END:
      g_value_set_boxed (value, self->end);
      break;
    case PROP_LOT_ID:
      g_value_set_string (value, self->lot_id);
      break;
    case PROP_LOT_NAME:
      g_value_set_string (value, self->lot_name);
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
park_revenue_row_class_init (ParkRevenueRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_revenue_row_finalize;
  object_class->get_property = park_revenue_row_get_property;

  /**
   * ParkRevenueRow:date:
   *
   * By day: the operator's local date, e.g. `2025-03-09`; %NULL by lot.
   */
  properties[PROP_DATE] = g_param_spec_string ("date", NULL, NULL, NULL, RO);
  /**
   * ParkRevenueRow:start:
   *
   * By day: the day's start (or the period's, for the first day); %NULL by lot.
   */
  properties[PROP_START] = g_param_spec_boxed ("start", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkRevenueRow:end:
   *
   * By day: the day's end (or the period's, for the last day); %NULL by lot.
   */
  properties[PROP_END] = g_param_spec_boxed ("end", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkRevenueRow:lot-id:
   *
   * By lot: the lot's id; %NULL by day.
   */
  properties[PROP_LOT_ID] = g_param_spec_string ("lot-id", NULL, NULL, NULL, RO);
  /**
   * ParkRevenueRow:lot-name:
   *
   * By lot: the lot's name; %NULL by day.
   */
  properties[PROP_LOT_NAME] = g_param_spec_string ("lot-name", NULL, NULL, NULL, RO);
  /**
   * ParkRevenueRow:payments:
   *
   * How many payments went through.
   */
  properties[PROP_PAYMENTS] = g_param_spec_int64 ("payments", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkRevenueRow:gross:
   *
   * Their amounts, in minor units.
   */
  properties[PROP_GROSS] = g_param_spec_int64 ("gross", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkRevenueRow:refunds:
   *
   * How many refunds were made.
   */
  properties[PROP_REFUNDS] = g_param_spec_int64 ("refunds", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkRevenueRow:refunded:
   *
   * Their amounts, in minor units.
   */
  properties[PROP_REFUNDED] = g_param_spec_int64 ("refunded", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkRevenueRow:net:
   *
   * Gross minus refunded, in minor units.
   */
  properties[PROP_NET] = g_param_spec_int64 ("net", NULL, NULL, G_MININT64, G_MAXINT64, 0, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_revenue_row_init (ParkRevenueRow *self)
{
}

ParkRevenueRow *
_park_revenue_row_new_from_json_at (JsonObject  *object,
                                     const char  *path,
                                     GError     **error)
{
  g_autoptr(ParkRevenueRow) self = g_object_new (PARK_TYPE_REVENUE_ROW, NULL);
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  self->date = _park_json_dup_string (&reader, "date", PARK_JSON_OPTIONAL);
  self->start = _park_json_dup_date_time (&reader, "start", PARK_JSON_OPTIONAL);
  self->end = _park_json_dup_date_time (&reader, "end", PARK_JSON_OPTIONAL);
  self->lot_id = _park_json_dup_string (&reader, "lot_id", PARK_JSON_OPTIONAL);
  self->lot_name = _park_json_dup_string (&reader, "lot_name", PARK_JSON_OPTIONAL);
  self->payments = _park_json_get_int (&reader, "payments", 0, G_MAXINT64, 0, 0);
  self->gross = _park_json_get_int (&reader, "gross", 0, G_MAXINT64, 0, 0);
  self->refunds = _park_json_get_int (&reader, "refunds", 0, G_MAXINT64, 0, 0);
  self->refunded = _park_json_get_int (&reader, "refunded", 0, G_MAXINT64, 0, 0);
  self->net = _park_json_get_int (&reader, "net", G_MININT64, G_MAXINT64, 0, 0);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_revenue_row_new_from_json:
 * @object: one day's or one lot's money in a revenue report as the API describes it
 *   (`RevenueDay and RevenueLot` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads it, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkRevenueRow, or %NULL with @error set
 */
ParkRevenueRow *
park_revenue_row_new_from_json (JsonObject  *object,
                                 GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_revenue_row_new_from_json_at (object, NULL, error);
}

/**
 * park_revenue_row_get_date:
 * @self: a #ParkRevenueRow
 *
 * Returns: (transfer none) (nullable): by day: the operator's local date, e.g. `2025-03-09`;
 *   %NULL by lot
 */
const char *
park_revenue_row_get_date (ParkRevenueRow *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_ROW (self), NULL);
  return self->date;
}

/**
 * park_revenue_row_get_start:
 * @self: a #ParkRevenueRow
 *
 * Returns: (transfer none) (nullable): by day: the day's start (or the period's, for the first
 *   day); %NULL by lot
 */
GDateTime *
park_revenue_row_get_start (ParkRevenueRow *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_ROW (self), NULL);
  return self->start;
}

/**
 * park_revenue_row_get_end:
 * @self: a #ParkRevenueRow
 *
 * Returns: (transfer none) (nullable): by day: the day's end (or the period's, for the last
 *   day); %NULL by lot
 */
GDateTime *
park_revenue_row_get_end (ParkRevenueRow *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_ROW (self), NULL);
  return self->end;
}

/**
 * park_revenue_row_get_lot_id:
 * @self: a #ParkRevenueRow
 *
 * Returns: (transfer none) (nullable): by lot: the lot's id; %NULL by day
 */
const char *
park_revenue_row_get_lot_id (ParkRevenueRow *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_ROW (self), NULL);
  return self->lot_id;
}

/**
 * park_revenue_row_get_lot_name:
 * @self: a #ParkRevenueRow
 *
 * Returns: (transfer none) (nullable): by lot: the lot's name; %NULL by day
 */
const char *
park_revenue_row_get_lot_name (ParkRevenueRow *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_ROW (self), NULL);
  return self->lot_name;
}

/**
 * park_revenue_row_get_payments:
 * @self: a #ParkRevenueRow
 *
 * Returns: how many payments went through
 */
gint64
park_revenue_row_get_payments (ParkRevenueRow *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_ROW (self), -1);
  return self->payments;
}

/**
 * park_revenue_row_get_gross:
 * @self: a #ParkRevenueRow
 *
 * Returns: their amounts, in minor units
 */
gint64
park_revenue_row_get_gross (ParkRevenueRow *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_ROW (self), -1);
  return self->gross;
}

/**
 * park_revenue_row_get_refunds:
 * @self: a #ParkRevenueRow
 *
 * Returns: how many refunds were made
 */
gint64
park_revenue_row_get_refunds (ParkRevenueRow *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_ROW (self), -1);
  return self->refunds;
}

/**
 * park_revenue_row_get_refunded:
 * @self: a #ParkRevenueRow
 *
 * Returns: their amounts, in minor units
 */
gint64
park_revenue_row_get_refunded (ParkRevenueRow *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_ROW (self), -1);
  return self->refunded;
}

/**
 * park_revenue_row_get_net:
 * @self: a #ParkRevenueRow
 *
 * Returns: gross minus refunded, in minor units
 */
gint64
park_revenue_row_get_net (ParkRevenueRow *self)
{
  g_return_val_if_fail (PARK_IS_REVENUE_ROW (self), -1);
  return self->net;
}
