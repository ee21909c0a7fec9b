#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The help screen is made from the action list: compared line by line with help.expected
# (tig's assert_equals), so a key added to tui-actions.h shows up here or the test says so.
# F1 works before signing in too, and Esc goes back to where it was.
. "$(dirname "$0")/lib.sh"

start_parkd
add_user "$ATTENDANT_EMAIL" "$ATTENDANT_PASSWORD" attendant "$OPERATOR_SLUG"
LOT_ID=$(demo_lot_id)
start_tui --backend "$PARKD_URL" --lot "$LOT_ID" --user "$ATTENDANT_EMAIL"
wait_for "Password"
keys F1
wait_for "Keys (↑↓ scroll"
keys Escape
wait_for "Password"
ok "help before signing in, and back to the sign-in"

sign_in
keys "?"
wait_for "Keys (↑↓ scroll"
wait_for "Everywhere"
# Without the title (its clock) and the two bottom lines (status, function bar).
screen | sed -n '2,22p' > "$TUI_TMP/help.actual"
if ! diff -u "$(dirname "$0")/help.expected" "$TUI_TMP/help.actual" | sed 's/^/# /'; then
  :
fi
cmp -s "$(dirname "$0")/help.expected" "$TUI_TMP/help.actual" || fail "the help screen differs"
ok "the help screen is the action list"

keys Down Down Down Down Down Down Down Down Down Down Down Down
wait_for "Out of service"
keys Escape
wait_for "Arrivals, next hour"
ok "scrolls, and Esc goes back to the overview"
done_testing
