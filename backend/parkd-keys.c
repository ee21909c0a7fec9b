/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-keys.c: the key file, JWT signing and verification, sealing.
 *
 * The verifier is deliberately small. It accepts exactly one form, a compact JWS with the
 * header {"alg":"EdDSA","kid":…} signed by one of our Ed25519 keys, so there is no
 * algorithm negotiation to confuse: "none", HS256 with the public key as secret, RS256 and
 * any "crit" extension are all refused before a signature is looked at.
 *
 * The key file is a GKeyFile:
 *
 *   [keys]
 *   current=KID          signs new tokens
 *   seal=BASE64          secretbox key for personal data at rest
 *   lookup=BASE64        BLAKE2b key for the lookup hashes of sealed data
 *
 *   [signing KID]        one group per signing key; KID is derived from its public key
 *   seed=BASE64          Ed25519 seed
 *   created=RFC3339
 */
#include "config.h"

#include "parkd-keys.h"
#include "parkd-json.h"
#include "parkd-store.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK (parkd-keys-error-quark, parkd_keys_error)

#define MAX_TOKEN_LEN 8192
#define SIGNING_PREFIX "signing "

typedef struct
{
  char   kid[24];
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 sk[crypto_sign_SECRETKEYBYTES];
} SigningKey;

struct _ParkdKeys
{
  GArray     *signing;     /* SigningKey, in the file's order */
  guint       current;     /* index into @signing */
  guint8      seal[crypto_secretbox_KEYBYTES];
  guint8      lookup[crypto_generichash_KEYBYTES];
};

static gboolean
sodium_ready (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      if (sodium_init () < 0)
        g_error ("libsodium could not be initialised");
      g_once_init_leave (&done, 1);
    }
  return TRUE;
}

char *
parkd_base64url_encode (const guint8 *data,
                        gsize         len)
{
  gsize size = sodium_base64_ENCODED_LEN (len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *out = g_malloc (size);

  sodium_bin2base64 (out, size, data, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

/* Strict: unpadded base64url only, nothing ignored. */
static GBytes *
base64url_decode (const char *text,
                  gsize       len,
                  gsize       max)
{
  g_autofree guint8 *buf = g_malloc (MAX (max, 1));
  size_t out_len = 0;
  const char *end = NULL;

  if (sodium_base642bin (buf, max, text, len, NULL, &out_len, &end,
                         sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text + len)
    return NULL;
  return g_bytes_new (buf, out_len);
}

static gboolean
decode_key (GKeyFile    *kf,
            const char  *group,
            const char  *name,
            guint8      *out,
            gsize        len,
            GError     **error)
{
  g_autofree char *text = g_key_file_get_string (kf, group, name, error);
  g_autofree guchar *raw = NULL;
  gsize raw_len = 0;

  if (text == NULL)
    return FALSE;
  raw = g_base64_decode (text, &raw_len);
  if (raw_len != len)
    {
      g_set_error (error, PARKD_KEYS_ERROR, PARKD_KEYS_ERROR_FILE,
                   "[%s] %s is not a %" G_GSIZE_FORMAT "-byte key", group, name, len);
      return FALSE;
    }
  memcpy (out, raw, len);
  sodium_memzero (raw, raw_len);
  return TRUE;
}

static void
kid_for (const guint8 *pk,
         char         *kid,
         gsize         size)
{
  guint8 hash[9];
  g_autofree char *text = NULL;

  crypto_generichash (hash, sizeof hash, pk, crypto_sign_PUBLICKEYBYTES, NULL, 0);
  text = parkd_base64url_encode (hash, sizeof hash);
  g_strlcpy (kid, text, size);
}

static void
add_signing_key (GKeyFile *kf,
                 char     *kid_out,
                 gsize     kid_size)
{
  guint8 seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES];
  guint8 sk[crypto_sign_SECRETKEYBYTES];
  g_autofree char *seed_text = NULL, *group = NULL, *now = parkd_now_rfc3339 ();

  randombytes_buf (seed, sizeof seed);
  crypto_sign_seed_keypair (pk, sk, seed);
  kid_for (pk, kid_out, kid_size);
  seed_text = g_base64_encode (seed, sizeof seed);
  group = g_strconcat (SIGNING_PREFIX, kid_out, NULL);
  g_key_file_set_string (kf, group, "seed", seed_text);
  g_key_file_set_string (kf, group, "created", now);
  g_key_file_set_string (kf, "keys", "current", kid_out);
  sodium_memzero (seed, sizeof seed);
  sodium_memzero (sk, sizeof sk);
  sodium_memzero (seed_text, strlen (seed_text));
}

static gboolean
write_key_file (GKeyFile    *kf,
                const char  *path,
                GError     **error)
{
  g_autofree char *data = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  gsize len;
  gboolean ok;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, PARKD_KEYS_ERROR, PARKD_KEYS_ERROR_FILE,
                   "Cannot create %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  data = g_key_file_to_data (kf, &len, NULL);
  ok = g_file_set_contents_full (path, data, len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error);
  sodium_memzero (data, len);
  return ok;
}

static GKeyFile *
read_key_file (const char  *path,
               gboolean     create,
               GError     **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      guint8 seal[crypto_secretbox_KEYBYTES], lookup[crypto_generichash_KEYBYTES];
      g_autofree char *seal_text = NULL, *lookup_text = NULL;
      char kid[24];

      if (saved != ENOENT || !create)
        {
          g_set_error (error, PARKD_KEYS_ERROR, PARKD_KEYS_ERROR_FILE,
                       "Cannot read the key file %s: %s", path, g_strerror (saved));
          return NULL;
        }
      crypto_secretbox_keygen (seal);
      crypto_generichash_keygen (lookup);
      seal_text = g_base64_encode (seal, sizeof seal);
      lookup_text = g_base64_encode (lookup, sizeof lookup);
      g_key_file_set_comment (kf, NULL, NULL,
                              " parkd's secrets. Keep this file private (mode 0600) and back it "
                              "up:\n without it sealed phone numbers and plates cannot be read.",
                              NULL);
      g_key_file_set_string (kf, "keys", "seal", seal_text);
      g_key_file_set_string (kf, "keys", "lookup", lookup_text);
      add_signing_key (kf, kid, sizeof kid);
      sodium_memzero (seal, sizeof seal);
      sodium_memzero (lookup, sizeof lookup);
      /* Replicas starting together on one machine must not each make keys of their own:
       * the file is written aside and linked into place only where none is yet; whoever
       * comes second reads the first one's. */
      {
        g_autofree char *aside = g_strdup_printf ("%s.new-%d", path, (int) getpid ());
        int linked;

        if (!write_key_file (kf, aside, error))
          return NULL;
        linked = link (aside, path);
        saved = errno;
        g_unlink (aside);
        if (linked != 0 && saved == EEXIST)
          return read_key_file (path, FALSE, error);
        if (linked != 0)
          {
            g_set_error (error, PARKD_KEYS_ERROR, PARKD_KEYS_ERROR_FILE,
                         "Cannot create the key file %s: %s", path, g_strerror (saved));
            return NULL;
          }
      }
      g_message ("created the key file %s", path);
      return g_steal_pointer (&kf);
    }

  if ((st.st_mode & 0077) != 0)
    {
      g_set_error (error, PARKD_KEYS_ERROR, PARKD_KEYS_ERROR_FILE,
                   "The key file %s may be read by other users (mode %04o); "
                   "run chmod 600 on it", path, (unsigned) (st.st_mode & 07777));
      return NULL;
    }
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_KEEP_COMMENTS, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  return g_steal_pointer (&kf);
}

ParkdKeys *
parkd_keys_load (const char  *path,
                 GError     **error)
{
  g_autoptr(GKeyFile) kf = NULL;
  g_autoptr(ParkdKeys) self = NULL;
  g_auto(GStrv) groups = NULL;
  g_autofree char *current = NULL;
  gboolean found = FALSE;

  sodium_ready ();
  kf = read_key_file (path, TRUE, error);
  if (kf == NULL)
    return NULL;

  self = g_new0 (ParkdKeys, 1);
  self->signing = g_array_new (FALSE, TRUE, sizeof (SigningKey));
  if (!decode_key (kf, "keys", "seal", self->seal, sizeof self->seal, error) ||
      !decode_key (kf, "keys", "lookup", self->lookup, sizeof self->lookup, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  current = g_key_file_get_string (kf, "keys", "current", error);
  if (current == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }

  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      SigningKey key = { { 0 } };
      guint8 seed[crypto_sign_SEEDBYTES];
      const char *kid = groups[i] + strlen (SIGNING_PREFIX);

      if (g_str_equal (groups[i], "keys"))
        continue;
      if (!g_str_has_prefix (groups[i], SIGNING_PREFIX))
        {
          g_set_error (error, PARKD_KEYS_ERROR, PARKD_KEYS_ERROR_FILE,
                       "%s: unknown group [%s]", path, groups[i]);
          return NULL;
        }
      if (!decode_key (kf, groups[i], "seed", seed, sizeof seed, error))
        {
          g_prefix_error (error, "%s: ", path);
          return NULL;
        }
      crypto_sign_seed_keypair (key.pk, key.sk, seed);
      sodium_memzero (seed, sizeof seed);
      kid_for (key.pk, key.kid, sizeof key.kid);
      if (!g_str_equal (key.kid, kid))
        {
          g_set_error (error, PARKD_KEYS_ERROR, PARKD_KEYS_ERROR_FILE,
                       "%s: [%s] holds the key of %s", path, groups[i], key.kid);
          return NULL;
        }
      if (g_str_equal (kid, current))
        {
          self->current = self->signing->len;
          found = TRUE;
        }
      g_array_append_val (self->signing, key);
    }
  if (!found)
    {
      g_set_error (error, PARKD_KEYS_ERROR, PARKD_KEYS_ERROR_FILE,
                   "%s: the current key %s has no [signing %s] group", path, current, current);
      return NULL;
    }
  return g_steal_pointer (&self);
}

char *
parkd_keys_rotate (const char  *path,
                   GError     **error)
{
  g_autoptr(GKeyFile) kf = NULL;
  char kid[24];

  sodium_ready ();
  kf = read_key_file (path, FALSE, error);
  if (kf == NULL)
    return NULL;
  add_signing_key (kf, kid, sizeof kid);
  if (!write_key_file (kf, path, error))
    return NULL;
  return g_strdup (kid);
}

void
parkd_keys_free (ParkdKeys *self)
{
  if (self == NULL)
    return;
  sodium_memzero (self->signing->data, self->signing->len * sizeof (SigningKey));
  g_array_unref (self->signing);
  sodium_memzero (self, sizeof *self);
  g_free (self);
}

const char *
parkd_keys_current_kid (ParkdKeys *self)
{
  return g_array_index (self->signing, SigningKey, self->current).kid;
}

char *
parkd_keys_sign_jwt (ParkdKeys  *self,
                     const char *payload)
{
  const SigningKey *key = &g_array_index (self->signing, SigningKey, self->current);
  g_autofree char *header = g_strdup_printf ("{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":\"%s\"}",
                                             key->kid);
  g_autofree char *h64 = parkd_base64url_encode ((const guint8 *) header, strlen (header));
  g_autofree char *p64 = parkd_base64url_encode ((const guint8 *) payload, strlen (payload));
  g_autofree char *signing_input = g_strconcat (h64, ".", p64, NULL);
  g_autofree char *s64 = NULL;
  guint8 sig[crypto_sign_BYTES];

  crypto_sign_detached (sig, NULL, (const guint8 *) signing_input, strlen (signing_input),
                        key->sk);
  s64 = parkd_base64url_encode (sig, sizeof sig);
  return g_strconcat (signing_input, ".", s64, NULL);
}

static JsonNode *
decode_part (const char  *text,
             gsize        len,
             const char  *what,
             GError     **error)
{
  g_autoptr(GBytes) raw = base64url_decode (text, len, len);
  g_autoptr(GError) local_error = NULL;
  JsonNode *node;
  gsize size;
  const char *data;

  if (raw == NULL)
    {
      g_set_error (error, PARKD_KEYS_ERROR, PARKD_KEYS_ERROR_MALFORMED,
                   "The token's %s is not base64url", what);
      return NULL;
    }
  data = g_bytes_get_data (raw, &size);
  node = parkd_json_parse_object (data != NULL ? data : "", size, &local_error);
  if (node == NULL)
    g_set_error (error, PARKD_KEYS_ERROR, PARKD_KEYS_ERROR_MALFORMED,
                 "The token's %s is not a JSON object", what);
  return node;
}

JsonNode *
parkd_keys_verify_jwt (ParkdKeys   *self,
                       const char  *token,
                       GError     **error)
{
  gsize len = strnlen (token, MAX_TOKEN_LEN + 1);
  const char *dot1, *dot2;
  g_autoptr(JsonNode) header = NULL;
  g_autoptr(GBytes) sig = NULL;
  const SigningKey *key = NULL;
  JsonObject *h;
  JsonNode *alg, *kid;

  dot1 = len <= MAX_TOKEN_LEN ? memchr (token, '.', len) : NULL;
  dot2 = dot1 != NULL ? memchr (dot1 + 1, '.', token + len - dot1 - 1) : NULL;
  if (dot2 == NULL || memchr (dot2 + 1, '.', token + len - dot2 - 1) != NULL ||
      dot1 == token || dot2 == dot1 + 1)
    {
      g_set_error (error, PARKD_KEYS_ERROR, PARKD_KEYS_ERROR_MALFORMED,
                   "The token is not a signed JWT");
      return NULL;
    }

  header = decode_part (token, dot1 - token, "header", error);
  if (header == NULL)
    return NULL;
  h = json_node_get_object (header);
  alg = json_object_get_member (h, "alg");
  if (alg == NULL || !JSON_NODE_HOLDS_VALUE (alg) ||
      json_node_get_value_type (alg) != G_TYPE_STRING ||
      !g_str_equal (json_node_get_string (alg), "EdDSA"))
    {
      g_set_error (error, PARKD_KEYS_ERROR, PARKD_KEYS_ERROR_ALGORITHM,
                   "The token is not signed with EdDSA");
      return NULL;
    }
  if (json_object_has_member (h, "crit") || json_object_has_member (h, "jku") ||
      json_object_has_member (h, "jwk") || json_object_has_member (h, "x5u") ||
      json_object_has_member (h, "x5c"))
    {
      g_set_error (error, PARKD_KEYS_ERROR, PARKD_KEYS_ERROR_MALFORMED,
                   "The token's header asks for something parkd does not do");
      return NULL;
    }
  kid = json_object_get_member (h, "kid");
  if (kid != NULL && JSON_NODE_HOLDS_VALUE (kid) &&
      json_node_get_value_type (kid) == G_TYPE_STRING)
    for (guint i = 0; i < self->signing->len; i++)
      if (g_str_equal (g_array_index (self->signing, SigningKey, i).kid,
                       json_node_get_string (kid)))
        key = &g_array_index (self->signing, SigningKey, i);
  if (key == NULL)
    {
      g_set_error (error, PARKD_KEYS_ERROR, PARKD_KEYS_ERROR_UNKNOWN_KEY,
                   "The token names no key of this server");
      return NULL;
    }

  sig = base64url_decode (dot2 + 1, token + len - dot2 - 1, crypto_sign_BYTES + 1);
  if (sig == NULL || g_bytes_get_size (sig) != crypto_sign_BYTES ||
      crypto_sign_verify_detached (g_bytes_get_data (sig, NULL), (const guint8 *) token,
                                   dot2 - token, key->pk) != 0)
    {
      g_set_error (error, PARKD_KEYS_ERROR, PARKD_KEYS_ERROR_SIGNATURE,
                   "The token's signature does not verify");
      return NULL;
    }

  return decode_part (dot1 + 1, dot2 - dot1 - 1, "payload", error);
}

GString *
parkd_keys_jwks (ParkdKeys *self)
{
  GString *out = g_string_new ("{\"keys\":[");

  for (guint i = 0; i < self->signing->len; i++)
    {
      const SigningKey *key = &g_array_index (self->signing, SigningKey, i);
      g_autofree char *x = parkd_base64url_encode (key->pk, sizeof key->pk);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"use\":\"sig\",\"alg\":\"EdDSA\"");
      parkd_json_append_member (out, "kid");
      parkd_json_append_string (out, key->kid);
      parkd_json_append_member (out, "x");
      parkd_json_append_string (out, x);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");
  return out;
}

GBytes *
parkd_keys_seal (ParkdKeys  *self,
                 const char *plain)
{
  gsize len = strlen (plain);
  gsize size = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
  guint8 *out = g_malloc (size);

  randombytes_buf (out, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy (out + crypto_secretbox_NONCEBYTES, (const guint8 *) plain, len, out,
                         self->seal);
  return g_bytes_new_take (out, size);
}

char *
parkd_keys_open (ParkdKeys  *self,
                 GBytes     *sealed,
                 GError    **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (sealed, &size);
  gsize len;
  char *plain;

  if (size < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    {
      g_set_error (error, PARKD_KEYS_ERROR, PARKD_KEYS_ERROR_SEALED, "Sealed data is truncated");
      return NULL;
    }
  len = size - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
  plain = g_malloc (len + 1);
  if (crypto_secretbox_open_easy ((guint8 *) plain, data + crypto_secretbox_NONCEBYTES,
                                  size - crypto_secretbox_NONCEBYTES, data, self->seal) != 0)
    {
      g_free (plain);
      g_set_error (error, PARKD_KEYS_ERROR, PARKD_KEYS_ERROR_SEALED,
                   "Sealed data does not open with this server's key");
      return NULL;
    }
  plain[len] = '\0';
  return plain;
}

GBytes *
parkd_keys_lookup_hash (ParkdKeys  *self,
                        const char *text)
{
  guint8 *hash = g_malloc (crypto_generichash_BYTES);

  crypto_generichash (hash, crypto_generichash_BYTES, (const guint8 *) text, strlen (text),
                      self->lookup, sizeof self->lookup);
  return g_bytes_new_take (hash, crypto_generichash_BYTES);
}

GBytes *
parkd_token_hash (const char *token)
{
  guint8 *hash = g_malloc (crypto_generichash_BYTES);

  crypto_generichash (hash, crypto_generichash_BYTES, (const guint8 *) token, strlen (token),
                      NULL, 0);
  return g_bytes_new_take (hash, crypto_generichash_BYTES);
}

char *
parkd_random_token (gsize n_bytes)
{
  g_autofree guint8 *buf = g_malloc (n_bytes);
  char *out;

  sodium_ready ();
  randombytes_buf (buf, n_bytes);
  out = parkd_base64url_encode (buf, n_bytes);
  sodium_memzero (buf, n_bytes);
  return out;
}
