/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "parkd-config.h"
#include "parkd-live.h"
#include "parkd-reply.h"
#include "parkd-store.h"

G_BEGIN_DECLS

ParkdServer *parkd_server_new          (const ParkdConfig  *config,
                                        ParkdStore         *store,
                                        GError            **error);
void         parkd_server_set_store    (ParkdServer        *self,
                                        ParkdStore         *store);
void         parkd_server_set_auth     (ParkdServer        *self,
                                        ParkdAuth          *auth);
void         parkd_server_set_stripe   (ParkdServer        *self,
                                        ParkdStripe        *stripe);
/* Replicas: rate limits counted in Redis (before parkd_server_start()). */
void         parkd_server_set_redis    (ParkdServer        *self,
                                        ParkdRedis         *redis);
/* Before parkd_server_start(); the server stops its publisher before its loops. */
void         parkd_server_set_live     (ParkdServer        *self,
                                        ParkdLive          *live);
const char  *parkd_server_get_url      (ParkdServer        *self);
gboolean     parkd_server_start        (ParkdServer        *self,
                                        GError            **error);
void         parkd_server_stop         (ParkdServer        *self);
void         parkd_server_free         (ParkdServer        *self);

/* For handlers and the reply module. */
const ParkdConfig *parkd_server_get_config  (ParkdServer  *self);
ParkdStore        *parkd_server_get_store   (ParkdServer  *self);
gint64             parkd_server_get_started (ParkdServer  *self);
void               parkd_server_append_metrics (ParkdServer *self,
                                                GString     *out);
void               _parkd_server_request_done  (ParkdRequest *r,
                                                gsize         body_len);
ParkdLiveLoop     *_parkd_server_worker_live   (ParkdWorker  *w);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdServer, parkd_server_free)

G_END_DECLS
