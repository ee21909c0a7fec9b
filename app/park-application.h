/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-application.h: `parkade [--backend URL] [--kiosk] [--lot ID]`.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PARK_TYPE_APPLICATION (park_application_get_type ())

G_DECLARE_FINAL_TYPE (ParkApplication, park_application, PARK, APPLICATION, AdwApplication)

ParkApplication *park_application_new (void);

G_END_DECLS
