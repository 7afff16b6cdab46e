#!/usr/bin/env bash
# Adopting calibrated weights keeps each example ruleset one consistent model (docs/calibration.md,
# "One consistent model"): every classify value that held leads with the written points still holds
# leads, and the MQL share moves no more than the policy allows (2 points, or a fifth of itself).
# The example data has no outcomes, so each lead gets one drawn from its written score's rank
# (a fixed seed): the better half of the leads closes three times as often as the rest.
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
as_of=2026-11-01T00:00:00Z
cp -r "$repo/rules/examples/lists" "$work/lists"

# column NAME FILE: the 1-based position of NAME in FILE's header.
column() { head -1 "$2" | tr ',' '\n' | grep -nx "$1" | cut -d: -f1; }

# shares FILE COLUMN: `value share` per value of COLUMN (empty values as `-`), sorted by value.
shares() {
  local c
  c=$(column "$2" "$1")
  awk -F, -v c="$c" 'NR > 1 { n++; v = $c == "" ? "-" : $c; count[v]++ }
    END { for (v in count) printf "%s %.4f\n", v, count[v] / n }' "$1" | sort
}

for example in b2b-saas product-led enterprise; do
  data=$repo/rules/examples/data/$example
  "$bin" score "$repo/rules/examples/$example.rules" --leads "$data/leads.csv" --activities "$data/activities.csv" \
    --as-of "$as_of" --quiet --out "$work/$example-written.csv"
  score=$(column score "$work/$example-written.csv")
  sort -t, -k"$score","$score"g <(tail -n +2 "$work/$example-written.csv") |
    awk -F, 'BEGIN { srand(12); print "lead_id,outcome" } { rows[NR] = $1 }
      END { for (i = 1; i <= NR; i++) print rows[i] "," (rand() < (i > NR / 2 ? 0.45 : 0.15) ? "won" : "lost") }' \
    > "$work/$example-outcomes.csv"
  "$bin" calibrate "$repo/rules/examples/$example.rules" --leads "$data/leads.csv" --activities "$data/activities.csv" \
    --outcomes "$work/$example-outcomes.csv" --as-of "$as_of" --out "$work/$example.yaml" 2> "$work/$example-summary.txt" ||
    { cat "$work/$example-summary.txt"; fail "$example: calibrate"; }
  grep -q '^adopted:' "$work/$example.yaml" || fail "$example: no adopted limits and thresholds"
  sed "s/^ruleset .*/&\ncalibration \"$example.yaml\"/" "$repo/rules/examples/$example.rules" > "$work/$example.rules"
  "$bin" check "$work/$example.rules" > "$work/$example-check.txt" || fail "$example: check"
  ! grep -q 'calibration-out-of-date\|unreachable-threshold' "$work/$example-check.txt" ||
    { cat "$work/$example-check.txt"; fail "$example: check warns about the adopted weights"; }
  "$bin" score "$work/$example.rules" --leads "$data/leads.csv" --activities "$data/activities.csv" \
    --as-of "$as_of" --quiet --out "$work/$example-adopted.csv"

  classify=$(awk '/^classify / { print $2 }' "$repo/rules/examples/$example.rules")
  shares "$work/$example-written.csv" "$classify" > "$work/$example-written.shares"
  shares "$work/$example-adopted.csv" "$classify" > "$work/$example-adopted.shares"
  echo "$example $classify (value, written share, adopted share):"
  join -a 1 -e 0 -o 0,1.2,2.2 "$work/$example-written.shares" "$work/$example-adopted.shares" | sed 's/^/  /'
  join -a 1 -e 0 -o 0,1.2,2.2 "$work/$example-written.shares" "$work/$example-adopted.shares" |
    awk -v ex="$example" '$2 > 0 && $3 == 0 { print "FAIL: " ex ": classify value " $1 " is empty after adoption"; bad = 1 }
      END { exit bad }' || exit 1

  mql=$(column mql "$work/$example-written.csv")
  written_mql=$(awk -F, -v c="$mql" 'NR > 1 { n++; m += $c == "true" } END { printf "%.4f", m / n }' "$work/$example-written.csv")
  adopted_mql=$(awk -F, -v c="$mql" 'NR > 1 { n++; m += $c == "true" } END { printf "%.4f", m / n }' "$work/$example-adopted.csv")
  echo "  mql share: written $written_mql, adopted $adopted_mql"
  awk -v w="$written_mql" -v a="$adopted_mql" -v ex="$example" 'BEGIN {
    allowed = 0.2 * w; if (allowed < 0.02) allowed = 0.02
    d = a - w; if (d < 0) d = -d
    if (d > allowed + 1e-9) { print "FAIL: " ex ": the MQL share moved " d ", more than " allowed; exit 1 } }' || exit 1
done
echo "ok"
