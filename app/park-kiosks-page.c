/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-kiosks-page.c: an operator's kiosks (issue 7), where drivers without an account book
 * and pay. The page is the sensors' (park-device-keys-page.c); a kiosk stands at one of the
 * operator's lots, which its row names with the time it was made.
 */
#include "config.h"

#include "park-kiosks-page.h"
#include "park-format.h"

#include <glib/gi18n.h>

struct _ParkKiosksPage
{
  ParkDeviceKeysPage parent_instance;
};

G_DEFINE_FINAL_TYPE (ParkKiosksPage, park_kiosks_page, PARK_TYPE_DEVICE_KEYS_PAGE)

static char *
dup_subtitle (ParkDeviceKeysPage *page,
              gpointer            device)
{
  ParkKiosk *kiosk = device;
  g_autofree char *made = park_format_local_time (park_kiosk_get_created_at (kiosk), NULL);

  /* Translators: a kiosk's lot, then when it was made */
  return g_strdup_printf (_("%s · made %s"), park_kiosk_get_lot_name (kiosk), made);
}

static const ParkDeviceKeysKind kiosks = {
  .create_action = "kiosks.create",
  .item_type = park_kiosk_get_type,
  .context = "kiosk",
  .active = NC_("kiosk", "Active"),
  .revoked = NC_("kiosk", "Revoked"),
  .title = N_("Kiosks"),
  .description = N_("With its own key, a kiosk at one of your lots lets drivers without an "
                    "account book and pay there. A revoked key stops working at once."),
  .form_title = N_("New Kiosk"),
  .name_title = N_("Name (e.g. Entrance kiosk)"),
  .lot_subtitle = N_("The lot it stands at"),
  .create_label = N_("_Create Kiosk"),
  .none_yet = N_("No kiosks yet. Create one below."),
  .revoke_body = N_("Its key stops working at once and cannot be used again: drivers without "
                    "an account can no longer book there. To bring the kiosk back, create a "
                    "new one and give it the new key."),
  .revoked_toast = N_("Kiosk revoked: its key no longer works"),
  .key_body = N_("Save this key in the kiosk's key file now (the kiosk-key-file setting). It "
                 "is shown only this once; if it is lost, revoke the kiosk and create a new "
                 "one."),
  .key_name = N_("Kiosk key"),
  .any_lot = NULL,
  .no_lot = N_("Choose the lot the kiosk stands at."),
  .lot_field = N_("Lot"),
  .dup_subtitle = dup_subtitle,
  .list_async = park_client_list_kiosks_async,
  .list_finish = park_client_list_kiosks_finish,
  .create_async = park_client_create_kiosk_async,
  .create_finish = (gpointer (*) (ParkClient *, GAsyncResult *, GError **))
                   park_client_create_kiosk_finish,
  .revoke_async = park_client_revoke_kiosk_async,
  .revoke_finish = park_client_revoke_kiosk_finish,
};

static void
park_kiosks_page_class_init (ParkKiosksPageClass *klass)
{
  park_device_keys_page_class_set_kind (PARK_DEVICE_KEYS_PAGE_CLASS (klass), &kiosks);
}

static void
park_kiosks_page_init (ParkKiosksPage *self)
{
}
