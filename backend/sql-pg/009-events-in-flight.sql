-- SPDX-License-Identifier: GPL-3.0-or-later
-- Events no longer take their numbers one transaction at a time (007): that lock was held from
-- a transaction's first event to its commit, so every booking, check-in and sensor change of
-- every lot committed one after the other, each waiting for the last one's disk write.
--
-- Numbers are now taken as rows are written, and a transaction may commit before one that
-- took a smaller number. The publisher (parkd-store-pg-live.c) does not pass a missing number
-- until it knows the number will never come: every transaction that was running when it
-- first saw the hole has ended. For that, a transaction has its id before its event has a
-- number, so that whoever holds a missing number is among the transactions a snapshot lists
-- as running.
CREATE OR REPLACE FUNCTION parkd_events_number () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_current_xact_id ();
  NEW.seq := nextval (pg_get_serial_sequence ('events', 'seq'));
  RETURN NEW;
END $$;
