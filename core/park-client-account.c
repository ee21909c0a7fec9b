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

/* A changed account: the user, and with a new password the end of this sign-in. */
static void
handle_updated_me (ParkClient *self,
                   GTask      *task,
                   Call       *call,
                   guint       status,
                   JsonObject *root,
                   GBytes     *body)
{
  g_autoptr(GTask) owned = task;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkUser) user = NULL;

  if (root == NULL)
    {
      g_task_return_error (owned, _park_client_error_new_invalid_response (NULL, "no body"));
      return;
    }
  user = _park_user_new_from_json_at (root, NULL, &error);
  if (user == NULL)
    {
      g_task_return_error (owned, g_steal_pointer (&error));
      return;
    }
  /* The server ended every sign-in of the account, this one too: its tokens are dead. */
  if (GPOINTER_TO_INT (call->extra))
    _park_client_end_sign_in (self);
  g_task_return_pointer (owned, g_steal_pointer (&user), g_object_unref);
}

/**
 * park_client_update_me_async:
 * @self: a #ParkClient
 * @first_name: (nullable): a new first name, or %NULL to keep it
 * @last_name: (nullable): a new last name, or %NULL to keep it
 * @phone: (nullable): a new phone number (digits, with a leading + if need be), `""` to
 *   remove it, or %NULL to keep it
 * @password: (nullable): a new password (at least 10 characters, not a common one), or %NULL
 *   to keep it
 * @current_password: (nullable): the password now, needed with @password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Changes the signed-in account's name, phone or password. A new password ends every
 * sign-in of the account, this one included: the client is signed out afterwards (without
 * #ParkClient::signed-out), to sign in again with the new password. A wrong
 * @current_password fails with %PARK_CLIENT_ERROR_VALIDATION (`wrong-password`, field
 * `current_password`); a weak @password with `weak-password`.
 */
void
park_client_update_me_async (ParkClient          *self,
                             const char          *first_name,
                             const char          *last_name,
                             const char          *phone,
                             const char          *password,
                             const char          *current_password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (password == NULL || current_password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  _park_client_add_string_member (builder, "first_name", first_name);
  _park_client_add_string_member (builder, "last_name", last_name);
  if (phone != NULL && *phone == '\0')
    {
      json_builder_set_member_name (builder, "phone");
      json_builder_add_null_value (builder);
    }
  else
    _park_client_add_string_member (builder, "phone", phone);
  _park_client_add_string_member (builder, "password", password);
  _park_client_add_string_member (builder, "current_password", current_password);
  json_builder_end_object (builder);

  call = _park_client_call_new ("PATCH", g_strdup ("api/v1/users/me"), handle_updated_me);
  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  call->extra = GINT_TO_POINTER (password != NULL);
  _park_client_start (self, call, cancellable, callback, user_data, park_client_update_me_async);
}

/**
 * park_client_update_me_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the account as changed, or %NULL with @error set
 */
ParkUser *
park_client_update_me_finish (ParkClient    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_update_me_async, error);
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
