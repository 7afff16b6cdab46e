#!/usr/bin/env bash
# bench/scale_out.sh LEADS.csv ACTIVITIES.csv [PARTS]
#
# Issue 17's scale-out measurement on one machine: the b2b-nightly job scored by one process (1 and
# 2 threads) and by the Dask driver on a LocalCluster of 2 single-threaded workers over PARTS parts
# (default 8), its workers in the driver's process and, as a second row, in their own processes
# (--worker-processes); and, as the floor for any driver, the same parts two at a time from the
# shell. Runs are interleaved (REPEAT rounds, default 3) so that every ratio compares runs a few
# seconds apart; the table shows each run's median wall time and its ratio to the 1-thread run.
# Every output is checked equal to the 1-thread one after sorting. Partitioning is done once, timed
# and not counted. Peak RSS of the largest part is measured too (the memory a worker needs).
#
# Environment: LEADSCORE=path/to/leadscore (default build/leadscore); PYTHON (default
# /usr/bin/python3, which needs python3-distributed); REPEAT=R; WORK=dir for parts and outputs
# (default a temporary directory, removed afterwards). Exit status 0 when all outputs are equal.
set -euo pipefail

usage() { echo "usage: bench/scale_out.sh LEADS.csv ACTIVITIES.csv [PARTS]" >&2; exit 2; }
[[ $# -ge 2 && $# -le 3 ]] || usage
LEADS=$(realpath "$1")
ACTIVITIES=$(realpath "$2")
PARTS=${3:-8}
REPEAT=${REPEAT:-3}
[[ $PARTS =~ ^[1-9][0-9]*$ && $REPEAT =~ ^[1-9][0-9]*$ ]] || usage

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=$(realpath "${LEADSCORE:-$REPO/build/leadscore}")
PY=${PYTHON:-/usr/bin/python3}
RULES=$REPO/bench/b2b-nightly.rules
AS_OF=2026-11-01T00:00:00Z
log() { echo "scale_out.sh: $*" >&2; }
die() { log "$*"; exit 1; }
[[ -x $BIN ]] || die "no leadscore binary at $BIN (build first, or set LEADSCORE)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is required (apt-get install time)"
"$PY" -c 'import distributed' 2>/dev/null || die "$PY has no dask.distributed (apt-get install python3-distributed)"

if [[ -n ${WORK:-} ]]; then mkdir -p "$WORK"; else WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT; fi
WORK=$(realpath "$WORK")

# timed_run LABEL COMMAND...: runs COMMAND under /usr/bin/time, appends "LABEL wall_s peak_rss_kb" to runs.txt
timed_run() {
  local label=$1; shift
  /usr/bin/time -o "$WORK/time.txt" -f "%e %M" "$@" 2> "$WORK/stderr.txt" || { cat "$WORK/stderr.txt" >&2; die "$label failed"; }
  echo "$label $(cat "$WORK/time.txt")" >> "$WORK/runs.txt"
}
sorted_rows() { tail -q -n +2 "$@" | LC_ALL=C sort | sha256sum | cut -c1-12; }

log "partitioning into $PARTS parts"
rm -rf "$WORK/parts" "$WORK/runs.txt"
start=$(date +%s.%N)
"$BIN" partition "$RULES" --leads "$LEADS" --activities "$ACTIVITIES" --parts "$PARTS" --out "$WORK/parts" --quiet
partition_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

for round in $(seq "$REPEAT"); do
  log "round $round of $REPEAT"
  for threads in 1 2; do
    timed_run "threads-$threads" "$BIN" score "$RULES" --leads "$LEADS" --activities "$ACTIVITIES" \
      --as-of $AS_OF --threads $threads --out "$WORK/single-$threads.csv" --quiet
  done
  # The floor for any driver: the same parts, two at a time, started from the shell.
  rm -rf "$WORK/shell-out"
  timed_run shell-2 bash -c 'ls -d "$1"/parts/part-* | xargs -P 2 -I{} bash -c '"'"'o="$0/shell-out/$(basename "$1")";
    mkdir -p "$o" && exec "$2" score "$3" --leads "$1/leads.csv" --activities "$1/activities.csv" --as-of "$4" \
    --threads 1 --out "$o/scores.csv" --rejects "$o/rejects.csv" --quiet'"'"' "$1" {} "$2" "$3" "$4"' \
    _ "$WORK" "$BIN" "$RULES" "$AS_OF"
  rm -rf "$WORK/dask-out" "$WORK/dask-processes-out"
  timed_run dask env PYTHONPATH="$REPO/python" "$PY" -m leadscore_dask --local 2 --binary "$BIN" --rules "$RULES" \
    --parts "$WORK/parts" --out "$WORK/dask-out" --as-of $AS_OF --threads 1
  timed_run dask-processes env PYTHONPATH="$REPO/python" "$PY" -m leadscore_dask --local 2 --worker-processes \
    --binary "$BIN" --rules "$RULES" --parts "$WORK/parts" --out "$WORK/dask-processes-out" --as-of $AS_OF --threads 1
done

# The memory one worker needs: the largest part scored alone.
largest=$(ls -S "$WORK"/parts/part-*/leads.csv | head -1)
timed_run part-rss "$BIN" score "$RULES" --leads "$largest" --activities "$(dirname "$largest")/activities.csv" \
  --as-of $AS_OF --threads 1 --out "$WORK/part.csv" --quiet

reference=$(sorted_rows "$WORK/single-1.csv")
equal=yes
[[ $(sorted_rows "$WORK/single-2.csv") == "$reference" ]] || equal=no
[[ $(sorted_rows "$WORK"/shell-out/part-*/scores.csv) == "$reference" ]] || equal=no
[[ $(sorted_rows "$WORK"/dask-out/part-*/scores.csv) == "$reference" ]] || equal=no
[[ $(sorted_rows "$WORK"/dask-processes-out/part-*/scores.csv) == "$reference" ]] || equal=no

median() {
  awk -v l="$1" '$1 == l { print $2 }' "$WORK/runs.txt" | sort -g |
    awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
all_runs() { awk -v l="$1" '$1 == l { printf "%s%s", sep, $2; sep = ", " }' "$WORK/runs.txt"; }
peak_mb() { awk -v l="$1" '$1 == l && $3 > m { m = $3 } END { printf "%.0f", m / 1024 }' "$WORK/runs.txt"; }
one=$(median threads-1)
echo
echo "$(wc -l < "$LEADS" | awk '{ print $1 - 1 }') leads; $PARTS parts (partitioned in $partition_s s, not counted);" \
     "$REPEAT interleaved rounds; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| run | wall s (each round) | median | vs 1 thread | peak RSS MB |"
echo "|---|---|---:|---:|---:|"
for label in threads-1 threads-2 shell-2 dask dask-processes; do
  m=$(median $label)
  ratio="$(awk -v a="$m" -v b="$one" 'BEGIN { printf "%.2f", a / b }')x of the time"  # runs over parts
  rss="$(peak_mb part-rss) per part"
  case $label in
    threads-1) name='`score --threads 1`'; ratio=1.00x; rss=$(peak_mb $label) ;;
    threads-2) name='`score --threads 2`'; ratio="$(awk -v a="$one" -v b="$m" 'BEGIN { printf "%.2f", a / b }')x faster"
               rss=$(peak_mb $label) ;;
    shell-2) name="$PARTS parts, 2 at a time from the shell (no Dask: the floor)" ;;
    dask) name="Dask \`--local 2\` (cluster start counted), $PARTS parts" ;;
    dask-processes) name="Dask \`--local 2 --worker-processes\`, $PARTS parts" ;;
  esac
  echo "| $name | $(all_runs $label) | $m | $ratio | $rss |"
done
echo
echo "outputs equal after sorting: $equal (sha256 of the sorted rows: $reference)"
[[ $equal == yes ]]
