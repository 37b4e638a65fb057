#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster.
#
#   scripts/with-postgres.sh CMD [ARGS...]
#
# Creates a temporary cluster (initdb), starts it on 127.0.0.1 with a free
# port plus a unix socket inside the temporary directory, creates the role
# and database "guanai", exports
#
#   DATABASE_URL=postgres://guanai:guanai@127.0.0.1:PORT/guanai
#   WITH_POSTGRES_SOCKET_DIR=<socket dir>   WITH_POSTGRES_PORT=<port>
#
# runs CMD, then stops the cluster, deletes its directory and exits with CMD's
# exit status. The role is a superuser (Django's test runner creates
# test_guanai). Authentication is "trust": the password is accepted but never
# checked.
#
# Environment:
#   PG_BIN                   directory holding initdb/pg_ctl (default: found)
#   WITH_POSTGRES_OPTIONAL=1 exit 0 without running CMD when no PostgreSQL
#                            server binaries are installed (default: exit 1)
#
# As root, the server runs as the "postgres" system user, or as a system user
# "guanai-pg" created on first use (initdb and postgres refuse to run as root).
set -euo pipefail

readonly DB_NAME=guanai
readonly DB_USER=guanai
readonly DB_PASSWORD=guanai

log() { printf 'with-postgres: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

# --- locate the server binaries ------------------------------------------
find_bindir() {
    local dir candidate
    if [ -n "${PG_BIN:-}" ]; then
        if [ -x "$PG_BIN/initdb" ]; then
            printf '%s\n' "$PG_BIN"
            return 0
        fi
        log "PG_BIN=$PG_BIN has no initdb"
        return 1
    fi
    if command -v pg_config >/dev/null 2>&1; then
        dir=$(pg_config --bindir 2>/dev/null || true)
        if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
            printf '%s\n' "$dir"
            return 0
        fi
    fi
    candidate=$(
        for dir in /usr/lib/postgresql/*/bin; do
            [ -x "$dir/initdb" ] && printf '%s\n' "$dir"
        done | sort -V | tail -n 1
    )
    if [ -n "$candidate" ]; then
        printf '%s\n' "$candidate"
        return 0
    fi
    return 1
}

if ! bindir=$(find_bindir); then
    echo "PostgreSQL server binaries not found; skipping PostgreSQL run" >&2
    if [ "${WITH_POSTGRES_OPTIONAL:-0}" = 1 ]; then
        exit 0
    fi
    exit 1
fi
for tool in initdb pg_ctl postgres; do
    [ -x "$bindir/$tool" ] || die "$bindir/$tool is missing"
done

# --- who runs the server ----------------------------------------------------
pg_user=""
if [ "$(id -u)" -eq 0 ]; then
    command -v runuser >/dev/null 2>&1 || die "runuser (util-linux) is required when running as root"
    if id -u postgres >/dev/null 2>&1; then
        pg_user=postgres
    else
        pg_user=guanai-pg
        if ! id -u "$pg_user" >/dev/null 2>&1; then
            # A concurrent run may create it at the same moment: re-check.
            useradd --system --no-create-home --home-dir /nonexistent "$pg_user" >/dev/null 2>&1 \
                || id -u "$pg_user" >/dev/null 2>&1 \
                || die "could not create system user $pg_user"
        fi
    fi
fi

# Run a server-side tool as the server's user, from a directory it can read.
as_pg() {
    if [ -n "$pg_user" ]; then
        (cd "$tmp" && runuser -u "$pg_user" -- "$@")
    else
        (cd "$tmp" && "$@")
    fi
}

# --- temporary directory and cleanup ---------------------------------------
tmp=""
datadir=""
started=0
child=""
got_signal=0

# shellcheck disable=SC2317  # invoked via trap
cleanup() {
    local status=$?
    trap - EXIT INT TERM HUP
    set +e
    if [ "$started" = 1 ] && [ -f "$datadir/postmaster.pid" ]; then
        if ! as_pg "$bindir/pg_ctl" -D "$datadir" -m immediate -w -t 30 stop >/dev/null 2>&1; then
            local pid
            pid=$(head -n 1 "$datadir/postmaster.pid" 2>/dev/null)
            if [ -n "$pid" ]; then
                kill -KILL "$pid" 2>/dev/null
            fi
        fi
    fi
    if [ -n "$tmp" ] && [ -d "$tmp" ]; then
        rm -rf -- "$tmp"
    fi
    exit "$status"
}

# INT from a terminal reaches CMD directly (same process group): just wait for
# it. TERM and HUP are forwarded to CMD. Either way cleanup runs afterwards.
# shellcheck disable=SC2317  # invoked via trap
on_signal() {
    local sig=$1
    got_signal=1
    if [ -n "$child" ] && [ "$sig" != INT ]; then
        kill -s "$sig" "$child" 2>/dev/null || true
    elif [ -z "$child" ]; then
        case $sig in
            INT) exit 130 ;;
            HUP) exit 129 ;;
            *) exit 143 ;;
        esac
    fi
}

trap cleanup EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
trap 'on_signal HUP' HUP

make_tmp() {
    local base=$1
    tmp=$(mktemp -d "$base/guanai-pg.XXXXXX") || return 1
    if [ -n "$pg_user" ]; then
        chown "$pg_user" "$tmp" || return 1
        if ! runuser -u "$pg_user" -- test -w "$tmp" 2>/dev/null; then
            rm -rf -- "$tmp"
            tmp=""
            return 1
        fi
    fi
}

# The socket path (DIR/sock/.s.PGSQL.PORT) must stay under ~107 bytes.
base=${TMPDIR:-/tmp}
if [ "${#base}" -gt 60 ] || [ ! -d "$base" ] || ! make_tmp "$base"; then
    make_tmp /tmp || die "could not create a temporary directory"
fi
datadir=$tmp/data
sockdir=$tmp/sock
logfile=$tmp/postgres.log
as_pg mkdir -m 0700 "$sockdir"

# --- initdb -------------------------------------------------------------------
locale=C
if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    locale=C.UTF-8
fi

printf '%s\n' "$DB_PASSWORD" >"$tmp/pwfile"
[ -z "$pg_user" ] || chown "$pg_user" "$tmp/pwfile"
if ! as_pg "$bindir/initdb" -D "$datadir" --username="$DB_USER" --pwfile="$tmp/pwfile" \
    --auth=trust --encoding=UTF8 --locale="$locale" --no-sync >"$tmp/initdb.log" 2>&1; then
    cat "$tmp/initdb.log" >&2
    die "initdb failed"
fi
rm -f "$tmp/pwfile"

cat >>"$datadir/postgresql.conf" <<EOF

# with-postgres.sh: throwaway test cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sockdir'
max_connections = 50
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

# --- start on a free port (retry if another process grabs it first) ------------
free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
    else
        echo $((20000 + RANDOM % 40000))
    fi
}

port=""
for attempt in 1 2 3 4 5; do
    port=$(free_port)
    started=1
    if as_pg "$bindir/pg_ctl" -D "$datadir" -l "$logfile" -o "-p $port" -w -t 60 start >/dev/null 2>&1; then
        break
    fi
    started=0
    if [ "$attempt" = 5 ]; then
        tail -n 30 "$logfile" >&2 || true
        die "PostgreSQL failed to start"
    fi
    log "start on port $port failed (attempt $attempt), retrying"
    as_pg "$bindir/pg_ctl" -D "$datadir" -m immediate -w stop >/dev/null 2>&1 || true
done

pg_isready=$bindir/pg_isready
[ -x "$pg_isready" ] || pg_isready=$(command -v pg_isready || true)
if [ -n "$pg_isready" ]; then
    for _ in $(seq 1 100); do
        "$pg_isready" -q -h 127.0.0.1 -p "$port" && break
        sleep 0.1
    done
    "$pg_isready" -q -h 127.0.0.1 -p "$port" || die "PostgreSQL is not accepting connections on port $port"
fi

psql=$bindir/psql
[ -x "$psql" ] || psql=$(command -v psql) || die "psql not found"
if ! "$psql" -X -q -v ON_ERROR_STOP=1 -h "$sockdir" -p "$port" -U "$DB_USER" -d postgres \
    -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >/dev/null; then
    die "could not create database $DB_NAME"
fi
version=$("$psql" -X -At -h "$sockdir" -p "$port" -U "$DB_USER" -d "$DB_NAME" -c 'SHOW server_version')

export DATABASE_URL="postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$port/$DB_NAME"
export WITH_POSTGRES_SOCKET_DIR=$sockdir
export WITH_POSTGRES_PORT=$port
log "PostgreSQL $version ready at 127.0.0.1:$port (socket $sockdir), database $DB_NAME, superuser $DB_USER${pg_user:+, server user $pg_user}"

# --- run the command ------------------------------------------------------------
# In the background so TERM can be forwarded and cleanup still runs; restore
# default INT/QUIT handling (bash ignores them in background jobs) and keep stdin.
(
    trap - INT QUIT
    exec "$@"
) <&0 &
child=$!
set +e
got_signal=0
wait "$child"
rc=$?
# A trapped signal interrupts `wait`; wait again for CMD's own status.
while [ "$got_signal" = 1 ]; do
    got_signal=0
    wait "$child" 2>/dev/null
    status=$?
    [ "$status" -eq 127 ] && break # already collected
    rc=$status
done
set -e
exit "$rc"
