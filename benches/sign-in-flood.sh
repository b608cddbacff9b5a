#!/usr/bin/env bash
# A real user's sign-in during a flood of sign-ins (unknown emails, which hash too), with the
# hashing queue bounded (the generated default) and unbounded (the code before issue 17), side
# by side: two `rauth new` apps (SQLite, release builds), rate limits off (a flood from many
# addresses). While wrk floods /sign-in/email with 64 connections, the user signs in 20 times
# in a row; prints the user's latencies (p50, p95, max) and answers (200 or 429) on each app.
#
# Usage: benches/sign-in-flood.sh      CONNECTIONS=64  PORT=3195 (bounded), PORT+1 (unbounded)
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source benches/lib.sh
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-3195}
export CARGO_TARGET_DIR=$ROOT/target/bench-apps
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

need_wrk
CARGO_TARGET_DIR=$ROOT/target cargo build --locked --bin rauth >&2

build() { # NAME QUEUE: a release app whose hashing queue holds QUEUE waiters per running hash
  local dir=$CARGO_TARGET_DIR/$1
  rm -rf "$dir"
  target/debug/rauth new "$1" --path "$dir" >&2
  sed -i "s/^pub const MAX_QUEUED_HASHES_PER_PERMIT: usize = .*/pub const MAX_QUEUED_HASHES_PER_PERMIT: usize = $2;/" "$dir/src/auth/options.rs"
  (cd "$dir" && cargo build --release >&2)
}
build flood_bounded 8
build flood_unbounded 1_000_000

serve() { # NAME PORT
  (cd "$CARGO_TARGET_DIR/$1" && ADDR=127.0.0.1:$2 DATABASE_URL="sqlite://$WORK/$1.db" \
    AUTH_RATE_LIMIT=off RUST_LOG=error exec "$CARGO_TARGET_DIR/release/$1" >"$WORK/$1.log" 2>&1) &
  PIDS+=($!)
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$2/api/auth/ok" >/dev/null && break; sleep 0.1; done
  curl -fs "http://127.0.0.1:$2/api/auth/sign-up/email" -H 'content-type: application/json' \
    -d '{"name":"Real","email":"real@example.com","password":"real user password"}' >/dev/null
}

cat >"$WORK/flood.lua" <<'LUA'
local threads = 0
function setup(thread) threads = threads + 1; thread:set("first", threads * 10000000) end
function init() counter = first end
function request()
  counter = counter + 1
  local body = string.format('{"email":"flood-%d@example.com","password":"flood password"}', counter)
  return wrk.format("POST", "/api/auth/sign-in/email", { ["content-type"] = "application/json" }, body)
end
LUA

measure() { # NAME PORT
  serve "$1" "$2"
  wrk -t2 -c"$CONNECTIONS" -d120s -s "$WORK/flood.lua" "http://127.0.0.1:$2" >"$WORK/$1.wrk" &
  local flood=$!
  sleep 3
  : >"$WORK/$1.times"
  for _ in $(seq 20); do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$2/api/auth/sign-in/email" \
      -H 'content-type: application/json' -d '{"email":"real@example.com","password":"real user password"}' \
      >>"$WORK/$1.times"
  done
  kill "$flood" 2>/dev/null || true
  wait "$flood" 2>/dev/null || true
  sort -k2 -n "$WORK/$1.times" | awk -v name="$1" '
    { t[NR] = $2; code[$1]++ }
    END {
      printf "%-16s real user: p50 %.3fs  p95 %.3fs  max %.3fs  answers:", name, t[int(NR * 0.5) + 1], t[int(NR * 0.95)], t[NR]
      for (c in code) printf " %s x%d", c, code[c]
      printf "\n"
    }'
}
measure flood_bounded "$PORT"
measure flood_unbounded "$((PORT + 1))"
