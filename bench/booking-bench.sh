#!/usr/bin/env bash
# Benchmark for parkd's bookings (POST /api/v1/reservations): durable bookings per second.
#
# Not a test: run it by hand on a quiet machine (reference: 2-core Debian 12).
# It generates a synthetic database, starts parkd (SQLite with synchronous=FULL: each
# answered booking is on disk), registers a driver, fetches the spot ids and drives
# bookings that never conflict with wrk: every request books another spot or another
# half-hour. Only 201 answers count; any other answer fails the run.
#
# Usage: bash bench/booking-bench.sh [--help]
# See bench/README.md for the environment variables.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: bash bench/booking-bench.sh [--help]

Benchmarks parkd's bookings: non-conflicting POST /api/v1/reservations driven by
wrk, durable (SQLite synchronous=FULL). Run it on a quiet machine after
`meson compile -C build`.

Options:
  -h, --help     show this help

Environment (defaults in brackets):
  BUILD_DIR      build directory [<repo>/build]
  PARKD          parkd binary [$BUILD_DIR/backend/parkd]
  LOTS           lots to generate [100]
  SPOTS_PER_LOT  spots per lot [200]
  SEED           generator seed [42]
  ROUNDS         measured rounds [3]
  DURATION       seconds per wrk run [10]
  WARMUP         seconds of warm-up (bookings too, not counted) [2]
  CONNECTIONS    wrk connections [64]
  THREADS        wrk threads [2]
  PARKD_ARGS     extra server options, e.g. "--threads 2" [none]
  KEEP_TMP       1 = keep the temp dir (database, logs, wrk output) [0]
  STORE          sqlite, or postgresql: a private PostgreSQL + PostGIS cluster in the
                 temp dir, durable (fsync, synchronous_commit on) [sqlite]
  FRONT          none (wrk talks to parkd), or nginx: the sample site in front over TLS
                 (bench/replicas.sh) [none]
  REPLICAS       parkd replicas on the one database, Redis between them when 2 or more;
                 more than 1 needs FRONT=nginx [1]
EOF
}

for arg in "$@"; do
    case $arg in
        -h | --help) usage; exit 0 ;;
        *) echo "booking-bench: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)

BUILD_DIR=${BUILD_DIR:-$repo_root/build}
PARKD=${PARKD:-$BUILD_DIR/backend/parkd}
LOTS=${LOTS:-100}
SPOTS_PER_LOT=${SPOTS_PER_LOT:-200}
SEED=${SEED:-42}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
KEEP_TMP=${KEEP_TMP:-0}
PARKD_ARGS=${PARKD_ARGS:-}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-15}
STORE=${STORE:-sqlite}
# shellcheck source=bench/pg-cluster.sh
source "$script_dir/pg-cluster.sh"
# shellcheck source=bench/replicas.sh
source "$script_dir/replicas.sh"

# Targets, at CONNECTIONS connections.
TARGET_BOOKINGS=2500
TARGET_P99_MS=50

# Each run (the warm-up is run 0) books in its own day of half-hours: run r uses the
# half-hours of day r + 1 after tomorrow's 00:00 UTC, so no two bookings of the whole
# benchmark ever overlap, and all start within parkd's 180 days.
SLOTS_PER_RUN=48
PASSWORD=Kestrel-Harbour-42

tmp=""

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
    printf 'booking-bench: error: %s\n' "$*" >&2
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
    replicas_stop
    pg_cluster_stop
    if [[ -n $tmp && -d $tmp ]]; then
        if [[ $KEEP_TMP == 1 ]]; then
            log "temp dir kept: $tmp"
        else
            if ((rc != 0)); then
                show_log "$tmp/parkd.log" "parkd stderr"
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
for v in LOTS SPOTS_PER_LOT SEED ROUNDS DURATION WARMUP CONNECTIONS THREADS STARTUP_TIMEOUT; do
    is_uint "${!v}" || die "$v must be a non-negative integer, got '${!v}'"
done
((ROUNDS >= 1)) || die "ROUNDS must be >= 1"
((ROUNDS <= 100)) || die "ROUNDS must be <= 100 (each run books its own day, within 180 days)"
((DURATION >= 1)) || die "DURATION must be >= 1"
((THREADS >= 1)) || die "THREADS must be >= 1"
((CONNECTIONS >= THREADS)) || die "CONNECTIONS ($CONNECTIONS) must be >= THREADS ($THREADS)"

missing=()
command -v wrk >/dev/null 2>&1 || missing+=("wrk (Debian package: wrk)")
command -v curl >/dev/null 2>&1 || missing+=("curl (Debian package: curl)")
command -v python3 >/dev/null 2>&1 || missing+=("python3 (Debian package: python3)")
command -v sqlite3 >/dev/null 2>&1 || missing+=("sqlite3 (Debian package: sqlite3)")
case $STORE in
    sqlite) ;;
    postgresql)
        [[ -x $PG_BINDIR/initdb ]] || missing+=("PostgreSQL (Debian packages: postgresql postgresql-15-postgis-3)")
        ;;
    *) die "STORE must be sqlite or postgresql, got '$STORE'" ;;
esac
if ((${#missing[@]} > 0)); then
    printf 'booking-bench: error: missing required programs:\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    printf 'install with: apt-get install wrk curl python3 sqlite3\n' >&2
    exit 1
fi
replicas_check || die "bad FRONT or REPLICAS"
[[ -x $PARKD ]] || die "parkd not found or not executable at '$PARKD' (build with 'meson compile -C build', or set PARKD=/path/to/parkd or BUILD_DIR)"

# ---------------------------------------------------------------- setup

tmp=$(mktemp -d "${TMPDIR:-/tmp}/parkade-booking-bench.XXXXXX")

log "== Parkade booking benchmark =="
log "date:        $(date -u +%Y-%m-%dT%H:%M:%SZ)"
log "host:        $(uname -srm), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
log "disk:        $(df -hT "$tmp" | awk 'NR == 2 {print $2 " (" $1 ")"}') for $tmp"
log "git:         $(git -C "$repo_root" describe --always --dirty 2>/dev/null || echo unknown)"
log "wrk:         $(wrk --version 2>&1 | head -n1 | cut -d' ' -f1-2)"
log "parkd:       $PARKD${PARKD_ARGS:+ $PARKD_ARGS}"
log "store:       $STORE"
log "setup:       $(replicas_describe)"
log "settings:    LOTS=$LOTS SPOTS_PER_LOT=$SPOTS_PER_LOT SEED=$SEED ROUNDS=$ROUNDS DURATION=${DURATION}s CONNECTIONS=$CONNECTIONS THREADS=$THREADS"
log ""

# 1. database
db=$tmp/bench.db
if [[ $STORE == postgresql ]]; then
    chmod 755 "$tmp"   # the cluster runs as postgres under root: it must reach its directory
    pg_cluster_start "$tmp/pg" || die "could not start the PostgreSQL cluster"
    db=$PG_URI
    # A server's URI is no place for the key file: the temp dir is.
    PARKD_ARGS="$PARKD_ARGS --keys-file $tmp/parkd.keys"
    log "PostgreSQL $("$PG_BINDIR/postgres" --version | awk '{print $3}') in $tmp/pg"
fi
log "generating database: $LOTS lots x $SPOTS_PER_LOT spots ..."
if ! "$PARKD" generate --database "$db" --lots "$LOTS" --spots-per-lot "$SPOTS_PER_LOT" \
    --seed "$SEED" >"$tmp/generate.out" 2>"$tmp/generate.err"; then
    show_log "$tmp/generate.out" "parkd generate stdout"
    show_log "$tmp/generate.err" "parkd generate stderr"
    die "parkd generate failed"
fi
sed 's/^/  parkd: /' "$tmp/generate.out"

# 2. server. wrk is one client address and one account sending thousands of requests a
# second, which the rate limits exist to stop: they are off here.
read -r -a parkd_args <<<"$PARKD_ARGS"
replicas_start "$tmp" "$db" --rate-limit 0 --account-rate-limit 0 --auth-rate-limit 0 \
    "${parkd_args[@]}" || die "could not start $(replicas_describe)"
base_url=$target_url
log "$(replicas_describe): $base_url (parkd pids ${parkd_pids[*]})"

# 3. a driver, and every bookable spot, written as a Lua table for wrk
email="bench-$$@example.org"
curl -fsS --max-time 30 -H 'Content-Type: application/json' -o "$tmp/register.json" \
    -d "{\"email\":\"$email\",\"password\":\"$PASSWORD\",\"first_name\":\"Bench\",\"last_name\":\"Driver\"}" \
    "$base_url/api/v1/auth/register" || die "could not register the driver"

python3 - "$base_url" "$tmp/spots.lua" "$LOTS" <<'EOF' || die "could not fetch the spot ids"
import json, sys, urllib.request
base, out, want_lots = sys.argv[1], sys.argv[2], int(sys.argv[3])

def get(path):
    with urllib.request.urlopen(base + path, timeout=30) as r:
        return json.load(r)

def pages(path):
    page = 1
    while True:
        sep = "&" if "?" in path else "?"
        doc = get(f"{path}{sep}per_page=100&page={page}")
        yield from doc["items"]
        if not doc.get("has_next"):
            return
        page += 1

# The generator's area: 10 km around its default centre.
lots = [l["id"] for l in pages("/api/v1/parking-lots?lat=51.0504&lng=13.7373&radius=100000")]
if len(lots) != want_lots:
    sys.exit(f"booking-bench: the search finds {len(lots)} lots, the database has {want_lots}")
spots = [s["id"] for lot in lots for s in pages(f"/api/v1/parking-lots/{lot}/spots")
         if s["state"] != "out_of_service"]
if not spots:
    sys.exit("booking-bench: no bookable spot")
with open(out, "w") as f:
    f.write("return {\n")
    f.writelines(f'"{s}",\n' for s in spots)
    f.write("}\n")
print(f"  {len(lots)} lots, {len(spots)} bookable spots")
EOF
n_spots=$(grep -c '^"' "$tmp/spots.lua")

# Bookings start at tomorrow's 00:00 UTC (plus one day per run).
base_epoch=$(( ($(date -u +%s) / 86400 + 1) * 86400 ))
log "bookings start at $(date -u -d "@$base_epoch" +%Y-%m-%dT%H:%M:%SZ), 30 minutes each"

# 4. the wrk script: request g of a run books spot g mod N for half-hour g div N of that
# run's day; the threads interleave g, so no two requests are the same booking.
cat >"$tmp/book.lua" <<'EOF'
-- Generated by bench/booking-bench.sh. Arguments: spots file, token, first start (epoch),
-- run number, half-hours per run, wrk threads.
local threads = {}
local next_id = 0

function setup(thread)
    thread:set("id", next_id)
    next_id = next_id + 1
    table.insert(threads, thread)
end

function init(args)
    spots = dofile(args[1])
    token = args[2]
    first_slot = tonumber(args[3]) + tonumber(args[4]) * tonumber(args[5]) * 1800
    slots_per_run = tonumber(args[5])
    n_threads = tonumber(args[6])
    sent = 0
    created = 0
    others = 0
    first_error = ""
    headers = {
        ["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. token,
    }
end

local function stamp(t)
    return os.date("!%Y-%m-%dT%H:%M:%SZ", t)
end

function request()
    local g = sent * n_threads + id
    sent = sent + 1
    local slot = math.floor(g / #spots)
    if slot >= slots_per_run then
        -- Out of distinct bookings for this run: say so rather than conflict.
        error("run exhausted its " .. (#spots * slots_per_run) .. " distinct bookings")
    end
    local start = first_slot + slot * 1800
    local body = string.format('{"parking_spot_id":"%s","start_time":"%s","end_time":"%s"}',
                               spots[(g % #spots) + 1], stamp(start), stamp(start + 1800))
    return wrk.format("POST", "/api/v1/reservations", headers, body)
end

function response(status, hdrs, body)
    if status == 201 then
        created = created + 1
    else
        others = others + 1
        if first_error == "" then
            first_error = status .. " " .. string.sub(body or "", 1, 300)
        end
    end
end

function done(summary, latency, requests)
    local c, o, err = 0, 0, ""
    for _, t in ipairs(threads) do
        c = c + t:get("created")
        o = o + t:get("others")
        if err == "" then
            err = t:get("first_error")
        end
    end
    io.write(string.format("BENCH created=%d others=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d\n",
                           c, o, summary.duration, latency:percentile(50),
                           latency:percentile(99), latency.max))
    if err ~= "" then
        io.write("BENCH first_error=" .. err:gsub("\n", " ") .. "\n")
    end
end
EOF

# A fresh access token (they last 15 minutes) for each run.
token_for_run() {
    curl -fsS --max-time 30 -H 'Content-Type: application/json' \
        -d "{\"email\":\"$email\",\"password\":\"$PASSWORD\"}" "$base_url/api/v1/auth/login" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

check_alive() {
    replicas_alive || die "the setup under test lost a process during the benchmark"
}

# Runs wrk for run $1 for $2 seconds into $3; fails loudly on any answer but 201.
run_wrk() {
    local run=$1 seconds=$2 out=$3 token non2xx sockerr
    token=$(token_for_run) || die "could not sign in the driver"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency -s "$tmp/book.lua" "$base_url" \
        -- "$tmp/spots.lua" "$token" "$base_epoch" "$run" "$SLOTS_PER_RUN" "$THREADS" \
        >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed (run $run)"; }
    check_alive
    grep -q '^BENCH created=' "$out" || { cat "$out" >&2; die "no BENCH line in the wrk output (run $run)"; }
    non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' "$out")
    sockerr=$(sed -n 's/^ *Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p' "$out")
    if [[ -n $non2xx && $non2xx != 0 ]] || grep -q '^BENCH first_error=' "$out" ||
        ! grep -q '^BENCH created=[0-9]* others=0 ' "$out"; then
        cat "$out" >&2
        die "run $run: parkd answered ${non2xx:-some} requests with something else than 201 (see above); the numbers would not be bookings"
    fi
    if [[ -n $sockerr && $sockerr != "0 0 0 0" ]]; then
        cat "$out" >&2
        die "run $run: wrk reported socket errors (connect read write timeout: $sockerr)"
    fi
}

# ---------------------------------------------------------------- measuring

log ""
if ((WARMUP > 0)); then
    log "warm-up: ${WARMUP}s, $CONNECTIONS connections (bookings, not counted)"
    run_wrk 0 "$WARMUP" "$tmp/wrk-warmup.txt"
    sed -n 's/^BENCH //p' "$tmp/wrk-warmup.txt" | sed 's/^/  /'
fi

results=$tmp/results.tsv
: >"$results"
for ((r = 1; r <= ROUNDS; r++)); do
    out=$tmp/wrk-r$r.txt
    run_wrk "$r" "$DURATION" "$out"
    line=$(sed -n 's/^BENCH \(created=.*\)$/\1/p' "$out")
    created=$(sed -n 's/.*created=\([0-9]*\).*/\1/p' <<<"$line")
    duration_us=$(sed -n 's/.*duration_us=\([0-9]*\).*/\1/p' <<<"$line")
    p50_us=$(sed -n 's/.*p50_us=\([0-9]*\).*/\1/p' <<<"$line")
    p99_us=$(sed -n 's/.*p99_us=\([0-9]*\).*/\1/p' <<<"$line")
    max_us=$(sed -n 's/.*max_us=\([0-9]*\).*/\1/p' <<<"$line")
    read -r rate seconds p50_ms p99_ms max_ms < <(awk -v c="$created" -v d="$duration_us" \
        -v a="$p50_us" -v b="$p99_us" -v m="$max_us" \
        'BEGIN { printf "%.1f %.2f %.2f %.2f %.2f\n", c / (d / 1e6), d / 1e6, a / 1e3, b / 1e3, m / 1e3 }')
    printf '[%d/%d] c=%s  %10s bookings/s  (%s booked in %s s)  p50 %8s ms  p99 %8s ms  max %8s ms\n' \
        "$r" "$ROUNDS" "$CONNECTIONS" "$rate" "$created" "$seconds" "$p50_ms" "$p99_ms" "$max_ms"
    printf '%s\t%s\t%s\t%s\t%s\n' "$r" "$rate" "$p50_us" "$p99_us" "$created" >>"$results"
done
log ""

# 5. memory
check_alive
read -r hwm_kib rss_kib < <(replicas_memory) ||
    die "could not read VmHWM/VmRSS of parkd from /proc/PID/status"

# 6. what is on disk: every booking answered 201 (and at most the requests still in flight
# when each run ended), and no two bookings of a spot overlapping.
answered=$(awk -F'\t' '{s += $5} END {print s}' "$results")
warm=$(sed -n 's/^BENCH created=\([0-9]*\).*/\1/p' "$tmp/wrk-warmup.txt" 2>/dev/null || true)
answered=$((answered + ${warm:-0}))
runs=$((ROUNDS + (WARMUP > 0 ? 1 : 0)))
count_sql="SELECT count(*) FROM reservations"
overlap_sql="SELECT count(*) FROM reservations a JOIN reservations b
    ON b.spot_pk = a.spot_pk AND b.pk > a.pk AND b.start_time < a.end_time AND a.start_time < b.end_time"
if [[ $STORE == postgresql ]]; then
    on_disk=$(pg_psql "$count_sql") || die "could not count the reservations"
    overlaps=$(pg_psql "$overlap_sql") || die "could not check the reservations for overlaps"
else
    on_disk=$(sqlite3 -readonly "$db" "$count_sql") ||
        die "could not count the reservations in $db"
    overlaps=$(sqlite3 -readonly "$db" "$overlap_sql") ||
        die "could not check the reservations for overlaps"
fi
log "database: $on_disk reservations for $answered answered 201 (at most $((runs * CONNECTIONS)) more in flight), $overlaps overlapping pairs"
((on_disk >= answered && on_disk <= answered + runs * CONNECTIONS)) ||
    die "the database has $on_disk reservations for $answered bookings answered 201"
((overlaps == 0)) || die "$overlaps pairs of reservations of one spot overlap"
log ""

# 7. summary
python3 - "$results" "$hwm_kib" "$rss_kib" "$ROUNDS" "$DURATION" "$THREADS" "$CONNECTIONS" \
    "$TARGET_BOOKINGS" "$TARGET_P99_MS" "$n_spots" "$STORE" "$FRONT" "$REPLICAS" <<'EOF'
import statistics, sys
(path, hwm_kib, rss_kib, rounds, duration, threads, conns, target_rate, target_p99,
 n_spots, store, front, replicas) = sys.argv[1:]
target_rate, target_p99 = float(target_rate), float(target_p99)
rows = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8")]
rates = [float(r[1]) for r in rows]
p50s = [int(r[2]) / 1000 for r in rows]
p99s = [int(r[3]) / 1000 for r in rows]
rate, p50, p99 = statistics.median(rates), statistics.median(p50s), statistics.median(p99s)
durable = ("SQLite synchronous=FULL" if store == "sqlite"
           else "PostgreSQL fsync=on synchronous_commit=on")
print(f"== Summary: median of {rounds} round(s), wrk -t{threads} -c{conns} -d{duration}s, "
      f"{n_spots} spots, {durable} ==")
print(f"bookings/s (201 only): {rate:10.1f}   (rounds: {', '.join(f'{r:.1f}' for r in rates)})")
print(f"p50 latency:           {p50:10.2f} ms")
print(f"p99 latency:           {p99:10.2f} ms (rounds: {', '.join(f'{p:.2f}' for p in p99s)})")
hwm_mib, rss_mib = int(hwm_kib) / 1024, int(rss_kib) / 1024
print(f"parkd memory: peak RSS (VmHWM) {hwm_mib:.1f} MiB, current RSS (VmRSS) {rss_mib:.1f} MiB")
print()
checks = [
    (f"bookings/s at {conns} connections >= {target_rate:g}", f"{rate:.1f}", rate >= target_rate),
    (f"p99 latency at {conns} connections < {target_p99:g} ms", f"{p99:.2f} ms", p99 < target_p99),
]
width = max(len(c[0]) for c in checks)
print("Targets:")
for label, value, ok in checks:
    print(f"  {label:<{width}} : {value:>10}  {'met' if ok else 'NOT MET'}")
# One line for bench/stores-bench.sh to put the stores side by side.
print(f"RESULT booking store={store} front={front} replicas={replicas} bookings_per_s={rate:.1f} p50_ms={p50:.2f} p99_ms={p99:.2f} "
      f"peak_rss_mib={hwm_mib:.1f}")
EOF
