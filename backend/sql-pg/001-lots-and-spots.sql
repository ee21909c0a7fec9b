-- SPDX-License-Identifier: GPL-3.0-or-later
-- Operators, parking lots, spots, their live counts and the events outbox, in PostgreSQL +
-- PostGIS terms (the seed's schema). Ids are UUID text and times UTC RFC 3339 text, as the
-- store's contract and the SQLite schema have them, so both stores answer alike; the times a
-- constraint must reason about (reservations) are timestamptz, in a later migration.

CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS btree_gist;

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
  pk               BIGSERIAL PRIMARY KEY,
  id               TEXT NOT NULL UNIQUE,
  operator_id      TEXT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  name             TEXT NOT NULL,
  address          TEXT NOT NULL,
  city             TEXT NOT NULL,
  lat              DOUBLE PRECISION NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng              DOUBLE PRECISION NOT NULL CHECK (lng BETWEEN -180 AND 180),
  -- The seed's location column: the nearby search is ST_DWithin on its GiST index.
  location         GEOGRAPHY (POINT, 4326) NOT NULL
                   GENERATED ALWAYS AS (ST_SetSRID (ST_MakePoint (lng, lat), 4326)::geography) STORED,
  lot_type         TEXT NOT NULL CHECK (lot_type IN ('multi_storey', 'underground', 'surface', 'other')),
  total_spots      INTEGER NOT NULL CHECK (total_spots >= 0),
  hourly_rate      BIGINT NOT NULL CHECK (hourly_rate >= 0),
  currency         TEXT NOT NULL CHECK (length (currency) = 3),
  time_zone        TEXT NOT NULL,
  operating_hours  TEXT NOT NULL,
  amenities        TEXT NOT NULL DEFAULT '[]',
  status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);

CREATE INDEX parking_lots_location ON parking_lots USING gist (location);
CREATE INDEX parking_lots_lat_lng ON parking_lots (lat, lng);
CREATE INDEX parking_lots_operator ON parking_lots (operator_id, name);

CREATE TABLE parking_spots (
  pk          BIGSERIAL PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  lot_pk      BIGINT NOT NULL REFERENCES parking_lots (pk) ON DELETE CASCADE,
  number      TEXT NOT NULL,
  spot_type   TEXT NOT NULL DEFAULT 'regular'
              CHECK (spot_type IN ('regular', 'disabled', 'ev', 'compact', 'motorcycle')),
  level       INTEGER NOT NULL DEFAULT 0,
  state       TEXT NOT NULL DEFAULT 'available'
              CHECK (state IN ('available', 'occupied', 'reserved', 'out_of_service')),
  updated_at  TEXT NOT NULL,
  sensor_at   TEXT,
  UNIQUE (lot_pk, number)
);

CREATE INDEX parking_spots_lot_type_state ON parking_spots (lot_pk, spot_type, state);
CREATE INDEX parking_spots_lot_level ON parking_spots (lot_pk, level, number);

-- The outbox (DESIGN.md, Events): every state change writes its event in its transaction.
CREATE TABLE events (
  seq           BIGSERIAL PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  type          TEXT NOT NULL,
  aggregate     TEXT NOT NULL,
  operator_id   TEXT,
  payload       TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  published_at  TEXT
);

CREATE INDEX events_unpublished ON events (seq) WHERE published_at IS NULL;
CREATE INDEX events_aggregate ON events (aggregate, seq);
CREATE INDEX events_aggregate_time ON events (aggregate, created_at);

-- Live counts per lot, kept exact by the triggers below in the spot change's transaction,
-- with the lot's feed sequence number (one more for every message about the lot).
CREATE TABLE lot_counts (
  lot_pk  BIGINT PRIMARY KEY REFERENCES parking_lots (pk) ON DELETE CASCADE,
  feed_seq  BIGINT NOT NULL DEFAULT 0,
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

CREATE FUNCTION parkd_lot_counts_insert () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO lot_counts (lot_pk) VALUES (NEW.pk);
  RETURN NULL;
END $$;

CREATE TRIGGER parking_lots_counts_insert AFTER INSERT ON parking_lots
FOR EACH ROW EXECUTE FUNCTION parkd_lot_counts_insert ();

-- Adds @sign times a spot of @type in @state to the lot's counts.
CREATE FUNCTION parkd_count_spot (lot BIGINT, type TEXT, state TEXT, sign INTEGER, feed INTEGER)
RETURNS void LANGUAGE sql AS $$
  UPDATE lot_counts
     SET feed_seq = feed_seq + feed,
         regular_total = regular_total + sign * (type = 'regular')::int,
         regular_available = regular_available + sign * (type = 'regular' AND state = 'available')::int,
         disabled_total = disabled_total + sign * (type = 'disabled')::int,
         disabled_available = disabled_available + sign * (type = 'disabled' AND state = 'available')::int,
         ev_total = ev_total + sign * (type = 'ev')::int,
         ev_available = ev_available + sign * (type = 'ev' AND state = 'available')::int,
         compact_total = compact_total + sign * (type = 'compact')::int,
         compact_available = compact_available + sign * (type = 'compact' AND state = 'available')::int,
         motorcycle_total = motorcycle_total + sign * (type = 'motorcycle')::int,
         motorcycle_available = motorcycle_available + sign * (type = 'motorcycle' AND state = 'available')::int
   WHERE lot_pk = lot
$$;

-- The lot's feed message after a change, as the SQLite store writes it (004-live.sql).
CREATE FUNCTION parkd_feed_event (lot BIGINT, type TEXT, spot JSON, at TEXT)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO events (id, type, aggregate, operator_id, payload, created_at)
  SELECT gen_random_uuid ()::text, type, 'lot:' || l.id, l.operator_id,
         json_strip_nulls (json_build_object (
           'lot_id', l.id, 'seq', c.feed_seq, 'status', l.status,
           'available', json_build_object ('regular', c.regular_available, 'disabled', c.disabled_available, 'ev', c.ev_available, 'compact', c.compact_available, 'motorcycle', c.motorcycle_available),
           'total', json_build_object ('regular', c.regular_total, 'disabled', c.disabled_total, 'ev', c.ev_total, 'compact', c.compact_total, 'motorcycle', c.motorcycle_total),
           'spot', spot))::text,
         at
    FROM parking_lots l JOIN lot_counts c ON c.lot_pk = l.pk
   WHERE l.pk = lot
$$;

-- Spots added or removed (an import adds thousands in one statement): one update per lot.
CREATE FUNCTION parkd_spots_added () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM parkd_count_spot (n.lot_pk, n.spot_type, n.state, n.spots::int, 0)
     FROM (SELECT lot_pk, spot_type, state, count(*) AS spots FROM new_spots
            GROUP BY lot_pk, spot_type, state) n;
  RETURN NULL;
END $$;

CREATE FUNCTION parkd_spots_removed () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM parkd_count_spot (o.lot_pk, o.spot_type, o.state, -o.spots::int, 0)
     FROM (SELECT lot_pk, spot_type, state, count(*) AS spots FROM old_spots
            GROUP BY lot_pk, spot_type, state) o;
  RETURN NULL;
END $$;

CREATE TRIGGER parking_spots_count_insert AFTER INSERT ON parking_spots
REFERENCING NEW TABLE AS new_spots
FOR EACH STATEMENT EXECUTE FUNCTION parkd_spots_added ();

CREATE TRIGGER parking_spots_count_delete AFTER DELETE ON parking_spots
REFERENCING OLD TABLE AS old_spots
FOR EACH STATEMENT EXECUTE FUNCTION parkd_spots_removed ();

-- A spot that changes: the counts move and the lot's feed gets its message, in the
-- transaction of the change, whoever made it (DESIGN.md, Live updates: one path).
CREATE FUNCTION parkd_spot_changed () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.state IS DISTINCT FROM NEW.state OR OLD.spot_type IS DISTINCT FROM NEW.spot_type
     OR OLD.lot_pk IS DISTINCT FROM NEW.lot_pk THEN
    PERFORM parkd_count_spot (OLD.lot_pk, OLD.spot_type, OLD.state, -1, 1);
    PERFORM parkd_count_spot (NEW.lot_pk, NEW.spot_type, NEW.state, 1,
                              (OLD.lot_pk IS DISTINCT FROM NEW.lot_pk)::int);
    PERFORM parkd_feed_event (NEW.lot_pk, 'SpotStateChanged',
                              json_build_object ('id', NEW.id, 'number', NEW.number,
                                                 'type', NEW.spot_type, 'level', NEW.level,
                                                 'state', NEW.state,
                                                 'previous_state', OLD.state),
                              NEW.updated_at);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER parking_spots_count_update AFTER UPDATE ON parking_spots
FOR EACH ROW EXECUTE FUNCTION parkd_spot_changed ();

-- A lot that opens or closes tells its subscribers too.
CREATE FUNCTION parkd_lot_status () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status IS DISTINCT FROM NEW.status THEN
    UPDATE lot_counts SET feed_seq = feed_seq + 1 WHERE lot_pk = NEW.pk;
    PERFORM parkd_feed_event (NEW.pk, 'LotStatusChanged', NULL, NEW.updated_at);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER parking_lots_feed_status AFTER UPDATE OF status ON parking_lots
FOR EACH ROW EXECUTE FUNCTION parkd_lot_status ();
