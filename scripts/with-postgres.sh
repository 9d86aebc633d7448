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
  "${RUN_AS[@]}" "$BIN_DIR/pg_ctl" -D "$WORK/standby" -m immediate stop >/dev/null 2>&1 || true
  "${RUN_AS[@]}" "$BIN_DIR/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"${RUN_AS[@]}" "$BIN_DIR/initdb" -D "$WORK/data" -A trust -U postgres -E UTF8 >/dev/null
"${RUN_AS[@]}" "$BIN_DIR/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w \
  -o "-c listen_addresses='' -k $WORK -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null

export RENJA_TEST_PG_URL="postgresql://postgres@/postgres?host=$WORK"
echo "with-postgres: server at $WORK (socket only)" >&2

# A hot standby of it, fed by streaming replication (pg_basebackup -R writes its primary_conninfo):
# the read replica the web's tests read from (tests/integration/test_web_replica.py). Same socket
# directory, port 5433. Without it those tests are skipped, saying why.
if "${RUN_AS[@]}" "$BIN_DIR/pg_basebackup" -D "$WORK/standby" -R -X stream -c fast -h "$WORK" -p 5432 -U postgres      >"$WORK/standby.log" 2>&1    && "${RUN_AS[@]}" "$BIN_DIR/pg_ctl" -D "$WORK/standby" -l "$WORK/standby-server.log" -w      -o "-c listen_addresses='' -k $WORK -p 5433 -c max_connections=200 -c fsync=off -c hot_standby=on -c hot_standby_feedback=on"      start >/dev/null 2>&1; then
  export RENJA_TEST_PG_STANDBY_URL="postgresql://postgres@/postgres?host=$WORK&port=5433"
  echo "with-postgres: hot standby at $WORK, port 5433" >&2
else
  echo "with-postgres: no hot standby ($(tail -qn 1 "$WORK/standby.log" "$WORK/standby-server.log" 2>/dev/null | tr "\n" " "))" >&2
fi
"$@"
