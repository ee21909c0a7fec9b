/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-json-private.h: reading the API's JSON into models. A reader walks one object; the
 * first missing or malformed member sets PARK_CLIENT_ERROR_INVALID_RESPONSE naming it by its
 * dotted path (`items.2.location.lat`) and every later read returns a default, so a parser
 * reads its members in a row and checks once at the end. A missing value is never a zero.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "park-error-private.h"

G_BEGIN_DECLS

typedef enum
{
  PARK_JSON_REQUIRED = 0,
  PARK_JSON_NULLABLE = 1 << 0,  /* null is allowed and read as "none" */
  PARK_JSON_OPTIONAL = 1 << 1,  /* the member may be absent */
  PARK_JSON_NONEMPTY = 1 << 2,  /* strings: not "" */
} ParkJsonFlags;

typedef struct
{
  JsonObject  *object;
  char         path[160];
  GError     **error;           /* shared by a reader and the readers it enters */
  GError      *own_error;       /* for a top-level reader */
} ParkJsonReader;

void         _park_json_reader_init       (ParkJsonReader  *self,
                                           JsonObject      *object,
                                           const char      *path);
gboolean     _park_json_reader_finish     (ParkJsonReader  *self,
                                           GError         **error);
gboolean     _park_json_reader_failed     (ParkJsonReader  *self);
gboolean     _park_json_reader_enter      (ParkJsonReader  *self,
                                           const char      *member,
                                           ParkJsonFlags    flags,
                                           ParkJsonReader  *child);
void         _park_json_reader_fail       (ParkJsonReader  *self,
                                           const char      *member,
                                           const char      *problem);
gboolean     _park_json_has               (ParkJsonReader  *self,
                                           const char      *member);

char        *_park_json_dup_string        (ParkJsonReader  *self,
                                           const char      *member,
                                           ParkJsonFlags    flags);
gint64       _park_json_get_int           (ParkJsonReader  *self,
                                           const char      *member,
                                           gint64           min,
                                           gint64           max,
                                           ParkJsonFlags    flags,
                                           gint64           if_none);
double       _park_json_get_double        (ParkJsonReader  *self,
                                           const char      *member,
                                           double           min,
                                           double           max,
                                           ParkJsonFlags    flags,
                                           double           if_none);
gboolean     _park_json_get_boolean       (ParkJsonReader  *self,
                                           const char      *member,
                                           ParkJsonFlags    flags,
                                           gboolean         if_none);
GDateTime   *_park_json_dup_date_time     (ParkJsonReader  *self,
                                           const char      *member,
                                           ParkJsonFlags    flags);
int          _park_json_get_enum          (ParkJsonReader  *self,
                                           const char      *member,
                                           GType            enum_type,
                                           ParkJsonFlags    flags,
                                           int              if_none);
JsonArray   *_park_json_get_array         (ParkJsonReader  *self,
                                           const char      *member,
                                           ParkJsonFlags    flags);
char       **_park_json_dup_strv          (ParkJsonReader  *self,
                                           const char      *member,
                                           ParkJsonFlags    flags);
JsonObject  *_park_json_array_get_object  (ParkJsonReader  *self,
                                           const char      *member,
                                           JsonArray       *array,
                                           guint            index,
                                           char           **path);

/* A model's parser: an object, its path in the answer, and an error. */
typedef gpointer (*ParkModelParser) (JsonObject  *object,
                                     const char  *path,
                                     GError     **error);

/* The object in @member parsed by @parser; NULL when null and allowed, or on an error. */
gpointer     _park_json_read_model        (ParkJsonReader  *self,
                                           const char      *member,
                                           ParkJsonFlags    flags,
                                           ParkModelParser  parser);

/* The array in @member, each element parsed by @parser and appended to @store; a missing or
 * malformed element fails the reader, naming it (`steps.4.start`). */
void         _park_json_read_list         (ParkJsonReader  *self,
                                           const char      *member,
                                           ParkJsonFlags    flags,
                                           ParkModelParser  parser,
                                           GListStore      *store);
/* The object in @member written back as compact JSON text (for members the API leaves open,
 * such as an audit entry's `detail`). */
char        *_park_json_dup_object_text   (ParkJsonReader  *self,
                                           const char      *member,
                                           ParkJsonFlags    flags);

/* Parses a whole answer body; a root that is not an object is INVALID_RESPONSE. */
JsonNode    *_park_json_parse_object      (GBytes          *body,
                                           GError         **error);

G_END_DECLS
