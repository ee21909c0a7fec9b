/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-live.h: the live feed (GET /api/v1/live, backend/LIVE.md). A publisher thread drains
 * the events outbox and hands each batch of messages to every event loop, where the
 * WebSocket clients subscribed to a lot (or signed in as the driver concerned) get them.
 */
#pragma once

#include "parkd-redis.h"
#include "parkd-reply.h"

G_BEGIN_DECLS

typedef struct _ParkdLive ParkdLive;
typedef struct _ParkdLiveLoop ParkdLiveLoop;

ParkdLive     *parkd_live_new          (const ParkdConfig        *config,
                                        ParkdStore               *store,
                                        ParkdAuth                *auth);
/* Before parkd_live_start(), and before @redis starts: replicas share the feed through it
 * (backend/LIVE.md, Replicas). */
void           parkd_live_set_redis    (ParkdLive                *self,
                                        ParkdRedis               *redis);
/* Reads where every lot's feed stands and starts the publisher. */
gboolean       parkd_live_start        (ParkdLive                *self,
                                        GError                  **error);
/* Stops the publisher; the loops keep their clients until they are detached. */
void           parkd_live_stop         (ParkdLive                *self);
void           parkd_live_free         (ParkdLive                *self);
void           parkd_live_append_metrics (ParkdLive              *self,
                                        GString                  *out);

/* On each event loop's own thread. */
ParkdLiveLoop *parkd_live_attach       (ParkdLive                *self,
                                        h2o_evloop_t             *loop,
                                        h2o_multithread_queue_t  *queue);
/* The loop is stopping: every client is told (close code 1001). */
void           parkd_live_shutdown     (ParkdLiveLoop            *lloop);
/* The loop has ended: clients still there are cut off. */
void           parkd_live_detach       (ParkdLiveLoop            *lloop);
/* The handler of GET /api/v1/live. */
void           parkd_live_upgrade      (ParkdLiveLoop            *lloop,
                                        ParkdRequest             *r);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdLive, parkd_live_free)

G_END_DECLS
