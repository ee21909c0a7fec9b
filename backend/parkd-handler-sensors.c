/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-handler-sensors.c: occupancy sensors in the ground (issue 5).
 *
 * Operators make a key for each device (or for the gateway that speaks for several) under
 * /api/v1/admin/sensors, with the tenant rule of parkd-handler-admin.c: staff see their own
 * operator's devices, and another operator's device is answered 404. The key is shown once;
 * parkd keeps only its hash, like a refresh token's. Kiosks' keys are made, listed and revoked
 * the same way: the steps both take are in parkd-device-keys.c.
 *
 * The devices send what they see to POST /api/v1/sensors/events with the key in X-Sensor-Key.
 * A batch is checked whole before anything is applied, and then applied whole in one write
 * transaction: a gateway that retries a batch after a lost answer gets "duplicate" for every
 * reading it already delivered, and never half a batch.
 */
#include "config.h"

#include "parkd-device-keys.h"

#include <string.h>

#define MAX_READINGS       500
#define MAX_EVENT_ID_CHARS 128
#define MAX_KEY_LEN        256
/* A sensor whose clock runs ahead would set the spot's sensor_at in the future and so make
 * every true reading until then stale: its readings are refused instead. */
#define MAX_AHEAD_S        (5 * 60)
#define KEY_PREFIX         "psk_"

static gboolean
is_admin (ParkdRequest *r)
{
  return r->principal->role == PARKD_ROLE_ADMIN;
}

static void
append_nullable (GString    *out,
                 const char *value)
{
  if (value != NULL)
    parkd_json_append_string (out, value);
  else
    g_string_append (out, "null");
}

/* A device as the admin API shows it; @key only in the answer that made it. */
static void
append_device (GString                 *out,
               const ParkdSensorDevice *device,
               const char              *key)
{
  g_string_append_c (out, '{');
  parkd_json_append_member (out, "id");
  parkd_json_append_string (out, device->id);
  parkd_json_append_member (out, "operator_id");
  parkd_json_append_string (out, device->operator_id);
  parkd_json_append_member (out, "parking_lot_id");
  append_nullable (out, device->lot_id);
  parkd_json_append_member (out, "name");
  parkd_json_append_string (out, device->name);
  parkd_json_append_member (out, "created_at");
  parkd_json_append_string (out, device->created_at);
  parkd_json_append_member (out, "last_seen_at");
  append_nullable (out, device->last_seen_at);
  parkd_json_append_member (out, "revoked_at");
  append_nullable (out, device->revoked_at);
  if (key != NULL)
    {
      parkd_json_append_member (out, "key");
      parkd_json_append_string (out, key);
    }
  g_string_append_c (out, '}');
}

static void
append_device_item (GString       *out,
                    gconstpointer  item,
                    GDateTime     *now)
{
  append_device (out, item, NULL);
}

static const ParkdDeviceKind sensors = {
  .what = "sensor",
  .revoke_action = "sensor.revoke",
  .not_found = "There is no sensor with this id",
  .list = parkd_store_list_sensors,
  .revoke = parkd_store_revoke_sensor,
  .append_item = append_device_item,
};

/*
 * GET /api/v1/admin/sensors?operator=&page=&per_page=
 *
 * 200: a page of devices, newest first, revoked ones included, never a key. Staff see their
 * own operator's; admins every operator's, or the one named (by slug). 400 for a bad
 * parameter, 404 for an operator that is unknown or another operator's.
 */
void
parkd_handle_admin_sensors_list (ParkdRequest *r)
{
  parkd_device_keys_list (r, &sensors);
}

/*
 * POST /api/v1/admin/sensors {name, parking_lot_id?, operator? (slug; admins, required)}
 *
 * 201: the device and its key ("psk_" and 43 base64url characters), shown this once. With
 * parking_lot_id the device may report only that lot's spots, else any of the operator's.
 * 400 for a bad body, 404 (field operator or parking_lot_id) for an operator or lot that
 * is unknown or another operator's.
 */
void
parkd_handle_admin_sensor_create (ParkdRequest *r)
{
  static const char * const allowed[] = { "operator", "name", "parking_lot_id", NULL };
  static const char * const read_only[] = {
    "operator_id", "id", "key", "created_at", "last_seen_at", "revoked_at", NULL
  };
  static const char * const read_only_staff[] = {
    "operator", "operator_id", "id", "key", "created_at", "last_seen_at", "revoked_at", NULL
  };
  g_autoptr(ParkdSensorDevice) created = NULL;
  g_autoptr(ParkdOperator) op = NULL;
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(GBytes) key_hash = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lot_id = NULL, *trimmed = NULL;
  const char *operator_in = NULL, *name = NULL, *lot_in = NULL;
  gboolean has_lot = FALSE;
  ParkdSensorDevice device = { 0, };
  ParkdAudit audit;
  GString *out = NULL;
  char *key;

  if (!parkd_request_allow_params (r, NULL) ||
      !parkd_body_allow (r, allowed, is_admin (r) ? read_only : read_only_staff) ||
      !parkd_body_string (r, "operator", FALSE, 63, &operator_in, NULL) ||
      !parkd_body_string (r, "name", TRUE, 100, &name, NULL) ||
      !parkd_body_string_or_null (r, "parking_lot_id", 64, &lot_in, &has_lot) ||
      !parkd_request_resolve_operator (r, operator_in, TRUE, FALSE, &op) ||
      !parkd_device_keys_read_name (r, name, &trimmed))
    return;
  if (lot_in != NULL)
    {
      if (!parkd_device_keys_read_lot_id (r, lot_in, &lot_id))
        return;
      lot = parkd_store_get_lot (r->store, lot_id, &error);
      if (lot == NULL && !g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        {
          parkd_reply_error (r, error);
          return;
        }
      if (lot == NULL || !g_str_equal (lot->operator_id, op->id))
        {
          parkd_reply_problem (r, 404, "not-found", "parking_lot_id",
                               "The operator has no lot with this id");
          return;
        }
      g_clear_error (&error);
    }

  key = parkd_device_key_new (KEY_PREFIX, &key_hash);
  device.operator_id = op->id;
  device.lot_id = lot_id;
  device.name = trimmed;
  parkd_request_audit_init (r, &audit, "sensor.create", "sensor", NULL, op->id);
  /* NOT_FOUND: the lot went away meanwhile. */
  created = parkd_store_create_sensor (r->store, &device, key_hash, &audit, &error);
  if (created != NULL)
    {
      out = g_string_sized_new (512);
      append_device (out, created, key);
    }
  parkd_device_keys_reply_created (r, out, key, error);
}

/*
 * DELETE /api/v1/admin/sensors/{id}
 *
 * 204: the device's key is refused from now on (a batch being applied as it is revoked is
 * applied whole or not at all). The device stays in the list with its revoked_at; revoking
 * it again changes nothing. 400 for an id that is not a UUID, 404 for a device that is
 * unknown or another operator's.
 */
void
parkd_handle_admin_sensor_revoke (ParkdRequest *r)
{
  parkd_device_keys_revoke (r, &sensors);
}

/* ---- Readings ------------------------------------------------------------------------ */

static void
reply_bad_key (ParkdRequest *r,
               const char   *code,
               const char   *detail)
{
  parkd_reply_add_header (r, "www-authenticate", "SensorKey realm=\"parkade\"");
  parkd_reply_problem (r, 401, code, NULL, "%s", detail);
}

/* The device of the request's X-Sensor-Key, or NULL with a 401 (or a 503) answered. */
static ParkdSensorDevice *
authenticate_device (ParkdRequest *r)
{
  ssize_t h = h2o_find_header_by_str (&r->req->headers, H2O_STRLIT ("x-sensor-key"), -1);
  g_autoptr(ParkdSensorDevice) device = NULL;
  g_autoptr(GBytes) hash = NULL;
  g_autoptr(GError) error = NULL;
  h2o_iovec_t v;

  if (h == -1)
    {
      reply_bad_key (r, "missing-sensor-key", "Send the sensor's key in the X-Sensor-Key header");
      return NULL;
    }
  v = r->req->headers.entries[h].value;
  if (v.len == 0 || v.len > MAX_KEY_LEN)
    {
      reply_bad_key (r, "invalid-sensor-key", "This sensor key is not known or was revoked");
      return NULL;
    }
  hash = parkd_device_key_hash (v.base, v.len);
  device = parkd_store_get_sensor_by_key (r->store, hash, &error);
  if (device == NULL && !g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
    {
      parkd_reply_error (r, error);
      return NULL;
    }
  if (device == NULL || device->revoked_at != NULL)
    {
      reply_bad_key (r, "invalid-sensor-key", "This sensor key is not known or was revoked");
      return NULL;
    }
  return g_steal_pointer (&device);
}

/* A 422 about one reading's member, or the reading itself when @member is NULL. */
static void G_GNUC_PRINTF (5, 6)
reply_invalid_reading (ParkdRequest *r,
                       const char   *code,
                       guint         index,
                       const char   *member,
                       const char   *format,
                       ...)
{
  g_autofree char *field = member != NULL ? g_strdup_printf ("events[%u].%s", index, member)
                                          : g_strdup_printf ("events[%u]", index);
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  parkd_reply_problem (r, 422, code, field, "%s", detail);
}

/* The string member @name of reading @index, or NULL with a 422 answered. */
static const char *
reading_string (ParkdRequest *r,
                JsonObject   *event,
                guint         index,
                const char   *name,
                guint         max_chars)
{
  JsonNode *node = json_object_get_member (event, name);
  const char *text;

  if (node == NULL)
    {
      reply_invalid_reading (r, "missing-field", index, name, "\"%s\" is required", name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      reply_invalid_reading (r, "invalid-field", index, name, "\"%s\" must be a string", name);
      return NULL;
    }
  text = json_node_get_string (node);
  if (*text == '\0' || g_utf8_strlen (text, -1) > (glong) max_chars)
    {
      reply_invalid_reading (r, "invalid-field", index, name,
                             "\"%s\" must be 1 to %u characters", name, max_chars);
      return NULL;
    }
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      {
        reply_invalid_reading (r, "invalid-field", index, name,
                               "\"%s\" must not contain control characters", name);
        return NULL;
      }
  return text;
}

/* Checks reading @index and fills @reading; the strings it makes go to @strings. FALSE with
 * a 422 answered when anything about it is wrong. */
static gboolean
read_reading (ParkdRequest       *r,
              JsonNode           *node,
              guint               index,
              GDateTime          *now,
              GPtrArray          *strings,
              ParkdSensorReading *reading)
{
  static const char * const members[] = {
    "event_id", "spot_id", "occupied", "observed_at", NULL
  };
  g_autoptr(GList) names = NULL;
  g_autoptr(GDateTime) observed = NULL;
  JsonObject *event;
  JsonNode *occupied;
  const char *event_id, *spot_id, *observed_in;
  char *text;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      reply_invalid_reading (r, "invalid-field", index, NULL, "Each event must be an object");
      return FALSE;
    }
  event = json_node_get_object (node);
  names = json_object_get_members (event);
  for (GList *l = names; l != NULL; l = l->next)
    if (!g_strv_contains (members, l->data))
      {
        reply_invalid_reading (r, "unknown-field", index, l->data, "Unknown field \"%s\"",
                               (const char *) l->data);
        return FALSE;
      }

  if ((event_id = reading_string (r, event, index, "event_id", MAX_EVENT_ID_CHARS)) == NULL ||
      (spot_id = reading_string (r, event, index, "spot_id", 36)) == NULL)
    return FALSE;
  if (!parkd_request_is_uuid (spot_id))
    {
      reply_invalid_reading (r, "invalid-field", index, "spot_id",
                             "\"spot_id\" must be a spot id (UUID)");
      return FALSE;
    }
  occupied = json_object_get_member (event, "occupied");
  if (occupied == NULL)
    {
      reply_invalid_reading (r, "missing-field", index, "occupied", "\"occupied\" is required");
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (occupied) || json_node_get_value_type (occupied) != G_TYPE_BOOLEAN)
    {
      reply_invalid_reading (r, "invalid-field", index, "occupied",
                             "\"occupied\" must be true or false");
      return FALSE;
    }
  if ((observed_in = reading_string (r, event, index, "observed_at", 40)) == NULL)
    return FALSE;
  observed = parkd_parse_time_utc (observed_in);
  if (observed == NULL || g_date_time_get_year (observed) < 2000)
    {
      reply_invalid_reading (r, "invalid-field", index, "observed_at",
                             "\"observed_at\" must be an RFC 3339 time with an offset, such as "
                             "2026-12-01T09:00:00.250+01:00");
      return FALSE;
    }
  if (g_date_time_difference (observed, now) > MAX_AHEAD_S * G_TIME_SPAN_SECOND)
    {
      reply_invalid_reading (r, "observed-in-future", index, "observed_at",
                             "\"observed_at\" is more than %d minutes ahead of the server's "
                             "clock; check the sensor's clock", MAX_AHEAD_S / 60);
      return FALSE;
    }

  reading->event_id = event_id;
  text = g_ascii_strdown (spot_id, -1);
  g_ptr_array_add (strings, text);
  reading->spot_id = text;
  reading->occupied = json_node_get_boolean (occupied);
  /* Fixed width down to the microsecond, so that readings compare as text in the store. */
  text = g_date_time_format (observed, "%Y-%m-%dT%H:%M:%S.%fZ");
  g_ptr_array_add (strings, text);
  reading->observed_at = text;
  return TRUE;
}

/*
 * POST /api/v1/sensors/events  (X-Sensor-Key: the device's key; no access token needed)
 *   {"events": [{"event_id", "spot_id", "occupied", "observed_at"}, ...]}   1 to 500 events
 *
 * 200: {"results": [{"event_id", "outcome"}, ...]} in the order sent; outcome is applied (the
 * spot changed), unchanged (it already was so, or is out of service), stale (observed no
 * later than the reading that set the spot) or duplicate (the device sent this event id
 * before; nothing is done). occupied:false leaves a spot reserved while a booking holds it.
 * 401 (missing-sensor-key, invalid-sensor-key) without a key the server knows and has not
 * revoked. 422 (missing-field, invalid-field, unknown-field, observed-in-future), with the
 * field such as "events[3].observed_at", and 404 (field events[i].spot_id) for a spot the
 * device does not cover: nothing of such a batch is applied.
 */
void
parkd_handle_sensor_events (ParkdRequest *r)
{
  g_autoptr(ParkdSensorDevice) device = NULL;
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GList) names = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree ParkdSensorReading *readings = NULL;
  JsonObject *body;
  JsonNode *events;
  JsonArray *array;
  guint n, failed = G_MAXUINT;
  GString *out;

  if ((device = authenticate_device (r)) == NULL || !parkd_request_allow_params (r, NULL))
    return;

  body = json_node_get_object (r->body);
  names = json_object_get_members (body);
  for (GList *l = names; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "events"))
      {
        parkd_reply_problem (r, 422, "unknown-field", l->data, "Unknown field \"%s\"",
                             (const char *) l->data);
        return;
      }
  events = json_object_get_member (body, "events");
  if (events == NULL)
    {
      parkd_reply_problem (r, 422, "missing-field", "events", "\"events\" is required");
      return;
    }
  array = JSON_NODE_HOLDS_ARRAY (events) ? json_node_get_array (events) : NULL;
  n = array != NULL ? json_array_get_length (array) : 0;
  if (array == NULL || n == 0 || n > MAX_READINGS)
    {
      parkd_reply_problem (r, 422, "invalid-field", "events",
                           "\"events\" must be a list of 1 to %d events", MAX_READINGS);
      return;
    }

  /* Every reading is checked before any is applied: a bad batch leaves no trace. */
  readings = g_new0 (ParkdSensorReading, n);
  for (guint i = 0; i < n; i++)
    if (!read_reading (r, json_array_get_element (array, i), i, now, strings, &readings[i]))
      return;

  if (!parkd_store_apply_sensor_readings (r->store, device->id, readings, n, &failed, &error))
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND) && failed < n)
        {
          g_autofree char *field = g_strdup_printf ("events[%u].spot_id", failed);

          parkd_reply_problem (r, 404, "not-found", field,
                               "Event \"%s\" names a spot this sensor does not cover; nothing "
                               "of the batch was applied", readings[failed].event_id);
        }
      else if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE))
        reply_bad_key (r, "invalid-sensor-key", "This sensor key is not known or was revoked");
      else
        parkd_reply_error (r, error);
      return;
    }

  out = g_string_sized_new (64 + n * (MAX_EVENT_ID_CHARS + 48));
  g_string_append (out, "{\"results\":[");
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      parkd_json_append_member (out, "event_id");
      parkd_json_append_string (out, readings[i].event_id);
      parkd_json_append_member (out, "outcome");
      parkd_json_append_string (out, parkd_sensor_outcome_to_string (readings[i].outcome));
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");
  parkd_reply_json (r, 200, out);
}
