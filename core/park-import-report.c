/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-import-report.c: what an import of lots from GeoJSON did (`ImportReport` in
 * openapi.json). */
#include "config.h"

#include "park-import-report.h"
#include "park-admin-models-private.h"
#include "park-enums.h"
#include "park-json-private.h"

struct _ParkImportReport
{
  GObject parent_instance;

  char   *operator;
  gint64  imported;
  gint64  spots;
  char  **skipped;
};

G_DEFINE_FINAL_TYPE (ParkImportReport, park_import_report, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_OPERATOR,
  PROP_IMPORTED,
  PROP_SPOTS,
  PROP_SKIPPED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_import_report_finalize (GObject *object)
{
  ParkImportReport *self = (ParkImportReport *) object;

  g_free (self->operator);
  g_strfreev (self->skipped);

  G_OBJECT_CLASS (park_import_report_parent_class)->finalize (object);
}

static void
park_import_report_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ParkImportReport *self = PARK_IMPORT_REPORT (object);

  switch (prop_id)
    {
    case PROP_OPERATOR:
      g_value_set_string (value, self->operator);
      break;
    case PROP_IMPORTED:
      g_value_set_int64 (value, self->imported);
      break;
    case PROP_SPOTS:
      g_value_set_int64 (value, self->spots);
      break;
    case PROP_SKIPPED:
      g_value_set_boxed (value, self->skipped);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_import_report_class_init (ParkImportReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_import_report_finalize;
  object_class->get_property = park_import_report_get_property;

  /**
   * ParkImportReport:operator:
   *
   * The slug of the operator the lots were imported for.
   */
  properties[PROP_OPERATOR] = g_param_spec_string ("operator", NULL, NULL, NULL, RO);
  /**
   * ParkImportReport:imported:
   *
   * How many lots were made or updated.
   */
  properties[PROP_IMPORTED] = g_param_spec_int64 ("imported", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkImportReport:spots:
   *
   * How many spots they have together.
   */
  properties[PROP_SPOTS] = g_param_spec_int64 ("spots", NULL, NULL, 0, G_MAXINT64, 0, RO);
  /**
   * ParkImportReport:skipped:
   *
   * Why features were skipped, one line each; empty when none was.
   */
  properties[PROP_SKIPPED] = g_param_spec_boxed ("skipped", NULL, NULL, G_TYPE_STRV, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_import_report_init (ParkImportReport *self)
{
}

ParkImportReport *
_park_import_report_new_from_json_at (JsonObject  *object,
                                       const char  *path,
                                       GError     **error)
{
  g_autoptr(ParkImportReport) self = g_object_new (PARK_TYPE_IMPORT_REPORT, NULL);
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  self->operator = _park_json_dup_string (&reader, "operator", PARK_JSON_NONEMPTY);
  self->imported = _park_json_get_int (&reader, "imported", 0, G_MAXINT64, 0, 0);
  self->spots = _park_json_get_int (&reader, "spots", 0, G_MAXINT64, 0, 0);
  self->skipped = _park_json_dup_strv (&reader, "skipped", 0);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_import_report_new_from_json:
 * @object: what an import of lots from GeoJSON did as the API describes it (`ImportReport` in
 *   openapi.json)
 * @error: return location for a #GError
 *
 * Reads it, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkImportReport, or %NULL with @error set
 */
ParkImportReport *
park_import_report_new_from_json (JsonObject  *object,
                                   GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_import_report_new_from_json_at (object, NULL, error);
}

/**
 * park_import_report_get_operator:
 * @self: a #ParkImportReport
 *
 * Returns: (transfer none): the slug of the operator the lots were imported for
 */
const char *
park_import_report_get_operator (ParkImportReport *self)
{
  g_return_val_if_fail (PARK_IS_IMPORT_REPORT (self), NULL);
  return self->operator;
}

/**
 * park_import_report_get_imported:
 * @self: a #ParkImportReport
 *
 * Returns: how many lots were made or updated
 */
gint64
park_import_report_get_imported (ParkImportReport *self)
{
  g_return_val_if_fail (PARK_IS_IMPORT_REPORT (self), -1);
  return self->imported;
}

/**
 * park_import_report_get_spots:
 * @self: a #ParkImportReport
 *
 * Returns: how many spots they have together
 */
gint64
park_import_report_get_spots (ParkImportReport *self)
{
  g_return_val_if_fail (PARK_IS_IMPORT_REPORT (self), -1);
  return self->spots;
}

/**
 * park_import_report_get_skipped:
 * @self: a #ParkImportReport
 *
 * Returns: (transfer none): why features were skipped, one line each; empty when none was
 */
const char * const *
park_import_report_get_skipped (ParkImportReport *self)
{
  g_return_val_if_fail (PARK_IS_IMPORT_REPORT (self), NULL);
  return (const char * const *) self->skipped;
}
