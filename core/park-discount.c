/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-discount.c: a discount code of an operator (`Discount` in openapi.json). */
#include "config.h"

#include "park-discount.h"
#include "park-admin-models-private.h"
#include "park-enums.h"
#include "park-json-private.h"

struct _ParkDiscount
{
  GObject parent_instance;

  char      *id;
  char      *operator_id;
  char      *code;
  gint64     percent_off;
  gint64     amount_off;
  gint64     max_uses;
  gint64     uses;
  GDateTime *expires_at;
  GDateTime *created_at;
};

G_DEFINE_FINAL_TYPE (ParkDiscount, park_discount, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_OPERATOR_ID,
  PROP_CODE,
  PROP_PERCENT_OFF,
  PROP_AMOUNT_OFF,
  PROP_MAX_USES,
  PROP_USES,
  PROP_EXPIRES_AT,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_discount_finalize (GObject *object)
{
  ParkDiscount *self = (ParkDiscount *) object;

  g_free (self->id);
  g_free (self->operator_id);
  g_free (self->code);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_clear_pointer (&self->created_at, g_date_time_unref);

  G_OBJECT_CLASS (park_discount_parent_class)->finalize (object);
}

static void
park_discount_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ParkDiscount *self = PARK_DISCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_OPERATOR_ID:
      g_value_set_string (value, self->operator_id);
      break;
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_PERCENT_OFF:
      g_value_set_int64 (value, self->percent_off);
      break;
    case PROP_AMOUNT_OFF:
      g_value_set_int64 (value, self->amount_off);
      break;
    case PROP_MAX_USES:
      g_value_set_int64 (value, self->max_uses);
      break;
    case PROP_USES:
      g_value_set_int64 (value, self->uses);
      break;
    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_discount_class_init (ParkDiscountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_discount_finalize;
  object_class->get_property = park_discount_get_property;

  /**
   * ParkDiscount:id:
   *
   * The code's id (a UUID).
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, RO);
  /**
   * ParkDiscount:operator-id:
   *
   * The id of its operator.
   */
  properties[PROP_OPERATOR_ID] = g_param_spec_string ("operator-id", NULL, NULL, NULL, RO);
  /**
   * ParkDiscount:code:
   *
   * The code as drivers type it, in upper case, e.g. `SUMMER10`.
   */
  properties[PROP_CODE] = g_param_spec_string ("code", NULL, NULL, NULL, RO);
  /**
   * ParkDiscount:percent-off:
   *
   * The percentage taken off, or -1 when it takes an amount off.
   */
  properties[PROP_PERCENT_OFF] = g_param_spec_int64 ("percent-off", NULL, NULL, -1, 100, -1, RO);
  /**
   * ParkDiscount:amount-off:
   *
   * The amount taken off in minor units, or -1 when it takes a percentage off.
   */
  properties[PROP_AMOUNT_OFF] =
    g_param_spec_int64 ("amount-off", NULL, NULL, -1, G_MAXINT64, -1, RO);
  /**
   * ParkDiscount:max-uses:
   *
   * How many times it may be used, or -1 for no limit.
   */
  properties[PROP_MAX_USES] = g_param_spec_int64 ("max-uses", NULL, NULL, -1, G_MAXINT64, -1, RO);
  /**
   * ParkDiscount:uses:
   *
   * How many times it has been used.
   */
  properties[PROP_USES] = g_param_spec_int64 ("uses", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkDiscount:expires-at:
   *
   * When it stops working, or %NULL for never.
   */
  properties[PROP_EXPIRES_AT] = g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkDiscount:created-at:
   *
   * When it was made.
   */
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_discount_init (ParkDiscount *self)
{
}

ParkDiscount *
_park_discount_new_from_json_at (JsonObject  *object,
                                  const char  *path,
                                  GError     **error)
{
  g_autoptr(ParkDiscount) self = g_object_new (PARK_TYPE_DISCOUNT, NULL);
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  self->id = _park_json_dup_string (&reader, "id", PARK_JSON_NONEMPTY);
  self->operator_id = _park_json_dup_string (&reader, "operator_id", PARK_JSON_NONEMPTY);
  self->code = _park_json_dup_string (&reader, "code", PARK_JSON_NONEMPTY);
  self->percent_off = _park_json_get_int (&reader, "percent_off", 1, 100, PARK_JSON_NULLABLE, -1);
  self->amount_off =
    _park_json_get_int (&reader, "amount_off", 1, G_MAXINT64, PARK_JSON_NULLABLE, -1);
  self->max_uses = _park_json_get_int (&reader, "max_uses", 1, G_MAXINT64, PARK_JSON_NULLABLE, -1);
  self->uses = _park_json_get_int (&reader, "uses", 0, G_MAXINT64, 0, 0);
  self->expires_at = _park_json_dup_date_time (&reader, "expires_at", PARK_JSON_NULLABLE);
  self->created_at = _park_json_dup_date_time (&reader, "created_at", 0);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_discount_new_from_json:
 * @object: a discount code of an operator as the API describes it (`Discount` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads it, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkDiscount, or %NULL with @error set
 */
ParkDiscount *
park_discount_new_from_json (JsonObject  *object,
                              GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_discount_new_from_json_at (object, NULL, error);
}

/**
 * park_discount_get_id:
 * @self: a #ParkDiscount
 *
 * Returns: (transfer none): the code's id (a UUID)
 */
const char *
park_discount_get_id (ParkDiscount *self)
{
  g_return_val_if_fail (PARK_IS_DISCOUNT (self), NULL);
  return self->id;
}

/**
 * park_discount_get_operator_id:
 * @self: a #ParkDiscount
 *
 * Returns: (transfer none): the id of its operator
 */
const char *
park_discount_get_operator_id (ParkDiscount *self)
{
  g_return_val_if_fail (PARK_IS_DISCOUNT (self), NULL);
  return self->operator_id;
}

/**
 * park_discount_get_code:
 * @self: a #ParkDiscount
 *
 * Returns: (transfer none): the code as drivers type it, in upper case, e.g. `SUMMER10`
 */
const char *
park_discount_get_code (ParkDiscount *self)
{
  g_return_val_if_fail (PARK_IS_DISCOUNT (self), NULL);
  return self->code;
}

/**
 * park_discount_get_percent_off:
 * @self: a #ParkDiscount
 *
 * Returns: the percentage taken off, or -1 when it takes an amount off
 */
gint64
park_discount_get_percent_off (ParkDiscount *self)
{
  g_return_val_if_fail (PARK_IS_DISCOUNT (self), -1);
  return self->percent_off;
}

/**
 * park_discount_get_amount_off:
 * @self: a #ParkDiscount
 *
 * Returns: the amount taken off in minor units, or -1 when it takes a percentage off
 */
gint64
park_discount_get_amount_off (ParkDiscount *self)
{
  g_return_val_if_fail (PARK_IS_DISCOUNT (self), -1);
  return self->amount_off;
}

/**
 * park_discount_get_max_uses:
 * @self: a #ParkDiscount
 *
 * Returns: how many times it may be used, or -1 for no limit
 */
gint64
park_discount_get_max_uses (ParkDiscount *self)
{
  g_return_val_if_fail (PARK_IS_DISCOUNT (self), -1);
  return self->max_uses;
}

/**
 * park_discount_get_uses:
 * @self: a #ParkDiscount
 *
 * Returns: how many times it has been used
 */
gint64
park_discount_get_uses (ParkDiscount *self)
{
  g_return_val_if_fail (PARK_IS_DISCOUNT (self), -1);
  return self->uses;
}

/**
 * park_discount_get_expires_at:
 * @self: a #ParkDiscount
 *
 * Returns: (transfer none) (nullable): when it stops working, or %NULL for never
 */
GDateTime *
park_discount_get_expires_at (ParkDiscount *self)
{
  g_return_val_if_fail (PARK_IS_DISCOUNT (self), NULL);
  return self->expires_at;
}

/**
 * park_discount_get_created_at:
 * @self: a #ParkDiscount
 *
 * Returns: (transfer none): when it was made
 */
GDateTime *
park_discount_get_created_at (ParkDiscount *self)
{
  g_return_val_if_fail (PARK_IS_DISCOUNT (self), NULL);
  return self->created_at;
}
