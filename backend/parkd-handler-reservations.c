/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-handler-reservations.c: quotes and reservations.
 *
 * A booking is checked and priced on the event loop (reads only), then handed to the store's
 * batcher, which writes it in a group commit; the request sleeps meanwhile (suspended) and
 * is answered on its loop when the commit is on disk. Cancelling and extending are single
 * writes on the blocking pool.
 */
#include "config.h"

#include "parkd-handler-accounts.h"
#include "parkd-pricing.h"
#include "parkd-reply.h"
#include "parkd-server.h"

#include <string.h>

#define QUOTE_SECONDS        (10 * 60)
#define MAX_ADVANCE_DAYS     180
#define PAST_TOLERANCE_S     300
/* A guest at a kiosk pays now or walks away: the spot is not held longer than this. */
#define GUEST_HOLD_MINUTES   10

static char *
format_utc (GDateTime *dt)
{
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* An RFC 3339 time with its offset (or Z), as UTC; NULL and a 400 naming @field otherwise. */
static GDateTime *
read_time (ParkdRequest *r,
           const char   *field,
           const char   *text)
{
  GDateTime *dt;

  if (text == NULL)
    {
      parkd_reply_problem (r, 400, "missing-field", field, "\"%s\" is required", field);
      return NULL;
    }
  dt = parkd_parse_time_utc (text);
  if (dt == NULL)
    parkd_reply_problem (r, 400, "invalid-field", field,
                         "\"%s\" must be an RFC 3339 time with an offset, such as "
                         "2026-12-01T09:00:00+01:00", field);
  return dt;
}

/* start < end, not in the past, not too far ahead. */
static gboolean
check_window (ParkdRequest *r,
              GDateTime    *start,
              GDateTime    *end)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (g_date_time_compare (end, start) <= 0)
    {
      parkd_reply_problem (r, 400, "invalid-field", "end_time",
                           "\"end_time\" must be after \"start_time\"");
      return FALSE;
    }
  if (g_date_time_difference (start, now) < -PAST_TOLERANCE_S * G_TIME_SPAN_SECOND)
    {
      parkd_reply_problem (r, 400, "invalid-field", "start_time",
                           "\"start_time\" is in the past");
      return FALSE;
    }
  if (g_date_time_difference (start, now) > MAX_ADVANCE_DAYS * G_TIME_SPAN_DAY)
    {
      parkd_reply_problem (r, 400, "invalid-field", "start_time",
                           "Bookings open at most %d days ahead", MAX_ADVANCE_DAYS);
      return FALSE;
    }
  return TRUE;
}

/* The lot's price for a stay, with the booked share of that window for demand pricing. */
static ParkdQuote *
price_stay (ParkdRequest    *r,
            const ParkdLot  *lot,
            ParkdSpotType    type,
            GDateTime       *start,
            GDateTime       *end,
            ParkdPricing   **pricing_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *policy = parkd_store_get_pricing (r->store, lot->id, &error);
  g_autofree char *start_text = format_utc (start), *end_text = format_utc (end);
  g_autoptr(ParkdPricing) pricing = NULL;
  ParkdQuote *quote;
  double share;

  if (policy == NULL)
    {
      parkd_reply_error (r, error);
      return NULL;
    }
  pricing = parkd_pricing_new (policy, lot->hourly_rate, &error);
  if (pricing == NULL)
    {
      g_warning ("lot %s: its pricing policy does not load: %s", lot->id, error->message);
      parkd_reply_problem (r, 503, "unavailable", NULL, "This lot cannot be priced right now");
      return NULL;
    }
  /* The booked share costs a look at the lot's bookings: only demand pricing needs it. */
  share = parkd_pricing_uses_demand (pricing)
          ? parkd_store_booked_share (r->store, lot->id, type, start_text, end_text, &error)
          : 0;
  if (share < 0)
    {
      parkd_reply_error (r, error);
      return NULL;
    }
  quote = parkd_pricing_quote (pricing, lot->time_zone, lot->currency,
                               parkd_spot_type_to_string (type), start, end, share, &error);
  if (quote == NULL)
    {
      /* The window was checked already; what is left to refuse is a stay over 31 days. The
       * lot's own zone or a type the engine does not know would be parkd's fault. */
      if (g_str_has_prefix (error->message, "end"))
        parkd_reply_problem (r, 400, "invalid-field", "end_time", "%s", error->message);
      else
        {
          g_warning ("lot %s: cannot price a stay: %s", lot->id, error->message);
          parkd_reply_problem (r, 503, "unavailable", NULL, "This lot cannot be priced right now");
        }
      return NULL;
    }
  if (pricing_out != NULL)
    *pricing_out = g_steal_pointer (&pricing);
  return quote;
}

/* Takes a discount code of the lot's operator off @quote; FALSE (answered) when the code is
 * unknown, expired or used up. */
static gboolean
apply_discount (ParkdRequest    *r,
                const ParkdLot  *lot,
                ParkdQuote      *quote,
                const char      *code,
                const char      *field,
                char           **discount_id)
{
  g_autoptr(ParkdDiscount) d = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = parkd_now_rfc3339 ();
  gint64 off;

  if (code == NULL)
    return TRUE;
  d = parkd_store_find_discount (r->store, lot->operator_id, code, &error);
  if (d == NULL)
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        parkd_reply_problem (r, 400, "invalid-field", field,
                             "This discount code is not valid at this lot");
      else
        parkd_reply_error (r, error);
      return FALSE;
    }
  if ((d->expires_at != NULL && strcmp (d->expires_at, now) <= 0) ||
      (d->max_uses > 0 && d->uses >= d->max_uses))
    {
      parkd_reply_problem (r, 409, "discount-used-up", field,
                           "This discount code is used up or has expired");
      return FALSE;
    }
  off = d->percent_off > 0 ? (quote->total * d->percent_off + 50) / 100 : d->amount_off;
  parkd_quote_set_discount (quote, MIN (off, quote->total));
  if (discount_id != NULL)
    *discount_id = g_strdup (d->id);
  return TRUE;
}

static ParkdLot *
get_lot_or_404 (ParkdRequest *r,
                const char   *id,
                const char   *field)
{
  g_autoptr(GError) error = NULL;
  ParkdLot *lot = parkd_store_get_lot (r->store, id, &error);

  if (lot == NULL)
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        parkd_reply_problem (r, 404, "not-found", field, "There is no lot with this id");
      else
        parkd_reply_error (r, error);
    }
  return lot;
}

/*
 * GET /api/v1/parking-lots/{id}/quote?start=&end=[&spot_type=regular]
 *
 * The price of a stay with its breakdown, and a quote id a booking honours for ten minutes.
 */
void
parkd_handle_quote (ParkdRequest *r)
{
  static const char * const params[] = { "start", "end", "spot_type", "discount_code", NULL };
  g_autoptr(GDateTime) start = NULL, end = NULL, expires = NULL, now = NULL;
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(ParkdQuote) quote = NULL;
  g_autoptr(GString) breakdown = g_string_sized_new (1024);
  g_autoptr(GError) error = NULL;
  ParkdStoredQuote stored = { 0, };
  ParkdSpotType type = PARKD_SPOT_TYPE_REGULAR;
  const char *type_text = parkd_request_param (r, "spot_type");
  g_autofree char *start_text = NULL, *end_text = NULL, *expires_text = NULL;
  GString *out;

  if (!parkd_request_allow_params (r, params) || !parkd_request_read_id (r, "lot"))
    return;
  if (type_text != NULL && !parkd_spot_type_from_string (type_text, &type))
    {
      parkd_reply_problem (r, 400, "invalid-parameter", "spot_type",
                           "\"spot_type\" must be one of regular, disabled, ev, compact, "
                           "motorcycle");
      return;
    }
  start = read_time (r, "start", parkd_request_param (r, "start"));
  if (start == NULL)
    return;
  end = read_time (r, "end", parkd_request_param (r, "end"));
  if (end == NULL || !check_window (r, start, end))
    return;
  if ((lot = get_lot_or_404 (r, r->params[0], NULL)) == NULL ||
      (quote = price_stay (r, lot, type, start, end, NULL)) == NULL ||
      !apply_discount (r, lot, quote, parkd_request_param (r, "discount_code"), "discount_code",
                       NULL))
    return;

  parkd_quote_append_json (breakdown, quote);
  now = g_date_time_new_now_utc ();
  expires = g_date_time_add_seconds (now, QUOTE_SECONDS);
  start_text = format_utc (start);
  end_text = format_utc (end);
  expires_text = format_utc (expires);
  stored.lot_id = lot->id;
  stored.spot_type = type;
  stored.start_time = start_text;
  stored.end_time = end_text;
  stored.total = quote->total;
  stored.currency = lot->currency;
  stored.breakdown = breakdown->str;
  stored.expires_at = expires_text;
  if (!parkd_store_save_quote (r->store, &stored, &error))
    {
      parkd_reply_error (r, error);
      return;
    }

  out = g_string_sized_new (1024 + breakdown->len);
  g_string_append_c (out, '{');
  parkd_json_append_member (out, "quote_id");
  parkd_json_append_string (out, stored.id);
  parkd_json_append_member (out, "parking_lot_id");
  parkd_json_append_string (out, lot->id);
  parkd_json_append_member (out, "spot_type");
  parkd_json_append_string (out, parkd_spot_type_to_string (type));
  parkd_json_append_member (out, "start_time");
  parkd_json_append_string (out, start_text);
  parkd_json_append_member (out, "end_time");
  parkd_json_append_string (out, end_text);
  parkd_json_append_member (out, "total_cost");
  parkd_json_append_int (out, quote->total);
  parkd_json_append_member (out, "currency");
  parkd_json_append_string (out, lot->currency);
  parkd_json_append_member (out, "time_zone");
  parkd_json_append_string (out, lot->time_zone);
  parkd_json_append_member (out, "expires_at");
  parkd_json_append_string (out, expires_text);
  parkd_json_append_member (out, "breakdown");
  g_string_append_len (out, breakdown->str, breakdown->len);
  g_string_append_c (out, '}');
  g_free (stored.id);
  g_free (stored.created_at);
  parkd_reply_json (r, 200, out);
}

static void
append_nullable (GString    *out,
                 const char *name,
                 const char *value)
{
  parkd_json_append_member (out, name);
  if (value != NULL)
    parkd_json_append_string (out, value);
  else
    g_string_append (out, "null");
}

void
parkd_json_append_reservation (GString                *out,
                               const ParkdReservation *res)
{
  g_string_append_c (out, '{');
  parkd_json_append_member (out, "id");
  parkd_json_append_string (out, res->id);
  parkd_json_append_member (out, "code");
  parkd_json_append_string (out, res->code);
  parkd_json_append_member (out, "status");
  parkd_json_append_string (out, parkd_reservation_status_to_string (res->status));
  parkd_json_append_member (out, "parking_lot_id");
  parkd_json_append_string (out, res->lot_id);
  parkd_json_append_member (out, "lot_name");
  parkd_json_append_string (out, res->lot_name);
  parkd_json_append_member (out, "parking_spot_id");
  parkd_json_append_string (out, res->spot_id);
  parkd_json_append_member (out, "spot_number");
  parkd_json_append_string (out, res->spot_number);
  parkd_json_append_member (out, "spot_type");
  parkd_json_append_string (out, parkd_spot_type_to_string (res->spot_type));
  parkd_json_append_member (out, "level");
  parkd_json_append_int (out, res->level);
  parkd_json_append_member (out, "start_time");
  parkd_json_append_string (out, res->start_time);
  parkd_json_append_member (out, "end_time");
  parkd_json_append_string (out, res->end_time);
  parkd_json_append_member (out, "time_zone");
  parkd_json_append_string (out, res->time_zone);
  append_nullable (out, "hold_until", res->hold_until);
  parkd_json_append_member (out, "total_cost");
  parkd_json_append_int (out, res->total);
  parkd_json_append_member (out, "paid");
  parkd_json_append_int (out, res->paid);
  parkd_json_append_member (out, "balance_due");
  parkd_json_append_int (out, MAX (0, res->total - res->paid));
  parkd_json_append_member (out, "currency");
  parkd_json_append_string (out, res->currency);
  append_nullable (out, "quote_id", res->quote_id);
  /* Written by parkd as a JSON object when the booking was priced. */
  parkd_json_append_member (out, "quote");
  g_string_append (out, res->breakdown != NULL && *res->breakdown == '{' ? res->breakdown : "{}");
  parkd_json_append_member (out, "created_at");
  parkd_json_append_string (out, res->created_at);
  parkd_json_append_member (out, "updated_at");
  parkd_json_append_string (out, res->updated_at);
  append_nullable (out, "checked_in_at", res->checked_in_at);
  append_nullable (out, "checked_out_at", res->checked_out_at);
  append_nullable (out, "cancelled_at", res->cancelled_at);
  g_string_append_c (out, '}');
}

static void
reply_reservation (ParkdRequest           *r,
                   int                     status,
                   const ParkdReservation *res)
{
  GString *out = g_string_sized_new (2048);

  parkd_json_append_reservation (out, res);
  parkd_reply_json (r, status, out);
}

static void
reply_conflict (ParkdRequest *r,
                const char   *message,
                const char   *start,
                const char   *end)
{
  /* The taken range rides in "detail" and in headers a client can read without parsing. */
  if (start != NULL && end != NULL)
    {
      g_autofree char *range = g_strdup_printf ("%s/%s", start, end);

      parkd_reply_add_header (r, "x-conflict-range", range);
      parkd_reply_problem (r, 409, "spot-taken", NULL, "%s: taken from %s to %s", message,
                           start, end);
    }
  else
    parkd_reply_problem (r, 409, "spot-taken", NULL, "%s", message);
}

/* Back on the loop with the batcher's answer. */
static void
booking_finished (ParkdRequest *r,
                  gpointer      data)
{
  g_autoptr(ParkdBookingResult) result = data;
  const GError *error = result->error;

  if (error == NULL)
    {
      if (result->replayed)
        parkd_reply_add_header (r, "idempotent-replayed", "true");
      reply_reservation (r, result->replayed ? result->replayed_status : 201,
                         result->reservation);
      return;
    }
  if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT))
    reply_conflict (r, error->message, result->conflict_start, result->conflict_end);
  else if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_MISMATCH))
    parkd_reply_problem (r, 422, "idempotency-key-reused", NULL, "%s", error->message);
  else if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE) &&
           strstr (error->message, "discount") != NULL)
    parkd_reply_problem (r, 409, "discount-used-up", "discount_code", "%s", error->message);
  else if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE))
    parkd_reply_problem (r, 409, "spot-out-of-service", "parking_spot_id", "%s",
                         error->message);
  else if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
    parkd_reply_problem (r, 404, "not-found", NULL, "%s", error->message);
  else
    parkd_reply_error (r, error);
}

/* On the batcher's thread: hand the result to the request's loop. */
static void
booking_done (ParkdBookingResult *result,
              gpointer            user_data)
{
  parkd_request_resume (user_data, booking_finished, result,
                        (GDestroyNotify) parkd_booking_result_free);
}

static gint64
quote_discount (const char *breakdown)
{
  g_autoptr(JsonNode) node = parkd_json_parse_object (breakdown, strlen (breakdown), NULL);

  return node != NULL ? json_object_get_int_member_with_default (json_node_get_object (node),
                                                                 "discount", 0) : 0;
}

/* A kiosk is open to anyone walking by: it may not hold the lot's spots by the dozen. At most
 * --kiosk-booking-limit guest bookings an hour per kiosk, counted in the database so that
 * every replica counts the same ones. FALSE when the request has been answered. */
static gboolean
guest_quota_left (ParkdRequest *r,
                  GDateTime    *now)
{
  int limit = parkd_server_get_config (r->server)->kiosk_booking_limit;
  g_autoptr(GDateTime) hour_ago = g_date_time_add_hours (now, -1);
  g_autofree char *since = format_utc (hour_ago), *oldest = NULL;
  g_autoptr(GDateTime) first = NULL, frees = NULL;
  g_autoptr(GError) error = NULL;
  char value[16];
  gint64 made, wait_s;

  if (limit <= 0)
    return TRUE;
  made = parkd_store_count_guest_bookings (r->store, r->kiosk->id, since, &oldest, &error);
  if (made < 0)
    {
      parkd_reply_error (r, error);
      return FALSE;
    }
  if (made < limit)
    return TRUE;
  /* The next one may be made when the first of the hour is an hour old. */
  first = oldest != NULL ? g_date_time_new_from_iso8601 (oldest, NULL) : NULL;
  frees = first != NULL ? g_date_time_add_hours (first, 1) : NULL;
  wait_s = frees != NULL ? g_date_time_difference (frees, now) / G_USEC_PER_SEC + 1 : 60;
  wait_s = CLAMP (wait_s, 1, 3600);
  g_snprintf (value, sizeof value, "%" G_GINT64_FORMAT, wait_s);
  parkd_reply_add_header (r, "retry-after", value);
  parkd_reply_problem (r, 429, "rate-limited", NULL,
                       "Too many bookings without an account at this kiosk; try again in "
                       "%" G_GINT64_FORMAT " s", wait_s);
  return FALSE;
}

/* A key seen before answers at once: the first answer again for the same request (even if
 * booking it now would fail: its quote expired, its discount is used up), 422 for another.
 * FALSE when the key is new (or there is none). */
static gboolean
replay_booking (ParkdRequest           *r,
                const ParkdIdempotency *idem)
{
  g_autofree char *resource = NULL;
  g_autoptr(ParkdReservation) res = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!parkd_request_idempotency_seen (r, idem, &status, &resource))
    return TRUE;
  if (resource == NULL)
    return FALSE;
  res = parkd_store_get_reservation (r->store, resource, &error);
  if (res == NULL)
    {
      parkd_reply_error (r, error);
      return TRUE;
    }
  parkd_reply_add_header (r, "idempotent-replayed", "true");
  reply_reservation (r, status, res);
  return TRUE;
}

/* The body of POST /reservations and of .../spots/{spot_id}/reserve, once the lot and
 * (maybe) the spot are known. */
static void
book (ParkdRequest *r,
      const char   *lot_id,
      const char   *spot_id)
{
  static const char * const allowed[] = {
    "parking_lot_id", "parking_spot_id", "spot_type", "start_time", "end_time", "quote_id",
    "discount_code", "plate", NULL
  };
  static const char * const read_only[] = {
    "id", "code", "status", "total_cost", "paid", "user_id", "hold_until", NULL
  };
  g_autoptr(GDateTime) start = NULL, end = NULL, now = NULL, hold = NULL;
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(ParkdSpot) spot = NULL;
  g_autoptr(ParkdQuote) quote = NULL;
  g_autoptr(ParkdPricing) pricing = NULL;
  g_autoptr(ParkdStoredQuote) stored = NULL;
  g_autoptr(GString) breakdown = g_string_sized_new (1024);
  g_autoptr(GError) error = NULL;
  g_autofree char *start_text = NULL, *end_text = NULL, *hold_text = NULL;
  g_autofree char *discount_id = NULL, *plate_shown = NULL, *plate_bare = NULL;
  g_autoptr(GBytes) plate_sealed = NULL;
  g_auto(ParkdIdempotency) idem = { 0, };
  const char *start_in = NULL, *end_in = NULL, *type_text = NULL, *quote_id = NULL;
  const char *discount_code = NULL, *plate_in = NULL;
  /* No driver signed in: a guest at the kiosk of r->kiosk (admit() let only that through). */
  gboolean guest = r->principal == NULL;
  guint hold_minutes;
  const char *body_lot = NULL, *body_spot = NULL;
  ParkdSpotType type = PARKD_SPOT_TYPE_REGULAR;
  ParkdNewReservation req = { 0, };
  gint64 total;

  if (guest && r->kiosk == NULL)
    {
      parkd_reply_problem (r, 401, "unauthorized", NULL, "Sign in to use this resource");
      return;
    }
  if (!parkd_request_allow_params (r, NULL) || !parkd_request_read_idempotency (r, &idem) ||
      replay_booking (r, &idem))
    return;
  if (!parkd_body_allow (r, allowed, read_only) ||
      !parkd_body_string (r, "parking_lot_id", FALSE, 64, &body_lot, NULL) ||
      !parkd_body_string (r, "parking_spot_id", FALSE, 64, &body_spot, NULL) ||
      !parkd_body_string (r, "spot_type", FALSE, 16, &type_text, NULL) ||
      !parkd_body_string (r, "start_time", TRUE, 40, &start_in, NULL) ||
      !parkd_body_string (r, "end_time", TRUE, 40, &end_in, NULL) ||
      !parkd_body_string (r, "quote_id", FALSE, 64, &quote_id, NULL) ||
      !parkd_body_string (r, "discount_code", FALSE, 32, &discount_code, NULL) ||
      !parkd_body_string (r, "plate", guest, 20, &plate_in, NULL))
    return;
  /* The booth and enforcement know a guest's car only by its plate. */
  if (plate_in != NULL)
    {
      if (!parkd_accounts_normalise_plate (r, plate_in, &plate_shown, &plate_bare))
        return;
      plate_sealed = parkd_keys_seal (parkd_auth_get_keys (r->auth), plate_shown);
    }

  /* The path names the lot and the spot for .../reserve; the body must not disagree. */
  if (lot_id != NULL && ((body_lot != NULL && g_ascii_strcasecmp (body_lot, lot_id) != 0) ||
                         (body_spot != NULL && g_ascii_strcasecmp (body_spot, spot_id) != 0)))
    {
      parkd_reply_problem (r, 400, "invalid-field", body_lot != NULL ? "parking_lot_id"
                                                                     : "parking_spot_id",
                           "The body names another lot or spot than the address");
      return;
    }
  if (lot_id == NULL)
    {
      lot_id = body_lot;
      spot_id = body_spot;
    }
  if (spot_id != NULL && !parkd_request_is_uuid (spot_id))
    {
      parkd_reply_problem (r, 400, "invalid-field", "parking_spot_id",
                           "\"parking_spot_id\" must be a spot id (UUID)");
      return;
    }
  if (lot_id != NULL && !parkd_request_is_uuid (lot_id))
    {
      parkd_reply_problem (r, 400, "invalid-field", "parking_lot_id",
                           "\"parking_lot_id\" must be a lot id (UUID)");
      return;
    }
  if (spot_id == NULL && (lot_id == NULL || type_text == NULL))
    {
      parkd_reply_problem (r, 400, "missing-field", spot_id == NULL && lot_id == NULL
                                                    ? "parking_spot_id" : "spot_type",
                           "Give \"parking_spot_id\", or \"parking_lot_id\" and \"spot_type\" "
                           "and parkd picks a free spot");
      return;
    }
  if (type_text != NULL && !parkd_spot_type_from_string (type_text, &type))
    {
      parkd_reply_problem (r, 400, "invalid-field", "spot_type",
                           "\"spot_type\" must be one of regular, disabled, ev, compact, "
                           "motorcycle");
      return;
    }
  if ((start = read_time (r, "start_time", start_in)) == NULL ||
      (end = read_time (r, "end_time", end_in)) == NULL || !check_window (r, start, end))
    return;

  if (spot_id != NULL)
    {
      spot = parkd_store_get_spot (r->store, spot_id, &error);
      if (spot == NULL || (lot_id != NULL && g_ascii_strcasecmp (spot->lot_id, lot_id) != 0))
        {
          if (error != NULL &&
              !g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
            parkd_reply_error (r, error);
          else
            parkd_reply_problem (r, 404, "not-found", "parking_spot_id",
                                 "There is no such spot in this lot");
          return;
        }
      if (type_text != NULL && type != spot->type)
        {
          parkd_reply_problem (r, 400, "invalid-field", "spot_type",
                               "This spot is a %s spot, not %s",
                               parkd_spot_type_to_string (spot->type), type_text);
          return;
        }
      type = spot->type;
      lot_id = spot->lot_id;
    }
  if ((lot = get_lot_or_404 (r, lot_id, "parking_lot_id")) == NULL)
    return;
  if (guest && !g_str_equal (lot->operator_id, r->kiosk->operator_id))
    {
      parkd_reply_problem (r, 403, "forbidden", "parking_lot_id",
                           "This kiosk books only at its own operator's lots");
      return;
    }
  if (g_strcmp0 (lot->status, "closed") == 0)
    {
      parkd_reply_problem (r, 409, "lot-closed", "parking_lot_id", "This lot is closed");
      return;
    }
  if ((quote = price_stay (r, lot, type, start, end, &pricing)) == NULL ||
      !apply_discount (r, lot, quote, discount_code, "discount_code", &discount_id))
    return;
  start_text = format_utc (start);
  end_text = format_utc (end);
  now = g_date_time_new_now_utc ();

  /* A quote given within its ten minutes, for this very stay, fixes the price. */
  total = quote->total;
  parkd_quote_append_json (breakdown, quote);
  if (quote_id != NULL)
    {
      g_autofree char *now_text = format_utc (now);

      stored = parkd_request_is_uuid (quote_id) ? parkd_store_get_quote (r->store, quote_id, NULL)
                                                : NULL;
      if (stored == NULL || !g_str_equal (stored->lot_id, lot->id) ||
          stored->spot_type != type || !g_str_equal (stored->start_time, start_text) ||
          !g_str_equal (stored->end_time, end_text))
        {
          parkd_reply_problem (r, 400, "invalid-field", "quote_id",
                               "This quote is for another lot, spot type or time");
          return;
        }
      if (strcmp (stored->expires_at, now_text) < 0)
        {
          parkd_reply_problem (r, 409, "quote-expired", "quote_id",
                               "This quote has expired; ask for a new one");
          return;
        }
      /* A quote priced with a discount code is honoured only with that code, which then
       * counts as used. */
      if (discount_id == NULL && quote_discount (stored->breakdown) > 0)
        {
          parkd_reply_problem (r, 400, "missing-field", "discount_code",
                               "This quote was given with a discount code; send the code too");
          return;
        }
      /* The quoted price stands, unless a discount code given now makes it lower. */
      if (quote->total < stored->total && discount_id != NULL)
        total = quote->total;
      else
        {
          total = stored->total;
          g_string_assign (breakdown, stored->breakdown);
        }
    }

  hold_minutes = parkd_pricing_get_hold_minutes (pricing);
  if (guest)
    {
      if (!guest_quota_left (r, now))
        return;
      hold_minutes = MIN (hold_minutes, GUEST_HOLD_MINUTES);
    }
  if (total > 0)
    {
      hold = g_date_time_add_minutes (now, hold_minutes);
      hold_text = format_utc (hold);
    }

  req.user_id = guest ? NULL : r->principal->user_id;
  req.kiosk_id = guest ? r->kiosk->id : NULL;
  req.plate_sealed = plate_sealed;
  req.lot_id = lot->id;
  req.spot_id = spot != NULL ? spot->id : NULL;
  req.spot_type = type;
  req.start_time = start_text;
  req.end_time = end_text;
  req.total = total;
  req.currency = lot->currency;
  req.breakdown = breakdown->str;
  req.quote_id = stored != NULL ? stored->id : NULL;
  req.hold_until = hold_text;
  req.discount_id = discount_id;
  req.idem_scope = idem.scope;
  req.idem_key = idem.key;
  req.idem_route = idem.route;
  req.idem_hash = idem.body_hash;

  /* On the store's pool (a store across the network) the thread waits for its booking;
   * on the loop the booking goes to the store's writer and the request waits, suspended. */
  if (r->off_loop)
    booking_finished (r, parkd_store_book (r->store, &req));
  else
    parkd_store_book_async (r->store, &req, booking_done, parkd_request_suspend (r));
}

void
parkd_handle_reservation_create (ParkdRequest *r)
{
  book (r, NULL, NULL);
}

void
parkd_handle_spot_reserve (ParkdRequest *r)
{
  if (!parkd_request_read_id (r, "lot"))
    return;
  if (!parkd_request_is_uuid (r->params[1]))
    {
      parkd_reply_problem (r, 400, "invalid-parameter", "spot_id", "The spot id must be a UUID");
      return;
    }
  for (char *p = (char *) r->params[1]; *p != '\0'; p++)
    *p = g_ascii_tolower (*p);
  book (r, r->params[0], r->params[1]);
}

void
parkd_handle_reservations_list (ParkdRequest *r)
{
  static const char * const params[] = { "status", "page", "per_page", NULL };
  g_autoptr(ParkdPage) page = NULL;
  g_autoptr(GError) error = NULL;
  const char *status = parkd_request_param (r, "status");
  ParkdReservationStatus s;
  guint n = 1, per_page = 20;

  if (!parkd_request_allow_params (r, params) ||
      !parkd_request_uint (r, "page", 1, 100000, &n) ||
      !parkd_request_uint (r, "per_page", 1, 100, &per_page))
    return;
  if (status != NULL && !parkd_reservation_status_from_string (status, &s))
    {
      parkd_reply_problem (r, 400, "invalid-parameter", "status",
                           "\"status\" must be one of pending_payment, confirmed, checked_in, "
                           "completed, cancelled, expired, no_show");
      return;
    }
  page = parkd_store_list_reservations (r->store, r->principal->user_id, status, n, per_page,
                                        &error);
  if (page == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  parkd_reply_json (r, 200, parkd_page_to_json (page, parkd_json_append_reservation_item));
}

void
parkd_json_append_reservation_item (GString       *out,
                                    gconstpointer  item,
                                    GDateTime     *now)
{
  parkd_json_append_reservation (out, item);
}

/* The reservation when the caller may see it: its driver, or staff of its operator (and
 * admins); anyone else gets the 404 an unknown id gets. */
static ParkdReservation *
get_visible_reservation (ParkdRequest *r)
{
  g_autoptr(GError) error = NULL;
  ParkdReservation *res;

  if (!parkd_request_read_id (r, "reservation"))
    return NULL;
  res = parkd_store_get_reservation (r->store, r->params[0], &error);
  if (res == NULL && !g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
    {
      parkd_reply_error (r, error);
      return NULL;
    }
  if (res != NULL && !parkd_request_owns_reservation (r, res) &&
      (r->principal == NULL || r->principal->role == PARKD_ROLE_DRIVER ||
       !parkd_request_sees_operator (r, res->operator_id)))
    g_clear_pointer (&res, parkd_reservation_free);
  if (res == NULL)
    parkd_reply_problem (r, 404, "not-found", NULL, "There is no reservation with this id");
  return res;
}

void
parkd_handle_reservation_get (ParkdRequest *r)
{
  g_autoptr(ParkdReservation) res = NULL;

  if (!parkd_request_allow_params (r, NULL) || (res = get_visible_reservation (r)) == NULL)
    return;
  reply_reservation (r, 200, res);
}

/* PUT: a later end_time, at the price of the whole new stay (never less than what was
 * already agreed). */
void
parkd_handle_reservation_update (ParkdRequest *r)
{
  static const char * const allowed[] = { "end_time", NULL };
  static const char * const read_only[] = {
    "id", "code", "status", "start_time", "parking_spot_id", "parking_lot_id", "total_cost",
    "paid", "user_id", NULL
  };
  g_autoptr(ParkdReservation) res = NULL;
  g_autoptr(GDateTime) start = NULL, end = NULL;
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(ParkdQuote) quote = NULL;
  g_autoptr(ParkdBookingResult) result = NULL;
  g_autoptr(GString) breakdown = g_string_sized_new (1024);
  g_autofree char *end_text = NULL;
  const char *end_in = NULL;

  if (!parkd_request_allow_params (r, NULL) || !parkd_body_allow (r, allowed, read_only) ||
      !parkd_body_string (r, "end_time", TRUE, 40, &end_in, NULL) ||
      (res = get_visible_reservation (r)) == NULL)
    return;
  if (!parkd_request_owns_reservation (r, res))
    {
      parkd_reply_problem (r, 403, "forbidden", NULL, "Only the driver can change a booking");
      return;
    }
  if ((end = read_time (r, "end_time", end_in)) == NULL)
    return;
  start = g_date_time_new_from_iso8601 (res->start_time, NULL);
  end_text = format_utc (end);
  if (strcmp (end_text, res->end_time) <= 0)
    {
      parkd_reply_problem (r, 400, "invalid-field", "end_time",
                           "A booking can only be extended: the new end must be later");
      return;
    }
  if ((lot = get_lot_or_404 (r, res->lot_id, NULL)) == NULL ||
      (quote = price_stay (r, lot, res->spot_type, start, end, NULL)) == NULL)
    return;
  parkd_quote_append_json (breakdown, quote);

  result = parkd_store_extend_reservation (r->store, res->id, end_text,
                                           MAX (quote->total, res->total), breakdown->str);
  if (result->error == NULL)
    reply_reservation (r, 200, result->reservation);
  else if (g_error_matches (result->error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT))
    reply_conflict (r, result->error->message, result->conflict_start, result->conflict_end);
  else if (g_error_matches (result->error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE))
    parkd_reply_problem (r, 409, "invalid-state", NULL, "%s", result->error->message);
  else
    parkd_reply_error (r, result->error);
}

/* DELETE: cancel. Free until the start; after that the lot's policy decides how much of
 * what was paid comes back (the answer's "paid" shows what is kept). */
void
parkd_handle_reservation_cancel (ParkdRequest *r)
{
  g_autoptr(ParkdReservation) res = NULL, cancelled = NULL;
  g_autoptr(GError) error = NULL;
  ParkdAudit audit;

  if (!parkd_request_allow_params (r, NULL) || (res = get_visible_reservation (r)) == NULL)
    return;
  parkd_request_audit_init (r, &audit, "reservation.cancel", "reservation", res->id,
                            res->operator_id);
  /* Its payment page (if any) closes first: nobody pays for a spot given up. */
  parkd_payments_end_checkouts (r, res->id);
  cancelled = parkd_store_set_reservation_status (r->store, res->id,
                                                  PARKD_RESERVATION_CANCELLED,
                                                  parkd_request_owns_reservation (r, res)
                                                  ? NULL : &audit, &error);
  if (cancelled == NULL)
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE))
        parkd_reply_problem (r, 409, "invalid-state", NULL, "%s", error->message);
      else
        parkd_reply_error (r, error);
      return;
    }

  if (cancelled->paid > 0)
    {
      g_autofree char *policy = parkd_store_get_pricing (r->store, cancelled->lot_id, NULL);
      g_autoptr(ParkdLot) lot = parkd_store_get_lot (r->store, cancelled->lot_id, NULL);
      g_autoptr(ParkdPricing) pricing = lot != NULL ? parkd_pricing_new (policy, lot->hourly_rate,
                                                                         NULL) : NULL;
      g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 (cancelled->start_time, NULL);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      gint64 due = pricing != NULL ? parkd_pricing_cancellation_refund (pricing, cancelled->paid,
                                                                        start, now) : 0;

      if (due > 0 && parkd_payments_refund (r, cancelled->id, due, "cancelled") > 0)
        {
          ParkdReservation *reread = parkd_store_get_reservation (r->store, cancelled->id, NULL);

          if (reread != NULL)
            {
              parkd_reservation_free (cancelled);
              cancelled = reread;
            }
        }
    }
  reply_reservation (r, 200, cancelled);
}
