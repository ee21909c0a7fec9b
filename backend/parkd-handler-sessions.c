/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-handler-sessions.c: the attendant's work at the booth. A car comes in (by plate, or
 * with a booking's code), gets a ticket, pays what its stay cost and then has the lot's exit
 * grace to drive out; a lost ticket is found again by the plate, or the lot's lost-ticket fee
 * applies. Every payment is a payment row with a receipt, like a booking's.
 */
#include "config.h"

#include "parkd-handler-accounts.h"
#include "parkd-pricing.h"

#include <string.h>

static void
append_session (GString                   *out,
                ParkdKeys                 *keys,
                const ParkdParkingSession *s)
{
  g_autofree char *plate = parkd_keys_open (keys, s->plate_sealed, NULL);

  g_string_append_c (out, '{');
  parkd_json_append_member (out, "id");
  parkd_json_append_string (out, s->id);
  parkd_json_append_member (out, "ticket");
  parkd_json_append_string (out, s->ticket);
  parkd_json_append_member (out, "parking_lot_id");
  parkd_json_append_string (out, s->lot_id);
  parkd_json_append_member (out, "parking_spot_id");
  if (s->spot_id != NULL)
    parkd_json_append_string (out, s->spot_id);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "spot_number");
  if (s->spot_number != NULL)
    parkd_json_append_string (out, s->spot_number);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "reservation_id");
  if (s->reservation_id != NULL)
    parkd_json_append_string (out, s->reservation_id);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "plate");
  parkd_json_append_string (out, plate != NULL ? plate : "");
  parkd_json_append_member (out, "status");
  parkd_json_append_string (out, s->status);
  parkd_json_append_member (out, "checked_in_at");
  parkd_json_append_string (out, s->checked_in_at);
  parkd_json_append_member (out, "paid_at");
  if (s->paid_at != NULL)
    parkd_json_append_string (out, s->paid_at);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "leave_by");
  if (s->leave_by != NULL)
    parkd_json_append_string (out, s->leave_by);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "checked_out_at");
  if (s->checked_out_at != NULL)
    parkd_json_append_string (out, s->checked_out_at);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "fee");
  if (s->fee >= 0)
    parkd_json_append_int (out, s->fee);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "currency");
  parkd_json_append_string (out, s->currency);
  parkd_json_append_member (out, "breakdown");
  g_string_append (out, s->breakdown != NULL && *s->breakdown == '{' ? s->breakdown : "null");
  parkd_json_append_member (out, "time_zone");
  parkd_json_append_string (out, s->time_zone);
  g_string_append_c (out, '}');
}

static void
reply_session (ParkdRequest              *r,
               int                        status,
               const ParkdParkingSession *s)
{
  GString *out = g_string_sized_new (1024);

  append_session (out, parkd_auth_get_keys (r->auth), s);
  parkd_reply_json (r, status, out);
}

/* The lot, when it is the caller's operator's (or the caller is an admin); else 404. */
static ParkdLot *
get_staff_lot (ParkdRequest *r,
               const char   *lot_id)
{
  g_autoptr(GError) error = NULL;
  ParkdLot *lot = parkd_request_is_uuid (lot_id)
                  ? parkd_store_get_lot (r->store, lot_id, &error) : NULL;

  if (lot != NULL && !parkd_request_sees_operator (r, lot->operator_id))
    g_clear_pointer (&lot, parkd_lot_free);
  if (lot == NULL)
    {
      if (error != NULL &&
          !g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        parkd_reply_error (r, error);
      else
        parkd_reply_problem (r, 404, "not-found", "parking_lot_id",
                             "There is no lot with this id");
    }
  return lot;
}

/* A check-in sent again with its Idempotency-Key (its answer was lost): the stay it made,
 * as it is now, with the first status. FALSE when the key is new (or there is none). */
static gboolean
replay_check_in (ParkdRequest           *r,
                 const ParkdIdempotency *idem)
{
  g_autofree char *resource = NULL;
  g_autoptr(ParkdParkingSession) s = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!parkd_request_idempotency_seen (r, idem, &status, &resource))
    return TRUE;
  if (resource == NULL)
    return FALSE;
  s = parkd_store_get_parking_session (r->store, resource, &error);
  if (s == NULL)
    {
      parkd_reply_error (r, error);
      return TRUE;
    }
  parkd_reply_add_header (r, "idempotent-replayed", "true");
  reply_session (r, status, s);
  return TRUE;
}

/*
 * POST /api/v1/sessions {parking_lot_id, plate, parking_spot_id?, reservation_code?}
 *
 * 201 the stay (print its ticket); with an Idempotency-Key sent before with the same body,
 * the stay of the first answer (Idempotent-Replayed), 422 when the key was used for another
 * request. 400, 404 lot/spot/booking, 409 spot-occupied or a booking not to check in now.
 */
void
parkd_handle_session_check_in (ParkdRequest *r)
{
  static const char * const allowed[] = {
    "parking_lot_id", "plate", "parking_spot_id", "reservation_code", NULL
  };
  static const char * const read_only[] = { "id", "ticket", "status", "fee", NULL };
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(ParkdParkingSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL, *bare = NULL, *code = NULL;
  g_auto(ParkdIdempotency) idem = { 0, };
  const char *lot_id = NULL, *plate = NULL, *spot_id = NULL, *code_in = NULL;
  ParkdKeys *keys = parkd_auth_get_keys (r->auth);
  ParkdParkingSession want = { 0, };
  gboolean replayed = FALSE;

  if (!parkd_request_allow_params (r, NULL) || !parkd_request_read_idempotency (r, &idem) ||
      replay_check_in (r, &idem) || !parkd_body_allow (r, allowed, read_only) ||
      !parkd_body_string (r, "parking_lot_id", TRUE, 64, &lot_id, NULL) ||
      !parkd_body_string (r, "plate", TRUE, 20, &plate, NULL) ||
      !parkd_body_string (r, "parking_spot_id", FALSE, 64, &spot_id, NULL) ||
      !parkd_body_string (r, "reservation_code", FALSE, 16, &code_in, NULL) ||
      !parkd_accounts_normalise_plate (r, plate, &display, &bare) ||
      (lot = get_staff_lot (r, lot_id)) == NULL)
    return;
  if (spot_id != NULL && !parkd_request_is_uuid (spot_id))
    {
      parkd_reply_problem (r, 400, "invalid-field", "parking_spot_id",
                           "\"parking_spot_id\" must be a spot id (UUID)");
      return;
    }
  if (code_in != NULL)
    {
      /* Read aloud or typed at a kiosk: case and spaces do not matter. */
      GString *c = g_string_new (NULL);

      for (const char *p = code_in; *p != '\0'; p++)
        if (!g_ascii_isspace (*p) && *p != '-')
          g_string_append_c (c, g_ascii_toupper (*p));
      code = g_string_free (c, FALSE);
    }

  want.lot_id = lot->id;
  want.spot_id = code == NULL ? (char *) spot_id : NULL;
  want.plate_sealed = parkd_keys_seal (keys, display);
  want.plate_hash = parkd_keys_lookup_hash (keys, bare);
  want.attendant_id = r->principal->user_id;
  session = parkd_store_check_in (r->store, &want, code, &idem, &replayed, &error);
  g_bytes_unref (want.plate_sealed);
  g_bytes_unref (want.plate_hash);
  if (session == NULL)
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT))
        parkd_reply_problem (r, 409, "spot-occupied", "parking_spot_id", "%s", error->message);
      else if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE))
        parkd_reply_problem (r, 409, "invalid-state", "reservation_code", "%s", error->message);
      else if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        parkd_reply_problem (r, 404, "not-found", code != NULL ? "reservation_code"
                                                              : "parking_spot_id",
                             "%s", error->message);
      else if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_MISMATCH))
        parkd_reply_problem (r, 422, "idempotency-key-reused", NULL, "%s", error->message);
      else
        parkd_reply_error (r, error);
      return;
    }
  /* The same request raced its first copy into the store. */
  if (replayed)
    parkd_reply_add_header (r, "idempotent-replayed", "true");
  reply_session (r, 201, session);
}

/* GET /api/v1/sessions?parking_lot_id=&plate=: the car's stay when its ticket is lost. */
void
parkd_handle_sessions_find (ParkdRequest *r)
{
  static const char * const params[] = { "parking_lot_id", "plate", NULL };
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) hash = NULL;
  g_autofree char *display = NULL, *bare = NULL;
  const char *lot_id = parkd_request_param (r, "parking_lot_id");
  const char *plate = parkd_request_param (r, "plate");
  GString *out;

  if (!parkd_request_allow_params (r, params))
    return;
  if (lot_id == NULL || plate == NULL)
    {
      parkd_reply_problem (r, 400, "missing-parameter", lot_id == NULL ? "parking_lot_id"
                                                                       : "plate",
                           "Give \"parking_lot_id\" and \"plate\"");
      return;
    }
  if (!parkd_accounts_normalise_plate (r, plate, &display, &bare) ||
      (lot = get_staff_lot (r, lot_id)) == NULL)
    return;
  hash = parkd_keys_lookup_hash (parkd_auth_get_keys (r->auth), bare);
  found = parkd_store_find_parking_sessions (r->store, lot->id, hash, &error);
  if (found == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  out = g_string_sized_new (256 + 1024 * found->len);
  g_string_append (out, "{\"items\":[");
  for (guint i = 0; i < found->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_session (out, parkd_auth_get_keys (r->auth), g_ptr_array_index (found, i));
    }
  g_string_append_printf (out, "],\"total\":%u,\"page\":1,\"per_page\":%u,\"has_next\":false,"
                          "\"has_prev\":false}", found->len, MAX (found->len, 1));
  parkd_reply_json (r, 200, out);
}

static ParkdParkingSession *
get_staff_session (ParkdRequest *r)
{
  g_autoptr(GError) error = NULL;
  ParkdParkingSession *s = NULL;
  g_autofree char *key = g_ascii_strup (r->params[0], -1);

  /* Ids are lower case, tickets upper case. */
  s = parkd_store_get_parking_session (r->store, parkd_request_is_uuid (r->params[0])
                                                 ? r->params[0] : key, &error);
  if (s == NULL && parkd_request_is_uuid (r->params[0]))
    {
      g_autofree char *lower = g_ascii_strdown (r->params[0], -1);

      g_clear_error (&error);
      s = parkd_store_get_parking_session (r->store, lower, &error);
    }
  if (s != NULL && !parkd_request_sees_operator (r, s->operator_id))
    g_clear_pointer (&s, parkd_parking_session_free);
  if (s == NULL)
    {
      if (error != NULL &&
          !g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        parkd_reply_error (r, error);
      else
        parkd_reply_problem (r, 404, "not-found", NULL, "There is no stay with this id or ticket");
    }
  return s;
}

void
parkd_handle_session_get (ParkdRequest *r)
{
  g_autoptr(ParkdParkingSession) s = NULL;

  if (!parkd_request_allow_params (r, NULL) || (s = get_staff_session (r)) == NULL)
    return;
  reply_session (r, 200, s);
}

/* The lot of a stay and its pricing policy; FALSE (answered 503) when it cannot be priced. */
static gboolean
get_pricing (ParkdRequest  *r,
             const char    *lot_id,
             ParkdLot     **lot,
             ParkdPricing **pricing)
{
  g_autofree char *policy = parkd_store_get_pricing (r->store, lot_id, NULL);

  *lot = parkd_store_get_lot (r->store, lot_id, NULL);
  if (*lot == NULL || policy == NULL ||
      (*pricing = parkd_pricing_new (policy, (*lot)->hourly_rate, NULL)) == NULL)
    {
      g_clear_pointer (lot, parkd_lot_free);
      parkd_reply_problem (r, 503, "unavailable", NULL, "This lot cannot be priced right now");
      return FALSE;
    }
  return TRUE;
}

/* What a stay owes now, with its @breakdown. An active walk-in: nothing within the grace,
 * its time at the lot's prices otherwise; an active booking's stay: only the time past its
 * end, when it is later than its exit grace; a lost ticket: at least the lost-ticket fee. A
 * paid stay past its leave_by: the time since it was paid (the caller lets it go free
 * before). */
static gboolean
fee_now (ParkdRequest              *r,
         const ParkdParkingSession *s,
         ParkdLot                  *lot,
         ParkdPricing              *pricing,
         gboolean                   lost_ticket,
         gint64                    *fee,
         GString                   *breakdown)
{
  g_autoptr(ParkdQuote) quote = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkdSpot) spot = NULL;
  ParkdSpotType type = PARKD_SPOT_TYPE_REGULAR;
  gint64 lost = 0;

  if (s->spot_id != NULL && (spot = parkd_store_get_spot (r->store, s->spot_id, NULL)) != NULL)
    type = spot->type;
  if (lost_ticket && g_str_equal (s->status, "active"))
    lost = parkd_pricing_get_lost_ticket_fee (pricing);

  if (g_str_equal (s->status, "paid"))
    from = g_date_time_new_from_iso8601 (s->paid_at, NULL);
  else if (s->reservation_id != NULL)
    {
      g_autoptr(GDateTime) end = g_date_time_new_from_iso8601 (s->reservation_end, NULL);

      from = g_date_time_add_minutes (end, parkd_pricing_get_exit_grace_minutes (pricing));
      if (g_date_time_compare (now, from) <= 0)
        g_clear_pointer (&from, g_date_time_unref);
      else
        {
          g_clear_pointer (&from, g_date_time_unref);
          from = g_date_time_ref (end);
        }
    }
  else
    {
      from = g_date_time_new_from_iso8601 (s->checked_in_at, NULL);
      if (parkd_pricing_is_within_grace (pricing, from, now))
        g_clear_pointer (&from, g_date_time_unref);
    }

  *fee = 0;
  if (from != NULL)
    {
      quote = parkd_pricing_quote (pricing, lot->time_zone, lot->currency,
                                   parkd_spot_type_to_string (type), from, now, 0, &error);
      if (quote == NULL)
        {
          parkd_reply_problem (r, 409, "invalid-state", NULL,
                               "This stay cannot be priced: %s", error->message);
          return FALSE;
        }
      *fee = quote->total;
      parkd_quote_append_json (breakdown, quote);
    }
  else
    g_string_append_printf (breakdown, "{\"lines\":[],\"total\":0,\"currency\":\"%s\"}",
                            lot->currency);
  if (lost > *fee)
    {
      g_string_printf (breakdown, "{\"lines\":[{\"label\":\"Lost ticket\",\"amount\":%"
                       G_GINT64_FORMAT "}],\"total\":%" G_GINT64_FORMAT ",\"currency\":\"%s\"}",
                       lost, lost, lot->currency);
      *fee = lost;
    }
  return TRUE;
}

/* A validation (a shop's stamp) or discount code of the lot's operator taken off @fee;
 * FALSE (answered) when it is unknown, expired or used up. */
static gboolean
validate (ParkdRequest              *r,
          const ParkdParkingSession *s,
          const char                *code,
          gint64                    *fee,
          GString                   *breakdown,
          char                     **discount_id)
{
  g_autoptr(ParkdDiscount) d = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = parkd_now_rfc3339 ();
  gint64 off;

  d = parkd_store_find_discount (r->store, s->operator_id, code, &error);
  if (d == NULL)
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        parkd_reply_problem (r, 400, "invalid-field", "validation_code",
                             "This code is not valid at this lot");
      else
        parkd_reply_error (r, error);
      return FALSE;
    }
  if ((d->expires_at != NULL && strcmp (d->expires_at, now) <= 0) ||
      (d->max_uses > 0 && d->uses >= d->max_uses))
    {
      parkd_reply_problem (r, 409, "discount-used-up", "validation_code",
                           "This code is used up or has expired");
      return FALSE;
    }
  off = MIN (*fee, d->percent_off > 0 ? (*fee * d->percent_off + 50) / 100 : d->amount_off);
  *fee -= off;
  /* The breakdown is a JSON object written above: the validation goes in before its end. */
  g_string_truncate (breakdown, breakdown->len - 1);
  g_string_append (breakdown, ",\"validation\":{");
  parkd_json_append_member (breakdown, "code");
  parkd_json_append_string (breakdown, d->code);
  parkd_json_append_member (breakdown, "amount_off");
  parkd_json_append_int (breakdown, off);
  g_string_append (breakdown, "},\"due\":");
  parkd_json_append_int (breakdown, *fee);
  g_string_append_c (breakdown, '}');
  *discount_id = g_strdup (d->id);
  return TRUE;
}

/* The answer of a check-out: the stay as it is now and what this check-out took. */
static void
reply_checked_out (ParkdRequest              *r,
                   int                        status,
                   const ParkdParkingSession *s,
                   const ParkdPayment        *p)
{
  GString *out = g_string_sized_new (2048);

  g_string_append (out, "{\"session\":");
  append_session (out, parkd_auth_get_keys (r->auth), s);
  parkd_json_append_member (out, "fee");
  parkd_json_append_int (out, p != NULL ? p->amount : 0);
  parkd_json_append_member (out, "tendered");
  if (p != NULL && p->tendered >= 0)
    parkd_json_append_int (out, p->tendered);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "change");
  parkd_json_append_int (out, p != NULL && p->change_given >= 0 ? p->change_given : 0);
  parkd_json_append_member (out, "payment_id");
  if (p != NULL)
    parkd_json_append_string (out, p->id);
  else
    g_string_append (out, "null");
  g_string_append_c (out, '}');
  parkd_reply_json (r, status, out);
}

/* A check-out sent again with its Idempotency-Key: what it took then (its payment, or
 * nothing when the car left within its grace) and the stay as it is now, with the first
 * status, even though the stay has moved on since. FALSE when the key is new. */
static gboolean
replay_check_out (ParkdRequest           *r,
                  const ParkdIdempotency *idem)
{
  g_autofree char *resource = NULL;
  g_autoptr(ParkdParkingSession) s = NULL;
  g_autoptr(ParkdPayment) p = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!parkd_request_idempotency_seen (r, idem, &status, &resource))
    return TRUE;
  if (resource == NULL)
    return FALSE;
  if (g_str_has_prefix (resource, "payment:"))
    p = parkd_store_get_payment (r->store, resource + strlen ("payment:"), &error);
  if (p != NULL || g_str_has_prefix (resource, "session:"))
    s = parkd_store_get_parking_session (r->store, p != NULL ? p->session_id
                                                             : resource + strlen ("session:"),
                                         &error);
  if (s == NULL)
    {
      if (error != NULL)
        parkd_reply_error (r, error);
      else
        parkd_reply_problem (r, 422, "idempotency-key-reused", NULL,
                             "This Idempotency-Key was used for another request");
      return TRUE;
    }
  parkd_reply_add_header (r, "idempotent-replayed", "true");
  reply_checked_out (r, status, s, p);
  return TRUE;
}

/* A card charge of the stay's fee through Stripe, as a booking's is paid: the client's
 * payment method token, the Idempotency-Key in Stripe's key. FALSE when answered: declined
 * (402, nothing recorded: the stay stays payable, in cash too), or not completed. */
static gboolean
charge_card (ParkdRequest              *r,
             const ParkdParkingSession *s,
             const ParkdLot            *lot,
             const char                *payment_method,
             gint64                     fee,
             ParkdPayment              *payment)
{
  g_autoptr(ParkdStripeIntent) intent = NULL;
  /* One charge per step of the stay (its fee, then a late exit's extra time), whatever the
   * amount: a retry moments later must not charge again because the price moved meanwhile. */
  g_autofree char *subject = g_strdup_printf ("session:%s:%s", s->id, s->status);
  g_autofree char *description = g_strdup_printf ("Parking %s, ticket %s", lot->name, s->ticket);
  const char *metadata[] = { "session_id", s->id, "ticket", s->ticket, NULL };

  intent = parkd_payments_charge_card (r, subject, fee, s->currency, payment_method, description,
                                       metadata);
  if (intent == NULL)
    return FALSE;
  /* A card that asks its holder to confirm (3-D Secure) cannot be finished at the booth: its
   * client_secret is never handed out, so the intent is never confirmed and never charged. */
  if (g_strcmp0 (intent->status, "succeeded") != 0)
    {
      if (g_strcmp0 (intent->status, "requires_action") != 0 &&
          g_strcmp0 (intent->status, "requires_payment_method") != 0 &&
          g_strcmp0 (intent->status, "canceled") != 0)
        g_warning ("stripe: payment %s for stay %s is %s, not recorded", intent->id, s->id,
                   intent->status);
      parkd_reply_problem (r, 402, "card-not-completed", "payment_method",
                           "The card payment was not completed (%s); try another card or cash",
                           intent->status);
      return FALSE;
    }
  payment->provider = (char *) "stripe";
  payment->provider_ref = g_strdup (intent->id);
  return TRUE;
}

/* The same card payment recorded by a copy of this request that got there first: its answer.
 * FALSE when there is none. */
static gboolean
reply_recorded_charge (ParkdRequest              *r,
                       const ParkdParkingSession *s,
                       const char                *provider_ref)
{
  g_autoptr(ParkdPayment) known = parkd_store_get_payment_by_ref (r->store, "stripe",
                                                                   provider_ref, NULL);
  g_autoptr(ParkdParkingSession) now = NULL;

  if (known == NULL || g_strcmp0 (known->session_id, s->id) != 0 ||
      (now = parkd_store_get_parking_session (r->store, s->id, NULL)) == NULL)
    return FALSE;
  parkd_reply_add_header (r, "idempotent-replayed", "true");
  reply_checked_out (r, 200, now, known);
  return TRUE;
}

/*
 * POST /api/v1/sessions/{id}/check-out {tendered?, lost_ticket?, validation_code?,
 *                                       provider?, payment_method?}
 *
 * Two steps at the booth, the same call: an active stay pays what it owes (cash, tendered at
 * least the fee, or a card through Stripe; nothing within the grace) and becomes paid, with
 * leave_by the lot's exit grace later; a paid stay leaves and is completed, free until its
 * leave_by, paying the time since it was paid after it. Each payment, of 0 too, is a payment
 * row with a receipt (payment_id). With an Idempotency-Key sent before with the same body,
 * the first answer again (Idempotent-Replayed), not a second step: a retry after a lost
 * answer is not an exit.
 * 200; 400 for a missing or short tendered, tendered with a card, a refused payment method;
 * 402 card-declined or card-not-completed (nothing recorded: try cash); 404; 409 invalid-state
 * (checked out already, or paid meanwhile), discount-used-up; 422 idempotency-key-reused; 502
 * Stripe unreachable; 503 card payments off, or the lot cannot be priced.
 */
void
parkd_handle_session_check_out (ParkdRequest *r)
{
  static const char * const allowed[] = {
    "tendered", "lost_ticket", "validation_code", "provider", "payment_method", NULL
  };
  static const char * const read_only[] = { "fee", "status", "id", "payment_id", NULL };
  g_autoptr(ParkdParkingSession) s = NULL;
  g_autoptr(ParkdCheckOutResult) done = NULL;
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(ParkdPricing) pricing = NULL;
  g_autoptr(GString) breakdown = g_string_sized_new (512);
  g_autoptr(GError) error = NULL;
  g_autofree char *discount_id = NULL, *now = parkd_now_rfc3339 ();
  g_auto(ParkdIdempotency) idem = { 0, };
  const char *code = NULL, *provider = "cash", *payment_method = NULL;
  gint64 fee = 0, tendered = -1;
  gboolean lost = FALSE, has_tendered = FALSE, by_card;
  ParkdPayment payment = { 0, };
  ParkdCheckOut request = { 0, };

  if (!parkd_request_allow_params (r, NULL) || !parkd_request_read_idempotency (r, &idem) ||
      replay_check_out (r, &idem) || !parkd_body_allow (r, allowed, read_only) ||
      !parkd_body_int (r, "tendered", FALSE, 0, 100000000, &tendered, &has_tendered) ||
      !parkd_body_bool (r, "lost_ticket", &lost, NULL) ||
      !parkd_body_string (r, "validation_code", FALSE, 32, &code, NULL) ||
      !parkd_body_string (r, "provider", FALSE, 16, &provider, NULL))
    return;
  by_card = g_str_equal (provider, "stripe");
  if (!by_card && !g_str_equal (provider, "cash"))
    {
      parkd_reply_problem (r, 400, "invalid-field", "provider",
                           "\"provider\" must be cash or stripe");
      return;
    }
  if (by_card && has_tendered)
    {
      parkd_reply_problem (r, 400, "invalid-field", "tendered",
                           "\"tendered\" is for cash, not with a card");
      return;
    }
  if (!parkd_body_string (r, "payment_method", by_card, 255, &payment_method, NULL) ||
      (s = get_staff_session (r)) == NULL)
    return;
  if (by_card && r->stripe == NULL)
    {
      parkd_reply_problem (r, 503, "card-payments-off", "provider",
                           "Card payments are not set up here; take cash");
      return;
    }
  if (g_str_equal (s->status, "completed"))
    {
      parkd_reply_problem (r, 409, "invalid-state", NULL, "This car has checked out already");
      return;
    }
  if (!get_pricing (r, s->lot_id, &lot, &pricing))
    return;

  request.session_id = s->id;
  request.from_status = s->status;
  request.idem = &idem;
  request.exit_grace_minutes = parkd_pricing_get_exit_grace_minutes (pricing);
  /* Paid and leaving within the exit grace: nothing more to take. */
  if (g_str_equal (s->status, "paid") && s->leave_by != NULL && strcmp (now, s->leave_by) <= 0)
    request.payment = NULL;
  else
    {
      g_autoptr(GString) due = g_string_new (NULL);

      if (!fee_now (r, s, lot, pricing, lost, &fee, breakdown) ||
          (code != NULL && fee > 0 && !validate (r, s, code, &fee, breakdown, &discount_id)))
        return;
      parkd_money_append (due, fee, s->currency);
      if (!by_card && fee > 0 && (!has_tendered || tendered < fee))
        {
          parkd_reply_problem (r, 400, has_tendered ? "invalid-field" : "missing-field",
                               "tendered", "%s is due", due->str);
          return;
        }
      /* Nothing due is charged to no card: a payment of 0, with its receipt. */
      if (by_card && fee > 0)
        {
          if (!charge_card (r, s, lot, payment_method, fee, &payment))
            return;
          payment.tendered = payment.change_given = -1;
        }
      else
        {
          payment.provider = (char *) "cash";
          payment.tendered = has_tendered ? tendered : -1;
          payment.change_given = has_tendered ? tendered - fee : -1;
          /* The cash is in this attendant's drawer. */
          payment.attendant_id = r->principal->user_id;
        }
      payment.amount = fee;
      payment.currency = s->currency;
      payment.status = (char *) "succeeded";
      payment.breakdown = breakdown->str;
      request.payment = &payment;
      request.discount_id = discount_id;
    }

  done = parkd_store_check_out (r->store, &request, &error);
  if (done == NULL && payment.provider_ref != NULL)
    {
      gboolean refunded;

      if (reply_recorded_charge (r, s, payment.provider_ref))
        {
          g_free (payment.provider_ref);
          return;
        }
      /* Money taken for a stay that meanwhile was paid or left, or that could not be
       * written, goes back to the card: the driver pays again, the way the booth says. */
      refunded = parkd_payments_void_charge (r, payment.provider_ref, fee, s->currency,
                                             s->operator_id, error->message);
      g_free (payment.provider_ref);
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE))
        parkd_reply_problem (r, 409, "invalid-state", NULL, "%s; the card payment %s",
                             error->message, refunded ? "was refunded" : "will be refunded");
      else
        parkd_reply_problem (r, 503, "payment-not-recorded", NULL,
                             "The card payment could not be recorded (%s) and %s; try again",
                             error->message, refunded ? "was refunded" : "will be refunded");
      return;
    }
  g_free (payment.provider_ref);
  if (done == NULL)
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE) &&
          discount_id != NULL && strstr (error->message, "discount") != NULL)
        parkd_reply_problem (r, 409, "discount-used-up", "validation_code", "%s",
                             error->message);
      else if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE))
        parkd_reply_problem (r, 409, "invalid-state", NULL, "%s", error->message);
      else if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_MISMATCH))
        parkd_reply_problem (r, 422, "idempotency-key-reused", NULL, "%s", error->message);
      else
        parkd_reply_error (r, error);
      return;
    }
  if (done->replayed)
    parkd_reply_add_header (r, "idempotent-replayed", "true");
  reply_checked_out (r, done->replayed ? done->replayed_status : 200, done->session,
                     done->payment);
}

/*
 * GET /api/v1/sessions/{id}/fee?lost_ticket=
 *
 * What a check-out would take now, with its breakdown, so the booth can tell the driver
 * before taking money (issue 8). Changes nothing. A paid stay within its leave_by owes 0.
 * 200 {session_id, ticket, status, fee, currency, breakdown}; 400 lost_ticket not a boolean;
 * 404; 409 invalid-state for a stay that has left; 503 the lot cannot be priced.
 */
void
parkd_handle_session_fee (ParkdRequest *r)
{
  static const char * const params[] = { "lost_ticket", NULL };
  g_autoptr(ParkdParkingSession) s = NULL;
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(ParkdPricing) pricing = NULL;
  g_autoptr(GString) breakdown = g_string_sized_new (512);
  g_autofree char *now = parkd_now_rfc3339 ();
  gboolean lost = FALSE;
  gint64 fee = 0;
  GString *out;

  if (!parkd_request_allow_params (r, params) ||
      !parkd_request_bool (r, "lost_ticket", &lost) || (s = get_staff_session (r)) == NULL)
    return;
  if (g_str_equal (s->status, "completed"))
    {
      parkd_reply_problem (r, 409, "invalid-state", NULL, "This car has checked out already");
      return;
    }
  if (!get_pricing (r, s->lot_id, &lot, &pricing))
    return;
  if (g_str_equal (s->status, "paid") && s->leave_by != NULL && strcmp (now, s->leave_by) <= 0)
    g_string_append_printf (breakdown, "{\"lines\":[],\"total\":0,\"currency\":\"%s\"}",
                            lot->currency);
  else if (!fee_now (r, s, lot, pricing, lost, &fee, breakdown))
    return;
  out = g_string_sized_new (1024);
  g_string_append (out, "{\"session_id\":");
  parkd_json_append_string (out, s->id);
  parkd_json_append_member (out, "ticket");
  parkd_json_append_string (out, s->ticket);
  parkd_json_append_member (out, "status");
  parkd_json_append_string (out, s->status);
  parkd_json_append_member (out, "fee");
  parkd_json_append_int (out, fee);
  parkd_json_append_member (out, "currency");
  parkd_json_append_string (out, s->currency);
  parkd_json_append_member (out, "breakdown");
  g_string_append (out, breakdown->str);
  g_string_append_c (out, '}');
  parkd_reply_json (r, 200, out);
}

/*
 * GET /api/v1/sessions/{id}/payments
 *
 * A stay's payments, oldest first: its check-out, and a late exit's, each with the id of its
 * receipt, so the booth can print a receipt again for a stay paid earlier (issue 8). Staff of
 * the stay's operator; {id} is the stay's id or its ticket. 200 a page of payments (all of
 * them); 404 no such stay of the caller's operator.
 */
void
parkd_handle_session_payments (ParkdRequest *r)
{
  g_autoptr(ParkdParkingSession) s = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;

  if (!parkd_request_allow_params (r, NULL) || (s = get_staff_session (r)) == NULL)
    return;
  payments = parkd_store_list_stay_payments (r->store, s->id, &error);
  if (payments == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  parkd_reply_payment_list (r, payments);
}
