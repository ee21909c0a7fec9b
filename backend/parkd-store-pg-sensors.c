/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-pg-sensors.c: occupancy sensors on PostgreSQL, as parkd-store-sqlite-sensors.c
 * has them: a device is known by the hash of its key, made, revoked and found by it as a kiosk
 * is (parkd-store-pg-devices.c); a batch of readings is one transaction, each reading recorded
 * under the device's own event id (a replay changes nothing), and a reading that changes a
 * spot only updates parking_spots.state, whose trigger writes the lot's feed message in the
 * same transaction.
 */
#include "config.h"

#include "parkd-store-pg-private.h"

#include <stdlib.h>
#include <string.h>

#define DEVICE_SELECT \
  "SELECT d.id, d.operator_id, l.id, d.name, d.created_at, d.last_seen_at, d.revoked_at " \
  "FROM sensor_devices d LEFT JOIN parking_lots l ON l.pk = d.lot_pk "

static const char SQL_DEVICE_BY_ID[] = DEVICE_SELECT "WHERE d.id = $1";
static const char SQL_DEVICE_BY_KEY[] = DEVICE_SELECT "WHERE d.key_hash = $1";
static const char SQL_DEVICES_PAGE[] =
  DEVICE_SELECT "WHERE ($3::text IS NULL OR d.operator_id = $3::text) "
  "ORDER BY d.created_at DESC, d.id LIMIT $1 OFFSET $2";
static const char SQL_DEVICES_COUNT[] =
  "SELECT count(*) FROM sensor_devices WHERE ($1::text IS NULL OR operator_id = $1::text)";
static const char SQL_INSERT_DEVICE[] =
  "INSERT INTO sensor_devices (id, operator_id, lot_pk, name, key_hash, created_at) "
  "VALUES ($1, $2, $3, $4, $5, $6)";
static const char SQL_DEVICE_OPERATOR[] =
  "SELECT operator_id, revoked_at FROM sensor_devices "
  " WHERE id = $1 AND ($2::text IS NULL OR operator_id = $2::text)";
static const char SQL_REVOKE_DEVICE[] =
  "UPDATE sensor_devices SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";

static const char SQL_DEVICE_FOR_READINGS[] =
  "SELECT operator_id, lot_pk, revoked_at FROM sensor_devices WHERE id = $1";
static const char SQL_SPOT_FOR_READING[] =
  "SELECT s.pk, s.lot_pk, s.state, s.sensor_at, l.operator_id "
  "  FROM parking_spots s JOIN parking_lots l ON l.pk = s.lot_pk WHERE s.id = $1";
/* When staff last saw a car arrive on the spot or leave it: a check-in or check-out. */
static const char SQL_STAFF_SAW_SPOT[] =
  "SELECT max (greatest (checked_in_at, coalesce (checked_out_at, checked_in_at))) "
  "  FROM parking_sessions WHERE spot_pk = $1";
static const char SQL_READING_SEEN[] =
  "SELECT 1 FROM sensor_events WHERE device_id = $1 AND event_id = $2";
static const char SQL_SPOT_HELD_NOW[] =
  "SELECT 1 FROM reservations WHERE spot_pk = $1 AND status IN ('pending_payment', 'confirmed') "
  "   AND start_time <= $2 AND end_time > $2 "
  "   AND (status <> 'pending_payment' OR hold_until > $2) LIMIT 1";
static const char SQL_SPOT_SET_STATE[] =
  "UPDATE parking_spots SET state = $2, sensor_at = $3, updated_at = $4 WHERE pk = $1";
static const char SQL_SPOT_SET_SENSOR_AT[] =
  "UPDATE parking_spots SET sensor_at = $2 WHERE pk = $1";
static const char SQL_INSERT_READING[] =
  "INSERT INTO sensor_events (device_id, event_id, spot_pk, occupied, observed_at, "
  "received_at, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7)";
static const char SQL_DEVICE_SEEN[] =
  "UPDATE sensor_devices SET last_seen_at = $2 WHERE id = $1";

static ParkdStorePg *
pg (ParkdStore *store)
{
  return (ParkdStorePg *) store;
}

static gpointer
device_row (const PGresult *res,
            int             row)
{
  ParkdSensorDevice *device = g_new0 (ParkdSensorDevice, 1);

  device->id = _parkd_pg_dup (res, row, 0);
  device->operator_id = _parkd_pg_dup (res, row, 1);
  device->lot_id = _parkd_pg_dup (res, row, 2);
  device->name = _parkd_pg_dup (res, row, 3);
  device->created_at = _parkd_pg_dup (res, row, 4);
  device->last_seen_at = _parkd_pg_dup (res, row, 5);
  device->revoked_at = _parkd_pg_dup (res, row, 6);
  return device;
}

static const ParkdPgDevices sensors = {
  .noun = "sensor",
  .not_found = "There is no such sensor",
  .invalid = "Invalid sensor",
  .sql_by_id = SQL_DEVICE_BY_ID,
  .sql_by_key = SQL_DEVICE_BY_KEY,
  .sql_insert = SQL_INSERT_DEVICE,
  .sql_operator = SQL_DEVICE_OPERATOR,
  .sql_revoke = SQL_REVOKE_DEVICE,
  .row = device_row,
  .free = (GDestroyNotify) parkd_sensor_device_free,
};

static ParkdSensorDevice *
pg_create_sensor (ParkdStore               *store,
                  const ParkdSensorDevice  *want,
                  GBytes                   *key_hash,
                  const ParkdAudit         *audit,
                  GError                  **error)
{
  return _parkd_pg_create_device (pg (store), &sensors, want->operator_id, want->lot_id,
                                  want->name, key_hash, audit, error);
}

static ParkdPage *
pg_list_sensors (ParkdStore  *store,
                 const char  *operator_id,
                 guint        page,
                 guint        per_page,
                 GError     **error)
{
  return _parkd_pg_read_page (pg (store), SQL_DEVICES_COUNT, SQL_DEVICES_PAGE, operator_id,
                              NULL, page, per_page, device_row,
                              (GDestroyNotify) parkd_sensor_device_free, error);
}

static gboolean
pg_revoke_sensor (ParkdStore        *store,
                  const char        *operator_id,
                  const char        *id,
                  const ParkdAudit  *audit,
                  GError           **error)
{
  return _parkd_pg_revoke_device (pg (store), &sensors, operator_id, id, audit, error);
}

static ParkdSensorDevice *
pg_get_sensor_by_key (ParkdStore  *store,
                      GBytes      *key_hash,
                      GError     **error)
{
  return _parkd_pg_get_device_by_key (pg (store), &sensors, key_hash, error);
}

/* One reading, inside the batch's transaction. FALSE with @error set when the batch must be
 * refused (NOT_FOUND: the spot is not the device's). */
static gboolean
apply_reading_locked (PgConn              *conn,
                      const char          *device_id,
                      const char          *device_operator,
                      const char          *device_lot_pk,   /* NULL: any lot */
                      ParkdSensorReading  *reading,
                      const char          *now,
                      GError             **error)
{
  g_autofree char *spot_pk = NULL, *sensor_at = NULL, *staff_at = NULL;
  ParkdSpotState state = PARKD_SPOT_STATE_AVAILABLE, want;
  g_autoptr(PGresult) res = NULL;
  gboolean held = FALSE;

  {
    const char *params[] = { reading->spot_id };

    res = _parkd_pg_query_v (conn, SQL_SPOT_FOR_READING, params, error);
  }
  if (res == NULL)
    return FALSE;
  /* Another operator's spot is answered exactly like one that does not exist. */
  if (PQntuples (res) == 0 || g_strcmp0 (PQgetvalue (res, 0, 4), device_operator) != 0 ||
      (device_lot_pk != NULL && g_strcmp0 (PQgetvalue (res, 0, 1), device_lot_pk) != 0))
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                           "This sensor covers no spot with this id");
      return FALSE;
    }
  spot_pk = _parkd_pg_dup (res, 0, 0);
  parkd_spot_state_from_string (PQgetvalue (res, 0, 2), &state);
  sensor_at = _parkd_pg_dup (res, 0, 3);
  g_clear_pointer (&res, PQclear);

  {
    const char *params[] = { device_id, reading->event_id };

    res = _parkd_pg_query_v (conn, SQL_READING_SEEN, params, error);
  }
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    {
      reading->outcome = PARKD_SENSOR_DUPLICATE;
      return TRUE;
    }
  g_clear_pointer (&res, PQclear);

  /* An attendant who checked a car in or out of the spot saw it then: a reading from
   * before is history too (a gateway's backlog must not free a spot a car just took). */
  {
    const char *params[] = { spot_pk };

    res = _parkd_pg_query_v (conn, SQL_STAFF_SAW_SPOT, params, error);
  }
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    staff_at = _parkd_pg_dup (res, 0, 0);
  g_clear_pointer (&res, PQclear);

  if ((sensor_at != NULL && strcmp (reading->observed_at, sensor_at) <= 0) ||
      (staff_at != NULL && strcmp (reading->observed_at, staff_at) <= 0))
    reading->outcome = PARKD_SENSOR_STALE;
  /* Out of service is the operator's word, and no sensor overrules it. */
  else if (state == PARKD_SPOT_STATE_OUT_OF_SERVICE)
    reading->outcome = PARKD_SENSOR_UNCHANGED;
  else
    {
      if (!reading->occupied)
        {
          const char *params[] = { spot_pk, now };

          res = _parkd_pg_query_v (conn, SQL_SPOT_HELD_NOW, params, error);
          if (res == NULL)
            return FALSE;
          held = PQntuples (res) > 0;
          g_clear_pointer (&res, PQclear);
        }
      /* A spot left free while its booking runs is still the driver's. */
      want = reading->occupied ? PARKD_SPOT_STATE_OCCUPIED
                               : held ? PARKD_SPOT_STATE_RESERVED : PARKD_SPOT_STATE_AVAILABLE;
      reading->outcome = want == state ? PARKD_SENSOR_UNCHANGED : PARKD_SENSOR_APPLIED;
      if (reading->outcome == PARKD_SENSOR_APPLIED)
        {
          /* The spot's trigger writes the lot's feed message for this change. */
          const char *params[] = { spot_pk, parkd_spot_state_to_string (want),
                                   reading->observed_at, now };

          if (!_parkd_pg_run_v (conn, SQL_SPOT_SET_STATE, params, NULL, error))
            return FALSE;
        }
    }
  if (reading->outcome == PARKD_SENSOR_UNCHANGED)
    {
      /* Still the newest word on the spot: a late reading from before it is stale. */
      const char *params[] = { spot_pk, reading->observed_at };

      if (!_parkd_pg_run_v (conn, SQL_SPOT_SET_SENSOR_AT, params, NULL, error))
        return FALSE;
    }
  {
    const char *params[] = { device_id, reading->event_id, spot_pk,
                             reading->occupied ? "true" : "false", reading->observed_at, now,
                             parkd_sensor_outcome_to_string (reading->outcome) };

    return _parkd_pg_run_v (conn, SQL_INSERT_READING, params, NULL, error);
  }
}

typedef struct
{
  const char         *device_id;
  ParkdSensorReading *readings;
  guint               n_readings;
  guint               failed;
} ReadingsWrite;

static gboolean
apply_readings_tx (PgConn   *conn,
                   gpointer  data,
                   GError  **error)
{
  ReadingsWrite *w = data;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *device_operator = NULL, *device_lot_pk = NULL;
  const char *params[] = { w->device_id };
  const char *seen[] = { w->device_id, now };
  g_autoptr(PGresult) res = NULL;

  w->failed = G_MAXUINT;
  /* The key may have been revoked since the request was admitted: checked again here, where
   * no revocation can slip in before the commit. */
  res = _parkd_pg_query_v (conn, SQL_DEVICE_FOR_READINGS, params, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0 || !PQgetisnull (res, 0, 2))
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                           "This sensor's key was revoked");
      return FALSE;
    }
  device_operator = _parkd_pg_dup (res, 0, 0);
  device_lot_pk = _parkd_pg_dup (res, 0, 1);
  for (guint i = 0; i < w->n_readings; i++)
    if (!apply_reading_locked (conn, w->device_id, device_operator, device_lot_pk,
                               &w->readings[i], now, error))
      {
        w->failed = i;
        return FALSE;
      }
  return _parkd_pg_run_v (conn, SQL_DEVICE_SEEN, seen, NULL, error);
}

static gboolean
pg_apply_sensor_readings (ParkdStore          *store,
                          const char          *device_id,
                          ParkdSensorReading  *readings,
                          guint                n_readings,
                          guint               *failed,
                          GError             **error)
{
  ReadingsWrite w = { device_id, readings, n_readings, G_MAXUINT };
  gboolean ok = _parkd_pg_transact (pg (store), FALSE, apply_readings_tx, &w, error);

  *failed = w.failed;
  return ok;
}

void
_parkd_pg_sensors_vtable (ParkdStoreVTable *vtable)
{
  vtable->create_sensor = pg_create_sensor;
  vtable->list_sensors = pg_list_sensors;
  vtable->revoke_sensor = pg_revoke_sensor;
  vtable->get_sensor_by_key = pg_get_sensor_by_key;
  vtable->apply_sensor_readings = pg_apply_sensor_readings;
}
