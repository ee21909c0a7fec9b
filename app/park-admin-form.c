/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-admin-form.c: what the operator pages share: errors in words for the operator, amounts
 * typed as decimals, a form's error line and toasts.
 */
#include "config.h"

#include "park-admin-form.h"

#include <glib/gi18n.h>
#include <string.h>

/* What went wrong, in words for the operator; the server's own detail for a refusal. */
char *
park_describe_error (const GError *error)
{
  if (error->domain == PARK_CLIENT_ERROR)
    switch (error->code)
      {
      case PARK_CLIENT_ERROR_UNAVAILABLE:
        return g_strdup (_("The parking server cannot be reached. Check the connection and try again."));
      case PARK_CLIENT_ERROR_UNAUTHORIZED:
        return g_strdup (_("Your sign-in has ended. Sign in again to go on."));
      case PARK_CLIENT_ERROR_FORBIDDEN:
        return g_strdup (_("Your account may not do this. Operators manage their own lots and staff."));
      case PARK_CLIENT_ERROR_NOT_FOUND:
        return g_strdup (_("It is gone: someone else may have deleted it. Refresh to see what is left."));
      case PARK_CLIENT_ERROR_RATE_LIMITED:
        return g_strdup (_("Too many requests in a short time. Wait a moment and try again."));
      case PARK_CLIENT_ERROR_SERVER:
        return g_strdup (_("The parking server had a problem. Try again later."));
      default:
        break;
      }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_strdup (_("The parking server cannot be reached. Check the connection and try again."));
  return g_strdup (error->message);
}

/* "2.50", "2,5", "3" (and the locale's own decimal mark) → minor units (2 decimals); FALSE if
 * it is no amount. An empty text gives -1 when @empty_ok ("none"). Negative amounts pass, for
 * the server to judge. */
gboolean
park_parse_money (const char *text,
             gboolean    empty_ok,
             gint64     *out)
{
  g_autofree char *s = g_strstrip (g_strdup (text));
  const char *p = s;
  gboolean negative = FALSE;
  gint64 whole = 0, cents = 0;
  int decimals = 0;

  if (*s == '\0')
    {
      *out = -1;
      return empty_ok;
    }
  if (*p == '-')
    negative = TRUE, p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    {
      if (whole > G_MAXINT64 / 100)
        return FALSE;
      whole = whole * 10 + (*p++ - '0');
    }
  if (*p == '.' || *p == ',' || g_str_has_prefix (p, park_money_get_decimal_mark ()))
    {
      p += (*p == '.' || *p == ',') ? 1 : strlen (park_money_get_decimal_mark ());
      while (g_ascii_isdigit (*p) && decimals < 2)
        cents = cents * 10 + (*p++ - '0'), decimals++;
      if (decimals == 1)
        cents *= 10;
    }
  if (*p != '\0')
    return FALSE;
  *out = (whole * 100 + cents) * (negative ? -1 : 1);
  return TRUE;
}

void
park_show_form_error (GtkLabel   *label,
                 const char *text)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

/* A toast in the nearest toast overlay above @widget (the operator pages have one). */
void
park_toast (GtkWidget  *widget,
            const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (overlay == NULL)
    return;
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/* The money text of minor units for an entry, with the locale's decimal mark and no digit
 * groups: "2.50", "2,50" in German; "" for none (-1). */
char *
park_money_entry_text (gint64 minor)
{
  if (minor < 0)
    return g_strdup ("");
  return park_money_format_plain (minor, NULL);
}

/* After an operator's change: a toast says what happened (the error as a person reads it, or
 * @done). FALSE when the call was cancelled: the page may be gone, so do nothing more. */
gboolean
park_toast_outcome (GtkWidget  *widget,
                    GError     *error,
                    const char *done)
{
  g_autofree char *text = NULL;

  if (error == NULL)
    {
      park_toast (widget, done);
      return TRUE;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  text = park_describe_error (error);
  park_toast (widget, text);
  return TRUE;
}
