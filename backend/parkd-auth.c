/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-auth.c: access tokens, revocation and rate limits, shared by every event loop.
 *
 * The state here is small and hot: a few hash tables, each behind its own mutex, touched once
 * per request. Tables that an attacker can grow (buckets per address, failures per account)
 * are swept of entries that carry no information any more (a full bucket, a failure streak
 * long past) and are capped.
 */
#include "config.h"

#include "parkd-auth.h"
#include "parkd-json.h"
#include "parkd-redis.h"

#include <math.h>
#include <string.h>

#define CLOCK_SKEW_S       60
#define MAX_TRACKED        100000
#define LOGIN_MAX_WAIT_S   G_GINT64_CONSTANT (15 * 60)
#define LOGIN_FORGET_S     G_GINT64_CONSTANT (60 * 60)
#define REVOKED_CHANNEL    "parkade:revoked"

typedef struct
{
  double  tokens;
  gint64  last_us;
} Bucket;

typedef struct
{
  GMutex      lock;
  GHashTable *buckets;       /* key -> Bucket */
  double      rate;          /* tokens per second; 0: no limit */
  double      burst;
  guint       takes;
} Limiter;

typedef struct
{
  guint   failures;
  gint64  last_us;
} Failures;

struct _ParkdAuth
{
  const ParkdConfig *config;
  ParkdKeys         *keys;

  GMutex             revoked_lock;
  GHashTable        *revoked_jtis;      /* jti -> expiry (µs, real time) */
  GHashTable        *revoked_sids;      /* family id -> when to forget it (µs) */
  GHashTable        *revoked_users;     /* user id -> tokens issued before (s) are refused */

  Limiter            limits[PARKD_N_LIMITS];

  GMutex             login_lock;
  GHashTable        *login_failures;    /* e-mail -> Failures */

  ParkdRedis        *redis;             /* replicas: revocations told to the others */
};

static void
limiter_init (Limiter *l,
              double   rate,
              double   burst)
{
  g_mutex_init (&l->lock);
  l->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  l->rate = rate;
  l->burst = MAX (burst, 1.0);
}

static void
limiter_clear (Limiter *l)
{
  g_hash_table_unref (l->buckets);
  g_mutex_clear (&l->lock);
}

ParkdAuth *
parkd_auth_new (const ParkdConfig *config,
                ParkdKeys         *keys)
{
  ParkdAuth *self = g_new0 (ParkdAuth, 1);

  self->config = config;
  self->keys = keys;
  g_mutex_init (&self->revoked_lock);
  self->revoked_jtis = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->revoked_sids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->revoked_users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  limiter_init (&self->limits[PARKD_LIMIT_ADDRESS], config->rate_limit, config->rate_burst);
  limiter_init (&self->limits[PARKD_LIMIT_ACCOUNT], config->account_rate_limit,
                2.0 * config->account_rate_limit);
  limiter_init (&self->limits[PARKD_LIMIT_AUTH], config->auth_rate_limit / 60.0,
                config->auth_rate_limit);
  g_mutex_init (&self->login_lock);
  self->login_failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
parkd_auth_free (ParkdAuth *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->revoked_jtis);
  g_hash_table_unref (self->revoked_sids);
  g_hash_table_unref (self->revoked_users);
  g_mutex_clear (&self->revoked_lock);
  for (guint i = 0; i < PARKD_N_LIMITS; i++)
    limiter_clear (&self->limits[i]);
  g_hash_table_unref (self->login_failures);
  g_mutex_clear (&self->login_lock);
  g_free (self);
}

ParkdKeys *
parkd_auth_get_keys (ParkdAuth *self)
{
  return self->keys;
}

gboolean
parkd_auth_load_revocations (ParkdAuth   *self,
                             ParkdStore  *store,
                             GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) since_dt = g_date_time_add_seconds (now, -PARKD_ACCESS_TOKEN_SECONDS);
  g_autofree char *since = g_date_time_format (since_dt, "%Y-%m-%dT%H:%M:%SZ");
  g_autoptr(GPtrArray) jtis = NULL;
  g_autoptr(GPtrArray) families = NULL;
  gint64 forget = g_get_real_time () + PARKD_ACCESS_TOKEN_SECONDS * G_USEC_PER_SEC;

  if (!parkd_store_load_revocations (store, since, &jtis, &families, error))
    return FALSE;

  g_mutex_lock (&self->revoked_lock);
  /* The expiry of a revoked jti is not kept with it; holding each for a full token lifetime
   * is never shorter than needed. */
  for (guint i = 0; i < jtis->len; i++)
    g_hash_table_insert (self->revoked_jtis, g_strdup (g_ptr_array_index (jtis, i)),
                         GSIZE_TO_POINTER ((gsize) forget));
  for (guint i = 0; i < families->len; i++)
    g_hash_table_insert (self->revoked_sids, g_strdup (g_ptr_array_index (families, i)),
                         GSIZE_TO_POINTER ((gsize) forget));
  g_mutex_unlock (&self->revoked_lock);
  return TRUE;
}

char *
parkd_auth_issue_access (ParkdAuth       *self,
                         const ParkdUser *user,
                         const char      *sid)
{
  g_autoptr(GString) payload = g_string_sized_new (384);
  g_autofree char *jti = g_uuid_string_random ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_string_append_c (payload, '{');
  parkd_json_append_member (payload, "iss");
  parkd_json_append_string (payload, self->config->issuer);
  parkd_json_append_member (payload, "aud");
  parkd_json_append_string (payload, self->config->audience);
  parkd_json_append_member (payload, "sub");
  parkd_json_append_string (payload, user->id);
  parkd_json_append_member (payload, "email");
  parkd_json_append_string (payload, user->email);
  parkd_json_append_member (payload, "roles");
  g_string_append_c (payload, '[');
  parkd_json_append_string (payload, parkd_role_to_string (user->role));
  g_string_append_c (payload, ']');
  if (user->operator_id != NULL)
    {
      parkd_json_append_member (payload, "operator");
      parkd_json_append_string (payload, user->operator_id);
    }
  parkd_json_append_member (payload, "sid");
  parkd_json_append_string (payload, sid);
  parkd_json_append_member (payload, "jti");
  parkd_json_append_string (payload, jti);
  parkd_json_append_member (payload, "iat");
  parkd_json_append_int (payload, now);
  parkd_json_append_member (payload, "exp");
  parkd_json_append_int (payload, now + PARKD_ACCESS_TOKEN_SECONDS);
  g_string_append_c (payload, '}');

  return parkd_keys_sign_jwt (self->keys, payload->str);
}

static const char *
claim_string (JsonObject *claims,
              const char *name)
{
  JsonNode *node = json_object_get_member (claims, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
claim_int (JsonObject *claims,
           const char *name,
           gint64     *value)
{
  JsonNode *node = json_object_get_member (claims, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
audience_matches (JsonObject *claims,
                  const char *audience)
{
  JsonNode *node = json_object_get_member (claims, "aud");

  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (node))
    return json_node_get_value_type (node) == G_TYPE_STRING &&
           g_str_equal (json_node_get_string (node), audience);
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *e = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING &&
              g_str_equal (json_node_get_string (e), audience))
            return TRUE;
        }
    }
  return FALSE;
}

static gboolean
fail (GError    **error,
      const char *message)
{
  g_set_error_literal (error, PARKD_KEYS_ERROR, PARKD_KEYS_ERROR_MALFORMED, message);
  return FALSE;
}

gboolean
parkd_auth_verify (ParkdAuth      *self,
                   const char     *token,
                   ParkdPrincipal *principal,
                   GError        **error)
{
  g_autoptr(JsonNode) payload = NULL;
  JsonObject *claims;
  JsonNode *roles;
  const char *iss, *sub, *email, *jti, *sid, *op;
  gint64 exp, iat, nbf, now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean revoked;

  memset (principal, 0, sizeof *principal);
  payload = parkd_keys_verify_jwt (self->keys, token, error);
  if (payload == NULL)
    return FALSE;
  claims = json_node_get_object (payload);

  iss = claim_string (claims, "iss");
  if (iss == NULL || !g_str_equal (iss, self->config->issuer))
    return fail (error, "The token was issued by someone else");
  if (!audience_matches (claims, self->config->audience))
    return fail (error, "The token is meant for another audience");
  if (!claim_int (claims, "exp", &exp) || !claim_int (claims, "iat", &iat))
    return fail (error, "The token has no valid lifetime");
  if (exp <= now)
    return fail (error, "The token has expired");
  if (iat > now + CLOCK_SKEW_S || exp - iat > PARKD_ACCESS_TOKEN_SECONDS)
    return fail (error, "The token has no valid lifetime");
  if (json_object_has_member (claims, "nbf") &&
      (!claim_int (claims, "nbf", &nbf) || nbf > now + CLOCK_SKEW_S))
    return fail (error, "The token is not valid yet");

  sub = claim_string (claims, "sub");
  email = claim_string (claims, "email");
  jti = claim_string (claims, "jti");
  sid = claim_string (claims, "sid");
  op = claim_string (claims, "operator");
  roles = json_object_get_member (claims, "roles");
  if (sub == NULL || email == NULL || jti == NULL || sid == NULL ||
      strlen (sub) >= sizeof principal->user_id || strlen (email) >= sizeof principal->email ||
      strlen (jti) >= sizeof principal->jti || strlen (sid) >= sizeof principal->sid ||
      (op != NULL && strlen (op) >= sizeof principal->operator_id) ||
      roles == NULL || !JSON_NODE_HOLDS_ARRAY (roles) ||
      json_array_get_length (json_node_get_array (roles)) != 1 ||
      json_array_get_string_element (json_node_get_array (roles), 0) == NULL ||
      !parkd_role_from_string (json_array_get_string_element (json_node_get_array (roles), 0),
                               &principal->role))
    return fail (error, "The token lacks a claim parkd needs");
  if ((principal->role == PARKD_ROLE_ATTENDANT || principal->role == PARKD_ROLE_OPERATOR) !=
      (op != NULL))
    return fail (error, "The token lacks a claim parkd needs");

  g_mutex_lock (&self->revoked_lock);
  revoked = g_hash_table_contains (self->revoked_jtis, jti) ||
            g_hash_table_contains (self->revoked_sids, sid) ||
            iat < (gint64) GPOINTER_TO_SIZE (g_hash_table_lookup (self->revoked_users, sub));
  g_mutex_unlock (&self->revoked_lock);
  if (revoked)
    return fail (error, "The token was revoked");

  g_strlcpy (principal->user_id, sub, sizeof principal->user_id);
  g_strlcpy (principal->email, email, sizeof principal->email);
  g_strlcpy (principal->jti, jti, sizeof principal->jti);
  g_strlcpy (principal->sid, sid, sizeof principal->sid);
  if (op != NULL)
    g_strlcpy (principal->operator_id, op, sizeof principal->operator_id);
  principal->exp = exp;
  return TRUE;
}

static void
sweep_expired (GHashTable *table,
               gint64      now)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if ((gint64) GPOINTER_TO_SIZE (value) <= now)
      g_hash_table_iter_remove (&iter);
}

static void
announced_cb (const ParkdRedisReply *reply,
              gpointer               user_data)
{
}

/* Tells the other replicas at once; they also reload what the database holds now and then,
 * for what they missed while Redis was away. */
static void
announce (ParkdAuth  *self,
          const char *what,
          const char *id,
          gint64      when)
{
  g_autofree char *message = NULL;
  const char *argv[3];

  if (self->redis == NULL)
    return;
  message = g_strdup_printf ("%s %s %" G_GINT64_FORMAT, what, id, when);
  argv[0] = "PUBLISH";
  argv[1] = REVOKED_CHANNEL;
  argv[2] = message;
  parkd_redis_command (self->redis, announced_cb, NULL, 3, argv, NULL);
}

static void
revoke_access (ParkdAuth  *self,
               const char *jti,
               gint64      exp)
{
  gint64 now = g_get_real_time ();

  g_mutex_lock (&self->revoked_lock);
  sweep_expired (self->revoked_jtis, now);
  g_hash_table_insert (self->revoked_jtis, g_strdup (jti),
                       GSIZE_TO_POINTER ((gsize) (exp * G_USEC_PER_SEC)));
  g_mutex_unlock (&self->revoked_lock);
}

static void
revoke_family (ParkdAuth  *self,
               const char *sid)
{
  gint64 now = g_get_real_time ();

  g_mutex_lock (&self->revoked_lock);
  sweep_expired (self->revoked_sids, now);
  g_hash_table_insert (self->revoked_sids, g_strdup (sid),
                       GSIZE_TO_POINTER ((gsize) (now + PARKD_ACCESS_TOKEN_SECONDS * G_USEC_PER_SEC)));
  g_mutex_unlock (&self->revoked_lock);
}

static void
revoke_user (ParkdAuth  *self,
             const char *user_id,
             gint64      since_s)
{
  gint64 now_s = g_get_real_time () / G_USEC_PER_SEC;
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&self->revoked_lock);
  /* Entries older than a token's lifetime refuse nothing that is not expired anyway. */
  g_hash_table_iter_init (&iter, self->revoked_users);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if ((gint64) GPOINTER_TO_SIZE (value) + PARKD_ACCESS_TOKEN_SECONDS < now_s)
      g_hash_table_iter_remove (&iter);
  g_hash_table_insert (self->revoked_users, g_strdup (user_id),
                       GSIZE_TO_POINTER ((gsize) since_s));
  g_mutex_unlock (&self->revoked_lock);
}

void
parkd_auth_revoke_access (ParkdAuth  *self,
                          const char *jti,
                          gint64      exp)
{
  revoke_access (self, jti, exp);
  announce (self, "jti", jti, exp);
}

void
parkd_auth_revoke_family (ParkdAuth  *self,
                          const char *sid)
{
  revoke_family (self, sid);
  announce (self, "sid", sid, 0);
}

void
parkd_auth_end_sessions (ParkdAuth  *self,
                         ParkdStore *store,
                         const char *user_id,
                         const char *reason)
{
  g_autoptr(GPtrArray) families = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now_s = g_get_real_time () / G_USEC_PER_SEC;

  if (store != NULL)
    {
      if (!parkd_store_revoke_user_sessions (store, user_id, reason, &families, &error))
        g_warning ("user %s: cannot end the sign-ins: %s", user_id, error->message);
      for (guint i = 0; families != NULL && i < families->len; i++)
        parkd_auth_revoke_family (self, g_ptr_array_index (families, i));
      return;
    }

  /* The account is gone with its families: refuse whatever it was issued up to now. */
  revoke_user (self, user_id, now_s + 1);
  announce (self, "user", user_id, now_s + 1);
}

/* On the Redis thread: another replica revoked something. */
static void
on_revoked_message (const char *channel,
                    const char *message,
                    gsize       len,
                    gpointer    user_data)
{
  ParkdAuth *self = user_data;
  g_auto(GStrv) parts = NULL;
  gint64 when;

  if (message == NULL)
    return;
  parts = g_strsplit (message, " ", 3);
  if (g_strv_length (parts) != 3 || strlen (parts[1]) == 0 || strlen (parts[1]) > 64)
    return;
  when = g_ascii_strtoll (parts[2], NULL, 10);
  if (g_str_equal (parts[0], "jti"))
    revoke_access (self, parts[1], when);
  else if (g_str_equal (parts[0], "sid"))
    revoke_family (self, parts[1]);
  else if (g_str_equal (parts[0], "user"))
    revoke_user (self, parts[1], when);
}

void
parkd_auth_set_redis (ParkdAuth  *self,
                      ParkdRedis *redis)
{
  self->redis = redis;
  parkd_redis_subscribe (redis, REVOKED_CHANNEL, on_revoked_message, self);
}

/* Drops buckets that have filled up again: they hold nothing a new bucket would not. */
static void
limiter_sweep (Limiter *l,
               gint64   now)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, l->buckets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Bucket *b = value;

      if (b->tokens + (now - b->last_us) / 1e6 * l->rate >= l->burst)
        g_hash_table_iter_remove (&iter);
    }
}

gboolean
parkd_auth_limit_active (ParkdAuth  *self,
                         ParkdLimit  limit)
{
  return self->limits[limit].rate > 0;
}

gboolean
parkd_auth_rate_take (ParkdAuth  *self,
                      ParkdLimit  limit,
                      const char *key,
                      int        *retry_after)
{
  Limiter *l = &self->limits[limit];
  gint64 now;
  Bucket *b;
  gboolean ok;

  *retry_after = 0;
  if (l->rate <= 0)
    return TRUE;

  now = g_get_monotonic_time ();
  g_mutex_lock (&l->lock);
  if (++l->takes % 4096 == 0 || g_hash_table_size (l->buckets) >= MAX_TRACKED)
    limiter_sweep (l, now);
  b = g_hash_table_lookup (l->buckets, key);
  if (b == NULL)
    {
      if (g_hash_table_size (l->buckets) >= MAX_TRACKED)
        {
          /* Flooded with fresh addresses: refuse newcomers until buckets fill up again,
           * rather than forget the ones that are being limited. */
          g_mutex_unlock (&l->lock);
          *retry_after = 1;
          return FALSE;
        }
      b = g_new (Bucket, 1);
      b->tokens = l->burst;
      b->last_us = now;
      g_hash_table_insert (l->buckets, g_strdup (key), b);
    }
  b->tokens = MIN (l->burst, b->tokens + (now - b->last_us) / 1e6 * l->rate);
  b->last_us = now;
  ok = b->tokens >= 1.0;
  if (ok)
    b->tokens -= 1.0;
  else
    *retry_after = MAX (1, (int) ceil ((1.0 - b->tokens) / l->rate));
  g_mutex_unlock (&l->lock);
  return ok;
}

static int
login_wait_for (ParkdAuth *self,
                guint      failures,
                gint64     last_us,
                gint64     now)
{
  guint over;
  gint64 wait_us;

  if (failures < (guint) self->config->login_free_failures)
    return 0;
  over = failures - self->config->login_free_failures;
  wait_us = (over >= 10 ? LOGIN_MAX_WAIT_S : MIN (LOGIN_MAX_WAIT_S, G_GINT64_CONSTANT (1) << over)) * G_USEC_PER_SEC;
  if (now >= last_us + wait_us)
    return 0;
  return (int) ((last_us + wait_us - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

static int
login_wait_locked (ParkdAuth *self,
                   Failures  *f,
                   gint64     now)
{
  if (f == NULL)
    return 0;
  return login_wait_for (self, f->failures, f->last_us, now);
}

/* Replicas count an account's failed sign-ins in Redis, so trying each replica in turn wins
 * nothing: a hash per account (keyed by a keyed hash of the e-mail, which Redis never sees)
 * with the count and the time of the last failure, on Redis's clock. These run on the
 * blocking pool, where waiting for Redis holds up no event loop; when Redis does not answer,
 * the replica's own count stands in. */
static const char login_script[] =
  "local t = redis.call ('TIME')\n"
  "local now = tonumber (t[1]) * 1000000 + tonumber (t[2])\n"
  "if ARGV[1] == 'fail' then\n"
  "  local at = tonumber (redis.call ('HGET', KEYS[1], 'at') or '0')\n"
  "  if now - at > tonumber (ARGV[2]) * 1000000 then redis.call ('DEL', KEYS[1]) end\n"
  "  redis.call ('HINCRBY', KEYS[1], 'n', 1)\n"
  "  redis.call ('HSET', KEYS[1], 'at', tostring (now))\n"
  "  redis.call ('EXPIRE', KEYS[1], ARGV[2])\n"
  "end\n"
  "local b = redis.call ('HMGET', KEYS[1], 'n', 'at')\n"
  "return {tonumber (b[1] or '0'), tonumber (b[2] or '0'), now}\n";

static char *
login_key (ParkdAuth  *self,
           const char *email)
{
  g_autoptr(GBytes) hash = parkd_keys_lookup_hash (self->keys, email);
  gsize len;
  const guint8 *data = g_bytes_get_data (hash, &len);
  GString *key = g_string_new ("parkade:login:");

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (key, "%02x", data[i]);
  return g_string_free (key, FALSE);
}

/* TRUE when Redis answered: @wait is then the seconds the next sign-in must wait. */
static gboolean
login_shared (ParkdAuth  *self,
              const char *email,
              const char *what,
              int        *wait)
{
  g_autofree char *key = NULL, *forget = NULL;
  g_autoptr(ParkdRedisReply) reply = NULL;
  const char *argv[6];

  if (self->redis == NULL)
    return FALSE;
  key = login_key (self, email);
  forget = g_strdup_printf ("%" G_GINT64_FORMAT, LOGIN_FORGET_S);
  argv[0] = "EVAL";
  argv[1] = login_script;
  argv[2] = "1";
  argv[3] = key;
  argv[4] = what;
  argv[5] = forget;
  reply = parkd_redis_command_sync (self->redis, 6, argv, NULL, NULL);
  if (reply == NULL || reply->type != PARKD_REDIS_REPLY_ARRAY || reply->elements != 3)
    return FALSE;
  *wait = login_wait_for (self, (guint) reply->element[0]->integer,
                          reply->element[1]->integer, reply->element[2]->integer);
  return TRUE;
}

int
parkd_auth_login_wait (ParkdAuth  *self,
                       const char *email)
{
  int wait;

  if (login_shared (self, email, "look", &wait))
    return wait;
  g_mutex_lock (&self->login_lock);
  wait = login_wait_locked (self, g_hash_table_lookup (self->login_failures, email),
                            g_get_monotonic_time ());
  g_mutex_unlock (&self->login_lock);
  return wait;
}

void
parkd_auth_login_failed (ParkdAuth  *self,
                         const char *email)
{
  gint64 now = g_get_monotonic_time ();
  Failures *f;
  int wait;

  if (login_shared (self, email, "fail", &wait))
    return;
  g_mutex_lock (&self->login_lock);
  if (g_hash_table_size (self->login_failures) >= MAX_TRACKED)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->login_failures);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (((Failures *) value)->last_us + LOGIN_FORGET_S * G_USEC_PER_SEC < now ||
            login_wait_locked (self, value, now) == 0)
          g_hash_table_iter_remove (&iter);
    }
  f = g_hash_table_lookup (self->login_failures, email);
  if (f != NULL && f->last_us + LOGIN_FORGET_S * G_USEC_PER_SEC < now)
    f->failures = 0;
  if (f == NULL && g_hash_table_size (self->login_failures) < MAX_TRACKED)
    {
      f = g_new0 (Failures, 1);
      g_hash_table_insert (self->login_failures, g_strdup (email), f);
    }
  if (f != NULL)
    {
      f->failures++;
      f->last_us = now;
    }
  g_mutex_unlock (&self->login_lock);
}

void
parkd_auth_login_succeeded (ParkdAuth  *self,
                            const char *email)
{
  if (self->redis != NULL)
    {
      g_autofree char *key = login_key (self, email);
      const char *argv[] = { "DEL", key };
      g_autoptr(ParkdRedisReply) reply = parkd_redis_command_sync (self->redis, 2, argv, NULL,
                                                                   NULL);
    }
  g_mutex_lock (&self->login_lock);
  g_hash_table_remove (self->login_failures, email);
  g_mutex_unlock (&self->login_lock);
}
