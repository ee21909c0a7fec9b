/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-client-lots.c: ParkClient's calls about lots: search, detail, spots, availability,
 * quotes. */
#include "config.h"

#include "park-client-private.h"
#include "park-enums.h"
#include "park-error-private.h"
#include "park-json-private.h"
#include "park-models-private.h"

/**
 * park_client_get_info_async:
 * @self: a #ParkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Asks what the server serves: its version, counts, and the box around its lots to fit a map
 * at once (`GET /api/v1/info`).
 */
void
park_client_get_info_async (ParkClient          *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  ParkModelParser parser = (ParkModelParser) _park_server_info_new_from_json_at;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  _park_client_start (self, _park_client_model_call ("GET", g_strdup ("api/v1/info"), parser),
                      cancellable, callback, user_data, park_client_get_info_async);
}

/**
 * park_client_get_info_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the server's description, or %NULL with @error set
 */
ParkServerInfo *
park_client_get_info_finish (ParkClient    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_get_info_async, error);
}

static void
search_lots (ParkClient          *self,
             GString             *path,
             ParkSpotType         spot_type,
             ParkSearchFlags      flags,
             guint                max_results,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  char per_page[16];
  Call *call;

  if (spot_type != PARK_SPOT_TYPE_ANY)
    _park_client_add_param (path, "spot_type", _park_client_nick_of (PARK_TYPE_SPOT_TYPE,
                                                                     spot_type));
  if (flags & PARK_SEARCH_FLAGS_AVAILABLE_ONLY)
    _park_client_add_param (path, "available_only", "true");
  g_snprintf (per_page, sizeof per_page, "%u", max_results > 0 ? MIN (max_results, 100) : 100);
  _park_client_add_param (path, "per_page", per_page);

  call = _park_client_list_call (g_string_free (path, FALSE),
                                 (ParkModelParser) _park_lot_new_from_json_at,
                                 PARK_TYPE_LOT, max_results);
  call->cache = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, source_tag);
}

/**
 * park_client_search_lots_near_async:
 * @self: a #ParkClient
 * @latitude: latitude of the point to search around (WGS 84)
 * @longitude: longitude of that point
 * @radius_m: how far to look, in metres (1 to 100,000)
 * @spot_type: only lots with spots of this type, or %PARK_SPOT_TYPE_ANY
 * @flags: #ParkSearchFlags
 * @max_results: the most lots wanted, or 0 for all (fetched page by page)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Finds lots around a point, nearest first, each with its distance
 * (#ParkLot:distance) and live availability. Finish with park_client_search_lots_finish().
 */
void
park_client_search_lots_near_async (ParkClient          *self,
                                    double               latitude,
                                    double               longitude,
                                    double               radius_m,
                                    ParkSpotType         spot_type,
                                    ParkSearchFlags      flags,
                                    guint                max_results,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GString *path;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (latitude >= -90 && latitude <= 90);
  g_return_if_fail (longitude >= -180 && longitude <= 180);
  g_return_if_fail (radius_m >= 1 && radius_m <= 100000);
  g_return_if_fail (spot_type >= PARK_SPOT_TYPE_ANY && spot_type < PARK_N_SPOT_TYPES);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = g_string_new ("api/v1/parking-lots");
  _park_client_add_param_double (path, "lat", latitude);
  _park_client_add_param_double (path, "lng", longitude);
  _park_client_add_param_double (path, "radius", radius_m);
  search_lots (self, path, spot_type, flags, max_results, cancellable, callback, user_data,
               park_client_search_lots_near_async);
}

/**
 * park_client_search_lots_in_box_async:
 * @self: a #ParkClient
 * @min_longitude: the west edge of the box
 * @min_latitude: the south edge
 * @max_longitude: the east edge
 * @max_latitude: the north edge
 * @spot_type: only lots with spots of this type, or %PARK_SPOT_TYPE_ANY
 * @flags: #ParkSearchFlags
 * @max_results: the most lots wanted, or 0 for all (fetched page by page)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Finds the lots in a box, such as the part of the map on screen, nearest to its centre
 * first. Finish with park_client_search_lots_finish().
 */
void
park_client_search_lots_in_box_async (ParkClient          *self,
                                      double               min_longitude,
                                      double               min_latitude,
                                      double               max_longitude,
                                      double               max_latitude,
                                      ParkSpotType         spot_type,
                                      ParkSearchFlags      flags,
                                      guint                max_results,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GString *path;
  char buf[4][G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *bbox = NULL;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (min_latitude >= -90 && max_latitude <= 90 && min_latitude <= max_latitude);
  g_return_if_fail (min_longitude >= -180 && max_longitude <= 180);
  g_return_if_fail (spot_type >= PARK_SPOT_TYPE_ANY && spot_type < PARK_N_SPOT_TYPES);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  bbox = g_strjoin (",",
                    g_ascii_dtostr (buf[0], sizeof buf[0], min_longitude),
                    g_ascii_dtostr (buf[1], sizeof buf[1], min_latitude),
                    g_ascii_dtostr (buf[2], sizeof buf[2], max_longitude),
                    g_ascii_dtostr (buf[3], sizeof buf[3], max_latitude),
                    NULL);
  path = g_string_new ("api/v1/parking-lots");
  _park_client_add_param (path, "bbox", bbox);
  search_lots (self, path, spot_type, flags, max_results, cancellable, callback, user_data,
               park_client_search_lots_in_box_async);
}

/**
 * park_client_search_lots_named_async:
 * @self: a #ParkClient
 * @text: what the lot's name, address or city holds (1 to 100 characters; case and accents
 *   do not matter)
 * @latitude: latitude of the point the results are ordered from (WGS 84)
 * @longitude: longitude of that point
 * @spot_type: only lots with spots of this type, or %PARK_SPOT_TYPE_ANY
 * @flags: #ParkSearchFlags
 * @max_results: the most lots wanted, or 0 for all (fetched page by page)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Finds the lots whose name, address or city holds @text, wherever they are, nearest to the
 * point first: what a driver typing "Altmarkt" wants. Finish with
 * park_client_search_lots_finish().
 */
void
park_client_search_lots_named_async (ParkClient          *self,
                                     const char          *text,
                                     double               latitude,
                                     double               longitude,
                                     ParkSpotType         spot_type,
                                     ParkSearchFlags      flags,
                                     guint                max_results,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GString *path;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (text != NULL && g_utf8_validate (text, -1, NULL));
  g_return_if_fail (latitude >= -90 && latitude <= 90);
  g_return_if_fail (longitude >= -180 && longitude <= 180);
  g_return_if_fail (spot_type >= PARK_SPOT_TYPE_ANY && spot_type < PARK_N_SPOT_TYPES);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = g_string_new ("api/v1/parking-lots");
  _park_client_add_param (path, "q", text);
  _park_client_add_param_double (path, "lat", latitude);
  _park_client_add_param_double (path, "lng", longitude);
  search_lots (self, path, spot_type, flags, max_results, cancellable, callback, user_data,
               park_client_search_lots_named_async);
}

/**
 * park_client_search_lots_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes park_client_search_lots_near_async(), park_client_search_lots_in_box_async() or
 * park_client_search_lots_named_async().
 *
 * Returns: (transfer full): a #GListModel of #ParkLot, nearest first, or %NULL with @error
 *   set
 */
GListModel *
park_client_search_lots_finish (ParkClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  if (g_task_get_source_tag (G_TASK (result)) == park_client_search_lots_in_box_async)
    return _park_client_finish_pointer (self, result, park_client_search_lots_in_box_async, error);
  if (g_task_get_source_tag (G_TASK (result)) == park_client_search_lots_named_async)
    return _park_client_finish_pointer (self, result, park_client_search_lots_named_async, error);
  return _park_client_finish_pointer (self, result, park_client_search_lots_near_async, error);
}

/**
 * park_client_get_lot_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches one lot with its live availability.
 */
void
park_client_get_lot_async (ParkClient          *self,
                           const char          *lot_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autofree char *id = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  id = _park_client_segment (lot_id);
  call = _park_client_model_call ("GET", g_strconcat ("api/v1/parking-lots/", id, NULL),
                                  (ParkModelParser) _park_lot_new_from_json_at);
  call->cache = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_get_lot_async);
}

/**
 * park_client_get_lot_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the lot, or %NULL with @error set
 */
ParkLot *
park_client_get_lot_finish (ParkClient    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_get_lot_async, error);
}

/**
 * park_client_list_spots_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @spot_type: only spots of this type, or %PARK_SPOT_TYPE_ANY
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches every spot of a lot (page by page), by level and number, with its state now.
 * With #ParkClient:cache-dir set, the last answer is served when the server cannot be
 * reached, its spots marked #ParkSpot:stale.
 */
void
park_client_list_spots_async (ParkClient          *self,
                              const char          *lot_id,
                              ParkSpotType         spot_type,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *id = NULL;
  GString *path;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (spot_type >= PARK_SPOT_TYPE_ANY && spot_type < PARK_N_SPOT_TYPES);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  id = _park_client_segment (lot_id);
  path = g_string_new ("api/v1/parking-lots/");
  g_string_append_printf (path, "%s/spots", id);
  if (spot_type != PARK_SPOT_TYPE_ANY)
    _park_client_add_param (path, "type", _park_client_nick_of (PARK_TYPE_SPOT_TYPE, spot_type));
  /* The server's own page size: a big lot comes in several pages. */
  _park_client_add_param (path, "per_page", "100");
  call = _park_client_list_call (g_string_free (path, FALSE),
                                 (ParkModelParser) _park_spot_new_from_json_at, PARK_TYPE_SPOT, 0);
  /* A lot's map of spots is worth showing offline, marked stale. */
  call->cache = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_list_spots_async);
}

/**
 * park_client_list_spots_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a #GListModel of #ParkSpot, or %NULL with @error set
 */
GListModel *
park_client_list_spots_finish (ParkClient    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_list_spots_async, error);
}

/* POST …/availability: each item applied to the lot of its id. */
static void
handle_availability (ParkClient *self,
                     GTask      *task,
                     Call       *call,
                     guint       status,
                     JsonObject *root,
                     GBytes     *body)
{
  g_autoptr(GTask) owned = task;
  GListModel *lots = call->extra;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  ParkJsonReader reader;
  JsonArray *items;

  if (root == NULL)
    {
      g_task_return_error (owned, _park_client_error_new_invalid_response (NULL, "no body"));
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (lots); i++)
    {
      ParkLot *lot = g_list_model_get_item (lots, i);

      g_ptr_array_add (keep, lot);
      g_hash_table_insert (by_id, (gpointer) park_lot_get_id (lot), lot);
    }
  _park_json_reader_init (&reader, root, NULL);
  items = _park_json_get_array (&reader, "items", 0);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      g_autofree char *path = NULL;
      JsonObject *item = _park_json_array_get_object (&reader, "items", items, i, &path);
      ParkJsonReader item_reader;
      g_autofree char *lot_id = NULL;
      ParkLot *lot;

      if (item == NULL)
        break;
      _park_json_reader_init (&item_reader, item, path);
      item_reader.error = reader.error;
      lot_id = _park_json_dup_string (&item_reader, "lot_id", PARK_JSON_NONEMPTY);
      if (lot_id == NULL)
        break;
      lot = g_hash_table_lookup (by_id, lot_id);
      if (lot != NULL && !_park_lot_apply_availability_json (lot, item, path, reader.error))
        break;
    }
  if (!_park_json_reader_finish (&reader, &error))
    g_task_return_error (owned, g_steal_pointer (&error));
  else
    g_task_return_boolean (owned, TRUE);
}

/**
 * park_client_refresh_availability_async:
 * @self: a #ParkClient
 * @lots: a #GListModel of #ParkLot, at most 100
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Asks for the live availability of @lots at once and applies it to each in place
 * (park_lot_apply_availability()), so widgets bound to them update by themselves. Lots the
 * server no longer has are left as they are.
 */
void
park_client_refresh_availability_async (ParkClient          *self,
                                        GListModel          *lots,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Call *call;
  guint n;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (G_IS_LIST_MODEL (lots));
  g_return_if_fail (g_type_is_a (g_list_model_get_item_type (lots), PARK_TYPE_LOT));
  g_return_if_fail (g_list_model_get_n_items (lots) <= 100);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  n = g_list_model_get_n_items (lots);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "lot_ids");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);

      json_builder_add_string_value (builder, park_lot_get_id (lot));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  call = _park_client_call_new ("POST", g_strdup ("api/v1/parking-lots/availability"),
                                handle_availability);
  call->body = _park_client_body_from_builder (builder);
  call->extra = g_object_ref (lots);
  call->extra_free = g_object_unref;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_refresh_availability_async);
}

/**
 * park_client_refresh_availability_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the lots were brought up to date
 */
gboolean
park_client_refresh_availability_finish (ParkClient    *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return _park_client_finish_boolean (self, result, park_client_refresh_availability_async, error);
}

/**
 * park_client_quote_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @spot_type: the spot type to price (not %PARK_SPOT_TYPE_ANY)
 * @start_time: the start of the stay
 * @end_time: the end of the stay
 * @discount_code: (nullable): a discount code of the lot's operator, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Prices a stay. The quote is honoured for ten minutes: book with its id
 * (park_quote_get_id()) to pay this price. No sign-in needed.
 *
 * A price is never served from the offline cache: when the server cannot be reached this
 * fails with %PARK_CLIENT_ERROR_UNAVAILABLE, problem code `offline`, whose message says that
 * no price can be given offline.
 */
void
park_client_quote_async (ParkClient          *self,
                         const char          *lot_id,
                         ParkSpotType         spot_type,
                         GDateTime           *start_time,
                         GDateTime           *end_time,
                         const char          *discount_code,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *id = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  GString *path;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (spot_type > PARK_SPOT_TYPE_ANY && spot_type < PARK_N_SPOT_TYPES);
  g_return_if_fail (start_time != NULL);
  g_return_if_fail (end_time != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  id = _park_client_segment (lot_id);
  from = _park_client_format_time (start_time);
  to = _park_client_format_time (end_time);
  path = g_string_new ("api/v1/parking-lots/");
  g_string_append_printf (path, "%s/quote", id);
  _park_client_add_param (path, "start", from);
  _park_client_add_param (path, "end", to);
  _park_client_add_param (path, "spot_type", _park_client_nick_of (PARK_TYPE_SPOT_TYPE, spot_type));
  if (discount_code != NULL)
    _park_client_add_param (path, "discount_code", discount_code);
  call = _park_client_model_call ("GET", g_string_free (path, FALSE),
                                  (ParkModelParser) _park_quote_new_from_json_at);
  call->never_stale = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_quote_async);
}

/**
 * park_client_quote_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the quote with its breakdown, or %NULL with @error set
 */
ParkQuote *
park_client_quote_finish (ParkClient    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_quote_async, error);
}
