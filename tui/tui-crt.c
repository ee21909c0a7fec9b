/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tui-crt.c: curses set-up, colours and UTF-8 text output. */
#include "config.h"

#include "tui-crt.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

static gboolean active;
static gboolean colors;

typedef struct
{
  short  fg;
  short  bg;
  attr_t extra;   /* with colours */
  attr_t mono;    /* without */
} Style;

/* Meaning never rests on colour alone: every state also has a symbol or a word. */
static const Style styles[TUI_N_COLORS] = {
  [TUI_COLOR_NORMAL]    = { -1,            -1,           0,       0 },
  [TUI_COLOR_TITLE]     = { COLOR_BLACK,   COLOR_CYAN,   0,       A_REVERSE },
  [TUI_COLOR_HEADING]   = { COLOR_CYAN,    -1,           A_BOLD,  A_BOLD | A_UNDERLINE },
  [TUI_COLOR_KEY]       = { -1,            -1,           A_BOLD,  A_BOLD },
  [TUI_COLOR_KEY_LABEL] = { COLOR_BLACK,   COLOR_CYAN,   0,       A_REVERSE },
  [TUI_COLOR_STATUS]    = { -1,            -1,           0,       0 },
  [TUI_COLOR_ERROR]     = { COLOR_WHITE,   COLOR_RED,    A_BOLD,  A_REVERSE | A_BOLD },
  [TUI_COLOR_GOOD]      = { COLOR_GREEN,   -1,           A_BOLD,  A_BOLD },
  [TUI_COLOR_WARN]      = { COLOR_YELLOW,  -1,           A_BOLD,  A_UNDERLINE },
  [TUI_COLOR_BAD]       = { COLOR_RED,     -1,           A_BOLD,  A_BOLD | A_REVERSE },
  [TUI_COLOR_DISABLED]  = { COLOR_MAGENTA, -1,           0,       A_DIM },
  [TUI_COLOR_SELECTED]  = { COLOR_BLACK,   COLOR_YELLOW, 0,       A_REVERSE },
  [TUI_COLOR_FIELD]     = { -1,            -1,           A_UNDERLINE, A_UNDERLINE },
};

void
tui_crt_init (void)
{
  const char *no_color = g_getenv ("NO_COLOR");

  initscr ();
  active = TRUE;
  cbreak ();
  noecho ();
  nonl ();
  intrflush (stdscr, FALSE);
  keypad (stdscr, TRUE);
  nodelay (stdscr, TRUE);
  /* Esc cancels at once; an attendant does not wait a second for it. */
  set_escdelay (25);
  curs_set (0);

  colors = has_colors () && (no_color == NULL || *no_color == '\0');
  if (colors)
    {
      start_color ();
      use_default_colors ();
      for (int i = 1; i < TUI_N_COLORS; i++)
        init_pair (i, styles[i].fg, styles[i].bg);
    }
}

void
tui_crt_done (void)
{
  if (!active)
    return;
  active = FALSE;
  curs_set (1);
  endwin ();
}

gboolean
tui_crt_has_colors (void)
{
  return colors;
}

attr_t
tui_crt_attr (TuiColor color)
{
  g_return_val_if_fail (color < TUI_N_COLORS, 0);
  if (!colors)
    return styles[color].mono;
  return (color == TUI_COLOR_NORMAL ? 0 : COLOR_PAIR (color)) | styles[color].extra;
}

void
tui_crt_resize (void)
{
  struct winsize ws;

  if (ioctl (STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
    resizeterm (ws.ws_row, ws.ws_col);
}

int
tui_crt_text_width (const char *text)
{
  int width = 0;

  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      int w = wcwidth ((wchar_t) g_utf8_get_char (p));

      width += w > 0 ? w : 0;
    }
  return width;
}

int
tui_crt_print (WINDOW     *win,
               int         y,
               int         x,
               int         width,
               attr_t      attr,
               const char *text)
{
  int used = 0;

  if (width <= 0 || text == NULL || y < 0 || y >= getmaxy (win))
    return 0;
  wattr_on (win, attr, NULL);
  wmove (win, y, x);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      wchar_t wc[2] = { (wchar_t) c, 0 };
      int w = wcwidth (wc[0]);

      if (c == '\n' || c == '\t')
        wc[0] = ' ', w = 1;
      if (w < 0)
        continue;
      if (used + w > width)
        break;
      waddnwstr (win, wc, 1);
      used += w;
    }
  wattr_off (win, attr, NULL);
  return used;
}

int
tui_crt_printf (WINDOW     *win,
                int         y,
                int         x,
                int         width,
                attr_t      attr,
                const char *format,
                ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  return tui_crt_print (win, y, x, width, attr, text);
}

int
tui_crt_print_wrapped (WINDOW     *win,
                       int         y,
                       int         x,
                       int         width,
                       int         max_lines,
                       attr_t      attr,
                       const char *text)
{
  g_auto(GStrv) words = g_strsplit (text != NULL ? text : "", " ", -1);
  g_autoptr(GString) line = g_string_new (NULL);
  int lines = 0;

  for (guint i = 0; words[i] != NULL && lines < max_lines; i++)
    {
      int need = tui_crt_text_width (words[i]) + (line->len > 0 ? 1 : 0);

      if (line->len > 0 && tui_crt_text_width (line->str) + need > width &&
          lines + 1 < max_lines)
        {
          tui_crt_print (win, y + lines++, x, width, attr, line->str);
          g_string_truncate (line, 0);
        }
      if (line->len > 0)
        g_string_append_c (line, ' ');
      g_string_append (line, words[i]);
    }
  /* Text left over for the last line ends with "…" where it is cut, between words when
   * there is a space to cut at, so a reader sees that there was more. */
  if (tui_crt_text_width (line->str) > width && width > 1)
    {
      while (line->len > 0 && tui_crt_text_width (line->str) + 1 > width)
        {
          char *space = strrchr (line->str, ' ');

          if (space != NULL && space != line->str)
            g_string_truncate (line, space - line->str);
          else
            g_string_truncate (line, g_utf8_prev_char (line->str + line->len) - line->str);
        }
      /* No comma or space just before the ellipsis. */
      while (line->len > 0 && (line->str[line->len - 1] == ',' || line->str[line->len - 1] == ' '))
        g_string_truncate (line, line->len - 1);
      g_string_append (line, "…");
    }
  if (line->len > 0 && lines < max_lines)
    tui_crt_print (win, y + lines++, x, width, attr, line->str);
  return lines;
}
