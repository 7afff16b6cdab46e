#!/usr/bin/env bash
# bench/compare.sh N [SEED]
#
# The "b2b-nightly" job (../shared/bench/WORKLOAD.md) side by side: leadscore, the DuckDB
# reference and the hand-written program of bench/reference/, 1 and 2 threads each, on N generated
# leads (~20 events each). Checks that every output
# is byte-identical after sorting by lead_id and prints a markdown table of wall/CPU time, peak RSS
# and throughput. Exit status: 0 when every engine ran and all outputs are equal, 1 otherwise.
#
# Environment: LEADSCORE=path/to/leadscore (default build/leadscore, then build-release/leadscore,
# built in Release when neither exists); the generator is taken from the same build dir.
# REPEAT=R runs each engine R times and reports the fastest (default 1). See bench/README.md.
set -euo pipefail

usage() { echo "usage: bench/compare.sh N [SEED]   (N leads, default seed 42)" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
N=$1
SEED=${2:-42}
[[ $N =~ ^[1-9][0-9]*$ && $SEED =~ ^[0-9]+$ ]] || usage

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
SHARED_DUCKDB=$REPO/../shared/bench/duckdb
DUCKDB_DIR=$REPO/bench/.duckdb
RULES=$REPO/bench/b2b-nightly.rules
DATA=$REPO/bench/data/$N
OUTDIR=$DATA/out
AS_OF=2026-11-01T00:00:00Z
REPEAT=${REPEAT:-1}  # runs per engine and thread count; the table shows the fastest
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || usage

log() { echo "compare.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# ---------------------------------------------------------------- tools we need
SUDO=()
[[ $(id -u) -eq 0 ]] || SUDO=(sudo)
missing=()
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[[ -x /usr/bin/time ]] || missing+=(time)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
for t in cmake ninja sha256sum sort awk; do command -v $t >/dev/null || die "$t is required"; done

# ---------------------------------------------------------------- DuckDB reference, installed once
[[ -f $SHARED_DUCKDB/run.mjs ]] || die "no DuckDB reference at $SHARED_DUCKDB"
mkdir -p "$DUCKDB_DIR"
for f in package.json run.mjs score.sql; do  # keep the copy in step with the shared reference
  cmp -s "$SHARED_DUCKDB/$f" "$DUCKDB_DIR/$f" || install -m 644 "$SHARED_DUCKDB/$f" "$DUCKDB_DIR/$f"
done
if [[ ! -d $DUCKDB_DIR/node_modules/@duckdb/node-api || ! -f $DUCKDB_DIR/.installed ]] ||
   ! cmp -s "$DUCKDB_DIR/package.json" "$DUCKDB_DIR/.installed"; then
  log "npm install in bench/.duckdb (once)"
  (cd "$DUCKDB_DIR" && npm install --no-audit --no-fund --loglevel=error >&2)
  cp "$DUCKDB_DIR/package.json" "$DUCKDB_DIR/.installed"
fi

# ---------------------------------------------------------------- binaries
build_release() {  # build_release TARGET...: configure build-release (once) and build the targets
  if [[ ! -f build-release/build.ninja ]]; then
    log "configuring build-release (Release)"
    cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -G Ninja >&2 || return 1
  fi
  log "building $* in build-release"
  ninja -C build-release "$@" >&2
}

if [[ -n ${LEADSCORE:-} ]]; then
  LS=$LEADSCORE
elif [[ -x build/leadscore ]]; then
  LS=build/leadscore
elif [[ -x build-release/leadscore ]]; then
  LS=build-release/leadscore
else
  LS=build-release/leadscore
  build_release leadscore gen_b2b_nightly || log "building leadscore failed (see above); continuing without it"
fi
BINDIR=$(dirname "$LS")
GEN=$BINDIR/tools/gen_b2b_nightly
if [[ ! -x $GEN || $GEN -ot tools/gen_b2b_nightly.cpp ]]; then
  if [[ -f $BINDIR/build.ninja ]] && ninja -C "$BINDIR" gen_b2b_nightly >&2; then :
  else
    GEN=build-release/tools/gen_b2b_nightly
    build_release gen_b2b_nightly || die "cannot build the generator"
  fi
fi
BUILD_TYPE=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BINDIR/CMakeCache.txt" 2>/dev/null || true)
# The hand-written single-purpose program (bench/reference/): the limit leadscore is measured against.
REFBIN=$BINDIR/bench/reference/b2b_nightly_reference
if [[ ! -x $REFBIN || $REFBIN -ot bench/reference/b2b_nightly.cpp ]]; then
  if [[ -f $BINDIR/build.ninja ]] && ninja -C "$BINDIR" b2b_nightly_reference >&2; then :
  else
    REFBIN=build-release/bench/reference/b2b_nightly_reference
    build_release b2b_nightly_reference || log "cannot build the hand-written reference; continuing without it"
  fi
fi

# ---------------------------------------------------------------- data (reused for the same N, seed and generator)
STAMP="seed=$SEED generator=$(sha256sum tools/gen_b2b_nightly.cpp | cut -c1-16)"
if [[ -f $DATA/.stamp && $(head -n1 "$DATA/.stamp") == "$STAMP" ]]; then
  log "reusing $DATA ($STAMP)"
else
  rm -rf "$DATA"
  mkdir -p "$DATA"
  log "generating $N leads into $DATA"
  /usr/bin/time -f '%e %U %S %M' -o "$DATA/.gen-time" "$GEN" --leads "$N" --seed "$SEED" --out "$DATA" 2>"$DATA/.gen-log" ||
    { cat "$DATA/.gen-log" >&2; die "generator failed"; }
  EVENTS=$(($(wc -l <"$DATA/activities.csv") - 1))
  { echo "$STAMP"; echo "events=$EVENTS"; } >"$DATA/.stamp"
fi
EVENTS=$(sed -n 's/^events=//p' "$DATA/.stamp")
read -r GEN_WALL _ < <(tail -n1 "$DATA/.gen-time") || GEN_WALL="?"
LEADS_MB=$(($(stat -c %s "$DATA/leads.csv") / 1000000))
ACTS_MB=$(($(stat -c %s "$DATA/activities.csv") / 1000000))

# ---------------------------------------------------------------- runs
rm -rf "$OUTDIR"
mkdir -p "$OUTDIR"
cat "$DATA/leads.csv" "$DATA/activities.csv" >/dev/null  # same warm page cache for every engine

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')  # other jobs on the machine skew the timings
declare -A WALL CPU RSS STATUS SHA NOTE
run() {  # run KEY COMMAND...: time it (best wall of $REPEAT), record wall/CPU/RSS and the exit status
  local key=$1; shift
  local tf=$OUTDIR/$key.time rc i e u s m
  for ((i = 1; i <= REPEAT; i++)); do
    log "running $key ($i/$REPEAT)"
    rc=0
    /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" >"$OUTDIR/$key.log" 2>&1 || rc=$?
    STATUS[$key]=$rc
    ((rc == 0)) || return 0
    read -r e u s m < <(tail -n1 "$tf")
    if [[ -z ${WALL[$key]:-} ]] || awk -v a="$e" -v b="${WALL[$key]}" 'BEGIN { exit !(a < b) }'; then
      WALL[$key]=$e
      CPU[$key]=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
      RSS[$key]=$(awk -v m="$m" 'BEGIN { printf "%.0f", m / 1024 }')
    fi
  done
}
sorted_sha() {  # header kept first, data rows sorted (lead ids are fixed-width, so a byte sort is by lead_id)
  { head -n1 "$1"; tail -n +2 "$1" | LC_ALL=C sort -S 25%; } | sha256sum | cut -c1-64
}

KEYS=()
for t in 1 2; do
  key=leadscore-$t
  KEYS+=("$key")
  if [[ -x $LS ]]; then
    run "$key" "$LS" score "$RULES" --leads "$DATA/leads.csv" --activities "$DATA/activities.csv" \
      --as-of "$AS_OF" --out "$OUTDIR/$key.csv" --threads "$t"
  else
    STATUS[$key]=127
    echo "no binary at $LS" >"$OUTDIR/$key.log"
  fi
  key=duckdb-$t
  KEYS+=("$key")
  run "$key" node "$DUCKDB_DIR/run.mjs" "$DATA" "$OUTDIR/$key.csv" "$t"
  key=hand-written-$t
  KEYS+=("$key")
  run "$key" "$REFBIN" "$DATA/leads.csv" "$DATA/activities.csv" "$OUTDIR/$key.csv" --as-of "$AS_OF" --threads "$t"
done

FAILED=0
for key in "${KEYS[@]}"; do
  if [[ ${STATUS[$key]} -ne 0 || ! -s $OUTDIR/$key.csv ]]; then
    why=$({ grep -v '^Command exited' "$OUTDIR/$key.log" || true; } | head -n1 | tr '|' '/' | cut -c1-100)
    NOTE[$key]="**${key%-*} failed** (exit ${STATUS[$key]}): ${why:-no message}"
    FAILED=1
  else
    SHA[$key]=$(sorted_sha "$OUTDIR/$key.csv")
  fi
done
REF=${SHA[duckdb-1]:-${SHA[duckdb-2]:-}}  # the reference; without it, the outputs must still agree with each other
for key in "${KEYS[@]}"; do
  [[ -n ${SHA[$key]:-} ]] || continue
  [[ -n $REF ]] || REF=${SHA[$key]}
  rows=$(($(wc -l <"$OUTDIR/$key.csv") - 1))
  if [[ $rows -ne $N ]]; then
    NOTE[$key]="**$rows rows, expected $N**"; FAILED=1
  elif [[ ${SHA[$key]} != "$REF" ]]; then
    NOTE[$key]="**output differs**"; FAILED=1
  else
    NOTE[$key]="equal"
  fi
done

# ---------------------------------------------------------------- table
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2fx", a / b; else print "-" }'; }
per_s() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) { r = n / s; if (r >= 1e6) printf "%.2fM", r / 1e6; else printf "%.0fk", r / 1e3 } else print "-" }'; }

echo
echo "### b2b-nightly: $N leads, $EVENTS events (leads.csv $LEADS_MB MB, activities.csv $ACTS_MB MB), seed $SEED"
echo
echo "leadscore: \`$LS\` (${BUILD_TYPE:-unknown build type}); DuckDB: bench/.duckdb ($(node -p "require('$DUCKDB_DIR/node_modules/@duckdb/node-api/package.json').version" 2>/dev/null || echo '?')); $(nproc) cores, load average before the runs $LOAD_BEFORE; best of $REPEAT run(s); generator ${GEN_WALL} s"
echo
echo "| engine | threads | wall s | CPU s | peak RSS MB | leads/s | events/s | speed-up vs DuckDB | output (sorted sha256) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
for key in "${KEYS[@]}"; do
  engine=${key%-*} t=${key##*-}
  if [[ -z ${SHA[$key]:-} ]]; then
    echo "| $engine | $t | ${WALL[$key]:--} | ${CPU[$key]:--} | ${RSS[$key]:--} | - | - | - | ${NOTE[$key]} |"
    continue
  fi
  speedup="-"
  if [[ $engine == leadscore && -n ${SHA[duckdb-$t]:-} ]]; then speedup=$(ratio "${WALL[duckdb-$t]}" "${WALL[$key]}"); fi
  echo "| $engine | $t | ${WALL[$key]} | ${CPU[$key]} | ${RSS[$key]} | $(per_s "$N" "${WALL[$key]}") | $(per_s "$EVENTS" "${WALL[$key]}") | $speedup | ${NOTE[$key]} \`${SHA[$key]:0:12}\` |"
done
echo
for t in 1 2; do
  if [[ -n ${SHA[leadscore-$t]:-} && -n ${SHA[hand-written-$t]:-} ]]; then
    echo "- leadscore vs the hand-written program, $t thread(s): $(ratio "${WALL[leadscore-$t]}" "${WALL[hand-written-$t]}") of its wall time, $(ratio "${CPU[leadscore-$t]}" "${CPU[hand-written-$t]}") of its CPU time (1.00x is the limit)"
  fi
done
for engine in leadscore duckdb hand-written; do
  if [[ -n ${SHA[$engine-1]:-} && -n ${SHA[$engine-2]:-} ]]; then
    echo "- $engine scaling, 2 threads vs 1: $(ratio "${WALL[$engine-1]}" "${WALL[$engine-2]}") (1-thread wall / 2-thread wall; 2.00x is perfect)"
  fi
done

# the reference's verdicts, for a quick plausibility check
for key in duckdb-1 duckdb-2 leadscore-1 leadscore-2; do
  if [[ -n ${SHA[$key]:-} ]]; then
    awk -F, 'NR > 1 { q[$7]++; if ($6 == "true") m++; if ($5 == "true") c++ }
      END { printf "- %s: hot %d, nurture %d, fan %d, drop %d; cpal %d, mql %d\n", key, q["hot"], q["nurture"], q["fan"], q["drop"], c, m }' \
      key="$key" "$OUTDIR/$key.csv"
    break
  fi
done
echo

if ((FAILED)); then
  log "FAILED: an engine failed or the outputs differ (logs and outputs in $OUTDIR)"
  exit 1
fi
log "all outputs equal"
