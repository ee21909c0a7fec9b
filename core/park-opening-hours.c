/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-opening-hours.c: a lot's weekly opening hours (`operating_hours` in openapi.json), as
 * ranges of minutes since local midnight per weekday. A range opens at 00:00 to 23:59 and
 * closes after it opens, at 24:00 at the latest; a day's ranges are in order and do not
 * overlap; a day without ranges is closed. These are the server's rules, checked here too so
 * that a form can say what is wrong before anything is sent.
 */
#include "config.h"

#include "park-opening-hours.h"
#include "park-error.h"
#include "park-error-private.h"
#include "park-opening-hours-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

typedef struct
{
  guint16 open;
  guint16 close;
} Range;

struct _ParkOpeningHours
{
  Range ranges[7][PARK_OPENING_HOURS_MAX_RANGES];   /* Monday first */
  guint n[7];
};

static const char * const day_keys[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

G_DEFINE_BOXED_TYPE (ParkOpeningHours, park_opening_hours,
                     park_opening_hours_copy, park_opening_hours_free)

#define VALID_DAY(d) ((d) >= G_DATE_MONDAY && (d) <= G_DATE_SUNDAY)

/**
 * park_opening_hours_new:
 *
 * Returns: (transfer full): opening hours closed every day, to add ranges to
 */
ParkOpeningHours *
park_opening_hours_new (void)
{
  return g_new0 (ParkOpeningHours, 1);
}

/**
 * park_opening_hours_new_always_open:
 *
 * Returns: (transfer full): opening hours open around the clock (the server's default)
 */
ParkOpeningHours *
park_opening_hours_new_always_open (void)
{
  ParkOpeningHours *self = park_opening_hours_new ();

  for (guint d = 0; d < 7; d++)
    {
      self->ranges[d][0].open = 0;
      self->ranges[d][0].close = 24 * 60;
      self->n[d] = 1;
    }
  return self;
}

/**
 * park_opening_hours_copy:
 * @self: a #ParkOpeningHours
 *
 * Returns: (transfer full): a copy of @self
 */
ParkOpeningHours *
park_opening_hours_copy (const ParkOpeningHours *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_memdup2 (self, sizeof *self);
}

/**
 * park_opening_hours_free:
 * @self: (transfer full): a #ParkOpeningHours
 *
 * Frees @self.
 */
void
park_opening_hours_free (ParkOpeningHours *self)
{
  g_free (self);
}

/**
 * park_opening_hours_equal:
 * @a: a #ParkOpeningHours
 * @b: another
 *
 * Returns: whether both have the same ranges on every day
 */
gboolean
park_opening_hours_equal (const ParkOpeningHours *a,
                          const ParkOpeningHours *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  for (guint d = 0; d < 7; d++)
    {
      if (a->n[d] != b->n[d])
        return FALSE;
      for (guint i = 0; i < a->n[d]; i++)
        if (a->ranges[d][i].open != b->ranges[d][i].open ||
            a->ranges[d][i].close != b->ranges[d][i].close)
          return FALSE;
    }
  return TRUE;
}

static char *
day_field (GDateWeekday weekday)
{
  return g_strconcat ("operating_hours.", day_keys[weekday - G_DATE_MONDAY], NULL);
}

/**
 * park_opening_hours_add_range:
 * @self: a #ParkOpeningHours
 * @weekday: the day, in the lot's local time
 * @open_minute: when it opens, in minutes since midnight (0 to 1439)
 * @close_minute: when it closes, after @open_minute, 1440 (24:00) at the latest
 * @error: return location for a #GError
 *
 * Adds a range after the day's last one. A range that closes before it opens, or starts
 * before the day's last range ends, or one more than %PARK_OPENING_HOURS_MAX_RANGES fails with
 * %PARK_CLIENT_ERROR_VALIDATION naming `operating_hours.<day>` and leaves @self as it was.
 *
 * Returns: whether it was added
 */
gboolean
park_opening_hours_add_range (ParkOpeningHours  *self,
                              GDateWeekday       weekday,
                              guint              open_minute,
                              guint              close_minute,
                              GError           **error)
{
  g_autofree char *field = NULL;
  guint d;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (VALID_DAY (weekday), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  d = weekday - G_DATE_MONDAY;
  field = day_field (weekday);
  if (open_minute >= 24 * 60 || close_minute > 24 * 60 || close_minute <= open_minute)
    {
      g_propagate_error (error, _park_client_error_new_invalid_field (field,
        _("A time of opening must come before its time of closing, from 00:00 to 24:00.")));
      return FALSE;
    }
  if (self->n[d] > 0 && open_minute < self->ranges[d][self->n[d] - 1].close)
    {
      g_propagate_error (error, _park_client_error_new_invalid_field (field,
        _("The opening times of a day must be in order and must not overlap.")));
      return FALSE;
    }
  if (self->n[d] == PARK_OPENING_HOURS_MAX_RANGES)
    {
      g_propagate_error (error, _park_client_error_new_invalid_field (field,
        g_dngettext (GETTEXT_PACKAGE, "A day may have at most %d opening time.",
                     "A day may have at most %d opening times.",
                     PARK_OPENING_HOURS_MAX_RANGES),
        PARK_OPENING_HOURS_MAX_RANGES));
      return FALSE;
    }
  self->ranges[d][self->n[d]].open = open_minute;
  self->ranges[d][self->n[d]].close = close_minute;
  self->n[d]++;
  return TRUE;
}

/**
 * park_opening_hours_clear_day:
 * @self: a #ParkOpeningHours
 * @weekday: the day
 *
 * Closes the lot all of @weekday.
 */
void
park_opening_hours_clear_day (ParkOpeningHours *self,
                              GDateWeekday      weekday)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (VALID_DAY (weekday));
  self->n[weekday - G_DATE_MONDAY] = 0;
}

/* "HH:MM" (or "H:MM") to minutes; 24:00 only when @closing. */
static gboolean
parse_clock (const char *text,
             gsize       len,
             gboolean    closing,
             guint      *minutes)
{
  guint h = 0, m;
  gsize i = 0;

  while (i < len && i < 2 && g_ascii_isdigit (text[i]))
    h = h * 10 + (text[i++] - '0');
  if (i == 0 || i + 3 != len || text[i] != ':' ||
      !g_ascii_isdigit (text[i + 1]) || !g_ascii_isdigit (text[i + 2]))
    return FALSE;
  m = (text[i + 1] - '0') * 10 + (text[i + 2] - '0');
  if (m > 59 || h > 24 || (h == 24 && (m != 0 || !closing)))
    return FALSE;
  *minutes = h * 60 + m;
  return TRUE;
}

/**
 * park_opening_hours_set_day_text:
 * @self: a #ParkOpeningHours
 * @weekday: the day
 * @text: the day's ranges as a person types them: `08:00-20:00`, several separated by
 *   commas (`07:00-12:00, 13:00-24:00`), or an empty text for a closed day
 * @error: return location for a #GError
 *
 * Replaces the ranges of @weekday with those of @text. Text that is not ranges of times, or
 * ranges that break the rules of park_opening_hours_add_range(), fail with
 * %PARK_CLIENT_ERROR_VALIDATION naming `operating_hours.<day>`, and @self stays as it was.
 *
 * Returns: whether the day was changed
 */
gboolean
park_opening_hours_set_day_text (ParkOpeningHours  *self,
                                 GDateWeekday       weekday,
                                 const char        *text,
                                 GError           **error)
{
  g_autoptr(ParkOpeningHours) copy = NULL;
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (VALID_DAY (weekday), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  copy = park_opening_hours_copy (self);
  park_opening_hours_clear_day (copy, weekday);
  /* An en dash, as a keyboard map or a copied timetable gives it, is a dash. */
  {
    g_autoptr(GString) plain = g_string_new (text);

    g_string_replace (plain, "\u2013", "-", 0);
    parts = g_strsplit_set (plain->str, ",;", -1);
  }
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);
      const char *dash;
      g_autofree char *open_text = NULL;
      g_autofree char *close_text = NULL;
      guint open, close;

      if (*part == '\0')
        {
          if (parts[1] == NULL)
            break;    /* an empty text: closed */
          continue;   /* a stray comma */
        }
      dash = strchr (part, '-');
      if (dash != NULL)
        {
          open_text = g_strstrip (g_strndup (part, dash - part));
          close_text = g_strstrip (g_strdup (dash + 1));
        }
      if (dash == NULL ||
          !parse_clock (open_text, strlen (open_text), FALSE, &open) ||
          !parse_clock (close_text, strlen (close_text), TRUE, &close))
        {
          g_autofree char *field = day_field (weekday);

          g_propagate_error (error, _park_client_error_new_invalid_field (field,
            /* Translators: "%s" is what the person typed */
            _("“%s” is not a range of times such as 08:00-20:00."), part));
          return FALSE;
        }
      if (!park_opening_hours_add_range (copy, weekday, open, close, error))
        return FALSE;
    }
  *self = *copy;
  return TRUE;
}

/**
 * park_opening_hours_get_n_ranges:
 * @self: a #ParkOpeningHours
 * @weekday: the day
 *
 * Returns: how many ranges @weekday has; 0 is a closed day
 */
guint
park_opening_hours_get_n_ranges (const ParkOpeningHours *self,
                                 GDateWeekday            weekday)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (VALID_DAY (weekday), 0);
  return self->n[weekday - G_DATE_MONDAY];
}

/**
 * park_opening_hours_get_range:
 * @self: a #ParkOpeningHours
 * @weekday: the day
 * @index: which range of the day, from 0
 * @open_minute: (out) (optional): when it opens, in minutes since midnight
 * @close_minute: (out) (optional): when it closes, 1440 for midnight
 *
 * Returns: whether the day has that range
 */
gboolean
park_opening_hours_get_range (const ParkOpeningHours *self,
                              GDateWeekday            weekday,
                              guint                   index,
                              guint                  *open_minute,
                              guint                  *close_minute)
{
  guint d;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (VALID_DAY (weekday), FALSE);

  d = weekday - G_DATE_MONDAY;
  if (index >= self->n[d])
    return FALSE;
  if (open_minute != NULL)
    *open_minute = self->ranges[d][index].open;
  if (close_minute != NULL)
    *close_minute = self->ranges[d][index].close;
  return TRUE;
}

/**
 * park_opening_hours_dup_day_text:
 * @self: a #ParkOpeningHours
 * @weekday: the day
 *
 * The day's ranges as park_opening_hours_set_day_text() reads them, e.g.
 * `07:00-12:00, 13:00-24:00`; an empty text for a closed day.
 *
 * Returns: (transfer full): the text
 */
char *
park_opening_hours_dup_day_text (const ParkOpeningHours *self,
                                 GDateWeekday            weekday)
{
  GString *text = g_string_new (NULL);
  guint d;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (VALID_DAY (weekday), NULL);

  d = weekday - G_DATE_MONDAY;
  for (guint i = 0; i < self->n[d]; i++)
    g_string_append_printf (text, "%s%02u:%02u-%02u:%02u", i > 0 ? ", " : "",
                            self->ranges[d][i].open / 60, self->ranges[d][i].open % 60,
                            self->ranges[d][i].close / 60, self->ranges[d][i].close % 60);
  return g_string_free (text, FALSE);
}

/* The `operating_hours` object, as a member's value of @builder. */
void
_park_opening_hours_build (const ParkOpeningHours *self,
                           JsonBuilder            *builder)
{
  json_builder_begin_object (builder);
  for (guint d = 0; d < 7; d++)
    {
      json_builder_set_member_name (builder, day_keys[d]);
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->n[d]; i++)
        {
          char open[6], close[6];

          g_snprintf (open, sizeof open, "%02u:%02u", self->ranges[d][i].open / 60,
                      self->ranges[d][i].open % 60);
          g_snprintf (close, sizeof close, "%02u:%02u", self->ranges[d][i].close / 60,
                      self->ranges[d][i].close % 60);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "open");
          json_builder_add_string_value (builder, open);
          json_builder_set_member_name (builder, "close");
          json_builder_add_string_value (builder, close);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}
