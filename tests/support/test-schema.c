/* test-schema.c: tests for the JSON Schema validator used by the test suite
 *
 * Copyright the Parkade authors
 *
 * JSON in this file is written with single quotes for readability; parse() turns every ' into ".
 * Where a literal apostrophe is needed, use the JSON escape \u0027.
 */

#ifndef G_LOG_DOMAIN
#define G_LOG_DOMAIN "test-schema"
#endif

#include "park-test-schema.h"

#include <gio/gio.h>
#include <string.h>

static JsonNode *
parse (const char *text)
{
  g_autofree char *json = g_strdelimit (g_strdup (text), "'", '"');
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = json_from_string (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* Validates @instance_text against @schema_text ($refs resolve in @root_text, or in the schema if
 * @root_text is NULL). If @expected_code is 0 the instance must be valid; otherwise validation must
 * fail with that G_IO_ERROR code and a message starting with @expected_prefix. */
static void
check_result (const char *file,
              int         line,
              const char *root_text,
              const char *schema_text,
              const char *instance_text,
              int         expected_code,
              const char *expected_prefix)
{
  g_autoptr(JsonNode) root = root_text != NULL ? parse (root_text) : NULL;
  g_autoptr(JsonNode) schema = parse (schema_text);
  g_autoptr(JsonNode) instance = parse (instance_text);
  g_autoptr(GError) error = NULL;
  g_autofree char *failure = NULL;
  gboolean ok;

  ok = park_test_schema_validate (root, schema, instance, &error);
  g_assert_true (ok == (error == NULL));

  if (expected_code == 0 && !ok)
    failure = g_strdup_printf ("expected %s to be valid against %s, got error: %s",
                               instance_text, schema_text, error->message);
  else if (expected_code != 0 && ok)
    failure = g_strdup_printf ("expected %s to be rejected by %s, but it validated",
                               instance_text, schema_text);
  else if (expected_code != 0 && !g_error_matches (error, G_IO_ERROR, expected_code))
    failure = g_strdup_printf ("validating %s against %s: expected error code %d, got %s %d: %s",
                               instance_text, schema_text, expected_code,
                               g_quark_to_string (error->domain), error->code, error->message);
  else if (expected_code != 0 && !g_str_has_prefix (error->message, expected_prefix))
    failure = g_strdup_printf ("validating %s against %s: expected a message starting with "
                               "\"%s\", got \"%s\"", instance_text, schema_text, expected_prefix,
                               error->message);

  if (failure != NULL)
    g_assertion_message (G_LOG_DOMAIN, file, line, G_STRFUNC, failure);
}

#define assert_valid(schema, instance) \
  check_result (__FILE__, __LINE__, NULL, schema, instance, 0, NULL)
#define assert_invalid(schema, instance, prefix) \
  check_result (__FILE__, __LINE__, NULL, schema, instance, G_IO_ERROR_INVALID_DATA, prefix)
#define assert_bad_schema(schema, instance, prefix) \
  check_result (__FILE__, __LINE__, NULL, schema, instance, G_IO_ERROR_INVALID_ARGUMENT, prefix)
#define assert_valid_in(root, schema, instance) \
  check_result (__FILE__, __LINE__, root, schema, instance, 0, NULL)
#define assert_invalid_in(root, schema, instance, prefix) \
  check_result (__FILE__, __LINE__, root, schema, instance, G_IO_ERROR_INVALID_DATA, prefix)
#define assert_bad_schema_in(root, schema, instance, prefix) \
  check_result (__FILE__, __LINE__, root, schema, instance, G_IO_ERROR_INVALID_ARGUMENT, prefix)

static void
test_boolean_schemas (void)
{
  assert_valid ("true", "null");
  assert_valid ("true", "{'a': [1, 2.5, 'x']}");
  assert_valid ("{}", "42");
  assert_invalid ("false", "null", "$: not allowed (schema is false)");
  assert_invalid ("false", "{}", "$: not allowed (schema is false)");
  assert_invalid ("{'properties': {'a': false}}", "{'a': 1}",
                  "$.a: not allowed (schema is false)");
  assert_valid ("{'properties': {'a': false}}", "{'b': 1}");
}

static void
test_type (void)
{
  assert_valid ("{'type': 'null'}", "null");
  assert_invalid ("{'type': 'null'}", "0", "$: expected null, got integer");
  assert_valid ("{'type': 'boolean'}", "false");
  assert_invalid ("{'type': 'boolean'}", "'true'", "$: expected boolean, got string");
  assert_valid ("{'type': 'object'}", "{}");
  assert_invalid ("{'type': 'object'}", "[]", "$: expected object, got array");
  assert_valid ("{'type': 'array'}", "[]");
  assert_invalid ("{'type': 'array'}", "{}", "$: expected array, got object");
  assert_valid ("{'type': 'string'}", "''");
  assert_invalid ("{'type': 'string'}", "null", "$: expected string, got null");

  /* number accepts integers; integer accepts integral doubles but not fractional ones */
  assert_valid ("{'type': 'number'}", "1");
  assert_valid ("{'type': 'number'}", "-1.5");
  assert_valid ("{'type': 'number'}", "1e3");
  assert_invalid ("{'type': 'number'}", "'1'", "$: expected number, got string");
  assert_invalid ("{'type': 'number'}", "true", "$: expected number, got boolean");
  assert_valid ("{'type': 'integer'}", "-7");
  assert_valid ("{'type': 'integer'}", "3.0");
  assert_valid ("{'type': 'integer'}", "1e2");
  assert_valid ("{'type': 'integer'}", "1e300");
  assert_invalid ("{'type': 'integer'}", "3.5", "$: expected integer, got number");
  assert_invalid ("{'type': 'integer'}", "'3'", "$: expected integer, got string");

  /* arrays of types */
  assert_valid ("{'type': ['string', 'null']}", "null");
  assert_valid ("{'type': ['string', 'null']}", "'x'");
  assert_invalid ("{'type': ['string', 'null']}", "1", "$: expected string or null, got integer");

  /* the path of a nested failure */
  assert_invalid ("{'properties': {'items': {'items': {'properties': "
                  "{'distance_m': {'type': 'number'}}}}}}",
                  "{'items': [{}, {}, {'distance_m': 1}, {'distance_m': '12'}]}",
                  "$.items[3].distance_m: expected number, got string");

  assert_bad_schema ("{'type': 'float'}", "1", "$: invalid schema: unknown type \"float\"");
  assert_bad_schema ("{'type': ['string', 3]}", "1", "$: invalid schema: type must be");
  assert_bad_schema ("{'type': []}", "1", "$: invalid schema: type must be");
}

static void
test_enum (void)
{
  const char *schema = "{'enum': ['open', 'closed', 2, null, {'a': [1]}]}";

  assert_valid (schema, "'open'");
  assert_valid (schema, "'closed'");
  assert_valid (schema, "2");
  assert_valid (schema, "2.0");
  assert_valid (schema, "null");
  assert_valid (schema, "{'a': [1.0]}");
  assert_invalid (schema, "'Open'", "$: value \"Open\" is not one of enum [\"open\",");
  assert_invalid (schema, "'2'", "$: value \"2\" is not one of enum");
  assert_invalid (schema, "2.5", "$: value 2.5 is not one of enum");
  assert_invalid (schema, "false", "$: value false is not one of enum");
  assert_invalid (schema, "{'a': [1], 'b': 2}", "$: value {\"a\":[1],\"b\":2} is not one of enum");
  assert_invalid ("{'properties': {'status': {'enum': ['open']}}}", "{'status': 'shut'}",
                  "$.status: value \"shut\" is not one of enum [\"open\"]");
  assert_invalid ("{'enum': []}", "1", "$: value 1 is not one of enum []");
  assert_bad_schema ("{'enum': 'open'}", "'open'", "$: invalid schema: enum must be an array");
}

static void
test_const (void)
{
  assert_valid ("{'const': 'v1'}", "'v1'");
  assert_valid ("{'const': 1}", "1.0");
  assert_valid ("{'const': null}", "null");
  assert_valid ("{'const': [1, {'x': true}]}", "[1, {'x': true}]");
  assert_invalid ("{'const': 'v1'}", "'v2'", "$: value \"v2\" does not equal const \"v1\"");
  assert_invalid ("{'const': 1}", "true", "$: value true does not equal const 1");
  assert_invalid ("{'const': null}", "0", "$: value 0 does not equal const null");
  assert_invalid ("{'const': [1, 2]}", "[2, 1]", "$: value [2,1] does not equal const [1,2]");
}

static void
test_properties (void)
{
  const char *schema = "{'type': 'object', 'properties': {'id': {'type': 'integer'}, "
                       "'name': {'type': 'string'}}}";

  assert_valid (schema, "{}");
  assert_valid (schema, "{'id': 1, 'name': 'A', 'extra': [1]}");
  assert_invalid (schema, "{'id': 1, 'name': 7}", "$.name: expected string, got integer");
  assert_invalid (schema, "{'id': 'x'}", "$.id: expected integer, got string");
  /* properties only applies to objects */
  assert_valid ("{'properties': {'id': {'type': 'integer'}}}", "[{'id': 'x'}]");

  /* keys that are not identifiers are bracketed and escaped in the path */
  assert_invalid ("{'properties': {'x-request-id': {'type': 'string'}}}", "{'x-request-id': 1}",
                  "$['x-request-id']: expected string, got integer");
  assert_invalid ("{'properties': {'it\\u0027s': {'type': 'string'}}}", "{'it\\u0027s': 1}",
                  "$['it\\'s']: expected string, got integer");
  assert_invalid ("{'properties': {'1st': {'type': 'string'}}}", "{'1st': 1}",
                  "$['1st']: expected string, got integer");

  /* nested objects */
  assert_invalid ("{'properties': {'lot': {'properties': {'address': {'properties': "
                  "{'city': {'minLength': 1}}}}}}}",
                  "{'lot': {'address': {'city': ''}}}",
                  "$.lot.address.city: string length 0 is less than minLength 1");

  assert_bad_schema ("{'properties': ['id']}", "{}", "$: invalid schema: properties must be");
  assert_bad_schema ("{'properties': {'id': 3}}", "{'id': 1}",
                     "$.id: invalid schema: a schema must be an object or a boolean");
}

static void
test_required (void)
{
  const char *schema = "{'required': ['id', 'name']}";

  assert_valid (schema, "{'id': null, 'name': 'x'}");
  assert_valid (schema, "'not an object'");
  assert_invalid (schema, "{'id': 1}", "$: missing required property \"name\"");
  assert_invalid (schema, "{}", "$: missing required property \"id\"");
  assert_invalid ("{'properties': {'lots': {'items': {'required': ['id']}}}}",
                  "{'lots': [{'id': 1}, {'ID': 2}]}",
                  "$.lots[1]: missing required property \"id\"");
  assert_bad_schema ("{'required': 'id'}", "{}", "$: invalid schema: required must be");
  assert_bad_schema ("{'required': [1]}", "{}", "$: invalid schema: required must be");
}

static void
test_additional_properties (void)
{
  const char *closed = "{'properties': {'id': {}}, 'additionalProperties': false}";
  const char *typed = "{'properties': {'id': {}}, 'additionalProperties': {'type': 'integer'}}";

  assert_valid (closed, "{'id': 'anything'}");
  assert_valid (closed, "{}");
  assert_invalid (closed, "{'id': 1, 'extra': 2}",
                  "$.extra: property not allowed (additionalProperties is false)");
  assert_invalid ("{'additionalProperties': false}", "{'a': 1}",
                  "$.a: property not allowed (additionalProperties is false)");
  assert_valid ("{'properties': {'id': {}}, 'additionalProperties': true}", "{'x': 1}");

  assert_valid (typed, "{'id': 'not checked', 'a': 1, 'b': 2}");
  assert_invalid (typed, "{'id': 'x', 'a': 1, 'b': 'two'}", "$.b: expected integer, got string");

  /* a map of arrays */
  assert_invalid ("{'additionalProperties': {'items': {'type': 'string'}}}",
                  "{'a': ['x'], 'b': ['y', 3]}", "$.b[1]: expected string, got integer");
}

static void
test_items (void)
{
  const char *schema = "{'type': 'array', 'items': {'type': 'integer', 'minimum': 0}, "
                       "'minItems': 1, 'maxItems': 3}";

  assert_valid (schema, "[0]");
  assert_valid (schema, "[1, 2, 3.0]");
  assert_invalid (schema, "[]", "$: array has 0 items, fewer than minItems 1");
  assert_invalid (schema, "[1, 2, 3, 4]", "$: array has 4 items, more than maxItems 3");
  assert_invalid (schema, "[1, 'two']", "$[1]: expected integer, got string");
  assert_invalid (schema, "[1, 2, -3]", "$[2]: -3 is less than minimum 0");
  assert_valid ("{'items': false}", "[]");
  assert_invalid ("{'items': false}", "[null]", "$[0]: not allowed (schema is false)");
  assert_valid ("{'minItems': 2, 'items': {'type': 'string'}}", "'not an array'");
  assert_invalid ("{'items': {'items': {'type': 'null'}}}", "[[null], [null, null, 0]]",
                  "$[1][2]: expected null, got integer");
  assert_valid ("{'minItems': 2.0}", "[1, 2]");
  assert_invalid ("{'maxItems': 0}", "[1]", "$: array has 1 items, more than maxItems 0");

  assert_bad_schema ("{'minItems': -1}", "[]",
                     "$: invalid schema: minItems must be a non-negative integer");
  assert_bad_schema ("{'maxItems': 1.5}", "[]",
                     "$: invalid schema: maxItems must be a non-negative integer");
  assert_bad_schema ("{'items': [{'type': 'string'}]}", "[]",
                     "$: invalid schema: items must be a schema");
}

static void
test_numeric (void)
{
  assert_valid ("{'minimum': 0}", "0");
  assert_valid ("{'minimum': 0}", "0.0");
  assert_valid ("{'minimum': 0.5}", "1");
  assert_invalid ("{'minimum': 0}", "-1", "$: -1 is less than minimum 0");
  assert_invalid ("{'minimum': 0}", "-0.25", "$: -0.25 is less than minimum 0");
  assert_invalid ("{'minimum': 0.5}", "0", "$: 0 is less than minimum 0.5");

  assert_valid ("{'maximum': 10}", "10");
  assert_valid ("{'maximum': 10}", "9.999");
  assert_invalid ("{'maximum': 10}", "11", "$: 11 is greater than maximum 10");
  assert_invalid ("{'maximum': 10}", "10.5", "$: 10.5 is greater than maximum 10");
  assert_invalid ("{'maximum': 0.3}", "0.30000000000000004",
                  "$: 0.30000000000000004 is greater than maximum 0.3");

  assert_valid ("{'exclusiveMinimum': 0}", "0.001");
  assert_valid ("{'exclusiveMinimum': 0}", "1");
  assert_invalid ("{'exclusiveMinimum': 0}", "0", "$: 0 is not greater than exclusiveMinimum 0");
  assert_invalid ("{'exclusiveMinimum': 0}", "-2", "$: -2 is not greater than exclusiveMinimum 0");

  assert_valid ("{'exclusiveMaximum': 100}", "99");
  assert_invalid ("{'exclusiveMaximum': 100}", "100",
                  "$: 100 is not less than exclusiveMaximum 100");
  assert_invalid ("{'exclusiveMaximum': 100}", "100.0",
                  "$: 100 is not less than exclusiveMaximum 100");

  /* 64-bit integers are compared exactly */
  assert_valid ("{'maximum': 9007199254740993}", "9007199254740993");
  assert_invalid ("{'maximum': 9007199254740992}", "9007199254740993",
                  "$: 9007199254740993 is greater than maximum 9007199254740992");

  /* numeric keywords only apply to numbers */
  assert_valid ("{'minimum': 5, 'exclusiveMaximum': 0}", "'three'");
  assert_valid ("{'minimum': 5}", "null");

  assert_invalid ("{'properties': {'spots': {'minimum': 1}}}", "{'spots': 0}",
                  "$.spots: 0 is less than minimum 1");

  assert_bad_schema ("{'minimum': '5'}", "1", "$: invalid schema: minimum must be a number");
  assert_bad_schema ("{'exclusiveMinimum': true}", "1",
                     "$: invalid schema: exclusiveMinimum must be a number");
}

static void
test_string_length (void)
{
  const char *schema = "{'minLength': 2, 'maxLength': 3}";

  assert_valid (schema, "'ab'");
  assert_valid (schema, "'abc'");
  /* characters, not bytes: "Żółw" is 4 characters in 7 bytes, "żó" 2 in 4 */
  assert_valid (schema, "'\xc5\xbc\xc3\xb3'");
  assert_valid ("{'maxLength': 4}", "'\xc5\xbb\xc3\xb3\xc5\x82w'");
  assert_invalid ("{'maxLength': 3}", "'\xc5\xbb\xc3\xb3\xc5\x82w'",
                  "$: string length 4 is greater than maxLength 3");
  assert_invalid (schema, "'a'", "$: string length 1 is less than minLength 2");
  assert_invalid (schema, "''", "$: string length 0 is less than minLength 2");
  assert_invalid (schema, "'abcd'", "$: string length 4 is greater than maxLength 3");
  assert_valid (schema, "12345");
  assert_bad_schema ("{'minLength': '1'}", "'x'",
                     "$: invalid schema: minLength must be a non-negative integer");
}

static void
test_pattern (void)
{
  /* unanchored unless the pattern says otherwise */
  assert_valid ("{'pattern': 'b'}", "'abc'");
  assert_invalid ("{'pattern': 'z'}", "'abc'", "$: \"abc\" does not match pattern \"z\"");
  assert_valid ("{'pattern': '^[A-Z]{2}-[0-9]+$'}", "'PL-123'");
  assert_invalid ("{'pattern': '^[A-Z]{2}-[0-9]+$'}", "'xPL-123'",
                  "$: \"xPL-123\" does not match pattern \"^[A-Z]{2}-[0-9]+$\"");
  assert_invalid ("{'pattern': '^[A-Z]{2}-[0-9]+$'}", "'PL-123x'",
                  "$: \"PL-123x\" does not match pattern");
  assert_valid ("{'pattern': '^\\\\d+$'}", "'0042'");
  assert_invalid ("{'properties': {'plate': {'pattern': '^[A-Z0-9]+$'}}}", "{'plate': 'ab 12'}",
                  "$.plate: \"ab 12\" does not match pattern \"^[A-Z0-9]+$\"");
  assert_valid ("{'pattern': '^x$'}", "7");
  /* the same pattern is used many times (and compiled once) */
  assert_valid ("{'items': {'pattern': '^a'}}", "['a', 'ab', 'abc']");

  assert_bad_schema ("{'pattern': '(unclosed'}", "'x'",
                     "$: invalid schema: invalid pattern \"(unclosed\"");
  assert_bad_schema ("{'pattern': 1}", "'x'", "$: invalid schema: pattern must be a string");
}

static void
test_format (void)
{
  const char *uuid = "{'type': 'string', 'format': 'uuid'}";
  const char *date_time = "{'format': 'date-time'}";
  const char *valid_date_times[] = {
    "'2024-05-17T08:30:00Z'",
    "'2024-05-17T08:30:00.123456Z'",
    "'2024-05-17T08:30:00+02:00'",
    "'2024-05-17T08:30:00.5-05:30'",
    "'2024-05-17t08:30:00z'",
    "'2024-02-29T23:59:59Z'",
  };
  const char *invalid_date_times[] = {
    "'2024-05-17'",                 /* no time */
    "'2024-05-17 08:30:00Z'",       /* no T */
    "'2024-05-17T08:30:00'",        /* no offset */
    "'2024-05-17T08:30Z'",          /* no seconds */
    "'2024-05-17T08:30:00+0200'",   /* offset without colon */
    "'2024-05-17T08:30:00.Z'",      /* empty fraction */
    "'2023-02-29T00:00:00Z'",       /* not a leap year */
    "'2024-13-01T00:00:00Z'",       /* month 13 */
    "'2024-05-17T24:00:00Z'",       /* hour 24 */
    "'2024-05-17T08:30:00+25:00'",  /* offset out of range */
    "'20240517T083000Z'",           /* ISO 8601 basic format */
    "'2024-W20-5T08:30:00Z'",       /* ISO 8601 week date */
    "'2024-05-17T08:30:00Zjunk'",
    "''",
  };

  assert_valid (uuid, "'3f2504e0-4f89-11d3-9a0c-0305e82c3301'");
  assert_valid (uuid, "'3F2504E0-4F89-11D3-9A0C-0305E82C3301'");
  assert_valid (uuid, "'00000000-0000-0000-0000-000000000000'");
  assert_invalid (uuid, "'3f2504e04f8911d39a0c0305e82c3301'",
                  "$: \"3f2504e04f8911d39a0c0305e82c3301\" is not a valid \"uuid\" (format)");
  assert_invalid (uuid, "'{3f2504e0-4f89-11d3-9a0c-0305e82c3301}'", "$: \"{3f2504e0");
  assert_invalid (uuid, "'3f2504e0-4f89-11d3-9a0c-0305e82c330'", "$: \"3f2504e0");
  assert_invalid (uuid, "'3f2504e0-4f89-11d3-9a0c-0305e82c3301a'", "$: \"3f2504e0");
  assert_invalid (uuid, "'3f2504e0-4f89-11d3-9a0c-0305e82c330g'", "$: \"3f2504e0");
  assert_invalid ("{'properties': {'lot_id': {'format': 'uuid'}}}", "{'lot_id': 'lot-1'}",
                  "$.lot_id: \"lot-1\" is not a valid \"uuid\" (format)");

  for (gsize i = 0; i < G_N_ELEMENTS (valid_date_times); i++)
    assert_valid (date_time, valid_date_times[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (invalid_date_times); i++)
    assert_invalid (date_time, invalid_date_times[i], "$: \"");
  assert_invalid (date_time, "'2024-05-17 08:30:00Z'",
                  "$: \"2024-05-17 08:30:00Z\" is not a valid \"date-time\" (format)");

  /* formats only apply to strings; unknown formats are ignored */
  assert_valid ("{'format': 'uuid'}", "42");
  assert_valid ("{'format': 'date-time'}", "null");
  assert_valid ("{'format': 'email'}", "'not an email'");
  assert_valid ("{'format': 'int64'}", "'x'");
}

static void
test_all_of (void)
{
  const char *schema = "{'allOf': [{'type': 'integer'}, {'minimum': 1}, {'maximum': 9}]}";

  assert_valid (schema, "5");
  assert_invalid (schema, "5.5", "$: expected integer, got number");
  assert_invalid (schema, "0", "$: 0 is less than minimum 1");
  assert_invalid (schema, "10", "$: 10 is greater than maximum 9");
  assert_invalid ("{'properties': {'a': {'allOf': [true, false]}}}", "{'a': 1}",
                  "$.a: not allowed (schema is false)");
  assert_bad_schema ("{'allOf': []}", "1", "$: invalid schema: allOf must be a non-empty array");
  assert_bad_schema ("{'allOf': {}}", "1", "$: invalid schema: allOf must be a non-empty array");
}

static void
test_any_of (void)
{
  const char *schema = "{'anyOf': [{'type': 'string', 'maxLength': 2}, {'type': 'null'}]}";

  assert_valid (schema, "'ab'");
  assert_valid (schema, "null");
  assert_invalid (schema, "3",
                  "$: value does not match any schema in anyOf: "
                  "[0] $: expected string, got integer; [1] $: expected null, got integer");
  assert_invalid ("{'properties': {'p': " "{'anyOf': [{'type': 'string', 'maxLength': 2}, "
                  "{'type': 'null'}]}}}",
                  "{'p': 'abc'}",
                  "$.p: value does not match any schema in anyOf: "
                  "[0] $.p: string length 3 is greater than maxLength 2; "
                  "[1] $.p: expected null, got string");
  /* the first match wins; later subschemas are not even consulted */
  assert_valid ("{'anyOf': [true, false]}", "1");
  assert_valid ("{'anyOf': [true, {'type': 'nothing'}]}", "1");
  assert_bad_schema ("{'anyOf': []}", "1", "$: invalid schema: anyOf must be a non-empty array");
  /* a broken subschema is reported, not treated as a mismatch */
  assert_bad_schema ("{'anyOf': [{'type': 'nothing'}, true]}", "1",
                     "$: invalid schema: unknown type \"nothing\"");
}

static void
test_one_of (void)
{
  const char *schema = "{'oneOf': [{'type': 'integer'}, {'type': 'number', 'minimum': 10}]}";

  assert_valid (schema, "3");
  assert_valid (schema, "10.5");
  assert_invalid (schema, "12",
                  "$: value matches 2 schemas in oneOf (at least [0] and [1]), "
                  "expected exactly one");
  assert_invalid (schema, "'x'",
                  "$: value does not match any schema in oneOf: "
                  "[0] $: expected integer, got string; [1] $: expected number, got string");
  assert_invalid ("{'oneOf': [true, {}, true]}", "null", "$: value matches 3 schemas in oneOf");
  assert_invalid ("{'items': {'oneOf': [{'required': ['a']}, {'required': ['b']}]}}",
                  "[{'a': 1}, {'b': 2}, {'a': 1, 'b': 2}]",
                  "$[2]: value matches 2 schemas in oneOf");
  assert_bad_schema ("{'oneOf': [true, {'minimum': 'x'}]}", "1",
                     "$: invalid schema: minimum must be a number");
}

static void
test_not (void)
{
  assert_valid ("{'not': {'type': 'null'}}", "0");
  assert_invalid ("{'not': {'type': 'null'}}", "null", "$: value must not match the schema in not");
  assert_invalid ("{'properties': {'a': {'not': {}}}}", "{'a': 1}",
                  "$.a: value must not match the schema in not");
  assert_valid ("{'not': false}", "1");
  assert_invalid ("{'not': true}", "1", "$: value must not match the schema in not");
  assert_valid ("{'not': {'not': {'type': 'string'}}}", "'x'");
  assert_invalid ("{'not': {'not': {'type': 'string'}}}", "1",
                  "$: value must not match the schema in not");
  assert_bad_schema ("{'not': {'$ref': '#/nowhere'}}", "1",
                     "$: invalid schema: cannot resolve $ref \"#/nowhere\"");
}

static const char *ref_root =
  "{'components': {'schemas': {"
  "  'Id': {'type': 'string', 'format': 'uuid'},"
  "  'Lot': {'type': 'object', 'required': ['id'], 'properties': {"
  "    'id': {'$ref': '#/components/schemas/Id'},"
  "    'spots': {'type': 'array', 'items': {'$ref': '#/components/schemas/Spot'}}}},"
  "  'Spot': {'type': 'object', 'properties': {'number': {'type': 'integer', 'minimum': 1}}},"
  "  'Node': {'type': 'object', 'required': ['name'], 'properties': {"
  "    'name': {'type': 'string'},"
  "    'children': {'type': 'array', 'items': {'$ref': '#/components/schemas/Node'}}}},"
  "  'A': {'$ref': '#/components/schemas/B'},"
  "  'B': {'$ref': '#/components/schemas/A'},"
  "  'Weird/Name~': {'const': 'weird'},"
  "  'Per%cent': {'const': 'percent'},"
  "  'Local': {'$defs': {'small': {'maximum': 3}},"
  "            '$ref': '#/components/schemas/Local/$defs/small'}"
  "}}, 'list': [{'type': 'string'}, {'type': 'integer'}]}";

static char *
make_tree (guint depth,
           const char *leaf_name)
{
  if (depth == 0)
    return g_strdup_printf ("{'name': %s}", leaf_name);
  else
    {
      g_autofree char *child = make_tree (depth - 1, leaf_name);

      return g_strdup_printf ("{'name': 'n%u', 'children': [{'name': 'leaf'}, %s]}", depth, child);
    }
}

static void
test_ref (void)
{
  const char *lot = "{'$ref': '#/components/schemas/Lot'}";
  g_autofree char *tree = make_tree (20, "'deep'");
  g_autofree char *bad_tree = make_tree (3, "42");

  assert_valid_in (ref_root, lot, "{'id': '3f2504e0-4f89-11d3-9a0c-0305e82c3301'}");
  assert_valid_in (ref_root, lot,
                   "{'id': '3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'spots': [{'number': 1}]}");
  assert_invalid_in (ref_root, lot, "{}", "$: missing required property \"id\"");
  assert_invalid_in (ref_root, lot, "{'id': 'x'}", "$.id: \"x\" is not a valid \"uuid\" (format)");
  assert_invalid_in (ref_root, lot,
                     "{'id': '3f2504e0-4f89-11d3-9a0c-0305e82c3301', "
                     "'spots': [{'number': 1}, {'number': 0}]}",
                     "$.spots[1].number: 0 is less than minimum 1");

  /* $ref beside other keywords: both apply */
  assert_valid_in (ref_root, "{'$ref': '#/components/schemas/Spot', 'required': ['number']}",
                   "{'number': 2}");
  assert_invalid_in (ref_root, "{'$ref': '#/components/schemas/Spot', 'required': ['number']}",
                     "{}", "$: missing required property \"number\"");
  assert_invalid_in (ref_root, "{'$ref': '#/components/schemas/Spot', 'required': ['number']}",
                     "{'number': -1}", "$.number: -1 is less than minimum 1");
  assert_invalid_in (ref_root, "{'$ref': '#/components/schemas/Id', 'description': 'x', "
                     "'maxLength': 3}", "'3f2504e0-4f89-11d3-9a0c-0305e82c3301'",
                     "$: string length 36 is greater than maxLength 3");
  assert_invalid_in (ref_root, "{'$ref': '#/components/schemas/Id', 'maxLength': 3}", "'abc'",
                     "$: \"abc\" is not a valid \"uuid\" (format)");

  /* recursion through $ref is fine as long as the instance is finite */
  assert_valid_in (ref_root, "{'$ref': '#/components/schemas/Node'}", tree);
  assert_invalid_in (ref_root, "{'$ref': '#/components/schemas/Node'}", bad_tree,
                     "$.children[1].children[1].children[1].name: expected string, got integer");

  /* JSON pointers: array indices, ~0 / ~1 escapes and percent-encoding */
  assert_valid_in (ref_root, "{'items': {'$ref': '#/list/1'}}", "[1, 2]");
  assert_invalid_in (ref_root, "{'items': {'$ref': '#/list/0'}}", "['a', 2]",
                     "$[1]: expected string, got integer");
  assert_valid_in (ref_root, "{'$ref': '#/components/schemas/Weird~1Name~0'}", "'weird'");
  assert_invalid_in (ref_root, "{'$ref': '#/components/schemas/Weird~1Name~0'}", "'x'",
                     "$: value \"x\" does not equal const \"weird\"");
  assert_valid_in (ref_root, "{'$ref': '#/components/schemas/Per%25cent'}", "'percent'");
  assert_valid_in (ref_root, "{'$ref': '#/components/schemas/Local'}", "3");
  assert_invalid_in (ref_root, "{'$ref': '#/components/schemas/Local'}", "4",
                     "$: 4 is greater than maximum 3");

  /* without a root document, $refs resolve against the schema itself */
  assert_valid ("{'$defs': {'n': {'type': 'number'}}, 'items': {'$ref': '#/$defs/n'}}", "[1.5]");
  assert_invalid ("{'$defs': {'n': {'type': 'number'}}, 'items': {'$ref': '#/$defs/n'}}",
                  "[1.5, null]", "$[1]: expected number, got null");

  /* broken references */
  assert_bad_schema_in (ref_root, "{'$ref': '#/components/schemas/Nope'}", "1",
                        "$: invalid schema: cannot resolve $ref \"#/components/schemas/Nope\"");
  assert_bad_schema_in (ref_root, "{'properties': {'a': {'$ref': '#/list/2'}}}", "{'a': 1}",
                        "$.a: invalid schema: cannot resolve $ref \"#/list/2\"");
  assert_bad_schema_in (ref_root, "{'$ref': 'other.yaml#/components/schemas/Id'}", "1",
                        "$: invalid schema: only local $ref");
  assert_bad_schema_in (ref_root, "{'$ref': 'https://example.com/schema'}", "1",
                        "$: invalid schema: only local $ref");
  assert_bad_schema_in (ref_root, "{'$ref': 42}", "1", "$: invalid schema: $ref must be a string");
  assert_bad_schema_in (ref_root, "{'$ref': '#/list'}", "1",
                        "$: invalid schema: a schema must be an object or a boolean, got array");

  /* cycles hit the depth limit instead of recursing forever */
  assert_bad_schema_in (ref_root, "{'$ref': '#/components/schemas/A'}", "1",
                        "$: invalid schema: $ref nesting deeper than 64 (cycle?)");
  assert_bad_schema ("{'$ref': '#'}", "1", "$: invalid schema: $ref nesting deeper than 64");
  assert_bad_schema ("{'anyOf': [{'$ref': '#'}, true]}", "1",
                     "$: invalid schema: $ref nesting deeper than 64");
}

static void
test_unknown_keywords (void)
{
  const char *schema =
    "{'type': 'string', 'title': 'T', 'description': 'D', 'example': 5, 'examples': [5],"
    " 'deprecated': true, 'readOnly': true, 'writeOnly': false, 'nullable': true,"
    " 'x-parkade-internal': {'type': 'integer'}, 'format': 'color', '$comment': 'c',"
    " 'default': 7}";

  assert_valid (schema, "'x'");
  /* "nullable" is OpenAPI 3.0; in 3.1 it means nothing, so null is still rejected */
  assert_invalid (schema, "null", "$: expected string, got null");
  assert_invalid (schema, "5", "$: expected string, got integer");
}

static void
test_resolve_pointer (void)
{
  g_autoptr(JsonNode) root = parse ("{'paths': {'/api/v1/parking-lots': {'get': {'operationId': "
                                    "'listLots'}}}, 'a~b': 1, '': {'': 2}, 'arr': [10, [20, 21]],"
                                    " 'sp ace': 3, '%41': 4}");
  JsonNode *node;

  g_assert_true (park_test_schema_resolve_pointer (root, "") == root);
  g_assert_true (park_test_schema_resolve_pointer (root, "#") == root);

  node = park_test_schema_resolve_pointer (root, "/paths/~1api~1v1~1parking-lots/get/operationId");
  g_assert_nonnull (node);
  g_assert_cmpstr (json_node_get_string (node), ==, "listLots");
  node = park_test_schema_resolve_pointer (root, "#/paths/~1api~1v1~1parking-lots/get");
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  g_assert_cmpint (json_node_get_int (park_test_schema_resolve_pointer (root, "/a~0b")), ==, 1);
  g_assert_cmpint (json_node_get_int (park_test_schema_resolve_pointer (root, "//")), ==, 2);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (park_test_schema_resolve_pointer (root, "/")));
  g_assert_cmpint (json_node_get_int (park_test_schema_resolve_pointer (root, "/arr/0")), ==, 10);
  g_assert_cmpint (json_node_get_int (park_test_schema_resolve_pointer (root, "/arr/1/1")), ==, 21);
  g_assert_cmpint (json_node_get_int (park_test_schema_resolve_pointer (root, "/sp ace")), ==, 3);
  g_assert_cmpint (json_node_get_int (park_test_schema_resolve_pointer (root, "#/sp%20ace")), ==,
                   3);
  /* percent-decoding only happens in the "#" (URI fragment) form */
  g_assert_cmpint (json_node_get_int (park_test_schema_resolve_pointer (root, "/%41")), ==, 4);
  g_assert_cmpint (json_node_get_int (park_test_schema_resolve_pointer (root, "#/%2541")), ==, 4);
  g_assert_null (park_test_schema_resolve_pointer (root, "#/%41"));

  g_assert_null (park_test_schema_resolve_pointer (root, "paths"));
  g_assert_null (park_test_schema_resolve_pointer (root, "/nope"));
  g_assert_null (park_test_schema_resolve_pointer (root, "/paths/nope/get"));
  g_assert_null (park_test_schema_resolve_pointer (root, "/paths//api/v1/parking-lots"));
  g_assert_null (park_test_schema_resolve_pointer (root, "/a~b"));
  g_assert_null (park_test_schema_resolve_pointer (root, "/a~2b"));
  g_assert_null (park_test_schema_resolve_pointer (root, "/a~"));
  g_assert_null (park_test_schema_resolve_pointer (root, "/arr/2"));
  g_assert_null (park_test_schema_resolve_pointer (root, "/arr/01"));
  g_assert_null (park_test_schema_resolve_pointer (root, "/arr/-"));
  g_assert_null (park_test_schema_resolve_pointer (root, "/arr/-1"));
  g_assert_null (park_test_schema_resolve_pointer (root, "/arr/x"));
  g_assert_null (park_test_schema_resolve_pointer (root, "/arr/99999999999999999999"));
  g_assert_null (park_test_schema_resolve_pointer (root, "/arr/0/0"));
  g_assert_null (park_test_schema_resolve_pointer (root, "#/sp%zzace"));
}

static const char *openapi =
  "{'openapi': '3.1.0', 'info': {'title': 'Parkade', 'version': '1'},"
  " 'paths': {'/api/v1/parking-lots': {'get': {'responses': {'200': {'description': 'OK',"
  "   'content': {'application/json': {'schema': {"
  "     'type': 'object', 'required': ['items'], 'additionalProperties': false,"
  "     'properties': {'items': {'type': 'array', 'items': {'$ref': '#/components/schemas/Lot'}},"
  "                    'next': {'type': ['string', 'null']}}}}}}}}}},"
  " 'components': {'schemas': {"
  "   'Lot': {'type': 'object', 'required': ['id', 'name', 'distance_m'],"
  "     'additionalProperties': false,"
  "     'properties': {"
  "       'id': {'type': 'string', 'format': 'uuid'},"
  "       'name': {'type': 'string', 'minLength': 1, 'maxLength': 80},"
  "       'distance_m': {'type': 'number', 'minimum': 0},"
  "       'free_spots': {'type': 'integer', 'minimum': 0},"
  "       'status': {'$ref': '#/components/schemas/LotStatus'},"
  "       'updated_at': {'type': 'string', 'format': 'date-time'}}},"
  "   'LotStatus': {'type': 'string', 'enum': ['open', 'closed', 'full'],"
  "     'description': 'Operational status'},"
  "   'Problem': {'type': 'object', 'required': ['title', 'status'], 'properties': {"
  "     'title': {'type': 'string'}, 'status': {'type': 'integer', 'minimum': 400,"
  "     'exclusiveMaximum': 600}}}}}}";

#define LOT_JSON \
  "{'id': '3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'name': 'Lot %u', 'distance_m': %s," \
  " 'free_spots': 12, 'status': 'open', 'updated_at': '2024-05-17T08:30:00Z'}"

static void
test_openapi_document (void)
{
  g_autoptr(JsonNode) root = parse (openapi);
  g_autoptr(GString) good = g_string_new ("{'items': [");
  g_autoptr(GString) bad = g_string_new ("{'items': [");
  g_autoptr(JsonNode) good_instance = NULL;
  g_autoptr(JsonNode) bad_instance = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *schema;

  for (guint i = 0; i < 4; i++)
    {
      g_string_append_printf (good, LOT_JSON, i, "12.5");
      g_string_append_printf (bad, LOT_JSON, i, i == 3 ? "'12.5'" : "12");
      g_string_append (good, i < 3 ? ", " : "], 'next': null}");
      g_string_append (bad, i < 3 ? ", " : "]}");
    }
  good_instance = parse (good->str);
  bad_instance = parse (bad->str);

  schema = park_test_schema_resolve_pointer (root, "/paths/~1api~1v1~1parking-lots/get/responses/"
                                                   "200/content/application~1json/schema");
  g_assert_nonnull (schema);

  g_assert_true (park_test_schema_validate (root, schema, good_instance, &error));
  g_assert_no_error (error);

  g_assert_false (park_test_schema_validate (root, schema, bad_instance, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "$.items[3].distance_m: expected number, got string");
  g_clear_error (&error);

  /* named schemas */
  problem = parse ("{'title': 'Not found', 'status': 404}");
  g_assert_true (park_test_schema_validate_named (root, "Problem", problem, &error));
  g_assert_no_error (error);

  json_object_set_int_member (json_node_get_object (problem), "status", 600);
  g_assert_false (park_test_schema_validate_named (root, "Problem", problem, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "$.status: 600 is not less than exclusiveMaximum 600");
  g_clear_error (&error);

  g_assert_false (park_test_schema_validate_named (root, "LotStatus",
                                                   json_object_get_member (
                                                     json_node_get_object (problem), "title"),
                                                   &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==,
                   "$: value \"Not found\" is not one of enum [\"open\",\"closed\",\"full\"]");
  g_clear_error (&error);

  g_assert_false (park_test_schema_validate_named (root, "Nope", problem, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "no schema named \"Nope\" in #/components/schemas");
  g_clear_error (&error);

  /* a name is a plain key, not a pointer */
  g_assert_false (park_test_schema_validate_named (problem, "Problem", problem, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* NULL error is allowed */
  g_assert_false (park_test_schema_validate (root, schema, bad_instance, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/schema/boolean-schemas", test_boolean_schemas);
  g_test_add_func ("/schema/type", test_type);
  g_test_add_func ("/schema/enum", test_enum);
  g_test_add_func ("/schema/const", test_const);
  g_test_add_func ("/schema/properties", test_properties);
  g_test_add_func ("/schema/required", test_required);
  g_test_add_func ("/schema/additional-properties", test_additional_properties);
  g_test_add_func ("/schema/items", test_items);
  g_test_add_func ("/schema/numeric", test_numeric);
  g_test_add_func ("/schema/string-length", test_string_length);
  g_test_add_func ("/schema/pattern", test_pattern);
  g_test_add_func ("/schema/format", test_format);
  g_test_add_func ("/schema/all-of", test_all_of);
  g_test_add_func ("/schema/any-of", test_any_of);
  g_test_add_func ("/schema/one-of", test_one_of);
  g_test_add_func ("/schema/not", test_not);
  g_test_add_func ("/schema/ref", test_ref);
  g_test_add_func ("/schema/unknown-keywords", test_unknown_keywords);
  g_test_add_func ("/schema/resolve-pointer", test_resolve_pointer);
  g_test_add_func ("/schema/openapi-document", test_openapi_document);

  return g_test_run ();
}
