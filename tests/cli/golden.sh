#!/usr/bin/env bash
# Golden files for whole-command output: score (CSV, --explain, jsonl), explain (text, json), the
# rejects file and check's diagnostics (semantic and syntax errors). Rewrite them only on purpose:
# UPDATE_GOLDEN=1 ctest -R golden
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
golden=$repo/tests/golden
ex=$repo/rules/examples
asof=2026-11-01T00:00:00Z
failures=0

compare() {  # compare NAME ACTUAL
  local name=$1 actual=$2
  if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then cp "$actual" "$golden/$name"; echo "updated $name"; return; fi
  if ! cmp -s "$golden/$name" "$actual"; then
    echo "FAIL golden $name differs (diff golden actual):"
    diff "$golden/$name" "$actual" | head -20 || true
    failures=$((failures + 1))
  fi
}

cd "$work"
d=$ex/data/b2b-saas
"$bin" score "$ex/b2b-saas.rules" --leads "$d/leads.csv" --activities "$d/activities.csv" --as-of $asof \
  --explain --out b2b-explain.csv --quiet
compare b2b-saas.explain.csv b2b-explain.csv
d=$ex/data/product-led
"$bin" score "$ex/product-led.rules" --leads "$d/leads.csv" --activities "$d/activities.csv" --as-of $asof \
  --format jsonl --out plg.jsonl --quiet
compare product-led.scores.jsonl plg.jsonl
d=$ex/data/enterprise
"$bin" score "$ex/enterprise.rules" --leads "$d/leads.csv" --activities "$d/activities.csv" --as-of $asof \
  --out ent.csv --quiet
compare enterprise.scores.csv ent.csv
lead=$(sed -n 2p ent.csv | cut -d, -f1)
"$bin" explain "$ex/enterprise.rules" --lead "$lead" --leads "$d/leads.csv" --activities "$d/activities.csv" \
  --as-of $asof > ent-explain.txt
compare enterprise.explain.txt ent-explain.txt
"$bin" explain "$ex/enterprise.rules" --lead "$lead" --leads "$d/leads.csv" --activities "$d/activities.csv" \
  --as-of $asof --format json > ent-explain.json
compare enterprise.explain.json ent-explain.json

# Why not MQL: explain on the first lead that is not an MQL in each example, text and JSON.
for name in b2b-saas product-led enterprise; do
  d=$ex/data/$name
  "$bin" score "$ex/$name.rules" --leads "$d/leads.csv" --activities "$d/activities.csv" --as-of $asof \
    --out $name-all.csv --quiet
  mql_column=$(head -1 $name-all.csv | tr ',' '\n' | grep -n '^mql$' | cut -d: -f1)
  lead=$(awk -F, -v c="$mql_column" 'NR > 1 && $c == "false" { print $1; exit }' $name-all.csv)
  "$bin" explain "$ex/$name.rules" --lead "$lead" --leads "$d/leads.csv" --activities "$d/activities.csv" \
    --as-of $asof > $name-why-not.txt
  compare $name.why-not.txt $name-why-not.txt
  "$bin" explain "$ex/$name.rules" --lead "$lead" --leads "$d/leads.csv" --activities "$d/activities.csv" \
    --as-of $asof --format json > $name-why-not.json
  compare $name.why-not.json $name-why-not.json
done
bank=$repo/../shared/data/bank-marketing/bank-additional-full.csv
if [ -f "$bank" ]; then
  "$bin" explain "$ex/bank-telemarketing.rules" --lead 2 --leads "$bank" --delimiter ';' --as-of $asof \
    > bank-why-not.txt
  compare bank-telemarketing.why-not.txt bank-why-not.txt
  "$bin" explain "$ex/bank-telemarketing.rules" --lead 2 --leads "$bank" --delimiter ';' --as-of $asof \
    --format json > bank-why-not.json
  compare bank-telemarketing.why-not.json bank-why-not.json
fi

# Rows that cannot be leads: the rejects file, and the summary's reconciliation.
c=$(cd "$repo/../shared/conformance/cases/01-contract-example" 2>/dev/null && pwd || true)
if [ -n "$c" ]; then
  "$bin" score "$c/rules.rules" --leads "$golden/inputs/bad-rows.csv" --as-of $asof --out bad.csv \
    --rejects rejects.csv --no-activities --max-reject-rate 1 2> bad-summary.txt
  compare bad-rows.scores.csv bad.csv
  compare bad-rows.rejects.csv rejects.csv
  grep -q "leads: 5 rows read = 1 scored + 4 rejected" bad-summary.txt || { echo "FAIL summary: $(cat bad-summary.txt)"; failures=$((failures + 1)); }
fi

# check: every error of the file with its caret, and exit status 1.
set +e
(cd "$golden/inputs" && "$bin" check typo.rules) > check.txt 2>&1
rc=$?
set -e
[ $rc -eq 1 ] || { echo "FAIL check exit status $rc, expected 1"; failures=$((failures + 1)); }
compare typo.check.txt check.txt

# check: the three syntax slips (a misspelt declaration, a string closed too early, an unclosed `(`).
set +e
(cd "$golden/inputs" && "$bin" check syntax.rules) > syntax.txt 2>&1
rc=$?
set -e
[ $rc -eq 1 ] || { echo "FAIL check syntax.rules exit status $rc, expected 1"; failures=$((failures + 1)); }
compare syntax.check.txt syntax.txt

[ $failures -eq 0 ] && echo "golden: all outputs match"
exit $failures
