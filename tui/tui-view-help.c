/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tui-view-help.c: the keys, made from the action list (tig's help view). */
#include "config.h"

#include "tui-screen.h"
#include "tui-crt.h"
#include "tui-panel.h"

#include <glib/gi18n.h>

static int help_scroll;

static const char * const scope_names[] = {
  [TUI_SCOPE_GLOBAL] = N_("Everywhere"),
  [TUI_SCOPE_CHECK_IN] = N_("Check in"),
  [TUI_SCOPE_CHECK_OUT] = N_("Check out"),
  [TUI_SCOPE_SEARCH] = N_("Search"),
  [TUI_SCOPE_SPOTS] = N_("Spots"),
  [TUI_SCOPE_SHIFT] = N_("Shift"),
  [TUI_SCOPE_OTHER] = N_("Other"),
};

static void
help_draw (TuiScreen *screen,
           WINDOW    *win,
           int        top,
           int        height,
           int        width)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  TuiScope scope = -1;
  int y = top;

  for (guint i = 0; i < TUI_N_ACTIONS; i++)
    {
      const TuiActionInfo *info = &tui_actions[i];
      g_autofree char *fkey = info->fkey != 0 ? g_strdup_printf ("F%d", info->fkey)
                                              : g_strdup ("");

      if (info->scope != scope)
        {
          scope = info->scope;
          g_ptr_array_add (lines, g_strdup_printf ("\1%s", _(scope_names[scope])));
        }
      /* Long descriptions wrap under themselves rather than run off an 80-column screen. */
      {
        g_autofree char *head = g_strdup_printf ("  %-5s %-4s %-15s ", tui_action_key_name (info),
                                                 fkey, _(info->label));
        int indent = tui_crt_text_width (head), room = MAX (width - 2 - indent, 20);
        g_autoptr(GString) line = g_string_new (head);
        g_auto(GStrv) words = g_strsplit (_(info->help), " ", -1);
        int used = 0;

        for (guint w = 0; words[w] != NULL; w++)
          {
            int ww = tui_crt_text_width (words[w]);

            if (used > 0 && used + 1 + ww > room)
              {
                g_ptr_array_add (lines, g_string_free (g_steal_pointer (&line), FALSE));
                line = g_string_new (NULL);
                g_string_append_printf (line, "%*s", indent, "");
                used = 0;
              }
            if (used > 0)
              {
                g_string_append_c (line, ' ');
                used++;
              }
            g_string_append (line, words[w]);
            used += ww;
          }
        g_ptr_array_add (lines, g_string_free (g_steal_pointer (&line), FALSE));
      }
    }
  g_ptr_array_add (lines, g_strdup_printf ("\1%s", _("In dialogs")));
  g_ptr_array_add (lines, g_strdup (_("  Enter confirms, Esc cancels, Tab moves between fields, "
                                      "Ctrl-U clears a field.")));
  g_ptr_array_add (lines, g_strdup (_("  Esc in a view goes back to the overview.")));

  help_scroll = CLAMP (help_scroll, 0, MAX (0, (int) lines->len - (height - 1)));
  tui_crt_print (win, y++, 1, width - 2, A_DIM,
                 _("Keys (↑↓ scroll, ? or Esc to go back). Letters work in upper case too."));
  for (guint i = help_scroll; i < lines->len && y < top + height; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      if (line[0] == '\1')
        tui_crt_print (win, y++, 1, width - 2, tui_crt_attr (TUI_COLOR_HEADING), line + 1);
      else
        tui_crt_print (win, y++, 1, width - 2, 0, line);
    }
}

static TuiKeyResult
help_key (TuiScreen *screen,
          TuiAction  action,
          int        key,
          gboolean   is_code)
{
  if (is_code && (key == KEY_DOWN || key == KEY_NPAGE))
    {
      help_scroll += key == KEY_DOWN ? 1 : 10;
      return TUI_KEY_REDRAW;
    }
  if (is_code && (key == KEY_UP || key == KEY_PPAGE))
    {
      help_scroll = MAX (0, help_scroll - (key == KEY_UP ? 1 : 10));
      return TUI_KEY_REDRAW;
    }
  if (!is_code && key == 27)
    {
      tui_screen_show (screen, screen->previous_view != NULL ? screen->previous_view
                                                             : &tui_view_overview);
      return TUI_KEY_HANDLED;
    }
  return TUI_KEY_IGNORED;
}

const TuiViewOps tui_view_help = {
  .title = N_("Help"),
  .scope = TUI_SCOPE_OTHER,
  .draw = help_draw,
  .handle_key = help_key,
};
