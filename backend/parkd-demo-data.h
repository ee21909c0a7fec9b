/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-demo-data.h: demo data seeded by `parkd --demo`.
 *
 * One operator and a set of car parks in Dresden so that a first run
 * shows a realistic city.  The data is invented (plausible, not official).
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *name;          /* e.g. "Tiefgarage Altmarkt" */
  const char *address;       /* street and number, postcode and city, e.g. "Altmarkt 1, 01067 Dresden" */
  double      lat;
  double      lng;
  const char *lot_type;      /* "multi_storey", "underground", "surface" or "other" */
  guint       capacity;      /* total spots, 20..1200 */
  guint       hourly_rate;   /* minor units (euro cents), e.g. 250 = 2.50 EUR */
  const char *amenities;     /* comma-separated subset of: ev_charging,accessible,covered,staffed,cctv,toilets,bicycle_parking,motorcycle_parking,lift */
  const char *hours;         /* opening hours as JSON, format below */
  double      occupancy;     /* fraction of spots occupied in the demo, 0.0..1.0 */
} ParkdDemoLot;

/*
 * Opening hours format: a JSON object with all seven keys "mon", "tue",
 * "wed", "thu", "fri", "sat" and "sun", each an array of
 * {"open":"HH:MM","close":"HH:MM"} intervals.  "close" may be "24:00";
 * an empty array means the lot is closed that day.  A lot open past
 * midnight is written as two intervals, the second one on the next day.
 */

typedef struct
{
  const char *slug;       /* "dresden-parking" */
  const char *name;       /* operator display name */
  const char *city;       /* "Dresden" */
  const char *time_zone;  /* "Europe/Berlin" */
  const char *currency;   /* "EUR" */
} ParkdDemoOperator;

const ParkdDemoOperator *parkd_demo_operator (void);
const ParkdDemoLot      *parkd_demo_lots     (guint *n_lots);

G_END_DECLS
