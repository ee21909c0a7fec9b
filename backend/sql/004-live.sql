-- SPDX-License-Identifier: GPL-3.0-or-later
-- The live feed, sensors and the occupancy history (issue 5).
--
-- Every change of a spot's state, whoever makes it (a booking, an attendant, a sensor, the
-- timer that starts and ends reservations), writes its feed message to the events outbox in
-- the same transaction, from the trigger that keeps the lot's counts: one path for every
-- change, and a message exists exactly when its change committed. Each message carries the
-- lot's next feed sequence number and its availability after the change, so the publisher
-- (parkd-live.c) only forwards it, and the outbox is also the lot's occupancy history.

-- The lot's feed sequence number: one more for every message about the lot, never reused.
ALTER TABLE lot_counts ADD COLUMN feed_seq INTEGER NOT NULL DEFAULT 0;

-- The occupancy history of a lot is its events.
CREATE INDEX events_aggregate ON events (aggregate, seq);

DROP TRIGGER parking_spots_count_update;
CREATE TRIGGER parking_spots_count_update AFTER UPDATE OF state, spot_type, lot_pk ON parking_spots
WHEN old.state IS NOT new.state OR old.spot_type IS NOT new.spot_type
     OR old.lot_pk IS NOT new.lot_pk
BEGIN
  UPDATE counts_seq SET seq = seq + 1;
  UPDATE lot_counts
     SET seq = (SELECT seq FROM counts_seq),
         feed_seq = feed_seq + 1,
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
         feed_seq = feed_seq + (old.lot_pk IS NOT new.lot_pk),
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
  INSERT INTO events (id, type, aggregate, operator_id, payload, created_at)
  SELECT lower (hex (randomblob (4)) || '-' || hex (randomblob (2)) || '-4' || substr (hex (randomblob (2)), 2) || '-' || substr ('89AB', 1 + (random () & 3), 1) || substr (hex (randomblob (2)), 2) || '-' || hex (randomblob (6))),
         'SpotStateChanged', 'lot:' || l.id, l.operator_id,
         json_object ('lot_id', l.id, 'seq', c.feed_seq, 'status', l.status,
                      'available', json_object ('regular', c.regular_available, 'disabled', c.disabled_available, 'ev', c.ev_available, 'compact', c.compact_available, 'motorcycle', c.motorcycle_available),
                      'total', json_object ('regular', c.regular_total, 'disabled', c.disabled_total, 'ev', c.ev_total, 'compact', c.compact_total, 'motorcycle', c.motorcycle_total),
                      'spot', json_object ('id', new.id, 'number', new.number,
                                           'type', new.spot_type, 'level', new.level,
                                           'state', new.state, 'previous_state', old.state)),
         new.updated_at
    FROM parking_lots l JOIN lot_counts c ON c.lot_pk = l.pk
   WHERE l.pk = new.lot_pk;
END;

-- A lot that opens or closes tells its subscribers too.
CREATE TRIGGER parking_lots_feed_status AFTER UPDATE OF status ON parking_lots
WHEN old.status IS NOT new.status
BEGIN
  UPDATE lot_counts SET feed_seq = feed_seq + 1 WHERE lot_pk = new.pk;
  INSERT INTO events (id, type, aggregate, operator_id, payload, created_at)
  SELECT lower (hex (randomblob (4)) || '-' || hex (randomblob (2)) || '-4' || substr (hex (randomblob (2)), 2) || '-' || substr ('89AB', 1 + (random () & 3), 1) || substr (hex (randomblob (2)), 2) || '-' || hex (randomblob (6))),
         'LotStatusChanged', 'lot:' || new.id, new.operator_id,
         json_object ('lot_id', new.id, 'seq', c.feed_seq, 'status', new.status,
                      'available', json_object ('regular', c.regular_available, 'disabled', c.disabled_available, 'ev', c.ev_available, 'compact', c.compact_available, 'motorcycle', c.motorcycle_available),
                      'total', json_object ('regular', c.regular_total, 'disabled', c.disabled_total, 'ev', c.ev_total, 'compact', c.compact_total, 'motorcycle', c.motorcycle_total)),
         new.updated_at
    FROM lot_counts c
   WHERE c.lot_pk = new.pk;
END;

-- Occupancy sensors in the ground: each has its own key (kept as a keyed hash, like refresh
-- tokens) and belongs to one operator, optionally to one lot.
CREATE TABLE sensor_devices (
  id            TEXT PRIMARY KEY,
  operator_id   TEXT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  lot_pk        INTEGER REFERENCES parking_lots (pk) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  key_hash      BLOB NOT NULL UNIQUE,
  created_at    TEXT NOT NULL,
  last_seen_at  TEXT,
  revoked_at    TEXT
);

CREATE INDEX sensor_devices_operator ON sensor_devices (operator_id, created_at);

-- Every reading a sensor sent, by its own event id: a replay of the same id changes nothing.
CREATE TABLE sensor_events (
  device_id    TEXT NOT NULL REFERENCES sensor_devices (id) ON DELETE CASCADE,
  event_id     TEXT NOT NULL,
  spot_pk      INTEGER NOT NULL REFERENCES parking_spots (pk) ON DELETE CASCADE,
  occupied     INTEGER NOT NULL CHECK (occupied IN (0, 1)),
  observed_at  TEXT NOT NULL,               -- the sensor's clock, UTC
  received_at  TEXT NOT NULL,
  outcome      TEXT NOT NULL CHECK (outcome IN ('applied', 'unchanged', 'stale', 'ignored')),
  PRIMARY KEY (device_id, event_id)
) WITHOUT ROWID;

-- The sensor time of the reading that last set the spot's state: older readings are stale.
ALTER TABLE parking_spots ADD COLUMN sensor_at TEXT;

-- The end time the driver was last told is near: an extension moves the end, and the driver
-- is told again before the new one.
ALTER TABLE reservations ADD COLUMN ending_notice_for TEXT;
