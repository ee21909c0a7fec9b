/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fake-stripe-main.c: the fake Stripe of park-test-stripe.c as a program of its own, for the
 * shell tests (tests/tui), which cannot link it. It prints, one per line,
 *
 *   secret-key sk_test_…
 *   webhook-secret whsec_…
 *   listening on http://127.0.0.1:PORT
 *
 * (the last one once it answers), then serves until SIGTERM or SIGINT. Point parkd at it with
 * --stripe-api URL --stripe-secret-key KEY --stripe-webhook-secret SECRET, as the C tests do.
 */
#include "park-test-stripe.h"

#include <glib-unix.h>
#include <stdio.h>

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(ParkTestStripe) stripe = NULL;

  if (argc > 1)
    {
      fprintf (stderr, "Usage: %s\nA fake Stripe API on 127.0.0.1 for tests; it prints its "
               "keys and its URL.\n", argv[0]);
      return 2;
    }
  stripe = park_test_stripe_new ();
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  printf ("secret-key %s\nwebhook-secret %s\nlistening on %s\n",
          park_test_stripe_get_secret_key (stripe),
          park_test_stripe_get_webhook_secret (stripe),
          park_test_stripe_get_url (stripe));
  fflush (stdout);
  g_main_loop_run (loop);
  return 0;
}
