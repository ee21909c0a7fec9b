/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tui-function-bar.h: the bottom line of function keys (htop's FunctionBar.c), made from
 * the action list. */
#pragma once

#include <glib.h>
#include <curses.h>

#include "tui-actions.h"

G_BEGIN_DECLS

void tui_function_bar_draw (WINDOW   *win,
                            int       y,
                            int       width,
                            gboolean  signed_in);
/* A view's own keys as one hint line: "c Cash  k Card  l Lost ticket". */
void tui_function_bar_draw_hints (WINDOW   *win,
                                  int       y,
                                  int       width,
                                  TuiScope  scope);

G_END_DECLS
