/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <park-core.h>

G_BEGIN_DECLS

#define PARK_TYPE_KIOSKS_PAGE (park_kiosks_page_get_type ())

G_DECLARE_FINAL_TYPE (ParkKiosksPage, park_kiosks_page, PARK, KIOSKS_PAGE, GtkWidget)

void        park_kiosks_page_set_client (ParkKiosksPage *self,
                                         ParkClient     *client);
void        park_kiosks_page_set_lots   (ParkKiosksPage *self,
                                         GListModel     *lots);
void        park_kiosks_page_reload     (ParkKiosksPage *self);

/* For the tests, which drive the same widgets and actions a person uses. */
GListModel *park_kiosks_page_get_kiosks    (ParkKiosksPage *self);
guint       park_kiosks_page_get_loads     (ParkKiosksPage *self);
GtkWidget  *park_kiosks_page_get_field     (ParkKiosksPage *self,
                                            const char     *field);
const char *park_kiosks_page_get_error     (ParkKiosksPage *self);
void        park_kiosks_page_revoke        (ParkKiosksPage *self,
                                            const char     *kiosk_id);
const char *park_kiosks_page_get_shown_key (ParkKiosksPage *self);

G_END_DECLS
