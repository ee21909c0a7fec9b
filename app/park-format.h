/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-format.h: how the app writes money, times and the domain's words for people.
 */
#pragma once

#include <gtk/gtk.h>
#include <park-core.h>

G_BEGIN_DECLS

typedef enum
{
  PARK_FULLNESS_FREE,     /* plenty of room: green */
  PARK_FULLNESS_FILLING,  /* a few spots left: amber */
  PARK_FULLNESS_FULL,     /* none, or closed: red */
} ParkFullness;

char         *park_format_money          (gint64        minor_units,
                                          const char   *currency);
char         *park_format_local_time     (GDateTime    *when,
                                          const char   *time_zone);
char         *park_format_local_range    (GDateTime    *start,
                                          GDateTime    *end,
                                          const char   *time_zone);
char         *park_format_distance       (double        meters);
char         *park_format_fold           (const char   *text);
char         *park_format_duration       (guint         minutes);
const char   *park_format_spot_type      (ParkSpotType  spot_type);
const char   *park_format_spot_state     (ParkSpotState state);
const char   *park_format_status         (ParkReservationStatus status);
const char   *park_format_amenity        (const char   *amenity);
ParkFullness  park_lot_fullness          (ParkLot      *lot,
                                          ParkSpotType  spot_type);
const char   *park_fullness_css_class    (ParkFullness  fullness);
const char   *park_fullness_icon_name    (ParkFullness  fullness);
void          park_widget_set_fullness   (GtkWidget    *widget,
                                          ParkFullness  fullness);
char         *park_lot_describe_free     (ParkLot      *lot,
                                          ParkSpotType  spot_type);
void          park_label_wrap_verbatim   (GtkLabel     *label);
double        park_distance_m            (double        lat1,
                                          double        lng1,
                                          double        lat2,
                                          double        lng2);

G_END_DECLS
