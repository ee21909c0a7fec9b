/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every setting of parkd, filled from (lowest first) built-in defaults, the key file given by
 * --config or PARKD_CONFIG, PARKD_* environment variables and the command line. */
typedef struct
{
  char     *config_file;
  char     *listen;                 /* ADDR:PORT, port 0 picks a free port */
  char     *database;               /* SQLite path, or a postgresql:// URI */
  char     *database_replica;       /* postgresql:// URI of a read replica, or NULL */
  gboolean  demo;                   /* seed the demo city on start */
  int       demo_traffic;           /* seconds between two cars in the demo city; 0: none */
  int       threads;                /* event-loop threads */
  int       body_limit;             /* bytes */
  int       max_connections;        /* in total */
  int       max_client_connections;
  char     *trusted_proxies;        /* comma-separated addresses whose X-Forwarded-For counts */ /* per client address */
  int       request_timeout;        /* seconds to receive a whole request */
  gboolean  access_log;             /* one JSON line per request on stderr */
  char     *keys_file;              /* signing and sealing keys (default: beside the database) */
  char     *issuer;                 /* JWT "iss" */
  char     *audience;               /* JWT "aud" */
  int       blocking_threads;       /* password hashing and writes, off the event loops */
  int       blocking_queue;         /* jobs waiting at most before 503 */
  int       rate_limit;             /* requests per second per client address, 0: off */
  int       rate_burst;
  int       account_rate_limit;     /* requests per second per signed-in account, 0: off */
  int       auth_rate_limit;        /* sign-in, register, refresh: per address per minute */
  int       kiosk_booking_limit;    /* guest bookings per kiosk per hour, 0: off */
  int       login_free_failures;    /* failed sign-ins for one account before it slows down */
  int       no_show_grace;          /* minutes after its start an unused booking is released */
  char     *stripe_api;             /* Stripe's API base URL (a local fake in tests) */
  char     *stripe_secret_key;      /* sk_... ; empty: card payments are off */
  char     *stripe_webhook_secret;  /* whsec_... */
  int       stripe_unrecorded_after; /* seconds before a charge no payment records is refunded */
  char     *checkout_success_url;   /* Stripe Checkout sends the driver here once paid */
  char     *checkout_cancel_url;    /* … and here when the driver gives up on its page */
  int       refund_retry_interval;  /* seconds between tries of the card refunds owed */
  int       live_ping_interval;     /* seconds between pings to a quiet live-feed client */
  int       live_queue_limit;       /* bytes a live-feed client may leave unread */
  int       live_max_lots;          /* lots one live-feed connection may watch */
  int       live_replay_limit;      /* missed updates of a lot sent again, else a snapshot */
  char     *redis;                  /* redis:// URL shared by replicas; empty: none */
} ParkdConfig;

ParkdConfig *parkd_config_new          (void);
void         parkd_config_free         (ParkdConfig  *self);
gboolean     parkd_config_load         (ParkdConfig  *self,
                                        int          *argc,
                                        char       ***argv,
                                        GError      **error);
char        *parkd_config_default_database (void);
char        *parkd_config_describe     (void);
char        *parkd_config_keys_path    (const ParkdConfig *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdConfig, parkd_config_free)

G_END_DECLS
