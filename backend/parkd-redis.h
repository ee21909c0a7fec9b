/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-redis.h: the connection to Redis that replicas share (--redis redis://HOST[:PORT][/DB]).
 *
 * hiredis's asynchronous API on a GLib main context of its own, in a thread of its own, so
 * neither an event loop nor the publisher ever waits on a socket: commands go in from any
 * thread and their answers come back on the Redis thread. Two connections: one for commands,
 * one for the channels subscribed to. Both reconnect on their own; while one is down, every
 * command answers NULL at once, and a command Redis leaves unanswered for two seconds drops
 * the connection, so an answer (or NULL) always comes.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ParkdRedis ParkdRedis;

typedef enum
{
  PARKD_REDIS_REPLY_STRING = 1,   /* the values of hiredis's REDIS_REPLY_* */
  PARKD_REDIS_REPLY_ARRAY,
  PARKD_REDIS_REPLY_INTEGER,
  PARKD_REDIS_REPLY_NIL,
  PARKD_REDIS_REPLY_STATUS,
  PARKD_REDIS_REPLY_ERROR,
} ParkdRedisReplyType;

/* A copy of one answer, free of hiredis, so it may cross threads. */
typedef struct _ParkdRedisReply ParkdRedisReply;
struct _ParkdRedisReply
{
  ParkdRedisReplyType  type;
  gint64               integer;
  char                *str;         /* STRING, STATUS, ERROR */
  gsize                len;
  ParkdRedisReply    **element;     /* ARRAY */
  gsize                elements;
};

/* On the Redis thread, or at once on the caller's when Redis is known to be down. @reply
 * (borrowed) is NULL when Redis could not be asked or did not answer. */
typedef void (*ParkdRedisReplyFunc)   (const ParkdRedisReply *reply,
                                       gpointer               user_data);
/* On the Redis thread, for every message on a subscribed channel; @message NULL when the
 * subscription was (re)made, so whatever was published before may have been missed. */
typedef void (*ParkdRedisMessageFunc) (const char            *channel,
                                       const char            *message,
                                       gsize                  len,
                                       gpointer               user_data);

/* Checks a redis:// URL (host, port 1-65535, database 0-15) and takes its user (a Redis 6
 * ACL user; NULL for the default one) and password, if any. */
gboolean    parkd_redis_parse_url   (const char            *url,
                                     char                 **host,
                                     int                   *port,
                                     int                   *db,
                                     char                 **user,
                                     char                 **password,
                                     GError               **error);
ParkdRedis *parkd_redis_new         (const char            *url,
                                     GError               **error);
/* Before parkd_redis_start(). */
void        parkd_redis_subscribe   (ParkdRedis            *self,
                                     const char            *channel,
                                     ParkdRedisMessageFunc  func,
                                     gpointer               user_data);
void        parkd_redis_start       (ParkdRedis            *self);
void        parkd_redis_free        (ParkdRedis            *self);
/* Whether the command connection is up now. */
gboolean    parkd_redis_is_up       (ParkdRedis            *self);

/* From any thread; @func is called once (see ParkdRedisReplyFunc). */
void        parkd_redis_command     (ParkdRedis            *self,
                                     ParkdRedisReplyFunc    func,
                                     gpointer               user_data,
                                     int                    argc,
                                     const char           **argv,
                                     const gsize           *argvlen);
/* From any thread but the Redis thread: waits for the answer; NULL and @error when there is
 * none (Redis down or silent) or it is an error reply. */
ParkdRedisReply *parkd_redis_command_sync (ParkdRedis      *self,
                                     int                    argc,
                                     const char           **argv,
                                     const gsize           *argvlen,
                                     GError               **error);
void        parkd_redis_reply_free  (ParkdRedisReply       *reply);
void        parkd_redis_append_metrics (ParkdRedis         *self,
                                     GString               *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdRedis, parkd_redis_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdRedisReply, parkd_redis_reply_free)

G_END_DECLS
