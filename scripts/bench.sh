#!/usr/bin/env bash
# The benchmark on SQLite and on a throwaway PostgreSQL server: $EVENTS events each
# (default 200000), figures in bench-sqlite.json and bench-pg.json.
set -euo pipefail
export EVENTS=${EVENTS:-200000}
.venv/bin/renja bench --events "$EVENTS" --json bench-sqlite.json
scripts/with-postgres.sh bash -c '
  socket=${RENJA_TEST_PG_URL##*host=}
  .venv/bin/python -c "import psycopg, sys; psycopg.connect(host=sys.argv[1], user=\"postgres\", dbname=\"postgres\", autocommit=True).execute(\"CREATE DATABASE bench\")" "$socket"
  .venv/bin/renja --db "postgresql://postgres@/bench?host=$socket" bench --events "$EVENTS" --json bench-pg.json'
