#!/usr/bin/env bash
# Guards that keep yesterday's file (issue 13 item 4): a nightly run that would publish garbage exits
# 4, says why, and leaves the previous outputs byte for byte as they were.
set -euo pipefail
bin=$1 repo=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
cat > r.rules <<'RULES'
ruleset "g" version 3
schema lead { lead_id: id  employees: number  signup: timestamp }
schema activity { lead_id: id  at: timestamp  type: string }
score fit { rule "Big" when employees >= 100 points 30 }
score engagement { rule "Demo" when exists(activity where type == "demo" within 30d) points 40 }
mql when score >= 50
RULES
printf 'lead_id,employees,signup\nA,500,2026-01-01\nB,5,2026-01-02\nC,200,nope\n' > leads.csv
printf 'lead_id,at,type\nA,2026-10-28,demo\nC,2026-10-25,demo\n' > ev.csv

"$bin" score r.rules --leads leads.csv --activities ev.csv --as-of 2026-11-01 --out out.csv --rejects rej.csv 2> first.txt
cp out.csv yesterday.csv
cp rej.csv yesterday_rejects.csv
# refused RUN_NAME MESSAGE_REGEX ARGS...: exit 4, the message, out.csv and rej.csv untouched.
refused() {
  local name=$1 message=$2 rc
  shift 2
  set +e
  "$bin" score r.rules --out out.csv --rejects rej.csv "$@" > "$name.txt" 2>&1; rc=$?
  set -e
  [ $rc -eq 4 ] || fail "$name: exit $rc, expected 4: $(cat "$name.txt")"
  grep -Eq "^leadscore score: refused to publish: $message; the previous outputs are left as they were$" "$name.txt" ||
    fail "$name: message: $(cat "$name.txt")"
  cmp -s out.csv yesterday.csv || fail "$name: out.csv changed"
  cmp -s rej.csv yesterday_rejects.csv || fail "$name: rejects file changed"
}

# ---- Every row rejected (header + malformed rows): exit 0 and a header-only file before.
printf 'lead_id,employees,signup\n,5,\n,6,\n,7,\n' > allbad.csv
refused allbad 'none of the 3 rows of the leads file could be scored \(all rejected\)' \
  --leads allbad.csv --activities ev.csv --as-of 2026-11-01
grep -q '^leads: 3 rows read = 0 scored + 3 rejected' allbad.txt || fail "allbad summary: $(cat allbad.txt)"

# ---- A header-only leads file.
printf 'lead_id,employees,signup\n' > header.csv
refused header 'the leads file has no data rows: nothing to score' --leads header.csv --activities ev.csv --as-of 2026-11-01
# --no-guards (one part of a partitioned run, whose driver judges the guards on all parts): an empty
# part is an empty output, and old events are no reason to refuse; it does not go with a guard's option.
"$bin" score r.rules --leads header.csv --activities ev.csv --as-of 2026-11-01 --out part.csv --no-guards --quiet ||
  fail "--no-guards on an empty part: exit $?"
[ "$(cat part.csv)" = "lead_id,fit,engagement,score,mql" ] || fail "--no-guards empty part: $(cat part.csv)"
"$bin" score r.rules --leads leads.csv --activities ev.csv --as-of 2027-11-01 --out part.csv --no-guards --quiet ||
  fail "--no-guards with stale events: exit $?"
set +e
"$bin" score r.rules --leads leads.csv --activities ev.csv --as-of 2026-11-01 --out part.csv --no-guards --max-staleness 2d \
  > both.txt 2>&1; rc=$?
set -e
[ $rc -eq 2 ] && grep -q -- '--no-guards leaves the guards to the caller' both.txt || fail "--no-guards with a guard: $rc $(cat both.txt)"

# ---- More rejected rows than --max-reject-rate (default 0.5, judged on files of 100 rows or more
# unless the option is given); the option moves the line.
printf 'lead_id,employees,signup\nA,500,\n,1,\n,2,\n' > mostbad.csv
refused mostbad '2 of 3 rows \(66\.7%\) were rejected, more than --max-reject-rate 50% .*' \
  --leads mostbad.csv --activities ev.csv --as-of 2026-11-01 --max-reject-rate 0.5
# The summary does not send the user to the rejects file, which the refused run left as it was.
grep -q '^leads: 3 rows read = 1 scored + 2 rejected (not written: the run was refused)$' mostbad.txt ||
  fail "refused summary: $(cat mostbad.txt)"
"$bin" score r.rules --leads mostbad.csv --activities ev.csv --as-of 2026-11-01 --out small.csv 2> /dev/null ||
  fail "the default rate judged a 3-row file"
{ printf 'lead_id,employees,signup\n'; for i in $(seq 1 49); do printf 'K%d,%d,\n' "$i" "$i"; done
  for i in $(seq 1 51); do printf ',%d,\n' "$i"; done; } > halfbad.csv
refused halfbad '51 of 100 rows \(51\.0%\) were rejected, more than --max-reject-rate 50% .*' \
  --leads halfbad.csv --activities ev.csv --as-of 2026-11-01
printf 'lead_id,employees,signup\nA,500,\nB,1,\nC,2,\nD,3,\n,4,\n' > onebad.csv
refused onebad '1 of 5 rows \(20\.0%\) were rejected, more than --max-reject-rate 10% .*' \
  --leads onebad.csv --activities ev.csv --as-of 2026-11-01 --max-reject-rate 0.1
"$bin" score r.rules --leads mostbad.csv --activities ev.csv --as-of 2026-11-01 --out tolerant.csv --max-reject-rate 1 2> /dev/null ||
  fail "--max-reject-rate 1 refused"
[ "$(wc -l < tolerant.csv)" -eq 2 ] || fail "tolerant: $(cat tolerant.csv)"

# ---- Rules that read activities, and no --activities: MQLs dropped from 2 to 0 before.
refused noevents 'the rules read activity events but no --activities file was given: every activity rule would score 0 .*' \
  --leads leads.csv --as-of 2026-11-01
"$bin" score r.rules --leads leads.csv --as-of 2026-11-01 --no-activities --out on_purpose.csv 2> /dev/null ||
  fail "--no-activities refused"
[ "$(cut -d, -f5 on_purpose.csv | tr '\n' ' ')" = "mql false false false " ] || fail "no-activities: $(cat on_purpose.csv)"
set +e
"$bin" score r.rules --leads leads.csv --activities ev.csv --no-activities --as-of 2026-11-01 --out x.csv > both.txt 2>&1
[ $? -eq 2 ] || fail "--no-activities with --activities is a usage error: $(cat both.txt)"
set -e

# ---- As-of four years after the newest event (default --max-staleness 365d).
refused stale 'the newest activity event \(2026-10-28T00:00:00Z\) is older than --max-staleness 365d before as-of 2030-11-01T00:00:00Z: .*' \
  --leads leads.csv --activities ev.csv --as-of 2030-11-01
refused stale2 'the newest activity event \(2026-10-28T00:00:00Z\) is older than --max-staleness 3d before as-of 2026-11-01T00:00:00Z: .*' \
  --leads leads.csv --activities ev.csv --as-of 2026-11-01 --max-staleness 3d
printf 'lead_id,at,type\nZ,2026-10-20,demo\n' > strangers.csv
refused strangers 'no activity event before as-of 2026-11-01T00:00:00Z belongs to a lead of the leads file \(1 events read\): .*' \
  --leads leads.csv --activities strangers.csv --as-of 2026-11-01 --max-staleness 7d
"$bin" score r.rules --leads leads.csv --activities strangers.csv --as-of 2026-11-01 --out strangers_ok.csv 2> /dev/null ||
  fail "without --max-staleness, a run that used no event was refused"
"$bin" score r.rules --leads leads.csv --activities ev.csv --as-of 2030-11-01 --max-staleness none --out late.csv 2> /dev/null ||
  fail "--max-staleness none refused"
"$bin" score r.rules --leads leads.csv --activities ev.csv --as-of 2026-11-01 --max-staleness 5d --out ok.csv 2> /dev/null ||
  fail "--max-staleness 5d refused a 4-day-old event"
set +e
"$bin" score r.rules --leads leads.csv --activities ev.csv --as-of 2026-11-01 --max-staleness 7 --out x.csv > dur.txt 2>&1
[ $? -eq 2 ] || fail "--max-staleness 7 is a usage error"
set -e
grep -q 'write a duration (36h, 7d, 2w) or none' dur.txt || fail "duration message: $(cat dur.txt)"

# ---- Unreadable values: the first ones of every schema column, used by the rules or not.
grep -q '^  unparseable values (treated as missing): signup 1: line 4 "nope"$' first.txt || fail "examples: $(cat first.txt)"
printf 'lead_id,employees,signup\nA,x1,bad1\nB,x2,bad2\nC,x3,bad3\nD,x4,2026-01-01\nE,x5,bad5\n' > unreadable.csv
"$bin" score r.rules --leads unreadable.csv --activities ev.csv --as-of 2026-11-01 --out u.csv 2> u.txt
grep -q '^  unparseable values (treated as missing): employees 5: line 2 "x1", line 3 "x2", line 4 "x3", \.\.\.$' u.txt ||
  fail "employees examples: $(cat u.txt)"
grep -q '^  unparseable values (treated as missing): signup 4: line 2 "bad1", line 3 "bad2", line 4 "bad3", \.\.\.$' u.txt ||
  fail "signup examples (a column no rule reads): $(cat u.txt)"
echo "publish guards: ok"
