/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-core.h: the Parkade client library, the one header the app and the console include.
 */
#pragma once

#define PARK_CORE_INSIDE

#include "park-types.h"
#include "park-enums.h"
#include "park-error.h"

#undef PARK_CORE_INSIDE
