#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# parkd stops in the middle of a shift: the console says it is offline, a check-in fails
# with a message saying what to do (not a crash, not a frozen screen), and when parkd is
# back on the same port the console is live again by itself, shows what changed meanwhile
# and checks cars in.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { echo "Bail out! sqlite3 is not installed (build-aux/dev installs it)"; exit 1; }

setup_signed_in
wait_for "● LIVE"
wait_for "Overstays (0)"
ok "live"

# A car that paid and has not left: while parkd is down its exit grace runs out (moved back
# in the database, as nothing else can), and the overview shows it afterwards.
T=$(login "$ATTENDANT_EMAIL" "$ATTENDANT_PASSWORD")
LATE=$(api POST api/v1/sessions "{\"parking_lot_id\":\"$LOT_ID\",\"plate\":\"LT 9\"}" "$T" |
       json_get '["ticket"]')
api POST "api/v1/sessions/$LATE/check-out" '{"tendered":0}' "$T" >/dev/null

stop_parkd
wait_for "○ OFFLINE"
wait_for "cannot be reached"
ok "parkd stopped: the status line says offline"

# Still answering keys while offline.
keys i
wait_for "Plate:"
type_text "off 1"
keys Enter
wait_for "Check-in failed: the server cannot be reached"
keys Escape
wait_gone "Plate:"
keys F5
wait_for "Spots"
keys v
wait_for "NOT LIVE: the last counts known"
ok "a check-in while offline says what happened; the console still works"

sqlite3 "$TUI_TMP/park.db" \
  "UPDATE parking_sessions SET leave_by = '2020-01-01T00:00:00Z' WHERE ticket = '$LATE'"
start_parkd
wait_for "● LIVE"
wait_gone "NOT LIVE"
ok "parkd back: live again by itself"
wait_for "Overstays (1)"
wait_for "$LATE *LT 9"
ok "what changed meanwhile shows: an overstay"

keys i
wait_for "Plate:"
type_text "off 1"
keys Enter
wait_for "Checked in OFF 1: ticket"
ok "checks cars in again"
done_testing
