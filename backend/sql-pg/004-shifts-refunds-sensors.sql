-- SPDX-License-Identifier: GPL-3.0-or-later
-- Attendants' shifts (issue 8), card refunds parkd owes (issue 4) and occupancy sensors
-- (issue 5), as the SQLite migrations 004, 007 and 008 have them.

CREATE TABLE shifts (
  pk            BIGSERIAL PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  attendant_id  TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  operator_id   TEXT NOT NULL,
  lot_id        TEXT,
  currency      TEXT NOT NULL,
  float_amount  BIGINT NOT NULL CHECK (float_amount >= 0),
  opened_at     TEXT NOT NULL,
  closed_at     TEXT,
  counted       BIGINT CHECK (counted IS NULL OR counted >= 0),
  expected      BIGINT,
  note          TEXT NOT NULL DEFAULT '',
  CHECK ((closed_at IS NULL) = (counted IS NULL))
);

CREATE UNIQUE INDEX shifts_one_open ON shifts (attendant_id) WHERE closed_at IS NULL;
CREATE INDEX shifts_attendant ON shifts (attendant_id, opened_at);

ALTER TABLE payments ADD COLUMN shift_pk BIGINT REFERENCES shifts (pk);
ALTER TABLE refunds ADD COLUMN shift_pk BIGINT REFERENCES shifts (pk);
CREATE INDEX payments_shift ON payments (shift_pk);
CREATE INDEX refunds_shift ON refunds (shift_pk);

-- Cash into a drawer: the open shift of the attendant who took it.
CREATE FUNCTION parkd_payment_to_shift () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.provider = 'cash' AND NEW.attendant_id IS NOT NULL THEN
    NEW.shift_pk := (SELECT pk FROM shifts
                      WHERE attendant_id = NEW.attendant_id AND closed_at IS NULL);
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER payments_to_shift BEFORE INSERT ON payments
FOR EACH ROW EXECUTE FUNCTION parkd_payment_to_shift ();

-- Cash given back comes out of the drawer of the attendant who took it, while their shift
-- is open.
CREATE FUNCTION parkd_refund_to_shift () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT provider FROM payments WHERE id = NEW.payment_id) = 'cash' THEN
    NEW.shift_pk := (SELECT s.pk FROM shifts s JOIN payments p ON p.attendant_id = s.attendant_id
                      WHERE p.id = NEW.payment_id AND s.closed_at IS NULL);
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER refunds_to_shift BEFORE INSERT ON refunds
FOR EACH ROW EXECUTE FUNCTION parkd_refund_to_shift ();

CREATE TABLE card_refunds_due (
  id            BIGSERIAL PRIMARY KEY,
  provider_ref  TEXT NOT NULL,
  payment_id    TEXT REFERENCES payments (id),
  amount        BIGINT NOT NULL CHECK (amount > 0),
  currency      TEXT NOT NULL,
  operator_id   TEXT,
  reason        TEXT NOT NULL,
  idem_key      TEXT NOT NULL UNIQUE,
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT,
  created_at    TEXT NOT NULL,
  done_at       TEXT,
  refund_ref    TEXT
);

CREATE UNIQUE INDEX card_refunds_void ON card_refunds_due (provider_ref) WHERE payment_id IS NULL;
CREATE INDEX card_refunds_pending ON card_refunds_due (id) WHERE done_at IS NULL;

-- A voided charge can never become a payment: the void and the record race in separate
-- transactions, and whichever commits first wins.
CREATE FUNCTION parkd_payment_not_voided () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.provider = 'stripe' AND EXISTS (SELECT 1 FROM card_refunds_due d
                                          WHERE d.provider_ref = NEW.provider_ref
                                            AND d.payment_id IS NULL) THEN
    RAISE EXCEPTION 'this card payment was voided and refunded' USING ERRCODE = '23000';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER payments_not_voided BEFORE INSERT ON payments
FOR EACH ROW EXECUTE FUNCTION parkd_payment_not_voided ();

CREATE TABLE sensor_devices (
  id            TEXT PRIMARY KEY,
  operator_id   TEXT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  lot_pk        BIGINT REFERENCES parking_lots (pk) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  key_hash      BYTEA NOT NULL UNIQUE,
  created_at    TEXT NOT NULL,
  last_seen_at  TEXT,
  revoked_at    TEXT
);

CREATE INDEX sensor_devices_operator ON sensor_devices (operator_id, created_at);

CREATE TABLE sensor_events (
  device_id    TEXT NOT NULL REFERENCES sensor_devices (id) ON DELETE CASCADE,
  event_id     TEXT NOT NULL,
  spot_pk      BIGINT NOT NULL REFERENCES parking_spots (pk) ON DELETE CASCADE,
  occupied     BOOLEAN NOT NULL,
  observed_at  TEXT NOT NULL,
  received_at  TEXT NOT NULL,
  outcome      TEXT NOT NULL CHECK (outcome IN ('applied', 'unchanged', 'stale', 'ignored')),
  PRIMARY KEY (device_id, event_id)
);
