#!/usr/bin/env bash
# The public bank telemarketing data (no id column, `;`-delimited): every row is scored, the counts
# reconcile, and the id is the data row's number.
set -euo pipefail
bin=$1 repo=$2 work=$3
data=$repo/../shared/data/bank-marketing/bank-additional-full.csv
[ -f "$data" ] || { echo "skipped: $data not present"; exit 0; }
rm -rf "$work" && mkdir -p "$work"
"$bin" score "$repo/rules/examples/bank-telemarketing.rules" --leads "$data" --delimiter ';' \
  --as-of 2026-11-01 --out "$work/bank.csv" --rejects "$work/rejects.csv" 2> "$work/summary.txt"
cat "$work/summary.txt"
grep -q "leads: 41188 rows read = 41188 scored + 0 rejected" "$work/summary.txt" || { echo "FAIL: counts"; exit 1; }
[ "$(wc -l < "$work/bank.csv")" -eq 41189 ] || { echo "FAIL: expected 41188 rows plus a header"; exit 1; }
[ "$(sed -n 2p "$work/bank.csv" | cut -d, -f1)" = 1 ] || { echo "FAIL: first id is not 1"; exit 1; }
[ "$(tail -n 1 "$work/bank.csv" | cut -d, -f1)" = 41188 ] || { echo "FAIL: last id is not 41188"; exit 1; }
[ "$(wc -l < "$work/rejects.csv")" -eq 1 ] || { echo "FAIL: rejects file should hold only its header"; exit 1; }
# No rule may read the leaking `duration` column or the outcome `y`.
if grep -Eq '^[^#]*"(duration|y)"' "$repo/rules/examples/bank-telemarketing.rules"; then
  echo "FAIL: bank-telemarketing.rules reads duration or y"; exit 1
fi
echo "bank data: 41188 scored, 0 rejected"
