#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store tests.
#
#   eval "$(.ci/postgres.sh start)"   # prints: export TOOLGYM_TEST_PG_URL=postgresql+psycopg://...
#   .ci/postgres.sh stop              # stops it and deletes its data directory
#
# start installs PostgreSQL from Debian packages when it is missing, creates a cluster in
# $TOOLGYM_PG_DIR (default /tmp/toolgym-pg, never in the repository) owned by a non-root user
# (initdb refuses root), starts it on 127.0.0.1 on a free port with trust auth, and creates the
# database toolgym_test. Run again while the server is up, it only prints the URL (idempotent).
# Only the export line goes to stdout; progress goes to stderr.
set -euo pipefail

DIR="${TOOLGYM_PG_DIR:-/tmp/toolgym-pg}"
DATA="$DIR/data"
DB=toolgym_test
ROLE=toolgym

say() { echo "postgres.sh: $*" >&2; }

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

install_postgres() {
  [ "$(id -u)" = 0 ] || { say "PostgreSQL is not installed and this is not root: apt-get install postgresql"; exit 1; }
  say "installing PostgreSQL (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
}

# Run a command as the owner of the cluster: `postgres` when we are root, else ourselves.
# From /, which the postgres user can always read (the repository may not be).
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

url() { echo "postgresql+psycopg://$ROLE@127.0.0.1:$(cat "$DIR/port")/$DB"; }

start() {
  local bin
  bin=$(bindir) || { install_postgres; bin=$(bindir); }
  if [ -f "$DIR/port" ] && as_owner "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    say "already running on port $(cat "$DIR/port")"
    echo "export TOOLGYM_TEST_PG_URL=$(url)"
    return
  fi
  if [ ! -f "$DATA/PG_VERSION" ]; then  # none yet, or a half-made one from an interrupted start
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
    say "creating a cluster in $DATA"
    as_owner "$bin/initdb" -D "$DATA" -U "$ROLE" --auth=trust -E UTF8 --no-sync >/dev/null
  fi
  free_port >"$DIR/port"
  say "starting on 127.0.0.1:$(cat "$DIR/port")"
  # a test server: durability off for speed (the tests kill clients, never this server)
  as_owner "$bin/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 30 start \
    -o "-p $(cat "$DIR/port") -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" >&2 \
    || { cat "$DIR/server.log" >&2; exit 1; }
  if ! as_owner "$bin/psql" -h 127.0.0.1 -p "$(cat "$DIR/port")" -U "$ROLE" -d postgres -Atqc \
      "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$(cat "$DIR/port")" -U "$ROLE" "$DB"
  fi
  echo "export TOOLGYM_TEST_PG_URL=$(url)"
}

stop() {
  local bin
  if bin=$(bindir) && [ -f "$DATA/PG_VERSION" ]; then
    as_owner "$bin/pg_ctl" -D "$DATA" -m fast -w stop >&2 || true
  fi
  rm -rf "$DIR"
  say "stopped; removed $DIR"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) say "usage: $0 [start|stop]"; exit 2 ;;
esac
