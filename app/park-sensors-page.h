/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "park-device-keys-page.h"

G_BEGIN_DECLS

#define PARK_TYPE_SENSORS_PAGE (park_sensors_page_get_type ())

G_DECLARE_FINAL_TYPE (ParkSensorsPage, park_sensors_page, PARK, SENSORS_PAGE, ParkDeviceKeysPage)

G_END_DECLS
