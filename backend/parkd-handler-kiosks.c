/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-handler-kiosks.c: kiosks where a driver without an account books and pays (issue 7).
 *
 * Operators make a key for each kiosk under /api/v1/admin/kiosks, as they do for sensors
 * (parkd-handler-sensors.c; the steps both take are in parkd-device-keys.c): staff see their
 * own operator's kiosks, another operator's kiosk is answered 404, and the key is shown once
 * while parkd keeps only its hash. A kiosk stands at one of its operator's lots.
 *
 * The kiosk sends "Authorization: Kiosk KEY" when no driver is signed in at it. The routes
 * flagged PARKD_ROUTE_KIOSK then take it in place of a driver's token: a guest books at the
 * kiosk operator's lots (the plate is required), and the same kiosk may read, pay for and
 * cancel that booking for a short while (GUEST_RECENT_S), long enough for a driver standing
 * at it. Nobody else sees a guest's booking but the operator's staff.
 */
#include "config.h"

#include "parkd-device-keys.h"

#define MAX_KEY_LEN     256
#define KEY_PREFIX      "pkk_"
/* How long after it was made the kiosk may still read, pay or cancel a guest's booking. */
#define GUEST_RECENT_S  (60 * 60)

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

/* A kiosk as the admin API shows it; @key only in the answer that made it. */
static void
append_kiosk (GString          *out,
              const ParkdKiosk *kiosk,
              const char       *key)
{
  g_string_append_c (out, '{');
  parkd_json_append_member (out, "id");
  parkd_json_append_string (out, kiosk->id);
  parkd_json_append_member (out, "operator_id");
  parkd_json_append_string (out, kiosk->operator_id);
  parkd_json_append_member (out, "parking_lot_id");
  parkd_json_append_string (out, kiosk->lot_id);
  parkd_json_append_member (out, "lot_name");
  parkd_json_append_string (out, kiosk->lot_name);
  parkd_json_append_member (out, "name");
  parkd_json_append_string (out, kiosk->name);
  parkd_json_append_member (out, "created_at");
  parkd_json_append_string (out, kiosk->created_at);
  parkd_json_append_member (out, "revoked_at");
  append_nullable (out, kiosk->revoked_at);
  if (key != NULL)
    {
      parkd_json_append_member (out, "key");
      parkd_json_append_string (out, key);
    }
  g_string_append_c (out, '}');
}

static void
append_kiosk_item (GString       *out,
                   gconstpointer  item,
                   GDateTime     *now)
{
  append_kiosk (out, item, NULL);
}

static const ParkdDeviceKind kiosks = {
  .what = "kiosk",
  .revoke_action = "kiosk.revoke",
  .not_found = "There is no kiosk with this id",
  .list = parkd_store_list_kiosks,
  .revoke = parkd_store_revoke_kiosk,
  .append_item = append_kiosk_item,
};

/*
 * GET /api/v1/admin/kiosks?operator=&page=&per_page=
 *
 * 200: a page of kiosks, newest first, revoked ones included, never a key. Managers see
 * their own operator's; admins every operator's, or the one named (by slug). 400 for a bad
 * parameter, 404 for an operator that is unknown or another operator's.
 */
void
parkd_handle_admin_kiosks_list (ParkdRequest *r)
{
  parkd_device_keys_list (r, &kiosks);
}

/*
 * POST /api/v1/admin/kiosks {name, parking_lot_id, operator? (slug; admins, required)}
 *
 * 201: the kiosk and its key ("pkk_" and 43 base64url characters), shown this once. 400 for
 * a bad body, 404 (field operator or parking_lot_id) for an operator or lot that is unknown
 * or another operator's.
 */
void
parkd_handle_admin_kiosk_create (ParkdRequest *r)
{
  static const char * const allowed[] = { "operator", "name", "parking_lot_id", NULL };
  static const char * const read_only[] = {
    "operator_id", "id", "key", "created_at", "revoked_at", "lot_name", NULL
  };
  static const char * const read_only_staff[] = {
    "operator", "operator_id", "id", "key", "created_at", "revoked_at", "lot_name", NULL
  };
  g_autoptr(ParkdKiosk) created = NULL;
  g_autoptr(ParkdOperator) op = NULL;
  g_autoptr(GBytes) key_hash = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lot_id = NULL, *trimmed = NULL;
  const char *operator_in = NULL, *name = NULL, *lot_in = NULL;
  ParkdKiosk kiosk = { 0, };
  ParkdAudit audit;
  GString *out = NULL;
  char *key;

  if (!parkd_request_allow_params (r, NULL) ||
      !parkd_body_allow (r, allowed, is_admin (r) ? read_only : read_only_staff) ||
      !parkd_body_string (r, "operator", FALSE, 63, &operator_in, NULL) ||
      !parkd_body_string (r, "name", TRUE, 100, &name, NULL) ||
      !parkd_body_string (r, "parking_lot_id", TRUE, 64, &lot_in, NULL) ||
      !parkd_request_resolve_operator (r, operator_in, TRUE, FALSE, &op) ||
      !parkd_device_keys_read_name (r, name, &trimmed) ||
      !parkd_device_keys_read_lot_id (r, lot_in, &lot_id))
    return;

  key = parkd_device_key_new (KEY_PREFIX, &key_hash);
  kiosk.operator_id = op->id;
  kiosk.lot_id = lot_id;
  kiosk.name = trimmed;
  parkd_request_audit_init (r, &audit, "kiosk.create", "kiosk", NULL, op->id);
  /* The store checks the lot is the operator's where it writes the kiosk. */
  created = parkd_store_create_kiosk (r->store, &kiosk, key_hash, &audit, &error);
  if (created != NULL)
    {
      out = g_string_sized_new (512);
      append_kiosk (out, created, key);
    }
  parkd_device_keys_reply_created (r, out, key, error);
}

/*
 * DELETE /api/v1/admin/kiosks/{id}
 *
 * 204: the kiosk's key is refused from now on; it stays in the list with its revoked_at.
 * Revoking it again changes nothing. 400 for an id that is not a UUID, 404 for a kiosk that
 * is unknown or another operator's.
 */
void
parkd_handle_admin_kiosk_revoke (ParkdRequest *r)
{
  parkd_device_keys_revoke (r, &kiosks);
}

/* ---- A kiosk's requests -------------------------------------------------------------- */

static void
reply_bad_key (ParkdRequest *r)
{
  parkd_reply_add_header (r, "www-authenticate", "Kiosk realm=\"parkade\"");
  parkd_reply_problem (r, 401, "invalid-kiosk-key", NULL,
                       "This kiosk key is not known or was revoked");
}

gboolean
parkd_kiosk_admit (ParkdRequest *r,
                   const char   *key,
                   gsize         len)
{
  g_autoptr(ParkdKiosk) kiosk = NULL;
  g_autoptr(GBytes) hash = NULL;
  g_autoptr(GError) error = NULL;

  while (len > 0 && *key == ' ')
    {
      key++;
      len--;
    }
  while (len > 0 && key[len - 1] == ' ')
    len--;
  if (len == 0 || len > MAX_KEY_LEN)
    {
      reply_bad_key (r);
      return FALSE;
    }
  hash = parkd_device_key_hash (key, len);
  kiosk = parkd_store_get_kiosk_by_key (r->store, hash, &error);
  if (kiosk == NULL && !g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
    {
      parkd_reply_error (r, error);
      return FALSE;
    }
  if (kiosk == NULL || kiosk->revoked_at != NULL)
    {
      reply_bad_key (r);
      return FALSE;
    }
  g_strlcpy (r->kiosk_storage.id, kiosk->id, sizeof r->kiosk_storage.id);
  g_strlcpy (r->kiosk_storage.operator_id, kiosk->operator_id,
             sizeof r->kiosk_storage.operator_id);
  g_strlcpy (r->kiosk_storage.lot_id, kiosk->lot_id, sizeof r->kiosk_storage.lot_id);
  r->kiosk = &r->kiosk_storage;
  return TRUE;
}

gboolean
parkd_request_owns_reservation (ParkdRequest           *r,
                                const ParkdReservation *res)
{
  g_autoptr(GDateTime) created = NULL, now = NULL;

  if (r->principal != NULL)
    return res->user_id != NULL && g_str_equal (res->user_id, r->principal->user_id);
  if (r->kiosk == NULL || res->user_id != NULL || res->kiosk_id == NULL ||
      !g_str_equal (res->kiosk_id, r->kiosk->id))
    return FALSE;
  created = g_date_time_new_from_iso8601 (res->created_at, NULL);
  now = g_date_time_new_now_utc ();
  return created != NULL &&
         g_date_time_difference (now, created) < GUEST_RECENT_S * G_TIME_SPAN_SECOND;
}
