/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-server.c: the HTTP server on libh2o.
 *
 * One h2o event loop per worker thread, each with its own SO_REUSEPORT listener on the same
 * port, so the kernel spreads connections over the threads and no lock sits on the hot path
 * (DESIGN.md gives the measurements that chose libh2o over libsoup's server). Requests are
 * routed through the static table in parkd-routes.c; every answer leaves through
 * parkd-reply.c, which calls back here to log and count it.
 *
 * The main thread keeps the GLib main loop for signals; parkd_server_stop() wakes each loop
 * through an h2o multithread queue, closes the listeners and lets open requests finish.
 */
#include "config.h"

#include "parkd-server.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define N_BUCKETS 12
static const double bucket_bounds[N_BUCKETS] = {
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
};

static const char * const method_names[] = {
  "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER",
};
#define N_METHODS G_N_ELEMENTS (method_names)

typedef struct
{
  guint64 count;
  double  sum;
  guint64 buckets[N_BUCKETS];
} Metric;

struct _ParkdWorker
{
  ParkdServer                *server;
  guint                       index;
  GThread                    *thread;
  h2o_evloop_t               *loop;
  h2o_context_t               ctx;
  h2o_accept_ctx_t            accept_ctx;
  h2o_socket_t               *listener;
  int                         fd;
  h2o_multithread_queue_t    *queue;
  h2o_multithread_receiver_t  wakeup;
  ParkdLiveLoop              *live;       /* this loop's live-feed clients */
  gint                        stopping;   /* atomic */
  guint                       n_conns;    /* this thread only */
  guint                       in_flight;  /* requests not yet fully sent, this thread only */
  guint                       blocking;   /* requests out on the blocking pool, this thread only */
  guint32                     id_prefix;  /* request ids: random per loop, then a counter */
  guint32                     id_counter;

  GMutex                      metrics_lock;
  GHashTable                 *metrics;    /* packed (route, method, status) -> Metric */

  GString                    *log;        /* access-log lines not yet written */
  gint64                      log_second; /* the second @log_prefix is for */
  char                        log_prefix[24];  /* "2026-11-24T17:11:59" */
};

typedef struct
{
  h2o_handler_t  super;
  ParkdServer   *server;
} ParkdHandler;

typedef struct
{
  ParkdWorker *worker;
  char         client[64];
  gboolean     proxy;       /* a --trusted-proxies address */
} ConnInfo;

#define LEASE_US        G_USEC_PER_SEC
#define LEASE_FRACTION  20        /* of the burst */
#define LEASES_MAX      100000    /* keys per limit with a lease at most */

/* Requests waiting for the store's pool at most before parkd answers 503. */
#define PARKD_STORE_POOL_QUEUE 4096

typedef struct
{
  int     tokens;
  gint64  until_us;
} Lease;

/* What this replica holds of each shared bucket (see limit_script): key -> Lease, per
 * limit. */
typedef struct
{
  GMutex      lock;
  GHashTable *leases;
  guint       takes;
} LeaseTable;

/* A request handed to the blocking pool, and back. */
typedef struct
{
  h2o_multithread_message_t  link;
  ParkdPending              *pending;
  ParkdResumeFunc            resume;    /* NULL: a handler run on the blocking pool */
  gpointer                   data;
  GDestroyNotify             data_free;
} BlockingJob;

struct _ParkdServer
{
  const ParkdConfig *config;
  ParkdStore        *store;
  ParkdAuth         *auth;
  ParkdStripe       *stripe;
  ParkdLive         *live;
  ParkdRedis        *redis;       /* replicas: rate limits counted once for all */
  LeaseTable         leases[PARKD_N_LIMITS];  /* what this replica holds of each */
  GThreadPool       *blocking;    /* slow handlers: password hashes, writes */
  GThreadPool       *store_pool;  /* a store across the network (PostgreSQL): every handler
                                   * that waits on it, so no loop waits on a round trip */
  h2o_globalconf_t   globalconf;
  gboolean           configured;
  ParkdWorker       *workers;
  guint              n_workers;
  struct sockaddr_storage addr;
  socklen_t          addrlen;
  char              *url;
  gint64             started_wall;

  GMutex             ready_lock;   /* the loops tell parkd_server_start() they are set up */
  GCond              ready_cond;
  guint              n_ready;

  GPtrArray         *trusted;     /* --trusted-proxies: GInetAddressMask *, peers whose
                                   * X-Forwarded-For counts */

  GMutex             clients_lock;
  GHashTable        *clients;     /* client address -> open connections */
  gint               n_conns;     /* atomic, all threads */
};

/* Packs the metric key; the route index runs to parkd_n_routes, which is "unmatched". */
static inline guint64
metric_key (guint route,
            guint method,
            guint status)
{
  return ((guint64) route << 32) | ((guint64) method << 16) | status;
}

static guint
method_index (h2o_iovec_t method)
{
  for (guint i = 0; i < N_METHODS - 1; i++)
    if (h2o_memis (method.base, method.len, method_names[i], strlen (method_names[i])))
      return i;
  return N_METHODS - 1;
}

/* Access-log lines are gathered per loop iteration and written at once: under load one
 * write(2) carries many requests, and a line is never held back longer than one turn of the
 * loop. */
static void
flush_log (GString *line)
{
  gsize off = 0;

  while (off < line->len)
    {
      ssize_t n = write (STDERR_FILENO, line->str + off, line->len - off);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      off += n;
    }
  g_string_truncate (line, 0);
}

/* RFC 3339 UTC with microseconds; the date and time of day are formatted once a second. */
static void
format_timestamp (ParkdWorker *w,
                  char         out[40])
{
  gint64 now = g_get_real_time ();
  gint64 second = now / G_USEC_PER_SEC;

  if (second != w->log_second)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (second);
      g_autofree char *text = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

      g_strlcpy (w->log_prefix, text, sizeof w->log_prefix);
      w->log_second = second;
    }
  g_snprintf (out, 40, "%s.%06dZ", w->log_prefix, (int) (now % G_USEC_PER_SEC));
}

void
_parkd_server_request_done (ParkdRequest *r,
                            gsize         body_len)
{
  ParkdServer *self = r->server;
  ParkdWorker *w = r->worker;
  gint64 duration_us = g_get_monotonic_time () - r->start_us;
  double seconds = duration_us / 1e6;
  guint route = r->route != NULL ? (guint) (r->route - parkd_routes) : parkd_n_routes;
  guint method = method_index (r->req->method);
  guint64 key = metric_key (route, method, r->status);
  Metric *m;

  g_mutex_lock (&w->metrics_lock);
  m = g_hash_table_lookup (w->metrics, &key);
  if (m == NULL)
    {
      guint64 *k = g_new (guint64, 1);

      *k = key;
      m = g_new0 (Metric, 1);
      g_hash_table_insert (w->metrics, k, m);
    }
  m->count++;
  m->sum += seconds;
  for (guint i = 0; i < N_BUCKETS; i++)
    if (seconds <= bucket_bounds[i])
      m->buckets[i]++;
  g_mutex_unlock (&w->metrics_lock);

  if (self->config->access_log)
    {
      GString *line = w->log;
      g_autofree char *path = g_strndup (r->req->path.base,
                                         MIN (r->req->path.len, r->req->query_at));
      char ts[40];

      format_timestamp (w, ts);
      g_string_append_c (line, '{');
      parkd_json_append_member (line, "ts");
      parkd_json_append_string (line, ts);
      parkd_json_append_member (line, "level");
      parkd_json_append_string (line, "info");
      parkd_json_append_member (line, "event");
      parkd_json_append_string (line, "request");
      parkd_json_append_member (line, "request_id");
      parkd_json_append_string (line, r->id);
      parkd_json_append_member (line, "method");
      parkd_json_append_string (line, method_names[method]);
      parkd_json_append_member (line, "route");
      parkd_json_append_string (line, r->route != NULL ? r->route->pattern : "unmatched");
      parkd_json_append_member (line, "path");
      if (g_utf8_validate (path, -1, NULL))
        parkd_json_append_string (line, path);
      else
        parkd_json_append_string (line, "(not UTF-8)");
      parkd_json_append_member (line, "status");
      g_string_append_printf (line, "%d", r->status);
      parkd_json_append_member (line, "duration_ms");
      parkd_json_append_double (line, duration_us / 1000.0, 3);
      parkd_json_append_member (line, "bytes");
      g_string_append_printf (line, "%" G_GSIZE_FORMAT, body_len);
      parkd_json_append_member (line, "worker");
      g_string_append_printf (line, "%u", w->index);
      g_string_append (line, "}\n");
      if (line->len > 64 * 1024)
        flush_log (line);
    }
}

/* What a request and the thread working for it share. The request's side goes when h2o
 * disposes of the request (request_dispose); the other side when its answer was taken back
 * to the loop. @lock keeps h2o's dispose from freeing a request while a blocking handler is
 * still reading it: the loop then waits for the handler, which happens only when a client
 * hangs up in the middle of a slow request. */
struct _ParkdPending
{
  gint          refs;       /* atomic */
  GMutex        lock;
  ParkdRequest *request;    /* NULL once h2o disposed of it */
  ParkdWorker  *worker;
};

static ParkdPending *
pending_new (ParkdRequest *r)
{
  ParkdPending *p = g_new0 (ParkdPending, 1);

  p->refs = 2;   /* the request's, and the worker thread's */
  g_mutex_init (&p->lock);
  p->request = r;
  p->worker = r->worker;
  r->pending = p;
  return p;
}

static void
pending_unref (ParkdPending *p)
{
  if (!g_atomic_int_dec_and_test (&p->refs))
    return;
  g_mutex_clear (&p->lock);
  g_free (p);
}

/* From request_dispose, on the loop. */
static void
pending_detach (ParkdRequest *r)
{
  ParkdPending *p = g_steal_pointer (&r->pending);

  if (p == NULL)
    return;
  g_mutex_lock (&p->lock);
  p->request = NULL;
  g_mutex_unlock (&p->lock);
  pending_unref (p);
}

/* Runs when h2o clears the request's pool, after the answer has been written out. */
static void
request_dispose (void *data)
{
  ParkdRequest *r = data;

  r->worker->in_flight--;
  pending_detach (r);
  if (r->pending_body != NULL)
    g_string_free (g_steal_pointer (&r->pending_body), TRUE);
  g_clear_pointer (&r->pending_headers, g_ptr_array_unref);
  g_clear_pointer (&r->query, g_ptr_array_unref);
  g_clear_pointer (&r->body, json_node_unref);
}

/* Splits "a=1&b=x%20y" into decoded pairs; '+' is a space as in HTML forms. NULL (and a 400
 * answered) when a name or value is not valid percent-encoded UTF-8. */
static gboolean
parse_query (ParkdRequest *r)
{
  h2o_req_t *req = r->req;
  g_autofree char *query = NULL;
  g_auto(GStrv) parts = NULL;

  if (req->query_at == SIZE_MAX || req->query_at + 1 >= req->path.len)
    return TRUE;

  query = g_strndup (req->path.base + req->query_at + 1, req->path.len - req->query_at - 1);
  parts = g_strsplit (query, "&", 0);
  r->query = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *eq, *name, *value;

      if (*parts[i] == '\0')
        continue;
      g_strdelimit (parts[i], "+", ' ');
      eq = strchr (parts[i], '=');
      if (eq != NULL)
        *eq = '\0';
      name = g_uri_unescape_string (parts[i], NULL);
      value = g_uri_unescape_string (eq != NULL ? eq + 1 : "", NULL);
      if (name == NULL || value == NULL || !g_utf8_validate (name, -1, NULL) ||
          !g_utf8_validate (value, -1, NULL) || *name == '\0')
        {
          g_free (name);
          g_free (value);
          parkd_reply_problem (r, 400, "invalid-parameter", NULL,
                               "The query string is not valid percent-encoded UTF-8");
          return FALSE;
        }
      g_ptr_array_add (r->query, name);
      g_ptr_array_add (r->query, value);
    }
  return TRUE;
}

/* Matches "/api/v1/parking-lots/{id}" against a normalised path, capturing {…} segments. */
static gboolean
route_matches (const ParkdRoute *route,
               h2o_iovec_t       path,
               ParkdRequest     *r)
{
  const char *p = route->pattern;
  const char *s = path.base;
  const char *end = path.base + path.len;
  guint n_params = 0;

  while (*p != '\0')
    {
      if (*p == '{')
        {
          const char *seg_end = memchr (s, '/', end - s);
          const char *close = strchr (p, '}');

          if (seg_end == NULL)
            seg_end = end;
          if (seg_end == s || n_params >= PARKD_MAX_PATH_PARAMS)
            return FALSE;
          if (r != NULL)
            r->params[n_params] = h2o_strdup (&r->req->pool, s, seg_end - s).base;
          n_params++;
          s = seg_end;
          p = close + 1;
          continue;
        }
      if (s >= end || *p != *s)
        return FALSE;
      p++;
      s++;
    }
  if (s != end)
    return FALSE;
  if (r != NULL)
    r->n_params = n_params;
  return TRUE;
}

static gboolean
method_matches (const ParkdRoute *route,
                h2o_iovec_t       method)
{
  if (h2o_memis (method.base, method.len, route->method, strlen (route->method)))
    return TRUE;
  return g_str_equal (route->method, "GET") && h2o_memis (method.base, method.len, H2O_STRLIT ("HEAD"));
}

static gboolean
content_type_is_json (h2o_req_t *req)
{
  ssize_t i = h2o_find_header (&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
  g_autofree char *value = NULL;
  char *semi;

  if (i == -1)
    return FALSE;
  value = g_ascii_strdown (req->headers.entries[i].value.base, req->headers.entries[i].value.len);
  semi = strchr (value, ';');
  if (semi != NULL)
    *semi = '\0';
  g_strstrip (value);
  return g_str_equal (value, "application/json") ||
         (g_str_has_prefix (value, "application/") && g_str_has_suffix (value, "+json"));
}

static void
set_request_id (ParkdRequest *r)
{
  ssize_t i = h2o_find_header_by_str (&r->req->headers, H2O_STRLIT ("x-request-id"), -1);

  /* A proxy's id is kept when it is short and plain, so one id follows a request through. */
  if (i != -1)
    {
      h2o_iovec_t v = r->req->headers.entries[i].value;
      gboolean ok = v.len > 0 && v.len < sizeof r->id;

      for (gsize k = 0; ok && k < v.len; k++)
        ok = g_ascii_isalnum (v.base[k]) || v.base[k] == '-' || v.base[k] == '_' ||
             v.base[k] == '.';
      if (ok)
        {
          memcpy (r->id, v.base, v.len);
          r->id[v.len] = '\0';
          return;
        }
    }
  /* Unique without a lock: a random prefix per loop and its own request counter. */
  g_snprintf (r->id, sizeof r->id, "%08x%08x", r->worker->id_prefix, ++r->worker->id_counter);
}

static gboolean
is_trusted_proxy (ParkdServer *self,
                  const char  *address)
{
  g_autoptr(GInetAddress) peer = NULL;

  if (self->trusted == NULL)
    return FALSE;
  peer = g_inet_address_new_from_string (address);
  for (guint i = 0; peer != NULL && i < self->trusted->len; i++)
    if (g_inet_address_mask_matches (g_ptr_array_index (self->trusted, i), peer))
      return TRUE;
  return FALSE;
}

/* The address a trusted proxy (nginx) saw the client at: the last X-Forwarded-For entry,
 * which the proxy itself appended; anything before it is what the client claimed. */
static gboolean
forwarded_for (ParkdRequest *r,
               char         *out,
               gsize         size)
{
  ssize_t h = -1, last = -1;
  g_autofree char *value = NULL;
  const char *hop;
  char *comma;

  while ((h = h2o_find_header (&r->req->headers, H2O_TOKEN_X_FORWARDED_FOR, h)) != -1)
    last = h;
  if (last == -1)
    return FALSE;
  value = g_strndup (r->req->headers.entries[last].value.base,
                     MIN (r->req->headers.entries[last].value.len, 4096));
  comma = strrchr (value, ',');
  hop = g_strstrip (comma != NULL ? comma + 1 : value);
  if (!g_hostname_is_ip_address (hop) || strlen (hop) >= size)
    return FALSE;
  g_strlcpy (out, hop, size);
  return TRUE;
}

/* getnameinfo() is not free: only requests that need the address pay for it. */
const char *
parkd_request_get_client (ParkdRequest *r)
{
  struct sockaddr_storage sa;
  socklen_t len;

  if (r->client[0] != '\0')
    return r->client;
  len = r->req->conn->callbacks->get_peername (r->req->conn, (struct sockaddr *) &sa);
  if (len == 0 ||
      h2o_socket_getnumerichost ((struct sockaddr *) &sa, len, r->client) == SIZE_MAX)
    g_strlcpy (r->client, "unknown", sizeof r->client);
  else if (is_trusted_proxy (r->server, r->client))
    forwarded_for (r, r->client, sizeof r->client);
  return r->client;
}

static void
reply_rate_limited (ParkdRequest *r,
                    int           retry_after,
                    const char   *detail)
{
  char value[16];

  g_snprintf (value, sizeof value, "%d", retry_after);
  parkd_reply_add_header (r, "retry-after", value);
  parkd_reply_problem (r, 429, "rate-limited", NULL, "%s; try again in %d s", detail,
                       retry_after);
}

static void
reply_unauthorized (ParkdRequest *r,
                    const char   *error_code,
                    const char   *detail)
{
  g_autofree char *challenge = NULL;

  if (error_code != NULL)
    challenge = g_strdup_printf ("Bearer realm=\"parkade\", error=\"%s\"", error_code);
  parkd_reply_add_header (r, "www-authenticate",
                          challenge != NULL ? challenge : "Bearer realm=\"parkade\"");
  parkd_reply_problem (r, 401, error_code != NULL ? "invalid-token" : "unauthorized", NULL,
                       "%s", detail);
}

/* FALSE, answered 401, when the staff account is no longer what the token says. */
static gboolean
reply_staff_changed (ParkdRequest *r)
{
  g_autoptr(ParkdUser) user = parkd_store_get_user (r->store, r->principal->user_id, NULL);

  if (user != NULL && !user->disabled && user->role == r->principal->role &&
      g_strcmp0 (user->operator_id != NULL ? user->operator_id : "",
                 r->principal->operator_id) == 0)
    return TRUE;
  reply_unauthorized (r, "invalid_token", "This account was changed or removed; sign in again");
  return FALSE;
}

/* The name a kiosk's requests are counted under, in Redis too: its key's hash (with a store
 * across the network the kiosk itself is only known later, off the loop). */
static void
set_kiosk_bucket (ParkdRequest *r,
                  const char   *key,
                  gsize         len)
{
  g_autofree char *hex = NULL;

  while (len > 0 && *key == ' ')
    key++, len--;
  while (len > 0 && key[len - 1] == ' ')
    len--;
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) key, len);
  g_strlcpy (r->kiosk_bucket, hex, sizeof r->kiosk_bucket);
}

/* A kiosk's key (issue 7): the kiosk it names, and that kiosk's share of the account limit.
 * FALSE when the request has been answered. */
static gboolean
admit_kiosk (ParkdRequest *r,
             const char   *key,
             gsize         len)
{
  g_autofree char *bucket = NULL;
  int retry_after;

  if (!parkd_kiosk_admit (r, key, len))
    return FALSE;
  if (r->auth == NULL)
    return TRUE;
  bucket = g_strconcat ("kiosk:", r->kiosk_bucket, NULL);
  if (!parkd_auth_rate_take (r->auth, PARKD_LIMIT_ACCOUNT, bucket, &retry_after))
    {
      reply_rate_limited (r, retry_after, "Too many requests from this kiosk");
      return FALSE;
    }
  return TRUE;
}

/* Rate limits, the bearer token and the route's roles, in that order: a flood is turned away
 * before any signature is checked. FALSE when the request has been answered. */
static gboolean
admit (ParkdRequest *r)
{
  h2o_req_t *req = r->req;
  ParkdAuth *auth = r->auth;
  int retry_after;
  ssize_t i;

  if (auth == NULL)
    return TRUE;

  if (parkd_auth_limit_active (auth, PARKD_LIMIT_ADDRESS) &&
      !parkd_auth_rate_take (auth, PARKD_LIMIT_ADDRESS, parkd_request_get_client (r),
                             &retry_after))
    {
      reply_rate_limited (r, retry_after, "Too many requests from this address");
      return FALSE;
    }
  if ((r->route->flags & PARKD_ROUTE_AUTH_LIMIT) &&
      !parkd_auth_rate_take (auth, PARKD_LIMIT_AUTH, parkd_request_get_client (r),
                             &retry_after))
    {
      reply_rate_limited (r, retry_after, "Too many sign-in attempts from this address");
      return FALSE;
    }

  i = h2o_find_header (&req->headers, H2O_TOKEN_AUTHORIZATION, -1);
  if (i != -1)
    {
      h2o_iovec_t v = req->headers.entries[i].value;
      g_autofree char *token = NULL;
      g_autoptr(GError) error = NULL;

      /* A kiosk's own key (issue 7): no person is signed in, the kiosk books for a guest.
       * Only the routes a guest uses look at it; elsewhere it counts as no sign-in. */
      if (v.len >= 5 && g_ascii_strncasecmp (v.base, "Kiosk", 5) == 0 &&
          (v.len == 5 || v.base[5] == ' '))
        {
          if (r->route->flags & PARKD_ROUTE_KIOSK)
            set_kiosk_bucket (r, v.base + 5, v.len - 5);
          /* With a store across the network the key is looked up on the store's pool,
           * where the handler runs (blocking_job_run()). */
          if ((r->route->flags & PARKD_ROUTE_KIOSK) && r->server->store_pool != NULL)
            {
              r->kiosk_key = h2o_strdup (&req->pool, v.base + 5, v.len - 5).base;
              r->kiosk_key_len = v.len - 5;
            }
          else if ((r->route->flags & PARKD_ROUTE_KIOSK) &&
                   !admit_kiosk (r, v.base + 5, v.len - 5))
            return FALSE;
        }
      else if (v.len < 7 || g_ascii_strncasecmp (v.base, "Bearer ", 7) != 0 || v.len > 8192 + 7)
        {
          reply_unauthorized (r, "invalid_request", "Send the access token as \"Bearer TOKEN\"");
          return FALSE;
        }
      else
        {
          token = g_strndup (v.base + 7, v.len - 7);
          g_strstrip (token);
          if (!parkd_auth_verify (auth, token, &r->principal_storage, &error))
            {
              reply_unauthorized (r, "invalid_token", error->message);
              return FALSE;
            }
          r->principal = &r->principal_storage;
        }
    }

  if (r->route->roles != 0 &&
      !(r->principal == NULL && (r->kiosk != NULL || r->kiosk_key != NULL) &&
        (r->route->flags & PARKD_ROUTE_KIOSK)))
    {
      if (r->principal == NULL)
        {
          reply_unauthorized (r, NULL, "Sign in to use this resource");
          return FALSE;
        }
      if ((r->route->roles & PARKD_ROLE_BIT (r->principal->role)) == 0)
        {
          parkd_reply_problem (r, 403, "forbidden", NULL,
                               "Your account may not use this resource");
          return FALSE;
        }
    }
  /* Staff powers are checked against the account as it is now, not as the token remembers
   * it: a removed, disabled or demoted staff member stops at once, restarts included. */
  if (r->principal != NULL && r->route->roles != 0 &&
      (r->route->roles & PARKD_ROLE_BIT (PARKD_ROLE_DRIVER)) == 0)
    {
      /* With a store across the network the read waits for the store's pool, where the
       * handler runs (blocking_job_run()). */
      if (r->server->store_pool != NULL)
        r->check_staff = TRUE;
      else if (!reply_staff_changed (r))
        return FALSE;
    }
  if (r->principal != NULL &&
      !parkd_auth_rate_take (auth, PARKD_LIMIT_ACCOUNT, r->principal->user_id, &retry_after))
    {
      reply_rate_limited (r, retry_after, "Too many requests from this account");
      return FALSE;
    }
  return TRUE;
}

/* On a blocking-pool thread: run the handler, whose answer is kept in the request, and
 * wake the request's loop to send it. */
static void
blocking_job_run (gpointer data,
                  gpointer user_data)
{
  BlockingJob *job = data;
  ParkdPending *p = job->pending;
  ParkdRequest *r;

  g_mutex_lock (&p->lock);
  r = p->request;
  if (r != NULL)
    {
      r->off_loop = TRUE;
      if ((r->kiosk_key == NULL || admit_kiosk (r, r->kiosk_key, r->kiosk_key_len)) &&
          (!r->check_staff || reply_staff_changed (r)))
        r->route->handler (r);
      r->off_loop = FALSE;
      g_assert (r->pending_body != NULL);
    }
  g_mutex_unlock (&p->lock);
  h2o_multithread_send_message (&p->worker->wakeup, &job->link);
}

/* Hands the request to @pool's threads; 503 when @max_queued already wait there. */
static void
run_off_loop (ParkdRequest *r,
              GThreadPool  *pool,
              guint         max_queued)
{
  BlockingJob *job;

  if (g_thread_pool_unprocessed (pool) >= max_queued)
    {
      parkd_reply_add_header (r, "retry-after", "1");
      parkd_reply_problem (r, 503, "busy", NULL,
                           "The service is busy; try again in a moment");
      return;
    }
  /* Whatever the handler may want of the connection is read here, on its loop. */
  parkd_request_get_client (r);
  job = g_new0 (BlockingJob, 1);
  job->pending = pending_new (r);
  r->worker->blocking++;
  g_thread_pool_push (pool, job, NULL);
}

/* Password hashes on the small pool (each takes 19 MiB); with a store across the network,
 * every other handler that uses the store on the store's pool, sized to its connections;
 * with SQLite, writes on the small pool and reads here, on the loop (a read from the page
 * cache takes microseconds). */
static gboolean
dispatch_off_loop (ParkdRequest *r)
{
  ParkdServer *self = r->server;
  ParkdRouteFlags flags = r->route->flags;

  if (self->store_pool != NULL && !(flags & (PARKD_ROUTE_HASH | PARKD_ROUTE_LOOP)))
    run_off_loop (r, self->store_pool, PARKD_STORE_POOL_QUEUE);
  else if (flags & PARKD_ROUTE_BLOCKING)
    run_off_loop (r, self->blocking, (guint) self->config->blocking_queue);
  else
    return FALSE;
  return TRUE;
}

ParkdPending *
parkd_request_suspend (ParkdRequest *r)
{
  g_assert (!r->suspended && !r->off_loop && r->pending == NULL);
  r->suspended = TRUE;
  r->worker->blocking++;
  return pending_new (r);
}

void
parkd_request_resume (ParkdPending    *pending,
                      ParkdResumeFunc  func,
                      gpointer         data,
                      GDestroyNotify   data_free)
{
  BlockingJob *job = g_new0 (BlockingJob, 1);

  job->pending = pending;
  job->resume = func;
  job->data = data;
  job->data_free = data_free;
  h2o_multithread_send_message (&pending->worker->wakeup, &job->link);
}

/* Back on the loop: send what the handler answered. */
static void
blocking_job_finish (BlockingJob *job)
{
  ParkdPending *p = job->pending;
  ParkdRequest *r = p->request;
  GPtrArray *headers;

  p->worker->blocking--;
  /* The client hung up and h2o freed the request: nobody is left to answer. */
  if (r == NULL)
    {
      if (job->data_free != NULL && job->data != NULL)
        job->data_free (job->data);
      pending_unref (p);
      g_free (job);
      return;
    }
  /* The request no longer needs the handle; the worker's side goes with the job. */
  r->pending = NULL;
  pending_unref (p);
  pending_unref (p);
  if (job->resume != NULL)
    {
      job->resume (r, job->data);
      /* Answered, or handed on (a blocking handler, a handler that waits). */
      g_assert (r->status != 0 || r->suspended || r->pending != NULL);
      g_free (job);
      return;
    }
  headers = g_steal_pointer (&r->pending_headers);
  for (guint i = 0; headers != NULL && i + 1 < headers->len; i += 2)
    parkd_reply_add_header (r, g_ptr_array_index (headers, i), g_ptr_array_index (headers, i + 1));
  g_clear_pointer (&headers, g_ptr_array_unref);
  parkd_reply_text (r, r->pending_status, r->pending_type, g_steal_pointer (&r->pending_body));
  g_free (job);
}

static void proceed (ParkdRequest *r);

/* Replicas count the rate limits in Redis, so N of them enforce one limit (DESIGN.md,
 * Security): one token bucket per key, on Redis's clock. A replica takes tokens from Redis a
 * few at a time (a lease: a twentieth of the burst, for a second), so a busy client costs a
 * round trip every few requests rather than each one; what a lease holds was taken from the
 * shared bucket, so the replicas together never let more through than the limit, and what
 * a lease does not use in its second is lost, never given twice. Sign-in, registration,
 * refresh and payments lease nothing: each is counted in Redis as it comes, and stops when
 * Redis does.
 *
 * The script takes, from each bucket of KEYS, up to the number asked (ARGV: rate, burst,
 * wanted per key), as long as the bucket has one. Answers {granted per key..., the index of
 * the first empty bucket or 0, seconds to wait}. */
static const char limit_script[] =
  "local t = redis.call ('TIME')\n"
  "local now = tonumber (t[1]) * 1000000 + tonumber (t[2])\n"
  "local out, first, wait = {}, 0, 0\n"
  "for i = 1, #KEYS do\n"
  "  local rate, burst = tonumber (ARGV[3 * i - 2]), tonumber (ARGV[3 * i - 1])\n"
  "  local want = tonumber (ARGV[3 * i])\n"
  "  local b = redis.call ('HMGET', KEYS[i], 't', 'at')\n"
  "  local have, at = tonumber (b[1]) or burst, tonumber (b[2]) or now\n"
  "  have = math.min (burst, have + math.max (0, now - at) / 1e6 * rate)\n"
  "  local got = math.min (want, math.floor (have))\n"
  "  if got < 1 then\n"
  "    got = 0\n"
  "    if first == 0 then first = i end\n"
  "    wait = math.max (wait, 1, math.ceil ((1 - have) / rate))\n"
  "  end\n"
  "  out[i] = got\n"
  "  redis.call ('HSET', KEYS[i], 't', tostring (have - got), 'at', string.format ('%.0f', now))\n"
  "  redis.call ('PEXPIRE', KEYS[i], math.ceil (burst / rate * 1000) + 1000)\n"
  "end\n"
  "out[#KEYS + 1] = first\n"
  "out[#KEYS + 2] = wait\n"
  "return out\n";

typedef struct
{
  ParkdPending *pending;
  ParkdServer  *server;
  ParkdLimit    limits[PARKD_N_LIMITS];
  char         *keys[PARKD_N_LIMITS];
  int           wanted[PARKD_N_LIMITS];
  guint         n_limits;
  gboolean      answered;   /* Redis answered ... */
  gboolean      allowed;    /* ... and let the request through */
  ParkdLimit    limited;    /* else the limit that stopped it */
  int           retry_after;
} SharedCheck;

static void
shared_check_free (SharedCheck *check)
{
  for (guint i = 0; i < check->n_limits; i++)
    g_free (check->keys[i]);
  g_free (check);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SharedCheck, shared_check_free)

static const char *
limit_detail (ParkdLimit limit)
{
  switch (limit)
    {
    case PARKD_LIMIT_AUTH:    return "Too many sign-in attempts from this address";
    case PARKD_LIMIT_ACCOUNT: return "Too many requests from this account";
    case PARKD_LIMIT_ADDRESS:
    default:                  return "Too many requests from this address";
    }
}

/* Takes a token from this replica's lease of @key; FALSE when it holds none. */
static gboolean
lease_take (LeaseTable *table,
            const char *key,
            gint64      now)
{
  Lease *lease;
  gboolean ok = FALSE;

  g_mutex_lock (&table->lock);
  lease = g_hash_table_lookup (table->leases, key);
  if (lease != NULL && lease->until_us > now && lease->tokens > 0)
    {
      lease->tokens--;
      ok = TRUE;
    }
  g_mutex_unlock (&table->lock);
  return ok;
}

/* Adds tokens taken from the shared bucket to this replica's lease of @key, for a second
 * from now. */
static void
lease_add (LeaseTable *table,
           const char *key,
           int         tokens,
           gint64      now)
{
  Lease *lease;

  if (tokens <= 0)
    return;
  g_mutex_lock (&table->lock);
  if (++table->takes % 4096 == 0 || g_hash_table_size (table->leases) >= LEASES_MAX)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, table->leases);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (((Lease *) value)->until_us <= now)
          g_hash_table_iter_remove (&iter);
    }
  lease = g_hash_table_lookup (table->leases, key);
  if (lease == NULL && g_hash_table_size (table->leases) < LEASES_MAX)
    {
      lease = g_new0 (Lease, 1);
      g_hash_table_insert (table->leases, g_strdup (key), lease);
    }
  if (lease != NULL)
    {
      if (lease->until_us <= now)
        lease->tokens = 0;
      lease->tokens += tokens;
      lease->until_us = now + LEASE_US;
    }
  g_mutex_unlock (&table->lock);
}

/* Back on the request's loop with Redis's answer (the check is this function's now). */
static void
shared_limits_done (ParkdRequest *r,
                    gpointer      data)
{
  g_autoptr(SharedCheck) check = data;

  r->suspended = FALSE;
  if (!check->answered)
    {
      /* Redis is away: signing in and paying stop rather than let unlimited tries through
       * (the limit is only worth anything counted across replicas); the rest goes on with
       * this replica's own limits, already taken. */
      if (r->route->flags & (PARKD_ROUTE_AUTH_LIMIT | PARKD_ROUTE_PAYMENT))
        {
          parkd_reply_add_header (r, "retry-after", "5");
          parkd_reply_problem (r, 503, "rate-limit-unavailable", NULL,
                               "Rate limits cannot be checked right now; try again in 5 s");
          return;
        }
      proceed (r);
      return;
    }
  if (!check->allowed)
    {
      reply_rate_limited (r, check->retry_after, limit_detail (check->limited));
      return;
    }
  proceed (r);
}

/* On the Redis thread (or the caller's, Redis being down). Each bucket gives this request
 * one token, from what Redis just granted or, when Redis had none left, from a lease that
 * requests sent at the same moment brought in; the rest is leased. */
static void
shared_limits_cb (const ParkdRedisReply *reply,
                  gpointer               data)
{
  SharedCheck *check = data;
  guint n = check->n_limits;

  if (reply != NULL && reply->type == PARKD_REDIS_REPLY_ARRAY && reply->elements == n + 2)
    {
      gint64 now = g_get_monotonic_time ();
      gboolean from_lease[PARKD_N_LIMITS] = { FALSE, };

      check->answered = TRUE;
      check->allowed = TRUE;
      for (guint i = 0; i < n; i++)
        if (reply->element[i]->integer < 1)
          {
            LeaseTable *table = &check->server->leases[check->limits[i]];

            from_lease[i] = check->wanted[i] > 1 && lease_take (table, check->keys[i], now);
            if (!from_lease[i] && check->allowed)
              {
                check->allowed = FALSE;
                check->limited = check->limits[i];
              }
          }
      for (guint i = 0; i < n; i++)
        {
          LeaseTable *table = &check->server->leases[check->limits[i]];
          int granted = (int) reply->element[i]->integer;

          /* Kept: what this request did not use, and a token it took but cannot use. */
          if (check->wanted[i] > 1)
            lease_add (table, check->keys[i],
                       check->allowed ? granted - (granted >= 1) : granted + from_lease[i],
                       now);
        }
      check->retry_after = (int) CLAMP (reply->element[n + 1]->integer, 1, 3600);
    }
  else if (reply != NULL && reply->type == PARKD_REDIS_REPLY_ERROR)
    g_warning ("Redis refused the rate-limit script: %s", reply->str);
  parkd_request_resume (check->pending, shared_limits_done, check,
                        (GDestroyNotify) shared_check_free);
}

static void
shared_limit_add (SharedCheck  *check,
                  ParkdServer  *server,
                  ParkdLimit    limit,
                  char         *key,
                  double        rate,
                  int           burst,
                  gboolean      exact,
                  GPtrArray    *rates,
                  gint64        now)
{
  int lease = exact ? 1 : MAX (1, burst / LEASE_FRACTION);
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  /* Held here already: no need to ask. */
  if (lease > 1 && lease_take (&server->leases[limit], key, now))
    {
      g_free (key);
      return;
    }
  check->limits[check->n_limits] = limit;
  check->keys[check->n_limits] = key;
  check->wanted[check->n_limits] = lease;
  check->n_limits++;
  g_ptr_array_add (rates, g_strdup (g_ascii_dtostr (text, sizeof text, rate)));
  g_ptr_array_add (rates, g_strdup_printf ("%d", burst));
  g_ptr_array_add (rates, g_strdup_printf ("%d", lease));
}

/* Asks Redis for the request's buckets not leased here; TRUE when the request waits for the
 * answer, FALSE when it may go on at once. */
static gboolean
shared_limits (ParkdRequest *r)
{
  ParkdServer *server = r->server;
  const ParkdConfig *config = server->config;
  ParkdAuth *auth = r->auth;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rates = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SharedCheck) check = NULL;
  gint64 now = g_get_monotonic_time ();
  /* Signing in and paying are rare and must stop when Redis does: counted one by one. */
  gboolean exact = (r->route->flags & (PARKD_ROUTE_AUTH_LIMIT | PARKD_ROUTE_PAYMENT)) != 0;

  if (auth == NULL)
    return FALSE;
  check = g_new0 (SharedCheck, 1);
  check->server = server;
  if (parkd_auth_limit_active (auth, PARKD_LIMIT_ADDRESS))
    shared_limit_add (check, server, PARKD_LIMIT_ADDRESS,
                      g_strconcat ("parkade:rate:address:", parkd_request_get_client (r), NULL),
                      config->rate_limit, config->rate_burst, exact, rates, now);
  if ((r->route->flags & PARKD_ROUTE_AUTH_LIMIT) &&
      parkd_auth_limit_active (auth, PARKD_LIMIT_AUTH))
    shared_limit_add (check, server, PARKD_LIMIT_AUTH,
                      g_strconcat ("parkade:rate:auth:", parkd_request_get_client (r), NULL),
                      config->auth_rate_limit / 60.0, config->auth_rate_limit, TRUE, rates,
                      now);
  if (r->principal != NULL && parkd_auth_limit_active (auth, PARKD_LIMIT_ACCOUNT))
    shared_limit_add (check, server, PARKD_LIMIT_ACCOUNT,
                      g_strconcat ("parkade:rate:account:", r->principal->user_id, NULL),
                      config->account_rate_limit, 2 * config->account_rate_limit, exact, rates,
                      now);
  /* A kiosk is counted as an account is, once for all replicas. */
  else if (*r->kiosk_bucket != '\0' && parkd_auth_limit_active (auth, PARKD_LIMIT_ACCOUNT))
    shared_limit_add (check, server, PARKD_LIMIT_ACCOUNT,
                      g_strconcat ("parkade:rate:kiosk:", r->kiosk_bucket, NULL),
                      config->account_rate_limit, 2 * config->account_rate_limit, exact, rates,
                      now);
  if (check->n_limits == 0)
    return FALSE;
  g_ptr_array_add (argv, g_strdup ("EVAL"));
  g_ptr_array_add (argv, g_strdup (limit_script));
  g_ptr_array_add (argv, g_strdup_printf ("%u", check->n_limits));
  for (guint i = 0; i < check->n_limits; i++)
    g_ptr_array_add (argv, g_strdup (check->keys[i]));
  for (guint i = 0; i < rates->len; i++)
    g_ptr_array_add (argv, g_strdup (g_ptr_array_index (rates, i)));
  check->pending = parkd_request_suspend (r);
  parkd_redis_command (server->redis, shared_limits_cb, g_steal_pointer (&check), argv->len,
                       (const char **) argv->pdata, NULL);
  return TRUE;
}

static int
on_req (h2o_handler_t *handler,
        h2o_req_t     *req)
{
  ParkdServer *self = ((ParkdHandler *) handler)->server;
  ParkdWorker *w = H2O_STRUCT_FROM_MEMBER (ParkdWorker, ctx, req->conn->ctx);
  ParkdRequest *r = h2o_mem_alloc_shared (&req->pool, sizeof *r, request_dispose);
  GString *allow = NULL;
  gboolean literal_elsewhere = FALSE;

  memset (r, 0, sizeof *r);
  r->req = req;
  r->server = self;
  r->worker = w;
  w->in_flight++;
  r->store = self->store;
  r->auth = self->auth;
  r->stripe = self->stripe;
  r->start_us = g_get_monotonic_time ();
  set_request_id (r);

  for (guint i = 0; i < parkd_n_routes; i++)
    {
      const ParkdRoute *route = &parkd_routes[i];

      if (!route_matches (route, req->path_normalized, NULL))
        continue;
      if (method_matches (route, req->method))
        {
          r->route = route;
          route_matches (route, req->path_normalized, r);
          break;
        }
      /* "/parking-lots/availability" is that resource, not a lot called "availability". */
      if (strchr (route->pattern, '{') == NULL)
        literal_elsewhere = TRUE;
      if (allow == NULL)
        allow = g_string_new (NULL);
      if (allow->len > 0)
        g_string_append (allow, ", ");
      g_string_append (allow, route->method);
      if (g_str_equal (route->method, "GET"))
        g_string_append (allow, ", HEAD");
    }

  if (literal_elsewhere && (r->route == NULL || r->n_params > 0))
    {
      r->route = NULL;
      g_string_truncate (allow, 0);
      for (guint i = 0; i < parkd_n_routes; i++)
        if (strchr (parkd_routes[i].pattern, '{') == NULL &&
            route_matches (&parkd_routes[i], req->path_normalized, NULL))
          g_string_append_printf (allow, "%s%s%s", allow->len > 0 ? ", " : "",
                                  parkd_routes[i].method,
                                  g_str_equal (parkd_routes[i].method, "GET") ? ", HEAD" : "");
    }

  if (r->route == NULL && allow != NULL)
    {
      g_autofree char *methods = g_string_free (allow, FALSE);

      parkd_reply_add_header (r, "allow", methods);
      parkd_reply_problem (r, 405, "method-not-allowed", NULL,
                           "This resource allows only %s", methods);
      return 0;
    }
  if (r->route == NULL)
    {
      parkd_reply_problem (r, 404, "not-found", NULL, "There is no resource at this address");
      return 0;
    }
  if (allow != NULL)
    g_string_free (allow, TRUE);

  if (!admit (r))
    return 0;
  if (self->redis != NULL && shared_limits (r))
    return 0;
  proceed (r);
  return 0;
}

/* The request passed its limits and its token: read its query and body and run it. */
static void
proceed (ParkdRequest *r)
{
  ParkdServer *self = r->server;
  h2o_req_t *req = r->req;

  if (!parse_query (r))
    return;

  if (r->route->flags & PARKD_ROUTE_BODY)
    {
      g_autoptr(GError) error = NULL;

      if (req->entity.base == NULL || req->entity.len == 0)
        {
          parkd_reply_problem (r, 400, "missing-body", NULL,
                               "This request needs a JSON object body");
          return;
        }
      if (req->entity.len > (gsize) self->config->body_limit)
        {
          parkd_reply_problem (r, 413, "body-too-large", NULL,
                               "The body is larger than %d bytes", self->config->body_limit);
          return;
        }
      if (!content_type_is_json (req))
        {
          parkd_reply_problem (r, 415, "unsupported-media-type", NULL,
                               "The body must be sent as application/json");
          return;
        }
      r->body = parkd_json_parse_object (req->entity.base, req->entity.len, &error);
      if (r->body == NULL)
        {
          parkd_reply_error (r, error);
          return;
        }
    }

  if (dispatch_off_loop (r))
    return;
  r->route->handler (r);
  g_assert (r->status != 0 || r->suspended);
}

/* Too many connections: answer with a fixed 429 and close. The text is written to the socket
 * directly since no request has been read. */
static const char reject_response[] =
  "HTTP/1.1 429 Too Many Requests\r\n"
  "Content-Type: application/problem+json\r\n"
  "Retry-After: 1\r\n"
  "Connection: close\r\n"
  "Content-Length: 159\r\n"
  "\r\n"
  "{\"type\":\"urn:parkade:problem:too-many-connections\",\"title\":\"Too Many Requests\","
  "\"status\":429,\"code\":\"too-many-connections\",\"detail\":\"Too many open connections\"}";

static void
on_reject_written (h2o_socket_t *sock,
                   const char   *err)
{
  h2o_socket_close (sock);
}

static void
on_conn_close (void *data)
{
  ConnInfo *info = data;
  ParkdServer *self = info->worker->server;
  gpointer count;

  info->worker->n_conns--;
  g_atomic_int_add (&self->n_conns, -1);

  g_mutex_lock (&self->clients_lock);
  count = g_hash_table_lookup (self->clients, info->client);
  if (GPOINTER_TO_UINT (count) <= 1)
    g_hash_table_remove (self->clients, info->client);
  else
    g_hash_table_insert (self->clients, g_strdup (info->client),
                         GUINT_TO_POINTER (GPOINTER_TO_UINT (count) - 1));
  g_mutex_unlock (&self->clients_lock);
  g_free (info);
}

static void
on_accept (h2o_socket_t *listener,
           const char   *err)
{
  ParkdWorker *w = listener->data;
  ParkdServer *self = w->server;

  if (err != NULL)
    return;

  for (int i = 0; i < 32; i++)
    {
      struct sockaddr_storage sa;
      h2o_socket_t *sock;
      ConnInfo *info;
      socklen_t salen;
      guint count;

      if ((sock = h2o_evloop_socket_accept (listener)) == NULL)
        return;

      info = g_new0 (ConnInfo, 1);
      info->worker = w;
      salen = h2o_socket_getpeername (sock, (struct sockaddr *) &sa);
      if (salen == 0 ||
          h2o_socket_getnumerichost ((struct sockaddr *) &sa, salen, info->client) == SIZE_MAX)
        g_strlcpy (info->client, "unknown", sizeof info->client);

      /* A proxy carries many clients' connections: only the total limit applies to it. */
      info->proxy = is_trusted_proxy (self, info->client);
      g_mutex_lock (&self->clients_lock);
      count = GPOINTER_TO_UINT (g_hash_table_lookup (self->clients, info->client));
      if ((!info->proxy && count >= (guint) self->config->max_client_connections) ||
          g_atomic_int_get (&self->n_conns) >= self->config->max_connections)
        {
          h2o_iovec_t buf = h2o_iovec_init (reject_response, sizeof reject_response - 1);

          g_mutex_unlock (&self->clients_lock);
          g_free (info);
          h2o_socket_write (sock, &buf, 1, on_reject_written);
          continue;
        }
      g_hash_table_insert (self->clients, g_strdup (info->client), GUINT_TO_POINTER (count + 1));
      g_mutex_unlock (&self->clients_lock);

      g_atomic_int_inc (&self->n_conns);
      w->n_conns++;
      sock->on_close.cb = on_conn_close;
      sock->on_close.data = info;
      h2o_accept (&w->accept_ctx, sock);
    }
}

static void
on_wakeup (h2o_multithread_receiver_t *receiver,
           h2o_linklist_t             *messages)
{
  /* Answers from the blocking pool; a bare wake-up (stop) brings none. */
  while (!h2o_linklist_is_empty (messages))
    {
      BlockingJob *job = H2O_STRUCT_FROM_MEMBER (BlockingJob, link.link, messages->next);

      h2o_linklist_unlink (&job->link.link);
      blocking_job_finish (job);
    }
}

static void
unlink_timeouts (h2o_timeout_t *timeout)
{
  while (!h2o_linklist_is_empty (&timeout->_entries))
    {
      h2o_timeout_entry_t *entry = H2O_STRUCT_FROM_MEMBER (h2o_timeout_entry_t, _link,
                                                           timeout->_entries.next);

      h2o_timeout_unlink (entry);
    }
}

static gpointer
worker_main (gpointer data)
{
  ParkdWorker *w = data;
  ParkdServer *self = w->server;
  gint64 idle_deadline = 0, deadline = 0;

  w->loop = h2o_evloop_create ();
  h2o_context_init (&w->ctx, w->loop, &self->globalconf);
  w->accept_ctx.ctx = &w->ctx;
  w->accept_ctx.hosts = self->globalconf.hosts;
  w->listener = h2o_evloop_socket_create (w->loop, w->fd, H2O_SOCKET_FLAG_DONT_READ);
  w->listener->data = w;
  h2o_socket_read_start (w->listener, on_accept);
  w->queue = h2o_multithread_create_queue (w->loop);
  h2o_multithread_register_receiver (w->queue, &w->wakeup, on_wakeup);
  if (self->live != NULL)
    w->live = parkd_live_attach (self->live, w->loop, w->queue);
  g_mutex_lock (&self->ready_lock);
  self->n_ready++;
  g_cond_signal (&self->ready_cond);
  g_mutex_unlock (&self->ready_lock);

  while (TRUE)
    {
      if (g_atomic_int_get (&w->stopping) && w->listener != NULL)
        {
          h2o_socket_read_stop (w->listener);
          h2o_socket_close (w->listener);
          w->listener = NULL;
          /* Connections answer "Connection: close" from now on. libh2o 2.2 leaves idle
           * HTTP/1 keep-alive connections open, so clients get a moment to hang up and
           * then the loop ends anyway once no request is in flight. */
          h2o_context_request_shutdown (&w->ctx);
          if (w->live != NULL)
            parkd_live_shutdown (w->live);
          idle_deadline = g_get_monotonic_time () + G_USEC_PER_SEC;
          deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
        }
      else if (w->listener == NULL)
        {
          gint64 now = g_get_monotonic_time ();

          /* A request out on the blocking pool will post back to this loop: wait for it. */
          if (w->blocking == 0 &&
              (w->n_conns == 0 || (w->in_flight == 0 && now > idle_deadline) || now > deadline))
            break;
        }
      h2o_evloop_run (w->loop, w->listener != NULL ? INT32_MAX : 10);
      if (w->log->len > 0)
        flush_log (w->log);
    }
  flush_log (w->log);

  /* Live-feed clients that did not answer the goodbye are cut off; one more turn of the loop
   * lets h2o free their sockets. */
  if (w->live != NULL)
    {
      g_clear_pointer (&w->live, parkd_live_detach);
      h2o_evloop_run (w->loop, 0);
    }

  /* With every connection gone, all that h2o holds for this loop can go too; with clients
   * still attached it stays, for the process to release. */
  if (w->n_conns == 0)
    {
      /* h2o_context_request_shutdown() leaves its one-second check linked, and
       * h2o_context_dispose() insists every timer is idle. */
      unlink_timeouts (&w->ctx.one_sec_timeout);
      unlink_timeouts (&w->ctx.zero_timeout);
      unlink_timeouts (&w->ctx.hundred_ms_timeout);
      h2o_multithread_unregister_receiver (w->queue, &w->wakeup);
      h2o_multithread_destroy_queue (w->queue);
      w->queue = NULL;
      h2o_context_dispose (&w->ctx);
      h2o_evloop_destroy (w->loop);
      w->loop = NULL;
    }
  return NULL;
}

static int
open_listener (ParkdServer  *self,
               GError      **error)
{
  int fd, on = 1;

  fd = socket (self->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
  if (fd < 0)
    goto fail;
  if (setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
      setsockopt (fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0 ||
      setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0)
    goto fail;
  if (bind (fd, (struct sockaddr *) &self->addr, self->addrlen) != 0)
    goto fail;
  if (listen (fd, SOMAXCONN) != 0)
    goto fail;

  /* With port 0 the first listener picks the port; the others join it. */
  {
    socklen_t len = sizeof self->addr;

    if (getsockname (fd, (struct sockaddr *) &self->addr, &len) != 0)
      goto fail;
    self->addrlen = len;
  }
  return fd;

fail:
  {
    int saved_errno = errno;
    char host[NI_MAXHOST] = "?", port[NI_MAXSERV] = "?";

    getnameinfo ((struct sockaddr *) &self->addr, self->addrlen, host, sizeof host, port,
                 sizeof port, NI_NUMERICHOST | NI_NUMERICSERV);
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 "Cannot listen on %s port %s: %s", host, port, g_strerror (saved_errno));
    if (fd >= 0)
      close (fd);
    return -1;
  }
}

static gboolean
resolve_listen (ParkdServer  *self,
                const char   *listen_addr,
                GError      **error)
{
  g_autofree char *host = NULL;
  const char *colon;
  const char *port;
  struct addrinfo hints = { 0 }, *res = NULL;
  guint64 port_num;
  int rc;

  if (listen_addr[0] == '[')
    {
      const char *close = strchr (listen_addr, ']');

      if (close == NULL || close[1] != ':')
        goto bad;
      host = g_strndup (listen_addr + 1, close - listen_addr - 1);
      port = close + 2;
    }
  else
    {
      colon = strrchr (listen_addr, ':');
      if (colon == NULL)
        goto bad;
      host = g_strndup (listen_addr, colon - listen_addr);
      port = colon + 1;
    }
  if (!g_ascii_string_to_unsigned (port, 10, 0, 65535, &port_num, NULL))
    goto bad;

  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  rc = getaddrinfo (*host != '\0' ? host : NULL, port, &hints, &res);
  if (rc != 0 || res == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Cannot listen on \"%s\": %s", listen_addr, gai_strerror (rc));
      return FALSE;
    }
  memcpy (&self->addr, res->ai_addr, res->ai_addrlen);
  self->addrlen = res->ai_addrlen;
  freeaddrinfo (res);
  return TRUE;

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "Cannot listen on \"%s\": expected ADDRESS:PORT, such as 127.0.0.1:8080 or "
               "[::1]:8080", listen_addr);
  return FALSE;
}

/* Our listeners share their port with SO_REUSEPORT, which would also let a second parkd
 * of the same user join it and take half the connections. A plain bind first tells whether
 * anything holds the port. */
static gboolean
check_port_free (ParkdServer  *self,
                 GError      **error)
{
  int fd, on = 1, saved_errno;
  char host[NI_MAXHOST] = "?", port[NI_MAXSERV] = "?";

  if ((self->addr.ss_family == AF_INET &&
       ((struct sockaddr_in *) &self->addr)->sin_port == 0) ||
      (self->addr.ss_family == AF_INET6 &&
       ((struct sockaddr_in6 *) &self->addr)->sin6_port == 0))
    return TRUE;

  fd = socket (self->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
  if (fd >= 0 && setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == 0 &&
      bind (fd, (struct sockaddr *) &self->addr, self->addrlen) == 0)
    {
      close (fd);
      return TRUE;
    }
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  getnameinfo ((struct sockaddr *) &self->addr, self->addrlen, host, sizeof host, port,
               sizeof port, NI_NUMERICHOST | NI_NUMERICSERV);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "Cannot listen on %s port %s: %s", host, port,
               saved_errno == EADDRINUSE ? "another program (perhaps another parkd) uses it"
                                         : g_strerror (saved_errno));
  return FALSE;
}

void
parkd_server_set_store (ParkdServer *self,
                        ParkdStore  *store)
{
  g_return_if_fail (self->store == NULL && self->n_ready == 0);

  self->store = store;
  if (store != NULL && parkd_store_get_concurrency (store) > 0)
    self->store_pool = g_thread_pool_new (blocking_job_run, self,
                                          (gint) parkd_store_get_concurrency (store), FALSE,
                                          NULL);
}

void
parkd_server_set_redis (ParkdServer *self,
                        ParkdRedis  *redis)
{
  self->redis = redis;
}

void
parkd_server_set_live (ParkdServer *self,
                       ParkdLive   *live)
{
  self->live = live;
}

ParkdLiveLoop *
_parkd_server_worker_live (ParkdWorker *w)
{
  return w->live;
}

void
parkd_server_set_stripe (ParkdServer *self,
                         ParkdStripe *stripe)
{
  self->stripe = stripe;
}

void
parkd_server_set_auth (ParkdServer *self,
                       ParkdAuth   *auth)
{
  self->auth = auth;
}

ParkdServer *
parkd_server_new (const ParkdConfig  *config,
                  ParkdStore         *store,
                  GError            **error)
{
  g_autoptr(ParkdServer) self = g_new0 (ParkdServer, 1);
  h2o_hostconf_t *hostconf;
  h2o_pathconf_t *pathconf;
  ParkdHandler *handler;

  self->config = config;
  for (guint i = 0; i < PARKD_N_LIMITS; i++)
    {
      g_mutex_init (&self->leases[i].lock);
      self->leases[i].leases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    }
  g_mutex_init (&self->clients_lock);
  g_mutex_init (&self->ready_lock);
  g_cond_init (&self->ready_cond);
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->n_workers = config->threads > 0 ? (guint) config->threads
                                        : CLAMP (g_get_num_processors (), 1, 16);
  self->blocking = g_thread_pool_new (blocking_job_run, self, config->blocking_threads, FALSE,
                                      NULL);
  if (store != NULL)
    parkd_server_set_store (self, store);

  if (!resolve_listen (self, config->listen, error) || !check_port_free (self, error))
    return NULL;
  if (config->trusted_proxies != NULL && *config->trusted_proxies != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (config->trusted_proxies, ",", -1);

      /* Addresses, or networks (10.0.0.0/8) where the proxies' addresses change, as an
       * ingress controller's pods do in Kubernetes. */
      self->trusted = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          GInetAddressMask *mask = NULL;
          g_autofree char *host = NULL;
          const char *slash;

          g_strstrip (parts[i]);
          slash = strchr (parts[i], '/');
          host = slash != NULL ? g_strndup (parts[i], slash - parts[i]) : g_strdup (parts[i]);
          if (g_hostname_is_ip_address (host))
            mask = g_inet_address_mask_new_from_string (parts[i], NULL);
          if (mask == NULL)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "--trusted-proxies: \"%s\" is not an IP address or network", parts[i]);
              return NULL;
            }
          g_ptr_array_add (self->trusted, mask);
        }
    }

  h2o_config_init (&self->globalconf);
  self->configured = TRUE;
  self->globalconf.server_name = h2o_iovec_init (H2O_STRLIT ("parkd"));
  /* h2o refuses a larger body itself (413) before reading it. */
  self->globalconf.max_request_entity_size = config->body_limit;
  self->globalconf.http1.req_timeout = (guint64) config->request_timeout * 1000;
  self->globalconf.http2.idle_timeout = (guint64) config->request_timeout * 1000;
  hostconf = h2o_config_register_host (&self->globalconf, h2o_iovec_init (H2O_STRLIT ("default")),
                                       65535);
  pathconf = h2o_config_register_path (hostconf, "/", 0);
  handler = (ParkdHandler *) h2o_create_handler (pathconf, sizeof *handler);
  handler->super.on_req = on_req;
  handler->server = self;

  return g_steal_pointer (&self);
}

gboolean
parkd_server_start (ParkdServer  *self,
                    GError      **error)
{
  char host[NI_MAXHOST], port[NI_MAXSERV];

  self->workers = g_new0 (ParkdWorker, self->n_workers);
  for (guint i = 0; i < self->n_workers; i++)
    {
      self->workers[i].fd = -1;
      g_mutex_init (&self->workers[i].metrics_lock);
      self->workers[i].metrics = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                        g_free, g_free);
      self->workers[i].log = g_string_sized_new (64 * 1024 + 4096);
    }

  for (guint i = 0; i < self->n_workers; i++)
    {
      ParkdWorker *w = &self->workers[i];

      w->server = self;
      w->index = i;
      w->id_prefix = g_random_int ();
      w->fd = open_listener (self, error);
      if (w->fd < 0)
        return FALSE;
    }

  getnameinfo ((struct sockaddr *) &self->addr, self->addrlen, host, sizeof host, port,
               sizeof port, NI_NUMERICHOST | NI_NUMERICSERV);
  if (self->addr.ss_family == AF_INET6)
    self->url = g_strdup_printf ("http://[%s]:%s/", host, port);
  else
    self->url = g_strdup_printf ("http://%s:%s/", host, port);
  self->started_wall = g_get_real_time ();

  /* Each loop builds its h2o state on its own thread (worker_main): libh2o 2.2 keeps the
   * recycled socket buffers in thread-local lists and a socket's buffers remember the list
   * of the thread that made the socket, so sockets made here, on the main thread, would
   * have both loops share the main thread's list, unlocked (it crashed under load). */
  for (guint i = 0; i < self->n_workers; i++)
    {
      g_autofree char *name = g_strdup_printf ("parkd-loop-%u", i);

      self->workers[i].thread = g_thread_new (name, worker_main, &self->workers[i]);
    }
  g_mutex_lock (&self->ready_lock);
  while (self->n_ready < self->n_workers)
    g_cond_wait (&self->ready_cond, &self->ready_lock);
  g_mutex_unlock (&self->ready_lock);
  return TRUE;
}

const char *
parkd_server_get_url (ParkdServer *self)
{
  return self->url;
}

ParkdStore *
parkd_server_get_store (ParkdServer *self)
{
  return self->store;
}

const ParkdConfig *
parkd_server_get_config (ParkdServer *self)
{
  return self->config;
}

gint64
parkd_server_get_started (ParkdServer *self)
{
  return self->started_wall;
}

void
parkd_server_stop (ParkdServer *self)
{
  /* The publisher first: it posts to the loops. */
  if (self->live != NULL)
    parkd_live_stop (self->live);
  for (guint i = 0; i < self->n_workers; i++)
    {
      ParkdWorker *w = &self->workers[i];

      if (w->thread == NULL)
        continue;
      g_atomic_int_set (&w->stopping, 1);
      h2o_multithread_send_message (&w->wakeup, NULL);
    }
  for (guint i = 0; i < self->n_workers; i++)
    g_clear_pointer (&self->workers[i].thread, g_thread_join);
}

void
parkd_server_free (ParkdServer *self)
{
  gboolean all_disposed = TRUE;

  if (self == NULL)
    return;
  if (self->workers != NULL)
    {
      parkd_server_stop (self);
      for (guint i = 0; i < self->n_workers; i++)
        {
          ParkdWorker *w = &self->workers[i];

          /* A loop that still had clients (or never ran) keeps its h2o state. */
          if (w->loop != NULL)
            all_disposed = FALSE;
          g_clear_pointer (&w->metrics, g_hash_table_unref);
          if (w->log != NULL)
            g_string_free (w->log, TRUE);
          g_mutex_clear (&w->metrics_lock);
        }
      g_free (self->workers);
    }
  if (self->store_pool != NULL)
    g_thread_pool_free (self->store_pool, FALSE, TRUE);
  if (self->blocking != NULL)
    g_thread_pool_free (self->blocking, FALSE, TRUE);
  if (self->configured && all_disposed)
    h2o_config_dispose (&self->globalconf);
  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_clear_pointer (&self->trusted, g_ptr_array_unref);
  for (guint i = 0; i < PARKD_N_LIMITS; i++)
    {
      g_clear_pointer (&self->leases[i].leases, g_hash_table_unref);
      g_mutex_clear (&self->leases[i].lock);
    }
  g_mutex_clear (&self->clients_lock);
  g_mutex_clear (&self->ready_lock);
  g_cond_clear (&self->ready_cond);
  g_free (self->url);
  g_free (self);
}

static void
append_labels (GString    *out,
               guint       route,
               guint       method)
{
  g_string_append (out, "{method=\"");
  g_string_append (out, method_names[method]);
  g_string_append (out, "\",route=\"");
  g_string_append (out, route < parkd_n_routes ? parkd_routes[route].pattern : "unmatched");
  g_string_append_c (out, '"');
}

/* Prometheus text format: requests by method, route and status; latency by method and route. */
void
parkd_server_append_metrics (ParkdServer *self,
                             GString     *out)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GHashTable) latency = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer k, v;

  for (guint i = 0; i < self->n_workers; i++)
    {
      ParkdWorker *w = &self->workers[i];

      g_mutex_lock (&w->metrics_lock);
      g_hash_table_iter_init (&iter, w->metrics);
      while (g_hash_table_iter_next (&iter, &k, &v))
        {
          const Metric *src = v;
          guint64 key = *(guint64 *) k;
          guint64 lkey = key & ~(guint64) 0xffff;
          Metric *c = g_hash_table_lookup (counts, &key);
          Metric *l = g_hash_table_lookup (latency, &lkey);

          if (c == NULL)
            {
              c = g_new0 (Metric, 1);
              g_hash_table_insert (counts, g_memdup2 (&key, sizeof key), c);
            }
          if (l == NULL)
            {
              l = g_new0 (Metric, 1);
              g_hash_table_insert (latency, g_memdup2 (&lkey, sizeof lkey), l);
            }
          c->count += src->count;
          l->count += src->count;
          l->sum += src->sum;
          for (guint b = 0; b < N_BUCKETS; b++)
            l->buckets[b] += src->buckets[b];
        }
      g_mutex_unlock (&w->metrics_lock);
    }

  g_string_append (out,
                   "# HELP parkd_http_requests_total HTTP requests answered, by method, route and status.\n"
                   "# TYPE parkd_http_requests_total counter\n");
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      guint64 key = *(guint64 *) k;

      g_string_append (out, "parkd_http_requests_total");
      append_labels (out, key >> 32, (key >> 16) & 0xffff);
      g_string_append_printf (out, ",status=\"%u\"} %" G_GUINT64_FORMAT "\n",
                              (guint) (key & 0xffff), ((Metric *) v)->count);
    }

  g_string_append (out,
                   "# HELP parkd_http_request_duration_seconds Time from routing a request to its answer.\n"
                   "# TYPE parkd_http_request_duration_seconds histogram\n");
  g_hash_table_iter_init (&iter, latency);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      guint64 key = *(guint64 *) k;
      const Metric *m = v;

      for (guint b = 0; b < N_BUCKETS; b++)
        {
          g_string_append (out, "parkd_http_request_duration_seconds_bucket");
          append_labels (out, key >> 32, (key >> 16) & 0xffff);
          g_string_append_printf (out, ",le=\"%g\"} %" G_GUINT64_FORMAT "\n",
                                  bucket_bounds[b], m->buckets[b]);
        }
      g_string_append (out, "parkd_http_request_duration_seconds_bucket");
      append_labels (out, key >> 32, (key >> 16) & 0xffff);
      g_string_append_printf (out, ",le=\"+Inf\"} %" G_GUINT64_FORMAT "\n", m->count);
      g_string_append (out, "parkd_http_request_duration_seconds_sum");
      append_labels (out, key >> 32, (key >> 16) & 0xffff);
      g_string_append_printf (out, "} %.6f\n", m->sum);
      g_string_append (out, "parkd_http_request_duration_seconds_count");
      append_labels (out, key >> 32, (key >> 16) & 0xffff);
      g_string_append_printf (out, "} %" G_GUINT64_FORMAT "\n", m->count);
    }

  g_string_append_printf (out,
                          "# HELP parkd_http_connections_open Open client connections.\n"
                          "# TYPE parkd_http_connections_open gauge\n"
                          "parkd_http_connections_open %d\n"
                          "# HELP parkd_process_start_time_seconds Start time of parkd since the Unix epoch.\n"
                          "# TYPE parkd_process_start_time_seconds gauge\n"
                          "parkd_process_start_time_seconds %" G_GINT64_FORMAT "\n"
                          "# HELP parkd_build_info Version and store of this parkd.\n"
                          "# TYPE parkd_build_info gauge\n"
                          "parkd_build_info{version=\"%s\",store=\"%s\"} 1\n",
                          g_atomic_int_get (&self->n_conns),
                          self->started_wall / G_USEC_PER_SEC,
                          PACKAGE_VERSION, parkd_store_get_kind (self->store));
  if (self->live != NULL)
    parkd_live_append_metrics (self->live, out);
  if (self->redis != NULL)
    parkd_redis_append_metrics (self->redis, out);
}
