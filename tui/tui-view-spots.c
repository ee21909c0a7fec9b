/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tui-view-spots.c: the lot's spots as a grid, one level at a time, each with a symbol for
 * its state (so it reads without colour). A spot is taken out of service with a reason, and
 * put back, from here.
 */
#include "config.h"

#include "tui-screen.h"
#include "tui-crt.h"
#include "tui-function-bar.h"

#include <glib/gi18n.h>

#define CELL_WIDTH 10

static int level;               /* the level shown */
static gboolean level_set;
static int selected;            /* index among the level's spots */
static int scroll_row;
static TuiForm *form;
static char *pending_spot;      /* the spot a change is on its way for */
static gboolean pending_to_service;

/* The spots of the level shown, in the lot's order (by number). */
static GPtrArray *
level_spots (TuiScreen *screen)
{
  GPtrArray *spots = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; screen->spots != NULL && i < g_list_model_get_n_items (screen->spots); i++)
    {
      ParkSpot *spot = g_list_model_get_item (screen->spots, i);

      if (park_spot_get_level (spot) == level)
        g_ptr_array_add (spots, spot);
      else
        g_object_unref (spot);
    }
  return spots;
}

/* The levels, top first. */
static GArray *
levels (TuiScreen *screen)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (int));

  for (guint i = 0; screen->spots != NULL && i < g_list_model_get_n_items (screen->spots); i++)
    {
      g_autoptr(ParkSpot) spot = g_list_model_get_item (screen->spots, i);
      int l = park_spot_get_level (spot);
      guint at = 0;
      gboolean known = FALSE;

      for (guint j = 0; j < out->len; j++)
        known |= g_array_index (out, int, j) == l;
      if (known)
        continue;
      while (at < out->len && g_array_index (out, int, at) > l)
        at++;
      g_array_insert_val (out, at, l);
    }
  return out;
}

static char *
level_name (int l)
{
  return l == 0 ? g_strdup (_("Ground")) : l < 0 ? g_strdup_printf (_("Basement %d"), -l)
                                                  : g_strdup_printf (_("Floor %d"), l);
}

static void
spots_changed (TuiScreen *screen)
{
  g_autoptr(GArray) all = levels (screen);

  if (!level_set && all->len > 0)
    {
      level = g_array_index (all, int, 0);
      level_set = TRUE;
    }
}

static char
symbol (ParkSpotState state)
{
  switch (state)
    {
    case PARK_SPOT_STATE_AVAILABLE:
      return '.';
    case PARK_SPOT_STATE_OCCUPIED:
      return 'X';
    case PARK_SPOT_STATE_RESERVED:
      return 'R';
    case PARK_SPOT_STATE_OUT_OF_SERVICE:
    default:
      return '#';
    }
}

static TuiColor
color (ParkSpotState state)
{
  switch (state)
    {
    case PARK_SPOT_STATE_AVAILABLE:
      return TUI_COLOR_GOOD;
    case PARK_SPOT_STATE_OCCUPIED:
      return TUI_COLOR_BAD;
    case PARK_SPOT_STATE_RESERVED:
      return TUI_COLOR_WARN;
    case PARK_SPOT_STATE_OUT_OF_SERVICE:
    default:
      return TUI_COLOR_DISABLED;
    }
}

static void
spots_draw (TuiScreen *screen,
            WINDOW    *win,
            int        top,
            int        height,
            int        width)
{
  g_autoptr(GPtrArray) spots = NULL;
  g_autoptr(GArray) all = NULL;
  g_autofree char *name = NULL;
  int columns = MAX (1, (width - 2) / CELL_WIDTH), rows = height - 5, y = top;
  guint free = 0;

  if (screen->spots == NULL)
    {
      tui_crt_print (win, top + 1, 1, width - 2, 0, _("Reading the spots…"));
      return;
    }
  spots_changed (screen);
  spots = level_spots (screen);
  all = levels (screen);
  name = level_name (level);
  for (guint i = 0; i < spots->len; i++)
    free += park_spot_get_state (g_ptr_array_index (spots, i)) == PARK_SPOT_STATE_AVAILABLE;
  tui_crt_printf (win, y++, 1, width - 2, tui_crt_attr (TUI_COLOR_HEADING),
                  _("%s: %u of %u free  ([ ] or PgUp/PgDn: other levels, %u in all)"), name,
                  free, spots->len, all->len);
  {
    int x = 1;

    x += tui_crt_print (win, y, x, width - x, tui_crt_attr (TUI_COLOR_GOOD), _(". free"));
    x += tui_crt_print (win, y, x, width - x, 0, "  ");
    x += tui_crt_print (win, y, x, width - x, tui_crt_attr (TUI_COLOR_BAD), _("X occupied"));
    x += tui_crt_print (win, y, x, width - x, 0, "  ");
    x += tui_crt_print (win, y, x, width - x, tui_crt_attr (TUI_COLOR_WARN), _("R reserved"));
    x += tui_crt_print (win, y, x, width - x, 0, "  ");
    tui_crt_print (win, y, x, width - x, tui_crt_attr (TUI_COLOR_DISABLED),
                   _("# out of service"));
    y++;
  }
  if (spots->len == 0)
    {
      tui_crt_print (win, y + 1, 1, width - 2, 0, _("No spots on this level."));
      return;
    }
  selected = CLAMP (selected, 0, (int) spots->len - 1);
  if (selected / columns < scroll_row)
    scroll_row = selected / columns;
  if (selected / columns >= scroll_row + rows)
    scroll_row = selected / columns - rows + 1;
  for (guint i = scroll_row * columns; i < spots->len; i++)
    {
      ParkSpot *spot = g_ptr_array_index (spots, i);
      int row = i / columns - scroll_row, col = i % columns;
      attr_t attr = (int) i == selected ? tui_crt_attr (TUI_COLOR_SELECTED)
                                        : tui_crt_attr (color (park_spot_get_state (spot)));

      if (row >= rows)
        break;
      /* The chosen spot is marked with > as well, for terminals without reverse video. */
      tui_crt_printf (win, y + 1 + row, col * CELL_WIDTH, CELL_WIDTH - 1, attr, "%c%c %-7s",
                      (int) i == selected ? '>' : ' ', symbol (park_spot_get_state (spot)),
                      park_spot_get_number (spot));
    }
  {
    ParkSpot *spot = g_ptr_array_index (spots, selected);
    static const char * const states[] = {
      N_("free"), N_("occupied"), N_("reserved"), N_("out of service"),
    };

    tui_crt_printf (win, top + height - 2, 1, width - 2, 0, _("Spot %s: %s"),
                    park_spot_get_number (spot), _(states[park_spot_get_state (spot)]));
  }
  tui_function_bar_draw_hints (win, top + height - 1, width, TUI_SCOPE_SPOTS);
}

static void
mark_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  TuiScreen *screen = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkSpot) spot = park_client_mark_spot_finish (PARK_CLIENT (source), result, &error);

  if (spot == NULL)
    {
      g_autofree char *text = tui_screen_describe_error (screen, error, _("Changing the spot"));

      if (text != NULL && tui_screen_has_form (screen, form))
        tui_form_set_error (form, text);
      else if (text != NULL)
        tui_screen_set_status (screen, TRUE, "%s", text);
      tui_screen_queue_redraw (screen);
      return;
    }
  tui_screen_close_form (screen, form);
  form = NULL;
  tui_screen_set_status (screen, FALSE,
                         park_spot_get_state (spot) == PARK_SPOT_STATE_OUT_OF_SERVICE
                         ? _("Spot %s is out of service.") : _("Spot %s is back in service."),
                         park_spot_get_number (spot));
  tui_screen_refresh (screen);
}

static gboolean
mark_submit (TuiForm  *f,
             gpointer  data)
{
  TuiScreen *screen = data;
  gboolean to_service = pending_to_service;
  g_autofree char *reason = NULL;

  /* The out-of-service dialog has a reason field; the way back is a question. */
  if (!to_service)
    {
      reason = g_strstrip (g_strdup (tui_form_get_value (f, 0)));
      if (*reason == '\0')
        {
          tui_form_set_error (f, _("Say why, for the next shift: a leak, a broken light…"));
          return FALSE;
        }
    }
  tui_form_set_busy (f, _("Saving…"));
  park_client_mark_spot_async (screen->client, pending_spot, to_service
                               ? PARK_SPOT_STATE_AVAILABLE : PARK_SPOT_STATE_OUT_OF_SERVICE,
                               reason, screen->cancellable, mark_cb, screen);
  return FALSE;
}

static TuiKeyResult
spots_key (TuiScreen *screen,
           TuiAction  action,
           int        key,
           gboolean   is_code)
{
  g_autoptr(GPtrArray) spots = level_spots (screen);
  int columns = MAX (1, (getmaxx (stdscr) - 2) / CELL_WIDTH);

  if (is_code && (key == KEY_UP || key == KEY_DOWN || key == KEY_LEFT || key == KEY_RIGHT ||
                  key == KEY_HOME || key == KEY_END))
    {
      int n = spots->len;

      if (key == KEY_UP && selected - columns >= 0)
        selected -= columns;
      else if (key == KEY_DOWN && selected + columns < n)
        selected += columns;
      else if (key == KEY_LEFT && selected > 0)
        selected--;
      else if (key == KEY_RIGHT && selected + 1 < n)
        selected++;
      else if (key == KEY_HOME)
        selected = 0;
      else if (key == KEY_END)
        selected = MAX (n - 1, 0);
      return TUI_KEY_REDRAW;
    }
  if (action == TUI_ACTION_PREV_LEVEL || action == TUI_ACTION_NEXT_LEVEL)
    {
      g_autoptr(GArray) all = levels (screen);

      for (guint i = 0; i < all->len; i++)
        if (g_array_index (all, int, i) == level)
          {
            guint to = action == TUI_ACTION_PREV_LEVEL ? (i > 0 ? i - 1 : 0)
                                                       : MIN (i + 1, all->len - 1);

            level = g_array_index (all, int, to);
            selected = scroll_row = 0;
            break;
          }
      return TUI_KEY_REDRAW;
    }
  if ((action == TUI_ACTION_TOGGLE_SPOT || (!is_code && (key == '\n' || key == '\r'))) &&
      selected >= 0 && (guint) selected < spots->len)
    {
      ParkSpot *spot = g_ptr_array_index (spots, selected);
      gboolean out = park_spot_get_state (spot) == PARK_SPOT_STATE_OUT_OF_SERVICE;
      g_autofree char *text = NULL;

      g_free (pending_spot);
      pending_spot = g_strdup (park_spot_get_id (spot));
      pending_to_service = out;
      if (out)
        {
          text = g_strdup_printf (_("Put spot %s back in service?"), park_spot_get_number (spot));
          form = tui_form_new (_("Back in service"), NULL);
          tui_form_add_weak_pointer (form, (gpointer *) &form);
        }
      else
        {
          text = g_strdup_printf (_("Take spot %s out of service. Drivers will not be sent "
                                    "there."), park_spot_get_number (spot));
          form = tui_form_new (_("Out of service"), _("Enter: confirm · Esc: cancel"));
          tui_form_add_weak_pointer (form, (gpointer *) &form);
          tui_form_add_field (form, _("Reason"), NULL, TUI_FIELD_TEXT, 200);
        }
      tui_form_set_text (form, text);
      tui_form_set_callbacks (form, mark_submit, NULL, screen);
      tui_screen_open_form (screen, form);
      return TUI_KEY_HANDLED;
    }
  return TUI_KEY_IGNORED;
}

const TuiViewOps tui_view_spots = {
  .title = N_("Spots"),
  .scope = TUI_SCOPE_SPOTS,
  .draw = spots_draw,
  .handle_key = spots_key,
  .changed = spots_changed,
};
