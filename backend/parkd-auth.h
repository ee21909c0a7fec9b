/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-auth.h: who is asking, and how often.
 *
 * ParkdAuth issues and checks access tokens (on top of parkd-keys), remembers what was
 * revoked before it expires, and keeps the rate limits: token buckets per client address and
 * per account, a much stricter one for sign-in, registration and refresh, and a growing wait
 * after repeated failed sign-ins to one account. All of it may be called from any thread.
 */
#pragma once

#include "parkd-config.h"
#include "parkd-keys.h"
#include "parkd-redis.h"
#include "parkd-store.h"

G_BEGIN_DECLS

#define PARKD_ACCESS_TOKEN_SECONDS  (15 * 60)
#define PARKD_REFRESH_TOKEN_SECONDS (30 * 24 * 3600)

typedef struct
{
  char      user_id[40];
  char      email[256];
  ParkdRole role;
  char      operator_id[40];   /* staff only, else "" */
  char      jti[40];
  char      sid[40];           /* the token family this access token belongs to */
  gint64    exp;
} ParkdPrincipal;

typedef enum
{
  PARKD_LIMIT_ADDRESS,         /* every request from one client address */
  PARKD_LIMIT_ACCOUNT,         /* every request of one signed-in account */
  PARKD_LIMIT_AUTH,            /* sign-in, register, refresh from one address */
  PARKD_N_LIMITS
} ParkdLimit;

typedef struct _ParkdAuth ParkdAuth;

ParkdAuth *parkd_auth_new               (const ParkdConfig  *config,
                                         ParkdKeys          *keys);
void       parkd_auth_free              (ParkdAuth          *self);
ParkdKeys *parkd_auth_get_keys          (ParkdAuth          *self);
/* Replicas: revocations are told to the others through @redis (before it starts). */
void       parkd_auth_set_redis         (ParkdAuth          *self,
                                         ParkdRedis         *redis);
/* Loads what was revoked and has not expired yet (again now and then: what other replicas
 * revoked while Redis did not tell). */
gboolean   parkd_auth_load_revocations  (ParkdAuth          *self,
                                         ParkdStore         *store,
                                         GError            **error);

/* A signed access token for @user in token family @sid. */
char      *parkd_auth_issue_access      (ParkdAuth          *self,
                                         const ParkdUser    *user,
                                         const char         *sid);
/* Checks signature, algorithm, issuer, audience, times and revocation. The message of
 * @error is safe to show the client. */
gboolean   parkd_auth_verify            (ParkdAuth          *self,
                                         const char         *token,
                                         ParkdPrincipal     *principal,
                                         GError            **error);
void       parkd_auth_revoke_access     (ParkdAuth          *self,
                                         const char         *jti,
                                         gint64              exp);
void       parkd_auth_revoke_family     (ParkdAuth          *self,
                                         const char         *sid);
/* Ends every sign-in of @user_id (password changed, account disabled or removed): their
 * refresh tokens in @store (NULL when the account is gone), their access tokens here. */
void       parkd_auth_end_sessions      (ParkdAuth          *self,
                                         ParkdStore         *store,
                                         const char         *user_id,
                                         const char         *reason);

/* Whether @limit is configured at all (a rate of 0 turns it off). */
gboolean   parkd_auth_limit_active      (ParkdAuth          *self,
                                         ParkdLimit          limit);
/* Takes one token from the bucket of @key; FALSE (and the seconds to wait) when empty. */
gboolean   parkd_auth_rate_take         (ParkdAuth          *self,
                                         ParkdLimit          limit,
                                         const char         *key,
                                         int                *retry_after);
/* Seconds the next sign-in to @email must still wait, 0 when it may go ahead. */
int        parkd_auth_login_wait        (ParkdAuth          *self,
                                         const char         *email);
void       parkd_auth_login_failed      (ParkdAuth          *self,
                                         const char         *email);
void       parkd_auth_login_succeeded   (ParkdAuth          *self,
                                         const char         *email);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdAuth, parkd_auth_free)

G_END_DECLS
