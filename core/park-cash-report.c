/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-cash-report.c: the cash attendants took at the booths in a period (`CashReport` in
 * openapi.json). */
#include "config.h"

#include "park-cash-report.h"
#include "park-admin-models-private.h"
#include "park-enums.h"
#include "park-json-private.h"

struct _ParkCashReport
{
  GObject parent_instance;

  GDateTime  *from;
  GDateTime  *to;
  char       *currency;
  GListStore *attendants;
  gint64      total;
};

G_DEFINE_FINAL_TYPE (ParkCashReport, park_cash_report, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FROM,
  PROP_TO,
  PROP_CURRENCY,
  PROP_ATTENDANTS,
  PROP_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_cash_report_finalize (GObject *object)
{
  ParkCashReport *self = (ParkCashReport *) object;

  g_clear_pointer (&self->from, g_date_time_unref);
  g_clear_pointer (&self->to, g_date_time_unref);
  g_free (self->currency);
  g_clear_object (&self->attendants);

  G_OBJECT_CLASS (park_cash_report_parent_class)->finalize (object);
}

static void
park_cash_report_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ParkCashReport *self = PARK_CASH_REPORT (object);

  switch (prop_id)
    {
    case PROP_FROM:
      g_value_set_boxed (value, self->from);
      break;
    case PROP_TO:
      g_value_set_boxed (value, self->to);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case PROP_ATTENDANTS:
      g_value_set_object (value, self->attendants);
      break;
    case PROP_TOTAL:
      g_value_set_int64 (value, self->total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_cash_report_class_init (ParkCashReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_cash_report_finalize;
  object_class->get_property = park_cash_report_get_property;

  /**
   * ParkCashReport:from:
   *
   * The start of the period.
   */
  properties[PROP_FROM] = g_param_spec_boxed ("from", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkCashReport:to:
   *
   * The end of the period (excluded).
   */
  properties[PROP_TO] = g_param_spec_boxed ("to", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkCashReport:currency:
   *
   * The ISO 4217 code of every amount, e.g. `EUR`.
   */
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, RO);
  /**
   * ParkCashReport:attendants:
   *
   * A #GListModel of #ParkCashLine, one per attendant who took cash.
   */
  properties[PROP_ATTENDANTS] =
    g_param_spec_object ("attendants", NULL, NULL, G_TYPE_LIST_MODEL, RO);
  /**
   * ParkCashReport:total:
   *
   * The sum of the lines' net, in minor units.
   */
  properties[PROP_TOTAL] = g_param_spec_int64 ("total", NULL, NULL, G_MININT64, G_MAXINT64, 0, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_cash_report_init (ParkCashReport *self)
{
}

ParkCashReport *
_park_cash_report_new_from_json_at (JsonObject  *object,
                                     const char  *path,
                                     GError     **error)
{
  g_autoptr(ParkCashReport) self = g_object_new (PARK_TYPE_CASH_REPORT, NULL);
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  self->from = _park_json_dup_date_time (&reader, "from", 0);
  self->to = _park_json_dup_date_time (&reader, "to", 0);
  self->currency = _park_json_dup_string (&reader, "currency", PARK_JSON_NONEMPTY);
  self->attendants = g_list_store_new (PARK_TYPE_CASH_LINE);
  _park_json_read_list (&reader, "attendants", 0,
                        (ParkModelParser) _park_cash_line_new_from_json_at,
                        self->attendants);
  self->total = _park_json_get_int (&reader, "total", G_MININT64, G_MAXINT64, 0, 0);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_cash_report_new_from_json:
 * @object: the cash attendants took at the booths in a period as the API describes it
 *   (`CashReport` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads it, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkCashReport, or %NULL with @error set
 */
ParkCashReport *
park_cash_report_new_from_json (JsonObject  *object,
                                 GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_cash_report_new_from_json_at (object, NULL, error);
}

/**
 * park_cash_report_get_from:
 * @self: a #ParkCashReport
 *
 * Returns: (transfer none): the start of the period
 */
GDateTime *
park_cash_report_get_from (ParkCashReport *self)
{
  g_return_val_if_fail (PARK_IS_CASH_REPORT (self), NULL);
  return self->from;
}

/**
 * park_cash_report_get_to:
 * @self: a #ParkCashReport
 *
 * Returns: (transfer none): the end of the period (excluded)
 */
GDateTime *
park_cash_report_get_to (ParkCashReport *self)
{
  g_return_val_if_fail (PARK_IS_CASH_REPORT (self), NULL);
  return self->to;
}

/**
 * park_cash_report_get_currency:
 * @self: a #ParkCashReport
 *
 * Returns: (transfer none): the ISO 4217 code of every amount, e.g. `EUR`
 */
const char *
park_cash_report_get_currency (ParkCashReport *self)
{
  g_return_val_if_fail (PARK_IS_CASH_REPORT (self), NULL);
  return self->currency;
}

/**
 * park_cash_report_get_attendants:
 * @self: a #ParkCashReport
 *
 * Returns: (transfer none): a #GListModel of #ParkCashLine, one per attendant who took cash
 */
GListModel *
park_cash_report_get_attendants (ParkCashReport *self)
{
  g_return_val_if_fail (PARK_IS_CASH_REPORT (self), NULL);
  return G_LIST_MODEL (self->attendants);
}

/**
 * park_cash_report_get_total:
 * @self: a #ParkCashReport
 *
 * Returns: the sum of the lines' net, in minor units
 */
gint64
park_cash_report_get_total (ParkCashReport *self)
{
  g_return_val_if_fail (PARK_IS_CASH_REPORT (self), -1);
  return self->total;
}
