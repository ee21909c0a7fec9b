/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tui-config.h: the console's settings, a key file under the user's config directory
 * (parkade/parkade-tui.conf):
 *
 *   [receipts]
 *   print-command=lp -d booth     # receipts go to this command's standard input, or
 *   directory=/var/spool/receipts # are written here as receipt-<payment>.txt (default:
 *                                 # the user data dir's parkade/receipts)
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char *path;            /* the file read, or looked for */
  char *backend;         /* [console] backend, lot and user: the booth's defaults */
  char *lot;
  char *user;
  char *print_command;   /* NULL: write files */
  char *receipt_dir;
} TuiConfig;

TuiConfig *tui_config_load   (const char  *path,
                              GError     **error);
void       tui_config_free   (TuiConfig   *self);

/* Prints @text: to the command (asynchronously) or to a file in the directory. @callback
 * gets a sentence saying where it went, or the error. */
void       tui_config_print_receipt_async  (TuiConfig           *self,
                                            const char          *payment_id,
                                            const char          *text,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char      *tui_config_print_receipt_finish (TuiConfig           *self,
                                            GAsyncResult        *result,
                                            GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TuiConfig, tui_config_free)

G_END_DECLS
