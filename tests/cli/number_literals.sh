#!/usr/bin/env bash
# Number literals with k, M and B are the exact values docs/language.md promises (8.3M is 8,300,000,
# not 8300000.000000001), so a threshold catches a lead exactly at it:
#   bash number_literals.sh LEADSCORE_BIN REPO_DIR WORK_DIR
set -euo pipefail
BIN=$(realpath "$1") WORK=$(realpath -m "$3")
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_line() { grep -Eq -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "$3: no line matching /$2/"; }; }

cat > k.rules <<'R'
ruleset "k" version 1
schema lead { id: id  rev: number  emp: int }
score fit {
  rule "rev >= 8.3M"        when rev >= 8.3M       points 1
  rule "rev >= 8_300_000"   when rev >= 8_300_000  points 2
  rule "emp >= 16.1k"       when emp >= 16.1k      points 4
  rule "emp == 1.005k"      when emp == 1.005k     points 8
  rule "1.005k == 1005"     when 1.005k == 1005    points 16
}
R
printf 'id,rev,emp\n1,8300000,16100\n2,0,1005\n' > l.csv
"$BIN" score k.rules --leads l.csv --as-of 2026-11-01 --out k.out --quiet
# Every rule fires that should: the last one for every lead (1.005k is 1005).
expect_line k.out '^1,23,23$' "lead 1 at exactly 8.3M and 16.1k: 1 + 2 + 4 + 16"
expect_line k.out '^2,24,24$' "lead 2 at exactly 1.005k: 8 + 16"
