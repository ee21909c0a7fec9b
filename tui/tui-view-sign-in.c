/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tui-view-sign-in.c: the attendant signs in; the password is never shown. */
#include "config.h"

#include "tui-screen.h"
#include "tui-crt.h"

#include <glib/gi18n.h>
#include <string.h>

static TuiForm *form;
static gboolean awaiting_lot;   /* signed in; the lot typed was not found yet */

/* The lot field of the first sign-in: a lot's id, or a part of its name. */
#define LOT_FIELD 2

static void
lot_failed (TuiScreen  *screen,
            const char *text)
{
  if (!tui_screen_has_form (screen, form))
    return;
  tui_form_set_error (form, text);
  tui_form_set_focus (form, LOT_FIELD);
  tui_screen_queue_redraw (screen);
}

static void
lots_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  TuiScreen *screen = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) lots = park_client_list_managed_lots_finish (PARK_CLIENT (source),
                                                                     result, &error);
  g_autofree char *wanted = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(ParkLot) found = NULL;
  guint n, matches = 0;

  if (lots == NULL)
    {
      g_autofree char *text = tui_screen_describe_error (screen, error, _("Reading your lots"));

      if (text != NULL)
        lot_failed (screen, text);
      return;
    }
  if (!tui_screen_has_form (screen, form))
    return;
  wanted = g_utf8_casefold (g_strstrip (g_strdup (tui_form_get_value (form, LOT_FIELD))), -1);
  n = g_list_model_get_n_items (lots);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ParkLot) lot = g_list_model_get_item (lots, i);
      g_autofree char *name = g_utf8_casefold (park_lot_get_name (lot), -1);

      if (*wanted != '\0' && strstr (name, wanted) == NULL)
        continue;
      /* The whole name typed is that lot, even when longer names contain it. */
      if (g_str_equal (name, wanted))
        {
          g_set_object (&found, lot);
          matches = 1;
          break;
        }
      matches++;
      g_set_object (&found, lot);
      if (names->len < 160)
        g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "",
                                park_lot_get_name (lot));
    }
  if (matches == 0)
    {
      g_autofree char *text = n == 0
        ? g_strdup (_("Your account has no lots. Ask your operator to add you to a lot's staff."))
        : g_strdup_printf (_("None of your lots is called “%s”. Type a part of its name."),
                           tui_form_get_value (form, LOT_FIELD));

      lot_failed (screen, text);
      return;
    }
  if (matches > 1)
    {
      g_autofree char *text = *wanted == '\0'
        ? g_strdup_printf (_("Which lot is this booth at? Type a part of its name: %s%s"),
                           names->str, names->len >= 160 ? "…" : "")
        : g_strdup_printf (_("%u lots match: %s%s. Type more of the name."), matches,
                           names->str, names->len >= 160 ? "…" : "");

      lot_failed (screen, text);
      return;
    }
  g_free (screen->lot_id);
  screen->lot_id = g_strdup (park_lot_get_id (found));
  awaiting_lot = FALSE;
  tui_screen_close_form (screen, form);
  form = NULL;
  tui_screen_after_sign_in (screen);
}

/* Signed in: the lot given by its id is the booth's; a name (or nothing) is looked up among
 * the lots of the attendant's operator. */
static void
choose_lot (TuiScreen *screen)
{
  g_autofree char *given = g_strstrip (g_strdup (tui_form_get_value (form, LOT_FIELD)));

  if (g_uuid_string_is_valid (given))
    {
      g_free (screen->lot_id);
      screen->lot_id = g_steal_pointer (&given);
      awaiting_lot = FALSE;
      tui_screen_close_form (screen, form);
      form = NULL;
      tui_screen_after_sign_in (screen);
      return;
    }
  tui_form_set_busy (form, _("Finding your lot…"));
  tui_screen_queue_redraw (screen);
  park_client_list_managed_lots_async (screen->client, NULL, screen->cancellable, lots_cb,
                                       screen);
}

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
  /* Signed in again after the sign-in ended: the lot and the feed are there already. */
  if (screen->lot != NULL)
    {
      tui_screen_close_form (screen, form);
      form = NULL;
      tui_screen_resume (screen);
      return;
    }
  awaiting_lot = TRUE;
  choose_lot (screen);
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
  /* Signed in already, only the lot was not found: look again. */
  if (awaiting_lot)
    {
      choose_lot (screen);
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
  g_autofree char *text = screen->lot != NULL
    ? g_strdup_printf (_("Server: %s\nLot: %s"), screen->backend_url, park_lot_get_name (screen->lot))
    : g_strdup_printf (_("Server: %s"), screen->backend_url);

  if (tui_screen_has_form (screen, form))
    return;
  form = tui_form_new (_("Sign in"), _("Enter: sign in · Tab: next field · Esc: close"));
  tui_form_add_weak_pointer (form, (gpointer *) &form);
  tui_form_set_text (form, text);
  tui_form_add_field (form, _("E-mail"), screen->user, TUI_FIELD_TEXT, 254);
  tui_form_add_field (form, _("Password"), NULL, TUI_FIELD_MASKED, 128);
  /* The first time, the booth's lot: --lot (an id or a part of its name), else typed here. */
  if (screen->lot == NULL)
    tui_form_add_field (form, _("Lot"), screen->lot_id, TUI_FIELD_OPTIONAL, 80);
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
