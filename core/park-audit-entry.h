/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-audit-entry.h: one entry of the audit log: who changed what. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_AUDIT_ENTRY (park_audit_entry_get_type ())

G_DECLARE_FINAL_TYPE (ParkAuditEntry, park_audit_entry, PARK, AUDIT_ENTRY, GObject)

ParkAuditEntry *park_audit_entry_new_from_json    (JsonObject      *object,
                                                   GError         **error);
gint64          park_audit_entry_get_id           (ParkAuditEntry  *self);
GDateTime      *park_audit_entry_get_at           (ParkAuditEntry  *self);
const char     *park_audit_entry_get_actor_id     (ParkAuditEntry  *self);
const char     *park_audit_entry_get_action       (ParkAuditEntry  *self);
const char     *park_audit_entry_get_object_type  (ParkAuditEntry  *self);
const char     *park_audit_entry_get_object_id    (ParkAuditEntry  *self);
const char     *park_audit_entry_get_operator_id  (ParkAuditEntry  *self);
const char     *park_audit_entry_get_client       (ParkAuditEntry  *self);
const char     *park_audit_entry_get_detail       (ParkAuditEntry  *self);

G_END_DECLS
