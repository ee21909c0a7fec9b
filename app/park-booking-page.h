/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-booking-page.h: booking a spot: start and duration, the quote with its breakdown, a
 * spot or the lot's choice, how to pay, and the confirmation with the reservation code.
 */
#pragma once

#include <gtk/gtk.h>
#include <park-core.h>

G_BEGIN_DECLS

#define PARK_TYPE_BOOKING_PAGE (park_booking_page_get_type ())

G_DECLARE_FINAL_TYPE (ParkBookingPage, park_booking_page, PARK, BOOKING_PAGE, GtkWidget)

void             park_booking_page_set_client      (ParkBookingPage *self,
                                                    ParkClient      *client);
void             park_booking_page_start           (ParkBookingPage *self,
                                                    ParkLot         *lot,
                                                    const char      *spot_id);
ParkQuote       *park_booking_page_get_quote       (ParkBookingPage *self);
ParkReservation *park_booking_page_get_reservation (ParkBookingPage *self);
void             park_booking_page_set_duration    (ParkBookingPage *self,
                                                    guint            minutes);
void             park_booking_page_book            (ParkBookingPage *self);
void             park_booking_page_book_as_guest   (ParkBookingPage *self,
                                                    const char      *plate);
const char      *park_booking_page_get_error       (ParkBookingPage *self);
void             park_booking_page_reset           (ParkBookingPage *self);
void             park_booking_page_apply_discount  (ParkBookingPage *self,
                                                    const char      *code);
/* At a kiosk the payment page is only a QR code to scan (no browser to open here). */
void             park_booking_page_set_kiosk       (ParkBookingPage *self,
                                                    gboolean         kiosk);
/* Pay by card now (Stripe's payment page) rather than at the booth. */
void             park_booking_page_set_pay_by_card (ParkBookingPage *self,
                                                    gboolean         by_card);
/* The payment page shown (as a QR code) while the booking waits for its card payment, or
 * NULL. */
const char      *park_booking_page_get_checkout_url (ParkBookingPage *self);
void             park_booking_page_release_async   (ParkBookingPage     *self,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean         park_booking_page_release_finish  (ParkBookingPage     *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* "form", "card" (waiting for the card payment) or "confirmation". */
const char      *park_booking_page_get_view        (ParkBookingPage *self);

G_END_DECLS
