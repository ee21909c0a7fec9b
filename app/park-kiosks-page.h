/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "park-device-keys-page.h"

G_BEGIN_DECLS

#define PARK_TYPE_KIOSKS_PAGE (park_kiosks_page_get_type ())

G_DECLARE_FINAL_TYPE (ParkKiosksPage, park_kiosks_page, PARK, KIOSKS_PAGE, ParkDeviceKeysPage)

G_END_DECLS
