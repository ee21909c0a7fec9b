/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-types.h: the enumerations of the Parkade domain, as the API spells them, and forward
 * declarations shared by the models.
 */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/* The models parse json-glib objects, but front ends never need json-glib's headers: the
 * same typedef json-glib makes, repeated (allowed since C11). */
#ifdef __GI_SCANNER__
/* The introspection scanner must see json-glib's own type to link to it. */
# include <json-glib/json-glib.h>
#else
typedef struct _JsonObject JsonObject;
#endif

/**
 * ParkSpotType:
 * @PARK_SPOT_TYPE_ANY: no particular type: a filter that takes every type, or a count over
 *   all types
 * @PARK_SPOT_TYPE_REGULAR: a regular spot
 * @PARK_SPOT_TYPE_DISABLED: a spot for disabled drivers
 * @PARK_SPOT_TYPE_EV: a spot with a charger for electric vehicles
 * @PARK_SPOT_TYPE_COMPACT: a spot for small cars
 * @PARK_SPOT_TYPE_MOTORCYCLE: a spot for motorcycles
 *
 * The type of a parking spot. The nicks are the API's names (`regular`, `ev`, …).
 */
typedef enum
{
  PARK_SPOT_TYPE_ANY = -1,        /*< nick=any >*/
  PARK_SPOT_TYPE_REGULAR = 0,     /*< nick=regular >*/
  PARK_SPOT_TYPE_DISABLED,        /*< nick=disabled >*/
  PARK_SPOT_TYPE_EV,              /*< nick=ev >*/
  PARK_SPOT_TYPE_COMPACT,         /*< nick=compact >*/
  PARK_SPOT_TYPE_MOTORCYCLE,      /*< nick=motorcycle >*/
} ParkSpotType;

/**
 * PARK_N_SPOT_TYPES:
 *
 * The number of real spot types (%PARK_SPOT_TYPE_ANY excluded); they count from 0, so a
 * #ParkSpotType other than %PARK_SPOT_TYPE_ANY indexes an array of this size.
 */
#define PARK_N_SPOT_TYPES 5

/**
 * ParkSpotState:
 * @PARK_SPOT_STATE_AVAILABLE: free now
 * @PARK_SPOT_STATE_OCCUPIED: a car is on it
 * @PARK_SPOT_STATE_RESERVED: held by a booking that has started
 * @PARK_SPOT_STATE_OUT_OF_SERVICE: closed by staff
 *
 * The state of a parking spot at this moment.
 */
typedef enum
{
  PARK_SPOT_STATE_AVAILABLE,      /*< nick=available >*/
  PARK_SPOT_STATE_OCCUPIED,       /*< nick=occupied >*/
  PARK_SPOT_STATE_RESERVED,       /*< nick=reserved >*/
  PARK_SPOT_STATE_OUT_OF_SERVICE, /*< nick=out_of_service >*/
} ParkSpotState;

/**
 * ParkLotType:
 * @PARK_LOT_TYPE_MULTI_STOREY: a multi-storey car park
 * @PARK_LOT_TYPE_UNDERGROUND: an underground car park
 * @PARK_LOT_TYPE_SURFACE: an open-air lot
 * @PARK_LOT_TYPE_OTHER: anything else
 *
 * The kind of building a lot is.
 */
typedef enum
{
  PARK_LOT_TYPE_MULTI_STOREY,     /*< nick=multi_storey >*/
  PARK_LOT_TYPE_UNDERGROUND,      /*< nick=underground >*/
  PARK_LOT_TYPE_SURFACE,          /*< nick=surface >*/
  PARK_LOT_TYPE_OTHER,            /*< nick=other >*/
} ParkLotType;

/**
 * ParkLotStatus:
 * @PARK_LOT_STATUS_OPEN: the operator runs the lot
 * @PARK_LOT_STATUS_CLOSED: the operator closed the lot (whatever its hours say)
 *
 * Whether a lot is in service. Its opening hours are a separate matter
 * (#ParkLot:open-now).
 */
typedef enum
{
  PARK_LOT_STATUS_OPEN,           /*< nick=open >*/
  PARK_LOT_STATUS_CLOSED,         /*< nick=closed >*/
} ParkLotStatus;

/**
 * ParkWeekdays:
 * @PARK_WEEKDAYS_NONE: no day
 * @PARK_WEEKDAYS_MONDAY: Monday
 * @PARK_WEEKDAYS_TUESDAY: Tuesday
 * @PARK_WEEKDAYS_WEDNESDAY: Wednesday
 * @PARK_WEEKDAYS_THURSDAY: Thursday
 * @PARK_WEEKDAYS_FRIDAY: Friday
 * @PARK_WEEKDAYS_SATURDAY: Saturday
 * @PARK_WEEKDAYS_SUNDAY: Sunday
 * @PARK_WEEKDAYS_ALL: every day
 *
 * A set of days of the week, as a price period names them; the flag of a #GDateWeekday `d` is
 * `1 << (d - 1)`.
 */
typedef enum
{
  PARK_WEEKDAYS_NONE = 0,              /*< nick=none >*/
  PARK_WEEKDAYS_MONDAY = 1 << 0,       /*< nick=mon >*/
  PARK_WEEKDAYS_TUESDAY = 1 << 1,      /*< nick=tue >*/
  PARK_WEEKDAYS_WEDNESDAY = 1 << 2,    /*< nick=wed >*/
  PARK_WEEKDAYS_THURSDAY = 1 << 3,     /*< nick=thu >*/
  PARK_WEEKDAYS_FRIDAY = 1 << 4,       /*< nick=fri >*/
  PARK_WEEKDAYS_SATURDAY = 1 << 5,     /*< nick=sat >*/
  PARK_WEEKDAYS_SUNDAY = 1 << 6,       /*< nick=sun >*/
  PARK_WEEKDAYS_ALL = 0x7f,            /*< nick=all >*/
} ParkWeekdays;

/**
 * ParkDemandBound:
 * @PARK_DEMAND_BOUND_MIN_SHARE: the step applies from its share of booked spots up
 *   (`min_share`)
 * @PARK_DEMAND_BOUND_MAX_SHARE: the step applies up to its share of booked spots
 *   (`max_share`)
 *
 * Which side of its share a demand step applies on.
 */
typedef enum
{
  PARK_DEMAND_BOUND_MIN_SHARE,         /*< nick=min_share >*/
  PARK_DEMAND_BOUND_MAX_SHARE,         /*< nick=max_share >*/
} ParkDemandBound;

/**
 * ParkReservationStatus:
 * @PARK_RESERVATION_STATUS_PENDING_PAYMENT: booked, the spot held until it is paid
 * @PARK_RESERVATION_STATUS_CONFIRMED: paid in full (or free)
 * @PARK_RESERVATION_STATUS_CHECKED_IN: the car has arrived
 * @PARK_RESERVATION_STATUS_COMPLETED: the car has left
 * @PARK_RESERVATION_STATUS_CANCELLED: cancelled by the driver or staff
 * @PARK_RESERVATION_STATUS_EXPIRED: not paid in time
 * @PARK_RESERVATION_STATUS_NO_SHOW: confirmed, but nobody came
 *
 * Where a booking stands.
 */
typedef enum
{
  PARK_RESERVATION_STATUS_PENDING_PAYMENT, /*< nick=pending_payment >*/
  PARK_RESERVATION_STATUS_CONFIRMED,       /*< nick=confirmed >*/
  PARK_RESERVATION_STATUS_CHECKED_IN,      /*< nick=checked_in >*/
  PARK_RESERVATION_STATUS_COMPLETED,       /*< nick=completed >*/
  PARK_RESERVATION_STATUS_CANCELLED,       /*< nick=cancelled >*/
  PARK_RESERVATION_STATUS_EXPIRED,         /*< nick=expired >*/
  PARK_RESERVATION_STATUS_NO_SHOW,         /*< nick=no_show >*/
} ParkReservationStatus;

/**
 * ParkSessionStatus:
 * @PARK_SESSION_STATUS_ACTIVE: the car is in the lot
 * @PARK_SESSION_STATUS_PAID: paid, not yet out
 * @PARK_SESSION_STATUS_COMPLETED: checked out
 *
 * Where a walk-in (or booked) stay stands.
 */
typedef enum
{
  PARK_SESSION_STATUS_ACTIVE,     /*< nick=active >*/
  PARK_SESSION_STATUS_PAID,       /*< nick=paid >*/
  PARK_SESSION_STATUS_COMPLETED,  /*< nick=completed >*/
} ParkSessionStatus;

/**
 * ParkPaymentProvider:
 * @PARK_PAYMENT_PROVIDER_STRIPE: a card, through Stripe
 * @PARK_PAYMENT_PROVIDER_CASH: cash at the booth, taken by staff
 *
 * How a payment is made.
 */
typedef enum
{
  PARK_PAYMENT_PROVIDER_STRIPE,   /*< nick=stripe >*/
  PARK_PAYMENT_PROVIDER_CASH,     /*< nick=cash >*/
} ParkPaymentProvider;

/**
 * ParkPaymentStatus:
 * @PARK_PAYMENT_STATUS_PENDING: a card payment its holder must still confirm
 * @PARK_PAYMENT_STATUS_SUCCEEDED: paid
 * @PARK_PAYMENT_STATUS_FAILED: not paid
 * @PARK_PAYMENT_STATUS_REFUNDED: paid, then given back in full
 * @PARK_PAYMENT_STATUS_PARTIALLY_REFUNDED: paid, then given back in part
 *
 * Where a payment stands.
 */
typedef enum
{
  PARK_PAYMENT_STATUS_PENDING,            /*< nick=pending >*/
  PARK_PAYMENT_STATUS_SUCCEEDED,          /*< nick=succeeded >*/
  PARK_PAYMENT_STATUS_FAILED,             /*< nick=failed >*/
  PARK_PAYMENT_STATUS_REFUNDED,           /*< nick=refunded >*/
  PARK_PAYMENT_STATUS_PARTIALLY_REFUNDED, /*< nick=partially_refunded >*/
} ParkPaymentStatus;

/**
 * ParkUserRole:
 * @PARK_USER_ROLE_DRIVER: books and pays for their own stays
 * @PARK_USER_ROLE_ATTENDANT: works at a booth of one operator
 * @PARK_USER_ROLE_OPERATOR: manages one operator's lots
 * @PARK_USER_ROLE_ADMIN: runs the service
 *
 * What an account may do.
 */
typedef enum
{
  PARK_USER_ROLE_DRIVER,          /*< nick=driver >*/
  PARK_USER_ROLE_ATTENDANT,       /*< nick=attendant >*/
  PARK_USER_ROLE_OPERATOR,        /*< nick=operator >*/
  PARK_USER_ROLE_ADMIN,           /*< nick=admin >*/
} ParkUserRole;

/**
 * ParkSearchFlags:
 * @PARK_SEARCH_FLAGS_NONE: no flags
 * @PARK_SEARCH_FLAGS_AVAILABLE_ONLY: only open lots with a free spot (of the type asked for)
 *
 * Options of a lot search.
 */
typedef enum /*< flags >*/
{
  PARK_SEARCH_FLAGS_NONE           = 0,      /*< nick=none >*/
  PARK_SEARCH_FLAGS_AVAILABLE_ONLY = 1 << 0, /*< nick=available-only >*/
} ParkSearchFlags;

/**
 * ParkLiveFeedState:
 * @PARK_LIVE_FEED_STATE_OFFLINE: not started, or stopped
 * @PARK_LIVE_FEED_STATE_CONNECTING: connecting for the first time
 * @PARK_LIVE_FEED_STATE_ONLINE: connected and subscribed: lots are live
 * @PARK_LIVE_FEED_STATE_RECONNECTING: the connection was lost; trying again with back-off,
 *   and lots show what they last heard
 *
 * Where a #ParkLiveFeed stands, for the UI to show.
 */
typedef enum
{
  PARK_LIVE_FEED_STATE_OFFLINE,      /*< nick=offline >*/
  PARK_LIVE_FEED_STATE_CONNECTING,   /*< nick=connecting >*/
  PARK_LIVE_FEED_STATE_ONLINE,       /*< nick=online >*/
  PARK_LIVE_FEED_STATE_RECONNECTING, /*< nick=reconnecting >*/
} ParkLiveFeedState;

/**
 * ParkRevenueGroup:
 * @PARK_REVENUE_GROUP_DAY: a row per day, in the operator's time zone
 * @PARK_REVENUE_GROUP_LOT: a row per lot
 *
 * How a revenue report sums the money.
 */
typedef enum
{
  PARK_REVENUE_GROUP_DAY,         /*< nick=day >*/
  PARK_REVENUE_GROUP_LOT,         /*< nick=lot >*/
} ParkRevenueGroup;

/**
 * ParkAnalyticsReport:
 * @PARK_ANALYTICS_REPORT_OCCUPANCY: how full a lot was, step by step, by spot type
 * @PARK_ANALYTICS_REPORT_REVENUE: the money taken, by day or by lot, refunds netted
 * @PARK_ANALYTICS_REPORT_STAYS: the stays that ended: how many, how long, turnover
 *
 * One of an operator's analytics, for park_client_get_analytics_csv_async().
 */
typedef enum
{
  PARK_ANALYTICS_REPORT_OCCUPANCY, /*< nick=occupancy >*/
  PARK_ANALYTICS_REPORT_REVENUE,   /*< nick=revenue >*/
  PARK_ANALYTICS_REPORT_STAYS,     /*< nick=stays >*/
} ParkAnalyticsReport;

G_END_DECLS
