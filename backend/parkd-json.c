/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-json.c: a strict one-pass JSON checker (syntax, UTF-8, depth, duplicate keys, number
 * range) and the small writer the handlers use to build answers without a tree.
 */
#include "config.h"

#include "parkd-json.h"

#include <math.h>
#include <string.h>

static void parkd_json_append_double_slow (GString *out,
                                           double   value,
                                           int      decimals);

G_DEFINE_QUARK (parkd-request-error-quark, parkd_request_error)

typedef struct
{
  const char *p;
  const char *start;
  const char *end;
  guint       depth;
  guint       max_depth;
  GError    **error;
} Scanner;

static gboolean scan_value (Scanner *s);

static gboolean
fail (Scanner    *s,
      int         code,
      const char *what)
{
  g_set_error (s->error, PARKD_REQUEST_ERROR, code, "%s at byte %" G_GSIZE_FORMAT,
               what, (gsize) (s->p - s->start));
  return FALSE;
}

static void
skip_ws (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (Scanner  *s,
           gunichar *out)
{
  gunichar v = 0;

  if (s->end - s->p < 4)
    return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Truncated \\u escape");
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (s->p[i]);

      if (h < 0)
        return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Invalid \\u escape");
      v = v * 16 + h;
    }
  s->p += 4;
  *out = v;
  return TRUE;
}

/* Scans a string after its opening quote; if @decoded is not NULL, appends the decoded text
 * (used for object keys, so "a" and "\u0061" count as the same key). */
static gboolean
scan_string (Scanner *s,
             GString *decoded)
{
  while (s->p < s->end)
    {
      guchar c = *s->p;

      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Control character in string");
      if (c == '\\')
        {
          gunichar u;

          s->p++;
          if (s->p >= s->end)
            break;
          switch (*s->p)
            {
            case '"': case '\\': case '/':
              if (decoded)
                g_string_append_c (decoded, *s->p);
              s->p++;
              break;
            case 'b': case 'f': case 'n': case 'r': case 't':
              if (decoded)
                g_string_append_c (decoded, *s->p == 'b' ? '\b' : *s->p == 'f' ? '\f' :
                                            *s->p == 'n' ? '\n' : *s->p == 'r' ? '\r' : '\t');
              s->p++;
              break;
            case 'u':
              s->p++;
              if (!read_hex4 (s, &u))
                return FALSE;
              if (u >= 0xd800 && u <= 0xdbff)
                {
                  gunichar lo;

                  if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
                    return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Unpaired surrogate");
                  s->p += 2;
                  if (!read_hex4 (s, &lo))
                    return FALSE;
                  if (lo < 0xdc00 || lo > 0xdfff)
                    return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Unpaired surrogate");
                  u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
                }
              else if (u >= 0xdc00 && u <= 0xdfff)
                return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Unpaired surrogate");
              if (u == 0)
                return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "NUL character in string");
              if (decoded)
                g_string_append_unichar (decoded, u);
              break;
            default:
              return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Invalid escape");
            }
          continue;
        }
      /* The whole text was checked as UTF-8 before scanning. */
      if (decoded)
        g_string_append_c (decoded, c);
      s->p++;
    }
  return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Unterminated string");
}

static gboolean
scan_number (Scanner *s)
{
  const char *begin = s->p;
  char buf[64];
  double v;

  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p >= s->end)
    return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Truncated number");
  if (*s->p == '0')
    {
      s->p++;
      if (s->p < s->end && g_ascii_isdigit (*s->p))
        return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Leading zero in number");
    }
  else if (g_ascii_isdigit (*s->p))
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  else
    return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Invalid number");

  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Invalid number");
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Invalid number");
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }

  if ((gsize) (s->p - begin) >= sizeof buf)
    return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Number too long");
  memcpy (buf, begin, s->p - begin);
  buf[s->p - begin] = '\0';
  v = g_ascii_strtod (buf, NULL);
  if (!isfinite (v))
    return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Number out of range");
  return TRUE;
}

static gboolean
scan_literal (Scanner    *s,
              const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Unexpected character");
  s->p += n;
  return TRUE;
}

static gboolean
scan_object (Scanner *s)
{
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) key = g_string_new (NULL);

  s->p++; /* { */
  skip_ws (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      return TRUE;
    }

  for (;;)
    {
      skip_ws (s);
      if (s->p >= s->end || *s->p != '"')
        return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Expected a member name");
      s->p++;
      g_string_truncate (key, 0);
      if (!scan_string (s, key))
        return FALSE;
      if (g_hash_table_contains (keys, key->str))
        {
          g_set_error (s->error, PARKD_REQUEST_ERROR, PARKD_REQUEST_ERROR_DUPLICATE_KEY,
                       "Duplicate member \"%s\"", key->str);
          return FALSE;
        }
      g_hash_table_add (keys, g_strdup (key->str));

      skip_ws (s);
      if (s->p >= s->end || *s->p != ':')
        return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Expected ':'");
      s->p++;
      if (!scan_value (s))
        return FALSE;
      skip_ws (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          continue;
        }
      if (s->p < s->end && *s->p == '}')
        {
          s->p++;
          return TRUE;
        }
      return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Expected ',' or '}'");
    }
}

static gboolean
scan_array (Scanner *s)
{
  s->p++; /* [ */
  skip_ws (s);
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      return TRUE;
    }
  for (;;)
    {
      if (!scan_value (s))
        return FALSE;
      skip_ws (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          continue;
        }
      if (s->p < s->end && *s->p == ']')
        {
          s->p++;
          return TRUE;
        }
      return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Expected ',' or ']'");
    }
}

static gboolean
scan_value (Scanner *s)
{
  gboolean ok;

  skip_ws (s);
  if (s->p >= s->end)
    return fail (s, PARKD_REQUEST_ERROR_BAD_JSON, "Unexpected end of input");

  switch (*s->p)
    {
    case '{':
    case '[':
      if (++s->depth > s->max_depth)
        {
          g_set_error (s->error, PARKD_REQUEST_ERROR, PARKD_REQUEST_ERROR_TOO_DEEP,
                       "Nesting deeper than %u levels", s->max_depth);
          return FALSE;
        }
      ok = *s->p == '{' ? scan_object (s) : scan_array (s);
      s->depth--;
      return ok;
    case '"':
      s->p++;
      return scan_string (s, NULL);
    case 't':
      return scan_literal (s, "true");
    case 'f':
      return scan_literal (s, "false");
    case 'n':
      return scan_literal (s, "null");
    default:
      return scan_number (s);
    }
}

gboolean
parkd_json_check (const char  *data,
                  gsize        len,
                  guint        max_depth,
                  GError     **error)
{
  Scanner s = { data, data, data + len, 0, max_depth, error };
  const char *bad;

  if (!g_utf8_validate_len (data, len, &bad))
    {
      g_set_error (error, PARKD_REQUEST_ERROR, PARKD_REQUEST_ERROR_BAD_JSON,
                   "Invalid UTF-8 at byte %" G_GSIZE_FORMAT, (gsize) (bad - data));
      return FALSE;
    }
  if (!scan_value (&s))
    return FALSE;
  skip_ws (&s);
  if (s.p != s.end)
    return fail (&s, PARKD_REQUEST_ERROR_BAD_JSON, "Trailing data after the JSON value");
  return TRUE;
}

/* Checks strictly, then lets json-glib build the tree; the root must be an object. */
JsonNode *
parkd_json_parse_object (const char  *data,
                         gsize        len,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (!parkd_json_check (data, len, PARKD_JSON_MAX_DEPTH, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, error))
    {
      g_autoptr(GError) local_error = NULL;

      g_set_error (&local_error, PARKD_REQUEST_ERROR, PARKD_REQUEST_ERROR_BAD_JSON, "%s",
                   error != NULL && *error != NULL ? (*error)->message : "Invalid JSON");
      g_clear_error (error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PARKD_REQUEST_ERROR, PARKD_REQUEST_ERROR_NOT_OBJECT,
                   "The body must be a JSON object");
      return NULL;
    }
  return json_node_ref (root);
}

void
parkd_json_append_string (GString    *out,
                          const char *str)
{
  static const char hex[] = "0123456789abcdef";
  const char *p, *run;
  gsize len, old;

  if (str == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  /* Most text needs no escaping: one copy. */
  for (p = str; *p != '\0'; p++)
    if (G_UNLIKELY ((guchar) *p < 0x20 || *p == '"' || *p == '\\'))
      break;
  if (*p == '\0')
    {
      len = p - str;
      old = out->len;
      g_string_set_size (out, old + len + 2);
      out->str[old] = '"';
      memcpy (out->str + old + 1, str, len);
      out->str[old + len + 1] = '"';
      return;
    }

  g_string_append_c (out, '"');
  for (p = run = str; *p != '\0'; p++)
    {
      guchar c = *p;

      if (G_LIKELY (c >= 0x20 && c != '"' && c != '\\'))
        continue;
      g_string_append_len (out, run, p - run);
      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          g_string_append (out, "\\u00");
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 0xf]);
        }
      run = p + 1;
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

/* Member names are our own identifiers and never need escaping. */
void
parkd_json_append_member (GString    *out,
                          const char *name)
{
  gsize len = strlen (name);
  gsize old = out->len;
  gboolean comma = old > 0 && out->str[old - 1] != '{' && out->str[old - 1] != '[';
  char *p;

  g_string_set_size (out, old + len + 3 + comma);
  p = out->str + old;
  if (comma)
    *p++ = ',';
  *p++ = '"';
  memcpy (p, name, len);
  p += len;
  *p++ = '"';
  *p = ':';
}

void
parkd_json_append_uint (GString *out,
                        guint64  value)
{
  char buf[24];
  char *p = buf + sizeof buf;

  do
    {
      *--p = '0' + value % 10;
      value /= 10;
    }
  while (value != 0);
  g_string_append_len (out, p, buf + sizeof buf - p);
}

void
parkd_json_append_int (GString *out,
                       gint64   value)
{
  if (value < 0)
    {
      g_string_append_c (out, '-');
      parkd_json_append_uint (out, -(guint64) value);
    }
  else
    parkd_json_append_uint (out, value);
}

/* Fixed-point without printf: answers carry hundreds of coordinates and distances, and
 * printf's float formatting was a tenth of a search's time. Values too large for exact
 * scaling fall back to g_ascii_formatd. */
void
parkd_json_append_double (GString *out,
                          double   value,
                          int      decimals)
{
  static const guint64 powers[] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
  };
  double scaled;
  guint64 units, ip, fp;
  int digits;

  decimals = CLAMP (decimals, 0, 9);
  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  scaled = fabs (value) * powers[decimals];
  if (scaled >= 9007199254740992.0)
    {
      parkd_json_append_double_slow (out, value, decimals);
      return;
    }
  units = (guint64) llround (scaled);
  ip = units / powers[decimals];
  fp = units % powers[decimals];
  if (value < 0 && units != 0)
    g_string_append_c (out, '-');
  parkd_json_append_uint (out, ip);
  if (fp == 0)
    return;
  digits = decimals;
  while (fp % 10 == 0)
    {
      fp /= 10;
      digits--;
    }
  g_string_append_c (out, '.');
  for (guint64 p = powers[digits - 1]; p > fp; p /= 10)
    g_string_append_c (out, '0');
  parkd_json_append_uint (out, fp);
}

static void
parkd_json_append_double_slow (GString *out,
                               double   value,
                               int      decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char fmt[8];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  g_snprintf (fmt, sizeof fmt, "%%.%df", CLAMP (decimals, 0, 9));
  g_ascii_formatd (buf, sizeof buf, fmt, value);
  /* Trim trailing zeros: 51.0500000 -> 51.05, 3.0 -> 3 */
  if (strchr (buf, '.') != NULL)
    {
      char *e = buf + strlen (buf) - 1;

      while (*e == '0')
        *e-- = '\0';
      if (*e == '.')
        *e = '\0';
    }
  if (strcmp (buf, "-0") == 0)
    strcpy (buf, "0");
  g_string_append (out, buf);
}
