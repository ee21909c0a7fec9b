/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tui-form.c: dialogs with text fields. */
#include "config.h"

#include "tui-form.h"
#include "tui-crt.h"

#include <glib/gi18n.h>
#include <string.h>

typedef struct
{
  char          *label;
  GString       *value;
  TuiFieldFlags  flags;
  guint          max_chars;
} Field;

struct _TuiForm
{
  char           *title;
  char           *hint;
  char           *text;
  char           *error;
  char           *busy;
  GPtrArray      *fields;
  guint           focus;
  TuiFormSubmit   submit;
  TuiFormChanged  changed;
  gpointer        data;
  GPtrArray      *weak;
};

static void
field_free (Field *field)
{
  g_free (field->label);
  g_string_free (field->value, TRUE);
  g_free (field);
}

TuiForm *
tui_form_new (const char *title,
              const char *hint)
{
  TuiForm *self = g_new0 (TuiForm, 1);

  self->title = g_strdup (title);
  self->hint = g_strdup (hint);
  self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  return self;
}

void
tui_form_free (TuiForm *self)
{
  if (self == NULL)
    return;
  /* A password must not linger in freed memory. */
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      memset (field->value->str, 0, field->value->len);
    }
  g_ptr_array_unref (self->fields);
  for (guint i = 0; self->weak != NULL && i < self->weak->len; i++)
    {
      gpointer *location = g_ptr_array_index (self->weak, i);

      if (*location == self)
        *location = NULL;
    }
  g_clear_pointer (&self->weak, g_ptr_array_unref);
  g_free (self->title);
  g_free (self->hint);
  g_free (self->text);
  g_free (self->error);
  g_free (self->busy);
  g_free (self);
}

void
tui_form_add_weak_pointer (TuiForm  *self,
                           gpointer *location)
{
  if (self->weak == NULL)
    self->weak = g_ptr_array_new ();
  g_ptr_array_add (self->weak, location);
}

void
tui_form_add_field (TuiForm       *self,
                    const char    *label,
                    const char    *value,
                    TuiFieldFlags  flags,
                    guint          max_chars)
{
  Field *field = g_new0 (Field, 1);

  field->label = g_strdup (label);
  field->value = g_string_new (value);
  field->flags = flags;
  field->max_chars = max_chars > 0 ? max_chars : 64;
  g_ptr_array_add (self->fields, field);
}

void
tui_form_set_callbacks (TuiForm        *self,
                        TuiFormSubmit   submit,
                        TuiFormChanged  changed,
                        gpointer        data)
{
  self->submit = submit;
  self->changed = changed;
  self->data = data;
}

void
tui_form_set_text (TuiForm    *self,
                   const char *text)
{
  g_free (self->text);
  self->text = g_strdup (text);
}

void
tui_form_set_error (TuiForm    *self,
                    const char *error)
{
  g_free (self->error);
  self->error = g_strdup (error);
  g_clear_pointer (&self->busy, g_free);
}

void
tui_form_set_busy (TuiForm    *self,
                   const char *busy_text)
{
  g_free (self->busy);
  self->busy = g_strdup (busy_text);
}

gboolean
tui_form_is_busy (TuiForm *self)
{
  return self->busy != NULL;
}

const char *
tui_form_get_value (TuiForm *self,
                    guint    field)
{
  g_return_val_if_fail (field < self->fields->len, NULL);
  return ((Field *) g_ptr_array_index (self->fields, field))->value->str;
}

void
tui_form_set_focus (TuiForm *self,
                    guint    field)
{
  if (field < self->fields->len)
    self->focus = field;
}

void
tui_form_set_value (TuiForm    *self,
                    guint       field,
                    const char *value)
{
  Field *f;

  g_return_if_fail (field < self->fields->len);
  f = g_ptr_array_index (self->fields, field);
  memset (f->value->str, 0, f->value->len);
  g_string_assign (f->value, value != NULL ? value : "");
}

static gboolean
accepts (Field    *field,
         gunichar  c)
{
  if (g_unichar_iscntrl (c) || g_utf8_strlen (field->value->str, -1) >= field->max_chars)
    return FALSE;
  if (field->flags & TUI_FIELD_MONEY)
    return g_unichar_isdigit (c) ||
           ((c == '.' || c == ',') && strchr (field->value->str, '.') == NULL &&
            strchr (field->value->str, ',') == NULL);
  return TRUE;
}

TuiFormResult
tui_form_handle_key (TuiForm  *self,
                     int       key,
                     gboolean  is_code)
{
  Field *field = self->fields->len > 0 ? g_ptr_array_index (self->fields, self->focus) : NULL;
  gboolean changed = FALSE;

  if (!is_code && key == 27)
    return TUI_FORM_CLOSE;
  if (self->busy != NULL)
    return TUI_FORM_CONTINUE;
  g_clear_pointer (&self->error, g_free);

  if ((!is_code && (key == '\n' || key == '\r')) || (is_code && key == KEY_ENTER))
    {
      /* Enter goes on to the next field still to be filled in, else it is done: a walk-in's
       * plate and Enter checks it in, without stopping at the booking code. */
      for (guint next = self->focus + 1; field != NULL && next < self->fields->len; next++)
        {
          Field *later = g_ptr_array_index (self->fields, next);

          if (!(later->flags & TUI_FIELD_OPTIONAL) && later->value->len == 0)
            {
              self->focus = next;
              return TUI_FORM_CONTINUE;
            }
        }
      if (self->submit == NULL || self->submit (self, self->data))
        return TUI_FORM_CLOSE;
      return TUI_FORM_CONTINUE;
    }
  if (field == NULL)
    {
      /* A question: y or n as well as Enter and Esc. */
      if (!is_code && (key == 'y' || key == 'Y'))
        return self->submit == NULL || self->submit (self, self->data)
               ? TUI_FORM_CLOSE : TUI_FORM_CONTINUE;
      if (!is_code && (key == 'n' || key == 'N'))
        return TUI_FORM_CLOSE;
      return TUI_FORM_CONTINUE;
    }
  if ((!is_code && key == '\t') || (is_code && key == KEY_DOWN))
    self->focus = (self->focus + 1) % self->fields->len;
  else if (is_code && (key == KEY_BTAB || key == KEY_UP))
    self->focus = (self->focus + self->fields->len - 1) % self->fields->len;
  else if ((is_code && key == KEY_BACKSPACE) || (!is_code && (key == 127 || key == 8)))
    {
      if (field->value->len > 0)
        {
          const char *last = g_utf8_find_prev_char (field->value->str,
                                                    field->value->str + field->value->len);

          g_string_truncate (field->value, last - field->value->str);
          changed = TRUE;
        }
    }
  else if (!is_code && key == 21) /* Ctrl-U: clear the field */
    {
      g_string_truncate (field->value, 0);
      changed = TRUE;
    }
  else if (!is_code && accepts (field, (gunichar) key))
    {
      gunichar c = (gunichar) key;

      if (field->flags & TUI_FIELD_UPPER)
        c = g_unichar_toupper (c);
      g_string_append_unichar (field->value, c);
      changed = TRUE;
    }
  if (changed && self->changed != NULL)
    self->changed (self, self->data);
  return TUI_FORM_CONTINUE;
}

void
tui_form_draw (TuiForm *self,
               WINDOW  *win,
               int      top,
               int      height,
               int      width)
{
  g_auto(GStrv) lines = g_strsplit (self->text != NULL ? self->text : "", "\n", -1);
  guint n_lines = self->text != NULL ? g_strv_length (lines) : 0;
  int box_w = MIN (width - 2, 70);
  /* Border, blank, text, blank, fields, blank, two lines for what went wrong, hint, border. */
  int box_h = 2 + n_lines + (n_lines > 0 ? 1 : 0) + self->fields->len + 1 + 2 + 1 + 1;
  int y0, x0, y, label_w = 0, cursor_y = -1, cursor_x = -1;
  attr_t normal = tui_crt_attr (TUI_COLOR_NORMAL);

  box_h = MIN (box_h, height);
  y0 = top + MAX (0, (height - box_h) / 2);
  x0 = MAX (0, (width - box_w) / 2);
  for (int r = 0; r < box_h; r++)
    {
      wmove (win, y0 + r, x0);
      for (int c = 0; c < box_w; c++)
        waddch (win, ' ');
    }
  wattr_on (win, tui_crt_attr (TUI_COLOR_HEADING), NULL);
  /* Wide-character lines: plain UTF-8 box drawing, which survives any terminal and SSH. */
  mvwhline_set (win, y0, x0, WACS_HLINE, box_w);
  mvwhline_set (win, y0 + box_h - 1, x0, WACS_HLINE, box_w);
  mvwvline_set (win, y0, x0, WACS_VLINE, box_h);
  mvwvline_set (win, y0, x0 + box_w - 1, WACS_VLINE, box_h);
  mvwadd_wch (win, y0, x0, WACS_ULCORNER);
  mvwadd_wch (win, y0, x0 + box_w - 1, WACS_URCORNER);
  mvwadd_wch (win, y0 + box_h - 1, x0, WACS_LLCORNER);
  mvwadd_wch (win, y0 + box_h - 1, x0 + box_w - 1, WACS_LRCORNER);
  wattr_off (win, tui_crt_attr (TUI_COLOR_HEADING), NULL);
  tui_crt_printf (win, y0, x0 + 2, box_w - 4, tui_crt_attr (TUI_COLOR_HEADING), " %s ",
                  self->title);

  y = y0 + 2;
  for (guint i = 0; i < n_lines && y < y0 + box_h - 1; i++, y++)
    tui_crt_print (win, y, x0 + 2, box_w - 4, normal, lines[i]);
  if (n_lines > 0)
    y++;
  for (guint i = 0; i < self->fields->len; i++)
    label_w = MAX (label_w, tui_crt_text_width (((Field *) g_ptr_array_index (self->fields,
                                                                              i))->label));
  label_w = MIN (label_w, box_w / 2);
  for (guint i = 0; i < self->fields->len && y < y0 + box_h - 1; i++, y++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      int fx = x0 + 2 + label_w + 2, fw = x0 + box_w - 2 - fx;
      g_autofree char *shown = NULL;
      int used;

      if (field->flags & TUI_FIELD_MASKED)
        {
          GString *stars = g_string_new (NULL);

          for (glong n = g_utf8_strlen (field->value->str, -1); n > 0; n--)
            g_string_append_c (stars, '*');
          shown = g_string_free (stars, FALSE);
        }
      else
        shown = g_strdup (field->value->str);
      tui_crt_printf (win, y, x0 + 2, label_w + 1, i == self->focus
                      ? tui_crt_attr (TUI_COLOR_HEADING) : normal, "%s:", field->label);
      wattr_on (win, tui_crt_attr (TUI_COLOR_FIELD), NULL);
      mvwhline (win, y, fx, ' ', fw);
      wattr_off (win, tui_crt_attr (TUI_COLOR_FIELD), NULL);
      /* Long input scrolls: the end, where the cursor is, stays in view. */
      while (tui_crt_text_width (shown) > fw - 1)
        memmove (shown, g_utf8_next_char (shown), strlen (g_utf8_next_char (shown)) + 1);
      used = tui_crt_print (win, y, fx, fw, tui_crt_attr (TUI_COLOR_FIELD), shown);
      if (i == self->focus)
        {
          cursor_y = y;
          cursor_x = fx + used;
        }
    }
  y = y0 + box_h - 4;
  if (self->busy != NULL)
    tui_crt_print (win, y, x0 + 2, box_w - 4, tui_crt_attr (TUI_COLOR_WARN), self->busy);
  else if (self->error != NULL)
    tui_crt_print_wrapped (win, y, x0 + 2, box_w - 4, 2, tui_crt_attr (TUI_COLOR_ERROR),
                           self->error);
  tui_crt_print (win, y0 + box_h - 2, x0 + 2, box_w - 4, A_DIM,
                 self->hint != NULL ? self->hint
                 : self->fields->len > 0 ? _("Enter: confirm · Tab: next field · Esc: cancel")
                                         : _("Enter or y: yes · Esc or n: no"));
  if (cursor_y >= 0 && self->busy == NULL)
    {
      curs_set (1);
      wmove (win, cursor_y, cursor_x);
    }
  else
    curs_set (0);
}
