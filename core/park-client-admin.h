/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-client-admin.h: ParkClient's calls for the operator pages (operators, managed lots,
 * spots, pricing, staff, discount codes, the audit log, sensors) and for an operator's
 * figures (cash report, analytics). The models they return are declared beside.
 */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-audit-entry.h"
#include "park-cash-line.h"
#include "park-cash-report.h"
#include "park-client.h"
#include "park-discount.h"
#include "park-import-report.h"
#include "park-kiosk.h"
#include "park-occupancy-report.h"
#include "park-occupancy-step.h"
#include "park-opening-hours.h"
#include "park-operator.h"
#include "park-pricing.h"
#include "park-revenue-row.h"
#include "park-revenue-series.h"
#include "park-sensor.h"
#include "park-stays-report.h"

G_BEGIN_DECLS

void             park_client_list_operators_async     (ParkClient           *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GListModel      *park_client_list_operators_finish    (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_create_operator_async    (ParkClient           *self,
                                                       const char           *slug,
                                                       const char           *name,
                                                       const char           *city,
                                                       const char           *time_zone,
                                                       const char           *currency,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
ParkOperator    *park_client_create_operator_finish   (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_list_managed_lots_async  (ParkClient           *self,
                                                       const char           *operator_slug,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GListModel      *park_client_list_managed_lots_finish (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_get_managed_lot_async    (ParkClient           *self,
                                                       const char           *lot_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
ParkLot         *park_client_get_managed_lot_finish   (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_create_lot_async         (ParkClient           *self,
                                                       const char           *operator_slug,
                                                       const char           *name,
                                                       const char           *address,
                                                       const char           *city,
                                                       double                latitude,
                                                       double                longitude,
                                                       ParkLotType           lot_type,
                                                       gint64                hourly_rate,
                                                       const ParkOpeningHours *hours,
                                                       const char * const   *amenities,
                                                       const guint          *spots,
                                                       guint                 levels,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
ParkLot         *park_client_create_lot_finish        (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_update_lot_async         (ParkClient           *self,
                                                       const char           *lot_id,
                                                       const char           *name,
                                                       const char           *address,
                                                       const char           *city,
                                                       double                latitude,
                                                       double                longitude,
                                                       ParkLotType           lot_type,
                                                       gint64                hourly_rate,
                                                       ParkLotStatus         status,
                                                       const ParkOpeningHours *hours,
                                                       const char * const   *amenities,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
ParkLot         *park_client_update_lot_finish        (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_delete_lot_async         (ParkClient           *self,
                                                       const char           *lot_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean         park_client_delete_lot_finish        (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_import_lots_async        (ParkClient           *self,
                                                       const char           *operator_slug,
                                                       gint64                hourly_rate,
                                                       GBytes               *geojson,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
ParkImportReport*park_client_import_lots_finish       (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_get_pricing_async        (ParkClient           *self,
                                                       const char           *lot_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
ParkPricing     *park_client_get_pricing_finish       (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_set_pricing_async        (ParkClient           *self,
                                                       const char           *lot_id,
                                                       ParkPricing          *pricing,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
ParkPricing     *park_client_set_pricing_finish       (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_create_spot_async        (ParkClient           *self,
                                                       const char           *lot_id,
                                                       const char           *number,
                                                       ParkSpotType          spot_type,
                                                       int                   level,
                                                       ParkSpotState         state,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
ParkSpot        *park_client_create_spot_finish       (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_update_spot_async        (ParkClient           *self,
                                                       const char           *spot_id,
                                                       const char           *number,
                                                       ParkSpotType          spot_type,
                                                       int                   level,
                                                       int                   state,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
ParkSpot        *park_client_update_spot_finish       (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_delete_spot_async        (ParkClient           *self,
                                                       const char           *spot_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean         park_client_delete_spot_finish       (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_list_staff_async         (ParkClient           *self,
                                                       const char           *operator_slug,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GListModel      *park_client_list_staff_finish        (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_create_staff_async       (ParkClient           *self,
                                                       const char           *email,
                                                       const char           *password,
                                                       ParkUserRole          role,
                                                       const char           *first_name,
                                                       const char           *last_name,
                                                       const char           *operator_slug,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
ParkUser        *park_client_create_staff_finish      (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_update_staff_async       (ParkClient           *self,
                                                       const char           *user_id,
                                                       int                   role,
                                                       int                   disabled,
                                                       const char           *first_name,
                                                       const char           *last_name,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
ParkUser        *park_client_update_staff_finish      (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_delete_staff_async       (ParkClient           *self,
                                                       const char           *user_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean         park_client_delete_staff_finish      (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_list_discounts_async     (ParkClient           *self,
                                                       const char           *operator_slug,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GListModel      *park_client_list_discounts_finish    (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_create_discount_async    (ParkClient           *self,
                                                       const char           *operator_slug,
                                                       const char           *code,
                                                       int                   percent_off,
                                                       gint64                amount_off,
                                                       gint64                max_uses,
                                                       GDateTime            *expires_at,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
ParkDiscount    *park_client_create_discount_finish   (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_delete_discount_async    (ParkClient           *self,
                                                       const char           *discount_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean         park_client_delete_discount_finish   (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_list_audit_log_async     (ParkClient           *self,
                                                       const char           *operator_slug,
                                                       guint                 max_results,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GListModel      *park_client_list_audit_log_finish    (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_list_sensors_async       (ParkClient           *self,
                                                       const char           *operator_slug,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GListModel      *park_client_list_sensors_finish      (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_create_sensor_async      (ParkClient           *self,
                                                       const char           *operator_slug,
                                                       const char           *name,
                                                       const char           *lot_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
ParkSensor      *park_client_create_sensor_finish     (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_revoke_sensor_async      (ParkClient           *self,
                                                       const char           *sensor_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean         park_client_revoke_sensor_finish     (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_list_kiosks_async        (ParkClient           *self,
                                                       const char           *operator_slug,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GListModel      *park_client_list_kiosks_finish       (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_create_kiosk_async       (ParkClient           *self,
                                                       const char           *operator_slug,
                                                       const char           *name,
                                                       const char           *lot_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
ParkKiosk       *park_client_create_kiosk_finish      (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void             park_client_revoke_kiosk_async       (ParkClient           *self,
                                                       const char           *kiosk_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean         park_client_revoke_kiosk_finish      (ParkClient           *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
void             park_client_get_cash_report_async   (ParkClient           *self,
                                                      const char           *operator_slug,
                                                      const char           *attendant_id,
                                                      GDateTime            *from,
                                                      GDateTime            *to,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
ParkCashReport  *park_client_get_cash_report_finish  (ParkClient           *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

void             park_client_get_occupancy_async     (ParkClient           *self,
                                                      const char           *lot_id,
                                                      GDateTime            *from,
                                                      GDateTime            *to,
                                                      const char           *step,
                                                      const char           *operator_slug,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
ParkOccupancyReport*park_client_get_occupancy_finish    (ParkClient           *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

void             park_client_get_revenue_async       (ParkClient           *self,
                                                      GDateTime            *from,
                                                      GDateTime            *to,
                                                      ParkRevenueGroup      group,
                                                      const char           *operator_slug,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GListModel      *park_client_get_revenue_finish      (ParkClient           *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

void             park_client_get_stays_report_async  (ParkClient           *self,
                                                      const char           *lot_id,
                                                      GDateTime            *from,
                                                      GDateTime            *to,
                                                      const char           *operator_slug,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
ParkStaysReport *park_client_get_stays_report_finish (ParkClient           *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

void             park_client_get_analytics_csv_async (ParkClient           *self,
                                                      ParkAnalyticsReport   report,
                                                      const char           *lot_id,
                                                      GDateTime            *from,
                                                      GDateTime            *to,
                                                      const char           *step,
                                                      ParkRevenueGroup      group,
                                                      const char           *operator_slug,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GBytes          *park_client_get_analytics_csv_finish (ParkClient          *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
G_END_DECLS
