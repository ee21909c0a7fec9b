/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tui-panel.h: the selection and scrolling of a list of rows (htop's Panel.c, cut down). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  int selected;   /* -1: the list is empty */
  int scroll;     /* the first row shown */
} TuiPanel;

/* Keeps the selection inside [0, @count) and in view of @height rows. */
void     tui_panel_clamp     (TuiPanel *self,
                              int       count,
                              int       height);
/* Arrow keys, Page Up/Down, Home and End; TRUE when @key moved the selection. */
gboolean tui_panel_move      (TuiPanel *self,
                              int       key,
                              int       count,
                              int       height,
                              int       columns);

G_END_DECLS
