/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-reply.h: the request every handler receives, its query-parameter readers and the one
 * place where answers, problems (RFC 9457) and GErrors become HTTP.
 */
#pragma once

#define H2O_USE_LIBUV 0
#include <h2o.h>
#include <json-glib/json-glib.h>

#include "parkd-json.h"
#include "parkd-store.h"

G_BEGIN_DECLS

typedef struct _ParkdServer ParkdServer;
typedef struct _ParkdWorker ParkdWorker;
typedef struct _ParkdRequest ParkdRequest;

typedef void (*ParkdHandlerFunc) (ParkdRequest *r);

typedef struct
{
  const char       *method;
  const char       *pattern;     /* "/api/v1/parking-lots/{id}/spots" */
  ParkdHandlerFunc  handler;
  gboolean          takes_body;  /* a JSON object body */
} ParkdRoute;

#define PARKD_MAX_PATH_PARAMS 4

struct _ParkdRequest
{
  h2o_req_t        *req;
  ParkdServer      *server;
  ParkdWorker      *worker;
  ParkdStore       *store;
  const ParkdRoute *route;       /* NULL when nothing matched */
  const char       *params[PARKD_MAX_PATH_PARAMS];
  guint             n_params;
  GPtrArray        *query;       /* pairs: name, value, name, value ... (decoded) */
  JsonNode         *body;        /* for routes that take one */
  char              id[40];      /* request id, echoed in X-Request-Id */
  gint64            start_us;
  int               status;      /* 0 until answered */
};

extern const ParkdRoute parkd_routes[];
extern const guint      parkd_n_routes;

/* Query parameters. Each reader answers 400 itself and returns FALSE on bad input. */
gboolean    parkd_request_allow_params (ParkdRequest       *r,
                                        const char * const *names);
const char *parkd_request_param        (ParkdRequest       *r,
                                        const char         *name);
gboolean    parkd_request_double       (ParkdRequest       *r,
                                        const char         *name,
                                        double              min,
                                        double              max,
                                        double             *value);
gboolean    parkd_request_uint         (ParkdRequest       *r,
                                        const char         *name,
                                        guint               min,
                                        guint               max,
                                        guint              *value);
gboolean    parkd_request_int          (ParkdRequest       *r,
                                        const char         *name,
                                        int                 min,
                                        int                 max,
                                        int                *value);
gboolean    parkd_request_bool         (ParkdRequest       *r,
                                        const char         *name,
                                        gboolean           *value);
gboolean    parkd_request_is_uuid      (const char         *str);
gboolean    parkd_parse_decimal        (const char         *text,
                                        double             *value);

/* Answers. Each takes ownership of @body. */
void        parkd_reply_json           (ParkdRequest       *r,
                                        int                 status,
                                        GString            *body);
void        parkd_reply_text           (ParkdRequest       *r,
                                        int                 status,
                                        const char         *content_type,
                                        GString            *body);
void        parkd_reply_problem        (ParkdRequest       *r,
                                        int                 status,
                                        const char         *code,
                                        const char         *field,
                                        const char         *format,
                                        ...) G_GNUC_PRINTF (5, 6);
void        parkd_reply_error          (ParkdRequest       *r,
                                        const GError       *error);
void        parkd_reply_add_header     (ParkdRequest       *r,
                                        const char         *name,
                                        const char         *value);

/* Handlers, one file per resource family. */
void parkd_handle_health        (ParkdRequest *r);
void parkd_handle_ready         (ParkdRequest *r);
void parkd_handle_metrics       (ParkdRequest *r);
void parkd_handle_openapi       (ParkdRequest *r);
void parkd_handle_info          (ParkdRequest *r);
void parkd_handle_lots_search   (ParkdRequest *r);
void parkd_handle_lot_get       (ParkdRequest *r);
void parkd_handle_lot_spots     (ParkdRequest *r);
void parkd_handle_availability  (ParkdRequest *r);

void parkd_json_append_lot      (GString        *out,
                                 const ParkdLot *lot,
                                 GDateTime      *now);

G_END_DECLS
