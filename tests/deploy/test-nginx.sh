#!/usr/bin/env bash
# parkd behind nginx with the sample site data/server/parkade-nginx.conf, for real: TLS in
# front, the REST API and the live WebSocket through it, nginx's limits, plain HTTP sent to
# HTTPS, and parkd seeing each client's own address (--trusted-proxies).
#
# Needs: PARKD (the built parkd), NGINX_SITE (the sample site), PARK_NGINX_LOCAL (the site
# made runnable on loopback: tests/support/park-nginx-local.sh); nginx, openssl, curl and
# python3 (build-aux/dev installs them). Prints TAP.
set -euo pipefail

: "${PARKD:?PARKD must name the built parkd}" "${NGINX_SITE:?NGINX_SITE must name the site file}"
: "${PARK_NGINX_LOCAL:?PARK_NGINX_LOCAL must name tests/support/park-nginx-local.sh}"
NGINX=${NGINX:-/usr/sbin/nginx}
SCALE=${PARK_TEST_TIMEOUT_MULTIPLIER:-1}
for tool in "$NGINX" openssl curl python3; do
    command -v "$tool" >/dev/null || { echo "Bail out! $tool is missing (build-aux/dev installs it)"; exit 1; }
done

tmp=$(mktemp -d)
parkd_pid='' nginx_pid=''
cleanup() {
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
    [ -n "$parkd_pid" ] && kill "$parkd_pid" 2>/dev/null && wait "$parkd_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() {
    n=$((n + 1)); echo "not ok $n - $1"
    for log in parkd.log nginx-error.log; do
        [ -f "$tmp/$log" ] && sed "s/^/# $log: /" "$tmp/$log" | tail -20
    done
    exit 1
}
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# Waits until "$@" succeeds, for at most $1 seconds (scaled for sanitizer builds).
await() {
    local limit=$(( $1 * SCALE )) start=$SECONDS
    shift
    until "$@"; do
        (( SECONDS - start < limit )) || return 1
        sleep 0.05
    done
}

# --- parkd, with the demo city and an admin to read the audit log ---------------------------
echo "admin-password-for-the-test" | "$PARKD" user add --database "$tmp/parkd.db" \
    --email admin@example.org --role admin >/dev/null 2>"$tmp/parkd.log"
"$PARKD" --listen 127.0.0.1:0 --database "$tmp/parkd.db" --demo --threads 2 \
    --trusted-proxies 127.0.0.1 >"$tmp/parkd.out" 2>>"$tmp/parkd.log" &
parkd_pid=$!
await 60 grep -q '^listening on ' "$tmp/parkd.out" || fail "parkd did not start"
port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)/$|\1|p' "$tmp/parkd.out")
[ -n "$port" ] || fail "parkd's ready line names no port"

# --- the site pointed at this parkd, by the generator the replica tests share ---------------
bash "$PARK_NGINX_LOCAL" "$NGINX_SITE" "$tmp" "127.0.0.1:$port" >"$tmp/ports" 2>"$tmp/nginx-t.log" ||
    { cat "$tmp/nginx-t.log" >&2; fail "nginx -t accepts the site"; }
https_port=$(sed -n 's/^https_port=//p' "$tmp/ports")
http_port=$(sed -n 's/^http_port=//p' "$tmp/ports")
ok "nginx -t accepts the site"
"$NGINX" -p "$tmp" -e "$tmp/nginx-error.log" -c "$tmp/nginx.conf" 2>>"$tmp/nginx-error.log" &
nginx_pid=$!
base="https://127.0.0.1:$https_port"
curl_tls() { curl -sS --cacert "$tmp/cert.pem" "$@"; }
await 30 curl_tls -o /dev/null "$base/health" 2>/dev/null || fail "nginx did not answer over TLS"

# --- the API through TLS -----------------------------------------------------------------------
code=$(curl_tls -o "$tmp/info.json" -w '%{http_code}' "$base/api/v1/info")
[ "$code" = 200 ] && python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["counts"]["lots"] > 0, d' "$tmp/info.json" ||
    fail "GET /api/v1/info over TLS (got $code)"
ok "the API answers over TLS, verified against the site's certificate"

redirect=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$http_port/api/v1/info")
[ "$redirect" = "301 https://127.0.0.1/api/v1/info" ] || fail "plain HTTP goes to HTTPS (got $redirect)"
ok "plain HTTP is sent to HTTPS"

code=$(head -c 2000000 /dev/zero | tr '\0' ' ' | curl_tls -o /dev/null -w '%{http_code}' \
    -H 'Content-Type: application/json' --data-binary @- "$base/api/v1/auth/login")
[ "$code" = 413 ] || fail "a 2 MB body is refused by nginx (got $code)"
ok "a body over the limit is refused (413)"

code=$(curl_tls -o /dev/null -w '%{http_code}' "$base/wp-login.php")
[ "$code" = 404 ] || fail "paths outside the API are not passed on (got $code)"
ok "paths outside the API are not passed on"

# --- parkd sees the client, not nginx ----------------------------------------------------------
# A client on 127.0.0.2 (loopback is all of 127/8) signs in through nginx, claiming to be
# someone else in its own X-Forwarded-For; the audit log must name 127.0.0.2.
curl_tls --interface 127.0.0.2 -o "$tmp/login.json" -H 'Content-Type: application/json' \
    -H 'X-Forwarded-For: 198.51.100.66' \
    --data '{"email":"admin@example.org","password":"admin-password-for-the-test"}' \
    "$base/api/v1/auth/login"
token=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["access_token"])' "$tmp/login.json") ||
    fail "signing in through nginx"
curl_tls -o "$tmp/audit.json" -H "Authorization: Bearer $token" "$base/api/v1/admin/audit-log?per_page=20"
client=$(python3 -c '
import json, sys
items = json.load(open(sys.argv[1]))["items"]
print(next(i["client"] for i in items if i["action"] == "auth.login"))' "$tmp/audit.json") ||
    fail "the audit log has the sign-in"
[ "$client" = 127.0.0.2 ] || fail "parkd logs the client's own address (got $client)"
ok "parkd sees the client's own address, not nginx's nor a claimed one"

# --- the live feed through nginx ---------------------------------------------------------------
curl_tls -o "$tmp/lots.json" "$base/api/v1/parking-lots?lat=51.0504&lng=13.7373&radius=3000&per_page=1"
lot=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["items"][0]["id"])' "$tmp/lots.json")
python3 - "$https_port" "$tmp/cert.pem" "$lot" <<'PY' || fail "the live feed through nginx"
import base64, json, os, socket, ssl, struct, sys

port, cafile, lot = int(sys.argv[1]), sys.argv[2], sys.argv[3]
context = ssl.create_default_context(cafile=cafile)
sock = context.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=20),
                           server_hostname="127.0.0.1")
key = base64.b64encode(os.urandom(16)).decode()
sock.sendall(("GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
              "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n"
              % key).encode())
head = b""
while b"\r\n\r\n" not in head:
    chunk = sock.recv(4096)
    if not chunk:
        sys.exit("closed during the handshake: %r" % head)
    head += chunk
status = head.split(b"\r\n")[0]
if not status.startswith(b"HTTP/1.1 101"):
    sys.exit("no upgrade: %r" % status)
rest = head.split(b"\r\n\r\n", 1)[1]

payload = json.dumps({"type": "subscribe", "lot_ids": [lot]}).encode()
mask = os.urandom(4)
frame = bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
sock.sendall(frame)

def read(n):
    global rest
    while len(rest) < n:
        chunk = sock.recv(65536)
        if not chunk:
            sys.exit("the feed closed")
        rest += chunk
    out, rest = rest[:n], rest[n:]
    return out

while True:
    b0, b1 = read(2)
    length = b1 & 0x7F
    if length == 126:
        length = struct.unpack(">H", read(2))[0]
    elif length == 127:
        length = struct.unpack(">Q", read(8))[0]
    data = read(length)
    if b0 & 0x0F != 1:
        continue
    message = json.loads(data)
    if message.get("type") == "snapshot":
        lots = message.get("lots", [])
        if not any(l.get("lot_id") == lot for l in lots):
            sys.exit("a snapshot without the lot: %r" % message)
        break
PY
ok "the live feed's WebSocket passes through nginx: subscribed, snapshot received"

echo "1..$n"
