/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-client-errors.c: what ParkClient makes of a broken server, of a cancelled call and of
 * no server at all. The broken server is a SoupServer in this test that answers what parkd
 * never would (its bodies start from what the real parkd answered, then are broken); it
 * fakes a broken server, not any of our code.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <park-core.h>

#include "park-test-backend.h"
#include "park-test-utils.h"

#define WAIT_S 30
#define LOT_ID "3f023c4d-f3d7-43a7-b30f-751ae4294294"

typedef struct
{
  SoupServer *server;
  GHashTable *answers;      /* path → Answer */
  ParkClient *client;
  char       *url;
  GPtrArray  *paused;       /* messages never answered */
} Fixture;

typedef struct
{
  guint  status;
  char  *content_type;
  char  *body;
} Answer;

static void
answer_free (Answer *answer)
{
  g_free (answer->content_type);
  g_free (answer->body);
  g_free (answer);
}

static void
serve (Fixture    *f,
       const char *path,
       guint       status,
       const char *content_type,
       const char *body)
{
  Answer *answer = g_new0 (Answer, 1);

  answer->status = status;
  answer->content_type = g_strdup (content_type);
  answer->body = g_strdup (body);
  g_hash_table_replace (f->answers, g_strdup (path), answer);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           data)
{
  Fixture *f = data;
  Answer *answer = g_hash_table_lookup (f->answers, path);

  if (answer == NULL)
    {
      /* A server that takes the request and never answers. */
      g_ptr_array_add (f->paused, g_object_ref (msg));
      soup_server_message_pause (msg);
      return;
    }
  soup_server_message_set_status (msg, answer->status, NULL);
  if (answer->body != NULL)
    soup_server_message_set_response (msg, answer->content_type, SOUP_MEMORY_COPY,
                                      answer->body, strlen (answer->body));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) answer_free);
  f->paused = g_ptr_array_new_with_free_func (g_object_unref);
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, handler_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  f->client = park_client_new (f->url, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->client);
  for (guint i = 0; i < f->paused->len; i++)
    soup_server_message_unpause (f->paused->pdata[i]);
  g_clear_pointer (&f->paused, g_ptr_array_unref);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_pointer (&f->answers, g_hash_table_unref);
  g_free (f->url);
}

static ParkLot *
get_lot (Fixture  *f,
         GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  park_client_get_lot_async (f->client, LOT_ID, NULL, park_test_result_cb, &result);
  return park_client_get_lot_finish (f->client, park_test_await (&result, WAIT_S), error);
}

static GListModel *
search (Fixture  *f,
        GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  park_client_search_lots_near_async (f->client, 51.0504, 13.7373, 800, PARK_SPOT_TYPE_ANY, 0,
                                      0, NULL, park_test_result_cb, &result);
  return park_client_search_lots_finish (f->client, park_test_await (&result, WAIT_S), error);
}

/* A page of lots as the real parkd answers it, with @breaker applied to its second lot. */
static char *
real_page (void (*breaker) (JsonObject *lot))
{
  static const char * const demo[] = { "--demo", NULL };
  g_autoptr(ParkTestBackend) backend = park_test_backend_new ();
  g_autoptr(ParkTestResponse) response = NULL;
  JsonArray *items;

  park_test_backend_start (backend, demo);
  response = park_test_get (backend, "api/v1/parking-lots?lat=51.0504&lng=13.7373&radius=800");
  g_assert_cmpuint (response->status, ==, 200);
  items = json_object_get_array_member (park_test_response_object (response), "items");
  g_assert_cmpuint (json_array_get_length (items), >=, 2);
  if (breaker != NULL)
    breaker (json_array_get_object_element (items, 1));
  return json_to_string (response->json, FALSE);
}

static void
drop_name (JsonObject *lot)
{
  json_object_remove_member (lot, "name");
}

static void
total_as_string (JsonObject *lot)
{
  json_object_set_string_member (
    json_object_get_object_member (json_object_get_object_member (lot, "availability"),
                                   "disabled"),
    "total", "12");
}

static void
test_missing_field (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *good = real_page (NULL);
  g_autofree char *nameless = real_page (drop_name);
  g_autofree char *stringly = real_page (total_as_string);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) lots = NULL;

  /* The fake serves the real page as it was: the client reads it. */
  serve (f, "/api/v1/parking-lots", 200, "application/json", good);
  lots = search (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (lots), >=, 2);
  g_clear_object (&lots);

  serve (f, "/api/v1/parking-lots", 200, "application/json", nameless);
  lots = search (f, &error);
  g_assert_null (lots);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_INVALID_RESPONSE);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "items.1.name");
  g_clear_error (&error);

  serve (f, "/api/v1/parking-lots", 200, "application/json", stringly);
  lots = search (f, &error);
  g_assert_null (lots);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_INVALID_RESPONSE);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "items.1.availability.disabled.total");
}

static void
test_garbage (Fixture       *f,
              gconstpointer  data)
{
  static const struct
  {
    const char *type;
    const char *body;
  } cases[] = {
    { "application/json", "{\"id\": \"3f02\", \"name\": " },
    { "application/json", "[]" },
    { "application/json", "   " },
    { "application/json", "\"a string\"" },
    { "text/html", "<html>It works!</html>" },
    { "application/json", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ParkLot) lot = NULL;

      serve (f, "/api/v1/parking-lots/" LOT_ID, 200, cases[i].type, cases[i].body);
      lot = get_lot (f, &error);
      g_assert_null (lot);
      g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_INVALID_RESPONSE);
      g_assert_null (park_client_error_get_field (error));
    }
}

/* json-glib recurses per level (QUIRKS.md): a hostile depth is an error, not a crash. */
static void
test_deep_nesting (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GString) body = g_string_new ("{\"id\":");
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkLot) lot = NULL;

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (body, '[');
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (body, ']');
  g_string_append_c (body, '}');
  serve (f, "/api/v1/parking-lots/" LOT_ID, 200, "application/json", body->str);
  lot = get_lot (f, &error);
  g_assert_null (lot);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_INVALID_RESPONSE);
}

static void
test_sign_in_without_refresh_token (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  serve (f, "/api/v1/auth/login", 200, "application/json",
         "{\"access_token\":\"a.b.c\",\"token_type\":\"Bearer\",\"expires_in\":900}");
  park_client_sign_in_async (f->client, "x@example.org", "whatever-password", NULL,
                             park_test_result_cb, &result);
  g_assert_false (park_client_sign_in_finish (f->client, park_test_await (&result, WAIT_S),
                                              &error));
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_INVALID_RESPONSE);
  g_assert_cmpstr (park_client_error_get_field (error), ==, "refresh_token");
  g_assert_false (park_client_get_signed_in (f->client));
}

/* A proxy's error page is an error of its status, not a broken answer. */
static void
test_proxy_error_page (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkLot) lot = NULL;

  serve (f, "/api/v1/parking-lots/" LOT_ID, 502, "text/html", "<h1>502 Bad Gateway</h1>");
  lot = get_lot (f, &error);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  serve (f, "/api/v1/parking-lots/" LOT_ID, 500, NULL, NULL);
  lot = get_lot (f, &error);
  g_assert_error (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_SERVER);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) already = g_cancellable_new ();
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkLot) lot = NULL;

  /* The fake holds the request without answering; the caller gives up. */
  park_client_get_lot_async (f->client, LOT_ID, cancellable, park_test_result_cb, &r1);
  g_timeout_add (200, cancel_cb, cancellable);
  lot = park_client_get_lot_finish (f->client, park_test_await (&r1, WAIT_S), &error);
  g_assert_null (lot);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->paused->len, ==, 1);
  g_clear_error (&error);

  /* Cancelled before it started. */
  g_cancellable_cancel (already);
  park_client_get_lot_async (f->client, LOT_ID, already, park_test_result_cb, &r2);
  lot = park_client_get_lot_finish (f->client, park_test_await (&r2, WAIT_S), &error);
  g_assert_null (lot);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ParkClient) client = NULL;
  g_autoptr(ParkServerInfo) info = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  /* A port that was free a moment ago, and is closed again. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  client = park_client_new (url, NULL);

  park_client_get_info_async (client, NULL, park_test_result_cb, &result);
  info = park_client_get_info_finish (client, park_test_await (&result, WAIT_S), &error);
  g_assert_null (info);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/core/client/errors/missing-field", test_missing_field);
  ADD ("/core/client/errors/garbage", test_garbage);
  ADD ("/core/client/errors/deep-nesting", test_deep_nesting);
  ADD ("/core/client/errors/sign-in-without-refresh-token", test_sign_in_without_refresh_token);
  ADD ("/core/client/errors/proxy-error-page", test_proxy_error_page);
  ADD ("/core/client/errors/cancel", test_cancel);
#undef ADD
  g_test_add_func ("/core/client/errors/connection-refused", test_connection_refused);

  return g_test_run ();
}
