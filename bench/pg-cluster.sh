# Sourced by the benchmarks: a private PostgreSQL + PostGIS cluster in a directory of the
# benchmark's own, durable as a real one (fsync and synchronous_commit on), for parkd's
# PostgreSQL store (STORE=postgresql). Run as the "postgres" user when the benchmark runs as
# root: PostgreSQL refuses root.
#
#   pg_cluster_start DIR   initdb into DIR/data, postgres on a free loopback port with its
#                          socket in DIR; sets PG_URI to a fresh database "bench"
#   pg_cluster_stop        stops it (also from the benchmark's cleanup)
#   pg_psql SQL            runs SQL on that database, unaligned, tuples only

PG_BINDIR=${PG_BINDIR:-$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)}
pg_cluster_dir=""
pg_cluster_pid=""
PG_URI=""

pg_as_owner() {
    if [[ $(id -u) == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_cluster_start() {
    local dir=$1 port i
    command -v "$PG_BINDIR/initdb" >/dev/null 2>&1 ||
        { echo "pg-cluster: no initdb in $PG_BINDIR (apt-get install postgresql)" >&2; return 1; }
    mkdir -p "$dir"
    chmod 755 "$dir"
    if [[ $(id -u) == 0 ]]; then
        id postgres >/dev/null 2>&1 ||
            { echo "pg-cluster: running as root needs the postgres user (apt-get install postgresql)" >&2; return 1; }
        chown postgres: "$dir"
    fi
    pg_cluster_dir=$dir
    pg_as_owner "$PG_BINDIR/initdb" --auth=trust --username=postgres --encoding=UTF8 \
        --locale=C -D "$dir/data" >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; return 1; }
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    pg_as_owner "$PG_BINDIR/postgres" -D "$dir/data" -p "$port" \
        -c listen_addresses=127.0.0.1 -c "unix_socket_directories=$dir" \
        -c max_connections=200 -c shared_buffers=128MB >"$dir/postgres.log" 2>&1 &
    pg_cluster_pid=$!
    PG_URI="postgresql:///bench?host=$dir&port=$port&user=postgres"
    for ((i = 0; i < 200; i++)); do
        if "$PG_BINDIR/psql" -X -q "postgresql:///postgres?host=$dir&port=$port&user=postgres" \
            -c 'CREATE DATABASE bench' >/dev/null 2>&1; then
            return 0
        fi
        kill -0 "$pg_cluster_pid" 2>/dev/null || break
        sleep 0.05
    done
    cat "$dir/postgres.log" >&2
    return 1
}

pg_cluster_stop() {
    [[ -n $pg_cluster_pid ]] || return 0
    # postgres runs under runuser as root: stop it through its data directory.
    pg_as_owner "$PG_BINDIR/pg_ctl" -D "$pg_cluster_dir/data" -m fast -w stop >/dev/null 2>&1 || true
    wait "$pg_cluster_pid" 2>/dev/null || true
    pg_cluster_pid=""
}

pg_psql() {
    "$PG_BINDIR/psql" -X -A -t -v ON_ERROR_STOP=1 -d "$PG_URI" -c "$1"
}
