#!/usr/bin/env bash
# Routes and the SLA clock over three nightly runs (issue 13 item 2): the route entry is carried by
# --previous, a sales call after the entry stops the clock, a lead without one breaches its SLA once
# the due time passes; working hours move the due time (08:00 entry, 4 working hours from 09:00).
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
cat > h.rules <<'RULES'
ruleset "h" version 1
schema lead { lead_id: id  employees: number }
schema activity { lead_id: id  at: timestamp  type: string }
score fit { rule "Big" when employees >= 100 points 60 }
mql when score >= 50
classify tier { "A" when score >= 50  "B" when score < 50 }
handoff {
  route "SDR call" when tier == "A" to "sdr" within 4h
  route "Nurture" otherwise to "marketing"
  response activity where type == "call"
}
RULES
sed 's/^}$/  working hours "Mon-Fri 09:00-17:00 UTC+00:00"\n}/' h.rules > hw.rules
printf 'lead_id,employees\nL1,500\nL2,5\nL3,300\n' > leads.csv
# L2's call is before it entered a route: not a response. L1 is called at 10:00 on the first day.
printf 'lead_id,at,type\nL2,2026-11-01T10:00:00Z,call\n' > night1.csv
printf 'lead_id,at,type\nL2,2026-11-01T10:00:00Z,call\nL1,2026-11-02T10:00:00Z,call\n' > night2.csv
for r in h hw; do
  : > none.csv
  "$bin" score $r.rules --leads leads.csv --activities night1.csv --as-of 2026-11-02T08:00:00Z --previous none.csv \
    --max-staleness none --out ${r}1.csv 2> /dev/null
  "$bin" score $r.rules --leads leads.csv --activities night2.csv --as-of 2026-11-02T12:30:00Z --previous ${r}1.csv \
    --out ${r}2.csv 2> /dev/null
  "$bin" score $r.rules --leads leads.csv --activities night2.csv --as-of 2026-11-03T10:00:00Z --previous ${r}2.csv \
    --out ${r}3.csv 2> ${r}3.txt
done
[ "$(head -1 h1.csv | cut -d, -f6-11)" = "route,route_queue,route_entered_at,route_due_at,route_responded_at,sla_breached" ] ||
  fail "header: $(head -1 h1.csv)"
check() {  # check FILE LEAD EXPECTED (columns route .. sla_breached)
  local got
  got=$(grep "^$2," "$1" | cut -d, -f6-11)
  [ "$got" = "$3" ] || fail "$1 $2: got '$got', expected '$3'"
}
entry=2026-11-02T08:00:00Z
# Without working hours: due 12:00; at 12:30 L3 has breached, L1 answered at 10:00.
check h1.csv L1 "SDR call,sdr,$entry,2026-11-02T12:00:00Z,,false"
check h1.csv L2 "Nurture,marketing,$entry,,,"
check h1.csv L3 "SDR call,sdr,$entry,2026-11-02T12:00:00Z,,false"
check h2.csv L1 "SDR call,sdr,$entry,2026-11-02T12:00:00Z,2026-11-02T10:00:00Z,false"
check h2.csv L2 "Nurture,marketing,$entry,,,"
check h2.csv L3 "SDR call,sdr,$entry,2026-11-02T12:00:00Z,,true"
check h3.csv L1 "SDR call,sdr,$entry,2026-11-02T12:00:00Z,2026-11-02T10:00:00Z,false"
check h3.csv L3 "SDR call,sdr,$entry,2026-11-02T12:00:00Z,,true"
# Working hours Mon-Fri 09:00-17:00: the clock starts at 09:00, due 13:00; at 12:30 nobody has breached.
check hw1.csv L1 "SDR call,sdr,$entry,2026-11-02T13:00:00Z,,false"
check hw2.csv L1 "SDR call,sdr,$entry,2026-11-02T13:00:00Z,2026-11-02T10:00:00Z,false"
check hw2.csv L3 "SDR call,sdr,$entry,2026-11-02T13:00:00Z,,false"
check hw3.csv L1 "SDR call,sdr,$entry,2026-11-02T13:00:00Z,2026-11-02T10:00:00Z,false"
check hw3.csv L3 "SDR call,sdr,$entry,2026-11-02T13:00:00Z,,true"
grep -q '^route "SDR call": 2 leads, 0 entered tonight, 1 responded, 1 breached the SLA$' hw3.txt || fail "summary: $(cat hw3.txt)"

# ---- Friday 16:00 + 4 working hours = Monday 12:00.
printf 'lead_id,at,type\nL2,2026-11-06T10:00:00Z,visit\n' > friday.csv
"$bin" score hw.rules --leads leads.csv --activities friday.csv --as-of 2026-11-06T16:00:00Z --out fri.csv 2> /dev/null
check fri.csv L1 "SDR call,sdr,2026-11-06T16:00:00Z,2026-11-09T12:00:00Z,,false"

# ---- A mistake in the working hours is an error at the text.
sed 's/Mon-Fri 09:00-17:00 UTC+00:00/Mon-Fri 17:00-09:00/' hw.rules > bad.rules
set +e
"$bin" check bad.rules > bad.txt 2>&1; rc=$?
set -e
[ $rc -eq 1 ] && grep -q '^bad.rules:11:' bad.txt || fail "bad working hours: exit $rc: $(cat bad.txt)"
# ---- diff's ruleset review names a changed route.
sed 's/within 4h/within 2h/' h.rules > h2.rules
"$bin" diff h.rules h2.rules --leads leads.csv --activities night2.csv --as-of 2026-11-02T12:30:00Z > diff.txt 2>&1 ||
  fail "diff: $(cat diff.txt)"
grep -q '^  h2.rules:8: route "SDR call" changed: when tier == "A" to "sdr" within 4h -> when tier == "A" to "sdr" within 2h$' diff.txt ||
  fail "diff route: $(cat diff.txt)"
echo "sla clock: ok"
