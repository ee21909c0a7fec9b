/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Accounts and sign-in as a client and a security reviewer see them, against the real parkd:
 * registration and the profile, the access token (decoded and its signature checked here with
 * libsodium against the published JWKS), tokens forged every way attackers try, refresh-token
 * rotation with reuse detection, logout, key rotation, vehicles, what ends up on disk and in
 * the log, the rate limits, "parkd user add" and the key file's permissions.
 */
#include "park-test-backend.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>

#define PASSWORD      "Correct-Horse-Parkade-7"
#define NEW_PASSWORD  "Battery-Staple-Elbe-42"
#define ME            "api/v1/users/me"
#define VEHICLES      "api/v1/users/me/vehicles"
#define JWKS          ".well-known/jwks.json"
#define PUBLIC_SEARCH "api/v1/parking-lots?lat=51.05&lng=13.74"
#define TOKEN_SECONDS 900
#define EXIT_TIMEOUT_S 20

/* Most tests sign in more often than the default 10 per minute allow. */
static const char * const no_auth_limit[] = { "--auth-rate-limit", "0", NULL };

typedef struct
{
  char *access;
  char *refresh;
} Tokens;

static void
tokens_free (Tokens *tokens)
{
  if (tokens == NULL)
    return;
  g_free (tokens->access);
  g_free (tokens->refresh);
  g_free (tokens);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Tokens, tokens_free)

/* ---- requests ----------------------------------------------------------------------------- */

static ParkTestBackend *
start_backend (const char * const *args)
{
  ParkTestBackend *backend = park_test_backend_new ();

  park_test_backend_start (backend, args);
  return backend;
}

static const char *
header (ParkTestResponse *response,
        const char       *name)
{
  return soup_message_headers_get_one (response->headers, name);
}

static const char *
member_string (ParkTestResponse *response,
               const char       *name)
{
  return json_object_get_string_member_with_default (park_test_response_object (response),
                                                     name, NULL);
}

/* A token answer as OAuth 2.0 (RFC 6749 §5.1) has it: both tokens, "Bearer", the lifetime,
 * and no cache may keep it. */
static Tokens *
tokens_from (ParkTestResponse *response,
             guint             status)
{
  JsonObject *o;
  Tokens *tokens;
  const char *cache;

  g_assert_cmpuint (response->status, ==, status);
  g_assert_cmpstr (response->content_type, ==, "application/json");
  o = park_test_response_object (response);
  g_assert_cmpstr (json_object_get_string_member_with_default (o, "token_type", NULL), ==,
                   "Bearer");
  g_assert_cmpint (json_object_get_int_member_with_default (o, "expires_in", -1), ==,
                   TOKEN_SECONDS);
  cache = header (response, "Cache-Control");
  g_assert_nonnull (cache);
  g_assert_nonnull (strstr (cache, "no-store"));

  tokens = g_new0 (Tokens, 1);
  tokens->access = g_strdup (json_object_get_string_member_with_default (o, "access_token",
                                                                         NULL));
  tokens->refresh = g_strdup (json_object_get_string_member_with_default (o, "refresh_token",
                                                                          NULL));
  g_assert_nonnull (tokens->access);
  g_assert_nonnull (tokens->refresh);
  g_assert_cmpuint (strlen (tokens->access), >, 20);
  g_assert_cmpuint (strlen (tokens->refresh), >=, 32);
  g_assert_cmpstr (tokens->access, !=, tokens->refresh);
  return tokens;
}

static ParkTestResponse *
register_with (ParkTestBackend *backend,
               const char      *email,
               const char      *password,
               const char      *more)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"%s%s}", email,
                                           password, more != NULL ? "," : "",
                                           more != NULL ? more : "");

  return park_test_call (backend, NULL, "POST", "api/v1/auth/register", body);
}

static Tokens *
register_user (ParkTestBackend *backend,
               const char      *email,
               const char      *password)
{
  g_autoptr(ParkTestResponse) response = register_with (backend, email, password, NULL);

  return tokens_from (response, 201);
}

static ParkTestResponse *
login (ParkTestBackend *backend,
       const char      *email,
       const char      *password)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}", email,
                                           password);

  return park_test_call (backend, NULL, "POST", "api/v1/auth/login", body);
}

static Tokens *
login_user (ParkTestBackend *backend,
            const char      *email,
            const char      *password)
{
  g_autoptr(ParkTestResponse) response = login (backend, email, password);

  return tokens_from (response, 200);
}

static ParkTestResponse *
refresh (ParkTestBackend *backend,
         const char      *refresh_token)
{
  g_autofree char *body = g_strdup_printf ("{\"refresh_token\":\"%s\"}", refresh_token);

  return park_test_call (backend, NULL, "POST", "api/v1/auth/refresh", body);
}

static void
assert_refresh_refused (ParkTestBackend *backend,
                        const char      *refresh_token)
{
  g_autoptr(ParkTestResponse) response = refresh (backend, refresh_token);

  park_test_assert_problem (response, 401, "invalid-token", "refresh_token");
}

static ParkTestResponse *
get_me (ParkTestBackend *backend,
        const char      *access)
{
  return park_test_call (backend, access, "GET", ME, NULL);
}

static void
assert_token_works (ParkTestBackend *backend,
                    const char      *access)
{
  g_autoptr(ParkTestResponse) me = get_me (backend, access);

  g_assert_cmpuint (me->status, ==, 200);
}

/* Refused the way RFC 6750 §3 has it: 401 with a Bearer challenge. */
static void
assert_refused_on (ParkTestBackend *backend,
                   const char      *access,
                   const char      *path)
{
  g_autoptr(ParkTestResponse) response = park_test_call (backend, access, "GET", path, NULL);
  const char *challenge;

  park_test_assert_problem (response, 401, "invalid-token", NULL);
  challenge = header (response, "WWW-Authenticate");
  g_assert_nonnull (challenge);
  g_assert_true (g_str_has_prefix (challenge, "Bearer"));
  g_assert_nonnull (strstr (challenge, "error=\"invalid_token\""));
}

static void
assert_token_refused (ParkTestBackend *backend,
                      const char      *access)
{
  assert_refused_on (backend, access, ME);
}

static void
on_request_queued (SoupSession *session,
                   SoupMessage *msg,
                   gpointer     data)
{
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", data);
}

/* A request with an Authorization header exactly as given. */
static ParkTestResponse *
call_with_authorization (ParkTestBackend *backend,
                         const char      *authorization,
                         const char      *path)
{
  gulong id = g_signal_connect (backend->session, "request-queued",
                                G_CALLBACK (on_request_queued), (gpointer) authorization);
  ParkTestResponse *response = park_test_call (backend, NULL, "GET", path, NULL);

  g_signal_handler_disconnect (backend->session, id);
  return response;
}

static char *
vehicle_add (ParkTestBackend *backend,
             const char      *access,
             const char      *plate)
{
  g_autofree char *body = g_strdup_printf ("{\"plate\":\"%s\",\"country\":\"de\"}", plate);
  g_autoptr(ParkTestResponse) response = park_test_call (backend, access, "POST", VEHICLES,
                                                         body);

  g_assert_cmpuint (response->status, ==, 201);
  return g_strdup (member_string (response, "id"));
}

static JsonArray *
vehicle_list (ParkTestBackend *backend,
              const char      *access)
{
  g_autoptr(ParkTestResponse) response = park_test_call (backend, access, "GET", VEHICLES,
                                                         NULL);

  g_assert_cmpuint (response->status, ==, 200);
  return json_array_ref (json_object_get_array_member (park_test_response_object (response),
                                                       "items"));
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* ---- JWTs, done here independently of parkd ---------------------------------------------- */

static GBytes *
b64url_decode (const char *text,
               gsize       len)
{
  guint8 *buf = g_malloc (len + 1);
  size_t out_len = 0;
  const char *end = NULL;

  if (sodium_base642bin (buf, len + 1, text, len, NULL, &out_len, &end,
                         sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text + len)
    {
      g_free (buf);
      return NULL;
    }
  return g_bytes_new_take (buf, out_len);
}

static char *
b64url_encode (const void *data,
               gsize       len)
{
  gsize size = sodium_base64_ENCODED_LEN (len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *out = g_malloc (size);

  sodium_bin2base64 (out, size, data, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

static char *
b64url_encode_string (const char *text)
{
  return b64url_encode (text, strlen (text));
}

static JsonObject *
parse_object (const char *text,
              gssize      len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, len, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

static JsonObject *
object_copy (JsonObject *object)
{
  g_autofree char *text = object_to_string (object);

  return parse_object (text, -1);
}

typedef struct
{
  GStrv       parts;      /* header, payload, signature: base64url */
  JsonObject *header;
  JsonObject *claims;
} Jwt;

static void
jwt_free (Jwt *jwt)
{
  g_strfreev (jwt->parts);
  g_clear_pointer (&jwt->header, json_object_unref);
  g_clear_pointer (&jwt->claims, json_object_unref);
  g_free (jwt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Jwt, jwt_free)

static Jwt *
jwt_parse (const char *token)
{
  Jwt *jwt = g_new0 (Jwt, 1);
  g_autoptr(GBytes) header = NULL;
  g_autoptr(GBytes) payload = NULL;

  jwt->parts = g_strsplit (token, ".", -1);
  g_assert_cmpuint (g_strv_length (jwt->parts), ==, 3);
  header = b64url_decode (jwt->parts[0], strlen (jwt->parts[0]));
  payload = b64url_decode (jwt->parts[1], strlen (jwt->parts[1]));
  g_assert_nonnull (header);
  g_assert_nonnull (payload);
  jwt->header = parse_object (g_bytes_get_data (header, NULL), g_bytes_get_size (header));
  jwt->claims = parse_object (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
  return jwt;
}

static char *
jwt_kid (const char *token)
{
  g_autoptr(Jwt) jwt = jwt_parse (token);

  return g_strdup (json_object_get_string_member_with_default (jwt->header, "kid", NULL));
}

/* "HEADER.PAYLOAD." with the signature of @sk (Ed25519) appended. */
static char *
sign_ed25519 (const char   *header_json,
              const char   *payload_json,
              const guint8 *sk)
{
  g_autofree char *h64 = b64url_encode_string (header_json);
  g_autofree char *p64 = b64url_encode_string (payload_json);
  g_autofree char *input = g_strconcat (h64, ".", p64, NULL);
  g_autofree char *s64 = NULL;
  guint8 sig[crypto_sign_BYTES];

  crypto_sign_detached (sig, NULL, (const guint8 *) input, strlen (input), sk);
  s64 = b64url_encode (sig, sizeof sig);
  return g_strconcat (input, ".", s64, NULL);
}

static char *
sign_hs256 (const char   *header_json,
            const char   *payload_json,
            const guint8 *secret,
            gsize         secret_len)
{
  g_autofree char *h64 = b64url_encode_string (header_json);
  g_autofree char *p64 = b64url_encode_string (payload_json);
  g_autofree char *input = g_strconcat (h64, ".", p64, NULL);
  g_autofree char *s64 = NULL;
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, secret, secret_len);
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_hmac_update (hmac, (const guchar *) input, strlen (input));
  g_hmac_get_digest (hmac, digest, &digest_len);
  g_assert_cmpuint (digest_len, ==, 32);
  s64 = b64url_encode (digest, digest_len);
  return g_strconcat (input, ".", s64, NULL);
}

/* The server's keys as published: each one checked for the shape RFC 8037 gives it. */
static JsonArray *
fetch_jwks (ParkTestBackend *backend)
{
  g_autoptr(ParkTestResponse) response = park_test_call (backend, NULL, "GET", JWKS, NULL);
  JsonArray *keys;

  g_assert_cmpuint (response->status, ==, 200);
  keys = json_object_get_array_member (park_test_response_object (response), "keys");
  g_assert_nonnull (keys);
  g_assert_cmpuint (json_array_get_length (keys), >=, 1);
  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      JsonObject *key = json_array_get_object_element (keys, i);
      const char *x = json_object_get_string_member_with_default (key, "x", NULL);
      g_autoptr(GBytes) raw = NULL;

      g_assert_cmpstr (json_object_get_string_member_with_default (key, "kty", NULL), ==, "OKP");
      g_assert_cmpstr (json_object_get_string_member_with_default (key, "crv", NULL), ==,
                       "Ed25519");
      g_assert_nonnull (json_object_get_string_member_with_default (key, "kid", NULL));
      g_assert_nonnull (x);
      raw = b64url_decode (x, strlen (x));
      g_assert_nonnull (raw);
      g_assert_cmpuint (g_bytes_get_size (raw), ==, crypto_sign_PUBLICKEYBYTES);
      /* Public keys only: no private part ("d") is ever published. */
      g_assert_false (json_object_has_member (key, "d"));
    }
  return json_array_ref (keys);
}

static gboolean
jwks_find (JsonArray  *keys,
           const char *kid,
           guint8      pk[crypto_sign_PUBLICKEYBYTES])
{
  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      JsonObject *key = json_array_get_object_element (keys, i);
      const char *x = json_object_get_string_member (key, "x");
      g_autoptr(GBytes) raw = NULL;

      if (g_strcmp0 (json_object_get_string_member (key, "kid"), kid) != 0)
        continue;
      raw = b64url_decode (x, strlen (x));
      if (pk != NULL)
        memcpy (pk, g_bytes_get_data (raw, NULL), crypto_sign_PUBLICKEYBYTES);
      return TRUE;
    }
  return FALSE;
}

static gboolean
signature_verifies (const char   *token,
                    const guint8 *pk)
{
  g_autoptr(Jwt) jwt = jwt_parse (token);
  g_autofree char *input = g_strconcat (jwt->parts[0], ".", jwt->parts[1], NULL);
  g_autoptr(GBytes) sig = b64url_decode (jwt->parts[2], strlen (jwt->parts[2]));

  return sig != NULL && g_bytes_get_size (sig) == crypto_sign_BYTES &&
         crypto_sign_verify_detached (g_bytes_get_data (sig, NULL), (const guint8 *) input,
                                      strlen (input), pk) == 0;
}

typedef struct
{
  char   *kid;
  guint8  pk[crypto_sign_PUBLICKEYBYTES];
  guint8  sk[crypto_sign_SECRETKEYBYTES];
} ServerKey;

static char *
keys_path (ParkTestBackend *backend)
{
  return park_test_backend_keys_path (backend);
}

/* The current signing key, straight from the key file: what an attacker who stole it would
 * have, used here to sign tokens that are wrong in one way only. */
static void
read_server_key (ParkTestBackend *backend,
                 ServerKey       *key)
{
  g_autofree char *path = keys_path (backend);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *group = NULL, *seed_text = NULL;
  g_autofree guchar *seed = NULL;
  gsize seed_len = 0;

  g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  key->kid = g_key_file_get_string (kf, "keys", "current", &error);
  g_assert_no_error (error);
  group = g_strconcat ("signing ", key->kid, NULL);
  seed_text = g_key_file_get_string (kf, group, "seed", &error);
  g_assert_no_error (error);
  seed = g_base64_decode (seed_text, &seed_len);
  g_assert_cmpuint (seed_len, ==, crypto_sign_SEEDBYTES);
  crypto_sign_seed_keypair (key->pk, key->sk, seed);
  sodium_memzero (seed, seed_len);
}

/* ---- 1. registration, sign-in and the profile -------------------------------------------- */

static void
test_register_and_profile (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(ParkTestResponse) created = NULL;
  g_autoptr(ParkTestResponse) me = NULL;
  g_autoptr(Tokens) tokens = NULL;
  g_autoptr(Tokens) again = NULL;
  JsonObject *user;

  created = register_with (backend, "  Jane.Doe@Example.ORG ", PASSWORD,
                           "\"first_name\":\"Jane\",\"last_name\":\"Doe\","
                           "\"phone\":\"+49 (351) 123-4567\"");
  tokens = tokens_from (created, 201);

  me = get_me (backend, tokens->access);
  g_assert_cmpuint (me->status, ==, 200);
  user = park_test_response_object (me);
  g_assert_cmpstr (json_object_get_string_member_with_default (user, "email", NULL), ==,
                   "jane.doe@example.org");
  g_assert_cmpstr (json_object_get_string_member_with_default (user, "role", NULL), ==,
                   "driver");
  g_assert_true (json_object_has_member (user, "operator"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (user, "operator")));
  g_assert_cmpstr (json_object_get_string_member_with_default (user, "phone", NULL), ==,
                   "+493511234567");
  g_assert_cmpstr (json_object_get_string_member_with_default (user, "first_name", NULL), ==,
                   "Jane");
  g_assert_cmpstr (json_object_get_string_member_with_default (user, "last_name", NULL), ==,
                   "Doe");
  g_assert_nonnull (json_object_get_string_member_with_default (user, "id", NULL));
  /* Nothing about the password comes back. */
  g_assert_false (json_object_has_member (user, "password"));
  g_assert_false (json_object_has_member (user, "password_hash"));

  /* The address signs in however it is written. */
  again = login_user (backend, " JANE.DOE@example.org", PASSWORD);
  assert_token_works (backend, again->access);
}

static void
test_login (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(Tokens) registered = register_user (backend, "login@example.org", PASSWORD);
  g_autoptr(Tokens) signed_in = login_user (backend, "login@example.org", PASSWORD);
  g_autoptr(ParkTestResponse) wrong = login (backend, "login@example.org", "Not-The-Password-1");
  g_autoptr(ParkTestResponse) unknown = login (backend, "nobody@example.org", PASSWORD);

  assert_token_works (backend, signed_in->access);
  g_assert_cmpstr (signed_in->access, !=, registered->access);
  g_assert_cmpstr (signed_in->refresh, !=, registered->refresh);

  park_test_assert_problem (wrong, 401, "invalid-credentials", NULL);
  park_test_assert_problem (unknown, 401, "invalid-credentials", NULL);
  /* No account enumeration: an unknown address reads exactly like a wrong password. */
  g_assert_cmpstr (member_string (wrong, "detail"), ==, member_string (unknown, "detail"));
  g_assert_cmpstr (member_string (wrong, "title"), ==, member_string (unknown, "title"));
}

static void
test_register_duplicate (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(Tokens) first = register_user (backend, "twice@example.org", PASSWORD);
  g_autoptr(ParkTestResponse) same = register_with (backend, "twice@example.org",
                                                    NEW_PASSWORD, NULL);
  g_autoptr(ParkTestResponse) other_case = register_with (backend, "Twice@EXAMPLE.org",
                                                          NEW_PASSWORD, NULL);
  g_autoptr(ParkTestResponse) old = NULL;

  park_test_assert_problem (same, 409, "email-taken", "email");
  park_test_assert_problem (other_case, 409, "email-taken", "email");
  /* The first account keeps its password. */
  old = login (backend, "twice@example.org", PASSWORD);
  g_assert_cmpuint (old->status, ==, 200);
}

static void
test_register_weak_passwords (void)
{
  static const char * const weak[] = {
    "Sh0rt!pw",                  /* under 10 characters */
    "password123",               /* among the most common */
    "PASSWORD123",               /* the same, shouted */
    "aaaaaaaaaaaaaa",            /* one character */
    "1234567890",                /* a run */
    "Jane.Doe.Parking",          /* the e-mail's local part */
  };
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(Tokens) tokens = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (weak); i++)
    {
      g_autoptr(ParkTestResponse) response = register_with (backend, "jane.doe@example.org",
                                                            weak[i], NULL);

      g_test_message ("weak password \"%s\": %u", weak[i], response->status);
      park_test_assert_problem (response, 400, "weak-password", "password");
    }
  /* None of them created the account. */
  tokens = register_user (backend, "jane.doe@example.org", PASSWORD);
}

static void
test_register_bad_email (void)
{
  static const char * const bad[] = {
    "not-an-email", "jane@", "@example.org", "jane@example", "jane doe@example.org",
    "jane@@example.org", "",
  };
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(ParkTestResponse) response = register_with (backend, bad[i], PASSWORD, NULL);

      g_test_message ("e-mail \"%s\": %u", bad[i], response->status);
      park_test_assert_problem (response, 400, "invalid-field", "email");
    }
}

/* Mass assignment: a client cannot make itself an admin, an operator's staff or pick its id. */
static void
test_register_read_only_fields (void)
{
  static const struct
  {
    const char *more;
    const char *field;
  } cases[] = {
    { "\"role\":\"admin\"",                                  "role" },
    { "\"role\":\"operator\"",                               "role" },
    { "\"operator\":\"00000000-0000-4000-8000-000000000000\"", "operator" },
    { "\"id\":\"00000000-0000-4000-8000-000000000001\"",       "id" },
  };
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(Tokens) tokens = NULL;
  g_autoptr(ParkTestResponse) me = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ParkTestResponse) response = register_with (backend, "mallory@example.org",
                                                            PASSWORD, cases[i].more);

      g_test_message ("register with %s: %u", cases[i].more, response->status);
      park_test_assert_problem (response, 400, "read-only-field", cases[i].field);
    }

  /* Nothing was created on the way: the address is still free, and a driver's. */
  tokens = register_user (backend, "mallory@example.org", PASSWORD);
  me = get_me (backend, tokens->access);
  g_assert_cmpstr (member_string (me, "role"), ==, "driver");
  g_assert_cmpstr (member_string (me, "id"), !=, "00000000-0000-4000-8000-000000000001");
}

static void
test_me_patch_read_only (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(Tokens) tokens = register_user (backend, "patch@example.org", PASSWORD);
  g_autoptr(ParkTestResponse) role = park_test_call (backend, tokens->access, "PATCH", ME,
                                                     "{\"role\":\"admin\"}");
  g_autoptr(ParkTestResponse) email = park_test_call (backend, tokens->access, "PATCH", ME,
                                                      "{\"email\":\"boss@example.org\"}");
  g_autoptr(ParkTestResponse) mixed = park_test_call (backend, tokens->access, "PATCH", ME,
                                                      "{\"first_name\":\"P\",\"role\":\"admin\"}");
  g_autoptr(ParkTestResponse) me = NULL;

  park_test_assert_problem (role, 400, "read-only-field", "role");
  park_test_assert_problem (email, 400, "read-only-field", "email");
  park_test_assert_problem (mixed, 400, "read-only-field", "role");

  me = get_me (backend, tokens->access);
  g_assert_cmpstr (member_string (me, "role"), ==, "driver");
  g_assert_cmpstr (member_string (me, "email"), ==, "patch@example.org");
  /* A refused request changes nothing, not even its allowed part. */
  g_assert_cmpstr (member_string (me, "first_name"), !=, "P");
}

static void
test_me_patch_profile (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(Tokens) tokens = register_user (backend, "profile@example.org", PASSWORD);
  g_autoptr(ParkTestResponse) patched = NULL;
  g_autoptr(ParkTestResponse) cleared = NULL;
  g_autoptr(ParkTestResponse) me = NULL;
  g_autoptr(ParkTestResponse) bad_phone = NULL;

  patched = park_test_call (backend, tokens->access, "PATCH", ME,
                            "{\"first_name\":\"Janet\",\"last_name\":\"Smith\","
                            "\"phone\":\"0351 987-6543\"}");
  g_assert_cmpuint (patched->status, ==, 200);
  g_assert_cmpstr (member_string (patched, "first_name"), ==, "Janet");
  g_assert_cmpstr (member_string (patched, "last_name"), ==, "Smith");
  g_assert_cmpstr (member_string (patched, "phone"), ==, "03519876543");

  bad_phone = park_test_call (backend, tokens->access, "PATCH", ME, "{\"phone\":\"call me\"}");
  park_test_assert_problem (bad_phone, 400, "invalid-field", "phone");

  cleared = park_test_call (backend, tokens->access, "PATCH", ME, "{\"phone\":null}");
  g_assert_cmpuint (cleared->status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (park_test_response_object (cleared),
                                                               "phone")));

  me = get_me (backend, tokens->access);
  g_assert_cmpstr (member_string (me, "first_name"), ==, "Janet");
  g_assert_cmpstr (member_string (me, "last_name"), ==, "Smith");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (park_test_response_object (me),
                                                               "phone")));
}

static void
test_me_password_change (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(Tokens) tokens = register_user (backend, "change@example.org", PASSWORD);
  g_autoptr(Tokens) fresh = NULL;
  g_autoptr(ParkTestResponse) missing = NULL, wrong = NULL, weak = NULL, changed = NULL;
  g_autoptr(ParkTestResponse) old_login = NULL;

  missing = park_test_call (backend, tokens->access, "PATCH", ME,
                            "{\"password\":\"" NEW_PASSWORD "\"}");
  park_test_assert_problem (missing, 400, "missing-field", "current_password");
  wrong = park_test_call (backend, tokens->access, "PATCH", ME,
                          "{\"password\":\"" NEW_PASSWORD "\","
                          "\"current_password\":\"Not-The-Password-1\"}");
  park_test_assert_problem (wrong, 400, "wrong-password", "current_password");
  weak = park_test_call (backend, tokens->access, "PATCH", ME,
                         "{\"password\":\"password123\",\"current_password\":\"" PASSWORD "\"}");
  park_test_assert_problem (weak, 400, "weak-password", "password");

  /* None of those changed anything. */
  assert_token_works (backend, tokens->access);
  tokens_free (login_user (backend, "change@example.org", PASSWORD));

  changed = park_test_call (backend, tokens->access, "PATCH", ME,
                            "{\"password\":\"" NEW_PASSWORD "\","
                            "\"current_password\":\"" PASSWORD "\"}");
  g_assert_cmpuint (changed->status, ==, 200);

  old_login = login (backend, "change@example.org", PASSWORD);
  park_test_assert_problem (old_login, 401, "invalid-credentials", NULL);
  fresh = login_user (backend, "change@example.org", NEW_PASSWORD);
  assert_token_works (backend, fresh->access);

  /* The sign-in made with the old password is over, its access token included. */
  assert_refresh_refused (backend, tokens->refresh);
  assert_token_refused (backend, tokens->access);
}

/* Changing the password because someone else knows it must end that someone's sign-in too,
 * not only its refresh token. */
static void
test_me_password_change_ends_other_sign_ins (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(Tokens) mine = register_user (backend, "victim@example.org", PASSWORD);
  g_autoptr(Tokens) thief = login_user (backend, "victim@example.org", PASSWORD);
  g_autoptr(ParkTestResponse) changed = NULL;

  assert_token_works (backend, thief->access);
  changed = park_test_call (backend, mine->access, "PATCH", ME,
                            "{\"password\":\"" NEW_PASSWORD "\","
                            "\"current_password\":\"" PASSWORD "\"}");
  g_assert_cmpuint (changed->status, ==, 200);

  assert_refresh_refused (backend, thief->refresh);
  assert_token_refused (backend, thief->access);
}

/* ---- 2. the access token ----------------------------------------------------------------- */

static void
test_token_claims (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(Tokens) tokens = register_user (backend, "claims@example.org", PASSWORD);
  g_autoptr(Tokens) second = login_user (backend, "claims@example.org", PASSWORD);
  g_autoptr(ParkTestResponse) me = get_me (backend, tokens->access);
  g_autoptr(JsonArray) keys = fetch_jwks (backend);
  g_autoptr(Jwt) jwt = jwt_parse (tokens->access);
  g_autoptr(Jwt) jwt2 = jwt_parse (second->access);
  JsonArray *roles;
  const char *kid;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC, iat, exp;
  guint8 pk[crypto_sign_PUBLICKEYBYTES];

  g_assert_cmpstr (json_object_get_string_member_with_default (jwt->header, "alg", NULL), ==,
                   "EdDSA");
  g_assert_cmpstr (json_object_get_string_member_with_default (jwt->header, "typ", NULL), ==,
                   "JWT");
  kid = json_object_get_string_member_with_default (jwt->header, "kid", NULL);
  g_assert_nonnull (kid);
  g_assert_true (jwks_find (keys, kid, pk));

  g_assert_cmpstr (json_object_get_string_member_with_default (jwt->claims, "sub", NULL), ==,
                   member_string (me, "id"));
  g_assert_cmpstr (json_object_get_string_member_with_default (jwt->claims, "email", NULL), ==,
                   "claims@example.org");
  roles = json_object_get_array_member (jwt->claims, "roles");
  g_assert_nonnull (roles);
  g_assert_cmpuint (json_array_get_length (roles), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (roles, 0), ==, "driver");
  g_assert_cmpstr (json_object_get_string_member_with_default (jwt->claims, "iss", NULL), ==,
                   "parkd");
  g_assert_cmpstr (json_object_get_string_member_with_default (jwt->claims, "aud", NULL), ==,
                   "parkade");
  iat = json_object_get_int_member_with_default (jwt->claims, "iat", 0);
  exp = json_object_get_int_member_with_default (jwt->claims, "exp", 0);
  g_assert_cmpint (iat, >=, now - 60);
  g_assert_cmpint (iat, <=, now + 60);
  g_assert_cmpint (exp - iat, ==, TOKEN_SECONDS);
  g_assert_nonnull (json_object_get_string_member_with_default (jwt->claims, "jti", NULL));
  g_assert_cmpstr (json_object_get_string_member (jwt->claims, "jti"), !=,
                   json_object_get_string_member_with_default (jwt2->claims, "jti", NULL));
  /* The token carries nothing secret. */
  g_assert_false (json_object_has_member (jwt->claims, "password"));
  g_assert_false (json_object_has_member (jwt->claims, "phone"));

  /* Signed by the key the server publishes, as anyone can check. */
  g_assert_true (signature_verifies (tokens->access, pk));
  g_assert_true (signature_verifies (second->access, pk));
}

/* ---- 3. forged tokens -------------------------------------------------------------------- */

typedef struct
{
  ParkTestBackend *backend;
  Tokens          *tokens;
  ServerKey        key;
  Jwt             *jwt;          /* the real access token, decoded */
} Forge;

typedef GPtrArray *(*ForgeFunc) (Forge *f);

typedef struct
{
  const char *name;
  ForgeFunc   forge;        /* tokens to send as "Bearer TOKEN" */
  ForgeFunc   forge_header; /* whole Authorization header values */
} ForgeCase;

static char *
header_json (const char *alg,
             const char *kid)
{
  if (kid == NULL)
    return g_strdup_printf ("{\"alg\":\"%s\",\"typ\":\"JWT\"}", alg);
  return g_strdup_printf ("{\"alg\":\"%s\",\"typ\":\"JWT\",\"kid\":\"%s\"}", alg, kid);
}

/* The real claims, re-signed with the server's own key under its own kid. */
static char *
forge_sign_claims (Forge      *f,
                   JsonObject *claims)
{
  g_autofree char *h = header_json ("EdDSA", f->key.kid);
  g_autofree char *p = object_to_string (claims);

  return sign_ed25519 (h, p, f->key.sk);
}

static void
forge_setup (Forge         *f,
             gconstpointer  data)
{
  g_autoptr(JsonArray) keys = NULL;
  g_autofree char *resigned = NULL;
  guint8 pk[crypto_sign_PUBLICKEYBYTES];

  f->backend = start_backend (no_auth_limit);
  f->tokens = register_user (f->backend, "forge@example.org", PASSWORD);
  f->jwt = jwt_parse (f->tokens->access);
  read_server_key (f->backend, &f->key);

  /* What was read from the key file is the key that signs and that is published... */
  keys = fetch_jwks (f->backend);
  g_assert_cmpstr (json_object_get_string_member (f->jwt->header, "kid"), ==, f->key.kid);
  g_assert_true (jwks_find (keys, f->key.kid, pk));
  g_assert_cmpmem (pk, sizeof pk, f->key.pk, sizeof f->key.pk);
  /* ...and the signing here is right: the real token and its claims re-signed both pass, so
   * each refusal below is about the one thing that is wrong. */
  assert_token_works (f->backend, f->tokens->access);
  resigned = forge_sign_claims (f, f->jwt->claims);
  assert_token_works (f->backend, resigned);
}

static void
forge_teardown (Forge         *f,
                gconstpointer  data)
{
  sodium_memzero (f->key.sk, sizeof f->key.sk);
  g_free (f->key.kid);
  g_clear_pointer (&f->jwt, jwt_free);
  g_clear_pointer (&f->tokens, tokens_free);
  g_clear_pointer (&f->backend, park_test_backend_free);
}

static GPtrArray *
forge_alg_none (Forge *f)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *payload = object_to_string (f->jwt->claims);
  g_autofree char *p64 = b64url_encode_string (payload);
  const char *variants[] = { "none", "None", "NONE" };

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *h = header_json (variants[i], NULL);
      g_autofree char *h_kid = header_json (variants[i], f->key.kid);
      g_autofree char *h64 = b64url_encode_string (h);
      g_autofree char *h64_kid = b64url_encode_string (h_kid);

      g_ptr_array_add (out, g_strconcat (h64, ".", p64, ".", NULL));
      g_ptr_array_add (out, g_strconcat (h64_kid, ".", p64, ".", NULL));
      /* "none" with the real signature left in place. */
      g_ptr_array_add (out, g_strconcat (h64_kid, ".", p64, ".", f->jwt->parts[2], NULL));
    }
  return out;
}

/* The classic key confusion: HMAC keyed with the public key, which anyone can fetch. */
static GPtrArray *
forge_hs256_public_key (Forge *f)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *payload = object_to_string (f->jwt->claims);
  g_autofree char *h = header_json ("HS256", f->key.kid);
  g_autofree char *h_nokid = header_json ("HS256", NULL);
  g_autofree char *x = b64url_encode (f->key.pk, sizeof f->key.pk);

  g_ptr_array_add (out, sign_hs256 (h, payload, f->key.pk, sizeof f->key.pk));
  g_ptr_array_add (out, sign_hs256 (h_nokid, payload, f->key.pk, sizeof f->key.pk));
  g_ptr_array_add (out, sign_hs256 (h, payload, (const guint8 *) x, strlen (x)));
  return out;
}

static GPtrArray *
forge_other_key (Forge *f)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *payload = object_to_string (f->jwt->claims);
  g_autofree char *h = header_json ("EdDSA", f->key.kid);
  guint8 pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];

  crypto_sign_keypair (pk, sk);
  g_ptr_array_add (out, sign_ed25519 (h, payload, sk));
  sodium_memzero (sk, sizeof sk);
  return out;
}

/* Headers that tell a careless verifier where to find the key (CVE-2018-0114), or that it
 * must understand an extension. */
static GPtrArray *
forge_header_injection (Forge *f)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *payload = object_to_string (f->jwt->claims);
  g_autofree char *x = NULL;
  g_autofree char *jwk = NULL, *jku = NULL, *crit = NULL;
  guint8 pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];

  crypto_sign_keypair (pk, sk);
  x = b64url_encode (pk, sizeof pk);
  jwk = g_strdup_printf ("{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":\"%s\","
                         "\"jwk\":{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"%s\"}}",
                         f->key.kid, x);
  jku = g_strdup_printf ("{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":\"%s\","
                         "\"jku\":\"http://127.0.0.1:1/jwks.json\"}", f->key.kid);
  g_ptr_array_add (out, sign_ed25519 (jwk, payload, sk));
  g_ptr_array_add (out, sign_ed25519 (jku, payload, sk));
  sodium_memzero (sk, sizeof sk);

  /* Signed with the real key, but demanding an extension nobody implements (RFC 7515
   * §4.1.11 says to refuse it). */
  crit = g_strdup_printf ("{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":\"%s\","
                          "\"crit\":[\"x-parkade-unknown\"],\"x-parkade-unknown\":true}",
                          f->key.kid);
  g_ptr_array_add (out, sign_ed25519 (crit, payload, f->key.sk));
  return out;
}

static GPtrArray *
forge_tampered (Forge *f)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) admin = object_copy (f->jwt->claims);
  g_autoptr(JsonArray) roles = json_array_new ();
  g_autoptr(JsonObject) other = object_copy (f->jwt->claims);
  g_autofree char *admin_json = NULL, *other_json = NULL;
  g_autofree char *admin64 = NULL, *other64 = NULL;
  g_autofree char *flipped = g_strdup (f->jwt->parts[1]);
  gsize mid = strlen (flipped) / 2;

  /* A promotion to admin, with the original signature. */
  json_array_add_string_element (roles, "admin");
  json_object_set_array_member (admin, "roles", g_steal_pointer (&roles));
  admin_json = object_to_string (admin);
  admin64 = b64url_encode_string (admin_json);
  g_ptr_array_add (out, g_strconcat (f->jwt->parts[0], ".", admin64, ".", f->jwt->parts[2],
                                     NULL));

  /* Somebody else's account. */
  json_object_set_string_member (other, "email", "someone.else@example.org");
  other_json = object_to_string (other);
  other64 = b64url_encode_string (other_json);
  g_ptr_array_add (out, g_strconcat (f->jwt->parts[0], ".", other64, ".", f->jwt->parts[2],
                                     NULL));

  /* One character of the encoded payload changed. */
  flipped[mid] = flipped[mid] == 'A' ? 'B' : 'A';
  g_ptr_array_add (out, g_strconcat (f->jwt->parts[0], ".", flipped, ".", f->jwt->parts[2],
                                     NULL));
  return out;
}

static GPtrArray *
forge_wrong_audience (Forge *f)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) claims = object_copy (f->jwt->claims);
  g_autoptr(JsonObject) listed = object_copy (f->jwt->claims);
  g_autoptr(JsonObject) missing = object_copy (f->jwt->claims);
  g_autoptr(JsonArray) auds = json_array_new ();

  json_object_set_string_member (claims, "aud", "some-other-service");
  g_ptr_array_add (out, forge_sign_claims (f, claims));
  json_array_add_string_element (auds, "some-other-service");
  json_object_set_array_member (listed, "aud", g_steal_pointer (&auds));
  g_ptr_array_add (out, forge_sign_claims (f, listed));
  json_object_remove_member (missing, "aud");
  g_ptr_array_add (out, forge_sign_claims (f, missing));
  return out;
}

static GPtrArray *
forge_wrong_issuer (Forge *f)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) claims = object_copy (f->jwt->claims);
  g_autoptr(JsonObject) missing = object_copy (f->jwt->claims);

  json_object_set_string_member (claims, "iss", "https://evil.example");
  g_ptr_array_add (out, forge_sign_claims (f, claims));
  json_object_remove_member (missing, "iss");
  g_ptr_array_add (out, forge_sign_claims (f, missing));
  return out;
}

static GPtrArray *
forge_expired (Forge *f)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) claims = object_copy (f->jwt->claims);
  g_autoptr(JsonObject) no_exp = object_copy (f->jwt->claims);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* Well past the 60 s any verifier allows for clock skew. */
  json_object_set_int_member (claims, "iat", now - TOKEN_SECONDS - 300);
  json_object_set_int_member (claims, "exp", now - 300);
  g_ptr_array_add (out, forge_sign_claims (f, claims));
  json_object_remove_member (no_exp, "exp");
  g_ptr_array_add (out, forge_sign_claims (f, no_exp));
  return out;
}

/* Signed by the real key, but living far longer than parkd ever issues. */
static GPtrArray *
forge_long_lived (Forge *f)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) claims = object_copy (f->jwt->claims);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  json_object_set_int_member (claims, "iat", now);
  json_object_set_int_member (claims, "exp", now + 365 * 24 * 3600);
  g_ptr_array_add (out, forge_sign_claims (f, claims));
  return out;
}

static GPtrArray *
forge_unknown_kid (Forge *f)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *payload = object_to_string (f->jwt->claims);
  g_autofree char *h_unknown = header_json ("EdDSA", "AAAAAAAAAAAA");
  g_autofree char *h_none = header_json ("EdDSA", NULL);
  g_autofree char *h_path = header_json ("EdDSA", "../../../etc/passwd");

  g_ptr_array_add (out, sign_ed25519 (h_unknown, payload, f->key.sk));
  g_ptr_array_add (out, sign_ed25519 (h_none, payload, f->key.sk));
  g_ptr_array_add (out, sign_ed25519 (h_path, payload, f->key.sk));
  return out;
}

static GPtrArray *
forge_wrong_parts (Forge *f)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (out, g_strconcat (f->jwt->parts[0], ".", f->jwt->parts[1], NULL));
  g_ptr_array_add (out, g_strconcat (f->tokens->access, ".", f->jwt->parts[2], NULL));
  g_ptr_array_add (out, g_strconcat (f->tokens->access, ".", NULL));
  g_ptr_array_add (out, g_strconcat (".", f->jwt->parts[1], ".", f->jwt->parts[2], NULL));
  return out;
}

static GPtrArray *
forge_garbage (Forge *f)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (out, g_strdup ("garbage"));
  g_ptr_array_add (out, g_strdup ("..."));
  g_ptr_array_add (out, g_strdup ("a.b.c"));
  g_ptr_array_add (out, g_strdup ("eyJhbGciOiJFZERTQSJ9.e30.AAAA"));
  g_ptr_array_add (out, g_strdup (f->tokens->refresh));
  return out;
}

static GPtrArray *
forge_other_schemes (Forge *f)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *basic = g_base64_encode ((const guchar *) "forge@example.org:" PASSWORD,
                                            strlen ("forge@example.org:" PASSWORD));
  g_autofree char *long_token = g_strnfill (10000, 'a');

  g_ptr_array_add (out, g_strconcat ("Basic ", basic, NULL));
  g_ptr_array_add (out, g_strconcat ("Token ", f->tokens->access, NULL));
  g_ptr_array_add (out, g_strdup (f->tokens->access));
  g_ptr_array_add (out, g_strdup ("Bearer"));
  /* Too long to be a token at all. */
  g_ptr_array_add (out, g_strconcat ("Bearer ", long_token, NULL));
  return out;
}

static const ForgeCase forge_cases[] = {
  { "alg-none",           forge_alg_none,          NULL },
  { "hs256-public-key",   forge_hs256_public_key,  NULL },
  { "other-ed25519-key",  forge_other_key,         NULL },
  { "header-injection",   forge_header_injection,  NULL },
  { "tampered-payload",   forge_tampered,          NULL },
  { "wrong-audience",     forge_wrong_audience,    NULL },
  { "wrong-issuer",       forge_wrong_issuer,      NULL },
  { "expired",            forge_expired,           NULL },
  { "long-lived",         forge_long_lived,        NULL },
  { "unknown-kid",        forge_unknown_kid,       NULL },
  { "wrong-part-count",   forge_wrong_parts,       NULL },
  { "garbage",            forge_garbage,           NULL },
  { "other-schemes",      NULL,                    forge_other_schemes },
};

static void
test_forged (Forge         *f,
             gconstpointer  data)
{
  const ForgeCase *c = data;
  g_autoptr(GPtrArray) tokens = c->forge != NULL ? c->forge (f) : c->forge_header (f);

  for (guint i = 0; i < tokens->len; i++)
    {
      const char *token = g_ptr_array_index (tokens, i);

      g_test_message ("%s #%u: %.80s%s", c->name, i, token, strlen (token) > 80 ? "..." : "");
      if (c->forge != NULL)
        assert_token_refused (f->backend, token);
      else
        {
          g_autoptr(ParkTestResponse) response = call_with_authorization (f->backend, token, ME);
          const char *challenge;

          park_test_assert_problem (response, 401, "invalid-token", NULL);
          challenge = header (response, "WWW-Authenticate");
          g_assert_nonnull (challenge);
          g_assert_true (g_str_has_prefix (challenge, "Bearer"));
        }
    }
  /* The real token was not hurt by any of it. */
  assert_token_works (f->backend, f->tokens->access);
}

/* A token that is sent is checked, also where none is needed: a client learns that its token
 * is bad rather than being served as a stranger. */
static void
test_token_on_public_route (Forge         *f,
                            gconstpointer  data)
{
  g_autoptr(ParkTestResponse) anonymous = park_test_call (f->backend, NULL, "GET",
                                                          PUBLIC_SEARCH, NULL);
  g_autoptr(ParkTestResponse) valid = park_test_call (f->backend, f->tokens->access, "GET",
                                                      PUBLIC_SEARCH, NULL);
  g_autoptr(GPtrArray) tampered = forge_tampered (f);

  g_assert_cmpuint (anonymous->status, ==, 200);
  g_assert_cmpuint (valid->status, ==, 200);
  assert_refused_on (f->backend, "garbage", PUBLIC_SEARCH);
  assert_refused_on (f->backend, g_ptr_array_index (tampered, 0), PUBLIC_SEARCH);
}

/* ---- 4. refresh, logout, restart --------------------------------------------------------- */

static void
test_refresh_rotation (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(Tokens) first = register_user (backend, "rotate@example.org", PASSWORD);
  g_autoptr(ParkTestResponse) r1 = refresh (backend, first->refresh);
  g_autoptr(Tokens) second = tokens_from (r1, 200);
  g_autoptr(ParkTestResponse) r2 = NULL;
  g_autoptr(Tokens) third = NULL;
  g_autoptr(Jwt) a = jwt_parse (first->access);
  g_autoptr(Jwt) b = jwt_parse (second->access);
  g_autofree char *altered = NULL;

  g_assert_cmpstr (second->refresh, !=, first->refresh);
  g_assert_cmpstr (second->access, !=, first->access);
  g_assert_cmpstr (json_object_get_string_member (a->claims, "sub"), ==,
                   json_object_get_string_member (b->claims, "sub"));
  g_assert_cmpstr (json_object_get_string_member (a->claims, "jti"), !=,
                   json_object_get_string_member (b->claims, "jti"));
  assert_token_works (backend, second->access);

  r2 = refresh (backend, second->refresh);
  third = tokens_from (r2, 200);
  g_assert_cmpstr (third->refresh, !=, second->refresh);
  assert_token_works (backend, third->access);

  /* Refresh tokens that never were are refused the same way. */
  altered = g_strdup (third->refresh);
  altered[0] = altered[0] == 'A' ? 'B' : 'A';
  assert_refresh_refused (backend, altered);
  assert_refresh_refused (backend, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
}

/* RFC 9700 §4.14.2: a refresh token used twice means a copy is in someone else's hands; the
 * whole family is revoked, and the access tokens it issued with it. */
static void
test_refresh_reuse (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(Tokens) first = register_user (backend, "reuse@example.org", PASSWORD);
  g_autoptr(Tokens) other = login_user (backend, "reuse@example.org", PASSWORD);
  g_autoptr(ParkTestResponse) r1 = refresh (backend, first->refresh);
  g_autoptr(Tokens) second = tokens_from (r1, 200);
  g_autoptr(Tokens) again = NULL;
  g_autofree char *log = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean reported = FALSE;

  assert_refresh_refused (backend, first->refresh);
  assert_refresh_refused (backend, second->refresh);
  assert_token_refused (backend, second->access);
  assert_token_refused (backend, first->access);

  /* Another sign-in of the same account is a different family. */
  assert_token_works (backend, other->access);

  log = read_file (backend->log_path);
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "security") != NULL)
      {
        g_test_message ("log: %s", lines[i]);
        reported = TRUE;
        g_assert_null (strstr (lines[i], first->refresh));
        g_assert_null (strstr (lines[i], second->refresh));
      }
  g_assert_true (reported);

  again = login_user (backend, "reuse@example.org", PASSWORD);
  assert_token_works (backend, again->access);

  /* The revocation is not forgotten with a restart. */
  park_test_backend_stop (backend);
  park_test_backend_start (backend, no_auth_limit);
  assert_token_refused (backend, second->access);
  assert_refresh_refused (backend, second->refresh);
  assert_token_works (backend, again->access);
}

static ParkTestResponse *
logout (ParkTestBackend *backend,
        const char      *access)
{
  return park_test_call (backend, access, "POST", "api/v1/auth/logout", NULL);
}

static void
test_logout (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(Tokens) tokens = register_user (backend, "logout@example.org", PASSWORD);
  g_autoptr(ParkTestResponse) out = logout (backend, tokens->access);
  g_autoptr(ParkTestResponse) anonymous = logout (backend, NULL);

  g_assert_cmpuint (out->status, ==, 204);
  g_assert_cmpuint (g_bytes_get_size (out->body), ==, 0);
  assert_token_refused (backend, tokens->access);
  assert_refresh_refused (backend, tokens->refresh);
  assert_refused_on (backend, tokens->access, VEHICLES);
  g_assert_cmpuint (anonymous->status, ==, 401);
  g_assert_nonnull (header (anonymous, "WWW-Authenticate"));
}

static void
test_logout_other_sign_in (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(Tokens) registered = register_user (backend, "two@example.org", PASSWORD);
  g_autoptr(Tokens) phone = login_user (backend, "two@example.org", PASSWORD);
  g_autoptr(Tokens) laptop = login_user (backend, "two@example.org", PASSWORD);
  g_autoptr(ParkTestResponse) out = logout (backend, phone->access);
  g_autoptr(ParkTestResponse) r = NULL;
  g_autoptr(Tokens) next = NULL;

  g_assert_cmpuint (out->status, ==, 204);
  assert_token_refused (backend, phone->access);
  assert_token_works (backend, laptop->access);
  assert_token_works (backend, registered->access);
  r = refresh (backend, laptop->refresh);
  next = tokens_from (r, 200);
  assert_token_works (backend, next->access);
}

static void
test_logout_survives_restart (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(Tokens) gone = register_user (backend, "restart@example.org", PASSWORD);
  g_autoptr(Tokens) kept = login_user (backend, "restart@example.org", PASSWORD);
  g_autoptr(ParkTestResponse) out = logout (backend, gone->access);
  g_autoptr(JsonArray) keys_before = fetch_jwks (backend);
  g_autoptr(JsonArray) keys_after = NULL;
  g_autoptr(Tokens) after = NULL;
  g_autoptr(ParkTestResponse) r = NULL;
  g_autoptr(Tokens) next = NULL;
  g_autofree char *kid_before = jwt_kid (gone->access);
  g_autofree char *kid_after = NULL;

  g_assert_cmpuint (out->status, ==, 204);
  park_test_backend_stop (backend);
  park_test_backend_start (backend, no_auth_limit);

  assert_token_refused (backend, gone->access);
  assert_refresh_refused (backend, gone->refresh);

  /* The rest survives too: the key, and a sign-in nobody ended. */
  keys_after = fetch_jwks (backend);
  g_assert_cmpuint (json_array_get_length (keys_after), ==, json_array_get_length (keys_before));
  g_assert_true (jwks_find (keys_after, kid_before, NULL));
  assert_token_works (backend, kept->access);
  r = refresh (backend, kept->refresh);
  next = tokens_from (r, 200);
  after = login_user (backend, "restart@example.org", PASSWORD);
  kid_after = jwt_kid (after->access);
  g_assert_cmpstr (kid_after, ==, kid_before);
}

/* ---- 5. key rotation --------------------------------------------------------------------- */

static void
test_key_rotation (void)
{
  static const char * const rotate[] = { "keys", "rotate", NULL };
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(Tokens) before = register_user (backend, "keys@example.org", PASSWORD);
  g_autoptr(Tokens) after = NULL;
  g_autoptr(JsonArray) keys = NULL;
  g_autoptr(ParkTestResponse) r = NULL;
  g_autoptr(Tokens) refreshed = NULL;
  g_autofree char *old_kid = jwt_kid (before->access);
  g_autofree char *new_kid = NULL;
  g_autofree char *refreshed_kid = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *path = keys_path (backend);
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  GStatBuf st;

  g_assert_cmpint (park_test_backend_run_cli (backend, rotate, &out, &err), ==, 0);
  g_test_message ("keys rotate: %s%s", out, err);
  /* Rewriting the file keeps it private. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  park_test_backend_stop (backend);
  park_test_backend_start (backend, no_auth_limit);

  keys = fetch_jwks (backend);
  g_assert_cmpuint (json_array_get_length (keys), ==, 2);
  g_assert_true (jwks_find (keys, old_kid, NULL));
  assert_token_works (backend, before->access);

  after = login_user (backend, "keys@example.org", PASSWORD);
  new_kid = jwt_kid (after->access);
  g_assert_cmpstr (new_kid, !=, old_kid);
  g_assert_true (jwks_find (keys, new_kid, pk));
  g_assert_true (signature_verifies (after->access, pk));
  assert_token_works (backend, after->access);

  /* A refresh from before the rotation is signed with the new key too. */
  r = refresh (backend, before->refresh);
  refreshed = tokens_from (r, 200);
  refreshed_kid = jwt_kid (refreshed->access);
  g_assert_cmpstr (refreshed_kid, ==, new_kid);
}

/* ---- 6. vehicles ------------------------------------------------------------------------- */

static void
test_vehicles (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(Tokens) alice = register_user (backend, "alice@example.org", PASSWORD);
  g_autoptr(Tokens) bob = register_user (backend, "bob@example.org", PASSWORD);
  g_autoptr(ParkTestResponse) added = NULL, duplicate = NULL, spaced = NULL;
  g_autoptr(ParkTestResponse) theft = NULL, own = NULL, twice = NULL, not_uuid = NULL;
  g_autoptr(ParkTestResponse) anonymous = NULL;
  g_autoptr(JsonArray) listed = NULL;
  g_autoptr(JsonArray) bobs = NULL;
  g_autoptr(JsonArray) after = NULL;
  g_autofree char *bob_vehicle = NULL;
  g_autofree char *path = NULL;
  JsonObject *v;
  const char *id;

  added = park_test_call (backend, alice->access, "POST", VEHICLES,
                          "{\"plate\":\"b-mw  1234\",\"country\":\"de\"}");
  g_assert_cmpuint (added->status, ==, 201);
  v = park_test_response_object (added);
  id = json_object_get_string_member_with_default (v, "id", NULL);
  g_assert_nonnull (id);
  g_assert_cmpstr (json_object_get_string_member_with_default (v, "plate", NULL), ==,
                   "B-MW 1234");
  g_assert_cmpstr (json_object_get_string_member_with_default (v, "plate_normalized", NULL), ==,
                   "BMW1234");
  g_assert_cmpstr (json_object_get_string_member_with_default (v, "country", NULL), ==, "DE");

  duplicate = park_test_call (backend, alice->access, "POST", VEHICLES,
                              "{\"plate\":\"BMW1234\",\"country\":\"DE\"}");
  park_test_assert_problem (duplicate, 409, "duplicate-plate", "plate");
  spaced = park_test_call (backend, alice->access, "POST", VEHICLES,
                           "{\"plate\":\" b mw-12 34 \"}");
  park_test_assert_problem (spaced, 409, "duplicate-plate", "plate");

  for (guint i = 0; i < 4; i++)
    {
      static const char * const bad[] = {
        "{\"plate\":\"\"}", "{\"plate\":\"!!\"}", "{\"plate\":\"ABCDEFGHJK123\"}",
        "{\"plate\":\"   \"}",
      };
      g_autoptr(ParkTestResponse) response = park_test_call (backend, alice->access, "POST",
                                                             VEHICLES, bad[i]);

      g_test_message ("%s: %u", bad[i], response->status);
      park_test_assert_problem (response, 400, "invalid-field", "plate");
    }

  listed = vehicle_list (backend, alice->access);
  g_assert_cmpuint (json_array_get_length (listed), ==, 1);
  v = json_array_get_object_element (listed, 0);
  g_assert_cmpstr (json_object_get_string_member (v, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (v, "plate"), ==, "B-MW 1234");

  /* A car may be shared: the same plate on another account is that account's business, and
   * neither sees the other's. */
  bob_vehicle = vehicle_add (backend, bob->access, "B-MW 1234");
  bobs = vehicle_list (backend, bob->access);
  g_assert_cmpuint (json_array_get_length (bobs), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (bobs, 0), "id"),
                   ==, bob_vehicle);

  path = g_strconcat (VEHICLES "/", id, NULL);
  theft = park_test_call (backend, bob->access, "DELETE", path, NULL);
  park_test_assert_problem (theft, 404, "not-found", NULL);
  anonymous = park_test_call (backend, NULL, "DELETE", path, NULL);
  g_assert_cmpuint (anonymous->status, ==, 401);
  not_uuid = park_test_call (backend, alice->access, "DELETE", VEHICLES "/not-a-uuid", NULL);
  g_assert_cmpuint (not_uuid->status, ==, 400);

  own = park_test_call (backend, alice->access, "DELETE", path, NULL);
  g_assert_cmpuint (own->status, ==, 204);
  twice = park_test_call (backend, alice->access, "DELETE", path, NULL);
  park_test_assert_problem (twice, 404, "not-found", NULL);
  after = vehicle_list (backend, alice->access);
  g_assert_cmpuint (json_array_get_length (after), ==, 0);
  /* Bob's is still there. */
  g_clear_pointer (&bobs, json_array_unref);
  bobs = vehicle_list (backend, bob->access);
  g_assert_cmpuint (json_array_get_length (bobs), ==, 1);
}

/* ---- 7. secrets at rest and in the log --------------------------------------------------- */

/* memmem(), which is a GNU extension. */
static gboolean
contains_bytes (const char *data,
                gsize       len,
                const char *needle,
                gsize       needle_len)
{
  for (gsize i = 0; needle_len <= len && i <= len - needle_len; i++)
    if (data[i] == needle[0] && memcmp (data + i, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_secrets_absent (const char *path,
                       GPtrArray  *secrets)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_test_message ("%s: %" G_GSIZE_FORMAT " bytes", path, len);
  for (guint i = 0; i < secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (secrets, i);

      if (contains_bytes (data, len, secret, strlen (secret)))
        g_error ("%s holds the secret \"%.40s\"", path, secret);
    }
}

static void
assert_files_clean (ParkTestBackend *backend,
                    GPtrArray       *secrets)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_autofree char *dump = park_test_backend_dump (backend);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (dump, suffixes[i], NULL);

      assert_secrets_absent (path, secrets);
    }
  /* A dump shows bytea as hex: a secret stored in the clear in one must show too. */
  if (g_str_has_prefix (backend->db_path, "postgresql://"))
    {
      g_autoptr(GPtrArray) hex = g_ptr_array_new_with_free_func (g_free);

      g_assert_true (g_file_test (dump, G_FILE_TEST_EXISTS));
      for (guint i = 0; i < secrets->len; i++)
        {
          const char *secret = g_ptr_array_index (secrets, i);
          GString *h = g_string_new (NULL);

          for (const char *p = secret; *p != '\0'; p++)
            g_string_append_printf (h, "%02x", (guint8) *p);
          g_ptr_array_add (hex, g_string_free (h, FALSE));
        }
      assert_secrets_absent (dump, hex);
    }
  assert_secrets_absent (backend->log_path, secrets);
}

static void
test_secrets_at_rest (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(ParkTestResponse) created = NULL, me = NULL, wrong = NULL, r = NULL;
  g_autoptr(Tokens) registered = NULL, signed_in = NULL, refreshed = NULL;
  g_autofree char *vehicle = NULL;

  created = register_with (backend, "secret@example.org", PASSWORD,
                           "\"first_name\":\"Sam\",\"phone\":\"+49 351 4455667\"");
  registered = tokens_from (created, 201);
  vehicle = vehicle_add (backend, registered->access, "B-MW 1234");
  wrong = login (backend, "secret@example.org", "Wrong-Guess-Elbflorenz-9");
  g_assert_cmpuint (wrong->status, ==, 401);
  signed_in = login_user (backend, "secret@example.org", PASSWORD);
  r = refresh (backend, signed_in->refresh);
  refreshed = tokens_from (r, 200);

  /* The data did arrive, so its absence below is not for want of it. */
  me = get_me (backend, refreshed->access);
  g_assert_cmpstr (member_string (me, "phone"), ==, "+493514455667");

  g_ptr_array_add (secrets, g_strdup (PASSWORD));
  g_ptr_array_add (secrets, g_strdup ("Wrong-Guess-Elbflorenz-9"));
  g_ptr_array_add (secrets, g_strdup ("4455667"));
  g_ptr_array_add (secrets, g_strdup ("BMW1234"));
  g_ptr_array_add (secrets, g_strdup ("B-MW 1234"));
  g_ptr_array_add (secrets, g_strdup ("b-mw 1234"));
  g_ptr_array_add (secrets, g_strdup (registered->access));
  g_ptr_array_add (secrets, g_strdup (registered->refresh));
  g_ptr_array_add (secrets, g_strdup (signed_in->access));
  g_ptr_array_add (secrets, g_strdup (signed_in->refresh));
  g_ptr_array_add (secrets, g_strdup (refreshed->access));
  g_ptr_array_add (secrets, g_strdup (refreshed->refresh));

  /* While running (the write-ahead log holds the latest writes) and after a clean stop. */
  assert_files_clean (backend, secrets);
  park_test_backend_stop (backend);
  assert_files_clean (backend, secrets);
}

/* ---- 8. rate limits ---------------------------------------------------------------------- */

static int
retry_after (ParkTestResponse *response)
{
  const char *value = header (response, "Retry-After");
  gint64 seconds = 0;

  g_assert_nonnull (value);
  g_assert_true (g_ascii_string_to_signed (value, 10, 1, 3600, &seconds, NULL));
  return (int) seconds;
}

static void
test_rate_limit_address (void)
{
  static const char * const args[] = { "--rate-limit", "2", "--rate-burst", "5", NULL };
  g_autoptr(ParkTestBackend) backend = start_backend (args);
  g_autoptr(ParkTestResponse) limited = NULL;
  g_autoptr(ParkTestResponse) later = NULL;
  int wait;

  /* Starting fetched the OpenAPI document; let the bucket fill up again. */
  g_usleep (G_USEC_PER_SEC);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(ParkTestResponse) ok = park_test_call (backend, NULL, "GET", "health", NULL);

      g_assert_cmpuint (ok->status, ==, 200);
    }
  limited = park_test_call (backend, NULL, "GET", "health", NULL);
  park_test_assert_problem (limited, 429, "rate-limited", NULL);
  wait = retry_after (limited);
  g_test_message ("Retry-After: %d", wait);

  g_usleep (wait * G_USEC_PER_SEC);
  later = park_test_call (backend, NULL, "GET", "health", NULL);
  g_assert_cmpuint (later->status, ==, 200);
}

static int
user_add (ParkTestBackend    *backend,
          const char * const *args,
          const char         *input,
          char              **out,
          char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_buf = NULL, *stderr_buf = NULL, *input_path = NULL;
  g_autofree char *keys = keys_path (backend);

  g_ptr_array_add (argv, (gpointer) park_test_parkd_path ());
  g_ptr_array_add (argv, (gpointer) "user");
  g_ptr_array_add (argv, (gpointer) "add");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, backend->db_path);
  g_ptr_array_add (argv, (gpointer) "--keys-file");
  g_ptr_array_add (argv, keys);
  g_ptr_array_add (argv, NULL);

  /* Standard input comes from a file, not a pipe: parkd may refuse its options and exit
   * before it reads a byte, and a pipe would then fail the write with EPIPE. */
  input_path = g_build_filename (backend->tmpdir, "user-add-stdin", NULL);
  g_file_set_contents (input_path, input, -1, &error);
  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_stdin_file_path (launcher, input_path);
  g_subprocess_launcher_unsetenv (launcher, "PARKD_CONFIG");
  g_subprocess_launcher_set_child_setup (launcher, park_test_die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_buf, &stderr_buf, &error);
  g_unlink (input_path);
  g_assert_no_error (error);
  g_test_message ("parkd user add: %s%s", stdout_buf, stderr_buf);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_buf);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_buf);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static void
test_rate_limit_auth (void)
{
  static const char * const args[] = { "--auth-rate-limit", "3", NULL };
  static const char * const add[] = { "--email", "quick@example.org", "--role", "driver", NULL };
  g_autoptr(ParkTestBackend) backend = start_backend (args);
  g_autoptr(ParkTestResponse) limited = NULL, reg = NULL, ref = NULL, health = NULL;
  g_autoptr(ParkTestResponse) me = NULL;
  g_autoptr(Tokens) tokens = NULL;

  /* The account comes from the command line, so every sign-in below counts. */
  g_assert_cmpint (user_add (backend, add, PASSWORD "\n", NULL, NULL), ==, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_clear_pointer (&tokens, tokens_free);
      tokens = login_user (backend, "quick@example.org", PASSWORD);
    }
  limited = login (backend, "quick@example.org", PASSWORD);
  park_test_assert_problem (limited, 429, "rate-limited", NULL);
  g_assert_cmpint (retry_after (limited), >=, 1);

  /* Registration and refresh share the limit... */
  reg = register_with (backend, "another@example.org", PASSWORD, NULL);
  park_test_assert_problem (reg, 429, "rate-limited", NULL);
  ref = refresh (backend, tokens->refresh);
  park_test_assert_problem (ref, 429, "rate-limited", NULL);
  /* ...while the rest of the API goes on. */
  health = park_test_call (backend, NULL, "GET", "health", NULL);
  g_assert_cmpuint (health->status, ==, 200);
  me = get_me (backend, tokens->access);
  g_assert_cmpuint (me->status, ==, 200);
}

static void
test_login_throttle (void)
{
  static const char * const args[] = {
    "--login-free-failures", "3", "--auth-rate-limit", "0", NULL
  };
  g_autoptr(ParkTestBackend) backend = start_backend (args);
  g_autoptr(Tokens) target = register_user (backend, "target@example.org", PASSWORD);
  g_autoptr(Tokens) bystander = register_user (backend, "bystander@example.org", PASSWORD);
  g_autoptr(ParkTestResponse) throttled = NULL, shouted = NULL;
  g_autoptr(Tokens) other = NULL, finally = NULL;
  int wait;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *guess = g_strdup_printf ("Wrong-Guess-Number-%u", i);
      g_autoptr(ParkTestResponse) wrong = login (backend, "target@example.org", guess);

      park_test_assert_problem (wrong, 401, "invalid-credentials", NULL);
    }

  /* Even the right password waits now: the point is to slow guessing down. */
  throttled = login (backend, "target@example.org", PASSWORD);
  park_test_assert_problem (throttled, 429, "login-throttled", NULL);
  wait = retry_after (throttled);
  g_test_message ("Retry-After: %d", wait);
  /* Writing the address differently is the same account. */
  shouted = login (backend, "TARGET@Example.org", PASSWORD);
  park_test_assert_problem (shouted, 429, "login-throttled", NULL);

  other = login_user (backend, "bystander@example.org", PASSWORD);
  assert_token_works (backend, other->access);

  g_usleep (retry_after (shouted) * G_USEC_PER_SEC);
  finally = login_user (backend, "target@example.org", PASSWORD);
  assert_token_works (backend, finally->access);
}

/* ---- 9. parkd user add ------------------------------------------------------------------- */

static void
test_user_add_admin (void)
{
  static const char * const add[] = { "--email", " Admin@Example.org", "--role", "admin", NULL };
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(Tokens) tokens = NULL;
  g_autoptr(ParkTestResponse) me = NULL;
  g_autoptr(Jwt) jwt = NULL;
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (user_add (backend, add, "Admin-Pass-Parkade-2024\n", &out, &err), ==, 0);
  g_assert_null (strstr (out, "Admin-Pass-Parkade-2024"));
  g_assert_null (strstr (err, "Admin-Pass-Parkade-2024"));

  tokens = login_user (backend, "admin@example.org", "Admin-Pass-Parkade-2024");
  me = get_me (backend, tokens->access);
  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpstr (member_string (me, "role"), ==, "admin");
  g_assert_cmpstr (member_string (me, "email"), ==, "admin@example.org");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (park_test_response_object (me),
                                                               "operator")));
  jwt = jwt_parse (tokens->access);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (jwt->claims,
                                                                                "roles"), 0),
                   ==, "admin");
}

static void
test_user_add_weak_password (void)
{
  static const char * const add[] = { "--email", "weak@example.org", "--role", "admin", NULL };
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(ParkTestResponse) refused = NULL;
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (user_add (backend, add, "password123\n", &out, &err), ==, 2);
  g_assert_null (strstr (out, "password123"));
  g_assert_null (strstr (err, "password123"));
  refused = login (backend, "weak@example.org", "password123");
  park_test_assert_problem (refused, 401, "invalid-credentials", NULL);
  /* Nothing was created: the address is still free. */
  g_assert_cmpint (user_add (backend, add, PASSWORD "\n", NULL, NULL), ==, 0);
}

static void
test_user_add_operator_needs_operator (void)
{
  static const char * const add[] = { "--email", "op@example.org", "--role", "operator", NULL };
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autoptr(ParkTestResponse) refused = NULL;

  g_assert_cmpint (user_add (backend, add, PASSWORD "\n", NULL, NULL), ==, 2);
  refused = login (backend, "op@example.org", PASSWORD);
  park_test_assert_problem (refused, 401, "invalid-credentials", NULL);
}

/* ---- 10. the key file -------------------------------------------------------------------- */

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
} Communicate;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  Communicate *c = data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, &c->err,
                                        &c->error);
  c->done = TRUE;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_key_file_mode (void)
{
  g_autoptr(ParkTestBackend) backend = start_backend (no_auth_limit);
  g_autofree char *path = keys_path (backend);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Communicate c = { 0, };
  gboolean timed_out = FALSE;
  guint timeout_id;
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  park_test_backend_stop (backend);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "PARKD_CONFIG");
  g_subprocess_launcher_set_child_setup (launcher, park_test_die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, park_test_parkd_path (),
                                         "--listen", "127.0.0.1:0",
                                         "--database", backend->db_path,
                                         "--keys-file", path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &c);
  timeout_id = g_timeout_add_seconds (EXIT_TIMEOUT_S, timeout_cb, &timed_out);
  while (!c.done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!c.done)
    {
      g_subprocess_force_exit (process);
      while (!c.done)
        g_main_context_iteration (NULL, TRUE);
      g_error ("parkd started with a key file others may read (%s)", c.out);
    }
  g_source_remove (timeout_id);
  g_assert_no_error (c.error);
  g_test_message ("parkd: %s%s", c.out, c.err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), !=, 0);
  g_assert_null (strstr (c.out, "listening on"));
  g_assert_nonnull (strstr (c.err, path));

  /* Made private again, it serves as before. */
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  park_test_backend_start (backend, no_auth_limit);
  g_free (c.out);
  g_free (c.err);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");

  g_test_add_func ("/auth/register/profile", test_register_and_profile);
  g_test_add_func ("/auth/register/duplicate", test_register_duplicate);
  g_test_add_func ("/auth/register/weak-passwords", test_register_weak_passwords);
  g_test_add_func ("/auth/register/bad-email", test_register_bad_email);
  g_test_add_func ("/auth/register/read-only-fields", test_register_read_only_fields);
  g_test_add_func ("/auth/login/credentials", test_login);
  g_test_add_func ("/auth/me/patch-read-only", test_me_patch_read_only);
  g_test_add_func ("/auth/me/patch-profile", test_me_patch_profile);
  g_test_add_func ("/auth/me/password-change", test_me_password_change);
  g_test_add_func ("/auth/me/password-change-ends-other-sign-ins",
                   test_me_password_change_ends_other_sign_ins);

  g_test_add_func ("/auth/token/claims-and-signature", test_token_claims);
  for (guint i = 0; i < G_N_ELEMENTS (forge_cases); i++)
    {
      g_autofree char *name = g_strconcat ("/auth/token/forged/", forge_cases[i].name, NULL);

      g_test_add (name, Forge, &forge_cases[i], forge_setup, test_forged, forge_teardown);
    }
  g_test_add ("/auth/token/public-route", Forge, NULL, forge_setup, test_token_on_public_route,
              forge_teardown);

  g_test_add_func ("/auth/refresh/rotation", test_refresh_rotation);
  g_test_add_func ("/auth/refresh/reuse-revokes-family", test_refresh_reuse);
  g_test_add_func ("/auth/logout/revokes", test_logout);
  g_test_add_func ("/auth/logout/other-sign-in-unaffected", test_logout_other_sign_in);
  g_test_add_func ("/auth/logout/survives-restart", test_logout_survives_restart);
  g_test_add_func ("/auth/keys/rotation", test_key_rotation);
  g_test_add_func ("/auth/keys/file-mode", test_key_file_mode);

  g_test_add_func ("/auth/vehicles/add-list-delete", test_vehicles);
  g_test_add_func ("/auth/secrets-at-rest", test_secrets_at_rest);

  g_test_add_func ("/auth/rate-limit/address", test_rate_limit_address);
  g_test_add_func ("/auth/rate-limit/auth", test_rate_limit_auth);
  g_test_add_func ("/auth/rate-limit/login-throttle", test_login_throttle);

  g_test_add_func ("/auth/cli/user-add-admin", test_user_add_admin);
  g_test_add_func ("/auth/cli/user-add-weak-password", test_user_add_weak_password);
  g_test_add_func ("/auth/cli/user-add-operator-needs-operator",
                   test_user_add_operator_needs_operator);
  return g_test_run ();
}
