/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-handler-shifts.c: the booth's drawer and board. An attendant opens a shift with a
 * float, takes cash at check-outs (attributed to the open shift by the store), and closes
 * it with the cash counted against what should be there: float + cash taken - change given
 * - cash refunds. The board is what the booth watches: bookings arriving soon, cars past
 * their time, and a search over the lot's bookings and stays.
 */
#include "config.h"

#include "parkd-handler-accounts.h"

#include <string.h>

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

static void
append_shift (GString          *out,
              const ParkdShift *s)
{
  g_string_append_c (out, '{');
  parkd_json_append_member (out, "id");
  parkd_json_append_string (out, s->id);
  parkd_json_append_member (out, "attendant_id");
  parkd_json_append_string (out, s->attendant_id);
  append_nullable (out, "attendant_email", s->attendant_email);
  append_nullable (out, "parking_lot_id", s->lot_id);
  parkd_json_append_member (out, "status");
  parkd_json_append_string (out, s->closed_at == NULL ? "open" : "closed");
  parkd_json_append_member (out, "currency");
  parkd_json_append_string (out, s->currency);
  parkd_json_append_member (out, "float");
  parkd_json_append_int (out, s->float_amount);
  parkd_json_append_member (out, "opened_at");
  parkd_json_append_string (out, s->opened_at);
  append_nullable (out, "closed_at", s->closed_at);
  parkd_json_append_member (out, "payments");
  parkd_json_append_uint (out, s->n_payments);
  parkd_json_append_member (out, "taken");
  parkd_json_append_int (out, s->taken);
  parkd_json_append_member (out, "change_given");
  parkd_json_append_int (out, s->change_given);
  parkd_json_append_member (out, "refunds");
  parkd_json_append_uint (out, s->n_refunds);
  parkd_json_append_member (out, "refunded");
  parkd_json_append_int (out, s->refunded);
  parkd_json_append_member (out, "expected");
  parkd_json_append_int (out, s->expected);
  parkd_json_append_member (out, "counted");
  if (s->counted >= 0)
    parkd_json_append_int (out, s->counted);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "difference");
  if (s->counted >= 0)
    parkd_json_append_int (out, s->counted - s->expected);
  else
    g_string_append (out, "null");
  parkd_json_append_member (out, "note");
  parkd_json_append_string (out, s->note != NULL ? s->note : "");
  g_string_append_c (out, '}');
}

static void
reply_shift (ParkdRequest     *r,
             int               status,
             const ParkdShift *s)
{
  GString *out = g_string_sized_new (768);

  append_shift (out, s);
  parkd_reply_json (r, status, out);
}

/* Shifts are an operator's staff's: an admin has no drawer. FALSE when answered. */
static gboolean
require_drawer (ParkdRequest *r)
{
  if (r->principal->operator_id[0] == '\0')
    {
      parkd_reply_problem (r, 403, "forbidden", NULL,
                           "Shifts are for an operator's attendants and operators");
      return FALSE;
    }
  return TRUE;
}

/* The shift of the path when the caller may see it: their own, or (an operator, an admin)
 * one of an operator they see. NULL when answered. */
static ParkdShift *
get_visible_shift (ParkdRequest *r)
{
  g_autoptr(GError) error = NULL;
  ParkdShift *s = NULL;

  if (parkd_request_is_uuid (r->params[0]))
    {
      g_autofree char *id = g_ascii_strdown (r->params[0], -1);

      s = parkd_store_get_shift (r->store, id, &error);
    }
  if (s != NULL && !g_str_equal (s->attendant_id, r->principal->user_id) &&
      (r->principal->role == PARKD_ROLE_ATTENDANT ||
       !parkd_request_sees_operator (r, s->operator_id)))
    g_clear_pointer (&s, parkd_shift_free);
  if (s == NULL)
    {
      if (error != NULL &&
          !g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        parkd_reply_error (r, error);
      else
        parkd_reply_problem (r, 404, "not-found", NULL, "There is no shift with this id");
    }
  return s;
}

/*
 * POST /api/v1/shifts {float, parking_lot_id?}
 *
 * Opens the caller's shift with @float (minor units) in the drawer, at the booth of the lot
 * when given. 201 the shift; 400 a missing or negative float; 403 an admin; 404 a lot not
 * the caller's operator's; 409 shift-open when one is open already.
 */
void
parkd_handle_shift_open (ParkdRequest *r)
{
  static const char * const allowed[] = { "float", "parking_lot_id", NULL };
  static const char * const read_only[] = { "id", "status", "expected", "counted", NULL };
  g_autoptr(ParkdOperator) op = NULL;
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(ParkdShift) shift = NULL;
  g_autoptr(GError) error = NULL;
  const char *lot_id = NULL;
  gint64 float_amount = 0;
  ParkdShift want = { 0, };

  if (!parkd_request_allow_params (r, NULL) || !require_drawer (r) ||
      !parkd_body_allow (r, allowed, read_only) ||
      !parkd_body_int (r, "float", TRUE, 0, 100000000, &float_amount, NULL) ||
      !parkd_body_string (r, "parking_lot_id", FALSE, 64, &lot_id, NULL) ||
      !parkd_request_resolve_operator (r, NULL, TRUE, TRUE, &op))
    return;
  if (lot_id != NULL)
    {
      if (parkd_request_is_uuid (lot_id))
        lot = parkd_store_get_lot (r->store, lot_id, NULL);
      if (lot == NULL || !g_str_equal (lot->operator_id, op->id))
        {
          parkd_reply_problem (r, 404, "not-found", "parking_lot_id",
                               "There is no lot with this id");
          return;
        }
    }
  want.attendant_id = r->principal->user_id;
  want.operator_id = op->id;
  want.lot_id = lot != NULL ? lot->id : NULL;
  want.currency = lot != NULL ? lot->currency : op->currency;
  want.float_amount = float_amount;
  shift = parkd_store_open_shift (r->store, &want, &error);
  if (shift == NULL)
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_CONFLICT))
        parkd_reply_problem (r, 409, "shift-open", NULL,
                             "A shift is open already; close it before opening another");
      else
        parkd_reply_error (r, error);
      return;
    }
  reply_shift (r, 201, shift);
}

/* GET /api/v1/shifts/current: the caller's open shift with its totals so far; 404
 * no-open-shift. */
void
parkd_handle_shift_current (ParkdRequest *r)
{
  g_autoptr(ParkdShift) shift = NULL;
  g_autoptr(GError) error = NULL;

  if (!parkd_request_allow_params (r, NULL) || !require_drawer (r))
    return;
  shift = parkd_store_get_open_shift (r->store, r->principal->user_id, &error);
  if (shift == NULL)
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_NOT_FOUND))
        parkd_reply_problem (r, 404, "no-open-shift", NULL, "No shift is open; open one first");
      else
        parkd_reply_error (r, error);
      return;
    }
  reply_shift (r, 200, shift);
}

/*
 * GET /api/v1/shifts/{id}: the shift report, the shift with every payment and refund
 * attributed to it, oldest first. 404 unknown, or not the caller's to see.
 */
void
parkd_handle_shift_report (ParkdRequest *r)
{
  g_autoptr(ParkdShift) shift = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  GString *out;

  if (!parkd_request_allow_params (r, NULL) || (shift = get_visible_shift (r)) == NULL)
    return;
  entries = parkd_store_shift_entries (r->store, shift->id, &error);
  if (entries == NULL)
    {
      parkd_reply_error (r, error);
      return;
    }
  out = g_string_sized_new (1024 + 256 * entries->len);
  g_string_append (out, "{\"shift\":");
  append_shift (out, shift);
  g_string_append (out, ",\"entries\":[");
  for (guint i = 0; i < entries->len; i++)
    {
      ParkdShiftEntry *e = g_ptr_array_index (entries, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      parkd_json_append_member (out, "kind");
      parkd_json_append_string (out, e->kind);
      parkd_json_append_member (out, "id");
      parkd_json_append_string (out, e->id);
      parkd_json_append_member (out, "payment_id");
      parkd_json_append_string (out, e->payment_id);
      parkd_json_append_member (out, "amount");
      parkd_json_append_int (out, e->amount);
      parkd_json_append_member (out, "tendered");
      if (e->tendered >= 0)
        parkd_json_append_int (out, e->tendered);
      else
        g_string_append (out, "null");
      parkd_json_append_member (out, "change");
      if (e->change_given >= 0)
        parkd_json_append_int (out, e->change_given);
      else
        g_string_append (out, "null");
      append_nullable (out, "ticket", e->ticket);
      append_nullable (out, "reservation_code", e->reservation_code);
      append_nullable (out, "reason", e->reason);
      parkd_json_append_member (out, "created_at");
      parkd_json_append_string (out, e->created_at);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");
  parkd_reply_json (r, 200, out);
}

/*
 * POST /api/v1/shifts/{id}/close {counted, note?}
 *
 * Closes the caller's own shift with the cash @counted in the drawer; the answer has the
 * expected total and the difference (counted - expected). 400 a missing or negative count;
 * 404; 409 shift-closed.
 */
void
parkd_handle_shift_close (ParkdRequest *r)
{
  static const char * const allowed[] = { "counted", "note", NULL };
  static const char * const read_only[] = { "id", "status", "expected", "difference", NULL };
  g_autoptr(ParkdShift) shift = NULL, closed = NULL;
  g_autoptr(GError) error = NULL;
  const char *note = NULL;
  gint64 counted = 0;

  if (!parkd_request_allow_params (r, NULL) || !parkd_body_allow (r, allowed, read_only) ||
      !parkd_body_int (r, "counted", TRUE, 0, 1000000000, &counted, NULL) ||
      !parkd_body_string (r, "note", FALSE, 500, &note, NULL) ||
      (shift = get_visible_shift (r)) == NULL)
    return;
  /* Only whoever holds the drawer counts it. */
  if (!g_str_equal (shift->attendant_id, r->principal->user_id))
    {
      parkd_reply_problem (r, 403, "forbidden", NULL,
                           "Only the attendant of this shift can close it");
      return;
    }
  closed = parkd_store_close_shift (r->store, shift->id, counted, note, &error);
  if (closed == NULL)
    {
      if (g_error_matches (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_STATE))
        parkd_reply_problem (r, 409, "shift-closed", NULL, "This shift is closed already");
      else
        parkd_reply_error (r, error);
      return;
    }
  reply_shift (r, 200, closed);
}

/* ---- The booth's board ------------------------------------------------------------- */

static void
append_board_item (GString              *out,
                   const ParkdBoardItem *item,
                   const char           *plate)
{
  g_autofree char *name = g_strstrip (g_strdup_printf ("%s %s",
                                                        item->first_name != NULL
                                                        ? item->first_name : "",
                                                        item->last_name != NULL
                                                        ? item->last_name : ""));

  g_string_append_c (out, '{');
  parkd_json_append_member (out, "kind");
  parkd_json_append_string (out, item->kind);
  parkd_json_append_member (out, "id");
  parkd_json_append_string (out, item->id);
  parkd_json_append_member (out, "reference");
  parkd_json_append_string (out, item->reference);
  parkd_json_append_member (out, "status");
  parkd_json_append_string (out, item->status);
  append_nullable (out, "plate", plate);
  append_nullable (out, "name", *name != '\0' ? name : NULL);
  append_nullable (out, "spot_number", item->spot_number);
  parkd_json_append_member (out, "start_time");
  parkd_json_append_string (out, item->start_time);
  append_nullable (out, "end_time", item->end_time);
  g_string_append_c (out, '}');
}

/* Letters and digits only, upper case: how plates, codes and tickets are compared. */
static char *
bare (const char *text)
{
  GString *b = g_string_new (NULL);

  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (b, g_unichar_toupper (c));
    }
  return g_string_free (b, FALSE);
}

static gboolean
matches (const ParkdBoardItem *item,
         const char           *plate,
         const char           *q_bare,
         const char           *q_fold)
{
  g_autofree char *ref = bare (item->reference);
  g_autofree char *p = bare (plate);
  g_autofree char *who = g_strdup_printf ("%s %s %s",
                                           item->first_name != NULL ? item->first_name : "",
                                           item->last_name != NULL ? item->last_name : "",
                                           item->email != NULL ? item->email : "");
  g_autofree char *name = g_utf8_casefold (who, -1);

  if (*q_bare != '\0' && (g_str_has_prefix (ref, q_bare) || strstr (p, q_bare) != NULL))
    return TRUE;
  return *q_fold != '\0' && strstr (name, q_fold) != NULL;
}

static gboolean
append_list (ParkdRequest   *r,
             GString        *out,
             const char     *name,
             const char     *lot_id,
             ParkdBoardList  list,
             const char     *now,
             const char     *until,
             const char     *q)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *q_bare = bare (q);
  g_autofree char *q_fold = q != NULL ? g_utf8_casefold (q, -1) : g_strdup ("");
  ParkdKeys *keys = parkd_auth_get_keys (r->auth);
  guint n = 0;

  items = parkd_store_board (r->store, lot_id, list, now, until, &error);
  if (items == NULL)
    {
      parkd_reply_error (r, error);
      return FALSE;
    }
  g_strstrip (q_fold);
  parkd_json_append_member (out, name);
  g_string_append_c (out, '[');
  for (guint i = 0; i < items->len && n < 50; i++)
    {
      ParkdBoardItem *item = g_ptr_array_index (items, i);
      g_autofree char *plate = item->plate_sealed != NULL
                               ? parkd_keys_open (keys, item->plate_sealed, NULL) : NULL;

      if (q != NULL && !matches (item, plate, q_bare, q_fold))
        continue;
      if (n++ > 0)
        g_string_append_c (out, ',');
      append_board_item (out, item, plate);
    }
  g_string_append_c (out, ']');
  return TRUE;
}

static char *
format_utc (GDateTime *t)
{
  return g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
}

/*
 * GET /api/v1/parking-lots/{id}/board?q=
 *
 * The booth's board of a lot (staff of its operator): bookings starting within the next
 * hour and not over, confirmed or still held for payment (arrivals), cars past their time (overstays: paid and not out
 * by leave_by, or a booking's stay past its end), and with @q the bookings and stays
 * matching it by code or ticket (prefix), plate (part) or driver's name or e-mail (matches).
 * At most 50 of each. 400 a @q of more than 64 characters; 404 the lot.
 */
void
parkd_handle_lot_board (ParkdRequest *r)
{
  static const char * const params[] = { "q", NULL };
  g_autoptr(ParkdLot) lot = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) hour = g_date_time_add_hours (now, 1);
  g_autoptr(GDateTime) day_ago = g_date_time_add_days (now, -1);
  g_autofree char *now_text = format_utc (now);
  g_autofree char *hour_text = format_utc (hour);
  g_autofree char *day_text = format_utc (day_ago);
  const char *q = parkd_request_param (r, "q");
  GString *out;

  if (!parkd_request_allow_params (r, params))
    return;
  if (q != NULL && (g_utf8_strlen (q, -1) > 64 || !g_utf8_validate (q, -1, NULL)))
    {
      parkd_reply_problem (r, 400, "invalid-parameter", "q",
                           "\"q\" must be at most 64 characters");
      return;
    }
  if (parkd_request_is_uuid (r->params[0]))
    lot = parkd_store_get_lot (r->store, r->params[0], NULL);
  if (lot == NULL || !parkd_request_sees_operator (r, lot->operator_id))
    {
      parkd_reply_problem (r, 404, "not-found", "id", "There is no lot with this id");
      return;
    }
  out = g_string_sized_new (4096);
  g_string_append (out, "{\"parking_lot_id\":");
  parkd_json_append_string (out, lot->id);
  parkd_json_append_member (out, "time");
  parkd_json_append_string (out, now_text);
  if (!append_list (r, out, "arrivals", lot->id, PARKD_BOARD_ARRIVALS, now_text, hour_text,
                    NULL) ||
      !append_list (r, out, "overstays", lot->id, PARKD_BOARD_OVERSTAYS, now_text, NULL, NULL) ||
      (q != NULL && !append_list (r, out, "matches", lot->id, PARKD_BOARD_CURRENT, now_text,
                                  day_text, q)))
    {
      g_string_free (out, TRUE);
      return;
    }
  if (q == NULL)
    g_string_append (out, ",\"matches\":[]");
  g_string_append_c (out, '}');
  parkd_reply_json (r, 200, out);
}
