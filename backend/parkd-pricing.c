/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-pricing.c: a lot's pricing policy, checked strictly once, and the quotes it gives.
 *
 * A quote walks the stay in UTC seconds. At each step it looks at the local wall clock (UTC
 * plus the zone's offset at that instant), finds the rule in force (event, period or the
 * standard rate) and the next wall-clock instant where that could change (a period or event
 * edge, local midnight). It converts that back with the same offset, and if the zone's offset
 * changes before then (a clock change), it stops at the change instead and looks again. So
 * every piece has one rule and one offset, its length is real time, and wall-clock times the
 * clock skips (spring) are never visited while those it repeats (autumn) are visited twice,
 * as a driver's watch would show them.
 *
 * Money never goes through floating point: multipliers and shares are parsed into millionths
 * and every amount is an integer expression rounded half up once.
 */
#include "config.h"

#include "parkd-pricing.h"
#include "parkd-json.h"

#include <math.h>
#include <string.h>

#define PPM             G_GINT64_CONSTANT (1000000)
#define MAX_MULTIPLIER  (10 * PPM)
#define MAX_RATE        1000000
#define MAX_AMOUNT      100000000
#define MAX_MINUTES     1440
#define MAX_PERIODS     32
#define MAX_EVENTS      64
#define MAX_STEPS       16
#define MAX_LABEL       100
#define MAX_STAY        (31 * 86400)
#define SECONDS_PER_DAY 86400
/* GDate's Julian day number of 1970-01-01 (day 1 is 0001-01-01). */
#define JULIAN_1970     719163

typedef enum
{
  SPOT_REGULAR,
  SPOT_EV,
  SPOT_DISABLED,
  SPOT_COMPACT,
  SPOT_MOTORCYCLE,
  N_SPOT_TYPES
} SpotType;

static const char * const spot_type_names[N_SPOT_TYPES] = {
  "regular", "ev", "disabled", "compact", "motorcycle",
};

static const char * const day_names[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

typedef struct
{
  guint   days;        /* bit 0 = Monday */
  guint   from;        /* minutes since local midnight */
  guint   to;          /* 1..1440; to < from runs past midnight */
  gint64  multiplier;  /* millionths */
  char   *label;
} Period;

typedef struct
{
  gint64  from;        /* local wall-clock seconds since 1970-01-01T00:00 */
  gint64  to;
  char   *from_text;   /* as given: the format admits one spelling per instant */
  char   *to_text;
  gint64  multiplier;
  char   *label;
} Event;

typedef struct
{
  gboolean is_min;     /* min_share, else max_share */
  gint64   share;      /* millionths */
  gint64   multiplier;
} DemandStep;

struct _ParkdPricing
{
  gint64    rates[N_SPOT_TYPES];
  guint     increment_minutes;
  GArray   *periods;           /* Period */
  gint64    daily_max;         /* 0: none */
  GArray   *events;            /* Event */
  GArray   *steps;             /* DemandStep */
  gint64    demand_cap;        /* millionths */
  gint64    demand_floor;
  guint     tax_rate;
  guint     grace_minutes;
  guint     exit_grace_minutes;
  gint64    lost_ticket_fee;
  gboolean  free_before_start;
  guint     refund_percent_after_start;
  guint     no_show_grace_minutes;
  guint     hold_minutes;
};

/* A stretch of the stay under one rule, on one local day when days matter. */
typedef struct
{
  gint64 start;   /* UTC seconds */
  gint64 end;
  gint64 day;     /* local day number (days since 1970-01-01) of start */
  int    rule;    /* RULE_STANDARD, an event index, or n_events + a period index */
} Piece;

#define RULE_STANDARD (-1)

static GMutex      zones_lock;
static GHashTable *zones;  /* IANA name -> GTimeZone */

static void
period_clear (gpointer data)
{
  Period *p = data;

  g_free (p->label);
}

static void
event_clear (gpointer data)
{
  Event *e = data;

  g_free (e->from_text);
  g_free (e->to_text);
  g_free (e->label);
}

static void
price_line_free (gpointer data)
{
  ParkdPriceLine *line = data;

  g_free (line->from);
  g_free (line->to);
  g_free (line->label);
  g_free (line);
}

static gint64
floor_div (gint64 a,
           gint64 b)
{
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static gboolean invalid (GError     **error,
                         const char  *path,
                         const char  *format,
                         ...) G_GNUC_PRINTF (3, 4);

/* Every validation message starts with the member's path, so an operator can find it. */
static gboolean
invalid (GError     **error,
         const char  *path,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PARKD_REQUEST_ERROR, PARKD_REQUEST_ERROR_INVALID_FIELD, "%s: %s",
               path, message);
  return FALSE;
}

static gboolean
get_int (JsonNode    *node,
         const char  *path,
         gint64       min,
         gint64       max,
         gint64      *out,
         GError     **error)
{
  gint64 v;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return invalid (error, path, "must be an integer from %" G_GINT64_FORMAT " to %"
                    G_GINT64_FORMAT, min, max);
  v = json_node_get_int (node);
  if (v < min || v > max)
    return invalid (error, path, "must be an integer from %" G_GINT64_FORMAT " to %"
                    G_GINT64_FORMAT, min, max);
  *out = v;
  return TRUE;
}

static gboolean
get_uint (JsonNode    *node,
          const char  *path,
          guint        min,
          guint        max,
          guint       *out,
          GError     **error)
{
  gint64 v = 0;

  if (!get_int (node, path, min, max, &v, error))
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

static gboolean
get_number (JsonNode    *node,
            const char  *path,
            double      *out,
            GError     **error)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return invalid (error, path, "must be a number");
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return invalid (error, path, "must be a number");
  return TRUE;
}

/* In millionths: more than six decimals are rounded, and must not round to nothing. */
static gboolean
get_multiplier (JsonNode    *node,
                const char  *path,
                gint64      *out,
                GError     **error)
{
  double v = 0;

  if (!get_number (node, path, &v, error))
    return FALSE;
  if (!(v > 0) || v > 10 || llround (v * PPM) < 1)
    return invalid (error, path, "must be a number above 0 and at most 10");
  *out = llround (v * PPM);
  return TRUE;
}

static gboolean
get_share (JsonNode    *node,
           const char  *path,
           gint64      *out,
           GError     **error)
{
  double v = 0;

  if (!get_number (node, path, &v, error))
    return FALSE;
  if (!(v >= 0) || v > 1)
    return invalid (error, path, "must be a number from 0 to 1");
  *out = llround (v * PPM);
  return TRUE;
}

static gboolean
get_bool (JsonNode    *node,
          const char  *path,
          gboolean    *out,
          GError     **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return invalid (error, path, "must be true or false");
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_string (JsonNode    *node,
            const char  *path,
            const char **out,
            GError     **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, path, "must be a string");
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_label (JsonNode    *node,
           const char  *path,
           char       **out,
           GError     **error)
{
  const char *text = NULL;
  glong len;

  if (!get_string (node, path, &text, error))
    return FALSE;
  len = g_utf8_strlen (text, -1);
  if (len < 1 || len > MAX_LABEL)
    return invalid (error, path, "must be 1 to %d characters", MAX_LABEL);
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20)
      return invalid (error, path, "must not contain control characters");
  g_free (*out);
  *out = g_strdup (text);
  return TRUE;
}

static JsonObject *
get_object (JsonNode    *node,
            const char  *path,
            GError     **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, path, "must be an object");
      return NULL;
    }
  return json_node_get_object (node);
}

static JsonArray *
get_array (JsonNode    *node,
           const char  *path,
           guint        max,
           GError     **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      invalid (error, path, "must be an array");
      return NULL;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) > max)
    {
      invalid (error, path, "must have at most %u entries", max);
      return NULL;
    }
  return array;
}

/* Parses one element of a list into @item, zeroed; @index names it in errors. */
typedef gboolean (*ParseItemFunc) (JsonNode *node, guint index, gpointer item, GError **error);

/* Every element of the array @path (at most @max) parsed by @parse into an item appended to
 * @into; an item that fails is cleared with @clear, and ends it. */
static gboolean
parse_list (JsonNode        *node,
            const char      *path,
            guint            max,
            GArray          *into,
            ParseItemFunc    parse,
            GDestroyNotify   clear,
            GError         **error)
{
  JsonArray *array = get_array (node, path, max, error);

  if (array == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree gpointer item = g_malloc0 (g_array_get_element_size (into));

      if (!parse (json_array_get_element (array, i), i, item, error))
        {
          clear (item);
          return FALSE;
        }
      g_array_append_vals (into, item, 1);
    }
  return TRUE;
}

static gboolean
digits (const char *p,
        guint       n,
        guint      *out)
{
  guint v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
      v = v * 10 + (p[i] - '0');
    }
  *out = v;
  return TRUE;
}

/* "HH:MM", 00:00 to 24:00 (24:00 only where @allow_24 says). */
static gboolean
parse_clock (const char *text,
             gboolean    allow_24,
             guint      *minutes)
{
  guint h, m;

  if (strlen (text) != 5 || text[2] != ':' || !digits (text, 2, &h) || !digits (text + 3, 2, &m))
    return FALSE;
  if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24)))
    return FALSE;
  *minutes = h * 60 + m;
  return TRUE;
}

/* "YYYY-MM-DDTHH:MM" in local wall-clock seconds since 1970-01-01T00:00. */
static gboolean
parse_local_datetime (const char *text,
                      gint64     *out)
{
  guint y, mo, d, minutes;
  GDate date;

  if (strlen (text) != 16 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
      !digits (text, 4, &y) || !digits (text + 5, 2, &mo) || !digits (text + 8, 2, &d) ||
      !parse_clock (text + 11, FALSE, &minutes))
    return FALSE;
  if (y < 1970 || !g_date_valid_dmy (d, mo, y))
    return FALSE;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, mo, y);
  *out = ((gint64) g_date_get_julian (&date) - JULIAN_1970) * SECONDS_PER_DAY + minutes * 60;
  return TRUE;
}

static int
spot_type_from_name (const char *name)
{
  for (int i = 0; i < N_SPOT_TYPES; i++)
    if (strcmp (name, spot_type_names[i]) == 0)
      return i;
  return -1;
}

static gboolean
parse_rates (ParkdPricing  *self,
             JsonNode      *node,
             GError       **error)
{
  JsonObject *obj = get_object (node, "rates", error);
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (obj == NULL)
    return FALSE;
  json_object_iter_init_ordered (&iter, obj);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      g_autofree char *path = g_strdup_printf ("rates.%s", name);
      int type = spot_type_from_name (name);

      if (type < 0)
        return invalid (error, path, "unknown spot type (regular, ev, disabled, compact, "
                        "motorcycle)");
      if (!get_int (member, path, 0, MAX_RATE, &self->rates[type], error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_days (JsonNode    *node,
            const char  *path,
            guint       *out,
            GError     **error)
{
  JsonArray *array = get_array (node, path, 7, error);
  guint days = 0;

  if (array == NULL)
    return FALSE;
  if (json_array_get_length (array) == 0)
    return invalid (error, path, "must name at least one day");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *day_path = g_strdup_printf ("%s[%u]", path, i);
      const char *name = NULL;
      int d = -1;

      if (!get_string (json_array_get_element (array, i), day_path, &name, error))
        return FALSE;
      for (int k = 0; k < 7; k++)
        if (strcmp (name, day_names[k]) == 0)
          d = k;
      if (d < 0)
        return invalid (error, day_path, "must be one of mon, tue, wed, thu, fri, sat, sun");
      if (days & (1u << d))
        return invalid (error, day_path, "\"%s\" appears twice", name);
      days |= 1u << d;
    }
  *out = days;
  return TRUE;
}

static gboolean
parse_period (JsonNode    *node,
              guint        index,
              Period      *period,
              GError     **error)
{
  g_autofree char *path = g_strdup_printf ("periods[%u]", index);
  JsonObject *obj = get_object (node, path, error);
  gboolean have_days = FALSE, have_from = FALSE, have_to = FALSE, have_multiplier = FALSE;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (obj == NULL)
    return FALSE;
  json_object_iter_init_ordered (&iter, obj);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      g_autofree char *member_path = g_strdup_printf ("%s.%s", path, name);
      const char *text = NULL;

      if (strcmp (name, "days") == 0)
        {
          if (!parse_days (member, member_path, &period->days, error))
            return FALSE;
          have_days = TRUE;
        }
      else if (strcmp (name, "from") == 0 || strcmp (name, "to") == 0)
        {
          gboolean is_from = name[0] == 'f';

          if (!get_string (member, member_path, &text, error))
            return FALSE;
          if (!parse_clock (text, !is_from, is_from ? &period->from : &period->to))
            return invalid (error, member_path, "must be a time \"HH:MM\" from 00:00 to %s",
                            is_from ? "23:59" : "24:00");
          *(is_from ? &have_from : &have_to) = TRUE;
        }
      else if (strcmp (name, "multiplier") == 0)
        {
          if (!get_multiplier (member, member_path, &period->multiplier, error))
            return FALSE;
          have_multiplier = TRUE;
        }
      else if (strcmp (name, "label") == 0)
        {
          if (!get_label (member, member_path, &period->label, error))
            return FALSE;
        }
      else
        return invalid (error, member_path, "unknown member");
    }

  if (!have_days)
    return invalid (error, path, "\"days\" is required");
  if (!have_from)
    return invalid (error, path, "\"from\" is required");
  if (!have_to)
    return invalid (error, path, "\"to\" is required");
  if (!have_multiplier)
    return invalid (error, path, "\"multiplier\" is required");
  /* "00:00" as an end means midnight; a period ending there runs past no midnight. */
  if (period->to == 0)
    period->to = 24 * 60;
  if (period->to == period->from)
    {
      g_autofree char *to_path = g_strdup_printf ("%s.to", path);

      return invalid (error, to_path, "must differ from \"from\" (use 00:00 to 24:00 for a "
                      "whole day)");
    }
  if (period->label == NULL)
    period->label = g_strdup_printf ("%02u:%02u-%02u:%02u", period->from / 60,
                                     period->from % 60, period->to / 60, period->to % 60);
  return TRUE;
}

static gboolean
parse_event (JsonNode    *node,
             guint        index,
             Event       *event,
             GError     **error)
{
  g_autofree char *path = g_strdup_printf ("events[%u]", index);
  JsonObject *obj = get_object (node, path, error);
  gboolean have_multiplier = FALSE;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (obj == NULL)
    return FALSE;
  json_object_iter_init_ordered (&iter, obj);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      g_autofree char *member_path = g_strdup_printf ("%s.%s", path, name);
      const char *text = NULL;

      if (strcmp (name, "from") == 0 || strcmp (name, "to") == 0)
        {
          gboolean is_from = name[0] == 'f';

          if (!get_string (member, member_path, &text, error))
            return FALSE;
          if (!parse_local_datetime (text, is_from ? &event->from : &event->to))
            return invalid (error, member_path, "must be a local date and time "
                            "\"YYYY-MM-DDTHH:MM\"");
          g_free (is_from ? event->from_text : event->to_text);
          *(is_from ? &event->from_text : &event->to_text) = g_strdup (text);
        }
      else if (strcmp (name, "multiplier") == 0)
        {
          if (!get_multiplier (member, member_path, &event->multiplier, error))
            return FALSE;
          have_multiplier = TRUE;
        }
      else if (strcmp (name, "label") == 0)
        {
          if (!get_label (member, member_path, &event->label, error))
            return FALSE;
        }
      else
        return invalid (error, member_path, "unknown member");
    }

  if (event->from_text == NULL)
    return invalid (error, path, "\"from\" is required");
  if (event->to_text == NULL)
    return invalid (error, path, "\"to\" is required");
  if (!have_multiplier)
    return invalid (error, path, "\"multiplier\" is required");
  if (event->to <= event->from)
    {
      g_autofree char *to_path = g_strdup_printf ("%s.to", path);

      return invalid (error, to_path, "must be after \"from\"");
    }
  if (event->label == NULL)
    event->label = g_strdup ("Event");
  return TRUE;
}

static gboolean
parse_step (ParkdPricing  *self,
            JsonNode      *node,
            guint          index,
            GError       **error)
{
  g_autofree char *path = g_strdup_printf ("demand.steps[%u]", index);
  JsonObject *obj = get_object (node, path, error);
  gboolean have_share = FALSE, have_multiplier = FALSE;
  DemandStep step = { 0 };
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (obj == NULL)
    return FALSE;
  json_object_iter_init_ordered (&iter, obj);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      g_autofree char *member_path = g_strdup_printf ("%s.%s", path, name);

      if (strcmp (name, "min_share") == 0 || strcmp (name, "max_share") == 0)
        {
          if (have_share)
            return invalid (error, member_path, "a step has either min_share or max_share");
          if (!get_share (member, member_path, &step.share, error))
            return FALSE;
          step.is_min = name[1] == 'i';
          have_share = TRUE;
        }
      else if (strcmp (name, "multiplier") == 0)
        {
          if (!get_multiplier (member, member_path, &step.multiplier, error))
            return FALSE;
          have_multiplier = TRUE;
        }
      else
        return invalid (error, member_path, "unknown member");
    }
  if (!have_share)
    return invalid (error, path, "\"min_share\" or \"max_share\" is required");
  if (!have_multiplier)
    return invalid (error, path, "\"multiplier\" is required");
  for (guint i = 0; i < self->steps->len; i++)
    {
      DemandStep *other = &g_array_index (self->steps, DemandStep, i);

      if (other->is_min == step.is_min && other->share == step.share)
        {
          g_autofree char *share_path = g_strdup_printf ("%s.%s", path,
                                                         step.is_min ? "min_share" : "max_share");

          return invalid (error, share_path, "the same share as demand.steps[%u]", i);
        }
    }
  g_array_append_val (self->steps, step);
  return TRUE;
}

static gboolean
parse_demand (ParkdPricing  *self,
              JsonNode      *node,
              GError       **error)
{
  JsonObject *obj = get_object (node, "demand", error);
  gboolean have_cap = FALSE, have_floor = FALSE;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (obj == NULL)
    return FALSE;
  json_object_iter_init_ordered (&iter, obj);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      g_autofree char *member_path = g_strdup_printf ("demand.%s", name);

      if (strcmp (name, "steps") == 0)
        {
          JsonArray *array = get_array (member, member_path, MAX_STEPS, error);

          if (array == NULL)
            return FALSE;
          for (guint i = 0; i < json_array_get_length (array); i++)
            if (!parse_step (self, json_array_get_element (array, i), i, error))
              return FALSE;
        }
      else if (strcmp (name, "cap") == 0)
        {
          if (!get_multiplier (member, member_path, &self->demand_cap, error))
            return FALSE;
          have_cap = TRUE;
        }
      else if (strcmp (name, "floor") == 0)
        {
          if (!get_multiplier (member, member_path, &self->demand_floor, error))
            return FALSE;
          have_floor = TRUE;
        }
      else
        return invalid (error, member_path, "unknown member");
    }

  /* Left out, cap and floor are the widest that 1.0, the steps and the other bound reach,
   * so they clamp nothing of their own. */
  for (guint i = 0; i < self->steps->len; i++)
    {
      gint64 m = g_array_index (self->steps, DemandStep, i).multiplier;

      if (!have_cap)
        self->demand_cap = MAX (self->demand_cap, m);
      if (!have_floor)
        self->demand_floor = MIN (self->demand_floor, m);
    }
  if (!have_cap)
    self->demand_cap = MAX (self->demand_cap, self->demand_floor);
  if (!have_floor)
    self->demand_floor = MIN (self->demand_floor, self->demand_cap);
  if (self->demand_floor > self->demand_cap)
    return invalid (error, "demand.floor", "must not be above demand.cap");
  return TRUE;
}

static gboolean
parse_cancellation (ParkdPricing  *self,
                    JsonNode      *node,
                    GError       **error)
{
  JsonObject *obj = get_object (node, "cancellation", error);
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (obj == NULL)
    return FALSE;
  json_object_iter_init_ordered (&iter, obj);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      g_autofree char *member_path = g_strdup_printf ("cancellation.%s", name);

      if (strcmp (name, "free_before_start") == 0)
        {
          if (!get_bool (member, member_path, &self->free_before_start, error))
            return FALSE;
        }
      else if (strcmp (name, "refund_percent_after_start") == 0)
        {
          if (!get_uint (member, member_path, 0, 100, &self->refund_percent_after_start, error))
            return FALSE;
        }
      else
        return invalid (error, member_path, "unknown member");
    }
  return TRUE;
}

static gboolean
parse_policy (ParkdPricing  *self,
              JsonObject    *root,
              gint64         hourly_rate,
              GError       **error)
{
  gboolean have_lost_ticket_fee = FALSE;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, root);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      gboolean ok;

      if (strcmp (name, "rates") == 0)
        ok = parse_rates (self, node, error);
      else if (strcmp (name, "increment_minutes") == 0)
        ok = get_uint (node, name, 1, 60, &self->increment_minutes, error);
      else if (strcmp (name, "periods") == 0)
        ok = parse_list (node, name, MAX_PERIODS, self->periods, (ParseItemFunc) parse_period,
                         period_clear, error);
      else if (strcmp (name, "daily_max") == 0)
        ok = JSON_NODE_HOLDS_NULL (node) ||
             get_int (node, name, 1, MAX_AMOUNT, &self->daily_max, error);
      else if (strcmp (name, "events") == 0)
        ok = parse_list (node, name, MAX_EVENTS, self->events, (ParseItemFunc) parse_event,
                         event_clear, error);
      else if (strcmp (name, "demand") == 0)
        ok = parse_demand (self, node, error);
      else if (strcmp (name, "tax_rate") == 0)
        ok = get_uint (node, name, 0, 10000, &self->tax_rate, error);
      else if (strcmp (name, "grace_minutes") == 0)
        ok = get_uint (node, name, 0, MAX_MINUTES, &self->grace_minutes, error);
      else if (strcmp (name, "exit_grace_minutes") == 0)
        ok = get_uint (node, name, 0, MAX_MINUTES, &self->exit_grace_minutes, error);
      else if (strcmp (name, "lost_ticket_fee") == 0)
        ok = have_lost_ticket_fee = get_int (node, name, 0, MAX_AMOUNT, &self->lost_ticket_fee,
                                             error);
      else if (strcmp (name, "cancellation") == 0)
        ok = parse_cancellation (self, node, error);
      else if (strcmp (name, "no_show_grace_minutes") == 0)
        ok = get_uint (node, name, 0, MAX_MINUTES, &self->no_show_grace_minutes, error);
      else if (strcmp (name, "hold_minutes") == 0)
        ok = get_uint (node, name, 1, MAX_MINUTES, &self->hold_minutes, error);
      else
        ok = invalid (error, name, "unknown member");
      if (!ok)
        return FALSE;
    }

  for (int i = 0; i < N_SPOT_TYPES; i++)
    if (self->rates[i] < 0)
      self->rates[i] = hourly_rate;
  if (!have_lost_ticket_fee)
    {
      self->lost_ticket_fee = 24 * self->rates[SPOT_REGULAR];
      if (self->daily_max > 0)
        self->lost_ticket_fee = MIN (self->lost_ticket_fee, self->daily_max);
    }
  return TRUE;
}

/* Zones are looked up once per process: GLib reads the zone file each time otherwise. Only
 * names shaped like IANA ones are tried, so no path or POSIX rule reaches GLib. */
static GTimeZone *
lookup_time_zone (const char *name)
{
  g_autoptr(GMutexLocker) locker = NULL;
  GTimeZone *tz;
  gsize len = strlen (name);

  if (len == 0 || len > 64 || name[0] == '/' || strstr (name, "..") != NULL)
    return NULL;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '/' && *p != '_' && *p != '-' && *p != '+')
      return NULL;

  locker = g_mutex_locker_new (&zones_lock);
  if (zones == NULL)
    zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) g_time_zone_unref);
  tz = g_hash_table_lookup (zones, name);
  if (tz == NULL)
    {
      tz = g_time_zone_new_identifier (name);
      if (tz == NULL)
        return NULL;
      if (g_hash_table_size (zones) >= 1024)
        g_hash_table_remove_all (zones);
      g_hash_table_insert (zones, g_strdup (name), tz);
    }
  return g_time_zone_ref (tz);
}

static int
find_rule (ParkdPricing *self,
           gint64        wall,
           gint64        day)
{
  gint64 seconds = wall - day * SECONDS_PER_DAY;
  guint dow = (guint) ((day % 7 + 7 + 3) % 7);  /* 1970-01-01 was a Thursday */
  guint prev = (dow + 6) % 7;

  for (guint i = 0; i < self->events->len; i++)
    {
      Event *e = &g_array_index (self->events, Event, i);

      if (wall >= e->from && wall < e->to)
        return i;
    }
  for (guint i = 0; i < self->periods->len; i++)
    {
      Period *p = &g_array_index (self->periods, Period, i);
      gint64 from = p->from * 60, to = p->to * 60;
      gboolean today = (p->days & (1u << dow)) != 0;
      gboolean yesterday = (p->days & (1u << prev)) != 0;

      if (p->from < p->to ? today && seconds >= from && seconds < to
                          : (today && seconds >= from) || (yesterday && seconds < to))
        return self->events->len + i;
    }
  return RULE_STANDARD;
}

/* The first wall-clock instant after @wall where the rule might change. */
static gint64
next_edge (ParkdPricing *self,
           gint64        wall,
           gint64        day)
{
  gint64 midnight = day * SECONDS_PER_DAY;
  gint64 next = midnight + SECONDS_PER_DAY;

  for (guint i = 0; i < self->periods->len; i++)
    {
      Period *p = &g_array_index (self->periods, Period, i);
      gint64 edges[2] = { midnight + p->from * 60, midnight + p->to * 60 };

      for (guint k = 0; k < 2; k++)
        if (edges[k] > wall && edges[k] < next)
          next = edges[k];
    }
  for (guint i = 0; i < self->events->len; i++)
    {
      Event *e = &g_array_index (self->events, Event, i);

      if (e->from > wall && e->from < next)
        next = e->from;
      if (e->to > wall && e->to < next)
        next = e->to;
    }
  return next;
}

static gint64
rule_multiplier (ParkdPricing *self,
                 int           rule)
{
  if (rule == RULE_STANDARD)
    return PPM;
  if ((guint) rule < self->events->len)
    return g_array_index (self->events, Event, rule).multiplier;
  return g_array_index (self->periods, Period, rule - self->events->len).multiplier;
}

static const char *
rule_label (ParkdPricing *self,
            int           rule)
{
  if (rule == RULE_STANDARD)
    return "Standard rate";
  if ((guint) rule < self->events->len)
    return g_array_index (self->events, Event, rule).label;
  return g_array_index (self->periods, Period, rule - self->events->len).label;
}

/* Largest min_share at or below the share; else smallest max_share at or above it; else 1. */
static gint64
demand_multiplier (ParkdPricing *self,
                   gint64        share)
{
  const DemandStep *best_min = NULL, *best_max = NULL;
  gint64 m = PPM;

  for (guint i = 0; i < self->steps->len; i++)
    {
      const DemandStep *s = &g_array_index (self->steps, DemandStep, i);

      if (s->is_min && s->share <= share && (best_min == NULL || s->share > best_min->share))
        best_min = s;
      if (!s->is_min && s->share >= share && (best_max == NULL || s->share < best_max->share))
        best_max = s;
    }
  if (best_min != NULL)
    m = best_min->multiplier;
  else if (best_max != NULL)
    m = best_max->multiplier;
  return CLAMP (m, self->demand_floor, self->demand_cap);
}

static GArray *
split_stay (ParkdPricing *self,
            GTimeZone    *tz,
            gint64        start,
            gint64        end)
{
  GArray *pieces = g_array_new (FALSE, FALSE, sizeof (Piece));
  gint64 t = start;

  while (t < end)
    {
      int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, t);
      gint64 wall = t + g_time_zone_get_offset (tz, interval);
      gint64 day = floor_div (wall, SECONDS_PER_DAY);
      gint64 next = MIN (end, t + (next_edge (self, wall, day) - wall));
      int rule = find_rule (self, wall, day);
      Piece *last = pieces->len > 0 ? &g_array_index (pieces, Piece, pieces->len - 1) : NULL;

      /* A clock change before the edge: stop there; the wall clock jumps. */
      if (g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, next - 1) != interval)
        {
          gint64 lo = t, hi = next - 1;

          while (hi - lo > 1)
            {
              gint64 mid = lo + (hi - lo) / 2;

              if (g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, mid) == interval)
                lo = mid;
              else
                hi = mid;
            }
          next = hi;
        }

      if (last != NULL && last->rule == rule && (self->daily_max == 0 || last->day == day))
        last->end = next;
      else
        {
          Piece piece = { t, next, day, rule };

          g_array_append_val (pieces, piece);
        }
      t = next;
    }
  return pieces;
}

static char *
format_local (GTimeZone *tz,
              gint64     t)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

static gint64
round_div (guint64 num,
           guint64 den)
{
  return (gint64) ((num + den / 2) / den);
}

/* Sets each piece's billed increments in @increments: every line rounded up, then the
 * surplus over the whole stay rounded up forgiven on partly used increments, dearest first. */
static void
bill_increments (GArray       *pieces,
                 const gint64 *multipliers,
                 gint64        increment,
                 guint        *increments)
{
  g_autofree gboolean *forgiven = g_new0 (gboolean, pieces->len);
  gint64 total = 0, billed = 0;

  for (guint i = 0; i < pieces->len; i++)
    {
      Piece *p = &g_array_index (pieces, Piece, i);
      gint64 seconds = p->end - p->start;

      increments[i] = (guint) ((seconds + increment - 1) / increment);
      billed += increments[i];
      total += seconds;
    }

  for (gint64 surplus = billed - (total + increment - 1) / increment; surplus > 0; surplus--)
    {
      int best = -1;
      gint64 best_used = 0;

      for (guint i = 0; i < pieces->len; i++)
        {
          Piece *p = &g_array_index (pieces, Piece, i);
          gint64 used = (p->end - p->start) % increment;

          if (forgiven[i] || used == 0)
            continue;
          if (best < 0 || multipliers[i] > multipliers[best] ||
              (multipliers[i] == multipliers[best] && used < best_used))
            {
              best = i;
              best_used = used;
            }
        }
      g_assert (best >= 0);
      forgiven[best] = TRUE;
      increments[best]--;
    }
}

static void
quote_update_total (ParkdQuote *quote)
{
  guint64 den = 10000 + quote->tax_rate;

  quote->total = MAX (0, quote->subtotal - quote->cap_discount - quote->discount);
  quote->tax = round_div ((guint64) quote->total * quote->tax_rate, den);
}

ParkdPricing *
parkd_pricing_new (const char  *policy_json,
                   gint64       hourly_rate,
                   GError     **error)
{
  g_autoptr(ParkdPricing) self = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (hourly_rate < 0 || hourly_rate > MAX_RATE)
    {
      invalid (error, "hourly_rate", "must be an integer from 0 to %d", MAX_RATE);
      return NULL;
    }

  self = g_new0 (ParkdPricing, 1);
  for (int i = 0; i < N_SPOT_TYPES; i++)
    self->rates[i] = -1;
  self->increment_minutes = 15;
  self->periods = g_array_new (FALSE, TRUE, sizeof (Period));
  g_array_set_clear_func (self->periods, period_clear);
  self->events = g_array_new (FALSE, TRUE, sizeof (Event));
  g_array_set_clear_func (self->events, event_clear);
  self->steps = g_array_new (FALSE, TRUE, sizeof (DemandStep));
  self->demand_cap = PPM;
  self->demand_floor = PPM;
  self->grace_minutes = 10;
  self->exit_grace_minutes = 15;
  self->free_before_start = TRUE;
  self->no_show_grace_minutes = 30;
  self->hold_minutes = 10;

  if (policy_json == NULL || policy_json[0] == '\0')
    policy_json = "{}";
  root = parkd_json_parse_object (policy_json, strlen (policy_json), error);
  if (root == NULL)
    return NULL;
  if (!parse_policy (self, json_node_get_object (root), hourly_rate, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
parkd_pricing_free (ParkdPricing *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->periods);
  g_array_unref (self->events);
  g_array_unref (self->steps);
  g_free (self);
}

static void
append_multiplier (GString *out,
                   gint64   ppm)
{
  parkd_json_append_double (out, (double) ppm / PPM, 6);
}

char *
parkd_pricing_to_json (ParkdPricing *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new ("{");
  parkd_json_append_member (out, "rates");
  g_string_append_c (out, '{');
  for (int i = 0; i < N_SPOT_TYPES; i++)
    {
      parkd_json_append_member (out, spot_type_names[i]);
      parkd_json_append_int (out, self->rates[i]);
    }
  g_string_append_c (out, '}');
  parkd_json_append_member (out, "increment_minutes");
  parkd_json_append_uint (out, self->increment_minutes);

  parkd_json_append_member (out, "periods");
  g_string_append_c (out, '[');
  for (guint i = 0; i < self->periods->len; i++)
    {
      Period *p = &g_array_index (self->periods, Period, i);
      char clock[8];

      g_string_append (out, i > 0 ? ",{" : "{");
      parkd_json_append_member (out, "days");
      g_string_append_c (out, '[');
      for (guint d = 0, n = 0; d < 7; d++)
        if (p->days & (1u << d))
          {
            if (n++ > 0)
              g_string_append_c (out, ',');
            parkd_json_append_string (out, day_names[d]);
          }
      g_string_append_c (out, ']');
      parkd_json_append_member (out, "from");
      g_snprintf (clock, sizeof clock, "%02u:%02u", p->from / 60, p->from % 60);
      parkd_json_append_string (out, clock);
      parkd_json_append_member (out, "to");
      g_snprintf (clock, sizeof clock, "%02u:%02u", p->to / 60, p->to % 60);
      parkd_json_append_string (out, clock);
      parkd_json_append_member (out, "multiplier");
      append_multiplier (out, p->multiplier);
      parkd_json_append_member (out, "label");
      parkd_json_append_string (out, p->label);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');

  parkd_json_append_member (out, "daily_max");
  if (self->daily_max > 0)
    parkd_json_append_int (out, self->daily_max);
  else
    g_string_append (out, "null");

  parkd_json_append_member (out, "events");
  g_string_append_c (out, '[');
  for (guint i = 0; i < self->events->len; i++)
    {
      Event *e = &g_array_index (self->events, Event, i);

      g_string_append (out, i > 0 ? ",{" : "{");
      parkd_json_append_member (out, "from");
      parkd_json_append_string (out, e->from_text);
      parkd_json_append_member (out, "to");
      parkd_json_append_string (out, e->to_text);
      parkd_json_append_member (out, "multiplier");
      append_multiplier (out, e->multiplier);
      parkd_json_append_member (out, "label");
      parkd_json_append_string (out, e->label);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');

  parkd_json_append_member (out, "demand");
  g_string_append_c (out, '{');
  parkd_json_append_member (out, "steps");
  g_string_append_c (out, '[');
  for (guint i = 0; i < self->steps->len; i++)
    {
      DemandStep *s = &g_array_index (self->steps, DemandStep, i);

      g_string_append (out, i > 0 ? ",{" : "{");
      parkd_json_append_member (out, s->is_min ? "min_share" : "max_share");
      parkd_json_append_double (out, (double) s->share / PPM, 6);
      parkd_json_append_member (out, "multiplier");
      append_multiplier (out, s->multiplier);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
  parkd_json_append_member (out, "cap");
  append_multiplier (out, self->demand_cap);
  parkd_json_append_member (out, "floor");
  append_multiplier (out, self->demand_floor);
  g_string_append_c (out, '}');

  parkd_json_append_member (out, "tax_rate");
  parkd_json_append_uint (out, self->tax_rate);
  parkd_json_append_member (out, "grace_minutes");
  parkd_json_append_uint (out, self->grace_minutes);
  parkd_json_append_member (out, "exit_grace_minutes");
  parkd_json_append_uint (out, self->exit_grace_minutes);
  parkd_json_append_member (out, "lost_ticket_fee");
  parkd_json_append_int (out, self->lost_ticket_fee);
  parkd_json_append_member (out, "cancellation");
  g_string_append_c (out, '{');
  parkd_json_append_member (out, "free_before_start");
  g_string_append (out, self->free_before_start ? "true" : "false");
  parkd_json_append_member (out, "refund_percent_after_start");
  parkd_json_append_uint (out, self->refund_percent_after_start);
  g_string_append_c (out, '}');
  parkd_json_append_member (out, "no_show_grace_minutes");
  parkd_json_append_uint (out, self->no_show_grace_minutes);
  parkd_json_append_member (out, "hold_minutes");
  parkd_json_append_uint (out, self->hold_minutes);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

gint64
parkd_pricing_get_rate (ParkdPricing *self,
                        const char   *spot_type)
{
  int type;

  g_return_val_if_fail (self != NULL, -1);

  type = spot_type_from_name (spot_type != NULL ? spot_type : "regular");
  return type < 0 ? -1 : self->rates[type];
}

guint
parkd_pricing_get_increment_minutes (ParkdPricing *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->increment_minutes;
}

gint64
parkd_pricing_get_daily_max (ParkdPricing *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->daily_max;
}

guint
parkd_pricing_get_tax_rate (ParkdPricing *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->tax_rate;
}

guint
parkd_pricing_get_grace_minutes (ParkdPricing *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->grace_minutes;
}

guint
parkd_pricing_get_exit_grace_minutes (ParkdPricing *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->exit_grace_minutes;
}

gint64
parkd_pricing_get_lost_ticket_fee (ParkdPricing *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->lost_ticket_fee;
}

gboolean
parkd_pricing_get_free_before_start (ParkdPricing *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->free_before_start;
}

guint
parkd_pricing_get_refund_percent_after_start (ParkdPricing *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->refund_percent_after_start;
}

guint
parkd_pricing_get_no_show_grace_minutes (ParkdPricing *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->no_show_grace_minutes;
}

guint
parkd_pricing_get_hold_minutes (ParkdPricing *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->hold_minutes;
}

gboolean
parkd_pricing_is_within_grace (ParkdPricing *self,
                               GDateTime    *start_utc,
                               GDateTime    *end_utc)
{
  GTimeSpan span;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (start_utc != NULL && end_utc != NULL, FALSE);

  span = g_date_time_difference (end_utc, start_utc);
  return span >= 0 && span <= (GTimeSpan) self->grace_minutes * G_TIME_SPAN_MINUTE;
}

gint64
parkd_pricing_cancellation_refund (ParkdPricing *self,
                                   gint64        paid,
                                   GDateTime    *start_utc,
                                   GDateTime    *cancelled_utc)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (paid >= 0, 0);
  g_return_val_if_fail (start_utc != NULL && cancelled_utc != NULL, 0);

  if (self->free_before_start && g_date_time_compare (cancelled_utc, start_utc) < 0)
    return paid;
  return round_div ((guint64) paid * self->refund_percent_after_start, 100);
}

ParkdQuote *
parkd_pricing_quote (ParkdPricing  *self,
                     const char    *time_zone,
                     const char    *currency,
                     const char    *spot_type,
                     GDateTime     *start_utc,
                     GDateTime     *end_utc,
                     double         booked_share,
                     GError       **error)
{
  g_autoptr(ParkdQuote) quote = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GArray) pieces = NULL;
  g_autofree gint64 *multipliers = NULL;
  g_autofree guint *increments = NULL;
  gint64 start, end, rate, demand, increment, day_sum = 0;
  int type;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (time_zone != NULL, NULL);
  g_return_val_if_fail (currency != NULL, NULL);
  g_return_val_if_fail (start_utc != NULL && end_utc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  type = spot_type_from_name (spot_type != NULL ? spot_type : "regular");
  if (type < 0)
    {
      invalid (error, "spot_type", "unknown spot type \"%s\"", spot_type);
      return NULL;
    }
  start = g_date_time_to_unix (start_utc);
  end = g_date_time_to_unix (end_utc);
  if (end <= start)
    {
      invalid (error, "end", "must be after the start");
      return NULL;
    }
  if (end - start > MAX_STAY)
    {
      invalid (error, "end", "a stay is at most 31 days");
      return NULL;
    }
  if (!(booked_share >= 0 && booked_share <= 1))
    {
      invalid (error, "booked_share", "must be from 0 to 1");
      return NULL;
    }
  tz = lookup_time_zone (time_zone);
  if (tz == NULL)
    {
      invalid (error, "time_zone", "unknown time zone \"%s\"", time_zone);
      return NULL;
    }

  rate = self->rates[type];
  demand = demand_multiplier (self, llround (booked_share * PPM));
  increment = self->increment_minutes * 60;
  pieces = split_stay (self, tz, start, end);

  quote = g_new0 (ParkdQuote, 1);
  quote->lines = g_ptr_array_new_with_free_func (price_line_free);
  quote->demand_multiplier = (double) demand / PPM;
  quote->tax_rate = self->tax_rate;
  quote->currency = g_strdup (currency);

  multipliers = g_new (gint64, pieces->len);
  for (guint i = 0; i < pieces->len; i++)
    {
      Piece *p = &g_array_index (pieces, Piece, i);

      multipliers[i] = (rule_multiplier (self, p->rule) * demand + PPM / 2) / PPM;
    }
  increments = g_new (guint, pieces->len);
  bill_increments (pieces, multipliers, increment, increments);

  for (guint i = 0; i < pieces->len; i++)
    {
      Piece *p = &g_array_index (pieces, Piece, i);
      ParkdPriceLine *line = g_new0 (ParkdPriceLine, 1);
      gint64 multiplier = multipliers[i];

      line->from = format_local (tz, p->start);
      line->to = format_local (tz, p->end);
      line->minutes = (guint) ((p->end - p->start + 59) / 60);
      line->billed_minutes = increments[i] * self->increment_minutes;
      line->rate = rate;
      line->multiplier = (double) multiplier / PPM;
      /* At most 44,700 minutes × 1,000,000 × 100,000,000: inside 64 bits. */
      line->amount = round_div ((guint64) line->billed_minutes * rate * multiplier, 60 * PPM);
      line->label = g_strdup (rule_label (self, p->rule));
      g_ptr_array_add (quote->lines, line);
      quote->subtotal += line->amount;

      /* Lines of one local day are adjacent: cap each day when its last line is in. */
      day_sum += line->amount;
      if (i + 1 == pieces->len || g_array_index (pieces, Piece, i + 1).day != p->day)
        {
          if (self->daily_max > 0 && day_sum > self->daily_max)
            quote->cap_discount += day_sum - self->daily_max;
          day_sum = 0;
        }
    }

  quote_update_total (quote);
  return g_steal_pointer (&quote);
}

void
parkd_quote_free (ParkdQuote *quote)
{
  if (quote == NULL)
    return;
  g_clear_pointer (&quote->lines, g_ptr_array_unref);
  g_free (quote->currency);
  g_free (quote);
}

void
parkd_quote_set_discount (ParkdQuote *quote,
                          gint64      discount)
{
  g_return_if_fail (quote != NULL);
  g_return_if_fail (discount >= 0);

  quote->discount = discount;
  quote_update_total (quote);
}

void
parkd_quote_append_json (GString          *out,
                         const ParkdQuote *quote)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (quote != NULL);

  g_string_append_c (out, '{');
  parkd_json_append_member (out, "lines");
  g_string_append_c (out, '[');
  for (guint i = 0; i < quote->lines->len; i++)
    {
      const ParkdPriceLine *line = g_ptr_array_index (quote->lines, i);

      g_string_append (out, i > 0 ? ",{" : "{");
      parkd_json_append_member (out, "from");
      parkd_json_append_string (out, line->from);
      parkd_json_append_member (out, "to");
      parkd_json_append_string (out, line->to);
      parkd_json_append_member (out, "minutes");
      parkd_json_append_uint (out, line->minutes);
      parkd_json_append_member (out, "billed_minutes");
      parkd_json_append_uint (out, line->billed_minutes);
      parkd_json_append_member (out, "rate");
      parkd_json_append_int (out, line->rate);
      parkd_json_append_member (out, "multiplier");
      parkd_json_append_double (out, line->multiplier, 6);
      parkd_json_append_member (out, "amount");
      parkd_json_append_int (out, line->amount);
      parkd_json_append_member (out, "label");
      parkd_json_append_string (out, line->label);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
  parkd_json_append_member (out, "subtotal");
  parkd_json_append_int (out, quote->subtotal);
  parkd_json_append_member (out, "cap_discount");
  parkd_json_append_int (out, quote->cap_discount);
  parkd_json_append_member (out, "demand_multiplier");
  parkd_json_append_double (out, quote->demand_multiplier, 6);
  parkd_json_append_member (out, "discount");
  parkd_json_append_int (out, quote->discount);
  parkd_json_append_member (out, "total");
  parkd_json_append_int (out, quote->total);
  parkd_json_append_member (out, "tax");
  parkd_json_append_int (out, quote->tax);
  parkd_json_append_member (out, "tax_rate");
  parkd_json_append_uint (out, quote->tax_rate);
  parkd_json_append_member (out, "currency");
  parkd_json_append_string (out, quote->currency);
  g_string_append_c (out, '}');
}

gboolean
parkd_pricing_uses_demand (ParkdPricing *self)
{
  return self->steps->len > 0;
}

/* ISO 4217 currencies whose minor unit is not the hundredth (list 1, 2024). */
static const struct
{
  char  code[4];
  guint exponent;
} currency_exponents[] = {
  { "BHD", 3 }, { "BIF", 0 }, { "CLF", 4 }, { "CLP", 0 }, { "DJF", 0 }, { "GNF", 0 },
  { "IQD", 3 }, { "ISK", 0 }, { "JOD", 3 }, { "JPY", 0 }, { "KMF", 0 }, { "KRW", 0 },
  { "KWD", 3 }, { "LYD", 3 }, { "OMR", 3 }, { "PYG", 0 }, { "RWF", 0 }, { "TND", 3 },
  { "UGX", 0 }, { "UYI", 0 }, { "UYW", 4 }, { "VND", 0 }, { "VUV", 0 }, { "XAF", 0 },
  { "XOF", 0 }, { "XPF", 0 },
};

guint
parkd_currency_get_exponent (const char *currency)
{
  for (guint i = 0; currency != NULL && i < G_N_ELEMENTS (currency_exponents); i++)
    if (g_ascii_strcasecmp (currency, currency_exponents[i].code) == 0)
      return currency_exponents[i].exponent;
  return 2;
}

void
parkd_money_append (GString    *out,
                    gint64      amount,
                    const char *currency)
{
  guint exponent = parkd_currency_get_exponent (currency);
  guint64 magnitude = amount < 0 ? -(guint64) amount : (guint64) amount;
  guint64 unit = 1;

  for (guint i = 0; i < exponent; i++)
    unit *= 10;
  g_string_append_printf (out, "%s %s%" G_GUINT64_FORMAT, currency, amount < 0 ? "-" : "",
                          magnitude / unit);
  if (exponent > 0)
    g_string_append_printf (out, ".%0*" G_GUINT64_FORMAT, (int) exponent, magnitude % unit);
}
