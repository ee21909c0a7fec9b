/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-discounts-page.c: an operator's discount codes: the list (with how often each was
 * used and until when it is valid), a form for a new one and deletion after confirming.
 * The form checks only that numbers are numbers; the server judges the rest, and its refusal
 * shows above the button naming the field.
 */
#include "config.h"

#include "park-discounts-page.h"
#include "park-admin-form.h"
#include "park-format.h"

#include <glib/gi18n.h>
#include <stdio.h>

struct _ParkDiscountsPage
{
  GtkWidget            parent_instance;

  ParkClient          *client;
  GCancellable        *cancellable;
  GListStore          *codes;
  GPtrArray           *rows;
  char                *currency;
  guint                n_loads;

  AdwPreferencesGroup *codes_group;
  GtkWidget           *code_row;
  AdwComboRow         *kind_row;
  GtkWidget           *value_row;
  GtkWidget           *max_uses_row;
  GtkWidget           *expires_row;
  GtkLabel            *error_label;
};

G_DEFINE_FINAL_TYPE (ParkDiscountsPage, park_discounts_page, GTK_TYPE_WIDGET)

static const char *
entry_text (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
mark_row (GtkWidget *row,
          gboolean   error)
{
  if (error)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

static char *
describe_code (ParkDiscountsPage *self,
               ParkDiscount      *code)
{
  GString *text = g_string_new (NULL);
  GDateTime *expires = park_discount_get_expires_at (code);

  if (park_discount_get_percent_off (code) > 0)
    /* Translators: a discount code's discount, e.g. "10 % off" */
    g_string_append_printf (text, _("%d %% off"), (int) park_discount_get_percent_off (code));
  else
    {
      g_autofree char *money = self->currency != NULL
        ? park_format_money (park_discount_get_amount_off (code), self->currency)
        : park_money_entry_text (park_discount_get_amount_off (code));

      /* Translators: a discount code's discount, e.g. "€2.50 off" */
      g_string_append_printf (text, _("%s off"), money);
    }
  g_string_append (text, " · ");
  if (park_discount_get_max_uses (code) > 0)
    g_string_append_printf (text,
                            /* Translators: how often a code was used, e.g. "3 of 100 uses" */
                            ngettext ("%d of %d use", "%d of %d uses",
                                         park_discount_get_max_uses (code)),
                            (int) park_discount_get_uses (code),
                            (int) park_discount_get_max_uses (code));
  else
    g_string_append_printf (text, ngettext ("Used %d time", "Used %d times",
                                               park_discount_get_uses (code)),
                            (int) park_discount_get_uses (code));
  g_string_append (text, " · ");
  if (expires != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (expires);
      g_autofree char *date = g_date_time_format (local, "%x");

      /* Translators: the last day a code is valid */
      g_string_append_printf (text, _("valid until %s"), date);
    }
  else
    g_string_append (text, _("no end date"));
  return g_string_free (text, FALSE);
}

static void load (ParkDiscountsPage *self);

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ParkDiscountsPage *self = user_data;
  g_autoptr(GError) error = NULL;

  park_client_delete_discount_finish (PARK_CLIENT (source), result, &error);
  if (park_toast_outcome (GTK_WIDGET (self), error, _("Code deleted")))
    load (self);
}

static void
delete_response_cb (AdwMessageDialog  *dialog,
                    const char        *response,
                    ParkDiscountsPage *self)
{
  if (g_str_equal (response, "delete"))
    park_client_delete_discount_async (self->client,
                                       g_object_get_data (G_OBJECT (dialog), "park-discount-id"),
                                       self->cancellable, deleted_cb, self);
}

static void
confirm_delete (ParkDiscountsPage *self,
                ParkDiscount      *code)
{
  g_autofree char *heading = g_strdup_printf (_("Delete the code %s?"),
                                              park_discount_get_code (code));
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading,
                                              _("Drivers can no longer use it. Bookings that "
                                                "used it keep their price."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "park-discount-id",
                          g_strdup (park_discount_get_id (code)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_clicked_cb (GtkButton         *button,
                   ParkDiscountsPage *self)
{
  confirm_delete (self, g_object_get_data (G_OBJECT (button), "park-discount"));
}

static void
clear_rows (ParkDiscountsPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->codes_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static void
add_row (ParkDiscountsPage *self,
         GtkWidget         *row)
{
  adw_preferences_group_add (self->codes_group, row);
  g_ptr_array_add (self->rows, row);
}

static void
codes_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  ParkDiscountsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) codes = park_client_list_discounts_finish (PARK_CLIENT (source), result,
                                                                   &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->n_loads++;
  clear_rows (self);
  g_list_store_remove_all (self->codes);
  if (codes == NULL)
    {
      g_autofree char *text = park_describe_error (error);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      add_row (self, row);
      return;
    }
  if (g_list_model_get_n_items (codes) == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("No codes yet. Make one below."));
      add_row (self, row);
    }
  for (guint i = 0; i < g_list_model_get_n_items (codes); i++)
    {
      g_autoptr(ParkDiscount) code = g_list_model_get_item (codes, i);
      g_autofree char *subtitle = describe_code (self, code);
      g_autofree char *a11y = g_strdup_printf (_("Delete the code %s"),
                                               park_discount_get_code (code));
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      g_list_store_append (self->codes, code);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), park_discount_get_code (code));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_add_css_class (row, "monospace-title");
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, a11y);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      a11y, -1);
      g_object_set_data_full (G_OBJECT (remove), "park-discount", g_object_ref (code),
                              g_object_unref);
      g_signal_connect (remove, "clicked", G_CALLBACK (delete_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      add_row (self, row);
    }
}

static void
load (ParkDiscountsPage *self)
{
  if (self->client != NULL)
    park_client_list_discounts_async (self->client, NULL, self->cancellable, codes_cb, self);
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ParkDiscountsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkDiscount) code = park_client_create_discount_finish (PARK_CLIENT (source), result,
                                                                     &error);
  const char *field;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (code == NULL)
    {
      g_autofree char *text = park_describe_error (error);
      g_autofree char *full = NULL;
      struct { const char *field; GtkWidget *row; const char *label; } map[] = {
        { "code", self->code_row, _("Code") },
        { "percent_off", self->value_row, _("Percent") },
        { "amount_off", self->value_row, _("Amount") },
        { "max_uses", self->max_uses_row, _("Most uses") },
        { "expires_at", self->expires_row, _("Valid until") },
      };

      field = park_client_error_get_field (error);
      if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT) && field == NULL)
        field = "code";
      for (guint i = 0; i < G_N_ELEMENTS (map); i++)
        if (field != NULL && g_str_equal (field, map[i].field))
          {
            mark_row (map[i].row, TRUE);
            gtk_widget_grab_focus (map[i].row);
            /* Translators: a form's error: the field's name, then the reason */
            full = g_strdup_printf (_("%s: %s"), map[i].label, text);
            break;
          }
      park_show_form_error (self->error_label, full != NULL ? full : text);
      return;
    }
  park_show_form_error (self->error_label, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->value_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->max_uses_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->expires_row), "");
  {
    g_autofree char *text = g_strdup_printf (_("Drivers can use %s now"),
                                             park_discount_get_code (code));

    park_toast (GTK_WIDGET (self), text);
  }
  load (self);
}

/* "2026-12-31" → the end of that day here; NULL for an empty text; FALSE if it is no date. */
static gboolean
parse_date (const char  *text,
            GDateTime  **out)
{
  g_autofree char *s = g_strstrip (g_strdup (text));
  int y, m, d;
  char tail;

  *out = NULL;
  if (*s == '\0')
    return TRUE;
  if (sscanf (s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  *out = g_date_time_new_local (y, m, d, 23, 59, 59);
  return *out != NULL;
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ParkDiscountsPage *self = PARK_DISCOUNTS_PAGE (widget);
  gboolean percent = adw_combo_row_get_selected (self->kind_row) == 0;
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *value_text = g_strstrip (g_strdup (entry_text (self->value_row)));
  g_autofree char *uses_text = g_strstrip (g_strdup (entry_text (self->max_uses_row)));
  gint64 value = -1, max_uses = -1;
  GtkWidget *bad = NULL;
  const char *problem = NULL;

  mark_row (self->code_row, FALSE);
  mark_row (self->value_row, FALSE);
  mark_row (self->max_uses_row, FALSE);
  mark_row (self->expires_row, FALSE);
  if (percent ? !g_ascii_string_to_signed (value_text, 10, G_MININT32, G_MAXINT32, &value, NULL)
              : !park_parse_money (value_text, FALSE, &value))
    {
      bad = self->value_row;
      problem = percent ? _("Percent: type a whole number from 1 to 100.")
                        : _("Amount: type an amount such as 2.50.");
    }
  else if (*uses_text != '\0' &&
           !g_ascii_string_to_signed (uses_text, 10, 1, G_MAXINT32, &max_uses, NULL))
    {
      bad = self->max_uses_row;
      problem = _("Most uses: type a whole number, or leave it empty for no limit.");
    }
  else if (!parse_date (entry_text (self->expires_row), &expires))
    {
      bad = self->expires_row;
      problem = _("Valid until: type a date as year-month-day, e.g. 2026-12-31, or leave it empty.");
    }
  if (bad != NULL)
    {
      mark_row (bad, TRUE);
      gtk_widget_grab_focus (bad);
      park_show_form_error (self->error_label, problem);
      return;
    }
  park_client_create_discount_async (self->client, NULL, entry_text (self->code_row),
                                     percent ? (int) value : -1, percent ? -1 : value, max_uses,
                                     expires, self->cancellable, created_cb, self);
}

void
park_discounts_page_set_client (ParkDiscountsPage *self,
                                ParkClient        *client)
{
  g_return_if_fail (PARK_IS_DISCOUNTS_PAGE (self));
  g_set_object (&self->client, client);
}

void
park_discounts_page_set_currency (ParkDiscountsPage *self,
                                  const char        *currency)
{
  g_return_if_fail (PARK_IS_DISCOUNTS_PAGE (self));
  g_free (self->currency);
  self->currency = g_strdup (currency);
}

void
park_discounts_page_reload (ParkDiscountsPage *self)
{
  g_return_if_fail (PARK_IS_DISCOUNTS_PAGE (self));
  load (self);
}

GListModel *
park_discounts_page_get_codes (ParkDiscountsPage *self)
{
  return G_LIST_MODEL (self->codes);
}

guint
park_discounts_page_get_loads (ParkDiscountsPage *self)
{
  return self->n_loads;
}

GtkWidget *
park_discounts_page_get_field (ParkDiscountsPage *self,
                               const char        *field)
{
  if (g_str_equal (field, "code"))
    return self->code_row;
  if (g_str_equal (field, "kind"))
    return GTK_WIDGET (self->kind_row);
  if (g_str_equal (field, "value"))
    return self->value_row;
  if (g_str_equal (field, "max_uses"))
    return self->max_uses_row;
  if (g_str_equal (field, "expires"))
    return self->expires_row;
  g_return_val_if_reached (NULL);
}

const char *
park_discounts_page_get_error (ParkDiscountsPage *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
         ? gtk_label_get_label (self->error_label) : NULL;
}

/* As the row's delete button does: asks first. */
void
park_discounts_page_delete (ParkDiscountsPage *self,
                            const char        *code)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->codes)); i++)
    {
      g_autoptr(ParkDiscount) each = g_list_model_get_item (G_LIST_MODEL (self->codes), i);

      if (g_str_equal (park_discount_get_code (each), code))
        {
          confirm_delete (self, each);
          return;
        }
    }
  g_return_if_reached ();
}

static void
park_discounts_page_dispose (GObject *object)
{
  ParkDiscountsPage *self = PARK_DISCOUNTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARK_TYPE_DISCOUNTS_PAGE);
  /* The scrolled window at the top of the template is not bound: unparent it here. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_first_child (GTK_WIDGET (self)))
    gtk_widget_unparent (child);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->codes);
  G_OBJECT_CLASS (park_discounts_page_parent_class)->dispose (object);
}

static void
park_discounts_page_finalize (GObject *object)
{
  ParkDiscountsPage *self = PARK_DISCOUNTS_PAGE (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_free (self->currency);
  G_OBJECT_CLASS (park_discounts_page_parent_class)->finalize (object);
}

static void
park_discounts_page_class_init (ParkDiscountsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = park_discounts_page_dispose;
  object_class->finalize = park_discounts_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/parkade/Parkade/ui/park-discounts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ParkDiscountsPage, codes_group);
  gtk_widget_class_bind_template_child (widget_class, ParkDiscountsPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, ParkDiscountsPage, kind_row);
  gtk_widget_class_bind_template_child (widget_class, ParkDiscountsPage, value_row);
  gtk_widget_class_bind_template_child (widget_class, ParkDiscountsPage, max_uses_row);
  gtk_widget_class_bind_template_child (widget_class, ParkDiscountsPage, expires_row);
  gtk_widget_class_bind_template_child (widget_class, ParkDiscountsPage, error_label);
  gtk_widget_class_install_action (widget_class, "discounts.create", NULL, create_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
park_discounts_page_init (ParkDiscountsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->codes = g_list_store_new (PARK_TYPE_DISCOUNT);
  self->rows = g_ptr_array_new ();
}
