/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-account-dialog.c: an account keeps the driver's vehicles (and, in My reservations,
 * their bookings); this is where they are seen, added and removed.
 */
#include "config.h"

#include "park-account-dialog.h"

#include <glib/gi18n.h>

struct _ParkAccountDialog
{
  AdwWindow            parent_instance;

  ParkClient          *client;
  GCancellable        *cancellable;
  GListModel          *vehicles;
  GPtrArray           *vehicle_rows;
  char                *error;

  AdwActionRow        *who_row;
  AdwPreferencesGroup *vehicles_group;
  AdwEntryRow         *plate_row;
  AdwEntryRow         *country_row;
  GtkLabel            *error_label;
};

G_DEFINE_FINAL_TYPE (ParkAccountDialog, park_account_dialog, ADW_TYPE_WINDOW)

static void load_vehicles (ParkAccountDialog *self);

static void
show_error (ParkAccountDialog *self,
            const char        *text)
{
  g_free (self->error);
  self->error = g_strdup (text);
  gtk_label_set_label (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static void
fill_vehicles (ParkAccountDialog *self)
{
  for (guint i = 0; i < self->vehicle_rows->len; i++)
    adw_preferences_group_remove (self->vehicles_group, g_ptr_array_index (self->vehicle_rows, i));
  g_ptr_array_set_size (self->vehicle_rows, 0);

  for (guint i = 0; i < g_list_model_get_n_items (self->vehicles); i++)
    {
      g_autoptr(ParkVehicle) vehicle = g_list_model_get_item (self->vehicles, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      /* Translators: read out for the button that removes a vehicle: its plate */
      g_autofree char *label = g_strdup_printf (_("Remove %s"), park_vehicle_get_plate (vehicle));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), park_vehicle_get_plate (vehicle));
      if (park_vehicle_get_country (vehicle) != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), park_vehicle_get_country (vehicle));
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "account.remove-vehicle");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", park_vehicle_get_id (vehicle));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (self->vehicles_group, row);
      g_ptr_array_add (self->vehicle_rows, row);
    }
}

static void
vehicles_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ParkAccountDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) vehicles = park_client_list_vehicles_finish (PARK_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (vehicles == NULL)
    {
      show_error (self, error->message);
      return;
    }
  g_set_object (&self->vehicles, vehicles);
  fill_vehicles (self);
}

static void
load_vehicles (ParkAccountDialog *self)
{
  park_client_list_vehicles_async (self->client, self->cancellable, vehicles_cb, self);
}

static void
me_cb (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  ParkAccountDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkUser) me = park_client_get_me_finish (PARK_CLIENT (source), result, &error);
  g_autofree char *name = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (me == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->who_row),
                                     park_client_get_account (self->client));
      show_error (self, error->message);
      return;
    }
  /* Translators: a person's first and last name */
  name = g_strdup_printf (_("%s %s"), park_user_get_first_name (me) ?: "",
                          park_user_get_last_name (me) ?: "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->who_row), g_strstrip (name));
  adw_action_row_set_subtitle (self->who_row, park_user_get_email (me));
}

static void
added_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  ParkAccountDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkVehicle) vehicle = park_client_add_vehicle_finish (PARK_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (vehicle == NULL)
    {
      if (g_strcmp0 (park_client_error_get_field (error), "plate") == 0)
        show_error (self, g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT)
                          ? _("This number plate is already in your account.")
                          : _("This is not a number plate: use letters, digits, spaces and dashes."));
      else if (g_strcmp0 (park_client_error_get_field (error), "country") == 0)
        show_error (self, _("The country is a two-letter code, such as DE or FR."));
      else
        show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->plate_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->country_row), "");
  load_vehicles (self);
}

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ParkAccountDialog *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!park_client_remove_vehicle_finish (PARK_CLIENT (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  load_vehicles (self);
}

static void
plate_applied_cb (ParkAccountDialog *self)
{
  park_account_dialog_add_vehicle (self, gtk_editable_get_text (GTK_EDITABLE (self->plate_row)),
                                   gtk_editable_get_text (GTK_EDITABLE (self->country_row)));
}

static void
remove_vehicle_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  park_account_dialog_remove_vehicle (PARK_ACCOUNT_DIALOG (widget), g_variant_get_string (param, NULL));
}

static void
sign_out_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!park_client_sign_out_finish (PARK_CLIENT (source), result, &error))
    g_debug ("Signing out: %s", error->message);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  ParkAccountDialog *self = PARK_ACCOUNT_DIALOG (widget);

  /* Signing out outlives the dialog: no cancellable of its own. */
  park_client_sign_out_async (self->client, NULL, sign_out_cb, NULL);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
park_account_dialog_dispose (GObject *object)
{
  ParkAccountDialog *self = PARK_ACCOUNT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARK_TYPE_ACCOUNT_DIALOG);
  g_clear_object (&self->client);
  g_clear_object (&self->vehicles);
  G_OBJECT_CLASS (park_account_dialog_parent_class)->dispose (object);
}

static void
park_account_dialog_finalize (GObject *object)
{
  ParkAccountDialog *self = PARK_ACCOUNT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->vehicle_rows, g_ptr_array_unref);
  g_free (self->error);
  G_OBJECT_CLASS (park_account_dialog_parent_class)->finalize (object);
}

static void
park_account_dialog_class_init (ParkAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = park_account_dialog_dispose;
  object_class->finalize = park_account_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/parkade/Parkade/ui/park-account-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ParkAccountDialog, who_row);
  gtk_widget_class_bind_template_child (widget_class, ParkAccountDialog, vehicles_group);
  gtk_widget_class_bind_template_child (widget_class, ParkAccountDialog, plate_row);
  gtk_widget_class_bind_template_child (widget_class, ParkAccountDialog, country_row);
  gtk_widget_class_bind_template_child (widget_class, ParkAccountDialog, error_label);
  gtk_widget_class_install_action (widget_class, "account.remove-vehicle", "s", remove_vehicle_action);
  gtk_widget_class_install_action (widget_class, "account.sign-out", NULL, sign_out_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
park_account_dialog_init (ParkAccountDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->vehicle_rows = g_ptr_array_new ();
  g_signal_connect_swapped (self->plate_row, "apply", G_CALLBACK (plate_applied_cb), self);
  g_signal_connect_swapped (self->plate_row, "entry-activated", G_CALLBACK (plate_applied_cb), self);
}

ParkAccountDialog *
park_account_dialog_new (ParkClient *client,
                         GtkWindow  *parent)
{
  ParkAccountDialog *self = g_object_new (PARK_TYPE_ACCOUNT_DIALOG,
                                          "transient-for", parent,
                                          NULL);

  self->client = g_object_ref (client);
  park_client_get_me_async (client, self->cancellable, me_cb, self);
  load_vehicles (self);
  return self;
}

GListModel *
park_account_dialog_get_vehicles (ParkAccountDialog *self)
{
  g_return_val_if_fail (PARK_IS_ACCOUNT_DIALOG (self), NULL);
  return self->vehicles;
}

void
park_account_dialog_add_vehicle (ParkAccountDialog *self,
                                 const char        *plate,
                                 const char        *country)
{
  g_autofree char *bare = NULL;

  g_return_if_fail (PARK_IS_ACCOUNT_DIALOG (self));

  bare = g_strstrip (g_strdup (plate != NULL ? plate : ""));
  if (*bare == '\0')
    {
      show_error (self, _("Type the number plate first."));
      return;
    }
  park_client_add_vehicle_async (self->client, bare,
                                 country != NULL && *country != '\0' ? country : NULL, NULL,
                                 self->cancellable, added_cb, self);
}

void
park_account_dialog_remove_vehicle (ParkAccountDialog *self,
                                    const char        *vehicle_id)
{
  g_return_if_fail (PARK_IS_ACCOUNT_DIALOG (self));
  park_client_remove_vehicle_async (self->client, vehicle_id, self->cancellable, removed_cb, self);
}

const char *
park_account_dialog_get_error (ParkAccountDialog *self)
{
  g_return_val_if_fail (PARK_IS_ACCOUNT_DIALOG (self), NULL);
  return self->error;
}
