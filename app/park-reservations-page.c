/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-reservations-page.c: the refund of a cancellation is what parkd kept less what was
 * paid, read from its answer, so the page shows what the lot's policy really gave.
 *
 * Each booking that took money gets a receipt button per payment: its payments are read from
 * parkd when the list is (also those made at the booth or on another device), and a payment
 * made while the app runs comes on the live feed (its receipt says which booking it paid).
 */
#include "config.h"

#include "park-reservations-page.h"
#include "park-format.h"

#include <adwaita.h>
#include <glib/gi18n.h>

struct _ParkReservationsPage
{
  GtkWidget        parent_instance;

  ParkClient      *client;
  ParkLiveFeed    *feed;
  gulong           event_handler;
  gulong           payment_handler;
  GHashTable      *payments;      /* reservation id → GPtrArray of payment ids */
  char            *receipt_text;  /* the last receipt shown */
  GCancellable    *cancellable;
  GListModel      *reservations;
  char            *message;

  AdwToastOverlay *toasts;
  GtkStack        *stack;
  GtkWidget       *stale_label;
  GtkListBox      *list_box;
};

G_DEFINE_FINAL_TYPE (ParkReservationsPage, park_reservations_page, GTK_TYPE_WIDGET)

static void
say (ParkReservationsPage *self,
     const char           *text)
{
  g_free (self->message);
  self->message = g_strdup (text);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

static ParkReservation *
find (ParkReservationsPage *self,
      const char           *id)
{
  for (guint i = 0; self->reservations != NULL && i < g_list_model_get_n_items (self->reservations); i++)
    {
      g_autoptr(ParkReservation) res = g_list_model_get_item (self->reservations, i);

      if (g_str_equal (park_reservation_get_id (res), id))
        return res;
    }
  return NULL;
}

static GtkWidget *
reservation_row (ParkReservationsPage *self,
                 ParkReservation      *res)
{
  ParkReservationStatus status = park_reservation_get_status (res);
  const char *tz = park_reservation_get_time_zone (res);
  const char *currency = park_reservation_get_currency (res);
  gboolean active = status == PARK_RESERVATION_STATUS_PENDING_PAYMENT ||
                    status == PARK_RESERVATION_STATUS_CONFIRMED ||
                    status == PARK_RESERVATION_STATUS_CHECKED_IN;
  gboolean cancellable = status == PARK_RESERVATION_STATUS_PENDING_PAYMENT ||
                         status == PARK_RESERVATION_STATUS_CONFIRMED;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title = gtk_label_new (park_reservation_get_lot_name (res));
  GtkWidget *status_label = gtk_label_new (park_format_status (status));
  GtkWidget *code = gtk_label_new (park_reservation_get_code (res));
  g_autofree char *spot = NULL;
  g_autofree char *range = park_format_local_range (park_reservation_get_start_time (res),
                                                    park_reservation_get_end_time (res), tz);
  g_autofree char *total = park_format_money (park_reservation_get_total_cost (res), currency);
  g_autofree char *paid = park_format_money (park_reservation_get_paid (res), currency);
  g_autofree char *money = NULL;
  g_autofree char *a11y = NULL;
  GtkWidget *details;
  GtkWidget *money_label;

  gtk_widget_add_css_class (title, "title-4");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (status_label, "status-pill");
  gtk_widget_add_css_class (status_label, active ? "active" : "inactive");
  gtk_box_append (GTK_BOX (top), title);
  gtk_box_append (GTK_BOX (top), status_label);
  gtk_box_append (GTK_BOX (box), top);

  gtk_widget_add_css_class (code, "reservation-code-small");
  gtk_label_set_selectable (GTK_LABEL (code), TRUE);
  gtk_label_set_xalign (GTK_LABEL (code), 0);
  gtk_box_append (GTK_BOX (box), code);

  /* Translators: a booking's spot and level, then its time span */
  spot = g_strdup_printf (_("Spot %s · Level %d · %s"), park_reservation_get_spot_number (res),
                          park_reservation_get_level (res), range);
  details = gtk_label_new (spot);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_label_set_wrap (GTK_LABEL (details), TRUE);
  gtk_box_append (GTK_BOX (box), details);

  if (park_reservation_get_balance_due (res) > 0 && active)
    {
      g_autofree char *due = park_format_money (park_reservation_get_balance_due (res), currency);

      /* Translators: a booking's price, what was paid and what is still due */
      money = g_strdup_printf (_("Total %s · paid %s · %s due at the booth"), total, paid, due);
    }
  else
    /* Translators: a booking's price and what was paid */
    money = g_strdup_printf (_("Total %s · paid %s"), total, paid);
  money_label = gtk_label_new (money);
  gtk_label_set_xalign (GTK_LABEL (money_label), 0);
  gtk_widget_add_css_class (money_label, "dim-label");
  gtk_box_append (GTK_BOX (box), money_label);

  if (active && !park_reservation_get_stale (res))
    {
      GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      static const guint extra[] = { 30, 60, 120 };

      for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
        {
          g_autofree char *dur = park_format_duration (extra[i]);
          /* Translators: a button that makes a booking longer, e.g. "+1 hour" */
          g_autofree char *label = g_strdup_printf (_("+%s"), dur);
          /* Translators: what the extend button does, read out, e.g. "Extend by 1 hour" */
          g_autofree char *tip = g_strdup_printf (_("Extend by %s"), dur);
          GtkWidget *button = gtk_button_new_with_label (label);

          gtk_widget_set_tooltip_text (button, tip);
          gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          tip, -1);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "reservations.extend");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(su)",
                                            park_reservation_get_id (res), extra[i]);
          gtk_box_append (GTK_BOX (buttons), button);
        }
      if (cancellable)
        {
          GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel Booking…"));

          gtk_widget_set_hexpand (cancel, TRUE);
          gtk_widget_set_halign (cancel, GTK_ALIGN_END);
          gtk_widget_add_css_class (cancel, "destructive-action");
          gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "reservations.ask-cancel");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (cancel), "s",
                                            park_reservation_get_id (res));
          gtk_box_append (GTK_BOX (buttons), cancel);
        }
      gtk_widget_set_margin_top (buttons, 6);
      gtk_box_append (GTK_BOX (box), buttons);
    }

  {
    GPtrArray *ids = g_hash_table_lookup (self->payments, park_reservation_get_id (res));

    for (guint i = 0; ids != NULL && i < ids->len; i++)
      {
        GtkWidget *button = gtk_button_new_with_mnemonic (_("_Receipt…"));

        gtk_widget_set_halign (button, GTK_ALIGN_START);
        gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "reservations.receipt");
        gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s",
                                          (const char *) g_ptr_array_index (ids, i));
        gtk_box_append (GTK_BOX (box), button);
      }
  }

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  a11y = g_strdup_printf ("%s, %s, %s, %s", park_reservation_get_lot_name (res),
                          park_format_status (status), park_reservation_get_code (res), spot);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  return row;
}

static void
fill (ParkReservationsPage *self)
{
  GtkWidget *child;
  gboolean stale = FALSE;
  guint n = g_list_model_get_n_items (self->reservations);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ParkReservation) res = g_list_model_get_item (self->reservations, i);

      stale |= park_reservation_get_stale (res);
      gtk_list_box_append (self->list_box, reservation_row (self, res));
    }
  gtk_widget_set_visible (self->stale_label, stale);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

/* Remembers that @payment_id paid @reservation_id (its row gets a receipt button); TRUE if
 * it is new. */
static gboolean
add_payment (ParkReservationsPage *self,
             const char           *reservation_id,
             const char           *payment_id)
{
  GPtrArray *ids = g_hash_table_lookup (self->payments, reservation_id);

  if (ids == NULL)
    {
      ids = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (self->payments, g_strdup (reservation_id), ids);
    }
  for (guint i = 0; i < ids->len; i++)
    if (g_str_equal (g_ptr_array_index (ids, i), payment_id))
      return FALSE;
  g_ptr_array_add (ids, g_strdup (payment_id));
  return TRUE;
}

static void
payments_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ParkReservationsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) payments =
    park_client_list_reservation_payments_finish (PARK_CLIENT (source), result, &error);
  gboolean added = FALSE;

  if (payments == NULL)
    {
      /* The receipts are extras: the booking itself is listed already. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("A booking's payments: %s", error->message);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (payments); i++)
    {
      g_autoptr(ParkPayment) payment = g_list_model_get_item (payments, i);
      ParkPaymentStatus status = park_payment_get_status (payment);

      /* Money that was taken has a receipt (a refund shows on it); a card payment still to
       * be confirmed, or declined, has none. */
      if (status != PARK_PAYMENT_STATUS_PENDING && status != PARK_PAYMENT_STATUS_FAILED &&
          park_payment_get_reservation_id (payment) != NULL)
        added |= add_payment (self, park_payment_get_reservation_id (payment),
                              park_payment_get_id (payment));
    }
  if (added)
    fill (self);
}

/* Asks parkd for the payments of the bookings that took money, for their receipts. */
static void
fetch_payments (ParkReservationsPage *self)
{
  for (guint i = 0; i < g_list_model_get_n_items (self->reservations); i++)
    {
      g_autoptr(ParkReservation) res = g_list_model_get_item (self->reservations, i);

      if (park_reservation_get_paid (res) > 0 && !park_reservation_get_stale (res))
        park_client_list_reservation_payments_async (self->client, park_reservation_get_id (res),
                                                     self->cancellable, payments_cb, self);
    }
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ParkReservationsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = park_client_list_reservations_finish (PARK_CLIENT (source), result,
                                                                      &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (list == NULL)
    {
      if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_UNAUTHORIZED))
        gtk_stack_set_visible_child_name (self->stack, "signed-out");
      else
        {
          say (self, error->message);
          if (self->reservations == NULL)
            gtk_stack_set_visible_child_name (self->stack, "empty");
        }
      return;
    }
  g_set_object (&self->reservations, list);
  fill (self);
  fetch_payments (self);
}

static void
extend_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ParkReservationsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkReservation) res = park_client_extend_reservation_finish (PARK_CLIENT (source),
                                                                          result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (res == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, PARK_CLIENT_ERROR, PARK_CLIENT_ERROR_CONFLICT))
        text = g_strdup (_("The spot is booked by someone else then: it cannot be extended that long."));
      else
        text = g_strdup_printf (_("Could not extend: %s"), error->message);
      say (self, text);
      return;
    }
  {
    g_autofree char *end = park_format_local_time (park_reservation_get_end_time (res),
                                                   park_reservation_get_time_zone (res));
    g_autofree char *due = park_format_money (park_reservation_get_balance_due (res),
                                              park_reservation_get_currency (res));
    /* Translators: %1$s a time, %2$s an amount */
    g_autofree char *text = g_strdup_printf (_("Extended until %1$s. Now due: %2$s."), end, due);

    say (self, text);
  }
  park_reservations_page_reload (self);
}

typedef struct
{
  ParkReservationsPage *self;
  gint64                paid_before;
  char                 *currency;
} CancelData;

static void
cancel_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CancelData *data = user_data;
  ParkReservationsPage *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkReservation) res = park_client_cancel_reservation_finish (PARK_CLIENT (source),
                                                                          result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;
  if (res == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not cancel: %s"), error->message);

      say (self, text);
      goto out;
    }
  {
    gint64 refund = data->paid_before - park_reservation_get_paid (res);
    g_autofree char *amount = park_format_money (refund, data->currency);
    g_autofree char *text = NULL;

    if (data->paid_before == 0)
      text = g_strdup (_("Booking cancelled. Nothing was paid, so nothing is refunded."));
    else if (refund > 0)
      /* Translators: %s an amount of money */
      text = g_strdup_printf (_("Booking cancelled. %s is refunded."), amount);
    else
      text = g_strdup (_("Booking cancelled. The lot's policy gives no refund after the start."));
    say (self, text);
  }
  park_reservations_page_reload (self);
out:
  g_free (data->currency);
  g_free (data);
}

static void
cancel_response_cb (AdwMessageDialog     *dialog,
                    const char           *response,
                    ParkReservationsPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "reservation-id");

  if (g_strcmp0 (response, "cancel-booking") == 0)
    park_reservations_page_cancel (self, id);
}

static void
ask_cancel_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  ParkReservationsPage *self = PARK_RESERVATIONS_PAGE (widget);
  const char *id = g_variant_get_string (param, NULL);
  ParkReservation *res = find (self, id);
  g_autofree char *paid = NULL;
  g_autofree char *start = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (res == NULL)
    return;
  paid = park_format_money (park_reservation_get_paid (res), park_reservation_get_currency (res));
  start = park_format_local_time (park_reservation_get_start_time (res),
                                  park_reservation_get_time_zone (res));
  if (park_reservation_get_paid (res) == 0)
    /* Translators: %s a time */
    body = g_strdup_printf (_("Nothing has been paid yet, so there is nothing to refund. The spot "
                              "held for %s is freed."), start);
  else
    /* Translators: %1$s an amount, %2$s a time */
    body = g_strdup_printf (_("You paid %1$s. Cancelled before the start (%2$s), all of it is "
                              "refunded to the card; after the start, the lot's policy decides "
                              "how much. The refund is shown once it is done."), paid, start);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Cancel This Booking?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Booking"),
                                    "cancel-booking", _("_Cancel Booking"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel-booking",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_object_set_data_full (G_OBJECT (dialog), "reservation-id", g_strdup (id), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (cancel_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
extend_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  const char *id;
  guint minutes;

  g_variant_get (param, "(&su)", &id, &minutes);
  park_reservations_page_extend (PARK_RESERVATIONS_PAGE (widget), id, minutes);
}

static void
receipt_text_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ParkReservationsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = park_client_get_receipt_text_finish (PARK_CLIENT (source), result, &error);
  GtkRoot *root;
  GtkWidget *dialog;
  GtkWidget *label;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (text == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The receipt cannot be shown: %s"), error->message);

      say (self, message);
      return;
    }
  g_free (self->receipt_text);
  self->receipt_text = g_strdup (text);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Receipt"), NULL);
  label = gtk_label_new (text);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "monospace");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), label);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
receipt_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  ParkReservationsPage *self = PARK_RESERVATIONS_PAGE (widget);

  park_client_get_receipt_text_async (self->client, g_variant_get_string (param, NULL),
                                      self->cancellable, receipt_text_cb, self);
}

static void
receipt_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ParkReservationsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParkReceipt) receipt = park_client_get_receipt_finish (PARK_CLIENT (source), result, &error);
  ParkPayment *payment;
  const char *reservation_id;

  if (receipt == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("A payment's receipt: %s", error->message);
      return;
    }
  payment = park_receipt_get_payment (receipt);
  reservation_id = park_payment_get_reservation_id (payment);
  if (reservation_id == NULL)
    return;
  if (add_payment (self, reservation_id, park_payment_get_id (payment)))
    park_reservations_page_reload (self);
}

static void
payment_event_cb (ParkLiveFeed         *feed,
                  const char           *event,
                  const char           *payment_id,
                  ParkReservationsPage *self)
{
  park_client_get_receipt_async (self->client, payment_id, self->cancellable, receipt_cb, self);
}

static void
reservation_event_cb (ParkLiveFeed         *feed,
                      const char           *event,
                      const char           *reservation_id,
                      ParkReservationsPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    park_reservations_page_reload (self);
}

static void
park_reservations_page_dispose (GObject *object)
{
  ParkReservationsPage *self = PARK_RESERVATIONS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->feed != NULL)
    {
      g_clear_signal_handler (&self->event_handler, self->feed);
      g_clear_signal_handler (&self->payment_handler, self->feed);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), PARK_TYPE_RESERVATIONS_PAGE);
  g_clear_object (&self->feed);
  g_clear_object (&self->client);
  g_clear_object (&self->reservations);
  G_OBJECT_CLASS (park_reservations_page_parent_class)->dispose (object);
}

static void
park_reservations_page_finalize (GObject *object)
{
  ParkReservationsPage *self = PARK_RESERVATIONS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->payments, g_hash_table_unref);
  g_free (self->message);
  g_free (self->receipt_text);
  G_OBJECT_CLASS (park_reservations_page_parent_class)->finalize (object);
}

static void
park_reservations_page_class_init (ParkReservationsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = park_reservations_page_dispose;
  object_class->finalize = park_reservations_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/parkade/Parkade/ui/park-reservations-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ParkReservationsPage, toasts);
  gtk_widget_class_bind_template_child (widget_class, ParkReservationsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, ParkReservationsPage, stale_label);
  gtk_widget_class_bind_template_child (widget_class, ParkReservationsPage, list_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_install_action (widget_class, "reservations.extend", "(su)", extend_action);
  gtk_widget_class_install_action (widget_class, "reservations.ask-cancel", "s", ask_cancel_action);
  gtk_widget_class_install_action (widget_class, "reservations.receipt", "s", receipt_action);
}

static void
park_reservations_page_init (ParkReservationsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->payments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_ptr_array_unref);
}

void
park_reservations_page_set_client (ParkReservationsPage *self,
                                   ParkClient           *client,
                                   ParkLiveFeed         *feed)
{
  g_return_if_fail (PARK_IS_RESERVATIONS_PAGE (self));
  g_set_object (&self->client, client);
  g_set_object (&self->feed, feed);
  self->event_handler = g_signal_connect (feed, "reservation-event",
                                          G_CALLBACK (reservation_event_cb), self);
  self->payment_handler = g_signal_connect (feed, "payment-event",
                                            G_CALLBACK (payment_event_cb), self);
}

void
park_reservations_page_reload (ParkReservationsPage *self)
{
  g_return_if_fail (PARK_IS_RESERVATIONS_PAGE (self));

  if (!park_client_get_signed_in (self->client))
    {
      g_clear_object (&self->reservations);
      gtk_stack_set_visible_child_name (self->stack, "signed-out");
      return;
    }
  if (self->reservations == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  park_client_list_reservations_async (self->client, 100, self->cancellable, list_cb, self);
}

GListModel *
park_reservations_page_get_reservations (ParkReservationsPage *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATIONS_PAGE (self), NULL);
  return self->reservations;
}

void
park_reservations_page_extend (ParkReservationsPage *self,
                               const char           *reservation_id,
                               guint                 minutes)
{
  ParkReservation *res;
  g_autoptr(GDateTime) end = NULL;

  g_return_if_fail (PARK_IS_RESERVATIONS_PAGE (self));
  res = find (self, reservation_id);
  if (res == NULL)
    return;
  end = g_date_time_add_minutes (park_reservation_get_end_time (res), minutes);
  park_client_extend_reservation_async (self->client, reservation_id, end, self->cancellable,
                                        extend_cb, self);
}

void
park_reservations_page_cancel (ParkReservationsPage *self,
                               const char           *reservation_id)
{
  ParkReservation *res;
  CancelData *data;

  g_return_if_fail (PARK_IS_RESERVATIONS_PAGE (self));
  res = find (self, reservation_id);
  if (res == NULL)
    return;
  data = g_new0 (CancelData, 1);
  data->self = self;
  data->paid_before = park_reservation_get_paid (res);
  data->currency = g_strdup (park_reservation_get_currency (res));
  park_client_cancel_reservation_async (self->client, reservation_id, self->cancellable,
                                        cancel_cb, data);
}

guint
park_reservations_page_get_n_receipts (ParkReservationsPage *self,
                                       const char           *reservation_id)
{
  GPtrArray *ids;

  g_return_val_if_fail (PARK_IS_RESERVATIONS_PAGE (self), 0);
  ids = g_hash_table_lookup (self->payments, reservation_id);
  return ids != NULL ? ids->len : 0;
}

void
park_reservations_page_show_receipt (ParkReservationsPage *self,
                                     const char           *reservation_id,
                                     guint                 index)
{
  GPtrArray *ids;

  g_return_if_fail (PARK_IS_RESERVATIONS_PAGE (self));
  ids = g_hash_table_lookup (self->payments, reservation_id);
  g_return_if_fail (ids != NULL && index < ids->len);
  park_client_get_receipt_text_async (self->client, g_ptr_array_index (ids, index),
                                      self->cancellable, receipt_text_cb, self);
}

const char *
park_reservations_page_get_receipt_text (ParkReservationsPage *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATIONS_PAGE (self), NULL);
  return self->receipt_text;
}

const char *
park_reservations_page_get_message (ParkReservationsPage *self)
{
  g_return_val_if_fail (PARK_IS_RESERVATIONS_PAGE (self), NULL);
  return self->message;
}

/* Forgets the driver's reservations (a kiosk, between drivers). */
void
park_reservations_page_reset (ParkReservationsPage *self)
{
  GtkWidget *child;

  g_return_if_fail (PARK_IS_RESERVATIONS_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->reservations);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->receipt_text, g_free);
  g_hash_table_remove_all (self->payments);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  gtk_stack_set_visible_child_name (self->stack, "signed-out");
}
