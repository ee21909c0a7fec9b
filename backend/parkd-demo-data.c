/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-demo-data.c: demo data seeded by `parkd --demo`.
 *
 * A single operator and a few dozen car parks spread over Dresden, so a
 * first run shows a realistic city: garages in the Altstadt and Neustadt,
 * lots near the stations, the Messe, the university and the hospitals,
 * and park-and-ride sites at the edges of town.  Street names are real,
 * but the lots, their capacities, prices, opening hours and occupancy are
 * invented (plausible, not official).
 */

#include "parkd-demo-data.h"

/* Opening hours are JSON (see parkd-demo-data.h); these macros build the
 * string literals by concatenation to keep the table readable. */
#define IV(open, close) "{\"open\":\"" open "\",\"close\":\"" close "\"}"
#define DAY1(a)         "[" a "]"
#define DAY2(a, b)      "[" a "," b "]"
#define CLOSED          "[]"
#define WEEK(mon, tue, wed, thu, fri, sat, sun) \
  "{\"mon\":" mon ",\"tue\":" tue ",\"wed\":" wed ",\"thu\":" thu \
  ",\"fri\":" fri ",\"sat\":" sat ",\"sun\":" sun "}"
#define DAILY(d)        WEEK (d, d, d, d, d, d, d)

/* Open around the clock. */
#define H24          DAILY (DAY1 (IV ("00:00", "24:00")))

/* Shopping centre: Mon-Sat 07:00-22:00, closed on Sunday. */
#define H_SHOPPING   WEEK (DAY1 (IV ("07:00", "22:00")), \
                           DAY1 (IV ("07:00", "22:00")), \
                           DAY1 (IV ("07:00", "22:00")), \
                           DAY1 (IV ("07:00", "22:00")), \
                           DAY1 (IV ("07:00", "22:00")), \
                           DAY1 (IV ("07:00", "22:00")), \
                           CLOSED)

/* Office area: Mon-Fri 06:00-20:00, Sat 08:00-16:00, closed on Sunday. */
#define H_OFFICE     WEEK (DAY1 (IV ("06:00", "20:00")), \
                           DAY1 (IV ("06:00", "20:00")), \
                           DAY1 (IV ("06:00", "20:00")), \
                           DAY1 (IV ("06:00", "20:00")), \
                           DAY1 (IV ("06:00", "20:00")), \
                           DAY1 (IV ("08:00", "16:00")), \
                           CLOSED)

/* Theatre / old town: every day 07:00-01:00.  The hour after midnight
 * belongs to the next day, so each day (Monday included, continuing
 * Sunday night) starts with 00:00-01:00. */
#define H_THEATRE    DAILY (DAY2 (IV ("00:00", "01:00"), IV ("07:00", "24:00")))

/* Museum and zoo car parks: every day, daytime only. */
#define H_MUSEUM     DAILY (DAY1 (IV ("08:00", "20:00")))
#define H_ZOO        DAILY (DAY1 (IV ("07:30", "19:30")))

/* Visitor garage: long weekday hours, shorter at the weekend. */
#define H_VISITOR    WEEK (DAY1 (IV ("07:00", "22:00")), \
                           DAY1 (IV ("07:00", "22:00")), \
                           DAY1 (IV ("07:00", "22:00")), \
                           DAY1 (IV ("07:00", "22:00")), \
                           DAY1 (IV ("07:00", "22:00")), \
                           DAY1 (IV ("09:00", "20:00")), \
                           DAY1 (IV ("09:00", "20:00")))

static const ParkdDemoOperator demo_operator =
{
  "dresden-parking",
  "Dresdner Parkraum GmbH",
  "Dresden",
  "Europe/Berlin",
  "EUR",
};

static const ParkdDemoLot demo_lots[] =
{
  /* Altstadt */
  {
    "Tiefgarage Altmarkt", "Altmarkt 1, 01067 Dresden",
    51.0497, 13.7388, "underground", 420, 300,
    "covered,cctv,lift,accessible,ev_charging", H24, 0.93
  },
  {
    "Tiefgarage Frauenkirche", "Neumarkt 14, 01067 Dresden",
    51.0515, 13.7430, "underground", 330, 350,
    "covered,cctv,lift,accessible,toilets", H24, 0.96
  },
  {
    "Tiefgarage Semperoper", "Ostra-Allee 2, 01067 Dresden",
    51.0540, 13.7345, "underground", 300, 320,
    "covered,cctv,lift,accessible,staffed", H_THEATRE, 0.72
  },
  {
    "Tiefgarage Taschenbergpalais", "Taschenberg 3, 01067 Dresden",
    51.0518, 13.7362, "underground", 150, 350,
    "covered,cctv,staffed", H_THEATRE, 0.85
  },
  {
    "Parkhaus Altmarkt-Galerie", "Wallstraße 11, 01067 Dresden",
    51.0500, 13.7335, "multi_storey", 500, 280,
    "covered,cctv,lift,accessible,ev_charging,toilets", H_SHOPPING, 0.88
  },
  {
    "Parkplatz Terrassenufer", "Terrassenufer 1, 01069 Dresden",
    51.0535, 13.7485, "surface", 90, 200,
    "motorcycle_parking,bicycle_parking", H24, 0.69
  },
  {
    "Parkplatz Ostra-Allee", "Ostra-Allee 15, 01067 Dresden",
    51.0528, 13.7280, "surface", 60, 250,
    "cctv", H24, 0.98
  },
  {
    "Tiefgarage Kongresszentrum", "Devrientstraße 10, 01067 Dresden",
    51.0565, 13.7298, "underground", 450, 280,
    "covered,cctv,lift,accessible,ev_charging,staffed", H24, 0.42
  },

  /* Seevorstadt, around Prager Straße and the Hauptbahnhof */
  {
    "Parkhaus Centrum-Galerie", "Reitbahnstraße 28, 01069 Dresden",
    51.0450, 13.7352, "multi_storey", 1000, 250,
    "covered,cctv,lift,accessible,ev_charging,toilets", H_SHOPPING, 0.64
  },
  {
    "Parkhaus Ferdinandplatz", "Ferdinandplatz 1, 01069 Dresden",
    51.0462, 13.7408, "multi_storey", 380, 250,
    "covered,cctv,lift,motorcycle_parking", H_OFFICE, 0.55
  },
  {
    "Tiefgarage Wiener Platz", "Wiener Platz 4, 01069 Dresden",
    51.0415, 13.7338, "underground", 280, 280,
    "covered,cctv,lift,accessible", H24, 0.77
  },
  {
    "Parkhaus Hauptbahnhof", "Bayrische Straße 2, 01069 Dresden",
    51.0398, 13.7288, "multi_storey", 460, 250,
    "covered,cctv,lift,accessible,ev_charging,bicycle_parking,motorcycle_parking", H24, 0.81
  },
  {
    "Parkplatz Hygiene-Museum", "Lingnerplatz 1, 01069 Dresden",
    51.0446, 13.7475, "surface", 110, 200,
    "accessible,bicycle_parking,motorcycle_parking", H_MUSEUM, 0.38
  },
  {
    "Tiefgarage Gläserne Manufaktur", "Lennéstraße 1, 01069 Dresden",
    51.0428, 13.7535, "underground", 260, 200,
    "covered,cctv,lift,accessible,ev_charging", H_VISITOR, 0.33
  },

  /* Wilsdruffer Vorstadt and Friedrichstadt */
  {
    "Parkhaus World Trade Center", "Freiberger Straße 39, 01067 Dresden",
    51.0470, 13.7235, "multi_storey", 520, 200,
    "covered,cctv,lift,accessible,ev_charging", H_OFFICE, 0.58
  },
  {
    "Parkplatz Krankenhaus Friedrichstadt", "Friedrichstraße 41, 01067 Dresden",
    51.0585, 13.7150, "surface", 180, 150,
    "accessible,cctv,bicycle_parking", H24, 0.87
  },
  {
    "Parkplatz Messe Dresden", "Messering 6, 01067 Dresden",
    51.0690, 13.7165, "surface", 1100, 100,
    "accessible,toilets,motorcycle_parking", H24, 0.08
  },

  /* Innere and Äußere Neustadt */
  {
    "Tiefgarage Neustädter Markt", "Neustädter Markt 12, 01097 Dresden",
    51.0580, 13.7425, "underground", 240, 250,
    "covered,cctv,lift,accessible", H_THEATRE, 0.61
  },
  {
    "Tiefgarage Carolaplatz", "Carolaplatz 1, 01097 Dresden",
    51.0578, 13.7497, "underground", 200, 220,
    "covered,cctv,lift", H_OFFICE, 0.47
  },
  {
    "Parkhaus Bahnhof Neustadt", "Schlesischer Platz 4, 01097 Dresden",
    51.0648, 13.7438, "multi_storey", 350, 180,
    "covered,cctv,lift,bicycle_parking,ev_charging", H24, 0.74
  },
  {
    "Parkplatz Louisenstraße", "Louisenstraße 38, 01099 Dresden",
    51.0665, 13.7520, "surface", 35, 200,
    "bicycle_parking,motorcycle_parking", H24, 0.97
  },

  /* Pieschen and Kaditz */
  {
    "Parkplatz Pieschener Hafen", "Leipziger Straße 33, 01127 Dresden",
    51.0725, 13.7240, "surface", 70, 120,
    "bicycle_parking,cctv", H24, 0.56
  },
  {
    "Parkhaus Elbepark", "Peschelstraße 33, 01139 Dresden",
    51.0850, 13.6930, "multi_storey", 1150, 100,
    "covered,cctv,lift,accessible,ev_charging,toilets,bicycle_parking", H_SHOPPING, 0.52
  },

  /* Johannstadt, Striesen and Blasewitz */
  {
    "Parkhaus Universitätsklinikum", "Fiedlerstraße 21, 01307 Dresden",
    51.0570, 13.7815, "multi_storey", 650, 200,
    "covered,cctv,lift,accessible,ev_charging,toilets,staffed", H24, 0.92
  },
  {
    "Parkplatz Borsbergstraße", "Borsbergstraße 30, 01309 Dresden",
    51.0472, 13.7860, "surface", 60, 120,
    "bicycle_parking,ev_charging", H_SHOPPING, 0.48
  },
  {
    "Parkhaus Schillergalerie", "Loschwitzer Straße 52, 01309 Dresden",
    51.0522, 13.8070, "multi_storey", 280, 150,
    "covered,cctv,lift,accessible", H_SHOPPING, 0.71
  },
  {
    "Parkplatz Körnerplatz", "Körnerplatz 5, 01326 Dresden",
    51.0527, 13.8150, "surface", 28, 200,
    "motorcycle_parking", H24, 0.99
  },
  {
    "Parkplatz Zoo Dresden", "Tiergartenstraße 1, 01219 Dresden",
    51.0372, 13.7555, "surface", 300, 150,
    "accessible,toilets,bicycle_parking", H_ZOO, 0.79
  },

  /* Südvorstadt, university campus, Plauen and Löbtau */
  {
    "Parkplatz TU Campus Zellescher Weg", "Zellescher Weg 17, 01069 Dresden",
    51.0290, 13.7355, "surface", 220, 100,
    "accessible,bicycle_parking,ev_charging", H_OFFICE, 0.89
  },
  {
    "Parkplatz Rathaus Plauen", "Nöthnitzer Straße 2, 01187 Dresden",
    51.0283, 13.7045, "surface", 40, 100,
    "accessible", H_OFFICE, 0.45
  },
  {
    "Parkhaus Löbtau", "Kesselsdorfer Straße 20, 01159 Dresden",
    51.0442, 13.6985, "multi_storey", 320, 120,
    "covered,cctv,lift,accessible", H_SHOPPING, 0.57
  },

  /* Park and ride at the edges of town */
  {
    "P+R Kaditz", "Washingtonstraße 50, 01139 Dresden",
    51.0805, 13.6865, "surface", 260, 0,
    "bicycle_parking,cctv", H24, 0.44
  },
  {
    "P+R Wilder Mann", "Großenhainer Straße 201, 01129 Dresden",
    51.0895, 13.7330, "surface", 140, 0,
    "bicycle_parking,cctv", H24, 0.58
  },
  {
    "P+R Bühlau", "Ullersdorfer Platz 3, 01324 Dresden",
    51.0622, 13.8480, "surface", 120, 0,
    "bicycle_parking", H24, 0.83
  },
  {
    "P+R Prohlis", "Jacob-Winter-Platz 2, 01239 Dresden",
    51.0015, 13.7985, "surface", 150, 50,
    "bicycle_parking,motorcycle_parking", H24, 0.62
  },
  {
    "P+R Pennrich", "Oskar-Maune-Straße 1, 01156 Dresden",
    51.0440, 13.6405, "surface", 250, 0,
    "bicycle_parking,accessible", H24, 0.12
  },
};

const ParkdDemoOperator *
parkd_demo_operator (void)
{
  return &demo_operator;
}

const ParkdDemoLot *
parkd_demo_lots (guint *n_lots)
{
  if (n_lots != NULL)
    *n_lots = G_N_ELEMENTS (demo_lots);

  return demo_lots;
}
