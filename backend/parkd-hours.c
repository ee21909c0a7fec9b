/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-hours.c: weekly opening hours in a lot's own time zone. Parsed schedules and time
 * zones are cached per thread: a search answers "open now" for twenty lots at a time.
 */
#include "config.h"

#include "parkd-hours.h"
#include "parkd-json.h"

#include <string.h>

#define MAX_INTERVALS 8

static const char * const day_keys[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

typedef struct
{
  guint16 n[7];
  guint16 open[7][MAX_INTERVALS];   /* minutes since local midnight */
  guint16 close[7][MAX_INTERVALS];
} Schedule;

#define N_RECENT 4

/* The last few schedules and zones looked up, by address and checked by content: a search
 * asks about twenty lots that mostly share a handful of schedules and one time zone. */
typedef struct
{
  char     *json;
  Schedule *schedule;      /* owned by the Cache's table */
} RecentSchedule;

typedef struct
{
  char   *time_zone;
  gint64  utc_minute;      /* the minute the local time below is for */
  guint   day;             /* 0 = Monday */
  guint   minute;          /* minutes since local midnight */
} RecentZone;

typedef struct
{
  GHashTable     *schedules;  /* JSON text -> Schedule */
  GHashTable     *zones;      /* IANA name -> GTimeZone */
  RecentSchedule  recent_schedules[N_RECENT];
  RecentZone      recent_zones[N_RECENT];
  guint           next_schedule, next_zone;
} Cache;

static void
cache_forget_recent (Cache *cache)
{
  for (guint i = 0; i < N_RECENT; i++)
    {
      g_clear_pointer (&cache->recent_schedules[i].json, g_free);
      cache->recent_schedules[i].schedule = NULL;
      g_clear_pointer (&cache->recent_zones[i].time_zone, g_free);
    }
}

static void
cache_free (gpointer data)
{
  Cache *cache = data;

  cache_forget_recent (cache);
  g_hash_table_unref (cache->schedules);
  g_hash_table_unref (cache->zones);
  g_free (cache);
}

static GPrivate cache_key = G_PRIVATE_INIT (cache_free);

static gboolean
parse_time (const char *text,
            guint16    *minutes)
{
  guint h, m;

  if (text == NULL || strlen (text) != 5 || text[2] != ':' ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;
  h = (text[0] - '0') * 10 + (text[1] - '0');
  m = (text[3] - '0') * 10 + (text[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0))
    return FALSE;
  *minutes = h * 60 + m;
  return TRUE;
}

static gboolean
parse_schedule (const char  *json,
                Schedule    *out,
                GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj;

  memset (out, 0, sizeof *out);
  root = parkd_json_parse_object (json, strlen (json), error);
  if (root == NULL)
    return FALSE;
  obj = json_node_get_object (root);
  if (json_object_get_size (obj) != 7)
    {
      g_set_error (error, PARKD_REQUEST_ERROR, PARKD_REQUEST_ERROR_INVALID_FIELD,
                   "Opening hours need exactly the keys mon, tue, wed, thu, fri, sat, sun");
      return FALSE;
    }
  for (guint d = 0; d < 7; d++)
    {
      JsonNode *day = json_object_get_member (obj, day_keys[d]);
      JsonArray *intervals;

      if (day == NULL || !JSON_NODE_HOLDS_ARRAY (day))
        {
          g_set_error (error, PARKD_REQUEST_ERROR, PARKD_REQUEST_ERROR_INVALID_FIELD,
                       "Opening hours: \"%s\" must be an array of intervals", day_keys[d]);
          return FALSE;
        }
      intervals = json_node_get_array (day);
      if (json_array_get_length (intervals) > MAX_INTERVALS)
        {
          g_set_error (error, PARKD_REQUEST_ERROR, PARKD_REQUEST_ERROR_INVALID_FIELD,
                       "Opening hours: at most %d intervals a day", MAX_INTERVALS);
          return FALSE;
        }
      for (guint i = 0; i < json_array_get_length (intervals); i++)
        {
          JsonNode *node = json_array_get_element (intervals, i);
          JsonObject *iv = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          guint16 open, close;

          if (iv == NULL || json_object_get_size (iv) != 2 ||
              !parse_time (json_object_get_string_member_with_default (iv, "open", NULL), &open) ||
              !parse_time (json_object_get_string_member_with_default (iv, "close", NULL), &close) ||
              open >= close || open == 24 * 60)
            {
              g_set_error (error, PARKD_REQUEST_ERROR, PARKD_REQUEST_ERROR_INVALID_FIELD,
                           "Opening hours: %s[%u] must be {\"open\": \"HH:MM\", \"close\": "
                           "\"HH:MM\"} with open before close", day_keys[d], i);
              return FALSE;
            }
          if (i > 0 && open < out->close[d][i - 1])
            {
              g_set_error (error, PARKD_REQUEST_ERROR, PARKD_REQUEST_ERROR_INVALID_FIELD,
                           "Opening hours: the intervals of %s must be in order and not overlap",
                           day_keys[d]);
              return FALSE;
            }
          out->open[d][i] = open;
          out->close[d][i] = close;
          out->n[d]++;
        }
    }
  return TRUE;
}

gboolean
parkd_hours_validate (const char  *json,
                      GError     **error)
{
  Schedule schedule;

  return parse_schedule (json, &schedule, error);
}

char *
parkd_hours_always_open (void)
{
  GString *out = g_string_new ("{");

  for (guint d = 0; d < 7; d++)
    g_string_append_printf (out, "%s\"%s\":[{\"open\":\"00:00\",\"close\":\"24:00\"}]",
                            d > 0 ? "," : "", day_keys[d]);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static Cache *
get_cache (void)
{
  Cache *cache = g_private_get (&cache_key);

  if (cache == NULL)
    {
      cache = g_new0 (Cache, 1);
      cache->schedules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      cache->zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_time_zone_unref);
      g_private_set (&cache_key, cache);
    }
  return cache;
}

static Schedule *
lookup_schedule (Cache      *cache,
                 const char *json)
{
  RecentSchedule *slot;
  Schedule *schedule;

  for (guint i = 0; i < N_RECENT; i++)
    if (cache->recent_schedules[i].json != NULL &&
        strcmp (cache->recent_schedules[i].json, json) == 0)
      return cache->recent_schedules[i].schedule;

  schedule = g_hash_table_lookup (cache->schedules, json);
  if (schedule == NULL)
    {
      schedule = g_new (Schedule, 1);
      if (!parse_schedule (json, schedule, NULL))
        {
          g_free (schedule);
          return NULL;
        }
      if (g_hash_table_size (cache->schedules) > 4096)
        {
          cache_forget_recent (cache);
          g_hash_table_remove_all (cache->schedules);
        }
      g_hash_table_insert (cache->schedules, g_strdup (json), schedule);
    }

  slot = &cache->recent_schedules[cache->next_schedule++ % N_RECENT];
  g_free (slot->json);
  slot->json = g_strdup (json);
  slot->schedule = schedule;
  return schedule;
}

/* The local weekday and minute in @time_zone at @now, remembered for the rest of the minute. */
static gboolean
local_minute (Cache      *cache,
              const char *time_zone,
              GDateTime  *now,
              guint      *day,
              guint      *minute)
{
  gint64 utc_minute = g_date_time_to_unix (now) / 60;
  g_autoptr(GDateTime) local = NULL;
  RecentZone *slot;
  GTimeZone *tz;

  for (guint i = 0; i < N_RECENT; i++)
    if (cache->recent_zones[i].time_zone != NULL &&
        cache->recent_zones[i].utc_minute == utc_minute &&
        strcmp (cache->recent_zones[i].time_zone, time_zone) == 0)
      {
        *day = cache->recent_zones[i].day;
        *minute = cache->recent_zones[i].minute;
        return TRUE;
      }

  tz = g_hash_table_lookup (cache->zones, time_zone);
  if (tz == NULL)
    {
      tz = g_time_zone_new_identifier (time_zone);
      if (tz == NULL)
        return FALSE;
      if (g_hash_table_size (cache->zones) > 1024)
        g_hash_table_remove_all (cache->zones);
      g_hash_table_insert (cache->zones, g_strdup (time_zone), tz);
    }

  local = g_date_time_to_timezone (now, tz);
  *day = g_date_time_get_day_of_week (local) - 1;
  *minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);

  slot = &cache->recent_zones[cache->next_zone++ % N_RECENT];
  g_free (slot->time_zone);
  slot->time_zone = g_strdup (time_zone);
  slot->utc_minute = utc_minute;
  slot->day = *day;
  slot->minute = *minute;
  return TRUE;
}

gboolean
parkd_hours_is_open (const char *json,
                     const char *time_zone,
                     GDateTime  *now)
{
  Cache *cache = get_cache ();
  Schedule *schedule;
  guint day, minute;

  if (json == NULL || time_zone == NULL)
    return FALSE;

  schedule = lookup_schedule (cache, json);
  if (schedule == NULL || !local_minute (cache, time_zone, now, &day, &minute))
    return FALSE;

  for (guint i = 0; i < schedule->n[day]; i++)
    if (minute >= schedule->open[day][i] && minute < schedule->close[day][i])
      return TRUE;
  return FALSE;
}
