/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-handler-admin.c: what operators, attendants and admins manage (/api/v1/admin/...).
 *
 * The tenant rule holds on every handler here: staff of one operator see and change only
 * that operator's objects, and another operator's object is answered exactly like one that
 * does not exist (404), so ids cannot be probed across tenants. Admins see every operator.
 * Every change is written with its audit entry in the same transaction.
 */
#include "config.h"

#include "parkd-handler-accounts.h"
#include "parkd-hours.h"
#include "parkd-import.h"
#include "parkd-password.h"
#include "parkd-pricing.h"

#include <string.h>

#define MAX_SPOTS_PER_LOT 10000

static gboolean
read_paging (ParkdRequest *r,
             guint        *page,
             guint        *per_page)
{
  *page = 1;
  *per_page = 50;
  return parkd_request_uint (r, "page", 1, 100000, page) &&
         parkd_request_uint (r, "per_page", 1, 200, per_page);
}

static const char *
staff_operator (ParkdRequest *r)
{
  return *r->principal->operator_id != '\0' ? r->principal->operator_id : NULL;
}

static void
reply_not_found (ParkdRequest *r,
                 const char   *what)
{
  parkd_reply_problem (r, 404, "not-found", NULL, "There is no %s with this id", what);
}

/* The operator a list or a new object is about: the caller's own for staff (a filter naming
 * another one is answered 404, as if it did not exist), any for an admin. Sets *@op NULL for
 * "every operator" (admins without a filter). */
gboolean
parkd_request_resolve_operator (ParkdRequest   *r,
                                const char     *slug,
                                gboolean        required,
                                gboolean        in_query,
                                ParkdOperator **op)
{
  g_autoptr(GError) error = NULL;

  *op = NULL;
  if (slug == NULL)
    {
      if (r->principal->role != PARKD_ROLE_ADMIN)
        {
          *op = parkd_store_get_operator_by_id (r->store, staff_operator (r), &error);
          if (*op == NULL)
            {
              parkd_reply_error (r, error);
              return FALSE;
            }
          return TRUE;
        }
      if (required)
        {
          parkd_reply_problem (r, 400, in_query ? "missing-parameter" : "missing-field",
                               "operator", "\"operator\" (the operator's slug) is required");
          return FALSE;
        }
      return TRUE;
    }
  *op = parkd_store_get_operator (r->store, slug, &error);
  if (*op == NULL || !parkd_request_sees_operator (r, (*op)->id))
    {
      g_clear_pointer (op, parkd_operator_free);
      if (error == NULL || g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        parkd_reply_problem (r, 404, "not-found", "operator", "There is no operator \"%s\"",
                             slug);
      else
        parkd_reply_error (r, error);
      return FALSE;
    }
  return TRUE;
}

/* GET of a list scoped to the caller's tenant (?operator=SLUG to narrow an admin's). */
typedef ParkdPage *(*ListFunc) (ParkdStore *store, const char *operator_id, guint page,
                                guint per_page, GError **error);

static void
reply_operator_list (ParkdRequest *r,
                     ListFunc      list,
                     void        (*append_item) (GString *, gconstpointer, GDateTime *))
{
  static const char * const params[] = { "operator", "page", "per_page", NULL };
  g_autoptr(ParkdOperator) op = NULL;
  g_autoptr(ParkdPage) page = NULL;
  g_autoptr(GError) error = NULL;
  guint n, per_page;

  if (!parkd_request_allow_params (r, params) || !read_paging (r, &n, &per_page) ||
      !parkd_request_resolve_operator (r, parkd_request_param (r, "operator"), FALSE, TRUE, &op))
    return;
  page = list (r->store, op != NULL ? op->id : NULL, n, per_page, &error);
  if (page == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  parkd_reply_json (r, 200, parkd_page_to_json (page, append_item));
}

/* ---- Operators ---------------------------------------------------------------------- */

static void
append_operator (GString       *out,
                 gconstpointer  item,
                 GDateTime     *now)
{
  const ParkdOperator *op = item;

  g_string_append_c (out, '{');
  parkd_json_append_member (out, "id");
  parkd_json_append_string (out, op->id);
  parkd_json_append_member (out, "slug");
  parkd_json_append_string (out, op->slug);
  parkd_json_append_member (out, "name");
  parkd_json_append_string (out, op->name);
  parkd_json_append_member (out, "city");
  parkd_json_append_string (out, op->city);
  parkd_json_append_member (out, "time_zone");
  parkd_json_append_string (out, op->time_zone);
  parkd_json_append_member (out, "currency");
  parkd_json_append_string (out, op->currency);
  parkd_json_append_member (out, "created_at");
  parkd_json_append_string (out, op->created_at);
  g_string_append_c (out, '}');
}

void
parkd_handle_admin_operators_list (ParkdRequest *r)
{
  static const char * const params[] = { "page", "per_page", NULL };
  g_autoptr(ParkdPage) page = NULL;
  g_autoptr(GError) error = NULL;
  guint n, per_page;

  if (!parkd_request_allow_params (r, params) || !read_paging (r, &n, &per_page))
    return;
  page = parkd_store_list_operators (r->store,
                                     r->principal->role == PARKD_ROLE_ADMIN ? NULL
                                                                            : staff_operator (r),
                                     n, per_page, &error);
  if (page == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  parkd_reply_json (r, 200, parkd_page_to_json (page, append_operator));
}

void
parkd_handle_admin_operator_create (ParkdRequest *r)
{
  static const char * const allowed[] = {
    "slug", "name", "city", "time_zone", "currency", NULL
  };
  static const char * const read_only[] = { "id", "created_at", NULL };
  g_autoptr(ParkdOperator) created = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GError) error = NULL;
  const char *slug = NULL, *name = NULL, *city = "", *time_zone = NULL, *currency = NULL;
  ParkdOperator op = { 0, };
  ParkdAudit audit;
  GString *out;

  if (!parkd_request_allow_params (r, NULL) || !parkd_body_allow (r, allowed, read_only) ||
      !parkd_body_string (r, "slug", TRUE, 63, &slug, NULL) ||
      !parkd_body_string (r, "name", TRUE, 200, &name, NULL) ||
      !parkd_body_string (r, "city", FALSE, 200, &city, NULL) ||
      !parkd_body_string (r, "time_zone", TRUE, 64, &time_zone, NULL) ||
      !parkd_body_string (r, "currency", TRUE, 3, &currency, NULL))
    return;
  if (!g_regex_match_simple ("^[a-z0-9][a-z0-9-]{0,62}$", slug, 0, 0))
    {
      parkd_reply_problem (r, 400, "invalid-field", "slug",
                           "\"slug\" may hold only lower-case letters, digits and dashes");
      return;
    }
  if (*g_strstrip ((char *) name) == '\0')
    {
      parkd_reply_problem (r, 400, "invalid-field", "name", "\"name\" must not be empty");
      return;
    }
  tz = g_time_zone_new_identifier (time_zone);
  if (tz == NULL || !strchr (time_zone, '/'))
    {
      parkd_reply_problem (r, 400, "invalid-field", "time_zone",
                           "\"time_zone\" must be an IANA time zone such as Europe/Berlin");
      return;
    }
  if (strlen (currency) != 3 || !g_ascii_isupper (currency[0]) ||
      !g_ascii_isupper (currency[1]) || !g_ascii_isupper (currency[2]))
    {
      parkd_reply_problem (r, 400, "invalid-field", "currency",
                           "\"currency\" must be an ISO 4217 code such as EUR");
      return;
    }

  op.slug = (char *) slug;
  op.name = (char *) name;
  op.city = (char *) city;
  op.time_zone = (char *) time_zone;
  op.currency = (char *) currency;
  parkd_request_audit_init (r, &audit, "operator.create", "operator", NULL, NULL);
  created = parkd_store_create_operator (r->store, &op, &audit, &error);
  if (created == NULL)
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT))
        parkd_reply_problem (r, 409, "slug-taken", "slug", "An operator with this slug exists");
      else
        parkd_reply_error (r, error);
      return;
    }
  out = g_string_sized_new (256);
  append_operator (out, created, NULL);
  parkd_reply_json (r, 201, out);
}

/* ---- Lots --------------------------------------------------------------------------- */

/* The lot, when the caller's tenant may see it; else a 404 answered and NULL. */
static ParkdLot *
get_visible_lot (ParkdRequest *r,
                 const char   *id)
{
  g_autoptr(GError) error = NULL;
  ParkdLot *lot = parkd_store_get_lot (r->store, id, &error);

  if (lot == NULL && !g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
    {
      parkd_reply_error (r, error);
      return NULL;
    }
  if (lot == NULL || !parkd_request_sees_operator (r, lot->operator_id))
    {
      g_clear_pointer (&lot, parkd_lot_free);
      reply_not_found (r, "lot");
    }
  return lot;
}

static void
reply_lot (ParkdRequest   *r,
           int             status,
           const ParkdLot *lot)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GString *out = g_string_sized_new (1024);

  parkd_json_append_lot (out, lot, now);
  parkd_reply_json (r, status, out);
}

void
parkd_handle_admin_lots_list (ParkdRequest *r)
{
  reply_operator_list (r, parkd_store_list_operator_lots, parkd_json_append_lot_item);
}

void
parkd_handle_admin_lot_get (ParkdRequest *r)
{
  g_autoptr(ParkdLot) lot = NULL;

  if (!parkd_request_allow_params (r, NULL) || !parkd_request_read_id (r, "lot") ||
      (lot = get_visible_lot (r, r->params[0])) == NULL)
    return;
  reply_lot (r, 200, lot);
}

static gboolean
read_enum (ParkdRequest       *r,
           const char         *name,
           const char * const *choices,
           char              **value)
{
  const char *text = NULL;
  gboolean present = FALSE;

  if (!parkd_body_string (r, name, FALSE, 32, &text, &present))
    return FALSE;
  if (!present)
    return TRUE;
  if (!g_strv_contains (choices, text))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) choices);

      parkd_reply_problem (r, 400, "invalid-field", name, "\"%s\" must be one of %s", name,
                           list);
      return FALSE;
    }
  g_free (*value);
  *value = g_strdup (text);
  return TRUE;
}

/* "operating_hours" and "amenities" as JSON text, checked; untouched when absent. */
static gboolean
read_json_members (ParkdRequest *r,
                   ParkdLot     *lot)
{
  JsonObject *body = json_node_get_object (r->body);
  JsonNode *hours = json_object_get_member (body, "operating_hours");
  JsonNode *amenities = json_object_get_member (body, "amenities");

  if (hours != NULL)
    {
      g_autofree char *text = json_to_string (hours, FALSE);
      g_autoptr(GError) error = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (hours) || !parkd_hours_validate (text, &error))
        {
          parkd_reply_problem (r, 400, "invalid-field", "operating_hours", "%s",
                               error != NULL ? error->message
                                             : "\"operating_hours\" must be an object");
          return FALSE;
        }
      g_free (lot->operating_hours);
      lot->operating_hours = g_steal_pointer (&text);
    }
  if (amenities != NULL)
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (amenities) ? json_node_get_array (amenities)
                                                           : NULL;
      gboolean ok = array != NULL && json_array_get_length (array) <= 20;

      for (guint i = 0; ok && i < json_array_get_length (array); i++)
        {
          const char *a = json_array_get_string_element (array, i);

          ok = a != NULL && g_regex_match_simple ("^[a-z][a-z0-9_]{0,39}$", a, 0, 0);
        }
      if (!ok)
        {
          parkd_reply_problem (r, 400, "invalid-field", "amenities",
                               "\"amenities\" must be a list of at most 20 names such as "
                               "\"ev_charging\"");
          return FALSE;
        }
      g_free (lot->amenities);
      lot->amenities = json_to_string (amenities, FALSE);
    }
  return TRUE;
}

/* The members a lot shares between create and update. */
static gboolean
read_lot_fields (ParkdRequest *r,
                 ParkdLot     *lot,
                 gboolean      creating)
{
  static const char * const lot_types[] = {
    "multi_storey", "underground", "surface", "other", NULL
  };
  static const char * const statuses[] = { "open", "closed", NULL };
  const char *name = NULL, *address = NULL, *city = NULL;
  double lat = 0, lng = 0;
  gint64 rate = 0;
  gboolean has_lat = FALSE, has_lng = FALSE, has_rate = FALSE;

  if (!parkd_body_string (r, "name", creating, 200, &name, NULL) ||
      !parkd_body_string (r, "address", creating, 300, &address, NULL) ||
      !parkd_body_string (r, "city", FALSE, 200, &city, NULL) ||
      !parkd_body_double (r, "lat", creating, -90, 90, &lat, &has_lat) ||
      !parkd_body_double (r, "lng", creating, -180, 180, &lng, &has_lng) ||
      !parkd_body_int (r, "hourly_rate", creating, 0, 1000000, &rate, &has_rate) ||
      !read_enum (r, "lot_type", lot_types, &lot->lot_type) ||
      !read_enum (r, "status", statuses, &lot->status) ||
      !read_json_members (r, lot))
    return FALSE;
  if (name != NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (name));

      if (*trimmed == '\0')
        {
          parkd_reply_problem (r, 400, "invalid-field", "name", "\"name\" must not be empty");
          return FALSE;
        }
      g_free (lot->name);
      lot->name = g_steal_pointer (&trimmed);
    }
  if (address != NULL)
    {
      g_free (lot->address);
      lot->address = g_strdup (address);
    }
  if (city != NULL)
    {
      g_free (lot->city);
      lot->city = g_strdup (city);
    }
  if (has_lat)
    lot->lat = lat;
  if (has_lng)
    lot->lng = lng;
  if (has_rate)
    lot->hourly_rate = rate;
  return TRUE;
}

static gboolean
read_spot_counts (ParkdRequest *r,
                  ParkdNewLot  *nl)
{
  JsonNode *node = json_object_get_member (json_node_get_object (r->body), "spots");
  JsonObject *spots;
  g_autoptr(GList) members = NULL;
  guint total = 0;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto bad;
  spots = json_node_get_object (node);
  members = json_object_get_members (spots);
  for (GList *m = members; m != NULL; m = m->next)
    {
      JsonNode *v = json_object_get_member (spots, m->data);
      ParkdSpotType type;

      if (!parkd_spot_type_from_string (m->data, &type) || !JSON_NODE_HOLDS_VALUE (v) ||
          json_node_get_value_type (v) != G_TYPE_INT64 || json_node_get_int (v) < 0 ||
          json_node_get_int (v) > MAX_SPOTS_PER_LOT)
        goto bad;
      nl->n_spots[type] = json_node_get_int (v);
      total += nl->n_spots[type];
    }
  if (total > MAX_SPOTS_PER_LOT)
    goto bad;
  return TRUE;

bad:
  parkd_reply_problem (r, 400, "invalid-field", "spots",
                       "\"spots\" must map spot types (regular, disabled, ev, compact, "
                       "motorcycle) to counts, %d spots at most", MAX_SPOTS_PER_LOT);
  return FALSE;
}

void
parkd_handle_admin_lot_create (ParkdRequest *r)
{
  static const char * const allowed[] = {
    "operator", "name", "address", "city", "lat", "lng", "lot_type", "hourly_rate",
    "operating_hours", "amenities", "status", "spots", "levels", NULL
  };
  static const char * const read_only[] = {
    "id", "currency", "time_zone", "total_spots", "available_spots", "availability",
    "open_now", "created_at", "updated_at", "location", NULL
  };
  static const char * const read_only_staff[] = {
    "operator", "id", "currency", "time_zone", "total_spots", "available_spots",
    "availability", "open_now", "created_at", "updated_at", "location", NULL
  };
  g_autoptr(ParkdOperator) op = NULL;
  g_autoptr(ParkdLot) created = NULL;
  g_autoptr(GError) error = NULL;
  const char *slug = NULL;
  gint64 levels = 1;
  ParkdNewLot nl = { { 0, }, };
  ParkdAudit audit;

  if (!parkd_request_allow_params (r, NULL) ||
      !parkd_body_allow (r, allowed, r->principal->role == PARKD_ROLE_ADMIN ? read_only
                                                                             : read_only_staff) ||
      !parkd_body_string (r, "operator", FALSE, 63, &slug, NULL) ||
      !parkd_request_resolve_operator (r, slug, TRUE, FALSE, &op) ||
      !parkd_body_int (r, "levels", FALSE, 1, 20, &levels, NULL))
    return;

  nl.lot.lot_type = g_strdup ("surface");
  nl.lot.status = g_strdup ("open");
  nl.lot.amenities = g_strdup ("[]");
  nl.lot.operating_hours = parkd_hours_always_open ();
  if (!read_lot_fields (r, &nl.lot, TRUE) || !read_spot_counts (r, &nl))
    {
      parkd_lot_clear (&nl.lot);
      return;
    }
  nl.lot.operator_id = g_strdup (op->id);
  nl.lot.currency = g_strdup (op->currency);
  nl.lot.time_zone = g_strdup (op->time_zone);
  if (nl.lot.city == NULL)
    nl.lot.city = g_strdup (op->city);
  nl.n_levels = levels;
  nl.underground = g_str_equal (nl.lot.lot_type, "underground");
  for (guint i = 0; i < PARKD_N_SPOT_TYPES; i++)
    nl.lot.total_spots += nl.n_spots[i];

  parkd_request_audit_init (r, &audit, "lot.create", "lot", NULL, op->id);
  created = parkd_store_create_lot (r->store, &nl, &audit, &error);
  parkd_lot_clear (&nl.lot);
  if (created == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  reply_lot (r, 201, created);
}

void
parkd_handle_admin_lot_update (ParkdRequest *r)
{
  static const char * const allowed[] = {
    "name", "address", "city", "lat", "lng", "lot_type", "hourly_rate", "operating_hours",
    "amenities", "status", NULL
  };
  static const char * const read_only[] = {
    "id", "operator", "currency", "time_zone", "total_spots", "available_spots",
    "availability", "open_now", "created_at", "updated_at", "location", "spots", NULL
  };
  g_autoptr(ParkdLot) lot = NULL, updated = NULL;
  g_autoptr(GError) error = NULL;
  ParkdAudit audit;

  if (!parkd_request_allow_params (r, NULL) || !parkd_request_read_id (r, "lot") ||
      !parkd_body_allow (r, allowed, read_only) ||
      (lot = get_visible_lot (r, r->params[0])) == NULL ||
      !read_lot_fields (r, lot, FALSE))
    return;

  parkd_request_audit_init (r, &audit, "lot.update", "lot", lot->id, lot->operator_id);
  updated = parkd_store_update_lot (r->store, lot, &audit, &error);
  if (updated == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  reply_lot (r, 200, updated);
}

void
parkd_handle_admin_lot_delete (ParkdRequest *r)
{
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(GError) error = NULL;
  ParkdAudit audit;

  if (!parkd_request_allow_params (r, NULL) || !parkd_request_read_id (r, "lot") ||
      (lot = get_visible_lot (r, r->params[0])) == NULL)
    return;
  parkd_request_audit_init (r, &audit, "lot.delete", "lot", lot->id, lot->operator_id);
  if (!parkd_store_delete_lot (r->store, lot->id, &audit, &error))
    {
      parkd_reply_error (r, error);
      return;
    }
  parkd_reply_json (r, 204, g_string_new (NULL));
}

void
parkd_handle_admin_lots_import (ParkdRequest *r)
{
  static const char * const params[] = { "operator", "hourly_rate", NULL };
  g_autoptr(ParkdOperator) op = NULL;
  g_autoptr(GError) error = NULL;
  ParkdImportReport report = { 0, };
  gint64 rate = 200;
  int rate_param = 200;
  ParkdAudit audit;
  GString *out;

  if (!parkd_request_allow_params (r, params) ||
      !parkd_request_int (r, "hourly_rate", 0, 1000000, &rate_param) ||
      !parkd_request_resolve_operator (r, parkd_request_param (r, "operator"), TRUE, TRUE, &op))
    return;
  rate = rate_param;

  parkd_request_audit_init (r, &audit, "lot.import", "operator", op->id, op->id);
  if (!parkd_import_geojson_node (r->store, r->body, op, rate, NULL, &audit, &report, &error))
    {
      parkd_import_report_clear (&report);
      if (error->domain == PARKD_REQUEST_ERROR)
        parkd_reply_problem (r, 422, "invalid-geojson", NULL, "%s", error->message);
      else
        parkd_reply_error (r, error);
      return;
    }

  out = g_string_sized_new (1024);
  g_string_append_c (out, '{');
  parkd_json_append_member (out, "operator");
  parkd_json_append_string (out, op->slug);
  parkd_json_append_member (out, "imported");
  parkd_json_append_uint (out, report.imported);
  parkd_json_append_member (out, "spots");
  parkd_json_append_uint (out, report.spots);
  parkd_json_append_member (out, "skipped");
  g_string_append_c (out, '[');
  for (guint i = 0; i < report.skipped->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      parkd_json_append_string (out, g_ptr_array_index (report.skipped, i));
    }
  g_string_append (out, "]}");
  parkd_import_report_clear (&report);
  parkd_reply_json (r, 200, out);
}

/* ---- Spots -------------------------------------------------------------------------- */

static gboolean
read_spot_fields (ParkdRequest *r,
                  ParkdSpot    *spot,
                  gboolean      creating)
{
  const char *number = NULL, *type = NULL, *state = NULL;
  gint64 level = 0;
  gboolean has_level = FALSE;

  if (!parkd_body_string (r, "number", creating, 16, &number, NULL) ||
      !parkd_body_string (r, "type", FALSE, 16, &type, NULL) ||
      !parkd_body_string (r, "state", FALSE, 16, &state, NULL) ||
      !parkd_body_int (r, "level", FALSE, -20, 200, &level, &has_level))
    return FALSE;
  if (number != NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (number));

      if (*trimmed == '\0')
        {
          parkd_reply_problem (r, 400, "invalid-field", "number", "\"number\" must not be empty");
          return FALSE;
        }
      g_free (spot->number);
      spot->number = g_steal_pointer (&trimmed);
    }
  if (type != NULL && !parkd_spot_type_from_string (type, &spot->type))
    {
      parkd_reply_problem (r, 400, "invalid-field", "type",
                           "\"type\" must be one of regular, disabled, ev, compact, motorcycle");
      return FALSE;
    }
  if (state != NULL && !parkd_spot_state_from_string (state, &spot->state))
    {
      parkd_reply_problem (r, 400, "invalid-field", "state",
                           "\"state\" must be one of available, occupied, reserved, "
                           "out_of_service");
      return FALSE;
    }
  if (has_level)
    spot->level = level;
  return TRUE;
}

static void
reply_spot (ParkdRequest    *r,
            int              status,
            const ParkdSpot *spot)
{
  GString *out = g_string_sized_new (256);

  parkd_json_append_spot (out, spot);
  parkd_reply_json (r, status, out);
}

void
parkd_handle_admin_spot_create (ParkdRequest *r)
{
  static const char * const allowed[] = { "number", "type", "level", "state", NULL };
  static const char * const read_only[] = { "id", "lot_id", "updated_at", NULL };
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(ParkdSpot) created = NULL;
  g_autoptr(GError) error = NULL;
  ParkdSpot spot = { 0, };
  ParkdAudit audit;

  if (!parkd_request_allow_params (r, NULL) || !parkd_request_read_id (r, "lot") ||
      !parkd_body_allow (r, allowed, read_only) ||
      (lot = get_visible_lot (r, r->params[0])) == NULL)
    return;
  spot.type = PARKD_SPOT_TYPE_REGULAR;
  spot.state = PARKD_SPOT_STATE_AVAILABLE;
  if (!read_spot_fields (r, &spot, TRUE))
    {
      g_free (spot.number);
      return;
    }
  spot.lot_id = lot->id;
  parkd_request_audit_init (r, &audit, "spot.create", "spot", NULL, lot->operator_id);
  created = parkd_store_create_spot (r->store, &spot, &audit, &error);
  g_free (spot.number);
  if (created == NULL)
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT))
        parkd_reply_problem (r, 409, "duplicate-spot", "number",
                             "This lot already has a spot with this number");
      else
        parkd_reply_error (r, error);
      return;
    }
  reply_spot (r, 201, created);
}

/* The spot and its lot, when the caller's tenant may see them; else 404 and NULL. */
static ParkdSpot *
get_visible_spot (ParkdRequest  *r,
                  ParkdLot     **lot)
{
  g_autoptr(GError) error = NULL;
  ParkdSpot *spot = parkd_store_get_spot (r->store, r->params[0], &error);

  *lot = NULL;
  if (spot == NULL)
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        reply_not_found (r, "spot");
      else
        parkd_reply_error (r, error);
      return NULL;
    }
  *lot = parkd_store_get_lot (r->store, spot->lot_id, NULL);
  if (*lot == NULL || !parkd_request_sees_operator (r, (*lot)->operator_id))
    {
      g_clear_pointer (lot, parkd_lot_free);
      g_clear_pointer (&spot, parkd_spot_free);
      reply_not_found (r, "spot");
    }
  return spot;
}

void
parkd_handle_admin_spot_update (ParkdRequest *r)
{
  static const char * const allowed[] = { "number", "type", "level", "state", "reason", NULL };
  static const char * const attendant_allowed[] = { "state", "reason", NULL };
  static const char * const read_only[] = { "id", "lot_id", "updated_at", NULL };
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(ParkdSpot) spot = NULL, updated = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  const char *reason = NULL;
  ParkdSpotState before;
  ParkdAudit audit;

  if (!parkd_request_allow_params (r, NULL) || !parkd_request_read_id (r, "spot") ||
      !parkd_body_allow (r, allowed, read_only) ||
      (spot = get_visible_spot (r, &lot)) == NULL)
    return;
  /* Attendants at the booth mark spots occupied, free or out of service; the layout of the
   * lot is the operator's. */
  if (r->principal->role == PARKD_ROLE_ATTENDANT)
    {
      g_autoptr(GList) members = json_object_get_members (json_node_get_object (r->body));

      for (GList *m = members; m != NULL; m = m->next)
        if (!g_strv_contains (attendant_allowed, m->data))
          {
            parkd_reply_problem (r, 403, "forbidden", m->data,
                                 "Attendants may change only a spot's state");
            return;
          }
    }
  before = spot->state;
  /* Why a spot is taken out of service (a leak, a broken barrier): kept in the audit log. */
  if (!parkd_body_string (r, "reason", FALSE, 200, &reason, NULL) ||
      !read_spot_fields (r, spot, FALSE))
    return;

  {
    GString *d = g_string_new ("{\"state\":");

    parkd_json_append_string (d, parkd_spot_state_to_string (spot->state));
    parkd_json_append_member (d, "previous_state");
    parkd_json_append_string (d, parkd_spot_state_to_string (before));
    if (reason != NULL)
      {
        parkd_json_append_member (d, "reason");
        parkd_json_append_string (d, reason);
      }
    g_string_append_c (d, '}');
    detail = g_string_free (d, FALSE);
  }
  parkd_request_audit_init (r, &audit, "spot.update", "spot", spot->id, lot->operator_id);
  audit.detail = detail;
  updated = parkd_store_update_spot (r->store, spot, &audit, &error);
  if (updated == NULL)
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT))
        parkd_reply_problem (r, 409, "duplicate-spot", "number",
                             "This lot already has a spot with this number");
      else
        parkd_reply_error (r, error);
      return;
    }
  reply_spot (r, 200, updated);
}

void
parkd_handle_admin_spot_delete (ParkdRequest *r)
{
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(ParkdSpot) spot = NULL;
  g_autoptr(GError) error = NULL;
  ParkdAudit audit;

  if (!parkd_request_allow_params (r, NULL) || !parkd_request_read_id (r, "spot") ||
      (spot = get_visible_spot (r, &lot)) == NULL)
    return;
  parkd_request_audit_init (r, &audit, "spot.delete", "spot", spot->id, lot->operator_id);
  if (!parkd_store_delete_spot (r->store, spot->id, &audit, &error))
    {
      parkd_reply_error (r, error);
      return;
    }
  parkd_reply_json (r, 204, g_string_new (NULL));
}

/* ---- Staff -------------------------------------------------------------------------- */

static void
append_user_item (GString       *out,
                  gconstpointer  item,
                  GDateTime     *now)
{
  /* A list of colleagues is no place for their phone numbers: no keys, no phone. */
  parkd_json_append_user (out, NULL, item);
}

void
parkd_handle_admin_staff_list (ParkdRequest *r)
{
  reply_operator_list (r, parkd_store_list_staff, append_user_item);
}

static gboolean
read_staff_role (ParkdRequest *r,
                 gboolean      required,
                 ParkdRole    *role,
                 gboolean     *present)
{
  const char *text = NULL;

  if (!parkd_body_string (r, "role", required, 16, &text, present))
    return FALSE;
  if (text != NULL && (!parkd_role_from_string (text, role) ||
                       (*role != PARKD_ROLE_ATTENDANT && *role != PARKD_ROLE_OPERATOR)))
    {
      parkd_reply_problem (r, 400, "invalid-field", "role",
                           "\"role\" must be attendant or operator");
      return FALSE;
    }
  return TRUE;
}

void
parkd_handle_admin_staff_create (ParkdRequest *r)
{
  static const char * const allowed[] = {
    "email", "password", "role", "first_name", "last_name", "operator", NULL
  };
  static const char * const read_only[] = {
    "id", "disabled", "created_at", "updated_at", "password_hash", "phone", NULL
  };
  static const char * const read_only_staff[] = {
    "operator", "id", "disabled", "created_at", "updated_at", "password_hash", "phone", NULL
  };
  g_autoptr(ParkdOperator) op = NULL;
  g_autoptr(ParkdUser) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL, *hash = NULL;
  const char *password = NULL, *first = "", *last = "", *slug = NULL;
  ParkdRole role = PARKD_ROLE_ATTENDANT;
  ParkdUser user = { 0, };
  ParkdAudit audit;
  GString *out;

  if (!parkd_request_allow_params (r, NULL) ||
      !parkd_body_allow (r, allowed, r->principal->role == PARKD_ROLE_ADMIN ? read_only
                                                                             : read_only_staff) ||
      (email = parkd_accounts_read_email (r, "email")) == NULL ||
      !parkd_body_string (r, "password", TRUE, 1024, &password, NULL) ||
      !read_staff_role (r, TRUE, &role, NULL) ||
      !parkd_body_string (r, "first_name", FALSE, 100, &first, NULL) ||
      !parkd_body_string (r, "last_name", FALSE, 100, &last, NULL) ||
      !parkd_body_string (r, "operator", FALSE, 63, &slug, NULL) ||
      !parkd_request_resolve_operator (r, slug, TRUE, FALSE, &op))
    return;
  hash = parkd_accounts_hash_new_password (r, password, email);
  if (hash == NULL)
    return;

  user.email = email;
  user.password_hash = hash;
  user.first_name = (char *) first;
  user.last_name = (char *) last;
  user.role = role;
  user.operator_id = op->id;
  parkd_request_audit_init (r, &audit, "staff.create", "user", NULL, op->id);
  created = parkd_store_create_user (r->store, &user, &audit, &error);
  if (created == NULL)
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT))
        parkd_reply_problem (r, 409, "email-taken", "email",
                             "An account with this e-mail address exists");
      else
        parkd_reply_error (r, error);
      return;
    }
  out = g_string_sized_new (512);
  parkd_json_append_user (out, NULL, created);
  parkd_reply_json (r, 201, out);
}

/* A staff member the caller may manage: attendants and operators of an operator the caller
 * sees, never the caller themselves. Else 404 (or 409 for oneself) and NULL. */
static ParkdUser *
get_manageable_staff (ParkdRequest *r)
{
  g_autoptr(GError) error = NULL;
  ParkdUser *user = parkd_store_get_user (r->store, r->params[0], &error);

  if (user == NULL && !g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
    {
      parkd_reply_error (r, error);
      return NULL;
    }
  if (user == NULL ||
      (user->role != PARKD_ROLE_ATTENDANT && user->role != PARKD_ROLE_OPERATOR) ||
      !parkd_request_sees_operator (r, user->operator_id))
    {
      g_clear_pointer (&user, parkd_user_free);
      reply_not_found (r, "staff member");
      return NULL;
    }
  if (g_str_equal (user->id, r->principal->user_id))
    {
      g_clear_pointer (&user, parkd_user_free);
      parkd_reply_problem (r, 409, "cannot-change-self", NULL,
                           "Ask another operator or an admin to change your own account");
      return NULL;
    }
  return user;
}

void
parkd_handle_admin_staff_update (ParkdRequest *r)
{
  static const char * const allowed[] = {
    "role", "disabled", "first_name", "last_name", NULL
  };
  static const char * const read_only[] = {
    "id", "email", "operator", "operator_id", "password", "password_hash", "phone",
    "created_at", "updated_at", NULL
  };
  g_autoptr(ParkdUser) user = NULL, updated = NULL;
  g_autoptr(GError) error = NULL;
  const char *first = NULL, *last = NULL;
  gboolean disabled = FALSE, has_disabled = FALSE, has_role = FALSE;
  ParkdRole role = PARKD_ROLE_ATTENDANT;
  ParkdAudit audit;
  GString *out;

  if (!parkd_request_allow_params (r, NULL) || !parkd_request_read_id (r, "staff member") ||
      !parkd_body_allow (r, allowed, read_only) ||
      !read_staff_role (r, FALSE, &role, &has_role) ||
      !parkd_body_bool (r, "disabled", &disabled, &has_disabled) ||
      !parkd_body_string (r, "first_name", FALSE, 100, &first, NULL) ||
      !parkd_body_string (r, "last_name", FALSE, 100, &last, NULL) ||
      (user = get_manageable_staff (r)) == NULL)
    return;

  if (has_role)
    user->role = role;
  if (has_disabled)
    user->disabled = disabled;
  if (first != NULL)
    {
      g_free (user->first_name);
      user->first_name = g_strdup (first);
    }
  if (last != NULL)
    {
      g_free (user->last_name);
      user->last_name = g_strdup (last);
    }
  parkd_request_audit_init (r, &audit, "staff.update", "user", user->id, user->operator_id);
  updated = parkd_store_update_user (r->store, user, &audit, &error);
  if (updated == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  /* A disabled account or a changed role signs in again, with tokens that say so. */
  if ((has_disabled && disabled) || has_role)
    {
      parkd_auth_end_sessions (r->auth, r->store, user->id, "account-changed");
    }
  out = g_string_sized_new (512);
  parkd_json_append_user (out, NULL, updated);
  parkd_reply_json (r, 200, out);
}

void
parkd_handle_admin_staff_delete (ParkdRequest *r)
{
  g_autoptr(ParkdUser) user = NULL;
  g_autoptr(GError) error = NULL;
  ParkdAudit audit;

  if (!parkd_request_allow_params (r, NULL) || !parkd_request_read_id (r, "staff member") ||
      (user = get_manageable_staff (r)) == NULL)
    return;
  parkd_request_audit_init (r, &audit, "staff.delete", "user", user->id, user->operator_id);
  if (!parkd_store_delete_user (r->store, user->id, &audit, &error))
    {
      parkd_reply_error (r, error);
      return;
    }
  parkd_auth_end_sessions (r->auth, NULL, user->id, "user-removed");
  parkd_reply_json (r, 204, g_string_new (NULL));
}

/* ---- Audit log ---------------------------------------------------------------------- */

static void
append_audit (GString       *out,
              gconstpointer  item,
              GDateTime     *now)
{
  const ParkdAudit *a = item;

  g_string_append_c (out, '{');
  parkd_json_append_member (out, "id");
  parkd_json_append_int (out, a->id);
  parkd_json_append_member (out, "at");
  parkd_json_append_string (out, a->at);
  parkd_json_append_member (out, "actor_id");
  if (a->actor_id != NULL)
    parkd_json_append_string (out, a->actor_id);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "action");
  parkd_json_append_string (out, a->action);
  parkd_json_append_member (out, "object_type");
  parkd_json_append_string (out, a->object_type != NULL ? a->object_type : "");
  parkd_json_append_member (out, "object_id");
  parkd_json_append_string (out, a->object_id != NULL ? a->object_id : "");
  parkd_json_append_member (out, "operator_id");
  if (a->operator_id != NULL)
    parkd_json_append_string (out, a->operator_id);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "client");
  parkd_json_append_string (out, a->client != NULL ? a->client : "");
  /* Written by parkd itself as a JSON object. */
  parkd_json_append_member (out, "detail");
  g_string_append (out, a->detail != NULL && *a->detail == '{' ? a->detail : "{}");
  g_string_append_c (out, '}');
}

void
parkd_handle_admin_audit_list (ParkdRequest *r)
{
  reply_operator_list (r, parkd_store_list_audit, append_audit);
}

/* ---- Pricing ------------------------------------------------------------------------ */

static void
reply_pricing (ParkdRequest   *r,
               const ParkdLot *lot,
               const char     *policy)
{
  g_autoptr(ParkdPricing) pricing = parkd_pricing_new (policy, lot->hourly_rate, NULL);
  g_autofree char *effective = pricing != NULL ? parkd_pricing_to_json (pricing) : NULL;
  GString *out = g_string_sized_new (2048);

  g_string_append (out, "{\"policy\":");
  g_string_append (out, policy != NULL && *policy == '{' ? policy : "{}");
  /* What the policy means with every default written out, as quotes will use it. */
  g_string_append (out, ",\"effective\":");
  g_string_append (out, effective != NULL ? effective : "{}");
  parkd_json_append_member (out, "currency");
  parkd_json_append_string (out, lot->currency);
  parkd_json_append_member (out, "time_zone");
  parkd_json_append_string (out, lot->time_zone);
  g_string_append_c (out, '}');
  parkd_reply_json (r, 200, out);
}

/* GET /api/v1/admin/parking-lots/{id}/pricing: the lot's pricing policy. */
void
parkd_handle_admin_pricing_get (ParkdRequest *r)
{
  g_autoptr(ParkdLot) lot = NULL;
  g_autofree char *policy = NULL;
  g_autoptr(GError) error = NULL;

  if (!parkd_request_allow_params (r, NULL) || !parkd_request_read_id (r, "lot") ||
      (lot = get_visible_lot (r, r->params[0])) == NULL)
    return;
  policy = parkd_store_get_pricing (r->store, lot->id, &error);
  if (policy == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  reply_pricing (r, lot, policy);
}

/* PUT /api/v1/admin/parking-lots/{id}/pricing: a new policy (the body), checked whole before
 * it is stored. Quotes given and bookings made keep the prices they were given. */
void
parkd_handle_admin_pricing_put (ParkdRequest *r)
{
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(ParkdPricing) pricing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *policy = NULL;
  ParkdAudit audit;

  if (!parkd_request_allow_params (r, NULL) || !parkd_request_read_id (r, "lot") ||
      (lot = get_visible_lot (r, r->params[0])) == NULL)
    return;
  policy = json_to_string (r->body, FALSE);
  pricing = parkd_pricing_new (policy, lot->hourly_rate, &error);
  if (pricing == NULL)
    {
      g_autofree char *field = g_strndup (error->message, strcspn (error->message, ":"));

      parkd_reply_problem (r, 400, "invalid-field", field, "%s", error->message);
      return;
    }
  parkd_request_audit_init (r, &audit, "lot.pricing", "lot", lot->id, lot->operator_id);
  if (!parkd_store_set_pricing (r->store, lot->id, policy, &audit, &error))
    {
      parkd_reply_error (r, error);
      return;
    }
  reply_pricing (r, lot, policy);
}

/* ---- Discount codes ----------------------------------------------------------------- */

static void
append_discount (GString       *out,
                 gconstpointer  item,
                 GDateTime     *now)
{
  const ParkdDiscount *d = item;

  g_string_append_c (out, '{');
  parkd_json_append_member (out, "id");
  parkd_json_append_string (out, d->id);
  parkd_json_append_member (out, "operator_id");
  parkd_json_append_string (out, d->operator_id);
  parkd_json_append_member (out, "code");
  parkd_json_append_string (out, d->code);
  parkd_json_append_member (out, "percent_off");
  if (d->percent_off > 0)
    parkd_json_append_int (out, d->percent_off);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "amount_off");
  if (d->amount_off > 0)
    parkd_json_append_int (out, d->amount_off);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "max_uses");
  if (d->max_uses > 0)
    parkd_json_append_int (out, d->max_uses);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "uses");
  parkd_json_append_int (out, d->uses);
  parkd_json_append_member (out, "expires_at");
  if (d->expires_at != NULL)
    parkd_json_append_string (out, d->expires_at);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "created_at");
  parkd_json_append_string (out, d->created_at);
  g_string_append_c (out, '}');
}

void
parkd_handle_admin_discounts_list (ParkdRequest *r)
{
  reply_operator_list (r, parkd_store_list_discounts, append_discount);
}

/* POST /api/v1/admin/discount-codes {code, percent_off | amount_off, max_uses?, expires_at?,
 * operator? (admins)} */
void
parkd_handle_admin_discount_create (ParkdRequest *r)
{
  static const char * const allowed[] = {
    "operator", "code", "percent_off", "amount_off", "max_uses", "expires_at", NULL
  };
  static const char * const read_only[] = { "id", "uses", "created_at", "operator_id", NULL };
  static const char * const read_only_staff[] = {
    "operator", "id", "uses", "created_at", "operator_id", NULL
  };
  g_autoptr(ParkdOperator) op = NULL;
  g_autoptr(ParkdDiscount) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *expires_text = NULL;
  const char *slug = NULL, *code = NULL, *expires_in = NULL;
  gint64 percent = 0, amount = 0, max_uses = 0;
  gboolean has_percent = FALSE, has_amount = FALSE;
  ParkdDiscount d = { 0, };
  ParkdAudit audit;
  GString *out;

  if (!parkd_request_allow_params (r, NULL) ||
      !parkd_body_allow (r, allowed, r->principal->role == PARKD_ROLE_ADMIN ? read_only
                                                                             : read_only_staff) ||
      !parkd_body_string (r, "operator", FALSE, 63, &slug, NULL) ||
      !parkd_request_resolve_operator (r, slug, TRUE, FALSE, &op) ||
      !parkd_body_string (r, "code", TRUE, 32, &code, NULL) ||
      !parkd_body_int (r, "percent_off", FALSE, 1, 100, &percent, &has_percent) ||
      !parkd_body_int (r, "amount_off", FALSE, 1, 100000000, &amount, &has_amount) ||
      !parkd_body_int (r, "max_uses", FALSE, 1, 10000000, &max_uses, NULL) ||
      !parkd_body_string (r, "expires_at", FALSE, 40, &expires_in, NULL))
    return;
  if (!g_regex_match_simple ("^[A-Za-z0-9][A-Za-z0-9_-]{2,31}$", code, 0, 0))
    {
      parkd_reply_problem (r, 400, "invalid-field", "code",
                           "\"code\" must be 3 to 32 letters, digits, '-' or '_'");
      return;
    }
  if (has_percent == has_amount)
    {
      parkd_reply_problem (r, 400, "invalid-field", has_percent ? "amount_off" : "percent_off",
                           "Give exactly one of \"percent_off\" and \"amount_off\"");
      return;
    }
  if (expires_in != NULL)
    {
      expires = parkd_parse_time_utc (expires_in);
      if (expires == NULL)
        {
          parkd_reply_problem (r, 400, "invalid-field", "expires_at",
                               "\"expires_at\" must be an RFC 3339 time with an offset");
          return;
        }
      expires_text = g_date_time_format (expires, "%Y-%m-%dT%H:%M:%SZ");
    }

  d.operator_id = op->id;
  d.code = (char *) code;
  d.percent_off = percent;
  d.amount_off = amount;
  d.max_uses = max_uses;
  d.expires_at = expires_text;
  parkd_request_audit_init (r, &audit, "discount.create", "discount", NULL, op->id);
  created = parkd_store_create_discount (r->store, &d, &audit, &error);
  if (created == NULL)
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT))
        parkd_reply_problem (r, 409, "code-taken", "code", "%s", error->message);
      else
        parkd_reply_error (r, error);
      return;
    }
  out = g_string_sized_new (512);
  append_discount (out, created, NULL);
  parkd_reply_json (r, 201, out);
}

void
parkd_handle_admin_discount_delete (ParkdRequest *r)
{
  g_autoptr(GError) error = NULL;
  ParkdAudit audit;

  if (!parkd_request_allow_params (r, NULL) || !parkd_request_read_id (r, "discount code"))
    return;
  parkd_request_audit_init (r, &audit, "discount.delete", "discount", r->params[0],
                            staff_operator (r));
  if (!parkd_store_delete_discount (r->store,
                                    r->principal->role == PARKD_ROLE_ADMIN ? NULL
                                                                           : staff_operator (r),
                                    r->params[0], &audit, &error))
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        reply_not_found (r, "discount code");
      else
        parkd_reply_error (r, error);
      return;
    }
  parkd_reply_json (r, 204, g_string_new (NULL));
}

/* ---- Cash ---------------------------------------------------------------------------- */

/* GET /api/v1/admin/cash-report?operator=&attendant=&from=&to=
 *
 * The cash each attendant took in [from, to) (default: the last 12 hours, a shift), and what
 * they gave back. Attendants see their own drawer only. */
void
parkd_handle_admin_cash_report (ParkdRequest *r)
{
  static const char * const params[] = { "operator", "attendant", "from", "to", NULL };
  g_autoptr(ParkdOperator) op = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = NULL, to = NULL;
  g_autofree char *from_text = NULL, *to_text = NULL;
  const char *attendant = parkd_request_param (r, "attendant");
  gint64 total = 0;
  GString *out;

  if (!parkd_request_allow_params (r, params) ||
      !parkd_request_resolve_operator (r, parkd_request_param (r, "operator"), TRUE, TRUE, &op))
    return;
  for (int i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "from" : "to";
      const char *text = parkd_request_param (r, name);
      GDateTime **slot = i == 0 ? &from : &to;

      if (text == NULL)
        continue;
      *slot = parkd_parse_time_utc (text);
      if (*slot == NULL)
        {
          parkd_reply_problem (r, 400, "invalid-parameter", name,
                               "\"%s\" must be an RFC 3339 time with an offset", name);
          return;
        }
    }
  /* Times are kept to the second and the end is excluded: "now" takes in this second too. */
  if (to == NULL)
    to = g_date_time_add_seconds (now, 1);
  if (from == NULL)
    from = g_date_time_add_hours (to, -12);
  if (attendant != NULL && !parkd_request_is_uuid (attendant))
    {
      parkd_reply_problem (r, 400, "invalid-parameter", "attendant",
                           "\"attendant\" must be a user id (UUID)");
      return;
    }
  if (r->principal->role == PARKD_ROLE_ATTENDANT)
    {
      if (attendant != NULL && !g_str_equal (attendant, r->principal->user_id))
        {
          parkd_reply_problem (r, 403, "forbidden", "attendant",
                               "Attendants see their own cash only");
          return;
        }
      attendant = r->principal->user_id;
    }
  {
    g_autoptr(GDateTime) from_utc = g_date_time_to_utc (from);
    g_autoptr(GDateTime) to_utc = g_date_time_to_utc (to);

    from_text = g_date_time_format (from_utc, "%Y-%m-%dT%H:%M:%SZ");
    to_text = g_date_time_format (to_utc, "%Y-%m-%dT%H:%M:%SZ");
  }
  lines = parkd_store_cash_report (r->store, op->id, attendant, from_text, to_text, &error);
  if (lines == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }

  out = g_string_sized_new (512 + 256 * lines->len);
  g_string_append (out, "{\"from\":");
  parkd_json_append_string (out, from_text);
  parkd_json_append_member (out, "to");
  parkd_json_append_string (out, to_text);
  parkd_json_append_member (out, "currency");
  parkd_json_append_string (out, op->currency);
  parkd_json_append_member (out, "attendants");
  g_string_append_c (out, '[');
  for (guint i = 0; i < lines->len; i++)
    {
      ParkdCashLine *line = g_ptr_array_index (lines, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      parkd_json_append_member (out, "attendant_id");
      if (line->attendant_id != NULL)
        parkd_json_append_string (out, line->attendant_id);
      else
        g_string_append (out, "null");
      parkd_json_append_member (out, "email");
      if (line->attendant_email != NULL)
        parkd_json_append_string (out, line->attendant_email);
      else
        g_string_append (out, "null");
      parkd_json_append_member (out, "payments");
      parkd_json_append_uint (out, line->payments);
      parkd_json_append_member (out, "taken");
      parkd_json_append_int (out, line->taken);
      parkd_json_append_member (out, "refunded");
      parkd_json_append_int (out, line->refunded);
      parkd_json_append_member (out, "net");
      parkd_json_append_int (out, line->taken - line->refunded);
      g_string_append_c (out, '}');
      total += line->taken - line->refunded;
    }
  g_string_append (out, "],\"total\":");
  parkd_json_append_int (out, total);
  g_string_append_c (out, '}');
  parkd_reply_json (r, 200, out);
}
