/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-test-csv.c: RFC 4180, read strictly: a lenient reader (a spreadsheet's) would accept
 * the very mistakes the tests are there to catch, such as a bare LF or a stray quote.
 */
#include "park-test-csv.h"

#include <gio/gio.h>

static gboolean
invalid (GError     **error,
         guint        record,
         const char  *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "CSV record %u: %s", record, what);
  return FALSE;
}

/* Reads the field at *@i into @field; leaves *@i at what follows it. */
static gboolean
read_field (const char  *text,
            gsize        len,
            gsize       *i,
            guint        record,
            GString     *field,
            GError     **error)
{
  g_string_truncate (field, 0);
  if (*i < len && text[*i] == '"')
    {
      for ((*i)++;; (*i)++)
        {
          if (*i >= len)
            return invalid (error, record, "a quoted field does not end");
          if (text[*i] == '"')
            {
              if (*i + 1 < len && text[*i + 1] == '"')
                {
                  g_string_append_c (field, '"');
                  (*i)++;
                  continue;
                }
              (*i)++;
              break;
            }
          g_string_append_c (field, text[*i]);
        }
      if (*i < len && text[*i] != ',' && text[*i] != '\r')
        return invalid (error, record, "text after a field's closing quote");
      return TRUE;
    }
  for (; *i < len && text[*i] != ',' && text[*i] != '\r'; (*i)++)
    {
      if (text[*i] == '"')
        return invalid (error, record, "a quote in a field that is not quoted");
      if (text[*i] == '\n')
        return invalid (error, record, "a line ends with LF, not CRLF");
      g_string_append_c (field, text[*i]);
    }
  return TRUE;
}

GPtrArray *
park_test_csv_parse (const char  *text,
                     gsize        len,
                     GError     **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GString) field = g_string_new (NULL);
  gsize i = 0;

  while (i < len)
    {
      g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
      guint record = records->len + 1;

      for (;;)
        {
          if (!read_field (text, len, &i, record, field, error))
            return NULL;
          g_ptr_array_add (fields, g_strndup (field->str, field->len));
          if (i < len && text[i] == ',')
            {
              i++;
              continue;
            }
          if (i < len)
            {
              /* read_field() stops only at a comma, a CR or the end. */
              if (i + 1 >= len || text[i + 1] != '\n')
                {
                  invalid (error, record, "a CR not followed by LF");
                  return NULL;
                }
              i += 2;
            }
          break;
        }
      if (records->len > 0 &&
          fields->len != g_strv_length (g_ptr_array_index (records, 0)))
        {
          g_autofree char *what = g_strdup_printf ("%u fields, but the first record has %u",
                                                   fields->len,
                                                   g_strv_length (g_ptr_array_index (records,
                                                                                     0)));

          invalid (error, record, what);
          return NULL;
        }
      g_ptr_array_add (fields, NULL);
      g_ptr_array_add (records, g_ptr_array_steal (fields, NULL));
    }
  return g_steal_pointer (&records);
}
