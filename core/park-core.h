/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-core.h: the Parkade client library, the one header the app and the console include.
 */
#pragma once

#define PARK_CORE_INSIDE

#include "park-types.h"
#include "park-enums.h"
#include "park-error.h"
#include "park-money.h"
#include "park-opening-hours.h"
#include "park-lot.h"
#include "park-spot.h"
#include "park-price-line.h"
#include "park-price-breakdown.h"
#include "park-quote.h"
#include "park-reservation.h"
#include "park-session.h"
#include "park-payment.h"
#include "park-receipt.h"
#include "park-user.h"
#include "park-vehicle.h"
#include "park-server-info.h"
#include "park-shift.h"
#include "park-board-item.h"
#include "park-credentials.h"
#include "park-credentials-secret.h"
#include "park-client.h"
#include "park-live-feed.h"
#include "park-operator.h"
#include "park-pricing.h"
#include "park-discount.h"
#include "park-audit-entry.h"
#include "park-sensor.h"
#include "park-kiosk.h"
#include "park-import-report.h"
#include "park-cash-line.h"
#include "park-cash-report.h"
#include "park-occupancy-step.h"
#include "park-occupancy-report.h"
#include "park-revenue-row.h"
#include "park-revenue-series.h"
#include "park-stays-report.h"
#include "park-client-admin.h"

#undef PARK_CORE_INSIDE
