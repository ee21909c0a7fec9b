/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <park-core.h>

G_BEGIN_DECLS

#define PARK_TYPE_AUDIT_PAGE (park_audit_page_get_type ())

/**
 * PARK_AUDIT_PAGE_SIZE:
 *
 * Entries on one page of the audit log.
 */
#define PARK_AUDIT_PAGE_SIZE 25

G_DECLARE_FINAL_TYPE (ParkAuditPage, park_audit_page, PARK, AUDIT_PAGE, GtkWidget)

void        park_audit_page_set_client (ParkAuditPage *self,
                                        ParkClient    *client);
void        park_audit_page_reload     (ParkAuditPage *self);

/* For the tests, which drive the same widgets and actions a person uses. */
guint       park_audit_page_get_loads  (ParkAuditPage *self);
guint       park_audit_page_get_page   (ParkAuditPage *self);
guint       park_audit_page_get_n_rows (ParkAuditPage *self);
char       *park_audit_page_dup_row_text (ParkAuditPage *self,
                                          guint          index);

G_END_DECLS
