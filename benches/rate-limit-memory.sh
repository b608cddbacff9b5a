#!/usr/bin/env bash
# The in-memory rate limiter under a flood of made-up paths and client addresses: a `rauth new`
# app (SQLite, release build) trusting loopback as its proxy, so every request names a fresh
# client in X-Forwarded-For; half the requests go to an endpoint that exists (a counter each),
# half to paths that do not (no counter). Prints the requests sent and the server's RSS before,
# during and after, against the bound.
#
# Usage: benches/rate-limit-memory.sh      DURATION=20s  PORT=3190  BOUND_MIB=64
# Exits 1 when the RSS after the flood exceeds BOUND_MIB.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source benches/lib.sh
DURATION=${DURATION:-20s}
PORT=${PORT:-3190}
BOUND_MIB=${BOUND_MIB:-64}
export CARGO_TARGET_DIR=$ROOT/target/bench-apps
APP_DIR=$CARGO_TARGET_DIR/rate-limit-app
WORK=$(mktemp -d)
PID=
cleanup() {
  if [[ -n $PID ]]; then kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

need_wrk

CARGO_TARGET_DIR=$ROOT/target cargo build --locked --bin rauth >&2
rm -rf "$APP_DIR"
target/debug/rauth new rate_limit_bench --path "$APP_DIR" >&2
sed -i -e 's|^# \[rate_limit\]|[rate_limit]|' -e 's|^# trusted_proxies = .*|trusted_proxies = ["127.0.0.0/8"]|' "$APP_DIR/rauth.toml"
target/debug/rauth -c "$APP_DIR/rauth.toml" generate >&2
(cd "$APP_DIR" && cargo build --release >&2)

(cd "$APP_DIR" && ADDR=127.0.0.1:$PORT DATABASE_URL="sqlite://$WORK/bench.db" RUST_LOG=error \
  exec "$CARGO_TARGET_DIR/release/rate_limit_bench" >"$WORK/server.log" 2>&1) &
PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/api/auth/ok" >/dev/null && break; sleep 0.1; done
SERVER=$PID
rss() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$SERVER/status"; }

cat >"$WORK/flood.lua" <<'LUA'
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("first", threads * 10000000)
end
function init()
  counter = first
end
function request()
  counter = counter + 1
  local ip = string.format("10.%d.%d.%d", math.floor(counter / 62500) % 250, math.floor(counter / 250) % 250, counter % 250)
  local path = "/api/auth/ok"
  if counter % 2 == 1 then path = "/api/auth/no-such-path-" .. counter end
  return wrk.format("GET", path, { ["x-forwarded-for"] = ip })
end
LUA

before=$(rss)
wrk -t2 -c32 -d"$DURATION" -s "$WORK/flood.lua" "http://127.0.0.1:$PORT" >"$WORK/wrk1.txt"
after_one=$(rss)
wrk -t2 -c32 -d"$DURATION" -s "$WORK/flood.lua" "http://127.0.0.1:$PORT" >"$WORK/wrk2.txt"
after_two=$(rss)
sent() { awk '/requests in/ {print $1}' "$1"; }
peak=$(awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$SERVER/status")
printf 'requests (distinct paths and addresses): %s + %s\n' "$(sent "$WORK/wrk1.txt")" "$(sent "$WORK/wrk2.txt")"
printf 'server RSS MiB: before %s, after flood 1 %s, after flood 2 %s, peak %s (bound %s)\n' \
  "$before" "$after_one" "$after_two" "$peak" "$BOUND_MIB"
awk -v rss="$after_two" -v bound="$BOUND_MIB" 'BEGIN { exit !(rss <= bound) }' \
  && echo "ok: within the bound" || { echo "over the bound"; exit 1; }
