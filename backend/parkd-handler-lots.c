/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-handler-lots.c: parking lots, their spots and live availability.
 */
#include "config.h"

#include "parkd-hours.h"
#include "parkd-reply.h"
#include "parkd-server.h"

#include <string.h>

#define MAX_RADIUS_M   100000.0
#define MAX_PER_PAGE   100
#define MAX_SPOTS_PAGE 1000
#define MAX_PAGE       100000
#define MAX_BATCH      100

/* Rendered availability objects by their numbers, per thread: a page of twenty lots repeats
 * a few hundred distinct sets of counts, and writing ten numbers and five names each time was
 * a tenth of a search. */
#define AVAILABILITY_CACHE_SIZE 1024

typedef struct
{
  ParkdAvailability key[PARKD_N_SPOT_TYPES];
  guint16           len;
  char              text[238];
} AvailabilityEntry;

static GPrivate availability_cache = G_PRIVATE_INIT (g_free);

static void
render_availability (GString        *out,
                     const ParkdLot *lot)
{
  guint available = 0;

  for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
    available += lot->availability[t].available;

  parkd_json_append_member (out, "available_spots");
  parkd_json_append_uint (out, available);
  parkd_json_append_member (out, "availability");
  g_string_append_c (out, '{');
  for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
    {
      parkd_json_append_member (out, parkd_spot_type_to_string (t));
      g_string_append (out, "{\"total\":");
      parkd_json_append_uint (out, lot->availability[t].total);
      g_string_append (out, ",\"available\":");
      parkd_json_append_uint (out, lot->availability[t].available);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, '}');
}

static void
append_availability (GString        *out,
                     const ParkdLot *lot)
{
  AvailabilityEntry *cache = g_private_get (&availability_cache);
  AvailabilityEntry *entry;
  guint hash = 0;
  gsize start;

  if (cache == NULL)
    {
      cache = g_new0 (AvailabilityEntry, AVAILABILITY_CACHE_SIZE);
      g_private_set (&availability_cache, cache);
    }
  for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
    hash = (hash * 31 + lot->availability[t].total) * 31 + lot->availability[t].available;
  entry = &cache[hash % AVAILABILITY_CACHE_SIZE];

  if (entry->len > 0 && memcmp (entry->key, lot->availability, sizeof entry->key) == 0)
    {
      /* The member follows others in the lot object: the comma comes with it. */
      g_string_append_len (out, entry->text, entry->len);
      return;
    }

  start = out->len;
  render_availability (out, lot);
  if (out->len - start < sizeof entry->text && out->str[start] == ',')
    {
      memcpy (entry->key, lot->availability, sizeof entry->key);
      memcpy (entry->text, out->str + start, out->len - start);
      entry->len = out->len - start;
    }
}

static void
append_open_now (GString        *out,
                 const ParkdLot *lot,
                 GDateTime      *now)
{
  gboolean open = g_strcmp0 (lot->status, "open") == 0 &&
                  parkd_hours_is_open (lot->operating_hours, lot->time_zone, now);

  parkd_json_append_member (out, "open_now");
  g_string_append (out, open ? "true" : "false");
}

/* A rendered piece of JSON kept in a lot's render_cache slot (freed by the store). */
typedef struct
{
  gsize len;
  char  text[];
} Fragment;

/* Everything about a lot that changes only when the lot itself does. */
static void
append_lot_static (GString        *out,
                   const ParkdLot *lot)
{
  g_string_append_c (out, '{');
  parkd_json_append_member (out, "id");
  parkd_json_append_string (out, lot->id);
  parkd_json_append_member (out, "operator");
  g_string_append_c (out, '{');
  parkd_json_append_member (out, "id");
  parkd_json_append_string (out, lot->operator_id);
  parkd_json_append_member (out, "slug");
  parkd_json_append_string (out, lot->operator_slug);
  parkd_json_append_member (out, "name");
  parkd_json_append_string (out, lot->operator_name);
  g_string_append_c (out, '}');
  parkd_json_append_member (out, "name");
  parkd_json_append_string (out, lot->name);
  parkd_json_append_member (out, "address");
  parkd_json_append_string (out, lot->address);
  parkd_json_append_member (out, "city");
  parkd_json_append_string (out, lot->city);
  parkd_json_append_member (out, "location");
  g_string_append (out, "{\"lat\":");
  parkd_json_append_double (out, lot->lat, 7);
  g_string_append (out, ",\"lng\":");
  parkd_json_append_double (out, lot->lng, 7);
  g_string_append_c (out, '}');
  parkd_json_append_member (out, "lot_type");
  parkd_json_append_string (out, lot->lot_type);
  parkd_json_append_member (out, "status");
  parkd_json_append_string (out, lot->status);
  parkd_json_append_member (out, "total_spots");
  parkd_json_append_uint (out, lot->total_spots);
  parkd_json_append_member (out, "hourly_rate");
  parkd_json_append_int (out, lot->hourly_rate);
  parkd_json_append_member (out, "currency");
  parkd_json_append_string (out, lot->currency);
  parkd_json_append_member (out, "time_zone");
  parkd_json_append_string (out, lot->time_zone);
  /* Both were checked when written: they go out as stored. */
  parkd_json_append_member (out, "operating_hours");
  g_string_append (out, lot->operating_hours);
  parkd_json_append_member (out, "amenities");
  g_string_append (out, lot->amenities);
  parkd_json_append_member (out, "created_at");
  parkd_json_append_string (out, lot->created_at);
  parkd_json_append_member (out, "updated_at");
  parkd_json_append_string (out, lot->updated_at);
}

/* A lot as JSON. The part that only changes with the lot is rendered once and kept in the
 * store's slot for it (a search sends the same lots over and over); the live part (open now,
 * counts, distance) is written each time. */
void
parkd_json_append_lot (GString        *out,
                       const ParkdLot *lot,
                       GDateTime      *now)
{
  const Fragment *cached = lot->render_cache != NULL ? g_atomic_pointer_get (lot->render_cache)
                                                     : NULL;

  if (cached != NULL)
    g_string_append_len (out, cached->text, cached->len);
  else if (lot->render_cache != NULL)
    {
      g_autoptr(GString) text = g_string_sized_new (1024);
      Fragment *fragment;

      append_lot_static (text, lot);
      g_string_append_len (out, text->str, text->len);
      fragment = g_malloc (sizeof (Fragment) + text->len + 1);
      fragment->len = text->len;
      memcpy (fragment->text, text->str, text->len + 1);
      if (!g_atomic_pointer_compare_and_exchange (lot->render_cache, NULL, fragment))
        g_free (fragment);
    }
  else
    append_lot_static (out, lot);

  append_open_now (out, lot, now);
  append_availability (out, lot);
  if (lot->distance_m >= 0)
    {
      parkd_json_append_member (out, "distance_m");
      parkd_json_append_double (out, lot->distance_m, 1);
    }
  g_string_append_c (out, '}');
}

void
parkd_json_append_spot (GString         *out,
                        const ParkdSpot *spot)
{
  g_string_append_c (out, '{');
  parkd_json_append_member (out, "id");
  parkd_json_append_string (out, spot->id);
  parkd_json_append_member (out, "lot_id");
  parkd_json_append_string (out, spot->lot_id);
  parkd_json_append_member (out, "number");
  parkd_json_append_string (out, spot->number);
  parkd_json_append_member (out, "type");
  parkd_json_append_string (out, parkd_spot_type_to_string (spot->type));
  parkd_json_append_member (out, "level");
  g_string_append_printf (out, "%d", spot->level);
  parkd_json_append_member (out, "state");
  parkd_json_append_string (out, parkd_spot_state_to_string (spot->state));
  parkd_json_append_member (out, "updated_at");
  parkd_json_append_string (out, spot->updated_at);
  g_string_append_c (out, '}');
}

/* The seed's PaginatedResponse around items written by @append_item. */
GString *
parkd_page_to_json (const ParkdPage *page,
                    void (*append_item) (GString *, gconstpointer, GDateTime *))
{
  GString *out = g_string_sized_new (1024 + page->items->len * 1100);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_string_append (out, "{\"items\":[");
  for (guint i = 0; i < page->items->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_item (out, g_ptr_array_index (page->items, i), now);
    }
  g_string_append_printf (out,
                          "],\"total\":%" G_GUINT64_FORMAT ",\"page\":%u,\"per_page\":%u,"
                          "\"has_next\":%s,\"has_prev\":%s}",
                          page->total, page->page, page->per_page,
                          (guint64) page->page * page->per_page < page->total ? "true" : "false",
                          page->page > 1 ? "true" : "false");
  return out;
}

static gboolean
read_spot_type (ParkdRequest  *r,
                const char    *name,
                gboolean      *has,
                ParkdSpotType *type)
{
  const char *text = parkd_request_param (r, name);

  if (text == NULL)
    return TRUE;
  if (!parkd_spot_type_from_string (text, type))
    {
      parkd_reply_problem (r, 400, "invalid-parameter", name,
                           "\"%s\" must be one of regular, disabled, ev, compact, motorcycle",
                           name);
      return FALSE;
    }
  *has = TRUE;
  return TRUE;
}

/* "min_lng,min_lat,max_lng,max_lat", as GeoJSON orders a bounding box. */
static gboolean
read_bbox (ParkdRequest  *r,
           ParkdLotQuery *q)
{
  const char *text = parkd_request_param (r, "bbox");
  g_auto(GStrv) parts = NULL;
  double v[4];

  if (text == NULL)
    return TRUE;
  parts = g_strsplit (text, ",", 5);
  if (g_strv_length (parts) != 4)
    goto bad;
  for (guint i = 0; i < 4; i++)
    if (!parkd_parse_decimal (g_strstrip (parts[i]), &v[i]))
      goto bad;
  if (v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90 || v[0] > v[2] || v[1] > v[3])
    {
      parkd_reply_problem (r, 400, "out-of-range", "bbox",
                           "\"bbox\" must lie within -180..180 and -90..90 with the minimum "
                           "before the maximum");
      return FALSE;
    }
  q->has_bbox = TRUE;
  q->min_lng = v[0];
  q->min_lat = v[1];
  q->max_lng = v[2];
  q->max_lat = v[3];
  return TRUE;

bad:
  parkd_reply_problem (r, 400, "invalid-parameter", "bbox",
                       "\"bbox\" must be four numbers: min_lng,min_lat,max_lng,max_lat");
  return FALSE;
}

void
parkd_json_append_lot_item (GString       *out,
                 gconstpointer  item,
                 GDateTime     *now)
{
  parkd_json_append_lot (out, item, now);
}

static void
append_spot_item (GString       *out,
                  gconstpointer  item,
                  GDateTime     *now)
{
  parkd_json_append_spot (out, item);
}

/*
 * GET /api/v1/parking-lots?lat=&lng=[&radius=] | ?bbox=min_lng,min_lat,max_lng,max_lat[&lat=&lng=]
 *     [&q=][&spot_type=][&available_only=][&page=][&per_page=]
 *
 * Lots within @radius metres of (lat, lng) (default 1000, at most 100000), or inside the box,
 * nearest first, each with "distance_m" (from lat/lng, or from the box's centre) and its live
 * count of available spots per type. spot_type keeps lots that have such spots;
 * available_only keeps open lots with at least one free spot (of that type). q keeps lots
 * whose name, address or city holds it, whatever the case; with lat/lng and no radius or
 * box it looks everywhere, nearest first, as a driver typing a name expects.
 *
 * 200: a page of lots. 400 invalid-parameter, out-of-range, missing-parameter or
 * unknown-parameter, each naming the field.
 */
#define MAX_TEXT_CHARS 100

void
parkd_handle_lots_search (ParkdRequest *r)
{
  static const char * const allowed[] = {
    "lat", "lng", "radius", "bbox", "q", "spot_type", "available_only", "page", "per_page", NULL,
  };
  ParkdLotQuery q = { .radius_m = 1000, .page = 1, .per_page = 20 };
  g_autoptr(ParkdPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *q_param;
  gboolean has_lat, has_lng;

  if (!parkd_request_allow_params (r, allowed) ||
      !read_bbox (r, &q) ||
      !parkd_request_double (r, "lat", -90, 90, &q.lat) ||
      !parkd_request_double (r, "lng", -180, 180, &q.lng) ||
      !parkd_request_double (r, "radius", 1, MAX_RADIUS_M, &q.radius_m) ||
      !read_spot_type (r, "spot_type", &q.has_spot_type, &q.spot_type) ||
      !parkd_request_bool (r, "available_only", &q.available_only) ||
      !parkd_request_uint (r, "page", 1, MAX_PAGE, &q.page) ||
      !parkd_request_uint (r, "per_page", 1, MAX_PER_PAGE, &q.per_page))
    return;

  if ((q_param = parkd_request_param (r, "q")) != NULL)
    {
      g_autofree char *trimmed = NULL;

      if (!g_utf8_validate (q_param, -1, NULL))
        {
          parkd_reply_problem (r, 400, "invalid-parameter", "q", "\"q\" must be UTF-8 text");
          return;
        }
      trimmed = g_strstrip (g_strdup (q_param));
      if (*trimmed == '\0' || g_utf8_strlen (trimmed, -1) > MAX_TEXT_CHARS)
        {
          parkd_reply_problem (r, 400, "invalid-parameter", "q",
                               "\"q\" must be 1 to 100 characters, not only spaces");
          return;
        }
      text = parkd_fold_text (trimmed);
      q.text = text;
    }

  has_lat = parkd_request_param (r, "lat") != NULL;
  has_lng = parkd_request_param (r, "lng") != NULL;
  if (has_lat != has_lng)
    {
      parkd_reply_problem (r, 400, "missing-parameter", has_lat ? "lng" : "lat",
                           "\"lat\" and \"lng\" go together");
      return;
    }
  if (q.has_bbox)
    {
      if (parkd_request_param (r, "radius") != NULL)
        {
          parkd_reply_problem (r, 400, "invalid-parameter", "radius",
                               "\"radius\" cannot be combined with \"bbox\"");
          return;
        }
      if (!has_lat)
        {
          q.lat = (q.min_lat + q.max_lat) / 2;
          q.lng = (q.min_lng + q.max_lng) / 2;
        }
    }
  else if (!has_lat)
    {
      parkd_reply_problem (r, 400, "missing-parameter", "lat",
                           "Give \"lat\" and \"lng\" (with an optional \"radius\"), or \"bbox\"");
      return;
    }
  else if (text != NULL && parkd_request_param (r, "radius") == NULL)
    {
      /* A name, anywhere: the whole world, nearest first. */
      q.has_bbox = TRUE;
      q.min_lng = -180;
      q.min_lat = -90;
      q.max_lng = 180;
      q.max_lat = 90;
    }

  page = parkd_store_search_lots (r->store, &q, &error);
  if (page == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  parkd_reply_json (r, 200, parkd_page_to_json (page, parkd_json_append_lot_item));
}

gboolean
parkd_request_read_id (ParkdRequest *r,
                       const char   *what)
{
  if (!parkd_request_is_uuid (r->params[0]))
    {
      parkd_reply_problem (r, 400, "invalid-parameter", "id",
                           "The %s id must be a UUID", what);
      return FALSE;
    }
  /* Ids are stored in lower case; UUIDs compare case-insensitively. */
  for (char *p = (char *) r->params[0]; *p != '\0'; p++)
    *p = g_ascii_tolower (*p);
  return TRUE;
}

/*
 * GET /api/v1/parking-lots/{id}
 *
 * 200: the lot with its live availability. 400 invalid-parameter (id not a UUID), 404.
 */
void
parkd_handle_lot_get (ParkdRequest *r)
{
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  GString *out;

  if (!parkd_request_allow_params (r, NULL) || !parkd_request_read_id (r, "lot"))
    return;

  lot = parkd_store_get_lot (r->store, r->params[0], &error);
  if (lot == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  out = g_string_sized_new (1024);
  now = g_date_time_new_now_utc ();
  parkd_json_append_lot (out, lot, now);
  parkd_reply_json (r, 200, out);
}

/*
 * GET /api/v1/parking-lots/{id}/spots[?type=][&state=][&level=][&page=][&per_page=]
 *
 * The lot's spots by level and number (per_page up to 1000, default 100).
 * 200: a page of spots. 400 for a bad id or filter, naming it. 404 for an unknown lot.
 */
void
parkd_handle_lot_spots (ParkdRequest *r)
{
  static const char * const allowed[] = { "type", "state", "level", "page", "per_page", NULL };
  ParkdSpotQuery q = { .page = 1, .per_page = 100 };
  g_autoptr(ParkdPage) page = NULL;
  g_autoptr(GError) error = NULL;
  const char *state;

  if (!parkd_request_allow_params (r, allowed) || !parkd_request_read_id (r, "lot") ||
      !read_spot_type (r, "type", &q.has_type, &q.type) ||
      !parkd_request_int (r, "level", -100, 200, &q.level) ||
      !parkd_request_uint (r, "page", 1, MAX_PAGE, &q.page) ||
      !parkd_request_uint (r, "per_page", 1, MAX_SPOTS_PAGE, &q.per_page))
    return;
  q.has_level = parkd_request_param (r, "level") != NULL;

  state = parkd_request_param (r, "state");
  if (state != NULL)
    {
      if (!parkd_spot_state_from_string (state, &q.state))
        {
          parkd_reply_problem (r, 400, "invalid-parameter", "state",
                               "\"state\" must be one of available, occupied, reserved, "
                               "out_of_service");
          return;
        }
      q.has_state = TRUE;
    }

  page = parkd_store_list_spots (r->store, r->params[0], &q, &error);
  if (page == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  parkd_reply_json (r, 200, parkd_page_to_json (page, append_spot_item));
}

/*
 * POST /api/v1/parking-lots/availability
 * Body: {"lot_ids": ["<uuid>", …]} (1 to 100 ids)
 *
 * Live availability of several lots at once, for a kiosk or a list of saved lots.
 * 200: {"items": [{"lot_id", "status", "open_now", "total_spots", "available_spots",
 *       "availability"}], "not_found": ["<uuid>", …]}.
 * 400 missing-field / invalid-field naming "lot_ids" or "lot_ids[N]", or a JSON problem;
 * 413 body-too-large; 415 unsupported-media-type.
 */
void
parkd_handle_availability (ParkdRequest *r)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) lots = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  JsonObject *body = json_node_get_object (r->body);
  JsonNode *node;
  JsonArray *array;
  GString *out;
  guint n;

  if (!parkd_request_allow_params (r, NULL))
    return;

  node = json_object_get_member (body, "lot_ids");
  if (node == NULL)
    {
      parkd_reply_problem (r, 400, "missing-field", "lot_ids", "\"lot_ids\" is required");
      return;
    }
  {
    g_autoptr(GList) members = json_object_get_members (body);

    for (GList *m = members; m != NULL; m = m->next)
      if (!g_str_equal (m->data, "lot_ids"))
        {
          parkd_reply_problem (r, 400, "unknown-field", m->data, "Unknown field \"%s\"",
                               (const char *) m->data);
          return;
        }
  }
  if (!JSON_NODE_HOLDS_ARRAY (node) ||
      (n = json_array_get_length (array = json_node_get_array (node))) == 0 || n > MAX_BATCH)
    {
      parkd_reply_problem (r, 400, "invalid-field", "lot_ids",
                           "\"lot_ids\" must be an array of 1 to %d lot ids", MAX_BATCH);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      const char *id = JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING
                       ? json_node_get_string (e) : NULL;

      if (!parkd_request_is_uuid (id))
        {
          g_autofree char *field = g_strdup_printf ("lot_ids[%u]", i);

          parkd_reply_problem (r, 400, "invalid-field", field, "\"%s\" must be a lot id (UUID)",
                               field);
          return;
        }
      g_ptr_array_add (ids, g_ascii_strdown (id, -1));
    }
  g_ptr_array_add (ids, NULL);

  lots = parkd_store_get_availability (r->store, (const char * const *) ids->pdata, &error);
  if (lots == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }

  out = g_string_sized_new (256 + lots->len * 256);
  g_string_append (out, "{\"items\":[");
  for (guint i = 0; i < lots->len; i++)
    {
      const ParkdLot *lot = g_ptr_array_index (lots, i);

      g_string_append (out, i > 0 ? ",{" : "{");
      parkd_json_append_member (out, "lot_id");
      parkd_json_append_string (out, lot->id);
      parkd_json_append_member (out, "status");
      parkd_json_append_string (out, lot->status);
      append_open_now (out, lot, now);
      parkd_json_append_member (out, "total_spots");
      g_string_append_printf (out, "%u", lot->total_spots);
      append_availability (out, lot);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "],\"not_found\":[");
  for (guint i = 0, k = 0; i < n; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      gboolean found = FALSE;

      for (guint j = 0; j < lots->len && !found; j++)
        found = g_str_equal (((ParkdLot *) g_ptr_array_index (lots, j))->id, id);
      if (!found)
        {
          if (k++ > 0)
            g_string_append_c (out, ',');
          parkd_json_append_string (out, id);
        }
    }
  g_string_append (out, "]}");
  parkd_reply_json (r, 200, out);
}
