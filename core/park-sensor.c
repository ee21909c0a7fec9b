/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-sensor.c: a sensor device that reports spots taken and freed (`SensorDevice` in
 * openapi.json). */
#include "config.h"

#include "park-sensor.h"
#include "park-admin-models-private.h"
#include "park-enums.h"
#include "park-json-private.h"

struct _ParkSensor
{
  GObject parent_instance;

  char      *id;
  char      *operator_id;
  char      *lot_id;
  char      *name;
  GDateTime *created_at;
  GDateTime *last_seen_at;
  GDateTime *revoked_at;
  char      *key;
};

G_DEFINE_FINAL_TYPE (ParkSensor, park_sensor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_OPERATOR_ID,
  PROP_LOT_ID,
  PROP_NAME,
  PROP_CREATED_AT,
  PROP_LAST_SEEN_AT,
  PROP_REVOKED_AT,
  PROP_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_sensor_finalize (GObject *object)
{
  ParkSensor *self = (ParkSensor *) object;

  g_free (self->id);
  g_free (self->operator_id);
  g_free (self->lot_id);
  g_free (self->name);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->last_seen_at, g_date_time_unref);
  g_clear_pointer (&self->revoked_at, g_date_time_unref);
  g_free (self->key);

  G_OBJECT_CLASS (park_sensor_parent_class)->finalize (object);
}

static void
park_sensor_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ParkSensor *self = PARK_SENSOR (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_OPERATOR_ID:
      g_value_set_string (value, self->operator_id);
      break;
    case PROP_LOT_ID:
      g_value_set_string (value, self->lot_id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_LAST_SEEN_AT:
      g_value_set_boxed (value, self->last_seen_at);
      break;
    case PROP_REVOKED_AT:
      g_value_set_boxed (value, self->revoked_at);
      break;
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_sensor_class_init (ParkSensorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_sensor_finalize;
  object_class->get_property = park_sensor_get_property;

  /**
   * ParkSensor:id:
   *
   * The device's id (a UUID).
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, RO);
  /**
   * ParkSensor:operator-id:
   *
   * The id of its operator.
   */
  properties[PROP_OPERATOR_ID] = g_param_spec_string ("operator-id", NULL, NULL, NULL, RO);
  /**
   * ParkSensor:lot-id:
   *
   * The id of the one lot it may report on, or %NULL for any lot of its operator.
   */
  properties[PROP_LOT_ID] = g_param_spec_string ("lot-id", NULL, NULL, NULL, RO);
  /**
   * ParkSensor:name:
   *
   * Its name, e.g. `Gate 2 loop`.
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, RO);
  /**
   * ParkSensor:created-at:
   *
   * When it was made.
   */
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkSensor:last-seen-at:
   *
   * When it last reported, or %NULL if it never did.
   */
  properties[PROP_LAST_SEEN_AT] =
    g_param_spec_boxed ("last-seen-at", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkSensor:revoked-at:
   *
   * When its key was revoked, or %NULL while it works.
   */
  properties[PROP_REVOKED_AT] = g_param_spec_boxed ("revoked-at", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkSensor:key:
   *
   * Its key (`psk_…`), to configure the device with: only in the answer that made it, as the
   * server keeps no copy; %NULL otherwise.
   */
  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_sensor_init (ParkSensor *self)
{
}

ParkSensor *
_park_sensor_new_from_json_at (JsonObject  *object,
                                const char  *path,
                                GError     **error)
{
  g_autoptr(ParkSensor) self = g_object_new (PARK_TYPE_SENSOR, NULL);
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  self->id = _park_json_dup_string (&reader, "id", PARK_JSON_NONEMPTY);
  self->operator_id = _park_json_dup_string (&reader, "operator_id", PARK_JSON_NONEMPTY);
  self->lot_id = _park_json_dup_string (&reader, "parking_lot_id", PARK_JSON_NULLABLE);
  self->name = _park_json_dup_string (&reader, "name", PARK_JSON_NONEMPTY);
  self->created_at = _park_json_dup_date_time (&reader, "created_at", 0);
  self->last_seen_at = _park_json_dup_date_time (&reader, "last_seen_at", PARK_JSON_NULLABLE);
  self->revoked_at = _park_json_dup_date_time (&reader, "revoked_at", PARK_JSON_NULLABLE);
  self->key = _park_json_dup_string (&reader, "key", PARK_JSON_OPTIONAL);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_sensor_new_from_json:
 * @object: a sensor device that reports spots taken and freed as the API describes it
 *   (`SensorDevice` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads it, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkSensor, or %NULL with @error set
 */
ParkSensor *
park_sensor_new_from_json (JsonObject  *object,
                            GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_sensor_new_from_json_at (object, NULL, error);
}

/**
 * park_sensor_get_id:
 * @self: a #ParkSensor
 *
 * Returns: (transfer none): the device's id (a UUID)
 */
const char *
park_sensor_get_id (ParkSensor *self)
{
  g_return_val_if_fail (PARK_IS_SENSOR (self), NULL);
  return self->id;
}

/**
 * park_sensor_get_operator_id:
 * @self: a #ParkSensor
 *
 * Returns: (transfer none): the id of its operator
 */
const char *
park_sensor_get_operator_id (ParkSensor *self)
{
  g_return_val_if_fail (PARK_IS_SENSOR (self), NULL);
  return self->operator_id;
}

/**
 * park_sensor_get_lot_id:
 * @self: a #ParkSensor
 *
 * Returns: (transfer none) (nullable): the id of the one lot it may report on, or %NULL for
 *   any lot of its operator
 */
const char *
park_sensor_get_lot_id (ParkSensor *self)
{
  g_return_val_if_fail (PARK_IS_SENSOR (self), NULL);
  return self->lot_id;
}

/**
 * park_sensor_get_name:
 * @self: a #ParkSensor
 *
 * Returns: (transfer none): its name, e.g. `Gate 2 loop`
 */
const char *
park_sensor_get_name (ParkSensor *self)
{
  g_return_val_if_fail (PARK_IS_SENSOR (self), NULL);
  return self->name;
}

/**
 * park_sensor_get_created_at:
 * @self: a #ParkSensor
 *
 * Returns: (transfer none): when it was made
 */
GDateTime *
park_sensor_get_created_at (ParkSensor *self)
{
  g_return_val_if_fail (PARK_IS_SENSOR (self), NULL);
  return self->created_at;
}

/**
 * park_sensor_get_last_seen_at:
 * @self: a #ParkSensor
 *
 * Returns: (transfer none) (nullable): when it last reported, or %NULL if it never did
 */
GDateTime *
park_sensor_get_last_seen_at (ParkSensor *self)
{
  g_return_val_if_fail (PARK_IS_SENSOR (self), NULL);
  return self->last_seen_at;
}

/**
 * park_sensor_get_revoked_at:
 * @self: a #ParkSensor
 *
 * Returns: (transfer none) (nullable): when its key was revoked, or %NULL while it works
 */
GDateTime *
park_sensor_get_revoked_at (ParkSensor *self)
{
  g_return_val_if_fail (PARK_IS_SENSOR (self), NULL);
  return self->revoked_at;
}

/**
 * park_sensor_get_key:
 * @self: a #ParkSensor
 *
 * Returns: (transfer none) (nullable): its key (`psk_…`), to configure the device with: only
 *   in the answer that made it, as the server keeps no copy; %NULL otherwise
 */
const char *
park_sensor_get_key (ParkSensor *self)
{
  g_return_val_if_fail (PARK_IS_SENSOR (self), NULL);
  return self->key;
}
