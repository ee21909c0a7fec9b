/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-money.c: amounts are written with the reader's decimal mark and digit groups and the
 * currency's decimals. The locales are compiled from Debian's locale sources (the locales
 * package) into a temporary directory with localedef, so the test needs no system locale set
 * up and changes nothing outside it.
 */
#include "config.h"

#include <park-core.h>
#include <locale.h>

#include "park-test-utils.h"

static void
use_locale (const char *name)
{
  g_assert_nonnull (setlocale (LC_ALL, name));
}

static void
check (gint64      minor,
       const char *currency,
       const char *expected)
{
  g_autofree char *got = park_money_format_abs (minor, currency);

  g_assert_cmpstr (got, ==, expected);
}

/* What the C locale (and so a machine with no locale set) shows: the plain mark, no groups. */
static void
test_c (void)
{
  use_locale ("C");
  check (250, "EUR", "2.50");
  check (123456789, "EUR", "1234567.89");
  check (-705, "EUR", "7.05");
  check (5, "EUR", "0.05");
  check (0, "EUR", "0.00");
}

static void
test_german (void)
{
  use_locale ("de_DE.UTF-8");
  check (250, "EUR", "2,50");
  check (123456789, "EUR", "1.234.567,89");
  check (99999, "EUR", "999,99");
  check (100000, "EUR", "1.000,00");
  check (-1250, "EUR", "12,50");
  /* For a field a person edits: the mark, no groups (what the operator's forms show). */
  {
    g_autofree char *plain = park_money_format_plain (123456789, "EUR");

    g_assert_cmpstr (plain, ==, "1234567,89");
    g_assert_cmpstr (park_money_get_decimal_mark (), ==, ",");
  }
}

static void
test_french (void)
{
  use_locale ("fr_FR.UTF-8");
  check (250, "EUR", "2,50");
  /* French groups with a narrow no-break space (U+202F). */
  check (123456789, "EUR", "1\u202f234\u202f567,89");
}

static void
test_american (void)
{
  use_locale ("en_US.UTF-8");
  check (250, "USD", "2.50");
  check (123456789, "USD", "1,234,567.89");
}

/* The currency, not the locale, says how many decimals there are. */
static void
test_decimals (void)
{
  use_locale ("de_DE.UTF-8");
  g_assert_cmpuint (park_money_decimals ("EUR"), ==, 2);
  g_assert_cmpuint (park_money_decimals ("JPY"), ==, 0);
  g_assert_cmpuint (park_money_decimals ("KWD"), ==, 3);
  g_assert_cmpuint (park_money_decimals (NULL), ==, 2);
  check (1500, "JPY", "1.500");
  check (1500, "KWD", "1,500");
  check (1234567, "KWD", "1.234,567");
  check (G_MAXINT64, "EUR", "92.233.720.368.547.758,07");
  check (G_MININT64, "EUR", "92.233.720.368.547.758,08");
}

int
main (int   argc,
      char *argv[])
{
  static const char * const locales[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "en_US.UTF-8", NULL };
  g_autofree char *locale_dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  locale_dir = park_test_compile_locale (locales);

  g_test_add_func ("/money/c", test_c);
  g_test_add_func ("/money/german", test_german);
  g_test_add_func ("/money/french", test_french);
  g_test_add_func ("/money/american", test_american);
  g_test_add_func ("/money/decimals", test_decimals);
  status = g_test_run ();

  park_test_remove_tree (locale_dir);
  return status;
}
