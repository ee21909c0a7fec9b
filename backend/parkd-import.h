/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "parkd-store.h"

G_BEGIN_DECLS

typedef struct
{
  char      *city;            /* from the file's city feature, or NULL */
  guint      imported;
  guint      spots;
  GPtrArray *skipped;         /* "name: reason" lines */
} ParkdImportReport;

void     parkd_import_report_clear (ParkdImportReport   *report);

/* Reads a ParkAPI GeoJSON FeatureCollection and imports its lots for @op (created if it
 * does not exist) in one transaction: a file that is not GeoJSON imports nothing. */
gboolean parkd_import_geojson      (ParkdStore          *store,
                                    const char          *path,
                                    const ParkdOperator *op,
                                    gint64               hourly_rate,
                                    const char          *hours_json,
                                    ParkdImportReport   *report,
                                    GError             **error);

/* The same for a FeatureCollection already parsed (an upload), with its audit entry. */
gboolean parkd_import_geojson_node (ParkdStore          *store,
                                    JsonNode            *root,
                                    const ParkdOperator *op,
                                    gint64               hourly_rate,
                                    const char          *hours_json,
                                    const ParkdAudit    *audit,
                                    ParkdImportReport   *report,
                                    GError             **error);

/* Splits @total spots over the spot types as a real lot of @lot_type would have them. */
void     parkd_new_lot_set_spots   (ParkdNewLot         *nl,
                                    guint                total,
                                    const char          *lot_type,
                                    gboolean             ev_charging,
                                    gboolean             motorcycles);
void     parkd_new_lot_free        (ParkdNewLot         *nl);

/* The demo city (see parkd-demo-data.c); does nothing if its operator exists. */
gboolean parkd_demo_seed           (ParkdStore          *store,
                                    gboolean            *seeded,
                                    GError             **error);
/* Synthetic lots for benchmarks: @n_lots spread uniformly over a disk. */
gboolean parkd_demo_generate       (ParkdStore          *store,
                                    guint                n_lots,
                                    guint                spots_per_lot,
                                    guint32              seed,
                                    double               center_lat,
                                    double               center_lng,
                                    double               spread_km,
                                    GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdNewLot, parkd_new_lot_free)

G_END_DECLS
