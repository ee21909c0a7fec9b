/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-sensors-page.c: an operator's sensor devices (issue 5), on the page they share with
 * kiosks (park-device-keys-page.c). A sensor may be kept to one lot or report for any of the
 * operator's; its row says which, and when it last reported.
 */
#include "config.h"

#include "park-sensors-page.h"
#include "park-format.h"

#include <glib/gi18n.h>

struct _ParkSensorsPage
{
  ParkDeviceKeysPage parent_instance;
};

G_DEFINE_FINAL_TYPE (ParkSensorsPage, park_sensors_page, PARK_TYPE_DEVICE_KEYS_PAGE)

static char *
dup_subtitle (ParkDeviceKeysPage *page,
              gpointer            device)
{
  ParkSensor *sensor = device;
  const char *lot = park_device_keys_page_get_lot_name (page, park_sensor_get_lot_id (sensor));
  g_autofree char *seen = NULL;

  if (park_sensor_get_last_seen_at (sensor) != NULL)
    {
      g_autofree char *when = park_format_local_time (park_sensor_get_last_seen_at (sensor),
                                                      NULL);

      /* Translators: when a sensor last reported */
      seen = g_strdup_printf (_("last reported %s"), when);
    }
  else
    seen = g_strdup (_("has not reported yet"));
  /* Translators: a sensor's lot (or "any lot"), then when it last reported */
  return g_strdup_printf (_("%s · %s"), lot != NULL ? lot : _("Any lot of yours"), seen);
}

static const ParkDeviceKeysKind sensors = {
  .create_action = "sensors.create",
  .item_type = park_sensor_get_type,
  .context = "sensor",
  .active = NC_("sensor", "Active"),
  .revoked = NC_("sensor", "Revoked"),
  .title = N_("Sensors"),
  .description = N_("Barrier loops, cameras and bay sensors report cars coming and going with "
                    "their own key. A revoked key stops working at once."),
  .form_title = N_("New Sensor"),
  .name_title = N_("Name (e.g. Gate 1 loop)"),
  .lot_subtitle = N_("The lot it may report for"),
  .create_label = N_("_Create Sensor"),
  .none_yet = N_("No sensors yet. Create one below."),
  .revoke_body = N_("Its key stops working at once and cannot be used again. To bring the "
                    "device back, create a new sensor and give it the new key."),
  .revoked_toast = N_("Sensor revoked: its key no longer works"),
  .key_body = N_("Give the device this key now. It is shown only this once; if it is lost, "
                 "revoke the sensor and create a new one."),
  .key_name = N_("API key"),
  .any_lot = N_("Any lot of yours"),
  .no_lot = NULL,
  .lot_field = NULL,
  .dup_subtitle = dup_subtitle,
  .list_async = park_client_list_sensors_async,
  .list_finish = park_client_list_sensors_finish,
  .create_async = park_client_create_sensor_async,
  .create_finish = (gpointer (*) (ParkClient *, GAsyncResult *, GError **))
                   park_client_create_sensor_finish,
  .revoke_async = park_client_revoke_sensor_async,
  .revoke_finish = park_client_revoke_sensor_finish,
};

static void
park_sensors_page_class_init (ParkSensorsPageClass *klass)
{
  park_device_keys_page_class_set_kind (PARK_DEVICE_KEYS_PAGE_CLASS (klass), &sensors);
}

static void
park_sensors_page_init (ParkSensorsPage *self)
{
}
