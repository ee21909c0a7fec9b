/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tui-config.c: the console's key file, and printing receipts as it says. */
#include "config.h"

#include "tui-config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

TuiConfig *
tui_config_load (const char  *path,
                 GError     **error)
{
  g_autoptr(TuiConfig) self = g_new0 (TuiConfig, 1);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  self->path = path != NULL ? g_strdup (path)
                            : g_build_filename (g_get_user_config_dir (), "parkade",
                                                "parkade-tui.conf", NULL);
  if (!g_key_file_load_from_file (file, self->path, G_KEY_FILE_NONE, &local_error))
    {
      /* No file is the usual case: the defaults. A file that is there must be right. */
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) || path != NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ",
                                      self->path);
          return NULL;
        }
    }
  else
    {
      self->backend = g_key_file_get_string (file, "console", "backend", NULL);
      self->lot = g_key_file_get_string (file, "console", "lot", NULL);
      self->user = g_key_file_get_string (file, "console", "user", NULL);
      self->print_command = g_key_file_get_string (file, "receipts", "print-command", NULL);
      self->receipt_dir = g_key_file_get_string (file, "receipts", "directory", NULL);
      if (self->print_command != NULL && *g_strstrip (self->print_command) == '\0')
        g_clear_pointer (&self->print_command, g_free);
    }
  if (self->receipt_dir == NULL || *self->receipt_dir == '\0')
    {
      g_free (self->receipt_dir);
      self->receipt_dir = g_build_filename (g_get_user_data_dir (), "parkade", "receipts", NULL);
    }
  return g_steal_pointer (&self);
}

void
tui_config_free (TuiConfig *self)
{
  if (self == NULL)
    return;
  g_free (self->path);
  g_free (self->backend);
  g_free (self->lot);
  g_free (self->user);
  g_free (self->print_command);
  g_free (self->receipt_dir);
  g_free (self);
}

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GSubprocess *process = G_SUBPROCESS (source);
  TuiConfig *self = g_task_get_task_data (task);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_communicate_utf8_finish (process, result, NULL, &err, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!g_subprocess_get_successful (process))
    {
      g_warning ("print command \"%s\" failed: %s", self->print_command,
                 err != NULL ? g_strstrip (err) : "");
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The printer command “%s” failed: check the printer, or "
                                 "print-command in %s"), self->print_command, self->path);
    }
  else
    g_task_return_pointer (task, g_strdup_printf (_("Receipt sent to the printer (%s)"),
                                                  self->print_command), g_free);
}

static void
replace_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (G_FILE (source));

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_new_error (task, error->domain, error->code,
                             _("The receipt could not be saved to %s: %s"), path,
                             error->message);
  else
    g_task_return_pointer (task, g_strdup_printf (_("Receipt saved to %s"), path), g_free);
}

void
tui_config_print_receipt_async (TuiConfig           *self,
                                const char          *payment_id,
                                const char          *text,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, tui_config_print_receipt_async);
  g_task_set_task_data (task, self, NULL);
  if (self->print_command != NULL)
    {
      g_auto(GStrv) argv = NULL;
      g_autoptr(GSubprocess) process = NULL;

      if (!g_shell_parse_argv (self->print_command, NULL, &argv, &error) ||
          (process = g_subprocess_newv ((const char * const *) argv,
                                        G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE, &error)) == NULL)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                                   _("The printer command “%s” cannot run (%s): check "
                                     "print-command in %s"), self->print_command,
                                   error->message, self->path);
          return;
        }
      g_subprocess_communicate_utf8_async (process, text, cancellable, communicate_cb,
                                           g_steal_pointer (&task));
    }
  else
    {
      g_autofree char *name = g_strdup_printf ("receipt-%s.txt", payment_id);
      g_autofree char *path = g_build_filename (self->receipt_dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

      if (g_mkdir_with_parents (self->receipt_dir, 0700) != 0)
        {
          int saved = errno;

          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                                   _("The receipt folder %s cannot be made (%s): set "
                                     "directory in %s"), self->receipt_dir, g_strerror (saved),
                                   self->path);
          return;
        }
      g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                           cancellable, replace_cb, g_steal_pointer (&task));
    }
}

char *
tui_config_print_receipt_finish (TuiConfig     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
