/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-user.c: the signed-in account. */
#include "config.h"

#include "park-user.h"
#include "park-enums.h"
#include "park-json-private.h"
#include "park-models-private.h"

struct _ParkUser
{
  GObject parent_instance;

  char         *id;
  char         *email;
  char         *first_name;
  char         *last_name;
  char         *phone;
  ParkUserRole  role;
  char         *operator_id;
  char         *operator_slug;
  char         *operator_name;
  gboolean      disabled;
  GDateTime    *created_at;
  GDateTime    *updated_at;
};

G_DEFINE_FINAL_TYPE (ParkUser, park_user, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_EMAIL,
  PROP_FIRST_NAME,
  PROP_LAST_NAME,
  PROP_PHONE,
  PROP_ROLE,
  PROP_OPERATOR_ID,
  PROP_OPERATOR_SLUG,
  PROP_OPERATOR_NAME,
  PROP_DISABLED,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
park_user_finalize (GObject *object)
{
  ParkUser *self = (ParkUser *) object;

  g_free (self->id);
  g_free (self->email);
  g_free (self->first_name);
  g_free (self->last_name);
  g_free (self->phone);
  g_free (self->operator_id);
  g_free (self->operator_slug);
  g_free (self->operator_name);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);

  G_OBJECT_CLASS (park_user_parent_class)->finalize (object);
}

static void
park_user_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ParkUser *self = PARK_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_FIRST_NAME:
      g_value_set_string (value, self->first_name);
      break;
    case PROP_LAST_NAME:
      g_value_set_string (value, self->last_name);
      break;
    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;
    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;
    case PROP_OPERATOR_ID:
      g_value_set_string (value, self->operator_id);
      break;
    case PROP_OPERATOR_SLUG:
      g_value_set_string (value, self->operator_slug);
      break;
    case PROP_OPERATOR_NAME:
      g_value_set_string (value, self->operator_name);
      break;
    case PROP_DISABLED:
      g_value_set_boolean (value, self->disabled);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
park_user_class_init (ParkUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = park_user_finalize;
  object_class->get_property = park_user_get_property;

  /**
   * ParkUser:id:
   *
   * The account's id (a UUID).
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, RO);
  /**
   * ParkUser:email:
   *
   * The e-mail address, in lower case.
   */
  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, NULL, RO);
  /**
   * ParkUser:first-name:
   *
   * The first name; may be empty.
   */
  properties[PROP_FIRST_NAME] = g_param_spec_string ("first-name", NULL, NULL, NULL, RO);
  /**
   * ParkUser:last-name:
   *
   * The last name; may be empty.
   */
  properties[PROP_LAST_NAME] = g_param_spec_string ("last-name", NULL, NULL, NULL, RO);
  /**
   * ParkUser:phone:
   *
   * The phone number, digits with a leading + when given so, or %NULL.
   */
  properties[PROP_PHONE] = g_param_spec_string ("phone", NULL, NULL, NULL, RO);
  /**
   * ParkUser:role:
   *
   * What the account may do.
   */
  properties[PROP_ROLE] = g_param_spec_enum ("role", NULL, NULL,
                                             PARK_TYPE_USER_ROLE, PARK_USER_ROLE_DRIVER, RO);
  /**
   * ParkUser:operator-id:
   *
   * For staff: the id of their operator; %NULL for drivers and admins.
   */
  properties[PROP_OPERATOR_ID] = g_param_spec_string ("operator-id", NULL, NULL, NULL, RO);
  /**
   * ParkUser:operator-slug:
   *
   * For staff: their operator's short name, or %NULL.
   */
  properties[PROP_OPERATOR_SLUG] = g_param_spec_string ("operator-slug", NULL, NULL, NULL, RO);
  /**
   * ParkUser:operator-name:
   *
   * For staff: their operator's name, or %NULL.
   */
  properties[PROP_OPERATOR_NAME] = g_param_spec_string ("operator-name", NULL, NULL, NULL, RO);
  /**
   * ParkUser:disabled:
   *
   * Whether the account is disabled.
   */
  properties[PROP_DISABLED] = g_param_spec_boolean ("disabled", NULL, NULL, FALSE, RO);
  /**
   * ParkUser:created-at:
   *
   * When the account was made.
   */
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, RO);
  /**
   * ParkUser:updated-at:
   *
   * When the account last changed.
   */
  properties[PROP_UPDATED_AT] = g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_user_init (ParkUser *self)
{
}

ParkUser *
_park_user_new_from_json_at (JsonObject  *object,
                             const char  *path,
                             GError     **error)
{
  g_autoptr(ParkUser) self = g_object_new (PARK_TYPE_USER, NULL);
  ParkJsonReader reader;
  ParkJsonReader op;

  _park_json_reader_init (&reader, object, path);
  self->id = _park_json_dup_string (&reader, "id", PARK_JSON_NONEMPTY);
  self->email = _park_json_dup_string (&reader, "email", PARK_JSON_NONEMPTY);
  self->first_name = _park_json_dup_string (&reader, "first_name", 0);
  self->last_name = _park_json_dup_string (&reader, "last_name", 0);
  self->phone = _park_json_dup_string (&reader, "phone", PARK_JSON_NULLABLE);
  self->role = _park_json_get_enum (&reader, "role", PARK_TYPE_USER_ROLE, 0, PARK_USER_ROLE_DRIVER);
  self->disabled = _park_json_get_boolean (&reader, "disabled", 0, FALSE);
  self->created_at = _park_json_dup_date_time (&reader, "created_at", 0);
  self->updated_at = _park_json_dup_date_time (&reader, "updated_at", 0);

  /* Staff belong to an operator; drivers and admins have null. */
  if (_park_json_reader_enter (&reader, "operator", PARK_JSON_NULLABLE, &op))
    {
      self->operator_id = _park_json_dup_string (&op, "id", PARK_JSON_NONEMPTY);
      self->operator_slug = _park_json_dup_string (&op, "slug", 0);
      self->operator_name = _park_json_dup_string (&op, "name", 0);
    }

  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_user_new_from_json:
 * @object: an account as the API describes it (`User` in openapi.json)
 * @error: return location for a #GError
 *
 * Reads a user, checking every member: a missing or malformed one fails with
 * %PARK_CLIENT_ERROR_INVALID_RESPONSE naming it (park_client_error_get_field()).
 *
 * Returns: (transfer full): a new #ParkUser, or %NULL with @error set
 */
ParkUser *
park_user_new_from_json (JsonObject  *object,
                         GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _park_user_new_from_json_at (object, NULL, error);
}

/**
 * park_user_get_id:
 * @self: a #ParkUser
 *
 * Returns: (transfer none): the account's id (a UUID)
 */
const char *
park_user_get_id (ParkUser *self)
{
  g_return_val_if_fail (PARK_IS_USER (self), NULL);
  return self->id;
}

/**
 * park_user_get_email:
 * @self: a #ParkUser
 *
 * Returns: (transfer none): the e-mail address, in lower case
 */
const char *
park_user_get_email (ParkUser *self)
{
  g_return_val_if_fail (PARK_IS_USER (self), NULL);
  return self->email;
}

/**
 * park_user_get_first_name:
 * @self: a #ParkUser
 *
 * Returns: (transfer none): the first name; may be empty
 */
const char *
park_user_get_first_name (ParkUser *self)
{
  g_return_val_if_fail (PARK_IS_USER (self), NULL);
  return self->first_name;
}

/**
 * park_user_get_last_name:
 * @self: a #ParkUser
 *
 * Returns: (transfer none): the last name; may be empty
 */
const char *
park_user_get_last_name (ParkUser *self)
{
  g_return_val_if_fail (PARK_IS_USER (self), NULL);
  return self->last_name;
}

/**
 * park_user_get_phone:
 * @self: a #ParkUser
 *
 * Returns: (transfer none) (nullable): the phone number, digits with a leading + when given so,
 *   or %NULL
 */
const char *
park_user_get_phone (ParkUser *self)
{
  g_return_val_if_fail (PARK_IS_USER (self), NULL);
  return self->phone;
}

/**
 * park_user_get_role:
 * @self: a #ParkUser
 *
 * Returns: what the account may do
 */
ParkUserRole
park_user_get_role (ParkUser *self)
{
  g_return_val_if_fail (PARK_IS_USER (self), 0);
  return self->role;
}

/**
 * park_user_get_operator_id:
 * @self: a #ParkUser
 *
 * Returns: (transfer none) (nullable): for staff: the id of their operator; %NULL for drivers and
 *   admins
 */
const char *
park_user_get_operator_id (ParkUser *self)
{
  g_return_val_if_fail (PARK_IS_USER (self), NULL);
  return self->operator_id;
}

/**
 * park_user_get_operator_slug:
 * @self: a #ParkUser
 *
 * Returns: (transfer none) (nullable): for staff: their operator's short name, or %NULL
 */
const char *
park_user_get_operator_slug (ParkUser *self)
{
  g_return_val_if_fail (PARK_IS_USER (self), NULL);
  return self->operator_slug;
}

/**
 * park_user_get_operator_name:
 * @self: a #ParkUser
 *
 * Returns: (transfer none) (nullable): for staff: their operator's name, or %NULL
 */
const char *
park_user_get_operator_name (ParkUser *self)
{
  g_return_val_if_fail (PARK_IS_USER (self), NULL);
  return self->operator_name;
}

/**
 * park_user_get_disabled:
 * @self: a #ParkUser
 *
 * Returns: whether the account is disabled
 */
gboolean
park_user_get_disabled (ParkUser *self)
{
  g_return_val_if_fail (PARK_IS_USER (self), FALSE);
  return self->disabled;
}

/**
 * park_user_get_created_at:
 * @self: a #ParkUser
 *
 * Returns: (transfer none): when the account was made
 */
GDateTime *
park_user_get_created_at (ParkUser *self)
{
  g_return_val_if_fail (PARK_IS_USER (self), NULL);
  return self->created_at;
}

/**
 * park_user_get_updated_at:
 * @self: a #ParkUser
 *
 * Returns: (transfer none): when the account last changed
 */
GDateTime *
park_user_get_updated_at (ParkUser *self)
{
  g_return_val_if_fail (PARK_IS_USER (self), NULL);
  return self->updated_at;
}
