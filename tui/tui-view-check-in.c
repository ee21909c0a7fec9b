/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tui-view-check-in.c: a car arrives. The attendant types its plate and, for a booking, its
 * code; a walk-in gets a ticket, whose code the screen shows large enough to copy onto a
 * paper ticket. The last arrivals stay listed.
 */
#include "config.h"

#include "tui-screen.h"
#include "tui-crt.h"
#include "tui-function-bar.h"

#include <glib/gi18n.h>

static TuiForm *form;
static GPtrArray *recent;       /* ParkSession, newest first */
static char *prefill_plate;
static char *prefill_code;

static void open_form (TuiScreen *screen);

static void
check_in_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  TuiScreen *screen = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkSession) session = park_client_check_in_finish (PARK_CLIENT (source), result,
                                                                &error);

  if (session == NULL)
    {
      g_autofree char *text = tui_screen_describe_error (screen, error, _("Check-in failed"));

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
  if (recent == NULL)
    recent = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_insert (recent, 0, g_object_ref (session));
  if (recent->len > 50)
    g_ptr_array_set_size (recent, 50);
  tui_screen_set_status (screen, FALSE, _("Checked in %s: ticket %s, spot %s."),
                         park_session_get_plate (session), park_session_get_ticket (session),
                         park_session_get_spot_number (session) != NULL
                         ? park_session_get_spot_number (session) : "—");
  tui_screen_refresh (screen);
  /* The queue moves on: the next plate can be typed at once; the ticket stays in view
   * above the dialog. */
  open_form (screen);
}

static gboolean
submit (TuiForm  *f,
        gpointer  data)
{
  TuiScreen *screen = data;
  g_autofree char *plate = g_strstrip (g_strdup (tui_form_get_value (f, 0)));
  g_autofree char *code = g_strstrip (g_strdup (tui_form_get_value (f, 1)));

  if (*plate == '\0')
    {
      tui_form_set_error (f, _("Type the car's plate."));
      tui_form_set_focus (f, 0);
      return FALSE;
    }
  tui_form_set_busy (f, *code != '\0' ? _("Checking the booking in…") : _("Checking in…"));
  park_client_check_in_async (screen->client, screen->lot_id, plate, NULL,
                              *code != '\0' ? code : NULL, screen->cancellable, check_in_cb,
                              screen);
  return FALSE;
}

static void
open_form (TuiScreen *screen)
{
  form = tui_form_new (_("Check in"), _("Enter: check in · Tab: next field · Esc: cancel"));
  tui_form_add_weak_pointer (form, (gpointer *) &form);
  tui_form_set_text (form, _("A walk-in: the plate only. A booking: its code too."));
  tui_form_add_field (form, _("Plate"), prefill_plate, TUI_FIELD_UPPER, 20);
  tui_form_add_field (form, _("Booking code"), prefill_code,
                      TUI_FIELD_UPPER | TUI_FIELD_OPTIONAL, 16);
  tui_form_set_callbacks (form, submit, NULL, screen);
  g_clear_pointer (&prefill_plate, g_free);
  g_clear_pointer (&prefill_code, g_free);
  tui_screen_open_form (screen, form);
}

void
tui_view_check_in_prefill (TuiScreen  *screen,
                           const char *plate,
                           const char *code)
{
  g_free (prefill_plate);
  g_free (prefill_code);
  prefill_plate = g_strdup (plate);
  prefill_code = g_strdup (code);
  tui_screen_show (screen, &tui_view_check_in);
}

static void
check_in_open (TuiScreen *screen)
{
  if (!tui_screen_has_form (screen, form))
    open_form (screen);
}

static void
check_in_draw (TuiScreen *screen,
               WINDOW    *win,
               int        top,
               int        height,
               int        width)
{
  attr_t heading = tui_crt_attr (TUI_COLOR_HEADING);
  int y = top + 1;

  if (recent != NULL && recent->len > 0)
    {
      ParkSession *last = g_ptr_array_index (recent, 0);
      g_autofree char *since = tui_format_time (screen, park_session_get_checked_in_at (last));

      tui_crt_print (win, y++, 2, width - 4, heading, _("Last check-in"));
      tui_crt_printf (win, y++, 4, width - 6, tui_crt_attr (TUI_COLOR_GOOD),
                      _("TICKET  %s"), park_session_get_ticket (last));
      tui_crt_printf (win, y++, 4, width - 6, 0, _("Plate %s · spot %s · in at %s"),
                      park_session_get_plate (last),
                      park_session_get_spot_number (last) != NULL
                      ? park_session_get_spot_number (last) : "—", since);
      y++;
      tui_crt_printf (win, y++, 2, width - 4, heading, "%-10s %-12s %-8s %s", _("Ticket"),
                      _("Plate"), _("Spot"), _("In at"));
      for (guint i = 0; i < recent->len && y < top + height - 2; i++)
        {
          ParkSession *s = g_ptr_array_index (recent, i);
          g_autofree char *at = tui_format_time (screen, park_session_get_checked_in_at (s));

          tui_crt_printf (win, y++, 2, width - 4, 0, "%-10s %-12s %-8s %s",
                          park_session_get_ticket (s), park_session_get_plate (s),
                          park_session_get_spot_number (s) != NULL
                          ? park_session_get_spot_number (s) : "—", at);
        }
    }
  else
    tui_crt_print (win, y, 2, width - 4, 0, _("No car checked in from this console yet."));
  tui_function_bar_draw_hints (win, top + height - 1, width, TUI_SCOPE_CHECK_IN);
}

static TuiKeyResult
check_in_key (TuiScreen *screen,
              TuiAction  action,
              int        key,
              gboolean   is_code)
{
  if (action == TUI_ACTION_NEW_ENTRY || action == TUI_ACTION_CHECK_IN ||
      (!is_code && (key == '\n' || key == '\r')))
    {
      open_form (screen);
      return TUI_KEY_HANDLED;
    }
  return TUI_KEY_IGNORED;
}

const TuiViewOps tui_view_check_in = {
  .title = N_("Check in"),
  .scope = TUI_SCOPE_CHECK_IN,
  .open = check_in_open,
  .draw = check_in_draw,
  .handle_key = check_in_key,
};
