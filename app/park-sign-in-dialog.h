/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-sign-in-dialog.h: signing in, or making an account, to book and to keep bookings.
 */
#pragma once

#include <adwaita.h>
#include <park-core.h>

G_BEGIN_DECLS

#define PARK_TYPE_SIGN_IN_DIALOG (park_sign_in_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ParkSignInDialog, park_sign_in_dialog, PARK, SIGN_IN_DIALOG, AdwWindow)

typedef void (*ParkSignedInFunc) (gpointer user_data);

ParkSignInDialog *park_sign_in_dialog_present (ParkClient       *client,
                                               GtkWindow        *parent,
                                               ParkSignedInFunc  func,
                                               gpointer          user_data);
void              park_sign_in_dialog_submit  (ParkSignInDialog *self,
                                               const char       *email,
                                               const char       *password,
                                               const char       *first_name,
                                               const char       *last_name);
const char       *park_sign_in_dialog_get_error (ParkSignInDialog *self);

G_END_DECLS
