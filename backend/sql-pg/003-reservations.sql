-- SPDX-License-Identifier: GPL-3.0-or-later
-- Reservations, walk-in stays, quotes, payments and Idempotency-Keys (issue 4), in
-- PostgreSQL terms.
--
-- Double booking is refused by the database itself, with the seed's constraint:
--   EXCLUDE USING gist (spot WITH =, tstzrange (start, end) WITH &&) WHERE (active)
-- A booking that overlaps another active one of its spot fails with SQLSTATE 23P01, which the
-- store answers as a conflict (409), as the SQLite store does after its own check.
--
-- Reservations are partitioned by the month they start in, as in the seed; parkd creates
-- each month's partition ahead of the bookings that need it (parkd-store-pg.c). Their times
-- are UTC RFC 3339 text as everywhere in the store (a month is a range of that text); the
-- constraint below works on them as timestamptz. PostgreSQL 15
-- can neither put an EXCLUDE constraint nor a unique id or code on a partitioned table (only
-- per partition, which would let a booking that crosses a month boundary overlap one in the
-- next partition), so each reservation also has one row in reservation_holds: its id, its
-- code, its spot and time range and whether it holds the spot, with the constraint over all
-- of them. Payments and stays refer to that row.

ALTER TABLE parking_lots ADD COLUMN pricing TEXT NOT NULL DEFAULT '{}';

CREATE TABLE quotes (
  id          TEXT PRIMARY KEY,
  lot_pk      BIGINT NOT NULL REFERENCES parking_lots (pk) ON DELETE CASCADE,
  spot_type   TEXT NOT NULL,
  start_time  TEXT NOT NULL,
  end_time    TEXT NOT NULL,
  total       BIGINT NOT NULL CHECK (total >= 0),
  currency    TEXT NOT NULL,
  breakdown   TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL
);

CREATE INDEX quotes_expires ON quotes (expires_at);

CREATE TABLE reservation_holds (
  pk          BIGSERIAL PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  code        TEXT NOT NULL UNIQUE,          -- short, typed at a kiosk: "K7Q4MX"
  spot_pk     BIGINT NOT NULL REFERENCES parking_spots (pk) ON DELETE RESTRICT,
  start_time  TIMESTAMPTZ NOT NULL,
  end_time    TIMESTAMPTZ NOT NULL,
  active      BOOLEAN NOT NULL,              -- pending_payment, confirmed or checked_in
  CHECK (end_time > start_time),
  CONSTRAINT reservation_holds_no_overlap
    EXCLUDE USING gist (spot_pk WITH =, tstzrange (start_time, end_time) WITH &&) WHERE (active)
);

CREATE TABLE reservations (
  pk            BIGINT NOT NULL REFERENCES reservation_holds (pk) ON DELETE RESTRICT,
  id            TEXT NOT NULL,
  code          TEXT NOT NULL,
  user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  lot_pk        BIGINT NOT NULL REFERENCES parking_lots (pk) ON DELETE RESTRICT,
  spot_pk       BIGINT NOT NULL REFERENCES parking_spots (pk) ON DELETE RESTRICT,
  start_time    TEXT NOT NULL,               -- UTC RFC 3339; compared as text
  end_time      TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('pending_payment', 'confirmed', 'checked_in',
                                                'completed', 'cancelled', 'expired', 'no_show')),
  hold_until    TEXT,
  total         BIGINT NOT NULL CHECK (total >= 0),
  currency      TEXT NOT NULL,
  breakdown     TEXT NOT NULL,
  quote_id      TEXT,
  plate_sealed  BYTEA,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  checked_in_at   TEXT,
  checked_out_at  TEXT,
  cancelled_at    TEXT,
  ending_notice_for TEXT,
  CHECK (end_time > start_time),
  PRIMARY KEY (pk, start_time)
) PARTITION BY RANGE (start_time);

-- Bookings further back or ahead than the months parkd prepared land here, never refused.
CREATE TABLE reservations_default PARTITION OF reservations DEFAULT;

CREATE INDEX reservations_id ON reservations (id);
CREATE INDEX reservations_code ON reservations (code);
CREATE INDEX reservations_spot_end ON reservations (spot_pk, end_time);
CREATE INDEX reservations_user ON reservations (user_id, start_time);
CREATE INDEX reservations_status ON reservations (status, start_time);
CREATE INDEX reservations_lot_end ON reservations (lot_pk, end_time);
CREATE INDEX reservations_lot_out ON reservations (lot_pk, checked_out_at);

-- The hold follows its reservation: times and whether its status holds the spot.
CREATE FUNCTION parkd_reservation_hold () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE reservation_holds
     SET start_time = NEW.start_time::timestamptz, end_time = NEW.end_time::timestamptz,
         active = NEW.status IN ('pending_payment', 'confirmed', 'checked_in')
   WHERE pk = NEW.pk
     AND (start_time, end_time, active) IS DISTINCT FROM
         (NEW.start_time::timestamptz, NEW.end_time::timestamptz,
          NEW.status IN ('pending_payment', 'confirmed', 'checked_in'));
  RETURN NULL;
END $$;

CREATE TRIGGER reservations_hold AFTER INSERT OR UPDATE ON reservations
FOR EACH ROW EXECUTE FUNCTION parkd_reservation_hold ();

-- Creates the partition of the month that starts with @month ("2026-12"), unless it exists;
-- rows of that month in the default partition (booked before it existed) move into it.
CREATE FUNCTION parkd_reservations_month (month TEXT) RETURNS TEXT LANGUAGE plpgsql AS $$
DECLARE
  first DATE := to_date (month || '-01', 'YYYY-MM-DD');
  next TEXT := to_char (first + interval '1 month', 'YYYY-MM');
  name TEXT := 'reservations_' || to_char (first, 'YYYY_MM');
BEGIN
  -- Replicas starting together make the same months: one at a time.
  PERFORM pg_advisory_xact_lock (7270204);
  IF to_regclass (name) IS NULL THEN
    EXECUTE format ('CREATE TABLE %I (LIKE reservations INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name);
    EXECUTE format ('INSERT INTO %I SELECT * FROM reservations_default WHERE start_time >= %L AND start_time < %L',
                    name, month, next);
    EXECUTE format ('DELETE FROM reservations_default WHERE start_time >= %L AND start_time < %L',
                    month, next);
    EXECUTE format ('ALTER TABLE reservations ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                    name, month, next);
  END IF;
  RETURN name;
END $$;

CREATE TABLE parking_sessions (
  pk             BIGSERIAL PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,
  ticket         TEXT NOT NULL UNIQUE,
  lot_pk         BIGINT NOT NULL REFERENCES parking_lots (pk) ON DELETE RESTRICT,
  spot_pk        BIGINT REFERENCES parking_spots (pk) ON DELETE RESTRICT,
  reservation_pk BIGINT REFERENCES reservation_holds (pk),
  plate_sealed   BYTEA NOT NULL,
  plate_hash     BYTEA NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('active', 'paid', 'completed')),
  checked_in_at  TEXT NOT NULL,
  paid_at        TEXT,
  leave_by       TEXT,
  checked_out_at TEXT,
  fee            BIGINT,
  currency       TEXT NOT NULL,
  breakdown      TEXT,
  attendant_id   TEXT,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);

CREATE INDEX parking_sessions_lot ON parking_sessions (lot_pk, status);
CREATE INDEX parking_sessions_plate ON parking_sessions (plate_hash, status);
CREATE INDEX parking_sessions_spot ON parking_sessions (spot_pk, status);
CREATE INDEX parking_sessions_lot_out ON parking_sessions (lot_pk, checked_out_at);

CREATE TABLE payments (
  id              TEXT PRIMARY KEY,
  reservation_pk  BIGINT REFERENCES reservation_holds (pk),
  session_pk      BIGINT REFERENCES parking_sessions (pk),
  user_id         TEXT,
  operator_id     TEXT NOT NULL,
  provider        TEXT NOT NULL CHECK (provider IN ('cash', 'stripe')),
  provider_ref    TEXT,
  amount          BIGINT NOT NULL CHECK (amount >= 0),
  refunded        BIGINT NOT NULL DEFAULT 0 CHECK (refunded BETWEEN 0 AND amount),
  currency        TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed',
                                                  'refunded', 'partially_refunded')),
  tendered        BIGINT,
  change_given    BIGINT,
  attendant_id    TEXT,
  breakdown       TEXT NOT NULL,
  idem_scope      TEXT,
  idem_key        TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  CHECK ((reservation_pk IS NULL) <> (session_pk IS NULL))
);

CREATE INDEX payments_reservation ON payments (reservation_pk);
CREATE INDEX payments_session ON payments (session_pk);
CREATE INDEX payments_attendant ON payments (attendant_id, created_at);
CREATE INDEX payments_operator_time ON payments (operator_id, created_at);
CREATE UNIQUE INDEX payments_provider_ref ON payments (provider, provider_ref);
CREATE UNIQUE INDEX payments_idempotency ON payments (idem_scope, idem_key);

CREATE TABLE refunds (
  id            TEXT PRIMARY KEY,
  payment_id    TEXT NOT NULL REFERENCES payments (id),
  amount        BIGINT NOT NULL CHECK (amount > 0),
  provider_ref  TEXT,
  reason        TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

CREATE INDEX refunds_time ON refunds (created_at);

CREATE TABLE idempotency_keys (
  scope        TEXT NOT NULL,
  key          TEXT NOT NULL,
  route        TEXT NOT NULL,
  body_hash    BYTEA NOT NULL,
  status       INTEGER NOT NULL,
  resource_id  TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (scope, key)
);

CREATE TABLE discount_codes (
  id           TEXT PRIMARY KEY,
  operator_id  TEXT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  code         TEXT NOT NULL,
  percent_off  INTEGER CHECK (percent_off BETWEEN 1 AND 100),
  amount_off   BIGINT CHECK (amount_off > 0),
  max_uses     INTEGER,
  uses         INTEGER NOT NULL DEFAULT 0,
  expires_at   TEXT,
  created_at   TEXT NOT NULL,
  UNIQUE (operator_id, code),
  CHECK ((percent_off IS NULL) <> (amount_off IS NULL))
);
