#!/usr/bin/env bash
# Rule discovery on real outcomes (issue 16): from the deliberately thin bench/bank-thin.rules (three
# rules), the rules `suggest` proposes, adopted as they are and calibrated, reach a test AUC within
# 0.01 of a logistic regression on the one-hot raw columns (calibrate's --baseline-onehot, which
# scikit-learn's agrees with, scripts/bank_baselines.py), on the same newest 30% of rows.
set -euo pipefail
bin=$1 repo=$2 work=$3
data=$repo/../shared/data/bank-marketing/bank-additional-full.csv
[ -f "$data" ] || { echo "skipped: $data not present"; exit 0; }
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
common=(--leads "$data" --delimiter ';' --outcome-column y --won yes --lost no --as-of 2010-12-01 --test-fraction 0.3)
# The baseline sees the same columns as the rules: who the contact is (not duration, not when).
exclude=duration,month,day_of_week,emp.var.rate,cons.price.idx,cons.conf.idx,euribor3m,nr.employed
auc() {  # auc SECTION FILE: the test AUC of written, calibrated or baseline
  awk -v section="$1" '/^backtest:/ { b = 1 } b && $1 == section ":" { s = 1; next } s && $1 == "auc:" { print $2; exit }' "$2"
}

"$bin" calibrate "$repo/bench/bank-thin.rules" "${common[@]}" --baseline-onehot --baseline-exclude "$exclude" \
  --out "$work/thin.yaml" --quiet 2> /dev/null || fail "calibrate the thin rules"
"$bin" suggest "$repo/bench/bank-thin.rules" "${common[@]}" --out "$work/suggested.rules" 2> "$work/suggest.txt" ||
  { cat "$work/suggest.txt"; fail "suggest"; }
cat "$work/suggest.txt"
grep -q 'duration' "$work/suggested.rules" && ! grep -q 'when.*duration' "$work/suggested.rules" ||
  fail "a suggestion uses duration, which the rules mark as leaking"
"$bin" check "$work/suggested.rules" > /dev/null || fail "the suggested rules do not check"
"$bin" calibrate "$work/suggested.rules" "${common[@]}" --out "$work/suggested.yaml" --quiet 2> /dev/null ||
  fail "calibrate the suggested rules"
thin=$(auc calibrated "$work/thin.yaml") adopted=$(auc calibrated "$work/suggested.yaml") baseline=$(auc baseline "$work/thin.yaml")
echo "test AUC: thin calibrated $thin, suggested and calibrated $adopted, one-hot logistic regression $baseline"
awk -v a="$adopted" -v b="$baseline" 'BEGIN { exit !(a >= b - 0.01) }' ||
  fail "the adopted suggestions reach $adopted, not within 0.01 of the logistic regression's $baseline"
awk -v a="$adopted" -v t="$thin" 'BEGIN { exit !(a > t + 0.02) }' ||
  fail "the adopted suggestions ($adopted) do not beat the thin rules ($thin)"
echo "suggest on the bank data: ok"
