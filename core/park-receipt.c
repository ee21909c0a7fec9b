/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-receipt.c: what a payment paid for, for the driver or a booth printer. */
#include "config.h"

#include "park-receipt.h"
#include "park-enums.h"
#include "park-json-private.h"
#include "park-models-private.h"

struct _ParkReceipt
{
  GObject parent_instance;

  ParkPayment        *payment;
  char               *operator_name;
  char               *operator_city;
  char               *lot_name;
  char               *lot_address;
  char               *time_zone;
  char               *reservation_code;
  char               *ticket;
  char               *plate;
  ParkPriceBreakdown *breakdown;
};

G_DEFINE_FINAL_TYPE (ParkReceipt, park_receipt, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PAYMENT,
  PROP_OPERATOR_NAME,
  PROP_OPERATOR_CITY,
  PROP_LOT_NAME,
  PROP_LOT_ADDRESS,
  PROP_TIME_ZONE,
  PROP_RESERVATION_CODE,
  PROP_TICKET,
  PROP_PLATE,
  PROP_BREAKDOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_receipt_finalize (GObject *object)
{
  ParkReceipt *self = (ParkReceipt *) object;

  g_clear_object (&self->payment);
  g_free (self->operator_name);
  g_free (self->operator_city);
  g_free (self->lot_name);
  g_free (self->lot_address);
  g_free (self->time_zone);
  g_free (self->reservation_code);
  g_free (self->ticket);
  g_free (self->plate);
  g_clear_object (&self->breakdown);

  G_OBJECT_CLASS (park_receipt_parent_class)->finalize (object);
}

static void
park_receipt_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ParkReceipt *self = PARK_RECEIPT (object);

  switch (prop_id)
    {
    case PROP_PAYMENT:
      g_value_set_object (value, self->payment);
      break;
    case PROP_OPERATOR_NAME:
      g_value_set_string (value, self->operator_name);
      break;
    case PROP_OPERATOR_CITY:
      g_value_set_string (value, self->operator_city);
      break;
    case PROP_LOT_NAME:
      g_value_set_string (value, self->lot_name);
      break;
    case PROP_LOT_ADDRESS:
      g_value_set_string (value, self->lot_address);
      break;
    case PROP_TIME_ZONE:
      g_value_set_string (value, self->time_zone);
      break;
    case PROP_RESERVATION_CODE:
      g_value_set_string (value, self->reservation_code);
      break;
    case PROP_TICKET:
      g_value_set_string (value, self->ticket);
      break;
    case PROP_PLATE:
      g_value_set_string (value, self->plate);
      break;
    case PROP_BREAKDOWN:
      g_value_set_object (value, self->breakdown);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_receipt_class_init (ParkReceiptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_receipt_finalize;
  object_class->get_property = park_receipt_get_property;

  /**
   * ParkReceipt:payment:
   *
   * The payment.
   */
  properties[PROP_PAYMENT] = g_param_spec_object ("payment", NULL, NULL, PARK_TYPE_PAYMENT, RO);
  /**
   * ParkReceipt:operator-name:
   *
   * The name of the operator who took it.
   */
  properties[PROP_OPERATOR_NAME] = g_param_spec_string ("operator-name", NULL, NULL, NULL, RO);
  /**
   * ParkReceipt:operator-city:
   *
   * The operator's city.
   */
  properties[PROP_OPERATOR_CITY] = g_param_spec_string ("operator-city", NULL, NULL, NULL, RO);
  /**
   * ParkReceipt:lot-name:
   *
   * The name of the lot.
   */
  properties[PROP_LOT_NAME] = g_param_spec_string ("lot-name", NULL, NULL, NULL, RO);
  /**
   * ParkReceipt:lot-address:
   *
   * The address of the lot.
   */
  properties[PROP_LOT_ADDRESS] = g_param_spec_string ("lot-address", NULL, NULL, NULL, RO);
  /**
   * ParkReceipt:time-zone:
   *
   * The lot's IANA time zone.
   */
  properties[PROP_TIME_ZONE] = g_param_spec_string ("time-zone", NULL, NULL, NULL, RO);
  /**
   * ParkReceipt:reservation-code:
   *
   * The code of the booking paid for, or %NULL for a stay's check-out.
   */
  properties[PROP_RESERVATION_CODE] = g_param_spec_string ("reservation-code", NULL, NULL,
                                                           NULL, RO);
  /**
   * ParkReceipt:ticket:
   *
   * For a stay's check-out: the stay's ticket; %NULL for a booking paid ahead.
   */
  properties[PROP_TICKET] = g_param_spec_string ("ticket", NULL, NULL, NULL, RO);
  /**
   * ParkReceipt:plate:
   *
   * For a stay's check-out: the car's number plate; %NULL for a booking paid ahead.
   */
  properties[PROP_PLATE] = g_param_spec_string ("plate", NULL, NULL, NULL, RO);
  /**
   * ParkReceipt:breakdown:
   *
   * What was paid for: the price breakdown when it was paid.
   */
  properties[PROP_BREAKDOWN] = g_param_spec_object ("breakdown", NULL, NULL,
                                                    PARK_TYPE_PRICE_BREAKDOWN, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_receipt_init (ParkReceipt *self)
{
}

ParkReceipt *
_park_receipt_new_from_json_at (JsonObject  *object,
                                const char  *path,
                                GError     **error)
{
  g_autoptr(ParkReceipt) self = g_object_new (PARK_TYPE_RECEIPT, NULL);
  ParkJsonReader reader;
  ParkJsonReader op, lot, stay;

  _park_json_reader_init (&reader, object, path);
  self->payment = _park_json_read_model (&reader, "payment", 0,
                                         (ParkModelParser) _park_payment_new_from_json_at);
  self->reservation_code = _park_json_dup_string (&reader, "reservation_code",
                                                  PARK_JSON_NULLABLE | PARK_JSON_NONEMPTY);
  /* A check-out's receipt names the stay; a booking paid ahead has none. */
  if (_park_json_reader_enter (&reader, "session", PARK_JSON_NULLABLE, &stay))
    {
      self->ticket = _park_json_dup_string (&stay, "ticket", PARK_JSON_NONEMPTY);
      self->plate = _park_json_dup_string (&stay, "plate", 0);
    }
  self->breakdown =
    _park_json_read_model (&reader, "breakdown", 0,
                           (ParkModelParser) _park_price_breakdown_new_from_json_at);

  if (_park_json_reader_enter (&reader, "operator", 0, &op))
    {
      self->operator_name = _park_json_dup_string (&op, "name", 0);
      self->operator_city = _park_json_dup_string (&op, "city", 0);
    }
  if (_park_json_reader_enter (&reader, "lot", 0, &lot))
    {
      self->lot_name = _park_json_dup_string (&lot, "name", 0);
      self->lot_address = _park_json_dup_string (&lot, "address", 0);
      self->time_zone = _park_json_dup_string (&lot, "time_zone", PARK_JSON_NONEMPTY);
    }

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_receipt_new_from_json:
 * @object: a receipt as the API describes it (`Receipt` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads a receipt, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkReceipt, or %NULL with @error set
 */
ParkReceipt *
park_receipt_new_from_json (JsonObject  *object,
                            GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_receipt_new_from_json_at (object, NULL, error);
}

/**
 * park_receipt_get_payment:
 * @self: a #ParkReceipt
 *
 * Returns: (transfer none): the payment
 */
ParkPayment *
park_receipt_get_payment (ParkReceipt *self)
{
  g_return_val_if_fail (PARK_IS_RECEIPT (self), NULL);
  return self->payment;
}

/**
 * park_receipt_get_operator_name:
 * @self: a #ParkReceipt
 *
 * Returns: (transfer none): the name of the operator who took it
 */
const char *
park_receipt_get_operator_name (ParkReceipt *self)
{
  g_return_val_if_fail (PARK_IS_RECEIPT (self), NULL);
  return self->operator_name;
}

/**
 * park_receipt_get_operator_city:
 * @self: a #ParkReceipt
 *
 * Returns: (transfer none): the operator's city
 */
const char *
park_receipt_get_operator_city (ParkReceipt *self)
{
  g_return_val_if_fail (PARK_IS_RECEIPT (self), NULL);
  return self->operator_city;
}

/**
 * park_receipt_get_lot_name:
 * @self: a #ParkReceipt
 *
 * Returns: (transfer none): the name of the lot
 */
const char *
park_receipt_get_lot_name (ParkReceipt *self)
{
  g_return_val_if_fail (PARK_IS_RECEIPT (self), NULL);
  return self->lot_name;
}

/**
 * park_receipt_get_lot_address:
 * @self: a #ParkReceipt
 *
 * Returns: (transfer none): the address of the lot
 */
const char *
park_receipt_get_lot_address (ParkReceipt *self)
{
  g_return_val_if_fail (PARK_IS_RECEIPT (self), NULL);
  return self->lot_address;
}

/**
 * park_receipt_get_time_zone:
 * @self: a #ParkReceipt
 *
 * Returns: (transfer none): the lot's IANA time zone
 */
const char *
park_receipt_get_time_zone (ParkReceipt *self)
{
  g_return_val_if_fail (PARK_IS_RECEIPT (self), NULL);
  return self->time_zone;
}

/**
 * park_receipt_get_reservation_code:
 * @self: a #ParkReceipt
 *
 * Returns: (transfer none) (nullable): the code of the booking paid for, or %NULL for a
 *   stay's check-out
 */
const char *
park_receipt_get_reservation_code (ParkReceipt *self)
{
  g_return_val_if_fail (PARK_IS_RECEIPT (self), NULL);
  return self->reservation_code;
}

/**
 * park_receipt_get_ticket:
 * @self: a #ParkReceipt
 *
 * Returns: (transfer none) (nullable): the ticket of the stay checked out, or %NULL for a
 *   booking paid ahead
 */
const char *
park_receipt_get_ticket (ParkReceipt *self)
{
  g_return_val_if_fail (PARK_IS_RECEIPT (self), NULL);
  return self->ticket;
}

/**
 * park_receipt_get_plate:
 * @self: a #ParkReceipt
 *
 * Returns: (transfer none) (nullable): the number plate of the stay checked out, or %NULL for
 *   a booking paid ahead
 */
const char *
park_receipt_get_plate (ParkReceipt *self)
{
  g_return_val_if_fail (PARK_IS_RECEIPT (self), NULL);
  return self->plate;
}

/**
 * park_receipt_get_breakdown:
 * @self: a #ParkReceipt
 *
 * Returns: (transfer none): what was paid for: the price breakdown when it was paid
 */
ParkPriceBreakdown *
park_receipt_get_breakdown (ParkReceipt *self)
{
  g_return_val_if_fail (PARK_IS_RECEIPT (self), NULL);
  return self->breakdown;
}
