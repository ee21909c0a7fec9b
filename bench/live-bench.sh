#!/usr/bin/env bash
# Benchmark for parkd's live feed (GET /api/v1/live, backend/LIVE.md), issue 5.
#
# Not a test: run it by hand on a quiet machine (reference: 2-core Debian 12).
# It generates a synthetic database, starts parkd, and for each subscriber count N, ROUNDS
# times: measures the nearby search with wrk (the baseline), attaches N WebSocket subscribers
# with bench/live-bench (all watching the same lots), reads parkd's memory, changes spots at a
# steady rate and measures how long each change takes to reach the last subscriber, first
# alone and then while wrk drives the same search again, and detaches them. A summary table
# and the targets come at the end.
#
# Usage: bash bench/live-bench.sh [--help]
# See bench/README.md for the environment variables.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: bash bench/live-bench.sh [--help]

Benchmarks parkd's live feed: N WebSocket subscribers on loopback, the time a spot change
takes to reach all of them, parkd's memory, and the nearby search rate with and without
them. Run it on a quiet machine after `meson compile -C build` (the load generator,
bench/live-bench.c, is built here with `meson compile -C $BUILD_DIR live-bench`).

Options:
  -h, --help     show this help

Environment (defaults in brackets):
  BUILD_DIR       build directory [<repo>/build]
  PARKD           parkd binary [$BUILD_DIR/backend/parkd]
  LIVE_BENCH      load generator [$BUILD_DIR/bench/live-bench, built if missing]
  LOTS            lots to generate [10000]
  SPOTS_PER_LOT   spots per lot [20]
  SEED            generator seed [42]
  RADIUS          search radius in metres [1000]
  SUBSCRIBERS     subscriber counts, space separated; 0 is a control run with changes
                  and no subscribers ["0 1000 5000 10000"]
  WATCH_LOTS      lots every subscriber watches: the search's first page [20]
  RATE            spot changes per second [10]
  ROUNDS          rounds per N (search alone, attach, changes alone, changes and the
                  search, detach); the summary pools or takes medians [3]
  CHANGE_SECONDS  seconds of changes without wrk, per round [20]
  DURATION        seconds per wrk run (changes go on meanwhile) [10]
  WARMUP          seconds of wrk warm-up [2]
  WRK_CONNECTIONS wrk connections [256]
  THREADS         wrk threads [2]
  WINDOW          subscribers connecting at the same time, at most [512]
  GEN_THREADS     load generator threads reading the subscribers (live-bench --threads) [2]
  PARKD_ARGS      extra server options, e.g. "--threads 2" [none]
  STORE           sqlite, or postgresql: a private PostgreSQL + PostGIS cluster in the
                  temp dir (bench/pg-cluster.sh), durable like a real one [sqlite]
  KEEP_TMP        1 = keep the temp dir (database, logs, raw output) [0]
EOF
}

for arg in "$@"; do
    case $arg in
        -h | --help) usage; exit 0 ;;
        *) echo "live-bench: unknown argument: $arg (try --help)" >&2; exit 2 ;;
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
SUBSCRIBERS=${SUBSCRIBERS:-0 1000 5000 10000}
WATCH_LOTS=${WATCH_LOTS:-20}
RATE=${RATE:-10}
ROUNDS=${ROUNDS:-3}
CHANGE_SECONDS=${CHANGE_SECONDS:-20}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-256}
THREADS=${THREADS:-2}
WINDOW=${WINDOW:-512}
GEN_THREADS=${GEN_THREADS:-2}
KEEP_TMP=${KEEP_TMP:-0}
PARKD_ARGS=${PARKD_ARGS:-}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-15}
STORE=${STORE:-sqlite}
case $STORE in
    sqlite | postgresql) ;;
    *) echo "live-bench: STORE must be sqlite or postgresql, got '$STORE'" >&2; exit 2 ;;
esac
# shellcheck source=bench/pg-cluster.sh
source "$script_dir/pg-cluster.sh"
CONNECT_TIMEOUT=${CONNECT_TIMEOUT:-120}

# Search centre: the generator's default centre (Dresden), as in search-bench.sh.
LAT=51.0504
LNG=13.7373
PER_PAGE=20

# Targets (issue 5), checked at the largest N.
TARGET_CONNECT_S=5
TARGET_RSS_MIB=150
TARGET_P99_MS=250
TARGET_RATIO=0.80

ADMIN_EMAIL=bench-admin@example.org
ADMIN_PASSWORD=live-bench-password-1

tmp=""
parkd_pid=""
gen_pid=""

log() { printf '%s\n' "$*"; }

show_log() {
    local file=$1 title=$2
    if [[ -s $file ]]; then
        printf -- '--- last lines of %s (%s) ---\n' "$title" "$file" >&2
        tail -n 20 "$file" >&2
        printf -- '---\n' >&2
    fi
}

die() {
    printf 'live-bench: error: %s\n' "$*" >&2
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
    exec 3>&- 2>/dev/null || true
    stop_pid "$gen_pid"
    stop_pid "$parkd_pid"
    pg_cluster_stop
    if [[ -n $tmp && -d $tmp ]]; then
        if [[ $KEEP_TMP == 1 ]]; then
            log "temp dir kept: $tmp"
        else
            if ((rc != 0)); then
                show_log "$tmp/parkd.log" "parkd stderr"
                for f in "$tmp"/gen-*.err; do
                    [[ -e $f ]] && show_log "$f" "live-bench stderr"
                done
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
for v in LOTS SPOTS_PER_LOT SEED RADIUS WATCH_LOTS RATE ROUNDS CHANGE_SECONDS DURATION WARMUP \
    WRK_CONNECTIONS THREADS WINDOW GEN_THREADS STARTUP_TIMEOUT CONNECT_TIMEOUT; do
    is_uint "${!v}" || die "$v must be a non-negative integer, got '${!v}'"
done
((DURATION >= 1)) || die "DURATION must be >= 1"
((CHANGE_SECONDS >= 1)) || die "CHANGE_SECONDS must be >= 1"
((ROUNDS >= 1)) || die "ROUNDS must be >= 1"
((RATE >= 1)) || die "RATE must be >= 1"
((GEN_THREADS >= 1 && GEN_THREADS <= 8)) || die "GEN_THREADS must be 1 to 8"
((THREADS >= 1 && WRK_CONNECTIONS >= THREADS)) || die "need THREADS >= 1 and WRK_CONNECTIONS >= THREADS"
((WATCH_LOTS >= 1 && WATCH_LOTS <= PER_PAGE)) || die "WATCH_LOTS must be 1..$PER_PAGE (the lots of the search's first page)"
read -r -a counts <<<"$SUBSCRIBERS"
((${#counts[@]} > 0)) || die "SUBSCRIBERS is empty"
max_n=0
for n in "${counts[@]}"; do
    is_uint "$n" || die "SUBSCRIBERS entries must be integers, got '$n'"
    ((n > max_n)) && max_n=$n
done

missing=()
command -v wrk >/dev/null 2>&1 || missing+=("wrk (Debian package: wrk)")
command -v curl >/dev/null 2>&1 || missing+=("curl (Debian package: curl)")
command -v python3 >/dev/null 2>&1 || missing+=("python3 (Debian package: python3)")
if ((${#missing[@]} > 0)); then
    printf 'live-bench: error: missing required programs:\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    printf 'install with: apt-get install wrk curl python3\n' >&2
    exit 1
fi
[[ -x $PARKD ]] || die "parkd not found or not executable at '$PARKD' (build with 'meson compile -C build', or set PARKD=/path/to/parkd or BUILD_DIR)"
if [[ -z ${LIVE_BENCH:-} ]]; then
    # Built only on request (bench/meson.build); cheap when it is up to date.
    meson compile -C "$BUILD_DIR" live-bench >/dev/null ||
        die "could not build the load generator: meson compile -C $BUILD_DIR live-bench"
    LIVE_BENCH=$BUILD_DIR/bench/live-bench
fi
[[ -x $LIVE_BENCH ]] || die "load generator not found at '$LIVE_BENCH'"

# Each subscriber is a socket in live-bench and one in parkd: both inherit this limit.
need_fds=$((max_n + WRK_CONNECTIONS + 256))
hard=$(ulimit -Hn)
if [[ $hard != unlimited ]] && ((hard < need_fds)); then
    die "$max_n subscribers need $need_fds open files per process; the hard limit is $hard (raise it as root: ulimit -Hn $need_fds, or LimitNOFILE)"
fi
ulimit -Sn "$need_fds" 2>/dev/null || ulimit -Sn "$hard"

now() { printf '%s' "$EPOCHREALTIME"; }
elapsed() { python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.2f}")' "$1" "$2"; }

# The value of key $2 in a "KEY=value ..." line $1.
kv() { sed -n "s/.* $2=\\([^ ]*\\).*/\\1/p" <<<" $1"; }

# ---------------------------------------------------------------- setup

tmp=$(mktemp -d "${TMPDIR:-/tmp}/parkade-live-bench.XXXXXX")

log "== Parkade live-feed benchmark =="
log "date:        $(date -u +%Y-%m-%dT%H:%M:%SZ)"
log "host:        $(uname -srm), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
log "git:         $(git -C "$repo_root" describe --always --dirty 2>/dev/null || echo unknown)"
log "wrk:         $(wrk --version 2>&1 | head -n1 | cut -d' ' -f1-2)"
log "parkd:       $PARKD${PARKD_ARGS:+ $PARKD_ARGS}"
log "generator:   $LIVE_BENCH"
log "store:       $STORE"
log "settings:    LOTS=$LOTS SPOTS_PER_LOT=$SPOTS_PER_LOT SEED=$SEED SUBSCRIBERS=\"${counts[*]}\" ROUNDS=$ROUNDS WATCH_LOTS=$WATCH_LOTS RATE=$RATE/s CHANGE_SECONDS=$CHANGE_SECONDS DURATION=${DURATION}s WRK_CONNECTIONS=$WRK_CONNECTIONS THREADS=$THREADS WINDOW=$WINDOW GEN_THREADS=$GEN_THREADS"
log "open files:  $(ulimit -Sn) (hard $(ulimit -Hn))"
log ""

# 1. database and an admin who may change spots
db=$tmp/bench.db
keys_args=()
if [[ $STORE == postgresql ]]; then
    chmod 755 "$tmp"   # the cluster runs as postgres under root: it must reach its directory
    pg_cluster_start "$tmp/pg" || die "could not start the PostgreSQL cluster"
    db=$PG_URI
    # A server's URI is no place for the key file: the temp dir is.
    keys_args=(--keys-file "$tmp/parkd.keys")
    log "PostgreSQL $("$PG_BINDIR/postgres" --version | awk '{print $3}') in $tmp/pg"
fi
log "generating database: $LOTS lots x $SPOTS_PER_LOT spots ..."
t0=$(now)
if ! "$PARKD" generate --database "$db" "${keys_args[@]}" --lots "$LOTS" \
    --spots-per-lot "$SPOTS_PER_LOT" --seed "$SEED" >"$tmp/generate.out" 2>"$tmp/generate.err"; then
    show_log "$tmp/generate.out" "parkd generate stdout"
    show_log "$tmp/generate.err" "parkd generate stderr"
    die "parkd generate failed"
fi
t1=$(now)
if [[ $STORE == postgresql ]]; then
    log "  generated in $(elapsed "$t0" "$t1") s"
else
    log "  generated in $(elapsed "$t0" "$t1") s, database size $(($(stat -c %s "$db") / 1024)) KiB"
fi
printf '%s' "$ADMIN_PASSWORD" | "$PARKD" user add --email "$ADMIN_EMAIL" --role admin \
    --database "$db" "${keys_args[@]}" >"$tmp/user.out" 2>&1 || { cat "$tmp/user.out" >&2; die "could not create the admin"; }

# 2. server. Everything comes from one address: the per-address request, sign-in and
# connection limits are off or above what the benchmark opens.
max_conns=$((max_n + WRK_CONNECTIONS + 1000))
read -r -a parkd_args <<<"$PARKD_ARGS"
"$PARKD" --listen 127.0.0.1:0 --database "$db" "${keys_args[@]}" --no-access-log \
    --rate-limit 0 --account-rate-limit 0 --auth-rate-limit 0 \
    --max-connections "$max_conns" --max-client-connections "$max_conns" \
    "${parkd_args[@]}" >"$tmp/parkd.out" 2>"$tmp/parkd.log" &
parkd_pid=$!
parkd_port=""
deadline=$((SECONDS + STARTUP_TIMEOUT))
while :; do
    if [[ -s $tmp/parkd.out ]]; then
        first=$(head -n1 "$tmp/parkd.out")
        if [[ $first =~ ^listening\ on\ http://127\.0\.0\.1:([0-9]+)/$ ]]; then
            parkd_port=${BASH_REMATCH[1]}
            break
        fi
        die "unexpected first line from parkd: '$first' (want 'listening on http://127.0.0.1:PORT/')"
    fi
    kill -0 "$parkd_pid" 2>/dev/null || die "parkd exited before announcing its port"
    ((SECONDS < deadline)) || die "parkd did not announce its port within ${STARTUP_TIMEOUT}s"
    sleep 0.05
done
base_url="http://127.0.0.1:$parkd_port"
search_url="$base_url/api/v1/parking-lots?lat=$LAT&lng=$LNG&radius=$RADIUS&per_page=$PER_PAGE"
log "parkd listening on port $parkd_port (pid $parkd_pid), --max-connections and --max-client-connections $max_conns"

# The lots every subscriber watches: the search's first page (checked as search-bench.sh
# checks it), so the changes are ones a searching driver sees. The spots to change are the
# ones of these lots that are available now; each round picks them again.
pick_spots() {
    python3 - "$base_url" "$search_url" "$PER_PAGE" "$WATCH_LOTS" "$tmp/lots.txt" "$tmp/spots.txt" <<'EOF' ||
import json, sys, urllib.request
base, search, per_page, watch, lots_out, spots_out = sys.argv[1:]
per_page, watch = int(per_page), int(watch)

def get(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)

items = get(search)["items"]
if len(items) != per_page:
    sys.exit(f"live-bench: the search answer has {len(items)} items, want exactly {per_page} (raise RADIUS?)")
lots = [l["id"] for l in items[:watch]]
spots = []
for lot in lots:
    page = 1
    while True:
        doc = get(f"{base}/api/v1/parking-lots/{lot}/spots?per_page=100&page={page}")
        spots += [s["id"] for s in doc["items"] if s["state"] == "available"]
        if not doc.get("has_next"):
            break
        page += 1
if not spots:
    sys.exit("live-bench: no available spot in the watched lots")
with open(lots_out, "w") as f:
    f.write("\n".join(lots) + "\n")
with open(spots_out, "w") as f:
    f.write("\n".join(spots) + "\n")
print(f"{len(lots)} {len(spots)}")
EOF
        die "could not pick the lots and spots"
}

token() {
    curl -fsS --max-time 30 -H 'Content-Type: application/json' \
        -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" "$base_url/api/v1/auth/login" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

check_alive() {
    kill -0 "$parkd_pid" 2>/dev/null || die "parkd (pid $parkd_pid) died during the benchmark"
}

live_clients() {
    live_metric parkd_live_clients
}

# One of parkd's live-feed counters from /metrics.
live_metric() {
    curl -fsS --max-time 10 "$base_url/metrics" | sed -n "s/^$1 \\([0-9]*\\)\$/\\1/p"
}

# parkd's CPU time so far, in clock ticks (user + system, all threads).
parkd_ticks() { awk '{print $14 + $15}' "/proc/$parkd_pid/stat"; }
clk_tck=$(getconf CLK_TCK)

mem_kib() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$parkd_pid/status"; }

# parkd's CPU seconds between two parkd_ticks readings.
cpu_seconds() { python3 -c 'import sys; print(f"{(float(sys.argv[2]) - float(sys.argv[1])) / float(sys.argv[3]):.2f}")' "$1" "$2" "$clk_tck"; }

# live-bench's CPU, as a share of one core, in a CHANGES line.
cpu_share() {
    python3 -c 'import sys; u, s, t = map(float, sys.argv[1:]); print(f"{(u + s) / t * 100:.0f}")' \
        "$(kv "$1" cpu_user_s)" "$(kv "$1" cpu_sys_s)" "$(kv "$1" seconds)"
}

# Runs wrk for $1 seconds into $2; prints "req/s p50_ms p99_ms errors".
run_wrk() {
    local seconds=$1 out=$2
    wrk -t"$THREADS" -c"$WRK_CONNECTIONS" -d"${seconds}s" --latency "$search_url" >"$out" 2>&1 ||
        { cat "$out" >&2; die "wrk failed"; }
    check_alive
    python3 - "$out" <<'EOF' || { cat "$out" >&2; die "could not parse the wrk output $out"; }
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
scale = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
def latency(pct):
    m = re.search(rf"^\s*{pct}%\s+([0-9.]+)(us|ms|s|m)\s*$", text, re.M)
    return float(m.group(1)) * scale[m.group(2)]
rps = float(re.search(r"^Requests/sec:\s+([0-9.]+)", text, re.M).group(1))
errors = 0
m = re.search(r"Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)", text)
if m:
    errors += sum(int(g) for g in m.groups())
m = re.search(r"Non-2xx or 3xx responses: ([0-9]+)", text)
if m:
    errors += int(m.group(1))
print(f"{rps:.1f} {latency(50):.2f} {latency(99):.2f} {errors}")
EOF
}

# Waits up to $2 seconds for the generator's first line starting with "$1 " (and, if $3 is
# given, with label $3); prints it.
wait_line() {
    local word=$1 timeout=$2 label=${3:-} deadline line
    deadline=$((SECONDS + timeout))
    while :; do
        if [[ -n $label ]]; then
            line=$(grep -m1 "^$word label=$label " "$gen_out" || true)
        else
            line=$(grep -m1 "^$word " "$gen_out" || true)
        fi
        [[ -n $line ]] && { printf '%s\n' "$line"; return 0; }
        if ! kill -0 "$gen_pid" 2>/dev/null; then
            show_log "$gen_err" "live-bench stderr"
            die "live-bench exited before printing $word $label"
        fi
        check_alive
        ((SECONDS < deadline)) || die "no $word $label line from live-bench within ${timeout}s"
        sleep 0.05
    done
}

# ---------------------------------------------------------------- measuring

read -r n_lots n_spots < <(pick_spots)
log "  the search answer has $PER_PAGE items; subscribers watch its first $n_lots lots, whose $n_spots available spots are changed"

log ""
if ((WARMUP > 0)); then
    log "warm-up: wrk ${WARMUP}s, $WRK_CONNECTIONS connections"
    run_wrk "$WARMUP" "$tmp/wrk-warmup.txt" >/dev/null
fi

results=$tmp/results.tsv
: >"$results"
mkfifo "$tmp/ctl"
for n in "${counts[@]}"; do
    for ((r = 1; r <= ROUNDS; r++)); do
        log ""
        log "== $n subscribers, round $r/$ROUNDS ==  (load average $(cut -d' ' -f1-3 /proc/loadavg))"

        # a. the search alone
        read -r base_rps base_p50 base_p99 base_err < <(run_wrk "$DURATION" "$tmp/wrk-base-$n-$r.txt")
        log "  search, no subscribers:     $base_rps req/s  p50 $base_p50 ms  p99 $base_p99 ms  errors $base_err"

        # b. N subscribers. The peak RSS is reset first (Linux: clear_refs 5), so VmHWM is
        # this round's.
        pick_spots >/dev/null
        echo 5 >"/proc/$parkd_pid/clear_refs" 2>/dev/null ||
            log "  (cannot reset VmHWM: it is the peak since parkd started)"
        gen_out=$tmp/gen-$n-$r.out
        gen_err=$tmp/gen-$n-$r.err
        LIVE_BENCH_TOKEN=$(token) || die "could not sign in the admin"
        export LIVE_BENCH_TOKEN
        ticks_c0=$(parkd_ticks)
        "$LIVE_BENCH" --port "$parkd_port" --subscribers "$n" --lots "$tmp/lots.txt" \
            --spots "$tmp/spots.txt" --rate "$RATE" --window "$WINDOW" --threads "$GEN_THREADS" \
            --connect-timeout "$CONNECT_TIMEOUT" --latencies "$tmp/latencies-$n.tsv" \
            <"$tmp/ctl" >"$gen_out" 2>"$gen_err" &
        gen_pid=$!
        exec 3>"$tmp/ctl"
        unset LIVE_BENCH_TOKEN
        ready=$(wait_line READY $((CONNECT_TIMEOUT + 30)))
        ticks_c1=$(parkd_ticks)
        connect_cpu=$(cpu_seconds "$ticks_c0" "$ticks_c1")
        connected=$(kv "$ready" subscribers)
        failed=$(kv "$ready" failed)
        connect_s=$(kv "$ready" seconds)
        log "  connected and subscribed:   $connected of $n in $connect_s s (failed $failed; each: p50 $(kv "$ready" each_p50_ms) ms, p99 $(kv "$ready" each_p99_ms) ms; parkd CPU $connect_cpu s)"
        sleep 1
        rss_kib=$(mem_kib VmRSS)
        hwm_kib=$(mem_kib VmHWM)
        log "  parkd with them attached:   VmRSS $((rss_kib / 1024)) MiB, VmHWM $((hwm_kib / 1024)) MiB, parkd_live_clients $(live_clients)"

        # b2. the search with them attached, before any change: what holding them costs
        read -r idle_rps idle_p50 idle_p99 idle_err < <(run_wrk "$DURATION" "$tmp/wrk-idle-$n-$r.txt")
        log "  search with them attached:  $idle_rps req/s  p50 $idle_p50 ms  p99 $idle_p99 ms  errors $idle_err"

        # c. changes alone (no point without subscribers)
        quiet="-"
        quiet_cpu=0
        if ((n > 0)); then
            ticks_q0=$(parkd_ticks)
            sent0=$(live_metric parkd_live_sent_total)
            writes0=$(live_metric parkd_live_writes_total)
            echo "changes quiet $CHANGE_SECONDS" >&3
            quiet=$(wait_line CHANGES $((CHANGE_SECONDS + 120)) quiet)
            quiet_cpu=$(cpu_seconds "$ticks_q0" "$(parkd_ticks)")
            sent1=$(live_metric parkd_live_sent_total)
            writes1=$(live_metric parkd_live_writes_total)
            if [[ -n $writes1 && $writes1 != "$writes0" ]]; then
                log "  updates per write:          $(python3 -c 'import sys; s0, s1, w0, w1 = map(int, sys.argv[1:]); print(f"{(s1 - s0) / (w1 - w0):.2f} ({s1 - s0} updates in {w1 - w0} writes)")' "$sent0" "$sent1" "$writes0" "$writes1")"
            fi
            log "  fan-out, changes alone:     p50 $(kv "$quiet" p50_ms) ms  p99 $(kv "$quiet" p99_ms) ms  max $(kv "$quiet" max_ms) ms  ($(kv "$quiet" complete)/$(kv "$quiet" changes) reached all, $(kv "$quiet" missing_deliveries) deliveries missing; first subscriber p50 $(kv "$quiet" first_p50_ms) ms; PATCH p50 $(kv "$quiet" http_p50_ms) ms; in $(kv "$quiet" seconds) s, parkd CPU $quiet_cpu s, live-bench CPU $(cpu_share "$quiet") %)"
        fi

        # d. changes and the search together
        ticks0=$(parkd_ticks)
        t0=$(now)
        echo "changes search $((DURATION + 2))" >&3
        sleep 1
        read -r load_rps load_p50 load_p99 load_err < <(run_wrk "$DURATION" "$tmp/wrk-load-$n-$r.txt")
        ticks1=$(parkd_ticks)
        t1=$(now)
        load=$(wait_line CHANGES $((DURATION + 120)) search)
        parkd_cpu=$(python3 -c 'import sys; a, b, hz, s = map(float, sys.argv[1:]); print(f"{(b - a) / hz / s * 100:.0f}")' \
            "$ticks0" "$ticks1" "$clk_tck" "$(elapsed "$t0" "$t1")")
        gen_cpu=$(cpu_share "$load")
        log "  search with them + changes: $load_rps req/s  p50 $load_p50 ms  p99 $load_p99 ms  errors $load_err  (parkd CPU $parkd_cpu %, live-bench CPU $gen_cpu %)"
        if ((n > 0)); then
            log "  fan-out, with the search:   p50 $(kv "$load" p50_ms) ms  p99 $(kv "$load" p99_ms) ms  max $(kv "$load" max_ms) ms  ($(kv "$load" complete)/$(kv "$load" changes) reached all, $(kv "$load" missing_deliveries) deliveries missing; first subscriber p50 $(kv "$load" first_p50_ms) ms; PATCH p50 $(kv "$load" http_p50_ms) ms)"
        fi
        hwm_kib=$(mem_kib VmHWM)

        # e. done with them: the generator puts its spots back, then hangs up
        echo quit >&3
        exec 3>&-
        gen_rc=0
        wait "$gen_pid" || gen_rc=$?
        gen_pid=""
        closed=$(kv "$(grep -m1 '^STATUS ' "$gen_out" || true)" closed)
        restore_failed=$(kv "$(grep -m1 '^RESTORED ' "$gen_out" || true)" failed)
        if ((gen_rc != 0)); then
            log "  live-bench reported failures (exit $gen_rc): $(grep -m1 'first failure' "$gen_err" || true)"
        fi
        if [[ -n $restore_failed && $restore_failed != 0 ]]; then
            log "  live-bench could not put $restore_failed spots back to available"
        fi
        deadline=$((SECONDS + 30))
        while [[ $(live_clients) != 0 ]] && ((SECONDS < deadline)); do sleep 0.2; done

        printf '%s\n' "$n|$r|$connected|$failed|$connect_s|$rss_kib|$hwm_kib|$quiet|$load|$base_rps|$base_err|$load_rps|$load_err|$parkd_cpu|$gen_cpu|$gen_rc|${closed:-0}|$connect_cpu|$quiet_cpu|$idle_rps|$idle_err" >>"$results"
    done
done
log ""

# ---------------------------------------------------------------- summary

python3 - "$tmp" "$results" "$RATE" "$CHANGE_SECONDS" "$DURATION" "$WRK_CONNECTIONS" "$THREADS" \
    "$ROUNDS" "$TARGET_CONNECT_S" "$TARGET_RSS_MIB" "$TARGET_P99_MS" "$TARGET_RATIO" <<'EOF'
import math, os, statistics, sys
(tmp, path, rate, change_s, duration, wrk_conns, threads, rounds,
 t_connect, t_rss, t_p99, t_ratio) = sys.argv[1:]
t_connect, t_rss, t_p99, t_ratio = float(t_connect), float(t_rss), float(t_p99), float(t_ratio)
med = statistics.median

def kv(line):
    if line in ("", "-"):
        return {}
    return dict(w.split("=", 1) for w in line.split()[1:] if "=" in w)

runs = {}
for line in open(path, encoding="utf-8"):
    (n, _r, conn, failed, conn_s, rss, hwm, quiet, load, base_rps, base_err, load_rps, load_err,
     parkd_cpu, gen_cpu, gen_rc, closed, connect_cpu, quiet_cpu, idle_rps,
     idle_err) = line.rstrip("\n").split("|")
    q, l = kv(quiet), kv(load)
    lost = sum(int(d.get(k, 0)) for d in (q, l)
               for k in ("missing_deliveries", "http_failed", "gaps", "dups"))
    runs.setdefault(int(n), []).append(dict(
        failed=int(failed), conn_s=float(conn_s), rss=int(rss) / 1024, hwm=int(hwm) / 1024,
        base=float(base_rps), with_=float(load_rps), idle=float(idle_rps),
        errors=int(base_err) + int(load_err) + int(idle_err),
        parkd_cpu=float(parkd_cpu), gen_cpu=float(gen_cpu), gen_rc=int(gen_rc),
        closed=int(closed), lost=lost, connect_cpu=float(connect_cpu),
        quiet_cpu=float(quiet_cpu), deliveries=int(q.get("deliveries", 0)),
        quiet_s=float(q.get("seconds", 0)), quiet_gen_cpu=float(q.get("cpu_user_s", 0)) +
        float(q.get("cpu_sys_s", 0))))

# Fan-out over every change of every round: the time until the last subscriber had it.
def fanout(n, label):
    path = os.path.join(tmp, f"latencies-{n}.tsv")
    if n == 0 or not os.path.exists(path):
        return None
    last, first, http, due = [], [], [], []
    for line in open(path, encoding="utf-8"):
        lab, status, expected, received, first_ms, last_ms, http_ms, due_ms = \
            line.rstrip("\n").split("\t")
        if lab == label and status == "200" and int(received) >= int(expected):
            last.append(float(last_ms))
            first.append(float(first_ms))
            http.append(float(http_ms))
            due.append(float(due_ms))
    if not last:
        return None
    def pct(v, p):
        v = sorted(v)
        return v[min(len(v), max(1, math.ceil(p / 100 * len(v)))) - 1]
    return dict(p50=pct(last, 50), p99=pct(last, 99), max=max(last), count=len(last),
                first_p50=pct(first, 50), first_p99=pct(first, 99), http_p50=pct(http, 50),
                http_p99=pct(http, 99), due_p99=pct(due, 99))

def lat(d):
    if d is None:
        return f"{'-':>9} {'-':>7} {'-':>7}"
    return f"{d['p50']:>9.1f} {d['p99']:>7.1f} {d['max']:>7.1f}"

print(f"== Summary: {rounds} round(s) per N; {rate} changes/s, {change_s} s alone and "
      f"{int(duration) + 2} s with wrk -t{threads} -c{wrk_conns} -d{duration}s on the search ==")
head = (f"{'subs':>6} | {'connect s':>9} | {'VmRSS':>6} {'VmHWM':>6} | "
        f"{'alone p50':>9} {'p99':>7} {'max':>7} | {'w/search p50':>12} {'p99':>7} {'max':>7} | "
        f"{'lost':>4} | {'search base':>11} {'with':>7} {'ratio':>5} | {'parkd CPU':>9} {'gen CPU':>7}")
print(head)
print("-" * len(head))
summary = {}
for n in sorted(runs):
    rs = runs[n]
    s = summary[n] = dict(
        conn_s=med(r["conn_s"] for r in rs), rss=med(r["rss"] for r in rs),
        hwm=max(r["hwm"] for r in rs), q=fanout(n, "quiet"), l=fanout(n, "search"),
        ratio=med(r["with_"] / r["base"] for r in rs if r["base"] > 0),
        idle_ratio=med(r["idle"] / r["base"] for r in rs if r["base"] > 0),
        failed=sum(r["failed"] for r in rs), lost=sum(r["lost"] for r in rs),
        closed=sum(r["closed"] for r in rs), errors=sum(r["errors"] for r in rs),
        gen_rc=max(r["gen_rc"] for r in rs))
    conn_s = f"{s['conn_s']:.2f}" if n > 0 else "-"
    print(f"{n:>6} | {conn_s:>9} | {s['rss']:>6.1f} {s['hwm']:>6.1f} | {lat(s['q'])} | "
          f"{'':>3}{lat(s['l'])} | {s['lost']:>4} | {med(r['base'] for r in rs):>11.0f} "
          f"{med(r['with_'] for r in rs):>7.0f} {s['ratio']:>5.2f} | "
          f"{med(r['parkd_cpu'] for r in rs):>7.0f} % {med(r['gen_cpu'] for r in rs):>5.0f} %")
print()
print("connect s: median over the rounds of the time until all N had their snapshot.")
print("VmRSS: median, 1 s after all subscribed; VmHWM: highest peak of a round (MiB).")
print("p50/p99/max: fan-out in ms, over every change of every round: from writing the PATCH")
print("  to the last of the N subscribers reading the matching availability_update.")
print("lost: deliveries not read within 30 s of a run's last change (live-bench --grace),")
print("  changes parkd did not answer 200, seq gaps or repeats.")
print("search: median req/s without and with (and the changes); ratio: median over rounds of")
print("  with/without. The search with them attached and no changes yet, as ratios to without:")
print("  " + ", ".join(f"{n}: {s['idle_ratio']:.2f}" for n, s in summary.items() if n > 0))
print("CPU: share of one core while wrk ran with the changes (parkd: all threads; gen: live-bench).")
print()
print("CPU per unit of work (does not depend on what else the machine runs): parkd CPU to")
print("accept and subscribe each subscriber, and parkd's and live-bench's CPU per update delivered")
print("to one subscriber, from the changes-alone runs; 'needs' = cores parkd needs to deliver")
print(f"{rate} changes/s to N subscribers at that cost.")
for n, rs in sorted(runs.items()):
    if n == 0:
        continue
    conn_ms = med(r["connect_cpu"] / n * 1e6 for r in rs)
    dl = [r for r in rs if r["deliveries"] > 0]
    if dl:
        us = med(r["quiet_cpu"] / r["deliveries"] * 1e6 for r in dl)
        gus = med(r["quiet_gen_cpu"] / r["deliveries"] * 1e6 for r in dl)
        print(f"  {n:>6}: connect {conn_ms:6.0f} us/subscriber; fan-out: parkd {us:5.1f} us, "
              f"live-bench {gus:5.1f} us per delivery; needs {us * n * float(rate) / 1e6:4.2f} cores")
    else:
        print(f"  {n:>6}: connect {conn_ms:6.0f} us/subscriber")
print()
print("Where the fan-out time goes (ms, p50 / p99 over the same changes): PATCH answered,")
print("first subscriber had the update, last one had it; and the last one counted from when the")
print("steady rate said to send the PATCH (due), which a server too slow to take changes cannot hide.")
for n, s in summary.items():
    for name, d in (("alone", s["q"]), ("w/search", s["l"])):
        if d:
            print(f"  {n:>6} {name:<8}: PATCH {d['http_p50']:7.1f} / {d['http_p99']:7.1f}   "
                  f"first {d['first_p50']:7.1f} / {d['first_p99']:7.1f}   "
                  f"last {d['p50']:7.1f} / {d['p99']:7.1f}   last from due p99 {d['due_p99']:7.1f}"
                  f"   ({d['count']} changes)")
print()
problems = []
for n, s in summary.items():
    if s["failed"] or s["gen_rc"] or s["closed"] or s["lost"] or s["errors"]:
        problems.append(f"  {n} subscribers: not subscribed {s['failed']}, closed by parkd "
                        f"{s['closed']}, lost {s['lost']}, wrk errors {s['errors']}, "
                        f"live-bench exit {s['gen_rc']}")
if problems:
    print("FAILURES (figures of these rows are not trustworthy):")
    print("\n".join(problems))
    print()

top = max(summary)
if top == 0:
    print("Targets: not evaluated (no subscribers)")
    sys.exit(0)
s = summary[top]
clean = s["failed"] == 0 and s["lost"] == 0 and s["closed"] == 0
def p99(d):
    return d["p99"] if d else float("inf")
checks = [
    (f"{top} subscribed in < {t_connect:g} s", f"{s['conn_s']:.2f} s",
     s["conn_s"] < t_connect and s["failed"] == 0),
    (f"parkd RSS with {top} attached < {t_rss:g} MiB (VmHWM)", f"{s['hwm']:.1f} MiB",
     s["hwm"] < t_rss),
    (f"fan-out p99 to all {top} < {t_p99:g} ms, with the search", f"{p99(s['l']):.1f} ms",
     p99(s["l"]) < t_p99 and clean),
    (f"fan-out p99 to all {top} < {t_p99:g} ms, changes alone", f"{p99(s['q']):.1f} ms",
     p99(s["q"]) < t_p99 and clean),
    (f"search rate with {top} attached >= {t_ratio:.0%} of without", f"{s['idle_ratio']:.2f}",
     s["idle_ratio"] >= t_ratio),
    (f"the same while they get {rate} changes/s", f"{s['ratio']:.2f}", s["ratio"] >= t_ratio),
]
width = max(len(c[0]) for c in checks)
print("Targets:")
for label, value, ok in checks:
    print(f"  {label:<{width}} : {value:>10}  {'met' if ok else 'NOT MET'}")
EOF
