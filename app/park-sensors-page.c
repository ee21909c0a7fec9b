/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-sensors-page.c: an operator's sensor devices: the list (active or revoked, said in
 * words and with an icon, and when each last reported), a form for a new one, whose API key
 * is shown once in a dialog with a button that copies it, and revocation after confirming.
 */
#include "config.h"

#include "park-sensors-page.h"
#include "park-admin-form.h"
#include "park-format.h"

#include <glib/gi18n.h>

struct _ParkSensorsPage
{
  GtkWidget            parent_instance;

  ParkClient          *client;
  GCancellable        *cancellable;
  GListStore          *sensors;
  GListModel          *lots;
  GtkStringList       *lot_names;
  GPtrArray           *lot_ids;       /* beside lot_names, NULL first: any lot */
  GPtrArray           *rows;
  char                *shown_key;
  guint                n_loads;

  AdwPreferencesGroup *sensors_group;
  GtkWidget           *name_row;
  AdwComboRow         *lot_row;
  GtkLabel            *error_label;
};

G_DEFINE_FINAL_TYPE (ParkSensorsPage, park_sensors_page, GTK_TYPE_WIDGET)

static void load (ParkSensorsPage *self);

static const char *
lot_name (ParkSensorsPage *self,
          const char      *lot_id)
{
  for (guint i = 1; lot_id != NULL && i < self->lot_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->lot_ids, i), lot_id))
      return gtk_string_list_get_string (self->lot_names, i);
  return NULL;
}

static void
revoked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ParkSensorsPage *self = user_data;
  g_autoptr(GError) error = NULL;

  park_client_revoke_sensor_finish (PARK_CLIENT (source), result, &error);
  if (park_toast_outcome (GTK_WIDGET (self), error, _("Sensor revoked: its key no longer works")))
    load (self);
}

static void
revoke_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    ParkSensorsPage  *self)
{
  if (g_str_equal (response, "revoke"))
    park_client_revoke_sensor_async (self->client,
                                     g_object_get_data (G_OBJECT (dialog), "park-sensor-id"),
                                     self->cancellable, revoked_cb, self);
}

static void
confirm_revoke (ParkSensorsPage *self,
                ParkSensor      *sensor)
{
  g_autofree char *heading = g_strdup_printf (_("Revoke “%s”?"), park_sensor_get_name (sensor));
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading,
                                              _("Its key stops working at once and cannot be "
                                                "used again. To bring the device back, create a "
                                                "new sensor and give it the new key."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "revoke", _("_Revoke"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "revoke",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "park-sensor-id",
                          g_strdup (park_sensor_get_id (sensor)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (revoke_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
revoke_clicked_cb (GtkButton       *button,
                   ParkSensorsPage *self)
{
  confirm_revoke (self, g_object_get_data (G_OBJECT (button), "park-sensor"));
}

static GtkWidget *
state_badge (gboolean revoked)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name (revoked ? "action-unavailable-symbolic"
                                                          : "emblem-ok-symbolic");
  GtkWidget *label = gtk_label_new (revoked ? C_("sensor", "Revoked") : C_("sensor", "Active"));

  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (box, revoked ? "dim-label" : "success");
  return box;
}

static void
sensors_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ParkSensorsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) sensors = park_client_list_sensors_finish (PARK_CLIENT (source), result,
                                                                   &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->n_loads++;
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->sensors_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  g_list_store_remove_all (self->sensors);
  if (sensors == NULL || g_list_model_get_n_items (sensors) == 0)
    {
      g_autofree char *text = sensors == NULL ? park_describe_error (error) : NULL;
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     text != NULL ? text : _("No sensors yet. Create one below."));
      adw_preferences_group_add (self->sensors_group, row);
      g_ptr_array_add (self->rows, row);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (sensors); i++)
    {
      g_autoptr(ParkSensor) sensor = g_list_model_get_item (sensors, i);
      gboolean revoked = park_sensor_get_revoked_at (sensor) != NULL;
      const char *lot = lot_name (self, park_sensor_get_lot_id (sensor));
      g_autofree char *seen = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();

      g_list_store_append (self->sensors, sensor);
      if (park_sensor_get_last_seen_at (sensor) != NULL)
        {
          g_autofree char *when = park_format_local_time (park_sensor_get_last_seen_at (sensor),
                                                          NULL);

          /* Translators: when a sensor last reported */
          seen = g_strdup_printf (_("last reported %s"), when);
        }
      else
        seen = g_strdup (_("has not reported yet"));
      /* Translators: a sensor's lot (or "any lot"), then when it last reported */
      subtitle = g_strdup_printf (_("%s · %s"), lot != NULL ? lot : _("Any lot of yours"), seen);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), park_sensor_get_name (sensor));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), state_badge (revoked));
      if (!revoked)
        {
          g_autofree char *a11y = g_strdup_printf (_("Revoke %s"), park_sensor_get_name (sensor));
          GtkWidget *revoke = gtk_button_new_with_mnemonic (_("Re_voke"));

          gtk_widget_set_valign (revoke, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (revoke, a11y);
          gtk_accessible_update_property (GTK_ACCESSIBLE (revoke), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          a11y, -1);
          g_object_set_data_full (G_OBJECT (revoke), "park-sensor", g_object_ref (sensor),
                                  g_object_unref);
          g_signal_connect (revoke, "clicked", G_CALLBACK (revoke_clicked_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), revoke);
        }
      adw_preferences_group_add (self->sensors_group, row);
      g_ptr_array_add (self->rows, row);
    }
}

static void
load (ParkSensorsPage *self)
{
  if (self->client != NULL)
    park_client_list_sensors_async (self->client, NULL, self->cancellable, sensors_cb, self);
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
show_key (ParkSensorsPage *self,
          ParkSensor      *sensor)
{
  g_autofree char *heading = g_strdup_printf (_("“%s” Is Ready"), park_sensor_get_name (sensor));
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading,
                                              _("Give the device this key now. It is shown only "
                                                "this once; if it is lost, revoke the sensor and "
                                                "create a new one."));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *key = gtk_label_new (park_sensor_get_key (sensor));
  GtkWidget *copy = gtk_button_new_with_mnemonic (_("_Copy Key"));

  gtk_label_set_selectable (GTK_LABEL (key), TRUE);
  gtk_label_set_wrap (GTK_LABEL (key), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (key), PANGO_WRAP_CHAR);
  gtk_widget_set_hexpand (key, TRUE);
  gtk_widget_add_css_class (key, "monospace");
  gtk_accessible_update_property (GTK_ACCESSIBLE (key), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("API key"), -1);
  gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
  g_signal_connect (copy, "clicked", G_CALLBACK (copy_clicked_cb), key);
  gtk_box_append (GTK_BOX (box), key);
  gtk_box_append (GTK_BOX (box), copy);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "done", _("_Done"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "done");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "done");
  g_free (self->shown_key);
  self->shown_key = g_strdup (park_sensor_get_key (sensor));
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (copy);
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ParkSensorsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkSensor) sensor = park_client_create_sensor_finish (PARK_CLIENT (source), result,
                                                                   &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (sensor == NULL)
    {
      g_autofree char *text = park_describe_error (error);
      g_autofree char *full = NULL;
      const char *field = park_client_error_get_field (error);

      if (g_strcmp0 (field, "name") == 0)
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
  show_key (self, sensor);
  load (self);
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ParkSensorsPage *self = PARK_SENSORS_PAGE (widget);
  guint lot = adw_combo_row_get_selected (self->lot_row);

  park_client_create_sensor_async (self->client, NULL,
                                   gtk_editable_get_text (GTK_EDITABLE (self->name_row)),
                                   lot < self->lot_ids->len ? g_ptr_array_index (self->lot_ids, lot)
                                                            : NULL,
                                   self->cancellable, created_cb, self);
}

void
park_sensors_page_set_client (ParkSensorsPage *self,
                              ParkClient      *client)
{
  g_return_if_fail (PARK_IS_SENSORS_PAGE (self));
  g_set_object (&self->client, client);
}

/* The lots a new sensor may be tied to (the operator's), by name. */
void
park_sensors_page_set_lots (ParkSensorsPage *self,
                            GListModel      *lots)
{
  guint n;

  g_return_if_fail (PARK_IS_SENSORS_PAGE (self));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->lot_names));
  gtk_string_list_splice (self->lot_names, 1, n - 1, NULL);
  g_ptr_array_set_size (self->lot_ids, 1);
  for (guint i = 0; i < g_list_model_get_n_items (lots); i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);

      gtk_string_list_append (self->lot_names, park_lot_get_name (lot));
      g_ptr_array_add (self->lot_ids, g_strdup (park_lot_get_id (lot)));
    }
}

void
park_sensors_page_reload (ParkSensorsPage *self)
{
  g_return_if_fail (PARK_IS_SENSORS_PAGE (self));
  load (self);
}

GListModel *
park_sensors_page_get_sensors (ParkSensorsPage *self)
{
  return G_LIST_MODEL (self->sensors);
}

guint
park_sensors_page_get_loads (ParkSensorsPage *self)
{
  return self->n_loads;
}

GtkWidget *
park_sensors_page_get_field (ParkSensorsPage *self,
                             const char      *field)
{
  if (g_str_equal (field, "name"))
    return self->name_row;
  if (g_str_equal (field, "lot"))
    return GTK_WIDGET (self->lot_row);
  g_return_val_if_reached (NULL);
}

const char *
park_sensors_page_get_error (ParkSensorsPage *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
         ? gtk_label_get_label (self->error_label) : NULL;
}

/* As the row's button does: asks first. */
void
park_sensors_page_revoke (ParkSensorsPage *self,
                          const char      *sensor_id)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->sensors)); i++)
    {
      g_autoptr(ParkSensor) each = g_list_model_get_item (G_LIST_MODEL (self->sensors), i);

      if (g_str_equal (park_sensor_get_id (each), sensor_id))
        {
          confirm_revoke (self, each);
          return;
        }
    }
  g_return_if_reached ();
}

/* The key the last dialog showed. */
const char *
park_sensors_page_get_shown_key (ParkSensorsPage *self)
{
  return self->shown_key;
}

static void
park_sensors_page_dispose (GObject *object)
{
  ParkSensorsPage *self = PARK_SENSORS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARK_TYPE_SENSORS_PAGE);
  /* The scrolled window at the top of the template is not bound: unparent it here. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_first_child (GTK_WIDGET (self)))
    gtk_widget_unparent (child);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sensors);
  g_clear_object (&self->lot_names);
  G_OBJECT_CLASS (park_sensors_page_parent_class)->dispose (object);
}

static void
park_sensors_page_finalize (GObject *object)
{
  ParkSensorsPage *self = PARK_SENSORS_PAGE (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->lot_ids, g_ptr_array_unref);
  g_clear_pointer (&self->shown_key, g_free);
  G_OBJECT_CLASS (park_sensors_page_parent_class)->finalize (object);
}

static void
park_sensors_page_class_init (ParkSensorsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = park_sensors_page_dispose;
  object_class->finalize = park_sensors_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/parkade/Parkade/ui/park-sensors-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ParkSensorsPage, sensors_group);
  gtk_widget_class_bind_template_child (widget_class, ParkSensorsPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, ParkSensorsPage, lot_row);
  gtk_widget_class_bind_template_child (widget_class, ParkSensorsPage, error_label);
  gtk_widget_class_install_action (widget_class, "sensors.create", NULL, create_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
park_sensors_page_init (ParkSensorsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->sensors = g_list_store_new (PARK_TYPE_SENSOR);
  self->rows = g_ptr_array_new ();
  self->lot_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->lot_ids, NULL);
  self->lot_names = gtk_string_list_new ((const char *[]) { _("Any lot of yours"), NULL });
  adw_combo_row_set_model (self->lot_row, G_LIST_MODEL (self->lot_names));
}
