/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-keys.h: the server's secrets, and the few things done with them: signing and
 * verifying access tokens (JWT, EdDSA over Ed25519), sealing personal data at rest
 * (secretbox) and the keyed hash that finds sealed data again. All of it on libsodium.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PARKD_KEYS_ERROR (parkd_keys_error_quark ())

typedef enum
{
  PARKD_KEYS_ERROR_FILE,        /* the key file is missing, unreadable or unsafe */
  PARKD_KEYS_ERROR_MALFORMED,   /* a token that is not a well-formed JWS */
  PARKD_KEYS_ERROR_ALGORITHM,   /* any "alg" other than EdDSA, "none" included */
  PARKD_KEYS_ERROR_UNKNOWN_KEY, /* a "kid" this server does not have */
  PARKD_KEYS_ERROR_SIGNATURE,   /* the signature does not verify */
  PARKD_KEYS_ERROR_SEALED,      /* sealed data that does not open */
} ParkdKeysError;

GQuark      parkd_keys_error_quark   (void);

typedef struct _ParkdKeys ParkdKeys;

/* Loads the key file, creating it (mode 0600) with one signing key and the sealing keys
 * when it does not exist. Refuses a file others can read. */
ParkdKeys  *parkd_keys_load          (const char  *path,
                                      GError     **error);
/* Adds a signing key to the file and makes it the one new tokens are signed with; tokens
 * signed with the older keys still verify until those are removed from the file. */
char       *parkd_keys_rotate        (const char  *path,
                                      GError     **error);
void        parkd_keys_free          (ParkdKeys   *self);

const char *parkd_keys_current_kid   (ParkdKeys   *self);
/* "header.payload.signature" for the JSON object text @payload. */
char       *parkd_keys_sign_jwt      (ParkdKeys   *self,
                                      const char  *payload);
/* Checks the form, the pinned algorithm, the key and the signature, and returns the payload
 * object. Claims (exp, aud, ...) are the caller's to check. */
JsonNode   *parkd_keys_verify_jwt    (ParkdKeys   *self,
                                      const char  *token,
                                      GError     **error);
/* The public keys as a JWKS document (RFC 7517, OKP keys of RFC 8037). */
GString    *parkd_keys_jwks          (ParkdKeys   *self);

/* nonce || secretbox(@plain). */
GBytes     *parkd_keys_seal          (ParkdKeys   *self,
                                      const char  *plain);
char       *parkd_keys_open          (ParkdKeys   *self,
                                      GBytes      *sealed,
                                      GError     **error);
/* Keyed BLAKE2b-256 of @text, for finding sealed values (plates) without opening them. */
GBytes     *parkd_keys_lookup_hash   (ParkdKeys   *self,
                                      const char  *text);

/* Plain BLAKE2b-256, for refresh tokens: 256 random bits need no key or slow hash. */
GBytes     *parkd_token_hash         (const char  *token);
/* @n_bytes random bytes as unpadded base64url. */
char       *parkd_random_token       (gsize        n_bytes);
char       *parkd_base64url_encode   (const guint8 *data,
                                      gsize         len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdKeys, parkd_keys_free)

G_END_DECLS
