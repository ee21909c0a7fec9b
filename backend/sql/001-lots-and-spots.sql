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

-- Bumped by every change to a lot or an operator (not to spots), so readers can keep the
-- lots' descriptions in memory and know at once when to reload them.
CREATE TABLE lot_directory_version (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  version  INTEGER NOT NULL
);
INSERT INTO lot_directory_version VALUES (1, 1);

CREATE TRIGGER parking_lots_version_insert AFTER INSERT ON parking_lots
BEGIN
  UPDATE lot_directory_version SET version = version + 1;
END;
CREATE TRIGGER parking_lots_version_update AFTER UPDATE ON parking_lots
BEGIN
  UPDATE lot_directory_version SET version = version + 1;
END;
CREATE TRIGGER parking_lots_version_delete AFTER DELETE ON parking_lots
BEGIN
  UPDATE lot_directory_version SET version = version + 1;
END;
CREATE TRIGGER operators_version_update AFTER UPDATE ON operators
BEGIN
  UPDATE lot_directory_version SET version = version + 1;
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

-- Live counts per lot, one row each, kept exact by triggers in the same transaction as the
-- spot change. Every change also takes the next number of counts_seq, so a reader that keeps
-- the counts in memory reads only the rows changed since it last looked ("seq > ?").
CREATE TABLE counts_seq (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL
);
INSERT INTO counts_seq VALUES (1, 0);

CREATE TABLE lot_counts (
  lot_pk  INTEGER PRIMARY KEY REFERENCES parking_lots (pk) ON DELETE CASCADE,
  seq     INTEGER NOT NULL,
  regular_total      INTEGER NOT NULL DEFAULT 0,
  regular_available  INTEGER NOT NULL DEFAULT 0,
  disabled_total      INTEGER NOT NULL DEFAULT 0,
  disabled_available  INTEGER NOT NULL DEFAULT 0,
  ev_total      INTEGER NOT NULL DEFAULT 0,
  ev_available  INTEGER NOT NULL DEFAULT 0,
  compact_total      INTEGER NOT NULL DEFAULT 0,
  compact_available  INTEGER NOT NULL DEFAULT 0,
  motorcycle_total      INTEGER NOT NULL DEFAULT 0,
  motorcycle_available  INTEGER NOT NULL DEFAULT 0,
  CHECK (regular_available BETWEEN 0 AND regular_total),
  CHECK (disabled_available BETWEEN 0 AND disabled_total),
  CHECK (ev_available BETWEEN 0 AND ev_total),
  CHECK (compact_available BETWEEN 0 AND compact_total),
  CHECK (motorcycle_available BETWEEN 0 AND motorcycle_total)
);

CREATE INDEX lot_counts_seq ON lot_counts (seq);

CREATE TRIGGER parking_lots_counts_insert AFTER INSERT ON parking_lots
BEGIN
  UPDATE counts_seq SET seq = seq + 1;
  INSERT INTO lot_counts (lot_pk, seq) VALUES (new.pk, (SELECT seq FROM counts_seq));
END;

CREATE TRIGGER parking_spots_count_insert AFTER INSERT ON parking_spots
BEGIN
  UPDATE counts_seq SET seq = seq + 1;
  UPDATE lot_counts
     SET seq = (SELECT seq FROM counts_seq),
         regular_total = regular_total + (new.spot_type = 'regular'),
         regular_available = regular_available + (new.spot_type = 'regular' AND new.state = 'available'),
         disabled_total = disabled_total + (new.spot_type = 'disabled'),
         disabled_available = disabled_available + (new.spot_type = 'disabled' AND new.state = 'available'),
         ev_total = ev_total + (new.spot_type = 'ev'),
         ev_available = ev_available + (new.spot_type = 'ev' AND new.state = 'available'),
         compact_total = compact_total + (new.spot_type = 'compact'),
         compact_available = compact_available + (new.spot_type = 'compact' AND new.state = 'available'),
         motorcycle_total = motorcycle_total + (new.spot_type = 'motorcycle'),
         motorcycle_available = motorcycle_available + (new.spot_type = 'motorcycle' AND new.state = 'available')
   WHERE lot_pk = new.lot_pk;
END;

CREATE TRIGGER parking_spots_count_delete AFTER DELETE ON parking_spots
BEGIN
  UPDATE counts_seq SET seq = seq + 1;
  UPDATE lot_counts
     SET seq = (SELECT seq FROM counts_seq),
         regular_total = regular_total - (old.spot_type = 'regular'),
         regular_available = regular_available - (old.spot_type = 'regular' AND old.state = 'available'),
         disabled_total = disabled_total - (old.spot_type = 'disabled'),
         disabled_available = disabled_available - (old.spot_type = 'disabled' AND old.state = 'available'),
         ev_total = ev_total - (old.spot_type = 'ev'),
         ev_available = ev_available - (old.spot_type = 'ev' AND old.state = 'available'),
         compact_total = compact_total - (old.spot_type = 'compact'),
         compact_available = compact_available - (old.spot_type = 'compact' AND old.state = 'available'),
         motorcycle_total = motorcycle_total - (old.spot_type = 'motorcycle'),
         motorcycle_available = motorcycle_available - (old.spot_type = 'motorcycle' AND old.state = 'available')
   WHERE lot_pk = old.lot_pk;
END;

CREATE TRIGGER parking_spots_count_update AFTER UPDATE OF state, spot_type, lot_pk ON parking_spots
BEGIN
  UPDATE counts_seq SET seq = seq + 1;
  UPDATE lot_counts
     SET seq = (SELECT seq FROM counts_seq),
         regular_total = regular_total - (old.spot_type = 'regular'),
         regular_available = regular_available - (old.spot_type = 'regular' AND old.state = 'available'),
         disabled_total = disabled_total - (old.spot_type = 'disabled'),
         disabled_available = disabled_available - (old.spot_type = 'disabled' AND old.state = 'available'),
         ev_total = ev_total - (old.spot_type = 'ev'),
         ev_available = ev_available - (old.spot_type = 'ev' AND old.state = 'available'),
         compact_total = compact_total - (old.spot_type = 'compact'),
         compact_available = compact_available - (old.spot_type = 'compact' AND old.state = 'available'),
         motorcycle_total = motorcycle_total - (old.spot_type = 'motorcycle'),
         motorcycle_available = motorcycle_available - (old.spot_type = 'motorcycle' AND old.state = 'available')
   WHERE lot_pk = old.lot_pk;
  UPDATE lot_counts
     SET seq = (SELECT seq FROM counts_seq),
         regular_total = regular_total + (new.spot_type = 'regular'),
         regular_available = regular_available + (new.spot_type = 'regular' AND new.state = 'available'),
         disabled_total = disabled_total + (new.spot_type = 'disabled'),
         disabled_available = disabled_available + (new.spot_type = 'disabled' AND new.state = 'available'),
         ev_total = ev_total + (new.spot_type = 'ev'),
         ev_available = ev_available + (new.spot_type = 'ev' AND new.state = 'available'),
         compact_total = compact_total + (new.spot_type = 'compact'),
         compact_available = compact_available + (new.spot_type = 'compact' AND new.state = 'available'),
         motorcycle_total = motorcycle_total + (new.spot_type = 'motorcycle'),
         motorcycle_available = motorcycle_available + (new.spot_type = 'motorcycle' AND new.state = 'available')
   WHERE lot_pk = new.lot_pk;
END;
