/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  PARK_CHART_LINE,
  PARK_CHART_BARS,
} ParkChartKind;

#define PARK_TYPE_CHART (park_chart_get_type ())

G_DECLARE_FINAL_TYPE (ParkChart, park_chart, PARK, CHART, GtkWidget)

GtkWidget *park_chart_new        (ParkChartKind  kind);
void       park_chart_set_values (ParkChart     *self,
                                  const double  *values,
                                  const char   **labels,
                                  guint          n_values,
                                  double         max,
                                  const char    *max_label);
guint      park_chart_get_n_values (ParkChart   *self);

G_END_DECLS
