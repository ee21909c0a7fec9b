/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-kiosks-page.c: an operator's kiosks (issue 7), where drivers without an account book
 * and pay: the list (active or revoked, said in words and with an icon, and the lot each
 * stands at), a form for a new one at one of the operator's lots, whose key is shown once in
 * a dialog with a button that copies it, and revocation after confirming. As the sensors
 * page does it (park-sensors-page.c).
 */
#include "config.h"

#include "park-kiosks-page.h"
#include "park-admin-form.h"
#include "park-format.h"

#include <glib/gi18n.h>

struct _ParkKiosksPage
{
  GtkWidget            parent_instance;

  ParkClient          *client;
  GCancellable        *cancellable;
  GListStore          *kiosks;
  GListModel          *lots;
  GtkStringList       *lot_names;
  GPtrArray           *lot_ids;       /* beside lot_names */
  GPtrArray           *rows;
  char                *shown_key;
  guint                n_loads;

  AdwPreferencesGroup *kiosks_group;
  GtkWidget           *name_row;
  AdwComboRow         *lot_row;
  GtkLabel            *error_label;
};

G_DEFINE_FINAL_TYPE (ParkKiosksPage, park_kiosks_page, GTK_TYPE_WIDGET)

static void load (ParkKiosksPage *self);

static void
revoked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ParkKiosksPage *self = user_data;
  g_autoptr(GError) error = NULL;

  park_client_revoke_kiosk_finish (PARK_CLIENT (source), result, &error);
  if (park_toast_outcome (GTK_WIDGET (self), error, _("Kiosk revoked: its key no longer works")))
    load (self);
}

static void
revoke_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    ParkKiosksPage   *self)
{
  if (g_str_equal (response, "revoke"))
    park_client_revoke_kiosk_async (self->client,
                                     g_object_get_data (G_OBJECT (dialog), "park-kiosk-id"),
                                     self->cancellable, revoked_cb, self);
}

static void
confirm_revoke (ParkKiosksPage *self,
                ParkKiosk      *kiosk)
{
  g_autofree char *heading = g_strdup_printf (_("Revoke “%s”?"), park_kiosk_get_name (kiosk));
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading,
                                              _("Its key stops working at once and cannot be "
                                                "used again: drivers without an account can no "
                                                "longer book there. To bring the kiosk back, "
                                                "create a new one and give it the new key."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "revoke", _("_Revoke"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "revoke",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "park-kiosk-id",
                          g_strdup (park_kiosk_get_id (kiosk)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (revoke_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
revoke_clicked_cb (GtkButton      *button,
                   ParkKiosksPage *self)
{
  confirm_revoke (self, g_object_get_data (G_OBJECT (button), "park-kiosk"));
}

static GtkWidget *
state_badge (gboolean revoked)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name (revoked ? "action-unavailable-symbolic"
                                                          : "emblem-ok-symbolic");
  GtkWidget *label = gtk_label_new (revoked ? C_("kiosk", "Revoked") : C_("kiosk", "Active"));

  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (box, revoked ? "dim-label" : "success");
  return box;
}

static void
kiosks_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ParkKiosksPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) kiosks = park_client_list_kiosks_finish (PARK_CLIENT (source), result,
                                                                 &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->n_loads++;
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->kiosks_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  g_list_store_remove_all (self->kiosks);
  if (kiosks == NULL || g_list_model_get_n_items (kiosks) == 0)
    {
      g_autofree char *text = kiosks == NULL ? park_describe_error (error) : NULL;
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     text != NULL ? text : _("No kiosks yet. Create one below."));
      adw_preferences_group_add (self->kiosks_group, row);
      g_ptr_array_add (self->rows, row);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (kiosks); i++)
    {
      g_autoptr(ParkKiosk) kiosk = g_list_model_get_item (kiosks, i);
      gboolean revoked = park_kiosk_get_revoked_at (kiosk) != NULL;
      g_autofree char *made = park_format_local_time (park_kiosk_get_created_at (kiosk), NULL);
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();

      g_list_store_append (self->kiosks, kiosk);
      /* Translators: a kiosk's lot, then when it was made */
      subtitle = g_strdup_printf (_("%s · made %s"), park_kiosk_get_lot_name (kiosk), made);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), park_kiosk_get_name (kiosk));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), state_badge (revoked));
      if (!revoked)
        {
          g_autofree char *a11y = g_strdup_printf (_("Revoke %s"), park_kiosk_get_name (kiosk));
          GtkWidget *revoke = gtk_button_new_with_mnemonic (_("Re_voke"));

          gtk_widget_set_valign (revoke, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (revoke, a11y);
          gtk_accessible_update_property (GTK_ACCESSIBLE (revoke), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          a11y, -1);
          g_object_set_data_full (G_OBJECT (revoke), "park-kiosk", g_object_ref (kiosk),
                                  g_object_unref);
          g_signal_connect (revoke, "clicked", G_CALLBACK (revoke_clicked_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), revoke);
        }
      adw_preferences_group_add (self->kiosks_group, row);
      g_ptr_array_add (self->rows, row);
    }
}

static void
load (ParkKiosksPage *self)
{
  if (self->client != NULL)
    park_client_list_kiosks_async (self->client, NULL, self->cancellable, kiosks_cb, self);
}

static void
copy_clicked_cb (GtkButton *button,
                 GtkLabel  *key)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), gtk_label_get_label (key));
  gtk_button_set_label (button, _("Copied"));
}

/* The key, shown this once, with a button that copies it. */
static void
show_key (ParkKiosksPage *self,
          ParkKiosk      *kiosk)
{
  g_autofree char *heading = g_strdup_printf (_("“%s” Is Ready"), park_kiosk_get_name (kiosk));
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading,
                                              _("Save this key in the kiosk's key file now (the "
                                                "kiosk-key-file setting). It is shown only this "
                                                "once; if it is lost, revoke the kiosk and create "
                                                "a new one."));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *key = gtk_label_new (park_kiosk_get_key (kiosk));
  GtkWidget *copy = gtk_button_new_with_mnemonic (_("_Copy Key"));

  gtk_label_set_selectable (GTK_LABEL (key), TRUE);
  gtk_label_set_wrap (GTK_LABEL (key), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (key), PANGO_WRAP_CHAR);
  gtk_widget_set_hexpand (key, TRUE);
  gtk_widget_add_css_class (key, "monospace");
  gtk_accessible_update_property (GTK_ACCESSIBLE (key), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Kiosk key"), -1);
  gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
  g_signal_connect (copy, "clicked", G_CALLBACK (copy_clicked_cb), key);
  gtk_box_append (GTK_BOX (box), key);
  gtk_box_append (GTK_BOX (box), copy);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "done", _("_Done"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "done");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "done");
  g_free (self->shown_key);
  self->shown_key = g_strdup (park_kiosk_get_key (kiosk));
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (copy);
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ParkKiosksPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkKiosk) kiosk = park_client_create_kiosk_finish (PARK_CLIENT (source), result,
                                                                &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (kiosk == NULL)
    {
      g_autofree char *text = park_describe_error (error);
      g_autofree char *full = NULL;
      const char *field = park_client_error_get_field (error);

      if (g_strcmp0 (field, "parking_lot_id") == 0)
        /* Translators: a form's error: the field's name, then the reason */
        full = g_strdup_printf (_("%s: %s"), _("Lot"), text);
      else if (g_strcmp0 (field, "name") == 0)
        {
          gtk_widget_add_css_class (self->name_row, "error");
          gtk_widget_grab_focus (self->name_row);
          /* Translators: a form's error: the field's name, then the reason */
          full = g_strdup_printf (_("%s: %s"), _("Name"), text);
        }
      park_show_form_error (self->error_label, full != NULL ? full : text);
      return;
    }
  gtk_widget_remove_css_class (self->name_row, "error");
  park_show_form_error (self->error_label, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  show_key (self, kiosk);
  load (self);
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ParkKiosksPage *self = PARK_KIOSKS_PAGE (widget);
  guint lot = adw_combo_row_get_selected (self->lot_row);

  if (lot >= self->lot_ids->len)
    {
      park_show_form_error (self->error_label, _("Choose the lot the kiosk stands at."));
      return;
    }
  park_client_create_kiosk_async (self->client, NULL,
                                  gtk_editable_get_text (GTK_EDITABLE (self->name_row)),
                                  g_ptr_array_index (self->lot_ids, lot), self->cancellable,
                                  created_cb, self);
}

void
park_kiosks_page_set_client (ParkKiosksPage *self,
                              ParkClient     *client)
{
  g_return_if_fail (PARK_IS_KIOSKS_PAGE (self));
  g_set_object (&self->client, client);
}

/* The lots a new kiosk may stand at (the operator's), by name. */
void
park_kiosks_page_set_lots (ParkKiosksPage *self,
                            GListModel     *lots)
{
  guint n;

  g_return_if_fail (PARK_IS_KIOSKS_PAGE (self));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->lot_names));
  gtk_string_list_splice (self->lot_names, 0, n, NULL);
  g_ptr_array_set_size (self->lot_ids, 0);
  for (guint i = 0; i < g_list_model_get_n_items (lots); i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);

      gtk_string_list_append (self->lot_names, park_lot_get_name (lot));
      g_ptr_array_add (self->lot_ids, g_strdup (park_lot_get_id (lot)));
    }
}

void
park_kiosks_page_reload (ParkKiosksPage *self)
{
  g_return_if_fail (PARK_IS_KIOSKS_PAGE (self));
  load (self);
}

GListModel *
park_kiosks_page_get_kiosks (ParkKiosksPage *self)
{
  return G_LIST_MODEL (self->kiosks);
}

guint
park_kiosks_page_get_loads (ParkKiosksPage *self)
{
  return self->n_loads;
}

GtkWidget *
park_kiosks_page_get_field (ParkKiosksPage *self,
                             const char     *field)
{
  if (g_str_equal (field, "name"))
    return self->name_row;
  if (g_str_equal (field, "lot"))
    return GTK_WIDGET (self->lot_row);
  g_return_val_if_reached (NULL);
}

const char *
park_kiosks_page_get_error (ParkKiosksPage *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
         ? gtk_label_get_label (self->error_label) : NULL;
}

/* As the row's button does: asks first. */
void
park_kiosks_page_revoke (ParkKiosksPage *self,
                          const char     *kiosk_id)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->kiosks)); i++)
    {
      g_autoptr(ParkKiosk) each = g_list_model_get_item (G_LIST_MODEL (self->kiosks), i);

      if (g_str_equal (park_kiosk_get_id (each), kiosk_id))
        {
          confirm_revoke (self, each);
          return;
        }
    }
  g_return_if_reached ();
}

/* The key the last dialog showed. */
const char *
park_kiosks_page_get_shown_key (ParkKiosksPage *self)
{
  return self->shown_key;
}

static void
park_kiosks_page_dispose (GObject *object)
{
  ParkKiosksPage *self = PARK_KIOSKS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARK_TYPE_KIOSKS_PAGE);
  /* The scrolled window at the top of the template is not bound: unparent it here. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_first_child (GTK_WIDGET (self)))
    gtk_widget_unparent (child);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->kiosks);
  g_clear_object (&self->lot_names);
  G_OBJECT_CLASS (park_kiosks_page_parent_class)->dispose (object);
}

static void
park_kiosks_page_finalize (GObject *object)
{
  ParkKiosksPage *self = PARK_KIOSKS_PAGE (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->lot_ids, g_ptr_array_unref);
  g_clear_pointer (&self->shown_key, g_free);
  G_OBJECT_CLASS (park_kiosks_page_parent_class)->finalize (object);
}

static void
park_kiosks_page_class_init (ParkKiosksPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = park_kiosks_page_dispose;
  object_class->finalize = park_kiosks_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/parkade/Parkade/ui/park-kiosks-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ParkKiosksPage, kiosks_group);
  gtk_widget_class_bind_template_child (widget_class, ParkKiosksPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, ParkKiosksPage, lot_row);
  gtk_widget_class_bind_template_child (widget_class, ParkKiosksPage, error_label);
  gtk_widget_class_install_action (widget_class, "kiosks.create", NULL, create_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
park_kiosks_page_init (ParkKiosksPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->kiosks = g_list_store_new (PARK_TYPE_KIOSK);
  self->rows = g_ptr_array_new ();
  self->lot_ids = g_ptr_array_new_with_free_func (g_free);
  self->lot_names = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->lot_row, G_LIST_MODEL (self->lot_names));
}
