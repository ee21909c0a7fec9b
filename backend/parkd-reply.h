/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-reply.h: the request every handler receives, its query-parameter readers and the one
 * place where answers, problems (RFC 9457) and GErrors become HTTP.
 */
#pragma once

#define H2O_USE_LIBUV 0
#include <h2o.h>
#include <json-glib/json-glib.h>

#include "parkd-auth.h"
#include "parkd-json.h"
#include "parkd-store.h"
#include "parkd-stripe.h"

G_BEGIN_DECLS

typedef struct _ParkdServer ParkdServer;
typedef struct _ParkdWorker ParkdWorker;
typedef struct _ParkdRequest ParkdRequest;
typedef struct _ParkdPending ParkdPending;

typedef void (*ParkdHandlerFunc) (ParkdRequest *r);

typedef enum
{
  PARKD_ROUTE_BODY       = 1 << 0,  /* takes a JSON object body */
  PARKD_ROUTE_BLOCKING   = 1 << 1,  /* hashes passwords or writes: runs off the event loop */
  PARKD_ROUTE_AUTH_LIMIT = 1 << 2,  /* sign-in, register, refresh: the strict rate limit */
  PARKD_ROUTE_PAYMENT    = 1 << 3,  /* takes money: with Redis away, refused, not unlimited */
  PARKD_ROUTE_HASH       = 1 << 4,  /* hashes a password: always on the small blocking pool */
  PARKD_ROUTE_LOOP       = 1 << 5,  /* never waits on the store: stays on the event loop even
                                     * with a store across the network */
  PARKD_ROUTE_KIOSK      = 1 << 6,  /* a kiosk's key may stand in for a driver's token (a
                                     * guest without an account, issue 7) */
} ParkdRouteFlags;

/* The kiosk of a request that sent "Authorization: Kiosk KEY" (parkd-handler-kiosks.c). */
typedef struct
{
  char id[40];
  char operator_id[40];
  char lot_id[40];
} ParkdKioskPrincipal;

/* Who may call a route: a bit per ParkdRole; 0 for everybody, signed in or not. */
#define PARKD_ROLE_BIT(role)   (1u << (role))
#define PARKD_ROLES_USER       0xfu
#define PARKD_ROLES_STAFF      (PARKD_ROLE_BIT (PARKD_ROLE_ATTENDANT) | \
                                PARKD_ROLE_BIT (PARKD_ROLE_OPERATOR) | \
                                PARKD_ROLE_BIT (PARKD_ROLE_ADMIN))
#define PARKD_ROLES_MANAGER    (PARKD_ROLE_BIT (PARKD_ROLE_OPERATOR) | \
                                PARKD_ROLE_BIT (PARKD_ROLE_ADMIN))
#define PARKD_ROLES_ADMIN      PARKD_ROLE_BIT (PARKD_ROLE_ADMIN)

typedef struct
{
  const char       *method;
  const char       *pattern;     /* "/api/v1/parking-lots/{id}/spots" */
  ParkdHandlerFunc  handler;
  guint             flags;       /* ParkdRouteFlags */
  guint             roles;       /* PARKD_ROLES_*, 0: public */
} ParkdRoute;

#define PARKD_MAX_PATH_PARAMS 4

struct _ParkdRequest
{
  h2o_req_t        *req;
  ParkdServer      *server;
  ParkdWorker      *worker;
  ParkdStore       *store;
  ParkdAuth        *auth;
  ParkdStripe      *stripe;      /* NULL: card payments are off */
  const ParkdRoute *route;       /* NULL when nothing matched */
  const char       *params[PARKD_MAX_PATH_PARAMS];
  guint             n_params;
  GPtrArray        *query;       /* pairs: name, value, name, value ... (decoded) */
  JsonNode         *body;        /* for routes that take one */
  char              id[40];      /* request id, echoed in X-Request-Id */
  gint64            start_us;
  int               status;      /* 0 until answered */
  char              client[64];  /* the peer's address: parkd_request_get_client() */
  ParkdPrincipal   *principal;   /* NULL: nobody signed in */
  ParkdPrincipal    principal_storage;
  ParkdKioskPrincipal *kiosk;    /* a kiosk's key instead of a token, else NULL */
  ParkdKioskPrincipal  kiosk_storage;
  const char          *kiosk_key;  /* that key, checked off the loop (a store across the
                                    * network), in the request's pool; else NULL */
  gsize                kiosk_key_len;
  char                 kiosk_bucket[65]; /* the key's SHA-256 in hex: its rate limit's name,
                                          * the same on every replica; "" when none */

  /* A handler on the blocking pool answers into these; the loop sends them. */
  gboolean          suspended;   /* answered later, see parkd_request_suspend() */
  ParkdPending     *pending;     /* set while another thread works for this request */
  gboolean          off_loop;
  gboolean          check_staff; /* the staff account is checked off the loop, first */
  int               pending_status;
  const char       *pending_type;
  GString          *pending_body;
  GPtrArray        *pending_headers;  /* name, value, name, value ... */
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
/* An RFC 3339 time that names its offset (or Z), as UTC; NULL for anything else (a time
 * without an offset would be read in the server's own zone). */
GDateTime  *parkd_parse_time_utc       (const char         *text);
gboolean    parkd_parse_decimal        (const char         *text,
                                        double             *value);

/* JSON body members. Each reader answers 400 naming the field and returns FALSE on bad
 * input; an absent optional member leaves *@value untouched and @present FALSE. */
gboolean    parkd_body_allow           (ParkdRequest       *r,
                                        const char * const *allowed,
                                        const char * const *read_only);
gboolean    parkd_body_string          (ParkdRequest       *r,
                                        const char         *name,
                                        gboolean            required,
                                        guint               max_chars,
                                        const char        **value,
                                        gboolean           *present);
/* As parkd_body_string(), but a JSON null is allowed and gives *@value NULL. */
gboolean    parkd_body_string_or_null  (ParkdRequest       *r,
                                        const char         *name,
                                        guint               max_chars,
                                        const char        **value,
                                        gboolean           *present);
gboolean    parkd_body_int             (ParkdRequest       *r,
                                        const char         *name,
                                        gboolean            required,
                                        gint64              min,
                                        gint64              max,
                                        gint64             *value,
                                        gboolean           *present);
gboolean    parkd_body_double          (ParkdRequest       *r,
                                        const char         *name,
                                        gboolean            required,
                                        double              min,
                                        double              max,
                                        double             *value,
                                        gboolean           *present);
gboolean    parkd_body_bool            (ParkdRequest       *r,
                                        const char         *name,
                                        gboolean           *value,
                                        gboolean           *present);

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

/* A handler that hands its work to another thread (a booking to the store's batcher)
 * suspends the request on the loop and gives that thread the handle, never the request: the
 * client may hang up meanwhile and h2o then frees the request. The other thread resumes
 * the handle with @func, which runs on the request's loop and answers it; when the request
 * is gone, @data is given to @data_free instead. */
typedef void (*ParkdResumeFunc) (ParkdRequest *r,
                                 gpointer      data);

ParkdPending *parkd_request_suspend    (ParkdRequest       *r);
void        parkd_request_resume       (ParkdPending       *pending,
                                        ParkdResumeFunc     func,
                                        gpointer            data,
                                        GDestroyNotify      data_free);

/* The client's address ("192.0.2.7"), worked out when first asked for. */
const char *parkd_request_get_client   (ParkdRequest       *r);

/* The request's Idempotency-Key (@idem->key NULL without one), with the signed-in account as
 * its scope, the route it was sent to ("POST /api/v1/sessions") and a hash of the body; FALSE
 * (answered 400) for a key of the wrong size. Clear @idem with parkd_idempotency_clear(). */
gboolean    parkd_request_read_idempotency (ParkdRequest   *r,
                                        ParkdIdempotency   *idem);
void        parkd_idempotency_clear    (ParkdIdempotency   *idem);
/* Whether @idem's key answered before: TRUE with the first answer's *@status and
 * *@resource_id when this very request (route and body) came before, TRUE with *@resource_id
 * NULL when the key is new, FALSE (answered: 422 idempotency-key-reused for another request
 * under the key, or the store's error). */
gboolean    parkd_request_idempotency_seen (ParkdRequest   *r,
                                        const ParkdIdempotency *idem,
                                        int                *status,
                                        char              **resource_id);

/* The signed-in principal's tenant rules: an admin sees every operator, staff their own. */
/* The operator (?operator=SLUG, or the "operator" body field) a staff request is about: the
 * caller's own for staff (another one answers 404), any for an admin; *@op NULL for "every
 * operator" (an admin naming none, when not @required). FALSE when already answered. */
gboolean    parkd_request_resolve_operator (ParkdRequest   *r,
                                            const char     *slug,
                                            gboolean        required,
                                            gboolean        in_query,
                                            ParkdOperator **op);
gboolean    parkd_request_sees_operator (ParkdRequest     *r,
                                         const char       *operator_id);
/* An audit entry about the current request (who, from where). It borrows every string,
 * the arguments' included, so it lives on the caller's stack. */
void        parkd_request_audit_init   (ParkdRequest       *r,
                                        ParkdAudit         *audit,
                                        const char         *action,
                                        const char         *object_type,
                                        const char         *object_id,
                                        const char         *operator_id);

/* Kiosks (parkd-handler-kiosks.c). Checks the key of "Authorization: Kiosk KEY" and sets
 * r->kiosk; FALSE when answered (401 invalid-kiosk-key). */
gboolean    parkd_kiosk_admit          (ParkdRequest       *r,
                                        const char         *key,
                                        gsize               len);
/* Whether the caller may act on @res as its driver: the signed-in driver who booked it, or
 * the kiosk a guest booked it at while the booking is recent (parkd-handler-kiosks.c). */
gboolean    parkd_request_owns_reservation (ParkdRequest   *r,
                                        const ParkdReservation *res);

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
void parkd_handle_jwks          (ParkdRequest *r);
void parkd_handle_register      (ParkdRequest *r);
void parkd_handle_login         (ParkdRequest *r);
void parkd_handle_refresh       (ParkdRequest *r);
void parkd_handle_logout        (ParkdRequest *r);
void parkd_handle_me_get        (ParkdRequest *r);
void parkd_handle_me_patch      (ParkdRequest *r);
void parkd_handle_vehicles_list (ParkdRequest *r);
void parkd_handle_vehicle_add   (ParkdRequest *r);
void parkd_handle_vehicle_delete (ParkdRequest *r);
void parkd_handle_admin_operators_list  (ParkdRequest *r);
void parkd_handle_admin_operator_create (ParkdRequest *r);
void parkd_handle_admin_lots_list       (ParkdRequest *r);
void parkd_handle_admin_lot_create      (ParkdRequest *r);
void parkd_handle_admin_lots_import     (ParkdRequest *r);
void parkd_handle_admin_lot_get         (ParkdRequest *r);
void parkd_handle_admin_lot_update      (ParkdRequest *r);
void parkd_handle_admin_lot_delete      (ParkdRequest *r);
void parkd_handle_admin_spot_create     (ParkdRequest *r);
void parkd_handle_admin_spot_update     (ParkdRequest *r);
void parkd_handle_admin_spot_delete     (ParkdRequest *r);
void parkd_handle_admin_staff_list      (ParkdRequest *r);
void parkd_handle_admin_staff_create    (ParkdRequest *r);
void parkd_handle_admin_staff_update    (ParkdRequest *r);
void parkd_handle_admin_staff_delete    (ParkdRequest *r);
void parkd_handle_admin_audit_list      (ParkdRequest *r);
void parkd_handle_admin_pricing_get     (ParkdRequest *r);
void parkd_handle_admin_pricing_put     (ParkdRequest *r);
void parkd_handle_admin_discounts_list  (ParkdRequest *r);
void parkd_handle_admin_discount_create (ParkdRequest *r);
void parkd_handle_admin_discount_delete (ParkdRequest *r);
void parkd_handle_admin_cash_report     (ParkdRequest *r);
void parkd_handle_admin_sensors_list    (ParkdRequest *r);
void parkd_handle_admin_sensor_create   (ParkdRequest *r);
void parkd_handle_admin_sensor_revoke   (ParkdRequest *r);
void parkd_handle_sensor_events         (ParkdRequest *r);
void parkd_handle_admin_kiosks_list     (ParkdRequest *r);
void parkd_handle_admin_kiosk_create    (ParkdRequest *r);
void parkd_handle_admin_kiosk_revoke    (ParkdRequest *r);
void parkd_handle_analytics_occupancy   (ParkdRequest *r);
void parkd_handle_analytics_revenue     (ParkdRequest *r);
void parkd_handle_analytics_stays       (ParkdRequest *r);
void parkd_handle_quote                 (ParkdRequest *r);
void parkd_handle_spot_reserve          (ParkdRequest *r);
void parkd_handle_reservation_create    (ParkdRequest *r);
void parkd_handle_reservations_list     (ParkdRequest *r);
void parkd_handle_reservation_get       (ParkdRequest *r);
void parkd_handle_reservation_update    (ParkdRequest *r);
void parkd_handle_reservation_cancel    (ParkdRequest *r);
void parkd_handle_reservation_pay       (ParkdRequest *r);
void parkd_handle_payment_receipt       (ParkdRequest *r);
void parkd_handle_stripe_webhook        (ParkdRequest *r);
void parkd_handle_session_check_in      (ParkdRequest *r);
void parkd_handle_sessions_find         (ParkdRequest *r);
void parkd_handle_session_get           (ParkdRequest *r);
void parkd_handle_session_check_out     (ParkdRequest *r);
void parkd_handle_session_fee           (ParkdRequest *r);
void parkd_handle_session_payments      (ParkdRequest *r);
void parkd_handle_reservation_payments  (ParkdRequest *r);
void parkd_reply_payment_list           (ParkdRequest *r,
                                         GPtrArray    *payments);
void parkd_handle_reservation_checkout  (ParkdRequest *r);
void parkd_handle_shift_open            (ParkdRequest *r);
void parkd_handle_shift_current         (ParkdRequest *r);
void parkd_handle_shift_report          (ParkdRequest *r);
void parkd_handle_shift_close           (ParkdRequest *r);
void parkd_handle_lot_board             (ParkdRequest *r);
void parkd_handle_live                  (ParkdRequest *r);

/* Closes a booking's open Stripe payment pages (it is being cancelled); one paid meanwhile
 * completes, or its charge goes back. */
void   parkd_payments_end_checkouts     (ParkdRequest *r,
                                         const char   *reservation_id);
gint64 parkd_payments_refund            (ParkdRequest *r,
                                         const char   *reservation_id,
                                         gint64        amount,
                                         const char   *reason);
/* A card charge made and then not recorded (the stay was paid meanwhile, the booking's hold
 * ran out, the write failed): owes all of it back (card_refunds_due, audited) and asks Stripe
 * at once. TRUE when Stripe took the refund now; else parkd's worker tries again. */
gboolean parkd_payments_void_charge     (ParkdRequest *r,
                                         const char   *provider_ref,
                                         gint64        amount,
                                         const char   *currency,
                                         const char   *operator_id,
                                         const char   *why);
/* Asks Stripe for one refund owed (under its own Idempotency-Key: asking twice refunds once)
 * and records the answer. TRUE when done. */
gboolean parkd_payments_settle_refund   (ParkdStore     *store,
                                         ParkdStripe    *stripe,
                                         ParkdRefundDue *due);
/* Every refund owed, oldest first (the worker); returns how many were made. */
guint    parkd_payments_settle_refunds  (ParkdStore     *store,
                                         ParkdStripe    *stripe);
/* Charges @amount of @currency to @payment_method (a Stripe token) through Stripe, with an
 * idempotency key made of @subject (what is paid for), the payment method and the request's
 * Idempotency-Key. The intent (succeeded, or one that needs more, such as requires_action), or
 * NULL when answered: 402 card-declined, 400 invalid-field (payment_method refused), 502
 * payment-provider-unavailable. Card payments must be set up (r->stripe). */
ParkdStripeIntent *parkd_payments_charge_card (ParkdRequest       *r,
                                         const char         *subject,
                                         gint64              amount,
                                         const char         *currency,
                                         const char         *payment_method,
                                         const char         *description,
                                         const char * const *metadata);

/* A payment as the API shows it (the Payment schema). */
void parkd_json_append_payment          (GString                *out,
                                         const ParkdPayment     *payment);
void parkd_json_append_reservation      (GString                *out,
                                         const ParkdReservation *reservation);
void parkd_json_append_reservation_item (GString                *out,
                                         gconstpointer           reservation,
                                         GDateTime              *now);

void parkd_json_append_lot      (GString        *out,
                                 const ParkdLot *lot,
                                 GDateTime      *now);
void parkd_json_append_lot_item (GString        *out,
                                 gconstpointer   lot,
                                 GDateTime      *now);
void parkd_json_append_spot     (GString         *out,
                                 const ParkdSpot *spot);
/* The seed's PaginatedResponse around items written by @append_item. */
GString *parkd_page_to_json     (const ParkdPage *page,
                                 void (*append_item) (GString *, gconstpointer, GDateTime *));
/* Checks that the path's {id} is a UUID (400 naming @what otherwise) and lower-cases it. */
gboolean parkd_request_read_id  (ParkdRequest   *r,
                                 const char     *what);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ParkdIdempotency, parkd_idempotency_clear)

G_END_DECLS
