/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-import-report.h: what an import of lots from GeoJSON did. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_IMPORT_REPORT (park_import_report_get_type ())

G_DECLARE_FINAL_TYPE (ParkImportReport, park_import_report, PARK, IMPORT_REPORT, GObject)

ParkImportReport    *park_import_report_new_from_json  (JsonObject        *object,
                                                        GError           **error);
const char          *park_import_report_get_operator   (ParkImportReport  *self);
gint64               park_import_report_get_imported   (ParkImportReport  *self);
gint64               park_import_report_get_spots      (ParkImportReport  *self);
const char * const *park_import_report_get_skipped     (ParkImportReport  *self);

G_END_DECLS
