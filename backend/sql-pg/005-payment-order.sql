-- SPDX-License-Identifier: GPL-3.0-or-later
-- Payments in the order they were recorded: two made in the same second (a check-out and a
-- late exit's) were listed in the random order of their ids. SQLite orders by rowid.
ALTER TABLE payments ADD COLUMN recorded BIGINT GENERATED ALWAYS AS IDENTITY;
