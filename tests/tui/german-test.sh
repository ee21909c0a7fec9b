#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The console in German (issue 9): with LANG=C.UTF-8 and LANGUAGE=de it speaks the German
# catalogue's words, from the sign-in to the overview and the function-key bar, and none of
# the English ones. The words to look for are read from the built catalogue itself.
. "$(dirname "$0")/lib.sh"
: "${PARKADE_LOCALEDIR:?PARKADE_LOCALEDIR must name the po directory of the build}"
command -v gettext >/dev/null 2>&1 || { echo "Bail out! gettext is not installed"; exit 1; }

# The German for an English message of the console, as the built catalogue has it.
de ()
{
  LANGUAGE=de LC_ALL=C.UTF-8 TEXTDOMAINDIR="$PARKADE_LOCALEDIR" gettext -d parkade "$1"
}

start_parkd
add_user "$ATTENDANT_EMAIL" "$ATTENDANT_PASSWORD" attendant "$OPERATOR_SLUG"
LOT_ID=$(demo_lot_id)

for english in "Parkade attendant console" "Overview" "Check in" "Quit"; do
  [ "$(de "$english")" != "$english" ] || fail "the German catalogue has no \"$english\""
done
ok "the built German catalogue translates the console's words"

TUI_LANGUAGE=de start_tui --backend "$PARKD_URL" --lot "$LOT_ID" --user "$ATTENDANT_EMAIL"
wait_for "$(de "Parkade attendant console")"
on_screen "Parkade attendant console" && fail "English on the German sign-in screen"
ok "the sign-in screen is in German"

type_text "$ATTENDANT_PASSWORD"
keys Enter
wait_for "$(de "Overview")"
wait_for "$(de "Check in")"
on_screen "F2Check in" && fail "English in the German function-key bar"
ok "the overview and its function keys are in German"
done_testing
