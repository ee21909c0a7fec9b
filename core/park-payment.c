/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-payment.c: a payment for a booking, by card or in cash. */
#include "config.h"

#include "park-payment.h"
#include "park-enums.h"
#include "park-json-private.h"
#include "park-models-private.h"

struct _ParkPayment
{
  GObject parent_instance;

  char                *id;
  char                *reservation_id;
  char                *session_id;
  ParkPaymentProvider  provider;
  char                *provider_ref;
  ParkPaymentStatus    status;
  gint64               amount;
  gint64               refunded;
  char                *currency;
  gint64               tendered;
  gint64               change;
  GDateTime           *created_at;
};

G_DEFINE_FINAL_TYPE (ParkPayment, park_payment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_RESERVATION_ID,
  PROP_SESSION_ID,
  PROP_PROVIDER,
  PROP_PROVIDER_REF,
  PROP_STATUS,
  PROP_AMOUNT,
  PROP_REFUNDED,
  PROP_CURRENCY,
  PROP_TENDERED,
  PROP_CHANGE,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_payment_finalize (GObject *object)
{
  ParkPayment *self = (ParkPayment *) object;

  g_free (self->id);
  g_free (self->reservation_id);
  g_free (self->session_id);
  g_free (self->provider_ref);
  g_free (self->currency);
  g_clear_pointer (&self->created_at, g_date_time_unref);

  G_OBJECT_CLASS (park_payment_parent_class)->finalize (object);
}

static void
park_payment_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ParkPayment *self = PARK_PAYMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_RESERVATION_ID:
      g_value_set_string (value, self->reservation_id);
      break;
    case PROP_SESSION_ID:
      g_value_set_string (value, self->session_id);
      break;
    case PROP_PROVIDER:
      g_value_set_enum (value, self->provider);
      break;
    case PROP_PROVIDER_REF:
      g_value_set_string (value, self->provider_ref);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_AMOUNT:
      g_value_set_int64 (value, self->amount);
      break;
    case PROP_REFUNDED:
      g_value_set_int64 (value, self->refunded);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case PROP_TENDERED:
      g_value_set_int64 (value, self->tendered);
      break;
    case PROP_CHANGE:
      g_value_set_int64 (value, self->change);
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
park_payment_class_init (ParkPaymentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_payment_finalize;
  object_class->get_property = park_payment_get_property;

  /**
   * ParkPayment:id:
   *
   * The payment's id (a UUID).
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, RO);
  /**
   * ParkPayment:reservation-id:
   *
   * The id of the booking paid for, or %NULL for a walk-in stay's check-out.
   */
  properties[PROP_RESERVATION_ID] = g_param_spec_string ("reservation-id", NULL, NULL, NULL, RO);
  /**
   * ParkPayment:session-id:
   *
   * The id of the stay whose check-out this paid, or %NULL for a booking's payment.
   */
  properties[PROP_SESSION_ID] = g_param_spec_string ("session-id", NULL, NULL, NULL, RO);
  /**
   * ParkPayment:provider:
   *
   * How it was paid.
   */
  properties[PROP_PROVIDER] = g_param_spec_enum ("provider", NULL, NULL,
                                                 PARK_TYPE_PAYMENT_PROVIDER,
                                                 PARK_PAYMENT_PROVIDER_CASH, RO);
  /**
   * ParkPayment:provider-ref:
   *
   * Stripe's PaymentIntent id, or %NULL for cash.
   */
  properties[PROP_PROVIDER_REF] = g_param_spec_string ("provider-ref", NULL, NULL, NULL, RO);
  /**
   * ParkPayment:status:
   *
   * Where the payment stands.
   */
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL,
                                               PARK_TYPE_PAYMENT_STATUS,
                                               PARK_PAYMENT_STATUS_PENDING, RO);
  /**
   * ParkPayment:amount:
   *
   * The amount paid, in minor units of the currency.
   */
  properties[PROP_AMOUNT] = g_param_spec_int64 ("amount", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkPayment:refunded:
   *
   * How much of it was given back, in minor units.
   */
  properties[PROP_REFUNDED] = g_param_spec_int64 ("refunded", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkPayment:currency:
   *
   * The ISO 4217 code of the amounts.
   */
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, RO);
  /**
   * ParkPayment:tendered:
   *
   * Cash: what was handed over; -1 for cards.
   */
  properties[PROP_TENDERED] = g_param_spec_int64 ("tendered", NULL, NULL, -1, G_MAXINT64, -1, RO);
  /**
   * ParkPayment:change:
   *
   * Cash: the change given; -1 for cards.
   */
  properties[PROP_CHANGE] = g_param_spec_int64 ("change", NULL, NULL, -1, G_MAXINT64, -1, RO);
  /**
   * ParkPayment:created-at:
   *
   * When the payment was made.
   */
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_payment_init (ParkPayment *self)
{
  self->tendered = -1;
  self->change = -1;
}

ParkPayment *
_park_payment_new_from_json_at (JsonObject  *object,
                                const char  *path,
                                GError     **error)
{
  g_autoptr(ParkPayment) self = g_object_new (PARK_TYPE_PAYMENT, NULL);
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  self->id = _park_json_dup_string (&reader, "id", PARK_JSON_NONEMPTY);
  /* A booking's payment, or a stay's check-out (a walk-in has no booking). */
  self->reservation_id = _park_json_dup_string (&reader, "reservation_id",
                                                PARK_JSON_NULLABLE | PARK_JSON_NONEMPTY);
  self->session_id = _park_json_dup_string (&reader, "session_id",
                                            PARK_JSON_NULLABLE | PARK_JSON_NONEMPTY);
  self->provider = _park_json_get_enum (&reader, "provider", PARK_TYPE_PAYMENT_PROVIDER, 0,
                                        PARK_PAYMENT_PROVIDER_CASH);
  self->provider_ref = _park_json_dup_string (&reader, "provider_ref", PARK_JSON_NULLABLE);
  self->status = _park_json_get_enum (&reader, "status", PARK_TYPE_PAYMENT_STATUS, 0,
                                      PARK_PAYMENT_STATUS_PENDING);
  self->amount = _park_json_get_int (&reader, "amount", 0, G_MAXINT64, 0, 0);
  self->refunded = _park_json_get_int (&reader, "refunded", 0, G_MAXINT64, 0, 0);
  self->currency = _park_json_dup_string (&reader, "currency", PARK_JSON_NONEMPTY);
  self->tendered = _park_json_get_int (&reader, "tendered", 0, G_MAXINT64, PARK_JSON_NULLABLE, -1);
  self->change = _park_json_get_int (&reader, "change", 0, G_MAXINT64, PARK_JSON_NULLABLE, -1);
  self->created_at = _park_json_dup_date_time (&reader, "created_at", 0);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_payment_new_from_json:
 * @object: a payment as the API describes it (`Payment` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads a payment, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkPayment, or %NULL with @error set
 */
ParkPayment *
park_payment_new_from_json (JsonObject  *object,
                            GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_payment_new_from_json_at (object, NULL, error);
}

/**
 * park_payment_get_id:
 * @self: a #ParkPayment
 *
 * Returns: (transfer none): the payment's id (a UUID)
 */
const char *
park_payment_get_id (ParkPayment *self)
{
  g_return_val_if_fail (PARK_IS_PAYMENT (self), NULL);
  return self->id;
}

/**
 * park_payment_get_reservation_id:
 * @self: a #ParkPayment
 *
 * Returns: (transfer none) (nullable): the id of the booking paid for, or %NULL for a walk-in
 *   stay's check-out
 */
const char *
park_payment_get_reservation_id (ParkPayment *self)
{
  g_return_val_if_fail (PARK_IS_PAYMENT (self), NULL);
  return self->reservation_id;
}

/**
 * park_payment_get_session_id:
 * @self: a #ParkPayment
 *
 * Returns: (transfer none) (nullable): the id of the stay whose check-out this paid, or %NULL
 *   for a booking's payment
 */
const char *
park_payment_get_session_id (ParkPayment *self)
{
  g_return_val_if_fail (PARK_IS_PAYMENT (self), NULL);
  return self->session_id;
}

/**
 * park_payment_get_provider:
 * @self: a #ParkPayment
 *
 * Returns: how it was paid
 */
ParkPaymentProvider
park_payment_get_provider (ParkPayment *self)
{
  g_return_val_if_fail (PARK_IS_PAYMENT (self), 0);
  return self->provider;
}

/**
 * park_payment_get_provider_ref:
 * @self: a #ParkPayment
 *
 * Returns: (transfer none) (nullable): stripe's PaymentIntent id, or %NULL for cash
 */
const char *
park_payment_get_provider_ref (ParkPayment *self)
{
  g_return_val_if_fail (PARK_IS_PAYMENT (self), NULL);
  return self->provider_ref;
}

/**
 * park_payment_get_status:
 * @self: a #ParkPayment
 *
 * Returns: where the payment stands
 */
ParkPaymentStatus
park_payment_get_status (ParkPayment *self)
{
  g_return_val_if_fail (PARK_IS_PAYMENT (self), 0);
  return self->status;
}

/**
 * park_payment_get_amount:
 * @self: a #ParkPayment
 *
 * Returns: the amount paid, in minor units of the currency
 */
gint64
park_payment_get_amount (ParkPayment *self)
{
  g_return_val_if_fail (PARK_IS_PAYMENT (self), 0);
  return self->amount;
}

/**
 * park_payment_get_refunded:
 * @self: a #ParkPayment
 *
 * Returns: how much of it was given back, in minor units
 */
gint64
park_payment_get_refunded (ParkPayment *self)
{
  g_return_val_if_fail (PARK_IS_PAYMENT (self), 0);
  return self->refunded;
}

/**
 * park_payment_get_currency:
 * @self: a #ParkPayment
 *
 * Returns: (transfer none): the ISO 4217 code of the amounts
 */
const char *
park_payment_get_currency (ParkPayment *self)
{
  g_return_val_if_fail (PARK_IS_PAYMENT (self), NULL);
  return self->currency;
}

/**
 * park_payment_get_tendered:
 * @self: a #ParkPayment
 *
 * Returns: cash: what was handed over; -1 for cards
 */
gint64
park_payment_get_tendered (ParkPayment *self)
{
  g_return_val_if_fail (PARK_IS_PAYMENT (self), -1);
  return self->tendered;
}

/**
 * park_payment_get_change:
 * @self: a #ParkPayment
 *
 * Returns: cash: the change given; -1 for cards
 */
gint64
park_payment_get_change (ParkPayment *self)
{
  g_return_val_if_fail (PARK_IS_PAYMENT (self), -1);
  return self->change;
}

/**
 * park_payment_get_created_at:
 * @self: a #ParkPayment
 *
 * Returns: (transfer none): when the payment was made
 */
GDateTime *
park_payment_get_created_at (ParkPayment *self)
{
  g_return_val_if_fail (PARK_IS_PAYMENT (self), NULL);
  return self->created_at;
}
