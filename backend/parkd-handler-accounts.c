/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-handler-accounts.c: sign-in, tokens, the signed-in user and their vehicles.
 *
 * Register, login, refresh and logout run on the blocking pool (PARKD_ROUTE_BLOCKING): they
 * hash passwords or write. Nothing secret leaves this file except in the answer it is for:
 * passwords are neither logged nor stored, refresh tokens are stored as hashes, phone numbers
 * and plates are sealed before the store sees them.
 */
#include "config.h"

#include "parkd-handler-accounts.h"
#include "parkd-password.h"

#include <string.h>

#define MAX_VEHICLES 20

static const char * const read_only_user_fields[] = {
  "id", "role", "roles", "operator", "operator_id", "disabled", "created_at", "updated_at",
  "password_hash", NULL
};

/* Lower-cased and trimmed, or NULL (and a 400 answered) when not an address. */
char *
parkd_accounts_read_email (ParkdRequest *r,
                           const char   *field)
{
  const char *text = NULL;
  g_autofree char *email = NULL;

  if (!parkd_body_string (r, field, TRUE, 254, &text, NULL))
    return NULL;
  email = g_utf8_strdown (text, -1);
  g_strstrip (email);
  if (!g_regex_match_simple ("^[^@\\s\"<>(),;:]+@[^@\\s\"<>(),;:]+\\.[^@\\s\"<>(),;:.]+$",
                             email, 0, 0))
    {
      parkd_reply_problem (r, 400, "invalid-field", field, "\"%s\" is not an e-mail address",
                           field);
      return NULL;
    }
  return g_steal_pointer (&email);
}

/* "+49 351 1234-567" → "+493511234567"; NULL (and a 400) unless 7 to 15 digits remain. */
static char *
normalise_phone (ParkdRequest *r,
                 const char   *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint digits = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          g_string_append_c (out, *p);
          digits++;
        }
      else if (*p == '+' && out->len == 0)
        g_string_append_c (out, '+');
      else if (*p != ' ' && *p != '-' && *p != '(' && *p != ')' && *p != '.' && *p != '/')
        digits = 0, out->len = 0, text = NULL;
      if (text == NULL)
        break;
    }
  if (text == NULL || digits < 7 || digits > 15)
    {
      parkd_reply_problem (r, 400, "invalid-field", "phone",
                           "\"phone\" must be a phone number such as +49 351 1234567");
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
parkd_json_append_user (GString         *out,
                        ParkdKeys       *keys,
                        const ParkdUser *user)
{
  g_autofree char *phone = NULL;

  /* Without @keys (lists of colleagues) the phone number stays out. */
  if (user->phone_sealed != NULL && keys != NULL)
    {
      g_autoptr(GError) error = NULL;

      phone = parkd_keys_open (keys, user->phone_sealed, &error);
      if (phone == NULL)
        g_warning ("user %s: cannot open the sealed phone number: %s", user->id, error->message);
    }

  g_string_append_c (out, '{');
  parkd_json_append_member (out, "id");
  parkd_json_append_string (out, user->id);
  parkd_json_append_member (out, "email");
  parkd_json_append_string (out, user->email);
  parkd_json_append_member (out, "first_name");
  parkd_json_append_string (out, user->first_name);
  parkd_json_append_member (out, "last_name");
  parkd_json_append_string (out, user->last_name);
  parkd_json_append_member (out, "phone");
  if (phone != NULL)
    parkd_json_append_string (out, phone);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "role");
  parkd_json_append_string (out, parkd_role_to_string (user->role));
  parkd_json_append_member (out, "operator");
  if (user->operator_id != NULL)
    {
      g_string_append_c (out, '{');
      parkd_json_append_member (out, "id");
      parkd_json_append_string (out, user->operator_id);
      parkd_json_append_member (out, "slug");
      parkd_json_append_string (out, user->operator_slug != NULL ? user->operator_slug : "");
      parkd_json_append_member (out, "name");
      parkd_json_append_string (out, user->operator_name != NULL ? user->operator_name : "");
      g_string_append_c (out, '}');
    }
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "disabled");
  g_string_append (out, user->disabled ? "true" : "false");
  parkd_json_append_member (out, "created_at");
  parkd_json_append_string (out, user->created_at);
  parkd_json_append_member (out, "updated_at");
  parkd_json_append_string (out, user->updated_at);
  g_string_append_c (out, '}');
}

char *
parkd_accounts_hash_new_password (ParkdRequest *r,
                                  const char   *password,
                                  const char   *email)
{
  g_autofree char *policy = parkd_password_check_policy (password, email);
  g_autoptr(GError) error = NULL;
  char *hash;

  if (policy != NULL)
    {
      parkd_reply_problem (r, 400, "weak-password", "password", "%s", policy);
      return NULL;
    }
  hash = parkd_password_hash (password, &error);
  if (hash == NULL)
    parkd_reply_error (r, error);
  return hash;
}

static char *
expiry_from_now (gint64 seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, (double) seconds);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

static void
reply_tokens (ParkdRequest    *r,
              int              status,
              const ParkdUser *user,
              const char      *sid,
              const char      *refresh_token)
{
  g_autofree char *access = parkd_auth_issue_access (r->auth, user, sid);
  GString *out = g_string_sized_new (1024);

  g_string_append_c (out, '{');
  parkd_json_append_member (out, "access_token");
  parkd_json_append_string (out, access);
  parkd_json_append_member (out, "refresh_token");
  parkd_json_append_string (out, refresh_token);
  parkd_json_append_member (out, "token_type");
  parkd_json_append_string (out, "Bearer");
  parkd_json_append_member (out, "expires_in");
  parkd_json_append_int (out, PARKD_ACCESS_TOKEN_SECONDS);
  g_string_append_c (out, '}');
  parkd_reply_add_header (r, "pragma", "no-cache");
  parkd_reply_json (r, status, out);
}

/* A new token family for @user, answered with its first token pair. */
static void
start_session (ParkdRequest    *r,
               int              status,
               const ParkdUser *user,
               const ParkdAudit *audit)
{
  g_autofree char *refresh = parkd_random_token (32);
  g_autoptr(GBytes) hash = parkd_token_hash (refresh);
  g_autofree char *expires = expiry_from_now (PARKD_REFRESH_TOKEN_SECONDS);
  g_autoptr(ParkdSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = parkd_store_start_session (r->store, user->id, hash, expires,
                                       parkd_request_get_client (r), audit,
                                       &error);
  if (session == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  reply_tokens (r, status, user, session->family_id, refresh);
}

void
parkd_handle_jwks (ParkdRequest *r)
{
  if (!parkd_request_allow_params (r, NULL))
    return;
  parkd_reply_json (r, 200, parkd_keys_jwks (parkd_auth_get_keys (r->auth)));
}

void
parkd_handle_register (ParkdRequest *r)
{
  static const char * const allowed[] = {
    "email", "password", "first_name", "last_name", "phone", NULL
  };
  g_autofree char *email = NULL, *hash = NULL, *phone = NULL;
  g_autoptr(ParkdUser) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) phone_sealed = NULL;
  const char *password = NULL, *first = "", *last = "", *phone_text = NULL;
  gboolean has_phone = FALSE;
  ParkdUser user = { 0, };
  ParkdAudit audit;

  if (!parkd_request_allow_params (r, NULL) ||
      !parkd_body_allow (r, allowed, read_only_user_fields))
    return;
  email = parkd_accounts_read_email (r, "email");
  if (email == NULL ||
      !parkd_body_string (r, "password", TRUE, 1024, &password, NULL) ||
      !parkd_body_string (r, "first_name", FALSE, 100, &first, NULL) ||
      !parkd_body_string (r, "last_name", FALSE, 100, &last, NULL) ||
      !parkd_body_string_or_null (r, "phone", 40, &phone_text, &has_phone))
    return;
  if (phone_text != NULL)
    {
      phone = normalise_phone (r, phone_text);
      if (phone == NULL)
        return;
      phone_sealed = parkd_keys_seal (parkd_auth_get_keys (r->auth), phone);
    }
  hash = parkd_accounts_hash_new_password (r, password, email);
  if (hash == NULL)
    return;

  user.email = email;
  user.password_hash = hash;
  user.first_name = (char *) first;
  user.last_name = (char *) last;
  user.phone_sealed = phone_sealed;
  user.role = PARKD_ROLE_DRIVER;
  parkd_request_audit_init (r, &audit, "auth.register", "user", NULL, NULL);
  created = parkd_store_create_user (r->store, &user, &audit, &error);
  if (created == NULL)
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT))
        parkd_reply_problem (r, 409, "email-taken", "email",
                             "An account with this e-mail address exists; sign in instead");
      else
        parkd_reply_error (r, error);
      return;
    }
  start_session (r, 201, created, NULL);
}

static void
audit_failed_login (ParkdRequest *r,
                    const char   *user_id,
                    const char   *reason)
{
  g_autofree char *detail = g_strdup_printf ("{\"reason\":\"%s\"}", reason);
  g_autoptr(GError) error = NULL;
  ParkdAudit audit;

  parkd_request_audit_init (r, &audit, "auth.login-failed", "user", user_id, NULL);
  audit.detail = detail;
  if (!parkd_store_audit (r->store, &audit, &error))
    g_warning ("cannot write the audit log: %s", error->message);
}

void
parkd_handle_login (ParkdRequest *r)
{
  static const char * const allowed[] = { "email", "password", NULL };
  g_autofree char *email = NULL;
  g_autoptr(ParkdUser) user = NULL;
  g_autoptr(GError) error = NULL;
  const char *password = NULL;
  ParkdAudit audit;
  int wait;

  if (!parkd_request_allow_params (r, NULL) || !parkd_body_allow (r, allowed, NULL))
    return;
  email = parkd_accounts_read_email (r, "email");
  if (email == NULL || !parkd_body_string (r, "password", TRUE, 1024, &password, NULL))
    return;

  wait = parkd_auth_login_wait (r->auth, email);
  if (wait > 0)
    {
      char value[16];

      g_snprintf (value, sizeof value, "%d", wait);
      parkd_reply_add_header (r, "retry-after", value);
      parkd_reply_problem (r, 429, "login-throttled", NULL,
                           "Too many failed sign-ins to this account; try again in %d s", wait);
      return;
    }

  user = parkd_store_get_user_by_email (r->store, email, &error);
  if (user == NULL && !g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
    {
      parkd_reply_error (r, error);
      return;
    }
  /* An unknown address costs the same time as a wrong password and gets the same answer. */
  if (user == NULL)
    parkd_password_verify_dummy (password);
  if (user == NULL || !parkd_password_verify (user->password_hash, password) || user->disabled)
    {
      parkd_auth_login_failed (r->auth, email);
      audit_failed_login (r, user != NULL ? user->id : NULL,
                          user == NULL ? "unknown-account"
                                       : user->disabled ? "disabled" : "wrong-password");
      parkd_reply_problem (r, 401, "invalid-credentials", NULL,
                           "The e-mail address or the password is wrong");
      return;
    }
  parkd_auth_login_succeeded (r->auth, email);

  /* Hashes made with weaker settings are upgraded while the password is at hand. */
  if (parkd_password_needs_rehash (user->password_hash))
    {
      g_autofree char *hash = parkd_password_hash (password, NULL);
      g_autoptr(ParkdUser) updated = NULL;

      if (hash != NULL)
        {
          g_free (user->password_hash);
          user->password_hash = g_steal_pointer (&hash);
          updated = parkd_store_update_user (r->store, user, NULL, NULL);
        }
    }

  parkd_request_audit_init (r, &audit, "auth.login", "user", user->id, user->operator_id);
  audit.actor_id = user->id;
  start_session (r, 200, user, &audit);
}

void
parkd_handle_refresh (ParkdRequest *r)
{
  static const char * const allowed[] = { "refresh_token", NULL };
  g_autofree char *next = parkd_random_token (32);
  g_autofree char *expires = expiry_from_now (PARKD_REFRESH_TOKEN_SECONDS);
  g_autoptr(GBytes) old_hash = NULL, new_hash = NULL;
  g_autoptr(ParkdSession) session = NULL;
  g_autoptr(ParkdUser) user = NULL;
  g_autoptr(GError) error = NULL;
  const char *token = NULL;
  ParkdRefreshResult result;

  if (!parkd_request_allow_params (r, NULL) || !parkd_body_allow (r, allowed, NULL) ||
      !parkd_body_string (r, "refresh_token", TRUE, 128, &token, NULL))
    return;

  old_hash = parkd_token_hash (token);
  new_hash = parkd_token_hash (next);
  result = parkd_store_rotate_refresh (r->store, old_hash, new_hash, expires, &session, &error);
  if (error != NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  switch (result)
    {
    case PARKD_REFRESH_OK:
      break;
    case PARKD_REFRESH_REUSED:
      /* Someone holds a copy of a token that was already exchanged: a stolen token, or a
       * thief who was quicker. Either way the whole sign-in is over, for both of them. */
      parkd_auth_revoke_family (r->auth, session->family_id);
      g_warning ("security: refresh token reused from %s; revoked token family %s of user %s",
                 parkd_request_get_client (r), session->family_id, session->user_id);
      parkd_reply_problem (r, 401, "invalid-token", "refresh_token",
                           "This sign-in was ended; sign in again");
      return;
    case PARKD_REFRESH_REVOKED:
    case PARKD_REFRESH_UNKNOWN:
    default:
      parkd_reply_problem (r, 401, "invalid-token", "refresh_token",
                           "The refresh token is not valid; sign in again");
      return;
    }

  user = parkd_store_get_user (r->store, session->user_id, &error);
  if (user == NULL || user->disabled)
    {
      parkd_reply_problem (r, 401, "invalid-token", "refresh_token",
                           "The refresh token is not valid; sign in again");
      return;
    }
  reply_tokens (r, 200, user, session->family_id, next);
}

void
parkd_handle_logout (ParkdRequest *r)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *expires = NULL;
  g_autoptr(GDateTime) exp = g_date_time_new_from_unix_utc (r->principal->exp);
  ParkdAudit audit;

  if (!parkd_request_allow_params (r, NULL))
    return;

  expires = g_date_time_format (exp, "%Y-%m-%dT%H:%M:%SZ");
  parkd_request_audit_init (r, &audit, "auth.logout", "token_family", r->principal->sid,
                            *r->principal->operator_id != '\0' ? r->principal->operator_id
                                                               : NULL);
  if ((!parkd_store_revoke_family (r->store, r->principal->sid, "logout", &audit, &error) &&
       !g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND)) ||
      !parkd_store_revoke_access_token (r->store, r->principal->jti, expires,
                                        error != NULL ? NULL : &error))
    {
      if (error != NULL && !g_error_matches (error, PARKD_STORE_ERROR,
                                             PARKD_STORE_ERROR_NOT_FOUND))
        {
          parkd_reply_error (r, error);
          return;
        }
    }
  parkd_auth_revoke_family (r->auth, r->principal->sid);
  parkd_auth_revoke_access (r->auth, r->principal->jti, r->principal->exp);
  parkd_reply_json (r, 204, g_string_new (NULL));
}

static ParkdUser *
get_me (ParkdRequest *r)
{
  g_autoptr(GError) error = NULL;
  ParkdUser *user = parkd_store_get_user (r->store, r->principal->user_id, &error);

  if (user == NULL)
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        {
          parkd_reply_add_header (r, "www-authenticate",
                                  "Bearer realm=\"parkade\", error=\"invalid_token\"");
          parkd_reply_problem (r, 401, "invalid-token", NULL, "This account no longer exists");
        }
      else
        parkd_reply_error (r, error);
    }
  return user;
}

void
parkd_handle_me_get (ParkdRequest *r)
{
  g_autoptr(ParkdUser) user = NULL;
  GString *out;

  if (!parkd_request_allow_params (r, NULL) || (user = get_me (r)) == NULL)
    return;
  out = g_string_sized_new (512);
  parkd_json_append_user (out, parkd_auth_get_keys (r->auth), user);
  parkd_reply_json (r, 200, out);
}

void
parkd_handle_me_patch (ParkdRequest *r)
{
  static const char * const allowed[] = {
    "first_name", "last_name", "phone", "password", "current_password", NULL
  };
  static const char * const read_only[] = {
    "id", "email", "role", "roles", "operator", "operator_id", "disabled", "created_at",
    "updated_at", "password_hash", NULL
  };
  g_autoptr(ParkdUser) user = NULL, updated = NULL;
  g_autoptr(GError) error = NULL;
  const char *first = NULL, *last = NULL, *phone_text = NULL, *password = NULL;
  const char *current = NULL;
  gboolean has_phone = FALSE, has_password = FALSE;
  GString *out;
  ParkdAudit audit;

  if (!parkd_request_allow_params (r, NULL) || !parkd_body_allow (r, allowed, read_only) ||
      !parkd_body_string (r, "first_name", FALSE, 100, &first, NULL) ||
      !parkd_body_string (r, "last_name", FALSE, 100, &last, NULL) ||
      !parkd_body_string_or_null (r, "phone", 40, &phone_text, &has_phone) ||
      !parkd_body_string (r, "password", FALSE, 1024, &password, &has_password) ||
      !parkd_body_string (r, "current_password", has_password, 1024, &current, NULL))
    return;
  if ((user = get_me (r)) == NULL)
    return;

  if (first != NULL)
    {
      g_free (user->first_name);
      user->first_name = g_strdup (first);
    }
  if (last != NULL)
    {
      g_free (user->last_name);
      user->last_name = g_strdup (last);
    }
  if (has_phone)
    {
      g_clear_pointer (&user->phone_sealed, g_bytes_unref);
      if (phone_text != NULL)
        {
          g_autofree char *phone = normalise_phone (r, phone_text);

          if (phone == NULL)
            return;
          user->phone_sealed = parkd_keys_seal (parkd_auth_get_keys (r->auth), phone);
        }
    }
  if (has_password)
    {
      g_autofree char *hash = NULL;

      if (!parkd_password_verify (user->password_hash, current))
        {
          parkd_reply_problem (r, 400, "wrong-password", "current_password",
                               "The current password is wrong");
          return;
        }
      hash = parkd_accounts_hash_new_password (r, password, user->email);
      if (hash == NULL)
        return;
      g_free (user->password_hash);
      user->password_hash = g_steal_pointer (&hash);
    }

  parkd_request_audit_init (r, &audit, has_password ? "user.password-change" : "user.update",
                            "user", user->id, user->operator_id);
  updated = parkd_store_update_user (r->store, user, &audit, &error);
  if (updated == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  /* A new password ends every sign-in made with the old one, this one included. */
  if (has_password)
    {
      parkd_auth_end_sessions (r->auth, r->store, user->id, "password-changed");
    }
  out = g_string_sized_new (512);
  parkd_json_append_user (out, parkd_auth_get_keys (r->auth), updated);
  parkd_reply_json (r, 200, out);
}

/* The plate as shown ("B-MW 1234": upper case, single spaces) and as compared ("BMW1234":
 * letters and digits only). FALSE (and a 400) when it cannot be a plate. */
gboolean
parkd_accounts_normalise_plate (ParkdRequest *r,
                                const char   *text,
                                char        **display,
                                char        **normalised)
{
  g_autofree char *upper = g_utf8_strup (text, -1);
  g_autoptr(GString) shown = g_string_new (NULL);
  g_autoptr(GString) bare = g_string_new (NULL);
  guint n_bare = 0;

  for (const char *p = upper; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          if (shown->len > 0 && shown->str[shown->len - 1] != ' ')
            g_string_append_c (shown, ' ');
          continue;
        }
      if (c == '-' || c == '.' || c == 0x00B7 /* · */ || c == 0x2010 || c == 0x2013)
        {
          g_string_append_unichar (shown, c);
          continue;
        }
      if (!g_unichar_isalnum (c))
        {
          parkd_reply_problem (r, 400, "invalid-field", "plate",
                               "\"plate\" may hold only letters, digits, spaces and dashes");
          return FALSE;
        }
      g_string_append_unichar (shown, c);
      g_string_append_unichar (bare, c);
      n_bare++;
    }
  while (shown->len > 0 && shown->str[shown->len - 1] == ' ')
    g_string_truncate (shown, shown->len - 1);
  if (n_bare < 1 || n_bare > 12)
    {
      parkd_reply_problem (r, 400, "invalid-field", "plate",
                           "\"plate\" must have 1 to 12 letters and digits");
      return FALSE;
    }
  *display = g_string_free (g_steal_pointer (&shown), FALSE);
  *normalised = g_string_free (g_steal_pointer (&bare), FALSE);
  return TRUE;
}

static void
append_vehicle (GString            *out,
                ParkdKeys          *keys,
                const ParkdVehicle *v)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plate = parkd_keys_open (keys, v->plate_sealed, &error);
  g_autofree char *display = NULL, *bare = NULL;

  if (plate == NULL)
    g_warning ("vehicle %s: cannot open the sealed plate: %s", v->id, error->message);

  g_string_append_c (out, '{');
  parkd_json_append_member (out, "id");
  parkd_json_append_string (out, v->id);
  parkd_json_append_member (out, "plate");
  parkd_json_append_string (out, plate != NULL ? plate : "");
  parkd_json_append_member (out, "plate_normalized");
  if (plate != NULL)
    {
      /* Stored plates were validated on the way in, so this cannot fail. */
      GString *norm = g_string_new (NULL);

      for (const char *p = plate; *p != '\0'; p = g_utf8_next_char (p))
        if (g_unichar_isalnum (g_utf8_get_char (p)))
          g_string_append_unichar (norm, g_utf8_get_char (p));
      bare = g_string_free (norm, FALSE);
    }
  parkd_json_append_string (out, bare != NULL ? bare : "");
  parkd_json_append_member (out, "country");
  if (v->country != NULL)
    parkd_json_append_string (out, v->country);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "nickname");
  parkd_json_append_string (out, v->nickname != NULL ? v->nickname : "");
  parkd_json_append_member (out, "created_at");
  parkd_json_append_string (out, v->created_at);
  g_string_append_c (out, '}');
}

void
parkd_handle_vehicles_list (ParkdRequest *r)
{
  g_autoptr(GPtrArray) vehicles = NULL;
  g_autoptr(GError) error = NULL;
  GString *out;

  if (!parkd_request_allow_params (r, NULL))
    return;
  vehicles = parkd_store_list_vehicles (r->store, r->principal->user_id, &error);
  if (vehicles == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  out = g_string_sized_new (256 + 256 * vehicles->len);
  g_string_append (out, "{\"items\":[");
  for (guint i = 0; i < vehicles->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_vehicle (out, parkd_auth_get_keys (r->auth), g_ptr_array_index (vehicles, i));
    }
  g_string_append_printf (out, "],\"total\":%u,\"page\":1,\"per_page\":%d,"
                          "\"has_next\":false,\"has_prev\":false}", vehicles->len, MAX_VEHICLES);
  parkd_reply_json (r, 200, out);
}

void
parkd_handle_vehicle_add (ParkdRequest *r)
{
  static const char * const allowed[] = { "plate", "country", "nickname", NULL };
  static const char * const read_only[] = {
    "id", "user_id", "plate_normalized", "created_at", NULL
  };
  g_autofree char *display = NULL, *bare = NULL, *country = NULL;
  g_autoptr(ParkdVehicle) added = NULL;
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(GError) error = NULL;
  const char *plate = NULL, *country_text = NULL, *nickname = "";
  ParkdKeys *keys = parkd_auth_get_keys (r->auth);
  ParkdVehicle v = { 0, };
  GString *out;

  if (!parkd_request_allow_params (r, NULL) || !parkd_body_allow (r, allowed, read_only) ||
      !parkd_body_string (r, "plate", TRUE, 20, &plate, NULL) ||
      !parkd_body_string (r, "country", FALSE, 2, &country_text, NULL) ||
      !parkd_body_string (r, "nickname", FALSE, 40, &nickname, NULL))
    return;
  if (!parkd_accounts_normalise_plate (r, plate, &display, &bare))
    return;
  if (country_text != NULL)
    {
      country = g_ascii_strup (country_text, -1);
      if (strlen (country) != 2 || !g_ascii_isalpha (country[0]) || !g_ascii_isalpha (country[1]))
        {
          parkd_reply_problem (r, 400, "invalid-field", "country",
                               "\"country\" must be an ISO 3166 code such as DE");
          return;
        }
    }

  existing = parkd_store_list_vehicles (r->store, r->principal->user_id, &error);
  if (existing == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  if (existing->len >= MAX_VEHICLES)
    {
      parkd_reply_problem (r, 409, "too-many-vehicles", NULL,
                           "An account may have at most %d vehicles", MAX_VEHICLES);
      return;
    }

  v.user_id = r->principal->user_id;
  v.plate_sealed = parkd_keys_seal (keys, display);
  v.plate_hash = parkd_keys_lookup_hash (keys, bare);
  v.country = country;
  v.nickname = (char *) nickname;
  added = parkd_store_add_vehicle (r->store, &v, &error);
  g_bytes_unref (v.plate_sealed);
  g_bytes_unref (v.plate_hash);
  if (added == NULL)
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT))
        parkd_reply_problem (r, 409, "duplicate-plate", "plate",
                             "This vehicle is already registered to your account");
      else
        parkd_reply_error (r, error);
      return;
    }
  out = g_string_sized_new (256);
  append_vehicle (out, keys, added);
  parkd_reply_json (r, 201, out);
}

void
parkd_handle_vehicle_delete (ParkdRequest *r)
{
  g_autoptr(GError) error = NULL;

  if (!parkd_request_allow_params (r, NULL) || !parkd_request_read_id (r, "vehicle"))
    return;
  if (!parkd_store_delete_vehicle (r->store, r->principal->user_id, r->params[0], &error))
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        parkd_reply_problem (r, 404, "not-found", NULL, "You have no vehicle with this id");
      else
        parkd_reply_error (r, error);
      return;
    }
  parkd_reply_json (r, 204, g_string_new (NULL));
}
