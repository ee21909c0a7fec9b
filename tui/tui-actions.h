/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tui-actions.h: every attendant action, declared once (tig's REQ_INFO). The list makes the
 * TuiAction enum, the key bindings, the function bar and the help screen, so none of them
 * can disagree with another.
 *
 * X (NAME, scope, key, function key, label, description): key is the single-letter
 * shortcut, function key 0 for none. Global actions work in every view; the others only in
 * theirs, where they are listed on the view's hint line.
 */
#pragma once

#include <glib/gi18n.h>

#define TUI_ACTIONS(X) \
  X (HELP,        GLOBAL,    '?', 1,  N_("Help"),        N_("Show the keys and what they do")) \
  X (CHECK_IN,    GLOBAL,    'i', 2,  N_("Check in"),    N_("Check a car in by plate, or by its booking code")) \
  X (CHECK_OUT,   GLOBAL,    'o', 3,  N_("Check out"),   N_("Take payment for a stay by ticket or plate, and let it out")) \
  X (SEARCH,      GLOBAL,    '/', 4,  N_("Search"),      N_("Find bookings and stays by plate, code, ticket or name")) \
  X (SPOTS,       GLOBAL,    's', 5,  N_("Spots"),       N_("The lot's spots by level; take one out of service")) \
  X (SHIFT,       GLOBAL,    'd', 6,  N_("Shift"),       N_("The cash drawer: open or close the shift, its report")) \
  X (OVERVIEW,    GLOBAL,    'v', 7,  N_("Overview"),    N_("Occupancy, arrivals in the next hour and overstays")) \
  X (REFRESH,     GLOBAL,    'r', 0,  N_("Refresh"),     N_("Read everything on the screen again from the server")) \
  X (QUIT,        GLOBAL,    'q', 10, N_("Quit"),        N_("Leave the console (asks first)")) \
  X (NEW_ENTRY,   CHECK_IN,  'n', 0,  N_("Next car"),    N_("Type the next plate or code")) \
  X (FIND_STAY,   CHECK_OUT, 'n', 0,  N_("Next car"),    N_("Type the next ticket or plate")) \
  X (CASH,        CHECK_OUT, 'c', 0,  N_("Cash"),        N_("Take the fee in cash and give change")) \
  X (CARD,        CHECK_OUT, 'k', 0,  N_("Card"),        N_("Take the fee by card (payment terminal)")) \
  X (LOST_TICKET, CHECK_OUT, 'l', 0,  N_("Lost ticket"), N_("Charge the lot's lost-ticket fee, or stop charging it")) \
  X (LET_OUT,     CHECK_OUT, 'x', 0,  N_("Let out"),     N_("A paid car leaves: opens the barrier")) \
  X (PRINT,       CHECK_OUT, 'p', 0,  N_("Print"),       N_("Print the receipt of the payment")) \
  X (RECEIPT,     CHECK_OUT, 'e', 0,  N_("Receipt"),     N_("Show the whole receipt as it prints (↑↓ scroll, e or Esc back)")) \
  X (NEW_SEARCH,  SEARCH,    'n', 0,  N_("New search"),  N_("Type another plate, code or name")) \
  X (OPEN_ITEM,   SEARCH,    '\n', 0, N_("Open"),        N_("Check the stay out, or the booking in")) \
  X (TOGGLE_SPOT, SPOTS,     't', 0,  N_("Out of service"), N_("Take the chosen spot out of service (with a reason), or back")) \
  X (PREV_LEVEL,  SPOTS,     '[', 0,  N_("Level up"),    N_("The level above (also Page Up)")) \
  X (NEXT_LEVEL,  SPOTS,     ']', 0,  N_("Level down"),  N_("The level below (also Page Down)")) \
  X (OPEN_SHIFT,  SHIFT,     'n', 0,  N_("Open shift"),  N_("Open a shift with the float in the drawer")) \
  X (CLOSE_SHIFT, SHIFT,     'c', 0,  N_("Close shift"), N_("Count the drawer and close the shift"))

typedef enum
{
  TUI_SCOPE_GLOBAL,
  TUI_SCOPE_CHECK_IN,
  TUI_SCOPE_CHECK_OUT,
  TUI_SCOPE_SEARCH,
  TUI_SCOPE_SPOTS,
  TUI_SCOPE_SHIFT,
  TUI_SCOPE_OTHER,
} TuiScope;

#define TUI_ACTION_ENUM(name, scope, key, fkey, label, help) TUI_ACTION_##name,
typedef enum
{
  TUI_ACTION_NONE = -1,
  TUI_ACTIONS (TUI_ACTION_ENUM)
  TUI_N_ACTIONS
} TuiAction;
#undef TUI_ACTION_ENUM

typedef struct
{
  TuiAction   action;
  TuiScope    scope;
  int         key;
  int         fkey;
  const char *label;   /* untranslated: N_() */
  const char *help;    /* untranslated: N_() */
} TuiActionInfo;

extern const TuiActionInfo tui_actions[TUI_N_ACTIONS];

/* The action @key (a character, or a curses key code when @is_code) means in @scope, or
 * TUI_ACTION_NONE. A scope's own actions win over global ones. */
TuiAction   tui_action_for_key     (TuiScope  scope,
                                    int       key,
                                    gboolean  is_code);
/* "F3", "x", "Enter": the key as the help and hint lines show it (static or owned by a
 * static buffer). */
const char *tui_action_key_name    (const TuiActionInfo *info);
