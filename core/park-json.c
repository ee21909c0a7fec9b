/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-json.c: the readers of park-json-private.h. */
#include "config.h"

#include "park-json-private.h"

#include <math.h>
#include <string.h>

/* json-glib 1.6 recurses per nesting level (QUIRKS.md): a hostile or broken server must not
 * crash a kiosk, and no answer of the API nests deeper than a few levels. */
#define MAX_DEPTH 64

void
_park_json_reader_init (ParkJsonReader *self,
                        JsonObject     *object,
                        const char     *path)
{
  memset (self, 0, sizeof *self);
  self->object = object;
  g_strlcpy (self->path, path != NULL ? path : "", sizeof self->path);
  self->error = &self->own_error;
}

gboolean
_park_json_reader_failed (ParkJsonReader *self)
{
  return *self->error != NULL;
}

gboolean
_park_json_reader_finish (ParkJsonReader  *self,
                          GError         **error)
{
  g_assert (self->error == &self->own_error);
  if (self->own_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->own_error));
      return FALSE;
    }
  return TRUE;
}

static char *
member_path (ParkJsonReader *self,
             const char     *member)
{
  if (self->path[0] == '\0')
    return g_strdup (member);
  if (member == NULL)
    return g_strdup (self->path);
  return g_strconcat (self->path, ".", member, NULL);
}

void
_park_json_reader_fail (ParkJsonReader *self,
                        const char     *member,
                        const char     *problem)
{
  g_autofree char *path = NULL;

  if (*self->error != NULL)
    return;
  path = member_path (self, member);
  *self->error = _park_client_error_new_invalid_response (path, "“%s” %s", path, problem);
}

gboolean
_park_json_has (ParkJsonReader *self,
                const char     *member)
{
  return json_object_has_member (self->object, member);
}

/* The member's node; NULL when it is absent or null and that is allowed (no error), or when
 * it is not allowed (an error). */
static JsonNode *
get_node (ParkJsonReader *self,
          const char     *member,
          ParkJsonFlags   flags)
{
  JsonNode *node;

  if (*self->error != NULL)
    return NULL;
  node = json_object_get_member (self->object, member);
  if (node == NULL)
    {
      if (!(flags & PARK_JSON_OPTIONAL))
        _park_json_reader_fail (self, member, "is missing");
      return NULL;
    }
  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (!(flags & PARK_JSON_NULLABLE))
        _park_json_reader_fail (self, member, "is null");
      return NULL;
    }
  return node;
}

static gboolean
holds (JsonNode *node,
       GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
_park_json_reader_enter (ParkJsonReader *self,
                         const char     *member,
                         ParkJsonFlags   flags,
                         ParkJsonReader *child)
{
  JsonNode *node = get_node (self, member, flags);
  g_autofree char *path = member_path (self, member);

  memset (child, 0, sizeof *child);
  child->error = self->error;
  g_strlcpy (child->path, path, sizeof child->path);
  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _park_json_reader_fail (self, member, "is not an object");
      return FALSE;
    }
  child->object = json_node_get_object (node);
  return TRUE;
}

char *
_park_json_dup_string (ParkJsonReader *self,
                       const char     *member,
                       ParkJsonFlags   flags)
{
  JsonNode *node = get_node (self, member, flags);
  const char *value;

  if (node == NULL)
    return NULL;
  if (!holds (node, G_TYPE_STRING))
    {
      _park_json_reader_fail (self, member, "is not a string");
      return NULL;
    }
  value = json_node_get_string (node);
  if ((flags & PARK_JSON_NONEMPTY) && *value == '\0')
    {
      _park_json_reader_fail (self, member, "is empty");
      return NULL;
    }
  return g_strdup (value);
}

gint64
_park_json_get_int (ParkJsonReader *self,
                    const char     *member,
                    gint64          min,
                    gint64          max,
                    ParkJsonFlags   flags,
                    gint64          if_none)
{
  JsonNode *node = get_node (self, member, flags);
  gint64 value;

  if (node == NULL)
    return if_none;
  if (!holds (node, G_TYPE_INT64))
    {
      _park_json_reader_fail (self, member, "is not an integer");
      return if_none;
    }
  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      _park_json_reader_fail (self, member, "is out of range");
      return if_none;
    }
  return value;
}

double
_park_json_get_double (ParkJsonReader *self,
                       const char     *member,
                       double          min,
                       double          max,
                       ParkJsonFlags   flags,
                       double          if_none)
{
  JsonNode *node = get_node (self, member, flags);
  double value;

  if (node == NULL)
    return if_none;
  if (holds (node, G_TYPE_INT64))
    value = (double) json_node_get_int (node);
  else if (holds (node, G_TYPE_DOUBLE))
    value = json_node_get_double (node);
  else
    {
      _park_json_reader_fail (self, member, "is not a number");
      return if_none;
    }
  /* json-glib reads 1e400 as infinity (QUIRKS.md). */
  if (!isfinite (value) || value < min || value > max)
    {
      _park_json_reader_fail (self, member, "is out of range");
      return if_none;
    }
  return value;
}

gboolean
_park_json_get_boolean (ParkJsonReader *self,
                        const char     *member,
                        ParkJsonFlags   flags,
                        gboolean        if_none)
{
  JsonNode *node = get_node (self, member, flags);

  if (node == NULL)
    return if_none;
  if (!holds (node, G_TYPE_BOOLEAN))
    {
      _park_json_reader_fail (self, member, "is not a boolean");
      return if_none;
    }
  return json_node_get_boolean (node);
}

GDateTime *
_park_json_dup_date_time (ParkJsonReader *self,
                          const char     *member,
                          ParkJsonFlags   flags)
{
  JsonNode *node = get_node (self, member, flags);
  GDateTime *value;

  if (node == NULL)
    return NULL;
  if (!holds (node, G_TYPE_STRING))
    {
      _park_json_reader_fail (self, member, "is not a string");
      return NULL;
    }
  /* RFC 3339 always has an offset; without a default zone GLib refuses a time without one. */
  value = g_date_time_new_from_iso8601 (json_node_get_string (node), NULL);
  if (value == NULL)
    _park_json_reader_fail (self, member, "is not an RFC 3339 date and time");
  return value;
}

int
_park_json_get_enum (ParkJsonReader *self,
                     const char     *member,
                     GType           enum_type,
                     ParkJsonFlags   flags,
                     int             if_none)
{
  JsonNode *node = get_node (self, member, flags);
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *value;

  if (node == NULL)
    return if_none;
  if (!holds (node, G_TYPE_STRING))
    {
      _park_json_reader_fail (self, member, "is not a string");
      return if_none;
    }
  klass = g_type_class_ref (enum_type);
  value = g_enum_get_value_by_nick (klass, json_node_get_string (node));
  /* "any" is a filter of ours, never a value the server sends. */
  if (value == NULL || g_str_equal (value->value_nick, "any"))
    {
      _park_json_reader_fail (self, member, "has an unknown value");
      return if_none;
    }
  return value->value;
}

JsonArray *
_park_json_get_array (ParkJsonReader *self,
                      const char     *member,
                      ParkJsonFlags   flags)
{
  JsonNode *node = get_node (self, member, flags);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      _park_json_reader_fail (self, member, "is not an array");
      return NULL;
    }
  return json_node_get_array (node);
}

char **
_park_json_dup_strv (ParkJsonReader *self,
                     const char     *member,
                     ParkJsonFlags   flags)
{
  JsonArray *array = _park_json_get_array (self, member, flags);
  g_autoptr(GStrvBuilder) builder = NULL;
  guint n;

  if (array == NULL)
    return NULL;
  builder = g_strv_builder_new ();
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!holds (element, G_TYPE_STRING))
        {
          g_autofree char *what = g_strdup_printf ("%s.%u", member, i);

          _park_json_reader_fail (self, what, "is not a string");
          return NULL;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

/* Element @index of @array (read from @member) as an object, and its path for the parser of
 * that object. */
JsonObject *
_park_json_array_get_object (ParkJsonReader  *self,
                             const char      *member,
                             JsonArray       *array,
                             guint            index,
                             char           **path)
{
  g_autofree char *what = g_strdup_printf ("%s.%u", member, index);
  JsonNode *element = json_array_get_element (array, index);

  *path = NULL;
  if (*self->error != NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (element))
    {
      _park_json_reader_fail (self, what, "is not an object");
      return NULL;
    }
  *path = member_path (self, what);
  return json_node_get_object (element);
}

gpointer
_park_json_read_model (ParkJsonReader  *self,
                       const char      *member,
                       ParkJsonFlags    flags,
                       ParkModelParser  parser)
{
  ParkJsonReader child;

  if (!_park_json_reader_enter (self, member, flags, &child))
    return NULL;
  return parser (child.object, child.path, self->error);
}

void
_park_json_read_list (ParkJsonReader  *self,
                      const char      *member,
                      ParkJsonFlags    flags,
                      ParkModelParser  parser,
                      GListStore      *store)
{
  JsonArray *array = _park_json_get_array (self, member, flags);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = NULL;
      JsonObject *item = _park_json_array_get_object (self, member, array, i, &path);
      g_autoptr(GObject) model = NULL;

      if (item == NULL)
        return;
      model = parser (item, path, self->error);
      if (model == NULL)
        return;
      g_list_store_append (store, model);
    }
}

char *
_park_json_dup_object_text (ParkJsonReader *self,
                            const char     *member,
                            ParkJsonFlags   flags)
{
  JsonNode *node = get_node (self, member, flags);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _park_json_reader_fail (self, member, "is not an object");
      return NULL;
    }
  return json_to_string (node, FALSE);
}

static gboolean
too_deep (const char *data,
          gsize       len)
{
  int depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_DEPTH)
            return TRUE;
        }
      else if (c == ']' || c == '}')
        depth--;
    }
  return FALSE;
}

JsonNode *
_park_json_parse_object (GBytes  *body,
                         GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  JsonNode *root;

  if (data == NULL || len == 0)
    {
      g_propagate_error (error, _park_client_error_new_invalid_response (NULL, "empty body"));
      return NULL;
    }
  if (too_deep (data, len))
    {
      g_propagate_error (error,
                         _park_client_error_new_invalid_response (NULL, "JSON nested too deep"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      g_propagate_error (error, _park_client_error_new_invalid_response (NULL, "not JSON: %s",
                                                                         local_error->message));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_propagate_error (error,
                         _park_client_error_new_invalid_response (NULL,
                                                                  "not a JSON object"));
      return NULL;
    }
  return json_node_ref (root);
}
