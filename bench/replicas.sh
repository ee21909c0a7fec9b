# shellcheck shell=bash
# Sourced by the benchmarks: parkd as REPLICAS identical replicas on one database, as
# README.md's "Running replicas" describes, with a private redis-server between them when
# there are two or more, and with FRONT=nginx the sample site (data/server/parkade-nginx.conf)
# in front of them, over TLS, made runnable on loopback by the generator the tests use
# (tests/support/park-nginx-local.sh). FRONT=none (the default) talks to the one parkd
# directly, as the benchmarks always did.
#
#   replicas_start DIR DB ARG...  starts redis-server (REPLICAS >= 2), the replicas one after
#                                 the other (each "--listen 127.0.0.1:0 --database DB ARG..."),
#                                 then nginx; sets target_url (what wrk and curl talk to,
#                                 without a trailing slash) and parkd_pids, and, behind
#                                 nginx, exports CURL_CA_BUNDLE and
#                                 SSL_CERT_FILE so that curl and python trust its certificate
#   replicas_alive                fails (with a message) when a process of the setup died
#   replicas_memory               "peak_kib rss_kib": VmHWM and VmRSS summed over the replicas
#   replicas_describe             one line: "2 replicas behind nginx (TLS), Redis between them"
#   replicas_stop                 stops all of it (also from the benchmark's cleanup)
#
# Environment: REPLICAS (1), FRONT (none or nginx), NGINX_WORKERS (nginx's worker processes,
# default: the number of CPUs), REDIS_SERVER (redis-server).

REPLICAS=${REPLICAS:-1}
FRONT=${FRONT:-none}
replicas_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
parkd_pids=()
redis_pid=""
front_pid=""
target_url=""
replica_port=""

replicas_check() {
    [[ $REPLICAS =~ ^[1-9][0-9]*$ ]] || { echo "REPLICAS must be a positive integer, got '$REPLICAS'" >&2; return 1; }
    case $FRONT in
        none) ((REPLICAS == 1)) || { echo "REPLICAS=$REPLICAS needs FRONT=nginx (something must spread the load)" >&2; return 1; } ;;
        nginx) ;;
        *) echo "FRONT must be none or nginx, got '$FRONT'" >&2; return 1 ;;
    esac
    if ((REPLICAS > 1)); then
        if ! command -v "${REDIS_SERVER:-redis-server}" >/dev/null 2>&1 ||
            ! command -v redis-cli >/dev/null 2>&1; then
            echo "replicas need redis-server and redis-cli (Debian package: redis-server)" >&2
            return 1
        fi
    fi
    if [[ $FRONT == nginx ]]; then
        command -v openssl >/dev/null 2>&1 || { echo "FRONT=nginx needs openssl (Debian package: openssl)" >&2; return 1; }
    fi
    return 0
}

replicas_describe() {
    local what
    if ((REPLICAS == 1)); then what="1 parkd"; else what="$REPLICAS parkd replicas"; fi
    [[ $FRONT == nginx ]] && what+=" behind nginx (the sample site, TLS)"
    ((REPLICAS > 1)) && what+=", Redis between them"
    printf '%s\n' "$what"
}

# Starts one parkd with its output in DIR/parkd-N.{out,log}; sets replica_port.
replicas_start_one() {
    local dir=$1 n=$2 db=$3 first deadline
    shift 3
    "$PARKD" --listen 127.0.0.1:0 --database "$db" "$@" >"$dir/parkd-$n.out" 2>"$dir/parkd-$n.log" &
    parkd_pids+=("$!")
    deadline=$((SECONDS + ${STARTUP_TIMEOUT:-15}))
    while :; do
        if [[ -s $dir/parkd-$n.out ]]; then
            first=$(head -n1 "$dir/parkd-$n.out")
            if [[ $first =~ ^listening\ on\ http://127\.0\.0\.1:([0-9]+)/$ ]]; then
                replica_port=${BASH_REMATCH[1]}
                return 0
            fi
            echo "unexpected first line from parkd $n: '$first'" >&2
            return 1
        fi
        kill -0 "${parkd_pids[-1]}" 2>/dev/null || { echo "parkd $n exited before announcing its port (see $dir/parkd-$n.log)" >&2; return 1; }
        ((SECONDS < deadline)) || { echo "parkd $n did not announce its port within ${STARTUP_TIMEOUT:-15}s" >&2; return 1; }
        sleep 0.05
    done
}

replicas_start() {
    local dir=$1 db=$2 i port redis_port out upstreams=() extra=()
    shift 2
    replicas_check || return 1
    if ((REPLICAS > 1)); then
        redis_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
        "${REDIS_SERVER:-redis-server}" --port "$redis_port" --bind 127.0.0.1 --save "" \
            --appendonly no --dir "$dir" --daemonize no >"$dir/redis.log" 2>&1 &
        redis_pid=$!
        for ((i = 0; i < 200; i++)); do
            [[ $(redis-cli -p "$redis_port" ping 2>/dev/null) == PONG ]] && break
            kill -0 "$redis_pid" 2>/dev/null || { cat "$dir/redis.log" >&2; return 1; }
            sleep 0.05
        done
        extra+=(--redis "redis://127.0.0.1:$redis_port/0")
    fi
    [[ $FRONT == nginx ]] && extra+=(--trusted-proxies 127.0.0.1)
    for ((i = 1; i <= REPLICAS; i++)); do
        replicas_start_one "$dir" "$i" "$db" "$@" "${extra[@]}" || return 1
        upstreams+=("127.0.0.1:$replica_port")
    done
    # The log of the first under the name the benchmarks always used.
    ln -sf "parkd-1.log" "$dir/parkd.log"
    if [[ $FRONT == none ]]; then
        target_url="http://${upstreams[0]}"
        return 0
    fi

    out=$(NGINX_WORKERS=${NGINX_WORKERS:-$(nproc)} NGINX_WORKER_CONNECTIONS=4096 \
        bash "$replicas_repo/tests/support/park-nginx-local.sh" "$replicas_repo/data/server/parkade-nginx.conf" \
        "$dir/front" "${upstreams[@]}") || return 1
    port=$(sed -n 's/^https_port=//p' <<<"$out")
    "$(sed -n 's/^nginx=//p' <<<"$out")" -p "$dir/front" -e "$dir/front/nginx-error.log" \
        -c "$dir/front/nginx.conf" >>"$dir/front/nginx.stderr" 2>&1 &
    front_pid=$!
    target_url="https://127.0.0.1:$port"
    export CURL_CA_BUNDLE=$dir/front/cert.pem SSL_CERT_FILE=$dir/front/cert.pem
    for ((i = 0; i < 200; i++)); do
        curl -fsS --max-time 2 -o /dev/null "$target_url/health" 2>/dev/null && return 0
        kill -0 "$front_pid" 2>/dev/null || break
        sleep 0.05
    done
    echo "nginx in front did not answer on $target_url (see $dir/front/nginx-error.log)" >&2
    return 1
}

replicas_alive() {
    local i
    for i in "${!parkd_pids[@]}"; do
        kill -0 "${parkd_pids[$i]}" 2>/dev/null ||
            { echo "parkd $((i + 1)) (pid ${parkd_pids[$i]}) died" >&2; return 1; }
    done
    if [[ -n $redis_pid ]] && ! kill -0 "$redis_pid" 2>/dev/null; then
        echo "redis-server (pid $redis_pid) died" >&2
        return 1
    fi
    if [[ -n $front_pid ]] && ! kill -0 "$front_pid" 2>/dev/null; then
        echo "nginx in front (pid $front_pid) died" >&2
        return 1
    fi
    return 0
}

replicas_memory() {
    local pid hwm=0 rss=0 h r
    for pid in "${parkd_pids[@]}"; do
        h=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status") || return 1
        r=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status") || return 1
        [[ -n $h && -n $r ]] || return 1
        hwm=$((hwm + h)) rss=$((rss + r))
    done
    printf '%s %s\n' "$hwm" "$rss"
}

replicas_stop_pid() {
    local pid=$1 i
    [[ -n $pid ]] || return 0
    kill -TERM "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
}

replicas_stop() {
    local pid
    replicas_stop_pid "$front_pid"
    front_pid=""
    for pid in "${parkd_pids[@]}"; do
        replicas_stop_pid "$pid"
    done
    parkd_pids=()
    replicas_stop_pid "$redis_pid"
    redis_pid=""
}
