/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-live-feed.c: the client side of backend/LIVE.md.
 *
 * One WebSocket on the client's SoupSession. After `hello` the feed signs the connection in
 * (when the client is signed in) and subscribes to the lots it watches, sending the `seq` it
 * holds for each as `resume`. A `snapshot` or `availability_update` is applied to the
 * watched ParkLot in place; per lot, an update is applied only when its `seq` is greater than
 * the one held, and one more than one above it means something was missed: the feed
 * subscribes again with `resume` and lets the server replay. A lost connection (parkd
 * stopping sends 1001) is retried with exponential back-off, and the numbers held make the
 * resubscription catch up without losing or doubling an update.
 *
 * A feed follows either a list of lots (park_live_feed_watch()) or a map's box
 * (park_live_feed_watch_box()): the server then sends the lots in the box, and those the
 * watched model lacks are announced with ::lot-appeared for the UI to fetch and add.
 *
 * Signed in, the connection carries the driver's own events; when the access token expires
 * the server says `auth_expired`, and the feed renews the token through the client and signs
 * the same connection in again.
 */
#include "config.h"

#include "park-live-feed.h"
#include "park-client-private.h"
#include "park-enums.h"
#include "park-json-private.h"

#include <libsoup/soup.h>
#include <string.h>

#define MIN_DELAY_MS 500
#define MAX_DELAY_MS 30000

struct _ParkLiveFeed
{
  GObject                  parent_instance;

  ParkClient              *client;
  gulong                   signed_in_handler;
  ParkLiveFeedState        state;
  gboolean                 running;

  GCancellable            *connecting;
  SoupWebsocketConnection *ws;
  gulong                   message_handler;
  gulong                   closed_handler;
  guint                    retry_id;
  guint                    delay_ms;
  guint                    attempt;       /* which connect_now() an answer belongs to */

  GListModel              *watched;
  gulong                   items_changed_handler;
  GHashTable              *lots;          /* lot id → ParkLot (borrowed from watched) */
  GHashTable              *seqs;          /* lot id → gint64 * */

  gboolean                 by_box;        /* subscribed by box, not by the watched ids */
  double                   box[4];        /* min_lng, min_lat, max_lng, max_lat */
};

G_DEFINE_FINAL_TYPE (ParkLiveFeed, park_live_feed, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_STATE,
  N_PROPS
};

enum {
  LOT_UPDATED,
  RESERVATION_EVENT,
  PAYMENT_EVENT,
  LOT_APPEARED,
  RESERVATION_CONFIRMED,
  RESERVATION_ENDING_SOON,
  RESERVATION_EXPIRED,
  PAYMENT_REFUNDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void connect_now (ParkLiveFeed *self);

static void
set_state (ParkLiveFeed      *self,
           ParkLiveFeedState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
send_json (ParkLiveFeed *self,
           JsonBuilder  *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, FALSE);

  if (self->ws == NULL ||
      soup_websocket_connection_get_state (self->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  soup_websocket_connection_send_text (self->ws, text);
}

static void
send_auth (ParkLiveFeed *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *token = _park_client_get_access_token (self->client);

  if (token == NULL)
    return;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "auth");
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_end_object (builder);
  send_json (self, builder);
}

/* Subscribes to the watched lots, resuming each from the seq held (LIVE.md, "After a
 * reconnect"); with nothing watched, unsubscribes. */
static void
send_subscribe (ParkLiveFeed *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GHashTableIter iter;
  gpointer key;
  gboolean any_seq = FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  if (!self->by_box && g_hash_table_size (self->lots) == 0)
    {
      json_builder_add_string_value (builder, "unsubscribe");
      json_builder_end_object (builder);
      send_json (self, builder);
      return;
    }
  json_builder_add_string_value (builder, "subscribe");
  if (self->by_box)
    {
      json_builder_set_member_name (builder, "bbox");
      json_builder_begin_array (builder);
      for (guint i = 0; i < G_N_ELEMENTS (self->box); i++)
        json_builder_add_double_value (builder, self->box[i]);
      json_builder_end_array (builder);
    }
  else
    {
      json_builder_set_member_name (builder, "lot_ids");
      json_builder_begin_array (builder);
      g_hash_table_iter_init (&iter, self->lots);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        json_builder_add_string_value (builder, key);
      json_builder_end_array (builder);
    }

  /* Resumed: the lots shown. By box, the others come in the snapshot if they are in it. */
  g_hash_table_iter_init (&iter, self->lots);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gint64 *seq = g_hash_table_lookup (self->seqs, key);

      if (seq == NULL)
        continue;
      if (!any_seq)
        {
          json_builder_set_member_name (builder, "resume");
          json_builder_begin_object (builder);
          any_seq = TRUE;
        }
      json_builder_set_member_name (builder, key);
      json_builder_add_int_value (builder, *seq);
    }
  if (any_seq)
    json_builder_end_object (builder);
  json_builder_end_object (builder);
  send_json (self, builder);
}

static void
set_seq (ParkLiveFeed *self,
         const char   *lot_id,
         gint64        seq)
{
  gint64 *value = g_new (gint64, 1);

  *value = seq;
  g_hash_table_replace (self->seqs, g_strdup (lot_id), value);
}

/* "available"/"total" objects of a lot's state: a count for each spot type. */
static gboolean
read_counts (ParkJsonReader *reader,
             const char     *member,
             guint          *counts)
{
  g_autoptr(GEnumClass) types = g_type_class_ref (PARK_TYPE_SPOT_TYPE);
  ParkJsonReader child;

  if (!_park_json_reader_enter (reader, member, 0, &child))
    return FALSE;
  for (guint i = 0; i < PARK_N_SPOT_TYPES; i++)
    counts[i] = _park_json_get_int (&child, g_enum_get_value (types, i)->value_nick,
                                    0, G_MAXUINT, 0, 0);
  return !_park_json_reader_failed (reader);
}

/* A lot's state in a snapshot or an update; FALSE when malformed. */
static gboolean
read_state (JsonObject     *object,
            char          **lot_id,
            gint64         *seq,
            ParkLotStatus  *status,
            guint          *available,
            guint          *total,
            gboolean       *replayed,
            GError        **error)
{
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, NULL);
  *lot_id = _park_json_dup_string (&reader, "lot_id", PARK_JSON_NONEMPTY);
  *seq = _park_json_get_int (&reader, "seq", 0, G_MAXINT64, 0, 0);
  *status = _park_json_get_enum (&reader, "status", PARK_TYPE_LOT_STATUS, 0, 0);
  read_counts (&reader, "available", available);
  read_counts (&reader, "total", total);
  *replayed = _park_json_get_boolean (&reader, "replayed", PARK_JSON_OPTIONAL, FALSE);
  if (!_park_json_reader_finish (&reader, error))
    {
      g_clear_pointer (lot_id, g_free);
      return FALSE;
    }
  return TRUE;
}

static void
apply (ParkLiveFeed  *self,
       const char    *lot_id,
       gint64         seq,
       ParkLotStatus  status,
       const guint   *available,
       const guint   *total,
       gboolean       replayed)
{
  ParkLot *lot = g_hash_table_lookup (self->lots, lot_id);
  gboolean first = !g_hash_table_contains (self->seqs, lot_id);

  set_seq (self, lot_id, seq);
  if (lot == NULL)
    {
      if (self->by_box && first)
        g_signal_emit (self, signals[LOT_APPEARED], 0, lot_id);
      return;
    }
  park_lot_apply_availability (lot, status, available, total);
  g_signal_emit (self, signals[LOT_UPDATED], 0, lot, replayed);
}

static void
handle_snapshot (ParkLiveFeed *self,
                 JsonObject   *message)
{
  JsonNode *node = json_object_get_member (message, "lots");
  JsonArray *lots;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_debug ("A snapshot without lots");
      return;
    }
  lots = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (lots); i++)
    {
      JsonNode *element = json_array_get_element (lots, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *lot_id = NULL;
      guint available[PARK_N_SPOT_TYPES], total[PARK_N_SPOT_TYPES];
      ParkLotStatus status;
      gboolean replayed;
      gint64 seq;

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          !read_state (json_node_get_object (element), &lot_id, &seq, &status, available,
                       total, &replayed, &error))
        {
          g_debug ("A malformed lot in a snapshot: %s", error != NULL ? error->message : "");
          continue;
        }
      /* A snapshot is the lot's state now: it replaces what was held. */
      apply (self, lot_id, seq, status, available, total, FALSE);
    }
  set_state (self, PARK_LIVE_FEED_STATE_ONLINE);
}

static void
handle_update (ParkLiveFeed *self,
               JsonObject   *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *lot_id = NULL;
  guint available[PARK_N_SPOT_TYPES], total[PARK_N_SPOT_TYPES];
  ParkLotStatus status;
  gboolean replayed;
  gint64 seq, *held;

  if (!read_state (message, &lot_id, &seq, &status, available, total, &replayed, &error))
    {
      g_debug ("A malformed availability update: %s", error->message);
      return;
    }
  held = g_hash_table_lookup (self->seqs, lot_id);
  if (held != NULL && seq <= *held)
    return;                     /* already in what is shown */
  if (held != NULL && seq > *held + 1)
    {
      /* Something was missed: catch up from the seq held, in order. */
      g_debug ("Lot %s jumped from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT ": resuming",
               lot_id, *held, seq);
      send_subscribe (self);
      return;
    }
  apply (self, lot_id, seq, status, available, total, replayed);
}

static void
handle_event (ParkLiveFeed *self,
              JsonObject   *message,
              const char   *id_member,
              guint         signal)
{
  ParkJsonReader reader;
  g_autofree char *event = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GDateTime) end_time = NULL;
  g_autoptr(GError) error = NULL;
  gint64 amount;

  _park_json_reader_init (&reader, message, NULL);
  event = _park_json_dup_string (&reader, "event", PARK_JSON_NONEMPTY);
  id = _park_json_dup_string (&reader, id_member, PARK_JSON_NONEMPTY);
  end_time = _park_json_dup_date_time (&reader, "end_time", PARK_JSON_OPTIONAL);
  amount = _park_json_get_int (&reader, "amount", 0, G_MAXINT64, PARK_JSON_OPTIONAL, -1);
  if (!_park_json_reader_finish (&reader, &error))
    {
      g_debug ("A malformed event: %s", error->message);
      return;
    }
  g_signal_emit (self, signals[signal], 0, event, id);

  /* The events a driver's screen acts on, each with what it needs. */
  if (g_str_equal (event, "ReservationConfirmed"))
    g_signal_emit (self, signals[RESERVATION_CONFIRMED], 0, id);
  else if (g_str_equal (event, "ReservationEndingSoon"))
    g_signal_emit (self, signals[RESERVATION_ENDING_SOON], 0, id, end_time);
  else if (g_str_equal (event, "ReservationExpired"))
    g_signal_emit (self, signals[RESERVATION_EXPIRED], 0, id);
  else if (g_str_equal (event, "PaymentRefunded"))
    g_signal_emit (self, signals[PAYMENT_REFUNDED], 0, id, amount);
}

static void
refresh_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ParkLiveFeed) self = user_data;
  g_autoptr(GError) error = NULL;

  if (park_client_refresh_finish (PARK_CLIENT (source), result, &error))
    send_auth (self);
  else
    g_debug ("The feed's sign-in could not be renewed: %s", error->message);
}

static void
message_cb (SoupWebsocketConnection *ws,
            SoupWebsocketDataType    type,
            GBytes                  *data,
            ParkLiveFeed            *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *message;
  const char *kind;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  root = _park_json_parse_object (data, &error);
  if (root == NULL)
    {
      g_debug ("A feed message that is not a JSON object: %s", error->message);
      return;
    }
  message = json_node_get_object (root);
  kind = json_object_get_string_member_with_default (message, "type", "");

  if (g_str_equal (kind, "availability_update"))
    handle_update (self, message);
  else if (g_str_equal (kind, "snapshot"))
    handle_snapshot (self, message);
  else if (g_str_equal (kind, "hello"))
    {
      gint64 ping = json_object_get_int_member_with_default (message, "ping_interval", 0);

      /* Heard from us within the server's interval, so it never drops a quiet client. */
      if (ping > 1)
        soup_websocket_connection_set_keepalive_interval (ws, (guint) ping / 2);
      self->delay_ms = MIN_DELAY_MS;
      send_auth (self);
      send_subscribe (self);
      if (!self->by_box && g_hash_table_size (self->lots) == 0)
        set_state (self, PARK_LIVE_FEED_STATE_ONLINE);
    }
  else if (g_str_equal (kind, "reservation_event"))
    handle_event (self, message, "reservation_id", RESERVATION_EVENT);
  else if (g_str_equal (kind, "payment_event"))
    handle_event (self, message, "payment_id", PAYMENT_EVENT);
  else if (g_str_equal (kind, "auth_expired"))
    park_client_refresh_async (self->client, NULL, refresh_cb, g_object_ref (self));
  else if (g_str_equal (kind, "error"))
    g_debug ("The feed refused a message: %s (%s)",
             json_object_get_string_member_with_default (message, "code", "?"),
             json_object_get_string_member_with_default (message, "detail", ""));
  /* authenticated, unsubscribed and types of later versions need nothing. */
}

static void
drop_connection (ParkLiveFeed *self)
{
  if (self->ws == NULL)
    return;
  g_clear_signal_handler (&self->message_handler, self->ws);
  g_clear_signal_handler (&self->closed_handler, self->ws);
  if (soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&self->ws);
}

static gboolean
retry_cb (gpointer data)
{
  ParkLiveFeed *self = data;

  self->retry_id = 0;
  connect_now (self);
  return G_SOURCE_REMOVE;
}

/* Exponential back-off with a random fifth either way, so kiosks that lost the same server
 * do not all come back in the same instant. */
static void
schedule_retry (ParkLiveFeed *self)
{
  guint delay = self->delay_ms;

  drop_connection (self);
  if (!self->running)
    return;
  set_state (self, PARK_LIVE_FEED_STATE_RECONNECTING);
  delay = delay * g_random_double_range (0.8, 1.2);
  self->delay_ms = MIN (self->delay_ms * 2, MAX_DELAY_MS);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add (delay, retry_cb, self);
}

static void
closed_cb (SoupWebsocketConnection *ws,
           ParkLiveFeed            *self)
{
  g_debug ("The live feed closed (%u)", soup_websocket_connection_get_close_code (ws));
  schedule_retry (self);
}

typedef struct
{
  ParkLiveFeed *feed;
  guint         attempt;
} Attempt;

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree Attempt *attempt = user_data;
  g_autoptr(ParkLiveFeed) self = attempt->feed;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *ws;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (attempt->attempt != self->attempt || !self->running)
    {
      /* Stopped (and maybe started again) meanwhile: this connection is nobody's. */
      if (ws != NULL)
        {
          soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
          g_object_unref (ws);
        }
      return;
    }
  g_clear_object (&self->connecting);
  if (ws == NULL)
    {
      g_debug ("The live feed could not connect: %s", error->message);
      schedule_retry (self);
      return;
    }
  self->ws = ws;
  self->message_handler = g_signal_connect (ws, "message", G_CALLBACK (message_cb), self);
  self->closed_handler = g_signal_connect (ws, "closed", G_CALLBACK (closed_cb), self);
}

static void
connect_now (ParkLiveFeed *self)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  const char *base = park_client_get_base_url (self->client);
  Attempt *attempt;

  g_assert (self->ws == NULL && self->connecting == NULL);
  if (g_str_has_prefix (base, "https://"))
    url = g_strconcat ("wss://", base + strlen ("https://"), "api/v1/live", NULL);
  else
    url = g_strconcat ("ws://", base + strlen ("http://"), "api/v1/live", NULL);
  msg = soup_message_new ("GET", url);
  g_return_if_fail (msg != NULL);
  /* permessage-deflate costs the server about 100 KB per client (QUIRKS.md): never offer it. */
  soup_message_disable_feature (msg, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER);

  attempt = g_new0 (Attempt, 1);
  attempt->feed = g_object_ref (self);
  attempt->attempt = ++self->attempt;
  self->connecting = g_cancellable_new ();
  soup_session_websocket_connect_async (_park_client_get_session (self->client), msg, NULL, NULL,
                                        G_PRIORITY_DEFAULT, self->connecting, connected_cb,
                                        attempt);
}

static void
rebuild_index (ParkLiveFeed *self)
{
  g_hash_table_remove_all (self->lots);
  if (self->watched == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (self->watched); i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (self->watched, i);

      /* Borrowed: the watched model holds them. */
      g_hash_table_replace (self->lots, (gpointer) park_lot_get_id (lot), lot);
    }
}

static void
items_changed_cb (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ParkLiveFeed *self)
{
  rebuild_index (self);
  /* By box the subscription stays: a lot added is one the box brought already. */
  if (!self->by_box)
    send_subscribe (self);
}

static void
set_watched (ParkLiveFeed *self,
             GListModel   *lots,
             gboolean      by_box)
{
  if (self->watched != NULL)
    g_clear_signal_handler (&self->items_changed_handler, self->watched);
  g_set_object (&self->watched, lots);
  self->by_box = by_box;
  if (lots != NULL)
    self->items_changed_handler = g_signal_connect (lots, "items-changed",
                                                    G_CALLBACK (items_changed_cb), self);
  rebuild_index (self);
}

static void
signed_in_cb (ParkClient   *client,
              GParamSpec   *pspec,
              ParkLiveFeed *self)
{
  if (self->ws == NULL)
    return;
  if (park_client_get_signed_in (client))
    send_auth (self);
  else
    {
      /* Nothing unsigns a connection but closing it: the driver's events must stop. */
      drop_connection (self);
      if (self->running)
        connect_now (self);
    }
}

static void
park_live_feed_dispose (GObject *object)
{
  ParkLiveFeed *self = (ParkLiveFeed *) object;

  self->running = FALSE;
  if (self->connecting != NULL)
    g_cancellable_cancel (self->connecting);
  g_clear_object (&self->connecting);
  drop_connection (self);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->watched != NULL)
    g_clear_signal_handler (&self->items_changed_handler, self->watched);
  g_clear_object (&self->watched);
  if (self->client != NULL)
    g_clear_signal_handler (&self->signed_in_handler, self->client);
  g_clear_object (&self->client);
  if (self->lots != NULL)
    g_hash_table_remove_all (self->lots);

  G_OBJECT_CLASS (park_live_feed_parent_class)->dispose (object);
}

static void
park_live_feed_finalize (GObject *object)
{
  ParkLiveFeed *self = (ParkLiveFeed *) object;

  g_clear_pointer (&self->lots, g_hash_table_unref);
  g_clear_pointer (&self->seqs, g_hash_table_unref);

  G_OBJECT_CLASS (park_live_feed_parent_class)->finalize (object);
}

static void
park_live_feed_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ParkLiveFeed *self = PARK_LIVE_FEED (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
park_live_feed_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ParkLiveFeed *self = PARK_LIVE_FEED (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      self->signed_in_handler = g_signal_connect (self->client, "notify::signed-in",
                                                  G_CALLBACK (signed_in_cb), self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
park_live_feed_class_init (ParkLiveFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = park_live_feed_dispose;
  object_class->finalize = park_live_feed_finalize;
  object_class->get_property = park_live_feed_get_property;
  object_class->set_property = park_live_feed_set_property;

  /**
   * ParkLiveFeed:client:
   *
   * The client whose server, session and sign-in the feed uses.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, PARK_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * ParkLiveFeed:state:
   *
   * Whether the watched lots are live, for the UI to show (online, reconnecting, offline).
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, PARK_TYPE_LIVE_FEED_STATE,
                       PARK_LIVE_FEED_STATE_OFFLINE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ParkLiveFeed::lot-updated:
   * @self: the #ParkLiveFeed
   * @lot: the watched #ParkLot, already updated
   * @replayed: whether the update was sent again after a reconnect
   *
   * A watched lot took a newer state (its properties were notified already).
   */
  signals[LOT_UPDATED] = g_signal_new ("lot-updated", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 2, PARK_TYPE_LOT, G_TYPE_BOOLEAN);
  /**
   * ParkLiveFeed::reservation-event:
   * @self: the #ParkLiveFeed
   * @event: the event, e.g. `ReservationEndingSoon`, `ReservationCancelled`
   * @reservation_id: the booking's id
   *
   * Something happened to one of the signed-in driver's bookings; fetch it again with
   * park_client_get_reservation_async() to show it.
   */
  signals[RESERVATION_EVENT] = g_signal_new ("reservation-event", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * ParkLiveFeed::payment-event:
   * @self: the #ParkLiveFeed
   * @event: the event, e.g. `PaymentProcessed`, `PaymentRefunded`
   * @payment_id: the payment's id
   *
   * One of the signed-in driver's payments went through or was refunded.
   */
  signals[PAYMENT_EVENT] = g_signal_new ("payment-event", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * ParkLiveFeed::lot-appeared:
   * @self: the #ParkLiveFeed
   * @lot_id: the id of a lot in the watched box that the watched model lacks
   *
   * Following a box (park_live_feed_watch_box()), the server told of a lot the model does
   * not hold: fetch it (park_client_get_lot_async()) and add it to the model, and it is kept
   * live from then on. Emitted once per lot.
   */
  signals[LOT_APPEARED] = g_signal_new ("lot-appeared", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * ParkLiveFeed::reservation-confirmed:
   * @self: the #ParkLiveFeed
   * @reservation_id: the booking's id
   *
   * One of the signed-in driver's bookings is paid in full (or free) and holds its spot.
   */
  signals[RESERVATION_CONFIRMED] = g_signal_new ("reservation-confirmed",
                                                 G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * ParkLiveFeed::reservation-ending-soon:
   * @self: the #ParkLiveFeed
   * @reservation_id: the booking's id
   * @end_time: (nullable): when it ends
   *
   * One of the signed-in driver's bookings ends within a quarter of an hour: time to extend
   * it (park_client_extend_reservation_async()). Emitted once per booking.
   */
  signals[RESERVATION_ENDING_SOON] = g_signal_new ("reservation-ending-soon",
                                                   G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                   0, NULL, NULL, NULL,
                                                   G_TYPE_NONE, 2, G_TYPE_STRING,
                                                   G_TYPE_DATE_TIME);
  /**
   * ParkLiveFeed::reservation-expired:
   * @self: the #ParkLiveFeed
   * @reservation_id: the booking's id
   *
   * One of the signed-in driver's bookings was not paid in time and let its spot go.
   */
  signals[RESERVATION_EXPIRED] = g_signal_new ("reservation-expired", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * ParkLiveFeed::payment-refunded:
   * @self: the #ParkLiveFeed
   * @payment_id: the payment's id
   * @amount: the amount given back in minor units, or -1 when the server did not say
   *
   * Money of one of the signed-in driver's payments was given back (a cancelled booking).
   */
  signals[PAYMENT_REFUNDED] = g_signal_new ("payment-refunded", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT64);
}

static void
park_live_feed_init (ParkLiveFeed *self)
{
  self->delay_ms = MIN_DELAY_MS;
  self->lots = g_hash_table_new (g_str_hash, g_str_equal);
  self->seqs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * park_live_feed_new:
 * @client: the #ParkClient of the server to follow
 *
 * Makes a live feed for @client's server. It does nothing until park_live_feed_start().
 *
 * Returns: (transfer full): a new #ParkLiveFeed
 */
ParkLiveFeed *
park_live_feed_new (ParkClient *client)
{
  g_return_val_if_fail (PARK_IS_CLIENT (client), NULL);

  return g_object_new (PARK_TYPE_LIVE_FEED, "client", client, NULL);
}

/**
 * park_live_feed_get_client:
 * @self: a #ParkLiveFeed
 *
 * Returns: (transfer none): the feed's client
 */
ParkClient *
park_live_feed_get_client (ParkLiveFeed *self)
{
  g_return_val_if_fail (PARK_IS_LIVE_FEED (self), NULL);
  return self->client;
}

/**
 * park_live_feed_get_state:
 * @self: a #ParkLiveFeed
 *
 * Returns: whether the feed is online, reconnecting or offline
 */
ParkLiveFeedState
park_live_feed_get_state (ParkLiveFeed *self)
{
  g_return_val_if_fail (PARK_IS_LIVE_FEED (self), PARK_LIVE_FEED_STATE_OFFLINE);
  return self->state;
}

/**
 * park_live_feed_start:
 * @self: a #ParkLiveFeed
 *
 * Connects, and keeps connecting whenever the connection is lost, waiting longer after each
 * failure (half a second, doubling up to 30 seconds). When the client is signed in, the
 * connection is signed in too and brings the driver's own events.
 */
void
park_live_feed_start (ParkLiveFeed *self)
{
  g_return_if_fail (PARK_IS_LIVE_FEED (self));

  if (self->running)
    return;
  self->running = TRUE;
  self->delay_ms = MIN_DELAY_MS;
  set_state (self, PARK_LIVE_FEED_STATE_CONNECTING);
  connect_now (self);
}

/**
 * park_live_feed_stop:
 * @self: a #ParkLiveFeed
 *
 * Closes the connection and stops reconnecting. The numbers of the updates applied are kept:
 * park_live_feed_start() resumes from them.
 */
void
park_live_feed_stop (ParkLiveFeed *self)
{
  g_return_if_fail (PARK_IS_LIVE_FEED (self));

  self->running = FALSE;
  if (self->connecting != NULL)
    g_cancellable_cancel (self->connecting);
  g_clear_object (&self->connecting);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  drop_connection (self);
  set_state (self, PARK_LIVE_FEED_STATE_OFFLINE);
}

/**
 * park_live_feed_watch:
 * @self: a #ParkLiveFeed
 * @lots: (nullable): a #GListModel of #ParkLot, or %NULL to watch none
 *
 * Follows the lots in @lots (and those added to it later): their availability and status
 * change in place as the server reports them, so widgets bound to them update by
 * themselves. Replaces what was watched before.
 */
void
park_live_feed_watch (ParkLiveFeed *self,
                      GListModel   *lots)
{
  g_return_if_fail (PARK_IS_LIVE_FEED (self));
  g_return_if_fail (lots == NULL || G_IS_LIST_MODEL (lots));
  g_return_if_fail (lots == NULL ||
                    g_type_is_a (g_list_model_get_item_type (lots), PARK_TYPE_LOT));

  set_watched (self, lots, FALSE);
  send_subscribe (self);
}

/**
 * park_live_feed_watch_box:
 * @self: a #ParkLiveFeed
 * @lots: (nullable): a #GListModel of #ParkLot to keep live, e.g. the answer of
 *   park_client_search_lots_in_box_finish() for the same box, or %NULL
 * @min_longitude: the box's western edge
 * @min_latitude: its southern edge
 * @max_longitude: its eastern edge
 * @max_latitude: its northern edge
 *
 * Follows the lots in a box, as a map shows them: the lots of @lots change in place as
 * park_live_feed_watch() does, and each lot in the box that @lots lacks is announced once
 * with #ParkLiveFeed::lot-appeared. Call it again when the map moves. A box with more lots
 * than the server follows per connection (2,000) is refused and the previous subscription
 * stays.
 */
void
park_live_feed_watch_box (ParkLiveFeed *self,
                          GListModel   *lots,
                          double        min_longitude,
                          double        min_latitude,
                          double        max_longitude,
                          double        max_latitude)
{
  g_return_if_fail (PARK_IS_LIVE_FEED (self));
  g_return_if_fail (lots == NULL || G_IS_LIST_MODEL (lots));
  g_return_if_fail (lots == NULL ||
                    g_type_is_a (g_list_model_get_item_type (lots), PARK_TYPE_LOT));
  g_return_if_fail (min_longitude >= -180 && max_longitude <= 180 &&
                    min_longitude <= max_longitude);
  g_return_if_fail (min_latitude >= -90 && max_latitude <= 90 && min_latitude <= max_latitude);

  self->box[0] = min_longitude;
  self->box[1] = min_latitude;
  self->box[2] = max_longitude;
  self->box[3] = max_latitude;
  set_watched (self, lots, TRUE);
  send_subscribe (self);
}

/**
 * park_live_feed_get_seq:
 * @self: a #ParkLiveFeed
 * @lot_id: a lot's id
 *
 * The feed number of the last state of the lot applied, which a reconnection resumes from.
 *
 * Returns: the number, or -1 when the feed has heard nothing of the lot
 */
gint64
park_live_feed_get_seq (ParkLiveFeed *self,
                        const char   *lot_id)
{
  gint64 *seq;

  g_return_val_if_fail (PARK_IS_LIVE_FEED (self), -1);
  g_return_val_if_fail (lot_id != NULL, -1);

  seq = g_hash_table_lookup (self->seqs, lot_id);
  return seq != NULL ? *seq : -1;
}
