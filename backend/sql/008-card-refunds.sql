-- Card refunds parkd owes (issue 4): written before Stripe is asked, done when Stripe said
-- yes, so no refund is lost to a timeout, a crash or a database that refused the record.
--   * a void: a card charge parkd made but could not record (the stay was paid meanwhile,
--     the booking's hold ran out, the write failed, parkd died): all of it goes back;
--   * a refund of a recorded payment (a cancelled booking) Stripe did not take at once.
-- A worker in parkd tries the ones not done again until Stripe takes them; done rows stay
-- as the record of what was given back and why.
CREATE TABLE card_refunds_due (
  id            INTEGER PRIMARY KEY,
  provider_ref  TEXT NOT NULL,                 -- Stripe's pi_...
  payment_id    TEXT REFERENCES payments (id), -- NULL: a void of a charge never recorded
  amount        INTEGER NOT NULL CHECK (amount > 0),
  currency      TEXT NOT NULL,
  operator_id   TEXT,
  reason        TEXT NOT NULL,
  idem_key      TEXT NOT NULL UNIQUE,          -- Stripe's Idempotency-Key for the refund
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT,
  created_at    TEXT NOT NULL,
  done_at       TEXT,
  refund_ref    TEXT                           -- Stripe's re_..., once done
);

CREATE UNIQUE INDEX card_refunds_void ON card_refunds_due (provider_ref) WHERE payment_id IS NULL;
CREATE INDEX card_refunds_pending ON card_refunds_due (id) WHERE done_at IS NULL;

-- A voided charge can never become a payment: the void and the record race in separate
-- transactions, and whichever commits first wins.
CREATE TRIGGER payments_not_voided BEFORE INSERT ON payments
WHEN NEW.provider = 'stripe' AND EXISTS (SELECT 1 FROM card_refunds_due d
                                         WHERE d.provider_ref = NEW.provider_ref
                                           AND d.payment_id IS NULL)
BEGIN
  SELECT RAISE (ABORT, 'this card payment was voided and refunded');
END;
