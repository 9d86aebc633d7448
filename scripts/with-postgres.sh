#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server; its URL is in RENJA_TEST_PG_URL.
# The server listens on a Unix socket only, in a temporary directory, and is stopped
# (and its directory removed) when the command ends, whatever the outcome.
set -euo pipefail

pg_bin() {
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

if ! BIN_DIR=$(pg_bin); then
  # ensure-debian-packages.sh is the one place that calls apt (waiting for the dpkg lock); not
  # as root, it exits 1 saying what to install.
  echo "with-postgres: PostgreSQL server binaries (initdb, pg_ctl) not found; the postgresql package" >&2
  "$(dirname "$0")/ensure-debian-packages.sh" postgresql
  BIN_DIR=$(pg_bin)
fi

WORK=$(mktemp -d /tmp/renja-pg.XXXXXX)
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root: the Debian package's postgres user owns the cluster.
  chown postgres "$WORK"
  RUN_AS=(runuser -u postgres --)
fi
chmod 700 "$WORK"

cleanup() {
  for cluster in standby replica-primary data; do
    "${RUN_AS[@]}" "$BIN_DIR/pg_ctl" -D "$WORK/$cluster" -m immediate stop >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# start_cluster DIR PORT [SETTINGS...]: a server listening on the socket directory only.
start_cluster() {
  local dir=$1 port=$2
  shift 2
  "${RUN_AS[@]}" "$BIN_DIR/pg_ctl" -D "$WORK/$dir" -l "$WORK/$dir.log" -w \
    -o "-c listen_addresses='' -k $WORK -p $port -c max_connections=200 -c fsync=off $*" start >/dev/null
}

"${RUN_AS[@]}" "$BIN_DIR/initdb" -D "$WORK/data" -A trust -U postgres -E UTF8 >/dev/null
start_cluster data 5432 -c synchronous_commit=off -c full_page_writes=off
export RENJA_TEST_PG_URL="postgresql://postgres@/postgres?host=$WORK"
echo "with-postgres: server at $WORK (socket only)" >&2

# A primary and its hot standby fed by streaming replication (pg_basebackup -R writes the
# standby's primary_conninfo): the pair the web's replica tests run on
# (tests/integration/test_web_replica.py). A pair of its own, so that the standby replays only
# those tests' writes and not the whole suite's WAL. Without it those tests are skipped, saying why.
if "${RUN_AS[@]}" "$BIN_DIR/initdb" -D "$WORK/replica-primary" -A trust -U postgres -E UTF8 >"$WORK/standby-setup.log" 2>&1 \
   && start_cluster replica-primary 5434 -c synchronous_commit=off >>"$WORK/standby-setup.log" 2>&1 \
   && "${RUN_AS[@]}" "$BIN_DIR/pg_basebackup" -D "$WORK/standby" -R -X stream -c fast -h "$WORK" -p 5434 -U postgres \
        >>"$WORK/standby-setup.log" 2>&1 \
   && start_cluster standby 5433 -c hot_standby=on -c hot_standby_feedback=on >>"$WORK/standby-setup.log" 2>&1; then
  export RENJA_TEST_PG_REPLICA_PRIMARY_URL="postgresql://postgres@/postgres?host=$WORK&port=5434"
  export RENJA_TEST_PG_STANDBY_URL="postgresql://postgres@/postgres?host=$WORK&port=5433"
  echo "with-postgres: replica pair at $WORK, primary port 5434, hot standby port 5433" >&2
else
  echo "with-postgres: no replica pair ($(tail -qn 1 "$WORK/standby-setup.log" "$WORK/standby.log" 2>/dev/null | tr "\n" " "))" >&2
fi
"$@"
