/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-device-keys-page.c: an operator's devices that each have their own key, sensors
 * (park-sensors-page.c) and kiosks (park-kiosks-page.c): the list (active or revoked, said in
 * words and with an icon), a form for a new one, whose key is shown once in a dialog with a
 * button that copies it, and revocation after confirming. Each kind says its words, its
 * rows' subtitles and its park-core calls in a ParkDeviceKeysKind.
 */
#include "config.h"

#include "park-device-keys-page.h"
#include "park-format.h"
#include "park-admin-form.h"

#include <glib/gi18n.h>

typedef struct
{
  ParkClient          *client;
  GCancellable        *cancellable;
  GListStore          *devices;
  GtkStringList       *lot_names;
  GPtrArray           *lot_ids;       /* beside lot_names; NULL first when there is any_lot */
  GPtrArray           *rows;
  char                *shown_key;
  guint                n_loads;

  AdwPreferencesGroup *devices_group;
  AdwPreferencesGroup *form_group;
  GtkWidget           *name_row;
  AdwComboRow         *lot_row;
  GtkLabel            *error_label;
  GtkButton           *create_button;
} ParkDeviceKeysPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (ParkDeviceKeysPage, park_device_keys_page, GTK_TYPE_WIDGET)

#define KIND(self) (PARK_DEVICE_KEYS_PAGE_GET_CLASS (self)->kind)

static void load (ParkDeviceKeysPage *self);

static char *
dup_string (gpointer    device,
            const char *property)
{
  char *value = NULL;

  g_object_get (device, property, &value, NULL);
  return value;
}

static gboolean
is_revoked (gpointer device)
{
  g_autoptr(GDateTime) revoked_at = NULL;

  g_object_get (device, "revoked-at", &revoked_at, NULL);
  return revoked_at != NULL;
}

static void
revoked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  /* The call holds the page (its kind says how to finish); gone meanwhile, it was
   * cancelled and nothing of it is touched. */
  g_autoptr(ParkDeviceKeysPage) self = user_data;
  g_autoptr(GError) error = NULL;

  KIND (self)->revoke_finish (PARK_CLIENT (source), result, &error);
  if (park_toast_outcome (GTK_WIDGET (self), error, _(KIND (self)->revoked_toast)))
    load (self);
}

static void
revoke_response_cb (AdwMessageDialog   *dialog,
                    const char         *response,
                    ParkDeviceKeysPage *self)
{
  ParkDeviceKeysPagePrivate *priv = park_device_keys_page_get_instance_private (self);

  if (g_str_equal (response, "revoke"))
    KIND (self)->revoke_async (priv->client,
                               g_object_get_data (G_OBJECT (dialog), "park-device-id"),
                               priv->cancellable, revoked_cb, g_object_ref (self));
}

static void
confirm_revoke (ParkDeviceKeysPage *self,
                gpointer            device)
{
  g_autofree char *name = dup_string (device, "name");
  g_autofree char *heading = g_strdup_printf (_("Revoke “%s”?"), name);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading, _(KIND (self)->revoke_body));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "revoke", _("_Revoke"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "revoke",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "park-device-id", dup_string (device, "id"), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (revoke_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
revoke_clicked_cb (GtkButton          *button,
                   ParkDeviceKeysPage *self)
{
  confirm_revoke (self, g_object_get_data (G_OBJECT (button), "park-device"));
}

static GtkWidget *
state_badge (const ParkDeviceKeysKind *kind,
             gboolean                  revoked)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name (revoked ? "action-unavailable-symbolic"
                                                          : "emblem-ok-symbolic");
  GtkWidget *label = gtk_label_new (g_dpgettext2 (NULL, kind->context,
                                                  revoked ? kind->revoked : kind->active));

  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (box, revoked ? "dim-label" : "success");
  return box;
}

static GtkWidget *
device_row (ParkDeviceKeysPage *self,
            gpointer            device)
{
  g_autofree char *name = dup_string (device, "name");
  g_autofree char *subtitle = KIND (self)->dup_subtitle (self, device);
  gboolean revoked = is_revoked (device);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state_badge (KIND (self), revoked));
  if (!revoked)
    {
      g_autofree char *a11y = g_strdup_printf (_("Revoke %s"), name);
      GtkWidget *revoke = gtk_button_new_with_mnemonic (_("Re_voke"));

      gtk_widget_set_valign (revoke, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (revoke, a11y);
      gtk_accessible_update_property (GTK_ACCESSIBLE (revoke), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      a11y, -1);
      g_object_set_data_full (G_OBJECT (revoke), "park-device", g_object_ref (device),
                              g_object_unref);
      g_signal_connect (revoke, "clicked", G_CALLBACK (revoke_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), revoke);
    }
  return row;
}

static void
devices_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ParkDeviceKeysPage) self = user_data;   /* held by the call, as in revoked_cb */
  ParkDeviceKeysPagePrivate *priv;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) devices = KIND (self)->list_finish (PARK_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  priv = park_device_keys_page_get_instance_private (self);
  priv->n_loads++;
  for (guint i = 0; i < priv->rows->len; i++)
    adw_preferences_group_remove (priv->devices_group, g_ptr_array_index (priv->rows, i));
  g_ptr_array_set_size (priv->rows, 0);
  g_list_store_remove_all (priv->devices);
  if (devices == NULL || g_list_model_get_n_items (devices) == 0)
    {
      g_autofree char *text = devices == NULL ? park_describe_error (error) : NULL;
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     text != NULL ? text : _(KIND (self)->none_yet));
      adw_preferences_group_add (priv->devices_group, row);
      g_ptr_array_add (priv->rows, row);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(GObject) device = g_list_model_get_item (devices, i);
      GtkWidget *row;

      g_list_store_append (priv->devices, device);
      row = device_row (self, device);
      adw_preferences_group_add (priv->devices_group, row);
      g_ptr_array_add (priv->rows, row);
    }
}

static void
load (ParkDeviceKeysPage *self)
{
  ParkDeviceKeysPagePrivate *priv = park_device_keys_page_get_instance_private (self);

  if (priv->client != NULL)
    KIND (self)->list_async (priv->client, NULL, priv->cancellable, devices_cb,
                             g_object_ref (self));
}

static void
copy_clicked_cb (GtkButton *button,
                 GtkLabel  *key)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)),
                          gtk_label_get_label (key));
  gtk_button_set_label (button, _("Copied"));
}

/* The key, shown this once, with a button that copies it. */
static void
show_key (ParkDeviceKeysPage *self,
          gpointer            device)
{
  ParkDeviceKeysPagePrivate *priv = park_device_keys_page_get_instance_private (self);
  g_autofree char *name = dup_string (device, "name");
  g_autofree char *heading = g_strdup_printf (_("“%s” Is Ready"), name);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading, _(KIND (self)->key_body));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *key, *copy;

  g_free (priv->shown_key);
  priv->shown_key = dup_string (device, "key");
  key = gtk_label_new (priv->shown_key);
  copy = gtk_button_new_with_mnemonic (_("_Copy Key"));
  gtk_label_set_selectable (GTK_LABEL (key), TRUE);
  park_label_wrap_verbatim (GTK_LABEL (key));
  gtk_widget_set_hexpand (key, TRUE);
  gtk_widget_add_css_class (key, "monospace");
  gtk_accessible_update_property (GTK_ACCESSIBLE (key), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _(KIND (self)->key_name), -1);
  gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
  g_signal_connect (copy, "clicked", G_CALLBACK (copy_clicked_cb), key);
  gtk_box_append (GTK_BOX (box), key);
  gtk_box_append (GTK_BOX (box), copy);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "done", _("_Done"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "done");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "done");
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (copy);
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ParkDeviceKeysPage) self = user_data;   /* held by the call, as in revoked_cb */
  const ParkDeviceKeysKind *kind = KIND (self);
  ParkDeviceKeysPagePrivate *priv;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) device = kind->create_finish (PARK_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  priv = park_device_keys_page_get_instance_private (self);
  if (device == NULL)
    {
      g_autofree char *text = park_describe_error (error);
      g_autofree char *full = NULL;
      const char *field = park_client_error_get_field (error);

      if (kind->lot_field != NULL && g_strcmp0 (field, "parking_lot_id") == 0)
        /* Translators: a form's error: the field's name, then the reason */
        full = g_strdup_printf (_("%s: %s"), _(kind->lot_field), text);
      else if (g_strcmp0 (field, "name") == 0)
        {
          gtk_widget_add_css_class (priv->name_row, "error");
          gtk_widget_grab_focus (priv->name_row);
          /* Translators: a form's error: the field's name, then the reason */
          full = g_strdup_printf (_("%s: %s"), _("Name"), text);
        }
      park_show_form_error (priv->error_label, full != NULL ? full : text);
      return;
    }
  gtk_widget_remove_css_class (priv->name_row, "error");
  park_show_form_error (priv->error_label, NULL);
  gtk_editable_set_text (GTK_EDITABLE (priv->name_row), "");
  show_key (self, device);
  load (self);
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ParkDeviceKeysPage *self = PARK_DEVICE_KEYS_PAGE (widget);
  ParkDeviceKeysPagePrivate *priv = park_device_keys_page_get_instance_private (self);
  guint lot = adw_combo_row_get_selected (priv->lot_row);
  const char *lot_id = lot < priv->lot_ids->len ? g_ptr_array_index (priv->lot_ids, lot) : NULL;

  if (lot_id == NULL && KIND (self)->any_lot == NULL)
    {
      park_show_form_error (priv->error_label, _(KIND (self)->no_lot));
      return;
    }
  KIND (self)->create_async (priv->client, NULL,
                             gtk_editable_get_text (GTK_EDITABLE (priv->name_row)), lot_id,
                             priv->cancellable, created_cb, g_object_ref (self));
}

static void
park_device_keys_page_constructed (GObject *object)
{
  ParkDeviceKeysPage *self = PARK_DEVICE_KEYS_PAGE (object);
  ParkDeviceKeysPagePrivate *priv = park_device_keys_page_get_instance_private (self);
  const ParkDeviceKeysKind *kind = KIND (self);

  G_OBJECT_CLASS (park_device_keys_page_parent_class)->constructed (object);

  g_assert (kind != NULL);
  adw_preferences_group_set_title (priv->devices_group, _(kind->title));
  adw_preferences_group_set_description (priv->devices_group, _(kind->description));
  adw_preferences_group_set_title (priv->form_group, _(kind->form_title));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (priv->name_row), _(kind->name_title));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (priv->lot_row), _(kind->lot_subtitle));
  gtk_button_set_label (priv->create_button, _(kind->create_label));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (priv->create_button), kind->create_action);

  priv->devices = g_list_store_new (kind->item_type ());
  if (kind->any_lot != NULL)
    {
      gtk_string_list_append (priv->lot_names, _(kind->any_lot));
      g_ptr_array_add (priv->lot_ids, NULL);
    }
  adw_combo_row_set_model (priv->lot_row, G_LIST_MODEL (priv->lot_names));
}

static void
park_device_keys_page_dispose (GObject *object)
{
  ParkDeviceKeysPage *self = PARK_DEVICE_KEYS_PAGE (object);
  ParkDeviceKeysPagePrivate *priv = park_device_keys_page_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  /* Not gtk_widget_dispose_template(): GTK 4.8 looks for the template on the instance's own
   * class, a kind's, which has none. The whole template hangs from its scrolled window, and
   * unparenting that lets it go. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_first_child (GTK_WIDGET (self)))
    gtk_widget_unparent (child);
  priv->devices_group = priv->form_group = NULL;
  priv->name_row = NULL;
  priv->lot_row = NULL;
  priv->error_label = NULL;
  priv->create_button = NULL;
  g_clear_object (&priv->client);
  g_clear_object (&priv->cancellable);
  g_clear_object (&priv->devices);
  g_clear_object (&priv->lot_names);
  G_OBJECT_CLASS (park_device_keys_page_parent_class)->dispose (object);
}

static void
park_device_keys_page_finalize (GObject *object)
{
  ParkDeviceKeysPage *self = PARK_DEVICE_KEYS_PAGE (object);
  ParkDeviceKeysPagePrivate *priv = park_device_keys_page_get_instance_private (self);

  g_clear_pointer (&priv->rows, g_ptr_array_unref);
  g_clear_pointer (&priv->lot_ids, g_ptr_array_unref);
  g_clear_pointer (&priv->shown_key, g_free);
  G_OBJECT_CLASS (park_device_keys_page_parent_class)->finalize (object);
}

static void
park_device_keys_page_class_init (ParkDeviceKeysPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = park_device_keys_page_constructed;
  object_class->dispose = park_device_keys_page_dispose;
  object_class->finalize = park_device_keys_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/parkade/Parkade/ui/park-device-keys-page.ui");
  gtk_widget_class_bind_template_child_private (widget_class, ParkDeviceKeysPage, devices_group);
  gtk_widget_class_bind_template_child_private (widget_class, ParkDeviceKeysPage, form_group);
  gtk_widget_class_bind_template_child_private (widget_class, ParkDeviceKeysPage, name_row);
  gtk_widget_class_bind_template_child_private (widget_class, ParkDeviceKeysPage, lot_row);
  gtk_widget_class_bind_template_child_private (widget_class, ParkDeviceKeysPage, error_label);
  gtk_widget_class_bind_template_child_private (widget_class, ParkDeviceKeysPage, create_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
park_device_keys_page_init (ParkDeviceKeysPage *self)
{
  ParkDeviceKeysPagePrivate *priv = park_device_keys_page_get_instance_private (self);

  gtk_widget_init_template (GTK_WIDGET (self));
  priv->cancellable = g_cancellable_new ();
  priv->rows = g_ptr_array_new ();
  priv->lot_ids = g_ptr_array_new_with_free_func (g_free);
  priv->lot_names = gtk_string_list_new (NULL);
}

void
park_device_keys_page_class_set_kind (ParkDeviceKeysPageClass  *klass,
                                      const ParkDeviceKeysKind *kind)
{
  klass->kind = kind;
  gtk_widget_class_install_action (GTK_WIDGET_CLASS (klass), kind->create_action, NULL,
                                   create_action);
}

void
park_device_keys_page_set_client (ParkDeviceKeysPage *self,
                                  ParkClient         *client)
{
  ParkDeviceKeysPagePrivate *priv = park_device_keys_page_get_instance_private (self);

  g_return_if_fail (PARK_IS_DEVICE_KEYS_PAGE (self));
  g_set_object (&priv->client, client);
}

void
park_device_keys_page_set_lots (ParkDeviceKeysPage *self,
                                GListModel         *lots)
{
  ParkDeviceKeysPagePrivate *priv = park_device_keys_page_get_instance_private (self);
  guint keep, n, selected;
  g_autofree char *chosen = NULL;

  g_return_if_fail (PARK_IS_DEVICE_KEYS_PAGE (self));
  /* The lots come again whenever the operator's list is reloaded, maybe just after the
   * operator chose one here: the choice stays, if the lot is still there. */
  selected = adw_combo_row_get_selected (priv->lot_row);
  if (selected < priv->lot_ids->len)
    chosen = g_strdup (g_ptr_array_index (priv->lot_ids, selected));
  keep = KIND (self)->any_lot != NULL ? 1 : 0;
  n = g_list_model_get_n_items (G_LIST_MODEL (priv->lot_names));
  gtk_string_list_splice (priv->lot_names, keep, n - keep, NULL);
  g_ptr_array_set_size (priv->lot_ids, keep);
  for (guint i = 0; i < g_list_model_get_n_items (lots); i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);

      gtk_string_list_append (priv->lot_names, park_lot_get_name (lot));
      g_ptr_array_add (priv->lot_ids, g_strdup (park_lot_get_id (lot)));
    }
  for (guint i = 0; chosen != NULL && i < priv->lot_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (priv->lot_ids, i), chosen) == 0)
      {
        adw_combo_row_set_selected (priv->lot_row, i);
        break;
      }
}

void
park_device_keys_page_reload (ParkDeviceKeysPage *self)
{
  g_return_if_fail (PARK_IS_DEVICE_KEYS_PAGE (self));
  load (self);
}

const char *
park_device_keys_page_get_lot_name (ParkDeviceKeysPage *self,
                                    const char         *lot_id)
{
  ParkDeviceKeysPagePrivate *priv = park_device_keys_page_get_instance_private (self);

  for (guint i = 0; lot_id != NULL && i < priv->lot_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (priv->lot_ids, i), lot_id) == 0)
      return gtk_string_list_get_string (priv->lot_names, i);
  return NULL;
}

GListModel *
park_device_keys_page_get_devices (ParkDeviceKeysPage *self)
{
  ParkDeviceKeysPagePrivate *priv = park_device_keys_page_get_instance_private (self);

  return G_LIST_MODEL (priv->devices);
}

guint
park_device_keys_page_get_loads (ParkDeviceKeysPage *self)
{
  ParkDeviceKeysPagePrivate *priv = park_device_keys_page_get_instance_private (self);

  return priv->n_loads;
}

GtkWidget *
park_device_keys_page_get_field (ParkDeviceKeysPage *self,
                                 const char         *field)
{
  ParkDeviceKeysPagePrivate *priv = park_device_keys_page_get_instance_private (self);

  if (g_str_equal (field, "name"))
    return priv->name_row;
  if (g_str_equal (field, "lot"))
    return GTK_WIDGET (priv->lot_row);
  g_return_val_if_reached (NULL);
}

const char *
park_device_keys_page_get_error (ParkDeviceKeysPage *self)
{
  ParkDeviceKeysPagePrivate *priv = park_device_keys_page_get_instance_private (self);

  return gtk_widget_get_visible (GTK_WIDGET (priv->error_label))
         ? gtk_label_get_label (priv->error_label) : NULL;
}

/* As the row's button does: asks first. */
void
park_device_keys_page_revoke (ParkDeviceKeysPage *self,
                              const char         *id)
{
  ParkDeviceKeysPagePrivate *priv = park_device_keys_page_get_instance_private (self);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (priv->devices)); i++)
    {
      g_autoptr(GObject) each = g_list_model_get_item (G_LIST_MODEL (priv->devices), i);
      g_autofree char *each_id = dup_string (each, "id");

      if (g_str_equal (each_id, id))
        {
          confirm_revoke (self, each);
          return;
        }
    }
  g_return_if_reached ();
}

/* The key the last dialog showed. */
const char *
park_device_keys_page_get_shown_key (ParkDeviceKeysPage *self)
{
  ParkDeviceKeysPagePrivate *priv = park_device_keys_page_get_instance_private (self);

  return priv->shown_key;
}
