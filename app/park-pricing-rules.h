/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <park-core.h>

G_BEGIN_DECLS

#define PARK_TYPE_PRICING_RULES (park_pricing_rules_get_type ())

G_DECLARE_FINAL_TYPE (ParkPricingRules, park_pricing_rules, PARK, PRICING_RULES, GtkWidget)

GtkWidget  *park_pricing_rules_new         (void);
void        park_pricing_rules_set_pricing (ParkPricingRules  *self,
                                            ParkPricing       *pricing);
gboolean    park_pricing_rules_apply       (ParkPricingRules  *self,
                                            ParkPricing       *pricing,
                                            GError           **error);

/* For the tests, which drive the same widgets and actions a person uses: @kind is "periods",
 * "events" or "steps". */
guint       park_pricing_rules_get_n       (ParkPricingRules  *self,
                                            const char        *kind);
GtkWidget  *park_pricing_rules_get_field   (ParkPricingRules  *self,
                                            const char        *field);
const char *park_pricing_rules_get_error   (ParkPricingRules  *self);
void        park_pricing_rules_remove      (ParkPricingRules  *self,
                                            const char        *kind,
                                            guint              index);

G_END_DECLS
