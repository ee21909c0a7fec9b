/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-operator.c: an operator: the company that runs a set of car parks (`Operator` in
 * openapi.json). */
#include "config.h"

#include "park-operator.h"
#include "park-admin-models-private.h"
#include "park-enums.h"
#include "park-json-private.h"

struct _ParkOperator
{
  GObject parent_instance;

  char      *id;
  char      *slug;
  char      *name;
  char      *city;
  char      *time_zone;
  char      *currency;
  GDateTime *created_at;
};

G_DEFINE_FINAL_TYPE (ParkOperator, park_operator, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SLUG,
  PROP_NAME,
  PROP_CITY,
  PROP_TIME_ZONE,
  PROP_CURRENCY,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_operator_finalize (GObject *object)
{
  ParkOperator *self = (ParkOperator *) object;

  g_free (self->id);
  g_free (self->slug);
  g_free (self->name);
  g_free (self->city);
  g_free (self->time_zone);
  g_free (self->currency);
  g_clear_pointer (&self->created_at, g_date_time_unref);

  G_OBJECT_CLASS (park_operator_parent_class)->finalize (object);
}

static void
park_operator_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ParkOperator *self = PARK_OPERATOR (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_SLUG:
      g_value_set_string (value, self->slug);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_CITY:
      g_value_set_string (value, self->city);
      break;
    case PROP_TIME_ZONE:
      g_value_set_string (value, self->time_zone);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
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
park_operator_class_init (ParkOperatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_operator_finalize;
  object_class->get_property = park_operator_get_property;

  /**
   * ParkOperator:id:
   *
   * The operator's id (a UUID).
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, RO);
  /**
   * ParkOperator:slug:
   *
   * Its short name in URLs and filters, e.g. `dresden-parking`.
   */
  properties[PROP_SLUG] = g_param_spec_string ("slug", NULL, NULL, NULL, RO);
  /**
   * ParkOperator:name:
   *
   * Its name, e.g. `Dresden Parking GmbH`.
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, RO);
  /**
   * ParkOperator:city:
   *
   * Its city; may be empty.
   */
  properties[PROP_CITY] = g_param_spec_string ("city", NULL, NULL, NULL, RO);
  /**
   * ParkOperator:time-zone:
   *
   * Its IANA time zone, e.g. `Europe/Berlin`: the days of its reports.
   */
  properties[PROP_TIME_ZONE] = g_param_spec_string ("time-zone", NULL, NULL, NULL, RO);
  /**
   * ParkOperator:currency:
   *
   * The ISO 4217 code of its prices, e.g. `EUR`.
   */
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, RO);
  /**
   * ParkOperator:created-at:
   *
   * When it was made.
   */
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_operator_init (ParkOperator *self)
{
}

ParkOperator *
_park_operator_new_from_json_at (JsonObject  *object,
                                  const char  *path,
                                  GError     **error)
{
  g_autoptr(ParkOperator) self = g_object_new (PARK_TYPE_OPERATOR, NULL);
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  self->id = _park_json_dup_string (&reader, "id", PARK_JSON_NONEMPTY);
  self->slug = _park_json_dup_string (&reader, "slug", PARK_JSON_NONEMPTY);
  self->name = _park_json_dup_string (&reader, "name", PARK_JSON_NONEMPTY);
  self->city = _park_json_dup_string (&reader, "city", 0);
  self->time_zone = _park_json_dup_string (&reader, "time_zone", PARK_JSON_NONEMPTY);
  self->currency = _park_json_dup_string (&reader, "currency", PARK_JSON_NONEMPTY);
  self->created_at = _park_json_dup_date_time (&reader, "created_at", 0);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_operator_new_from_json:
 * @object: an operator as the API describes it (`Operator` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads it, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkOperator, or %NULL with @error set
 */
ParkOperator *
park_operator_new_from_json (JsonObject  *object,
                              GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_operator_new_from_json_at (object, NULL, error);
}

/**
 * park_operator_get_id:
 * @self: a #ParkOperator
 *
 * Returns: (transfer none): the operator's id (a UUID)
 */
const char *
park_operator_get_id (ParkOperator *self)
{
  g_return_val_if_fail (PARK_IS_OPERATOR (self), NULL);
  return self->id;
}

/**
 * park_operator_get_slug:
 * @self: a #ParkOperator
 *
 * Returns: (transfer none): its short name in URLs and filters, e.g. `dresden-parking`
 */
const char *
park_operator_get_slug (ParkOperator *self)
{
  g_return_val_if_fail (PARK_IS_OPERATOR (self), NULL);
  return self->slug;
}

/**
 * park_operator_get_name:
 * @self: a #ParkOperator
 *
 * Returns: (transfer none): its name, e.g. `Dresden Parking GmbH`
 */
const char *
park_operator_get_name (ParkOperator *self)
{
  g_return_val_if_fail (PARK_IS_OPERATOR (self), NULL);
  return self->name;
}

/**
 * park_operator_get_city:
 * @self: a #ParkOperator
 *
 * Returns: (transfer none): its city; may be empty
 */
const char *
park_operator_get_city (ParkOperator *self)
{
  g_return_val_if_fail (PARK_IS_OPERATOR (self), NULL);
  return self->city;
}

/**
 * park_operator_get_time_zone:
 * @self: a #ParkOperator
 *
 * Returns: (transfer none): its IANA time zone, e.g. `Europe/Berlin`: the days of its reports
 */
const char *
park_operator_get_time_zone (ParkOperator *self)
{
  g_return_val_if_fail (PARK_IS_OPERATOR (self), NULL);
  return self->time_zone;
}

/**
 * park_operator_get_currency:
 * @self: a #ParkOperator
 *
 * Returns: (transfer none): the ISO 4217 code of its prices, e.g. `EUR`
 */
const char *
park_operator_get_currency (ParkOperator *self)
{
  g_return_val_if_fail (PARK_IS_OPERATOR (self), NULL);
  return self->currency;
}

/**
 * park_operator_get_created_at:
 * @self: a #ParkOperator
 *
 * Returns: (transfer none): when it was made
 */
GDateTime *
park_operator_get_created_at (ParkOperator *self)
{
  g_return_val_if_fail (PARK_IS_OPERATOR (self), NULL);
  return self->created_at;
}
