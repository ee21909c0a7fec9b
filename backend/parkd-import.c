/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-import.c: lots from ParkAPI GeoJSON files, the demo city and synthetic benchmark data,
 * all through parkd_store_import_lots(): one transaction each.
 *
 * ParkAPI files are real and uneven: the first feature is usually the city, lots may lack a
 * capacity ("total") or have 0, names repeat. What is good is imported; every skipped feature
 * is reported with its reason.
 */
#include "config.h"

#include "parkd-demo-data.h"
#include "parkd-hours.h"
#include "parkd-import.h"
#include "parkd-json.h"

#include <math.h>
#include <string.h>

#define MAX_FILE_SIZE (64 * 1024 * 1024)
#define MAX_CAPACITY  100000

void
parkd_import_report_clear (ParkdImportReport *report)
{
  g_clear_pointer (&report->city, g_free);
  g_clear_pointer (&report->skipped, g_ptr_array_unref);
  report->imported = report->spots = 0;
}

void
parkd_new_lot_free (ParkdNewLot *nl)
{
  if (nl == NULL)
    return;
  parkd_lot_clear (&nl->lot);
  g_free (nl);
}

void
parkd_new_lot_set_spots (ParkdNewLot *nl,
                         guint        total,
                         const char  *lot_type,
                         gboolean     ev_charging,
                         gboolean     motorcycles)
{
  gboolean garage = g_strcmp0 (lot_type, "multi_storey") == 0 ||
                    g_strcmp0 (lot_type, "underground") == 0;
  guint left = total;
  guint n;

  memset (nl->n_spots, 0, sizeof nl->n_spots);
  /* Accessible spaces: about 3 %, at least one from 10 spaces on. */
  n = total >= 10 ? MAX (1, total * 3 / 100) : 0;
  nl->n_spots[PARKD_SPOT_TYPE_DISABLED] = MIN (n, left);
  left -= nl->n_spots[PARKD_SPOT_TYPE_DISABLED];
  n = ev_charging ? MAX (1, total * 8 / 100) : 0;
  nl->n_spots[PARKD_SPOT_TYPE_EV] = MIN (n, left);
  left -= nl->n_spots[PARKD_SPOT_TYPE_EV];
  n = motorcycles ? MAX (1, total * 3 / 100) : 0;
  nl->n_spots[PARKD_SPOT_TYPE_MOTORCYCLE] = MIN (n, left);
  left -= nl->n_spots[PARKD_SPOT_TYPE_MOTORCYCLE];
  n = garage ? total * 8 / 100 : 0;
  nl->n_spots[PARKD_SPOT_TYPE_COMPACT] = MIN (n, left);
  left -= nl->n_spots[PARKD_SPOT_TYPE_COMPACT];
  nl->n_spots[PARKD_SPOT_TYPE_REGULAR] = left;

  nl->underground = g_strcmp0 (lot_type, "underground") == 0;
  if (g_strcmp0 (lot_type, "multi_storey") == 0)
    nl->n_levels = MAX (1, (total + 219) / 220);
  else if (nl->underground)
    nl->n_levels = MAX (1, (total + 249) / 250);
  else
    nl->n_levels = 1;
}

/* ParkAPI's German lot types. */
static const char *
map_lot_type (const char *type)
{
  if (type == NULL)
    return "other";
  if (g_str_equal (type, "Parkhaus"))
    return "multi_storey";
  if (g_str_equal (type, "Tiefgarage"))
    return "underground";
  if (g_str_equal (type, "Parkplatz") || g_str_equal (type, "Parkfläche"))
    return "surface";
  return "other";
}

static const char *
string_member (JsonObject *obj,
               const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
invalid (GError    **error,
         guint       index,
         const char *what)
{
  g_set_error (error, PARKD_REQUEST_ERROR, PARKD_REQUEST_ERROR_INVALID_FIELD,
               "Not valid GeoJSON: feature %u %s; nothing was imported", index, what);
  return FALSE;
}

/* A GeoJSON position: an array of two or three numbers, longitude first. */
static gboolean
read_point (JsonObject *geometry,
            double     *lng,
            double     *lat)
{
  JsonNode *node = json_object_get_member (geometry, "coordinates");
  JsonArray *coords;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  coords = json_node_get_array (node);
  n = json_array_get_length (coords);
  if (n < 2 || n > 3)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (coords, i);
      GType t = JSON_NODE_HOLDS_VALUE (e) ? json_node_get_value_type (e) : G_TYPE_INVALID;

      if (t != G_TYPE_INT64 && t != G_TYPE_DOUBLE)
        return FALSE;
    }
  *lng = json_array_get_double_element (coords, 0);
  *lat = json_array_get_double_element (coords, 1);
  return TRUE;
}

gboolean
parkd_import_geojson (ParkdStore           *store,
                      const char           *path,
                      const ParkdOperator  *want,
                      gint64                hourly_rate,
                      const char           *hours_json,
                      ParkdImportReport    *report,
                      GError              **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  memset (report, 0, sizeof *report);
  report->skipped = g_ptr_array_new_with_free_func (g_free);

  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;
  if (len > MAX_FILE_SIZE)
    {
      g_set_error (error, PARKD_REQUEST_ERROR, PARKD_REQUEST_ERROR_TOO_LARGE,
                   "%s is larger than %d MiB", path, MAX_FILE_SIZE / (1024 * 1024));
      return FALSE;
    }

  root = parkd_json_parse_object (contents, len, error);
  if (root == NULL)
    {
      g_prefix_error (error, "Not valid JSON, nothing was imported: ");
      return FALSE;
    }
  return parkd_import_geojson_node (store, root, want, hourly_rate, hours_json, NULL, report,
                                    error);
}

gboolean
parkd_import_geojson_node (ParkdStore           *store,
                           JsonNode             *root,
                           const ParkdOperator  *want,
                           gint64                hourly_rate,
                           const char           *hours_json,
                           const ParkdAudit     *audit,
                           ParkdImportReport    *report,
                           GError              **error)
{
  g_autoptr(GPtrArray) lots = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_new_lot_free);
  g_autofree char *always = NULL;
  g_autofree char *detail = NULL;
  ParkdOperator op = *want;
  ParkdAudit with_counts;
  JsonObject *collection;
  JsonNode *features_node;
  JsonArray *features;

  if (report->skipped == NULL)
    {
      memset (report, 0, sizeof *report);
      report->skipped = g_ptr_array_new_with_free_func (g_free);
    }
  collection = json_node_get_object (root);
  features_node = json_object_get_member (collection, "features");
  if (g_strcmp0 (string_member (collection, "type"), "FeatureCollection") != 0 ||
      features_node == NULL || !JSON_NODE_HOLDS_ARRAY (features_node))
    {
      g_set_error (error, PARKD_REQUEST_ERROR, PARKD_REQUEST_ERROR_INVALID_FIELD,
                   "Not a GeoJSON FeatureCollection with a \"features\" array; "
                   "nothing was imported");
      return FALSE;
    }
  features = json_node_get_array (features_node);

  if (hours_json == NULL)
    hours_json = always = parkd_hours_always_open ();

  /* First pass: the city, so every lot gets it whatever the order. */
  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      JsonNode *f = json_array_get_element (features, i);
      JsonNode *props;

      if (!JSON_NODE_HOLDS_OBJECT (f))
        return invalid (error, i, "is not an object");
      props = json_object_get_member (json_node_get_object (f), "properties");
      if (props != NULL && JSON_NODE_HOLDS_OBJECT (props) &&
          g_strcmp0 (string_member (json_node_get_object (props), "type"), "city") == 0 &&
          report->city == NULL)
        report->city = g_strdup (string_member (json_node_get_object (props), "name"));
    }

  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      JsonObject *feature = json_node_get_object (json_array_get_element (features, i));
      JsonNode *geometry_node = json_object_get_member (feature, "geometry");
      JsonNode *props_node = json_object_get_member (feature, "properties");
      g_autoptr(ParkdNewLot) nl = NULL;
      JsonObject *props, *geometry;
      const char *name, *geometry_type;
      JsonNode *total_node;
      double lat, lng;
      gint64 total;

      if (g_strcmp0 (string_member (feature, "type"), "Feature") != 0)
        return invalid (error, i, "is not of type \"Feature\"");
      if (props_node == NULL || !(JSON_NODE_HOLDS_OBJECT (props_node) ||
                                  JSON_NODE_HOLDS_NULL (props_node)))
        return invalid (error, i, "has no \"properties\" object");
      if (geometry_node == NULL ||
          !(JSON_NODE_HOLDS_OBJECT (geometry_node) || JSON_NODE_HOLDS_NULL (geometry_node)))
        return invalid (error, i, "has no \"geometry\"");

      props = JSON_NODE_HOLDS_OBJECT (props_node) ? json_node_get_object (props_node) : NULL;
      name = props != NULL ? string_member (props, "name") : NULL;
      if (props != NULL && g_strcmp0 (string_member (props, "type"), "city") == 0)
        continue;
      if (name == NULL || strspn (name, " \t\n\r") == strlen (name))
        {
          g_ptr_array_add (report->skipped,
                           g_strdup_printf ("feature %u: no name", i));
          continue;
        }

      if (JSON_NODE_HOLDS_NULL (geometry_node))
        {
          g_ptr_array_add (report->skipped, g_strdup_printf ("%s: no location", name));
          continue;
        }
      geometry = json_node_get_object (geometry_node);
      geometry_type = string_member (geometry, "type");
      if (geometry_type == NULL)
        return invalid (error, i, "has a geometry without a type");
      if (!g_str_equal (geometry_type, "Point"))
        {
          g_ptr_array_add (report->skipped,
                           g_strdup_printf ("%s: location is a %s, not a Point", name,
                                            geometry_type));
          continue;
        }
      if (!read_point (geometry, &lng, &lat))
        return invalid (error, i, "has a Point without two numeric coordinates");
      if (lat < -90 || lat > 90 || lng < -180 || lng > 180)
        {
          g_ptr_array_add (report->skipped,
                           g_strdup_printf ("%s: coordinates out of range", name));
          continue;
        }

      total_node = json_object_get_member (props, "total");
      if (total_node == NULL || JSON_NODE_HOLDS_NULL (total_node))
        {
          g_ptr_array_add (report->skipped,
                           g_strdup_printf ("%s: no capacity (\"total\")", name));
          continue;
        }
      if (!JSON_NODE_HOLDS_VALUE (total_node) ||
          json_node_get_value_type (total_node) != G_TYPE_INT64)
        {
          g_ptr_array_add (report->skipped,
                           g_strdup_printf ("%s: capacity is not a whole number", name));
          continue;
        }
      total = json_node_get_int (total_node);
      if (total <= 0 || total > MAX_CAPACITY)
        {
          g_ptr_array_add (report->skipped,
                           g_strdup_printf ("%s: capacity %" G_GINT64_FORMAT " is not usable",
                                            name, total));
          continue;
        }

      {
        g_autofree char *trimmed = g_strstrip (g_strdup (name));

        for (guint k = 0; k < lots->len; k++)
          {
            ParkdNewLot *other = g_ptr_array_index (lots, k);

            if (g_str_equal (other->lot.name, trimmed) && other->lot.lat == lat &&
                other->lot.lng == lng)
            {
                g_ptr_array_add (report->skipped,
                                 g_strdup_printf ("%s: listed twice in the file", trimmed));
                goto next;
              }
          }
      }

      nl = g_new0 (ParkdNewLot, 1);
      nl->lot.name = g_strstrip (g_strdup (name));
      nl->lot.address = g_strdup (string_member (props, "address") != NULL
                                  ? string_member (props, "address")
                                  : report->city != NULL ? report->city : "");
      g_strstrip (nl->lot.address);
      nl->lot.city = g_strdup (report->city);
      nl->lot.lat = lat;
      nl->lot.lng = lng;
      nl->lot.lot_type = g_strdup (map_lot_type (string_member (props, "type")));
      nl->lot.hourly_rate = hourly_rate;
      nl->lot.operating_hours = g_strdup (hours_json);
      nl->lot.amenities = g_strdup ("[]");
      parkd_new_lot_set_spots (nl, total, nl->lot.lot_type, FALSE, FALSE);
      g_ptr_array_add (lots, g_steal_pointer (&nl));
    next:
      ;
    }

  if (op.city == NULL)
    op.city = report->city;
  if (audit != NULL)
    {
      with_counts = *audit;
      detail = g_strdup_printf ("{\"lots\":%u,\"skipped\":%u}", lots->len,
                                report->skipped->len);
      with_counts.detail = detail;
    }
  if (!parkd_store_import_lots (store, &op, (ParkdNewLot **) lots->pdata, lots->len,
                                audit != NULL ? &with_counts : NULL, error))
    return FALSE;

  for (guint i = 0; i < lots->len; i++)
    {
      ParkdNewLot *nl = g_ptr_array_index (lots, i);

      if (nl->existed)
        {
          g_ptr_array_add (report->skipped,
                           g_strdup_printf ("%s: already imported", nl->lot.name));
          continue;
        }
      report->imported++;
      for (guint t = 0; t < PARKD_N_SPOT_TYPES; t++)
        report->spots += nl->n_spots[t];
    }
  return TRUE;
}

static gboolean
has_amenity (const char *list,
             const char *amenity)
{
  g_auto(GStrv) parts = g_strsplit (list, ",", 0);

  return g_strv_contains ((const char * const *) parts, amenity);
}

static char *
amenities_json (const char *list)
{
  g_auto(GStrv) parts = g_strsplit (list, ",", 0);
  GString *out = g_string_new ("[");

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0')
        continue;
      if (out->len > 1)
        g_string_append_c (out, ',');
      parkd_json_append_string (out, parts[i]);
    }
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

gboolean
parkd_demo_seed (ParkdStore  *store,
                 gboolean    *seeded,
                 GError     **error)
{
  const ParkdDemoOperator *demo = parkd_demo_operator ();
  g_autoptr(GPtrArray) lots = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_new_lot_free);
  g_autoptr(ParkdOperator) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  ParkdOperator op = { 0, };
  const ParkdDemoLot *table;
  guint n;

  *seeded = FALSE;
  existing = parkd_store_get_operator (store, demo->slug, &local_error);
  if (existing != NULL)
    return TRUE;
  if (!g_error_matches (local_error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  table = parkd_demo_lots (&n);
  for (guint i = 0; i < n; i++)
    {
      const ParkdDemoLot *d = &table[i];
      ParkdNewLot *nl = g_new0 (ParkdNewLot, 1);

      g_assert (parkd_hours_validate (d->hours, NULL));
      nl->lot.name = g_strdup (d->name);
      nl->lot.address = g_strdup (d->address);
      nl->lot.city = g_strdup (demo->city);
      nl->lot.lat = d->lat;
      nl->lot.lng = d->lng;
      nl->lot.lot_type = g_strdup (d->lot_type);
      nl->lot.hourly_rate = d->hourly_rate;
      nl->lot.operating_hours = g_strdup (d->hours);
      nl->lot.amenities = amenities_json (d->amenities);
      nl->occupancy = d->occupancy;
      nl->occupancy_seed = 1000 + i;
      parkd_new_lot_set_spots (nl, d->capacity, d->lot_type,
                               has_amenity (d->amenities, "ev_charging"),
                               has_amenity (d->amenities, "motorcycle_parking"));
      g_ptr_array_add (lots, nl);
    }

  op.slug = (char *) demo->slug;
  op.name = (char *) demo->name;
  op.city = (char *) demo->city;
  op.time_zone = (char *) demo->time_zone;
  op.currency = (char *) demo->currency;
  if (!parkd_store_import_lots (store, &op, (ParkdNewLot **) lots->pdata, lots->len, NULL,
                                error))
    return FALSE;
  *seeded = TRUE;
  return TRUE;
}

gboolean
parkd_demo_generate (ParkdStore  *store,
                     guint        n_lots,
                     guint        spots_per_lot,
                     guint32      seed,
                     double       center_lat,
                     double       center_lng,
                     double       spread_km,
                     GError     **error)
{
  static const char * const types[] = { "multi_storey", "underground", "surface", "surface" };
  g_autoptr(GPtrArray) lots = g_ptr_array_new_with_free_func ((GDestroyNotify) parkd_new_lot_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree char *hours = parkd_hours_always_open ();
  ParkdOperator op = { 0, };
  const double km_per_degree = 6371.0088 * G_PI / 180.0;

  for (guint i = 0; i < n_lots; i++)
    {
      ParkdNewLot *nl = g_new0 (ParkdNewLot, 1);
      double r = spread_km * sqrt (g_rand_double (rand));
      double theta = 2 * G_PI * g_rand_double (rand);
      const char *type = types[i % G_N_ELEMENTS (types)];

      nl->lot.name = g_strdup_printf ("Lot %05u", i + 1);
      nl->lot.address = g_strdup_printf ("Generated Street %u", i + 1);
      nl->lot.lat = center_lat + r * cos (theta) / km_per_degree;
      nl->lot.lng = center_lng + r * sin (theta) / (km_per_degree * cos (center_lat * G_PI / 180));
      nl->lot.lot_type = g_strdup (type);
      nl->lot.hourly_rate = 100 + 50 * g_rand_int_range (rand, 0, 6);
      nl->lot.operating_hours = g_strdup (hours);
      nl->lot.amenities = g_strdup (i % 3 == 0 ? "[\"ev_charging\",\"cctv\"]" : "[]");
      nl->occupancy = g_rand_double_range (rand, 0.2, 0.97);
      nl->occupancy_seed = seed + i;
      parkd_new_lot_set_spots (nl, spots_per_lot, type, i % 3 == 0, i % 4 == 0);
      g_ptr_array_add (lots, nl);
    }

  op.slug = (char *) "bench";
  op.name = (char *) "Benchmark Parking";
  op.city = (char *) "Benchmark City";
  op.time_zone = (char *) "Europe/Berlin";
  op.currency = (char *) "EUR";
  return parkd_store_import_lots (store, &op, (ParkdNewLot **) lots->pdata, lots->len, NULL,
                                  error);
}
