#!/usr/bin/env bash
# One record of every rule's outcome, seen from the command line (issue 18's repros):
#   bash outcome_record.sh LEADSCORE_BIN REPO_DIR WORK_DIR
set -euo pipefail
BIN=$(realpath "$1") WORK=$(realpath -m "$3")
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_line() { grep -Eq -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "$3: no line matching /$2/"; }; }
expect_no_line() { ! grep -Eq -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "$3: a line matches /$2/"; }; }
asof=2026-11-01

# Repro 1: a section whose sum equals its max is not "capped", in the reasons column and in explain.
cat > r1.rules <<'R'
ruleset "r1" version 1
schema lead { id: id  a: number }
score fit max 20 { rule "A" when a >= 10 points 20 }
R
printf 'id,a\nL1,10\nL2,30\n' > r1.csv
"$BIN" score r1.rules --leads r1.csv --as-of $asof --explain --out r1.out --quiet
expect_line r1.out "^L1,20,20,'?\\+20 A\$" "repro 1: reasons of a sum equal to its max"
expect_no_line r1.out 'capped' "repro 1: nothing is capped"
"$BIN" explain r1.rules --lead L1 --leads r1.csv --as-of $asof > r1.explain
expect_line r1.explain '=  sum 20 = 20$' "repro 1: explain agrees"
"$BIN" explain r1.rules --lead L1 --leads r1.csv --as-of $asof --format json > r1.json
expect_line r1.json '"limit":null' "repro 1: no limit in the JSON"

# Repro 2: a zero-point rule whose condition holds has fired, everywhere.
cat > r2.rules <<'R'
ruleset "r2" version 1
schema lead { id: id  a: number }
score fit {
  rule "Zero" when a >= 1 points 0
  rule "Ten"  when a >= 5 points 10
}
R
printf 'id,a\nL1,2\n' > r2.csv
"$BIN" explain r2.rules --lead L1 --leads r2.csv --as-of $asof --format json > r2.json
expect_line r2.json '"label":"Zero","fired":true' "repro 2: explain --format json"
"$BIN" score r2.rules --leads r2.csv --as-of $asof --explain --format jsonl --out r2.jsonl --quiet
expect_line r2.jsonl '"reasons":\[\{"kind":"rule","label":"Zero","value":0\}\]' "repro 2: JSONL reasons"
cat > r2.test.yaml <<'Y'
as_of: 2026-11-01T00:00:00Z
cases:
  - name: zero-point rule fired
    lead: {a: 2}
    expect: {fit: 0, fired: [Zero], not_fired: [Ten], reasons: "+0 Zero"}
Y
"$BIN" test r2.rules > r2.test.out || { cat r2.test.out; fail "repro 2: rule test"; }

# An `each activity` rule fired when an event matched: with no event, explain marks it as not fired
# (`.`), as the reasons leave it out; a zero-point `each` rule with an event is `+0`.
cat > r3.rules <<'R'
ruleset "r3" version 1
schema lead { id: id }
schema activity { lead: id  at: timestamp  type: string }
score interest {
  rule "Webinars" each activity where type == "webinar" points 5 max 15
  rule "Visits"   each activity where type == "visit" points 0
}
R
printf 'id\nL1\nL2\n' > r3.csv
printf 'lead,at,type\nL1,2026-10-01,webinar\nL1,2026-10-02,visit\nL1,2026-10-03,visit\n' > r3.events.csv
"$BIN" explain r3.rules --lead L2 --leads r3.csv --activities r3.events.csv --as-of $asof > r3.l2
expect_line r3.l2 '^ +\. +Webinars +activity where type == "webinar": 0 events x 5 = 0 \(max 15\)$' "repro 3: no event, not fired"
expect_line r3.l2 '^ +\. +Visits ' "repro 3: zero-point rule without an event"
"$BIN" explain r3.rules --lead L1 --leads r3.csv --activities r3.events.csv --as-of $asof > r3.l1
expect_line r3.l1 '^ +\+5 +Webinars +activity where type == "webinar": 1 event x 5 = 5 \(max 15\)$' "repro 3: one event"
expect_line r3.l1 '^ +\+0 +Visits +activity where type == "visit": 2 events x 0 = 0$' "repro 3: zero points, fired"
"$BIN" score r3.rules --leads r3.csv --activities r3.events.csv --as-of $asof --explain --out r3.out --quiet
expect_line r3.out "^L1,5,5,'?\\+5 Webinars; \\+0 Visits\$" "repro 3: reasons agree for L1"
expect_line r3.out '^L2,0,0,$' "repro 3: reasons agree for L2"

# A fired `each` rule whose decayed contribution rounds to 0 is `+0` whatever its sign (-5 points
# decayed over a month with a 1h half-life is about -5e-224), in the reasons, their JSON and explain.
cat > r4.rules <<'R'
ruleset "r4" version 1
schema lead { id: id }
schema activity { lead: id  at: timestamp  type: string }
score s {
  rule "negdec" each activity where type == "spam" points -5 decay 1h
  rule "posdec" each activity where type == "visit" points 5 decay 1h
}
R
printf 'id\nL1\nL2\n' > r4.csv
printf 'lead,at,type\nL1,2026-10-01,spam\nL2,2026-10-01,visit\n' > r4.events.csv
"$BIN" score r4.rules --leads r4.csv --activities r4.events.csv --as-of $asof --explain --out r4.out --quiet
expect_line r4.out "^L1,0,0,'?\\+0 negdec\$" "repro 4: a negative contribution that rounds to 0 is +0"
expect_line r4.out "^L2,0,0,'?\\+0 posdec\$" "repro 4: as a positive one is"
"$BIN" score r4.rules --leads r4.csv --activities r4.events.csv --as-of $asof --explain --format jsonl --out r4.jsonl --quiet
expect_line r4.jsonl '"reasons":\[\{"kind":"rule","label":"negdec","value":0\}\]' "repro 4: JSON value 0, not -0"
"$BIN" explain r4.rules --lead L1 --leads r4.csv --activities r4.events.csv --as-of $asof > r4.l1
expect_line r4.l1 '^ +\+0 +negdec +activity where type == "spam" decay 1h: decayed count 0 x -5 = 0$' "repro 4: explain marks it +0"
"$BIN" explain r4.rules --lead L1 --leads r4.csv --activities r4.events.csv --as-of $asof --format json > r4.json
expect_line r4.json '"label":"negdec","fired":true,"points":-5,"contribution":0,' "repro 4: explain JSON contribution 0"

# JSONL reasons are an array of {kind, label, value}: rules, multipliers, limits.
cat > j.rules <<'R'
ruleset "j" version 1
schema lead { id: id  a: number }
score fit max 25 {
  rule "Big"       when a >= 10 points 20
  rule "Bigger"    when a >= 20 points 10
  multiply "Boost" when a >= 30 by 2
}
R
printf 'id,a\nL1,30\n' > j.csv
"$BIN" score j.rules --leads j.csv --as-of $asof --explain --format jsonl --out j.jsonl --quiet
expect_line j.jsonl '"reasons":\[\{"kind":"rule","label":"Big","value":20\},\{"kind":"rule","label":"Bigger","value":10\},\{"kind":"multiplier","label":"Boost","value":2\},\{"kind":"max","label":"fit","value":25\}\]' \
  "JSONL reasons as objects"
"$BIN" score j.rules --leads j.csv --as-of $asof --explain --reasons-max 2 --format jsonl --out j2.jsonl --quiet
expect_line j2.jsonl '"reasons":\[\{"kind":"rule","label":"Big","value":20\},\{"kind":"rule","label":"Bigger","value":10\},\{"kind":"more","label":"","value":2\}\]' \
  "JSONL reasons cut by --reasons-max end with kind more"
"$BIN" score j.rules --leads j.csv --as-of $asof --explain --reasons-max 2 --out j2.csv --quiet
expect_line j2.csv "^L1,25,25,'?\\+20 Big; \\+10 Bigger; \\(\\+2 more\\)\$" "CSV reasons cut by --reasons-max"

# A label containing "; " reaches the diff's movers whole.
cat > d1.rules <<'R'
ruleset "d" version 1
schema lead { id: id  a: number }
score fit { rule "Demo; trial" when a >= 1 points 10 }
R
sed 's/points 10/points 15/' d1.rules > d2.rules
printf 'id,a\nL1,2\n' > d.csv
"$BIN" diff d1.rules d2.rules --leads d.csv --as-of $asof --format json > d.json || true
expect_line d.json '"reasons_removed":\["\+10 Demo; trial"\]' "label with '; ' removed whole"
expect_line d.json '"reasons_added":\["\+15 Demo; trial"\]' "label with '; ' added whole"

# Why not: the failing parts with their shortfall, a named target, and a helpful error.
cat > w.rules <<'R'
ruleset "w" version 1
schema lead { id: id  f: number  revenue: number }
score fit { rule "F" when f >= 1 points 45 }
score interest { rule "I" when f >= 1 points 38 }
gate cpal { "Revenue $10M or more": revenue >= 10M }
mql when cpal and fit >= 50 and interest >= 35
classify quadrant { "hot" when fit >= 50 and interest >= 35  "fan" when interest >= 35  "drop" otherwise }
R
printf 'id,f,revenue\nL1,1,\n' > w.csv
"$BIN" explain w.rules --lead L1 --leads w.csv --as-of $asof > w.txt
expect_line w.txt '^why not mql: cpal and fit >= 50 and interest >= 35$' "why not: header"
expect_line w.txt 'no  fit >= 50 +fit = 45: 5 points short of 50$' "why not: shortfall"
expect_line w.txt 'yes  interest >= 35 +interest = 38 >= 35$' "why not: a part that holds"
expect_line w.txt 'unknown  Revenue \$10M or more +unknown: revenue is missing' "why not: the missing cell"
"$BIN" explain w.rules --lead L1 --leads w.csv --as-of $asof --why-not hot > hot.txt
expect_line hot.txt '^why not quadrant "hot": fit >= 50 and interest >= 35$' "why not hot"
"$BIN" explain w.rules --lead L1 --leads w.csv --as-of $asof --why-not hot --format json > hot.json
expect_line hot.json '"why_not":\{"target":"quadrant \\"hot\\"","condition":"fit >= 50 and interest >= 35","holds":false' "why not JSON"
expect_line hot.json '"gap":5' "why not JSON gap"
set +e
"$BIN" explain w.rules --lead L1 --leads w.csv --as-of $asof --why-not warm > warm.txt 2>&1
rc=$?
set -e
[ $rc -ne 0 ] || fail "why-not of an unknown value must fail"
expect_line warm.txt 'no MQL, gate or classify value of that name; choose from mql, cpal, hot, fan, drop' "why-not choices"
echo "outcome_record: all checks passed"
