/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-demo-traffic.c: cars coming and going in the demo city (`--demo-traffic`).
 *
 * A demo whose numbers never move shows nothing of the live feed. With --demo-traffic,
 * cars arrive at and leave the demo operator's lots, reported the way bay sensors report
 * them: a sensor named "Demo traffic", on the operator's Sensors page, sends one reading at
 * a time through parkd_store_apply_sensor_readings(). So every change takes the one path
 * of every change (the outbox, the feed, the occupancy history), a spot a booking holds
 * turns reserved, not free, when its car leaves, and a spot out of service stays so.
 * Revoking the sensor stops the traffic.
 *
 * Each lot drifts around its usual occupancy (the demo table's), fuller around midday in
 * the lot's own time and emptier at night; outside its opening hours cars only leave.
 */
#include "config.h"

#include "parkd-demo-traffic.h"

#include "parkd-demo-data.h"
#include "parkd-device-keys.h"
#include "parkd-hours.h"

#include <math.h>
#include <string.h>

#define SENSOR_NAME "Demo traffic"
#define KEY_PREFIX  "psk_"

struct _ParkdDemoTraffic
{
  ParkdStore *store;
  char       *operator_id;
  char       *device_id;
  GRand      *rand;
  guint       timeout;
  guint64     readings;
};

/* The sensor of an earlier run (the newest of that name) in device_id; @revoked when the
 * operator revoked it, and then there is no traffic. */
static gboolean
find_sensor (ParkdDemoTraffic  *self,
             gboolean          *revoked,
             GError           **error)
{
  g_autoptr(ParkdPage) page = parkd_store_list_sensors (self->store, self->operator_id, 1, 100,
                                                        error);

  *revoked = FALSE;
  if (page == NULL)
    return FALSE;
  for (guint i = 0; i < page->items->len; i++)
    {
      ParkdSensorDevice *device = g_ptr_array_index (page->items, i);

      if (g_strcmp0 (device->name, SENSOR_NAME) != 0)
        continue;
      if (device->revoked_at != NULL)
        *revoked = TRUE;
      else
        self->device_id = g_strdup (device->id);
      return TRUE;
    }
  return TRUE;
}

static gboolean
make_sensor (ParkdDemoTraffic  *self,
             GError           **error)
{
  g_autoptr(GBytes) key_hash = NULL;
  ParkdSensorDevice device = { 0, };
  ParkdSensorDevice *created;
  ParkdAudit audit = { 0, };
  char *key;

  /* Nobody needs the key: the readings go to the store directly. */
  key = parkd_device_key_new (KEY_PREFIX, &key_hash);
  parkd_device_key_free (key);
  device.operator_id = self->operator_id;
  device.name = (char *) SENSOR_NAME;
  audit.action = (char *) "sensor.create";
  audit.object_type = (char *) "sensor";
  audit.operator_id = self->operator_id;
  audit.detail = (char *) "{\"by\":\"parkd --demo-traffic\"}";
  created = parkd_store_create_sensor (self->store, &device, key_hash, &audit, error);
  if (created == NULL)
    return FALSE;
  self->device_id = g_strdup (created->id);
  parkd_sensor_device_free (created);
  return TRUE;
}

/* The demo table's occupancy of the lot, or an ordinary one for a lot the operator added. */
static double
usual_occupancy (const ParkdLot *lot)
{
  guint n;
  const ParkdDemoLot *table = parkd_demo_lots (&n);

  for (guint i = 0; i < n; i++)
    if (strcmp (table[i].name, lot->name) == 0)
      return table[i].occupancy;
  return 0.6;
}

/* What the lot drifts towards now: its usual occupancy, a sixth higher at 14:00 in the lot's
 * time and lower at 02:00. */
static double
target_occupancy (const ParkdLot *lot)
{
  g_autoptr(GTimeZone) named = g_time_zone_new_identifier (lot->time_zone);
  g_autoptr(GTimeZone) tz = named != NULL ? g_time_zone_ref (named) : g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  double hour = g_date_time_get_hour (now) + g_date_time_get_minute (now) / 60.0;
  double usual = usual_occupancy (lot);

  return CLAMP (usual * (1.0 + 0.18 * cos ((hour - 14.0) * G_PI / 12.0)), 0.02, 0.98);
}

/* A random spot of @lot in @state, or NULL. */
static char *
pick_spot (ParkdDemoTraffic *self,
           const ParkdLot   *lot,
           ParkdSpotState    state)
{
  ParkdSpotQuery query = { .has_state = TRUE, .state = state, .page = 1, .per_page = 1 };
  g_autoptr(ParkdPage) first = NULL, page = NULL;
  g_autoptr(GError) error = NULL;
  ParkdSpot *spot;

  first = parkd_store_list_spots (self->store, lot->id, &query, &error);
  if (first == NULL || first->total == 0)
    return NULL;
  query.page = 1 + g_rand_int_range (self->rand, 0, (gint32) MIN (first->total, G_MAXINT32));
  page = parkd_store_list_spots (self->store, lot->id, &query, &error);
  if (page == NULL || page->items->len == 0)
    return NULL;
  spot = g_ptr_array_index (page->items, 0);
  return g_strdup (spot->id);
}

/* One car arrives at or leaves one lot of the operator. FALSE once the sensor is revoked. */
static gboolean
step (ParkdDemoTraffic *self)
{
  g_autoptr(ParkdPage) lots = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *spot_id = NULL, *event_id = NULL, *observed = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  ParkdSensorReading reading = { 0, };
  const ParkdLot *lot;
  guint total = 0, available = 0, failed = 0;
  gboolean arrive, open;

  lots = parkd_store_list_operator_lots (self->store, self->operator_id, 1, 1000, &error);
  if (lots == NULL || lots->items->len == 0)
    return TRUE;
  lot = g_ptr_array_index (lots->items, g_rand_int_range (self->rand, 0, lots->items->len));
  open = g_strcmp0 (lot->status, "open") == 0 &&
         parkd_hours_is_open (lot->operating_hours, lot->time_zone, now);
  for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
    {
      total += lot->availability[t].total;
      available += lot->availability[t].available;
    }
  if (total == 0)
    return TRUE;

  /* Towards the target, mostly: a full lot still sees a car leave now and then. A closed
   * lot only empties. */
  arrive = open && (1.0 - (double) available / total) < target_occupancy (lot);
  if (open && g_rand_double (self->rand) < 0.25)
    arrive = !arrive;
  spot_id = pick_spot (self, lot, arrive ? PARKD_SPOT_STATE_AVAILABLE : PARKD_SPOT_STATE_OCCUPIED);
  if (spot_id == NULL)
    return TRUE;

  event_id = g_strdup_printf ("demo-%" G_GINT64_FORMAT "-%" G_GUINT64_FORMAT,
                              g_date_time_to_unix (now), ++self->readings);
  observed = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
  reading.event_id = event_id;
  reading.spot_id = spot_id;
  reading.occupied = arrive;
  reading.observed_at = observed;
  if (!parkd_store_apply_sensor_readings (self->store, self->device_id, &reading, 1, &failed,
                                          &error))
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE))
        {
          g_message ("demo traffic stopped: its sensor was revoked");
          return FALSE;
        }
      g_warning ("demo traffic: %s", error->message);
    }
  return TRUE;
}

static gboolean
step_cb (gpointer data)
{
  ParkdDemoTraffic *self = data;

  if (step (self))
    return G_SOURCE_CONTINUE;
  self->timeout = 0;
  return G_SOURCE_REMOVE;
}

ParkdDemoTraffic *
parkd_demo_traffic_start (ParkdStore  *store,
                          guint        interval_s,
                          GError     **error)
{
  g_autoptr(ParkdDemoTraffic) self = g_new0 (ParkdDemoTraffic, 1);
  g_autoptr(ParkdOperator) op = NULL;
  gboolean revoked;

  g_return_val_if_fail (interval_s > 0, NULL);

  op = parkd_store_get_operator (store, parkd_demo_operator ()->slug, error);
  if (op == NULL)
    return NULL;
  self->store = store;
  self->operator_id = g_strdup (op->id);
  self->rand = g_rand_new ();
  if (!find_sensor (self, &revoked, error))
    return NULL;
  if (revoked)
    {
      g_message ("demo traffic stopped: its sensor was revoked");
      return g_steal_pointer (&self);
    }
  if (self->device_id == NULL && !make_sensor (self, error))
    return NULL;
  self->timeout = g_timeout_add_seconds (interval_s, step_cb, self);
  g_message ("demo traffic: a car arrives or leaves every %u s, as the sensor %s", interval_s,
             SENSOR_NAME);
  return g_steal_pointer (&self);
}

void
parkd_demo_traffic_free (ParkdDemoTraffic *self)
{
  if (self == NULL)
    return;
  g_clear_handle_id (&self->timeout, g_source_remove);
  g_free (self->operator_id);
  g_free (self->device_id);
  g_clear_pointer (&self->rand, g_rand_free);
  g_free (self);
}
