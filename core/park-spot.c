/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-spot.c: one parking spot of a lot and its state. */
#include "config.h"

#include "park-spot.h"
#include "park-enums.h"
#include "park-json-private.h"
#include "park-models-private.h"

struct _ParkSpot
{
  GObject parent_instance;

  char          *id;
  char          *lot_id;
  char          *number;
  ParkSpotType   spot_type;
  int            level;
  ParkSpotState  state;
  GDateTime     *updated_at;
  gboolean       stale;         /* served from the offline cache */
};

G_DEFINE_FINAL_TYPE (ParkSpot, park_spot, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_LOT_ID,
  PROP_NUMBER,
  PROP_SPOT_TYPE,
  PROP_LEVEL,
  PROP_STATE,
  PROP_UPDATED_AT,
  PROP_STALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_spot_finalize (GObject *object)
{
  ParkSpot *self = (ParkSpot *) object;

  g_free (self->id);
  g_free (self->lot_id);
  g_free (self->number);
  g_clear_pointer (&self->updated_at, g_date_time_unref);

  G_OBJECT_CLASS (park_spot_parent_class)->finalize (object);
}

static void
park_spot_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ParkSpot *self = PARK_SPOT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_LOT_ID:
      g_value_set_string (value, self->lot_id);
      break;
    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;
    case PROP_SPOT_TYPE:
      g_value_set_enum (value, self->spot_type);
      break;
    case PROP_LEVEL:
      g_value_set_int (value, self->level);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;
    case PROP_STALE:
      g_value_set_boolean (value, self->stale);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_spot_class_init (ParkSpotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_spot_finalize;
  object_class->get_property = park_spot_get_property;

  /**
   * ParkSpot:id:
   *
   * The spot's id (a UUID).
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, RO);
  /**
   * ParkSpot:lot-id:
   *
   * The id of the spot's lot.
   */
  properties[PROP_LOT_ID] = g_param_spec_string ("lot-id", NULL, NULL, NULL, RO);
  /**
   * ParkSpot:number:
   *
   * The number painted on the spot, e.g. `A-017`.
   */
  properties[PROP_NUMBER] = g_param_spec_string ("number", NULL, NULL, NULL, RO);
  /**
   * ParkSpot:spot-type:
   *
   * The type of the spot.
   */
  properties[PROP_SPOT_TYPE] = g_param_spec_enum ("spot-type", NULL, NULL,
                                                  PARK_TYPE_SPOT_TYPE, PARK_SPOT_TYPE_REGULAR, RO);
  /**
   * ParkSpot:level:
   *
   * The floor: 0 is the ground floor, negative levels are underground.
   */
  properties[PROP_LEVEL] = g_param_spec_int ("level", NULL, NULL, G_MININT, G_MAXINT, 0, RO);
  /**
   * ParkSpot:state:
   *
   * The state of the spot when the server answered.
   */
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL,
                                              PARK_TYPE_SPOT_STATE, PARK_SPOT_STATE_AVAILABLE, RO);
  /**
   * ParkSpot:updated-at:
   *
   * When the state last changed.
   */
  properties[PROP_UPDATED_AT] = g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME, RO);

  /**
   * ParkSpot:stale:
   *
   * Whether the spot came from the client's offline cache (#ParkClient:cache-dir) because
   * the server could not be reached: its state is the last one heard, and may be out of
   * date.
   */
  properties[PROP_STALE] = g_param_spec_boolean ("stale", NULL, NULL, FALSE, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_spot_init (ParkSpot *self)
{
}

ParkSpot *
_park_spot_new_from_json_at (JsonObject  *object,
                             const char  *path,
                             GError     **error)
{
  g_autoptr(ParkSpot) self = g_object_new (PARK_TYPE_SPOT, NULL);
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  self->id = _park_json_dup_string (&reader, "id", PARK_JSON_NONEMPTY);
  self->lot_id = _park_json_dup_string (&reader, "lot_id", PARK_JSON_NONEMPTY);
  self->number = _park_json_dup_string (&reader, "number", PARK_JSON_NONEMPTY);
  self->spot_type = _park_json_get_enum (&reader, "type", PARK_TYPE_SPOT_TYPE, 0,
                                         PARK_SPOT_TYPE_REGULAR);
  self->level = _park_json_get_int (&reader, "level", G_MININT, G_MAXINT, 0, 0);
  self->state = _park_json_get_enum (&reader, "state", PARK_TYPE_SPOT_STATE, 0,
                                     PARK_SPOT_STATE_AVAILABLE);
  self->updated_at = _park_json_dup_date_time (&reader, "updated_at", 0);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_spot_new_from_json:
 * @object: a spot as the API describes it (`Spot` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads a spot, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkSpot, or %NULL with @error set
 */
ParkSpot *
park_spot_new_from_json (JsonObject  *object,
                         GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_spot_new_from_json_at (object, NULL, error);
}

/**
 * park_spot_get_id:
 * @self: a #ParkSpot
 *
 * Returns: (transfer none): the spot's id (a UUID)
 */
const char *
park_spot_get_id (ParkSpot *self)
{
  g_return_val_if_fail (PARK_IS_SPOT (self), NULL);
  return self->id;
}

/**
 * park_spot_get_lot_id:
 * @self: a #ParkSpot
 *
 * Returns: (transfer none): the id of the spot's lot
 */
const char *
park_spot_get_lot_id (ParkSpot *self)
{
  g_return_val_if_fail (PARK_IS_SPOT (self), NULL);
  return self->lot_id;
}

/**
 * park_spot_get_number:
 * @self: a #ParkSpot
 *
 * Returns: (transfer none): the number painted on the spot, e.g. `A-017`
 */
const char *
park_spot_get_number (ParkSpot *self)
{
  g_return_val_if_fail (PARK_IS_SPOT (self), NULL);
  return self->number;
}

/**
 * park_spot_get_spot_type:
 * @self: a #ParkSpot
 *
 * Returns: the type of the spot
 */
ParkSpotType
park_spot_get_spot_type (ParkSpot *self)
{
  g_return_val_if_fail (PARK_IS_SPOT (self), 0);
  return self->spot_type;
}

/**
 * park_spot_get_level:
 * @self: a #ParkSpot
 *
 * Returns: the floor: 0 is the ground floor, negative levels are underground
 */
int
park_spot_get_level (ParkSpot *self)
{
  g_return_val_if_fail (PARK_IS_SPOT (self), 0);
  return self->level;
}

/**
 * park_spot_get_state:
 * @self: a #ParkSpot
 *
 * Returns: the state of the spot when the server answered
 */
ParkSpotState
park_spot_get_state (ParkSpot *self)
{
  g_return_val_if_fail (PARK_IS_SPOT (self), 0);
  return self->state;
}

/**
 * park_spot_get_updated_at:
 * @self: a #ParkSpot
 *
 * Returns: (transfer none): when the state last changed
 */
GDateTime *
park_spot_get_updated_at (ParkSpot *self)
{
  g_return_val_if_fail (PARK_IS_SPOT (self), NULL);
  return self->updated_at;
}

/**
 * park_spot_get_stale:
 * @self: a #ParkSpot
 *
 * Returns: whether @self came from the offline cache (see #ParkSpot:stale)
 */
gboolean
park_spot_get_stale (ParkSpot *self)
{
  g_return_val_if_fail (PARK_IS_SPOT (self), FALSE);
  return self->stale;
}

void
_park_spot_set_stale (ParkSpot *self)
{
  self->stale = TRUE;
}
