-- SPDX-License-Identifier: GPL-3.0-or-later
-- Kiosks and guest bookings (issue 7), as sql/009-kiosks.sql: each kiosk has its own key
-- (kept as a hash) and stands at one lot; a guest's booking has no user and remembers the
-- kiosk it was made at.
CREATE TABLE kiosk_devices (
  id            TEXT PRIMARY KEY,
  operator_id   TEXT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  lot_pk        BIGINT NOT NULL REFERENCES parking_lots (pk) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  key_hash      BYTEA NOT NULL UNIQUE,
  created_at    TEXT NOT NULL,
  revoked_at    TEXT
);

CREATE INDEX kiosk_devices_operator ON kiosk_devices (operator_id, created_at);

ALTER TABLE reservations ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE reservations ADD COLUMN kiosk_id TEXT REFERENCES kiosk_devices (id);
ALTER TABLE reservations ADD CONSTRAINT reservations_driver_or_guest
  CHECK (user_id IS NOT NULL OR (kiosk_id IS NOT NULL AND plate_sealed IS NOT NULL));
CREATE INDEX reservations_kiosk ON reservations (kiosk_id, created_at);
