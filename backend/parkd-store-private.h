/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The vtable each store implementation fills in, in the spirit of Redis's ConnectionType. */
#pragma once

#include "parkd-store.h"

G_BEGIN_DECLS

typedef struct
{
  const char    *kind;
  void          (*free)             (ParkdStore *self);
  gboolean      (*ping)             (ParkdStore *self, GError **error);
  gboolean      (*warm)             (ParkdStore *self, GError **error);
  gboolean      (*counts)           (ParkdStore *self, ParkdStoreCounts *counts, GError **error);
  ParkdPage    *(*search_lots)      (ParkdStore *self, const ParkdLotQuery *query, GError **error);
  ParkdLot     *(*get_lot)          (ParkdStore *self, const char *id, GError **error);
  ParkdPage    *(*list_spots)       (ParkdStore *self, const char *lot_id,
                                     const ParkdSpotQuery *query, GError **error);
  GPtrArray    *(*get_availability) (ParkdStore *self, const char * const *lot_ids, GError **error);
  gboolean      (*bounds)           (ParkdStore *self, double *min_lng, double *min_lat,
                                     double *max_lng, double *max_lat, GError **error);
  ParkdOperator *(*get_operator)    (ParkdStore *self, const char *slug, GError **error);
  gboolean      (*import_lots)      (ParkdStore *self, const ParkdOperator *op,
                                     ParkdNewLot **lots, guint n_lots, GError **error);
} ParkdStoreVTable;

struct _ParkdStore
{
  const ParkdStoreVTable *vtable;
};

ParkdStore *_parkd_store_sqlite_open (const char *path, GError **error);

G_END_DECLS
