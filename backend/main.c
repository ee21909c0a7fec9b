/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * main.c: parkd's command line: the server, and the commands that fill its database.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gprintf.h>
#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "parkd-auth.h"
#include "parkd-config.h"
#include "parkd-demo-traffic.h"
#include "parkd-hours.h"
#include "parkd-import.h"
#include "parkd-json.h"
#include "parkd-keys.h"
#include "parkd-password.h"
#include "parkd-redis.h"
#include "parkd-reply.h"
#include "parkd-server.h"

/* Log records as JSON lines on stderr, one write each, so they interleave safely with the
 * access log and a collector can read them. */
static GLogWriterOutput
json_log_writer (GLogLevelFlags   level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  g_autoptr(GString) line = g_string_sized_new (256);
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *ts = NULL;
  const char *name;

  if (g_log_writer_default_would_drop (level, NULL))
    {
      const char *domain = NULL;

      for (gsize i = 0; i < n_fields; i++)
        if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
          domain = fields[i].value;
      if (g_log_writer_default_would_drop (level, domain))
        return G_LOG_WRITER_HANDLED;
    }

  switch (level & G_LOG_LEVEL_MASK)
    {
    case G_LOG_LEVEL_ERROR:    name = "error"; break;
    case G_LOG_LEVEL_CRITICAL: name = "critical"; break;
    case G_LOG_LEVEL_WARNING:  name = "warning"; break;
    case G_LOG_LEVEL_MESSAGE:  name = "message"; break;
    case G_LOG_LEVEL_INFO:     name = "info"; break;
    default:                   name = "debug"; break;
    }

  now = g_date_time_new_now_utc ();
  ts = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
  g_string_append_c (line, '{');
  parkd_json_append_member (line, "ts");
  parkd_json_append_string (line, ts);
  parkd_json_append_member (line, "level");
  parkd_json_append_string (line, name);
  for (gsize i = 0; i < n_fields; i++)
    {
      const char *key = fields[i].key;

      if (fields[i].length != -1 || fields[i].value == NULL)
        continue;
      if (g_str_equal (key, "MESSAGE"))
        key = "message";
      else if (g_str_equal (key, "GLIB_DOMAIN"))
        key = "domain";
      else
        continue;
      parkd_json_append_member (line, key);
      parkd_json_append_string (line, g_utf8_validate (fields[i].value, -1, NULL)
                                      ? fields[i].value : "(not UTF-8)");
    }
  g_string_append (line, "}\n");
  if (write (STDERR_FILENO, line->str, line->len) < 0)
    return G_LOG_WRITER_UNHANDLED;
  return G_LOG_WRITER_HANDLED;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static int
usage_error (const char *format,
             ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_fprintf (stderr, "parkd: %s\nTry \"parkd --help\".\n", msg);
  return 2;
}

/* Bookings not paid in time and no-shows give their spots back; spots follow the bookings
 * that hold them now. */
static gboolean
release_due_cb (gpointer data)
{
  ParkdServer *server = data;
  ParkdStore *store = parkd_server_get_store (server);
  g_autoptr(GError) error = NULL;
  guint moved;

  moved = parkd_store_release_due (store,
                                   (gint64) parkd_server_get_config (server)->no_show_grace * 60,
                                   &error);
  if (error != NULL)
    g_warning ("releasing due bookings: %s", error->message);
  else if (moved > 0)
    g_message ("released %u bookings (expired holds, no-shows)", moved);

  /* Drivers hear a quarter of an hour ahead that their time is running out (live feed). */
  g_clear_error (&error);
  parkd_store_notice_ending (store, 15 * 60, &error);
  if (error != NULL)
    g_warning ("telling drivers their bookings end soon: %s", error->message);
  return G_SOURCE_CONTINUE;
}

/* What other replicas revoked reaches this one through Redis at once; this reload catches
 * what Redis did not tell (it was away, or there is no Redis and replicas share a database
 * file). */
typedef struct
{
  ParkdAuth  *auth;
  ParkdStore *store;
} RevocationReload;

static gboolean
reload_revocations_cb (gpointer data)
{
  RevocationReload *reload = data;
  g_autoptr(GError) error = NULL;

  if (!parkd_auth_load_revocations (reload->auth, reload->store, &error))
    g_warning ("reloading revocations: %s", error->message);
  return G_SOURCE_CONTINUE;
}

/* Card refunds Stripe did not take at once are asked for again, off the main loop, until
 * Stripe takes them (they are written down first: see sql/008-card-refunds.sql). */
typedef struct
{
  ParkdStore  *store;
  ParkdStripe *stripe;
  gint64       interval_us;
  GMutex       lock;
  GCond        cond;
  gboolean     stop;
  GThread     *thread;
} RefundWorker;

static gpointer
refund_worker_run (gpointer data)
{
  RefundWorker *w = data;

  g_mutex_lock (&w->lock);
  while (!w->stop)
    {
      gint64 until = g_get_monotonic_time () + w->interval_us;

      g_mutex_unlock (&w->lock);
      parkd_payments_settle_refunds (w->store, w->stripe);
      g_mutex_lock (&w->lock);
      while (!w->stop && g_cond_wait_until (&w->cond, &w->lock, until))
        ;
    }
  g_mutex_unlock (&w->lock);
  return NULL;
}

static RefundWorker *
refund_worker_start (ParkdStore  *store,
                     ParkdStripe *stripe,
                     int          interval_s)
{
  RefundWorker *w = g_new0 (RefundWorker, 1);

  w->store = store;
  w->stripe = stripe;
  w->interval_us = (gint64) interval_s * G_USEC_PER_SEC;
  g_mutex_init (&w->lock);
  g_cond_init (&w->cond);
  w->thread = g_thread_new ("parkd-refunds", refund_worker_run, w);
  return w;
}

static void
refund_worker_stop (RefundWorker *w)
{
  g_mutex_lock (&w->lock);
  w->stop = TRUE;
  g_cond_signal (&w->cond);
  g_mutex_unlock (&w->lock);
  g_thread_join (w->thread);
  g_mutex_clear (&w->lock);
  g_cond_clear (&w->cond);
  g_free (w);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RefundWorker, refund_worker_stop)

static int
run_server (ParkdConfig *config)
{
  g_autoptr(ParkdStore) store = NULL;
  g_autoptr(ParkdRedis) redis = NULL;         /* goes after the feed and the server */
  g_autoptr(ParkdLive) live = NULL;
  g_autoptr(ParkdServer) server = NULL;
  g_autoptr(ParkdKeys) keys = NULL;
  g_autoptr(ParkdAuth) auth = NULL;
  g_autoptr(ParkdStripe) stripe = NULL;
  g_autoptr(RefundWorker) refunds = NULL;     /* stops before the store and Stripe go */
  g_autoptr(ParkdDemoTraffic) traffic = NULL; /* stops before the store goes */
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keys_path = parkd_config_keys_path (config);
  RevocationReload reload;

  /* The address first: a mistyped --listen or a taken port must not leave a database
   * (or a seeded demo city) behind. */
  server = parkd_server_new (config, NULL, &error);
  if (server == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
        return usage_error ("%s", error->message);
      g_fprintf (stderr, "parkd: %s\n", error->message);
      return 1;
    }

  /* A bad --redis is a usage error; an unreachable Redis is not: parkd starts and
   * connects when it can (backend/LIVE.md, Replicas). */
  if (config->redis != NULL && *config->redis != '\0')
    {
      redis = parkd_redis_new (config->redis, &error);
      if (redis == NULL)
        return usage_error ("%s", error->message);
    }

  store = parkd_store_open_with_replica (config->database, config->database_replica, &error);
  if (store == NULL)
    {
      g_fprintf (stderr, "parkd: %s\n", error->message);
      return 1;
    }
  parkd_server_set_store (server, store);

  keys = parkd_keys_load (keys_path, &error);
  if (keys == NULL)
    {
      g_fprintf (stderr, "parkd: %s\n", error->message);
      return 1;
    }
  auth = parkd_auth_new (config, keys);
  if (!parkd_auth_load_revocations (auth, store, &error))
    {
      g_fprintf (stderr, "parkd: %s\n", error->message);
      return 1;
    }
  parkd_server_set_auth (server, auth);

  /* Card payments only with a Stripe key; cash at the booth works without. The client is
   * made here and freed here, on the main thread, after the workers stopped (libsoup). */
  if (config->stripe_secret_key != NULL && *config->stripe_secret_key != '\0')
    {
      stripe = parkd_stripe_new (config->stripe_api, config->stripe_secret_key,
                                 config->stripe_webhook_secret, 20);
      parkd_server_set_stripe (server, stripe);
      if (config->stripe_webhook_secret == NULL || *config->stripe_webhook_secret == '\0')
        g_warning ("no --stripe-webhook-secret: Stripe's webhooks are refused, so card "
                   "payments that need the holder's confirmation stay pending");
    }

  if (config->demo)
    {
      gboolean seeded = FALSE;

      if (!parkd_demo_seed (store, &seeded, &error))
        {
          g_fprintf (stderr, "parkd: cannot seed the demo city: %s\n", error->message);
          return 1;
        }
      if (seeded)
        g_message ("seeded the demo city into %s", config->database);
    }

  /* The lots' descriptions load now rather than on the first search. */
  if (!parkd_store_warm (store, &error))
    {
      g_fprintf (stderr, "parkd: %s\n", error->message);
      return 1;
    }

  /* The live feed starts from where every lot stands now. */
  live = parkd_live_new (config, store, auth);
  if (redis != NULL)
    {
      parkd_live_set_redis (live, redis);
      parkd_server_set_redis (server, redis);
      parkd_auth_set_redis (auth, redis);
      parkd_redis_start (redis);
    }
  if (!parkd_live_start (live, &error))
    {
      g_fprintf (stderr, "parkd: cannot start the live feed: %s\n", error->message);
      return 1;
    }
  parkd_server_set_live (server, live);

  /* Handle SIGINT and SIGTERM before announcing the address: a script may stop parkd the
   * moment it reads the ready line. */
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  release_due_cb (server);
  g_timeout_add_seconds (15, release_due_cb, server);
  reload.auth = auth;
  reload.store = store;
  g_timeout_add_seconds (10, reload_revocations_cb, &reload);
  if (config->demo_traffic > 0)
    {
      if (!config->demo)
        g_warning ("--demo-traffic without --demo: cars come and go only if the demo city "
                   "was seeded before");
      traffic = parkd_demo_traffic_start (store, (guint) config->demo_traffic, &error);
      if (traffic == NULL)
        {
          g_warning ("no demo traffic: %s", error->message);
          g_clear_error (&error);
        }
    }
  if (stripe != NULL)
    refunds = refund_worker_start (store, stripe, config->refund_retry_interval);

  if (!parkd_server_start (server, &error))
    {
      g_fprintf (stderr, "parkd: %s\n", error->message);
      return 1;
    }

  /* The ready line: scripts and tests read the real port from it. */
  g_printf ("listening on %s\n", parkd_server_get_url (server));
  fflush (stdout);
  g_message ("serving %s from %s with %s store", parkd_server_get_url (server),
             config->database, parkd_store_get_kind (store));

  g_main_loop_run (loop);

  g_message ("stopping");
  parkd_server_stop (server);
  /* The blocking pool drains before the store and the keys go. */
  g_clear_pointer (&server, parkd_server_free);
  return 0;
}

static gboolean
valid_currency (const char *code)
{
  return code != NULL && strlen (code) == 3 && g_ascii_isupper (code[0]) &&
         g_ascii_isupper (code[1]) && g_ascii_isupper (code[2]);
}

static int
run_import (ParkdConfig  *config,
            int           argc,
            char        **argv)
{
  g_autofree char *slug = NULL;
  g_autofree char *name = NULL;
  g_autofree char *time_zone = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *hours = NULL;
  gint64 hourly_rate = 200;
  const GOptionEntry entries[] = {
    { "operator", 0, 0, G_OPTION_ARG_STRING, &slug, "Operator (slug) that owns the lots", "SLUG" },
    { "operator-name", 0, 0, G_OPTION_ARG_STRING, &name, "Display name for a new operator", "NAME" },
    { "time-zone", 0, 0, G_OPTION_ARG_STRING, &time_zone,
      "IANA time zone of a new operator, e.g. Europe/Berlin", "TZ" },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency,
      "ISO 4217 currency of a new operator, e.g. EUR", "CODE" },
    { "hourly-rate", 0, 0, G_OPTION_ARG_INT64, &hourly_rate,
      "Price per hour of the imported lots in minor units (default 200)", "N" },
    { "hours", 0, 0, G_OPTION_ARG_STRING, &hours,
      "Opening hours of the imported lots as JSON (default: always open)", "JSON" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE — import lots from GeoJSON");
  g_autoptr(ParkdStore) store = NULL;
  g_autoptr(ParkdOperator) existing = NULL;
  g_autoptr(GError) error = NULL;
  ParkdImportReport report = { 0, };
  ParkdOperator op = { 0, };

  g_option_context_set_summary (context,
    "Imports parking lots from a GeoJSON FeatureCollection as published by ParkAPI: one lot\n"
    "per Point feature with a capacity (\"total\"), spots generated from it. Lots without a\n"
    "capacity are skipped and reported. The whole file is one transaction.\n"
    "Give --database (or PARKD_DATABASE) before or after the command.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);
  if (argc != 2)
    return usage_error ("import-geojson needs exactly one FILE");
  if (slug == NULL || !g_regex_match_simple ("^[a-z0-9][a-z0-9-]{0,62}$", slug, 0, 0))
    return usage_error ("--operator SLUG is required: lower-case letters, digits and dashes");
  if (hourly_rate < 0 || hourly_rate > 1000000)
    return usage_error ("--hourly-rate must be between 0 and 1000000 minor units");
  if (hours != NULL && !parkd_hours_validate (hours, &error))
    return usage_error ("--hours: %s", error->message);

  store = parkd_store_open (config->database, &error);
  if (store == NULL)
    {
      g_fprintf (stderr, "parkd: %s\n", error->message);
      return 1;
    }

  existing = parkd_store_get_operator (store, slug, &error);
  if (existing == NULL)
    {
      g_autoptr(GTimeZone) tz = NULL;

      if (!g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        {
          g_fprintf (stderr, "parkd: %s\n", error->message);
          return 1;
        }
      g_clear_error (&error);
      if (time_zone == NULL || currency == NULL)
        return usage_error ("operator \"%s\" does not exist yet: give --time-zone and "
                            "--currency to create it", slug);
      tz = g_time_zone_new_identifier (time_zone);
      if (tz == NULL)
        return usage_error ("--time-zone: \"%s\" is not a known IANA time zone", time_zone);
      if (!valid_currency (currency))
        return usage_error ("--currency: \"%s\" is not an ISO 4217 code such as EUR", currency);
    }

  op.slug = slug;
  op.name = name;
  op.time_zone = time_zone;
  op.currency = currency;
  if (!parkd_import_geojson (store, argv[1], &op, hourly_rate, hours, &report, &error))
    {
      g_fprintf (stderr, "parkd: %s: %s\n", argv[1], error->message);
      parkd_import_report_clear (&report);
      return 1;
    }

  /* Names are UTF-8 whatever the locale: print them as they are (g_print would turn
   * "Münster" into "M?nster" under LANG=C). */
  g_printf ("Imported %u lots with %u spots from %s for operator %s%s%s%s\n",
           report.imported, report.spots, argv[1], slug,
           report.city != NULL ? " (" : "", report.city != NULL ? report.city : "",
           report.city != NULL ? ")" : "");
  if (report.skipped->len > 0)
    {
      g_printf ("Skipped %u:\n", report.skipped->len);
      for (guint i = 0; i < report.skipped->len; i++)
        g_printf ("  %s\n", (char *) g_ptr_array_index (report.skipped, i));
    }
  parkd_import_report_clear (&report);
  return 0;
}

static int
run_generate (ParkdConfig  *config,
              int           argc,
              char        **argv)
{
  int n_lots = 0, spots_per_lot = 20, seed = 42;
  double spread_km = 10;
  g_autofree char *center = NULL;
  double lat = 51.0504, lng = 13.7373;
  const GOptionEntry entries[] = {
    { "lots", 0, 0, G_OPTION_ARG_INT, &n_lots, "Number of lots", "N" },
    { "spots-per-lot", 0, 0, G_OPTION_ARG_INT, &spots_per_lot, "Spots in each lot (20)", "M" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed (42)", "S" },
    { "center", 0, 0, G_OPTION_ARG_STRING, &center, "Centre (51.0504,13.7373)", "LAT,LNG" },
    { "spread-km", 0, 0, G_OPTION_ARG_DOUBLE, &spread_km, "Radius of the area (10)", "KM" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— synthetic lots for benchmarks");
  g_autoptr(ParkdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);
  if (argc != 1)
    return usage_error ("generate takes no arguments besides its options");
  if (n_lots <= 0 || n_lots > 1000000 || spots_per_lot <= 0 || spots_per_lot > 5000)
    return usage_error ("--lots (1..1000000) and --spots-per-lot (1..5000) are required");
  if (spread_km <= 0 || spread_km > 2000)
    return usage_error ("--spread-km must be between 0 and 2000");
  if (center != NULL && (sscanf (center, "%lf,%lf", &lat, &lng) != 2 ||
                         lat < -80 || lat > 80 || lng < -180 || lng > 180))
    return usage_error ("--center must be LAT,LNG within ±80 and ±180");

  store = parkd_store_open (config->database, &error);
  if (store == NULL)
    {
      g_fprintf (stderr, "parkd: %s\n", error->message);
      return 1;
    }
  start = g_get_monotonic_time ();
  if (!parkd_demo_generate (store, n_lots, spots_per_lot, seed, lat, lng, spread_km, &error))
    {
      g_fprintf (stderr, "parkd: %s\n", error->message);
      return 1;
    }
  g_printf ("Generated %d lots with %d spots each into %s in %.1f s\n", n_lots, spots_per_lot,
           config->database, (g_get_monotonic_time () - start) / 1e6);
  return 0;
}

/* Reads a password from standard input: one line, without echo on a terminal. */
static char *
read_password (const char *prompt)
{
  char buf[PARKD_PASSWORD_MAX_BYTES + 2];
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  char *line;
  gsize len;

  if (tty)
    {
      g_fprintf (stderr, "%s", prompt);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  line = fgets (buf, sizeof buf, stdin);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_fprintf (stderr, "\n");
    }
  if (line == NULL)
    return NULL;
  len = strlen (buf);
  while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
    buf[--len] = '\0';
  line = g_strdup (buf);
  memset (buf, 0, sizeof buf);
  return line;
}

static int
run_user_add (ParkdConfig  *config,
              int           argc,
              char        **argv)
{
  g_autofree char *email_arg = NULL, *role_name = NULL, *slug = NULL;
  g_autofree char *first = NULL, *last = NULL;
  const GOptionEntry entries[] = {
    { "email", 0, 0, G_OPTION_ARG_STRING, &email_arg, "E-mail address to sign in with", "E" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_name,
      "admin, operator, attendant or driver", "ROLE" },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &slug,
      "Operator (slug) an attendant or operator works for", "SLUG" },
    { "first-name", 0, 0, G_OPTION_ARG_STRING, &first, "First name", "NAME" },
    { "last-name", 0, 0, G_OPTION_ARG_STRING, &last, "Last name", "NAME" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— create an account");
  g_autoptr(ParkdStore) store = NULL;
  g_autoptr(ParkdOperator) op = NULL;
  g_autoptr(ParkdUser) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL, *password = NULL, *policy = NULL, *hash = NULL;
  ParkdUser user = { 0, };
  ParkdAudit audit = { 0, };
  ParkdRole role;

  g_option_context_set_summary (context,
    "Creates an account, typically the first admin and the operators' staff. The password is\n"
    "read from standard input (one line), so it appears neither in the process list nor in\n"
    "the shell's history: echo is off when standard input is a terminal.\n"
    "Give --database (or PARKD_DATABASE) before or after the command.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);
  if (argc != 1)
    return usage_error ("user add takes no arguments besides its options");
  if (email_arg == NULL)
    return usage_error ("--email is required");
  email = g_utf8_strdown (g_strstrip (email_arg), -1);
  if (!g_regex_match_simple ("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", email, 0, 0) ||
      strlen (email) > 254)
    return usage_error ("--email: \"%s\" is not an e-mail address", email);
  if (role_name == NULL || !parkd_role_from_string (role_name, &role))
    return usage_error ("--role must be admin, operator, attendant or driver");
  if ((role == PARKD_ROLE_ATTENDANT || role == PARKD_ROLE_OPERATOR) != (slug != NULL))
    return usage_error (slug == NULL ? "--operator SLUG is required for an %s"
                                     : "--operator is only for attendants and operators, "
                                       "not for an %s", role_name);

  store = parkd_store_open (config->database, &error);
  if (store == NULL)
    {
      g_fprintf (stderr, "parkd: %s\n", error->message);
      return 1;
    }
  if (slug != NULL)
    {
      op = parkd_store_get_operator (store, slug, &error);
      if (op == NULL)
        {
          g_fprintf (stderr, "parkd: operator \"%s\": %s\n", slug, error->message);
          return 1;
        }
    }

  password = read_password ("Password: ");
  if (password == NULL)
    return usage_error ("no password on standard input");
  policy = parkd_password_check_policy (password, email);
  if (policy != NULL)
    return usage_error ("%s", policy);
  hash = parkd_password_hash (password, &error);
  memset (password, 0, strlen (password));
  if (hash == NULL)
    {
      g_fprintf (stderr, "parkd: %s\n", error->message);
      return 1;
    }

  user.email = email;
  user.password_hash = hash;
  user.first_name = first != NULL ? first : "";
  user.last_name = last != NULL ? last : "";
  user.role = role;
  user.operator_id = op != NULL ? op->id : NULL;
  audit.action = "user.create";
  audit.object_type = "user";
  audit.operator_id = user.operator_id;
  audit.client = "cli";
  created = parkd_store_create_user (store, &user, &audit, &error);
  if (created == NULL)
    {
      g_fprintf (stderr, "parkd: %s\n", error->message);
      return 1;
    }
  g_printf ("Created %s %s (%s)%s%s\n", role_name, created->email, created->id,
            op != NULL ? " for " : "", op != NULL ? op->slug : "");
  return 0;
}

static int
run_keys_rotate (ParkdConfig *config)
{
  g_autofree char *path = parkd_config_keys_path (config);
  g_autofree char *kid = NULL;
  g_autoptr(GError) error = NULL;

  /* No file yet: this makes it, for replicas that are to share one (a Kubernetes Secret). */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(ParkdKeys) keys = parkd_keys_load (path, &error);

      if (keys == NULL)
        {
          g_fprintf (stderr, "parkd: %s\n", error->message);
          return 1;
        }
      g_printf ("Created %s with signing key %s; give every replica this file.\n", path,
                parkd_keys_current_kid (keys));
      return 0;
    }
  kid = parkd_keys_rotate (path, &error);
  if (kid == NULL)
    {
      g_fprintf (stderr, "parkd: %s\n", error->message);
      return 1;
    }
  g_printf ("Added signing key %s to %s; restart parkd to sign with it. Tokens signed with "
            "the older keys stay valid until you remove their groups from the file.\n",
            kid, path);
  return 0;
}

static int
run_routes (void)
{
  for (guint i = 0; i < parkd_n_routes; i++)
    g_printf ("%s %s\n", parkd_routes[i].method, parkd_routes[i].pattern);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ParkdConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  signal (SIGPIPE, SIG_IGN);
  g_log_set_writer_func (json_log_writer, NULL, NULL);

  config = parkd_config_new ();
  if (!parkd_config_load (config, &argc, &argv, &error))
    return usage_error ("%s", error->message);

  if (argc >= 2 && g_str_equal (argv[1], "import-geojson"))
    return run_import (config, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "generate"))
    return run_generate (config, argc - 1, argv + 1);
  if (argc >= 3 && g_str_equal (argv[1], "user") && g_str_equal (argv[2], "add"))
    return run_user_add (config, argc - 2, argv + 2);
  if (argc >= 3 && g_str_equal (argv[1], "keys") && g_str_equal (argv[2], "rotate"))
    return argc == 3 ? run_keys_rotate (config) : usage_error ("keys rotate takes no arguments");
  if (argc >= 2 && g_str_equal (argv[1], "routes"))
    return argc == 2 ? run_routes () : usage_error ("routes takes no arguments");
  if (argc >= 2)
    return usage_error ("unknown command or option \"%s\"", argv[1]);

  return run_server (config);
}
