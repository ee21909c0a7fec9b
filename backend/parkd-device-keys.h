/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-device-keys.h: what the admin routes of sensors (parkd-handler-sensors.c) and kiosks
 * (parkd-handler-kiosks.c) share. Each kind of device gets a key from its operator: shown
 * once, kept only as its hash, listed and revoked under /api/v1/admin/<kind>s with the
 * tenant rule of parkd-handler-admin.c.
 */
#pragma once

#include "parkd-reply.h"

G_BEGIN_DECLS

/* One kind of device, for the list and revoke routes, which differ only in these. */
typedef struct
{
  const char *what;             /* "kiosk": names the path's id in a 400 */
  const char *revoke_action;    /* "kiosk.revoke", the audit entry's action */
  const char *not_found;        /* the 404's detail: "There is no kiosk with this id" */
  ParkdPage *(*list)   (ParkdStore        *store,
                        const char        *operator_id,
                        guint              page,
                        guint              per_page,
                        GError           **error);
  gboolean   (*revoke) (ParkdStore        *store,
                        const char        *operator_id,
                        const char        *id,
                        const ParkdAudit  *audit,
                        GError           **error);
  void       (*append_item) (GString       *out,
                             gconstpointer  device,
                             GDateTime     *now);
} ParkdDeviceKind;

/* GET /api/v1/admin/<kind>s?operator=&page=&per_page=, for @kind. */
void       parkd_device_keys_list           (ParkdRequest           *r,
                                             const ParkdDeviceKind  *kind);
/* DELETE /api/v1/admin/<kind>s/{id}, for @kind. */
void       parkd_device_keys_revoke         (ParkdRequest           *r,
                                             const ParkdDeviceKind  *kind);

/* The steps of POST /api/v1/admin/<kind>s that are the same for every kind. Each returns
 * FALSE when it has answered. */
/* @name, trimmed into @trimmed: 400 when nothing is left. */
gboolean   parkd_device_keys_read_name      (ParkdRequest           *r,
                                             const char             *name,
                                             char                  **trimmed);
/* @lot_in, a lot id, lower-cased into @lot_id: 400 when it is not a UUID. */
gboolean   parkd_device_keys_read_lot_id    (ParkdRequest           *r,
                                             const char             *lot_in,
                                             char                  **lot_id);
/* A new key, @prefix and 256 random bits, and its hash in @hash. Wipe it with
 * parkd_device_keys_reply_created() or parkd_device_key_free(). */
char      *parkd_device_key_new             (const char             *prefix,
                                             GBytes                **hash);
void       parkd_device_key_free            (char                   *key);
/* The hash the store knows a presented key by, the copy it makes wiped. */
GBytes    *parkd_device_key_hash            (const char             *key,
                                             gsize                   len);
/* 201 with @json (the new device and its key), or when the store refused it (@json NULL)
 * @error's answer: NOT_FOUND is the lot, not the operator's or gone meanwhile. Takes @json
 * and wipes and frees @key. */
void       parkd_device_keys_reply_created  (ParkdRequest           *r,
                                             GString                *json,
                                             char                   *key,
                                             const GError           *error);

G_END_DECLS
