/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-client-board.c: ParkClient's calls for the booth beyond check-in: the lot's board
 * (arrivals, overstays, search), a check-out that says everything the booth must hand over
 * (fee, change, the payment for the receipt; cash or card), and a spot taken out of
 * service with its reason.
 */
#include "config.h"

#include "park-client-private.h"
#include "park-enums.h"
#include "park-error-private.h"
#include "park-json-private.h"
#include "park-models-private.h"
#include "park-shift-private.h"

typedef struct
{
  GListStore *lists[3];   /* arrivals, overstays, matches */
} Board;

static void
board_free (Board *board)
{
  for (guint i = 0; i < G_N_ELEMENTS (board->lists); i++)
    g_clear_object (&board->lists[i]);
  g_free (board);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Board, board_free)

static void
handle_board (ParkClient *self,
              GTask      *task,
              Call       *call,
              guint       status,
              JsonObject *root,
              GBytes     *body)
{
  static const char * const names[] = { "arrivals", "overstays", "matches" };
  g_autoptr(GTask) owned = task;
  g_autoptr(Board) out = g_new0 (Board, 1);
  g_autoptr(GError) error = NULL;
  ParkJsonReader reader;

  if (root == NULL)
    {
      g_task_return_error (owned, _park_client_error_new_invalid_response (NULL, "no body"));
      return;
    }
  _park_json_reader_init (&reader, root, NULL);
  for (guint l = 0; l < G_N_ELEMENTS (names); l++)
    {
      JsonArray *array = _park_json_get_array (&reader, names[l], 0);

      out->lists[l] = g_list_store_new (PARK_TYPE_BOARD_ITEM);
      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          g_autofree char *path = NULL;
          g_autoptr(ParkBoardItem) item = NULL;
          JsonObject *object = _park_json_array_get_object (&reader, names[l], array, i, &path);

          if (object == NULL ||
              (item = _park_board_item_new_from_json_at (object, path, reader.error)) == NULL)
            break;
          g_list_store_append (out->lists[l], item);
        }
    }
  if (!_park_json_reader_finish (&reader, &error))
    g_task_return_error (owned, g_steal_pointer (&error));
  else
    g_task_return_pointer (owned, g_steal_pointer (&out), (GDestroyNotify) board_free);
}

/**
 * park_client_get_board_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @query: (nullable): a code, ticket, plate or name to search for, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads the booth's board of a lot (staff only): bookings arriving within the hour, cars
 * past their time and, with @query, the bookings and stays matching it.
 */
void
park_client_get_board_async (ParkClient          *self,
                             const char          *lot_id,
                             const char          *query,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *id = NULL;
  GString *path;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  id = _park_client_segment (lot_id);
  path = g_string_new (NULL);
  g_string_printf (path, "api/v1/parking-lots/%s/board", id);
  if (query != NULL && *query != '\0')
    _park_client_add_param (path, "q", query);
  call = _park_client_call_new ("GET", g_string_free (path, FALSE), handle_board);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_get_board_async);
}

/**
 * park_client_get_board_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @arrivals: (out) (optional) (transfer full): a #GListModel of #ParkBoardItem
 * @overstays: (out) (optional) (transfer full): a #GListModel of #ParkBoardItem
 * @matches: (out) (optional) (transfer full): a #GListModel of #ParkBoardItem, empty
 *   without a query
 * @error: return location for a #GError
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
park_client_get_board_finish (ParkClient    *self,
                              GAsyncResult  *result,
                              GListModel   **arrivals,
                              GListModel   **overstays,
                              GListModel   **matches,
                              GError       **error)
{
  g_autoptr(Board) out = _park_client_finish_pointer (self, result, park_client_get_board_async,
                                                      error);
  GListModel **slots[] = { arrivals, overstays, matches };

  if (out == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (slots); i++)
    if (slots[i] != NULL)
      *slots[i] = G_LIST_MODEL (g_steal_pointer (&out->lists[i]));
  return TRUE;
}

typedef struct
{
  ParkSession *session;
  gint64       fee;
  gint64       tendered;
  gint64       change;
  char        *payment_id;
} StayPayment;

static void
stay_payment_free (StayPayment *p)
{
  g_clear_object (&p->session);
  g_free (p->payment_id);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StayPayment, stay_payment_free)

static void
handle_pay_stay (ParkClient *self,
                 GTask      *task,
                 Call       *call,
                 guint       status,
                 JsonObject *root,
                 GBytes     *body)
{
  g_autoptr(GTask) owned = task;
  g_autoptr(StayPayment) out = g_new0 (StayPayment, 1);
  g_autoptr(GError) error = NULL;
  ParkJsonReader reader;

  if (root == NULL)
    {
      g_task_return_error (owned, _park_client_error_new_invalid_response (NULL, "no body"));
      return;
    }
  _park_json_reader_init (&reader, root, NULL);
  out->session = _park_json_read_model (&reader, "session", 0,
                                        (ParkModelParser) _park_session_new_from_json_at);
  out->fee = _park_json_get_int (&reader, "fee", 0, G_MAXINT64, 0, 0);
  out->tendered = _park_json_get_int (&reader, "tendered", 0, G_MAXINT64, PARK_JSON_NULLABLE, -1);
  out->change = _park_json_get_int (&reader, "change", 0, G_MAXINT64, 0, 0);
  out->payment_id = _park_json_dup_string (&reader, "payment_id", PARK_JSON_NULLABLE);
  if (!_park_json_reader_finish (&reader, &error))
    g_task_return_error (owned, g_steal_pointer (&error));
  else
    g_task_return_pointer (owned, g_steal_pointer (&out), (GDestroyNotify) stay_payment_free);
}

/**
 * park_client_pay_stay_async:
 * @self: a #ParkClient
 * @session_id: the stay's id or its ticket
 * @provider: %PARK_PAYMENT_PROVIDER_CASH or %PARK_PAYMENT_PROVIDER_STRIPE
 * @payment_method: (nullable): the card's payment method, for Stripe
 * @tendered: cash handed over in minor units, or -1 (nothing due, or a card)
 * @lost_ticket: whether the ticket is lost
 * @idempotency_key: (nullable): a key the caller keeps for retries of this payment
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * One step of a check-out at the booth (staff only): an active stay pays and becomes paid;
 * a paid stay leaves. Unlike park_client_check_out_async() the answer keeps what the booth
 * hands over: the fee, the change and the payment whose receipt to print. A declined card
 * fails with %PARK_CLIENT_ERROR_VALIDATION and leaves the stay payable in cash.
 */
void
park_client_pay_stay_async (ParkClient          *self,
                            const char          *session_id,
                            ParkPaymentProvider  provider,
                            const char          *payment_method,
                            gint64               tendered,
                            gboolean             lost_ticket,
                            const char          *idempotency_key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *id = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);
  g_return_if_fail (tendered >= -1);
  g_return_if_fail (provider != PARK_PAYMENT_PROVIDER_STRIPE || payment_method != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  if (provider == PARK_PAYMENT_PROVIDER_STRIPE)
    {
      _park_client_add_string_member (builder, "provider", "stripe");
      _park_client_add_string_member (builder, "payment_method", payment_method);
    }
  else if (tendered >= 0)
    {
      json_builder_set_member_name (builder, "tendered");
      json_builder_add_int_value (builder, tendered);
    }
  if (lost_ticket)
    {
      json_builder_set_member_name (builder, "lost_ticket");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);

  id = _park_client_segment (session_id);
  call = _park_client_call_new ("POST", g_strdup_printf ("api/v1/sessions/%s/check-out", id),
                                handle_pay_stay);
  call->body = _park_client_body_from_builder (builder);
  call->idempotency_key = g_strdup (idempotency_key);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_pay_stay_async);
}

/**
 * park_client_pay_stay_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @fee: (out) (optional): what this step took, in minor units
 * @change: (out) (optional): the change to hand back
 * @payment_id: (out) (optional) (transfer full) (nullable): the payment, for its receipt;
 *   %NULL when nothing was recorded
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the stay as it is now, or %NULL with @error set
 */
ParkSession *
park_client_pay_stay_finish (ParkClient    *self,
                             GAsyncResult  *result,
                             gint64        *fee,
                             gint64        *change,
                             char         **payment_id,
                             GError       **error)
{
  g_autoptr(StayPayment) out = _park_client_finish_pointer (self, result,
                                                            park_client_pay_stay_async, error);

  if (out == NULL)
    return NULL;
  if (fee != NULL)
    *fee = out->fee;
  if (change != NULL)
    *change = out->change;
  if (payment_id != NULL)
    *payment_id = g_steal_pointer (&out->payment_id);
  return g_steal_pointer (&out->session);
}

/**
 * park_client_mark_spot_async:
 * @self: a #ParkClient
 * @spot_id: the spot's id
 * @state: its new state
 * @reason: (nullable): why, kept in the operator's audit log
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * As park_client_set_spot_state_async(), with the reason an attendant gives for taking a
 * spot out of service (or back).
 */
void
park_client_mark_spot_async (ParkClient          *self,
                             const char          *spot_id,
                             ParkSpotState        state,
                             const char          *reason,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *id = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (spot_id != NULL);
  g_return_if_fail (state >= PARK_SPOT_STATE_AVAILABLE &&
                    state <= PARK_SPOT_STATE_OUT_OF_SERVICE);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  _park_client_add_string_member (builder, "state",
                                  _park_client_nick_of (PARK_TYPE_SPOT_STATE, state));
  if (reason != NULL && *reason != '\0')
    _park_client_add_string_member (builder, "reason", reason);
  json_builder_end_object (builder);

  id = _park_client_segment (spot_id);
  call = _park_client_model_call ("PATCH", g_strconcat ("api/v1/admin/spots/", id, NULL),
                                  (ParkModelParser) _park_spot_new_from_json_at);
  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_mark_spot_async);
}

/**
 * park_client_mark_spot_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the spot as changed, or %NULL with @error set
 */
ParkSpot *
park_client_mark_spot_finish (ParkClient    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_mark_spot_async, error);
}

typedef struct
{
  ParkPriceBreakdown *breakdown;
  gint64              fee;
} StayFee;

static void
stay_fee_free (StayFee *f)
{
  g_clear_object (&f->breakdown);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StayFee, stay_fee_free)

static void
handle_stay_fee (ParkClient *self,
                 GTask      *task,
                 Call       *call,
                 guint       status,
                 JsonObject *root,
                 GBytes     *body)
{
  g_autoptr(GTask) owned = task;
  g_autoptr(StayFee) out = g_new0 (StayFee, 1);
  g_autoptr(GError) error = NULL;
  ParkJsonReader reader;

  if (root == NULL)
    {
      g_task_return_error (owned, _park_client_error_new_invalid_response (NULL, "no body"));
      return;
    }
  _park_json_reader_init (&reader, root, NULL);
  out->fee = _park_json_get_int (&reader, "fee", 0, G_MAXINT64, 0, 0);
  out->breakdown = _park_json_read_model (&reader, "breakdown", 0,
                                          (ParkModelParser) _park_price_breakdown_new_fee_from_json_at);
  if (!_park_json_reader_finish (&reader, &error))
    g_task_return_error (owned, g_steal_pointer (&error));
  else
    g_task_return_pointer (owned, g_steal_pointer (&out), (GDestroyNotify) stay_fee_free);
}

/**
 * park_client_get_stay_fee_async:
 * @self: a #ParkClient
 * @session_id: the stay's id or its ticket
 * @lost_ticket: whether the ticket is lost
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * What checking the stay out would take now, with its breakdown (staff only); changes
 * nothing.
 */
void
park_client_get_stay_fee_async (ParkClient          *self,
                                const char          *session_id,
                                gboolean             lost_ticket,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *id = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  id = _park_client_segment (session_id);
  call = _park_client_call_new ("GET", g_strdup_printf ("api/v1/sessions/%s/fee%s", id,
                                                        lost_ticket ? "?lost_ticket=true" : ""),
                                handle_stay_fee);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_get_stay_fee_async);
}

/**
 * park_client_get_stay_fee_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @fee: (out) (optional): the fee in minor units
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the fee's breakdown, or %NULL with @error set
 */
ParkPriceBreakdown *
park_client_get_stay_fee_finish (ParkClient    *self,
                                 GAsyncResult  *result,
                                 gint64        *fee,
                                 GError       **error)
{
  g_autoptr(StayFee) out = _park_client_finish_pointer (self, result,
                                                        park_client_get_stay_fee_async, error);

  if (out == NULL)
    return NULL;
  if (fee != NULL)
    *fee = out->fee;
  return g_steal_pointer (&out->breakdown);
}
