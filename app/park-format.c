/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "park-format.h"

#include <glib/gi18n.h>
#include <math.h>

static const char *
currency_symbol (const char *currency)
{
  if (g_strcmp0 (currency, "EUR") == 0)
    return "€";
  if (g_strcmp0 (currency, "USD") == 0)
    return "$";
  if (g_strcmp0 (currency, "GBP") == 0)
    return "£";
  if (g_strcmp0 (currency, "JPY") == 0)
    return "¥";
  return NULL;
}

char *
park_format_money (gint64      minor_units,
                   const char *currency)
{
  const char *symbol = currency_symbol (currency);
  const char *sign = minor_units < 0 ? "−" : "";
  g_autofree char *digits = park_money_format_abs (minor_units, currency);
  g_autofree char *number = g_strconcat (sign, digits, NULL);

  if (symbol != NULL)
    /* Translators: an amount of money: %1$s the currency symbol, %2$s the number */
    return g_strdup_printf (_("%1$s%2$s"), symbol, number);
  /* Translators: an amount of money: %1$s the number, %2$s the ISO currency code */
  return g_strdup_printf (_("%1$s %2$s"), number, currency != NULL ? currency : "");
}

static GDateTime *
to_zone (GDateTime  *when,
         const char *time_zone)
{
  g_autoptr(GTimeZone) tz = NULL;

  if (time_zone != NULL && *time_zone != '\0')
    tz = g_time_zone_new_identifier (time_zone);
  if (tz == NULL)
    tz = g_time_zone_new_local ();
  return g_date_time_to_timezone (when, tz);
}

char *
park_format_local_time (GDateTime  *when,
                        const char *time_zone)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now_utc = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (when == NULL)
    return g_strdup ("—");
  local = to_zone (when, time_zone);
  now_utc = g_date_time_new_now_utc ();
  now = to_zone (now_utc, time_zone);
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: a time today, in strftime format */
    return g_date_time_format (local, _("Today %H:%M"));
  /* Translators: a date and time, in strftime format */
  return g_date_time_format (local, _("%a %e %b, %H:%M"));
}

char *
park_format_local_range (GDateTime  *start,
                         GDateTime  *end,
                         const char *time_zone)
{
  g_autofree char *from = park_format_local_time (start, time_zone);
  g_autoptr(GDateTime) local_end = end != NULL ? to_zone (end, time_zone) : NULL;
  g_autofree char *to = local_end != NULL ? g_date_time_format (local_end, "%H:%M") : g_strdup ("—");

  /* Translators: a span of time, e.g. "Today 14:00 – 16:00" */
  return g_strdup_printf (_("%s – %s"), from, to);
}

char *
park_format_distance (double meters)
{
  if (meters < 0)
    return g_strdup ("");
  if (meters < 1000)
    /* Translators: a distance in metres */
    return g_strdup_printf (_("%.0f m"), meters);
  /* Translators: a distance in kilometres */
  return g_strdup_printf (_("%.1f km"), meters / 1000.0);
}

char *
park_format_duration (guint minutes)
{
  guint h = minutes / 60, m = minutes % 60;

  if (h == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", m), m);
  if (m == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", h), h);
  /* Translators: hours and minutes, e.g. "2 h 30 min" */
  return g_strdup_printf (_("%u h %u min"), h, m);
}

const char *
park_format_spot_type (ParkSpotType spot_type)
{
  switch (spot_type)
    {
    case PARK_SPOT_TYPE_ANY: return _("Any spot");
    case PARK_SPOT_TYPE_REGULAR: return _("Regular");
    case PARK_SPOT_TYPE_DISABLED: return _("Accessible");
    case PARK_SPOT_TYPE_EV: return _("Electric vehicle");
    case PARK_SPOT_TYPE_COMPACT: return _("Compact");
    case PARK_SPOT_TYPE_MOTORCYCLE: return _("Motorcycle");
    default: return "";
    }
}

const char *
park_format_spot_state (ParkSpotState state)
{
  switch (state)
    {
    case PARK_SPOT_STATE_AVAILABLE: return _("Free");
    case PARK_SPOT_STATE_OCCUPIED: return _("Taken");
    case PARK_SPOT_STATE_RESERVED: return _("Reserved");
    case PARK_SPOT_STATE_OUT_OF_SERVICE: return _("Closed");
    default: return "";
    }
}

const char *
park_format_status (ParkReservationStatus status)
{
  switch (status)
    {
    case PARK_RESERVATION_STATUS_PENDING_PAYMENT: return _("To pay at the booth");
    case PARK_RESERVATION_STATUS_CONFIRMED: return _("Confirmed");
    case PARK_RESERVATION_STATUS_CHECKED_IN: return _("Parked");
    case PARK_RESERVATION_STATUS_COMPLETED: return _("Completed");
    case PARK_RESERVATION_STATUS_CANCELLED: return _("Cancelled");
    case PARK_RESERVATION_STATUS_EXPIRED: return _("Expired");
    case PARK_RESERVATION_STATUS_NO_SHOW: return _("Not used");
    default: return "";
    }
}

const char *
park_format_amenity (const char *amenity)
{
  static const struct { const char *id; const char *label; } names[] = {
    { "ev_charging", N_("EV charging") },
    { "covered", N_("Covered") },
    { "security", N_("Security") },
    { "cctv", N_("CCTV") },
    { "lift", N_("Lift") },
    { "elevator", N_("Lift") },
    { "toilets", N_("Toilets") },
    { "restrooms", N_("Toilets") },
    { "bicycle_parking", N_("Bicycle parking") },
    { "motorcycle_parking", N_("Motorcycle parking") },
    { "staffed", N_("Staffed") },
    { "car_wash", N_("Car wash") },
    { "24h", N_("Open 24 hours") },
    { "attended", N_("Attended") },
    { "accessible", N_("Accessible") },
    { "height_limit", N_("Height limit") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i].id, amenity))
      return _(names[i].label);
  return amenity;
}

ParkFullness
park_lot_fullness (ParkLot      *lot,
                   ParkSpotType  spot_type)
{
  guint free = park_lot_get_available (lot, spot_type);
  guint total = park_lot_get_total (lot, spot_type);

  if (park_lot_get_status (lot) == PARK_LOT_STATUS_CLOSED || free == 0)
    return PARK_FULLNESS_FULL;
  /* Amber from a tenth left, or five spots in a small lot. */
  if (free * 10 <= total || free <= 5)
    return PARK_FULLNESS_FILLING;
  return PARK_FULLNESS_FREE;
}

const char *
park_fullness_css_class (ParkFullness fullness)
{
  switch (fullness)
    {
    case PARK_FULLNESS_FREE: return "lot-free";
    case PARK_FULLNESS_FILLING: return "lot-filling";
    case PARK_FULLNESS_FULL:
    default: return "lot-full";
    }
}

/* The icon that says how full, beside the number and the colour (never colour alone). */
const char *
park_fullness_icon_name (ParkFullness fullness)
{
  switch (fullness)
    {
    case PARK_FULLNESS_FREE: return "emblem-ok-symbolic";
    case PARK_FULLNESS_FILLING: return "dialog-warning-symbolic";
    case PARK_FULLNESS_FULL:
    default: return "action-unavailable-symbolic";
    }
}

/* Gives @widget the colour of @fullness, and no other's. */
void
park_widget_set_fullness (GtkWidget    *widget,
                          ParkFullness  fullness)
{
  for (int f = PARK_FULLNESS_FREE; f <= PARK_FULLNESS_FULL; f++)
    gtk_widget_remove_css_class (widget, park_fullness_css_class (f));
  gtk_widget_add_css_class (widget, park_fullness_css_class (fullness));
}

/**
 * park_label_wrap_verbatim:
 * @label: a label showing something to be typed elsewhere: a key, an address
 *
 * Wraps @label anywhere, as a key or an address has no words, and without the hyphen Pango
 * draws where it breaks a word: a key may hold "-" itself, and whoever copies it by hand
 * would type the drawn one too.
 */
void
park_label_wrap_verbatim (GtkLabel *label)
{
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (label, attrs);
  pango_attr_list_unref (attrs);
  gtk_label_set_wrap (label, TRUE);
  gtk_label_set_wrap_mode (label, PANGO_WRAP_CHAR);
}

char *
park_lot_describe_free (ParkLot      *lot,
                        ParkSpotType  spot_type)
{
  guint free = park_lot_get_available (lot, spot_type);

  if (park_lot_get_status (lot) == PARK_LOT_STATUS_CLOSED)
    return g_strdup (_("Closed"));
  if (free == 0)
    return g_strdup (_("Full"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u spot free", "%u spots free", free),
                          free);
}

double
park_distance_m (double lat1,
                 double lng1,
                 double lat2,
                 double lng2)
{
  double p1 = lat1 * G_PI / 180, p2 = lat2 * G_PI / 180;
  double dp = (lat2 - lat1) * G_PI / 180, dl = (lng2 - lng1) * G_PI / 180;
  double a = sin (dp / 2) * sin (dp / 2) + cos (p1) * cos (p2) * sin (dl / 2) * sin (dl / 2);

  return 6371008.8 * 2 * atan2 (sqrt (a), sqrt (1 - a));
}

/* @text as the lot search compares it, the way parkd does: case-folded (ß as ss) and without
 * accents, so "glaserne" finds "Gläserne Manufaktur". */
char *
park_format_fold (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text != NULL ? text : "", -1);
  g_autofree char *decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKD);
  GString *out = g_string_new (NULL);

  for (const char *p = decomposed; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_combining_class (c) == 0)
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}
