/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The OpenAPI document against the server: every route parkd registers is documented, every
 * documented operation is served, and the document itself is well formed.
 */
#include "park-test-backend.h"
#include "park-test-schema.h"

#include <string.h>

typedef struct
{
  ParkTestBackend *backend;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->backend = park_test_backend_new ();
  park_test_backend_start (f->backend, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->backend, park_test_backend_free);
}

static GPtrArray *
registered_routes (Fixture *f)
{
  const char *args[] = { "routes", NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *routes = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpint (park_test_backend_run_cli (f->backend, args, &out, NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_ptr_array_add (routes, g_strdup (lines[i]));
  return routes;
}

static void
test_every_route_documented (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) routes = registered_routes (f);
  JsonObject *paths = json_object_get_object_member (json_node_get_object (f->backend->openapi),
                                                     "paths");

  g_assert_cmpuint (routes->len, >=, 9);
  for (guint i = 0; i < routes->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (routes, i), " ", 2);
      g_autofree char *method = g_ascii_strdown (parts[0], -1);
      JsonObject *item;

      g_test_message ("route %s %s", parts[0], parts[1]);
      g_assert_true (json_object_has_member (paths, parts[1]));
      item = json_object_get_object_member (paths, parts[1]);
      g_assert_true (json_object_has_member (item, method));
      g_assert_true (json_object_has_member (json_object_get_object_member (item, method),
                                             "responses"));
    }
}

static void
test_every_operation_served (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) routes = registered_routes (f);
  JsonObject *paths = json_object_get_object_member (json_node_get_object (f->backend->openapi),
                                                     "paths");
  g_autoptr(GList) names = json_object_get_members (paths);
  guint n_operations = 0;

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *item = json_object_get_object_member (paths, l->data);
      g_autoptr(GList) methods = json_object_get_members (item);

      for (GList *m = methods; m != NULL; m = m->next)
        {
          g_autofree char *upper = g_ascii_strup (m->data, -1);
          g_autofree char *line = g_strdup_printf ("%s %s", upper, (char *) l->data);
          gboolean found = FALSE;

          for (guint i = 0; i < routes->len && !found; i++)
            found = g_str_equal (g_ptr_array_index (routes, i), line);
          if (!found)
            g_error ("the document describes %s, which parkd does not serve", line);
          n_operations++;
        }
    }
  g_assert_cmpuint (n_operations, ==, routes->len);
}

static void
test_document_shape (Fixture       *f,
                     gconstpointer  data)
{
  JsonObject *doc = json_node_get_object (f->backend->openapi);
  JsonObject *schemas;

  g_assert_true (g_str_has_prefix (json_object_get_string_member (doc, "openapi"), "3.1."));
  g_assert_true (json_object_has_member (json_object_get_object_member (doc, "info"), "version"));
  schemas = json_object_get_object_member (json_object_get_object_member (doc, "components"),
                                           "schemas");
  for (guint i = 0; i < 4; i++)
    {
      const char *name = (const char *[]) { "Problem", "Lot", "LotPage", "Spot" }[i];

      g_assert_true (json_object_has_member (schemas, name));
    }

  /* A made-up lot missing its availability must not validate: the schemas have teeth. */
  {
    g_autoptr(JsonNode) bad = json_from_string ("{\"id\":\"x\",\"name\":\"Lot\"}", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_false (park_test_schema_validate_named (f->backend->openapi, "Lot", bad, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/backend/openapi/every-route-documented", Fixture, NULL,
              fixture_setup, test_every_route_documented, fixture_teardown);
  g_test_add ("/backend/openapi/every-operation-served", Fixture, NULL,
              fixture_setup, test_every_operation_served, fixture_teardown);
  g_test_add ("/backend/openapi/document-shape", Fixture, NULL,
              fixture_setup, test_document_shape, fixture_teardown);

  return g_test_run ();
}
