/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-client-booth.c: ParkClient's calls for the attendant's booth: check-in, stays,
 * check-out. */
#include "config.h"

#include "park-client-private.h"
#include "park-enums.h"
#include "park-error-private.h"
#include "park-json-private.h"
#include "park-models-private.h"

/**
 * park_client_check_in_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @plate: the car's number plate
 * @spot_id: (nullable): the spot to give, or %NULL for the first free regular one
 * @reservation_code: (nullable): the code of the car's booking (its spot is used), or %NULL
 *   for a walk-in
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Checks a car in at the booth (staff only): a walk-in sale, or a confirmed booking by its
 * code. Print the stay's ticket (#ParkSession:ticket).
 */
void
park_client_check_in_async (ParkClient          *self,
                            const char          *lot_id,
                            const char          *plate,
                            const char          *spot_id,
                            const char          *reservation_code,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (plate != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  _park_client_add_string_member (builder, "parking_lot_id", lot_id);
  _park_client_add_string_member (builder, "plate", plate);
  _park_client_add_string_member (builder, "parking_spot_id", spot_id);
  _park_client_add_string_member (builder, "reservation_code", reservation_code);
  json_builder_end_object (builder);

  call = _park_client_model_call ("POST", g_strdup ("api/v1/sessions"),
                                  (ParkModelParser) _park_session_new_from_json_at);
  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_check_in_async);
}

/**
 * park_client_check_in_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the stay, or %NULL with @error set
 */
ParkSession *
park_client_check_in_finish (ParkClient    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_check_in_async, error);
}

/**
 * park_client_get_session_async:
 * @self: a #ParkClient
 * @session_id: the stay's id or its ticket (any case)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches one stay (staff only).
 */
void
park_client_get_session_async (ParkClient          *self,
                               const char          *session_id,
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
  call = _park_client_model_call ("GET", g_strconcat ("api/v1/sessions/", id, NULL),
                                  (ParkModelParser) _park_session_new_from_json_at);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_get_session_async);
}

/**
 * park_client_get_session_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the stay, or %NULL with @error set
 */
ParkSession *
park_client_get_session_finish (ParkClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_get_session_async, error);
}

/**
 * park_client_find_sessions_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @plate: the number plate (only its letters and digits count)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Finds the active stays of a car at a lot by its plate, for a lost ticket (staff only).
 */
void
park_client_find_sessions_async (ParkClient          *self,
                                 const char          *lot_id,
                                 const char          *plate,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GString *path;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (plate != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = g_string_new ("api/v1/sessions");
  _park_client_add_param (path, "parking_lot_id", lot_id);
  _park_client_add_param (path, "plate", plate);
  call = _park_client_list_call (g_string_free (path, FALSE),
                                 (ParkModelParser) _park_session_new_from_json_at,
                                 PARK_TYPE_SESSION, 0);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_find_sessions_async);
}

/**
 * park_client_find_sessions_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a #GListModel of #ParkSession, or %NULL with @error set
 */
GListModel *
park_client_find_sessions_finish (ParkClient    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_find_sessions_async, error);
}

/**
 * park_client_list_stay_payments_async:
 * @self: a #ParkClient
 * @session_id: the stay's id, or its ticket
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads a stay's payments, oldest first (staff only): the ids of their receipts, to print
 * one again for a stay paid earlier.
 */
void
park_client_list_stay_payments_async (ParkClient          *self,
                                      const char          *session_id,
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
  call = _park_client_list_call (g_strconcat ("api/v1/sessions/", id, "/payments", NULL),
                                 (ParkModelParser) _park_payment_new_from_json_at,
                                 PARK_TYPE_PAYMENT, 0);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_list_stay_payments_async);
}

/**
 * park_client_list_stay_payments_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a #GListModel of #ParkPayment, or %NULL with @error set
 */
GListModel *
park_client_list_stay_payments_finish (ParkClient    *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_list_stay_payments_async, error);
}

typedef struct
{
  ParkSession *session;
  gint64       fee;
  gint64       change;
  char        *payment_id;
} CheckOutResult;

static void
check_out_result_free (CheckOutResult *result)
{
  g_clear_object (&result->session);
  g_free (result->payment_id);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CheckOutResult, check_out_result_free)

static void
handle_check_out (ParkClient *self,
                  GTask      *task,
                  Call       *call,
                  guint       status,
                  JsonObject *root,
                  GBytes     *body)
{
  g_autoptr(GTask) owned = task;
  g_autoptr(CheckOutResult) out = g_new0 (CheckOutResult, 1);
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
  _park_json_get_int (&reader, "tendered", 0, G_MAXINT64, PARK_JSON_NULLABLE, -1);
  out->change = _park_json_get_int (&reader, "change", 0, G_MAXINT64, 0, 0);
  out->payment_id = _park_json_dup_string (&reader, "payment_id",
                                           PARK_JSON_NULLABLE | PARK_JSON_NONEMPTY);
  if (!_park_json_reader_finish (&reader, &error))
    g_task_return_error (owned, g_steal_pointer (&error));
  else
    g_task_return_pointer (owned, g_steal_pointer (&out), (GDestroyNotify) check_out_result_free);
}

/* The body of a check-out: a card (@payment_method) or cash (@tendered, -1: none handed
 * over), a lost ticket, a validation or discount code. */
static JsonBuilder *
check_out_body (const char *payment_method,
                gint64      tendered,
                gboolean    lost_ticket,
                const char *validation_code)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  if (payment_method != NULL)
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
  _park_client_add_string_member (builder, "validation_code", validation_code);
  json_builder_end_object (builder);
  return builder;
}

/* @idempotency_key: the caller's, kept for its own retries; NULL: one for this call. */
static Call *
check_out_call (const char  *session_id,
                JsonBuilder *builder,
                const char  *idempotency_key)
{
  g_autofree char *id = _park_client_segment (session_id);
  Call *call = _park_client_call_new ("POST",
                                      g_strdup_printf ("api/v1/sessions/%s/check-out", id),
                                      handle_check_out);

  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  /* A retry after a lost answer (or a refreshed sign-in) is answered as the first try: the
   * car is neither charged twice nor let out by the retry. */
  call->idempotency_key = idempotency_key != NULL ? g_strdup (idempotency_key)
                                                  : g_uuid_string_random ();
  return call;
}

/**
 * park_client_check_out_async:
 * @self: a #ParkClient
 * @session_id: the stay's id or its ticket
 * @tendered: cash handed over in minor units, or -1 when nothing is due
 * @lost_ticket: whether the ticket is lost (at least the lot's lost-ticket fee is due)
 * @validation_code: (nullable): a shop's validation or a discount code, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Checks a car out at the booth, taking its fee in cash (staff only). When a fee is due and
 * @tendered is missing or too little, this fails with %PARK_CLIENT_ERROR_VALIDATION (field
 * `tendered`).
 */
void
park_client_check_out_async (ParkClient          *self,
                             const char          *session_id,
                             gint64               tendered,
                             gboolean             lost_ticket,
                             const char          *validation_code,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);
  g_return_if_fail (tendered >= -1);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  builder = check_out_body (NULL, tendered, lost_ticket, validation_code);
  _park_client_start (self, check_out_call (session_id, builder, NULL), cancellable, callback,
                      user_data, park_client_check_out_async);
}

/**
 * park_client_check_out_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @change: (out) (optional): the change to hand back, in minor units
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the stay, completed, with its fee and breakdown, or %NULL with
 *   @error set
 */
ParkSession *
park_client_check_out_finish (ParkClient    *self,
                              GAsyncResult  *result,
                              gint64        *change,
                              GError       **error)
{
  g_autoptr(CheckOutResult) out = _park_client_finish_pointer (self, result,
                                                               park_client_check_out_async,
                                                               error);

  if (out == NULL)
    return NULL;
  if (change != NULL)
    *change = out->change;
  return g_steal_pointer (&out->session);
}

/**
 * park_client_check_out_by_card_async:
 * @self: a #ParkClient
 * @session_id: the stay's id or its ticket
 * @payment_method: the card's Stripe payment method token (`pm_…`) from the card terminal
 * @lost_ticket: whether the ticket is lost (at least the lot's lost-ticket fee is due)
 * @validation_code: (nullable): a shop's validation or a discount code, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Checks a car out at the booth, charging its fee to a card through Stripe (staff only). As
 * with cash this is two steps: an active stay is paid (#PARK_SESSION_STATUS_PAID, with its
 * #ParkSession:leave-by), and the same call on the paid stay lets the car out (nothing is
 * charged within the exit grace). When nothing is due no card is charged.
 *
 * A declined card fails with %PARK_CLIENT_ERROR_VALIDATION (`card-declined`, field
 * `payment_method`) and a card that needs its holder's confirmation with `card-not-completed`;
 * the stay is unpaid then, to be paid again with another card or in cash. Without card
 * payments on the server this fails with %PARK_CLIENT_ERROR_UNAVAILABLE
 * (`card-payments-off`): take cash.
 */
void
park_client_check_out_by_card_async (ParkClient          *self,
                                     const char          *session_id,
                                     const char          *payment_method,
                                     gboolean             lost_ticket,
                                     const char          *validation_code,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);
  g_return_if_fail (payment_method != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  builder = check_out_body (payment_method, -1, lost_ticket, validation_code);
  _park_client_start (self, check_out_call (session_id, builder, NULL), cancellable, callback,
                      user_data, park_client_check_out_by_card_async);
}

/**
 * park_client_check_out_by_card_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @fee: (out) (optional): what this check-out took, in minor units
 * @payment_id: (out) (optional) (transfer full) (nullable): the payment recorded, for its
 *   receipt (park_client_get_receipt_async()), or %NULL when a paid car left in time
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the stay, paid or completed, or %NULL with @error set
 */
ParkSession *
park_client_check_out_by_card_finish (ParkClient    *self,
                                      GAsyncResult  *result,
                                      gint64        *fee,
                                      char         **payment_id,
                                      GError       **error)
{
  g_autoptr(CheckOutResult) out = _park_client_finish_pointer (self, result,
                                                               park_client_check_out_by_card_async,
                                                               error);

  if (out == NULL)
    return NULL;
  if (fee != NULL)
    *fee = out->fee;
  if (payment_id != NULL)
    *payment_id = g_steal_pointer (&out->payment_id);
  return g_steal_pointer (&out->session);
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
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);
  g_return_if_fail (tendered >= -1);
  g_return_if_fail (provider != PARK_PAYMENT_PROVIDER_STRIPE || payment_method != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  builder = check_out_body (provider == PARK_PAYMENT_PROVIDER_STRIPE ? payment_method : NULL,
                            tendered, lost_ticket, NULL);
  _park_client_start (self, check_out_call (session_id, builder, idempotency_key), cancellable,
                      callback, user_data, park_client_pay_stay_async);
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
  g_autoptr(CheckOutResult) out = _park_client_finish_pointer (self, result,
                                                               park_client_pay_stay_async,
                                                               error);

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
 * park_client_set_spot_state_async:
 * @self: a #ParkClient
 * @spot_id: the spot's id
 * @state: its new state, e.g. %PARK_SPOT_STATE_OUT_OF_SERVICE
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Marks a spot available, occupied, reserved or out of service, as an attendant does from
 * the booth (staff of the lot's operator only). The change reaches every live feed.
 */
/* PATCH the spot's state, with the attendant's reason when there is one (kept in the
 * operator's audit log). */
static Call *
spot_state_call (const char    *spot_id,
                 ParkSpotState  state,
                 const char    *reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *id = _park_client_segment (spot_id);
  Call *call;

  json_builder_begin_object (builder);
  _park_client_add_string_member (builder, "state",
                                  _park_client_nick_of (PARK_TYPE_SPOT_STATE, state));
  if (reason != NULL && *reason != '\0')
    _park_client_add_string_member (builder, "reason", reason);
  json_builder_end_object (builder);

  call = _park_client_model_call ("PATCH", g_strconcat ("api/v1/admin/spots/", id, NULL),
                                  (ParkModelParser) _park_spot_new_from_json_at);
  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  return call;
}

void
park_client_set_spot_state_async (ParkClient          *self,
                                  const char          *spot_id,
                                  ParkSpotState        state,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (spot_id != NULL);
  g_return_if_fail (state >= PARK_SPOT_STATE_AVAILABLE &&
                    state <= PARK_SPOT_STATE_OUT_OF_SERVICE);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  _park_client_start (self, spot_state_call (spot_id, state, NULL), cancellable, callback,
                      user_data, park_client_set_spot_state_async);
}

/**
 * park_client_set_spot_state_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the spot as changed, or %NULL with @error set
 */
ParkSpot *
park_client_set_spot_state_finish (ParkClient    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_set_spot_state_async, error);
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
  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (spot_id != NULL);
  g_return_if_fail (state >= PARK_SPOT_STATE_AVAILABLE &&
                    state <= PARK_SPOT_STATE_OUT_OF_SERVICE);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  _park_client_start (self, spot_state_call (spot_id, state, reason), cancellable, callback,
                      user_data, park_client_mark_spot_async);
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
