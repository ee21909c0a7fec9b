/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-live.c: the live feed (GET /api/v1/live, backend/LIVE.md) of the real parkd, seen by
 * the clients a kiosk, a booth or a desktop would be: libsoup's WebSocket client, and a bare
 * socket where a client must misbehave (stop reading, never answer a ping).
 *
 * Spot changes come the ways they come in a city: a driver books a spot from now (the spot
 * turns "reserved"), and, for floods, the sqlite3 shell writes to the database file as a
 * second process would (an import, an operator's script); parkd picks those up too.
 */
#include "park-test-backend.h"
#include "park-test-live.h"
#include "park-test-postgresql.h"
#include "park-test-utils.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PASSWORD     "correct horse battery staple 42"
#define WAIT_S       10
#define LOT_NAME     "Tiefgarage Altmarkt"
/* A box around Dresden's old town, where the demo city has its lots. */
#define BBOX         "[13.70,51.03,13.78,51.07]"

/* ---- a client, as the front ends connect -------------------------------------------- */

/* libsoup's WebSocket client (tests/support/park-test-live.c). */
typedef ParkTestLiveClient Client;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, park_test_live_client_free)
#define client_free  park_test_live_client_free
#define run_until    park_test_run_until
#define has_message  park_test_live_has_message

static Client *
client_connect (ParkTestBackend *backend)
{
  return park_test_live_connect (backend, WAIT_S);
}

static void
client_send (Client     *c,
             const char *text)
{
  soup_websocket_connection_send_text (c->ws, text);
}

/* The next message; the test fails if none comes within WAIT_S. */
static JsonObject *
client_next (Client *c)
{
  return park_test_live_next (c, WAIT_S);
}

/* The next message of @type, skipping others (checked by the caller when it matters). */
static JsonObject *
client_next_of (Client     *c,
                const char *type)
{
  while (TRUE)
    {
      JsonObject *m = client_next (c);

      if (g_strcmp0 (json_object_get_string_member_with_default (m, "type", ""), type) == 0)
        return m;
      json_object_unref (m);
    }
}

/* ---- a bare client, to misbehave ----------------------------------------------------- */

typedef struct
{
  int     fd;
  GString in;
} Bare;

static guint16
backend_port (ParkTestBackend *backend)
{
  g_autoptr(GUri) uri = g_uri_parse (backend->url, G_URI_FLAGS_NONE, NULL);

  return g_uri_get_port (uri);
}

/* Connects with a small receive buffer (so the server's socket fills fast) and upgrades. */
static int
bare_connect (ParkTestBackend *backend)
{
  static const char request[] =
    "GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Version: 13\r\n\r\n";
  struct sockaddr_in sa = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), small = 4096;
  char head[4096];
  gsize got = 0;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small), ==, 0);
  sa.sin_family = AF_INET;
  sa.sin_port = htons (backend_port (backend));
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (connect (fd, (struct sockaddr *) &sa, sizeof sa), ==, 0);
  g_assert_cmpint (write (fd, request, sizeof request - 1), ==, sizeof request - 1);
  /* The 101 answer alone: read a byte at a time up to its blank line. */
  while (got < sizeof head - 1 && (got < 4 || memcmp (head + got - 4, "\r\n\r\n", 4) != 0))
    {
      g_assert_cmpint (read (fd, head + got, 1), ==, 1);
      got++;
    }
  head[got] = '\0';
  g_assert_true (g_str_has_prefix (head, "HTTP/1.1 101 "));
  return fd;
}

/* Appends one masked frame, as a client sends it, to @frame. */
static void
bare_append_frame (GByteArray   *frame,
                   guint8        opcode,
                   gboolean      fin,
                   const guint8 *payload,
                   gsize         len)
{
  guint8 mask[4] = { 0x12, 0x34, 0x56, 0x78 };
  guint8 b;

  g_assert_cmpuint (len, <, 65536);
  b = (fin ? 0x80 : 0) | opcode;
  g_byte_array_append (frame, &b, 1);
  if (len < 126)
    {
      b = 0x80 | len;
      g_byte_array_append (frame, &b, 1);
    }
  else
    {
      guint8 ext[3] = { 0x80 | 126, len >> 8, len & 0xff };

      g_byte_array_append (frame, ext, 3);
    }
  g_byte_array_append (frame, mask, 4);
  for (gsize i = 0; i < len; i++)
    {
      b = payload[i] ^ mask[i % 4];
      g_byte_array_append (frame, &b, 1);
    }
}

/* Sends one masked frame. */
static void
bare_send_frame (int           fd,
                 guint8        opcode,
                 gboolean      fin,
                 const guint8 *payload,
                 gsize         len)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();

  bare_append_frame (frame, opcode, fin, payload, len);
  g_assert_cmpint (write (fd, frame->data, frame->len), ==, (gssize) frame->len);
}

static void
bare_send_text (int         fd,
                const char *text)
{
  bare_send_frame (fd, 0x1, TRUE, (const guint8 *) text, strlen (text));
}

/* Reads exactly @len bytes (the server answers within WAIT_S). */
static void
bare_read_exactly (int     fd,
                   guint8 *buf,
                   gsize   len)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  gsize got = 0;

  while (got < len)
    {
      ssize_t n = recv (fd, buf + got, len - got, MSG_DONTWAIT);

      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_usleep (5 * 1000);
          continue;
        }
      g_assert_cmpint (n, >, 0);
      got += n;
    }
}

/* The next frame from the server (never masked, never fragmented here): its opcode, and its
 * payload in @payload. */
static guint8
bare_read_frame (int          fd,
                 GByteArray  *payload)
{
  guint8 head[2], ext[8];
  guint64 len;

  bare_read_exactly (fd, head, 2);
  g_assert_cmpint (head[0] & 0x80, ==, 0x80);
  g_assert_cmpint (head[1] & 0x80, ==, 0);
  len = head[1] & 0x7f;
  if (len == 126)
    {
      bare_read_exactly (fd, ext, 2);
      len = (ext[0] << 8) | ext[1];
    }
  else if (len == 127)
    {
      bare_read_exactly (fd, ext, 8);
      len = 0;
      for (int i = 0; i < 8; i++)
        len = (len << 8) | ext[i];
    }
  g_byte_array_set_size (payload, len);
  bare_read_exactly (fd, payload->data, len);
  return head[0] & 0x0f;
}

/* Reads frames until the server closes; returns the close code it sent (0 for none). Fails if
 * the connection stays open for @seconds. The main context keeps running meanwhile, so the
 * test's well-behaved libsoup clients go on answering pings. */
static guint
bare_drain_until_closed (int    fd,
                         guint  seconds,
                         guint *n_text)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint8 chunk[65536];
  guint code = 0;
  gsize pos = 0;

  *n_text = 0;
  while (TRUE)
    {
      ssize_t n = recv (fd, chunk, sizeof chunk, MSG_DONTWAIT);

      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          while (g_main_context_iteration (NULL, FALSE))
            ;
          g_usleep (10 * 1000);
          continue;
        }
      if (n < 0 && errno == ECONNRESET)
        break;
      g_assert_cmpint (n, >=, 0);
      if (n == 0)
        break;
      g_byte_array_append (buf, chunk, n);
      /* Whole frames from the server (never masked). */
      while (buf->len - pos >= 2)
        {
          guint8 op = buf->data[pos] & 0x0f;
          guint64 plen = buf->data[pos + 1] & 0x7f;
          gsize hdr = 2;

          if (plen == 126)
            {
              if (buf->len - pos < 4)
                break;
              plen = (buf->data[pos + 2] << 8) | buf->data[pos + 3];
              hdr = 4;
            }
          else if (plen == 127)
            {
              if (buf->len - pos < 10)
                break;
              plen = 0;
              for (int i = 0; i < 8; i++)
                plen = (plen << 8) | buf->data[pos + 2 + i];
              hdr = 10;
            }
          if (buf->len - pos < hdr + plen)
            break;
          if (op == 0x1)
            (*n_text)++;
          else if (op == 0x8 && plen >= 2)
            code = (buf->data[pos + hdr] << 8) | buf->data[pos + hdr + 1];
          pos += hdr + plen;
        }
    }
  close (fd);
  return code;
}

/* ---- parkd and the demo city ------------------------------------------------------------- */

typedef struct
{
  ParkTestBackend *backend;
  char            *lot_id;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char * const *extra = data;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(ParkTestResponse) lots = NULL;
  JsonArray *items;

  g_ptr_array_add (args, (gpointer) "--demo");
  g_ptr_array_add (args, (gpointer) "--auth-rate-limit");
  g_ptr_array_add (args, (gpointer) "0");
  g_ptr_array_add (args, (gpointer) "--account-rate-limit");
  g_ptr_array_add (args, (gpointer) "0");
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) extra[i]);
  g_ptr_array_add (args, NULL);
  f->backend = park_test_backend_new ();
  park_test_backend_start (f->backend, (const char * const *) args->pdata);

  lots = park_test_get (f->backend, "api/v1/parking-lots?lat=51.05&lng=13.74&radius=5000"
                        "&per_page=100");
  g_assert_cmpuint (lots->status, ==, 200);
  items = json_object_get_array_member (park_test_response_object (lots), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *lot = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (lot, "name"), LOT_NAME))
        f->lot_id = g_strdup (json_object_get_string_member (lot, "id"));
    }
  g_assert_nonnull (f->lot_id);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->lot_id);
  park_test_backend_free (f->backend);
}

static char *
register_driver (Fixture    *f,
                 const char *email)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"" PASSWORD "\","
                                           "\"first_name\":\"Dana\",\"last_name\":\"Driver\"}",
                                           email);
  g_autoptr(ParkTestResponse) r = park_test_call (f->backend, NULL, "POST",
                                                  "api/v1/auth/register", body);

  g_assert_cmpuint (r->status, ==, 201);
  return g_strdup (json_object_get_string_member (park_test_response_object (r),
                                                  "access_token"));
}

/* The ids of the lot's available regular spots, lowest number first. */
static GPtrArray *
free_spots (Fixture *f,
            guint    n)
{
  g_autoptr(ParkTestResponse) r =
    park_test_get (f->backend, "api/v1/parking-lots/%s/spots?type=regular&state=available"
                   "&per_page=100", f->lot_id);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  JsonArray *items;

  g_assert_cmpuint (r->status, ==, 200);
  items = json_object_get_array_member (park_test_response_object (r), "items");
  for (guint i = 0; i < json_array_get_length (items) && ids->len < n; i++)
    g_ptr_array_add (ids, g_strdup (json_object_get_string_member (
                                      json_array_get_object_element (items, i), "id")));
  g_assert_cmpuint (ids->len, ==, n);
  return ids;
}

/* Books @spot_id from now for two hours: the spot turns "reserved" now. Returns the
 * reservation's id. */
static char *
book_now (Fixture    *f,
          const char *token,
          const char *spot_id)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) end = g_date_time_add_hours (now, 2);
  g_autofree char *start_text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *end_text = g_date_time_format (end, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *path = g_strdup_printf ("api/v1/parking-lots/%s/spots/%s/reserve",
                                           f->lot_id, spot_id);
  g_autofree char *body = g_strdup_printf ("{\"start_time\":\"%s\",\"end_time\":\"%s\"}",
                                           start_text, end_text);
  g_autoptr(ParkTestResponse) r = park_test_call (f->backend, token, "POST", path, body);

  g_assert_cmpuint (r->status, ==, 201);
  return g_strdup (json_object_get_string_member (park_test_response_object (r), "id"));
}

static void
sql_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (G_SUBPROCESS (source)) != 0)
    g_error ("sqlite3: %s", err);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* As run_sql(), with the main context running meanwhile (the clients go on reading). */
static void
run_sql_reading (Fixture    *f,
                 const char *sql)
{
  g_autofree char *shell = g_find_program_in_path ("sqlite3");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  if (shell == NULL)
    g_error ("the sqlite3 shell is needed (apt-get install sqlite3)");
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, shell, "-batch", "-cmd", ".timeout 10000",
                              f->backend->db_path, sql, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, sql_done, &done);
  g_assert_true (run_until (flag_set, &done, 60));
}

static void
run_sql (Fixture    *f,
         const char *sql)
{
  g_autofree char *shell = g_find_program_in_path ("sqlite3");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  /* On the PostgreSQL store (PARK_TEST_STORE=postgresql) the same SQL goes to psql. */
  if (g_str_has_prefix (f->backend->db_path, "postgresql://"))
    {
      park_test_postgresql_sql (f->backend->db_path, sql);
      return;
    }
  if (shell == NULL)
    g_error ("the sqlite3 shell is needed (apt-get install sqlite3)");
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, shell, "-batch", "-cmd", ".timeout 10000",
                              f->backend->db_path, sql, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("sqlite3: %s", err);
}

static gint64
parkd_rss_kib (Fixture *f)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status",
                                           g_subprocess_get_identifier (f->backend->process));
  g_autofree char *text = NULL;
  const char *at;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  at = strstr (text, "VmRSS:");
  g_assert_nonnull (at);
  return g_ascii_strtoll (at + 6, NULL, 10);
}

static gint64
spot_count (Fixture    *f,
            const char *state)
{
  g_autoptr(ParkTestResponse) r =
    park_test_get (f->backend, "api/v1/parking-lots/%s/spots?state=%s&per_page=1", f->lot_id,
                   state);

  g_assert_cmpuint (r->status, ==, 200);
  return json_object_get_int_member (park_test_response_object (r), "total");
}

static JsonObject *
snapshot_lot (JsonObject *snapshot,
              const char *lot_id)
{
  JsonArray *lots = json_object_get_array_member (snapshot, "lots");

  for (guint i = 0; i < json_array_get_length (lots); i++)
    {
      JsonObject *lot = json_array_get_object_element (lots, i);

      if (g_str_equal (json_object_get_string_member (lot, "lot_id"), lot_id))
        return lot;
    }
  return NULL;
}

static Client *
subscribed_client (Fixture     *f,
                   const char  *subscribe,
                   JsonObject **snapshot)
{
  Client *c = client_connect (f->backend);
  g_autoptr(JsonObject) hello = client_next (c);

  g_assert_cmpstr (json_object_get_string_member (hello, "type"), ==, "hello");
  g_assert_cmpint (json_object_get_int_member (hello, "protocol"), ==, 1);
  client_send (c, subscribe);
  *snapshot = client_next (c);
  g_assert_cmpstr (json_object_get_string_member (*snapshot, "type"), ==, "snapshot");
  return c;
}

/* ---- the tests ---------------------------------------------------------------------------- */

/* A plain GET (a browser, a misconfigured proxy) is told what this address is. */
static void
test_upgrade_required (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ParkTestResponse) r = park_test_get (f->backend, "api/v1/live");

  park_test_assert_problem (r, 426, "upgrade-required", NULL);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Upgrade"), ==, "websocket");
}

/* A map showing a box sees a spot go the moment another driver books it. */
static void
test_booking_reaches_box (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) snapshot = NULL, update = NULL;
  g_autoptr(Client) map = subscribed_client (f, "{\"type\":\"subscribe\",\"bbox\":" BBOX "}",
                                             &snapshot);
  g_autofree char *token = register_driver (f, "box@example.org");
  g_autoptr(GPtrArray) spots = free_spots (f, 1);
  g_autofree char *reservation = NULL;
  JsonObject *lot = snapshot_lot (snapshot, f->lot_id), *spot;
  gint64 seq, before;

  g_assert_nonnull (lot);
  g_assert_cmpint (json_object_get_int_member (snapshot, "subscribed"), >, 10);
  g_assert_cmpstr (json_object_get_string_member (lot, "name"), ==, LOT_NAME);
  seq = json_object_get_int_member (lot, "seq");
  before = json_object_get_int_member (json_object_get_object_member (lot, "available"),
                                       "regular");

  reservation = book_now (f, token, g_ptr_array_index (spots, 0));
  update = client_next_of (map, "availability_update");
  g_assert_cmpstr (json_object_get_string_member (update, "lot_id"), ==, f->lot_id);
  g_assert_cmpint (json_object_get_int_member (update, "seq"), ==, seq + 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (update, "available"),
                                               "regular"), ==, before - 1);
  spot = json_object_get_object_member (update, "spot");
  g_assert_cmpstr (json_object_get_string_member (spot, "id"), ==, g_ptr_array_index (spots, 0));
  g_assert_cmpstr (json_object_get_string_member (spot, "state"), ==, "reserved");
  g_assert_cmpstr (json_object_get_string_member (spot, "previous_state"), ==, "available");
  g_assert_true (json_object_has_member (update, "ts"));

  /* Nothing else came: the map holds one message per change. */
  g_assert_true (g_queue_is_empty (&map->messages));
}

/* Bad messages are answered, and leave the connection and its subscription as they were. */
static void
test_bad_messages (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *subscribe = g_strdup_printf ("{\"type\":\"subscribe\",\"lot_ids\":[\"%s\"]}",
                                                f->lot_id);
  g_autoptr(JsonObject) snapshot = NULL, update = NULL;
  g_autoptr(Client) c = subscribed_client (f, subscribe, &snapshot);
  g_autofree char *token = register_driver (f, "bad@example.org");
  g_autoptr(GPtrArray) spots = free_spots (f, 1);
  g_autoptr(GString) huge = g_string_new ("{\"type\":\"subscribe\",\"lot_ids\":[");
  static const struct
  {
    const char *message;
    const char *code;
    const char *field;
  } cases[] = {
    { "not json", "bad-message", NULL },
    { "[1,2]", "bad-message", NULL },
    { "{\"type\":\"dance\"}", "unknown-type", "type" },
    { "{\"type\":\"subscribe\"}", "invalid-field", "lot_ids" },
    { "{\"type\":\"subscribe\",\"lot_ids\":[\"x\"]}", "invalid-field", "lot_ids[0]" },
    { "{\"type\":\"subscribe\",\"bbox\":[13.8,51.0,13.7,51.1]}", "invalid-field", "bbox" },
    { "{\"type\":\"subscribe\",\"bbox\":[13.7,51.0,13.8]}", "invalid-field", "bbox" },
    /* The whole world holds more lots than this parkd lets one connection watch (5). */
    { "{\"type\":\"subscribe\",\"bbox\":[-180,-90,180,90]}", "too-many-lots", "bbox" },
    { "{\"type\":\"auth\"}", "invalid-field", "token" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) error = NULL;

      client_send (c, cases[i].message);
      error = client_next (c);
      g_test_message ("%s", cases[i].message);
      g_assert_cmpstr (json_object_get_string_member (error, "type"), ==, "error");
      g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, cases[i].code);
      g_assert_cmpstr (json_object_get_string_member_with_default (error, "field", NULL), ==,
                       cases[i].field);
      g_assert_true (strlen (json_object_get_string_member (error, "detail")) > 10);
    }

  /* Still subscribed to the lot. */
  g_free (book_now (f, token, g_ptr_array_index (spots, 0)));
  update = client_next (c);
  g_assert_cmpstr (json_object_get_string_member (update, "type"), ==, "availability_update");
  g_assert_cmpstr (json_object_get_string_member (update, "lot_id"), ==, f->lot_id);

  /* A message over 64 KiB closes the connection with 1009. */
  while (huge->len < 70 * 1024)
    g_string_append (huge, "\"00000000-0000-4000-8000-000000000000\",");
  g_string_append (huge, "\"00000000-0000-4000-8000-000000000000\"]}");
  client_send (c, huge->str);
  g_assert_true (run_until (has_message, c, WAIT_S));
  g_assert_true (c->closed);
  g_assert_cmpint (soup_websocket_connection_get_close_code (c->ws), ==, 1009);
}

/* A kiosk that lost its network for a while catches up without a reload. */
static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *subscribe = g_strdup_printf ("{\"type\":\"subscribe\",\"lot_ids\":[\"%s\"]}",
                                                f->lot_id);
  g_autoptr(JsonObject) snapshot = NULL, again = NULL, live_one = NULL;
  g_autoptr(Client) first = subscribed_client (f, subscribe, &snapshot);
  g_autoptr(Client) back = NULL;
  g_autofree char *token = register_driver (f, "resume@example.org");
  g_autoptr(GPtrArray) spots = free_spots (f, 4);
  g_autofree char *resume = NULL;
  gint64 seq = json_object_get_int_member (snapshot_lot (snapshot, f->lot_id), "seq");

  g_clear_pointer (&first, client_free);
  for (guint i = 0; i < 3; i++)
    g_free (book_now (f, token, g_ptr_array_index (spots, i)));

  resume = g_strdup_printf ("{\"type\":\"subscribe\",\"lot_ids\":[\"%s\"],"
                            "\"resume\":{\"%s\":%" G_GINT64_FORMAT "}}", f->lot_id, f->lot_id, seq);
  back = subscribed_client (f, resume, &again);
  /* Nothing to snapshot: the three missed updates follow, in order, marked as replayed. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (again, "lots")), ==, 0);
  g_assert_cmpint (json_object_get_int_member (again, "resumed"), ==, 1);
  for (guint i = 1; i <= 3; i++)
    {
      g_autoptr(JsonObject) missed = client_next (back);

      g_assert_cmpstr (json_object_get_string_member (missed, "type"), ==, "availability_update");
      g_assert_cmpint (json_object_get_int_member (missed, "seq"), ==, seq + i);
      g_assert_true (json_object_get_boolean_member_with_default (missed, "replayed", FALSE));
      g_assert_cmpstr (json_object_get_string_member (
                         json_object_get_object_member (missed, "spot"), "id"), ==,
                       g_ptr_array_index (spots, i - 1));
    }
  /* Then the feed goes on live, with the next number and nothing twice. */
  g_free (book_now (f, token, g_ptr_array_index (spots, 3)));
  live_one = client_next (back);
  g_assert_cmpint (json_object_get_int_member (live_one, "seq"), ==, seq + 4);
  g_assert_false (json_object_get_boolean_member_with_default (live_one, "replayed", FALSE));

  /* Resuming at the current number sends nothing at all. */
  {
    g_autofree char *current = g_strdup_printf ("{\"type\":\"subscribe\",\"lot_ids\":[\"%s\"],"
                                                "\"resume\":{\"%s\":%" G_GINT64_FORMAT "}}",
                                                f->lot_id, f->lot_id, seq + 4);
    g_autoptr(JsonObject) none = NULL;

    client_send (back, current);
    none = client_next (back);
    g_assert_cmpstr (json_object_get_string_member (none, "type"), ==, "snapshot");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (none, "lots")), ==, 0);
    g_assert_cmpint (json_object_get_int_member (none, "resumed"), ==, 1);
    g_assert_true (g_queue_is_empty (&back->messages));
  }
}

/* Away too long (here: more missed updates than parkd replays): a fresh snapshot instead. */
static void
test_gap_too_old (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *subscribe = g_strdup_printf ("{\"type\":\"subscribe\",\"lot_ids\":[\"%s\"]}",
                                                f->lot_id);
  g_autoptr(JsonObject) snapshot = NULL, again = NULL;
  g_autoptr(Client) first = subscribed_client (f, subscribe, &snapshot);
  g_autoptr(Client) back = NULL;
  g_autofree char *token = register_driver (f, "gap@example.org");
  g_autoptr(GPtrArray) spots = free_spots (f, 3);
  g_autofree char *resume = NULL;
  JsonObject *lot;
  gint64 seq = json_object_get_int_member (snapshot_lot (snapshot, f->lot_id), "seq");
  gint64 before = json_object_get_int_member (json_object_get_object_member (
                    snapshot_lot (snapshot, f->lot_id), "available"), "regular");
  gint64 now, available;

  g_clear_pointer (&first, client_free);
  for (guint i = 0; i < 3; i++)
    g_free (book_now (f, token, g_ptr_array_index (spots, i)));

  resume = g_strdup_printf ("{\"type\":\"subscribe\",\"lot_ids\":[\"%s\"],"
                            "\"resume\":{\"%s\":%" G_GINT64_FORMAT "}}", f->lot_id, f->lot_id, seq);
  back = subscribed_client (f, resume, &again);
  g_assert_cmpint (json_object_get_int_member (again, "resumed"), ==, 0);
  lot = snapshot_lot (again, f->lot_id);
  g_assert_nonnull (lot);
  /* The snapshot is where the publisher stands, which may be a change behind the last booking
   * answered: what it has not published yet follows live, each number once, in order. */
  now = json_object_get_int_member (lot, "seq");
  available = json_object_get_int_member (json_object_get_object_member (lot, "available"),
                                          "regular");
  g_assert_cmpint (now, >, seq);
  g_assert_cmpint (now, <=, seq + 3);
  while (now < seq + 3)
    {
      g_autoptr(JsonObject) update = client_next_of (back, "availability_update");

      g_assert_cmpint (json_object_get_int_member (update, "seq"), ==, now + 1);
      g_assert_false (json_object_get_boolean_member_with_default (update, "replayed", FALSE));
      now++;
      available = json_object_get_int_member (json_object_get_object_member (update,
                                                                             "available"),
                                              "regular");
    }
  g_assert_cmpint (available, ==, before - 3);
  g_assert_true (g_queue_is_empty (&back->messages));
}

/* A signed-in driver hears about their own bookings, and nobody else does. */
static void
test_own_events (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *ann = register_driver (f, "ann@example.org");
  g_autofree char *bob = register_driver (f, "bob@example.org");
  g_autoptr(Client) ann_app = client_connect (f->backend);
  g_autoptr(Client) bob_app = client_connect (f->backend);
  g_autoptr(GPtrArray) spots = free_spots (f, 2);
  g_autofree char *ann_auth = g_strdup_printf ("{\"type\":\"auth\",\"token\":\"%s\"}", ann);
  g_autofree char *bob_auth = g_strdup_printf ("{\"type\":\"auth\",\"token\":\"%s\"}", bob);
  g_autofree char *ann_booking = NULL, *bob_booking = NULL, *path = NULL;
  g_autoptr(JsonObject) m = NULL, cancelled = NULL;

  json_object_unref (client_next_of (ann_app, "hello"));
  json_object_unref (client_next_of (bob_app, "hello"));
  client_send (ann_app, "{\"type\":\"auth\",\"token\":\"not.a.token\"}");
  m = client_next (ann_app);
  g_assert_cmpstr (json_object_get_string_member (m, "code"), ==, "unauthorized");
  g_clear_pointer (&m, json_object_unref);

  client_send (ann_app, ann_auth);
  client_send (bob_app, bob_auth);
  m = client_next_of (ann_app, "authenticated");
  g_clear_pointer (&m, json_object_unref);
  m = client_next_of (bob_app, "authenticated");
  g_clear_pointer (&m, json_object_unref);

  ann_booking = book_now (f, ann, g_ptr_array_index (spots, 0));
  m = client_next_of (ann_app, "reservation_event");
  g_assert_cmpstr (json_object_get_string_member (m, "event"), ==, "ParkingSpotBooked");
  g_assert_cmpstr (json_object_get_string_member (m, "reservation_id"), ==, ann_booking);
  g_clear_pointer (&m, json_object_unref);

  /* Bob's first event is about his own booking: Ann's never reached him. */
  bob_booking = book_now (f, bob, g_ptr_array_index (spots, 1));
  m = client_next_of (bob_app, "reservation_event");
  g_assert_cmpstr (json_object_get_string_member (m, "reservation_id"), ==, bob_booking);
  g_clear_pointer (&m, json_object_unref);

  /* Ann cancels: she hears it. */
  path = g_strdup_printf ("api/v1/reservations/%s", ann_booking);
  park_test_response_free (park_test_call (f->backend, ann, "DELETE", path, NULL));
  cancelled = client_next_of (ann_app, "reservation_event");
  while (g_strcmp0 (json_object_get_string_member (cancelled, "event"), "ReservationCancelled") != 0)
    {
      json_object_unref (cancelled);
      cancelled = client_next_of (ann_app, "reservation_event");
    }
  g_assert_cmpstr (json_object_get_string_member (cancelled, "reservation_id"), ==, ann_booking);
}

/* A booking ending within a quarter of an hour: the driver is told once, in time to extend. */
static void
test_ending_soon (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *token = register_driver (f, "soon@example.org");
  g_autoptr(Client) app = client_connect (f->backend);
  g_autoptr(GPtrArray) spots = free_spots (f, 1);
  g_autofree char *auth = g_strdup_printf ("{\"type\":\"auth\",\"token\":\"%s\"}", token);
  g_autofree char *id = NULL, *sql = NULL, *ten_minutes_on = NULL;
  g_autoptr(GDateTime) now = NULL, later = NULL;
  g_autoptr(JsonObject) m = NULL;

  json_object_unref (client_next_of (app, "hello"));
  client_send (app, auth);
  json_object_unref (client_next_of (app, "authenticated"));
  id = book_now (f, token, g_ptr_array_index (spots, 0));
  now = g_date_time_new_now_utc ();
  later = g_date_time_add_minutes (now, 10);
  ten_minutes_on = g_date_time_format (later, "%Y-%m-%dT%H:%M:%SZ");
  /* Paid (as the payment tests do it for real) and ending in ten minutes. */
  sql = g_strdup_printf ("UPDATE reservations SET status = 'confirmed', hold_until = NULL, "
                         "end_time = '%s' WHERE id = '%s'", ten_minutes_on, id);
  run_sql (f, sql);
  /* parkd looks every 15 seconds. */
  while (TRUE)
    {
      g_assert_true (run_until (has_message, app, 20));
      m = client_next_of (app, "reservation_event");
      if (g_str_equal (json_object_get_string_member (m, "event"), "ReservationEndingSoon"))
        break;
      g_clear_pointer (&m, json_object_unref);
    }
  g_assert_cmpstr (json_object_get_string_member (m, "reservation_id"), ==, id);
  g_assert_true (json_object_has_member (m, "end_time"));
}

static gboolean
count_reached (gpointer data)
{
  gpointer *pair = data;
  Client *c = pair[0];

  return g_queue_get_length (&c->messages) >= GPOINTER_TO_UINT (pair[1]) || c->closed;
}

/* A burst of changes (an attendant's or a sensor gateway's batch, a lot closing its levels)
 * reaches every client whole and in order, and each client gets it in one write, not one
 * write per change: queueing is apart from writing, so what comes while clients wait goes
 * out together. 120 clients x 12 changes is past what a loop queues before it writes. */
#define BURST_CLIENTS 120
#define BURST_CHANGES 12

static void
test_burst_shares_writes (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *subscribe = g_strdup_printf ("{\"type\":\"subscribe\",\"lot_ids\":[\"%s\"]}",
                                                f->lot_id);
  g_autofree char *sql = NULL;
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func ((GDestroyNotify) client_free);
  gint64 seq = 0, sent, writes;

  for (guint i = 0; i < BURST_CLIENTS; i++)
    {
      g_autoptr(JsonObject) snapshot = NULL;

      g_ptr_array_add (clients, subscribed_client (f, subscribe, &snapshot));
      seq = json_object_get_int_member (snapshot_lot (snapshot, f->lot_id), "seq");
    }
  sent = park_test_backend_metric (f->backend, "parkd_live_sent_total");
  writes = park_test_backend_metric (f->backend, "parkd_live_writes_total");

  /* One transaction from outside parkd (the publisher finds it on its next look). */
  sql = g_strdup_printf ("UPDATE parking_spots SET state = 'out_of_service' WHERE id IN "
                         "(SELECT s.id FROM parking_spots s JOIN parking_lots l ON l.pk = s.lot_pk "
                         "WHERE l.id = '%s' AND s.state = 'available' LIMIT %d)",
                         f->lot_id, BURST_CHANGES);
  run_sql (f, sql);

  for (guint i = 0; i < clients->len; i++)
    {
      Client *c = g_ptr_array_index (clients, i);
      gpointer pair[2] = { c, GUINT_TO_POINTER (BURST_CHANGES) };

      g_assert_true (run_until (count_reached, pair, WAIT_S));
      g_assert_false (c->closed);
      for (guint k = 1; k <= BURST_CHANGES; k++)
        {
          g_autoptr(JsonObject) m = client_next (c);

          g_assert_cmpstr (json_object_get_string_member (m, "type"), ==, "availability_update");
          g_assert_cmpint (json_object_get_int_member (m, "seq"), ==, seq + k);
          g_assert_cmpstr (json_object_get_string_member (
                             json_object_get_object_member (m, "spot"), "state"), ==,
                           "out_of_service");
        }
    }
  g_assert_cmpint (park_test_backend_metric (f->backend, "parkd_live_sent_total") - sent, ==,
                   BURST_CLIENTS * BURST_CHANGES);
  /* One write each (each client had its burst in one read or more, never none). */
  writes = park_test_backend_metric (f->backend, "parkd_live_writes_total") - writes;
  g_assert_cmpint (writes, >=, BURST_CLIENTS);
  g_assert_cmpint (writes, <=, BURST_CLIENTS + 10);
}

/* A client that stops reading is cut off and costs the server no more memory than its limit;
 * a client that reads gets every one of the same updates, in order. */
static void
test_slow_reader (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *subscribe = g_strdup_printf ("{\"type\":\"subscribe\",\"lot_ids\":[\"%s\"]}",
                                                f->lot_id);
  g_autoptr(JsonObject) snapshot = NULL;
  g_autoptr(Client) reader = subscribed_client (f, subscribe, &snapshot);
  int slow = bare_connect (f->backend);
  gint64 seq = json_object_get_int_member (snapshot_lot (snapshot, f->lot_id), "seq");
  gint64 rss_before, rss_after, expected, per_round;
  gpointer pair[2];
  guint code, n_text, rounds = 12;

  bare_send_text (slow, subscribe);
  /* The slow client's subscription is in place before the flood: parkd answered it. */
  {
    g_autoptr(ParkTestResponse) r = park_test_get (f->backend, "health");
    g_assert_cmpuint (r->status, ==, 200);
  }
  g_usleep (200 * 1000);
  rss_before = parkd_rss_kib (f);

  /* Every spot of the lot flips, back and forth, a round at a time: a few thousand messages
   * of ~450 bytes, a few hundred in each burst. The reading client reads each burst before
   * the next comes (on a busy machine it may take a while); the slow one reads nothing. */
  per_round = spot_count (f, "available") + spot_count (f, "occupied");
  expected = rounds * per_round;
  pair[0] = reader;
  for (guint i = 0; i < rounds; i++)
    {
      g_autofree char *flip =
        g_strdup_printf ("UPDATE parking_spots SET state = CASE state "
                         "WHEN 'available' THEN 'occupied' WHEN 'occupied' THEN 'available' "
                         "ELSE state END, updated_at = strftime ('%%Y-%%m-%%dT%%H:%%M:%%SZ') "
                         "WHERE lot_pk = (SELECT pk FROM parking_lots WHERE id = '%s') "
                         "AND state IN ('available', 'occupied');", f->lot_id);

      run_sql_reading (f, flip);
      pair[1] = GUINT_TO_POINTER ((guint) ((i + 1) * per_round));
      g_assert_true (run_until (count_reached, pair, 60));
    }

  if (reader->closed)
    g_error ("the reading client was closed too (code %u)",
             soup_websocket_connection_get_close_code (reader->ws));
  for (gint64 i = 1; i <= expected; i++)
    {
      g_autoptr(JsonObject) m = g_queue_pop_head (&reader->messages);

      g_assert_cmpint (json_object_get_int_member (m, "seq"), ==, seq + i);
    }

  g_assert_cmpint (park_test_backend_metric (f->backend, "parkd_live_dropped_total{reason=\"slow\"}"), ==, 1);
  rss_after = parkd_rss_kib (f);
  g_test_message ("parkd RSS %" G_GINT64_FORMAT " KiB before the flood, %" G_GINT64_FORMAT
                  " KiB after; %" G_GINT64_FORMAT " messages", rss_before, rss_after, expected);
  /* A sanitizer build keeps freed memory in quarantine: its RSS says nothing here. */
  if (park_test_timeout_multiplier () == 1)
    g_assert_cmpint (rss_after - rss_before, <, 32 * 1024);

  /* What the slow client gets when it reads at last: some updates, then the close code. */
  code = bare_drain_until_closed (slow, WAIT_S, &n_text);
  g_assert_cmpuint (n_text, <, expected);
  g_assert_true (code == 1008 || code == 0);
  g_assert_cmpint (park_test_backend_metric (f->backend, "parkd_live_clients"), ==, 1);
}

/* A client gone without a word (a kiosk unplugged) is found by the pings and dropped; one
 * that answers them stays. */
static void
test_silent_peer (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *subscribe = g_strdup_printf ("{\"type\":\"subscribe\",\"lot_ids\":[\"%s\"]}",
                                                f->lot_id);
  g_autoptr(JsonObject) snapshot = NULL, update = NULL;
  g_autoptr(Client) alive = subscribed_client (f, subscribe, &snapshot);
  g_autofree char *token = register_driver (f, "ping@example.org");
  g_autoptr(GPtrArray) spots = free_spots (f, 1);
  int silent = bare_connect (f->backend);
  guint n_text, code;
  gint64 start = g_get_monotonic_time ();

  /* Never answers a ping: parkd gives up after two intervals (here one second each). */
  code = bare_drain_until_closed (silent, 8, &n_text);
  g_assert_cmpuint (code, ==, 0);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (park_test_backend_metric (f->backend, "parkd_live_dropped_total{reason=\"silent\"}"), ==, 1);

  /* libsoup answers every ping: after several more intervals it is still subscribed. */
  {
    gboolean never = FALSE;

    g_assert_false (run_until (flag_set, &never, 5));
  }
  g_assert_false (alive->closed);
  g_free (book_now (f, token, g_ptr_array_index (spots, 0)));
  update = client_next_of (alive, "availability_update");
  g_assert_cmpstr (json_object_get_string_member (update, "lot_id"), ==, f->lot_id);
}

/* The frames of RFC 6455 as a client may send them: a message in fragments, a ping between
 * them (answered with its payload), and a binary frame (which the feed does not take). */
static void
test_frames (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *subscribe = g_strdup_printf ("{\"type\":\"subscribe\",\"lot_ids\":[\"%s\"]}",
                                                f->lot_id);
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  g_autoptr(JsonNode) root = NULL;
  static const guint8 ping[] = "are you there";
  static const guint8 binary[] = { 0, 1, 2 };
  int fd = bare_connect (f->backend);
  gsize len = strlen (subscribe);
  JsonObject *snapshot;
  guint n_text;

  g_assert_cmpint (bare_read_frame (fd, payload), ==, 0x1);   /* hello */

  bare_send_frame (fd, 0x1, FALSE, (const guint8 *) subscribe, 10);
  bare_send_frame (fd, 0x9, TRUE, ping, sizeof ping - 1);
  bare_send_frame (fd, 0x0, FALSE, (const guint8 *) subscribe + 10, 5);
  bare_send_frame (fd, 0x0, TRUE, (const guint8 *) subscribe + 15, len - 15);

  g_assert_cmpint (bare_read_frame (fd, payload), ==, 0xa);
  g_assert_cmpmem (payload->data, payload->len, ping, sizeof ping - 1);
  g_assert_cmpint (bare_read_frame (fd, payload), ==, 0x1);
  root = json_from_string ((const char *) g_byte_array_append (payload, (const guint8 *) "", 1)->data,
                           NULL);
  g_assert_nonnull (root);
  snapshot = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (snapshot, "type"), ==, "snapshot");
  g_assert_cmpint (json_object_get_int_member (snapshot, "subscribed"), ==, 1);

  bare_send_frame (fd, 0x2, TRUE, binary, sizeof binary);
  g_assert_cmpuint (bare_drain_until_closed (fd, WAIT_S, &n_text), ==, 1003);
}

/* A client that sends several messages at once (a map changing its view as the driver pans,
 * then leaving) gets its answers in the order it asked, each one whole: with PostgreSQL a
 * subscription is read off the loop, and what came behind it waits for it. */
static void
test_answers_in_order (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *by_id = g_strdup_printf ("{\"type\":\"subscribe\",\"lot_ids\":[\"%s\"]}",
                                            f->lot_id);
  const char *messages[] = {
    by_id,
    "{\"type\":\"subscribe\",\"bbox\":" BBOX "}",
    "{\"type\":\"unsubscribe\"}",
    "{\"type\":\"subscribe\",\"lot_ids\":[\"not-a-uuid\"]}",
    by_id,
  };
  g_autoptr(GByteArray) burst = g_byte_array_new ();
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  int fd = bare_connect (f->backend);
  guint box_lots;

  /* The greeting first. */
  g_assert_cmpuint (bare_read_frame (fd, payload), ==, 0x1);
  g_assert_nonnull (g_strstr_len ((const char *) payload->data, payload->len,
                                  "\"type\":\"hello\""));
  /* All five in one write: parkd reads them in one go. */
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    bare_append_frame (burst, 0x1, TRUE, (const guint8 *) messages[i], strlen (messages[i]));
  g_assert_cmpint (write (fd, burst->data, burst->len), ==, (gssize) burst->len);

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autoptr(JsonNode) root = NULL;
      JsonObject *m;
      const char *type;

      g_assert_cmpuint (bare_read_frame (fd, payload), ==, 0x1);
      root = json_from_string ((const char *) g_byte_array_append (payload, (const guint8 *) "",
                                                                   1)->data, NULL);
      g_assert_nonnull (root);
      m = json_node_get_object (root);
      type = json_object_get_string_member (m, "type");
      g_test_message ("answer %u: %s", i, type);
      switch (i)
        {
        case 0:
        case 4:
          g_assert_cmpstr (type, ==, "snapshot");
          g_assert_cmpint (json_object_get_int_member (m, "subscribed"), ==, 1);
          g_assert_cmpstr (json_object_get_string_member (
                             json_array_get_object_element (
                               json_object_get_array_member (m, "lots"), 0), "lot_id"), ==,
                           f->lot_id);
          break;
        case 1:
          g_assert_cmpstr (type, ==, "snapshot");
          box_lots = json_object_get_int_member (m, "subscribed");
          g_assert_cmpuint (box_lots, >, 1);
          g_assert_cmpuint (json_array_get_length (json_object_get_array_member (m, "lots")), ==,
                            box_lots);
          break;
        case 2:
          g_assert_cmpstr (type, ==, "unsubscribed");
          break;
        case 3:
          g_assert_cmpstr (type, ==, "error");
          g_assert_cmpstr (json_object_get_string_member (m, "field"), ==, "lot_ids[0]");
          break;
        }
    }
  close (fd);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Someone trying the demo sees cars come and go on the map without doing anything. Each is
 * a reading of the sensor "Demo traffic", which the operator finds on the Sensors page;
 * revoking it stops the cars, also after parkd starts again. */
static void
test_demo_traffic (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const operator_args[] = {
    "--email", "ops@example.org", "--role", "operator", "--operator", "dresden-parking", NULL
  };
  /* Every lot of the demo city. */
  static const char subscribe[] = "{\"type\":\"subscribe\",\"bbox\":[13.5,50.9,14.0,51.2]}";
  static const char * const again_args[] = { "--demo", "--demo-traffic", "1", NULL };
  g_autoptr(JsonObject) snapshot = NULL, again = NULL;
  g_autoptr(Client) map = subscribed_client (f, subscribe, &snapshot);
  g_autoptr(GHashTable) seqs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(ParkTestResponse) login = NULL, sensors = NULL, revoked = NULL;
  g_autoptr(Client) later = NULL;
  g_autofree char *log = NULL, *revoke_path = NULL, *access = NULL;
  JsonArray *lots = json_object_get_array_member (snapshot, "lots");
  JsonArray *items;
  const char *sensor_id = NULL;

  for (guint i = 0; i < json_array_get_length (lots); i++)
    {
      JsonObject *lot = json_array_get_object_element (lots, i);

      g_hash_table_insert (seqs, g_strdup (json_object_get_string_member (lot, "lot_id")),
                           GINT_TO_POINTER (json_object_get_int_member (lot, "seq")));
    }

  /* Three cars, one a second, each the lot's next change: one arrives on a free spot or
   * leaves an occupied one. */
  for (guint n = 0; n < 3; n++)
    {
      g_autoptr(JsonObject) update = client_next_of (map, "availability_update");
      const char *lot_id = json_object_get_string_member (update, "lot_id");
      JsonObject *spot = json_object_get_object_member (update, "spot");
      const char *state = json_object_get_string_member (spot, "state");
      const char *before = json_object_get_string_member (spot, "previous_state");
      gint64 seq = json_object_get_int_member (update, "seq");

      g_assert_true (g_hash_table_contains (seqs, lot_id));
      g_assert_cmpint (seq, ==, GPOINTER_TO_INT (g_hash_table_lookup (seqs, lot_id)) + 1);
      g_hash_table_insert (seqs, g_strdup (lot_id), GINT_TO_POINTER (seq));
      if (g_str_equal (state, "occupied"))
        g_assert_cmpstr (before, ==, "available");
      else
        {
          g_assert_cmpstr (before, ==, "occupied");
          g_assert_true (g_str_equal (state, "available") || g_str_equal (state, "reserved"));
        }
    }

  /* The operator sees where they come from, and revokes it. */
  g_assert_cmpint (park_test_user_add (f->backend, operator_args, PASSWORD), ==, 0);
  login = park_test_call (f->backend, NULL, "POST", "api/v1/auth/login",
                          "{\"email\":\"ops@example.org\",\"password\":\"" PASSWORD "\"}");
  g_assert_cmpuint (login->status, ==, 200);
  access = g_strdup (json_object_get_string_member (park_test_response_object (login),
                                                    "access_token"));
  sensors = park_test_call (f->backend, access, "GET", "api/v1/admin/sensors", NULL);
  g_assert_cmpuint (sensors->status, ==, 200);
  items = json_object_get_array_member (park_test_response_object (sensors), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0),
                                                  "name"), ==, "Demo traffic");
  g_assert_nonnull (json_object_get_string_member (json_array_get_object_element (items, 0),
                                                   "last_seen_at"));
  sensor_id = json_object_get_string_member (json_array_get_object_element (items, 0), "id");
  revoke_path = g_strdup_printf ("api/v1/admin/sensors/%s", sensor_id);
  revoked = park_test_call (f->backend, access, "DELETE", revoke_path, NULL);
  g_assert_cmpuint (revoked->status, <, 300);

  /* A reading under way may still land; after that, nothing moves. */
  run_until (never, NULL, 2);
  while (!g_queue_is_empty (&map->messages))
    json_object_unref (g_queue_pop_head (&map->messages));
  g_assert_false (run_until (has_message, map, 3));

  /* Nor after a restart: the revoked sensor stays revoked, and the log says why. */
  park_test_backend_stop (f->backend);
  park_test_backend_start (f->backend, again_args);
  later = subscribed_client (f, subscribe, &again);
  g_assert_false (run_until (has_message, later, 3));
  g_assert_true (g_file_get_contents (f->backend->log_path, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "demo traffic stopped: its sensor was revoked"));
}

int
main (int   argc,
      char *argv[])
{
  static const char * const replay_2[] = { "--live-replay-limit", "2", NULL };
  static const char * const small_queue[] = { "--live-queue-limit", "524288", NULL };
  static const char * const max_5[] = { "--live-max-lots", "5", NULL };
  static const char * const fast_ping[] = { "--live-ping-interval", "1", NULL };
  /* No pings among the writes counted, however slow the build. */
  static const char * const no_ping[] = { "--live-ping-interval", "3600", NULL };
  static const char * const traffic[] = { "--demo-traffic", "1", NULL };

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/live/upgrade-required", Fixture, NULL, fixture_setup, test_upgrade_required,
              fixture_teardown);
  g_test_add ("/live/booking-reaches-box", Fixture, NULL, fixture_setup,
              test_booking_reaches_box, fixture_teardown);
  g_test_add ("/live/bad-messages", Fixture, max_5, fixture_setup, test_bad_messages,
              fixture_teardown);
  g_test_add ("/live/resume", Fixture, NULL, fixture_setup, test_resume, fixture_teardown);
  g_test_add ("/live/gap-too-old", Fixture, replay_2, fixture_setup, test_gap_too_old,
              fixture_teardown);
  g_test_add ("/live/own-events", Fixture, NULL, fixture_setup, test_own_events,
              fixture_teardown);
  g_test_add ("/live/ending-soon", Fixture, NULL, fixture_setup, test_ending_soon,
              fixture_teardown);
  g_test_add ("/live/slow-reader", Fixture, small_queue, fixture_setup, test_slow_reader,
              fixture_teardown);
  g_test_add ("/live/frames", Fixture, NULL, fixture_setup, test_frames, fixture_teardown);
  g_test_add ("/live/answers-in-order", Fixture, NULL, fixture_setup, test_answers_in_order,
              fixture_teardown);
  g_test_add ("/live/burst-shares-writes", Fixture, no_ping, fixture_setup,
              test_burst_shares_writes, fixture_teardown);
  g_test_add ("/live/silent-peer", Fixture, fast_ping, fixture_setup, test_silent_peer,
              fixture_teardown);
  g_test_add ("/live/demo-traffic", Fixture, traffic, fixture_setup, test_demo_traffic,
              fixture_teardown);
  return g_test_run ();
}
