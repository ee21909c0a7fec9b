/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-reservation.c: a booking of one spot for a time range. */
#include "config.h"

#include "park-reservation.h"
#include "park-enums.h"
#include "park-json-private.h"
#include "park-models-private.h"

struct _ParkReservation
{
  GObject parent_instance;

  char                  *id;
  char                  *code;
  ParkReservationStatus  status;
  char                  *lot_id;
  char                  *lot_name;
  char                  *spot_id;
  char                  *spot_number;
  ParkSpotType           spot_type;
  int                    level;
  GDateTime             *start_time;
  GDateTime             *end_time;
  char                  *time_zone;
  GDateTime             *hold_until;
  gint64                 total_cost;
  gint64                 paid;
  gint64                 balance_due;
  char                  *currency;
  char                  *quote_id;
  ParkPriceBreakdown    *breakdown;
  GDateTime             *created_at;
  GDateTime             *updated_at;
  GDateTime             *checked_in_at;
  GDateTime             *checked_out_at;
  GDateTime             *cancelled_at;

  gboolean               stale;       /* served from the offline cache */
};

G_DEFINE_FINAL_TYPE (ParkReservation, park_reservation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CODE,
  PROP_STATUS,
  PROP_LOT_ID,
  PROP_LOT_NAME,
  PROP_SPOT_ID,
  PROP_SPOT_NUMBER,
  PROP_SPOT_TYPE,
  PROP_LEVEL,
  PROP_START_TIME,
  PROP_END_TIME,
  PROP_TIME_ZONE,
  PROP_HOLD_UNTIL,
  PROP_TOTAL_COST,
  PROP_PAID,
  PROP_BALANCE_DUE,
  PROP_CURRENCY,
  PROP_QUOTE_ID,
  PROP_BREAKDOWN,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_CHECKED_IN_AT,
  PROP_CHECKED_OUT_AT,
  PROP_CANCELLED_AT,
  PROP_STALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_reservation_finalize (GObject *object)
{
  ParkReservation *self = (ParkReservation *) object;

  g_free (self->id);
  g_free (self->code);
  g_free (self->lot_id);
  g_free (self->lot_name);
  g_free (self->spot_id);
  g_free (self->spot_number);
  g_clear_pointer (&self->start_time, g_date_time_unref);
  g_clear_pointer (&self->end_time, g_date_time_unref);
  g_free (self->time_zone);
  g_clear_pointer (&self->hold_until, g_date_time_unref);
  g_free (self->currency);
  g_free (self->quote_id);
  g_clear_object (&self->breakdown);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_clear_pointer (&self->checked_in_at, g_date_time_unref);
  g_clear_pointer (&self->checked_out_at, g_date_time_unref);
  g_clear_pointer (&self->cancelled_at, g_date_time_unref);

  G_OBJECT_CLASS (park_reservation_parent_class)->finalize (object);
}

static void
park_reservation_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ParkReservation *self = PARK_RESERVATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_LOT_ID:
      g_value_set_string (value, self->lot_id);
      break;
    case PROP_LOT_NAME:
      g_value_set_string (value, self->lot_name);
      break;
    case PROP_SPOT_ID:
      g_value_set_string (value, self->spot_id);
      break;
    case PROP_SPOT_NUMBER:
      g_value_set_string (value, self->spot_number);
      break;
    case PROP_SPOT_TYPE:
      g_value_set_enum (value, self->spot_type);
      break;
    case PROP_LEVEL:
      g_value_set_int (value, self->level);
      break;
    case PROP_START_TIME:
      g_value_set_boxed (value, self->start_time);
      break;
    case PROP_END_TIME:
      g_value_set_boxed (value, self->end_time);
      break;
    case PROP_TIME_ZONE:
      g_value_set_string (value, self->time_zone);
      break;
    case PROP_HOLD_UNTIL:
      g_value_set_boxed (value, self->hold_until);
      break;
    case PROP_TOTAL_COST:
      g_value_set_int64 (value, self->total_cost);
      break;
    case PROP_PAID:
      g_value_set_int64 (value, self->paid);
      break;
    case PROP_BALANCE_DUE:
      g_value_set_int64 (value, self->balance_due);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case PROP_QUOTE_ID:
      g_value_set_string (value, self->quote_id);
      break;
    case PROP_BREAKDOWN:
      g_value_set_object (value, self->breakdown);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;
    case PROP_CHECKED_IN_AT:
      g_value_set_boxed (value, self->checked_in_at);
      break;
    case PROP_CHECKED_OUT_AT:
      g_value_set_boxed (value, self->checked_out_at);
      break;
    case PROP_CANCELLED_AT:
      g_value_set_boxed (value, self->cancelled_at);
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
park_reservation_class_init (ParkReservationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_reservation_finalize;
  object_class->get_property = park_reservation_get_property;

  /**
   * ParkReservation:id:
   *
   * The booking's id (a UUID).
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, RO);
  /**
   * ParkReservation:code:
   *
   * Six characters to type at a kiosk or read aloud, e.g. `K7Q4MX`.
   */
  properties[PROP_CODE] = g_param_spec_string ("code", NULL, NULL, NULL, RO);
  /**
   * ParkReservation:status:
   *
   * Where the booking stands.
   */
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL,
                                               PARK_TYPE_RESERVATION_STATUS,
                                               PARK_RESERVATION_STATUS_PENDING_PAYMENT, RO);
  /**
   * ParkReservation:lot-id:
   *
   * The id of the lot.
   */
  properties[PROP_LOT_ID] = g_param_spec_string ("lot-id", NULL, NULL, NULL, RO);
  /**
   * ParkReservation:lot-name:
   *
   * The name of the lot.
   */
  properties[PROP_LOT_NAME] = g_param_spec_string ("lot-name", NULL, NULL, NULL, RO);
  /**
   * ParkReservation:spot-id:
   *
   * The id of the spot booked.
   */
  properties[PROP_SPOT_ID] = g_param_spec_string ("spot-id", NULL, NULL, NULL, RO);
  /**
   * ParkReservation:spot-number:
   *
   * The number of the spot booked.
   */
  properties[PROP_SPOT_NUMBER] = g_param_spec_string ("spot-number", NULL, NULL, NULL, RO);
  /**
   * ParkReservation:spot-type:
   *
   * The type of the spot booked.
   */
  properties[PROP_SPOT_TYPE] = g_param_spec_enum ("spot-type", NULL, NULL,
                                                  PARK_TYPE_SPOT_TYPE, PARK_SPOT_TYPE_REGULAR, RO);
  /**
   * ParkReservation:level:
   *
   * The floor of the spot: 0 is the ground floor.
   */
  properties[PROP_LEVEL] = g_param_spec_int ("level", NULL, NULL, G_MININT, G_MAXINT, 0, RO);
  /**
   * ParkReservation:start-time:
   *
   * The start of the stay (UTC).
   */
  properties[PROP_START_TIME] = g_param_spec_boxed ("start-time", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkReservation:end-time:
   *
   * The end of the stay (UTC).
   */
  properties[PROP_END_TIME] = g_param_spec_boxed ("end-time", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkReservation:time-zone:
   *
   * The lot's IANA time zone.
   */
  properties[PROP_TIME_ZONE] = g_param_spec_string ("time-zone", NULL, NULL, NULL, RO);
  /**
   * ParkReservation:hold-until:
   *
   * While payment is pending: until when the spot is held; %NULL otherwise.
   */
  properties[PROP_HOLD_UNTIL] = g_param_spec_boxed ("hold-until", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkReservation:total-cost:
   *
   * The agreed price, in minor units of the currency.
   */
  properties[PROP_TOTAL_COST] = g_param_spec_int64 ("total-cost", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkReservation:paid:
   *
   * What was paid, less refunds.
   */
  properties[PROP_PAID] = g_param_spec_int64 ("paid", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkReservation:balance-due:
   *
   * What is left to pay.
   */
  properties[PROP_BALANCE_DUE] = g_param_spec_int64 ("balance-due", NULL, NULL,
                                                     0, G_MAXINT64, 0, RO);
  /**
   * ParkReservation:currency:
   *
   * The ISO 4217 code of the amounts.
   */
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, RO);
  /**
   * ParkReservation:quote-id:
   *
   * The quote whose price was honoured, or %NULL.
   */
  properties[PROP_QUOTE_ID] = g_param_spec_string ("quote-id", NULL, NULL, NULL, RO);
  /**
   * ParkReservation:breakdown:
   *
   * How the price is made up.
   */
  properties[PROP_BREAKDOWN] = g_param_spec_object ("breakdown", NULL, NULL,
                                                    PARK_TYPE_PRICE_BREAKDOWN, RO);
  /**
   * ParkReservation:created-at:
   *
   * When it was booked.
   */
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkReservation:updated-at:
   *
   * When it last changed.
   */
  properties[PROP_UPDATED_AT] = g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkReservation:checked-in-at:
   *
   * When the car arrived, or %NULL.
   */
  properties[PROP_CHECKED_IN_AT] = g_param_spec_boxed ("checked-in-at", NULL, NULL,
                                                       G_TYPE_DATE_TIME, RO);
  /**
   * ParkReservation:checked-out-at:
   *
   * When the car left, or %NULL.
   */
  properties[PROP_CHECKED_OUT_AT] = g_param_spec_boxed ("checked-out-at", NULL, NULL,
                                                        G_TYPE_DATE_TIME, RO);
  /**
   * ParkReservation:cancelled-at:
   *
   * When the booking was cancelled, or %NULL.
   */
  properties[PROP_CANCELLED_AT] = g_param_spec_boxed ("cancelled-at", NULL, NULL,
                                                      G_TYPE_DATE_TIME, RO);

  /**
   * ParkReservation:stale:
   *
   * %TRUE when the server could not be reached and this is the last answer it gave, from
   *   the client's offline cache (#ParkClient:cache-dir): show it as possibly out of date.
   */
  properties[PROP_STALE] = g_param_spec_boolean ("stale", NULL, NULL, FALSE, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_reservation_init (ParkReservation *self)
{
}

ParkReservation *
_park_reservation_new_from_json_at (JsonObject  *object,
                                    const char  *path,
                                    GError     **error)
{
  g_autoptr(ParkReservation) self = g_object_new (PARK_TYPE_RESERVATION, NULL);
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  self->id = _park_json_dup_string (&reader, "id", PARK_JSON_NONEMPTY);
  self->code = _park_json_dup_string (&reader, "code", PARK_JSON_NONEMPTY);
  self->status = _park_json_get_enum (&reader, "status", PARK_TYPE_RESERVATION_STATUS, 0,
                                      PARK_RESERVATION_STATUS_PENDING_PAYMENT);
  self->lot_id = _park_json_dup_string (&reader, "parking_lot_id", PARK_JSON_NONEMPTY);
  self->lot_name = _park_json_dup_string (&reader, "lot_name", 0);
  self->spot_id = _park_json_dup_string (&reader, "parking_spot_id", PARK_JSON_NONEMPTY);
  self->spot_number = _park_json_dup_string (&reader, "spot_number", 0);
  self->spot_type = _park_json_get_enum (&reader, "spot_type", PARK_TYPE_SPOT_TYPE, 0,
                                         PARK_SPOT_TYPE_REGULAR);
  self->level = _park_json_get_int (&reader, "level", G_MININT, G_MAXINT, 0, 0);
  self->start_time = _park_json_dup_date_time (&reader, "start_time", 0);
  self->end_time = _park_json_dup_date_time (&reader, "end_time", 0);
  self->time_zone = _park_json_dup_string (&reader, "time_zone", PARK_JSON_NONEMPTY);
  self->hold_until = _park_json_dup_date_time (&reader, "hold_until", PARK_JSON_NULLABLE);
  self->total_cost = _park_json_get_int (&reader, "total_cost", 0, G_MAXINT64, 0, 0);
  self->paid = _park_json_get_int (&reader, "paid", 0, G_MAXINT64, 0, 0);
  self->balance_due = _park_json_get_int (&reader, "balance_due", 0, G_MAXINT64, 0, 0);
  self->currency = _park_json_dup_string (&reader, "currency", PARK_JSON_NONEMPTY);
  self->quote_id = _park_json_dup_string (&reader, "quote_id", PARK_JSON_NULLABLE);
  self->breakdown =
    _park_json_read_model (&reader, "quote", 0,
                           (ParkModelParser) _park_price_breakdown_new_from_json_at);
  self->created_at = _park_json_dup_date_time (&reader, "created_at", 0);
  self->updated_at = _park_json_dup_date_time (&reader, "updated_at", 0);
  self->checked_in_at = _park_json_dup_date_time (&reader, "checked_in_at", PARK_JSON_NULLABLE);
  self->checked_out_at = _park_json_dup_date_time (&reader, "checked_out_at", PARK_JSON_NULLABLE);
  self->cancelled_at = _park_json_dup_date_time (&reader, "cancelled_at", PARK_JSON_NULLABLE);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_reservation_new_from_json:
 * @object: a booking as the API describes it (`Reservation` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads a reservation, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkReservation, or %NULL with @error set
 */
ParkReservation *
park_reservation_new_from_json (JsonObject  *object,
                                GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_reservation_new_from_json_at (object, NULL, error);
}

/**
 * park_reservation_get_id:
 * @self: a #ParkReservation
 *
 * Returns: (transfer none): the booking's id (a UUID)
 */
const char *
park_reservation_get_id (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), NULL);
  return self->id;
}

/**
 * park_reservation_get_code:
 * @self: a #ParkReservation
 *
 * Returns: (transfer none): six characters to type at a kiosk or read aloud, e.g. `K7Q4MX`
 */
const char *
park_reservation_get_code (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), NULL);
  return self->code;
}

/**
 * park_reservation_get_status:
 * @self: a #ParkReservation
 *
 * Returns: where the booking stands
 */
ParkReservationStatus
park_reservation_get_status (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), 0);
  return self->status;
}

/**
 * park_reservation_get_lot_id:
 * @self: a #ParkReservation
 *
 * Returns: (transfer none): the id of the lot
 */
const char *
park_reservation_get_lot_id (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), NULL);
  return self->lot_id;
}

/**
 * park_reservation_get_lot_name:
 * @self: a #ParkReservation
 *
 * Returns: (transfer none): the name of the lot
 */
const char *
park_reservation_get_lot_name (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), NULL);
  return self->lot_name;
}

/**
 * park_reservation_get_spot_id:
 * @self: a #ParkReservation
 *
 * Returns: (transfer none): the id of the spot booked
 */
const char *
park_reservation_get_spot_id (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), NULL);
  return self->spot_id;
}

/**
 * park_reservation_get_spot_number:
 * @self: a #ParkReservation
 *
 * Returns: (transfer none): the number of the spot booked
 */
const char *
park_reservation_get_spot_number (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), NULL);
  return self->spot_number;
}

/**
 * park_reservation_get_spot_type:
 * @self: a #ParkReservation
 *
 * Returns: the type of the spot booked
 */
ParkSpotType
park_reservation_get_spot_type (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), 0);
  return self->spot_type;
}

/**
 * park_reservation_get_level:
 * @self: a #ParkReservation
 *
 * Returns: the floor of the spot: 0 is the ground floor
 */
int
park_reservation_get_level (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), 0);
  return self->level;
}

/**
 * park_reservation_get_start_time:
 * @self: a #ParkReservation
 *
 * Returns: (transfer none): the start of the stay (UTC)
 */
GDateTime *
park_reservation_get_start_time (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), NULL);
  return self->start_time;
}

/**
 * park_reservation_get_end_time:
 * @self: a #ParkReservation
 *
 * Returns: (transfer none): the end of the stay (UTC)
 */
GDateTime *
park_reservation_get_end_time (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), NULL);
  return self->end_time;
}

/**
 * park_reservation_get_time_zone:
 * @self: a #ParkReservation
 *
 * Returns: (transfer none): the lot's IANA time zone
 */
const char *
park_reservation_get_time_zone (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), NULL);
  return self->time_zone;
}

/**
 * park_reservation_get_hold_until:
 * @self: a #ParkReservation
 *
 * Returns: (transfer none) (nullable): while payment is pending: until when the spot is held;
 *   %NULL otherwise
 */
GDateTime *
park_reservation_get_hold_until (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), NULL);
  return self->hold_until;
}

/**
 * park_reservation_get_total_cost:
 * @self: a #ParkReservation
 *
 * Returns: the agreed price, in minor units of the currency
 */
gint64
park_reservation_get_total_cost (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), 0);
  return self->total_cost;
}

/**
 * park_reservation_get_paid:
 * @self: a #ParkReservation
 *
 * Returns: what was paid, less refunds
 */
gint64
park_reservation_get_paid (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), 0);
  return self->paid;
}

/**
 * park_reservation_get_balance_due:
 * @self: a #ParkReservation
 *
 * Returns: what is left to pay
 */
gint64
park_reservation_get_balance_due (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), 0);
  return self->balance_due;
}

/**
 * park_reservation_get_currency:
 * @self: a #ParkReservation
 *
 * Returns: (transfer none): the ISO 4217 code of the amounts
 */
const char *
park_reservation_get_currency (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), NULL);
  return self->currency;
}

/**
 * park_reservation_get_quote_id:
 * @self: a #ParkReservation
 *
 * Returns: (transfer none) (nullable): the quote whose price was honoured, or %NULL
 */
const char *
park_reservation_get_quote_id (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), NULL);
  return self->quote_id;
}

/**
 * park_reservation_get_breakdown:
 * @self: a #ParkReservation
 *
 * Returns: (transfer none): how the price is made up
 */
ParkPriceBreakdown *
park_reservation_get_breakdown (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), NULL);
  return self->breakdown;
}

/**
 * park_reservation_get_created_at:
 * @self: a #ParkReservation
 *
 * Returns: (transfer none): when it was booked
 */
GDateTime *
park_reservation_get_created_at (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), NULL);
  return self->created_at;
}

/**
 * park_reservation_get_updated_at:
 * @self: a #ParkReservation
 *
 * Returns: (transfer none): when it last changed
 */
GDateTime *
park_reservation_get_updated_at (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), NULL);
  return self->updated_at;
}

/**
 * park_reservation_get_checked_in_at:
 * @self: a #ParkReservation
 *
 * Returns: (transfer none) (nullable): when the car arrived, or %NULL
 */
GDateTime *
park_reservation_get_checked_in_at (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), NULL);
  return self->checked_in_at;
}

/**
 * park_reservation_get_checked_out_at:
 * @self: a #ParkReservation
 *
 * Returns: (transfer none) (nullable): when the car left, or %NULL
 */
GDateTime *
park_reservation_get_checked_out_at (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), NULL);
  return self->checked_out_at;
}

/**
 * park_reservation_get_cancelled_at:
 * @self: a #ParkReservation
 *
 * Returns: (transfer none) (nullable): when the booking was cancelled, or %NULL
 */
GDateTime *
park_reservation_get_cancelled_at (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), NULL);
  return self->cancelled_at;
}

/**
 * park_reservation_get_stale:
 * @self: a #ParkReservation
 *
 * Returns: whether @self came from the offline cache (see #ParkReservation:stale)
 */
gboolean
park_reservation_get_stale (ParkReservation *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATION (self), FALSE);
  return self->stale;
}

void
_park_reservation_set_stale (ParkReservation *self)
{
  self->stale = TRUE;
}
