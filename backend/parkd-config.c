/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-config.c: one typed table of settings (Redis's static_configs[]), read from a key file
 * ([parkd] group), the environment (PARKD_LISTEN, PARKD_DATABASE, ...) and the command line.
 */
#include "config.h"

#include "parkd-config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef enum
{
  SETTING_STRING,
  SETTING_BOOL,
  SETTING_INT,
} SettingType;

typedef struct
{
  const char  *name;        /* key in the file and --option; env is PARKD_ + upper-case */
  SettingType  type;
  gsize        offset;
  const char  *fallback;    /* default as text; NULL: computed */
  int          min, max;    /* for integers */
  const char  *arg;
  const char  *help;
} Setting;

static const Setting settings[] = {
  { "listen", SETTING_STRING, G_STRUCT_OFFSET (ParkdConfig, listen), "127.0.0.1:8080", 0, 0,
    "ADDR:PORT", "Address and port to listen on (port 0 picks a free one)" },
  { "database", SETTING_STRING, G_STRUCT_OFFSET (ParkdConfig, database), NULL, 0, 0,
    "PATH", "SQLite database file, or a postgresql:// URI (default: $XDG_DATA_HOME/parkade/parkd.db)" },
  { "database-replica", SETTING_STRING, G_STRUCT_OFFSET (ParkdConfig, database_replica), NULL, 0,
    0, "URI", "PostgreSQL read replica (postgresql://...) that serves searches" },
  { "demo", SETTING_BOOL, G_STRUCT_OFFSET (ParkdConfig, demo), "false", 0, 0,
    NULL, "Seed the demo city (Dresden) if it is not there yet" },
  { "demo-traffic", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, demo_traffic), "0", 0, 3600,
    "SECONDS", "In the demo city, a car arrives or leaves every SECONDS, reported by the "
    "sensor \"Demo traffic\" (0: none)" },
  { "threads", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, threads), "0", 0, 64,
    "N", "Event-loop threads (0: one per CPU core)" },
  { "body-limit", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, body_limit), "1048576", 1024,
    64 * 1024 * 1024, "BYTES", "Largest request body accepted" },
  { "max-connections", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, max_connections), "20000", 1,
    1000000, "N", "Open connections at most, in total" },
  { "max-client-connections", SETTING_INT,
    G_STRUCT_OFFSET (ParkdConfig, max_client_connections), "1024", 1, 1000000,
    "N", "Open connections at most from one client address" },
  { "trusted-proxies", SETTING_STRING, G_STRUCT_OFFSET (ParkdConfig, trusted_proxies), "", 0, 0,
    "ADDR,...", "Proxies (nginx) whose X-Forwarded-For names the client, as addresses or "
    "networks (10.0.0.0/8); no per-address connection limit for them" },
  { "request-timeout", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, request_timeout), "10", 1, 3600,
    "SECONDS", "Time a client has to send a whole request" },
  { "access-log", SETTING_BOOL, G_STRUCT_OFFSET (ParkdConfig, access_log), "true", 0, 0,
    NULL, "Write one JSON line per request to standard error" },
  { "keys-file", SETTING_STRING, G_STRUCT_OFFSET (ParkdConfig, keys_file), NULL, 0, 0,
    "PATH", "Signing and encryption keys, created with mode 0600 (default: DATABASE.keys)" },
  { "issuer", SETTING_STRING, G_STRUCT_OFFSET (ParkdConfig, issuer), "parkd", 0, 0,
    "NAME", "Issuer (\"iss\") of the access tokens parkd signs" },
  { "audience", SETTING_STRING, G_STRUCT_OFFSET (ParkdConfig, audience), "parkade", 0, 0,
    "NAME", "Audience (\"aud\") access tokens must name" },
  { "blocking-threads", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, blocking_threads), "2", 1, 64,
    "N", "Threads for password hashing and database writes (each hash takes 19 MiB)" },
  { "blocking-queue", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, blocking_queue), "256", 1,
    100000, "N", "Slow requests waiting at most before parkd answers 503" },
  { "rate-limit", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, rate_limit), "100", 0, 1000000,
    "N", "Requests per second from one client address (0: no limit)" },
  { "rate-burst", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, rate_burst), "200", 1, 1000000,
    "N", "Requests one client address may send at once before the rate limit applies" },
  { "account-rate-limit", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, account_rate_limit), "20", 0,
    1000000, "N", "Requests per second from one signed-in account, burst twice that (0: no limit)" },
  { "auth-rate-limit", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, auth_rate_limit), "10", 0,
    1000000, "N", "Sign-ins, registrations and refreshes per minute from one address (0: no limit)" },
  { "kiosk-booking-limit", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, kiosk_booking_limit), "30",
    0, 100000, "N", "Bookings per hour one kiosk may make for drivers without an account (0: no "
    "limit)" },
  { "no-show-grace", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, no_show_grace), "30", 0, 1440,
    "MINUTES", "How long after its start a booking nobody came for holds its spot" },
  { "stripe-api", SETTING_STRING, G_STRUCT_OFFSET (ParkdConfig, stripe_api),
    "https://api.stripe.com", 0, 0, "URL", "Stripe's API (tests point it at a local fake)" },
  { "stripe-secret-key", SETTING_STRING, G_STRUCT_OFFSET (ParkdConfig, stripe_secret_key), "",
    0, 0, "KEY", "Stripe secret key (sk_...); without one, card payments are off" },
  { "stripe-webhook-secret", SETTING_STRING,
    G_STRUCT_OFFSET (ParkdConfig, stripe_webhook_secret), "", 0, 0,
    "SECRET", "Signing secret of Stripe's webhooks (whsec_...)" },
  { "stripe-unrecorded-after", SETTING_INT,
    G_STRUCT_OFFSET (ParkdConfig, stripe_unrecorded_after), "900", 0, 7 * 24 * 3600,
    "SECONDS", "A card charge Stripe reports that no payment records is refunded when it is "
    "this old" },
  { "checkout-success-url", SETTING_STRING, G_STRUCT_OFFSET (ParkdConfig, checkout_success_url),
    "", 0, 0, "URL", "Where Stripe's payment page sends a driver who paid (with the secret key, "
    "turns on paying by phone from a QR code)" },
  { "checkout-cancel-url", SETTING_STRING, G_STRUCT_OFFSET (ParkdConfig, checkout_cancel_url),
    "", 0, 0, "URL", "Where Stripe's payment page sends a driver who gave up (default: the "
    "success URL)" },
  { "refund-retry-interval", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, refund_retry_interval),
    "60", 1, 24 * 3600, "SECONDS", "Card refunds Stripe did not take are tried again this often" },
  { "live-ping-interval", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, live_ping_interval), "30",
    1, 3600, "SECONDS", "Live feed: ping a quiet client this often; drop it after two silent "
    "intervals" },
  { "live-queue-limit", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, live_queue_limit), "1048576",
    4096, 64 * 1024 * 1024, "BYTES", "Live feed: unread bytes before a slow client is dropped" },
  { "live-max-lots", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, live_max_lots), "2000", 1,
    100000, "N", "Live feed: lots one connection may subscribe to" },
  { "live-replay-limit", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, live_replay_limit), "256", 0,
    100000, "N", "Live feed: missed updates of a lot sent after a reconnect; more get a snapshot" },
  { "redis", SETTING_STRING, G_STRUCT_OFFSET (ParkdConfig, redis), "", 0, 0,
    "URL", "Redis shared by replicas (redis://[USER:PASSWORD@]HOST:PORT/DB): live feed between "
    "replicas, the parkade:events stream, rate limits counted once for all (default: none, one "
    "parkd)" },
  { "login-free-failures", SETTING_INT, G_STRUCT_OFFSET (ParkdConfig, login_free_failures), "5",
    1, 1000, "N", "Failed sign-ins for one account before each further try must wait longer" },
};

static char *
env_name (const char *name)
{
  g_autofree char *upper = g_ascii_strup (name, -1);

  g_strdelimit (upper, "-", '_');
  return g_strconcat ("PARKD_", upper, NULL);
}

static gboolean
apply (ParkdConfig    *self,
       const Setting  *setting,
       const char     *value,
       const char     *origin,
       GError        **error)
{
  gpointer field = G_STRUCT_MEMBER_P (self, setting->offset);

  switch (setting->type)
    {
    case SETTING_STRING:
      g_free (*(char **) field);
      *(char **) field = g_strdup (value);
      return TRUE;

    case SETTING_BOOL:
      if (g_ascii_strcasecmp (value, "true") == 0 || g_strcmp0 (value, "1") == 0 ||
          g_ascii_strcasecmp (value, "yes") == 0)
        *(gboolean *) field = TRUE;
      else if (g_ascii_strcasecmp (value, "false") == 0 || g_strcmp0 (value, "0") == 0 ||
               g_ascii_strcasecmp (value, "no") == 0)
        *(gboolean *) field = FALSE;
      else
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "%s: %s must be true or false, not \"%s\"", origin, setting->name, value);
          return FALSE;
        }
      return TRUE;

    case SETTING_INT:
      {
        gint64 v;

        if (!g_ascii_string_to_signed (value, 10, setting->min, setting->max, &v, NULL))
          {
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         "%s: %s must be a whole number from %d to %d, not \"%s\"",
                         origin, setting->name, setting->min, setting->max, value);
            return FALSE;
          }
        *(int *) field = (int) v;
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

char *
parkd_config_default_database (void)
{
  return g_build_filename (g_get_user_data_dir (), "parkade", "parkd.db", NULL);
}

ParkdConfig *
parkd_config_new (void)
{
  ParkdConfig *self = g_new0 (ParkdConfig, 1);

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (settings[i].fallback != NULL)
      apply (self, &settings[i], settings[i].fallback, "default", NULL);
  self->database = parkd_config_default_database ();
  return self;
}

void
parkd_config_free (ParkdConfig *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (settings[i].type == SETTING_STRING)
      g_free (G_STRUCT_MEMBER (char *, self, settings[i].offset));
  g_free (self->config_file);
  g_free (self);
}

static gboolean
load_key_file (ParkdConfig  *self,
               const char   *path,
               GError      **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_auto(GStrv) keys = NULL;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  {
    g_auto(GStrv) groups = g_key_file_get_groups (kf, NULL);

    for (guint i = 0; groups[i] != NULL; i++)
      if (!g_str_equal (groups[i], "parkd"))
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                       "%s: unknown group [%s]; parkd's settings go in [parkd]", path,
                       groups[i]);
          return FALSE;
        }
    if (!g_key_file_has_group (kf, "parkd"))
      {
        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                     "%s: no [parkd] group", path);
        return FALSE;
      }
  }

  keys = g_key_file_get_keys (kf, "parkd", NULL, NULL);
  for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
    {
      const Setting *setting = NULL;
      g_autofree char *value = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
        if (g_strcmp0 (settings[i].name, keys[k]) == 0)
          setting = &settings[i];
      if (setting == NULL)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                       "%s: unknown setting \"%s\" in [parkd]", path, keys[k]);
          return FALSE;
        }
      value = g_key_file_get_string (kf, "parkd", keys[k], error);
      if (value == NULL || !apply (self, setting, g_strstrip (value), path, error))
        return FALSE;
    }
  return TRUE;
}

/* Parses the command line (removing what it knows from @argv), then layers file, environment
 * and command line. Returns FALSE with @error on anything it cannot use. */
gboolean
parkd_config_load (ParkdConfig   *self,
                   int           *argc,
                   char        ***argv,
                   GError       **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree GOptionEntry *entries = NULL;
  g_autofree char *config_file = NULL;
  char *cli_strings[G_N_ELEMENTS (settings)] = { NULL, };
  gboolean cli_flags[G_N_ELEMENTS (settings)] = { FALSE, };
  gboolean cli_no_flags[G_N_ELEMENTS (settings)] = { FALSE, };
  g_autoptr(GPtrArray) no_names = g_ptr_array_new_with_free_func (g_free);
  gboolean version = FALSE;
  const char *env_config;
  guint n = 0;
  gboolean ok = FALSE;

  entries = g_new0 (GOptionEntry, 2 * G_N_ELEMENTS (settings) + 3);
  entries[n++] = (GOptionEntry) { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_file,
                                  "Key file with a [parkd] group of settings", "FILE" };
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      GOptionEntry *e = &entries[n++];

      e->long_name = settings[i].name;
      e->description = settings[i].help;
      e->arg_description = settings[i].arg;
      if (settings[i].type == SETTING_BOOL)
        {
          GOptionEntry *no = &entries[n++];
          char *no_name = g_strconcat ("no-", settings[i].name, NULL);

          e->arg = G_OPTION_ARG_NONE;
          e->arg_data = &cli_flags[i];
          /* Switches take no value ("--demo=false" is refused); "--no-demo" turns one off. */
          g_ptr_array_add (no_names, no_name);
          no->long_name = no_name;
          no->arg = G_OPTION_ARG_NONE;
          no->arg_data = &cli_no_flags[i];
          no->description = "Turn the setting above off";
        }
      else
        {
          e->arg = G_OPTION_ARG_STRING;
          e->arg_data = &cli_strings[i];
        }
    }
  entries[n++] = (GOptionEntry) { "version", 'V', 0, G_OPTION_ARG_NONE, &version,
                                  "Print the version and exit", NULL };

  context = g_option_context_new ("[COMMAND …] — the Parkade server");
  g_option_context_set_summary (context,
    "Serves parking lots, spots and live availability over HTTP.\n\n"
    "Commands:\n"
    "  (none)                      run the server\n"
    "  import-geojson FILE --operator SLUG [--time-zone TZ --currency CUR]\n"
    "                              import lots from a ParkAPI GeoJSON file\n"
    "  generate --lots N --spots-per-lot M\n"
    "                              fill a database with synthetic lots (benchmarks)\n"
    "  user add --email E --role ROLE [--operator SLUG]\n"
    "                              create an account; the password is read from stdin\n"
    "  keys rotate                 add a signing key and sign new tokens with it\n"
    "  routes                      list the HTTP routes\n"
    "  (run a command with --help for its options)");
  {
    g_autofree char *desc = parkd_config_describe ();
    g_option_context_set_description (context, desc);
  }
  g_option_context_add_main_entries (context, entries, NULL);
  /* Subcommands have options of their own: leave them in argv. */
  g_option_context_set_ignore_unknown_options (context, TRUE);
  g_option_context_set_help_enabled (context, *argc < 2 || (*argv)[1][0] == '-');

  /* GLib would take "--demo=false" as plain "--demo". */
  for (int a = 1; a < *argc; a++)
    for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
      if (settings[i].type == SETTING_BOOL && g_str_has_prefix ((*argv)[a], "--") &&
          (g_str_has_prefix ((*argv)[a] + 2, settings[i].name) ||
           (g_str_has_prefix ((*argv)[a] + 2, "no-") &&
            g_str_has_prefix ((*argv)[a] + 5, settings[i].name))) &&
          strchr ((*argv)[a], '=') != NULL &&
          strchr ((*argv)[a], '=') - (*argv)[a] ==
            (ptrdiff_t) (2 + strlen (settings[i].name) +
                         (g_str_has_prefix ((*argv)[a] + 2, "no-") ? 3 : 0)))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--%s takes no value: use --%s or --no-%s", settings[i].name,
                       settings[i].name, settings[i].name);
          goto out;
        }

  if (!g_option_context_parse (context, argc, argv, error))
    goto out;

  if (version)
    {
      g_print ("parkd %s\n", PACKAGE_VERSION);
      exit (EXIT_SUCCESS);
    }

  env_config = g_getenv ("PARKD_CONFIG");
  if (config_file == NULL && env_config != NULL && *env_config != '\0')
    config_file = g_strdup (env_config);
  if (config_file != NULL)
    {
      if (!load_key_file (self, config_file, error))
        goto out;
      self->config_file = g_strdup (config_file);
    }

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      g_autofree char *name = env_name (settings[i].name);
      const char *value = g_getenv (name);

      if (value != NULL && *value != '\0' && !apply (self, &settings[i], value, name, error))
        goto out;
    }

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      g_autofree char *origin = g_strconcat ("--", settings[i].name, NULL);

      if (settings[i].type == SETTING_BOOL && cli_flags[i] && cli_no_flags[i])
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--%s and --no-%s contradict each other", settings[i].name,
                       settings[i].name);
          goto out;
        }
      if (settings[i].type == SETTING_BOOL && cli_flags[i])
        apply (self, &settings[i], "true", origin, NULL);
      else if (settings[i].type == SETTING_BOOL && cli_no_flags[i])
        apply (self, &settings[i], "false", origin, NULL);
      else if (cli_strings[i] != NULL && !apply (self, &settings[i], cli_strings[i], origin, error))
        goto out;
    }

  ok = TRUE;

out:
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    g_free (cli_strings[i]);
  return ok;
}

/* The settings table as help text: key, environment variable, default. */
char *
parkd_config_describe (void)
{
  GString *out = g_string_new ("Every option can also be set in the config file's [parkd] group "
                               "or in the environment:\n");

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      g_autofree char *env = env_name (settings[i].name);

      g_string_append_printf (out, "  %-24s %-30s default %s\n", settings[i].name, env,
                              settings[i].fallback != NULL ? settings[i].fallback
                                                           : "see above");
    }
  g_string_append (out, "  PARKD_CONFIG is the config file when --config is not given.");
  return g_string_free (out, FALSE);
}

/* The key file: as configured, else beside the database ("parkd.db.keys"). */
char *
parkd_config_keys_path (const ParkdConfig *self)
{
  if (self->keys_file != NULL && *self->keys_file != '\0')
    return g_strdup (self->keys_file);
  /* A server's URI is no place for a file: the default data directory is. */
  if (strstr (self->database, "://") != NULL)
    return g_build_filename (g_get_user_data_dir (), "parkade", "parkd.keys", NULL);
  return g_strconcat (self->database, ".keys", NULL);
}
