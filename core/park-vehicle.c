/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-vehicle.c: a vehicle on the signed-in driver's account. */
#include "config.h"

#include "park-vehicle.h"
#include "park-enums.h"
#include "park-json-private.h"
#include "park-models-private.h"

struct _ParkVehicle
{
  GObject parent_instance;

  char      *id;
  char      *plate;
  char      *plate_normalized;
  char      *country;
  char      *nickname;
  GDateTime *created_at;
};

G_DEFINE_FINAL_TYPE (ParkVehicle, park_vehicle, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PLATE,
  PROP_PLATE_NORMALIZED,
  PROP_COUNTRY,
  PROP_NICKNAME,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_vehicle_finalize (GObject *object)
{
  ParkVehicle *self = (ParkVehicle *) object;

  g_free (self->id);
  g_free (self->plate);
  g_free (self->plate_normalized);
  g_free (self->country);
  g_free (self->nickname);
  g_clear_pointer (&self->created_at, g_date_time_unref);

  G_OBJECT_CLASS (park_vehicle_parent_class)->finalize (object);
}

static void
park_vehicle_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ParkVehicle *self = PARK_VEHICLE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_PLATE:
      g_value_set_string (value, self->plate);
      break;
    case PROP_PLATE_NORMALIZED:
      g_value_set_string (value, self->plate_normalized);
      break;
    case PROP_COUNTRY:
      g_value_set_string (value, self->country);
      break;
    case PROP_NICKNAME:
      g_value_set_string (value, self->nickname);
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
park_vehicle_class_init (ParkVehicleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_vehicle_finalize;
  object_class->get_property = park_vehicle_get_property;

  /**
   * ParkVehicle:id:
   *
   * The vehicle's id (a UUID).
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, RO);
  /**
   * ParkVehicle:plate:
   *
   * The number plate as written, in upper case, e.g. `B-MW 1234`.
   */
  properties[PROP_PLATE] = g_param_spec_string ("plate", NULL, NULL, NULL, RO);
  /**
   * ParkVehicle:plate-normalized:
   *
   * The plate's letters and digits only, e.g. `BMW1234`.
   */
  properties[PROP_PLATE_NORMALIZED] = g_param_spec_string ("plate-normalized", NULL, NULL,
                                                           NULL, RO);
  /**
   * ParkVehicle:country:
   *
   * The ISO 3166-1 alpha-2 country code, or %NULL.
   */
  properties[PROP_COUNTRY] = g_param_spec_string ("country", NULL, NULL, NULL, RO);
  /**
   * ParkVehicle:nickname:
   *
   * The name the driver gave it; empty when none.
   */
  properties[PROP_NICKNAME] = g_param_spec_string ("nickname", NULL, NULL, NULL, RO);
  /**
   * ParkVehicle:created-at:
   *
   * When it was added.
   */
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_vehicle_init (ParkVehicle *self)
{
}

ParkVehicle *
_park_vehicle_new_from_json_at (JsonObject  *object,
                                const char  *path,
                                GError     **error)
{
  g_autoptr(ParkVehicle) self = g_object_new (PARK_TYPE_VEHICLE, NULL);
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  self->id = _park_json_dup_string (&reader, "id", PARK_JSON_NONEMPTY);
  self->plate = _park_json_dup_string (&reader, "plate", PARK_JSON_NONEMPTY);
  self->plate_normalized = _park_json_dup_string (&reader, "plate_normalized", PARK_JSON_NONEMPTY);
  self->country = _park_json_dup_string (&reader, "country", PARK_JSON_NULLABLE);
  self->nickname = _park_json_dup_string (&reader, "nickname", 0);
  self->created_at = _park_json_dup_date_time (&reader, "created_at", 0);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_vehicle_new_from_json:
 * @object: a vehicle as the API describes it (`Vehicle` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads a vehicle, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkVehicle, or %NULL with @error set
 */
ParkVehicle *
park_vehicle_new_from_json (JsonObject  *object,
                            GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_vehicle_new_from_json_at (object, NULL, error);
}

/**
 * park_vehicle_get_id:
 * @self: a #ParkVehicle
 *
 * Returns: (transfer none): the vehicle's id (a UUID)
 */
const char *
park_vehicle_get_id (ParkVehicle *self)
{
  g_return_val_if_fail (PARK_IS_VEHICLE (self), NULL);
  return self->id;
}

/**
 * park_vehicle_get_plate:
 * @self: a #ParkVehicle
 *
 * Returns: (transfer none): the number plate as written, in upper case, e.g. `B-MW 1234`
 */
const char *
park_vehicle_get_plate (ParkVehicle *self)
{
  g_return_val_if_fail (PARK_IS_VEHICLE (self), NULL);
  return self->plate;
}

/**
 * park_vehicle_get_plate_normalized:
 * @self: a #ParkVehicle
 *
 * Returns: (transfer none): the plate's letters and digits only, e.g. `BMW1234`
 */
const char *
park_vehicle_get_plate_normalized (ParkVehicle *self)
{
  g_return_val_if_fail (PARK_IS_VEHICLE (self), NULL);
  return self->plate_normalized;
}

/**
 * park_vehicle_get_country:
 * @self: a #ParkVehicle
 *
 * Returns: (transfer none) (nullable): the ISO 3166-1 alpha-2 country code, or %NULL
 */
const char *
park_vehicle_get_country (ParkVehicle *self)
{
  g_return_val_if_fail (PARK_IS_VEHICLE (self), NULL);
  return self->country;
}

/**
 * park_vehicle_get_nickname:
 * @self: a #ParkVehicle
 *
 * Returns: (transfer none): the name the driver gave it; empty when none
 */
const char *
park_vehicle_get_nickname (ParkVehicle *self)
{
  g_return_val_if_fail (PARK_IS_VEHICLE (self), NULL);
  return self->nickname;
}

/**
 * park_vehicle_get_created_at:
 * @self: a #ParkVehicle
 *
 * Returns: (transfer none): when it was added
 */
GDateTime *
park_vehicle_get_created_at (ParkVehicle *self)
{
  g_return_val_if_fail (PARK_IS_VEHICLE (self), NULL);
  return self->created_at;
}
