-- SPDX-License-Identifier: GPL-3.0-or-later
-- Events are numbered in the order their transactions commit. The live publisher reads the
-- outbox after the last seq it published; with a plain sequence two transactions writing at
-- once could commit out of order (seq 11 visible before seq 10), and the publisher would pass
-- 10 by for good: an update lost for every client. So each event's number is taken under a
-- transaction-level lock, held to the commit: numbers come out in commit order, and a gap
-- (a rolled-back transaction) is only a gap. SQLite has one writer and needs none of this.
ALTER TABLE events ALTER COLUMN seq DROP DEFAULT;

CREATE FUNCTION parkd_events_number () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock (7270205);
  NEW.seq := nextval (pg_get_serial_sequence ('events', 'seq'));
  RETURN NEW;
END $$;

CREATE TRIGGER events_number BEFORE INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION parkd_events_number ();
