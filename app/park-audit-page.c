/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-audit-page.c: the audit log, newest first, a page of PARK_AUDIT_PAGE_SIZE entries at a
 * time with buttons for newer and older ones: what was done (in words), to what, by whom (a
 * name from the staff list where the account is one of them) and when, in local time.
 */
#include "config.h"

#include "park-audit-page.h"
#include "park-admin-form.h"
#include "park-format.h"

#include <glib/gi18n.h>

struct _ParkAuditPage
{
  GtkWidget     parent_instance;

  ParkClient   *client;
  GCancellable *cancellable;
  GHashTable   *names;          /* account id → name, from the staff list */
  guint         page;
  guint         n_loads;
  guint         n_rows;

  GtkLabel     *range_label;
  GtkListBox   *entries;
};

G_DEFINE_FINAL_TYPE (ParkAuditPage, park_audit_page, GTK_TYPE_WIDGET)

static const struct
{
  const char *action;
  const char *words;
} actions[] = {
  { "auth.login", N_("Signed in") },
  { "auth.logout", N_("Signed out") },
  { "auth.register", N_("Made an account") },
  { "discount.create", N_("Created a discount code") },
  { "discount.delete", N_("Deleted a discount code") },
  { "lot.create", N_("Created a lot") },
  { "lot.delete", N_("Deleted a lot") },
  { "lot.import", N_("Imported lots") },
  { "lot.pricing", N_("Changed a lot's prices") },
  { "lot.update", N_("Changed a lot") },
  { "operator.create", N_("Created an operator") },
  { "payment.create", N_("Took a payment") },
  { "payment.refund", N_("Refunded a payment") },
  { "payment.void", N_("Voided a payment") },
  { "reservation.cancel", N_("Cancelled a booking") },
  { "sensor.create", N_("Created a sensor") },
  { "sensor.revoke", N_("Revoked a sensor") },
  { "spot.create", N_("Added a spot") },
  { "spot.delete", N_("Removed a spot") },
  { "spot.update", N_("Changed a spot") },
  { "staff.create", N_("Added staff") },
  { "staff.delete", N_("Removed staff") },
  { "staff.update", N_("Changed staff") },
  { "user.create", N_("Made an account") },
  { "user.update", N_("Changed an account") },
};

static const char *
action_words (const char *action)
{
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_str_equal (actions[i].action, action))
      return _(actions[i].words);
  return action;    /* a newer server's action: its own name */
}

static char *
who (ParkAuditPage  *self,
     ParkAuditEntry *entry)
{
  const char *actor = park_audit_entry_get_actor_id (entry);
  const char *name;

  if (actor == NULL)
    return g_strdup (g_strcmp0 (park_audit_entry_get_client (entry), "cli") == 0
                     ? _("The server's command line") : _("The system"));
  name = g_hash_table_lookup (self->names, actor);
  if (name != NULL)
    return g_strdup (name);
  /* Translators: an account known only by the start of its id */
  return g_strdup_printf (_("Account %.8s…"), actor);
}

static void
update_range (ParkAuditPage *self,
              guint          shown,
              gboolean       more)
{
  g_autofree char *text = NULL;

  if (shown > 0)
    /* Translators: which entries of the audit log are shown, e.g. "Entries 26–50" */
    text = g_strdup_printf (_("Entries %u–%u"), self->page * PARK_AUDIT_PAGE_SIZE + 1,
                            self->page * PARK_AUDIT_PAGE_SIZE + shown);
  gtk_label_set_label (self->range_label, text != NULL ? text : "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.newer", self->page > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.older", more);
}

static void
entries_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ParkAuditPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) entries = park_client_list_audit_log_finish (PARK_CLIENT (source), result,
                                                                     &error);
  guint first, n, shown = 0;

  /* Cancelled: the page may be gone; nothing of it is touched before this. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  first = self->page * PARK_AUDIT_PAGE_SIZE;
  self->n_loads++;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->entries)); child != NULL;
       child = gtk_widget_get_first_child (GTK_WIDGET (self->entries)))
    gtk_list_box_remove (self->entries, child);
  self->n_rows = 0;
  if (entries == NULL)
    {
      g_autofree char *text = park_describe_error (error);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      gtk_list_box_append (self->entries, row);
      update_range (self, 0, FALSE);
      return;
    }
  n = g_list_model_get_n_items (entries);
  for (guint i = first; i < n && i < first + PARK_AUDIT_PAGE_SIZE; i++)
    {
      g_autoptr(ParkAuditEntry) entry = g_list_model_get_item (entries, i);
      g_autofree char *when = park_format_local_time (park_audit_entry_get_at (entry), NULL);
      g_autofree char *actor = who (self, entry);
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *time = gtk_label_new (when);

      if (park_audit_entry_get_object_type (entry) != NULL)
        /* Translators: who did it, then what it was done to: "Olaf Operator · sensor d4ab018e" */
        subtitle = g_strdup_printf (_("%s · %s %.8s"), actor,
                                    park_audit_entry_get_object_type (entry),
                                    park_audit_entry_get_object_id (entry) ?: "");
      else
        subtitle = g_strdup (actor);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     action_words (park_audit_entry_get_action (entry)));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_add_css_class (time, "dim-label");
      gtk_widget_add_css_class (time, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), time);
      gtk_list_box_append (self->entries, row);
      shown++;
    }
  if (shown == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Nothing recorded yet."));
      gtk_list_box_append (self->entries, row);
    }
  self->n_rows = shown;
  update_range (self, shown, n > first + PARK_AUDIT_PAGE_SIZE);
}

static void
load_entries (ParkAuditPage *self)
{
  /* One more than the page, to know whether there are older ones. */
  park_client_list_audit_log_async (self->client, NULL,
                                    (self->page + 1) * PARK_AUDIT_PAGE_SIZE + 1,
                                    self->cancellable, entries_cb, self);
}

static void
staff_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  ParkAuditPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) staff = park_client_list_staff_finish (PARK_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Without names the log still reads; the ids stand in. */
  for (guint i = 0; staff != NULL && i < g_list_model_get_n_items (staff); i++)
    {
      g_autoptr(ParkUser) user = g_list_model_get_item (staff, i);
      const char *first = park_user_get_first_name (user);
      const char *last = park_user_get_last_name (user);
      g_autofree char *name = g_strstrip (g_strdup_printf ("%s %s", first ?: "", last ?: ""));

      g_hash_table_replace (self->names, g_strdup (park_user_get_id (user)),
                            *name != '\0' ? g_steal_pointer (&name)
                                          : g_strdup (park_user_get_email (user)));
    }
  load_entries (self);
}

static void
newer_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  ParkAuditPage *self = PARK_AUDIT_PAGE (widget);

  if (self->page == 0)
    return;
  self->page--;
  load_entries (self);
}

static void
older_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  ParkAuditPage *self = PARK_AUDIT_PAGE (widget);

  self->page++;
  load_entries (self);
}

void
park_audit_page_set_client (ParkAuditPage *self,
                            ParkClient    *client)
{
  g_return_if_fail (PARK_IS_AUDIT_PAGE (self));
  g_set_object (&self->client, client);
}

/* From the newest entries, with the staff's names read again. */
void
park_audit_page_reload (ParkAuditPage *self)
{
  g_return_if_fail (PARK_IS_AUDIT_PAGE (self));
  if (self->client == NULL)
    return;
  self->page = 0;
  park_client_list_staff_async (self->client, NULL, self->cancellable, staff_cb, self);
}

guint
park_audit_page_get_loads (ParkAuditPage *self)
{
  return self->n_loads;
}

guint
park_audit_page_get_page (ParkAuditPage *self)
{
  return self->page;
}

guint
park_audit_page_get_n_rows (ParkAuditPage *self)
{
  return self->n_rows;
}

/* A row's title, subtitle and time, joined by " | ". */
char *
park_audit_page_dup_row_text (ParkAuditPage *self,
                              guint          index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->entries, index);
  GtkWidget *time;

  g_return_val_if_fail (ADW_IS_ACTION_ROW (row), NULL);
  time = gtk_widget_get_last_child (GTK_WIDGET (row));
  while (time != NULL && !GTK_IS_LABEL (time))
    time = gtk_widget_get_last_child (time);
  return g_strdup_printf ("%s | %s | %s",
                          adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                          adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                          time != NULL ? gtk_label_get_label (GTK_LABEL (time)) : "");
}

static void
park_audit_page_dispose (GObject *object)
{
  ParkAuditPage *self = PARK_AUDIT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARK_TYPE_AUDIT_PAGE);
  /* The scrolled window at the top of the template is not bound: unparent it here. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_first_child (GTK_WIDGET (self)))
    gtk_widget_unparent (child);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (park_audit_page_parent_class)->dispose (object);
}

static void
park_audit_page_finalize (GObject *object)
{
  ParkAuditPage *self = PARK_AUDIT_PAGE (object);

  g_clear_pointer (&self->names, g_hash_table_unref);
  G_OBJECT_CLASS (park_audit_page_parent_class)->finalize (object);
}

static void
park_audit_page_class_init (ParkAuditPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = park_audit_page_dispose;
  object_class->finalize = park_audit_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/parkade/Parkade/ui/park-audit-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ParkAuditPage, range_label);
  gtk_widget_class_bind_template_child (widget_class, ParkAuditPage, entries);
  gtk_widget_class_install_action (widget_class, "audit.newer", NULL, newer_action);
  gtk_widget_class_install_action (widget_class, "audit.older", NULL, older_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
park_audit_page_init (ParkAuditPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.newer", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.older", FALSE);
}
