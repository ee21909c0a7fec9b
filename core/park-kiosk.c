/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-kiosk.c: a kiosk at a lot, where drivers without an account book and pay (`Kiosk`
 * in openapi.json). */
#include "config.h"

#include "park-kiosk.h"
#include "park-admin-models-private.h"
#include "park-enums.h"
#include "park-json-private.h"

struct _ParkKiosk
{
  GObject parent_instance;

  char      *id;
  char      *operator_id;
  char      *lot_id;
  char      *name;
  GDateTime *created_at;
  char      *lot_name;
  GDateTime *revoked_at;
  char      *key;
};

G_DEFINE_FINAL_TYPE (ParkKiosk, park_kiosk, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_OPERATOR_ID,
  PROP_LOT_ID,
  PROP_NAME,
  PROP_CREATED_AT,
  PROP_LOT_NAME,
  PROP_REVOKED_AT,
  PROP_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_kiosk_finalize (GObject *object)
{
  ParkKiosk *self = (ParkKiosk *) object;

  g_free (self->id);
  g_free (self->operator_id);
  g_free (self->lot_id);
  g_free (self->name);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_free (self->lot_name);
  g_clear_pointer (&self->revoked_at, g_date_time_unref);
  g_free (self->key);

  G_OBJECT_CLASS (park_kiosk_parent_class)->finalize (object);
}

static void
park_kiosk_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ParkKiosk *self = PARK_KIOSK (object);

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
    case PROP_LOT_NAME:
      g_value_set_string (value, self->lot_name);
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
park_kiosk_class_init (ParkKioskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_kiosk_finalize;
  object_class->get_property = park_kiosk_get_property;

  /**
   * ParkKiosk:id:
   *
   * The kiosk's id (a UUID).
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, RO);
  /**
   * ParkKiosk:operator-id:
   *
   * The id of its operator.
   */
  properties[PROP_OPERATOR_ID] = g_param_spec_string ("operator-id", NULL, NULL, NULL, RO);
  /**
   * ParkKiosk:lot-id:
   *
   * The id of the lot it stands at.
   */
  properties[PROP_LOT_ID] = g_param_spec_string ("lot-id", NULL, NULL, NULL, RO);
  /**
   * ParkKiosk:name:
   *
   * Its name, e.g. `Entrance kiosk`.
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, RO);
  /**
   * ParkKiosk:created-at:
   *
   * When it was made.
   */
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkKiosk:lot-name:
   *
   * The name of the lot it stands at.
   */
  properties[PROP_LOT_NAME] = g_param_spec_string ("lot-name", NULL, NULL, NULL, RO);
  /**
   * ParkKiosk:revoked-at:
   *
   * When its key was revoked, or %NULL while it works.
   */
  properties[PROP_REVOKED_AT] = g_param_spec_boxed ("revoked-at", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkKiosk:key:
   *
   * Its key (`pkk_…`), to configure the kiosk with: only in the answer that made it, as the
   * server keeps no copy; %NULL otherwise.
   */
  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_kiosk_init (ParkKiosk *self)
{
}

ParkKiosk *
_park_kiosk_new_from_json_at (JsonObject  *object,
                                const char  *path,
                                GError     **error)
{
  g_autoptr(ParkKiosk) self = g_object_new (PARK_TYPE_KIOSK, NULL);
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  self->id = _park_json_dup_string (&reader, "id", PARK_JSON_NONEMPTY);
  self->operator_id = _park_json_dup_string (&reader, "operator_id", PARK_JSON_NONEMPTY);
  self->lot_id = _park_json_dup_string (&reader, "parking_lot_id", PARK_JSON_NONEMPTY);
  self->lot_name = _park_json_dup_string (&reader, "lot_name", 0);
  self->name = _park_json_dup_string (&reader, "name", PARK_JSON_NONEMPTY);
  self->created_at = _park_json_dup_date_time (&reader, "created_at", 0);
  self->revoked_at = _park_json_dup_date_time (&reader, "revoked_at", PARK_JSON_NULLABLE);
  self->key = _park_json_dup_string (&reader, "key", PARK_JSON_OPTIONAL);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_kiosk_new_from_json:
 * @object: a kiosk as the API describes it (`Kiosk` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads it, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkKiosk, or %NULL with @error set
 */
ParkKiosk *
park_kiosk_new_from_json (JsonObject  *object,
                            GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_kiosk_new_from_json_at (object, NULL, error);
}

/**
 * park_kiosk_get_id:
 * @self: a #ParkKiosk
 *
 * Returns: (transfer none): the kiosk's id (a UUID)
 */
const char *
park_kiosk_get_id (ParkKiosk *self)
{
  g_return_val_if_fail (PARK_IS_KIOSK (self), NULL);
  return self->id;
}

/**
 * park_kiosk_get_operator_id:
 * @self: a #ParkKiosk
 *
 * Returns: (transfer none): the id of its operator
 */
const char *
park_kiosk_get_operator_id (ParkKiosk *self)
{
  g_return_val_if_fail (PARK_IS_KIOSK (self), NULL);
  return self->operator_id;
}

/**
 * park_kiosk_get_lot_id:
 * @self: a #ParkKiosk
 *
 * Returns: (transfer none): the id of the lot it stands at
 */
const char *
park_kiosk_get_lot_id (ParkKiosk *self)
{
  g_return_val_if_fail (PARK_IS_KIOSK (self), NULL);
  return self->lot_id;
}

/**
 * park_kiosk_get_name:
 * @self: a #ParkKiosk
 *
 * Returns: (transfer none): its name, e.g. `Entrance kiosk`
 */
const char *
park_kiosk_get_name (ParkKiosk *self)
{
  g_return_val_if_fail (PARK_IS_KIOSK (self), NULL);
  return self->name;
}

/**
 * park_kiosk_get_created_at:
 * @self: a #ParkKiosk
 *
 * Returns: (transfer none): when it was made
 */
GDateTime *
park_kiosk_get_created_at (ParkKiosk *self)
{
  g_return_val_if_fail (PARK_IS_KIOSK (self), NULL);
  return self->created_at;
}

/**
 * park_kiosk_get_lot_name:
 * @self: a #ParkKiosk
 *
 * Returns: (transfer none): the name of the lot it stands at
 */
const char *
park_kiosk_get_lot_name (ParkKiosk *self)
{
  g_return_val_if_fail (PARK_IS_KIOSK (self), NULL);
  return self->lot_name;
}

/**
 * park_kiosk_get_revoked_at:
 * @self: a #ParkKiosk
 *
 * Returns: (transfer none) (nullable): when its key was revoked, or %NULL while it works
 */
GDateTime *
park_kiosk_get_revoked_at (ParkKiosk *self)
{
  g_return_val_if_fail (PARK_IS_KIOSK (self), NULL);
  return self->revoked_at;
}

/**
 * park_kiosk_get_key:
 * @self: a #ParkKiosk
 *
 * Returns: (transfer none) (nullable): its key (`pkk_…`), to configure the kiosk with: only
 *   in the answer that made it, as the server keeps no copy; %NULL otherwise
 */
const char *
park_kiosk_get_key (ParkKiosk *self)
{
  g_return_val_if_fail (PARK_IS_KIOSK (self), NULL);
  return self->key;
}
