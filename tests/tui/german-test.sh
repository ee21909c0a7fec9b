#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The console in German (issue 9): with LANG=C.UTF-8 and LANGUAGE=de it speaks the German
# catalogue's words, from the sign-in to the overview and the function-key bar, and none of
# the English ones. The words to look for are read from the built catalogue itself. Then in a
# German locale (de_DE.UTF-8, compiled by the test from Debian's locales package), amounts
# are written as Germans write them: EUR 150,00.
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
stop_tui

mkdir -p "$TUI_TMP/locale"
localedef -i de_DE -f UTF-8 "$TUI_TMP/locale/de_DE.UTF-8" >/dev/null 2>&1
[ -d "$TUI_TMP/locale/de_DE.UTF-8" ] ||
  fail "localedef could not compile de_DE.UTF-8 (is Debian's locales package installed?)"
TUI_LANGUAGE=de TUI_LOCALE=de_DE.UTF-8 TUI_LOCPATH="$TUI_TMP/locale" \
  start_tui --backend "$PARKD_URL" --lot "$LOT_ID" --user "$ATTENDANT_EMAIL"
wait_for "$(de "Parkade attendant console")"
type_text "$ATTENDANT_PASSWORD"
keys Enter
wait_for "$(de "Overview")"
# A shift with a float of 150,50, typed with a German decimal comma.
keys F6
wait_for "$(de "No shift is open. Press n to open one with the float in the drawer." | cut -c1-20)"
keys n
wait_for "$(de "Float"):"
type_text "150,50"
keys Enter
wait_for "EUR 150,50"
on_screen "150\.50" && fail "an amount with a decimal point in a German locale"
ok "in a German locale the float shows as EUR 150,50"
done_testing
