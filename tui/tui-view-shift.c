/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tui-view-shift.c: the cash drawer. A shift opens with the float; while it is open every
 * cash payment the attendant takes is its; closing it compares the cash counted with what
 * should be there (float + cash taken − change given − cash refunds). The report lists each
 * payment and refund.
 */
#include "config.h"

#include "tui-screen.h"
#include "tui-crt.h"
#include "tui-function-bar.h"
#include "tui-panel.h"

#include <glib/gi18n.h>

static TuiForm *form;
static ParkShift *report_shift;   /* the shift the report is of (the open one, or the last) */
static GListModel *entries;
static TuiPanel panel;

static void
report_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  TuiScreen *screen = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(ParkShift) shift = park_client_get_shift_report_finish (PARK_CLIENT (source), result,
                                                                    &list, &error);

  if (shift == NULL)
    {
      tui_screen_report_error (screen, error, _("Reading the shift report"));
      return;
    }
  g_set_object (&report_shift, shift);
  g_set_object (&entries, list);
  tui_screen_queue_redraw (screen);
}

static void
read_report (TuiScreen *screen)
{
  ParkShift *shift = screen->shift != NULL ? screen->shift : report_shift;

  if (shift != NULL)
    park_client_get_shift_report_async (screen->client, park_shift_get_id (shift),
                                        screen->cancellable, report_cb, screen);
}

static void
shift_open (TuiScreen *screen)
{
  tui_screen_refresh_shift (screen);
  read_report (screen);
}

static void
shift_changed (TuiScreen *screen)
{
  /* The drawer moved (a payment, another console): the report follows. */
  if (screen->shift != NULL && (report_shift == NULL ||
                                g_strcmp0 (park_shift_get_id (report_shift),
                                           park_shift_get_id (screen->shift)) != 0 ||
                                park_shift_get_n_payments (report_shift) !=
                                park_shift_get_n_payments (screen->shift) ||
                                park_shift_get_n_refunds (report_shift) !=
                                park_shift_get_n_refunds (screen->shift)))
    read_report (screen);
}

static int
money_line (WINDOW     *win,
            int         y,
            int         x,
            int         width,
            attr_t      attr,
            const char *label,
            gint64      amount,
            const char *currency)
{
  g_autofree char *money = tui_format_money (amount, currency);

  tui_crt_printf (win, y, x, width, attr, "%-24s %14s", label, money);
  return y + 1;
}

static void
shift_draw (TuiScreen *screen,
            WINDOW    *win,
            int        top,
            int        height,
            int        width)
{
  ParkShift *shift = screen->shift != NULL ? screen->shift : report_shift;
  attr_t heading = tui_crt_attr (TUI_COLOR_HEADING);
  int y = top + 1, x = 1, w = MIN (width - 2, 40);
  const char *cur;

  if (shift == NULL)
    {
      tui_crt_print (win, y++, x, width - 2, 0, screen->shift_known
                     ? _("No shift is open. Press n to open one with the float in the drawer.")
                     : _("Reading the shift…"));
      tui_function_bar_draw_hints (win, top + height - 1, width, TUI_SCOPE_SHIFT);
      return;
    }
  cur = park_shift_get_currency (shift);
  {
    g_autofree char *opened = tui_format_time (screen, park_shift_get_opened_at (shift));
    g_autofree char *closed = tui_format_time (screen, park_shift_get_closed_at (shift));

    if (park_shift_get_open (shift))
      tui_crt_printf (win, y++, x, width - 2, tui_crt_attr (TUI_COLOR_GOOD),
                      _("SHIFT OPEN since %s"), opened);
    else
      tui_crt_printf (win, y++, x, width - 2, heading, _("Shift closed: %s – %s"), opened,
                      closed);
  }
  y = money_line (win, y, x, w, 0, _("Float"), park_shift_get_float (shift), cur);
  y = money_line (win, y, x, w, 0, _("Cash taken"), park_shift_get_taken (shift), cur);
  y = money_line (win, y, x, w, 0, _("Change given"), -park_shift_get_change_given (shift), cur);
  y = money_line (win, y, x, w, 0, _("Cash refunds"), -park_shift_get_refunded (shift), cur);
  y = money_line (win, y, x, w, A_BOLD, _("Expected in drawer"),
                  park_shift_get_expected (shift), cur);
  if (!park_shift_get_open (shift))
    {
      gint64 diff = park_shift_get_difference (shift);

      y = money_line (win, y, x, w, 0, _("Counted"), park_shift_get_counted (shift), cur);
      y = money_line (win, y, x, w, tui_crt_attr (diff == 0 ? TUI_COLOR_GOOD : TUI_COLOR_BAD),
                      diff == 0 ? _("Difference: none") : diff > 0 ? _("Difference: over")
                                                                    : _("Difference: short"),
                      diff, cur);
    }

  /* The report: every payment and refund of the shift. */
  {
    guint n = entries != NULL ? g_list_model_get_n_items (entries) : 0;
    int rows = top + height - 2 - (y + 2);

    y++;
    tui_crt_printf (win, y++, x, width - 2, heading, "%-6s %-8s %-10s %12s %12s %12s",
                    _("Time"), _("Kind"), _("Ticket"), _("Amount"), _("Tendered"), _("Change"));
    if (n == 0)
      tui_crt_print (win, y, x, width - 2, A_DIM, _("No cash taken in this shift yet."));
    tui_panel_clamp (&panel, n, MAX (rows, 1));
    for (guint i = panel.scroll; i < n && y < top + height - 2; i++)
      {
        g_autoptr(ParkShiftEntry) e = g_list_model_get_item (entries, i);
        g_autofree char *at = tui_format_time (screen, park_shift_entry_get_created_at (e));
        g_autofree char *amount = tui_format_money (park_shift_entry_get_is_refund (e)
                                                    ? -park_shift_entry_get_amount (e)
                                                    : park_shift_entry_get_amount (e), cur);
        g_autofree char *tendered = park_shift_entry_get_tendered (e) >= 0
                                    ? tui_format_money (park_shift_entry_get_tendered (e), cur)
                                    : g_strdup ("—");
        g_autofree char *change = park_shift_entry_get_change (e) >= 0
                                  ? tui_format_money (park_shift_entry_get_change (e), cur)
                                  : g_strdup ("—");

        tui_crt_printf (win, y++, x, width - 2, (int) i == panel.selected
                        ? tui_crt_attr (TUI_COLOR_SELECTED) : 0,
                        "%-6s %-8s %-10s %12s %12s %12s", at,
                        park_shift_entry_get_is_refund (e) ? _("refund") : _("payment"),
                        park_shift_entry_get_reference (e), amount, tendered, change);
      }
  }
  tui_function_bar_draw_hints (win, top + height - 1, width, TUI_SCOPE_SHIFT);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  TuiScreen *screen = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkShift) shift = park_client_open_shift_finish (PARK_CLIENT (source), result,
                                                              &error);

  if (shift == NULL)
    {
      g_autofree char *text = tui_screen_describe_error (screen, error, _("Opening the shift"));

      if (text != NULL && tui_screen_has_form (screen, form))
        tui_form_set_error (form, text);
      tui_screen_queue_redraw (screen);
      return;
    }
  tui_screen_close_form (screen, form);
  form = NULL;
  g_set_object (&screen->shift, shift);
  g_set_object (&report_shift, shift);
  g_clear_object (&entries);
  tui_screen_set_status (screen, FALSE, _("Shift open. Cash you take now counts to it."));
  read_report (screen);
}

static gboolean
open_submit (TuiForm  *f,
             gpointer  data)
{
  TuiScreen *screen = data;
  gint64 amount = tui_parse_money (tui_form_get_value (f, 0));

  if (amount < 0)
    {
      tui_form_set_error (f, _("Type the cash in the drawer, e.g. 150 or 150.00."));
      return FALSE;
    }
  tui_form_set_busy (f, _("Opening the shift…"));
  park_client_open_shift_async (screen->client, amount, screen->lot_id, screen->cancellable,
                                opened_cb, screen);
  return FALSE;
}

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  TuiScreen *screen = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkShift) shift = park_client_close_shift_finish (PARK_CLIENT (source), result,
                                                               &error);
  g_autofree char *diff = NULL;

  if (shift == NULL)
    {
      g_autofree char *text = tui_screen_describe_error (screen, error, _("Closing the shift"));

      if (text != NULL && tui_screen_has_form (screen, form))
        tui_form_set_error (form, text);
      tui_screen_queue_redraw (screen);
      return;
    }
  tui_screen_close_form (screen, form);
  form = NULL;
  g_clear_object (&screen->shift);
  g_set_object (&report_shift, shift);
  diff = tui_format_money (park_shift_get_difference (shift), park_shift_get_currency (shift));
  tui_screen_set_status (screen, park_shift_get_difference (shift) != 0,
                         park_shift_get_difference (shift) == 0
                         ? _("Shift closed; the drawer is right (%s).")
                         : _("Shift closed with a difference of %s: tell your operator."), diff);
  read_report (screen);
}

static void
close_changed (TuiForm  *f,
               gpointer  data)
{
  TuiScreen *screen = data;
  gint64 counted = tui_parse_money (tui_form_get_value (f, 0));
  const char *cur = park_shift_get_currency (screen->shift);
  g_autofree char *expected = tui_format_money (park_shift_get_expected (screen->shift), cur);
  g_autofree char *text = NULL;

  if (counted < 0)
    text = g_strdup_printf (_("Expected in the drawer: %s"), expected);
  else
    {
      g_autofree char *diff = tui_format_money (counted - park_shift_get_expected (screen->shift),
                                                cur);

      text = g_strdup_printf (_("Expected in the drawer: %s\nDifference: %s"), expected, diff);
    }
  tui_form_set_text (f, text);
}

static gboolean
close_submit (TuiForm  *f,
              gpointer  data)
{
  TuiScreen *screen = data;
  gint64 counted = tui_parse_money (tui_form_get_value (f, 0));

  if (counted < 0)
    {
      tui_form_set_error (f, _("Type the cash counted in the drawer, e.g. 245.50."));
      tui_form_set_focus (f, 0);
      return FALSE;
    }
  tui_form_set_busy (f, _("Closing the shift…"));
  park_client_close_shift_async (screen->client, park_shift_get_id (screen->shift), counted,
                                 tui_form_get_value (f, 1), screen->cancellable, closed_cb,
                                 screen);
  return FALSE;
}

static TuiKeyResult
shift_key (TuiScreen *screen,
           TuiAction  action,
           int        key,
           gboolean   is_code)
{
  guint n = entries != NULL ? g_list_model_get_n_items (entries) : 0;

  if (is_code && tui_panel_move (&panel, key, n, MAX (getmaxy (stdscr) - 16, 1), 1))
    return TUI_KEY_REDRAW;
  if (action == TUI_ACTION_OPEN_SHIFT)
    {
      if (screen->shift != NULL)
        {
          tui_screen_set_status (screen, TRUE, _("A shift is open already: close it first (c)."));
          return TUI_KEY_HANDLED;
        }
      form = tui_form_new (_("Open shift"), _("Enter: open the shift · Esc: cancel"));
      tui_form_add_weak_pointer (form, (gpointer *) &form);
      tui_form_set_text (form, _("Count the float in the drawer."));
      tui_form_add_field (form, _("Float"), NULL, TUI_FIELD_MONEY, 10);
      tui_form_set_callbacks (form, open_submit, NULL, screen);
      tui_screen_open_form (screen, form);
      return TUI_KEY_HANDLED;
    }
  if (action == TUI_ACTION_CLOSE_SHIFT)
    {
      if (screen->shift == NULL)
        {
          tui_screen_set_status (screen, TRUE, _("No shift is open: n opens one."));
          return TUI_KEY_HANDLED;
        }
      form = tui_form_new (_("Close shift"), _("Enter: close the shift · Esc: cancel"));
      tui_form_add_weak_pointer (form, (gpointer *) &form);
      tui_form_add_field (form, _("Cash counted"), NULL, TUI_FIELD_MONEY, 12);
      tui_form_add_field (form, _("Note"), NULL, TUI_FIELD_OPTIONAL, 200);
      tui_form_set_callbacks (form, close_submit, close_changed, screen);
      close_changed (form, screen);
      tui_screen_open_form (screen, form);
      return TUI_KEY_HANDLED;
    }
  return TUI_KEY_IGNORED;
}

const TuiViewOps tui_view_shift = {
  .title = N_("Shift"),
  .scope = TUI_SCOPE_SHIFT,
  .open = shift_open,
  .draw = shift_draw,
  .handle_key = shift_key,
  .changed = shift_changed,
};
