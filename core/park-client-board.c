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
