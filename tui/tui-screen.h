/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tui-screen.h: the console as a whole: the signed-in client and the live feed, the lot it
 * is bound to, the view on screen (tig's view_ops), a dialog over it, the status line and
 * the function bar, all redrawn from an idle source of the GLib main loop.
 */
#pragma once

#include <park-core.h>
#include <curses.h>

#include "tui-actions.h"
#include "tui-config.h"
#include "tui-form.h"

G_BEGIN_DECLS

typedef struct _TuiScreen TuiScreen;

typedef enum
{
  TUI_KEY_IGNORED = 0,
  TUI_KEY_HANDLED = 1 << 0,
  TUI_KEY_REDRAW  = 1 << 1,
} TuiKeyResult;

typedef struct
{
  const char   *title;      /* N_() */
  TuiScope      scope;
  void        (*open)       (TuiScreen *screen);
  void        (*draw)       (TuiScreen *screen,
                             WINDOW    *win,
                             int        top,
                             int        height,
                             int        width);
  /* @action is what the key means in this view (TUI_ACTION_NONE for none); @key the key. */
  TuiKeyResult (*handle_key) (TuiScreen *screen,
                              TuiAction  action,
                              int        key,
                              gboolean   is_code);
  void        (*close)      (TuiScreen *screen);
  /* Data changed underneath (the lot, its spots, the board, the shift). */
  void        (*changed)    (TuiScreen *screen);
} TuiViewOps;

extern const TuiViewOps tui_view_sign_in;
extern const TuiViewOps tui_view_overview;
extern const TuiViewOps tui_view_check_in;
extern const TuiViewOps tui_view_check_out;
extern const TuiViewOps tui_view_search;
extern const TuiViewOps tui_view_spots;
extern const TuiViewOps tui_view_shift;
extern const TuiViewOps tui_view_help;

struct _TuiScreen
{
  GMainLoop        *loop;
  GCancellable     *cancellable;    /* everything in flight; cancelled at exit */
  TuiConfig        *config;
  ParkClient       *client;
  ParkLiveFeed     *feed;
  char             *backend_url;
  char             *lot_id;
  char             *user;

  /* After sign-in. */
  gboolean          signed_in;
  ParkLot          *lot;
  GListStore       *watched;        /* the lot, for the feed */
  GListModel       *spots;          /* ParkSpot */
  GListModel       *arrivals;       /* ParkBoardItem */
  GListModel       *overstays;      /* ParkBoardItem */
  GDateTime        *board_time;
  ParkShift        *shift;          /* the open shift, or NULL */
  gboolean          shift_known;
  gboolean          backend_down;   /* the last request could not reach parkd */

  const TuiViewOps *view;
  const TuiViewOps *previous_view;
  TuiForm          *form;
  TuiForm          *held_form;      /* the dialog open when the sign-in ended */
  char             *status;
  gboolean          status_error;
  gint64            status_time;

  guint             redraw_id;
  guint             refresh_id;
  guint             tick_id;
  guint             input_id;
  guint             signal_ids[4];
  gboolean          quitting;
};

TuiScreen  *tui_screen_new              (const char       *backend_url,
                                         const char       *lot_id,
                                         const char       *user,
                                         TuiConfig        *config);
void        tui_screen_free             (TuiScreen        *self);
/* Takes the terminal and runs until the attendant quits; returns the exit status. */
int         tui_screen_run              (TuiScreen        *self);
void        tui_screen_quit             (TuiScreen        *self);

void        tui_screen_show             (TuiScreen        *self,
                                         const TuiViewOps *view);
void        tui_screen_queue_redraw     (TuiScreen        *self);
/* A dialog over the view; the screen owns it and frees it when it closes. */
void        tui_screen_open_form        (TuiScreen        *self,
                                         TuiForm          *form);
void        tui_screen_close_form       (TuiScreen        *self,
                                         TuiForm          *form);
gboolean    tui_screen_has_form         (TuiScreen        *self,
                                         TuiForm          *form);

void        tui_screen_set_status       (TuiScreen        *self,
                                         gboolean          error,
                                         const char       *format,
                                         ...) G_GNUC_PRINTF (3, 4);
/* A sentence for a failed request: what went wrong and what to do next, for the status
 * line or a form; NULL for a cancelled one (never shown). Notes an unreachable backend. */
char       *tui_screen_describe_error   (TuiScreen        *self,
                                         const GError     *error,
                                         const char       *doing);
/* tui_screen_describe_error() on the status line; FALSE for a cancelled request. */
gboolean    tui_screen_report_error     (TuiScreen        *self,
                                         const GError     *error,
                                         const char       *doing);
/* A request answered: the backend is reachable again. */
void        tui_screen_backend_ok       (TuiScreen        *self);

/* Reads the lot's spots, the board and the open shift again (soon, in one go). */
void        tui_screen_refresh          (TuiScreen        *self);
void        tui_screen_refresh_shift    (TuiScreen        *self);
void        tui_screen_after_sign_in    (TuiScreen        *self);
/* Signed in again after the sign-in ended: back to the view and the dialog of before. */
void        tui_screen_resume           (TuiScreen        *self);

/* "EUR 12.50" */
char       *tui_format_money            (gint64            amount,
                                         const char       *currency);
/* "20", "20.5", "20,50" in major units → minor units; -1 when it is not an amount. */
gint64      tui_parse_money             (const char       *text);
/* "14:05" in the lot's time zone ("1 Dec 14:05" when not today). */
char       *tui_format_time             (TuiScreen        *self,
                                         GDateTime        *time);

/* For views that hand a car over: check-out with a ticket, check-in with plate and code. */
void        tui_view_check_out_load     (TuiScreen        *screen,
                                         const char       *ticket);
void        tui_view_check_in_prefill   (TuiScreen        *screen,
                                         const char       *plate,
                                         const char       *code);

G_END_DECLS
