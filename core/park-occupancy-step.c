/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-occupancy-step.c: one step of an occupancy report: how full a lot was (`OccupancyStep`
 * in openapi.json). */
#include "config.h"

#include "park-occupancy-step.h"
#include "park-admin-models-private.h"
#include "park-enums.h"
#include "park-json-private.h"

struct _ParkOccupancyStep
{
  GObject parent_instance;

  GDateTime *start;
  GDateTime *end;
  gint64     measured_seconds;
  double     occupancy;
  double     regular;
  double     disabled;
  double     ev;
  double     compact;
  double     motorcycle;
};

G_DEFINE_FINAL_TYPE (ParkOccupancyStep, park_occupancy_step, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_START,
  PROP_END,
  PROP_MEASURED_SECONDS,
  PROP_OCCUPANCY,
  PROP_REGULAR,
  PROP_DISABLED,
  PROP_EV,
  PROP_COMPACT,
  PROP_MOTORCYCLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_occupancy_step_finalize (GObject *object)
{
  ParkOccupancyStep *self = (ParkOccupancyStep *) object;

  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->end, g_date_time_unref);

  G_OBJECT_CLASS (park_occupancy_step_parent_class)->finalize (object);
}

static void
park_occupancy_step_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ParkOccupancyStep *self = PARK_OCCUPANCY_STEP (object);

  switch (prop_id)
    {
    case PROP_START:
      g_value_set_boxed (value, self->start);
      break;
    case PROP_END:
      g_value_set_boxed (value, self->end);
      break;
    case PROP_MEASURED_SECONDS:
      g_value_set_int64 (value, self->measured_seconds);
      break;
    case PROP_OCCUPANCY:
      g_value_set_double (value, self->occupancy);
      break;
    case PROP_REGULAR:
      g_value_set_double (value, self->regular);
      break;
    case PROP_DISABLED:
      g_value_set_double (value, self->disabled);
      break;
    case PROP_EV:
      g_value_set_double (value, self->ev);
      break;
    case PROP_COMPACT:
      g_value_set_double (value, self->compact);
      break;
    case PROP_MOTORCYCLE:
      g_value_set_double (value, self->motorcycle);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_occupancy_step_class_init (ParkOccupancyStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_occupancy_step_finalize;
  object_class->get_property = park_occupancy_step_get_property;

  /**
   * ParkOccupancyStep:start:
   *
   * The start of the step.
   */
  properties[PROP_START] = g_param_spec_boxed ("start", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkOccupancyStep:end:
   *
   * The end of the step: the next step's start, or the end of the report.
   */
  properties[PROP_END] = g_param_spec_boxed ("end", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkOccupancyStep:measured-seconds:
   *
   * How much of the step had passed when the report was made: the time the shares are of.
   */
  properties[PROP_MEASURED_SECONDS] =
    g_param_spec_int64 ("measured-seconds", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkOccupancyStep:occupancy:
   *
   * The share of spots taken over the step, from 0 to 1, or -1 when nothing was measured or
   * the lot had no spots.
   */
  properties[PROP_OCCUPANCY] = g_param_spec_double ("occupancy", NULL, NULL, -1.0, 1, -1.0, RO);
  /**
   * ParkOccupancyStep:regular:
   *
   * The same for regular spots only, or -1 when the lot had none.
   */
  properties[PROP_REGULAR] = g_param_spec_double ("regular", NULL, NULL, -1.0, 1, -1.0, RO);
  /**
   * ParkOccupancyStep:disabled:
   *
   * The same for spots for disabled drivers, or -1 when the lot had none.
   */
  properties[PROP_DISABLED] = g_param_spec_double ("disabled", NULL, NULL, -1.0, 1, -1.0, RO);
  /**
   * ParkOccupancyStep:ev:
   *
   * The same for spots with a charger, or -1 when the lot had none.
   */
  properties[PROP_EV] = g_param_spec_double ("ev", NULL, NULL, -1.0, 1, -1.0, RO);
  /**
   * ParkOccupancyStep:compact:
   *
   * The same for compact spots, or -1 when the lot had none.
   */
  properties[PROP_COMPACT] = g_param_spec_double ("compact", NULL, NULL, -1.0, 1, -1.0, RO);
  /**
   * ParkOccupancyStep:motorcycle:
   *
   * The same for motorcycle spots, or -1 when the lot had none.
   */
  properties[PROP_MOTORCYCLE] = g_param_spec_double ("motorcycle", NULL, NULL, -1.0, 1, -1.0, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_occupancy_step_init (ParkOccupancyStep *self)
{
}

ParkOccupancyStep *
_park_occupancy_step_new_from_json_at (JsonObject  *object,
                                        const char  *path,
                                        GError     **error)
{
  g_autoptr(ParkOccupancyStep) self = g_object_new (PARK_TYPE_OCCUPANCY_STEP, NULL);
  ParkJsonReader reader;
  ParkJsonReader by_type;

  _park_json_reader_init (&reader, object, path);
  self->start = _park_json_dup_date_time (&reader, "start", 0);
  self->end = _park_json_dup_date_time (&reader, "end", 0);
  self->measured_seconds = _park_json_get_int (&reader, "measured_seconds", 0, G_MAXINT64, 0, 0);
  self->occupancy = _park_json_get_double (&reader, "occupancy", 0, 1, PARK_JSON_NULLABLE, -1.0);
  if (_park_json_reader_enter (&reader, "by_type", 0, &by_type))
    {
      self->regular = _park_json_get_double (&by_type, "regular", 0, 1, PARK_JSON_NULLABLE, -1.0);
      self->disabled = _park_json_get_double (&by_type, "disabled", 0, 1, PARK_JSON_NULLABLE, -1.0);
      self->ev = _park_json_get_double (&by_type, "ev", 0, 1, PARK_JSON_NULLABLE, -1.0);
      self->compact = _park_json_get_double (&by_type, "compact", 0, 1, PARK_JSON_NULLABLE, -1.0);
      self->motorcycle =
        _park_json_get_double (&by_type, "motorcycle", 0, 1, PARK_JSON_NULLABLE, -1.0);
    }

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_occupancy_step_new_from_json:
 * @object: one step of an occupancy report as the API describes it (`OccupancyStep` in
 *   openapi.json)
 * @error: return location for a #GError
 *
 * Reads it, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkOccupancyStep, or %NULL with @error set
 */
ParkOccupancyStep *
park_occupancy_step_new_from_json (JsonObject  *object,
                                    GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_occupancy_step_new_from_json_at (object, NULL, error);
}

/**
 * park_occupancy_step_get_start:
 * @self: a #ParkOccupancyStep
 *
 * Returns: (transfer none): the start of the step
 */
GDateTime *
park_occupancy_step_get_start (ParkOccupancyStep *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_STEP (self), NULL);
  return self->start;
}

/**
 * park_occupancy_step_get_end:
 * @self: a #ParkOccupancyStep
 *
 * Returns: (transfer none): the end of the step: the next step's start, or the end of the
 *   report
 */
GDateTime *
park_occupancy_step_get_end (ParkOccupancyStep *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_STEP (self), NULL);
  return self->end;
}

/**
 * park_occupancy_step_get_measured_seconds:
 * @self: a #ParkOccupancyStep
 *
 * Returns: how much of the step had passed when the report was made: the time the shares are
 *   of
 */
gint64
park_occupancy_step_get_measured_seconds (ParkOccupancyStep *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_STEP (self), -1);
  return self->measured_seconds;
}

/**
 * park_occupancy_step_get_occupancy:
 * @self: a #ParkOccupancyStep
 *
 * Returns: the share of spots taken over the step, from 0 to 1, or -1 when nothing was
 *   measured or the lot had no spots
 */
double
park_occupancy_step_get_occupancy (ParkOccupancyStep *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_STEP (self), -1.0);
  return self->occupancy;
}

/**
 * park_occupancy_step_get_regular:
 * @self: a #ParkOccupancyStep
 *
 * Returns: the same for regular spots only, or -1 when the lot had none
 */
double
park_occupancy_step_get_regular (ParkOccupancyStep *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_STEP (self), -1.0);
  return self->regular;
}

/**
 * park_occupancy_step_get_disabled:
 * @self: a #ParkOccupancyStep
 *
 * Returns: the same for spots for disabled drivers, or -1 when the lot had none
 */
double
park_occupancy_step_get_disabled (ParkOccupancyStep *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_STEP (self), -1.0);
  return self->disabled;
}

/**
 * park_occupancy_step_get_ev:
 * @self: a #ParkOccupancyStep
 *
 * Returns: the same for spots with a charger, or -1 when the lot had none
 */
double
park_occupancy_step_get_ev (ParkOccupancyStep *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_STEP (self), -1.0);
  return self->ev;
}

/**
 * park_occupancy_step_get_compact:
 * @self: a #ParkOccupancyStep
 *
 * Returns: the same for compact spots, or -1 when the lot had none
 */
double
park_occupancy_step_get_compact (ParkOccupancyStep *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_STEP (self), -1.0);
  return self->compact;
}

/**
 * park_occupancy_step_get_motorcycle:
 * @self: a #ParkOccupancyStep
 *
 * Returns: the same for motorcycle spots, or -1 when the lot had none
 */
double
park_occupancy_step_get_motorcycle (ParkOccupancyStep *self)
{
  g_return_val_if_fail (PARK_IS_OCCUPANCY_STEP (self), -1.0);
  return self->motorcycle;
}
