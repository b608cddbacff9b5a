#!/usr/bin/env bash
# Times `rauth migrate` on PostgreSQL: one run applying the all-plugins schema to a fresh
# database, then 16 runs started at once on another fresh database (one applies, 15 wait for the
# lock and find nothing to do). Target from the issue: all 16 done in under 2 s.
#
# usage: benches/migrate.sh            (PostgreSQL at 127.0.0.1:5432, user postgres)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
cargo build --release --locked >&2
RAUTH=$ROOT/target/release/rauth
WORK=$(mktemp -d)
PG="psql -X -q -h 127.0.0.1 -U postgres -d postgres"
trap '$PG -c "drop database if exists rauth_bench_one with (force)" -c "drop database if exists rauth_bench_many with (force)"; rm -rf "$WORK"' EXIT

# Two migrations: core, then every plugin (tests/fixtures/configs/everything.toml).
printf '[database]\ndialect = "postgres"\n' >"$WORK/rauth.toml"
"$RAUTH" -q --config "$WORK/rauth.toml" generate schema
{ printf '[database]\ndialect = "postgres"\n'; cat tests/fixtures/configs/everything.toml; } >"$WORK/rauth.toml"
"$RAUTH" -q --config "$WORK/rauth.toml" generate schema

ms() { echo $(( (${EPOCHREALTIME/[.,]/} - $1) / 1000 )); }

$PG -c "create database rauth_bench_one"
t0=${EPOCHREALTIME/[.,]/}
DATABASE_URL=postgres://postgres@127.0.0.1/rauth_bench_one "$RAUTH" -q --config "$WORK/rauth.toml" migrate
one=$(ms "$t0")

$PG -c "create database rauth_bench_many"
t0=${EPOCHREALTIME/[.,]/}
pids=()
for _ in $(seq 16); do
  DATABASE_URL=postgres://postgres@127.0.0.1/rauth_bench_many "$RAUTH" -q --config "$WORK/rauth.toml" migrate &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
many=$(ms "$t0")

tables=$(psql -X -At -h 127.0.0.1 -U postgres -d rauth_bench_many -c "select count(*) from information_schema.tables where table_schema='public'")
echo "rauth migrate, all plugins, PostgreSQL"
printf '%-42s %8s ms\n' "one run on a fresh database" "$one" "16 concurrent runs on a fresh database" "$many"
printf '%-42s %8s\n' "tables after the 16 runs" "$tables"
printf '%-42s %s\n' "target: 16 runs under 2000 ms" "$([ "$many" -lt 2000 ] && echo yes || echo NO)"
