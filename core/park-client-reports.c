/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-client-reports.c: ParkClient's calls for an operator's figures: the cash report of
 * the booths and the analytics of occupancy, revenue and stays.
 */
#include "config.h"

#include <string.h>

#include "park-client-admin.h"
#include "park-admin-models-private.h"
#include "park-client-private.h"
#include "park-enums.h"
#include "park-error-private.h"

static void
add_time_param (GString    *path,
                const char *name,
                GDateTime  *time)
{
  g_autofree char *text = NULL;

  if (time == NULL)
    return;
  text = _park_client_format_time (time);
  _park_client_add_param (path, name, text);
}

/* A revenue report: its `series`, each an operator's. */
static void
handle_revenue (ParkClient *self,
                GTask      *task,
                Call       *call,
                guint       status,
                JsonObject *root,
                GBytes     *body)
{
  g_autoptr(GTask) owned = task;
  g_autoptr(GListStore) series = g_list_store_new (PARK_TYPE_REVENUE_SERIES);
  g_autoptr(GError) error = NULL;
  ParkJsonReader reader;

  if (root == NULL)
    {
      g_task_return_error (owned, _park_client_error_new_invalid_response (NULL, "no body"));
      return;
    }
  _park_json_reader_init (&reader, root, NULL);
  _park_json_get_enum (&reader, "group", PARK_TYPE_REVENUE_GROUP, 0, 0);
  _park_json_read_list (&reader, "series", 0,
                        (ParkModelParser) _park_revenue_series_new_from_json_at, series);
  if (!_park_json_reader_finish (&reader, &error))
    g_task_return_error (owned, g_steal_pointer (&error));
  else
    g_task_return_pointer (owned, g_steal_pointer (&series), g_object_unref);
}

/* Cash */

/**
 * park_client_get_cash_report_async:
 * @self: a #ParkClient
 * @operator_slug: (nullable): only this operator's (its slug); %NULL for the caller's own
 *   operator, or every operator for an admin
 * @attendant_id: (nullable): only this attendant's takings, or %NULL for every attendant
 * @from: (nullable): the start of the period, or %NULL for the start of today
 * @to: (nullable): its end, or %NULL for now
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches the cash each attendant took at the booths in a period, for the end of a shift.
 * Attendants may ask for their own takings only.
 */
void
park_client_get_cash_report_async (ParkClient          *self,
                                   const char          *operator_slug,
                                   const char          *attendant_id,
                                   GDateTime           *from,
                                   GDateTime           *to,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GString *path;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = g_string_new ("api/v1/admin/cash-report");
  if (operator_slug != NULL)
    _park_client_add_param (path, "operator", operator_slug);
  if (attendant_id != NULL)
    _park_client_add_param (path, "attendant", attendant_id);
  add_time_param (path, "from", from);
  add_time_param (path, "to", to);
  call = _park_client_model_call ("GET", g_string_free (path, FALSE),
                                  (ParkModelParser) _park_cash_report_new_from_json_at);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_get_cash_report_async);
}

/**
 * park_client_get_cash_report_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
ParkCashReport *
park_client_get_cash_report_finish (ParkClient    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_get_cash_report_async, error);
}

/* Analytics */

/**
 * park_client_get_occupancy_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @from: the start of the period
 * @to: its end (excluded): after @from, and at most 366 days later
 * @step: (nullable): the length of a step, e.g. `15m`, `1h`, `1d` (at least 5 minutes), or
 *   %NULL for an hour
 * @operator_slug: (nullable): only this operator's (its slug); %NULL for the caller's own
 *   operator, or every operator for an admin
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches how full a lot was over a period, step by step. A period too long for the steps or a
 * malformed step fails with %PARK_CLIENT_ERROR_VALIDATION naming the parameter.
 */
void
park_client_get_occupancy_async (ParkClient          *self,
                                 const char          *lot_id,
                                 GDateTime           *from,
                                 GDateTime           *to,
                                 const char          *step,
                                 const char          *operator_slug,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GString *path;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (from != NULL);
  g_return_if_fail (to != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = g_string_new ("api/v1/admin/analytics/occupancy");
  _park_client_add_param (path, "lot_id", lot_id);
  add_time_param (path, "from", from);
  add_time_param (path, "to", to);
  if (step != NULL)
    _park_client_add_param (path, "step", step);
  if (operator_slug != NULL)
    _park_client_add_param (path, "operator", operator_slug);
  call = _park_client_model_call ("GET", g_string_free (path, FALSE),
                                  (ParkModelParser) _park_occupancy_report_new_from_json_at);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_get_occupancy_async);
}

/**
 * park_client_get_occupancy_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
ParkOccupancyReport *
park_client_get_occupancy_finish (ParkClient    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_get_occupancy_async, error);
}

/**
 * park_client_get_revenue_async:
 * @self: a #ParkClient
 * @from: the start of the period
 * @to: its end (excluded): after @from, and at most 366 days later
 * @group: whether to sum by day or by lot
 * @operator_slug: (nullable): only this operator's (its slug); %NULL for the caller's own
 *   operator, or every operator for an admin
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches the money taken (payments, refunds) over a period: one series per operator and
 * currency.
 */
void
park_client_get_revenue_async (ParkClient          *self,
                               GDateTime           *from,
                               GDateTime           *to,
                               ParkRevenueGroup     group,
                               const char          *operator_slug,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GString *path;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (from != NULL);
  g_return_if_fail (to != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = g_string_new ("api/v1/admin/analytics/revenue");
  add_time_param (path, "from", from);
  add_time_param (path, "to", to);
  _park_client_add_param (path, "group", _park_client_nick_of (PARK_TYPE_REVENUE_GROUP, group));
  if (operator_slug != NULL)
    _park_client_add_param (path, "operator", operator_slug);
  call = _park_client_call_new ("GET", g_string_free (path, FALSE), handle_revenue);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_get_revenue_async);
}

/**
 * park_client_get_revenue_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a #GListModel of #ParkRevenueSeries, or %NULL with @error set
 */
GListModel *
park_client_get_revenue_finish (ParkClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_get_revenue_async, error);
}

/**
 * park_client_get_stays_report_async:
 * @self: a #ParkClient
 * @lot_id: (nullable): only this lot's stays, or %NULL for every lot
 * @from: the start of the period
 * @to: its end (excluded): after @from, and at most 366 days later
 * @operator_slug: (nullable): only this operator's (its slug); %NULL for the caller's own
 *   operator, or every operator for an admin
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches how many stays ended over a period, how long they were and the turnover per spot.
 */
void
park_client_get_stays_report_async (ParkClient          *self,
                                    const char          *lot_id,
                                    GDateTime           *from,
                                    GDateTime           *to,
                                    const char          *operator_slug,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GString *path;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (from != NULL);
  g_return_if_fail (to != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = g_string_new ("api/v1/admin/analytics/stays");
  if (lot_id != NULL)
    _park_client_add_param (path, "lot_id", lot_id);
  add_time_param (path, "from", from);
  add_time_param (path, "to", to);
  if (operator_slug != NULL)
    _park_client_add_param (path, "operator", operator_slug);
  call = _park_client_model_call ("GET", g_string_free (path, FALSE),
                                  (ParkModelParser) _park_stays_report_new_from_json_at);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_get_stays_report_async);
}

/**
 * park_client_get_stays_report_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
ParkStaysReport *
park_client_get_stays_report_finish (ParkClient    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_get_stays_report_async, error);
}

/* A CSV answer, as it came. */
static void
handle_csv (ParkClient *self,
            GTask      *task,
            Call       *call,
            guint       status,
            JsonObject *root,
            GBytes     *body)
{
  g_autoptr(GTask) owned = task;
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  /* At least a header line, and text. */
  if (data == NULL || len == 0 || memchr (data, '\n', len) == NULL ||
      !g_utf8_validate_len (data, len, NULL))
    g_task_return_error (owned, _park_client_error_new_invalid_response (NULL, "a CSV report "
                                                                         "that is not text"));
  else
    g_task_return_pointer (owned, g_bytes_ref (body), (GDestroyNotify) g_bytes_unref);
}

/**
 * park_client_get_analytics_csv_async:
 * @self: a #ParkClient
 * @report: which of the analytics
 * @lot_id: (nullable): the lot's id: required for %PARK_ANALYTICS_REPORT_OCCUPANCY, optional
 *   for the stays, not used for the revenue
 * @from: the start of the period
 * @to: its end (excluded): after @from, and at most 366 days later
 * @step: (nullable): for the occupancy, the length of a step (as for
 *   park_client_get_occupancy_async()), or %NULL for an hour; not used otherwise
 * @group: for the revenue, whether to sum by day or by lot; not used otherwise
 * @operator_slug: (nullable): only this operator's (its slug); %NULL for the caller's own
 *   operator, or every operator for an admin
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches one of the analytics as the server writes it in CSV (RFC 4180, a header line
 * first), for a spreadsheet: the same figures as park_client_get_occupancy_async(),
 * park_client_get_revenue_async() and park_client_get_stays_report_async().
 */
void
park_client_get_analytics_csv_async (ParkClient          *self,
                                     ParkAnalyticsReport  report,
                                     const char          *lot_id,
                                     GDateTime           *from,
                                     GDateTime           *to,
                                     const char          *step,
                                     ParkRevenueGroup     group,
                                     const char          *operator_slug,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GString *path;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (report != PARK_ANALYTICS_REPORT_OCCUPANCY || lot_id != NULL);
  g_return_if_fail (from != NULL);
  g_return_if_fail (to != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = g_string_new ("api/v1/admin/analytics/");
  g_string_append (path, _park_client_nick_of (PARK_TYPE_ANALYTICS_REPORT, report));
  if (lot_id != NULL && report != PARK_ANALYTICS_REPORT_REVENUE)
    _park_client_add_param (path, "lot_id", lot_id);
  add_time_param (path, "from", from);
  add_time_param (path, "to", to);
  if (step != NULL && report == PARK_ANALYTICS_REPORT_OCCUPANCY)
    _park_client_add_param (path, "step", step);
  if (report == PARK_ANALYTICS_REPORT_REVENUE)
    _park_client_add_param (path, "group", _park_client_nick_of (PARK_TYPE_REVENUE_GROUP, group));
  if (operator_slug != NULL)
    _park_client_add_param (path, "operator", operator_slug);
  call = _park_client_call_new ("GET", g_string_free (path, FALSE), handle_csv);
  call->accept = "text/csv";
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_get_analytics_csv_async);
}

/**
 * park_client_get_analytics_csv_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the CSV text, or %NULL with @error set
 */
GBytes *
park_client_get_analytics_csv_finish (ParkClient    *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_get_analytics_csv_async, error);
}
