/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-test-live.h: a live-feed client as the front ends connect (libsoup's WebSocket
 * client on parkd's GET /api/v1/live), keeping every message it reads, for the backend's
 * feed and replica tests; and running the main context until something holds.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "park-test-backend.h"

G_BEGIN_DECLS

typedef struct
{
  SoupSession             *session;
  SoupWebsocketConnection *ws;
  GQueue                   messages;   /* JsonObject *, oldest first */
  gboolean                 closed;
} ParkTestLiveClient;

/* Runs the main context until @done says so or @seconds (times
 * park_test_timeout_multiplier()) pass; FALSE on time-out. */
gboolean            park_test_run_until          (gboolean          (*done) (gpointer),
                                                  gpointer            data,
                                                  guint               seconds);
/* Connects to @backend's feed (failing the test after @wait_s seconds); nothing read yet.
 * An https:// @backend (nginx in front) is trusted as its session trusts it. */
ParkTestLiveClient *park_test_live_connect       (ParkTestBackend    *backend,
                                                  guint               wait_s);
/* TRUE when @client (a ParkTestLiveClient) has a message waiting, or was closed. */
gboolean            park_test_live_has_message   (gpointer            client);
/* The next message (transfer full); the test fails if none comes within @wait_s seconds. */
JsonObject         *park_test_live_next          (ParkTestLiveClient *client,
                                                  guint               wait_s);
void                park_test_live_client_free   (ParkTestLiveClient *client);

G_END_DECLS
