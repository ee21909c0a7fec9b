#!/usr/bin/env bash
# Benchmark for parkd's nearby search (GET /api/v1/parking-lots?lat=..&lng=..&radius=..).
#
# Not a test: run it by hand on a quiet machine (reference: 2-core Debian 12).
# It generates a synthetic database, starts parkd, saves one search answer and
# serves exactly those bytes from nginx as a static file (the baseline), then
# runs interleaved wrk rounds against both and prints a summary with targets.
#
# Usage: bash bench/search-bench.sh [--nginx-only] [--help]
# See bench/README.md for the environment variables.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: bash bench/search-bench.sh [--nginx-only] [--help]

Benchmarks parkd's nearby search against nginx serving the same answer as a
static file. Run it on a quiet machine after `meson compile -C build`.

Options:
  --nginx-only   skip parkd; serve a synthetic answer from nginx (checks the setup)
  -h, --help     show this help

Environment (defaults in brackets):
  BUILD_DIR      build directory [<repo>/build]
  PARKD          parkd binary [$BUILD_DIR/backend/parkd]
  NGINX          nginx binary [/usr/sbin/nginx, else nginx from PATH]
  LOTS           lots to generate [10000]
  SPOTS_PER_LOT  spots per lot [20]
  SEED           generator seed [42]
  RADIUS         search radius in metres [1000]
  ROUNDS         interleaved rounds per connection count [3]
  DURATION       seconds per wrk run [10]
  WARMUP         seconds of warm-up per server [2]
  CONNECTIONS    connection counts, space separated ["64 256"]
  THREADS        wrk threads [2]
  PARKD_ARGS     extra server options, e.g. "--threads 2" [none]
  KEEP_TMP       1 = keep the temp dir (database, logs, wrk output) [0]
  STORE          sqlite, or postgresql: a private PostgreSQL + PostGIS cluster in the
                 temp dir (ST_DWithin on the lots' GiST index) [sqlite]
  FRONT          none (wrk talks to parkd), or nginx: the sample site in front over TLS
                 (bench/replicas.sh) [none]
  REPLICAS       parkd replicas on the one database, Redis between them when 2 or more;
                 more than 1 needs FRONT=nginx [1]
EOF
}

nginx_only=0
for arg in "$@"; do
    case $arg in
        --nginx-only) nginx_only=1 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "search-bench: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)

BUILD_DIR=${BUILD_DIR:-$repo_root/build}
PARKD=${PARKD:-$BUILD_DIR/backend/parkd}
LOTS=${LOTS:-10000}
SPOTS_PER_LOT=${SPOTS_PER_LOT:-20}
SEED=${SEED:-42}
RADIUS=${RADIUS:-1000}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-64 256}
THREADS=${THREADS:-2}
KEEP_TMP=${KEEP_TMP:-0}
PARKD_ARGS=${PARKD_ARGS:-}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-15}
STORE=${STORE:-sqlite}
# shellcheck source=bench/pg-cluster.sh
source "$script_dir/pg-cluster.sh"
# shellcheck source=bench/replicas.sh
source "$script_dir/replicas.sh"

# Search centre: the generator's default centre (Dresden).
LAT=51.0504
LNG=13.7373
PER_PAGE=20

# Targets (checked at TARGET_CONNS connections).
TARGET_CONNS=256
TARGET_RATIO=0.35
TARGET_P99_MS=25
TARGET_RSS_MIB=100

tmp=""
nginx_pid=""

log() { printf '%s\n' "$*"; }

# Print the last lines of a log file (if it exists and is not empty) to stderr.
show_log() {
    local file=$1 title=$2
    if [[ -s $file ]]; then
        printf -- '--- last lines of %s (%s) ---\n' "$title" "$file" >&2
        tail -n 20 "$file" >&2
        printf -- '---\n' >&2
    fi
}

die() {
    printf 'search-bench: error: %s\n' "$*" >&2
    exit 1
}

stop_pid() {
    local pid=$1 i
    [[ -n $pid ]] || return 0
    kill -TERM "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_pid "$nginx_pid"
    replicas_stop
    pg_cluster_stop
    if [[ -n $tmp && -d $tmp ]]; then
        if [[ $KEEP_TMP == 1 ]]; then
            log "temp dir kept: $tmp"
        else
            if ((rc != 0)); then
                show_log "$tmp/parkd.log" "parkd stderr"
                show_log "$tmp/nginx.stderr" "nginx output"
                show_log "$tmp/nginx-error.log" "nginx error log"
            fi
            rm -rf "$tmp"
        fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- checks

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }
for v in LOTS SPOTS_PER_LOT SEED RADIUS ROUNDS DURATION WARMUP THREADS STARTUP_TIMEOUT; do
    is_uint "${!v}" || die "$v must be a non-negative integer, got '${!v}'"
done
((ROUNDS >= 1)) || die "ROUNDS must be >= 1"
((DURATION >= 1)) || die "DURATION must be >= 1"
((THREADS >= 1)) || die "THREADS must be >= 1"
read -r -a conns <<<"$CONNECTIONS"
((${#conns[@]} > 0)) || die "CONNECTIONS is empty"
for c in "${conns[@]}"; do
    if ! is_uint "$c" || ((c < THREADS)); then
        die "CONNECTIONS entries must be integers >= THREADS ($THREADS), got '$c'"
    fi
done

missing=()
command -v wrk >/dev/null 2>&1 || missing+=("wrk (Debian package: wrk)")
command -v curl >/dev/null 2>&1 || missing+=("curl (Debian package: curl)")
command -v python3 >/dev/null 2>&1 || missing+=("python3 (Debian package: python3)")
if [[ -n ${NGINX:-} ]]; then
    [[ -x $NGINX ]] || missing+=("nginx (NGINX=$NGINX is not executable; Debian package: nginx-light)")
else
    if [[ -x /usr/sbin/nginx ]]; then
        NGINX=/usr/sbin/nginx
    else
        NGINX=$(command -v nginx 2>/dev/null || true)
    fi
    [[ -n $NGINX ]] || missing+=("nginx (Debian package: nginx-light; looked for /usr/sbin/nginx and nginx in PATH)")
fi
if ((${#missing[@]} > 0)); then
    printf 'search-bench: error: missing required programs:\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    printf 'install with: apt-get install wrk nginx-light curl python3\n' >&2
    exit 1
fi
if ((nginx_only == 0)); then
    replicas_check || die "bad FRONT or REPLICAS"
    [[ -x $PARKD ]] || die "parkd not found or not executable at '$PARKD' (build with 'meson compile -C build', or set PARKD=/path/to/parkd or BUILD_DIR)"
fi

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

now() { printf '%s' "$EPOCHREALTIME"; }
elapsed() { python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.2f}")' "$1" "$2"; }

# ---------------------------------------------------------------- setup

tmp=$(mktemp -d "${TMPDIR:-/tmp}/parkade-search-bench.XXXXXX")

log "== Parkade search benchmark =="
log "date:        $(date -u +%Y-%m-%dT%H:%M:%SZ)"
log "host:        $(uname -srm), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
log "git:         $(git -C "$repo_root" describe --always --dirty 2>/dev/null || echo unknown)"
log "wrk:         $(wrk --version 2>&1 | head -n1 | cut -d' ' -f1-2)"
log "nginx:       $("$NGINX" -v 2>&1 | head -n1)"
if ((nginx_only)); then
    log "parkd:       (skipped: --nginx-only)"
else
    log "parkd:       $PARKD${PARKD_ARGS:+ $PARKD_ARGS}"
    log "setup:       $STORE, $(replicas_describe)"
fi
log "settings:    LOTS=$LOTS SPOTS_PER_LOT=$SPOTS_PER_LOT SEED=$SEED RADIUS=$RADIUS ROUNDS=$ROUNDS DURATION=${DURATION}s CONNECTIONS=\"${conns[*]}\" THREADS=$THREADS"
log ""

query="lat=$LAT&lng=$LNG&radius=$RADIUS&per_page=$PER_PAGE"
path="/api/v1/parking-lots?$query"
answer=$tmp/www/search.json
mkdir -p "$tmp/www"

if ((nginx_only == 0)); then
    # 1. database
    db=$tmp/bench.db
    case $STORE in
        sqlite) ;;
        postgresql)
            chmod 755 "$tmp"   # the cluster runs as postgres under root: it must reach its directory
            pg_cluster_start "$tmp/pg" || die "could not start the PostgreSQL cluster (apt-get install postgresql postgresql-15-postgis-3)"
            db=$PG_URI
            # A server's URI is no place for the key file: the temp dir is.
            PARKD_ARGS="$PARKD_ARGS --keys-file $tmp/parkd.keys"
            log "store: PostgreSQL $("$PG_BINDIR/postgres" --version | awk '{print $3}') in $tmp/pg"
            ;;
        *) die "STORE must be sqlite or postgresql, got '$STORE'" ;;
    esac
    log "generating database: $LOTS lots x $SPOTS_PER_LOT spots ..."
    t0=$(now)
    if ! "$PARKD" generate --database "$db" --lots "$LOTS" --spots-per-lot "$SPOTS_PER_LOT" \
        --seed "$SEED" >"$tmp/generate.out" 2>"$tmp/generate.err"; then
        show_log "$tmp/generate.out" "parkd generate stdout"
        show_log "$tmp/generate.err" "parkd generate stderr"
        die "parkd generate failed"
    fi
    t1=$(now)
    sed 's/^/  parkd: /' "$tmp/generate.out"
    if [[ $STORE == postgresql ]]; then
        db_bytes=$(pg_psql "SELECT pg_database_size (current_database ())") || die "cannot size the database"
    else
        db_bytes=$(stat -c %s "$db" 2>/dev/null) || die "parkd generate did not create the database $db"
    fi
    log "  generated in $(elapsed "$t0" "$t1") s, database size $((db_bytes / 1024)) KiB"

    # 2. server. wrk is one client address sending thousands of requests a second, which
    # the per-address limit exists to stop: it is off here (PARKD_ARGS can turn it back on).
    read -r -a parkd_args <<<"$PARKD_ARGS"
    replicas_start "$tmp" "$db" --rate-limit 0 "${parkd_args[@]}" ||
        die "could not start $(replicas_describe)"
    parkd_url="$target_url$path"
    log "$(replicas_describe): $target_url (parkd pids ${parkd_pids[*]})"

    # 3. one answer, checked and saved
    curl -fsS --max-time 10 -o "$answer" "$parkd_url" || die "search request failed: $parkd_url"
    python3 - "$answer" "$PER_PAGE" <<'EOF' || die "the search answer is not usable for the benchmark (need exactly $PER_PAGE items; raise RADIUS?)"
import json, sys
path, want = sys.argv[1], int(sys.argv[2])
try:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
except (OSError, ValueError) as e:
    sys.exit(f"search-bench: answer is not valid JSON: {e}")
items = doc.get("items") if isinstance(doc, dict) else None
if not isinstance(items, list):
    sys.exit("search-bench: answer has no 'items' array")
if len(items) != want:
    sys.exit(f"search-bench: answer has {len(items)} items, want exactly {want} "
             f"(total={doc.get('total')!r})")
print(f"  answer: {len(items)} items, total={doc.get('total')!r}, "
      f"has_next={doc.get('has_next')!r}")
EOF
else
    # Synthetic answer of roughly the expected shape, for checking the setup.
    python3 - "$answer" "$PER_PAGE" <<'EOF'
import json, sys
path, n = sys.argv[1], int(sys.argv[2])
items = [{"id": i + 1, "name": f"Synthetic lot {i + 1}", "lat": 51.0504 + i * 1e-4,
          "lng": 13.7373 - i * 1e-4, "distance_m": 40.5 * i, "spots_total": 20,
          "spots_free": 20 - i % 7} for i in range(n)]
doc = {"items": items, "total": 97, "page": 1, "per_page": n, "has_next": True,
       "has_prev": False}
with open(path, "w", encoding="utf-8") as f:
    json.dump(doc, f, separators=(",", ":"))
EOF
    log "using a synthetic answer (--nginx-only)"
fi
answer_bytes=$(stat -c %s "$answer")
log "search answer: $answer_bytes bytes"

# 4. nginx serving the same bytes
nginx_port=$(free_port)
mkdir -p "$tmp/nginx-tmp"
nginx_user=""
if ((EUID == 0)); then
    # Workers would otherwise switch to 'nobody' and could not read the 0700 temp dir.
    nginx_user="user $(id -un) $(id -gn);"
fi
cat >"$tmp/nginx.conf" <<EOF
# Generated by bench/search-bench.sh: static baseline for the search answer.
$nginx_user
worker_processes 2;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;

events {
    worker_connections 4096;
}

http {
    access_log off;
    types { }
    default_type application/json;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    keepalive_timeout 300s;

    client_body_temp_path $tmp/nginx-tmp/client_body;
    proxy_temp_path $tmp/nginx-tmp/proxy;
    fastcgi_temp_path $tmp/nginx-tmp/fastcgi;
    uwsgi_temp_path $tmp/nginx-tmp/uwsgi;
    scgi_temp_path $tmp/nginx-tmp/scgi;

    server {
        listen 127.0.0.1:$nginx_port;
        root $tmp/www;
        location / {
            try_files /search.json =404;
        }
    }
}
EOF
"$NGINX" -t -q -p "$tmp" -e "$tmp/nginx-error.log" -c "$tmp/nginx.conf" >>"$tmp/nginx.stderr" 2>&1 ||
    die "nginx rejected the generated config $tmp/nginx.conf"
"$NGINX" -p "$tmp" -e "$tmp/nginx-error.log" -c "$tmp/nginx.conf" >>"$tmp/nginx.stderr" 2>&1 &
nginx_pid=$!
nginx_url="http://127.0.0.1:$nginx_port$path"
deadline=$((SECONDS + STARTUP_TIMEOUT))
until curl -fsS --max-time 2 -o "$tmp/nginx-check.json" "$nginx_url" 2>/dev/null; do
    kill -0 "$nginx_pid" 2>/dev/null || die "nginx exited during startup"
    ((SECONDS < deadline)) || die "nginx did not answer on port $nginx_port within ${STARTUP_TIMEOUT}s"
    sleep 0.05
done
cmp -s "$answer" "$tmp/nginx-check.json" || die "nginx does not serve the saved answer byte for byte"
log "nginx listening on port $nginx_port (pid $nginx_pid), serving the same $answer_bytes bytes"
log ""

# ---------------------------------------------------------------- measuring

check_alive() {
    if ((nginx_only == 0)) && ! replicas_alive; then
        die "the setup under test lost a process during the benchmark"
    fi
    kill -0 "$nginx_pid" 2>/dev/null || die "nginx (pid $nginx_pid) died during the benchmark"
}

# Parses wrk output; prints: req/s p50_ms p99_ms errors requests (tab separated).
parse_wrk() {
    python3 - "$1" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
scale = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}
def latency(pct):
    m = re.search(rf"^\s*{pct}%\s+([0-9.]+)(us|ms|s|m|h)\s*$", text, re.M)
    if not m:
        sys.exit(f"search-bench: no {pct}% latency line in wrk output {sys.argv[1]}")
    return float(m.group(1)) * scale[m.group(2)]
m = re.search(r"^Requests/sec:\s+([0-9.]+)", text, re.M)
if not m:
    sys.exit(f"search-bench: no Requests/sec line in wrk output {sys.argv[1]}")
rps = float(m.group(1))
m = re.search(r"([0-9]+) requests in", text)
requests = int(m.group(1)) if m else 0
errors = 0
m = re.search(r"Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)", text)
if m:
    errors += sum(int(g) for g in m.groups())
m = re.search(r"Non-2xx or 3xx responses: ([0-9]+)", text)
if m:
    errors += int(m.group(1))
print(f"{rps:.2f}\t{latency(50):.3f}\t{latency(99):.3f}\t{errors}\t{requests}")
EOF
}

servers=(nginx)
((nginx_only)) || servers+=(parkd)

url_of() {
    if [[ $1 == nginx ]]; then printf '%s' "$nginx_url"; else printf '%s' "$parkd_url"; fi
}

if ((WARMUP > 0)); then
    for s in "${servers[@]}"; do
        log "warm-up: $s (${WARMUP}s, ${conns[0]} connections)"
        wrk -t"$THREADS" -c"${conns[0]}" -d"${WARMUP}s" "$(url_of "$s")" >"$tmp/wrk-warmup-$s.txt" 2>&1 ||
            die "wrk warm-up against $s failed (see $tmp/wrk-warmup-$s.txt)"
        check_alive
    done
    log ""
fi

results=$tmp/results.tsv
: >"$results"
total_runs=$((${#conns[@]} * ROUNDS * ${#servers[@]}))
run=0
for c in "${conns[@]}"; do
    for ((r = 1; r <= ROUNDS; r++)); do
        for s in "${servers[@]}"; do
            run=$((run + 1))
            out=$tmp/wrk-$s-c$c-r$r.txt
            wrk -t"$THREADS" -c"$c" -d"${DURATION}s" --latency "$(url_of "$s")" >"$out" 2>&1 ||
                { cat "$out" >&2; die "wrk against $s failed"; }
            check_alive
            parsed=$(parse_wrk "$out") || { cat "$out" >&2; die "could not parse wrk output"; }
            IFS=$'\t' read -r rps p50 p99 errs reqs <<<"$parsed"
            flag=""
            if ((errs > 0 || reqs == 0)); then
                flag="  <-- ERRORS ($errs errors, $reqs requests)"
            fi
            printf '[%2d/%d] c=%-4s round %d/%d  %-5s %12s req/s  p50 %8s ms  p99 %8s ms  errors %s%s\n' \
                "$run" "$total_runs" "$c" "$r" "$ROUNDS" "$s" "$rps" "$p50" "$p99" "$errs" "$flag"
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "$c" "$r" "$rps" "$p50" "$p99" "$errs" "$reqs" >>"$results"
        done
    done
done
log ""

# 5. memory
hwm_kib=""
rss_kib=""
if ((nginx_only == 0)); then
    check_alive
    read -r hwm_kib rss_kib < <(replicas_memory) ||
        die "could not read VmHWM/VmRSS of parkd from /proc/PID/status"
fi

# 6. summary
python3 - "$results" "$nginx_only" "$hwm_kib" "$rss_kib" "$ROUNDS" "$DURATION" "$THREADS" \
    "$answer_bytes" "$TARGET_CONNS" "$TARGET_RATIO" "$TARGET_P99_MS" "$TARGET_RSS_MIB" "$STORE" \
    "$FRONT" "$REPLICAS" <<'EOF'
import statistics, sys
(path, nginx_only, hwm_kib, rss_kib, rounds, duration, threads, answer_bytes,
 target_conns, target_ratio, target_p99, target_rss, store, front, replicas) = sys.argv[1:]
nginx_only = nginx_only == "1"
target_conns = int(target_conns)
target_ratio, target_p99, target_rss = float(target_ratio), float(target_p99), float(target_rss)

runs = {}   # (server, conns) -> list of (rps, p50, p99, errors, requests)
order = []
for line in open(path, encoding="utf-8"):
    s, c, _r, rps, p50, p99, errs, reqs = line.rstrip("\n").split("\t")
    c = int(c)
    if c not in order:
        order.append(c)
    runs.setdefault((s, c), []).append((float(rps), float(p50), float(p99), int(errs), int(reqs)))

def med(s, c, i):
    return statistics.median(v[i] for v in runs[(s, c)])

def bad(s, c):
    return sum(1 for v in runs.get((s, c), []) if v[3] > 0 or v[4] == 0)

print(f"== Summary: median of {rounds} round(s), wrk -t{threads} -d{duration}s, "
      f"answer {answer_bytes} bytes ==")
head = f"{'conns':>6} | {'nginx req/s':>12} {'p50 ms':>8} {'p99 ms':>8}"
if not nginx_only:
    head += f" | {'parkd req/s':>12} {'p50 ms':>8} {'p99 ms':>8} | {'parkd/nginx':>11}"
head += " | runs with errors"
print(head)
print("-" * len(head))
any_bad = False
for c in order:
    row = f"{c:>6} | {med('nginx', c, 0):>12.1f} {med('nginx', c, 1):>8.3f} {med('nginx', c, 2):>8.3f}"
    nb = bad("nginx", c)
    errs = f"nginx {nb}"
    if not nginx_only:
        ratio = med("parkd", c, 0) / med("nginx", c, 0) if med("nginx", c, 0) > 0 else 0.0
        row += (f" | {med('parkd', c, 0):>12.1f} {med('parkd', c, 1):>8.3f}"
                f" {med('parkd', c, 2):>8.3f} | {ratio:>11.3f}")
        pb = bad("parkd", c)
        errs += f", parkd {pb}"
        nb += pb
    if nb:
        any_bad = True
        errs += "  <-- ERRORS"
    print(f"{row} | {errs}")
print()
if any_bad:
    print("WARNING: some runs reported socket errors or non-2xx responses; "
          "their numbers are not trustworthy (rerun with KEEP_TMP=1 to keep the wrk output).")
    print()

if nginx_only:
    print("Targets: not evaluated (--nginx-only)")
    sys.exit(0)

hwm_mib = int(hwm_kib) / 1024
rss_mib = int(rss_kib) / 1024
print(f"parkd memory: peak RSS (VmHWM) {hwm_mib:.1f} MiB, current RSS (VmRSS) {rss_mib:.1f} MiB")
print()

def verdict(ok, errors=False):
    if ok is None:
        return f"n/a ({target_conns} connections not measured)"
    if errors:
        return "NOT MET (runs had errors)"
    return "met" if ok else "NOT MET"

have = ("parkd", target_conns) in runs
errors_at_target = have and (bad("parkd", target_conns) + bad("nginx", target_conns)) > 0
if have:
    ratio = med("parkd", target_conns, 0) / med("nginx", target_conns, 0) if med("nginx", target_conns, 0) > 0 else 0.0
    p99 = med("parkd", target_conns, 2)
    ratio_s, p99_s = f"{ratio:.3f}", f"{p99:.3f} ms"
    ratio_ok, p99_ok = ratio >= target_ratio, p99 < target_p99
else:
    ratio_s = p99_s = "-"
    ratio_ok = p99_ok = None
rows = [
    (f"parkd/nginx req/s at {target_conns} connections >= {target_ratio:g}", ratio_s,
     verdict(ratio_ok, errors_at_target)),
    (f"parkd p99 latency at {target_conns} connections < {target_p99:g} ms", p99_s,
     verdict(p99_ok, errors_at_target)),
    (f"parkd peak RSS (VmHWM) < {target_rss:g} MiB", f"{hwm_mib:.1f} MiB",
     verdict(hwm_mib < target_rss)),
]
width = max(len(r[0]) for r in rows)
print("Targets:")
for label, value, v in rows:
    print(f"  {label:<{width}} : {value:>10}  {v}")
# One line per connection count for bench/stores-bench.sh to put the stores side by side.
for c in order:
    print(f"RESULT search store={store} front={front} replicas={replicas} conns={c} req_per_s={med('parkd', c, 0):.1f} "
          f"p50_ms={med('parkd', c, 1):.3f} p99_ms={med('parkd', c, 2):.3f} "
          f"peak_rss_mib={hwm_mib:.1f}")
EOF
