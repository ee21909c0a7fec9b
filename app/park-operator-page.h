/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <park-core.h>

#include "park-audit-page.h"
#include "park-discounts-page.h"
#include "park-pricing-rules.h"
#include "park-sensors-page.h"
#include "park-kiosks-page.h"

G_BEGIN_DECLS

#define PARK_TYPE_OPERATOR_PAGE (park_operator_page_get_type ())

G_DECLARE_FINAL_TYPE (ParkOperatorPage, park_operator_page, PARK, OPERATOR_PAGE, GtkWidget)

void        park_operator_page_set_client   (ParkOperatorPage *self,
                                             ParkClient       *client);
void        park_operator_page_reload       (ParkOperatorPage *self);
void        park_operator_page_show_tab     (ParkOperatorPage *self,
                                             const char       *tab);

/* For the tests, which drive the same widgets and actions a person uses. */
GListModel *park_operator_page_get_lots     (ParkOperatorPage *self);
gboolean    park_operator_page_select_lot   (ParkOperatorPage *self,
                                             const char       *lot_id);
ParkLot    *park_operator_page_get_lot      (ParkOperatorPage *self);
GtkWidget  *park_operator_page_get_field    (ParkOperatorPage *self,
                                             const char       *field);
const char *park_operator_page_get_error    (ParkOperatorPage *self,
                                             const char       *form);
guint       park_operator_page_get_count    (ParkOperatorPage *self,
                                             const char       *what);
GtkWidget  *park_operator_page_get_spot_row (ParkOperatorPage *self,
                                             const char       *spot_id);
void        park_operator_page_mark_spot    (ParkOperatorPage *self,
                                             const char       *spot_id,
                                             ParkSpotState     state,
                                             const char       *reason);
void        park_operator_page_import_file  (ParkOperatorPage *self,
                                             GFile            *file);
char       *park_operator_page_dup_table_text (ParkOperatorPage *self);
char       *park_operator_page_dup_stays_text (ParkOperatorPage *self);
char       *park_operator_page_dup_types_text (ParkOperatorPage *self);
void        park_operator_page_export_csv   (ParkOperatorPage    *self,
                                             ParkAnalyticsReport  report,
                                             GFile               *file);
ParkDiscountsPage *park_operator_page_get_discounts_page (ParkOperatorPage *self);
ParkSensorsPage   *park_operator_page_get_sensors_page   (ParkOperatorPage *self);
ParkKiosksPage    *park_operator_page_get_kiosks_page    (ParkOperatorPage *self);
ParkAuditPage     *park_operator_page_get_audit_page     (ParkOperatorPage *self);
ParkPricingRules  *park_operator_page_get_pricing_rules  (ParkOperatorPage *self);

G_END_DECLS
