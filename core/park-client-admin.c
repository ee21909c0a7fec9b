/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-client-admin.c: ParkClient's calls for the operator pages: operators, the lots an
 * operator manages with their spots and pricing, staff accounts, discount codes, the audit
 * log and sensor devices (/api/v1/admin/...).
 *
 * The server applies the tenant rule: staff see and change their own operator's objects
 * only, and another operator's object answers 404 (PARK_CLIENT_ERROR_NOT_FOUND) just like
 * one that does not exist. An admin names the operator a new object or a list is about by
 * its slug; for staff the slug may be left out.
 */
#include "config.h"

#include "park-client-admin.h"
#include "park-admin-models-private.h"
#include "park-client-private.h"
#include "park-enums.h"
#include "park-models-private.h"
#include "park-opening-hours-private.h"
#include "park-error-private.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

/* @prefix, the escaped @id, and @suffix (or nothing). */
static char *
admin_path (const char *prefix,
            const char *id,
            const char *suffix)
{
  g_autofree char *segment = _park_client_segment (id);

  return g_strconcat (prefix, segment, suffix, NULL);
}

/* A signed-in list of every page, filtered by operator when one is named. */
static Call *
admin_list_call (const char      *path,
                 const char      *operator_slug,
                 ParkModelParser  parser,
                 GType            item_type,
                 guint            max_results)
{
  GString *with_query = g_string_new (path);
  Call *call;

  if (operator_slug != NULL)
    _park_client_add_param (with_query, "operator", operator_slug);
  call = _park_client_list_call (g_string_free (with_query, FALSE), parser, item_type,
                                 max_results);
  call->authenticated = TRUE;
  return call;
}

/* A signed-in DELETE of @prefix and the escaped @id, answered with no body. */
static Call *
admin_delete_call (const char *prefix,
                   const char *id)
{
  Call *call = _park_client_call_new ("DELETE", admin_path (prefix, id, NULL),
                                      _park_client_handle_nothing);

  call->authenticated = TRUE;
  return call;
}

/* A new device of an operator, a sensor or a kiosk, which answers with its key. */
static Call *
device_create_call (const char      *path,
                    const char      *operator_slug,
                    const char      *name,
                    const char      *lot_id,
                    ParkModelParser  parser)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Call *call;

  json_builder_begin_object (builder);
  _park_client_add_string_member (builder, "operator", operator_slug);
  _park_client_add_string_member (builder, "name", name);
  _park_client_add_string_member (builder, "parking_lot_id", lot_id);
  json_builder_end_object (builder);

  call = _park_client_model_call ("POST", g_strdup (path), parser);
  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  return call;
}

/* Amenities the server takes: at most 20 names such as `ev_charging`. */
static gboolean
check_amenities (const char * const  *amenities,
                 GError             **error)
{
  guint n = 0;

  for (; amenities != NULL && amenities[n] != NULL; n++)
    {
      const char *a = amenities[n];
      gsize len = strlen (a);
      gboolean ok = len >= 1 && len <= 40 && g_ascii_islower (a[0]);

      for (gsize i = 1; ok && i < len; i++)
        ok = g_ascii_islower (a[i]) || g_ascii_isdigit (a[i]) || a[i] == '_';
      if (!ok)
        {
          g_propagate_error (error, _park_client_error_new_invalid_field ("amenities",
            /* Translators: "%s" is the amenity as typed */
            _("“%s” is not an amenity name: use lower-case letters, digits and “_”, "
              "starting with a letter, such as ev_charging."), a));
          return FALSE;
        }
    }
  if (n > 20)
    {
      g_propagate_error (error, _park_client_error_new_invalid_field ("amenities",
        _("A lot may list at most 20 amenities.")));
      return FALSE;
    }
  return TRUE;
}

/* "operating_hours" and "amenities", when given. */
static void
add_hours_and_amenities (JsonBuilder            *builder,
                         const ParkOpeningHours *hours,
                         const char * const     *amenities)
{
  if (hours != NULL)
    {
      json_builder_set_member_name (builder, "operating_hours");
      _park_opening_hours_build (hours, builder);
    }
  if (amenities != NULL)
    {
      json_builder_set_member_name (builder, "amenities");
      json_builder_begin_array (builder);
      for (guint i = 0; amenities[i] != NULL; i++)
        json_builder_add_string_value (builder, amenities[i]);
      json_builder_end_array (builder);
    }
}

/* Operators */

/**
 * park_client_list_operators_async:
 * @self: a #ParkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches the operators: every one for an admin, their own for an operator's staff.
 */
void
park_client_list_operators_async (ParkClient          *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = admin_list_call ("api/v1/admin/operators", NULL,
                          (ParkModelParser) _park_operator_new_from_json_at, PARK_TYPE_OPERATOR, 0);
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_list_operators_async);
}

/**
 * park_client_list_operators_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a #GListModel of #ParkOperator, or %NULL with @error set
 */
GListModel *
park_client_list_operators_finish (ParkClient    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_list_operators_async, error);
}

/**
 * park_client_create_operator_async:
 * @self: a #ParkClient
 * @slug: its short name in URLs, e.g. `dresden-parking` (lower case letters, digits and
 *   dashes)
 * @name: its name
 * @city: (nullable): its city, or %NULL
 * @time_zone: its IANA time zone, e.g. `Europe/Berlin`
 * @currency: the ISO 4217 code of its prices, e.g. `EUR`
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Makes an operator (admins only). A slug in use fails with %PARK_CLIENT_ERROR_CONFLICT; a
 * malformed value with %PARK_CLIENT_ERROR_VALIDATION naming its field.
 */
void
park_client_create_operator_async (ParkClient          *self,
                                   const char          *slug,
                                   const char          *name,
                                   const char          *city,
                                   const char          *time_zone,
                                   const char          *currency,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (slug != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (time_zone != NULL);
  g_return_if_fail (currency != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  _park_client_add_string_member (builder, "slug", slug);
  _park_client_add_string_member (builder, "name", name);
  _park_client_add_string_member (builder, "city", city);
  _park_client_add_string_member (builder, "time_zone", time_zone);
  _park_client_add_string_member (builder, "currency", currency);
  json_builder_end_object (builder);

  call = _park_client_model_call ("POST", g_strdup ("api/v1/admin/operators"),
                                  (ParkModelParser) _park_operator_new_from_json_at);
  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_create_operator_async);
}

/**
 * park_client_create_operator_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the operator, or %NULL with @error set
 */
ParkOperator *
park_client_create_operator_finish (ParkClient    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_create_operator_async, error);
}

/* Lots */

/**
 * park_client_list_managed_lots_async:
 * @self: a #ParkClient
 * @operator_slug: (nullable): only this operator's (its slug); %NULL for the caller's own
 *   operator, or every operator for an admin
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches the lots the signed-in staff manage (an admin: every lot, or one operator's), closed
 * ones too.
 */
void
park_client_list_managed_lots_async (ParkClient          *self,
                                     const char          *operator_slug,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = admin_list_call ("api/v1/admin/parking-lots", operator_slug,
                          (ParkModelParser) _park_lot_new_from_json_at, PARK_TYPE_LOT, 0);
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_list_managed_lots_async);
}

/**
 * park_client_list_managed_lots_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a #GListModel of #ParkLot, or %NULL with @error set
 */
GListModel *
park_client_list_managed_lots_finish (ParkClient    *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_list_managed_lots_async, error);
}

/**
 * park_client_get_managed_lot_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches one lot to manage, closed or not. Another operator's lot fails with
 * %PARK_CLIENT_ERROR_NOT_FOUND, as one that does not exist.
 */
void
park_client_get_managed_lot_async (ParkClient          *self,
                                   const char          *lot_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = _park_client_model_call ("GET", admin_path ("api/v1/admin/parking-lots/", lot_id, NULL),
                                  (ParkModelParser) _park_lot_new_from_json_at);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_get_managed_lot_async);
}

/**
 * park_client_get_managed_lot_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the lot, or %NULL with @error set
 */
ParkLot *
park_client_get_managed_lot_finish (ParkClient    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_get_managed_lot_async, error);
}

/**
 * park_client_create_lot_async:
 * @self: a #ParkClient
 * @operator_slug: (nullable): only this operator's (its slug); %NULL for the caller's own
 *   operator, or every operator for an admin
 * @name: the lot's name
 * @address: its street address
 * @city: (nullable): its city, or %NULL
 * @latitude: where it is: latitude in degrees
 * @longitude: longitude in degrees
 * @lot_type: the kind of building
 * @hourly_rate: the hourly rate of a regular spot in minor units
 * @hours: (nullable): its opening hours, or %NULL for open around the clock
 * @amenities: (nullable) (array zero-terminated=1): its amenities (at most 20 names such as
 *   `ev_charging`), or %NULL for none
 * @spots: (nullable) (array fixed-size=5): how many spots of each #ParkSpotType to make
 *   (indexed by the type), or %NULL for none
 * @levels: how many levels to spread the spots over, or 0 for one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Makes a lot with its spots (operators for their own operator; admins name one with
 * @operator_slug). It opens with the server's default pricing at @hourly_rate, which
 * park_client_set_pricing_async() changes. A value out of range fails with
 * %PARK_CLIENT_ERROR_VALIDATION naming its field; malformed @amenities fail so before anything
 * is sent.
 */
void
park_client_create_lot_async (ParkClient          *self,
                              const char          *operator_slug,
                              const char          *name,
                              const char          *address,
                              const char          *city,
                              double               latitude,
                              double               longitude,
                              ParkLotType          lot_type,
                              gint64               hourly_rate,
                              const ParkOpeningHours *hours,
                              const char * const  *amenities,
                              const guint         *spots,
                              guint                levels,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GError *error = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (address != NULL);
  g_return_if_fail (hourly_rate >= 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!check_amenities (amenities, &error))
    {
      g_task_report_error (self, callback, user_data, park_client_create_lot_async, error);
      return;
    }

  json_builder_begin_object (builder);
  _park_client_add_string_member (builder, "operator", operator_slug);
  _park_client_add_string_member (builder, "name", name);
  _park_client_add_string_member (builder, "address", address);
  _park_client_add_string_member (builder, "city", city);
  json_builder_set_member_name (builder, "lat");
  json_builder_add_double_value (builder, latitude);
  json_builder_set_member_name (builder, "lng");
  json_builder_add_double_value (builder, longitude);
  _park_client_add_string_member (builder, "lot_type",
                                  _park_client_nick_of (PARK_TYPE_LOT_TYPE, lot_type));
  json_builder_set_member_name (builder, "hourly_rate");
  json_builder_add_int_value (builder, hourly_rate);
  add_hours_and_amenities (builder, hours, amenities);
  if (spots != NULL)
    {
      json_builder_set_member_name (builder, "spots");
      json_builder_begin_object (builder);
      for (int i = 0; i < PARK_N_SPOT_TYPES; i++)
        {
          json_builder_set_member_name (builder, _park_client_nick_of (PARK_TYPE_SPOT_TYPE, i));
          json_builder_add_int_value (builder, spots[i]);
        }
      json_builder_end_object (builder);
    }
  if (levels > 0)
    {
      json_builder_set_member_name (builder, "levels");
      json_builder_add_int_value (builder, levels);
    }
  json_builder_end_object (builder);

  call = _park_client_model_call ("POST", g_strdup ("api/v1/admin/parking-lots"),
                                  (ParkModelParser) _park_lot_new_from_json_at);
  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_create_lot_async);
}

/**
 * park_client_create_lot_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the new lot, or %NULL with @error set
 */
ParkLot *
park_client_create_lot_finish (ParkClient    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_create_lot_async, error);
}

/**
 * park_client_update_lot_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @name: (nullable): a new name, or %NULL to keep it
 * @address: (nullable): a new address, or %NULL to keep it
 * @city: (nullable): a new city, or %NULL to keep it
 * @latitude: a new latitude, or NAN to keep the place
 * @longitude: a new longitude, or NAN to keep the place
 * @lot_type: a new kind of building, or -1 to keep it
 * @hourly_rate: a new hourly rate of regular spots in minor units, or -1 to keep it
 * @status: %PARK_LOT_STATUS_CLOSED to close the lot, %PARK_LOT_STATUS_OPEN to open it, or -1
 *   to keep it
 * @hours: (nullable): new opening hours, or %NULL to keep them
 * @amenities: (nullable) (array zero-terminated=1): its amenities from now on (at most 20
 *   names such as `ev_charging`; an empty array for none), or %NULL to keep them
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Changes a lot. Closing or opening it reaches every live feed. A value out of range fails
 * with %PARK_CLIENT_ERROR_VALIDATION naming its field; malformed @amenities fail so before
 * anything is sent.
 */
void
park_client_update_lot_async (ParkClient          *self,
                              const char          *lot_id,
                              const char          *name,
                              const char          *address,
                              const char          *city,
                              double               latitude,
                              double               longitude,
                              ParkLotType          lot_type,
                              gint64               hourly_rate,
                              ParkLotStatus        status,
                              const ParkOpeningHours *hours,
                              const char * const  *amenities,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GError *error = NULL;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!check_amenities (amenities, &error))
    {
      g_task_report_error (self, callback, user_data, park_client_update_lot_async, error);
      return;
    }

  json_builder_begin_object (builder);
  _park_client_add_string_member (builder, "name", name);
  _park_client_add_string_member (builder, "address", address);
  _park_client_add_string_member (builder, "city", city);
  if (!isnan (latitude) && !isnan (longitude))
    {
      json_builder_set_member_name (builder, "lat");
      json_builder_add_double_value (builder, latitude);
      json_builder_set_member_name (builder, "lng");
      json_builder_add_double_value (builder, longitude);
    }
  if ((int) lot_type >= 0)
    _park_client_add_string_member (builder, "lot_type",
                                    _park_client_nick_of (PARK_TYPE_LOT_TYPE, lot_type));
  if (hourly_rate >= 0)
    {
      json_builder_set_member_name (builder, "hourly_rate");
      json_builder_add_int_value (builder, hourly_rate);
    }
  if ((int) status >= 0)
    _park_client_add_string_member (builder, "status",
                                    _park_client_nick_of (PARK_TYPE_LOT_STATUS, status));
  add_hours_and_amenities (builder, hours, amenities);
  json_builder_end_object (builder);

  call = _park_client_model_call ("PATCH", admin_path ("api/v1/admin/parking-lots/", lot_id, NULL),
                                  (ParkModelParser) _park_lot_new_from_json_at);
  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_update_lot_async);
}

/**
 * park_client_update_lot_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the lot as changed, or %NULL with @error set
 */
ParkLot *
park_client_update_lot_finish (ParkClient    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_update_lot_async, error);
}

/**
 * park_client_delete_lot_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Deletes a lot and its spots. A lot with bookings or stays still to come fails with
 * %PARK_CLIENT_ERROR_CONFLICT.
 */
void
park_client_delete_lot_async (ParkClient          *self,
                              const char          *lot_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = admin_delete_call ("api/v1/admin/parking-lots/", lot_id);
  _park_client_start (self, call, cancellable, callback, user_data, park_client_delete_lot_async);
}

/**
 * park_client_delete_lot_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the lot is gone
 */
gboolean
park_client_delete_lot_finish (ParkClient    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _park_client_finish_boolean (self, result, park_client_delete_lot_async, error);
}

/**
 * park_client_import_lots_async:
 * @self: a #ParkClient
 * @operator_slug: (nullable): only this operator's (its slug); %NULL for the caller's own
 *   operator, or every operator for an admin
 * @hourly_rate: the hourly rate of the new lots in minor units, or -1 for the default (2.00)
 * @geojson: a GeoJSON FeatureCollection of car parks (as OpenStreetMap exports give), as bytes
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Imports lots from GeoJSON: a feature already imported is updated, one that is no car park or
 * lacks a name or a place is skipped, and the report says why. A body that is not GeoJSON
 * fails with %PARK_CLIENT_ERROR_VALIDATION.
 */
void
park_client_import_lots_async (ParkClient          *self,
                               const char          *operator_slug,
                               gint64               hourly_rate,
                               GBytes              *geojson,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GString *path;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (geojson != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = g_string_new ("api/v1/admin/parking-lots/import");
  if (operator_slug != NULL)
    _park_client_add_param (path, "operator", operator_slug);
  if (hourly_rate >= 0)
    {
      g_autofree char *rate = g_strdup_printf ("%" G_GINT64_FORMAT, hourly_rate);

      _park_client_add_param (path, "hourly_rate", rate);
    }
  call = _park_client_model_call ("POST", g_string_free (path, FALSE),
                                  (ParkModelParser) _park_import_report_new_from_json_at);
  call->body = g_bytes_ref (geojson);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_import_lots_async);
}

/**
 * park_client_import_lots_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): what was imported, or %NULL with @error set
 */
ParkImportReport *
park_client_import_lots_finish (ParkClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_import_lots_async, error);
}

/* Pricing */

/**
 * park_client_get_pricing_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches a lot's pricing policy and its effective values.
 */
void
park_client_get_pricing_async (ParkClient          *self,
                               const char          *lot_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = _park_client_model_call ("GET",
                                  admin_path ("api/v1/admin/parking-lots/", lot_id, "/pricing"),
                                  (ParkModelParser) _park_pricing_new_from_json_at);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_get_pricing_async);
}

/**
 * park_client_get_pricing_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the pricing, or %NULL with @error set
 */
ParkPricing *
park_client_get_pricing_finish (ParkClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_get_pricing_async, error);
}

/**
 * park_client_set_pricing_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @pricing: the pricing as read with park_client_get_pricing_finish() and changed with its
 *   setters
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Replaces a lot's pricing policy with the one @pricing holds; quotes use it from then on. A
 * value the server refuses fails with %PARK_CLIENT_ERROR_VALIDATION naming its field (e.g.
 * `rates.ev`).
 */
void
park_client_set_pricing_async (ParkClient          *self,
                               const char          *lot_id,
                               ParkPricing         *pricing,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) policy = NULL;
  char *text;
  gsize len;
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (PARK_IS_PRICING (pricing));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  policy = _park_pricing_dup_policy_node (pricing);
  json_generator_set_root (generator, policy);
  text = json_generator_to_data (generator, &len);
  call = _park_client_model_call ("PUT", admin_path ("api/v1/admin/parking-lots/", lot_id,
                                                     "/pricing"),
                                  (ParkModelParser) _park_pricing_new_from_json_at);
  call->body = g_bytes_new_take (text, len);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_set_pricing_async);
}

/**
 * park_client_set_pricing_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the pricing as stored, with its new effective values, or %NULL
 *   with @error set
 */
ParkPricing *
park_client_set_pricing_finish (ParkClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_set_pricing_async, error);
}

/* Spots */

/**
 * park_client_create_spot_async:
 * @self: a #ParkClient
 * @lot_id: the lot's id
 * @number: the number painted on it, e.g. `A-017` (unique in the lot)
 * @spot_type: its type
 * @level: its level, -20 to 200
 * @state: its state to begin with
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Adds a spot to a lot. A number the lot has already fails with %PARK_CLIENT_ERROR_CONFLICT.
 */
void
park_client_create_spot_async (ParkClient          *self,
                               const char          *lot_id,
                               const char          *number,
                               ParkSpotType         spot_type,
                               int                  level,
                               ParkSpotState        state,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (number != NULL);
  g_return_if_fail (spot_type >= 0 && spot_type < PARK_N_SPOT_TYPES);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  _park_client_add_string_member (builder, "number", number);
  _park_client_add_string_member (builder, "type",
                                  _park_client_nick_of (PARK_TYPE_SPOT_TYPE, spot_type));
  json_builder_set_member_name (builder, "level");
  json_builder_add_int_value (builder, level);
  _park_client_add_string_member (builder, "state",
                                  _park_client_nick_of (PARK_TYPE_SPOT_STATE, state));
  json_builder_end_object (builder);

  call = _park_client_model_call ("POST",
                                  admin_path ("api/v1/admin/parking-lots/", lot_id, "/spots"),
                                  (ParkModelParser) _park_spot_new_from_json_at);
  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_create_spot_async);
}

/**
 * park_client_create_spot_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the new spot, or %NULL with @error set
 */
ParkSpot *
park_client_create_spot_finish (ParkClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_create_spot_async, error);
}

/**
 * park_client_update_spot_async:
 * @self: a #ParkClient
 * @spot_id: the spot's id
 * @number: (nullable): a new number, or %NULL to keep it
 * @spot_type: a new type, or %PARK_SPOT_TYPE_ANY to keep it
 * @level: a new level, or %G_MININT to keep it
 * @state: a new #ParkSpotState (e.g. %PARK_SPOT_STATE_OUT_OF_SERVICE), or -1 to keep it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Changes a spot (operators). Taking it out of service stops it being booked or given at the
 * booth, and reaches every live feed; the audit log records who did it. A number the lot has
 * already fails with %PARK_CLIENT_ERROR_CONFLICT.
 */
void
park_client_update_spot_async (ParkClient          *self,
                               const char          *spot_id,
                               const char          *number,
                               ParkSpotType         spot_type,
                               int                  level,
                               int                  state,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (spot_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  _park_client_add_string_member (builder, "number", number);
  if (spot_type != PARK_SPOT_TYPE_ANY)
    _park_client_add_string_member (builder, "type",
                                    _park_client_nick_of (PARK_TYPE_SPOT_TYPE, spot_type));
  if (level != G_MININT)
    {
      json_builder_set_member_name (builder, "level");
      json_builder_add_int_value (builder, level);
    }
  if (state >= 0)
    _park_client_add_string_member (builder, "state",
                                    _park_client_nick_of (PARK_TYPE_SPOT_STATE, state));
  json_builder_end_object (builder);

  call = _park_client_model_call ("PATCH", admin_path ("api/v1/admin/spots/", spot_id, NULL),
                                  (ParkModelParser) _park_spot_new_from_json_at);
  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_update_spot_async);
}

/**
 * park_client_update_spot_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the spot as changed, or %NULL with @error set
 */
ParkSpot *
park_client_update_spot_finish (ParkClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_update_spot_async, error);
}

/**
 * park_client_delete_spot_async:
 * @self: a #ParkClient
 * @spot_id: the spot's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Deletes a spot. One with bookings or a stay still to come fails with
 * %PARK_CLIENT_ERROR_CONFLICT.
 */
void
park_client_delete_spot_async (ParkClient          *self,
                               const char          *spot_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (spot_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = admin_delete_call ("api/v1/admin/spots/", spot_id);
  _park_client_start (self, call, cancellable, callback, user_data, park_client_delete_spot_async);
}

/**
 * park_client_delete_spot_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the spot is gone
 */
gboolean
park_client_delete_spot_finish (ParkClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _park_client_finish_boolean (self, result, park_client_delete_spot_async, error);
}

/* Staff */

/**
 * park_client_list_staff_async:
 * @self: a #ParkClient
 * @operator_slug: (nullable): only this operator's (its slug); %NULL for the caller's own
 *   operator, or every operator for an admin
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches the attendants and operators of an operator.
 */
void
park_client_list_staff_async (ParkClient          *self,
                              const char          *operator_slug,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = admin_list_call ("api/v1/admin/staff", operator_slug,
                          (ParkModelParser) _park_user_new_from_json_at, PARK_TYPE_USER, 0);
  _park_client_start (self, call, cancellable, callback, user_data, park_client_list_staff_async);
}

/**
 * park_client_list_staff_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a #GListModel of #ParkUser, or %NULL with @error set
 */
GListModel *
park_client_list_staff_finish (ParkClient    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_list_staff_async, error);
}

/**
 * park_client_create_staff_async:
 * @self: a #ParkClient
 * @email: their e-mail address
 * @password: their first password: at least 10 characters, and not a common one
 * @role: %PARK_USER_ROLE_ATTENDANT or %PARK_USER_ROLE_OPERATOR
 * @first_name: (nullable): their first name, or %NULL
 * @last_name: (nullable): their last name, or %NULL
 * @operator_slug: (nullable): only this operator's (its slug); %NULL for the caller's own
 *   operator, or every operator for an admin
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Makes an attendant's or an operator's account. An address in use fails with
 * %PARK_CLIENT_ERROR_CONFLICT (`email-taken`); a weak password with
 * %PARK_CLIENT_ERROR_VALIDATION (`weak-password`, field `password`).
 */
void
park_client_create_staff_async (ParkClient          *self,
                                const char          *email,
                                const char          *password,
                                ParkUserRole         role,
                                const char          *first_name,
                                const char          *last_name,
                                const char          *operator_slug,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (role == PARK_USER_ROLE_ATTENDANT || role == PARK_USER_ROLE_OPERATOR);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  _park_client_add_string_member (builder, "email", email);
  _park_client_add_string_member (builder, "password", password);
  _park_client_add_string_member (builder, "role",
                                  _park_client_nick_of (PARK_TYPE_USER_ROLE, role));
  _park_client_add_string_member (builder, "first_name", first_name);
  _park_client_add_string_member (builder, "last_name", last_name);
  _park_client_add_string_member (builder, "operator", operator_slug);
  json_builder_end_object (builder);

  call = _park_client_model_call ("POST", g_strdup ("api/v1/admin/staff"),
                                  (ParkModelParser) _park_user_new_from_json_at);
  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_create_staff_async);
}

/**
 * park_client_create_staff_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the account, or %NULL with @error set
 */
ParkUser *
park_client_create_staff_finish (ParkClient    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_create_staff_async, error);
}

/**
 * park_client_update_staff_async:
 * @self: a #ParkClient
 * @user_id: the account's id
 * @role: a new #ParkUserRole (attendant or operator), or -1 to keep it
 * @disabled: 1 to disable the account (its sign-ins end), 0 to enable it, or -1 to keep it
 * @first_name: (nullable): a new first name, or %NULL to keep it
 * @last_name: (nullable): a new last name, or %NULL to keep it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Changes, promotes or disables a staff account.
 */
void
park_client_update_staff_async (ParkClient          *self,
                                const char          *user_id,
                                int                  role,
                                int                  disabled,
                                const char          *first_name,
                                const char          *last_name,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (user_id != NULL);
  g_return_if_fail (role == -1 ||
                    role == PARK_USER_ROLE_ATTENDANT ||
                    role == PARK_USER_ROLE_OPERATOR);
  g_return_if_fail (disabled >= -1 && disabled <= 1);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  if (role >= 0)
    _park_client_add_string_member (builder, "role",
                                    _park_client_nick_of (PARK_TYPE_USER_ROLE, role));
  if (disabled >= 0)
    {
      json_builder_set_member_name (builder, "disabled");
      json_builder_add_boolean_value (builder, disabled == 1);
    }
  _park_client_add_string_member (builder, "first_name", first_name);
  _park_client_add_string_member (builder, "last_name", last_name);
  json_builder_end_object (builder);

  call = _park_client_model_call ("PATCH", admin_path ("api/v1/admin/staff/", user_id, NULL),
                                  (ParkModelParser) _park_user_new_from_json_at);
  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data, park_client_update_staff_async);
}

/**
 * park_client_update_staff_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the account as changed, or %NULL with @error set
 */
ParkUser *
park_client_update_staff_finish (ParkClient    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_update_staff_async, error);
}

/**
 * park_client_delete_staff_async:
 * @self: a #ParkClient
 * @user_id: the account's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Deletes a staff account.
 */
void
park_client_delete_staff_async (ParkClient          *self,
                                const char          *user_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (user_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = admin_delete_call ("api/v1/admin/staff/", user_id);
  _park_client_start (self, call, cancellable, callback, user_data, park_client_delete_staff_async);
}

/**
 * park_client_delete_staff_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the account is gone
 */
gboolean
park_client_delete_staff_finish (ParkClient    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _park_client_finish_boolean (self, result, park_client_delete_staff_async, error);
}

/* Discount codes */

/**
 * park_client_list_discounts_async:
 * @self: a #ParkClient
 * @operator_slug: (nullable): only this operator's (its slug); %NULL for the caller's own
 *   operator, or every operator for an admin
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches an operator's discount codes.
 */
void
park_client_list_discounts_async (ParkClient          *self,
                                  const char          *operator_slug,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = admin_list_call ("api/v1/admin/discount-codes", operator_slug,
                          (ParkModelParser) _park_discount_new_from_json_at, PARK_TYPE_DISCOUNT, 0);
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_list_discounts_async);
}

/**
 * park_client_list_discounts_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a #GListModel of #ParkDiscount, or %NULL with @error set
 */
GListModel *
park_client_list_discounts_finish (ParkClient    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_list_discounts_async, error);
}

/**
 * park_client_create_discount_async:
 * @self: a #ParkClient
 * @operator_slug: (nullable): only this operator's (its slug); %NULL for the caller's own
 *   operator, or every operator for an admin
 * @code: the code drivers type, 3 to 32 letters, digits, `-` or `_` (kept in upper case)
 * @percent_off: the percentage to take off (1 to 100), or -1 to take @amount_off off
 * @amount_off: the amount to take off in minor units, or -1 to take @percent_off off
 * @max_uses: how many times it may be used, or -1 for no limit
 * @expires_at: (nullable): when it stops working, or %NULL for never
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Makes a discount code, for quotes, bookings and the booth. Exactly one of @percent_off and
 * @amount_off is given. A code in use fails with %PARK_CLIENT_ERROR_CONFLICT.
 */
void
park_client_create_discount_async (ParkClient          *self,
                                   const char          *operator_slug,
                                   const char          *code,
                                   int                  percent_off,
                                   gint64               amount_off,
                                   gint64               max_uses,
                                   GDateTime           *expires_at,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (code != NULL);
  g_return_if_fail ((percent_off < 0) != (amount_off < 0));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  _park_client_add_string_member (builder, "operator", operator_slug);
  _park_client_add_string_member (builder, "code", code);
  if (percent_off >= 0)
    {
      json_builder_set_member_name (builder, "percent_off");
      json_builder_add_int_value (builder, percent_off);
    }
  if (amount_off >= 0)
    {
      json_builder_set_member_name (builder, "amount_off");
      json_builder_add_int_value (builder, amount_off);
    }
  if (max_uses >= 0)
    {
      json_builder_set_member_name (builder, "max_uses");
      json_builder_add_int_value (builder, max_uses);
    }
  if (expires_at != NULL)
    {
      g_autofree char *at = _park_client_format_time (expires_at);

      _park_client_add_string_member (builder, "expires_at", at);
    }
  json_builder_end_object (builder);

  call = _park_client_model_call ("POST", g_strdup ("api/v1/admin/discount-codes"),
                                  (ParkModelParser) _park_discount_new_from_json_at);
  call->body = _park_client_body_from_builder (builder);
  call->authenticated = TRUE;
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_create_discount_async);
}

/**
 * park_client_create_discount_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the code, or %NULL with @error set
 */
ParkDiscount *
park_client_create_discount_finish (ParkClient    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_create_discount_async, error);
}

/**
 * park_client_delete_discount_async:
 * @self: a #ParkClient
 * @discount_id: the code's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Deletes a discount code.
 */
void
park_client_delete_discount_async (ParkClient          *self,
                                   const char          *discount_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (discount_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = admin_delete_call ("api/v1/admin/discount-codes/", discount_id);
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_delete_discount_async);
}

/**
 * park_client_delete_discount_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the code is gone
 */
gboolean
park_client_delete_discount_finish (ParkClient    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _park_client_finish_boolean (self, result, park_client_delete_discount_async, error);
}

/* Audit log */

/**
 * park_client_list_audit_log_async:
 * @self: a #ParkClient
 * @operator_slug: (nullable): only this operator's (its slug); %NULL for the caller's own
 *   operator, or every operator for an admin
 * @max_results: how many entries to fetch at most, or 0 for all
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches the audit log, newest first: who changed which lot, spot, price, account or code,
 * and when.
 */
void
park_client_list_audit_log_async (ParkClient          *self,
                                  const char          *operator_slug,
                                  guint                max_results,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = admin_list_call ("api/v1/admin/audit-log", operator_slug,
                          (ParkModelParser) _park_audit_entry_new_from_json_at,
                          PARK_TYPE_AUDIT_ENTRY, max_results);
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_list_audit_log_async);
}

/**
 * park_client_list_audit_log_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a #GListModel of #ParkAuditEntry, or %NULL with @error set
 */
GListModel *
park_client_list_audit_log_finish (ParkClient    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_list_audit_log_async, error);
}

/* Sensors */

/**
 * park_client_list_sensors_async:
 * @self: a #ParkClient
 * @operator_slug: (nullable): only this operator's (its slug); %NULL for the caller's own
 *   operator, or every operator for an admin
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches an operator's sensor devices, revoked ones too.
 */
void
park_client_list_sensors_async (ParkClient          *self,
                                const char          *operator_slug,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = admin_list_call ("api/v1/admin/sensors", operator_slug,
                          (ParkModelParser) _park_sensor_new_from_json_at, PARK_TYPE_SENSOR, 0);
  _park_client_start (self, call, cancellable, callback, user_data, park_client_list_sensors_async);
}

/**
 * park_client_list_sensors_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a #GListModel of #ParkSensor, or %NULL with @error set
 */
GListModel *
park_client_list_sensors_finish (ParkClient    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_list_sensors_async, error);
}

/**
 * park_client_create_sensor_async:
 * @self: a #ParkClient
 * @operator_slug: (nullable): only this operator's (its slug); %NULL for the caller's own
 *   operator, or every operator for an admin
 * @name: a name for the device, e.g. `Gate 2 loop`
 * @lot_id: (nullable): the one lot it may report on, or %NULL for any lot of the operator
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Makes a sensor device and its key. The key (#ParkSensor:key) is in this answer only: show it
 * once, to configure the device with.
 */
void
park_client_create_sensor_async (ParkClient          *self,
                                 const char          *operator_slug,
                                 const char          *name,
                                 const char          *lot_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = device_create_call ("api/v1/admin/sensors", operator_slug, name, lot_id,
                             (ParkModelParser) _park_sensor_new_from_json_at);
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_create_sensor_async);
}

/**
 * park_client_create_sensor_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the device with its key, or %NULL with @error set
 */
ParkSensor *
park_client_create_sensor_finish (ParkClient    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_create_sensor_async, error);
}

/**
 * park_client_revoke_sensor_async:
 * @self: a #ParkClient
 * @sensor_id: the device's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Revokes a sensor device's key: its readings are refused from then on.
 */
void
park_client_revoke_sensor_async (ParkClient          *self,
                                 const char          *sensor_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (sensor_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = admin_delete_call ("api/v1/admin/sensors/", sensor_id);
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_revoke_sensor_async);
}

/**
 * park_client_revoke_sensor_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the key is revoked
 */
gboolean
park_client_revoke_sensor_finish (ParkClient    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _park_client_finish_boolean (self, result, park_client_revoke_sensor_async, error);
}

/* Kiosks (issue 7) */

/**
 * park_client_list_kiosks_async:
 * @self: a #ParkClient
 * @operator_slug: (nullable): only this operator's (its slug); %NULL for the caller's own
 *   operator, or every operator for an admin
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches an operator's kiosks, revoked ones too.
 */
void
park_client_list_kiosks_async (ParkClient          *self,
                                const char          *operator_slug,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = admin_list_call ("api/v1/admin/kiosks", operator_slug,
                          (ParkModelParser) _park_kiosk_new_from_json_at, PARK_TYPE_KIOSK, 0);
  _park_client_start (self, call, cancellable, callback, user_data, park_client_list_kiosks_async);
}

/**
 * park_client_list_kiosks_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a #GListModel of #ParkKiosk, or %NULL with @error set
 */
GListModel *
park_client_list_kiosks_finish (ParkClient    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_list_kiosks_async, error);
}

/**
 * park_client_create_kiosk_async:
 * @self: a #ParkClient
 * @operator_slug: (nullable): only this operator's (its slug); %NULL for the caller's own
 *   operator, or every operator for an admin
 * @name: a name for the kiosk, e.g. `Entrance kiosk`
 * @lot_id: the operator's lot the kiosk stands at
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Makes a kiosk and its key. The key (#ParkKiosk:key) is in this answer only: show it once,
 * to configure the kiosk with (see park_client_set_kiosk_key()).
 */
void
park_client_create_kiosk_async (ParkClient          *self,
                                 const char          *operator_slug,
                                 const char          *name,
                                 const char          *lot_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (lot_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = device_create_call ("api/v1/admin/kiosks", operator_slug, name, lot_id,
                             (ParkModelParser) _park_kiosk_new_from_json_at);
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_create_kiosk_async);
}

/**
 * park_client_create_kiosk_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the device with its key, or %NULL with @error set
 */
ParkKiosk *
park_client_create_kiosk_finish (ParkClient    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _park_client_finish_pointer (self, result, park_client_create_kiosk_async, error);
}

/**
 * park_client_revoke_kiosk_async:
 * @self: a #ParkClient
 * @kiosk_id: the kiosk's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Revokes a kiosk's key: it books for drivers without an account no more.
 */
void
park_client_revoke_kiosk_async (ParkClient          *self,
                                 const char          *kiosk_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Call *call;

  g_return_if_fail (PARK_IS_CLIENT (self));
  g_return_if_fail (kiosk_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = admin_delete_call ("api/v1/admin/kiosks/", kiosk_id);
  _park_client_start (self, call, cancellable, callback, user_data,
                      park_client_revoke_kiosk_async);
}

/**
 * park_client_revoke_kiosk_finish:
 * @self: a #ParkClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the key is revoked
 */
gboolean
park_client_revoke_kiosk_finish (ParkClient    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _park_client_finish_boolean (self, result, park_client_revoke_kiosk_async, error);
}
