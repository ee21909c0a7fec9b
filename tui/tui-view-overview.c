/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tui-view-overview.c: the booth's main screen: how full the lot is, by spot type (live from
 * the feed) and by level, the bookings due in the next hour and the cars past their time.
 */
#include "config.h"

#include "tui-screen.h"
#include "tui-crt.h"

#include <glib/gi18n.h>

static const char * const type_names[PARK_N_SPOT_TYPES] = {
  N_("Regular"), N_("Accessible"), N_("Electric"), N_("Compact"), N_("Motorcycle"),
};

static void
draw_bar (WINDOW *win,
          int     y,
          int     x,
          int     width,
          guint   free,
          guint   total)
{
  int filled = total > 0 ? (int) ((double) (total - free) / total * width + 0.5) : 0;
  TuiColor color = total == 0 ? TUI_COLOR_NORMAL : free == 0 ? TUI_COLOR_BAD
                   : free * 10 < total ? TUI_COLOR_WARN : TUI_COLOR_GOOD;

  wattr_on (win, tui_crt_attr (color), NULL);
  for (int i = 0; i < width; i++)
    mvwaddch (win, y, x + i, i < filled ? '#' : '.');
  wattr_off (win, tui_crt_attr (color), NULL);
}

static int
draw_item (TuiScreen     *screen,
           WINDOW        *win,
           int            y,
           int            x,
           int            width,
           ParkBoardItem *item,
           gboolean       overstay)
{
  g_autofree char *when = tui_format_time (screen, overstay
                                           ? park_board_item_get_end_time (item)
                                           : park_board_item_get_start_time (item));
  const char *plate = park_board_item_get_plate (item);
  const char *name = park_board_item_get_name (item);
  g_autofree char *line = NULL;

  if (overstay)
    line = g_strdup_printf (_("%-8s %-10s %s since %s"), park_board_item_get_reference (item),
                            plate != NULL ? plate : "—",
                            park_board_item_get_spot_number (item) != NULL
                            ? park_board_item_get_spot_number (item) : "",
                            when);
  else
    line = g_strdup_printf ("%s %-8s %-10s %s%s", when, park_board_item_get_reference (item),
                            plate != NULL ? plate : "—",
                            g_strcmp0 (park_board_item_get_status (item), "pending_payment") == 0
                            ? _("(unpaid) ") : "", name != NULL ? name : "");
  tui_crt_print (win, y, x, width, overstay ? tui_crt_attr (TUI_COLOR_WARN) : 0, line);
  return 1;
}

static void
overview_draw (TuiScreen *screen,
               WINDOW    *win,
               int        top,
               int        height,
               int        width)
{
  ParkLot *lot = screen->lot;
  attr_t heading = tui_crt_attr (TUI_COLOR_HEADING);
  int half = width / 2, y = top, rows, lines_y;
  guint free_all, total_all;
  GArray *levels;

  if (lot == NULL)
    {
      tui_crt_print (win, top + 1, 2, width - 4, 0, _("Reading the lot…"));
      return;
    }
  free_all = park_lot_get_available (lot, PARK_SPOT_TYPE_ANY);
  total_all = park_lot_get_total (lot, PARK_SPOT_TYPE_ANY);
  tui_crt_printf (win, y++, 1, width - 2, heading, "%s · %s", park_lot_get_name (lot),
                  park_lot_get_address (lot));
  {
    g_autofree char *free_text = g_strdup_printf (_("Free %u of %u"), free_all, total_all);
    int used = tui_crt_print (win, y, 1, width - 2,
                              tui_crt_attr (free_all == 0 ? TUI_COLOR_BAD : TUI_COLOR_GOOD),
                              free_text);
    int bar = MIN (40, width - used - 16);

    if (bar > 5)
      {
        draw_bar (win, y, used + 3, bar, free_all, total_all);
        tui_crt_printf (win, y, used + 4 + bar, width - used - bar - 5, 0, _("%u%% full"),
                        total_all > 0 ? (total_all - free_all) * 100 / total_all : 0);
      }
    if (park_live_feed_get_state (screen->feed) != PARK_LIVE_FEED_STATE_ONLINE)
      tui_crt_print (win, y + 1, 1, width - 2, tui_crt_attr (TUI_COLOR_WARN),
                     _("NOT LIVE: the last counts known; they may be out of date."));
    else if (free_all == 0)
      tui_crt_print (win, y + 1, 1, width - 2, tui_crt_attr (TUI_COLOR_BAD),
                     _("FULL: send walk-ins on; bookings still have their spots."));
    y += 2;
  }

  /* By type (live) and by level (from the spots), side by side. */
  tui_crt_printf (win, y, 1, half - 2, heading, "%-12s %6s %6s", _("Type"), _("Free"),
                  _("Total"));
  tui_crt_printf (win, y, half, width - half - 1, heading, "%-12s %6s %6s", _("Level"),
                  _("Free"), _("Total"));
  y++;
  lines_y = y;
  for (int t = 0; t < PARK_N_SPOT_TYPES; t++)
    {
      guint total = park_lot_get_total (lot, t), free = park_lot_get_available (lot, t);

      if (total == 0)
        continue;
      tui_crt_printf (win, y++, 1, half - 2, free == 0 ? tui_crt_attr (TUI_COLOR_BAD) : 0,
                      "%-12s %6u %6u", _(type_names[t]), free, total);
    }
  rows = y - lines_y;
  levels = g_array_new (FALSE, TRUE, sizeof (int) * 3);
  for (guint i = 0; screen->spots != NULL && i < g_list_model_get_n_items (screen->spots); i++)
    {
      g_autoptr(ParkSpot) spot = g_list_model_get_item (screen->spots, i);
      int level = park_spot_get_level (spot), *row = NULL;

      for (guint j = 0; j < levels->len && row == NULL; j++)
        if (((int *) levels->data)[j * 3] == level)
          row = &((int *) levels->data)[j * 3];
      if (row == NULL)
        {
          int fresh[3] = { level, 0, 0 };
          guint at = 0;

          while (at < levels->len && ((int *) levels->data)[at * 3] > level)
            at++;
          g_array_insert_vals (levels, at, fresh, 1);
          row = &((int *) levels->data)[at * 3];
        }
      row[2]++;
      if (park_spot_get_state (spot) == PARK_SPOT_STATE_AVAILABLE)
        row[1]++;
    }
  y = lines_y;
  for (guint j = 0; j < levels->len && y < lines_y + MAX (rows, 5); j++)
    {
      int *row = &((int *) levels->data)[j * 3];
      g_autofree char *name = row[0] == 0 ? g_strdup (_("Ground"))
                              : row[0] < 0 ? g_strdup_printf (_("Basement %d"), -row[0])
                                           : g_strdup_printf (_("Floor %d"), row[0]);

      tui_crt_printf (win, y++, half, width - half - 1, row[1] == 0
                      ? tui_crt_attr (TUI_COLOR_BAD) : 0, "%-12s %6d %6d", name, row[1], row[2]);
    }
  if (screen->spots == NULL)
    tui_crt_print (win, y++, half, width - half - 1, A_DIM, _("Reading the spots…"));
  g_array_unref (levels);
  y = MAX (y, lines_y + rows) + 1;

  /* Arrivals and overstays. */
  {
    guint n_arr = screen->arrivals != NULL ? g_list_model_get_n_items (screen->arrivals) : 0;
    guint n_over = screen->overstays != NULL ? g_list_model_get_n_items (screen->overstays) : 0;
    int list_top = y + 1, room = top + height - list_top - 1;
    g_autofree char *arr_title = g_strdup_printf (_("Arrivals, next hour (%u)"), n_arr);
    g_autofree char *over_title = g_strdup_printf (_("Overstays (%u)"), n_over);
    gboolean wide = width >= 100;
    int ax = 1, aw = wide ? half - 2 : width - 2, ox = wide ? half : 1, ow = wide
                                                                       ? width - half - 1
                                                                       : width - 2;
    int arr_rows = wide ? room : MAX (1, room / 2), over_top = wide ? list_top
                                                                    : list_top + arr_rows + 1;

    tui_crt_print (win, y, ax, aw, heading, arr_title);
    for (guint i = 0; i < n_arr && (int) i < arr_rows; i++)
      {
        g_autoptr(ParkBoardItem) item = g_list_model_get_item (screen->arrivals, i);

        draw_item (screen, win, list_top + i, ax, aw, item, FALSE);
      }
    if (n_arr == 0)
      tui_crt_print (win, list_top, ax, aw, A_DIM, screen->arrivals == NULL
                     ? _("Reading…") : _("No bookings due."));
    tui_crt_print (win, over_top - 1, ox, ow, heading, over_title);
    for (guint i = 0; i < n_over && (int) over_top + (int) i < top + height - 1; i++)
      {
        g_autoptr(ParkBoardItem) item = g_list_model_get_item (screen->overstays, i);

        draw_item (screen, win, over_top + i, ox, ow, item, TRUE);
      }
    if (n_over == 0)
      tui_crt_print (win, over_top, ox, ow, A_DIM, screen->overstays == NULL
                     ? _("Reading…") : _("Nobody is past their time."));
  }
  tui_crt_print (win, top + height - 1, 1, width - 2, A_DIM,
                 _("i: check in · o: check out · /: search · s: spots · d: shift · ?: help"));
}

const TuiViewOps tui_view_overview = {
  .title = N_("Overview"),
  .scope = TUI_SCOPE_OTHER,
  .draw = overview_draw,
};
