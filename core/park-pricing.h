/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-pricing.h: a lot's pricing policy, to show and to change. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"
#include "park-pricing-rule.h"

G_BEGIN_DECLS

#define PARK_TYPE_PRICING (park_pricing_get_type ())

G_DECLARE_FINAL_TYPE (ParkPricing, park_pricing, PARK, PRICING, GObject)

ParkPricing *park_pricing_new_from_json          (JsonObject    *object,
                                                  GError       **error);
const char  *park_pricing_get_currency           (ParkPricing   *self);
const char  *park_pricing_get_time_zone          (ParkPricing   *self);
gint64       park_pricing_get_rate               (ParkPricing   *self,
                                                  ParkSpotType   spot_type);
gint64       park_pricing_get_increment_minutes  (ParkPricing   *self);
gint64       park_pricing_get_daily_max          (ParkPricing   *self);
gint64       park_pricing_get_tax_rate           (ParkPricing   *self);
gint64       park_pricing_get_grace_minutes      (ParkPricing   *self);
gint64       park_pricing_get_exit_grace_minutes (ParkPricing   *self);
gint64       park_pricing_get_lost_ticket_fee    (ParkPricing   *self);
gint64       park_pricing_get_hold_minutes       (ParkPricing   *self);
char        *park_pricing_dup_policy_json        (ParkPricing   *self);

void         park_pricing_set_rate               (ParkPricing   *self,
                                                  ParkSpotType   spot_type,
                                                  gint64         rate);
void         park_pricing_set_increment_minutes  (ParkPricing   *self,
                                                  gint64         minutes);
void         park_pricing_set_daily_max          (ParkPricing   *self,
                                                  gint64         daily_max);
void         park_pricing_set_tax_rate           (ParkPricing   *self,
                                                  gint64         basis_points);
void         park_pricing_set_grace_minutes      (ParkPricing   *self,
                                                  gint64         minutes);
void         park_pricing_set_exit_grace_minutes (ParkPricing   *self,
                                                  gint64         minutes);
void         park_pricing_set_lost_ticket_fee    (ParkPricing   *self,
                                                  gint64         fee);
void         park_pricing_set_hold_minutes       (ParkPricing   *self,
                                                  gint64         minutes);

guint                    park_pricing_get_n_periods      (ParkPricing   *self);
const ParkPricingPeriod *park_pricing_get_period         (ParkPricing   *self,
                                                          guint          index);
GPtrArray               *park_pricing_dup_periods        (ParkPricing   *self);
gboolean                 park_pricing_set_periods        (ParkPricing   *self,
                                                          GPtrArray     *periods,
                                                          GError       **error);
guint                    park_pricing_get_n_events       (ParkPricing   *self);
const ParkPricingEvent  *park_pricing_get_event          (ParkPricing   *self,
                                                          guint          index);
GPtrArray               *park_pricing_dup_events         (ParkPricing   *self);
gboolean                 park_pricing_set_events         (ParkPricing   *self,
                                                          GPtrArray     *events,
                                                          GError       **error);
guint                    park_pricing_get_n_demand_steps (ParkPricing   *self);
const ParkDemandStep    *park_pricing_get_demand_step    (ParkPricing   *self,
                                                          guint          index);
GPtrArray               *park_pricing_dup_demand_steps   (ParkPricing   *self);
gboolean                 park_pricing_set_demand_steps   (ParkPricing   *self,
                                                          GPtrArray     *steps,
                                                          GError       **error);
double                   park_pricing_get_demand_cap     (ParkPricing   *self);
double                   park_pricing_get_demand_floor   (ParkPricing   *self);
gboolean                 park_pricing_set_demand_limits  (ParkPricing   *self,
                                                          double         floor_,
                                                          double         cap,
                                                          GError       **error);

G_END_DECLS
