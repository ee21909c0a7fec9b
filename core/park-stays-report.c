/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-stays-report.c: the stays that ended in a period: how many, how long, turnover
 * (`StaysReport` in openapi.json). */
#include "config.h"

#include "park-stays-report.h"
#include "park-admin-models-private.h"
#include "park-enums.h"
#include "park-json-private.h"

struct _ParkStaysReport
{
  GObject parent_instance;

  GDateTime *from;
  GDateTime *to;
  char      *operator_id;
  char      *operator_slug;
  char      *lot_id;
  gint64     stays;
  gint64     walk_ins;
  gint64     reservations;
  double     average_minutes;
  double     median_minutes;
  gint64     spots;
  double     turnover_per_spot;
};

G_DEFINE_FINAL_TYPE (ParkStaysReport, park_stays_report, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FROM,
  PROP_TO,
  PROP_OPERATOR_ID,
  PROP_OPERATOR_SLUG,
  PROP_LOT_ID,
  PROP_STAYS,
  PROP_WALK_INS,
  PROP_RESERVATIONS,
  PROP_AVERAGE_MINUTES,
  PROP_MEDIAN_MINUTES,
  PROP_SPOTS,
  PROP_TURNOVER_PER_SPOT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_stays_report_finalize (GObject *object)
{
  ParkStaysReport *self = (ParkStaysReport *) object;

  g_clear_pointer (&self->from, g_date_time_unref);
  g_clear_pointer (&self->to, g_date_time_unref);
  g_free (self->operator_id);
  g_free (self->operator_slug);
  g_free (self->lot_id);

  G_OBJECT_CLASS (park_stays_report_parent_class)->finalize (object);
}

static void
park_stays_report_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ParkStaysReport *self = PARK_STAYS_REPORT (object);

  switch (prop_id)
    {
    case PROP_FROM:
      g_value_set_boxed (value, self->from);
      break;
    case PROP_TO:
      g_value_set_boxed (value, self->to);
      break;
    case PROP_OPERATOR_ID:
      g_value_set_string (value, self->operator_id);
      break;
    case PROP_OPERATOR_SLUG:
      g_value_set_string (value, self->operator_slug);
      break;
    case PROP_LOT_ID:
      g_value_set_string (value, self->lot_id);
      break;
    case PROP_STAYS:
      g_value_set_int64 (value, self->stays);
      break;
    case PROP_WALK_INS:
      g_value_set_int64 (value, self->walk_ins);
      break;
    case PROP_RESERVATIONS:
      g_value_set_int64 (value, self->reservations);
      break;
    case PROP_AVERAGE_MINUTES:
      g_value_set_double (value, self->average_minutes);
      break;
    case PROP_MEDIAN_MINUTES:
      g_value_set_double (value, self->median_minutes);
      break;
    case PROP_SPOTS:
      g_value_set_int64 (value, self->spots);
      break;
    case PROP_TURNOVER_PER_SPOT:
      g_value_set_double (value, self->turnover_per_spot);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_stays_report_class_init (ParkStaysReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_stays_report_finalize;
  object_class->get_property = park_stays_report_get_property;

  /**
   * ParkStaysReport:from:
   *
   * The start of the period.
   */
  properties[PROP_FROM] = g_param_spec_boxed ("from", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkStaysReport:to:
   *
   * The end of the period (excluded).
   */
  properties[PROP_TO] = g_param_spec_boxed ("to", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkStaysReport:operator-id:
   *
   * The operator reported on, or %NULL for every operator.
   */
  properties[PROP_OPERATOR_ID] = g_param_spec_string ("operator-id", NULL, NULL, NULL, RO);
  /**
   * ParkStaysReport:operator-slug:
   *
   * Its slug, or %NULL for every operator.
   */
  properties[PROP_OPERATOR_SLUG] = g_param_spec_string ("operator-slug", NULL, NULL, NULL, RO);
  /**
   * ParkStaysReport:lot-id:
   *
   * The lot reported on, or %NULL for every lot.
   */
  properties[PROP_LOT_ID] = g_param_spec_string ("lot-id", NULL, NULL, NULL, RO);
  /**
   * ParkStaysReport:stays:
   *
   * How many stays ended.
   */
  properties[PROP_STAYS] = g_param_spec_int64 ("stays", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkStaysReport:walk-ins:
   *
   * Of them, walk-ins.
   */
  properties[PROP_WALK_INS] = g_param_spec_int64 ("walk-ins", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkStaysReport:reservations:
   *
   * Of them, bookings.
   */
  properties[PROP_RESERVATIONS] =
    g_param_spec_int64 ("reservations", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkStaysReport:average-minutes:
   *
   * Their average length in minutes, or -1 when there were none.
   */
  properties[PROP_AVERAGE_MINUTES] =
    g_param_spec_double ("average-minutes", NULL, NULL, -1.0, G_MAXDOUBLE, -1.0, RO);
  /**
   * ParkStaysReport:median-minutes:
   *
   * Their median length in minutes, or -1 when there were none.
   */
  properties[PROP_MEDIAN_MINUTES] =
    g_param_spec_double ("median-minutes", NULL, NULL, -1.0, G_MAXDOUBLE, -1.0, RO);
  /**
   * ParkStaysReport:spots:
   *
   * How many spots the lots reported on have.
   */
  properties[PROP_SPOTS] = g_param_spec_int64 ("spots", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkStaysReport:turnover-per-spot:
   *
   * Stays per spot, or -1 without spots.
   */
  properties[PROP_TURNOVER_PER_SPOT] =
    g_param_spec_double ("turnover-per-spot", NULL, NULL, -1.0, G_MAXDOUBLE, -1.0, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_stays_report_init (ParkStaysReport *self)
{
}

ParkStaysReport *
_park_stays_report_new_from_json_at (JsonObject  *object,
                                      const char  *path,
                                      GError     **error)
{
  g_autoptr(ParkStaysReport) self = g_object_new (PARK_TYPE_STAYS_REPORT, NULL);
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  self->from = _park_json_dup_date_time (&reader, "from", 0);
  self->to = _park_json_dup_date_time (&reader, "to", 0);
  self->operator_id = _park_json_dup_string (&reader, "operator_id", PARK_JSON_NULLABLE);
  self->operator_slug = _park_json_dup_string (&reader, "operator_slug", PARK_JSON_NULLABLE);
  self->lot_id = _park_json_dup_string (&reader, "lot_id", PARK_JSON_NULLABLE);
  self->stays = _park_json_get_int (&reader, "stays", 0, G_MAXINT64, 0, 0);
  self->walk_ins = _park_json_get_int (&reader, "walk_ins", 0, G_MAXINT64, 0, 0);
  self->reservations = _park_json_get_int (&reader, "reservations", 0, G_MAXINT64, 0, 0);
  self->average_minutes =
    _park_json_get_double (&reader, "average_minutes", 0, G_MAXDOUBLE, PARK_JSON_NULLABLE, -1.0);
  self->median_minutes =
    _park_json_get_double (&reader, "median_minutes", 0, G_MAXDOUBLE, PARK_JSON_NULLABLE, -1.0);
  self->spots = _park_json_get_int (&reader, "spots", 0, G_MAXINT64, 0, 0);
  self->turnover_per_spot =
    _park_json_get_double (&reader, "turnover_per_spot", 0, G_MAXDOUBLE, PARK_JSON_NULLABLE, -1.0);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_stays_report_new_from_json:
 * @object: the stays that ended in a period as the API describes it (`StaysReport` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads it, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkStaysReport, or %NULL with @error set
 */
ParkStaysReport *
park_stays_report_new_from_json (JsonObject  *object,
                                  GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_stays_report_new_from_json_at (object, NULL, error);
}

/**
 * park_stays_report_get_from:
 * @self: a #ParkStaysReport
 *
 * Returns: (transfer none): the start of the period
 */
GDateTime *
park_stays_report_get_from (ParkStaysReport *self)
{
  g_return_val_if_fail (PARK_IS_STAYS_REPORT (self), NULL);
  return self->from;
}

/**
 * park_stays_report_get_to:
 * @self: a #ParkStaysReport
 *
 * Returns: (transfer none): the end of the period (excluded)
 */
GDateTime *
park_stays_report_get_to (ParkStaysReport *self)
{
  g_return_val_if_fail (PARK_IS_STAYS_REPORT (self), NULL);
  return self->to;
}

/**
 * park_stays_report_get_operator_id:
 * @self: a #ParkStaysReport
 *
 * Returns: (transfer none) (nullable): the operator reported on, or %NULL for every operator
 */
const char *
park_stays_report_get_operator_id (ParkStaysReport *self)
{
  g_return_val_if_fail (PARK_IS_STAYS_REPORT (self), NULL);
  return self->operator_id;
}

/**
 * park_stays_report_get_operator_slug:
 * @self: a #ParkStaysReport
 *
 * Returns: (transfer none) (nullable): its slug, or %NULL for every operator
 */
const char *
park_stays_report_get_operator_slug (ParkStaysReport *self)
{
  g_return_val_if_fail (PARK_IS_STAYS_REPORT (self), NULL);
  return self->operator_slug;
}

/**
 * park_stays_report_get_lot_id:
 * @self: a #ParkStaysReport
 *
 * Returns: (transfer none) (nullable): the lot reported on, or %NULL for every lot
 */
const char *
park_stays_report_get_lot_id (ParkStaysReport *self)
{
  g_return_val_if_fail (PARK_IS_STAYS_REPORT (self), NULL);
  return self->lot_id;
}

/**
 * park_stays_report_get_stays:
 * @self: a #ParkStaysReport
 *
 * Returns: how many stays ended
 */
gint64
park_stays_report_get_stays (ParkStaysReport *self)
{
  g_return_val_if_fail (PARK_IS_STAYS_REPORT (self), -1);
  return self->stays;
}

/**
 * park_stays_report_get_walk_ins:
 * @self: a #ParkStaysReport
 *
 * Returns: of them, walk-ins
 */
gint64
park_stays_report_get_walk_ins (ParkStaysReport *self)
{
  g_return_val_if_fail (PARK_IS_STAYS_REPORT (self), -1);
  return self->walk_ins;
}

/**
 * park_stays_report_get_reservations:
 * @self: a #ParkStaysReport
 *
 * Returns: of them, bookings
 */
gint64
park_stays_report_get_reservations (ParkStaysReport *self)
{
  g_return_val_if_fail (PARK_IS_STAYS_REPORT (self), -1);
  return self->reservations;
}

/**
 * park_stays_report_get_average_minutes:
 * @self: a #ParkStaysReport
 *
 * Returns: their average length in minutes, or -1 when there were none
 */
double
park_stays_report_get_average_minutes (ParkStaysReport *self)
{
  g_return_val_if_fail (PARK_IS_STAYS_REPORT (self), -1.0);
  return self->average_minutes;
}

/**
 * park_stays_report_get_median_minutes:
 * @self: a #ParkStaysReport
 *
 * Returns: their median length in minutes, or -1 when there were none
 */
double
park_stays_report_get_median_minutes (ParkStaysReport *self)
{
  g_return_val_if_fail (PARK_IS_STAYS_REPORT (self), -1.0);
  return self->median_minutes;
}

/**
 * park_stays_report_get_spots:
 * @self: a #ParkStaysReport
 *
 * Returns: how many spots the lots reported on have
 */
gint64
park_stays_report_get_spots (ParkStaysReport *self)
{
  g_return_val_if_fail (PARK_IS_STAYS_REPORT (self), -1);
  return self->spots;
}

/**
 * park_stays_report_get_turnover_per_spot:
 * @self: a #ParkStaysReport
 *
 * Returns: stays per spot, or -1 without spots
 */
double
park_stays_report_get_turnover_per_spot (ParkStaysReport *self)
{
  g_return_val_if_fail (PARK_IS_STAYS_REPORT (self), -1.0);
  return self->turnover_per_spot;
}
