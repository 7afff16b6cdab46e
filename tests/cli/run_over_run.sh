#!/usr/bin/env bash
# Run over run (issue 13 items 1 and 5): three nightly runs chained by --previous give the exact
# transitions, mql_since carried forward, new and gone leads, --changes-out with exactly the changed
# leads (--min-change), and the CRM columns (--keep, --stamp, --rename, --reasons-max).
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
same() { diff -u "$2" "$1" > /dev/null || fail "$1 differs: $(diff -u "$2" "$1")"; }
cat > p.rules <<'RULES'
ruleset "p" version 2
schema lead { lead_id: id  employees: number  email: string  crm_id: string }
score fit {
  rule "Big" when employees >= 100 points 60
  rule "Huge" when employees >= 1000 points 5
}
mql when score >= 50
classify tier { "A" when score >= 50  "B" when score < 50 }
RULES
h=lead_id,employees,email,crm_id
printf '%s\nL1,500,a@x.com,001A\nL2,5,b@x.com,001B\nL3,200,c@x.com,001C\n' $h > night1.csv
printf '%s\nL1,500,a@x.com,001A\nL2,150,b@x.com,001B\nL3,20,c@x.com,001C\nL4,300,d@x.com,001D\n' $h > night2.csv
printf '%s\nL1,1500,a@x.com,001A\nL2,150,b@x.com,001B\nL4,30,d@x.com,001D\n' $h > night3.csv
: > none.csv
cols=lead_id,fit,score,mql,tier,previous_score,score_change,mql_change,mql_since,previous_tier,export_change

# ---- Night 1: an empty previous file is a first run, every lead is new.
"$bin" score p.rules --leads night1.csv --as-of 2026-11-01 --previous none.csv --out out1.csv 2> s1.txt
printf '%s\n%s\n%s\n%s\n' $cols \
  'L1,60,60,true,A,,,new,2026-11-01T00:00:00Z,,new' 'L2,0,0,false,B,,,,,,new' \
  'L3,60,60,true,A,,,new,2026-11-01T00:00:00Z,,new' > want1.csv
same out1.csv want1.csv
grep -q '^previous: none.csv is empty: a first run, every lead is new$' s1.txt || fail "first run: $(cat s1.txt)"

# ---- Night 2: L2 becomes an MQL, L3 is lost, L4 is new; L1 keeps its mql_since.
"$bin" score p.rules --leads night2.csv --as-of 2026-11-02 --previous out1.csv --out out2.csv --changes-out changes2.csv 2> s2.txt
printf '%s\n%s\n%s\n%s\n%s\n' $cols \
  'L1,60,60,true,A,60,0,,2026-11-01T00:00:00Z,A,' 'L2,60,60,true,A,0,60,new,2026-11-02T00:00:00Z,B,' \
  'L3,0,0,false,B,60,-60,lost,,A,' 'L4,60,60,true,A,,,new,2026-11-02T00:00:00Z,,new' > want2.csv
same out2.csv want2.csv
grep -v '^L1,' want2.csv > want_changes2.csv
same changes2.csv want_changes2.csv
grep -q '^previous: out1.csv: 3 rows, 3 leads matched, 1 new tonight, 0 gone from the export$' s2.txt || fail "s2: $(cat s2.txt)"
grep -q '^mql since last run: 2 new, 1 lost$' s2.txt || fail "s2 mql: $(cat s2.txt)"
grep -A4 '^tier since last run' s2.txt | tr -s ' ' > matrix2.txt
printf '%s\n' 'tier since last run (rows: last run, columns: tonight):' ' A B' ' A 1 1' ' B 1 0' ' (new) 1 0' > want_matrix2.txt
same matrix2.txt want_matrix2.txt
grep -q '^changed since last run: 3 leads (+ 0 gone) written to changes2.csv$' s2.txt || fail "s2 changed: $(cat s2.txt)"

# ---- Night 3: L3 gone from the export, L4 lost, L1 +5 points (under --min-change 10: no change).
"$bin" score p.rules --leads night3.csv --as-of 2026-11-03 --previous out2.csv --out out3.csv --changes-out changes3.csv \
  --min-change 10 2> s3.txt
printf '%s\n%s\n%s\n%s\n' $cols \
  'L1,65,65,true,A,60,5,,2026-11-01T00:00:00Z,A,' 'L2,60,60,true,A,60,0,,2026-11-02T00:00:00Z,A,' \
  'L4,0,0,false,B,60,-60,lost,,A,' > want3.csv
same out3.csv want3.csv
printf '%s\n%s\n%s\n' $cols 'L4,0,0,false,B,60,-60,lost,,A,' 'L3,,,,,0,,,,B,gone' > want_changes3.csv
same changes3.csv want_changes3.csv
grep -q '^previous: out2.csv: 4 rows, 3 leads matched, 0 new tonight, 1 gone from the export (L3)$' s3.txt || fail "s3: $(cat s3.txt)"
grep -q '^mql since last run: 0 new, 1 lost$' s3.txt || fail "s3 mql: $(cat s3.txt)"
"$bin" score p.rules --leads night3.csv --as-of 2026-11-03 --previous out2.csv --out out3b.csv --changes-out changes3b.csv \
  2> /dev/null
[ "$(cut -d, -f1 changes3b.csv | tr '\n' ' ')" = "lead_id L1 L4 L3 " ] || fail "without --min-change: $(cat changes3b.csv)"

# A gone lead keeps its --keep columns from the previous file: the CRM record id is the key the
# upload acts on (here L3's 001C).
"$bin" score p.rules --leads night2.csv --as-of 2026-11-02 --previous out1.csv --out keep2.csv --keep crm_id 2> /dev/null
"$bin" score p.rules --leads night3.csv --as-of 2026-11-03 --previous keep2.csv --out keep3.csv --keep crm_id \
  --changes-out keep-changes3.csv 2> /dev/null
[ "$(grep '^L3,' keep-changes3.csv)" = "L3,,,,,0,,,,B,gone,001C" ] || fail "gone lead's kept column: $(cat keep-changes3.csv)"

# A JSON lines output is not a --previous file: said so, not "no column lead_id".
"$bin" score p.rules --leads night1.csv --as-of 2026-11-01 --out out1.jsonl --format jsonl 2> /dev/null
set +e
"$bin" score p.rules --leads night2.csv --as-of 2026-11-02 --previous out1.jsonl --out x.csv > jsonl.txt 2>&1; rc=$?
set -e
[ $rc -eq 1 ] && grep -q 'out1.jsonl: this looks like JSON lines; --previous reads the CSV output' jsonl.txt ||
  fail "jsonl previous: $rc $(cat jsonl.txt)"
set +e
"$bin" score p.rules --leads night2.csv --as-of 2026-11-02 --previous nope.csv --out x.csv > nope.txt 2>&1
set -e
grep -q '^leadscore score: --previous: cannot open nope.csv' nope.txt || fail "missing previous: $(cat nope.txt)"

# ---- Option mistakes are usage errors (exit 2).
usage() {
  local rc
  set +e
  "$bin" score p.rules --leads night1.csv --as-of 2026-11-01 --out x.csv "$@" > usage.txt 2>&1; rc=$?
  set -e
  [ $rc -eq 2 ] || fail "$*: exit $rc, expected 2"
}
usage --changes-out c.csv
usage --min-change 3
usage --reasons-max 3
usage --rename score
usage --stamp colour
usage --rename score=A,score=B
usage --keep crm_id,crm_id
grep -q -- '--keep names column "crm_id" twice' usage.txt || fail "--keep twice: $(cat usage.txt)"
# Column plans are checked against the rules (exit 1, before anything is read).
plan_error() {
  local message=$1 rc
  shift
  set +e
  "$bin" score p.rules --leads night1.csv --as-of 2026-11-01 --out x.csv "$@" > plan.txt 2>&1; rc=$?
  set -e
  [ $rc -eq 1 ] && grep -qF "$message" plan.txt || fail "$*: exit $rc: $(cat plan.txt)"
}
plan_error 'leadscore score: --rename nosuch=X: this run writes no column `nosuch`' --rename nosuch=X

# ---- CRM columns: kept columns, stamps, renames (the previous file has the same names each night).
"$bin" score p.rules --leads night2.csv --as-of 2026-11-02 --out crm1.csv --keep crm_id,email --stamp version,hash,as_of \
  --rename score=Lead_Score__c 2> /dev/null
head -2 crm1.csv > crm1_head.csv
printf '%s\n%s\n' 'lead_id,fit,Lead_Score__c,mql,tier,ruleset_version,ruleset_hash,as_of,crm_id,email' \
  "L1,60,60,true,A,2,$(sed -n 's/.*content hash \([0-9a-f]*\)).*/\1/p' s2.txt),2026-11-02T00:00:00Z,001A,a@x.com" > want_crm1.csv
same crm1_head.csv want_crm1.csv
"$bin" score p.rules --leads night3.csv --as-of 2026-11-03 --previous crm1.csv --out crm2.csv --rename score=Lead_Score__c \
  --stamp scored_at 2> /dev/null
[ "$(sed -n 2p crm2.csv | cut -d, -f1-7)" = "L1,65,65,true,A,60,5" ] || fail "renamed previous: $(cat crm2.csv)"
sed -n 2p crm2.csv | grep -Eq ',[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' || fail "scored_at: $(cat crm2.csv)"

# ---- --reasons-max: the largest reasons, then "(+k more)".
"$bin" score p.rules --leads night3.csv --as-of 2026-11-03 --explain --reasons-max 1 --out reasons.csv 2> /dev/null
[ "$(sed -n 2p reasons.csv)" = "L1,65,65,true,A,'+60 Big; (+1 more)" ] || fail "reasons-max: $(cat reasons.csv)"
# ---- A formula-like id is written spreadsheet-safe ('@X1) and still matches last night's row.
printf '%s\n@X1,500,x@x.com,001X\n' $h > formula.csv
"$bin" score p.rules --leads formula.csv --as-of 2026-11-01 --previous none.csv --out f1.csv 2> /dev/null
"$bin" score p.rules --leads formula.csv --as-of 2026-11-02 --previous f1.csv --out f2.csv --changes-out fc.csv 2> f2.txt
[ "$(sed -n 2p f2.csv)" = "'@X1,60,60,true,A,60,0,,2026-11-01T00:00:00Z,A," ] || fail "formula-like id: $(cat f2.csv)"
[ "$(wc -l < fc.csv)" -eq 1 ] || fail "formula-like id changed: $(cat fc.csv)"
echo "run over run: ok"
