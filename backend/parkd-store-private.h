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
                                     ParkdNewLot **lots, guint n_lots, const ParkdAudit *audit,
                                     GError **error);

  /* Operators, lots and spots as staff manage them. */
  ParkdOperator *(*get_operator_by_id) (ParkdStore *self, const char *id, GError **error);
  ParkdPage    *(*list_operators)   (ParkdStore *self, const char *only_id, guint page,
                                     guint per_page, GError **error);
  ParkdOperator *(*create_operator) (ParkdStore *self, const ParkdOperator *op,
                                     const ParkdAudit *audit, GError **error);
  ParkdPage    *(*list_operator_lots) (ParkdStore *self, const char *operator_id, guint page,
                                       guint per_page, GError **error);
  ParkdLot     *(*create_lot)       (ParkdStore *self, const ParkdNewLot *lot,
                                     const ParkdAudit *audit, GError **error);
  ParkdLot     *(*update_lot)       (ParkdStore *self, const ParkdLot *lot,
                                     const ParkdAudit *audit, GError **error);
  gboolean      (*delete_lot)       (ParkdStore *self, const char *id, const ParkdAudit *audit,
                                     GError **error);
  ParkdSpot    *(*get_spot)         (ParkdStore *self, const char *id, GError **error);
  ParkdSpot    *(*create_spot)      (ParkdStore *self, const ParkdSpot *spot,
                                     const ParkdAudit *audit, GError **error);
  ParkdSpot    *(*update_spot)      (ParkdStore *self, const ParkdSpot *spot,
                                     const ParkdAudit *audit, GError **error);
  gboolean      (*delete_spot)      (ParkdStore *self, const char *id, const ParkdAudit *audit,
                                     GError **error);

  /* Accounts. */
  ParkdUser    *(*create_user)      (ParkdStore *self, const ParkdUser *user,
                                     const ParkdAudit *audit, GError **error);
  ParkdUser    *(*get_user)         (ParkdStore *self, const char *id, GError **error);
  ParkdUser    *(*get_user_by_email) (ParkdStore *self, const char *email, GError **error);
  ParkdUser    *(*update_user)      (ParkdStore *self, const ParkdUser *user,
                                     const ParkdAudit *audit, GError **error);
  gboolean      (*delete_user)      (ParkdStore *self, const char *id, const ParkdAudit *audit,
                                     GError **error);
  ParkdPage    *(*list_staff)       (ParkdStore *self, const char *operator_id, guint page,
                                     guint per_page, GError **error);
  GPtrArray    *(*list_vehicles)    (ParkdStore *self, const char *user_id, GError **error);
  ParkdVehicle *(*add_vehicle)      (ParkdStore *self, const ParkdVehicle *vehicle,
                                     GError **error);
  gboolean      (*delete_vehicle)   (ParkdStore *self, const char *user_id, const char *id,
                                     GError **error);

  /* Sessions and revocations. */
  ParkdSession *(*start_session)    (ParkdStore *self, const char *user_id, GBytes *token_hash,
                                     const char *expires_at, const char *client,
                                     const ParkdAudit *audit, GError **error);
  ParkdRefreshResult (*rotate_refresh) (ParkdStore *self, GBytes *old_hash, GBytes *new_hash,
                                        const char *new_expires_at, ParkdSession **session,
                                        GError **error);
  gboolean      (*revoke_family)    (ParkdStore *self, const char *family_id, const char *reason,
                                     const ParkdAudit *audit, GError **error);
  gboolean      (*revoke_user_sessions) (ParkdStore *self, const char *user_id,
                                         const char *reason, GPtrArray **families,
                                         GError **error);
  gboolean      (*revoke_access_token) (ParkdStore *self, const char *jti,
                                        const char *expires_at, GError **error);
  gboolean      (*load_revocations) (ParkdStore *self, const char *since, GPtrArray **jtis,
                                     GPtrArray **families, GError **error);
  gboolean      (*session_active)   (ParkdStore *self, const char *family_id, GError **error);

  /* The audit log. */
  gboolean      (*audit)            (ParkdStore *self, const ParkdAudit *audit, GError **error);
  ParkdPage    *(*list_audit)       (ParkdStore *self, const char *operator_id, guint page,
                                     guint per_page, GError **error);
} ParkdStoreVTable;

struct _ParkdStore
{
  const ParkdStoreVTable *vtable;
};

ParkdStore *_parkd_store_sqlite_open (const char *path, GError **error);

G_END_DECLS
