#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The booth's lot without its id: started with no --lot, the console asks for the lot at
# sign-in and takes a part of its name among the attendant's operator's lots, saying which
# lots match when the part is not enough; the booth's settings file names it the same way,
# and gives the server.
. "$(dirname "$0")/lib.sh"

start_parkd
add_user "$ATTENDANT_EMAIL" "$ATTENDANT_PASSWORD" attendant "$OPERATOR_SLUG"

start_tui --backend "$PARKD_URL" --user "$ATTENDANT_EMAIL"
wait_for "Lot:"
type_text "$ATTENDANT_PASSWORD"
keys Enter
wait_for "Which lot is this booth at? Type a part"
ok "without --lot, the sign-in asks which lot"
# The list of lots is longer than the form's two lines: the second ends with "…", not in
# the middle of a name.
on_screen "…  │" || fail "the cut list of lots does not end with an ellipsis"
ok "the lots that do not fit are cut off with an ellipsis"

# The lot field has the focus now.
type_text "altmarkt"
keys Enter
wait_for "2 lots match: "
on_screen "Tiefgarage Altmarkt" || fail "the lots that match are not named"
ok "a part that names two lots: both named, type more"

keys C-u
type_text "nowhere"
keys Enter
wait_for "None of your lots is called"
keys C-u
type_text "tiefgarage altmarkt"
keys Enter
wait_for "Overview · Tiefgarage Altmarkt"
wait_for "● LIVE"
ok "the whole name, in any case, is that lot"
stop_tui

# The booth's settings: the server and the lot by a part of its name.
cat >"$TUI_TMP/config/parkade/parkade-tui.conf" <<CONF
[console]
backend=$PARKD_URL
lot=Taschenberg
user=$ATTENDANT_EMAIL
CONF
start_tui
wait_for "Password"
type_text "$ATTENDANT_PASSWORD"
keys Enter
wait_for "Overview · Tiefgarage Taschenbergpalais"
ok "the settings file gives the server, the lot and the attendant"
done_testing
