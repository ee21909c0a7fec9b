-- SPDX-License-Identifier: GPL-3.0-or-later
-- Operators (tenants), parking lots and their spots, as in the seed's schema.
-- Ids are UUID text; times are UTC RFC 3339 text; money is integer minor units.
-- The integer "pk" columns exist for SQLite's R*Tree and joins; the API only shows "id".

CREATE TABLE operators (
  id          TEXT PRIMARY KEY,
  slug        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  city        TEXT NOT NULL,
  time_zone   TEXT NOT NULL,
  currency    TEXT NOT NULL CHECK (length (currency) = 3),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

CREATE TABLE parking_lots (
  pk               INTEGER PRIMARY KEY,
  id               TEXT NOT NULL UNIQUE,
  operator_id      TEXT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  name             TEXT NOT NULL,
  address          TEXT NOT NULL,
  city             TEXT NOT NULL,
  lat              REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng              REAL NOT NULL CHECK (lng BETWEEN -180 AND 180),
  lot_type         TEXT NOT NULL CHECK (lot_type IN ('multi_storey', 'underground', 'surface', 'other')),
  total_spots      INTEGER NOT NULL CHECK (total_spots >= 0),
  hourly_rate      INTEGER NOT NULL CHECK (hourly_rate >= 0),
  currency         TEXT NOT NULL CHECK (length (currency) = 3),
  time_zone        TEXT NOT NULL,
  operating_hours  TEXT NOT NULL,
  amenities        TEXT NOT NULL DEFAULT '[]',
  status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);

CREATE INDEX parking_lots_operator ON parking_lots (operator_id);

-- Bounding boxes for the nearby search; R*Tree stores 32-bit floats rounded outwards,
-- so the box is a superset and the exact great-circle distance decides.
CREATE VIRTUAL TABLE parking_lots_rtree USING rtree (pk, min_lat, max_lat, min_lng, max_lng);

CREATE TRIGGER parking_lots_rtree_insert AFTER INSERT ON parking_lots
BEGIN
  INSERT INTO parking_lots_rtree VALUES (new.pk, new.lat, new.lat, new.lng, new.lng);
END;

CREATE TRIGGER parking_lots_rtree_update AFTER UPDATE OF lat, lng ON parking_lots
BEGIN
  UPDATE parking_lots_rtree
     SET min_lat = new.lat, max_lat = new.lat, min_lng = new.lng, max_lng = new.lng
   WHERE pk = new.pk;
END;

CREATE TRIGGER parking_lots_rtree_delete AFTER DELETE ON parking_lots
BEGIN
  DELETE FROM parking_lots_rtree WHERE pk = old.pk;
END;

CREATE TABLE parking_spots (
  pk          INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  lot_pk      INTEGER NOT NULL REFERENCES parking_lots (pk) ON DELETE CASCADE,
  number      TEXT NOT NULL,
  spot_type   TEXT NOT NULL DEFAULT 'regular'
              CHECK (spot_type IN ('regular', 'disabled', 'ev', 'compact', 'motorcycle')),
  level       INTEGER NOT NULL DEFAULT 0,
  state       TEXT NOT NULL DEFAULT 'available'
              CHECK (state IN ('available', 'occupied', 'reserved', 'out_of_service')),
  updated_at  TEXT NOT NULL,
  UNIQUE (lot_pk, number)
);

CREATE INDEX parking_spots_lot_type_state ON parking_spots (lot_pk, spot_type, state);
CREATE INDEX parking_spots_lot_level ON parking_spots (lot_pk, level, number);

-- Live counts per lot and spot type, kept exact by triggers in the same transaction as the
-- spot change, so a search never counts spots row by row.
CREATE TABLE lot_availability (
  lot_pk     INTEGER NOT NULL REFERENCES parking_lots (pk) ON DELETE CASCADE,
  spot_type  TEXT NOT NULL,
  total      INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0),
  available  INTEGER NOT NULL DEFAULT 0 CHECK (available >= 0 AND available <= total),
  PRIMARY KEY (lot_pk, spot_type)
) WITHOUT ROWID;

CREATE TRIGGER parking_spots_count_insert AFTER INSERT ON parking_spots
BEGIN
  INSERT INTO lot_availability (lot_pk, spot_type, total, available)
  VALUES (new.lot_pk, new.spot_type, 1, new.state = 'available')
  ON CONFLICT (lot_pk, spot_type) DO UPDATE
     SET total = total + 1, available = available + (new.state = 'available');
END;

CREATE TRIGGER parking_spots_count_delete AFTER DELETE ON parking_spots
BEGIN
  UPDATE lot_availability
     SET total = total - 1, available = available - (old.state = 'available')
   WHERE lot_pk = old.lot_pk AND spot_type = old.spot_type;
END;

CREATE TRIGGER parking_spots_count_update AFTER UPDATE OF state, spot_type, lot_pk ON parking_spots
BEGIN
  UPDATE lot_availability
     SET total = total - 1, available = available - (old.state = 'available')
   WHERE lot_pk = old.lot_pk AND spot_type = old.spot_type;
  INSERT INTO lot_availability (lot_pk, spot_type, total, available)
  VALUES (new.lot_pk, new.spot_type, 1, new.state = 'available')
  ON CONFLICT (lot_pk, spot_type) DO UPDATE
     SET total = total + 1, available = available + (new.state = 'available');
END;
