/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tui-view-check-out.c: a car leaves. Found by its ticket, or by its plate when the ticket
 * is lost; the fee and its breakdown are shown before any money changes hands; cash (with
 * the change worked out while the amount is typed) or a card; the receipt, printed on
 * request; then the barrier: a paid car is let out.
 */
#include "config.h"

#include "tui-screen.h"
#include "tui-crt.h"
#include "tui-function-bar.h"
#include "tui-panel.h"

#include <glib/gi18n.h>

typedef enum
{
  STATE_EMPTY,
  STATE_CHOOSING,   /* several stays match the plate */
  STATE_LOADED,     /* a stay and what it owes */
  STATE_DONE,       /* the car left */
} State;

static struct
{
  State               state;
  TuiForm            *form;
  ParkSession        *session;
  ParkPriceBreakdown *breakdown;
  gint64              fee;          /* due now; -1 while it is being read */
  gboolean            lost;
  gint64              paid;         /* the last payment; -1 none */
  gint64              tendered;
  gint64              change;
  char               *payment_id;
  char               *receipt;
  char               *idempotency_key;
  GListModel         *choices;
  TuiPanel            panel;
  gboolean            receipt_loading; /* a paid stay's receipt is on its way */
  gboolean            print_pending;   /* p was pressed before it came */
  gboolean            show_receipt; /* the whole receipt instead of the payment */
  int                 receipt_top;  /* its first line shown */
} co = { .fee = -1, .paid = -1 };

static void load (TuiScreen *screen, ParkSession *session);
static void receipt_cb (GObject *source, GAsyncResult *result, gpointer data);
static void print_receipt (TuiScreen *screen);

static const char *
currency (void)
{
  return co.session != NULL ? park_session_get_currency (co.session) : "";
}

static void
reset_payment (void)
{
  co.paid = co.tendered = co.change = -1;
  g_clear_pointer (&co.payment_id, g_free);
  g_clear_pointer (&co.receipt, g_free);
  co.receipt_loading = co.print_pending = FALSE;
  co.show_receipt = FALSE;
  co.receipt_top = 0;
}

/* The receipt's widest line, in columns: it is laid out for a receipt printer. */
static int
receipt_width (char **lines)
{
  int widest = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    widest = MAX (widest, (int) g_utf8_strlen (lines[i], -1));
  return widest;
}

/* ---- Finding the stay ------------------------------------------------------------------ */

static void
find_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  TuiScreen *screen = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = park_client_find_sessions_finish (PARK_CLIENT (source), result,
                                                                  &error);
  guint n;

  if (found == NULL)
    {
      g_autofree char *text = tui_screen_describe_error (screen, error, _("Looking up the car"));

      if (text != NULL && tui_screen_has_form (screen, co.form))
        tui_form_set_error (co.form, text);
      tui_screen_queue_redraw (screen);
      return;
    }
  n = g_list_model_get_n_items (found);
  if (n == 0)
    {
      if (tui_screen_has_form (screen, co.form))
        tui_form_set_error (co.form, _("No car with this ticket or plate is in the lot. Check "
                                       "it, or search with /."));
      tui_screen_queue_redraw (screen);
      return;
    }
  tui_screen_close_form (screen, co.form);
  co.form = NULL;
  if (n == 1)
    {
      g_autoptr(ParkSession) session = g_list_model_get_item (found, 0);

      load (screen, session);
      return;
    }
  g_set_object (&co.choices, found);
  co.state = STATE_CHOOSING;
  co.panel.selected = 0;
  tui_screen_set_status (screen, FALSE, _("%u cars with this plate: choose one, then Enter."), n);
}

static void
get_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  TuiScreen *screen = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkSession) session = park_client_get_session_finish (PARK_CLIENT (source), result,
                                                                   &error);

  if (session == NULL)
    {
      g_autofree char *text = NULL;

      /* Not a ticket: perhaps a plate (a lost ticket). */
      if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_NOT_FOUND) ||
          g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_VALIDATION))
        {
          if (tui_screen_has_form (screen, co.form))
            park_client_find_sessions_async (screen->client, screen->lot_id,
                                             tui_form_get_value (co.form, 0),
                                             screen->cancellable, find_cb, screen);
          return;
        }
      text = tui_screen_describe_error (screen, error, _("Looking up the car"));
      if (text != NULL && tui_screen_has_form (screen, co.form))
        tui_form_set_error (co.form, text);
      tui_screen_queue_redraw (screen);
      return;
    }
  tui_screen_backend_ok (screen);
  tui_screen_close_form (screen, co.form);
  co.form = NULL;
  load (screen, session);
}

static gboolean
find_submit (TuiForm  *form,
             gpointer  data)
{
  TuiScreen *screen = data;
  g_autofree char *text = g_strstrip (g_strdup (tui_form_get_value (form, 0)));

  if (*text == '\0')
    {
      tui_form_set_error (form, _("Type the ticket code, or the plate for a lost ticket."));
      return FALSE;
    }
  tui_form_set_busy (form, _("Looking up…"));
  park_client_get_session_async (screen->client, text, screen->cancellable, get_cb, screen);
  return FALSE;
}

static void
open_find_form (TuiScreen *screen)
{
  co.form = tui_form_new (_("Check out"), _("Enter: look up · Esc: cancel"));
  tui_form_add_weak_pointer (co.form, (gpointer *) &co.form);
  tui_form_set_text (co.form, _("The ticket code; for a lost ticket, the plate."));
  tui_form_add_field (co.form, _("Ticket or plate"), NULL, TUI_FIELD_UPPER, 20);
  tui_form_set_callbacks (co.form, find_submit, NULL, screen);
  tui_screen_open_form (screen, co.form);
}

void
tui_view_check_out_load (TuiScreen  *screen,
                         const char *ticket)
{
  tui_screen_show (screen, &tui_view_check_out);
  if (co.form == NULL || !tui_screen_has_form (screen, co.form))
    open_find_form (screen);
  tui_form_set_busy (co.form, _("Looking up…"));
  park_client_get_session_async (screen->client, ticket, screen->cancellable, get_cb, screen);
}

/* ---- The fee -------------------------------------------------------------------------- */

static void
fee_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  TuiScreen *screen = data;
  g_autoptr(GError) error = NULL;
  gint64 fee = 0;
  g_autoptr(ParkPriceBreakdown) breakdown = park_client_get_stay_fee_finish (PARK_CLIENT (source),
                                                                             result, &fee,
                                                                             &error);

  if (breakdown == NULL)
    {
      tui_screen_report_error (screen, error, _("Reading the fee"));
      return;
    }
  tui_screen_backend_ok (screen);
  g_set_object (&co.breakdown, breakdown);
  co.fee = fee;
  tui_screen_queue_redraw (screen);
}

static void
read_fee (TuiScreen *screen)
{
  co.fee = -1;
  g_clear_object (&co.breakdown);
  park_client_get_stay_fee_async (screen->client, park_session_get_id (co.session), co.lost,
                                  screen->cancellable, fee_cb, screen);
}

/* A stay paid earlier (the car came back to the booth, or the receipt is asked for after it
 * left): its last payment's receipt, to show and print again. */
static void
stay_payments_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  TuiScreen *screen = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) payments = park_client_list_stay_payments_finish (PARK_CLIENT (source),
                                                                          result, &error);
  g_autoptr(ParkPayment) last = NULL;

  if (payments == NULL)
    {
      if (tui_screen_report_error (screen, error, _("Reading the stay's receipt")))
        co.receipt_loading = co.print_pending = FALSE;
      return;
    }
  for (guint i = g_list_model_get_n_items (payments); i > 0 && last == NULL; i--)
    {
      g_autoptr(ParkPayment) p = g_list_model_get_item (payments, i - 1);
      ParkPaymentStatus status = park_payment_get_status (p);

      if (status != PARK_PAYMENT_STATUS_PENDING && status != PARK_PAYMENT_STATUS_FAILED)
        last = g_steal_pointer (&p);
    }
  /* Another car was looked up meanwhile, or a new payment was taken: that one counts. */
  if (co.session == NULL || co.payment_id != NULL ||
      (last != NULL && g_strcmp0 (park_payment_get_session_id (last),
                                  park_session_get_id (co.session)) != 0))
    return;
  if (last == NULL)
    {
      co.receipt_loading = co.print_pending = FALSE;
      return;
    }
  co.payment_id = g_strdup (park_payment_get_id (last));
  park_client_get_receipt_text_async (screen->client, co.payment_id, screen->cancellable,
                                      receipt_cb, screen);
}

static void
load (TuiScreen   *screen,
      ParkSession *session)
{
  g_set_object (&co.session, session);
  g_clear_object (&co.choices);
  reset_payment ();
  co.lost = FALSE;
  co.state = STATE_LOADED;
  co.receipt_loading = park_session_get_status (session) != PARK_SESSION_STATUS_ACTIVE;
  if (co.receipt_loading)
    park_client_list_stay_payments_async (screen->client, park_session_get_id (session),
                                          screen->cancellable, stay_payments_cb, screen);
  if (park_session_get_status (session) == PARK_SESSION_STATUS_COMPLETED)
    {
      co.state = STATE_DONE;
      tui_screen_set_status (screen, TRUE, _("Ticket %s has checked out already. n: next car."),
                             park_session_get_ticket (session));
      return;
    }
  read_fee (screen);
  tui_screen_set_status (screen, FALSE, park_session_get_status (session) ==
                         PARK_SESSION_STATUS_PAID
                         ? _("Paid already: x lets the car out.")
                         : _("c: cash · k: card · l: lost ticket · Esc: back"));
}

/* ---- Paying and leaving ----------------------------------------------------------------- */

static void
receipt_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  TuiScreen *screen = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = park_client_get_receipt_text_finish (PARK_CLIENT (source), result,
                                                               &error);

  if (text == NULL)
    {
      if (tui_screen_report_error (screen, error, _("Reading the receipt")))
        co.receipt_loading = co.print_pending = FALSE;
      return;
    }
  g_free (co.receipt);
  co.receipt = g_steal_pointer (&text);
  co.receipt_loading = FALSE;
  if (co.print_pending)
    {
      co.print_pending = FALSE;
      print_receipt (screen);
    }
  tui_screen_queue_redraw (screen);
}

static void
pay_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  TuiScreen *screen = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *payment_id = NULL;
  gint64 fee = 0, change = 0;
  g_autoptr(ParkSession) session = park_client_pay_stay_finish (PARK_CLIENT (source), result,
                                                                &fee, &change, &payment_id,
                                                                &error);
  gboolean leaving = co.session != NULL &&
                     park_session_get_status (co.session) == PARK_SESSION_STATUS_PAID;

  if (session == NULL)
    {
      g_autofree char *text = tui_screen_describe_error (screen, error, leaving
                                                         ? _("Letting the car out failed")
                                                         : _("Payment failed"));

      if (text == NULL)
        return;
      if (tui_screen_has_form (screen, co.form))
        tui_form_set_error (co.form, text);
      else
        tui_screen_set_status (screen, TRUE, "%s", text);
      /* A late exit owes the time since it was paid: show it. */
      if (leaving && g_strcmp0 (park_client_error_get_field (error), "tendered") == 0)
        {
          tui_screen_close_form (screen, co.form);
          co.form = NULL;
          reset_payment ();
          read_fee (screen);
          tui_screen_set_status (screen, TRUE, _("Past the exit grace: this car owes more. "
                                                 "c: cash · k: card"));
        }
      tui_screen_queue_redraw (screen);
      return;
    }
  tui_screen_backend_ok (screen);
  tui_screen_close_form (screen, co.form);
  co.form = NULL;
  g_clear_pointer (&co.idempotency_key, g_free);
  g_set_object (&co.session, session);
  if (park_session_get_status (session) == PARK_SESSION_STATUS_COMPLETED)
    {
      co.state = STATE_DONE;
      tui_screen_set_status (screen, FALSE, _("%s has left; spot %s is free."),
                             park_session_get_plate (session),
                             park_session_get_spot_number (session) != NULL
                             ? park_session_get_spot_number (session) : "—");
      /* Ready for the next car in the queue. */
      open_find_form (screen);
    }
  else
    {
      g_autofree char *paid = tui_format_money (fee, currency ());
      g_autofree char *back = tui_format_money (change, currency ());
      gint64 tendered = co.tendered;

      reset_payment ();
      co.tendered = tendered;
      co.paid = fee;
      co.change = change;
      co.payment_id = g_strdup (payment_id);
      co.fee = 0;
      if (change > 0)
        tui_screen_set_status (screen, FALSE, _("Paid %s. Give %s change."), paid, back);
      else
        tui_screen_set_status (screen, FALSE, _("Paid %s. p: print the receipt."), paid);
      if (payment_id != NULL)
        park_client_get_receipt_text_async (screen->client, payment_id, screen->cancellable,
                                            receipt_cb, screen);
    }
  tui_screen_refresh (screen);
}

static void
pay (TuiScreen           *screen,
     ParkPaymentProvider  provider,
     const char          *method,
     gint64               tendered)
{
  /* The same key for every retry of this payment: a lost answer is never paid twice. */
  if (co.idempotency_key == NULL)
    co.idempotency_key = g_uuid_string_random ();
  co.tendered = tendered;
  park_client_pay_stay_async (screen->client, park_session_get_id (co.session), provider, method,
                              tendered, co.lost, co.idempotency_key, screen->cancellable, pay_cb,
                              screen);
}

static void
cash_changed (TuiForm  *form,
              gpointer  data)
{
  gint64 given = tui_parse_money (tui_form_get_value (form, 0));
  g_autofree char *due = tui_format_money (co.fee, currency ());
  g_autofree char *text = NULL;

  if (given < 0)
    text = g_strdup_printf (_("Due: %s"), due);
  else if (given < co.fee)
    {
      g_autofree char *short_by = tui_format_money (co.fee - given, currency ());

      text = g_strdup_printf (_("Due: %s\nShort by %s"), due, short_by);
    }
  else
    {
      g_autofree char *change = tui_format_money (given - co.fee, currency ());

      text = g_strdup_printf (_("Due: %s\nChange: %s"), due, change);
    }
  tui_form_set_text (form, text);
}

static gboolean
cash_submit (TuiForm  *form,
             gpointer  data)
{
  TuiScreen *screen = data;
  gint64 given = tui_parse_money (tui_form_get_value (form, 0));

  if (co.fee > 0 && given < 0)
    {
      tui_form_set_error (form, _("Type the cash handed over, e.g. 20 or 20.50."));
      return FALSE;
    }
  if (given >= 0 && given < co.fee)
    {
      g_autofree char *due = tui_format_money (co.fee, currency ());
      g_autofree char *text = g_strdup_printf (_("Not enough: %s is due."), due);

      tui_form_set_error (form, text);
      return FALSE;
    }
  tui_form_set_busy (form, _("Recording the payment…"));
  pay (screen, PARK_PAYMENT_PROVIDER_CASH, NULL, given);
  return FALSE;
}

static gboolean
card_submit (TuiForm  *form,
             gpointer  data)
{
  TuiScreen *screen = data;
  g_autofree char *method = g_strstrip (g_strdup (tui_form_get_value (form, 0)));

  if (*method == '\0')
    {
      tui_form_set_error (form, _("Type or scan the payment method the terminal shows."));
      return FALSE;
    }
  tui_form_set_busy (form, _("Charging the card…"));
  pay (screen, PARK_PAYMENT_PROVIDER_STRIPE, method, -1);
  return FALSE;
}

static gboolean
let_out_submit (TuiForm  *form,
                gpointer  data)
{
  tui_form_set_busy (form, _("Opening the barrier…"));
  pay (data, PARK_PAYMENT_PROVIDER_CASH, NULL, -1);
  return FALSE;
}

static void
print_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  TuiScreen *screen = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = tui_config_print_receipt_finish (screen->config, result, &error);

  if (where == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        tui_screen_set_status (screen, TRUE, "%s", error->message);
      return;
    }
  g_message ("%s", where);
  tui_screen_set_status (screen, FALSE, "%s", where);
}

static void
print_receipt (TuiScreen *screen)
{
  tui_screen_set_status (screen, FALSE, _("Printing the receipt…"));
  tui_config_print_receipt_async (screen->config, co.payment_id, co.receipt,
                                  screen->cancellable, print_cb, screen);
}

/* ---- The view ------------------------------------------------------------------------- */

static void
check_out_open (TuiScreen *screen)
{
  if ((co.state == STATE_EMPTY || co.state == STATE_DONE) &&
      !tui_screen_has_form (screen, co.form))
    open_find_form (screen);
}

static int
draw_money_line (WINDOW     *win,
                 int         y,
                 int         x,
                 int         width,
                 attr_t      attr,
                 const char *label,
                 gint64      amount)
{
  g_autofree char *money = tui_format_money (amount, currency ());

  tui_crt_printf (win, y, x, width, attr, "%-24s %14s", label, money);
  return y + 1;
}

static void
check_out_draw (TuiScreen *screen,
                WINDOW    *win,
                int        top,
                int        height,
                int        width)
{
  attr_t heading = tui_crt_attr (TUI_COLOR_HEADING);
  int left_w = width >= 100 ? 50 : MIN (width - 2, 40), y = top + 1, x = 1;

  if (co.show_receipt && co.receipt != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (co.receipt, "\n", -1);
      int n = (int) g_strv_length (lines), rows = height - 3;

      co.receipt_top = CLAMP (co.receipt_top, 0, MAX (0, n - rows));
      tui_crt_printf (win, y++, x, width - 2, heading, _("Receipt (%d–%d of %d lines)"),
                      co.receipt_top + 1, MIN (n, co.receipt_top + rows), n);
      for (int i = co.receipt_top; i < n && y < top + height - 1; i++)
        tui_crt_print (win, y++, x + 1, width - 3, 0, lines[i]);
      tui_function_bar_draw_hints (win, top + height - 1, width, TUI_SCOPE_CHECK_OUT);
      return;
    }

  if (co.state == STATE_CHOOSING && co.choices != NULL)
    {
      guint n = g_list_model_get_n_items (co.choices);

      tui_crt_print (win, y++, x, width - 2, heading, _("Which car? (↑↓, Enter)"));
      tui_panel_clamp (&co.panel, n, height - 4);
      for (guint i = co.panel.scroll; i < n && y < top + height - 1; i++)
        {
          g_autoptr(ParkSession) s = g_list_model_get_item (co.choices, i);
          g_autofree char *in = tui_format_time (screen, park_session_get_checked_in_at (s));

          tui_crt_printf (win, y++, x, width - 2, (int) i == co.panel.selected
                          ? tui_crt_attr (TUI_COLOR_SELECTED) : 0, "%-10s %-12s %-8s %s",
                          park_session_get_ticket (s), park_session_get_plate (s),
                          park_session_get_spot_number (s) != NULL
                          ? park_session_get_spot_number (s) : "—", in);
        }
      return;
    }
  if (co.session == NULL)
    {
      tui_crt_print (win, y, x, width - 2, 0,
                     _("Press n or Enter and type a ticket, or a plate for a lost ticket."));
      tui_function_bar_draw_hints (win, top + height - 1, width, TUI_SCOPE_CHECK_OUT);
      return;
    }

  {
    ParkSession *s = co.session;
    g_autofree char *in = tui_format_time (screen, park_session_get_checked_in_at (s));
    const char *status = park_session_get_status (s) == PARK_SESSION_STATUS_ACTIVE
                         ? _("in the lot") : park_session_get_status (s) ==
                         PARK_SESSION_STATUS_PAID ? _("paid") : _("left");

    tui_crt_printf (win, y++, x, left_w, heading, _("Ticket %s · %s"),
                    park_session_get_ticket (s), park_session_get_plate (s));
    tui_crt_printf (win, y++, x, left_w, 0, _("In at %s · spot %s · %s"), in,
                    park_session_get_spot_number (s) != NULL
                    ? park_session_get_spot_number (s) : "—", status);
    if (co.lost)
      tui_crt_print (win, y++, x, left_w, tui_crt_attr (TUI_COLOR_WARN),
                     _("LOST TICKET: its fee applies (l: undo)"));
    y++;
  }

  if (co.paid >= 0)
    {
      tui_crt_print (win, y++, x, left_w, heading, _("Payment"));
      y = draw_money_line (win, y, x, left_w, 0, _("Paid"), co.paid);
      if (co.tendered >= 0)
        y = draw_money_line (win, y, x, left_w, 0, _("Cash tendered"), co.tendered);
      y = draw_money_line (win, y, x, left_w, tui_crt_attr (TUI_COLOR_GOOD),
                           _("CHANGE TO GIVE"), MAX (co.change, 0));
      y++;
      tui_crt_print (win, y++, x, left_w, 0, _("x: let out · p: print · n: next car"));
    }
  else if (co.state == STATE_DONE)
    tui_crt_print (win, y++, x, left_w, tui_crt_attr (TUI_COLOR_GOOD),
                   _("CHECKED OUT: the car has left."));
  else if (co.fee < 0)
    tui_crt_print (win, y++, x, left_w, A_DIM, _("Reading the fee…"));
  else
    {
      GListModel *lines = co.breakdown != NULL ? park_price_breakdown_get_lines (co.breakdown)
                                               : NULL;

      tui_crt_print (win, y++, x, left_w, heading, _("Fee"));
      for (guint i = 0; lines != NULL && i < g_list_model_get_n_items (lines) &&
                        y < top + height - 5; i++)
        {
          g_autoptr(ParkPriceLine) line = g_list_model_get_item (lines, i);

          y = draw_money_line (win, y, x, left_w, 0, park_price_line_get_label (line),
                               park_price_line_get_amount (line));
        }
      if (lines == NULL || g_list_model_get_n_items (lines) == 0)
        tui_crt_print (win, y++, x, left_w, A_DIM, _("Nothing charged (within the grace time)"));
      y = draw_money_line (win, y, x, left_w, A_BOLD, _("DUE"), co.fee);
      y++;
      tui_crt_print (win, y++, x, left_w, 0,
                     park_session_get_status (co.session) == PARK_SESSION_STATUS_PAID && co.fee == 0
                     ? _("x: let out · n: next car")
                     : _("c: cash · k: card · l: lost ticket"));
    }

  /* The receipt beside (or below) the payment, when it fits whole: a receipt cut off at the
   * edge would hide its amounts. Else e shows it on its own. */
  if (co.receipt != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (co.receipt, "\n", -1);
      int rx = left_w + 2, ry = top + 1, rw = width - rx - 1;
      int wide = receipt_width (lines), n = (int) g_strv_length (lines);

      if (rw < wide)
        {
          rx = x;
          ry = y + 1;
          rw = width - 2;
        }
      if (rw >= wide && ry + n < top + height - 1)
        {
          tui_crt_print (win, ry++, rx, rw, heading, _("Receipt"));
          for (guint i = 0; lines[i] != NULL; i++)
            tui_crt_print (win, ry++, rx, rw, 0, lines[i]);
        }
      else
        tui_crt_print (win, y + 1, x, width - 2, heading,
                       _("The receipt is ready: e shows it, p prints it."));
    }
  tui_function_bar_draw_hints (win, top + height - 1, width, TUI_SCOPE_CHECK_OUT);
}

static TuiKeyResult
check_out_key (TuiScreen *screen,
               TuiAction  action,
               int        key,
               gboolean   is_code)
{
  gboolean paid_stay = co.session != NULL &&
                       park_session_get_status (co.session) == PARK_SESSION_STATUS_PAID;

  if (co.show_receipt)
    {
      if (action == TUI_ACTION_RECEIPT || (!is_code && key == 27))
        {
          co.show_receipt = FALSE;
          return TUI_KEY_REDRAW;
        }
      if (is_code && (key == KEY_UP || key == KEY_DOWN || key == KEY_PPAGE || key == KEY_NPAGE))
        {
          co.receipt_top += key == KEY_UP ? -1 : key == KEY_DOWN ? 1 : key == KEY_PPAGE ? -10 : 10;
          co.receipt_top = MAX (co.receipt_top, 0);
          return TUI_KEY_REDRAW;
        }
    }
  if (co.state == STATE_CHOOSING && co.choices != NULL)
    {
      guint n = g_list_model_get_n_items (co.choices);

      if (is_code && tui_panel_move (&co.panel, key, n, 10, 1))
        return TUI_KEY_REDRAW;
      if ((!is_code && (key == '\n' || key == '\r')) && co.panel.selected >= 0)
        {
          g_autoptr(ParkSession) s = g_list_model_get_item (co.choices, co.panel.selected);

          load (screen, s);
          return TUI_KEY_HANDLED;
        }
    }
  switch (action)
    {
    case TUI_ACTION_FIND_STAY:
    case TUI_ACTION_CHECK_OUT:
      g_clear_object (&co.session);
      reset_payment ();
      co.state = STATE_EMPTY;
      open_find_form (screen);
      return TUI_KEY_HANDLED;

    case TUI_ACTION_LOST_TICKET:
      if (co.session == NULL || paid_stay || co.state != STATE_LOADED)
        break;
      co.lost = !co.lost;
      read_fee (screen);
      return TUI_KEY_HANDLED;

    case TUI_ACTION_CASH:
      if (co.session == NULL || co.state != STATE_LOADED || co.fee < 0 || co.paid >= 0 ||
          (paid_stay && co.fee == 0))
        break;
      co.form = tui_form_new (_("Cash"), _("Enter: take the cash · Esc: cancel"));
      tui_form_add_weak_pointer (co.form, (gpointer *) &co.form);
      tui_form_add_field (co.form, _("Cash tendered"), NULL, TUI_FIELD_MONEY, 10);
      tui_form_set_callbacks (co.form, cash_submit, cash_changed, screen);
      cash_changed (co.form, NULL);
      tui_screen_open_form (screen, co.form);
      return TUI_KEY_HANDLED;

    case TUI_ACTION_CARD:
      if (co.session == NULL || co.state != STATE_LOADED || co.fee < 0 || co.paid >= 0 ||
          (paid_stay && co.fee == 0))
        break;
      {
        g_autofree char *due = tui_format_money (co.fee, currency ());
        g_autofree char *text = g_strdup_printf (_("Due: %s\nCharge it on the terminal, then "
                                                   "type or scan its payment method."), due);

        co.form = tui_form_new (_("Card"), _("Enter: charge the card · Esc: cancel"));
        tui_form_add_weak_pointer (co.form, (gpointer *) &co.form);
        tui_form_set_text (co.form, text);
        tui_form_add_field (co.form, _("Payment method"), NULL, TUI_FIELD_TEXT, 255);
        tui_form_set_callbacks (co.form, card_submit, NULL, screen);
        tui_screen_open_form (screen, co.form);
      }
      return TUI_KEY_HANDLED;

    case TUI_ACTION_LET_OUT:
      if (!paid_stay)
        {
          if (co.session != NULL && co.state == STATE_LOADED)
            tui_screen_set_status (screen, TRUE, _("Not paid yet: take the fee first (c or k)."));
          break;
        }
      {
        g_autofree char *text = g_strdup_printf (_("Open the barrier for %s (ticket %s)?"),
                                                 park_session_get_plate (co.session),
                                                 park_session_get_ticket (co.session));

        co.form = tui_form_new (_("Let out"), NULL);
        tui_form_add_weak_pointer (co.form, (gpointer *) &co.form);
        tui_form_set_text (co.form, text);
        tui_form_set_callbacks (co.form, let_out_submit, NULL, screen);
        tui_screen_open_form (screen, co.form);
      }
      return TUI_KEY_HANDLED;

    case TUI_ACTION_RECEIPT:
      if (co.receipt == NULL)
        {
          tui_screen_set_status (screen, co.receipt_loading == FALSE, co.receipt_loading
                                 ? _("Reading the receipt…")
                                 : _("No receipt yet: take a payment first."));
          return TUI_KEY_HANDLED;
        }
      co.show_receipt = TRUE;
      co.receipt_top = 0;
      return TUI_KEY_REDRAW;

    case TUI_ACTION_PRINT:
      /* A stay paid earlier: its receipt prints as soon as it is read. */
      if (co.receipt == NULL && co.receipt_loading)
        {
          co.print_pending = TRUE;
          tui_screen_set_status (screen, FALSE, _("Reading the receipt; it prints when it is "
                                                  "here…"));
          return TUI_KEY_HANDLED;
        }
      if (co.receipt == NULL || co.payment_id == NULL)
        {
          tui_screen_set_status (screen, TRUE, _("No receipt to print: take a payment first."));
          return TUI_KEY_HANDLED;
        }
      print_receipt (screen);
      return TUI_KEY_HANDLED;

    default:
      break;
    }
  if (!is_code && (key == '\n' || key == '\r') && co.session == NULL)
    {
      open_find_form (screen);
      return TUI_KEY_HANDLED;
    }
  return TUI_KEY_IGNORED;
}

const TuiViewOps tui_view_check_out = {
  .title = N_("Check out"),
  .scope = TUI_SCOPE_CHECK_OUT,
  .open = check_out_open,
  .draw = check_out_draw,
  .handle_key = check_out_key,
};
