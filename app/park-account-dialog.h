/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-account-dialog.h: the signed-in driver's account: who, their vehicles, signing out.
 */
#pragma once

#include <adwaita.h>
#include <park-core.h>

G_BEGIN_DECLS

#define PARK_TYPE_ACCOUNT_DIALOG (park_account_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ParkAccountDialog, park_account_dialog, PARK, ACCOUNT_DIALOG, AdwWindow)

ParkAccountDialog *park_account_dialog_new          (ParkClient        *client,
                                                     GtkWindow         *parent);
GListModel        *park_account_dialog_get_vehicles (ParkAccountDialog *self);
void               park_account_dialog_add_vehicle  (ParkAccountDialog *self,
                                                     const char        *plate,
                                                     const char        *country);
void               park_account_dialog_remove_vehicle (ParkAccountDialog *self,
                                                       const char        *vehicle_id);
const char        *park_account_dialog_get_error    (ParkAccountDialog *self);

G_END_DECLS
