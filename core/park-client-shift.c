/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-client-shift.c: ParkClient's calls for the attendant's drawer: open a shift with a
 * float, read the open one, close it with the cash counted, and its report.
 */
#include "config.h"

#include "park-client-private.h"
#include "park-error-private.h"
#include "park-json-private.h"
#include "park-shift-private.h"

/**
 * park_client_open_shift_async:
 * @self: a #ParkClient
 * @float_amount: the cash in the drawer at opening, in minor units
 * @lot_id: (nullable): the booth's lot, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Opens the signed-in attendant's shift. Cash they take while it is open is attributed to
 * it. Fails with %PARK_CLIENT_ERROR_CONFLICT (problem code `shift-open`) when one is open.
 */
void
park_client_open_shift_async (ParkClient          *self,
                              gint64               float_amount,
                              const char          *lot_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (float_amount >= 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "float");
  json_builder_add_int_value (builder, float_amount);
  _park_client_add_string_member (builder, "parking_lot_id", lot_id);
  json_builder_end_object (builder);

  call = _park_client_model_call ("POST", g_strdup ("api/v1/shifts"),
                                  (ParkModelParser) _park_shift_new_from_json_at);
  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_open_shift_async);
}

/**
 * park_client_open_shift_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the open shift, or %NULL with @error set
 */
ParkShift *
park_client_open_shift_finish (ParkClient    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_open_shift_async, error);
}

/**
 * park_client_get_current_shift_async:
 * @self: a #ParkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads the signed-in attendant's open shift with its totals so far. Fails with
 * %PARK_CLIENT_ERROR_NOT_FOUND (problem code `no-open-shift`) when none is open.
 */
void
park_client_get_current_shift_async (ParkClient          *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = _park_client_model_call ("GET", g_strdup ("api/v1/shifts/current"),
                                  (ParkModelParser) _park_shift_new_from_json_at);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_get_current_shift_async);
}

/**
 * park_client_get_current_shift_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the open shift, or %NULL with @error set
 */
ParkShift *
park_client_get_current_shift_finish (ParkClient    *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_get_current_shift_async, error);
}

/**
 * park_client_close_shift_async:
 * @self: a #ParkClient
 * @shift_id: the shift's id
 * @counted: the cash counted in the drawer, in minor units
 * @note: (nullable): a note about the difference, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Closes the attendant's shift. The answer has the expected total and the difference.
 */
void
park_client_close_shift_async (ParkClient          *self,
                               const char          *shift_id,
                               gint64               counted,
                               const char          *note,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *id = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (shift_id != NULL);
  g_return_if_fail (counted >= 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "counted");
  json_builder_add_int_value (builder, counted);
  if (note != NULL && *note != '\0')
    _park_client_add_string_member (builder, "note", note);
  json_builder_end_object (builder);

  id = _park_client_segment (shift_id);
  call = _park_client_model_call ("POST", g_strdup_printf ("api/v1/shifts/%s/close", id),
                                  (ParkModelParser) _park_shift_new_from_json_at);
  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_close_shift_async);
}

/**
 * park_client_close_shift_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the closed shift, or %NULL with @error set
 */
ParkShift *
park_client_close_shift_finish (ParkClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_close_shift_async, error);
}

typedef struct
{
  ParkShift  *shift;
  GListStore *entries;
} ShiftReport;

static void
shift_report_free (ShiftReport *report)
{
  g_clear_object (&report->shift);
  g_clear_object (&report->entries);
  g_free (report);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShiftReport, shift_report_free)

static void
handle_shift_report (ParkClient *self,
                     GTask      *task,
                     Call       *call,
                     guint       status,
                     JsonObject *root,
                     GBytes     *body)
{
  g_autoptr(GTask) owned = task;
  g_autoptr(ShiftReport) out = g_new0 (ShiftReport, 1);
  g_autoptr(GError) error = NULL;
  ParkJsonReader reader;
  JsonArray *entries;

  if (root == NULL)
    {
      g_task_return_error (owned, _park_client_error_new_invalid_response (NULL, "no body"));
      return;
    }
  out->entries = g_list_store_new (PARK_TYPE_SHIFT_ENTRY);
  _park_json_reader_init (&reader, root, NULL);
  out->shift = _park_json_read_model (&reader, "shift", 0,
                                      (ParkModelParser) _park_shift_new_from_json_at);
  entries = _park_json_get_array (&reader, "entries", 0);
  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    {
      g_autofree char *path = NULL;
      g_autoptr(ParkShiftEntry) entry = NULL;
      JsonObject *item = _park_json_array_get_object (&reader, "entries", entries, i, &path);

      if (item == NULL ||
          (entry = _park_shift_entry_new_from_json_at (item, path, reader.error)) == NULL)
        break;
      g_list_store_append (out->entries, entry);
    }
  if (!_park_json_reader_finish (&reader, &error))
    g_task_return_error (owned, g_steal_pointer (&error));
  else
    g_task_return_pointer (owned, g_steal_pointer (&out), (GDestroyNotify) shift_report_free);
}

/**
 * park_client_get_shift_report_async:
 * @self: a #ParkClient
 * @shift_id: the shift's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads a shift with every payment and refund attributed to it.
 */
void
park_client_get_shift_report_async (ParkClient          *self,
                                    const char          *shift_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *id = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (shift_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  id = _park_client_segment (shift_id);
  call = _park_client_call_new ("GET", g_strconcat ("api/v1/shifts/", id, NULL),
                                handle_shift_report);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_get_shift_report_async);
}

/**
 * park_client_get_shift_report_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @entries: (out) (optional) (transfer full): a #GListModel of #ParkShiftEntry, oldest first
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the shift, or %NULL with @error set
 */
ParkShift *
park_client_get_shift_report_finish (ParkClient    *self,
                                     GAsyncResult  *result,
                                     GListModel   **entries,
                                     GError       **error)
{
  g_autoptr(ShiftReport) out = _park_client_finish_pointer (self, result,
                                                            park_client_get_shift_report_async,
                                                            error);

  if (out == NULL)
    return NULL;
  if (entries != NULL)
    *entries = G_LIST_MODEL (g_steal_pointer (&out->entries));
  return g_steal_pointer (&out->shift);
}
