#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A car pays by card at the booth, through parkd's Stripe provider and the fake Stripe (the
# real wire format, Stripe's test cards): a declined card says so and charges nothing; a
# good card pays the fee, the receipt says "card" and Stripe holds a charge of exactly the
# fee. The stay, looked up again later, prints its receipt again (p), and the car leaves.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { echo "Bail out! sqlite3 is not installed (build-aux/dev installs it)"; exit 1; }

start_fake_stripe
start_parkd
add_user "$ATTENDANT_EMAIL" "$ATTENDANT_PASSWORD" attendant "$OPERATOR_SLUG"
LOT_ID=$(demo_lot_id)
mkdir -p "$TUI_TMP/config/parkade"
cat > "$TUI_TMP/config/parkade/parkade-tui.conf" <<CONF
[receipts]
print-command=sh -c 'cat > "$TUI_TMP/printed.txt"'
CONF
start_tui --backend "$PARKD_URL" --lot "$LOT_ID" --user "$ATTENDANT_EMAIL"
sign_in
wait_for "● LIVE"
ok "signed in, card payments set up"

keys i
wait_for "Plate:"
type_text "dd-ka 42"
keys Enter
wait_for "TICKET  [A-Z0-9]*"
TICKET=$(screen_line "TICKET  " | sed 's/.*TICKET  \([A-Z0-9]*\).*/\1/')
[ -n "$TICKET" ] || fail "no ticket code shown"
# 2 h 22 min in the lot (moved back in the database, as only time would): mid-way through
# a 15-minute step of the price, so the fee stays the same while the test runs.
sqlite3 "$TUI_TMP/park.db" "UPDATE parking_sessions SET checked_in_at =
  strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-142 minutes') WHERE ticket = '$TICKET'"
T=$(login "$ATTENDANT_EMAIL" "$ATTENDANT_PASSWORD")
FEE=$(api GET "api/v1/sessions/$TICKET/fee" "" "$T" | json_get '["fee"]')
[ "$FEE" -gt 0 ] || fail "2 h 22 min cost $FEE"
ok "checked in DD-KA 42 ($TICKET), $(money "$FEE") due"

keys F3
wait_for "Ticket or plate:"
type_text "$TICKET"
keys Enter
wait_for "Ticket $TICKET · DD-KA 42"
wait_for "DUE *$(money "$FEE")"

# A declined card: said so, the dialog stays for another card, nothing is paid.
keys k
wait_for "Payment method:"
type_text "pm_card_chargeDeclined"
keys Enter
wait_for "the card was declined"
wait_for "Payment method:"
STATUS=$(api GET "api/v1/sessions/$TICKET" "" "$T" | json_get '["status"]')
[ "$STATUS" = active ] || fail "after a declined card the stay is $STATUS"
keys Escape
wait_gone "Payment method:"
ok "a declined card is refused; the stay is not paid"

# Another card pays it.
keys k
wait_for "Payment method:"
type_text "pm_card_visa"
keys Enter
wait_for "Paid $(money "$FEE")"
wait_for "Paid  *$(money "$FEE")"
wait_for "The receipt is ready: e shows it"
keys e
wait_for "Receipt (1–"
wait_for "Ticket *$TICKET"
wait_for "Total paid *$(money "$FEE")"
wait_for "By *card"
on_screen "Tendered" && fail "a card receipt shows cash tendered"
keys Escape
wait_gone "Receipt (1–"
ok "paid $(money "$FEE") by card; the receipt says card"

# What Stripe holds: one charge of exactly the fee, for this stay.
PAYMENTS=$(api GET "api/v1/sessions/$TICKET/payments" "" "$T")
[ "$(echo "$PAYMENTS" | json_get '["total"]')" = 1 ] || fail "payments: $PAYMENTS"
[ "$(echo "$PAYMENTS" | json_get '["items"][0]["provider"]')" = stripe ] ||
  fail "not a card payment: $PAYMENTS"
INTENT=$(echo "$PAYMENTS" | json_get '["items"][0]["provider_ref"]')
STAY_ID=$(api GET "api/v1/sessions/$TICKET" "" "$T" | json_get '["id"]')
PI=$(stripe_api "/v1/payment_intents/$INTENT")
[ "$(echo "$PI" | json_get '["status"]')" = succeeded ] || fail "Stripe: $PI"
[ "$(echo "$PI" | json_get '["amount_received"]')" = "$FEE" ] || fail "Stripe took: $PI"
[ "$(echo "$PI" | json_get '["currency"]')" = eur ] || fail "Stripe's currency: $PI"
[ "$(echo "$PI" | json_get '["metadata"]["session_id"]')" = "$STAY_ID" ] ||
  fail "Stripe's charge names another stay: $PI"
ok "Stripe charged $(money "$FEE") once, for this stay ($INTENT)"

# Later, the driver comes back for a receipt: the stay is looked up again, and p prints it.
keys n
wait_for "Ticket or plate:"
type_text "$TICKET"
keys Enter
wait_for "Paid already"
keys p
wait_for "Receipt sent to the printer"
poll grep -q "Ticket *$TICKET" "$TUI_TMP/printed.txt" || fail "the printer got no receipt"
grep -q "By *card" "$TUI_TMP/printed.txt" || fail "the reprinted receipt has no card line"
grep -q "Total paid *$(money "$FEE")" "$TUI_TMP/printed.txt" ||
  fail "the reprinted receipt has another total"
ok "a stay paid earlier prints its receipt again"

keys x
wait_for "Open the barrier for DD-KA 42"
keys Enter
wait_for "DD-KA 42 has left"
STATUS=$(api GET "api/v1/sessions/$TICKET" "" "$T" | json_get '["status"]')
[ "$STATUS" = completed ] || fail "the stay is $STATUS, not completed"
ok "let out: the stay is closed"
done_testing
