#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The console at 80x24, grown to 120x40 and back: it redraws to the new size each time
# (the function bar on the last line, nothing past the right edge), and a dialog open
# across the resize stays usable. Without colours (NO_COLOR) it draws no colour at all.
. "$(dirname "$0")/lib.sh"

setup_signed_in
wait_for "Basement 1 "

check_size ()
{
  screen | python3 -c '
import sys, unicodedata
w, h = int(sys.argv[1]), int(sys.argv[2])
lines = sys.stdin.read().split("\n")[:-1]
width = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
ok = (len(lines) == h and "F10Quit" in lines[-1]
      and all(width(l) <= w for l in lines)
      # The clock ends the title line one column before the right edge.
      and width(lines[0]) == w - 1 and lines[0][-3] == ":")
sys.exit(0 if ok else 1)' "$1" "$2"
}

poll check_size 80 24 || fail "not drawn for 80x24"
ok "drawn for 80x24"

resize 120 40
poll check_size 120 40 || fail "not redrawn for 120x40"
# Wide enough for arrivals and overstays side by side.
wait_for "Arrivals, next hour (0) *Overstays (0)"
ok "redrawn for 120x40, lists side by side"

keys i
wait_for "Plate:"
resize 80 24
poll check_size 80 24 || fail "not redrawn back at 80x24"
wait_for "Plate:"
wait_gone "Overstays (0)"
type_text "rs 1"
keys Enter
wait_for "Checked in RS 1"
ok "back at 80x24; the dialog open across the resize still works"

# Monochrome: the same screen without a single colour.
stop_tui
start_tui --backend "$PARKD_URL" --lot "$LOT_ID" --user "$ATTENDANT_EMAIL"
wait_for "Password"
tmux -L "$TUI_SOCKET" capture-pane -p -e -t tui | grep -q $'\e\\[[0-9;]*4[0-7]m' ||
  fail "with colours the title has no background colour"
stop_tui
mkdir -p "$TUI_TMP/nocolor"
tmux -L "$TUI_SOCKET" -f /dev/null new-session -d -s tui -x 80 -y 24 \
  env LC_ALL=C.UTF-8 NO_COLOR=1 XDG_CONFIG_HOME="$TUI_TMP/config" XDG_STATE_HOME="$TUI_TMP/state" \
      XDG_CACHE_HOME="$TUI_TMP/cache" XDG_DATA_HOME="$TUI_TMP/data" \
      "$PARKADE_TUI" --backend "$PARKD_URL" --lot "$LOT_ID" --user "$ATTENDANT_EMAIL"
sign_in
wait_for "● LIVE"
if tmux -L "$TUI_SOCKET" capture-pane -p -e -t tui | grep -q $'\e\\[[0-9;]*[34][0-7]m'; then
  fail "NO_COLOR is set, yet colours are drawn"
fi
tmux -L "$TUI_SOCKET" capture-pane -p -e -t tui | grep -q $'\e\\[[0-9;]*7m' ||
  fail "without colours the title is not in reverse video"
ok "NO_COLOR: monochrome, with reverse video"
done_testing
