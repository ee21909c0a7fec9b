-- SPDX-License-Identifier: GPL-3.0-or-later
-- Reservations, walk-in stays, prices, payments and the event outbox (issue 4).
--
-- Double booking is refused inside the write transaction that books (parkd-store-sqlite-
-- reservations.c): SQLite has one writer at a time, so "is anything overlapping?" and "book
-- it" cannot interleave with another booking. PostgreSQL will add the seed's EXCLUDE
-- constraint on top.

-- The lot's pricing policy (parkd-pricing.c), JSON; '{}' is the hourly rate and defaults.
ALTER TABLE parking_lots ADD COLUMN pricing TEXT NOT NULL DEFAULT '{}';

CREATE TABLE quotes (
  id          TEXT PRIMARY KEY,
  lot_pk      INTEGER NOT NULL REFERENCES parking_lots (pk) ON DELETE CASCADE,
  spot_type   TEXT NOT NULL,
  start_time  TEXT NOT NULL,
  end_time    TEXT NOT NULL,
  total       INTEGER NOT NULL CHECK (total >= 0),
  currency    TEXT NOT NULL,
  breakdown   TEXT NOT NULL,                 -- the quote as the client saw it (JSON)
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL
);

CREATE INDEX quotes_expires ON quotes (expires_at);

CREATE TABLE reservations (
  pk            INTEGER PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  code          TEXT NOT NULL UNIQUE,        -- short, typed at a kiosk: "K7Q4MX"
  user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  lot_pk        INTEGER NOT NULL REFERENCES parking_lots (pk) ON DELETE RESTRICT,
  spot_pk       INTEGER NOT NULL REFERENCES parking_spots (pk) ON DELETE RESTRICT,
  start_time    TEXT NOT NULL,               -- UTC RFC 3339; compared as text
  end_time      TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('pending_payment', 'confirmed', 'checked_in',
                                                'completed', 'cancelled', 'expired', 'no_show')),
  hold_until    TEXT,                        -- pending_payment only: released after this
  total         INTEGER NOT NULL CHECK (total >= 0),
  currency      TEXT NOT NULL,
  breakdown     TEXT NOT NULL,               -- the quote it was booked at (JSON)
  quote_id      TEXT,
  plate_sealed  BLOB,                        -- optional vehicle, sealed like vehicles.plate
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  checked_in_at   TEXT,
  checked_out_at  TEXT,
  cancelled_at    TEXT,
  CHECK (end_time > start_time)
);

-- The overlap check: the reservations of one spot that end after a given start.
CREATE INDEX reservations_spot_end ON reservations (spot_pk, end_time);
CREATE INDEX reservations_user ON reservations (user_id, start_time);
CREATE INDEX reservations_status ON reservations (status, start_time);
-- A lot's bookings that end after a given time (the booked share for demand pricing).
CREATE INDEX reservations_lot_end ON reservations (lot_pk, end_time);

-- Walk-in stays, checked in by an attendant (or a reservation's code at the gate).
CREATE TABLE parking_sessions (
  pk             INTEGER PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,
  ticket         TEXT NOT NULL UNIQUE,       -- printed on the ticket
  lot_pk         INTEGER NOT NULL REFERENCES parking_lots (pk) ON DELETE RESTRICT,
  spot_pk        INTEGER REFERENCES parking_spots (pk) ON DELETE RESTRICT,
  reservation_pk INTEGER REFERENCES reservations (pk),
  plate_sealed   BLOB NOT NULL,
  plate_hash     BLOB NOT NULL,              -- keyed hash: lost tickets are found by plate
  status         TEXT NOT NULL CHECK (status IN ('active', 'paid', 'completed')),
  checked_in_at  TEXT NOT NULL,
  paid_at        TEXT,
  leave_by       TEXT,                       -- paid: the exit grace ends here
  checked_out_at TEXT,
  fee            INTEGER,                    -- minor units, set at check-out
  currency       TEXT NOT NULL,
  breakdown      TEXT,
  attendant_id   TEXT,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);

CREATE INDEX parking_sessions_lot ON parking_sessions (lot_pk, status);
CREATE INDEX parking_sessions_plate ON parking_sessions (plate_hash, status);
CREATE INDEX parking_sessions_spot ON parking_sessions (spot_pk, status);

CREATE TABLE payments (
  id              TEXT PRIMARY KEY,
  reservation_pk  INTEGER REFERENCES reservations (pk),
  session_pk      INTEGER REFERENCES parking_sessions (pk),
  user_id         TEXT,                      -- who paid, when signed in
  operator_id     TEXT NOT NULL,             -- whose receipt it is
  provider        TEXT NOT NULL CHECK (provider IN ('cash', 'stripe')),
  provider_ref    TEXT,                      -- Stripe's pi_..., never a card number
  amount          INTEGER NOT NULL CHECK (amount >= 0),
  refunded        INTEGER NOT NULL DEFAULT 0 CHECK (refunded BETWEEN 0 AND amount),
  currency        TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed',
                                                  'refunded', 'partially_refunded')),
  tendered        INTEGER,                   -- cash: what the driver handed over
  change_given    INTEGER,
  attendant_id    TEXT,                      -- cash: whose drawer it is in
  breakdown       TEXT NOT NULL,             -- the fee breakdown the receipt shows
  idem_scope      TEXT,                      -- Idempotency-Key of the request that paid:
  idem_key        TEXT,                      --   who sent it, and the key
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  CHECK ((reservation_pk IS NULL) <> (session_pk IS NULL))
);

CREATE INDEX payments_reservation ON payments (reservation_pk);
CREATE INDEX payments_session ON payments (session_pk);
CREATE INDEX payments_attendant ON payments (attendant_id, created_at);
CREATE UNIQUE INDEX payments_provider_ref ON payments (provider, provider_ref);
CREATE UNIQUE INDEX payments_idempotency ON payments (idem_scope, idem_key);

CREATE TABLE refunds (
  id            TEXT PRIMARY KEY,
  payment_id    TEXT NOT NULL REFERENCES payments (id),
  amount        INTEGER NOT NULL CHECK (amount > 0),
  provider_ref  TEXT,
  reason        TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

-- Every state change writes its event here in the same transaction (DESIGN.md, Events);
-- a publisher drains it in seq order.
CREATE TABLE events (
  seq           INTEGER PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  type          TEXT NOT NULL,               -- ParkingSpotBooked, PaymentProcessed, ...
  aggregate     TEXT NOT NULL,               -- "reservation:<id>"
  operator_id   TEXT,
  payload       TEXT NOT NULL,               -- JSON object
  created_at    TEXT NOT NULL,
  published_at  TEXT
);

CREATE INDEX events_unpublished ON events (published_at, seq);

-- Idempotency-Key of POSTs that book or charge: the first answer, kept for a day.
CREATE TABLE idempotency_keys (
  scope        TEXT NOT NULL,                -- the user id, or the client address
  key          TEXT NOT NULL,
  route        TEXT NOT NULL,
  body_hash    BLOB NOT NULL,
  status       INTEGER NOT NULL,
  resource_id  TEXT NOT NULL,                -- what the first answer was about
  created_at   TEXT NOT NULL,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;

CREATE TABLE discount_codes (
  id           TEXT PRIMARY KEY,
  operator_id  TEXT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  code         TEXT NOT NULL,                -- upper case
  percent_off  INTEGER CHECK (percent_off BETWEEN 1 AND 100),
  amount_off   INTEGER CHECK (amount_off > 0),
  max_uses     INTEGER,                      -- NULL: unlimited
  uses         INTEGER NOT NULL DEFAULT 0,
  expires_at   TEXT,
  created_at   TEXT NOT NULL,
  UNIQUE (operator_id, code),
  CHECK ((percent_off IS NULL) <> (amount_off IS NULL))
);
