#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# parkd stops in the middle of a shift: the console says it is offline, a check-in fails
# with a message saying what to do (not a crash, not a frozen screen), and when parkd is
# back on the same port the console is live again by itself and checks cars in.
. "$(dirname "$0")/lib.sh"

setup_signed_in
wait_for "● LIVE"
ok "live"

stop_parkd
wait_for "○ OFFLINE"
wait_for "cannot be reached"
ok "parkd stopped: the status line says offline"

# Still answering keys while offline.
keys i
wait_for "Plate:"
type_text "off 1"
keys Enter Enter
wait_for "Check-in failed: the server cannot be reached"
keys Escape
wait_gone "Plate:"
keys F5
wait_for "Spots"
keys v
wait_for "NOT LIVE: the last counts known"
ok "a check-in while offline says what happened; the console still works"

start_parkd
wait_for "● LIVE"
wait_gone "NOT LIVE"
ok "parkd back: live again by itself"

keys i
wait_for "Plate:"
type_text "off 1"
keys Enter Enter
wait_for "Checked in OFF 1: ticket"
ok "checks cars in again"
done_testing
