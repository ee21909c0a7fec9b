/* park-test-schema.c: minimal JSON Schema (2020-12 subset used by OpenAPI 3.1) validator for tests
 *
 * Copyright the Parkade authors
 *
 * Supported keywords: type, enum, const, properties, required, additionalProperties, items,
 * minItems, maxItems, minimum, maximum, exclusiveMinimum, exclusiveMaximum, minLength, maxLength,
 * pattern, format ("uuid" and "date-time"), allOf, anyOf, oneOf, not, $ref (local "#..." only,
 * applied together with sibling keywords) and the boolean schemas true/false. Every other keyword
 * is ignored.
 */

#include "park-test-schema.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#define MAX_DESCRIBED_CHARS 64

typedef struct
{
  JsonNode   *root;
  GString    *path;       /* JSON path of the instance location being validated, "$..." */
  guint       ref_depth;
  GHashTable *regexes;    /* pattern (owned) -> GRegex (owned) */
} Validator;

typedef gboolean (*KeywordFunc) (Validator  *v,
                                 JsonObject *schema,
                                 JsonNode   *instance,
                                 GError    **error);

static gboolean validate (Validator *v,
                          JsonNode  *schema,
                          JsonNode  *instance,
                          GError   **error);

/* Error helpers */

static gboolean G_GNUC_PRINTF (3, 4)
fail (Validator  *v,
      GError    **error,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", v->path->str, message);
  return FALSE;
}

static gboolean G_GNUC_PRINTF (3, 4)
schema_error (Validator  *v,
              GError    **error,
              const char *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s: invalid schema: %s",
               v->path->str, message);
  return FALSE;
}

static gboolean
is_schema_error (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* Instance helpers */

static gboolean
is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
is_boolean (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

static gboolean
is_int64 (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
is_number (JsonNode *node)
{
  return is_int64 (node)
         || (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

static gboolean
is_integer (JsonNode *node)
{
  double d;

  if (is_int64 (node))
    return TRUE;
  if (!is_number (node))
    return FALSE;

  d = json_node_get_double (node);
  if (!isfinite (d))
    return FALSE;
  /* Every double of magnitude >= 2^53 is integral (and may not fit in a gint64). */
  if (d >= 9007199254740992.0 || d <= -9007199254740992.0)
    return TRUE;
  return d == (double) (gint64) d;
}

static const char *
instance_type_name (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_OBJECT:
      return "object";
    case JSON_NODE_ARRAY:
      return "array";
    case JSON_NODE_VALUE:
    default:
      break;
    }

  if (is_string (node))
    return "string";
  if (is_boolean (node))
    return "boolean";
  if (is_int64 (node))
    return "integer";
  if (is_number (node))
    return "number";
  return g_type_name (json_node_get_value_type (node));
}

static int
compare_numbers (JsonNode *a,
                 JsonNode *b)
{
  double da, db;

  if (is_int64 (a) && is_int64 (b))
    {
      gint64 ia = json_node_get_int (a);
      gint64 ib = json_node_get_int (b);

      return (ia > ib) - (ia < ib);
    }

  da = json_node_get_double (a);
  db = json_node_get_double (b);
  return (da > db) - (da < db);
}

/* Returns a short human-readable rendering of @node for error messages. */
static char *
describe (JsonNode *node)
{
  g_autofree char *json = NULL;

  if (is_int64 (node))
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

  if (is_number (node))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      double d = json_node_get_double (node);

      g_ascii_formatd (buf, sizeof buf, "%.15g", d);
      if (g_ascii_strtod (buf, NULL) != d)
        g_ascii_formatd (buf, sizeof buf, "%.17g", d);
      return g_strdup (buf);
    }

  json = json_to_string (node, FALSE);
  if (g_utf8_strlen (json, -1) > MAX_DESCRIBED_CHARS)
    {
      g_autofree char *prefix = g_utf8_substring (json, 0, MAX_DESCRIBED_CHARS);

      return g_strconcat (prefix, "...", NULL);
    }
  return g_steal_pointer (&json);
}

/* Path helpers */

static gboolean
is_identifier (const char *key)
{
  if (!g_ascii_isalpha (*key) && *key != '_')
    return FALSE;
  for (key++; *key != '\0'; key++)
    if (!g_ascii_isalnum (*key) && *key != '_')
      return FALSE;
  return TRUE;
}

static void
path_append_key (GString    *path,
                 const char *key)
{
  if (is_identifier (key))
    {
      g_string_append_c (path, '.');
      g_string_append (path, key);
      return;
    }

  g_string_append (path, "['");
  for (const char *p = key; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (path, '\\');
      g_string_append_c (path, *p);
    }
  g_string_append (path, "']");
}

static gboolean
validate_member (Validator  *v,
                 JsonNode   *schema,
                 const char *key,
                 JsonNode   *instance,
                 GError    **error)
{
  gsize len = v->path->len;
  gboolean ok;

  path_append_key (v->path, key);
  ok = validate (v, schema, instance, error);
  g_string_truncate (v->path, len);
  return ok;
}

static gboolean
validate_element (Validator *v,
                  JsonNode  *schema,
                  guint      index,
                  JsonNode  *instance,
                  GError   **error)
{
  gsize len = v->path->len;
  gboolean ok;

  g_string_append_printf (v->path, "[%u]", index);
  ok = validate (v, schema, instance, error);
  g_string_truncate (v->path, len);
  return ok;
}

/* Schema accessors: each returns FALSE (with a schema error) if the keyword has the wrong type. */

static gboolean
get_count (Validator  *v,
           JsonObject *schema,
           const char *keyword,
           gboolean   *present,
           guint64    *value,
           GError    **error)
{
  JsonNode *node = json_object_get_member (schema, keyword);

  *present = node != NULL;
  if (node == NULL)
    return TRUE;

  if (!is_integer (node) || json_node_get_double (node) < 0)
    return schema_error (v, error, "%s must be a non-negative integer", keyword);

  if (is_int64 (node))
    *value = (guint64) json_node_get_int (node);
  else if (json_node_get_double (node) >= 18446744073709551616.0)
    *value = G_MAXUINT64;
  else
    *value = (guint64) json_node_get_double (node);
  return TRUE;
}

static gboolean
get_array (Validator  *v,
           JsonObject *schema,
           const char *keyword,
           JsonArray **array,
           GError    **error)
{
  JsonNode *node = json_object_get_member (schema, keyword);

  *array = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
    return schema_error (v, error, "%s must be a non-empty array", keyword);

  *array = json_node_get_array (node);
  return TRUE;
}

static GRegex *
get_regex (Validator  *v,
           const char *pattern,
           GError    **error)
{
  GRegex *regex = g_hash_table_lookup (v->regexes, pattern);
  g_autoptr(GError) local_error = NULL;

  if (regex != NULL)
    return regex;

  regex = g_regex_new (pattern, 0, 0, &local_error);
  if (regex == NULL)
    {
      schema_error (v, error, "invalid pattern \"%s\": %s", pattern, local_error->message);
      return NULL;
    }

  g_hash_table_insert (v->regexes, g_strdup (pattern), regex);
  return regex;
}

/* Keywords */

static gboolean
type_matches (Validator  *v,
              const char *type,
              JsonNode   *instance,
              gboolean   *matches,
              GError    **error)
{
  if (g_str_equal (type, "null"))
    *matches = JSON_NODE_HOLDS_NULL (instance);
  else if (g_str_equal (type, "boolean"))
    *matches = is_boolean (instance);
  else if (g_str_equal (type, "object"))
    *matches = JSON_NODE_HOLDS_OBJECT (instance);
  else if (g_str_equal (type, "array"))
    *matches = JSON_NODE_HOLDS_ARRAY (instance);
  else if (g_str_equal (type, "number"))
    *matches = is_number (instance);
  else if (g_str_equal (type, "integer"))
    *matches = is_integer (instance);
  else if (g_str_equal (type, "string"))
    *matches = is_string (instance);
  else
    return schema_error (v, error, "unknown type \"%s\"", type);

  return TRUE;
}

static gboolean
check_type (Validator  *v,
            JsonObject *schema,
            JsonNode   *instance,
            GError    **error)
{
  JsonNode *node = json_object_get_member (schema, "type");
  g_autoptr(GString) expected = NULL;
  gboolean matches = FALSE;

  if (node == NULL)
    return TRUE;

  if (is_string (node))
    {
      const char *type = json_node_get_string (node);

      if (!type_matches (v, type, instance, &matches, error))
        return FALSE;
      if (!matches)
        return fail (v, error, "expected %s, got %s", type, instance_type_name (instance));
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
    return schema_error (v, error, "type must be a string or a non-empty array of strings");

  expected = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (node), i);
      gboolean element_matches = FALSE;

      if (!is_string (element))
        return schema_error (v, error, "type must be a string or a non-empty array of strings");
      if (!type_matches (v, json_node_get_string (element), instance, &element_matches, error))
        return FALSE;

      matches = matches || element_matches;
      if (i > 0)
        g_string_append (expected, " or ");
      g_string_append (expected, json_node_get_string (element));
    }

  if (!matches)
    return fail (v, error, "expected %s, got %s", expected->str, instance_type_name (instance));
  return TRUE;
}

static gboolean
check_enum (Validator  *v,
            JsonObject *schema,
            JsonNode   *instance,
            GError    **error)
{
  JsonNode *node = json_object_get_member (schema, "enum");
  g_autofree char *value = NULL;
  g_autofree char *allowed = NULL;
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return schema_error (v, error, "enum must be an array");

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (json_node_equal (json_array_get_element (array, i), instance))
      return TRUE;

  value = describe (instance);
  allowed = describe (node);
  return fail (v, error, "value %s is not one of enum %s", value, allowed);
}

static gboolean
check_const (Validator  *v,
             JsonObject *schema,
             JsonNode   *instance,
             GError    **error)
{
  JsonNode *node = json_object_get_member (schema, "const");
  g_autofree char *value = NULL;
  g_autofree char *expected = NULL;

  if (node == NULL || json_node_equal (node, instance))
    return TRUE;

  value = describe (instance);
  expected = describe (node);
  return fail (v, error, "value %s does not equal const %s", value, expected);
}

static gboolean
check_ref (Validator  *v,
           JsonObject *schema,
           JsonNode   *instance,
           GError    **error)
{
  JsonNode *node = json_object_get_member (schema, "$ref");
  JsonNode *target;
  const char *ref;
  gboolean ok;

  if (node == NULL)
    return TRUE;
  if (!is_string (node))
    return schema_error (v, error, "$ref must be a string");

  ref = json_node_get_string (node);
  if (ref[0] != '#')
    return schema_error (v, error, "only local $ref (\"#...\") is supported, got \"%s\"", ref);

  target = park_test_schema_resolve_pointer (v->root, ref);
  if (target == NULL)
    return schema_error (v, error, "cannot resolve $ref \"%s\"", ref);

  if (v->ref_depth >= PARK_TEST_SCHEMA_MAX_REF_DEPTH)
    return schema_error (v, error, "$ref nesting deeper than %d (cycle?) at \"%s\"",
                         PARK_TEST_SCHEMA_MAX_REF_DEPTH, ref);

  v->ref_depth++;
  ok = validate (v, target, instance, error);
  v->ref_depth--;
  return ok;
}

static gboolean
check_object (Validator  *v,
              JsonObject *schema,
              JsonNode   *instance,
              GError    **error)
{
  JsonNode *properties_node = json_object_get_member (schema, "properties");
  JsonNode *required_node = json_object_get_member (schema, "required");
  JsonNode *additional = json_object_get_member (schema, "additionalProperties");
  JsonObject *properties = NULL;
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (properties_node != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (properties_node))
        return schema_error (v, error, "properties must be an object");
      properties = json_node_get_object (properties_node);
    }
  if (required_node != NULL && !JSON_NODE_HOLDS_ARRAY (required_node))
    return schema_error (v, error, "required must be an array of strings");

  if (!JSON_NODE_HOLDS_OBJECT (instance))
    return TRUE;
  object = json_node_get_object (instance);

  if (required_node != NULL)
    {
      JsonArray *required = json_node_get_array (required_node);

      for (guint i = 0; i < json_array_get_length (required); i++)
        {
          JsonNode *element = json_array_get_element (required, i);

          if (!is_string (element))
            return schema_error (v, error, "required must be an array of strings");
          if (!json_object_has_member (object, json_node_get_string (element)))
            return fail (v, error, "missing required property \"%s\"",
                         json_node_get_string (element));
        }
    }

  if (properties != NULL)
    {
      json_object_iter_init_ordered (&iter, properties);
      while (json_object_iter_next_ordered (&iter, &name, &node))
        {
          JsonNode *member = json_object_get_member (object, name);

          if (member != NULL && !validate_member (v, node, name, member, error))
            return FALSE;
        }
    }

  if (additional != NULL)
    {
      json_object_iter_init_ordered (&iter, object);
      while (json_object_iter_next_ordered (&iter, &name, &node))
        {
          if (properties != NULL && json_object_has_member (properties, name))
            continue;

          if (is_boolean (additional) && !json_node_get_boolean (additional))
            {
              gsize len = v->path->len;

              path_append_key (v->path, name);
              fail (v, error, "property not allowed (additionalProperties is false)");
              g_string_truncate (v->path, len);
              return FALSE;
            }

          if (!validate_member (v, additional, name, node, error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
check_array (Validator  *v,
             JsonObject *schema,
             JsonNode   *instance,
             GError    **error)
{
  JsonNode *items = json_object_get_member (schema, "items");
  gboolean has_min, has_max;
  guint64 min = 0, max = 0;
  JsonArray *array;
  guint length;

  if (!get_count (v, schema, "minItems", &has_min, &min, error)
      || !get_count (v, schema, "maxItems", &has_max, &max, error))
    return FALSE;
  if (items != NULL && JSON_NODE_HOLDS_ARRAY (items))
    return schema_error (v, error, "items must be a schema (the array form is not supported)");

  if (!JSON_NODE_HOLDS_ARRAY (instance))
    return TRUE;
  array = json_node_get_array (instance);
  length = json_array_get_length (array);

  if (has_min && length < min)
    return fail (v, error, "array has %u items, fewer than minItems %" G_GUINT64_FORMAT,
                 length, min);
  if (has_max && length > max)
    return fail (v, error, "array has %u items, more than maxItems %" G_GUINT64_FORMAT,
                 length, max);

  if (items != NULL)
    {
      for (guint i = 0; i < length; i++)
        if (!validate_element (v, items, i, json_array_get_element (array, i), error))
          return FALSE;
    }

  return TRUE;
}

static gboolean
check_number (Validator  *v,
              JsonObject *schema,
              JsonNode   *instance,
              GError    **error)
{
  /* A bound fails when comparing the instance with it gives @direction, or 0 if @exclusive. */
  static const struct
  {
    const char *keyword;
    int         direction;
    gboolean    exclusive;
    const char *message;
  } bounds[] = {
    { "minimum", -1, FALSE, "less than" },
    { "maximum", 1, FALSE, "greater than" },
    { "exclusiveMinimum", -1, TRUE, "not greater than" },
    { "exclusiveMaximum", 1, TRUE, "not less than" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bounds); i++)
    {
      JsonNode *limit = json_object_get_member (schema, bounds[i].keyword);
      g_autofree char *value = NULL;
      g_autofree char *bound = NULL;
      int cmp;

      if (limit == NULL)
        continue;
      if (!is_number (limit))
        return schema_error (v, error, "%s must be a number", bounds[i].keyword);
      if (!is_number (instance))
        continue;

      cmp = compare_numbers (instance, limit);
      if (cmp != bounds[i].direction && !(bounds[i].exclusive && cmp == 0))
        continue;

      value = describe (instance);
      bound = describe (limit);
      return fail (v, error, "%s is %s %s %s", value, bounds[i].message, bounds[i].keyword, bound);
    }

  return TRUE;
}

static gboolean
check_string (Validator  *v,
              JsonObject *schema,
              JsonNode   *instance,
              GError    **error)
{
  JsonNode *pattern_node = json_object_get_member (schema, "pattern");
  GRegex *regex = NULL;
  gboolean has_min, has_max;
  guint64 min = 0, max = 0;
  const char *string;
  guint64 length;

  if (!get_count (v, schema, "minLength", &has_min, &min, error)
      || !get_count (v, schema, "maxLength", &has_max, &max, error))
    return FALSE;
  if (pattern_node != NULL)
    {
      if (!is_string (pattern_node))
        return schema_error (v, error, "pattern must be a string");
      regex = get_regex (v, json_node_get_string (pattern_node), error);
      if (regex == NULL)
        return FALSE;
    }

  if (!is_string (instance))
    return TRUE;
  string = json_node_get_string (instance);
  length = (guint64) g_utf8_strlen (string, -1);

  if (has_min && length < min)
    return fail (v, error, "string length %" G_GUINT64_FORMAT " is less than minLength %"
                 G_GUINT64_FORMAT, length, min);
  if (has_max && length > max)
    return fail (v, error, "string length %" G_GUINT64_FORMAT " is greater than maxLength %"
                 G_GUINT64_FORMAT, length, max);

  if (regex != NULL && !g_regex_match (regex, string, 0, NULL))
    {
      g_autofree char *value = describe (instance);

      return fail (v, error, "%s does not match pattern \"%s\"", value,
                   json_node_get_string (pattern_node));
    }

  return TRUE;
}

/* RFC 3339 date-time (case-insensitive): YYYY-MM-DD "T" HH:MM:SS [.frac] ("Z" / +HH:MM / -HH:MM) */
static gboolean
is_date_time (const char *string)
{
  static const char shape[] = "dddd-dd-ddTdd:dd:dd";
  g_autoptr(GDateTime) date_time = NULL;
  g_autofree char *upper = NULL;
  const char *p;

  /* The string may be shorter than @shape: its NUL never matches, so we stop there. */
  for (gsize i = 0; shape[i] != '\0'; i++)
    {
      if (shape[i] == 'd' ? !g_ascii_isdigit (string[i])
                          : g_ascii_toupper (string[i]) != shape[i])
        return FALSE;
    }

  p = string + strlen (shape);
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }

  if (*p == 'Z' || *p == 'z')
    p++;
  else if ((*p == '+' || *p == '-')
           && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]) && p[3] == ':'
           && g_ascii_isdigit (p[4]) && g_ascii_isdigit (p[5]))
    p += 6;
  else
    return FALSE;

  if (*p != '\0')
    return FALSE;

  /* The shape is right; let GLib check the ranges (month 13, February 30, offset +25:00...). */
  upper = g_ascii_strup (string, -1);
  date_time = g_date_time_new_from_iso8601 (upper, NULL);
  return date_time != NULL;
}

static gboolean
check_format (Validator  *v,
              JsonObject *schema,
              JsonNode   *instance,
              GError    **error)
{
  JsonNode *node = json_object_get_member (schema, "format");
  g_autofree char *value = NULL;
  const char *format;
  gboolean valid;

  if (node == NULL || !is_string (node) || !is_string (instance))
    return TRUE;

  format = json_node_get_string (node);
  if (g_str_equal (format, "uuid"))
    valid = g_uuid_string_is_valid (json_node_get_string (instance));
  else if (g_str_equal (format, "date-time"))
    valid = is_date_time (json_node_get_string (instance));
  else
    return TRUE;

  if (valid)
    return TRUE;

  value = describe (instance);
  return fail (v, error, "%s is not a valid \"%s\" (format)", value, format);
}

static gboolean
check_all_of (Validator  *v,
              JsonObject *schema,
              JsonNode   *instance,
              GError    **error)
{
  JsonArray *all_of;

  if (!get_array (v, schema, "allOf", &all_of, error))
    return FALSE;
  if (all_of == NULL)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (all_of); i++)
    if (!validate (v, json_array_get_element (all_of, i), instance, error))
      return FALSE;

  return TRUE;
}

/* Validates @instance against each subschema in @array and counts the matches. Stops at the first
 * match if @stop_at_match. Failure messages are collected in @failures; schema errors propagate. */
static gboolean
count_matches (Validator *v,
               JsonArray *array,
               JsonNode  *instance,
               gboolean   stop_at_match,
               guint     *n_matches,
               guint      matched[2],
               GString   *failures,
               GError   **error)
{
  *n_matches = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (validate (v, json_array_get_element (array, i), instance, &local_error))
        {
          if (*n_matches < 2)
            matched[*n_matches] = i;
          (*n_matches)++;
          if (stop_at_match)
            return TRUE;
          continue;
        }

      if (is_schema_error (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      g_string_append_printf (failures, "%s[%u] %s", failures->len > 0 ? "; " : "", i,
                              local_error->message);
    }

  return TRUE;
}

static gboolean
check_any_of (Validator  *v,
              JsonObject *schema,
              JsonNode   *instance,
              GError    **error)
{
  g_autoptr(GString) failures = g_string_new (NULL);
  guint n_matches, matched[2];
  JsonArray *any_of;

  if (!get_array (v, schema, "anyOf", &any_of, error))
    return FALSE;
  if (any_of == NULL)
    return TRUE;

  if (!count_matches (v, any_of, instance, TRUE, &n_matches, matched, failures, error))
    return FALSE;
  if (n_matches == 0)
    return fail (v, error, "value does not match any schema in anyOf: %s", failures->str);

  return TRUE;
}

static gboolean
check_one_of (Validator  *v,
              JsonObject *schema,
              JsonNode   *instance,
              GError    **error)
{
  g_autoptr(GString) failures = g_string_new (NULL);
  guint n_matches, matched[2];
  JsonArray *one_of;

  if (!get_array (v, schema, "oneOf", &one_of, error))
    return FALSE;
  if (one_of == NULL)
    return TRUE;

  if (!count_matches (v, one_of, instance, FALSE, &n_matches, matched, failures, error))
    return FALSE;
  if (n_matches == 0)
    return fail (v, error, "value does not match any schema in oneOf: %s", failures->str);
  if (n_matches > 1)
    return fail (v, error, "value matches %u schemas in oneOf (at least [%u] and [%u]), expected "
                 "exactly one", n_matches, matched[0], matched[1]);

  return TRUE;
}

static gboolean
check_not (Validator  *v,
           JsonObject *schema,
           JsonNode   *instance,
           GError    **error)
{
  JsonNode *node = json_object_get_member (schema, "not");
  g_autoptr(GError) local_error = NULL;

  if (node == NULL)
    return TRUE;

  if (validate (v, node, instance, &local_error))
    return fail (v, error, "value must not match the schema in not");

  if (is_schema_error (local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

static const KeywordFunc keyword_funcs[] = {
  check_type,
  check_enum,
  check_const,
  check_ref,
  check_object,
  check_array,
  check_number,
  check_string,
  check_format,
  check_all_of,
  check_any_of,
  check_one_of,
  check_not,
};

static gboolean
validate (Validator *v,
          JsonNode  *schema,
          JsonNode  *instance,
          GError   **error)
{
  JsonObject *object;

  if (is_boolean (schema))
    {
      if (json_node_get_boolean (schema))
        return TRUE;
      return fail (v, error, "not allowed (schema is false)");
    }

  if (!JSON_NODE_HOLDS_OBJECT (schema))
    return schema_error (v, error, "a schema must be an object or a boolean, got %s",
                         instance_type_name (schema));

  object = json_node_get_object (schema);
  for (gsize i = 0; i < G_N_ELEMENTS (keyword_funcs); i++)
    if (!keyword_funcs[i] (v, object, instance, error))
      return FALSE;

  return TRUE;
}

/* Public API */

/**
 * park_test_schema_validate:
 * @root: (nullable): the whole document that `$ref`s resolve against, or %NULL to use @schema
 * @schema: the schema (an object or a boolean)
 * @instance: the JSON value to validate
 * @error: return location for a #GError
 *
 * Validates @instance against @schema. See park-test-schema.h for the error codes.
 *
 * Returns: %TRUE if @instance is valid
 */
gboolean
park_test_schema_validate (JsonNode  *root,
                           JsonNode  *schema,
                           JsonNode  *instance,
                           GError   **error)
{
  Validator v = { 0 };
  gboolean ok;

  g_return_val_if_fail (schema != NULL, FALSE);
  g_return_val_if_fail (instance != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  v.root = root != NULL ? root : schema;
  v.path = g_string_new ("$");
  v.regexes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) g_regex_unref);

  ok = validate (&v, schema, instance, error);

  g_hash_table_unref (v.regexes);
  g_string_free (v.path, TRUE);
  return ok;
}

/**
 * park_test_schema_validate_named:
 * @root: an OpenAPI document
 * @name: the name of a schema in `#/components/schemas`
 * @instance: the JSON value to validate
 * @error: return location for a #GError
 *
 * Validates @instance against `#/components/schemas/@name` of @root. Sets %G_IO_ERROR_NOT_FOUND if
 * there is no such schema.
 *
 * Returns: %TRUE if @instance is valid
 */
gboolean
park_test_schema_validate_named (JsonNode    *root,
                                 const char  *name,
                                 JsonNode    *instance,
                                 GError     **error)
{
  JsonNode *node = root;
  const char *const steps[] = { "components", "schemas", name };

  g_return_val_if_fail (root != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (instance != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (steps) && node != NULL; i++)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        node = NULL;
      else
        node = json_object_get_member (json_node_get_object (node), steps[i]);
    }

  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "no schema named \"%s\" in #/components/schemas", name);
      return FALSE;
    }

  return park_test_schema_validate (root, node, instance, error);
}

/* Unescapes one JSON pointer reference token (~0 and ~1); NULL if it has an invalid escape. */
static char *
unescape_token (const char *token)
{
  g_autoptr(GString) result = g_string_new (NULL);

  for (const char *p = token; *p != '\0'; p++)
    {
      if (*p != '~')
        {
          g_string_append_c (result, *p);
          continue;
        }

      p++;
      if (*p == '0')
        g_string_append_c (result, '~');
      else if (*p == '1')
        g_string_append_c (result, '/');
      else
        return NULL;
    }

  return g_string_free (g_steal_pointer (&result), FALSE);
}

/* Parses an RFC 6901 array index: "0" or digits without a leading zero. */
static gboolean
parse_index (const char *token,
             guint64    *index)
{
  if (token[0] == '\0' || (token[0] == '0' && token[1] != '\0'))
    return FALSE;
  for (const char *p = token; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return g_ascii_string_to_unsigned (token, 10, 0, G_MAXUINT, index, NULL);
}

/**
 * park_test_schema_resolve_pointer:
 * @root: a JSON document
 * @pointer: an RFC 6901 JSON pointer such as "/paths/~1api~1v1~1parking-lots/get" ("" is @root),
 *   or its URI fragment form "#/paths/..." (percent-decoded first, as in `$ref`)
 *
 * Returns: (transfer none) (nullable): the node @pointer refers to, or %NULL if there is none or
 *   @pointer is malformed
 */
JsonNode *
park_test_schema_resolve_pointer (JsonNode   *root,
                                  const char *pointer)
{
  g_autofree char *decoded = NULL;
  g_auto(GStrv) tokens = NULL;
  JsonNode *node = root;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (pointer != NULL, NULL);

  if (pointer[0] == '#')
    {
      decoded = g_uri_unescape_string (pointer + 1, NULL);
      if (decoded == NULL)
        return NULL;
      pointer = decoded;
    }

  if (pointer[0] == '\0')
    return root;
  if (pointer[0] != '/')
    return NULL;

  tokens = g_strsplit (pointer + 1, "/", -1);
  for (gsize i = 0; tokens[i] != NULL && node != NULL; i++)
    {
      g_autofree char *token = unescape_token (tokens[i]);
      guint64 index;

      if (token == NULL)
        return NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          node = json_object_get_member (json_node_get_object (node), token);
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          if (!parse_index (token, &index) || index >= json_array_get_length (array))
            return NULL;
          node = json_array_get_element (array, (guint) index);
        }
      else
        {
          return NULL;
        }
    }

  return node;
}
