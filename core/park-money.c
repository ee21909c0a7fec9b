/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-money.c: the digits of an amount of money as the user's locale writes them.
 *
 * parkd speaks in minor units (cents) and ISO 4217 codes. How many digits follow the decimal
 * mark is the currency's (ISO 4217); which mark that is, and how the whole part is grouped, is
 * the reader's (LC_MONETARY): 1.234,50 in Germany, 1 234,50 in France, 1,234.50 in the United
 * States. The front ends put the symbol or code around it, each in its own way.
 */
#include "config.h"

#include "park-core.h"

#include <limits.h>
#include <locale.h>
#include <string.h>

/**
 * park_money_decimals:
 * @currency: (nullable): an ISO 4217 code such as "EUR"
 *
 * How many digits of @currency follow the decimal mark: 2 for most, 0 for the yen, 3 for the
 * Kuwaiti dinar. Unknown codes (and %NULL) are taken to have 2.
 *
 * Returns: 0, 2 or 3
 */
guint
park_money_decimals (const char *currency)
{
  static const char * const zero[] = { "JPY", "KRW", "CLP", "ISK", "VND", "XAF", "XOF", "HUF",
                                       "PYG", "UGX", "RWF", "XPF", NULL };
  static const char * const three[] = { "KWD", "BHD", "OMR", "JOD", "TND", "LYD", "IQD", NULL };

  if (currency == NULL)
    return 2;
  if (g_strv_contains (zero, currency))
    return 0;
  if (g_strv_contains (three, currency))
    return 3;
  return 2;
}

/* The whole part of an amount, grouped as @grouping says (localeconv(3)): each byte a group's
 * size from the right, the last repeated; CHAR_MAX (or none) ends the grouping. */
static void
append_grouped (GString    *out,
                guint64     whole,
                const char *grouping,
                const char *separator)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, whole);
  gsize len = strlen (digits);
  g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize at = len;
  guint size = 0;

  if (separator != NULL && *separator != '\0' && grouping != NULL)
    {
      for (const char *g = grouping; ; )
        {
          if (*g != '\0')
            size = (guchar) *g++;
          if (size == 0 || size == CHAR_MAX || at <= size)
            break;
          at -= size;
          g_array_prepend_val (cuts, at);
        }
    }
  at = 0;
  for (guint i = 0; i < cuts->len; i++)
    {
      gsize cut = g_array_index (cuts, gsize, i);

      g_string_append_len (out, digits + at, cut - at);
      g_string_append (out, separator);
      at = cut;
    }
  g_string_append (out, digits + at);
}

/* The locale's decimal mark for money (LC_MONETARY; LC_NUMERIC's where it names none, as the
 * C locale does; "." failing both). */
static const char *
decimal_mark (void)
{
  const struct lconv *lc = localeconv ();

  if (lc->mon_decimal_point != NULL && *lc->mon_decimal_point != '\0')
    return lc->mon_decimal_point;
  if (lc->decimal_point != NULL && *lc->decimal_point != '\0')
    return lc->decimal_point;
  return ".";
}

static char *
format_abs (gint64      minor_units,
            const char *currency,
            gboolean    grouped)
{
  const struct lconv *lc = localeconv ();
  guint decimals = park_money_decimals (currency);
  guint64 magnitude = minor_units < 0 ? -(guint64) minor_units : (guint64) minor_units;
  guint64 scale = 1;
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < decimals; i++)
    scale *= 10;
  append_grouped (out, magnitude / scale, grouped ? lc->mon_grouping : NULL,
                  lc->mon_thousands_sep);
  if (decimals > 0)
    g_string_append_printf (out, "%s%0*" G_GUINT64_FORMAT, decimal_mark (), (int) decimals,
                            magnitude % scale);
  return g_string_free (out, FALSE);
}

/**
 * park_money_format_abs:
 * @minor_units: an amount in the currency's minor unit (cents); its sign is left out
 * @currency: (nullable): the amount's ISO 4217 code
 *
 * The digits of the amount's magnitude as the locale writes money: its decimal mark and digit
 * grouping (LC_MONETARY, falling back to LC_NUMERIC's mark and "." when the locale names
 * none, as the C locale does), and the currency's number of decimals. The caller adds the
 * sign and the currency, so each front end can place them as it shows money.
 *
 * Returns: (transfer full): the digits, for example "1.234,50" in a German locale
 */
char *
park_money_format_abs (gint64      minor_units,
                       const char *currency)
{
  return format_abs (minor_units, currency, TRUE);
}

/**
 * park_money_format_plain:
 * @minor_units: an amount in the currency's minor unit (cents); its sign is left out
 * @currency: (nullable): the amount's ISO 4217 code
 *
 * Like park_money_format_abs() without the digit groups, for a field a person edits:
 * "1234,50" in a German locale.
 *
 * Returns: (transfer full): the digits
 */
char *
park_money_format_plain (gint64      minor_units,
                         const char *currency)
{
  return format_abs (minor_units, currency, FALSE);
}

/**
 * park_money_get_decimal_mark:
 *
 * The decimal mark the user's locale writes money with ("," in Germany, "." in the C locale),
 * for parsing what a person typed.
 *
 * Returns: (transfer none): the mark, valid until the locale changes
 */
const char *
park_money_get_decimal_mark (void)
{
  return decimal_mark ();
}
