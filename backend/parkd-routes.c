/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-routes.c: every route parkd serves, in one table (Redis's command table is the
 * model). The OpenAPI document (parkd-openapi.json) describes each of them; a test checks
 * the two agree.
 */
#include "config.h"

#include "parkd-reply.h"

const ParkdRoute parkd_routes[] = {
  { "GET",  "/health",                             parkd_handle_health,       FALSE },
  { "GET",  "/ready",                              parkd_handle_ready,        FALSE },
  { "GET",  "/metrics",                            parkd_handle_metrics,      FALSE },
  { "GET",  "/api/v1/openapi.json",                parkd_handle_openapi,      FALSE },
  { "GET",  "/api/v1/info",                        parkd_handle_info,         FALSE },
  { "GET",  "/api/v1/parking-lots",                parkd_handle_lots_search,  FALSE },
  { "POST", "/api/v1/parking-lots/availability",   parkd_handle_availability, TRUE },
  { "GET",  "/api/v1/parking-lots/{id}",           parkd_handle_lot_get,      FALSE },
  { "GET",  "/api/v1/parking-lots/{id}/spots",     parkd_handle_lot_spots,    FALSE },
};

const guint parkd_n_routes = G_N_ELEMENTS (parkd_routes);
