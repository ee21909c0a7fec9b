#!/usr/bin/env bash
# What a server install puts in place, checked with the tools that will read it: the systemd
# unit (systemd-analyze verify and its security score), the example configuration (parkd
# starts with it), and the man page (renders cleanly, documents every option parkd has).
#
# Needs: PARKD, PARKD_UNIT (the configured unit), PARKD_MAN (the configured man page) and
# PARKD_CONF (the example configuration); systemd-analyze and man (build-aux/dev installs
# them). Prints TAP.
set -euo pipefail

: "${PARKD:?}" "${PARKD_UNIT:?}" "${PARKD_REPLICA_UNIT:?}" "${PARKD_MAN:?}" "${PARKD_CONF:?}"
SCALE=${PARK_TEST_TIMEOUT_MULTIPLIER:-1}
for tool in systemd-analyze man; do
    command -v "$tool" >/dev/null || { echo "Bail out! $tool is missing (build-aux/dev installs it)"; exit 1; }
done

tmp=$(mktemp -d)
parkd_pid=''
cleanup() {
    [ -n "$parkd_pid" ] && kill "$parkd_pid" 2>/dev/null && wait "$parkd_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; exit 1; }

# --- the unit --------------------------------------------------------------------------------
# As installed, but starting the parkd just built, with its man page where man finds it.
mkdir -p "$tmp/man/man1"
cp "$PARKD_MAN" "$tmp/man/man1/parkd.1"
exec_start=$(sed -n 's/^ExecStart=\([^ ]*\) .*/\1/p' "$PARKD_UNIT")
[ "$(basename "$exec_start")" = parkd ] || fail "the unit starts parkd (ExecStart=$exec_start)"
sed "s|^ExecStart=[^ ]*|ExecStart=$PARKD|" "$PARKD_UNIT" >"$tmp/parkd.service"
MANPATH="$tmp/man" systemd-analyze verify "$tmp/parkd.service" >"$tmp/verify.log" 2>&1 ||
    { sed 's/^/# /' "$tmp/verify.log"; fail "systemd-analyze verify accepts the unit"; }
ok "systemd-analyze verify accepts the unit (and finds man:parkd(1))"

for setting in DynamicUser=yes StateDirectory=parkd ProtectSystem=strict NoNewPrivileges=yes \
               ProtectHome=yes PrivateTmp=yes CapabilityBoundingSet=; do
    grep -qx "$setting" "$PARKD_UNIT" || fail "the unit sets $setting"
done
ok "the unit runs parkd as a user of its own, with its state directory, hardened"

score=$(systemd-analyze security --offline=yes "$tmp/parkd.service" 2>/dev/null |
        sed -n 's/.*Overall exposure level for parkd.service: \([0-9.]*\).*/\1/p')
[ -n "$score" ] || fail "systemd-analyze security rates the unit"
python3 -c "import sys; sys.exit(0 if float('$score') <= 2.0 else 1)" ||
    fail "the unit's exposure is low (systemd-analyze security: $score, want <= 2.0)"
ok "systemd-analyze security rates the unit's exposure $score (OK)"

# --- the replicas' template unit ---------------------------------------------------------------
# An instance per port: verified as parkd@8081.service would be.
grep -q -- '--listen 127.0.0.1:%i' "$PARKD_REPLICA_UNIT" || fail "each replica listens on its instance's port"
sed "s|^ExecStart=[^ ]*|ExecStart=$PARKD|" "$PARKD_REPLICA_UNIT" >"$tmp/parkd@8081.service"
MANPATH="$tmp/man" systemd-analyze verify "$tmp/parkd@8081.service" >"$tmp/verify-replica.log" 2>&1 ||
    { sed 's/^/# /' "$tmp/verify-replica.log"; fail "systemd-analyze verify accepts parkd@8081.service"; }
ok "systemd-analyze verify accepts a replica, parkd@8081.service"
for setting in DynamicUser=yes User=parkd StateDirectory=parkd ProtectSystem=strict \
               NoNewPrivileges=yes ProtectHome=yes PrivateTmp=yes CapabilityBoundingSet=; do
    grep -qx "$setting" "$PARKD_REPLICA_UNIT" || fail "the replica unit sets $setting"
done
ok "replicas share one user and state directory, hardened as parkd.service is"
score=$(systemd-analyze security --offline=yes "$tmp/parkd@8081.service" 2>/dev/null |
        sed -n 's/.*Overall exposure level for parkd@8081.service: \([0-9.]*\).*/\1/p')
[ -n "$score" ] || fail "systemd-analyze security rates the replica unit"
python3 -c "import sys; sys.exit(0 if float('$score') <= 2.0 else 1)" ||
    fail "the replica unit's exposure is low (systemd-analyze security: $score, want <= 2.0)"
ok "systemd-analyze security rates a replica's exposure $score (OK)"

# --- the example configuration ---------------------------------------------------------------
"$PARKD" --config "$PARKD_CONF" --listen 127.0.0.1:0 --database "$tmp/parkd.db" \
    >"$tmp/parkd.out" 2>"$tmp/parkd.log" &
parkd_pid=$!
start=$SECONDS
until grep -q '^listening on ' "$tmp/parkd.out"; do
    kill -0 "$parkd_pid" 2>/dev/null || { sed 's/^/# /' "$tmp/parkd.log"; fail "parkd starts with the example configuration"; }
    (( SECONDS - start < 30 * SCALE )) || fail "parkd starts with the example configuration"
    sleep 0.05
done
kill "$parkd_pid"
wait "$parkd_pid" || fail "parkd stops cleanly on SIGTERM"
parkd_pid=''
ok "parkd starts with the example configuration and stops cleanly"

# --- the man page ----------------------------------------------------------------------------
MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$PARKD_MAN" >"$tmp/man.txt" 2>"$tmp/man.err"
[ ! -s "$tmp/man.err" ] || { sed 's/^/# /' "$tmp/man.err"; fail "the man page renders without warnings"; }
grep -q '^NAME' "$tmp/man.txt" || fail "the man page renders"
ok "the man page renders without warnings"

missing=''
for option in $("$PARKD" --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    grep -qF -- "$option" "$tmp/man.txt" || missing="$missing $option"
done
[ -z "$missing" ] || fail "the man page documents every option of parkd --help (missing:$missing)"
ok "the man page documents every option of parkd --help"

echo "1..$n"
