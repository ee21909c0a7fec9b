/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-session.c: a stay at a lot from check-in at the booth to check-out: a walk-in, or a booking
 * checked in by its code. */
#include "config.h"

#include "park-session.h"
#include "park-enums.h"
#include "park-json-private.h"
#include "park-models-private.h"

struct _ParkSession
{
  GObject parent_instance;

  char               *id;
  char               *ticket;
  char               *lot_id;
  char               *spot_id;
  char               *spot_number;
  char               *reservation_id;
  char               *plate;
  ParkSessionStatus   status;
  GDateTime          *checked_in_at;
  GDateTime          *checked_out_at;
  gint64              fee;
  char               *currency;
  ParkPriceBreakdown *breakdown;
  char               *time_zone;
};

G_DEFINE_FINAL_TYPE (ParkSession, park_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TICKET,
  PROP_LOT_ID,
  PROP_SPOT_ID,
  PROP_SPOT_NUMBER,
  PROP_RESERVATION_ID,
  PROP_PLATE,
  PROP_STATUS,
  PROP_CHECKED_IN_AT,
  PROP_CHECKED_OUT_AT,
  PROP_FEE,
  PROP_CURRENCY,
  PROP_BREAKDOWN,
  PROP_TIME_ZONE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_session_finalize (GObject *object)
{
  ParkSession *self = (ParkSession *) object;

  g_free (self->id);
  g_free (self->ticket);
  g_free (self->lot_id);
  g_free (self->spot_id);
  g_free (self->spot_number);
  g_free (self->reservation_id);
  g_free (self->plate);
  g_clear_pointer (&self->checked_in_at, g_date_time_unref);
  g_clear_pointer (&self->checked_out_at, g_date_time_unref);
  g_free (self->currency);
  g_clear_object (&self->breakdown);
  g_free (self->time_zone);

  G_OBJECT_CLASS (park_session_parent_class)->finalize (object);
}

static void
park_session_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ParkSession *self = PARK_SESSION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TICKET:
      g_value_set_string (value, self->ticket);
      break;
    case PROP_LOT_ID:
      g_value_set_string (value, self->lot_id);
      break;
    case PROP_SPOT_ID:
      g_value_set_string (value, self->spot_id);
      break;
    case PROP_SPOT_NUMBER:
      g_value_set_string (value, self->spot_number);
      break;
    case PROP_RESERVATION_ID:
      g_value_set_string (value, self->reservation_id);
      break;
    case PROP_PLATE:
      g_value_set_string (value, self->plate);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_CHECKED_IN_AT:
      g_value_set_boxed (value, self->checked_in_at);
      break;
    case PROP_CHECKED_OUT_AT:
      g_value_set_boxed (value, self->checked_out_at);
      break;
    case PROP_FEE:
      g_value_set_int64 (value, self->fee);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case PROP_BREAKDOWN:
      g_value_set_object (value, self->breakdown);
      break;
    case PROP_TIME_ZONE:
      g_value_set_string (value, self->time_zone);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_session_class_init (ParkSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_session_finalize;
  object_class->get_property = park_session_get_property;

  /**
   * ParkSession:id:
   *
   * The stay's id (a UUID).
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, RO);
  /**
   * ParkSession:ticket:
   *
   * The eight characters printed on the ticket; they find the stay like its id.
   */
  properties[PROP_TICKET] = g_param_spec_string ("ticket", NULL, NULL, NULL, RO);
  /**
   * ParkSession:lot-id:
   *
   * The id of the lot.
   */
  properties[PROP_LOT_ID] = g_param_spec_string ("lot-id", NULL, NULL, NULL, RO);
  /**
   * ParkSession:spot-id:
   *
   * The id of the spot, or %NULL when the lot had none free to give.
   */
  properties[PROP_SPOT_ID] = g_param_spec_string ("spot-id", NULL, NULL, NULL, RO);
  /**
   * ParkSession:spot-number:
   *
   * The number of the spot, or %NULL.
   */
  properties[PROP_SPOT_NUMBER] = g_param_spec_string ("spot-number", NULL, NULL, NULL, RO);
  /**
   * ParkSession:reservation-id:
   *
   * The booking checked in by its code, or %NULL for a walk-in.
   */
  properties[PROP_RESERVATION_ID] = g_param_spec_string ("reservation-id", NULL, NULL, NULL, RO);
  /**
   * ParkSession:plate:
   *
   * The number plate as written.
   */
  properties[PROP_PLATE] = g_param_spec_string ("plate", NULL, NULL, NULL, RO);
  /**
   * ParkSession:status:
   *
   * Where the stay stands.
   */
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL,
                                               PARK_TYPE_SESSION_STATUS,
                                               PARK_SESSION_STATUS_ACTIVE, RO);
  /**
   * ParkSession:checked-in-at:
   *
   * When the car came in.
   */
  properties[PROP_CHECKED_IN_AT] = g_param_spec_boxed ("checked-in-at", NULL, NULL,
                                                       G_TYPE_DATE_TIME, RO);
  /**
   * ParkSession:checked-out-at:
   *
   * When the car left, or %NULL.
   */
  properties[PROP_CHECKED_OUT_AT] = g_param_spec_boxed ("checked-out-at", NULL, NULL,
                                                        G_TYPE_DATE_TIME, RO);
  /**
   * ParkSession:fee:
   *
   * The fee set at check-out in minor units; -1 before.
   */
  properties[PROP_FEE] = g_param_spec_int64 ("fee", NULL, NULL, -1, G_MAXINT64, -1, RO);
  /**
   * ParkSession:currency:
   *
   * The ISO 4217 code of the fee.
   */
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, RO);
  /**
   * ParkSession:breakdown:
   *
   * How the fee is made up; %NULL before check-out.
   */
  properties[PROP_BREAKDOWN] = g_param_spec_object ("breakdown", NULL, NULL,
                                                    PARK_TYPE_PRICE_BREAKDOWN, RO);
  /**
   * ParkSession:time-zone:
   *
   * The lot's IANA time zone.
   */
  properties[PROP_TIME_ZONE] = g_param_spec_string ("time-zone", NULL, NULL, NULL, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_session_init (ParkSession *self)
{
  self->fee = -1;
}

ParkSession *
_park_session_new_from_json_at (JsonObject  *object,
                                const char  *path,
                                GError     **error)
{
  g_autoptr(ParkSession) self = g_object_new (PARK_TYPE_SESSION, NULL);
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  self->id = _park_json_dup_string (&reader, "id", PARK_JSON_NONEMPTY);
  self->ticket = _park_json_dup_string (&reader, "ticket", PARK_JSON_NONEMPTY);
  self->lot_id = _park_json_dup_string (&reader, "parking_lot_id", PARK_JSON_NONEMPTY);
  self->spot_id = _park_json_dup_string (&reader, "parking_spot_id", PARK_JSON_NULLABLE);
  self->spot_number = _park_json_dup_string (&reader, "spot_number", PARK_JSON_NULLABLE);
  self->reservation_id = _park_json_dup_string (&reader, "reservation_id", PARK_JSON_NULLABLE);
  self->plate = _park_json_dup_string (&reader, "plate", PARK_JSON_NONEMPTY);
  self->status = _park_json_get_enum (&reader, "status", PARK_TYPE_SESSION_STATUS, 0,
                                      PARK_SESSION_STATUS_ACTIVE);
  self->checked_in_at = _park_json_dup_date_time (&reader, "checked_in_at", 0);
  self->checked_out_at = _park_json_dup_date_time (&reader, "checked_out_at", PARK_JSON_NULLABLE);
  self->fee = _park_json_get_int (&reader, "fee", 0, G_MAXINT64, PARK_JSON_NULLABLE, -1);
  self->currency = _park_json_dup_string (&reader, "currency", PARK_JSON_NONEMPTY);
  self->breakdown =
    _park_json_read_model (&reader, "breakdown", PARK_JSON_NULLABLE,
                           (ParkModelParser) _park_price_breakdown_new_fee_from_json_at);
  self->time_zone = _park_json_dup_string (&reader, "time_zone", PARK_JSON_NONEMPTY);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_session_new_from_json:
 * @object: a stay as the API describes it (`ParkingSession` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads a session, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkSession, or %NULL with @error set
 */
ParkSession *
park_session_new_from_json (JsonObject  *object,
                            GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_session_new_from_json_at (object, NULL, error);
}

/**
 * park_session_get_id:
 * @self: a #ParkSession
 *
 * Returns: (transfer none): the stay's id (a UUID)
 */
const char *
park_session_get_id (ParkSession *self)
{
  g_return_val_if_fail (PARK_IS_SESSION (self), NULL);
  return self->id;
}

/**
 * park_session_get_ticket:
 * @self: a #ParkSession
 *
 * Returns: (transfer none): the eight characters printed on the ticket; they find the stay like
 *   its id
 */
const char *
park_session_get_ticket (ParkSession *self)
{
  g_return_val_if_fail (PARK_IS_SESSION (self), NULL);
  return self->ticket;
}

/**
 * park_session_get_lot_id:
 * @self: a #ParkSession
 *
 * Returns: (transfer none): the id of the lot
 */
const char *
park_session_get_lot_id (ParkSession *self)
{
  g_return_val_if_fail (PARK_IS_SESSION (self), NULL);
  return self->lot_id;
}

/**
 * park_session_get_spot_id:
 * @self: a #ParkSession
 *
 * Returns: (transfer none) (nullable): the id of the spot, or %NULL when the lot had none free to
 *   give
 */
const char *
park_session_get_spot_id (ParkSession *self)
{
  g_return_val_if_fail (PARK_IS_SESSION (self), NULL);
  return self->spot_id;
}

/**
 * park_session_get_spot_number:
 * @self: a #ParkSession
 *
 * Returns: (transfer none) (nullable): the number of the spot, or %NULL
 */
const char *
park_session_get_spot_number (ParkSession *self)
{
  g_return_val_if_fail (PARK_IS_SESSION (self), NULL);
  return self->spot_number;
}

/**
 * park_session_get_reservation_id:
 * @self: a #ParkSession
 *
 * Returns: (transfer none) (nullable): the booking checked in by its code, or %NULL for a walk-in
 */
const char *
park_session_get_reservation_id (ParkSession *self)
{
  g_return_val_if_fail (PARK_IS_SESSION (self), NULL);
  return self->reservation_id;
}

/**
 * park_session_get_plate:
 * @self: a #ParkSession
 *
 * Returns: (transfer none): the number plate as written
 */
const char *
park_session_get_plate (ParkSession *self)
{
  g_return_val_if_fail (PARK_IS_SESSION (self), NULL);
  return self->plate;
}

/**
 * park_session_get_status:
 * @self: a #ParkSession
 *
 * Returns: where the stay stands
 */
ParkSessionStatus
park_session_get_status (ParkSession *self)
{
  g_return_val_if_fail (PARK_IS_SESSION (self), 0);
  return self->status;
}

/**
 * park_session_get_checked_in_at:
 * @self: a #ParkSession
 *
 * Returns: (transfer none): when the car came in
 */
GDateTime *
park_session_get_checked_in_at (ParkSession *self)
{
  g_return_val_if_fail (PARK_IS_SESSION (self), NULL);
  return self->checked_in_at;
}

/**
 * park_session_get_checked_out_at:
 * @self: a #ParkSession
 *
 * Returns: (transfer none) (nullable): when the car left, or %NULL
 */
GDateTime *
park_session_get_checked_out_at (ParkSession *self)
{
  g_return_val_if_fail (PARK_IS_SESSION (self), NULL);
  return self->checked_out_at;
}

/**
 * park_session_get_fee:
 * @self: a #ParkSession
 *
 * Returns: the fee set at check-out in minor units; -1 before
 */
gint64
park_session_get_fee (ParkSession *self)
{
  g_return_val_if_fail (PARK_IS_SESSION (self), -1);
  return self->fee;
}

/**
 * park_session_get_currency:
 * @self: a #ParkSession
 *
 * Returns: (transfer none): the ISO 4217 code of the fee
 */
const char *
park_session_get_currency (ParkSession *self)
{
  g_return_val_if_fail (PARK_IS_SESSION (self), NULL);
  return self->currency;
}

/**
 * park_session_get_breakdown:
 * @self: a #ParkSession
 *
 * Returns: (transfer none) (nullable): how the fee is made up; %NULL before check-out
 */
ParkPriceBreakdown *
park_session_get_breakdown (ParkSession *self)
{
  g_return_val_if_fail (PARK_IS_SESSION (self), NULL);
  return self->breakdown;
}

/**
 * park_session_get_time_zone:
 * @self: a #ParkSession
 *
 * Returns: (transfer none): the lot's IANA time zone
 */
const char *
park_session_get_time_zone (ParkSession *self)
{
  g_return_val_if_fail (PARK_IS_SESSION (self), NULL);
  return self->time_zone;
}
