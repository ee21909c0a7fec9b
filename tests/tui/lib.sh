# SPDX-License-Identifier: GPL-3.0-or-later
# tests/tui/lib.sh: the real parkd and the real parkade-tui in tmux, for the shell tests of
# the attendant's console (STYLE.md section 10). Source it; it sets a trap that stops both.
#
# Environment (meson sets them): PARKD, PARKADE_TUI, FAKE_STRIPE (the fake Stripe of
# tests/support as a program, for start_fake_stripe). build-aux/dev installs tmux and curl;
# without them the tests fail rather than pass unseen.

set -eu

command -v tmux >/dev/null 2>&1 || { echo "Bail out! tmux is not installed"; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "Bail out! curl is not installed"; exit 1; }
: "${PARKD:?PARKD must name the parkd binary}"
: "${PARKADE_TUI:?PARKADE_TUI must name the parkade-tui binary}"

# How long to wait for something on screen or from parkd; slow machines and sanitizer builds
# scale it.
TUI_TIMEOUT=$(( 20 * ${PARK_TEST_TIMEOUT_MULTIPLIER:-1} ))
TUI_TMP=$(mktemp -d "${TMPDIR:-/tmp}/parkade-tui-test.XXXXXX")
TUI_SOCKET="parkade-tui-test-$$"
PARKD_PID=
PARKD_URL=
PARKD_PORT=0
PARKD_ARGS=
STRIPE_PID=
STRIPE_URL=
STRIPE_KEY=
TEST_NO=0
ATTENDANT_EMAIL=anna.attendant@example.org
ATTENDANT_PASSWORD='booth-Pass-4711'
OPERATOR_SLUG=dresden-parking

tui_cleanup ()
{
  tmux -L "$TUI_SOCKET" kill-server >/dev/null 2>&1 || true
  # tmux leaves its named socket behind in its own directory.
  rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TUI_SOCKET"
  stop_parkd
  if [ -n "$STRIPE_PID" ]; then
    kill -TERM "$STRIPE_PID" 2>/dev/null || true
    wait "$STRIPE_PID" 2>/dev/null || true
  fi
  if [ -n "${KEEP_TUI_TMP:-}" ]; then
    echo "# kept $TUI_TMP" >&2
  else
    rm -rf "$TUI_TMP"
  fi
}
trap tui_cleanup EXIT

fail ()
{
  echo "not ok $((TEST_NO + 1)) - $*"
  echo "# screen:"; tmux -L "$TUI_SOCKET" capture-pane -p -t tui 2>/dev/null | sed 's/^/#   /' || true
  if [ -f "$TUI_TMP/state/parkade/parkade-tui.log" ]; then
    echo "# console log (tail):"; tail -n 20 "$TUI_TMP/state/parkade/parkade-tui.log" | sed 's/^/#   /'
  fi
  exit 1
}

ok ()
{
  TEST_NO=$((TEST_NO + 1))
  echo "ok $TEST_NO - $*"
}

# Runs "$@" until it succeeds, every 50 ms, for up to TUI_TIMEOUT seconds.
poll ()
{
  local i=0 limit=$((TUI_TIMEOUT * 20))
  while ! "$@"; do
    i=$((i + 1))
    [ "$i" -lt "$limit" ] || return 1
    sleep 0.05
  done
}

# The fake Stripe (Stripe's wire format, its test cards: pm_card_visa pays,
# pm_card_chargeDeclined is declined) on 127.0.0.1; parkd started after it takes cards
# through it, as the C tests' parkd does.
start_fake_stripe ()
{
  : "${FAKE_STRIPE:?FAKE_STRIPE must name the fake-stripe program}"
  "$FAKE_STRIPE" >"$TUI_TMP/stripe.out" 2>>"$TUI_TMP/stripe.log" &
  STRIPE_PID=$!
  poll grep -q '^listening on ' "$TUI_TMP/stripe.out" ||
    { cat "$TUI_TMP/stripe.log" >&2; fail "the fake Stripe did not start"; }
  STRIPE_URL=$(sed -n 's/^listening on //p' "$TUI_TMP/stripe.out")
  STRIPE_KEY=$(sed -n 's/^secret-key //p' "$TUI_TMP/stripe.out")
  PARKD_ARGS="--stripe-api $STRIPE_URL --stripe-secret-key $STRIPE_KEY \
    --stripe-webhook-secret $(sed -n 's/^webhook-secret //p' "$TUI_TMP/stripe.out")"
}

# stripe_api PATH: the body of the fake Stripe's answer to a GET, with the secret key.
stripe_api ()
{
  curl -sS --fail-with-body -H "Authorization: Bearer $STRIPE_KEY" "$STRIPE_URL$1"
}

# parkd on 127.0.0.1 (port 0 the first time, the same port again after stop_parkd), with
# the demo city, in TUI_TMP; with card payments through the fake Stripe once
# start_fake_stripe ran.
start_parkd ()
{
  : > "$TUI_TMP/parkd.out"
  # shellcheck disable=SC2086 # PARKD_ARGS is a list of words without blanks
  "$PARKD" --listen "127.0.0.1:$PARKD_PORT" --database "$TUI_TMP/park.db" --demo \
           --threads 2 --rate-limit 0 $PARKD_ARGS >"$TUI_TMP/parkd.out" 2>>"$TUI_TMP/parkd.log" &
  PARKD_PID=$!
  poll grep -q '^listening on ' "$TUI_TMP/parkd.out" ||
    { cat "$TUI_TMP/parkd.log" >&2; fail "parkd did not start"; }
  PARKD_URL=$(sed -n 's/^listening on //p' "$TUI_TMP/parkd.out" | head -n 1)
  PARKD_PORT=$(echo "$PARKD_URL" | sed 's|.*:\([0-9]*\)/$|\1|')
}

stop_parkd ()
{
  if [ -n "$PARKD_PID" ]; then
    kill -TERM "$PARKD_PID" 2>/dev/null || true
    wait "$PARKD_PID" 2>/dev/null || true
    PARKD_PID=
  fi
}

# An account made with parkd's own CLI: add_user EMAIL PASSWORD ROLE [OPERATOR].
add_user ()
{
  printf '%s\n' "$2" | "$PARKD" user add --database "$TUI_TMP/park.db" --email "$1" \
    --role "$3" ${4:+--operator "$4"} >/dev/null 2>>"$TUI_TMP/parkd.log" ||
    fail "cannot add user $1"
}

# api METHOD PATH [JSON] [TOKEN]: the body of parkd's answer; fails on an HTTP error.
api ()
{
  curl -sS --fail-with-body -X "$1" ${4:+-H "Authorization: Bearer $4"} \
       ${3:+-H 'Content-Type: application/json' --data "$3"} "${PARKD_URL}${2#/}"
}

# A JSON member of stdin: json_get NAME (top level, string or number).
json_get ()
{
  python3 -c 'import json,sys; v=json.load(sys.stdin); print(eval("v"+sys.argv[1]))' "$1"
}

login ()
{
  api POST api/v1/auth/login "{\"email\":\"$1\",\"password\":\"$2\"}" | json_get '["access_token"]'
}

# The first lot of the demo city (Tiefgarage Altmarkt).
demo_lot_id ()
{
  api GET "api/v1/parking-lots?lat=51.0497&lng=13.7388&radius=200" | json_get '["items"][0]["id"]'
}

# The console in a private tmux server at 80x24, in its own config, state and cache dirs;
# in the language TUI_LANGUAGE names (LANGUAGE), when set, and in the locale TUI_LOCALE
# names (LC_ALL, C.UTF-8 by default; TUI_LOCPATH for one compiled by the test).
start_tui ()
{
  mkdir -p "$TUI_TMP/config/parkade" "$TUI_TMP/state" "$TUI_TMP/cache" "$TUI_TMP/data"
  tmux -L "$TUI_SOCKET" -f /dev/null new-session -d -s tui -x 80 -y 24 \
    env LC_ALL="${TUI_LOCALE:-C.UTF-8}" ${TUI_LOCPATH:+LOCPATH="$TUI_LOCPATH"} \
        ${TUI_LANGUAGE:+LANGUAGE="$TUI_LANGUAGE"} \
        ${PARKADE_LOCALEDIR:+PARKADE_LOCALEDIR="$PARKADE_LOCALEDIR"} \
        XDG_CONFIG_HOME="$TUI_TMP/config" \
        XDG_STATE_HOME="$TUI_TMP/state" XDG_CACHE_HOME="$TUI_TMP/cache" \
        XDG_DATA_HOME="$TUI_TMP/data" \
        "$PARKADE_TUI" "$@"
}

# Ends the console (and its private tmux server).
stop_tui ()
{
  tmux -L "$TUI_SOCKET" kill-server >/dev/null 2>&1 || true
  poll eval '! tmux -L "$TUI_SOCKET" has-session -t tui 2>/dev/null' || fail "tmux did not stop"
}

screen ()
{
  tmux -L "$TUI_SOCKET" capture-pane -p -t tui
}

on_screen ()
{
  screen | grep -q -- "$1"
}

# wait_for TEXT: polls the screen until TEXT (a grep pattern) shows, or fails the test.
wait_for ()
{
  poll on_screen "$1" || fail "\"$1\" never showed"
}

wait_gone ()
{
  poll eval '! on_screen "$1"' || fail "\"$1\" never went away"
}

keys ()
{
  tmux -L "$TUI_SOCKET" send-keys -t tui "$@"
}

# Types TEXT literally.
type_text ()
{
  tmux -L "$TUI_SOCKET" send-keys -t tui -l "$1"
}

resize ()
{
  tmux -L "$TUI_SOCKET" resize-window -t tui -x "$1" -y "$2"
}

# Signs in as the test attendant on the demo lot: the console shows the overview.
sign_in ()
{
  wait_for "Password"
  type_text "$ATTENDANT_PASSWORD"
  keys Enter
  wait_for "Overview"
}

# The usual start: parkd, an attendant, the console signed in on the demo lot.
setup_signed_in ()
{
  start_parkd
  add_user "$ATTENDANT_EMAIL" "$ATTENDANT_PASSWORD" attendant "$OPERATOR_SLUG"
  LOT_ID=$(demo_lot_id)
  start_tui --backend "$PARKD_URL" --lot "$LOT_ID" --user "$ATTENDANT_EMAIL"
  sign_in
}

# Ends a test script's TAP output with its plan.
done_testing ()
{
  echo "1..$TEST_NO"
}

# The text of a line of the screen that matches PATTERN (the first).
screen_line ()
{
  screen | grep -m 1 -- "$1" || true
}

# A JSON value from parkd: api_json METHOD PATH JSON TOKEN EXPR.
api_json ()
{
  api "$1" "$2" "$3" "$4" | json_get "$5"
}

# EUR amounts as the console shows them: money 2800 → "EUR 28.00".
money ()
{
  printf 'EUR %d.%02d' $(($1 / 100)) $(($1 % 100))
}
