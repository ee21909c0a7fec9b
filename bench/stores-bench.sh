#!/usr/bin/env bash
# The nearby search and durable bookings on both stores, side by side: runs
# bench/search-bench.sh and bench/booking-bench.sh with STORE=sqlite and STORE=postgresql
# (each against its own fresh database) and prints their RESULT lines as one table.
#
# Not a test: run it by hand on a quiet machine after `meson compile -C build`. Every
# variable of the two benchmarks passes through (ROUNDS, DURATION, BUILD_DIR, ...);
# SEARCH_CONNECTIONS (default "64 256") and BOOKING_CONNECTIONS (default 64) set their
# connection counts, STORES (default "sqlite postgresql") the stores.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STORES=${STORES:-sqlite postgresql}
SEARCH_CONNECTIONS=${SEARCH_CONNECTIONS:-64 256}
BOOKING_CONNECTIONS=${BOOKING_CONNECTIONS:-64}

case ${1:-} in
    -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    "") ;;
    *) echo "stores-bench: unknown argument: $1 (try --help)" >&2; exit 2 ;;
esac

results=$(mktemp "${TMPDIR:-/tmp}/parkade-stores-bench.XXXXXX")
trap 'rm -f "$results"' EXIT

for store in $STORES; do
    echo "==== search, $store ===="
    STORE=$store CONNECTIONS=$SEARCH_CONNECTIONS bash "$script_dir/search-bench.sh" | tee -a "$results"
    echo
    echo "==== bookings, $store ===="
    STORE=$store CONNECTIONS=$BOOKING_CONNECTIONS bash "$script_dir/booking-bench.sh" | tee -a "$results"
    echo
done

python3 - "$results" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1], encoding="utf-8"):
    if not line.startswith("RESULT "):
        continue
    words = line.split()
    kind = words[1]
    fields = dict(w.split("=", 1) for w in words[2:])
    rows.setdefault((kind, fields.get("conns", "")), {})[fields["store"]] = fields
stores = sorted({s for r in rows.values() for s in r})
print("==== Stores side by side (medians) ====")
head = f"{'what':<28}" + "".join(f" | {s:>24}" for s in stores)
print(head)
print("-" * len(head))
for (kind, conns), by_store in sorted(rows.items()):
    if kind == "search":
        label = f"search req/s, {conns} conns"
        cell = lambda f: f"{float(f['req_per_s']):9.1f}  p99 {float(f['p99_ms']):7.2f} ms"
    else:
        label = "bookings/s (201, durable)"
        cell = lambda f: f"{float(f['bookings_per_s']):9.1f}  p99 {float(f['p99_ms']):7.2f} ms"
    print(f"{label:<28}" + "".join(f" | {cell(by_store[s]) if s in by_store else '-':>24}"
                                   for s in stores))
PY
