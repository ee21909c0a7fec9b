/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "park-sign-in-dialog.h"

#include <glib/gi18n.h>

struct _ParkSignInDialog
{
  AdwWindow         parent_instance;

  ParkClient       *client;
  GCancellable     *cancellable;
  ParkSignedInFunc  func;
  gboolean          registering;
  GWeakRef          target;

  AdwWindowTitle   *window_title;
  AdwEntryRow      *email_row;
  AdwEntryRow      *password_row;
  GtkSwitch        *register_switch;
  AdwEntryRow      *first_name_row;
  AdwEntryRow      *last_name_row;
  GtkLabel         *error_label;
  GtkWidget        *submit_button;
  GtkSpinner       *spinner;
  GtkLabel         *submit_label;
};

G_DEFINE_FINAL_TYPE (ParkSignInDialog, park_sign_in_dialog, ADW_TYPE_WINDOW)

static void
set_busy (ParkSignInDialog *self,
          gboolean          busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (self->submit_button, !busy);
}

static void
show_error (ParkSignInDialog *self,
            const GError     *error)
{
  const char *text;

  if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAUTHORIZED))
    text = _("That email and password do not match an account.");
  else if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT))
    text = _("There is already an account with this email. Sign in instead.");
  else if (error->domain == G_IO_ERROR)
    text = _("The parking server cannot be reached. Try again in a moment.");
  else
    text = error->message;
  gtk_label_set_label (self->error_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ParkSignInDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;
  g_autoptr(GObject) target = NULL;

  /* Which call it was, from the task: the dialog may be gone when it was cancelled. */
  if (g_task_get_source_tag (G_TASK (result)) == park_client_register_async)
    ok = park_client_register_finish (PARK_CLIENT (source), result, &error);
  else
    ok = park_client_sign_in_finish (PARK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (!ok)
    {
      show_error (self, error);
      return;
    }
  target = g_weak_ref_get (&self->target);
  if (self->func != NULL && target != NULL)
    self->func (target);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ParkSignInDialog *self = PARK_SIGN_IN_DIALOG (widget);

  park_sign_in_dialog_submit (self,
                              gtk_editable_get_text (GTK_EDITABLE (self->email_row)),
                              gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                              gtk_switch_get_active (self->register_switch)
                              ? gtk_editable_get_text (GTK_EDITABLE (self->first_name_row)) : NULL,
                              gtk_switch_get_active (self->register_switch)
                              ? gtk_editable_get_text (GTK_EDITABLE (self->last_name_row)) : NULL);
}

static void
submit_activated_cb (ParkSignInDialog *self)
{
  submit_action (GTK_WIDGET (self), "sign-in.submit", NULL);
}

static void
register_toggled_cb (ParkSignInDialog *self)
{
  gboolean reg = gtk_switch_get_active (self->register_switch);

  gtk_label_set_label (self->submit_label, reg ? _("_Create Account") : _("_Sign In"));
  adw_window_title_set_title (self->window_title, reg ? _("Create Account") : _("Sign In"));
}

static void
park_sign_in_dialog_dispose (GObject *object)
{
  ParkSignInDialog *self = PARK_SIGN_IN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARK_TYPE_SIGN_IN_DIALOG);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (park_sign_in_dialog_parent_class)->dispose (object);
}

static void
park_sign_in_dialog_finalize (GObject *object)
{
  ParkSignInDialog *self = PARK_SIGN_IN_DIALOG (object);

  g_weak_ref_clear (&self->target);
  G_OBJECT_CLASS (park_sign_in_dialog_parent_class)->finalize (object);
}

static void
park_sign_in_dialog_class_init (ParkSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = park_sign_in_dialog_dispose;
  object_class->finalize = park_sign_in_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/parkade/Parkade/ui/park-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ParkSignInDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, ParkSignInDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, ParkSignInDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, ParkSignInDialog, register_switch);
  gtk_widget_class_bind_template_child (widget_class, ParkSignInDialog, first_name_row);
  gtk_widget_class_bind_template_child (widget_class, ParkSignInDialog, last_name_row);
  gtk_widget_class_bind_template_child (widget_class, ParkSignInDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, ParkSignInDialog, submit_button);
  gtk_widget_class_bind_template_child (widget_class, ParkSignInDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, ParkSignInDialog, submit_label);
  gtk_widget_class_install_action (widget_class, "sign-in.submit", NULL, submit_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
park_sign_in_dialog_init (ParkSignInDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_weak_ref_init (&self->target, NULL);
  g_signal_connect_swapped (self->register_switch, "notify::active",
                            G_CALLBACK (register_toggled_cb), self);
  g_signal_connect_swapped (self->password_row, "entry-activated",
                            G_CALLBACK (submit_activated_cb), self);
  gtk_widget_set_sensitive (self->submit_button, TRUE);
}

ParkSignInDialog *
park_sign_in_dialog_present (ParkClient       *client,
                             GtkWindow        *parent,
                             ParkSignedInFunc  func,
                             gpointer          user_data)
{
  ParkSignInDialog *self = g_object_new (PARK_TYPE_SIGN_IN_DIALOG,
                                         "transient-for", parent,
                                         NULL);

  self->client = g_object_ref (client);
  self->func = func;
  g_weak_ref_set (&self->target, user_data);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

void
park_sign_in_dialog_submit (ParkSignInDialog *self,
                            const char       *email,
                            const char       *password,
                            const char       *first_name,
                            const char       *last_name)
{
  g_return_if_fail (PARK_IS_SIGN_IN_DIALOG (self));

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  if (email == NULL || strchr (email, '@') == NULL)
    {
      gtk_label_set_label (self->error_label, _("Enter the email address of your account."));
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
      return;
    }
  if (password == NULL || *password == '\0')
    {
      gtk_label_set_label (self->error_label, _("Enter your password."));
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }
  set_busy (self, TRUE);
  self->registering = first_name != NULL;
  if (first_name != NULL)
    park_client_register_async (self->client, email, password, first_name, last_name, NULL,
                                self->cancellable, done_cb, self);
  else
    park_client_sign_in_async (self->client, email, password, self->cancellable, done_cb, self);
}

const char *
park_sign_in_dialog_get_error (ParkSignInDialog *self)
{
  g_return_val_if_fail (PARK_IS_SIGN_IN_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
         ? gtk_label_get_label (self->error_label) : NULL;
}
