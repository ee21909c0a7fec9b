/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-pricing-rules.c: the part of a lot's prices that changes with time and demand, as the
 * operator's pricing page edits it: times of the week with their multiplier (rush hour, the
 * night), events (a fair, a match) and demand steps with a floor and a cap. Each kind is a
 * list with a remove button per rule and a small form that adds one; what cannot be right is
 * said at once (park-core's rules, in its words), and the rules go to the server with the
 * rest of the prices when the page saves them (park_pricing_rules_apply()).
 */
#include "config.h"

#include "park-pricing-rules.h"
#include "park-admin-form.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

struct _ParkPricingRules
{
  GtkWidget            parent_instance;

  GPtrArray           *periods;   /* of ParkPricingPeriod */
  GPtrArray           *events;    /* of ParkPricingEvent */
  GPtrArray           *steps;     /* of ParkDemandStep */
  char                *time_zone;
  GPtrArray           *rows;      /* the rules' rows, to remove on refill */

  GtkWidget           *box;
  GtkLabel            *error_label;
  AdwPreferencesGroup *periods_group;
  AdwPreferencesGroup *events_group;
  AdwPreferencesGroup *demand_group;
  GtkWidget           *period_days[7];
  GtkWidget           *period_from;
  GtkWidget           *period_to;
  GtkWidget           *period_multiplier;
  GtkWidget           *period_label;
  GtkWidget           *event_from;
  GtkWidget           *event_to;
  GtkWidget           *event_multiplier;
  GtkWidget           *event_label;
  AdwComboRow         *step_bound;
  GtkWidget           *step_share;
  GtkWidget           *step_multiplier;
  GtkWidget           *demand_floor;
  GtkWidget           *demand_cap;
  GtkWidget           *add_buttons[3];   /* period, event, step */
};

G_DEFINE_FINAL_TYPE (ParkPricingRules, park_pricing_rules, GTK_TYPE_WIDGET)

static const char * const day_abbrevs[7] = {
  NC_("weekday", "Mon"), NC_("weekday", "Tue"), NC_("weekday", "Wed"), NC_("weekday", "Thu"),
  NC_("weekday", "Fri"), NC_("weekday", "Sat"), NC_("weekday", "Sun"),
};

static const char * const day_names[7] = {
  N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
  N_("Sunday"),
};

static void fill (ParkPricingRules *self);

static void
show_error (ParkPricingRules *self,
            GtkWidget        *row,
            const char       *text)
{
  park_show_form_error (self->error_label, text);
  if (row != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_grab_focus (row);
    }
}

static void
clear_errors (ParkPricingRules *self)
{
  GtkWidget *rows[] = {
    self->period_from, self->period_to, self->period_multiplier, self->period_label,
    self->event_from, self->event_to, self->event_multiplier, self->event_label,
    self->step_share, self->step_multiplier, self->demand_floor, self->demand_cap,
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_remove_css_class (rows[i], "error");
  park_show_form_error (self->error_label, NULL);
}

static const char *
text_of (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* "1.5" or "1,5"; FALSE if it is no number. An empty text gives 0 when @empty_ok. */
static gboolean
parse_number (const char *text,
              gboolean    empty_ok,
              double     *out)
{
  g_autofree char *s = g_strstrip (g_strdup (text));
  char *end = NULL;

  if (*s == '\0')
    {
      *out = 0;
      return empty_ok;
    }
  g_strdelimit (s, ",", '.');
  *out = g_ascii_strtod (s, &end);
  return end != NULL && *end == '\0' && isfinite (*out);
}

/* "07:30" → minutes; "24:00" only when @closing. */
static gboolean
parse_clock (const char *text,
             gboolean    closing,
             guint      *minutes)
{
  g_autofree char *s = g_strstrip (g_strdup (text));
  guint h, m;
  char tail;

  if (sscanf (s, "%2u:%2u%c", &h, &m, &tail) != 2 || m > 59 || h > 24 ||
      (h == 24 && (m != 0 || !closing)))
    return FALSE;
  *minutes = h * 60 + m;
  return TRUE;
}

/* "2026-12-24 18:00" (or with a T) in the lot's zone. */
static GDateTime *
parse_local (ParkPricingRules *self,
             const char       *text)
{
  g_autofree char *s = g_strstrip (g_strdup (text));
  g_autoptr(GTimeZone) zone = NULL;
  int y, mo, d, h, mi;
  char sep, tail;

  if (sscanf (s, "%4d-%2d-%2d%c%2d:%2d%c", &y, &mo, &d, &sep, &h, &mi, &tail) != 6 ||
      (sep != ' ' && sep != 'T') || !g_date_valid_dmy (d, mo, y) || h > 23 || mi > 59)
    return NULL;
  if (self->time_zone != NULL)
    zone = g_time_zone_new_identifier (self->time_zone);
  if (zone == NULL)
    zone = g_time_zone_new_local ();
  return g_date_time_new (zone, y, mo, d, h, mi, 0);
}

static char *
clock_text (guint minutes)
{
  return g_strdup_printf ("%02u:%02u", minutes / 60, minutes % 60);
}

static char *
days_text (ParkWeekdays days)
{
  GString *text = g_string_new (NULL);

  if (days == PARK_WEEKDAYS_ALL)
    return g_strdup (_("Every day"));
  for (guint d = 0; d < 7; d++)
    if (days & (1 << d))
      g_string_append_printf (text, "%s%s", text->len > 0 ? ", " : "",
                              g_dpgettext2 (NULL, "weekday", day_abbrevs[d]));
  return g_string_free (text, FALSE);
}

static char *
multiplier_text (double multiplier)
{
  char number[32];

  /* Translators: a price multiplier, e.g. "× 1.5" */
  return g_strdup_printf (_("× %s"), g_ascii_formatd (number, sizeof number, "%g", multiplier));
}

static void
remove_clicked_cb (GtkButton        *button,
                   ParkPricingRules *self)
{
  GPtrArray *array = g_object_get_data (G_OBJECT (button), "park-array");
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "park-index"));

  g_ptr_array_remove_index (array, index);
  fill (self);
}

static void
add_rule_row (ParkPricingRules    *self,
              AdwPreferencesGroup *group,
              const char          *title,
              const char          *subtitle,
              GPtrArray           *array,
              guint                index)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  /* Translators: a button that removes a pricing rule, read out with the rule */
  g_autofree char *a11y = g_strdup_printf (_("Remove %s, %s"), title, subtitle);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, a11y);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  g_object_set_data (G_OBJECT (remove), "park-array", array);
  g_object_set_data (G_OBJECT (remove), "park-index", GUINT_TO_POINTER (index));
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  g_object_set_data (G_OBJECT (row), "park-group", group);
}

static void
fill (ParkPricingRules *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      adw_preferences_group_remove (g_object_get_data (G_OBJECT (row), "park-group"), row);
    }
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < self->periods->len; i++)
    {
      const ParkPricingPeriod *p = g_ptr_array_index (self->periods, i);
      g_autofree char *days = days_text (park_pricing_period_get_days (p));
      g_autofree char *from = clock_text (park_pricing_period_get_from_minute (p));
      g_autofree char *to = clock_text (park_pricing_period_get_to_minute (p) == 0
                                        ? 24 * 60 : park_pricing_period_get_to_minute (p));
      g_autofree char *times = g_strdup_printf ("%s–%s", from, to);
      g_autofree char *factor = multiplier_text (park_pricing_period_get_multiplier (p));
      g_autofree char *subtitle = NULL;
      g_autofree char *title = g_strdup_printf ("%s, %s", days, times);

      subtitle = park_pricing_period_get_label (p) != NULL
        ? g_strdup_printf ("%s · %s", factor, park_pricing_period_get_label (p))
        : g_strdup (factor);
      add_rule_row (self, self->periods_group, title, subtitle, self->periods, i);
    }
  for (guint i = 0; i < self->events->len; i++)
    {
      const ParkPricingEvent *e = g_ptr_array_index (self->events, i);
      g_autofree char *from = g_date_time_format (park_pricing_event_get_from (e), "%Y-%m-%d %H:%M");
      g_autofree char *to = g_date_time_format (park_pricing_event_get_to (e), "%Y-%m-%d %H:%M");
      g_autofree char *title = g_strdup_printf ("%s – %s", from, to);
      g_autofree char *factor = multiplier_text (park_pricing_event_get_multiplier (e));
      g_autofree char *subtitle = park_pricing_event_get_label (e) != NULL
        ? g_strdup_printf ("%s · %s", factor, park_pricing_event_get_label (e))
        : g_strdup (factor);

      add_rule_row (self, self->events_group, title, subtitle, self->events, i);
    }
  for (guint i = 0; i < self->steps->len; i++)
    {
      const ParkDemandStep *s = g_ptr_array_index (self->steps, i);
      int percent = (int) round (park_demand_step_get_share (s) * 100);
      g_autofree char *title = g_strdup_printf (
        park_demand_step_get_bound (s) == PARK_DEMAND_BOUND_MIN_SHARE
        /* Translators: a demand step: from this share of booked spots up */
        ? _("%d %% booked or more") : _("%d %% booked or less"), percent);
      g_autofree char *factor = multiplier_text (park_demand_step_get_multiplier (s));

      add_rule_row (self, self->demand_group, title, factor, self->steps, i);
    }
}

static void
add_period_cb (GtkButton        *button,
               ParkPricingRules *self)
{
  g_autoptr(GError) error = NULL;
  ParkWeekdays days = 0;
  guint from, to;
  double multiplier;
  g_autofree char *label = g_strstrip (g_strdup (text_of (self->period_label)));
  ParkPricingPeriod *period;

  clear_errors (self);
  for (guint d = 0; d < 7; d++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->period_days[d])))
      days |= 1 << d;
  if (!parse_clock (text_of (self->period_from), FALSE, &from))
    {
      show_error (self, self->period_from, _("From: type a time such as 07:00."));
      return;
    }
  if (!parse_clock (text_of (self->period_to), TRUE, &to))
    {
      show_error (self, self->period_to, _("To: type a time such as 20:00, or 24:00 for midnight."));
      return;
    }
  if (!parse_number (text_of (self->period_multiplier), FALSE, &multiplier))
    {
      show_error (self, self->period_multiplier, _("Multiplier: type a number such as 1.5."));
      return;
    }
  period = park_pricing_period_new (days, from, to, multiplier, *label != '\0' ? label : NULL,
                                    &error);
  if (period == NULL)
    {
      show_error (self, NULL, error->message);
      return;
    }
  g_ptr_array_add (self->periods, period);
  gtk_editable_set_text (GTK_EDITABLE (self->period_label), "");
  fill (self);
}

static void
add_event_cb (GtkButton        *button,
              ParkPricingRules *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) from = parse_local (self, text_of (self->event_from));
  g_autoptr(GDateTime) to = parse_local (self, text_of (self->event_to));
  g_autofree char *label = g_strstrip (g_strdup (text_of (self->event_label)));
  double multiplier;
  ParkPricingEvent *event;

  clear_errors (self);
  if (from == NULL)
    {
      show_error (self, self->event_from, _("Starts: type a date and time such as 2026-12-24 18:00."));
      return;
    }
  if (to == NULL)
    {
      show_error (self, self->event_to, _("Ends: type a date and time such as 2026-12-24 23:00."));
      return;
    }
  if (!parse_number (text_of (self->event_multiplier), FALSE, &multiplier))
    {
      show_error (self, self->event_multiplier, _("Multiplier: type a number such as 1.5."));
      return;
    }
  event = park_pricing_event_new (from, to, multiplier, *label != '\0' ? label : NULL, &error);
  if (event == NULL)
    {
      show_error (self, NULL, error->message);
      return;
    }
  g_ptr_array_add (self->events, event);
  gtk_editable_set_text (GTK_EDITABLE (self->event_from), "");
  gtk_editable_set_text (GTK_EDITABLE (self->event_to), "");
  gtk_editable_set_text (GTK_EDITABLE (self->event_label), "");
  fill (self);
}

static void
add_step_cb (GtkButton        *button,
             ParkPricingRules *self)
{
  g_autoptr(GError) error = NULL;
  double percent, multiplier;
  ParkDemandStep *step;

  clear_errors (self);
  if (!parse_number (text_of (self->step_share), FALSE, &percent))
    {
      show_error (self, self->step_share, _("Share: type a percentage from 0 to 100."));
      return;
    }
  if (!parse_number (text_of (self->step_multiplier), FALSE, &multiplier))
    {
      show_error (self, self->step_multiplier, _("Multiplier: type a number such as 1.5."));
      return;
    }
  step = park_demand_step_new (adw_combo_row_get_selected (self->step_bound) == 0
                               ? PARK_DEMAND_BOUND_MIN_SHARE : PARK_DEMAND_BOUND_MAX_SHARE,
                               percent / 100, multiplier, &error);
  if (step == NULL)
    {
      show_error (self, NULL, error->message);
      return;
    }
  g_ptr_array_add (self->steps, step);
  fill (self);
}

static GtkWidget *
entry_row (GtkWidget  *parent,
           const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (parent), row);
  return row;
}

static GtkWidget *
add_button_row (GtkWidget *expander,
                const char *label,
                GCallback   callback,
                gpointer    data)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect (button, "clicked", callback, data);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
  return button;
}

static GtkWidget *
add_expander (AdwPreferencesGroup *group,
              const char          *title)
{
  GtkWidget *expander = adw_expander_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  adw_preferences_group_add (group, expander);
  return expander;
}

/**
 * park_pricing_rules_new:
 *
 * Returns: (transfer floating): an editor of periods, events and demand steps
 */
GtkWidget *
park_pricing_rules_new (void)
{
  return g_object_new (PARK_TYPE_PRICING_RULES, NULL);
}

/* Shows @pricing's rules, to edit. */
void
park_pricing_rules_set_pricing (ParkPricingRules *self,
                                ParkPricing      *pricing)
{
  g_autofree char *floor_text = NULL, *cap_text = NULL;
  char number[32];

  g_return_if_fail (PARK_IS_PRICING_RULES (self));
  g_return_if_fail (PARK_IS_PRICING (pricing));

  g_ptr_array_unref (self->periods);
  g_ptr_array_unref (self->events);
  g_ptr_array_unref (self->steps);
  self->periods = park_pricing_dup_periods (pricing);
  self->events = park_pricing_dup_events (pricing);
  self->steps = park_pricing_dup_demand_steps (pricing);
  g_free (self->time_zone);
  self->time_zone = g_strdup (park_pricing_get_time_zone (pricing));
  floor_text = park_pricing_get_demand_floor (pricing) > 0
    ? g_strdup (g_ascii_formatd (number, sizeof number, "%g", park_pricing_get_demand_floor (pricing)))
    : g_strdup ("");
  cap_text = park_pricing_get_demand_cap (pricing) > 0
    ? g_strdup (g_ascii_formatd (number, sizeof number, "%g", park_pricing_get_demand_cap (pricing)))
    : g_strdup ("");
  gtk_editable_set_text (GTK_EDITABLE (self->demand_floor), floor_text);
  gtk_editable_set_text (GTK_EDITABLE (self->demand_cap), cap_text);
  clear_errors (self);
  fill (self);
}

/* Puts the rules shown into @pricing, to be sent; fails saying which part is wrong. */
gboolean
park_pricing_rules_apply (ParkPricingRules  *self,
                          ParkPricing       *pricing,
                          GError           **error)
{
  g_autoptr(GError) local = NULL;
  double floor_, cap;

  g_return_val_if_fail (PARK_IS_PRICING_RULES (self), FALSE);
  clear_errors (self);
  if (!parse_number (text_of (self->demand_floor), TRUE, &floor_))
    {
      show_error (self, self->demand_floor, _("Demand floor: type a number such as 0.8, or leave it empty."));
      g_set_error_literal (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION,
                           park_pricing_rules_get_error (self));
      return FALSE;
    }
  if (!parse_number (text_of (self->demand_cap), TRUE, &cap))
    {
      show_error (self, self->demand_cap, _("Demand cap: type a number such as 2, or leave it empty."));
      g_set_error_literal (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION,
                           park_pricing_rules_get_error (self));
      return FALSE;
    }
  if (!park_pricing_set_periods (pricing, self->periods, &local) ||
      !park_pricing_set_events (pricing, self->events, &local) ||
      !park_pricing_set_demand_steps (pricing, self->steps, &local) ||
      !park_pricing_set_demand_limits (pricing, floor_, cap, &local))
    {
      GtkWidget *row = NULL;
      const char *field = park_client_error_get_field (local);

      if (g_strcmp0 (field, "demand.floor") == 0)
        row = self->demand_floor;
      else if (g_strcmp0 (field, "demand.cap") == 0)
        row = self->demand_cap;
      show_error (self, row, local->message);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

guint
park_pricing_rules_get_n (ParkPricingRules *self,
                          const char       *kind)
{
  GPtrArray *array = g_str_equal (kind, "periods") ? self->periods
                     : g_str_equal (kind, "events") ? self->events : self->steps;

  return array->len;
}

GtkWidget *
park_pricing_rules_get_field (ParkPricingRules *self,
                              const char       *field)
{
  struct { const char *name; GtkWidget *widget; } map[] = {
    { "period.from", self->period_from }, { "period.to", self->period_to },
    { "period.multiplier", self->period_multiplier }, { "period.label", self->period_label },
    { "period.mon", self->period_days[0] }, { "period.tue", self->period_days[1] },
    { "period.wed", self->period_days[2] }, { "period.thu", self->period_days[3] },
    { "period.fri", self->period_days[4] }, { "period.sat", self->period_days[5] },
    { "period.sun", self->period_days[6] },
    { "event.from", self->event_from }, { "event.to", self->event_to },
    { "event.multiplier", self->event_multiplier }, { "event.label", self->event_label },
    { "step.bound", GTK_WIDGET (self->step_bound) }, { "step.share", self->step_share },
    { "step.multiplier", self->step_multiplier },
    { "demand.floor", self->demand_floor }, { "demand.cap", self->demand_cap },
    { "period.add", self->add_buttons[0] }, { "event.add", self->add_buttons[1] },
    { "step.add", self->add_buttons[2] },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (map[i].name, field))
      return map[i].widget;
  g_return_val_if_reached (NULL);
}

const char *
park_pricing_rules_get_error (ParkPricingRules *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
         ? gtk_label_get_label (self->error_label) : NULL;
}

/* As a rule's remove button does. */
void
park_pricing_rules_remove (ParkPricingRules *self,
                           const char       *kind,
                           guint             index)
{
  GPtrArray *array = g_str_equal (kind, "periods") ? self->periods
                     : g_str_equal (kind, "events") ? self->events : self->steps;

  g_return_if_fail (index < array->len);
  g_ptr_array_remove_index (array, index);
  fill (self);
}

static void
park_pricing_rules_dispose (GObject *object)
{
  ParkPricingRules *self = PARK_PRICING_RULES (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (park_pricing_rules_parent_class)->dispose (object);
}

static void
park_pricing_rules_finalize (GObject *object)
{
  ParkPricingRules *self = PARK_PRICING_RULES (object);

  g_ptr_array_unref (self->periods);
  g_ptr_array_unref (self->events);
  g_ptr_array_unref (self->steps);
  g_ptr_array_unref (self->rows);
  g_free (self->time_zone);
  G_OBJECT_CLASS (park_pricing_rules_parent_class)->finalize (object);
}

static void
park_pricing_rules_class_init (ParkPricingRulesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = park_pricing_rules_dispose;
  object_class->finalize = park_pricing_rules_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
park_pricing_rules_init (ParkPricingRules *self)
{
  GtkWidget *expander, *days, *days_row;

  self->periods = g_ptr_array_new_with_free_func ((GDestroyNotify) park_pricing_period_free);
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) park_pricing_event_free);
  self->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) park_demand_step_free);
  self->rows = g_ptr_array_new ();

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Error in the pricing rules"), -1);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->error_label));

  /* Times of the week */
  self->periods_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->periods_group, _("Times of the Week"));
  adw_preferences_group_set_description (self->periods_group,
    _("The hourly rates times a multiplier at these times, in the lot's local time; the first "
      "that matches counts. A time that runs past midnight belongs to the day it starts."));
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->periods_group));
  expander = add_expander (self->periods_group, _("Add a Time of the Week"));
  days_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (days_row), _("Days"));
  days = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  gtk_widget_set_valign (days, GTK_ALIGN_CENTER);
  for (guint d = 0; d < 7; d++)
    {
      self->period_days[d] = gtk_check_button_new_with_label (g_dpgettext2 (NULL, "weekday",
                                                                            day_abbrevs[d]));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->period_days[d]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(day_names[d]), -1);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (self->period_days[d]), d < 5);
      gtk_box_append (GTK_BOX (days), self->period_days[d]);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (days_row), days);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), days_row);
  self->period_from = entry_row (expander, _("From (HH:MM)"));
  self->period_to = entry_row (expander, _("To (HH:MM, 24:00 for midnight)"));
  self->period_multiplier = entry_row (expander, _("Multiplier (e.g. 1.5)"));
  self->period_label = entry_row (expander, _("Name on receipts (optional)"));
  self->add_buttons[0] = add_button_row (expander, _("_Add Time"), G_CALLBACK (add_period_cb), self);

  /* Events */
  self->events_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->events_group, _("Events"));
  adw_preferences_group_set_description (self->events_group,
    _("A fair or a match: its multiplier replaces the time of the week's while it lasts."));
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->events_group));
  expander = add_expander (self->events_group, _("Add an Event"));
  self->event_from = entry_row (expander, _("Starts (YYYY-MM-DD HH:MM)"));
  self->event_to = entry_row (expander, _("Ends (YYYY-MM-DD HH:MM)"));
  self->event_multiplier = entry_row (expander, _("Multiplier (e.g. 1.5)"));
  self->event_label = entry_row (expander, _("Name on receipts (optional)"));
  self->add_buttons[1] = add_button_row (expander, _("A_dd Event"), G_CALLBACK (add_event_cb), self);

  /* Demand */
  self->demand_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->demand_group, _("Demand"));
  adw_preferences_group_set_description (self->demand_group,
    _("Prices by the share of the lot's spots of the type already booked for the stay."));
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->demand_group));
  self->demand_floor = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->demand_floor),
                                 _("Lowest multiplier (empty for none)"));
  adw_preferences_group_add (self->demand_group, self->demand_floor);
  self->demand_cap = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->demand_cap),
                                 _("Highest multiplier (empty for none)"));
  adw_preferences_group_add (self->demand_group, self->demand_cap);
  expander = add_expander (self->demand_group, _("Add a Demand Step"));
  self->step_bound = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->step_bound), _("Applies"));
  {
    g_autoptr(GtkStringList) bounds = gtk_string_list_new ((const char *[]) {
      _("From this share up"), _("Up to this share"), NULL });

    adw_combo_row_set_model (self->step_bound, G_LIST_MODEL (bounds));
  }
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), GTK_WIDGET (self->step_bound));
  self->step_share = entry_row (expander, _("Share of spots booked (%)"));
  self->step_multiplier = entry_row (expander, _("Multiplier (e.g. 1.5)"));
  self->add_buttons[2] = add_button_row (expander, _("Add _Step"), G_CALLBACK (add_step_cb), self);
}
