#!/usr/bin/env bash
# bench/part_memory.sh LEADS.csv ACTIVITIES.csv PARTS
#
# How memory divides over parts (issue 17): scores the b2b-nightly job once whole and once per part
# (one process per part, one after another, 1 thread each) and prints one markdown table row: leads,
# events, the whole run's wall time and peak RSS, the parts' summed wall time, the largest part's
# peak RSS and the whole run's peak RSS divided by PARTS. Checks that the parts' scores equal the
# whole run's after sorting.
#
# Environment: LEADSCORE=path/to/leadscore (default build/leadscore); WORK=dir for parts and
# outputs (default a temporary directory, removed afterwards).
set -euo pipefail

usage() { echo "usage: bench/part_memory.sh LEADS.csv ACTIVITIES.csv PARTS" >&2; exit 2; }
[[ $# -eq 3 && $3 =~ ^[1-9][0-9]*$ ]] || usage
LEADS=$(realpath "$1")
ACTIVITIES=$(realpath "$2")
PARTS=$3
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=$(realpath "${LEADSCORE:-$REPO/build/leadscore}")
RULES=$REPO/bench/b2b-nightly.rules
AS_OF=2026-11-01T00:00:00Z
die() { echo "part_memory.sh: $*" >&2; exit 1; }
[[ -x $BIN ]] || die "no leadscore binary at $BIN (build first, or set LEADSCORE)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is required (apt-get install time)"
if [[ -n ${WORK:-} ]]; then mkdir -p "$WORK"; else WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT; fi

# score_timed LEADS ACTIVITIES OUT: prints "wall_s peak_kb" and the summary's events-read count
score_timed() {
  /usr/bin/time -o "$WORK/time.txt" -f "%e %M" "$BIN" score "$RULES" --leads "$1" --activities "$2" \
    --as-of $AS_OF --threads 1 --out "$3" 2> "$WORK/summary.txt" || { cat "$WORK/summary.txt" >&2; die "score $1 failed"; }
  echo "$(cat "$WORK/time.txt") $(sed -n 's/^activities: \([0-9]*\) events read.*/\1/p' "$WORK/summary.txt")"
}

rm -rf "$WORK/parts"
"$BIN" partition "$RULES" --leads "$LEADS" --activities "$ACTIVITIES" --parts "$PARTS" --out "$WORK/parts" --quiet
read -r whole_s whole_kb events < <(score_timed "$LEADS" "$ACTIVITIES" "$WORK/whole.csv")
parts_s=0 part_kb=0
for part in "$WORK"/parts/part-*; do
  read -r s kb _ < <(score_timed "$part/leads.csv" "$part/activities.csv" "$part/scores.csv")
  parts_s=$(awk -v a="$parts_s" -v b="$s" 'BEGIN { print a + b }')
  ((kb > part_kb)) && part_kb=$kb
done
cmp -s <(tail -n +2 "$WORK/whole.csv" | LC_ALL=C sort) \
       <(tail -q -n +2 "$WORK"/parts/part-*/scores.csv | LC_ALL=C sort) || die "the parts' scores differ from the whole run's"

leads=$(($(wc -l < "$LEADS") - 1))
awk -v leads="$leads" -v events="$events" -v n="$PARTS" -v ws="$whole_s" -v wk="$whole_kb" -v ps="$parts_s" -v pk="$part_kb" \
  'function mb(kb) { return sprintf("%.0f", kb / 1024) }
   BEGIN { printf "| %\047d | %.1fM | %.1f s | %s MB | %d | %.1f s | %s MB | %s MB |\n",
           leads, events / 1e6, ws, mb(wk), n, ps, mb(pk), mb(wk / n) }'
