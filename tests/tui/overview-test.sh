#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The lot fills up elsewhere: a driver books a spot of the booth's lot (with curl, as the
# app would), and the overview shows one spot fewer free, by type and by level, and the
# booking among the arrivals of the next hour, without a key being pressed.
. "$(dirname "$0")/lib.sh"

setup_signed_in
wait_for "● LIVE"
wait_for "Basement 1 "
FREE=$(screen_line "Free [0-9]* of" | sed 's/.*Free \([0-9]*\) of.*/\1/')
REGULAR=$(screen_line "^ Regular " | awk '{print $2}')
[ -n "$FREE" ] && [ -n "$REGULAR" ] || fail "no free counts on the overview"
wait_for "Arrivals, next hour (0)"
ok "the overview shows $FREE free, $REGULAR regular"

DRIVER=$(api POST api/v1/auth/register \
  '{"email":"dora.driver@example.org","password":"Sunny-Garage-77","first_name":"Dora","last_name":"Fahrer"}' \
  | json_get '["access_token"]')
START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
END=$(date -u -d '+2 hour' +%Y-%m-%dT%H:%M:%SZ)
BOOKING=$(api POST api/v1/reservations \
  "{\"parking_lot_id\":\"$LOT_ID\",\"spot_type\":\"regular\",\"start_time\":\"$START\",\"end_time\":\"$END\"}" \
  "$DRIVER")
CODE=$(echo "$BOOKING" | json_get '["code"]')
SPOT=$(echo "$BOOKING" | json_get '["spot_number"]')
ok "a driver booked spot $SPOT (code $CODE)"

wait_for "Free $((FREE - 1)) of"
poll eval '[ "$(screen_line "^ Regular " | awk "{print \$2}")" = "$((REGULAR - 1))" ]' ||
  fail "the regular count did not drop to $((REGULAR - 1))"
ok "the free counts dropped live"

wait_for "Arrivals, next hour (1)"
wait_for "$CODE .*(unpaid) Dora Fahrer"
ok "the booking is among the arrivals"

# Paid at the booth (cash, by the attendant): it stays an arrival, no longer unpaid.
T=$(login "$ATTENDANT_EMAIL" "$ATTENDANT_PASSWORD")
ID=$(echo "$BOOKING" | json_get '["id"]')
api POST "api/v1/reservations/$ID/payments" '{"provider":"cash","tendered":100000}' "$T" >/dev/null
keys r
wait_for "$CODE .*Dora Fahrer"
poll eval '! screen_line "$CODE" | grep -q unpaid' || fail "the booking still shows unpaid"
ok "after payment the arrival is confirmed"

# The car arrives: found by the driver's name, checked in with its code.
keys /
wait_for "Search for:"
type_text "fahrer"
keys Enter
wait_for "booking *$CODE .*confirmed"
keys Enter
wait_for "Booking code: $CODE"
type_text "dd-bk 9"
keys Enter
wait_for "Checked in DD-BK 9: ticket [A-Z0-9]*, spot $SPOT"
STATUS=$(api GET "api/v1/reservations/$ID" "" "$T" | json_get '["status"]')
[ "$STATUS" = checked_in ] || fail "the booking is $STATUS, not checked in"
keys Escape
keys v
wait_for "Arrivals, next hour (0)"
ok "the booking checked in by its code from the search; no longer an arrival"
done_testing
