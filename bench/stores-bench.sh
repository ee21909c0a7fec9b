#!/usr/bin/env bash
# The nearby search and durable bookings on each store and setup, side by side: runs
# bench/search-bench.sh and bench/booking-bench.sh once per setup (each against its own
# fresh database) and prints their RESULT lines as one table, a row per setup.
#
# Setups (SETUPS, default all four): sqlite (one parkd, SQLite), postgresql (one parkd,
# PostgreSQL), postgresql-nginx (one parkd behind nginx), postgresql-nginx-2 (two replicas
# behind nginx, Redis between them); NAME-nginx-N for N replicas of either store.
#
# Not a test: run it by hand on a quiet machine after `meson compile -C build`. Every
# variable of the two benchmarks passes through (ROUNDS, DURATION, BUILD_DIR, ...);
# SEARCH_CONNECTIONS (default "64 256") and BOOKING_CONNECTIONS (default 64) set their
# connection counts. On the 2-core reference machine a run with the defaults takes about
# 17 minutes; DURATION=2 ROUNDS=1 WARMUP=1 SEARCH_CONNECTIONS=64 took 7 (mostly generating
# the 10,000-lot databases and starting the clusters).
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SETUPS=${SETUPS:-${STORES:-sqlite postgresql postgresql-nginx postgresql-nginx-2}}
SEARCH_CONNECTIONS=${SEARCH_CONNECTIONS:-64 256}
BOOKING_CONNECTIONS=${BOOKING_CONNECTIONS:-64}

case ${1:-} in
    -h | --help) sed -n '2,/^[^#]/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    "") ;;
    *) echo "stores-bench: unknown argument: $1 (try --help)" >&2; exit 2 ;;
esac

# "postgresql-nginx-2" -> STORE=postgresql FRONT=nginx REPLICAS=2
setup_env() {
    if [[ $1 =~ ^(sqlite|postgresql)(-nginx(-([1-9][0-9]*))?)?$ ]]; then
        local front=none replicas=1
        [[ -n ${BASH_REMATCH[2]} ]] && front=nginx
        [[ -n ${BASH_REMATCH[4]} ]] && replicas=${BASH_REMATCH[4]}
        printf 'STORE=%s FRONT=%s REPLICAS=%s\n' "${BASH_REMATCH[1]}" "$front" "$replicas"
    else
        echo "stores-bench: unknown setup '$1' (sqlite, postgresql, NAME-nginx, NAME-nginx-N)" >&2
        return 1
    fi
}
for setup in $SETUPS; do
    setup_env "$setup" >/dev/null || exit 2
done

results=$(mktemp "${TMPDIR:-/tmp}/parkade-stores-bench.XXXXXX")
trap 'rm -f "$results"' EXIT
started=$SECONDS

for setup in $SETUPS; do
    read -r store front replicas < <(setup_env "$setup" | sed 's/[A-Z]*=//g')
    echo "==== search, $setup ===="
    STORE=$store FRONT=$front REPLICAS=$replicas CONNECTIONS=$SEARCH_CONNECTIONS \
        bash "$script_dir/search-bench.sh" | tee -a "$results"
    echo
    echo "==== bookings, $setup ===="
    STORE=$store FRONT=$front REPLICAS=$replicas CONNECTIONS=$BOOKING_CONNECTIONS \
        bash "$script_dir/booking-bench.sh" | tee -a "$results"
    echo
done
echo "(all setups took $((SECONDS - started)) s)"
echo

python3 - "$results" <<'PY'
import sys

def label(f):
    store = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[f["store"]]
    n = int(f.get("replicas", "1"))
    if f.get("front", "none") == "none":
        return f"{store}, direct"
    return f"{store}, {n} replica{'s' if n > 1 else ''} behind nginx"

rows, order, conns = {}, [], []
for line in open(sys.argv[1], encoding="utf-8"):
    if not line.startswith("RESULT "):
        continue
    words = line.split()
    fields = dict(w.split("=", 1) for w in words[2:])
    name = label(fields)
    if name not in rows:
        rows[name] = {}
        order.append(name)
    if words[1] == "search":
        rows[name][("search", fields["conns"])] = fields
        if fields["conns"] not in conns:
            conns.append(fields["conns"])
    else:
        rows[name][("booking", "")] = fields

def cell(f, key, width):
    if f is None:
        return f"{'-':>{width}}"
    return f"{float(f[key]):9.1f}  p99 {float(f['p99_ms']):6.1f} ms".rjust(width)

titles = [(("search", c), "req_per_s", f"search req/s, {c} conns") for c in conns]
titles.append((("booking", ""), "bookings_per_s", "bookings/s (201, durable)"))
head = f"{'setup':<36}" + "".join(f" | {t:>25}" for _, _, t in titles)
print("==== Setups side by side (medians) ====")
print(head)
print("-" * len(head))
for name in order:
    print(f"{name:<36}" + "".join(" | " + cell(rows[name].get(k), key, 25)
                                  for k, key, _ in titles))
print()
print("Behind nginx the clients speak TLS to nginx (the sample site), nginx plain HTTP to parkd;")
print("with two or more replicas they share the database and a Redis. Every process shares")
print("the same cores as wrk: read the rows as what the hops cost, not as a cluster's capacity.")
PY
