/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-occupancy-report.c: how full a lot was over a period, step by step (`OccupancyReport` in
 * openapi.json). */
#include "config.h"

#include "park-occupancy-report.h"
#include "park-admin-models-private.h"
#include "park-enums.h"
#include "park-json-private.h"

struct _ParkOccupancyReport
{
  GObject parent_instance;

  char       *lot_id;
  char       *lot_name;
  char       *operator_id;
  char       *operator_slug;
  char       *time_zone;
  GDateTime  *from;
  GDateTime  *to;
  char       *step;
  gint64      step_seconds;
  GListStore *steps;
};

G_DEFINE_FINAL_TYPE (ParkOccupancyReport, park_occupancy_report, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOT_ID,
  PROP_LOT_NAME,
  PROP_OPERATOR_ID,
  PROP_OPERATOR_SLUG,
  PROP_TIME_ZONE,
  PROP_FROM,
  PROP_TO,
  PROP_STEP,
  PROP_STEP_SECONDS,
  PROP_STEPS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_occupancy_report_finalize (GObject *object)
{
  ParkOccupancyReport *self = (ParkOccupancyReport *) object;

  g_free (self->lot_id);
  g_free (self->lot_name);
  g_free (self->operator_id);
  g_free (self->operator_slug);
  g_free (self->time_zone);
  g_clear_pointer (&self->from, g_date_time_unref);
  g_clear_pointer (&self->to, g_date_time_unref);
  g_free (self->step);
  g_clear_object (&self->steps);

  G_OBJECT_CLASS (park_occupancy_report_parent_class)->finalize (object);
}

static void
park_occupancy_report_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ParkOccupancyReport *self = PARK_OCCUPANCY_REPORT (object);

  switch (prop_id)
    {
    case PROP_LOT_ID:
      g_value_set_string (value, self->lot_id);
      break;
    case PROP_LOT_NAME:
      g_value_set_string (value, self->lot_name);
      break;
    case PROP_OPERATOR_ID:
      g_value_set_string (value, self->operator_id);
      break;
    case PROP_OPERATOR_SLUG:
      g_value_set_string (value, self->operator_slug);
      break;
    case PROP_TIME_ZONE:
      g_value_set_string (value, self->time_zone);
      break;
    case PROP_FROM:
      g_value_set_boxed (value, self->from);
      break;
    case PROP_TO:
      g_value_set_boxed (value, self->to);
      break;
    case PROP_STEP:
      g_value_set_string (value, self->step);
      break;
    case PROP_STEP_SECONDS:
      g_value_set_int64 (value, self->step_seconds);
      break;
    case PROP_STEPS:
      g_value_set_object (value, self->steps);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_occupancy_report_class_init (ParkOccupancyReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_occupancy_report_finalize;
  object_class->get_property = park_occupancy_report_get_property;

  /**
   * ParkOccupancyReport:lot-id:
   *
   * The lot's id.
   */
  properties[PROP_LOT_ID] = g_param_spec_string ("lot-id", NULL, NULL, NULL, RO);
  /**
   * ParkOccupancyReport:lot-name:
   *
   * The lot's name.
   */
  properties[PROP_LOT_NAME] = g_param_spec_string ("lot-name", NULL, NULL, NULL, RO);
  /**
   * ParkOccupancyReport:operator-id:
   *
   * The id of the lot's operator.
   */
  properties[PROP_OPERATOR_ID] = g_param_spec_string ("operator-id", NULL, NULL, NULL, RO);
  /**
   * ParkOccupancyReport:operator-slug:
   *
   * The slug of the lot's operator.
   */
  properties[PROP_OPERATOR_SLUG] = g_param_spec_string ("operator-slug", NULL, NULL, NULL, RO);
  /**
   * ParkOccupancyReport:time-zone:
   *
   * The operator's IANA time zone.
   */
  properties[PROP_TIME_ZONE] = g_param_spec_string ("time-zone", NULL, NULL, NULL, RO);
  /**
   * ParkOccupancyReport:from:
   *
   * The start of the period.
   */
  properties[PROP_FROM] = g_param_spec_boxed ("from", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkOccupancyReport:to:
   *
   * The end of the period (excluded).
   */
  properties[PROP_TO] = g_param_spec_boxed ("to", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkOccupancyReport:step:
   *
   * The length of a step as asked for, e.g. `1h`.
   */
  properties[PROP_STEP] = g_param_spec_string ("step", NULL, NULL, NULL, RO);
  /**
   * ParkOccupancyReport:step-seconds:
   *
   * The length of a step in seconds.
   */
  properties[PROP_STEP_SECONDS] =
    g_param_spec_int64 ("step-seconds", NULL, NULL, 1, G_MAXINT64, 1, RO);
  /**
   * ParkOccupancyReport:steps:
   *
   * A #GListModel of #ParkOccupancyStep, in time order.
   */
  properties[PROP_STEPS] = g_param_spec_object ("steps", NULL, NULL, G_TYPE_LIST_MODEL, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_occupancy_report_init (ParkOccupancyReport *self)
{
}

ParkOccupancyReport *
_park_occupancy_report_new_from_json_at (JsonObject  *object,
                                          const char  *path,
                                          GError     **error)
{
  g_autoptr(ParkOccupancyReport) self = g_object_new (PARK_TYPE_OCCUPANCY_REPORT, NULL);
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  self->lot_id = _park_json_dup_string (&reader, "lot_id", PARK_JSON_NONEMPTY);
  self->lot_name = _park_json_dup_string (&reader, "lot_name", 0);
  self->operator_id = _park_json_dup_string (&reader, "operator_id", PARK_JSON_NONEMPTY);
  self->operator_slug = _park_json_dup_string (&reader, "operator_slug", PARK_JSON_NONEMPTY);
  self->time_zone = _park_json_dup_string (&reader, "time_zone", PARK_JSON_NONEMPTY);
  self->from = _park_json_dup_date_time (&reader, "from", 0);
  self->to = _park_json_dup_date_time (&reader, "to", 0);
  self->step = _park_json_dup_string (&reader, "step", PARK_JSON_NONEMPTY);
  self->step_seconds = _park_json_get_int (&reader, "step_seconds", 1, G_MAXINT64, 0, 0);
  self->steps = g_list_store_new (PARK_TYPE_OCCUPANCY_STEP);
  _park_json_read_list (&reader, "steps", 0,
                        (ParkModelParser) _park_occupancy_step_new_from_json_at,
                        self->steps);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_occupancy_report_new_from_json:
 * @object: how full a lot was over a period, step by step as the API describes it
 *   (`OccupancyReport` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads it, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkOccupancyReport, or %NULL with @error set
 */
ParkOccupancyReport *
park_occupancy_report_new_from_json (JsonObject  *object,
                                      GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_occupancy_report_new_from_json_at (object, NULL, error);
}

/**
 * park_occupancy_report_get_lot_id:
 * @self: a #ParkOccupancyReport
 *
 * Returns: (transfer none): the lot's id
 */
const char *
park_occupancy_report_get_lot_id (ParkOccupancyReport *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_REPORT (self), NULL);
  return self->lot_id;
}

/**
 * park_occupancy_report_get_lot_name:
 * @self: a #ParkOccupancyReport
 *
 * Returns: (transfer none): the lot's name
 */
const char *
park_occupancy_report_get_lot_name (ParkOccupancyReport *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_REPORT (self), NULL);
  return self->lot_name;
}

/**
 * park_occupancy_report_get_operator_id:
 * @self: a #ParkOccupancyReport
 *
 * Returns: (transfer none): the id of the lot's operator
 */
const char *
park_occupancy_report_get_operator_id (ParkOccupancyReport *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_REPORT (self), NULL);
  return self->operator_id;
}

/**
 * park_occupancy_report_get_operator_slug:
 * @self: a #ParkOccupancyReport
 *
 * Returns: (transfer none): the slug of the lot's operator
 */
const char *
park_occupancy_report_get_operator_slug (ParkOccupancyReport *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_REPORT (self), NULL);
  return self->operator_slug;
}

/**
 * park_occupancy_report_get_time_zone:
 * @self: a #ParkOccupancyReport
 *
 * Returns: (transfer none): the operator's IANA time zone
 */
const char *
park_occupancy_report_get_time_zone (ParkOccupancyReport *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_REPORT (self), NULL);
  return self->time_zone;
}

/**
 * park_occupancy_report_get_from:
 * @self: a #ParkOccupancyReport
 *
 * Returns: (transfer none): the start of the period
 */
GDateTime *
park_occupancy_report_get_from (ParkOccupancyReport *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_REPORT (self), NULL);
  return self->from;
}

/**
 * park_occupancy_report_get_to:
 * @self: a #ParkOccupancyReport
 *
 * Returns: (transfer none): the end of the period (excluded)
 */
GDateTime *
park_occupancy_report_get_to (ParkOccupancyReport *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_REPORT (self), NULL);
  return self->to;
}

/**
 * park_occupancy_report_get_step:
 * @self: a #ParkOccupancyReport
 *
 * Returns: (transfer none): the length of a step as asked for, e.g. `1h`
 */
const char *
park_occupancy_report_get_step (ParkOccupancyReport *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_REPORT (self), NULL);
  return self->step;
}

/**
 * park_occupancy_report_get_step_seconds:
 * @self: a #ParkOccupancyReport
 *
 * Returns: the length of a step in seconds
 */
gint64
park_occupancy_report_get_step_seconds (ParkOccupancyReport *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_REPORT (self), -1);
  return self->step_seconds;
}

/**
 * park_occupancy_report_get_steps:
 * @self: a #ParkOccupancyReport
 *
 * Returns: (transfer none): a #GListModel of #ParkOccupancyStep, in time order
 */
GListModel *
park_occupancy_report_get_steps (ParkOccupancyReport *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_REPORT (self), NULL);
  return G_LIST_MODEL (self->steps);
}
