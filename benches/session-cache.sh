#!/usr/bin/env bash
# The Redis session cache: the same generated axum app on PostgreSQL, built without and with
# `[session] cache = "redis"`, side by side. Prints get-session req/s of each and the database
# transactions each get-session costs (from pg_stat_database), which the cache is there to cut.
#
# Usage: benches/session-cache.sh
#   DURATION=10s  wrk run per measurement     PGURL=postgres://postgres@127.0.0.1:5432
#   WARMUP=2s     unmeasured run before each  REDIS_URL=redis://127.0.0.1:6379  PORT_BASE=3200
#
# Exits 0 whatever the numbers; fails only when a server does not answer get-session.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
PORT_BASE=${PORT_BASE:-3200}
export CARGO_TARGET_DIR=$ROOT/target/bench-apps   # shared with benches/server.sh
PASSWORD=bench-password-1234
WORK=$(mktemp -d)
PIDS=() DBS=()
psql_() { psql "$PGURL/${1}" -v ON_ERROR_STOP=1 -qAt "${@:2}"; }
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for db in "${DBS[@]}"; do psql_ postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || {
  SUDO=$([[ $(id -u) == 0 ]] || echo sudo)
  $SUDO apt-get install -y wrk >&2 || { $SUDO apt-get update >&2 && $SUDO apt-get install -y wrk >&2; }
}
redis-cli -u "$REDIS_URL" ping >/dev/null

CARGO_TARGET_DIR=$ROOT/target cargo build --locked --bin rauth >&2
# app NAME CACHE: a release build of the generated app, `cache` set as given.
app() {
  local dir=$CARGO_TARGET_DIR/$1
  rm -rf "$dir"
  target/debug/rauth new "$1" --database postgres --path "$dir" >&2
  if [[ $2 == redis ]]; then
    printf '\n[session]\ncache = "redis"\n' >>"$dir/rauth.toml"
    (cd "$dir" && "$ROOT"/target/debug/rauth generate code >&2 &&
      cargo add -q redis@1 --no-default-features --features tokio-comp,connection-manager &&
      cargo add -q serde@1 --features derive && cargo add -q time@0.3 --features serde)
  fi
  (cd "$dir" && cargo build --release >&2)
}
app rauth_bench_nocache none
app rauth_bench_cached redis

# serve NAME PORT: start the app on a fresh database; print its pid
serve() {
  local db=rauth_bench_${1}_$$
  DBS+=("$db")
  psql_ postgres -c "CREATE DATABASE $db"
  (cd "$CARGO_TARGET_DIR/$1" && DATABASE_URL=$PGURL/$db ADDR=127.0.0.1:$2 REDIS_URL=$REDIS_URL RUST_LOG=warn \
    exec "$CARGO_TARGET_DIR/release/$1") >"$WORK/$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$2/" && return 0; sleep 0.2; done
  echo "$1 did not start" >&2; exit 1
}
sign_up() { # PORT: print the session cookie
  curl -sf -D "$WORK/h" -o /dev/null -X POST "http://127.0.0.1:$1/api/auth/sign-up/email" \
    -H 'content-type: application/json' -H "origin: http://localhost:$1" \
    -d "{\"email\":\"bench@example.com\",\"password\":\"$PASSWORD\",\"name\":\"Bench\"}"
  grep -io 'better-auth\.session_token=[^;]*' "$WORK/h" | head -1
}
xacts() { psql_ postgres -c "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$1'"; }
# measure NAME PORT: "req/s transactions-per-request"
measure() {
  local db=rauth_bench_${1}_$$ cookie
  cookie=$(sign_up "$2")
  body=$(curl -sf "http://127.0.0.1:$2/api/auth/get-session" -H "cookie: $cookie")
  [[ $body == *bench@example.com* ]] || { echo "$1 get-session failed: $body" >&2; exit 1; }
  wrk -d "$WARMUP" -t2 -c32 -H "cookie: $cookie" "http://127.0.0.1:$2/api/auth/get-session" >/dev/null
  sleep 1   # pg_stat_database is updated by each backend at most twice a second
  local before after
  before=$(xacts "$db")
  wrk -d "$DURATION" -t2 -c32 -H "cookie: $cookie" "http://127.0.0.1:$2/api/auth/get-session" >"$WORK/$1.wrk"
  sleep 1
  after=$(xacts "$db")
  grep -q 'Non-2xx\|Socket errors' "$WORK/$1.wrk" && echo "warning: $1: $(grep 'Non-2xx\|Socket errors' "$WORK/$1.wrk")" >&2
  awk -v b="$before" -v a="$after" '/^Requests\/sec/ {rps = $2} /requests in/ {n = $1}
    END {printf "%s %.3f\n", rps, (a - b) / n}' "$WORK/$1.wrk"
}

serve rauth_bench_nocache "$PORT_BASE"
serve rauth_bench_cached "$((PORT_BASE + 1))"
read -r RPS_DB TX_DB <<<"$(measure rauth_bench_nocache "$PORT_BASE")"
read -r RPS_CACHE TX_CACHE <<<"$(measure rauth_bench_cached "$((PORT_BASE + 1))")"

echo
echo "session cache benchmark: $(nproc) cores, wrk $DURATION, 32 connections, PostgreSQL and Redis on this machine"
printf '%-22s %16s %28s\n' app "get-session r/s" "db transactions / request"
printf '%-22s %16s %28s\n' "axum, no cache" "$RPS_DB" "$TX_DB"
printf '%-22s %16s %28s\n' "axum, Redis cache" "$RPS_CACHE" "$TX_CACHE"
awk -v a="$RPS_CACHE" -v b="$RPS_DB" 'BEGIN {printf "throughput ratio cached / uncached: %.2f\n", a / b}'
