/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tui-view-sign-in.c: the attendant signs in; the password is never shown. */
#include "config.h"

#include "tui-screen.h"
#include "tui-crt.h"

#include <glib/gi18n.h>

static TuiForm *form;

static void
sign_in_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  TuiScreen *screen = data;
  g_autoptr(GError) error = NULL;

  if (!park_client_sign_in_finish (PARK_CLIENT (source), result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAUTHORIZED) ||
          g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION))
        {
          text = g_strdup (_("Wrong e-mail or password. Type them again."));
          if (tui_screen_has_form (screen, form))
            {
              tui_form_set_value (form, 1, NULL);
              tui_form_set_focus (form, 1);
            }
        }
      else
        text = tui_screen_describe_error (screen, error, _("Signing in"));
      if (text != NULL && tui_screen_has_form (screen, form))
        {
          tui_form_set_error (form, text);
          tui_screen_queue_redraw (screen);
        }
      return;
    }
  tui_screen_close_form (screen, form);
  form = NULL;
  /* Signed in again after the sign-in ended: the lot and the feed are there already. */
  if (screen->lot != NULL)
    {
      screen->signed_in = TRUE;
      tui_screen_set_status (screen, FALSE, _("Signed in again."));
      tui_screen_refresh (screen);
      tui_screen_show (screen, screen->previous_view != NULL ? screen->previous_view
                                                             : &tui_view_overview);
      return;
    }
  tui_screen_after_sign_in (screen);
}

static gboolean
submit (TuiForm  *f,
        gpointer  data)
{
  TuiScreen *screen = data;
  g_autofree char *email = g_strstrip (g_strdup (tui_form_get_value (f, 0)));
  const char *password = tui_form_get_value (f, 1);

  if (*email == '\0')
    {
      tui_form_set_error (f, _("Type your e-mail address."));
      tui_form_set_focus (f, 0);
      return FALSE;
    }
  if (*password == '\0')
    {
      tui_form_set_error (f, _("Type your password."));
      tui_form_set_focus (f, 1);
      return FALSE;
    }
  tui_form_set_busy (f, _("Signing in…"));
  park_client_sign_in_async (screen->client, email, password, screen->cancellable, sign_in_cb,
                             screen);
  return FALSE;
}

static void
sign_in_open (TuiScreen *screen)
{
  g_autofree char *text = g_strdup_printf (_("Server: %s\nLot: %s"), screen->backend_url,
                                           screen->lot_id);

  if (tui_screen_has_form (screen, form))
    return;
  form = tui_form_new (_("Sign in"), _("Enter: sign in · Tab: next field · Esc: close"));
  tui_form_add_weak_pointer (form, (gpointer *) &form);
  tui_form_set_text (form, text);
  tui_form_add_field (form, _("E-mail"), screen->user, TUI_FIELD_TEXT, 254);
  tui_form_add_field (form, _("Password"), NULL, TUI_FIELD_MASKED, 128);
  tui_form_set_focus (form, screen->user != NULL ? 1 : 0);
  tui_form_set_callbacks (form, submit, NULL, screen);
  tui_screen_open_form (screen, form);
}

static void
sign_in_draw (TuiScreen *screen,
              WINDOW    *win,
              int        top,
              int        height,
              int        width)
{
  tui_crt_print (win, top + 1, 2, width - 4, tui_crt_attr (TUI_COLOR_HEADING),
                 _("Parkade attendant console"));
  tui_crt_print (win, top + 2, 2, width - 4, 0,
                 _("Sign in with your attendant account to work at the booth."));
  tui_crt_print (win, top + 3, 2, width - 4, 0, _("Enter: sign in · Esc: quit"));
}

static TuiKeyResult
sign_in_key (TuiScreen *screen,
             TuiAction  action,
             int        key,
             gboolean   is_code)
{
  /* The dialog was escaped: Esc again, or Enter, brings it back; q quits. */
  if (!is_code && (key == '\n' || key == '\r' || key == 27))
    {
      if (key == 27 && !tui_screen_has_form (screen, form))
        {
          tui_screen_quit (screen);
          return TUI_KEY_HANDLED;
        }
      sign_in_open (screen);
      return TUI_KEY_HANDLED;
    }
  return TUI_KEY_IGNORED;
}

const TuiViewOps tui_view_sign_in = {
  .title = N_("Sign in"),
  .scope = TUI_SCOPE_OTHER,
  .open = sign_in_open,
  .draw = sign_in_draw,
  .handle_key = sign_in_key,
};
