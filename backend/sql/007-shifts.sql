-- SPDX-License-Identifier: GPL-3.0-or-later
-- Attendants' shifts (issue 8): a drawer opened with a float and closed with the cash
-- counted. Cash taken and given back is attributed to the shift open at that moment by
-- triggers, in the transaction that records it, so the check-out and refund code paths
-- need not know about shifts.

CREATE TABLE shifts (
  pk            INTEGER PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  attendant_id  TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  operator_id   TEXT NOT NULL,
  lot_id        TEXT,                        -- the booth's lot, when given
  currency      TEXT NOT NULL,
  float_amount  INTEGER NOT NULL CHECK (float_amount >= 0),
  opened_at     TEXT NOT NULL,
  closed_at     TEXT,
  counted       INTEGER CHECK (counted IS NULL OR counted >= 0),
  expected      INTEGER,                     -- at closing: float + taken - change - refunds
  note          TEXT NOT NULL DEFAULT '',
  CHECK ((closed_at IS NULL) = (counted IS NULL))
);

-- One open shift per attendant.
CREATE UNIQUE INDEX shifts_one_open ON shifts (attendant_id) WHERE closed_at IS NULL;
CREATE INDEX shifts_attendant ON shifts (attendant_id, opened_at);

ALTER TABLE payments ADD COLUMN shift_pk INTEGER REFERENCES shifts (pk);
ALTER TABLE refunds ADD COLUMN shift_pk INTEGER REFERENCES shifts (pk);
CREATE INDEX payments_shift ON payments (shift_pk);
CREATE INDEX refunds_shift ON refunds (shift_pk);

-- Cash into a drawer: the open shift of the attendant who took it.
CREATE TRIGGER payments_to_shift AFTER INSERT ON payments
  WHEN NEW.provider = 'cash' AND NEW.attendant_id IS NOT NULL
BEGIN
  UPDATE payments
     SET shift_pk = (SELECT pk FROM shifts
                      WHERE attendant_id = NEW.attendant_id AND closed_at IS NULL)
   WHERE id = NEW.id;
END;

-- Cash given back comes out of the drawer of the attendant who took it, while their shift
-- is open.
CREATE TRIGGER refunds_to_shift AFTER INSERT ON refunds
  WHEN (SELECT provider FROM payments WHERE id = NEW.payment_id) = 'cash'
BEGIN
  UPDATE refunds
     SET shift_pk = (SELECT s.pk FROM shifts s JOIN payments p ON p.attendant_id = s.attendant_id
                      WHERE p.id = NEW.payment_id AND s.closed_at IS NULL)
   WHERE id = NEW.id;
END;
