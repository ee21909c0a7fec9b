/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tui-actions.c: the table the X-macro list of tui-actions.h makes, and key lookup. */
#include "config.h"

#include "tui-actions.h"

#include <curses.h>

#define TUI_ACTION_INFO(name, scope, key, fkey, label, help) \
  { TUI_ACTION_##name, TUI_SCOPE_##scope, key, fkey, label, help },
const TuiActionInfo tui_actions[TUI_N_ACTIONS] = {
  TUI_ACTIONS (TUI_ACTION_INFO)
};
#undef TUI_ACTION_INFO

TuiAction
tui_action_for_key (TuiScope  scope,
                    int       key,
                    gboolean  is_code)
{
  TuiAction global = TUI_ACTION_NONE;

  if (is_code)
    {
      /* Function keys are global; F1 is also what many terminals send for help. */
      for (guint i = 0; i < TUI_N_ACTIONS; i++)
        if (tui_actions[i].fkey != 0 && key == KEY_F (tui_actions[i].fkey))
          return tui_actions[i].action;
      if (key == KEY_ENTER)
        key = '\n';
      else if (key == KEY_PPAGE && scope == TUI_SCOPE_SPOTS)
        return TUI_ACTION_PREV_LEVEL;
      else if (key == KEY_NPAGE && scope == TUI_SCOPE_SPOTS)
        return TUI_ACTION_NEXT_LEVEL;
      else
        return TUI_ACTION_NONE;
    }
  if (key == '\r')
    key = '\n';
  for (guint i = 0; i < TUI_N_ACTIONS; i++)
    {
      if (tui_actions[i].key != key)
        continue;
      if (tui_actions[i].scope == scope)
        return tui_actions[i].action;
      if (tui_actions[i].scope == TUI_SCOPE_GLOBAL)
        global = tui_actions[i].action;
    }
  /* Upper case works too: Caps Lock is often on at a booth. */
  if (global == TUI_ACTION_NONE && key < 128 && g_ascii_isupper (key))
    return tui_action_for_key (scope, g_ascii_tolower (key), FALSE);
  return global;
}

const char *
tui_action_key_name (const TuiActionInfo *info)
{
  static char buffer[8];

  if (info->key == '\n')
    return _("Enter");
  buffer[0] = (char) info->key;
  buffer[1] = '\0';
  return buffer;
}
