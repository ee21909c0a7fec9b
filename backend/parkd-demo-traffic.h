/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-demo-traffic.h: cars coming and going in the demo city (`--demo-traffic`).
 */
#pragma once

#include "parkd-store.h"

G_BEGIN_DECLS

typedef struct _ParkdDemoTraffic ParkdDemoTraffic;

/* Reports a car arriving or leaving every @interval_s seconds on the thread-default main
 * context, as the sensor "Demo traffic" of the demo operator (made on the first run). */
ParkdDemoTraffic *parkd_demo_traffic_start (ParkdStore        *store,
                                            guint              interval_s,
                                            GError           **error);
void              parkd_demo_traffic_free  (ParkdDemoTraffic  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdDemoTraffic, parkd_demo_traffic_free)

G_END_DECLS
