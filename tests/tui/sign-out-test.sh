#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The attendant's sign-in ends while the console runs: the password was changed at another
# terminal, which revokes every sign-in made with the old one. The next request finds the
# refresh token refused; the console says the attendant was signed out and asks to sign in
# again, the old password is refused, and after signing in with the new one the plate
# typed before is still there and checks the car in.
. "$(dirname "$0")/lib.sh"

NEW_PASSWORD='booth-Pass-0815'

setup_signed_in
wait_for "● LIVE"
ok "signed in"

keys i
wait_for "Plate:"
type_text "dd-so 1"
T=$(login "$ATTENDANT_EMAIL" "$ATTENDANT_PASSWORD")
api PATCH api/v1/users/me \
  "{\"password\":\"$NEW_PASSWORD\",\"current_password\":\"$ATTENDANT_PASSWORD\"}" "$T" >/dev/null
# The console's refresh token is revoked now, and its access token with it.
api GET api/v1/users/me "" "$T" >/dev/null 2>&1 && fail "the old access token still works"
ok "the password changed elsewhere"

keys Enter
wait_for "You were signed out"
wait_for "sign in again"
wait_for "Password:"
on_screen "Checked in" && fail "checked in without a sign-in"
ok "the console says the attendant was signed out and asks to sign in again"

# Keys that need a sign-in are refused meanwhile.
keys Escape
wait_gone "Password:"
keys F3
wait_for "Sign in first"
keys Enter
wait_for "Password:"

type_text "$ATTENDANT_PASSWORD"
keys Enter
wait_for "Wrong e-mail or password"
ok "the old password is refused"

type_text "$NEW_PASSWORD"
keys Enter
wait_for "Signed in again"
wait_for "Plate: *DD-SO 1"
wait_for "what you typed is kept"
ok "signed in again: the plate typed before is kept"

keys Enter
wait_for "Checked in DD-SO 1: ticket"
T=$(login "$ATTENDANT_EMAIL" "$NEW_PASSWORD")
api GET "api/v1/sessions?parking_lot_id=$LOT_ID&plate=DDSO1" "" "$T" | grep -q '"status":"active"' ||
  fail "parkd has no stay for DD-SO 1"
wait_for "● LIVE"
ok "the car is checked in with the new sign-in; the feed is live"
done_testing
