/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tui-view-search.c: bookings and stays of the lot by plate, code, ticket or the driver's
 * name. Enter on a stay checks it out, on a booking checks it in.
 */
#include "config.h"

#include "tui-screen.h"
#include "tui-crt.h"
#include "tui-function-bar.h"
#include "tui-panel.h"

#include <glib/gi18n.h>

static TuiForm *form;
static char *query;
static GListModel *results;
static TuiPanel panel;

static void
search_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  TuiScreen *screen = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) matches = NULL;

  if (!park_client_get_board_finish (PARK_CLIENT (source), result, NULL, NULL, &matches, &error))
    {
      g_autofree char *text = tui_screen_describe_error (screen, error, _("Search failed"));

      if (text != NULL && tui_screen_has_form (screen, form))
        tui_form_set_error (form, text);
      else if (text != NULL)
        tui_screen_set_status (screen, TRUE, "%s", text);
      tui_screen_queue_redraw (screen);
      return;
    }
  tui_screen_backend_ok (screen);
  tui_screen_close_form (screen, form);
  form = NULL;
  g_set_object (&results, matches);
  panel.selected = 0;
  panel.scroll = 0;
  tui_screen_set_status (screen, FALSE,
                         g_dngettext (GETTEXT_PACKAGE, "%u match for “%s”.",
                                      "%u matches for “%s”.",
                                      g_list_model_get_n_items (matches)),
                         g_list_model_get_n_items (matches), query);
}

static gboolean
submit (TuiForm  *f,
        gpointer  data)
{
  TuiScreen *screen = data;
  g_autofree char *text = g_strstrip (g_strdup (tui_form_get_value (f, 0)));

  if (*text == '\0')
    {
      tui_form_set_error (f, _("Type part of a plate, a code, a ticket or a name."));
      return FALSE;
    }
  g_free (query);
  query = g_steal_pointer (&text);
  tui_form_set_busy (f, _("Searching…"));
  park_client_get_board_async (screen->client, screen->lot_id, query, screen->cancellable,
                               search_cb, screen);
  return FALSE;
}

static void
open_form (TuiScreen *screen)
{
  form = tui_form_new (_("Search"), _("Enter: search · Esc: cancel"));
  tui_form_add_weak_pointer (form, (gpointer *) &form);
  tui_form_set_text (form, _("Plate, booking code, ticket or the driver's name."));
  tui_form_add_field (form, _("Search for"), query, TUI_FIELD_TEXT, 64);
  tui_form_set_callbacks (form, submit, NULL, screen);
  tui_screen_open_form (screen, form);
}

static void
search_open (TuiScreen *screen)
{
  if (!tui_screen_has_form (screen, form))
    open_form (screen);
}

static void
search_draw (TuiScreen *screen,
             WINDOW    *win,
             int        top,
             int        height,
             int        width)
{
  int y = top + 1, rows = height - 4;
  guint n = results != NULL ? g_list_model_get_n_items (results) : 0;

  if (results == NULL)
    {
      tui_crt_print (win, y, 1, width - 2, 0, _("Press n or / and type what to look for."));
      tui_function_bar_draw_hints (win, top + height - 1, width, TUI_SCOPE_SEARCH);
      return;
    }
  tui_crt_printf (win, y++, 1, width - 2, tui_crt_attr (TUI_COLOR_HEADING),
                  "%-8s %-9s %-11s %-10s %-6s %-11s %s", _("Kind"), _("Code"), _("Plate"),
                  _("Status"), _("Spot"), _("Time"), _("Name"));
  if (n == 0)
    tui_crt_printf (win, y, 1, width - 2, A_DIM, _("Nothing matches “%s”."), query);
  tui_panel_clamp (&panel, n, rows);
  for (guint i = panel.scroll; i < n && y < top + height - 2; i++)
    {
      g_autoptr(ParkBoardItem) item = g_list_model_get_item (results, i);
      gboolean stay = park_board_item_get_is_stay (item);
      g_autofree char *start = tui_format_time (screen, park_board_item_get_start_time (item));
      const char *plate = park_board_item_get_plate (item);
      const char *name = park_board_item_get_name (item);
      const char *spot = park_board_item_get_spot_number (item);

      tui_crt_printf (win, y++, 1, width - 2, (int) i == panel.selected
                      ? tui_crt_attr (TUI_COLOR_SELECTED) : 0,
                      "%-8s %-9s %-11s %-10s %-6s %-11s %s",
                      stay ? _("stay") : _("booking"), park_board_item_get_reference (item),
                      plate != NULL ? plate : "—", park_board_item_get_status (item),
                      spot != NULL ? spot : "—", start, name != NULL ? name : "");
    }
  tui_function_bar_draw_hints (win, top + height - 1, width, TUI_SCOPE_SEARCH);
}

static TuiKeyResult
search_key (TuiScreen *screen,
            TuiAction  action,
            int        key,
            gboolean   is_code)
{
  guint n = results != NULL ? g_list_model_get_n_items (results) : 0;
  int rows = MAX (getmaxy (stdscr) - 7, 1);

  if (is_code && tui_panel_move (&panel, key, n, rows, 1))
    return TUI_KEY_REDRAW;
  if (action == TUI_ACTION_NEW_SEARCH || action == TUI_ACTION_SEARCH)
    {
      open_form (screen);
      return TUI_KEY_HANDLED;
    }
  if (action == TUI_ACTION_OPEN_ITEM && panel.selected >= 0 && (guint) panel.selected < n)
    {
      g_autoptr(ParkBoardItem) item = g_list_model_get_item (results, panel.selected);

      if (park_board_item_get_is_stay (item))
        tui_view_check_out_load (screen, park_board_item_get_reference (item));
      else if (g_strcmp0 (park_board_item_get_status (item), "confirmed") == 0)
        tui_view_check_in_prefill (screen, park_board_item_get_plate (item),
                                   park_board_item_get_reference (item));
      else
        tui_screen_set_status (screen, TRUE, _("This booking is %s: it cannot be checked in."),
                               park_board_item_get_status (item));
      return TUI_KEY_HANDLED;
    }
  return TUI_KEY_IGNORED;
}

const TuiViewOps tui_view_search = {
  .title = N_("Search"),
  .scope = TUI_SCOPE_SEARCH,
  .open = search_open,
  .draw = search_draw,
  .handle_key = search_key,
};
