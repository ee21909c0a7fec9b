/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-reservations-page.h: the signed-in driver's bookings: extend, cancel with the refund
 * shown, and the state of each.
 */
#pragma once

#include <gtk/gtk.h>
#include <park-core.h>

G_BEGIN_DECLS

#define PARK_TYPE_RESERVATIONS_PAGE (park_reservations_page_get_type ())

G_DECLARE_FINAL_TYPE (ParkReservationsPage, park_reservations_page, PARK, RESERVATIONS_PAGE, GtkWidget)

void        park_reservations_page_set_client       (ParkReservationsPage *self,
                                                     ParkClient           *client,
                                                     ParkLiveFeed         *feed);
void        park_reservations_page_reload           (ParkReservationsPage *self);
GListModel *park_reservations_page_get_reservations (ParkReservationsPage *self);
void        park_reservations_page_extend           (ParkReservationsPage *self,
                                                     const char           *reservation_id,
                                                     guint                 minutes);
void        park_reservations_page_cancel           (ParkReservationsPage *self,
                                                     const char           *reservation_id);
const char *park_reservations_page_get_message      (ParkReservationsPage *self);
void        park_reservations_page_reset            (ParkReservationsPage *self);
guint       park_reservations_page_get_n_receipts   (ParkReservationsPage *self,
                                                     const char           *reservation_id);
void        park_reservations_page_show_receipt     (ParkReservationsPage *self,
                                                     const char           *reservation_id,
                                                     guint                 index);
const char *park_reservations_page_get_receipt_text (ParkReservationsPage *self);

G_END_DECLS
