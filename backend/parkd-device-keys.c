/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-device-keys.c: the admin routes' steps that sensors and kiosks share (see
 * parkd-device-keys.h). What each kind's device is and says stays in its own handler file.
 */
#include "config.h"

#include "parkd-device-keys.h"
#include "parkd-keys.h"

#include <sodium.h>
#include <string.h>

static const char *
staff_operator (ParkdRequest *r)
{
  return *r->principal->operator_id != '\0' ? r->principal->operator_id : NULL;
}

static gboolean
is_admin (ParkdRequest *r)
{
  return r->principal->role == PARKD_ROLE_ADMIN;
}

/* The routes' answers are in the comments of each kind's handlers. */
void
parkd_device_keys_list (ParkdRequest          *r,
                        const ParkdDeviceKind *kind)
{
  static const char * const params[] = { "operator", "page", "per_page", NULL };
  g_autoptr(ParkdPage) page = NULL;
  g_autoptr(ParkdOperator) op = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 1, per_page = 50;

  if (!parkd_request_allow_params (r, params) ||
      !parkd_request_uint (r, "page", 1, 100000, &n) ||
      !parkd_request_uint (r, "per_page", 1, 200, &per_page) ||
      !parkd_request_resolve_operator (r, parkd_request_param (r, "operator"), FALSE, TRUE, &op))
    return;
  page = kind->list (r->store, op != NULL ? op->id : NULL, n, per_page, &error);
  if (page == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  parkd_reply_json (r, 200, parkd_page_to_json (page, kind->append_item));
}

void
parkd_device_keys_revoke (ParkdRequest          *r,
                          const ParkdDeviceKind *kind)
{
  g_autoptr(GError) error = NULL;
  ParkdAudit audit;

  if (!parkd_request_allow_params (r, NULL) || !parkd_request_read_id (r, kind->what))
    return;
  parkd_request_audit_init (r, &audit, kind->revoke_action, kind->what, r->params[0],
                            staff_operator (r));
  if (!kind->revoke (r->store, is_admin (r) ? NULL : staff_operator (r), r->params[0], &audit,
                     &error))
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        parkd_reply_problem (r, 404, "not-found", NULL, "%s", kind->not_found);
      else
        parkd_reply_error (r, error);
      return;
    }
  parkd_reply_json (r, 204, g_string_new (NULL));
}

gboolean
parkd_device_keys_read_name (ParkdRequest  *r,
                             const char    *name,
                             char         **trimmed)
{
  *trimmed = g_strstrip (g_strdup (name));
  if (**trimmed == '\0')
    {
      parkd_reply_problem (r, 400, "invalid-field", "name", "\"name\" must not be empty");
      return FALSE;
    }
  return TRUE;
}

gboolean
parkd_device_keys_read_lot_id (ParkdRequest  *r,
                               const char    *lot_in,
                               char         **lot_id)
{
  if (!parkd_request_is_uuid (lot_in))
    {
      parkd_reply_problem (r, 400, "invalid-field", "parking_lot_id",
                           "\"parking_lot_id\" must be a lot id (UUID)");
      return FALSE;
    }
  *lot_id = g_ascii_strdown (lot_in, -1);
  return TRUE;
}

char *
parkd_device_key_new (const char  *prefix,
                      GBytes     **hash)
{
  /* 256 random bits, as refresh tokens: a plain hash finds it, no slow hash is needed. The
   * prefix lets secret scanners and people tell it from other tokens. */
  g_autofree char *token = parkd_random_token (32);
  char *key = g_strconcat (prefix, token, NULL);

  sodium_memzero (token, strlen (token));
  *hash = parkd_token_hash (key);
  return key;
}

void
parkd_device_key_free (char *key)
{
  if (key == NULL)
    return;
  sodium_memzero (key, strlen (key));
  g_free (key);
}

GBytes *
parkd_device_key_hash (const char *key,
                       gsize       len)
{
  g_autofree char *text = g_strndup (key, len);
  GBytes *hash = parkd_token_hash (text);

  sodium_memzero (text, len);
  return hash;
}

void
parkd_device_keys_reply_created (ParkdRequest *r,
                                 GString      *json,
                                 char         *key,
                                 const GError *error)
{
  parkd_device_key_free (key);
  if (json != NULL)
    parkd_reply_json (r, 201, json);
  else if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
    parkd_reply_problem (r, 404, "not-found", "parking_lot_id",
                         "The operator has no lot with this id");
  else
    parkd_reply_error (r, error);
}
