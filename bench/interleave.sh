#!/usr/bin/env bash
# bench/interleave.sh ROUNDS DATA_DIR PROGRAM...
#
# Runs the b2b-nightly job with each PROGRAM in turn, ROUNDS times over (A B C A B C ...), and prints
# the min and median wall and CPU seconds of each. On a shared machine whose speed drifts by 10-20%
# within minutes, interleaving is what makes two builds (or leadscore and the hand-written program)
# comparable. DATA_DIR holds leads.csv and activities.csv (bench/data/N from compare.sh, or
# build/tools/gen_b2b_nightly --out DIR).
#
# A PROGRAM is a leadscore binary, run as `score bench/b2b-nightly.rules ...`, or the hand-written
# reference (its name contains "reference"), run with its own arguments. THREADS=N (default 1).
#
#   cp build/leadscore /tmp/before   # ... change, rebuild ...
#   bench/interleave.sh 5 bench/data/1000000 /tmp/before build/leadscore build/bench/reference/b2b_nightly_reference
set -euo pipefail

usage() { echo "usage: bench/interleave.sh ROUNDS DATA_DIR PROGRAM..." >&2; exit 2; }
[[ $# -ge 3 && $1 =~ ^[1-9][0-9]*$ ]] || usage
ROUNDS=$1
DATA=$(realpath "$2")
shift 2
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
THREADS=${THREADS:-1}
AS_OF=2026-11-01T00:00:00Z
[[ -f $DATA/leads.csv && -f $DATA/activities.csv ]] || { echo "interleave.sh: no leads.csv/activities.csv in $DATA" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "interleave.sh: /usr/bin/time is required (apt-get install time)" >&2; exit 2; }
for program in "$@"; do [[ -x $program ]] || { echo "interleave.sh: $program is not executable" >&2; exit 2; }; done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for round in $(seq "$ROUNDS"); do
  for i in $(seq 0 $(($# - 1))); do
    program=${*:$((i + 1)):1}
    if [[ $(basename "$program") == *reference* ]]; then
      command=("$program" "$DATA/leads.csv" "$DATA/activities.csv" "$WORK/out-$i.csv" --as-of $AS_OF --threads "$THREADS")
    else
      command=("$program" score "$REPO/bench/b2b-nightly.rules" --leads "$DATA/leads.csv" --activities "$DATA/activities.csv"
               --as-of $AS_OF --threads "$THREADS" --out "$WORK/out-$i.csv" --quiet)
    fi
    /usr/bin/time -o "$WORK/time.txt" -f "%e %U %S" "${command[@]}" >/dev/null 2>"$WORK/stderr.txt" ||
      { cat "$WORK/stderr.txt" >&2; echo "interleave.sh: $program failed" >&2; exit 1; }
    echo "$i $(cat "$WORK/time.txt")" >> "$WORK/runs.txt"
  done
done

echo "| program | wall s min | wall s median | CPU s min | CPU s median |"
echo "|---|---:|---:|---:|---:|"
for i in $(seq 0 $(($# - 1))); do
  stats() {  # stats COLUMN_EXPRESSION: "min median" of the program's runs
    awk -v p="$i" "\$1 == p { print $1 }" "$WORK/runs.txt" | sort -g |
      awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f %.2f\n", v[1], m }'
  }
  read -r wall_min wall_med < <(stats '$2')
  read -r cpu_min cpu_med < <(stats '$3 + $4')
  echo "| \`${*:$((i + 1)):1}\` | $wall_min | $wall_med | $cpu_min | $cpu_med |"
done
first=$(LC_ALL=C sort "$WORK/out-0.csv" | sha256sum | cut -c1-12)
equal=yes
for i in $(seq 1 $(($# - 1))); do [[ $(LC_ALL=C sort "$WORK/out-$i.csv" | sha256sum | cut -c1-12) == "$first" ]] || equal=no; done
echo
echo "outputs equal after sorting: $equal"
[[ $equal == yes ]]
