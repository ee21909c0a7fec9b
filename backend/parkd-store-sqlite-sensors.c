/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store-sqlite-sensors.c: occupancy sensors in the embedded store (schema:
 * sql/004-live.sql).
 *
 * A device is known by the hash of its key, like a refresh token, and is made, revoked and
 * found by its key as a kiosk is (parkd-store-sqlite-devices.c). Its readings of a batch are
 * applied in one write transaction: each is recorded in sensor_events under the device's own
 * event id (a replay finds it there and changes nothing), and a reading that changes a spot
 * only updates parking_spots.state. The counts trigger of 004 then writes the lot's feed
 * message to the outbox in the same transaction, so nothing here knows about the live feed.
 */
#include "config.h"

#include "parkd-store-sqlite-private.h"

#include <string.h>

#define DEVICE_SELECT \
  "SELECT d.id, d.operator_id, l.id, d.name, d.created_at, d.last_seen_at, d.revoked_at " \
  "FROM sensor_devices d LEFT JOIN parking_lots l ON l.pk = d.lot_pk "

static const char SQL_DEVICE_BY_ID[] = DEVICE_SELECT "WHERE d.id = ?1";
static const char SQL_DEVICE_BY_KEY[] = DEVICE_SELECT "WHERE d.key_hash = ?1";
static const char SQL_DEVICES_PAGE[] =
  DEVICE_SELECT "WHERE (?1 IS NULL OR d.operator_id = ?1) "
  "ORDER BY d.created_at DESC, d.id LIMIT ?2 OFFSET ?3";
static const char SQL_DEVICES_COUNT[] =
  "SELECT count(*) FROM sensor_devices WHERE (?1 IS NULL OR operator_id = ?1)";
static const char SQL_INSERT_DEVICE[] =
  "INSERT INTO sensor_devices (id, operator_id, lot_pk, name, key_hash, created_at) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_DEVICE_OPERATOR[] =
  "SELECT operator_id, revoked_at FROM sensor_devices "
  " WHERE id = ?1 AND (?2 IS NULL OR operator_id = ?2)";
static const char SQL_REVOKE_DEVICE[] =
  "UPDATE sensor_devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL";

static const char SQL_DEVICE_FOR_READINGS[] =
  "SELECT operator_id, lot_pk, revoked_at FROM sensor_devices WHERE id = ?1";
static const char SQL_SPOT_FOR_READING[] =
  "SELECT s.pk, s.lot_pk, s.state, s.sensor_at, l.operator_id "
  "  FROM parking_spots s JOIN parking_lots l ON l.pk = s.lot_pk WHERE s.id = ?1";
/* When staff last saw a car arrive on the spot or leave it: a check-in or check-out. */
static const char SQL_STAFF_SAW_SPOT[] =
  "SELECT max(max(checked_in_at, coalesce(checked_out_at, checked_in_at))) "
  "  FROM parking_sessions WHERE spot_pk = ?1";
static const char SQL_READING_SEEN[] =
  "SELECT 1 FROM sensor_events WHERE device_id = ?1 AND event_id = ?2";
/* The rule of the booking code (SQL_SPOTS_NOW_RESERVED): a booking holds its spot from its
 * start to its end, a pending one only until its hold runs out. ?2 is now. */
static const char SQL_SPOT_HELD_NOW[] =
  "SELECT 1 FROM reservations WHERE spot_pk = ?1 AND status IN ('pending_payment', 'confirmed') "
  "   AND start_time <= ?2 AND end_time > ?2 "
  "   AND (status <> 'pending_payment' OR hold_until > ?2) LIMIT 1";
static const char SQL_SPOT_SET_STATE[] =
  "UPDATE parking_spots SET state = ?2, sensor_at = ?3, updated_at = ?4 WHERE pk = ?1";
static const char SQL_SPOT_SET_SENSOR_AT[] =
  "UPDATE parking_spots SET sensor_at = ?2 WHERE pk = ?1";
static const char SQL_INSERT_READING[] =
  "INSERT INTO sensor_events (device_id, event_id, spot_pk, occupied, observed_at, "
  "received_at, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_DEVICE_SEEN[] =
  "UPDATE sensor_devices SET last_seen_at = ?2 WHERE id = ?1";

static gpointer
device_row (sqlite3_stmt *stmt)
{
  ParkdSensorDevice *device = g_new0 (ParkdSensorDevice, 1);

  device->id = _parkd_sqlite_column_dup (stmt, 0);
  device->operator_id = _parkd_sqlite_column_dup (stmt, 1);
  device->lot_id = _parkd_sqlite_column_dup (stmt, 2);
  device->name = _parkd_sqlite_column_dup (stmt, 3);
  device->created_at = _parkd_sqlite_column_dup (stmt, 4);
  device->last_seen_at = _parkd_sqlite_column_dup (stmt, 5);
  device->revoked_at = _parkd_sqlite_column_dup (stmt, 6);
  return device;
}

static const ParkdSqliteDevices sensors = {
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

ParkdSensorDevice *
_parkd_sqlite_create_sensor (ParkdStore               *store,
                             const ParkdSensorDevice  *want,
                             GBytes                   *key_hash,
                             const ParkdAudit         *audit,
                             GError                  **error)
{
  return _parkd_sqlite_create_device ((ParkdStoreSqlite *) store, &sensors, want->operator_id,
                                      want->lot_id, want->name, key_hash, audit, error);
}

ParkdPage *
_parkd_sqlite_list_sensors (ParkdStore  *store,
                            const char  *operator_id,
                            guint        page,
                            guint        per_page,
                            GError     **error)
{
  return _parkd_sqlite_read_page ((ParkdStoreSqlite *) store, SQL_DEVICES_COUNT,
                                  SQL_DEVICES_PAGE, operator_id, NULL, page, per_page,
                                  device_row, (GDestroyNotify) parkd_sensor_device_free, error);
}

gboolean
_parkd_sqlite_revoke_sensor (ParkdStore        *store,
                             const char        *operator_id,
                             const char        *id,
                             const ParkdAudit  *audit,
                             GError           **error)
{
  return _parkd_sqlite_revoke_device ((ParkdStoreSqlite *) store, &sensors, operator_id, id,
                                      audit, error);
}

ParkdSensorDevice *
_parkd_sqlite_get_sensor_by_key (ParkdStore  *store,
                                 GBytes      *key_hash,
                                 GError     **error)
{
  return _parkd_sqlite_get_device_by_key ((ParkdStoreSqlite *) store, &sensors, key_hash, error);
}

/* One reading, inside the batch's transaction. FALSE with @error set when the batch must be
 * refused (NOT_FOUND: the spot is not the device's). */
static gboolean
apply_reading_locked (Conn                *conn,
                      const char          *device_id,
                      const char          *device_operator,
                      gint64               device_lot_pk,   /* -1: any lot */
                      ParkdSensorReading  *reading,
                      const char          *now,
                      GError             **error)
{
  g_autofree char *operator_id = NULL, *sensor_at = NULL, *staff_at = NULL;
  ParkdSpotState state = PARKD_SPOT_STATE_AVAILABLE, want;
  sqlite3_stmt *stmt;
  gint64 spot_pk = 0, lot_pk = 0;
  gboolean seen, held = FALSE;
  int rc;

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_SPOT_FOR_READING, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, reading->spot_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      spot_pk = sqlite3_column_int64 (stmt, 0);
      lot_pk = sqlite3_column_int64 (stmt, 1);
      parkd_spot_state_from_string ((const char *) sqlite3_column_text (stmt, 2), &state);
      sensor_at = _parkd_sqlite_column_dup (stmt, 3);
      operator_id = _parkd_sqlite_column_dup (stmt, 4);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _parkd_sqlite_set_error (error, conn->db, rc, "spot");
  /* Another operator's spot is answered exactly like one that does not exist. */
  if (rc == SQLITE_DONE || g_strcmp0 (operator_id, device_operator) != 0 ||
      (device_lot_pk != -1 && lot_pk != device_lot_pk))
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND,
                           "This sensor covers no spot with this id");
      return FALSE;
    }

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_READING_SEEN, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, reading->event_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _parkd_sqlite_set_error (error, conn->db, rc, "sensor event");
  seen = rc == SQLITE_ROW;
  if (seen)
    {
      reading->outcome = PARKD_SENSOR_DUPLICATE;
      return TRUE;
    }

  /* An attendant who checked a car in or out of the spot saw it then: a reading from
   * before is history too (a gateway's backlog must not free a spot a car just took). */
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_STAFF_SAW_SPOT, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, spot_pk);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    staff_at = _parkd_sqlite_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _parkd_sqlite_set_error (error, conn->db, rc, "stay");

  /* Readings arrive late and out of order (a gateway that was offline sends its backlog):
   * one observed no later than the reading that last set the spot, or than the staff's own
   * word on it, is history, not news. */
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
          stmt = _parkd_sqlite_conn_prepare (conn, SQL_SPOT_HELD_NOW, error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, spot_pk);
          sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
          rc = sqlite3_step (stmt);
          sqlite3_reset (stmt);
          if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return _parkd_sqlite_set_error (error, conn->db, rc, "reservation");
          held = rc == SQLITE_ROW;
        }
      /* A spot left free while its booking runs is still the driver's. */
      want = reading->occupied ? PARKD_SPOT_STATE_OCCUPIED
                               : held ? PARKD_SPOT_STATE_RESERVED : PARKD_SPOT_STATE_AVAILABLE;
      reading->outcome = want == state ? PARKD_SENSOR_UNCHANGED : PARKD_SENSOR_APPLIED;
    }

  if (reading->outcome == PARKD_SENSOR_APPLIED)
    {
      /* The counts trigger writes the lot's feed message for this change. */
      stmt = _parkd_sqlite_conn_prepare (conn, SQL_SPOT_SET_STATE, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, spot_pk);
      sqlite3_bind_text (stmt, 2, parkd_spot_state_to_string (want), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, reading->observed_at, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
      if (!_parkd_sqlite_run (conn, stmt, "spot", error))
        return FALSE;
    }
  else if (reading->outcome == PARKD_SENSOR_UNCHANGED)
    {
      /* Still the newest word on the spot: a late reading from before it is stale. */
      stmt = _parkd_sqlite_conn_prepare (conn, SQL_SPOT_SET_SENSOR_AT, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, spot_pk);
      sqlite3_bind_text (stmt, 2, reading->observed_at, -1, SQLITE_STATIC);
      if (!_parkd_sqlite_run (conn, stmt, "spot", error))
        return FALSE;
    }

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_INSERT_READING, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, reading->event_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, spot_pk);
  sqlite3_bind_int (stmt, 4, reading->occupied ? 1 : 0);
  sqlite3_bind_text (stmt, 5, reading->observed_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, parkd_sensor_outcome_to_string (reading->outcome), -1,
                     SQLITE_STATIC);
  return _parkd_sqlite_run (conn, stmt, "sensor event", error);
}

gboolean
_parkd_sqlite_apply_sensor_readings (ParkdStore          *store,
                                     const char          *device_id,
                                     ParkdSensorReading  *readings,
                                     guint                n_readings,
                                     guint               *failed,
                                     GError             **error)
{
  ParkdStoreSqlite *self = (ParkdStoreSqlite *) store;
  g_autofree char *now = parkd_now_rfc3339 ();
  g_autofree char *device_operator = NULL;
  gint64 device_lot_pk = -1;
  Conn *conn;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE, revoked = TRUE;
  int rc;

  *failed = G_MAXUINT;
  conn = _parkd_sqlite_write_begin (self, error);
  if (conn == NULL)
    return FALSE;

  /* The key may have been revoked since the request was admitted: checked again here, where
   * no revocation can slip in before the commit. */
  stmt = _parkd_sqlite_conn_prepare (conn, SQL_DEVICE_FOR_READINGS, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      device_operator = _parkd_sqlite_column_dup (stmt, 0);
      device_lot_pk = sqlite3_column_type (stmt, 1) != SQLITE_NULL
                      ? sqlite3_column_int64 (stmt, 1) : -1;
      revoked = sqlite3_column_type (stmt, 2) != SQLITE_NULL;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _parkd_sqlite_set_error (error, conn->db, rc, "sensor");
      goto out;
    }
  if (revoked)
    {
      g_set_error_literal (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE,
                           "This sensor's key was revoked");
      goto out;
    }

  for (guint i = 0; i < n_readings; i++)
    if (!apply_reading_locked (conn, device_id, device_operator, device_lot_pk, &readings[i],
                               now, error))
      {
        *failed = i;
        goto out;
      }

  stmt = _parkd_sqlite_conn_prepare (conn, SQL_DEVICE_SEEN, error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  ok = _parkd_sqlite_run (conn, stmt, "sensor", error);

out:
  return _parkd_sqlite_write_end (self, ok, error);
}
