#!/usr/bin/env bash
# Rule discovery on the bank telemarketing data (docs/suggest.md): a thin ruleset of three rules ->
# `suggest` -> the suggestions adopted as they are -> `calibrate`, against a logistic regression on
# the raw columns (calibrate's --baseline-onehot) and, when python3-sklearn is installed, sklearn's
# logistic regression and gradient-boosted trees on the same columns and split.
# usage: scripts/suggest_bank.sh [BINARY] [WORK_DIR]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$repo/build/leadscore} work=${2:-/tmp/leadscore-suggest-bank}
data=$repo/../shared/data/bank-marketing/bank-additional-full.csv
mkdir -p "$work"
common=(--leads "$data" --delimiter ';' --outcome-column y --won yes --lost no --as-of 2010-12-01 --test-fraction 0.3)
# The baseline sees the same columns as the rules: who the contact is (not duration, not when).
exclude=duration,month,day_of_week,emp.var.rate,cons.price.idx,cons.conf.idx,euribor3m,nr.employed

auc() { awk '/^backtest:/ { b = 1 } b && $1 == "'"$1"':" { s = 1; next } s && $1 == "auc:" { print $2; exit }' "$2"; }

"$bin" calibrate "$repo/bench/bank-thin.rules" "${common[@]}" --baseline-onehot \
  --baseline-exclude "$exclude" --out "$work/thin.yaml" --quiet
time "$bin" suggest "$repo/bench/bank-thin.rules" "${common[@]}" --out "$work/suggested.rules"
"$bin" check "$work/suggested.rules" && "$bin" fmt --check "$work/suggested.rules"
"$bin" calibrate "$work/suggested.rules" "${common[@]}" --out "$work/suggested.yaml" --quiet
# suggest chooses its rules on the newest 25% of the older 70% (validation); calibrate's test part
# (the newest 30%) had no say, so the calibrated AUC below is an honest one.
echo "test AUC, thin ruleset written:          $(auc written "$work/thin.yaml")"
echo "test AUC, thin ruleset calibrated:       $(auc calibrated "$work/thin.yaml")"
echo "test AUC, suggested rules calibrated:    $(auc calibrated "$work/suggested.yaml")"
echo "test AUC, leadscore one-hot logistic:    $(auc baseline "$work/thin.yaml")"
if /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
  /usr/bin/python3 "$repo/scripts/bank_baselines.py" "$data"
else
  echo "(python3-sklearn not installed: no sklearn baselines)"
fi
