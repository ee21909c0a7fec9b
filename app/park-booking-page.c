/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-booking-page.c: every change of start, duration or spot type asks for a new quote, and
 * the booking is made with the quote's own times and id, so the price shown is the price
 * charged. A quote for "now" older than a few minutes is asked again before booking (parkd
 * refuses a start more than five minutes gone).
 *
 * Paying by card: the booking is made (held, waiting for payment), then parkd asks Stripe for
 * its payment page. The page shows that page's address as a QR code for the driver's phone
 * (and, on a desktop, a button that opens it here) and asks parkd every few seconds until
 * the booking is paid. Cancelling, or the hold running out, releases the booking, which
 * closes Stripe's page.
 *
 * At a kiosk that holds its own key (park_client_set_kiosk_key()), a driver who is not signed
 * in may go on without an account: the "guest" view asks only for the car's plate, and the
 * kiosk books, pays for and reads the booking with its key. The kiosk's time-out releases a
 * guest's booking still waiting for its card payment, as it does a driver's.
 */
#include "config.h"

#include "park-booking-page.h"
#include "park-format.h"
#include "park-qr.h"
#include "park-sign-in-dialog.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#define QUOTE_DELAY_MS 250
#define NOW_QUOTE_MAX_AGE_S 180
/* How often the booking is read again while its card payment is awaited. */
#define PAYMENT_POLL_MS 2000

static const guint durations[] = { 30, 60, 90, 120, 180, 240, 360, 480, 720, 1440 };
#define DEFAULT_DURATION_INDEX 3

struct _ParkBookingPage
{
  GtkWidget        parent_instance;

  ParkClient      *client;
  ParkLot         *lot;
  char            *spot_id;       /* asked for from the lot page, or NULL */
  GCancellable    *cancellable;
  GCancellable    *quote_cancellable;
  GArray          *starts;        /* gint64 unix seconds; 0 is "now" */
  GArray          *types;         /* ParkSpotType */
  GPtrArray       *spot_ids;      /* char *; NULL first: the lot chooses */
  GPtrArray       *quote_rows;
  ParkQuote       *quote;
  gint64           quote_made_at; /* monotonic µs */
  gboolean         book_after_quote;
  ParkReservation *reservation;
  char            *error;
  char            *discount;      /* the code applied, or NULL */
  char            *refused;       /* why the last code was refused, shown with the next quote */
  guint            quote_id;
  gboolean         filling;
  gboolean         kiosk;
  char            *checkout_url;  /* while a card payment is awaited */
  char            *plate;         /* a guest's plate at a kiosk, or NULL */
  guint            poll_id;
  guint            deadline_id;

  GtkStack            *stack;
  GtkLabel            *title_label;
  AdwComboRow         *start_row;
  AdwComboRow         *duration_row;
  AdwComboRow         *type_row;
  AdwComboRow         *spot_row;
  AdwEntryRow         *discount_row;
  AdwPreferencesGroup *quote_group;
  GtkSpinner          *quote_spinner;
  GtkLabel            *error_label;
  GtkWidget           *book_button;
  GtkSpinner          *book_spinner;
  GtkLabel            *code_label;
  GtkLabel            *spot_label;
  GtkLabel            *time_label;
  GtkLabel            *payment_label;
  GtkCheckButton      *card_check;
  GtkLabel            *card_amount_label;
  GtkPicture          *qr_picture;
  GtkLabel            *url_label;
  GtkWidget           *open_page_button;
  GtkSpinner          *card_spinner;
  GtkLabel            *card_status_label;
  AdwEntryRow         *plate_row;
  GtkLabel            *guest_error_label;
  GtkWidget           *done_button;
  GtkLabel            *guest_summary_label;
  GtkLabel            *plate_label;
  GtkWidget           *reservations_button;
};

G_DEFINE_FINAL_TYPE (ParkBookingPage, park_booking_page, GTK_TYPE_WIDGET)

static void request_quote (ParkBookingPage *self);
static void do_book (ParkBookingPage *self);

static void
show_guest_error (ParkBookingPage *self,
                  const char      *message)
{
  gtk_label_set_label (self->guest_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->guest_error_label), message != NULL);
}

/* Forgets the guest's plate (a new booking, the next driver at the kiosk). */
static void
forget_guest (ParkBookingPage *self)
{
  g_clear_pointer (&self->plate, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->plate_row), "");
  show_guest_error (self, NULL);
}

static void
show_error (ParkBookingPage *self,
            const char      *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static const char *
explain_error (const GError *error)
{
  if (g_strcmp0 (park_client_error_get_field (error), "plate") == 0)
    return _("This number plate cannot be right. Type the letters and digits on your plate; "
             "spaces and dashes may stay.");
  if (g_strcmp0 (park_client_error_get_problem_code (error), "invalid-kiosk-key") == 0)
    return _("This kiosk cannot take bookings without an account right now. Sign in, or ask at "
             "the booth.");
  if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_RATE_LIMITED))
    return _("This kiosk has taken many bookings in a short time. Please try again in a few "
             "minutes, or sign in.");
  if (g_strcmp0 (park_client_error_get_field (error), "discount_code") == 0)
    return g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT)
           ? _("This discount code is used up or has expired.")
           : _("This discount code is not valid at this lot.");
  if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT))
    return _("That spot was just taken, or the lot has no free spot of this type then. Choose another "
             "time, type or spot.");
  if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAUTHORIZED))
    return _("Please sign in again.");
  if (error->domain == G_IO_ERROR || g_error_matches (error, PARK_CLIENT_ERROR,
                                                      PARK_CLIENT_ERROR_UNAVAILABLE))
    return _("The parking server cannot be reached. Booking needs a connection; try again in a "
             "moment.");
  return error->message;
}

/* parkd no longer knows the kiosk's key (its operator revoked it): from now on booking asks
 * for a sign-in, instead of offering again and again to go on without an account, which
 * cannot work. Said once for the kiosk's operator, as the app says so for a key file it
 * cannot read. */
static void
forget_refused_kiosk_key (ParkBookingPage *self,
                          const GError    *error)
{
  if (g_strcmp0 (park_client_error_get_problem_code (error), "invalid-kiosk-key") != 0 ||
      !park_client_get_has_kiosk_key (self->client))
    return;
  g_printerr (_("The parking server refused the kiosk's key (it was revoked), so drivers must "
                "sign in to book\n"));
  park_client_set_kiosk_key (self->client, NULL);
}

static GDateTime *
selected_start (ParkBookingPage *self)
{
  guint i = adw_combo_row_get_selected (self->start_row);
  gint64 at = i < self->starts->len ? g_array_index (self->starts, gint64, i) : 0;

  return at == 0 ? g_date_time_new_now_utc () : g_date_time_new_from_unix_utc (at);
}

static guint
selected_duration (ParkBookingPage *self)
{
  guint i = adw_combo_row_get_selected (self->duration_row);

  return durations[MIN (i, G_N_ELEMENTS (durations) - 1)];
}

static ParkSpotType
selected_type (ParkBookingPage *self)
{
  guint i = adw_combo_row_get_selected (self->type_row);

  return i < self->types->len ? g_array_index (self->types, ParkSpotType, i) : PARK_SPOT_TYPE_REGULAR;
}

static const char *
selected_spot (ParkBookingPage *self)
{
  guint i = adw_combo_row_get_selected (self->spot_row);

  return i < self->spot_ids->len ? g_ptr_array_index (self->spot_ids, i) : NULL;
}

/* The spinner takes no room while idle, so the button's label stays centred. */
static void
set_busy (ParkBookingPage *self,
          gboolean         busy)
{
  gtk_spinner_set_spinning (self->book_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->book_spinner), busy);
}

static void
clear_quote_rows (ParkBookingPage *self)
{
  for (guint i = 0; i < self->quote_rows->len; i++)
    adw_preferences_group_remove (self->quote_group, g_ptr_array_index (self->quote_rows, i));
  g_ptr_array_set_size (self->quote_rows, 0);
}

static void
add_quote_row (ParkBookingPage *self,
               const char      *title,
               const char      *subtitle,
               gint64           amount,
               const char      *currency,
               gboolean         total)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *money = park_format_money (amount, currency);
  GtkWidget *value = gtk_label_new (money);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (total)
    {
      gtk_widget_add_css_class (value, "title-3");
      gtk_widget_add_css_class (row, "quote-total");
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
  adw_preferences_group_add (self->quote_group, row);
  g_ptr_array_add (self->quote_rows, row);
}

static void
show_quote (ParkBookingPage *self)
{
  ParkPriceBreakdown *breakdown = park_quote_get_breakdown (self->quote);
  const char *currency = park_quote_get_currency (self->quote);
  const char *tz = park_quote_get_time_zone (self->quote);

  clear_quote_rows (self);
  if (breakdown != NULL)
    {
      GListModel *lines = park_price_breakdown_get_lines (breakdown);

      for (guint i = 0; lines != NULL && i < g_list_model_get_n_items (lines); i++)
        {
          g_autoptr(ParkPriceLine) line = g_list_model_get_item (lines, i);
          g_autofree char *span = park_format_local_range (park_price_line_get_start (line),
                                                           park_price_line_get_end (line), tz);
          g_autofree char *rate = park_format_money (park_price_line_get_rate (line), currency);
          g_autofree char *detail = NULL;

          if (park_price_line_get_multiplier (line) != 1.0)
            /* Translators: a price line: its time span, the hourly rate and a demand factor */
            detail = g_strdup_printf (_("%s · %s/h × %.2f"), span, rate,
                                      park_price_line_get_multiplier (line));
          else
            /* Translators: a price line: its time span and the hourly rate */
            detail = g_strdup_printf (_("%s · %s/h"), span, rate);
          add_quote_row (self, park_price_line_get_label (line) ?: _("Parking"), detail,
                         park_price_line_get_amount (line), currency, FALSE);
        }
      if (park_price_breakdown_get_cap_discount (breakdown) != 0)
        add_quote_row (self, _("Daily maximum applied"), NULL,
                       -park_price_breakdown_get_cap_discount (breakdown), currency, FALSE);
      if (park_price_breakdown_get_discount (breakdown) != 0)
        add_quote_row (self, _("Discount"), NULL, -park_price_breakdown_get_discount (breakdown),
                       currency, FALSE);
      if (park_price_breakdown_get_tax (breakdown) != 0)
        {
          g_autofree char *rate = g_strdup_printf (_("%d%% included"),
                                                   park_price_breakdown_get_tax_rate (breakdown));

          add_quote_row (self, _("Tax"), rate, park_price_breakdown_get_tax (breakdown), currency,
                         FALSE);
        }
    }
  add_quote_row (self, _("Total"), NULL, park_quote_get_total_cost (self->quote), currency, TRUE);
}

static void
update_book_button (ParkBookingPage *self)
{
  gboolean busy = gtk_spinner_get_spinning (self->book_spinner);

  gtk_widget_set_sensitive (self->book_button, self->quote != NULL && !busy);
}

static void
quote_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  ParkBookingPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkQuote) quote = park_client_quote_finish (PARK_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_set_spinning (self->quote_spinner, FALSE);
  if (quote == NULL && self->discount != NULL &&
      g_strcmp0 (park_client_error_get_field (error), "discount_code") == 0)
    {
      /* A refused code leaves the price without it, and says why. */
      g_free (self->refused);
      self->refused = g_strdup (explain_error (error));
      g_clear_pointer (&self->discount, g_free);
      self->book_after_quote = FALSE;
      set_busy (self, FALSE);
      request_quote (self);
      return;
    }
  if (quote == NULL)
    {
      clear_quote_rows (self);
      show_error (self, explain_error (error));
      self->book_after_quote = FALSE;
      set_busy (self, FALSE);
      update_book_button (self);
      return;
    }
  show_error (self, self->refused);
  g_clear_pointer (&self->refused, g_free);
  g_set_object (&self->quote, quote);
  self->quote_made_at = g_get_monotonic_time ();
  show_quote (self);
  update_book_button (self);
  if (self->book_after_quote)
    {
      self->book_after_quote = FALSE;
      do_book (self);
    }
}

static void
request_quote (ParkBookingPage *self)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;

  if (self->lot == NULL || self->filling)
    return;
  g_clear_handle_id (&self->quote_id, g_source_remove);
  g_cancellable_cancel (self->quote_cancellable);
  g_clear_object (&self->quote_cancellable);
  self->quote_cancellable = g_cancellable_new ();
  g_clear_object (&self->quote);
  update_book_button (self);
  start = selected_start (self);
  end = g_date_time_add_minutes (start, selected_duration (self));
  gtk_spinner_set_spinning (self->quote_spinner, TRUE);
  park_client_quote_async (self->client, park_lot_get_id (self->lot), selected_type (self), start,
                           end, self->discount, self->quote_cancellable, quote_cb, self);
}

static gboolean
quote_timeout_cb (gpointer user_data)
{
  ParkBookingPage *self = user_data;

  self->quote_id = 0;
  request_quote (self);
  return G_SOURCE_REMOVE;
}

static void
inputs_changed_cb (ParkBookingPage *self)
{
  if (self->filling)
    return;
  g_clear_handle_id (&self->quote_id, g_source_remove);
  self->quote_id = g_timeout_add (QUOTE_DELAY_MS, quote_timeout_cb, self);
}

static void
spots_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  ParkBookingPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) spots = park_client_list_spots_finish (PARK_CLIENT (source), result, &error);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_ptr_array_set_size (self->spot_ids, 0);
  g_ptr_array_add (self->spot_ids, NULL);
  gtk_string_list_append (names, _("Let the lot choose"));
  for (guint i = 0; spots != NULL && i < g_list_model_get_n_items (spots); i++)
    {
      g_autoptr(ParkSpot) spot = g_list_model_get_item (spots, i);
      g_autofree char *name = NULL;

      if (park_spot_get_state (spot) != PARK_SPOT_STATE_AVAILABLE)
        continue;
      /* Translators: a spot to choose: its number and its level */
      name = g_strdup_printf (_("Spot %s (level %d)"), park_spot_get_number (spot),
                              park_spot_get_level (spot));
      if (g_strcmp0 (park_spot_get_id (spot), self->spot_id) == 0)
        selected = self->spot_ids->len;
      g_ptr_array_add (self->spot_ids, g_strdup (park_spot_get_id (spot)));
      gtk_string_list_append (names, name);
    }
  self->filling = TRUE;
  adw_combo_row_set_model (self->spot_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->spot_row, selected);
  self->filling = FALSE;
}

static void
load_spots (ParkBookingPage *self)
{
  park_client_list_spots_async (self->client, park_lot_get_id (self->lot), selected_type (self),
                                self->cancellable, spots_cb, self);
}

static void
type_changed_cb (ParkBookingPage *self)
{
  if (self->filling)
    return;
  g_clear_pointer (&self->spot_id, g_free);
  load_spots (self);
  inputs_changed_cb (self);
}

static void
show_confirmation (ParkBookingPage *self)
{
  ParkReservation *res = self->reservation;
  const char *tz = park_reservation_get_time_zone (res);
  g_autofree char *spot = NULL;
  g_autofree char *range = park_format_local_range (park_reservation_get_start_time (res),
                                                    park_reservation_get_end_time (res), tz);
  g_autofree char *until = NULL;
  g_autofree char *due = park_format_money (park_reservation_get_balance_due (res),
                                            park_reservation_get_currency (res));
  g_autofree char *payment = NULL;
  const char *code = park_reservation_get_code (res);
  gboolean guest;

  gtk_label_set_label (self->code_label, code);
  /* Screen readers spell the code out character by character. */
  {
    g_autoptr(GString) spelled = g_string_new (_("Reservation code "));

    for (const char *p = code; *p != '\0'; p = g_utf8_next_char (p))
      {
        g_string_append_unichar (spelled, g_utf8_get_char (p));
        g_string_append_c (spelled, ' ');
      }
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->code_label),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, spelled->str, -1);
  }
  /* Translators: where the booked car goes: the lot, the spot number and the level */
  spot = g_strdup_printf (_("%s · Spot %s · Level %d"), park_reservation_get_lot_name (res),
                          park_reservation_get_spot_number (res), park_reservation_get_level (res));
  gtk_label_set_label (self->spot_label, spot);
  gtk_label_set_label (self->time_label, range);
  /* A guest: the plate the booth will look for, and no account to list bookings in. */
  guest = self->plate != NULL && !park_client_get_signed_in (self->client);
  if (guest)
    {
      /* Translators: on a guest's confirmation: the car's number plate */
      g_autofree char *plate = g_strdup_printf (_("Plate %s"), self->plate);

      gtk_label_set_label (self->plate_label, plate);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->plate_label), guest);
  gtk_widget_set_visible (self->reservations_button, !guest);
  if (park_reservation_get_status (res) == PARK_RESERVATION_STATUS_PENDING_PAYMENT)
    {
      until = park_format_local_time (park_reservation_get_hold_until (res), tz);
      /* Translators: %1$s an amount, %2$s a time */
      payment = g_strdup_printf (_("Pay %1$s at the booth when you arrive. Show this code. "
                                   "The spot is held for you until %2$s."), due, until);
    }
  else
    payment = g_strdup (_("Paid. Show this code at the barrier."));
  gtk_label_set_label (self->payment_label, payment);
  gtk_stack_set_visible_child_name (self->stack, "confirmation");
  /* Enter means Done; the focus left to itself lands on the code and selects it all, which
   * looks like something went wrong on a kiosk's screen. */
  gtk_widget_grab_focus (self->done_button);
  gtk_label_select_region (self->code_label, 0, 0);
}

/* ---- Paying by card on Stripe's page ------------------------------------------------ */

static void
stop_waiting (ParkBookingPage *self)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_handle_id (&self->deadline_id, g_source_remove);
  g_clear_pointer (&self->checkout_url, g_free);
  gtk_spinner_set_spinning (self->card_spinner, FALSE);
}

static void
released_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkReservation) res = park_client_cancel_reservation_finish (PARK_CLIENT (source),
                                                                          result, &error);

  /* parkd's own release of held bookings may have come first, at the same moment: the
   * booking has ended either way, and the spot is free. */
  if (res == NULL && g_strcmp0 (park_client_error_get_problem_code (error), "invalid-state") == 0)
    g_debug ("The unpaid booking had already ended: %s", error->message);
  else if (res == NULL)
    g_warning ("The unpaid booking could not be released: %s", error->message);
  g_task_return_boolean (task, res != NULL);
}

/* Gives the unpaid booking back (its payment page closes with it) and returns to the form,
 * saying @why; @task (owned, may be NULL) returns once parkd answered. */
static void
release_booking (ParkBookingPage *self,
                 const char      *why,
                 GTask           *task)
{
  stop_waiting (self);
  if (self->reservation != NULL && self->client != NULL)
    park_client_cancel_reservation_async (self->client,
                                          park_reservation_get_id (self->reservation), NULL,
                                          released_cb,
                                          task != NULL ? task : g_task_new (self, NULL, NULL,
                                                                            NULL));
  else if (task != NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
  g_clear_object (&self->reservation);
  set_busy (self, FALSE);
  update_book_button (self);
  show_error (self, why);
  gtk_stack_set_visible_child_name (self->stack, "form");
}

static void
poll_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ParkBookingPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkReservation) res = park_client_get_reservation_finish (PARK_CLIENT (source),
                                                                       result, &error);
  ParkReservationStatus status;

  /* Not waiting any more, or a moment without the server: the next round asks again. */
  if (res == NULL || self->checkout_url == NULL)
    return;
  status = park_reservation_get_status (res);
  if (status == PARK_RESERVATION_STATUS_CONFIRMED || status == PARK_RESERVATION_STATUS_CHECKED_IN)
    {
      stop_waiting (self);
      g_set_object (&self->reservation, res);
      show_confirmation (self);
      return;
    }
  if (status != PARK_RESERVATION_STATUS_PENDING_PAYMENT)
    {
      stop_waiting (self);
      g_clear_object (&self->reservation);
      show_error (self, _("The time to pay ran out and the spot was released. Book again to "
                          "pay."));
      gtk_stack_set_visible_child_name (self->stack, "form");
    }
}

static gboolean
poll_timeout_cb (gpointer user_data)
{
  ParkBookingPage *self = user_data;

  if (self->reservation != NULL)
    park_client_get_reservation_async (self->client, park_reservation_get_id (self->reservation),
                                       self->cancellable, poll_cb, self);
  return G_SOURCE_CONTINUE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  ParkBookingPage *self = user_data;

  self->deadline_id = 0;
  release_booking (self, _("The time to pay ran out. The booking was released."), NULL);
  return G_SOURCE_REMOVE;
}

static void
checkout_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ParkBookingPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) expires = NULL, now = g_date_time_new_now_utc ();
  g_autoptr(ParkReservation) res = NULL;
  g_autoptr(GdkTexture) qr = NULL;
  g_autofree char *url = park_client_create_checkout_finish (PARK_CLIENT (source), result,
                                                            &expires, &res, &error);
  g_autofree char *due = NULL, *amount = NULL, *until = NULL, *status = NULL;
  GDateTime *pay_by;
  gint64 left_ms;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (url == NULL)
    {
      release_booking (self, g_strcmp0 (park_client_error_get_problem_code (error),
                                        "card-payments-off") == 0
                             ? _("Paying by card is not available here right now. Choose “Pay "
                                 "at the booth”, or try again later.")
                             : explain_error (error), NULL);
      return;
    }
  set_busy (self, FALSE);
  g_set_object (&self->reservation, res);
  self->checkout_url = g_strdup (url);

  /* Large modules at a kiosk: a phone held at arm's length reads them. */
  qr = park_qr_texture_new (url, self->kiosk ? 10 : 6);
  gtk_picture_set_paintable (self->qr_picture, GDK_PAINTABLE (qr));
  gtk_label_set_label (self->url_label, url);
  gtk_widget_set_visible (self->open_page_button, !self->kiosk);
  due = park_format_money (park_reservation_get_balance_due (res),
                           park_reservation_get_currency (res));
  /* Translators: the amount to pay by card, and where */
  amount = g_strdup_printf (_("%s · %s"), due, park_reservation_get_lot_name (res));
  gtk_label_set_label (self->card_amount_label, amount);

  /* Paid by the time the hold ends, or not at all. */
  pay_by = park_reservation_get_hold_until (res);
  if (pay_by == NULL || (expires != NULL && g_date_time_compare (expires, pay_by) < 0))
    pay_by = expires;
  until = pay_by != NULL ? park_format_local_time (pay_by, park_reservation_get_time_zone (res))
                         : NULL;
  status = until != NULL
           /* Translators: %s is a time of day */
           ? g_strdup_printf (_("Waiting for your payment. The spot is held until %s."), until)
           : g_strdup (_("Waiting for your payment."));
  gtk_label_set_label (self->card_status_label, status);
  gtk_spinner_set_spinning (self->card_spinner, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "card");

  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_handle_id (&self->deadline_id, g_source_remove);
  self->poll_id = g_timeout_add (PAYMENT_POLL_MS, poll_timeout_cb, self);
  if (pay_by != NULL)
    {
      left_ms = MAX (g_date_time_difference (pay_by, now) / 1000, 0);
      self->deadline_id = g_timeout_add (MIN (left_ms, G_MAXUINT), deadline_cb, self);
    }
}

static void
start_card_payment (ParkBookingPage *self)
{
  set_busy (self, TRUE);
  park_client_create_checkout_async (self->client, park_reservation_get_id (self->reservation),
                                     self->cancellable, checkout_cb, self);
}

static void
cancel_payment_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  ParkBookingPage *self = PARK_BOOKING_PAGE (widget);

  if (self->checkout_url != NULL)
    release_booking (self, _("Payment cancelled. The booking was released."), NULL);
}

static void
open_payment_page_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  ParkBookingPage *self = PARK_BOOKING_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->checkout_url != NULL && !self->kiosk)
    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->checkout_url,
                  GDK_CURRENT_TIME);
}

static void
book_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ParkBookingPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkReservation) res = park_client_book_finish (PARK_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  update_book_button (self);
  if (res == NULL && self->plate != NULL &&
      g_strcmp0 (park_client_error_get_field (error), "plate") == 0)
    {
      show_guest_error (self, explain_error (error));
      gtk_stack_set_visible_child_name (self->stack, "guest");
      return;
    }
  if (res == NULL)
    {
      show_error (self, explain_error (error));
      forget_refused_kiosk_key (self, error);
      if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT))
        {
          load_spots (self);
          request_quote (self);
        }
      return;
    }
  g_set_object (&self->reservation, res);
  if (gtk_check_button_get_active (self->card_check) &&
      park_reservation_get_status (res) == PARK_RESERVATION_STATUS_PENDING_PAYMENT &&
      park_reservation_get_balance_due (res) > 0)
    {
      start_card_payment (self);
      return;
    }
  show_confirmation (self);
}

static void
do_book (ParkBookingPage *self)
{
  if (self->quote == NULL)
    return;
  show_error (self, NULL);
  set_busy (self, TRUE);
  update_book_button (self);

  /* A quote for "now" ages: ask again rather than book a start parkd finds past. */
  if (adw_combo_row_get_selected (self->start_row) == 0 &&
      g_get_monotonic_time () - self->quote_made_at > NOW_QUOTE_MAX_AGE_S * G_USEC_PER_SEC)
    {
      self->book_after_quote = TRUE;
      request_quote (self);
      return;
    }
  /* A guest at a kiosk: the kiosk's key books, for the car with this plate. */
  if (self->plate != NULL && !park_client_get_signed_in (self->client))
    park_client_book_with_plate_async (self->client, park_lot_get_id (self->lot),
                                       selected_spot (self),
                                       park_quote_get_spot_type (self->quote),
                                       park_quote_get_start_time (self->quote),
                                       park_quote_get_end_time (self->quote),
                                       park_quote_get_id (self->quote), self->plate,
                                       self->cancellable, book_cb, self);
  else
    park_client_book_async (self->client, park_lot_get_id (self->lot), selected_spot (self),
                            park_quote_get_spot_type (self->quote),
                            park_quote_get_start_time (self->quote),
                            park_quote_get_end_time (self->quote),
                            park_quote_get_id (self->quote), self->discount, self->cancellable,
                            book_cb, self);
}

static void
signed_in_cb (gpointer user_data)
{
  ParkBookingPage *self = user_data;

  do_book (self);
}

static void
book_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  park_booking_page_book (PARK_BOOKING_PAGE (widget));
}

static void
discount_applied_cb (ParkBookingPage *self)
{
  g_autofree char *code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->discount_row))));

  g_free (self->discount);
  self->discount = *code != '\0' ? g_steal_pointer (&code) : NULL;
  request_quote (self);
}

static void
fill_starts (ParkBookingPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 first = (g_date_time_to_unix (now) / 900 + 1) * 900;
  gint64 zero = 0;

  g_array_set_size (self->starts, 0);
  g_array_append_val (self->starts, zero);
  gtk_string_list_append (names, _("Now"));
  /* Every quarter of an hour for a day, in the lot's own time. */
  for (guint i = 0; i < 96; i++)
    {
      gint64 at = first + i * 900;
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at);
      g_autofree char *label = park_format_local_time (utc, park_lot_get_time_zone (self->lot));

      g_array_append_val (self->starts, at);
      gtk_string_list_append (names, label);
    }
  adw_combo_row_set_model (self->start_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->start_row, 0);
}

static void
fill_types (ParkBookingPage *self,
            ParkSpotType     wanted)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  g_array_set_size (self->types, 0);
  for (ParkSpotType t = PARK_SPOT_TYPE_REGULAR; t < PARK_N_SPOT_TYPES; t++)
    {
      g_autofree char *label = NULL;

      if (park_lot_get_total (self->lot, t) == 0)
        continue;
      if (t == wanted)
        selected = self->types->len;
      /* Translators: a spot type and how many of them are free now */
      label = g_strdup_printf (_("%s (%u free now)"), park_format_spot_type (t),
                               park_lot_get_available (self->lot, t));
      g_array_append_val (self->types, t);
      gtk_string_list_append (names, label);
    }
  adw_combo_row_set_model (self->type_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->type_row, selected);
}

static void
spot_for_type_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ParkBookingPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) spots = park_client_list_spots_finish (PARK_CLIENT (source), result, &error);
  ParkSpotType wanted = PARK_SPOT_TYPE_REGULAR;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  for (guint i = 0; spots != NULL && i < g_list_model_get_n_items (spots); i++)
    {
      g_autoptr(ParkSpot) spot = g_list_model_get_item (spots, i);

      if (g_strcmp0 (park_spot_get_id (spot), self->spot_id) == 0)
        wanted = park_spot_get_spot_type (spot);
    }
  self->filling = TRUE;
  fill_types (self, wanted);
  self->filling = FALSE;
  load_spots (self);
  request_quote (self);
}

static void
present_sign_in (ParkBookingPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  park_sign_in_dialog_present (self->client, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                               signed_in_cb, self);
}

static void
book_as_guest_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  ParkBookingPage *self = PARK_BOOKING_PAGE (widget);

  park_booking_page_book_as_guest (self, gtk_editable_get_text (GTK_EDITABLE (self->plate_row)));
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  ParkBookingPage *self = PARK_BOOKING_PAGE (widget);

  gtk_stack_set_visible_child_name (self->stack, "form");
  present_sign_in (self);
}

static void
back_to_form_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ParkBookingPage *self = PARK_BOOKING_PAGE (widget);

  gtk_stack_set_visible_child_name (self->stack, "form");
}

/* Whether the plate typed so far has a letter or digit: going on needs one. */
static gboolean
plate_typed (ParkBookingPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->plate_row));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static void
plate_changed_cb (ParkBookingPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "booking.book-as-guest", plate_typed (self));
}

static void
plate_activated_cb (ParkBookingPage *self)
{
  if (plate_typed (self))
    gtk_widget_activate_action (GTK_WIDGET (self), "booking.book-as-guest", NULL);
}

static void
park_booking_page_dispose (GObject *object)
{
  ParkBookingPage *self = PARK_BOOKING_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->quote_cancellable);
  g_clear_handle_id (&self->quote_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_handle_id (&self->deadline_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARK_TYPE_BOOKING_PAGE);
  g_clear_object (&self->client);
  g_clear_object (&self->lot);
  g_clear_object (&self->quote);
  g_clear_object (&self->reservation);
  G_OBJECT_CLASS (park_booking_page_parent_class)->dispose (object);
}

static void
park_booking_page_finalize (GObject *object)
{
  ParkBookingPage *self = PARK_BOOKING_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->quote_cancellable);
  g_clear_pointer (&self->starts, g_array_unref);
  g_clear_pointer (&self->types, g_array_unref);
  g_clear_pointer (&self->spot_ids, g_ptr_array_unref);
  g_clear_pointer (&self->quote_rows, g_ptr_array_unref);
  g_free (self->spot_id);
  g_free (self->error);
  g_free (self->discount);
  g_free (self->refused);
  g_free (self->checkout_url);
  g_free (self->plate);
  G_OBJECT_CLASS (park_booking_page_parent_class)->finalize (object);
}

static void
park_booking_page_class_init (ParkBookingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = park_booking_page_dispose;
  object_class->finalize = park_booking_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/parkade/Parkade/ui/park-booking-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, stack);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, start_row);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, duration_row);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, type_row);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, spot_row);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, discount_row);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, quote_group);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, quote_spinner);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, book_button);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, book_spinner);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, code_label);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, spot_label);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, time_label);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, payment_label);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, card_check);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, card_amount_label);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, qr_picture);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, url_label);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, open_page_button);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, card_spinner);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, card_status_label);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, plate_row);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, guest_error_label);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, done_button);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, guest_summary_label);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, plate_label);
  gtk_widget_class_bind_template_child (widget_class, ParkBookingPage, reservations_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_install_action (widget_class, "booking.book", NULL, book_action);
  gtk_widget_class_install_action (widget_class, "booking.cancel-payment", NULL,
                                   cancel_payment_action);
  gtk_widget_class_install_action (widget_class, "booking.open-payment-page", NULL,
                                   open_payment_page_action);
  gtk_widget_class_install_action (widget_class, "booking.book-as-guest", NULL,
                                   book_as_guest_action);
  gtk_widget_class_install_action (widget_class, "booking.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "booking.back-to-form", NULL,
                                   back_to_form_action);
}

static void
park_booking_page_init (ParkBookingPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  park_label_wrap_verbatim (self->url_label);
  self->cancellable = g_cancellable_new ();
  self->starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->types = g_array_new (FALSE, FALSE, sizeof (ParkSpotType));
  self->spot_ids = g_ptr_array_new_with_free_func (g_free);
  self->quote_rows = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (durations); i++)
    {
      g_autofree char *label = park_format_duration (durations[i]);

      gtk_string_list_append (names, label);
    }
  adw_combo_row_set_model (self->duration_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->duration_row, DEFAULT_DURATION_INDEX);

  g_signal_connect_swapped (self->start_row, "notify::selected", G_CALLBACK (inputs_changed_cb), self);
  g_signal_connect_swapped (self->duration_row, "notify::selected", G_CALLBACK (inputs_changed_cb), self);
  g_signal_connect_swapped (self->type_row, "notify::selected", G_CALLBACK (type_changed_cb), self);
  g_signal_connect_swapped (self->discount_row, "apply", G_CALLBACK (discount_applied_cb), self);
  g_signal_connect_swapped (self->plate_row, "changed", G_CALLBACK (plate_changed_cb), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "booking.book-as-guest", FALSE);
  g_signal_connect_swapped (self->plate_row, "entry-activated", G_CALLBACK (plate_activated_cb),
                            self);
}

void
park_booking_page_set_client (ParkBookingPage *self,
                              ParkClient      *client)
{
  g_return_if_fail (PARK_IS_BOOKING_PAGE (self));
  g_set_object (&self->client, client);
}

void
park_booking_page_start (ParkBookingPage *self,
                         ParkLot         *lot,
                         const char      *spot_id)
{
  g_autofree char *title = NULL;

  g_return_if_fail (PARK_IS_BOOKING_PAGE (self));
  g_return_if_fail (PARK_IS_LOT (lot));

  /* A booking still waiting for its card payment is given up, not left held. */
  if (self->checkout_url != NULL)
    release_booking (self, NULL, NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_set_object (&self->lot, lot);
  g_free (self->spot_id);
  self->spot_id = g_strdup (spot_id);
  g_clear_object (&self->quote);
  g_clear_object (&self->reservation);
  g_clear_pointer (&self->discount, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->discount_row), "");
  forget_guest (self);
  self->book_after_quote = FALSE;
  show_error (self, NULL);
  clear_quote_rows (self);
  set_busy (self, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "form");

  /* Translators: the booking page's title: the lot's name */
  title = g_strdup_printf (_("Book at %s"), park_lot_get_name (lot));
  gtk_label_set_label (self->title_label, title);

  self->filling = TRUE;
  fill_starts (self);
  adw_combo_row_set_selected (self->duration_row, DEFAULT_DURATION_INDEX);
  fill_types (self, PARK_SPOT_TYPE_REGULAR);
  self->filling = FALSE;
  update_book_button (self);

  if (spot_id != NULL)
    /* The spot chosen on the grid decides the type: find it first. */
    park_client_list_spots_async (self->client, park_lot_get_id (lot), PARK_SPOT_TYPE_ANY,
                                  self->cancellable, spot_for_type_cb, self);
  else
    {
      load_spots (self);
      request_quote (self);
    }
}

ParkQuote *
park_booking_page_get_quote (ParkBookingPage *self)
{
  g_return_val_if_fail (PARK_IS_BOOKING_PAGE (self), NULL);
  return self->quote;
}

ParkReservation *
park_booking_page_get_reservation (ParkBookingPage *self)
{
  g_return_val_if_fail (PARK_IS_BOOKING_PAGE (self), NULL);
  return self->reservation;
}

void
park_booking_page_set_duration (ParkBookingPage *self,
                                guint            minutes)
{
  g_return_if_fail (PARK_IS_BOOKING_PAGE (self));
  for (guint i = 0; i < G_N_ELEMENTS (durations); i++)
    if (durations[i] == minutes)
      adw_combo_row_set_selected (self->duration_row, i);
}

void
park_booking_page_book (ParkBookingPage *self)
{
  g_return_if_fail (PARK_IS_BOOKING_PAGE (self));
  if (self->quote == NULL)
    return;
  if (park_client_get_signed_in (self->client))
    {
      do_book (self);
      return;
    }
  /* A kiosk with its own key offers to go on without an account, beside signing in. */
  if (self->kiosk && park_client_get_has_kiosk_key (self->client))
    {
      g_autofree char *money = park_format_money (park_quote_get_total_cost (self->quote),
                                                  park_quote_get_currency (self->quote));
      g_autofree char *duration = park_format_duration (selected_duration (self));
      /* Translators: what a guest is booking: the price, how long, and the lot */
      g_autofree char *summary = g_strdup_printf (_("%1$s for %2$s at %3$s"), money, duration,
                                                  park_lot_get_name (self->lot));

      gtk_label_set_label (self->guest_summary_label, summary);
      show_guest_error (self, NULL);
      gtk_stack_set_visible_child_name (self->stack, "guest");
      gtk_widget_grab_focus (GTK_WIDGET (self->plate_row));
      return;
    }
  present_sign_in (self);
}

/**
 * park_booking_page_book_as_guest:
 * @self: a #ParkBookingPage
 * @plate: the car's number plate, as the driver typed it
 *
 * Books the quoted stay for a driver without an account, at a kiosk that holds its own key;
 * the usual confirmation (or Stripe's page, paying by card) follows. An empty plate is
 * refused with a message on the guest view.
 */
void
park_booking_page_book_as_guest (ParkBookingPage *self,
                                 const char      *plate)
{
  g_autofree char *typed = NULL;

  g_return_if_fail (PARK_IS_BOOKING_PAGE (self));
  g_return_if_fail (plate != NULL);
  typed = g_strstrip (g_strdup (plate));
  if (*typed == '\0')
    {
      show_guest_error (self, _("Type your car's number plate to go on."));
      gtk_stack_set_visible_child_name (self->stack, "guest");
      return;
    }
  g_free (self->plate);
  self->plate = g_steal_pointer (&typed);
  show_guest_error (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "form");
  do_book (self);
}

const char *
park_booking_page_get_error (ParkBookingPage *self)
{
  g_return_val_if_fail (PARK_IS_BOOKING_PAGE (self), NULL);
  return self->error;
}

/* Forgets the driver's booking (a kiosk, between drivers). */
void
park_booking_page_reset (ParkBookingPage *self)
{
  g_return_if_fail (PARK_IS_BOOKING_PAGE (self));

  /* The next driver at the kiosk finds no spot held for the last one's unpaid booking. */
  if (self->checkout_url != NULL)
    release_booking (self, NULL, NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_cancellable_cancel (self->quote_cancellable);
  g_clear_handle_id (&self->quote_id, g_source_remove);
  g_clear_object (&self->lot);
  g_clear_object (&self->quote);
  g_clear_object (&self->reservation);
  g_clear_pointer (&self->spot_id, g_free);
  g_clear_pointer (&self->discount, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->discount_row), "");
  forget_guest (self);
  self->book_after_quote = FALSE;
  show_error (self, NULL);
  clear_quote_rows (self);
  gtk_label_set_label (self->code_label, "");
  gtk_label_set_label (self->spot_label, "");
  gtk_label_set_label (self->time_label, "");
  gtk_label_set_label (self->payment_label, "");
  set_busy (self, FALSE);
  gtk_spinner_set_spinning (self->quote_spinner, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "form");
  update_book_button (self);
}

void
park_booking_page_apply_discount (ParkBookingPage *self,
                                  const char      *code)
{
  g_return_if_fail (PARK_IS_BOOKING_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->discount_row), code);
  discount_applied_cb (self);
}

void
park_booking_page_set_kiosk (ParkBookingPage *self,
                             gboolean         kiosk)
{
  g_return_if_fail (PARK_IS_BOOKING_PAGE (self));
  self->kiosk = !!kiosk;
}

void
park_booking_page_set_pay_by_card (ParkBookingPage *self,
                                   gboolean         by_card)
{
  g_return_if_fail (PARK_IS_BOOKING_PAGE (self));
  gtk_check_button_set_active (self->card_check, by_card);
}

const char *
park_booking_page_get_checkout_url (ParkBookingPage *self)
{
  g_return_val_if_fail (PARK_IS_BOOKING_PAGE (self), NULL);
  return self->checkout_url;
}

const char *
park_booking_page_get_view (ParkBookingPage *self)
{
  g_return_val_if_fail (PARK_IS_BOOKING_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * park_booking_page_release_async:
 *
 * Releases a booking still waiting for its card payment, so that it does not stay held
 * for the next driver at a kiosk, and closes its payment page; @callback runs once parkd
 * answered (at once when nothing waits). Sign out only after it.
 */
void
park_booking_page_release_async (ParkBookingPage     *self,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PARK_IS_BOOKING_PAGE (self));
  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, park_booking_page_release_async);
  if (self->checkout_url != NULL)
    release_booking (self, NULL, task);
  else
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

gboolean
park_booking_page_release_finish (ParkBookingPage  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
