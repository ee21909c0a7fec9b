/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-password.c: argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane), and a
 * policy in the spirit of NIST SP 800-63B: a minimum length, no upper limit worth the name,
 * no composition rules, and a refusal of the passwords every attacker tries first.
 */
#include "config.h"

#include "parkd-password.h"

#include <gio/gio.h>
#include <sodium.h>
#include <string.h>

#define OPSLIMIT 2
#define MEMLIMIT (19 * 1024 * 1024)

char *
parkd_password_hash (const char  *password,
                     GError     **error)
{
  char out[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str_alg (out, password, strlen (password), OPSLIMIT, MEMLIMIT,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   "Not enough memory to hash a password");
      return NULL;
    }
  return g_strdup (out);
}

gboolean
parkd_password_verify (const char *hash,
                       const char *password)
{
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

void
parkd_password_verify_dummy (const char *password)
{
  static char dummy[crypto_pwhash_STRBYTES];
  static gsize made = 0;

  if (g_once_init_enter (&made))
    {
      g_autofree char *random = g_uuid_string_random ();

      if (crypto_pwhash_str_alg (dummy, random, strlen (random), OPSLIMIT, MEMLIMIT,
                                 crypto_pwhash_ALG_ARGON2ID13) != 0)
        g_error ("Not enough memory to hash a password");
      g_once_init_leave (&made, 1);
    }
  {
    gboolean matched = crypto_pwhash_str_verify (dummy, password, strlen (password)) == 0;

    (void) matched;
  }
}

gboolean
parkd_password_needs_rehash (const char *hash)
{
  return crypto_pwhash_str_needs_rehash (hash, OPSLIMIT, MEMLIMIT) != 0;
}

static GHashTable *
common_passwords (void)
{
  static GHashTable *table;

  if (g_once_init_enter (&table))
    {
      GHashTable *t = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GBytes) bytes = g_resources_lookup_data ("/org/parkade/parkd/data/common-passwords.txt",
                                                         0, NULL);
      char *text, **lines;

      g_assert (bytes != NULL);
      text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      lines = g_strsplit (text, "\n", 0);
      g_free (text);
      for (guint i = 0; lines[i] != NULL; i++)
        if (*lines[i] != '\0' && *lines[i] != '#')
          g_hash_table_add (t, lines[i]);
        else
          g_free (lines[i]);
      g_free (lines);   /* the strings now belong to the table, for the process's life */
      g_once_init_leave (&table, t);
    }
  return table;
}

char *
parkd_password_check_policy (const char *password,
                             const char *email)
{
  g_autofree char *folded = NULL;
  g_autofree char *local = NULL;
  glong n_chars;
  gboolean one_char = TRUE, sequence = TRUE;

  if (!g_utf8_validate (password, -1, NULL))
    return g_strdup ("The password is not valid UTF-8");
  n_chars = g_utf8_strlen (password, -1);
  if (n_chars < PARKD_PASSWORD_MIN_CHARS)
    return g_strdup_printf ("The password must have at least %d characters",
                            PARKD_PASSWORD_MIN_CHARS);
  if (strlen (password) > PARKD_PASSWORD_MAX_BYTES)
    return g_strdup_printf ("The password must be at most %d bytes long",
                            PARKD_PASSWORD_MAX_BYTES);

  folded = g_utf8_casefold (password, -1);
  if (g_hash_table_contains (common_passwords (), folded))
    return g_strdup ("This password is one of the most common ones; choose another");

  for (const char *p = folded + 1; *p != '\0'; p++)
    {
      if (*p != p[-1])
        one_char = FALSE;
      if (*p != p[-1] + 1 && *p != p[-1] - 1)
        sequence = FALSE;
    }
  if (one_char || sequence)
    return g_strdup ("The password is too easy to guess; choose another");

  if (email != NULL)
    {
      const char *at = strchr (email, '@');

      local = g_utf8_casefold (email, at != NULL ? at - email : -1);
      if (g_str_equal (local, folded) || (strlen (local) >= 6 && strstr (folded, local) != NULL))
        return g_strdup ("The password must not contain your e-mail address");
    }
  return NULL;
}
