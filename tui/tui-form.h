/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tui-form.h: a small dialog over the current view: a few lines of text, text fields, a
 * line for what went wrong, and a hint. Enter confirms (moving through the fields first),
 * Esc cancels; a dialog without fields is a yes/no question.
 */
#pragma once

#include <glib.h>
#include <curses.h>

G_BEGIN_DECLS

typedef enum
{
  TUI_FIELD_TEXT   = 0,
  TUI_FIELD_MASKED = 1 << 0,   /* a password: shown as stars */
  TUI_FIELD_MONEY  = 1 << 1,   /* digits and one decimal point or comma */
  TUI_FIELD_UPPER  = 1 << 2,   /* plates and codes */
  TUI_FIELD_OPTIONAL = 1 << 3, /* may stay empty: Enter does not stop at it */
} TuiFieldFlags;

typedef enum
{
  TUI_FORM_CONTINUE,
  TUI_FORM_CLOSE,
} TuiFormResult;

typedef struct _TuiForm TuiForm;

/* Enter once no field after the focused one still needs filling in (empty and not optional),
 * or y/Enter on a question: TRUE closes the form. */
typedef gboolean (*TuiFormSubmit)  (TuiForm  *form,
                                    gpointer  data);
/* A field changed (to show change to give while the amount is typed, say). */
typedef void     (*TuiFormChanged) (TuiForm  *form,
                                    gpointer  data);

TuiForm       *tui_form_new            (const char     *title,
                                        const char     *hint);
void           tui_form_free           (TuiForm        *self);
/* *@location becomes NULL when the form is freed: views keep pointers to the dialogs they
 * opened, and the screen frees a dialog when it is escaped. */
void           tui_form_add_weak_pointer (TuiForm      *self,
                                          gpointer     *location);
void           tui_form_add_field      (TuiForm        *self,
                                        const char     *label,
                                        const char     *value,
                                        TuiFieldFlags   flags,
                                        guint           max_chars);
void           tui_form_set_callbacks  (TuiForm        *self,
                                        TuiFormSubmit   submit,
                                        TuiFormChanged  changed,
                                        gpointer        data);
/* Lines above the fields ("\n" between them). */
void           tui_form_set_text       (TuiForm        *self,
                                        const char     *text);
/* What went wrong and what to do, shown until the next key; NULL clears it. */
void           tui_form_set_error      (TuiForm        *self,
                                        const char     *error);
/* While a request is on its way: keys other than Esc wait. */
void           tui_form_set_busy       (TuiForm        *self,
                                        const char     *busy_text);
const char    *tui_form_get_value      (TuiForm        *self,
                                        guint           field);
void           tui_form_set_focus      (TuiForm        *self,
                                        guint           field);
void           tui_form_set_value      (TuiForm        *self,
                                        guint           field,
                                        const char     *value);
gboolean       tui_form_is_busy        (TuiForm        *self);
TuiFormResult  tui_form_handle_key     (TuiForm        *self,
                                        int             key,
                                        gboolean        is_code);
/* Draws the form over [top, top + height) and puts the cursor in the focused field. */
void           tui_form_draw           (TuiForm        *self,
                                        WINDOW         *win,
                                        int             top,
                                        int             height,
                                        int             width);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuiForm, tui_form_free)

G_END_DECLS
