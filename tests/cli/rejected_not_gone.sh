#!/usr/bin/env bash
# A lead whose row is rejected tonight (wrong number of fields, broken quoting) is in the export: it
# is not reported gone, last night's row is carried into tonight's output (export_change = rejected)
# and the next night it is matched again, so its mql_since and score history continue.
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
}
mql when score >= 50
classify tier { "A" when score >= 50  "B" when score < 50 }
RULES
h=lead_id,employees,email,crm_id
printf '%s\nL1,500,a@x.com,001A\nL2,5,b@x.com,001B\nL3,200,c@x.com,001C\nL4,7,d@x.com,001D\n' $h > night1.csv
# Night 2: L1 lost a field, L3 is gone from the export, L5 is new, L2's quoting is broken (last row).
printf '%s\nL1,500,a@x.com\nL4,150,d@x.com,001D\nL5,9,e@x.com,001E\nL2,"5,b@x.com,001B\n' $h > night2.csv
printf '%s\nL1,500,a@x.com,001A\nL2,5,b@x.com,001B\nL4,150,d@x.com,001D\nL5,9,e@x.com,001E\n' $h > night3.csv
: > none.csv
opts=(--keep crm_id --stamp as_of)
cols=lead_id,fit,score,mql,tier,previous_score,score_change,mql_change,mql_since,previous_tier,export_change,as_of,crm_id

"$bin" score p.rules --leads night1.csv --as-of 2026-11-01 --previous none.csv --out out1.csv "${opts[@]}" 2> s1.txt

# ---- Night 2.
"$bin" score p.rules --leads night2.csv --as-of 2026-11-02 --previous out1.csv --out out2.csv --changes-out changes2.csv \
  --rejects rejects2.csv "${opts[@]}" 2> s2.txt || fail "night 2: $(cat s2.txt)"
grep -q '^leads: 4 rows read = 2 scored + 2 rejected (see rejects2.csv)$' s2.txt || fail "s2 counts: $(cat s2.txt)"
grep -q '^previous: out1.csv: 4 rows, 1 leads matched, 1 new tonight, 1 gone from the export (L3)$' s2.txt ||
  fail "s2 previous: $(cat s2.txt)"
grep -qF '  2 more have a row rejected tonight; last night'"'"'s row is carried into the output (export_change = rejected): L1, L2' \
  s2.txt || fail "s2 rejected: $(cat s2.txt)"
printf '%s\n%s\n%s\n%s\n%s\n' $cols \
  'L4,60,60,true,A,0,60,new,2026-11-02T00:00:00Z,B,,2026-11-02T00:00:00Z,001D' \
  'L5,0,0,false,B,,,,,,new,2026-11-02T00:00:00Z,001E' \
  'L1,60,60,true,A,60,,,2026-11-01T00:00:00Z,A,rejected,2026-11-01T00:00:00Z,001A' \
  'L2,0,0,false,B,0,,,,B,rejected,2026-11-01T00:00:00Z,001B' > want2.csv
same out2.csv want2.csv
# The CRM keeps what it has for L1 and L2: only the changed, the new and the gone are uploaded.
printf '%s\n%s\n%s\n%s\n' $cols \
  'L4,60,60,true,A,0,60,new,2026-11-02T00:00:00Z,B,,2026-11-02T00:00:00Z,001D' \
  'L5,0,0,false,B,,,,,,new,2026-11-02T00:00:00Z,001E' \
  'L3,,,,,60,,,,A,gone,,001C' > want_changes2.csv
same changes2.csv want_changes2.csv
[ "$(cut -d, -f1 rejects2.csv | tail -n +2 | tr '\n' ' ')" = "2 5 " ] || fail "rejects: $(cat rejects2.csv)"

# ---- Night 3: both rows are fixed; L1 is still the MQL it became on 2026-11-01, nothing is new.
"$bin" score p.rules --leads night3.csv --as-of 2026-11-03 --previous out2.csv --out out3.csv --changes-out changes3.csv \
  "${opts[@]}" 2> s3.txt || fail "night 3: $(cat s3.txt)"
grep -q '^previous: out2.csv: 4 rows, 4 leads matched, 0 new tonight, 0 gone from the export$' s3.txt ||
  fail "s3 previous: $(cat s3.txt)"
grep -q 'rejected tonight' s3.txt && fail "s3 names rejected rows: $(cat s3.txt)"
printf '%s\n%s\n%s\n%s\n%s\n' $cols \
  'L1,60,60,true,A,60,0,,2026-11-01T00:00:00Z,A,,2026-11-03T00:00:00Z,001A' \
  'L2,0,0,false,B,0,0,,,B,,2026-11-03T00:00:00Z,001B' \
  'L4,60,60,true,A,60,0,,2026-11-02T00:00:00Z,A,,2026-11-03T00:00:00Z,001D' \
  'L5,0,0,false,B,0,0,,,B,,2026-11-03T00:00:00Z,001E' > want3.csv
same out3.csv want3.csv
grep -q '^mql since last run: 0 new, 0 lost$' s3.txt || fail "s3 mql: $(cat s3.txt)"

# ---- JSON lines: the carried row has typed values, and reasons [] (they are not derived again).
"$bin" score p.rules --leads night2.csv --as-of 2026-11-02 --previous out1.csv --out out2.jsonl --format jsonl \
  --explain "${opts[@]}" 2> /dev/null || fail "jsonl"
grep -qF '{"lead_id":"L1","fit":60,"score":60,"mql":true,"tier":"A","previous_score":60,"score_change":null,"mql_change":null,"mql_since":"2026-11-01T00:00:00Z","previous_tier":"A","export_change":"rejected","as_of":"2026-11-01T00:00:00Z","crm_id":"001A","reasons":[]}' \
  out2.jsonl || fail "jsonl carried row: $(grep L1 out2.jsonl)"

# ---- A gone lead repeated in the previous file is reported once.
{ cat out1.csv; grep '^L3,' out1.csv; } > dup1.csv
"$bin" score p.rules --leads night2.csv --as-of 2026-11-02 --previous dup1.csv --out dup2.csv --changes-out dupch.csv \
  "${opts[@]}" 2> sd.txt || fail "dup: $(cat sd.txt)"
grep -q '1 gone from the export (L3)$' sd.txt || fail "dup gone: $(cat sd.txt)"
grep -q '^  1 rows repeat an id' sd.txt || fail "dup count: $(cat sd.txt)"
[ "$(grep -c ',gone,' dupch.csv)" = 1 ] || fail "dup gone rows: $(cat dupch.csv)"

# ---- Without --previous nothing is carried: the output holds the scored rows only.
"$bin" score p.rules --leads night2.csv --as-of 2026-11-02 --out plain.csv 2> /dev/null || fail "plain"
[ "$(tail -n +2 plain.csv | cut -d, -f1 | tr '\n' ' ')" = "L4 L5 " ] || fail "plain rows: $(cat plain.csv)"

# ---- Partitioned: the row with a field missing reaches its part, which carries L1 as in one run.
# (L2's broken quoting cannot be copied into a part: `partition` rejects it, and its part, which never
# sees the row, reports L2 gone: docs/scale-out.md.)
"$bin" partition p.rules --leads night2.csv --previous out1.csv --parts 3 --out parts 2> ps.txt || fail "partition: $(cat ps.txt)"
grep -q '^leads: 4 rows read = 3 written + 1 rejected' ps.txt || fail "partition summary: $(cat ps.txt)"
for p in parts/part-*; do
  "$bin" score p.rules --leads $p/leads.csv --previous $p/previous.csv --as-of 2026-11-02 --out $p/out.csv "${opts[@]}" \
    --no-guards --quiet || fail "score $p"
done
[ "$(for p in parts/part-*; do tail -n +2 $p/out.csv; done | grep -v '^L2,' | sort)" = \
  "$(tail -n +2 out2.csv | grep -v '^L2,' | sort)" ] || fail "parts differ: $(cat parts/part-*/out.csv)"

# ---- The other way round: last night's row of L1 is broken (a field missing). L1 is not new tonight
# and not a new MQL; its previous values are unknown. A good row after a broken one of the same id
# is read as usual (L3).
{ head -1 out1.csv; grep '^L1,' out1.csv | cut -d, -f1-5; grep -v '^L1,' out1.csv | tail -n +2;
  grep '^L3,' out1.csv | cut -d, -f1-3; } > broken1.csv
sed -i '0,/^L3,/{/^L3,/{h;d}};$G' broken1.csv  # L3: the broken row first, the good one last
printf '%s\nL1,500,a@x.com,001A\nL3,200,c@x.com,001C\n' $h > night4.csv
"$bin" score p.rules --leads night4.csv --as-of 2026-11-02 --previous broken1.csv --out out4.csv "${opts[@]}" 2> s4.txt ||
  fail "broken previous: $(cat s4.txt)"
grep -q '2 rows skipped .*; 1 of them name a lead of tonight, which is not new but has unknown previous values$' s4.txt ||
  fail "s4 skipped: $(cat s4.txt)"
grep -q ', 0 new tonight,' s4.txt || fail "s4 new: $(cat s4.txt)"
printf '%s\n%s\n%s\n' $cols \
  'L1,60,60,true,A,,,,2026-11-02T00:00:00Z,,,2026-11-02T00:00:00Z,001A' \
  'L3,60,60,true,A,60,0,,2026-11-01T00:00:00Z,A,,2026-11-02T00:00:00Z,001C' > want4.csv
same out4.csv want4.csv
echo "rejected_not_gone: ok"
