/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-audit-entry.c: one entry of the audit log: who changed what (`AuditEntry` in
 * openapi.json). */
#include "config.h"

#include "park-audit-entry.h"
#include "park-admin-models-private.h"
#include "park-enums.h"
#include "park-json-private.h"

struct _ParkAuditEntry
{
  GObject parent_instance;

  gint64     id;
  GDateTime *at;
  char      *actor_id;
  char      *action;
  char      *object_type;
  char      *object_id;
  char      *operator_id;
  char      *client;
  char      *detail;
};

G_DEFINE_FINAL_TYPE (ParkAuditEntry, park_audit_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_AT,
  PROP_ACTOR_ID,
  PROP_ACTION,
  PROP_OBJECT_TYPE,
  PROP_OBJECT_ID,
  PROP_OPERATOR_ID,
  PROP_CLIENT,
  PROP_DETAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_audit_entry_finalize (GObject *object)
{
  ParkAuditEntry *self = (ParkAuditEntry *) object;

  g_clear_pointer (&self->at, g_date_time_unref);
  g_free (self->actor_id);
  g_free (self->action);
  g_free (self->object_type);
  g_free (self->object_id);
  g_free (self->operator_id);
  g_free (self->client);
  g_free (self->detail);

  G_OBJECT_CLASS (park_audit_entry_parent_class)->finalize (object);
}

static void
park_audit_entry_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ParkAuditEntry *self = PARK_AUDIT_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_AT:
      g_value_set_boxed (value, self->at);
      break;
    case PROP_ACTOR_ID:
      g_value_set_string (value, self->actor_id);
      break;
    case PROP_ACTION:
      g_value_set_string (value, self->action);
      break;
    case PROP_OBJECT_TYPE:
      g_value_set_string (value, self->object_type);
      break;
    case PROP_OBJECT_ID:
      g_value_set_string (value, self->object_id);
      break;
    case PROP_OPERATOR_ID:
      g_value_set_string (value, self->operator_id);
      break;
    case PROP_CLIENT:
      g_value_set_string (value, self->client);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_audit_entry_class_init (ParkAuditEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_audit_entry_finalize;
  object_class->get_property = park_audit_entry_get_property;

  /**
   * ParkAuditEntry:id:
   *
   * The entry's number; later entries have greater ones.
   */
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 1, G_MAXINT64, 1, RO);
  /**
   * ParkAuditEntry:at:
   *
   * When the change was made.
   */
  properties[PROP_AT] = g_param_spec_boxed ("at", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkAuditEntry:actor-id:
   *
   * The id of the account that made it, or %NULL when it is gone or it was parkd itself.
   */
  properties[PROP_ACTOR_ID] = g_param_spec_string ("actor-id", NULL, NULL, NULL, RO);
  /**
   * ParkAuditEntry:action:
   *
   * What was done, e.g. `lot.update`, `spot.delete`, `staff.create`.
   */
  properties[PROP_ACTION] = g_param_spec_string ("action", NULL, NULL, NULL, RO);
  /**
   * ParkAuditEntry:object-type:
   *
   * The kind of object changed, e.g. `lot`, `spot`, `user`.
   */
  properties[PROP_OBJECT_TYPE] = g_param_spec_string ("object-type", NULL, NULL, NULL, RO);
  /**
   * ParkAuditEntry:object-id:
   *
   * The id of the object changed.
   */
  properties[PROP_OBJECT_ID] = g_param_spec_string ("object-id", NULL, NULL, NULL, RO);
  /**
   * ParkAuditEntry:operator-id:
   *
   * The id of the operator the object belongs to, or %NULL.
   */
  properties[PROP_OPERATOR_ID] = g_param_spec_string ("operator-id", NULL, NULL, NULL, RO);
  /**
   * ParkAuditEntry:client:
   *
   * The address the change came from.
   */
  properties[PROP_CLIENT] = g_param_spec_string ("client", NULL, NULL, NULL, RO);
  /**
   * ParkAuditEntry:detail:
   *
   * What changed, as the JSON text of the entry's `detail` object (e.g.
   * `{"status":"closed"}`).
   */
  properties[PROP_DETAIL] = g_param_spec_string ("detail", NULL, NULL, NULL, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_audit_entry_init (ParkAuditEntry *self)
{
}

ParkAuditEntry *
_park_audit_entry_new_from_json_at (JsonObject  *object,
                                     const char  *path,
                                     GError     **error)
{
  g_autoptr(ParkAuditEntry) self = g_object_new (PARK_TYPE_AUDIT_ENTRY, NULL);
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  self->id = _park_json_get_int (&reader, "id", 1, G_MAXINT64, 0, 0);
  self->at = _park_json_dup_date_time (&reader, "at", 0);
  self->actor_id = _park_json_dup_string (&reader, "actor_id", PARK_JSON_NULLABLE);
  self->action = _park_json_dup_string (&reader, "action", PARK_JSON_NONEMPTY);
  self->object_type = _park_json_dup_string (&reader, "object_type", PARK_JSON_NONEMPTY);
  self->object_id = _park_json_dup_string (&reader, "object_id", 0);
  self->operator_id = _park_json_dup_string (&reader, "operator_id", PARK_JSON_NULLABLE);
  self->client = _park_json_dup_string (&reader, "client", 0);
  self->detail = _park_json_dup_object_text (&reader, "detail", 0);

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_audit_entry_new_from_json:
 * @object: one entry of the audit log as the API describes it (`AuditEntry` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads it, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkAuditEntry, or %NULL with @error set
 */
ParkAuditEntry *
park_audit_entry_new_from_json (JsonObject  *object,
                                 GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_audit_entry_new_from_json_at (object, NULL, error);
}

/**
 * park_audit_entry_get_id:
 * @self: a #ParkAuditEntry
 *
 * Returns: the entry's number; later entries have greater ones
 */
gint64
park_audit_entry_get_id (ParkAuditEntry *self)
{
  g_return_val_if_fail (PARK_IS_AUDIT_ENTRY (self), -1);
  return self->id;
}

/**
 * park_audit_entry_get_at:
 * @self: a #ParkAuditEntry
 *
 * Returns: (transfer none): when the change was made
 */
GDateTime *
park_audit_entry_get_at (ParkAuditEntry *self)
{
  g_return_val_if_fail (PARK_IS_AUDIT_ENTRY (self), NULL);
  return self->at;
}

/**
 * park_audit_entry_get_actor_id:
 * @self: a #ParkAuditEntry
 *
 * Returns: (transfer none) (nullable): the id of the account that made it, or %NULL when it is
 *   gone or it was parkd itself
 */
const char *
park_audit_entry_get_actor_id (ParkAuditEntry *self)
{
  g_return_val_if_fail (PARK_IS_AUDIT_ENTRY (self), NULL);
  return self->actor_id;
}

/**
 * park_audit_entry_get_action:
 * @self: a #ParkAuditEntry
 *
 * Returns: (transfer none): what was done, e.g. `lot.update`, `spot.delete`, `staff.create`
 */
const char *
park_audit_entry_get_action (ParkAuditEntry *self)
{
  g_return_val_if_fail (PARK_IS_AUDIT_ENTRY (self), NULL);
  return self->action;
}

/**
 * park_audit_entry_get_object_type:
 * @self: a #ParkAuditEntry
 *
 * Returns: (transfer none): the kind of object changed, e.g. `lot`, `spot`, `user`
 */
const char *
park_audit_entry_get_object_type (ParkAuditEntry *self)
{
  g_return_val_if_fail (PARK_IS_AUDIT_ENTRY (self), NULL);
  return self->object_type;
}

/**
 * park_audit_entry_get_object_id:
 * @self: a #ParkAuditEntry
 *
 * Returns: (transfer none): the id of the object changed
 */
const char *
park_audit_entry_get_object_id (ParkAuditEntry *self)
{
  g_return_val_if_fail (PARK_IS_AUDIT_ENTRY (self), NULL);
  return self->object_id;
}

/**
 * park_audit_entry_get_operator_id:
 * @self: a #ParkAuditEntry
 *
 * Returns: (transfer none) (nullable): the id of the operator the object belongs to, or %NULL
 */
const char *
park_audit_entry_get_operator_id (ParkAuditEntry *self)
{
  g_return_val_if_fail (PARK_IS_AUDIT_ENTRY (self), NULL);
  return self->operator_id;
}

/**
 * park_audit_entry_get_client:
 * @self: a #ParkAuditEntry
 *
 * Returns: (transfer none): the address the change came from
 */
const char *
park_audit_entry_get_client (ParkAuditEntry *self)
{
  g_return_val_if_fail (PARK_IS_AUDIT_ENTRY (self), NULL);
  return self->client;
}

/**
 * park_audit_entry_get_detail:
 * @self: a #ParkAuditEntry
 *
 * Returns: (transfer none): what changed, as the JSON text of the entry's `detail` object
 *   (e.g. `{"status":"closed"}`)
 */
const char *
park_audit_entry_get_detail (ParkAuditEntry *self)
{
  g_return_val_if_fail (PARK_IS_AUDIT_ENTRY (self), NULL);
  return self->detail;
}
