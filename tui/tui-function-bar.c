/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tui-function-bar.c: function keys and view hints, from the action list. */
#include "config.h"

#include "tui-function-bar.h"
#include "tui-crt.h"

#include <glib/gi18n.h>

void
tui_function_bar_draw (WINDOW   *win,
                       int       y,
                       int       width,
                       gboolean  signed_in)
{
  int x = 0;

  mvwhline (win, y, 0, ' ', width);
  for (guint i = 0; i < TUI_N_ACTIONS && x < width; i++)
    {
      const TuiActionInfo *info = &tui_actions[i];
      g_autofree char *key = NULL;

      if (info->fkey == 0 ||
          (!signed_in && info->action != TUI_ACTION_HELP && info->action != TUI_ACTION_QUIT))
        continue;
      key = g_strdup_printf ("F%d", info->fkey);
      x += tui_crt_print (win, y, x, width - x, tui_crt_attr (TUI_COLOR_KEY), key);
      x += tui_crt_print (win, y, x, width - x, tui_crt_attr (TUI_COLOR_KEY_LABEL),
                          _(info->label));
      x += tui_crt_print (win, y, x, width - x, 0, " ");
    }
}

void
tui_function_bar_draw_hints (WINDOW   *win,
                             int       y,
                             int       width,
                             TuiScope  scope)
{
  int x = 0;

  for (guint i = 0; i < TUI_N_ACTIONS && x < width; i++)
    {
      const TuiActionInfo *info = &tui_actions[i];

      if (info->scope != scope)
        continue;
      x += tui_crt_print (win, y, x, width - x, tui_crt_attr (TUI_COLOR_KEY),
                          tui_action_key_name (info));
      x += tui_crt_print (win, y, x, width - x, 0, " ");
      x += tui_crt_print (win, y, x, width - x, 0, _(info->label));
      x += tui_crt_print (win, y, x, width - x, 0, "  ");
    }
}
