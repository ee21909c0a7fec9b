/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-error-private.h: building PARK_CLIENT_ERRORs inside core/. */
#pragma once

#include "park-error.h"

G_BEGIN_DECLS

GError *_park_client_error_new_from_body        (guint         http_status,
                                                 const char   *content_type,
                                                 GBytes       *body,
                                                 guint         retry_after);
GError *_park_client_error_new_invalid_response (const char   *field,
                                                 const char   *format,
                                                 ...) G_GNUC_PRINTF (2, 3);
GError *_park_client_error_new_invalid_field    (const char   *field,
                                                 const char   *format,
                                                 ...) G_GNUC_PRINTF (2, 3);
guint   _park_client_error_parse_retry_after    (const char   *header);
GError *_park_client_error_new_offline          (void);

G_END_DECLS
