/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <park-core.h>

G_BEGIN_DECLS

#define PARK_TYPE_DISCOUNTS_PAGE (park_discounts_page_get_type ())

G_DECLARE_FINAL_TYPE (ParkDiscountsPage, park_discounts_page, PARK, DISCOUNTS_PAGE, GtkWidget)

void        park_discounts_page_set_client   (ParkDiscountsPage *self,
                                              ParkClient        *client);
void        park_discounts_page_set_currency (ParkDiscountsPage *self,
                                              const char        *currency);
void        park_discounts_page_reload       (ParkDiscountsPage *self);

/* For the tests, which drive the same widgets and actions a person uses. */
GListModel *park_discounts_page_get_codes    (ParkDiscountsPage *self);
guint       park_discounts_page_get_loads    (ParkDiscountsPage *self);
GtkWidget  *park_discounts_page_get_field    (ParkDiscountsPage *self,
                                              const char        *field);
const char *park_discounts_page_get_error    (ParkDiscountsPage *self);
void        park_discounts_page_delete       (ParkDiscountsPage *self,
                                              const char        *code);

G_END_DECLS
