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
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "with-postgres: installing the Debian postgresql package" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    BIN_DIR=$(pg_bin)
  else
    echo "with-postgres: PostgreSQL server binaries (initdb, pg_ctl) not found; install the postgresql package" >&2
    exit 1
  fi
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
"$@"
