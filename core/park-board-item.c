/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-board-item.c: a line of the booth's board (GET /api/v1/parking-lots/{id}/board): a
 * booking arriving, a car past its time, or a search hit. A read-only snapshot.
 */
#include "config.h"

#include "park-board-item.h"
#include "park-json-private.h"
#include "park-shift-private.h"

struct _ParkBoardItem
{
  GObject parent_instance;

  gboolean   stay;
  char      *id;
  char      *reference;
  char      *status;
  char      *plate;
  char      *name;
  char      *spot_number;
  GDateTime *start_time;
  GDateTime *end_time;
};

G_DEFINE_FINAL_TYPE (ParkBoardItem, park_board_item, G_TYPE_OBJECT)

static void
park_board_item_finalize (GObject *object)
{
  ParkBoardItem *self = (ParkBoardItem *) object;

  g_free (self->id);
  g_free (self->reference);
  g_free (self->status);
  g_free (self->plate);
  g_free (self->name);
  g_free (self->spot_number);
  g_clear_pointer (&self->start_time, g_date_time_unref);
  g_clear_pointer (&self->end_time, g_date_time_unref);

  G_OBJECT_CLASS (park_board_item_parent_class)->finalize (object);
}

static void
park_board_item_class_init (ParkBoardItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = park_board_item_finalize;
}

static void
park_board_item_init (ParkBoardItem *self)
{
}

ParkBoardItem *
_park_board_item_new_from_json_at (JsonObject  *object,
                                   const char  *path,
                                   GError     **error)
{
  g_autoptr(ParkBoardItem) self = g_object_new (PARK_TYPE_BOARD_ITEM, NULL);
  g_autofree char *kind = NULL;
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  kind = _park_json_dup_string (&reader, "kind", PARK_JSON_NONEMPTY);
  self->stay = g_strcmp0 (kind, "stay") == 0;
  if (kind != NULL && !self->stay && g_strcmp0 (kind, "reservation") != 0)
    _park_json_reader_fail (&reader, "kind", "is neither reservation nor stay");
  self->id = _park_json_dup_string (&reader, "id", PARK_JSON_NONEMPTY);
  self->reference = _park_json_dup_string (&reader, "reference", PARK_JSON_NONEMPTY);
  self->status = _park_json_dup_string (&reader, "status", PARK_JSON_NONEMPTY);
  self->plate = _park_json_dup_string (&reader, "plate", PARK_JSON_NULLABLE);
  self->name = _park_json_dup_string (&reader, "name", PARK_JSON_NULLABLE);
  self->spot_number = _park_json_dup_string (&reader, "spot_number", PARK_JSON_NULLABLE);
  self->start_time = _park_json_dup_date_time (&reader, "start_time", 0);
  self->end_time = _park_json_dup_date_time (&reader, "end_time", PARK_JSON_NULLABLE);
  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_board_item_new_from_json:
 * @object: a line as the API describes it (`BoardItem` in openapi.json)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a new #ParkBoardItem, or %NULL with @error set
 */
ParkBoardItem *
park_board_item_new_from_json (JsonObject  *object,
                               GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  return _park_board_item_new_from_json_at (object, NULL, error);
}

#define GETTER(type, name, member, fallback) \
  type \
  park_board_item_get_##name (ParkBoardItem *self) \
  { \
    g_return_val_if_fail (PARK_IS_BOARD_ITEM (self), fallback); \
    return self->member; \
  }

/* The members of `BoardItem`, (transfer none); plate, name, spot number and end time may be
 * %NULL. The reference is a booking's code or a stay's ticket. */
GETTER (gboolean, is_stay, stay, FALSE)
GETTER (const char *, id, id, NULL)
GETTER (const char *, reference, reference, NULL)
GETTER (const char *, status, status, NULL)
GETTER (const char *, plate, plate, NULL)
GETTER (const char *, name, name, NULL)
GETTER (const char *, spot_number, spot_number, NULL)
GETTER (GDateTime *, start_time, start_time, NULL)
GETTER (GDateTime *, end_time, end_time, NULL)

#undef GETTER
