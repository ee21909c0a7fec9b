/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * live-bench.c: a load generator for parkd's live feed (backend/LIVE.md, bench/README.md).
 *
 * One process and one epoll loop, or with --threads T one loop per thread once everyone is
 * subscribed (the main thread keeps 1/T of the subscribers, the changes and the commands; each
 * other thread reads its share of the subscribers), so that reading 10,000 updates per change
 * is not one core's job alone. It opens N WebSocket subscribers to parkd's
 * GET /api/v1/live (a raw RFC 6455 client: the upgrade handshake, masked client frames,
 * server frames parsed across partial reads, pings answered), subscribes each to the same
 * lots, so that every change of a spot in them fans out to all N, and then, on command, changes
 * spots through parkd's own API (PATCH /api/v1/admin/spots/{id}, on a few keep-alive HTTP/1.1
 * connections of its own) at a steady rate. For each change it takes the time from writing the
 * PATCH to the moment the last subscriber has read the matching availability_update, all on
 * one monotonic clock; and, so that a server too slow to take the changes at the rate does
 * not hide behind a late PATCH, also from the moment the steady rate said to send it (due).
 *
 * An update matches a change by the spot's id and its new state: change g flips spot g mod S,
 * so the same spot comes back only S / rate seconds later, long after its update is in. Each
 * subscriber also checks the lot's seq of every update against the last one it has (exactly
 * one more on one connection), so a lost, repeated or reordered update is counted.
 *
 * GLib parses the command line and nothing else; the hot path is plain epoll and read().
 *
 * Commands, one per line on standard input, are run one after the other once all subscribers
 * are connected (end of input: quit):
 *
 *   changes LABEL SECONDS   change spots at --rate for SECONDS, then print a CHANGES line
 *   status                  print a STATUS line
 *   quit                    put the spots it changed back to available, close every
 *                           connection and exit
 *
 * Results go to standard output as single lines of key=value pairs (READY, CHANGES, STATUS,
 * RESTORED), progress and problems to standard error; with --latencies, one line per change
 * goes to a file as well, so a script can pool the changes of several runs. The admin's access token comes from the
 * environment (LIVE_BENCH_TOKEN), so it does not show in the process list.
 */
#define _GNU_SOURCE   /* memmem */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ID_LEN            36            /* a UUID as text */
#define WS_GUID           "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define MAX_FRAME         (16 * 1024 * 1024)
#define MAX_HTTP_HEAD     (16 * 1024)
#define READ_CHUNK        (256 * 1024)
#define MAX_EVENTS        1024
#define MAX_HTTP_CONNS    32
#define MAX_THREADS       8
#define FD_RESERVE        64            /* stdin/out/err, epoll, the HTTP connections */
/* parkd closes keep-alive connections idle for its --request-timeout (10 s): one idle for
 * this long is replaced before it is used, or a change could cross parkd's close. */
#define HTTP_STALE_NS     (4 * G_GINT64_CONSTANT (1000000000))

/* Tags in the epoll data: the kind in the high half, an index in the low half. */
#define TAG_SUB           1
#define TAG_HTTP          2
#define TAG_STDIN         3
#define TAG(kind, index)  (((guint64) (kind) << 32) | (guint32) (index))

typedef enum
{
  SUB_IDLE,          /* not started */
  SUB_CONNECTING,
  SUB_HANDSHAKE,     /* upgrade request written, waiting for 101 */
  SUB_WAIT_HELLO,
  SUB_SUBSCRIBING,   /* subscribe written, waiting for the snapshot */
  SUB_SUBSCRIBED,
  SUB_FAILED,        /* never subscribed */
  SUB_CLOSED,        /* was subscribed, then the connection ended */
} SubState;

typedef struct
{
  int       fd;
  int       ep;            /* the epoll instance it is in */
  guint8    state;
  guint8    frag_opcode;
  guint8    want_out;      /* EPOLLOUT is on */
  char      key[25];       /* Sec-WebSocket-Key */
  guint8   *in;            /* bytes read but not yet a whole frame (or HTTP head) */
  gsize     in_len, in_cap;
  guint8   *frag;          /* a fragmented message being put together */
  gsize     frag_len, frag_cap;
  guint8   *out;           /* bytes the kernel did not take yet */
  gsize     out_len, out_cap;
  gint64    started_ns;
  gint64    subscribed_ns;
} Sub;

typedef enum
{
  HTTP_DOWN,
  HTTP_CONNECTING,
  HTTP_IDLE,
  HTTP_BUSY,
} HttpState;

typedef struct
{
  int        fd;
  HttpState  state;
  gboolean   want_out;
  char      *out;          /* the request being written */
  gsize      out_len, out_off;
  char      *in;
  gsize      in_len, in_cap;
  gint64     change;       /* index into the phase's changes, -1 when none */
  gint64     idle_since_ns;
} HttpConn;

enum
{
  SPOT_AVAILABLE,
  SPOT_OUT_OF_SERVICE,
};

static const char * const spot_states[] = { "available", "out_of_service" };

typedef struct
{
  gint64   due_ns;         /* when the steady rate says it should go */
  gint64   sent_ns;        /* the PATCH's first byte written */
  gint64   http_ns;        /* its answer read */
  gint64   first_ns;       /* the first subscriber read the update */
  gint64   last_ns;        /* the last one did */
  guint32  spot;
  guint8   target;         /* SPOT_* */
  gint32   status;         /* HTTP status, 0 while waiting */
  guint32  expected;       /* subscribers subscribed when it was sent */
  guint32  received;       /* first_ns, last_ns and this: atomic (the reader threads) */
} Change;

typedef char IdText[ID_LEN + 1];

/* Lot and spot ids to small indexes: open addressing, filled once. */
typedef struct
{
  IdText   *ids;
  guint     n;
  gint32   *slots;
  guint     mask;
} IdIndex;

typedef enum
{
  RUN_CONNECTING,
  RUN_IDLE,
  RUN_CHANGING,
  RUN_DRAINING,
  RUN_RESTORING,     /* quitting: spots it took out of service go back */
  RUN_QUIT,
} RunState;

/* ---- Options ----------------------------------------------------------------------- */

static char    *opt_host = "127.0.0.1";
static gint     opt_port = 0;
static gint     opt_subscribers = 1000;
static char    *opt_lots_file = NULL;
static char    *opt_spots_file = NULL;
static gdouble  opt_rate = 10.0;
static gint     opt_window = 512;
static gint     opt_http_conns = 8;
static gdouble  opt_grace = 30.0;
static gdouble  opt_connect_timeout = 60.0;
static char    *opt_latencies = NULL;
static gint     opt_threads = 1;

static GOptionEntry entries[] = {
  { "host", 0, 0, G_OPTION_ARG_STRING, &opt_host, "parkd's address (IPv4) [127.0.0.1]", "ADDR" },
  { "port", 'p', 0, G_OPTION_ARG_INT, &opt_port, "parkd's port (required)", "PORT" },
  { "subscribers", 'n', 0, G_OPTION_ARG_INT, &opt_subscribers,
    "WebSocket subscribers to open [1000]", "N" },
  { "lots", 0, 0, G_OPTION_ARG_FILENAME, &opt_lots_file,
    "File with the lot ids every subscriber watches, one a line (required)", "FILE" },
  { "spots", 0, 0, G_OPTION_ARG_FILENAME, &opt_spots_file,
    "File with the spot ids to change, one a line, all available and in those lots", "FILE" },
  { "rate", 'r', 0, G_OPTION_ARG_DOUBLE, &opt_rate, "Changes per second [10]", "R" },
  { "window", 'w', 0, G_OPTION_ARG_INT, &opt_window,
    "Subscribers connecting at the same time, at most [512]", "N" },
  { "http-connections", 0, 0, G_OPTION_ARG_INT, &opt_http_conns,
    "Keep-alive connections for the changes [8]", "N" },
  { "grace", 0, 0, G_OPTION_ARG_DOUBLE, &opt_grace,
    "Seconds to wait for the last updates after the last change; later ones count as "
    "missing [30]", "S" },
  { "connect-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &opt_connect_timeout,
    "Seconds for all subscribers to connect and subscribe [60]", "S" },
  { "latencies", 0, 0, G_OPTION_ARG_FILENAME, &opt_latencies,
    "Append one line per change to FILE (label, status, expected, received, then ms from "
    "sending to the first and the last subscriber and to the answer, and from due to the last)",
    "FILE" },
  { "threads", 't', 0, G_OPTION_ARG_INT, &opt_threads,
    "Threads reading the subscribers once all are subscribed, 1 to 8 [1]", "T" },
  { NULL }
};

/* ---- State ------------------------------------------------------------------------- */

static int              epfd = -1;
static struct sockaddr_in server_addr;
static char            *host_header;
static const char      *token;

static IdIndex          lots, spots;
static guint8          *spot_state;      /* SPOT_*, as parkd last answered */
static Change         **spot_pending;    /* the change in flight for each spot, or NULL;
                                          * atomic: the reader threads look */

static Sub             *subs;
static guint            n_subs;
static gint64          *seqs;            /* n_subs x lots.n: the last seq each has of each lot */
static guint            next_start;
static guint            inflight;
static guint            n_subscribed;    /* subscribed now */
static guint            n_failed;
static guint            n_closed;
static gint64           connect_start_ns;
static gint64           connect_done_ns;
static char            *first_failure;

static guint8          *subscribe_msg;   /* the subscribe message, unmasked */
static gsize            subscribe_len;

static HttpConn         http[MAX_HTTP_CONNS];

static RunState         run_state = RUN_CONNECTING;
static Change          *changes;
static guint            n_changes, n_sent, n_http_done;
static gint64           phase_start_ns, next_change_ns, drain_deadline_ns;
static guint64          change_counter;  /* over all phases: spot g mod S */
static char            *phase_label;
static struct rusage    phase_usage;
static guint            late_sends;

/* Counters for the current phase (and, for status, in total). Each thread counts in its own
 * (atomic adds: the main thread gathers the readers' into its own, gather_stats()). */
typedef struct
{
  guint64  messages;
  guint64  updates;
  guint64  matched;
  guint64  other;        /* updates that match no change of this phase */
  guint64  dups;         /* seq not above the last one the subscriber has */
  guint64  gaps;         /* seq more than one above */
  guint64  errors;       /* "error" messages from parkd */
  guint64  pings;
  guint64  http_errors;
  guint64  bytes;
} Stats;

static Stats            stats, total;
static __thread Stats  *my_stats;
#define STAT_ADD(field, n) __atomic_fetch_add (&my_stats->field, (n), __ATOMIC_RELAXED)

typedef struct
{
  GThread *thread;
  int      ep;
  Stats    stats;
} Reader;

static Reader           readers[MAX_THREADS];
static guint            n_readers;        /* besides the main thread */
static gint             readers_stop;
static GPtrArray       *retired_changes;  /* a reader may still look at an old phase's */
static gint             error_printed;

static GString         *stdin_buf;
static gboolean         stdin_eof;

static __thread guint64 rng_state;

/* ---- Small helpers ----------------------------------------------------------------- */

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static guint32
rng_next (void)
{
  /* xorshift64*: mask keys only need to differ, not to be secret, in a benchmark. */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (guint32) ((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

static void G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN
die (const char *format,
     ...)
{
  va_list args;

  fputs ("live-bench: error: ", stderr);
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  exit (1);
}

static void
buf_append (guint8       **buf,
            gsize         *len,
            gsize         *cap,
            const guint8  *data,
            gsize          n)
{
  if (*len + n > *cap)
    {
      gsize cap2 = MAX (*cap * 2, MAX (*len + n, 512));

      *buf = realloc (*buf, cap2);
      if (*buf == NULL)
        die ("out of memory");
      *cap = cap2;
    }
  memcpy (*buf + *len, data, n);
  *len += n;
}

static const guint8 *
find (const guint8 *hay,
      gsize         hay_len,
      const char   *needle)
{
  return memmem (hay, hay_len, needle, strlen (needle));
}

static guint32
hash_id (const char *id)
{
  guint32 h = 2166136261u;

  for (int i = 0; i < ID_LEN; i++)
    h = (h ^ (guint8) id[i]) * 16777619u;
  return h;
}

static gint
id_lookup (const IdIndex *index,
           const char    *id)
{
  for (guint i = hash_id (id) & index->mask;; i = (i + 1) & index->mask)
    {
      gint32 k = index->slots[i];

      if (k < 0)
        return -1;
      if (memcmp (index->ids[k], id, ID_LEN) == 0)
        return k;
    }
}

static void
id_index_load (IdIndex    *index,
               const char *path,
               const char *what)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  guint size = 16;

  if (!g_file_get_contents (path, &text, NULL, &error))
    die ("cannot read the %s file: %s", what, error->message);
  lines = g_strsplit (text, "\n", -1);
  index->ids = g_new0 (IdText, g_strv_length (lines));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line == '\0')
        continue;
      if (strlen (line) != ID_LEN)
        die ("%s:%u: not an id: '%s'", path, i + 1, line);
      for (guint k = 0; k < ID_LEN; k++)
        index->ids[index->n][k] = g_ascii_tolower (line[k]);
      index->n++;
    }
  if (index->n == 0)
    die ("the %s file %s names none", what, path);
  while (size < index->n * 4)
    size *= 2;
  index->mask = size - 1;
  index->slots = g_new (gint32, size);
  for (guint i = 0; i < size; i++)
    index->slots[i] = -1;
  for (guint k = 0; k < index->n; k++)
    {
      guint i;

      if (id_lookup (index, index->ids[k]) >= 0)
        die ("the %s file names %s twice", what, index->ids[k]);
      for (i = hash_id (index->ids[k]) & index->mask; index->slots[i] >= 0; i = (i + 1) & index->mask)
        ;
      index->slots[i] = k;
    }
}

static void
base64 (char         *out,
        const guint8 *data,
        gsize         len)
{
  EVP_EncodeBlock ((unsigned char *) out, data, len);
}

/* What the server must answer in Sec-WebSocket-Accept for @key. */
static void
accept_key (char       *out,
            const char *key)
{
  char src[24 + sizeof WS_GUID];
  guint8 md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;

  memcpy (src, key, 24);
  memcpy (src + 24, WS_GUID, sizeof WS_GUID - 1);
  if (!EVP_Digest (src, 24 + sizeof WS_GUID - 1, md, &md_len, EVP_sha1 (), NULL))
    die ("SHA-1 is not available");
  base64 (out, md, md_len);
}

static void
epoll_set (int      ep,
           int      fd,
           int      op,
           guint32  events,
           guint64  tag)
{
  struct epoll_event ev = { .events = events, .data.u64 = tag };

  if (epoll_ctl (ep, op, fd, &ev) != 0)
    die ("epoll_ctl: %s", g_strerror (errno));
}

static double
ms (gint64 ns)
{
  return ns / 1e6;
}

static int
cmp_gint64 (const void *a,
            const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted @v. */
static gint64
percentile (const gint64 *v,
            gsize         n,
            double        p)
{
  gsize rank;

  if (n == 0)
    return 0;
  rank = (gsize) ceil (p / 100.0 * n);
  return v[CLAMP (rank, 1, n) - 1];
}

static double
tv_seconds (struct timeval tv)
{
  return tv.tv_sec + tv.tv_usec / 1e6;
}

/* ---- Subscribers ------------------------------------------------------------------- */

static void
note_failure (guint       i,
              const char *what)
{
  char *text;

  if (g_atomic_pointer_get (&first_failure) != NULL)
    return;
  text = g_strdup_printf ("subscriber %u: %s", i, what);
  if (g_atomic_pointer_compare_and_exchange (&first_failure, NULL, text))
    fprintf (stderr, "live-bench: first failure: %s\n", text);
  else
    g_free (text);
}

static void
sub_close (guint       i,
           const char *why)
{
  Sub *s = &subs[i];

  if (s->fd >= 0)
    {
      close (s->fd);
      s->fd = -1;
    }
  if (s->state == SUB_SUBSCRIBED)
    {
      s->state = SUB_CLOSED;
      __atomic_fetch_sub (&n_subscribed, 1, __ATOMIC_RELAXED);
      __atomic_fetch_add (&n_closed, 1, __ATOMIC_RELAXED);
      if (__atomic_load_n (&run_state, __ATOMIC_RELAXED) != RUN_QUIT)
        note_failure (i, why);
    }
  else if (s->state != SUB_CLOSED && s->state != SUB_FAILED)
    {
      s->state = SUB_FAILED;
      __atomic_fetch_add (&n_failed, 1, __ATOMIC_RELAXED);
      __atomic_fetch_sub (&inflight, 1, __ATOMIC_RELAXED);
      note_failure (i, why);
    }
  g_clear_pointer (&s->in, free);
  g_clear_pointer (&s->frag, free);
  g_clear_pointer (&s->out, free);
  s->in_len = s->in_cap = s->frag_len = s->frag_cap = s->out_len = s->out_cap = 0;
}

static void
sub_write (guint         i,
           const guint8 *data,
           gsize         len)
{
  Sub *s = &subs[i];
  ssize_t n = 0;

  if (s->out_len == 0)
    {
      n = write (s->fd, data, len);
      if (n < 0)
        {
          if (errno != EAGAIN)
            {
              sub_close (i, g_strerror (errno));
              return;
            }
          n = 0;
        }
    }
  if ((gsize) n < len)
    {
      buf_append (&s->out, &s->out_len, &s->out_cap, data + n, len - n);
      if (!s->want_out)
        {
          s->want_out = TRUE;
          epoll_set (s->ep, s->fd, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT, TAG (TAG_SUB, i));
        }
    }
}

/* One masked frame from the client. */
static void
sub_send_frame (guint         i,
                guint8        opcode,
                const guint8 *payload,
                gsize         len)
{
  guint8 stack[1024];
  guint8 *frame = len + 14 <= sizeof stack ? stack : g_malloc (len + 14);
  gsize h = 0;
  guint32 mask = rng_next ();
  guint8 m[4];

  frame[h++] = 0x80 | opcode;
  if (len < 126)
    frame[h++] = 0x80 | len;
  else if (len < 65536)
    {
      frame[h++] = 0x80 | 126;
      frame[h++] = len >> 8;
      frame[h++] = len & 0xff;
    }
  else
    {
      frame[h++] = 0x80 | 127;
      for (int b = 7; b >= 0; b--)
        frame[h++] = ((guint64) len >> (8 * b)) & 0xff;
    }
  memcpy (m, &mask, 4);
  memcpy (frame + h, m, 4);
  h += 4;
  for (gsize k = 0; k < len; k++)
    frame[h + k] = payload[k] ^ m[k & 3];
  sub_write (i, frame, h + len);
  if (frame != stack)
    g_free (frame);
}

static void
sub_start (guint i)
{
  Sub *s = &subs[i];
  guint8 raw[16];
  int one = 1;

  s->started_ns = now_ns ();
  s->state = SUB_CONNECTING;
  inflight++;
  s->fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (s->fd < 0)
    {
      sub_close (i, g_strerror (errno));
      return;
    }
  setsockopt (s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  for (int k = 0; k < 16; k += 4)
    {
      guint32 r = rng_next ();

      memcpy (raw + k, &r, 4);
    }
  base64 (s->key, raw, 16);
  if (connect (s->fd, (struct sockaddr *) &server_addr, sizeof server_addr) != 0 &&
      errno != EINPROGRESS)
    {
      sub_close (i, g_strerror (errno));
      return;
    }
  s->want_out = TRUE;
  s->ep = epfd;
  epoll_set (s->ep, s->fd, EPOLL_CTL_ADD, EPOLLIN | EPOLLOUT, TAG (TAG_SUB, i));
}

static void
sub_connected (guint i)
{
  Sub *s = &subs[i];
  g_autofree char *req = NULL;
  int err = 0;
  socklen_t len = sizeof err;

  if (getsockopt (s->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0)
    {
      sub_close (i, g_strerror (err != 0 ? err : errno));
      return;
    }
  s->state = SUB_HANDSHAKE;
  s->want_out = FALSE;
  epoll_set (s->ep, s->fd, EPOLL_CTL_MOD, EPOLLIN, TAG (TAG_SUB, i));
  req = g_strdup_printf ("GET /api/v1/live HTTP/1.1\r\n"
                         "Host: %s\r\n"
                         "Upgrade: websocket\r\n"
                         "Connection: Upgrade\r\n"
                         "Sec-WebSocket-Key: %s\r\n"
                         "Sec-WebSocket-Version: 13\r\n"
                         "\r\n", host_header, s->key);
  sub_write (i, (const guint8 *) req, strlen (req));
}

/* Reads "lot_id":"…" and "seq":N from each lot of a snapshot. */
static gboolean
sub_take_snapshot (guint         i,
                   const guint8 *msg,
                   gsize         len)
{
  const guint8 *p = msg, *end = msg + len;
  guint found = 0;

  while ((p = find (p, end - p, "{\"lot_id\":\"")) != NULL)
    {
      const guint8 *q;
      char id[ID_LEN + 1];
      gint k;

      p += strlen ("{\"lot_id\":\"");
      if (end - p < ID_LEN)
        break;
      memcpy (id, p, ID_LEN);
      id[ID_LEN] = '\0';
      q = find (p, end - p, "\"seq\":");
      if (q == NULL)
        break;
      k = id_lookup (&lots, id);
      if (k >= 0)
        {
          seqs[(gsize) i * lots.n + k] = g_ascii_strtoll ((const char *) q + 6, NULL, 10);
          found++;
        }
      p = q;
    }
  return found == lots.n;
}

static void
handle_update (guint         i,
               const guint8 *msg,
               gsize         len,
               gint64        t)
{
  const guint8 *end = msg + len, *p, *q;
  char id[ID_LEN + 1];
  gint lot, spot;
  gint64 seq, *have, seen;
  Change *change;
  guint8 state;

  STAT_ADD (updates, 1);
  p = find (msg, len, "\"lot_id\":\"");
  if (p == NULL || end - p < 10 + ID_LEN)
    {
      STAT_ADD (other, 1);
      return;
    }
  memcpy (id, p + 10, ID_LEN);
  id[ID_LEN] = '\0';
  lot = id_lookup (&lots, id);
  q = find (p, end - p, "\"seq\":");
  if (lot < 0 || q == NULL)
    {
      STAT_ADD (other, 1);
      return;
    }
  seq = g_ascii_strtoll ((const char *) q + 6, NULL, 10);
  have = &seqs[(gsize) i * lots.n + lot];
  if (seq <= *have)
    {
      STAT_ADD (dups, 1);
      return;
    }
  if (seq > *have + 1)
    STAT_ADD (gaps, 1);
  *have = seq;

  p = find (q, end - q, "\"spot\":{\"id\":\"");
  if (p == NULL || end - p < 14 + ID_LEN)
    {
      STAT_ADD (other, 1);
      return;
    }
  memcpy (id, p + 14, ID_LEN);
  spot = id_lookup (&spots, id);
  q = find (p, end - p, "\"state\":\"");
  if (spot < 0 || q == NULL)
    {
      STAT_ADD (other, 1);
      return;
    }
  q += 9;
  if (end - q > 10 && memcmp (q, "available\"", 10) == 0)
    state = SPOT_AVAILABLE;
  else if (end - q > 15 && memcmp (q, "out_of_service\"", 15) == 0)
    state = SPOT_OUT_OF_SERVICE;
  else
    {
      STAT_ADD (other, 1);
      return;
    }
  change = __atomic_load_n (&spot_pending[spot], __ATOMIC_ACQUIRE);
  if (change == NULL || change->target != state)
    {
      STAT_ADD (other, 1);
      return;
    }
  STAT_ADD (matched, 1);
  /* The earliest and the latest reading, whichever thread read it. */
  seen = __atomic_load_n (&change->first_ns, __ATOMIC_RELAXED);
  while ((seen == 0 || t < seen) &&
         !__atomic_compare_exchange_n (&change->first_ns, &seen, t, TRUE, __ATOMIC_RELAXED,
                                       __ATOMIC_RELAXED))
    ;
  seen = __atomic_load_n (&change->last_ns, __ATOMIC_RELAXED);
  while (t > seen &&
         !__atomic_compare_exchange_n (&change->last_ns, &seen, t, TRUE, __ATOMIC_RELAXED,
                                       __ATOMIC_RELAXED))
    ;
  __atomic_fetch_add (&change->received, 1, __ATOMIC_RELEASE);
}

static void
handle_message (guint         i,
                guint8        opcode,
                const guint8 *msg,
                gsize         len,
                gint64        t)
{
  Sub *s = &subs[i];
  static const char prefix[] = "{\"type\":\"";
  const guint8 *type = msg + sizeof prefix - 1;
  gsize left = len >= sizeof prefix - 1 ? len - (sizeof prefix - 1) : 0;

  STAT_ADD (messages, 1);
  if (opcode != 0x1 || left == 0 || memcmp (msg, prefix, sizeof prefix - 1) != 0)
    {
      STAT_ADD (other, 1);
      return;
    }
#define IS(name) (left > strlen (name) && memcmp (type, name "\"", strlen (name) + 1) == 0)
  if (IS ("availability_update"))
    handle_update (i, msg, len, t);
  else if (IS ("hello") && s->state == SUB_WAIT_HELLO)
    {
      s->state = SUB_SUBSCRIBING;
      sub_send_frame (i, 0x1, subscribe_msg, subscribe_len);
    }
  else if (IS ("snapshot") && s->state == SUB_SUBSCRIBING)
    {
      if (!sub_take_snapshot (i, msg, len))
        {
          sub_close (i, "the snapshot does not hold every lot subscribed to");
          return;
        }
      s->state = SUB_SUBSCRIBED;
      s->subscribed_ns = t;
      __atomic_fetch_sub (&inflight, 1, __ATOMIC_RELAXED);
      __atomic_fetch_add (&n_subscribed, 1, __ATOMIC_RELAXED);
    }
  else if (IS ("error"))
    {
      STAT_ADD (errors, 1);
      if (g_atomic_int_compare_and_exchange (&error_printed, 0, 1))
        fprintf (stderr, "live-bench: parkd sent an error: %.*s\n", (int) MIN (len, 400), msg);
      if (s->state != SUB_SUBSCRIBED)
        sub_close (i, "parkd answered the subscription with an error");
    }
  else
    STAT_ADD (other, 1);
#undef IS
}

static void
handle_frame (guint         i,
              gboolean      fin,
              guint8        opcode,
              const guint8 *payload,
              gsize         len,
              gint64        t)
{
  Sub *s = &subs[i];

  switch (opcode)
    {
    case 0x9: /* ping */
      STAT_ADD (pings, 1);
      sub_send_frame (i, 0xA, payload, MIN (len, 125));
      return;
    case 0xA: /* pong */
      return;
    case 0x8: /* close */
      {
        char why[160];
        guint code = len >= 2 ? (payload[0] << 8 | payload[1]) : 1005;

        g_snprintf (why, sizeof why, "parkd closed the connection: %u %.*s", code,
                    (int) MIN (len > 2 ? len - 2 : 0, 100), payload + 2);
        sub_send_frame (i, 0x8, payload, MIN (len, 2));
        sub_close (i, why);
        return;
      }
    case 0x0: /* continuation */
      if (s->frag_opcode == 0)
        {
          sub_close (i, "a continuation frame without a first frame");
          return;
        }
      buf_append (&s->frag, &s->frag_len, &s->frag_cap, payload, len);
      if (fin)
        {
          guint8 op = s->frag_opcode;
          gsize whole = s->frag_len;

          s->frag_opcode = 0;
          s->frag_len = 0;
          handle_message (i, op, s->frag, whole, t);
        }
      return;
    case 0x1:
    case 0x2:
      if (s->frag_opcode != 0)
        {
          sub_close (i, "a new message inside a fragmented one");
          return;
        }
      if (fin)
        handle_message (i, opcode, payload, len, t);
      else
        {
          s->frag_opcode = opcode;
          s->frag_len = 0;
          buf_append (&s->frag, &s->frag_len, &s->frag_cap, payload, len);
        }
      return;
    default:
      sub_close (i, "a frame with an unknown opcode");
    }
}

/* Parses the whole frames in @data; returns how many bytes it used, or -1 once @i is closed. */
static gssize
parse_frames (guint   i,
              guint8 *data,
              gsize   len,
              gint64  t)
{
  gsize off = 0;

  while (len - off >= 2)
    {
      guint8 *p = data + off;
      gsize avail = len - off, h = 2;
      guint64 plen = p[1] & 0x7f;
      gboolean masked = (p[1] & 0x80) != 0;

      if (plen == 126)
        {
          if (avail < 4)
            break;
          plen = (guint64) p[2] << 8 | p[3];
          h = 4;
        }
      else if (plen == 127)
        {
          if (avail < 10)
            break;
          plen = 0;
          for (int b = 0; b < 8; b++)
            plen = plen << 8 | p[2 + b];
          h = 10;
        }
      if (plen > MAX_FRAME)
        {
          sub_close (i, "a frame larger than 16 MiB");
          return -1;
        }
      if (masked)
        h += 4;
      if (avail < h + plen)
        break;
      if (masked)
        for (gsize k = 0; k < plen; k++)
          p[h + k] ^= p[h - 4 + (k & 3)];
      handle_frame (i, (p[0] & 0x80) != 0, p[0] & 0x0f, p + h, plen, t);
      if (subs[i].fd < 0)
        return -1;
      off += h + plen;
    }
  return off;
}

/* The answer to the upgrade: the 101 and its Sec-WebSocket-Accept. Returns the length of the
 * head once it is all there, 0 while it is not, -1 when @i was closed. */
static gssize
parse_handshake (guint         i,
                 const guint8 *data,
                 gsize         len)
{
  const guint8 *end = find (data, len, "\r\n\r\n");
  g_autofree char *head = NULL;
  g_autofree char *lower = NULL;
  char want[40];
  char *line;

  if (end == NULL)
    {
      if (len > MAX_HTTP_HEAD)
        {
          sub_close (i, "the answer to the upgrade has no end");
          return -1;
        }
      return 0;
    }
  head = g_strndup ((const char *) data, end - data);
  if (!g_str_has_prefix (head, "HTTP/1.1 101 "))
    {
      char why[200];

      g_snprintf (why, sizeof why, "upgrade refused: %.*s", (int) strcspn (head, "\r\n"), head);
      sub_close (i, why);
      return -1;
    }
  accept_key (want, subs[i].key);
  lower = g_ascii_strdown (head, -1);
  line = strstr (lower, "\r\nsec-websocket-accept:");
  if (line == NULL)
    {
      sub_close (i, "the 101 has no Sec-WebSocket-Accept");
      return -1;
    }
  line = head + (line - lower) + strlen ("\r\nsec-websocket-accept:");
  while (*line == ' ')
    line++;
  if (strncmp (line, want, strlen (want)) != 0)
    {
      sub_close (i, "wrong Sec-WebSocket-Accept");
      return -1;
    }
  subs[i].state = SUB_WAIT_HELLO;
  return end + 4 - data;
}

static void
sub_readable (guint i)
{
  static __thread guint8 *chunk;   /* one per thread, never freed */
  Sub *s = &subs[i];

  if (chunk == NULL)
    chunk = g_malloc (READ_CHUNK);

  for (;;)
    {
      ssize_t n = read (s->fd, chunk, READ_CHUNK);
      gint64 t = now_ns ();
      guint8 *data;
      gsize len;
      gssize used;

      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        {
          sub_close (i, n == 0 ? "parkd closed the connection without a close frame"
                               : g_strerror (errno));
          return;
        }
      if (n < 0)
        return;
      STAT_ADD (bytes, n);

      /* Parse in place when nothing is left over from the last read. */
      if (s->in_len == 0)
        {
          data = chunk;
          len = n;
        }
      else
        {
          buf_append (&s->in, &s->in_len, &s->in_cap, chunk, n);
          data = s->in;
          len = s->in_len;
        }
      used = 0;
      if (s->state == SUB_HANDSHAKE)
        {
          used = parse_handshake (i, data, len);
          if (used < 0)
            return;
        }
      if (s->state != SUB_HANDSHAKE)
        {
          gssize more = parse_frames (i, data + used, len - used, t);

          if (more < 0)
            return;
          used += more;
        }
      if (data == chunk)
        {
          if ((gsize) used < len)
            buf_append (&s->in, &s->in_len, &s->in_cap, data + used, len - used);
        }
      else
        {
          memmove (s->in, s->in + used, len - used);
          s->in_len = len - used;
        }
      if ((gsize) n < READ_CHUNK)
        return;
    }
}

static void
sub_writable (guint i)
{
  Sub *s = &subs[i];
  ssize_t n;

  if (s->state == SUB_CONNECTING)
    {
      sub_connected (i);
      return;
    }
  if (s->out_len > 0)
    {
      n = write (s->fd, s->out, s->out_len);
      if (n < 0)
        {
          if (errno != EAGAIN)
            sub_close (i, g_strerror (errno));
          return;
        }
      memmove (s->out, s->out + n, s->out_len - n);
      s->out_len -= n;
    }
  if (s->out_len == 0 && s->want_out)
    {
      s->want_out = FALSE;
      epoll_set (s->ep, s->fd, EPOLL_CTL_MOD, EPOLLIN, TAG (TAG_SUB, i));
    }
}

/* ---- Changes over HTTP ------------------------------------------------------------- */

static void
http_close (HttpConn *h)
{
  if (h->fd >= 0)
    close (h->fd);
  h->fd = -1;
  h->state = HTTP_DOWN;
  h->in_len = 0;
  g_clear_pointer (&h->out, g_free);
  h->want_out = FALSE;
}

static void
http_connect (guint k)
{
  HttpConn *h = &http[k];
  int one = 1;

  h->fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (h->fd < 0)
    die ("socket: %s", g_strerror (errno));
  setsockopt (h->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect (h->fd, (struct sockaddr *) &server_addr, sizeof server_addr) != 0 &&
      errno != EINPROGRESS)
    die ("cannot connect to parkd for the changes: %s", g_strerror (errno));
  h->state = HTTP_CONNECTING;
  h->want_out = TRUE;
  h->change = -1;
  epoll_set (epfd, h->fd, EPOLL_CTL_ADD, EPOLLIN | EPOLLOUT, TAG (TAG_HTTP, k));
}

static void
http_flush (guint k)
{
  HttpConn *h = &http[k];

  while (h->out_off < h->out_len)
    {
      ssize_t n = write (h->fd, h->out + h->out_off, h->out_len - h->out_off);

      if (n < 0)
        {
          if (errno == EAGAIN)
            break;
          die ("writing a change to parkd: %s", g_strerror (errno));
        }
      h->out_off += n;
    }
  if (h->out_off < h->out_len && !h->want_out)
    {
      h->want_out = TRUE;
      epoll_set (epfd, h->fd, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT, TAG (TAG_HTTP, k));
    }
  else if (h->out_off == h->out_len && h->want_out)
    {
      h->want_out = FALSE;
      epoll_set (epfd, h->fd, EPOLL_CTL_MOD, EPOLLIN, TAG (TAG_HTTP, k));
    }
}

/* Sends change @c (spot, target set) on idle connection @k. */
static void
http_send_change (guint  k,
                  guint  c)
{
  HttpConn *h = &http[k];
  Change *change = &changes[c];
  g_autofree char *body = g_strdup_printf ("{\"state\":\"%s\"}", spot_states[change->target]);

  g_free (h->out);
  h->out = g_strdup_printf ("PATCH /api/v1/admin/spots/%s HTTP/1.1\r\n"
                            "Host: %s\r\n"
                            "Authorization: Bearer %s\r\n"
                            "Content-Type: application/json\r\n"
                            "Content-Length: %zu\r\n"
                            "\r\n%s",
                            spots.ids[change->spot], host_header, token, strlen (body), body);
  h->out_len = strlen (h->out);
  h->out_off = 0;
  h->state = HTTP_BUSY;
  h->change = c;
  h->in_len = 0;
  change->expected = __atomic_load_n (&n_subscribed, __ATOMIC_RELAXED);
  __atomic_store_n (&spot_pending[change->spot], change, __ATOMIC_RELEASE);
  change->sent_ns = now_ns ();
  n_sent++;
  http_flush (k);
}

static void
http_answered (guint       k,
               int         status,
               const char *body,
               gsize       body_len)
{
  HttpConn *h = &http[k];
  Change *change = &changes[h->change];

  change->status = status;
  change->http_ns = now_ns ();
  n_http_done++;
  if (status == 200)
    spot_state[change->spot] = change->target;
  else
    {
      STAT_ADD (http_errors, 1);
      if (stats.http_errors + total.http_errors == 1)
        fprintf (stderr, "live-bench: PATCH of spot %s answered %d: %.*s\n",
                 spots.ids[change->spot], status, (int) MIN (body_len, 300), body);
    }
  h->change = -1;
  h->state = HTTP_IDLE;
  h->idle_since_ns = now_ns ();
}

static void
http_readable (guint k)
{
  HttpConn *h = &http[k];

  for (;;)
    {
      char chunk[16384];
      ssize_t n = read (h->fd, chunk, sizeof chunk);
      const char *end, *cl;
      gsize head_len, body_len;
      int status;
      g_autofree char *lower = NULL;

      if (n < 0 && errno == EAGAIN)
        return;
      if (n <= 0)
        {
          /* An idle keep-alive connection parkd closed: another is opened when needed. A
           * change in flight on it failed (status -1). */
          if (h->state == HTTP_BUSY)
            http_answered (k, -1, "the connection ended before the answer", 38);
          http_close (h);
          return;
        }
      buf_append ((guint8 **) &h->in, &h->in_len, &h->in_cap, (guint8 *) chunk, n);
      end = (const char *) find ((guint8 *) h->in, h->in_len, "\r\n\r\n");
      if (end == NULL)
        continue;
      head_len = end + 4 - h->in;
      lower = g_ascii_strdown (h->in, head_len);
      if (sscanf (h->in, "HTTP/1.%*d %d", &status) != 1)
        die ("parkd answered a change with something that is not HTTP");
      cl = strstr (lower, "\r\ncontent-length:");
      if (cl == NULL)
        die ("parkd answered a change without Content-Length");
      body_len = strtoul (cl + strlen ("\r\ncontent-length:"), NULL, 10);
      if (h->in_len < head_len + body_len)
        continue;
      if (h->state != HTTP_BUSY)
        die ("parkd sent an answer nobody asked for");
      http_answered (k, status, h->in + head_len, body_len);
      memmove (h->in, h->in + head_len + body_len, h->in_len - head_len - body_len);
      h->in_len -= head_len + body_len;
      if (strstr (lower, "\r\nconnection: close") != NULL)
        {
          http_close (h);
          return;
        }
      if (h->in_len == 0)
        return;
    }
}

static void
http_writable (guint k)
{
  HttpConn *h = &http[k];

  if (h->state == HTTP_CONNECTING)
    {
      int err = 0;
      socklen_t len = sizeof err;

      if (getsockopt (h->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0)
        die ("cannot connect to parkd for the changes: %s", g_strerror (err ? err : errno));
      h->state = HTTP_IDLE;
      h->idle_since_ns = now_ns ();
      h->want_out = FALSE;
      epoll_set (epfd, h->fd, EPOLL_CTL_MOD, EPOLLIN, TAG (TAG_HTTP, k));
      return;
    }
  http_flush (k);
}

/* ---- Phases ------------------------------------------------------------------------ */

/* The readers' counts into the main thread's (main thread). */
static void
gather_stats (void)
{
  for (guint r = 0; r < n_readers; r++)
    {
#define TAKE(field) \
      __atomic_fetch_add (&stats.field, \
                          __atomic_exchange_n (&readers[r].stats.field, 0, __ATOMIC_RELAXED), \
                          __ATOMIC_RELAXED)
      TAKE (messages); TAKE (updates); TAKE (matched); TAKE (other); TAKE (dups);
      TAKE (gaps); TAKE (errors); TAKE (pings); TAKE (http_errors); TAKE (bytes);
#undef TAKE
    }
}

/* The counters of a phase start at zero; what came before goes into the totals. */
static void
fold_stats (void)
{
  gather_stats ();
  total.messages += stats.messages;
  total.updates += stats.updates;
  total.matched += stats.matched;
  total.other += stats.other;
  total.dups += stats.dups;
  total.gaps += stats.gaps;
  total.errors += stats.errors;
  total.pings += stats.pings;
  total.http_errors += stats.http_errors;
  total.bytes += stats.bytes;
  memset (&stats, 0, sizeof stats);
}

static void
phase_start (const char *label,
             double      seconds)
{
  guint count = (guint) floor (seconds * opt_rate + 0.5);

  if (token == NULL)
    die ("changes need the admin's access token in LIVE_BENCH_TOKEN");
  if (opt_spots_file == NULL)
    die ("changes need --spots");
  if (count == 0)
    die ("'changes %s %g' makes no change at --rate %g", label, seconds, opt_rate);
  for (guint s = 0; s < spots.n; s++)
    __atomic_store_n (&spot_pending[s], NULL, __ATOMIC_RELEASE);
  if (changes != NULL)
    g_ptr_array_add (retired_changes, changes);
  changes = g_new0 (Change, count);
  n_changes = count;
  n_sent = n_http_done = late_sends = 0;
  for (guint c = 0; c < count; c++)
    {
      guint s = (guint) ((change_counter + c) % spots.n);

      changes[c].spot = s;
    }
  change_counter += count;
  fold_stats ();
  g_free (phase_label);
  phase_label = g_strdup (label);
  getrusage (RUSAGE_SELF, &phase_usage);
  /* Connections parkd closed while idle come back now, not in the first change's time. */
  for (guint k = 0; k < (guint) opt_http_conns; k++)
    if (http[k].state == HTTP_DOWN)
      http_connect (k);
  phase_start_ns = now_ns () + 200 * 1000000;   /* time for the connections to come up */
  next_change_ns = phase_start_ns;
  run_state = RUN_CHANGING;
  fprintf (stderr, "live-bench: %s: %u changes at %g/s to %u subscribers\n",
           label, count, opt_rate, n_subscribed);
}

static void
phase_send_due (void)
{
  gint64 now = now_ns ();

  while (n_sent < n_changes && now >= next_change_ns)
    {
      Change *change = &changes[n_sent];
      guint k;

      for (k = 0; k < (guint) opt_http_conns; k++)
        {
          if (http[k].state == HTTP_IDLE && now - http[k].idle_since_ns > HTTP_STALE_NS)
            {
              http_close (&http[k]);
              http_connect (k);
            }
          if (http[k].state == HTTP_IDLE)
            break;
        }
      if (k == (guint) opt_http_conns)
        {
          for (k = 0; k < (guint) opt_http_conns; k++)
            if (http[k].state == HTTP_DOWN)
              http_connect (k);
          return;   /* sent as soon as a connection is free: counted late */
        }
      if (run_state == RUN_RESTORING)
        {
          http_send_change (k, n_sent);
          continue;
        }
      change->due_ns = phase_start_ns + (gint64) (n_sent * 1e9 / opt_rate);
      if (now - change->due_ns > 10 * 1000000)
        late_sends++;
      change->target = spot_state[change->spot] == SPOT_AVAILABLE ? SPOT_OUT_OF_SERVICE
                                                                   : SPOT_AVAILABLE;
      http_send_change (k, n_sent);
      next_change_ns = phase_start_ns + (gint64) (n_sent * 1e9 / opt_rate);
    }
  if (n_sent == n_changes && run_state == RUN_CHANGING)
    {
      run_state = RUN_DRAINING;
      drain_deadline_ns = now + (gint64) (opt_grace * 1e9);
    }
}

static gboolean
phase_complete (void)
{
  if (n_http_done < n_changes)
    return FALSE;
  for (guint c = 0; c < n_changes; c++)
    if (changes[c].status == 200 &&
        __atomic_load_n (&changes[c].received, __ATOMIC_ACQUIRE) < changes[c].expected)
      return FALSE;
  return TRUE;
}

static void
phase_report (void)
{
  g_autofree gint64 *last = g_new (gint64, n_changes + 1);
  g_autofree gint64 *first = g_new (gint64, n_changes + 1);
  g_autofree gint64 *http_lat = g_new (gint64, n_changes + 1);
  g_autofree gint64 *due = g_new (gint64, n_changes + 1);
  guint n_last = 0, n_first = 0, n_http = 0, missed = 0, failed_http = 0;
  guint64 missing = 0;
  struct rusage ru;
  double elapsed = (now_ns () - phase_start_ns) / 1e9;
  /* As the reader threads left them: a late update may still come in meanwhile. */
  g_autofree Change *snap = g_memdup2 (changes, sizeof (Change) * MAX (n_changes, 1));

  gather_stats ();
  for (guint c = 0; c < n_changes; c++)
    {
      snap[c].received = __atomic_load_n (&changes[c].received, __ATOMIC_ACQUIRE);
      snap[c].first_ns = __atomic_load_n (&changes[c].first_ns, __ATOMIC_RELAXED);
      snap[c].last_ns = __atomic_load_n (&changes[c].last_ns, __ATOMIC_RELAXED);
    }

  for (guint c = 0; c < n_changes; c++)
    {
      Change *change = &snap[c];

      if (change->status != 0)
        http_lat[n_http++] = change->http_ns - change->sent_ns;
      if (change->status != 200)
        {
          failed_http++;
          continue;
        }
      if (change->received > 0)
        first[n_first++] = change->first_ns - change->sent_ns;
      if (change->received < change->expected)
        {
          missed++;
          missing += change->expected - change->received;
        }
      else if (change->expected > 0)
        {
          due[n_last] = change->last_ns - change->due_ns;
          last[n_last++] = change->last_ns - change->sent_ns;
        }
    }
  if (opt_latencies != NULL)
    {
      FILE *f = fopen (opt_latencies, "a");

      if (f == NULL)
        die ("cannot open %s: %s", opt_latencies, g_strerror (errno));
      for (guint c = 0; c < n_changes; c++)
        {
          Change *change = &snap[c];

          fprintf (f, "%s\t%d\t%u\t%u\t%.3f\t%.3f\t%.3f\t%.3f\n", phase_label,
                   change->status, change->expected, change->received,
                   change->received ? ms (change->first_ns - change->sent_ns) : -1.0,
                   change->received ? ms (change->last_ns - change->sent_ns) : -1.0,
                   change->status ? ms (change->http_ns - change->sent_ns) : -1.0,
                   change->received ? ms (change->last_ns - change->due_ns) : -1.0);
        }
      fclose (f);
    }
  qsort (last, n_last, sizeof *last, cmp_gint64);
  qsort (first, n_first, sizeof *first, cmp_gint64);
  qsort (http_lat, n_http, sizeof *http_lat, cmp_gint64);
  qsort (due, n_last, sizeof *due, cmp_gint64);
  getrusage (RUSAGE_SELF, &ru);

  printf ("CHANGES label=%s changes=%u sent=%u http_failed=%u late_sends=%u subscribers=%u "
          "complete=%u missed=%u missing_deliveries=%" G_GUINT64_FORMAT
          " deliveries=%" G_GUINT64_FORMAT " "
          "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f "
          "first_p50_ms=%.2f first_p99_ms=%.2f http_p50_ms=%.2f http_p99_ms=%.2f http_max_ms=%.2f "
          "due_p99_ms=%.2f due_max_ms=%.2f "
          "dups=%" G_GUINT64_FORMAT " gaps=%" G_GUINT64_FORMAT " other=%" G_GUINT64_FORMAT
          " errors=%" G_GUINT64_FORMAT " pings=%" G_GUINT64_FORMAT " closed=%u "
          "bytes=%" G_GUINT64_FORMAT " seconds=%.2f cpu_user_s=%.2f cpu_sys_s=%.2f\n",
          phase_label, n_changes, n_sent, failed_http, late_sends, n_subscribed,
          n_last, missed, missing, stats.matched, ms (percentile (last, n_last, 50)),
          ms (percentile (last, n_last, 90)), ms (percentile (last, n_last, 99)),
          ms (n_last ? last[n_last - 1] : 0),
          ms (percentile (first, n_first, 50)), ms (percentile (first, n_first, 99)),
          ms (percentile (http_lat, n_http, 50)), ms (percentile (http_lat, n_http, 99)),
          ms (n_http ? http_lat[n_http - 1] : 0),
          ms (percentile (due, n_last, 99)), ms (n_last ? due[n_last - 1] : 0),
          stats.dups, stats.gaps, stats.other, stats.errors, stats.pings, n_closed,
          stats.bytes, elapsed,
          tv_seconds (ru.ru_utime) - tv_seconds (phase_usage.ru_utime),
          tv_seconds (ru.ru_stime) - tv_seconds (phase_usage.ru_stime));
  fflush (stdout);

  fold_stats ();
  for (guint s = 0; s < spots.n; s++)
    __atomic_store_n (&spot_pending[s], NULL, __ATOMIC_RELEASE);
  run_state = RUN_IDLE;
}

/* Before quitting, the spots this run took out of service go back to available, so the next
 * run finds the lots as they were. Not timed. */
static void
restore_start (void)
{
  guint count = 0;

  run_state = RUN_QUIT;
  if (token == NULL || spots.n == 0)
    return;
  for (guint s = 0; s < spots.n; s++)
    count += spot_state[s] != SPOT_AVAILABLE;
  if (count == 0)
    return;
  if (changes != NULL)
    g_ptr_array_add (retired_changes, changes);
  changes = g_new0 (Change, count);
  n_changes = count;
  n_sent = n_http_done = 0;
  count = 0;
  for (guint s = 0; s < spots.n; s++)
    {
      __atomic_store_n (&spot_pending[s], NULL, __ATOMIC_RELEASE);
      if (spot_state[s] != SPOT_AVAILABLE)
        {
          changes[count].spot = s;
          changes[count++].target = SPOT_AVAILABLE;
        }
    }
  for (guint k = 0; k < (guint) opt_http_conns; k++)
    if (http[k].state == HTTP_DOWN)
      http_connect (k);
  run_state = RUN_RESTORING;
}

static void
restore_progress (void)
{
  guint failed = 0;

  phase_send_due ();
  if (n_http_done < n_changes)
    return;
  for (guint c = 0; c < n_changes; c++)
    failed += changes[c].status != 200;
  printf ("RESTORED spots=%u failed=%u\n", n_changes, failed);
  fflush (stdout);
  run_state = RUN_QUIT;
}

/* ---- Reader threads ---------------------------------------------------------------- */

static gpointer
reader_main (gpointer data)
{
  Reader *reader = data;
  struct epoll_event events[MAX_EVENTS];

  my_stats = &reader->stats;
  rng_state = (guint64) now_ns () ^ (guint64) (guintptr) reader;
  rng_state |= 1;
  while (!g_atomic_int_get (&readers_stop))
    {
      int n = epoll_wait (reader->ep, events, MAX_EVENTS, 100);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          die ("epoll_wait: %s", g_strerror (errno));
        }
      for (int e = 0; e < n; e++)
        {
          guint index = events[e].data.u64 & 0xffffffffu;
          guint32 what = events[e].events;

          if (subs[index].fd >= 0 && (what & (EPOLLIN | EPOLLERR | EPOLLHUP)))
            sub_readable (index);
          if (subs[index].fd >= 0 && (what & EPOLLOUT))
            sub_writable (index);
        }
    }
  return NULL;
}

/* Everyone is subscribed: subscriber i goes to thread i mod --threads (0: the main thread). */
static void
readers_start (void)
{
  n_readers = (guint) opt_threads - 1;
  for (guint r = 0; r < n_readers; r++)
    {
      readers[r].ep = epoll_create1 (EPOLL_CLOEXEC);
      if (readers[r].ep < 0)
        die ("epoll_create1: %s", g_strerror (errno));
    }
  for (guint i = 0; i < n_subs && n_readers > 0; i++)
    {
      Sub *s = &subs[i];
      guint r = i % (n_readers + 1);

      if (r == 0 || s->fd < 0)
        continue;
      epoll_set (s->ep, s->fd, EPOLL_CTL_DEL, 0, 0);
      s->ep = readers[r - 1].ep;
      epoll_set (s->ep, s->fd, EPOLL_CTL_ADD, EPOLLIN | (s->want_out ? EPOLLOUT : 0),
                 TAG (TAG_SUB, i));
    }
  for (guint r = 0; r < n_readers; r++)
    readers[r].thread = g_thread_new ("reader", reader_main, &readers[r]);
}

static void
readers_stop_all (void)
{
  g_atomic_int_set (&readers_stop, 1);
  for (guint r = 0; r < n_readers; r++)
    if (readers[r].thread != NULL)
      g_clear_pointer (&readers[r].thread, g_thread_join);
  gather_stats ();
}

/* ---- Commands ---------------------------------------------------------------------- */

static void
print_status (void)
{
  gather_stats ();
  printf ("STATUS subscribed=%u failed=%u closed=%u messages=%" G_GUINT64_FORMAT
          " pings=%" G_GUINT64_FORMAT " other=%" G_GUINT64_FORMAT "\n",
          n_subscribed, n_failed, n_closed, total.messages + stats.messages,
          total.pings + stats.pings, total.other + stats.other);
  fflush (stdout);
}

/* Runs the next whole command line, if any. */
static void
next_command (void)
{
  while (run_state == RUN_IDLE)
    {
      char *nl = memchr (stdin_buf->str, '\n', stdin_buf->len);
      g_autofree char *line = NULL;
      g_auto(GStrv) words = NULL;

      if (nl == NULL)
        {
          if (stdin_eof)
            restore_start ();
          return;
        }
      line = g_strndup (stdin_buf->str, nl - stdin_buf->str);
      g_string_erase (stdin_buf, 0, nl - stdin_buf->str + 1);
      words = g_strsplit_set (g_strstrip (line), " \t", -1);
      if (words[0] == NULL || *words[0] == '\0' || *words[0] == '#')
        continue;
      if (g_str_equal (words[0], "quit"))
        restore_start ();
      else if (g_str_equal (words[0], "status"))
        print_status ();
      else if (g_str_equal (words[0], "changes") && g_strv_length (words) == 3)
        {
          char *end;
          double seconds = g_ascii_strtod (words[2], &end);

          if (*end != '\0' || !(seconds > 0))
            die ("bad command '%s': want 'changes LABEL SECONDS'", line);
          phase_start (words[1], seconds);
        }
      else
        die ("unknown command '%s' (commands: changes LABEL SECONDS, status, quit)", line);
    }
}

static void
stdin_readable (void)
{
  char chunk[4096];
  ssize_t n = read (STDIN_FILENO, chunk, sizeof chunk);

  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return;
  if (n <= 0)
    {
      stdin_eof = TRUE;
      epoll_ctl (epfd, EPOLL_CTL_DEL, STDIN_FILENO, NULL);
      return;
    }
  g_string_append_len (stdin_buf, chunk, n);
}

/* ---- Setup ------------------------------------------------------------------------- */

static void
raise_fd_limit (rlim_t need)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) != 0)
    die ("getrlimit: %s", g_strerror (errno));
  if (rl.rlim_cur >= need)
    return;
  if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
    die ("%lu subscribers need %lu open files; the hard limit is %lu "
         "(raise it, e.g. 'ulimit -Hn' as root or LimitNOFILE)",
         (unsigned long) opt_subscribers, (unsigned long) need, (unsigned long) rl.rlim_max);
  rl.rlim_cur = need;
  if (setrlimit (RLIMIT_NOFILE, &rl) != 0)
    die ("cannot raise the open-file limit to %lu: %s", (unsigned long) need, g_strerror (errno));
}

static void
build_subscribe_msg (void)
{
  GString *out = g_string_new ("{\"type\":\"subscribe\",\"lot_ids\":[");

  for (guint k = 0; k < lots.n; k++)
    g_string_append_printf (out, "%s\"%s\"", k ? "," : "", lots.ids[k]);
  g_string_append (out, "]}");
  subscribe_len = out->len;
  subscribe_msg = (guint8 *) g_string_free (out, FALSE);
}

static void
connect_progress (gint64 now)
{
  while (next_start < n_subs && inflight < (guint) opt_window)
    sub_start (next_start++);
  if (next_start == n_subs && inflight == 0)
    {
      g_autofree gint64 *times = g_new (gint64, n_subs + 1);
      guint n = 0;

      connect_done_ns = now;
      for (guint i = 0; i < n_subs; i++)
        if (subs[i].subscribed_ns > 0)
          times[n++] = subs[i].subscribed_ns - subs[i].started_ns;
      qsort (times, n, sizeof *times, cmp_gint64);
      printf ("READY subscribers=%u requested=%u failed=%u seconds=%.3f "
              "each_p50_ms=%.2f each_p99_ms=%.2f each_max_ms=%.2f window=%d\n",
              n_subscribed, n_subs, n_failed, (connect_done_ns - connect_start_ns) / 1e9,
              ms (percentile (times, n, 50)), ms (percentile (times, n, 99)),
              ms (n ? times[n - 1] : 0), opt_window);
      fflush (stdout);
      fprintf (stderr, "live-bench: %u of %u subscribed in %.3f s\n", n_subscribed, n_subs,
               (connect_done_ns - connect_start_ns) / 1e9);
      readers_start ();
      run_state = RUN_IDLE;
    }
  else if (now - connect_start_ns > (gint64) (opt_connect_timeout * 1e9))
    {
      for (guint i = 0; i < n_subs; i++)
        if (subs[i].state != SUB_SUBSCRIBED && subs[i].state != SUB_FAILED &&
            subs[i].state != SUB_CLOSED)
          sub_close (i, "not subscribed within --connect-timeout");
      while (next_start < n_subs)
        {
          subs[next_start].state = SUB_FAILED;
          n_failed++;
          next_start++;
        }
      note_failure (0, "not all subscribed within --connect-timeout");
      connect_progress (now);
    }
}

static gboolean
http_any_idle (void)
{
  for (guint k = 0; k < (guint) opt_http_conns; k++)
    if (http[k].state == HTTP_IDLE)
      return TRUE;
  return FALSE;
}

static int
next_timeout_ms (gint64 now)
{
  gint64 until;

  switch (run_state)
    {
    case RUN_CONNECTING:
      return 100;
    case RUN_CHANGING:
      until = next_change_ns - now;
      /* A change that is due waits for a free connection: its answer wakes the loop, so do
       * not spin on a zero timeout meanwhile (that would take the CPU parkd needs). */
      if (until <= 0)
        return http_any_idle () ? 0 : 100;
      return (int) ((until + 999999) / 1000000);
    case RUN_DRAINING:
    case RUN_RESTORING:
      return 10;
    default:
      return 1000;
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  struct epoll_event events[MAX_EVENTS];
  guint64 seed;

  context = g_option_context_new ("- WebSocket subscribers and spot changes for parkd's live feed");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Commands on standard input, one a line: 'changes LABEL SECONDS', 'status', 'quit'.\n"
    "The admin's access token for the changes is read from LIVE_BENCH_TOKEN.\n"
    "See bench/README.md.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("%s (try --help)", error->message);
  if (opt_port <= 0 || opt_port > 65535)
    die ("--port is required (parkd's port)");
  if (opt_lots_file == NULL)
    die ("--lots is required");
  if (opt_threads < 1 || opt_threads > MAX_THREADS)
    die ("--threads must be 1 to %d", MAX_THREADS);
  if (opt_subscribers < 0 || opt_window < 1 || !(opt_rate > 0) ||
      opt_http_conns < 1 || opt_http_conns > MAX_HTTP_CONNS)
    die ("--subscribers >= 0, --window >= 1, --rate > 0, 1 <= --http-connections <= %d",
         MAX_HTTP_CONNS);

  my_stats = &stats;
  signal (SIGPIPE, SIG_IGN);
  if (getrandom (&seed, sizeof seed, 0) != sizeof seed)
    seed = (guint64) now_ns ();
  rng_state = seed | 1;
  token = g_getenv ("LIVE_BENCH_TOKEN");
  if (token != NULL && *token == '\0')
    token = NULL;

  memset (&server_addr, 0, sizeof server_addr);
  server_addr.sin_family = AF_INET;
  server_addr.sin_port = htons (opt_port);
  if (inet_pton (AF_INET, opt_host, &server_addr.sin_addr) != 1)
    die ("--host must be an IPv4 address, got '%s'", opt_host);
  host_header = g_strdup_printf ("%s:%d", opt_host, opt_port);

  id_index_load (&lots, opt_lots_file, "lots");
  if (opt_spots_file != NULL)
    {
      id_index_load (&spots, opt_spots_file, "spots");
      if (spots.n / opt_rate < 10)
        fprintf (stderr, "live-bench: warning: %u spots at %g/s come back every %.1f s; "
                 "updates of one change may be taken for the next\n",
                 spots.n, opt_rate, spots.n / opt_rate);
    }
  spot_state = g_new0 (guint8, MAX (spots.n, 1));
  spot_pending = g_new0 (Change *, MAX (spots.n, 1));
  retired_changes = g_ptr_array_new_with_free_func (g_free);
  build_subscribe_msg ();

  raise_fd_limit ((rlim_t) opt_subscribers + FD_RESERVE);
  n_subs = opt_subscribers;
  subs = g_new0 (Sub, MAX (n_subs, 1));
  seqs = g_new0 (gint64, (gsize) MAX (n_subs, 1) * lots.n);
  for (guint i = 0; i < n_subs; i++)
    subs[i].fd = -1;
  for (guint k = 0; k < MAX_HTTP_CONNS; k++)
    {
      http[k].fd = -1;
      http[k].change = -1;
    }

  epfd = epoll_create1 (EPOLL_CLOEXEC);
  if (epfd < 0)
    die ("epoll_create1: %s", g_strerror (errno));
  stdin_buf = g_string_new (NULL);
  fcntl (STDIN_FILENO, F_SETFL, fcntl (STDIN_FILENO, F_GETFL) | O_NONBLOCK);
  {
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = TAG (TAG_STDIN, 0) };

    /* A regular file or /dev/null cannot be polled: read it all now. */
    if (epoll_ctl (epfd, EPOLL_CTL_ADD, STDIN_FILENO, &ev) != 0)
      {
        if (errno != EPERM)
          die ("epoll_ctl (stdin): %s", g_strerror (errno));
        while (!stdin_eof)
          stdin_readable ();
      }
  }

  connect_start_ns = now_ns ();
  fprintf (stderr, "live-bench: opening %u subscribers to %s (%u lots each, %d at a time)\n",
           n_subs, host_header, lots.n, opt_window);

  while (run_state != RUN_QUIT)
    {
      gint64 now = now_ns ();
      int n = epoll_wait (epfd, events, MAX_EVENTS, next_timeout_ms (now));

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          die ("epoll_wait: %s", g_strerror (errno));
        }
      for (int e = 0; e < n; e++)
        {
          guint kind = events[e].data.u64 >> 32;
          guint index = events[e].data.u64 & 0xffffffffu;
          guint32 what = events[e].events;

          if (kind == TAG_SUB)
            {
              if (subs[index].fd < 0)
                continue;
              if (what & (EPOLLIN | EPOLLERR | EPOLLHUP))
                {
                  if (subs[index].state == SUB_CONNECTING)
                    sub_connected (index);
                  if (subs[index].fd >= 0)
                    sub_readable (index);
                }
              if (subs[index].fd >= 0 && (what & EPOLLOUT))
                sub_writable (index);
            }
          else if (kind == TAG_HTTP)
            {
              if (http[index].fd >= 0 && (what & EPOLLOUT))
                http_writable (index);
              if (http[index].fd >= 0 && (what & (EPOLLIN | EPOLLERR | EPOLLHUP)))
                {
                  if (http[index].state == HTTP_CONNECTING)
                    http_writable (index);
                  if (http[index].fd >= 0)
                    http_readable (index);
                }
            }
          else if (kind == TAG_STDIN)
            stdin_readable ();
        }

      now = now_ns ();
      switch (run_state)
        {
        case RUN_CONNECTING:
          connect_progress (now);
          break;
        case RUN_CHANGING:
          phase_send_due ();
          break;
        case RUN_DRAINING:
          if (phase_complete () || now >= drain_deadline_ns)
            phase_report ();
          break;
        case RUN_RESTORING:
          restore_progress ();
          break;
        default:
          break;
        }
      if (run_state == RUN_IDLE)
        next_command ();
    }

  readers_stop_all ();
  print_status ();
  for (guint i = 0; i < n_subs; i++)
    if (subs[i].fd >= 0)
      {
        static const guint8 going_away[] = { 0x03, 0xe9 };   /* 1001 */

        sub_send_frame (i, 0x8, going_away, sizeof going_away);
        sub_close (i, "quit");
      }
  for (guint k = 0; k < MAX_HTTP_CONNS; k++)
    http_close (&http[k]);
  return first_failure != NULL ? 3 : 0;
}
