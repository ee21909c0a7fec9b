-- SPDX-License-Identifier: GPL-3.0-or-later
-- Operator analytics (issue 5): indexes that keep each report to the period it asks for
-- (parkd-store-sqlite-analytics.c). Without them every report reads a lot's whole history,
-- or every payment, refund and stay there ever was.

-- A lot's occupancy history by time: events_aggregate (aggregate, seq) finds a lot's events,
-- but not where a period starts in them.
CREATE INDEX events_aggregate_time ON events (aggregate, created_at);

-- Money of an operator by the time it was taken or given back.
CREATE INDEX payments_operator_time ON payments (operator_id, created_at);
CREATE INDEX refunds_time ON refunds (created_at);

-- Stays of a lot by the time they ended.
CREATE INDEX parking_sessions_lot_out ON parking_sessions (lot_pk, checked_out_at);
CREATE INDEX reservations_lot_out ON reservations (lot_pk, checked_out_at);
