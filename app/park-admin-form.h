/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-admin-form.h: what the operator pages share (errors, amounts, toasts). */
#pragma once

#include <adwaita.h>
#include <park-core.h>

G_BEGIN_DECLS

char     *park_describe_error    (const GError *error);
gboolean  park_parse_money       (const char   *text,
                                  gboolean      empty_ok,
                                  gint64       *out);
void      park_show_form_error   (GtkLabel     *label,
                                  const char   *text);
void      park_toast             (GtkWidget    *widget,
                                  const char   *text);
char     *park_money_entry_text  (gint64        minor);

gboolean  park_toast_outcome     (GtkWidget    *widget,
                                  GError       *error,
                                  const char   *done);

G_END_DECLS
