/* SPDX-License-Identifier: GPL-3.0-or-later */
/* park-opening-hours.h: a lot's weekly opening hours, to read, edit and send. */
#pragma once

#if !defined(PARK_CORE_INSIDE) && !defined(PARK_CORE_COMPILATION)
# error "Only <park-core.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

#define PARK_TYPE_OPENING_HOURS (park_opening_hours_get_type ())

/**
 * PARK_OPENING_HOURS_MAX_RANGES:
 *
 * The most ranges a day may have (the server's limit).
 */
#define PARK_OPENING_HOURS_MAX_RANGES 8

typedef struct _ParkOpeningHours ParkOpeningHours;

GType             park_opening_hours_get_type         (void) G_GNUC_CONST;
ParkOpeningHours *park_opening_hours_new              (void);
ParkOpeningHours *park_opening_hours_new_always_open  (void);
ParkOpeningHours *park_opening_hours_copy             (const ParkOpeningHours *self);
void              park_opening_hours_free             (ParkOpeningHours       *self);
gboolean          park_opening_hours_equal            (const ParkOpeningHours *a,
                                                       const ParkOpeningHours *b);

gboolean          park_opening_hours_add_range        (ParkOpeningHours       *self,
                                                       GDateWeekday            weekday,
                                                       guint                   open_minute,
                                                       guint                   close_minute,
                                                       GError                **error);
void              park_opening_hours_clear_day        (ParkOpeningHours       *self,
                                                       GDateWeekday            weekday);
gboolean          park_opening_hours_set_day_text     (ParkOpeningHours       *self,
                                                       GDateWeekday            weekday,
                                                       const char             *text,
                                                       GError                **error);
guint             park_opening_hours_get_n_ranges     (const ParkOpeningHours *self,
                                                       GDateWeekday            weekday);
gboolean          park_opening_hours_get_range        (const ParkOpeningHours *self,
                                                       GDateWeekday            weekday,
                                                       guint                   index,
                                                       guint                  *open_minute,
                                                       guint                  *close_minute);
char             *park_opening_hours_dup_day_text     (const ParkOpeningHours *self,
                                                       GDateWeekday            weekday);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParkOpeningHours, park_opening_hours_free)

G_END_DECLS
