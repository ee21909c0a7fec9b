/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-live-feed.h: parkd's live feed (GET /api/v1/live, backend/LIVE.md) as GObject
 * signals and as ParkLot properties that change by themselves.
 */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <gio/gio.h>

#include "park-client.h"
#include "park-lot.h"
#include "park-types.h"

G_BEGIN_DECLS

#define PARK_TYPE_LIVE_FEED (park_live_feed_get_type ())

G_DECLARE_FINAL_TYPE (ParkLiveFeed, park_live_feed, PARK, LIVE_FEED, GObject)

ParkLiveFeed      *park_live_feed_new        (ParkClient   *client);
ParkClient        *park_live_feed_get_client (ParkLiveFeed *self);
ParkLiveFeedState  park_live_feed_get_state  (ParkLiveFeed *self);
void               park_live_feed_start      (ParkLiveFeed *self);
void               park_live_feed_stop       (ParkLiveFeed *self);
void               park_live_feed_watch      (ParkLiveFeed *self,
                                              GListModel   *lots);
void               park_live_feed_watch_box  (ParkLiveFeed *self,
                                              GListModel   *lots,
                                              double        min_longitude,
                                              double        min_latitude,
                                              double        max_longitude,
                                              double        max_latitude);
gint64             park_live_feed_get_seq    (ParkLiveFeed *self,
                                              const char   *lot_id);

G_END_DECLS
