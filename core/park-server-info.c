/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-server-info.c: what a parkd serves: its version and how many lots, and where. */
#include "config.h"

#include "park-server-info.h"
#include "park-enums.h"
#include "park-json-private.h"
#include "park-models-private.h"

struct _ParkServerInfo
{
  GObject parent_instance;

  char     *version;
  char     *store;
  gint64    n_operators;
  gint64    n_lots;
  gint64    n_spots;
  gboolean  has_bounds;
  double    min_longitude;
  double    min_latitude;
  double    max_longitude;
  double    max_latitude;
};

G_DEFINE_FINAL_TYPE (ParkServerInfo, park_server_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_VERSION,
  PROP_STORE,
  PROP_N_OPERATORS,
  PROP_N_LOTS,
  PROP_N_SPOTS,
  PROP_HAS_BOUNDS,
  PROP_MIN_LONGITUDE,
  PROP_MIN_LATITUDE,
  PROP_MAX_LONGITUDE,
  PROP_MAX_LATITUDE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_server_info_finalize (GObject *object)
{
  ParkServerInfo *self = (ParkServerInfo *) object;

  g_free (self->version);
  g_free (self->store);

  G_OBJECT_CLASS (park_server_info_parent_class)->finalize (object);
}

static void
park_server_info_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ParkServerInfo *self = PARK_SERVER_INFO (object);

  switch (prop_id)
    {
    case PROP_VERSION:
      g_value_set_string (value, self->version);
      break;
    case PROP_STORE:
      g_value_set_string (value, self->store);
      break;
    case PROP_N_OPERATORS:
      g_value_set_int64 (value, self->n_operators);
      break;
    case PROP_N_LOTS:
      g_value_set_int64 (value, self->n_lots);
      break;
    case PROP_N_SPOTS:
      g_value_set_int64 (value, self->n_spots);
      break;
    case PROP_HAS_BOUNDS:
      g_value_set_boolean (value, self->has_bounds);
      break;
    case PROP_MIN_LONGITUDE:
      g_value_set_double (value, self->min_longitude);
      break;
    case PROP_MIN_LATITUDE:
      g_value_set_double (value, self->min_latitude);
      break;
    case PROP_MAX_LONGITUDE:
      g_value_set_double (value, self->max_longitude);
      break;
    case PROP_MAX_LATITUDE:
      g_value_set_double (value, self->max_latitude);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_server_info_class_init (ParkServerInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_server_info_finalize;
  object_class->get_property = park_server_info_get_property;

  /**
   * ParkServerInfo:version:
   *
   * The server's version.
   */
  properties[PROP_VERSION] = g_param_spec_string ("version", NULL, NULL, NULL, RO);
  /**
   * ParkServerInfo:store:
   *
   * The database behind it: `sqlite` or `postgresql`.
   */
  properties[PROP_STORE] = g_param_spec_string ("store", NULL, NULL, NULL, RO);
  /**
   * ParkServerInfo:n-operators:
   *
   * How many operators it serves.
   */
  properties[PROP_N_OPERATORS] = g_param_spec_int64 ("n-operators", NULL, NULL,
                                                     0, G_MAXINT64, 0, RO);
  /**
   * ParkServerInfo:n-lots:
   *
   * How many lots it serves.
   */
  properties[PROP_N_LOTS] = g_param_spec_int64 ("n-lots", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkServerInfo:n-spots:
   *
   * How many spots those lots have.
   */
  properties[PROP_N_SPOTS] = g_param_spec_int64 ("n-spots", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkServerInfo:has-bounds:
   *
   * Whether there are lots, and so the bounds below.
   */
  properties[PROP_HAS_BOUNDS] = g_param_spec_boolean ("has-bounds", NULL, NULL, FALSE, RO);
  /**
   * ParkServerInfo:min-longitude:
   *
   * The west edge of the box around every lot.
   */
  properties[PROP_MIN_LONGITUDE] = g_param_spec_double ("min-longitude", NULL, NULL,
                                                        -G_MAXDOUBLE, G_MAXDOUBLE, 0, RO);
  /**
   * ParkServerInfo:min-latitude:
   *
   * The south edge of the box around every lot.
   */
  properties[PROP_MIN_LATITUDE] = g_param_spec_double ("min-latitude", NULL, NULL,
                                                       -G_MAXDOUBLE, G_MAXDOUBLE, 0, RO);
  /**
   * ParkServerInfo:max-longitude:
   *
   * The east edge of the box around every lot.
   */
  properties[PROP_MAX_LONGITUDE] = g_param_spec_double ("max-longitude", NULL, NULL,
                                                        -G_MAXDOUBLE, G_MAXDOUBLE, 0, RO);
  /**
   * ParkServerInfo:max-latitude:
   *
   * The north edge of the box around every lot.
   */
  properties[PROP_MAX_LATITUDE] = g_param_spec_double ("max-latitude", NULL, NULL,
                                                       -G_MAXDOUBLE, G_MAXDOUBLE, 0, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_server_info_init (ParkServerInfo *self)
{
}

ParkServerInfo *
_park_server_info_new_from_json_at (JsonObject  *object,
                                    const char  *path,
                                    GError     **error)
{
  g_autoptr(ParkServerInfo) self = g_object_new (PARK_TYPE_SERVER_INFO, NULL);
  ParkJsonReader reader;
  ParkJsonReader counts;
  JsonArray *bbox;

  _park_json_reader_init (&reader, object, path);
  self->version = _park_json_dup_string (&reader, "version", PARK_JSON_NONEMPTY);
  self->store = _park_json_dup_string (&reader, "store", PARK_JSON_NONEMPTY);

  if (_park_json_reader_enter (&reader, "counts", 0, &counts))
    {
      self->n_operators = _park_json_get_int (&counts, "operators", 0, G_MAXINT64, 0, 0);
      self->n_lots = _park_json_get_int (&counts, "lots", 0, G_MAXINT64, 0, 0);
      self->n_spots = _park_json_get_int (&counts, "spots", 0, G_MAXINT64, 0, 0);
    }
  /* [min_lng, min_lat, max_lng, max_lat], or null without lots. */
  bbox = _park_json_get_array (&reader, "bbox", PARK_JSON_NULLABLE);
  if (bbox != NULL && json_array_get_length (bbox) != 4)
    _park_json_reader_fail (&reader, "bbox", "does not have four numbers");
  else if (bbox != NULL)
    {
      double edges[4];

      for (guint i = 0; i < 4; i++)
        {
          JsonNode *node = json_array_get_element (bbox, i);
          GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : 0;

          if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
            {
              g_autofree char *what = g_strdup_printf ("bbox.%u", i);

              _park_json_reader_fail (&reader, what, "is not a number");
              break;
            }
          edges[i] = json_node_get_double (node);
        }
      if (!_park_json_reader_failed (&reader))
        {
          self->has_bounds = TRUE;
          self->min_longitude = edges[0];
          self->min_latitude = edges[1];
          self->max_longitude = edges[2];
          self->max_latitude = edges[3];
        }
    }

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_server_info_new_from_json:
 * @object: the answer of GET /api/v1/info (`Info` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads a server info, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkServerInfo, or %NULL with @error set
 */
ParkServerInfo *
park_server_info_new_from_json (JsonObject  *object,
                                GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_server_info_new_from_json_at (object, NULL, error);
}

/**
 * park_server_info_get_version:
 * @self: a #ParkServerInfo
 *
 * Returns: (transfer none): the server's version
 */
const char *
park_server_info_get_version (ParkServerInfo *self)
{
  g_return_val_if_fail (PARK_IS_SERVER_INFO (self), NULL);
  return self->version;
}

/**
 * park_server_info_get_store:
 * @self: a #ParkServerInfo
 *
 * Returns: (transfer none): the database behind it: `sqlite` or `postgresql`
 */
const char *
park_server_info_get_store (ParkServerInfo *self)
{
  g_return_val_if_fail (PARK_IS_SERVER_INFO (self), NULL);
  return self->store;
}

/**
 * park_server_info_get_n_operators:
 * @self: a #ParkServerInfo
 *
 * Returns: how many operators it serves
 */
gint64
park_server_info_get_n_operators (ParkServerInfo *self)
{
  g_return_val_if_fail (PARK_IS_SERVER_INFO (self), 0);
  return self->n_operators;
}

/**
 * park_server_info_get_n_lots:
 * @self: a #ParkServerInfo
 *
 * Returns: how many lots it serves
 */
gint64
park_server_info_get_n_lots (ParkServerInfo *self)
{
  g_return_val_if_fail (PARK_IS_SERVER_INFO (self), 0);
  return self->n_lots;
}

/**
 * park_server_info_get_n_spots:
 * @self: a #ParkServerInfo
 *
 * Returns: how many spots those lots have
 */
gint64
park_server_info_get_n_spots (ParkServerInfo *self)
{
  g_return_val_if_fail (PARK_IS_SERVER_INFO (self), 0);
  return self->n_spots;
}

/**
 * park_server_info_get_has_bounds:
 * @self: a #ParkServerInfo
 *
 * Returns: whether there are lots, and so the bounds below
 */
gboolean
park_server_info_get_has_bounds (ParkServerInfo *self)
{
  g_return_val_if_fail (PARK_IS_SERVER_INFO (self), FALSE);
  return self->has_bounds;
}

/**
 * park_server_info_get_min_longitude:
 * @self: a #ParkServerInfo
 *
 * Returns: the west edge of the box around every lot
 */
double
park_server_info_get_min_longitude (ParkServerInfo *self)
{
  g_return_val_if_fail (PARK_IS_SERVER_INFO (self), 0);
  return self->min_longitude;
}

/**
 * park_server_info_get_min_latitude:
 * @self: a #ParkServerInfo
 *
 * Returns: the south edge of the box around every lot
 */
double
park_server_info_get_min_latitude (ParkServerInfo *self)
{
  g_return_val_if_fail (PARK_IS_SERVER_INFO (self), 0);
  return self->min_latitude;
}

/**
 * park_server_info_get_max_longitude:
 * @self: a #ParkServerInfo
 *
 * Returns: the east edge of the box around every lot
 */
double
park_server_info_get_max_longitude (ParkServerInfo *self)
{
  g_return_val_if_fail (PARK_IS_SERVER_INFO (self), 0);
  return self->max_longitude;
}

/**
 * park_server_info_get_max_latitude:
 * @self: a #ParkServerInfo
 *
 * Returns: the north edge of the box around every lot
 */
double
park_server_info_get_max_latitude (ParkServerInfo *self)
{
  g_return_val_if_fail (PARK_IS_SERVER_INFO (self), 0);
  return self->max_latitude;
}
