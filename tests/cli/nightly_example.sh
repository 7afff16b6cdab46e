#!/usr/bin/env bash
# examples/nightly/week.sh plays the week docs/nightly.md shows: its numbers stay the documented ones.
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
LEADSCORE=$bin "$repo/examples/nightly/week.sh" "$work/week" > week.txt 2>&1 || fail "week.sh: $(tail -5 week.txt)"
rows=$(grep -o 'changes.csv: [0-9]* rows to upload' week.txt | awk '{print $2}' | tr '\n' ' ')
[ "$rows" = "2975 87 89 92 88 102 44 " ] || fail "changes rows per night: $rows"
mql=$(grep -o '^mql since last run: .*' week.txt | tr '\n' '|')
[ "$mql" = "mql since last run: 2 new, 3 lost|mql since last run: 0 new, 2 lost|mql since last run: 4 new, 1 lost|mql since last run: 1 new, 2 lost|mql since last run: 5 new, 0 lost|mql since last run: 0 new, 0 lost|" ] ||
  fail "mql transitions: $mql"
[ "$(ls "$work/week/published/history" | wc -l)" -eq 7 ] || fail "history"
grep -q '^L00161,70,38.11,108.11,true,true,hot,103.23,4.88,new,2026-11-01T00:00:00Z,nurture,' \
  "$work/week/published/history/scores-before-2026-11-02.csv" || fail "L00161 row"
echo "nightly example: ok"
