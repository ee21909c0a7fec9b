/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <park-core.h>

G_BEGIN_DECLS

#define PARK_TYPE_DEVICE_KEYS_PAGE (park_device_keys_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (ParkDeviceKeysPage, park_device_keys_page, PARK, DEVICE_KEYS_PAGE,
                          GtkWidget)

typedef struct _ParkDeviceKeysKind ParkDeviceKeysKind;

/* What one kind of device (ParkSensorsPage, ParkKiosksPage) says and calls. Its objects have
 * the properties id, name, key and revoked-at. The words are marked with N_() (@active and
 * @revoked with NC_() in @context) and translated where they are shown. */
struct _ParkDeviceKeysKind
{
  const char *create_action;    /* "kiosks.create", the form's button */
  GType     (*item_type) (void);

  const char *context;
  const char *active;
  const char *revoked;
  const char *title;            /* of the list: "Kiosks" */
  const char *description;
  const char *form_title;       /* "New Kiosk" */
  const char *name_title;       /* "Name (e.g. Entrance kiosk)" */
  const char *lot_subtitle;     /* "The lot it stands at" */
  const char *create_label;     /* "_Create Kiosk" */
  const char *none_yet;         /* "No kiosks yet. Create one below." */
  const char *revoke_body;      /* the confirmation's */
  const char *revoked_toast;
  const char *key_body;         /* the dialog that shows the new key */
  const char *key_name;         /* the key's accessible name: "Kiosk key" */
  const char *any_lot;          /* the first lot to choose, for none; NULL: one must be chosen */
  const char *no_lot;           /* the error when none is chosen and there is no @any_lot */
  const char *lot_field;        /* the lot's name in the server's error about it, or NULL */

  /* The row's subtitle. */
  char       *(*dup_subtitle)  (ParkDeviceKeysPage   *self,
                                gpointer              device);

  void        (*list_async)    (ParkClient           *client,
                                const char           *operator_slug,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data);
  GListModel *(*list_finish)   (ParkClient           *client,
                                GAsyncResult         *result,
                                GError              **error);
  void        (*create_async)  (ParkClient           *client,
                                const char           *operator_slug,
                                const char           *name,
                                const char           *lot_id,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data);
  gpointer    (*create_finish) (ParkClient           *client,
                                GAsyncResult         *result,
                                GError              **error);
  void        (*revoke_async)  (ParkClient           *client,
                                const char           *id,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data);
  gboolean    (*revoke_finish) (ParkClient           *client,
                                GAsyncResult         *result,
                                GError              **error);
};

struct _ParkDeviceKeysPageClass
{
  GtkWidgetClass parent_class;

  const ParkDeviceKeysKind *kind;
};

/* For a kind's class_init: its words and calls, and its create action. */
void        park_device_keys_page_class_set_kind (ParkDeviceKeysPageClass  *klass,
                                                  const ParkDeviceKeysKind *kind);

void        park_device_keys_page_set_client     (ParkDeviceKeysPage *self,
                                                  ParkClient         *client);
/* The lots a new device may be tied to (the operator's), by name. */
void        park_device_keys_page_set_lots       (ParkDeviceKeysPage *self,
                                                  GListModel         *lots);
void        park_device_keys_page_reload         (ParkDeviceKeysPage *self);
/* The name of the operator's lot @lot_id, or NULL. */
const char *park_device_keys_page_get_lot_name   (ParkDeviceKeysPage *self,
                                                  const char         *lot_id);

/* For the tests, which drive the same widgets and actions a person uses. */
GListModel *park_device_keys_page_get_devices    (ParkDeviceKeysPage *self);
guint       park_device_keys_page_get_loads      (ParkDeviceKeysPage *self);
GtkWidget  *park_device_keys_page_get_field      (ParkDeviceKeysPage *self,
                                                  const char         *field);
const char *park_device_keys_page_get_error      (ParkDeviceKeysPage *self);
void        park_device_keys_page_revoke         (ParkDeviceKeysPage *self,
                                                  const char         *id);
const char *park_device_keys_page_get_shown_key  (ParkDeviceKeysPage *self);

G_END_DECLS
