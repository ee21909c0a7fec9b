/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-redis.c: Redis for replicas, on hiredis's asynchronous API (parkd-redis.h).
 *
 * hiredis 0.14 has no time-outs of its own in the asynchronous API: a tick on the Redis
 * thread drops a connection that takes more than CONNECT_TIMEOUT_US to come up, or leaves its
 * oldest command unanswered longer than REPLY_TIMEOUT_US, and hiredis then answers every
 * command still waiting with NULL. hiredis's own GLib adapter (adapters/glib.h) would run
 * hiredis on a context it freed when a connect fails while both directions are ready, so the
 * source here forgets the context as hiredis cleans up.
 */
#include "config.h"

#include "parkd-redis.h"

#include <gio/gio.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <string.h>

#define TICK_MS            250
#define RETRY_US           (500 * G_TIME_SPAN_MILLISECOND)
#define CONNECT_TIMEOUT_US (2 * G_USEC_PER_SEC)
#define REPLY_TIMEOUT_US   (2 * G_USEC_PER_SEC)
#define SYNC_TIMEOUT_US    (3 * G_USEC_PER_SEC)
#define HEARTBEAT_US       G_USEC_PER_SEC

typedef struct
{
  GSource             source;
  redisAsyncContext  *ac;
  GPollFD             pfd;
} HiredisSource;

typedef struct
{
  ParkdRedis         *redis;
  const char         *name;      /* for the log */
  gboolean            subscriber;
  redisAsyncContext  *ac;        /* NULL while down */
  gboolean            up;
  gboolean            was_up;    /* said so in the log: tell when it goes */
  gint64              since_us;  /* connecting since */
  gint64              retry_at_us;
  gint64              sent_us;   /* the last command sent */
  GQueue              waiting;   /* Waiting *, oldest first */
} Conn;

typedef struct _Command Command;

typedef struct
{
  Conn                *conn;
  ParkdRedisReplyFunc  func;
  gpointer             data;
  gint64               sent_us;
  gboolean             internal;  /* AUTH, SELECT, PING: the connection's own */
  Command             *retry;     /* sent as EVALSHA: the EVAL to send if Redis lacks it */
} Waiting;

typedef struct
{
  char                  *channel;
  ParkdRedisMessageFunc  func;
  gpointer               data;
} Subscription;

struct _ParkdRedis
{
  char          *host;
  int            port;
  int            db;
  char          *user;
  char          *password;
  char          *refusal;     /* the refusal logged, until a connection comes up */

  GMainContext  *context;
  GMainLoop     *loop;
  GThread       *thread;
  gboolean       stopping;    /* atomic */
  GSource       *tick;

  Conn           cmd;
  Conn           sub;
  GPtrArray     *subscriptions;  /* Subscription * */

  GMutex         queue_lock;
  GQueue         queued;        /* Command * handed over, not sent yet */
  GHashTable    *scripts;       /* script -> its SHA1, Redis thread only */

  gint           up;            /* atomic mirror of cmd.up */
  gint           commands;      /* atomic counters */
  gint           failed;
};

struct _Command
{
  ParkdRedis          *redis;
  ParkdRedisReplyFunc  func;
  gpointer             data;
  int                  argc;
  char               **argv;
  gsize               *argvlen;
};

/* ---- The GSource ---------------------------------------------------------------------- */

static void
source_add_read (void *data)
{
  ((HiredisSource *) data)->pfd.events |= G_IO_IN;
}

static void
source_del_read (void *data)
{
  ((HiredisSource *) data)->pfd.events &= ~G_IO_IN;
}

static void
source_add_write (void *data)
{
  ((HiredisSource *) data)->pfd.events |= G_IO_OUT;
}

static void
source_del_write (void *data)
{
  ((HiredisSource *) data)->pfd.events &= ~G_IO_OUT;
}

/* hiredis is about to free its context: the source must not touch it again. */
static void
source_cleanup (void *data)
{
  HiredisSource *source = data;

  source->ac = NULL;
  if (source->pfd.fd >= 0)
    {
      g_source_remove_poll (&source->source, &source->pfd);
      source->pfd.fd = -1;
    }
  g_source_destroy (&source->source);
}

static gboolean
source_ready (HiredisSource *source)
{
  return source->ac != NULL &&
         (source->pfd.revents & (source->pfd.events | G_IO_HUP | G_IO_ERR)) != 0;
}

static gboolean
source_prepare (GSource *source,
                int     *timeout)
{
  *timeout = -1;
  return FALSE;
}

static gboolean
source_check (GSource *source)
{
  return source_ready ((HiredisSource *) source);
}

static gboolean
source_dispatch (GSource     *gsource,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  HiredisSource *source = (HiredisSource *) gsource;
  gushort revents = source->pfd.revents;

  source->pfd.revents = 0;
  if ((revents & (G_IO_OUT | G_IO_HUP | G_IO_ERR)) && (source->pfd.events & G_IO_OUT) &&
      source->ac != NULL)
    redisAsyncHandleWrite (source->ac);
  if ((revents & (G_IO_IN | G_IO_HUP | G_IO_ERR)) && source->ac != NULL)
    redisAsyncHandleRead (source->ac);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs source_funcs = {
  .prepare = source_prepare,
  .check = source_check,
  .dispatch = source_dispatch,
};

static void
source_attach (redisAsyncContext *ac,
               GMainContext      *context)
{
  HiredisSource *source = (HiredisSource *) g_source_new (&source_funcs, sizeof *source);

  g_source_set_name (&source->source, "parkd-redis");
  source->ac = ac;
  source->pfd.fd = ac->c.fd;
  g_source_add_poll (&source->source, &source->pfd);
  ac->ev.addRead = source_add_read;
  ac->ev.delRead = source_del_read;
  ac->ev.addWrite = source_add_write;
  ac->ev.delWrite = source_del_write;
  ac->ev.cleanup = source_cleanup;
  ac->ev.data = source;
  g_source_attach (&source->source, context);
  g_source_unref (&source->source);
}

/* ---- Replies -------------------------------------------------------------------------- */

static ParkdRedisReply *
reply_copy (const redisReply *r)
{
  ParkdRedisReply *copy = g_new0 (ParkdRedisReply, 1);

  copy->type = r->type;
  copy->integer = r->integer;
  if (r->str != NULL)
    {
      copy->str = g_strndup (r->str, r->len);
      copy->len = r->len;
    }
  if (r->type == REDIS_REPLY_ARRAY && r->elements > 0)
    {
      copy->elements = r->elements;
      copy->element = g_new0 (ParkdRedisReply *, r->elements);
      for (gsize i = 0; i < r->elements; i++)
        copy->element[i] = reply_copy (r->element[i]);
    }
  return copy;
}

static ParkdRedisReply *
reply_dup (const ParkdRedisReply *r)
{
  ParkdRedisReply *copy = g_new0 (ParkdRedisReply, 1);

  *copy = *r;
  copy->str = r->str != NULL ? g_strndup (r->str, r->len) : NULL;
  if (r->elements > 0)
    {
      copy->element = g_new0 (ParkdRedisReply *, r->elements);
      for (gsize i = 0; i < r->elements; i++)
        copy->element[i] = reply_dup (r->element[i]);
    }
  return copy;
}

void
parkd_redis_reply_free (ParkdRedisReply *reply)
{
  if (reply == NULL)
    return;
  for (gsize i = 0; i < reply->elements; i++)
    parkd_redis_reply_free (reply->element[i]);
  g_free (reply->element);
  g_free (reply->str);
  g_free (reply);
}

/* ---- Connections ---------------------------------------------------------------------- */

static void conn_connect (Conn *conn);

static void
conn_went_down (Conn       *conn,
                const char *why)
{
  ParkdRedis *self = conn->redis;

  conn->ac = NULL;
  conn->up = FALSE;
  conn->retry_at_us = g_get_monotonic_time () + RETRY_US;
  if (!conn->subscriber)
    g_atomic_int_set (&self->up, FALSE);
  if (conn->was_up && !g_atomic_int_get (&self->stopping))
    g_warning ("Redis at %s:%d: %s connection lost: %s", self->host, self->port, conn->name,
               why != NULL && *why != '\0' ? why : "closed");
  conn->was_up = FALSE;
}

static void
conn_came_up (Conn *conn)
{
  ParkdRedis *self = conn->redis;

  conn->up = TRUE;
  conn->was_up = TRUE;
  if (!conn->subscriber)
    g_atomic_int_set (&self->up, TRUE);
  g_clear_pointer (&self->refusal, g_free);
  g_message ("Redis at %s:%d: %s connection up", self->host, self->port, conn->name);
}

static void
on_connect (const redisAsyncContext *ac,
            int                      status)
{
  Conn *conn = ac->data;

  if (status != REDIS_OK)
    {
      g_debug ("Redis at %s:%d: cannot connect: %s", conn->redis->host, conn->redis->port,
               ac->errstr);
      conn_went_down (conn, ac->errstr);
    }
}

static void
on_disconnect (const redisAsyncContext *ac,
               int                      status)
{
  Conn *conn = ac->data;

  conn_went_down (conn, status == REDIS_OK ? NULL : ac->errstr);
}

static Waiting *conn_send (Conn *conn, ParkdRedisReplyFunc func, gpointer data,
                           gboolean internal, int argc, const char **argv,
                           const size_t *argvlen);
static void command_free (Command *cmd);

static void
on_reply (redisAsyncContext *ac,
          void              *r,
          void              *privdata)
{
  Waiting *w = privdata;
  Conn *conn = w->conn;
  redisReply *reply = r;

  g_queue_remove (&conn->waiting, w);
  /* A script Redis does not have (it restarted, or never saw it): sent once in full, and
   * Redis keeps it for EVALSHA from then on. */
  if (w->retry != NULL && reply != NULL && reply->type == REDIS_REPLY_ERROR &&
      g_str_has_prefix (reply->str, "NOSCRIPT") && conn->ac != NULL)
    {
      Command *cmd = g_steal_pointer (&w->retry);

      if (conn_send (conn, w->func, w->data, FALSE, cmd->argc, (const char **) cmd->argv,
                     cmd->argvlen) == NULL)
        w->func (NULL, w->data);
      command_free (cmd);
      g_free (w);
      return;
    }
  g_clear_pointer (&w->retry, command_free);
  if (w->func != NULL)
    {
      g_autoptr(ParkdRedisReply) copy = reply != NULL ? reply_copy (reply) : NULL;

      if (copy == NULL && !w->internal)
        g_atomic_int_inc (&conn->redis->failed);
      w->func (copy, w->data);
    }
  g_free (w);
}

/* Redis said no (a wrong password, an ACL): said once in the log, not at every retry (nor
 * for the NOAUTH that the commands after a refused AUTH get), until a connection comes up. */
static void
conn_refused (Conn       *conn,
              const char *why)
{
  ParkdRedis *self = conn->redis;

  if (self->refusal == NULL)
    {
      g_warning ("Redis at %s:%d refuses parkd: %s (trying again until it accepts)",
                 self->host, self->port, why);
      self->refusal = g_strdup (why);
    }
  redisAsyncDisconnect (conn->ac);
}

/* AUTH, SELECT and PING answered: the command connection is ready, or not. */
static void
on_ready (const ParkdRedisReply *reply,
          gpointer               user_data)
{
  Conn *conn = user_data;

  if (reply == NULL || conn->ac == NULL)
    return;
  if (reply->type == PARKD_REDIS_REPLY_ERROR)
    {
      conn_refused (conn, reply->str);
      return;
    }
  conn_came_up (conn);
}

static void
on_setup_reply (const ParkdRedisReply *reply,
                gpointer               user_data)
{
  Conn *conn = user_data;

  if (reply != NULL && reply->type == PARKD_REDIS_REPLY_ERROR && conn->ac != NULL)
    conn_refused (conn, reply->str);
}

static Waiting *
conn_send (Conn                *conn,
           ParkdRedisReplyFunc  func,
           gpointer             data,
           gboolean             internal,
           int                  argc,
           const char         **argv,
           const size_t        *argvlen)
{
  Waiting *w = g_new0 (Waiting, 1);

  w->conn = conn;
  w->func = func;
  w->data = data;
  w->internal = internal;
  w->sent_us = g_get_monotonic_time ();
  if (redisAsyncCommandArgv (conn->ac, on_reply, w, argc, argv, argvlen) != REDIS_OK)
    {
      g_free (w);
      return NULL;
    }
  g_queue_push_tail (&conn->waiting, w);
  conn->sent_us = w->sent_us;
  return w;
}

/* Every message of the subscriber connection: subscribe confirmations, then messages. */
static void
on_message (redisAsyncContext *ac,
            void              *r,
            void              *privdata)
{
  Conn *conn = privdata;
  ParkdRedis *self = conn->redis;
  redisReply *reply = r;
  const char *kind;

  if (reply == NULL || reply->type != REDIS_REPLY_ARRAY || reply->elements < 3 ||
      reply->element[0]->type != REDIS_REPLY_STRING ||
      reply->element[1]->type != REDIS_REPLY_STRING)
    return;
  kind = reply->element[0]->str;
  for (guint i = 0; i < self->subscriptions->len; i++)
    {
      Subscription *s = g_ptr_array_index (self->subscriptions, i);

      if (!g_str_equal (s->channel, reply->element[1]->str))
        continue;
      if (g_str_equal (kind, "subscribe"))
        {
          if (!conn->up)
            conn_came_up (conn);
          s->func (s->channel, NULL, 0, s->data);
        }
      else if (g_str_equal (kind, "message") && reply->element[2]->type == REDIS_REPLY_STRING)
        s->func (s->channel, reply->element[2]->str, reply->element[2]->len, s->data);
    }
}

static void
conn_connect (Conn *conn)
{
  ParkdRedis *self = conn->redis;
  redisAsyncContext *ac = redisAsyncConnect (self->host, self->port);
  g_autofree char *db = g_strdup_printf ("%d", self->db);

  if (ac == NULL)
    return;
  if (ac->err)
    {
      g_debug ("Redis at %s:%d: cannot connect: %s", self->host, self->port, ac->errstr);
      redisAsyncFree (ac);
      conn->retry_at_us = g_get_monotonic_time () + RETRY_US;
      return;
    }
  ac->data = conn;
  conn->ac = ac;
  conn->up = FALSE;
  conn->since_us = g_get_monotonic_time ();
  source_attach (ac, self->context);
  redisAsyncSetConnectCallback (ac, on_connect);
  redisAsyncSetDisconnectCallback (ac, on_disconnect);

  /* AUTH USER PASSWORD signs in as a Redis 6 ACL user; AUTH PASSWORD as the default one. */
  if (self->password != NULL && self->user != NULL)
    {
      const char *argv[] = { "AUTH", self->user, self->password };

      conn_send (conn, on_setup_reply, conn, TRUE, 3, argv, NULL);
    }
  else if (self->password != NULL)
    {
      const char *argv[] = { "AUTH", self->password };

      conn_send (conn, on_setup_reply, conn, TRUE, 2, argv, NULL);
    }
  if (self->db != 0)
    {
      const char *argv[] = { "SELECT", db };

      conn_send (conn, on_setup_reply, conn, TRUE, 2, argv, NULL);
    }
  if (conn->subscriber)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();

      g_ptr_array_add (argv, (char *) "SUBSCRIBE");
      for (guint i = 0; i < self->subscriptions->len; i++)
        g_ptr_array_add (argv, ((Subscription *) g_ptr_array_index (self->subscriptions,
                                                                     i))->channel);
      redisAsyncCommandArgv (ac, on_message, conn, argv->len, (const char **) argv->pdata, NULL);
    }
  else
    {
      const char *argv[] = { "PING" };

      conn_send (conn, on_ready, conn, TRUE, 1, argv, NULL);
    }
}

/* Connects what is down, and drops what hangs. */
static void
conn_tick (Conn   *conn,
           gint64  now)
{
  Waiting *oldest;

  if (conn->ac == NULL)
    {
      if (now >= conn->retry_at_us)
        conn_connect (conn);
      return;
    }
  oldest = g_queue_peek_head (&conn->waiting);
  if ((!conn->up && now - conn->since_us > CONNECT_TIMEOUT_US) ||
      (oldest != NULL && now - oldest->sent_us > REPLY_TIMEOUT_US))
    {
      redisAsyncContext *ac = conn->ac;

      /* redisAsyncFree answers what waits with NULL and calls on_disconnect only when the
       * connection was up: the state is reset here either way. */
      redisAsyncFree (ac);
      if (conn->ac == ac)
        conn_went_down (conn, conn->up ? "Redis does not answer" : "connecting timed out");
      return;
    }
  /* A quiet replica asks now and then, so a Redis that hangs is noticed (and /metrics and
   * the feed's polling know) before a request has to wait on it. */
  if (conn->up && !conn->subscriber && oldest == NULL && now - conn->sent_us > HEARTBEAT_US)
    {
      const char *argv[] = { "PING" };

      conn_send (conn, NULL, NULL, TRUE, 1, argv, NULL);
    }
}

static gboolean
tick_cb (gpointer data)
{
  ParkdRedis *self = data;
  gint64 now = g_get_monotonic_time ();

  conn_tick (&self->cmd, now);
  if (self->subscriptions->len > 0)
    conn_tick (&self->sub, now);
  return G_SOURCE_CONTINUE;
}

/* ---- Commands ------------------------------------------------------------------------- */

static void
command_free (Command *cmd)
{
  for (int i = 0; i < cmd->argc; i++)
    g_free (cmd->argv[i]);
  g_free (cmd->argv);
  g_free (cmd->argvlen);
  g_free (cmd);
}

/* Sends one command handed over; EVAL goes as EVALSHA, with the EVAL kept for NOSCRIPT. */
static void
command_send (Command *cmd)
{
  ParkdRedis *self = cmd->redis;
  Conn *conn = &self->cmd;
  Waiting *w = NULL;

  g_atomic_int_inc (&self->commands);
  if (conn->ac != NULL && conn->up && cmd->argc >= 3 && g_str_equal (cmd->argv[0], "EVAL"))
    {
      const char *sha = g_hash_table_lookup (self->scripts, cmd->argv[1]);
      g_autofree const char **argv = g_new (const char *, cmd->argc);
      g_autofree size_t *argvlen = g_new (size_t, cmd->argc);

      if (sha == NULL)
        {
          char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA1, cmd->argv[1], -1);

          g_hash_table_insert (self->scripts, g_strdup (cmd->argv[1]), hex);
          sha = hex;
        }
      argv[0] = "EVALSHA";
      argvlen[0] = strlen ("EVALSHA");
      argv[1] = sha;
      argvlen[1] = strlen (sha);
      for (int i = 2; i < cmd->argc; i++)
        {
          argv[i] = cmd->argv[i];
          argvlen[i] = cmd->argvlen[i];
        }
      w = conn_send (conn, cmd->func, cmd->data, FALSE, cmd->argc, argv, argvlen);
      if (w != NULL)
        {
          w->retry = cmd;
          return;
        }
    }
  else if (conn->ac != NULL && conn->up)
    w = conn_send (conn, cmd->func, cmd->data, FALSE, cmd->argc, (const char **) cmd->argv,
                   cmd->argvlen);
  if (w == NULL)
    {
      g_atomic_int_inc (&self->failed);
      cmd->func (NULL, cmd->data);
    }
  command_free (cmd);
}

/* Everything handed over since the last turn, in one go: one wake-up of the Redis thread
 * and one write to Redis for a burst of requests. */
static gboolean
drain_cb (gpointer data)
{
  ParkdRedis *self = data;
  GQueue batch = G_QUEUE_INIT;
  Command *cmd;

  g_mutex_lock (&self->queue_lock);
  batch = self->queued;
  g_queue_init (&self->queued);
  g_mutex_unlock (&self->queue_lock);
  while ((cmd = g_queue_pop_head (&batch)) != NULL)
    command_send (cmd);
  return G_SOURCE_REMOVE;
}

void
parkd_redis_command (ParkdRedis           *self,
                     ParkdRedisReplyFunc   func,
                     gpointer              user_data,
                     int                   argc,
                     const char          **argv,
                     const gsize          *argvlen)
{
  Command *cmd;
  gboolean wake;

  g_return_if_fail (self != NULL && func != NULL && argc > 0);

  if (g_atomic_int_get (&self->stopping) || !g_atomic_int_get (&self->up))
    {
      g_atomic_int_inc (&self->failed);
      func (NULL, user_data);
      return;
    }
  cmd = g_new0 (Command, 1);
  cmd->redis = self;
  cmd->func = func;
  cmd->data = user_data;
  cmd->argc = argc;
  cmd->argv = g_new (char *, argc);
  cmd->argvlen = g_new (gsize, argc);
  for (int i = 0; i < argc; i++)
    {
      cmd->argvlen[i] = argvlen != NULL ? argvlen[i] : strlen (argv[i]);
      cmd->argv[i] = g_memdup2 (argv[i], cmd->argvlen[i] + 1);
      cmd->argv[i][cmd->argvlen[i]] = '\0';
    }
  g_mutex_lock (&self->queue_lock);
  wake = g_queue_is_empty (&self->queued);
  g_queue_push_tail (&self->queued, cmd);
  g_mutex_unlock (&self->queue_lock);
  if (wake)
    g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, drain_cb, self, NULL);
}

typedef struct
{
  gint              refs;
  GMutex            lock;
  GCond             cond;
  gboolean          done;
  ParkdRedisReply  *reply;
} Sync;

static void
sync_unref (Sync *sync)
{
  if (!g_atomic_int_dec_and_test (&sync->refs))
    return;
  parkd_redis_reply_free (sync->reply);
  g_mutex_clear (&sync->lock);
  g_cond_clear (&sync->cond);
  g_free (sync);
}

static void
sync_cb (const ParkdRedisReply *reply,
         gpointer               data)
{
  Sync *sync = data;

  g_mutex_lock (&sync->lock);
  /* A copy: the caller's reply goes when this returns. */
  sync->reply = reply != NULL ? reply_dup (reply) : NULL;
  sync->done = TRUE;
  g_cond_signal (&sync->cond);
  g_mutex_unlock (&sync->lock);
  sync_unref (sync);
}

ParkdRedisReply *
parkd_redis_command_sync (ParkdRedis   *self,
                          int           argc,
                          const char  **argv,
                          const gsize  *argvlen,
                          GError      **error)
{
  Sync *sync = g_new0 (Sync, 1);
  gint64 deadline = g_get_monotonic_time () + SYNC_TIMEOUT_US;
  ParkdRedisReply *reply;

  g_return_val_if_fail (g_main_context_get_thread_default () != self->context, NULL);

  sync->refs = 2;
  g_mutex_init (&sync->lock);
  g_cond_init (&sync->cond);
  parkd_redis_command (self, sync_cb, sync, argc, argv, argvlen);
  g_mutex_lock (&sync->lock);
  while (!sync->done)
    if (!g_cond_wait_until (&sync->cond, &sync->lock, deadline))
      break;
  reply = g_steal_pointer (&sync->reply);
  g_mutex_unlock (&sync->lock);
  sync_unref (sync);

  if (reply == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                   "Redis at %s:%d does not answer", self->host, self->port);
      return NULL;
    }
  if (reply->type == PARKD_REDIS_REPLY_ERROR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Redis: %s", reply->str);
      parkd_redis_reply_free (reply);
      return NULL;
    }
  return reply;
}

/* ---- The thread ----------------------------------------------------------------------- */

static gpointer
thread_main (gpointer data)
{
  ParkdRedis *self = data;

  g_main_context_push_thread_default (self->context);
  tick_cb (self);
  g_main_loop_run (self->loop);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static gboolean
quit_cb (gpointer data)
{
  ParkdRedis *self = data;

  if (self->cmd.ac != NULL)
    redisAsyncFree (self->cmd.ac);
  if (self->sub.ac != NULL)
    redisAsyncFree (self->sub.ac);
  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

gboolean
parkd_redis_parse_url (const char  *url,
                       char       **host,
                       int         *port,
                       int         *db,
                       char       **user,
                       char       **password,
                       GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local = NULL;
  const char *path, *userinfo;

  uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD, &local);
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "redis") != 0 ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--redis: \"%s\" is not a URL like redis://HOST:PORT/DB", url);
      return FALSE;
    }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--redis: \"%s\" may not have a query or fragment", url);
      return FALSE;
    }
  path = g_uri_get_path (uri);
  *db = 0;
  if (path != NULL && *path != '\0' && !g_str_equal (path, "/"))
    {
      guint64 n;

      if (!g_ascii_string_to_unsigned (path + 1, 10, 0, 15, &n, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--redis: the database in \"%s\" must be a number from 0 to 15", url);
          return FALSE;
        }
      *db = (int) n;
    }
  *port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 6379;
  *host = g_strdup (g_uri_get_host (uri));
  userinfo = g_uri_get_password (uri);
  *password = userinfo != NULL && *userinfo != '\0' ? g_strdup (userinfo) : NULL;
  userinfo = g_uri_get_user (uri);
  *user = userinfo != NULL && *userinfo != '\0' ? g_strdup (userinfo) : NULL;
  if (*user != NULL && *password == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--redis: the user in \"%s\" needs a password (redis://USER:PASSWORD@HOST)",
                   url);
      g_clear_pointer (host, g_free);
      g_clear_pointer (user, g_free);
      return FALSE;
    }
  return TRUE;
}

ParkdRedis *
parkd_redis_new (const char  *url,
                 GError     **error)
{
  ParkdRedis *self = g_new0 (ParkdRedis, 1);

  if (!parkd_redis_parse_url (url, &self->host, &self->port, &self->db, &self->user,
                              &self->password, error))
    {
      g_free (self);
      return NULL;
    }
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->subscriptions = g_ptr_array_new ();
  g_mutex_init (&self->queue_lock);
  g_queue_init (&self->queued);
  self->scripts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cmd.redis = self;
  self->cmd.name = "command";
  self->sub.redis = self;
  self->sub.name = "subscriber";
  self->sub.subscriber = TRUE;
  return self;
}

void
parkd_redis_subscribe (ParkdRedis            *self,
                       const char            *channel,
                       ParkdRedisMessageFunc  func,
                       gpointer               user_data)
{
  Subscription *s = g_new0 (Subscription, 1);

  g_return_if_fail (self->thread == NULL);
  s->channel = g_strdup (channel);
  s->func = func;
  s->data = user_data;
  g_ptr_array_add (self->subscriptions, s);
}

void
parkd_redis_start (ParkdRedis *self)
{
  g_return_if_fail (self->thread == NULL);

  self->tick = g_timeout_source_new (TICK_MS);
  g_source_set_callback (self->tick, tick_cb, self, NULL);
  g_source_attach (self->tick, self->context);
  self->thread = g_thread_new ("parkd-redis", thread_main, self);
}

gboolean
parkd_redis_is_up (ParkdRedis *self)
{
  return g_atomic_int_get (&self->up);
}

void
parkd_redis_free (ParkdRedis *self)
{
  if (self == NULL)
    return;
  g_atomic_int_set (&self->stopping, TRUE);
  if (self->thread != NULL)
    {
      g_main_context_invoke (self->context, quit_cb, self);
      g_thread_join (self->thread);
    }
  if (self->tick != NULL)
    {
      g_source_destroy (self->tick);
      g_source_unref (self->tick);
    }
  /* Commands handed over as it stopped go unanswered: nobody waits for them any more. */
  g_queue_clear_full (&self->queued, (GDestroyNotify) command_free);
  g_mutex_clear (&self->queue_lock);
  g_hash_table_unref (self->scripts);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  for (guint i = 0; i < self->subscriptions->len; i++)
    {
      Subscription *s = g_ptr_array_index (self->subscriptions, i);

      g_free (s->channel);
      g_free (s);
    }
  g_ptr_array_unref (self->subscriptions);
  g_free (self->host);
  g_free (self->user);
  g_free (self->password);
  g_free (self->refusal);
  g_free (self);
}

void
parkd_redis_append_metrics (ParkdRedis *self,
                            GString    *out)
{
  g_string_append_printf (out,
    "# HELP parkd_redis_up Whether the command connection to Redis is up.\n"
    "# TYPE parkd_redis_up gauge\n"
    "parkd_redis_up %d\n"
    "# HELP parkd_redis_commands_total Commands sent to Redis.\n"
    "# TYPE parkd_redis_commands_total counter\n"
    "parkd_redis_commands_total %u\n"
    "# HELP parkd_redis_failures_total Commands Redis did not answer (down or silent).\n"
    "# TYPE parkd_redis_failures_total counter\n"
    "parkd_redis_failures_total %u\n",
    g_atomic_int_get (&self->up) ? 1 : 0, (guint) g_atomic_int_get (&self->commands),
    (guint) g_atomic_int_get (&self->failed));
}
