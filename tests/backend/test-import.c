/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * "parkd import-geojson" against the server: every real ParkAPI city file imports what it
 * holds and reports what it skips, a second import adds nothing, a broken file adds nothing
 * at all, the options reach the API, and imported lots outlive a restart.
 *
 * Expectations are computed here from the GeoJSON itself with json-glib, never taken from the
 * importer: a lot is a Feature whose properties.type is not "city", with a name, a Point
 * geometry and an integer "total" above 0; an exact repeat of an earlier lot's name and
 * coordinates in the same file counts once.
 */
#include "park-test-backend.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#define SKIP_NO_SHARED_DATA \
  "../shared/data not found: the real ParkAPI files live beside the checkout"

typedef struct
{
  ParkTestBackend *backend;
} Fixture;

typedef struct
{
  char   *name;
  double  lat;
  double  lng;
  gint64  total;
} ExpectedLot;

typedef struct
{
  char      *file;        /* basename, e.g. "Luebeck.geojson" */
  char      *slug;        /* "luebeck" */
  char      *city;        /* name of the first "city" feature, or NULL */
  GPtrArray *lots;        /* ExpectedLot, in file order, repeats removed */
  GPtrArray *skipped;     /* names of the features that are neither the city nor a lot */
  guint      n_repeats;   /* exact repeats of an earlier lot */
  guint64    spots;       /* sum of the lots' totals */
} Expected;

typedef struct
{
  guint64 operators;
  guint64 lots;
  guint64 spots;
} Counts;

static void
expected_lot_free (gpointer data)
{
  ExpectedLot *lot = data;

  g_free (lot->name);
  g_free (lot);
}

static void
expected_free (Expected *e)
{
  if (e == NULL)
    return;
  g_free (e->file);
  g_free (e->slug);
  g_free (e->city);
  g_clear_pointer (&e->lots, g_ptr_array_unref);
  g_clear_pointer (&e->skipped, g_ptr_array_unref);
  g_free (e);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Expected, expected_free)

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  /* The server is started by each test once its imports are done. */
  f->backend = park_test_backend_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->backend, park_test_backend_free);
}

/* ------------------------------------------------------------------------------------------ */
/* Independent reading of a GeoJSON file                                                       */

static const char *
object_string (JsonObject *obj,
               const char *member)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* "Sample_City.geojson" → "sample-city". */
static char *
slug_for_file (const char *file)
{
  g_autofree char *stem = g_strndup (file, strlen (file) - strlen (".geojson"));
  char *slug = g_ascii_strdown (stem, -1);

  g_strdelimit (slug, "_", '-');
  return slug;
}

static gboolean
point_of (JsonObject *feature,
          double     *lat,
          double     *lng)
{
  JsonNode *geometry = json_object_get_member (feature, "geometry");
  JsonObject *obj;
  JsonNode *coords;
  JsonArray *array;

  if (geometry == NULL || !JSON_NODE_HOLDS_OBJECT (geometry))
    return FALSE;
  obj = json_node_get_object (geometry);
  if (g_strcmp0 (object_string (obj, "type"), "Point") != 0)
    return FALSE;
  coords = json_object_get_member (obj, "coordinates");
  if (coords == NULL || !JSON_NODE_HOLDS_ARRAY (coords))
    return FALSE;
  array = json_node_get_array (coords);
  if (json_array_get_length (array) < 2)
    return FALSE;
  *lng = json_array_get_double_element (array, 0);
  *lat = json_array_get_double_element (array, 1);
  return *lat >= -90 && *lat <= 90 && *lng >= -180 && *lng <= 180;
}

static Expected *
expected_from_file (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  Expected *e = g_new0 (Expected, 1);
  JsonArray *features;

  e->file = g_path_get_basename (path);
  e->slug = slug_for_file (e->file);
  e->lots = g_ptr_array_new_with_free_func (expected_lot_free);
  e->skipped = g_ptr_array_new_with_free_func (g_free);

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  features = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "features");
  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      JsonObject *feature = json_array_get_object_element (features, i);
      JsonNode *props_node = json_object_get_member (feature, "properties");
      JsonObject *props = props_node != NULL && JSON_NODE_HOLDS_OBJECT (props_node)
                          ? json_node_get_object (props_node) : NULL;
      const char *name = object_string (props, "name");
      JsonNode *total = props != NULL ? json_object_get_member (props, "total") : NULL;
      gboolean repeat = FALSE;
      ExpectedLot *lot;
      double lat, lng;

      if (g_strcmp0 (object_string (props, "type"), "city") == 0)
        {
          if (e->city == NULL)
            e->city = g_strdup (name);
          continue;
        }
      if (name == NULL || *name == '\0' || !point_of (feature, &lat, &lng) ||
          total == NULL || !JSON_NODE_HOLDS_VALUE (total) ||
          json_node_get_value_type (total) != G_TYPE_INT64 || json_node_get_int (total) <= 0)
        {
          g_ptr_array_add (e->skipped, g_strdup (name));
          continue;
        }
      for (guint k = 0; k < e->lots->len && !repeat; k++)
        {
          ExpectedLot *other = g_ptr_array_index (e->lots, k);

          repeat = g_str_equal (other->name, name) && other->lat == lat && other->lng == lng;
        }
      if (repeat)
        {
          e->n_repeats++;
          continue;
        }
      lot = g_new0 (ExpectedLot, 1);
      lot->name = g_strdup (name);
      lot->lat = lat;
      lot->lng = lng;
      lot->total = json_node_get_int (total);
      e->spots += lot->total;
      g_ptr_array_add (e->lots, lot);
    }
  return e;
}

/* ------------------------------------------------------------------------------------------ */
/* Running the importer and reading what it prints                                             */

static int
import_file (Fixture            *f,
             const char         *path,
             const char         *slug,
             const char * const *extra,
             char              **out,
             char              **err)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *stdout_buf = NULL;
  g_autofree char *stderr_buf = NULL;
  int status;

  g_ptr_array_add (args, (gpointer) "import-geojson");
  g_ptr_array_add (args, (gpointer) path);
  g_ptr_array_add (args, (gpointer) "--operator");
  g_ptr_array_add (args, (gpointer) slug);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) extra[i]);
  g_ptr_array_add (args, NULL);

  status = park_test_backend_run_cli (f->backend, (const char * const *) args->pdata,
                                      &stdout_buf, &stderr_buf);
  g_test_message ("import %s as %s: exit %d\n%s%s", path, slug, status, stdout_buf, stderr_buf);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_buf);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_buf);
  return status;
}

/* The "Imported N lots with M spots" line. */
static void
parse_imported (const char *out,
                guint      *n_lots,
                guint      *n_spots)
{
  const char *line = strstr (out, "Imported ");

  g_assert_nonnull (line);
  g_assert_true (line == out || line[-1] == '\n');
  if (sscanf (line, "Imported %u lots with %u spots", n_lots, n_spots) != 2)
    g_error ("cannot read the summary line: %s", line);
}

/* The lines under "Skipped K:", without their indentation. */
static GPtrArray *
parse_skipped (const char *out)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) all = g_strsplit (out, "\n", -1);
  guint announced = 0;
  guint i;

  for (i = 0; all[i] != NULL; i++)
    if (g_str_has_prefix (all[i], "Skipped "))
      break;
  if (all[i] == NULL)
    return lines;
  if (sscanf (all[i], "Skipped %u:", &announced) != 1)
    g_error ("cannot read the skipped line: %s", all[i]);
  for (i++; all[i] != NULL && g_str_has_prefix (all[i], "  "); i++)
    g_ptr_array_add (lines, g_strdup (all[i] + 2));
  g_assert_cmpuint (lines->len, ==, announced);
  return lines;
}

/* Takes out of @lines the first one that reads "NAME: reason" with a reason given and, when
 * @reason_has is set, containing it; fails when there is none. A feature without a name is
 * reported by its index: "feature N: reason". */
static void
take_skipped (GPtrArray  *lines,
              const char *name,
              const char *reason_has)
{
  g_autofree char *prefix = name != NULL ? g_strdup_printf ("%s: ", name)
                                         : g_strdup ("feature ");

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      const char *reason = line + strlen (prefix);

      if (!g_str_has_prefix (line, prefix) || strlen (line) == strlen (prefix))
        continue;
      if (reason_has != NULL && strstr (reason, reason_has) == NULL)
        continue;
      g_ptr_array_remove_index (lines, i);
      return;
    }
  g_error ("\"%s\" is not among the skipped features with a reason%s%s", name,
           reason_has != NULL ? " mentioning " : "", reason_has != NULL ? reason_has : "");
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->backend->tmpdir, name, NULL);

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

/* ------------------------------------------------------------------------------------------ */
/* Reading the server                                                                          */

static Counts
get_counts (Fixture *f)
{
  g_autoptr(ParkTestResponse) r = park_test_get (f->backend, "api/v1/info");
  JsonObject *counts;
  Counts c;

  g_assert_cmpuint (r->status, ==, 200);
  counts = json_object_get_object_member (park_test_response_object (r), "counts");
  c.operators = json_object_get_int_member (counts, "operators");
  c.lots = json_object_get_int_member (counts, "lots");
  c.spots = json_object_get_int_member (counts, "spots");
  return c;
}

static void
assert_counts (Fixture *f,
               guint64  operators,
               guint64  lots,
               guint64  spots)
{
  Counts c = get_counts (f);

  g_assert_cmpuint (c.operators, ==, operators);
  g_assert_cmpuint (c.lots, ==, lots);
  g_assert_cmpuint (c.spots, ==, spots);
}

/* Sums the availability per type and checks it against the lot's totals. */
static void
assert_availability_consistent (JsonObject *lot)
{
  JsonObject *availability = json_object_get_object_member (lot, "availability");
  g_autoptr(GList) types = json_object_get_members (availability);
  gint64 total = 0, available = 0;

  g_assert_cmpuint (g_list_length (types), ==, 5);
  for (GList *l = types; l != NULL; l = l->next)
    {
      JsonObject *t = json_object_get_object_member (availability, l->data);

      g_assert_cmpint (json_object_get_int_member (t, "available"), <=,
                       json_object_get_int_member (t, "total"));
      total += json_object_get_int_member (t, "total");
      available += json_object_get_int_member (t, "available");
    }
  g_assert_cmpint (total, ==, json_object_get_int_member (lot, "total_spots"));
  g_assert_cmpint (available, ==, json_object_get_int_member (lot, "available_spots"));
}

/* The lot called @name within 50 m of (lat, lng) that belongs to the operator @slug, as the
 * nearby search answers it; the answer stays valid while @out_response lives. The operator
 * matters: ParkAPI's Mannheim file repeats two of Dortmund's lots, name and place. */
static JsonObject *
find_lot_near (Fixture           *f,
               const char        *slug,
               const char        *name,
               double             lat,
               double             lng,
               ParkTestResponse **out_response)
{
  char lat_text[G_ASCII_DTOSTR_BUF_SIZE], lng_text[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *want = g_strstrip (g_strdup (name));
  ParkTestResponse *r;
  JsonArray *items;

  g_ascii_dtostr (lat_text, sizeof lat_text, lat);
  g_ascii_dtostr (lng_text, sizeof lng_text, lng);
  r = park_test_get (f->backend, "api/v1/parking-lots?lat=%s&lng=%s&radius=50&per_page=100",
                     lat_text, lng_text);
  g_assert_cmpuint (r->status, ==, 200);
  *out_response = r;
  items = json_object_get_array_member (park_test_response_object (r), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *lot = json_array_get_object_element (items, i);

      JsonObject *op = json_object_get_object_member (lot, "operator");

      if (g_str_equal (json_object_get_string_member (lot, "name"), want) &&
          g_str_equal (json_object_get_string_member (op, "slug"), slug))
        return lot;
    }
  g_error ("no lot called \"%s\" of operator %s within 50 m of %s,%s (%u found)", want, slug,
           lat_text, lng_text, json_array_get_length (items));
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* /backend/import/every-city                                                                  */

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
city_files (const char *dir_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".geojson"))
      g_ptr_array_add (files, g_build_filename (dir_path, name, NULL));
  g_ptr_array_sort (files, compare_paths);
  return files;
}

/* Checks what "import-geojson" printed for the file @e describes, imported as @slug. */
static void
check_import_report (const Expected *e,
                     const char     *slug,
                     const char     *out)
{
  g_autoptr(GPtrArray) skipped = parse_skipped (out);
  guint n_lots, n_spots;

  parse_imported (out, &n_lots, &n_spots);
  g_assert_cmpuint (n_lots, ==, e->lots->len);
  g_assert_cmpuint (n_spots, ==, e->spots);
  if (e->city != NULL)
    {
      g_autofree char *city = g_strdup_printf (" for operator %s (%s)\n", slug, e->city);

      g_assert_nonnull (strstr (out, city));
    }

  /* Every feature that is not a usable lot is reported by name with its reason; repeats
   * are reported too, and nothing else is. */
  for (guint i = 0; i < e->skipped->len; i++)
    take_skipped (skipped, g_ptr_array_index (e->skipped, i), NULL);
  g_assert_cmpuint (skipped->len, ==, e->n_repeats);
}

static void
check_city_lots (Fixture        *f,
                 const Expected *e,
                 const char     *currency,
                 const char     *time_zone)
{
  for (guint i = 0; i < e->lots->len; i++)
    {
      const ExpectedLot *want = g_ptr_array_index (e->lots, i);
      g_autoptr(ParkTestResponse) r = NULL;
      JsonObject *lot = find_lot_near (f, e->slug, want->name, want->lat, want->lng, &r);
      JsonObject *location = json_object_get_object_member (lot, "location");

      g_assert_cmpfloat (json_object_get_double_member (lot, "distance_m"), <, 1.0);
      g_assert_cmpfloat (park_test_haversine_m (want->lat, want->lng,
                                                json_object_get_double_member (location, "lat"),
                                                json_object_get_double_member (location, "lng")),
                         <, 1.0);
      g_assert_cmpint (json_object_get_int_member (lot, "total_spots"), ==, want->total);
      assert_availability_consistent (lot);
      g_assert_cmpstr (json_object_get_string_member (lot, "city"), ==,
                       e->city != NULL ? e->city : "");
      g_assert_cmpstr (json_object_get_string_member (
                         json_object_get_object_member (lot, "operator"), "slug"), ==, e->slug);
      g_assert_cmpstr (json_object_get_string_member (lot, "currency"), ==, currency);
      g_assert_cmpstr (json_object_get_string_member (lot, "time_zone"), ==, time_zone);
    }
}

static void
test_every_city (Fixture       *f,
                 gconstpointer  data)
{
  const char *shared = park_test_shared_data_dir ();
  g_autofree char *cities_dir = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(ParkTestResponse) info = NULL;
  g_autoptr(GString) table = g_string_new (NULL);
  guint64 sum_lots = 0, sum_spots = 0;
  JsonArray *bbox;

  if (shared != NULL)
    cities_dir = g_build_filename (shared, "cities", NULL);
  if (cities_dir == NULL || !g_file_test (cities_dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip (SKIP_NO_SHARED_DATA);
      return;
    }

  files = city_files (cities_dir);
  g_assert_cmpuint (files->len, >, 0);
  expected = g_ptr_array_new_with_free_func ((GDestroyNotify) expected_free);

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      Expected *e = expected_from_file (path);
      gboolean basel = g_str_equal (e->slug, "basel");
      const char *extra[] = {
        "--time-zone", basel ? "Europe/Zurich" : "Europe/Berlin",
        "--currency", basel ? "CHF" : "EUR",
        NULL,
      };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_ptr_array_add (expected, e);
      g_assert_cmpint (import_file (f, path, e->slug, extra, &out, &err), ==, 0);
      check_import_report (e, e->slug, out);
      sum_lots += e->lots->len;
      sum_spots += e->spots;
      g_string_append_printf (table, "%-22s %-18s %4u lots %6" G_GUINT64_FORMAT " spots, "
                              "%2u skipped, %u repeats\n", e->file,
                              e->city != NULL ? e->city : "(no city)", e->lots->len, e->spots,
                              e->skipped->len, e->n_repeats);
    }
  g_string_append_printf (table, "%-22s %-18s %4" G_GUINT64_FORMAT " lots %6" G_GUINT64_FORMAT
                          " spots\n", "all", "", sum_lots, sum_spots);
  g_test_message ("imported:\n%s", table->str);

  park_test_backend_start (f->backend, NULL);

  /* Every file made its operator, Frankfurt's with no lots among them. */
  assert_counts (f, files->len, sum_lots, sum_spots);

  /* The bounding box holds every lot. */
  info = park_test_get (f->backend, "api/v1/info");
  bbox = json_object_get_array_member (park_test_response_object (info), "bbox");
  g_assert_cmpuint (json_array_get_length (bbox), ==, 4);

  for (guint i = 0; i < expected->len; i++)
    {
      const Expected *e = g_ptr_array_index (expected, i);
      gboolean basel = g_str_equal (e->slug, "basel");

      g_test_message ("checking %u lots of %s", e->lots->len, e->file);
      check_city_lots (f, e, basel ? "CHF" : "EUR", basel ? "Europe/Zurich" : "Europe/Berlin");
      for (guint k = 0; k < e->lots->len; k++)
        {
          const ExpectedLot *lot = g_ptr_array_index (e->lots, k);

          g_assert_cmpfloat (lot->lng, >=, json_array_get_double_element (bbox, 0) - 1e-6);
          g_assert_cmpfloat (lot->lat, >=, json_array_get_double_element (bbox, 1) - 1e-6);
          g_assert_cmpfloat (lot->lng, <=, json_array_get_double_element (bbox, 2) + 1e-6);
          g_assert_cmpfloat (lot->lat, <=, json_array_get_double_element (bbox, 3) + 1e-6);
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Synthetic files                                                                             */

/* Three lots in Dresden's Altstadt, one of them listed twice, and one without a capacity. */
static const char three_lots[] =
  "{\"type\":\"FeatureCollection\",\"features\":["
  "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.7373,51.0504]},"
  " \"properties\":{\"name\":\"Testhausen\",\"type\":\"city\"}},"
  "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.7410,51.0510]},"
  " \"properties\":{\"name\":\"Parkhaus Nord\",\"type\":\"Parkhaus\",\"total\":120,"
  "  \"address\":\"Nordstraße 1\"}},"
  "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.7330,51.0480]},"
  " \"properties\":{\"name\":\"Tiefgarage Süd\",\"type\":\"Tiefgarage\",\"total\":300}},"
  "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.7410,51.0510]},"
  " \"properties\":{\"name\":\"Parkhaus Nord\",\"type\":\"Parkhaus\",\"total\":120}},"
  "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.7450,51.0530]},"
  " \"properties\":{\"name\":\"Ohne Angabe\",\"type\":\"Parkplatz\"}},"
  "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.7300,51.0550]},"
  " \"properties\":{\"name\":\"Parkplatz West\",\"type\":\"Parkplatz\",\"total\":8}}"
  "]}";

static const char * const new_operator[] = {
  "--time-zone", "Europe/Berlin", "--currency", "EUR", NULL,
};

/* ------------------------------------------------------------------------------------------ */
/* /backend/import/reimport-is-idempotent                                                      */

static void
test_reimport_is_idempotent (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *path = write_file (f, "three.geojson", three_lots, -1);
  g_autoptr(Expected) e = expected_from_file (path);
  g_autofree char *out1 = NULL;
  g_autofree char *out2 = NULL;
  g_autoptr(GPtrArray) skipped1 = NULL;
  g_autoptr(GPtrArray) skipped2 = NULL;
  guint n_lots, n_spots;

  g_assert_cmpuint (e->lots->len, ==, 3);
  g_assert_cmpuint (e->n_repeats, ==, 1);
  g_assert_cmpuint (e->spots, ==, 428);

  g_assert_cmpint (import_file (f, path, "testhausen", new_operator, &out1, NULL), ==, 0);
  check_import_report (e, "testhausen", out1);
  skipped1 = parse_skipped (out1);
  take_skipped (skipped1, "Ohne Angabe", NULL);
  take_skipped (skipped1, "Parkhaus Nord", NULL);
  g_assert_cmpuint (skipped1->len, ==, 0);

  /* The operator exists now: no --time-zone or --currency needed. */
  g_assert_cmpint (import_file (f, path, "testhausen", NULL, &out2, NULL), ==, 0);
  parse_imported (out2, &n_lots, &n_spots);
  g_assert_cmpuint (n_lots, ==, 0);
  g_assert_cmpuint (n_spots, ==, 0);
  skipped2 = parse_skipped (out2);
  for (guint i = 0; i < e->lots->len; i++)
    take_skipped (skipped2, ((ExpectedLot *) g_ptr_array_index (e->lots, i))->name,
                  "already imported");
  take_skipped (skipped2, "Ohne Angabe", NULL);
  take_skipped (skipped2, "Parkhaus Nord", NULL);
  g_assert_cmpuint (skipped2->len, ==, 0);

  park_test_backend_start (f->backend, NULL);
  assert_counts (f, 1, e->lots->len, e->spots);
}

/* ------------------------------------------------------------------------------------------ */
/* /backend/import/broken-file-imports-nothing                                                 */

static void
assert_import_fails (Fixture    *f,
                     const char *path,
                     const char *slug)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *base = g_path_get_basename (path);

  g_assert_cmpint (import_file (f, path, slug, new_operator, &out, &err), !=, 0);
  g_assert_null (strstr (out, "Imported "));
  /* The message says which file and what is wrong with it. */
  g_assert_nonnull (strstr (err, base));
  g_assert_cmpuint (strlen (err), >, strlen (base) + 20);
}

static void
test_broken_file_imports_nothing (Fixture       *f,
                                  gconstpointer  data)
{
  static const struct
  {
    const char *file;
    const char *contents;
  } broken[] = {
    /* Valid JSON, a Feature rather than a FeatureCollection. */
    { "feature.geojson",
      "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.74,51.05]},"
      "\"properties\":{\"name\":\"Allein\",\"total\":10}}" },
    /* The second feature has no geometry member at all; the first is a good lot. */
    { "no-geometry.geojson",
      "{\"type\":\"FeatureCollection\",\"features\":["
      "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.74,51.05]},"
      "\"properties\":{\"name\":\"Gut\",\"total\":10}},"
      "{\"type\":\"Feature\",\"properties\":{\"name\":\"Ohne Ort\",\"total\":10}}]}" },
    { "empty.geojson", "" },
    /* JSON has no comments. */
    { "comment.geojson",
      "{\"type\":\"FeatureCollection\", // lots follow\n\"features\":["
      "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.74,51.05]},"
      "\"properties\":{\"name\":\"Gut\",\"total\":10}}]}" },
    { "block-comment.geojson",
      "/* ParkAPI */ {\"type\":\"FeatureCollection\",\"features\":["
      "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.74,51.05]},"
      "\"properties\":{\"name\":\"Gut\",\"total\":10}}]}" },
    /* A JSON array of features, no collection around it. */
    { "array.geojson",
      "[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.74,51.05]},"
      "\"properties\":{\"name\":\"Gut\",\"total\":10}}]" },
    /* "features" is not an array. */
    { "features-object.geojson",
      "{\"type\":\"FeatureCollection\",\"features\":{\"type\":\"Feature\"}}" },
    /* A truncated synthetic file, for when the real one is not there. */
    { "truncated-synthetic.geojson", three_lots },
  };
  const char *shared = park_test_shared_data_dir ();
  g_autofree char *missing = g_build_filename (f->backend->tmpdir, "missing.geojson", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      gssize len = g_str_has_prefix (broken[i].file, "truncated")
                   ? (gssize) strlen (broken[i].contents) / 2 : -1;
      g_autofree char *path = write_file (f, broken[i].file, broken[i].contents, len);

      assert_import_fails (f, path, "broken");
    }

  /* The first half of a real file. */
  if (shared != NULL)
    {
      g_autofree char *dresden = g_build_filename (shared, "cities", "Dresden.geojson", NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      gsize len;

      if (g_file_get_contents (dresden, &contents, &len, &error))
        {
          g_autofree char *path = write_file (f, "Dresden-truncated.geojson", contents,
                                              (gssize) len / 2);

          assert_import_fails (f, path, "dresden");
        }
      else
        g_test_message ("no truncated real file: %s", error->message);
    }
  else
    g_test_message ("no truncated real file: " SKIP_NO_SHARED_DATA);

  assert_import_fails (f, missing, "broken");

  /* Nothing at all reached the database: no lot, no spot, not even the operator. */
  park_test_backend_start (f->backend, NULL);
  assert_counts (f, 0, 0, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* /backend/import/options                                                                     */

static void
assert_usage_error (Fixture            *f,
                    const char         *path,
                    const char         *slug,
                    const char * const *extra,
                    const char         *mentions,
                    const char         *also_mentions)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (import_file (f, path, slug, extra, &out, &err), ==, 2);
  g_assert_null (strstr (out, "Imported "));
  g_assert_nonnull (strstr (err, mentions));
  if (also_mentions != NULL)
    g_assert_nonnull (strstr (err, also_mentions));
}

static void
test_options (Fixture       *f,
              gconstpointer  data)
{
  static const char hours[] =
    "{\"mon\":[{\"open\":\"08:00\",\"close\":\"18:00\"}],"
    "\"tue\":[{\"open\":\"08:00\",\"close\":\"18:00\"}],"
    "\"wed\":[{\"open\":\"08:00\",\"close\":\"18:00\"}],"
    "\"thu\":[{\"open\":\"08:00\",\"close\":\"18:00\"}],"
    "\"fri\":[{\"open\":\"08:00\",\"close\":\"18:00\"}],"
    "\"sat\":[],\"sun\":[]}";
  const char *no_zone[] = { "--currency", "EUR", NULL };
  const char *no_currency[] = { "--time-zone", "Europe/Berlin", NULL };
  const char *mars[] = { "--time-zone", "Mars/Olympus", "--currency", "EUR", NULL };
  const char *euro[] = { "--time-zone", "Europe/Berlin", "--currency", "euro", NULL };
  const char *bad_hours[] = {
    "--time-zone", "Europe/Berlin", "--currency", "EUR", "--hours", "{\"mon\": [", NULL,
  };
  const char *short_hours[] = {
    "--time-zone", "Europe/Berlin", "--currency", "EUR",
    "--hours", "{\"mon\":[{\"open\":\"08:00\",\"close\":\"18:00\"}]}", NULL,
  };
  const char *rate[] = {
    "--time-zone", "Europe/Vienna", "--currency", "EUR", "--hourly-rate", "350",
    "--operator-name", "Parken in Wien", NULL,
  };
  const char *with_hours[] = {
    "--time-zone", "Europe/Berlin", "--currency", "EUR", "--hours", hours, NULL,
  };
  g_autofree char *path = write_file (f, "three.geojson", three_lots, -1);
  g_autoptr(JsonNode) want_hours = json_from_string (hours, NULL);
  g_autoptr(ParkTestResponse) r = NULL;
  JsonObject *lot, *op;

  /* A new operator needs its time zone and currency. */
  assert_usage_error (f, path, "nowhere", NULL, "--time-zone", "--currency");
  assert_usage_error (f, path, "nowhere", no_zone, "--time-zone", "--currency");
  assert_usage_error (f, path, "nowhere", no_currency, "--time-zone", "--currency");
  assert_usage_error (f, path, "nowhere", mars, "Mars/Olympus", NULL);
  assert_usage_error (f, path, "nowhere", euro, "euro", NULL);
  assert_usage_error (f, path, "nowhere", bad_hours, "--hours", NULL);
  assert_usage_error (f, path, "nowhere", short_hours, "--hours", NULL);

  g_assert_cmpint (import_file (f, path, "rate", rate, NULL, NULL), ==, 0);
  g_assert_cmpint (import_file (f, path, "hours", with_hours, NULL, NULL), ==, 0);

  park_test_backend_start (f->backend, NULL);
  /* None of the refused runs left anything behind. */
  assert_counts (f, 2, 6, 2 * 428);

  r = park_test_get (f->backend, "api/v1/parking-lots?lat=51.0510&lng=13.7410&radius=50");
  g_assert_cmpuint (r->status, ==, 200);
  {
    JsonArray *items = json_object_get_array_member (park_test_response_object (r), "items");
    gboolean seen_rate = FALSE, seen_hours = FALSE;

    g_assert_cmpuint (json_array_get_length (items), ==, 2);
    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        lot = json_array_get_object_element (items, i);
        op = json_object_get_object_member (lot, "operator");
        g_assert_cmpstr (json_object_get_string_member (lot, "name"), ==, "Parkhaus Nord");
        g_assert_cmpstr (json_object_get_string_member (lot, "city"), ==, "Testhausen");
        g_assert_cmpint (json_object_get_int_member (lot, "total_spots"), ==, 120);
        assert_availability_consistent (lot);
        if (g_str_equal (json_object_get_string_member (op, "slug"), "rate"))
          {
            seen_rate = TRUE;
            g_assert_cmpstr (json_object_get_string_member (op, "name"), ==, "Parken in Wien");
            g_assert_cmpint (json_object_get_int_member (lot, "hourly_rate"), ==, 350);
            g_assert_cmpstr (json_object_get_string_member (lot, "time_zone"), ==,
                             "Europe/Vienna");
            g_assert_cmpstr (json_object_get_string_member (lot, "currency"), ==, "EUR");
          }
        else
          {
            g_assert_cmpstr (json_object_get_string_member (op, "slug"), ==, "hours");
            /* Without --operator-name the slug names the operator. */
            g_assert_cmpstr (json_object_get_string_member (op, "name"), ==, "hours");
            seen_hours = TRUE;
            g_assert_true (json_node_equal (json_object_get_member (lot, "operating_hours"),
                                            want_hours));
          }
      }
    g_assert_true (seen_rate && seen_hours);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* /backend/import/survives-restart                                                            */

static void
test_survives_restart (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = write_file (f, "three.geojson", three_lots, -1);
  g_autoptr(ParkTestResponse) before = NULL;
  g_autoptr(ParkTestResponse) after = NULL;
  g_autoptr(ParkTestResponse) near = NULL;
  g_autofree char *id = NULL;
  JsonObject *lot, *again;

  g_assert_cmpint (import_file (f, path, "restart", new_operator, NULL, NULL), ==, 0);

  park_test_backend_start (f->backend, NULL);
  assert_counts (f, 1, 3, 428);
  lot = find_lot_near (f, "restart", "Tiefgarage Süd", 51.0480, 13.7330, &near);
  id = g_strdup (json_object_get_string_member (lot, "id"));
  before = park_test_get (f->backend, "api/v1/parking-lots/%s", id);
  g_assert_cmpuint (before->status, ==, 200);
  park_test_backend_stop (f->backend);

  park_test_backend_start (f->backend, NULL);
  assert_counts (f, 1, 3, 428);
  after = park_test_get (f->backend, "api/v1/parking-lots/%s", id);
  g_assert_cmpuint (after->status, ==, 200);

  lot = park_test_response_object (before);
  again = park_test_response_object (after);
  g_assert_cmpstr (json_object_get_string_member (again, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (again, "name"), ==, "Tiefgarage Süd");
  g_assert_cmpstr (json_object_get_string_member (again, "name"), ==,
                   json_object_get_string_member (lot, "name"));
  g_assert_cmpstr (json_object_get_string_member (again, "city"), ==,
                   json_object_get_string_member (lot, "city"));
  g_assert_cmpint (json_object_get_int_member (again, "total_spots"), ==, 300);
  g_assert_cmpint (json_object_get_int_member (again, "available_spots"), ==,
                   json_object_get_int_member (lot, "available_spots"));
  g_assert_true (json_node_equal (json_object_get_member (again, "availability"),
                                  json_object_get_member (lot, "availability")));
  g_assert_cmpstr (json_object_get_string_member (again, "created_at"), ==,
                   json_object_get_string_member (lot, "created_at"));
  assert_availability_consistent (again);
}

int
main (int   argc,
      char *argv[])
{
  /* parkd prints lot names in the locale's character set (as does this test's log):
   * UTF-8 keeps "Lübeck" whole. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/backend/import/every-city", Fixture, NULL,
              fixture_setup, test_every_city, fixture_teardown);
  g_test_add ("/backend/import/reimport-is-idempotent", Fixture, NULL,
              fixture_setup, test_reimport_is_idempotent, fixture_teardown);
  g_test_add ("/backend/import/broken-file-imports-nothing", Fixture, NULL,
              fixture_setup, test_broken_file_imports_nothing, fixture_teardown);
  g_test_add ("/backend/import/options", Fixture, NULL,
              fixture_setup, test_options, fixture_teardown);
  g_test_add ("/backend/import/survives-restart", Fixture, NULL,
              fixture_setup, test_survives_restart, fixture_teardown);

  return g_test_run ();
}
