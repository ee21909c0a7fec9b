#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two parkd replicas behind nginx, for real: a private redis-server, two parkd on one
database file (standing in for PostgreSQL here) with --redis, and nginx with the sample site
(data/server/parkade-nginx.conf) whose upstream lists both replicas, least-connections, over
TLS. Requests through nginx reach both replicas; a live-feed client connected through nginx
sees bookings made on either replica; and 64 drivers racing for one spot, spread over both
replicas, leave exactly one winner, round after round.

Needs: PARKD, NGINX_SITE; nginx, openssl, redis-server (build-aux/dev installs them).
Prints TAP.
"""
import base64
import datetime
import json
import os
import re
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

PARKD = os.environ["PARKD"]
SITE = os.environ["NGINX_SITE"]
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
SCALE = int(os.environ.get("PARK_TEST_TIMEOUT_MULTIPLIER", "1"))
LOT_NAME = "Tiefgarage Altmarkt"
ROUNDS = 3
RACERS = 64

n = 0
procs = []
tmp = tempfile.mkdtemp(prefix="parkade-replicas-")


def ok(what):
    global n
    n += 1
    print(f"ok {n} - {what}", flush=True)


def fail(what):
    global n
    n += 1
    print(f"not ok {n} - {what}", flush=True)
    for log in ("a.log", "b.log", "nginx-error.log", "redis.log"):
        path = os.path.join(tmp, log)
        if os.path.exists(path):
            with open(path, errors="replace") as f:
                for line in f.readlines()[-15:]:
                    print(f"# {log}: {line.rstrip()}")
    raise SystemExit(1)


def check(cond, what):
    if not cond:
        fail(what)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for(cond, what, seconds=30):
    deadline = time.monotonic() + seconds * SCALE
    while not cond():
        check(time.monotonic() < deadline, what)
        time.sleep(0.05)


def start(argv, log, **kw):
    p = subprocess.Popen(argv, stdout=kw.pop("stdout", subprocess.DEVNULL),
                         stderr=open(os.path.join(tmp, log), "w"), text=True, **kw)
    procs.append(p)
    return p


for tool in (NGINX, "openssl", "redis-server"):
    if shutil.which(tool) is None:
        print(f"Bail out! {tool} is missing (build-aux/dev installs it)")
        sys.exit(1)

try:
    # --- Redis and two replicas on one database --------------------------------------------
    redis_port = free_port()
    start(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
           "--appendonly", "no", "--dir", tmp], "redis.log")

    def redis_up():
        try:
            with socket.create_connection(("127.0.0.1", redis_port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    wait_for(redis_up, "redis-server answers")
    common = ["--database", os.path.join(tmp, "parkd.db"), "--threads", "2",
              "--redis", f"redis://127.0.0.1:{redis_port}/0", "--trusted-proxies", "127.0.0.1",
              "--rate-limit", "0", "--account-rate-limit", "0", "--auth-rate-limit", "0",
              "--blocking-queue", "1000"]
    replicas = []
    for name, extra in (("a", ["--demo"]), ("b", [])):
        p = start([PARKD, "--listen", "127.0.0.1:0"] + common + extra, f"{name}.log",
                  stdout=subprocess.PIPE)
        line = p.stdout.readline()
        check(line.startswith("listening on http://127.0.0.1:"), f"replica {name} starts")
        replicas.append(line.split(" ", 2)[2].strip().rstrip("/"))
    ok("redis-server and two parkd replicas on one database are up")

    # --- nginx with the sample site, both replicas in its upstream --------------------------
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", f"{tmp}/key.pem", "-out", f"{tmp}/cert.pem"],
                   check=True, capture_output=True)
    https_port, http_port = free_port(), free_port()
    with open(SITE) as f:
        site = f.read()
    upstream = re.search(r"upstream parkd \{(.*?)\}", site, re.S)
    check(upstream and "least_conn;" in upstream.group(1),
          "the site's upstream spreads by least connections")
    servers = "".join(f"    server {u.split('//')[1]} max_fails=2 fail_timeout=10s;\n"
                      for u in replicas)
    site = site.replace("    server 127.0.0.1:8080;\n", servers)
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = "\n".join(l for l in site.splitlines() if "listen [::]" not in l)
    site = site.replace("/etc/letsencrypt/live/parking.example.org/fullchain.pem",
                        f"{tmp}/cert.pem")
    site = site.replace("/etc/letsencrypt/live/parking.example.org/privkey.pem",
                        f"{tmp}/key.pem")
    site = site.replace("root /var/www/html;", f"root {tmp}/www;")
    for want in [f"server {u.split('//')[1]}" for u in replicas] + [f"{tmp}/cert.pem"]:
        check(want in site, f"the site file changed: no place for {want}")
    with open(f"{tmp}/site.conf", "w") as f:
        f.write(site)
    os.makedirs(f"{tmp}/nginx-tmp", exist_ok=True)
    os.makedirs(f"{tmp}/www", exist_ok=True)
    user = ""
    if os.geteuid() == 0:
        import grp
        import pwd
        user = "user %s %s;" % (pwd.getpwuid(0).pw_name, grp.getgrgid(0).gr_name)
    with open(f"{tmp}/nginx.conf", "w") as f:
        f.write(f"""{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/nginx-tmp/client_body;
    proxy_temp_path {tmp}/nginx-tmp/proxy;
    fastcgi_temp_path {tmp}/nginx-tmp/fastcgi;
    uwsgi_temp_path {tmp}/nginx-tmp/uwsgi;
    scgi_temp_path {tmp}/nginx-tmp/scgi;
    include {tmp}/site.conf;
}}
""")
    t = subprocess.run([NGINX, "-t", "-q", "-p", tmp, "-e", f"{tmp}/nginx-error.log",
                        "-c", f"{tmp}/nginx.conf"], capture_output=True, text=True)
    check(t.returncode == 0, f"nginx -t accepts the site with two replicas: {t.stderr}")
    start([NGINX, "-p", tmp, "-e", f"{tmp}/nginx-error.log", "-c", f"{tmp}/nginx.conf"],
          "nginx.log")
    base = f"https://127.0.0.1:{https_port}"
    context = ssl.create_default_context(cafile=f"{tmp}/cert.pem")

    def call(url, method="GET", body=None, token=None):
        req = urllib.request.Request(url, method=method,
                                     data=json.dumps(body).encode() if body is not None
                                     else None)
        if body is not None:
            req.add_header("Content-Type", "application/json")
        if token is not None:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=30 * SCALE,
                                        context=context if url.startswith("https") else None) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def nginx_up():
        try:
            return call(base + "/health")[0] == 200
        except OSError:
            return False

    wait_for(nginx_up, "nginx answers over TLS")
    ok("nginx -t accepts the site with both replicas upstream, least_conn; it answers over TLS")

    # --- requests through nginx reach both replicas ------------------------------------------
    def served(url, route="/api/v1/info"):
        with urllib.request.urlopen(url + "/metrics", timeout=10) as r:
            text = r.read().decode()
        return sum(int(float(v)) for v in
                   re.findall(r'^parkd_http_requests_total\{[^}]*route="%s"[^}]*\} (\S+)'
                              % re.escape(route), text, re.M))

    for _ in range(40):
        check(call(base + "/api/v1/info")[0] == 200, "GET /api/v1/info through nginx")
    counts = [served(u) for u in replicas]
    check(all(c > 0 for c in counts) and sum(counts) >= 40,
          f"requests through nginx reach both replicas (per replica: {counts})")
    ok(f"40 requests through nginx were served by both replicas ({counts[0]} and {counts[1]})")

    # --- the live feed through nginx sees bookings made on either replica -------------------
    status, lots = call(base + "/api/v1/parking-lots?lat=51.05&lng=13.74&radius=5000&per_page=100")
    check(status == 200, "searching through nginx")
    lot = next(l["id"] for l in lots["items"] if l["name"] == LOT_NAME)
    status, spots = call(base + f"/api/v1/parking-lots/{lot}/spots?type=regular&state=available"
                         "&per_page=100")
    free = [s["id"] for s in spots["items"]]
    check(len(free) >= 2 + ROUNDS, "the lot has free spots")

    tokens = []
    for i in range(8):
        status, body = call(base + "/api/v1/auth/register", "POST",
                            {"email": f"racer{i}@example.org",
                             "password": "correct horse battery staple 42",
                             "first_name": "Rae", "last_name": f"Cer {i}"})
        check(status == 201, f"registering driver {i} through nginx (got {status})")
        tokens.append(body["access_token"])

    sock = context.wrap_socket(socket.create_connection(("127.0.0.1", https_port),
                                                        timeout=20 * SCALE),
                               server_hostname="127.0.0.1")
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(("GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13"
                  "\r\n\r\n" % key).encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        check(chunk, "the live feed's handshake through nginx")
        head += chunk
    check(head.startswith(b"HTTP/1.1 101"), "the live feed upgrades through nginx")
    rest = head.split(b"\r\n\r\n", 1)[1]

    def ws_send(obj):
        payload = json.dumps(obj).encode()
        mask = os.urandom(4)
        sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask +
                     bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def ws_read(count):
        global rest
        while len(rest) < count:
            chunk = sock.recv(65536)
            check(chunk, "the live feed stays open")
            rest += chunk
        out, rest = rest[:count], rest[count:]
        return out

    def ws_next(kind):
        while True:
            b0, b1 = ws_read(2)
            length = b1 & 0x7F
            if length == 126:
                length = struct.unpack(">H", ws_read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", ws_read(8))[0]
            data = ws_read(length)
            if b0 & 0x0F == 1:
                message = json.loads(data)
                if message.get("type") == kind:
                    return message

    ws_next("hello")
    ws_send({"type": "subscribe", "lot_ids": [lot]})
    seq = ws_next("snapshot")["lots"][0]["seq"]

    def book(url, token, spot):
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        start_t = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        end_t = (now + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return call(f"{url}/api/v1/parking-lots/{lot}/spots/{spot}/reserve", "POST",
                    {"start_time": start_t, "end_time": end_t}, token)[0]

    for i, url in enumerate(replicas):
        check(book(url, tokens[i], free[i]) == 201, f"booking on replica {'ab'[i]} directly")
        update = ws_next("availability_update")
        check(update["seq"] == seq + 1 + i and update["spot"]["id"] == free[i],
              f"the client through nginx sees replica {'ab'[i]}'s booking as seq {seq + 1 + i}"
              f" (got {update['seq']})")
    ok("a live-feed client connected through nginx sees bookings made on each replica, in order")

    # --- 64 drivers, one spot, both replicas: exactly one winner, every round ----------------
    reserve = "/api/v1/parking-lots/{id}/spots/{spot_id}/reserve"
    before = [served(u, reserve) for u in replicas]
    for r in range(ROUNDS):
        spot = free[2 + r]
        results = [None] * RACERS
        gate = threading.Barrier(RACERS)

        def racer(i):
            gate.wait()
            results[i] = book(base, tokens[i % len(tokens)], spot)

        threads = [threading.Thread(target=racer, args=(i,)) for i in range(RACERS)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wins = results.count(201)
        check(wins == 1 and results.count(409) == RACERS - 1,
              f"round {r + 1}: one winner and {RACERS - 1} conflicts "
              f"(got {wins} wins, answers {sorted(set(results))})")
    spread = [served(u, reserve) - b for u, b in zip(replicas, before)]
    check(all(c > 0 for c in spread), f"the racers reached both replicas ({spread})")
    ok(f"{ROUNDS} rounds of {RACERS} drivers racing for one spot through nginx, {spread[0]} and "
       f"{spread[1]} requests on the two replicas: exactly one winner each")
    sock.close()
finally:
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=30 * SCALE)
            except subprocess.TimeoutExpired:
                p.kill()
    shutil.rmtree(tmp, ignore_errors=True)

print(f"1..{n}")
