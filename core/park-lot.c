/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-lot.c: a lot as GET /api/v1/parking-lots answers it. Its availability changes in place
 * (park_lot_apply_availability()), notifying only what changed, so a list row or map marker
 * bound to it follows the live feed by itself.
 */
#include "config.h"

#include "park-lot.h"
#include "park-enums.h"
#include "park-json-private.h"
#include "park-models-private.h"
#include "park-opening-hours.h"

#include <string.h>

struct _ParkLot
{
  GObject        parent_instance;

  char          *id;
  char          *name;
  char          *address;
  char          *city;
  char          *operator_id;
  char          *operator_name;
  char          *operator_slug;
  double         latitude;
  double         longitude;
  ParkLotType    lot_type;
  ParkLotStatus  status;
  gboolean       open_now;
  guint          available_spots;
  guint          total_spots;
  guint          available[PARK_N_SPOT_TYPES];
  guint          total[PARK_N_SPOT_TYPES];
  gint64         hourly_rate;
  char          *currency;
  char          *time_zone;
  char         **hours[7];      /* Monday first, "HH:MM-HH:MM" */
  ParkOpeningHours *opening_hours;
  char         **amenities;
  double         distance;      /* metres, -1 when not a search result */
  GDateTime     *created_at;
  GDateTime     *updated_at;

  gboolean       stale;         /* served from the offline cache */
};

G_DEFINE_FINAL_TYPE (ParkLot, park_lot, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ADDRESS,
  PROP_CITY,
  PROP_OPERATOR_ID,
  PROP_OPERATOR_NAME,
  PROP_OPERATOR_SLUG,
  PROP_LATITUDE,
  PROP_LONGITUDE,
  PROP_LOT_TYPE,
  PROP_STATUS,
  PROP_OPEN_NOW,
  PROP_AVAILABLE_SPOTS,
  PROP_TOTAL_SPOTS,
  /* One per spot type, in ParkSpotType order. */
  PROP_AVAILABLE_REGULAR,
  PROP_AVAILABLE_DISABLED,
  PROP_AVAILABLE_EV,
  PROP_AVAILABLE_COMPACT,
  PROP_AVAILABLE_MOTORCYCLE,
  PROP_TOTAL_REGULAR,
  PROP_TOTAL_DISABLED,
  PROP_TOTAL_EV,
  PROP_TOTAL_COMPACT,
  PROP_TOTAL_MOTORCYCLE,
  PROP_HOURLY_RATE,
  PROP_CURRENCY,
  PROP_TIME_ZONE,
  PROP_AMENITIES,
  PROP_DISTANCE,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_STALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const day_names[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static void
park_lot_finalize (GObject *object)
{
  ParkLot *self = (ParkLot *) object;

  g_free (self->id);
  g_free (self->name);
  g_free (self->address);
  g_free (self->city);
  g_free (self->operator_id);
  g_free (self->operator_name);
  g_free (self->operator_slug);
  g_free (self->currency);
  g_free (self->time_zone);
  for (guint i = 0; i < G_N_ELEMENTS (self->hours); i++)
    g_strfreev (self->hours[i]);
  g_strfreev (self->amenities);
  g_clear_pointer (&self->opening_hours, park_opening_hours_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);

  G_OBJECT_CLASS (park_lot_parent_class)->finalize (object);
}

static void
park_lot_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  ParkLot *self = PARK_LOT (object);

  if (prop_id >= PROP_AVAILABLE_REGULAR && prop_id <= PROP_AVAILABLE_MOTORCYCLE)
    {
      g_value_set_uint (value, self->available[prop_id - PROP_AVAILABLE_REGULAR]);
      return;
    }
  if (prop_id >= PROP_TOTAL_REGULAR && prop_id <= PROP_TOTAL_MOTORCYCLE)
    {
      g_value_set_uint (value, self->total[prop_id - PROP_TOTAL_REGULAR]);
      return;
    }

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_CITY:
      g_value_set_string (value, self->city);
      break;
    case PROP_OPERATOR_ID:
      g_value_set_string (value, self->operator_id);
      break;
    case PROP_OPERATOR_NAME:
      g_value_set_string (value, self->operator_name);
      break;
    case PROP_OPERATOR_SLUG:
      g_value_set_string (value, self->operator_slug);
      break;
    case PROP_LATITUDE:
      g_value_set_double (value, self->latitude);
      break;
    case PROP_LONGITUDE:
      g_value_set_double (value, self->longitude);
      break;
    case PROP_LOT_TYPE:
      g_value_set_enum (value, self->lot_type);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_OPEN_NOW:
      g_value_set_boolean (value, self->open_now);
      break;
    case PROP_AVAILABLE_SPOTS:
      g_value_set_uint (value, self->available_spots);
      break;
    case PROP_TOTAL_SPOTS:
      g_value_set_uint (value, self->total_spots);
      break;
    case PROP_HOURLY_RATE:
      g_value_set_int64 (value, self->hourly_rate);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case PROP_TIME_ZONE:
      g_value_set_string (value, self->time_zone);
      break;
    case PROP_AMENITIES:
      g_value_set_boxed (value, self->amenities);
      break;
    case PROP_DISTANCE:
      g_value_set_double (value, self->distance);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
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
park_lot_class_init (ParkLotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  static const char * const type_names[PARK_N_SPOT_TYPES][2] = {
    { "available-regular", "total-regular" },
    { "available-disabled", "total-disabled" },
    { "available-ev", "total-ev" },
    { "available-compact", "total-compact" },
    { "available-motorcycle", "total-motorcycle" },
  };

  object_class->finalize = park_lot_finalize;
  object_class->get_property = park_lot_get_property;

  /**
   * ParkLot:id:
   *
   * The lot's id (a UUID).
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, RO);
  /**
   * ParkLot:name:
   *
   * The lot's name, never empty.
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, RO);
  /**
   * ParkLot:address:
   *
   * The street address.
   */
  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, RO);
  /**
   * ParkLot:city:
   *
   * The city.
   */
  properties[PROP_CITY] = g_param_spec_string ("city", NULL, NULL, NULL, RO);
  /**
   * ParkLot:operator-id:
   *
   * The id of the operator running the lot.
   */
  properties[PROP_OPERATOR_ID] = g_param_spec_string ("operator-id", NULL, NULL, NULL, RO);
  /**
   * ParkLot:operator-name:
   *
   * The name of the operator running the lot.
   */
  properties[PROP_OPERATOR_NAME] = g_param_spec_string ("operator-name", NULL, NULL, NULL, RO);
  /**
   * ParkLot:operator-slug:
   *
   * The short name of the operator running the lot.
   */
  properties[PROP_OPERATOR_SLUG] = g_param_spec_string ("operator-slug", NULL, NULL, NULL, RO);
  /**
   * ParkLot:latitude:
   *
   * Latitude of the lot (WGS 84).
   */
  properties[PROP_LATITUDE] = g_param_spec_double ("latitude", NULL, NULL, -90, 90, 0, RO);
  /**
   * ParkLot:longitude:
   *
   * Longitude of the lot (WGS 84).
   */
  properties[PROP_LONGITUDE] = g_param_spec_double ("longitude", NULL, NULL, -180, 180, 0, RO);
  /**
   * ParkLot:lot-type:
   *
   * The kind of lot.
   */
  properties[PROP_LOT_TYPE] = g_param_spec_enum ("lot-type", NULL, NULL, PARK_TYPE_LOT_TYPE,
                                                 PARK_LOT_TYPE_OTHER, RO);
  /**
   * ParkLot:status:
   *
   * Whether the operator runs the lot; changes with the live feed.
   */
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, PARK_TYPE_LOT_STATUS,
                                               PARK_LOT_STATUS_OPEN, RO);
  /**
   * ParkLot:open-now:
   *
   * Whether the lot was open by its hours, in its own time zone, when the server answered.
   */
  properties[PROP_OPEN_NOW] = g_param_spec_boolean ("open-now", NULL, NULL, FALSE, RO);
  /**
   * ParkLot:available-spots:
   *
   * Free spots of every type; changes with the live feed.
   */
  properties[PROP_AVAILABLE_SPOTS] = g_param_spec_uint ("available-spots", NULL, NULL,
                                                        0, G_MAXUINT, 0, RO);
  /**
   * ParkLot:total-spots:
   *
   * Spots of every type.
   */
  properties[PROP_TOTAL_SPOTS] = g_param_spec_uint ("total-spots", NULL, NULL,
                                                    0, G_MAXUINT, 0, RO);
  /**
   * ParkLot:available-regular:
   *
   * Free regular spots. The properties `available-disabled`, `available-ev`,
   * `available-compact` and `available-motorcycle` count the other types; `total-regular`
   * and its siblings count all spots of each type. See park_lot_get_available().
   */
  for (guint i = 0; i < PARK_N_SPOT_TYPES; i++)
    {
      properties[PROP_AVAILABLE_REGULAR + i] =
        g_param_spec_uint (type_names[i][0], NULL, NULL, 0, G_MAXUINT, 0, RO);
      properties[PROP_TOTAL_REGULAR + i] =
        g_param_spec_uint (type_names[i][1], NULL, NULL, 0, G_MAXUINT, 0, RO);
    }
  /**
   * ParkLot:hourly-rate:
   *
   * The price of one hour, in minor units of #ParkLot:currency (cents).
   */
  properties[PROP_HOURLY_RATE] = g_param_spec_int64 ("hourly-rate", NULL, NULL,
                                                     0, G_MAXINT64, 0, RO);
  /**
   * ParkLot:currency:
   *
   * ISO 4217 code of the lot's prices, e.g. `EUR`.
   */
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, RO);
  /**
   * ParkLot:time-zone:
   *
   * The lot's IANA time zone, e.g. `Europe/Berlin`.
   */
  properties[PROP_TIME_ZONE] = g_param_spec_string ("time-zone", NULL, NULL, NULL, RO);
  /**
   * ParkLot:amenities:
   *
   * What the lot offers besides parking (strings such as `toilets`).
   */
  properties[PROP_AMENITIES] = g_param_spec_boxed ("amenities", NULL, NULL, G_TYPE_STRV, RO);
  /**
   * ParkLot:distance:
   *
   * Metres from the point searched around (or the box's centre); -1 for a lot that did not
   * come from a search.
   */
  properties[PROP_DISTANCE] = g_param_spec_double ("distance", NULL, NULL,
                                                   -1, G_MAXDOUBLE, -1, RO);
  /**
   * ParkLot:created-at:
   *
   * When the lot was added.
   */
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL,
                                                    G_TYPE_DATE_TIME, RO);
  /**
   * ParkLot:updated-at:
   *
   * When the lot's description last changed.
   */
  properties[PROP_UPDATED_AT] = g_param_spec_boxed ("updated-at", NULL, NULL,
                                                    G_TYPE_DATE_TIME, RO);

  /**
   * ParkLot:stale:
   *
   * %TRUE when the server could not be reached and this is the last answer it gave, from
   *   the client's offline cache (#ParkClient:cache-dir): show it as possibly out of date.
   */
  properties[PROP_STALE] = g_param_spec_boolean ("stale", NULL, NULL, FALSE, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_lot_init (ParkLot *self)
{
  self->distance = -1;
}

/* "availability": {"regular": {"total": 10, "available": 3}, ...}, every type required. */
static void
read_availability (ParkJsonReader *reader,
                   guint          *available,
                   guint          *total)
{
  ParkJsonReader availability;
  g_autoptr(GEnumClass) types = g_type_class_ref (PARK_TYPE_SPOT_TYPE);

  if (!_park_json_reader_enter (reader, "availability", PARK_JSON_REQUIRED, &availability))
    return;
  for (guint i = 0; i < PARK_N_SPOT_TYPES; i++)
    {
      ParkJsonReader counts;

      if (!_park_json_reader_enter (&availability, g_enum_get_value (types, i)->value_nick,
                                    PARK_JSON_REQUIRED, &counts))
        return;
      total[i] = _park_json_get_int (&counts, "total", 0, G_MAXUINT, 0, 0);
      available[i] = _park_json_get_int (&counts, "available", 0, G_MAXUINT, 0, 0);
      if (!_park_json_reader_failed (&counts) && available[i] > total[i])
        _park_json_reader_fail (&counts, "available", "is more than total");
    }
}

/* "08:00" to "24:00" */
static gboolean
valid_clock (const char *text,
             gboolean    allow_24)
{
  int h, m;

  if (text == NULL || strlen (text) != 5 || text[2] != ':' ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;
  h = (text[0] - '0') * 10 + (text[1] - '0');
  m = (text[3] - '0') * 10 + (text[4] - '0');
  return m < 60 && (h < 24 || (allow_24 && h == 24 && m == 0));
}

static guint
clock_minutes (const char *text)
{
  return ((text[0] - '0') * 10 + (text[1] - '0')) * 60 + (text[3] - '0') * 10 + (text[4] - '0');
}

static void
read_hours (ParkJsonReader    *reader,
            char            ***hours,
            ParkOpeningHours **opening_hours)
{
  ParkJsonReader week;

  if (!_park_json_reader_enter (reader, "operating_hours", PARK_JSON_REQUIRED, &week))
    return;
  *opening_hours = park_opening_hours_new ();
  for (guint d = 0; d < 7; d++)
    {
      JsonArray *day = _park_json_get_array (&week, day_names[d], PARK_JSON_REQUIRED);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      guint n;

      if (day == NULL)
        return;
      n = json_array_get_length (day);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *path = NULL;
          JsonObject *range = _park_json_array_get_object (&week, day_names[d], day, i, &path);
          ParkJsonReader r;
          g_autofree char *open = NULL;
          g_autofree char *close = NULL;

          if (range == NULL)
            return;
          _park_json_reader_init (&r, range, path);
          r.error = week.error;
          open = _park_json_dup_string (&r, "open", 0);
          close = _park_json_dup_string (&r, "close", 0);
          if (_park_json_reader_failed (&r))
            return;
          if (!valid_clock (open, FALSE))
            _park_json_reader_fail (&r, "open", "is not a time of day");
          else if (!valid_clock (close, TRUE))
            _park_json_reader_fail (&r, "close", "is not a time of day");
          else if (!park_opening_hours_add_range (*opening_hours, G_DATE_MONDAY + d,
                                                  clock_minutes (open), clock_minutes (close),
                                                  NULL))
            _park_json_reader_fail (&r, "close", "is not after its opening and the day's "
                                    "earlier ranges");
          else
            {
              g_autofree char *text = g_strdup_printf ("%s-%s", open, close);

              g_strv_builder_add (builder, text);
            }
        }
      hours[d] = g_strv_builder_end (builder);
    }
}

ParkLot *
_park_lot_new_from_json_at (JsonObject  *object,
                            const char  *path,
                            GError     **error)
{
  g_autoptr(ParkLot) self = g_object_new (PARK_TYPE_LOT, NULL);
  ParkJsonReader reader, op, location;

  _park_json_reader_init (&reader, object, path);
  self->id = _park_json_dup_string (&reader, "id", PARK_JSON_NONEMPTY);
  self->name = _park_json_dup_string (&reader, "name", PARK_JSON_NONEMPTY);
  self->address = _park_json_dup_string (&reader, "address", 0);
  self->city = _park_json_dup_string (&reader, "city", 0);
  if (_park_json_reader_enter (&reader, "operator", 0, &op))
    {
      self->operator_id = _park_json_dup_string (&op, "id", PARK_JSON_NONEMPTY);
      self->operator_slug = _park_json_dup_string (&op, "slug", 0);
      self->operator_name = _park_json_dup_string (&op, "name", 0);
    }
  if (_park_json_reader_enter (&reader, "location", 0, &location))
    {
      self->latitude = _park_json_get_double (&location, "lat", -90, 90, 0, 0);
      self->longitude = _park_json_get_double (&location, "lng", -180, 180, 0, 0);
    }
  self->lot_type = _park_json_get_enum (&reader, "lot_type", PARK_TYPE_LOT_TYPE, 0, 0);
  self->status = _park_json_get_enum (&reader, "status", PARK_TYPE_LOT_STATUS, 0, 0);
  self->open_now = _park_json_get_boolean (&reader, "open_now", 0, FALSE);
  self->total_spots = _park_json_get_int (&reader, "total_spots", 0, G_MAXUINT, 0, 0);
  self->available_spots = _park_json_get_int (&reader, "available_spots", 0, G_MAXUINT, 0, 0);
  read_availability (&reader, self->available, self->total);
  self->hourly_rate = _park_json_get_int (&reader, "hourly_rate", 0, G_MAXINT64, 0, 0);
  self->currency = _park_json_dup_string (&reader, "currency", PARK_JSON_NONEMPTY);
  self->time_zone = _park_json_dup_string (&reader, "time_zone", PARK_JSON_NONEMPTY);
  read_hours (&reader, self->hours, &self->opening_hours);
  self->amenities = _park_json_dup_strv (&reader, "amenities", 0);
  self->distance = _park_json_get_double (&reader, "distance_m", 0, G_MAXDOUBLE,
                                          PARK_JSON_OPTIONAL, -1);
  self->created_at = _park_json_dup_date_time (&reader, "created_at", 0);
  self->updated_at = _park_json_dup_date_time (&reader, "updated_at", 0);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* One item of POST /api/v1/parking-lots/availability: lot_id, status, open_now, totals and
 * availability, checked in full before anything changes. */
gboolean
_park_lot_apply_availability_json (ParkLot     *self,
                                   JsonObject  *object,
                                   const char  *path,
                                   GError     **error)
{
  ParkJsonReader reader;
  guint available[PARK_N_SPOT_TYPES] = { 0 }, total[PARK_N_SPOT_TYPES] = { 0 };
  ParkLotStatus status;
  gboolean open_now;

  _park_json_reader_init (&reader, object, path);
  status = _park_json_get_enum (&reader, "status", PARK_TYPE_LOT_STATUS, 0, 0);
  open_now = _park_json_get_boolean (&reader, "open_now", 0, FALSE);
  /* Checked, though the sums follow from the types' counts. */
  _park_json_get_int (&reader, "total_spots", 0, G_MAXUINT, 0, 0);
  _park_json_get_int (&reader, "available_spots", 0, G_MAXUINT, 0, 0);
  read_availability (&reader, available, total);
  if (!_park_json_reader_finish (&reader, error))
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->open_now != open_now)
    {
      self->open_now = open_now;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN_NOW]);
    }
  park_lot_apply_availability (self, status, available, total);
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

/**
 * park_lot_new_from_json:
 * @object: a lot as the API describes it (`Lot` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads a lot, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkLot, or %NULL with @error set
 */
ParkLot *
park_lot_new_from_json (JsonObject  *object,
                        GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_lot_new_from_json_at (object, NULL, error);
}

/**
 * park_lot_get_id:
 * @self: a #ParkLot
 *
 * Returns: (transfer none): the lot's id
 */
const char *
park_lot_get_id (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), NULL);
  return self->id;
}

/**
 * park_lot_get_name:
 * @self: a #ParkLot
 *
 * Returns: (transfer none): the lot's name
 */
const char *
park_lot_get_name (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), NULL);
  return self->name;
}

/**
 * park_lot_get_address:
 * @self: a #ParkLot
 *
 * Returns: (transfer none): the street address
 */
const char *
park_lot_get_address (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), NULL);
  return self->address;
}

/**
 * park_lot_get_city:
 * @self: a #ParkLot
 *
 * Returns: (transfer none): the city
 */
const char *
park_lot_get_city (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), NULL);
  return self->city;
}

/**
 * park_lot_get_operator_id:
 * @self: a #ParkLot
 *
 * Returns: (transfer none): the id of the lot's operator
 */
const char *
park_lot_get_operator_id (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), NULL);
  return self->operator_id;
}

/**
 * park_lot_get_operator_name:
 * @self: a #ParkLot
 *
 * Returns: (transfer none): the name of the lot's operator
 */
const char *
park_lot_get_operator_name (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), NULL);
  return self->operator_name;
}

/**
 * park_lot_get_operator_slug:
 * @self: a #ParkLot
 *
 * Returns: (transfer none): the short name of the lot's operator
 */
const char *
park_lot_get_operator_slug (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), NULL);
  return self->operator_slug;
}

/**
 * park_lot_get_latitude:
 * @self: a #ParkLot
 *
 * Returns: the lot's latitude (WGS 84)
 */
double
park_lot_get_latitude (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), 0);
  return self->latitude;
}

/**
 * park_lot_get_longitude:
 * @self: a #ParkLot
 *
 * Returns: the lot's longitude (WGS 84)
 */
double
park_lot_get_longitude (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), 0);
  return self->longitude;
}

/**
 * park_lot_get_lot_type:
 * @self: a #ParkLot
 *
 * Returns: the kind of lot
 */
ParkLotType
park_lot_get_lot_type (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), PARK_LOT_TYPE_OTHER);
  return self->lot_type;
}

/**
 * park_lot_get_status:
 * @self: a #ParkLot
 *
 * Returns: whether the operator runs the lot
 */
ParkLotStatus
park_lot_get_status (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), PARK_LOT_STATUS_CLOSED);
  return self->status;
}

/**
 * park_lot_get_open_now:
 * @self: a #ParkLot
 *
 * Returns: whether the lot was open by its hours when the server last said
 */
gboolean
park_lot_get_open_now (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), FALSE);
  return self->open_now;
}

/**
 * park_lot_get_available:
 * @self: a #ParkLot
 * @spot_type: a spot type, or %PARK_SPOT_TYPE_ANY for all types
 *
 * Returns: the free spots of @spot_type (or of every type)
 */
guint
park_lot_get_available (ParkLot      *self,
                        ParkSpotType  spot_type)
{
  g_return_val_if_fail (PARK_IS_LOT (self), 0);
  g_return_val_if_fail (spot_type >= PARK_SPOT_TYPE_ANY && spot_type < PARK_N_SPOT_TYPES, 0);

  if (spot_type == PARK_SPOT_TYPE_ANY)
    return self->available_spots;
  return self->available[spot_type];
}

/**
 * park_lot_get_total:
 * @self: a #ParkLot
 * @spot_type: a spot type, or %PARK_SPOT_TYPE_ANY for all types
 *
 * Returns: how many spots of @spot_type (or of every type) the lot has
 */
guint
park_lot_get_total (ParkLot      *self,
                    ParkSpotType  spot_type)
{
  g_return_val_if_fail (PARK_IS_LOT (self), 0);
  g_return_val_if_fail (spot_type >= PARK_SPOT_TYPE_ANY && spot_type < PARK_N_SPOT_TYPES, 0);

  if (spot_type == PARK_SPOT_TYPE_ANY)
    return self->total_spots;
  return self->total[spot_type];
}

/**
 * park_lot_get_hourly_rate:
 * @self: a #ParkLot
 *
 * Returns: the price of an hour in minor units of the lot's currency
 */
gint64
park_lot_get_hourly_rate (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), 0);
  return self->hourly_rate;
}

/**
 * park_lot_get_currency:
 * @self: a #ParkLot
 *
 * Returns: (transfer none): the ISO 4217 code of the lot's prices
 */
const char *
park_lot_get_currency (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), NULL);
  return self->currency;
}

/**
 * park_lot_get_time_zone:
 * @self: a #ParkLot
 *
 * Returns: (transfer none): the lot's IANA time zone
 */
const char *
park_lot_get_time_zone (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), NULL);
  return self->time_zone;
}

/**
 * park_lot_get_hours:
 * @self: a #ParkLot
 * @weekday: a day of the week
 *
 * The lot's opening hours on @weekday in its local time, as ranges `HH:MM-HH:MM` (`close` may
 * be `24:00`; a night past midnight goes on in the next day's first range). An empty list
 * means closed all day.
 *
 * Returns: (transfer none) (array zero-terminated=1): the day's opening ranges
 */
const char * const *
park_lot_get_hours (ParkLot      *self,
                    GDateWeekday  weekday)
{
  g_return_val_if_fail (PARK_IS_LOT (self), NULL);
  g_return_val_if_fail (weekday >= G_DATE_MONDAY && weekday <= G_DATE_SUNDAY, NULL);

  return (const char * const *) self->hours[weekday - G_DATE_MONDAY];
}

/**
 * park_lot_dup_opening_hours:
 * @self: a #ParkLot
 *
 * The lot's opening hours as an object to edit and send back with
 * park_client_update_lot_async().
 *
 * Returns: (transfer full): a copy of the lot's opening hours
 */
ParkOpeningHours *
park_lot_dup_opening_hours (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), NULL);
  return park_opening_hours_copy (self->opening_hours);
}

/**
 * park_lot_get_amenities:
 * @self: a #ParkLot
 *
 * Returns: (transfer none) (array zero-terminated=1): the lot's amenities
 */
const char * const *
park_lot_get_amenities (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), NULL);
  return (const char * const *) self->amenities;
}

/**
 * park_lot_get_distance:
 * @self: a #ParkLot
 *
 * Returns: metres from the point searched around, or -1 when @self is not a search result
 */
double
park_lot_get_distance (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), -1);
  return self->distance;
}

/**
 * park_lot_get_created_at:
 * @self: a #ParkLot
 *
 * Returns: (transfer none): when the lot was added
 */
GDateTime *
park_lot_get_created_at (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), NULL);
  return self->created_at;
}

/**
 * park_lot_get_updated_at:
 * @self: a #ParkLot
 *
 * Returns: (transfer none): when the lot's description last changed
 */
GDateTime *
park_lot_get_updated_at (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), NULL);
  return self->updated_at;
}

static void
set_count (ParkLot *self,
           guint   *field,
           guint    value,
           guint    prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/**
 * park_lot_apply_availability:
 * @self: a #ParkLot
 * @status: the lot's status
 * @available: (array fixed-size=5): free spots per #ParkSpotType
 * @total: (array fixed-size=5): all spots per #ParkSpotType
 *
 * Takes a newer state of the lot's spots, as the live feed (`snapshot` and
 * `availability_update`) or a batch availability call brings it. The sums
 * (#ParkLot:available-spots, #ParkLot:total-spots) follow. Only the properties whose value
 * changed are notified, once each, after all have changed, so a widget bound to the lot
 * redraws once and only for a real change.
 */
void
park_lot_apply_availability (ParkLot       *self,
                             ParkLotStatus  status,
                             const guint   *available,
                             const guint   *total)
{
  guint available_spots = 0, total_spots = 0;

  g_return_if_fail (PARK_IS_LOT (self));
  g_return_if_fail (status == PARK_LOT_STATUS_OPEN || status == PARK_LOT_STATUS_CLOSED);
  g_return_if_fail (available != NULL);
  g_return_if_fail (total != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  for (guint i = 0; i < PARK_N_SPOT_TYPES; i++)
    {
      set_count (self, &self->available[i], available[i], PROP_AVAILABLE_REGULAR + i);
      set_count (self, &self->total[i], total[i], PROP_TOTAL_REGULAR + i);
      available_spots += available[i];
      total_spots += total[i];
    }
  set_count (self, &self->available_spots, available_spots, PROP_AVAILABLE_SPOTS);
  set_count (self, &self->total_spots, total_spots, PROP_TOTAL_SPOTS);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * park_lot_get_stale:
 * @self: a #ParkLot
 *
 * Returns: whether @self came from the offline cache (see #ParkLot:stale)
 */
gboolean
park_lot_get_stale (ParkLot *self)
{
  g_return_val_if_fail (PARK_IS_LOT (self), FALSE);
  return self->stale;
}

void
_park_lot_set_stale (ParkLot *self)
{
  self->stale = TRUE;
}
