/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-operator-page.c: what an operator (or admin) manages: their lots (a lot's details,
 * its spots by level and its prices), their staff, and a dashboard of occupancy and revenue.
 * Every call to parkd is asynchronous and cancelled when the page goes; a refusal shows as a
 * message a person understands, beside the form it concerns, naming the field the server
 * named (a 422's problem+json), and everything else as a toast.
 *
 * Amounts are typed as decimals of the lot's currency ("2.50") and sent in minor units; the
 * page only checks that they are numbers. Ranges are the server's to judge, so its answer is
 * the one the operator sees.
 */
#include "config.h"

#include "park-operator-page.h"
#include "park-chart.h"
#include "park-format.h"
#include "park-spot-grid.h"
#include "park-pricing-rules.h"
#include "park-admin-form.h"
#include "park-audit-page.h"
#include "park-discounts-page.h"
#include "park-sensors-page.h"
#include "park-kiosks-page.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

struct _ParkOperatorPage
{
  GtkWidget          parent_instance;

  ParkClient        *client;
  GCancellable      *cancellable;
  GCancellable      *lot_cancellable;     /* what belongs to the lot shown */
  GCancellable      *dash_cancellable;
  GListStore        *lots;
  ParkLot           *lot;                 /* the lot shown; NULL while making a new one */
  char              *want_lot;            /* to select once the list is back */
  ParkPricing       *pricing;
  GHashTable        *spot_rows;           /* spot id → its row */
  GPtrArray         *staff_rows;
  GPtrArray         *dash_lot_ids;
  GtkWidget         *rate_rows[PARK_N_SPOT_TYPES];
  GtkWidget         *daily_max_row;
  GtkWidget         *increment_row;
  GtkWidget         *grace_row;
  GtkWidget         *exit_grace_row;
  GtkWidget         *lost_ticket_row;
  GtkWidget         *hold_row;
  GtkWidget         *occupancy_chart;
  GtkWidget         *revenue_chart;
  GtkFileChooserNative *chooser;
  GtkFileChooserNative *export_chooser;
  ParkAnalyticsReport   export_report;
  /* What the dashboard shows: the lot and the whole days, for its CSV files. */
  char                 *dash_lot_id;
  char                 *dash_lot_name;
  GDateTime            *dash_from;
  GDateTime            *dash_to;
  guint                 dash_days;
  gboolean           creating;
  guint              n_lots_loads;
  guint              n_spots_loads;
  guint              n_pricing_loads;
  guint              n_pricing_saves;
  guint              n_staff_loads;
  guint              n_dash_loads;
  guint              n_imports;
  guint              n_exports;

  /* Template widgets */
  AdwToastOverlay   *toasts;
  AdwViewStack      *stack;
  GtkStack          *lots_stack;
  GtkListBox        *lots_list;
  GtkStack          *lot_stack;
  GtkLabel          *lot_title;
  GtkWidget         *lot_switcher;
  GtkStack          *lot_tabs;
  GtkWidget         *name_row;
  GtkWidget         *address_row;
  GtkWidget         *city_row;
  GtkWidget         *latitude_row;
  GtkWidget         *longitude_row;
  AdwComboRow       *type_row;
  GtkWidget         *rate_row;
  AdwComboRow       *status_row;
  GtkWidget         *spots_row;
  GtkWidget         *levels_row;
  GtkWidget         *hours_rows[7];       /* Monday first */
  GtkWidget         *amenities_row;
  GtkLabel          *details_error;
  GtkWidget         *delete_lot_button;
  GtkWidget         *save_lot_button;
  GtkBox            *spots_box;
  AdwPreferencesGroup *rates_group;
  AdwPreferencesGroup *limits_group;
  GtkLabel          *pricing_error;
  AdwPreferencesGroup *staff_group;
  GtkWidget         *staff_email_row;
  GtkWidget         *staff_first_row;
  GtkWidget         *staff_last_row;
  GtkWidget         *staff_password_row;
  AdwComboRow       *staff_role_row;
  GtkLabel          *staff_error;
  GtkDropDown       *period_dropdown;
  GtkDropDown       *dash_lot_dropdown;
  GtkLabel          *dash_summary;
  GtkLabel          *dash_error;
  GtkFrame          *occupancy_frame;
  GtkFrame          *revenue_frame;
  GtkLabel          *occupancy_title;
  GtkGrid           *dash_table;
  GtkLabel          *stays_title;
  GtkGrid           *stays_table;
  GtkGrid           *types_table;
  ParkDiscountsPage *discounts_page;
  ParkSensorsPage   *sensors_page;
  ParkKiosksPage    *kiosks_page;
  ParkAuditPage     *audit_page;
  ParkPricingRules  *pricing_rules;
};

G_DEFINE_FINAL_TYPE (ParkOperatorPage, park_operator_page, GTK_TYPE_WIDGET)

static void load_lots (ParkOperatorPage *self);
static void load_dashboard (ParkOperatorPage *self);

/* Helpers */

static void
toast (ParkOperatorPage *self,
       const char       *text)
{
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_timeout (t, 4);
  adw_toast_overlay_add_toast (self->toasts, t);
}

static const char *
entry_text (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_entry_text (GtkWidget  *row,
                const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  gtk_widget_remove_css_class (row, "error");
}

static void
set_row_error (GtkWidget *row,
               gboolean   error)
{
  if (error)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

static gboolean
parse_integer (const char *text,
               gint64     *out)
{
  g_autofree char *s = g_strstrip (g_strdup (text));

  return *s != '\0' && g_ascii_string_to_signed (s, 10, -G_MAXINT32, G_MAXINT32, out, NULL);
}

static gboolean
parse_degrees (const char *text,
               double     *out)
{
  g_autofree char *s = g_strstrip (g_strdup (text));
  char *end = NULL;

  g_strdelimit (s, ",", '.');
  if (*s == '\0')
    return FALSE;
  *out = g_ascii_strtod (s, &end);
  return end != NULL && *end == '\0' && isfinite (*out);
}

/* The row a server's field name belongs to, and what a person calls it. */
typedef struct
{
  const char *field;
  GtkWidget  *row;
  const char *label;
  const char *hint;     /* what the server accepts, or NULL */
} FieldRow;

static gboolean
report_field_error (ParkOperatorPage *self,
                    GtkLabel         *where,
                    const FieldRow   *fields,
                    guint             n_fields,
                    const GError     *error)
{
  const char *field = park_client_error_get_field (error);
  g_autofree char *text = NULL;

  for (guint i = 0; i < n_fields; i++)
    set_row_error (fields[i].row, FALSE);
  if (!g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION) &&
      !g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT))
    return FALSE;
  for (guint i = 0; field != NULL && i < n_fields; i++)
    if (g_str_equal (fields[i].field, field))
      {
        set_row_error (fields[i].row, TRUE);
        if (fields[i].hint != NULL)
          /* Translators: a form's error: the field's name, the reason, what is accepted */
          text = g_strdup_printf (_("%s: %s %s"), fields[i].label, error->message, fields[i].hint);
        else
          /* Translators: a form's error: the field's name, then the reason */
          text = g_strdup_printf (_("%s: %s"), fields[i].label, error->message);
        gtk_widget_grab_focus (fields[i].row);
        break;
      }
  if (text == NULL && field != NULL)
    text = g_strdup_printf (_("%s: %s"), field, error->message);
  park_show_form_error (where, text != NULL ? text : error->message);
  return TRUE;
}

static void
row_edited_cb (GtkWidget *row)
{
  /* The person is fixing it: the red goes; the message stays until the next try. */
  gtk_widget_remove_css_class (row, "error");
}

/* Lots */

static GtkWidget *
make_lot_row (ParkLot *lot)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = NULL;
  g_autofree char *rate = park_format_money (park_lot_get_hourly_rate (lot), park_lot_get_currency (lot));
  GtkWidget *status;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), park_lot_get_name (lot));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* Translators: a lot in the operator's list: its address, then its spots · price per hour */
  subtitle = g_strdup_printf (g_dngettext (NULL, "%s\n%u spot · %s/h", "%s\n%u spots · %s/h",
                                           park_lot_get_total (lot, PARK_SPOT_TYPE_ANY)),
                              park_lot_get_address (lot),
                              park_lot_get_total (lot, PARK_SPOT_TYPE_ANY), rate);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  if (park_lot_get_status (lot) == PARK_LOT_STATUS_CLOSED)
    {
      status = gtk_label_new (_("Closed"));
      gtk_widget_add_css_class (status, "caption-heading");
      gtk_widget_add_css_class (status, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), status);
    }
  g_object_set_data_full (G_OBJECT (row), "park-lot", g_object_ref (lot), g_object_unref);
  return row;
}

static void
fill_details (ParkOperatorPage *self)
{
  ParkLot *lot = self->lot;
  g_autofree char *lat = NULL, *lng = NULL, *rate = NULL;

  park_show_form_error (self->details_error, NULL);
  gtk_widget_set_visible (self->spots_row, self->creating);
  gtk_widget_set_visible (self->levels_row, self->creating);
  gtk_widget_set_visible (GTK_WIDGET (self->status_row), !self->creating);
  gtk_widget_set_visible (self->delete_lot_button, !self->creating);
  gtk_widget_set_visible (self->lot_switcher, !self->creating);
  gtk_button_set_label (GTK_BUTTON (self->save_lot_button),
                        self->creating ? _("_Create Lot") : _("_Save"));
  if (self->creating)
    {
      gtk_label_set_label (self->lot_title, _("New Lot"));
      set_entry_text (self->name_row, "");
      set_entry_text (self->address_row, "");
      set_entry_text (self->city_row, "");
      set_entry_text (self->latitude_row, "");
      set_entry_text (self->longitude_row, "");
      set_entry_text (self->rate_row, "2.00");
      set_entry_text (self->spots_row, "20");
      set_entry_text (self->levels_row, "1");
      adw_combo_row_set_selected (self->type_row, PARK_LOT_TYPE_SURFACE);
      /* A new lot opens around the clock until told otherwise. */
      for (guint d = 0; d < 7; d++)
        set_entry_text (self->hours_rows[d], "00:00-24:00");
      set_entry_text (self->amenities_row, "");
      return;
    }
  lat = g_strdup_printf ("%.6f", park_lot_get_latitude (lot));
  lng = g_strdup_printf ("%.6f", park_lot_get_longitude (lot));
  rate = park_money_entry_text (park_lot_get_hourly_rate (lot));
  gtk_label_set_label (self->lot_title, park_lot_get_name (lot));
  set_entry_text (self->name_row, park_lot_get_name (lot));
  set_entry_text (self->address_row, park_lot_get_address (lot));
  set_entry_text (self->city_row, park_lot_get_city (lot));
  set_entry_text (self->latitude_row, lat);
  set_entry_text (self->longitude_row, lng);
  set_entry_text (self->rate_row, rate);
  adw_combo_row_set_selected (self->type_row, park_lot_get_lot_type (lot));
  adw_combo_row_set_selected (self->status_row, park_lot_get_status (lot));
  {
    g_autoptr(ParkOpeningHours) hours = park_lot_dup_opening_hours (lot);
    g_autofree char *amenities = g_strjoinv (", ", (char **) park_lot_get_amenities (lot));

    for (guint d = 0; d < 7; d++)
      {
        g_autofree char *text = park_opening_hours_dup_day_text (hours, G_DATE_MONDAY + d);

        set_entry_text (self->hours_rows[d], text);
      }
    set_entry_text (self->amenities_row, amenities);
  }
}

static void load_spots (ParkOperatorPage *self);
static void load_pricing (ParkOperatorPage *self);

static void
show_lot (ParkOperatorPage *self,
          ParkLot          *lot)
{
  g_cancellable_cancel (self->lot_cancellable);
  g_clear_object (&self->lot_cancellable);
  self->lot_cancellable = g_cancellable_new ();
  g_set_object (&self->lot, lot);
  self->creating = lot == NULL;
  fill_details (self);
  gtk_stack_set_visible_child_name (self->lot_stack, "lot");
  if (lot != NULL)
    {
      load_spots (self);
      load_pricing (self);
    }
  else
    gtk_stack_set_visible_child_name (self->lot_tabs, "details");
}

static void
lot_selected_cb (GtkListBox       *list,
                 GtkListBoxRow    *row,
                 ParkOperatorPage *self)
{
  ParkLot *lot;

  if (row == NULL)
    return;
  lot = g_object_get_data (G_OBJECT (row), "park-lot");
  if (lot == NULL || lot == self->lot)
    return;
  /* The same lot again, as the list came back after a save: its newer copy, and the forms
   * stay as they are, with whatever the operator is typing. */
  if (self->lot != NULL && !self->creating &&
      g_strcmp0 (park_lot_get_id (lot), park_lot_get_id (self->lot)) == 0)
    {
      g_set_object (&self->lot, lot);
      gtk_label_set_label (self->lot_title, park_lot_get_name (lot));
      return;
    }
  show_lot (self, lot);
}

static void
update_dash_lots (ParkOperatorPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->lots));
  guint selected = gtk_drop_down_get_selected (self->dash_lot_dropdown);
  g_autofree char *shown = selected < self->dash_lot_ids->len
                           ? g_strdup (g_ptr_array_index (self->dash_lot_ids, selected)) : NULL;
  guint keep = 0;

  g_ptr_array_set_size (self->dash_lot_ids, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (G_LIST_MODEL (self->lots), i);

      gtk_string_list_append (names, park_lot_get_name (lot));
      g_ptr_array_add (self->dash_lot_ids, g_strdup (park_lot_get_id (lot)));
      if (g_strcmp0 (shown, park_lot_get_id (lot)) == 0)
        keep = i;
    }
  /* The lot the operator chose stays chosen when the lots reload (while it is still theirs). */
  gtk_drop_down_set_model (self->dash_lot_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->dash_lot_dropdown, keep);
}

static void
lots_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ParkOperatorPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) lots = park_client_list_managed_lots_finish (PARK_CLIENT (source), result, &error);
  g_autofree char *selected = NULL;
  GtkWidget *child;
  guint n;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->n_lots_loads++;
  if (lots == NULL)
    {
      g_autofree char *text = park_describe_error (error);

      adw_status_page_set_title (ADW_STATUS_PAGE (gtk_stack_get_child_by_name (self->lots_stack, "empty")),
                                 _("Lots Not Loaded"));
      adw_status_page_set_description (ADW_STATUS_PAGE (gtk_stack_get_child_by_name (self->lots_stack, "empty")),
                                       text);
      gtk_stack_set_visible_child_name (self->lots_stack, "empty");
      return;
    }

  selected = g_strdup (self->want_lot != NULL ? self->want_lot
                       : self->lot != NULL ? park_lot_get_id (self->lot) : NULL);
  g_clear_pointer (&self->want_lot, g_free);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->lots_list))) != NULL)
    gtk_list_box_remove (self->lots_list, child);
  g_list_store_remove_all (self->lots);
  n = g_list_model_get_n_items (lots);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);
      GtkWidget *row = make_lot_row (lot);

      g_list_store_append (self->lots, lot);
      gtk_list_box_append (self->lots_list, row);
      /* The lot shown stays shown: lot_selected_cb takes the newer copy and leaves the
       * forms as they are. */
      if (g_strcmp0 (selected, park_lot_get_id (lot)) == 0)
        gtk_list_box_select_row (self->lots_list, GTK_LIST_BOX_ROW (row));
    }
  if (n == 0)
    {
      adw_status_page_set_title (ADW_STATUS_PAGE (gtk_stack_get_child_by_name (self->lots_stack, "empty")),
                                 _("No Lots Yet"));
      adw_status_page_set_description (ADW_STATUS_PAGE (gtk_stack_get_child_by_name (self->lots_stack, "empty")),
                                       _("Add a lot or import a GeoJSON file."));
    }
  gtk_stack_set_visible_child_name (self->lots_stack, n > 0 ? "list" : "empty");
  if (self->lot != NULL && gtk_list_box_get_selected_row (self->lots_list) == NULL)
    {
      /* The lot shown is gone (deleted). */
      g_clear_object (&self->lot);
      gtk_stack_set_visible_child_name (self->lot_stack, "none");
    }
  update_dash_lots (self);
  park_device_keys_page_set_lots (PARK_DEVICE_KEYS_PAGE (self->sensors_page),
                                  G_LIST_MODEL (self->lots));
  park_device_keys_page_set_lots (PARK_DEVICE_KEYS_PAGE (self->kiosks_page),
                                  G_LIST_MODEL (self->lots));
  if (n > 0)
    {
      g_autoptr(ParkLot) first = g_list_model_get_item (G_LIST_MODEL (self->lots), 0);

      park_discounts_page_set_currency (self->discounts_page, park_lot_get_currency (first));
    }
}

static void
load_lots (ParkOperatorPage *self)
{
  park_client_list_managed_lots_async (self->client, NULL, self->cancellable, lots_cb, self);
}

static void
new_lot_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  ParkOperatorPage *self = PARK_OPERATOR_PAGE (widget);

  gtk_list_box_unselect_all (self->lots_list);
  show_lot (self, NULL);
  gtk_widget_grab_focus (self->name_row);
}

static void
lot_saved_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ParkOperatorPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkLot) lot = NULL;
  gboolean created = g_task_get_source_tag (G_TASK (result)) == park_client_create_lot_async;

  lot = created ? park_client_create_lot_finish (PARK_CLIENT (source), result, &error)
                : park_client_update_lot_finish (PARK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The page is there (not cancelled): its rows may be named now. */
  {
    FieldRow fields[] = {
      { "name", self->name_row, _("Name"), _("Give the lot a name.") },
      { "address", self->address_row, _("Street address"), _("Give the street and number.") },
      { "city", self->city_row, _("City"), NULL },
      { "latitude", self->latitude_row, _("Latitude"), _("Use −90 to 90 degrees.") },
      { "longitude", self->longitude_row, _("Longitude"), _("Use −180 to 180 degrees.") },
      { "location", self->latitude_row, _("Location"), NULL },
      { "lot_type", GTK_WIDGET (self->type_row), _("Kind of lot"), NULL },
      { "hourly_rate", self->rate_row, _("Hourly rate"), _("Use an amount of 0 or more.") },
      { "status", GTK_WIDGET (self->status_row), _("Status"), NULL },
      { "spots", self->spots_row, _("Number of spots"), NULL },
      { "levels", self->levels_row, _("Levels"), NULL },
      { "amenities", self->amenities_row, _("Amenities"), NULL },
      { "operating_hours", self->hours_rows[0], _("Opening hours"), NULL },
    };

    gtk_widget_set_sensitive (self->save_lot_button, TRUE);
    if (lot == NULL)
      {
        if (!report_field_error (self, self->details_error, fields, G_N_ELEMENTS (fields), error))
          {
            g_autofree char *text = park_describe_error (error);

            park_show_form_error (self->details_error, text);
          }
        return;
      }
    park_show_form_error (self->details_error, NULL);
    {
      g_autofree char *text = g_strdup_printf (created ? _("“%s” was created") : _("“%s” was saved"),
                                               park_lot_get_name (lot));
      toast (self, text);
    }
    g_free (self->want_lot);
    self->want_lot = g_strdup (park_lot_get_id (lot));
    if (created)
      self->creating = FALSE;
    load_lots (self);
  }
}

/* "ev_charging, toilets" → its names; an empty text → none. */
static GStrv
split_amenities (const char *text)
{
  g_auto(GStrv) parts = g_strsplit_set (text, ",;", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *name = g_strstrip (parts[i]);

      if (*name != '\0')
        g_strv_builder_add (builder, name);
    }
  return g_strv_builder_end (builder);
}

static void
save_lot_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  ParkOperatorPage *self = PARK_OPERATOR_PAGE (widget);
  double lat = 0, lng = 0;   /* set when the form is right; the compiler cannot see it */
  gint64 rate, spots = 0, levels = 1;
  GtkWidget *bad = NULL;
  const char *why = NULL;
  g_autofree char *hours_why = NULL;
  g_autoptr(ParkOpeningHours) hours = park_opening_hours_new ();
  g_auto(GStrv) amenities = NULL;
  guint type = adw_combo_row_get_selected (self->type_row);

  set_row_error (self->latitude_row, FALSE);
  set_row_error (self->longitude_row, FALSE);
  set_row_error (self->rate_row, FALSE);
  set_row_error (self->spots_row, FALSE);
  set_row_error (self->levels_row, FALSE);
  set_row_error (self->amenities_row, FALSE);
  for (guint d = 0; d < 7; d++)
    {
      g_autoptr(GError) error = NULL;

      set_row_error (self->hours_rows[d], FALSE);
      if (bad == NULL &&
          !park_opening_hours_set_day_text (hours, G_DATE_MONDAY + d,
                                            entry_text (self->hours_rows[d]), &error))
        {
          bad = self->hours_rows[d];
          /* Translators: a form's error: the field's name, then the reason */
          hours_why = g_strdup_printf (_("%s: %s"),
                                       adw_preferences_row_get_title (ADW_PREFERENCES_ROW (bad)),
                                       error->message);
          why = hours_why;
        }
    }
  amenities = split_amenities (entry_text (self->amenities_row));
  if (bad != NULL)
    {
      /* An opening time that cannot be right: said below, with the day. */
    }
  else if (!parse_degrees (entry_text (self->latitude_row), &lat))
    bad = self->latitude_row, why = _("Latitude: enter degrees, such as 51.0504");
  else if (!parse_degrees (entry_text (self->longitude_row), &lng))
    bad = self->longitude_row, why = _("Longitude: enter degrees, such as 13.7373");
  else if (!park_parse_money (entry_text (self->rate_row), FALSE, &rate))
    bad = self->rate_row, why = _("Hourly rate: enter an amount, such as 2.50");
  else if (self->creating && !parse_integer (entry_text (self->spots_row), &spots))
    bad = self->spots_row, why = _("Number of regular spots: enter a whole number");
  else if (self->creating && !parse_integer (entry_text (self->levels_row), &levels))
    bad = self->levels_row, why = _("Levels: enter a whole number");
  if (bad != NULL)
    {
      set_row_error (bad, TRUE);
      park_show_form_error (self->details_error, why);
      gtk_widget_grab_focus (bad);
      return;
    }

  gtk_widget_set_sensitive (self->save_lot_button, FALSE);
  if (self->creating)
    {
      guint counts[PARK_N_SPOT_TYPES] = { 0 };

      /* Negative counts reach the server as 0 spots; the server judges a count too large. */
      counts[PARK_SPOT_TYPE_REGULAR] = (guint) MAX (spots, 0);
      park_client_create_lot_async (self->client, NULL, entry_text (self->name_row),
                                    entry_text (self->address_row),
                                    *entry_text (self->city_row) != '\0' ? entry_text (self->city_row) : NULL,
                                    lat, lng, type, rate, hours,
                                    (const char * const *) amenities, counts,
                                    (guint) MAX (levels, 0),
                                    self->cancellable, lot_saved_cb, self);
    }
  else
    park_client_update_lot_async (self->client, park_lot_get_id (self->lot),
                                  entry_text (self->name_row), entry_text (self->address_row),
                                  entry_text (self->city_row), lat, lng, type, rate,
                                  adw_combo_row_get_selected (self->status_row), hours,
                                  (const char * const *) amenities,
                                  self->cancellable, lot_saved_cb, self);
}

static void
lot_deleted_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ParkOperatorPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!park_client_delete_lot_finish (PARK_CLIENT (source), result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = park_describe_error (error);
      toast (self, text);
      return;
    }
  toast (self, _("The lot was deleted"));
  g_clear_object (&self->lot);
  gtk_stack_set_visible_child_name (self->lot_stack, "none");
  load_lots (self);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    ParkOperatorPage *self)
{
  const char *lot_id = g_object_get_data (G_OBJECT (dialog), "park-lot-id");

  if (g_str_equal (response, "delete"))
    park_client_delete_lot_async (self->client, lot_id, self->cancellable, lot_deleted_cb, self);
}

static void
delete_lot_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  ParkOperatorPage *self = PARK_OPERATOR_PAGE (widget);
  GtkWidget *dialog;
  g_autofree char *heading = NULL;

  if (self->lot == NULL)
    return;
  heading = g_strdup_printf (_("Delete “%s”?"), park_lot_get_name (self->lot));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading,
                                   _("The lot and its spots are removed for good. Drivers can no "
                                     "longer find or book it. A lot with bookings still to come "
                                     "cannot be deleted: close it instead."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "park-lot-id", g_strdup (park_lot_get_id (self->lot)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Import */

static void
import_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ParkOperatorPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkImportReport) report = park_client_import_lots_finish (PARK_CLIENT (source), result, &error);
  g_autoptr(GString) body = g_string_new (NULL);
  const char * const *skipped;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->n_imports++;
  if (report == NULL)
    {
      g_autofree char *text = park_describe_error (error);

      heading = g_strdup (_("Nothing Was Imported"));
      g_string_append (body, text);
    }
  else
    {
      gint64 lots = park_import_report_get_imported (report);
      gint64 spots = park_import_report_get_spots (report);

      heading = g_strdup_printf (g_dngettext (NULL, "%d Lot Imported", "%d Lots Imported", lots),
                                 (int) lots);
      g_string_append_printf (body, g_dngettext (NULL, "%d spot was made or updated.",
                                                 "%d spots were made or updated.", spots),
                              (int) spots);
      skipped = park_import_report_get_skipped (report);
      if (skipped != NULL && skipped[0] != NULL)
        {
          guint n = g_strv_length ((char **) skipped);

          g_string_append (body, "\n\n");
          g_string_append_printf (body, g_dngettext (NULL, "%u feature was skipped:",
                                                     "%u features were skipped:", n), n);
          for (guint i = 0; i < n && i < 12; i++)
            g_string_append_printf (body, "\n• %s", skipped[i]);
          if (n > 12)
            g_string_append_printf (body, "\n%s", _("…and more."));
        }
      load_lots (self);
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
                                   body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ParkOperatorPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);

  if (bytes == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("The file could not be read: %s"), error->message);
      self->n_imports++;
      toast (self, text);
      return;
    }
  toast (self, _("Importing lots…"));
  park_client_import_lots_async (self->client, NULL, -1, bytes, self->cancellable, import_cb, self);
}

void
park_operator_page_import_file (ParkOperatorPage *self,
                                GFile            *file)
{
  g_return_if_fail (PARK_IS_OPERATOR_PAGE (self));
  g_file_load_bytes_async (file, self->cancellable, import_loaded_cb, self);
}

static void
chooser_response_cb (GtkNativeDialog  *chooser,
                     int               response,
                     ParkOperatorPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      park_operator_page_import_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ParkOperatorPage *self = PARK_OPERATOR_PAGE (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Import Lots from GeoJSON"),
                                               GTK_WINDOW (gtk_widget_get_root (widget)),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  gtk_file_filter_set_name (filter, _("GeoJSON files"));
  gtk_file_filter_add_pattern (filter, "*.geojson");
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_filter_add_mime_type (filter, "application/geo+json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Spots */

static void mark_dialog (ParkOperatorPage *self, ParkSpot *spot);

static void
spot_button_cb (GtkButton        *button,
                ParkOperatorPage *self)
{
  ParkSpot *spot = g_object_get_data (G_OBJECT (button), "park-spot");

  if (park_spot_get_state (spot) == PARK_SPOT_STATE_OUT_OF_SERVICE)
    park_operator_page_mark_spot (self, park_spot_get_id (spot), PARK_SPOT_STATE_AVAILABLE, NULL);
  else
    mark_dialog (self, spot);
}

/* An operator's spot button takes the spot out of service (asking why) or puts it back; its
 * label says which, after the spot's number, type and state. */
static void
setup_spot_button (GtkWidget *button,
                   ParkSpot  *spot,
                   gpointer   user_data)
{
  ParkOperatorPage *self = user_data;
  gboolean out = park_spot_get_state (spot) == PARK_SPOT_STATE_OUT_OF_SERVICE;
  g_autofree char *what = g_strdup_printf (out ? _("Put spot %s back in service")
                                               : _("Take spot %s out of service"),
                                           park_spot_get_number (spot));
  /* Translators: a spot's button read out: its number, type and state, then what it does */
  g_autofree char *a11y = g_strdup_printf (_("Spot %s, %s, %s. %s"), park_spot_get_number (spot),
                                           park_format_spot_type (park_spot_get_spot_type (spot)),
                                           park_format_spot_state (park_spot_get_state (spot)),
                                           what);

  gtk_widget_set_tooltip_text (button, a11y);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  g_signal_connect (button, "clicked", G_CALLBACK (spot_button_cb), self);
  g_hash_table_insert (self->spot_rows, g_strdup (park_spot_get_id (spot)), button);
}

static void
spots_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  ParkOperatorPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) spots = park_client_list_spots_finish (PARK_CLIENT (source), result, &error);
  GtkWidget *child;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->n_spots_loads++;
  g_hash_table_remove_all (self->spot_rows);
  if (spots == NULL || g_list_model_get_n_items (spots) == 0)
    {
      g_autofree char *text = spots == NULL ? park_describe_error (error) : NULL;
      GtkWidget *status = adw_status_page_new ();

      while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->spots_box))) != NULL)
        gtk_box_remove (self->spots_box, child);
      if (text != NULL)
        {
          adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-warning-symbolic");
          adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Spots Not Loaded"));
          adw_status_page_set_description (ADW_STATUS_PAGE (status), text);
        }
      else
        {
          adw_status_page_set_title (ADW_STATUS_PAGE (status), _("No Spots"));
          adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                           _("This lot has no spots yet."));
        }
      gtk_box_append (self->spots_box, status);
      return;
    }
  park_spot_grid_fill (self->spots_box, spots, TRUE, setup_spot_button, self);
}

static void
load_spots (ParkOperatorPage *self)
{
  park_client_list_spots_async (self->client, park_lot_get_id (self->lot), PARK_SPOT_TYPE_ANY,
                                self->lot_cancellable, spots_cb, self);
}

static void
spot_marked_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ParkOperatorPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkSpot) spot = park_client_mark_spot_finish (PARK_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (spot == NULL)
    {
      g_autofree char *text = park_describe_error (error);

      toast (self, text);
      return;
    }
  {
    g_autofree char *text =
      g_strdup_printf (park_spot_get_state (spot) == PARK_SPOT_STATE_OUT_OF_SERVICE
                       ? _("Spot %s is out of service") : _("Spot %s is back in service"),
                       park_spot_get_number (spot));
    toast (self, text);
  }
  /* Reload the level's counts with the rest. */
  if (self->lot != NULL)
    load_spots (self);
}

void
park_operator_page_mark_spot (ParkOperatorPage *self,
                              const char       *spot_id,
                              ParkSpotState     state,
                              const char       *reason)
{
  g_return_if_fail (PARK_IS_OPERATOR_PAGE (self));
  /* Not cancelled by showing another lot: the change is the operator's, wherever they went. */
  park_client_mark_spot_async (self->client, spot_id, state, reason, self->cancellable,
                               spot_marked_cb, self);
}

static void
mark_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  ParkOperatorPage *self)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  const char *spot_id = g_object_get_data (G_OBJECT (dialog), "park-spot-id");

  if (g_str_equal (response, "mark"))
    park_operator_page_mark_spot (self, spot_id, PARK_SPOT_STATE_OUT_OF_SERVICE,
                                  gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
mark_dialog (ParkOperatorPage *self,
             ParkSpot         *spot)
{
  g_autofree char *heading = g_strdup_printf (_("Take Spot %s Out of Service?"),
                                              park_spot_get_number (spot));
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading,
                                              _("Drivers cannot book it and the booth assigns no car "
                                                "to it until it is back in service. The reason is "
                                                "kept in the audit log."));
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason, such as “barrier broken”"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reason"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "mark", _("_Out of Service"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "mark",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "mark");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "park-spot-id", g_strdup (park_spot_get_id (spot)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (mark_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* Pricing */

static GtkWidget *
add_entry_row (AdwPreferencesGroup *group,
               const char          *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_group_add (group, row);
  return row;
}

/* Save Prices works only on prices that are there: not while they load or are saved. */
static void
set_pricing_ready (ParkOperatorPage *self,
                   gboolean          ready)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "operator.save-pricing", ready);
}

static void
fill_pricing (ParkOperatorPage *self)
{
  ParkPricing *p = self->pricing;
  g_autofree char *daily = park_money_entry_text (park_pricing_get_daily_max (p));
  g_autofree char *lost = park_money_entry_text (park_pricing_get_lost_ticket_fee (p));
  g_autofree char *inc = g_strdup_printf ("%" G_GINT64_FORMAT, park_pricing_get_increment_minutes (p));
  g_autofree char *grace = g_strdup_printf ("%" G_GINT64_FORMAT, park_pricing_get_grace_minutes (p));
  g_autofree char *exit_grace = g_strdup_printf ("%" G_GINT64_FORMAT, park_pricing_get_exit_grace_minutes (p));
  g_autofree char *hold = g_strdup_printf ("%" G_GINT64_FORMAT, park_pricing_get_hold_minutes (p));
  g_autofree char *currency = g_strdup_printf (_("Amounts in %s"), park_pricing_get_currency (p));

  for (int t = 0; t < PARK_N_SPOT_TYPES; t++)
    {
      g_autofree char *rate = park_money_entry_text (park_pricing_get_rate (p, t));

      set_entry_text (self->rate_rows[t], rate);
    }
  set_entry_text (self->daily_max_row, daily);
  set_entry_text (self->increment_row, inc);
  set_entry_text (self->grace_row, grace);
  set_entry_text (self->exit_grace_row, exit_grace);
  set_entry_text (self->lost_ticket_row, lost);
  set_entry_text (self->hold_row, hold);
  adw_preferences_group_set_description (self->rates_group, currency);
  park_pricing_rules_set_pricing (self->pricing_rules, p);
  park_show_form_error (self->pricing_error, NULL);
}

static void
pricing_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ParkOperatorPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkPricing) pricing = park_client_get_pricing_finish (PARK_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->n_pricing_loads++;
  g_set_object (&self->pricing, pricing);
  if (pricing == NULL)
    {
      g_autofree char *text = park_describe_error (error);

      park_show_form_error (self->pricing_error, text);
      return;
    }
  fill_pricing (self);
  set_pricing_ready (self, TRUE);
}

static void
load_pricing (ParkOperatorPage *self)
{
  g_clear_object (&self->pricing);
  set_pricing_ready (self, FALSE);
  park_client_get_pricing_async (self->client, park_lot_get_id (self->lot), self->lot_cancellable,
                                 pricing_cb, self);
}

static void
pricing_saved_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ParkOperatorPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkPricing) pricing = park_client_set_pricing_finish (PARK_CLIENT (source), result, &error);
  g_autofree char *rate_fields[PARK_N_SPOT_TYPES] = { NULL };

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The page is there (not cancelled): its rows may be named now. */
  {
    FieldRow fields[PARK_N_SPOT_TYPES + 6] = {
      { "daily_max", self->daily_max_row, _("Daily maximum"),
        _("Use an amount above 0, or leave it empty for none.") },
      { "increment_minutes", self->increment_row, _("Billing step"), _("Use 1 to 60 minutes.") },
      { "grace_minutes", self->grace_row, _("Free minutes after entry"), _("Use 0 or more minutes.") },
      { "exit_grace_minutes", self->exit_grace_row, _("Minutes to leave after paying"),
        _("Use 0 or more minutes.") },
      { "lost_ticket_fee", self->lost_ticket_row, _("Lost-ticket fee"), _("Use an amount of 0 or more.") },
      { "hold_minutes", self->hold_row, _("Unpaid booking hold"), _("Use 1 minute or more.") },
    };

    self->n_pricing_saves++;
    set_pricing_ready (self, TRUE);
    for (int t = 0; t < PARK_N_SPOT_TYPES; t++)
      {
        g_autoptr(GEnumClass) klass = g_type_class_ref (PARK_TYPE_SPOT_TYPE);

        rate_fields[t] = g_strdup_printf ("rates.%s", g_enum_get_value (klass, t)->value_nick);
        fields[6 + t] = (FieldRow) { rate_fields[t], self->rate_rows[t],
                                     adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->rate_rows[t])),
                                     _("Use an amount of 0 or more.") };
      }
    if (pricing == NULL)
      {
        if (!report_field_error (self, self->pricing_error, fields, G_N_ELEMENTS (fields), error))
          {
            g_autofree char *text = park_describe_error (error);

            park_show_form_error (self->pricing_error, text);
          }
        for (int t = 0; t < PARK_N_SPOT_TYPES; t++)
          g_free (rate_fields[t]), rate_fields[t] = NULL;
        return;
      }
    for (int t = 0; t < PARK_N_SPOT_TYPES; t++)
      g_free (rate_fields[t]), rate_fields[t] = NULL;
    g_set_object (&self->pricing, pricing);
    fill_pricing (self);
    toast (self, _("Prices saved. New bookings and stays use them."));
    load_lots (self);
  }
}

static void
save_pricing_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ParkOperatorPage *self = PARK_OPERATOR_PAGE (widget);
  gint64 rates[PARK_N_SPOT_TYPES], daily, lost, inc, grace, exit_grace, hold;
  GtkWidget *bad = NULL;

  if (self->pricing == NULL || self->lot == NULL)
    return;   /* still loading: the action is off until the prices are there */
  for (int t = 0; t < PARK_N_SPOT_TYPES && bad == NULL; t++)
    {
      set_row_error (self->rate_rows[t], FALSE);
      if (!park_parse_money (entry_text (self->rate_rows[t]), FALSE, &rates[t]))
        bad = self->rate_rows[t];
    }
  if (bad == NULL && !park_parse_money (entry_text (self->daily_max_row), TRUE, &daily))
    bad = self->daily_max_row;
  if (bad == NULL && !park_parse_money (entry_text (self->lost_ticket_row), FALSE, &lost))
    bad = self->lost_ticket_row;
  if (bad == NULL && !parse_integer (entry_text (self->increment_row), &inc))
    bad = self->increment_row;
  if (bad == NULL && !parse_integer (entry_text (self->grace_row), &grace))
    bad = self->grace_row;
  if (bad == NULL && !parse_integer (entry_text (self->exit_grace_row), &exit_grace))
    bad = self->exit_grace_row;
  if (bad == NULL && !parse_integer (entry_text (self->hold_row), &hold))
    bad = self->hold_row;
  if (bad != NULL)
    {
      g_autofree char *text =
        g_strdup_printf (_("%s: enter a number"), adw_preferences_row_get_title (ADW_PREFERENCES_ROW (bad)));

      set_row_error (bad, TRUE);
      park_show_form_error (self->pricing_error, text);
      gtk_widget_grab_focus (bad);
      return;
    }

  /* Out-of-range values go to the server as they are, so its answer names the field; only a
   * negative one would mean "none" to ParkPricing, so it is sent as a value no rule allows. */
  for (int t = 0; t < PARK_N_SPOT_TYPES; t++)
    park_pricing_set_rate (self->pricing, t, rates[t]);
  park_pricing_set_daily_max (self->pricing, daily < 0 ? -1 : daily);
  park_pricing_set_lost_ticket_fee (self->pricing, lost < 0 ? G_MAXINT64 / 2 : lost);
  park_pricing_set_increment_minutes (self->pricing, inc < 0 ? 0 : inc);
  park_pricing_set_grace_minutes (self->pricing, grace < 0 ? G_MAXINT32 : grace);
  park_pricing_set_exit_grace_minutes (self->pricing, exit_grace < 0 ? G_MAXINT32 : exit_grace);
  park_pricing_set_hold_minutes (self->pricing, hold < 0 ? 0 : hold);
  {
    g_autoptr(GError) error = NULL;

    /* The rules say what is wrong beside themselves; the form's line points there. */
    if (!park_pricing_rules_apply (self->pricing_rules, self->pricing, &error))
      {
        park_show_form_error (self->pricing_error, error->message);
        return;
      }
  }
  park_show_form_error (self->pricing_error, NULL);
  set_pricing_ready (self, FALSE);
  park_client_set_pricing_async (self->client, park_lot_get_id (self->lot), self->pricing,
                                 self->lot_cancellable, pricing_saved_cb, self);
}

/* Ctrl+S saves the form in view. */
static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ParkOperatorPage *self = PARK_OPERATOR_PAGE (widget);
  const char *page = adw_view_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (page, "lots") != 0 ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->lot_stack), "lot") != 0)
    return;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->lot_tabs), "pricing") == 0)
    gtk_widget_activate_action (widget, "operator.save-pricing", NULL);
  else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->lot_tabs), "details") == 0)
    gtk_widget_activate_action (widget, "operator.save-lot", NULL);
}

/* Staff */

static void load_staff (ParkOperatorPage *self);

static void
staff_changed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ParkOperatorPage *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_task_get_source_tag (G_TASK (result)) == park_client_delete_staff_async)
    ok = park_client_delete_staff_finish (PARK_CLIENT (source), result, &error);
  else
    {
      g_autoptr(ParkUser) user = park_client_update_staff_finish (PARK_CLIENT (source), result, &error);
      ok = user != NULL;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!ok)
    {
      g_autofree char *text = park_describe_error (error);

      toast (self, text);
    }
  else
    toast (self, g_task_get_source_tag (G_TASK (result)) == park_client_delete_staff_async
                 ? _("Removed from the staff") : _("Role changed"));
  load_staff (self);
}

static void
role_changed_cb (GtkDropDown      *dropdown,
                 GParamSpec       *pspec,
                 ParkOperatorPage *self)
{
  ParkUser *user = g_object_get_data (G_OBJECT (dropdown), "park-user");
  ParkUserRole role = gtk_drop_down_get_selected (dropdown) == 1 ? PARK_USER_ROLE_OPERATOR
                                                                  : PARK_USER_ROLE_ATTENDANT;

  if (role != park_user_get_role (user))
    park_client_update_staff_async (self->client, park_user_get_id (user), role, -1, NULL, NULL,
                                    self->cancellable, staff_changed_cb, self);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    ParkOperatorPage *self)
{
  if (g_str_equal (response, "remove"))
    park_client_delete_staff_async (self->client, g_object_get_data (G_OBJECT (dialog), "park-user-id"),
                                    self->cancellable, staff_changed_cb, self);
}

static char *
user_name (ParkUser *user)
{
  const char *first = park_user_get_first_name (user);
  const char *last = park_user_get_last_name (user);

  if ((first == NULL || *first == '\0') && (last == NULL || *last == '\0'))
    return g_strdup (park_user_get_email (user));
  return g_strstrip (g_strdup_printf ("%s %s", first ?: "", last ?: ""));
}

static void
remove_clicked_cb (GtkButton        *button,
                   ParkOperatorPage *self)
{
  ParkUser *user = g_object_get_data (G_OBJECT (button), "park-user");
  g_autofree char *name = user_name (user);
  g_autofree char *heading = g_strdup_printf (_("Remove %s?"), name);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading,
                                              _("Their account is deleted and they can no longer "
                                                "sign in. Shifts and payments they handled stay "
                                                "in the reports."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "park-user-id", g_strdup (park_user_get_id (user)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
staff_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  ParkOperatorPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) staff = park_client_list_staff_finish (PARK_CLIENT (source), result, &error);
  const char *me;

  /* Cancelled: the page may be gone; nothing of it is touched before this. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  me = park_client_get_account (self->client);
  self->n_staff_loads++;
  for (guint i = 0; i < self->staff_rows->len; i++)
    adw_preferences_group_remove (self->staff_group, g_ptr_array_index (self->staff_rows, i));
  g_ptr_array_set_size (self->staff_rows, 0);
  if (staff == NULL)
    {
      g_autofree char *text = park_describe_error (error);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      adw_preferences_group_add (self->staff_group, row);
      g_ptr_array_add (self->staff_rows, row);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (staff); i++)
    {
      g_autoptr(ParkUser) user = g_list_model_get_item (staff, i);
      g_autofree char *name = user_name (user);
      g_autofree char *a11y = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *role = gtk_drop_down_new_from_strings ((const char *[]) {
        _("Attendant"), _("Operator"), NULL });
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      gboolean self_row = g_strcmp0 (me, park_user_get_email (user)) == 0;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), park_user_get_email (user));
      gtk_drop_down_set_selected (GTK_DROP_DOWN (role),
                                  park_user_get_role (user) == PARK_USER_ROLE_OPERATOR ? 1 : 0);
      gtk_widget_set_valign (role, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      a11y = g_strdup_printf (_("Role of %s"), name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (role), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
      g_free (a11y);
      a11y = g_strdup_printf (_("Remove %s"), name);
      gtk_widget_set_tooltip_text (remove, a11y);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
      g_object_set_data_full (G_OBJECT (role), "park-user", g_object_ref (user), g_object_unref);
      g_object_set_data_full (G_OBJECT (remove), "park-user", g_object_ref (user), g_object_unref);
      g_object_set_data_full (G_OBJECT (row), "park-user", g_object_ref (user), g_object_unref);
      /* One cannot demote or remove oneself here: another operator does that. */
      gtk_widget_set_sensitive (role, !self_row && park_user_get_role (user) != PARK_USER_ROLE_ADMIN);
      gtk_widget_set_sensitive (remove, !self_row && park_user_get_role (user) != PARK_USER_ROLE_ADMIN);
      g_signal_connect (role, "notify::selected", G_CALLBACK (role_changed_cb), self);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
      if (park_user_get_disabled (user))
        {
          GtkWidget *label = gtk_label_new (C_("staff account", "Disabled"));

          gtk_widget_add_css_class (label, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), role);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (self->staff_group, row);
      g_ptr_array_add (self->staff_rows, row);
    }
}

static void
load_staff (ParkOperatorPage *self)
{
  park_client_list_staff_async (self->client, NULL, self->cancellable, staff_cb, self);
}

static void
staff_added_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ParkOperatorPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkUser) user = park_client_create_staff_finish (PARK_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The page is there (not cancelled): its rows may be named now. */
  {
    FieldRow fields[] = {
      { "email", self->staff_email_row, _("E-mail address"), NULL },
      { "password", self->staff_password_row, _("First password"),
        _("Use at least 10 characters, not a common password.") },
      { "first_name", self->staff_first_row, _("First name"), NULL },
      { "last_name", self->staff_last_row, _("Last name"), NULL },
      { "role", GTK_WIDGET (self->staff_role_row), _("Role"), NULL },
    };

    if (user == NULL)
      {
        if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT) &&
            park_client_error_get_field (error) == NULL)
          {
            set_row_error (self->staff_email_row, TRUE);
            park_show_form_error (self->staff_error, _("E-mail address: an account with this address exists already"));
          }
        else if (!report_field_error (self, self->staff_error, fields, G_N_ELEMENTS (fields), error))
          {
            g_autofree char *text = park_describe_error (error);

            park_show_form_error (self->staff_error, text);
          }
        return;
      }
    park_show_form_error (self->staff_error, NULL);
    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      set_row_error (fields[i].row, FALSE);
    set_entry_text (self->staff_email_row, "");
    set_entry_text (self->staff_first_row, "");
    set_entry_text (self->staff_last_row, "");
    set_entry_text (self->staff_password_row, "");
    {
      g_autofree char *name = user_name (user);
      g_autofree char *text = g_strdup_printf (_("%s can sign in now"), name);

      toast (self, text);
    }
    load_staff (self);
  }
}

static void
add_staff_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  ParkOperatorPage *self = PARK_OPERATOR_PAGE (widget);
  const char *first = entry_text (self->staff_first_row);
  const char *last = entry_text (self->staff_last_row);

  park_client_create_staff_async (self->client, entry_text (self->staff_email_row),
                                  entry_text (self->staff_password_row),
                                  adw_combo_row_get_selected (self->staff_role_row) == 1
                                  ? PARK_USER_ROLE_OPERATOR : PARK_USER_ROLE_ATTENDANT,
                                  *first != '\0' ? first : NULL, *last != '\0' ? last : NULL,
                                  NULL, self->cancellable, staff_added_cb, self);
}

/* Dashboard */

typedef struct
{
  ParkOperatorPage    *self;
  guint                pending;
  guint                days;
  GDateTime           *from;
  char                *time_zone;
  ParkOccupancyReport *occupancy;
  ParkRevenueSeries   *revenue;
  ParkStaysReport     *stays;
  GError              *error;
} DashLoad;

static void
dash_load_free (DashLoad *load)
{
  g_date_time_unref (load->from);
  g_free (load->time_zone);
  g_clear_object (&load->occupancy);
  g_clear_object (&load->revenue);
  g_clear_object (&load->stays);
  g_clear_error (&load->error);
  g_free (load);
}

static void
grid_cell (GtkGrid    *grid,
           const char *text,
           int         column,
           int         row,
           gboolean    header)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0.0 : 1.0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  if (header)
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (grid, label, column, row, 1, 1);
}

static void
grid_clear (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

/* A length of stay in minutes, or a dash when there was none (-1). */
static char *
format_stay_minutes (double minutes)
{
  if (minutes < 0)
    return g_strdup (C_("stay", "—"));
  return park_format_duration ((guint) MIN (round (minutes), G_MAXUINT));
}

/* The stays that ended in the period, at the lot whose occupancy is shown: how many (walk-ins
 * and bookings), how long, and how many cars each spot took. */
static void
show_stays (ParkOperatorPage *self,
            DashLoad         *load)
{
  ParkStaysReport *stays = load->stays;
  g_autofree char *title = NULL;

  grid_clear (self->stays_table);
  if (self->dash_lot_name != NULL)
    title = g_strdup_printf (_("Stays at %s"), self->dash_lot_name);
  gtk_label_set_label (self->stays_title, title != NULL ? title : _("Stays"));
  if (stays == NULL)
    return;
  {
    g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, park_stays_report_get_stays (stays));
    g_autofree char *walk_ins = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 park_stays_report_get_walk_ins (stays));
    g_autofree char *bookings = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 park_stays_report_get_reservations (stays));
    g_autofree char *average = format_stay_minutes (park_stays_report_get_average_minutes (stays));
    g_autofree char *median = format_stay_minutes (park_stays_report_get_median_minutes (stays));
    /* Translators: the dashboard's turnover: stays in the period over the lot's spots */
    g_autofree char *turnover = g_strdup_printf (_("%.2f per spot"),
                                                 park_stays_report_get_turnover_per_spot (stays));
    const char *rows[][2] = {
      /* Translators: the dashboard's stays: cars that came and left in the period */
      { _("Stays ended"), count },
      { _("Walk-ins"), walk_ins },
      { _("Bookings"), bookings },
      { _("Average stay"), average },
      { _("Median stay"), median },
      { _("Turnover"), turnover },
    };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      {
        grid_cell (self->stays_table, rows[i][0], 0, i, FALSE);
        grid_cell (self->stays_table, rows[i][1], 1, i, FALSE);
      }
  }
}

#define N_SPOT_TYPES (PARK_SPOT_TYPE_MOTORCYCLE + 1)

/* A step's occupancy of one spot type, or -1 when the lot had none of them. */
static double
step_type_share (ParkOccupancyStep *step,
                 ParkSpotType       type)
{
  switch (type)
    {
    case PARK_SPOT_TYPE_REGULAR:
      return park_occupancy_step_get_regular (step);
    case PARK_SPOT_TYPE_DISABLED:
      return park_occupancy_step_get_disabled (step);
    case PARK_SPOT_TYPE_EV:
      return park_occupancy_step_get_ev (step);
    case PARK_SPOT_TYPE_COMPACT:
      return park_occupancy_step_get_compact (step);
    case PARK_SPOT_TYPE_MOTORCYCLE:
      return park_occupancy_step_get_motorcycle (step);
    case PARK_SPOT_TYPE_ANY:
    default:
      return park_occupancy_step_get_occupancy (step);
    }
}

static void
show_dashboard (DashLoad *load)
{
  ParkOperatorPage *self = load->self;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (load->time_zone);
  const char *currency = load->revenue != NULL ? park_revenue_series_get_currency (load->revenue) : "EUR";
  g_autofree double *day_occ = g_new0 (double, load->days);
  g_autofree double *day_weight = g_new0 (double, load->days);
  g_autofree double *day_net = g_new0 (double, load->days);
  g_autofree gint64 *day_payments = g_new0 (gint64, load->days);
  g_autoptr(GPtrArray) day_keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) day_labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) occ_values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) occ_labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  double max_net = 0, total_occ = 0, total_weight = 0;
  double type_occ[N_SPOT_TYPES] = { 0 }, type_weight[N_SPOT_TYPES] = { 0 };
  gint64 total_net = 0;
  int type_rows = 0;

  if (tz == NULL)
    tz = g_time_zone_new_local ();
  for (guint d = 0; d < load->days; d++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (load->from, d);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (day, tz);

      g_ptr_array_add (day_keys, g_date_time_format (local, "%Y-%m-%d"));
      /* Translators: a day in the dashboard's table and chart, as strftime: "Mon 30 Nov" */
      g_ptr_array_add (day_labels, g_date_time_format (local, load->days > 7 ? _("%d %b") : _("%a %d %b")));
    }

  if (load->occupancy != NULL)
    {
      GListModel *steps = park_occupancy_report_get_steps (load->occupancy);

      for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
        {
          g_autoptr(ParkOccupancyStep) step = g_list_model_get_item (steps, i);
          GDateTime *start = park_occupancy_step_get_start (step);
          g_autoptr(GDateTime) local = g_date_time_to_timezone (start, tz);
          g_autofree char *key = g_date_time_format (local, "%Y-%m-%d");
          double occ = park_occupancy_step_get_occupancy (step);
          double w = park_occupancy_step_get_measured_seconds (step);
          guint d;

          if (g_date_time_compare (start, now) > 0)
            break;
          if (w <= 0)
            occ = NAN;   /* not measured: a gap in the line, not a zero */
          g_array_append_val (occ_values, occ);
          g_ptr_array_add (occ_labels, g_date_time_get_hour (local) == 0
                                       ? g_date_time_format (local, _("%d %b")) : g_strdup (""));
          if (w <= 0)
            continue;
          for (d = 0; d < load->days && !g_str_equal (g_ptr_array_index (day_keys, d), key); d++)
            ;
          if (d < load->days)
            {
              day_occ[d] += occ * w;
              day_weight[d] += w;
            }
          total_occ += occ * w;
          total_weight += w;
          for (ParkSpotType t = PARK_SPOT_TYPE_REGULAR; t < N_SPOT_TYPES; t++)
            {
              double share = step_type_share (step, t);

              if (share >= 0)
                {
                  type_occ[t] += share * w;
                  type_weight[t] += w;
                }
            }
        }
    }
  if (load->revenue != NULL)
    {
      GListModel *rows = park_revenue_series_get_rows (load->revenue);

      for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
        {
          g_autoptr(ParkRevenueRow) row = g_list_model_get_item (rows, i);

          for (guint d = 0; d < load->days; d++)
            if (g_strcmp0 (g_ptr_array_index (day_keys, d), park_revenue_row_get_date (row)) == 0)
              {
                day_net[d] += park_revenue_row_get_net (row);
                day_payments[d] += park_revenue_row_get_payments (row);
              }
        }
      total_net = park_revenue_series_get_net (load->revenue);
    }
  for (guint d = 0; d < load->days; d++)
    max_net = MAX (max_net, day_net[d]);

  /* The charts: occupancy against 100 %, revenue against a round maximum. */
  {
    double top = max_net > 0 ? pow (10, ceil (log10 (max_net))) : 100;
    g_autofree char *top_text = NULL;
    g_autofree char *occ_summary = NULL;
    g_autofree char *rev_summary = NULL;

    while (top / 2 >= max_net && top > 100)
      top /= 2;
    top_text = park_format_money ((gint64) top, currency);
    park_chart_set_values (PARK_CHART (self->occupancy_chart), (double *) occ_values->data,
                           (const char **) occ_labels->pdata, occ_values->len, 1.0, "100 %");
    park_chart_set_values (PARK_CHART (self->revenue_chart), day_net,
                           (const char **) day_labels->pdata, load->days, top, top_text);
    occ_summary = g_strdup_printf (_("Occupancy chart: average %.0f %% over the period; the "
                                     "numbers are in the table below"),
                                   total_weight > 0 ? 100 * total_occ / total_weight : 0.0);
    rev_summary = g_strdup_printf (_("Revenue per day chart: highest day %s; the numbers are in "
                                     "the table below"), top_text);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->occupancy_chart),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, occ_summary, -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->revenue_chart),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, rev_summary, -1);
  }
  if (load->occupancy != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Occupancy of %s"),
                                                park_occupancy_report_get_lot_name (load->occupancy));

      gtk_label_set_label (self->occupancy_title, title);
    }

  /* The same numbers as a table, newest day first. */
  grid_clear (self->dash_table);
  grid_cell (self->dash_table, _("Day"), 0, 0, TRUE);
  grid_cell (self->dash_table, _("Average occupancy"), 1, 0, TRUE);
  grid_cell (self->dash_table, _("Payments"), 2, 0, TRUE);
  grid_cell (self->dash_table, _("Revenue"), 3, 0, TRUE);
  for (guint d = 0; d < load->days; d++)
    {
      guint i = load->days - 1 - d;
      g_autofree char *occ = day_weight[i] > 0 ? g_strdup_printf ("%.0f %%", 100 * day_occ[i] / day_weight[i])
                                               : g_strdup (C_("occupancy", "—"));
      g_autofree char *payments = g_strdup_printf ("%" G_GINT64_FORMAT, day_payments[i]);
      g_autofree char *net = park_format_money ((gint64) day_net[i], currency);

      grid_cell (self->dash_table, g_ptr_array_index (day_labels, i), 0, d + 1, FALSE);
      grid_cell (self->dash_table, occ, 1, d + 1, FALSE);
      grid_cell (self->dash_table, payments, 2, d + 1, FALSE);
      grid_cell (self->dash_table, net, 3, d + 1, FALSE);
    }
  {
    g_autofree char *net = park_format_money (total_net, currency);
    /* Translators: the dashboard's summary: revenue over the period, average occupancy */
    g_autofree char *summary = g_strdup_printf (_("Revenue %s · Average occupancy %.0f %%"), net,
                                                total_weight > 0 ? 100 * total_occ / total_weight : 0.0);

    gtk_label_set_label (self->dash_summary, summary);
  }
  show_stays (self, load);

  /* Each type of spot the lot has, over the same steps: are the chargers the first full? */
  grid_clear (self->types_table);
  for (ParkSpotType t = PARK_SPOT_TYPE_REGULAR; t < N_SPOT_TYPES; t++)
    if (type_weight[t] > 0)
      {
        g_autofree char *share = g_strdup_printf ("%.0f %%", 100 * type_occ[t] / type_weight[t]);

        grid_cell (self->types_table, park_format_spot_type (t), 0, type_rows, FALSE);
        grid_cell (self->types_table, share, 1, type_rows++, FALSE);
      }
}

static void
dash_part_done (DashLoad *load)
{
  ParkOperatorPage *self = load->self;

  if (--load->pending > 0)
    return;
  if (!g_error_matches (load->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->n_dash_loads++;
      if (load->error != NULL)
        {
          g_autofree char *text = park_describe_error (load->error);

          park_show_form_error (self->dash_error, text);
        }
      else
        park_show_form_error (self->dash_error, NULL);
      show_dashboard (load);
    }
  dash_load_free (load);
}

static void
occupancy_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  DashLoad *load = user_data;
  g_autoptr(GError) error = NULL;

  load->occupancy = park_client_get_occupancy_finish (PARK_CLIENT (source), result, &error);
  if (load->occupancy == NULL && load->error == NULL)
    load->error = g_steal_pointer (&error);
  dash_part_done (load);
}

static void
revenue_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  DashLoad *load = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) series = park_client_get_revenue_finish (PARK_CLIENT (source), result, &error);

  if (series == NULL && load->error == NULL)
    load->error = g_steal_pointer (&error);
  if (series != NULL && g_list_model_get_n_items (series) > 0)
    load->revenue = g_list_model_get_item (series, 0);
  dash_part_done (load);
}

static void
stays_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  DashLoad *load = user_data;
  g_autoptr(GError) error = NULL;

  load->stays = park_client_get_stays_report_finish (PARK_CLIENT (source), result, &error);
  if (load->stays == NULL && load->error == NULL)
    load->error = g_steal_pointer (&error);
  dash_part_done (load);
}

static void
load_dashboard (ParkOperatorPage *self)
{
  DashLoad *load;
  guint days = gtk_drop_down_get_selected (self->period_dropdown) == 1 ? 30 : 7;
  guint lot_index = gtk_drop_down_get_selected (self->dash_lot_dropdown);
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) to = NULL;
  ParkLot *first = NULL;

  g_cancellable_cancel (self->dash_cancellable);
  g_clear_object (&self->dash_cancellable);
  self->dash_cancellable = g_cancellable_new ();

  load = g_new0 (DashLoad, 1);
  load->self = self;
  load->days = days;
  if (g_list_model_get_n_items (G_LIST_MODEL (self->lots)) > 0)
    first = g_list_model_get_item (G_LIST_MODEL (self->lots), MIN (lot_index, g_list_model_get_n_items (G_LIST_MODEL (self->lots)) - 1));
  load->time_zone = g_strdup (first != NULL && park_lot_get_time_zone (first) != NULL
                              ? park_lot_get_time_zone (first) : "UTC");
  tz = g_time_zone_new_identifier (load->time_zone);
  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  /* Whole days in the lots' time zone, today last. */
  now = g_date_time_new_now (tz);
  midnight = g_date_time_new (tz, g_date_time_get_year (now), g_date_time_get_month (now),
                              g_date_time_get_day_of_month (now), 0, 0, 0);
  load->from = g_date_time_add_days (midnight, -(int) (days - 1));
  to = g_date_time_add_days (midnight, 1);

  g_clear_pointer (&self->dash_from, g_date_time_unref);
  g_clear_pointer (&self->dash_to, g_date_time_unref);
  g_clear_pointer (&self->dash_lot_id, g_free);
  g_clear_pointer (&self->dash_lot_name, g_free);
  self->dash_from = g_date_time_ref (load->from);
  self->dash_to = g_date_time_ref (to);
  self->dash_days = days;
  if (first != NULL && lot_index < self->dash_lot_ids->len)
    {
      self->dash_lot_id = g_strdup (g_ptr_array_index (self->dash_lot_ids, lot_index));
      self->dash_lot_name = g_strdup (park_lot_get_name (first));
    }

  load->pending = 1;
  park_client_get_revenue_async (self->client, load->from, to, PARK_REVENUE_GROUP_DAY, NULL,
                                 self->dash_cancellable, revenue_cb, load);
  if (first != NULL && lot_index < self->dash_lot_ids->len)
    {
      load->pending++;
      park_client_get_occupancy_async (self->client, g_ptr_array_index (self->dash_lot_ids, lot_index),
                                       load->from, to, days > 7 ? "6h" : "1h", NULL,
                                       self->dash_cancellable, occupancy_cb, load);
      load->pending++;
      park_client_get_stays_report_async (self->client, g_ptr_array_index (self->dash_lot_ids, lot_index),
                                          load->from, to, NULL, self->dash_cancellable, stays_cb,
                                          load);
    }
  g_clear_object (&first);
}

static void
dash_changed_cb (ParkOperatorPage *self)
{
  if (self->client != NULL)
    load_dashboard (self);
}

/* The dashboard's figures as CSV files */

typedef struct
{
  ParkOperatorPage *self;
  GFile            *file;
} Export;

static void
export_free (Export *export)
{
  g_object_unref (export->self);
  g_object_unref (export->file);
  g_free (export);
}

static void
export_done (Export       *export,
             const GError *error)
{
  ParkOperatorPage *self = export->self;

  self->n_exports++;
  if (error != NULL)
    {
      g_autofree char *reason = park_describe_error (error);
      /* Translators: the dashboard's CSV file could not be made; then the reason */
      g_autofree char *text = g_strdup_printf (_("The file was not saved: %s"), reason);

      park_show_form_error (self->dash_error, text);
    }
  else
    {
      g_autofree char *name = g_file_get_basename (export->file);
      /* Translators: the dashboard's CSV file was saved; its name */
      g_autofree char *text = g_strdup_printf (_("Saved “%s”"), name);

      park_show_form_error (self->dash_error, NULL);
      toast (self, text);
    }
}

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Export *export = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      export_free (export);
      return;
    }
  export_done (export, error);
  export_free (export);
}

static void
export_fetched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Export *export = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csv = park_client_get_analytics_csv_finish (PARK_CLIENT (source), result,
                                                                &error);

  if (csv == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        export_done (export, error);
      export_free (export);
      return;
    }
  /* Written aside and moved into place: a file that was there is whole, old or new. */
  g_file_replace_contents_bytes_async (export->file, csv, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION,
                                       export->self->cancellable, export_written_cb, export);
}

/**
 * park_operator_page_export_csv:
 * @self: a #ParkOperatorPage
 * @report: which figures
 * @file: where to write them
 *
 * Saves the figures of the dashboard's lot and period as a CSV file (the server's: a header
 * line, UTF-8), replacing @file. The revenue is the operator's, per day.
 */
void
park_operator_page_export_csv (ParkOperatorPage    *self,
                               ParkAnalyticsReport  report,
                               GFile               *file)
{
  Export *export;

  g_return_if_fail (PARK_IS_OPERATOR_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->client == NULL || self->dash_from == NULL ||
      (report == PARK_ANALYTICS_REPORT_OCCUPANCY && self->dash_lot_id == NULL))
    {
      park_show_form_error (self->dash_error, _("There is nothing to save yet: the dashboard "
                                                "has no lot to show."));
      self->n_exports++;
      return;
    }
  export = g_new0 (Export, 1);
  export->self = g_object_ref (self);
  export->file = g_object_ref (file);
  park_client_get_analytics_csv_async (self->client, report,
                                       report == PARK_ANALYTICS_REPORT_REVENUE ? NULL
                                                                               : self->dash_lot_id,
                                       self->dash_from, self->dash_to,
                                       self->dash_days > 7 ? "6h" : "1h",
                                       PARK_REVENUE_GROUP_DAY, NULL, self->cancellable,
                                       export_fetched_cb, export);
}

static void
export_chooser_response_cb (GtkNativeDialog  *chooser,
                            int               response,
                            ParkOperatorPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      park_operator_page_export_csv (self, self->export_report, file);
    }
  g_clear_object (&self->export_chooser);
}

/* A file name for the figures: what they are, of which lot, over which days. */
static char *
export_file_name (ParkOperatorPage    *self,
                  ParkAnalyticsReport  report)
{
  g_autoptr(GDateTime) last = g_date_time_add_days (self->dash_to, -1);
  g_autofree char *from = g_date_time_format (self->dash_from, "%Y-%m-%d");
  g_autofree char *to = g_date_time_format (last, "%Y-%m-%d");
  g_autofree char *lot = g_strdup (self->dash_lot_name != NULL ? self->dash_lot_name : "");
  char *name;

  g_strdelimit (lot, "/\\:", '-');
  switch (report)
    {
    case PARK_ANALYTICS_REPORT_OCCUPANCY:
      /* Translators: a CSV file's name: the lot, then the first and the last day */
      name = g_strdup_printf (_("Occupancy %s %s to %s.csv"), lot, from, to);
      break;
    case PARK_ANALYTICS_REPORT_REVENUE:
      /* Translators: a CSV file's name: the first and the last day */
      name = g_strdup_printf (_("Revenue %s to %s.csv"), from, to);
      break;
    case PARK_ANALYTICS_REPORT_STAYS:
    default:
      /* Translators: a CSV file's name: the lot, then the first and the last day */
      name = g_strdup_printf (_("Stays %s %s to %s.csv"), lot, from, to);
      break;
    }
  return name;
}

static void
export_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  ParkOperatorPage *self = PARK_OPERATOR_PAGE (widget);
  const char *nick = g_variant_get_string (param, NULL);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (self->export_chooser != NULL || self->dash_from == NULL)
    return;
  if (g_str_equal (nick, "occupancy"))
    self->export_report = PARK_ANALYTICS_REPORT_OCCUPANCY;
  else if (g_str_equal (nick, "revenue"))
    self->export_report = PARK_ANALYTICS_REPORT_REVENUE;
  else
    self->export_report = PARK_ANALYTICS_REPORT_STAYS;
  self->export_chooser = gtk_file_chooser_native_new (_("Save as CSV"),
                                                      GTK_WINDOW (gtk_widget_get_root (widget)),
                                                      GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                                      NULL);
  name = export_file_name (self, self->export_report);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->export_chooser), name);
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->export_chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->export_chooser), TRUE);
  g_signal_connect (self->export_chooser, "response", G_CALLBACK (export_chooser_response_cb),
                    self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->export_chooser));
}

/* Public */

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  park_operator_page_reload (PARK_OPERATOR_PAGE (widget));
}

void
park_operator_page_set_client (ParkOperatorPage *self,
                               ParkClient       *client)
{
  g_return_if_fail (PARK_IS_OPERATOR_PAGE (self));
  g_set_object (&self->client, client);
  park_discounts_page_set_client (self->discounts_page, client);
  park_device_keys_page_set_client (PARK_DEVICE_KEYS_PAGE (self->sensors_page), client);
  park_device_keys_page_set_client (PARK_DEVICE_KEYS_PAGE (self->kiosks_page), client);
  park_audit_page_set_client (self->audit_page, client);
}

void
park_operator_page_reload (ParkOperatorPage *self)
{
  g_return_if_fail (PARK_IS_OPERATOR_PAGE (self));
  if (self->client == NULL)
    return;
  load_lots (self);
  load_staff (self);
  load_dashboard (self);
  park_discounts_page_reload (self->discounts_page);
  park_device_keys_page_reload (PARK_DEVICE_KEYS_PAGE (self->sensors_page));
  park_device_keys_page_reload (PARK_DEVICE_KEYS_PAGE (self->kiosks_page));
  park_audit_page_reload (self->audit_page);
  if (self->lot != NULL)
    {
      load_spots (self);
      load_pricing (self);
    }
}

void
park_operator_page_show_tab (ParkOperatorPage *self,
                             const char       *tab)
{
  g_return_if_fail (PARK_IS_OPERATOR_PAGE (self));
  if (g_str_equal (tab, "spots") || g_str_equal (tab, "pricing") || g_str_equal (tab, "details"))
    {
      adw_view_stack_set_visible_child_name (self->stack, "lots");
      gtk_stack_set_visible_child_name (self->lot_tabs, tab);
    }
  else
    adw_view_stack_set_visible_child_name (self->stack, tab);
}

GListModel *
park_operator_page_get_lots (ParkOperatorPage *self)
{
  return G_LIST_MODEL (self->lots);
}

gboolean
park_operator_page_select_lot (ParkOperatorPage *self,
                               const char       *lot_id)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->lots_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      ParkLot *lot = g_object_get_data (G_OBJECT (row), "park-lot");

      if (lot != NULL && g_str_equal (park_lot_get_id (lot), lot_id))
        {
          gtk_list_box_select_row (self->lots_list, GTK_LIST_BOX_ROW (row));
          return TRUE;
        }
    }
  return FALSE;
}

ParkLot *
park_operator_page_get_lot (ParkOperatorPage *self)
{
  return self->lot;
}

GtkWidget *
park_operator_page_get_field (ParkOperatorPage *self,
                              const char       *field)
{
  struct { const char *name; GtkWidget *row; } map[] = {
    { "name", self->name_row }, { "address", self->address_row }, { "city", self->city_row },
    { "latitude", self->latitude_row }, { "longitude", self->longitude_row },
    { "hourly_rate", self->rate_row }, { "spots", self->spots_row }, { "levels", self->levels_row },
    { "hours.mon", self->hours_rows[0] }, { "hours.tue", self->hours_rows[1] },
    { "hours.wed", self->hours_rows[2] }, { "hours.thu", self->hours_rows[3] },
    { "hours.fri", self->hours_rows[4] }, { "hours.sat", self->hours_rows[5] },
    { "hours.sun", self->hours_rows[6] }, { "amenities", self->amenities_row },
    { "lot_type", GTK_WIDGET (self->type_row) }, { "status", GTK_WIDGET (self->status_row) },
    { "daily_max", self->daily_max_row }, { "increment_minutes", self->increment_row },
    { "grace_minutes", self->grace_row }, { "exit_grace_minutes", self->exit_grace_row },
    { "lost_ticket_fee", self->lost_ticket_row }, { "hold_minutes", self->hold_row },
    { "rates.regular", self->rate_rows[PARK_SPOT_TYPE_REGULAR] },
    { "staff_email", self->staff_email_row }, { "staff_first_name", self->staff_first_row },
    { "staff_last_name", self->staff_last_row }, { "staff_password", self->staff_password_row },
    { "staff_role", GTK_WIDGET (self->staff_role_row) },
    { "period", GTK_WIDGET (self->period_dropdown) },
    { "dash_lot", GTK_WIDGET (self->dash_lot_dropdown) },
    { "stays_title", GTK_WIDGET (self->stays_title) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (map[i].name, field))
      return map[i].row;
  g_return_val_if_reached (NULL);
}

const char *
park_operator_page_get_error (ParkOperatorPage *self,
                              const char       *form)
{
  GtkLabel *label = g_str_equal (form, "details") ? self->details_error
                    : g_str_equal (form, "pricing") ? self->pricing_error
                    : g_str_equal (form, "staff") ? self->staff_error : self->dash_error;

  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_label (label) : NULL;
}

guint
park_operator_page_get_count (ParkOperatorPage *self,
                              const char       *what)
{
  if (g_str_equal (what, "lots-loads"))
    return self->n_lots_loads;
  if (g_str_equal (what, "spots-loads"))
    return self->n_spots_loads;
  if (g_str_equal (what, "pricing-loads"))
    return self->n_pricing_loads;
  if (g_str_equal (what, "pricing-saves"))
    return self->n_pricing_saves;
  if (g_str_equal (what, "staff-loads"))
    return self->n_staff_loads;
  if (g_str_equal (what, "staff"))
    return self->staff_rows->len;
  if (g_str_equal (what, "dashboard-loads"))
    return self->n_dash_loads;
  if (g_str_equal (what, "imports"))
    return self->n_imports;
  if (g_str_equal (what, "exports"))
    return self->n_exports;
  if (g_str_equal (what, "chart-values"))
    return park_chart_get_n_values (PARK_CHART (self->revenue_chart));
  g_return_val_if_reached (0);
}

GtkWidget *
park_operator_page_get_spot_row (ParkOperatorPage *self,
                                 const char       *spot_id)
{
  return g_hash_table_lookup (self->spot_rows, spot_id);
}

ParkDiscountsPage *
park_operator_page_get_discounts_page (ParkOperatorPage *self)
{
  return self->discounts_page;
}

ParkSensorsPage *
park_operator_page_get_sensors_page (ParkOperatorPage *self)
{
  return self->sensors_page;
}

ParkKiosksPage *
park_operator_page_get_kiosks_page (ParkOperatorPage *self)
{
  g_return_val_if_fail (PARK_IS_OPERATOR_PAGE (self), NULL);
  return self->kiosks_page;
}

ParkPricingRules *
park_operator_page_get_pricing_rules (ParkOperatorPage *self)
{
  return self->pricing_rules;
}

ParkAuditPage *
park_operator_page_get_audit_page (ParkOperatorPage *self)
{
  return self->audit_page;
}

/* A grid of labels as text: a line per row, its cells apart by tabs. */
static char *
grid_text (GtkGrid *grid)
{
  GString *text = g_string_new (NULL);
  int rows = 0, columns = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (grid)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      int column, row;

      gtk_grid_query_child (grid, c, &column, &row, NULL, NULL);
      rows = MAX (rows, row + 1);
      columns = MAX (columns, column + 1);
    }
  for (int r = 0; r < rows; r++)
    {
      for (int c = 0; c < columns; c++)
        {
          GtkWidget *cell = gtk_grid_get_child_at (grid, c, r);

          g_string_append (text, cell != NULL ? gtk_label_get_label (GTK_LABEL (cell)) : "");
          g_string_append_c (text, c < columns - 1 ? '\t' : '\n');
        }
    }
  return g_string_free (text, FALSE);
}

char *
park_operator_page_dup_table_text (ParkOperatorPage *self)
{
  return grid_text (self->dash_table);
}

char *
park_operator_page_dup_stays_text (ParkOperatorPage *self)
{
  return grid_text (self->stays_table);
}

char *
park_operator_page_dup_types_text (ParkOperatorPage *self)
{
  return grid_text (self->types_table);
}

/* GObject */

static void
park_operator_page_dispose (GObject *object)
{
  ParkOperatorPage *self = PARK_OPERATOR_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->lot_cancellable);
  g_cancellable_cancel (self->dash_cancellable);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->export_chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->export_chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_chooser));
      g_clear_object (&self->export_chooser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), PARK_TYPE_OPERATOR_PAGE);
  G_OBJECT_CLASS (park_operator_page_parent_class)->dispose (object);
}

static void
park_operator_page_finalize (GObject *object)
{
  ParkOperatorPage *self = PARK_OPERATOR_PAGE (object);

  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->lot_cancellable);
  g_clear_object (&self->dash_cancellable);
  g_clear_object (&self->lots);
  g_clear_object (&self->lot);
  g_clear_object (&self->pricing);
  g_free (self->want_lot);
  g_hash_table_unref (self->spot_rows);
  g_ptr_array_unref (self->staff_rows);
  g_ptr_array_unref (self->dash_lot_ids);
  g_clear_pointer (&self->dash_from, g_date_time_unref);
  g_clear_pointer (&self->dash_to, g_date_time_unref);
  g_free (self->dash_lot_id);
  g_free (self->dash_lot_name);
  G_OBJECT_CLASS (park_operator_page_parent_class)->finalize (object);
}

static void
park_operator_page_class_init (ParkOperatorPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = park_operator_page_dispose;
  object_class->finalize = park_operator_page_finalize;

  g_type_ensure (PARK_TYPE_DISCOUNTS_PAGE);
  g_type_ensure (PARK_TYPE_SENSORS_PAGE);
  g_type_ensure (PARK_TYPE_KIOSKS_PAGE);
  g_type_ensure (PARK_TYPE_AUDIT_PAGE);
  g_type_ensure (PARK_TYPE_PRICING_RULES);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/parkade/Parkade/ui/park-operator-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, toasts);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, stack);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, lots_stack);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, lots_list);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, lot_stack);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, lot_title);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, lot_switcher);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, lot_tabs);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, city_row);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, latitude_row);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, longitude_row);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, type_row);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, rate_row);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, spots_row);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, levels_row);
  gtk_widget_class_bind_template_child_full (widget_class, "hours_mon_row", FALSE,
                                             G_STRUCT_OFFSET (ParkOperatorPage, hours_rows[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "hours_tue_row", FALSE,
                                             G_STRUCT_OFFSET (ParkOperatorPage, hours_rows[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "hours_wed_row", FALSE,
                                             G_STRUCT_OFFSET (ParkOperatorPage, hours_rows[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "hours_thu_row", FALSE,
                                             G_STRUCT_OFFSET (ParkOperatorPage, hours_rows[3]));
  gtk_widget_class_bind_template_child_full (widget_class, "hours_fri_row", FALSE,
                                             G_STRUCT_OFFSET (ParkOperatorPage, hours_rows[4]));
  gtk_widget_class_bind_template_child_full (widget_class, "hours_sat_row", FALSE,
                                             G_STRUCT_OFFSET (ParkOperatorPage, hours_rows[5]));
  gtk_widget_class_bind_template_child_full (widget_class, "hours_sun_row", FALSE,
                                             G_STRUCT_OFFSET (ParkOperatorPage, hours_rows[6]));
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, amenities_row);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, details_error);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, delete_lot_button);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, save_lot_button);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, spots_box);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, rates_group);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, limits_group);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, pricing_error);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, staff_group);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, staff_email_row);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, staff_first_row);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, staff_last_row);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, staff_password_row);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, staff_role_row);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, staff_error);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, dash_lot_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, dash_summary);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, stays_title);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, stays_table);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, types_table);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, dash_error);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, occupancy_frame);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, revenue_frame);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, occupancy_title);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, dash_table);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, discounts_page);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, sensors_page);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, kiosks_page);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, audit_page);
  gtk_widget_class_bind_template_child (widget_class, ParkOperatorPage, pricing_rules);

  gtk_widget_class_install_action (widget_class, "operator.new-lot", NULL, new_lot_action);
  gtk_widget_class_install_action (widget_class, "operator.save-lot", NULL, save_lot_action);
  gtk_widget_class_install_action (widget_class, "operator.delete-lot", NULL, delete_lot_action);
  gtk_widget_class_install_action (widget_class, "operator.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "operator.export-csv", "s", export_csv_action);
  gtk_widget_class_install_action (widget_class, "operator.save-pricing", NULL, save_pricing_action);
  gtk_widget_class_install_action (widget_class, "operator.add-staff", NULL, add_staff_action);
  gtk_widget_class_install_action (widget_class, "operator.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "operator.new-lot", NULL);
  gtk_widget_class_install_action (widget_class, "operator.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "operator.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "operator.import", NULL);
}

static void
park_operator_page_init (ParkOperatorPage *self)
{
  static const struct { const char *title; gsize offset; } limits[] = {
    { N_("Daily maximum (empty for none)"), G_STRUCT_OFFSET (ParkOperatorPage, daily_max_row) },
    { N_("Billing step in minutes"), G_STRUCT_OFFSET (ParkOperatorPage, increment_row) },
    { N_("Free minutes after entry"), G_STRUCT_OFFSET (ParkOperatorPage, grace_row) },
    { N_("Minutes to leave after paying"), G_STRUCT_OFFSET (ParkOperatorPage, exit_grace_row) },
    { N_("Lost-ticket fee"), G_STRUCT_OFFSET (ParkOperatorPage, lost_ticket_row) },
    { N_("Minutes an unpaid booking is held"), G_STRUCT_OFFSET (ParkOperatorPage, hold_row) },
  };
  GtkWidget *chart_box;

  gtk_widget_init_template (GTK_WIDGET (self));
  set_pricing_ready (self, FALSE);
  self->cancellable = g_cancellable_new ();
  self->lot_cancellable = g_cancellable_new ();
  self->dash_cancellable = g_cancellable_new ();
  self->lots = g_list_store_new (PARK_TYPE_LOT);
  self->spot_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->staff_rows = g_ptr_array_new ();
  self->dash_lot_ids = g_ptr_array_new_with_free_func (g_free);

  for (int t = 0; t < PARK_N_SPOT_TYPES; t++)
    self->rate_rows[t] = add_entry_row (self->rates_group, park_format_spot_type (t));
  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    G_STRUCT_MEMBER (GtkWidget *, self, limits[i].offset) =
      add_entry_row (self->limits_group, _(limits[i].title));

  self->occupancy_chart = park_chart_new (PARK_CHART_LINE);
  self->revenue_chart = park_chart_new (PARK_CHART_BARS);
  for (int i = 0; i < 2; i++)
    {
      chart_box = i == 0 ? self->occupancy_chart : self->revenue_chart;
      gtk_widget_set_margin_start (chart_box, 12);
      gtk_widget_set_margin_end (chart_box, 12);
      gtk_widget_set_margin_top (chart_box, 8);
      gtk_widget_set_margin_bottom (chart_box, 8);
      gtk_widget_set_size_request (chart_box, -1, 200);
      gtk_frame_set_child (i == 0 ? self->occupancy_frame : self->revenue_frame, chart_box);
    }

  {
    GtkWidget *rows[] = {
      self->name_row, self->address_row, self->city_row, self->latitude_row,
      self->longitude_row, self->rate_row, self->spots_row, self->levels_row,
      self->daily_max_row, self->increment_row, self->grace_row, self->exit_grace_row,
      self->lost_ticket_row, self->hold_row, self->staff_email_row, self->staff_first_row,
      self->staff_last_row, self->staff_password_row,
    };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      g_signal_connect (rows[i], "changed", G_CALLBACK (row_edited_cb), NULL);
    for (int t = 0; t < PARK_N_SPOT_TYPES; t++)
      g_signal_connect (self->rate_rows[t], "changed", G_CALLBACK (row_edited_cb), NULL);
  }
  g_signal_connect (self->lots_list, "row-selected", G_CALLBACK (lot_selected_cb), self);
  g_signal_connect_swapped (self->period_dropdown, "notify::selected", G_CALLBACK (dash_changed_cb), self);
  g_signal_connect_swapped (self->dash_lot_dropdown, "notify::selected", G_CALLBACK (dash_changed_cb), self);
  gtk_stack_set_visible_child_name (self->lot_stack, "none");
}
