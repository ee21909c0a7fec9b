/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "park-test-live.h"

static void
on_message (SoupWebsocketConnection *ws,
            gint                     type,
            GBytes                  *data,
            gpointer                 user_data)
{
  ParkTestLiveClient *c = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *text = g_bytes_get_data (data, &len);

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  g_assert_true (json_parser_load_from_data (parser, text, len, NULL));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  g_queue_push_tail (&c->messages,
                     json_object_ref (json_node_get_object (json_parser_get_root (parser))));
}

static void
on_closed (SoupWebsocketConnection *ws,
           gpointer                 user_data)
{
  ((ParkTestLiveClient *) user_data)->closed = TRUE;
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ParkTestLiveClient *c = user_data;
  g_autoptr(GError) error = NULL;

  c->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
park_test_run_until (gboolean (*done) (gpointer),
                     gpointer   data,
                     guint      seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds * park_test_timeout_multiplier (), timed_out_cb,
                                    &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

static gboolean
connected (gpointer data)
{
  return ((ParkTestLiveClient *) data)->ws != NULL;
}

ParkTestLiveClient *
park_test_live_connect (ParkTestBackend *backend,
                        guint            wait_s)
{
  ParkTestLiveClient *c = g_new0 (ParkTestLiveClient, 1);
  g_autofree char *url = g_strconcat (backend->url, "api/v1/live", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

  c->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  /* Through nginx over TLS: the certificate the backend's own session trusts. */
  if (g_str_has_prefix (backend->url, "https:"))
    {
      g_autoptr(GTlsDatabase) ca = NULL;

      g_object_get (backend->session, "tls-database", &ca, NULL);
      g_object_set (c->session, "tls-database", ca, NULL);
    }
  g_queue_init (&c->messages);
  soup_session_websocket_connect_async (c->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_connected, c);
  g_assert_true (park_test_run_until (connected, c, wait_s));
  g_signal_connect (c->ws, "message", G_CALLBACK (on_message), c);
  g_signal_connect (c->ws, "closed", G_CALLBACK (on_closed), c);
  return c;
}

gboolean
park_test_live_has_message (gpointer client)
{
  ParkTestLiveClient *c = client;

  return !g_queue_is_empty (&c->messages) || c->closed;
}

JsonObject *
park_test_live_next (ParkTestLiveClient *c,
                     guint               wait_s)
{
  g_assert_true (park_test_run_until (park_test_live_has_message, c, wait_s));
  g_assert_false (g_queue_is_empty (&c->messages));
  return g_queue_pop_head (&c->messages);
}

void
park_test_live_client_free (ParkTestLiveClient *c)
{
  if (c->ws != NULL && soup_websocket_connection_get_state (c->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (c->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&c->ws);
  g_clear_object (&c->session);
  g_queue_clear_full (&c->messages, (GDestroyNotify) json_object_unref);
  g_free (c);
}
