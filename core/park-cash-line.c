/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-cash-line.c: one attendant's line of a cash report (`CashReport attendants` in
 * openapi.json). */
#include "config.h"

#include "park-cash-line.h"
#include "park-admin-models-private.h"
#include "park-enums.h"
#include "park-json-private.h"

struct _ParkCashLine
{
  GObject parent_instance;

  char   *attendant_id;
  char   *email;
  gint64  payments;
  gint64  taken;
  gint64  refunded;
  gint64  net;
};

G_DEFINE_FINAL_TYPE (ParkCashLine, park_cash_line, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ATTENDANT_ID,
  PROP_EMAIL,
  PROP_PAYMENTS,
  PROP_TAKEN,
  PROP_REFUNDED,
  PROP_NET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_cash_line_finalize (GObject *object)
{
  ParkCashLine *self = (ParkCashLine *) object;

  g_free (self->attendant_id);
  g_free (self->email);

  G_OBJECT_CLASS (park_cash_line_parent_class)->finalize (object);
}

static void
park_cash_line_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ParkCashLine *self = PARK_CASH_LINE (object);

  switch (prop_id)
    {
    case PROP_ATTENDANT_ID:
      g_value_set_string (value, self->attendant_id);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_PAYMENTS:
      g_value_set_int64 (value, self->payments);
      break;
    case PROP_TAKEN:
      g_value_set_int64 (value, self->taken);
      break;
    case PROP_REFUNDED:
      g_value_set_int64 (value, self->refunded);
      break;
    case PROP_NET:
      g_value_set_int64 (value, self->net);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_cash_line_class_init (ParkCashLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_cash_line_finalize;
  object_class->get_property = park_cash_line_get_property;

  /**
   * ParkCashLine:attendant-id:
   *
   * The attendant's account id, or %NULL when the account is gone.
   */
  properties[PROP_ATTENDANT_ID] = g_param_spec_string ("attendant-id", NULL, NULL, NULL, RO);
  /**
   * ParkCashLine:email:
   *
   * The attendant's e-mail address, or %NULL when the account is gone.
   */
  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, NULL, RO);
  /**
   * ParkCashLine:payments:
   *
   * How many cash payments they took.
   */
  properties[PROP_PAYMENTS] = g_param_spec_int64 ("payments", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkCashLine:taken:
   *
   * The cash they received, in minor units.
   */
  properties[PROP_TAKEN] = g_param_spec_int64 ("taken", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkCashLine:refunded:
   *
   * Of those payments, what was given back within the period, in minor units.
   */
  properties[PROP_REFUNDED] = g_param_spec_int64 ("refunded", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkCashLine:net:
   *
   * Taken minus refunded, in minor units.
   */
  properties[PROP_NET] = g_param_spec_int64 ("net", NULL, NULL, G_MININT64, G_MAXINT64, 0, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_cash_line_init (ParkCashLine *self)
{
}

ParkCashLine *
_park_cash_line_new_from_json_at (JsonObject  *object,
                                   const char  *path,
                                   GError     **error)
{
  g_autoptr(ParkCashLine) self = g_object_new (PARK_TYPE_CASH_LINE, NULL);
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  self->attendant_id = _park_json_dup_string (&reader, "attendant_id", PARK_JSON_NULLABLE);
  self->email = _park_json_dup_string (&reader, "email", PARK_JSON_NULLABLE);
  self->payments = _park_json_get_int (&reader, "payments", 0, G_MAXINT64, 0, 0);
  self->taken = _park_json_get_int (&reader, "taken", 0, G_MAXINT64, 0, 0);
  self->refunded = _park_json_get_int (&reader, "refunded", 0, G_MAXINT64, 0, 0);
  self->net = _park_json_get_int (&reader, "net", G_MININT64, G_MAXINT64, 0, 0);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_cash_line_new_from_json:
 * @object: one attendant's line of a cash report as the API describes it (`CashReport
 *   attendants` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads it, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkCashLine, or %NULL with @error set
 */
ParkCashLine *
park_cash_line_new_from_json (JsonObject  *object,
                               GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_cash_line_new_from_json_at (object, NULL, error);
}

/**
 * park_cash_line_get_attendant_id:
 * @self: a #ParkCashLine
 *
 * Returns: (transfer none) (nullable): the attendant's account id, or %NULL when the account
 *   is gone
 */
const char *
park_cash_line_get_attendant_id (ParkCashLine *self)
{
  g_return_val_if_fail (PARK_IS_CASH_LINE (self), NULL);
  return self->attendant_id;
}

/**
 * park_cash_line_get_email:
 * @self: a #ParkCashLine
 *
 * Returns: (transfer none) (nullable): the attendant's e-mail address, or %NULL when the
 *   account is gone
 */
const char *
park_cash_line_get_email (ParkCashLine *self)
{
  g_return_val_if_fail (PARK_IS_CASH_LINE (self), NULL);
  return self->email;
}

/**
 * park_cash_line_get_payments:
 * @self: a #ParkCashLine
 *
 * Returns: how many cash payments they took
 */
gint64
park_cash_line_get_payments (ParkCashLine *self)
{
  g_return_val_if_fail (PARK_IS_CASH_LINE (self), -1);
  return self->payments;
}

/**
 * park_cash_line_get_taken:
 * @self: a #ParkCashLine
 *
 * Returns: the cash they received, in minor units
 */
gint64
park_cash_line_get_taken (ParkCashLine *self)
{
  g_return_val_if_fail (PARK_IS_CASH_LINE (self), -1);
  return self->taken;
}

/**
 * park_cash_line_get_refunded:
 * @self: a #ParkCashLine
 *
 * Returns: of those payments, what was given back within the period, in minor units
 */
gint64
park_cash_line_get_refunded (ParkCashLine *self)
{
  g_return_val_if_fail (PARK_IS_CASH_LINE (self), -1);
  return self->refunded;
}

/**
 * park_cash_line_get_net:
 * @self: a #ParkCashLine
 *
 * Returns: taken minus refunded, in minor units
 */
gint64
park_cash_line_get_net (ParkCashLine *self)
{
  g_return_val_if_fail (PARK_IS_CASH_LINE (self), -1);
  return self->net;
}
