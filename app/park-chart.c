/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-chart.c: a small chart drawn with cairo through GtkSnapshot, a line (occupancy over
 * time) or bars (revenue per day). It only draws: the numbers themselves are always shown in
 * a table beside it, so the chart is a picture for screen readers ("img" with a summary).
 * Colours come from the theme's foreground and accent, so dark and high-contrast styles work.
 */
#include "config.h"

#include "park-chart.h"

#include <math.h>

#define PAD_LEFT   8.0
#define PAD_RIGHT  8.0
#define PAD_TOP    22.0
#define PAD_BOTTOM 22.0

struct _ParkChart
{
  GtkWidget      parent_instance;
  ParkChartKind  kind;
  GArray        *values;   /* double */
  GPtrArray     *labels;   /* char*: a few are drawn under the axis */
  double         max;
  char          *max_label;
};

G_DEFINE_FINAL_TYPE (ParkChart, park_chart, GTK_TYPE_WIDGET)

/* Draws @text at @x (aligned by @xalign) unless it would overlap what ends at *@last_end or
 * leave the widget; returns whether it drew. */
static gboolean
draw_text (cairo_t    *cr,
           GtkWidget  *widget,
           const char *text,
           double      x,
           double      y,
           double      xalign,
           double     *last_end)
{
  PangoLayout *layout;
  int w, h;
  double left;

  if (text == NULL || *text == '\0')
    return FALSE;
  layout = gtk_widget_create_pango_layout (widget, text);
  pango_layout_get_pixel_size (layout, &w, &h);
  left = MAX (0, x - w * xalign);
  if (last_end != NULL && (left < *last_end + 8 || left + w > gtk_widget_get_width (widget)))
    {
      g_object_unref (layout);
      return FALSE;
    }
  cairo_move_to (cr, left, y);
  pango_cairo_show_layout (cr, layout);
  if (last_end != NULL)
    *last_end = left + w;
  g_object_unref (layout);
  return TRUE;
}

static void
park_chart_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  ParkChart *self = PARK_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double plot_w = width - PAD_LEFT - PAD_RIGHT;
  double plot_h = height - PAD_TOP - PAD_BOTTOM;
  guint n = self->values->len;
  GdkRGBA fg, accent = { 0.21, 0.52, 0.89, 1.0 };
  cairo_t *cr;
  guint label_every;

  if (plot_w <= 0 || plot_h <= 0)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* Grid: the top (the maximum, labelled), the middle and the axis. */
  cairo_set_line_width (cr, 1.0);
  for (int i = 0; i <= 2; i++)
    {
      double y = floor (PAD_TOP + plot_h * i / 2.0) + 0.5;

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, i == 2 ? 0.6 : 0.15);
      cairo_move_to (cr, PAD_LEFT, y);
      cairo_line_to (cr, PAD_LEFT + plot_w, y);
      cairo_stroke (cr);
    }
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
  if (self->max_label != NULL)
    draw_text (cr, widget, self->max_label, PAD_LEFT, 2, 0.0, NULL);

  if (n > 0 && self->max > 0)
    {
      gdk_cairo_set_source_rgba (cr, &accent);
      if (self->kind == PARK_CHART_BARS)
        {
          double slot = plot_w / n;
          double bar = MAX (1.0, slot * 0.7);

          for (guint i = 0; i < n; i++)
            {
              double v = CLAMP (g_array_index (self->values, double, i) / self->max, 0, 1);
              double h = v * plot_h;

              cairo_rectangle (cr, PAD_LEFT + slot * i + (slot - bar) / 2, PAD_TOP + plot_h - h,
                               bar, h);
            }
          cairo_fill (cr);
        }
      else
        {
          double dx = n > 1 ? plot_w / (n - 1) : 0;

          guint i = 0;

          /* Each run of measured values (NAN is a gap): the area under it, lightly, then
           * the line. */
          cairo_set_line_width (cr, 2.0);
          cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
          while (i < n)
            {
              guint first;

              while (i < n && isnan (g_array_index (self->values, double, i)))
                i++;
              if (i == n)
                break;
              first = i;
              cairo_new_path (cr);
              /* A value alone between gaps (a lot made an hour ago) is a dot, not nothing. */
              if (i + 1 == n || isnan (g_array_index (self->values, double, i + 1)))
                {
                  double v = CLAMP (g_array_index (self->values, double, i) / self->max, 0, 1);

                  gdk_cairo_set_source_rgba (cr, &accent);
                  cairo_arc (cr, PAD_LEFT + dx * i, PAD_TOP + plot_h * (1 - v), 3.0, 0, 2 * G_PI);
                  cairo_fill (cr);
                  i++;
                  continue;
                }
              for (; i < n && !isnan (g_array_index (self->values, double, i)); i++)
                {
                  double v = CLAMP (g_array_index (self->values, double, i) / self->max, 0, 1);

                  cairo_line_to (cr, PAD_LEFT + dx * i, PAD_TOP + plot_h * (1 - v));
                }
              gdk_cairo_set_source_rgba (cr, &accent);
              cairo_stroke_preserve (cr);
              cairo_line_to (cr, PAD_LEFT + dx * (i - 1), PAD_TOP + plot_h);
              cairo_line_to (cr, PAD_LEFT + dx * first, PAD_TOP + plot_h);
              cairo_close_path (cr);
              cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, 0.2);
              cairo_fill (cr);
            }
        }
    }

  /* Labels under the axis, as many as fit without overlapping, evenly spaced. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
  for (label_every = 1; label_every <= MAX (n, 1); label_every++)
    {
      double end = -G_MAXDOUBLE;
      gboolean fits = TRUE;
      PangoLayout *probe;

      /* A label takes about the width of the longest; try spacing until they fit. */
      for (guint i = 0; i < self->labels->len && fits; i += label_every)
        {
          const char *text = g_ptr_array_index (self->labels, i);
          double x = self->kind == PARK_CHART_BARS ? PAD_LEFT + plot_w / n * (i + 0.5)
                     : PAD_LEFT + (n > 1 ? plot_w / (n - 1) * i : 0);
          int w, h;

          if (*text == '\0')
            continue;
          probe = gtk_widget_create_pango_layout (widget, text);
          pango_layout_get_pixel_size (probe, &w, &h);
          g_object_unref (probe);
          fits = MAX (0, x - w / 2.0) >= end + 8;
          end = MAX (0, x - w / 2.0) + w;
        }
      if (fits || self->kind == PARK_CHART_LINE)
        break;
    }
  {
    double end = -G_MAXDOUBLE;

    for (guint i = 0; i < self->labels->len && n > 0; i += label_every)
      {
        double x = self->kind == PARK_CHART_BARS ? PAD_LEFT + plot_w / n * (i + 0.5)
                   : PAD_LEFT + (n > 1 ? plot_w / (n - 1) * i : 0);

        draw_text (cr, widget, g_ptr_array_index (self->labels, i), x, PAD_TOP + plot_h + 3,
                   0.5, &end);
      }
  }
  cairo_destroy (cr);
}

static void
park_chart_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 140;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 480 : 180;
}

static void
park_chart_finalize (GObject *object)
{
  ParkChart *self = PARK_CHART (object);

  g_array_unref (self->values);
  g_ptr_array_unref (self->labels);
  g_free (self->max_label);
  G_OBJECT_CLASS (park_chart_parent_class)->finalize (object);
}

static void
park_chart_class_init (ParkChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = park_chart_finalize;
  widget_class->snapshot = park_chart_snapshot;
  widget_class->measure = park_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
park_chart_init (ParkChart *self)
{
  self->values = g_array_new (FALSE, TRUE, sizeof (double));
  self->labels = g_ptr_array_new_with_free_func (g_free);
}

GtkWidget *
park_chart_new (ParkChartKind kind)
{
  ParkChart *self = g_object_new (PARK_TYPE_CHART, NULL);

  self->kind = kind;
  return GTK_WIDGET (self);
}

/**
 * park_chart_set_values:
 * @labels: (array length=n_values): a short label per value (a day, a date)
 * @max: the value at the top of the chart
 * @max_label: what the top line means, e.g. "100 %"
 */
void
park_chart_set_values (ParkChart     *self,
                       const double  *values,
                       const char   **labels,
                       guint          n_values,
                       double         max,
                       const char    *max_label)
{
  g_return_if_fail (PARK_IS_CHART (self));

  g_array_set_size (self->values, 0);
  g_array_append_vals (self->values, values, n_values);
  g_ptr_array_set_size (self->labels, 0);
  for (guint i = 0; i < n_values; i++)
    g_ptr_array_add (self->labels, g_strdup (labels[i]));
  self->max = max;
  g_free (self->max_label);
  self->max_label = g_strdup (max_label);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
park_chart_get_n_values (ParkChart *self)
{
  g_return_val_if_fail (PARK_IS_CHART (self), 0);
  return self->values->len;
}
