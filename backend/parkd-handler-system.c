/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-handler-system.c: health, readiness, metrics, the OpenAPI document and service info.
 */
#include "config.h"

#include "parkd-reply.h"
#include "parkd-server.h"

#include <gio/gio.h>

/*
 * GET /health
 * Liveness: 200 {"status": "ok", "version", "uptime_s"} while the process serves requests.
 */
void
parkd_handle_health (ParkdRequest *r)
{
  GString *out = g_string_new (NULL);
  gint64 uptime = (g_get_real_time () - parkd_server_get_started (r->server)) / G_USEC_PER_SEC;

  if (!parkd_request_allow_params (r, NULL))
    {
      g_string_free (out, TRUE);
      return;
    }
  g_string_append_printf (out, "{\"status\":\"ok\",\"version\":\"%s\",\"uptime_s\":%" G_GINT64_FORMAT "}",
                          PACKAGE_VERSION, MAX (uptime, 0));
  parkd_reply_json (r, 200, out);
}

/*
 * GET /ready
 * Readiness: 200 {"status": "ready", "checks": {"database": "ok"}} when the database answers,
 * else 503 problem "not-ready".
 */
void
parkd_handle_ready (ParkdRequest *r)
{
  g_autoptr(GError) error = NULL;

  if (!parkd_request_allow_params (r, NULL))
    return;
  if (!parkd_store_ping (r->store, &error))
    {
      g_warning ("readiness check failed: %s", error->message);
      parkd_reply_problem (r, 503, "not-ready", NULL, "The database does not answer");
      return;
    }
  parkd_reply_json (r, 200, g_string_new ("{\"status\":\"ready\",\"checks\":{\"database\":\"ok\"}}"));
}

/*
 * GET /metrics
 * Prometheus text format 0.0.4: request counts by method, route and status, a latency
 * histogram by method and route, open connections, start time and build info.
 */
void
parkd_handle_metrics (ParkdRequest *r)
{
  GString *out = g_string_sized_new (8192);

  if (!parkd_request_allow_params (r, NULL))
    {
      g_string_free (out, TRUE);
      return;
    }
  parkd_server_append_metrics (r->server, out);
  parkd_reply_text (r, 200, "text/plain; version=0.0.4; charset=utf-8", out);
}

/*
 * GET /api/v1/openapi.json
 * The OpenAPI 3.1 document of this API, built into the binary.
 */
void
parkd_handle_openapi (ParkdRequest *r)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data;

  if (!parkd_request_allow_params (r, NULL))
    return;
  bytes = g_resources_lookup_data ("/org/parkade/parkd/openapi.json", 0, &error);
  if (bytes == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  data = g_bytes_get_data (bytes, &len);
  parkd_reply_json (r, 200, g_string_new_len (data, len));
}

/*
 * GET /api/v1/info
 * What this server serves, so a fresh client can show something at once:
 * 200 {"service", "version", "store", "counts": {"operators", "lots", "spots"},
 *      "bbox": [min_lng, min_lat, max_lng, max_lat] or null when there are no lots}.
 */
void
parkd_handle_info (ParkdRequest *r)
{
  g_autoptr(GError) error = NULL;
  ParkdStoreCounts counts = { 0, };
  double bbox[4];
  GString *out;

  if (!parkd_request_allow_params (r, NULL))
    return;
  if (!parkd_store_counts (r->store, &counts, &error))
    {
      parkd_reply_error (r, error);
      return;
    }

  out = g_string_new (NULL);
  g_string_append_printf (out,
                          "{\"service\":\"parkd\",\"version\":\"%s\",\"store\":\"%s\","
                          "\"counts\":{\"operators\":%" G_GUINT64_FORMAT ",\"lots\":%"
                          G_GUINT64_FORMAT ",\"spots\":%" G_GUINT64_FORMAT "},\"bbox\":",
                          PACKAGE_VERSION, parkd_store_get_kind (r->store),
                          counts.operators, counts.lots, counts.spots);
  if (counts.lots > 0 &&
      parkd_store_bounds (r->store, &bbox[0], &bbox[1], &bbox[2], &bbox[3], &error))
    {
      g_string_append_c (out, '[');
      for (guint i = 0; i < 4; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          parkd_json_append_double (out, bbox[i], 7);
        }
      g_string_append_c (out, ']');
    }
  else
    g_string_append (out, "null");
  g_string_append_c (out, '}');
  parkd_reply_json (r, 200, out);
}
