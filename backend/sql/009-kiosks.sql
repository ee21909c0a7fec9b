-- SPDX-License-Identifier: GPL-3.0-or-later
-- Kiosks and guest bookings (issue 7): a driver without an account books and pays at a
-- kiosk. Each kiosk has its own key (kept as a hash, like a sensor's) and stands at one lot.
-- A guest's booking has no user; it remembers the kiosk it was made at, which alone may read,
-- pay or cancel it, and only for a short while.
--
-- SQLite cannot drop the NOT NULL of reservations.user_id in place: the table is rebuilt
-- (https://sqlite.org/lang_altertable.html#otheralter). The migration runner turns foreign
-- keys off around it and checks them all before the commit.

CREATE TABLE kiosk_devices (
  id            TEXT PRIMARY KEY,
  operator_id   TEXT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  lot_pk        INTEGER NOT NULL REFERENCES parking_lots (pk) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  key_hash      BLOB NOT NULL UNIQUE,
  created_at    TEXT NOT NULL,
  revoked_at    TEXT
);

CREATE INDEX kiosk_devices_operator ON kiosk_devices (operator_id, created_at);

CREATE TABLE reservations_new (
  pk            INTEGER PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  code          TEXT NOT NULL UNIQUE,
  user_id       TEXT REFERENCES users (id) ON DELETE RESTRICT,
  lot_pk        INTEGER NOT NULL REFERENCES parking_lots (pk) ON DELETE RESTRICT,
  spot_pk       INTEGER NOT NULL REFERENCES parking_spots (pk) ON DELETE RESTRICT,
  start_time    TEXT NOT NULL,
  end_time      TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('pending_payment', 'confirmed', 'checked_in',
                                                'completed', 'cancelled', 'expired', 'no_show')),
  hold_until    TEXT,
  total         INTEGER NOT NULL CHECK (total >= 0),
  currency      TEXT NOT NULL,
  breakdown     TEXT NOT NULL,
  quote_id      TEXT,
  plate_sealed  BLOB,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  checked_in_at   TEXT,
  checked_out_at  TEXT,
  cancelled_at    TEXT,
  ending_notice_for TEXT,
  kiosk_id      TEXT REFERENCES kiosk_devices (id),
  CHECK (end_time > start_time),
  -- A booking is a driver's, or a guest's at a kiosk (who must give the plate).
  CHECK (user_id IS NOT NULL OR (kiosk_id IS NOT NULL AND plate_sealed IS NOT NULL))
);

INSERT INTO reservations_new (pk, id, code, user_id, lot_pk, spot_pk, start_time, end_time,
                              status, hold_until, total, currency, breakdown, quote_id,
                              plate_sealed, created_at, updated_at, checked_in_at,
                              checked_out_at, cancelled_at, ending_notice_for)
  SELECT pk, id, code, user_id, lot_pk, spot_pk, start_time, end_time, status, hold_until,
         total, currency, breakdown, quote_id, plate_sealed, created_at, updated_at,
         checked_in_at, checked_out_at, cancelled_at, ending_notice_for
    FROM reservations;

DROP TABLE reservations;
ALTER TABLE reservations_new RENAME TO reservations;

CREATE INDEX reservations_spot_end ON reservations (spot_pk, end_time);
CREATE INDEX reservations_user ON reservations (user_id, start_time);
CREATE INDEX reservations_status ON reservations (status, start_time);
CREATE INDEX reservations_lot_end ON reservations (lot_pk, end_time);
CREATE INDEX reservations_lot_out ON reservations (lot_pk, checked_out_at);
CREATE INDEX reservations_kiosk ON reservations (kiosk_id, created_at);
