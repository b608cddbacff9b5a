#!/usr/bin/env bash
# Schema generation: rauth vs Better Auth's own CLI (`npx auth generate`, Kysely/SQLite),
# both producing the "full" plugin set schema.
#
# Usage: benches/schema-generate.sh [--better-auth-only]
#   RUNS=N   runs per tool (default 10)
#
# Reports median/min wall time and median peak RSS per tool, the Better Auth / rauth
# ratios, and the targets (rauth peak RSS < 15 MiB, speed ratio >= 50). Exits 0 whether
# or not the targets are met; non-zero only if a command fails.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

RUNS=${RUNS:-10}
BA_SRC=benches/better-auth
BA_DIR=$ROOT/target/bench-better-auth  # npm project + node_modules, kept out of the tracked tree
RAUTH_CONFIG=tests/fixtures/configs/full.toml   # the same plugin set as Better Auth's auth.ts
RSS_TARGET_MIB=15
SPEED_TARGET=50

with_rauth=1
case "${1:-}" in
  "") ;;
  --better-auth-only) with_rauth=0 ;;
  *) echo "usage: $0 [--better-auth-only]   (RUNS=N, default 10)" >&2; exit 2 ;;
esac
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be a positive integer" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# --- Setup -------------------------------------------------------------------------
# The config is copied next to node_modules because the CLI resolves the config's
# imports (better-auth, better-sqlite3, plugins) relative to the config file.
mkdir -p "$BA_DIR"
cp "$BA_SRC"/{package.json,package-lock.json,auth.ts,node20-polyfill.cjs} "$BA_DIR"/
# Reinstall when node_modules is missing or was installed from another lock file.
if ! cmp -s "$BA_DIR/package-lock.json" "$BA_DIR/node_modules/.bench-lock.json" 2>/dev/null; then
  echo "installing Better Auth into $BA_DIR (first run builds better-sqlite3, ~2 min)..." >&2
  # --legacy-peer-deps: @better-auth/{passkey,api-key,sso} pin peer versions that
  # conflict with better-auth 1.7.25's own dependencies.
  (cd "$BA_DIR" && npm ci --legacy-peer-deps --no-audit --no-fund --loglevel=error >&2)
  (cd "$BA_DIR" && node -e 'require("better-sqlite3")') # fail early if the native build broke
  cp "$BA_DIR/package-lock.json" "$BA_DIR/node_modules/.bench-lock.json"
fi

if (( with_rauth )); then
  cargo build --release --locked >&2
fi

# --- Measurement -------------------------------------------------------------------
# measure NAME STDOUT_FILE CMD...: run CMD once, append "wall_us peak_rss_kib" to
# $WORK/NAME.samples. Peak RSS comes from GNU time (%M, the largest process in the
# tree, e.g. node under npx). Wall time is taken here with $EPOCHREALTIME because %e
# has only 10 ms resolution, too coarse for rauth. It includes time's own fork/exec
# (~2 ms), which only makes rauth look slower.
measure() {
  local name=$1 out=$2; shift 2
  local t0=${EPOCHREALTIME/[.,]/} t1
  if ! /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >"$out" 2>"$WORK/stderr" </dev/null; then
    echo "$name failed: $*" >&2; cat "$WORK/stderr" "$out" >&2; exit 1
  fi
  t1=${EPOCHREALTIME/[.,]/}
  echo "$(( t1 - t0 )) $(awk '{print $2}' "$WORK/time")" >>"$WORK/$name.samples"
}

for ((i = 1; i <= RUNS; i++)); do
  if (( with_rauth )); then
    measure rauth "$WORK/rauth.sql" target/release/rauth generate schema --stdout --config "$RAUTH_CONFIG"
  fi
  # Better Auth's Kysely generator diffs against a live DB: a fresh (not yet existing)
  # SQLite file each run makes it emit the full CREATE schema. --yes skips the
  # "Do you want to generate the schema to ...?" prompt; without it, on a non-TTY the
  # CLI exits 0 *without writing the file*, hence the size check below.
  rm -f "$WORK/ba.sql"
  (cd "$BA_DIR" && BENCH_SQLITE_PATH="$WORK/ba-$i.sqlite" \
    NODE_OPTIONS="--require $BA_DIR/node20-polyfill.cjs" \
    measure better-auth "$WORK/ba.log" npx --no-install auth generate --config auth.ts --output "$WORK/ba.sql" --yes)
  [[ -s $WORK/ba.sql ]] || { echo "better-auth wrote no schema:" >&2; cat "$WORK/ba.log" >&2; exit 1; }
done

# --- Report ------------------------------------------------------------------------
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
# stats NAME -> "median_ms min_ms median_rss_mib"
stats() {
  local f=$WORK/$1.samples
  echo "$(cut -d' ' -f1 "$f" | median) $(cut -d' ' -f1 "$f" | sort -n | head -1) $(cut -d' ' -f2 "$f" | median)" |
    awk '{printf "%.1f %.1f %.1f\n", $1 / 1000, $2 / 1000, $3 / 1024}'
}

echo "schema generate, full plugin set, SQLite, $RUNS runs each"
printf '%-18s %12s %12s %14s\n' tool "median ms" "min ms" "peak RSS MiB"
read -r ba_ms ba_min ba_mib <<<"$(stats better-auth)"
if (( with_rauth )); then
  read -r r_ms r_min r_mib <<<"$(stats rauth)"
  printf '%-18s %12s %12s %14s\n' rauth "$r_ms" "$r_min" "$r_mib"
fi
printf '%-18s %12s %12s %14s\n' better-auth "$ba_ms" "$ba_min" "$ba_mib"
(( with_rauth )) || exit 0

speed=$(awk -v a="$ba_ms" -v b="$r_ms" 'BEGIN {printf "%.1f", (b > 0 ? a / b : 0)}')
mem=$(awk -v a="$ba_mib" -v b="$r_mib" 'BEGIN {printf "%.1f", (b > 0 ? a / b : 0)}')
printf '%-18s %12s %12s %14s\n' "ratio BA/rauth" "${speed}x" "" "${mem}x"

yesno() { awk "BEGIN {print ($1) ? \"yes\" : \"NO\"}"; }
echo
printf '%-40s %s\n' "target: rauth peak RSS < ${RSS_TARGET_MIB} MiB" "$(yesno "$r_mib < $RSS_TARGET_MIB") (${r_mib} MiB)"
printf '%-40s %s\n' "target: speed ratio >= ${SPEED_TARGET}" "$(yesno "$speed >= $SPEED_TARGET") (${speed}x)"
# Not a target, but timing two different outputs would be meaningless: compare the schemas
# they create (columns, types, keys, indexes) with the catalog tool the tests use.
same=NO
cmp -s <(python3 tests/support/catalog.py sqlite "$WORK/rauth.sql") <(python3 tests/support/catalog.py sqlite "$WORK/ba.sql") && same=yes
printf '%-40s %s\n' "same schema as Better Auth (catalog)" "$same"
