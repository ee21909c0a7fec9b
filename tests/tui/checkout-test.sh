#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The booth's main work in the real console against the real parkd: sign in, open a shift,
# check a car in, find it by search, check it out by its plate (the ticket is lost) in cash,
# see the change and the receipt, print it through the configured printer command, and
# find the payment in the shift report.
. "$(dirname "$0")/lib.sh"

start_parkd
add_user "$ATTENDANT_EMAIL" "$ATTENDANT_PASSWORD" attendant "$OPERATOR_SLUG"
LOT_ID=$(demo_lot_id)
mkdir -p "$TUI_TMP/config/parkade"
cat > "$TUI_TMP/config/parkade/parkade-tui.conf" <<CONF
[receipts]
print-command=sh -c 'cat > "$TUI_TMP/printed.txt"'
CONF
start_tui --backend "$PARKD_URL" --lot "$LOT_ID" --user "$ATTENDANT_EMAIL"

# A wrong password is refused, and the field is ready for the right one.
wait_for "Password"
type_text "not-the-password"
keys Enter
wait_for "Wrong e-mail or password"
ok "a wrong password is refused"

# The password is typed blind.
type_text "$ATTENDANT_PASSWORD"
on_screen "$ATTENDANT_PASSWORD" && fail "the password is shown"
keys Enter
wait_for "Overview"
wait_for "Free [0-9]* of [0-9]*"
wait_for "● LIVE"
ok "signed in; the overview is live"

# A shift with a float of 150.
keys F6
wait_for "No shift is open"
keys n
wait_for "Float:"
type_text "150"
keys Enter
wait_for "SHIFT OPEN"
wait_for "Expected in drawer *EUR 150.00"
ok "shift opened with a float"

# A walk-in.
keys i
wait_for "Plate:"
type_text "dd-tu 808"
keys Enter
wait_for "TICKET  [A-Z0-9]*"
TICKET=$(screen_line "TICKET  " | sed 's/.*TICKET  \([A-Z0-9]*\).*/\1/')
[ -n "$TICKET" ] || fail "no ticket code shown"
wait_for "Checked in DD-TU 808: ticket $TICKET"
ok "checked in DD-TU 808 with ticket $TICKET"

# Found again by part of its plate.
keys F4
wait_for "Search for:"
type_text "tu80"
keys Enter
wait_for "stay *$TICKET *DD-TU 808 *active"
wait_for "1 match"
ok "search finds the stay by its plate"

# Out by plate with the ticket lost: the lot's lost-ticket fee, in cash.
T=$(login "$ATTENDANT_EMAIL" "$ATTENDANT_PASSWORD")
FEE=$(api GET "api/v1/sessions/$TICKET/fee?lost_ticket=true" "" "$T" | json_get '["fee"]')
[ "$FEE" -gt 0 ] || fail "the lost-ticket fee is $FEE"
TENDERED=$(( (FEE / 10000 + 1) * 10000 ))
keys F3
wait_for "Ticket or plate:"
type_text "DD-TU 808"
keys Enter
wait_for "Ticket $TICKET · DD-TU 808"
wait_for "DUE *EUR"
keys l
wait_for "LOST TICKET"
wait_for "DUE *$(money "$FEE")"
ok "the lost-ticket fee shows before paying"

# No card payments on this server: the dialog says to take cash, and stays open.
keys k
wait_for "Payment method:"
type_text "pm_card_visa"
keys Enter
wait_for "card payments are not set up here"
wait_for "Take cash"
keys Escape
wait_gone "Payment method:"
ok "a card with card payments off: told to take cash"

keys c
wait_for "Cash tendered:"
type_text "$((TENDERED / 100))"
wait_for "Change: $(money $((TENDERED - FEE)))"
keys Enter
wait_for "CHANGE TO GIVE *$(money $((TENDERED - FEE)))"
wait_for "Give $(money $((TENDERED - FEE))) change"
# At 80 columns the printer's receipt does not fit beside the payment: it is offered whole,
# never cut off at the edge.
wait_for "The receipt is ready: e shows it"
keys e
wait_for "Receipt (1–"
wait_for "Lost ticket *$(money "$FEE")"
wait_for "Tendered *$(money "$TENDERED")"
keys Escape
wait_for "CHANGE TO GIVE"
ok "paid $(money "$FEE") in cash; change and the whole receipt shown"

keys p
wait_for "Receipt sent to the printer"
poll grep -q "$TICKET" "$TUI_TMP/printed.txt" || fail "the printer command got no receipt"
grep -q "Lost ticket" "$TUI_TMP/printed.txt" || fail "the printed receipt has no fee line"
ok "the receipt went to the printer command"

keys x
wait_for "Open the barrier for DD-TU 808"
keys Enter
wait_for "DD-TU 808 has left"
STATUS=$(api GET "api/v1/sessions/$TICKET" "" "$T" | json_get '["status"]')
[ "$STATUS" = completed ] || fail "the stay is $STATUS, not completed"
ok "let out: the stay is completed"

# The cash is in the shift.
keys F6
wait_for "payment *$TICKET *$(money "$FEE") *$(money "$TENDERED")"
wait_for "Expected in drawer *$(money $((15000 + FEE)))"
keys c
wait_for "Cash counted:"
type_text "$(( (15000 + FEE) / 100 )).$(printf '%02d' $(( (15000 + FEE) % 100 )))"
wait_for "Difference: EUR 0.00"
keys Enter
wait_for "Shift closed; the drawer is right"
ok "shift closed against the expected cash"

# Esc never leaves the console; quitting asks first.
keys q
wait_for "Leave the console?"
keys Escape
wait_gone "Leave the console?"
keys q
wait_for "Leave the console?"
keys y
poll eval '! tmux -L "$TUI_SOCKET" has-session -t tui 2>/dev/null' || fail "the console did not quit"
ok "quit asks first, and quits"
grep -q "signed in as" "$TUI_TMP/state/parkade/parkade-tui.log" || fail "nothing logged"
grep -q "$ATTENDANT_PASSWORD" "$TUI_TMP/state/parkade/parkade-tui.log" && fail "password logged"
ok "the log is in the state directory, without the password"
done_testing
