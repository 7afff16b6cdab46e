#!/usr/bin/env bash
# Walk-forward settings on the bank telemarketing data, measured twice:
#   "train": inside the oldest 70% of rows only (28,832; the newest 65% of them scored walk-forward),
#            where settings may be chosen without looking at the test period;
#   "test":  on the newest 30% of rows (12,356), the out-of-sample backtest of docs/calibration.md.
# Prints one markdown table row per setting:
#   scripts/calibration_grid.sh [BIN] [train|test|both]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/leadscore}
parts=${2:-both}
data=../shared/data/bank-marketing/bank-additional-full.csv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -n 28833 "$data" > "$work/train.csv"

run() {  # PART FILE TEST_FRACTION EVERY WINDOW CURVE
  local args=(--refit-every "$4")
  [ "$5" = all ] || args+=(--refit-window "$5")
  [ "$6" = same ] || args+=(--curve-window "$6")
  "$bin" calibrate rules/examples/bank-telemarketing.rules --leads "$2" --delimiter ';' --outcome-column y \
    --won yes --lost no --as-of 2010-12-01 --test-fraction "$3" "${args[@]}" --out "$work/w.yaml" 2> "$work/summary.txt"
  awk -v part="$1" -v every="$4" -v window="$5" -v curve="$6" '
    /^walk-forward:/ { on = 1; next }
    on && $1 == "written" { wa = $3; wc = $6; wb = $8; wg = $15 }
    on && $1 == "calibrated" { ca = $3; cc = $6; cb = $8; cg = $15; on = 0 }
    END { printf "| %s | %s | %s | %s | %s / %s | %s / %s | %s / %s | %s / %s |\n",
                 part, every, window, curve, wa, ca, wc, cc, wb, cb, wg, cg }' "$work/summary.txt"
}

echo "| part | refit every | window | curve window | AUC written / calibrated | within-chunk AUC | Brier | worst decile gap (points) |"
echo "|---|---|---|---|---|---|---|---|"
for part in train test; do
  [ "$parts" = both ] || [ "$parts" = "$part" ] || continue
  if [ "$part" = train ]; then file=$work/train.csv fraction=0.65; else file=$data fraction=0.3; fi
  for every in 250 500 1000 2000; do
    for window in all 10000 5000 2000; do
      for curve in same 2000 1000; do
        run "$part" "$file" "$fraction" "$every" "$window" "$curve"
      done
    done
  done
done
