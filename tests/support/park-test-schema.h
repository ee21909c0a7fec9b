/* park-test-schema.h: minimal JSON Schema (2020-12 subset used by OpenAPI 3.1) validator for tests
 *
 * Copyright the Parkade authors
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * PARK_TEST_SCHEMA_MAX_REF_DEPTH:
 *
 * Maximum number of nested `$ref` resolutions before validation gives up (guards against cycles).
 */
#define PARK_TEST_SCHEMA_MAX_REF_DEPTH 64

/*
 * Errors (all in the G_IO_ERROR domain):
 *  - G_IO_ERROR_INVALID_DATA: @instance does not validate; the message starts with the JSON path of
 *    the failing instance location, e.g. "$.items[3].distance_m: expected number, got string".
 *  - G_IO_ERROR_INVALID_ARGUMENT: the schema itself is broken (unresolvable or non-local $ref, $ref
 *    nesting deeper than PARK_TEST_SCHEMA_MAX_REF_DEPTH, keyword with a value of the wrong type,
 *    invalid regular expression, ...). These are never swallowed by anyOf/oneOf/not.
 *  - G_IO_ERROR_NOT_FOUND: park_test_schema_validate_named() could not find the named schema.
 */

gboolean  park_test_schema_validate        (JsonNode    *root,
                                            JsonNode    *schema,
                                            JsonNode    *instance,
                                            GError     **error);
gboolean  park_test_schema_validate_named  (JsonNode    *root,
                                            const char  *name,
                                            JsonNode    *instance,
                                            GError     **error);
JsonNode *park_test_schema_resolve_pointer (JsonNode    *root,
                                            const char  *pointer);

G_END_DECLS
