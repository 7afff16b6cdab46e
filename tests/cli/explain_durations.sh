#!/usr/bin/env bash
# `explain` prints each window as written, even when another rule spells the same one differently
# (`within 14d` beside `within 2w` used to print `within 2w` for both).
#   bash explain_durations.sh LEADSCORE_BIN REPO_DIR WORK_DIR
set -euo pipefail
BIN=$(realpath "$1") WORK=$(realpath -m "$3")
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
cat > d.rules <<'RULES'
ruleset "d" version 1
schema lead { id: id }
schema activity { id: id  type: string  at: timestamp }
score interest {
  rule "A" when count(activity where type == "x" within 2w) >= 1 points 5
  rule "B" when count(activity where type == "x" within 14d) >= 2 points 5
}
RULES
printf 'id\nL1\n' > l.csv
printf 'id,type,at\nL1,x,2026-10-30T00:00:00Z\n' > e.csv
"$BIN" explain d.rules --lead L1 --leads l.csv --activities e.csv --as-of 2026-11-01 > out.txt
grep -q 'A  *count(activity where type == "x" within 2w) = 1 >= 1  ->  true' out.txt || { cat out.txt; echo "FAIL: A"; exit 1; }
grep -q 'B  *count(activity where type == "x" within 14d) = 1 >= 2  ->  false' out.txt || { cat out.txt; echo "FAIL: B as written"; exit 1; }
echo "explain_durations: all checks passed"
