/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-live.c: the live feed (backend/LIVE.md).
 *
 * Every change of a spot commits its feed message to the events outbox (sql/004-live.sql).
 * The publisher thread reads the outbox in order, keeps where each lot's feed stands, and
 * hands each batch of messages to every event loop through h2o's multithread queues. A loop
 * keeps its own WebSocket clients and, per lot, who watches it and the last number each of
 * them has, so nobody gets a message twice; it never waits on another thread.
 *
 * The feed speaks WebSocket on the upgraded socket itself, with wslay's frame API: h2o 2.2's
 * WebSocket glue (and wslay's event API under it) keeps about 9 KB per client and copies and
 * writes every message to every client on its own. Here a message is framed once per loop and
 * every client queues the same bytes (written with writev); a client's frames are parsed only
 * while one is partly in, so an idle client costs its socket and little more.
 */
#include "config.h"

#include "parkd-live.h"
#include "parkd-redis.h"
#include "parkd-server.h"

#include <errno.h>
#include <h2o/websocket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#define LIVE_PROTOCOL        1
#define MAX_MESSAGE_BYTES    (64 * 1024)
#define MESSAGES_PER_SECOND  20      /* from one client, with a burst of twice that */
#define CLOSE_GRACE_US       (2 * G_USEC_PER_SEC)
#define OUTBOX_BATCH         512
#define PUBLISHER_POLL_MS    250     /* also catches writes by other processes (imports) */
#define REDIS_POLL_MS        2000    /* with Redis up, replicas say when they wrote */
#define OUTBOX_WAIT_POLL_MS  10      /* the outbox waits on a transaction to end */
#define STREAM_MAXLEN        "100000"
#define STREAM_KEY           "parkade:events"
#define LIVE_CHANNEL         "parkade:live"
#define SUBSCRIBE_THREADS    4       /* subscriptions read at once, with a store across the network */

/* Where a lot's feed stands: what its message number @seq said. */
typedef struct
{
  gint64             seq;
  char              *status;
  ParkdAvailability  availability[PARKD_N_SPOT_TYPES];
} LotState;

typedef enum
{
  MSG_LOT,
  MSG_USER,
} MsgKind;

typedef struct
{
  MsgKind  kind;
  char    *key;       /* the lot's id, or the user's */
  gint64   seq;       /* lot messages: the lot's feed number */
  char    *text;
  gsize    len;
} LiveMsg;

typedef struct
{
  gint     refs;      /* atomic: one per loop it went to */
  GArray  *msgs;      /* LiveMsg */
} Batch;

typedef struct _Subscribe Subscribe;

/* What comes to a loop from other threads: a batch of messages from the publisher, a
 * subscription read on the pool, or neither (the loop's own call to go on with a fan-out). */
typedef struct
{
  h2o_multithread_message_t  link;
  Batch                     *batch;
  Subscribe                 *subscribe;
} BatchPost;

struct _ParkdLive
{
  const ParkdConfig *config;
  ParkdStore        *store;
  ParkdAuth         *auth;

  GRWLock            lots_lock;
  GHashTable        *lots;          /* lot id -> LotState */

  GMutex             loops_lock;
  GPtrArray         *loops;         /* ParkdLiveLoop * */

  GThreadPool       *pool;          /* reads subscriptions off the loops, with a store across
                                     * the network; NULL with SQLite */

  GThread           *publisher;
  GMutex             kick_lock;
  GCond              kick_cond;
  gboolean           kicked;
  gboolean           stopping;
  gint64             cursor;        /* the outbox seq published up to */
  gint64             start_cursor;  /* the cursor when the feed started */

  /* Redis (replicas): the outbox goes on to the stream, and each replica says on the channel
   * how far the stream goes, so the others read the outbox at once. */
  ParkdRedis        *redis;
  gint64             streamed;      /* the outbox seq known to be in the stream; -1: unknown */
  gint64             heard;         /* the highest seq another replica streamed (kick_lock) */

  /* Metrics, atomic. */
  gint               clients;
  gint               dropped_slow;
  gint               dropped_dead;
  gint               published;     /* messages made from the outbox */
  gint               sent;          /* updates and events queued to clients */
  gint               writes;        /* writes to clients: fewer than sent when they merge */
  gint               streamed_n;    /* events this replica appended to the stream */
  gint               kicks;         /* messages from other replicas on the channel */
};

typedef struct _LiveConn LiveConn;
typedef struct _LotSubs LotSubs;

/* A frame as it goes on the wire, framed once by wslay and shared by every client of the loop
 * it goes to (the server's frames are not masked: the bytes are the same for all). Only its
 * loop sees it, so the count is a plain one. */
typedef struct
{
  guint   refs;
  guint   len;
  guint8  data[];
} Frame;

struct _ParkdLiveLoop
{
  ParkdLive                  *live;
  h2o_evloop_t               *loop;
  h2o_multithread_queue_t    *queue;
  h2o_multithread_receiver_t  receiver;
  GHashTable                 *subs;    /* lot id -> LotSubs */
  GHashTable                 *users;   /* user id -> GPtrArray of LiveConn * */
  h2o_linklist_t              conns;
  h2o_timeout_t               tick_timeout;
  h2o_timeout_entry_t         tick;
  GPtrArray                  *dirty;   /* clients with frames to write, oldest first */
  guint                       dirty_head; /* [0, dirty_head) are written (and NULL) */
  wslay_frame_context_ptr     framer;  /* frames what the loop sends */
  GByteArray                 *framed;  /* what @framer made */
  Frame                      *ping;
  guint                       n_conns;   /* at the last tick */
  /* The fan-out goes a slice at a time, so the loop's HTTP requests get their turns. */
  GQueue                      posts;     /* BatchPost not all out yet, oldest first */
  guint                       msg_index; /* the message of the first post going out */
  gboolean                    msg_started;
  guint                       msg_left;  /* its watchers not yet served: [0, msg_left) */
  Frame                      *msg_frame;
  guint                       sent;
  guint                       writes;
  gboolean                    resuming;  /* a BatchPost without a batch is on its way */
  gint                        subscribing; /* atomic: subscriptions on the pool */
};

/* Who watches a lot on one loop, and the last number each of them has. */
struct _LotSubs
{
  char   *lot_id;
  GArray *subs;   /* Sub */
};

typedef struct
{
  LiveConn *conn;
  gint64    seen;   /* the last number of this lot the client has */
  guint     slot;   /* where the client keeps this lot (conn->lots) */
} Sub;

/* A client's side of a Sub: where in the lot's array it is, so leaving costs O(its lots). */
typedef struct
{
  LotSubs *lot;
  guint    index;
} SubRef;

/* A subscription: what the client asked for (read on the loop), then what the store has for
 * it (read on the loop, or on the pool with a store across the network). */
struct _Subscribe
{
  GPtrArray     *ids;       /* the lot ids asked for (lower case), or NULL for a box */
  ParkdLotQuery  query;     /* the box */
  GHashTable    *resume;    /* (nullable) lot id -> gint64 *: the last seq the client saw */
  GPtrArray     *lots;      /* ParkdLot; NULL when the store failed */
  guint64        total;     /* the lots in the box */
  GHashTable    *missed;    /* (nullable) lot id -> GPtrArray of ParkdEvent, since its resume */
  GError        *error;
  ParkdLiveLoop *lloop;
  LiveConn      *conn;      /* NULL once the client is gone (the loop's to change) */
};

/* What is read of a client's frames while one is partly in; NULL between frames, so an idle
 * client keeps no parser. */
typedef struct
{
  wslay_frame_context_ptr  frame;
  h2o_socket_t            *sock;
  guint64                  fed;       /* bytes handed to wslay */
  guint64                  done;      /* bytes of the frames wslay finished */
  gboolean                 in_frame;
  guint8                   opcode;    /* of the frame being read */
  guint8                   fin;
  guint8                   masked;
  guint64                  length;
  guint64                  offset;
  guint8                   control[125];
  GByteArray              *message;   /* a text message in pieces */
  guint8                   message_opcode;  /* of the message being read, 0 between them */
  guint64                  message_length;
} Reader;

struct _LiveConn
{
  h2o_socket_t         *sock;          /* NULL until the handshake's answer is written */
  ParkdLiveLoop        *lloop;
  h2o_linklist_t        link;
  GArray               *lots;          /* SubRef */
  char                 *user_id;       /* signed in, else NULL */
  gint64                user_exp;      /* the access token's exp (Unix seconds) */
  gint64                last_rx_us;
  gint64                last_ping_us;
  gint64                close_by_us;   /* closing: cut off after this */
  double                tokens;        /* message rate limit */
  gint64                tokens_at_us;
  Reader               *reader;
  Subscribe            *subscribe;     /* read on the pool now; reading waits meanwhile */
  Frame               **out;           /* frames to write, oldest first */
  guint                 out_len;
  guint                 out_size;
  guint                 writing;       /* the first of @out, handed to the socket */
  gsize                 queued;        /* bytes in @out */
  guint                 dirty : 1;
  guint                 closing : 1;   /* the close frame is queued: nothing more goes out */
  guint                 read_done : 1; /* the peer's close came (or its frames were bad) */
};

static void
lot_state_free (LotState *state)
{
  g_free (state->status);
  g_free (state);
}

static void
live_msg_clear (LiveMsg *msg)
{
  g_free (msg->key);
  g_free (msg->text);
}

static void
batch_unref (Batch *batch)
{
  if (g_atomic_int_dec_and_test (&batch->refs))
    {
      g_array_unref (batch->msgs);
      g_free (batch);
    }
}

/* ---- Messages ----------------------------------------------------------------------- */

static void
append_counts (GString                 *out,
               const char              *name,
               const ParkdAvailability *availability,
               gboolean                 totals)
{
  parkd_json_append_member (out, name);
  g_string_append_c (out, '{');
  for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
    {
      parkd_json_append_member (out, parkd_spot_type_to_string (t));
      parkd_json_append_uint (out, totals ? availability[t].total : availability[t].available);
    }
  g_string_append_c (out, '}');
}

/* An outbox payload {"lot_id":...,"seq":...} as the message clients get. */
static void
append_update (GString    *out,
               const char *payload,
               const char *created_at,
               gboolean    replayed)
{
  gsize len = strlen (payload);

  g_string_append (out, "{\"type\":\"availability_update\",");
  /* The payload is an object the trigger wrote: its members go in as they are. */
  g_string_append_len (out, payload + 1, len - 2);
  parkd_json_append_member (out, "ts");
  parkd_json_append_string (out, created_at);
  if (replayed)
    g_string_append (out, ",\"replayed\":true");
  g_string_append_c (out, '}');
}

static const char *
user_message_type (const ParkdEvent *event)
{
  if (event->user_id == NULL)
    return NULL;
  if (g_str_has_prefix (event->aggregate, "reservation:"))
    return "reservation_event";
  if (g_str_has_prefix (event->aggregate, "payment:"))
    return "payment_event";
  return NULL;
}

/* ---- Frames ------------------------------------------------------------------------- */

static Frame *
frame_ref (Frame *frame)
{
  frame->refs++;
  return frame;
}

static void
frame_unref (Frame *frame)
{
  if (--frame->refs == 0)
    g_free (frame);
}

static ssize_t
framed_cb (const uint8_t *data,
           size_t         len,
           int            flags,
           void          *user_data)
{
  ParkdLiveLoop *lloop = user_data;

  g_byte_array_append (lloop->framed, data, len);
  return len;
}

/* One whole frame (header and payload) of @opcode, framed by wslay. */
static Frame *
frame_new (ParkdLiveLoop *lloop,
           guint8         opcode,
           const void    *payload,
           gsize          len)
{
  struct wslay_frame_iocb iocb = {
    .fin = 1,
    .opcode = opcode,
    .payload_length = len,
    .mask = 0,
    .data = payload,
    .data_length = len,
  };
  Frame *frame;
  ssize_t sent;

  g_byte_array_set_size (lloop->framed, 0);
  sent = wslay_frame_send (lloop->framer, &iocb);
  g_assert (sent >= 0 && (gsize) sent == len);
  frame = g_malloc (sizeof (Frame) + lloop->framed->len);
  frame->refs = 1;
  frame->len = lloop->framed->len;
  memcpy (frame->data, lloop->framed->data, lloop->framed->len);
  return frame;
}

/* ---- Clients ------------------------------------------------------------------------ */

static void
conn_mark_dirty (LiveConn *c)
{
  if (c->dirty || c->sock == NULL)
    return;
  c->dirty = TRUE;
  g_ptr_array_add (c->lloop->dirty, c);
}

/* Queues @frame (taking a reference) for @c, behind what is there. */
static void
conn_queue (LiveConn *c,
            Frame    *frame)
{
  if (c->out_len == c->out_size)
    {
      c->out_size = MAX (4, c->out_size * 2);
      c->out = g_renew (Frame *, c->out, c->out_size);
    }
  c->out[c->out_len++] = frame_ref (frame);
  c->queued += frame->len;
  conn_mark_dirty (c);
}

/* Drops the frames queued and not yet handed to the socket. */
static void
conn_drop_queued (LiveConn *c)
{
  for (guint i = c->writing; i < c->out_len; i++)
    {
      c->queued -= c->out[i]->len;
      frame_unref (c->out[i]);
    }
  c->out_len = c->writing;
}

static void
conn_close_with (LiveConn   *c,
                 guint16     code,
                 const char *reason)
{
  guint8 payload[125];
  gsize len = MIN (strlen (reason), sizeof payload - 2);
  Frame *frame;

  if (c->closing)
    return;
  c->closing = TRUE;
  c->close_by_us = g_get_monotonic_time () + CLOSE_GRACE_US;
  /* What was not yet written will never be read: the close goes right after what is on its
   * way (as a control frame may), and the memory goes now. */
  conn_drop_queued (c);
  payload[0] = code >> 8;
  payload[1] = code & 0xff;
  memcpy (payload + 2, reason, len);
  frame = frame_new (c->lloop, WSLAY_CONNECTION_CLOSE, payload, code != 0 ? len + 2 : 0);
  conn_queue (c, frame);
  frame_unref (frame);
}

/* Queues one shared frame; FALSE when it was not (the client is closing, or too slow). */
static gboolean
conn_send_frame (LiveConn *c,
                 Frame    *frame)
{
  ParkdLive *live = c->lloop->live;

  if (c->closing)
    return FALSE;
  /* A client that stops reading is cut off before it can make the server hold much for it
   * (what the kernel buffers, and this much in frames queued for it at most). */
  if (c->queued + frame->len > (gsize) live->config->live_queue_limit)
    {
      g_atomic_int_inc (&live->dropped_slow);
      conn_close_with (c, 1008, "too slow: messages were not read");
      return FALSE;
    }
  conn_queue (c, frame);
  return TRUE;
}

/* Queues one message of its own; FALSE when it was not. */
static gboolean
conn_send (LiveConn   *c,
           const char *text,
           gsize       len)
{
  Frame *frame;
  gboolean queued;

  if (c->closing)
    return FALSE;
  frame = frame_new (c->lloop, WSLAY_TEXT_FRAME, text, len);
  queued = conn_send_frame (c, frame);
  frame_unref (frame);
  return queued;
}

static void
conn_send_string (LiveConn *c,
                  GString  *text)
{
  conn_send (c, text->str, text->len);
}

static void
conn_send_error (LiveConn   *c,
                 const char *code,
                 const char *field,
                 const char *detail)
{
  g_autoptr(GString) out = g_string_new ("{\"type\":\"error\"");

  parkd_json_append_member (out, "code");
  parkd_json_append_string (out, code);
  if (field != NULL)
    {
      parkd_json_append_member (out, "field");
      parkd_json_append_string (out, field);
    }
  parkd_json_append_member (out, "detail");
  parkd_json_append_string (out, detail);
  g_string_append_c (out, '}');
  conn_send_string (c, out);
}

static void
lot_subs_free (LotSubs *lot)
{
  g_free (lot->lot_id);
  g_array_unref (lot->subs);
  g_free (lot);
}

/* Leaves every lot: O(the client's lots), however many others watch them. */
static void
conn_unsubscribe (LiveConn *c)
{
  ParkdLiveLoop *lloop = c->lloop;

  for (guint i = 0; i < c->lots->len; i++)
    {
      SubRef *ref = &g_array_index (c->lots, SubRef, i);
      GArray *subs = ref->lot->subs;
      guint last = subs->len - 1;

      if (ref->index != last)
        {
          Sub *moved = &g_array_index (subs, Sub, last);

          g_array_index (moved->conn->lots, SubRef, moved->slot).index = ref->index;
          g_array_index (subs, Sub, ref->index) = *moved;
        }
      g_array_set_size (subs, last);
      if (last == 0)
        g_hash_table_remove (lloop->subs, ref->lot->lot_id);
    }
  g_array_set_size (c->lots, 0);
}

static void
conn_sign_out (LiveConn *c)
{
  GPtrArray *conns;

  if (c->user_id == NULL)
    return;
  conns = g_hash_table_lookup (c->lloop->users, c->user_id);
  if (conns != NULL)
    {
      g_ptr_array_remove_fast (conns, c);
      if (conns->len == 0)
        g_hash_table_remove (c->lloop->users, c->user_id);
    }
  g_clear_pointer (&c->user_id, g_free);
}

static void
reader_free (Reader *reader)
{
  wslay_frame_context_free (reader->frame);
  if (reader->message != NULL)
    g_byte_array_unref (reader->message);
  g_free (reader);
}

/* Frees the client and closes its socket. */
static void
conn_destroy (LiveConn *c)
{
  ParkdLiveLoop *lloop = c->lloop;

  conn_unsubscribe (c);
  conn_sign_out (c);
  /* Its subscription comes back from the pool to nobody. */
  if (c->subscribe != NULL)
    c->subscribe->conn = NULL;
  if (c->dirty)
    {
      /* Only once among those not yet written (it may be among the written too, as NULL). */
      for (guint i = lloop->dirty_head; i < lloop->dirty->len; i++)
        if (g_ptr_array_index (lloop->dirty, i) == c)
          {
            g_ptr_array_remove_index_fast (lloop->dirty, i);
            break;
          }
    }
  h2o_linklist_unlink (&c->link);
  g_array_unref (c->lots);
  for (guint i = 0; i < c->out_len; i++)
    frame_unref (c->out[i]);
  g_free (c->out);
  g_clear_pointer (&c->reader, reader_free);
  if (c->sock != NULL)
    h2o_socket_close (c->sock);
  g_atomic_int_add (&lloop->live->clients, -1);
  g_free (c);
}

/* The kernel's send buffer of a feed socket is kept small and fixed (instead of growing to
 * megabytes for a client that does not read): kernel memory stays bounded with thousands of
 * clients, and a client that stops reading reaches the queue limit soon. */
#define SOCKET_SEND_BUFFER (64 * 1024)

static void
conn_tune (LiveConn *c)
{
  int fd = h2o_socket_get_fd (c->sock), size = SOCKET_SEND_BUFFER, on = 1;

  if (setsockopt (fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size) != 0)
    g_debug ("live feed: cannot set the send buffer: %s", g_strerror (errno));
  /* An update goes out when it is made, not when the client has acknowledged the last one. */
  if (setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0)
    g_debug ("live feed: cannot set TCP_NODELAY: %s", g_strerror (errno));
}

/* ---- Writing ------------------------------------------------------------------------ */

/* What is queued goes out in one writev, frames shared with the other clients as they are;
 * what comes while a write is on its way goes with the next one. */
#define WRITE_FRAMES 64

static void on_written (h2o_socket_t *sock, const char *err);

static void
conn_write (LiveConn *c)
{
  h2o_iovec_t bufs[WRITE_FRAMES];
  guint n;

  if (c->sock == NULL || c->writing > 0 || c->out_len == 0)
    return;
  n = MIN (c->out_len, WRITE_FRAMES);
  for (guint i = 0; i < n; i++)
    bufs[i] = h2o_iovec_init (c->out[i]->data, c->out[i]->len);
  c->writing = n;
  h2o_socket_write (c->sock, bufs, n, on_written);
}

static void
on_written (h2o_socket_t *sock,
            const char   *err)
{
  LiveConn *c = sock->data;

  if (err != NULL)
    {
      conn_destroy (c);
      return;
    }
  for (guint i = 0; i < c->writing; i++)
    {
      c->queued -= c->out[i]->len;
      frame_unref (c->out[i]);
    }
  c->out_len -= c->writing;
  memmove (c->out, c->out + c->writing, c->out_len * sizeof (Frame *));
  c->writing = 0;
  /* Idle clients keep no queue. */
  if (c->out_len == 0 && c->out_size > 4)
    {
      g_clear_pointer (&c->out, g_free);
      c->out_size = 0;
    }
  /* The close frame went, and the peer's came (or will not): done. */
  if (c->closing && c->out_len == 0 && c->read_done)
    {
      conn_destroy (c);
      return;
    }
  conn_write (c);
}

/* Writes to at most @limit clients, those waiting longest first; TRUE when none is left.
 *
 * Queueing a frame to a client is cheap and writing it is not (a system call, and on loopback
 * the peer's receiving too), so the two are apart: a message is queued to all its clients at
 * once, and the writes go a slice at a time. A message that comes while clients still wait
 * for the last one is queued behind it and goes out in the same write: when changes come
 * faster than the writes go, each client gets them together, not one write each, so the
 * feed catches up instead of falling further behind. */
static gboolean
flush_dirty (ParkdLiveLoop *lloop,
             guint          limit)
{
  GPtrArray *dirty = lloop->dirty;

  while (lloop->dirty_head < dirty->len && limit > 0)
    {
      LiveConn *c = g_ptr_array_index (dirty, lloop->dirty_head);

      g_ptr_array_index (dirty, lloop->dirty_head++) = NULL;
      c->dirty = FALSE;
      if (c->writing == 0 && c->out_len > 0)
        {
          limit--;
          lloop->writes++;
        }
      conn_write (c);
    }
  /* One atomic add per slice, as for what is sent. */
  g_atomic_int_add (&lloop->live->writes, lloop->writes);
  lloop->writes = 0;
  if (lloop->dirty_head < dirty->len)
    return FALSE;
  g_ptr_array_set_size (dirty, 0);
  lloop->dirty_head = 0;
  return TRUE;
}

/* ---- What clients send -------------------------------------------------------------- */

static gboolean
take_token (LiveConn *c)
{
  gint64 now = g_get_monotonic_time ();

  c->tokens = MIN (2.0 * MESSAGES_PER_SECOND,
                   c->tokens + (now - c->tokens_at_us) / 1e6 * MESSAGES_PER_SECOND);
  c->tokens_at_us = now;
  if (c->tokens < 1.0)
    return FALSE;
  c->tokens -= 1.0;
  return TRUE;
}

static void
handle_auth (LiveConn   *c,
             JsonObject *msg)
{
  ParkdLive *live = c->lloop->live;
  JsonNode *node = json_object_get_member (msg, "token");
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = NULL;
  g_autoptr(GDateTime) exp = NULL;
  g_autofree char *expires = NULL;
  ParkdPrincipal principal;
  GPtrArray *conns;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      conn_send_error (c, "invalid-field", "token", "\"token\" must be an access token");
      return;
    }
  if (!parkd_auth_verify (live->auth, json_node_get_string (node), &principal, &error))
    {
      conn_send_error (c, "unauthorized", "token",
                       "The access token is not valid (expired or signed out): sign in again");
      return;
    }

  conn_sign_out (c);
  c->user_id = g_strdup (principal.user_id);
  c->user_exp = principal.exp;
  conns = g_hash_table_lookup (c->lloop->users, c->user_id);
  if (conns == NULL)
    {
      conns = g_ptr_array_new ();
      g_hash_table_insert (c->lloop->users, g_strdup (c->user_id), conns);
    }
  g_ptr_array_add (conns, c);

  exp = g_date_time_new_from_unix_utc (principal.exp);
  expires = g_date_time_format (exp, "%Y-%m-%dT%H:%M:%SZ");
  out = g_string_new ("{\"type\":\"authenticated\"");
  parkd_json_append_member (out, "user_id");
  parkd_json_append_string (out, c->user_id);
  parkd_json_append_member (out, "expires_at");
  parkd_json_append_string (out, expires);
  g_string_append_c (out, '}');
  conn_send_string (c, out);
}

/* Where @lot_id's feed stands now, from the publisher's table or, for a lot made since the
 * feed started, from the store. */
static gboolean
lot_state (ParkdLive  *live,
           const char *lot_id,
           LotState   *copy)
{
  g_autoptr(ParkdLotFeed) feed = NULL;
  LotState *state;

  g_rw_lock_reader_lock (&live->lots_lock);
  state = g_hash_table_lookup (live->lots, lot_id);
  if (state != NULL)
    {
      *copy = *state;
      copy->status = g_strdup (state->status);
    }
  g_rw_lock_reader_unlock (&live->lots_lock);
  if (state != NULL)
    return TRUE;

  feed = parkd_store_get_lot_feed (live->store, lot_id, NULL);
  if (feed == NULL)
    return FALSE;
  g_rw_lock_writer_lock (&live->lots_lock);
  state = g_hash_table_lookup (live->lots, lot_id);
  if (state == NULL)
    {
      state = g_new0 (LotState, 1);
      state->seq = feed->seq;
      state->status = g_strdup (feed->status);
      memcpy (state->availability, feed->availability, sizeof state->availability);
      g_hash_table_insert (live->lots, g_strdup (lot_id), state);
    }
  *copy = *state;
  copy->status = g_strdup (state->status);
  g_rw_lock_writer_unlock (&live->lots_lock);
  return TRUE;
}

static gboolean
read_bbox (LiveConn      *c,
           JsonNode      *node,
           ParkdLotQuery *query)
{
  JsonArray *array;
  double v[4];

  if (!JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (array = json_node_get_array (node)) != 4)
    goto bad;
  for (guint i = 0; i < 4; i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      GType type = JSON_NODE_HOLDS_VALUE (e) ? json_node_get_value_type (e) : G_TYPE_INVALID;

      if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
        goto bad;
      v[i] = json_node_get_double (e);
    }
  if (v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90 || v[0] >= v[2] || v[1] >= v[3])
    goto bad;
  query->has_bbox = TRUE;
  query->min_lng = v[0];
  query->min_lat = v[1];
  query->max_lng = v[2];
  query->max_lat = v[3];
  query->lng = (v[0] + v[2]) / 2;
  query->lat = (v[1] + v[3]) / 2;
  return TRUE;

bad:
  conn_send_error (c, "invalid-field", "bbox",
                   "\"bbox\" must be [min_lng, min_lat, max_lng, max_lat] in degrees, "
                   "each minimum below its maximum");
  return FALSE;
}

static void
append_snapshot_lot (GString        *out,
                     const ParkdLot *lot,
                     const LotState *state)
{
  if (out->str[out->len - 1] != '[')
    g_string_append_c (out, ',');
  g_string_append_c (out, '{');
  parkd_json_append_member (out, "lot_id");
  parkd_json_append_string (out, lot->id);
  parkd_json_append_member (out, "name");
  parkd_json_append_string (out, lot->name);
  parkd_json_append_member (out, "lat");
  parkd_json_append_double (out, lot->lat, 6);
  parkd_json_append_member (out, "lng");
  parkd_json_append_double (out, lot->lng, 6);
  parkd_json_append_member (out, "seq");
  parkd_json_append_int (out, state->seq);
  parkd_json_append_member (out, "status");
  parkd_json_append_string (out, state->status);
  append_counts (out, "available", state->availability, FALSE);
  append_counts (out, "total", state->availability, TRUE);
  g_string_append_c (out, '}');
}

/* Reads "resume" (lot id -> the last seq the client saw) into @out; FALSE (said) when bad. */
static gboolean
read_resume (LiveConn    *c,
             JsonNode    *node,
             GHashTable **out)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GList) names = NULL;
  JsonObject *resume;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      conn_send_error (c, "invalid-field", "resume",
                       "\"resume\" must map lot ids to the last seq seen");
      return FALSE;
    }
  resume = json_node_get_object (node);
  names = json_object_get_members (resume);
  for (GList *m = names; m != NULL; m = m->next)
    {
      JsonNode *v = json_object_get_member (resume, m->data);

      if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_INT64 ||
          json_node_get_int (v) < 0)
        {
          g_autofree char *field = g_strdup_printf ("resume.%s", (const char *) m->data);

          conn_send_error (c, "invalid-field", field,
                           "Each \"resume\" value must be a seq (a whole number, 0 or more)");
          return FALSE;
        }
      g_hash_table_insert (seen, g_strdup (m->data), g_memdup2 (&(gint64) { json_node_get_int (v) },
                                                                sizeof (gint64)));
    }
  *out = g_steal_pointer (&seen);
  return TRUE;
}

static void
string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

static void
subscribe_free (Subscribe *sub)
{
  g_clear_pointer (&sub->ids, g_ptr_array_unref);
  g_clear_pointer (&sub->resume, g_hash_table_unref);
  g_clear_pointer (&sub->lots, g_ptr_array_unref);
  g_clear_pointer (&sub->missed, g_hash_table_unref);
  g_clear_error (&sub->error);
  g_free (sub);
}

/* What the store has for @sub: the lots, and for a client back after a gap what each lot it
 * names sent meanwhile. On the loop with SQLite; with a store across the network, on a thread
 * of the feed's pool (the loop goes on meanwhile). */
static void
subscribe_read (ParkdLive *live,
                Subscribe *sub)
{
  if (sub->ids != NULL)
    {
      g_ptr_array_add (sub->ids, NULL);
      sub->lots = parkd_store_get_availability (live->store, (const char * const *) sub->ids->pdata,
                                                &sub->error);
      g_ptr_array_set_size (sub->ids, sub->ids->len - 1);
    }
  else
    {
      g_autoptr(ParkdPage) page = parkd_store_search_lots (live->store, &sub->query, &sub->error);

      if (page == NULL)
        return;
      sub->total = page->total;
      sub->lots = g_ptr_array_ref (page->items);
      if (sub->total > (guint64) live->config->live_max_lots)
        return;
    }
  if (sub->lots == NULL)
    return;

  for (guint i = 0; i < sub->lots->len; i++)
    {
      const ParkdLot *lot = g_ptr_array_index (sub->lots, i);
      const gint64 *after = sub->resume != NULL ? g_hash_table_lookup (sub->resume, lot->id) : NULL;
      LotState state;
      GPtrArray *missed;

      /* A lot made since the feed started is read here too, not on the loop. */
      if (!lot_state (live, lot->id, &state))
        continue;
      if (after != NULL && *after != state.seq &&
          (missed = parkd_store_lot_feed_since (live->store, lot->id, *after,
                                                live->config->live_replay_limit, NULL)) != NULL)
        {
          if (sub->missed == NULL)
            sub->missed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) g_ptr_array_unref);
          g_hash_table_insert (sub->missed, g_strdup (lot->id), missed);
        }
      g_free (state.status);
    }
}

/* On the loop: @c watches what @sub read, and gets its snapshot (and what it missed). */
static void
subscribe_finish (LiveConn  *c,
                  Subscribe *sub)
{
  ParkdLiveLoop *lloop = c->lloop;
  ParkdLive *live = lloop->live;
  guint max_lots = live->config->live_max_lots;
  g_autoptr(GPtrArray) replays = g_ptr_array_new_with_free_func (string_free);
  g_autoptr(GString) out = NULL;
  guint resumed = 0;

  if (sub->lots == NULL)
    {
      g_warning ("live feed: cannot read the lots to watch: %s", sub->error->message);
      conn_send_error (c, "unavailable", NULL, "The lots cannot be read now; try again");
      return;
    }
  if (sub->ids == NULL && sub->total > max_lots)
    {
      g_autofree char *detail =
        g_strdup_printf ("This box holds %" G_GUINT64_FORMAT " lots; one connection may "
                         "watch %u at most: zoom in", sub->total, max_lots);

      conn_send_error (c, "too-many-lots", "bbox", detail);
      return;
    }

  conn_unsubscribe (c);
  out = g_string_sized_new (128 + sub->lots->len * 256);
  g_string_append (out, "{\"type\":\"snapshot\",\"lots\":[");
  for (guint i = 0; i < sub->lots->len; i++)
    {
      const ParkdLot *lot = g_ptr_array_index (sub->lots, i);
      const gint64 *after = sub->resume != NULL ? g_hash_table_lookup (sub->resume, lot->id) : NULL;
      LotSubs *watchers;
      SubRef ref;
      LotState state;
      Sub watcher = { c, 0, c->lots->len };
      gboolean fresh = TRUE;

      /* Where the lot stands now, as the loop's fan-out goes: every message above this seq
       * is still to come to this loop, every one up to it is in the state. */
      if (!lot_state (live, lot->id, &state))
        continue;
      watcher.seen = state.seq;

      /* A client back after a gap gets what it missed, if the outbox still had it and it is
       * not more than a snapshot would be; and if it reaches where the lot stands now (it
       * was read before the loop's last messages, which may have gone out meanwhile). */
      if (after != NULL)
        {
          GPtrArray *missed = sub->missed != NULL ? g_hash_table_lookup (sub->missed, lot->id)
                                                  : NULL;

          if (*after == state.seq)
            fresh = FALSE;
          else if (missed != NULL && *after + (gint64) missed->len >= state.seq)
            {
              for (guint k = 0; k < missed->len; k++)
                {
                  const ParkdEvent *event = g_ptr_array_index (missed, k);
                  GString *update = g_string_sized_new (512);

                  append_update (update, event->payload, event->created_at, TRUE);
                  g_ptr_array_add (replays, update);
                }
              watcher.seen = *after + missed->len;
              fresh = FALSE;
            }
          if (!fresh)
            resumed++;
        }
      if (fresh)
        append_snapshot_lot (out, lot, &state);
      g_free (state.status);

      watchers = g_hash_table_lookup (lloop->subs, lot->id);
      if (watchers == NULL)
        {
          watchers = g_new0 (LotSubs, 1);
          watchers->lot_id = g_strdup (lot->id);
          watchers->subs = g_array_sized_new (FALSE, FALSE, sizeof (Sub), 4);
          g_hash_table_insert (lloop->subs, watchers->lot_id, watchers);
        }
      ref.lot = watchers;
      ref.index = watchers->subs->len;
      g_array_append_val (watchers->subs, watcher);
      g_array_append_val (c->lots, ref);
    }
  g_string_append (out, "],\"not_found\":[");
  for (guint i = 0; sub->ids != NULL && i < sub->ids->len; i++)
    {
      const char *id = g_ptr_array_index (sub->ids, i);
      gboolean found = FALSE;

      for (guint j = 0; j < c->lots->len && !found; j++)
        found = g_str_equal (g_array_index (c->lots, SubRef, j).lot->lot_id, id);
      if (!found)
        {
          if (out->str[out->len - 1] != '[')
            g_string_append_c (out, ',');
          parkd_json_append_string (out, id);
        }
    }
  g_string_append_c (out, ']');
  parkd_json_append_member (out, "subscribed");
  parkd_json_append_uint (out, c->lots->len);
  parkd_json_append_member (out, "resumed");
  parkd_json_append_uint (out, resumed);
  g_string_append_c (out, '}');
  conn_send_string (c, out);
  for (guint i = 0; i < replays->len; i++)
    conn_send_string (c, g_ptr_array_index (replays, i));
}

/* On a thread of the feed's pool: reads, and hands the answer back to the client's loop. */
static void
subscribe_run (gpointer data,
               gpointer user_data)
{
  Subscribe *sub = data;
  ParkdLiveLoop *lloop = sub->lloop;
  BatchPost *post = g_new0 (BatchPost, 1);

  subscribe_read (user_data, sub);
  post->subscribe = sub;
  h2o_multithread_send_message (&lloop->receiver, &post->link);
  /* Last: the loop may be detached (and freed) as soon as this is 0. */
  g_atomic_int_dec_and_test (&lloop->subscribing);
}

static void conn_read (LiveConn *c);
static void conn_after_read (LiveConn *c);
static void on_read (h2o_socket_t *sock, const char *err);

/* Back on the loop from the pool: the client (if still there) gets its answer, and what it
 * sent meanwhile is read. */
static void
subscribe_done (Subscribe *sub)
{
  LiveConn *c = sub->conn;

  if (c != NULL)
    {
      c->subscribe = NULL;
      if (!c->closing)
        subscribe_finish (c, sub);
      h2o_socket_read_start (c->sock, on_read);
      conn_read (c);
      conn_after_read (c);
    }
  subscribe_free (sub);
}

static void
handle_subscribe (LiveConn   *c,
                  JsonObject *msg)
{
  ParkdLiveLoop *lloop = c->lloop;
  ParkdLive *live = lloop->live;
  guint max_lots = live->config->live_max_lots;
  JsonNode *ids_node = json_object_get_member (msg, "lot_ids");
  JsonNode *bbox_node = json_object_get_member (msg, "bbox");
  JsonNode *resume_node = json_object_get_member (msg, "resume");
  Subscribe *sub;
  g_autoptr(GHashTable) resume = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  ParkdLotQuery query = { 0 };

  if ((ids_node == NULL) == (bbox_node == NULL))
    {
      conn_send_error (c, "invalid-field", "lot_ids",
                       "A subscription names either \"lot_ids\" or a \"bbox\"");
      return;
    }
  if (resume_node != NULL && !read_resume (c, resume_node, &resume))
    return;

  if (ids_node != NULL)
    {
      JsonArray *array;
      guint n;

      if (!JSON_NODE_HOLDS_ARRAY (ids_node) ||
          (n = json_array_get_length (array = json_node_get_array (ids_node))) == 0)
        {
          conn_send_error (c, "invalid-field", "lot_ids",
                           "\"lot_ids\" must be an array of one lot id or more");
          return;
        }
      if (n > max_lots)
        {
          g_autofree char *detail = g_strdup_printf ("One connection may watch %u lots at most",
                                                     max_lots);

          conn_send_error (c, "too-many-lots", "lot_ids", detail);
          return;
        }
      ids = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *e = json_array_get_element (array, i);
          const char *id = JSON_NODE_HOLDS_VALUE (e) &&
                           json_node_get_value_type (e) == G_TYPE_STRING
                           ? json_node_get_string (e) : NULL;

          if (!parkd_request_is_uuid (id))
            {
              g_autofree char *field = g_strdup_printf ("lot_ids[%u]", i);

              conn_send_error (c, "invalid-field", field, "Each lot id must be a UUID");
              return;
            }
          g_ptr_array_add (ids, g_ascii_strdown (id, -1));
        }
    }
  else
    {
      if (!read_bbox (c, bbox_node, &query))
        return;
      query.page = 1;
      query.per_page = max_lots;
    }

  sub = g_new0 (Subscribe, 1);
  sub->ids = g_steal_pointer (&ids);
  sub->query = query;
  sub->resume = g_steal_pointer (&resume);
  if (live->pool == NULL)
    {
      subscribe_read (live, sub);
      subscribe_finish (c, sub);
      subscribe_free (sub);
      return;
    }
  /* A store across the network answers in a round trip or more, and may wait on a lock: the
   * loop does not wait with it. What the client sends next waits, so it is answered in order. */
  sub->conn = c;
  sub->lloop = lloop;
  c->subscribe = sub;
  h2o_socket_read_stop (c->sock);
  g_atomic_int_inc (&lloop->subscribing);
  g_thread_pool_push (live->pool, sub, NULL);
}

static void
handle_text (LiveConn     *c,
             const guint8 *data,
             gsize         len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *msg;
  const char *type;

  if (!take_token (c))
    {
      conn_close_with (c, 1008, "too many messages");
      return;
    }
  root = parkd_json_parse_object ((const char *) data, len, &error);
  if (root == NULL)
    {
      conn_send_error (c, "bad-message", NULL, error->message);
      return;
    }
  msg = json_node_get_object (root);
  type = json_object_get_string_member_with_default (msg, "type", NULL);
  if (g_strcmp0 (type, "subscribe") == 0)
    handle_subscribe (c, msg);
  else if (g_strcmp0 (type, "unsubscribe") == 0)
    {
      conn_unsubscribe (c);
      conn_send (c, "{\"type\":\"unsubscribed\"}", strlen ("{\"type\":\"unsubscribed\"}"));
    }
  else if (g_strcmp0 (type, "auth") == 0)
    handle_auth (c, msg);
  else
    conn_send_error (c, "unknown-type", "type",
                     "\"type\" must be \"subscribe\", \"unsubscribe\" or \"auth\"");
}

/* ---- Reading ------------------------------------------------------------------------ */

static ssize_t
reader_recv_cb (uint8_t *buf,
                size_t   len,
                int      flags,
                void    *user_data)
{
  Reader *reader = user_data;
  h2o_buffer_t *input = reader->sock->input;
  gsize n = MIN (len, input->size);

  if (n == 0)
    return -1;   /* wslay: wait for more */
  memcpy (buf, input->bytes, n);
  h2o_buffer_consume (&reader->sock->input, n);
  reader->fed += n;
  return n;
}

/* The bytes a frame of @length took on the wire (wslay insists on the shortest length). */
static guint64
frame_wire_size (guint64  length,
                 gboolean masked)
{
  return 2 + (length >= 65536 ? 8 : length >= 126 ? 2 : 0) + (masked ? 4 : 0) + length;
}

/* The peer broke the protocol: it gets @code and nothing of it is read any more (as wslay's
 * event API does). */
static void
conn_fail (LiveConn   *c,
           guint16     code,
           const char *reason)
{
  c->read_done = TRUE;
  conn_close_with (c, code, reason);
}

static gboolean
status_code_valid (guint code)
{
  return (code >= 1000 && code <= 1011 && code != 1004 && code != 1005 && code != 1006) ||
         (code >= 3000 && code <= 4999);
}

/* A frame starts: FALSE when the peer broke the protocol. */
static gboolean
reader_frame_begins (LiveConn                      *c,
                     const struct wslay_frame_iocb *iocb)
{
  Reader *reader = c->reader;

  reader->in_frame = TRUE;
  reader->opcode = iocb->opcode;
  reader->fin = iocb->fin;
  reader->masked = iocb->mask;
  reader->length = iocb->payload_length;
  reader->offset = 0;
  /* A client masks its frames, and no extension was agreed. */
  if (iocb->rsv != 0 || !iocb->mask)
    goto bad;
  switch (iocb->opcode)
    {
    case WSLAY_CONTINUATION_FRAME:
      if (reader->message_opcode == 0)
        goto bad;
      break;
    case WSLAY_TEXT_FRAME:
    case WSLAY_BINARY_FRAME:
      if (reader->message_opcode != 0)
        goto bad;
      reader->message_opcode = iocb->opcode;
      break;
    case WSLAY_CONNECTION_CLOSE:
    case WSLAY_PING:
    case WSLAY_PONG:
      return TRUE;
    default:
      goto bad;
    }
  if (reader->message_length + iocb->payload_length > MAX_MESSAGE_BYTES)
    {
      conn_fail (c, 1009, "messages are 64 KiB at most");
      return FALSE;
    }
  reader->message_length += iocb->payload_length;
  return TRUE;

bad:
  conn_fail (c, 1002, "not a WebSocket frame a client may send");
  return FALSE;
}

/* Keeps a piece of a frame that did not come whole. */
static void
reader_keep (Reader       *reader,
             const guint8 *data,
             gsize         len,
             guint64       at)
{
  if (reader->opcode & 0x8)
    memcpy (reader->control + at, data, len);
  else if (reader->message_opcode == WSLAY_TEXT_FRAME)
    {
      if (reader->message == NULL)
        reader->message = g_byte_array_new ();
      g_byte_array_append (reader->message, data, len);
    }
}

static void
reader_close_received (LiveConn     *c,
                       const guint8 *data,
                       gsize         len)
{
  guint code = len >= 2 ? (data[0] << 8) | data[1] : 0;

  c->read_done = TRUE;
  if (len == 1 || (len >= 2 && !status_code_valid (code)))
    conn_close_with (c, 1002, "bad close frame");
  else if (len > 2 && !g_utf8_validate_len ((const char *) data + 2, len - 2, NULL))
    conn_close_with (c, 1007, "the close reason is not UTF-8");
  else
    conn_close_with (c, code, "");   /* the answer, unless ours went first */
}

/* A frame is in: @data is its payload if it came in one piece, else NULL (it is kept). */
static void
reader_frame_ends (LiveConn     *c,
                   const guint8 *data,
                   gsize         len)
{
  Reader *reader = c->reader;
  guint8 opcode;
  Frame *pong;

  c->last_rx_us = g_get_monotonic_time ();
  if (reader->opcode & 0x8)
    {
      if (data == NULL)
        {
          data = reader->control;
          len = reader->length;
        }
      /* Pongs count against the queue limit too: pinging without reading is not reading. */
      if (reader->opcode == WSLAY_PING && !c->closing)
        {
          pong = frame_new (c->lloop, WSLAY_PONG, data, len);
          conn_send_frame (c, pong);
          frame_unref (pong);
        }
      else if (reader->opcode == WSLAY_CONNECTION_CLOSE)
        reader_close_received (c, data, len);
      return;
    }

  /* A piece of a message that came in several frames. */
  if (data != NULL && (reader->message != NULL || !reader->fin))
    {
      reader_keep (reader, data, len, 0);
      data = NULL;
    }
  if (!reader->fin)
    return;
  opcode = reader->message_opcode;
  reader->message_opcode = 0;
  reader->message_length = 0;
  if (data == NULL)
    {
      data = reader->message != NULL ? reader->message->data : (const guint8 *) "";
      len = reader->message != NULL ? reader->message->len : 0;
    }
  if (opcode == WSLAY_BINARY_FRAME)
    conn_close_with (c, 1003, "the feed speaks JSON text frames only");
  else if (!g_utf8_validate_len ((const char *) data, len, NULL))
    conn_fail (c, 1007, "a text message must be UTF-8");
  else if (!c->closing)
    handle_text (c, data, len);
  g_clear_pointer (&reader->message, g_byte_array_unref);
}

/* Reads what came. The parser lives only while a frame is partly in: an idle client costs
 * no more than its socket. */
static void
conn_read (LiveConn *c)
{
  Reader *reader = c->reader;

  /* Waiting for a subscription; or nothing to read (wslay may still hold whole frames that
   * came behind the last subscription). */
  if (c->read_done || c->subscribe != NULL ||
      (c->sock->input->size == 0 && (reader == NULL || reader->fed == reader->done)))
    goto out;
  if (reader == NULL)
    {
      struct wslay_frame_callbacks callbacks = { NULL, reader_recv_cb, NULL };

      reader = c->reader = g_new0 (Reader, 1);
      reader->sock = c->sock;
      if (wslay_frame_context_init (&reader->frame, &callbacks, reader) != 0)
        g_error ("live feed: out of memory");
    }
  while (!c->read_done && c->subscribe == NULL)
    {
      struct wslay_frame_iocb iocb;
      ssize_t r = wslay_frame_recv (reader->frame, &iocb);
      gboolean whole;
      guint64 at;

      if (r == WSLAY_ERR_WANT_READ)
        break;
      if (r < 0)
        {
          conn_fail (c, 1002, "not a WebSocket frame");
          break;
        }
      if (!reader->in_frame && !reader_frame_begins (c, &iocb))
        break;
      at = reader->offset;
      whole = at == 0 && iocb.data_length == reader->length;
      reader->offset += iocb.data_length;
      if (!whole)
        reader_keep (reader, iocb.data, iocb.data_length, at);
      if (reader->offset == reader->length)
        {
          reader->in_frame = FALSE;
          reader->done += frame_wire_size (reader->length, reader->masked);
          reader_frame_ends (c, whole ? iocb.data : NULL, whole ? iocb.data_length : 0);
        }
    }

out:
  if (c->read_done)
    h2o_buffer_consume (&c->sock->input, c->sock->input->size);
  if (reader != NULL && (c->read_done || (!reader->in_frame && reader->fed == reader->done &&
                                          reader->message_opcode == 0)))
    g_clear_pointer (&c->reader, reader_free);
  /* Nor does it keep h2o's read buffer (8 KiB) between messages. */
  if (c->sock->input->size == 0 && c->sock->input->bytes != NULL)
    {
      h2o_buffer_dispose (&c->sock->input);
      h2o_buffer_init (&c->sock->input, &h2o_socket_buffer_prototype);
    }
}

/* After reading: what to write goes, and a client whose close went both ways goes. */
static void
conn_after_read (LiveConn *c)
{
  if (c->closing && c->read_done && c->out_len == 0)
    {
      conn_destroy (c);
      return;
    }
  conn_write (c);
}

static void
on_read (h2o_socket_t *sock,
         const char   *err)
{
  LiveConn *c = sock->data;

  if (err != NULL)
    {
      conn_destroy (c);
      return;
    }
  conn_read (c);
  conn_after_read (c);
}

static void
on_upgraded (void         *user_data,
             h2o_socket_t *sock,
             size_t        reqsize)
{
  LiveConn *c = user_data;

  if (sock == NULL)
    {
      conn_destroy (c);
      return;
    }
  c->sock = sock;
  sock->data = c;
  h2o_buffer_consume (&sock->input, reqsize);
  conn_tune (c);
  h2o_socket_read_start (sock, on_read);
  conn_read (c);
  conn_after_read (c);
}

/* Sec-WebSocket-Accept for @client_key (RFC 6455, 4.2.2; the key is 24 characters). */
static char *
websocket_accept_key (const char *client_key)
{
  static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize len = sizeof digest;

  g_checksum_update (sha1, (const guchar *) client_key, 24);
  g_checksum_update (sha1, (const guchar *) guid, sizeof guid - 1);
  g_checksum_get_digest (sha1, digest, &len);
  return g_base64_encode (digest, len);
}

void
parkd_live_upgrade (ParkdLiveLoop *lloop,
                    ParkdRequest  *r)
{
  ParkdLive *live = lloop->live;
  const char *client_key = NULL;
  g_autoptr(GString) hello = NULL;
  g_autofree char *accept_key = NULL;
  LiveConn *c;

  if (r->req->version >= 0x200 || h2o_is_websocket_handshake (r->req, &client_key) != 0 ||
      client_key == NULL)
    {
      parkd_reply_add_header (r, "upgrade", "websocket");
      parkd_reply_problem (r, 426, "upgrade-required", NULL,
                           "This address is a WebSocket (RFC 6455): connect with an HTTP/1.1 "
                           "Upgrade: websocket handshake");
      return;
    }

  c = g_new0 (LiveConn, 1);
  c->lloop = lloop;
  c->lots = g_array_new (FALSE, FALSE, sizeof (SubRef));
  c->last_rx_us = c->last_ping_us = c->tokens_at_us = g_get_monotonic_time ();
  c->tokens = 2.0 * MESSAGES_PER_SECOND;
  h2o_linklist_insert (&lloop->conns, &c->link);
  g_atomic_int_inc (&live->clients);

  /* The handshake's answer (as h2o's WebSocket glue gives it); the socket is the feed's
   * once it is written (on_upgraded). */
  r->status = 101;
  _parkd_server_request_done (r, 0);
  accept_key = websocket_accept_key (client_key);
  r->req->res.status = 101;
  r->req->res.reason = "Switching Protocols";
  h2o_add_header (&r->req->pool, &r->req->res.headers, H2O_TOKEN_UPGRADE, NULL,
                  H2O_STRLIT ("websocket"));
  h2o_add_header_by_str (&r->req->pool, &r->req->res.headers, H2O_STRLIT ("sec-websocket-accept"),
                         0, NULL, accept_key, strlen (accept_key));
  h2o_http1_upgrade (r->req, NULL, 0, on_upgraded, c);

  /* Goes out once the handshake's answer is written. */
  hello = g_string_new ("{\"type\":\"hello\"");
  parkd_json_append_member (hello, "protocol");
  parkd_json_append_uint (hello, LIVE_PROTOCOL);
  parkd_json_append_member (hello, "ping_interval");
  parkd_json_append_uint (hello, live->config->live_ping_interval);
  parkd_json_append_member (hello, "max_lots");
  parkd_json_append_uint (hello, live->config->live_max_lots);
  parkd_json_append_member (hello, "max_message_bytes");
  parkd_json_append_uint (hello, MAX_MESSAGE_BYTES);
  g_string_append_c (hello, '}');
  conn_send_string (c, hello);
}

void
parkd_handle_live (ParkdRequest *r)
{
  ParkdLiveLoop *lloop = _parkd_server_worker_live (r->worker);

  if (lloop == NULL)
    {
      parkd_reply_problem (r, 503, "unavailable", NULL, "The live feed is not running");
      return;
    }
  parkd_live_upgrade (lloop, r);
}

/* ---- Each loop ---------------------------------------------------------------------- */

/* How many deliveries a loop queues at a time: queueing is a pointer and a reference each,
 * about 1 ms for all of these. */
#define FAN_OUT_SLICE 16384

/* How many clients a loop writes to between two looks at the clock. */
#define WRITE_SLICE 128

/* How long a loop goes on queueing and writing, while clients wait for a message, before it
 * looks at its sockets again (and then comes back for the rest).
 *
 * An update is worth most when it is new: a driver heading for the last free spot must hear
 * at once that it went. So while a message is on its way the feed comes first, and the
 * requests waiting on the loop's sockets get a turn at least every 100 ms. A change to 5,000
 * clients of one loop is about 40 ms of writing (mostly the kernel's), so a loop delivers it
 * in one turn even on a busy machine; a few hundred clients take a millisecond or two. The
 * requests it holds back meanwhile are answered a little later, not refused, and their
 * clients send no more until they are: a loop flooded with searches does not starve the feed
 * of the CPU. (Writing a fixed 1,024 clients a turn instead gave the feed about half of a loop
 * busy with searches, and changes queued up behind each other.) */
#define FAN_OUT_TURN_US (100 * G_TIME_SPAN_MILLISECOND)

/* Has the loop come back to the fan-out on its next turn, after what its sockets have for it.
 * The loop posts itself an empty BatchPost, which wakes it as a batch would. */
static void
fan_out_later (ParkdLiveLoop *lloop)
{
  BatchPost *again;

  if (lloop->resuming)
    return;
  again = g_new0 (BatchPost, 1);
  lloop->resuming = TRUE;
  h2o_multithread_send_message (&lloop->receiver, &again->link);
}

/* Queues @msg to its clients, at most *@budget of them; FALSE when the budget ran out first
 * (the next call goes on where this one stopped). The message is framed once, and every
 * client queues the same frame. */
static gboolean
fan_out_message (ParkdLiveLoop *lloop,
                 const LiveMsg *msg,
                 guint         *budget)
{
  if (msg->kind == MSG_LOT)
    {
      LotSubs *watchers = g_hash_table_lookup (lloop->subs, msg->key);
      guint left = watchers != NULL ? watchers->subs->len : 0;

      /* Served from the end: a client leaving meanwhile moves the last one (served) into
       * its place, and one coming has the message in its snapshot. */
      if (lloop->msg_started)
        left = MIN (left, lloop->msg_left);
      while (left > 0)
        {
          Sub *sub;

          if (*budget == 0)
            {
              lloop->msg_started = TRUE;
              lloop->msg_left = left;
              return FALSE;
            }
          sub = &g_array_index (watchers->subs, Sub, --left);
          /* Already in the client's snapshot or replay. */
          if (msg->seq <= sub->seen)
            continue;
          sub->seen = msg->seq;
          if (lloop->msg_frame == NULL)
            lloop->msg_frame = frame_new (lloop, WSLAY_TEXT_FRAME, msg->text, msg->len);
          lloop->sent += conn_send_frame (sub->conn, lloop->msg_frame);
          (*budget)--;
        }
    }
  else
    {
      GPtrArray *conns = g_hash_table_lookup (lloop->users, msg->key);

      for (guint i = 0; conns != NULL && i < conns->len; i++)
        {
          if (lloop->msg_frame == NULL)
            lloop->msg_frame = frame_new (lloop, WSLAY_TEXT_FRAME, msg->text, msg->len);
          lloop->sent += conn_send_frame (g_ptr_array_index (conns, i), lloop->msg_frame);
        }
    }
  lloop->msg_started = FALSE;
  g_clear_pointer (&lloop->msg_frame, frame_unref);
  return TRUE;
}

/* Queues what came to the clients that want it, FAN_OUT_SLICE deliveries at most; TRUE when
 * all of it is queued. */
static gboolean
queue_posts (ParkdLiveLoop *lloop)
{
  guint budget = FAN_OUT_SLICE;
  BatchPost *post;

  while ((post = g_queue_peek_head (&lloop->posts)) != NULL)
    {
      GArray *msgs = post->batch->msgs;

      for (; lloop->msg_index < msgs->len; lloop->msg_index++)
        if (!fan_out_message (lloop, &g_array_index (msgs, LiveMsg, lloop->msg_index), &budget))
          break;
      if (lloop->msg_index < msgs->len)
        break;
      g_queue_pop_head (&lloop->posts);
      lloop->msg_index = 0;
      batch_unref (post->batch);
      g_free (post);
    }
  /* One atomic add per slice, not one per delivery on a counter both loops share. */
  g_atomic_int_add (&lloop->live->sent, lloop->sent);
  lloop->sent = 0;
  return g_queue_is_empty (&lloop->posts);
}

/* Queues and writes what is waiting, for FAN_OUT_TURN_US at most; what is left waits for the
 * loop's next turn. */
static void
fan_out (ParkdLiveLoop *lloop)
{
  gint64 until = g_get_monotonic_time () + FAN_OUT_TURN_US;
  gboolean queued, written;

  do
    {
      queued = queue_posts (lloop);
      written = flush_dirty (lloop, WRITE_SLICE);
    }
  while (!(queued && written) && g_get_monotonic_time () < until);
  if (!(queued && written))
    fan_out_later (lloop);
}

static void
on_batches (h2o_multithread_receiver_t *receiver,
            h2o_linklist_t             *messages)
{
  ParkdLiveLoop *lloop = H2O_STRUCT_FROM_MEMBER (ParkdLiveLoop, receiver, receiver);

  while (!h2o_linklist_is_empty (messages))
    {
      BatchPost *post = H2O_STRUCT_FROM_MEMBER (BatchPost, link.link, messages->next);

      h2o_linklist_unlink (&post->link.link);
      if (post->batch != NULL)
        g_queue_push_tail (&lloop->posts, post);
      else if (post->subscribe != NULL)
        {
          subscribe_done (post->subscribe);
          g_free (post);
        }
      else
        {
          lloop->resuming = FALSE;
          g_free (post);
        }
    }
  /* While a slice is due, what came waits for it. */
  if (!lloop->resuming)
    fan_out (lloop);
}

static void
on_tick (h2o_timeout_entry_t *entry)
{
  ParkdLiveLoop *lloop = H2O_STRUCT_FROM_MEMBER (ParkdLiveLoop, tick, entry);
  ParkdLive *live = lloop->live;
  gint64 now = g_get_monotonic_time ();
  gint64 wall = g_get_real_time () / G_USEC_PER_SEC;
  gint64 ping_us = (gint64) live->config->live_ping_interval * G_USEC_PER_SEC;
  /* Clients that connected together (a kiosk fleet after a power cut, a restart of parkd)
   * would be pinged together every interval, and their thousands of pings and pongs would
   * hold up the updates of that second. So each tick pings at most as many as spreads a
   * round over half an interval; the rest wait a tick or two, and so drift apart. */
  guint max_pings = MAX (64u, lloop->n_conns * 2 / MAX (1, live->config->live_ping_interval));
  guint pings = 0, n_conns = 0;
  h2o_linklist_t *node, *next;

  for (node = lloop->conns.next; node != &lloop->conns; node = next)
    {
      LiveConn *c = H2O_STRUCT_FROM_MEMBER (LiveConn, link, node);
      gboolean ping_outstanding;

      next = node->next;
      if (c->sock == NULL)
        continue;
      n_conns++;
      if (c->closing)
        {
          if (now >= c->close_by_us)
            conn_destroy (c);
          continue;
        }
      /* A ping unanswered for an interval (and nothing else heard since it went): gone.
       * Quiet for an interval: pinged. So a dead peer goes after about two intervals. */
      ping_outstanding = c->last_ping_us > c->last_rx_us;
      if (ping_outstanding && now - c->last_ping_us >= ping_us)
        {
          g_atomic_int_inc (&live->dropped_dead);
          conn_destroy (c);
          continue;
        }
      if (!ping_outstanding && now - c->last_rx_us >= ping_us && pings < max_pings)
        {
          c->last_ping_us = now;
          conn_queue (c, lloop->ping);
          pings++;
        }
      if (c->user_id != NULL && c->user_exp <= wall)
        {
          static const char expired[] = "{\"type\":\"auth_expired\"}";

          conn_sign_out (c);
          conn_send (c, expired, sizeof expired - 1);
        }
    }
  lloop->n_conns = n_conns;
  /* Pings to thousands of clients go a turn at a time too; a fan-out already under way
   * comes back for them. */
  if (!lloop->resuming)
    fan_out (lloop);
  h2o_timeout_link (lloop->loop, &lloop->tick_timeout, &lloop->tick);
}

ParkdLiveLoop *
parkd_live_attach (ParkdLive               *self,
                   h2o_evloop_t            *loop,
                   h2o_multithread_queue_t *queue)
{
  ParkdLiveLoop *lloop = g_new0 (ParkdLiveLoop, 1);
  struct wslay_frame_callbacks callbacks = { framed_cb, NULL, NULL };

  lloop->live = self;
  lloop->loop = loop;
  lloop->queue = queue;
  lloop->subs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) lot_subs_free);
  lloop->users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
  lloop->dirty = g_ptr_array_new ();
  lloop->framed = g_byte_array_new ();
  if (wslay_frame_context_init (&lloop->framer, &callbacks, lloop) != 0)
    g_error ("live feed: out of memory");
  lloop->ping = frame_new (lloop, WSLAY_PING, NULL, 0);
  h2o_linklist_init_anchor (&lloop->conns);
  h2o_multithread_register_receiver (queue, &lloop->receiver, on_batches);
  h2o_timeout_init (loop, &lloop->tick_timeout, 1000);
  lloop->tick.cb = on_tick;
  h2o_timeout_link (loop, &lloop->tick_timeout, &lloop->tick);

  g_mutex_lock (&self->loops_lock);
  g_ptr_array_add (self->loops, lloop);
  g_mutex_unlock (&self->loops_lock);
  return lloop;
}

void
parkd_live_shutdown (ParkdLiveLoop *lloop)
{
  h2o_linklist_t *node, *next;

  for (node = lloop->conns.next; node != &lloop->conns; node = next)
    {
      LiveConn *c = H2O_STRUCT_FROM_MEMBER (LiveConn, link, node);

      next = node->next;
      if (c->sock != NULL)
        conn_close_with (c, 1001, "the server is restarting: reconnect and resume");
    }
  flush_dirty (lloop, G_MAXUINT);
}

void
parkd_live_detach (ParkdLiveLoop *lloop)
{
  ParkdLive *live = lloop->live;

  g_mutex_lock (&live->loops_lock);
  g_ptr_array_remove (live->loops, lloop);
  g_mutex_unlock (&live->loops_lock);

  /* No batch comes any more, and the subscriptions on the pool come back soon (or are
   * here); drop what is not yet taken. */
  while (g_atomic_int_get (&lloop->subscribing) > 0)
    g_usleep (1000);
  while (!h2o_linklist_is_empty (&lloop->receiver._messages))
    {
      BatchPost *post = H2O_STRUCT_FROM_MEMBER (BatchPost, link.link,
                                                lloop->receiver._messages.next);

      h2o_linklist_unlink (&post->link.link);
      if (post->batch != NULL)
        batch_unref (post->batch);
      if (post->subscribe != NULL)
        {
          if (post->subscribe->conn != NULL)
            post->subscribe->conn->subscribe = NULL;
          subscribe_free (post->subscribe);
        }
      g_free (post);
    }
  h2o_multithread_unregister_receiver (lloop->queue, &lloop->receiver);
  while (!g_queue_is_empty (&lloop->posts))
    {
      BatchPost *post = g_queue_pop_head (&lloop->posts);

      batch_unref (post->batch);
      g_free (post);
    }
  g_clear_pointer (&lloop->msg_frame, frame_unref);

  while (!h2o_linklist_is_empty (&lloop->conns))
    conn_destroy (H2O_STRUCT_FROM_MEMBER (LiveConn, link, lloop->conns.next));
  if (h2o_timeout_is_linked (&lloop->tick))
    h2o_timeout_unlink (&lloop->tick);
  h2o_timeout_dispose (lloop->loop, &lloop->tick_timeout);
  g_hash_table_unref (lloop->subs);
  g_hash_table_unref (lloop->users);
  g_ptr_array_unref (lloop->dirty);
  frame_unref (lloop->ping);
  wslay_frame_context_free (lloop->framer);
  g_byte_array_unref (lloop->framed);
  g_free (lloop);
}

/* ---- The publisher ------------------------------------------------------------------ */

static void
kick (gpointer data)
{
  ParkdLive *self = data;

  g_mutex_lock (&self->kick_lock);
  self->kicked = TRUE;
  g_cond_signal (&self->kick_cond);
  g_mutex_unlock (&self->kick_lock);
}

/* Takes a lot message into the table; FALSE when the table already had it (the feed started
 * after it was written). */
static gboolean
apply_lot_message (ParkdLive        *self,
                   const ParkdEvent *event,
                   char            **lot_id_out,
                   gint64           *seq_out)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *payload, *available, *total;
  const char *lot_id;
  LotState *state;
  gint64 seq;
  gboolean fresh;

  if (!json_parser_load_from_data (parser, event->payload, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  payload = json_node_get_object (json_parser_get_root (parser));
  lot_id = json_object_get_string_member_with_default (payload, "lot_id", NULL);
  seq = json_object_get_int_member_with_default (payload, "seq", -1);
  if (lot_id == NULL || seq < 0 || !json_object_has_member (payload, "available") ||
      !json_object_has_member (payload, "total"))
    return FALSE;
  available = json_object_get_object_member (payload, "available");
  total = json_object_get_object_member (payload, "total");
  if (available == NULL || total == NULL)
    return FALSE;

  g_rw_lock_writer_lock (&self->lots_lock);
  state = g_hash_table_lookup (self->lots, lot_id);
  if (state == NULL)
    {
      state = g_new0 (LotState, 1);
      state->seq = -1;
      g_hash_table_insert (self->lots, g_strdup (lot_id), state);
    }
  fresh = seq > state->seq;
  if (fresh)
    {
      state->seq = seq;
      g_free (state->status);
      state->status = g_strdup (json_object_get_string_member_with_default (payload, "status",
                                                                            "open"));
      for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
        {
          const char *name = parkd_spot_type_to_string (t);

          state->availability[t].available = json_object_get_int_member_with_default (available,
                                                                                       name, 0);
          state->availability[t].total = json_object_get_int_member_with_default (total, name, 0);
        }
    }
  g_rw_lock_writer_unlock (&self->lots_lock);
  *lot_id_out = g_strdup (lot_id);
  *seq_out = seq;
  return fresh;
}

static void
post_batch (ParkdLive *self,
            GArray    *msgs)
{
  Batch *batch;

  g_atomic_int_add (&self->published, msgs->len);
  g_mutex_lock (&self->loops_lock);
  if (self->loops->len == 0)
    {
      g_mutex_unlock (&self->loops_lock);
      g_array_unref (msgs);
      return;
    }
  batch = g_new0 (Batch, 1);
  batch->msgs = msgs;
  batch->refs = self->loops->len;
  for (guint i = 0; i < self->loops->len; i++)
    {
      ParkdLiveLoop *lloop = g_ptr_array_index (self->loops, i);
      BatchPost *post = g_new0 (BatchPost, 1);

      post->batch = batch;
      h2o_multithread_send_message (&lloop->receiver, &post->link);
    }
  g_mutex_unlock (&self->loops_lock);
}

/* Appends outbox events to the stream and says how far it goes on the channel, in one
 * script, so that however many replicas append the same events, each is in the stream once
 * under the entry ID "<outbox seq>-0" (IDs only grow) and the channel hears only of new ones.
 * With no events it only answers how far the stream goes. Answers {appended, last seq}. */
static const char stream_script[] =
  "local last = 0\n"
  "local info = redis.pcall('XINFO', 'STREAM', KEYS[1])\n"
  "if type(info) == 'table' and not info.err then\n"
  "  for i = 1, #info, 2 do\n"
  "    if info[i] == 'last-generated-id' then\n"
  "      last = tonumber(string.match(info[i + 1], '^(%d+)'))\n"
  "    end\n"
  "  end\n"
  "end\n"
  "local n = 0\n"
  "for i = 3, #ARGV, 8 do\n"
  "  local seq = tonumber(ARGV[i])\n"
  "  if seq > last then\n"
  "    local args = {'XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], ARGV[i] .. '-0',\n"
  "                  'seq', ARGV[i], 'id', ARGV[i + 1], 'type', ARGV[i + 2],\n"
  "                  'aggregate', ARGV[i + 3]}\n"
  "    if ARGV[i + 4] ~= '' then\n"
  "      table.insert (args, 'operator_id'); table.insert (args, ARGV[i + 4])\n"
  "    end\n"
  "    if ARGV[i + 5] ~= '' then\n"
  "      table.insert (args, 'user_id'); table.insert (args, ARGV[i + 5])\n"
  "    end\n"
  "    table.insert (args, 'created_at'); table.insert (args, ARGV[i + 6])\n"
  "    table.insert (args, 'payload'); table.insert (args, ARGV[i + 7])\n"
  "    redis.call (unpack (args))\n"
  "    last = seq\n"
  "    n = n + 1\n"
  "  end\n"
  "end\n"
  "if n > 0 then redis.call ('PUBLISH', ARGV[2], tostring (last)) end\n"
  "return {n, last}\n";

/* Runs the stream script with @events (of which those after @self->streamed count); FALSE
 * when Redis did not answer. */
static gboolean
stream_append (ParkdLive *self,
               GPtrArray *events)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (NULL);
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(ParkdRedisReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  gint64 last;

  g_ptr_array_add (argv, (char *) "EVAL");
  g_ptr_array_add (argv, (char *) stream_script);
  g_ptr_array_add (argv, (char *) "1");
  g_ptr_array_add (argv, (char *) STREAM_KEY);
  g_ptr_array_add (argv, (char *) STREAM_MAXLEN);
  g_ptr_array_add (argv, (char *) LIVE_CHANNEL);
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      const ParkdEvent *event = g_ptr_array_index (events, i);
      char *seq;

      if (event->seq <= self->streamed)
        continue;
      seq = g_strdup_printf ("%" G_GINT64_FORMAT, event->seq);
      g_ptr_array_add (owned, seq);
      g_ptr_array_add (argv, seq);
      g_ptr_array_add (argv, event->id);
      g_ptr_array_add (argv, event->type);
      g_ptr_array_add (argv, event->aggregate != NULL ? event->aggregate : (char *) "");
      g_ptr_array_add (argv, event->operator_id != NULL ? event->operator_id : (char *) "");
      g_ptr_array_add (argv, event->user_id != NULL ? event->user_id : (char *) "");
      g_ptr_array_add (argv, event->created_at);
      g_ptr_array_add (argv, event->payload);
    }
  if (events != NULL && argv->len == 6)
    return TRUE;
  reply = parkd_redis_command_sync (self->redis, argv->len, (const char **) argv->pdata, NULL,
                                    &error);
  if (reply == NULL || reply->type != PARKD_REDIS_REPLY_ARRAY || reply->elements != 2)
    {
      g_debug ("live feed: cannot append to the stream: %s",
               error != NULL ? error->message : "unexpected answer");
      return FALSE;
    }
  g_atomic_int_add (&self->streamed_n, (gint) reply->element[0]->integer);
  last = reply->element[1]->integer;
  if (events == NULL)
    {
      /* The first answer after start: a stream that goes further than the outbox was
       * published here is not re-appended; one that stopped long ago is not filled with
       * more than it keeps; a new one gets what this parkd published since it started,
       * even what went out before Redis first answered. */
      gint64 keep = g_ascii_strtoll (STREAM_MAXLEN, NULL, 10);

      self->streamed = last > 0 ? MAX (last, self->cursor - keep) : self->start_cursor;
    }
  else
    self->streamed = MAX (self->streamed,
                          ((ParkdEvent *) g_ptr_array_index (events, events->len - 1))->seq);
  return TRUE;
}

/* Brings the stream up to the cursor: what was read while Redis was away goes in now, in
 * order. Events another replica said it streamed are not sent again. */
static void
stream_catch_up (ParkdLive *self)
{
  gint64 heard;

  if (self->redis == NULL || !parkd_redis_is_up (self->redis))
    return;
  if (self->streamed < 0 && !stream_append (self, NULL))
    return;
  g_mutex_lock (&self->kick_lock);
  heard = self->heard;
  g_mutex_unlock (&self->kick_lock);
  self->streamed = MAX (self->streamed, MIN (heard, self->cursor));
  while (self->streamed < self->cursor)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) events = parkd_store_list_events (self->store, self->streamed,
                                                             OUTBOX_BATCH, &error);

      if (events == NULL)
        {
          g_warning ("live feed: cannot read the outbox: %s", error->message);
          return;
        }
      if (events->len == 0)
        {
          self->streamed = self->cursor;
          return;
        }
      if (!stream_append (self, events))
        return;
    }
}

/* Reads what the outbox holds after the cursor and posts it; FALSE when there was nothing
 * (or the store failed, which is logged). */
static gboolean
publish_some (ParkdLive *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = parkd_store_list_events (self->store, self->cursor,
                                                         OUTBOX_BATCH, &error);
  gboolean stream_in_step;
  GArray *msgs;

  if (events == NULL)
    {
      g_warning ("live feed: cannot read the outbox: %s", error->message);
      return FALSE;
    }
  if (events->len == 0)
    return FALSE;

  msgs = g_array_sized_new (FALSE, FALSE, sizeof (LiveMsg), events->len);
  g_array_set_clear_func (msgs, (GDestroyNotify) live_msg_clear);
  for (guint i = 0; i < events->len; i++)
    {
      const ParkdEvent *event = g_ptr_array_index (events, i);
      const char *user_type = user_message_type (event);
      LiveMsg msg = { 0 };
      GString *text;

      if (g_str_equal (event->type, "SpotStateChanged") ||
          g_str_equal (event->type, "LotStatusChanged"))
        {
          if (!apply_lot_message (self, event, &msg.key, &msg.seq))
            {
              g_free (msg.key);
              continue;
            }
          msg.kind = MSG_LOT;
          text = g_string_sized_new (strlen (event->payload) + 96);
          append_update (text, event->payload, event->created_at, FALSE);
        }
      else if (user_type != NULL)
        {
          msg.kind = MSG_USER;
          msg.key = g_strdup (event->user_id);
          text = g_string_sized_new (strlen (event->payload) + 128);
          g_string_append (text, "{\"type\":");
          parkd_json_append_string (text, user_type);
          parkd_json_append_member (text, "event");
          parkd_json_append_string (text, event->type);
          if (strlen (event->payload) > 2)
            {
              g_string_append_c (text, ',');
              g_string_append_len (text, event->payload + 1, strlen (event->payload) - 2);
            }
          parkd_json_append_member (text, "ts");
          parkd_json_append_string (text, event->created_at);
          g_string_append_c (text, '}');
        }
      else
        continue;
      msg.len = text->len;
      msg.text = g_string_free (text, FALSE);
      g_array_append_val (msgs, msg);
    }
  stream_in_step = self->streamed >= self->cursor;
  self->cursor = ((ParkdEvent *) g_ptr_array_index (events, events->len - 1))->seq;
  /* This replica's clients first: Redis being slow or away does not hold them up. */
  if (msgs->len > 0)
    post_batch (self, msgs);
  else
    g_array_unref (msgs);
  /* The events just read go on to the stream unless another replica was quicker; a stream
   * behind (Redis was away) is caught up from the outbox first, in order. */
  if (self->redis != NULL && parkd_redis_is_up (self->redis))
    {
      gint64 heard;

      g_mutex_lock (&self->kick_lock);
      heard = self->heard;
      g_mutex_unlock (&self->kick_lock);
      if (stream_in_step)
        {
          self->streamed = MAX (self->streamed, MIN (heard, self->cursor));
          if (self->streamed < self->cursor)
            stream_append (self, events);
        }
      else
        stream_catch_up (self);
    }
  return events->len == OUTBOX_BATCH;
}

/* On the Redis thread: another replica (or this one) appended to the stream up to the seq
 * in @message; NULL when the subscription was (re)made and messages may have been missed.
 * Either way the outbox is read now: it, not the message, says what changed, so every
 * replica delivers each event once and in order, whatever Redis lost. */
static void
on_live_message (const char *channel,
                 const char *message,
                 gsize       len,
                 gpointer    user_data)
{
  ParkdLive *self = user_data;
  gint64 seq = message != NULL ? g_ascii_strtoll (message, NULL, 10) : 0;

  g_atomic_int_inc (&self->kicks);
  g_mutex_lock (&self->kick_lock);
  self->heard = MAX (self->heard, seq);
  self->kicked = TRUE;
  g_cond_signal (&self->kick_cond);
  g_mutex_unlock (&self->kick_lock);
}

static gpointer
publisher_main (gpointer data)
{
  ParkdLive *self = data;
  gint64 marked = self->cursor, mark_at = 0;

  while (TRUE)
    {
      gboolean shared = self->redis != NULL && parkd_redis_is_up (self->redis);
      /* Stopped before a number a running transaction holds: a rollback tells nobody. */
      gint64 poll_ms = parkd_store_outbox_waiting (self->store) ? OUTBOX_WAIT_POLL_MS
                       : shared ? REDIS_POLL_MS : PUBLISHER_POLL_MS;
      gint64 deadline = g_get_monotonic_time () + poll_ms * G_TIME_SPAN_MILLISECOND;
      gint64 now;

      g_mutex_lock (&self->kick_lock);
      while (!self->kicked && !self->stopping)
        if (!g_cond_wait_until (&self->kick_cond, &self->kick_lock, deadline))
          break;
      self->kicked = FALSE;
      if (self->stopping)
        {
          g_mutex_unlock (&self->kick_lock);
          break;
        }
      g_mutex_unlock (&self->kick_lock);

      while (publish_some (self))
        ;
      /* Redis back after a while: the stream gets what it missed. */
      if (self->redis != NULL && self->streamed < self->cursor)
        stream_catch_up (self);

      /* The outbox remembers how far it was published, a second at a time: one small write
       * instead of one per batch. */
      now = g_get_monotonic_time ();
      if (self->cursor > marked && now >= mark_at)
        {
          g_autoptr(GError) error = NULL;

          if (parkd_store_mark_published (self->store, self->cursor, &error))
            marked = self->cursor;
          else
            g_warning ("live feed: cannot mark the outbox published: %s", error->message);
          mark_at = now + G_USEC_PER_SEC;
        }
    }
  return NULL;
}

/* ---- The feed ----------------------------------------------------------------------- */

ParkdLive *
parkd_live_new (const ParkdConfig *config,
                ParkdStore        *store,
                ParkdAuth         *auth)
{
  ParkdLive *self = g_new0 (ParkdLive, 1);

  self->config = config;
  self->store = store;
  self->auth = auth;
  g_rw_lock_init (&self->lots_lock);
  self->lots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) lot_state_free);
  g_mutex_init (&self->loops_lock);
  self->loops = g_ptr_array_new ();
  g_mutex_init (&self->kick_lock);
  g_cond_init (&self->kick_cond);
  self->streamed = -1;
  if (parkd_store_get_concurrency (store) > 0)
    self->pool = g_thread_pool_new (subscribe_run, self,
                                    MIN (SUBSCRIBE_THREADS, parkd_store_get_concurrency (store)),
                                    FALSE, NULL);
  return self;
}

void
parkd_live_set_redis (ParkdLive  *self,
                      ParkdRedis *redis)
{
  g_return_if_fail (self->publisher == NULL);

  self->redis = redis;
  parkd_redis_subscribe (redis, LIVE_CHANNEL, on_live_message, self);
}

gboolean
parkd_live_start (ParkdLive  *self,
                  GError    **error)
{
  g_autoptr(GPtrArray) feeds = parkd_store_feed_start (self->store, &self->cursor, error);

  if (feeds == NULL)
    return FALSE;
  self->start_cursor = self->cursor;
  for (guint i = 0; i < feeds->len; i++)
    {
      ParkdLotFeed *feed = g_ptr_array_index (feeds, i);
      LotState *state = g_new0 (LotState, 1);

      state->seq = feed->seq;
      state->status = g_steal_pointer (&feed->status);
      memcpy (state->availability, feed->availability, sizeof state->availability);
      g_hash_table_insert (self->lots, g_steal_pointer (&feed->lot_id), state);
    }
  parkd_store_set_changed_func (self->store, kick, self);
  self->publisher = g_thread_new ("parkd-publisher", publisher_main, self);
  return TRUE;
}

void
parkd_live_stop (ParkdLive *self)
{
  if (self->publisher == NULL)
    return;
  g_mutex_lock (&self->kick_lock);
  self->stopping = TRUE;
  g_cond_signal (&self->kick_cond);
  g_mutex_unlock (&self->kick_lock);
  g_clear_pointer (&self->publisher, g_thread_join);
  parkd_store_set_changed_func (self->store, NULL, NULL);
}

void
parkd_live_free (ParkdLive *self)
{
  if (self == NULL)
    return;
  parkd_live_stop (self);
  /* Empty by now: each loop waited for its subscriptions as it was detached. */
  if (self->pool != NULL)
    g_thread_pool_free (self->pool, FALSE, TRUE);
  g_hash_table_unref (self->lots);
  g_rw_lock_clear (&self->lots_lock);
  g_ptr_array_unref (self->loops);
  g_mutex_clear (&self->loops_lock);
  g_mutex_clear (&self->kick_lock);
  g_cond_clear (&self->kick_cond);
  g_free (self);
}

void
parkd_live_append_metrics (ParkdLive *self,
                           GString   *out)
{
  g_string_append_printf (out,
    "# HELP parkd_live_clients Open live-feed connections.\n"
    "# TYPE parkd_live_clients gauge\n"
    "parkd_live_clients %d\n"
    "# HELP parkd_live_published_total Feed messages made from the events outbox.\n"
    "# TYPE parkd_live_published_total counter\n"
    "parkd_live_published_total %u\n"
    "# HELP parkd_live_sent_total Updates and events queued to clients.\n"
    "# TYPE parkd_live_sent_total counter\n"
    "parkd_live_sent_total %u\n"
    "# HELP parkd_live_writes_total Writes to live-feed clients; several updates may share one.\n"
    "# TYPE parkd_live_writes_total counter\n"
    "parkd_live_writes_total %u\n"
    "# HELP parkd_live_dropped_total Live-feed clients cut off, by reason.\n"
    "# TYPE parkd_live_dropped_total counter\n"
    "parkd_live_dropped_total{reason=\"slow\"} %d\n"
    "parkd_live_dropped_total{reason=\"silent\"} %d\n"
    "# HELP parkd_live_outbox_waiting 1 while the feed holds back events for one numbered "
    "before them whose transaction is still open.\n"
    "# TYPE parkd_live_outbox_waiting gauge\n"
    "parkd_live_outbox_waiting %d\n",
    g_atomic_int_get (&self->clients), (guint) g_atomic_int_get (&self->published),
    (guint) g_atomic_int_get (&self->sent), (guint) g_atomic_int_get (&self->writes),
    g_atomic_int_get (&self->dropped_slow),
    g_atomic_int_get (&self->dropped_dead),
    parkd_store_outbox_waiting (self->store) ? 1 : 0);
  if (self->redis != NULL)
    g_string_append_printf (out,
      "# HELP parkd_live_streamed_total Outbox events this replica appended to the Redis "
      "stream.\n"
      "# TYPE parkd_live_streamed_total counter\n"
      "parkd_live_streamed_total %u\n"
      "# HELP parkd_live_redis_messages_total Messages on the Redis channel telling this "
      "replica the outbox grew.\n"
      "# TYPE parkd_live_redis_messages_total counter\n"
      "parkd_live_redis_messages_total %u\n",
      (guint) g_atomic_int_get (&self->streamed_n), (guint) g_atomic_int_get (&self->kicks));
}
