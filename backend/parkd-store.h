/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store.h: the storage contract of parkd.
 *
 * Every handler talks to a ParkdStore, never to SQLite directly, so that a PostgreSQL + PostGIS
 * store can be added behind the same functions. A store may be used from any thread: the SQLite
 * implementation keeps one read connection per thread and one writer connection behind a mutex.
 *
 * Conventions shared by every implementation: ids are UUID strings, money is integer minor
 * units with an ISO 4217 currency, timestamps are UTC RFC 3339 strings ("2026-11-24T17:11:59Z").
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PARKD_STORE_ERROR (parkd_store_error_quark ())

typedef enum
{
  PARKD_STORE_ERROR_NOT_FOUND,
  PARKD_STORE_ERROR_CONFLICT,
  PARKD_STORE_ERROR_CONSTRAINT,
  PARKD_STORE_ERROR_BACKEND,
  PARKD_STORE_ERROR_MISMATCH,   /* an Idempotency-Key used again with another request */
  PARKD_STORE_ERROR_STATE,      /* not allowed in the object's current state */
} ParkdStoreError;

GQuark parkd_store_error_quark (void);

typedef enum
{
  PARKD_SPOT_TYPE_REGULAR,
  PARKD_SPOT_TYPE_DISABLED,
  PARKD_SPOT_TYPE_EV,
  PARKD_SPOT_TYPE_COMPACT,
  PARKD_SPOT_TYPE_MOTORCYCLE,
  PARKD_N_SPOT_TYPES
} ParkdSpotType;

typedef enum
{
  PARKD_SPOT_STATE_AVAILABLE,
  PARKD_SPOT_STATE_OCCUPIED,
  PARKD_SPOT_STATE_RESERVED,
  PARKD_SPOT_STATE_OUT_OF_SERVICE,
  PARKD_N_SPOT_STATES
} ParkdSpotState;

const char *parkd_spot_type_to_string  (ParkdSpotType   type);
gboolean    parkd_spot_type_from_string (const char     *str,
                                         ParkdSpotType  *type);
const char *parkd_spot_state_to_string (ParkdSpotState  state);
gboolean    parkd_spot_state_from_string (const char    *str,
                                          ParkdSpotState *state);

typedef struct
{
  char   *id;
  char   *slug;
  char   *name;
  char   *city;
  char   *time_zone;   /* IANA, e.g. "Europe/Berlin" */
  char   *currency;    /* ISO 4217, e.g. "EUR" */
  char   *created_at;
} ParkdOperator;

typedef struct
{
  guint total;
  guint available;
} ParkdAvailability;

typedef struct
{
  char              *id;
  char              *operator_id;
  char              *operator_slug;
  char              *operator_name;
  char              *name;
  char              *address;
  char              *city;
  double             lat;
  double             lng;
  char              *lot_type;         /* multi_storey, underground, surface, other */
  guint              total_spots;
  gint64             hourly_rate;      /* minor units of @currency */
  char              *currency;
  char              *time_zone;
  char              *operating_hours;  /* JSON object text, validated on write */
  char              *amenities;        /* JSON array text, validated on write */
  char              *status;           /* open, closed */
  char              *created_at;
  char              *updated_at;
  ParkdAvailability  availability[PARKD_N_SPOT_TYPES];
  double             distance_m;       /* set by searches, else -1 */
  /* Where a caller may keep something derived from the fields above (a rendered JSON
   * fragment), for as long as the store's copy of this lot is current: set it with
   * g_atomic_pointer_compare_and_exchange; the store frees it with g_free. NULL when the
   * lot is a private copy. */
  gpointer          *render_cache;
} ParkdLot;

typedef struct
{
  char           *id;
  char           *lot_id;
  char           *number;
  ParkdSpotType   type;
  int             level;
  ParkdSpotState  state;
  char           *updated_at;
} ParkdSpot;

/* A search: either a circle (lat, lng, radius_m) or a box; distances are measured from
 * (lat, lng), which for a box defaults to its centre. */
typedef struct
{
  gboolean       has_bbox;
  double         min_lng, min_lat, max_lng, max_lat;
  double         lat, lng;
  double         radius_m;          /* ignored for a box */
  gboolean       has_spot_type;
  ParkdSpotType  spot_type;
  gboolean       available_only;
  const char    *text;              /* name, address or city holds it (case-folded), or NULL */
  guint          page;              /* 1-based */
  guint          per_page;
} ParkdLotQuery;

typedef struct
{
  gboolean        has_type;
  ParkdSpotType   type;
  gboolean        has_state;
  ParkdSpotState  state;
  gboolean        has_level;
  int             level;
  guint           page;
  guint           per_page;
} ParkdSpotQuery;

/* One page of results: @items holds ParkdLot * or ParkdSpot *, freed with the page. Items
 * may borrow their strings from @keepalive (a store's shared, immutable data), which the page
 * holds until it is freed. */
typedef struct
{
  GPtrArray      *items;
  guint64         total;
  guint           page;
  guint           per_page;
  gpointer        keepalive;
  GDestroyNotify  keepalive_free;
} ParkdPage;

/* What the GeoJSON importer and the demo hand to the store: one lot and its spots. */
typedef struct
{
  ParkdLot   lot;                     /* id, created_at, updated_at are filled by the store */
  guint      n_spots[PARKD_N_SPOT_TYPES];
  guint      n_levels;                /* spots are spread over levels 0..n_levels-1 (or -n for underground) */
  gboolean   underground;
  double     occupancy;               /* 0..1: fraction of spots marked occupied */
  guint32    occupancy_seed;
  gboolean   existed;                 /* set by the store: the operator already had this lot
                                       * (same name and place), so it was left alone */
} ParkdNewLot;

/* One event of the outbox (DESIGN.md, Events). */
typedef struct
{
  gint64  seq;
  char   *id;
  char   *type;         /* ParkingSpotBooked, SpotStateChanged, ... */
  char   *aggregate;    /* "reservation:<id>", "lot:<id>", ... */
  char   *operator_id;  /* NULL for events of nobody's operator */
  char   *payload;      /* JSON object text */
  char   *created_at;
  char   *user_id;      /* the driver it concerns (a reservation's, a payment's), or NULL */
} ParkdEvent;

/* Where a lot's live feed stands: its last message's number and what it said. */
typedef struct
{
  char              *lot_id;
  gint64             seq;
  char              *status;
  ParkdAvailability  availability[PARKD_N_SPOT_TYPES];
} ParkdLotFeed;

typedef struct
{
  guint64 operators;
  guint64 lots;
  guint64 spots;
} ParkdStoreCounts;

/* Accounts (issue 3). The store never sees a secret in the clear: @password_hash is an
 * argon2id string, sealed fields are libsodium secretbox output and hashes are keyed BLAKE2b,
 * all made by the caller (parkd-keys.c). */
typedef enum
{
  PARKD_ROLE_DRIVER,
  PARKD_ROLE_ATTENDANT,
  PARKD_ROLE_OPERATOR,
  PARKD_ROLE_ADMIN,
  PARKD_N_ROLES
} ParkdRole;

const char *parkd_role_to_string   (ParkdRole    role);
gboolean    parkd_role_from_string (const char  *str,
                                    ParkdRole   *role);

typedef struct
{
  char      *id;
  char      *email;            /* lower case */
  char      *password_hash;
  char      *first_name;
  char      *last_name;
  GBytes    *phone_sealed;     /* NULL: no phone */
  ParkdRole  role;
  char      *operator_id;      /* staff only, else NULL */
  char      *operator_slug;    /* filled on reads */
  char      *operator_name;    /* filled on reads */
  gboolean   disabled;
  char      *created_at;
  char      *updated_at;
} ParkdUser;

typedef struct
{
  char   *id;
  char   *user_id;
  GBytes *plate_sealed;
  GBytes *plate_hash;          /* 32 bytes */
  char   *country;             /* ISO 3166-1 alpha-2 or NULL */
  char   *nickname;
  char   *created_at;
} ParkdVehicle;

/* One line of the audit log. Handed to every write so it lands in the same transaction. */
typedef struct
{
  gint64  id;                  /* set by the store */
  char   *at;                  /* set by the store when NULL */
  char   *actor_id;            /* NULL: nobody signed in */
  char   *action;              /* "auth.login", "lot.update", ... */
  char   *object_type;
  char   *object_id;           /* NULL: the id of what was written (a create's new id) */
  char   *operator_id;
  char   *client;
  char   *detail;              /* JSON object text, or NULL for "{}" */
} ParkdAudit;

typedef enum
{
  PARKD_REFRESH_OK,            /* rotated: the old token is spent, the new one stored */
  PARKD_REFRESH_UNKNOWN,       /* no such token, or it expired */
  PARKD_REFRESH_REVOKED,       /* its family was revoked earlier */
  PARKD_REFRESH_REUSED,        /* already rotated: the family is revoked now */
} ParkdRefreshResult;

/* What a successful sign-in or refresh leaves behind. */
typedef struct
{
  char *user_id;
  char *family_id;
} ParkdSession;

/* The Idempotency-Key of a POST that books, charges or checks a car in or out: who sent it
 * (@scope, the user id), the key, the route it was sent to and a hash of its body. The store
 * keeps the first answer's status and resource with the write, in the same transaction. */
typedef struct
{
  char   *scope;
  char   *key;
  char   *route;
  GBytes *body_hash;
} ParkdIdempotency;

/* Reservations (issue 4). Times are UTC RFC 3339 and compare as text. */
typedef enum
{
  PARKD_RESERVATION_PENDING_PAYMENT,
  PARKD_RESERVATION_CONFIRMED,
  PARKD_RESERVATION_CHECKED_IN,
  PARKD_RESERVATION_COMPLETED,
  PARKD_RESERVATION_CANCELLED,
  PARKD_RESERVATION_EXPIRED,
  PARKD_RESERVATION_NO_SHOW,
  PARKD_N_RESERVATION_STATUSES
} ParkdReservationStatus;

const char *parkd_reservation_status_to_string   (ParkdReservationStatus  status);
gboolean    parkd_reservation_status_from_string (const char             *str,
                                                  ParkdReservationStatus *status);

typedef struct
{
  char                   *id;
  char                   *code;
  char                   *user_id;
  char                   *operator_id;
  char                   *lot_id;
  char                   *lot_name;
  char                   *time_zone;
  char                   *spot_id;
  char                   *spot_number;
  ParkdSpotType           spot_type;
  int                     level;
  char                   *start_time;
  char                   *end_time;
  ParkdReservationStatus  status;
  char                   *hold_until;     /* pending_payment only */
  gint64                  total;
  gint64                  paid;           /* succeeded payments less refunds */
  char                   *currency;
  char                   *breakdown;      /* JSON object text */
  char                   *quote_id;
  char                   *created_at;
  char                   *updated_at;
  char                   *checked_in_at;
  char                   *checked_out_at;
  char                   *cancelled_at;
  char                   *kiosk_id;       /* a guest's booking: the kiosk it was made at */
} ParkdReservation;

/* What a booking asks for. Either @spot_id, or @spot_type and the store picks a free spot of
 * that type in @lot_id (lowest level, then number). */
typedef struct
{
  char          *user_id;        /* NULL: a guest at @kiosk_id */
  char          *kiosk_id;
  char          *lot_id;
  char          *spot_id;
  ParkdSpotType  spot_type;
  char          *start_time;
  char          *end_time;
  gint64         total;
  char          *currency;
  char          *breakdown;
  char          *quote_id;
  char          *hold_until;     /* NULL: confirmed at once (nothing to pay) */
  char          *discount_id;    /* a discount code used: counted in the same transaction */
  GBytes        *plate_sealed;
  /* Idempotency-Key, when the client sent one: scope (the user), key, route, body hash. */
  char          *idem_scope;
  char          *idem_key;
  char          *idem_route;
  GBytes        *idem_hash;
} ParkdNewReservation;

typedef struct
{
  ParkdReservation *reservation;    /* booked, or the earlier answer's reservation */
  GError           *error;          /* CONFLICT (see below), NOT_FOUND, MISMATCH, ... */
  char             *conflict_start; /* CONFLICT: the time range that is taken */
  char             *conflict_end;
  gboolean          replayed;       /* the same Idempotency-Key and body came before */
  int               replayed_status;
} ParkdBookingResult;

/* A price given to a driver, honoured by a booking until @expires_at. */
typedef struct
{
  char          *id;
  char          *lot_id;
  ParkdSpotType  spot_type;
  char          *start_time;
  char          *end_time;
  gint64         total;
  char          *currency;
  char          *breakdown;     /* JSON object text */
  char          *created_at;
  char          *expires_at;
} ParkdStoredQuote;

/* A payment or its attempt. Only the provider's reference is kept: never a card. It pays
 * either a reservation or a walk-in stay (its check-out). */
typedef struct
{
  char    *id;
  char    *reservation_id;  /* NULL for a stay's payment */
  char    *session_id;      /* NULL for a reservation's payment */
  char    *user_id;
  char    *operator_id;
  char    *provider;        /* cash, stripe */
  char    *provider_ref;    /* pi_... */
  gint64   amount;
  gint64   refunded;
  char    *currency;
  char    *status;          /* pending, succeeded, failed, refunded, partially_refunded */
  gint64   tendered;        /* cash; -1 otherwise */
  gint64   change_given;    /* cash; -1 otherwise */
  char    *attendant_id;
  char    *breakdown;       /* JSON object text: what was paid for */
  char    *idem_scope;      /* the Idempotency-Key it was paid with, and whose */
  char    *idem_key;
  char    *created_at;
  char    *updated_at;
  /* For receipts, filled on reads. */
  char    *reservation_code;
  char    *lot_name;
  char    *lot_address;
  char    *time_zone;
  char    *operator_name;
  char    *operator_city;
} ParkdPayment;

/* A card refund parkd owes (sql/008-card-refunds.sql): written before Stripe is asked, done
 * once Stripe took it. Without a payment_id it is a void: all of a charge parkd made and
 * could not record. */
typedef struct
{
  gint64   id;
  char    *provider_ref;    /* pi_... */
  char    *payment_id;      /* NULL for a void */
  gint64   amount;
  char    *currency;
  char    *operator_id;
  char    *reason;
  char    *idem_key;        /* Stripe's Idempotency-Key for the refund */
  int      attempts;
  char    *last_error;
  char    *created_at;
  char    *done_at;         /* NULL while owed */
  char    *refund_ref;      /* re_..., once done */
} ParkdRefundDue;

/* A walk-in stay, or a booking's stay once its car arrived. */
typedef struct
{
  char    *id;
  char    *ticket;
  char    *lot_id;
  char    *operator_id;
  char    *time_zone;
  char    *spot_id;             /* NULL: no particular spot */
  char    *spot_number;
  char    *reservation_id;      /* a booking checked in by its code */
  char    *reservation_end;
  GBytes  *plate_sealed;
  GBytes  *plate_hash;
  char    *status;              /* active, paid, completed */
  char    *checked_in_at;
  char    *paid_at;             /* when its fee (or the last extra) was paid */
  char    *leave_by;            /* paid: the exit grace ends here */
  char    *checked_out_at;
  gint64   fee;                 /* -1 until paid; all it paid, extra time included */
  char    *currency;
  char    *breakdown;           /* of the first payment */
  char    *attendant_id;
} ParkdParkingSession;

/* A check-out, one transaction: an active stay is paid (@payment, maybe of 0) and becomes
 * paid, with leave_by exit_grace_minutes on; a paid stay leaves and is completed, paying
 * the time past its leave_by (@payment) or nothing (@payment NULL). */
typedef struct
{
  const char             *session_id;
  const char             *from_status;  /* "active" or "paid": what the fee was worked out for */
  const ParkdPayment     *payment;      /* provider, provider_ref, amount, status, tendered,
                                         * change_given, attendant_id, breakdown; or NULL */
  const char             *discount_id;  /* a validation or discount code, counted now */
  guint                   exit_grace_minutes;
  const ParkdIdempotency *idem;         /* NULL, or its key NULL: none */
} ParkdCheckOut;

typedef struct
{
  ParkdParkingSession *session;
  ParkdPayment        *payment;         /* taken by this check-out, or NULL */
  gboolean             replayed;        /* the same Idempotency-Key and body came before */
  int                  replayed_status;
} ParkdCheckOutResult;

/* A discount code an operator issues: a percentage or an amount off. */
typedef struct
{
  char    *id;
  char    *operator_id;
  char    *code;          /* upper case */
  int      percent_off;   /* 0 when amount_off */
  gint64   amount_off;    /* 0 when percent_off */
  int      max_uses;      /* 0: unlimited */
  int      uses;
  char    *expires_at;    /* NULL: never */
  char    *created_at;
} ParkdDiscount;

/* One line of a cash report: what an attendant took in cash. */
typedef struct
{
  char    *attendant_id;
  char    *attendant_email;
  guint    payments;
  gint64   taken;         /* cash received for fees */
  gint64   refunded;      /* cash given back */
  char    *currency;
} ParkdCashLine;

/* An attendant's shift (issue 8): the drawer opened with a float; cash taken and given back
 * while it is open is attributed to it. The totals are as of reading (closing, for a closed
 * shift). */
typedef struct
{
  char    *id;
  char    *attendant_id;
  char    *attendant_email;
  char    *operator_id;
  char    *lot_id;          /* NULL: not bound to a lot */
  char    *currency;
  gint64   float_amount;
  char    *opened_at;
  char    *closed_at;       /* NULL: open */
  gint64   counted;         /* -1: open */
  gint64   expected;        /* float + taken - change - refunded */
  gint64   taken;           /* cash handed over (tendered, or the amount) */
  gint64   change_given;
  gint64   refunded;        /* cash given back */
  guint    n_payments;
  guint    n_refunds;
  char    *note;
} ParkdShift;

/* A payment or refund of a shift, for its report. */
typedef struct
{
  char    *kind;            /* "payment" or "refund" */
  char    *id;
  char    *payment_id;
  gint64   amount;
  gint64   tendered;        /* -1: not given */
  gint64   change_given;    /* -1: none */
  char    *ticket;          /* the stay's ticket, or NULL */
  char    *reservation_code;/* the booking's code, or NULL */
  char    *reason;          /* refunds */
  char    *created_at;
} ParkdShiftEntry;

/* A line of the booth's board: a booking or a stay at a lot. */
typedef struct
{
  char    *kind;            /* "reservation" or "stay" */
  char    *id;
  char    *reference;       /* the booking's code or the stay's ticket */
  char    *status;
  GBytes  *plate_sealed;    /* NULL: no plate known */
  char    *first_name;
  char    *last_name;
  char    *email;
  char    *spot_number;
  char    *start_time;      /* booking start, or check-in */
  char    *end_time;        /* booking end, or a paid stay's leave_by; NULL */
} ParkdBoardItem;

typedef enum
{
  PARKD_BOARD_ARRIVALS,     /* bookings (confirmed, or held for payment) starting before
                             * @until, not over */
  PARKD_BOARD_OVERSTAYS,    /* paid stays past leave_by, booked stays past their end */
  PARKD_BOARD_CURRENT,      /* bookings and stays to search: not over, not long gone */
} ParkdBoardList;

/* An occupancy sensor in the ground (issue 5), or the gateway that speaks for several. Its
 * key is shown once when it is made; the store keeps only the key's hash. */
typedef struct
{
  char    *id;
  char    *operator_id;
  char    *lot_id;          /* NULL: any lot of the operator */
  char    *name;
  char    *created_at;
  char    *last_seen_at;    /* NULL: it never sent a reading */
  char    *revoked_at;      /* NULL: its key is accepted */
} ParkdSensorDevice;

/* A kiosk at one lot (issue 7): with its key a driver without an account books and pays
 * there. As a sensor's, its key is shown once and the store keeps only its hash. */
typedef struct
{
  char    *id;
  char    *operator_id;
  char    *lot_id;
  char    *lot_name;
  char    *name;
  char    *created_at;
  char    *revoked_at;      /* NULL: its key is accepted */
} ParkdKiosk;

/* What became of one reading. */
typedef enum
{
  PARKD_SENSOR_APPLIED,     /* the spot's state changed */
  PARKD_SENSOR_UNCHANGED,   /* the spot already was so, or is out of service */
  PARKD_SENSOR_STALE,       /* observed no later than the reading that set the spot */
  PARKD_SENSOR_DUPLICATE,   /* the device sent this event id before: nothing done */
} ParkdSensorOutcome;

const char *parkd_sensor_outcome_to_string (ParkdSensorOutcome outcome);

/* One reading of a batch. @observed_at is the sensor's clock in UTC, written
 * "2026-11-24T17:11:59.123456Z" (always six decimals), so readings compare as text. */
typedef struct
{
  const char         *event_id;
  const char         *spot_id;
  gboolean            occupied;
  const char         *observed_at;
  ParkdSensorOutcome  outcome;        /* set by the store */
} ParkdSensorReading;
/* Operator analytics (issue 5). */

/* A lot's counts from one moment on, as the events outbox (the occupancy history) keeps
 * them: "available" counts only spots in the state available. */
typedef struct
{
  gint64  at;                                 /* Unix time, seconds */
  guint   available[PARKD_N_SPOT_TYPES];
  guint   total[PARKD_N_SPOT_TYPES];
} ParkdLotCounts;

/* Money of one operator in one currency, for a day (@bucket) or a lot (@lot_id). */
typedef struct
{
  char    *currency;
  guint    bucket;        /* by day: the index of the day; by lot: 0 */
  char    *lot_id;        /* by lot only */
  char    *lot_name;
  guint    payments;      /* payments that succeeded (later refunds do not undo this) */
  gint64   gross;         /* their amounts */
  guint    refunds;
  gint64   refunded;      /* refunds made in the day or period */
} ParkdRevenueLine;

/* Stays that ended in a period: walk-ins checked out, bookings checked in and completed. */
typedef struct
{
  guint    walk_ins;
  guint    reservations;
  gint64   total_seconds;
  double   median_seconds;  /* -1 without stays */
  guint    spots;           /* spots of the lot, or of the operator(s), now */
} ParkdStaysSummary;

/* Called once, on a store thread, after the booking committed (or failed); takes the
 * result. */
typedef void (*ParkdBookingDone) (ParkdBookingResult *result,
                                  gpointer            user_data);

typedef struct _ParkdStore ParkdStore;

ParkdStore    *parkd_store_open             (const char        *uri,
                                             GError           **error);
/* As parkd_store_open(), with a read replica (PostgreSQL only) for reads of the lots. */
ParkdStore    *parkd_store_open_with_replica (const char       *uri,
                                              const char       *replica_uri,
                                              GError          **error);
void           parkd_store_free             (ParkdStore        *self);
const char    *parkd_store_get_kind         (ParkdStore        *self);
guint          parkd_store_get_concurrency  (ParkdStore        *self);
gboolean       parkd_store_ping             (ParkdStore        *self,
                                             GError           **error);
gboolean       parkd_store_warm             (ParkdStore        *self,
                                             GError           **error);
gboolean       parkd_store_counts           (ParkdStore        *self,
                                             ParkdStoreCounts  *counts,
                                             GError           **error);
ParkdPage     *parkd_store_search_lots      (ParkdStore        *self,
                                             const ParkdLotQuery *query,
                                             GError           **error);
ParkdLot      *parkd_store_get_lot          (ParkdStore        *self,
                                             const char        *id,
                                             GError           **error);
ParkdPage     *parkd_store_list_spots       (ParkdStore        *self,
                                             const char        *lot_id,
                                             const ParkdSpotQuery *query,
                                             GError           **error);
GPtrArray     *parkd_store_get_availability (ParkdStore        *self,
                                             const char * const *lot_ids,
                                             GError           **error);
gboolean       parkd_store_bounds           (ParkdStore        *self,
                                             double            *min_lng,
                                             double            *min_lat,
                                             double            *max_lng,
                                             double            *max_lat,
                                             GError           **error);
ParkdOperator *parkd_store_get_operator     (ParkdStore        *self,
                                             const char        *slug,
                                             GError           **error);
/* One transaction: the operator (created when its slug is new), the lots and @audit. */
gboolean       parkd_store_import_lots      (ParkdStore        *self,
                                             const ParkdOperator *op,
                                             ParkdNewLot      **lots,
                                             guint              n_lots,
                                             const ParkdAudit  *audit,
                                             GError           **error);

/* Operators. */
ParkdOperator *parkd_store_get_operator_by_id (ParkdStore      *self,
                                             const char        *id,
                                             GError           **error);
ParkdPage     *parkd_store_list_operators   (ParkdStore        *self,
                                             const char        *only_id,  /* NULL: all */
                                             guint              page,
                                             guint              per_page,
                                             GError           **error);
/* Fills op->id, created_at; CONFLICT when the slug is taken. */
ParkdOperator *parkd_store_create_operator  (ParkdStore        *self,
                                             const ParkdOperator *op,
                                             const ParkdAudit  *audit,
                                             GError           **error);

/* Lots and spots, as staff manage them. Lists are ordered by name, then id. */
ParkdPage     *parkd_store_list_operator_lots (ParkdStore      *self,
                                             const char        *operator_id, /* NULL: all */
                                             guint              page,
                                             guint              per_page,
                                             GError           **error);
ParkdLot      *parkd_store_create_lot       (ParkdStore        *self,
                                             const ParkdNewLot *lot,
                                             const ParkdAudit  *audit,
                                             GError           **error);
/* Writes every field of @lot but id, operator, currency, time zone and created_at;
 * total_spots follows the spots. */
ParkdLot      *parkd_store_update_lot       (ParkdStore        *self,
                                             const ParkdLot    *lot,
                                             const ParkdAudit  *audit,
                                             GError           **error);
gboolean       parkd_store_delete_lot       (ParkdStore        *self,
                                             const char        *id,
                                             const ParkdAudit  *audit,
                                             GError           **error);
ParkdSpot     *parkd_store_get_spot         (ParkdStore        *self,
                                             const char        *id,
                                             GError           **error);
/* CONFLICT when the lot already has a spot with that number. */
ParkdSpot     *parkd_store_create_spot      (ParkdStore        *self,
                                             const ParkdSpot   *spot,
                                             const ParkdAudit  *audit,
                                             GError           **error);
ParkdSpot     *parkd_store_update_spot      (ParkdStore        *self,
                                             const ParkdSpot   *spot,
                                             const ParkdAudit  *audit,
                                             GError           **error);
gboolean       parkd_store_delete_spot      (ParkdStore        *self,
                                             const char        *id,
                                             const ParkdAudit  *audit,
                                             GError           **error);

/* Users. CONFLICT when the e-mail address is taken. */
ParkdUser     *parkd_store_create_user      (ParkdStore        *self,
                                             const ParkdUser   *user,
                                             const ParkdAudit  *audit,
                                             GError           **error);
ParkdUser     *parkd_store_get_user         (ParkdStore        *self,
                                             const char        *id,
                                             GError           **error);
ParkdUser     *parkd_store_get_user_by_email (ParkdStore       *self,
                                             const char        *email,
                                             GError           **error);
/* Writes names, phone, password hash, role, operator and disabled. */
ParkdUser     *parkd_store_update_user      (ParkdStore        *self,
                                             const ParkdUser   *user,
                                             const ParkdAudit  *audit,
                                             GError           **error);
gboolean       parkd_store_delete_user      (ParkdStore        *self,
                                             const char        *id,
                                             const ParkdAudit  *audit,
                                             GError           **error);
/* Staff (attendants and operators) of one operator, or every staff member and admin when
 * @operator_id is NULL. Ordered by e-mail. */
ParkdPage     *parkd_store_list_staff       (ParkdStore        *self,
                                             const char        *operator_id,
                                             guint              page,
                                             guint              per_page,
                                             GError           **error);

GPtrArray     *parkd_store_list_vehicles    (ParkdStore        *self,
                                             const char        *user_id,
                                             GError           **error);
/* CONFLICT when the user already has a vehicle with that plate hash. */
ParkdVehicle  *parkd_store_add_vehicle      (ParkdStore        *self,
                                             const ParkdVehicle *vehicle,
                                             GError           **error);
/* NOT_FOUND unless the vehicle exists and belongs to @user_id. */
gboolean       parkd_store_delete_vehicle   (ParkdStore        *self,
                                             const char        *user_id,
                                             const char        *id,
                                             GError           **error);

/* Sessions: a sign-in starts a token family with its first refresh token; a refresh spends
 * one token and stores its successor, in one transaction. Expiry times are RFC 3339. */
ParkdSession  *parkd_store_start_session    (ParkdStore        *self,
                                             const char        *user_id,
                                             GBytes            *token_hash,
                                             const char        *expires_at,
                                             const char        *client,
                                             const ParkdAudit  *audit,
                                             GError           **error);
/* On REUSED the family is revoked (reason "reuse") in the same transaction and the audit
 * entry written; @session is filled for OK, REVOKED and REUSED. A failure sets @error and
 * returns UNKNOWN. */
ParkdRefreshResult parkd_store_rotate_refresh (ParkdStore      *self,
                                             GBytes            *old_hash,
                                             GBytes            *new_hash,
                                             const char        *new_expires_at,
                                             ParkdSession     **session,
                                             GError           **error);
gboolean       parkd_store_revoke_family    (ParkdStore        *self,
                                             const char        *family_id,
                                             const char        *reason,
                                             const ParkdAudit  *audit,
                                             GError           **error);
/* Every family of the user, e.g. when a password changes or the account is removed; the
 * ids of the families revoked now go to @families (nullable), so that their access tokens
 * can be refused too. */
gboolean       parkd_store_revoke_user_sessions (ParkdStore    *self,
                                             const char        *user_id,
                                             const char        *reason,
                                             GPtrArray        **families,
                                             GError           **error);
gboolean       parkd_store_revoke_access_token (ParkdStore     *self,
                                             const char        *jti,
                                             const char        *expires_at,
                                             GError           **error);
/* What must still be refused at start-up: access-token ids not yet expired, and families
 * revoked since @since (both arrays of strings). Expired rows are deleted on the way. */
gboolean       parkd_store_load_revocations (ParkdStore        *self,
                                             const char        *since,
                                             GPtrArray        **jtis,
                                             GPtrArray        **families,
                                             GError           **error);
/* Is this family still usable (exists and not revoked)? */
gboolean       parkd_store_session_active   (ParkdStore        *self,
                                             const char        *family_id,
                                             GError           **error);

gboolean       parkd_store_audit            (ParkdStore        *self,
                                             const ParkdAudit  *audit,
                                             GError           **error);
/* Newest first; @operator_id NULL for all. Items are ParkdAudit *. */
ParkdPage     *parkd_store_list_audit       (ParkdStore        *self,
                                             const char        *operator_id,
                                             guint              page,
                                             guint              per_page,
                                             GError           **error);

void           parkd_user_free              (ParkdUser         *user);
void           parkd_vehicle_free           (ParkdVehicle      *vehicle);
void           parkd_audit_free             (ParkdAudit        *audit);
void           parkd_session_free           (ParkdSession      *session);

/* Books without double booking: the overlap check and the insert run in one write
 * transaction, and several bookings share a commit (one fsync) when they arrive together.
 * @done runs on a store thread. */
void           parkd_store_book_async       (ParkdStore        *self,
                                             const ParkdNewReservation *request,
                                             ParkdBookingDone   done,
                                             gpointer           user_data);
/* An Idempotency-Key seen before: its route, body hash, status and resource (NOT_FOUND when
 * new). The booking itself checks again in its transaction; this answers a replay early. */
gboolean       parkd_store_get_idempotency  (ParkdStore        *self,
                                             const char        *scope,
                                             const char        *key,
                                             char             **route,
                                             GBytes           **body_hash,
                                             int               *status,
                                             char             **resource_id,
                                             GError           **error);
/* Synchronous form of the above, for tools and tests. */
ParkdBookingResult *parkd_store_book        (ParkdStore        *self,
                                             const ParkdNewReservation *request);
ParkdReservation *parkd_store_get_reservation (ParkdStore      *self,
                                             const char        *id,
                                             GError           **error);
ParkdReservation *parkd_store_get_reservation_by_code (ParkdStore *self,
                                             const char        *code,
                                             GError           **error);
/* A user's reservations, newest start first; @status NULL for all. */
ParkdPage     *parkd_store_list_reservations (ParkdStore       *self,
                                             const char        *user_id,
                                             const char        *status,
                                             guint              page,
                                             guint              per_page,
                                             GError           **error);
/* Moves a reservation to @status (cancelled, checked_in, completed, confirmed, ...),
 * writing its event; STATE when that move is not allowed from the current status. */
ParkdReservation *parkd_store_set_reservation_status (ParkdStore *self,
                                             const char        *id,
                                             ParkdReservationStatus status,
                                             const ParkdAudit  *audit,
                                             GError           **error);
/* A later end (and the new total and breakdown): CONFLICT when the spot is taken then. */
ParkdBookingResult *parkd_store_extend_reservation (ParkdStore *self,
                                             const char        *id,
                                             const char        *new_end,
                                             gint64             new_total,
                                             const char        *breakdown);
/* Releases what is due: pending_payment past hold_until → expired, confirmed past start +
 * @no_show_grace_s without check-in → no_show. Returns how many moved. */
guint          parkd_store_release_due      (ParkdStore        *self,
                                             gint64             no_show_grace_s,
                                             GError           **error);
/* The share of the lot's spots (of a type) booked at any moment of [start, end). */
double         parkd_store_booked_share     (ParkdStore        *self,
                                             const char        *lot_id,
                                             ParkdSpotType      spot_type,
                                             const char        *start_time,
                                             const char        *end_time,
                                             GError           **error);
/* The lot's pricing policy (JSON text) and its update. */
char          *parkd_store_get_pricing      (ParkdStore        *self,
                                             const char        *lot_id,
                                             GError           **error);
gboolean       parkd_store_set_pricing      (ParkdStore        *self,
                                             const char        *lot_id,
                                             const char        *pricing,
                                             const ParkdAudit  *audit,
                                             GError           **error);
/* The outbox after @after_seq, in order, at most @limit: ParkdEvent *. Where transactions
 * commit out of the order of their numbers (PostgreSQL), it stops before a missing number
 * that a transaction still running may fill. */
GPtrArray     *parkd_store_list_events      (ParkdStore        *self,
                                             gint64             after_seq,
                                             guint              limit,
                                             GError           **error);
/* TRUE when the last parkd_store_list_events() stopped before such a number: the reader
 * should look again soon, as an ending transaction may not say it ended (a rollback). */
gboolean       parkd_store_outbox_waiting   (ParkdStore        *self);

/* The live feed (issue 5). Every lot's feed state and the outbox's last seq, read in one
 * transaction: the feed starts from there. ParkdLotFeed *. */
GPtrArray     *parkd_store_feed_start       (ParkdStore        *self,
                                             gint64            *head,
                                             GError           **error);
/* One lot's feed state (a lot made after the feed started); NOT_FOUND when there is none. */
ParkdLotFeed  *parkd_store_get_lot_feed     (ParkdStore        *self,
                                             const char        *lot_id,
                                             GError           **error);
/* The lot's feed messages (the payloads of its outbox events) with feed seq after
 * @after_seq, oldest first; NULL (no error) when more than @limit were written since, or
 * when the oldest of them is gone from the outbox. */
GPtrArray     *parkd_store_lot_feed_since   (ParkdStore        *self,
                                             const char        *lot_id,
                                             gint64             after_seq,
                                             guint              limit,
                                             GError           **error);
/* Marks the outbox published up to @seq. */
gboolean       parkd_store_mark_published   (ParkdStore        *self,
                                             gint64             seq,
                                             GError           **error);
/* Writes ReservationEndingSoon for reservations (confirmed or checked in) ending within
 * @lead_s that have not been told about their current end yet. Returns how many. */
guint          parkd_store_notice_ending    (ParkdStore        *self,
                                             gint64             lead_s,
                                             GError           **error);
/* Called, on the thread that wrote, after every write that committed: the feed looks at the
 * outbox at once instead of at its next poll. */
typedef void (*ParkdStoreChangedFunc) (gpointer user_data);
void           parkd_store_set_changed_func (ParkdStore        *self,
                                             ParkdStoreChangedFunc func,
                                             gpointer           user_data);

/* Fills quote->id and created_at. */
gboolean       parkd_store_save_quote       (ParkdStore        *self,
                                             ParkdStoredQuote  *quote,
                                             GError           **error);
ParkdStoredQuote *parkd_store_get_quote     (ParkdStore        *self,
                                             const char        *id,
                                             GError           **error);

/* Records a payment of a reservation (reservation_id, provider, amount, status ...) and,
 * once the reservation is paid in full, confirms it, with its events, in one transaction.
 * STATE when the reservation is no longer waiting for money. */
ParkdPayment  *parkd_store_record_payment   (ParkdStore        *self,
                                             const ParkdPayment *payment,
                                             const ParkdAudit  *audit,
                                             GError           **error);
ParkdPayment  *parkd_store_get_payment      (ParkdStore        *self,
                                             const char        *id,
                                             GError           **error);
ParkdPayment  *parkd_store_get_payment_by_ref (ParkdStore      *self,
                                             const char        *provider,
                                             const char        *provider_ref,
                                             GError           **error);
/* The payment made with this Idempotency-Key by @scope (a user id). */
ParkdPayment  *parkd_store_get_payment_by_key (ParkdStore      *self,
                                             const char        *scope,
                                             const char        *key,
                                             GError           **error);
/* A reservation's payments, oldest first. */
GPtrArray     *parkd_store_list_payments    (ParkdStore        *self,
                                             const char        *reservation_id,
                                             GError           **error);
/* A Checkout Session paid: its pending payment @id becomes succeeded under the PaymentIntent
 * @provider_ref (pi_…), with PaymentProcessed, confirming its booking when paid in full, in
 * one transaction. When the booking no longer takes this money (cancelled, its hold ran
 * out, paid otherwise meanwhile) the payment fails instead (its provider_ref stays the
 * session's) and the answer is STATE: the caller gives the charge back. A payment settled
 * already is answered as it is. */
ParkdPayment  *parkd_store_complete_checkout (ParkdStore       *self,
                                             const char        *id,
                                             const char        *provider_ref,
                                             GError           **error);
/* A walk-in stay's payments (its check-out, and a late exit's), oldest first. */
GPtrArray     *parkd_store_list_stay_payments (ParkdStore      *self,
                                             const char        *session_id,
                                             GError           **error);
/* pending → succeeded (confirming the reservation when paid in full) or failed. */
ParkdPayment  *parkd_store_set_payment_status (ParkdStore      *self,
                                             const char        *id,
                                             const char        *status,
                                             GError           **error);
ParkdPayment  *parkd_store_record_refund    (ParkdStore        *self,
                                             const char        *payment_id,
                                             gint64             amount,
                                             const char        *provider_ref,
                                             const char        *reason,
                                             GError           **error);

/* Owes a card refund: @due's provider_ref, payment_id (NULL: a void), amount, currency,
 * operator_id, reason and idem_key; with @audit, in one transaction. The same idem_key (or
 * a second void of one charge) gives back the row written first. A void of a charge that
 * is recorded as a payment meanwhile is STATE: that money is accounted for. */
ParkdRefundDue *parkd_store_add_refund_due  (ParkdStore        *self,
                                             const ParkdRefundDue *due,
                                             const ParkdAudit  *audit,
                                             GError           **error);
/* The void of this charge, or NULL (no error) when it was never voided. */
ParkdRefundDue *parkd_store_get_void        (ParkdStore        *self,
                                             const char        *provider_ref,
                                             GError           **error);
/* Refunds owed and not yet made, oldest first, at most @limit. */
GPtrArray     *parkd_store_list_refunds_due (ParkdStore        *self,
                                             guint              limit,
                                             GError           **error);
/* Stripe took it (@refund_ref): done, and for a payment's refund the payment's refunded
 * amount, its refund row and the PaymentRefunded event, in the same transaction. Done
 * already: TRUE, nothing changes. */
gboolean       parkd_store_finish_refund_due (ParkdStore       *self,
                                             gint64             id,
                                             const char        *refund_ref,
                                             GError           **error);
/* Stripe did not take it: one more attempt, and why, for the next try and the operator. */
gboolean       parkd_store_fail_refund_due  (ParkdStore        *self,
                                             gint64             id,
                                             const char        *message,
                                             GError           **error);

/* Checks a car in: @want gives lot_id, plate_sealed, plate_hash, attendant_id and maybe
 * spot_id; with @reservation_code the booking of that lot is checked in instead (its spot).
 * CONFLICT when the spot is held now; STATE when the booking cannot be checked in. With an
 * Idempotency-Key (@idem, nullable) seen before for this request, the stay checked in then
 * comes back and *@replayed is set; MISMATCH when the key was used for another request. */
ParkdParkingSession *parkd_store_check_in   (ParkdStore        *self,
                                             const ParkdParkingSession *want,
                                             const char        *reservation_code,
                                             const ParkdIdempotency *idem,
                                             gboolean          *replayed,
                                             GError           **error);
/* By id, or by the ticket's code. */
ParkdParkingSession *parkd_store_get_parking_session (ParkdStore *self,
                                             const char        *id_or_ticket,
                                             GError           **error);
/* The stays of a lot still in it (active or paid) whose plate has @plate_hash (a lost
 * ticket). */
GPtrArray     *parkd_store_find_parking_sessions (ParkdStore   *self,
                                             const char        *lot_id,
                                             GBytes            *plate_hash,
                                             GError           **error);
/* A check-out (see ParkdCheckOut): the payment recorded with its PaymentProcessed event,
 * a validation or discount code counted, the stay paid or, when it leaves, completed with
 * its spot freed, its booking completed and its events, and the Idempotency-Key's first
 * answer, in one transaction. STATE when the stay is no longer @from_status or the code was
 * used up meanwhile; MISMATCH when the key was used for another request. */
ParkdCheckOutResult *parkd_store_check_out  (ParkdStore        *self,
                                             const ParkdCheckOut *request,
                                             GError           **error);

/* Discount codes. CONFLICT when the operator has the code already. */
ParkdDiscount *parkd_store_create_discount  (ParkdStore        *self,
                                             const ParkdDiscount *discount,
                                             const ParkdAudit  *audit,
                                             GError           **error);
/* NOT_FOUND unless the operator has this code (case-insensitive). */
ParkdDiscount *parkd_store_find_discount    (ParkdStore        *self,
                                             const char        *operator_id,
                                             const char        *code,
                                             GError           **error);
ParkdPage     *parkd_store_list_discounts   (ParkdStore        *self,
                                             const char        *operator_id,
                                             guint              page,
                                             guint              per_page,
                                             GError           **error);
/* The occupancy history of a lot over [@from, @to) (Unix times), items ParkdLotCounts:
 * the counts in force at @from (with at = @from), then every change in the range in order.
 * In force at @from: the last change before it; without one, what the first later change
 * started from (its payload names the spot's previous state), else the counts now. */
GArray        *parkd_store_lot_history      (ParkdStore        *self,
                                             const char        *lot_id,
                                             gint64             from,
                                             gint64             to,
                                             GError           **error);
/* The money of an operator, items ParkdRevenueLine, dense and ordered: the operator's own
 * currency first, then any other its payments were in; in each, every day
 * [@bounds[i], @bounds[i+1]) (Unix times, @n_bounds of them) or, with @by_lot, every lot
 * of the operator (by name) over [@bounds[0], @bounds[n_bounds - 1]). A payment counts
 * when it was made, a refund when it was made. */
GPtrArray     *parkd_store_revenue          (ParkdStore        *self,
                                             const char        *operator_id,
                                             const gint64      *bounds,
                                             guint              n_bounds,
                                             gboolean           by_lot,
                                             GError           **error);
/* Stays of one lot (@lot_id), of one operator, or of every operator (both NULL) that ended
 * in [@from, @to) (Unix times). */
gboolean       parkd_store_stays            (ParkdStore        *self,
                                             const char        *operator_id,
                                             const char        *lot_id,
                                             gint64             from,
                                             gint64             to,
                                             ParkdStaysSummary *summary,
                                             GError           **error);
gboolean       parkd_store_delete_discount  (ParkdStore        *self,
                                             const char        *operator_id,
                                             const char        *id,
                                             const ParkdAudit  *audit,
                                             GError           **error);
/* Cash taken per attendant of an operator (one attendant when @attendant_id is set) in
 * [from, to). Items are ParkdCashLine *. */
GPtrArray     *parkd_store_cash_report      (ParkdStore        *self,
                                             const char        *operator_id,
                                             const char        *attendant_id,
                                             const char        *from,
                                             const char        *to,
                                             GError           **error);

/* Shifts (issue 8). Opening fails with CONFLICT when the attendant has an open shift;
 * closing with STATE when it is closed already. */
ParkdShift    *parkd_store_open_shift       (ParkdStore        *self,
                                             const ParkdShift  *want,
                                             GError           **error);
ParkdShift    *parkd_store_get_shift        (ParkdStore        *self,
                                             const char        *id,
                                             GError           **error);
/* NOT_FOUND when @attendant_id has no open shift. */
ParkdShift    *parkd_store_get_open_shift   (ParkdStore        *self,
                                             const char        *attendant_id,
                                             GError           **error);
ParkdShift    *parkd_store_close_shift      (ParkdStore        *self,
                                             const char        *id,
                                             gint64             counted,
                                             const char        *note,
                                             GError           **error);
/* Items are ParkdShiftEntry *, oldest first. */
GPtrArray     *parkd_store_shift_entries    (ParkdStore        *self,
                                             const char        *id,
                                             GError           **error);
/* Items are ParkdBoardItem *; @now and @until are RFC 3339 UTC. */
GPtrArray     *parkd_store_board            (ParkdStore        *self,
                                             const char        *lot_id,
                                             ParkdBoardList     list,
                                             const char        *now,
                                             const char        *until,
                                             GError           **error);

/* Sensors. @device gives operator_id, name and maybe lot_id (NOT_FOUND unless that lot is
 * the operator's); id and created_at are filled by the store. */
ParkdSensorDevice *parkd_store_create_sensor (ParkdStore       *self,
                                             const ParkdSensorDevice *device,
                                             GBytes            *key_hash,
                                             const ParkdAudit  *audit,
                                             GError           **error);
/* Newest first, revoked ones included; @operator_id NULL for all. Items are
 * ParkdSensorDevice *. */
ParkdPage     *parkd_store_list_sensors     (ParkdStore        *self,
                                             const char        *operator_id,
                                             guint              page,
                                             guint              per_page,
                                             GError           **error);
/* Refuses the device's key from now on. NOT_FOUND unless a device of @operator_id (NULL: any)
 * has this id; revoking it again changes nothing. The audit entry goes to the device's
 * operator when @audit names none. */
gboolean       parkd_store_revoke_sensor    (ParkdStore        *self,
                                             const char        *operator_id,
                                             const char        *id,
                                             const ParkdAudit  *audit,
                                             GError           **error);
/* The device whose key hashes to @key_hash, revoked or not; NOT_FOUND when none. */
ParkdSensorDevice *parkd_store_get_sensor_by_key (ParkdStore   *self,
                                             GBytes            *key_hash,
                                             GError           **error);
/* Applies a batch of readings of device @device_id in one write transaction, in order, and
 * sets each one's outcome. A reading of a spot that is not the device's (another operator's,
 * outside its lot, or none at all) refuses the whole batch: NOT_FOUND with its index in
 * @failed. STATE when the device's key was revoked meanwhile. */
gboolean       parkd_store_apply_sensor_readings (ParkdStore   *self,
                                             const char        *device_id,
                                             ParkdSensorReading *readings,
                                             guint              n_readings,
                                             guint             *failed,
                                             GError           **error);

/* Kiosks. @kiosk gives operator_id, lot_id and name (NOT_FOUND unless that lot is the
 * operator's); id and created_at are filled by the store. */
ParkdKiosk    *parkd_store_create_kiosk     (ParkdStore        *self,
                                             const ParkdKiosk  *kiosk,
                                             GBytes            *key_hash,
                                             const ParkdAudit  *audit,
                                             GError           **error);
/* Newest first, revoked ones included; @operator_id NULL for all. Items are ParkdKiosk *. */
ParkdPage     *parkd_store_list_kiosks      (ParkdStore        *self,
                                             const char        *operator_id,
                                             guint              page,
                                             guint              per_page,
                                             GError           **error);
/* As parkd_store_revoke_sensor(), for a kiosk. */
gboolean       parkd_store_revoke_kiosk     (ParkdStore        *self,
                                             const char        *operator_id,
                                             const char        *id,
                                             const ParkdAudit  *audit,
                                             GError           **error);
/* Guest bookings made at @kiosk_id since @since (UTC text), cancelled or not, and the time
 * the first of them was made (NULL when none); -1 on error. Counted in the database, so
 * every replica sees the same number. */
gint64         parkd_store_count_guest_bookings (ParkdStore  *self,
                                                 const char  *kiosk_id,
                                                 const char  *since,
                                                 char       **oldest,
                                                 GError     **error);
/* The kiosk whose key hashes to @key_hash, revoked or not; NOT_FOUND when none. */
ParkdKiosk    *parkd_store_get_kiosk_by_key (ParkdStore        *self,
                                             GBytes            *key_hash,
                                             GError           **error);

void           parkd_discount_free          (ParkdDiscount     *discount);
void           parkd_cash_line_free         (ParkdCashLine     *line);
void           parkd_shift_free             (ParkdShift        *shift);
void           parkd_shift_entry_free       (ParkdShiftEntry   *entry);
void           parkd_board_item_free        (ParkdBoardItem    *item);
void           parkd_revenue_line_free      (ParkdRevenueLine  *line);
void           parkd_parking_session_free   (ParkdParkingSession *session);
void           parkd_check_out_result_free  (ParkdCheckOutResult *result);
void           parkd_payment_free           (ParkdPayment      *payment);
void           parkd_refund_due_free        (ParkdRefundDue    *due);
void           parkd_stored_quote_free      (ParkdStoredQuote  *quote);
void           parkd_reservation_free       (ParkdReservation  *reservation);
void           parkd_booking_result_free    (ParkdBookingResult *result);

void           parkd_operator_free          (ParkdOperator     *op);
void           parkd_lot_clear              (ParkdLot          *lot);
void           parkd_lot_free               (ParkdLot          *lot);
void           parkd_spot_free              (ParkdSpot         *spot);
void           parkd_page_free              (ParkdPage         *page);
void           parkd_event_free             (ParkdEvent        *event);
void           parkd_lot_feed_free          (ParkdLotFeed      *feed);
void           parkd_sensor_device_free     (ParkdSensorDevice *device);
void           parkd_kiosk_free             (ParkdKiosk        *kiosk);

char          *parkd_now_rfc3339            (void);
double         parkd_haversine_h            (double             lat1,
                                             double             cos_lat1,
                                             double             lat2,
                                             double             cos_lat2,
                                             double             dlng);
double         parkd_haversine_h_to_m       (double             h);
double         parkd_haversine_h_of_m       (double             metres);
char          *parkd_fold_text              (const char        *text);
gboolean       parkd_text_has               (const char        *text,
                                             const char        *folded);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdStore, parkd_store_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdOperator, parkd_operator_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdLot, parkd_lot_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdSpot, parkd_spot_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdPage, parkd_page_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdEvent, parkd_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdLotFeed, parkd_lot_feed_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdUser, parkd_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdVehicle, parkd_vehicle_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdAudit, parkd_audit_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdSession, parkd_session_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdReservation, parkd_reservation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdStoredQuote, parkd_stored_quote_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdPayment, parkd_payment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdRefundDue, parkd_refund_due_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdDiscount, parkd_discount_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdParkingSession, parkd_parking_session_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdCheckOutResult, parkd_check_out_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdBookingResult, parkd_booking_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdSensorDevice, parkd_sensor_device_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdKiosk, parkd_kiosk_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkdShift, parkd_shift_free)

G_END_DECLS
