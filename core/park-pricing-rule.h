/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-pricing-rule.h: the rules of a pricing policy that change the hourly rate: periods of
 * the week, events and demand steps, each a small value (boxed) type.
 */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <glib-object.h>

#include "park-types.h"

G_BEGIN_DECLS

/**
 * PARK_PRICING_MULTIPLIER_MAX:
 *
 * The largest multiplier a rule may have (the smallest is just above 0).
 */
#define PARK_PRICING_MULTIPLIER_MAX 10.0

#define PARK_TYPE_PRICING_PERIOD (park_pricing_period_get_type ())
#define PARK_TYPE_PRICING_EVENT  (park_pricing_event_get_type ())
#define PARK_TYPE_DEMAND_STEP    (park_demand_step_get_type ())

typedef struct _ParkPricingPeriod ParkPricingPeriod;
typedef struct _ParkPricingEvent  ParkPricingEvent;
typedef struct _ParkDemandStep    ParkDemandStep;

GType              park_pricing_period_get_type        (void) G_GNUC_CONST;
ParkPricingPeriod *park_pricing_period_new             (ParkWeekdays              days,
                                                        guint                     from_minute,
                                                        guint                     to_minute,
                                                        double                    multiplier,
                                                        const char               *label,
                                                        GError                  **error);
ParkPricingPeriod *park_pricing_period_copy            (const ParkPricingPeriod  *self);
void               park_pricing_period_free            (ParkPricingPeriod        *self);
ParkWeekdays       park_pricing_period_get_days        (const ParkPricingPeriod  *self);
guint              park_pricing_period_get_from_minute (const ParkPricingPeriod  *self);
guint              park_pricing_period_get_to_minute   (const ParkPricingPeriod  *self);
double             park_pricing_period_get_multiplier  (const ParkPricingPeriod  *self);
const char        *park_pricing_period_get_label       (const ParkPricingPeriod  *self);

GType              park_pricing_event_get_type         (void) G_GNUC_CONST;
ParkPricingEvent  *park_pricing_event_new              (GDateTime                *from,
                                                        GDateTime                *to,
                                                        double                    multiplier,
                                                        const char               *label,
                                                        GError                  **error);
ParkPricingEvent  *park_pricing_event_copy             (const ParkPricingEvent   *self);
void               park_pricing_event_free             (ParkPricingEvent         *self);
GDateTime         *park_pricing_event_get_from         (const ParkPricingEvent   *self);
GDateTime         *park_pricing_event_get_to           (const ParkPricingEvent   *self);
double             park_pricing_event_get_multiplier   (const ParkPricingEvent   *self);
const char        *park_pricing_event_get_label        (const ParkPricingEvent   *self);

GType              park_demand_step_get_type           (void) G_GNUC_CONST;
ParkDemandStep    *park_demand_step_new                (ParkDemandBound           bound,
                                                        double                    share,
                                                        double                    multiplier,
                                                        GError                  **error);
ParkDemandStep    *park_demand_step_copy               (const ParkDemandStep     *self);
void               park_demand_step_free               (ParkDemandStep           *self);
ParkDemandBound    park_demand_step_get_bound          (const ParkDemandStep     *self);
double             park_demand_step_get_share          (const ParkDemandStep     *self);
double             park_demand_step_get_multiplier     (const ParkDemandStep     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkPricingPeriod, park_pricing_period_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkPricingEvent, park_pricing_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkDemandStep, park_demand_step_free)

G_END_DECLS
