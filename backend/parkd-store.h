/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store.h: the storage contract of parkd.
 *
 * Every handler talks to a ParkdStore, never to SQLite directly, so that a PostgreSQL + PostGIS
 * store can be added behind the same functions. A store may be used from any thread: the SQLite
 * implementation keeps one read connection per thread and one writer connection behind a mutex.
 *
 * Conventions shared by every implementation: ids are UUID strings, money is integer minor
 * units with an ISO 4217 currency, timestamps are UTC RFC 3339 strings ("2026-11-24T17:11:59Z").
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PARKD_STORE_ERROR (parkd_store_error_quark ())

typedef enum
{
  PARKD_STORE_ERROR_NOT_FOUND,
  PARKD_STORE_ERROR_CONFLICT,
  PARKD_STORE_ERROR_CONSTRAINT,
  PARKD_STORE_ERROR_BACKEND,
} ParkdStoreError;

GQuark parkd_store_error_quark (void);

typedef enum
{
  PARKD_SPOT_TYPE_REGULAR,
  PARKD_SPOT_TYPE_DISABLED,
  PARKD_SPOT_TYPE_EV,
  PARKD_SPOT_TYPE_COMPACT,
  PARKD_SPOT_TYPE_MOTORCYCLE,
  PARKD_N_SPOT_TYPES
} ParkdSpotType;

typedef enum
{
  PARKD_SPOT_STATE_AVAILABLE,
  PARKD_SPOT_STATE_OCCUPIED,
  PARKD_SPOT_STATE_RESERVED,
  PARKD_SPOT_STATE_OUT_OF_SERVICE,
  PARKD_N_SPOT_STATES
} ParkdSpotState;

const char *parkd_spot_type_to_string  (ParkdSpotType   type);
gboolean    parkd_spot_type_from_string (const char     *str,
                                         ParkdSpotType  *type);
const char *parkd_spot_state_to_string (ParkdSpotState  state);
gboolean    parkd_spot_state_from_string (const char    *str,
                                          ParkdSpotState *state);

typedef struct
{
  char   *id;
  char   *slug;
  char   *name;
  char   *city;
  char   *time_zone;   /* IANA, e.g. "Europe/Berlin" */
  char   *currency;    /* ISO 4217, e.g. "EUR" */
  char   *created_at;
} ParkdOperator;

typedef struct
{
  guint total;
  guint available;
} ParkdAvailability;

typedef struct
{
  char              *id;
  char              *operator_id;
  char              *operator_slug;
  char              *operator_name;
  char              *name;
  char              *address;
  char              *city;
  double             lat;
  double             lng;
  char              *lot_type;         /* multi_storey, underground, surface, other */
  guint              total_spots;
  gint64             hourly_rate;      /* minor units of @currency */
  char              *currency;
  char              *time_zone;
  char              *operating_hours;  /* JSON object text, validated on write */
  char              *amenities;        /* JSON array text, validated on write */
  char              *status;           /* open, closed */
  char              *created_at;
  char              *updated_at;
  ParkdAvailability  availability[PARKD_N_SPOT_TYPES];
  double             distance_m;       /* set by searches, else -1 */
  /* Where a caller may keep something derived from the fields above (a rendered JSON
   * fragment), for as long as the store's copy of this lot is current: set it with
   * g_atomic_pointer_compare_and_exchange; the store frees it with g_free. NULL when the
   * lot is a private copy. */
  gpointer          *render_cache;
} ParkdLot;

typedef struct
{
  char           *id;
  char           *lot_id;
  char           *number;
  ParkdSpotType   type;
  int             level;
  ParkdSpotState  state;
  char           *updated_at;
} ParkdSpot;

/* A search: either a circle (lat, lng, radius_m) or a box; distances are measured from
 * (lat, lng), which for a box defaults to its centre. */
typedef struct
{
  gboolean       has_bbox;
  double         min_lng, min_lat, max_lng, max_lat;
  double         lat, lng;
  double         radius_m;          /* ignored for a box */
  gboolean       has_spot_type;
  ParkdSpotType  spot_type;
  gboolean       available_only;
  guint          page;              /* 1-based */
  guint          per_page;
} ParkdLotQuery;

typedef struct
{
  gboolean        has_type;
  ParkdSpotType   type;
  gboolean        has_state;
  ParkdSpotState  state;
  gboolean        has_level;
  int             level;
  guint           page;
  guint           per_page;
} ParkdSpotQuery;

/* One page of results: @items holds ParkdLot * or ParkdSpot *, freed with the page. Items
 * may borrow their strings from @keepalive (a store's shared, immutable data), which the page
 * holds until it is freed. */
typedef struct
{
  GPtrArray      *items;
  guint64         total;
  guint           page;
  guint           per_page;
  gpointer        keepalive;
  GDestroyNotify  keepalive_free;
} ParkdPage;

/* What the GeoJSON importer and the demo hand to the store: one lot and its spots. */
typedef struct
{
  ParkdLot   lot;                     /* id, created_at, updated_at are filled by the store */
  guint      n_spots[PARKD_N_SPOT_TYPES];
  guint      n_levels;                /* spots are spread over levels 0..n_levels-1 (or -n for underground) */
  gboolean   underground;
  double     occupancy;               /* 0..1: fraction of spots marked occupied */
  guint32    occupancy_seed;
  gboolean   existed;                 /* set by the store: the operator already had this lot
                                       * (same name and place), so it was left alone */
} ParkdNewLot;

typedef struct
{
  guint64 operators;
  guint64 lots;
  guint64 spots;
} ParkdStoreCounts;

typedef struct _ParkdStore ParkdStore;

ParkdStore    *parkd_store_open             (const char        *uri,
                                             GError           **error);
void           parkd_store_free             (ParkdStore        *self);
const char    *parkd_store_get_kind         (ParkdStore        *self);
gboolean       parkd_store_ping             (ParkdStore        *self,
                                             GError           **error);
gboolean       parkd_store_warm             (ParkdStore        *self,
                                             GError           **error);
gboolean       parkd_store_counts           (ParkdStore        *self,
                                             ParkdStoreCounts  *counts,
                                             GError           **error);
ParkdPage     *parkd_store_search_lots      (ParkdStore        *self,
                                             const ParkdLotQuery *query,
                                             GError           **error);
ParkdLot      *parkd_store_get_lot          (ParkdStore        *self,
                                             const char        *id,
                                             GError           **error);
ParkdPage     *parkd_store_list_spots       (ParkdStore        *self,
                                             const char        *lot_id,
                                             const ParkdSpotQuery *query,
                                             GError           **error);
GPtrArray     *parkd_store_get_availability (ParkdStore        *self,
                                             const char * const *lot_ids,
                                             GError           **error);
gboolean       parkd_store_bounds           (ParkdStore        *self,
                                             double            *min_lng,
                                             double            *min_lat,
                                             double            *max_lng,
                                             double            *max_lat,
                                             GError           **error);
ParkdOperator *parkd_store_get_operator     (ParkdStore        *self,
                                             const char        *slug,
                                             GError           **error);
gboolean       parkd_store_import_lots      (ParkdStore        *self,
                                             const ParkdOperator *op,
                                             ParkdNewLot      **lots,
                                             guint              n_lots,
                                             GError           **error);

void           parkd_operator_free          (ParkdOperator     *op);
void           parkd_lot_clear              (ParkdLot          *lot);
void           parkd_lot_free               (ParkdLot          *lot);
void           parkd_spot_free              (ParkdSpot         *spot);
void           parkd_page_free              (ParkdPage         *page);

char          *parkd_now_rfc3339            (void);
double         parkd_haversine_h            (double             lat1,
                                             double             cos_lat1,
                                             double             lat2,
                                             double             cos_lat2,
                                             double             dlng);
double         parkd_haversine_h_to_m       (double             h);
double         parkd_haversine_h_of_m       (double             metres);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdStore, parkd_store_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdOperator, parkd_operator_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdLot, parkd_lot_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdSpot, parkd_spot_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdPage, parkd_page_free)

G_END_DECLS
