/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Lots, spots and availability as a client sees them, against the real parkd seeded with the
 * demo city. Expectations are computed here from the full list of lots, independently of the
 * server's own search.
 */
#include "park-test-backend.h"

#include <math.h>
#include <string.h>

#define CENTRE_LAT 51.0504
#define CENTRE_LNG 13.7373

static const char * const spot_types[] = { "regular", "disabled", "ev", "compact", "motorcycle" };

typedef struct
{
  ParkTestBackend *backend;
  JsonArray       *all_lots;   /* every lot, fetched once through a box around the world */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *demo[] = { "--demo", NULL };
  g_autoptr(ParkTestResponse) all = NULL;
  JsonObject *page;

  f->backend = park_test_backend_new ();
  park_test_backend_start (f->backend, data != NULL ? NULL : demo);
  all = park_test_get (f->backend, "api/v1/parking-lots?bbox=-180,-90,180,90&per_page=100");
  g_assert_cmpuint (all->status, ==, 200);
  page = park_test_response_object (all);
  f->all_lots = json_array_ref (json_object_get_array_member (page, "items"));
  g_assert_cmpint (json_object_get_int_member (page, "total"), ==,
                   json_array_get_length (f->all_lots));
  g_assert_false (json_object_get_boolean_member (page, "has_next"));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->all_lots, json_array_unref);
  g_clear_pointer (&f->backend, park_test_backend_free);
}

static double
lot_lat (JsonObject *lot)
{
  return json_object_get_double_member (json_object_get_object_member (lot, "location"), "lat");
}

static double
lot_lng (JsonObject *lot)
{
  return json_object_get_double_member (json_object_get_object_member (lot, "location"), "lng");
}

static guint
type_count (JsonObject *lot,
            const char *type,
            const char *what)
{
  JsonObject *availability = json_object_get_object_member (lot, "availability");

  return json_object_get_int_member (json_object_get_object_member (availability, type), what);
}

/* The lots of the full list within @radius of a point, nearest first: the expectation. */
static GPtrArray *
expected_within (Fixture *f,
                 double   lat,
                 double   lng,
                 double   radius)
{
  GPtrArray *ids = g_ptr_array_new ();
  g_autoptr(GArray) distances = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < json_array_get_length (f->all_lots); i++)
    {
      JsonObject *lot = json_array_get_object_element (f->all_lots, i);
      double d = park_test_haversine_m (lat, lng, lot_lat (lot), lot_lng (lot));

      if (d <= radius)
        {
          guint at = 0;

          while (at < distances->len && g_array_index (distances, double, at) <= d)
            at++;
          g_array_insert_val (distances, at, d);
          g_ptr_array_insert (ids, at, (gpointer) json_object_get_string_member (lot, "id"));
        }
    }
  return ids;
}

static void
test_search_order_and_distance (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(ParkTestResponse) r = NULL;
  g_autoptr(GPtrArray) expected = expected_within (f, CENTRE_LAT, CENTRE_LNG, 2500);
  JsonObject *page;
  JsonArray *items;
  double last = -1;

  g_assert_cmpuint (json_array_get_length (f->all_lots), >=, 30);
  g_assert_cmpuint (expected->len, >=, 10);
  g_assert_cmpuint (expected->len, <, json_array_get_length (f->all_lots));

  r = park_test_get (f->backend, "api/v1/parking-lots?lat=%g&lng=%g&radius=2500&per_page=100",
                     CENTRE_LAT, CENTRE_LNG);
  g_assert_cmpuint (r->status, ==, 200);
  page = park_test_response_object (r);
  items = json_object_get_array_member (page, "items");
  g_assert_cmpint (json_object_get_int_member (page, "total"), ==, expected->len);
  g_assert_cmpuint (json_array_get_length (items), ==, expected->len);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *lot = json_array_get_object_element (items, i);
      double reported = json_object_get_double_member (lot, "distance_m");
      double computed = park_test_haversine_m (CENTRE_LAT, CENTRE_LNG, lot_lat (lot), lot_lng (lot));
      guint available = 0;

      /* Reported to a tenth of a metre. */
      g_assert_cmpfloat_with_epsilon (reported, computed, 0.051);
      g_assert_cmpfloat (reported, >=, last);
      g_assert_cmpfloat (reported, <=, 2500);
      last = reported;
      g_assert_cmpstr (json_object_get_string_member (lot, "id"), ==,
                       g_ptr_array_index (expected, i));

      for (guint t = 0; t < G_N_ELEMENTS (spot_types); t++)
        {
          g_assert_cmpuint (type_count (lot, spot_types[t], "available"), <=,
                            type_count (lot, spot_types[t], "total"));
          available += type_count (lot, spot_types[t], "available");
        }
      g_assert_cmpint (json_object_get_int_member (lot, "available_spots"), ==, available);
    }

  /* The nearest lot to the Altmarkt is the garage under it, a few hundred metres away. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "name"),
                   ==, "Tiefgarage Altmarkt");
}

static void
test_search_radius_edges (Fixture       *f,
                          gconstpointer  data)
{
  JsonObject *nearest = NULL;
  double nearest_d = G_MAXDOUBLE;
  g_autoptr(ParkTestResponse) r1 = NULL;
  g_autoptr(ParkTestResponse) r2 = NULL;
  g_autoptr(ParkTestResponse) r3 = NULL;
  double d;

  for (guint i = 0; i < json_array_get_length (f->all_lots); i++)
    {
      JsonObject *lot = json_array_get_object_element (f->all_lots, i);

      d = park_test_haversine_m (CENTRE_LAT, CENTRE_LNG, lot_lat (lot), lot_lng (lot));
      if (d < nearest_d)
        {
          nearest_d = d;
          nearest = lot;
        }
    }
  g_assert_nonnull (nearest);

  /* Just inside and just outside the nearest lot's distance. */
  r1 = park_test_get (f->backend, "api/v1/parking-lots?lat=%g&lng=%g&radius=%.1f",
                      CENTRE_LAT, CENTRE_LNG, ceil (nearest_d) + 1);
  g_assert_cmpuint (r1->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (park_test_response_object (r1), "total"), >=, 1);
  r2 = park_test_get (f->backend, "api/v1/parking-lots?lat=%g&lng=%g&radius=%.1f",
                      CENTRE_LAT, CENTRE_LNG, MAX (1.0, floor (nearest_d) - 1));
  g_assert_cmpuint (r2->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (park_test_response_object (r2), "total"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      park_test_response_object (r2), "items")), ==, 0);

  /* Far from any lot (the South Atlantic), and at a pole: nothing, no error. */
  r3 = park_test_get (f->backend, "api/v1/parking-lots?lat=-89.9&lng=179.9&radius=100000");
  g_assert_cmpuint (r3->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (park_test_response_object (r3), "total"), ==, 0);
}

static void
test_search_pagination (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(ParkTestResponse) whole = NULL;
  g_autoptr(ParkTestResponse) beyond = NULL;
  JsonArray *all;
  guint total, pages, seen = 0;

  whole = park_test_get (f->backend, "api/v1/parking-lots?lat=%g&lng=%g&radius=20000&per_page=100",
                         CENTRE_LAT, CENTRE_LNG);
  all = json_object_get_array_member (park_test_response_object (whole), "items");
  total = json_array_get_length (all);
  g_assert_cmpuint (total, ==, json_array_get_length (f->all_lots));
  pages = (total + 6) / 7;

  for (guint p = 1; p <= pages; p++)
    {
      g_autoptr(ParkTestResponse) r = park_test_get (f->backend,
        "api/v1/parking-lots?lat=%g&lng=%g&radius=20000&per_page=7&page=%u",
        CENTRE_LAT, CENTRE_LNG, p);
      JsonObject *page = park_test_response_object (r);
      JsonArray *items = json_object_get_array_member (page, "items");

      g_assert_cmpuint (r->status, ==, 200);
      g_assert_cmpint (json_object_get_int_member (page, "total"), ==, total);
      g_assert_cmpint (json_object_get_int_member (page, "page"), ==, p);
      g_assert_cmpint (json_object_get_int_member (page, "per_page"), ==, 7);
      g_assert_cmpint (json_object_get_boolean_member (page, "has_prev"), ==, p > 1);
      g_assert_cmpint (json_object_get_boolean_member (page, "has_next"), ==, p < pages);
      g_assert_cmpuint (json_array_get_length (items), ==, p < pages ? 7 : total - 7 * (pages - 1));
      /* The pages, one after the other, are the whole list: nothing lost, nothing twice. */
      for (guint i = 0; i < json_array_get_length (items); i++, seen++)
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, i), "id"),
                         ==,
                         json_object_get_string_member (json_array_get_object_element (all, seen), "id"));
    }
  g_assert_cmpuint (seen, ==, total);

  beyond = park_test_get (f->backend,
                          "api/v1/parking-lots?lat=%g&lng=%g&radius=20000&per_page=7&page=%u",
                          CENTRE_LAT, CENTRE_LNG, pages + 1);
  g_assert_cmpuint (beyond->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      park_test_response_object (beyond), "items")), ==, 0);
  g_assert_true (json_object_get_boolean_member (park_test_response_object (beyond), "has_prev"));
  g_assert_false (json_object_get_boolean_member (park_test_response_object (beyond), "has_next"));

  /* The default page size is 20. */
  {
    g_autoptr(ParkTestResponse) def = park_test_get (f->backend,
      "api/v1/parking-lots?lat=%g&lng=%g&radius=20000", CENTRE_LAT, CENTRE_LNG);

    g_assert_cmpint (json_object_get_int_member (park_test_response_object (def), "per_page"), ==, 20);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        park_test_response_object (def), "items")), ==, MIN (20, total));
  }
}

static void
test_search_filters (Fixture       *f,
                     gconstpointer  data)
{
  guint with_ev = 0, with_free_ev = 0, open_with_free = 0;

  for (guint i = 0; i < json_array_get_length (f->all_lots); i++)
    {
      JsonObject *lot = json_array_get_object_element (f->all_lots, i);
      gboolean open = g_str_equal (json_object_get_string_member (lot, "status"), "open");

      with_ev += type_count (lot, "ev", "total") > 0;
      with_free_ev += open && type_count (lot, "ev", "available") > 0;
      open_with_free += open && json_object_get_int_member (lot, "available_spots") > 0;
    }
  /* The demo city is varied enough for the filters to mean something. */
  g_assert_cmpuint (with_ev, >, 0);
  g_assert_cmpuint (with_ev, <, json_array_get_length (f->all_lots));

  {
    g_autoptr(ParkTestResponse) r = park_test_get (f->backend,
      "api/v1/parking-lots?lat=%g&lng=%g&radius=20000&per_page=100&spot_type=ev",
      CENTRE_LAT, CENTRE_LNG);
    JsonArray *items = json_object_get_array_member (park_test_response_object (r), "items");

    g_assert_cmpuint (json_array_get_length (items), ==, with_ev);
    for (guint i = 0; i < json_array_get_length (items); i++)
      g_assert_cmpuint (type_count (json_array_get_object_element (items, i), "ev", "total"), >, 0);
  }
  {
    g_autoptr(ParkTestResponse) r = park_test_get (f->backend,
      "api/v1/parking-lots?lat=%g&lng=%g&radius=20000&per_page=100&spot_type=ev&available_only=true",
      CENTRE_LAT, CENTRE_LNG);
    JsonArray *items = json_object_get_array_member (park_test_response_object (r), "items");

    g_assert_cmpuint (json_array_get_length (items), ==, with_free_ev);
    for (guint i = 0; i < json_array_get_length (items); i++)
      g_assert_cmpuint (type_count (json_array_get_object_element (items, i), "ev", "available"), >, 0);
  }
  {
    g_autoptr(ParkTestResponse) r = park_test_get (f->backend,
      "api/v1/parking-lots?lat=%g&lng=%g&radius=20000&per_page=100&available_only=1",
      CENTRE_LAT, CENTRE_LNG);
    JsonArray *items = json_object_get_array_member (park_test_response_object (r), "items");

    g_assert_cmpuint (json_array_get_length (items), ==, open_with_free);
    for (guint i = 0; i < json_array_get_length (items); i++)
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, i),
                                                   "available_spots"), >, 0);
  }
}

/* The lots of the full list whose name, address or city holds @needle, case-folded as GLib
 * folds (ß as ss). */
static guint
count_holding (Fixture    *f,
               const char *needle)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (f->all_lots); i++)
    {
      JsonObject *lot = json_array_get_object_element (f->all_lots, i);
      const char *fields[] = { "name", "address", "city" };

      for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
        {
          g_autofree char *folded = g_utf8_casefold (
            json_object_get_string_member_with_default (lot, fields[k], ""), -1);

          if (strstr (folded, needle) != NULL)
            {
              n++;
              break;
            }
        }
    }
  return n;
}

/* A driver types a lot's name (or a street) and finds it wherever it is, nearest first,
 * whatever the case and without typing its accents. */
static void
test_search_text (Fixture       *f,
                  gconstpointer  data)
{
  guint altmarkt = count_holding (f, "altmarkt");

  g_assert_cmpuint (altmarkt, >=, 2);
  {
    /* From far away (no radius): everywhere. */
    g_autoptr(ParkTestResponse) r = park_test_get (f->backend,
      "api/v1/parking-lots?q=ALTMARKT&lat=48.14&lng=11.58&per_page=100");
    JsonObject *page = park_test_response_object (r);
    JsonArray *items = json_object_get_array_member (page, "items");
    double last = 0;

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (items), ==, altmarkt);
    g_assert_cmpint (json_object_get_int_member (page, "total"), ==, altmarkt);
    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        JsonObject *lot = json_array_get_object_element (items, i);
        double d = json_object_get_double_member (lot, "distance_m");

        g_assert_cmpfloat (d, >=, last);
        last = d;
      }
  }
  {
    /* No accents typed: "glaserne" finds Gläserne Manufaktur; "strasse" a Straße. */
    g_autoptr(ParkTestResponse) r = park_test_get (f->backend,
      "api/v1/parking-lots?q=glaserne&lat=%g&lng=%g", CENTRE_LAT, CENTRE_LNG);
    g_autoptr(ParkTestResponse) street = park_test_get (f->backend,
      "api/v1/parking-lots?q=strasse&lat=%g&lng=%g&per_page=100", CENTRE_LAT, CENTRE_LNG);
    JsonArray *items = json_object_get_array_member (park_test_response_object (r), "items");

    g_assert_cmpuint (json_array_get_length (items), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "name"),
                     ==, "Tiefgarage Gläserne Manufaktur");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        park_test_response_object (street), "items")), ==,
                      count_holding (f, "strasse"));
    g_assert_cmpuint (count_holding (f, "strasse"), >, 0);
  }
  {
    /* With a radius it stays within it; nothing matches nonsense. */
    g_autoptr(ParkTestResponse) near = park_test_get (f->backend,
      "api/v1/parking-lots?q=altmarkt&lat=48.14&lng=11.58&radius=5000");
    g_autoptr(ParkTestResponse) none = park_test_get (f->backend,
      "api/v1/parking-lots?q=zzzqqq&lat=%g&lng=%g", CENTRE_LAT, CENTRE_LNG);

    g_assert_cmpint (json_object_get_int_member (park_test_response_object (near), "total"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (park_test_response_object (none), "total"), ==, 0);
  }
  {
    g_autofree char *long_q = g_strnfill (101, 'a');
    g_autoptr(ParkTestResponse) blank = park_test_get (f->backend,
      "api/v1/parking-lots?q=%%20%%20&lat=%g&lng=%g", CENTRE_LAT, CENTRE_LNG);
    g_autoptr(ParkTestResponse) too_long = park_test_get (f->backend,
      "api/v1/parking-lots?q=%s&lat=%g&lng=%g", long_q, CENTRE_LAT, CENTRE_LNG);

    park_test_assert_problem (blank, 400, "invalid-parameter", "q");
    park_test_assert_problem (too_long, 400, "invalid-parameter", "q");
  }
}

static void
test_search_bbox (Fixture       *f,
                  gconstpointer  data)
{
  /* The Altstadt and a bit of the Neustadt. */
  const double min_lng = 13.725, min_lat = 51.045, max_lng = 13.75, max_lat = 51.062;
  g_autoptr(ParkTestResponse) r = park_test_get (f->backend,
    "api/v1/parking-lots?bbox=%g,%g,%g,%g&per_page=100", min_lng, min_lat, max_lng, max_lat);
  JsonObject *page = park_test_response_object (r);
  JsonArray *items = json_object_get_array_member (page, "items");
  double centre_lat = (min_lat + max_lat) / 2, centre_lng = (min_lng + max_lng) / 2;
  guint inside = 0;
  double last = -1;

  for (guint i = 0; i < json_array_get_length (f->all_lots); i++)
    {
      JsonObject *lot = json_array_get_object_element (f->all_lots, i);

      inside += lot_lat (lot) >= min_lat && lot_lat (lot) <= max_lat &&
                lot_lng (lot) >= min_lng && lot_lng (lot) <= max_lng;
    }
  g_assert_cmpuint (inside, >, 3);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (items), ==, inside);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *lot = json_array_get_object_element (items, i);
      double d = json_object_get_double_member (lot, "distance_m");

      g_assert_cmpfloat (lot_lat (lot), >=, min_lat);
      g_assert_cmpfloat (lot_lng (lot), <=, max_lng);
      /* Measured from the box's centre. */
      g_assert_cmpfloat_with_epsilon (d, park_test_haversine_m (centre_lat, centre_lng,
                                                                lot_lat (lot), lot_lng (lot)), 0.051);
      g_assert_cmpfloat (d, >=, last);
      last = d;
    }
}

/* Boxes of every size, edges on round coordinates (where the server's own grid of cells
 * has its boundaries too), each against the full list: nothing lost at an edge, nothing
 * counted from outside, whichever index answers the box. */
static void
test_search_bbox_sizes (Fixture       *f,
                        gconstpointer  data)
{
  static const double sizes[] = { 0.005, 0.01, 0.02, 0.05, 0.1, 0.8 };
  guint checked = 0, found = 0;

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (double min_lat = 50.96; min_lat < 51.14; min_lat += MAX (sizes[s], 0.03))
      for (double min_lng = 13.62; min_lng < 13.88; min_lng += MAX (sizes[s], 0.04))
        {
          double max_lat = min_lat + sizes[s], max_lng = min_lng + sizes[s];
          g_autoptr(ParkTestResponse) r = park_test_get (f->backend,
            "api/v1/parking-lots?bbox=%.6f,%.6f,%.6f,%.6f&per_page=1", min_lng, min_lat, max_lng,
            max_lat);
          gint64 inside = 0;

          for (guint i = 0; i < json_array_get_length (f->all_lots); i++)
            {
              JsonObject *lot = json_array_get_object_element (f->all_lots, i);

              inside += lot_lat (lot) >= min_lat && lot_lat (lot) <= max_lat &&
                        lot_lng (lot) >= min_lng && lot_lng (lot) <= max_lng;
            }
          g_assert_cmpuint (r->status, ==, 200);
          g_assert_cmpint (json_object_get_int_member (park_test_response_object (r), "total"),
                           ==, inside);
          checked++;
          found += inside;
        }
  /* The boxes did cover lots, of the small sizes as well as the large. */
  g_assert_cmpuint (checked, >, 100);
  g_assert_cmpuint (found, >, json_array_get_length (f->all_lots));
}

static JsonObject *
find_lot (Fixture    *f,
          const char *name)
{
  for (guint i = 0; i < json_array_get_length (f->all_lots); i++)
    {
      JsonObject *lot = json_array_get_object_element (f->all_lots, i);

      if (g_str_equal (json_object_get_string_member (lot, "name"), name))
        return lot;
    }
  g_error ("no lot called %s", name);
}

static void
test_lot_detail_and_spots (Fixture       *f,
                           gconstpointer  data)
{
  JsonObject *listed = find_lot (f, "Tiefgarage Altmarkt");
  const char *id = json_object_get_string_member (listed, "id");
  g_autoptr(ParkTestResponse) detail = park_test_get (f->backend, "api/v1/parking-lots/%s", id);
  g_autoptr(ParkTestResponse) upper = NULL;
  g_autofree char *upper_id = g_ascii_strup (id, -1);
  g_autoptr(ParkTestResponse) spots = NULL;
  JsonObject *lot = park_test_response_object (detail);
  guint total = json_object_get_int_member (lot, "total_spots");
  guint free_by_type[G_N_ELEMENTS (spot_types)] = { 0, };
  guint all_by_type[G_N_ELEMENTS (spot_types)] = { 0, };
  JsonArray *items;
  int last_level = G_MININT;
  g_autofree char *last_number = NULL;

  g_assert_cmpuint (detail->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (lot, "id"), ==, id);
  g_assert_false (json_object_has_member (lot, "distance_m"));
  g_assert_cmpstr (json_object_get_string_member (lot, "currency"), ==, "EUR");
  g_assert_cmpstr (json_object_get_string_member (lot, "time_zone"), ==, "Europe/Berlin");
  g_assert_cmpint (json_object_get_int_member (lot, "total_spots"), ==,
                   json_object_get_int_member (listed, "total_spots"));

  /* UUIDs compare without regard to case. */
  upper = park_test_get (f->backend, "api/v1/parking-lots/%s", upper_id);
  g_assert_cmpuint (upper->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (park_test_response_object (upper), "id"), ==, id);

  spots = park_test_get (f->backend, "api/v1/parking-lots/%s/spots?per_page=1000", id);
  g_assert_cmpuint (spots->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (park_test_response_object (spots), "total"), ==, total);
  items = json_object_get_array_member (park_test_response_object (spots), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, total);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *spot = json_array_get_object_element (items, i);
      const char *type = json_object_get_string_member (spot, "type");
      const char *number = json_object_get_string_member (spot, "number");
      int level = json_object_get_int_member (spot, "level");

      g_assert_cmpstr (json_object_get_string_member (spot, "lot_id"), ==, id);
      /* An underground garage: levels below ground, in order, numbers in order within. */
      g_assert_cmpint (level, <, 0);
      g_assert_cmpint (level, >=, last_level);
      if (level == last_level)
        g_assert_cmpint (strlen (number) > strlen (last_number) ||
                         (strlen (number) == strlen (last_number) &&
                          strcmp (number, last_number) > 0), ==, TRUE);
      last_level = level;
      g_free (last_number);
      last_number = g_strdup (number);

      for (guint t = 0; t < G_N_ELEMENTS (spot_types); t++)
        if (g_str_equal (type, spot_types[t]))
          {
            all_by_type[t]++;
            free_by_type[t] += g_str_equal (json_object_get_string_member (spot, "state"),
                                            "available");
          }
    }
  /* The live counts are exactly the spots' states. */
  for (guint t = 0; t < G_N_ELEMENTS (spot_types); t++)
    {
      g_assert_cmpuint (all_by_type[t], ==, type_count (lot, spot_types[t], "total"));
      g_assert_cmpuint (free_by_type[t], ==, type_count (lot, spot_types[t], "available"));
    }

  /* Filters on the spot list. */
  {
    g_autoptr(ParkTestResponse) ev = park_test_get (f->backend,
      "api/v1/parking-lots/%s/spots?type=ev&state=available&per_page=1000", id);
    JsonArray *ev_items = json_object_get_array_member (park_test_response_object (ev), "items");

    g_assert_cmpuint (json_array_get_length (ev_items), ==, type_count (lot, "ev", "available"));
    for (guint i = 0; i < json_array_get_length (ev_items); i++)
      {
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (ev_items, i),
                                                        "type"), ==, "ev");
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (ev_items, i),
                                                        "state"), ==, "available");
      }
  }
  {
    g_autoptr(ParkTestResponse) level = park_test_get (f->backend,
      "api/v1/parking-lots/%s/spots?level=-1&per_page=3&page=2", id);
    JsonObject *page = park_test_response_object (level);
    JsonArray *level_items = json_object_get_array_member (page, "items");

    g_assert_cmpuint (json_array_get_length (level_items), ==, 3);
    g_assert_true (json_object_get_boolean_member (page, "has_prev"));
    for (guint i = 0; i < 3; i++)
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (level_items, i),
                                                   "level"), ==, -1);
  }
}

static void
test_availability_batch (Fixture       *f,
                         gconstpointer  data)
{
  JsonObject *a = json_array_get_object_element (f->all_lots, 0);
  JsonObject *b = json_array_get_object_element (f->all_lots, 1);
  g_autofree char *body = g_strdup_printf ("{\"lot_ids\": [\"%s\", \"%s\", "
                                           "\"00000000-0000-4000-8000-000000000000\"]}",
                                           json_object_get_string_member (a, "id"),
                                           json_object_get_string_member (b, "id"));
  g_autoptr(ParkTestResponse) r = park_test_request (f->backend, "POST",
                                                     "api/v1/parking-lots/availability",
                                                     "application/json", body, -1);
  JsonObject *answer = park_test_response_object (r);
  JsonArray *items = json_object_get_array_member (answer, "items");
  JsonArray *missing = json_object_get_array_member (answer, "not_found");

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  g_assert_cmpuint (json_array_get_length (missing), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (missing, 0), ==,
                   "00000000-0000-4000-8000-000000000000");
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      JsonObject *lot = i == 0 ? a : b;

      g_assert_cmpstr (json_object_get_string_member (item, "lot_id"), ==,
                       json_object_get_string_member (lot, "id"));
      g_assert_cmpint (json_object_get_int_member (item, "available_spots"), ==,
                       json_object_get_int_member (lot, "available_spots"));
      g_assert_cmpint (type_count (item, "regular", "total"), ==, type_count (lot, "regular", "total"));
    }
}

/* open_now, computed here from the hours and GLib's time zones, at the time of the request. */
static gboolean
expect_open (JsonObject *lot,
             GDateTime  *when)
{
  static const char * const days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (json_object_get_string_member (lot, "time_zone"));
  g_autoptr(GDateTime) local = g_date_time_to_timezone (when, tz);
  JsonObject *hours = json_object_get_object_member (lot, "operating_hours");
  JsonArray *today = json_object_get_array_member (hours, days[g_date_time_get_day_of_week (local) - 1]);
  g_autofree char *now_text = g_date_time_format (local, "%H:%M");

  if (!g_str_equal (json_object_get_string_member (lot, "status"), "open"))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (today); i++)
    {
      JsonObject *iv = json_array_get_object_element (today, i);

      if (strcmp (now_text, json_object_get_string_member (iv, "open")) >= 0 &&
          strcmp (now_text, json_object_get_string_member (iv, "close")) < 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_open_now (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(ParkTestResponse) r = park_test_get (f->backend,
    "api/v1/parking-lots?bbox=-180,-90,180,90&per_page=100");
  g_autoptr(GDateTime) after = g_date_time_new_now_utc ();
  JsonArray *items = json_object_get_array_member (park_test_response_object (r), "items");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *lot = json_array_get_object_element (items, i);
      gboolean open = json_object_get_boolean_member (lot, "open_now");
      g_autoptr(JsonNode) hours = json_node_ref (json_object_get_member (lot, "operating_hours"));
      g_autofree char *text = json_to_string (hours, FALSE);

      /* Either side of the request, for a request that straddles a minute. */
      g_assert_true (open == expect_open (lot, before) || open == expect_open (lot, after));
      if (!g_hash_table_contains (seen, text))
        g_hash_table_add (seen, g_steal_pointer (&text));
    }
  /* The demo has several kinds of opening hours, not one. */
  g_assert_cmpuint (g_hash_table_size (seen), >=, 3);
}

static void
test_info_and_system (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(ParkTestResponse) info = park_test_get (f->backend, "api/v1/info");
  g_autoptr(ParkTestResponse) health = park_test_get (f->backend, "health");
  g_autoptr(ParkTestResponse) ready = park_test_get (f->backend, "ready");
  g_autoptr(ParkTestResponse) metrics = NULL;
  JsonObject *counts = json_object_get_object_member (park_test_response_object (info), "counts");
  JsonArray *bbox = json_object_get_array_member (park_test_response_object (info), "bbox");
  g_autofree char *text = NULL;
  guint spots = 0;

  g_assert_cmpuint (info->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (counts, "lots"), ==,
                   json_array_get_length (f->all_lots));
  g_assert_cmpint (json_object_get_int_member (counts, "operators"), ==, 1);
  for (guint i = 0; i < json_array_get_length (f->all_lots); i++)
    {
      JsonObject *lot = json_array_get_object_element (f->all_lots, i);

      spots += json_object_get_int_member (lot, "total_spots");
      /* The box holds every lot, so a client can fit its map to it. */
      g_assert_cmpfloat (lot_lng (lot), >=, json_array_get_double_element (bbox, 0));
      g_assert_cmpfloat (lot_lat (lot), >=, json_array_get_double_element (bbox, 1));
      g_assert_cmpfloat (lot_lng (lot), <=, json_array_get_double_element (bbox, 2));
      g_assert_cmpfloat (lot_lat (lot), <=, json_array_get_double_element (bbox, 3));
    }
  g_assert_cmpint (json_object_get_int_member (counts, "spots"), ==, spots);

  g_assert_cmpuint (health->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (park_test_response_object (health), "status"),
                   ==, "ok");
  g_assert_cmpuint (ready->status, ==, 200);

  metrics = park_test_get (f->backend, "metrics");
  g_assert_cmpuint (metrics->status, ==, 200);
  g_assert_cmpstr (metrics->content_type, ==, "text/plain");
  text = g_strndup (g_bytes_get_data (metrics->body, NULL), g_bytes_get_size (metrics->body));
  /* The fixture's own search, counted by route and status, with its latency histogram. */
  g_assert_nonnull (strstr (text, "parkd_http_requests_total{method=\"GET\",route=\"/api/v1/parking-lots\",status=\"200\"} "));
  g_assert_nonnull (strstr (text, "parkd_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/parking-lots\",le=\"+Inf\"} "));
  g_assert_nonnull (strstr (text, "parkd_http_requests_total{method=\"GET\",route=\"/api/v1/info\",status=\"200\"} 1\n"));
  g_assert_nonnull (strstr (text, "# TYPE parkd_http_request_duration_seconds histogram"));
}

static void
test_empty_database (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(ParkTestResponse) info = park_test_get (f->backend, "api/v1/info");
  g_autoptr(ParkTestResponse) search = park_test_get (f->backend,
    "api/v1/parking-lots?lat=%g&lng=%g&radius=100000", CENTRE_LAT, CENTRE_LNG);

  g_assert_cmpuint (json_array_get_length (f->all_lots), ==, 0);
  g_assert_true (json_object_get_null_member (park_test_response_object (info), "bbox"));
  g_assert_cmpint (json_object_get_int_member (park_test_response_object (search), "total"), ==, 0);
  g_assert_false (json_object_get_boolean_member (park_test_response_object (search), "has_next"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/backend/lots/search/order-and-distance", Fixture, NULL,
              fixture_setup, test_search_order_and_distance, fixture_teardown);
  g_test_add ("/backend/lots/search/radius-edges", Fixture, NULL,
              fixture_setup, test_search_radius_edges, fixture_teardown);
  g_test_add ("/backend/lots/search/pagination", Fixture, NULL,
              fixture_setup, test_search_pagination, fixture_teardown);
  g_test_add ("/backend/lots/search/text", Fixture, NULL,
              fixture_setup, test_search_text, fixture_teardown);
  g_test_add ("/backend/lots/search/filters", Fixture, NULL,
              fixture_setup, test_search_filters, fixture_teardown);
  g_test_add ("/backend/lots/search/bbox-sizes", Fixture, NULL,
              fixture_setup, test_search_bbox_sizes, fixture_teardown);
  g_test_add ("/backend/lots/search/bbox", Fixture, NULL,
              fixture_setup, test_search_bbox, fixture_teardown);
  g_test_add ("/backend/lots/detail-and-spots", Fixture, NULL,
              fixture_setup, test_lot_detail_and_spots, fixture_teardown);
  g_test_add ("/backend/lots/availability-batch", Fixture, NULL,
              fixture_setup, test_availability_batch, fixture_teardown);
  g_test_add ("/backend/lots/open-now", Fixture, NULL,
              fixture_setup, test_open_now, fixture_teardown);
  g_test_add ("/backend/lots/info-health-metrics", Fixture, NULL,
              fixture_setup, test_info_and_system, fixture_teardown);
  g_test_add ("/backend/lots/empty-database", Fixture, GINT_TO_POINTER (1),
              fixture_setup, test_empty_database, fixture_teardown);

  return g_test_run ();
}
