#!/usr/bin/env bash
# Server throughput: the rauth-generated app, axum and actix-web side by side, vs Better Auth's
# own node server vs a bare axum+sqlx lookup (benches/bare-lookup, the ceiling), all on the same
# PostgreSQL.
#
# Usage: benches/server.sh
#   DURATION=10s  wrk run per measurement     PGURL=postgres://postgres@127.0.0.1:5432
#   WARMUP=2s     unmeasured run before each  PORT_BASE=3100 (rauth, +1 Better Auth, +2 bare,
#                                                              +3 rauth actix-web)
#
# Measures get-session (cookie, 32 connections) on all four, sign-in (POST JSON, 16
# connections) on both rauth apps and Better Auth, peak RSS (VmHWM) of each server, and the scrypt
# limit (cores / time of one hash with Better Auth's parameters), then prints the ratios
# against the targets. Each rauth app takes two sign-in floods in a row, and its peak RSS is read
# after each: the second must not raise it. The servers run with no allocator tuning
# (RAUTH_TUNABLES=... sets GLIBC_TUNABLES for the rauth apps, to compare). The cookie cache side
# by side: both rauth apps again with `[session.cookie_cache]` on (compact), Better Auth with its
# cookie cache on, and the ceiling (bare-lookup's `/ceiling/get-session`: one HMAC check, a
# fixed body), get-session only. Exits 0 whether or not the targets are met.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source benches/lib.sh

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
PORT_BASE=${PORT_BASE:-3100}
P_RAUTH=$PORT_BASE P_BA=$((PORT_BASE + 1)) P_BARE=$((PORT_BASE + 2)) P_ACTIX=$((PORT_BASE + 3))
P_RAUTH_CC=$((PORT_BASE + 4)) P_ACTIX_CC=$((PORT_BASE + 5)) P_BA_CC=$((PORT_BASE + 6))
export CARGO_TARGET_DIR=$ROOT/target/bench-apps   # shared by the Rust servers
APP_DIR=$CARGO_TARGET_DIR/rauth-app               # the generated apps (regenerated each run)
ACTIX_DIR=$CARGO_TARGET_DIR/rauth-actix-app
APP_CC_DIR=$CARGO_TARGET_DIR/rauth-app-cookie-cache     # the same apps with the cookie cache on
ACTIX_CC_DIR=$CARGO_TARGET_DIR/rauth-actix-app-cookie-cache
BA_DIR=$ROOT/target/bench-better-auth             # npm project shared with schema-generate.sh
DB_RAUTH=rauth_bench_rauth_$$ DB_BA=rauth_bench_ba_$$ DB_ACTIX=rauth_bench_actix_$$
DB_RAUTH_CC=rauth_bench_rauth_cc_$$ DB_ACTIX_CC=rauth_bench_actix_cc_$$ DB_BA_CC=rauth_bench_ba_cc_$$
SECRET=bench-secret-0123456789abcdef0123456789abcdef
PASSWORD=bench-password-1234
CORES=$(nproc)

psql_() { psql "$PGURL/${1}" -v ON_ERROR_STOP=1 -q "${@:2}"; }

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for db in "$DB_RAUTH" "$DB_BA" "$DB_ACTIX" "$DB_RAUTH_CC" "$DB_ACTIX_CC" "$DB_BA_CC"; do
    psql_ postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- Tools ---------------------------------------------------------------------------
need_wrk
mkdir -p "$BA_DIR"
cp benches/better-auth/{package.json,package-lock.json,node20-polyfill.cjs,server.mjs} "$BA_DIR"/
if [[ ! -d $BA_DIR/node_modules/better-auth ]]; then
  echo "installing Better Auth into $BA_DIR..." >&2
  (cd "$BA_DIR" && npm ci --legacy-peer-deps --no-audit --no-fund --loglevel=error >&2)
fi
if [[ ! -d $BA_DIR/node_modules/pg ]]; then   # not in package.json: the schema bench needs no pg
  (cd "$BA_DIR" && npm install --no-save --legacy-peer-deps --no-audit --no-fund --loglevel=error pg@8 >&2)
fi

# --- Build (one cargo at a time) ----------------------------------------------------
CARGO_TARGET_DIR=$ROOT/target cargo build --locked --bin rauth >&2   # no-op when up to date
rm -rf "$APP_DIR" "$ACTIX_DIR" "$APP_CC_DIR" "$ACTIX_CC_DIR"
target/debug/rauth new rauth_bench --database postgres --path "$APP_DIR" >&2
target/debug/rauth new rauth_bench_actix --framework actix-web --database postgres --path "$ACTIX_DIR" >&2
target/debug/rauth new rauth_bench_cc --database postgres --path "$APP_CC_DIR" >&2
target/debug/rauth new rauth_bench_actix_cc --framework actix-web --database postgres --path "$ACTIX_CC_DIR" >&2
for dir in "$APP_CC_DIR" "$ACTIX_CC_DIR"; do
  printf '\n[session.cookie_cache]\nenabled = true\nstrategy = "compact"\n' >>"$dir/rauth.toml"
  target/debug/rauth -q -c "$dir/rauth.toml" generate code >&2
done
for dir in "$APP_DIR" "$ACTIX_DIR" "$APP_CC_DIR" "$ACTIX_CC_DIR"; do (cd "$dir" && cargo build --release >&2); done
(cd benches/bare-lookup && cargo build --release >&2)
MIGRATION=$(ls "$APP_DIR"/migrations/*.sql)
[[ $(wc -l <<<"$MIGRATION") == 1 ]] || { echo "expected one migration in $APP_DIR" >&2; exit 1; }

# --- Databases and servers ----------------------------------------------------------
for db in "$DB_RAUTH" "$DB_BA" "$DB_ACTIX" "$DB_RAUTH_CC" "$DB_ACTIX_CC" "$DB_BA_CC"; do
  psql_ postgres -c "CREATE DATABASE $db"
done
psql_ "$DB_BA" -f "$MIGRATION"   # the rauth apps migrate their own databases at start
psql_ "$DB_BA_CC" -f "$MIGRATION"

wait_up() { # URL: wait until the server answers at all
  for _ in $(seq 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "server at $1 did not start" >&2; exit 1
}
# --- Sign-in memory (issue 21 §3): no allocator tuning unless asked for ----------------
# Unset by default: the servers must stay flat as deployed. RAUTH_TUNABLES=glibc.malloc... to
# compare a tuned run.
RAUTH_TUNABLES=${RAUTH_TUNABLES-}
rauth_env=(RUST_LOG=warn AUTH_RATE_LIMIT=off)   # the floods come from one address
[[ -n $RAUTH_TUNABLES ]] && rauth_env+=("GLIBC_TUNABLES=$RAUTH_TUNABLES")
# --- end sign-in memory -----------------------------------------------------------------
# Servers are started directly (no npx/cargo run) so $! is the server's own pid.
# The rauth apps read AUTH_SECRETS from their .env (run from their dir).
(cd "$APP_DIR" && env DATABASE_URL=$PGURL/$DB_RAUTH ADDR=127.0.0.1:$P_RAUTH "${rauth_env[@]}" \
  "$CARGO_TARGET_DIR"/release/rauth_bench) >"$WORK/rauth.log" 2>&1 &
PID_RAUTH=$!; PIDS+=("$PID_RAUTH")
(cd "$ACTIX_DIR" && env DATABASE_URL=$PGURL/$DB_ACTIX ADDR=127.0.0.1:$P_ACTIX "${rauth_env[@]}" \
  "$CARGO_TARGET_DIR"/release/rauth_bench_actix) >"$WORK/actix.log" 2>&1 &
PID_ACTIX=$!; PIDS+=("$PID_ACTIX")
(cd "$BA_DIR" && DATABASE_URL=$PGURL/$DB_BA PORT=$P_BA BASE_URL=http://localhost:$P_BA \
  BETTER_AUTH_SECRET=$SECRET NODE_OPTIONS="--require ./node20-polyfill.cjs" \
  exec node server.mjs) >"$WORK/ba.log" 2>&1 &
PID_BA=$!; PIDS+=("$PID_BA")
# The cookie-cache apps sign with $SECRET (the environment wins over their .env), so the
# ceiling checks their session cookies with it.
(cd "$APP_CC_DIR" && env DATABASE_URL=$PGURL/$DB_RAUTH_CC ADDR=127.0.0.1:$P_RAUTH_CC AUTH_SECRETS=1:$SECRET \
  "${rauth_env[@]}" "$CARGO_TARGET_DIR"/release/rauth_bench_cc) >"$WORK/rauth-cc.log" 2>&1 &
PID_RAUTH_CC=$!; PIDS+=("$PID_RAUTH_CC")
(cd "$ACTIX_CC_DIR" && env DATABASE_URL=$PGURL/$DB_ACTIX_CC ADDR=127.0.0.1:$P_ACTIX_CC AUTH_SECRETS=1:$SECRET \
  "${rauth_env[@]}" "$CARGO_TARGET_DIR"/release/rauth_bench_actix_cc) >"$WORK/actix-cc.log" 2>&1 &
PID_ACTIX_CC=$!; PIDS+=("$PID_ACTIX_CC")
(cd "$BA_DIR" && DATABASE_URL=$PGURL/$DB_BA_CC PORT=$P_BA_CC BASE_URL=http://localhost:$P_BA_CC COOKIE_CACHE=compact \
  BETTER_AUTH_SECRET=$SECRET NODE_OPTIONS="--require ./node20-polyfill.cjs" \
  exec node server.mjs) >"$WORK/ba-cc.log" 2>&1 &
PID_BA_CC=$!; PIDS+=("$PID_BA_CC")
wait_up "http://127.0.0.1:$P_RAUTH/"      # migrations are applied before it listens
DATABASE_URL=$PGURL/$DB_RAUTH ADDR=127.0.0.1:$P_BARE SECRET=$SECRET \
  "$CARGO_TARGET_DIR"/release/bare-lookup >"$WORK/bare.log" 2>&1 &
PID_BARE=$!; PIDS+=("$PID_BARE")
wait_up "http://127.0.0.1:$P_BA/api/auth/ok"
wait_up "http://127.0.0.1:$P_ACTIX/"
wait_up "http://127.0.0.1:$P_BARE/api/auth/get-session"
wait_up "http://127.0.0.1:$P_RAUTH_CC/"
wait_up "http://127.0.0.1:$P_ACTIX_CC/"
wait_up "http://127.0.0.1:$P_BA_CC/api/auth/ok"

# sign_up PORT [ORIGIN]: create bench@example.com, print the session cookie (name=value). The
# rauth apps trust only their base URL (localhost:3000), so they get no Origin (a JSON sign-up
# without one is not a cross-site form); Better Auth gets its own.
sign_up() {
  curl -sf -D "$WORK/h" -o /dev/null -X POST "http://127.0.0.1:$1/api/auth/sign-up/email" \
    -H 'content-type: application/json' ${2:+-H "origin: $2"} \
    -d "{\"email\":\"bench@example.com\",\"password\":\"$PASSWORD\",\"name\":\"Bench\"}"
  grep -io 'better-auth\.session_token=[^;]*' "$WORK/h" | head -1
}
COOKIE_RAUTH=$(sign_up "$P_RAUTH")
COOKIE_BA=$(sign_up "$P_BA" "http://localhost:$P_BA")
COOKIE_ACTIX=$(sign_up "$P_ACTIX")
COOKIE_BARE=$COOKIE_RAUTH   # same database as rauth
for s in "rauth $P_RAUTH $COOKIE_RAUTH" "rauth-actix $P_ACTIX $COOKIE_ACTIX" "better-auth $P_BA $COOKIE_BA" "bare $P_BARE $COOKIE_BARE"; do
  read -r name port cookie <<<"$s"
  body=$(curl -sf "http://127.0.0.1:$port/api/auth/get-session" -H "cookie: $cookie")
  [[ $body == *bench@example.com* ]] || { echo "$name get-session failed: $body" >&2; exit 1; }
done
# cached PORT COOKIE: the session cookie and the cache cookie a get-session sets for it, as one
# Cookie header; fails unless the server answers from that cache (its session row deleted).
cached() {
  curl -sf -D "$WORK/h" -o /dev/null "http://127.0.0.1:$1/api/auth/get-session" -H "cookie: $2"
  local data; data=$(grep -io 'better-auth\.session_data=[^;]*' "$WORK/h" | head -1)
  [[ -n $data ]] || { echo "no session_data from the server on port $1" >&2; exit 1; }
  echo "$2; $data"
}
COOKIE_RAUTH_CC=$(cached "$P_RAUTH_CC" "$(sign_up "$P_RAUTH_CC")")
COOKIE_ACTIX_CC=$(cached "$P_ACTIX_CC" "$(sign_up "$P_ACTIX_CC")")
COOKIE_BA_CC=$(cached "$P_BA_CC" "$(sign_up "$P_BA_CC" "http://localhost:$P_BA_CC")")
for db in "$DB_RAUTH_CC" "$DB_ACTIX_CC" "$DB_BA_CC"; do psql_ "$db" -c 'DELETE FROM "session"'; done
for s in "rauth-cc $P_RAUTH_CC /api/auth $COOKIE_RAUTH_CC" "rauth-actix-cc $P_ACTIX_CC /api/auth $COOKIE_ACTIX_CC" \
  "better-auth-cc $P_BA_CC /api/auth $COOKIE_BA_CC" "ceiling $P_BARE /ceiling $COOKIE_RAUTH_CC"; do
  read -r name port base cookie <<<"$s"
  body=$(curl -sf "http://127.0.0.1:$port$base/get-session" -H "cookie: $cookie")
  [[ $body == *bench@example.com* ]] || { echo "$name get-session from the cache failed: $body" >&2; exit 1; }
done

# --- Load ---------------------------------------------------------------------------
cat >"$WORK/sign-in.lua" <<EOF
wrk.method = "POST"
wrk.body = '{"email":"bench@example.com","password":"$PASSWORD"}'
wrk.headers["Content-Type"] = "application/json"
EOF
# run NAME ARGS...: warm up, then measure; print req/s, keep wrk's output in $WORK/NAME.wrk
run() {
  local name=$1; shift
  wrk -d "$WARMUP" "$@" >/dev/null
  wrk -d "$DURATION" --latency "$@" >"$WORK/$name.wrk"
  if grep -q 'Non-2xx\|Socket errors' "$WORK/$name.wrk"; then
    echo "warning: $name: $(grep 'Non-2xx\|Socket errors' "$WORK/$name.wrk" | tr -s ' ')" >&2
  fi
  ok_rps "$WORK/$name.wrk"
}
# ok_rps FILE: the 2xx answers per second of a wrk run (a 429 is no sign-in)
ok_rps() {
  awk '/requests in/ {n = $1; d = $4 + 0} /Non-2xx/ {bad = $NF} END {printf "%.2f\n", (n - bad) / d}' "$1"
}
gs() { run "gs-$1" -t2 -c32 -H "cookie: $3" "http://127.0.0.1:$2/api/auth/get-session"; }
# --timeout: a queued scrypt takes seconds; wrk's default 2 s would count it as an error.
si() { run "si-$1" -t2 -c16 --timeout 30s -s "$WORK/sign-in.lua" "http://127.0.0.1:$2/api/auth/sign-in/email"; }
# run2 NAME PORT: a second sign-in flood, measured with no warm-up (it follows the first at once)
run2() {
  wrk -d "$DURATION" -t2 -c16 --timeout 30s -s "$WORK/sign-in.lua" "http://127.0.0.1:$2/api/auth/sign-in/email" >"$WORK/$1.wrk"
  grep -q 'Non-2xx' "$WORK/$1.wrk" && echo "warning: $1: $(grep 'Non-2xx' "$WORK/$1.wrk" | tr -s ' ')" >&2
  ok_rps "$WORK/$1.wrk"
}
# The get-session peak starts after the sign-ups: reset each server's high-water mark.
for pid in "$PID_RAUTH" "$PID_ACTIX" "$PID_BA" "$PID_BARE"; do echo 5 >"/proc/$pid/clear_refs"; done
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "get-session..." >&2
GS_RAUTH=$(gs rauth "$P_RAUTH" "$COOKIE_RAUTH")
GS_ACTIX=$(gs rauth-actix "$P_ACTIX" "$COOKIE_ACTIX")
GS_BA=$(gs better-auth "$P_BA" "$COOKIE_BA")
GS_BARE=$(gs bare "$P_BARE" "$COOKIE_BARE")
echo "get-session from the cookie cache..." >&2
GS_RAUTH_CC=$(gs rauth-cc "$P_RAUTH_CC" "$COOKIE_RAUTH_CC")
GS_ACTIX_CC=$(gs rauth-actix-cc "$P_ACTIX_CC" "$COOKIE_ACTIX_CC")
GS_BA_CC=$(gs better-auth-cc "$P_BA_CC" "$COOKIE_BA_CC")
GS_CEILING=$(run ceiling -t2 -c32 -H "cookie: $COOKIE_RAUTH_CC" "http://127.0.0.1:$P_BARE/ceiling/get-session")
hwm() { awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }   # peak RSS so far, MiB
# Peak RSS of the get-session load alone (scrypt needs 32 MiB per concurrent hash, in sign-in).
GS_RSS_RAUTH=$(hwm "$PID_RAUTH") GS_RSS_ACTIX=$(hwm "$PID_ACTIX") GS_RSS_BA=$(hwm "$PID_BA") GS_RSS_BARE=$(hwm "$PID_BARE")
echo "sign-in..." >&2
# --- Sign-in memory (issue 21 §3): two floods in a row on each rauth app ----------------
# Flood 1 is the measured run after the warm-up; flood 2 follows at once (a flood's end drops
# its connections mid-hash, where an unbounded server would start more hashes than permits).
SI_RAUTH=$(si rauth "$P_RAUTH"); RSS1_RAUTH=$(hwm "$PID_RAUTH")
SI2_RAUTH=$(run2 si2-rauth "$P_RAUTH"); RSS2_RAUTH=$(hwm "$PID_RAUTH")
SI_ACTIX=$(si rauth-actix "$P_ACTIX"); RSS1_ACTIX=$(hwm "$PID_ACTIX")
SI2_ACTIX=$(run2 si2-rauth-actix "$P_ACTIX"); RSS2_ACTIX=$(hwm "$PID_ACTIX")
# --- end sign-in memory -----------------------------------------------------------------
SI_BA=$(si better-auth "$P_BA")

RSS_RAUTH=$(hwm "$PID_RAUTH") RSS_ACTIX=$(hwm "$PID_ACTIX") RSS_BA=$(hwm "$PID_BA") RSS_BARE=$(hwm "$PID_BARE")

# --- scrypt limit: one hash with Better Auth's parameters, mean of 10 after a warm-up, in
# node (Better Auth's OpenSSL scrypt) and in Rust (the generated code's); the faster one sets
# the limit, so neither server is flattered by a slow baseline.
SCRYPT_NODE_MS=$(node -e '
  const c = require("crypto"), o = { N: 16384, r: 16, p: 1, maxmem: 64 * 1024 * 1024 };
  const salt = c.randomBytes(16).toString("hex");
  c.scryptSync("bench-password-1234", salt, 64, o);
  const t = process.hrtime.bigint();
  for (let i = 0; i < 10; i++) c.scryptSync("bench-password-1234", salt, 64, o);
  console.log((Number(process.hrtime.bigint() - t) / 1e6 / 10).toFixed(2));')
SCRYPT_RUST_MS=$("$CARGO_TARGET_DIR"/release/scrypt-time)
SCRYPT_MS=$(awk -v a="$SCRYPT_NODE_MS" -v b="$SCRYPT_RUST_MS" 'BEGIN {print (a < b ? a : b)}')
SCRYPT_LIMIT=$(awk -v c="$CORES" -v ms="$SCRYPT_MS" 'BEGIN {printf "%.1f", c * 1000 / ms}')

# --- Report -------------------------------------------------------------------------
# check LABEL VALUE TARGET: print one target line
check() { awk -v l="$1" -v v="$2" -v t="$3" 'BEGIN {
  printf "  %-44s %8.2f  (target %s %.2f)  %s\n", l, v, (l ~ /RSS/ ? "<=" : ">="), t,
    ((l ~ /RSS/ ? v <= t : v >= t) ? "met" : "NOT met") }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.4f", (b > 0 ? a / b : 0)}'; }

echo
echo "server benchmark: $CORES cores, wrk $DURATION per run ($WARMUP warm-up), PostgreSQL $PGURL"
echo "rauth servers run with GLIBC_TUNABLES=${RAUTH_TUNABLES:-(unset)}; load average before the measurements: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
row() { printf '%-12s %16s %14s %22s %18s\n' "$@"; }
row server "get-session r/s" "sign-in r/s" "peak RSS get-session" "peak RSS overall"
row rauth-axum "$GS_RAUTH" "$SI_RAUTH" "$GS_RSS_RAUTH MiB" "$RSS_RAUTH MiB"
row rauth-actix "$GS_ACTIX" "$SI_ACTIX" "$GS_RSS_ACTIX MiB" "$RSS_ACTIX MiB"
row better-auth "$GS_BA" "$SI_BA" "$GS_RSS_BA MiB" "$RSS_BA MiB"
row bare "$GS_BARE" - "$GS_RSS_BARE MiB" "$RSS_BARE MiB"
# --- Sign-in memory (issue 21 §3) -------------------------------------------------------
printf '%-12s %16s %14s %22s %18s\n' server "flood 1 r/s" "flood 2 r/s" "peak RSS after 1" "after 2"
printf '%-12s %16s %14s %22s %18s\n' rauth-axum "$SI_RAUTH" "$SI2_RAUTH" "$RSS1_RAUTH MiB" "$RSS2_RAUTH MiB"
printf '%-12s %16s %14s %22s %18s\n' rauth-actix "$SI_ACTIX" "$SI2_ACTIX" "$RSS1_ACTIX MiB" "$RSS2_ACTIX MiB"
# --- end sign-in memory -----------------------------------------------------------------
echo "get-session from the cookie cache (compact; the sessions' rows deleted, so no database):"
row2() { printf '%-16s %16s\n' "$@"; }
row2 rauth-axum "$GS_RAUTH_CC"
row2 rauth-actix "$GS_ACTIX_CC"
row2 better-auth "$GS_BA_CC"
row2 ceiling "$GS_CEILING"
echo "scrypt (N=16384 r=16 p=1, 64 B): node ${SCRYPT_NODE_MS} ms, Rust ${SCRYPT_RUST_MS} ms per hash -> limit $SCRYPT_LIMIT sign-ins/s on $CORES cores"
echo "targets:"
# The same targets for each framework: rauth-axum reads the *_RAUTH values, rauth-actix *_ACTIX.
for app in axum:RAUTH actix:ACTIX; do
  r=rauth-${app%%:*} v=${app#*:}
  gs_=GS_$v si_=SI_$v gs_rss=GS_RSS_$v rss=RSS_$v
  check "get-session $r / Better Auth" "$(ratio "${!gs_}" "$GS_BA")" 25
  check "get-session $r / bare" "$(ratio "${!gs_}" "$GS_BARE")" 0.9
  check "sign-in $r / scrypt limit" "$(ratio "${!si_}" "$SCRYPT_LIMIT")" 0.9
  rss1=RSS1_$v rss2=RSS2_$v
  check "peak RSS $r after sign-in flood 1, MiB" "${!rss1}" 96
  check "peak RSS $r after flood 2 / after flood 1" "$(ratio "${!rss2}" "${!rss1}")" 1.05
  check "sign-in $r / Better Auth" "$(ratio "${!si_}" "$SI_BA")" 2
  check "RSS $r / Better Auth, get-session" "$(ratio "${!gs_rss}" "$GS_RSS_BA")" 0.1
  check "RSS $r / Better Auth, overall" "$(ratio "${!rss}" "$RSS_BA")" 0.1
  cc=GS_${v}_CC
  check "cached get-session $r / ceiling" "$(ratio "${!cc}" "$GS_CEILING")" 0.8
  check "cached get-session $r / Better Auth cached" "$(ratio "${!cc}" "$GS_BA_CC")" 20
done
