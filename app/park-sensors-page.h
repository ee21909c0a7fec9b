/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <park-core.h>

G_BEGIN_DECLS

#define PARK_TYPE_SENSORS_PAGE (park_sensors_page_get_type ())

G_DECLARE_FINAL_TYPE (ParkSensorsPage, park_sensors_page, PARK, SENSORS_PAGE, GtkWidget)

void        park_sensors_page_set_client (ParkSensorsPage *self,
                                          ParkClient      *client);
void        park_sensors_page_set_lots   (ParkSensorsPage *self,
                                          GListModel      *lots);
void        park_sensors_page_reload     (ParkSensorsPage *self);

/* For the tests, which drive the same widgets and actions a person uses. */
GListModel *park_sensors_page_get_sensors (ParkSensorsPage *self);
guint       park_sensors_page_get_loads   (ParkSensorsPage *self);
GtkWidget  *park_sensors_page_get_field   (ParkSensorsPage *self,
                                           const char      *field);
const char *park_sensors_page_get_error   (ParkSensorsPage *self);
void        park_sensors_page_revoke      (ParkSensorsPage *self,
                                           const char      *sensor_id);
const char *park_sensors_page_get_shown_key (ParkSensorsPage *self);

G_END_DECLS
