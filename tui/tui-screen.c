/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tui-screen.c: the console's frame and its event loop. Keys arrive through a GSource on
 * standard input (irssi's input_listen_init), libsoup's answers through the same GLib main
 * loop, and the screen is drawn again from an idle source, so nothing ever waits on the
 * network while the attendant types.
 */
#include "config.h"

#include "tui-screen.h"
#include "tui-crt.h"
#include "tui-function-bar.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

/* After a lot changes, its spots and the board are read once things settle. */
#define REFRESH_DELAY_MS 700
/* Arrivals move into "the next hour" with the clock alone. */
#define TICK_SECONDS 30

static void refresh_now (TuiScreen *self);

TuiScreen *
tui_screen_new (const char *backend_url,
                const char *lot_id,
                const char *user,
                TuiConfig  *config)
{
  TuiScreen *self = g_new0 (TuiScreen, 1);

  self->backend_url = g_strdup (backend_url);
  self->lot_id = g_strdup (lot_id);
  self->user = g_strdup (user);
  self->config = config;
  self->loop = g_main_loop_new (NULL, FALSE);
  self->cancellable = g_cancellable_new ();
  /* The console never remembers a sign-in: booth terminals are shared. */
  self->client = park_client_new (backend_url, NULL);
  self->feed = park_live_feed_new (self->client);
  self->watched = g_list_store_new (PARK_TYPE_LOT);
  return self;
}

void
tui_screen_free (TuiScreen *self)
{
  if (self == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_signal_handlers_disconnect_by_data (self->feed, self);
  g_signal_handlers_disconnect_by_data (self->client, self);
  park_live_feed_stop (self->feed);
  g_clear_handle_id (&self->redraw_id, g_source_remove);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->input_id, g_source_remove);
  for (guint i = 0; i < G_N_ELEMENTS (self->signal_ids); i++)
    g_clear_handle_id (&self->signal_ids[i], g_source_remove);
  g_clear_pointer (&self->form, tui_form_free);
  g_clear_pointer (&self->held_form, tui_form_free);
  g_clear_object (&self->feed);
  g_clear_object (&self->client);
  g_clear_object (&self->lot);
  g_clear_object (&self->watched);
  g_clear_object (&self->spots);
  g_clear_object (&self->arrivals);
  g_clear_object (&self->overstays);
  g_clear_object (&self->shift);
  g_clear_pointer (&self->board_time, g_date_time_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_free (self->status);
  g_free (self->backend_url);
  g_free (self->lot_id);
  g_free (self->user);
  g_free (self);
}

/* ---- Money and time -------------------------------------------------------------- */

char *
tui_format_money (gint64      amount,
                  const char *currency)
{
  g_autofree char *digits = park_money_format_abs (amount, currency);

  return g_strdup_printf ("%s %s%s", currency != NULL ? currency : "", amount < 0 ? "-" : "",
                          digits);
}

gint64
tui_parse_money (const char *text)
{
  gint64 major = 0, minor = 0;
  int decimals = -1;

  if (text == NULL || *text == '\0')
    return -1;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '.' || *p == ',')
        {
          if (decimals >= 0)
            return -1;
          decimals = 0;
        }
      else if (g_ascii_isdigit (*p))
        {
          if (decimals < 0)
            {
              if (major > 10000000)
                return -1;
              major = major * 10 + (*p - '0');
            }
          else if (++decimals <= 2)
            minor = minor * 10 + (*p - '0');
          else
            return -1;
        }
      else
        return -1;
    }
  if (decimals == 1)
    minor *= 10;
  return major * 100 + minor;
}

char *
tui_format_time (TuiScreen *self,
                 GDateTime *time)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (time == NULL)
    return g_strdup ("—");
  if (self->lot != NULL && park_lot_get_time_zone (self->lot) != NULL)
    tz = g_time_zone_new_identifier (park_lot_get_time_zone (self->lot));
  if (tz == NULL)
    tz = g_time_zone_new_local ();
  local = g_date_time_to_timezone (time, tz);
  now = g_date_time_new_now (tz);
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");
  return g_date_time_format (local, "%d %b %H:%M");
}

/* ---- Status line and errors ------------------------------------------------------ */

void
tui_screen_set_status (TuiScreen  *self,
                       gboolean    error,
                       const char *format,
                       ...)
{
  va_list args;

  g_free (self->status);
  va_start (args, format);
  self->status = g_strdup_vprintf (format, args);
  va_end (args);
  self->status_error = error;
  self->status_time = g_get_monotonic_time ();
  if (error)
    g_message ("status: %s", self->status);
  tui_screen_queue_redraw (self);
}

void
tui_screen_backend_ok (TuiScreen *self)
{
  if (self->backend_down)
    {
      self->backend_down = FALSE;
      /* An answer to a request sent before the server went away can arrive after the feed
       * lost it: only with the feed back is the server really back (its own message). */
      if (self->status_error && self->feed != NULL &&
          park_live_feed_get_state (self->feed) == PARK_LIVE_FEED_STATE_ONLINE)
        tui_screen_set_status (self, FALSE, _("The server answers again."));
    }
}

static gboolean
is_unreachable (const GError *error)
{
  return error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR ||
         error->domain == G_TLS_ERROR ||
         g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAVAILABLE) ||
         g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_SERVER);
}

char *
tui_screen_describe_error (TuiScreen    *self,
                           const GError *error,
                           const char   *doing)
{
  const char *code = park_client_error_get_problem_code (error);
  const char *field = park_client_error_get_field (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;
  g_warning ("%s: %s (code %s, field %s)", doing, error->message, code ? code : "-",
             field ? field : "-");

  /* Clients choose their words by the problem's code, never by its English detail. */
  if (g_strcmp0 (code, "card-payments-off") == 0)
    return g_strdup_printf (_("%s: card payments are not set up here. Take cash."), doing);
  if (g_strcmp0 (code, "card-declined") == 0 || g_strcmp0 (code, "card-not-completed") == 0)
    return g_strdup_printf (_("%s: the card was declined. Try another card, or take cash."),
                            doing);
  if (is_unreachable (error))
    {
      self->backend_down = TRUE;
      return g_strdup_printf (_("%s: the server cannot be reached. Check the network, "
                                "then try again."), doing);
    }
  if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAUTHORIZED))
    return g_strdup_printf (_("%s: you were signed out. Sign in again, then try again."), doing);
  if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_FORBIDDEN))
    return g_strdup_printf (_("%s: your account may not do this. Ask your operator."), doing);
  if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_RATE_LIMITED))
    return g_strdup_printf (_("%s: too many requests. Wait a moment and try again."), doing);
  if (g_strcmp0 (code, "spot-occupied") == 0)
    return g_strdup_printf (_("%s: that spot is taken. Choose another spot or let the "
                              "system pick one."), doing);
  if (g_strcmp0 (code, "shift-open") == 0)
    return g_strdup_printf (_("%s: a shift is open already. Close it first (c)."), doing);
  if (g_strcmp0 (code, "shift-closed") == 0)
    return g_strdup_printf (_("%s: this shift is closed already."), doing);
  if (g_strcmp0 (code, "no-open-shift") == 0)
    return g_strdup_printf (_("%s: no shift is open. Open one with n."), doing);
  if (g_strcmp0 (code, "invalid-state") == 0)
    return g_strdup_printf (_("%s: not possible in this state (%s). Refresh (r) and look "
                              "again."), doing, error->message);
  if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_NOT_FOUND))
    {
      if (g_strcmp0 (field, "reservation_code") == 0)
        return g_strdup_printf (_("%s: no booking has this code. Check the code, or check "
                                  "the car in by plate only."), doing);
      return g_strdup_printf (_("%s: not found. Check what you typed."), doing);
    }
  if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION))
    {
      if (g_strcmp0 (field, "plate") == 0)
        return g_strdup_printf (_("%s: the plate is not valid. Type its letters and "
                                  "digits."), doing);
      if (g_strcmp0 (field, "tendered") == 0)
        return g_strdup_printf (_("%s: not enough cash. Ask for at least the fee."), doing);
      if (g_strcmp0 (field, "payment_method") == 0)
        return g_strdup_printf (_("%s: the card was refused. Try another card, or take "
                                  "cash."), doing);
      if (field != NULL)
        return g_strdup_printf (_("%s: “%s” is not right (%s). Correct it and try again."),
                                doing, field, error->message);
    }
  return g_strdup_printf (_("%s: %s"), doing, error->message);
}

gboolean
tui_screen_report_error (TuiScreen    *self,
                         const GError *error,
                         const char   *doing)
{
  g_autofree char *text = tui_screen_describe_error (self, error, doing);

  if (text == NULL)
    return FALSE;
  tui_screen_set_status (self, TRUE, "%s", text);
  return TRUE;
}

/* ---- Drawing ------------------------------------------------------------------------ */

static void
draw_title (TuiScreen *self,
            int        width)
{
  attr_t attr = tui_crt_attr (TUI_COLOR_TITLE);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *clock = tui_format_time (self, now);
  g_autofree char *left = NULL;

  wattr_on (stdscr, attr, NULL);
  mvwhline (stdscr, 0, 0, ' ', width);
  wattr_off (stdscr, attr, NULL);
  left = g_strdup_printf (" %s · %s%s%s", _("Parkade booth"), _(self->view->title),
                          self->lot != NULL ? " · " : "",
                          self->lot != NULL ? park_lot_get_name (self->lot) : "");
  tui_crt_print (stdscr, 0, 0, width - 7, attr, left);
  tui_crt_print (stdscr, 0, MAX (0, width - 6), 6, attr, clock);
}

static void
draw_status (TuiScreen *self,
             int        y,
             int        width)
{
  const char *feed;
  TuiColor feed_color;
  g_autofree char *shift = NULL;
  int right_w, x, used;

  switch (park_live_feed_get_state (self->feed))
    {
    case PARK_LIVE_FEED_STATE_ONLINE:
      feed = _("● LIVE");
      feed_color = TUI_COLOR_GOOD;
      break;
    case PARK_LIVE_FEED_STATE_CONNECTING:
      feed = _("… CONNECTING");
      feed_color = TUI_COLOR_WARN;
      break;
    case PARK_LIVE_FEED_STATE_RECONNECTING:
    case PARK_LIVE_FEED_STATE_OFFLINE:
    default:
      feed = self->signed_in ? _("○ OFFLINE") : _("○ not connected");
      feed_color = self->signed_in ? TUI_COLOR_BAD : TUI_COLOR_NORMAL;
      break;
    }
  /* Right: the drawer and the feed; left, in what is left: the last message. */
  shift = !self->signed_in ? g_strdup ("")
          : g_strdup_printf ("%s │ ", self->shift != NULL ? _("Shift open") : _("No shift"));
  right_w = tui_crt_text_width (shift) + tui_crt_text_width (feed);
  mvwhline (stdscr, y, 0, ' ', width);
  if (self->status != NULL)
    tui_crt_print (stdscr, y, 0, width - right_w - 1,
                   tui_crt_attr (self->status_error ? TUI_COLOR_ERROR : TUI_COLOR_STATUS),
                   self->status);
  x = MAX (0, width - right_w);
  used = tui_crt_print (stdscr, y, x, width - x, tui_crt_attr (TUI_COLOR_STATUS), shift);
  tui_crt_print (stdscr, y, x + used, width - x - used, tui_crt_attr (feed_color), feed);
}

static gboolean
redraw_cb (gpointer data)
{
  TuiScreen *self = data;
  int height, width, content;

  self->redraw_id = 0;
  getmaxyx (stdscr, height, width);
  werase (stdscr);
  curs_set (0);
  if (height < 10 || width < 40)
    {
      tui_crt_print (stdscr, 0, 0, width, A_BOLD,
                     _("The window is too small: make it at least 40×10."));
      wnoutrefresh (stdscr);
      doupdate ();
      return G_SOURCE_REMOVE;
    }
  content = height - 3;
  draw_title (self, width);
  if (self->view->draw != NULL)
    self->view->draw (self, stdscr, 1, content, width);
  draw_status (self, height - 2, width);
  tui_function_bar_draw (stdscr, height - 1, width, self->signed_in);
  if (self->form != NULL)
    tui_form_draw (self->form, stdscr, 1, content, width);
  wnoutrefresh (stdscr);
  doupdate ();
  return G_SOURCE_REMOVE;
}

void
tui_screen_queue_redraw (TuiScreen *self)
{
  if (self->redraw_id == 0 && !self->quitting)
    self->redraw_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, redraw_cb, self, NULL);
}

/* ---- Views and forms ---------------------------------------------------------------- */

void
tui_screen_show (TuiScreen        *self,
                 const TuiViewOps *view)
{
  if (self->view != view)
    {
      if (self->view != NULL && self->view->close != NULL)
        self->view->close (self);
      if (self->view != &tui_view_help)
        self->previous_view = self->view;
      self->view = view;
    }
  if (view->open != NULL)
    view->open (self);
  tui_screen_queue_redraw (self);
}

void
tui_screen_open_form (TuiScreen *self,
                      TuiForm   *form)
{
  g_clear_pointer (&self->form, tui_form_free);
  self->form = form;
  tui_screen_queue_redraw (self);
}

void
tui_screen_close_form (TuiScreen *self,
                       TuiForm   *form)
{
  if (self->form != NULL && self->form == form)
    g_clear_pointer (&self->form, tui_form_free);
  tui_screen_queue_redraw (self);
}

gboolean
tui_screen_has_form (TuiScreen *self,
                     TuiForm   *form)
{
  return form != NULL && self->form == form;
}

static gboolean
quit_submit (TuiForm  *form,
             gpointer  data)
{
  tui_screen_quit (data);
  return TRUE;
}

void
tui_screen_quit (TuiScreen *self)
{
  self->quitting = TRUE;
  g_main_loop_quit (self->loop);
}

static void
run_global (TuiScreen *self,
            TuiAction  action)
{
  static const struct { TuiAction action; const TuiViewOps *view; } views[] = {
    { TUI_ACTION_CHECK_IN, &tui_view_check_in },
    { TUI_ACTION_CHECK_OUT, &tui_view_check_out },
    { TUI_ACTION_SEARCH, &tui_view_search },
    { TUI_ACTION_SPOTS, &tui_view_spots },
    { TUI_ACTION_SHIFT, &tui_view_shift },
    { TUI_ACTION_OVERVIEW, &tui_view_overview },
  };

  if (action == TUI_ACTION_QUIT)
    {
      TuiForm *form = tui_form_new (_("Quit"), NULL);

      tui_form_set_text (form, _("Leave the console? You will be signed out."));
      tui_form_set_callbacks (form, quit_submit, NULL, self);
      tui_screen_open_form (self, form);
      return;
    }
  if (action == TUI_ACTION_HELP)
    {
      tui_screen_show (self, self->view == &tui_view_help && self->previous_view != NULL
                             ? self->previous_view : &tui_view_help);
      return;
    }
  if (!self->signed_in)
    {
      tui_screen_set_status (self, TRUE, _("Sign in first: type your password and press Enter."));
      return;
    }
  if (action == TUI_ACTION_REFRESH)
    {
      /* Also a way to reconnect at once rather than after the feed's back-off. */
      if (park_live_feed_get_state (self->feed) != PARK_LIVE_FEED_STATE_ONLINE)
        {
          park_live_feed_stop (self->feed);
          park_live_feed_start (self->feed);
        }
      tui_screen_set_status (self, FALSE, _("Refreshing…"));
      refresh_now (self);
      tui_screen_show (self, self->view);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    if (views[i].action == action)
      tui_screen_show (self, views[i].view);
}

static void
handle_key (TuiScreen *self,
            int        key,
            gboolean   is_code)
{
  TuiAction action;
  TuiKeyResult result = TUI_KEY_IGNORED;

  /* curses has taken the new size already (resizeterm() queues this key): only redraw.
   * Resizing again here would queue another KEY_RESIZE, for ever. */
  if (is_code && key == KEY_RESIZE)
    {
      tui_screen_queue_redraw (self);
      return;
    }
  if (self->form != NULL)
    {
      TuiForm *form = self->form;

      /* Function keys still work over a dialog: they leave it. */
      action = is_code ? tui_action_for_key (TUI_SCOPE_GLOBAL, key, TRUE) : TUI_ACTION_NONE;
      if (action != TUI_ACTION_NONE &&
          (self->signed_in || action == TUI_ACTION_HELP || action == TUI_ACTION_QUIT))
        {
          tui_screen_close_form (self, form);
          run_global (self, action);
          return;
        }
      if (tui_form_handle_key (form, key, is_code) == TUI_FORM_CLOSE)
        tui_screen_close_form (self, form);
      tui_screen_queue_redraw (self);
      return;
    }
  action = tui_action_for_key (self->view->scope, key, is_code);
  if (self->view->handle_key != NULL)
    result = self->view->handle_key (self, action, key, is_code);
  if (result == TUI_KEY_IGNORED && action != TUI_ACTION_NONE &&
      tui_actions[action].scope == TUI_SCOPE_GLOBAL)
    run_global (self, action);
  else if (result == TUI_KEY_IGNORED && !is_code && key == 27 && self->view != &tui_view_overview
           && self->signed_in)
    tui_screen_show (self, &tui_view_overview);
  tui_screen_queue_redraw (self);
}

static gboolean
input_cb (int          fd,
          GIOCondition condition,
          gpointer     data)
{
  TuiScreen *self = data;
  wint_t ch;
  int rc;

  if (condition & (G_IO_HUP | G_IO_ERR))
    {
      /* The terminal went away (an SSH session dropped): nothing to draw on. */
      g_message ("terminal closed; quitting");
      self->input_id = 0;
      tui_screen_quit (self);
      return G_SOURCE_REMOVE;
    }
  while (!self->quitting && (rc = wget_wch (stdscr, &ch)) != ERR)
    handle_key (self, (int) ch, rc == KEY_CODE_YES);
  return G_SOURCE_CONTINUE;
}

static gboolean
winch_cb (gpointer data)
{
  TuiScreen *self = data;

  tui_crt_resize ();
  /* Draw at once: a terminal being dragged wants to see it follow. */
  g_clear_handle_id (&self->redraw_id, g_source_remove);
  redraw_cb (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
term_cb (gpointer data)
{
  tui_screen_quit (data);
  return G_SOURCE_CONTINUE;
}

/* ---- Data: the lot, its spots, the board, the shift ---------------------------------- */

static void
spots_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  TuiScreen *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) spots = park_client_list_spots_finish (PARK_CLIENT (source), result,
                                                               &error);

  if (spots == NULL)
    {
      tui_screen_report_error (self, error, _("Reading the spots"));
      return;
    }
  tui_screen_backend_ok (self);
  g_set_object (&self->spots, spots);
  if (self->view->changed != NULL)
    self->view->changed (self);
  tui_screen_queue_redraw (self);
}

static void
board_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  TuiScreen *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) arrivals = NULL, overstays = NULL;

  if (!park_client_get_board_finish (PARK_CLIENT (source), result, &arrivals, &overstays, NULL,
                                     &error))
    {
      tui_screen_report_error (self, error, _("Reading arrivals and overstays"));
      return;
    }
  tui_screen_backend_ok (self);
  g_set_object (&self->arrivals, arrivals);
  g_set_object (&self->overstays, overstays);
  g_clear_pointer (&self->board_time, g_date_time_unref);
  self->board_time = g_date_time_new_now_utc ();
  if (self->view->changed != NULL)
    self->view->changed (self);
  tui_screen_queue_redraw (self);
}

static void
shift_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  TuiScreen *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkShift) shift = park_client_get_current_shift_finish (PARK_CLIENT (source),
                                                                     result, &error);

  if (shift == NULL && !g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_NOT_FOUND))
    {
      tui_screen_report_error (self, error, _("Reading the shift"));
      return;
    }
  tui_screen_backend_ok (self);
  g_set_object (&self->shift, shift);
  self->shift_known = TRUE;
  if (self->view->changed != NULL)
    self->view->changed (self);
  tui_screen_queue_redraw (self);
}

void
tui_screen_refresh_shift (TuiScreen *self)
{
  park_client_get_current_shift_async (self->client, self->cancellable, shift_cb, self);
}

static void
refresh_now (TuiScreen *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (!self->signed_in || self->lot == NULL)
    return;
  park_client_list_spots_async (self->client, self->lot_id, PARK_SPOT_TYPE_ANY,
                                self->cancellable, spots_cb, self);
  park_client_get_board_async (self->client, self->lot_id, NULL, self->cancellable, board_cb,
                               self);
  tui_screen_refresh_shift (self);
}

static gboolean
refresh_cb (gpointer data)
{
  TuiScreen *self = data;

  self->refresh_id = 0;
  refresh_now (self);
  return G_SOURCE_REMOVE;
}

void
tui_screen_refresh (TuiScreen *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (REFRESH_DELAY_MS, refresh_cb, self);
}

static gboolean
tick_cb (gpointer data)
{
  TuiScreen *self = data;

  if (self->signed_in)
    park_client_get_board_async (self->client, self->lot_id, NULL, self->cancellable, board_cb,
                                 self);
  tui_screen_queue_redraw (self);
  return G_SOURCE_CONTINUE;
}

static void
lot_updated_cb (ParkLiveFeed *feed,
                ParkLot      *lot,
                gboolean      replayed,
                gpointer      data)
{
  TuiScreen *self = data;

  /* The counts per type are in @lot already; levels and the board come from REST. */
  tui_screen_refresh (self);
  tui_screen_queue_redraw (self);
}

static void
feed_state_cb (GObject    *object,
               GParamSpec *pspec,
               gpointer    data)
{
  TuiScreen *self = data;
  ParkLiveFeedState state = park_live_feed_get_state (self->feed);

  g_debug ("live feed: %d", state);
  if (state == PARK_LIVE_FEED_STATE_ONLINE && self->signed_in)
    {
      /* Back after a gap: what changed meanwhile. */
      refresh_now (self);
      tui_screen_backend_ok (self);
      if (self->status_error)
        tui_screen_set_status (self, FALSE, _("Connected again: the lot is live."));
    }
  /* The feed may go from online to reconnecting or straight to offline (parkd said it was
   * going away): either way the attendant hears it. */
  else if ((state == PARK_LIVE_FEED_STATE_RECONNECTING ||
            state == PARK_LIVE_FEED_STATE_OFFLINE) && self->signed_in)
    tui_screen_set_status (self, TRUE, _("The server cannot be reached: the lot is not live. "
                                         "Retrying by itself; r retries now."));
  tui_screen_queue_redraw (self);
}

static void
lot_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  TuiScreen *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkLot) lot = park_client_get_lot_finish (PARK_CLIENT (source), result, &error);

  if (lot == NULL)
    {
      if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_NOT_FOUND))
        tui_screen_set_status (self, TRUE, _("There is no lot %s. Quit and start again with "
                                             "--lot and a part of your booth's lot's name."),
                               self->lot_id);
      else
        tui_screen_report_error (self, error, _("Reading the lot"));
      return;
    }
  g_set_object (&self->lot, lot);
  g_list_store_remove_all (self->watched);
  g_list_store_append (self->watched, lot);
  park_live_feed_watch (self->feed, G_LIST_MODEL (self->watched));
  park_live_feed_start (self->feed);
  refresh_now (self);
  if (self->view->changed != NULL)
    self->view->changed (self);
  tui_screen_queue_redraw (self);
}

void
tui_screen_after_sign_in (TuiScreen *self)
{
  self->signed_in = TRUE;
  g_message ("signed in as %s at lot %s", park_client_get_account (self->client), self->lot_id);
  park_client_get_lot_async (self->client, self->lot_id, self->cancellable, lot_cb, self);
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (TICK_SECONDS, tick_cb, self);
  tui_screen_set_status (self, FALSE, _("Signed in as %s. ? shows the keys."),
                         park_client_get_account (self->client));
  tui_screen_show (self, &tui_view_overview);
}

static void
signed_out_cb (ParkClient *client,
               gpointer    data)
{
  TuiScreen *self = data;

  /* The refresh token was refused (revoked, or too old): sign in again, where we are. */
  if (!self->signed_in)
    return;
  g_message ("the sign-in ended");
  self->signed_in = FALSE;
  /* What the attendant was typing (a plate, the cash tendered) waits for the sign-in,
   * rather than being typed again with a queue at the barrier. */
  g_clear_pointer (&self->held_form, tui_form_free);
  self->held_form = g_steal_pointer (&self->form);
  if (self->held_form != NULL)
    tui_form_set_error (self->held_form, _("You were signed out; what you typed is kept. "
                                           "Press Enter to go on."));
  tui_screen_set_status (self, TRUE, _("You were signed out (your sign-in ended or was "
                                       "revoked): sign in again."));
  tui_screen_show (self, &tui_view_sign_in);
}

void
tui_screen_resume (TuiScreen *self)
{
  self->signed_in = TRUE;
  g_message ("signed in again as %s", park_client_get_account (self->client));
  tui_screen_set_status (self, FALSE, self->held_form != NULL
                         ? _("Signed in again. What you typed is kept: Enter goes on.")
                         : _("Signed in again."));
  /* Back before the view opens, so that it finds its dialog open and keeps it. */
  if (self->held_form != NULL)
    tui_screen_open_form (self, g_steal_pointer (&self->held_form));
  tui_screen_refresh (self);
  tui_screen_show (self, self->previous_view != NULL ? self->previous_view
                                                     : &tui_view_overview);
}

static gboolean
interrupt_cb (gpointer data)
{
  TuiScreen *self = data;

  /* Ctrl-C at a busy booth is more often a slip than a wish to leave: ask. */
  if (self->form == NULL)
    run_global (self, TUI_ACTION_QUIT);
  else
    tui_screen_quit (self);
  return G_SOURCE_CONTINUE;
}

/* ---- Running ------------------------------------------------------------------------ */

int
tui_screen_run (TuiScreen *self)
{
  tui_crt_init ();
  g_signal_connect (self->feed, "notify::state", G_CALLBACK (feed_state_cb), self);
  g_signal_connect (self->feed, "lot-updated", G_CALLBACK (lot_updated_cb), self);
  g_signal_connect (self->client, "signed-out", G_CALLBACK (signed_out_cb), self);
  self->input_id = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, input_cb, self);
  self->signal_ids[0] = g_unix_signal_add (SIGWINCH, winch_cb, self);
  self->signal_ids[1] = g_unix_signal_add (SIGTERM, term_cb, self);
  self->signal_ids[2] = g_unix_signal_add (SIGINT, interrupt_cb, self);
  self->signal_ids[3] = g_unix_signal_add (SIGHUP, term_cb, self);
  tui_screen_show (self, &tui_view_sign_in);
  g_main_loop_run (self->loop);
  tui_crt_done ();
  return 0;
}
