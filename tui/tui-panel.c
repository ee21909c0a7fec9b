/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tui-panel.c: list selection and scrolling. */
#include "config.h"

#include "tui-panel.h"

#include <curses.h>

void
tui_panel_clamp (TuiPanel *self,
                 int       count,
                 int       height)
{
  if (count <= 0)
    {
      self->selected = -1;
      self->scroll = 0;
      return;
    }
  self->selected = CLAMP (self->selected, 0, count - 1);
  height = MAX (height, 1);
  if (self->selected < self->scroll)
    self->scroll = self->selected;
  if (self->selected >= self->scroll + height)
    self->scroll = self->selected - height + 1;
  self->scroll = CLAMP (self->scroll, 0, MAX (0, count - 1));
}

gboolean
tui_panel_move (TuiPanel *self,
                int       key,
                int       count,
                int       height,
                int       columns)
{
  int before = self->selected;

  columns = MAX (columns, 1);
  switch (key)
    {
    case KEY_UP:
      self->selected -= columns;
      break;
    case KEY_DOWN:
      self->selected += columns;
      break;
    case KEY_LEFT:
      self->selected -= columns > 1 ? 1 : 0;
      break;
    case KEY_RIGHT:
      self->selected += columns > 1 ? 1 : 0;
      break;
    case KEY_PPAGE:
      self->selected -= MAX (height - 1, 1) * columns;
      break;
    case KEY_NPAGE:
      self->selected += MAX (height - 1, 1) * columns;
      break;
    case KEY_HOME:
      self->selected = 0;
      break;
    case KEY_END:
      self->selected = count - 1;
      break;
    default:
      return FALSE;
    }
  if (self->selected < 0)
    self->selected = before >= 0 && columns > 1 ? before % columns : 0;
  if (self->selected >= count)
    self->selected = count - 1;
  tui_panel_clamp (self, count, height);
  return TRUE;
}
