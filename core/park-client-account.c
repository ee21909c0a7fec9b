/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-client-account.c: ParkClient's calls about the signed-in account and its vehicles. */
#include "config.h"

#include "park-client-private.h"
#include "park-enums.h"
#include "park-error-private.h"
#include "park-json-private.h"
#include "park-models-private.h"

/**
 * park_client_get_me_async:
 * @self: a #ParkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches the signed-in account.
 */
void
park_client_get_me_async (ParkClient          *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = _park_client_model_call ("GET", g_strdup ("api/v1/users/me"),
                                  (ParkModelParser) _park_user_new_from_json_at);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_get_me_async);
}

/**
 * park_client_get_me_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the account, or %NULL with @error set
 */
ParkUser *
park_client_get_me_finish (ParkClient    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_get_me_async, error);
}

/**
 * park_client_list_vehicles_async:
 * @self: a #ParkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches the signed-in account's vehicles, oldest first.
 */
void
park_client_list_vehicles_async (ParkClient          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = _park_client_list_call (g_strdup ("api/v1/users/me/vehicles"),
                                 (ParkModelParser) _park_vehicle_new_from_json_at,
                                 PARK_TYPE_VEHICLE, 0);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_list_vehicles_async);
}

/**
 * park_client_list_vehicles_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a #GListModel of #ParkVehicle, or %NULL with @error set
 */
GListModel *
park_client_list_vehicles_finish (ParkClient    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_list_vehicles_async, error);
}

/**
 * park_client_add_vehicle_async:
 * @self: a #ParkClient
 * @plate: the number plate, e.g. `B-MW 1234`
 * @country: (nullable): its ISO 3166-1 alpha-2 country code, or %NULL
 * @nickname: (nullable): a name for it, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Adds a vehicle to the signed-in account. A plate it has already fails with
 * %PARK_CLIENT_ERROR_CONFLICT (`duplicate-plate`).
 */
void
park_client_add_vehicle_async (ParkClient          *self,
                               const char          *plate,
                               const char          *country,
                               const char          *nickname,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (plate != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  _park_client_add_string_member (builder, "plate", plate);
  _park_client_add_string_member (builder, "country", country);
  _park_client_add_string_member (builder, "nickname", nickname);
  json_builder_end_object (builder);

  call = _park_client_model_call ("POST", g_strdup ("api/v1/users/me/vehicles"),
                                  (ParkModelParser) _park_vehicle_new_from_json_at);
  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_add_vehicle_async);
}

/**
 * park_client_add_vehicle_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the vehicle, or %NULL with @error set
 */
ParkVehicle *
park_client_add_vehicle_finish (ParkClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_add_vehicle_async, error);
}

/**
 * park_client_remove_vehicle_async:
 * @self: a #ParkClient
 * @vehicle_id: the vehicle's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Removes a vehicle from the signed-in account.
 */
void
park_client_remove_vehicle_async (ParkClient          *self,
                                  const char          *vehicle_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *id = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (vehicle_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  id = _park_client_segment (vehicle_id);
  call = _park_client_call_new ("DELETE", g_strconcat ("api/v1/users/me/vehicles/", id, NULL),
                                _park_client_handle_nothing);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_remove_vehicle_async);
}

/**
 * park_client_remove_vehicle_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the vehicle is gone
 */
gboolean
park_client_remove_vehicle_finish (ParkClient    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _park_client_finish_boolean (self, result, park_client_remove_vehicle_async, error);
}
