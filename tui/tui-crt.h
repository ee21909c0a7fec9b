/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tui-crt.h: the terminal under curses (htop's CRT.c): set-up and restore, colours with a
 * monochrome fallback, and the attributes each kind of text is drawn with.
 */
#pragma once

#include <glib.h>
#include <curses.h>

G_BEGIN_DECLS

typedef enum
{
  TUI_COLOR_NORMAL,
  TUI_COLOR_TITLE,        /* the top line */
  TUI_COLOR_HEADING,
  TUI_COLOR_KEY,          /* "F3" on the function bar */
  TUI_COLOR_KEY_LABEL,    /* "Check out" beside it */
  TUI_COLOR_STATUS,
  TUI_COLOR_ERROR,
  TUI_COLOR_GOOD,         /* live, free spots, change to give */
  TUI_COLOR_WARN,         /* reserved, overstays, almost full */
  TUI_COLOR_BAD,          /* occupied, offline, full */
  TUI_COLOR_DISABLED,     /* out of service */
  TUI_COLOR_SELECTED,
  TUI_COLOR_FIELD,        /* a text field being typed into */
  TUI_N_COLORS
} TuiColor;

/* Takes the terminal: cbreak, no echo, keypad, no cursor; colours unless NO_COLOR is set
 * or the terminal has none. */
void      tui_crt_init        (void);
/* Gives the terminal back as it was. Safe to call twice, and from an exit path. */
void      tui_crt_done        (void);
gboolean  tui_crt_has_colors  (void);
attr_t    tui_crt_attr        (TuiColor   color);
/* Reads the terminal's size after SIGWINCH and tells curses. */
void      tui_crt_resize      (void);

/* Writes @text (UTF-8) at @y, @x, cut to @width columns; returns the columns used. */
int       tui_crt_print       (WINDOW     *win,
                               int         y,
                               int         x,
                               int         width,
                               attr_t      attr,
                               const char *text);
int       tui_crt_printf      (WINDOW     *win,
                               int         y,
                               int         x,
                               int         width,
                               attr_t      attr,
                               const char *format,
                               ...) G_GNUC_PRINTF (6, 7);
/* Writes @text over at most @max_lines lines of @width columns, breaking between words;
 * returns the lines used. */
int       tui_crt_print_wrapped (WINDOW     *win,
                                 int         y,
                                 int         x,
                                 int         width,
                                 int         max_lines,
                                 attr_t      attr,
                                 const char *text);
/* The columns @text takes on the terminal. */
int       tui_crt_text_width  (const char *text);

G_END_DECLS
